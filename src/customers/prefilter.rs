//! The scan prefilter: which records may match a request whose query (and
//! name parameters) requires literals in every match
//! ([`crate::eval::literals`]), decided from the bytes of their text fields
//! before the matcher reads them.
//!
//! Every line must be validated whatever the query (a malformed record is an
//! error), and the quick check that validates most lines
//! ([`crate::customers::scan::shapes`]) also finds where the record's text
//! fields are (`firstName`, `lastName`, each email's `value`: all the
//! matcher reads as text, and so all that a required literal can be found
//! in). A record is a candidate when, for each group, one of its literals is
//! in one of those values, ASCII case-insensitively: the values are copied
//! with their ASCII letters lower-cased and searched, each literal from the
//! places of its rarest byte (`memchr`), each place checked.
//! Only candidates go through the matcher (tokenizing, the sort key).
//! (Before, each 32 KiB piece of the block was lower-cased and searched
//! whole, before validation: a pass over every byte, and a hit anywhere in
//! the line, `gravatar` in a URL, made a candidate.)
//!
//! What the search cannot see, it sends to the matcher: the values it is
//! given hold no escapes (the quick check vouches only for strings without
//! a backslash), but one of the [`HAZARDS`] in a value (characters outside
//! ASCII whose lower case is ASCII: the Kelvin sign is `k` to the matcher)
//! makes the record a candidate. Of a word with letters outside ASCII only
//! its longest ASCII run is searched for (`søren` as `ren`). A line the
//! quick check does not vouch for is always a candidate (the scanner reads
//! it, then the matcher). The prefilter is a necessary condition only: a
//! candidate still goes through the full matcher.
//!
//! What it must never do is skip a line's validation: every line, candidate
//! or not, is validated (by the quick check, or else the scanner), so a
//! malformed record is reported exactly as without the prefilter, and the
//! `mailbox` rule (which asks whether any record has `mailboxIds`) sees
//! every record.

use crate::eval::literals::Required;

/// The texts that make a value's bytes differ from what the matcher reads
/// (after decoding and lower-casing): a backslash (any JSON escape; never
/// in the values [`Prefilter::holds`] is given) and
/// every character outside ASCII whose lower case
/// ([`crate::text::lowercase_char`]) is ASCII. A test derives the latter
/// from `lowercase_char` over every `char`.
pub(crate) const HAZARDS: &[&str] = &["\\", "\u{130}", "\u{212A}"];

// The hazards' first bytes are searched for with one `memchr3`.
const _: () = assert!(HAZARDS.len() == 3);

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

/// The compiled prefilter of a request: for each group, a substring
/// search for each of its literals (lower case), run over a record's text
/// fields, ASCII-lower-cased.
#[derive(Debug)]
pub(crate) struct Prefilter {
    groups: Vec<Vec<Literal>>,
}

/// A literal to search for, lower case, and the place of its rarest byte
/// ([`anchor`]), which the search looks for first.
#[derive(Debug)]
struct Literal {
    needle: Box<[u8]>,
    anchor: usize,
}

/// A worker's buffer for [`Prefilter::holds`], reused record after record.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// A record's text fields, ASCII letters lower-cased, one a line.
    folded: Vec<u8>,
}

impl Prefilter {
    /// The prefilter for these groups of literals; `None` when nothing is
    /// required, and every line is a candidate.
    pub(crate) fn new(required: &Required) -> Option<Prefilter> {
        let groups: Vec<Vec<Literal>> = required
            .iter()
            .filter(|group| !group.is_empty())
            .map(|group| {
                group
                    .iter()
                    .map(|literal| {
                        let needle: Box<[u8]> = literal.to_ascii_lowercase().into_bytes().into();
                        let anchor = anchor(&needle);
                        Literal { needle, anchor }
                    })
                    .collect()
            })
            .collect();
        (!groups.is_empty()).then_some(Prefilter { groups })
    }

    /// Whether a record whose text fields are the `texts` ranges of
    /// `record` (their contents, without escapes) may match: each group
    /// has a literal in one of them (in any ASCII case), or one holds a
    /// hazard. A record for which this is `false` cannot match.
    pub(crate) fn holds(
        &self,
        record: &[u8],
        texts: &[(usize, usize)],
        scratch: &mut Scratch,
    ) -> bool {
        let folded = &mut scratch.folded;
        folded.clear();
        for &(start, end) in texts {
            let value = &record[start..end];
            // (Hazards are never ASCII: most values need no search.)
            if !fold_into(folded, value) && has_hazard(value) {
                return true;
            }
            // No literal holds a newline: none is found across two values.
            folded.push(b'\n');
        }
        let folded = &scratch.folded[..];
        self.groups.iter().all(|group| {
            group
                .iter()
                .any(|literal| find(folded, &literal.needle, literal.anchor).is_some())
        })
    }
}

