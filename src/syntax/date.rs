//! The date grammar (Solr's, as Help Scout uses it), in nom.
//!
//! ```text
//! date       = anchor , { math } ;                       (* followed by a delimiter *)
//! anchor     = "NOW" | full_date | truncated ;
//! full_date  = year "-" MM "-" dd "T" HH ":" mm ":" ss [ "." digit{1,9} ] zone ;
//! zone       = "Z" | ( "+" | "-" ) HH ":" mm ;
//! truncated  = year "-" MM [ "-" dd ] ;                  (* a bare year is a term *)
//! math       = ( "+" | "-" ) digit{1,9} unit | "/" unit ;   (* after NOW or a full date *)
//! unit       = YEAR | MONTH | DAY | DATE | HOUR | MINUTE | SECOND | MILLI | MILLISECOND , [ "S" ] ;  (* any case; lower case warns *)
//! ```
//!
//! [`lex_date`] is called wherever a value may start. It answers "not a date"
//! (the caller lexes a term instead) until the text is unmistakably a date:
//! `NOW` followed by math or a delimiter, `yyyy-MM-ddT`, or a truncated date
//! followed by a delimiter. From then on it is committed, and anything wrong is
//! an error with a precise span instead of a confusing term.
//!
//! Dates are validated here (month 13 is an error) and full dates are converted
//! to UTC, so the tree only ever holds real instants and periods.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_while_m_n},
    character::complete::{char, one_of},
    combinator::{map_res, opt, recognize},
};

use super::ast::{DateAnchor, DateExpr, DateMath, DateUnit, Span, TruncatedDate};
use super::diagnostic::{Error, ErrorKind, Warning, WarningKind};
use crate::calendar::{utc_fields, utc_seconds};

/// What [`lex_date`] found at the start of its input.
pub(crate) enum DateLex {
    /// Not date-shaped: lex a term instead.
    NotADate,
    /// A date of `len` bytes, with the warnings it raised (spans absolute).
    Date {
        date: DateExpr,
        len: usize,
        warnings: Vec<Warning>,
    },
}

/// Whether `c` ends a value: whitespace, a closing bracket, or the end.
pub(crate) fn is_delimiter(c: Option<char>) -> bool {
    match c {
        None => true,
        // `^`: a boost may follow a date (`2014-01^2`).
        Some(c) => crate::text::is_query_space(c) || matches!(c, ')' | ']' | '}' | '^'),
    }
}

type Res<'a, T> = IResult<&'a str, T, ()>;

/// Exactly `n` ASCII digits (at most 9), as a number. Spelled out rather
/// than `map_res(take_while_m_n(..), str::parse)`: every date runs it six
/// times, and this is a third of the cost (BENCHMARKS.md §1).
fn digits<'a>(n: usize) -> impl Parser<&'a str, Output = u32, Error = ()> {
    move |input: &'a str| {
        let Some(head) = input.as_bytes().get(..n) else {
            return Err(nom::Err::Error(()));
        };
        let mut value = 0u32;
        for &b in head {
            if !b.is_ascii_digit() {
                return Err(nom::Err::Error(()));
            }
            value = value * 10 + u32::from(b - b'0');
        }
        Ok((&input[n..], value))
    }
}

/// `year "-" MM`
fn year_month(input: &str) -> Res<'_, (u32, u32)> {
    let (rest, (year, _, month)) = (digits(4), char('-'), digits(2)).parse(input)?;
    Ok((rest, (year, month)))
}

/// `( "+" | "-" ) HH ":" mm`, as signed seconds; `Z` is zero.
fn zone(input: &str) -> Res<'_, Option<i32>> {
    alt((
        char('Z').map(|_| None),
        (one_of("+-"), digits(2), char(':'), digits(2)).map(|(sign, h, _, m)| {
            let seconds = (h * 3600 + m * 60) as i32;
            Some(if sign == '-' { -seconds } else { seconds })
        }),
    ))
    .parse(input)
}

