//! PostgreSQL as a data source for List Customers (SPEC §9), behind the
//! `postgres` feature: create the tables ([`Database::init`]), load records
//! ([`Database::load`]), answer requests ([`Database::answer`]).
//!
//! The layout and the compiled statement are [`crate::sql`]'s; this module
//! only moves data. Records are analysed here, by the crate, when they are
//! loaded: PostgreSQL never lower-cases or splits text. The answer is a
//! [`crate::customers::Page`], the one page type every driver returns, so
//! its HAL+JSON is the file path's.
//!
//! Errors never carry the connection URL, so a password in it is never
//! printed.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::rc::Rc;
use std::time::Duration;

use jiff::Timestamp;
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::customers::fields::Fields;
use crate::customers::filter::check_mailbox;
use crate::customers::json;
use crate::customers::request::{ListCustomers, RequestErrors};
use crate::customers::{Customer, Format, MAX_LINE, Page};
use crate::eval::Document as Analysed;
use crate::sql::{
    self, LAYOUT_TABLE, LAYOUT_VERSION, NAMES_COLUMNS, NAMES_TABLE, PagePath, Param, RECORDS_TABLE,
    SEARCH_TABLE, Statement, frame_values, instant, mailbox_id, sort_key,
};
pub use sorted_rows::TempFileError;
use sorted_rows::{FAN_IN, SortError, SortedRows, Spool, name_key};

#[cfg(test)]
mod reader_agreement;
mod sorted_rows;

/// Why a database command failed. None of the messages holds the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The connection URL could not be read.
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    /// No server answered (refused, timed out, closed).
    #[error("cannot reach the database server: {0}")]
    Unreachable(String),
    /// The server refused the user or the password.
    #[error("authentication failed: {0}")]
    AuthFailed(String),
    /// The tables are not there.
    #[error("the hsq tables are missing from this database; run `hsq db init --db URL` first")]
    TablesMissing,
    /// The tables were made by another version of hsq.
    #[error(
        "the hsq tables have layout version {found}, and this hsq reads version {expected}: read them with the hsq that made them, or drop them (`DROP TABLE IF EXISTS hsq_layout, hsq_search, hsq_names, hsq_records`) or use a fresh database, then run `hsq db init` and load the data again"
    )]
    LayoutMismatch {
        /// The version in the database.
        found: i32,
        /// The version this crate reads.
        expected: i32,
    },
    /// The database is not UTF-8 encoded.
    #[error(
        "the database's encoding is {0}, not UTF8: create it with ENCODING 'UTF8' (initdb -E UTF8)"
    )]
    NotUtf8(String),
    /// A malformed record; nothing was loaded.
    #[error("line {line}: {message}; nothing was loaded")]
    Record {
        /// The 1-based line where the record starts.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The data is not a JSON array, a HAL page or NDJSON.
    #[error("{0}; nothing was loaded")]
    Format(String),
    /// The request cannot be answered over this data (the mailbox rule),
    /// or is invalid.
    #[error("{0}")]
    Request(RequestErrors),
    /// The input could not be read.
    #[error("cannot read the data: {0}")]
    Io(#[from] io::Error),
    /// A temporary file of the load could not be created, written or read
    /// back (the message names the directory).
    #[error("{0}; nothing was loaded")]
    TempFile(#[from] TempFileError),
    /// Any other error the server reported.
    #[error("database error: {0}")]
    Server(String),
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        classify(&e, false)
    }
}

/// Sorts a client error into a [`DbError`]; `connecting` says whether it
/// happened while connecting (where every I/O error means unreachable).
fn classify(e: &postgres::Error, connecting: bool) -> DbError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return DbError::AuthFailed(db.message().to_owned());
        }
        if *code == SqlState::UNDEFINED_TABLE {
            return DbError::TablesMissing;
        }
        let mut message = db.message().to_owned();
        if let Some(detail) = db.detail() {
            message.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            message.push_str(&format!("; hint: {hint}"));
        }
        return DbError::Server(message);
    }
    // The client's message, then its causes ("error connecting to server:
    // Connection refused (os error 111)").
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    if connecting || e.is_closed() {
        DbError::Unreachable(message)
    } else {
        DbError::Server(message)
    }
}

/// How [`Database::load`] treats the data already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoadMode {
    /// Replace the whole dataset atomically: readers see the old data or
    /// the new, never a mix; a failed load leaves the old data intact.
    #[default]
    Replace,
    /// Replace the records whose `id` the file has, add the others (every
    /// record needs an `id`; within the file, the last record of an id
    /// wins). Replaced records go to the end of the load order.
    Upsert,
}

/// What a load is doing, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading, analysing and sending records.
    Reading,
    /// Building the indexes and switching to the new data.
    Indexing,
    /// Committed.
    Done,
}

/// Progress of a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// Records read so far.
    pub records: u64,
    /// Bytes of input read so far.
    pub bytes: u64,
}

/// What `init` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initialised {
    /// The tables were created.
    Created,
    /// They were already there, with this crate's layout.
    AlreadyThere,
}

/// A connection to a database holding (or about to hold) the hsq tables,
/// in the first schema of its `search_path`.
pub struct Database {
    client: postgres::Client,
    /// Bytes of search rows a load sorts in memory per run.
    sort_memory: usize,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Database")
    }
}

