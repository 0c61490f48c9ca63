//! The lexical rules' fast paths change nothing: parsing with them
//! (`Lexing::Fast`, always) and without them (`Lexing::General`) gives the
//! same tree, spans included, and the same errors and warnings, on
//! generated queries: realistic ones (the generators of the reference
//! evaluator's property test) and hostile ones, made of the fragments
//! where a fast path hands over to its general rule (an escape, a
//! wildcard, `=` for `:`, `NOW`, an operator word, a date that is not
//! real, an offset, a non-ASCII space, a quote left open...).

#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::select;

use super::ParseOptions;
use super::date::utc_timestamp;
use super::grammar::Lexing;
use super::parser::parse_lexing;

#[path = "../../tests/support/generate.rs"]
mod generate;

/// Pieces that start, end or break a fast path.
const FRAGMENTS: &[&str] = &[
    "firstName",
    "email",
    "a",
    "_x",
    "x.y",
    "first9Name",
    "NOW",
    "NOWX",
    "AND",
    "OR",
    "NOT",
    "TO",
    "and",
    ":",
    "=",
    "::",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "\u{a0}",
    "é",
    "\"",
    "\"John\"",
    "\"user10.name@example10.com\"",
    "\"a long phrase with more than eight bytes\"",
    "\"jo\\\"hn\"",
    "\"jo*\"",
    "\"j?\"",
    "\"\"",
    "\\",
    "\\:",
    "\\u0041",
    "*",
    "?",
    "jo*",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "^2",
    "~",
    "!",
    "-",
    "+",
    "/",
    "&&",
    "||",
    "2013-11-20T00:00:00Z",
    "2013-11-20T00:00:00.5Z",
    "2013-11-20T00:00:00+02:00",
    "2013-02-30T00:00:00Z",
    "2013-13-01T00:00:00Z",
    "2013-11-20T24:00:00Z",
    "9999-12-31T23:59:59Z",
    "9998-12-31T23:59:59Z",
    "2012-02-29T12:00:00Z",
    "1900-02-29T12:00:00Z",
    "2000-02-29T12:00:00Z",
    "2001-02-29T12:00:00Z",
    "2013-04-31T00:00:00Z",
    "2013-12-31T23:59:60Z",
    "2013-12-31T23:60:00Z",
    "1969-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "2013-11-20T00:00:00Z/DAY",
    "2013-11-20T00:00:00Z+1DAY",
    "2013-11-20",
    "2013-11",
    "\"2013-11-20T00:00:00+02:00\"",
    " TO ",
    "*]",
];

/// A string of fragments, glued or spaced.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(select(FRAGMENTS), 0..14).prop_map(|parts| parts.concat())
}

/// Clause-shaped text: a would-be field name, a would-be separator and a
/// would-be value, a few times over, so that each fast path meets each
/// way out of it.
fn clauses() -> impl Strategy<Value = String> {
    let clause = (
        select(FRAGMENTS),
        select(&[":", " :", "=", "\u{3000}:", "", " ", ": "][..]),
        select(FRAGMENTS),
        select(&[" ", " OR ", " AND ", "", ")"][..]),
    )
        .prop_map(|(head, separator, value, join)| format!("{head}{separator}{value}{join}"));
    prop::collection::vec(clause, 1..5).prop_map(|parts| parts.concat())
}

/// Range-shaped text: brackets, bounds (full dates that are and are not
/// real or that carry more, `*`, other values) and the spaces and `TO`
/// between them, so that the range fast path meets each way out of it.
/// Each piece is most often the usual one, so that about one case in
/// six takes the fast path all the way.
fn ranges() -> impl Strategy<Value = String> {
    // The usual piece three times in four, else any of `others`.
    fn piece(
        usual: &'static [&'static str],
        others: &'static [&'static str],
    ) -> impl Strategy<Value = &'static str> + Clone {
        prop_oneof![3 => select(usual), 1 => select(others)]
    }
    let bound = piece(
        &["*", "2013-11-20T00:00:00Z", "1969-12-31T23:59:59Z"],
        &[
            "2013-02-30T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2013-11-20T00:00:00.5Z",
            "2013-11-20T00:00:00+02:00",
            "2013-11-20T00:00:00Z/DAY",
            "2013-11-20",
            "NOW",
            "\"x\"",
            "a",
            "a*",
            "*x",
            "TO",
            "",
        ],
    );
    let space = piece(&[" ", "  ", "\t", "\n"], &["", "\u{3000}", "\u{a0}"]);
    (
        piece(&["modifiedAt:", "modifiedAt: "], &["", "email:(", "-x:"]),
        piece(&["[", "{"], &[""]),
        piece(&["", " "], &["\t", "\u{3000}"]),
        bound.clone(),
        space.clone(),
        piece(&["TO"], &["to", "TO*", "TO\"", ""]),
        space.clone(),
        bound,
        piece(&["", " "], &["\n", "\u{3000}", "\u{a0}"]),
        piece(&["]", "}"], &["", ")", "]^2", "} OR x", "]]"]),
    )
        .prop_map(|(a, b, c, d, e, f, g, h, i, j)| [a, b, c, d, e, f, g, h, i, j].concat())
}

