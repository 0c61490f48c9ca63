//! Wildcard patterns (`*` any run, `?` one character) against single tokens,
//! in time linear in the token for a given pattern.
//!
//! No backtracking: the pattern is split at `*` into segments. The first
//! segment must match at the start, the last at the end, and each middle
//! segment is found at its leftmost position after the previous one. Taking
//! the leftmost match is always safe for `*`-separated segments (any later
//! match leaves less room for the rest), so one left-to-right pass decides.
//! `*a*a*a*a*a*b` against a long run of `a`s therefore costs one scan per
//! segment, not an exponential search.

use crate::syntax::ast::{Wildcard as WildcardAst, WildcardPart};

/// One character of a segment: a literal or `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Char(char),
    Any,
}

/// A compiled, lower-cased wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Segments between `*`s; `segments.len() - 1` stars separate them.
    segments: Vec<Vec<Unit>>,
}

impl Pattern {
    /// Compiles a wildcard from the syntax tree, lower-cased like tokens.
    ///
    /// ```
    /// use helpscout_query::eval::wildcard::Pattern;
    /// let query: helpscout_query::Query = "firstName:Jo*n?".parse().unwrap();
    /// # let helpscout_query::syntax::ast::ExprKind::Clause(c) = &query.root.kind else { panic!() };
    /// # let helpscout_query::syntax::ast::ClauseValue::Single { value } = &c.value else { panic!() };
    /// # let helpscout_query::syntax::ast::ValueKind::Wildcard(w) = &value.kind else { panic!() };
    /// let pattern = Pattern::new(w);
    /// assert!(pattern.matches("johnny"));
    /// assert!(!pattern.matches("john"));
    /// ```
    pub fn new(wildcard: &WildcardAst) -> Pattern {
        let mut segments = vec![Vec::new()];
        for part in &wildcard.parts {
            match part {
                WildcardPart::Literal(text) => {
                    if let Some(last) = segments.last_mut() {
                        last.extend(text.to_lowercase().chars().map(|c| Unit::Char(fold(c))));
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
        Pattern { segments }
    }

    /// The segments between `*`s, lower-cased and folded (`ς` as `σ`), for
    /// compilers that turn the pattern into another matcher (`crate::sql`).
    pub(crate) fn segments(&self) -> &[Vec<Unit>] {
        &self.segments
    }

    /// Whether the whole `token` (already lower-cased) matches.
    pub fn matches(&self, token: &str) -> bool {
        let chars: Vec<char> = token.chars().map(fold).collect();
        let Some((first, rest)) = self.segments.split_first() else {
            return chars.is_empty();
        };
        let Some((last, middle)) = rest.split_last() else {
            // No star: the one segment is the whole token.
            return chars.len() == first.len() && segment_at(first, &chars, 0);
        };
        if chars.len() < first.len() + last.len() || !segment_at(first, &chars, 0) {
            return false;
        }
        let end = chars.len() - last.len();
        if !segment_at(last, &chars, end) {
            return false;
        }
        let mut at = first.len();
        for segment in middle {
            match find(segment, &chars[..end], at) {
                Some(found) => at = found + segment.len(),
                None => return false,
            }
        }
        true
    }
}

/// Final sigma as sigma. `to_lowercase` is context-sensitive for one letter
/// only: `Σ` becomes `ς` at the end of a word and `σ` elsewhere. A literal is
/// lower-cased without the rest of its word (`ΟΔΥΣ*` gives `οδυς`), so it
/// could miss the `σ` of the token `οδυσσέας` that `οδυσ*` finds. Comparing
/// both sides with `ς` folded to `σ` keeps matching case-insensitive; it
/// changes no lengths, so `?` still counts characters the same way.
fn fold(c: char) -> char {
    if c == 'ς' { 'σ' } else { c }
}

/// Whether `segment` matches `chars` starting exactly at `at`.
fn segment_at(segment: &[Unit], chars: &[char], at: usize) -> bool {
    chars.len() >= at + segment.len()
        && segment
            .iter()
            .zip(&chars[at..])
            .all(|(unit, &c)| match unit {
                Unit::Char(expected) => *expected == c,
                Unit::Any => true,
            })
}

/// The leftmost position at or after `from` where `segment` matches.
fn find(segment: &[Unit], chars: &[char], from: usize) -> Option<usize> {
    if chars.len() < segment.len() {
        return None;
    }
    (from..=chars.len() - segment.len()).find(|&at| segment_at(segment, chars, at))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn final_sigma_is_sigma() {
        // "Οδυσσέας" is the token "οδυσσέας"; "ΟΔΥΣ" alone lower-cases to "οδυς".
        let prefix = Pattern::new(&WildcardAst {
            parts: vec![
                WildcardPart::Literal("ΟΔΥΣ".to_owned()),
                WildcardPart::AnyRun,
            ],
        });
        assert!(prefix.matches("οδυσσέας"));
        assert!(pattern("ΟΔΥΣΣΈ?Σ").matches("οδυσσέας"));
        assert!(pattern("*ΑΣ").matches("οδυσσέας"));
        assert!(pattern("οδυσ*").matches("οδυσσέας"));
    }
}
