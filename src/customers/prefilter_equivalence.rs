//! The prefilter never changes an answer: the streamed answer with and
//! without it, compared as the whole HAL+JSON output (or the whole error),
//! on generated records and requests. The records spell the searched words
//! in every way the prefilter must not miss: other ASCII cases, JSON
//! escapes (`\u0068`, `\"`), the Kelvin sign and `İ` (which lower-case to
//! ASCII), the words in fields that are not searched, and malformed lines
//! that do not contain the words (whose error must still be the answer),
//! bytes that are not UTF-8 among them.

use proptest::prelude::*;

use super::Prefiltering;
use crate::customers::request::ListCustomers;
use crate::customers::stream::{StreamOptions, list_ndjson_file_with};

/// Name values, as JSON (escapes written as they appear in the file).
const NAMES: &[&str] = &[
    r#""John""#,
    r#""JOHN""#,
    r#""john""#,
    r#""Johnny""#,
    r#""Jo\u0068n""#,
    r#""J\u004Fhn Smith""#,
    r#""Søren""#,
    r#""SØREN""#,
    "\"\u{212A}elvin\"",
    r#""Kelvin""#,
    "\"\u{130}van\"",
    r#""ivan""#,
    r#""Smith""#,
    r#""O\"Brien""#,
    r#""Jane Smith""#,
    r#""Example""#,
    r#""Johnson""#,
    "null",
];

/// Email addresses, as JSON.
const EMAILS: &[&str] = &[
    r#""john@example.com""#,
    r#""JANE@EXAMPLE.COM""#,
    r#""x@ex\u0061mple.com""#,
    "\"\u{212A}elvin@example.org\"",
    r#""smith@web.de""#,
    r#""ivan@EXAMPLE.com""#,
    "null",
];

const DATES: &[&str] = &[
    r#""2020-01-01T00:00:00Z""#,
    r#""2021-06-15T12:30:00Z""#,
    r#""2019-03-01T08:00:00.5Z""#,
    "null",
];

/// Lines that are not valid records, all but one (`id` 8) holding no
/// searched word. ([`NOT_UTF8`] stands for a byte that is not UTF-8.)
const MALFORMED: &[&str] = &[
    r#"{"id":1,"firstName":}"#,
    r#"{"id":"x"}"#,
    r#"{"id":2,"createdAt":"yesterday"}"#,
    "{\"id\":3,\"lastName\":\"a\u{1}b\"}",
    r#"{"id":4"#,
    r#"[1,2]"#,
    r#"{"id":5,"mailboxIds":[-1]}"#,
    "{\"id\":6,\"lastName\":\"a\u{FFFD}b\"}",
    "{\"id\":7,\"x\u{FFFD}\":1}",
    "{\"id\":8,\"firstName\":\"John \u{FFFD}\"}",
    r#"{"id":9,"createdAt":null} x"#,
    r#"{"id":10,"createdAt":null}{"id":11}"#,
    "{\"id\":12,\"createdAt\":null}\r{}",
];

/// Written as the byte 0xFF, which is never UTF-8.
const NOT_UTF8: char = '\u{FFFD}';

/// The file's bytes: the lines joined, [`NOT_UTF8`] made a bad byte.
fn file_bytes(lines: &[String], newline: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            bytes.extend_from_slice(newline.as_bytes());
        }
        for (j, part) in line.split(NOT_UTF8).enumerate() {
            if j > 0 {
                bytes.push(0xFF);
            }
            bytes.extend_from_slice(part.as_bytes());
        }
    }
    bytes
}

