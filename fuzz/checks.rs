//! The properties the fuzz targets check, written once: the targets and the
//! root crate's `tests/fuzz_corpus.rs` include this file by path.
//!
//! Both hold for every input, valid or not (SPEC §3):
//! - [`strict`]: `parse` never panics, and whatever it accepts renders to a
//!   canonical form that parses back to the tree's Lucene-safe form (the
//!   tree itself when it is safe) and renders to itself;
//! - [`lenient`]: `parse_lenient` never panics, and the query it returns, if
//!   any, renders to a canonical form that `parse` accepts, with the safe
//!   form of that tree.

use helpscout_query::{Operator, ParseOptions, Query, parse_lenient_with, parse_with};

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
