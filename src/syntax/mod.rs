//! Text to syntax tree and back. Knows no field names.
//!
//! - [`ast`]: the tree, with spans;
//! - [`parser`]: the grammar (its EBNF heads the module);
//! - [`print`](mod@print): the canonical form and the `explain` tree;
//! - [`diagnostic`]: errors, warnings, and their rendering;
//! - [`summary`]: lists of diagnostics grouped and capped.

pub mod ast;
pub(crate) mod date;
pub mod diagnostic;
pub mod parser;
pub mod print;
mod render;
pub mod summary;
