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
//! The reader cuts the file into blocks that end at a newline. Lines are
//! not counted on the way (a pass over every byte): an error's line number
//! is counted once it is known where the line starts, by reading the file
//! again up to there. Each worker parses the
//! searchable fields of each line (borrowing from the block), filters (a
//! line the prefilter rules out, `super::prefilter`, is still validated but
//! never matched), and keeps only the best `page × 50` ranks it has seen
//! (sort key, id, byte offset, length): never a record. The ranks are merged, the page's window
//! taken, and its records read back from the file verbatim. Memory is the
//! blocks in flight plus the ranks, whatever the file's size.

use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc;

use std::borrow::Cow;

use jiff::Timestamp;

use super::filter::{Filter, Key, Rank, check_mailbox};
use super::json;
use super::load::{DataError, MAX_LINE};
use super::page::{PAGE_SIZE, Page};
use super::prefilter::{self, Prefilter, Prefiltering, Scratch};
use super::record::Customer;
use super::request::{ListCustomers, RequestErrors};
use super::scan::{self, shapes::Shapes};

/// How a file is read: streamed (NDJSON in a regular file) or whole, and
/// the bounds that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// Worker threads (at least one is used). Default: every core.
    pub threads: usize,
    /// Bytes per block (a block grows past it only to finish a longer line).
    /// Default 4 MiB; memory is about `(2 × threads + 1) × block_size`.
    pub block_size: usize,
    /// The longest NDJSON line (one record); default [`MAX_LINE`].
    pub max_line: u64,
    /// The largest JSON array or HAL page read whole; default
    /// [`MAX_DOCUMENT`](super::load::MAX_DOCUMENT).
    pub max_document: u64,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            block_size: 4 << 20,
            max_line: MAX_LINE,
            max_document: super::load::MAX_DOCUMENT,
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
    /// No worker thread could be started.
    #[error("cannot start a thread to read the file")]
    NoThreads,
    /// A worker thread stopped before the end.
    #[error("a thread reading the file failed")]
    WorkerFailed,
    /// The file changed between the scan and reading the page back.
    #[error("the file changed while it was being read; answer again once it is written")]
    Changed,
}

/// A line-aligned piece of the file.
struct Block {
    data: Vec<u8>,
    /// The file offset of `data[0]`.
    offset: u64,
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
    /// The first malformed line this worker saw: the file offset where
    /// the line starts, and the message.
    error: Option<(u64, String)>,
}

/// Answers `request` over the NDJSON file at `path`, `now` as the clock.
pub(crate) fn list_ndjson_file(
    path: &Path,
    request: &ListCustomers,
    now: Timestamp,
    options: StreamOptions,
) -> Result<Page<'static>, StreamError> {
    list_ndjson_file_with(path, request, now, options, Prefiltering::On)
}