/// Where `needle` first is in `haystack`, found from the places of its
/// byte at `anchor` (its rarest, [`anchor`]), each checked; `None` for an
/// empty needle (a literal is never empty). (The haystacks are a record's
/// few short text fields, where `memmem`'s setup for long texts costs more
/// than it saves; and the first byte of `example.com` is in most of them,
/// so searching for it made a `memchr` call and a compare at each `e`.)
fn find(haystack: &[u8], needle: &[u8], anchor: usize) -> Option<usize> {
    let &byte = needle.get(anchor)?;
    memchr::memchr_iter(byte, haystack).find_map(|at| {
        let start = at.checked_sub(anchor)?;
        haystack.get(start..)?.starts_with(needle).then_some(start)
    })
}

/// The place in `needle` of its byte that is least common in names and
/// email addresses, by a fixed ranking (English letter frequencies, `.`
/// and `@` most common of all, digits and other bytes rarer); the first of
/// equally rare ones.
fn anchor(needle: &[u8]) -> usize {
    /// From the most common to the least; bytes not listed rank rarest.
    const COMMON: &[u8] = b".@eaoinrstlcmhdupgbyfw0123456789kv-_jzxq";
    let rank = |b: u8| COMMON.iter().position(|&c| c == b).unwrap_or(COMMON.len());
    // From the end, so that the last maximum `max_by_key` keeps is the
    // first in the needle.
    (0..needle.len())
        .rev()
        .max_by_key(|&at| rank(needle[at]))
        .unwrap_or(0)
}

/// Appends `value` to `out` with its ASCII letters lower-cased, eight
/// bytes at a time (SWAR: a tenth of the prefilter's instructions went to
/// doing it byte by byte); whether `value` is all ASCII.
fn fold_into(out: &mut Vec<u8>, value: &[u8]) -> bool {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    /// The word with each byte in `A..=Z` lower-cased.
    fn fold(word: u64) -> u64 {
        // Per byte, without carries (each low seven bits plus at most 0x3F):
        // at least `A`, and at least the byte after `Z`; ASCII only.
        let low = word & !HIGH;
        let from_a = low + ONES * (0x80 - u64::from(b'A'));
        let past_z = low + ONES * (0x80 - u64::from(b'Z') - 1);
        let upper = from_a & !past_z & !word & HIGH;
        word | upper >> 2
    }
    let mut seen = 0;
    let mut words = value.chunks_exact(8);
    for chunk in words.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        seen |= word;
        out.extend_from_slice(&fold(word).to_le_bytes());
    }
    let rest = words.remainder();
    let mut word = [0; 8];
    word[..rest.len()].copy_from_slice(rest);
    let word = u64::from_le_bytes(word);
    seen |= word;
    // A whole word, then cut (a copy of a fixed size is inlined).
    let end = out.len() + rest.len();
    out.extend_from_slice(&fold(word).to_le_bytes());
    out.truncate(end);
    seen & HIGH == 0
}

/// Whether `text` holds one of the [`HAZARDS`].
fn has_hazard(text: &[u8]) -> bool {
    let [a, b, c] = [0, 1, 2].map(|i| HAZARDS[i].as_bytes()[0]);
    let mut at = 0;
    while let Some(hit) = text
        .get(at..)
        .and_then(|rest| memchr::memchr3(a, b, c, rest))
    {
        let hit = at + hit;
        if HAZARDS
            .iter()
            .any(|h| text[hit..].starts_with(h.as_bytes()))
        {
            return true;
        }
        at = hit + 1;
    }
    false
}

/// About how many bytes of whole lines a worker takes at a time: small
/// enough for the lines to stay in the cache while they are checked as
/// UTF-8 and then read. (Tiny in unit tests, so that they cross pieces.)
#[cfg(not(test))]
const CHUNK: usize = 32 * 1024;
#[cfg(test)]
const CHUNK: usize = 64;

/// The end of the piece of `text` that starts at `start` (a line start):
/// after the last newline within [`CHUNK`] bytes, or after the first
/// newline past them when a line is longer, or the end of `text`.
pub(crate) fn chunk_end(text: &[u8], start: usize) -> usize {
    let want = start.saturating_add(CHUNK).min(text.len());
    if want == text.len() {
        return want;
    }
    match memchr::memrchr(b'\n', &text[start..want]) {
        Some(i) => start + i + 1,
        None => (line_end(text, want) + 1).min(text.len()),
    }
}

