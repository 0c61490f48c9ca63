//! One home for diagnostics: every stage's errors and warnings (syntax,
//! schema, request, evaluation, data) become a [`Diagnostic`] through the one
//! [`DiagnosticKind`] trait, carry a [`Code`] from the one list of every
//! code, and are rendered one way: rustc-style ([`Diagnostic::render`]) or as
//! JSON ([`Diagnostic::to_json`], [`diagnostics_to_json`]); a [`Report`]
//! renders a bounded list of them.
//!
//! This module knows no stage: the stages import it, never the reverse.

use std::fmt;

use serde::Serialize;

use crate::syntax::ast::Span;

mod render;
pub mod summary;

use render::SourceIndex;
pub use render::escape_controls;

/// Declares [`Code`]: each variant with its text and stage, listed once.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal, $stage:ident;)*) => {
        /// The stable code of a diagnostic: every code the crate has, in one
        /// list ([`Code::ALL`]), each documented in `grammar.md`'s table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in diagnostics (kebab-case).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The stage that raises it.
            pub fn stage(self) -> Stage {
                match self {
                    $(Code::$variant => Stage::$stage,)*
                }
            }
        }
    };
}

/// Which stage of the pipeline raises a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Parsing the query text.
    Syntax,
    /// Resolving fields and types against a schema.
    Schema,
    /// Reading a request's URL parameters.
    Request,
    /// Evaluating a request over records.
    Evaluation,
    /// Reading customer data.
    Data,
    /// The command line itself.
    Cli,
}

impl Stage {
    /// The stage's name, as in `grammar.md`'s table.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Syntax => "syntax",
            Stage::Schema => "schema",
            Stage::Request => "request",
            Stage::Evaluation => "evaluation",
            Stage::Data => "data",
            Stage::Cli => "cli",
        }
    }
}

