//! The List Customers request: parameters, validation, canonical URL.
//!
//! A request comes from a URL query string ([`ListCustomers::from_query_string`])
//! or from code (the setters). Either way it holds only valid values: the
//! page is at least 1, `modifiedSince` is an instant, the query parsed and
//! fits the customers schema. Parameters remember whether they were given, so
//! the canonical URL writes exactly the given ones, each once, in the order of
//! SPEC §6.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, DiagnosticKind, Severity, diagnostic_kind};
use crate::schema::{self, TypedQuery};
use crate::syntax::ParseOptions;
use crate::syntax::ast::{DateAnchor, Query, Span};
use crate::syntax::date::date_from_text;
use crate::syntax::print::format_timestamp;

use super::form::{self, Pair};

/// The default base of the canonical URL.
pub const DEFAULT_BASE: &str = "https://api.helpscout.net";

/// Checks a URL base for [`ListCustomers::to_url`]: `http://` or `https://`
/// and a host, with no whitespace, control characters, `?` or `#` (which
/// would change what the URL means).
///
/// ```
/// use helpscout_query::customers::check_base;
/// assert!(check_base("http://localhost:8080/").is_ok());
/// assert!(check_base("javascript:alert(1)").is_err());
/// assert!(check_base("https://x\r\nSet-Cookie: a").is_err());
/// ```
pub fn check_base(base: &str) -> Result<(), String> {
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .ok_or_else(|| format!("{base:?} does not start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("{base:?} has no host"));
    }
    match base
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#'))
    {
        Some(c) => Err(format!("{base:?} holds {c:?}, which a URL base may not")),
        None => Ok(()),
    }
}

/// The endpoint's path, appended to the base.
pub const PATH: &str = "/v2/customers";

/// A parameter of List Customers. The declaration order is the canonical
/// order of the URL (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Parameter {
    /// `page`.
    Page,
    /// `mailbox`.
    Mailbox,
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
    /// `modifiedSince`.
    ModifiedSince,
    /// `sortField`.
    SortField,
    /// `sortOrder`.
    SortOrder,
    /// `query`.
    Query,
}

impl Parameter {
    /// Every parameter, in canonical order.
    pub const ALL: [Parameter; 8] = [
        Parameter::Page,
        Parameter::Mailbox,
        Parameter::FirstName,
        Parameter::LastName,
        Parameter::ModifiedSince,
        Parameter::SortField,
        Parameter::SortOrder,
        Parameter::Query,
    ];

    /// The parameter's name in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Parameter::Page => "page",
            Parameter::Mailbox => "mailbox",
            Parameter::FirstName => "firstName",
            Parameter::LastName => "lastName",
            Parameter::ModifiedSince => "modifiedSince",
            Parameter::SortField => "sortField",
            Parameter::SortOrder => "sortOrder",
            Parameter::Query => "query",
        }
    }

    /// The parameter called `name` (case-sensitive, as Help Scout reads it).
    pub fn from_name(name: &str) -> Option<Parameter> {
        Parameter::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to sort by (`sortField`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortField {
    /// `createdAt` (the default).
    #[default]
    CreatedAt,
    /// `score`: how many of the query's clauses a record satisfies.
    Score,
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
    /// `modifiedAt` (the record's `updatedAt`).
    ModifiedAt,
}

impl SortField {
    /// Every value, in the order the documentation lists them.
    pub const ALL: [SortField; 5] = [
        SortField::CreatedAt,
        SortField::Score,
        SortField::FirstName,
        SortField::LastName,
        SortField::ModifiedAt,
    ];

    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortField::CreatedAt => "createdAt",
            SortField::Score => "score",
            SortField::FirstName => "firstName",
            SortField::LastName => "lastName",
            SortField::ModifiedAt => "modifiedAt",
        }
    }
}

/// Which way to sort (`sortOrder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    /// `desc` (the default).
    #[default]
    Desc,
    /// `asc`.
    Asc,
}

