//! Text to syntax tree and back. Knows no field names.
//!
//! - [`ast`]: the tree, with spans;
//! - [`parser`]: text to tree, configured by [`ParseOptions`]: runs the
//!   grammar and checks the finished tree (depth, whole-tree warnings);
//! - `grammar`: the grammar, one nom parser per EBNF rule (its EBNF heads
//!   the module), recording errors and warnings as it recovers;
//! - `tree`: joining, nesting depth and field names, shared by the parser
//!   and the builder;
//! - [`print`](mod@print): the canonical form and the `explain` tree;
//! - `regexp`: Lucene's regular expressions, checked and translated;
//! - [`safe`]: the Lucene-safe form the canonical form is written in;
//! - [`diagnostic`]: the syntax stage's errors and warnings.

pub mod ast;
pub(crate) mod date;
pub mod diagnostic;
#[cfg(test)]
mod fast_paths;
pub(crate) mod grammar;
mod options;
pub mod parser;
pub mod print;
pub(crate) mod regexp;
pub mod safe;
mod text;
pub(crate) mod tree;

pub use options::{Operator, ParseOptions};
