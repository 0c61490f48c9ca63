//! Hostile input (SPEC §2, "Limits"): past the depth and length limits, a
//! clean error and never a stack overflow; within them, the canonical form of
//! whatever is accepted is accepted too.
//!
//! Correctness only: how fast this goes belongs in benches, not in tests. The
//! big inputs run on a thread with a 2 MiB stack, the smallest a caller is
//! likely to give a parser.

use helpscout_query::syntax::ast::{ExprKind, Query};
use helpscout_query::{
    ErrorKind, ParseOptions, WarningKind, parse, parse_lenient_with, parse_with,
};

const DEPTH: usize = 64;

/// Runs `f` on a thread with a 2 MiB stack, as a small server worker would.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("no panic, no stack overflow")
}

/// Room for the big inputs, so that depth, not length, is what fails.
fn long() -> ParseOptions {
    ParseOptions {
        max_length: 1 << 20,
        ..ParseOptions::default()
    }
}

/// Asserts the input fails with `too-deep` first, and that the lenient mode
/// returns a repair whose canonical form parses, with `options`, to itself.
fn assert_too_deep(input: &str, options: &ParseOptions) -> usize {
    let Err(errors) = parse_with(input, options) else {
        panic!("accepted, but should be too deep: {:.200}", input);
    };
    assert_eq!(errors[0].kind.code(), "too-deep", "{:?}", &errors[..1]);
    let max = options.max_depth.min(ParseOptions::DEPTH_CEILING);
    assert_eq!(errors[0].kind, ErrorKind::TooDeep { max });
    assert_eq!(
        errors
            .iter()
            .filter(|e| e.kind.code() == "too-deep")
            .count(),
        1,
        "too-deep is reported once"
    );
    let lenient = parse_lenient_with(input, options);
    assert_eq!(
        lenient.errors, errors.errors,
        "the lenient mode finds the same errors"
    );
    if let Some(query) = lenient.query {
        assert_canonical_accepted(&query, options);
    }
    errors[0].span.start
}

/// Parses `input`, and checks that its canonical form parses, with the same
/// options, to the same tree (its Lucene-safe form, which is the tree itself
/// unless it had a NOT in an OR, a double NOT or a bare timestamp).
fn assert_accepted(input: &str, options: &ParseOptions) -> Query {
    let query = parse_with(input, options)
        .unwrap_or_else(|e| panic!("rejected: {e}"))
        .query;
    assert_canonical_accepted(&query, options);
    query
}

/// The canonical form is read with the same depth limit; the length limit is
/// lifted, since spelling out operators and parentheses makes it longer.
fn assert_canonical_accepted(query: &Query, options: &ParseOptions) {
    let canonical = query.to_string();
    let options = ParseOptions {
        max_length: usize::MAX,
        ..*options
    };
    let again = parse_with(&canonical, &options)
        .unwrap_or_else(|e| panic!("the canonical form is rejected: {e}"))
        .query;
    assert!(
        again == query.lucene_safe(),
        "the canonical form parses to another tree"
    );
    assert_eq!(again.to_string(), canonical, "rendering is not idempotent");
}

/// `a AND (b OR (a AND (b OR … x)))`: `levels` pairs of parentheses, each
/// needed, so the tree is `levels` deep below its root.
fn alternating(levels: usize) -> String {
    let mut query = String::with_capacity(levels * 12);
    for level in 0..levels {
        query.push_str(if level % 2 == 0 { "a AND (" } else { "b OR (" });
    }
    // The innermost pair holds the other operator, so it counts too.
    query.push_str(if levels % 2 == 1 { "x OR y" } else { "x AND y" });
    query.push_str(&")".repeat(levels));
    query
}

/// `a AND (… a AND (inner) OR b …) OR b`, `levels` times: in canonical form
/// each level is two deep, `((a AND (…)) OR b)`, the AND group being
/// parenthesised because it sits in an OR.
fn precedence(levels: usize, inner: &str) -> String {
    let mut query = String::new();
    for _ in 0..levels {
        query.push_str("a AND (");
    }
    query.push_str(inner);
    for _ in 0..levels {
        query.push_str(") OR b");
    }
    query
}

