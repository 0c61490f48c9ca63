//! The scan prefilter: which lines of a block may hold a matching record,
//! found with a vectorised substring search over the whole block, before
//! any JSON is parsed.
//!
//! A request whose query (and name parameters) requires literals in every
//! match ([`crate::eval::literals`]) needs its matcher only on the lines that
//! hold them. The search is ASCII case-insensitive, so the literals are found
//! in any ASCII case. What the search cannot see, it sends to the matcher:
//! a line holding a backslash (a JSON escape, `\u0041` or `\"`, decodes to
//! other characters than its bytes) or one of the [`HAZARDS`] (characters
//! outside ASCII whose lower case is ASCII: the Kelvin sign is `k` to the
//! matcher) is always a candidate. The prefilter is a necessary condition
//! only: a candidate still goes through the full matcher.
//!
//! What it must never do is skip a line's validation: every line, candidate
//! or not, is still read by the validating scanner, so a malformed record
//! is reported exactly as without the prefilter, and the `mailbox` rule
//! (which asks whether any record has `mailboxIds`) sees every record. Only
//! the matcher (tokenizing, the sort key) is saved on the other lines.

use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::eval::literals::Required;

/// The texts that make a line's bytes differ from what the matcher reads
/// (after decoding and lower-casing): a backslash (any JSON escape) and
/// every character outside ASCII whose lower case
/// ([`crate::text::lowercase_char`]) is ASCII. A test derives the latter
/// from `lowercase_char` over every `char`.
pub(crate) const HAZARDS: &[&str] = &["\\", "\u{130}", "\u{212A}"];

/// Whether the prefilter is used: it never changes an answer, and tests
/// compare both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prefiltering {
    /// Lines without the required literals skip the matcher.
    On,
    /// Every line goes through the matcher (the reference the tests compare
    /// against; no caller outside them needs it).
    #[cfg_attr(not(test), allow(dead_code))]
    Off,
}

/// The compiled prefilter of a request.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// The first group's literals and the hazards, searched for over the
    /// whole block.
    first: AhoCorasick,
    /// Every other group's literals and the hazards, searched for in the
    /// lines the first one found.
    rest: Vec<AhoCorasick>,
}

impl Prefilter {
    /// The prefilter for these groups of literals (the first group is
    /// searched for over whole blocks, so it should be the most selective);
    /// `None` when nothing is required (or a search cannot be built), and
    /// every line is a candidate.
    pub(crate) fn new(required: &Required) -> Option<Prefilter> {
        let mut automata = required.iter().map(|group| search(group));
        let first = automata.next()??;
        let rest = automata.collect::<Option<Vec<_>>>()?;
        Some(Prefilter { first, rest })
    }

    /// Appends to `hits`, in order, one offset in each line of `text` (lines
    /// end at `\n`) that may hold a matching record: a line that holds a
    /// literal of every group, or a hazard. Other lines cannot match.
    pub(crate) fn candidates(&self, text: &[u8], hits: &mut Vec<usize>) {
        let mut at = 0;
        while at < text.len() {
            let Some(found) = self.first.find(Input::new(text).range(at..)) else {
                break;
            };
            let hit = found.start();
            let line_start = memchr::memrchr(b'\n', &text[at..hit]).map_or(at, |i| at + i + 1);
            let line_end = memchr::memchr(b'\n', &text[hit..]).map_or(text.len(), |i| hit + i);
            let line = &text[line_start..line_end];
            // A hazard anywhere in the line is found by every search.
            if self.rest.iter().all(|search| search.is_match(line)) {
                hits.push(hit);
            }
            at = line_end + 1;
        }
    }
}

/// One search for any of `literals` (ASCII case-insensitively) or a hazard.
fn search(literals: &[String]) -> Option<AhoCorasick> {
    if literals.is_empty() {
        return None;
    }
    let patterns = literals
        .iter()
        .map(String::as_str)
        .chain(HAZARDS.iter().copied());
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .ok()
}

#[cfg(test)]
#[path = "prefilter_equivalence.rs"]
mod equivalence;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lowercase_char;

    /// The hazards are exactly the backslash and the characters outside
    /// ASCII that lower-case to ASCII, over every `char`.
    #[test]
    fn hazards_are_every_char_lowercased_to_ascii() {
        let derived: Vec<String> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && lowercase_char(*c).is_ascii())
            .map(String::from)
            .collect();
        assert_eq!(HAZARDS[0], "\\");
        assert_eq!(&HAZARDS[1..], derived.as_slice());
    }

    fn candidates(required: &[&[&str]], text: &str) -> Vec<usize> {
        let required: Required = required
            .iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let prefilter = Prefilter::new(&required).unwrap();
        let mut hits = Vec::new();
        prefilter.candidates(text.as_bytes(), &mut hits);
        // The line of each hit.
        hits.iter()
            .map(|&h| text[..h].matches('\n').count())
            .collect()
    }

    #[test]
    fn which_lines_are_candidates() {
        let text = "john\nJOHN smith\njane\nsmith\nJo\\u0068n\nkelvin \u{212A}\n\nİ smith john\nSMITH, JOHNNY";
        assert_eq!(candidates(&[&["john"]], text), [0, 1, 4, 5, 7, 8]);
        assert_eq!(candidates(&[&["smith"], &["john"]], text), [1, 4, 5, 7, 8]);
        assert_eq!(candidates(&[&["john"], &["smith"]], text), [1, 4, 5, 7, 8]);
        assert_eq!(
            candidates(&[&["jane", "smith"]], text),
            [1, 2, 3, 4, 5, 7, 8]
        );
        assert_eq!(candidates(&[&["nobody"]], "x\ny"), [] as [usize; 0]);
        assert!(Prefilter::new(&Vec::new()).is_none());
    }
}
