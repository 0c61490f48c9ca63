//! Loading customer data: a JSON array, a HAL page (`_embedded.customers`),
//! or NDJSON, told apart by their first bytes.
//!
//! - starts with `[`: a JSON array of records;
//! - starts with `{` and holds exactly one JSON value with
//!   `_embedded.customers`: a HAL page, as `GET /v2/customers` returns;
//! - anything else starting with `{`: NDJSON, one record a line (blank lines
//!   allowed).
//!
//! Nothing is skipped: a malformed record fails the whole load, naming its
//! NDJSON line or its byte offset in the file.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::record::Customer;

/// Why customer data could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// Neither an array, a HAL page nor NDJSON.
    #[error("expected a JSON array of customers, a HAL page or NDJSON; the data starts with {0:?}")]
    UnknownFormat(String),
}

/// Which format the data was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A JSON array.
    Array,
    /// A HAL page.
    HalPage,
    /// Newline-delimited JSON.
    Ndjson,
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

/// Loads every customer in `text`.
///
/// ```
/// use helpscout_query::customers::data::{Format, load};
/// let (customers, format) = load("{\"id\":1}\n\n{\"id\":2}\n").unwrap();
/// assert_eq!((customers.len(), format), (2, Format::Ndjson));
/// let error = load("{\"id\":1}\n{\"id\":\"x\"}\n").unwrap_err();
/// assert!(error.to_string().starts_with("line 2:"), "{error}");
/// ```
pub fn load(text: &str) -> Result<(Vec<Customer>, Format), DataError> {
    let trimmed = text.trim_start();
    match trimmed.chars().next() {
        None => Ok((Vec::new(), Format::Array)),
        Some('[') => load_array(text).map(|c| (c, Format::Array)),
        Some('{') => match hal_page(text)? {
            Some(records) => Ok((records, Format::HalPage)),
            None => load_ndjson(text).map(|c| (c, Format::Ndjson)),
        },
        Some(_) => Err(DataError::UnknownFormat(trimmed.chars().take(20).collect())),
    }
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

fn records<'a>(
    text: &str,
    raws: impl IntoIterator<Item = &'a RawValue>,
) -> Result<Vec<Customer>, DataError> {
    raws.into_iter()
        .map(|raw| {
            Customer::from_raw(raw.to_owned()).map_err(|e| DataError::Offset {
                offset: offset_in(text, raw.get()),
                message: format!("invalid customer record: {e}"),
            })
        })
        .collect()
}

fn load_array(text: &str) -> Result<Vec<Customer>, DataError> {
    let raws: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| DataError::Offset {
        offset: error_offset(text, &e),
        message: e.to_string(),
    })?;
    records(text, raws)
}

/// `Some` when `text` is one JSON object with `_embedded.customers`.
fn hal_page(text: &str) -> Result<Option<Vec<Customer>>, DataError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    let first = match stream.next() {
        Some(Ok(first)) => first,
        // Not one well-formed value: NDJSON will say which line is wrong.
        _ => return Ok(None),
    };
    if !text[stream.byte_offset()..].trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<HalPage<'_>>(first.get()) {
        Ok(page) => records(text, page.embedded.customers).map(Some),
        Err(_) => Ok(None),
    }
}

fn load_ndjson(text: &str) -> Result<Vec<Customer>, DataError> {
    let mut customers = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.bytes().all(super::stream::is_json_space) {
            continue;
        }
        let customer = Customer::from_json(line).map_err(|e| DataError::Line {
            line: i + 1,
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
    }

    #[test]
    fn malformed_records_are_located() {
        let cases = [
            ("[{\"id\":1},\n {\"id\":\"x\"}]", "byte 12:"),
            ("[{\"id\":1}, {\"id\":", "byte 16:"),
            ("{\"id\":1}\n{\"id\"\n", "line 2:"),
            ("{\"id\":1}\n[1]\n", "line 2:"),
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
}
