//! The proleptic Gregorian calendar's arithmetic, for every stage that
//! reads or computes dates without jiff's general code on its hot path:
//! the grammar's full UTC dates (`syntax::date`), Solr date math
//! (`eval::date_math`, over years jiff does not reach) and the records'
//! canonical timestamps (`customers::scan::timestamp`), with the one
//! reader of the form both of those take by bytes, `yyyy-MM-ddTHH:mm:ssZ`
//! ([`utc_fields`]). Plain integer functions, depending on nothing in the
//! crate.

/// Whether `year` is a leap year.
#[inline]
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The days of `month` (1-12) in `year`.
#[inline]
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
#[inline]
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
#[inline]
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Year, month, day, hour, minute and second of `text` when it is exactly
/// `yyyy-MM-ddTHH:mm:ssZ` (20 bytes), each in its range: the day in its
/// month's, no second 60, the year from 0 to 9998 (so that every instant
/// is in jiff's range); `None` for anything else.
#[inline(always)]
pub(crate) fn utc_fields(text: &[u8]) -> Option<[i64; 6]> {
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
    if !(0..=9998).contains(&year)
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

/// Seconds since 1970-01-01T00:00:00Z of the fields [`utc_fields`] read.
#[inline]
pub(crate) fn utc_seconds([year, month, day, hour, minute, second]: [i64; 6]) -> i64 {
    days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
}
