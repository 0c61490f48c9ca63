//! The scanner's test oracle: what it reads, compared with what serde reads.

use std::borrow::Cow;

use super::super::fields::Fields;
use super::scan;

/// A comparable copy of what was read from a record, saying which strings
/// were borrowed: for tests comparing the scanner with serde.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct View {
    /// `id`.
    pub(crate) id: Option<i64>,
    /// `firstName`, and whether it was borrowed.
    pub(crate) first_name: Option<(String, bool)>,
    /// `lastName`, and whether it was borrowed.
    pub(crate) last_name: Option<(String, bool)>,
    /// `createdAt`.
    pub(crate) created_at: Option<jiff::Timestamp>,
    /// `updatedAt`.
    pub(crate) updated_at: Option<jiff::Timestamp>,
    /// `mailboxIds`.
    pub(crate) mailbox_ids: Option<Vec<u64>>,
    /// `_embedded.emails[].value` (outer `None`: no `_embedded`; inner: no
    /// `emails`), each with whether it was borrowed.
    pub(crate) emails: Option<Emails>,
}

/// `_embedded.emails[].value` in a [`View`], each with whether it was borrowed.
pub(crate) type Emails = Option<Vec<Option<(String, bool)>>>;

fn text(value: &Option<Cow<'_, str>>) -> Option<(String, bool)> {
    value
        .as_ref()
        .map(|v| (v.to_string(), matches!(v, Cow::Borrowed(_))))
}

impl From<&Fields<'_>> for View {
    fn from(fields: &Fields<'_>) -> View {
        View {
            id: fields.id,
            first_name: text(&fields.first_name),
            last_name: text(&fields.last_name),
            created_at: fields.created_at,
            updated_at: fields.updated_at,
            mailbox_ids: fields.mailbox_ids.clone(),
            emails: fields.embedded.as_ref().map(|e| {
                e.emails
                    .as_ref()
                    .map(|emails| emails.iter().map(|e| text(&e.value)).collect())
            }),
        }
    }
}

/// What the scanner reads from `text`, or its error message.
pub(crate) fn view_scanned(text: &str) -> Result<View, String> {
    scan(text)
        .map(|f| View::from(&f))
        .map_err(|e| e.to_string())
}

/// What `serde_json::from_str::<Fields>` reads from `text`, or its error
/// message: the reference the scanner is tested against.
pub(crate) fn view_serde(text: &str) -> Result<View, String> {
    Fields::parse_with_serde(text)
        .map(|f| View::from(&f))
        .map_err(|e| e.to_string())
}
