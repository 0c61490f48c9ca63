//! Date math far in the past and the future (issue 9, item 2): an earlier
//! bound never selects fewer records, whatever the unit, the amount, the
//! rounding, the bracket or the anchor; a bound past every record selects
//! all or nothing, as the true date would. The calendar arithmetic itself
//! is property-tested in `eval::date_math`'s unit tests.
//!
//! The records are made here, spread over the years 0000-9999 with a
//! cluster around the clock's `NOW`, so that bounds near and far both cut
//! through them.

use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{ParseOptions, schema, validate};
use jiff::Timestamp;

/// 400 records spread from the year 0000 to 9999, 100 around 2024.
fn documents() -> Vec<Document> {
    let first: i64 = -62_100_000_000; // 0002-01
    let last: i64 = 253_400_000_000; // 9999-12
    let spread = (0..400).map(|i| first + i * ((last - first) / 399));
    let recent = (0..100).map(|i| 1_600_000_000 + i * 5_000_000); // 2020-2036
    spread
        .chain(recent)
        .map(|seconds| {
            let at = Timestamp::from_second(seconds).unwrap();
            Document::new(Some("Jo"), None, ["jo@x.com"], Some(at), Some(at))
        })
        .collect()
}

fn now() -> Timestamp {
    "2024-01-01T00:00:00Z".parse().unwrap()
}

/// How many of `documents` the query selects.
fn count(documents: &[Document], query: &str) -> usize {
    let typed = validate(query, schema::customers(), &ParseOptions::default())
        .query
        .unwrap_or_else(|| panic!("{query} is invalid"));
    let matcher = Matcher::compile(&typed, now()).unwrap();
    documents.iter().filter(|d| matcher.matches(*d)).count()
}

const UNITS: [&str; 6] = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"];
const AMOUNTS: [u32; 9] = [
    1,
    100,
    8_000,
    10_000,
    20_000,
    3_000_000,
    400_000_000,
    999_999_998,
    999_999_999,
];

#[test]
fn the_reported_query_selects_every_record() {
    let customers = documents();
    let all = customers.len();
    assert_eq!(count(&customers, "modifiedAt:[NOW-20000YEARS TO *]"), all);
    assert_eq!(
        count(&customers, "modifiedAt:[NOW-20000YEARS/YEAR TO *]"),
        all
    );
}

#[test]
fn an_earlier_lower_bound_never_selects_fewer() {
    let customers = documents();
    let all = customers.len();
    for unit in UNITS {
        for rounding in ["", "/YEAR", "/MONTH", "/DAY", "/HOUR", "/MINUTE", "/SECOND"] {
            for bracket in ["[", "{"] {
                let mut previous = 0;
                for amount in AMOUNTS {
                    let query = format!("modifiedAt:{bracket}NOW-{amount}{unit}S{rounding} TO *]");
                    let n = count(&customers, &query);
                    assert!(n >= previous, "{query}: {n} < {previous}");
                    previous = n;
                }
                // 999 999 999 minutes or seconds do not reach the years
                // 0000 and 9999 from 2024; hours and longer do.
                if !matches!(unit, "MINUTE" | "SECOND") {
                    assert_eq!(previous, all, "{unit}{rounding}");
                }
            }
        }
    }
}

#[test]
fn a_later_upper_bound_never_selects_fewer() {
    let customers = documents();
    let all = customers.len();
    for unit in UNITS {
        for rounding in ["", "/YEAR", "/MONTH", "/DAY", "/SECOND"] {
            for bracket in ["]", "}"] {
                let mut previous = 0;
                for amount in AMOUNTS {
                    let query = format!("modifiedAt:[* TO NOW+{amount}{unit}S{rounding}{bracket}");
                    let n = count(&customers, &query);
                    assert!(n >= previous, "{query}: {n} < {previous}");
                    previous = n;
                }
                // 999 999 999 minutes or seconds do not reach the years
                // 0000 and 9999 from 2024; hours and longer do.
                if !matches!(unit, "MINUTE" | "SECOND") {
                    assert_eq!(previous, all, "{unit}{rounding}");
                }
            }
        }
    }
}

#[test]
fn bounds_past_every_record_select_all_or_nothing() {
    let customers = documents();
    let all = customers.len();
    let cases = [
        // Both ends far in the past, or far in the future: nothing.
        ("modifiedAt:[NOW-999999999YEARS TO NOW-20000YEARS]", 0),
        (
            "modifiedAt:[NOW-999999999YEARS/YEAR TO NOW-20000YEARS/DAY}",
            0,
        ),
        ("modifiedAt:[NOW+20000YEARS TO NOW+999999999YEARS]", 0),
        (
            "modifiedAt:{NOW+20000YEARS/YEAR TO NOW+999999999MONTHS/MONTH]",
            0,
        ),
        // One end each way: everything.
        ("modifiedAt:[NOW-999999999YEARS TO NOW+999999999YEARS]", all),
        (
            "modifiedAt:{NOW-999999999HOURS/YEAR TO NOW+999999999DAYS/YEAR}",
            all,
        ),
        (
            "modifiedAt:[NOW-999999999YEARS-999999999YEARS+999999999YEARS TO *]",
            all,
        ),
        // Full dates at the calendar's ends, moved past them.
        (
            "modifiedAt:[0000-01-01T00:00:00Z-20000YEARS/YEAR TO *]",
            all,
        ),
        ("modifiedAt:[0000-01-01T00:00:00Z-1SECOND/MONTH TO *]", all),
        ("modifiedAt:[9999-12-30T22:00:00Z+5DAYS/DAY TO *]", 0),
        ("modifiedAt:[* TO 9999-12-30T22:00:00Z+1YEAR/YEAR]", all),
        ("modifiedAt:[* TO 0000-01-01T00:00:00Z-1YEAR/YEAR]", 0),
        // Truncated dates at the ends of 0000-9999.
        ("modifiedAt:[0000-01 TO 9999-12]", all),
        ("modifiedAt:[0000-01-01 TO 9999-12-31]", all),
        ("modifiedAt:{* TO 0000-01}", 0),
        ("modifiedAt:{9999-12-31 TO *]", 0),
        ("modifiedAt:9999", 1), // the last record, 9999-12-05
        ("modifiedAt:0000", 0),
    ];
    for (query, expected) in cases {
        assert_eq!(count(&customers, query), expected, "{query}");
    }
    // Chains that go far out and come back are exact: nothing saturated.
    for (chain, same) in [
        (
            "modifiedAt:[NOW-20000YEARS+20000YEARS-100YEARS/YEAR TO *]",
            "modifiedAt:[1924-01-01T00:00:00Z TO *]",
        ),
        (
            "modifiedAt:[NOW+30000YEARS-30000YEARS+1DAY TO *]",
            "modifiedAt:[2024-01-02T00:00:00Z TO *]",
        ),
        (
            "modifiedAt:[* TO NOW-9000YEARS/YEAR+11000YEARS}",
            "modifiedAt:[* TO 4024-01-01T00:00:00Z}",
        ),
        (
            "modifiedAt:[NOW-2000YEARS-2000YEARS/MONTH+3000YEARS TO *]",
            "modifiedAt:[1024-01-01T00:00:00Z TO *]",
        ),
    ] {
        let n = count(&customers, chain);
        assert_eq!(n, count(&customers, same), "{chain}");
        assert!(0 < n && n < all, "{chain}: {n}");
    }
}