/// [`list_ndjson_file`], with or without the prefilter (the same answer
/// either way; tests compare them).
pub(crate) fn list_ndjson_file_with(
    path: &Path,
    request: &ListCustomers,
    now: Timestamp,
    options: StreamOptions,
    prefiltering: Prefiltering,
) -> Result<Page<'static>, StreamError> {
    let threads = options.threads;
    let file = File::open(path)?;
    let before = Stamp::of(&file)?;
    let filter = Filter::new(request, now)?;
    let prefilter = match prefiltering {
        Prefiltering::On => Prefilter::new(&filter.required_literals()),
        Prefiltering::Off => None,
    };
    let prefilter = prefilter.as_ref();
    let keep = usize::try_from(request.page())
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE);
    let threads = threads.max(1);
    let max_line = options.max_line;
    let failed = AtomicBool::new(false);

    let (block_tx, block_rx) = mpsc::sync_channel::<Block>(threads);
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    let block_rx = std::sync::Mutex::new(block_rx);
    let (found, read_result) = std::thread::scope(|scope| {
        // A thread that cannot be started (a memory or process limit) means
        // fewer workers; none at all is an error.
        let workers: Vec<_> = (0..threads)
            .map_while(|_| {
                let (block_rx, spare_tx, filter, failed) =
                    (&block_rx, spare_tx.clone(), &filter, &failed);
                let (mut scratch, mut shapes) = (Scratch::default(), Shapes::default());
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || {
                        let mut found = Found::default();
                        loop {
                            // The lock is held only to take the next block.
                            let next = block_rx.lock().map(|rx| rx.recv());
                            let Ok(Ok(block)) = next else { break };
                            // Blocks come in file order: after its first error a
                            // worker only drains the channel, so that error stays
                            // its earliest.
                            if found.error.is_none() {
                                let filter = (filter, prefilter, &mut scratch, &mut shapes);
                                scan(&block, request, filter, keep, max_line, &mut found);
                            }
                            if found.error.is_some() {
                                failed.store(true, AtomicOrdering::Relaxed);
                            }
                            let _ = spare_tx.send(block.data);
                        }
                        found
                    })
                    .ok()
            })
            .collect();
        drop(spare_tx);
        if workers.is_empty() {
            return (Vec::new(), Err(StreamError::NoThreads));
        }
        let read_result = read_blocks(&file, &options, &block_tx, &spare_rx, &failed);
        drop(block_tx);
        // A worker that panicked lost its records: that is an error, never
        // a smaller answer.
        let found: Result<Vec<Found>, StreamError> = workers
            .into_iter()
            .map(|w| w.join().map_err(|_| StreamError::WorkerFailed))
            .collect();
        match (found, read_result) {
            (Ok(found), Ok(())) => (found, Ok(())),
            (_, Err(e)) | (Err(e), _) => (Vec::new(), Err(e)),
        }
    });
    read_result?;

    if let Some((offset, message)) = found
        .iter()
        .filter_map(|f| f.error.clone())
        .min_by_key(|(offset, _)| *offset)
    {
        let line = line_at(&file, offset)?;
        return Err(DataError::Line { line, message }.into());
    }
    check_mailbox(request, found.iter().any(|f| f.any_mailbox_ids))?;
    let total_elements = found.iter().map(|f| f.matched).sum();
    let mut ranks: Vec<Entry> = found.into_iter().flat_map(|f| f.best.into_vec()).collect();
    ranks.sort_unstable();
    let start = keep.saturating_sub(PAGE_SIZE);
    let page = ranks.into_iter().skip(start).take(PAGE_SIZE);
    let customers = read_back(&file, page, &before)?;
    Ok(Page::new(customers, total_elements, request.page()))
}

/// Reads the page's records back from the file, verbatim. What is read must
/// be the record that was ranked (a record, with the same id) and the file
/// must be as it was when the scan began: otherwise the file changed under
/// the answer, which is an error rather than a page of other records.
fn read_back(
    file: &File,
    entries: impl Iterator<Item = Entry>,
    before: &Stamp,
) -> Result<Vec<Cow<'static, Customer>>, StreamError> {
    let mut customers = Vec::new();
    // The reader thread is done: plain seeks and reads (portable, unlike
    // positional reads) are safe on the one handle.
    let mut reader = file;
    for entry in entries {
        let mut bytes = vec![0; entry.len];
        reader.seek(SeekFrom::Start(entry.rank.position as u64))?;
        reader.read_exact(&mut bytes).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => StreamError::Changed,
            _ => StreamError::Io(e),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| StreamError::Changed)?;
        let customer = Customer::from_json(&text).map_err(|_| StreamError::Changed)?;
        if customer.id() != entry.rank.id {
            return Err(StreamError::Changed);
        }
        customers.push(Cow::Owned(customer));
    }
    if Stamp::of(file)? != *before {
        return Err(StreamError::Changed);
    }
    Ok(customers)
}