/// The end (its `\n`, or the end of the text) of the line holding `at`.
fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i)
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

    /// Whether a record with these text fields is a candidate.
    fn holds(required: &[&[&str]], texts: &[&str]) -> bool {
        let required: Required = required
            .iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let prefilter = Prefilter::new(&required).unwrap();
        // The texts inside a record, as ranges of it.
        let mut record = String::from("{");
        let mut ranges = Vec::new();
        for text in texts {
            record.push_str("\"x\":\"");
            ranges.push((record.len(), record.len() + text.len()));
            record.push_str(text);
            record.push_str("\",");
        }
        prefilter.holds(record.as_bytes(), &ranges, &mut Scratch::default())
    }

    /// Every byte, at every place of a word and of the rest, folded as
    /// `to_ascii_lowercase` folds it.
    #[test]
    fn folding_is_ascii_lower_casing() {
        for len in 0..20 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut value: Vec<u8> = (0..len).map(|i| b'A' + (i * 7 % 26) as u8).collect();
                    value[at] = byte;
                    let mut out = b"x".to_vec();
                    let ascii = fold_into(&mut out, &value);
                    assert_eq!(&out[1..], value.to_ascii_lowercase(), "{value:?}");
                    assert_eq!(ascii, value.is_ascii(), "{value:?}");
                }
            }
        }
    }

    #[test]
    fn which_records_are_candidates() {
        let john = &[&["john"][..]][..];
        for (texts, expected) in [
            (&["john"][..], true),
            (&["Jane", "JOHN smith"], true),
            (&["Johnny"], true),
            (&["jane", "jo@hn.com"], false),
            (&["jo", "hn"], false),
            (&["\u{212A}elvin"], true),
            (&["\u{130}van"], true),
            (&["Łukasz", "Ольга"], false),
            (&[], false),
        ] {
            assert_eq!(holds(john, texts), expected, "{texts:?}");
        }
        let both = &[&["smith"][..], &["john", "jane"]][..];
        assert!(holds(both, &["John", "Smith"]));
        assert!(holds(both, &["jane@smith.org"]));
        assert!(!holds(both, &["John", "Smyth"]));
        assert!(!holds(both, &["Smith"]));
        assert!(Prefilter::new(&Vec::new()).is_none());
    }

    /// The search finds the first place of a needle wherever its anchor
    /// is, against `windows`, on texts of few letters (many near misses).
    #[test]
    fn find_is_a_substring_search() {
        let letters = b"ea.@xj";
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(seed >> 33).unwrap()
        };
        for _ in 0..20_000 {
            let haystack: Vec<u8> = (0..next() % 24).map(|_| letters[next() % 6]).collect();
            let needle: Vec<u8> = (0..1 + next() % 4).map(|_| letters[next() % 6]).collect();
            let anchor = anchor(&needle);
            let want = haystack
                .windows(needle.len())
                .position(|w| w == needle.as_slice());
            assert_eq!(
                find(&haystack, &needle, anchor),
                want,
                "{haystack:?} {needle:?}"
            );
            for other in 0..needle.len() {
                assert_eq!(
                    find(&haystack, &needle, other),
                    want,
                    "{haystack:?} {needle:?}"
                );
            }
        }
        assert_eq!(anchor(b"example.com"), 1);
        assert_eq!(anchor(b"john"), 0);
        assert_eq!(anchor(b"kowalski"), 0);
    }

    /// Pieces cover the text, end after a newline (or at its end), and
    /// hold at most `CHUNK` bytes unless one line is longer.
    #[test]
    fn pieces_are_whole_lines() {
        let text = [
            "a".repeat(10),
            "b".repeat(100),
            "c".repeat(30),
            "d".repeat(30),
            "e".repeat(5),
        ]
        .join("\n");
        let text = text.as_bytes();
        let mut start = 0;
        let mut ends = Vec::new();
        while start < text.len() {
            let end = chunk_end(text, start);
            assert!(end > start);
            assert!(end == text.len() || text[end - 1] == b'\n');
            let piece = &text[start..end];
            assert!(
                piece.len() <= CHUNK || memchr::memchr(b'\n', &piece[..piece.len() - 1]).is_none()
            );
            ends.push(end);
            start = end;
        }
        assert_eq!(ends, [11, 112, 174, 179]);
    }
}
