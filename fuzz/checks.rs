//! The properties the fuzz targets check, written once: the targets and the
//! root crate's `tests/fuzz_corpus.rs` include this file by path.
//!
//! Each holds for every input, valid or not (SPEC §3, §6):
//! - [`strict`]: `parse` never panics, and whatever it accepts renders to a
//!   canonical form that parses back to the tree's Lucene-safe form (the
//!   tree itself when it is safe) and renders to itself;
//! - [`lenient`]: `parse_lenient` never panics, and the query it returns, if
//!   any, renders to a canonical form that `parse` accepts, with the safe
//!   form of that tree;
//! - [`request`]: `ListCustomers::from_query_string` never panics; what it
//!   accepts round-trips through its canonical URL; what it rejects gives a
//!   bounded error body and report;
//! - [`load`]: loading and answering over text never panic, and records are
//!   byte-exact slices of the input.

use helpscout_query::customers::{
    self, AnswerError, ErrorBody, ListCustomers, RequestError, RequestWarning, Source,
    StreamOptions, error_body,
};
use helpscout_query::diagnostic::Report;
use helpscout_query::{Code, Operator, ParseOptions, Query, parse_lenient_with, parse_with};

/// The options every input is tried with: the defaults, and the implicit OR.
fn options() -> [ParseOptions; 2] {
    let defaults = ParseOptions::default();
    let or = ParseOptions {
        default_operator: Operator::Or,
        ..defaults
    };
    [defaults, or]
}

/// `query`'s canonical form parses, with `options`, to `query`, and renders to
/// itself. The length limit is lifted for it: spelling out operators and
/// parentheses can make the canonical form longer than the input.
fn assert_canonical(input: &str, query: &Query, options: &ParseOptions) {
    let canonical = query.to_string();
    let options = ParseOptions {
        max_length: usize::MAX,
        ..*options
    };
    let again = match parse_with(&canonical, &options) {
        Ok(parsed) => parsed.query,
        Err(errors) => panic!("{input:?} gives {canonical:?}, which does not parse: {errors}"),
    };
    // The canonical form is Lucene-safe: it parses to the tree's safe form.
    assert!(
        again == query.lucene_safe(),
        "{input:?} gives {canonical:?}, which parses to another tree: {again:?}"
    );
    assert_eq!(
        again.to_string(),
        canonical,
        "{input:?}: rendering is not idempotent"
    );
}

/// The strict parser's property.
pub fn strict(input: &str) {
    for options in options() {
        if let Ok(parsed) = parse_with(input, &options) {
            assert_canonical(input, &parsed.query, &options);
        }
    }
}

/// The lenient parser's property.
pub fn lenient(input: &str) {
    for options in options() {
        let lenient = parse_lenient_with(input, &options);
        match lenient.query {
            Some(query) => assert_canonical(input, &query, &options),
            None => assert!(
                !lenient.errors.is_empty(),
                "{input:?}: no query and no error"
            ),
        }
    }
}

/// The request property (`request` target): [`ListCustomers::from_query_string`]
/// never panics; a request it accepts renders to a URL whose query string
/// parses back to an equal request (and renders to the same URL); for one it
/// rejects, the error body always serialises and lists at most
/// [`MAX_ENTRIES`](error_body::MAX_ENTRIES) errors and one entry counting
/// the rest, and the diagnostics report (as `hsq` writes it) is bounded too.
pub fn request(input: &str) {
    match ListCustomers::from_query_string(input) {
        Ok(parsed) => {
            let url = parsed.request.to_url(None);
            let query_string = url.split_once('?').map_or("", |(_, q)| q);
            match ListCustomers::from_query_string(query_string) {
                Ok(again) => {
                    assert!(
                        again.request == parsed.request,
                        "{input:?} gives {url:?}, which parses to another request"
                    );
                    assert_eq!(
                        again.request.to_url(None),
                        url,
                        "{input:?}: the URL is not canonical"
                    );
                }
                // Spelling out operators and parentheses can make the
                // canonical query longer than the length limit.
                Err(errors) => assert!(
                    errors.errors.iter().all(|e| e.kind.code() == Code::TooLong),
                    "{input:?} gives {url:?}, which is rejected: {errors}"
                ),
            }
            report_is_bounded(input, &[], &parsed.warnings);
        }
        Err(errors) => {
            assert!(
                !errors.errors.is_empty(),
                "{input:?}: rejected without an error"
            );
            let body = ErrorBody::new(&errors, input);
            let entries = body.embedded.errors.len();
            let found = errors.errors.len();
            let expected =
                found.min(error_body::MAX_ENTRIES) + usize::from(found > error_body::MAX_ENTRIES);
            assert_eq!(entries, expected, "{input:?}: entries for {found} errors");
            let json = body.to_json();
            let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| {
                panic!("{input:?}: the error body is not JSON ({e}): {json:?}")
            });
            let listed = value["_embedded"]["errors"].as_array().map(Vec::len);
            assert_eq!(listed, Some(entries), "{input:?}: {json}");
            report_is_bounded(input, &errors.errors, &errors.warnings);
        }
    }
}

