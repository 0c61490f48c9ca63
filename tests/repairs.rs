//! Lenient repairs never change meaning (issue 9, items 3 and 4): a repair
//! drops what is invalid, never flips a negation, never loses valid text to
//! a limit; when it cannot keep the meaning there is no repaired query, and
//! the errors say why.
//!
//! Meaning is checked on records: the repaired query must select exactly
//! the records the query selects when read without the limit.

use helpscout_query::eval::{Document, Matcher};
use helpscout_query::syntax::ast::ExprKind;
use helpscout_query::{ParseOptions, Query, parse_lenient_with, parse_with, schema};
use proptest::prelude::*;

/// Customers with every combination of the names, domains and dates the
/// queries below ask about, so that any change of meaning shows.
fn customers() -> Vec<Document> {
    let mut out = Vec::new();
    for (i, first) in [Some("John"), Some("Joanna"), Some("Mary"), None]
        .into_iter()
        .enumerate()
    {
        for last in [Some("Smith"), Some("Doe"), None] {
            for emails in [
                vec!["a@gmail.com"],
                vec!["b@example.com"],
                vec!["c@gmail.com", "d@example.com"],
                vec![],
            ] {
                for year in ["2010", "2020"] {
                    let at = format!("{year}-0{}-01T00:00:00Z", i + 1).parse().ok();
                    out.push(Document::new(first, last, emails.clone(), at, at));
                }
            }
        }
    }
    out
}

/// The positions of the customers `query` selects.
fn selected(customers: &[Document], query: &Query) -> Vec<usize> {
    let resolved = schema::customers().resolve(query).expect("resolves");
    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    let matcher = Matcher::compile(&resolved.query, now).unwrap();
    (0..customers.len())
        .filter(|&i| matcher.matches(&customers[i]))
        .collect()
}

fn depth(max_depth: usize) -> ParseOptions {
    ParseOptions {
        max_depth,
        max_length: 1 << 20,
        ..ParseOptions::default()
    }
}

/// How many `NOT`s stand above the first clause of `query`.
fn negations(query: &Query) -> usize {
    let mut expr = &query.root;
    let mut n = 0;
    while let ExprKind::Not { operand } = &expr.kind {
        n += 1;
        expr = operand;
    }
    n
}

#[test]
fn chains_of_negations_keep_their_parity() {
    let prefixes = ["NOT ", "!", "! ", "-", "NOT -", "!-"];
    for prefix in prefixes {
        // A `!` set apart from its clause is dropped, as Lucene drops it.
        let per = if prefix == "! " {
            0
        } else {
            prefix.matches("NOT").count() + prefix.matches(['!', '-']).count()
        };
        for count in [1, 2, 63, 64, 65, 66, 67, 130, 131, 20_000, 20_001] {
            let input = format!("{}firstName:x", prefix.repeat(count));
            let lenient = parse_lenient_with(&input, &depth(64));
            let query = lenient.query.expect("a chain of negations is repairable");
            assert_eq!(
                negations(&query) % 2,
                (count * per) % 2,
                "{prefix:?} × {count} came back as {query}"
            );
            assert!(negations(&query) <= 64, "{prefix:?} × {count}");
            if count * per > 64 {
                assert_eq!(lenient.errors[0].kind.code(), "too-deep");
            }
        }
    }
}

#[test]
fn the_reported_case() {
    let input = format!("{}a:x", "NOT ".repeat(65));
    let lenient = parse_lenient_with(&input, &ParseOptions::default());
    assert_eq!(lenient.query.unwrap().to_string(), "(NOT a:x)");
    let input = format!("{}a:x", "NOT ".repeat(66));
    let lenient = parse_lenient_with(&input, &ParseOptions::default());
    assert_eq!(lenient.query.unwrap().to_string(), "(a:x)");
}

#[test]
fn negations_below_other_levels_keep_their_parity_or_give_up() {
    let options = depth(8);
    let shapes = [
        // A field group, then a chain inside it.
        ("email:(", "NOT ", "x)"),
        // Parentheses around each negation (each a level while reading).
        ("", "NOT (", "firstName:x"),
        ("", "(NOT ", "firstName:x"),
        // Under AND/OR levels.
        ("a AND (b OR (c AND (", "NOT ", "d)))"),
        ("a OR NOT (b AND NOT (", "-", "c))"),
    ];
    for (before, chain, after) in shapes {
        for count in 1..20 {
            let closing = if chain.contains('(') {
                ")".repeat(count)
            } else {
                String::new()
            };
            let input = format!("{before}{}{after}{closing}", chain.repeat(count));
            let Ok(truth) = parse_with(&input, &depth(256)) else {
                panic!("{input} does not parse");
            };
            let lenient = parse_lenient_with(&input, &options);
            match lenient.query {
                Some(query) => assert_eq!(
                    selected(&customers(), &query),
                    selected(&customers(), &truth.query),
                    "{input} came back as {query}"
                ),
                None => assert!(
                    lenient.errors.iter().any(|e| e.kind.code() == "too-deep"),
                    "{input}: no query and no too-deep"
                ),
            }
        }
    }
}

