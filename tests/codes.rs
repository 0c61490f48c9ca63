//! Every error and warning code of the syntax stage, one input a line: the
//! code of the first error (or warning) and where its span starts.

use helpscout_query::{Operator, ParseOptions, parse_with};

/// The options a line is parsed with.
#[derive(Clone, Copy)]
enum With {
    Defaults,
    MaxLength(usize),
    MaxDepth(usize),
    ImplicitOr,
}

impl With {
    fn options(self) -> ParseOptions {
        let defaults = ParseOptions::default();
        match self {
            With::Defaults => defaults,
            With::MaxLength(max_length) => ParseOptions {
                max_length,
                ..defaults
            },
            With::MaxDepth(max_depth) => ParseOptions {
                max_depth,
                ..defaults
            },
            With::ImplicitOr => ParseOptions {
                default_operator: Operator::Or,
                ..defaults
            },
        }
    }
}

use With::*;

#[rustfmt::skip]
const ERRORS: &[(&str, With, &str, usize)] = &[
    // input                                   options          code                    start
    ("",                                       Defaults,        "empty-query",          0),
    ("   ",                                    Defaults,        "empty-query",          0),
    ("firstName:John",                         MaxLength(9),    "too-long",             9),
    ("NOT NOT NOT tag:x",                      MaxDepth(2),     "too-deep",             8),
    ("tag:x OR (tag:y AND (tag:z OR tag:w))",  MaxDepth(1),     "too-deep",             20),
    ("(firstName:\"John\"",                    Defaults,        "unclosed-paren",       0),
    ("tag:x AND (tag:y",                       Defaults,        "unclosed-paren",       10),
    ("firstName:x)",                           Defaults,        "unexpected-paren",     11),
    ("firstName:\"John",                       Defaults,        "unterminated-quote",   10),
    ("firstName:\"\"",                         Defaults,        "empty-phrase",         10),
    ("firstName:",                             Defaults,        "expected-value",       10),
    ("firstName: AND x",                       Defaults,        "expected-value",       11),
    ("firstName:-x",                           Defaults,        "expected-value",       10),
    ("firstName:x AND",                        Defaults,        "expected-clause",      15),
    ("firstName:x AND OR y",                   Defaults,        "expected-clause",      16),
    ("NOT",                                    Defaults,        "expected-clause",      3),
    ("tag:x - tag:y",                          Defaults,        "expected-clause",      7),
    ("()",                                     Defaults,        "expected-clause",      1),
    ("AND firstName:x",                        Defaults,        "misplaced-operator",   0),
    ("|| firstName:x",                         Defaults,        "misplaced-operator",   0),
    ("mailbox=85",                             Defaults,        "equals-for-colon",     7),
    ("firstName = \"John\"",                   Defaults,        "equals-for-colon",     10),
    ("firstName:x ]",                          Defaults,        "unexpected-char",      12),
    (": x",                                    Defaults,        "unexpected-char",      0),
    ("[2013 TO *]",                            Defaults,        "range-needs-field",    0),
    ("modifiedAt:[2013 TO]",                   Defaults,        "expected-range-bound", 19),
    ("modifiedAt:[TO 2014]",                   Defaults,        "expected-range-bound", 12),
    ("modifiedAt:[2013 2014]",                 Defaults,        "expected-to",          17),
    ("modifiedAt:[2013 TO *",                  Defaults,        "unclosed-range",       11),
    ("modifiedAt:[201* TO *]",                 Defaults,        "wildcard-bound",       12),
    // A part between two `*`s, with a `?` inside, over 256 characters.
    ("x:*a?bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb*", Defaults, "wildcard-too-complex", 2),
    ("modifiedAt:2013-13",                     Defaults,        "invalid-date",         11),
    ("modifiedAt:2013-02-30",                  Defaults,        "invalid-date",         11),
    ("modifiedAt:2013-11-20T25:00:00Z",        Defaults,        "invalid-date",         11),
    ("modifiedAt:2013-11-20T00:00",            Defaults,        "invalid-date",         11),
    ("modifiedAt:NOW-1DAYS/FORTNIGHT",         Defaults,        "invalid-date",         20),
    ("email:(firstName:x)",                    Defaults,        "field-in-group",       7),
    ("\"a\":b",                                Defaults,        "invalid-field-name",   0),
    ("john@x.com:b",                           Defaults,        "invalid-field-name",   0),
    ("first\\ name:b",                         Defaults,        "invalid-field-name",   0),
    ("firstName:x\\",                          Defaults,        "dangling-escape",      11),
    ("! firstName:john",                       Defaults,        "expected-clause",      1),
    ("firstName:x AND ! y",                    Defaults,        "expected-clause",      17),
    ("firstName:\\u00",                        Defaults,        "invalid-unicode-escape", 10),
    ("firstName:\\u00 OR firstName:*\\u00",      Defaults,        "invalid-unicode-escape", 10),
    ("firstName:jo\\u00g0hn",                  Defaults,        "invalid-unicode-escape", 12),
    ("firstName:\"a\\u12\"",                   Defaults,        "invalid-unicode-escape", 12),
    ("firstName:\\ud800x",                     Defaults,        "invalid-unicode-escape", 10),
    ("firstName:\"John Smith\"~2",              Defaults,        "unsupported",          22),
    ("firstName:John~1.5",                     Defaults,        "unsupported",          14),
    ("firstName:John^2~1",                     Defaults,        "unsupported",          16),
    ("firstName:/jo.*/~2",                     Defaults,        "unsupported",          16),
    ("firstName:John^",                        Defaults,        "invalid-boost",        14),
    ("firstName:John^-1",                      Defaults,        "invalid-boost",        14),
    ("^2",                                     Defaults,        "invalid-boost",        0),
    ("firstName:a^2^3",                        Defaults,        "invalid-boost",        13),
    ("firstName:/jo",                          Defaults,        "invalid-regex",        10),
    ("firstName:/[b-a]/",                      Defaults,        "invalid-regex",        12),
    ("firstName:/a{/",                         Defaults,        "invalid-regex",        13),
    ("firstName:/jo|/",                        Defaults,        "invalid-regex",        14),
    ("firstName:/~jo/",                        Defaults,        "unsupported-regex",    11),
    ("firstName:/a&b/",                        Defaults,        "unsupported-regex",    12),
    ("firstName:/<name>/",                     Defaults,        "unsupported-regex",    11),
    ("firstName:/a{1000000}/",                 Defaults,        "unsupported-regex",    11),
    ("firstName:\"John Smith\"~3",             Defaults,        "unsupported",          22),
];

