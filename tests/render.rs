//! Rendering diagnostics (issue 9, item 12): each rendering costs its window,
//! not the input, and prints exactly what the straightforward renderer (kept
//! here as the reference, with control characters escaped) prints, for
//! every source and span.

use helpscout_query::diagnostic::{diagnostics_to_json, render_all};
use helpscout_query::{Diagnostic, Severity, Span};
use proptest::prelude::*;

const WINDOW: usize = 100;

/// The renderer as it was: re-reads the whole input per diagnostic.
fn reference(d: &Diagnostic, source: &str) -> String {
    use std::fmt::Write;
    let floor = |offset: usize| {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let start = floor(d.span.start);
    let end = floor(d.span.end.max(start));
    let before = &source[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let text = source[line_start..line_end].trim_end_matches('\r');
    let width = source[start..end.min(line_end)].chars().count().max(1);
    let gutter = " ".repeat(line.to_string().len());
    let chars: Vec<char> = text.chars().collect();
    let (shown, caret_column, width) = if chars.len() <= WINDOW {
        (text.to_owned(), column - 1, width)
    } else {
        let width = width.min(WINDOW / 2);
        let from = (column - 1).saturating_sub(WINDOW / 4);
        let to = (from + WINDOW).min(chars.len());
        let from = to.saturating_sub(WINDOW).min(from);
        let mut shown = String::new();
        let mut caret = column - 1 - from;
        if from > 0 {
            shown.push('…');
            caret += 1;
        }
        shown.extend(&chars[from..to]);
        if to < chars.len() {
            shown.push('…');
        }
        (shown, caret, width)
    };
    // Control characters but the tab (a space) are shown escaped, `\u{d}`,
    // and the carets move with them.
    let shown_as = |c: char| match c {
        '\t' => " ".to_owned(),
        c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
        c => c.to_string(),
    };
    let display: Vec<String> = shown.chars().map(shown_as).collect();
    let width_of = |items: &[String]| -> usize { items.iter().map(|s| s.chars().count()).sum() };
    let caret_at = caret_column.min(display.len());
    let covered = &display[caret_at..(caret_at + width).min(display.len())];
    let width = width_of(covered).max(1);
    let caret_column = width_of(&display[..caret_at]);
    let mut out = String::new();
    let _ = writeln!(out, "{severity}[{}]: {}", d.code, d.message);
    let _ = writeln!(out, "{gutter}--> {line}:{column}");
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{line} | {}", display.concat());
    let _ = writeln!(
        out,
        "{gutter} | {}{}",
        " ".repeat(caret_column),
        "^".repeat(width)
    );
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{gutter} = hint: {hint}");
    }
    out
}

fn diagnostic(start: usize, end: usize) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        code: helpscout_query::Code::ImplicitOperator,
        message: "a message".to_owned(),
        span: Span::new(start, end),
        hint: Some("a hint".to_owned()),
    }
}

/// Sources made of short and very long lines, tabs, CRs and wide characters.
fn source() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-c \t]{0,20}",
            "[aé日\r]{0,8}",
            (1usize..12_000).prop_map(|n| "x".repeat(n)),
            (1usize..3_000).prop_map(|n| "é".repeat(n)),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn renders_as_the_reference(
        source in source(),
        spans in prop::collection::vec((0.0f64..=1.0, 0usize..300), 1..6),
    ) {
        let diagnostics: Vec<Diagnostic> = spans
            .iter()
            .map(|&(at, len)| {
                let start = (at * source.len() as f64) as usize;
                diagnostic(start, start + len)
            })
            .collect();
        let expected: String = diagnostics.iter().map(|d| reference(d, &source)).collect();
        prop_assert_eq!(render_all(&diagnostics, &source), expected.clone());
        let one_by_one: String = diagnostics.iter().map(|d| d.render(&source)).collect();
        prop_assert_eq!(one_by_one, expected);
        // JSON: the same line and column.
        let json: serde_json::Value =
            serde_json::from_str(&diagnostics_to_json(&diagnostics, &source)).unwrap();
        for (item, d) in json.as_array().unwrap().iter().zip(&diagnostics) {
            let rendered = reference(d, &source);
            let place = rendered.lines().nth(1).unwrap().trim_start().trim_start_matches("--> ");
            let (line, column) = place.split_once(':').unwrap();
            prop_assert_eq!(item["line"].as_u64().unwrap().to_string(), line);
            prop_assert_eq!(item["column"].as_u64().unwrap().to_string(), column);
        }
    }
}

#[test]
fn a_megabyte_line_renders_a_window() {
    let source = format!("{}b{}", "a ".repeat(500_000), " c".repeat(500_000));
    let diagnostics: Vec<Diagnostic> = [0, 999_999, 1_000_000, 1_000_001, source.len()]
        .into_iter()
        .map(|at| diagnostic(at, at + 1))
        .collect();
    let text = render_all(&diagnostics, &source);
    assert!(text.len() < 5 * 400, "{} bytes", text.len());
    let expected: String = diagnostics.iter().map(|d| reference(d, &source)).collect();
    assert_eq!(text, expected);
}