/// The index definitions: (name, table, method and columns). `{trgm}` is
/// the schema of `pg_trgm`'s operator class.
fn indexes(trgm: &str) -> Vec<(&'static str, &'static str, String)> {
    let mut out = vec![
        ("hsq_records_pos", RECORDS_TABLE, "(pos)".to_owned()),
        ("hsq_search_pos", SEARCH_TABLE, "(pos)".to_owned()),
        ("hsq_search_id", SEARCH_TABLE, "(id)".to_owned()),
    ];
    // Whole tokens through one GIN index over the token columns split into
    // their tokens (`sql::words`), all three fields in one index so that
    // an AND of two names is one index scan, not two bitmaps of tens of
    // thousands of rows each; wildcards on names through trigrams. (A
    // trigram index on the emails would cost a third of a load's time;
    // email wildcards scan the narrow table instead.)
    out.push((
        "hsq_search_words",
        SEARCH_TABLE,
        format!(
            "USING gin ({}, {}, {})",
            sql::words("first_name_tokens"),
            sql::words("last_name_tokens"),
            sql::words("email_tokens")
        ),
    ));
    // The names projection: its own words index (first and last names
    // only). Nothing reads it by position or id but an upsert, which
    // replaces its rows in one pass over it.
    out.push((
        "hsq_names_words",
        NAMES_TABLE,
        format!(
            "USING gin ({}, {})",
            sql::words("first_name_tokens"),
            sql::words("last_name_tokens")
        ),
    ));
    for (name, column) in [
        ("hsq_search_first_name_trgm", "first_name_tokens"),
        ("hsq_search_last_name_trgm", "last_name_tokens"),
    ] {
        out.push((
            name,
            SEARCH_TABLE,
            format!("USING gin ({column} {trgm}.gin_trgm_ops)"),
        ));
    }
    let keys: [(&str, &[&str]); 4] = [
        ("created", &["created_us", "created_ns"]),
        ("updated", &["updated_us", "updated_ns"]),
        ("first_name", &["first_name_key"]),
        ("last_name", &["last_name_key"]),
    ];
    let names = [
        ("hsq_search_created_asc", "hsq_search_created_desc"),
        ("hsq_search_updated_asc", "hsq_search_updated_desc"),
        ("hsq_search_first_name_asc", "hsq_search_first_name_desc"),
        ("hsq_search_last_name_asc", "hsq_search_last_name_desc"),
    ];
    for ((_, columns), (asc, desc)) in keys.iter().zip(names) {
        for (name, dir) in [(asc, "ASC"), (desc, "DESC")] {
            let key: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} {dir} NULLS LAST"))
                .collect();
            out.push((
                name,
                SEARCH_TABLE,
                format!("({}, id {dir} NULLS LAST, pos ASC)", key.join(", ")),
            ));
        }
    }
    out.push((
        "hsq_search_mailbox_ids",
        SEARCH_TABLE,
        "USING gin (mailbox_ids)".to_owned(),
    ));
    out.push((
        "hsq_search_has_mailbox_ids",
        SEARCH_TABLE,
        "(pos) WHERE mailbox_ids IS NOT NULL".to_owned(),
    ));
    out
}

/// `CREATE TABLE` for both data tables, with a name suffix.
fn create_tables(suffix: &str, if_not_exists: bool, temporary: bool) -> String {
    let guard = if if_not_exists { "IF NOT EXISTS " } else { "" };
    let temp = if temporary { "TEMPORARY " } else { "" };
    format!(
        "CREATE {temp}TABLE {guard}{RECORDS_TABLE}{suffix} (pos bigint NOT NULL, doc text NOT NULL);\n\
         CREATE {temp}TABLE {guard}{SEARCH_TABLE}{suffix} (\n\
         \x20 pos bigint NOT NULL,\n\
         \x20 id bigint,\n\
         \x20 first_name_tokens text NOT NULL,\n\
         \x20 last_name_tokens text NOT NULL,\n\
         \x20 email_tokens text NOT NULL,\n\
         \x20 domain_tokens text NOT NULL,\n\
         \x20 first_name_key bytea,\n\
         \x20 last_name_key bytea,\n\
         \x20 created_us bigint,\n\
         \x20 created_ns integer,\n\
         \x20 updated_us bigint,\n\
         \x20 updated_ns integer,\n\
         \x20 mailbox_ids bigint[]\n\
         );"
    )
}

/// `CREATE TABLE` for the names projection ([`NAMES_TABLE`]), with a name
/// suffix: [`NAMES_COLUMNS`], typed as in the search table.
fn create_names_table(suffix: &str, if_not_exists: bool) -> String {
    let guard = if if_not_exists { "IF NOT EXISTS " } else { "" };
    format!(
        "CREATE TABLE {guard}{NAMES_TABLE}{suffix} (\n\
         \x20 pos bigint NOT NULL,\n\
         \x20 id bigint,\n\
         \x20 first_name_tokens text NOT NULL,\n\
         \x20 last_name_tokens text NOT NULL\n\
         );"
    )
}

/// The leading [`NAMES_COLUMNS`] of a search row ([`search_row`]): its
/// first four fields, to the tab before the fifth (values never hold a raw
/// tab: [`copy_text`] escapes it).
fn names_part(search_row: &[u8]) -> &[u8] {
    let end = search_row
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\t')
        .nth(NAMES_COLUMNS.len() - 1)
        .map_or(search_row.len(), |(at, _)| at);
    &search_row[..end]
}

