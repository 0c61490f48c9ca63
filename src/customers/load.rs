//! Loading customer data: the one rule that tells the three formats apart,
//! and reading a whole document into memory.
//!
//! The rule ([`Format::detect`]) looks only at the start of the data, so a
//! file is judged before it is read whole. After an optional UTF-8 byte order
//! mark and JSON whitespace:
//!
//! - `[`: a JSON array of records;
//! - `{` starting a first line that is one complete JSON object: NDJSON, one
//!   record a line (blank lines allowed), unless that object is a HAL page
//!   (it has `_embedded.customers`), then a one-line HAL page;
//! - `{` starting a line that is not complete: a pretty-printed document,
//!   which must be a HAL page; except when the next non-blank line is a
//!   complete object, then it is NDJSON whose first line is broken (and the
//!   error names line 1), unless the first line opens the key `_embedded`
//!   (a HAL page printed one record a line, never a record);
//! - nothing: no records;
//! - anything else: an error.
//!
//! Nothing is skipped: a malformed record fails the whole load, naming its
//! NDJSON line or its byte offset. A HAL page must be exactly one object whose
//! `_embedded.customers` is an array.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json::{self, BOM};
use super::record::Customer;

/// Why customer data could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A malformed line of NDJSON.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A malformed record or document at a byte offset.
    #[error("byte {offset}: {message}")]
    Offset {
        /// 0-based byte offset of the record (or of the syntax error).
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// Neither an array, a HAL page nor NDJSON. (What the data holds is not
    /// repeated: a file given by mistake may hold secrets.)
    #[error(
        "expected a JSON array of customers, a HAL page or NDJSON; the data does not start with '[' or '{{' (byte {offset})"
    )]
    UnknownFormat {
        /// The offset of the first byte that is not whitespace.
        offset: usize,
    },
    /// An NDJSON line (or the first line of any data) longer than the limit.
    #[error("line {line}: longer than {limit} bytes; is this customer data?")]
    TooLongLine {
        /// 1-based line number.
        line: usize,
        /// The limit, in bytes.
        limit: u64,
    },
    /// More data than the limit that applies to it.
    #[error("{what} is larger than {limit} bytes; {advice}")]
    TooLarge {
        /// What was too large (the first line, a record, the document).
        what: &'static str,
        /// The limit, in bytes.
        limit: u64,
        /// What to do about it.
        advice: &'static str,
    },
}

/// Which format the data is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON array (or no data at all).
    Array,
    /// A HAL page, as `GET /v2/customers` returns it.
    HalPage,
    /// Newline-delimited JSON: one record a line.
    Ndjson,
}

/// The largest JSON array or HAL page read into memory (NDJSON is streamed
/// from files whatever its size).
pub const MAX_DOCUMENT: u64 = 1 << 30;

/// The longest NDJSON line (one record), here and when streaming.
pub const MAX_LINE: u64 = 64 << 20;

#[derive(Deserialize)]
struct HalProbe<'a> {
    #[serde(rename = "_embedded", borrow)]
    embedded: Option<&'a RawValue>,
}

/// Whether one JSON value is an object with `_embedded.customers` (of any
/// type: a page whose list is `null` is a malformed page, not a record).
fn is_hal_page(value: &str) -> bool {
    serde_json::from_str::<HalProbe<'_>>(value)
        .ok()
        .and_then(|p| p.embedded)
        .and_then(|e| {
            serde_json::from_str::<std::collections::BTreeMap<String, serde::de::IgnoredAny>>(
                e.get(),
            )
            .ok()
        })
        .is_some_and(|e| e.contains_key("customers"))
}

/// The first non-blank line of `head` and what follows it; `None` when
/// `head` holds no complete line and `at_end` is false.
fn first_line(head: &[u8], at_end: bool) -> Option<(&[u8], &[u8])> {
    let mut rest = head;
    loop {
        let (line, after) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None if at_end => (rest, &rest[rest.len()..]),
            None => return None,
        };
        if !json::is_blank(line) || after.is_empty() {
            return Some((line, after));
        }
        rest = after;
    }
}

/// Whether a line is one complete JSON object.
fn is_complete_object(line: &[u8]) -> bool {
    let line = &line[json::trimmed(line)];
    line.first() == Some(&b'{') && serde_json::from_slice::<&RawValue>(line).is_ok()
}

