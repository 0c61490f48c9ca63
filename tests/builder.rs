//! The typed builder and the escaping helpers (SPEC §1.2): injection-proof
//! by property, and the documented examples by table.

use helpscout_query::build::{self, BuildError, Date, conversation, customer};
use helpscout_query::syntax::ast::{ClauseValue, DateUnit, ExprKind, ValueKind};
use helpscout_query::{Query, escape, parse, quote};
use proptest::prelude::*;

/// Text that tries hard to break out of a value: syntax characters,
/// operators, dates, escapes, whitespace and non-ASCII.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "\\",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        "=",
        "*",
        "?",
        "-",
        "+",
        "!",
        "&&",
        "||",
        "^",
        "~",
        " ",
        "\t",
        "\n",
        "AND",
        "OR",
        "NOT",
        "TO",
        "and",
        "NOW",
        "2014-01",
        "2014-01-02",
        "2013-11-20T00:00:00Z",
        "/DAY",
        "'",
        "é",
        "日本",
        "🦀",
        "x",
        "John",
        "@",
        ".com",
    ]);
    prop::collection::vec(pieces, 1..8).prop_map(|p| p.concat())
}

/// The single clause of a built query: field name and value.
fn only_clause(query: &Query) -> (String, ValueKind) {
    match &query.root.kind {
        ExprKind::Clause(clause) => match &clause.value {
            ClauseValue::Single { value } => (clause.field.name.to_string(), value.kind.clone()),
            group => panic!("a group: {group:?}"),
        },
        other => panic!("not one clause: {other:?}"),
    }
}

proptest! {
    /// For any string s, `field.is(s)` renders a query that parses back to
    /// exactly one clause whose value is s.
    #[test]
    fn a_built_clause_is_one_clause_with_that_value(s in prop_oneof![hostile_text(), any::<String>()]) {
        prop_assume!(!s.is_empty());
        let query = customer::first_name().is(&s).build().unwrap();
        let reparsed = parse(&query.to_string()).unwrap().query;
        prop_assert_eq!(&reparsed, &query);
        prop_assert_eq!(only_clause(&reparsed), ("firstName".into(), ValueKind::Phrase(s.into())));
    }

    /// `escape(s)` is one term with text s; `quote(s)` one phrase.
    #[test]
    fn escape_and_quote_give_back_the_text(s in prop_oneof![hostile_text(), any::<String>()]) {
        prop_assume!(!s.is_empty());
        let term = parse(&format!("firstName:{}", escape(&s))).unwrap().query;
        prop_assert_eq!(only_clause(&term).1, ValueKind::Term(s.clone().into()));
        let phrase = parse(&format!("firstName:{}", quote(&s))).unwrap().query;
        prop_assert_eq!(only_clause(&phrase).1, ValueKind::Phrase(s.clone().into()));
        // Also as bare values, where prefixes and operators matter most.
        let bare = parse(&escape(&s)).unwrap().query;
        prop_assert_eq!(&bare.root.kind, &ExprKind::Value(helpscout_query::syntax::ast::Value::new(ValueKind::Term(s.into()), Default::default())));
    }

    /// `starts_with(p)`: the prefix stays literal, whatever it holds.
    #[test]
    fn starts_with_keeps_the_prefix_literal(p in hostile_text()) {
        let query = customer::last_name().starts_with(&p).build().unwrap();
        let reparsed = parse(&query.to_string()).unwrap().query;
        prop_assert_eq!(reparsed, query);
    }

    /// `matches(p)`: whatever the pattern holds (`/`, `\\`, spaces), either
    /// an error at build or one regex clause that parses back to itself.
    #[test]
    fn matches_is_one_regex_or_an_error(p in prop_oneof![hostile_text(), "[a-z/\\\\.*|()]{0,12}"]) {
        if let Ok(query) = customer::first_name().matches(&p).build() {
            let reparsed = parse(&query.to_string()).unwrap().query;
            prop_assert_eq!(&reparsed, &query);
            let is_regex = matches!(only_clause(&reparsed).1, ValueKind::Regex(_));
            prop_assert!(is_regex, "not a regex: {}", query);
        }
    }

    /// A boost of any finite non-negative factor round-trips.
    #[test]
    fn boosts_round_trip(b in 0.0f32..1e30, s in hostile_text()) {
        prop_assume!(!s.is_empty());
        let query = customer::first_name().is(&s).boost(b).build().unwrap();
        prop_assert_eq!(parse(&query.to_string()).unwrap().query, query);
    }

    /// `any_of` over any values is one group clause.
    #[test]
    fn any_of_is_one_group(values in prop::collection::vec(hostile_text(), 2..5)) {
        let query = customer::email().any_of(&values).build().unwrap();
        let reparsed = parse(&query.to_string()).unwrap().query;
        prop_assert_eq!(&reparsed, &query);
        let ExprKind::Clause(clause) = &reparsed.root.kind else { panic!() };
        let is_group = matches!(clause.value, ClauseValue::Group { .. });
        prop_assert!(is_group, "not a group");
    }

    /// Integers of any sign are one clause.
    #[test]
    fn integers_round_trip(n in any::<i64>(), m in any::<i64>()) {
        for query in [conversation::number().is(n).build().unwrap(), conversation::id().between(n, m).build().unwrap()] {
            prop_assert_eq!(parse(&query.to_string()).unwrap().query, query);
        }
    }
}

