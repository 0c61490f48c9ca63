//! A customer record: its JSON kept verbatim, its searchable fields typed and
//! analysed once.
//!
//! Output must give back every record exactly as it was given, unknown
//! fields included, so the record keeps its original JSON text and never
//! re-serialises it. Only the fields the query language and the sort read
//! are looked at: `id`, `firstName`, `lastName`, `createdAt`, `updatedAt`,
//! `_embedded.emails[].value`, and the local extension `mailboxIds`.

use serde::Deserialize;
use serde_json::value::RawValue;

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

/// The fields read from a record; everything else is ignored here and kept
/// in the raw JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields {
    id: Option<i64>,
    first_name: Option<String>,
    last_name: Option<String>,
    created_at: Option<jiff::Timestamp>,
    updated_at: Option<jiff::Timestamp>,
    mailbox_ids: Option<Vec<u64>>,
    #[serde(rename = "_embedded")]
    embedded: Option<Embedded>,
}

#[derive(Deserialize)]
struct Embedded {
    emails: Option<Vec<Email>>,
}

#[derive(Deserialize)]
struct Email {
    value: Option<String>,
}

impl Customer {
    /// Reads one record from its JSON text. The error is serde's message
    /// (which field, what type was expected).
    ///
    /// ```
    /// use helpscout_query::customers::record::Customer;
    /// let raw = r#"{"id": 7, "firstName": "John", "vip": true,
    ///               "_embedded": {"emails": [{"value": "john@appleseed.com"}]}}"#;
    /// let customer = Customer::from_json(raw).unwrap();
    /// assert_eq!(customer.id(), Some(7));
    /// assert_eq!(customer.json(), raw);
    /// ```
    pub fn from_json(json: &str) -> Result<Customer, serde_json::Error> {
        let raw: Box<RawValue> = serde_json::from_str(json)?;
        Customer::from_raw(raw)
    }

    /// Reads one record from already-split JSON.
    pub fn from_raw(raw: Box<RawValue>) -> Result<Customer, serde_json::Error> {
        let fields: Fields = serde_json::from_str(raw.get())?;
        let emails: Vec<String> = fields
            .embedded
            .and_then(|e| e.emails)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| e.value)
            .collect();
        let document = Document::new(
            fields.first_name.as_deref(),
            fields.last_name.as_deref(),
            emails.iter().map(String::as_str),
            fields.created_at,
            fields.updated_at,
        );
        Ok(Customer {
            raw,
            id: fields.id,
            first_name: fields.first_name,
            last_name: fields.last_name,
            mailbox_ids: fields.mailbox_ids,
            document,
        })
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
