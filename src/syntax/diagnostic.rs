//! Errors and warnings of the syntax stage.
//!
//! Each kind has a stable [`Code`] (listed in `grammar.md`), a message naming
//! what was expected, and a hint where one helps; [`crate::diagnostic`] turns
//! them into [`Diagnostic`]s and renders them.

use std::fmt;

use serde::Serialize;

use super::ast::Span;
use crate::diagnostic::summary::Repeats;
use crate::diagnostic::{Code, Diagnostic, Severity, diagnostic_kind};

/// Why a query could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Nothing but whitespace.
    #[error("the query is empty")]
    EmptyQuery,
    /// The input is longer than `ParseOptions::max_length`.
    #[error("the query is {len} bytes long; the limit is {max}")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `NOT`s, field groups and parenthesised AND/OR groups nest deeper than
    /// `ParseOptions::max_depth` (counted as in the canonical form). The span
    /// points at a level too many: its `NOT`, its `(`, or its first operand.
    #[error("the query nests deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A `(` with no matching `)`. The span is the `(`.
    #[error("unclosed parenthesis: this '(' is never closed")]
    UnclosedParen,
    /// A `)` with no matching `(`.
    #[error("unexpected ')': there is no '(' to close")]
    UnexpectedParen,
    /// A `"` with no closing `"`. The span is the opening quote.
    #[error("unterminated quote: this '\"' is never closed")]
    UnterminatedQuote,
    /// `""`.
    #[error("empty phrase: a quoted value needs at least one character")]
    EmptyPhrase,
    /// `field:` followed by nothing usable.
    #[error("expected a value after ':', found {found}")]
    ExpectedValue {
        /// What was there instead.
        found: Found,
    },
    /// An operator (or `NOT`, `-`, `(`) followed by nothing usable.
    #[error("expected a clause after {after}, found {found}")]
    ExpectedClause {
        /// The operator or bracket that needed a clause.
        after: &'static str,
        /// What was there instead.
        found: Found,
    },
    /// `AND`/`OR` with no clause before it.
    #[error("expected a clause before {operator}")]
    MisplacedOperator {
        /// The operator as written.
        operator: &'static str,
    },
    /// `field=value`.
    #[error("'=' is not an operator: field and value are separated by ':'")]
    EqualsForColon {
        /// The text before the `=`, as written (past 64 characters, cut
        /// short and ended with `…`).
        field: String,
    },
    /// A character that has no meaning at this point, such as a stray `]` or `:`.
    #[error("unexpected {found}")]
    Unexpected {
        /// What was found.
        found: Found,
    },
    /// `[a TO b]` with no field before it.
    #[error("a range needs a field, as in createdAt:[a TO b]")]
    RangeNeedsField,
    /// `[` or `{` not followed by a bound, or `TO` not followed by one.
    #[error("expected a range bound (a value or '*'), found {found}")]
    ExpectedRangeBound {
        /// What was there instead.
        found: Found,
    },
    /// `[a b]`: the word `TO` is missing.
    #[error("expected 'TO' between the range bounds, found {found}")]
    ExpectedTo {
        /// What was there instead.
        found: Found,
    },
    /// A range with no closing `]` or `}`. The span is the opening bracket.
    #[error("unclosed range: expected ']' or '}}' to close it")]
    UnclosedRange,
    /// A wildcard used as a range bound.
    #[error("a range bound cannot be a wildcard")]
    WildcardBound,
    /// A wildcard whose part between two `*`s has a `?` inside and is
    /// longer than `max` characters: matching it would cost a pass over
    /// each word per 64 characters of it.
    #[error("between two '*', a part with '?' inside is at most {max} characters long")]
    WildcardTooComplex {
        /// The limit, in characters.
        max: usize,
    },
    /// A date-shaped value that is not a real date or time.
    #[error("invalid date: {reason}")]
    InvalidDate {
        /// What is wrong with it.
        reason: String,
    },
    /// `field:(other:x)`: a field clause inside a field group.
    #[error("a field group holds values only, not another field")]
    FieldInGroup,
    /// `"a":b` or `john@x.com:b`: text before ':' that cannot be a field name.
    #[error("'{name}' cannot be a field name")]
    InvalidFieldName {
        /// The text before the ':' (past 64 characters, cut short and
        /// ended with `…`).
        name: String,
    },
    /// A `\` at the very end of the query.
    #[error("a '\\' at the end escapes nothing")]
    DanglingEscape,
    /// `\u` not followed by four hexadecimal digits (Lucene: "Truncated
    /// unicode escape sequence"), or escaping half of a surrogate pair.
    #[error("'\\u' must be followed by four hexadecimal digits of a character")]
    InvalidUnicodeEscape,
    /// Lucene syntax that Help Scout does not support (`~` proximity, `~`
    /// on a wildcard or a regular expression, a fractional edit distance).
    #[error("{what} is not supported by Help Scout")]
    Unsupported {
        /// What was written.
        what: &'static str,
    },
    /// `^` with no number after it (`john^`, `john^-1`, `john^.5`), or with
    /// no clause before it (`^2`, `a^2^3`).
    #[error("'^' (a boost) must follow a clause and be followed by a number")]
    InvalidBoost,
    /// A regular expression that Lucene rejects too: `/jo/` never closed,
    /// `/a{/`, `/[b-a]/`, `/(a/`. The span is the offending text.
    #[error("invalid regular expression: {message}")]
    InvalidRegex {
        /// What is wrong.
        message: String,
    },
    /// A regular expression that Lucene accepts but hsq cannot evaluate:
    /// complement (`~`), intersection (`&`), a named automaton (`<name>`),
    /// or one too large to compile within the size limit.
    #[error("this regular expression uses {what}, which hsq cannot evaluate")]
    UnsupportedRegex {
        /// What was written.
        what: &'static str,
    },
}