/// The builder's documented shapes, each with its canonical form.
#[test]
fn built_queries_render_as_documented() {
    let ts: jiff::Timestamp = "2013-11-20T00:00:00Z".parse().unwrap();
    let end: jiff::Timestamp = "2014-01-01T00:00:00.750Z".parse().unwrap();
    let cases: Vec<(build::Condition, &str)> = vec![
        (
            customer::first_name()
                .is("John")
                .or(customer::first_name().is("Johnny")),
            r#"(firstName:"John" OR firstName:"Johnny")"#,
        ),
        (
            customer::email().any_of(["john@appleseed.com", "johnappleseed@gmail.com"]),
            r#"(email:("john@appleseed.com" OR "johnappleseed@gmail.com"))"#,
        ),
        (
            customer::email().any_of(["only@x.com"]),
            r#"(email:"only@x.com")"#,
        ),
        (
            customer::modified_at().since(ts),
            "(modifiedAt:[2013-11-20T00:00:00Z TO *])",
        ),
        (
            customer::modified_at().before(ts),
            "(modifiedAt:[* TO 2013-11-20T00:00:00Z})",
        ),
        (
            customer::created_at().between(ts, end),
            "(createdAt:[2013-11-20T00:00:00Z TO 2014-01-01T00:00:00Z])",
        ),
        (
            customer::modified_at().on(Date::month(jiff::civil::date(2000, 11, 5))),
            "(modifiedAt:2000-11)",
        ),
        (
            customer::modified_at().on(Date::day(jiff::civil::date(2014, 12, 1))),
            "(modifiedAt:2014-12-01)",
        ),
        (
            customer::modified_at().since(Date::now().minus(1, DateUnit::Hour)),
            "(modifiedAt:[NOW-1HOUR TO *])",
        ),
        (
            customer::modified_at()
                .since(Date::now().minus(1, DateUnit::Day).rounded(DateUnit::Day)),
            "(modifiedAt:[NOW-1DAY/DAY TO *])",
        ),
        (
            customer::email().is("spam.com").not(),
            r#"(NOT email:"spam.com")"#,
        ),
        (
            customer::first_name()
                .is("a")
                .and(customer::last_name().is("b"))
                .or(customer::email().is("c")),
            r#"((firstName:"a" AND lastName:"b") OR email:"c")"#,
        ),
        (
            customer::first_name()
                .is("a")
                .and(customer::last_name().is("b").and(customer::email().is("c"))),
            r#"(firstName:"a" AND lastName:"b" AND email:"c")"#,
        ),
        (
            customer::first_name()
                .is("a")
                .or(customer::last_name().is("b"))
                .not(),
            r#"(NOT (firstName:"a" OR lastName:"b"))"#,
        ),
        (customer::first_name().starts_with("Jo"), "(firstName:Jo*)"),
        (
            customer::first_name().starts_with("a*b"),
            r"(firstName:a\*b*)",
        ),
        (
            conversation::tag().is("dogs love carrots"),
            r#"(tag:"dogs love carrots")"#,
        ),
        (
            conversation::reply_user_ids().any_of([23, 45]),
            "(replyUserIds:(23 OR 45))",
        ),
        (conversation::attachments().is(true), "(attachments:true)"),
        (
            conversation::custom_field(123).is("gold"),
            r#"(cf123:"gold")"#,
        ),
        (conversation::number().is(-5), r"(number:\-5)"),
        (
            build::text("john@appleseed.com"),
            r#"("john@appleseed.com")"#,
        ),
        (
            build::any([
                customer::first_name().is("x"),
                customer::last_name().is("y"),
            ])
            .unwrap(),
            r#"(firstName:"x" OR lastName:"y")"#,
        ),
    ];
    for (condition, expected) in cases {
        let query = condition.build().unwrap();
        assert_eq!(query.to_string(), expected);
        assert_eq!(parse(expected).unwrap().query, query, "{expected}");
    }
}

