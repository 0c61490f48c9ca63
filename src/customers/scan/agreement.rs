//! (Unit tests of the scanner.) The record scanner reads exactly what `serde_json::from_str::<Fields>`
//! reads and rejects exactly what it rejects: on generated customer records,
//! on mutations of them, and on a table of edge cases.
//!
//! The reference is serde itself, with one deliberate difference applied:
//! serde accepts a JSON array in place of a struct (the fields in order);
//! the scanner requires objects for the record, `_embedded` and each email.

use std::borrow::Cow;
use std::fmt;

use super::oracle::{View, view_scanned, view_serde};
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

/// Whether the record, `_embedded` and each email are objects (or absent or
/// null), read by serde with the same depth and rules as `Fields`.
struct Shape;

/// Which of the three read structs an object is.
#[derive(Clone, Copy)]
enum Level {
    Record,
    Embedded,
    Email,
}

struct ShapeVisitor(Level);

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match (self.0, &*key) {
                (Level::Record, "_embedded") => {
                    map.next_value::<Option<EmbeddedShape>>()?;
                }
                (Level::Embedded, "emails") => {
                    map.next_value::<Option<Vec<EmailShape>>>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Shape)
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_map(ShapeVisitor(Level::Record))
    }
}

struct EmbeddedShape;

impl<'de> Deserialize<'de> for EmbeddedShape {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<EmbeddedShape, D::Error> {
        d.deserialize_map(ShapeVisitor(Level::Embedded))
            .map(|_| EmbeddedShape)
    }
}

struct EmailShape;

impl<'de> Deserialize<'de> for EmailShape {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<EmailShape, D::Error> {
        d.deserialize_map(ShapeVisitor(Level::Email))
            .map(|_| EmailShape)
    }
}

/// serde's reading, with arrays in place of structs rejected.
fn reference(text: &str) -> Result<View, String> {
    let view = view_serde(text)?;
    serde_json::from_str::<Shape>(text)
        .map_err(|e| format!("not an object where a struct is read: {e}"))?;
    Ok(view)
}

/// The view without saying which strings were borrowed. serde never
/// borrows them: `#[serde(borrow)]` borrows a `Cow<str>` field but not an
/// `Option<Cow<str>>`, which goes through `Cow`'s own `Deserialize` and is
/// always owned. The scanner borrows whenever there is no escape (tested
/// below), so only the content is compared.
fn content(mut view: View) -> View {
    let unflag = |text: &mut Option<(String, bool)>| {
        if let Some((_, borrowed)) = text {
            *borrowed = false;
        }
    };
    unflag(&mut view.first_name);
    unflag(&mut view.last_name);
    for email in view.emails.iter_mut().flatten().flatten() {
        unflag(email);
    }
    view
}

/// Asserts that the scanner and the reference agree on `text`; returns
/// whether it was accepted.
fn agree(text: &str) -> bool {
    let scanned = view_scanned(text).map(content);
    let expected = reference(text);
    match (&scanned, &expected) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "different fields from {text:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("scanner {scanned:?} but serde {expected:?} on {text:?}"),
    }
    scanned.is_ok()
}

fn accepted(text: &str) {
    assert!(agree(text), "rejected: {text:?}: {:?}", view_scanned(text));
}

fn rejected(text: &str) {
    assert!(!agree(text), "accepted: {text:?}");
}

// ---------------------------------------------------------------------------
// Generated records.

fn blank() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => Just(String::new()),
        1 => "[ \t\r\n]{1,3}",
    ]
}

