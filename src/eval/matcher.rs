//! The compiled matcher: a typed customers query, ready to test documents.
//!
//! Compilation does everything that does not depend on the record once:
//! needles are analysed into tokens, wildcards compiled, dates resolved
//! against the clock into windows. A [`Document`] holds a record's searchable
//! fields analysed once at load. Matching is then token comparisons and
//! timestamp comparisons only.

use std::cell::OnceCell;

use jiff::Timestamp;

use crate::schema::{RecordField, Target, Test, TextTest, TypedNode, TypedQuery};

use super::analysis::{Token, contains_sequence, tokens};
use super::dates::{Window, window};
use super::wildcard::Pattern;

/// A customer's searchable fields, analysed once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Tokens of `firstName`, if present.
    pub first_name: Option<Vec<Token>>,
    /// Tokens of `lastName`, if present.
    pub last_name: Option<Vec<Token>>,
    /// Tokens of each email address.
    pub emails: Vec<Vec<Token>>,
    /// Tokens of each email address's host part.
    pub email_domains: Vec<Vec<Token>>,
    /// `createdAt`.
    pub created_at: Option<Timestamp>,
    /// `updatedAt` (the query's `modifiedAt`).
    pub updated_at: Option<Timestamp>,
}

impl Document {
    /// Analyses the fields of one customer.
    ///
    /// ```
    /// use helpscout_query::eval::Document;
    /// let doc = Document::new(Some("John"), None, ["john@appleseed.com"], None, None);
    /// assert_eq!(doc.email_domains, [vec!["appleseed.com"]]);
    /// ```
    pub fn new<'a>(
        first_name: Option<&str>,
        last_name: Option<&str>,
        emails: impl IntoIterator<Item = &'a str>,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Document {
        let emails: Vec<&str> = emails.into_iter().collect();
        Document {
            first_name: first_name.map(tokens),
            last_name: last_name.map(tokens),
            email_domains: email_domains(&emails),
            emails: emails.iter().map(|e| tokens(e)).collect(),
            created_at: created_at.map(to_millisecond),
            updated_at: updated_at.map(to_millisecond),
        }
    }
}

/// The tokens of each address's host part (addresses without `@` have none).
fn email_domains(emails: &[&str]) -> Vec<Vec<Token>> {
    emails
        .iter()
        .filter_map(|e| e.rsplit_once('@').map(|(_, host)| tokens(host)))
        .collect()
}

/// A customer's searchable fields as the matcher reads them: analysed up
/// front ([`Document`], for data kept in memory and matched many times) or on
/// first use ([`LazyDocument`], for a record read once while streaming).
pub trait Searchable {
    /// Tokens of `firstName`, if present.
    fn first_name(&self) -> Option<&[Token]>;
    /// Tokens of `lastName`, if present.
    fn last_name(&self) -> Option<&[Token]>;
    /// Tokens of each email address.
    fn emails(&self) -> &[Vec<Token>];
    /// Tokens of each email address's host part.
    fn email_domains(&self) -> &[Vec<Token>];
    /// `createdAt`.
    fn created_at(&self) -> Option<Timestamp>;
    /// `updatedAt`.
    fn updated_at(&self) -> Option<Timestamp>;
}

impl Searchable for Document {
    fn first_name(&self) -> Option<&[Token]> {
        self.first_name.as_deref()
    }
    fn last_name(&self) -> Option<&[Token]> {
        self.last_name.as_deref()
    }
    fn emails(&self) -> &[Vec<Token>] {
        &self.emails
    }
    fn email_domains(&self) -> &[Vec<Token>] {
        &self.email_domains
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
    fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }
}

impl<S: Searchable + ?Sized> Searchable for &S {
    fn first_name(&self) -> Option<&[Token]> {
        (**self).first_name()
    }
    fn last_name(&self) -> Option<&[Token]> {
        (**self).last_name()
    }
    fn emails(&self) -> &[Vec<Token>] {
        (**self).emails()
    }
    fn email_domains(&self) -> &[Vec<Token>] {
        (**self).email_domains()
    }
    fn created_at(&self) -> Option<Timestamp> {
        (**self).created_at()
    }
    fn updated_at(&self) -> Option<Timestamp> {
        (**self).updated_at()
    }
}

