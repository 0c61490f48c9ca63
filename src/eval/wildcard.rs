//! Wildcard patterns (`*` any run, `?` one character) against single tokens,
//! in time linear in the token.
//!
//! No backtracking: the pattern is split at `*` into segments. The first
//! segment must match at the start, the last at the end, and each middle
//! segment is found at its leftmost position after the previous one. Taking
//! the leftmost match is always safe for `*`-separated segments (any later
//! match leaves less room for the rest), so one left-to-right pass decides,
//! and each search starts where the previous one ended.
//!
//! The searches themselves are linear too. `?`s at either end of a middle
//! segment only skip characters. What is left (the core) is searched with
//! `memchr::memmem` (two-way: linear, whatever the text) when it is plain
//! text, and with a bit-parallel shift-and automaton when it has a `?`
//! inside, which costs one pass over the token per 64 characters of the
//! core; the parser bounds such cores (`wildcard-too-complex`). So `*a*a*b`
//! or a 16k-character segment against a long run of `a`s costs one pass,
//! not the product of the lengths.

use std::collections::HashMap;

use memchr::memmem;

use crate::syntax::ast::{Wildcard as WildcardAst, WildcardPart};
use crate::text::lowercase_char;

/// One character of a segment: a literal or `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Char(char),
    Any,
}

/// A compiled, lower-cased wildcard pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// Segments between `*`s; `segments.len() - 1` stars separate them.
    segments: Vec<Segment>,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.segments
            .iter()
            .map(|s| &s.units)
            .eq(other.segments.iter().map(|s| &s.units))
    }
}

impl Eq for Pattern {}

/// A segment between two stars (or an end of the pattern).
#[derive(Debug, Clone)]
struct Segment {
    units: Vec<Unit>,
    /// `?`s at its start and its end.
    lead: usize,
    trail: usize,
    /// What is between them, compiled for searching.
    core: Core,
}

#[derive(Debug, Clone)]
enum Core {
    /// Only `?`s, or nothing.
    Empty,
    /// Plain text.
    Text(Box<memmem::Finder<'static>>),
    /// Text with `?` inside.
    Masked(Masks),
}

/// A shift-and automaton: bit `i` of the state is set when the core's
/// first `i + 1` units match the characters just read.
#[derive(Debug, Clone)]
struct Masks {
    len: usize,
    /// The positions a character not in `by_char` matches: the `?`s.
    any: Vec<u64>,
    by_char: HashMap<char, Vec<u64>>,
}

impl Segment {
    fn new(units: Vec<Unit>) -> Segment {
        let lead = units.iter().take_while(|u| **u == Unit::Any).count();
        let trail = if lead == units.len() {
            0
        } else {
            units.iter().rev().take_while(|u| **u == Unit::Any).count()
        };
        let core_units = &units[lead..units.len() - trail];
        let core = if core_units.is_empty() {
            Core::Empty
        } else if core_units.contains(&Unit::Any) {
            Core::Masked(Masks::new(core_units))
        } else {
            let text: String = core_units
                .iter()
                .filter_map(|u| match u {
                    Unit::Char(c) => Some(*c),
                    Unit::Any => None,
                })
                .collect();
            Core::Text(Box::new(memmem::Finder::new(text.as_bytes()).into_owned()))
        };
        Segment {
            units,
            lead,
            trail,
            core,
        }
    }

    /// Where the leftmost match of this segment in `token[from..end]` ends.
    fn find(&self, token: &str, from: usize, end: usize) -> Option<usize> {
        let at = skip(token, from, end, self.lead)?;
        let at = match &self.core {
            Core::Empty => at,
            Core::Text(finder) => {
                at + finder.find(&token.as_bytes()[at..end])? + finder.needle().len()
            }
            Core::Masked(masks) => masks.find_end(token, at, end)?,
        };
        skip(token, at, end, self.trail)
    }
}

impl Masks {
    fn new(units: &[Unit]) -> Masks {
        let words = units.len().div_ceil(64);
        let mut any = vec![0u64; words];
        for (i, unit) in units.iter().enumerate() {
            if *unit == Unit::Any {
                any[i / 64] |= 1 << (i % 64);
            }
        }
        let mut by_char: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, unit) in units.iter().enumerate() {
            if let Unit::Char(c) = unit {
                by_char.entry(*c).or_insert_with(|| any.clone())[i / 64] |= 1 << (i % 64);
            }
        }
        Masks {
            len: units.len(),
            any,
            by_char,
        }
    }

    /// Where the first match in `token[from..end]` ends.
    fn find_end(&self, token: &str, from: usize, end: usize) -> Option<usize> {
        let mut state = vec![0u64; self.any.len()];
        let last = self.len - 1;
        for (i, c) in token[from..end].char_indices() {
            let mask = self.by_char.get(&c).unwrap_or(&self.any);
            let mut carry = 1u64;
            for (word, mask) in state.iter_mut().zip(mask) {
                let next = *word >> 63;
                *word = ((*word << 1) | carry) & mask;
                carry = next;
            }
            if state[last / 64] >> (last % 64) & 1 == 1 {
                return Some(from + i + c.len_utf8());
            }
        }
        None
    }
}

/// The byte offset `n` characters after `from`, if that is not past `end`.
fn skip(token: &str, from: usize, end: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(from);
    }
    token[from..end]
        .char_indices()
        .nth(n - 1)
        .map(|(i, c)| from + i + c.len_utf8())
}

