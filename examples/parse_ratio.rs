//! Side-by-side timing of one query (BENCHMARKS.md §1, issue 14 fourth
//! round): ours and tantivy-query-grammar in alternating short batches, so
//! that both see the same load, each reported as its fastest batch and its
//! median batch (per parse), with the ratios. On a shared machine the
//! fastest batch is the one least disturbed; criterion (`benches/parse.rs`)
//! remains the benchmark of record.
//!
//! ```text
//! cargo build --release --example parse_ratio
//! target/release/examples/parse_ratio 4          # query 4 of the set
//! target/release/examples/parse_ratio 4 20000    # 20000 batches each (default 10000)
//! ```

use std::hint::black_box;
use std::time::Instant;

#[path = "../benches/common/queries.rs"]
mod common_queries;
use common_queries::queries;

fn ours(query: &str) -> bool {
    helpscout_query::parse(query).is_ok()
}

fn tantivy(query: &str) -> bool {
    tantivy_query_grammar::parse_query(query).is_ok()
}

/// Nanoseconds per parse over one batch of `n` parses.
fn batch(parse: fn(&str) -> bool, query: &str, n: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        black_box(parse(black_box(query)));
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let k: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(4);
    let batches: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let all = queries();
    let Some(query) = all.get(k.wrapping_sub(1)) else {
        eprintln!("no query {k}: 1 to {}", all.len());
        std::process::exit(2);
    };
    // About 20 µs a batch for ours: short enough that many batches run
    // undisturbed.
    let n = (20_000.0 / batch(ours, query, 10_000)).max(1.0) as u32;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..batches {
        // Alternate which runs first, so neither always follows the other.
        if round % 2 == 0 {
            a.push(batch(ours, query, n));
            b.push(batch(tantivy, query, n));
        } else {
            b.push(batch(tantivy, query, n));
            a.push(batch(ours, query, n));
        }
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[0], v[v.len() / 2])
    };
    let (a_min, a_med) = stats(&mut a);
    let (b_min, b_med) = stats(&mut b);
    println!(
        "query {k}: ours min {a_min:.1} ns median {a_med:.1} ns; tantivy min {b_min:.1} ns median {b_med:.1} ns; ratio min {:.2}x median {:.2}x",
        b_min / a_min,
        b_med / a_med
    );
}
