//! The entry points: strict and lenient parsing.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::summary::{Omitted, condense_diagnostics};
use crate::schema::{Schema, TypedQuery};
use crate::syntax::ParseOptions;
use crate::syntax::ast::Query;
use crate::syntax::diagnostic::{Error, Warning};
use crate::syntax::parser::parse_recovering;

/// A query that parsed, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The tree.
    pub query: Query,
    /// Things Help Scout may read differently than the user thinks, in the
    /// order of their position; grouped and capped (`diagnostic::summary`).
    pub warnings: Vec<Warning>,
    /// How many warnings the cap left out of `warnings`.
    pub omitted: Omitted,
}

impl Parsed {
    /// The warnings, ready to render, closed by a `more-diagnostics` note
    /// when the cap left some out.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        diagnostics_of(&[], &self.warnings, self.omitted)
    }
}

/// Why a query did not parse: at least one error, the first being the primary
/// one, plus any warnings found on the way.
///
/// Dereferences to the errors, so `errors[0]` is the primary error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseErrors {
    /// The errors, in the order found; never empty. Repeats are grouped
    /// and the list capped (`diagnostic::summary`).
    pub errors: Vec<Error>,
    /// The warnings found as well, in the order of their position; grouped
    /// and capped too.
    pub warnings: Vec<Warning>,
    /// How many errors and warnings the caps left out of the lists.
    pub omitted: Omitted,
}

impl ParseErrors {
    /// Errors then warnings, ready to render, closed by a
    /// `more-diagnostics` note when the caps left some out.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        diagnostics_of(&self.errors, &self.warnings, self.omitted)
    }
}

/// Errors then warnings as diagnostics, with the note for what was left out.
fn diagnostics_of(errors: &[Error], warnings: &[Warning], omitted: Omitted) -> Vec<Diagnostic> {
    let diagnostics = errors
        .iter()
        .map(Diagnostic::from)
        .chain(warnings.iter().map(Diagnostic::from))
        .collect();
    condense_diagnostics(diagnostics, omitted)
}

impl Deref for ParseErrors {
    type Target = [Error];
    fn deref(&self) -> &[Error] {
        &self.errors
    }
}

impl fmt::Display for ParseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.as_slice() {
            [] => f.write_str("invalid query"),
            [only] if self.omitted.errors == 0 => write!(f, "{only}"),
            [first, rest @ ..] => {
                write!(f, "{first} (and {} more)", rest.len() + self.omitted.errors)
            }
        }
    }
}

impl std::error::Error for ParseErrors {}

/// What the lenient parser made of the input: the repaired query, and every
/// error it repaired and warning it found.
#[derive(Debug, Clone)]
pub struct Lenient {
    /// The repaired query. `None` when nothing searchable was left (an
    /// empty input, or one made only of operators and punctuation), and
    /// when no repair keeps the meaning: an input past `max_length` (the
    /// rest would be lost) or past `max_depth` beyond what cancelling
    /// `NOT NOT` pairs fixes. The errors then say why.
    pub query: Option<Query>,
    /// The errors that were repaired, in the order found; grouped and
    /// capped (`diagnostic::summary`).
    pub errors: Vec<Error>,
    /// The warnings, in the order of their position; grouped and capped.
    pub warnings: Vec<Warning>,
    /// How many errors and warnings the caps left out of the lists.
    pub omitted: Omitted,
}

impl Lenient {
    /// Errors then warnings, ready to render, closed by a
    /// `more-diagnostics` note when the caps left some out.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        diagnostics_of(&self.errors, &self.warnings, self.omitted)
    }
}

