//! The PostgreSQL commands of `hsq` (SPEC §7, §9): `hsq db init`, `hsq db
//! load`, `hsq sql`, and the `--db` source of `hsq customers`. Argument
//! parsing and printing only; the library does the work
//! (`helpscout_query::db`, `helpscout_query::sql`).

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use helpscout_query::customers::{ListCustomers, response};
use helpscout_query::db::{Database, DbError, Initialised, LoadMode, Phase, Progress};
use helpscout_query::sql;
use serde_json::value::RawValue;

use super::Format;

/// The environment variable that may stand for `--db URL`.
pub(crate) const URL_VARIABLE: &str = "HSQ_DATABASE_URL";

const USAGE: &str = "\
Usage: hsq db init [--db URL]
       hsq db load [--db URL] [--upsert] FILE
       hsq sql [--now TIMESTAMP] [PARAMS]
       hsq customers --db URL [--now TIMESTAMP] [PARAMS]

  db init     create the hsq tables and indexes in the database (idempotent)
  db load     load customers from FILE ('-': stdin), a JSON array, a HAL page
              or NDJSON; replaces the whole dataset atomically, or with
              --upsert replaces records by id and adds the others
  sql         print the SQL statement that answers GET /v2/customers?PARAMS,
              and its bind parameters, without connecting
  customers   answer the request from the database (same output as --data)

URL is postgresql://user:password@host:port/database (no TLS); the
environment variable HSQ_DATABASE_URL may stand for --db.
";

/// `Some` exit status when the command line is a database command (`db` or
/// `sql`), handled here; `None` for the other commands.
pub(crate) fn dispatch() -> Option<ExitCode> {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let mut iter = args.iter();
    let command = loop {
        let arg = iter.next()?;
        if arg == "--format" {
            iter.next();
            continue;
        }
        if arg.to_str().is_some_and(|a| a.starts_with("--format=")) {
            continue;
        }
        break arg;
    };
    if command != "db" && command != "sql" {
        return None;
    }
    Some(match parse(args) {
        Ok(Some(command)) => run(command),
        Ok(None) => write_stdout(USAGE),
        Err(error) => {
            eprintln!("hsq: error: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    })
}

#[derive(Debug)]
enum Command {
    Init {
        url: String,
    },
    Load {
        url: String,
        file: PathBuf,
        mode: LoadMode,
    },
    Sql {
        params: Option<OsString>,
        now: Option<jiff::Timestamp>,
    },
}

/// `Ok(None)` for `--help`.
fn parse(args: Vec<OsString>) -> Result<Option<Command>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut words: Vec<OsString> = Vec::new();
    let mut url = None;
    let mut upsert = false;
    let mut now = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("format") => {
                let value = parser.value()?.string()?;
                if value != "human" && value != "json" {
                    return Err(
                        format!("invalid --format '{value}': expected human or json").into(),
                    );
                }
            }
            Long("db") => url = Some(parser.value()?.string()?),
            Long("upsert") => upsert = true,
            Long("now") => {
                let value = parser.value()?.string()?;
                now = Some(value.parse::<jiff::Timestamp>().map_err(|e| {
                    format!("invalid --now '{value}': expected a timestamp such as 2024-01-01T00:00:00Z ({e})")
                })?);
            }
            Value(value) => words.push(value),
            _ => return Err(arg.unexpected()),
        }
    }
    let url = || {
        url.clone()
            .or_else(|| std::env::var(URL_VARIABLE).ok().filter(|u| !u.is_empty()))
            .ok_or_else(|| {
                lexopt::Error::from(format!("no database: give --db URL or set {URL_VARIABLE}"))
            })
    };
    let mut words = words.into_iter();
    let first = words.next();
    let command = match first.as_ref().and_then(|w| w.to_str()) {
        Some("sql") => {
            let params = words.next();
            if let Some(extra) = words.next() {
                return Err(format!(
                    "unexpected argument {extra:?} (quote PARAMS as one argument)"
                )
                .into());
            }
            Command::Sql { params, now }
        }
        _ => match words.next().as_ref().and_then(|w| w.to_str()) {
            Some("init") => Command::Init { url: url()? },
            Some("load") => {
                let file = words.next().ok_or_else(|| {
                    lexopt::Error::from("missing FILE: hsq db load --db URL FILE")
                })?;
                Command::Load {
                    url: url()?,
                    file: PathBuf::from(file),
                    mode: if upsert {
                        LoadMode::Upsert
                    } else {
                        LoadMode::Replace
                    },
                }
            }
            Some(other) => {
                return Err(format!("unknown db command '{other}': expected init or load").into());
            }
            None => return Err("missing db command: init or load".into()),
        },
    };
    if upsert && !matches!(command, Command::Load { .. }) {
        return Err("--upsert goes with hsq db load".into());
    }
    if let Some(extra) = words.next() {
        return Err(format!("unexpected argument {extra:?}").into());
    }
    Ok(Some(command))
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Sql { params, now } => {
            let params = match params {
                Some(p) if p != "-" => match p.into_string() {
                    Ok(p) => p,
                    Err(_) => return fail("PARAMS is not valid UTF-8"),
                },
                Some(_) => {
                    let mut text = String::new();
                    if let Err(e) = io::stdin().read_to_string(&mut text) {
                        return fail(&format!("cannot read PARAMS from stdin: {e}"));
                    }
                    text.trim_end_matches(['\n', '\r']).to_owned()
                }
                None => String::new(),
            };
            let parsed = match ListCustomers::from_query_string(&params) {
                Ok(parsed) => parsed,
                Err(errors) => {
                    return super::invalid_request(&errors, &params, Format::Human, false);
                }
            };
            let now = now.unwrap_or_else(jiff::Timestamp::now);
            match sql::list_customers(&parsed.request, now) {
                Ok(statement) => write_stdout(&statement.to_string()),
                Err(errors) => super::invalid_request(&errors, &params, Format::Human, false),
            }
        }
        Command::Init { url } => {
            let result = Database::connect(&url).and_then(|mut db| db.init());
            match result {
                Ok(Initialised::Created) => write_stdout(&format!(
                    "created the hsq tables (layout version {})\n",
                    sql::LAYOUT_VERSION
                )),
                Ok(Initialised::AlreadyThere) => write_stdout(&format!(
                    "the hsq tables are already there (layout version {})\n",
                    sql::LAYOUT_VERSION
                )),
                Err(e) => fail(&e.to_string()),
            }
        }
        Command::Load { url, file, mode } => load(&url, &file, mode),
    }
}

