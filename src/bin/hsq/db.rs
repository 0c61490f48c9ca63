//! The PostgreSQL commands of `hsq` (SPEC §7, §9): `hsq db init`, `hsq db
//! load`, `hsq sql`, and the `--db` source of `hsq customers`. Printing only;
//! the library does the work (`helpscout_query::db`, `helpscout_query::sql`).

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use helpscout_query::Code;
use helpscout_query::customers::ListCustomers;
use helpscout_query::db::{Database, DbError, Initialised, LoadMode, Phase, Progress};
use helpscout_query::sql::{self, PagePath};

use super::Out;

/// The environment variable that may stand for `--db URL`.
pub(crate) const URL_VARIABLE: &str = "HSQ_DATABASE_URL";

/// The usage error when no database is named.
pub(crate) const NO_URL: &str =
    "no database: give --db postgresql://user:password@host:port/db, or set HSQ_DATABASE_URL";

/// The database named by `--db`, or by `HSQ_DATABASE_URL`.
pub(crate) fn url(db: Option<String>) -> Option<String> {
    db.or_else(|| std::env::var(URL_VARIABLE).ok().filter(|u| !u.is_empty()))
}

/// `hsq sql [--path P] PARAMS`: the statement and its parameters, without
/// connecting.
pub(crate) fn sql(out: &Out, params: &str, now: jiff::Timestamp, path: PagePath) -> ExitCode {
    let parsed = match ListCustomers::from_query_string(params) {
        Ok(parsed) => parsed,
        Err(errors) => return out.invalid_request(&errors, params, false),
    };
    match sql::list_customers_via(&parsed.request, now, path) {
        Ok(statement) => out.stdout(&statement.to_string()),
        Err(errors) => out.invalid_request(&errors, params, false),
    }
}

/// `hsq db init`.
pub(crate) fn init(out: &Out, url: &str) -> ExitCode {
    match Database::connect(url).and_then(|mut db| db.init()) {
        Ok(Initialised::Created) => out.stdout(&format!(
            "created the hsq tables (layout version {})\n",
            sql::LAYOUT_VERSION
        )),
        Ok(Initialised::AlreadyThere) => out.stdout(&format!(
            "the hsq tables are already there (layout version {})\n",
            sql::LAYOUT_VERSION
        )),
        Err(e) => out.failure(Code::Io, &e.to_string()),
    }
}

/// `hsq db load`.
pub(crate) fn load(out: &Out, url: &str, file: &Path, upsert: bool) -> ExitCode {
    let mode = if upsert {
        LoadMode::Upsert
    } else {
        LoadMode::Replace
    };
    let (input, size): (Box<dyn Read>, Option<u64>) = if file.as_os_str() == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                (Box::new(f), size)
            }
            Err(e) => {
                return out.failure(Code::Io, &format!("cannot read {}: {e}", file.display()));
            }
        }
    };
    let mut db = match Database::connect(url) {
        Ok(db) => db,
        Err(e) => return out.failure(Code::Io, &e.to_string()),
    };
    let mut bar = ProgressBar::new(size);
    let result = db.load(input, mode, &mut |p| bar.show(p));
    bar.finish();
    match result {
        Ok(done) => out.stdout(&format!(
            "loaded {} records ({} bytes) in {:.1} s\n",
            done.records,
            done.bytes,
            bar.started.elapsed().as_secs_f64()
        )),
        Err(DbError::Record { line, message }) => out.failure(
            Code::InvalidData,
            &format!(
                "{}: line {line}: {message}; nothing was loaded",
                file.display()
            ),
        ),
        Err(e @ DbError::Format(_)) => out.failure(Code::InvalidData, &e.to_string()),
        Err(e) => out.failure(Code::Io, &e.to_string()),
    }
}

/// A one-line progress display on stderr, drawn only when stderr is a
/// terminal: records, bytes (of the file's size when known), rate.
struct ProgressBar {
    terminal: bool,
    size: Option<u64>,
    started: Instant,
    drawn: Option<Instant>,
}

impl ProgressBar {
    fn new(size: Option<u64>) -> ProgressBar {
        ProgressBar {
            terminal: io::stderr().is_terminal(),
            size,
            started: Instant::now(),
            drawn: None,
        }
    }

    fn show(&mut self, p: &Progress) {
        if !self.terminal {
            return;
        }
        let now = Instant::now();
        let due = self
            .drawn
            .is_none_or(|t| now.duration_since(t).as_millis() >= 100);
        if !due && p.phase == Phase::Reading {
            return;
        }
        self.drawn = Some(now);
        let seconds = now.duration_since(self.started).as_secs_f64().max(1e-3);
        let mb = p.bytes as f64 / 1e6;
        let share = match self.size {
            Some(size) if size > 0 => {
                let done = (p.bytes as f64 / size as f64).min(1.0);
                let filled = (done * 30.0) as usize;
                format!(
                    "[{}{}] {:>3.0}% ",
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    done * 100.0
                )
            }
            _ => String::new(),
        };
        let phase = match p.phase {
            Phase::Reading => "reading",
            Phase::Indexing => "indexing",
            Phase::Done => "done",
        };
        let line = format!(
            "\r{share}{} records, {mb:.1} MB, {:.0} records/s, {:.1} MB/s ({phase})\x1b[K",
            p.records,
            p.records as f64 / seconds,
            mb / seconds,
        );
        let _ = io::stderr().lock().write_all(line.as_bytes());
    }

    fn finish(&mut self) {
        if self.terminal && self.drawn.is_some() {
            let _ = io::stderr().lock().write_all(b"\n");
        }
    }
}

/// The database named by `--db`, or by `HSQ_DATABASE_URL` when neither
/// `--db` nor `--data` is given.
pub(crate) fn url_for_customers(db: Option<&str>, data_given: bool) -> Option<String> {
    match db {
        Some(url) => Some(url.to_owned()),
        None if !data_given => std::env::var(URL_VARIABLE).ok().filter(|u| !u.is_empty()),
        None => None,
    }
}

/// `hsq customers --db URL`: the same output as over `--data`.
pub(crate) fn customers(out: &Out, url: &str, params: &str, now: jiff::Timestamp) -> ExitCode {
    let parsed = match ListCustomers::from_query_string(params) {
        Ok(parsed) => parsed,
        Err(errors) => return out.invalid_request(&errors, params, true),
    };
    let reported = out.request_warnings(&parsed.warnings);
    let answer = Database::connect(url).and_then(|mut db| db.answer(&parsed.request, now));
    match answer {
        Ok(page) => super::AndThen::and(
            reported,
            out.stdout(&format!("{}\n", page.to_hal_json(&parsed.request, None))),
        ),
        Err(DbError::Request(errors)) => out.invalid_request(&errors, params, true),
        Err(e) => out.failure(Code::Io, &e.to_string()),
    }
}
