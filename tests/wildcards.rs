//! Wildcards (issue 9, item 11): matching is linear in the word and agrees
//! with the textbook definition on every shape, adversarial ones included
//! (long segments, many stars, runs of `?`, non-ASCII). Correctness only:
//! the time is in `benches/`.

use helpscout_query::eval::wildcard::Pattern;
use helpscout_query::syntax::ast::{Wildcard, WildcardPart};
use helpscout_query::{ParseOptions, parse, parse_with};
use proptest::prelude::*;

/// The pattern written with `*` and `?` (no escapes).
fn pattern(text: &str) -> Pattern {
    let parts = text
        .chars()
        .map(|c| match c {
            '*' => WildcardPart::AnyRun,
            '?' => WildcardPart::AnyChar,
            c => WildcardPart::Literal(c.to_string()),
        })
        .collect();
    Pattern::new(&Wildcard { parts })
}

/// The definition, by dynamic programming over characters.
fn reference(pattern: &str, token: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = token.chars().collect();
    // matched[j]: the pattern so far matches t[..j].
    let mut matched = vec![false; t.len() + 1];
    matched[0] = true;
    for &pc in &p {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match pc {
                '*' => matched[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && matched[j - 1],
                c => j > 0 && matched[j - 1] && t[j - 1] == c,
            };
        }
        matched = next;
    }
    matched[t.len()]
}

proptest! {
    #[test]
    fn agrees_with_the_definition(
        p in "[ab?*é]{0,12}",
        t in "[abé]{0,16}",
    ) {
        prop_assert_eq!(pattern(&p).matches(&t), reference(&p, &t), "{} ~ {}", p, t);
    }

    #[test]
    fn agrees_on_periodic_text(
        p in "(a|aa|ab|\\?|\\*){0,10}",
        n in 0usize..60,
        tail in "[ab]{0,3}",
    ) {
        let t = format!("{}{tail}", "a".repeat(n));
        prop_assert_eq!(pattern(&p).matches(&t), reference(&p, &t), "{} ~ {}", p, t);
    }
}

#[test]
fn adversarial_shapes() {
    let many_a = "a".repeat(1 << 20);
    let many_a_b = format!("{many_a}b");
    let long_segment = format!("*{}b*", "a".repeat(16 * 1024));
    assert!(!pattern(&long_segment).matches(&many_a));
    assert!(pattern(&long_segment).matches(&many_a_b));
    let stars = format!("{}b", "*a".repeat(2000));
    assert!(!pattern(&stars).matches(&many_a));
    assert!(pattern(&stars).matches(&many_a_b));
    // `?` runs: at the ends of a part they only skip; inside, the automaton.
    let masked = format!("*{}b*", "a?".repeat(120));
    assert!(!pattern(&masked).matches(&many_a));
    assert!(pattern(&masked).matches(&many_a_b));
    let skips = format!("*{}a{}*", "?".repeat(5000), "?".repeat(5000));
    assert!(pattern(&skips).matches(&many_a));
    assert!(!pattern(&skips).matches(&"a".repeat(10_000)));
    // Non-ASCII: `?` is one character, not one byte.
    let accents = "é".repeat(100_000);
    assert!(pattern("*é?é*").matches(&accents));
    assert!(pattern(&format!("*{}*", "é?".repeat(100))).matches(&accents));
    assert!(!pattern(&format!("*{}x*", "é?".repeat(100))).matches(&accents));
    assert!(pattern("?*?").matches("éé"));
    assert!(!pattern("??*??").matches("ééé"));
    // The first and last parts may not overlap.
    assert!(!pattern("ab*ba").matches("aba"));
    assert!(pattern("ab*ba").matches("abba"));
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