fn load(url: &str, file: &PathBuf, mode: LoadMode) -> ExitCode {
    let (input, size): (Box<dyn Read>, Option<u64>) = if file.as_os_str() == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                (Box::new(f), size)
            }
            Err(e) => return fail(&format!("cannot read {}: {e}", file.display())),
        }
    };
    let mut db = match Database::connect(url) {
        Ok(db) => db,
        Err(e) => return fail(&e.to_string()),
    };
    let mut bar = ProgressBar::new(size);
    let result = db.load(input, mode, &mut |p| bar.show(p));
    bar.finish();
    match result {
        Ok(done) => write_stdout(&format!(
            "loaded {} records ({} bytes) in {:.1} s\n",
            done.records,
            done.bytes,
            bar.started.elapsed().as_secs_f64()
        )),
        Err(DbError::Record { line, message }) => fail(&format!(
            "{}: line {line}: {message}; nothing was loaded",
            file.display()
        )),
        Err(e) => fail(&e.to_string()),
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
pub(crate) fn customers(
    url: &str,
    request: &ListCustomers,
    params: &str,
    now: jiff::Timestamp,
    format: Format,
) -> ExitCode {
    let answer = Database::connect(url).and_then(|mut db| db.answer(request, now));
    match answer {
        Ok(page) => {
            let records: Vec<&RawValue> = page.records.iter().map(AsRef::as_ref).collect();
            let hal = response::hal_json(&records, page.total_elements, page.number, request, None);
            write_stdout(&format!("{hal}\n"))
        }
        Err(DbError::Request(errors)) => super::invalid_request(&errors, params, format, true),
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("hsq: error: {message}");
    ExitCode::from(1)
}

fn write_stdout(text: &str) -> ExitCode {
    super::write_stdout(text)
}
