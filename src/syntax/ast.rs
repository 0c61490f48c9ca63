//! The syntax tree: what the user wrote, with byte spans, knowing no field names.
//!
//! The tree is deliberately small. Boolean structure is n-ary (`And`, `Or`)
//! plus `Not`; leaves are field clauses and bare values. A field group
//! (`email:("a" OR "b")`) is a clause whose value is itself a boolean tree over
//! values. Dates are parsed structurally, so the canonical form can normalise
//! them without knowing which field they belong to.
//!
//! Equality ignores spans: two trees are equal when they mean the same thing
//! as written, wherever they came from. This is what makes
//! `parse(render(ast)) == ast` a testable property.
//!
//! This module must never know about schemas or records.

pub use super::text::Text;
/// The string type of field names (and the in-place form of [`Text`],
/// that of terms and phrases): up to 24 bytes held in place, without
/// allocating (issue 14, BENCHMARKS.md §1). Re-exported so that users need
/// not depend on `compact_str`; `.into()` builds one from a `&str` or a
/// `String`.
pub use compact_str::CompactString;
use serde::Serialize;

/// A half-open byte range `start..end` into the query text.
///
/// Spans are two offsets and nothing more, so producing one costs nothing and
/// never copies the input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// An empty span at `at`, used for "something was expected here".
    pub const fn empty(at: usize) -> Span {
        Span { start: at, end: at }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// This span moved right by `by` bytes (for a query embedded in a larger text).
    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
}

/// Implements `PartialEq` for a node type by comparing every field but `span`.
macro_rules! eq_ignoring_span {
    ($ty:ident { $($field:ident),* }) => {
        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                true $(&& self.$field == other.$field)*
            }
        }
        impl Eq for $ty {}
    };
}

/// A whole parsed query: the root expression.
///
/// `Display` writes the canonical form (see [`crate::syntax::print`]); `FromStr`
/// parses with default options and fails on any error.
///
/// ```
/// let query: helpscout_query::Query = "firstName:John lastName:Smith".parse().unwrap();
/// assert_eq!(query.to_string(), "(firstName:John AND lastName:Smith)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Query {
    /// The root of the tree.
    pub root: Expr,
}

/// A node of the boolean tree, with its span.
#[derive(Debug, Clone, Serialize)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it was written (operators and parentheses included).
    pub span: Span,
}
eq_ignoring_span!(Expr { kind });

/// The kinds of boolean node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExprKind {
    /// All operands must match. Never fewer than two operands, never an `And`
    /// directly inside another `And` (chains are flattened).
    And {
        /// The operands, in order.
        operands: Vec<Expr>,
    },
    /// At least one operand must match. Never fewer than two operands, never an
    /// `Or` directly inside another `Or`.
    Or {
        /// The operands, in order.
        operands: Vec<Expr>,
    },
    /// The operand must not match (`NOT x`, `-x`, `!x`).
    Not {
        /// The negated operand.
        operand: Box<Expr>,
    },
    /// `field:value` or `field:(group)`.
    Clause(Clause),
    /// A value with no field: searches the schema's default fields, or, inside a
    /// field group, the group's field.
    Value(Value),
    /// `*:*`, Solr's match-all: every record. Allowed in field groups too
    /// (`email:(*:* AND NOT "x.com")`), where it still means every record.
    MatchAll,
    /// `x^2`, `(a OR b)^0.5`, `firstName:john^3`: the operand, boosted.
    /// It matches exactly what the operand matches; the boost only weighs
    /// it in the `score` sort (grammar.md).
    Boost {
        /// What is boosted: a value, a clause, a group or `*:*`.
        operand: Box<Expr>,
        /// The factor.
        boost: Boost,
    },
}

/// A boost factor as Lucene's grammar takes it after `^`: digits, then
/// optionally `.` and digits (no sign, no exponent). Held in a canonical
/// decimal text (no leading zeros, no trailing zeros after the point, no
/// point with nothing after it), so that `^2.0` and `^02` are the same boost.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Boost(String);

impl Boost {
    /// The boost written `text` (`2`, `0.5`, `02.50`), or `None` when it is
    /// not digits with an optional fraction.
    pub fn new(text: &str) -> Option<Boost> {
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return None;
        }
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let fraction = fraction.map_or("", |f| f.trim_end_matches('0'));
        Some(Boost(if fraction.is_empty() {
            whole.to_owned()
        } else {
            format!("{whole}.{fraction}")
        }))
    }

    /// The canonical text: `2`, `0.5`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The factor as Lucene holds it (`Float.parseFloat`): a 32-bit float,
    /// infinite past its range.
    pub fn value(&self) -> f32 {
        self.0.parse::<f32>().unwrap_or(f32::INFINITY)
    }
}

/// `field:value`: a field name and what it must match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clause {
    /// The field name as written (case sensitive).
    pub field: Field,
    /// The value, or a group of values.
    pub value: ClauseValue,
}

