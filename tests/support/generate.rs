//! Generators of customer records and customers queries: the reference
//! evaluator's property test (`tests/reference.rs`) and the differential
//! tests of other data sources (`tests/postgres.rs`) draw from the same
//! shapes.
#![allow(dead_code)]

use jiff::civil::{DateTime, date};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value as Json, json};

fn utc(datetime: DateTime) -> Timestamp {
    datetime.to_zoned(TimeZone::UTC).unwrap().timestamp()
}

pub const FIRST_NAMES: &[&str] = &[
    "John",
    "john",
    "JOHN",
    "Johnny",
    "Jo",
    "Zoë",
    "ZOË",
    "Mary Ann",
    "Mary-Ann",
    "ÉMILE",
    "Émile",
    "O'Brien",
    "山田",
    "山田太郎",
    "Straße",
    "İstanbul",
    "istanbul",
    "Jackson",
    "Anne-Marie",
    "Ng",
    "Οδυσσέας",
    "ΟΔΥΣΣΕΑΣ",
    "",
    "  --  ",
];
pub const LAST_NAMES: &[&str] = &[
    "Appleseed",
    "Johnson",
    "Smith",
    "O'Brien",
    "van der Berg",
    "Müller",
    "MÜLLER",
    "STRASSE",
    "Straße",
    "田中",
    "Mary Ann",
    "Zoë",
    "Jackson-Smith",
    "",
];
const LOCAL_PARTS: &[&str] = &[
    "john",
    "j.appleseed",
    "a.b",
    "mary.ann",
    "zoë",
    "o'brien",
    "smith+tag",
    "émile",
    "山田",
];
const DOMAINS: &[&str] = &[
    "appleseed.com",
    "mail.example.co.uk",
    "example.com",
    "gmail.com",
    "straße.de",
    "xn--strae-oqa.de",
    "EXAMPLE.COM",
];
/// Record timestamps on and around the boundaries the queries use.
const INSTANTS: &[&str] = &[
    "2000-10-31T23:59:59Z",
    "2000-11-01T00:00:00Z",
    "2000-11-30T23:59:59Z",
    "2000-12-01T00:00:00Z",
    "2013-11-20T00:00:00Z",
    "2013-12-31T23:59:59Z",
    "2014-01-01T00:00:00Z",
    "2014-12-01T00:00:00Z",
    "2014-12-01T23:59:59Z",
    "2014-12-02T00:00:00Z",
    "2014-12-31T23:59:59Z",
    "2015-01-01T00:00:00Z",
    "2023-06-15T12:00:00Z",
    "2024-05-15T12:00:00Z",
    "2024-06-01T00:00:00Z",
    "2024-06-08T12:00:00Z",
    "2024-06-14T00:00:00Z",
    "2024-06-14T12:00:00Z",
    "2024-06-15T00:00:00Z",
    "2024-06-15T11:00:00Z",
    "2024-06-15T12:00:00Z",
    "2024-06-15T13:00:00Z",
    "2024-12-31T23:59:59Z",
];

/// A JSON field: absent, null, or a value.
fn optional(value: impl Strategy<Value = Json>) -> impl Strategy<Value = Option<Json>> {
    prop_oneof![2 => Just(None), 1 => Just(Some(Json::Null)), 7 => value.prop_map(Some)]
}