/// What the builder refuses, and when.
#[test]
fn unwritable_values_are_errors_at_build() {
    let empty = customer::first_name()
        .is("")
        .or(customer::last_name().is("x"))
        .build();
    assert!(
        matches!(empty, Err(BuildError::EmptyValue { .. })),
        "{empty:?}"
    );
    let none: [&str; 0] = [];
    assert!(matches!(
        customer::email().any_of(none).build(),
        Err(BuildError::EmptyAnyOf { .. })
    ));
    assert!(matches!(
        build::text("").build(),
        Err(BuildError::EmptyValue { .. })
    ));
    let far = jiff::Timestamp::MIN;
    assert!(matches!(
        customer::modified_at().since(far).build(),
        Err(BuildError::DateOutOfRange { .. })
    ));
    assert!(build::all(Vec::new()).is_none());
}

/// Built customer queries always fit the customers schema.
#[test]
fn built_customer_queries_resolve() {
    let query = customer::first_name()
        .is("John")
        .and(customer::modified_at().since(Date::now().minus(7, DateUnit::Day)))
        .and(customer::email().any_of(["a@x.com", "b@x.com"]).not())
        .build()
        .unwrap();
    helpscout_query::schema::customers()
        .resolve(&query)
        .unwrap();
}

/// The escape helpers' contract, by example (the reserved list is in their rustdoc).
#[test]
fn escape_examples() {
    let cases = [
        ("plain", "plain"),
        ("a b", r"a\ b"),
        ("a:b", r"a\:b"),
        ("(x)", r"\(x\)"),
        ("-x", r"\-x"),
        ("x-y", "x-y"),
        ("+x", r"\+x"),
        ("!x", r"\!x"),
        ("&&x", r"\&&x"),
        ("a&&b", "a&&b"),
        ("AND", r"\AND"),
        ("and", "and"),
        ("TO", r"\TO"),
        ("NOW", r"\NOW"),
        ("NOW-1DAY", r"\NOW-1DAY"),
        ("NOWHERE", "NOWHERE"),
        ("2014-01-02", r"\2014-01-02"),
        ("2014", "2014"),
        ("a=b", r"a\=b"),
        ("C:\\dir", r"C\:\\dir"),
        ("日本", "日本"),
    ];
    for (text, escaped) in cases {
        assert_eq!(escape(text), escaped, "{text}");
    }
    assert_eq!(quote("a \"b\" \\ *"), r#""a \"b\" \\ *""#);
}

/// The builder refuses what the parser would refuse for depth, and nothing
/// less: every query it builds parses back.
#[test]
fn depth_is_limited_like_the_parser() {
    let mut condition = customer::first_name().is("x");
    for _ in 0..64 {
        condition = condition.not();
    }
    let at_limit = condition.clone().build().unwrap();
    assert_eq!(parse(&at_limit.to_string()).unwrap().query, at_limit);
    assert!(matches!(
        condition.not().build(),
        Err(BuildError::TooDeep { max: 64 })
    ));

    let mut alternating = customer::first_name().is("a");
    for i in 0..70 {
        let next = customer::last_name().is(format!("v{i}"));
        alternating = if i % 2 == 0 {
            alternating.and(next)
        } else {
            alternating.or(next)
        };
    }
    match alternating.build() {
        Ok(query) => assert_eq!(parse(&query.to_string()).unwrap().query, query),
        Err(error) => assert!(matches!(error, BuildError::TooDeep { .. }), "{error}"),
    }
    // Deep enough to overflow a recursive walk: refused, not crashed.
    let mut deep = customer::first_name().is("x");
    for _ in 0..100_000 {
        deep = deep.not();
    }
    assert!(matches!(deep.build(), Err(BuildError::TooDeep { .. })));
}

proptest! {
    /// Random chains of and/or/not, as deep as 200 steps: the builder's
    /// running depth agrees with the parser's (a debug assertion in `build`
    /// checks it), and whatever it builds parses back to the same tree.
    #[test]
    fn any_chain_builds_or_is_too_deep(steps in prop::collection::vec(0u8..5, 0..200)) {
        let mut condition = customer::first_name().is("a");
        for (i, step) in steps.iter().enumerate() {
            let leaf = customer::last_name().is(format!("v{i}"));
            condition = match step {
                0 => condition.and(leaf),
                1 => condition.or(leaf),
                2 => condition.not(),
                3 => leaf.and(condition),
                _ => customer::email().any_of(["x", "y"]).or(condition.not()),
            };
        }
        match condition.build() {
            Ok(query) => prop_assert_eq!(parse(&query.to_string()).unwrap().query, query),
            Err(error) => prop_assert!(matches!(error, BuildError::TooDeep { max: 64 }), "{}", error),
        }
    }
}