/// The session settings every connection starts with (see
/// [`Database::connect`]).
const SESSION_OPTIONS: &str = "-c jit=off -c work_mem=32MB";

const SEARCH_COLUMNS: &str = "pos, id, first_name_tokens, last_name_tokens, email_tokens, domain_tokens, first_name_key, last_name_key, created_us, created_ns, updated_us, updated_ns, mailbox_ids";

/// The bytes of search rows a load sorts in memory before writing them to
/// a temporary file, unless [`Database::set_sort_memory`] says otherwise.
pub const DEFAULT_SORT_MEMORY: usize = 16 << 20;

impl Database {
    /// Sets how many bytes of search rows a load sorts in memory before
    /// writing them, sorted, to a temporary file (at least 1; default
    /// [`DEFAULT_SORT_MEMORY`]). A load's memory is about this much plus
    /// its buffers, whatever the size of the data; less memory means more
    /// temporary files and merge passes, never another answer.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), helpscout_query::db::DbError> {
    /// use helpscout_query::db::{Database, LoadMode};
    /// let mut db = Database::connect("postgresql://hsq@localhost/customers")?;
    /// db.set_sort_memory(4 << 20);
    /// db.load(std::fs::File::open("customers.ndjson")?, LoadMode::Replace, &mut |_| {})?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_sort_memory(&mut self, bytes: usize) {
        self.sort_memory = bytes.max(1);
    }

    /// Connects to `url` (`postgresql://user:password@host:port/database`,
    /// or libpq's `key=value` form; no TLS). A connection timeout of 10 s
    /// applies unless the URL sets one. The session starts with `jit=off`
    /// and `work_mem=32MB`, unless the URL's `options` set them otherwise.
    pub fn connect(url: &str) -> Result<Database, DbError> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| DbError::BadUrl(e.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        // Session settings for one request per connection, sent with the
        // startup packet (no round trip); options in the URL come after
        // them, so they win. JIT compilation pays off for long analytical
        // queries, and costs tens of milliseconds on a statement that runs
        // for a few; the matches of a broad request (`m`) fit in memory
        // with 32 MB, where the default 4 MB spills them to a temporary file.
        let options = match config.get_options() {
            Some(given) => format!("{SESSION_OPTIONS} {given}"),
            None => SESSION_OPTIONS.to_owned(),
        };
        config.options(&options);
        let client = config
            .connect(postgres::NoTls)
            .map_err(|e| classify(&e, true))?;
        Ok(Database {
            client,
            sort_memory: DEFAULT_SORT_MEMORY,
        })
    }

    /// Creates the tables and indexes (and the `pg_trgm` extension) when
    /// they are not there, and records the layout version. Idempotent; a
    /// database holding another layout version is an error.
    pub fn init(&mut self) -> Result<Initialised, DbError> {
        self.require_utf8()?;
        let mut tx = self.client.transaction()?;
        tx.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")?;
        tx.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {LAYOUT_TABLE} (version integer NOT NULL, records bigint NOT NULL DEFAULT 0);\n\
             LOCK TABLE {LAYOUT_TABLE} IN SHARE ROW EXCLUSIVE MODE;"
        ))?;
        let found: Option<i32> = tx
            .query(&format!("SELECT version FROM {LAYOUT_TABLE}"), &[])?
            .first()
            .map(|row| row.try_get(0))
            .transpose()?;
        if let Some(found) = found.filter(|&v| v != LAYOUT_VERSION) {
            return Err(DbError::LayoutMismatch {
                found,
                expected: LAYOUT_VERSION,
            });
        }
        let trgm = trgm_schema(&mut tx)?;
        let mut ddl = create_tables("", true, false);
        ddl.push('\n');
        ddl.push_str(&create_names_table("", true));
        for (name, table, definition) in indexes(&trgm) {
            let unique = if name.ends_with("_pos") {
                "UNIQUE "
            } else {
                ""
            };
            ddl.push_str(&format!(
                "\nCREATE {unique}INDEX IF NOT EXISTS {name} ON {table} {definition};"
            ));
        }
        tx.batch_execute(&ddl)?;
        let created = found.is_none();
        if created {
            tx.execute(
                &format!("INSERT INTO {LAYOUT_TABLE} (version) VALUES ($1)"),
                &[&LAYOUT_VERSION],
            )?;
        }
        tx.commit()?;
        Ok(if created {
            Initialised::Created
        } else {
            Initialised::AlreadyThere
        })
    }

    fn require_utf8(&mut self) -> Result<(), DbError> {
        let row = self.client.query_one("SHOW server_encoding", &[])?;
        let encoding: String = row.try_get(0)?;
        if encoding.eq_ignore_ascii_case("UTF8") {
            Ok(())
        } else {
            Err(DbError::NotUtf8(encoding))
        }
    }

    /// Checks that the tables are there with this crate's layout.
    pub fn check_layout(&mut self) -> Result<(), DbError> {
        check_layout(&mut self.client)
    }

    /// Answers `request` with `now` as the clock: the same page as
    /// [`crate::customers::answer`] over the loaded records.
    ///
    /// A filtered request sorted by a date or a name first asks the planner
    /// how many records match ([`sql::estimate`], one more round trip of
    /// a fraction of a millisecond) and takes the path [`sql::path_for`]
    /// picks; [`Database::answer_via`] takes a given one.
    pub fn answer(
        &mut self,
        request: &ListCustomers,
        now: Timestamp,
    ) -> Result<Page<'static>, DbError> {
        let path = match sql::estimate(request, now).map_err(DbError::Request)? {
            Some(estimate) => {
                let rows = self.run(&estimate)?;
                let first: Option<String> = match rows.first() {
                    Some(row) => row.try_get(0)?,
                    None => None,
                };
                first
                    .as_deref()
                    .and_then(sql::estimated_rows)
                    .map_or(PagePath::WalkFirst, |rows| {
                        sql::path_for(rows, request.page())
                    })
            }
            None => PagePath::WalkFirst,
        };
        self.answer_via(request, now, path)
    }

    /// Answers `request` taking `path` to its page (see [`PagePath`]):
    /// the same page whichever path, only the time differs.
    pub fn answer_via(
        &mut self,
        request: &ListCustomers,
        now: Timestamp,
        path: PagePath,
    ) -> Result<Page<'static>, DbError> {
        let statement = sql::list_customers_via(request, now, path).map_err(DbError::Request)?;
        // The statement reports the layout version itself, where a
        // separate check would take another round trip.
        let rows = self.run(&statement)?;
        let first = rows
            .first()
            .ok_or_else(|| DbError::Server("the statement returned no row".to_owned()))?;
        match first.try_get::<_, Option<i32>>(4)? {
            None => return Err(DbError::TablesMissing),
            Some(found) if found != LAYOUT_VERSION => {
                return Err(DbError::LayoutMismatch {
                    found,
                    expected: LAYOUT_VERSION,
                });
            }
            Some(_) => {}
        }
        let total: i64 = first.try_get(0)?;
        let any_mailbox_ids: Option<bool> = first.try_get(3)?;
        if request.mailbox().is_some() {
            check_mailbox(request, any_mailbox_ids.unwrap_or(false)).map_err(DbError::Request)?;
        }
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            let n: Option<i64> = row.try_get(1)?;
            if n.is_none() {
                continue;
            }
            let doc: Option<String> = row.try_get(2)?;
            let doc = doc.ok_or_else(|| {
                DbError::Server(format!("a search row has no record in {RECORDS_TABLE}"))
            })?;
            let raw = RawValue::from_string(doc)
                .map_err(|e| DbError::Server(format!("a stored record is not JSON: {e}")))?;
            let customer = Customer::from_raw(raw)
                .map_err(|e| DbError::Server(format!("a stored record is not a customer: {e}")))?;
            records.push(std::borrow::Cow::Owned(customer));
        }
        let total = usize::try_from(total).unwrap_or(0);
        Ok(Page::new(records, total, request.page()))
    }

    /// Runs `statement` in one round trip: the parameters' types are sent
    /// with it (`query_typed`), where preparing it first would take another.
    /// When it fails, tables of another layout (or none) are the likeliest
    /// cause: the layout check names it.
    fn run(&mut self, statement: &Statement) -> Result<Vec<postgres::Row>, DbError> {
        let params = to_sql(&statement.params);
        let typed: Vec<(&(dyn ToSql + Sync), Type)> = params
            .iter()
            .map(|(value, ty)| (value.as_ref(), ty.clone()))
            .collect();
        match self.client.query_typed(&statement.sql, &typed) {
            Ok(rows) => Ok(rows),
            Err(e) => {
                self.check_layout()?;
                Err(e.into())
            }
        }
    }

    /// Loads customers from `input`: a JSON array, a HAL page or NDJSON
    /// (told apart by [`crate::customers::Format::detect`], the one rule),
    /// streamed:
    /// memory does not grow with the input. Every record is validated and
    /// analysed by the crate; a malformed one fails the load, naming its
    /// line, and nothing is committed. `progress` is called now and then.
    pub fn load(
        &mut self,
        input: impl Read,
        mode: LoadMode,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Progress, DbError> {
        self.require_utf8()?;
        check_layout(&mut self.client)?;
        let mut tx = self.client.transaction()?;
        // Loads take turns; readers (ACCESS SHARE) are never blocked here.
        tx.batch_execute(&format!(
            "LOCK TABLE {LAYOUT_TABLE} IN SHARE ROW EXCLUSIVE MODE;\n\
             SET LOCAL maintenance_work_mem = '256MB';"
        ))?;
        check_layout(&mut tx)?;
        let trgm = trgm_schema(&mut tx)?;
        let suffix = match mode {
            LoadMode::Replace => {
                tx.batch_execute(&format!(
                    "DROP TABLE IF EXISTS {RECORDS_TABLE}_next, {SEARCH_TABLE}_next, {NAMES_TABLE}_next;\n{}\n{}",
                    create_tables("_next", false, false),
                    create_names_table("_next", false)
                ))?;
                "_next"
            }
            LoadMode::Upsert => {
                tx.batch_execute(&create_tables("_stage", false, true))?;
                "_stage"
            }
        };

        // A replacing load writes into tables this transaction created, so
        // its rows can be written frozen and their pages marked all-visible
        // at once: no reader sets hint bits (dirtying pages) on its first
        // read, and the planner can count a date range from an index alone
        // (an index-only scan needs the visibility map, which otherwise
        // only a VACUUM, never run inside a transaction, would set). Other
        // sessions cannot see the new tables before the commit, so nothing
        // is visible early. An upsert inserts into the live tables: their
        // new rows wait for autovacuum.
        let freeze = match mode {
            LoadMode::Replace => " (FREEZE)",
            LoadMode::Upsert => "",
        };
        // The search rows wait while the records stream to the server (one
        // connection runs one `COPY` at a time), sorted by name on the way
        // (in bounded memory): both search tables are written in that
        // order (see `sorted_rows::name_key`).
        let mut search = SortedRows::new(self.sort_memory, FAN_IN);
        let mut key = Vec::new();
        let counter = Rc::new(Cell::new(0u64));
        let input = Counting {
            inner: input,
            bytes: Rc::clone(&counter),
        };
        let mut state = Progress {
            phase: Phase::Reading,
            records: 0,
            bytes: 0,
        };
        progress(&state);
        {
            let writer = tx.copy_in(&format!(
                "COPY {RECORDS_TABLE}{suffix} (pos, doc) FROM STDIN{freeze}"
            ))?;
            let mut docs = BufWriter::with_capacity(1 << 20, writer);
            let mut row = Vec::new();
            read_records(input, &mut |line, text| {
                let fields = scanned(line, text)?;
                if mode == LoadMode::Upsert && fields.id.is_none() {
                    return Err(DbError::Record {
                        line,
                        message: "a record without an `id` cannot be upserted".to_owned(),
                    });
                }
                let doc = fields.document();
                let keys = NameKeys {
                    first: fields.first_name.as_deref().map(sort_key),
                    last: fields.last_name.as_deref().map(sort_key),
                };
                indexable(&keys, &doc).map_err(|message| DbError::Record { line, message })?;
                let pos = i64::try_from(state.records).unwrap_or(i64::MAX);
                row.clear();
                doc_row(pos, text, &mut row);
                docs.write_all(&row)?;
                row.clear();
                search_row(pos, &fields, &doc, &keys, &mut row);
                name_key(keys.last.as_deref(), keys.first.as_deref(), &mut key);
                search.push(&key, &row)?;
                state.records += 1;
                if state.records % 8192 == 0 {
                    state.bytes = counter.get();
                    progress(&state);
                }
                Ok(())
            })?;
            let writer = docs.into_inner().map_err(|e| DbError::Io(e.into_error()))?;
            writer.finish()?;
        }
        state.bytes = counter.get();
        progress(&state);
        // A replacing load writes the names projection frozen, by `COPY`,
        // from its own spool, in the same order; an upsert copies it from
        // the staged rows.
        let names_spool = match mode {
            LoadMode::Replace => Some(Spool::create()?),
            LoadMode::Upsert => None,
        };
        {
            let writer = tx.copy_in(&format!(
                "COPY {SEARCH_TABLE}{suffix} ({SEARCH_COLUMNS}) FROM STDIN{freeze}"
            ))?;
            let mut rows = BufWriter::with_capacity(1 << 20, writer);
            let mut names = names_spool
                .as_ref()
                .map(|spool| BufWriter::with_capacity(1 << 18, &spool.file));
            let spooled = |e: io::Error| DbError::TempFile(TempFileError::of(e));
            search
                .finish(&mut |row| -> Result<(), DbError> {
                    rows.write_all(row)?;
                    if let Some(names) = names.as_mut() {
                        names.write_all(names_part(row)).map_err(spooled)?;
                        names.write_all(b"\n").map_err(spooled)?;
                    }
                    Ok(())
                })
                .map_err(|e| match e {
                    SortError::Temp(e) => DbError::TempFile(e),
                    SortError::Sink(e) => e,
                })?;
            if let Some(names) = names.as_mut() {
                names.flush().map_err(spooled)?;
            }
            let writer = rows.into_inner().map_err(|e| DbError::Io(e.into_error()))?;
            writer.finish()?;
        }
        if let Some(spool) = names_spool {
            let names = NAMES_COLUMNS.join(", ");
            let mut writer = tx.copy_in(&format!(
                "COPY {NAMES_TABLE}{suffix} ({names}) FROM STDIN{freeze}"
            ))?;
            let mut file = spool.rewound()?;
            io::copy(&mut file, &mut writer)?;
            writer.finish()?;
        }
        state.phase = Phase::Indexing;
        progress(&state);
        match mode {
            LoadMode::Replace => {
                let mut ddl = String::new();
                for (name, table, definition) in indexes(&trgm) {
                    let unique = if name.ends_with("_pos") {
                        "UNIQUE "
                    } else {
                        ""
                    };
                    ddl.push_str(&format!(
                        "CREATE {unique}INDEX {name}_next ON {table}_next {definition};\n"
                    ));
                }
                // Readers lock a search table (`hsq_search` or `hsq_names`),
                // then the records: the same order here (both search
                // tables, then the records), or a reader and the swap can
                // deadlock.
                ddl.push_str(&format!(
                    "ANALYZE {RECORDS_TABLE}_next;\nANALYZE {SEARCH_TABLE}_next;\nANALYZE {NAMES_TABLE}_next;\n\
                     LOCK TABLE {SEARCH_TABLE}, {NAMES_TABLE}, {RECORDS_TABLE} IN ACCESS EXCLUSIVE MODE;\n\
                     DROP TABLE {SEARCH_TABLE}, {NAMES_TABLE}, {RECORDS_TABLE};\n\
                     ALTER TABLE {RECORDS_TABLE}_next RENAME TO {RECORDS_TABLE};\n\
                     ALTER TABLE {SEARCH_TABLE}_next RENAME TO {SEARCH_TABLE};\n\
                     ALTER TABLE {NAMES_TABLE}_next RENAME TO {NAMES_TABLE};\n"
                ));
                for (name, _, _) in indexes(&trgm) {
                    ddl.push_str(&format!("ALTER INDEX {name}_next RENAME TO {name};\n"));
                }
                tx.batch_execute(&ddl)?;
                let records = i64::try_from(state.records).unwrap_or(i64::MAX);
                tx.execute(
                    &format!("UPDATE {LAYOUT_TABLE} SET records = $1"),
                    &[&records],
                )?;
            }
            LoadMode::Upsert => {
                tx.batch_execute(&format!(
                    "DELETE FROM {SEARCH_TABLE}_stage a USING {SEARCH_TABLE}_stage b\n\
                     \x20 WHERE a.id = b.id AND a.pos < b.pos;\n\
                     DELETE FROM {RECORDS_TABLE}_stage r\n\
                     \x20 WHERE NOT EXISTS (SELECT 1 FROM {SEARCH_TABLE}_stage s WHERE s.pos = r.pos);\n\
                     DELETE FROM {RECORDS_TABLE} r USING {SEARCH_TABLE} s, {SEARCH_TABLE}_stage g\n\
                     \x20 WHERE s.id = g.id AND r.pos = s.pos;\n\
                     DELETE FROM {NAMES_TABLE} n USING {SEARCH_TABLE}_stage g WHERE n.id = g.id;\n\
                     DELETE FROM {SEARCH_TABLE} s USING {SEARCH_TABLE}_stage g WHERE s.id = g.id;"
                ))?;
                let base: i64 = tx
                    .query_one(
                        &format!("SELECT COALESCE(max(pos) + 1, 0) FROM {SEARCH_TABLE}"),
                        &[],
                    )?
                    .try_get(0)?;
                tx.execute(
                    &format!(
                        "INSERT INTO {RECORDS_TABLE} (pos, doc) SELECT pos + $1, doc FROM {RECORDS_TABLE}_stage"
                    ),
                    &[&base],
                )?;
                let rest = SEARCH_COLUMNS.trim_start_matches("pos, ");
                tx.execute(
                    &format!(
                        "INSERT INTO {SEARCH_TABLE} ({SEARCH_COLUMNS}) SELECT pos + $1, {rest} FROM {SEARCH_TABLE}_stage"
                    ),
                    &[&base],
                )?;
                let names = NAMES_COLUMNS.join(", ");
                let rest = names.trim_start_matches("pos, ");
                tx.execute(
                    &format!(
                        "INSERT INTO {NAMES_TABLE} ({names}) SELECT pos + $1, {rest} FROM {SEARCH_TABLE}_stage"
                    ),
                    &[&base],
                )?;
                tx.batch_execute(&format!(
                    "DROP TABLE {RECORDS_TABLE}_stage, {SEARCH_TABLE}_stage;\n\
                     UPDATE {LAYOUT_TABLE} SET records = (SELECT count(*) FROM {SEARCH_TABLE});\n\
                     ANALYZE {SEARCH_TABLE};\nANALYZE {NAMES_TABLE};"
                ))?;
            }
        }
        tx.commit()?;
        state.phase = Phase::Done;
        progress(&state);
        Ok(state)
    }
}

