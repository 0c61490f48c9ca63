//! A customer record: its JSON kept verbatim, its searchable fields typed and
//! analysed once.
//!
//! Output must give back every record exactly as it was given, unknown
//! fields included, so the record keeps its original JSON text and never
//! re-serialises it. Only the fields the query language and the sort read
//! are looked at: `id`, `firstName`, `lastName`, `createdAt`, `updatedAt`,
//! `_embedded.emails[].value`, and the local extension `mailboxIds`.

use serde_json::value::RawValue;

use super::fields::Fields;
use super::scan;
use crate::eval::Document;

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
    /// use helpscout_query::customers::Customer;
    /// let raw = r#"{"id": 7, "firstName": "John", "vip": true,
    ///               "_embedded": {"emails": [{"value": "john@appleseed.com"}]}}"#;
    /// let customer = Customer::from_json(raw).unwrap();
    /// assert_eq!(customer.id(), Some(7));
    /// assert_eq!(customer.json(), raw);
    /// let error = Customer::from_json(r#" {"id": "7"}"#).unwrap_err();
    /// assert_eq!(error.to_string(), "`id`: expected an integer or null, found a string at byte 8");
    /// ```
    pub fn from_json(json: &str) -> Result<Customer, serde_json::Error> {
        let fields = scan::scan(json).map_err(serde::de::Error::custom)?;
        let parts = Parts::of(&fields);
        // The scanner accepted it, so this cannot fail; it trims the
        // whitespace around the record.
        let raw: Box<RawValue> = serde_json::from_str(json)?;
        Ok(parts.with(raw))
    }

    /// Reads one record from already-split JSON.
    pub fn from_raw(raw: Box<RawValue>) -> Result<Customer, serde_json::Error> {
        let fields = scan::scan(raw.get()).map_err(serde::de::Error::custom)?;
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