/// A short description of what stood where something else was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Found {
    /// The end of the query.
    End,
    /// A character.
    Char(char),
    /// An operator or keyword.
    Keyword(&'static str),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::End => f.write_str("the end of the query"),
            Found::Char(c) => write!(f, "'{c}'"),
            Found::Keyword(k) => write!(f, "'{k}'"),
        }
    }
}

impl ErrorKind {
    /// The stable code of this kind, as listed in `grammar.md`.
    pub fn code(&self) -> Code {
        match self {
            ErrorKind::EmptyQuery => Code::EmptyQuery,
            ErrorKind::TooLong { .. } => Code::TooLong,
            ErrorKind::TooDeep { .. } => Code::TooDeep,
            ErrorKind::UnclosedParen => Code::UnclosedParen,
            ErrorKind::UnexpectedParen => Code::UnexpectedParen,
            ErrorKind::UnterminatedQuote => Code::UnterminatedQuote,
            ErrorKind::EmptyPhrase => Code::EmptyPhrase,
            ErrorKind::ExpectedValue { .. } => Code::ExpectedValue,
            ErrorKind::ExpectedClause { .. } => Code::ExpectedClause,
            ErrorKind::MisplacedOperator { .. } => Code::MisplacedOperator,
            ErrorKind::EqualsForColon { .. } => Code::EqualsForColon,
            ErrorKind::InvalidUnicodeEscape => Code::InvalidUnicodeEscape,
            ErrorKind::Unexpected { .. } => Code::UnexpectedChar,
            ErrorKind::RangeNeedsField => Code::RangeNeedsField,
            ErrorKind::ExpectedRangeBound { .. } => Code::ExpectedRangeBound,
            ErrorKind::ExpectedTo { .. } => Code::ExpectedTo,
            ErrorKind::UnclosedRange => Code::UnclosedRange,
            ErrorKind::WildcardBound => Code::WildcardBound,
            ErrorKind::WildcardTooComplex { .. } => Code::WildcardTooComplex,
            ErrorKind::InvalidDate { .. } => Code::InvalidDate,
            ErrorKind::FieldInGroup => Code::FieldInGroup,
            ErrorKind::InvalidFieldName { .. } => Code::InvalidFieldName,
            ErrorKind::DanglingEscape => Code::DanglingEscape,
            ErrorKind::Unsupported { .. } => Code::Unsupported,
            ErrorKind::InvalidBoost => Code::InvalidBoost,
            ErrorKind::InvalidRegex { .. } => Code::InvalidRegex,
            ErrorKind::UnsupportedRegex { .. } => Code::UnsupportedRegex,
        }
    }

