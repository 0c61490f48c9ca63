//! The streamed answer over an NDJSON file equals the in-memory answer, for
//! every sort, page and thread count, and fails the same way.

use helpscout_query::customers::{
    AnswerError, ListCustomers, Page, Source, StreamOptions, answer, load,
};
use serde_json::value::RawValue;

/// The answer from a file.
fn list_ndjson_file<'a>(
    path: &'a std::path::Path,
    request: &ListCustomers,
    now: jiff::Timestamp,
    options: StreamOptions,
) -> Result<Page<'a>, AnswerError> {
    answer(request, &Source::File(path, options), now)
}

fn now() -> jiff::Timestamp {
    "2024-06-15T12:00:00Z".parse().unwrap()
}

/// The built-in sample as NDJSON in a temporary file (with a blank line and
/// CRLF endings on some lines, as real files have).
fn sample_ndjson(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let sample = include_str!("../data/customers.json");
    let records: Vec<&RawValue> = serde_json::from_str(sample).unwrap();
    let mut text = String::new();
    for (i, r) in records.iter().enumerate() {
        text.push_str(r.get());
        text.push_str(if i % 7 == 0 { "\r\n" } else { "\n" });
        if i == 10 {
            text.push('\n');
        }
    }
    let path = dir.join("sample.ndjson");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hsq-stream-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn streamed_equals_in_memory() {
    let dir = temp_dir("equal");
    let (path, text) = sample_ndjson(&dir);
    let (customers, _) = load(&text).unwrap();
    let requests = [
        "",
        "sortOrder=asc",
        "query=firstName:John*&sortField=lastName&sortOrder=asc",
        "query=email:%22gmail.com%22&sortField=firstName&page=2",
        "query=NOT%20firstName:x&sortField=modifiedAt&page=3",
        "query=firstName:John%20OR%20email:example.com%20OR%20lastName:Smith&sortField=score",
        "mailbox=85&sortField=createdAt&sortOrder=asc&page=4",
        "page=99",
        "query=firstName:nobody",
        "firstName=zoë&lastName=müller",
    ];
    for params in requests {
        let request = ListCustomers::from_query_string(params).unwrap().request;
        let page = answer(&request, &Source::Records(&customers), now()).unwrap();
        let expected = page.to_hal_json(&request, None);
        for (threads, block_size) in [(1, 4 << 20), (2, 4096), (3, 100)] {
            let options = StreamOptions {
                threads,
                block_size,
                ..StreamOptions::default()
            };
            let streamed = list_ndjson_file(&path, &request, now(), options).unwrap();
            let got = streamed.to_hal_json(&request, None);
            assert_eq!(
                got, expected,
                "{params} with {threads} threads, blocks of {block_size}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn streamed_errors_name_the_line() {
    let dir = temp_dir("errors");
    let path = dir.join("bad.ndjson");
    let mut text = String::new();
    for id in 0..2000 {
        text.push_str(&format!("{{\"id\":{id},\"firstName\":\"N{id}\"}}\n"));
    }
    text.push_str("{\"id\": \"not a number\"}\n");
    text.push_str("{\"id\":1}\n");
    std::fs::write(&path, &text).unwrap();
    let request = ListCustomers::new();
    for threads in [1, 2] {
        let options = StreamOptions {
            threads,
            block_size: 1000,
            ..StreamOptions::default()
        };
        match list_ndjson_file(&path, &request, now(), options) {
            Err(AnswerError::Data { error: e, .. }) => {
                assert!(e.to_string().starts_with("line 2001:"), "{e}")
            }
            other => panic!("{other:?}"),
        }
    }
    let request = ListCustomers::from_query_string("mailbox=85")
        .unwrap()
        .request;
    std::fs::write(&path, "{\"id\":1}\n").unwrap();
    assert!(matches!(
        list_ndjson_file(&path, &request, now(), StreamOptions::default()),
        Err(AnswerError::Request(_))
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Only JSON whitespace may surround a record: a form feed is an error in
/// both readers, on the same line.
#[test]
fn both_readers_agree_on_whitespace() {
    let dir = temp_dir("space");
    let path = dir.join("ff.ndjson");
    let text = "{\"id\":1}\n \t{\"id\":2}\r\n\n\u{c}{\"id\":3}\n";
    std::fs::write(&path, text).unwrap();
    let request = ListCustomers::new();
    let streamed = list_ndjson_file(&path, &request, now(), StreamOptions::default());
    match streamed {
        Err(AnswerError::Data { error: e, .. }) => {
            assert!(e.to_string().starts_with("line 4:"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let loaded = load(text).unwrap_err();
    assert!(loaded.to_string().starts_with("line 4:"), "{loaded}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn streamed_errors_name_the_first_malformed_line_and_its_byte() {
    let dir = std::env::temp_dir().join(format!("hsq-scan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.ndjson");
    let mut text = String::new();
    for id in 0..3000 {
        text.push_str(&format!("{{\"id\":{id},\"firstName\":\"N{id}\"}}\n"));
    }
    // Line 3001, then more bad lines that must not be named instead.
    let bad = "  {\"id\":1,\"firstName\":2}";
    text.push_str(bad);
    text.push('\n');
    for id in 0..3000 {
        text.push_str(&format!("{{\"id\":{id},\"x\":[1,]}}\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let byte = bad.find("2}").unwrap();
    let expected =
        format!("line 3001: `firstName`: expected a string or null, found a number at byte {byte}");
    assert_eq!(load(&text).unwrap_err().to_string(), expected);
    let request = ListCustomers::new();
    for threads in [1, 2, 3] {
        for block_size in [100, 1000, 4 << 20] {
            let options = StreamOptions {
                threads,
                block_size,
                ..StreamOptions::default()
            };
            match list_ndjson_file(&path, &request, jiff::Timestamp::UNIX_EPOCH, options) {
                Err(AnswerError::Data { error: e, .. }) => assert_eq!(e.to_string(), expected),
                other => panic!("{other:?}"),
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