/// A customer's fields borrowed from its record, each analysed only when a
/// query first reads it. Streaming reads every record once, and most fail
/// the first clause: `(firstName:john OR …) AND email:…` never tokenizes the
/// emails of a record named Jane.
///
/// ```
/// use helpscout_query::eval::{LazyDocument, Searchable};
/// let doc = LazyDocument::new(Some("John"), None, vec!["john@appleseed.com"], None, None);
/// assert_eq!(doc.email_domains(), [vec!["appleseed.com"]]);
/// ```
#[derive(Debug)]
pub struct LazyDocument<'a> {
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    emails: Vec<&'a str>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
    first_name_tokens: OnceCell<Option<Vec<Token>>>,
    last_name_tokens: OnceCell<Option<Vec<Token>>>,
    email_tokens: OnceCell<Vec<Vec<Token>>>,
    domain_tokens: OnceCell<Vec<Vec<Token>>>,
}

impl<'a> LazyDocument<'a> {
    /// A document over these field values, nothing analysed yet.
    pub fn new(
        first_name: Option<&'a str>,
        last_name: Option<&'a str>,
        emails: Vec<&'a str>,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> LazyDocument<'a> {
        LazyDocument {
            first_name,
            last_name,
            emails,
            created_at: created_at.map(to_millisecond),
            updated_at: updated_at.map(to_millisecond),
            first_name_tokens: OnceCell::new(),
            last_name_tokens: OnceCell::new(),
            email_tokens: OnceCell::new(),
            domain_tokens: OnceCell::new(),
        }
    }
}

impl Searchable for LazyDocument<'_> {
    fn first_name(&self) -> Option<&[Token]> {
        self.first_name_tokens
            .get_or_init(|| self.first_name.map(tokens))
            .as_deref()
    }
    fn last_name(&self) -> Option<&[Token]> {
        self.last_name_tokens
            .get_or_init(|| self.last_name.map(tokens))
            .as_deref()
    }
    fn emails(&self) -> &[Vec<Token>] {
        self.email_tokens
            .get_or_init(|| self.emails.iter().map(|e| tokens(e)).collect())
    }
    fn email_domains(&self) -> &[Vec<Token>] {
        self.domain_tokens
            .get_or_init(|| email_domains(&self.emails))
    }
    fn created_at(&self) -> Option<Timestamp> {
        self.created_at
    }
    fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }
}

/// Which document field a leaf reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    FirstName,
    LastName,
    Emails,
    EmailDomains,
    CreatedAt,
    UpdatedAt,
    /// firstName, lastName and every email.
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Check {
    /// Consecutive tokens (a term or a phrase).
    Tokens(Vec<Token>),
    /// A single token matching the pattern.
    Wildcard(Pattern),
    /// A timestamp inside the window.
    Date(Window),
    /// A single token within an edit distance of the term's code points.
    Fuzzy(Vec<char>, u8),
    /// A single token between the bounds (code point order).
    Range(std::ops::Bound<String>, std::ops::Bound<String>),
    /// A single whole token matching the regular expression.
    Regex(TokenRegex),
}

/// A compiled regular expression (`/jo.*/`), anchored at both ends of a
/// token; equal when written alike.
#[derive(Debug, Clone)]
pub(crate) struct TokenRegex {
    /// The text between the slashes, as written.
    pub(crate) pattern: String,
    pub(crate) regex: regex::Regex,
}

impl PartialEq for TokenRegex {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// A field group: matches as its tree does; scores as one clause.
    Clause(Box<Node>),
    /// A boost: matches as its node does; its score is the node's times
    /// the factor.
    Boost(Box<Node>, f32),
    Leaf(Source, Check),
}

/// An instant as Solr stores a date: whole milliseconds, the rest floored
/// (`Instant::toEpochMilli`). Records are matched and sorted at that
/// precision, as the index holds them.
pub(crate) fn to_millisecond(t: Timestamp) -> Timestamp {
    let millis = t.as_millisecond();
    Timestamp::from_millisecond(millis).unwrap_or(t)
}

