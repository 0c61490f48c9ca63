//! Answering a List Customers request over local records (SPEC §6):
//! filter, sort, page, and the HAL+JSON response.
//!
//! Filtering is the query AND every other parameter. Sorting compares names
//! case-insensitively, puts missing values last in either order, and breaks
//! ties on `id` in the same direction. Pages hold 50 records; a page past the
//! end is empty, not an error.

use std::cmp::Ordering;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::eval::{Matcher, Searchable};
use crate::syntax::ast::Span;
use crate::syntax::diagnostic::{Diagnostic, Severity};

use super::record::Customer;
use super::request::{
    DEFAULT_BASE, ListCustomers, PATH, RequestError, RequestErrorKind, RequestErrors, SortField,
    SortOrder,
};

/// Records per page, as Help Scout pages customers.
pub const PAGE_SIZE: usize = 50;

/// One page of the answer.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The records on this page, in order.
    pub customers: Vec<&'a Customer>,
    /// How many records matched in all.
    pub total_elements: usize,
    /// How many pages of [`PAGE_SIZE`] that makes.
    pub total_pages: u32,
    /// The page asked for.
    pub number: u32,
}

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
        let mut others = Vec::new();
        if let Some(name) = request.first_name() {
            others.push(Matcher::name_parameter(true, name));
        }
        if let Some(name) = request.last_name() {
            others.push(Matcher::name_parameter(false, name));
        }
        if let Some(since) = request.modified_since() {
            others.push(Matcher::modified_since(since));
        }
        let query = match request.query() {
            Some((syntax, typed)) => Some(Matcher::compile(typed, now).map_err(|e| {
                RequestErrors::from(RequestError {
                    parameter: "query".to_owned(),
                    rejected_value: Some(syntax.to_string()),
                    kind: RequestErrorKind::InvalidQuery {
                        diagnostic: Diagnostic {
                            severity: Severity::Error,
                            code: "not-evaluable",
                            message: e.to_string(),
                            span: Span::default(),
                            hint: None,
                        },
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
    fn select(&self, customers: &[Customer]) -> Vec<usize> {
        let candidates = match &self.query {
            Some(query) => query.select(customers, Customer::document),
            None => (0..customers.len()).collect(),
        };
        candidates
            .into_iter()
            .filter(|&i| self.parameters_match(customers[i].document(), customers[i].mailbox_ids()))
            .collect()
    }

    pub(crate) fn score(&self, doc: &impl Searchable) -> u32 {
        self.query.as_ref().map_or(0, |q| q.score(doc))
    }
}

/// The sort key of one record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Time(Timestamp),
    Name(String),
    Score(u32),
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
            SortField::FirstName => first_name.map(|n| Key::Name(n.to_lowercase())),
            SortField::LastName => last_name.map(|n| Key::Name(n.to_lowercase())),
            SortField::Score => Some(Key::Score(filter.score(doc))),
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

/// The number of pages of [`PAGE_SIZE`] for `total` records.
pub(crate) fn page_count(total: usize) -> u32 {
    u32::try_from(total.div_ceil(PAGE_SIZE)).unwrap_or(u32::MAX)
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
            rejected_value: Some(mailbox.to_string()),
        }
        .into()),
        _ => Ok(()),
    }
}

/// Answers `request` over `customers`, with `now` as the clock.
///
/// Fails only for the mailbox rule: `mailbox=N` over data where no record has
/// `mailboxIds` would silently find nothing, so it is an error naming the
/// parameter instead.
///
/// ```
/// use helpscout_query::customers::{ListCustomers, record::Customer, response::list};
/// let customers: Vec<Customer> = [
///     r#"{"id":1,"firstName":"John","createdAt":"2020-01-01T00:00:00Z"}"#,
///     r#"{"id":2,"firstName":"Johnny","createdAt":"2021-01-01T00:00:00Z"}"#,
/// ].iter().map(|j| Customer::from_json(j).unwrap()).collect();
/// let request = ListCustomers::from_query_string("query=firstName:%22John%22").unwrap().request;
/// let page = list(&request, &customers, jiff::Timestamp::now()).unwrap();
/// assert_eq!(page.total_elements, 1);
/// assert_eq!(page.customers[0].id(), Some(1));
/// ```
pub fn list<'a>(
    request: &ListCustomers,
    customers: &'a [Customer],
    now: Timestamp,
) -> Result<Page<'a>, RequestErrors> {
    check_mailbox(request, customers.iter().any(|c| c.mailbox_ids().is_some()))?;
    let filter = Filter::new(request, now)?;
    let (field, order) = (request.sort_field(), request.sort_order());
    let mut matched: Vec<(Rank, &Customer)> = filter
        .select(customers)
        .into_iter()
        .map(|position| (position, &customers[position]))
        .map(|(position, c)| {
            let key = Key::of(field, c.document(), c.first_name(), c.last_name(), &filter);
            let rank = Rank {
                key,
                id: c.id(),
                position,
                order,
            };
            (rank, c)
        })
        .collect();
    matched.sort_by(|(a, _), (b, _)| a.cmp(b));
    let total_elements = matched.len();
    let number = request.page();
    let start = usize::try_from(number - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE);
    let customers = matched
        .into_iter()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|(_, c)| c)
        .collect();
    Ok(Page {
        customers,
        total_elements,
        total_pages: page_count(total_elements),
        number,
    })
}

