//! The in-memory driver: a request answered over records already loaded.

use std::borrow::Cow;

use jiff::Timestamp;

use super::filter::{Filter, Key, Rank, check_mailbox};
use super::page::{PAGE_SIZE, Page};
use super::record::Customer;
use super::request::{ListCustomers, RequestErrors};

/// Answers `request` over `customers`, with `now` as the clock.
///
/// Fails only for the mailbox rule: `mailbox=N` over data where no record has
/// `mailboxIds` would silently find nothing, so it is an error naming the
/// parameter instead.
pub(crate) fn list<'a>(
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
        .map(|(_, c)| Cow::Borrowed(c))
        .collect();
    Ok(Page::new(customers, total_elements, number))
}
