//! Helpers shared by the integration tests.
#![allow(dead_code)]

use helpscout_query::{Query, parse};

/// Parses `input`, checks it renders as `canonical`, and that the canonical
/// form parses back to the same tree and renders to itself (sqlparser's
/// `verified_stmt`). Returns the tree.
pub fn verified(input: &str, canonical: &str) -> Query {
    let parsed = parse(input).unwrap_or_else(|e| panic!("{input:?} failed to parse: {e}"));
    let rendered = parsed.query.to_string();
    assert_eq!(rendered, canonical, "canonical form of {input:?}");
    let again = parse(&rendered)
        .unwrap_or_else(|e| panic!("canonical {rendered:?} failed to parse: {e}"))
        .query;
    // The canonical form is Lucene-safe: it parses back to the safe form of
    // the tree, which is the tree itself when it was safe already.
    assert_eq!(
        again,
        parsed.query.lucene_safe(),
        "canonical {rendered:?} parses to another tree"
    );
    assert_eq!(again.to_string(), rendered, "rendering is not idempotent");
    parsed.query
}

/// The non-comment lines of a corpus file, split at tabs.
pub fn corpus(name: &str) -> Vec<(usize, Vec<String>)> {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#'))
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| (i + 1, line.split('\t').map(str::to_owned).collect()))
        .collect()
}

/// Percent-encodes every byte outside RFC 3986's unreserved characters, as
/// a request's values are sent.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The in-memory answer of `request` over `customers`.
pub fn list<'a>(
    request: &helpscout_query::customers::ListCustomers,
    customers: &'a [helpscout_query::customers::Customer],
    now: jiff::Timestamp,
) -> Result<helpscout_query::customers::Page<'a>, helpscout_query::customers::RequestErrors> {
    use helpscout_query::customers::{AnswerError, Source, answer};
    match answer(request, &Source::Records(customers), now) {
        Ok(page) => Ok(page),
        Err(AnswerError::Request(errors)) => Err(errors),
        Err(other) => panic!("records in memory failed: {other}"),
    }
}