/// The diagnostics `hsq url`/`hsq customers` write for a request: at most
/// [`Report::MAX`] and a count of the rest, rendered and as one JSON array.
fn report_is_bounded(input: &str, errors: &[RequestError], warnings: &[RequestWarning]) {
    let mut report = Report::new();
    for e in errors {
        report.extend([e.diagnostic()], e.value(), Some(e.parameter.as_str()));
    }
    for w in warnings {
        report.extend([w.diagnostic.clone()], &w.value, Some(w.parameter.as_str()));
    }
    let _ = report.render();
    let json = report.to_json();
    match serde_json::from_str(&json) {
        Ok(serde_json::Value::Array(items)) => assert!(
            items.len() <= Report::MAX + 1
                && items.len() == (errors.len() + warnings.len()).min(Report::MAX + 1),
            "{input:?}: {} diagnostics reported for {} errors and {} warnings",
            items.len(),
            errors.len(),
            warnings.len()
        ),
        other => panic!("{input:?}: the report is not one JSON array ({other:?}): {json:?}"),
    }
}

/// The requests every data input is answered with: the default order, each
/// sort, a query, a second page.
const REQUESTS: [&str; 7] = [
    "",
    "sortField=firstName&sortOrder=asc",
    "sortField=score&query=%28firstName%3AJ%2A%20OR%20email%3Aexample.com%29",
    "sortField=modifiedAt&modifiedSince=2020-01-01T00%3A00%3A00Z",
    "page=2&sortField=lastName",
    // Words every match holds: the file path prefilters its lines.
    "query=lastName%3Asmith",
    "query=firstName%3A%22john%22%20AND%20email%3Aexample.com&lastName=k",
];

/// The data property (`load` target): [`customers::load`] and
/// [`customers::answer`] over [`Source::Text`] never panic; every record
/// loaded is a byte-exact slice of the input, in the input's order; and
/// `answer` fails exactly when `load` does, or else returns loaded records
/// verbatim; and the same data in a file (streamed when NDJSON) gives the
/// same answer.
pub fn load(input: &str) {
    let loaded = customers::load(input);
    // `hsq db load` reads the same text with a streaming reader of its
    // own: it must take the same inputs and read the same records.
    #[cfg(feature = "postgres")]
    {
        let streamed = helpscout_query::db::read_for_check(input.as_bytes());
        match (&streamed, &loaded) {
            (Ok(records), Ok((customers, _))) => {
                let read: Vec<&str> = customers.iter().map(|c| c.json()).collect();
                assert_eq!(records, &read, "{input:?}: the loader reads other records");
            }
            (Err(_), Err(_)) => {}
            (streamed, loaded) => panic!(
                "{input:?}: the loader says {:?}, the file path {:?}",
                streamed.as_ref().map(Vec::len),
                loaded.as_ref().map(|(c, _)| c.len())
            ),
        }
    }
    match &loaded {
        Ok((records, _format)) => {
            let mut from = 0;
            for record in records {
                let json = record.json();
                let Some(at) = input[from..].find(json) else {
                    panic!(
                        "{input:?}: record {json:?} is not a slice of the input after byte {from}"
                    )
                };
                from += at + json.len();
            }
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    // The same data in a file: NDJSON is streamed (in tiny blocks, by two
    // workers, so that lines cross blocks), the rest read whole.
    let path = std::env::temp_dir().join(format!(
        "hsq-fuzz-load-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let written = std::fs::write(&path, input).is_ok();
    let options = StreamOptions {
        threads: 2,
        block_size: 64,
        ..StreamOptions::default()
    };
    for params in REQUESTS {
        let Ok(parsed) = ListCustomers::from_query_string(params) else {
            panic!("{params:?} is a valid request")
        };
        let answered = customers::answer(&parsed.request, &Source::Text(input), now);
        match (&loaded, answered) {
            (Ok((records, _)), Ok(page)) => {
                assert!(page.customers.len() <= customers::PAGE_SIZE);
                assert!(page.total_elements <= records.len(), "{input:?} {params:?}");
                if params.is_empty() {
                    assert_eq!(page.total_elements, records.len(), "{input:?}");
                }
                for customer in &page.customers {
                    assert!(
                        records.iter().any(|r| r.json() == customer.json()),
                        "{input:?} {params:?}: {:?} was not loaded",
                        customer.json()
                    );
                }
                let _ = page.to_hal_json(&parsed.request, None);
            }
            (Err(_), Err(AnswerError::Data { .. })) => {}
            // A query over records without the fields it needs is a request
            // error; that is not about the data.
            (Ok(_), Err(AnswerError::Request(_))) => {}
            (loaded, answered) => panic!(
                "{input:?} {params:?}: load gives {:?} but answer gives {:?}",
                loaded.as_ref().map(|(r, f)| (r.len(), *f)),
                answered.map(|p| p.total_elements)
            ),
        }
        if written {
            let in_memory = customers::answer(&parsed.request, &Source::Text(input), now);
            let from_file = customers::answer(&parsed.request, &Source::File(&path, options), now);
            match (in_memory, from_file) {
                (Ok(memory), Ok(file)) => {
                    let records = |page: &customers::Page<'_>| -> Vec<String> {
                        page.customers.iter().map(|c| c.json().to_owned()).collect()
                    };
                    assert_eq!(
                        (memory.total_elements, records(&memory)),
                        (file.total_elements, records(&file)),
                        "{input:?} {params:?}: the file's answer differs"
                    );
                }
                (Err(_), Err(_)) => {}
                (memory, file) => panic!(
                    "{input:?} {params:?}: in memory {:?}, from a file {:?}",
                    memory.map(|p| p.total_elements),
                    file.map(|p| p.total_elements)
                ),
            }
        }
    }
    let _ = std::fs::remove_file(&path);
}