fn check_layout(client: &mut impl postgres::GenericClient) -> Result<(), DbError> {
    let rows = client.query(&format!("SELECT version FROM {LAYOUT_TABLE}"), &[])?;
    let Some(row) = rows.first() else {
        return Err(DbError::TablesMissing);
    };
    let found: i32 = row.try_get(0)?;
    if found == LAYOUT_VERSION {
        Ok(())
    } else {
        Err(DbError::LayoutMismatch {
            found,
            expected: LAYOUT_VERSION,
        })
    }
}

/// The schema of `pg_trgm`, quoted as an identifier by the server.
fn trgm_schema(client: &mut impl postgres::GenericClient) -> Result<String, DbError> {
    let rows = client.query(
        "SELECT quote_ident(n.nspname) FROM pg_extension e \
         JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
        &[],
    )?;
    match rows.first() {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(DbError::Server(
            "the pg_trgm extension is not installed; run `hsq db init` (as a user who may create it)"
                .to_owned(),
        )),
    }
}

/// Each parameter with its type, which the statement's `$n::type` casts
/// name too.
fn to_sql(params: &[Param]) -> Vec<(Box<dyn ToSql + Sync>, Type)> {
    params
        .iter()
        .map(|p| -> (Box<dyn ToSql + Sync>, Type) {
            match p {
                Param::Text(text) => (Box::new(text.clone()), Type::TEXT),
                Param::BigInt(n) => (Box::new(*n), Type::INT8),
                Param::Int(n) => (Box::new(*n), Type::INT4),
                Param::TextArray(words) => (Box::new(words.clone()), Type::TEXT_ARRAY),
            }
        })
        .collect()
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// Counts the newlines read through it (for the line of a record in a
/// JSON array or HAL page).
struct Lines<R> {
    inner: R,
    newlines: Rc<Cell<usize>>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let found = memchr::memchr_iter(b'\n', &buf[..n]).count();
        self.newlines.set(self.newlines.get() + found);
        Ok(n)
    }
}