fn timestamp() -> impl Strategy<Value = Json> {
    let start = date(2000, 1, 1).at(0, 0, 0, 0);
    prop_oneof![
        3 => select(INSTANTS).prop_map(|s| json!(s)),
        // Anywhere in 2000-2025, to the second.
        1 => (0i64..26 * 366 * 86_400).prop_map(move |secs| {
            let t = utc(start) + Span::new().seconds(secs);
            json!(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        }),
    ]
}

fn email() -> impl Strategy<Value = Json> {
    prop_oneof![
        8 => (select(LOCAL_PARTS), select(DOMAINS))
            .prop_map(|(local, domain)| json!({"type": "work", "value": format!("{local}@{domain}")})),
        1 => Just(json!({"value": "not-an-address.example.com"})),
        1 => Just(json!({"value": "john@appleseed.com@example.com"})),
        1 => Just(json!({"type": "home"})),
        1 => Just(json!({"value": null})),
    ]
}

/// A customer as Help Scout returns it, with the optional parts left out or null.
pub fn record() -> impl Strategy<Value = Json> {
    (
        1i64..100_000,
        optional(select(FIRST_NAMES).prop_map(|s| json!(s))),
        optional(select(LAST_NAMES).prop_map(|s| json!(s))),
        prop::collection::vec(email(), 0..=3),
        0..3u8,
        optional(timestamp()),
        optional(timestamp()),
    )
        .prop_map(|(id, first, last, emails, empty_style, created, updated)| {
            let mut record = Map::new();
            record.insert("id".into(), json!(id));
            let mut put = |key: &str, value: Option<Json>| {
                if let Some(value) = value {
                    record.insert(key.into(), value);
                }
            };
            put("firstName", first);
            put("lastName", last);
            put("createdAt", created);
            put("updatedAt", updated);
            put("photoType", Some(json!("unknown")));
            let embedded = match (emails.is_empty(), empty_style) {
                (false, _) => Some(json!({ "emails": emails, "phones": [] })),
                (true, 0) => None,
                (true, 1) => Some(json!({})),
                (true, _) => Some(json!({ "emails": [] })),
            };
            put("_embedded", embedded);
            Json::Object(record)
        })
}

/// Words a wildcard is cut from, so that patterns often match something.
const WILDCARD_SEEDS: &[&str] = &[
    "john",
    "johnson",
    "jackson",
    "zoë",
    "émile",
    "mary",
    "ann",
    "obrien",
    "o'brien",
    "appleseed.com",
    "example",
    "mail.example.co.uk",
    "straße",
    "istanbul",
    "müller",
    "山田",
    "smith",
    "com",
    "jo",
    "j.appleseed",
    "οδυσσέας",
    "οδυσσεας",
];

/// `Jo*`, `*son`, `?oë`, `J?hn`, `*e*`...: a seed word with characters turned
/// into `?` or `*`, stars inserted, and the case possibly changed.
pub fn wildcard() -> impl Strategy<Value = String> {
    (
        select(WILDCARD_SEEDS),
        prop::collection::vec(0..13u8, 12),
        0..4u8,
    )
        .prop_map(|(seed, ops, case)| {
            let mut out = String::new();
            for (c, op) in seed
                .chars()
                .zip(ops.iter().copied().chain(std::iter::repeat(0)))
            {
                match op {
                    6 => out.push('?'),
                    7 => out.push('*'),
                    8 => {
                        out.push('*');
                        out.push(c);
                    }
                    9 => {}
                    10 => {
                        out.push('?');
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
            if !out.contains(['*', '?']) {
                out.push('*');
            }
            match case {
                0 => out.to_uppercase(),
                1 => {
                    let mut chars = out.chars();
                    chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default()
                }
                _ => out,
            }
        })
}

pub const TERMS: &[&str] = &[
    "john",
    "John",
    "JOHN",
    "johnny",
    "Zoë",
    "ZOË",
    "zoe",
    "mary",
    "Ann",
    "émile",
    "EMILE",
    "ÉMILE",
    "O'Brien",
    "obrien",
    "山田",
    "田中",
    "Straße",
    "STRASSE",
    "strasse",
    "İstanbul",
    "istanbul",
    "ISTANBUL",
    "appleseed",
    "appleseed.com",
    "john@appleseed.com",
    "a.b@mail.example.co.uk",
    "example.co.uk",
    "mail.example.co.uk",
    "example.com",
    "straße.de",
    "müller",
    "Jackson-Smith",
    "smith+tag",
    "2014",
    "van",
    "ΟΔΥΣΣΈΑΣ",
    "οδυσσέας",
];
pub const PHRASES: &[&str] = &[
    "John",
    "Mary Ann",
    "mary ann",
    "Ann Mary",
    "van der Berg",
    "der berg",
    "john@appleseed.com",
    "appleseed.com",
    "a.b@mail.example.co.uk",
    "example.co.uk",
    "zoë@appleseed.com",
    "ÉMILE",
    "山田",
    "--",
    "@",
    "Jackson Smith",
    "O'Brien",
    "smith tag",
    "Anne Marie",
];
/// Dates written where text is expected: searched as their canonical text.
const DATES_AS_TEXT: &[&str] = &["2014-12-01", "2014-12", "NOW"];

pub fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(TERMS).prop_map(str::to_owned),
        3 => select(PHRASES).prop_map(|p| format!("\"{p}\"")),
        4 => wildcard(),
        1 => select(DATES_AS_TEXT).prop_map(str::to_owned),
    ]
}

const FULL_DATES: &[&str] = &[
    "2000-11-01T00:00:00Z",
    "2000-11-30T23:59:59Z",
    "2013-11-20T00:00:00Z",
    "2014-12-01T00:00:00Z",
    "2014-12-31T23:59:59Z",
    "2015-01-01T00:00:00Z",
    "2024-06-14T12:00:00Z",
    "2024-06-15T12:00:00Z",
];
const FULL_DATE_MATH: &[&str] = &[
    "",
    "",
    "",
    "/DAY",
    "/MONTH",
    "/YEAR",
    "+1DAY",
    "-1SECOND",
    "+1MONTH",
    "-1HOUR/DAY",
];
const NOW_MATH: &[&str] = &[
    "",
    "-1DAY",
    "/DAY",
    "-1DAY/DAY",
    "-7DAYS",
    "-1YEAR",
    "/MONTH",
    "-1MONTH",
    "-1HOUR",
    "+1HOUR",
    "-6MONTHS/MONTH",
    "-10YEARS",
    "/YEAR",
    "+0DAYS",
];
const MONTHS: &[&str] = &[
    "2000-11", "2000-12", "2013-11", "2014-12", "2014-01", "2024-06", "2024-05",
];
const DAYS: &[&str] = &[
    "2000-11-30",
    "2013-11-20",
    "2014-12-01",
    "2014-12-31",
    "2024-06-14",
    "2024-06-15",
];
const YEARS: &[&str] = &["2000", "2013", "2014", "2015", "2023", "2024"];

/// A date value: full, with math, NOW, truncated, a bare year, or in quotes.
fn date_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (select(FULL_DATES), select(FULL_DATE_MATH)).prop_map(|(d, m)| format!("{d}{m}")),
        3 => select(NOW_MATH).prop_map(|m| format!("NOW{m}")),
        2 => select(MONTHS).prop_map(str::to_owned),
        2 => select(DAYS).prop_map(str::to_owned),
        2 => select(YEARS).prop_map(str::to_owned),
        1 => prop_oneof![select(FULL_DATES), select(MONTHS), select(DAYS), select(YEARS)]
            .prop_map(|d| format!("\"{d}\"")),
    ]
}

