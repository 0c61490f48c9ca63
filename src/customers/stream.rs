//! Answering a List Customers request over an NDJSON file without loading it.
//!
//! Data flow, in bounded memory:
//!
//! ```text
//! reader thread --(line-aligned blocks)--> N workers --(top-k ranks)--> merge
//!      ^                                     |                            |
//!      +------------ recycled buffers -------+        read back <= 50 records by offset
//! ```
//!
//! The reader cuts the file into blocks that end at a newline and counts the
//! lines before each, so errors name their line. Each worker parses the
//! searchable fields of each line (borrowing from the block), filters, and
//! keeps only the best `page × 50` ranks it has seen (sort key, id, byte
//! offset, length): never a record. The ranks are merged, the page's window
//! taken, and its records read back from the file verbatim. Memory is the
//! blocks in flight plus the ranks, whatever the file's size.

use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc;

use jiff::Timestamp;
use serde_json::value::RawValue;

use super::data::DataError;
use super::record::Fields;
use super::request::{ListCustomers, RequestErrors};
use super::response::{Filter, Key, PAGE_SIZE, Rank, check_mailbox};

/// How a file is streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// Worker threads (at least one is used). Default: every core.
    pub threads: usize,
    /// Bytes per block (a block grows past it only to finish a longer line).
    /// Default 4 MiB; memory is about `(2 × threads + 1) × block_size`.
    pub block_size: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            block_size: 4 << 20,
        }
    }
}

/// Why a streamed answer failed.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The file could not be read.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A malformed record.
    #[error("{0}")]
    Data(#[from] DataError),
    /// The request cannot be answered over this data (the mailbox rule).
    #[error("{0}")]
    Request(#[from] RequestErrors),
}

/// A page answered from a file: the page's records verbatim and the counts.
#[derive(Debug)]
pub struct Streamed {
    /// The records of the page, in order, exactly as in the file.
    pub records: Vec<Box<RawValue>>,
    /// How many records matched.
    pub total_elements: usize,
    /// The page asked for.
    pub number: u32,
}

/// A line-aligned piece of the file.
struct Block {
    data: Vec<u8>,
    /// The file offset of `data[0]`.
    offset: u64,
    /// The 1-based number of the first line in `data`.
    first_line: usize,
}

/// A kept rank and where its record is.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    rank: Rank,
    len: usize,
}

/// What one worker found.
#[derive(Default)]
struct Found {
    best: BinaryHeap<Entry>,
    matched: usize,
    any_mailbox_ids: bool,
    /// The first malformed line this worker saw.
    error: Option<(usize, String)>,
}

/// Answers `request` over the NDJSON file at `path`, `now` as the clock.
///
/// ```no_run
/// use helpscout_query::customers::{ListCustomers, stream::{StreamOptions, list_ndjson_file}};
/// let request = ListCustomers::from_query_string("query=firstName:John").unwrap().request;
/// let page = list_ndjson_file("customers.ndjson".as_ref(), &request, jiff::Timestamp::now(), StreamOptions::default()).unwrap();
/// println!("{} matched", page.total_elements);
/// ```
pub fn list_ndjson_file(
    path: &Path,
    request: &ListCustomers,
    now: Timestamp,
    options: StreamOptions,
) -> Result<Streamed, StreamError> {
    let threads = options.threads;
    let block_size = options.block_size.max(1);
    let file = File::open(path)?;
    let filter = Filter::new(request, now)?;
    let keep = usize::try_from(request.page())
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE);
    let threads = threads.max(1);
    let failed = AtomicBool::new(false);

    let (block_tx, block_rx) = mpsc::sync_channel::<Block>(threads);
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    let block_rx = std::sync::Mutex::new(block_rx);
    let (found, read_result) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (block_rx, spare_tx, filter, failed) =
                    (&block_rx, spare_tx.clone(), &filter, &failed);
                scope.spawn(move || {
                    let mut found = Found::default();
                    loop {
                        // The lock is held only to take the next block.
                        let next = block_rx.lock().map(|rx| rx.recv());
                        let Ok(Ok(block)) = next else { break };
                        // Blocks come in file order: after its first error a
                        // worker only drains the channel, so that error stays
                        // its earliest.
                        if found.error.is_none() {
                            scan(&block, request, filter, keep, &mut found);
                        }
                        if found.error.is_some() {
                            failed.store(true, AtomicOrdering::Relaxed);
                        }
                        let _ = spare_tx.send(block.data);
                    }
                    found
                })
            })
            .collect();
        drop(spare_tx);
        let read_result = read_blocks(&file, block_size, &block_tx, &spare_rx, &failed);
        drop(block_tx);
        let found: Vec<Found> = workers.into_iter().filter_map(|w| w.join().ok()).collect();
        (found, read_result)
    });
    read_result?;

    if let Some((line, message)) = found
        .iter()
        .filter_map(|f| f.error.clone())
        .min_by_key(|(line, _)| *line)
    {
        return Err(DataError::Line { line, message }.into());
    }
    check_mailbox(request, found.iter().any(|f| f.any_mailbox_ids))?;
    let total_elements = found.iter().map(|f| f.matched).sum();
    let mut ranks: Vec<Entry> = found.into_iter().flat_map(|f| f.best.into_vec()).collect();
    ranks.sort_unstable();
    let start = keep.saturating_sub(PAGE_SIZE);
    let mut records = Vec::new();
    // The reader thread is done: plain seeks and reads (portable, unlike
    // positional reads) are safe on the one handle.
    let mut file = &file;
    for entry in ranks.into_iter().skip(start).take(PAGE_SIZE) {
        let mut bytes = vec![0; entry.len];
        file.seek(SeekFrom::Start(entry.rank.position as u64))?;
        file.read_exact(&mut bytes)?;
        let text =
            String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let raw = RawValue::from_string(text)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        records.push(raw);
    }
    Ok(Streamed {
        records,
        total_elements,
        number: request.page(),
    })
}