/// Which name a request's name parameter (`firstName=`, `lastName=`) filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameParameter {
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
}

/// Why a typed query cannot be evaluated over customer records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The query was resolved against another schema than customers.
    #[error("only customer queries can be evaluated, not {0} queries")]
    WrongSchema(&'static str),
    /// A field customers records do not have.
    #[error("'{0}' cannot be evaluated over customer records")]
    UnknownField(&'static str),
    /// A regular expression that does not compile (only a hand-built tree
    /// can hold one: the parser rejects them).
    #[error("the regular expression /{0}/ cannot be evaluated")]
    InvalidRegex(String),
}

impl crate::diagnostic::DiagnosticKind for CompileError {
    fn code(&self) -> crate::diagnostic::Code {
        crate::diagnostic::Code::NotEvaluable
    }
    fn hint(&self) -> Option<String> {
        Some("resolve the query against the customers schema".to_owned())
    }
}

/// A compiled customers query.
///
/// ```
/// use helpscout_query::eval::{Document, Matcher};
/// use helpscout_query::{ParseOptions, schema, validate};
/// let typed = validate("firstName:\"John\"", schema::customers(), &ParseOptions::default()).query.unwrap();
/// let matcher = Matcher::compile(&typed, jiff::Timestamp::now()).unwrap();
/// assert!(matcher.matches(&Document::new(Some("John"), None, [], None, None)));
/// assert!(!matcher.matches(&Document::new(Some("Johnny"), None, [], None, None)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    pub(crate) root: Node,
}

impl Matcher {
    /// Compiles `query` with `now` as the clock for `NOW`.
    pub fn compile(query: &TypedQuery, now: Timestamp) -> Result<Matcher, CompileError> {
        if query.schema.endpoint != crate::schema::Endpoint::Customers {
            return Err(CompileError::WrongSchema(query.schema.name));
        }
        // A query made only of values with no words matches nothing, as in
        // Lucene, where the parser returns an empty query.
        Ok(Matcher {
            root: compile(&query.root, now)?.unwrap_or(Node::Or(Vec::new())),
        })
    }

    /// A matcher for `firstName:"text"` or `lastName:"text"` as the request
    /// parameters have them (the same matching as the query fields).
    pub(crate) fn name_parameter(name: NameParameter, text: &str) -> Matcher {
        let source = match name {
            NameParameter::FirstName => Source::FirstName,
            NameParameter::LastName => Source::LastName,
        };
        Matcher {
            root: Node::Leaf(source, Check::Tokens(tokens(text))),
        }
    }

    /// A matcher for `updatedAt` at or after `since`.
    pub(crate) fn modified_since(since: Timestamp) -> Matcher {
        Matcher {
            root: Node::Leaf(
                Source::UpdatedAt,
                Check::Date(Window {
                    from: Some(since),
                    until: None,
                }),
            ),
        }
    }

    /// Whether the document matches.
    pub fn matches(&self, doc: &impl Searchable) -> bool {
        matches(&self.root, doc)
    }

    /// The `score` sort: the number of clauses outside any NOT that the
    /// document satisfies, each weighted by the boosts around it (`john^2`
    /// counts 2; a boosted group, its boost times what its clauses count).
    /// A clause counts once however many values match, whether the values
    /// of a many-valued field or those of a field group. Without boosts, a
    /// whole number. Never negative nor NaN, never `-0.0`.
    pub fn score(&self, doc: &impl Searchable) -> f64 {
        score(&self.root, doc)
    }
}

