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
//!   customers::Source (sample, records, text, file) ──customers::answer──▶ Page ──▶ HAL+JSON
//! ```
//!
//! Every stage reports through [`diagnostic`]: one [`Diagnostic`] shape, one
//! list of codes ([`Code`]), one renderer.
//!
//! - [`parse`] / [`parse_with`] read a query into a [`Query`], with warnings
//!   where Help Scout may read it differently than the user thinks, or fail
//!   with [`ParseErrors`] carrying exact spans and hints.
//! - [`parse_lenient`] always recovers, for "did you mean" repairs.
//! - [`validate`] adds the endpoint's fields and types ([`schema`]).
//! - `Display` on [`Query`] writes the canonical form, which is Lucene-safe
//!   ([`syntax::safe`]): Help Scout's engine, as modelled, finds the same
//!   records as hsq for it; [`sent_form`] is what a request URL carries;
//!   [`escape`] and [`quote`] make any text safe to put in a query; [`build`]
//!   makes queries in code.
//! - [`customers`] parses, validates and renders `GET /v2/customers`
//!   requests, and [`customers::answer`] answers them from any source (a JSON
//!   array, a HAL page or NDJSON of any size, records in memory) as one
//!   [`customers::Page`]; [`eval`] holds the matching semantics.
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
pub mod diagnostic;
pub mod eval;
pub mod schema;
pub mod sql;
pub mod syntax;

mod api;
mod calendar;
mod text;

pub use api::{
    Lenient, ParseErrors, Parsed, Validation, parse, parse_lenient, parse_lenient_with, parse_with,
    sent_form, validate, without_wordless,
};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use syntax::ast::{Query, Span};
pub use syntax::diagnostic::{Error, ErrorKind, Warning, WarningKind};
pub use syntax::print::{escape, quote};
pub use syntax::{Operator, ParseOptions};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