/// What tells a file that changed from one that did not: its length and its
/// modification time (where the platform has one).
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> io::Result<Stamp> {
        let metadata = file.metadata()?;
        Ok(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// The 1-based number of the line that starts at byte `offset` of `file`.
/// Only an error needs it, so the lines are counted then, reading the file
/// again up to there (at most one more pass, on the error path only).
fn line_at(file: &File, offset: u64) -> io::Result<usize> {
    let mut reader = file;
    reader.seek(SeekFrom::Start(0))?;
    let mut reader = reader.take(offset);
    let mut buffer = vec![0; 1 << 20];
    let mut line = 1;
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Ok(line),
            Ok(n) => line += memchr::memchr_iter(b'\n', &buffer[..n]).count(),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads the file into line-aligned blocks until the end, an error, or a
/// worker's failure.
fn read_blocks(
    file: &File,
    options: &StreamOptions,
    blocks: &mpsc::SyncSender<Block>,
    spares: &mpsc::Receiver<Vec<u8>>,
    failed: &AtomicBool,
) -> Result<(), StreamError> {
    let block_size = options.block_size.max(1);
    let max_line = usize::try_from(options.max_line).unwrap_or(usize::MAX);
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64;
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
            // Past the block size every read lacked a newline: the last
            // line is already longer than the data read beyond it.
            if data.len() - block_size.min(data.len()) > max_line {
                let start = memchr::memrchr(b'\n', &data[..block_size.min(data.len())])
                    .map_or(0, |i| i + 1);
                return Err(DataError::TooLongLine {
                    line: line_at(file, offset + start as u64)?,
                    limit: options.max_line,
                }
                .into());
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
        let block = Block { data, offset };
        offset += block.data.len() as u64;
        if blocks.send(block).is_err() {
            break;
        }
    }
    Ok(())
}

/// What a worker matches lines with: the request's filter, the prefilter
/// if the query requires words, and their reusable state (the prefilter's
/// buffer, the record shapes learnt by the quick check).
type Matching<'a> = (
    &'a Filter,
    Option<&'a Prefilter>,
    &'a mut Scratch,
    &'a mut Shapes,
);

/// Filters and ranks every line of a block; every line is validated, and
/// only the prefilter's candidates (all lines without one) are matched.
fn scan(
    block: &Block,
    request: &ListCustomers,
    (filter, prefilter, scratch, shapes): Matching<'_>,
    keep: usize,
    max_line: u64,
    found: &mut Found,
) {
    // A byte order mark starts the file, not line 1 (which may be blank).
    let bom = match block.data.strip_prefix(json::BOM) {
        Some(_) if block.offset == 0 => json::BOM.len(),
        _ => 0,
    };
    let text = &block.data[bom..];
    // A piece of whole lines at a time (about 32 KiB), while it is in the
    // cache.
    let mut start = 0;
    let mut prefilter = prefilter;
    while start < text.len() {
        let end = prefilter::chunk_end(text, start);
        let chunk = &text[start..end];
        let Some((newlines, candidates)) = scan_chunk(
            block,
            request,
            chunk,
            bom + start,
            (filter, prefilter, scratch, shapes),
            keep,
            max_line,
            found,
        ) else {
            return;
        };
        // When most lines of a piece are candidates (a word most records
        // hold), the quick check before the scanner saves nothing: the rest
        // of the block goes without the prefilter (the next block tries
        // again). Judged on pieces of at least 16 lines (so never in the
        // unit tests, whose pieces are tiny and which compare with and
        // without the prefilter).
        if prefilter.is_some() && newlines >= 16 && candidates * 2 > newlines {
            prefilter = None;
        }
        start = end;
    }
}

/// [`scan`] over one piece of a block (`text`, whole lines), which starts
/// `at` bytes into the block (its byte order mark included): the number of
/// newlines in the piece and of lines the matcher read, or `None` after a
/// malformed line.
#[allow(clippy::too_many_arguments)]
fn scan_chunk(
    block: &Block,
    request: &ListCustomers,
    text: &[u8],
    at: usize,
    (filter, prefilter, scratch, shapes): Matching<'_>,
    keep: usize,
    max_line: u64,
    found: &mut Found,
) -> Option<(usize, usize)> {
    let (field, order) = (request.sort_field(), request.sort_order());
    // With a prefilter, most lines are only validated, and the quick check
    // checks UTF-8 itself: the others are checked line by line.
    let valid = match prefilter {
        None => std::str::from_utf8(text).ok(),
        Some(_) => None,
    };
    let (mut candidates, mut newlines) = (0, 0);
    let mut pos = 0;
    while pos < text.len() {
        let line_start = pos;
        // Where the line starts in the file, for an error.
        let line_offset = block.offset + (at + line_start) as u64;
        // With a prefilter, the record at the line's start is first
        // replayed from the shapes the quick check learnt, which also finds
        // where it ends (no search for the newline); else the line is cut
        // at its newline and trimmed.
        let replayed = match prefilter {
            Some(_) => shapes.replay_line(&text[pos..]),
            None => None,
        };
        let (record_range, line_end) = match replayed {
            Some((_, len, end)) => (pos..pos + len, pos + end),
            None => {
                let end = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
                let range = json::trimmed(&text[pos..end]);
                (pos + range.start..pos + range.end, end)
            }
        };
        pos = line_end + 1;
        newlines += usize::from(line_end < text.len());
        if record_range.is_empty() {
            continue;
        }
        let record = &text[record_range.clone()];
        let (record_start, line_start) = (at + record_range.start, at + line_start);
        // The limit is exact, whatever the block size.
        if record.len() as u64 > max_line {
            found.error = Some((
                line_offset,
                format!("longer than {max_line} bytes; is this customer data?"),
            ));
            return None;
        }
        // With a prefilter, the quick check (replaying the shapes it
        // learnt, and checking UTF-8 too) validates the usual lines and
        // finds their text fields; a line whose text fields lack the
        // required words is done. The others, and the lines it does not
        // vouch for, go to the scanner and the matcher.
        if let Some(prefilter) = prefilter {
            let vouched = match replayed {
                Some((vouched, ..)) => Some(vouched),
                None => shapes.vouch_missed(record),
            };
            if let Some(vouched) = vouched {
                found.any_mailbox_ids |= vouched.mailbox_ids;
                if !prefilter.holds(record, shapes.texts(), scratch) {
                    continue;
                }
            }
            candidates += 1;
        }
        // A piece of valid UTF-8 (the usual case) is checked once; its
        // lines are then sliced from it (newlines are character boundaries).
        let record_text = match valid {
            Some(valid) => valid.get(record_range).ok_or(()),
            None => Err(()),
        };
        let fields = record_text
            .or_else(|()| std::str::from_utf8(record))
            .map_err(|e| e.to_string())
            .and_then(|text| {
                // The offset in the error counts from the start of the line.
                scan::scan(text).map_err(|e| e.shifted(record_start - line_start).to_string())
            });
        let fields = match fields {
            Ok(fields) => fields,
            Err(message) => {
                found.error = Some((line_offset, message));
                return None;
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
                position: usize::try_from(block.offset).unwrap_or(usize::MAX) + record_start,
                order,
            },
            len: record.len(),
        };
        // The heap's top is the worst rank kept: replace it when this is better.
        if found.best.len() < keep {
            found.best.push(entry);
        } else if found.best.peek().is_some_and(|worst| entry < *worst) {
            found.best.pop();
            found.best.push(entry);
        }
    }
    Some((newlines, candidates))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::request::SortOrder;

    fn entry(position: usize, len: usize, id: i64) -> Entry {
        Entry {
            rank: Rank {
                key: None,
                id: Some(id),
                position,
                order: SortOrder::Desc,
            },
            len,
        }
    }

    /// A record overwritten, moved, cut off, or the file grown after the
    /// scan: each is an error, never a page of other records.
    #[test]
    fn a_file_changed_under_the_answer_is_an_error() {
        let dir = std::env::temp_dir().join(format!("hsq-read-back-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.ndjson");
        let original = "{\"id\":1}\n{\"id\":2}\n";
        let entries = || [entry(0, 8, 1), entry(9, 8, 2)].into_iter();
        let changes: [&dyn Fn(); 4] = [
            &|| std::fs::write(&path, "{\"id\":7}\n{\"id\":2}\n").unwrap(),
            &|| std::fs::write(&path, "[1,2,3,4]\n{\"id\":2}\n").unwrap(),
            &|| std::fs::write(&path, "{\"id\":1}\n").unwrap(),
            &|| std::fs::write(&path, "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n").unwrap(),
        ];
        for change in changes {
            std::fs::write(&path, original).unwrap();
            let file = File::open(&path).unwrap();
            let before = Stamp::of(&file).unwrap();
            assert_eq!(read_back(&file, entries(), &before).unwrap().len(), 2);
            change();
            let result = read_back(&file, entries(), &before);
            assert!(matches!(result, Err(StreamError::Changed)), "{result:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
