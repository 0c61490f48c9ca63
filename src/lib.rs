//! Help Scout's advanced search language (the `query=` parameter of the
//! Mailbox API): validate it, build it, render it canonically, and answer it
//! over local customer data with Help Scout's semantics.
//!
//! The pipeline runs one way, each stage in its own module:
//!
//! ```text
//! text ──syntax::parser──▶ Query (syntax tree, spans) ──syntax::print──▶ canonical text
//!                             │                ▲
//!                             │                └── build (typed builder)
//!                     schema::Schema::resolve
//!                             ▼
//!                       TypedQuery ──eval::Matcher::compile──▶ Matcher
//!                                                                 │
//! URL query string ──customers::ListCustomers──▶ request ──┬──────┘
//!                                                          ▼
//!        records (customers::data / customers::stream) ──▶ HAL+JSON page
//! ```
//!
//! - [`parse`] / [`parse_with`] read a query into a [`Query`], with warnings
//!   where Help Scout may read it differently than the user thinks, or fail
//!   with [`ParseErrors`] carrying exact spans and hints.
//! - [`parse_lenient`] always recovers, for "did you mean" repairs.
//! - [`validate`] adds the endpoint's fields and types ([`schema`]).
//! - `Display` on [`Query`] writes the canonical form; [`escape`] and [`quote`]
//!   make any text safe to put in a query; [`build`] makes queries in code.
//! - [`customers`] parses, validates and renders `GET /v2/customers`
//!   requests and answers them over a JSON array, a HAL page or NDJSON of any
//!   size; [`eval`] holds the matching semantics.
//! - [`sql`] compiles the same request to one PostgreSQL statement (bind
//!   parameters only), and `db` (cargo feature `postgres`) loads records
//!   into PostgreSQL and answers from there, with the same pages.
//!
//! ```
//! let parsed = helpscout_query::parse("firstName:John lastName:Smith OR email:\"john@x.com\"")?;
//! assert_eq!(
//!     parsed.query.to_string(),
//!     "((firstName:John AND lastName:Smith) OR email:\"john@x.com\")"
//! );
//! // Two warnings: the implicit AND, and AND mixed with OR.
//! let codes: Vec<_> = parsed.warnings.iter().map(|w| w.kind.code()).collect();
//! assert_eq!(codes, ["implicit-operator", "mixed-and-or"]);
//! # Ok::<(), helpscout_query::ParseErrors>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
pub mod customers;
#[cfg(feature = "postgres")]
pub mod db;
pub mod eval;
pub mod schema;
pub mod sql;
pub mod syntax;

mod api;

pub use api::{
    Lenient, ParseErrors, Parsed, Validation, parse, parse_lenient, parse_lenient_with, parse_with,
    validate,
};
pub use syntax::ast::{Query, Span};
pub use syntax::diagnostic::{Diagnostic, Error, ErrorKind, Severity, Warning, WarningKind};
pub use syntax::parser::{Operator, ParseOptions};
pub use syntax::print::{escape, quote};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
