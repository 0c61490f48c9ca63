//! Memory of the request side, counted, not timed (issue 9): doubling a
//! hostile request at most about doubles the bytes allocated, for parsing
//! (many warnings, many errors, many bad parameters), the error body and
//! the diagnostics report; where a cap applies, the output is bounded
//! whatever the input.

mod counting;

use counting::{Cost, assert_scales, measure};
use helpscout_query::customers::{ErrorBody, ListCustomers, RequestErrors, error_body};
use helpscout_query::diagnostic::Report;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// The most a doubled input may multiply the bytes by.
const RATIO: f64 = 2.5;

/// A query of `n` bare terms: `n - 1` implicit-operator warnings.
fn many_warnings(n: usize) -> String {
    format!("query={}", "a ".repeat(n))
}

/// A query of `n` unmatched `)`: `n` errors.
fn many_errors(n: usize) -> String {
    format!("query={}", ")".repeat(n))
}

/// `n` parameters List Customers does not take: `n` errors.
fn many_bad_parameters(n: usize) -> String {
    (0..n)
        .map(|i| format!("x{i}=v"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `n` bad `page`s, each a bad escape or a bad number.
fn many_bad_values(n: usize) -> String {
    (0..n)
        .map(|i| if i % 2 == 0 { "page=%zz" } else { "page=0" })
        .collect::<Vec<_>>()
        .join("&")
}

/// `n` form-encoded `+` spaces that look like `+` prefixes.
fn many_plus_spaces(n: usize) -> String {
    format!("query={}", "+a".repeat(n))
}

fn rejected(input: &str) -> RequestErrors {
    match ListCustomers::from_query_string(input) {
        Ok(_) => panic!("{} bytes accepted", input.len()),
        Err(errors) => errors,
    }
}

/// The report `hsq` writes for an invalid request.
fn report(errors: &RequestErrors) -> Report<'_> {
    let mut report = Report::new();
    for e in &errors.errors {
        report.extend([e.diagnostic()], e.value(), Some(e.parameter.as_str()));
    }
    for w in &errors.warnings {
        report.extend([w.diagnostic.clone()], &w.value, Some(w.parameter.as_str()));
    }
    report
}

/// The cost of `f` on the input of size `n` and of size `2n`.
fn doubled(n: usize, input: fn(usize) -> String, f: impl Fn(&str)) -> (Cost, Cost) {
    let (small, large) = (input(n), input(2 * n));
    // Warm up: lazily built tables (the schema) are not the input's cost.
    f(&small);
    (measure(|| f(&small)), measure(|| f(&large)))
}

/// A hostile input: its name, how to make it of size `n`, and `n`.
type Case = (&'static str, fn(usize) -> String, usize);

// One test function: the counts are per thread, and one thread keeps the
// numbers printed in a stable order.
#[test]
fn doubling_a_hostile_request_at_most_doubles_the_bytes() {
    let parse = |input: &str| {
        let _ = ListCustomers::from_query_string(input);
    };
    let cases: [Case; 5] = [
        ("many warnings", many_warnings, 16_000),
        ("many errors", many_errors, 32_000),
        ("many bad parameters", many_bad_parameters, 20_000),
        ("many bad values", many_bad_values, 20_000),
        ("many plus spaces", many_plus_spaces, 16_000),
    ];
    for (what, input, n) in cases {
        let (small, large) = doubled(n, input, parse);
        eprintln!("parse, {what}: {small:?} -> {large:?}");
        assert_scales(&format!("parsing, {what}"), small, large, RATIO);
        // O(input): a bounded number of bytes per input byte (a warning is
        // a few hundred bytes, and a query can have one every two bytes).
        let per_byte = large.peak / input(2 * n).len() as u64;
        assert!(
            per_byte < 1_000,
            "parsing, {what}: {per_byte} bytes per input byte"
        );
    }

    for (what, input, n) in cases {
        let body = |input: &str| {
            let errors = match ListCustomers::from_query_string(input) {
                Ok(_) => return,
                Err(errors) => errors,
            };
            let json = ErrorBody::new(&errors, input).to_json();
            assert!(!json.is_empty());
        };
        let (small, large) = doubled(n, input, body);
        eprintln!("error body, {what}: {small:?} -> {large:?}");
        assert_scales(&format!("the error body, {what}"), small, large, RATIO);

        let rendered = |input: &str| {
            let errors = match ListCustomers::from_query_string(input) {
                Ok(parsed) => RequestErrors {
                    errors: Vec::new(),
                    warnings: parsed.warnings,
                },
                Err(errors) => errors,
            };
            let report = report(&errors);
            let (text, json) = (report.render(), report.to_json());
            assert!(!text.is_empty() && !json.is_empty());
        };
        let (small, large) = doubled(n, input, rendered);
        eprintln!("report, {what}: {small:?} -> {large:?}");
        assert_scales(&format!("the report, {what}"), small, large, RATIO);
    }
}

/// The 4 GB error body: 65,000 errors give a body of at most 101
/// entries, a few MB however long the query (each entry repeats the
/// rejected value, Help Scout's shape: at most about 101 x 64 KiB), and a
/// report of at most 101 short diagnostics.
#[test]
fn the_error_body_and_the_report_are_capped() {
    // A query's 65,000 errors may be grouped (one diagnostic counting its
    // places); the body stays bounded either way.
    let query = many_errors(65_000);
    let errors = rejected(&query);
    let body = ErrorBody::new(&errors, &query);
    assert!(body.embedded.errors.len() <= error_body::MAX_ENTRIES + 1);
    let json = body.to_json();
    assert!(json.len() < 8 << 20, "{} bytes of error body", json.len());
    // A request's bad parameters are each their own error.
    for input in [many_bad_parameters(65_000), many_bad_values(65_000)] {
        let errors = rejected(&input);
        assert!(
            errors.errors.len() > 1_000,
            "{} errors",
            errors.errors.len()
        );
        let body = ErrorBody::new(&errors, &input);
        assert_eq!(body.embedded.errors.len(), error_body::MAX_ENTRIES + 1);
        let last = &body.embedded.errors[error_body::MAX_ENTRIES];
        let left_out = errors.errors.len() - error_body::MAX_ENTRIES;
        assert!(
            last.message.contains(&format!("{left_out} more")),
            "{}",
            last.message
        );
        let json = body.to_json();
        assert!(json.len() < 1 << 20, "{} bytes of error body", json.len());
        let report = report(&errors);
        let text = report.render();
        let json = report.to_json();
        assert!(text.len() < 100 << 10, "{} bytes of report", text.len());
        assert!(json.len() < 64 << 10, "{} bytes of JSON report", json.len());
        assert!(text.contains(&format!(
            "and {} more diagnostics not shown",
            errors.errors.len() + errors.warnings.len() - Report::MAX
        )));
    }
}
