//! Rows sorted by a byte-string key in bounded memory: an external merge
//! sort, for writing the search tables in the order of their names.
//!
//! Data flow: [`SortedRows::push`] appends `(key, row)` to an in-memory run
//! of at most `run_bytes`; a full run is sorted (stably) and written to a
//! temporary file. [`SortedRows::finish`] merges the runs, at most `fan_in`
//! at a time (more runs take more passes), and hands each row to a sink in
//! key order; rows with equal keys keep the order they were pushed in.
//! Memory holds one run and one read buffer per merged run, whatever the
//! number of rows. Temporary files are unlinked as soon as they are
//! created (they live on through their open handle), so none is left
//! behind, even when the process is killed; where the system cannot unlink
//! an open file, they are removed when dropped. A temporary file that
//! cannot be created, written or read back is a [`TempFileError`], naming
//! the directory.
//!
//! [`name_key`] encodes the order the loader sorts by (last name, then
//! first name, missing names last) as one byte string.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use jiff::Timestamp;

/// The most runs merged at once.
pub(super) const FAN_IN: usize = 32;

/// A temporary file could not be created, written or read back.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot use a temporary file in {} (set TMPDIR to a writable directory with room): {source}",
    dir.display()
)]
pub struct TempFileError {
    /// The directory of temporary files.
    pub dir: PathBuf,
    /// What failed.
    pub source: io::Error,
}

impl TempFileError {
    /// `source`, in the directory of temporary files.
    pub(super) fn of(source: io::Error) -> TempFileError {
        TempFileError {
            dir: std::env::temp_dir(),
            source,
        }
    }
}

/// Why [`SortedRows::finish`] stopped: a temporary file, or the sink.
#[derive(Debug)]
pub(super) enum SortError<E> {
    /// A temporary file failed.
    Temp(TempFileError),
    /// The sink failed.
    Sink(E),
}

impl<E> From<TempFileError> for SortError<E> {
    fn from(e: TempFileError) -> SortError<E> {
        SortError::Temp(e)
    }
}

/// A temporary file, unlinked at once (see the module's documentation).
pub(super) struct Spool {
    /// Where it was created, while it still has a name there.
    path: Option<PathBuf>,
    pub(super) file: File,
}

impl Spool {
    pub(super) fn create() -> Result<Spool, TempFileError> {
        use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
        static SERIAL: AtomicU64 = AtomicU64::new(0);
        let nanos = Timestamp::now().as_nanosecond();
        let serial = SERIAL.fetch_add(1, Relaxed);
        let path = std::env::temp_dir().join(format!(
            "hsq-load-{}-{nanos}-{serial}.tmp",
            std::process::id()
        ));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(TempFileError::of)?;
        let path = std::fs::remove_file(&path).err().map(|_| path);
        Ok(Spool { path, file })
    }

    /// The file, positioned at its start, for reading it back.
    pub(super) fn rewound(&self) -> Result<&File, TempFileError> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(0)).map_err(TempFileError::of)?;
        Ok(file)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Appends one part of a [`name_key`]: a present name as `0x00`, its bytes
/// with each `0x00` written `0x00 0xFF`, then `0x00 0x00`; a missing one as
/// `0x01`. Byte order of the results is the order of the parts (a prefix
/// sorts first; missing after present).
fn push_part(part: Option<&[u8]>, out: &mut Vec<u8>) {
    match part {
        Some(bytes) => {
            out.push(0);
            for &b in bytes {
                out.push(b);
                if b == 0 {
                    out.push(0xFF);
                }
            }
            out.extend_from_slice(&[0, 0]);
        }
        None => out.push(1),
    }
}

/// The key the search tables are written in: the last name's sort key,
/// then the first name's, each missing one after every present one, as one
/// byte string whose byte order is that order.
///
/// The records of one last name (and of one full name) then lie on a few
/// neighbouring pages, so a search by last name reads a few pages, where in
/// load order it reads about one page per match.
pub(super) fn name_key(last: Option<&[u8]>, first: Option<&[u8]>, out: &mut Vec<u8>) {
    out.clear();
    push_part(last, out);
    push_part(first, out);
}