    /// What to do about it, when there is something useful to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            ErrorKind::EmptyQuery => "write at least one clause, such as firstName:\"John\"",
            ErrorKind::TooLong { .. } => "split the query, or raise ParseOptions::max_length",
            ErrorKind::TooDeep { .. } => {
                "remove redundant parentheses or NOTs, or raise ParseOptions::max_depth"
            }
            ErrorKind::UnclosedParen => "add a ')' to close it",
            ErrorKind::UnexpectedParen => "remove it, or add the '(' it was meant to close",
            ErrorKind::UnterminatedQuote => {
                "add a '\"' to close it; write \\\" for a literal quote"
            }
            ErrorKind::EmptyPhrase => {
                "remove the clause, or put the text to search between the quotes"
            }
            ErrorKind::ExpectedValue { .. } => {
                "write the value right after ':', as in firstName:\"John\""
            }
            ErrorKind::ExpectedClause { .. } => "remove the operator, or add the missing clause",
            ErrorKind::MisplacedOperator { .. } => "remove the operator, or add the missing clause",
            ErrorKind::EqualsForColon { field } => {
                return Some(format!("write '{field}:' instead of '{field}='"));
            }
            ErrorKind::Unexpected { .. } => "quote the value, or escape the character with '\\'",
            ErrorKind::RangeNeedsField => "put a field before it, as in modifiedAt:[2014 TO *]",
            ErrorKind::ExpectedRangeBound { .. } => "use '*' for an open end, as in [2014 TO *]",
            ErrorKind::ExpectedTo { .. } => "write the bounds as [low TO high]",
            ErrorKind::UnclosedRange => "close it with ']' (inclusive) or '}' (exclusive)",
            ErrorKind::WildcardBound => "use '*' alone for an open end",
            ErrorKind::WildcardTooComplex { .. } => {
                "split that part with '*', or search for a shorter part of the word"
            }
            ErrorKind::InvalidDate { .. } => {
                "dates are yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ; quote the value to search it as text"
            }
            ErrorKind::FieldInGroup => "close the group first, as in email:(a OR b) OR firstName:c",
            ErrorKind::InvalidFieldName { .. } => {
                "field names are letters, digits and '_'; quote the value or escape the ':' with '\\'"
            }
            ErrorKind::DanglingEscape => "remove it, or write \\\\ for a literal backslash",
            ErrorKind::InvalidUnicodeEscape => {
                "write four hex digits, as in \\u00e9, or \\\\u for a backslash and a u"
            }
            ErrorKind::Unsupported { .. } => {
                "remove it, or quote the value to search for it literally"
            }
            ErrorKind::InvalidBoost => {
                "write a number right after the '^', as in john^2 or (a OR b)^0.5, or escape it as \\^"
            }
            ErrorKind::InvalidRegex { .. } => {
                "fix the expression (Lucene's RegExp syntax), or escape the '/' as \\/ to search it as text"
            }
            ErrorKind::UnsupportedRegex { .. } => {
                "spell it with '|', classes and repetitions instead, or escape the character with '\\'"
            }
        };
        Some(hint.to_owned())
    }
}

/// A syntax error at a place in the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {}){}", span.start, repeats_suffix(.repeats))]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where: for unclosed things, the opening character; for missing things,
    /// an empty span where they were expected.
    pub span: Span,
    /// When this error stands for a group of identical ones (see
    /// [`summary`](crate::diagnostic::summary)): how many places, and the last.
    pub repeats: Option<Repeats>,
}

