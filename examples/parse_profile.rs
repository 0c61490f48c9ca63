//! A driver for profiling the parser (BENCHMARKS.md §1): parses the 11
//! queries of `benches/parse.rs` many times, with ours or with
//! tantivy-query-grammar, so that `perf` or `valgrind --tool=callgrind`
//! see nothing else.
//!
//! ```text
//! cargo build --release --example parse_profile
//! valgrind --tool=callgrind target/release/examples/parse_profile ours 2000
//! valgrind --tool=callgrind target/release/examples/parse_profile tantivy 2000
//! ```
//!
//! Arguments: `ours` or `tantivy`, the number of rounds (default 2000), and
//! optionally the number (1-11) of one query to parse alone.

use std::hint::black_box;

#[path = "../benches/common/queries.rs"]
mod common_queries;
use common_queries::queries;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map_or("ours", String::as_str);
    let rounds: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let mut queries = queries();
    if let Some(k) = args.get(3).and_then(|n| n.parse::<usize>().ok()) {
        queries = vec![queries[k - 1].clone()];
    }
    let mut ok = 0usize;
    for _ in 0..rounds {
        for q in &queries {
            let parsed = match which {
                "tantivy" => tantivy_query_grammar::parse_query(black_box(q)).is_ok(),
                _ => helpscout_query::parse(black_box(q)).is_ok(),
            };
            ok += usize::from(parsed);
        }
    }
    println!("{ok} parsed");
}