impl SortOrder {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Desc => "desc",
            SortOrder::Asc => "asc",
        }
    }
}

/// A valid List Customers request. Unset parameters take Help Scout's
/// defaults when read ([`page`](ListCustomers::page), [`sort_field`](ListCustomers::sort_field), …)
/// and are left out of the canonical URL.
///
/// ```
/// use helpscout_query::build::customer;
/// use helpscout_query::customers::{ListCustomers, SortField, SortOrder};
///
/// let query = customer::first_name().is("John").build().unwrap();
/// let request = ListCustomers::new()
///     .with_query(query)?
///     .with_sort(SortField::FirstName, SortOrder::Asc)
///     .with_page(2.try_into().unwrap());
/// assert_eq!(
///     request.to_url(None),
///     "https://api.helpscout.net/v2/customers?page=2&sortField=firstName&sortOrder=asc&query=%28firstName%3A%22John%22%29"
/// );
/// # Ok::<(), helpscout_query::schema::SchemaErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListCustomers {
    page: Option<NonZeroU32>,
    mailbox: Option<u64>,
    first_name: Option<String>,
    last_name: Option<String>,
    modified_since: Option<jiff::Timestamp>,
    sort_field: Option<SortField>,
    sort_order: Option<SortOrder>,
    query: Option<(Query, TypedQuery)>,
}

/// A request that was parsed, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct ParsedRequest {
    /// The request.
    pub request: ListCustomers,
    /// Warnings, each naming its parameter.
    pub warnings: Vec<RequestWarning>,
}

/// A warning about one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestWarning {
    /// The parameter.
    pub parameter: Parameter,
    /// The warning; its span is relative to [`value`](RequestWarning::value).
    pub diagnostic: Diagnostic,
    /// The parameter's decoded value, shared by every diagnostic about it.
    pub value: Arc<str>,
}

/// What is wrong with one parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// A parameter List Customers does not take.
    #[error("unknown parameter{}", suggestion.map(|s| format!("; did you mean '{s}'?")).unwrap_or_default())]
    UnknownParameter {
        /// The closest known parameter.
        suggestion: Option<&'static str>,
    },
    /// Given more than once.
    #[error("given more than once")]
    Duplicate,
    /// Given with nothing after `=`.
    #[error("may not be empty")]
    Empty,
    /// `page` is not a whole number of at least 1.
    #[error("must be a whole number from 1 to 4294967295")]
    InvalidPage,
    /// `mailbox` is not a mailbox id.
    #[error("must be a mailbox id (a whole number from 0 to 18446744073709551615)")]
    InvalidMailbox,
    /// `sortField` is not one of the five.
    #[error("expected one of these: 'createdAt', 'score', 'firstName', 'lastName', 'modifiedAt'")]
    InvalidSortField,
    /// `sortOrder` is not `asc` or `desc`.
    #[error("expected one of these: 'asc', 'desc'")]
    InvalidSortOrder,
    /// `modifiedSince` is not `yyyy-MM-ddTHH:mm:ssZ`.
    #[error("must be a date in the format yyyy-MM-dd'T'HH:mm:ss'Z'{}", normalised.as_ref().map(|n| format!(", such as {n}")).unwrap_or_default())]
    InvalidModifiedSince {
        /// The value in the strict format, when it was a date in another one.
        normalised: Option<String>,
    },
    /// The query has errors.
    #[error("{}", diagnostic.message)]
    InvalidQuery {
        /// One of the query's errors (span relative to the decoded query).
        diagnostic: Diagnostic,
    },
    /// Bad `%` escapes or non-UTF-8 bytes.
    #[error("{0}")]
    BadEncoding(form::FormError),
    /// `mailbox` over local data where no record has `mailboxIds`.
    #[error(
        "no record has 'mailboxIds', so customers cannot be filtered by mailbox; add \"mailboxIds\": [..] to the records"
    )]
    NoMailboxData,
}

