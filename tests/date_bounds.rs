//! Date math far in the past and the future (issue 9, item 2): an earlier
//! bound never selects fewer records, whatever the unit, the amount, the
//! rounding, the bracket or the anchor; a bound past every record selects
//! all or nothing, as the true date would.

use helpscout_query::customers::data::load;
use helpscout_query::customers::record::Customer;
use helpscout_query::eval::Matcher;
use helpscout_query::eval::dates::apply_all;
use helpscout_query::syntax::ast::{DateMath, DateUnit};
use helpscout_query::{ParseOptions, schema, validate};
use proptest::prelude::*;

fn customers() -> Vec<Customer> {
    load(include_str!("../data/customers.json")).unwrap().0
}

fn now() -> jiff::Timestamp {
    "2024-01-01T00:00:00Z".parse().unwrap()
}

/// How many of `customers` the query selects.
fn count(customers: &[Customer], query: &str) -> usize {
    let typed = validate(query, schema::customers(), &ParseOptions::default())
        .query
        .unwrap_or_else(|| panic!("{query} is invalid"));
    let matcher = Matcher::compile(&typed, now()).unwrap();
    customers
        .iter()
        .filter(|c| matcher.matches(c.document()))
        .count()
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
    let customers = customers();
    let all = customers.len();
    assert_eq!(count(&customers, "modifiedAt:[NOW-20000YEARS TO *]"), all);
    assert_eq!(
        count(&customers, "modifiedAt:[NOW-20000YEARS/YEAR TO *]"),
        all
    );
}

#[test]
fn an_earlier_lower_bound_never_selects_fewer() {
    let customers = customers();
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
                assert_eq!(previous, all, "{unit}{rounding}");
            }
        }
    }
}

#[test]
fn a_later_upper_bound_never_selects_fewer() {
    let customers = customers();
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
                assert_eq!(previous, all, "{unit}{rounding}");
            }
        }
    }
}

#[test]
fn bounds_past_every_record_select_all_or_nothing() {
    let customers = customers();
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
            "modifiedAt:{NOW-999999999SECONDS/YEAR TO NOW+999999999DAYS/YEAR}",
            all,
        ),
        // Chains that go far out and come back are exact.
        (
            "modifiedAt:[NOW-20000YEARS+20000YEARS-100YEARS/YEAR TO *]",
            all,
        ),
        ("modifiedAt:[NOW+30000YEARS-30000YEARS+1DAY TO *]", 0),
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
        ("modifiedAt:9999", 0),
        ("modifiedAt:0000", 0),
    ];
    for (query, expected) in cases {
        assert_eq!(count(&customers, query), expected, "{query}");
    }
}

fn unit(i: u8) -> DateUnit {
    [
        DateUnit::Year,
        DateUnit::Month,
        DateUnit::Day,
        DateUnit::Hour,
        DateUnit::Minute,
        DateUnit::Second,
    ][usize::from(i % 6)]
}

