//! Memory on hostile input (issue 9, items 1, 3, 4, 12), counted, not timed:
//! a counting global allocator measures the bytes allocated and the peak
//! held while parsing (strict, lenient, with the schema) and rendering
//! inputs full of warnings and errors. Doubling the input at most about
//! doubles both, and neither goes past a small multiple of the input:
//! diagnostics are grouped and capped, none copies the query, and
//! rendering indexes the input once.
//!
//! One test function runs every case in turn, so that no other test thread
//! allocates while a case is counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use helpscout_query::diagnostic::{diagnostics_to_json, render_all};
use helpscout_query::{ParseOptions, parse_lenient_with, parse_with, schema, validate};

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    ALLOCATED.fetch_add(size, Ordering::Relaxed);
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes allocated in all, and the most held at once, by `f` (what it
/// returns is dropped inside the count, after the peak).
fn measure<T>(f: impl FnOnce() -> T) -> (usize, usize) {
    let allocated = ALLOCATED.load(Ordering::Relaxed);
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    let result = f();
    let peak = PEAK.load(Ordering::Relaxed) - live;
    drop(result);
    (ALLOCATED.load(Ordering::Relaxed) - allocated, peak)
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn options() -> ParseOptions {
    ParseOptions {
        max_length: 16 << 20,
        ..ParseOptions::default()
    }
}

/// The whole of `hsq fmt --fix` but the printing: the lenient parse, the
/// repaired query's text, the diagnostics rendered (human and JSON).
fn fix(input: &str) -> (Option<String>, String, String) {
    let lenient = parse_lenient_with(input, &options());
    let diagnostics = lenient.diagnostics();
    (
        lenient.query.map(|q| q.to_string()),
        render_all(&diagnostics, input),
        diagnostics_to_json(&diagnostics, input),
    )
}

/// `hsq check`: syntax and schema, rendered.
fn check(input: &str) -> String {
    let validation = validate(input, schema::customers(), &options());
    render_all(&validation.diagnostics, input)
}

/// `hsq fmt`: the strict parse, rendered.
fn strict(input: &str) -> String {
    match parse_with(input, &options()) {
        Ok(parsed) => {
            let diagnostics: Vec<_> = parsed.warnings.iter().map(Into::into).collect();
            parsed.query.to_string() + &render_all(&diagnostics, input)
        }
        Err(errors) => render_all(&errors.diagnostics(), input),
    }
}

#[test]
fn doubling_a_hostile_input_at_most_about_doubles_the_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    type Case = (&'static str, fn(usize) -> String, fn(&str) -> usize);
    let cases: [Case; 9] = [
        (
            "implicit operators",
            |n| "a ".repeat(n),
            |s| strict(s).len(),
        ),
        (
            "stray parentheses",
            |n| ")".repeat(2 * n),
            |s| strict(s).len(),
        ),
        (
            "distinct invalid field names",
            |n| (0..n / 4).map(|i| format!("\"{i}\":b ")).collect(),
            |s| strict(s).len(),
        ),
        (
            "lower-case operators and minus prefixes",
            |n| "-a and -b or ".repeat(n / 6),
            |s| strict(s).len(),
        ),
        (
            "fix: implicit operators",
            |n| "a ".repeat(n),
            |s| fix(s).1.len(),
        ),
        (
            "fix: stray parentheses",
            |n| ")a ".repeat(n / 2),
            |s| fix(s).1.len(),
        ),
        ("fix: empty groups", |n| "()".repeat(n), |s| fix(s).1.len()),
        (
            "check: unknown fields",
            |n| "x:1 ".repeat(n / 2),
            |s| check(s).len(),
        ),
        (
            "check: many warnings and errors",
            |n| "createdAt:2014 fistName:a ".repeat(n / 13),
            |s| check(s).len(),
        ),
    ];
    for (name, input, run) in cases {
        let small = input(64 * 1024);
        let large = input(128 * 1024);
        let (allocated_small, peak_small) = measure(|| run(&small));
        let (allocated_large, peak_large) = measure(|| run(&large));
        eprintln!(
            "{name}: {} -> {} bytes of input; allocated {allocated_small} -> {allocated_large}, peak {peak_small} -> {peak_large}",
            small.len(),
            large.len()
        );
        assert!(
            allocated_large <= allocated_small * 5 / 2,
            "{name}: allocated {allocated_small} then {allocated_large}"
        );
        assert!(
            peak_large <= peak_small * 5 / 2,
            "{name}: peak {peak_small} then {peak_large}"
        );
        // And bounded in absolute terms. The syntax tree dominates: some
        // 370 bytes an operand (`a OR a OR …` holds no diagnostic and
        // peaks at 74 bytes an input byte), and `a a a …` is an operand
        // every two bytes.
        assert!(
            peak_large <= 256 * large.len(),
            "{name}: peak {peak_large} for {} bytes",
            large.len()
        );
    }
}

#[test]
fn diagnostics_are_grouped_and_capped() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // Many of the same: one diagnostic, that says how many places.
    let errors = parse_with(&")".repeat(50_000), &options()).unwrap_err();
    assert_eq!(errors.errors.len(), 1);
    let diagnostics = errors.diagnostics();
    assert_eq!(diagnostics.len(), 1);
    assert!(
        diagnostics[0]
            .message
            .ends_with("(here and in 49999 more places like it, the last at byte 49999)"),
        "{}",
        diagnostics[0].message
    );
    // Many different: capped at 100, and a closing note says how many more.
    let input: String = (0..500).map(|i| format!("\"{i}\":b ")).collect();
    let errors = parse_with(&input, &options()).unwrap_err();
    assert_eq!(errors.errors.len(), 100);
    assert_eq!(errors.omitted.errors, 400);
    let diagnostics = errors.diagnostics();
    let note = diagnostics.last().unwrap();
    assert_eq!(note.code, "more-diagnostics");
    assert_eq!(note.message, "400 more errors not listed");
    // Through validate too, schema diagnostics included.
    let validation = validate(&"x:1 ".repeat(5_000), schema::customers(), &options());
    assert!(
        validation.diagnostics.len() <= 3,
        "{:?}",
        validation.diagnostics
    );
}

#[test]
fn no_diagnostic_copies_a_long_word() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let word = "x".repeat(100_000);
    for input in [
        format!("{word}=1"),
        format!("\"{word}\":1"),
        format!("{word}:1"),
        format!("modifiedAt:{word}"),
        format!("modifiedAt:NOW{word}"),
        format!("modifiedAt:\"{word}\""),
    ] {
        let validation = validate(&input, schema::customers(), &options());
        assert!(!validation.diagnostics.is_empty(), "{input:.20}");
        for d in &validation.diagnostics {
            let size = d.message.len() + d.hint.as_ref().map_or(0, String::len);
            assert!(size < 1000, "{}: {size} bytes", d.code);
        }
    }
}
