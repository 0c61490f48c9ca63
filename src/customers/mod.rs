//! The List Customers endpoint (`GET /v2/customers`, SPEC §6): the request,
//! and its answer over local data.
//!
//! Data flows one way through these modules (each imports only those above
//! it in its column):
//!
//! ```text
//!  form ─▶ request ─▶ error_body           json ─▶ scan/fields ─▶ record ─▶ load
//!             │                                                     │        │
//!             └───────────▶ filter (what is selected, in what order)◀┘        │
//!                              │                                             │
//!                   page ◀── memory, stream (the drivers) ◀───────────────────┘
//!                              │
//!                           answer (Source ─▶ Page)
//! ```
//!
//! - [`ListCustomers`]: the typed request, parsed from a URL query string
//!   ([`ListCustomers::from_query_string`]) or built in code, rendered to
//!   the canonical URL; [`ErrorBody`] is Help Scout's error body for an
//!   invalid one.
//! - [`answer`]: the request answered from a [`Source`] (the built-in
//!   sample, records in memory, text, or a file of any size) as one [`Page`],
//!   which renders Help Scout's HAL+JSON ([`Page::to_hal_json`]).
//! - [`load`] and [`Format`]: the three data formats (a JSON array, a HAL
//!   page, NDJSON) told apart by one rule; [`Customer`]: one record, its JSON
//!   kept verbatim.

mod answer;
pub mod error_body;
pub(crate) mod fields;
pub(crate) mod filter;
mod form;
pub(crate) mod json;
pub(crate) mod load;
mod memory;
pub(crate) mod page;
pub(crate) mod prefilter;
pub(crate) mod record;
pub(crate) mod request;
pub(crate) mod scan;
mod stream;

#[cfg(feature = "sample")]
pub use answer::SAMPLE;
pub use answer::{AnswerError, Source, answer};
pub use error_body::ErrorBody;
pub use form::FormError;
pub use load::{DataError, Format, MAX_DOCUMENT, MAX_LINE, load};
pub use page::{PAGE_SIZE, Page};
pub use record::Customer;
pub use request::{
    DEFAULT_BASE, ListCustomers, PATH, Parameter, ParsedRequest, RequestError, RequestErrorKind,
    RequestErrors, RequestWarning, SortField, SortOrder, check_base,
};
pub use stream::StreamOptions;
