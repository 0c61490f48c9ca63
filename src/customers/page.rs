//! One page of an answer, whatever the data source, and its HAL+JSON form
//! (SPEC §6): `_embedded.customers` verbatim, the `page` counts, and the
//! `_links` that keep the request's other parameters.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::value::RawValue;

use super::record::Customer;
use super::request::{DEFAULT_BASE, ListCustomers, PATH};

/// Records per page, as Help Scout pages customers.
pub const PAGE_SIZE: usize = 50;

/// One page of the answer. Every driver returns this: records in memory are
/// borrowed, records read from a file or a database are owned.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    /// The records on this page, in order.
    pub customers: Vec<Cow<'a, Customer>>,
    /// How many records matched in all.
    pub total_elements: usize,
    /// How many pages of [`PAGE_SIZE`] that makes.
    pub total_pages: u32,
    /// The page asked for.
    pub number: u32,
}

impl<'a> Page<'a> {
    /// The page `number` holding `customers`, out of `total_elements` matches.
    pub fn new(customers: Vec<Cow<'a, Customer>>, total_elements: usize, number: u32) -> Page<'a> {
        Page {
            customers,
            total_elements,
            total_pages: page_count(total_elements),
            number,
        }
    }

    /// The HAL+JSON response, records verbatim. `base` is the URL base of the
    /// links (default `https://api.helpscout.net`).
    ///
    /// `page` is `{size: 50, totalElements, totalPages, number}`; when nothing
    /// matched, the counts and `number` are zero and `size` stays 50 (as Help
    /// Scout answers, SPEC §6). Links keep the request's other parameters:
    /// `self`, `first` and `last` always (on an empty page both are page 1, the
    /// first page a request can name), `next` and `previous` where those pages
    /// exist (`previous` of a page past the end is the last page), and the
    /// templated `page`.
    pub fn to_hal_json(&self, request: &ListCustomers, base: Option<&str>) -> String {
        let records: Vec<&RawValue> = self.customers.iter().map(|c| c.raw()).collect();
        hal_json(&records, self.total_elements, self.number, request, base)
    }
}

/// The number of pages of [`PAGE_SIZE`] for `total` records.
fn page_count(total: usize) -> u32 {
    u32::try_from(total.div_ceil(PAGE_SIZE)).unwrap_or(u32::MAX)
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

/// The HAL+JSON response for a page of `records` out of `total_elements`.
fn hal_json(
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