/// A field name with its span.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The name as written: `[A-Za-z_][A-Za-z0-9_.]*`, and never `AND`, `OR`
    /// or `NOT`, which are operators wherever they stand (a tree built with
    /// such a name renders to a query that does not parse). Inline up to 24
    /// bytes (no allocation); build one with `.into()` from a `&str` or `String`.
    pub name: CompactString,
    /// Where the name was written.
    pub span: Span,
}
eq_ignoring_span!(Field { name });

/// What a field clause matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClauseValue {
    /// One value: `field:value`.
    Single {
        /// The value.
        value: Value,
    },
    /// A parenthesised boolean tree of values: `field:(a OR b)`. Its leaves are
    /// always [`ExprKind::Value`], never clauses.
    Group {
        /// The tree inside the parentheses.
        expr: Box<Expr>,
    },
}

/// A leaf value with its span.
#[derive(Debug, Clone, Serialize)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Where it was written (quotes and brackets included).
    pub span: Span,
}
eq_ignoring_span!(Value { kind });

/// The kinds of value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ValueKind {
    /// An unquoted word, unescaped (`Jo\*` is the term `Jo*`, never a wildcard).
    /// Never empty. A [`Text`]: a `str` held in place up to 24 bytes, or
    /// shared with the parsed query; `.into()` builds one from a `&str`,
    /// `String` or `CompactString`.
    Term(Text),
    /// A quoted string, unescaped. Never empty. `*` and `?` inside are
    /// literal. A [`Text`], as a term's.
    Phrase(Text),
    /// An unquoted word with at least one unescaped `*` or `?`.
    Wildcard(Wildcard),
    /// A date: full, truncated, or date math. Boxed: the largest value
    /// (48 bytes) and a rare one, it would make every node larger.
    Date(Box<DateExpr>),
    /// `john~`, `jonh~1`: a term matched against single tokens within an
    /// edit distance (Lucene's `FuzzyQuery`).
    Fuzzy(Fuzzy),
    /// `[lo TO hi]`, `{lo TO hi}` or a mix. Only ever the value of a field
    /// clause or a leaf of a field group.
    Range(Range),
    /// `/jo.*/`: a regular expression in Lucene's `RegExp` syntax, matched
    /// against single whole tokens.
    Regex(Regex),
}

/// A regular expression as written between the slashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Regex {
    /// The text between the slashes, as written (`\/` for a slash), not
    /// lower-cased: Lucene lower-cases it when it reads it. It never ends
    /// with a `\` (which would make the closing slash ambiguous to Lucene's
    /// lexer): the parser writes a final escaped backslash as `[\\]`.
    pub pattern: String,
}

/// A fuzzy term: its text (unescaped, as written) and the most edits allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fuzzy {
    /// The term, not lower-cased. Never empty.
    pub text: String,
    /// At most this many insertions, deletions, substitutions or swaps of
    /// two adjacent characters: 0, 1 or 2 (Lucene's limit).
    pub edits: u8,
}

/// A wildcard pattern: literal text and `*`/`?` in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wildcard {
    /// The pattern's parts; adjacent literals are merged, and at least one part
    /// is not a literal.
    pub parts: Vec<WildcardPart>,
}

/// One piece of a [`Wildcard`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "text", rename_all = "snake_case")]
pub enum WildcardPart {
    /// Text matched as is (case-insensitively by the evaluator).
    Literal(String),
    /// Text written escaped (`*\\N`) in a wildcard other than a prefix:
    /// Lucene matches it as written, not lower-cased, so an upper-case
    /// letter here matches no token of a lower-cased index. Written back
    /// with its escapes. The parser keeps here only characters that
    /// lower-casing changes (an escaped `\\!` or `\\u` is a literal `!` or
    /// `u`, the same to Lucene), never in a prefix wildcard (`\\J*`, which
    /// Lucene lower-cases whole).
    Escaped(String),
    /// `*`: any run of characters, possibly empty.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
}

/// A range of values with its two bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Range {
    /// The lower bound (`[` inclusive, `{` exclusive).
    pub lower: Bound,
    /// The upper bound (`]` inclusive, `}` exclusive).
    pub upper: Bound,
}

/// One end of a [`Range`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Bound {
    /// `[v` or `v]`: the value itself is in the range.
    Inclusive(Box<Value>),
    /// `{v` or `v}`: the value itself is not in the range.
    Exclusive(Box<Value>),
    /// `*`: open. The bracket written beside it is kept, so the canonical form
    /// reproduces it, although it means nothing.
    Unbounded {
        /// Whether the bracket was `[`/`]` (true) or `{`/`}` (false).
        inclusive: bool,
    },
}

impl Bound {
    /// Whether the bracket beside this bound is `[` or `]`.
    pub fn is_inclusive(&self) -> bool {
        match self {
            Bound::Inclusive(_) => true,
            Bound::Exclusive(_) => false,
            Bound::Unbounded { inclusive } => *inclusive,
        }
    }

