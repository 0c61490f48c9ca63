//! Round-trip properties (SPEC §3): for every tree, `parse(render(ast))` is
//! the tree's Lucene-safe form (the tree itself when it is safe, as every
//! tree the parser reads from a canonical form is), it means the same, and
//! rendering is idempotent; for every string, parsing never panics, and
//! whatever is accepted (strictly or leniently) renders to a canonical form
//! that parses back to the safe form of the same tree.

use helpscout_query::syntax::ast::{
    Boost, Bound, Clause, ClauseValue, DateAnchor, DateExpr, DateMath, DateUnit, Expr, ExprKind,
    Field, Query, Range, Regex, Span, TruncatedDate, Value, ValueKind, Wildcard, WildcardPart,
};
use helpscout_query::{
    Operator, ParseOptions, parse, parse_lenient, parse_lenient_with, parse_with,
};
use proptest::prelude::*;

// ----- text ------------------------------------------------------------------

/// Text that is hard to escape: operators, keywords, dates, prefixes,
/// backslashes and quotes, whitespace of all kinds, and non-ASCII.
fn literal_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        // Plain words.
        3 => "[a-zA-Z0-9@._']{1,6}",
        // Every character with a meaning somewhere in the grammar.
        3 => r#"[\\"*?:()\[\]{}\-+!&|^~= \t/.']{1,4}"#,
        // Keywords, upper and lower case.
        2 => prop::sample::select(vec![
            "AND", "OR", "NOT", "TO", "and", "or", "not", "&&", "||", "!", "-", "+",
        ])
        .prop_map(str::to_owned),
        // Things the date lexer looks at.
        2 => prop::sample::select(vec![
            "2014", "2014-01", "2014-12-01", "2014-13", "2014-02-30", "NOW", "NOW-1DAY",
            "NOW/DAY", "NOWHERE", "2013-11-20T00:00:00Z", "2013-11-20T00:00:00.5+05:00",
            "2013-11-20T", "0000-01",
        ])
        .prop_map(str::to_owned),
        // Non-ASCII, including Unicode whitespace.
        2 => prop::sample::select(vec![
            "é", "ß", "日本", "😀", "Ünïcödé", "\u{a0}", "\u{3000}", "\u{85}", "\u{2028}", "\n",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(atom, 1..4).prop_map(|atoms| atoms.concat())
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "firstName", "lastName", "email", "modifiedAt", "createdAt", "tag", "cf12", "_x",
            "a.b", "TO", "NOW", "T", "and",
        ])
        .prop_map(str::to_owned),
        1 => "[A-Za-z_][A-Za-z0-9_.]{0,8}",
    ]
    // `AND`, `OR` and `NOT` are operators wherever they stand: no clause can be
    // written with them as its field name.
    .prop_filter("operator keywords cannot be field names", |name| {
        !matches!(name.as_str(), "AND" | "OR" | "NOT")
    })
}

// ----- values ----------------------------------------------------------------

fn value(kind: ValueKind) -> Value {
    Value::new(kind, Span::default())
}

fn term() -> impl Strategy<Value = ValueKind> {
    literal_text().prop_map(|t| ValueKind::Term(t.into()))
}

fn phrase() -> impl Strategy<Value = ValueKind> {
    literal_text().prop_map(|t| ValueKind::Phrase(t.into()))
}

fn wildcard() -> impl Strategy<Value = ValueKind> {
    let part = prop_oneof![
        2 => literal_text().prop_map(WildcardPart::Literal),
        1 => Just(WildcardPart::AnyRun),
        1 => Just(WildcardPart::AnyChar),
    ];
    prop::collection::vec(part, 1..5).prop_map(|parts| {
        // Merge adjacent literals, as the lexer does.
        let mut merged: Vec<WildcardPart> = Vec::new();
        for part in parts {
            match (merged.last_mut(), part) {
                (Some(WildcardPart::Literal(previous)), WildcardPart::Literal(text)) => {
                    previous.push_str(&text)
                }
                (_, part) => merged.push(part),
            }
        }
        if merged.iter().all(|p| matches!(p, WildcardPart::Literal(_))) {
            merged.push(WildcardPart::AnyRun);
        }
        ValueKind::Wildcard(Wildcard { parts: merged })
    })
}

fn unit() -> impl Strategy<Value = DateUnit> + Clone {
    prop::sample::select(DateUnit::ALL.to_vec())
}

fn math_step() -> impl Strategy<Value = DateMath> + Clone {
    let amount = prop_oneof![0u32..=2, 0u32..=999_999_999];
    prop_oneof![
        (amount.clone(), unit()).prop_map(|(amount, unit)| DateMath::Add { amount, unit }),
        (amount, unit()).prop_map(|(amount, unit)| DateMath::Sub { amount, unit }),
        unit().prop_map(|unit| DateMath::Round { unit }),
    ]
}