/// One piece of a JSON string's content, as written between its quotes.
fn string_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => "[a-zA-Z0-9 .@_-]{1,12}",
        6 => "[éüßÅ日本語😀€\u{7f}\u{80}\u{2028}]{1,3}",
        6 => prop::sample::select(vec![
            r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t",
        ])
        .prop_map(str::to_owned),
        // Any BMP character but a surrogate, in either case.
        3 => (0u32..0xD800).prop_map(|c| format!("\\u{c:04x}")),
        3 => (0xE000u32..=0xFFFF).prop_map(|c| format!("\\u{c:04X}")),
        // A surrogate pair.
        3 => (0xD800u32..0xDC00, 0xDC00u32..0xE000)
            .prop_map(|(h, l)| format!("\\u{h:04X}\\u{l:04x}")),
        // Lone surrogates: errors where the string is read, fine where skipped.
        1 => prop::sample::select(vec![r"\uD800", r"\uDFFF", r"\uDBFF\u0041", r"\uD800\n"])
            .prop_map(str::to_owned),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop::collection::vec(string_piece(), 0..4)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "-?(0|[1-9][0-9]{0,19})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
        1 => prop::sample::select(vec![
            "-0", "0", "1e400", "-1e400", "0e999", "1E-400", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
            "1.0", "-0.0", "1e3",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Any JSON value, with whitespace here and there.
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => string(),
        3 => number(),
        1 => prop::sample::select(vec!["true", "false", "null"]).prop_map(str::to_owned),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec((blank(), inner.clone(), blank()), 0..5).prop_map(|items| {
                let items: Vec<String> = items.into_iter().map(|(a, v, b)| a + &v + &b).collect();
                format!("[{}]", items.join(","))
            }),
            prop::collection::vec((string(), blank(), inner), 0..5).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, w, v)| format!("{k}{w}:{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => (0i64..2_000_000_000).prop_map(|s| {
            format!("\"{}\"", jiff::Timestamp::from_second(s).unwrap())
        }),
        1 => prop::sample::select(vec![
            r#""2024-01-01T00:00:00.123456789Z""#,
            r#""2024-01-01T00:00:00+01:00""#,
            r#""2024-01-01t00:00:00z""#,
            r#""2024-01-01 00:00:00Z""#,
            r#""2024-02-29T23:59:60Z""#,
            r#""2023-02-29T00:00:00Z""#,
            r#""2024-01-01T00:00:00""#,
            r#""2024-01-01""#,
            r#""2024\u002d01-01T00:00:00Z""#,
            r#""-009999-01-01T00:00:00Z""#,
            r#""""#,
        ])
        .prop_map(str::to_owned),
    ]
}

/// A value for a known field: usually of its type, sometimes `null`,
/// sometimes anything.
fn typed(usual: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![
        40 => usual,
        6 => Just("null".to_owned()),
        1 => value(),
    ]
    .boxed()
}

fn id() -> BoxedStrategy<String> {
    prop_oneof![
        20 => (0i64..10_000_000).prop_map(|n| n.to_string()),
        1 => number(),
    ]
    .boxed()
}

fn mailbox_ids() -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![20 => (0u64..1000).prop_map(|n| n.to_string()), 1 => number()],
        0..4,
    )
    .prop_map(|ids| format!("[{}]", ids.join(",")))
    .boxed()
}

/// A key, written as is or with an escape that decodes to the same name.
fn key(name: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        12 => Just(format!("\"{name}\"")),
        1 => Just(name).prop_map(|name| {
            let first = name.chars().next().unwrap();
            format!("\"\\u{:04x}{}\"", u32::from(first), &name[first.len_utf8()..])
        }),
    ]
}

fn object(members: Vec<(String, String)>, spaces: Vec<String>) -> String {
    let mut text = String::from("{");
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let w = |n: usize| {
            spaces
                .get((i * 3 + n) % spaces.len().max(1))
                .map_or("", String::as_str)
        };
        text.push_str(&format!("{}{k}{}:{}{v}", w(0), w(1), w(2)));
    }
    text.push('}');
    text
}

/// Members in a random order, with some known ones left out, sometimes one
/// given twice.
fn members(
    known: Vec<BoxedStrategy<(String, String)>>,
) -> impl Strategy<Value = Vec<(String, String)>> {
    let known: Vec<_> = known
        .into_iter()
        .map(|member| prop::option::weighted(0.85, member))
        .collect();
    let unknown = prop::collection::vec((string(), value()), 0..4);
    (known, unknown, prop::option::weighted(0.05, any::<Index>())).prop_flat_map(
        |(known, unknown, twice)| {
            let mut all: Vec<(String, String)> = known.into_iter().flatten().collect();
            all.extend(unknown);
            if let (Some(i), false) = (twice, all.is_empty()) {
                all.push(all[i.index(all.len())].clone());
            }
            Just(all).prop_shuffle()
        },
    )
}

fn member(name: &'static str, value: BoxedStrategy<String>) -> BoxedStrategy<(String, String)> {
    (key(name), value).boxed()
}

fn email() -> impl Strategy<Value = String> {
    let known = vec![
        member("value", typed(string().boxed())),
        member(
            "type",
            prop_oneof![Just("\"work\"".to_owned()), value()].boxed(),
        ),
    ];
    (members(known), prop::collection::vec(blank(), 0..6)).prop_map(|(m, s)| object(m, s))
}