codes! {
    /// Nothing but whitespace.
    EmptyQuery = "empty-query", Syntax;
    /// Longer than the length limit.
    TooLong = "too-long", Syntax;
    /// Nested deeper than the depth limit.
    TooDeep = "too-deep", Syntax;
    /// A `(` never closed.
    UnclosedParen = "unclosed-paren", Syntax;
    /// A `)` with no `(`.
    UnexpectedParen = "unexpected-paren", Syntax;
    /// A `"` never closed.
    UnterminatedQuote = "unterminated-quote", Syntax;
    /// `""`.
    EmptyPhrase = "empty-phrase", Syntax;
    /// `field:` and no value.
    ExpectedValue = "expected-value", Syntax;
    /// An operator and no clause after it.
    ExpectedClause = "expected-clause", Syntax;
    /// An operator and no clause before it.
    MisplacedOperator = "misplaced-operator", Syntax;
    /// `field=value`.
    EqualsForColon = "equals-for-colon", Syntax;
    /// A character with no meaning where it stands.
    UnexpectedChar = "unexpected-char", Syntax;
    /// A range with no field.
    RangeNeedsField = "range-needs-field", Syntax;
    /// A range with a missing bound.
    ExpectedRangeBound = "expected-range-bound", Syntax;
    /// A range without `TO`.
    ExpectedTo = "expected-to", Syntax;
    /// A range never closed.
    UnclosedRange = "unclosed-range", Syntax;
    /// A wildcard as a range bound.
    WildcardBound = "wildcard-bound", Syntax;
    /// A wildcard part too long to match in linear time.
    WildcardTooComplex = "wildcard-too-complex", Syntax;
    /// A date that does not exist (syntax or schema).
    InvalidDate = "invalid-date", Syntax;
    /// A field inside a field group.
    FieldInGroup = "field-in-group", Syntax;
    /// Text before `:` that cannot be a field name.
    InvalidFieldName = "invalid-field-name", Syntax;
    /// A `\` at the end.
    DanglingEscape = "dangling-escape", Syntax;
    /// `\u` without four hex digits.
    InvalidUnicodeEscape = "invalid-unicode-escape", Syntax;
    /// Lucene syntax Help Scout does not support.
    Unsupported = "unsupported", Syntax;
    /// `^` without a number, or without a clause before it.
    InvalidBoost = "invalid-boost", Syntax;
    /// A regular expression Lucene rejects.
    InvalidRegex = "invalid-regex", Syntax;
    /// A regular expression hsq cannot evaluate (complement, intersection, too large).
    UnsupportedRegex = "unsupported-regex", Syntax;
    /// No operator between two clauses.
    ImplicitOperator = "implicit-operator", Syntax;
    /// AND and OR mixed without parentheses.
    MixedAndOr = "mixed-and-or", Syntax;
    /// `and`/`or`/`not` in lower case.
    LowercaseOperator = "lowercase-operator", Syntax;
    /// A wildcard inside quotes.
    WildcardInPhrase = "wildcard-in-phrase", Syntax;
    /// The `-` prefix.
    MinusPrefix = "minus-prefix", Syntax;
    /// `+` with the implicit OR.
    PlusWithOr = "plus-with-or", Syntax;
    /// Fractional seconds in a date.
    FractionalSeconds = "fractional-seconds", Syntax;
    /// An offset other than `Z` in a date.
    DateOffset = "date-offset", Syntax;
    /// Single quotes used as quotes.
    SingleQuotes = "single-quotes", Syntax;
    /// A NOT inside an OR (Lucene reads `a OR NOT b` as `a AND NOT b`).
    NotInOr = "not-in-or", Syntax;
    /// A group made only of negations below the top (matches nothing in Solr).
    NegativeGroup = "negative-group", Syntax;
    /// `NOT NOT x` (a Lucene syntax error).
    DoubleNot = "double-not", Syntax;
    /// A full timestamp outside a range, unquoted (a Lucene syntax error).
    BareTimestamp = "bare-timestamp", Syntax;
    /// An escaped character inside a wildcard (Lucene keeps it as written).
    WildcardEscape = "wildcard-escape", Syntax;
    /// A Unicode space that Lucene does not split terms at.
    UnicodeSpace = "unicode-space", Syntax;
    /// `!` or `/` inside a term (Lucene ends the term there).
    OperatorInTerm = "operator-in-term", Syntax;
    /// More than one prefix on a clause (a Lucene syntax error).
    StackedPrefixes = "stacked-prefixes", Syntax;
    /// `&&` or `||` glued to the term after it (part of the term to Lucene).
    GluedOperator = "glued-operator", Syntax;
    /// A date-math unit in lower case (an error to Solr).
    LowercaseDateUnit = "lowercase-date-unit", Syntax;
    /// A field the schema does not have.
    UnknownField = "unknown-field", Schema;
    /// A value of the wrong type.
    WrongType = "wrong-type", Schema;
    /// A range on a field without order.
    RangeNotAllowed = "range-not-allowed", Schema;
    /// A field Help Scout does not document.
    UndocumentedField = "undocumented-field", Schema;
    /// More diagnostics than a list keeps: how many were left out.
    MoreDiagnostics = "more-diagnostics", Syntax;
    /// A value with no words, which Lucene drops.
    NoWords = "no-words", Schema;
    /// A parameter List Customers does not take.
    UnknownParameter = "unknown-parameter", Request;
    /// A parameter given twice.
    DuplicateParameter = "duplicate-parameter", Request;
    /// A parameter with no value.
    EmptyParameter = "empty-parameter", Request;
    /// A bad `page`.
    InvalidPage = "invalid-page", Request;
    /// A bad `mailbox`.
    InvalidMailbox = "invalid-mailbox", Request;
    /// A bad `sortField`.
    InvalidSortField = "invalid-sort-field", Request;
    /// A bad `sortOrder`.
    InvalidSortOrder = "invalid-sort-order", Request;
    /// A bad `modifiedSince`.
    InvalidModifiedSince = "invalid-modified-since", Request;
    /// Bad `%` escapes or bytes that are not UTF-8.
    BadEncoding = "bad-encoding", Request;
    /// A space that was a `+` in the URL.
    PlusAsSpace = "plus-as-space", Request;
    /// `mailbox` over data with no `mailboxIds`.
    NoMailboxData = "no-mailbox-data", Request;
    /// A query that cannot be evaluated over customer records.
    NotEvaluable = "not-evaluable", Evaluation;
    /// Malformed customer data.
    InvalidData = "invalid-data", Data;
    /// Data, input or output that could not be read or written.
    Io = "io", Data;
    /// A command line `hsq` does not understand.
    Usage = "usage", Cli;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
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
    pub code: Code,
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
    fn code(&self) -> Code;
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
        impl $crate::diagnostic::DiagnosticKind for $kind {
            fn code(&self) -> $crate::diagnostic::Code {
                <$kind>::code(self)
            }
            fn hint(&self) -> Option<String> {
                <$kind>::hint(self)
            }
        }
    )*};
}
pub(crate) use diagnostic_kind;

/// The JSON form of a diagnostic, as `hsq --format json` prints it (SPEC §7).
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
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

/// The most characters of the input a diagnostic quotes.
pub(crate) const QUOTE_MAX: usize = 64;