// ----- nesting ----------------------------------------------------------------

#[test]
fn a_hundred_thousand_open_parentheses_are_too_deep() {
    on_small_stack(|| {
        let input = "(".repeat(100_000);
        let at = assert_too_deep(&input, &long());
        // Parentheses may nest one level past the limit while reading (room
        // for the canonical form's outer pair): the 66th is one too many.
        assert_eq!(at, DEPTH + 1);
        let errors = parse_with(&input, &long()).unwrap_err();
        assert!(errors.len() <= DEPTH + 2, "{} errors", errors.len());
        // With the default length limit, too-long comes first.
        let codes: Vec<_> = parse(&input)
            .unwrap_err()
            .iter()
            .map(|e| e.kind.code())
            .collect();
        assert_eq!(codes[..2], ["too-long", "too-deep"]);
    });
}

#[test]
fn a_hundred_thousand_balanced_parentheses_are_too_deep_once() {
    on_small_stack(|| {
        let input = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(assert_too_deep(&input, &long()), DEPTH + 1);
        // The closing run matches the skipped groups: nothing else to report.
        assert_eq!(parse_with(&input, &long()).unwrap_err().len(), 1);
    });
}

#[test]
fn twenty_thousand_nots_are_too_deep() {
    on_small_stack(|| {
        let input = format!("{}a", "NOT ".repeat(20_000));
        let at = assert_too_deep(&input, &long());
        assert_eq!(&input[at..at + 4], "NOT ");
        assert!(at <= (DEPTH + 1) * 4, "{at}");
        // The repair cancels NOT pairs: an even chain is no NOT,
        let repaired = parse_lenient_with(&input, &long()).query.unwrap();
        assert_eq!(repaired.to_string(), "(a)");
        // And an odd one odd (once, 65 NOTs came back as 64).
        let odd = format!("{}a", "NOT ".repeat(20_001));
        let repaired = parse_lenient_with(&odd, &long()).query.unwrap();
        assert_eq!(repaired.to_string(), "(NOT a)");
    });
}

#[test]
fn sixty_four_levels_parse_and_sixty_five_do_not() {
    let options = ParseOptions::default();
    let nots = |n: usize| format!("{}tag:x", "NOT ".repeat(n));
    assert_accepted(&nots(DEPTH), &options);
    assert_eq!(assert_too_deep(&nots(DEPTH + 1), &options), DEPTH * 4);

    assert_accepted(&alternating(DEPTH), &options);
    assert_too_deep(&alternating(DEPTH + 1), &options);

    // A field group is a level: NOT × 63 + `email:( … )`.
    let group = |nots: usize| format!("{}email:(a OR b)", "NOT ".repeat(nots));
    assert_accepted(&group(DEPTH - 1), &options);
    assert_eq!(
        assert_too_deep(&group(DEPTH), &options),
        DEPTH * 4 + "email:".len()
    );

    // So is the AND group that precedence implies in `a AND b OR c`, although
    // it has no parentheses as written: 32 levels of `a AND ( … ) OR b` nest
    // 64 deep in canonical form, with the innermost NOT.
    assert_accepted(&precedence(DEPTH / 2, "NOT x"), &options);
    assert_too_deep(&precedence(DEPTH / 2, "NOT NOT x"), &options);
    assert_too_deep(&precedence(DEPTH / 2 + 1, "x"), &options);

    // Redundant parentheses nest nothing, but reading them is bounded all the
    // same: the pair around the whole query is free, no more.
    let wrapped = |n: usize| format!("{}tag:x{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(
        assert_accepted(&wrapped(DEPTH + 1), &options).to_string(),
        "(tag:x)"
    );
    assert_eq!(assert_too_deep(&wrapped(DEPTH + 2), &options), DEPTH + 1);
}

#[test]
fn the_canonical_form_of_an_accepted_query_is_accepted() {
    // The canonical form adds parentheses (the outer pair, and one per AND
    // group inside an OR); the depth limit counts them, so the canonical
    // form of a query right at the limit is still within it.
    let options = ParseOptions::default();
    for input in [
        format!("{}a", "NOT ".repeat(DEPTH)),
        format!("{}a", "-".repeat(DEPTH)),
        precedence(DEPTH / 2, "NOT x"),
        alternating(DEPTH),
        format!("{}email:(a OR (b AND c))", "NOT ".repeat(DEPTH - 2)),
    ] {
        assert_accepted(&input, &options);
    }
}

