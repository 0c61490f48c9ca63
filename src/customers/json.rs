//! JSON framing that knows nothing of customers: what JSON calls whitespace,
//! and how NDJSON cuts text into records.
//!
//! Every place that trims a record, skips a blank line or looks for the first
//! byte of a document uses these, so the loader, the streamer and the format
//! rule agree byte for byte (`str::trim` is Unicode-aware and would accept a
//! no-break space that JSON rejects).

/// JSON's whitespace (RFC 8259): space, tab, LF, CR. A form feed is not.
pub(crate) fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The UTF-8 byte order mark some exporters put at the start of a file.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The range of `bytes` without JSON whitespace at either end.
pub(crate) fn trimmed(bytes: &[u8]) -> std::ops::Range<usize> {
    let start = bytes
        .iter()
        .position(|&b| !is_json_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_json_space(b))
        .map_or(start, |i| i + 1);
    start..end
}

/// Whether `bytes` is only JSON whitespace.
pub(crate) fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| is_json_space(b))
}

/// One non-blank NDJSON line: its record's bytes without the whitespace
/// around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// The 0-based index of the line in the text given to [`lines`].
    pub(crate) index: usize,
    /// The offset of the line's first byte in that text.
    pub(crate) start: usize,
    /// The offset of the record's first byte in that text.
    pub(crate) record_start: usize,
    /// The record's bytes.
    pub(crate) record: &'a [u8],
}

/// The non-blank lines of NDJSON `bytes` (lines end at `\n`; a `\r` before
/// it is whitespace), in order.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut start = 0usize;
    ends.enumerate().filter_map(move |(index, end)| {
        let line_start = start.min(bytes.len());
        start = end + 1;
        let line = &bytes[line_start..end];
        let range = trimmed(line);
        (!range.is_empty()).then(|| Line {
            index,
            start: line_start,
            record_start: line_start + range.start,
            record: &line[range],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blank_ones_and_trim_json_space_only() {
        let text = b"{\"a\":1}\r\n\n  \t\n \x0c{}\n{\"b\":2}";
        let found: Vec<(usize, usize, &[u8])> = lines(text)
            .map(|l| (l.index, l.record_start, l.record))
            .collect();
        assert_eq!(
            found,
            [
                (0, 0, &b"{\"a\":1}"[..]),
                (3, 15, &b"\x0c{}"[..]),
                (4, 19, &b"{\"b\":2}"[..])
            ]
        );
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n\n").count(), 0);
        assert_eq!(trimmed(" \u{a0}".as_bytes()), 1..3);
    }
}