/// Reads the file into line-aligned blocks until the end, an error, or a
/// worker's failure.
fn read_blocks(
    file: &File,
    block_size: usize,
    blocks: &mpsc::SyncSender<Block>,
    spares: &mpsc::Receiver<Vec<u8>>,
    failed: &AtomicBool,
) -> io::Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64;
    let mut line = 1usize;
    let mut eof = false;
    while !eof && !failed.load(AtomicOrdering::Relaxed) {
        let mut data = spares.try_recv().unwrap_or_default();
        data.clear();
        data.append(&mut carry);
        // Fill to the block size, then on until a newline (or the end).
        // (`read_to_end` reads into the spare capacity without zeroing it.)
        loop {
            let filled = data.len();
            let want = block_size
                .saturating_sub(filled)
                .max(block_size.min(64 * 1024));
            data.reserve(want);
            let n = file.take(want as u64).read_to_end(&mut data)?;
            if n < want {
                eof = true;
                break;
            }
            if data.len() >= block_size && memchr::memchr(b'\n', &data[filled..]).is_some() {
                break;
            }
        }
        let cut = if eof {
            data.len()
        } else {
            data.iter()
                .rposition(|&b| b == b'\n')
                .map_or(data.len(), |i| i + 1)
        };
        carry.extend_from_slice(&data[cut..]);
        data.truncate(cut);
        if data.is_empty() {
            continue;
        }
        let lines = memchr::memchr_iter(b'\n', &data).count();
        let block = Block {
            data,
            offset,
            first_line: line,
        };
        offset += block.data.len() as u64;
        line += lines;
        if blocks.send(block).is_err() {
            break;
        }
    }
    Ok(())
}

/// Filters and ranks every line of a block.
fn scan(block: &Block, request: &ListCustomers, filter: &Filter, keep: usize, found: &mut Found) {
    let (field, order) = (request.sort_field(), request.sort_order());
    let data = block.data.as_slice();
    let mut line_start = 0usize;
    let ends = memchr::memchr_iter(b'\n', data).chain(std::iter::once(data.len()));
    for (index, line_end) in ends.enumerate() {
        let (begin, mut first, mut last) = (line_start, line_start, line_end);
        line_start = line_end + 1;
        // The record's exact bytes, without surrounding whitespace (a '\r').
        while first < last && is_json_space(data[first]) {
            first += 1;
        }
        while last > first && is_json_space(data[last - 1]) {
            last -= 1;
        }
        if first == last {
            continue;
        }
        let raw_line = &data[first..last];
        let line_number = block.first_line + index;
        let fields = std::str::from_utf8(raw_line)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                // The offset in the error counts from the start of the line.
                Fields::parse(text).map_err(|e| e.shifted(first - begin).to_string())
            });
        let fields = match fields {
            Ok(fields) => fields,
            Err(message) => {
                found.error = Some((line_number, message));
                return;
            }
        };
        found.any_mailbox_ids |= fields.mailbox_ids.is_some();
        let doc = fields.lazy_document();
        if !filter.matches(&doc, fields.mailbox_ids.as_deref()) {
            continue;
        }
        found.matched += 1;
        let key = Key::of(
            field,
            &doc,
            fields.first_name.as_deref(),
            fields.last_name.as_deref(),
            filter,
        );
        let entry = Entry {
            rank: Rank {
                key,
                id: fields.id,
                position: usize::try_from(block.offset).unwrap_or(usize::MAX) + first,
                order,
            },
            len: raw_line.len(),
        };
        // The heap's top is the worst rank kept: replace it when this is better.
        if found.best.len() < keep {
            found.best.push(entry);
        } else if found.best.peek().is_some_and(|worst| entry < *worst) {
            found.best.pop();
            found.best.push(entry);
        }
    }
}

/// Whether the file at `path` is NDJSON, judged by its first non-blank line:
/// one complete JSON object that is not a HAL page. (A JSON array or a
/// pretty-printed document is not; load those with [`super::data::load`].)
///
/// Only a regular file can be streamed (it is read twice: scanned, then the
/// page read back): a pipe or a FIFO answers `false`, without reading from it.
pub fn is_ndjson_file(path: &Path) -> io::Result<bool> {
    if !std::fs::metadata(path)?.is_file() {
        return Ok(false);
    }
    use std::io::BufRead;

    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "_embedded")]
        embedded: Option<ProbeEmbedded>,
    }
    #[derive(serde::Deserialize)]
    struct ProbeEmbedded {
        customers: Option<serde::de::IgnoredAny>,
    }

    let mut reader = io::BufReader::new(File::open(path)?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(false);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let line = line.trim();
    Ok(line.starts_with('{')
        && serde_json::from_str::<Probe>(line)
            .is_ok_and(|p| p.embedded.is_none_or(|e| e.customers.is_none())))
}

/// JSON's whitespace (RFC 8259): what may surround a record on its line. A
/// form feed is not, here or in [`super::data::load`].
pub(crate) fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}
