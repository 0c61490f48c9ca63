//! Solr date math on a calendar wide enough never to saturate in between.
//!
//! jiff's instants run from the year -9999 to 9999, but date math can go
//! far past that (`NOW-20000YEARS/YEAR`, `NOW+999999999YEARS`). Saturating
//! each step at jiff's ends and then rounding is not monotonic: the
//! saturated minimum rounded down to its year falls off jiff's range, and
//! a failure there once read as the *latest* instant, so an earlier lower
//! bound selected fewer records. Here every step works on a proleptic
//! Gregorian UTC calendar with 64-bit years ([`Wide`]); only the final
//! result is clamped to jiff's range. Records lie between the years 0 and
//! 9999, well inside that range, so the clamp never changes which records
//! a bound selects: a bound before jiff's first instant is before every
//! record, one after its last is after every record.
//!
//! The wide calendar stops at the years ±999,999,999 (java.time's range,
//! which Solr's date math uses; Solr rejects a date past it). A step that
//! would go past stops there instead. Every step is monotonic in its
//! amount (`NOW-nYEARS` only moves earlier as `n` grows), rounding and the
//! clamps are monotonic in the instant, so an earlier bound never selects
//! fewer records, whatever the units and amounts.

use jiff::Timestamp;

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::syntax::ast::{DateMath, DateUnit};

/// The furthest year the calendar reaches, either way.
const YEAR_LIMIT: i64 = 999_999_999;

const SECONDS_PER_DAY: i64 = 86_400;
const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// A UTC date and time with a 64-bit year. Fields compare in order, so the
/// derived ordering is the chronological one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Wide {
    year: i64,
    month: u8,
    day: u8,
    second_of_day: u32,
    nanosecond: u32,
}

impl Wide {
    /// The first instant of the calendar.
    const MIN: Wide = Wide {
        year: -YEAR_LIMIT,
        month: 1,
        day: 1,
        second_of_day: 0,
        nanosecond: 0,
    };

    /// The last instant of the calendar.
    const MAX: Wide = Wide {
        year: YEAR_LIMIT,
        month: 12,
        day: 31,
        second_of_day: (SECONDS_PER_DAY - 1) as u32,
        nanosecond: 999_999_999,
    };

    /// The start of a civil day, or `None` if it does not exist (month 13,
    /// February 30).
    pub(crate) fn date(year: i64, month: i64, day: i64) -> Option<Wide> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then(|| {
            Wide {
                year,
                month: month as u8,
                day: day as u8,
                second_of_day: 0,
                nanosecond: 0,
            }
            .clamped()
        })
    }

    /// The instant `t`.
    pub(crate) fn from_timestamp(t: Timestamp) -> Wide {
        let nanos = t.as_nanosecond();
        let seconds = nanos.div_euclid(NANOS_PER_SECOND) as i64;
        let nanosecond = nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        Wide::from_seconds(seconds, nanosecond)
    }

    /// The nearest instant jiff can hold: `self` when in its range,
    /// otherwise its first or last instant.
    pub(crate) fn to_timestamp(self) -> Timestamp {
        let nanos = i128::from(self.seconds()) * NANOS_PER_SECOND + i128::from(self.nanosecond);
        if nanos <= Timestamp::MIN.as_nanosecond() {
            Timestamp::MIN
        } else if nanos >= Timestamp::MAX.as_nanosecond() {
            Timestamp::MAX
        } else {
            Timestamp::from_nanosecond(nanos).unwrap_or(Timestamp::MAX)
        }
    }

    /// Seconds since the Unix epoch (fits: the years are bounded).
    fn seconds(self) -> i64 {
        days_from_civil(self.year, i64::from(self.month), i64::from(self.day)) * SECONDS_PER_DAY
            + i64::from(self.second_of_day)
    }

    fn from_seconds(seconds: i64, nanosecond: u32) -> Wide {
        let (year, month, day) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
        Wide {
            year,
            month: month as u8,
            day: day as u8,
            second_of_day: seconds.rem_euclid(SECONDS_PER_DAY) as u32,
            nanosecond,
        }
    }

    /// Within the calendar's years.
    fn clamped(self) -> Wide {
        if self.year > YEAR_LIMIT {
            Wide::MAX
        } else if self.year < -YEAR_LIMIT {
            Wide::MIN
        } else {
            self
        }
    }

    /// One step of date math.
    pub(crate) fn apply(self, step: DateMath) -> Wide {
        match step {
            DateMath::Add { amount, unit } => self.shift(i64::from(amount), unit),
            DateMath::Sub { amount, unit } => self.shift(-i64::from(amount), unit),
            DateMath::Round { unit } => self.round_down(unit),
        }
    }

    /// `amount` units later (earlier when negative). Years and months keep
    /// the day of the month, moved back to the month's last day when it has
    /// fewer (Solr's and java.time's rule: January 31 + 1 month is February
    /// 28 or 29).
    pub(crate) fn shift(self, amount: i64, unit: DateUnit) -> Wide {
        let in_seconds = |per: i64| {
            let seconds = self.seconds() + amount * per;
            Wide::from_seconds(seconds, self.nanosecond).clamped()
        };
        match unit {
            DateUnit::Year => self.with_year_month(self.year + amount, i64::from(self.month)),
            DateUnit::Month => {
                let months = self.year * 12 + i64::from(self.month) - 1 + amount;
                self.with_year_month(months.div_euclid(12), months.rem_euclid(12) + 1)
            }
            DateUnit::Day => in_seconds(SECONDS_PER_DAY),
            DateUnit::Hour => in_seconds(3600),
            DateUnit::Minute => in_seconds(60),
            DateUnit::Second => in_seconds(1),
            DateUnit::Millisecond => {
                // In nanoseconds since the epoch, wide enough for any year
                // of the calendar and any amount the grammar allows.
                let nanos = i128::from(self.seconds()) * NANOS_PER_SECOND
                    + i128::from(self.nanosecond)
                    + i128::from(amount) * 1_000_000;
                let seconds = nanos.div_euclid(NANOS_PER_SECOND) as i64;
                let nanosecond = nanos.rem_euclid(NANOS_PER_SECOND) as u32;
                Wide::from_seconds(seconds, nanosecond).clamped()
            }
        }
    }

    fn with_year_month(self, year: i64, month: i64) -> Wide {
        let day = i64::from(self.day).min(days_in_month(year, month));
        Wide {
            year,
            month: month as u8,
            day: day as u8,
            ..self
        }
        .clamped()
    }

    /// Rounded down to the start of its `unit`.
    pub(crate) fn round_down(self, unit: DateUnit) -> Wide {
        let (month, day, second_of_day) = match unit {
            DateUnit::Year => (1, 1, 0),
            DateUnit::Month => (self.month, 1, 0),
            DateUnit::Day => (self.month, self.day, 0),
            DateUnit::Hour => (self.month, self.day, self.second_of_day / 3600 * 3600),
            DateUnit::Minute => (self.month, self.day, self.second_of_day / 60 * 60),
            DateUnit::Second | DateUnit::Millisecond => (self.month, self.day, self.second_of_day),
        };
        let nanosecond = if unit == DateUnit::Millisecond {
            self.nanosecond / 1_000_000 * 1_000_000
        } else {
            0
        };
        Wide {
            year: self.year,
            month,
            day,
            second_of_day,
            nanosecond,
        }
    }
}