/// Everything a parse returns, spans included (the tree's equality
/// ignores spans; its debug form does not).
fn outcome(input: &str, lexing: Lexing) -> String {
    let outcome = parse_lexing(input, &ParseOptions::default(), lexing);
    format!("{outcome:#?}")
}

fn same(input: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        outcome(input, Lexing::Fast),
        outcome(input, Lexing::General),
        "input: {:?}",
        input
    );
    Ok(())
}

#[test]
fn the_benchmark_queries_and_the_edges_read_the_same() {
    for input in [
        r#"firstName:"John""#,
        r#"modifiedAt:[2013-11-20T00:00:00Z TO *]"#,
        r#"createdAt:[2013-01-01T00:00:00Z TO 2013-12-31T23:59:59Z] AND NOT email:"spam.com""#,
        r#"email:("user10.name@example10.com" OR "johnappleseed@gmail.com")"#,
        "NOW :x",
        "NOW:x",
        "AND:x",
        "firstName =x",
        "firstName\u{3000}:x",
        "firstName\u{a0}:x",
        "email:(firstName:x)",
        "9999-12-31T23:59:59Z",
        "modifiedAt:2013-02-30T00:00:00Z",
        "modifiedAt:[0000-01-01T00:00:00Z TO 9998-12-31T23:59:59Z]",
        "modifiedAt:[1900-02-28T23:59:59Z TO 2000-02-29T00:00:00Z}",
        "modifiedAt:[1970-01-01T00:00:00Z TO 2400-02-29T00:00:00Z]",
        "modifiedAt:[1600-03-01T00:00:00Z TO 2100-02-29T00:00:00Z]",
        "modifiedAt:{* TO 2013-11-20T00:00:00Z}",
        "modifiedAt:[ 2013-11-20T00:00:00Z\tTO\n* ]^2",
        "modifiedAt:[2013-11-20T00:00:00Z TO*]",
        "modifiedAt:[2013-11-20T00:00:00Z TO 9999-12-31T23:59:59Z]",
        "email:([2013-11-20T00:00:00Z TO *])",
        r#""12345678901234567890\"x""#,
        r#""1234567*""#,
        r#""12345678""#,
        r#""123456789"#,
    ] {
        same(input).unwrap();
    }
}

/// What jiff makes of a full UTC date's fields (the general rule's
/// reading, `lex_date`, converts with jiff).
fn jiff_timestamp(fields: [u16; 6]) -> Option<jiff::Timestamp> {
    let [year, month, day, hour, minute, second] = fields;
    let small = |n: u16| i8::try_from(n).ok();
    let datetime = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .ok()?;
    jiff::tz::Offset::UTC.to_timestamp(datetime).ok()
}

/// `date::utc_timestamp` on the text of `fields`, against jiff (year 9999
/// is left to the general rule).
fn same_timestamp(fields: [u16; 6]) -> Result<(), TestCaseError> {
    let [year, month, day, hour, minute, second] = fields;
    let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    let expected = if year == 9999 {
        None
    } else {
        jiff_timestamp(fields)
    };
    prop_assert_eq!(utc_timestamp(&text), expected, "{}", text);
    Ok(())
}

#[test]
fn utc_timestamp_is_jiffs_on_every_day_of_the_edge_years() {
    for year in [
        0, 1, 4, 99, 100, 400, 1600, 1900, 1969, 1970, 2000, 2024, 2100, 9998,
    ] {
        for month in 0..=13 {
            for day in 0..=32 {
                same_timestamp([year, month, day, 23, 59, 59]).unwrap();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn utc_timestamp_is_jiffs(
        year in 0u16..=9999,
        month in 0u16..=13,
        day in 0u16..=32,
        hour in 0u16..=25,
        minute in 0u16..=61,
        second in 0u16..=61,
    ) {
        same_timestamp([year, month, day, hour, minute, second])?;
    }

    #[test]
    fn fast_paths_change_nothing_on_hostile_text(input in hostile()) {
        same(&input)?;
    }

    #[test]
    fn fast_paths_change_nothing_on_clause_shaped_text(input in clauses()) {
        same(&input)?;
    }

    #[test]
    fn fast_paths_change_nothing_on_range_shaped_text(input in ranges()) {
        same(&input)?;
    }

    #[test]
    fn fast_paths_change_nothing_on_realistic_queries(input in generate::query()) {
        same(&input)?;
    }
}