/// Seconds of 0000-01-01T00:00:00Z, and of the last second jiff can hold
/// (9999-12-30T22:00:00Z: jiff keeps a day of slack for offsets).
const MIN_SECOND: i64 = -62_167_219_200;
const MAX_SECOND: i64 = 253_402_207_200;

fn timestamp() -> impl Strategy<Value = jiff::Timestamp> {
    let seconds = prop_oneof![
        Just(MIN_SECOND),
        Just(MAX_SECOND),
        Just(1_384_905_600), // 2013-11-20T00:00:00Z
        MIN_SECOND..=MAX_SECOND,
    ];
    // Milliseconds, the precision Solr (and so the parser) keeps.
    let nanos = prop_oneof![
        3 => Just(0),
        1 => (1..1_000i32).prop_map(|ms| ms * 1_000_000),
        1 => Just(500_000_000)
    ];
    (seconds, nanos).prop_map(|(s, n)| {
        let n = if s == MAX_SECOND { 0 } else { n };
        jiff::Timestamp::new(s, n).expect("in jiff's range")
    })
}

fn truncated() -> impl Strategy<Value = TruncatedDate> {
    (
        0i16..=9999,
        1i8..=12,
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(year, month, with_day, index)| {
            let days = jiff::civil::date(year, month, 1).days_in_month();
            TruncatedDate {
                year,
                month,
                day: with_day.then(|| index.index(days as usize) as i8 + 1),
            }
        })
}

fn date() -> impl Strategy<Value = ValueKind> {
    let math = prop::collection::vec(math_step(), 0..4);
    prop_oneof![
        math.clone().prop_map(|math| DateExpr {
            anchor: DateAnchor::Now,
            math
        }),
        (timestamp(), math).prop_map(|(timestamp, math)| DateExpr {
            anchor: DateAnchor::Full { timestamp },
            math,
        }),
        truncated().prop_map(|t| DateExpr {
            anchor: DateAnchor::Truncated(t),
            math: vec![]
        }),
    ]
    .prop_map(ValueKind::from)
}

fn bound() -> impl Strategy<Value = Bound> {
    let bound_value = prop_oneof![term(), phrase(), date()].prop_map(|kind| Box::new(value(kind)));
    prop_oneof![
        (bound_value.clone(), any::<bool>()).prop_map(|(v, inclusive)| if inclusive {
            Bound::Inclusive(v)
        } else {
            Bound::Exclusive(v)
        }),
        any::<bool>().prop_map(|inclusive| Bound::Unbounded { inclusive }),
    ]
}

fn range() -> impl Strategy<Value = ValueKind> {
    (bound(), bound()).prop_map(|(lower, upper)| ValueKind::Range(Range { lower, upper }))
}

/// Regular expressions as the parser keeps them (never ending in `\\`).
fn regex() -> impl Strategy<Value = ValueKind> {
    prop::sample::select(vec![
        "jo.*",
        "",
        "a\\/b",
        "[A-C]+x{2,3}",
        "a[\\\\]",
        "(jo|ja)ne",
        "\"a b\"",
        "<1-12>",
        "^$ @",
    ])
    .prop_map(|pattern| {
        ValueKind::Regex(Regex {
            pattern: pattern.to_owned(),
        })
    })
}

/// A value that may stand alone: anything but a range.
fn bare_value() -> impl Strategy<Value = ValueKind> {
    prop_oneof![3 => term(), 2 => phrase(), 2 => wildcard(), 1 => date(), 1 => regex()]
}

/// A boost as the parser keeps it (canonical decimal text).
fn boost() -> impl Strategy<Value = Boost> {
    prop::sample::select(vec!["0", "2", "0.5", "10.25", "3"])
        .prop_map(|text| Boost::new(text).expect("a valid boost"))
}

/// A value after `field:` or inside a field group: ranges too.
fn field_value() -> impl Strategy<Value = ValueKind> {
    prop_oneof![4 => bare_value(), 1 => range()]
}

// ----- trees -----------------------------------------------------------------

fn expr(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

/// `op` over `operands`, flattened as the parser flattens same-operator chains.
fn join(op: Operator, operands: Vec<Expr>) -> Expr {
    let mut flat = Vec::new();
    for operand in operands {
        match (op, operand.kind) {
            (Operator::And, ExprKind::And { operands })
            | (Operator::Or, ExprKind::Or { operands }) => flat.extend(operands),
            (_, kind) => flat.push(expr(kind)),
        }
    }
    expr(match op {
        Operator::And => ExprKind::And { operands: flat },
        Operator::Or => ExprKind::Or { operands: flat },
    })
}

/// AND, OR and NOT over the leaves, at most `depth` levels deep.
fn boolean(leaf: BoxedStrategy<Expr>, depth: u32) -> BoxedStrategy<Expr> {
    leaf.prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ops| join(Operator::And, ops)),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|ops| join(Operator::Or, ops)),
            inner.clone().prop_map(|operand| expr(ExprKind::Not {
                operand: Box::new(operand)
            })),
            (inner, boost()).prop_map(|(operand, boost)| expr(ExprKind::Boost {
                operand: Box::new(operand),
                boost,
            })),
        ]
    })
    .boxed()
}

