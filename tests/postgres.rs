//! List Customers answered from PostgreSQL (SPEC §9) against the in-memory
//! path (`customers::response::list`): the same HAL page, byte for byte,
//! for every semantic case, every sort order and page, generated queries
//! over generated records, and each trap of the layout by name.
//!
//! Needs a server: `HSQ_TEST_DATABASE_URL` (`.ci/postgres.sh` starts a
//! throwaway one and sets it). Without it these tests fail, unless
//! `HSQ_SKIP_POSTGRES_TESTS=1` says to skip them. Each test works in a
//! schema of its own, so they run in parallel.

use helpscout_query::customers::{Customer, ListCustomers, load};
use helpscout_query::db::{Database, DbError, Initialised, LoadMode, Phase};
use helpscout_query::sql::PagePath;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value as Json, json};

#[path = "support/generate.rs"]
mod generate;
use generate::customer;

mod common;

use common::{encode, list};
#[path = "support/scratch.rs"]
mod scratch;

use scratch::{Scratch, server};

/// The clock of every answer.
fn now() -> jiff::Timestamp {
    "2024-06-15T12:00:00Z".parse().unwrap()
}

fn load_into(db: &mut Database, text: &str) {
    db.load(text.as_bytes(), LoadMode::Replace, &mut |_| {})
        .unwrap_or_else(|e| panic!("load: {e}"));
}

/// The HAL page (or the request errors) from the database.
/// The database's answer, as `hsq customers --db` gives it; each path to
/// the page (`PagePath`) must give the same, whatever the estimate picks.
fn from_db(db: &mut Database, request: &ListCustomers) -> Result<String, DbError> {
    let answer = db
        .answer(request, now())
        .map(|page| page.to_hal_json(request, None));
    for path in [PagePath::WalkFirst, PagePath::SortMatches] {
        let via = db
            .answer_via(request, now(), path)
            .map(|page| page.to_hal_json(request, None));
        assert_eq!(
            format!("{via:?}"),
            format!("{answer:?}"),
            "{path:?} answers otherwise"
        );
    }
    answer
}

/// Asserts that `params` gets the same answer from the database as from
/// memory: the same HAL page byte for byte, or the same request errors.
/// Returns the ids of the page (for tests that also check the answer).
fn same_answer(db: &mut Database, customers: &[Customer], params: &str) -> Vec<Option<i64>> {
    let Ok(parsed) = ListCustomers::from_query_string(params) else {
        return Vec::new();
    };
    let request = parsed.request;
    let expected = list(&request, customers, now());
    let got = from_db(db, &request);
    match (expected, got) {
        (Ok(page), Ok(hal)) => {
            assert_eq!(hal, page.to_hal_json(&request, None), "{params}");
            page.customers.iter().map(|c| c.id()).collect()
        }
        (Err(expected), Err(DbError::Request(got))) => {
            assert_eq!(got, expected, "{params}");
            Vec::new()
        }
        (expected, got) => panic!(
            "{params}: memory answered {:?}, the database {:?}",
            expected.map(|p| p.total_elements),
            got
        ),
    }
}

/// Every sort field and order, on page 1 and 2.
const SORTS: &[&str] = &[
    "",
    "&sortOrder=asc",
    "&sortField=score",
    "&sortField=score&sortOrder=asc",
    "&sortField=firstName&sortOrder=asc",
    "&sortField=firstName&sortOrder=desc",
    "&sortField=lastName&sortOrder=asc",
    "&sortField=lastName&sortOrder=desc",
    "&sortField=modifiedAt&sortOrder=asc",
    "&sortField=modifiedAt&sortOrder=desc",
    "&sortField=createdAt&sortOrder=asc",
];