#[test]
fn a_sign_set_apart_still_negates() {
    let options = ParseOptions::default();
    for (input, repaired) in [
        (
            "firstName:x - lastName:y",
            "(firstName:x AND NOT lastName:y)",
        ),
        (
            "firstName:x AND -  lastName:y",
            "(firstName:x AND NOT lastName:y)",
        ),
        ("firstName:x + lastName:y", "(firstName:x AND lastName:y)"),
        ("- firstName:x", "(NOT firstName:x)"),
        // Two negations cancel (the canonical form never writes `NOT NOT`).
        ("NOT - firstName:x", "(firstName:x)"),
        // With nothing after it, the sign and its NOTs go: nothing is flipped.
        ("firstName:x AND NOT -", "(firstName:x)"),
        ("firstName:x AND (NOT - )", "(firstName:x)"),
    ] {
        let errors = parse_with(input, &options).unwrap_err();
        assert_eq!(errors[0].kind.code(), "expected-clause", "{input}");
        let lenient = parse_lenient_with(input, &options);
        assert_eq!(lenient.query.unwrap().to_string(), repaired, "{input}");
    }
}

#[test]
fn over_long_input_is_not_repaired() {
    // The clause past the limit is what matters most: it must not be lost.
    let head = "firstName:x OR ".repeat(5000);
    for tail in [
        "AND NOT lastName:secret",
        "NOT lastName:secret",
        ")",
        "lastName:y",
    ] {
        let input = format!("{head}{tail}");
        for max_length in [64 * 1024, head.len(), input.len() - 1, 100] {
            let options = ParseOptions {
                max_length,
                ..ParseOptions::default()
            };
            let lenient = parse_lenient_with(&input, &options);
            assert!(lenient.query.is_none(), "{tail} at {max_length}");
            assert_eq!(lenient.errors[0].kind.code(), "too-long");
            let diagnostics = lenient.diagnostics();
            assert_eq!(diagnostics[0].code, "too-long");
        }
    }
    // Exactly at the limit, it is repaired as usual.
    let input = "firstName:x AND";
    let options = ParseOptions {
        max_length: input.len(),
        ..ParseOptions::default()
    };
    assert!(parse_lenient_with(input, &options).query.is_some());
}

/// Random queries over the sample data's fields, with every kind of level.
fn query() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("firstName:john".to_owned()),
        Just("lastName:smith".to_owned()),
        Just("email:gmail.com".to_owned()),
        Just("email:(gmail.com OR NOT example.com)".to_owned()),
        Just("modifiedAt:[2015 TO *]".to_owned()),
        Just("jo*".to_owned()),
    ];
    leaf.prop_recursive(12, 64, 3, |inner| {
        prop_oneof![
            (inner.clone(), 1usize..5, 0usize..3).prop_map(|(q, n, kind)| {
                let prefix = ["NOT ", "!", "-"][kind];
                format!("{}({q})", prefix.repeat(n))
            }),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|qs| format!("({})", qs.join(" AND "))),
            prop::collection::vec(inner, 2..4).prop_map(|qs| format!("({})", qs.join(" OR "))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the depth limit, the repaired query, if any, selects what
    /// the query selects without the limit.
    #[test]
    fn a_repair_past_the_depth_limit_keeps_the_meaning(input in query(), max in 1usize..12) {
        let truth = parse_with(&input, &depth(256)).unwrap();
        let lenient = parse_lenient_with(&input, &depth(max));
        if let Some(repaired) = lenient.query {
            let customers = customers();
            prop_assert_eq!(
                selected(&customers, &repaired),
                selected(&customers, &truth.query),
                "{} came back as {}", input, repaired
            );
        }
    }
}

/// A field whose value cannot be read never hands that value to every field
/// (a bare term widens the query): a doubled separator keeps the value for
/// its field, any other stray character drops the clause with its value.
#[test]
fn a_field_never_loses_its_value_to_every_field() {
    let options = ParseOptions::default();
    let long_bangs = format!("firstName:{}x OR lastName:y", "!".repeat(60_000));
    let cases: &[(&str, Option<&str>)] = &[
        ("firstName==John", Some("(firstName:John)")),
        ("firstName:=John", Some("(firstName:John)")),
        ("firstName:== John", Some("(firstName:John)")),
        (
            "firstName=:=\"John Smith\"",
            Some("(firstName:\"John Smith\")"),
        ),
        ("a:x AND firstName==John", Some("(a:x AND firstName:John)")),
        ("firstName:-John OR b:y", Some("(b:y)")),
        ("firstName:+John OR b:y", Some("(b:y)")),
        ("firstName:!x", None),
        ("firstName:^x", None),
        ("firstName:]x AND b:y", Some("(b:y)")),
        (&long_bangs, Some("(lastName:y)")),
    ];
    for &(input, repaired) in cases {
        assert!(parse_with(input, &options).is_err(), "{input}");
        let lenient = parse_lenient_with(input, &options);
        let shown: String = input.chars().take(40).collect();
        assert_eq!(
            lenient.query.map(|q| q.to_string()).as_deref(),
            repaired,
            "{shown}"
        );
    }
}
