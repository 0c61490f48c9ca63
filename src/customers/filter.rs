//! What a request selects and in which order: the compiled filter (the
//! query AND every other parameter), the sort key of a record, and its rank.
//!
//! Every driver (in memory, streamed, and any later one) filters and ranks
//! through these, so they cannot disagree. Sorting compares names
//! case-insensitively, puts missing values last in either order, and breaks
//! ties on `id` in the same direction, then on the record's position in the
//! data.

use std::cmp::Ordering;

use jiff::Timestamp;

use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{Matcher, NameParameter, Searchable, lowercase};
use crate::syntax::ast::Span;

use super::record::Customer;
use super::request::{
    ListCustomers, RequestError, RequestErrorKind, RequestErrors, SortField, SortOrder,
};

/// The compiled filter of a request: the query and the other parameters.
pub(crate) struct Filter {
    query: Option<Matcher>,
    others: Vec<Matcher>,
    mailbox: Option<u64>,
}

impl Filter {
    /// The filter of `request`. Fails only if its query cannot be evaluated
    /// over customer records, which a query resolved against the customers
    /// schema never is; the failure is still reported, never a query
    /// silently dropped.
    pub(crate) fn new(request: &ListCustomers, now: Timestamp) -> Result<Filter, RequestErrors> {
        let others = parameter_matchers(request);
        let query = match request.query() {
            Some((syntax, typed)) => Some(Matcher::compile(typed, now).map_err(|e| {
                RequestErrors::from(RequestError {
                    parameter: "query".to_owned(),
                    rejected_value: Some(syntax.to_string().into()),
                    kind: RequestErrorKind::InvalidQuery {
                        diagnostic: Diagnostic::of(Severity::Error, &e, Span::default()),
                    },
                })
            })?),
            None => None,
        };
        Ok(Filter {
            query,
            others,
            mailbox: request.mailbox(),
        })
    }

    /// Whether a record (its document and `mailboxIds`) passes every filter.
    pub(crate) fn matches(&self, doc: &impl Searchable, mailbox_ids: Option<&[u64]>) -> bool {
        self.parameters_match(doc, mailbox_ids)
            && self.query.as_ref().is_none_or(|q| q.matches(doc))
    }

    /// Whether a record passes every parameter but the query.
    fn parameters_match(&self, doc: &impl Searchable, mailbox_ids: Option<&[u64]>) -> bool {
        self.mailbox
            .is_none_or(|m| mailbox_ids.is_some_and(|ids| ids.contains(&m)))
            && self.others.iter().all(|m| m.matches(doc))
    }

    /// The positions of the customers that pass every filter, in order: the
    /// query a batch at a time, then the cheaper per-record parameters.
    pub(crate) fn select(&self, customers: &[Customer]) -> Vec<usize> {
        let candidates = match &self.query {
            Some(query) => query.select(customers, Customer::document),
            None => (0..customers.len()).collect(),
        };
        candidates
            .into_iter()
            .filter(|&i| self.parameters_match(customers[i].document(), customers[i].mailbox_ids()))
            .collect()
    }

    pub(crate) fn score(&self, doc: &impl Searchable) -> f64 {
        self.query.as_ref().map_or(0.0, |q| q.score(doc))
    }
}

/// The matchers of the parameters other than the query and the mailbox
/// (`firstName`, `lastName`, `modifiedSince`), which every driver ANDs with
/// the query (the SQL compiler too).
pub(crate) fn parameter_matchers(request: &ListCustomers) -> Vec<Matcher> {
    let mut others = Vec::new();
    if let Some(name) = request.first_name() {
        others.push(Matcher::name_parameter(NameParameter::FirstName, name));
    }
    if let Some(name) = request.last_name() {
        others.push(Matcher::name_parameter(NameParameter::LastName, name));
    }
    if let Some(since) = request.modified_since() {
        others.push(Matcher::modified_since(since));
    }
    others
}

/// The sort key of one record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Time(Timestamp),
    Name(String),
    Score(Score),
}

/// A `score` as a sort key: ordered as numbers (`Matcher::score` is never
/// NaN nor `-0.0`, so the total order is the numeric one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Score(pub(crate) f64);

impl PartialEq for Score {
    fn eq(&self, other: &Score) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Score {}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Score) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Score) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Key {
    /// The key of a record for `field`: its document, names and score.
    pub(crate) fn of(
        field: SortField,
        doc: &impl Searchable,
        first_name: Option<&str>,
        last_name: Option<&str>,
        filter: &Filter,
    ) -> Option<Key> {
        match field {
            SortField::CreatedAt => doc.created_at().map(Key::Time),
            SortField::ModifiedAt => doc.updated_at().map(Key::Time),
            SortField::FirstName => first_name.map(|n| Key::Name(lowercase(n).into_owned())),
            SortField::LastName => last_name.map(|n| Key::Name(lowercase(n).into_owned())),
            SortField::Score => Some(Key::Score(Score(filter.score(doc)))),
        }
    }
}

/// Where a record goes in the answer: by key (missing last in either
/// order), then by id in the same direction, then by position in the data
/// (so equal records keep their order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rank {
    pub(crate) key: Option<Key>,
    pub(crate) id: Option<i64>,
    pub(crate) position: usize,
    pub(crate) order: SortOrder,
}

impl Ord for Rank {
    fn cmp(&self, other: &Rank) -> Ordering {
        compare_present_first(&self.key, &other.key, self.order)
            .then_with(|| compare_present_first(&self.id, &other.id, self.order))
            .then_with(|| self.position.cmp(&other.position))
    }
}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Rank) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Missing values last whatever the order; present ones in `order`.
fn compare_present_first<T: Ord>(a: &Option<T>, b: &Option<T>, order: SortOrder) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match order {
            SortOrder::Asc => a.cmp(b),
            SortOrder::Desc => b.cmp(a),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The mailbox rule: `mailbox=N` over data where no record has `mailboxIds`
/// would silently find nothing, so it is an error naming the parameter.
pub(crate) fn check_mailbox(
    request: &ListCustomers,
    any_mailbox_ids: bool,
) -> Result<(), RequestErrors> {
    match request.mailbox() {
        Some(mailbox) if !any_mailbox_ids => Err(RequestError {
            parameter: "mailbox".to_owned(),
            kind: RequestErrorKind::NoMailboxData,
            rejected_value: Some(mailbox.to_string().into()),
        }
        .into()),
        _ => Ok(()),
    }
}