/// A record line, or (rarely) a malformed one.
fn line() -> impl Strategy<Value = String> {
    let record = (
        0i64..40,
        proptest::option::of(proptest::sample::select(NAMES)),
        proptest::option::of(proptest::sample::select(NAMES)),
        proptest::collection::vec(proptest::sample::select(EMAILS), 0..3),
        proptest::sample::select(DATES),
        proptest::option::of(proptest::sample::select(&["[85]", "[1, 2]", "[]", "null"])),
        proptest::option::of(proptest::sample::select(NAMES)),
    )
        .prop_map(|(id, first, last, emails, created, mailboxes, note)| {
            let mut fields = vec![format!(r#""id":{id}"#)];
            if let Some(first) = first {
                fields.push(format!(r#""firstName":{first}"#));
            }
            if let Some(last) = last {
                fields.push(format!(r#""lastName":{last}"#));
            }
            fields.push(format!(r#""createdAt":{created}"#));
            if let Some(mailboxes) = mailboxes {
                fields.push(format!(r#""mailboxIds":{mailboxes}"#));
            }
            // A searched word in a field that is not searched.
            if let Some(note) = note {
                fields.push(format!(r#""background":{note}"#));
            }
            let emails: Vec<String> = emails
                .iter()
                .map(|e| format!(r#"{{"value":{e}}}"#))
                .collect();
            fields.push(format!(
                r#""_embedded":{{"emails":[{}]}}"#,
                emails.join(",")
            ));
            format!("{{{}}}", fields.join(","))
        })
        .boxed();
    // A record followed on its line by something else (whitespace, which
    // is fine, or more text, which is not): of a shape learnt from the
    // records before it.
    let followed = (
        record.clone(),
        proptest::sample::select(&[" ", "\t\r", " x", "{}", "\r{}", ",", " \r1"]),
    )
        .prop_map(|(record, after)| format!("{record}{after}"));
    prop_oneof![
        30 => record,
        1 => proptest::sample::select(MALFORMED).prop_map(str::to_owned),
        1 => Just(String::new()),
        2 => followed,
    ]
}

/// A query clause.
fn leaf() -> impl Strategy<Value = String> {
    let field =
        proptest::sample::select(&["", "firstName:", "lastName:", "email:", "emailDomain:"]);
    let value = proptest::sample::select(&[
        "john",
        "JOHN",
        "\"john smith\"",
        "kelvin",
        "ivan",
        "søren",
        "example.com",
        "\"EXAMPLE.COM\"",
        "jane",
        "Jo*",
        "smith",
        "o'brien",
        "johnny",
        "createdAt:2020",
    ]);
    (field, value).prop_map(|(f, v)| {
        if v.contains(':') {
            v.to_owned()
        } else {
            format!("{f}{v}")
        }
    })
}

/// A query: clauses joined by AND, OR and NOT, nested once.
fn query() -> impl Strategy<Value = String> {
    let op = || proptest::sample::select(&[" AND ", " OR ", " AND NOT "]);
    let group = move || (leaf(), op(), leaf()).prop_map(|(a, o, b)| format!("({a}{o}{b})"));
    prop_oneof![
        leaf(),
        group(),
        (group(), op(), leaf()).prop_map(|(a, o, b)| format!("{a}{o}{b}")),
        (leaf(), op(), group()).prop_map(|(a, o, b)| format!("{a}{o}{b}")),
    ]
}

/// The other parameters of a request.
fn parameters() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(&["createdAt", "score", "firstName", "lastName", "modifiedAt"]),
        proptest::sample::select(&["asc", "desc"]),
        1u32..3,
        proptest::option::of(proptest::sample::select(&["85", "2"])),
        proptest::option::of(proptest::sample::select(&["John", "kelvin", "Smith"])),
    )
        .prop_map(|(field, order, page, mailbox, first)| {
            let mut out = format!("&sortField={field}&sortOrder={order}&page={page}");
            if let Some(mailbox) = mailbox {
                out.push_str(&format!("&mailbox={mailbox}"));
            }
            if let Some(first) = first {
                out.push_str(&format!("&firstName={first}"));
            }
            out
        })
}

/// The whole answer, as the CLI would print it (or the error).
fn answer(
    path: &std::path::Path,
    request: &ListCustomers,
    options: StreamOptions,
    prefiltering: Prefiltering,
) -> String {
    let now = "2024-06-15T12:00:00Z".parse().unwrap();
    match list_ndjson_file_with(path, request, now, options, prefiltering) {
        Ok(page) => page.to_hal_json(request, None),
        Err(e) => format!("error: {e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn prefiltered_answers_equal_unfiltered_ones(
        lines in proptest::collection::vec(line(), 0..60),
        crlf in any::<bool>(),
        query in query(),
        parameters in parameters(),
        threads in 1usize..3,
        block_size in 16usize..600,
    ) {
        let query_string = format!("query={}{parameters}", query.replace('&', "%26"));
        let Ok(parsed) = ListCustomers::from_query_string(&query_string) else {
            return Ok(());
        };
        let dir = std::env::temp_dir().join(format!(
            "hsq-prefilter-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.ndjson");
        let newline = if crlf { "\r\n" } else { "\n" };
        std::fs::write(&path, file_bytes(&lines, newline)).unwrap();
        let options = StreamOptions { threads, block_size, ..StreamOptions::default() };
        let with = answer(&path, &parsed.request, options, Prefiltering::On);
        let without = answer(&path, &parsed.request, options, Prefiltering::Off);
        std::fs::remove_dir_all(&dir).unwrap();
        prop_assert_eq!(with, without, "{}", query_string);
    }
}

/// The generated requests do use the prefilter (most of them), and the
/// generated records do hit it: the property above is not vacuous. Only
/// the text fields count: a word elsewhere does not make a candidate.
#[test]
fn the_prefilter_is_exercised() {
    use crate::customers::filter::Filter;
    use crate::customers::prefilter::{Prefilter, Scratch};
    use crate::customers::scan::shapes::Shapes;
    let parsed = ListCustomers::from_query_string("query=john AND email:example.com").unwrap();
    let filter = Filter::new(&parsed.request, jiff::Timestamp::UNIX_EPOCH).unwrap();
    let prefilter = Prefilter::new(&filter.required_literals()).unwrap();
    let (mut shapes, mut scratch) = (Shapes::default(), Scratch::default());
    let mut candidate = |record: &str| {
        assert!(shapes.vouch(record.as_bytes()).is_some(), "{record}");
        prefilter.holds(record.as_bytes(), shapes.texts(), &mut scratch)
    };
    assert!(!candidate(
        r#"{"firstName":"John","background":"example.com","_embedded":{"emails":[{"value":"jane@example.org"}]}}"#
    ));
    assert!(!candidate(
        r#"{"firstName":"Jane","_embedded":{"emails":[{"value":"jane@example.com"}]}}"#
    ));
    assert!(candidate(
        r#"{"firstName":"John","_embedded":{"emails":[{"value":"x@EXAMPLE.com"}]}}"#
    ));
    assert!(candidate(
        r#"{"lastName":"johnson","_embedded":{"emails":[{"value":"x@EXAMPLE.com"}]}}"#
    ));
    assert!(shapes.vouch(MALFORMED[0].as_bytes()).is_none());
}

/// Line numbers and positions stay right across pieces of 64 bytes (the
/// unit tests' piece size) and blocks, blank lines and CRLF included: the
/// error names the malformed line, and the page's records are read back
/// (which checks each rank's position).
#[test]
fn pieces_keep_line_numbers_and_positions() {
    let dir = std::env::temp_dir().join(format!("hsq-prefilter-lines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.ndjson");
    let mut text = String::new();
    for i in 1..=60 {
        match i {
            _ if i % 7 == 0 => text.push_str("\r\n"),
            _ if i % 11 == 0 => text.push_str("   \n"),
            _ => text.push_str(&format!("{{\"id\":{i},\"lastName\":\"Smith {i}\"}}\n")),
        }
    }
    let with_error = text.replacen("{\"id\":37,", "{\"id\":[37],", 1);
    for block_size in [16, 50, 100, 333, 4096] {
        for threads in [1, 2] {
            let options = StreamOptions {
                threads,
                block_size,
                ..StreamOptions::default()
            };
            let request = ListCustomers::from_query_string("query=smith&sortField=createdAt")
                .unwrap()
                .request;
            std::fs::write(&path, &text).unwrap();
            for prefiltering in [Prefiltering::On, Prefiltering::Off] {
                let page = answer(&path, &request, options, prefiltering);
                assert!(page.contains("\"totalElements\": 47"), "{page}");
            }
            std::fs::write(&path, &with_error).unwrap();
            for prefiltering in [Prefiltering::On, Prefiltering::Off] {
                let error = answer(&path, &request, options, prefiltering);
                assert!(
                    error.starts_with("error: line 37: "),
                    "{block_size} {threads}: {error}"
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
