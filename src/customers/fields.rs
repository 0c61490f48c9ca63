//! The searchable fields of one customer record, as the scanner reads them,
//! and the documents the evaluator matches built from them.
//!
//! Only the fields the query language and the sort read are here: `id`,
//! `firstName`, `lastName`, `createdAt`, `updatedAt`,
//! `_embedded.emails[].value`, and the local extension `mailboxIds`.

use std::borrow::Cow;

#[cfg(test)]
use serde::Deserialize;

use crate::eval::{Document, LazyDocument};

/// The fields read from a record; everything else is ignored here and kept
/// in the raw JSON. Strings borrow from the line when they have no escapes.
///
/// Read by the validating scanner in [`super::scan`]; the `Deserialize`
/// derive (tests only) is the reference it is tested against.
#[derive(Debug, Default)]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(rename_all = "camelCase"))]
pub(crate) struct Fields<'a> {
    pub(crate) id: Option<i64>,
    #[cfg_attr(test, serde(borrow))]
    pub(crate) first_name: Option<Cow<'a, str>>,
    #[cfg_attr(test, serde(borrow))]
    pub(crate) last_name: Option<Cow<'a, str>>,
    pub(crate) created_at: Option<jiff::Timestamp>,
    pub(crate) updated_at: Option<jiff::Timestamp>,
    pub(crate) mailbox_ids: Option<Vec<u64>>,
    #[cfg_attr(test, serde(rename = "_embedded", borrow))]
    pub(crate) embedded: Option<Embedded<'a>>,
}

#[derive(Debug, Default)]
#[cfg_attr(test, derive(Deserialize))]
pub(crate) struct Embedded<'a> {
    #[cfg_attr(test, serde(borrow))]
    pub(crate) emails: Option<Vec<Email<'a>>>,
}

#[derive(Debug)]
#[cfg_attr(test, derive(Deserialize))]
pub(crate) struct Email<'a> {
    #[cfg_attr(test, serde(borrow))]
    pub(crate) value: Option<Cow<'a, str>>,
}

impl<'a> Fields<'a> {
    /// The fields through serde: the scanner's reference in tests.
    #[cfg(test)]
    pub(crate) fn parse_with_serde(json: &'a str) -> Result<Fields<'a>, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The email addresses, in order.
    fn emails(&self) -> impl Iterator<Item = &str> {
        self.embedded
            .iter()
            .flat_map(|e| e.emails.iter().flatten())
            .filter_map(|e| e.value.as_deref())
    }

    /// The analysed document, for records kept in memory.
    pub(crate) fn document(&self) -> Document {
        Document::new(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.emails(),
            self.created_at,
            self.updated_at,
        )
    }

    /// The document analysed on first use, for records read once.
    pub(crate) fn lazy_document(&self) -> LazyDocument<'_> {
        LazyDocument::new(
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            self.emails().collect(),
            self.created_at,
            self.updated_at,
        )
    }
}