type Sink<'a> = dyn FnMut(usize, &str) -> Result<(), DbError> + 'a;

/// The records `hsq db load` reads from `input`, in order, each checked as
/// a load checks it; or the load's error. Not for applications: the fuzz
/// checks and the tests hold it to [`crate::customers::load`], which must
/// take the same inputs and read the same records.
#[doc(hidden)]
pub fn read_for_check(input: &[u8]) -> Result<Vec<String>, DbError> {
    let mut records = Vec::new();
    read_records(input, &mut |line, record| {
        scanned(line, record)?;
        records.push(record.to_owned());
        Ok(())
    })?;
    Ok(records)
}

/// The fields of the record at `line`, validated as every load validates
/// it (by the file path's scanner), or the error naming the line.
fn scanned(line: usize, text: &str) -> Result<Fields<'_>, DbError> {
    crate::customers::scan::scan(text).map_err(|e| DbError::Record {
        line,
        message: e.to_string(),
    })
}

/// Calls `sink` with (line, text) for every record of `input`, in order.
fn read_records(input: impl Read, sink: &mut Sink<'_>) -> Result<(), DbError> {
    let mut reader = BufReader::with_capacity(1 << 20, input);
    // The format is decided by the one rule every loader uses
    // (`customers::Format::detect`), on the first two non-blank lines.
    let mut head = Vec::new();
    let mut line_starts = Vec::new();
    let mut complete = 0usize;
    let mut at_end = false;
    while complete < 2 {
        let start = head.len();
        if (&mut reader)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut head)?
            == 0
        {
            at_end = true;
            break;
        }
        line_starts.push(start);
        // The byte order mark that may start the file is not part of line 1.
        let line = &head[start..];
        let line = if start == 0 {
            line.strip_prefix(json::BOM).unwrap_or(line)
        } else {
            line
        };
        if !json::is_blank(line) {
            complete += 1;
        }
        if head.len() - start > MAX_LINE as usize {
            break;
        }
        // A last line without a newline: the input ends here.
        if !head.ends_with(b"\n") {
            at_end = true;
            break;
        }
    }
    let body = head.strip_prefix(json::BOM).unwrap_or(&head);
    if at_end && json::is_blank(body) {
        return Ok(());
    }
    let format = Format::detect(&head, at_end).map_err(|e| DbError::Format(e.to_string()))?;
    let mut number = 0usize;
    if format == Format::Ndjson {
        let bom = if head.starts_with(json::BOM) {
            json::BOM.len()
        } else {
            0
        };
        let mut line = Vec::new();
        for (k, &start) in line_starts.iter().enumerate() {
            let end = line_starts.get(k + 1).copied().unwrap_or(head.len());
            number += 1;
            let from = if k == 0 { start.max(bom) } else { start };
            ndjson_line(number, &head[from..end], sink)?;
        }
        loop {
            line.clear();
            if (&mut reader)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut line)?
                == 0
            {
                return Ok(());
            }
            number += 1;
            if line.len() as u64 > MAX_LINE {
                return Err(DbError::Record {
                    line: number,
                    message: format!("longer than {MAX_LINE} bytes"),
                });
            }
            ndjson_line(number, &line, sink)?;
        }
    }
    let mut line = head;
    if line.starts_with(json::BOM) {
        line.drain(..json::BOM.len());
    }
    number = 1;
    // One JSON document (an array or a HAL page), possibly over many lines.
    let newlines = Rc::new(Cell::new(number - 1));
    let head = io::Cursor::new(std::mem::take(&mut line));
    let lines = Lines {
        inner: head.chain(reader),
        newlines: Rc::clone(&newlines),
    };
    let mut failure = None;
    let mut de = serde_json::Deserializer::from_reader(lines);
    let seed = Document {
        sink,
        newlines: &newlines,
        failure: &mut failure,
    };
    let result = seed.deserialize(&mut de).and_then(|()| de.end());
    if let Some(failure) = failure {
        return Err(failure);
    }
    result.map_err(|e| {
        if e.is_io() {
            DbError::Io(io::Error::other(e.to_string()))
        } else {
            DbError::Record {
                line: e.line(),
                message: e.to_string(),
            }
        }
    })
}