/// Something that parses, but that Help Scout may read differently than the
/// user thinks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WarningKind {
    /// Two clauses side by side with no operator between them.
    #[error("no operator between these clauses; reading it as {operator}")]
    ImplicitOperator {
        /// The operator used (`AND` or `OR`, from `ParseOptions`).
        operator: &'static str,
    },
    /// `a AND b OR c` without parentheses.
    #[error("AND and OR mixed without parentheses; AND binds tighter, so this reads as {reading}")]
    MixedAndOr {
        /// The grouping used, in canonical form; past about 120 bytes it is
        /// cut short and ends with `…`.
        reading: String,
    },
    /// `and`, `or`, `not` written in lower case.
    #[error("'{word}' is searched for as a word: operators are upper case")]
    LowercaseOperator {
        /// The word as written.
        word: String,
    },
    /// `"Jo*"`: wildcards have no effect inside quotes.
    #[error("'{wildcard}' inside quotes is a literal character, not a wildcard")]
    WildcardInPhrase {
        /// `*` or `?`.
        wildcard: char,
    },
    /// `-x`: reported to be unreliable through the Help Scout API.
    #[error("the '-' prefix is reported to be unreliable through the Help Scout API")]
    MinusPrefix,
    /// `+x` with the implicit operator set to OR: Lucene would make the other
    /// clauses optional, which a boolean tree cannot say; the `+` is ignored.
    #[error(
        "with the implicit OR, '+' would make the other clauses optional in Lucene; here it is ignored"
    )]
    PlusWithOr,
    /// A full date with a fraction of a second.
    #[error("fractional seconds are not part of Help Scout's date format")]
    FractionalSeconds,
    /// A full date with an offset other than `Z`.
    #[error("the offset {offset} is not part of Help Scout's date format; it is converted to UTC")]
    DateOffset {
        /// The offset as written.
        offset: String,
    },
    /// `'John'`: single quotes are ordinary characters.
    #[error("single quotes are part of the word, not quotes")]
    SingleQuotes,
    /// `a OR NOT b`: Lucene's classic parser makes the NOT a MUST_NOT of the
    /// whole OR, so Help Scout reads `a AND NOT b`.
    #[error("NOT inside OR: Help Scout's search (Lucene) reads 'a OR NOT b' as 'a AND NOT b'")]
    NotInOr {
        /// The safe form of the NOT clause, possibly cut short with `…`.
        safe: String,
    },
    /// `a AND (NOT b)`, `email:(NOT x)` in a larger query: a group made only
    /// of negations matches nothing in Solr's standard parser, unless it is
    /// the whole query.
    #[error(
        "a group made only of NOTs matches nothing in Help Scout's search (Lucene), unless it is the whole query"
    )]
    NegativeGroup {
        /// The safe form of the group, possibly cut short with `…`.
        safe: String,
    },
    /// `NOT NOT x`: a syntax error for Lucene's grammar.
    #[error("NOT NOT is a syntax error for Help Scout's search (Lucene)")]
    DoubleNot {
        /// What the negations mean, written without them (cut short with `…`).
        safe: String,
    },
    /// `firstName:*\N`, `firstName:\u004a?hn`: inside a wildcard, Lucene
    /// keeps an escaped character as written: it neither lower-cases it nor
    /// decodes `\u`.
    #[error(
        "inside a wildcard, Help Scout's search (Lucene) neither lower-cases an escaped character nor decodes '\\u'"
    )]
    WildcardEscape {
        /// The wildcard without the escapes (what was likely meant; hsq
        /// reads and sends the escapes as Lucene reads them).
        safe: String,
    },
    /// `john<NBSP>appleseed`: a space character that is not whitespace to
    /// Lucene (only space, tab, CR, LF and U+3000 are), so part of the term.
    #[error(
        "{} is not a space to Help Scout's search (Lucene): it is part of the term",
        code_point(*.space)
    )]
    UnicodeSpace {
        /// The character.
        space: char,
    },
    /// `firstName:john!x`, `firstName:a/b`, `createdAt:NOW/DAY` outside a
    /// range: Lucene ends the term at `!` (NOT) or `/` (a regular expression).
    #[error(
        "'{found}' inside a term is an operator to Help Scout's search (Lucene): {}",
        if *.found == '!' { "it negates what follows" } else { "it starts a regular expression" }
    )]
    OperatorInTerm {
        /// `!` or `/`.
        found: char,
        /// The value escaped or quoted, as hsq sends it.
        safe: String,
    },
    /// `+-x`, `NOT +x`, `++x`: Lucene takes one prefix per clause.
    #[error("more than one prefix on a clause is a syntax error for Help Scout's search (Lucene)")]
    StackedPrefixes {
        /// The clause with one prefix at most (cut short with `…`).
        safe: String,
    },
    /// `"0"||Example.Com`: `&&` or `||` followed by a term character is part
    /// of the term to Lucene, not an operator.
    #[error("'{operator}' glued to a term is part of the term, not an operator")]
    GluedOperator {
        /// `&&` or `||`.
        operator: &'static str,
    },
    /// `NOW-3day`: Solr's date math takes upper-case units only.
    #[error("date-math units in lower case are an error to Help Scout's search (Solr)")]
    LowercaseDateUnit,
    /// `modifiedAt:2013-11-20T00:00:00Z`: outside a range, Lucene's grammar
    /// reads the `:` of a bare timestamp as a field separator.
    #[error(
        "an unquoted timestamp outside a range is a syntax error for Help Scout's search (Lucene reads its ':' as a field)"
    )]
    BareTimestamp {
        /// The timestamp, quoted.
        safe: String,
    },
}