/// `text` as a diagnostic quotes it: whole when short, otherwise its first
/// [`QUOTE_MAX`] characters and `…`. So a diagnostic never holds a copy of
/// a long query, however long the word it is about.
pub(crate) fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// A bounded list of diagnostics, each about its own text (a query, or a
/// request parameter's decoded value), rendered one way for every command.
///
/// At most [`Report::MAX`] are kept; the rest are counted, and the rendering
/// says how many were left out.
///
/// ```
/// use helpscout_query::diagnostic::Report;
/// let query = "a AND";
/// let errors = helpscout_query::parse(query).unwrap_err();
/// let mut report = Report::new();
/// report.extend(errors.diagnostics(), query, None);
/// assert!(report.render().starts_with("error[expected-clause]"));
/// assert!(report.to_json().starts_with(r#"[{"severity":"error","code":"expected-clause""#));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Report<'a> {
    entries: Vec<Entry<'a>>,
    /// How many of the entries are `more-diagnostics` notes.
    notes: usize,
    omitted: usize,
}

#[derive(Debug, Clone)]
struct Entry<'a> {
    diagnostic: Diagnostic,
    source: &'a str,
    parameter: Option<&'a str>,
}

impl<'a> Report<'a> {
    /// The most diagnostics a report keeps (a `more-diagnostics` note, which
    /// says what a list left out, is always kept beside them).
    pub const MAX: usize = 100;

    /// An empty report.
    pub fn new() -> Report<'a> {
        Report::default()
    }

    /// Adds `diagnostics` about `source` (a query, or the decoded value of
    /// `parameter`), keeping the first [`Report::MAX`] in all.
    pub fn extend(
        &mut self,
        diagnostics: impl IntoIterator<Item = Diagnostic>,
        source: &'a str,
        parameter: Option<&'a str>,
    ) {
        for diagnostic in diagnostics {
            let note = diagnostic.code == Code::MoreDiagnostics;
            if note || self.entries.len() < Report::MAX + self.notes {
                self.notes += usize::from(note);
                self.entries.push(Entry {
                    diagnostic,
                    source,
                    parameter,
                });
            } else {
                self.omitted += 1;
            }
        }
    }

    /// Whether it holds an error.
    pub fn has_errors(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.diagnostic.severity == Severity::Error)
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.omitted == 0
    }

    /// rustc-style, one diagnostic after the other (a parameter's named
    /// first), then how many were left out.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Each source is indexed once for the diagnostics about it.
        let mut index: Option<SourceIndex<'_>> = None;
        for entry in &self.entries {
            let d = &entry.diagnostic;
            if index
                .as_ref()
                .is_none_or(|i| !std::ptr::eq(i.source(), entry.source))
            {
                index = Some(SourceIndex::new(entry.source));
            }
            let Some(index) = &index else { continue };
            match entry.parameter {
                Some(_) if entry.source.is_empty() => {
                    let message = escape_controls(&d.message);
                    out.push_str(&format!("{}[{}]: {message}\n", d.severity.as_str(), d.code));
                }
                Some(parameter) => {
                    let parameter = escape_controls(parameter);
                    out.push_str(&format!("in parameter '{parameter}':\n{}", index.render(d)));
                }
                None => out.push_str(&index.render(d)),
            }
        }
        if self.omitted > 0 {
            out.push_str(&format!(
                "... and {} more diagnostics not shown\n",
                self.omitted
            ));
        }
        out
    }

    /// One JSON array (SPEC §7); a parameter's diagnostics name it in
    /// `parameter`, and a last element `{"omitted": N}` counts those left out.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            #[serde(flatten)]
            diagnostic: JsonDiagnostic<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            parameter: Option<&'a str>,
        }
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Element<'a> {
            Item(Item<'a>),
            Omitted { omitted: usize },
        }
        let mut index: Option<SourceIndex<'_>> = None;
        let mut items: Vec<Element<'_>> = Vec::with_capacity(self.entries.len() + 1);
        for e in &self.entries {
            if index
                .as_ref()
                .is_none_or(|i| !std::ptr::eq(i.source(), e.source))
            {
                index = Some(SourceIndex::new(e.source));
            }
            if let Some(index) = &index {
                items.push(Element::Item(Item {
                    diagnostic: e.diagnostic.to_json_indexed(index),
                    parameter: e.parameter,
                }));
            }
        }
        if self.omitted > 0 {
            items.push(Element::Omitted {
                omitted: self.omitted,
            });
        }
        // Plain structs of strings and numbers always serialise.
        serde_json::to_string(&items).unwrap_or_default()
    }
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}
