//! Text analysis, as Elasticsearch's standard analyser does it: Unicode word
//! segmentation (UAX #29), then full Unicode lower-casing.
//!
//! `john@appleseed.com` becomes `john`, `appleseed.com` (a `.` between
//! letters does not break a word in UAX #29, an `@` does), which is why
//! `email:"appleseed.com"` finds everyone at that domain.

use unicode_segmentation::UnicodeSegmentation;

/// The tokens of `text`: its UAX #29 words (segments with at least one
/// letter or digit), lower-cased.
///
/// ```
/// use helpscout_query::eval::analysis::tokens;
/// assert_eq!(tokens("john@appleseed.com"), ["john", "appleseed.com"]);
/// assert_eq!(tokens("ÉMILE Zoë-Ann"), ["émile", "zoë", "ann"]);
/// assert_eq!(tokens("  --  "), Vec::<String>::new());
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    text.unicode_words().map(str::to_lowercase).collect()
}

/// Whether `needle` occurs in `haystack` as consecutive tokens, in order.
/// An empty needle never matches (a value with no words finds nothing).
pub fn contains_sequence(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty()
        && haystack.len() >= needle.len()
        && haystack.windows(needle.len()).any(|window| window == needle)
}
