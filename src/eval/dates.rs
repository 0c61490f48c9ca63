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
//! Date math works on the UTC calendar, as Solr's does, over a range far
//! wider than jiff's (`super::date_math`); only the result is clamped to
//! jiff's ends, which lie outside every record's date, so a far bound
//! (`NOW+999999999YEARS`, `NOW-20000YEARS/YEAR`) selects exactly what the
//! true date would, and an earlier bound never selects fewer records.

use std::ops::Bound;

use jiff::{Timestamp, ToSpan};

use super::date_math::{self, Wide};

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
///
/// Date math runs on a calendar far wider than jiff's (see
/// `eval::date_math`, described in grammar.md) and only the result is clamped to jiff's
/// range, which holds every record: so a bound past either end still
/// selects exactly the records the true date would.
pub fn interval(value: &DateValue, now: Timestamp) -> (Timestamp, Timestamp) {
    match value {
        DateValue::Now { math } => instant(apply_all(now, math)),
        DateValue::Instant { timestamp, math } => instant(apply_all(*timestamp, math)),
        DateValue::Period { year, month, day } => {
            // Periods from the parser are valid dates; a hand-made impossible
            // one (month 13) is an empty window that matches nothing.
            let start = Wide::date(
                i64::from(*year),
                i64::from(month.unwrap_or(1)),
                i64::from(day.unwrap_or(1)),
            );
            let Some(start) = start else {
                return (Timestamp::MAX, Timestamp::MAX);
            };
            let (amount, unit) = match (month, day) {
                (_, Some(_)) => (1, DateUnit::Day),
                (Some(_), None) => (1, DateUnit::Month),
                (None, None) => (1, DateUnit::Year),
            };
            let end = start.shift(amount, unit);
            (start.to_timestamp(), end.to_timestamp())
        }
    }
}

fn instant(t: Timestamp) -> (Timestamp, Timestamp) {
    (t, t.checked_add(1.nanosecond()).unwrap_or(Timestamp::MAX))
}

/// Applies Solr date math left to right. Past jiff's range the result is
/// its first or last instant (before or after every record); in between,
/// nothing saturates, so rounding a far date is exact (`NOW-20000YEARS/YEAR`
/// is before every record, as `NOW-20000YEARS` is).
pub fn apply_all(t: Timestamp, math: &[DateMath]) -> Timestamp {
    date_math::apply_all(t, math)
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