    /// The bound's value, or `None` for `*`.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Bound::Inclusive(v) | Bound::Exclusive(v) => Some(v),
            Bound::Unbounded { .. } => None,
        }
    }
}

/// A date as written: an anchor and Solr date math applied to it in order.
///
/// `NOW-1DAY/DAY` is `Now` followed by `Sub(1, Day)` and `Round(Day)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateExpr {
    /// Where the date starts.
    pub anchor: DateAnchor,
    /// Date math applied left to right. Only `Now` and full dates take math.
    pub math: Vec<DateMath>,
}

/// The starting point of a [`DateExpr`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DateAnchor {
    /// `NOW`: the evaluation clock.
    Now,
    /// A full timestamp, held in UTC (an offset written in the query has
    /// already been applied). Serialised as RFC 3339.
    Full {
        /// The instant.
        timestamp: jiff::Timestamp,
    },
    /// A truncated date standing for a whole period: a year, a month or a day.
    Truncated(TruncatedDate),
}

/// A date with trailing parts left out: `2000-11`, `2014-12-01`, standing for
/// a whole month or day. Always a valid calendar date.
///
/// A bare year (`2014`) is not a date in the tree but a [`ValueKind::Term`]:
/// without a field it cannot be told from a number. The schema reads such a
/// term as a year where the field is a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TruncatedDate {
    /// The year, 0-9999.
    pub year: i16,
    /// The month, 1-12.
    pub month: i8,
    /// The day of the month, when given.
    pub day: Option<i8>,
}

/// One step of Solr date math.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DateMath {
    /// `+N UNIT` (`amount` may be 0).
    Add {
        /// How many units.
        amount: u32,
        /// Which unit.
        unit: DateUnit,
    },
    /// `-N UNIT`.
    Sub {
        /// How many units.
        amount: u32,
        /// Which unit.
        unit: DateUnit,
    },
    /// `/UNIT`: round down to the start of the unit.
    Round {
        /// Which unit.
        unit: DateUnit,
    },
}

/// The units of Solr date math.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DateUnit {
    /// `YEAR`, `YEARS`.
    Year,
    /// `MONTH`, `MONTHS`.
    Month,
    /// `DAY`, `DAYS` (and Solr's `DATE`).
    Day,
    /// `HOUR`, `HOURS`.
    Hour,
    /// `MINUTE`, `MINUTES`.
    Minute,
    /// `SECOND`, `SECONDS`.
    Second,
    /// `MILLI`, `MILLIS`, `MILLISECOND`, `MILLISECONDS` (Solr's names).
    Millisecond,
}

impl DateUnit {
    /// Every unit, longest name first where names share a prefix.
    pub const ALL: [DateUnit; 7] = [
        DateUnit::Year,
        DateUnit::Month,
        DateUnit::Day,
        DateUnit::Hour,
        DateUnit::Minute,
        DateUnit::Second,
        DateUnit::Millisecond,
    ];

    /// The singular upper-case name, as written in canonical form for 1 and `/UNIT`.
    pub fn singular(self) -> &'static str {
        match self {
            DateUnit::Year => "YEAR",
            DateUnit::Month => "MONTH",
            DateUnit::Day => "DAY",
            DateUnit::Hour => "HOUR",
            DateUnit::Minute => "MINUTE",
            DateUnit::Second => "SECOND",
            DateUnit::Millisecond => "MILLI",
        }
    }
}

impl Expr {
    /// A node of the given kind and span.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}

impl From<DateExpr> for ValueKind {
    /// `ValueKind::Date`, boxed.
    fn from(date: DateExpr) -> ValueKind {
        ValueKind::Date(Box::new(date))
    }
}

impl Value {
    /// A value of the given kind and span.
    pub fn new(kind: ValueKind, span: Span) -> Value {
        Value { kind, span }
    }
}

impl Query {
    /// Visits every node depth-first without recursion, parents before children.
    ///
    /// Trees can be as deep as the parser's depth limit allows; an explicit
    /// stack keeps walkers from depending on the size of the call stack.
    pub fn walk<'a>(&'a self, visit: impl FnMut(&'a Expr)) {
        Query::walk_expr(&self.root, visit);
    }

    /// [`walk`](Query::walk) from any node.
    pub(crate) fn walk_expr<'a>(root: &'a Expr, mut visit: impl FnMut(&'a Expr)) {
        let mut stack = vec![root];
        while let Some(expr) = stack.pop() {
            visit(expr);
            match &expr.kind {
                ExprKind::And { operands } | ExprKind::Or { operands } => {
                    stack.extend(operands.iter().rev());
                }
                ExprKind::Not { operand } | ExprKind::Boost { operand, .. } => stack.push(operand),
                ExprKind::Clause(Clause {
                    value: ClauseValue::Group { expr },
                    ..
                }) => stack.push(expr),
                ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll => {}
            }
        }
    }
}