impl RequestErrorKind {
    /// The stable code, as listed in `grammar.md`.
    pub fn code(&self) -> Code {
        match self {
            RequestErrorKind::UnknownParameter { .. } => Code::UnknownParameter,
            RequestErrorKind::Duplicate => Code::DuplicateParameter,
            RequestErrorKind::Empty => Code::EmptyParameter,
            RequestErrorKind::InvalidPage => Code::InvalidPage,
            RequestErrorKind::InvalidMailbox => Code::InvalidMailbox,
            RequestErrorKind::InvalidSortField => Code::InvalidSortField,
            RequestErrorKind::InvalidSortOrder => Code::InvalidSortOrder,
            RequestErrorKind::InvalidModifiedSince { .. } => Code::InvalidModifiedSince,
            RequestErrorKind::InvalidQuery { diagnostic } => diagnostic.code,
            RequestErrorKind::BadEncoding(_) => Code::BadEncoding,
            RequestErrorKind::NoMailboxData => Code::NoMailboxData,
        }
    }

    /// What to do about it, where there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            RequestErrorKind::UnknownParameter {
                suggestion: Some(name),
            } => Some(format!("did you mean '{name}'?")),
            RequestErrorKind::UnknownParameter { suggestion: None } => {
                let names: Vec<&str> = Parameter::ALL.iter().map(|p| p.as_str()).collect();
                Some(format!("List Customers takes {}", names.join(", ")))
            }
            RequestErrorKind::InvalidModifiedSince {
                normalised: Some(value),
            } => Some(format!("write {value}")),
            RequestErrorKind::Duplicate => Some("give each parameter once".to_owned()),
            RequestErrorKind::InvalidQuery { diagnostic } => diagnostic.hint.clone(),
            RequestErrorKind::BadEncoding(_) => {
                Some("write '%' as %25, and every other byte as %XX".to_owned())
            }
            _ => None,
        }
    }
}

diagnostic_kind!(RequestErrorKind);

/// An invalid parameter: which, why, and the value rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {kind}")]
pub struct RequestError {
    /// The parameter's name as given.
    pub parameter: String,
    /// What is wrong.
    pub kind: RequestErrorKind,
    /// The decoded value, when there was one (shared by every error about
    /// the same value, so many errors cost no copies).
    pub rejected_value: Option<Arc<str>>,
}

impl RequestError {
    /// The error as a diagnostic. Its span is relative to the parameter's
    /// decoded value ([`RequestError::value`]): the query's own span for a
    /// query error, the whole value otherwise.
    pub fn diagnostic(&self) -> Diagnostic {
        match &self.kind {
            RequestErrorKind::InvalidQuery { diagnostic } => diagnostic.clone(),
            kind => {
                let span = Span::new(0, self.value().len());
                let mut diagnostic = Diagnostic::of(Severity::Error, kind, span);
                diagnostic.message = format!("'{}': {}", self.parameter, diagnostic.message);
                diagnostic
            }
        }
    }

    /// The decoded value the diagnostic's span points into (empty if none).
    pub fn value(&self) -> &str {
        self.rejected_value.as_deref().unwrap_or_default()
    }
}

/// Why a request is invalid: every bad parameter, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct RequestErrors {
    /// The errors; never empty.
    pub errors: Vec<RequestError>,
    /// The warnings found as well (a query can have both).
    pub warnings: Vec<RequestWarning>,
}

impl From<RequestError> for RequestErrors {
    fn from(error: RequestError) -> RequestErrors {
        RequestErrors {
            errors: vec![error],
            warnings: Vec::new(),
        }
    }
}

impl ListCustomers {
    /// A request with every parameter unset: page 1 of all customers, newest first.
    pub fn new() -> ListCustomers {
        ListCustomers::default()
    }

