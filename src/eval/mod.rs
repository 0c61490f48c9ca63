//! Evaluation: typed customer queries matched against records with Help
//! Scout's semantics (SPEC §5).
//!
//! - `analysis`: text to tokens (UAX #29 words, lower-cased); [`tokens`]
//!   shows the words a text is searched as;
//! - `wildcard`: `*`/`?` patterns against single tokens, without backtracking;
//! - `dates`: date math, periods and bounds against a caller-supplied clock;
//! - `matcher`: the compiled [`Matcher`] and the analysed [`Document`],
//!   matched one at a time or, with [`Matcher::select`], a batch at a time.
//!
//! Compile once, match many: nothing here re-analyses a needle per record,
//! and a record is analysed once, when it is loaded. This module never reads
//! JSON; the customers module turns records into documents.

pub(crate) mod analysis;
pub(crate) mod date_math;
pub(crate) mod dates;
mod fuzzy;
pub(crate) mod literals;
pub(crate) mod matcher;
mod select;
pub(crate) mod wildcard;

pub use crate::text::{lowercase, lowercase_char};
pub use analysis::{Token, tokens};
pub(crate) use matcher::NameParameter;
pub use matcher::{CompileError, Document, LazyDocument, Matcher, Searchable};
