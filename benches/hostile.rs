//! Hostile input (issue 9): wildcards and regular expressions against long words, rendering many
//! diagnostics of a long line, and the lenient path over a query full of
//! diagnostics. Where the old algorithm is short enough to keep, it runs
//! beside the new one in the same run.
//!
//! ```text
//! cargo bench --bench hostile
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use helpscout_query::diagnostic::render_all;
use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{
    Diagnostic, ParseOptions, Severity, Span, parse_lenient_with, schema, validate,
};

/// The matcher of `firstName:<pattern>`.
fn pattern(text: &str) -> Matcher {
    let query = format!("firstName:{text}");
    let typed = validate(&query, schema::customers(), &ParseOptions::default())
        .query
        .expect("a valid wildcard");
    Matcher::compile(&typed, jiff::Timestamp::UNIX_EPOCH).expect("compiles")
}

/// A customer whose first name is `name` (one word).
fn named(name: &str) -> Document {
    Document::new(Some(name), None, [], None, None)
}

/// The matcher as it was for one middle segment: every start position
/// tried, each compared character by character.
fn old_find(segment: &[char], chars: &[char]) -> Option<usize> {
    if chars.len() < segment.len() {
        return None;
    }
    (0..=chars.len() - segment.len())
        .find(|&at| segment.iter().zip(&chars[at..]).all(|(p, c)| p == c))
}

fn wildcards(c: &mut Criterion) {
    let mut group = c.benchmark_group("wildcard");
    // The issue's case: a 16k-character part against a 1M-character word.
    let token = named(&"a".repeat(1 << 20));
    let long = pattern(&format!("*{}b*", "a".repeat(16 * 1024)));
    group.bench_function("16k part, 1M word", |b| {
        b.iter(|| long.matches(black_box(&token)))
    });
    let masked = pattern(&format!("*{}b*", "a?".repeat(120)));
    group.bench_function("240-char part with '?', 1M word", |b| {
        b.iter(|| masked.matches(black_box(&token)))
    });
    // Side by side, smaller (the old one is quadratic).
    let small_token: Vec<char> = "a".repeat(128 * 1024).chars().collect();
    let small_text = named(&small_token.iter().collect::<String>());
    let segment: Vec<char> = format!("{}b", "a".repeat(2048)).chars().collect();
    let new = pattern(&format!("*{}*", segment.iter().collect::<String>()));
    group.bench_function("2k part, 128k word: new", |b| {
        b.iter(|| new.matches(black_box(&small_text)))
    });
    group.bench_function("2k part, 128k word: old", |b| {
        b.iter(|| old_find(black_box(&segment), black_box(&small_token)))
    });
    group.finish();
}

fn rendering(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    let source = "a ".repeat(512 * 1024);
    let diagnostics: Vec<Diagnostic> = (0..100)
        .map(|i| Diagnostic {
            severity: Severity::Warning,
            code: helpscout_query::Code::ImplicitOperator,
            message: "no operator between these clauses; reading it as AND".to_owned(),
            span: Span::new(1 + i * 10_000, 2 + i * 10_000),
            hint: None,
        })
        .collect();
    group.bench_function("100 diagnostics, 1 MiB line: render_all", |b| {
        b.iter(|| render_all(black_box(&diagnostics), black_box(&source)))
    });
    group.bench_function("100 diagnostics, 1 MiB line: render each", |b| {
        b.iter(|| {
            diagnostics
                .iter()
                .map(|d| d.render(black_box(&source)))
                .collect::<String>()
        })
    });
    group.finish();
}

fn lenient(c: &mut Criterion) {
    let mut group = c.benchmark_group("fix");
    let options = ParseOptions::default();
    let input = "a ".repeat(32 * 1024 - 1);
    group.bench_function("64 KiB of implicit operators, rendered", |b| {
        b.iter(|| {
            let lenient = parse_lenient_with(black_box(&input), &options);
            render_all(&lenient.diagnostics(), &input)
        })
    });
    group.finish();
}

/// Regular expressions that make backtracking engines exponential, or a
/// DFA exponential in size, against a long token: linear here (the `regex`
/// crate), and the compiled size is bounded by the parser's weight.
fn regexes(c: &mut Criterion) {
    let mut group = c.benchmark_group("regex");
    let token = named(&"a".repeat(1 << 20));
    for (name, text) in [
        ("/(a|aa)*b/", "/(a|aa)*b/"),
        ("/(a*)*b/", "/(a*)*b/"),
        ("/.*a.{20}b/", "/.*a.{20}b/"),
    ] {
        let matcher = pattern(text);
        group.bench_function(format!("{name} against 1M a's"), |b| {
            b.iter(|| matcher.matches(black_box(&token)))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = wildcards, rendering, lenient, regexes
}
criterion_main!(benches);