    /// Parses and validates a URL query string, as sent (`+` is a space,
    /// `%XX` a byte; a leading `?` is ignored). Every invalid parameter is
    /// reported, not just the first.
    ///
    /// ```
    /// use helpscout_query::customers::ListCustomers;
    /// let parsed = ListCustomers::from_query_string(
    ///     "query=(firstName:%22John%22)&sortField=firstName&sortOrder=asc&page=2",
    /// ).unwrap();
    /// assert_eq!(parsed.request.page(), 2);
    ///
    /// let errors = ListCustomers::from_query_string("page=0&sort=asc").unwrap_err();
    /// assert_eq!(errors.errors[0].parameter, "page");
    /// assert_eq!(errors.errors[1].kind.code(), "unknown-parameter");
    /// ```
    pub fn from_query_string(query_string: &str) -> Result<ParsedRequest, RequestErrors> {
        let mut request = ListCustomers::new();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut seen: Vec<Parameter> = Vec::new();
        for decoded in form::decode_each(query_string) {
            let pair = match decoded {
                Ok(pair) => pair,
                Err(bad) => {
                    errors.push(RequestError {
                        parameter: bad.name,
                        rejected_value: Some(bad.raw_value.into()),
                        kind: RequestErrorKind::BadEncoding(bad.error),
                    });
                    continue;
                }
            };
            let pair = &pair;
            let value: Arc<str> = Arc::from(pair.value.as_str());
            let fail = |kind| RequestError {
                parameter: pair.name.clone(),
                kind,
                rejected_value: Some(Arc::clone(&value)),
            };
            let Some(name) = Parameter::from_name(&pair.name) else {
                errors.push(fail(RequestErrorKind::UnknownParameter {
                    suggestion: suggest_parameter(&pair.name),
                }));
                continue;
            };
            if seen.contains(&name) {
                errors.push(fail(RequestErrorKind::Duplicate));
                continue;
            }
            seen.push(name);
            if pair.value.is_empty() {
                errors.push(fail(RequestErrorKind::Empty));
                continue;
            }
            if let Err(kinds) = request.set(name, pair, &value, &mut warnings) {
                errors.extend(kinds.into_iter().map(fail));
            }
        }
        if errors.is_empty() {
            Ok(ParsedRequest { request, warnings })
        } else {
            Err(RequestErrors { errors, warnings })
        }
    }

    /// Sets one parameter from its decoded value.
    fn set(
        &mut self,
        name: Parameter,
        pair: &Pair,
        shared: &Arc<str>,
        warnings: &mut Vec<RequestWarning>,
    ) -> Result<(), Vec<RequestErrorKind>> {
        let value = pair.value.as_str();
        match name {
            Parameter::Page => {
                self.page = Some(
                    value
                        .parse()
                        .map_err(|_| vec![RequestErrorKind::InvalidPage])?,
                );
            }
            Parameter::Mailbox => {
                self.mailbox = Some(
                    value
                        .parse()
                        .map_err(|_| vec![RequestErrorKind::InvalidMailbox])?,
                );
            }
            Parameter::FirstName => self.first_name = Some(value.to_owned()),
            Parameter::LastName => self.last_name = Some(value.to_owned()),
            Parameter::ModifiedSince => {
                self.modified_since = Some(strict_timestamp(value).map_err(|normalised| {
                    vec![RequestErrorKind::InvalidModifiedSince { normalised }]
                })?);
            }
            Parameter::SortField => {
                let field = SortField::ALL.into_iter().find(|f| f.as_str() == value);
                self.sort_field =
                    Some(field.ok_or_else(|| vec![RequestErrorKind::InvalidSortField])?);
            }
            Parameter::SortOrder => {
                self.sort_order = Some(match value {
                    "asc" => SortOrder::Asc,
                    "desc" => SortOrder::Desc,
                    _ => return Err(vec![RequestErrorKind::InvalidSortOrder]),
                });
            }
            Parameter::Query => {
                for at in suspicious_plus_spaces(value, &pair.plus_spaces) {
                    warnings.push(RequestWarning {
                        parameter: Parameter::Query,
                        diagnostic: plus_as_space(at),
                        value: Arc::clone(shared),
                    });
                }
                let check = crate::validate(value, schema::customers(), &ParseOptions::default());
                let (errors, others): (Vec<Diagnostic>, Vec<Diagnostic>) = check
                    .diagnostics
                    .into_iter()
                    .partition(|d| d.severity == Severity::Error);
                warnings.extend(others.into_iter().map(|diagnostic| RequestWarning {
                    parameter: Parameter::Query,
                    diagnostic,
                    value: Arc::clone(shared),
                }));
                match (check.query, check.tree) {
                    (Some(typed), Some(query)) => self.query = Some((query, typed)),
                    _ => {
                        return Err(errors
                            .into_iter()
                            .map(|diagnostic| RequestErrorKind::InvalidQuery { diagnostic })
                            .collect());
                    }
                }
            }
        }
        Ok(())
    }

