//! Errors and warnings of the syntax stage, and the one shape every stage's
//! diagnostics are rendered through.
//!
//! Each kind is a type with a stable `code` (kebab-case, listed in
//! `grammar.md`), a message naming what was expected, and a hint where one
//! helps. [`Diagnostic`] is the stage-independent form that the renderers
//! ([`Diagnostic::render`], [`Diagnostic::to_json`]) work on; later stages
//! (the schema, the request) convert their own kinds into it.

use std::fmt;

use serde::Serialize;

use super::ast::Span;
use super::render::SourceIndex;
use super::summary::Repeats;

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
    /// Lucene syntax that Help Scout does not support (`^` boosts, `~` fuzzy
    /// and proximity, `/regex/`).
    #[error("{what} is not supported by Help Scout")]
    Unsupported {
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
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::EmptyQuery => "empty-query",
            ErrorKind::TooLong { .. } => "too-long",
            ErrorKind::TooDeep { .. } => "too-deep",
            ErrorKind::UnclosedParen => "unclosed-paren",
            ErrorKind::UnexpectedParen => "unexpected-paren",
            ErrorKind::UnterminatedQuote => "unterminated-quote",
            ErrorKind::EmptyPhrase => "empty-phrase",
            ErrorKind::ExpectedValue { .. } => "expected-value",
            ErrorKind::ExpectedClause { .. } => "expected-clause",
            ErrorKind::MisplacedOperator { .. } => "misplaced-operator",
            ErrorKind::EqualsForColon { .. } => "equals-for-colon",
            ErrorKind::Unexpected { .. } => "unexpected-char",
            ErrorKind::RangeNeedsField => "range-needs-field",
            ErrorKind::ExpectedRangeBound { .. } => "expected-range-bound",
            ErrorKind::ExpectedTo { .. } => "expected-to",
            ErrorKind::UnclosedRange => "unclosed-range",
            ErrorKind::WildcardBound => "wildcard-bound",
            ErrorKind::WildcardTooComplex { .. } => "wildcard-too-complex",
            ErrorKind::InvalidDate { .. } => "invalid-date",
            ErrorKind::FieldInGroup => "field-in-group",
            ErrorKind::InvalidFieldName { .. } => "invalid-field-name",
            ErrorKind::DanglingEscape => "dangling-escape",
            ErrorKind::Unsupported { .. } => "unsupported",
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
            ErrorKind::Unsupported { .. } => {
                "remove it, or quote the value to search for it literally"
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
    /// [`summary`](super::summary)): how many places, and the last.
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
}

impl WarningKind {
    /// The stable code of this kind, as listed in `grammar.md`.
    pub fn code(&self) -> &'static str {
        match self {
            WarningKind::ImplicitOperator { .. } => "implicit-operator",
            WarningKind::MixedAndOr { .. } => "mixed-and-or",
            WarningKind::LowercaseOperator { .. } => "lowercase-operator",
            WarningKind::WildcardInPhrase { .. } => "wildcard-in-phrase",
            WarningKind::MinusPrefix => "minus-prefix",
            WarningKind::PlusWithOr => "plus-with-or",
            WarningKind::FractionalSeconds => "fractional-seconds",
            WarningKind::DateOffset { .. } => "date-offset",
            WarningKind::SingleQuotes => "single-quotes",
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
                word.to_uppercase()
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
        })
    }
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
    /// [`summary`](super::summary)): how many places, and the last.
    pub repeats: Option<Repeats>,
}

fn repeats_suffix(repeats: &Option<Repeats>) -> String {
    repeats.map(|r| r.suffix()).unwrap_or_default()
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The query is rejected.
    Error,
    /// The query is accepted, but may not mean what the user thinks.
    Warning,
}

/// The stage-independent form of an error or a warning, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code of the kind.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// Where, in bytes.
    pub span: Span,
    /// What to do about it.
    pub hint: Option<String>,
}

/// What every kind of error or warning, of any stage, tells a [`Diagnostic`]:
/// its message (`Display`), its stable code, its hint.
pub trait DiagnosticKind: fmt::Display {
    /// The stable code, as listed in `grammar.md`.
    fn code(&self) -> &'static str;
    /// What to do about it.
    fn hint(&self) -> Option<String>;
}

impl Diagnostic {
    /// The diagnostic of `kind` at `span`.
    pub fn of(severity: Severity, kind: &impl DiagnosticKind, span: Span) -> Diagnostic {
        Diagnostic {
            severity,
            code: kind.code(),
            message: kind.to_string(),
            span,
            hint: kind.hint(),
        }
    }
}

/// Implements `DiagnosticKind` for a kind with inherent `code` and `hint`.
macro_rules! diagnostic_kind {
    ($($kind:ty),*) => {$(
        impl $crate::syntax::diagnostic::DiagnosticKind for $kind {
            fn code(&self) -> &'static str {
                <$kind>::code(self)
            }
            fn hint(&self) -> Option<String> {
                <$kind>::hint(self)
            }
        }
    )*};
}
pub(crate) use diagnostic_kind;

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

/// The JSON form of a diagnostic, as `hsq --format json` prints it (SPEC §7).
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// The stable code.
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// Byte offsets.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column of `span.start`, in characters.
    pub column: usize,
    /// What to do about it, or `null`.
    pub hint: Option<&'a str>,
}

impl Diagnostic {
    /// The JSON form, with the line and column computed against `source`.
    /// For many diagnostics of one source, [`diagnostics_to_json`] indexes
    /// the source once.
    pub fn to_json<'a>(&'a self, source: &str) -> JsonDiagnostic<'a> {
        self.to_json_indexed(&SourceIndex::new(source))
    }

    fn to_json_indexed<'a>(&'a self, index: &SourceIndex<'_>) -> JsonDiagnostic<'a> {
        let (line, column) = index.line_column(self.span.start);
        JsonDiagnostic {
            severity: self.severity,
            code: self.code,
            message: &self.message,
            span: self.span,
            line,
            column,
            hint: self.hint.as_deref(),
        }
    }

    /// Renders rustc-style: the message, the line of `source` with carets
    /// under the span, and the hint. A long line is shown as a window of
    /// 100 characters around the span. For many diagnostics of one source,
    /// [`render_all`] indexes the source once, so that each costs the window,
    /// not the input.
    ///
    /// ```
    /// let errors = helpscout_query::parse("(firstName:\"John\"").unwrap_err();
    /// let text = helpscout_query::Diagnostic::from(&errors[0]).render("(firstName:\"John\"");
    /// assert_eq!(text, "\
    /// error[unclosed-paren]: unclosed parenthesis: this '(' is never closed
    ///  --> 1:1
    ///   |
    /// 1 | (firstName:\"John\"
    ///   | ^
    ///   = hint: add a ')' to close it
    /// ");
    /// ```
    pub fn render(&self, source: &str) -> String {
        SourceIndex::new(source).render(self)
    }
}

/// Renders diagnostics of one source, one after the other, as
/// [`Diagnostic::render`] does each, in time linear in the source plus the
/// windows shown (the source is indexed once).
pub fn render_all(diagnostics: &[Diagnostic], source: &str) -> String {
    let index = SourceIndex::new(source);
    diagnostics.iter().map(|d| index.render(d)).collect()
}

/// Renders a list of diagnostics as one JSON array (SPEC §7).
pub fn diagnostics_to_json(diagnostics: &[Diagnostic], source: &str) -> String {
    let index = SourceIndex::new(source);
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| d.to_json_indexed(&index))
        .collect();
    // Plain structs of strings and numbers always serialise.
    serde_json::to_string(&items).unwrap_or_default()
}