/// Every query under every sort, pages 1 and 2.
fn every_sort(db: &mut Database, customers: &[Customer], queries: &[&str]) {
    for query in queries {
        for sort in SORTS {
            for page in ["", "&page=2"] {
                let params = if query.is_empty() {
                    format!("x=1{sort}{page}")
                        .replacen("x=1&", "", 1)
                        .replacen("x=1", "", 1)
                } else {
                    format!("query={}{sort}{page}", encode(query))
                };
                same_answer(db, customers, &params);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The semantic cases of tests/customers.rs and tests/reference.rs
// ---------------------------------------------------------------------------

#[path = "support/fixture.rs"]
mod fixture;
use fixture::FIXTURE;

const FIXTURE_QUERIES: &[&str] = &[
    "",
    r#"firstName:"John""#,
    r#"(firstName:"John" OR firstName:"Johnny")"#,
    "firstName:Jo*",
    "firstName:ZOË",
    "lastName:APPLESEED",
    r#"firstName:"mary ann""#,
    r#"firstName:"ann mary""#,
    "lastName:o'brien",
    r#"email:"appleseed.com""#,
    r#"email:"john@appleseed.com""#,
    r#"email:("john@appleseed.com" OR "mary@example.com")"#,
    "emailDomain:gmail.com",
    "john@appleseed.com",
    "appleseed",
    "modifiedAt:[2013-11-20T00:00:00Z TO *]",
    r#"modifiedSince:"2013-11-20T00:00:00Z""#,
    "modifiedAt:{2013-11-20T00:00:00Z TO *]",
    "modifiedAt:2000-11",
    "modifiedAt:[2000-11 TO 2000-11]",
    "modifiedAt:[2000 TO 2000-12-01]",
    "modifiedAt:{2000-11 TO *]",
    "createdAt:2014",
    "modifiedAt:[NOW-1HOUR TO *]",
    "modifiedAt:[NOW-1HOUR/DAY TO NOW]",
    "modifiedAt:[NOW-10MINUTES TO *]",
    "NOT firstName:John",
    "NOT email:appleseed.com",
    "createdAt:[* TO *]",
    "NOT createdAt:[* TO *]",
    r#"firstName:John OR email:"appleseed.com" OR NOT lastName:x"#,
    "firstName:x*",
    "firstName:nobody",
    // Boosts weigh the score (a float8 in SQL), never the match.
    "firstName:john^2 OR lastName:appleseed",
    "(email:appleseed.com OR firstName:johnny)^0.5 OR lastName:appleseed^1.25",
    "(firstName:jo* lastName:appleseed)^3 OR email:gmail.com^0",
    "*:*^2 OR firstName:john^99999999999999999999999999999999999999999999",
    "firstName:*\\N OR firstName:*\\n",
];

const FIXTURE_PARAMS: &[&str] = &[
    "modifiedSince=2013-11-20T00:00:00Z",
    "mailbox=85",
    "mailbox=86&sortField=lastName&sortOrder=asc",
    "mailbox=999",
    "firstName=john",
    "firstName=mary+ann&lastName=O%27Brien",
    "lastName=appleseed&query=email:gmail.com",
    "lastName=appleseed&sortField=score&query=email:gmail.com%20OR%20firstName:john",
    "firstName=--",
    "page=3",
    "page=4294967295",
];

#[test]
fn the_customers_fixture_answers_the_same() {
    let scratch = scratch!("fixture");
    let mut db = scratch.database();
    load_into(&mut db, FIXTURE);
    let customers = load(FIXTURE).unwrap().0;
    every_sort(&mut db, &customers, FIXTURE_QUERIES);
    for params in FIXTURE_PARAMS {
        same_answer(&mut db, &customers, params);
    }
    // Not vacuous: the answers are the documented ones.
    assert_eq!(
        same_answer(&mut db, &customers, "sortField=lastName&sortOrder=asc"),
        [Some(1), Some(2), Some(5), Some(4), Some(3)]
    );
    assert_eq!(
        same_answer(&mut db, &customers, "mailbox=85&sortOrder=asc"),
        [Some(1), Some(4)]
    );
}

#[test]
fn the_mailbox_rule_without_mailbox_data() {
    let scratch = scratch!("mailbox_rule");
    let mut db = scratch.database();
    let text = r#"[{"id": 1, "firstName": "John"}, {"id": 2}]"#;
    load_into(&mut db, text);
    let customers = load(text).unwrap().0;
    same_answer(&mut db, &customers, "mailbox=85");
    let request = ListCustomers::from_query_string("mailbox=85")
        .unwrap()
        .request;
    let Err(DbError::Request(errors)) = db.answer(&request, now()) else {
        panic!("the mailbox rule must reject the request");
    };
    assert_eq!(errors.errors[0].kind.code(), "no-mailbox-data");
}

/// The records and queries of `tests/reference.rs`'s documented agreements.
#[test]
fn the_reference_agreements_answer_the_same() {
    let scratch = scratch!("reference");
    let mut db = scratch.database();
    let mut records = vec![
        customer(
            Some("John"),
            Some("Appleseed"),
            &["john@appleseed.com"],
            Some("2000-11-15T08:00:00Z"),
        ),
        customer(Some("Johnny"), None, &[], Some("2014-12-31T23:59:59Z")),
        customer(None, None, &[], None),
        customer(
            Some("ZOË"),
            Some("Mary Ann"),
            &["a.b@mail.example.co.uk"],
            Some("2015-01-01T00:00:00Z"),
        ),
        customer(
            Some("İstanbul"),
            Some("Straße"),
            &["x@straße.de"],
            Some("2024-06-14T12:00:00Z"),
        ),
        customer(Some("Οδυσσέας"), None, &[], None),
    ];
    for (i, record) in records.iter_mut().enumerate() {
        record["id"] = json!(i + 1);
    }
    let text = Json::Array(records).to_string();
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    let queries = [
        r#"email:"appleseed.com""#,
        r#"email:"appleseed""#,
        "emailDomain:appleseed.com",
        r#"emailDomain:"example.co.uk""#,
        "emailDomain:mail.example.co.uk",
        r#"firstName:"John""#,
        "firstName:John*",
        "firstName:john",
        "NOT email:x",
        "email:x",
        "NOT firstName:John",
        "NOT modifiedAt:[* TO *]",
        "modifiedAt:[* TO *]",
        "modifiedAt:2000-11",
        "modifiedAt:2000-12",
        "modifiedAt:2000-11-15",
        "modifiedAt:2000",
        r#"modifiedAt:"2000-11""#,
        "modifiedAt:{2014 TO *]",
        "modifiedAt:[2014 TO *]",
        "modifiedAt:[* TO 2014]",
        "modifiedAt:[* TO 2014}",
        "modifiedAt:[* TO 2015-01-01T00:00:00Z}",
        "modifiedAt:[* TO 2015-01-01T00:00:00Z]",
        "modifiedAt:2015-01-01T00:00:00Z",
        "modifiedSince:2014-12-31T23:59:59Z",
        "modifiedSince:2015",
        "modifiedAt:NOW-1DAY",
        "modifiedAt:[NOW-1DAY/DAY TO NOW/DAY}",
        "modifiedAt:{NOW-1DAY TO NOW]",
        "firstName:zoë",
        "firstName:?oë",
        "firstName:İSTANBUL",
        "lastName:STRASSE",
        "lastName:straße",
        "firstName:?stanbul",
        "firstName:??stanbul",
        "firstName:ΟΔΥΣ*",
        "firstName:οδυσ*",
        "firstName:ΟΔΥΣΣΈ?Σ",
        "firstName:ΟΔΥΣΣΈΑΣ",
        r#"lastName:"Mary Ann""#,
        r#"lastName:"Ann Mary""#,
        r#"firstName:"--""#,
        r#"NOT firstName:"--""#,
        "appleseed",
        "appleseed.com",
        "ann",
        r#"email:("nobody@x.com" OR "john@appleseed.com")"#,
        "firstName:(john OR jo*)",
        "firstName:(john AND NOT johnny)",
        "modifiedAt:([2014 TO 2015} OR 2000-11)",
        "firstName:John AND lastName:Appleseed AND NOT email:x",
    ];
    every_sort(&mut db, &customers, &queries);
}

// ---------------------------------------------------------------------------
// Sorting and paging
// ---------------------------------------------------------------------------

/// A small deterministic generator (the tests must not depend on a seed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Records made for ties: few distinct names, dates and ids, some missing.
fn tie_records(count: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let names = [
        "John", "john", "JOHN", "Mary Ann", "zoë", "Zoë", "Émile", "Straße", "İlker", "ilker",
        "O'Brien", "Smith",
    ];
    let dates = [
        "2014-01-01T00:00:00Z",
        "2014-01-01T00:00:00.000000001Z",
        "2014-01-01T00:00:00.000001Z",
        "2015-06-01T12:00:00Z",
        "1999-12-31T23:59:59Z",
    ];
    let domains = ["example.com", "gmail.com", "appleseed.com"];
    let mut lines = Vec::new();
    for _ in 0..count {
        let mut record = serde_json::Map::new();
        if rng.next(8) > 0 {
            record.insert("id".into(), json!(rng.next(40) as i64 - 5));
        }
        if rng.next(6) > 0 {
            record.insert("firstName".into(), json!(names[rng.next(names.len())]));
        }
        if rng.next(6) > 0 {
            record.insert("lastName".into(), json!(names[rng.next(names.len())]));
        }
        if rng.next(5) > 0 {
            record.insert("createdAt".into(), json!(dates[rng.next(dates.len())]));
        }
        if rng.next(5) > 0 {
            record.insert("updatedAt".into(), json!(dates[rng.next(dates.len())]));
        }
        if rng.next(3) == 0 {
            record.insert("mailboxIds".into(), json!([rng.next(3), 7]));
        }
        let emails: Vec<Json> = (0..rng.next(3))
            .map(|i| json!({"value": format!("u{i}@{}", domains[rng.next(domains.len())])}))
            .collect();
        record.insert("_embedded".into(), json!({"emails": emails}));
        lines.push(Json::Object(record).to_string());
    }
    lines.join("\n")
}

#[test]
fn every_sort_order_and_page_answers_the_same() {
    let scratch = scratch!("sorting");
    let mut db = scratch.database();
    let text = tie_records(237, 7);
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    let queries = [
        "",
        "query=firstName:j*",
        "query=NOT%20lastName:smith",
        "query=firstName:john%20OR%20lastName:john%20OR%20email:example.com%20OR%20NOT%20email:gmail.com",
        "mailbox=7",
        "mailbox=1&query=createdAt:2014",
    ];
    for query in queries {
        for sort in SORTS {
            for page in 1..=6 {
                let params = format!("{query}{sort}&page={page}");
                let params = params.trim_start_matches('&');
                same_answer(&mut db, &customers, params);
            }
        }
    }
}

/// A filtered request sorted by a date or a name first walks a bounded
/// prefix of the sort order (`sql::WALK_MIN` to `sql::WALK_MAX` rows); the
/// page comes from that walk when it holds the page, from sorting every
/// match otherwise; or it sorts every match at once
/// (`PagePath::SortMatches`, when the planner expects few). `from_db`
/// checks both paths and the one the estimate picks on every request; with
/// more records than the longest walk, the walk both finds its page and
/// misses it: a broad filter on page 1 (a fifth of the records match: the
/// walk finds 50 in a few hundred rows, and the total comes from its own
/// count), a selective one (a few matches in 5 000 rows: the walk finds too
/// few), matches clustered at the end of the order (`lastName:zoë` by last
/// name ascending), and a page too deep for any walk.
#[test]
fn filtered_sorts_answer_the_same_whether_the_walk_finds_the_page_or_not() {
    let scratch = scratch!("walk");
    let mut db = scratch.database();
    let count = usize::try_from(helpscout_query::sql::WALK_MAX).unwrap() + 1_000;
    let text = tie_records(count, 13);
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    let queries = [
        "query=firstName:john",
        "query=NOT%20lastName:smith%20AND%20createdAt:[2014-01-01T00:00:00Z%20TO%20*]",
        "query=firstName:ilker%20AND%20lastName:%22mary%20ann%22%20AND%20createdAt:2015",
        "query=lastName:zo%C3%AB",
        "mailbox=7&query=email:example.com",
    ];
    let sorts = [
        "&sortField=createdAt",
        "&sortField=createdAt&sortOrder=asc",
        "&sortField=modifiedAt",
        "&sortField=firstName&sortOrder=desc",
        "&sortField=lastName&sortOrder=asc",
        "&sortField=lastName&sortOrder=desc",
    ];
    let mut seen = 0;
    for query in queries {
        for sort in sorts {
            for page in [1, 2, 7, 30] {
                let params = format!("{query}{sort}&page={page}");
                seen += same_answer(&mut db, &customers, &params).len();
            }
        }
    }
    assert!(seen > 0, "the pages hold records");
}

// ---------------------------------------------------------------------------
// Generated queries over generated records
// ---------------------------------------------------------------------------

/// The rows of the names projection and the same columns of the search
/// table, in position order.
fn names_and_search(scratch: &Scratch) -> (Vec<String>, Vec<String>) {
    let mut admin = scratch.admin();
    let mut rows = |table: &str| -> Vec<String> {
        admin
            .query(
                &format!(
                    "SELECT format('%s|%s|%s|%s', pos, id, first_name_tokens, last_name_tokens) \
                     FROM {table} ORDER BY pos"
                ),
                &[],
            )
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect()
    };
    (rows("hsq_names"), rows("hsq_search"))
}

#[test]
fn the_names_projection_mirrors_the_search_table_after_every_load() {
    let scratch = scratch!("names");
    let mut db = scratch.database();
    let text = tie_records(300, 5);
    load_into(&mut db, &text);
    let (names, search) = names_and_search(&scratch);
    assert_eq!(names.len(), 300);
    assert_eq!(names, search);
    let update =
        "{\"id\": 3, \"firstName\": \"Replaced\"}\n{\"id\": 100000, \"lastName\": \"New\"}";
    db.load(update.as_bytes(), LoadMode::Upsert, &mut |_| {})
        .unwrap();
    let (names, search) = names_and_search(&scratch);
    assert!(
        names.iter().any(|row| row.contains("replaced")),
        "{names:?}"
    );
    assert_eq!(names, search);
    // A score-sorted search by name reads the projection, and answers as
    // memory does.
    let customers = {
        let all = scratch
            .admin()
            .query("SELECT doc FROM hsq_records ORDER BY pos", &[])
            .unwrap()
            .iter()
            .map(|row| row.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n");
        load(&all).unwrap().0
    };
    for params in [
        "query=firstName:replaced%20OR%20lastName:new&sortField=score",
        "query=firstName:john%20OR%20lastName:smith&sortField=score&sortOrder=asc&page=2",
    ] {
        let request = ListCustomers::from_query_string(params).unwrap().request;
        let sql = helpscout_query::sql::list_customers(&request, now())
            .unwrap()
            .sql;
        assert!(sql.contains("FROM hsq_names s"), "{sql}");
        same_answer(&mut db, &customers, params);
    }
}

/// 20 generated datasets, 150 generated requests each: 3 000 (query,
/// records) pairs, with random sorts, pages and parameters.
#[test]
fn generated_queries_over_generated_records_answer_the_same() {
    let scratch = scratch!("generated");
    let mut db = scratch.database();
    let mut runner = TestRunner::deterministic();
    let mut rng = Lcg(11);
    let (mut pairs, mut matched) = (0, 0);
    for _ in 0..20 {
        let size = 10 + rng.next(110);
        let mut records = proptest::collection::vec(generate::record(), size)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        for record in &mut records {
            // Ties and gaps: duplicate and missing ids, some mailboxes.
            match rng.next(10) {
                0 => {
                    record.as_object_mut().unwrap().remove("id");
                }
                1..=3 => record["id"] = json!(rng.next(5)),
                _ => {}
            }
            if rng.next(4) == 0 {
                record["mailboxIds"] = json!([rng.next(3)]);
            }
        }
        let text = records
            .iter()
            .map(Json::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        load_into(&mut db, &text);
        let customers = load(&text).unwrap().0;
        for _ in 0..150 {
            let query = generate::query().new_tree(&mut runner).unwrap().current();
            let mut params = format!("query={}", encode(&query));
            params.push_str(SORTS[rng.next(SORTS.len())]);
            if rng.next(4) == 0 {
                params.push_str(&format!("&page={}", 1 + rng.next(3)));
            }
            match rng.next(8) {
                0 => params.push_str("&firstName=john"),
                1 => params.push_str("&mailbox=1"),
                2 => params.push_str("&modifiedSince=2014-01-01T00:00:00Z"),
                _ => {}
            }
            if !same_answer(&mut db, &customers, &params).is_empty() {
                matched += 1;
            }
            pairs += 1;
        }
    }
    assert_eq!(pairs, 3000);
    assert!(matched > 300, "only {matched} requests found anything");
}

// ---------------------------------------------------------------------------
// The traps, one test each
// ---------------------------------------------------------------------------

/// Loads `records` (NDJSON) and checks each (query, ids expected in
/// ascending id order) both ways.
fn check_trap(name: &str, records: &[Json], cases: &[(&str, &[i64])]) {
    let scratch = scratch!(name);
    let mut db = scratch.database();
    let customers = load_both(&mut db, records);
    for (query, expected) in cases {
        let params = format!("query={}&sortField=createdAt&sortOrder=asc", encode(query));
        let mut ids: Vec<i64> = same_answer(&mut db, &customers, &params)
            .into_iter()
            .flatten()
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, *expected, "{query}");
        for sort in SORTS {
            same_answer(
                &mut db,
                &customers,
                &format!("query={}{sort}", encode(query)),
            );
        }
    }
}

/// Loads `records` into the database; returns them as memory holds them.
fn load_both(db: &mut Database, records: &[Json]) -> Vec<Customer> {
    let text = records
        .iter()
        .map(Json::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    load_into(db, &text);
    load(&text).unwrap().0
}

fn named(id: i64, first: &str) -> Json {
    json!({"id": id, "firstName": first, "createdAt": "2020-01-01T00:00:00Z"})
}

#[test]
fn trap_like_escapes_backslash_percent_and_underscore() {
    // UAX #29 keeps `_` inside a word: `a_b` is one token, and an unescaped
    // `_` in LIKE would match any character (`axb`). `%` and `\` split words,
    // but must not reach a pattern unescaped either.
    let records = [
        named(1, "a_b"),
        named(2, "axb"),
        named(3, "a%b"),
        named(4, r"a\b"),
        named(5, "a__b"),
        named(6, "ab"),
    ];
    check_trap(
        "like",
        &records,
        &[
            ("firstName:a_b", &[1]),
            (r#"firstName:"a_b""#, &[1]),
            ("firstName:a__b", &[5]),
            (r#"firstName:"a%b""#, &[3, 4]),
            (r#"firstName:"a b""#, &[3, 4]),
            (r"firstName:a\\b", &[3, 4]),
            ("firstName:a*b", &[1, 2, 5, 6]),
            ("firstName:a?b", &[1, 2]),
            // Wildcards that compile to LIKE rather than a regex.
            ("firstName:a_*", &[1, 5]),
            ("firstName:*_b", &[1, 5]),
            ("firstName:*_*", &[1, 5]),
            ("firstName:*%*", &[]),
            (r"firstName:*\\*", &[]),
            ("firstName:*", &[1, 2, 3, 4, 5, 6]),
            ("firstName:b*", &[3, 4]),
            ("firstName:*a", &[3, 4]),
        ],
    );
}

#[test]
fn trap_quotes_and_backslashes_inside_tokens() {
    // UAX #29 keeps `"` between Hebrew letters and `'` between letters: the
    // words sets (array literals) and the patterns must carry them as is.
    let records = [
        named(1, "צה\"ל"),
        named(2, "צה ל"),
        named(3, "o'brien"),
        named(4, "x\\y"),
    ];
    check_trap(
        "quotes",
        &records,
        &[
            (r#"firstName:"צה\"ל""#, &[1]),
            ("firstName:צה*", &[1, 2]),
            ("firstName:o'brien", &[3]),
            (r#"firstName:"x\\y""#, &[4]),
        ],
    );
}

#[test]
fn trap_regex_metacharacters_in_wildcard_literals() {
    let records = [
        named(1, "john"),
        named(2, "j.hn"),
        named(3, "o'brien"),
        named(4, "a.b.c"),
        named(5, "x1"),
    ];
    check_trap(
        "regex",
        &records,
        &[
            ("firstName:j.h*", &[2]),
            ("firstName:j.?n", &[2]),
            ("firstName:o'b*", &[3]),
            ("firstName:a.b.*", &[4]),
            (r"firstName:a\(b*", &[]),
            (r"firstName:x\[1*", &[]),
            (r"firstName:x\{1\}*", &[]),
            (r"firstName:x$*", &[]),
            (r"firstName:\^x*", &[]),
            (r"firstName:x\|y*", &[]),
            (r"firstName:x\+*", &[]),
            (r"firstName:x\\d*", &[]),
            ("firstName:x?", &[5]),
        ],
    );
}

#[test]
fn trap_lower_casing_is_rusts_final_sigma_and_dotted_i() {
    // PostgreSQL's lower() is not Lucene's code-point-by-code-point simple
    // case mapping (`İ` -> `i`, `Σ` -> `σ` everywhere, a written `ς` stays):
    // the crate folds at load time and in the query.
    let records = [
        named(1, "ΟΔΥΣΣΕΑΣ"),
        named(2, "Οδυσσέας"),
        named(3, "İstanbul"),
        named(4, "istanbul"),
        named(5, "ΣΟΦΙΑ"),
    ];
    check_trap(
        "lowercase",
        &records,
        &[
            ("firstName:οδυσσεας", &[]),
            ("firstName:οδυσσεασ", &[1]),
            ("firstName:ΟΔΥΣΣΕΑΣ", &[1]),
            ("firstName:ΟΔΥΣΣΈΑΣ", &[]),
            ("firstName:Οδυσσέας", &[2]),
            ("firstName:ΟΔΥΣ*", &[1, 2]),
            // No sigma folding in wildcards either (as in Lucene).
            ("firstName:*ΑΣ", &[1]),
            ("firstName:*ας", &[2]),
            ("firstName:*Σ", &[1]),
            ("firstName:σοφια", &[5]),
            ("firstName:Σ*", &[5]),
            ("firstName:İSTANBUL", &[3, 4]),
            ("firstName:?stanbul", &[3, 4]),
            ("firstName:??stanbul", &[]),
        ],
    );
}

#[test]
fn trap_missing_fields_under_not() {
    let records = [
        json!({"id": 1, "firstName": "John", "createdAt": "2020-01-01T00:00:00Z", "_embedded": {"emails": [{"value": "j@x.com"}]}}),
        json!({"id": 2}),
        json!({"id": 3, "firstName": null, "createdAt": null, "_embedded": {"emails": []}}),
        json!({"id": 4, "lastName": "Smith", "updatedAt": "2020-01-01T00:00:00Z"}),
    ];
    check_trap(
        "not_null",
        &records,
        &[
            ("NOT firstName:John", &[2, 3, 4]),
            ("NOT email:x.com", &[2, 3, 4]),
            ("NOT createdAt:[* TO *]", &[2, 3, 4]),
            ("NOT createdAt:2020", &[2, 3, 4]),
            ("NOT firstName:j*", &[2, 3, 4]),
            ("NOT (firstName:John OR lastName:Smith)", &[2, 3]),
            ("NOT NOT firstName:John", &[1]),
            ("NOT modifiedAt:[* TO *]", &[1, 2, 3]),
            ("smith OR NOT createdAt:[* TO 2021]", &[2, 3, 4]),
        ],
    );
}

#[test]
fn trap_needle_without_tokens() {
    let records = [named(1, "John"), named(2, "--"), json!({"id": 3})];
    check_trap(
        "no_tokens",
        &records,
        &[
            (r#"firstName:"--""#, &[]),
            // A value with no words is ignored (as Lucene drops it): a query
            // left with nothing matches nothing.
            (r#"NOT firstName:"--""#, &[]),
            (r#"firstName:"." OR firstName:john"#, &[1]),
            (r#""@""#, &[]),
        ],
    );
    let scratch = scratch!("no_tokens_param");
    let mut db = scratch.database();
    let text = "{\"id\":1,\"firstName\":\"--\"}\n{\"id\":2,\"firstName\":\"John\"}";
    load_into(&mut db, text);
    let customers = load(text).unwrap().0;
    assert!(same_answer(&mut db, &customers, "firstName=--").is_empty());
}

#[test]
fn trap_instants_finer_than_a_microsecond() {
    // PostgreSQL's timestamps have microseconds; records and bounds have
    // nanoseconds; Solr keeps milliseconds (floored), and so do both paths.
    let at = |id: i64, t: &str| json!({"id": id, "createdAt": t, "updatedAt": t});
    let records = [
        at(1, "2020-01-01T00:00:00Z"),
        at(2, "2020-01-01T00:00:00.000000001Z"),
        at(3, "2020-01-01T00:00:00.000000999Z"),
        at(4, "2020-01-01T00:00:00.000001Z"),
        at(5, "2019-12-31T23:59:59.999999999Z"),
        at(6, "1969-12-31T23:59:59.999999500Z"),
        at(7, "1969-12-31T23:59:59.999998500Z"),
    ];
    check_trap(
        "nanos",
        &records,
        &[
            ("modifiedAt:2020-01-01T00:00:00Z", &[1, 2, 3, 4]),
            (
                "modifiedAt:[* TO 2020-01-01T00:00:00Z]",
                &[1, 2, 3, 4, 5, 6, 7],
            ),
            ("modifiedAt:{2020-01-01T00:00:00Z TO *]", &[]),
            (
                "modifiedAt:{2019-12-31T23:59:59.998Z TO *]",
                &[1, 2, 3, 4, 5],
            ),
            (
                "modifiedAt:[2020-01-01T00:00:00.000000001Z TO 2020-01-01T00:00:00.000001Z}",
                &[],
            ),
            ("modifiedAt:[1969-12-31T23:59:59.999999Z TO 1970]", &[6, 7]),
            ("createdAt:2020-01-01", &[1, 2, 3, 4]),
        ],
    );
}

#[test]
fn trap_scores_past_float8s_range() {
    // PostgreSQL's float8 multiply raises an error where Rust's gives an
    // infinity or a zero: scores that stay in range answer the same, the
    // others are refused by name (never a database error).
    let big = "300000000000000000000000000000000000000";
    let tiny = format!("0.{}1", "0".repeat(44));
    let records = [
        json!({"id": 1, "firstName": "a", "lastName": "b"}),
        json!({"id": 2, "firstName": "a"}),
        json!({"id": 3, "lastName": "b"}),
        json!({"id": 4, "firstName": "c"}),
    ];
    let in_range = [
        format!("firstName:a^{big} OR lastName:b"),
        format!("((firstName:a)^{big})^{big} OR lastName:b^{tiny}"),
        format!("(firstName:a^{tiny} OR lastName:b^2)^{big}"),
        format!(
            "(((((((((firstName:a)^{big})^{big})^{big})^{big})^{big})^{big})^{big})^{big})^0 OR lastName:b"
        ),
    ];
    let cases: Vec<(&str, &[i64])> = in_range
        .iter()
        .map(|q| (q.as_str(), &[1, 2, 3][..]))
        .collect();
    check_trap("score_range", &records, &cases);
    let scratch = scratch!("score_range_refused");
    let mut db = scratch.database();
    let customers = load_both(&mut db, &records);
    let nested = |boost: &str, depth: usize| {
        let mut query = "firstName:a".to_owned();
        for _ in 0..depth {
            query = format!("({query})^{boost}");
        }
        query
    };
    // 3e38 to the 8th is past the margin, to the 9th past float8;
    // 1e-45 to the 7th is past the margin, to the 8th rounds to zero.
    for query in [
        nested(big, 8),
        nested(big, 9),
        format!("{} OR lastName:b", nested(&tiny, 7)),
        format!("{} OR lastName:b", nested(&tiny, 8)),
    ] {
        let request =
            ListCustomers::from_query_string(&format!("query={}&sortField=score", encode(&query)))
                .unwrap()
                .request;
        assert!(
            list(&request, &customers, now()).is_ok(),
            "memory answers {query}"
        );
        match db.answer(&request, now()) {
            Err(DbError::Request(errors)) => {
                let text = errors.to_string();
                assert!(
                    text.contains("cannot be answered from PostgreSQL yet"),
                    "{text}"
                );
            }
            other => panic!("{query}: {:?}", other.map(|p| p.total_elements)),
        }
    }
}

#[test]
fn trap_bounds_before_postgresqls_earliest_date() {
    // PostgreSQL's timestamps start in 4713 BC; jiff's instants (and the
    // bounds date math saturates to) reach back to -9999.
    let at = |id: i64, t: &str| json!({"id": id, "createdAt": t, "updatedAt": t});
    let records = [
        at(1, "-005000-01-01T00:00:00Z"),
        at(2, "0001-01-01T00:00:00Z"),
        at(3, "2020-01-01T00:00:00Z"),
    ];
    check_trap(
        "early",
        &records,
        &[
            ("createdAt:[* TO NOW-999999999YEARS]", &[]),
            ("createdAt:[NOW-999999999YEARS TO *]", &[1, 2, 3]),
            ("createdAt:[NOW-7000YEARS TO *]", &[2, 3]),
            ("createdAt:[* TO 0000]", &[1]),
            ("createdAt:[* TO NOW+999999999YEARS]", &[1, 2, 3]),
            ("NOT createdAt:[NOW-7000YEARS TO 1000]", &[1, 3]),
        ],
    );
}

// ---------------------------------------------------------------------------
// Init, load, errors
// ---------------------------------------------------------------------------

#[test]
fn init_is_idempotent_and_records_the_layout_version() {
    let scratch = scratch!("init");
    let mut db = Database::connect(&scratch.url).unwrap();
    assert_eq!(db.init().unwrap(), Initialised::Created);
    assert_eq!(db.init().unwrap(), Initialised::AlreadyThere);
    db.check_layout().unwrap();
    scratch
        .admin()
        .batch_execute("UPDATE hsq_layout SET version = 999")
        .unwrap();
    let request = ListCustomers::new();
    assert!(matches!(
        db.answer(&request, now()),
        Err(DbError::LayoutMismatch { found: 999, .. })
    ));
    assert!(matches!(
        db.init(),
        Err(DbError::LayoutMismatch { found: 999, .. })
    ));
    assert!(matches!(
        db.load(&b"{\"id\":1}"[..], LoadMode::Replace, &mut |_| {}),
        Err(DbError::LayoutMismatch { .. })
    ));
}

#[test]
fn missing_tables_say_to_run_init() {
    let scratch = scratch!("missing");
    let mut db = Database::connect(&scratch.url).unwrap();
    let error = db.answer(&ListCustomers::new(), now()).unwrap_err();
    assert!(matches!(error, DbError::TablesMissing), "{error}");
    assert!(error.to_string().contains("hsq db init"), "{error}");
    assert!(matches!(
        db.load(&b"{\"id\":1}"[..], LoadMode::Replace, &mut |_| {}),
        Err(DbError::TablesMissing)
    ));
}

#[test]
fn an_unreachable_server_is_named_as_such() {
    // Port 1 on the loopback: nothing listens there.
    let error = Database::connect("postgresql://hsq:secret-pw@127.0.0.1:1/x").unwrap_err();
    assert!(matches!(error, DbError::Unreachable(_)), "{error}");
    assert!(!error.to_string().contains("secret-pw"));
    let error = Database::connect("postgresql://hsq:secret-pw@127.0.0.1:notaport/x").unwrap_err();
    assert!(matches!(error, DbError::BadUrl(_)), "{error}");
    assert!(!error.to_string().contains("secret-pw"), "{error}");
}

#[test]
fn a_wrong_password_is_an_authentication_failure() {
    let Some(base) = server() else { return };
    let url = base.replacen("://postgres:", "://postgres:wrong-pw-", 1);
    assert_ne!(url, base, "the test URL has a password");
    let error = Database::connect(&url).unwrap_err();
    assert!(matches!(error, DbError::AuthFailed(_)), "{error}");
    assert!(!error.to_string().contains("wrong-pw"), "{error}");
}

#[test]
fn a_malformed_record_names_its_line_and_commits_nothing() {
    let scratch = scratch!("malformed");
    let mut db = scratch.database();
    load_into(&mut db, "{\"id\":1,\"firstName\":\"John\"}");
    let bad = "{\"id\":2}\n\n{\"id\":3}\n{\"id\":\"four\"}\n{\"id\":5}\n";
    let error = db
        .load(bad.as_bytes(), LoadMode::Replace, &mut |_| {})
        .unwrap_err();
    assert!(matches!(error, DbError::Record { line: 4, .. }), "{error}");
    assert!(error.to_string().starts_with("line 4: "), "{error}");
    let error = db
        .load(bad.as_bytes(), LoadMode::Upsert, &mut |_| {})
        .unwrap_err();
    assert!(matches!(error, DbError::Record { line: 4, .. }), "{error}");
    let array = "[\n{\"id\":2},\n{\"id\":3,\n \"firstName\": 7}\n]";
    let error = db
        .load(array.as_bytes(), LoadMode::Replace, &mut |_| {})
        .unwrap_err();
    assert!(matches!(error, DbError::Record { line: 3, .. }), "{error}");
    let broken = "[{\"id\":2},\n{\"id\":3";
    let error = db
        .load(broken.as_bytes(), LoadMode::Replace, &mut |_| {})
        .unwrap_err();
    assert!(matches!(error, DbError::Record { line: 2, .. }), "{error}");
    // The first load is intact.
    let answer = db.answer(&ListCustomers::new(), now()).unwrap();
    assert_eq!(answer.total_elements, 1);
    assert_eq!(
        answer.customers[0].json(),
        "{\"id\":1,\"firstName\":\"John\"}"
    );
}

/// Incompressible text (a letter from a fixed sequence), `n` bytes.
fn letters(n: usize, seed: u64) -> String {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b'a' + ((state >> 33) % 26) as u8)
        })
        .collect()
}

#[test]
fn words_and_names_too_long_for_the_indexes_name_their_line() {
    use helpscout_query::db::MAX_INDEXED_BYTES;
    let scratch = scratch!("too_long");
    let mut db = scratch.database();
    load_into(&mut db, "{\"id\":1,\"firstName\":\"John\"}");
    let long = letters(MAX_INDEXED_BYTES + 1, 3);
    let many_words = format!("{} ", letters(40, 4)).repeat(60);
    let cases = [
        (json!({"id": 2, "firstName": long}), "`firstName`"),
        (json!({"id": 2, "lastName": many_words}), "`lastName`"),
        (
            json!({"id": 2, "_embedded": {"emails": [{"value": format!("{long}@example.com")}]}}),
            "a word of an email address",
        ),
    ];
    for (record, what) in cases {
        let text = format!("{{\"id\":7}}\n{record}\n");
        for mode in [LoadMode::Replace, LoadMode::Upsert] {
            let error = db.load(text.as_bytes(), mode, &mut |_| {}).unwrap_err();
            assert!(matches!(error, DbError::Record { line: 2, .. }), "{error}");
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("line 2: {what} is ")),
                "{message}"
            );
            assert!(message.contains("nothing was loaded"), "{message}");
        }
    }
    // Nothing was committed.
    let answer = db.answer(&ListCustomers::new(), now()).unwrap();
    assert_eq!(answer.total_elements, 1);
    // The longest word and name the indexes take load, and are found.
    let edge = letters(MAX_INDEXED_BYTES, 5);
    let text = format!(
        "{}\n{}",
        json!({"id": 2, "firstName": edge, "lastName": edge}),
        json!({"id": 3, "_embedded": {"emails": [{"value": format!("{edge}@x.io")}]}}),
    );
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    for params in [
        format!("query=firstName:{edge}&sortField=lastName"),
        format!("query=lastName:{edge}%20OR%20email:{edge}&sortField=score"),
    ] {
        assert!(
            !same_answer(&mut db, &customers, &params).is_empty(),
            "{params}"
        );
    }
}

#[test]
fn arrays_hal_pages_and_ndjson_load_the_same() {
    let scratch = scratch!("formats");
    let mut db = scratch.database();
    let customers = load(FIXTURE).unwrap().0;
    let records: Vec<&str> = customers.iter().map(Customer::json).collect();
    let ndjson = format!("\n{}\n", records.join("\r\n"));
    let hal = format!(
        "{{\"page\": {{\"size\": 50}},\n \"_embedded\": {{\"other\": [1], \"customers\": [\n{}\n]}}, \"_links\": {{}}}}",
        records.join(",\n")
    );
    for text in [FIXTURE.to_owned(), ndjson, hal] {
        load_into(&mut db, &text);
        let (reloaded, _) = load(&text).unwrap();
        assert_eq!(reloaded.len(), 5);
        for query in ["", "sortField=lastName&sortOrder=asc", "query=appleseed"] {
            same_answer(&mut db, &customers, query);
        }
    }
    load_into(&mut db, "");
    assert_eq!(
        db.answer(&ListCustomers::new(), now())
            .unwrap()
            .total_elements,
        0
    );
    assert!(matches!(
        db.load(&b"x"[..], LoadMode::Replace, &mut |_| {}),
        Err(DbError::Format(_))
    ));
}

#[test]
fn a_hal_page_with_a_second_embedded_or_customers_is_refused_as_over_files() {
    let scratch = scratch!("hal_duplicates");
    let mut db = scratch.database();
    load_into(&mut db, "{\"id\":1,\"firstName\":\"John\"}");
    let cases = [
        (
            "{\n\"_embedded\":\n{\"customers\":\n[{\"id\":1,\"firstName\":\"Ann\"}],\n\"customers\":[{\"id\":2}]}}",
            "duplicate field `customers`",
            5,
        ),
        (
            "{\"_embedded\": {\"customers\": [{\"id\":1}]},\n \"_embedded\": {\"customers\": [{\"id\":2}]}}",
            "duplicate field `_embedded`",
            2,
        ),
        (
            "{\"_embedded\": {\"customers\": [{\"id\":1}], \"customers\": 5}}",
            "duplicate field `customers`",
            1,
        ),
        (
            "{\"_embedded\": {\"other\": 1}, \"_embedded\": {\"customers\": [{\"id\":2}]}}",
            "duplicate field `_embedded`",
            1,
        ),
    ];
    for (text, message, line) in cases {
        assert!(load(text).is_err(), "the file path takes {text}");
        for mode in [LoadMode::Replace, LoadMode::Upsert] {
            let error = db.load(text.as_bytes(), mode, &mut |_| {}).unwrap_err();
            match &error {
                DbError::Record {
                    line: at,
                    message: got,
                } => {
                    assert_eq!(*at, line, "{text}: {error}");
                    assert!(got.contains(message), "{text}: {error}");
                }
                other => panic!("{text}: {other}"),
            }
        }
    }
    let answer = db.answer(&ListCustomers::new(), now()).unwrap();
    assert_eq!(answer.total_elements, 1);
}

#[test]
fn records_are_kept_verbatim_even_where_postgresqls_json_would_refuse_them() {
    // NUL escapes, lone surrogates, duplicate keys, `1.50`, and nesting far
    // deeper than PostgreSQL's json parser allows: all valid for the file path.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = [
        r#"{"id":1,"x":"\u0000","firstName":"a\u0000b"}"#.to_owned(),
        r#"{"id":2,"y":"\ud800","score":1.50,"score":2}"#.to_owned(),
        format!(r#"{{"id":3,"deep":{deep}}}"#),
    ]
    .join("\n");
    let scratch = scratch!("verbatim");
    let mut db = scratch.database();
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    for sort in SORTS {
        same_answer(&mut db, &customers, sort.trim_start_matches('&'));
    }
}

#[test]
fn upsert_replaces_by_id_and_adds_the_rest() {
    let scratch = scratch!("upsert");
    let mut db = scratch.database();
    let first = tie_records(120, 3)
        .lines()
        .filter(|l| l.contains("\"id\""))
        .collect::<Vec<_>>()
        .join("\n");
    load_into(&mut db, &first);
    let update = [
        json!({"id": 3, "firstName": "Replaced", "createdAt": "2030-01-01T00:00:00Z"}),
        json!({"id": 1000, "firstName": "New"}),
        json!({"id": 3, "firstName": "Replaced twice", "createdAt": "2031-01-01T00:00:00Z"}),
        json!({"id": 5, "lastName": "Five"}),
    ];
    let update_text = update
        .iter()
        .map(Json::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    let loaded = db
        .load(update_text.as_bytes(), LoadMode::Upsert, &mut |_| {})
        .unwrap();
    assert_eq!((loaded.records, loaded.phase), (4, Phase::Done));
    // The same data in memory: the old records without the upserted ids,
    // then the new ones (the last of an id wins), in file order.
    let mut expected: Vec<String> = first
        .lines()
        .filter(|l| {
            let id = serde_json::from_str::<Json>(l).unwrap()["id"].clone();
            id != json!(3) && id != json!(5) && id != json!(1000)
        })
        .map(str::to_owned)
        .collect();
    for record in [&update[1], &update[2], &update[3]] {
        expected.push(record.to_string());
    }
    let customers = load(&expected.join("\n")).unwrap().0;
    for query in ["", "query=firstName:replaced", "mailbox=7"] {
        for sort in SORTS {
            for page in ["", "&page=2", "&page=3"] {
                same_answer(&mut db, &customers, &format!("{query}{sort}{page}"));
            }
        }
    }
    let error = db
        .load(
            &b"{\"id\":1}\n{\"firstName\":\"x\"}"[..],
            LoadMode::Upsert,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(error, DbError::Record { line: 2, .. }), "{error}");
}

#[test]
fn progress_is_reported() {
    let scratch = scratch!("progress");
    let mut db = scratch.database();
    let text = tie_records(20_000, 5);
    let mut phases = Vec::new();
    let done = db
        .load(text.as_bytes(), LoadMode::Replace, &mut |p| phases.push(*p))
        .unwrap();
    assert_eq!(done.records, 20_000);
    assert_eq!(done.bytes, text.len() as u64);
    assert!(
        phases
            .iter()
            .any(|p| p.phase == Phase::Reading && p.records == 8192)
    );
    assert_eq!(phases.last().map(|p| p.phase), Some(Phase::Done));
}

/// Values an attacker controls, in every position a request has one.
const HOSTILE: &[&str] = &[
    "'; DROP TABLE hsq_search; --",
    "\\' OR 1=1 --",
    "$1",
    "$$ OR TRUE $$",
    "%_\\",
    "\u{1f}\u{1e}",
    "a'b\"c",
    "E'\\\\x00'",
    ")) OR ((TRUE",
    "*'*",
];

#[test]
fn hostile_values_reach_the_server_as_values() {
    let scratch = scratch!("hostile");
    let mut db = scratch.database();
    let records: Vec<Json> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| json!({"id": i, "firstName": h, "lastName": h, "_embedded": {"emails": [{"value": format!("{h}@x.com")}]}}))
        .collect();
    let text = records
        .iter()
        .map(Json::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    load_into(&mut db, &text);
    let customers = load(&text).unwrap().0;
    for hostile in HOSTILE {
        let quoted = helpscout_query::quote(hostile);
        let escaped = helpscout_query::escape(hostile);
        for query in [
            format!("firstName:{quoted}"),
            format!("email:{quoted}"),
            quoted.clone(),
            format!("lastName:{escaped}*"),
            format!("NOT lastName:{escaped}"),
        ] {
            for sort in ["", "&sortField=score"] {
                let params = format!(
                    "query={}&firstName={}{sort}",
                    encode(&query),
                    encode(hostile)
                );
                same_answer(&mut db, &customers, &params);
                let params = format!("lastName={}&query={}", encode(hostile), encode(&query));
                same_answer(&mut db, &customers, &params);
            }
        }
    }
    // The tables are still there.
    assert_eq!(
        db.answer(&ListCustomers::new(), now())
            .unwrap()
            .total_elements,
        HOSTILE.len()
    );
}

#[test]
fn readers_see_the_old_data_or_the_new_never_a_mix() {
    let scratch = scratch!("atomic");
    let mut db = scratch.database();
    let old = tie_records(3_000, 21);
    let new = tie_records(5_000, 22);
    load_into(&mut db, &old);
    // One request reads the search table, one the names projection.
    let requests: Vec<ListCustomers> = [
        "query=firstName:john&sortField=lastName",
        "query=firstName:john%20OR%20lastName:smith&sortField=score",
    ]
    .iter()
    .map(|params| ListCustomers::from_query_string(params).unwrap().request)
    .collect();
    for (request, table) in requests.iter().zip(["hsq_search", "hsq_names"]) {
        for path in [PagePath::WalkFirst, PagePath::SortMatches] {
            let sql = helpscout_query::sql::list_customers_via(request, now(), path)
                .unwrap()
                .sql;
            assert!(sql.contains(&format!("FROM {table} s")), "{sql}");
        }
    }
    let expect = |text: &str| -> Vec<String> {
        let customers = load(text).unwrap().0;
        requests
            .iter()
            .map(|request| {
                list(request, &customers, now())
                    .unwrap()
                    .to_hal_json(request, None)
            })
            .collect()
    };
    let (old_pages, new_pages) = (expect(&old), expect(&new));
    for (old_page, new_page) in old_pages.iter().zip(&new_pages) {
        assert_ne!(old_page, new_page);
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let pages = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut reader = Database::connect(&scratch.url).unwrap();
            let mut pages = Vec::new();
            // Each request by each path in turn (one statement each: the
            // answers of two statements may straddle a load).
            let paths = [None, Some(PagePath::WalkFirst), Some(PagePath::SortMatches)];
            let turns = (0..requests.len()).flat_map(|r| paths.iter().map(move |p| (r, p)));
            for (r, path) in turns.cycle() {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let request = &requests[r];
                let page = match path {
                    None => reader.answer(request, now()),
                    Some(path) => reader.answer_via(request, now(), *path),
                };
                pages.push((
                    r,
                    page.expect("a reader never fails")
                        .to_hal_json(request, None),
                ));
            }
            pages
        });
        for text in [&new, &old, &new] {
            load_into(&mut db, text);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap()
    });
    for r in 0..requests.len() {
        let of_r = || pages.iter().filter(|(i, _)| *i == r).map(|(_, p)| p);
        let olds = of_r().filter(|p| **p == old_pages[r]).count();
        let news = of_r().filter(|p| **p == new_pages[r]).count();
        eprintln!("request {r}: {olds} old pages, {news} new pages");
        assert_eq!(
            olds + news,
            of_r().count(),
            "request {r}: a page that is neither the old nor the new"
        );
        assert!(
            olds > 0 && news > 0,
            "request {r}: {olds} old pages, {news} new pages"
        );
    }
}
