//! Text analysis, as Lucene's `StandardAnalyzer` does it (SPEC §5): Unicode
//! word segmentation (UAX #29), the segments Lucene's `StandardTokenizer`
//! keeps as tokens, then lower-casing code point by code point with
//! Unicode's simple case mapping, as Lucene's `LowerCaseFilter` does.
//!
//! `john@appleseed.com` becomes `john`, `appleseed.com` (a `.` between
//! letters does not break a word in UAX #29, an `@` does), which is why
//! `email:"appleseed.com"` finds everyone at that domain.
//!
//! Which segments are tokens, and the lower-casing, live in [`crate::text`],
//! shared with the schema (which warns about values with no words).

use crate::text::{lowercase, words};

/// One analysed word. Equality is the hot path of matching, so a token keeps
/// its first eight bytes as an integer beside its text: most comparisons are
/// decided by one integer compare and a length compare, never reaching
/// `memcmp`.
#[derive(Clone)]
pub struct Token {
    head: u64,
    text: Box<str>,
}

impl Token {
    /// A token of already-analysed text.
    pub fn new(text: &str) -> Token {
        let mut head = [0u8; 8];
        let n = text.len().min(8);
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        Token {
            head: u64::from_le_bytes(head),
            text: text.into(),
        }
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Token {
    #[inline]
    fn eq(&self, other: &Token) -> bool {
        self.head == other.head
            && self.text.len() == other.text.len()
            && (self.text.len() <= 8 || self.text.as_bytes()[8..] == other.text.as_bytes()[8..])
    }
}

impl Eq for Token {}

impl std::hash::Hash for Token {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The head is derived from the text: hashing the text alone agrees with `eq`.
        self.text.hash(state);
    }
}

impl PartialEq<str> for Token {
    fn eq(&self, other: &str) -> bool {
        &*self.text == other
    }
}

impl PartialEq<&str> for Token {
    fn eq(&self, other: &&str) -> bool {
        &*self.text == *other
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text, f)
    }
}

impl std::ops::Deref for Token {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// The tokens of `text`, as Lucene's standard analyser makes them: its
/// UAX #29 segments that hold a letter, a decimal digit or a pictograph,
/// lower-cased code point by code point.
///
/// ```
/// use helpscout_query::eval::tokens;
/// assert_eq!(tokens("john@appleseed.com"), ["john", "appleseed.com"]);
/// assert_eq!(tokens("ÉMILE Zoë-Ann"), ["émile", "zoë", "ann"]);
/// assert_eq!(tokens("SİOBHAN ΟΔΥΣΣΕΥΣ"), ["siobhan", "οδυσσευσ"]);
/// assert_eq!(tokens("john😀 ©"), ["john", "😀", "©"]);
/// assert!(tokens("  --  ① ½").is_empty());
/// ```
pub fn tokens(text: &str) -> Vec<Token> {
    words(text)
        .map(|word| Token::new(&lowercase(word)))
        .collect()
}

/// Whether `needle` occurs in `haystack` as consecutive tokens, in order.
/// An empty needle never matches (a value with no words finds nothing).
#[inline]
pub fn contains_sequence(haystack: &[Token], needle: &[Token]) -> bool {
    match needle {
        [] => false,
        [only] => haystack.iter().any(|token| token == only),
        _ => haystack
            .windows(needle.len())
            .any(|window| window == needle),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_segments_are_tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("john😀", &["john", "😀"]),
            ("firstName ©™★", &["firstname", "©", "™", "★"]),
            ("john① x² ½", &["john", "x"]),
            ("٣ ३ 3", &["٣", "३", "3"]),
            (
                "東京 ひらがな カタカナ 한국",
                &["東", "京", "ひ", "ら", "が", "な", "カタカナ", "한국"],
            ),
            ("a_b o'neil 3.14", &["a_b", "o'neil", "3.14"]),
            ("-- ... !!", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(tokens(text), *expected, "{text:?}");
        }
    }
}
