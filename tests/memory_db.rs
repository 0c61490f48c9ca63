//! Memory of `hsq db load`, counted, not timed (issue 11): a load holds one
//! run of search rows being sorted and its buffers, whatever the size of
//! the data; the records stream to the server and the sorted runs wait in
//! temporary files.
//!
//! Needs a server, as `tests/postgres.rs` does (`HSQ_TEST_DATABASE_URL`).

mod counting;
#[path = "support/scratch.rs"]
mod scratch;

use counting::measure;
use helpscout_query::db::{Database, LoadMode};
use scratch::Scratch;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// `n` records of about 1.5 KB each (names from a short list, as customer
/// names repeat), one per line.
fn records(n: usize) -> String {
    let firsts = ["Ann", "John", "Søren", "Mary-Jane", "Zoë"];
    let lasts = ["Smith", "Kowalski", "Ng", "O'Brien", "Nakamura", "Dupont"];
    let mut out = String::with_capacity(n * 1_600);
    for i in 0..n {
        let first = firsts[i % firsts.len()];
        let last = lasts[(i / 7) % lasts.len()];
        out.push_str(&format!(
            "{{\"id\":{i},\"firstName\":\"{first}\",\"lastName\":\"{last}\",\
             \"createdAt\":\"2020-01-{:02}T10:00:00Z\",\"background\":\"{}\",\
             \"_embedded\":{{\"emails\":[{{\"value\":\"{}.{i}@example.com\"}}]}}}}\n",
            1 + i % 28,
            "x".repeat(1_400),
            first.to_lowercase()
        ));
    }
    out
}

#[test]
fn a_load_holds_one_sort_run_whatever_the_size_of_the_data() {
    let scratch = scratch!("memory_load");
    let mut db = scratch.database();
    let sort_memory = 256 << 10;
    db.set_sort_memory(sort_memory);
    let load = |db: &mut Database, text: &str| {
        db.load(text.as_bytes(), LoadMode::Replace, &mut |_| {})
            .expect("load")
    };
    let (small, large) = (records(4_000), records(16_000));
    load(&mut db, &small);
    let a = measure(|| load(&mut db, &small));
    let b = measure(|| load(&mut db, &large));
    eprintln!(
        "load of {} and {} bytes: {a:?} -> {b:?}",
        small.len(),
        large.len()
    );
    // Four times the data (24 MB, its search rows over 3 MB: a dozen runs
    // of 256 KiB) adds at most the merge's read buffers (64 KiB a run).
    assert!(
        b.peak < a.peak + (1 << 20),
        "four times the data: peak {} -> {} bytes",
        a.peak,
        b.peak
    );
    assert!(
        b.peak < large.len() as u64 / 4,
        "the peak ({} bytes) grows with the data ({} bytes)",
        b.peak,
        large.len()
    );
}
