//! Parse speed: ours against tantivy's query grammar on the same queries,
//! side by side in one run (issue 5, benchmarks 1 and 2).
//!
//! ```text
//! cargo bench --bench parse
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

#[path = "common/queries.rs"]
mod common_queries;
use common_queries::queries;

fn ours(query: &str) -> bool {
    helpscout_query::parse(query).is_ok()
}

fn tantivy(query: &str) -> bool {
    tantivy_query_grammar::parse_query(query).is_ok()
}

fn parse_set(c: &mut Criterion) {
    let queries = queries();
    for q in &queries {
        assert!(ours(q), "ours rejects {q}");
    }
    let bytes: usize = queries.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse_set");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("helpscout-query", |b| {
        b.iter(|| queries.iter().filter(|q| ours(black_box(q))).count())
    });
    group.bench_function("tantivy-query-grammar", |b| {
        b.iter(|| queries.iter().filter(|q| tantivy(black_box(q))).count())
    });
    group.finish();

    let mut group = c.benchmark_group("parse_each");
    for (i, q) in queries.iter().enumerate() {
        group.throughput(Throughput::Bytes(q.len() as u64));
        group.bench_with_input(BenchmarkId::new("helpscout-query", i + 1), q, |b, q| {
            b.iter(|| ours(black_box(q)))
        });
        group.bench_with_input(
            BenchmarkId::new("tantivy-query-grammar", i + 1),
            q,
            |b, q| b.iter(|| tantivy(black_box(q))),
        );
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling_or");
    for n in [1_000usize, 2_000, 4_000] {
        let query = (0..n)
            .map(|k| format!("email:\"u{k}@x.com\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let options = helpscout_query::ParseOptions {
            max_length: usize::MAX,
            ..Default::default()
        };
        assert!(helpscout_query::parse_with(&query, &options).is_ok());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &query, |b, q| {
            b.iter(|| helpscout_query::parse_with(black_box(q), &options).is_ok())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("scaling_nesting");
    for depth in [8usize, 16, 32, 64] {
        let query = format!(
            "{}firstName:\"John\"{}",
            "(".repeat(depth),
            ")".repeat(depth)
        );
        assert!(ours(&query), "depth {depth}");
        group.throughput(Throughput::Elements(depth as u64));
        group.bench_with_input(
            BenchmarkId::new("helpscout-query", depth),
            &query,
            |b, q| b.iter(|| ours(black_box(q))),
        );
        group.bench_with_input(
            BenchmarkId::new("tantivy-query-grammar", depth),
            &query,
            |b, q| b.iter(|| tantivy(black_box(q))),
        );
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = parse_set, scaling
}
criterion_main!(benches);
