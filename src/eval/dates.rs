//! Dates against a clock: date math, truncated periods, bounds.
//!
//! Every date value becomes a half-open interval `[start, end)` of instants:
//! a truncated date is its whole period, a full date or `NOW` a single
//! instant (`end` = `start` + 1 ns). Bounds then read uniformly:
//!
//! | bound            | a record's instant `t` passes when |
//! |------------------|------------------------------------|
//! | `[v` inclusive   | `t >= start(v)`                    |
//! | `{v` exclusive   | `t >= end(v)` (after all of `v`)   |
//! | `v]` inclusive   | `t < end(v)`  (up to all of `v`)   |
//! | `v}` exclusive   | `t < start(v)`                     |
//!
//! Date math works on the UTC calendar, as Solr's does. Arithmetic that runs
//! off jiff's range (`NOW+999999999YEARS`) saturates at its ends.

use std::ops::Bound;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::schema::{DateTest, DateValue};
use crate::syntax::ast::{DateMath, DateUnit};

/// The instants a date test accepts: `from <= t < until` (either end open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first instant accepted.
    pub from: Option<Timestamp>,
    /// The first instant past the window.
    pub until: Option<Timestamp>,
}

impl Window {
    /// Whether `t` is inside.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.from.is_none_or(|from| t >= from) && self.until.is_none_or(|until| t < until)
    }
}

/// The window of a date test, with `now` as `NOW`: `2000-11` is all of
/// November 2000.
pub fn window(test: &DateTest, now: Timestamp) -> Window {
    match test {
        DateTest::Within(value) => {
            let (start, end) = interval(value, now);
            Window {
                from: Some(start),
                until: Some(end),
            }
        }
        DateTest::AtOrAfter(value) => Window {
            from: Some(interval(value, now).0),
            until: None,
        },
        DateTest::Range { lower, upper } => Window {
            from: match lower {
                Bound::Included(v) => Some(interval(v, now).0),
                Bound::Excluded(v) => Some(interval(v, now).1),
                Bound::Unbounded => None,
            },
            until: match upper {
                Bound::Included(v) => Some(interval(v, now).1),
                Bound::Excluded(v) => Some(interval(v, now).0),
                Bound::Unbounded => None,
            },
        },
    }
}

/// `[start, end)` of a date value.
pub fn interval(value: &DateValue, now: Timestamp) -> (Timestamp, Timestamp) {
    match value {
        DateValue::Now { math } => instant(apply_all(now, math)),
        DateValue::Instant { timestamp, math } => instant(apply_all(*timestamp, math)),
        DateValue::Period { year, month, day } => {
            // Periods from the parser are valid dates; a hand-made impossible
            // one (month 13) is an empty window that matches nothing.
            let Some(start) = civil(*year, month.unwrap_or(1), day.unwrap_or(1)) else {
                return (Timestamp::MAX, Timestamp::MAX);
            };
            let span = match (month, day) {
                (_, Some(_)) => 1.day(),
                (Some(_), None) => 1.month(),
                (None, None) => 1.year(),
            };
            let end = start.checked_add(span).map_or(Timestamp::MAX, utc);
            (utc(start), end)
        }
    }
}

fn instant(t: Timestamp) -> (Timestamp, Timestamp) {
    (t, t.checked_add(1.nanosecond()).unwrap_or(Timestamp::MAX))
}

fn civil(year: i16, month: i8, day: i8) -> Option<DateTime> {
    jiff::civil::Date::new(year, month, day)
        .ok()
        .map(|date| date.at(0, 0, 0, 0))
}

fn utc(dt: DateTime) -> Timestamp {
    dt.to_zoned(TimeZone::UTC)
        .map_or(Timestamp::MAX, |z| z.timestamp())
}

/// Applies Solr date math left to right.
pub fn apply_all(t: Timestamp, math: &[DateMath]) -> Timestamp {
    math.iter().fold(t, |t, step| apply(t, *step))
}

fn apply(t: Timestamp, step: DateMath) -> Timestamp {
    let dt = t.to_zoned(TimeZone::UTC).datetime();
    let moved = match step {
        DateMath::Add { amount, unit } => shift(dt, i64::from(amount), unit),
        DateMath::Sub { amount, unit } => shift(dt, -i64::from(amount), unit),
        DateMath::Round { unit } => Some(round_down(dt, unit)),
    };
    match moved {
        Some(dt) => utc(dt),
        None if matches!(step, DateMath::Sub { .. }) => Timestamp::MIN,
        None => Timestamp::MAX,
    }
}