#[derive(Serialize)]
struct Hal<'a> {
    #[serde(rename = "_embedded")]
    embedded: HalCustomers<'a>,
    page: HalPage,
    #[serde(rename = "_links")]
    links: Links,
}

#[derive(Serialize)]
struct HalCustomers<'a> {
    customers: Vec<&'a RawValue>,
}

#[derive(Serialize)]
struct HalPage {
    size: usize,
    #[serde(rename = "totalElements")]
    total_elements: usize,
    #[serde(rename = "totalPages")]
    total_pages: u32,
    number: u32,
}

#[derive(Serialize)]
struct Link {
    href: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    templated: bool,
}

#[derive(Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Link>,
    page: Link,
}

impl Page<'_> {
    /// The HAL+JSON response, records verbatim. `base` is the URL base of the
    /// links (default `https://api.helpscout.net`). See [`hal_json`].
    pub fn to_hal_json(&self, request: &ListCustomers, base: Option<&str>) -> String {
        let records: Vec<&RawValue> = self.customers.iter().map(|c| c.raw()).collect();
        hal_json(&records, self.total_elements, self.number, request, base)
    }
}

/// The HAL+JSON response for a page of `records` out of `total_elements`.
///
/// `page` is `{size: 50, totalElements, totalPages, number}`; when nothing
/// matched, the counts and `number` are zero and `size` stays 50 (as Help
/// Scout answers, SPEC §6). Links keep the request's other parameters:
/// `self`, `first` and `last` always (on an empty page both are page 1, the
/// first page a request can name), `next` and `previous` where those pages
/// exist (`previous` of a page past the end is the last page), and the
/// templated `page`.
pub fn hal_json(
    records: &[&RawValue],
    total_elements: usize,
    number: u32,
    request: &ListCustomers,
    base: Option<&str>,
) -> String {
    let total_pages = page_count(total_elements);
    let link = |page: u32| Link {
        href: request
            .clone()
            .with_page(std::num::NonZeroU32::new(page).unwrap_or(std::num::NonZeroU32::MIN))
            .to_url(base),
        templated: false,
    };
    let empty = total_elements == 0;
    let hal = Hal {
        embedded: HalCustomers {
            customers: records.to_vec(),
        },
        page: HalPage {
            size: PAGE_SIZE,
            total_elements,
            total_pages,
            number: if empty { 0 } else { number },
        },
        links: Links {
            this: Link {
                href: request.to_url(base),
                templated: false,
            },
            first: Some(link(1)),
            last: Some(link(total_pages.max(1))),
            next: (number < total_pages).then(|| link(number + 1)),
            previous: (number > 1 && total_pages >= 1).then(|| link((number - 1).min(total_pages))),
            page: Link {
                href: format!(
                    "{}{PATH}{{?page}}",
                    base.unwrap_or(DEFAULT_BASE).trim_end_matches('/')
                ),
                templated: true,
            },
        },
    };
    // Strings, numbers and raw JSON that was valid on load always serialise.
    serde_json::to_string_pretty(&hal).unwrap_or_default()
}
