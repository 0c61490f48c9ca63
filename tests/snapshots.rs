//! What users read: the rendered diagnostics of every invalid corpus case and
//! of the warnings, the `explain` tree, and the JSON form of the tree.
//!
//! Snapshots live in `tests/snapshots/`. After a deliberate change, review the
//! new text with `INSTA_UPDATE=always cargo test --test snapshots` and
//! `git diff tests/snapshots`.

mod common;

use std::fmt::Write;

use common::corpus;
use helpscout_query::{Diagnostic, Operator, ParseOptions, parse, parse_with};

/// Every diagnostic of `input`, rendered rustc-style, errors first.
fn rendered(input: &str, options: &ParseOptions) -> String {
    let diagnostics = match parse_with(input, options) {
        Ok(parsed) => parsed.warnings.iter().map(Diagnostic::from).collect(),
        Err(errors) => errors.diagnostics(),
    };
    diagnostics.iter().map(|d| d.render(input)).collect()
}

/// One section per case, with a header naming it and its input.
fn section(out: &mut String, title: &str, input: &str, body: &str) {
    let _ = writeln!(out, "=== {title}: {input:?}");
    out.push_str(body);
    out.push('\n');
}

#[test]
fn invalid_corpus_diagnostics() {
    let mut out = String::new();
    for (line, fields) in corpus("invalid.tsv") {
        let input = &fields[0];
        section(
            &mut out,
            &format!("invalid.tsv:{line}"),
            input,
            &rendered(input, &ParseOptions::default()),
        );
    }
    insta::assert_snapshot!("invalid_corpus", out);
}

#[test]
fn more_error_diagnostics() {
    // Errors the corpus does not show, including several at once and
    // positions past non-ASCII text (columns count characters).
    let mut out = String::new();
    for input in [
        "(a AND",
        "tag:x AND (tag:y OR",
        "fistName:John AND lastName=Smith",
        "modifiedAt:[2013-11-20 TO 2014-02-30]",
        "modifiedAt:2013-11-20T25:00:00Z",
        "email:(a OR firstName:b)",
        "firstName:\"Jöhn\" AND 日本:x",
        "firstName:John~2 OR lastName:Smith^",
        "firstName:/jo(hn/ OR lastName:/~smith/",
        "tag:x\n  AND (tag:y",
        "-",
        "NOT (tag:x",
    ] {
        section(
            &mut out,
            "error",
            input,
            &rendered(input, &ParseOptions::default()),
        );
    }
    insta::assert_snapshot!("more_errors", out);
}

#[test]
fn warning_diagnostics() {
    let or = ParseOptions {
        default_operator: Operator::Or,
        ..ParseOptions::default()
    };
    let mut out = String::new();
    for (title, input, options) in [
        ("implicit operator", "a b", ParseOptions::default()),
        ("implicit operator, as OR", "tag:a tag:b", or),
        ("mixed AND/OR", "a AND b OR c", ParseOptions::default()),
        (
            "lower-case operator",
            "firstName:a and lastName:b",
            ParseOptions::default(),
        ),
        (
            "wildcard in a phrase",
            "firstName:\"Jo*\"",
            ParseOptions::default(),
        ),
        ("minus prefix", "-tag:x", ParseOptions::default()),
        ("plus with the implicit OR", "+tag:x tag:y", or),
        (
            "fractional seconds",
            "modifiedAt:[2013-11-20T00:00:00.250Z TO *]",
            ParseOptions::default(),
        ),
        (
            "non-Z offset",
            "modifiedAt:[2013-11-20T05:00:00+05:00 TO *]",
            ParseOptions::default(),
        ),
        ("single quotes", "firstName:'John'", ParseOptions::default()),
        (
            "NOT inside OR",
            "firstName:John OR NOT lastName:Jones",
            ParseOptions::default(),
        ),
        (
            "negative group below the top",
            "firstName:John AND (NOT lastName:Jones) AND email:(NOT \"x.com\")",
            ParseOptions::default(),
        ),
        (
            "double NOT",
            "NOT NOT firstName:John",
            ParseOptions::default(),
        ),
        (
            "bare timestamp",
            "modifiedAt:2013-11-20T00:00:00Z",
            ParseOptions::default(),
        ),
    ] {
        assert!(parse_with(input, &options).is_ok(), "{input:?} must parse");
        section(&mut out, title, input, &rendered(input, &options));
    }
    insta::assert_snapshot!("warnings", out);
}

const TREES: &[&str] = &[
    "(email:(\"john@appleseed.com\" OR \"johnappleseed@gmail.com\"))",
    "createdAt:[2013-01-01T00:00:00Z/YEAR TO NOW-1DAY/DAY} AND modifiedAt:2000-11",
    "NOT firstName:Jo*n? AND -lastName:\"Smith\"",
    "tag:x tag:y OR (a AND b)",
    "*:* AND NOT tag:x OR email:(*:* AND NOT y)",
];

#[test]
fn explain_trees() {
    let mut out = String::new();
    for input in TREES {
        let query = parse(input).unwrap().query;
        let body = format!(
            "{}\n{}",
            query,
            helpscout_query::syntax::print::tree(&query)
        );
        section(&mut out, "tree", input, &body);
    }
    insta::assert_snapshot!("trees", out);
}

#[test]
fn json_trees() {
    for (name, input) in ["field_group", "range_with_date_math", "not_wildcard"]
        .into_iter()
        .zip(TREES)
    {
        let query = parse(input).unwrap().query;
        insta::assert_json_snapshot!(format!("json_{name}"), query);
    }
}

/// Schema diagnostics (customers, or conversations where marked), rendered.
#[test]
fn schema_diagnostics() {
    use helpscout_query::{schema, validate};
    let cases = [
        ("customers", "fistName:John"),
        ("customers", "firstname:John OR emial:x"),
        ("customers", "modifiedAt:yesterday"),
        ("customers", "modifiedSince:\"2013-13-01\""),
        ("customers", "modifiedSince:[2014 TO *]"),
        ("customers", "createdAt:2014-01 AND emailDomain:example.com"),
        ("conversations", "number:abc OR attachments:yes"),
        (
            "customers",
            "firstName:John AND lastName:\".\" AND NOT email:(\"@\" OR x)",
        ),
    ];
    let mut out = String::new();
    for (name, input) in cases {
        let schema = schema::Schema::named(name).unwrap();
        let check = validate(input, schema, &ParseOptions::default());
        let body: String = check.diagnostics.iter().map(|d| d.render(input)).collect();
        section(&mut out, name, input, &body);
    }
    insta::assert_snapshot!("schema", out);
}

/// Request errors as the Help Scout error body, and as diagnostics.
#[test]
fn request_diagnostics() {
    use helpscout_query::customers::ListCustomers;
    use helpscout_query::customers::error_body::ErrorBody;
    let raw = "page=0&pages=2&sortField=name&sortOrder=up&modifiedSince=2013-11-20&query=(firstName%3D%22John%22";
    let errors = ListCustomers::from_query_string(raw).unwrap_err();
    let mut out = ErrorBody::new(&errors, raw).to_json();
    out.push('\n');
    for error in &errors.errors {
        out.push_str(&error.diagnostic().render(error.value()));
    }
    insta::assert_snapshot!("request", out);
}
