//! List Customers over local data (SPEC §5-§6): every documented behaviour,
//! one named test each, on a small fixture.

mod common;

use common::list;
use helpscout_query::customers::Customer;
use helpscout_query::customers::ListCustomers;
use helpscout_query::customers::PAGE_SIZE;
use helpscout_query::customers::load;
use serde_json::Value;

#[path = "support/fixture.rs"]
mod fixture;
use fixture::FIXTURE;

/// The clock every test uses for NOW.
fn now() -> jiff::Timestamp {
    "2024-06-15T12:00:00Z".parse().unwrap()
}

fn fixture() -> Vec<Customer> {
    load(FIXTURE).unwrap().0
}

/// The ids answered for a query string, in order.
fn ids(params: &str) -> Vec<i64> {
    ids_over(params, &fixture())
}

fn ids_over(params: &str, customers: &[Customer]) -> Vec<i64> {
    let request = ListCustomers::from_query_string(params)
        .unwrap_or_else(|e| panic!("{params}: {e}"))
        .request;
    list(&request, customers, now())
        .unwrap()
        .customers
        .iter()
        .map(|c| c.id().unwrap())
        .collect()
}

/// Matching ids sorted ascending, for filter-only assertions.
fn matching(query: &str) -> Vec<i64> {
    let mut ids = ids(&format!(
        "query={}&sortField=createdAt",
        common::encode(query)
    ));
    ids.sort_unstable();
    ids
}

