//! Rendering diagnostics in time and memory bounded by what is shown.
//!
//! A diagnostic shows its line number, its column in characters and a
//! window of at most [`WINDOW`] characters of its line. Counting lines and
//! characters from the start of the input for each diagnostic costs the
//! whole input per diagnostic, which a long query with many diagnostics
//! turns into minutes; so the input is indexed once ([`SourceIndex`]: the
//! count of newlines and characters before every [`CHUNK`] bytes), and each
//! diagnostic then costs a binary search and a few chunks and windows,
//! however long the input and its lines are. Nothing copies the input.

use std::borrow::Cow;
use std::fmt::Write;

use memchr::memchr_iter;

use super::{Diagnostic, Severity};

/// The most characters of a line a rendering shows.
pub(crate) const WINDOW: usize = 100;

/// The index's step, in bytes.
const CHUNK: usize = 4096;

/// Newlines and characters before every [`CHUNK`] bytes of a text.
pub(crate) struct SourceIndex<'a> {
    source: &'a str,
    /// `newlines[k]`: the `\n`s in `source[..k * CHUNK]`.
    newlines: Vec<usize>,
    /// `chars[k]`: the characters that start in `source[..k * CHUNK]`.
    chars: Vec<usize>,
}

/// Whether `b` starts a character (is not a UTF-8 continuation byte).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl<'a> SourceIndex<'a> {
    /// Indexes `source`: one pass, `2 × len / CHUNK` integers.
    /// The text indexed.
    pub(crate) fn source(&self) -> &'a str {
        self.source
    }

    pub(crate) fn new(source: &'a str) -> SourceIndex<'a> {
        let chunks = source.len() / CHUNK + 1;
        let mut newlines = Vec::with_capacity(chunks);
        let mut chars = Vec::with_capacity(chunks);
        let (mut lines_so_far, mut chars_so_far) = (0, 0);
        newlines.push(0);
        chars.push(0);
        for chunk in source.as_bytes().chunks(CHUNK) {
            lines_so_far += memchr_iter(b'\n', chunk).count();
            chars_so_far += chunk.iter().filter(|&&b| starts_char(b)).count();
            newlines.push(lines_so_far);
            chars.push(chars_so_far);
        }
        SourceIndex {
            source,
            newlines,
            chars,
        }
    }

    /// `\n`s before byte `at`.
    fn newlines_before(&self, at: usize) -> usize {
        let k = at / CHUNK;
        self.newlines[k] + memchr_iter(b'\n', &self.source.as_bytes()[k * CHUNK..at]).count()
    }

    /// Characters before byte `at` (a character boundary).
    fn chars_before(&self, at: usize) -> usize {
        let k = at / CHUNK;
        self.chars[k]
            + self.source.as_bytes()[k * CHUNK..at]
                .iter()
                .filter(|&&b| starts_char(b))
                .count()
    }

    /// Where the line holding byte `at` starts.
    fn line_start(&self, at: usize) -> usize {
        let bytes = self.source.as_bytes();
        let k = at / CHUNK;
        if let Some(i) = memchr::memrchr(b'\n', &bytes[k * CHUNK..at]) {
            return k * CHUNK + i + 1;
        }
        let before = self.newlines[k];
        if before == 0 {
            return 0;
        }
        // The last chunk before `k` that holds a newline.
        let j = self.newlines[..=k].partition_point(|&n| n < before) - 1;
        let chunk = &bytes[j * CHUNK..(j + 1) * CHUNK];
        memchr::memrchr(b'\n', chunk).map_or(0, |i| j * CHUNK + i + 1)
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let at = floor_char_boundary(self.source, offset);
        let line_start = self.line_start(at);
        (
            self.newlines_before(at) + 1,
            self.chars_before(at) - self.chars_before(line_start) + 1,
        )
    }

    /// Renders `diagnostic` rustc-style (see [`Diagnostic::render`]).
    pub(crate) fn render(&self, diagnostic: &Diagnostic) -> String {
        let source = self.source;
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let start = floor_char_boundary(source, diagnostic.span.start);
        let end = floor_char_boundary(source, diagnostic.span.end.max(start));
        let line_start = self.line_start(start);
        let line = self.newlines_before(start) + 1;
        let before = self.chars_before(start) - self.chars_before(line_start);
        let column = before + 1;

        // Read ahead on the line, no further than a window needs.
        let mut ahead = source[start..].char_indices();
        let mut stop = source.len();
        let mut reached_end = true;
        for (read, (i, c)) in ahead.by_ref().enumerate() {
            if c == '\n' {
                stop = start + i;
                break;
            }
            if read == WINDOW + 1 {
                stop = start + i;
                reached_end = false;
                break;
            }
        }
        let text_end = if reached_end {
            let trimmed = source[line_start..stop].trim_end_matches('\r');
            line_start + trimmed.len()
        } else {
            stop
        };
        let len = if reached_end {
            self.chars_before(text_end) - self.chars_before(line_start)
        } else {
            usize::MAX
        };
        // Carets cover the span's characters on its first line, at least one.
        let span_chars = |cap: usize| source[start..end.min(stop)].chars().take(cap).count();

        let (shown, caret_column, width) = if len <= WINDOW {
            let text = &source[line_start..text_end];
            (text.to_owned(), before, span_chars(4 * WINDOW).max(1))
        } else {
            let width = span_chars(WINDOW / 2).max(1);
            let from = before.saturating_sub(WINDOW / 4);
            let to = (from + WINDOW).min(len);
            let from = to.saturating_sub(WINDOW).min(from);
            let from_byte = self.char_offset(start, before, from, line_start, text_end);
            let to_byte = self.char_offset(start, before, to, line_start, text_end);
            let mut shown = String::new();
            let mut caret = before - from;
            if from > 0 {
                shown.push('…');
                caret += 1;
            }
            shown.push_str(&source[from_byte..to_byte]);
            if to < len {
                shown.push('…');
            }
            (shown, caret, width)
        };

        // Control characters are shown escaped (`\u{1b}`), never sent raw to
        // a terminal; the carets move with them.
        let displayed = |c: char| match c {
            '\t' => 1,
            c if c.is_control() => escaped_len(c),
            _ => 1,
        };
        let mut chars = shown.chars();
        let caret_column: usize = chars.by_ref().take(caret_column).map(displayed).sum();
        let width = chars.take(width).map(displayed).sum::<usize>().max(1);
        let shown = escape_controls(&shown.replace('\t', " ")).into_owned();

        let gutter = " ".repeat(line.to_string().len());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{severity}[{}]: {}",
            diagnostic.code,
            escape_controls(&diagnostic.message)
        );
        let _ = writeln!(out, "{gutter}--> {line}:{column}");
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{line} | {shown}");
        let _ = writeln!(
            out,
            "{gutter} | {}{}",
            " ".repeat(caret_column),
            "^".repeat(width)
        );
        if let Some(hint) = &diagnostic.hint {
            let _ = writeln!(out, "{gutter} = hint: {}", escape_controls(hint));
        }
        out
    }

    /// The byte offset of character `target` of the line, knowing that byte
    /// `start` is its character `at`; walks at most a window's characters,
    /// within `[line_start, text_end]`.
    fn char_offset(
        &self,
        start: usize,
        at: usize,
        target: usize,
        line_start: usize,
        text_end: usize,
    ) -> usize {
        let source = self.source;
        if target >= at {
            let start = start.min(text_end);
            source[start..text_end]
                .char_indices()
                .nth(target - at)
                .map_or(text_end, |(i, _)| start + i)
        } else {
            let back = at - target;
            source[line_start..start]
                .char_indices()
                .rev()
                .nth(back - 1)
                .map_or(line_start, |(i, _)| line_start + i)
        }
    }
}

/// `text` with every control character but the newline written as a Rust
/// escape (`\u{1b}` for ESC): what reaches a terminal from the input can
/// never move its cursor, ring it, or change its colours.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The length of [`escape_controls`]' escape of `c`.
fn escaped_len(c: char) -> usize {
    format!("{:x}", u32::from(c)).len() + 4
}

pub(crate) fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
