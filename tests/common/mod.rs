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
