//! The List Customers endpoint (`GET /v2/customers`, SPEC §6).
//!
//! - [`form`]: URL query strings, decoded and encoded;
//! - [`request`]: the typed request: parsed from a query string, validated,
//!   built in code, rendered to the canonical URL;
//! - [`error_body`]: Help Scout's `application/vnd.error+json` error body;
//! - [`record`]: one customer, JSON kept verbatim, fields analysed once;
//! - [`data`]: loading a JSON array, a HAL page or NDJSON;
//! - [`response`]: filter, sort, page, and the HAL+JSON response;
//! - [`stream`]: the same answer over an NDJSON file of any size, in bounded memory.

pub mod data;
pub mod error_body;
pub mod form;
pub mod record;
pub mod request;
pub mod response;
pub mod scan;
pub mod stream;

pub use request::{
    ListCustomers, ParsedRequest, RequestError, RequestErrorKind, RequestErrors, RequestWarning,
    SortField, SortOrder,
};
