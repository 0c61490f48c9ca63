//! What hsq sends is Lucene-safe (SPEC §3, grammar.md "Canonical form"): the
//! five forms Lucene reads otherwise, each warned about, each repaired by
//! `hsq fmt --fix`; the builder and the request URL write the safe form; and
//! the one rule of evaluation that follows Lucene (a value with no words is
//! ignored). `tests/lucene.rs` checks the same against real Lucene.

use std::process::Command;

use helpscout_query::build::customer;
use helpscout_query::customers::ListCustomers;
use helpscout_query::eval::tokens;
use helpscout_query::schema::has_words;
use helpscout_query::{ParseOptions, parse, parse_lenient, schema, validate, without_wordless};
use proptest::prelude::*;

/// `hsq fmt --fix INPUT`: its stdout (trimmed) and the codes it reports.
fn fmt_fix(input: &str) -> (String, Vec<String>) {
    let output = Command::new(env!("CARGO_BIN_EXE_hsq"))
        .args(["--format", "json", "fmt", "--fix", "--", input])
        .output()
        .expect("hsq runs");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let diagnostics: Vec<serde_json::Value> = serde_json::from_str(&stderr).unwrap_or_default();
    let codes = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect();
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    (stdout.trim_end().to_owned(), codes)
}

/// Each form Lucene reads otherwise: the code it raises, and what `hsq fmt
/// --fix` writes for it.
const REPAIRS: &[(&str, &str, &str)] = &[
    // 1. NOT inside OR.
    (
        "firstName:John OR (NOT lastName:Jones)",
        "not-in-or",
        "(firstName:John OR (*:* AND NOT lastName:Jones))",
    ),
    (
        "NOT firstName:John OR lastName:Jones",
        "not-in-or",
        "((*:* AND NOT firstName:John) OR lastName:Jones)",
    ),
    (
        "email:(\"a.com\" OR NOT \"b.com\")",
        "not-in-or",
        "(email:(\"a.com\" OR (*:* AND NOT \"b.com\")))",
    ),
    // 2. A group made only of negations, below the top.
    (
        "(NOT a AND NOT b) OR c",
        "negative-group",
        "((*:* AND NOT a AND NOT b) OR c)",
    ),
    ("a AND (NOT b)", "negative-group", "(a AND NOT b)"),
    (
        "firstName:John AND email:(NOT \"x.com\")",
        "negative-group",
        "(firstName:John AND email:(*:* AND NOT \"x.com\"))",
    ),
    ("NOT (NOT a)", "negative-group", "(a)"),
    // 3. A full timestamp outside a range.
    (
        "modifiedAt:2013-11-20T00:00:00Z",
        "bare-timestamp",
        "(modifiedAt:\"2013-11-20T00:00:00Z\")",
    ),
    (
        "createdAt:2013-11-20T05:00:00+05:00 OR firstName:x",
        "bare-timestamp",
        "(createdAt:\"2013-11-20T00:00:00Z\" OR firstName:x)",
    ),
    // 4. NOT NOT.
    ("NOT NOT firstName:John", "double-not", "(firstName:John)"),
    ("a AND NOT -b", "double-not", "(a AND b)"),
    ("NOT NOT NOT a", "double-not", "(NOT a)"),
    // 5. A value with no words.
    (
        "firstName:\"John\" AND lastName:\".\"",
        "no-words",
        "(firstName:\"John\")",
    ),
    (
        "firstName:John OR NOT email:\"@\"",
        "no-words",
        "(firstName:John)",
    ),
    (
        "email:(\"--\" OR \"x.com\")",
        "no-words",
        "(email:(\"x.com\"))",
    ),
];