fn shift(dt: DateTime, amount: i64, unit: DateUnit) -> Option<DateTime> {
    let span = match unit {
        DateUnit::Year => jiff::Span::new().try_years(amount).ok()?,
        DateUnit::Month => jiff::Span::new().try_months(amount).ok()?,
        DateUnit::Day => jiff::Span::new().try_days(amount).ok()?,
        DateUnit::Hour => jiff::Span::new().try_hours(amount).ok()?,
        DateUnit::Minute => jiff::Span::new().try_minutes(amount).ok()?,
        DateUnit::Second => jiff::Span::new().try_seconds(amount).ok()?,
    };
    dt.checked_add(span).ok()
}

fn round_down(dt: DateTime, unit: DateUnit) -> DateTime {
    let (y, mo, d, h, mi, s) = (
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
    );
    let (mo, d, h, mi, s) = match unit {
        DateUnit::Year => (1, 1, 0, 0, 0),
        DateUnit::Month => (mo, 1, 0, 0, 0),
        DateUnit::Day => (mo, d, 0, 0, 0),
        DateUnit::Hour => (mo, d, h, 0, 0),
        DateUnit::Minute => (mo, d, h, mi, 0),
        DateUnit::Second => (mo, d, h, mi, s),
    };
    jiff::civil::date(y, mo, d).at(h, mi, s, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn date_math_table() {
        let now = ts("2024-03-31T15:45:30Z");
        let cases = [
            (
                vec![DateMath::Sub {
                    amount: 1,
                    unit: DateUnit::Hour,
                }],
                "2024-03-31T14:45:30Z",
            ),
            (
                vec![DateMath::Sub {
                    amount: 7,
                    unit: DateUnit::Day,
                }],
                "2024-03-24T15:45:30Z",
            ),
            (
                vec![DateMath::Round {
                    unit: DateUnit::Day,
                }],
                "2024-03-31T00:00:00Z",
            ),
            (
                vec![DateMath::Round {
                    unit: DateUnit::Year,
                }],
                "2024-01-01T00:00:00Z",
            ),
            (
                vec![DateMath::Sub {
                    amount: 1,
                    unit: DateUnit::Month,
                }],
                "2024-02-29T15:45:30Z",
            ),
            (
                vec![
                    DateMath::Sub {
                        amount: 1,
                        unit: DateUnit::Day,
                    },
                    DateMath::Round {
                        unit: DateUnit::Day,
                    },
                ],
                "2024-03-30T00:00:00Z",
            ),
            (
                vec![DateMath::Add {
                    amount: 30,
                    unit: DateUnit::Second,
                }],
                "2024-03-31T15:46:00Z",
            ),
        ];
        for (math, expected) in cases {
            assert_eq!(apply_all(now, &math), ts(expected), "{math:?}");
        }
        let far = [DateMath::Add {
            amount: 999_999_999,
            unit: DateUnit::Year,
        }];
        assert_eq!(apply_all(now, &far), Timestamp::MAX);
        let far_back = [DateMath::Sub {
            amount: 999_999_999,
            unit: DateUnit::Year,
        }];
        assert_eq!(apply_all(now, &far_back), Timestamp::MIN);
    }

    #[test]
    fn periods_and_bounds() {
        let now = ts("2024-01-01T00:00:00Z");
        let y2014 = DateValue::Period {
            year: 2014,
            month: None,
            day: None,
        };
        let dec1 = DateValue::Period {
            year: 2014,
            month: Some(12),
            day: Some(1),
        };
        // [2014 TO 2014-12-01]: from the start of 2014 to the end of Dec 1.
        let range = DateTest::Range {
            lower: Bound::Included(y2014.clone()),
            upper: Bound::Included(dec1.clone()),
        };
        let w = window(&range, now);
        assert!(w.contains(ts("2014-01-01T00:00:00Z")));
        assert!(w.contains(ts("2014-12-01T23:59:59Z")));
        assert!(!w.contains(ts("2014-12-02T00:00:00Z")));
        assert!(!w.contains(ts("2013-12-31T23:59:59Z")));
        // {2014 TO *]: after all of 2014.
        let after = DateTest::Range {
            lower: Bound::Excluded(y2014.clone()),
            upper: Bound::Unbounded,
        };
        assert!(!window(&after, now).contains(ts("2014-12-31T23:59:59Z")));
        assert!(window(&after, now).contains(ts("2015-01-01T00:00:00Z")));
        // [* TO 2014}: before all of 2014.
        let before = DateTest::Range {
            lower: Bound::Unbounded,
            upper: Bound::Excluded(y2014),
        };
        assert!(window(&before, now).contains(ts("2013-12-31T23:59:59Z")));
        assert!(!window(&before, now).contains(ts("2014-01-01T00:00:00Z")));
    }
}