/// The tree inside `field:( … )`: values only; a lone value is a group of
/// one (`field:(value)`), which stays a group.
fn group() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        8 => field_value().prop_map(|kind| expr(ExprKind::Value(value(kind)))),
        1 => Just(expr(ExprKind::MatchAll)),
    ]
    .boxed();
    boolean(leaf, 2)
}

fn clause() -> impl Strategy<Value = Expr> {
    let clause_value = prop_oneof![
        3 => field_value().prop_map(|kind| ClauseValue::Single { value: value(kind) }),
        1 => group().prop_map(|e| ClauseValue::Group { expr: Box::new(e) }),
    ];
    (field_name(), clause_value).prop_map(|(name, value)| {
        expr(ExprKind::Clause(Clause {
            field: Field {
                name: name.into(),
                span: Span::default(),
            },
            value,
        }))
    })
}

fn query() -> impl Strategy<Value = Query> {
    let leaf = prop_oneof![
        2 => clause(),
        1 => bare_value().prop_map(|kind| expr(ExprKind::Value(value(kind)))),
        1 => Just(expr(ExprKind::MatchAll)),
    ]
    .boxed();
    boolean(leaf, 4).prop_map(|root| Query { root })
}

// ----- strings ---------------------------------------------------------------

/// Pieces of valid (and nearly valid) queries, to be strung together.
fn fragments() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "firstName:",
        "email:",
        "modifiedAt:",
        "\"John\"",
        "\"a \\\" b\"",
        "John",
        "Jo*",
        "J?hn",
        "AND",
        "OR",
        "NOT",
        "&&",
        "||",
        "!",
        "-",
        "+",
        "and",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "TO",
        "*",
        "2014",
        "2014-01",
        "2014-12-01",
        "2013-11-20T00:00:00Z",
        "NOW",
        "NOW-1DAY",
        "/DAY",
        "\\",
        "\"",
        ":",
        "=",
        "^2",
        "~",
        "'John'",
        "é",
        "日本",
        " ",
        "  ",
        "\t",
        "2013-11-20T05:00:00.123+05:00",
        "x:(a OR b)",
        "[* TO NOW]",
        "{a TO b]",
    ]);
    prop::collection::vec(
        (fragment, prop::sample::select(vec!["", " ", ""])).prop_map(|(f, s)| format!("{f}{s}")),
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        r#"[a-zA-Z0-9 ():"\\\[\]{}*?\-+!&|^~=TONADR]{0,40}"#,
        fragments(),
    ]
}

// ----- checks ----------------------------------------------------------------

/// The codes of the warnings where Lucene reads a query otherwise: the
/// canonical form never raises them.
const LUCENE_CODES: &[&str] = &[
    "not-in-or",
    "negative-group",
    "double-not",
    "bare-timestamp",
];

/// Whether the tree matches when each leaf's truth is drawn from `seed`
/// (`*:*` always matches): boolean meaning with the leaves left abstract.
/// A leaf is keyed by its field and its value's text, so a timestamp and the
/// same timestamp quoted are the same leaf.
fn truth(expr: &Expr, field: &str, seed: u64) -> bool {
    use std::hash::{Hash, Hasher};
    let leaf = |field: &str, value: &Value| {
        // Keyed as the parser reads the value back, so that a quoted date
        // with an offset (alone or as a range bound) is the same leaf as
        // its UTC form.
        let read = match format!("f:{value}").parse::<Query>() {
            Ok(Query {
                root:
                    Expr {
                        kind:
                            ExprKind::Clause(Clause {
                                value: ClauseValue::Single { value: read },
                                ..
                            }),
                        ..
                    },
            }) => read,
            _ => value.clone(),
        };
        let text = match &read.kind {
            ValueKind::Phrase(text) | ValueKind::Term(text) => text.to_string(),
            _ => read.to_string(),
        };
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (seed, field, text).hash(&mut hasher);
        hasher.finish() % 2 == 0
    };
    match &expr.kind {
        ExprKind::And { operands } => operands.iter().all(|o| truth(o, field, seed)),
        ExprKind::Or { operands } => operands.iter().any(|o| truth(o, field, seed)),
        ExprKind::Not { operand } => !truth(operand, field, seed),
        ExprKind::Boost { operand, .. } => truth(operand, field, seed),
        ExprKind::Clause(clause) => match &clause.value {
            ClauseValue::Single { value } => leaf(&clause.field.name, value),
            ClauseValue::Group { expr } => truth(expr, &clause.field.name, seed),
        },
        ExprKind::Value(value) => leaf(field, value),
        ExprKind::MatchAll => true,
    }
}