#[rustfmt::skip]
const WARNINGS: &[(&str, With, &str, usize)] = &[
    ("firstName:a lastName:b",                 Defaults,        "implicit-operator",    11),
    ("firstName:a lastName:b",                 ImplicitOr,      "implicit-operator",    11),
    ("a AND b OR c",                           Defaults,        "mixed-and-or",         8),
    ("a OR b && c",                            Defaults,        "mixed-and-or",         2),
    ("and",                                    Defaults,        "lowercase-operator",   0),
    ("Or",                                     Defaults,        "lowercase-operator",   0),
    ("firstName:\"Jo*\"",                      Defaults,        "wildcard-in-phrase",   13),
    ("firstName:\"J?hn*\"",                    Defaults,        "wildcard-in-phrase",   12),
    ("-firstName:x",                           Defaults,        "minus-prefix",         0),
    ("tag:a AND -tag:x",                       Defaults,        "minus-prefix",         10),
    ("+firstName:x",                           ImplicitOr,      "plus-with-or",         0),
    ("modifiedAt:[2013-11-20T00:00:00.5Z TO *]", Defaults,      "fractional-seconds",   31),
    ("modifiedAt:[2013-11-20T05:00:00+05:00 TO *]", Defaults,   "date-offset",          31),
    ("modifiedAt:{2013-11-20T05:00:00-00:30 TO *}", Defaults,   "date-offset",          31),
    ("firstName:John OR NOT lastName:Jones",   Defaults,        "not-in-or",            18),
    ("NOT firstName:John OR lastName:Jones",   Defaults,        "not-in-or",            0),
    ("a AND (NOT b)",                          Defaults,        "negative-group",       6),
    ("(NOT a AND NOT b) OR c",                 Defaults,        "negative-group",       0),
    ("tag:a AND email:(NOT x)",                Defaults,        "negative-group",       10),
    ("NOT NOT tag:x",                          Defaults,        "double-not",           0),
    ("tag:y AND !-tag:x",                      Defaults,        "double-not",           10),
    ("modifiedAt:2013-11-20T00:00:00Z",        Defaults,        "bare-timestamp",       11),
    ("firstName:*\\N",                         Defaults,        "wildcard-escape",      10),
    ("modifiedAt:[NOW-3day TO *]",             Defaults,        "lowercase-date-unit",  15),
    ("modifiedAt:[NOW/Day TO *]",              Defaults,        "lowercase-date-unit",  15),
    ("firstName:john!x",                       Defaults,        "operator-in-term",     14),
    ("firstName:john!",                        Defaults,        "operator-in-term",     14),
    ("firstName:a/b",                          Defaults,        "operator-in-term",     11),
    ("createdAt:NOW/DAY",                      Defaults,        "operator-in-term",     13),
    ("email:a@b.com/x*",                       Defaults,        "operator-in-term",     13),
    ("+-firstName:john",                       Defaults,        "stacked-prefixes",     0),
    ("NOT +firstName:john",                    Defaults,        "stacked-prefixes",     0),
    ("++firstName:john",                       Defaults,        "stacked-prefixes",     0),
    ("||Example.Com",                          Defaults,        "glued-operator",       0),
    ("firstName:&&x",                          Defaults,        "glued-operator",       10),
    ("firstName:john\u{a0}x",                   Defaults,        "unicode-space",        14),
    ("x\u{2003}",                                Defaults,        "unicode-space",        1),
    ("firstName:x\u{b}y",                        Defaults,        "unicode-space",        11),
    ("firstName:\\u004a?hn",                   Defaults,        "wildcard-escape",      10),
    ("firstName:J\\O*N*",                       Defaults,        "wildcard-escape",      10),
    ("firstName:'John'",                       Defaults,        "single-quotes",        10),
];

