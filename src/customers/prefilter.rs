//! The scan prefilter: which lines of a block may hold a matching record,
//! found with a vectorised substring search before any JSON is parsed.
//!
//! A request whose query (and name parameters) requires literals in every
//! match ([`crate::eval::literals`]) needs its matcher only on the lines that
//! hold them. The search is ASCII case-insensitive: a piece of the block
//! (about 32 KiB of whole lines, so that it stays in the cache for the
//! scanner that reads it next) is copied with its ASCII letters lower-cased
//! (a loop the compiler vectorises), and each literal is found in the copy
//! with `memchr::memmem` (SIMD), jumping to the next line after a hit.
//! (Aho-Corasick's ASCII case-insensitive search was tried first: 0.2-0.5
//! GB/s on the benchmark file when the hazards were among its patterns or a
//! literal's prefix was frequent, against 3-7 GB/s for lower-casing then
//! `memmem`.)
//!
//! What the search cannot see, it sends to the matcher: a line holding a
//! backslash (a JSON escape, `\u0041` or `\"`, decodes to other characters
//! than its bytes) or one of the [`HAZARDS`] (characters outside ASCII whose
//! lower case is ASCII: the Kelvin sign is `k` to the matcher) is always a
//! candidate. Of a word with letters outside ASCII only its longest ASCII
//! run is searched for (`søren` as `ren`). The prefilter is a necessary
//! condition only: a candidate still goes through the full matcher.
//!
//! What it must never do is skip a line's validation: every line, candidate
//! or not, is still read by the validating scanner, so a malformed record
//! is reported exactly as without the prefilter, and the `mailbox` rule
//! (which asks whether any record has `mailboxIds`) sees every record. Only
//! the matcher (tokenizing, the sort key) is saved on the other lines.

use memchr::memmem::Finder;

use crate::eval::literals::Required;

/// The texts that make a line's bytes differ from what the matcher reads
/// (after decoding and lower-casing): a backslash (any JSON escape) and
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
/// search for each of its literals (lower case), run over the block's
/// ASCII-lower-cased copy.
#[derive(Debug)]
pub(crate) struct Prefilter {
    groups: Vec<Vec<Finder<'static>>>,
}

/// A worker's buffers for [`Prefilter::candidates`], reused block after block.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// A piece of the block, ASCII letters lower-cased.
    folded: Vec<u8>,
    /// Line starts found by one search.
    found: Vec<usize>,
}

impl Prefilter {
    /// The prefilter for these groups of literals (the first group is
    /// searched for over whole blocks, so it should be the most selective);
    /// `None` when nothing is required, and every line is a candidate.
    pub(crate) fn new(required: &Required) -> Option<Prefilter> {
        let groups: Vec<Vec<Finder<'static>>> = required
            .iter()
            .filter(|group| !group.is_empty())
            .map(|group| {
                group
                    .iter()
                    .map(|literal| {
                        Finder::new(literal.to_ascii_lowercase().as_bytes()).into_owned()
                    })
                    .collect()
            })
            .collect();
        (!groups.is_empty()).then_some(Prefilter { groups })
    }

    /// Sets `hits` to the start of each line of `text` (lines end at `\n`)
    /// that may hold a matching record, in order: a line that holds a
    /// literal of every group (in any ASCII case), or a hazard. Other lines
    /// cannot match.
    /// (Streaming calls [`Self::chunk`] piece by piece; this is the same
    /// over a whole text, for tests.)
    #[cfg(test)]
    pub(crate) fn candidates(&self, text: &[u8], scratch: &mut Scratch, hits: &mut Vec<usize>) {
        hits.clear();
        // Whole lines, about `CHUNK` bytes at a time, so that the lower-cased
        // copy is searched while it is still in the cache.
        let mut start = 0;
        while start < text.len() {
            let end = chunk_end(text, start);
            let before = hits.len();
            self.chunk(&text[start..end], scratch, hits);
            for hit in &mut hits[before..] {
                *hit += start;
            }
            start = end;
        }
    }

    /// [`Self::candidates`] over whole lines (a piece of a block cut by
    /// [`chunk_end`]), appending.
    pub(crate) fn chunk(&self, text: &[u8], scratch: &mut Scratch, hits: &mut Vec<usize>) {
        let before = hits.len();
        let folded = &mut scratch.folded;
        folded.clear();
        folded.extend(text.iter().map(u8::to_ascii_lowercase));
        let folded = &scratch.folded[..];
        let found = &mut scratch.found;
        found.clear();
        // The lines holding a literal of the first group.
        let (first, rest) = self
            .groups
            .split_first()
            .map_or((&[][..], &[][..]), |(f, r)| (&f[..], r));
        for finder in first {
            let mut at = 0;
            while let Some(hit) = folded.get(at..).and_then(|rest| finder.find(rest)) {
                let hit = at + hit;
                found.push(line_start(folded, at, hit));
                at = line_end(folded, hit) + 1;
            }
        }
        if first.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        // ... that hold a literal of every other group.
        hits.extend(found.iter().copied().filter(|&start| {
            let line = &folded[start..line_end(folded, start)];
            rest.iter()
                .all(|group| group.iter().any(|finder| finder.find(line).is_some()))
        }));
        // And every line with a hazard.
        let literal_hits = hits.len();
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
                hits.push(line_start(text, at, hit));
                at = line_end(text, hit) + 1;
            } else {
                at = hit + 1;
            }
        }
        if hits.len() > literal_hits && literal_hits > before {
            hits[before..].sort_unstable();
            let mut merged = hits.split_off(before);
            merged.dedup();
            hits.extend(merged);
        }
    }
}

/// About how many bytes are lower-cased and searched at a time (whole
/// lines): small enough for the copy, and the lines the scanner then reads,
/// to stay in the cache. (Tiny in unit tests, so that they cross pieces.)
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

/// The start of the line holding `hit`, no earlier than `from` (a line start).
fn line_start(text: &[u8], from: usize, hit: usize) -> usize {
    memchr::memrchr(b'\n', &text[from..hit]).map_or(from, |i| from + i + 1)
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

    fn candidates(required: &[&[&str]], text: &str) -> Vec<usize> {
        let required: Required = required
            .iter()
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect();
        let prefilter = Prefilter::new(&required).unwrap();
        let mut hits = Vec::new();
        prefilter.candidates(text.as_bytes(), &mut Scratch::default(), &mut hits);
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

    /// Over many chunks (and lines longer than a chunk), the candidates are
    /// exactly the lines a line-by-line check finds.
    #[test]
    fn chunks_agree_with_a_line_by_line_check() {
        let shapes = [
            "{\"firstName\":\"John\"}",
            "{\"firstName\":\"Jane\",\"email\":\"x@EXAMPLE.com\"}",
            "{\"lastName\":\"Jo\\u0068n\"}",
            "{\"lastName\":\"\u{212A}ohn\"}",
            "{\"lastName\":\"smith\"}",
            "",
        ];
        let mut lines = Vec::new();
        for i in 0..20_000usize {
            let mut line = shapes[i * 7 % shapes.len()].to_owned();
            if i % 997 == 0 {
                line.push_str(&"x".repeat(3 * CHUNK));
                line.push_str("JOHN");
            }
            lines.push(line);
        }
        let text = lines.join("\n");
        let expected: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let lower = l.to_ascii_lowercase();
                (lower.contains("john") && lower.contains("smith") || lower.contains("example"))
                    && lower.contains("john")
                    || HAZARDS.iter().any(|h| l.contains(h))
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            candidates(&[&["john"], &["smith", "example"]], &text),
            expected
        );
    }
}