#[test]
fn each_form_is_warned_about_and_repaired() {
    for &(input, code, repaired) in REPAIRS {
        let check = validate(input, schema::customers(), &ParseOptions::default());
        assert!(check.is_valid(), "{input:?}: {:?}", check.diagnostics);
        assert!(
            check.diagnostics.iter().any(|d| d.code == code),
            "{input:?} does not raise {code}: {:?}",
            check.diagnostics
        );
        let (stdout, codes) = fmt_fix(input);
        assert_eq!(stdout, repaired, "hsq fmt --fix {input:?}");
        assert!(codes.iter().any(|c| c == code), "{input:?}: {codes:?}");
        // The repair is clean: no Lucene warning left, and it is its own
        // canonical form.
        let again = validate(&stdout, schema::customers(), &ParseOptions::default());
        let left: Vec<_> = again.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(
            left.iter().all(|c| ![
                "not-in-or",
                "negative-group",
                "double-not",
                "bare-timestamp",
                "no-words"
            ]
            .contains(c)),
            "{stdout:?} still raises {left:?}"
        );
        assert_eq!(parse(&stdout).unwrap().query.to_string(), stdout);
    }
}

#[test]
fn a_query_of_values_with_no_words_has_no_repair() {
    let query = parse_lenient("lastName:\".\" OR NOT firstName:\"@\"")
        .query
        .unwrap();
    let (fixed, dropped) = without_wordless(&query);
    assert!(fixed.is_none());
    assert_eq!(dropped.len(), 2);
    let (stdout, codes) = fmt_fix("lastName:\".\"");
    assert_eq!(stdout, "");
    assert_eq!(codes, ["no-words"]);
}

/// hsq's evaluation ignores a value with no words, as Lucene does.
#[test]
fn values_with_no_words_are_ignored() {
    use helpscout_query::customers::Customer;
    use helpscout_query::eval::Matcher;
    let john = Customer::from_json(r#"{"id":1,"firstName":"John","lastName":"Jones"}"#).unwrap();
    let cases = [
        ("firstName:John AND lastName:\".\"", true),
        ("firstName:John AND NOT lastName:\".\"", true),
        ("firstName:Jane OR NOT lastName:\".\"", false),
        ("lastName:\".\"", false),
        ("NOT lastName:\".\"", false),
        ("email:(\"@\" OR \"--\")", false),
        ("*:*", true),
        ("*:* AND NOT lastName:\".\"", true),
    ];
    for (input, expected) in cases {
        let typed = validate(input, schema::customers(), &ParseOptions::default())
            .query
            .unwrap();
        let matcher = Matcher::compile(&typed, jiff::Timestamp::now()).unwrap();
        assert_eq!(matcher.matches(john.document()), expected, "{input}");
    }
}

#[test]
fn the_builder_writes_the_safe_form() {
    let query = customer::first_name()
        .is("John")
        .or(customer::last_name().is("Jones").not())
        .build()
        .unwrap();
    assert_eq!(
        query.to_string(),
        r#"(firstName:"John" OR (*:* AND NOT lastName:"Jones"))"#
    );
    assert_eq!(parse(&query.to_string()).unwrap().query, query);
    let double = customer::first_name().is("x").not().not().build().unwrap();
    assert_eq!(double.to_string(), r#"(firstName:"x")"#);
    assert_eq!(parse(&double.to_string()).unwrap().query, double);
}

#[test]
fn the_request_url_sends_the_safe_form() {
    let parsed = ListCustomers::from_query_string(
        "query=firstName:John OR NOT lastName:Jones OR NOT NOT email:\".\"",
    )
    .unwrap();
    assert_eq!(
        parsed.request.to_url(None),
        "https://api.helpscout.net/v2/customers?query=%28firstName%3AJohn%20OR%20%28%2A%3A%2A%20AND%20NOT%20lastName%3AJones%29%29"
    );
    let nothing = ListCustomers::from_query_string("query=email:(NOT \"@\")").unwrap();
    assert!(
        nothing
            .request
            .to_url(None)
            .ends_with("query=%28NOT%20%2A%3A%2A%29")
    );
}

proptest! {
    /// The schema's `has_words` (upstream of the evaluator) agrees with the
    /// evaluator's analyser.
    #[test]
    fn has_words_agrees_with_the_analyser(text in "[ -~\\u{a0}-\\u{3000}]{0,12}") {
        prop_assert_eq!(has_words(&text), !tokens(&text).is_empty(), "{:?}", text);
    }
}
