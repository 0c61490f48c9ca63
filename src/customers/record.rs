//! A customer record: its JSON kept verbatim, its searchable fields typed and
//! analysed once.
//!
//! Output must give back every record exactly as it was given, unknown
//! fields included, so the record keeps its original JSON text and never
//! re-serialises it. Only the fields the query language and the sort read
//! are looked at: `id`, `firstName`, `lastName`, `createdAt`, `updatedAt`,
//! `_embedded.emails[].value`, and the local extension `mailboxIds`.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::scan::{self, ScanError};
use crate::eval::{Document, LazyDocument};

/// One customer.
#[derive(Debug, Clone)]
pub struct Customer {
    raw: Box<RawValue>,
    id: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    mailbox_ids: Option<Vec<u64>>,
    document: Document,
}

/// The fields read from a record; everything else is ignored here and kept
/// in the raw JSON. Strings borrow from the line when they have no escapes.
///
/// Read by the validating scanner in [`super::scan`]; the `Deserialize`
/// derive is the reference it is tested against.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Fields<'a> {
    pub(crate) id: Option<i64>,
    #[serde(borrow)]
    pub(crate) first_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) last_name: Option<Cow<'a, str>>,
    pub(crate) created_at: Option<jiff::Timestamp>,
    pub(crate) updated_at: Option<jiff::Timestamp>,
    pub(crate) mailbox_ids: Option<Vec<u64>>,
    #[serde(rename = "_embedded", borrow)]
    pub(crate) embedded: Option<Embedded<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Embedded<'a> {
    #[serde(borrow)]
    pub(crate) emails: Option<Vec<Email<'a>>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Email<'a> {
    #[serde(borrow)]
    pub(crate) value: Option<Cow<'a, str>>,
}

impl<'a> Fields<'a> {
    /// Reads the searchable fields of one record, validating all of it.
    pub(crate) fn parse(json: &'a str) -> Result<Fields<'a>, ScanError> {
        scan::scan(json)
    }

    /// The same through serde: the scanner's reference in tests.
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

/// What a [`Customer`] keeps of its fields.
struct Parts {
    id: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    mailbox_ids: Option<Vec<u64>>,
    document: Document,
}

impl Parts {
    fn of(fields: &Fields<'_>) -> Parts {
        Parts {
            id: fields.id,
            first_name: fields.first_name.as_deref().map(str::to_owned),
            last_name: fields.last_name.as_deref().map(str::to_owned),
            mailbox_ids: fields.mailbox_ids.clone(),
            document: fields.document(),
        }
    }

    fn with(self, raw: Box<RawValue>) -> Customer {
        Customer {
            raw,
            id: self.id,
            first_name: self.first_name,
            last_name: self.last_name,
            mailbox_ids: self.mailbox_ids,
            document: self.document,
        }
    }
}

impl Customer {
    /// Reads one record from its JSON text (whitespace around it allowed).
    /// The error says what was expected (which field, what type) and at
    /// which byte of `json`.
    ///
    /// ```
    /// use helpscout_query::customers::record::Customer;
    /// let raw = r#"{"id": 7, "firstName": "John", "vip": true,
    ///               "_embedded": {"emails": [{"value": "john@appleseed.com"}]}}"#;
    /// let customer = Customer::from_json(raw).unwrap();
    /// assert_eq!(customer.id(), Some(7));
    /// assert_eq!(customer.json(), raw);
    /// let error = Customer::from_json(r#" {"id": "7"}"#).unwrap_err();
    /// assert_eq!(error.to_string(), "`id`: expected an integer or null, found a string at byte 8");
    /// ```
    pub fn from_json(json: &str) -> Result<Customer, serde_json::Error> {
        let fields = Fields::parse(json).map_err(serde::de::Error::custom)?;
        let parts = Parts::of(&fields);
        // The scanner accepted it, so this cannot fail; it trims the
        // whitespace around the record.
        let raw: Box<RawValue> = serde_json::from_str(json)?;
        Ok(parts.with(raw))
    }

    /// Reads one record from already-split JSON.
    pub fn from_raw(raw: Box<RawValue>) -> Result<Customer, serde_json::Error> {
        let fields = Fields::parse(raw.get()).map_err(serde::de::Error::custom)?;
        let parts = Parts::of(&fields);
        Ok(parts.with(raw))
    }

    /// The record's JSON exactly as given.
    pub fn json(&self) -> &str {
        self.raw.get()
    }

    /// The record's JSON as a raw value, for embedding in output verbatim.
    pub fn raw(&self) -> &RawValue {
        &self.raw
    }

    /// `id`.
    pub fn id(&self) -> Option<i64> {
        self.id
    }

    /// `firstName`.
    pub fn first_name(&self) -> Option<&str> {
        self.first_name.as_deref()
    }

    /// `lastName`.
    pub fn last_name(&self) -> Option<&str> {
        self.last_name.as_deref()
    }

    /// The `mailboxIds` extension, when the record has it.
    pub fn mailbox_ids(&self) -> Option<&[u64]> {
        self.mailbox_ids.as_deref()
    }

    /// The analysed searchable fields.
    pub fn document(&self) -> &Document {
        &self.document
    }
}