fn embedded() -> impl Strategy<Value = String> {
    let emails = prop::collection::vec(
        prop_oneof![40 => email().boxed(), 1 => value().boxed()],
        0..4,
    )
    .prop_map(|emails| format!("[{}]", emails.join(",")));
    let known = vec![
        member("emails", typed(emails.boxed())),
        member("phones", value().boxed()),
    ];
    (members(known), prop::collection::vec(blank(), 0..6)).prop_map(|(m, s)| object(m, s))
}

/// A customer record: the known fields (mostly well typed), unknown fields
/// of every type, in any order, with whitespace here and there.
fn record() -> impl Strategy<Value = String> {
    let known = vec![
        member("id", typed(id())),
        member("firstName", typed(string().boxed())),
        member("lastName", typed(string().boxed())),
        member("createdAt", typed(timestamp().boxed())),
        member("updatedAt", typed(timestamp().boxed())),
        member("mailboxIds", typed(mailbox_ids())),
        member("_embedded", typed(embedded().boxed())),
    ];
    (
        blank(),
        members(known),
        prop::collection::vec(blank(), 0..10),
        blank(),
    )
        .prop_map(|(before, m, s, after)| before + &object(m, s) + &after)
}

/// Where an edit falls: anywhere, or next to a structural character or a
/// digit (where most of the grammar is).
#[derive(Debug, Clone)]
enum Place {
    Anywhere(Index),
    Structural(Index),
}

/// A small edit of a record's text (kept UTF-8: edits fall on character
/// boundaries).
#[derive(Debug, Clone)]
enum Edit {
    Delete(Place),
    Insert(Place, bool, String),
    Replace(Place, String),
    Truncate(Place),
    Swap(Place, Place),
}