/// Parses a query with the default [`ParseOptions`] (implicit AND, depth 64,
/// 64 KiB).
///
/// ```
/// let parsed = helpscout_query::parse("(email:(\"a@x.com\" OR \"b@x.com\"))").unwrap();
/// assert!(parsed.warnings.is_empty());
///
/// let errors = helpscout_query::parse("firstName=\"John\"").unwrap_err();
/// assert_eq!(errors[0].kind.code(), "equals-for-colon");
/// assert_eq!(errors[0].span.start, 9);
/// ```
pub fn parse(input: &str) -> Result<Parsed, ParseErrors> {
    parse_with(input, &ParseOptions::DEFAULT)
}

/// Parses a query with the given options.
///
/// ```
/// use helpscout_query::{Operator, ParseOptions, parse_with};
/// let options = ParseOptions { default_operator: Operator::Or, ..ParseOptions::default() };
/// let parsed = parse_with("tag:a tag:b", &options).unwrap();
/// assert_eq!(parsed.query.to_string(), "(tag:a OR tag:b)");
/// ```
pub fn parse_with(input: &str, options: &ParseOptions) -> Result<Parsed, ParseErrors> {
    let outcome = parse_recovering(input, options);
    match (outcome.query, outcome.errors.is_empty()) {
        (Some(query), true) => Ok(Parsed {
            query,
            warnings: outcome.warnings,
            omitted: outcome.omitted,
        }),
        (_, _) => Err(ParseErrors {
            errors: outcome.errors,
            warnings: outcome.warnings,
            omitted: outcome.omitted,
        }),
    }
}

/// Parses a query, repairing what it must: an unclosed parenthesis or quote
/// is closed, a dangling operator or stray `)` dropped, `=` read as `:`, and
/// so on. Always terminates, in time linear in the input.
///
/// ```
/// let lenient = helpscout_query::parse_lenient("(firstName:\"John\" AND");
/// assert_eq!(lenient.query.unwrap().to_string(), "(firstName:\"John\")");
/// let codes: Vec<_> = lenient.errors.iter().map(|e| e.kind.code()).collect();
/// assert_eq!(codes, ["expected-clause", "unclosed-paren"]);
/// ```
pub fn parse_lenient(input: &str) -> Lenient {
    parse_lenient_with(input, &ParseOptions::default())
}

/// [`parse_lenient`] with the given options.
pub fn parse_lenient_with(input: &str, options: &ParseOptions) -> Lenient {
    let outcome = parse_recovering(input, options);
    Lenient {
        query: outcome.query,
        errors: outcome.errors,
        warnings: outcome.warnings,
        omitted: outcome.omitted,
    }
}

/// `query` without its values that have no words (`lastName:"."`), which
/// Help Scout ignores: what `hsq fmt --fix` prints, rendered. Returns the
/// query left (`None` when nothing is) and a `no-words` warning for each
/// value dropped, in query order.
///
/// ```
/// let query: helpscout_query::Query = "firstName:John AND NOT lastName:\".\"".parse().unwrap();
/// let (fixed, dropped) = helpscout_query::without_wordless(&query);
/// assert_eq!(fixed.unwrap().to_string(), "(firstName:John)");
/// assert_eq!(dropped[0].code, "no-words");
/// ```
pub fn without_wordless(query: &Query) -> (Option<Query>, Vec<Diagnostic>) {
    use crate::schema::{SchemaWarningKind, has_words};
    use crate::syntax::ast::ValueKind;
    let wordless = |value: &crate::syntax::ast::Value| matches!(&value.kind, ValueKind::Term(text) | ValueKind::Phrase(text) if !has_words(text));
    let mut dropped = Vec::new();
    query.walk(|expr| {
        let value = match &expr.kind {
            crate::syntax::ast::ExprKind::Value(value) => value,
            crate::syntax::ast::ExprKind::Clause(crate::syntax::ast::Clause {
                value: crate::syntax::ast::ClauseValue::Single { value },
                ..
            }) => value,
            _ => return,
        };
        if wordless(value) {
            let kind = SchemaWarningKind::NoWords {
                value: value.to_string(),
            };
            dropped.push(Diagnostic::of(crate::Severity::Warning, &kind, value.span));
        }
    });
    if dropped.is_empty() {
        return (Some(query.clone()), dropped);
    }
    (
        crate::syntax::safe::without_values(query, &wordless),
        dropped,
    )
}