/// Compiles a node; `None` when it is ignored, as Lucene ignores it: a text
/// value with no words (`lastName:"."` analyses to nothing, and Lucene's
/// parser drops the clause), and then a NOT, an AND/OR or a group left with
/// nothing. Everything else is boolean logic.
fn compile(node: &TypedNode, now: Timestamp) -> Result<Option<Node>, CompileError> {
    let all = |nodes: &[TypedNode]| -> Result<Option<Vec<Node>>, CompileError> {
        let mut kept = Vec::with_capacity(nodes.len());
        for n in nodes {
            kept.extend(compile(n, now)?);
        }
        Ok((!kept.is_empty()).then_some(kept))
    };
    Ok(Some(match node {
        TypedNode::And(nodes) => match all(nodes)? {
            Some(kept) => Node::And(kept),
            None => return Ok(None),
        },
        TypedNode::Or(nodes) => match all(nodes)? {
            Some(kept) => Node::Or(kept),
            None => return Ok(None),
        },
        TypedNode::Not(inner) => match compile(inner, now)? {
            Some(inner) => Node::Not(Box::new(inner)),
            None => return Ok(None),
        },
        TypedNode::Group(inner) => match compile(inner, now)? {
            Some(inner) => Node::Clause(Box::new(inner)),
            None => return Ok(None),
        },
        // Every record; an empty AND, which scores nothing.
        TypedNode::MatchAll => Node::And(Vec::new()),
        TypedNode::Boost { node, boost } => match compile(node, now)? {
            Some(inner) => Node::Boost(Box::new(inner), *boost),
            None => return Ok(None),
        },
        TypedNode::Predicate(predicate) => {
            let source = match predicate.target {
                Target::Default => Source::Default,
                Target::Field(def) => match def.record {
                    Some(RecordField::FirstName) => Source::FirstName,
                    Some(RecordField::LastName) => Source::LastName,
                    Some(RecordField::Emails) => Source::Emails,
                    Some(RecordField::EmailDomains) => Source::EmailDomains,
                    Some(RecordField::CreatedAt) => Source::CreatedAt,
                    Some(RecordField::UpdatedAt) => Source::UpdatedAt,
                    None => return Err(CompileError::UnknownField(def.name)),
                },
            };
            let check = match &predicate.test {
                Test::Text(TextTest::Term(text) | TextTest::Phrase(text)) => {
                    let needle = tokens(text);
                    if needle.is_empty() {
                        return Ok(None);
                    }
                    Check::Tokens(needle)
                }
                Test::Text(TextTest::Wildcard(w)) => Check::Wildcard(Pattern::new(w)),
                Test::Text(TextTest::Fuzzy { text, edits }) => {
                    Check::Fuzzy(text.chars().collect(), *edits)
                }
                Test::Text(TextTest::Range { lower, upper }) => {
                    Check::Range(lower.clone(), upper.clone())
                }
                Test::Text(TextTest::Regex { pattern }) => {
                    // The parser compiled it already; a hand-built tree
                    // that does not compile is reported, never evaluated.
                    let regex = crate::syntax::regexp::compile(pattern)
                        .map_err(|_| CompileError::InvalidRegex(pattern.clone()))?;
                    Check::Regex(TokenRegex {
                        pattern: pattern.clone(),
                        regex,
                    })
                }
                Test::Date(test) => Check::Date(window(test, now)),
                Test::Integer(_) | Test::Boolean(_) => {
                    return Err(CompileError::UnknownField(match predicate.target {
                        Target::Field(def) => def.name,
                        Target::Default => crate::schema::DEFAULT_FIELDS,
                    }));
                }
            };
            Node::Leaf(source, check)
        }
    }))
}

fn matches<D: Searchable + ?Sized>(node: &Node, doc: &D) -> bool {
    match node {
        Node::And(nodes) => nodes.iter().all(|n| matches(n, doc)),
        Node::Or(nodes) => nodes.iter().any(|n| matches(n, doc)),
        Node::Not(inner) => !matches(inner, doc),
        Node::Clause(inner) | Node::Boost(inner, _) => matches(inner, doc),
        Node::Leaf(source, check) => with_leaf(*source, check, One(doc)),
    }
}

/// The score of `node`, summed left to right from `0.0` and multiplied by
/// boosts, operation for operation as the SQL compiler's score expression
/// (`crate::sql`) computes it in `float8`, so both give the same number.
fn score<D: Searchable + ?Sized>(node: &Node, doc: &D) -> f64 {
    let one = |yes: bool| if yes { 1.0 } else { 0.0 };
    match node {
        Node::And(nodes) | Node::Or(nodes) => nodes.iter().fold(0.0, |sum, n| sum + score(n, doc)),
        Node::Not(_) => 0.0,
        Node::Clause(inner) => one(matches(inner, doc)),
        // A zero boost is zero, even times an infinite score.
        Node::Boost(_, boost) if *boost == 0.0 => 0.0,
        Node::Boost(inner, boost) => f64::from(*boost) * score(inner, doc),
        Node::Leaf(source, check) => one(with_leaf(*source, check, One(doc))),
    }
}