/// Whether a line starts an object whose first key is `_embedded`: the
/// first line of a HAL page, never of a customer record.
fn opens_embedded(line: &[u8]) -> bool {
    let line = &line[json::trimmed(line)];
    line.strip_prefix(b"{")
        .is_some_and(|rest| rest[json::trimmed(rest).start..].starts_with(b"\"_embedded\""))
}

impl Format {
    /// The format of data that starts with `head`. `at_end` says whether
    /// `head` is all of it; otherwise `head` should hold the first two
    /// non-blank lines when they are short (a few KiB of a file, extended
    /// to the end of its first line, up to [`MAX_LINE`]).
    ///
    /// ```
    /// use helpscout_query::customers::Format;
    /// assert_eq!(Format::detect(b"[{\"id\":1}]", true), Ok(Format::Array));
    /// assert_eq!(Format::detect(b"{\"id\":1}\n{\"id\":2}\n", true), Ok(Format::Ndjson));
    /// assert_eq!(Format::detect(b"{\n  \"_embedded\": {\"customers\": []}\n}", true), Ok(Format::HalPage));
    /// assert!(Format::detect(b"id,firstName\n", true).is_err());
    /// ```
    pub fn detect(head: &[u8], at_end: bool) -> Result<Format, DataError> {
        let bom_len = if head.starts_with(BOM) { BOM.len() } else { 0 };
        let head = &head[bom_len..];
        let start = head
            .iter()
            .position(|&b| !json::is_json_space(b))
            .unwrap_or(head.len());
        let head = &head[start..];
        match head.first() {
            None if at_end => Ok(Format::Array),
            None => Err(DataError::TooLongLine {
                line: 1,
                limit: MAX_LINE,
            }),
            Some(b'[') => Ok(Format::Array),
            Some(b'{') => {
                let Some((line, rest)) = first_line(head, at_end) else {
                    return Err(DataError::TooLongLine {
                        line: 1 + memchr::memchr_iter(b'\n', head).count(),
                        limit: MAX_LINE,
                    });
                };
                if is_complete_object(line) {
                    return Ok(if is_hal_page(std::str::from_utf8(line).unwrap_or("")) {
                        Format::HalPage
                    } else {
                        Format::Ndjson
                    });
                }
                match first_line(rest, true) {
                    Some((next, _)) if is_complete_object(next) && !opens_embedded(line) => {
                        Ok(Format::Ndjson)
                    }
                    _ => Ok(Format::HalPage),
                }
            }
            Some(_) => Err(DataError::UnknownFormat {
                offset: bom_len + start,
            }),
        }
    }
}

/// Loads every customer in `text`, told apart by [`Format::detect`].
///
/// ```
/// use helpscout_query::customers::{Format, load};
/// let (customers, format) = load("{\"id\":1}\n\n{\"id\":2}\n").unwrap();
/// assert_eq!((customers.len(), format), (2, Format::Ndjson));
/// let error = load("{\"id\":1}\n{\"id\":\"x\"}\n").unwrap_err();
/// assert!(error.to_string().starts_with("line 2:"), "{error}");
/// ```
pub fn load(text: &str) -> Result<(Vec<Customer>, Format), DataError> {
    let bom = if text.as_bytes().starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let format = Format::detect(text.as_bytes(), true)?;
    let body = &text[bom..];
    let records = match format {
        Format::Array => load_array(body, bom)?,
        Format::HalPage => load_hal_page(body, bom)?,
        Format::Ndjson => load_ndjson(text)?,
    };
    Ok((records, format))
}

/// The byte offset of a serde error's line and column in `text`.
fn error_offset(text: &str, error: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + error.column().saturating_sub(1)).min(text.len())
}

/// The offset of `part` (a slice of `text`) within `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

fn syntax_error(text: &str, shift: usize, error: &serde_json::Error) -> DataError {
    DataError::Offset {
        offset: shift + error_offset(text, error),
        message: error.to_string(),
    }
}

fn records<'a>(
    text: &str,
    shift: usize,
    raws: impl IntoIterator<Item = &'a RawValue>,
) -> Result<Vec<Customer>, DataError> {
    raws.into_iter()
        .map(|raw| {
            Customer::from_raw(raw.to_owned()).map_err(|e| DataError::Offset {
                offset: shift + offset_in(text, raw.get()),
                message: format!("invalid customer record: {e}"),
            })
        })
        .collect()
}

