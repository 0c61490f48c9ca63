//! `hsq db load` reads its input with a streaming reader of its own
//! ([`super::read_records`]: a HAL page or an array is never held whole),
//! where the file path parses the text at once ([`crate::customers::load`]).
//! They must take the same inputs and yield the same records, in order:
//! generated documents (HAL pages and arrays with extra, missing and
//! repeated keys, values of the wrong type, NDJSON, blank lines, a byte
//! order mark, text cut short or followed by more) are read both ways.

use proptest::prelude::*;

use super::{DbError, read_for_check};
use crate::customers::{self, Customer};

/// The records `hsq db load` would load from `text`, or its error.
fn by_the_loader(text: &str) -> Result<Vec<String>, DbError> {
    read_for_check(text.as_bytes())
}

/// The records the file path loads from `text`, or its error.
fn by_the_file_path(text: &str) -> Result<Vec<String>, String> {
    customers::load(text)
        .map(|(customers, _)| {
            customers
                .iter()
                .map(Customer::json)
                .map(str::to_owned)
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// Whitespace between tokens, newlines included.
fn space() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " ", "\n", " \n  ", "\r\n", "\t"]).prop_map(str::to_owned)
}

fn record() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        r#"{"id":1,"firstName":"Ann"}"#,
        r#"{"id":2,"lastName":"Ng","_embedded":{"emails":[{"value":"a@b.io"}]}}"#,
        r#"{}"#,
        r#"{"id":"three"}"#,
        r#"{"id":4,"id":5}"#,
        r#"{"id":6,
"firstName":"Zoë"}"#,
        "[1]",
        "7",
        "null",
    ])
    .prop_map(str::to_owned)
}

fn array() -> impl Strategy<Value = String> {
    (prop::collection::vec((record(), space()), 0..4), space()).prop_map(|(items, end)| {
        let items: Vec<String> = items.into_iter().map(|(r, s)| format!("{s}{r}")).collect();
        format!("[{}{end}]", items.join(","))
    })
}

/// A value of any shape for a key: an array of records, an object, a scalar.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => array(),
        1 => Just("{}".to_owned()),
        1 => Just("5".to_owned()),
        1 => Just("null".to_owned()),
        1 => Just(r#""customers""#.to_owned()),
    ]
}

fn object(keys: Vec<&'static str>, values: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(keys), values, space(), space()), 0..4).prop_map(
        |pairs| {
            let pairs: Vec<String> = pairs
                .into_iter()
                .map(|(k, v, a, b)| format!("{a}\"{k}\":{b}{v}"))
                .collect();
            format!("{{{}}}", pairs.join(","))
        },
    )
}

fn hal_page() -> impl Strategy<Value = String> {
    let embedded = object(vec!["customers", "other"], value().boxed());
    let page_value = prop_oneof![3 => embedded, 1 => value()].boxed();
    object(vec!["_embedded", "page", "_links"], page_value)
}

fn document() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        3 => hal_page(),
        2 => array(),
        2 => prop::collection::vec((record(), space()), 0..4).prop_map(|lines| {
            lines.into_iter().map(|(r, s)| format!("{r}\n{s}")).collect::<String>()
        }),
    ];
    (
        body,
        space(),
        prop::sample::select(vec!["", "", "", "\n{\"id\":9}", "x", "\n", "]"]),
        any::<bool>(),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(body, lead, tail, bom, cut)| {
            let mut text = format!("{}{lead}{body}{tail}", if bom { "\u{feff}" } else { "" });
            if let Some(cut) = cut {
                let at = cut.index(text.len() + 1);
                if text.is_char_boundary(at) {
                    text.truncate(at);
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_loader_reads_what_the_file_path_reads(text in document()) {
        match (by_the_loader(&text), by_the_file_path(&text)) {
            (Ok(loaded), Ok(read)) => prop_assert_eq!(loaded, read, "{:?}", text),
            (Err(_), Err(_)) => {}
            (loaded, read) => prop_assert!(
                false,
                "{:?}: the loader says {:?}, the file path {:?}",
                text,
                loaded.map(|r| r.len()),
                read.map(|r| r.len())
            ),
        }
    }
}