/// Rows sorted by key in bounded memory (see the module's documentation).
pub(super) struct SortedRows {
    run_bytes: usize,
    fan_in: usize,
    /// The current run: `key_len u32, row_len u32, key, row`, repeated.
    arena: Vec<u8>,
    /// Where each entry of the current run starts in `arena`.
    entries: Vec<usize>,
    /// The runs written so far, in the order they were pushed.
    runs: Vec<Spool>,
}

/// One entry of an arena or a run file: (key, row).
fn entry_at(arena: &[u8], at: usize) -> (&[u8], &[u8]) {
    let len = |from: usize| -> usize {
        let mut word = [0u8; 4];
        word.copy_from_slice(&arena[from..from + 4]);
        u32::from_le_bytes(word) as usize
    };
    let (key_len, row_len) = (len(at), len(at + 4));
    let key = &arena[at + 8..at + 8 + key_len];
    let row = &arena[at + 8 + key_len..at + 8 + key_len + row_len];
    (key, row)
}

fn too_long() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "a row longer than 4 GiB")
}

fn write_entry(out: &mut impl Write, key: &[u8], row: &[u8]) -> io::Result<()> {
    let key_len = u32::try_from(key.len()).map_err(|_| too_long())?;
    let row_len = u32::try_from(row.len()).map_err(|_| too_long())?;
    out.write_all(&key_len.to_le_bytes())?;
    out.write_all(&row_len.to_le_bytes())?;
    out.write_all(key)?;
    out.write_all(row)
}