/// Boosts parenthesise what they boost (`(a OR b)^2`, `(NOT a)^2`,
/// `(a^2)^3`): every boosted query the parser accepts, up to and past the
/// limit, has an accepted canonical form.
#[test]
fn boosted_queries_within_the_limit_have_accepted_canonical_forms() {
    let options = ParseOptions::default();
    let mut accepted = 0;
    for n in 1..=DEPTH + 4 {
        for input in [
            format!("{}a OR b{}", "(".repeat(n), ")^2".repeat(n)),
            format!("{}a{}", "(NOT ".repeat(n), ")^0.5".repeat(n)),
            format!("{}a{}", "(".repeat(n), "^2)".repeat(n)),
            format!("{}c OR a^2{}", "(c AND ".repeat(n), ")^3".repeat(n)),
        ] {
            if let Ok(parsed) = parse_with(&input, &options) {
                accepted += 1;
                let canonical = parsed.query.to_string();
                assert!(
                    parse_with(&canonical, &options).is_ok(),
                    "n={n} {input} -> {canonical}"
                );
                assert_accepted(&input, &options);
            }
        }
    }
    assert!(accepted > DEPTH, "only {accepted} accepted");
}

#[test]
fn the_lenient_mode_gives_up_on_a_deep_query_rather_than_drop_part_of_it() {
    let options = ParseOptions::default();
    // Dropping the part past the limit would change what the query selects
    // (widen it, or narrow it under a NOT): no repaired query.
    for input in [
        format!("x OR ({})", precedence(DEPTH, "y")),
        format!("x AND NOT ({})", alternating(DEPTH + 1)),
        format!(
            "x AND {}",
            "(".repeat(DEPTH + 2) + "y" + &")".repeat(DEPTH + 2)
        ),
    ] {
        let lenient = parse_lenient_with(&input, &options);
        assert!(
            lenient.errors.iter().any(|e| e.kind.code() == "too-deep"),
            "{input}"
        );
        assert!(lenient.query.is_none(), "{input}");
    }
}

// ----- the ceiling -------------------------------------------------------------

#[test]
fn max_depth_is_clamped_to_the_ceiling() {
    const CEILING: usize = ParseOptions::DEPTH_CEILING;
    assert_eq!(CEILING, 256);
    on_small_stack(|| {
        let options = ParseOptions {
            max_depth: usize::MAX,
            ..long()
        };
        assert_accepted(&alternating(CEILING), &options);
        assert_accepted(&format!("{}a", "NOT ".repeat(CEILING)), &options);
        assert_accepted(&precedence(CEILING / 2, "NOT x"), &options);
        assert_too_deep(&alternating(CEILING + 1), &options);
        assert_too_deep(&format!("{}a", "NOT ".repeat(CEILING + 1)), &options);
        // The deepest tree the parser builds before checking it: twice the
        // ceiling, then pruned.
        assert_too_deep(&precedence(CEILING + 1, "x"), &options);
        assert_too_deep(&"(".repeat(100_000), &options);
        let options = ParseOptions {
            max_depth: 2000,
            ..long()
        };
        assert_too_deep(&format!("{}a", "NOT ".repeat(20_000)), &options);
    });
}

// ----- length ------------------------------------------------------------------

#[test]
fn a_mebibyte_query_is_too_long_by_default() {
    on_small_stack(|| {
        let input = "tag:x OR ".repeat((1 << 20) / 9 + 1) + "tag:y";
        assert!(input.len() >= 1 << 20);
        let errors = parse(&input).unwrap_err();
        assert_eq!(errors[0].kind.code(), "too-long");
        assert_eq!(
            errors[0].kind,
            ErrorKind::TooLong {
                len: input.len(),
                max: 64 * 1024
            }
        );
        assert_eq!(errors[0].span.start, 64 * 1024);
        assert_eq!(errors[0].span.end, input.len());
        // The lenient mode does not drop the rest: no repaired query.
        let lenient = parse_lenient_with(&input, &ParseOptions::default());
        assert!(lenient.query.is_none());
        assert_eq!(lenient.errors[0].kind.code(), "too-long");
    });
}

