//! The one entry point that answers a request from a data source: it picks
//! the driver (in memory, or streamed for an NDJSON file), and every driver
//! returns the same [`Page`].

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use jiff::Timestamp;

use super::load::{self, DataError, Format};
use super::memory;
use super::page::Page;
use super::record::Customer;
use super::request::{ListCustomers, RequestErrors};
use super::stream::{self, StreamError, StreamOptions};

/// Where the records come from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Source<'a> {
    /// The built-in sample: 500 generated customers (`data/customers.json`).
    #[cfg(feature = "sample")]
    Sample,
    /// Records already in memory.
    Records(&'a [Customer]),
    /// Customer data as text: a JSON array, a HAL page or NDJSON.
    Text(&'a str),
    /// A file of customer data in any of the three formats. NDJSON in a
    /// regular file is streamed in bounded memory with these options; an
    /// array or a HAL page (or anything that is not a regular file) is read
    /// whole, up to [`StreamOptions::max_document`] bytes.
    File(&'a Path, StreamOptions),
}

/// The built-in sample data (500 customers), as JSON text.
#[cfg(feature = "sample")]
pub const SAMPLE: &str = include_str!("../../data/customers.json");

/// Why a request could not be answered from a source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// The request cannot be answered over this data: the mailbox rule
    /// (`mailbox=N` where no record has `mailboxIds`), or a query that cannot
    /// be evaluated. Reported like any invalid request.
    #[error("{0}")]
    Request(#[from] RequestErrors),
    /// The data is malformed; `origin` names it (a file's path, "the sample
    /// data", "the data").
    #[error("{origin}: {error}")]
    Data {
        /// Which data.
        origin: String,
        /// What is wrong, and where.
        error: DataError,
    },
    /// The data could not be read.
    #[error("{origin}: {error}")]
    Io {
        /// Which data.
        origin: String,
        /// The I/O error.
        error: io::Error,
    },
}

impl AnswerError {
    /// The code of the failure: the first request error's, or
    /// `invalid-data`, or `io`.
    pub fn code(&self) -> crate::diagnostic::Code {
        use crate::diagnostic::Code;
        match self {
            AnswerError::Request(errors) => errors
                .errors
                .first()
                .map_or(Code::InvalidData, |e| e.kind.code()),
            AnswerError::Data { .. } => Code::InvalidData,
            AnswerError::Io { .. } => Code::Io,
        }
    }
}

/// Answers `request` from `source`, with `now` as the clock for date math.
///
/// ```
/// use helpscout_query::customers::{Customer, ListCustomers, Source, answer};
/// let customers: Vec<Customer> = [
///     r#"{"id":1,"firstName":"John","createdAt":"2020-01-01T00:00:00Z"}"#,
///     r#"{"id":2,"firstName":"Johnny","createdAt":"2021-01-01T00:00:00Z"}"#,
/// ].iter().map(|j| Customer::from_json(j).unwrap()).collect();
/// let request = ListCustomers::from_query_string("query=firstName:%22John%22").unwrap().request;
/// let page = answer(&request, &Source::Records(&customers), jiff::Timestamp::now()).unwrap();
/// assert_eq!(page.total_elements, 1);
/// assert_eq!(page.customers[0].id(), Some(1));
/// let hal = page.to_hal_json(&request, None);
/// assert!(hal.contains("\"totalElements\": 1"));
/// ```
pub fn answer<'a>(
    request: &ListCustomers,
    source: &Source<'a>,
    now: Timestamp,
) -> Result<Page<'a>, AnswerError> {
    match *source {
        #[cfg(feature = "sample")]
        Source::Sample => answer_text(request, SAMPLE, "the sample data", now),
        Source::Records(customers) => Ok(memory::list(request, customers, now)?),
        Source::Text(text) => answer_text(request, text, "the data", now),
        Source::File(path, options) => answer_file(request, path, options, now),
    }
}

fn answer_text(
    request: &ListCustomers,
    text: &str,
    origin: &str,
    now: Timestamp,
) -> Result<Page<'static>, AnswerError> {
    let (customers, _) = load::load(text).map_err(|error| AnswerError::Data {
        origin: origin.to_owned(),
        error,
    })?;
    let page = memory::list(request, &customers, now)?;
    Ok(into_owned(page))
}

/// A page that owns its records.
fn into_owned(page: Page<'_>) -> Page<'static> {
    let customers = page
        .customers
        .into_iter()
        .map(|c| std::borrow::Cow::Owned(c.into_owned()))
        .collect();
    Page::new(customers, page.total_elements, page.number)
}

fn answer_file(
    request: &ListCustomers,
    path: &Path,
    options: StreamOptions,
    now: Timestamp,
) -> Result<Page<'static>, AnswerError> {
    let origin = path.display().to_string();
    let io_error = |error| AnswerError::Io {
        origin: origin.clone(),
        error,
    };
    let data_error = |error| AnswerError::Data {
        origin: origin.clone(),
        error,
    };
    let mut file = File::open(path).map_err(io_error)?;
    let regular = file.metadata().map_err(io_error)?.is_file();
    let (head, at_end) = read_head(&mut file, options.max_line).map_err(io_error)?;
    let format = Format::detect(&head, at_end).map_err(data_error)?;
    if format == Format::Ndjson && regular {
        drop(file);
        return stream::list_ndjson_file(path, request, now, options).map_err(|e| match e {
            StreamError::Io(error) => io_error(error),
            StreamError::Data(error) => data_error(error),
            StreamError::Request(errors) => AnswerError::Request(errors),
            other @ (StreamError::Changed | StreamError::NoThreads | StreamError::WorkerFailed) => {
                io_error(io::Error::other(other))
            }
        });
    }
    let mut bytes = head;
    if !at_end {
        let room = (options.max_document + 1).saturating_sub(bytes.len() as u64);
        (&mut file)
            .take(room)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
    }
    if bytes.len() as u64 > options.max_document {
        return Err(data_error(DataError::TooLarge {
            what: "the document",
            limit: options.max_document,
            advice: "write it as NDJSON (one record a line), which is streamed",
        }));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        data_error(DataError::Offset {
            offset: e.utf8_error().valid_up_to(),
            message: "the data is not valid UTF-8".to_owned(),
        })
    })?;
    answer_text(request, &text, &origin, now)
}

/// The start of a file, enough for [`Format::detect`]: 64 KiB, or on to
/// the end of its second non-blank line, up to [`MAX_LINE`] more. Says
/// whether the whole file was read.
fn read_head(file: &mut File, max_line: u64) -> io::Result<(Vec<u8>, bool)> {
    const CHUNK: u64 = 64 << 10;
    let mut head = Vec::new();
    let (mut line_start, mut complete_lines) = (0usize, 0usize);
    loop {
        let before = head.len();
        let n = (&mut *file).take(CHUNK).read_to_end(&mut head)?;
        if (n as u64) < CHUNK {
            return Ok((head, true));
        }
        // Only `{` needs lines to be told apart.
        let text = head.strip_prefix(super::json::BOM).unwrap_or(&head);
        let first = text.iter().find(|&&b| !super::json::is_json_space(b));
        if first.is_some_and(|&b| b != b'{') {
            return Ok((head, false));
        }
        for end in memchr::memchr_iter(b'\n', &head[before..]).map(|i| before + i) {
            if !super::json::is_blank(&head[line_start..end]) {
                complete_lines += 1;
            }
            line_start = end + 1;
        }
        if complete_lines >= 2 || head.len() as u64 > max_line + CHUNK {
            return Ok((head, false));
        }
    }
}