/// The text hsq sends for `query` (the `query=` of [`ListCustomers::to_url`],
/// `hsq url`, a HAL page's links): its canonical form, which is
/// Lucene-safe, without the values that have no words. Help Scout's engine
/// drops those itself, but dropping them first keeps the Lucene-safe shape:
/// `a OR NOT lastName:"."` is sent as `(a)`, not as `(a OR (*:* AND NOT
/// lastName:"."))`, which Lucene would read as `a OR *:*`. A query made only
/// of such values finds nothing, in hsq as in Lucene (whose parser returns an
/// empty query); it is sent as `(NOT *:*)`, which finds nothing in both.
///
/// [`ListCustomers::to_url`]: crate::customers::ListCustomers::to_url
///
/// ```
/// let query: helpscout_query::Query = "a OR NOT lastName:\".\"".parse().unwrap();
/// assert_eq!(helpscout_query::sent_form(&query), "(a)");
/// let query: helpscout_query::Query = "email:(NOT \"@\")".parse().unwrap();
/// assert_eq!(helpscout_query::sent_form(&query), "(NOT *:*)");
/// ```
pub fn sent_form(query: &Query) -> String {
    match without_wordless(query).0 {
        Some(kept) => kept.to_string(),
        None => "(NOT *:*)".to_owned(),
    }
}

impl FromStr for Query {
    type Err = ParseErrors;

    /// Parses with the default options; warnings are dropped.
    fn from_str(s: &str) -> Result<Query, ParseErrors> {
        parse(s).map(|parsed| parsed.query)
    }
}

/// The whole check of a user's query for one endpoint: syntax, then schema.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The typed query, when the query is valid.
    pub query: Option<TypedQuery>,
    /// The syntax tree, when the query parsed (even if the schema then
    /// rejected it).
    pub tree: Option<Query>,
    /// Errors then warnings of both stages, ready to render; grouped and
    /// capped (`diagnostic::summary`), closed by a `more-diagnostics` note when
    /// the caps left some out. The query is valid when none is an error.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validation {
    /// Whether there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.query.is_some()
    }

    /// Whether there is any warning.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::Severity::Warning)
    }
}

/// Parses `input` and resolves it against `schema`, collecting every
/// diagnostic of both stages (SPEC §2, §4).
///
/// ```
/// use helpscout_query::{ParseOptions, schema, validate};
/// let check = validate("firstname:John", schema::customers(), &ParseOptions::default());
/// assert!(!check.is_valid());
/// assert_eq!(check.diagnostics[0].code, "unknown-field");
/// assert_eq!(check.diagnostics[0].hint.as_deref(), Some("did you mean `firstName`?"));
/// ```
pub fn validate(input: &str, schema: &'static Schema, options: &ParseOptions) -> Validation {
    let parsed = match parse_with(input, options) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return Validation {
                query: None,
                tree: None,
                diagnostics: errors.diagnostics(),
            };
        }
    };
    let syntax_warnings = parsed.warnings.iter().map(Diagnostic::from);
    let omitted = parsed.omitted;
    match schema.resolve(&parsed.query) {
        Ok(resolved) => Validation {
            query: Some(resolved.query),
            diagnostics: condense_diagnostics(
                syntax_warnings
                    .chain(resolved.warnings.iter().map(Diagnostic::from))
                    .collect(),
                omitted,
            ),
            tree: Some(parsed.query),
        },
        Err(errors) => Validation {
            query: None,
            diagnostics: condense_diagnostics(
                errors
                    .errors
                    .iter()
                    .map(Diagnostic::from)
                    .chain(syntax_warnings)
                    .chain(errors.warnings.iter().map(Diagnostic::from))
                    .collect(),
                omitted,
            ),
            tree: Some(parsed.query),
        },
    }
}