#[test]
fn the_length_limit_cuts_at_a_character_boundary() {
    let options = ParseOptions {
        max_length: 5,
        ..ParseOptions::default()
    };
    let errors = parse_with("tag:日本", &options).unwrap_err();
    assert_eq!(errors[0].kind.code(), "too-long");
    assert_eq!(errors[0].span.start, 4, "cut before the 3-byte '日'");
}

#[test]
fn a_mebibyte_of_clauses_parses_with_a_raised_limit() {
    on_small_stack(|| {
        let options = ParseOptions {
            max_length: 2 << 20,
            ..ParseOptions::default()
        };
        let clauses: Vec<String> = (0..(1 << 20) / 15 + 1)
            .map(|i| format!("tag:t{i:06}"))
            .collect();
        let input = clauses.join(" OR ");
        assert!(input.len() >= 1 << 20);
        let query = assert_accepted(&input, &options);
        let ExprKind::Or { operands } = &query.root.kind else {
            panic!("not an OR");
        };
        assert_eq!(operands.len(), clauses.len());
    });
}

// ----- linear work ---------------------------------------------------------------

// These inputs once made the parser quadratic. Without timing anything, they
// pin the behaviour that keeps it linear, at a size where quadratic work
// would show.

#[test]
fn many_empty_groups_are_reported_one_by_one() {
    let options = ParseOptions {
        max_length: 2 << 20,
        ..ParseOptions::default()
    };
    let input = "()".repeat(512 * 1024);
    let lenient = parse_lenient_with(&input, &options);
    assert!(lenient.query.is_none());
    // All the same: one error, that says how many places.
    assert_eq!(lenient.errors.len(), 1);
    assert_eq!(lenient.errors[0].kind.code(), "expected-clause");
    let repeats = lenient.errors[0].repeats.expect("grouped");
    assert_eq!(repeats.count, 512 * 1024);
    assert_eq!(repeats.last.start, input.len() - 1);
}

#[test]
fn a_phrase_full_of_wildcards_warns_once() {
    let input = format!("{}\"{}\"", "a ".repeat(16 * 1024), "*".repeat(64 * 1024));
    let options = ParseOptions {
        max_length: 1 << 20,
        ..ParseOptions::default()
    };
    let parsed = parse_with(&input, &options).unwrap();
    let wildcards = parsed
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::WildcardInPhrase { .. }))
        .count();
    assert_eq!(wildcards, 1);
}

#[test]
fn the_mixed_and_or_reading_is_cut_short() {
    // Every nested mixed sequence quotes its reading; in full, that would be
    // quadratic in the input.
    let wide = "x OR ".repeat(200);
    let mut input = String::from("z");
    for _ in 0..100 {
        input = format!("a AND ({input}) OR {wide}b");
    }
    let options = ParseOptions {
        max_depth: 256,
        max_length: 1 << 20,
        ..ParseOptions::default()
    };
    let parsed = on_small_stack(move || parse_with(&input, &options).unwrap());
    let readings: Vec<(&str, usize)> = parsed
        .warnings
        .iter()
        .filter_map(|w| match &w.kind {
            WarningKind::MixedAndOr { reading } => {
                Some((reading.as_str(), w.repeats.map_or(1, |r| r.count)))
            }
            _ => None,
        })
        .collect();
    // Cut short, most readings are the same text: grouped.
    assert_eq!(readings.iter().map(|(_, n)| n).sum::<usize>(), 100);
    let readings = readings.into_iter().map(|(r, _)| r);
    for reading in readings {
        assert!(
            reading.len() <= 120 + '…'.len_utf8(),
            "{} bytes",
            reading.len()
        );
        assert!(reading.ends_with('…'));
    }
    // A short reading is quoted whole.
    let parsed = parse("a AND b OR c").unwrap();
    assert_eq!(
        parsed.warnings[0].kind,
        WarningKind::MixedAndOr {
            reading: "(a AND b) OR c".to_owned()
        }
    );
}
