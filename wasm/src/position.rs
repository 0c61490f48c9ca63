//! Byte offsets (what the library reports) turned into what JavaScript
//! counts: UTF-16 code units, plus the CLI's 1-based line and column.
//!
//! One pass over the text answers every offset of a batch, so a query with
//! many diagnostics costs one walk, not one walk per diagnostic.
#![forbid(unsafe_code)]

/// Where a byte offset is, in every unit a caller may want.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The byte offset, moved back to a character boundary if it was inside one.
    pub byte: usize,
    /// The same place in UTF-16 code units (JavaScript string indexes).
    pub utf16: usize,
    /// 1-based line (lines end at `\n`).
    pub line: usize,
    /// 1-based column, in characters (Unicode scalar values), as the CLI's.
    pub column: usize,
}

/// The positions of `offsets` (bytes) in `text`, in the order given.
///
/// An offset past the end is the end; one inside a character is that
/// character's start, as the CLI's renderer does.
pub fn positions(text: &str, offsets: &[usize]) -> Vec<Position> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut found = vec![
        Position {
            byte: 0,
            utf16: 0,
            line: 1,
            column: 1,
        };
        offsets.len()
    ];
    let mut here = Position {
        byte: 0,
        utf16: 0,
        line: 1,
        column: 1,
    };
    let mut chars = text.char_indices().peekable();
    for i in order {
        let target = offsets[i].min(text.len());
        // Advance while the next character ends at or before the target.
        while let Some(&(start, c)) = chars.peek() {
            if start + c.len_utf8() > target {
                break;
            }
            chars.next();
            here.byte = start + c.len_utf8();
            here.utf16 += c.len_utf16();
            if c == '\n' {
                here.line += 1;
                here.column = 1;
            } else {
                here.column += 1;
            }
        }
        found[i] = here;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, offset: usize) -> usize {
        positions(text, &[offset])[0].utf16
    }

    #[test]
    fn ascii_is_the_identity() {
        let text = "firstName:John";
        for offset in 0..=text.len() {
            assert_eq!(utf16(text, offset), offset);
        }
    }

    #[test]
    fn non_ascii_counts_utf16_units() {
        // é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units; 中: 3 bytes, 1 unit.
        let text = "é😀中x";
        let cases = [(0, 0), (2, 1), (6, 3), (9, 4), (10, 5), (99, 5)];
        for (byte, unit) in cases {
            assert_eq!(utf16(text, byte), unit, "byte {byte}");
        }
        // Inside a character: its start.
        assert_eq!(utf16(text, 3), 1);
        assert_eq!(positions(text, &[3])[0].byte, 2);
    }

    #[test]
    fn lines_and_columns_match_the_cli() {
        let text = "a\nzoë:(x\n😀 y";
        let offsets = [0, 2, 7, 8, 10, 14, 15];
        let found = positions(text, &offsets);
        let expected = [(1, 1), (2, 1), (2, 5), (2, 6), (3, 1), (3, 2), (3, 3)];
        for ((offset, position), (line, column)) in offsets.iter().zip(&found).zip(expected) {
            assert_eq!(
                (position.line, position.column),
                (line, column),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn offsets_in_any_order() {
        let text = "ab😀cd";
        let found = positions(text, &[6, 0, 2, 7]);
        let units: Vec<usize> = found.iter().map(|p| p.utf16).collect();
        assert_eq!(units, [4, 0, 2, 5]);
    }
}