fn ndjson_line(number: usize, line: &[u8], sink: &mut Sink<'_>) -> Result<(), DbError> {
    let record = &line[json::trimmed(line)];
    if record.is_empty() {
        return Ok(());
    }
    let text = std::str::from_utf8(record).map_err(|e| DbError::Record {
        line: number,
        message: e.to_string(),
    })?;
    sink(number, text)
}

/// Reads a JSON array of records, or a HAL page's `_embedded.customers`,
/// handing each record to the sink as it is read.
struct Document<'s, 'a> {
    sink: &'s mut Sink<'a>,
    newlines: &'s Rc<Cell<usize>>,
    failure: &'s mut Option<DbError>,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON array of customers or a HAL page (`_embedded.customers`)")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let text = raw.get();
            let inside = memchr::memchr_iter(b'\n', text.as_bytes()).count();
            // The counter has passed the record (and at most the byte after it).
            let line = (self.newlines.get() + 1).saturating_sub(inside);
            if let Err(e) = (self.sink)(line, text) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }

    /// As the file path reads a HAL page (`customers::load`): one
    /// `_embedded` holding one `customers`; a second of either is an
    /// error, as serde's derived reader says.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut found, mut embedded) = (false, false);
        let Document {
            sink,
            newlines,
            failure,
        } = self;
        while let Some(key) = map.next_key::<String>()? {
            if key == "_embedded" {
                if std::mem::replace(&mut embedded, true) {
                    return Err(de::Error::duplicate_field("_embedded"));
                }
                map.next_value_seed(Embedded {
                    inner: Document {
                        sink: &mut *sink,
                        newlines,
                        failure: &mut *failure,
                    },
                    found: &mut found,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if found {
            Ok(())
        } else {
            Err(de::Error::custom(
                "expected a HAL page with `_embedded.customers`, an array of customers, or NDJSON",
            ))
        }
    }
}

/// `_embedded` of a HAL page: finds `customers`.
struct Embedded<'s, 'a> {
    inner: Document<'s, 'a>,
    found: &'s mut bool,
}

impl<'de> DeserializeSeed<'de> for Embedded<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Embedded<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object with `customers`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Embedded { inner, found } = self;
        let mut inner = Some(inner);
        while let Some(key) = map.next_key::<String>()? {
            if key != "customers" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let Some(document) = inner.take() else {
                return Err(de::Error::duplicate_field("customers"));
            };
            *found = true;
            map.next_value_seed(Array(document))?;
        }
        Ok(())
    }
}

