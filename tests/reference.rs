//! A reference evaluator, written for obviousness rather than speed, and a
//! property that the real evaluator (`helpscout_query::eval`) agrees with it
//! on random queries and random customer records (SPEC §5, §6 `score`).
//!
//! The reference shares nothing with `src/eval` and `src/schema` (only the
//! parser, the front end both read): it walks the *syntax tree* (field groups
//! and all) and reads records as plain `serde_json::Value`s. Text is
//! tokenised with UAX #29 words and lower-cased; wildcards are matched by a
//! backtracking glob over chars; dates are resolved with jiff on the UTC
//! calendar and compared with the bound rules written out case by case
//! (instants and periods apart), not with the real evaluator's half-open
//! windows. `NOW` is a fixed clock, [`NOW`], in both.

use helpscout_query::customers::Customer;
use helpscout_query::eval::Matcher;
use helpscout_query::syntax::ast::{
    Bound, ClauseValue, DateAnchor, DateExpr, DateMath, DateUnit, Expr, ExprKind, Value, ValueKind,
    WildcardPart,
};
use helpscout_query::{ParseOptions, Query, schema, validate};
use jiff::civil::{DateTime, date};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use proptest::prelude::*;
use serde_json::Value as Json;
use unicode_segmentation::UnicodeSegmentation;

/// The clock both evaluators use for `NOW`.
const NOW: &str = "2024-06-15T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

// ---------------------------------------------------------------------------
// The reference evaluator
// ---------------------------------------------------------------------------