/// `unit`, singular or plural, in any case.
fn unit(input: &str) -> Res<'_, DateUnit> {
    let (rest, unit) = alt((
        tag_no_case("YEAR").map(|_| DateUnit::Year),
        tag_no_case("MONTH").map(|_| DateUnit::Month),
        tag_no_case("DAY").map(|_| DateUnit::Day),
        tag_no_case("DATE").map(|_| DateUnit::Day),
        tag_no_case("HOUR").map(|_| DateUnit::Hour),
        tag_no_case("MINUTE").map(|_| DateUnit::Minute),
        tag_no_case("SECOND").map(|_| DateUnit::Second),
        tag_no_case("MILLISECOND").map(|_| DateUnit::Millisecond),
        tag_no_case("MILLI").map(|_| DateUnit::Millisecond),
    ))
    .parse(input)?;
    let (rest, _) = opt(tag_no_case("S")).parse(rest)?;
    Ok((rest, unit))
}

/// `math`
fn math(input: &str) -> Res<'_, DateMath> {
    // Every step starts with one of three bytes: most dates have no math.
    if !matches!(input.as_bytes().first(), Some(b'/' | b'+' | b'-')) {
        return Err(nom::Err::Error(()));
    }
    alt((
        (char('/'), unit).map(|(_, unit)| DateMath::Round { unit }),
        (
            one_of("+-"),
            map_res(
                take_while_m_n(1, 9, |c: char| c.is_ascii_digit()),
                str::parse,
            ),
            unit,
        )
            .map(|(sign, amount, unit)| {
                if sign == '+' {
                    DateMath::Add { amount, unit }
                } else {
                    DateMath::Sub { amount, unit }
                }
            }),
    ))
    .parse(input)
}

/// Lexes a date at the start of `input`, which sits at byte `offset` of the query.
pub(crate) fn lex_date(input: &str, offset: usize) -> Result<DateLex, Error> {
    let at = |rest: &str| offset + input.len() - rest.len();
    let invalid = |rest: &str, reason: &str| Error {
        kind: ErrorKind::InvalidDate {
            reason: reason.to_owned(),
        },
        span: Span::new(offset, at(rest).max(offset + 1)),
        repeats: None,
    };
    // Every date starts with a digit or `NOW`: most values are rejected here.
    if !matches!(input.as_bytes().first(), Some(b'0'..=b'9' | b'N')) {
        return Ok(DateLex::NotADate);
    }
    let mut warnings = Vec::new();

    let (rest, anchor) = if let Ok((rest, _)) = tag::<_, _, ()>("NOW").parse(input) {
        if !(is_delimiter(rest.chars().next()) || math(rest).is_ok()) {
            return Ok(DateLex::NotADate); // NOWHERE is a word
        }
        (rest, DateAnchor::Now)
    } else if let Ok((rest, (year, month))) = year_month(input) {
        match rest.strip_prefix('-').map(|r| (r, digits(2).parse(r))) {
            // `yyyy-MM-ddT` and no digit after the `T` (`2000-11-29T`,
            // `2000-11-29Tea`): a word that only looks like a date.
            Some((_, Ok((after_day, _))))
                if after_day.starts_with('T')
                    && !after_day[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                return Ok(DateLex::NotADate);
            }
            Some((_, Ok((after_day, day)))) if after_day.starts_with('T') => {
                // Committed: `yyyy-MM-ddT` can only be a timestamp.
                let (rest, timestamp) =
                    full_time(after_day, (year, month, day), offset, input, &mut warnings)?;
                (rest, DateAnchor::Full { timestamp })
            }
            Some((_, Ok((after_day, day)))) => {
                if !is_delimiter(after_day.chars().next()) {
                    return Ok(DateLex::NotADate);
                }
                let date = truncated(year, month, Some(day)).map_err(|r| invalid(after_day, &r))?;
                (after_day, DateAnchor::Truncated(date))
            }
            Some((_, Err(_))) => return Ok(DateLex::NotADate),
            None => {
                if !is_delimiter(rest.chars().next()) {
                    return Ok(DateLex::NotADate);
                }
                let date = truncated(year, month, None).map_err(|r| invalid(rest, &r))?;
                (rest, DateAnchor::Truncated(date))
            }
        }
    } else {
        return Ok(DateLex::NotADate);
    };

    let mut steps = Vec::new();
    let mut rest = rest;
    let math_start = rest;
    if !matches!(anchor, DateAnchor::Truncated(_)) {
        while let Ok((after, step)) = math(rest) {
            steps.push(step);
            rest = after;
        }
    }
    let math_text = &math_start[..math_start.len() - rest.len()];
    if math_text.bytes().any(|b| b.is_ascii_lowercase()) {
        // Solr's date math takes its units in upper case only.
        warnings.push(Warning {
            kind: WarningKind::LowercaseDateUnit,
            span: Span::new(at(math_start), at(rest)),
            repeats: None,
        });
    }
    if !is_delimiter(rest.chars().next()) {
        let end = rest
            .char_indices()
            .find(|&(_, c)| is_delimiter(Some(c)))
            .map_or(rest.len(), |(i, _)| i);
        return Err(Error {
            kind: ErrorKind::InvalidDate {
                reason: format!(
                    "unexpected '{}' after the date; date math is +N UNIT, -N UNIT or /UNIT with UNIT one of YEAR MONTH DAY HOUR MINUTE SECOND MILLI",
                    crate::diagnostic::quoted(&rest[..end])
                ),
            },
            span: Span::new(at(rest), at(rest) + end),
            repeats: None,
        });
    }
    Ok(DateLex::Date {
        date: DateExpr {
            anchor,
            math: steps,
        },
        len: input.len() - rest.len(),
        warnings,
    })
}