/// Applies Solr date math to `t`, left to right, on the wide calendar; the
/// result is clamped to jiff's range only at the end.
pub(crate) fn apply_all(t: Timestamp, math: &[DateMath]) -> Timestamp {
    math.iter()
        .fold(Wide::from_timestamp(t), |wide, step| wide.apply(*step))
        .to_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_calendar_agrees_with_jiff_where_jiff_reaches() {
        for days in (-4_300_000..2_900_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            let date = jiff::civil::Date::new(y as i16, m as i8, d as i8).unwrap();
            let expected = date
                .at(0, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
                .as_second();
            assert_eq!(days * SECONDS_PER_DAY, expected, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn extreme_amounts_stop_at_the_calendar_ends() {
        let now: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let wide = Wide::from_timestamp(now);
        for unit in [
            DateUnit::Year,
            DateUnit::Month,
            DateUnit::Day,
            DateUnit::Hour,
            DateUnit::Minute,
            DateUnit::Second,
            // Not milliseconds: 3000 × u32::MAX of them is some 400 years.
        ] {
            let mut up = wide;
            let mut down = wide;
            for _ in 0..3000 {
                up = up.shift(i64::from(u32::MAX), unit);
                down = down.shift(-i64::from(u32::MAX), unit);
            }
            assert!(up <= Wide::MAX && down >= Wide::MIN);
            assert_eq!(up.to_timestamp(), Timestamp::MAX, "{unit:?}");
            assert_eq!(down.to_timestamp(), Timestamp::MIN, "{unit:?}");
        }
    }

    fn unit(i: u8) -> DateUnit {
        DateUnit::ALL[usize::from(i) % DateUnit::ALL.len()]
    }

    proptest! {
        /// `t - a UNIT /ROUND` is monotonic in `a`, from ordinary amounts to the
        /// largest the grammar allows, after any prefix of steps.
        #[test]
        fn subtracting_more_is_never_later(
            prefix in prop::collection::vec((0u8..3, 0u32..1_000_000_000, 0u8..7), 0..4),
            a in 0u32..1_000_000_000,
            b in 0u32..1_000_000_000,
            step in 0u8..7,
            round in prop::option::of(0u8..7),
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
            round in 0u8..7,
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
            step in 0u8..7,
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
                DateUnit::Millisecond => jiff::Span::new().milliseconds(amount_i),
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
        use crate::eval::dates::window;
        use crate::schema::{DateTest, DateValue};
        use std::ops::Bound;
        let record: jiff::Timestamp = "2020-06-01T00:00:00Z".parse().unwrap();
        let now: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
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
                assert!(!window(&DateTest::Within(period(year)), now).contains(record));
                continue;
            }
            assert_eq!(
                window(&since, now).contains(record),
                !after_everything,
                "{year}"
            );
            assert_eq!(
                window(&until, now).contains(record),
                after_everything,
                "{year}"
            );
        }
    }
}