#[test]
fn every_error_code_is_raised_at_its_place() {
    for &(input, with, code, start) in ERRORS {
        let errors = match parse_with(input, &with.options()) {
            Ok(parsed) => panic!("{input:?} parsed as {}", parsed.query),
            Err(errors) => errors,
        };
        assert_eq!(
            (errors[0].kind.code().as_str(), errors[0].span.start),
            (code, start),
            "{input:?}: {}",
            errors[0]
        );
    }
}

#[test]
fn every_warning_code_is_raised_at_its_place() {
    for &(input, with, code, start) in WARNINGS {
        let parsed = parse_with(input, &with.options())
            .unwrap_or_else(|e| panic!("{input:?} does not parse: {e}"));
        let first = parsed
            .warnings
            .first()
            .unwrap_or_else(|| panic!("{input:?}: no warning"));
        assert_eq!(
            (first.kind.code().as_str(), first.span.start),
            (code, start),
            "{input:?}: {first}"
        );
    }
}

#[test]
fn clean_queries_raise_no_warning() {
    for input in [
        "(firstName:\"John\" AND lastName:\"Appleseed\")",
        "(email:(\"a@x.com\" OR \"b@x.com\"))",
        "modifiedAt:[2013-11-20T00:00:00Z TO NOW-1DAY/DAY]",
        "NOT tag:x",
        "+firstName:x",
        "firstName:Jo*",
        "firstName:John's",
        "\"and\"",
        "NOT a AND NOT b",
        "((NOT a AND NOT b))",
        "email:(NOT x)",
        "*:*",
        "a OR (*:* AND NOT b)",
        "email:(a OR (*:* AND NOT b))",
        "modifiedAt:\"2013-11-20T00:00:00Z\"",
        "modifiedAt:[2013-11-20T00:00:00Z TO *]",
    ] {
        let parsed = parse_with(input, &ParseOptions::default()).unwrap();
        assert!(
            parsed.warnings.is_empty(),
            "{input:?}: {:?}",
            parsed.warnings
        );
    }
}

/// The tables cover every code the syntax stage has.
#[test]
fn the_tables_cover_every_code() {
    let codes: Vec<&str> = helpscout_query::Code::ALL
        .iter()
        .filter(|c| c.stage() == helpscout_query::diagnostic::Stage::Syntax)
        // A note about a list, not about a place: grammar.md's example
        // raises it (tests/grammar_doc.rs).
        .filter(|c| **c != helpscout_query::Code::MoreDiagnostics)
        .map(|c| c.as_str())
        .collect();
    assert!(codes.len() >= 30, "{codes:?}");
    for code in codes {
        let tested = ERRORS.iter().chain(WARNINGS).any(|row| row.2 == code);
        assert!(tested, "{code} has no line in tests/codes.rs");
    }
}