/// The common full date, `yyyy-MM-ddTHH:mm:ssZ` followed by a delimiter,
/// read by bytes: the fast path of [`lex_date`], which gives the same date
/// with no warning for this text. `None` for anything else, which
/// [`lex_date`] reads (a fraction, an offset, date math, another
/// delimiter, year 9999, near the end of the range, and every date that
/// is not real, with its error).
pub(crate) fn utc_date(input: &str) -> Option<(DateExpr, usize)> {
    let timestamp = utc_timestamp(input)?;
    let date = DateExpr {
        anchor: DateAnchor::Full { timestamp },
        math: Vec::new(),
    };
    Some((date, 20))
}

/// The instant of [`utc_date`]'s text (always 20 bytes). A timestamp
/// rather than a whole [`DateExpr`], so that a caller builds the tree's
/// node where it stays (BENCHMARKS.md §1, fourth round).
pub(crate) fn utc_timestamp(input: &str) -> Option<jiff::Timestamp> {
    let bytes = input.as_bytes();
    if !matches!(
        bytes.get(20),
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b')' | b']' | b'}' | b'^')
    ) {
        return None;
    }
    // Checked and converted by hand (`calendar::utc_fields`): jiff's checks
    // and conversion took an eighth of query 4's time (BENCHMARKS.md §1,
    // fourth round). The property test `syntax::fast_paths` compares the
    // two on every field's edges.
    let fields = utc_fields(bytes.get(..20)?)?;
    jiff::Timestamp::from_second(utc_seconds(fields)).ok()
}

/// A truncated date, checked against the calendar.
fn truncated(year: u32, month: u32, day: Option<u32>) -> Result<TruncatedDate, String> {
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} does not exist"));
    }
    if let Some(day) = day {
        // Four digits always fit jiff's year range.
        jiff::civil::Date::new(year as i16, month as i8, day as i8)
            .map_err(|_| format!("day {day} does not exist in {year:04}-{month:02}"))?;
    }
    Ok(TruncatedDate {
        year: year as i16,
        month: month as i8,
        day: day.map(|d| d as i8),
    })
}