impl WarningKind {
    /// The stable code of this kind, as listed in `grammar.md`.
    pub fn code(&self) -> Code {
        match self {
            WarningKind::ImplicitOperator { .. } => Code::ImplicitOperator,
            WarningKind::MixedAndOr { .. } => Code::MixedAndOr,
            WarningKind::LowercaseOperator { .. } => Code::LowercaseOperator,
            WarningKind::WildcardInPhrase { .. } => Code::WildcardInPhrase,
            WarningKind::MinusPrefix => Code::MinusPrefix,
            WarningKind::PlusWithOr => Code::PlusWithOr,
            WarningKind::FractionalSeconds => Code::FractionalSeconds,
            WarningKind::DateOffset { .. } => Code::DateOffset,
            WarningKind::SingleQuotes => Code::SingleQuotes,
            WarningKind::NotInOr { .. } => Code::NotInOr,
            WarningKind::NegativeGroup { .. } => Code::NegativeGroup,
            WarningKind::DoubleNot { .. } => Code::DoubleNot,
            WarningKind::BareTimestamp { .. } => Code::BareTimestamp,
            WarningKind::WildcardEscape { .. } => Code::WildcardEscape,
            WarningKind::UnicodeSpace { .. } => Code::UnicodeSpace,
            WarningKind::LowercaseDateUnit => Code::LowercaseDateUnit,
            WarningKind::OperatorInTerm { .. } => Code::OperatorInTerm,
            WarningKind::StackedPrefixes { .. } => Code::StackedPrefixes,
            WarningKind::GluedOperator { .. } => Code::GluedOperator,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            WarningKind::ImplicitOperator { operator } => {
                format!("write {operator} (or the operator you meant) explicitly")
            }
            WarningKind::MixedAndOr { reading } => format!("add parentheses: {reading}"),
            WarningKind::LowercaseOperator { word } => format!(
                "write {} for the operator, or quote \"{word}\" to search for the word",
                word.to_ascii_uppercase()
            ),
            WarningKind::WildcardInPhrase { .. } => {
                "remove the quotes to use a wildcard, as in firstName:Jo*".to_owned()
            }
            WarningKind::MinusPrefix => "write NOT instead, as in NOT tag:spam".to_owned(),
            WarningKind::PlusWithOr => {
                "remove the '+', or write AND between the clauses that are all required".to_owned()
            }
            WarningKind::FractionalSeconds => {
                "write whole seconds: yyyy-MM-ddTHH:mm:ssZ".to_owned()
            }
            WarningKind::DateOffset { .. } => {
                "write the time in UTC with a 'Z', as in 2013-11-20T00:00:00Z".to_owned()
            }
            WarningKind::SingleQuotes => {
                "use double quotes for a phrase: \"John Smith\"".to_owned()
            }
            WarningKind::NotInOr { safe } | WarningKind::NegativeGroup { safe } => {
                format!("write {safe}, which means the same to both")
            }
            WarningKind::DoubleNot { safe } => format!("the NOTs cancel out: write {safe}"),
            WarningKind::BareTimestamp { safe } => format!("quote it: {safe}"),
            WarningKind::OperatorInTerm { found, safe } => {
                format!("escape it (\\{found}) or quote the value: {safe}")
            }
            WarningKind::StackedPrefixes { safe } => format!("write one prefix: {safe}"),
            WarningKind::GluedOperator { operator } => {
                format!(
                    "put spaces around '{operator}' for the operator, or escape it to search it"
                )
            }
            WarningKind::LowercaseDateUnit => {
                "write the unit in upper case, as in NOW-3DAYS (hsq sends it so)".to_owned()
            }
            WarningKind::UnicodeSpace { .. } => {
                "write an ordinary space to separate terms, or quote the value".to_owned()
            }
            WarningKind::WildcardEscape { safe } => {
                format!("write it without the escape: {safe}")
            }
        })
    }
}

/// `U+00A0`: how a character that cannot be seen is named.
fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A warning at a place in the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {}){}", span.start, repeats_suffix(.repeats))]
pub struct Warning {
    /// What may be misread.
    pub kind: WarningKind,
    /// Where.
    pub span: Span,
    /// When this warning stands for a group of identical ones (see
    /// [`summary`](crate::diagnostic::summary)): how many places, and the last.
    pub repeats: Option<Repeats>,
}

fn repeats_suffix(repeats: &Option<Repeats>) -> String {
    repeats.map(|r| r.suffix()).unwrap_or_default()
}

diagnostic_kind!(ErrorKind, WarningKind);

impl From<&Error> for Diagnostic {
    fn from(error: &Error) -> Diagnostic {
        let mut diagnostic = Diagnostic::of(Severity::Error, &error.kind, error.span);
        diagnostic.message.push_str(&repeats_suffix(&error.repeats));
        diagnostic
    }
}

impl From<&Warning> for Diagnostic {
    fn from(warning: &Warning) -> Diagnostic {
        let mut diagnostic = Diagnostic::of(Severity::Warning, &warning.kind, warning.span);
        diagnostic
            .message
            .push_str(&repeats_suffix(&warning.repeats));
        diagnostic
    }
}
