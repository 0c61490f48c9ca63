//! The fast path for the one timestamp form customer records use,
//! `yyyy-MM-ddTHH:mm:ssZ` (Help Scout's format): read with a few integer
//! operations instead of jiff's general RFC 3339 parser, which was about 5%
//! of a streamed answer. Anything else (fractions, offsets, lower-case
//! `t`/`z`, leap seconds, a year outside 1..=9998) returns `None` and goes to
//! jiff, which decides; where this path answers, it answers what jiff
//! would (a test compares them over every field's whole range).

use jiff::Timestamp;

use crate::calendar::{days_from_civil, days_in_month};

/// The instant `text` spells in the canonical form, or `None` when it is
/// not in that form (the caller then asks jiff).
pub(super) fn canonical(text: &str) -> Option<Timestamp> {
    let [year, month, day, hour, minute, second] = parts(text.as_bytes())?;
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Timestamp::from_second(seconds).ok()
}

/// Whether `text` is in the canonical form, exactly when [`canonical`]
/// reads it (every instant of years 1 to 9998 is in jiff's range), without
/// computing the instant: for checks that only validate.
pub(super) fn is_canonical(text: &[u8]) -> bool {
    parts(text).is_some()
}

/// Year, month, day, hour, minute and second of a text in the canonical
/// form, each in its range (the day in its month's).
#[inline(always)]
fn parts(text: &[u8]) -> Option<[i64; 6]> {
    let b: &[u8; 20] = text.try_into().ok()?;
    // Each byte XOR what the form has there (`0` for a digit): the
    // separators become 0 and the digits their values, 0 to 9; anything
    // else has a byte over 9, or a separator byte not 0. Eight bytes at a
    // time.
    const FORM: &[u8; 24] = b"0000-00-00T00:00:00Z\0\0\0\0";
    const SEPARATORS: &[u8; 24] = b"\0\0\0\0\xff\0\0\xff\0\0\xff\0\0\xff\0\0\xff\0\0\xff\0\0\0\0";
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0; 8];
        let end = bytes.len().min(at + 8);
        word[..end - at].copy_from_slice(&bytes[at..end]);
        u64::from_le_bytes(word)
    };
    const LOW: u64 = u64::MAX / 255 * 0x0F;
    let mut values = [0u8; 24];
    for at in [0, 8, 16] {
        let x = word(b, at) ^ word(FORM, at);
        let high = x & !LOW;
        if high != 0 || (x + u64::MAX / 255 * 6) & !LOW != 0 || x & word(SEPARATORS, at) != 0 {
            return None;
        }
        values[at..at + 8].copy_from_slice(&x.to_le_bytes());
    }
    let d = |i: usize| i64::from(values[i]);
    let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    let (month, day) = (d(5) * 10 + d(6), d(8) * 10 + d(9));
    let (hour, minute, second) = (d(11) * 10 + d(12), d(14) * 10 + d(15), d(17) * 10 + d(18));
    if !(1..=9998).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    Some([year, month, day, hour, minute, second])
}

#[cfg(test)]
mod tests {
    use super::*;
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
