//! What a caller may choose about parsing: the implicit operator and the
//! limits. Shared by the parser and the builder, which must refuse what the
//! parser would refuse.

/// The operator that joins two clauses written side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operator {
    /// `a b` means `a AND b` (Help Scout's and Lucene's default).
    #[default]
    And,
    /// `a b` means `a OR b`.
    Or,
}

impl Operator {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Operator::And => "AND",
            Operator::Or => "OR",
        }
    }
}

/// Limits and choices for [`parse_with`](crate::parse_with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// The implicit operator. Default: AND.
    pub default_operator: Operator,
    /// The deepest nesting of `NOT`s, field groups and parenthesised AND/OR
    /// groups, counted as the canonical form nests them: the parentheses
    /// around the whole query and redundant ones do not count, the ones that
    /// precedence implies (`a AND b OR c` is `((a AND b) OR c)`) do. Default
    /// 64; values above [`ParseOptions::DEPTH_CEILING`] are treated as the
    /// ceiling.
    pub max_depth: usize,
    /// The longest query, in bytes. Default 64 KiB. The limit is on the text
    /// as given: the canonical form of a query can be longer, since it spells
    /// out implicit operators and adds parentheses.
    pub max_length: usize,
}

impl ParseOptions {
    /// The most nesting any options allow. Parsing, printing and dropping a
    /// tree recurse once per level; this keeps them far from the bottom of a
    /// 2 MiB thread stack (Rust's default for spawned threads), in debug
    /// builds too, where a level of parsing takes about 3.5 KiB of stack and
    /// some 580 levels fit (`tests/limits.rs` checks the ceiling there).
    pub const DEPTH_CEILING: usize = 256;
}

impl ParseOptions {
    /// The defaults, as a constant: `parse` reads them from here rather
    /// than from a value it has just written (a copy of those bytes would
    /// wait for the writes; BENCHMARKS.md §1, fourth round).
    pub(crate) const DEFAULT: ParseOptions = ParseOptions {
        default_operator: Operator::And,
        max_depth: 64,
        max_length: 64 * 1024,
    };
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions::DEFAULT
    }
}