    /// `page`: which page of 50 (1-based). Default 1.
    pub fn with_page(mut self, page: NonZeroU32) -> Self {
        self.page = Some(page);
        self
    }

    /// `mailbox`: only customers of this mailbox.
    pub fn with_mailbox(mut self, mailbox: u64) -> Self {
        self.mailbox = Some(mailbox);
        self
    }

    /// `firstName`: matched like `firstName:"…"` in a query.
    pub fn with_first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// `lastName`: matched like `lastName:"…"` in a query.
    pub fn with_last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// `modifiedSince`: `updatedAt` at or after this instant (whole seconds;
    /// a fraction is dropped, as the format has none).
    pub fn with_modified_since(mut self, since: jiff::Timestamp) -> Self {
        self.modified_since =
            Some(jiff::Timestamp::from_second(since.as_second()).unwrap_or(since));
        self
    }

    /// `sortField` and `sortOrder`.
    pub fn with_sort(mut self, field: SortField, order: SortOrder) -> Self {
        self.sort_field = Some(field);
        self.sort_order = Some(order);
        self
    }

    /// `query`. It must fit the customers schema; a query that does not is
    /// returned as the error. (A query built from `build::customer` fields
    /// always fits.)
    pub fn with_query(mut self, query: Query) -> Result<Self, schema::SchemaErrors> {
        let resolved = schema::customers().resolve(&query)?;
        self.query = Some((query, resolved.query));
        Ok(self)
    }

    /// The page asked for (default 1).
    pub fn page(&self) -> u32 {
        self.page.map_or(1, NonZeroU32::get)
    }

    /// The mailbox filter.
    pub fn mailbox(&self) -> Option<u64> {
        self.mailbox
    }

    /// The `firstName` filter.
    pub fn first_name(&self) -> Option<&str> {
        self.first_name.as_deref()
    }

    /// The `lastName` filter.
    pub fn last_name(&self) -> Option<&str> {
        self.last_name.as_deref()
    }

    /// The `modifiedSince` filter.
    pub fn modified_since(&self) -> Option<jiff::Timestamp> {
        self.modified_since
    }

    /// The sort field (default `createdAt`).
    pub fn sort_field(&self) -> SortField {
        self.sort_field.unwrap_or_default()
    }

    /// The sort order (default `desc`).
    pub fn sort_order(&self) -> SortOrder {
        self.sort_order.unwrap_or_default()
    }

    /// The query, as written and as typed.
    pub fn query(&self) -> Option<(&Query, &TypedQuery)> {
        self.query.as_ref().map(|(q, t)| (q, t))
    }

    /// The given parameters in canonical order, with canonical values.
    pub fn parameters(&self) -> Vec<(Parameter, String)> {
        let mut out = Vec::new();
        let mut push = |name, value: Option<String>| {
            if let Some(value) = value {
                out.push((name, value));
            }
        };
        push(Parameter::Page, self.page.map(|p| p.to_string()));
        push(Parameter::Mailbox, self.mailbox.map(|m| m.to_string()));
        push(Parameter::FirstName, self.first_name.clone());
        push(Parameter::LastName, self.last_name.clone());
        push(
            Parameter::ModifiedSince,
            self.modified_since.map(format_timestamp),
        );
        push(
            Parameter::SortField,
            self.sort_field.map(|f| f.as_str().to_owned()),
        );
        push(
            Parameter::SortOrder,
            self.sort_order.map(|o| o.as_str().to_owned()),
        );
        push(
            Parameter::Query,
            self.query.as_ref().map(|(q, _)| crate::sent_form(q)),
        );
        out
    }