/// A JSON array of records.
struct Array<'s, 'a>(Document<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Array<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self.0)
    }
}

/// COPY's text format: `\`, newline, carriage return and tab escaped.
fn copy_text(text: &str, out: &mut Vec<u8>) {
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.push(b),
        }
    }
}

const NULL: &[u8] = b"\\N";

fn doc_row(pos: i64, text: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(pos.to_string().as_bytes());
    out.push(b'\t');
    copy_text(text, out);
    out.push(b'\n');
}

/// The longest word (of a name or an email address) and the longest name
/// sort key a load takes, in bytes. PostgreSQL's B-tree and GIN index
/// entries hold at most about a third of a page (2 704 and 2 712 bytes);
/// past that the whole load would fail with the server's error, naming no
/// record, or pass or fail by how well the value compresses. The file path
/// has no such limit.
pub const MAX_INDEXED_BYTES: usize = 2_000;

/// Whether the record's words and name sort keys fit in the indexes
/// ([`MAX_INDEXED_BYTES`]); the message says which field does not.
fn indexable(keys: &NameKeys, doc: &Analysed) -> Result<(), String> {
    let too_long = |what: &str, len: usize| {
        format!(
            "{what} is {len} bytes long, and the database's indexes take at most {MAX_INDEXED_BYTES} (answer over the file with --data)"
        )
    };
    for (field, key, words) in [
        ("firstName", &keys.first, &doc.first_name),
        ("lastName", &keys.last, &doc.last_name),
    ] {
        let key = key.as_ref().map_or(0, Vec::len);
        if key > MAX_INDEXED_BYTES {
            return Err(too_long(&format!("`{field}`"), key));
        }
        if let Some(word) = words.iter().flatten().find(|w| w.len() > MAX_INDEXED_BYTES) {
            return Err(too_long(&format!("a word of `{field}`"), word.len()));
        }
    }
    if let Some(word) = doc
        .emails
        .iter()
        .flatten()
        .find(|w| w.len() > MAX_INDEXED_BYTES)
    {
        return Err(too_long("a word of an email address", word.len()));
    }
    Ok(())
}

