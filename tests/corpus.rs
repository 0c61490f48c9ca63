//! Help Scout's documented examples (tests/corpus, copied from shared/corpus).

mod common;

use common::{corpus, verified};

#[test]
fn every_canonical_case_renders_and_round_trips() {
    let cases = corpus("canonical.tsv");
    assert!(cases.len() >= 40, "the corpus lost cases: {}", cases.len());
    for (line, fields) in cases {
        let [input, canonical] = fields.as_slice() else {
            panic!("canonical.tsv:{line}: expected INPUT<TAB>CANONICAL, got {fields:?}");
        };
        verified(input, canonical);
    }
}

#[test]
fn every_invalid_case_fails_at_its_offset() {
    let cases = corpus("invalid.tsv");
    assert!(cases.len() >= 12, "the corpus lost cases: {}", cases.len());
    for (line, fields) in cases {
        let [input, offset, about] = fields.as_slice() else {
            panic!("invalid.tsv:{line}: expected INPUT<TAB>OFFSET<TAB>ABOUT, got {fields:?}");
        };
        let offset: usize = offset.parse().expect("offset is a number");
        let errors = match helpscout_query::parse(input) {
            Ok(parsed) => panic!("invalid.tsv:{line}: {input:?} parsed as {}", parsed.query),
            Err(errors) => errors,
        };
        assert_eq!(
            errors[0].span.start, offset,
            "invalid.tsv:{line}: {input:?} ({about}): primary error {:?}",
            errors[0]
        );
    }
}

/// Canonical forms pinned beyond the shared corpus: decisions of grammar.md.
#[test]
fn more_canonical_forms() {
    let cases = [
        (r#"email:("a@x.com")"#, r#"(email:("a@x.com"))"#),
        ("+tag:x tag:y", "(tag:x AND tag:y)"),
        ("!tag:x", "(NOT tag:x)"),
        (r"firstName:\AND", r"(firstName:\AND)"),
        (r"tag:\2014-01", r"(tag:\2014-01)"),
        ("modifiedAt:{* TO 2014]", "(modifiedAt:{* TO 2014])"),
        (
            "createdAt:[2013-11-20T00:00:00.500Z TO *]",
            "(createdAt:[2013-11-20T00:00:00.5Z TO *])",
        ),
        ("NOT NOT a", "(a)"),
        ("NOT NOT NOT a", "(NOT a)"),
        ("a OR NOT b", "(a OR (*:* AND NOT b))"),
        ("NOT a OR b", "((*:* AND NOT a) OR b)"),
        ("NOT a AND NOT b", "(NOT a AND NOT b)"),
        ("c OR (NOT a AND NOT b)", "(c OR (*:* AND NOT a AND NOT b))"),
        ("NOT (NOT a AND NOT b)", "(NOT (*:* AND NOT a AND NOT b))"),
        ("c AND NOT NOT (a AND b)", "(c AND a AND b)"),
        (r#"email:(NOT "x.com")"#, r#"(email:(*:* AND NOT "x.com"))"#),
        (r#"email:(a OR NOT b)"#, r#"(email:(a OR (*:* AND NOT b)))"#),
        (
            "modifiedAt:2013-11-20T00:00:00Z",
            r#"(modifiedAt:"2013-11-20T00:00:00Z")"#,
        ),
        ("createdAt:NOW/DAY", r#"(createdAt:"NOW/DAY")"#),
        ("createdAt:NOW-1DAY", "(createdAt:NOW-1DAY)"),
        (
            "createdAt:[2013-11-20T00:00:00Z TO NOW/DAY]",
            "(createdAt:[2013-11-20T00:00:00Z TO NOW/DAY])",
        ),
        ("*:*", "(*:*)"),
        ("*:* AND NOT a", "(*:* AND NOT a)"),
        ("a OR b c", "(a OR (b AND c))"),
    ];
    for (input, canonical) in cases {
        verified(input, canonical);
    }
}