/// Something done with a leaf's test once it is a plain predicate: applied
/// to one document, or run over a batch (see `select`). Each call of
/// `visit` in [`with_leaf`] passes a closure of its own type, so the
/// compiler makes one specialised loop per field and needle kind.
pub(super) trait Visit<D: ?Sized> {
    type Out;
    fn visit(self, test: impl Fn(&D) -> bool) -> Self::Out;
}

/// Applies a leaf to one document.
struct One<'a, D: ?Sized>(&'a D);

impl<D: ?Sized> Visit<D> for One<'_, D> {
    type Out = bool;
    #[inline]
    fn visit(self, test: impl Fn(&D) -> bool) -> bool {
        test(self.0)
    }
}

/// Turns a leaf into a predicate specialised for its field and needle, and
/// hands it to `visitor`.
#[inline]
pub(super) fn with_leaf<D, V>(source: Source, check: &Check, visitor: V) -> V::Out
where
    D: Searchable + ?Sized,
    V: Visit<D>,
{
    match check {
        Check::Date(window) => match source {
            Source::CreatedAt => {
                visitor.visit(|d| d.created_at().is_some_and(|t| window.contains(t)))
            }
            Source::UpdatedAt => {
                visitor.visit(|d| d.updated_at().is_some_and(|t| window.contains(t)))
            }
            _ => visitor.visit(|_| false),
        },
        Check::Tokens(needle) => match needle.as_slice() {
            [one] => text(source, visitor, |field| {
                field.iter().any(|token| token == one)
            }),
            _ => text(source, visitor, |field| contains_sequence(field, needle)),
        },
        Check::Wildcard(pattern) => text(source, visitor, |field| {
            field.iter().any(|token| pattern.matches(token))
        }),
        Check::Fuzzy(term, edits) => text(source, visitor, |field| {
            field
                .iter()
                .any(|token| super::fuzzy::within(term, token.as_str(), usize::from(*edits)))
        }),
        Check::Regex(regex) => text(source, visitor, |field| {
            field
                .iter()
                .any(|token| regex.regex.is_match(token.as_str()))
        }),
        Check::Range(lower, upper) => text(source, visitor, |field| {
            field
                .iter()
                .any(|token| in_text_range(token.as_str(), lower, upper))
        }),
    }
}

/// A text test over the tokens of `source` (any value of a many-valued field).
#[inline]
/// Whether `token` lies between the bounds, in code point order.
fn in_text_range(
    token: &str,
    lower: &std::ops::Bound<String>,
    upper: &std::ops::Bound<String>,
) -> bool {
    use std::ops::Bound;
    let above = match lower {
        Bound::Included(b) => token >= b.as_str(),
        Bound::Excluded(b) => token > b.as_str(),
        Bound::Unbounded => true,
    };
    let below = match upper {
        Bound::Included(b) => token <= b.as_str(),
        Bound::Excluded(b) => token < b.as_str(),
        Bound::Unbounded => true,
    };
    above && below
}

fn text<D, V>(source: Source, visitor: V, test: impl Fn(&[Token]) -> bool) -> V::Out
where
    D: Searchable + ?Sized,
    V: Visit<D>,
{
    match source {
        Source::FirstName => visitor.visit(|d| d.first_name().is_some_and(&test)),
        Source::LastName => visitor.visit(|d| d.last_name().is_some_and(&test)),
        Source::Emails => visitor.visit(|d| d.emails().iter().any(|e| test(e))),
        Source::EmailDomains => visitor.visit(|d| d.email_domains().iter().any(|e| test(e))),
        Source::Default => visitor.visit(|d| {
            d.first_name().is_some_and(&test)
                || d.last_name().is_some_and(&test)
                || d.emails().iter().any(|e| test(e))
        }),
        Source::CreatedAt | Source::UpdatedAt => visitor.visit(|_| false),
    }
}
