//! The words of a text as Lucene's `StandardAnalyzer` reads them: which UAX
//! #29 segments are words, and how they are lower-cased. Below the stages:
//! the schema asks whether a value has words, the evaluator makes tokens.
//!
//! A segment is a token when it holds a character that Lucene's tokenizer
//! makes a token of by itself: a letter or digit of any script its tables
//! know (ideographs, kana, hangul and Thai included), an emoji or a
//! pictograph (© ™ ★). Segments of only punctuation, spaces or other
//! symbols are dropped, and so are numbers that are not digits (① ² ½). The
//! table of those characters is generated from Lucene itself
//! (`src/text/tables.rs`).

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

mod tables;

use tables::{TOKEN_CHARS, in_ranges};

/// The words of `text`, in order, as written (not lower-cased).
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_word_bounds().filter(|segment| is_word(segment))
}

/// Whether `text` has at least one word: a value without any is dropped by
/// Lucene's query parser, and ignored here.
pub(crate) fn has_words(text: &str) -> bool {
    words(text).next().is_some()
}

/// Whether a UAX #29 segment is a word (a token) to Lucene's `StandardTokenizer`.
fn is_word(segment: &str) -> bool {
    segment.chars().any(|c| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            in_ranges(c, TOKEN_CHARS)
        }
    })
}

/// Whitespace between the clauses of a query, as Lucene's grammar has it
/// (`_WHITESPACE`): space, tab, CR, LF and the ideographic space U+3000
/// only. Any other Unicode space (no-break space U+00A0, U+2003, vertical
/// tab, form feed) is part of the term, as in Lucene (`john<NBSP>appleseed`
/// is one term of two words, `OR<NBSP>x` is no operator); outside quotes the
/// parser warns `unicode-space`.
pub(crate) fn is_query_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{3000}')
}

/// One code point lower-cased with Unicode's simple case mapping, as Java's
/// `Character.toLowerCase(int)` (and so Lucene's `LowerCaseFilter`) does:
/// `İ` is `i` (not `i` and a combining dot), `Σ` is `σ` wherever it stands.
pub fn lowercase_char(c: char) -> char {
    match c {
        // The one code point whose full lower case is longer than one.
        '\u{130}' => 'i',
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// `text` lower-cased code point by code point ([`lowercase_char`]);
/// borrowed when nothing changes.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Owned(text.to_ascii_lowercase());
        }
        return Cow::Borrowed(text);
    }
    if text.chars().all(|c| lowercase_char(c) == c) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(lowercase_char).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simple case mapping is one code point for one: only `İ` has a longer
    /// full lower case, and it is mapped to `i`.
    #[test]
    fn lowercase_is_one_code_point_for_one() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c != '\u{130}' {
                assert!(c.to_lowercase().count() == 1, "{c:?}");
            }
        }
        assert_eq!(lowercase("ΣΊΣΥΦΟΣ"), "σίσυφοσ");
        assert_eq!(lowercase("İstanbul"), "istanbul");
        assert!(matches!(lowercase("plain"), Cow::Borrowed(_)));
    }
}
