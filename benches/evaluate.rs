//! Evaluation speed: the compiled matcher against hand-written closures with
//! the same semantics, over the same 1 000 000 prepared documents, side by
//! side in one run (issue 5, benchmark 3). `select` is the batch API (what
//! in-memory filtering uses); `matches` tests one document at a time (what
//! the NDJSON stream uses, where parsing dominates).
//!
//! ```text
//! cargo bench --bench evaluate
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use helpscout_query::eval::Token;
use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{ParseOptions, schema, validate};
use jiff::Timestamp;

const RECORDS: usize = 1_000_000;

#[path = "../examples/support/generate.rs"]
mod generate;

use generate::Rng;

fn documents() -> Vec<Document> {
    let first = [
        "John", "Johnny", "Mary Ann", "Jane", "José", "Zoë", "Liam", "Emma", "Noah", "Ava",
    ];
    let last = [
        "Appleseed",
        "Smith",
        "Doe",
        "Müller",
        "O'Brien",
        "García",
        "Nguyen",
        "Kim",
    ];
    let domains = [
        "example.com",
        "gmail.com",
        "appleseed.com",
        "web.de",
        "acme.io",
    ];
    let mut rng = Rng(42);
    (0..RECORDS)
        .map(|i| {
            let f = rng.pick(&first);
            let emails: Vec<String> = (0..1 + rng.next() % 2)
                .map(|k| {
                    format!(
                        "{}{k}@{}",
                        f.to_lowercase().replace(' ', "."),
                        rng.pick(&domains)
                    )
                })
                .collect();
            let created =
                Timestamp::from_second(1_325_376_000 + (rng.next() % 378_432_000) as i64).ok();
            let updated = created
                .map(|c| c + jiff::SignedDuration::from_secs((rng.next() % 100_000_000) as i64));
            let last = (i % 10 != 0).then(|| rng.pick(&last));
            Document::new(
                Some(f),
                last,
                emails.iter().map(String::as_str),
                created,
                updated,
            )
        })
        .collect()
}

fn matcher(query: &str, now: Timestamp) -> Matcher {
    let typed = validate(query, schema::customers(), &ParseOptions::default())
        .query
        .unwrap_or_else(|| panic!("invalid benchmark query {query}"));
    Matcher::compile(&typed, now).unwrap()
}

fn has_tokens(field: &[Token], needle: &[&str]) -> bool {
    field
        .windows(needle.len())
        .any(|w| w.iter().zip(needle).all(|(a, b)| a == b))
}

type Closure = Box<dyn Fn(&Document) -> bool>;

fn evaluate(c: &mut Criterion) {
    let docs = documents();
    let now: Timestamp = "2024-06-15T12:00:00Z".parse().unwrap();
    let from: Timestamp = "2015-01-01T00:00:00Z".parse().unwrap();
    let until: Timestamp = "2016-01-01T00:00:00Z".parse().unwrap();
    let since_2014: Timestamp = "2014-01-01T00:00:00Z".parse().unwrap();
    let cases: Vec<(&str, &str, Closure)> = vec![
        (
            "term",
            "firstName:john",
            Box::new(|d: &Document| {
                d.first_name
                    .as_deref()
                    .is_some_and(|t| has_tokens(t, &["john"]))
            }),
        ),
        (
            "phrase",
            r#"firstName:"mary ann""#,
            Box::new(|d: &Document| {
                d.first_name
                    .as_deref()
                    .is_some_and(|t| has_tokens(t, &["mary", "ann"]))
            }),
        ),
        (
            "email_domain",
            r#"email:"example.com""#,
            Box::new(|d: &Document| d.emails.iter().any(|e| has_tokens(e, &["example.com"]))),
        ),
        (
            "date_range",
            "modifiedAt:[2015-01-01T00:00:00Z TO 2016-01-01T00:00:00Z}",
            Box::new(move |d: &Document| d.updated_at.is_some_and(|t| t >= from && t < until)),
        ),
        (
            "mixed",
            r#"(firstName:john OR firstName:johnny) AND NOT email:"gmail.com" AND modifiedAt:[2014 TO *]"#,
            Box::new(move |d: &Document| {
                d.first_name
                    .as_deref()
                    .is_some_and(|t| has_tokens(t, &["john"]) || has_tokens(t, &["johnny"]))
                    && !d.emails.iter().any(|e| has_tokens(e, &["gmail.com"]))
                    && d.updated_at.is_some_and(|t| t >= since_2014)
            }),
        ),
    ];
    for (name, query, closure) in &cases {
        let matcher = matcher(query, now);
        let expected = docs.iter().filter(|d| closure(d)).count();
        assert_eq!(
            docs.iter().filter(|d| matcher.matches(d)).count(),
            expected,
            "{name}: the closure disagrees"
        );
        assert_eq!(
            matcher.select(&docs, |d| d).len(),
            expected,
            "{name}: select disagrees"
        );
        let mut group = c.benchmark_group(format!("evaluate_{name}"));
        group.throughput(Throughput::Elements(RECORDS as u64));
        group.bench_function("select", |b| {
            b.iter(|| matcher.select(black_box(&docs), |d| d).len())
        });
        group.bench_function("matches", |b| {
            b.iter(|| {
                docs.iter()
                    .filter(|d| matcher.matches(black_box(d)))
                    .count()
            })
        });
        group.bench_function("closure", |b| {
            b.iter(|| docs.iter().filter(|d| closure(black_box(d))).count())
        });
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = evaluate
}
criterion_main!(benches);