/// `"T" HH ":" mm ":" ss [ "." digit{1,9} ] zone`, after `yyyy-MM-dd`.
fn full_time<'a>(
    input: &'a str,
    (year, month, day): (u32, u32, u32),
    offset: usize,
    whole: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(&'a str, jiff::Timestamp), Error> {
    let at = |rest: &str| offset + whole.len() - rest.len();
    let fail = |rest: &str, reason: &str| Error {
        kind: ErrorKind::InvalidDate {
            reason: reason.to_owned(),
        },
        span: Span::new(offset, at(rest).max(offset + 1)),
        repeats: None,
    };
    let mut time = (
        char('T'),
        digits(2),
        char(':'),
        digits(2),
        char(':'),
        digits(2),
    );
    let (rest, (_, hour, _, minute, _, second)) = time
        .parse(input)
        .map_err(|_| fail(input, "expected the time as THH:mm:ss after the day"))?;
    let fraction_start = rest;
    let (rest, fraction) = opt(recognize((
        char('.'),
        take_while_m_n(1, 9, |c: char| c.is_ascii_digit()),
    )))
    .parse(rest)
    .map_err(|_: nom::Err<()>| fail(rest, "bad fraction of a second"))?;
    let nanos = match fraction {
        Some(f) => {
            warnings.push(Warning {
                kind: WarningKind::FractionalSeconds,
                span: Span::new(at(fraction_start), at(rest)),
                repeats: None,
            });
            let digits = &f[1..];
            let value: i32 = digits.parse().unwrap_or(0);
            // Solr keeps milliseconds (`Instant::toEpochMilli` floors):
            // `00.0009Z` is `00Z`, `00.1239Z` is `00.123Z`.
            value * 10i32.pow(9 - digits.len() as u32) / 1_000_000 * 1_000_000
        }
        None => 0,
    };
    let zone_start = rest;
    let (rest, zone) = zone(rest).map_err(|_| {
        fail(
            rest,
            "expected 'Z' or an offset such as +05:00 after the time",
        )
    })?;
    if zone.is_some() {
        warnings.push(Warning {
            kind: WarningKind::DateOffset {
                offset: zone_start[..zone_start.len() - rest.len()].to_owned(),
            },
            span: Span::new(at(zone_start), at(rest)),
            repeats: None,
        });
    }
    let datetime = jiff::civil::DateTime::new(
        year as i16,
        month as i8,
        day as i8,
        hour as i8,
        minute as i8,
        second as i8,
        nanos,
    )
    .map_err(|_| {
        fail(
            rest,
            &format!(
                "{} is not a real date and time",
                &whole[..whole.len() - rest.len()]
            ),
        )
    })?;
    let zone_offset = jiff::tz::Offset::from_seconds(zone.unwrap_or(0))
        .map_err(|_| fail(rest, "the offset is out of range"))?;
    let timestamp = zone_offset.to_timestamp(datetime).map_err(|_| {
        fail(
            rest,
            "full dates run from 0000-01-01T00:00:00Z to 9999-12-30T22:00:00Z",
        )
    })?;
    // 0000-01-01T00:00:00Z, in seconds since the epoch (the upper end is
    // jiff's own limit, already enforced above).
    const YEAR_ZERO: i64 = -62_167_219_200;
    if timestamp.as_second() < YEAR_ZERO {
        return Err(fail(
            rest,
            "full dates run from 0000-01-01T00:00:00Z to 9999-12-30T22:00:00Z",
        ));
    }
    Ok((rest, timestamp))
}

/// A quoted full date with an offset other than `Z`
/// (`2014-02-27T23:59:59+02:00`), read as a date: the date and the
/// warnings its lexing gave (`date-offset` among them, spans relative to
/// `text`). `None` for any other text, a date in UTC included.
pub(crate) fn offset_date(text: &str) -> Option<(DateExpr, Vec<Warning>)> {
    // Cheap filter: `yyyy-MM-ddT` and a `+` or `-` after it.
    let bytes = text.as_bytes();
    if bytes.get(10) != Some(&b'T') || !bytes[10..].iter().any(|&b| b == b'+' || b == b'-') {
        return None;
    }
    match lex_date(text, 0) {
        Ok(DateLex::Date {
            date,
            len,
            warnings,
        }) if len == text.len()
            && warnings
                .iter()
                .any(|w| matches!(w.kind, WarningKind::DateOffset { .. })) =>
        {
            Some((date, warnings))
        }
        _ => None,
    }
}

/// Reads the whole of `text` as a date (for dates written in quotes, which
/// the schema reads on date fields). `Ok(None)` when it is not date-shaped at
/// all; errors carry spans relative to `text`.
pub(crate) fn date_from_text(text: &str) -> Result<Option<DateExpr>, Error> {
    match lex_date(text, 0)? {
        DateLex::Date { date, len, .. } if len == text.len() => Ok(Some(date)),
        _ => Ok(None),
    }
}
