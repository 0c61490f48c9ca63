//! [`Text`], the string of a term or a phrase in the tree.
//!
//! Most values are short and held in place ([`CompactString`], up to 24
//! bytes). A longer one the parser read as written (no escape to decode)
//! is not copied: it is a slice of the query, which the parser shares
//! among every long value of the tree (one copy of the query per parse,
//! made when the first long value is read). That is what keeps a query of
//! 50 email addresses from allocating 50 strings (issue 14,
//! BENCHMARKS.md §1). Everything else (a value built by hand, decoded from
//! escapes, rewritten) owns its text.
//!
//! Either way a `Text` is a `str` to its users: it dereferences to one,
//! compares, hashes, orders, prints and serializes as one, and `.into()`
//! builds one from a `&str`, a `String` or a `CompactString`.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use compact_str::CompactString;
use serde::{Serialize, Serializer};

/// The text of a term or a phrase: a `str`, held in place up to 24 bytes,
/// or shared with the query it was parsed from (see the module doc). A
/// tree that holds a shared `Text` keeps that query's text alive.
///
/// ```
/// use helpscout_query::syntax::ast::{Text, ValueKind};
/// let kind = ValueKind::Term("john".into());
/// let text: Text = String::from("john").into();
/// assert_eq!(kind, ValueKind::Term(text.clone()));
/// assert_eq!(text, "john");
/// assert_eq!(text.len(), 4);
/// ```
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Owned(CompactString),
    /// `source[start..end]`, a slice the parser checked.
    Shared {
        source: Arc<String>,
        start: u32,
        end: u32,
    },
}

impl Text {
    /// The text as a `str`.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(text) => text,
            // Checked when made (`shared`): never empty by mistake.
            Repr::Shared { source, start, end } => source
                .get(*start as usize..*end as usize)
                .unwrap_or_default(),
        }
    }

    /// The text as a `String`.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(text) => text.into_string(),
            Repr::Shared { .. } => self.as_str().to_owned(),
        }
    }

    /// `query[start..end]`: in place when short, else shared with
    /// `source`, made from the query the first time (`source` is the
    /// parser's cell for it). The range must be one of `query`'s.
    #[inline(always)]
    pub(crate) fn of_query(
        query: &str,
        start: usize,
        end: usize,
        source: &std::cell::OnceCell<Arc<String>>,
    ) -> Text {
        let text = query.get(start..end).unwrap_or_default();
        if text.len() <= 24 {
            return Text(Repr::Owned(CompactString::from(text)));
        }
        Text::shared(query, start, end, source)
    }

    /// [`Text::of_query`] for a long text.
    #[inline(never)]
    fn shared(
        query: &str,
        start: usize,
        end: usize,
        source: &std::cell::OnceCell<Arc<String>>,
    ) -> Text {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => Text(Repr::Shared {
                source: Arc::clone(source.get_or_init(|| Arc::new(query.to_owned()))),
                start,
                end,
            }),
            _ => Text::from(query.get(start..end).unwrap_or_default()),
        }
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Default for Text {
    fn default() -> Text {
        Text(Repr::Owned(CompactString::default()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Comparisons with the other string types, both ways.
macro_rules! eq_str {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Text {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<Text> for $other {
            fn eq(&self, other: &Text) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}
eq_str!(str, &str, String);

// `CompactString == Text` is compact_str's own (any `AsRef<str>`).
impl PartialEq<CompactString> for Text {
    fn eq(&self, other: &CompactString) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<CompactString> for Text {
    fn from(text: CompactString) -> Text {
        Text(Repr::Owned(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Repr::Owned(text.into()))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Owned(text.into()))
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text(Repr::Owned(text.as_str().into()))
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Text {
        Text(Repr::Owned(text.into()))
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(text: Cow<'_, str>) -> Text {
        Text(Repr::Owned(text.into()))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.into_string()
    }
}

impl From<Text> for CompactString {
    fn from(text: Text) -> CompactString {
        match text.0 {
            Repr::Owned(text) => text,
            Repr::Shared { .. } => CompactString::from(text.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::OnceCell;

    #[test]
    fn a_text_crosses_threads_as_a_compact_string_does() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Text>();
        assert_eq!(
            std::mem::size_of::<Text>(),
            std::mem::size_of::<CompactString>()
        );
    }

    #[test]
    fn short_slices_are_in_place_and_long_ones_share_the_query() {
        let query = "email:\"user10.name@example10.com\" OR email:\"user11.name@example11.com\"";
        let cell = OnceCell::new();
        let short = Text::of_query(query, 0, 5, &cell);
        assert!(matches!(short.0, Repr::Owned(_)));
        assert!(cell.get().is_none());
        let first = Text::of_query(query, 7, 32, &cell);
        let second = Text::of_query(query, 44, 69, &cell);
        assert_eq!(first, "user10.name@example10.com");
        assert_eq!(second, "user11.name@example11.com");
        assert!(matches!(&first.0, Repr::Shared { .. }));
        // One copy of the query, shared by both, and by the cell.
        assert_eq!(cell.get().map(Arc::strong_count), Some(3));
        assert_eq!(first, Text::from("user10.name@example10.com"));
        assert_eq!(String::from(second.clone()), "user11.name@example11.com");
        assert_eq!(format!("{first:?}"), "\"user10.name@example10.com\"");
        assert_eq!(
            serde_json::to_string(&first).unwrap(),
            "\"user10.name@example10.com\""
        );
    }
}
