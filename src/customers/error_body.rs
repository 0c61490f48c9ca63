//! Help Scout's error body for an invalid request (SPEC §6):
//! status 400, `application/vnd.error+json`,
//! `{"logRef", "message", "_embedded": {"errors": [{"path", "message",
//! "rejectedValue", "source"}]}}`.
//!
//! Help Scout's `logRef` is a random identifier for its support team; here it
//! is derived from the request (a hash of the raw query string), so the same
//! request always gives the same body and tests can compare bodies whole.

use serde::Serialize;

use super::request::RequestErrors;

/// The HTTP status of the error body.
pub const STATUS: u16 = 400;

/// The media type of the error body.
pub const CONTENT_TYPE: &str = "application/vnd.error+json";

/// Where a rejected value came from: the URL's query string. (Help Scout
/// writes `JSON` for values from a request body.)
pub const SOURCE: &str = "QUERY_STRING";

/// The most errors a body lists; one more entry says how many were left
/// out. (A query can hold an error every few bytes, and each entry repeats
/// the rejected value.)
pub const MAX_ENTRIES: usize = 100;

/// The body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// A deterministic identifier of the failed request.
    #[serde(rename = "logRef")]
    pub log_ref: String,
    /// Always `Bad request`.
    pub message: String,
    /// The errors.
    #[serde(rename = "_embedded")]
    pub embedded: Embedded,
}

/// `_embedded` of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Embedded {
    /// One entry per invalid parameter (several for a query with several errors).
    pub errors: Vec<ErrorEntry>,
}

/// One error of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorEntry {
    /// The parameter.
    pub path: String,
    /// What is wrong (for the query, with the byte offset and hint).
    pub message: String,
    /// The decoded value.
    #[serde(rename = "rejectedValue")]
    pub rejected_value: Option<String>,
    /// Always [`SOURCE`].
    pub source: &'static str,
}

impl ErrorBody {
    /// The body for `errors`, raised by the request `query_string`.
    ///
    /// ```
    /// use helpscout_query::customers::{ListCustomers, error_body::ErrorBody};
    /// let raw = "page=0";
    /// let errors = ListCustomers::from_query_string(raw).unwrap_err();
    /// let body = ErrorBody::new(&errors, raw);
    /// assert_eq!(body.embedded.errors[0].path, "page");
    /// assert_eq!(body.log_ref, ErrorBody::new(&errors, raw).log_ref);
    /// ```
    pub fn new(errors: &RequestErrors, query_string: &str) -> ErrorBody {
        let mut entries: Vec<ErrorEntry> = errors
            .errors
            .iter()
            .take(MAX_ENTRIES)
            .map(|error| {
                let message = match &error.kind {
                    super::RequestErrorKind::InvalidQuery { diagnostic } => {
                        let mut message =
                            format!("{} (at byte {})", diagnostic.message, diagnostic.span.start);
                        if let Some(hint) = &diagnostic.hint {
                            message.push_str("; hint: ");
                            message.push_str(hint);
                        }
                        message
                    }
                    kind => kind.to_string(),
                };
                ErrorEntry {
                    path: error.parameter.clone(),
                    message,
                    rejected_value: error.rejected_value.as_deref().map(str::to_owned),
                    source: SOURCE,
                }
            })
            .collect();
        if let Some(first_left_out) = errors.errors.get(MAX_ENTRIES) {
            let left_out = errors.errors.len() - MAX_ENTRIES;
            entries.push(ErrorEntry {
                path: first_left_out.parameter.clone(),
                message: format!("... and {left_out} more errors not shown"),
                rejected_value: None,
                source: SOURCE,
            });
        }
        ErrorBody {
            log_ref: log_ref(query_string),
            message: "Bad request".to_owned(),
            embedded: Embedded { errors: entries },
        }
    }

    /// The body as pretty JSON.
    pub fn to_json(&self) -> String {
        // A struct of strings always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A UUID-shaped identifier from two FNV-1a hashes of the request.
fn log_ref(query_string: &str) -> String {
    let hash = |seed: u64| {
        query_string.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x84222325_cbf29ce4));
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}