    /// The canonical query string (without `?`), every value percent-encoded.
    pub fn to_query_string(&self) -> String {
        self.parameters()
            .iter()
            .map(|(name, value)| format!("{name}={}", form::encode(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The canonical URL: `base` (default [`DEFAULT_BASE`], a trailing `/`
    /// ignored) + [`PATH`] + the canonical query string.
    pub fn to_url(&self, base: Option<&str>) -> String {
        let base = base.unwrap_or(DEFAULT_BASE).trim_end_matches('/');
        let query = self.to_query_string();
        if query.is_empty() {
            format!("{base}{PATH}")
        } else {
            format!("{base}{PATH}?{query}")
        }
    }
}

impl fmt::Display for ListCustomers {
    /// The canonical URL with the default base.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_url(None))
    }
}

/// Reads `yyyy-MM-ddTHH:mm:ssZ` exactly. Otherwise returns the value in that
/// format when it is a fixed date in another (`2013-11-20`, an offset,
/// milliseconds), for the hint.
fn strict_timestamp(value: &str) -> Result<jiff::Timestamp, Option<String>> {
    let date = date_from_text(value).ok().flatten().ok_or(None)?;
    if !date.math.is_empty() {
        return Err(None);
    }
    let timestamp = match date.anchor {
        DateAnchor::Full { timestamp } => timestamp,
        DateAnchor::Truncated(t) => {
            let day = jiff::civil::date(t.year, t.month, t.day.unwrap_or(1));
            day.to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|_| None)?
        }
        DateAnchor::Now => return Err(None),
    };
    let whole = jiff::Timestamp::from_second(timestamp.as_second()).map_err(|_| None)?;
    let canonical = format_timestamp(whole);
    if canonical == value {
        Ok(whole)
    } else {
        Err(Some(canonical))
    }
}

/// The closest known parameter name (same letters in another case, or one
/// or two edits away).
fn suggest_parameter(name: &str) -> Option<&'static str> {
    let lower = crate::text::lowercase(name);
    Parameter::ALL
        .iter()
        .map(|p| p.as_str())
        .map(|p| {
            (
                crate::schema::edit_distance(&crate::text::lowercase(p), &lower),
                p,
            )
        })
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, p)| p)
}

/// Spaces in the query that were written as `+` where a `+` prefix was
/// probably meant: at the start, or after whitespace or `(`, and directly
/// before a clause. (`a+OR+b` is an ordinary form-encoded space.)
fn suspicious_plus_spaces<'a>(
    value: &'a str,
    plus_spaces: &'a [usize],
) -> impl Iterator<Item = usize> + 'a {
    plus_spaces.iter().copied().filter(move |&at| {
        let before = value[..at].chars().next_back();
        let after = value[at + 1..].chars().next();
        let starts_clause = before.is_none_or(|c| c.is_whitespace() || c == '(');
        let clause_follows = after.is_some_and(|c| !c.is_whitespace() && c != ')');
        starts_clause && clause_follows
    })
}

/// A space in the query that was a `+` in the URL, where a `+` prefix was
/// probably meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this space was a '+' in the URL: form decoding turns '+' into a space")]
pub struct PlusAsSpace;

impl DiagnosticKind for PlusAsSpace {
    fn code(&self) -> Code {
        Code::PlusAsSpace
    }
    fn hint(&self) -> Option<String> {
        Some("write %2B for a '+' prefix (required clause)".to_owned())
    }
}

fn plus_as_space(at: usize) -> Diagnostic {
    Diagnostic::of(Severity::Warning, &PlusAsSpace, Span::new(at, at + 1))
}
