//! Memory of loading customer data, counted, not timed (issue 9): doubling
//! the data at most about doubles the bytes allocated by `customers::load`
//! and by `customers::answer` over text, in each format and for hostile
//! shapes (one huge record, many tiny ones, deep nesting, errors late in
//! the data).

mod counting;

use counting::{assert_scales, measure};
use helpscout_query::customers::{self, ListCustomers, Source};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// The most a doubled input may multiply the bytes by.
const RATIO: f64 = 2.5;

fn record(i: usize) -> String {
    format!(
        r#"{{"id":{i},"firstName":"First{i}","lastName":"Last{}","createdAt":"2020-01-01T00:00:00Z","updatedAt":"2021-01-01T00:00:00Z","_embedded":{{"emails":[{{"value":"user{i}@example.com"}}]}},"notes":"kept verbatim"}}"#,
        i % 97
    )
}

fn array(n: usize) -> String {
    format!("[{}]", (0..n).map(record).collect::<Vec<_>>().join(",\n"))
}

fn hal(n: usize) -> String {
    format!(
        "{{\"_embedded\": {{\"customers\": {}}}, \"page\": {{\"size\": 50}}}}",
        array(n)
    )
}

fn ndjson(n: usize) -> String {
    (0..n).map(|i| record(i) + "\n").collect()
}

/// One record with an `n`-character name.
fn one_huge_record(n: usize) -> String {
    format!(r#"[{{"id":1,"firstName":"{}"}}]"#, "x".repeat(n))
}

/// `n` empty records: the most records per byte.
fn tiny_records(n: usize) -> String {
    "{}\n".repeat(n)
}

/// Good records, then one bad line at the end.
fn late_error(n: usize) -> String {
    ndjson(n) + "{\"id\":\"x\"}\n"
}

/// `n` records, each with an unknown field nested 100 deep.
fn deep_records(n: usize) -> String {
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    (0..n)
        .map(|i| format!("{{\"id\":{i},\"x\":{deep}}}\n"))
        .collect()
}

/// A data shape: its name, how to make `n` of it, `n`, and the most bytes
/// per input byte loading may cost.
type Case = (&'static str, fn(usize) -> String, usize, u64);

#[test]
fn doubling_the_data_at_most_doubles_the_bytes() {
    let request = match ListCustomers::from_query_string(
        "query=firstName%3AFirst1%2A%20OR%20email%3Aexample.com&sortField=lastName",
    ) {
        Ok(parsed) => parsed.request,
        Err(errors) => panic!("{errors}"),
    };
    let now = jiff::Timestamp::UNIX_EPOCH;
    // The last number bounds the peak in bytes per input byte: a record
    // keeps its JSON and a few hundred bytes of fields (`{}` is 3 bytes).
    let cases: [Case; 7] = [
        ("array", array, 2_000, 20),
        ("HAL page", hal, 2_000, 20),
        ("NDJSON", ndjson, 2_000, 20),
        ("one huge record", one_huge_record, 1 << 20, 20),
        ("tiny records", tiny_records, 20_000, 200),
        ("an error on the last line", late_error, 2_000, 20),
        ("deep records", deep_records, 1_000, 20),
    ];
    for (what, input, n, bound) in cases {
        let (small, large) = (input(n), input(2 * n));
        let load = |text: &str| {
            let _ = customers::load(text);
        };
        load(&small);
        let (a, b) = (measure(|| load(&small)), measure(|| load(&large)));
        eprintln!("load, {what}: {a:?} -> {b:?}");
        assert_scales(&format!("load, {what}"), a, b, RATIO);
        let per_byte = b.peak / large.len() as u64;
        assert!(
            per_byte < bound,
            "load, {what}: {per_byte} bytes per input byte"
        );

        let answer = |text: &str| {
            let _ = customers::answer(&request, &Source::Text(text), now);
        };
        let (a, b) = (measure(|| answer(&small)), measure(|| answer(&large)));
        eprintln!("answer, {what}: {a:?} -> {b:?}");
        assert_scales(&format!("answer, {what}"), a, b, RATIO);
    }
}