const TOKENS: &[&str] = &[
    ",",
    ":",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    " ",
    "\t",
    "\u{c}",
    "\u{1}",
    "0",
    "1",
    "-",
    "+",
    ".",
    "e",
    "E",
    "n",
    "t",
    "f",
    "null",
    "\\u",
    "\\uD800",
    "é",
    "\u{feff}",
    "\"\":0,",
    "[]",
    "{}",
    ",\"id\":1",
    ",\"x\":",
];

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        any::<Index>().prop_map(Place::Anywhere),
        any::<Index>().prop_map(Place::Structural),
    ]
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_owned),
        2 => "[!-/:-@\\[-`{-~]",
        1 => (0u8..0x80).prop_map(|b| char::from(b).to_string()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        place().prop_map(Edit::Delete),
        (place(), any::<bool>(), token()).prop_map(|(p, after, t)| Edit::Insert(p, after, t)),
        (place(), token()).prop_map(|(p, t)| Edit::Replace(p, t)),
        place().prop_map(Edit::Truncate),
        (place(), place()).prop_map(|(p, q)| Edit::Swap(p, q)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    if text.is_empty() {
        return text.to_owned();
    }
    // Character starts, and those of structural characters and digits.
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let structural: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| ",:{}[]\"\\.-eE".contains(*c) || c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let pick = |place: &Place| match place {
        Place::Structural(i) if !structural.is_empty() => structural[i.index(structural.len())],
        Place::Structural(i) | Place::Anywhere(i) => starts[i.index(starts.len())],
    };
    let char_at = |place: &Place| {
        let start = pick(place);
        (
            start,
            text[start..].chars().next().map_or(0, char::len_utf8),
        )
    };
    match edit {
        Edit::Delete(p) => {
            let (start, len) = char_at(p);
            format!("{}{}", &text[..start], &text[start + len..])
        }
        Edit::Insert(p, after, token) => {
            let (start, len) = char_at(p);
            let at = if *after { start + len } else { start };
            format!("{}{token}{}", &text[..at], &text[at..])
        }
        Edit::Replace(p, token) => {
            let (start, len) = char_at(p);
            format!("{}{token}{}", &text[..start], &text[start + len..])
        }
        Edit::Truncate(p) => text[..pick(p)].to_owned(),
        Edit::Swap(p, q) => {
            let (a, b) = (char_at(p), char_at(q));
            let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if a.0 == b.0 {
                return text.to_owned();
            }
            format!(
                "{}{}{}{}{}",
                &text[..a.0],
                &text[b.0..b.0 + b.1],
                &text[a.0 + a.1..b.0],
                &text[a.0..a.0 + a.1],
                &text[b.0 + b.1..]
            )
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_records_are_read_as_serde_reads_them(text in record()) {
        agree(&text);
    }

    /// Each edit on its own, then each with the next one too.
    #[test]
    fn edited_records_are_judged_as_serde_judges_them(
        text in record(),
        edits in prop::collection::vec(edit(), 1..40),
    ) {
        for (i, edit) in edits.iter().enumerate() {
            let edited = apply(&text, edit);
            agree(&edited);
            if let Some(next) = edits.get(i + 1) {
                agree(&apply(&edited, next));
            }
        }
    }
}

/// Every one-character deletion, replacement and insertion, at every place
/// of a few records that hold every construct, judged alike.
#[test]
fn every_small_edit_of_rich_records_is_judged_alike() {
    let records = [
        concat!(
            r#"{"id":12,"firstName":"Jo\u00e9 \"J\"","lastName":"O'B","createdAt":"2013-01-05T10:00:00Z","#,
            r#""updatedAt":null,"mailboxIds":[85,0],"vip":true,"n":-1.5e-3,"z":0,"f":false,"#,
            r#""_embedded":{"emails":[{"value":"a@b.c","id":1},{"value":null}],"phones":[[],{}]},"#,
            r#""t":["\uD800",{"\n":[0.5]}],"e":""}"#
        ),
        "{ \"first\\u004eame\" : \"a\\/\" ,\r\n \"_embedded\" : { \"emails\" : [ { } ] } , \"x\" : [ 1E+2 , -0 , { \"\" : null } ] }",
        r#"{"id":-9223372036854775808,"mailboxIds":[18446744073709551615],"updatedAt":"2024-02-29T23:59:59+01:00","a":{"b":{"c":[[["é"]]]}}}"#,
    ];
    let mut tokens: Vec<String> = TOKENS.iter().map(|t| (*t).to_owned()).collect();
    tokens.extend("=;'ax/*#_$?<>|~!@%^&()".chars().map(String::from));
    for record in records {
        assert!(agree(record), "{record}");
        for (at, c) in record.char_indices() {
            let (before, after) = (&record[..at], &record[at + c.len_utf8()..]);
            agree(&format!("{before}{after}"));
            for token in &tokens {
                agree(&format!("{before}{token}{after}"));
                agree(&format!("{before}{token}{c}{after}"));
            }
        }
    }
}

/// The generator makes mostly good records, so the comparison is not only
/// of errors; and its edits break some and not others.
#[test]
fn the_generator_makes_mostly_good_records() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    let mut runner = TestRunner::new(Config::default());
    let (mut good, mut good_after_edit, total) = (0, 0, 300);
    for _ in 0..total {
        let text = record().new_tree(&mut runner).unwrap().current();
        let edit = edit().new_tree(&mut runner).unwrap().current();
        good += usize::from(agree(&text));
        good_after_edit += usize::from(agree(&apply(&text, &edit)));
    }
    eprintln!("{good} of {total} good, {good_after_edit} after an edit");
    assert!(good * 100 >= total * 40, "{good} of {total} good");
    assert!(
        good_after_edit * 100 >= total * 5 && good_after_edit < good,
        "{good_after_edit} of {total} good after an edit ({good} before)"
    );
}

// ---------------------------------------------------------------------------
// Edge cases, each checked against serde and for the expected decision.

fn nested(depth: usize, inner: &str) -> String {
    "[".repeat(depth) + inner + &"]".repeat(depth)
}

#[test]
fn skipped_values_nest_without_limit_as_in_serde() {
    // serde's recursion limit (128) counts only the levels it reads (at most
    // four here); skipped values are walked with an explicit stack.
    for depth in [1, 126, 127, 128, 129, 130, 255, 256, 257, 1000, 100_000] {
        accepted(&format!(r#"{{"x":{},"id":1}}"#, nested(depth, "1")));
        let objects = r#"{"a":"#.repeat(depth) + "null" + &"}".repeat(depth);
        accepted(&format!(r#"{{"_embedded":{{"deep":{objects}}}}}"#));
        accepted(&format!(
            r#"{{"_embedded":{{"emails":[{{"value":"v","deep":{}}}]}}}}"#,
            nested(depth, "{}")
        ));
        // Still checked all the way down.
        rejected(&format!(r#"{{"x":{}}}"#, nested(depth, "01")));
        rejected(&format!(r#"{{"x":{}]}}"#, nested(depth, "1")));
        rejected(&format!(r#"{{"x":{}}}"#, &nested(depth, "1")[1..]));
    }
}

#[test]
fn lone_surrogates_are_errors_only_where_strings_are_read() {
    // Read strings: values of known fields, keys of the three read objects.
    for read in [
        r#"{"firstName":"\uD800"}"#,
        r#"{"lastName":"a\uDC00b"}"#,
        r#"{"firstName":"\uD800\u0041"}"#,
        r#"{"firstName":"\uD800\n"}"#,
        r#"{"firstName":"\uDBFF\uDBFF"}"#,
        r#"{"firstName":"\uD800"#,
        r#"{"\uD800":1}"#,
        r#"{"_embedded":{"\uDFFF":1}}"#,
        r#"{"_embedded":{"emails":[{"value":"\uDC00"}]}}"#,
        r#"{"_embedded":{"emails":[{"\uDC00":1}]}}"#,
        r#"{"createdAt":"\uD800"}"#,
    ] {
        rejected(read);
    }
    // Skipped strings: other values, keys of other objects.
    for skipped in [
        r#"{"x":"\uD800"}"#,
        r#"{"x":"\uDC00\uD800"}"#,
        r#"{"x":{"\uD800":"\uDFFF"}}"#,
        r#"{"_embedded":{"phones":[{"\uD800":1}]}}"#,
        r#"{"_embedded":{"emails":[{"type":"\uD800"}]}}"#,
        r#"{"firstName":"\uD83D\uDE00","lastName":"\ud83d\ude00"}"#,
    ] {
        accepted(skipped);
    }
    assert_eq!(
        view_scanned(r#"{"firstName":"\uD83D\uDE00!"}"#)
            .unwrap()
            .first_name,
        Some(("😀!".to_owned(), false))
    );
}

#[test]
fn numbers_follow_the_grammar_and_the_types() {
    for good in [
        r#"{"x":-0}"#,
        r#"{"x":-0.0e-0}"#,
        r#"{"x":1e400}"#,
        r#"{"x":-1E+400}"#,
        r#"{"x":123456789012345678901234567890}"#,
        r#"{"id":0}"#,
        r#"{"id":-1}"#,
        r#"{"id":9223372036854775807}"#,
        r#"{"id":-9223372036854775808}"#,
        r#"{"mailboxIds":[0,18446744073709551615]}"#,
    ] {
        accepted(good);
    }
    for bad in [
        r#"{"x":01}"#,
        r#"{"x":-01}"#,
        r#"{"x":00}"#,
        r#"{"x":1.}"#,
        r#"{"x":.5}"#,
        r#"{"x":1e}"#,
        r#"{"x":1e+}"#,
        r#"{"x":+1}"#,
        r#"{"x":-}"#,
        r#"{"x":0x1}"#,
        r#"{"x":1.5.2}"#,
        r#"{"x":Infinity}"#,
        r#"{"x":NaN}"#,
        r#"{"id":-0}"#,
        r#"{"id":1.0}"#,
        r#"{"id":1e3}"#,
        r#"{"id":1e400}"#,
        r#"{"id":01}"#,
        r#"{"id":9223372036854775808}"#,
        r#"{"id":-9223372036854775809}"#,
        r#"{"id":18446744073709551616}"#,
        r#"{"id":"1"}"#,
        r#"{"id":true}"#,
        r#"{"mailboxIds":[-1]}"#,
        r#"{"mailboxIds":[-0]}"#,
        r#"{"mailboxIds":[1.0]}"#,
        r#"{"mailboxIds":[18446744073709551616]}"#,
        r#"{"mailboxIds":[null]}"#,
        r#"{"mailboxIds":1}"#,
        r#"{"mailboxIds":{}}"#,
    ] {
        rejected(bad);
    }
}

#[test]
fn structure_is_strict() {
    for good in [
        "{}",
        " \t\r\n{ \t\r\n} \t\r\n",
        r#"{"a":[],"b":{},"c":[{}],"d":[[],[[]]],"e":"","f":true,"g":false,"h":null}"#,
        "{ \"id\" : 1 , \"x\" : [ 1 , { \"y\" : null } ] }",
        r#"{"id":null,"firstName":null,"lastName":null,"createdAt":null,"updatedAt":null,"mailboxIds":null,"_embedded":null}"#,
        r#"{"_embedded":{"emails":null}}"#,
        r#"{"_embedded":{"emails":[]}}"#,
        r#"{"_embedded":{"emails":[{}]}}"#,
        r#"{"_embedded":{"emails":[{"value":null}]}}"#,
    ] {
        accepted(good);
    }
    for bad in [
        "",
        " ",
        "null",
        "1",
        "\"x\"",
        "[]",
        "{",
        "}",
        "{}}",
        "{} {}",
        "{},",
        "{}x",
        "\u{feff}{}",
        "{}\u{feff}",
        "\u{c}{}",
        "{}\u{0}",
        "{\u{a0}}",
        r#"{"id":1,}"#,
        r#"{,"id":1}"#,
        r#"{"id":1,,"x":2}"#,
        r#"{"x":[1,]}"#,
        r#"{"x":[,1]}"#,
        r#"{"x":[1,,2]}"#,
        r#"{"x":{"a":1,}}"#,
        r#"{"mailboxIds":[1,]}"#,
        r#"{"_embedded":{"emails":[{},]}}"#,
        r#"{"_embedded":{"emails":[{"value":"a",}]}}"#,
        r#"{"_embedded":{"x":1,}}"#,
        r#"{"x" 1}"#,
        r#"{"x"::1}"#,
        r#"{x:1}"#,
        r#"{'x':1}"#,
        r#"{1:1}"#,
        r#"{"x":1 "y":2}"#,
        r#"{"x":[1 2]}"#,
        r#"{"x":[1}"#,
        r#"{"x":{]}"#,
        r#"{"x":tru}"#,
        r#"{"x":nul}"#,
        r#"{"x":True}"#,
        r#"{"x":nullx}"#,
        r#"{"x":"a"#,
        r#"{"x":"a\"}"#,
        "{\"x\":\"a\u{1}\"}",
        "{\"x\":\"a\u{1f}\"}",
        "{\"firstName\":\"\t\"}",
        "{\"\n\":1}",
        r#"{"x":"\x"}"#,
        r#"{"x":"\U0041"}"#,
        r#"{"x":"\u12"}"#,
        r#"{"x":"\u12G4"}"#,
        r#"{"x":"\'"}"#,
        r#"{"x":"\"#,
        r#"{"firstName":"\x"}"#,
        r#"{"firstName":"\u00"}"#,
        r#"{"firstName":1}"#,
        r#"{"firstName":["a"]}"#,
        r#"{"lastName":{}}"#,
        r#"{"createdAt":1}"#,
        r#"{"createdAt":"yesterday"}"#,
        r#"{"createdAt":"2023-02-29T00:00:00Z"}"#,
        r#"{"_embedded":1}"#,
        r#"{"_embedded":"x"}"#,
        r#"{"_embedded":{"emails":{}}}"#,
        r#"{"_embedded":{"emails":[1]}}"#,
        r#"{"_embedded":{"emails":[null]}}"#,
        r#"{"_embedded":{"emails":[{"value":1}]}}"#,
    ] {
        rejected(bad);
    }
}

#[test]
fn timestamps_are_read_by_jiff() {
    for good in [
        r#"{"createdAt":"2024-01-01T00:00:00Z"}"#,
        r#"{"createdAt":"2024-01-01T00:00:00.123456789Z"}"#,
        r#"{"createdAt":"2024-01-01T00:00:00+01:00"}"#,
        r#"{"createdAt":"2024-01-01t00:00:00z"}"#,
        r#"{"createdAt":"2024-01-01 00:00:00Z"}"#,
        r#"{"updatedAt":"2016-12-31T23:59:60Z"}"#,
        r#"{"updatedAt":"2024\u002d01-01T00:00:00Z"}"#,
    ] {
        accepted(good);
    }
    for bad in [
        r#"{"createdAt":"2024-01-01T00:00:00"}"#,
        r#"{"createdAt":"2024-01-01"}"#,
        r#"{"createdAt":""}"#,
        r#"{"updatedAt":"2024-13-01T00:00:00Z"}"#,
    ] {
        rejected(bad);
    }
}

#[test]
fn known_keys_may_not_repeat_unknown_ones_may() {
    for bad in [
        r#"{"id":1,"id":1}"#,
        r#"{"id":null,"id":null}"#,
        r#"{"firstName":"a","x":1,"firstName":"a"}"#,
        r#"{"lastName":null,"lastName":"b"}"#,
        r#"{"createdAt":null,"createdAt":null}"#,
        r#"{"updatedAt":null,"updatedAt":null}"#,
        r#"{"mailboxIds":[],"mailboxIds":[]}"#,
        r#"{"_embedded":null,"_embedded":null}"#,
        r#"{"_embedded":{"emails":[],"emails":null}}"#,
        r#"{"_embedded":{"emails":[{"value":"a","value":"b"}]}}"#,
        r#"{"firstName":"a","first\u004eame":"b"}"#,
        r#"{"\u0069d":1,"id":2}"#,
    ] {
        rejected(bad);
    }
    for good in [
        r#"{"x":1,"x":"two","x":[3]}"#,
        r#"{"emails":1,"emails":2,"value":1,"value":2}"#,
        r#"{"_embedded":{"value":1,"value":2,"x":1,"x":1}}"#,
        r#"{"_embedded":{"emails":[{"value":"a"},{"value":"b"}]}}"#,
        r#"{"_embedded":{"emails":[{"emails":1,"emails":2,"id":1,"id":2}]}}"#,
        r#"{"x":{"id":1,"id":2}}"#,
        r#"{"firstname":"a","firstName":"b","FirstName":"c"}"#,
    ] {
        accepted(good);
    }
}

#[test]
fn keys_are_compared_after_decoding_escapes() {
    let view = view_scanned(
        r#"{"first\u004eame":"John","\u006castName":"Smith","\u005fembedded":{"email\u0073":[{"valu\u0065":"j@x.com"}]},"\u0069\u0064":7}"#,
    )
    .unwrap();
    assert_eq!(view.first_name, Some(("John".to_owned(), true)));
    assert_eq!(view.last_name, Some(("Smith".to_owned(), true)));
    assert_eq!(view.id, Some(7));
    assert_eq!(
        view.emails,
        Some(Some(vec![Some(("j@x.com".to_owned(), true))]))
    );
    accepted(
        r#"{"first\u004eame":"John","\u006castName":"Smith","\u005fembedded":{"email\u0073":[{"valu\u0065":"j@x.com"}]},"\u0069\u0064":7}"#,
    );
    // An escape that decodes to something else is just another key.
    accepted(r#"{"first\u004Eame2":1,"firstName\u0000":2,"id\/":3}"#);
    rejected(r#"{"first\u004eame":1}"#);
}

#[test]
fn strings_borrow_unless_they_have_escapes() {
    let view = view_scanned(
        r#"{"firstName":"Zoë","lastName":"O\u0027Brien","_embedded":{"emails":[{"value":"a\/b"},{"value":"plain"}]}}"#,
    )
    .unwrap();
    assert_eq!(view.first_name, Some(("Zoë".to_owned(), true)));
    assert_eq!(view.last_name, Some(("O'Brien".to_owned(), false)));
    assert_eq!(
        view.emails,
        Some(Some(vec![
            Some(("a/b".to_owned(), false)),
            Some(("plain".to_owned(), true))
        ]))
    );
    accepted(r#"{"firstName":"\"\\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u20ac"}"#);
    // serde owns them all (see `content`).
    let serde = view_serde(r#"{"firstName":"Zoë"}"#).unwrap();
    assert_eq!(serde.first_name, Some(("Zoë".to_owned(), false)));
}

#[test]
fn arrays_in_place_of_objects_are_rejected_unlike_serde() {
    // serde reads a struct from an array of its fields in order; a customer
    // record is an object, so the scanner does not.
    for text in [
        "[1,\"John\",\"Smith\",null,null,null,null]",
        r#"{"_embedded":[null]}"#,
        r#"{"_embedded":[[{"value":"a@b.c"}]]}"#,
        r#"{"_embedded":{"emails":[["a@b.c"]]}}"#,
    ] {
        assert!(view_serde(text).is_ok(), "{text}");
        assert!(view_scanned(text).is_err(), "{text}");
        rejected(text);
    }
}

#[test]
fn the_sample_data_reads_the_same() {
    let sample = include_str!("../../../data/customers.json");
    let records: Vec<&serde_json::value::RawValue> = serde_json::from_str(sample).unwrap();
    assert!(!records.is_empty());
    for record in records {
        accepted(record.get());
    }
}

mod quick;
mod shapes;
