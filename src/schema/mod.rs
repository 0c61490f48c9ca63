//! Fields and types: the syntax tree lowered into a typed query.
//!
//! The parser knows no fields. A [`Schema`] says which fields an endpoint has,
//! their types, whether Help Scout documents them, and which record field they
//! read. [`Schema::resolve`] walks a [`Query`](crate::Query) and produces a
//! [`TypedQuery`]: field groups expanded into plain boolean nodes, every value
//! checked against its field's type (a date field gets a date, an integer field
//! an integer), unknown fields reported with a suggestion.
//!
//! Data flows one way: syntax tree in, typed query out. This module never
//! looks at records; the evaluator does.

mod fields;
mod lower;
mod typed;

pub(crate) use fields::edit_distance;
pub use fields::{
    DEFAULT_FIELDS, Endpoint, FieldDef, FieldType, RecordField, Schema, conversations, customers,
};
pub use lower::{
    Resolved, SchemaError, SchemaErrorKind, SchemaErrors, SchemaWarning, SchemaWarningKind,
    has_words,
};
pub use typed::{
    DateBound, DateTest, DateValue, IntegerTest, Predicate, Target, Test, TextTest, TypedNode,
    TypedQuery,
};
