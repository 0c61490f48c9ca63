//! Wildcards (issue 9, item 11): matching is linear in the word, and a
//! part that the linear search cannot take is a clear error. The matcher's
//! agreement with the textbook definition on every shape (long parts, many
//! stars, runs of `?`, non-ASCII) is property-tested in `eval::wildcard`'s
//! unit tests; here, the same shapes through the public API. Correctness
//! only: the time is in `benches/hostile.rs`.

use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{ParseOptions, parse, parse_with, schema, validate};

fn options() -> ParseOptions {
    ParseOptions {
        max_length: 1 << 20,
        ..ParseOptions::default()
    }
}

/// Whether `firstName:<pattern>` matches a customer whose first name is `name`.
fn matches(pattern: &str, name: &str) -> bool {
    let query = format!("firstName:{pattern}");
    let typed = validate(&query, schema::customers(), &options())
        .query
        .unwrap_or_else(|| panic!("{query:.40} is invalid"));
    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    let matcher = Matcher::compile(&typed, now).unwrap();
    matcher.matches(&Document::new(Some(name), None, [], None, None))
}

#[test]
fn adversarial_shapes() {
    let many_a = "a".repeat(1 << 20);
    let many_a_b = format!("{many_a}b");
    let long_segment = format!("*{}b*", "a".repeat(16 * 1024));
    assert!(!matches(&long_segment, &many_a));
    assert!(matches(&long_segment, &many_a_b));
    let stars = format!("{}b", "*a".repeat(2000));
    assert!(!matches(&stars, &many_a));
    assert!(matches(&stars, &many_a_b));
    // `?` runs: at the ends of a part they only skip; inside, the automaton.
    let masked = format!("*{}b*", "a?".repeat(120));
    assert!(!matches(&masked, &many_a));
    assert!(matches(&masked, &many_a_b));
    let skips = format!("*{}a{}*", "?".repeat(5000), "?".repeat(5000));
    assert!(matches(&skips, &many_a));
    assert!(!matches(&skips, &"a".repeat(10_000)));
    // Non-ASCII: `?` is one character, not one byte; case is folded.
    let accents = "é".repeat(100_000);
    assert!(matches("*é?é*", &accents));
    assert!(matches(&format!("*{}*", "É?".repeat(100)), &accents));
    assert!(!matches(&format!("*{}x*", "é?".repeat(100)), &accents));
    assert!(matches("?*?", "éé"));
    assert!(!matches("??*??", "ééé"));
    // The first and last parts may not overlap.
    assert!(!matches("ab*ba", "aba"));
    assert!(matches("ab*ba", "abba"));
}

#[test]
fn a_long_part_with_a_question_mark_inside_is_an_error() {
    let options = ParseOptions {
        max_length: 1 << 20,
        ..ParseOptions::default()
    };
    let core = format!("{}?b", "a".repeat(300));
    for rejected in [format!("firstName:*{core}*"), format!("*x*{core}*y")] {
        let errors = parse_with(&rejected, &options).unwrap_err();
        assert_eq!(
            errors[0].kind.code(),
            "wildcard-too-complex",
            "{rejected:.40}"
        );
    }
    // At the limit, anchored at an end, only `?` at its ends, or plain text: fine.
    let at_limit = format!("{}?b", "a".repeat(254));
    let plain = "a".repeat(20_000);
    let skips = format!("{}{plain}{}", "?".repeat(300), "?".repeat(300));
    for accepted in [
        format!("firstName:*{at_limit}*"),
        format!("firstName:{core}*"),
        format!("firstName:*{core}"),
        format!("firstName:{core}"),
        format!("firstName:*{plain}*"),
        format!("firstName:*{skips}*"),
    ] {
        assert!(parse_with(&accepted, &options).is_ok(), "{accepted:.40}");
    }
    // Escaped, a `?` is a plain character.
    assert!(parse(&format!("firstName:*{}\\?b*", "a".repeat(300))).is_ok());
}
