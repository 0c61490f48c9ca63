//! The fast path for the one timestamp form customer records use,
//! `yyyy-MM-ddTHH:mm:ssZ` (Help Scout's format): read with a few integer
//! operations instead of jiff's general RFC 3339 parser, which was about 5%
//! of a streamed answer. Anything else (fractions, offsets, lower-case
//! `t`/`z`, leap seconds, a year outside 1..=9998) returns `None` and goes to
//! jiff, which decides; where this path answers, it answers what jiff
//! would (a test compares them over every field's whole range).

use jiff::Timestamp;

use crate::calendar::{utc_fields, utc_seconds};

/// The instant `text` spells in the canonical form, or `None` when it is
/// not in that form (the caller then asks jiff).
pub(super) fn canonical(text: &str) -> Option<Timestamp> {
    Timestamp::from_second(utc_seconds(parts(text.as_bytes())?)).ok()
}

/// Whether `text` is in the canonical form, exactly when [`canonical`]
/// reads it (every instant of years 1 to 9998 is in jiff's range), without
/// computing the instant: for checks that only validate.
pub(super) fn is_canonical(text: &[u8]) -> bool {
    parts(text).is_some()
}

/// Year, month, day, hour, minute and second of a text in the canonical
/// form, each in its range (the day in its month's, the year from 1: jiff
/// decides year 0).
#[inline(always)]
fn parts(text: &[u8]) -> Option<[i64; 6]> {
    utc_fields(text).filter(|&[year, ..]| year >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_in_month;
    use proptest::prelude::*;

    fn jiff(text: &str) -> Option<Timestamp> {
        text.parse().ok()
    }

    #[test]
    fn canonical_timestamps_as_jiff_reads_them() {
        for text in [
            "2024-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "2024-02-29T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "9998-12-31T23:59:59Z",
            "1600-03-01T00:00:00Z",
        ] {
            assert_eq!(canonical(text), jiff(text), "{text}");
            assert!(canonical(text).is_some(), "{text}");
            assert!(is_canonical(text.as_bytes()), "{text}");
        }
        // Not this path's to decide (jiff accepts some, rejects others).
        for text in [
            "1900-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01t00:00:00Z",
            "2024-01-01T00:00:00z",
            "2024-01-01T00:00:00.5Z",
            "2024-01-01T00:00:00+00:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "+002024-01-01T00:00:00Z",
            "2024-1-01T00:00:00Z",
            "２024-01-01T00:00:00Z",
        ] {
            assert_eq!(canonical(text), None, "{text}");
            assert!(!is_canonical(text.as_bytes()), "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// Wherever the fast path answers, jiff answers the same; and over
        /// valid fields it always answers.
        #[test]
        fn the_fast_path_agrees_with_jiff(
            year in 0i64..10_000,
            month in 0i64..14,
            day in 0i64..33,
            hour in 0i64..26,
            minute in 0i64..62,
            second in 0i64..62,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
            prop_assert_eq!(is_canonical(text.as_bytes()), canonical(&text).is_some());
            if let Some(fast) = canonical(&text) {
                prop_assert_eq!(Some(fast), jiff(&text), "{}", text);
            } else {
                let valid = (1..=9998).contains(&year) && (1..=12).contains(&month) && day >= 1
                    && day <= days_in_month(year, month) && hour < 24 && minute < 60 && second < 60;
                prop_assert!(!valid, "{}", text);
            }
        }
    }
}