/// A record's searchable fields, read straight from its JSON.
#[derive(Debug)]
struct Record {
    first_name: Option<String>,
    last_name: Option<String>,
    emails: Vec<String>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

impl Record {
    fn from_json(json: &Json) -> Record {
        let text = |key: &str| json.get(key).and_then(Json::as_str).map(str::to_owned);
        let time = |key: &str| {
            json.get(key)
                .and_then(Json::as_str)
                .map(|s| s.parse().unwrap())
        };
        let emails = json
            .pointer("/_embedded/emails")
            .and_then(Json::as_array)
            .map(|emails| {
                emails
                    .iter()
                    .filter_map(|e| e.get("value").and_then(Json::as_str).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Record {
            first_name: text("firstName"),
            last_name: text("lastName"),
            emails,
            created_at: time("createdAt"),
            updated_at: time("updatedAt"),
        }
    }
}

/// The customers schema's fields, as the reference understands them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    FirstName,
    LastName,
    Email,
    EmailDomain,
    ModifiedAt,
    CreatedAt,
    ModifiedSince,
}

impl Field {
    fn named(name: &str) -> Field {
        match name {
            "firstName" => Field::FirstName,
            "lastName" => Field::LastName,
            "email" => Field::Email,
            "emailDomain" => Field::EmailDomain,
            "modifiedAt" => Field::ModifiedAt,
            "createdAt" => Field::CreatedAt,
            "modifiedSince" => Field::ModifiedSince,
            other => panic!("the reference does not know the field {other:?}"),
        }
    }
}

/// Whether the record matches the query. A query whose every value is
/// ignored (no words, SPEC §5) matches nothing.
fn reference_matches(query: &Query, record: &Record, now: Timestamp) -> bool {
    eval(&query.root, None, record, now).unwrap_or(false)
}

/// The number of clauses outside any NOT that the record satisfies (a field
/// group counts once).
fn reference_score(query: &Query, record: &Record, now: Timestamp) -> f64 {
    score(&query.root, None, record, now)
}

/// `group` is the field of the enclosing field group, if any. `None` when
/// the node is ignored, as Lucene ignores it: a text value with no words,
/// and then whatever is left with nothing but ignored operands.
fn eval(expr: &Expr, group: Option<Field>, record: &Record, now: Timestamp) -> Option<bool> {
    let operands_of = |operands: &[Expr]| -> Vec<bool> {
        operands
            .iter()
            .filter_map(|e| eval(e, group, record, now))
            .collect()
    };
    match &expr.kind {
        ExprKind::And { operands } => {
            let kept = operands_of(operands);
            (!kept.is_empty()).then(|| kept.iter().all(|&b| b))
        }
        ExprKind::Or { operands } => {
            let kept = operands_of(operands);
            (!kept.is_empty()).then(|| kept.iter().any(|&b| b))
        }
        ExprKind::Not { operand } => eval(operand, group, record, now).map(|b| !b),
        ExprKind::Clause(clause) => {
            let field = Field::named(&clause.field.name);
            match &clause.value {
                ClauseValue::Single { value } => leaf_or_ignored(Some(field), value, record, now),
                ClauseValue::Group { expr } => eval(expr, Some(field), record, now),
            }
        }
        ExprKind::Value(value) => leaf_or_ignored(group, value, record, now),
        ExprKind::MatchAll => Some(true),
        // A boost changes no match.
        ExprKind::Boost { operand, .. } => eval(operand, group, record, now),
    }
}

/// A leaf, or `None` for a text value with no words.
fn leaf_or_ignored(
    field: Option<Field>,
    value: &Value,
    record: &Record,
    now: Timestamp,
) -> Option<bool> {
    let text = matches!(
        field,
        None | Some(Field::FirstName | Field::LastName | Field::Email | Field::EmailDomain)
    );
    match &value.kind {
        ValueKind::Term(t) | ValueKind::Phrase(t) if text && tokens(t).is_empty() => None,
        _ => Some(leaf(field, value, record, now)),
    }
}

/// Each satisfied clause counts its boosts' product (grammar.md): summed
/// left to right from zero in `f64`, each boost read as Lucene's float.
fn score(expr: &Expr, group: Option<Field>, record: &Record, now: Timestamp) -> f64 {
    let one = |yes: bool| if yes { 1.0 } else { 0.0 };
    match &expr.kind {
        ExprKind::And { operands } | ExprKind::Or { operands } => operands
            .iter()
            .fold(0.0, |sum, e| sum + score(e, group, record, now)),
        ExprKind::Not { .. } => 0.0,
        ExprKind::Clause(clause) => {
            let field = Field::named(&clause.field.name);
            let matched = match &clause.value {
                ClauseValue::Single { value } => leaf_or_ignored(Some(field), value, record, now),
                // A field group is one clause, however many of its values match.
                ClauseValue::Group { expr } => eval(expr, Some(field), record, now),
            };
            one(matched == Some(true))
        }
        ExprKind::Value(value) => one(leaf_or_ignored(group, value, record, now) == Some(true)),
        // Every record, but not a clause that searches anything.
        ExprKind::MatchAll => 0.0,
        ExprKind::Boost { operand, boost } => {
            let factor: f32 = boost.as_str().parse().unwrap();
            match factor.min(f32::MAX) {
                0.0 => 0.0,
                factor => f64::from(factor) * score(operand, group, record, now),
            }
        }
    }
}

/// One leaf: a value tested against a field, or against the default fields.
fn leaf(field: Option<Field>, value: &Value, record: &Record, now: Timestamp) -> bool {
    let any_text = |texts: Vec<&str>| texts.into_iter().any(|text| text_matches(value, text));
    let names = || {
        record
            .first_name
            .iter()
            .chain(&record.last_name)
            .map(String::as_str)
    };
    let emails = || record.emails.iter().map(String::as_str);
    match field {
        None => any_text(names().chain(emails()).collect()),
        Some(Field::FirstName) => any_text(record.first_name.as_deref().into_iter().collect()),
        Some(Field::LastName) => any_text(record.last_name.as_deref().into_iter().collect()),
        Some(Field::Email) => any_text(emails().collect()),
        // The host: everything after the last `@`; an address without one has none.
        Some(Field::EmailDomain) => any_text(
            emails()
                .filter_map(|e| e.rsplit_once('@').map(|(_, host)| host))
                .collect(),
        ),
        Some(Field::ModifiedAt) => record
            .updated_at
            .is_some_and(|t| date_matches(value, t, now)),
        Some(Field::CreatedAt) => record
            .created_at
            .is_some_and(|t| date_matches(value, t, now)),
        Some(Field::ModifiedSince) => record
            .updated_at
            .is_some_and(|t| t >= date_of(value, now).start()),
    }
}

// ----- text ----------------------------------------------------------------

/// Lucene's analysis: UAX #29 segments holding a character that is a token
/// by itself (the library's table, asked one character at a time), each
/// lower-cased code point by code point with the simple case mapping.
fn tokens(text: &str) -> Vec<String> {
    let token_char = |c: char| !helpscout_query::eval::tokens(&c.to_string()).is_empty();
    text.split_word_bounds()
        .filter(|segment| segment.chars().any(token_char))
        .map(|segment| segment.chars().map(simple_lower).collect())
        .collect()
}

/// Unicode's simple lower-case mapping of one code point (Java's
/// `Character.toLowerCase`): the full mapping, except for `İ`, whose full
/// lower case is two code points.
fn simple_lower(c: char) -> char {
    if c == '\u{130}' {
        'i'
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Whether one field value (a name, an email, a host) matches a text value.
fn text_matches(value: &Value, field_text: &str) -> bool {
    let haystack = tokens(field_text);
    let needle = match &value.kind {
        ValueKind::Term(text) | ValueKind::Phrase(text) => tokens(text),
        // A date where text is expected searches its canonical text.
        ValueKind::Date(_) => tokens(&value.to_string()),
        ValueKind::Wildcard(wildcard) => {
            let mut pattern = Vec::new();
            for part in &wildcard.parts {
                match part {
                    WildcardPart::Literal(text) => {
                        pattern.extend(text.chars().map(simple_lower).map(Glob::Char))
                    }
                    // Escaped in a wildcard: as written, as Lucene.
                    WildcardPart::Escaped(text) => pattern.extend(text.chars().map(Glob::Char)),
                    WildcardPart::AnyChar => pattern.push(Glob::One),
                    WildcardPart::AnyRun => pattern.push(Glob::Run),
                }
            }
            return haystack.iter().any(|token| {
                let chars: Vec<char> = token.chars().collect();
                glob(&pattern, &chars)
            });
        }
        ValueKind::Range(_) => panic!("the reference generates no text ranges"),
        ValueKind::Fuzzy(_) => panic!("the reference generates no fuzzy terms"),
        ValueKind::Regex(_) => panic!("the reference generates no regular expressions"),
    };
    // Consecutive, in order; an empty needle never matches.
    !needle.is_empty()
        && (0..haystack.len()).any(|start| {
            haystack.len() - start >= needle.len()
                && haystack[start..start + needle.len()] == needle[..]
        })
}

#[derive(Debug, Clone, Copy)]
enum Glob {
    Char(char),
    One,
    Run,
}

/// The textbook backtracking matcher: exponential at worst, obviously right.
fn glob(pattern: &[Glob], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((Glob::Run, rest)) => (0..=text.len()).any(|skip| glob(rest, &text[skip..])),
        Some((Glob::One, rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((Glob::Char(c), rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

// ----- dates ---------------------------------------------------------------

/// A date value against the clock: one instant, or a whole period `[start, end)`.
#[derive(Debug, Clone, Copy)]
enum When {
    Instant(Timestamp),
    Period(Timestamp, Timestamp),
}

impl When {
    fn start(self) -> Timestamp {
        match self {
            When::Instant(t) | When::Period(t, _) => t,
        }
    }
}

fn date_matches(value: &Value, t: Timestamp, now: Timestamp) -> bool {
    let ValueKind::Range(range) = &value.kind else {
        // A single value: within its period; an instant: exactly it.
        return match date_of(value, now) {
            When::Instant(i) => t == i,
            When::Period(start, end) => start <= t && t < end,
        };
    };
    let lower_ok = match &range.lower {
        Bound::Unbounded { .. } => true,
        Bound::Inclusive(v) => t >= date_of(v, now).start(),
        Bound::Exclusive(v) => match date_of(v, now) {
            When::Instant(i) => t > i,
            When::Period(_, end) => t >= end,
        },
    };
    let upper_ok = match &range.upper {
        Bound::Unbounded { .. } => true,
        Bound::Inclusive(v) => match date_of(v, now) {
            When::Instant(i) => t <= i,
            When::Period(_, end) => t < end,
        },
        Bound::Exclusive(v) => t < date_of(v, now).start(),
    };
    lower_ok && upper_ok
}

/// A date value as written: a date, a bare four-digit year, or a date in quotes.
fn date_of(value: &Value, now: Timestamp) -> When {
    match &value.kind {
        ValueKind::Date(expr) => date_expr(expr, now),
        ValueKind::Term(text) | ValueKind::Phrase(text) => {
            if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
                let start = date(text.parse().unwrap(), 1, 1).at(0, 0, 0, 0);
                return period(start, Span::new().years(1));
            }
            // A date in quotes: read its text as an unquoted date.
            let query: Query = format!("modifiedAt:{text}").parse().unwrap();
            let ExprKind::Clause(clause) = &query.root.kind else {
                unreachable!()
            };
            let ClauseValue::Single { value } = &clause.value else {
                unreachable!()
            };
            let ValueKind::Date(expr) = &value.kind else {
                panic!("{text:?} passed validation on a date field but is no date")
            };
            date_expr(expr, now)
        }
        other => panic!("{other:?} passed validation on a date field"),
    }
}

fn date_expr(expr: &DateExpr, now: Timestamp) -> When {
    let anchor = match expr.anchor {
        DateAnchor::Now => now,
        DateAnchor::Full { timestamp } => timestamp,
        DateAnchor::Truncated(truncated) => {
            let start =
                date(truncated.year, truncated.month, truncated.day.unwrap_or(1)).at(0, 0, 0, 0);
            let length = match truncated.day {
                Some(_) => Span::new().days(1),
                None => Span::new().months(1),
            };
            return period(start, length);
        }
    };
    When::Instant(expr.math.iter().fold(anchor, |t, step| date_math(t, *step)))
}

fn period(start: DateTime, length: Span) -> When {
    let end = start.checked_add(length).unwrap();
    When::Period(utc(start), utc(end))
}

fn utc(datetime: DateTime) -> Timestamp {
    datetime.to_zoned(TimeZone::UTC).unwrap().timestamp()
}

/// One step of Solr date math, on the UTC calendar.
fn date_math(t: Timestamp, step: DateMath) -> Timestamp {
    let dt = t.to_zoned(TimeZone::UTC).datetime();
    let units = |amount: i64, unit: DateUnit| match unit {
        DateUnit::Year => Span::new().years(amount),
        DateUnit::Month => Span::new().months(amount),
        DateUnit::Day => Span::new().days(amount),
        DateUnit::Hour => Span::new().hours(amount),
        DateUnit::Minute => Span::new().minutes(amount),
        DateUnit::Second => Span::new().seconds(amount),
        DateUnit::Millisecond => Span::new().milliseconds(amount),
    };
    let moved = match step {
        DateMath::Add { amount, unit } => dt.checked_add(units(i64::from(amount), unit)).unwrap(),
        DateMath::Sub { amount, unit } => dt.checked_sub(units(i64::from(amount), unit)).unwrap(),
        DateMath::Round { unit } => {
            let (y, mo, d, h, mi, s) = (
                dt.year(),
                dt.month(),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second(),
            );
            match unit {
                DateUnit::Year => date(y, 1, 1).at(0, 0, 0, 0),
                DateUnit::Month => date(y, mo, 1).at(0, 0, 0, 0),
                DateUnit::Day => date(y, mo, d).at(0, 0, 0, 0),
                DateUnit::Hour => date(y, mo, d).at(h, 0, 0, 0),
                DateUnit::Minute => date(y, mo, d).at(h, mi, 0, 0),
                DateUnit::Second => date(y, mo, d).at(h, mi, s, 0),
                DateUnit::Millisecond => {
                    date(y, mo, d).at(h, mi, s, dt.subsec_nanosecond() / 1_000_000 * 1_000_000)
                }
            }
        }
    };
    utc(moved)
}

// ---------------------------------------------------------------------------
// Running both
// ---------------------------------------------------------------------------

/// What the real evaluator and the reference say about one record.
#[derive(Debug, PartialEq)]
struct Verdict {
    matches: bool,
    score: f64,
}

struct Both {
    query: Query,
    matcher: Matcher,
}

impl Both {
    /// `None` when the customers schema rejects the query.
    fn compile(text: &str) -> Option<Both> {
        let typed = validate(text, schema::customers(), &ParseOptions::default()).query?;
        let matcher = Matcher::compile(&typed, now()).expect("a customers query compiles");
        let query = text.parse().expect("a valid query parses");
        Some(Both { query, matcher })
    }

    fn real(&self, record: &Json) -> Verdict {
        let customer = Customer::from_json(&record.to_string()).expect("the record loads");
        Verdict {
            matches: self.matcher.matches(customer.document()),
            score: self.matcher.score(customer.document()),
        }
    }

    fn reference(&self, record: &Json) -> Verdict {
        let record = Record::from_json(record);
        Verdict {
            matches: reference_matches(&self.query, &record, now()),
            score: reference_score(&self.query, &record, now()),
        }
    }
}

// ---------------------------------------------------------------------------
// Hand-written agreements
// ---------------------------------------------------------------------------

/// Tricky cases where both evaluators must give the documented answer.
#[test]
fn documented_agreements() {
    let john = customer(
        Some("John"),
        Some("Appleseed"),
        &["john@appleseed.com"],
        Some("2000-11-15T08:00:00Z"),
    );
    let johnny = customer(Some("Johnny"), None, &[], Some("2014-12-31T23:59:59Z"));
    let nobody = customer(None, None, &[], None);
    let zoe = customer(
        Some("ZOË"),
        Some("Mary Ann"),
        &["a.b@mail.example.co.uk"],
        Some("2015-01-01T00:00:00Z"),
    );
    let istanbul = customer(
        Some("İstanbul"),
        Some("Straße"),
        &["x@straße.de"],
        Some("2024-06-14T12:00:00Z"),
    );
    let greek = customer(Some("Οδυσσέας"), None, &[], None);
    let cases: &[(&str, &Json, bool, u32)] = &[
        // "An email containing": the domain is one token of the address.
        (r#"email:"appleseed.com""#, &john, true, 1),
        (r#"email:"appleseed""#, &john, false, 0),
        ("emailDomain:appleseed.com", &john, true, 1),
        // The domain of a UK address is tokens `mail.example.co.uk`, whole.
        (r#"emailDomain:"example.co.uk""#, &zoe, false, 0),
        ("emailDomain:mail.example.co.uk", &zoe, true, 1),
        // Terms are whole tokens: John is not Johnny, unless by wildcard.
        (r#"firstName:"John""#, &johnny, false, 0),
        ("firstName:John*", &johnny, true, 1),
        ("firstName:john", &john, true, 1),
        // NOT of a clause on a missing field matches; the field alone does not.
        ("NOT email:x", &nobody, true, 0),
        ("email:x", &nobody, false, 0),
        ("NOT firstName:John", &nobody, true, 0),
        ("NOT modifiedAt:[* TO *]", &nobody, true, 0),
        ("modifiedAt:[* TO *]", &nobody, false, 0),
        // A truncated date is its whole period.
        ("modifiedAt:2000-11", &john, true, 1),
        ("modifiedAt:2000-12", &john, false, 0),
        ("modifiedAt:2000-11-15", &john, true, 1),
        ("modifiedAt:2000", &john, true, 1),
        (r#"modifiedAt:"2000-11""#, &john, true, 1),
        // An exclusive lower bound excludes the whole period.
        ("modifiedAt:{2014 TO *]", &johnny, false, 0),
        ("modifiedAt:[2014 TO *]", &johnny, true, 1),
        ("modifiedAt:{2014 TO *]", &zoe, true, 1),
        ("modifiedAt:[* TO 2014]", &johnny, true, 1),
        ("modifiedAt:[* TO 2014}", &johnny, false, 0),
        ("modifiedAt:[* TO 2015-01-01T00:00:00Z}", &zoe, false, 0),
        ("modifiedAt:[* TO 2015-01-01T00:00:00Z]", &zoe, true, 1),
        ("modifiedAt:2015-01-01T00:00:00Z", &zoe, true, 1),
        ("modifiedSince:2014-12-31T23:59:59Z", &johnny, true, 1),
        ("modifiedSince:2015", &johnny, false, 0),
        // Date math against the fixed clock (2024-06-15T12:00:00Z).
        ("modifiedAt:NOW-1DAY", &istanbul, true, 1),
        ("modifiedAt:[NOW-1DAY/DAY TO NOW/DAY}", &istanbul, true, 1),
        ("modifiedAt:{NOW-1DAY TO NOW]", &istanbul, false, 0),
        // Lucene's lower-casing, code point by code point, on both sides.
        ("firstName:zoë", &zoe, true, 1),
        ("firstName:?oë", &zoe, true, 1),
        ("firstName:İSTANBUL", &istanbul, true, 1),
        ("lastName:STRASSE", &istanbul, false, 0),
        ("lastName:straße", &istanbul, true, 1),
        // `?` is one character of the lower-cased token: "İ" lower-cases to
        // "i", one character, so `?stanbul` finds İstanbul.
        ("firstName:?stanbul", &istanbul, true, 1),
        ("firstName:??stanbul", &istanbul, false, 0),
        // Sigma: "Σ" is "σ" wherever it stands, and a written "ς" stays "ς"
        // (as in Lucene): "ΟΔΥΣΣΈΑΣ" is "οδυσσέασ", not the token "οδυσσέας".
        ("firstName:ΟΔΥΣ*", &greek, true, 1),
        ("firstName:οδυσ*", &greek, true, 1),
        ("firstName:ΟΔΥΣΣΈΑΣ", &greek, false, 0),
        // In wildcards too: literals are lower-cased code point by code
        // point, so "Σ" is "σ" and never the written "ς" of the token.
        ("firstName:ΟΔΥΣΣΈ?Σ", &greek, false, 0),
        ("firstName:*ΑΣ", &greek, false, 0),
        ("firstName:*ας", &greek, true, 1),
        ("firstName:ΟΔΥΣΣΈ?ς", &greek, true, 1),
        ("firstName:Οδυσσέας", &greek, true, 1),
        // Phrases and multi-word values: consecutive tokens in order.
        (r#"lastName:"Mary Ann""#, &zoe, true, 1),
        (r#"lastName:"Ann Mary""#, &zoe, false, 0),
        // A value with no words is ignored, as Lucene drops its clause; a
        // query left with nothing matches nothing (SPEC §5).
        (r#"firstName:"--""#, &john, false, 0),
        (r#"NOT firstName:"--""#, &john, false, 0),
        (r#"firstName:John AND lastName:".""#, &john, true, 1),
        (r#"firstName:John AND NOT lastName:".""#, &john, true, 1),
        (r#"firstName:nobody OR lastName:".""#, &john, false, 0),
        (r#"email:("." OR "@")"#, &john, false, 0),
        ("*:*", &john, true, 0),
        ("*:* AND NOT firstName:John", &john, false, 0),
        (
            "firstName:nobody OR (*:* AND NOT firstName:nobody)",
            &john,
            true,
            0,
        ),
        // Bare values search both names and every email.
        ("appleseed", &john, true, 1),
        ("appleseed.com", &john, true, 1),
        ("ann", &zoe, true, 1),
        // Field groups apply the field to each value, and score as one clause.
        (
            r#"email:("nobody@x.com" OR "john@appleseed.com")"#,
            &john,
            true,
            1,
        ),
        ("firstName:(john OR jo*)", &john, true, 1),
        // Boosts weigh the score: a satisfied clause counts its boost.
        ("firstName:John^3 AND lastName:Appleseed", &john, true, 4),
        ("(firstName:John lastName:Appleseed)^2", &john, true, 4),
        ("firstName:John^0 OR lastName:x", &john, true, 0),
        ("(firstName:John^2 OR lastName:Appleseed)^3", &john, true, 9),
        ("NOT lastName:x^5", &john, true, 0),
        ("firstName:(john AND NOT johnny)", &john, true, 1),
        ("modifiedAt:([2014 TO 2015} OR 2000-11)", &johnny, true, 1),
        (
            "firstName:John AND lastName:Appleseed AND NOT email:x",
            &john,
            true,
            2,
        ),
    ];
    for &(query, record, matches, score) in cases {
        let both = Both::compile(query).unwrap_or_else(|| panic!("{query} should be valid"));
        let expected = Verdict {
            matches,
            score: f64::from(score),
        };
        assert_eq!(
            both.real(record),
            expected,
            "real evaluator: {query} on {record}"
        );
        assert_eq!(
            both.reference(record),
            expected,
            "reference: {query} on {record}"
        );
    }
}

// ---------------------------------------------------------------------------
// Generators (shared with the differential tests of other data sources)
// ---------------------------------------------------------------------------

#[path = "support/generate.rs"]
mod generate;

use generate::{customer, query, record};

// ---------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The real evaluator and the reference agree on every record, in whether
    /// it matches and in its score.
    #[test]
    fn evaluator_agrees_with_reference(
        text in query(),
        records in prop::collection::vec(record(), 1..24),
    ) {
        let both = Both::compile(&text);
        prop_assume!(both.is_some(), "invalid query: {}", text);
        let both = both.unwrap();
        for record in &records {
            prop_assert_eq!(
                both.real(record),
                both.reference(record),
                "query {} (canonical {}) on {}",
                text,
                both.query,
                record
            );
        }
    }
}

/// The generator mostly writes valid queries, and the property sees both
/// matches and misses (so agreement is not vacuous).
#[test]
fn generators_are_useful() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut valid, mut matched, mut missed, mut scored) = (0, 0, 0, 0);
    let total = 300;
    for _ in 0..total {
        let text = query().new_tree(&mut runner).unwrap().current();
        let records = prop::collection::vec(record(), 8)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let Some(both) = Both::compile(&text) else {
            continue;
        };
        valid += 1;
        for record in &records {
            let verdict = both.reference(record);
            if verdict.matches {
                matched += 1;
            } else {
                missed += 1;
            }
            if verdict.score > 0.0 {
                scored += 1;
            }
        }
    }
    assert!(
        valid * 10 >= total * 9,
        "only {valid} of {total} generated queries are valid"
    );
    assert!(
        matched * 10 >= (matched + missed),
        "matched {matched}, missed {missed}"
    );
    assert!(
        missed * 10 >= (matched + missed),
        "matched {matched}, missed {missed}"
    );
    assert!(scored > 0);
}