/// Where a segment anchored at the start of `token` ends, if it matches.
fn prefix_end(units: &[Unit], token: &str) -> Option<usize> {
    let mut chars = token.char_indices();
    let mut end = 0;
    for unit in units {
        let (i, c) = chars.next()?;
        if let Unit::Char(expected) = unit {
            if *expected != c {
                return None;
            }
        }
        end = i + c.len_utf8();
    }
    Some(end)
}

/// Where a segment anchored at the end of `token` starts, if it matches.
fn suffix_start(units: &[Unit], token: &str) -> Option<usize> {
    let mut chars = token.char_indices().rev();
    let mut start = token.len();
    for unit in units.iter().rev() {
        let (i, c) = chars.next()?;
        if let Unit::Char(expected) = unit {
            if *expected != c {
                return None;
            }
        }
        start = i;
    }
    Some(start)
}

impl Pattern {
    /// Compiles a wildcard from the syntax tree, lower-cased like tokens,
    /// code point by code point as Lucene's `LowerCaseFilter` does (`Σ` is
    /// `σ` wherever it stands, a written `ς` stays `ς`): `Jo*n?` matches
    /// `johnny`, not `john`.
    pub fn new(wildcard: &WildcardAst) -> Pattern {
        let mut segments = vec![Vec::new()];
        for part in &wildcard.parts {
            match part {
                WildcardPart::Literal(text) => {
                    if let Some(last) = segments.last_mut() {
                        last.extend(text.chars().map(|c| Unit::Char(lowercase_char(c))));
                    }
                }
                // As written: Lucene lower-cases no escaped character.
                WildcardPart::Escaped(text) => {
                    if let Some(last) = segments.last_mut() {
                        last.extend(text.chars().map(Unit::Char));
                    }
                }
                WildcardPart::AnyChar => {
                    if let Some(last) = segments.last_mut() {
                        last.push(Unit::Any);
                    }
                }
                WildcardPart::AnyRun => segments.push(Vec::new()),
            }
        }
        Pattern {
            segments: segments.into_iter().map(Segment::new).collect(),
        }
    }

    /// The segments between `*`s, lower-cased and folded (`ς` as `σ`), for
    /// compilers that turn the pattern into another matcher (`crate::sql`).
    pub(crate) fn segments(&self) -> Vec<&[Unit]> {
        self.segments.iter().map(|s| s.units.as_slice()).collect()
    }

    /// Whether the whole `token` (already lower-cased) matches.
    pub fn matches(&self, token: &str) -> bool {
        let Some((first, rest)) = self.segments.split_first() else {
            return token.is_empty();
        };
        let Some((last, middle)) = rest.split_last() else {
            // No star: the one segment is the whole token.
            return prefix_end(&first.units, token) == Some(token.len());
        };
        let Some(mut at) = prefix_end(&first.units, token) else {
            return false;
        };
        let Some(end) = suffix_start(&last.units, token) else {
            return false;
        };
        if at > end {
            return false;
        }
        for segment in middle {
            match segment.find(token, at, end) {
                Some(found) => at = found,
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pattern(text: &str) -> Pattern {
        let mut parts = Vec::new();
        for c in text.chars() {
            parts.push(match c {
                '*' => WildcardPart::AnyRun,
                '?' => WildcardPart::AnyChar,
                c => WildcardPart::Literal(c.to_string()),
            });
        }
        Pattern::new(&WildcardAst { parts })
    }

    #[test]
    fn table() {
        let cases = [
            ("jo*", "john", true),
            ("jo*", "jo", true),
            ("jo*", "j", false),
            ("*son", "jackson", true),
            ("*son", "sonny", false),
            ("j?hn", "john", true),
            ("j?hn", "jhn", false),
            ("*", "", true),
            ("*", "anything", true),
            ("?", "", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "acb", false),
            ("*ab*ab*", "abab", true),
            ("*ab*ab*", "aba", false),
            ("*a*a*a*a*a*b", &"a".repeat(40), false),
            ("*a*a*a*a*a*b", &format!("{}b", "a".repeat(40)), true),
            ("ë*", "ëlla", true),
            ("a?", "aé", true),
        ];
        for (p, token, expected) in cases {
            assert_eq!(pattern(p).matches(token), expected, "{p} ~ {token}");
        }
    }

    #[test]
    fn patterns_are_lower_cased() {
        assert!(pattern("JO*").matches("john"));
    }

    #[test]
    fn sigma_is_lower_cased_as_lucene_does() {
        // "Οδυσσέας" is the token "οδυσσέας" (a written final sigma stays);
        // "Σ" is "σ" wherever it stands, as in Lucene's `LowerCaseFilter`.
        let prefix = Pattern::new(&WildcardAst {
            parts: vec![
                WildcardPart::Literal("ΟΔΥΣ".to_owned()),
                WildcardPart::AnyRun,
            ],
        });
        assert!(prefix.matches("οδυσσέας"));
        assert!(!pattern("ΟΔΥΣΣΈ?Σ").matches("οδυσσέας"));
        assert!(pattern("ΟΔΥΣΣΈ?Σ").matches("οδυσσέασ"));
        assert!(!pattern("*ΑΣ").matches("οδυσσέας"));
        assert!(pattern("*ας").matches("οδυσσέας"));
        assert!(pattern("οδυσ*").matches("οδυσσέας"));
        // "İ" is one code point "i", not "i" and a combining dot.
        assert!(pattern("İST*").matches("istanbul"));
        assert!(pattern("?İ").matches("ii"));
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
}
