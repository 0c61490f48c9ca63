"""Writes src/eval/unicode_tables.rs from TokenChars.java's ranges (stdin)."""
import sys

ranges = [tuple(map(int, line.split())) for line in sys.stdin if line.strip()]
items = ["(0x%04X, 0x%04X)" % r for r in ranges]
lines, line = [], "   "
for item in items:
    if len(line) + len(item) + 2 > 96:
        lines.append(line)
        line = "   "
    line += " " + item + ","
lines.append(line)
print('''//! Which code points Lucene's standard tokenizer makes a token of: the one
//! Unicode table [`super::analysis`] needs beyond UAX #29 segmentation.
//!
//! Generated from Lucene 8 itself (each code point alone, through
//! `StandardAnalyzer`); do not edit by hand:
//!
//! ```text
//! java -cp lucene-core.jar:lucene-analyzers-common.jar tests/lucene/TokenChars.java \\
//!   | python3 tests/lucene/token_chars_table.py > src/text/tables.rs
//! ```

/// Code points that are a token by themselves: letters and digits of every
/// script Lucene's tables know, ideographs, kana, hangul, South-East Asian
/// scripts, emoji and pictographs (© ™ ★), as sorted disjoint ranges.
pub(crate) const TOKEN_CHARS: &[(u32, u32)] = &[
%s
];

/// Whether `c` lies in one of the sorted, disjoint `ranges`.
pub(crate) fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}''' % "\n".join(lines))