impl SortedRows {
    /// Sorts in runs of about `run_bytes` bytes, merging `fan_in` (at
    /// least 2) at a time.
    pub(super) fn new(run_bytes: usize, fan_in: usize) -> SortedRows {
        SortedRows {
            run_bytes,
            fan_in: fan_in.max(2),
            arena: Vec::new(),
            entries: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Adds a row.
    pub(super) fn push(&mut self, key: &[u8], row: &[u8]) -> Result<(), TempFileError> {
        if !self.entries.is_empty() && self.arena.len() + 8 + key.len() + row.len() > self.run_bytes
        {
            self.spill()?;
        }
        self.entries.push(self.arena.len());
        write_entry(&mut self.arena, key, row).map_err(TempFileError::of)
    }

    /// The current run's entries in key order (stable).
    fn sort_run(&mut self) {
        let arena = &self.arena;
        self.entries
            .sort_by(|&a, &b| entry_at(arena, a).0.cmp(entry_at(arena, b).0));
    }

    /// Writes the current run, sorted, to a file of its own.
    fn spill(&mut self) -> Result<(), TempFileError> {
        self.sort_run();
        let spool = Spool::create()?;
        {
            let mut out = BufWriter::with_capacity(1 << 16, &spool.file);
            for &at in &self.entries {
                let (key, row) = entry_at(&self.arena, at);
                write_entry(&mut out, key, row).map_err(TempFileError::of)?;
            }
            out.flush().map_err(TempFileError::of)?;
        }
        self.runs.push(spool);
        self.arena.clear();
        self.entries.clear();
        Ok(())
    }

    /// Hands every row to `sink` in key order (equal keys in push order).
    pub(super) fn finish<E>(
        mut self,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), SortError<E>> {
        if self.runs.is_empty() {
            self.sort_run();
            for &at in &self.entries {
                sink(entry_at(&self.arena, at).1).map_err(SortError::Sink)?;
            }
            return Ok(());
        }
        if !self.entries.is_empty() {
            self.spill()?;
        }
        // Free the arena before the merge reads.
        self.arena = Vec::new();
        let mut runs = std::mem::take(&mut self.runs);
        while runs.len() > self.fan_in {
            let mut merged = Vec::with_capacity(runs.len().div_ceil(self.fan_in));
            let mut rest = runs.into_iter();
            loop {
                let group: Vec<Spool> = rest.by_ref().take(self.fan_in).collect();
                if group.is_empty() {
                    break;
                }
                let spool = Spool::create()?;
                {
                    let mut out = BufWriter::with_capacity(1 << 16, &spool.file);
                    merge(group, &mut |key, row| write_entry(&mut out, key, row)).map_err(|e| {
                        match e {
                            SortError::Temp(e) => e,
                            SortError::Sink(e) => TempFileError::of(e),
                        }
                    })?;
                    out.flush().map_err(TempFileError::of)?;
                }
                merged.push(spool);
            }
            runs = merged;
        }
        merge(runs, &mut |_, row| sink(row))
    }
}

/// The next entry of a run file, read into `key` and `row`; `false` at
/// its end.
fn read_entry(input: &mut impl Read, key: &mut Vec<u8>, row: &mut Vec<u8>) -> io::Result<bool> {
    let mut lens = [0u8; 8];
    match input.read_exact(&mut lens[..1]) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    input.read_exact(&mut lens[1..])?;
    let mut word = [0u8; 4];
    word.copy_from_slice(&lens[..4]);
    let key_len = u32::from_le_bytes(word) as usize;
    word.copy_from_slice(&lens[4..]);
    let row_len = u32::from_le_bytes(word) as usize;
    key.resize(key_len, 0);
    input.read_exact(key)?;
    row.resize(row_len, 0);
    input.read_exact(row)?;
    Ok(true)
}

/// The current entry of one run in a merge: ordered by key, then by the
/// run's place (earlier runs hold earlier rows), reversed for the max-heap.
struct Head {
    key: Vec<u8>,
    row: Vec<u8>,
    run: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Head) -> Ordering {
        (&other.key, other.run).cmp(&(&self.key, self.run))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Head) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

/// Takes each (key, row) of a merge.
type EntrySink<'a, E> = dyn FnMut(&[u8], &[u8]) -> Result<(), E> + 'a;

/// Merges sorted runs (in push order) into `sink`.
fn merge<E>(runs: Vec<Spool>, sink: &mut EntrySink<'_, E>) -> Result<(), SortError<E>> {
    let mut readers = Vec::with_capacity(runs.len());
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for (run, spool) in runs.iter().enumerate() {
        let mut reader = BufReader::with_capacity(1 << 16, spool.rewound()?);
        let (mut key, mut row) = (Vec::new(), Vec::new());
        if read_entry(&mut reader, &mut key, &mut row).map_err(TempFileError::of)? {
            heap.push(Head { key, row, run });
        }
        readers.push(reader);
    }
    while let Some(mut head) = heap.pop() {
        sink(&head.key, &head.row).map_err(SortError::Sink)?;
        let more = read_entry(&mut readers[head.run], &mut head.key, &mut head.row)
            .map_err(TempFileError::of)?;
        if more {
            heap.push(head);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorts `rows` with the given run size and fan-in, returning the rows
    /// in the order `finish` gives them.
    fn sorted(rows: &[(Vec<u8>, Vec<u8>)], run_bytes: usize, fan_in: usize) -> Vec<Vec<u8>> {
        let mut sorter = SortedRows::new(run_bytes, fan_in);
        for (key, row) in rows {
            sorter.push(key, row).unwrap();
        }
        let mut out = Vec::new();
        sorter
            .finish(&mut |row| -> Result<(), ()> {
                out.push(row.to_vec());
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn any_run_size_and_fan_in_give_the_stable_sort() {
        // Few distinct keys, so that ties abound; each row names its place.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for size in [0, 1, 2, 17, 500, 3_000] {
            let rows: Vec<(Vec<u8>, Vec<u8>)> = (0..size)
                .map(|i| {
                    let key: Vec<u8> = (0..next() % 4).map(|_| (next() % 3) as u8).collect();
                    (key, format!("row {i}").into_bytes())
                })
                .collect();
            let mut expected = rows.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            let expected: Vec<Vec<u8>> = expected.into_iter().map(|(_, row)| row).collect();
            for (run_bytes, fan_in) in [(1 << 20, 32), (64, 2), (200, 3), (1, 2), (1_000, 32)] {
                // A run per row, merged in pairs: enough with a few hundred.
                if run_bytes == 1 && size > 500 {
                    continue;
                }
                assert_eq!(
                    sorted(&rows, run_bytes, fan_in),
                    expected,
                    "{size} rows, runs of {run_bytes} bytes, fan-in {fan_in}"
                );
            }
        }
    }

    #[test]
    fn the_name_key_orders_last_then_first_names_missing_last() {
        type Names<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);
        let names: [Names<'_>; 9] = [
            (Some(b""), None),
            (Some(b"a"), Some(b"")),
            (Some(b"a"), Some(b"b")),
            (Some(b"a"), Some(b"b\0")),
            (Some(b"a"), None),
            (Some(b"a\0"), Some(b"a")),
            (Some(b"a\0\0"), None),
            (Some(b"a\x01"), Some(b"a")),
            (None, Some(b"a")),
        ];
        let keys: Vec<Vec<u8>> = names
            .iter()
            .map(|&(last, first)| {
                let mut key = Vec::new();
                name_key(last, first, &mut key);
                key
            })
            .collect();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(a.cmp(b), i.cmp(&j), "{:?} against {:?}", names[i], names[j]);
            }
        }
        // The order of the parts themselves, as tuples with None last.
        fn tuple<'a>(
            (last, first): (Option<&'a [u8]>, Option<&'a [u8]>),
        ) -> (bool, Option<&'a [u8]>, bool, Option<&'a [u8]>) {
            (last.is_none(), last, first.is_none(), first)
        }
        for w in names.windows(2) {
            assert!(tuple(w[0]) < tuple(w[1]), "{w:?}");
        }
    }

    #[test]
    fn memory_holds_one_run_and_temporary_files_are_unlinked_at_once() {
        let mut sorter = SortedRows::new(1_000, 4);
        for i in 0..2_000u32 {
            sorter
                .push(&(2_000 - i).to_be_bytes(), &i.to_le_bytes())
                .unwrap();
            assert!(sorter.arena.len() <= 1_000, "{}", sorter.arena.len());
        }
        assert!(sorter.runs.len() > 20, "{} runs", sorter.runs.len());
        // On Unix no run has a name, even before the merge: a killed load
        // leaves nothing behind.
        if cfg!(unix) {
            assert!(sorter.runs.iter().all(|spool| spool.path.is_none()));
        }
        let mut n = 0u32;
        sorter
            .finish(&mut |row| -> Result<(), ()> {
                let mut word = [0u8; 4];
                word.copy_from_slice(row);
                assert_eq!(u32::from_le_bytes(word), 1_999 - n);
                n += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 2_000);
    }

    #[test]
    fn a_sink_error_stops_the_merge_and_an_unusable_directory_is_named() {
        let mut sorter = SortedRows::new(64, 2);
        for i in 0..100u32 {
            sorter.push(&i.to_be_bytes(), b"row").unwrap();
        }
        let mut seen = 0;
        let stopped = sorter.finish(&mut |_| {
            seen += 1;
            if seen == 10 { Err("full") } else { Ok(()) }
        });
        assert!(matches!(stopped, Err(SortError::Sink("full"))));
        assert_eq!(seen, 10);
        let error = TempFileError::of(io::Error::from(io::ErrorKind::NotFound));
        let message = error.to_string();
        assert!(
            message.starts_with("cannot use a temporary file in "),
            "{message}"
        );
        assert!(message.contains("TMPDIR"), "{message}");
    }
}
