//! The typed query: what a query means for one schema.
//!
//! Field groups are gone (each leaf carries its field), and every value has
//! the type of its field. The evaluator compiles this; nothing here knows
//! about records.

use crate::syntax::ast::{DateMath, Span, Wildcard};

use super::fields::{FieldDef, Schema};

/// A query resolved against a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedQuery {
    /// The schema it was resolved against.
    pub schema: &'static Schema,
    /// The root.
    pub root: TypedNode,
}

/// A node of the typed tree.
#[derive(Debug, Clone, PartialEq)]
pub enum TypedNode {
    /// Every operand matches.
    And(Vec<TypedNode>),
    /// At least one operand matches.
    Or(Vec<TypedNode>),
    /// The operand does not match.
    Not(Box<TypedNode>),
    /// A leaf.
    Predicate(Predicate),
    /// A field group (`email:(a OR b)`): matches as its tree does, and is one
    /// clause for the `score` sort however many of its values match.
    Group(Box<TypedNode>),
    /// `*:*`: every record. Not a clause for the `score` sort.
    MatchAll,
    /// `x^2`: matches as `node` does; in the `score` sort, what `node`
    /// contributes is multiplied by `boost` (grammar.md).
    Boost {
        /// The boosted node.
        node: Box<TypedNode>,
        /// The factor, as Lucene holds it (a 32-bit float), finite: a
        /// boost past the float range is the largest float.
        boost: f32,
    },
}

/// One leaf test: which field, what test, and where it was written.
/// Equality ignores the span, as in the syntax tree.
#[derive(Debug, Clone)]
pub struct Predicate {
    /// The field tested.
    pub target: Target,
    /// The test.
    pub test: Test,
    /// The value's span in the query.
    pub span: Span,
}

impl PartialEq for Predicate {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target && self.test == other.test
    }
}

/// What a predicate looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One field.
    Field(&'static FieldDef),
    /// The schema's default fields (an unfielded value): any may match.
    Default,
}

/// A typed test.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// On a text field.
    Text(TextTest),
    /// On a date field.
    Date(DateTest),
    /// On an integer field.
    Integer(IntegerTest),
    /// On a boolean field.
    Boolean(bool),
}

/// A test on analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTest {
    /// An unquoted value: its tokens, consecutively.
    Term(String),
    /// A quoted value: its tokens, consecutively.
    Phrase(String),
    /// A pattern matched against single tokens.
    Wildcard(Wildcard),
    /// `john~1`: a single token within `edits` insertions, deletions,
    /// substitutions or adjacent swaps of `text` (lower-cased, not split into
    /// words), counted in code points (Lucene's `FuzzyQuery`).
    Fuzzy {
        /// The term, lower-cased.
        text: String,
        /// The most edits allowed (at most 2).
        edits: u8,
    },
    /// `[a TO c]`, `{a TO m}`: a single token between the bounds, compared
    /// by code points (Lucene's `TermRangeQuery` compares UTF-8 bytes, the
    /// same order). The bounds are lower-cased as Lucene's `normalize` does,
    /// not split into words: `["mary ann" TO *]` has the bound `mary ann`.
    Range {
        /// The lower bound, lower-cased.
        lower: std::ops::Bound<String>,
        /// The upper bound, lower-cased.
        upper: std::ops::Bound<String>,
    },
    /// `/jo.*/`: a single whole token matching the regular expression, in
    /// Lucene's `RegExp` syntax, lower-cased as Lucene's `normalize` does.
    Regex {
        /// The text between the slashes, as written.
        pattern: String,
    },
}

/// A test on an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateTest {
    /// Within the value's period: a truncated date is its whole period, a full
    /// date or `NOW` is that instant.
    Within(DateValue),
    /// Between two bounds.
    Range {
        /// The lower bound.
        lower: DateBound,
        /// The upper bound.
        upper: DateBound,
    },
    /// At or after the start of the value (`modifiedSince`).
    AtOrAfter(DateValue),
}

/// One end of a date range. A truncated date as a lower bound stands for its
/// start, as an upper bound for its end.
pub type DateBound = std::ops::Bound<DateValue>;

/// A date before the clock is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// `NOW` with date math.
    Now {
        /// Steps applied in order.
        math: Vec<DateMath>,
    },
    /// A full timestamp with date math.
    Instant {
        /// The instant, UTC.
        timestamp: jiff::Timestamp,
        /// Steps applied in order.
        math: Vec<DateMath>,
    },
    /// A whole year, month or day.
    Period {
        /// The year.
        year: i16,
        /// The month, for a month or a day.
        month: Option<i8>,
        /// The day.
        day: Option<i8>,
    },
}

/// A test on whole numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegerTest {
    /// Equal to.
    Equals(i64),
    /// Between two bounds.
    Range {
        /// The lower bound.
        lower: std::ops::Bound<i64>,
        /// The upper bound.
        upper: std::ops::Bound<i64>,
    },
}