/// The canonical form of `query`: it parses back to the Lucene-safe form of
/// the tree (the tree itself when it was safe), means the same as the tree
/// under boolean logic, raises none of the Lucene warnings, and renders to
/// itself.
fn assert_round_trips(query: &Query) -> Result<(), TestCaseError> {
    let rendered = query.to_string();
    let reparsed = parse(&rendered).map_err(|e| {
        TestCaseError::fail(format!("{rendered:?} does not parse: {e}\n{:?}", e.errors))
    })?;
    prop_assert_eq!(
        &reparsed.query,
        &query.lucene_safe(),
        "{:?} parses to another tree",
        rendered
    );
    if query.is_lucene_safe() {
        prop_assert_eq!(&reparsed.query, query);
    }
    for seed in 0..8 {
        prop_assert_eq!(
            truth(&reparsed.query.root, "", seed),
            truth(&query.root, "", seed),
            "{:?} means something else",
            rendered
        );
    }
    for warning in &reparsed.warnings {
        prop_assert!(
            !LUCENE_CODES.contains(&warning.kind.code().as_str()),
            "{:?} raises {}",
            rendered,
            warning.kind.code()
        );
    }
    prop_assert_eq!(
        reparsed.query.to_string(),
        rendered,
        "rendering is not idempotent"
    );
    Ok(())
}

fn assert_accepted_round_trip(input: &str, options: &ParseOptions) -> Result<(), TestCaseError> {
    if let Ok(parsed) = parse_with(input, options) {
        let rendered = parsed.query.to_string();
        // The canonical form always spells its operators, so it parses the
        // same whatever the implicit operator.
        let reparsed = parse(&rendered).map_err(|e| {
            TestCaseError::fail(format!(
                "{input:?} renders as {rendered:?}, which does not parse: {e}"
            ))
        })?;
        prop_assert_eq!(
            &reparsed.query,
            &parsed.query.lucene_safe(),
            "{:?} renders as {:?}",
            input,
            rendered
        );
        prop_assert_eq!(reparsed.query.to_string(), rendered);
    }
    let lenient = parse_lenient_with(input, options);
    if let Some(query) = lenient.query {
        let rendered = query.to_string();
        let reparsed = parse(&rendered).map_err(|e| {
            TestCaseError::fail(format!(
                "{input:?} is repaired as {rendered:?}, which does not parse: {e}"
            ))
        })?;
        prop_assert_eq!(
            &reparsed.query,
            &query.lucene_safe(),
            "{:?} is repaired as {:?}",
            input,
            rendered
        );
    } else {
        prop_assert!(
            !lenient.errors.is_empty(),
            "{:?}: no query and no error",
            input
        );
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2048)
}

proptest! {
    // 2048 cases by default; `PROPTEST_CASES=100000` for a long hunt. Failures
    // are turned into named regression tests below rather than persisted.
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_tree_round_trips(query in query()) {
        assert_round_trips(&query)?;
    }

    #[test]
    fn every_string_is_parsed_without_panic_and_round_trips(input in hostile_string()) {
        assert_accepted_round_trip(&input, &ParseOptions::default())?;
    }

    #[test]
    fn implicit_or_round_trips_too(input in fragments()) {
        let options = ParseOptions { default_operator: Operator::Or, ..ParseOptions::default() };
        assert_accepted_round_trip(&input, &options)?;
    }

    #[test]
    fn a_rendered_tree_with_noise_never_panics(query in query(), cut in any::<prop::sample::Index>()) {
        // Truncating a valid query mid-way gives the nastiest near-misses:
        // unclosed quotes, ranges, groups, dangling escapes and operators.
        let rendered = query.to_string();
        let boundaries: Vec<usize> = rendered.char_indices().map(|(i, _)| i).collect();
        let at = boundaries[cut.index(boundaries.len())];
        assert_accepted_round_trip(&rendered[..at], &ParseOptions::default())?;
        assert_accepted_round_trip(&rendered[at..], &ParseOptions::default())?;
    }
}

#[test]
fn strict_and_lenient_agree_on_valid_input() {
    // The lenient mode is the same run as the strict one: on valid input it
    // returns the same tree with no error.
    for input in [
        "firstName:John",
        "(a OR b) AND NOT c:[1 TO *]",
        "email:(x OR y)",
    ] {
        let strict = parse(input).unwrap().query;
        let lenient = parse_lenient(input);
        assert!(lenient.errors.is_empty(), "{input}: {:?}", lenient.errors);
        assert_eq!(lenient.query.as_ref(), Some(&strict), "{input}");
    }
}