/// The sort keys of a record's names ([`sort_key`]).
struct NameKeys {
    first: Option<Vec<u8>>,
    last: Option<Vec<u8>>,
}

/// One row of the search table, in [`SEARCH_COLUMNS`] order.
fn search_row(pos: i64, fields: &Fields<'_>, doc: &Analysed, keys: &NameKeys, out: &mut Vec<u8>) {
    use std::io::Write as _;
    let _ = write!(out, "{pos}\t");
    match fields.id {
        Some(id) => {
            let _ = write!(out, "{id}");
        }
        None => out.extend_from_slice(NULL),
    }
    let columns = [
        frame_values(doc.first_name.iter().map(Vec::as_slice)),
        frame_values(doc.last_name.iter().map(Vec::as_slice)),
        frame_values(doc.emails.iter().map(Vec::as_slice)),
        frame_values(doc.email_domains.iter().map(Vec::as_slice)),
    ];
    for column in &columns {
        out.push(b'\t');
        copy_text(column, out);
    }
    for key in [&keys.first, &keys.last] {
        out.push(b'\t');
        match key {
            Some(key) => {
                out.extend_from_slice(b"\\\\x");
                for byte in key {
                    let _ = write!(out, "{byte:02x}");
                }
            }
            None => out.extend_from_slice(NULL),
        }
    }
    for t in
        [fields.created_at, fields.updated_at].map(|t| t.map(crate::eval::matcher::to_millisecond))
    {
        match t {
            Some(t) => {
                let (us, ns) = instant(t);
                let _ = write!(out, "\t{us}\t{ns}");
            }
            None => {
                out.push(b'\t');
                out.extend_from_slice(NULL);
                out.push(b'\t');
                out.extend_from_slice(NULL);
            }
        }
    }
    out.push(b'\t');
    match &fields.mailbox_ids {
        Some(ids) => {
            out.push(b'{');
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let _ = write!(out, "{}", mailbox_id(*id));
            }
            out.push(b'}');
        }
        None => out.extend_from_slice(NULL),
    }
    out.push(b'\n');
}