fn date_range() -> impl Strategy<Value = String> {
    let bound = || prop_oneof![1 => Just("*".to_owned()), 4 => date_value()];
    (
        select(&["[", "{"][..]),
        bound(),
        bound(),
        select(&["]", "}"][..]),
    )
        .prop_map(|(open, lo, hi, close)| format!("{open}{lo} TO {hi}{close}"))
}

const TEXT_FIELDS: &[&str] = &["firstName", "lastName", "email", "emailDomain"];
const OPERATORS: &[&str] = &[" AND ", " OR ", " && ", " || ", " "];
const BOOSTS: &[&str] = &["2", "0.5", "3", "0", "10", "1.25"];

/// A leaf: a field clause, a bare value, or a field group.
fn leaf_clause() -> impl Strategy<Value = String> {
    let date_field = || select(&["modifiedAt", "createdAt"][..]);
    let date_or_range = || prop_oneof![date_value(), date_range()];
    prop_oneof![
        6 => (select(TEXT_FIELDS), text_value()).prop_map(|(f, v)| format!("{f}:{v}")),
        1 => (select(TEXT_FIELDS), text_value(), select(BOOSTS))
            .prop_map(|(f, v, b)| format!("{f}:{v}^{b}")),
        5 => (date_field(), date_or_range()).prop_map(|(f, v)| format!("{f}:{v}")),
        1 => date_value().prop_map(|v| format!("modifiedSince:{v}")),
        3 => text_value(),
        // Field groups: the field applies to every value inside.
        2 => (select(TEXT_FIELDS), text_value(), select(OPERATORS), any::<bool>(), text_value())
            .prop_map(|(f, a, op, not, b)| format!("{f}:({a}{op}{}{b})", if not { "NOT " } else { "" })),
        1 => (date_field(), date_or_range(), select(&[" OR ", " AND NOT "][..]), date_or_range())
            .prop_map(|(f, a, op, b)| format!("{f}:({a}{op}{b})")),
    ]
}

/// A whole query: leaves combined with AND, OR, NOT, prefixes and parentheses.
pub fn query() -> impl Strategy<Value = String> {
    leaf_clause().prop_recursive(3, 16, 3, |inner| {
        prop_oneof![
            3 => (inner.clone(), select(OPERATORS), inner.clone()).prop_map(|(a, op, b)| format!("({a}{op}{b})")),
            // No parentheses: precedence decides (NOT > AND > OR).
            1 => prop::collection::vec((inner.clone(), select(OPERATORS)), 2..4).prop_map(|parts| {
                let mut out = String::new();
                for (i, (part, op)) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(op);
                    }
                    out.push_str(part);
                }
                out
            }),
            2 => (select(&["NOT ", "!", "-", "+", "NOT NOT "][..]), inner.clone())
                .prop_map(|(prefix, e)| format!("{prefix}{e}")),
            // Boosts weigh the score, never the match.
            1 => (inner.clone(), select(BOOSTS)).prop_map(|(e, b)| format!("({e})^{b}")),
            1 => inner.prop_map(|e| format!("({e})")),
        ]
    })
}

/// A customer record with id 1 and the given names, work emails and
/// `updatedAt` (also its `createdAt`), for hand-written cases.
pub fn customer(
    first: Option<&str>,
    last: Option<&str>,
    emails: &[&str],
    updated: Option<&str>,
) -> Json {
    let mut record = Map::new();
    record.insert("id".into(), json!(1));
    if let Some(first) = first {
        record.insert("firstName".into(), json!(first));
    }
    if let Some(last) = last {
        record.insert("lastName".into(), json!(last));
    }
    if !emails.is_empty() {
        let emails: Vec<Json> = emails
            .iter()
            .map(|e| json!({"type": "work", "value": e}))
            .collect();
        record.insert("_embedded".into(), json!({ "emails": emails }));
    }
    if let Some(updated) = updated {
        record.insert("updatedAt".into(), json!(updated));
        record.insert("createdAt".into(), json!(updated));
    }
    Json::Object(record)
}