proptest! {
    /// `t - a UNIT /ROUND` is monotonic in `a`, from ordinary amounts to the
    /// largest the grammar allows, after any prefix of steps.
    #[test]
    fn subtracting_more_is_never_later(
        prefix in prop::collection::vec((0u8..3, 0u32..1_000_000_000, 0u8..6), 0..4),
        a in 0u32..1_000_000_000,
        b in 0u32..1_000_000_000,
        step in 0u8..6,
        round in prop::option::of(0u8..6),
        seconds in -62_000_000_000i64..253_000_000_000i64,
    ) {
        let (a, b) = (a.min(b), a.max(b));
        let t = jiff::Timestamp::from_second(seconds).unwrap();
        let mut math: Vec<DateMath> = prefix
            .into_iter()
            .map(|(kind, amount, u)| match kind {
                0 => DateMath::Add { amount, unit: unit(u) },
                1 => DateMath::Sub { amount, unit: unit(u) },
                _ => DateMath::Round { unit: unit(u) },
            })
            .collect();
        let with = |amount: u32, sign: bool| {
            let mut math = math.clone();
            math.push(if sign {
                DateMath::Sub { amount, unit: unit(step) }
            } else {
                DateMath::Add { amount, unit: unit(step) }
            });
            math.extend(round.map(|u| DateMath::Round { unit: unit(u) }));
            apply_all(t, &math)
        };
        prop_assert!(with(b, true) <= with(a, true));
        prop_assert!(with(b, false) >= with(a, false));
        math.clear();
    }

    /// Rounding and moving by days or smaller units never reorder instants.
    #[test]
    fn later_instants_stay_later(
        x in -62_000_000_000i64..253_000_000_000i64,
        y in -62_000_000_000i64..253_000_000_000i64,
        amount in 0u32..1_000_000_000,
        step in 2u8..6,
        round in 0u8..6,
    ) {
        let (x, y) = (x.min(y), x.max(y));
        let (x, y) = (
            jiff::Timestamp::from_second(x).unwrap(),
            jiff::Timestamp::from_second(y).unwrap(),
        );
        for math in [
            vec![DateMath::Sub { amount, unit: unit(step) }, DateMath::Round { unit: unit(round) }],
            vec![DateMath::Add { amount, unit: unit(step) }, DateMath::Round { unit: unit(round) }],
            vec![DateMath::Round { unit: unit(round) }, DateMath::Sub { amount, unit: unit(step) }],
        ] {
            prop_assert!(apply_all(x, &math) <= apply_all(y, &math), "{math:?}");
        }
    }

    /// Within jiff's range the wide calendar gives jiff's own answers.
    #[test]
    fn agrees_with_jiff_in_range(
        seconds in 0i64..100_000_000_000i64,
        amount in 0u32..3000,
        step in 0u8..6,
        sub in any::<bool>(),
    ) {
        let t = jiff::Timestamp::from_second(seconds).unwrap();
        let amount_i = i64::from(amount) * if sub { -1 } else { 1 };
        let span = match unit(step) {
            DateUnit::Year => jiff::Span::new().years(amount_i),
            DateUnit::Month => jiff::Span::new().months(amount_i),
            DateUnit::Day => jiff::Span::new().days(amount_i),
            DateUnit::Hour => jiff::Span::new().hours(amount_i),
            DateUnit::Minute => jiff::Span::new().minutes(amount_i),
            DateUnit::Second => jiff::Span::new().seconds(amount_i),
        };
        let dt = t.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        let expected = dt.checked_add(span).unwrap().to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp();
        let step = if sub {
            DateMath::Sub { amount, unit: unit(step) }
        } else {
            DateMath::Add { amount, unit: unit(step) }
        };
        prop_assert_eq!(apply_all(t, &[step]), expected);
    }
}

#[test]
fn periods_past_the_calendar_ends_are_before_or_after_everything() {
    use helpscout_query::eval::dates::window;
    use helpscout_query::schema::{DateTest, DateValue};
    use std::ops::Bound;
    let record: jiff::Timestamp = "2020-06-01T00:00:00Z".parse().unwrap();
    let period = |year: i16| DateValue::Period {
        year,
        month: Some(2),
        day: Some(29),
    };
    // Built by hand (the parser only makes years 0-9999): far years still
    // order correctly, and a day that does not exist matches nothing.
    for (year, after_everything) in [
        (-20_000, false),
        (-10_000, false),
        (10_000, true),
        (32_000, true),
    ] {
        let since = DateTest::Range {
            lower: Bound::Included(period(year)),
            upper: Bound::Unbounded,
        };
        let until = DateTest::Range {
            lower: Bound::Unbounded,
            upper: Bound::Included(period(year)),
        };
        let leap = year.rem_euclid(4) == 0 && (year % 100 != 0 || year % 400 == 0);
        if !leap {
            assert!(!window(&DateTest::Within(period(year)), now()).contains(record));
            continue;
        }
        assert_eq!(
            window(&since, now()).contains(record),
            !after_everything,
            "{year}"
        );
        assert_eq!(
            window(&until, now()).contains(record),
            after_everything,
            "{year}"
        );
    }
}