fn load_array(text: &str, shift: usize) -> Result<Vec<Customer>, DataError> {
    if json::is_blank(text.as_bytes()) {
        return Ok(Vec::new());
    }
    let raws: Vec<&RawValue> =
        serde_json::from_str(text).map_err(|e| syntax_error(text, shift, &e))?;
    records(text, shift, raws)
}

#[derive(Deserialize)]
struct HalPage<'a> {
    #[serde(rename = "_embedded", borrow)]
    embedded: HalEmbedded<'a>,
}

#[derive(Deserialize)]
struct HalEmbedded<'a> {
    #[serde(borrow)]
    customers: Vec<&'a RawValue>,
}

/// Exactly one object with `_embedded.customers` an array; anything after
/// it (a second page on the next line) is an error.
fn load_hal_page(text: &str, shift: usize) -> Result<Vec<Customer>, DataError> {
    let page: HalPage<'_> = serde_json::from_str(text).map_err(|e| {
        let mut error = syntax_error(text, shift, &e);
        if let DataError::Offset { message, .. } = &mut error {
            // serde's message for a value of the wrong type quotes the
            // value, which may be anything the file holds (a secret); a
            // missing or duplicate field names only our own field.
            let ours = ["missing field", "duplicate field"]
                .iter()
                .any(|p| message.starts_with(p));
            if e.classify() == serde_json::error::Category::Data && !ours {
                *message = "a value of the wrong type".to_owned();
            }
            message.push_str(
                " (read as a HAL page: one object whose _embedded.customers is an array of records)",
            );
        }
        error
    })?;
    records(text, shift, page.embedded.customers)
}

fn load_ndjson(text: &str) -> Result<Vec<Customer>, DataError> {
    let mut customers = Vec::new();
    // The byte order mark that may start the file is not part of line 1
    // (which may be blank), and offsets in errors count from the start of
    // the line after it.
    let bom = if text.as_bytes().starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    for line in json::lines(&text.as_bytes()[bom..]) {
        let start = bom + line.start;
        let end = bom + line.record_start + line.record.len();
        let customer = Customer::from_json(&text[start..end]).map_err(|e| DataError::Line {
            line: line.index + 1,
            message: e.to_string(),
        })?;
        customers.push(customer);
    }
    Ok(customers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected() {
        let array = r#"[{"id":1},{"id":2}]"#;
        let hal = r#"{"_embedded":{"customers":[{"id":1}]},"page":{"size":50}}"#;
        let ndjson = "{\"id\":1}\n{\"id\":2}";
        let one_line = r#"{"id":1,"firstName":"John"}"#;
        assert_eq!(load(array).unwrap().1, Format::Array);
        assert_eq!(load(hal).unwrap().1, Format::HalPage);
        assert_eq!(load(ndjson).unwrap().1, Format::Ndjson);
        assert_eq!(load(one_line).unwrap().1, Format::Ndjson);
        assert_eq!(load("  ").unwrap().0.len(), 0);
        assert_eq!(load("\u{feff}[{\"id\":1}]").unwrap().0.len(), 1);
        assert_eq!(load("\u{feff}{\"id\":1}\n").unwrap().0.len(), 1);
    }

    #[test]
    fn malformed_records_are_located() {
        let cases = [
            ("[{\"id\":1},\n {\"id\":\"x\"}]", "byte 12:"),
            ("[{\"id\":1}, {\"id\":", "byte 16:"),
            ("{\"id\":1}\n{\"id\"\n", "line 2:"),
            ("{\"id\":1}\n[1]\n", "line 2:"),
            ("{\"id\":\n{\"id\":2}\n", "line 1:"),
            (
                "{\"_embedded\":{\"customers\":[{\"firstName\":1}]}}",
                "byte 27:",
            ),
            ("x", "expected a JSON array"),
        ];
        for (input, prefix) in cases {
            let error = load(input).unwrap_err().to_string();
            assert!(error.starts_with(prefix), "{input:?}: {error}");
        }
    }

    #[test]
    fn malformed_hal_pages_are_errors_not_records() {
        for input in [
            "{\"_embedded\":{\"customers\":null}}",
            "{\"_embedded\":{\"customers\":{\"id\":1}}}",
            "{\"_embedded\":{\"customers\":[]}}\n{\"_embedded\":{\"customers\":[]}}\n",
            "{\n\"_embedded\": {\"customers\": 3}\n}",
        ] {
            let error = load(input).unwrap_err().to_string();
            assert!(error.contains("HAL page"), "{input:?}: {error}");
        }
    }
}