#[test]
fn first_name_john_does_not_match_johnny() {
    assert_eq!(matching(r#"firstName:"John""#), [1]);
    assert_eq!(
        matching(r#"(firstName:"John" OR firstName:"Johnny")"#),
        [1, 2]
    );
    assert_eq!(matching("firstName:Jo*"), [1, 2]);
}

#[test]
fn text_is_case_insensitive_and_unicode_aware() {
    assert_eq!(matching("firstName:ZOË"), [3]);
    assert_eq!(matching("lastName:APPLESEED"), [1, 2]);
    assert_eq!(matching(r#"firstName:"mary ann""#), [5]);
    assert_eq!(
        matching(r#"firstName:"ann mary""#),
        Vec::<i64>::new(),
        "phrases keep word order"
    );
    assert_eq!(matching("lastName:o'brien"), [5]);
}

#[test]
fn an_email_containing_a_domain() {
    assert_eq!(
        matching(r#"email:"appleseed.com""#),
        [1, 2],
        "any of several emails"
    );
    assert_eq!(matching(r#"email:"john@appleseed.com""#), [1]);
    assert_eq!(
        matching(r#"email:("john@appleseed.com" OR "mary@example.com")"#),
        [1, 5]
    );
    assert_eq!(matching("emailDomain:gmail.com"), [2]);
    assert_eq!(
        matching("john@appleseed.com"),
        [1],
        "a bare value searches the emails too"
    );
    assert_eq!(matching("appleseed"), [1, 2], "and the names");
}

#[test]
fn modified_since_a_date() {
    let since = [1, 3, 5];
    assert_eq!(matching("modifiedAt:[2013-11-20T00:00:00Z TO *]"), since);
    assert_eq!(matching(r#"modifiedSince:"2013-11-20T00:00:00Z""#), since);
    let mut by_parameter = ids("modifiedSince=2013-11-20T00:00:00Z");
    by_parameter.sort_unstable();
    assert_eq!(by_parameter, since);
    assert_eq!(
        matching("modifiedAt:{2013-11-20T00:00:00Z TO *]"),
        [1, 3],
        "exclusive bound"
    );
}

#[test]
fn a_month_is_a_whole_period() {
    assert_eq!(matching("modifiedAt:2000-11"), [2]);
    assert_eq!(matching("modifiedAt:[2000-11 TO 2000-11]"), [2]);
    assert_eq!(
        matching("modifiedAt:[2000 TO 2000-12-01]"),
        [2, 4],
        "an upper day bound includes the whole day"
    );
    assert_eq!(
        matching("modifiedAt:{2000-11 TO *]"),
        [1, 3, 4, 5],
        "an exclusive month excludes all of it"
    );
    assert_eq!(matching("createdAt:2014"), [2, 3]);
}

#[test]
fn now_minus_one_hour_with_a_fixed_clock() {
    assert_eq!(matching("modifiedAt:[NOW-1HOUR TO *]"), [3]);
    assert_eq!(matching("modifiedAt:[NOW-1HOUR/DAY TO NOW]"), [3]);
    assert_eq!(
        matching("modifiedAt:[NOW-10MINUTES TO *]"),
        Vec::<i64>::new()
    );
}

#[test]
fn not_matches_records_missing_the_field() {
    assert_eq!(matching("NOT firstName:John"), [2, 3, 4, 5]);
    assert_eq!(
        matching("NOT email:appleseed.com"),
        [3, 4, 5],
        "no emails at all"
    );
    assert_eq!(
        matching("createdAt:[* TO *]"),
        [1, 2, 3, 5],
        "a missing date never matches"
    );
    assert_eq!(matching("NOT createdAt:[* TO *]"), [4]);
}

#[test]
fn mailbox_filtering() {
    let mut by_mailbox = ids("mailbox=85");
    by_mailbox.sort_unstable();
    assert_eq!(by_mailbox, [1, 4]);
    assert_eq!(ids("mailbox=999"), Vec::<i64>::new());
    let without: Vec<Customer> = fixture()
        .into_iter()
        .filter(|c| c.mailbox_ids().is_none())
        .collect();
    let request = ListCustomers::from_query_string("mailbox=85")
        .unwrap()
        .request;
    let errors = list(&request, &without, now()).unwrap_err();
    assert_eq!(
        (
            errors.errors[0].parameter.as_str(),
            errors.errors[0].kind.code().as_str()
        ),
        ("mailbox", "no-mailbox-data")
    );
}

#[test]
fn sorting_with_ties_and_missing_values() {
    // createdAt desc by default; 2 and 3 tie (so ids desc too), 4 has none (last).
    assert_eq!(ids(""), [3, 2, 1, 5, 4]);
    assert_eq!(ids("sortOrder=asc"), [5, 1, 2, 3, 4]);
    // Names compare case-insensitively: "appleseed" ties "Appleseed".
    assert_eq!(ids("sortField=lastName&sortOrder=asc"), [1, 2, 5, 4, 3]);
    assert_eq!(ids("sortField=lastName&sortOrder=desc"), [4, 5, 2, 1, 3]);
    assert_eq!(ids("sortField=firstName&sortOrder=asc"), [1, 2, 5, 3, 4]);
    assert_eq!(ids("sortField=modifiedAt"), [3, 1, 5, 4, 2]);
}

#[test]
fn score_counts_satisfied_clauses_outside_not() {
    // 1 satisfies both clauses, 2 only the email one; ties break on id.
    let query = common::encode(r#"firstName:John OR email:"appleseed.com" OR NOT lastName:x"#);
    assert_eq!(
        ids(&format!("query={query}&sortField=score")),
        [1, 2, 5, 4, 3]
    );
    assert_eq!(
        ids(&format!("query={query}&sortField=score&sortOrder=asc")),
        [3, 4, 5, 2, 1]
    );
}

#[test]
fn boosts_weigh_the_score_not_the_match() {
    // 5 counts 3, 1 counts 0.5 + 1, 2 counts 1: without the boosts 1 would
    // lead with 2 clauses.
    let query = common::encode("firstName:mary^3 OR firstName:john^0.5 OR lastName:appleseed");
    assert_eq!(ids(&format!("query={query}&sortField=score")), [5, 1, 2]);
    let plain = common::encode("firstName:mary OR firstName:john OR lastName:appleseed");
    assert_eq!(ids(&format!("query={plain}&sortField=score")), [1, 5, 2]);
    // A zero boost counts nothing; ties break on id as ever.
    let zero = common::encode("(firstName:mary OR lastName:appleseed)^0 OR firstName:john");
    assert_eq!(ids(&format!("query={zero}&sortField=score")), [1, 5, 2]);
    assert_eq!(
        ids(&format!("query={zero}")),
        ids(&format!("query={plain}"))
    );
}

#[test]
fn first_and_last_name_parameters_match_like_query_fields() {
    assert_eq!(ids("firstName=john"), [1]);
    assert_eq!(ids("firstName=mary+ann&lastName=O%27Brien"), [5]);
    assert_eq!(ids("lastName=appleseed&query=email:gmail.com"), [2]);
}

/// `n` customers with ids 1..=n.
fn many(n: i64) -> Vec<Customer> {
    (1..=n)
        .map(|id| {
            Customer::from_json(&format!(
                r#"{{"id":{id},"createdAt":"2020-01-01T00:00:00Z"}}"#
            ))
            .unwrap()
        })
        .collect()
}

fn page_of(params: &str, customers: &[Customer]) -> Value {
    let request = ListCustomers::from_query_string(params).unwrap().request;
    let page = list(&request, customers, now()).unwrap();
    serde_json::from_str(&page.to_hal_json(&request, None)).unwrap()
}

#[test]
fn paging_at_the_edges() {
    let hundred_and_one = many(101);
    let first = page_of("sortOrder=asc", &hundred_and_one);
    assert_eq!(
        first["page"],
        serde_json::json!({"size": 50, "totalElements": 101, "totalPages": 3, "number": 1})
    );
    assert_eq!(
        first["_embedded"]["customers"].as_array().unwrap().len(),
        PAGE_SIZE
    );
    assert!(first["_links"].get("previous").is_none());
    assert!(
        first["_links"]["next"]["href"]
            .as_str()
            .unwrap()
            .contains("page=2&sortOrder=asc")
    );

    let last = page_of("sortOrder=asc&page=3", &hundred_and_one);
    assert_eq!(last["_embedded"]["customers"][0]["id"], 101);
    assert!(last["_links"].get("next").is_none());
    assert!(
        last["_links"]["previous"]["href"]
            .as_str()
            .unwrap()
            .contains("page=2")
    );
    assert!(
        last["_links"]["last"]["href"]
            .as_str()
            .unwrap()
            .contains("page=3")
    );

    let past = page_of("page=9", &hundred_and_one);
    assert_eq!(past["_embedded"]["customers"], serde_json::json!([]));
    assert_eq!(past["page"]["number"], 9);
    assert!(past["_links"].get("next").is_none());

    let exactly_fifty = page_of("", &many(50));
    assert_eq!(exactly_fifty["page"]["totalPages"], 1);
    assert!(exactly_fifty["_links"].get("next").is_none());

    let nothing = page_of("query=firstName:nobody", &hundred_and_one);
    assert_eq!(
        nothing["page"],
        serde_json::json!({"size": 50, "totalElements": 0, "totalPages": 0, "number": 0})
    );
    assert_eq!(nothing["_embedded"]["customers"], serde_json::json!([]));
    // self, first and last are there on an empty page too (SPEC §6).
    assert!(nothing["_links"]["self"]["href"].is_string());
    for link in ["first", "last"] {
        let href = nothing["_links"][link]["href"].as_str().unwrap();
        assert!(href.contains("page=1"), "{link}: {href}");
    }
    assert!(nothing["_links"].get("next").is_none());
    assert!(nothing["_links"].get("previous").is_none());
    assert_eq!(
        nothing["_links"]["page"],
        serde_json::json!({"href": "https://api.helpscout.net/v2/customers{?page}", "templated": true})
    );
}

#[test]
fn links_keep_the_other_parameters() {
    let page = page_of("query=firstName:x*&sortField=firstName&page=1", &many(3));
    let this = page["_links"]["self"]["href"].as_str().unwrap();
    assert_eq!(
        this,
        "https://api.helpscout.net/v2/customers?page=1&sortField=firstName&query=%28firstName%3Ax%2A%29"
    );
}

#[test]
fn output_is_lossless() {
    let customers = fixture();
    let request = ListCustomers::new();
    let page = list(&request, &customers, now()).unwrap();
    let body: Value = serde_json::from_str(&page.to_hal_json(&request, None)).unwrap();
    let originals: Vec<Value> = serde_json::from_str(FIXTURE).unwrap();
    for returned in body["_embedded"]["customers"].as_array().unwrap() {
        let original = originals
            .iter()
            .find(|o| o["id"] == returned["id"])
            .unwrap();
        assert_eq!(returned, original, "every field, unknown ones included");
    }
    // And byte for byte: the record text is embedded as given.
    let text = page.to_hal_json(&request, None);
    assert!(
        text.contains(r#""score": 1.50"#),
        "1.50 is not rewritten as 1.5"
    );
}

#[test]
fn the_error_body_for_an_invalid_request() {
    let raw = "page=0&sortField=name&query=firstName%3D%22John%22";
    let errors = ListCustomers::from_query_string(raw).unwrap_err();
    let body: Value = serde_json::from_str(
        &helpscout_query::customers::error_body::ErrorBody::new(&errors, raw).to_json(),
    )
    .unwrap();
    let paths: Vec<&str> = body["_embedded"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["page", "sortField", "query"]);
    assert_eq!(
        body["_embedded"]["errors"][2]["rejectedValue"],
        "firstName=\"John\""
    );
}
