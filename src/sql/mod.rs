//! List Customers compiled to one PostgreSQL statement (SPEC §9), with the
//! same answers as [`crate::customers::answer`].
//!
//! This module is pure: it knows the table layout and writes SQL text, and
//! never talks to a server (that is [`crate::db`], behind the `postgres`
//! feature). Two rules hold everywhere:
//!
//! - **bind parameters only**: no value of the request (a name, a token, a
//!   pattern, a date, the mailbox, the page) is ever written into the SQL
//!   text; the text depends only on the request's *shape*;
//! - **the crate decides, PostgreSQL compares**: text is analysed by the
//!   crate ([`crate::eval::tokens`]) when a record is loaded and
//!   when a query is compiled; sort keys are folded by Rust's lower-casing;
//!   date bounds are computed from the caller's clock
//!   (`eval::dates`). PostgreSQL only matches framed strings,
//!   compares integers and byte strings, and counts.
//!
//! # The layout
//!
//! `hsq_records (pos bigint, doc text)` holds each record's JSON text
//! verbatim, keyed by its load position. Not `jsonb`, which would reorder
//! keys and drop duplicates; not `json` either: the crate has validated
//! every record already, and PostgreSQL's `json` parser rejects records the
//! file path accepts (nesting deeper than its stack allows, a few thousand
//! levels) and makes a load spend a third of its time parsing again
//! (`doc::json` still works in SQL). `hsq_search` is the narrow table the
//! filters scan (or its projection `hsq_names`, below), one row per record,
//! same `pos`:
//!
//! | column | holds |
//! |---|---|
//! | `id` | the record's `id` (missing ids and duplicates allowed) |
//! | `first_name_tokens`, `last_name_tokens`, `email_tokens`, `domain_tokens` | the field's tokens, [framed](frame_values); `''` when missing, never NULL |
//! | `first_name_key`, `last_name_key` | the sort key: the name lower-cased by Rust, as UTF-8 `bytea` (compared byte by byte, as Rust compares strings) |
//! | `created_us`, `created_ns`, `updated_us`, `updated_ns` | the instant as whole microseconds since the Unix epoch (floor) and the nanoseconds past them |
//! | `mailbox_ids` | the `mailboxIds` extension (`u64` stored bit for bit as `bigint`), NULL when absent |
//!
//! `hsq_names (pos, id, first_name_tokens, last_name_tokens)` is a
//! projection of `hsq_search` onto the columns a name search reads, with
//! its own words index: about a third of its width (66 MB for a million
//! records against 190 MB), so it stays in PostgreSQL's buffers where the
//! wider table cannot (the default `shared_buffers` is 128 MB). A statement
//! sorted by score, which reads every match of its filter, reads it when
//! every column the statement needs is there (every other sort key is a
//! column it lacks): a relevance-ranked search by name, the commonest broad
//! request, reads a third of the pages. The load writes
//! both tables from the same rows, in one transaction.
//!
//! A replacing load writes both search tables in the order of the last
//! name's sort key, then the first name's (missing names last; `hsq db`
//! sorts the rows in bounded memory): the rows of one last name, or one
//! full name, lie on neighbouring pages. A search by last name (the usual
//! selective search) then reads a few pages where rows in load order would
//! cost about one page per match, and the words index's posting lists,
//! runs of neighbouring row addresses, compress better and intersect
//! faster. The physical order never shows in an answer: every statement
//! orders by its sort key, `id` and `pos`. An upsert appends its rows; the
//! next replacing load restores the order.
//!
//! `hsq_layout (version, records)` holds [`LAYOUT_VERSION`] and the number
//! of records (of rows of `hsq_search`), which every load updates in its
//! transaction: the total of a request without a filter.
//!
//! # How each test compiles
//!
//! - A term or phrase is a substring search (`strpos`) over a token column:
//!   its tokens, consecutive and framed, `␟john␟`, passed verbatim (no
//!   pattern, so `_`, `%` and `\` need no escaping); it never spans two
//!   values, because values are
//!   separated by `␞` (U+001E), not `␟` (U+001F). A needle without tokens
//!   is `FALSE`, as in the evaluator. For names and emails,
//!   [`words`]`(column) @> ARRAY[the needle's tokens]` is added before it:
//!   it is implied by the substring (so the answer is the same) and lets
//!   the GIN index of the words find the candidates.
//! - A wildcard is a regular expression matching one whole token:
//!   `␟` + the pattern + `␟`, `*` as `[^␞␟]*`, `?` as `[^␞␟]`, ASCII
//!   punctuation escaped; letters as lower-cased (`σ` never matches `ς`,
//!   as in Lucene).
//! - A date is a half-open comparison of `(us, ns)` pairs, guarded by
//!   `IS NOT NULL` so that a missing date is `FALSE`, never NULL (NULL under
//!   `NOT` would drop the record).
//! - Every leaf is therefore `TRUE` or `FALSE`, so `NOT` means what it means
//!   in the evaluator: a missing field fails a positive clause and passes
//!   its negation.
//! - `score` is the sum of the satisfied leaves outside any `NOT` (a field
//!   group counts once), computed in SQL.
//! - The order is the sort key (`NULLS LAST` in both directions), then `id`
//!   in the same direction (`NULLS LAST`), then the load position, ascending.
//!
//! ```
//! use helpscout_query::customers::ListCustomers;
//! use helpscout_query::sql::{Param, list_customers};
//! let request = ListCustomers::from_query_string("query=firstName:John&sortField=lastName").unwrap().request;
//! let statement = list_customers(&request, jiff::Timestamp::now()).unwrap();
//! assert!(statement.sql.contains("strpos(s.first_name_tokens, $1::text) > 0"));
//! assert_eq!(statement.params[0], Param::Text("\u{1f}john\u{1f}".to_owned()));
//! assert!(!statement.sql.contains("john"));
//! ```

use std::fmt::{self, Write as _};

use jiff::Timestamp;

use crate::customers::PAGE_SIZE;
use crate::customers::request::{
    ListCustomers, RequestError, RequestErrorKind, RequestErrors, SortField, SortOrder,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::Matcher;
use crate::eval::analysis::Token;
use crate::eval::matcher::{Check, Node, Source};
use crate::eval::wildcard::Unit;
use crate::syntax::ast::Span;

mod path;
pub use path::{PagePath, estimated_rows, path_for};

/// The version of the table layout this crate reads and writes. `hsq db
/// init` records it; every other command checks it.
pub const LAYOUT_VERSION: i32 = 3;

/// Separates the tokens of one value in a token column.
pub const TOKEN_SEPARATOR: char = '\u{1f}';

/// Separates the values (each email address) of a token column.
pub const VALUE_SEPARATOR: char = '\u{1e}';

/// The table of verbatim records.
pub const RECORDS_TABLE: &str = "hsq_records";

/// The table the filters scan (see also [`NAMES_TABLE`]).
pub const SEARCH_TABLE: &str = "hsq_search";

/// The projection of [`SEARCH_TABLE`] onto the columns a search by name
/// reads ([`NAMES_COLUMNS`]).
pub const NAMES_TABLE: &str = "hsq_names";

/// The columns of [`NAMES_TABLE`]: the first four of [`SEARCH_TABLE`].
pub const NAMES_COLUMNS: [&str; 4] = ["pos", "id", "first_name_tokens", "last_name_tokens"];

/// The one-row table holding the layout version.
pub const LAYOUT_TABLE: &str = "hsq_layout";

/// One bind parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `text`: a framed needle, a `LIKE` pattern or a regular expression.
    Text(String),
    /// `bigint`: microseconds, a mailbox id, an offset.
    BigInt(i64),
    /// `integer`: nanoseconds past the microsecond.
    Int(i32),
    /// `text[]`: the distinct tokens of a needle.
    TextArray(Vec<String>),
}

impl fmt::Display for Param {
    /// The value as JSON (strings quoted and escaped, so the separators
    /// show as `\u001f`), then its SQL type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Text(text) => {
                let json = serde_json::to_string(text).map_err(|_| fmt::Error)?;
                write!(f, "{json} (text)")
            }
            Param::BigInt(n) => write!(f, "{n} (bigint)"),
            Param::Int(n) => write!(f, "{n} (integer)"),
            Param::TextArray(words) => {
                let json = serde_json::to_string(words).map_err(|_| fmt::Error)?;
                write!(f, "{json} (text[])")
            }
        }
    }
}

/// A statement and its parameters (`$1` is `params[0]`).
///
/// The statement returns one row per record of the page, in order, or one
/// row with NULL `n` and `doc` when the page is empty. Its columns:
/// `total` (how many records match, `bigint`), `n` (the 1-based rank on the
/// page), `doc` (the record's JSON text, verbatim), `any_mailbox_ids`
/// (whether any record has `mailboxIds`; NULL unless the request has
/// `mailbox`, where `false` means the mailbox rule rejects the request),
/// `layout` (the layout version of the tables, `integer`: the caller checks
/// it against [`LAYOUT_VERSION`] in the same round trip; NULL when the
/// tables were never initialised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// The values of `$1`, `$2`, ….
    pub params: Vec<Param>,
}

impl fmt::Display for Statement {
    /// The statement, then one comment line per parameter:
    /// `-- $1 = "…" (text)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{};", self.sql)?;
        for (i, param) in self.params.iter().enumerate() {
            writeln!(f, "-- ${} = {param}", i + 1)?;
        }
        Ok(())
    }
}

/// Frames the tokens of each value for a token column: each value as `␟`
/// + its tokens joined by `␟` + `␟` (nothing for a value without tokens),
///   values separated by `␞`, with `␞` at both ends. A field with no value
///   at all is `''`.
///
/// ```
/// use helpscout_query::eval::tokens;
/// use helpscout_query::sql::frame_values;
/// let emails = [tokens("john@appleseed.com"), tokens("j@x.io")];
/// assert_eq!(
///     frame_values(emails.iter().map(Vec::as_slice)),
///     "\u{1e}\u{1f}john\u{1f}appleseed.com\u{1f}\u{1e}\u{1f}j\u{1f}x.io\u{1f}\u{1e}"
/// );
/// assert_eq!(frame_values([]), "");
/// ```
pub fn frame_values<'a>(values: impl IntoIterator<Item = &'a [Token]>) -> String {
    let mut out = String::new();
    for value in values {
        out.push(VALUE_SEPARATOR);
        if !value.is_empty() {
            out.push(TOKEN_SEPARATOR);
            for token in value {
                out.push_str(token);
                out.push(TOKEN_SEPARATOR);
            }
        }
    }
    if !out.is_empty() {
        out.push(VALUE_SEPARATOR);
    }
    out
}

/// The sort key of a name: lower-cased as the evaluator sorts names
/// (Lucene's code-point-by-code-point simple case mapping,
/// [`crate::eval::lowercase`]), as UTF-8 bytes. Byte order is code point
/// order, the order of Rust's `String`.
pub fn sort_key(name: &str) -> Vec<u8> {
    crate::eval::lowercase(name).into_owned().into_bytes()
}

/// An instant as (whole microseconds since the Unix epoch, rounded down;
/// nanoseconds past them, 0-999): exact over jiff's whole range, where
/// PostgreSQL's `timestamptz` has microseconds and no year before 4713 BC.
/// Pairs compare as the instants do.
pub fn instant(t: Timestamp) -> (i64, i32) {
    let ns = t.as_nanosecond();
    // jiff's range (about ±10 000 years) fits easily in i64 microseconds.
    let us = i64::try_from(ns.div_euclid(1000)).unwrap_or(if ns < 0 { i64::MIN } else { i64::MAX });
    let rest = i32::try_from(ns.rem_euclid(1000)).unwrap_or(0);
    (us, rest)
}

/// A `mailboxIds` value as stored: the `u64` bit for bit as `bigint`
/// (equality is all the filter needs).
pub fn mailbox_id(id: u64) -> i64 {
    i64::from_ne_bytes(id.to_ne_bytes())
}

/// A query construct the statement cannot express yet: the answer must come
/// from records (a file, memory), never a silently different one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} cannot be answered from PostgreSQL yet")]
pub struct NotInSql(pub &'static str);

impl crate::diagnostic::DiagnosticKind for NotInSql {
    fn code(&self) -> crate::diagnostic::Code {
        crate::diagnostic::Code::NotEvaluable
    }
    fn hint(&self) -> Option<String> {
        Some("answer it over the records (--data), or leave that clause out".to_owned())
    }
}

/// Compiles `request` to one statement, with `now` as the clock for `NOW`.
///
/// Fails only where [`crate::customers::answer`] fails before
/// looking at records: a query that cannot be evaluated over customers
/// (never one resolved against the customers schema). The mailbox rule
/// needs the data: the statement reports it in `any_mailbox_ids`.
///
/// This is the statement for any data ([`PagePath::WalkFirst`]);
/// [`crate::db`] may pick [`PagePath::SortMatches`] from the planner's
/// estimate ([`estimate`]), with the same answer.
pub fn list_customers(request: &ListCustomers, now: Timestamp) -> Result<Statement, RequestErrors> {
    list_customers_via(request, now, PagePath::WalkFirst)
}

/// The request's filters compiled, each twice (see [`Compiled`]), with
/// the query's score and the mailbox rule's test.
struct Filters {
    /// As the planner should see them (`test`, which an index can serve).
    tests: Vec<String>,
    /// As one row is checked (`row`, cheapest).
    rows: Vec<String>,
    score: String,
    any_mailbox_ids: String,
}

/// Compiles the query and every other filtering parameter into `builder`.
fn filters(
    request: &ListCustomers,
    now: Timestamp,
    builder: &mut Builder,
) -> Result<Filters, RequestErrors> {
    let mut filters = Vec::new();
    let mut rows = Vec::new();
    let mut score = "0".to_owned();
    if let Some((syntax, typed)) = request.query() {
        let matcher = Matcher::compile(typed, now).map_err(|e| {
            RequestErrors::from(RequestError {
                parameter: "query".to_owned(),
                rejected_value: Some(syntax.to_string().into()),
                kind: RequestErrorKind::InvalidQuery {
                    diagnostic: Diagnostic::of(Severity::Error, &e, Span::default()),
                },
            })
        })?;
        let compiled = builder.node(&matcher.root);
        // Only a statement sorted by score computes the score.
        let score_out_of_range = compiled.range.out && request.sort_field() == SortField::Score;
        let unsupported = builder.unsupported.or(score_out_of_range
            .then_some("a score sort whose boosts take a score past 1e300 or below 1e-300"));
        if let Some(what) = unsupported {
            let error = NotInSql(what);
            return Err(RequestErrors::from(RequestError {
                parameter: "query".to_owned(),
                rejected_value: Some(syntax.to_string().into()),
                kind: RequestErrorKind::InvalidQuery {
                    diagnostic: Diagnostic::of(Severity::Error, &error, Span::default()),
                },
            }));
        }
        filters.push(compiled.test);
        rows.push(compiled.row);
        score = compiled.score;
    }
    let others = crate::customers::filter::parameter_matchers(request);
    for matcher in &others {
        let compiled = builder.node(&matcher.root);
        filters.push(compiled.test);
        rows.push(compiled.row);
    }
    let any_mailbox_ids = match request.mailbox() {
        Some(mailbox) => {
            builder.reads(&["s.mailbox_ids"]);
            let p = builder.bind(Param::BigInt(mailbox_id(mailbox)), "bigint");
            filters.push(format!("s.mailbox_ids @> ARRAY[{p}]"));
            rows.push(format!("s.mailbox_ids @> ARRAY[{p}]"));
            format!("EXISTS (SELECT 1 FROM {SEARCH_TABLE} m WHERE m.mailbox_ids IS NOT NULL)")
        }
        None => "NULL::boolean".to_owned(),
    };
    Ok(Filters {
        tests: filters,
        rows,
        score,
        any_mailbox_ids,
    })
}

/// Asks the planner how many records the request's filters keep: an
/// `EXPLAIN` whose first line ends in `rows=N` (read by
/// [`estimated_rows`]). `None` where the statement takes one path
/// whatever the data: no filter, or sorted by score.
///
/// ```
/// use helpscout_query::customers::ListCustomers;
/// use helpscout_query::sql::estimate;
/// let request = ListCustomers::from_query_string("query=lastName:Kowalski").unwrap().request;
/// let statement = estimate(&request, jiff::Timestamp::now()).unwrap().unwrap();
/// assert!(statement.sql.starts_with("EXPLAIN SELECT 1 FROM hsq_search s WHERE"));
/// ```
pub fn estimate(
    request: &ListCustomers,
    now: Timestamp,
) -> Result<Option<Statement>, RequestErrors> {
    let mut builder = Builder::default();
    let compiled = filters(request, now, &mut builder)?;
    if compiled.tests.is_empty() || request.sort_field() == SortField::Score {
        return Ok(None);
    }
    let sql = format!(
        "EXPLAIN SELECT 1 FROM {SEARCH_TABLE} s WHERE {}",
        compiled.tests.join(" AND ")
    );
    Ok(Some(without_unused(sql, builder.params)))
}

/// Compiles `request` to one statement taking `path` to its page (which
/// matters only for a filtered request sorted by a date or a name).
pub fn list_customers_via(
    request: &ListCustomers,
    now: Timestamp,
    path: PagePath,
) -> Result<Statement, RequestErrors> {
    let mut builder = Builder::default();
    let Filters {
        tests: filters,
        rows,
        score,
        any_mailbox_ids,
    } = filters(request, now, &mut builder)?;
    let filter = filters.join(" AND ");
    let row_filter = rows.join(" AND ");
    let (field, dir) = (request.sort_field(), request.sort_order());
    let keys = sort_keys(field, &score);
    let dir = match dir {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    };
    let offset_value = i64::from(request.page() - 1).saturating_mul(PAGE_SIZE as i64);
    let offset = builder.bind(Param::BigInt(offset_value), "bigint");
    let sql = if filters.is_empty() {
        // No filter: every row matches, so the total is the number of
        // records, which the load keeps beside the layout version (counting
        // a million rows, even from an index, costs more than the rest of
        // the request), and walking the sort key's index finds the page at
        // once.
        let order: Vec<String> = keys
            .iter()
            .map(|k| format!("{k} {dir} NULLS LAST, "))
            .collect();
        format!(
            "SELECT c.total, p.n, r.doc::text AS doc, c.any_mailbox_ids, c.layout\n\
             FROM (SELECT (SELECT l.records FROM {LAYOUT_TABLE} l LIMIT 1) AS total,\n\
             \x20            {any_mailbox_ids} AS any_mailbox_ids,\n\
             \x20            (SELECT l.version FROM {LAYOUT_TABLE} l LIMIT 1) AS layout) AS c\n\
             LEFT JOIN LATERAL unnest(ARRAY(\n\
             \x20 SELECT s.pos FROM {SEARCH_TABLE} s\n\
             \x20 ORDER BY {}s.id {dir} NULLS LAST, s.pos ASC\n\
             \x20 LIMIT {PAGE_SIZE} OFFSET {offset}\n\
             )) WITH ORDINALITY AS p(pos, n) ON TRUE\n\
             LEFT JOIN {RECORDS_TABLE} r ON r.pos = p.pos\n\
             ORDER BY p.n",
            order.concat()
        )
    } else if field == SortField::Score || path == PagePath::SortMatches {
        // The score is no column: the matches are found once, scored,
        // counted, and the page taken by a top-N sort. So are a column's
        // when few records match (see [`PagePath`]).
        let columns: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!(", {k} AS k{i}"))
            .collect();
        let order: Vec<String> = (0..keys.len())
            .map(|i| format!("m.k{i} {dir} NULLS LAST, "))
            .collect();
        let table = builder.matches_table(field);
        format!(
            "WITH m AS MATERIALIZED (\n\
             \x20 SELECT s.pos, s.id{} FROM {table} s\n\
             \x20 WHERE {filter}\n\
             )\n\
             SELECT c.total, p.n, r.doc::text AS doc, c.any_mailbox_ids, c.layout\n\
             FROM (SELECT (SELECT count(*) FROM m) AS total,\n\
             \x20            {any_mailbox_ids} AS any_mailbox_ids,\n\
             \x20            (SELECT l.version FROM {LAYOUT_TABLE} l LIMIT 1) AS layout) AS c\n\
             LEFT JOIN LATERAL unnest(ARRAY(\n\
             \x20 SELECT m.pos FROM m\n\
             \x20 ORDER BY {}m.id {dir} NULLS LAST, m.pos ASC\n\
             \x20 LIMIT {PAGE_SIZE} OFFSET {offset}\n\
             )) WITH ORDINALITY AS p(pos, n) ON TRUE\n\
             LEFT JOIN {RECORDS_TABLE} r ON r.pos = p.pos\n\
             ORDER BY p.n",
            columns.concat(),
            order.concat()
        )
    } else {
        let page = Page {
            offset,
            need: offset_value.saturating_add(PAGE_SIZE as i64),
        };
        let filter = Filter {
            test: &filter,
            row: &row_filter,
        };
        walk_or_sort(&keys, dir, &filter, &any_mailbox_ids, &page, &mut builder)
    };
    Ok(without_unused(sql, builder.params))
}

/// Drops the parameters the text never reads, and numbers the others
/// again in order (PostgreSQL cannot type a parameter no expression uses).
/// A term's substring needle goes unread where only its words test is
/// kept: under `NOT` in a statement sorted by score. Placeholders are the
/// only `$` of the text (values never enter it), each written `$n::type`.
fn without_unused(sql: String, params: Vec<Param>) -> Statement {
    let placeholder = |text: &str, at: usize| -> Option<(usize, usize)> {
        let digits = text[at + 1..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let n = text[at + 1..at + 1 + digits].parse::<usize>().ok()?;
        text[at + 1 + digits..]
            .starts_with("::")
            .then_some((n, at + 1 + digits))
    };
    let mut used = vec![false; params.len() + 1];
    for (at, _) in sql.match_indices('$') {
        if let Some((n, _)) = placeholder(&sql, at) {
            if let Some(slot) = used.get_mut(n) {
                *slot = true;
            }
        }
    }
    if used.iter().skip(1).all(|&u| u) {
        return Statement { sql, params };
    }
    let mut number = vec![0; params.len() + 1];
    let mut kept = Vec::new();
    for (i, param) in params.into_iter().enumerate() {
        if used[i + 1] {
            kept.push(param);
            number[i + 1] = kept.len();
        }
    }
    let mut out = String::with_capacity(sql.len());
    let mut from = 0;
    for (at, _) in sql.match_indices('$') {
        if let Some((n, end)) = placeholder(&sql, at) {
            out.push_str(&sql[from..at]);
            out.push_str(&format!("${}", number.get(n).copied().unwrap_or(n)));
            from = end;
        }
    }
    out.push_str(&sql[from..]);
    Statement {
        sql: out,
        params: kept,
    }
}

/// The filter of a request: as the planner should see it (`test`) and as
/// one row is checked (`row`).
struct Filter<'a> {
    test: &'a str,
    row: &'a str,
}

/// Where the page starts: the placeholder of the offset, and how many
/// matches the pages up to this one hold.
struct Page {
    offset: String,
    need: i64,
}

/// The fewest rows of the sort order a filtered request reads, looking for
/// its page, before it sorts the matches instead (see [`WALK_MAX`]).
pub const WALK_MIN: i64 = 1_000;

/// The most rows of the sort order a filtered request reads, looking for
/// its page, before it sorts the matches instead: 20 rows per match the
/// pages up to the one asked for hold (so a filter that keeps 5% of the
/// records, spread evenly over the order, finds its page in the walk),
/// between [`WALK_MIN`] and this. The rows are fetched one by one in the
/// index's order, a few microseconds each; past these bounds sorting the
/// matches is the cheaper bet.
pub const WALK_MAX: i64 = 4_000;

fn walk_length(need: i64) -> i64 {
    need.saturating_mul(20).clamp(WALK_MIN, WALK_MAX)
}

/// The statement of a filtered request sorted by a column with an index
/// (a date or a name).
///
/// A filter that keeps many records finds its page in the first rows of
/// the sort key's index (a broad date range sorted by last name: 200 rows
/// read for 50 matches), where finding every match first and sorting them
/// reads a quarter of the table. A selective filter, or matches that cluster
/// far along the order (`email:jo*` sorted by `firstName`, where addresses
/// are made of first names), would make that walk read most of the table.
/// So the statement walks a bounded prefix of the order ([`walk_length`]
/// rows, `w`); when that prefix holds the page (or is the whole table), the
/// page comes from it and the total from a separate `count(*)`, which the
/// planner serves from an index where it can (index-only over a date
/// range). Otherwise the matches are found once (`m`), counted and sorted,
/// as before. Only the branch taken runs: PostgreSQL evaluates a CTE, and an
/// uncorrelated subquery, when it is first read.
fn walk_or_sort(
    keys: &[String],
    dir: &str,
    filter: &Filter<'_>,
    any_mailbox_ids: &str,
    page: &Page,
    builder: &mut Builder,
) -> String {
    let Filter { test: filter, row } = filter;
    let need = builder.bind(Param::BigInt(page.need), "bigint");
    let walk = builder.bind(Param::BigInt(walk_length(page.need)), "bigint");
    let offset = &page.offset;
    let columns: String = keys
        .iter()
        .enumerate()
        .map(|(i, k)| format!(", {k} AS k{i}"))
        .collect();
    let order_by = |table: &str| -> String {
        let keys: String = (0..keys.len())
            .map(|i| format!("{table}.k{i} {dir} NULLS LAST, "))
            .collect();
        format!("{keys}{table}.id {dir} NULLS LAST, {table}.pos ASC")
    };
    let index_order: String = keys
        .iter()
        .map(|k| format!("{k} {dir} NULLS LAST, "))
        .collect();
    let (w_order, m_order) = (order_by("w"), order_by("m"));
    format!(
        "WITH w AS MATERIALIZED (\n\
         \x20 SELECT s.pos, s.id{columns}, ({row}) AS hit FROM {SEARCH_TABLE} s\n\
         \x20 ORDER BY {index_order}s.id {dir} NULLS LAST, s.pos ASC\n\
         \x20 LIMIT {walk}\n\
         ),\n\
         h AS MATERIALIZED (\n\
         \x20 SELECT count(*) < {walk} AS whole,\n\
         \x20        count(*) < {walk} OR count(*) FILTER (WHERE w.hit) >= {need} AS found,\n\
         \x20        count(*) FILTER (WHERE w.hit) AS hits\n\
         \x20 FROM w\n\
         ),\n\
         m AS MATERIALIZED (\n\
         \x20 SELECT s.pos, s.id{columns} FROM {SEARCH_TABLE} s\n\
         \x20 WHERE {filter}\n\
         )\n\
         SELECT c.total, p.n, r.doc::text AS doc, c.any_mailbox_ids, c.layout\n\
         FROM (SELECT CASE\n\
         \x20              WHEN (SELECT h.whole FROM h) THEN (SELECT h.hits FROM h)\n\
         \x20              WHEN (SELECT h.found FROM h) THEN (SELECT count(*) FROM {SEARCH_TABLE} s WHERE {filter})\n\
         \x20              ELSE (SELECT count(*) FROM m)\n\
         \x20            END AS total,\n\
         \x20            {any_mailbox_ids} AS any_mailbox_ids,\n\
         \x20            (SELECT l.version FROM {LAYOUT_TABLE} l LIMIT 1) AS layout) AS c\n\
         LEFT JOIN LATERAL unnest(ARRAY(\n\
         \x20 (SELECT w.pos FROM w WHERE w.hit AND (SELECT h.found FROM h)\n\
         \x20  ORDER BY {w_order}\n\
         \x20  LIMIT {PAGE_SIZE} OFFSET {offset})\n\
         \x20 UNION ALL\n\
         \x20 (SELECT m.pos FROM m WHERE NOT (SELECT h.found FROM h)\n\
         \x20  ORDER BY {m_order}\n\
         \x20  LIMIT {PAGE_SIZE} OFFSET {offset})\n\
         )) WITH ORDINALITY AS p(pos, n) ON TRUE\n\
         LEFT JOIN {RECORDS_TABLE} r ON r.pos = p.pos\n\
         ORDER BY p.n"
    )
}

/// The sort key's expressions, most significant first; each sorts with
/// `NULLS LAST` in the request's direction, then `id` the same way (missing
/// last), then the load position ascending.
fn sort_keys(field: SortField, score: &str) -> Vec<String> {
    match field {
        SortField::CreatedAt => vec!["s.created_us".to_owned(), "s.created_ns".to_owned()],
        SortField::ModifiedAt => vec!["s.updated_us".to_owned(), "s.updated_ns".to_owned()],
        SortField::FirstName => vec!["s.first_name_key".to_owned()],
        SortField::LastName => vec!["s.last_name_key".to_owned()],
        // Without a query every score is 0: no key (and a bare `0` in
        // ORDER BY would be read as a column position).
        SortField::Score if score == "0" => Vec::new(),
        SortField::Score => vec![format!("({score})")],
    }
}

/// A compiled node: its test (never NULL) twice, and its score (an
/// integer, or a float8 under a boost). `test` is for a `WHERE` clause: each term is also a words
/// test, which the GIN index serves; `row` says the same for one row at
/// the least cost (a substring search, where the words test would split
/// the column into an array first), for the walk's and the score's
/// per-row checks.
struct Compiled {
    test: String,
    row: String,
    score: String,
    /// The score's bounds over every record: 0, or between these.
    range: ScoreRange,
}

/// The nonzero values a score can take lie in `[min, max]`; `min` is
/// infinite when the score is always 0. Scores are never negative (a boost
/// is a non-negative number).
#[derive(Clone, Copy)]
struct ScoreRange {
    min: f64,
    max: f64,
    /// Whether computing the score (the expression as written, so not
    /// under `NOT` or a zero boost) passes [`SCORE_MAX`] or [`SCORE_MIN`]
    /// anywhere.
    out: bool,
}

impl ScoreRange {
    const ZERO: ScoreRange = ScoreRange {
        min: f64::INFINITY,
        max: 0.0,
        out: false,
    };
    const ONE: ScoreRange = ScoreRange {
        min: 1.0,
        max: 1.0,
        out: false,
    };
}

/// The scores PostgreSQL is asked to compute stay within these, or the
/// statement is refused: its `float8` arithmetic raises an error where
/// Rust's gives an infinity or a zero (past about 1.8e308, below about
/// 4.9e-324). The margins leave the rounding of the bounds no say.
const SCORE_MAX: f64 = 1e300;
const SCORE_MIN: f64 = 1e-300;

/// `(a JOINER b JOINER …)` over one text of each part.
fn grouped(parts: &[Compiled], text: impl Fn(&Compiled) -> &String, joiner: &str) -> String {
    let texts: Vec<&str> = parts.iter().map(|p| text(p).as_str()).collect();
    format!("({})", texts.join(joiner))
}

#[derive(Default)]
struct Builder {
    params: Vec<Param>,
    /// The first construct the statement cannot express, if any.
    unsupported: Option<&'static str>,
    /// Whether a test reads a column [`NAMES_TABLE`] lacks.
    wide: bool,
}

impl Builder {
    /// Adds a parameter; returns its placeholder with an explicit type.
    fn bind(&mut self, param: Param, ty: &str) -> String {
        self.params.push(param);
        format!("${}::{ty}", self.params.len())
    }

    /// Notes the columns (`s.name`) a test reads.
    fn reads(&mut self, columns: &[&str]) {
        self.wide |= columns
            .iter()
            .any(|c| !NAMES_COLUMNS.contains(&c.trim_start_matches("s.")));
    }

    /// The search table a statement reading every match of its filter
    /// scans: [`NAMES_TABLE`] when it holds every column the statement
    /// reads (the filter's, and the sort key's: the score is computed from
    /// the filter's columns; every other sort key is a column the
    /// projection lacks), else [`SEARCH_TABLE`].
    fn matches_table(&self, field: SortField) -> &'static str {
        if self.wide || field != SortField::Score {
            SEARCH_TABLE
        } else {
            NAMES_TABLE
        }
    }

    /// Mirrors `Matcher::matches` and `Matcher::score`.
    fn node(&mut self, node: &Node) -> Compiled {
        match node {
            Node::And(nodes) | Node::Or(nodes) => {
                let (joiner, empty) = match node {
                    Node::And(_) => (" AND ", "TRUE"),
                    _ => (" OR ", "FALSE"),
                };
                if nodes.is_empty() {
                    return Compiled {
                        test: empty.to_owned(),
                        row: empty.to_owned(),
                        score: "0".to_owned(),
                        range: ScoreRange::ZERO,
                    };
                }
                let parts: Vec<Compiled> = nodes.iter().map(|n| self.node(n)).collect();
                let max: f64 = parts.iter().map(|p| p.range.max).sum();
                let range = ScoreRange {
                    min: parts
                        .iter()
                        .map(|p| p.range.min)
                        .fold(f64::INFINITY, f64::min),
                    max,
                    out: max > SCORE_MAX || parts.iter().any(|p| p.range.out),
                };
                Compiled {
                    test: grouped(&parts, |p| &p.test, joiner),
                    row: grouped(&parts, |p| &p.row, joiner),
                    score: grouped(&parts, |p| &p.score, " + "),
                    range,
                }
            }
            Node::Not(inner) => {
                let inner = self.node(inner);
                Compiled {
                    test: format!("(NOT {})", inner.test),
                    row: format!("(NOT {})", inner.row),
                    score: "0".to_owned(),
                    range: ScoreRange::ZERO,
                }
            }
            // As `Matcher::score`: the boost times the operand's score, in
            // float8; a zero boost is zero. The boost is a literal, not a
            // parameter: the score expression is left out of statements not
            // sorted by score, and an unused parameter has no type. It is
            // the shortest decimal text of a finite f64 (digits, `.`, `e`,
            // `-` only), which PostgreSQL reads back exactly.
            Node::Boost(inner, boost) => {
                let inner = self.node(inner);
                let (score, range) = if *boost == 0.0 {
                    ("0".to_owned(), ScoreRange::ZERO)
                } else {
                    let factor = f64::from(*boost);
                    let (min, max) = (factor * inner.range.min, factor * inner.range.max);
                    let range = ScoreRange {
                        min,
                        max,
                        out: inner.range.out
                            || max > SCORE_MAX
                            || (min.is_finite() && min < SCORE_MIN),
                    };
                    (format!("('{factor:e}'::float8 * {})", inner.score), range)
                };
                Compiled {
                    test: inner.test,
                    row: inner.row,
                    score,
                    range,
                }
            }
            Node::Clause(inner) => {
                let Compiled { test, row, .. } = self.node(inner);
                let score = format!("({row})::int");
                Compiled {
                    test,
                    row,
                    score,
                    range: ScoreRange::ONE,
                }
            }
            Node::Leaf(source, check) => {
                let (test, row) = self.leaf(*source, check);
                let score = format!("({row})::int");
                Compiled {
                    test,
                    row,
                    score,
                    range: ScoreRange::ONE,
                }
            }
        }
    }

    /// Mirrors `matcher::with_leaf`: the leaf's test as (for `WHERE`, for
    /// one row); they differ only for terms.
    fn leaf(&mut self, source: Source, check: &Check) -> (String, String) {
        let same = |test: String| (test.clone(), test);
        match check {
            Check::Fuzzy(..) => {
                self.unsupported.get_or_insert("a fuzzy term (`john~`)");
                same("FALSE".to_owned())
            }
            Check::Range(..) => {
                self.unsupported.get_or_insert("a text range (`[a TO c]`)");
                same("FALSE".to_owned())
            }
            Check::Regex(..) => {
                self.unsupported
                    .get_or_insert("a regular expression (`/jo.*/`)");
                same("FALSE".to_owned())
            }
            Check::Date(window) => {
                let (us, ns) = match source {
                    Source::CreatedAt => ("s.created_us", "s.created_ns"),
                    Source::UpdatedAt => ("s.updated_us", "s.updated_ns"),
                    _ => return same("FALSE".to_owned()),
                };
                self.reads(&[us, ns]);
                let mut parts = vec![format!("{us} IS NOT NULL")];
                for (bound, op) in [(window.from, ">="), (window.until, "<")] {
                    if let Some(t) = bound {
                        let (bound_us, bound_ns) = instant(t);
                        let a = self.bind(Param::BigInt(bound_us), "bigint");
                        let b = self.bind(Param::Int(bound_ns), "integer");
                        parts.push(format!("({us}, {ns}) {op} ({a}, {b})"));
                    }
                }
                same(format!("({})", parts.join(" AND ")))
            }
            Check::Tokens(needle) => {
                if needle.is_empty() {
                    return same("FALSE".to_owned());
                }
                let Some(columns) = text_columns(source) else {
                    return same("FALSE".to_owned());
                };
                self.reads(columns);
                let p = self.bind(Param::Text(framed_needle(needle)), "text");
                let mut words: Vec<String> = needle.iter().map(|t| t.as_str().to_owned()).collect();
                words.sort_unstable();
                words.dedup();
                // Bound only where a words column uses it (an unused
                // parameter has no type).
                let w = if columns.iter().any(|c| words_column(c).is_some()) {
                    self.bind(Param::TextArray(words), "text[]")
                } else {
                    String::new()
                };
                // `strpos`, not `LIKE`: the same exact substring test, which
                // the planner cannot serve from the trigram index (it would
                // AND a trigram scan into the bitmap of the words set, for
                // nothing: half the time of a selective request). One token
                // is in the words exactly when the substring is in the
                // column, so a term's test is the words test alone: the
                // index answers it whole, and no row is checked again.
                let test = any_column(columns, |c| {
                    let found = format!("strpos({c}, {p}) > 0");
                    match words_column(c) {
                        Some(set) if needle.len() == 1 => format!("{set} @> {w}"),
                        Some(set) => format!("({set} @> {w} AND {found})"),
                        None => found,
                    }
                });
                let row = any_column(columns, |c| format!("strpos({c}, {p}) > 0"));
                (test, row)
            }
            Check::Wildcard(pattern) => {
                let Some(columns) = text_columns(source) else {
                    return same("FALSE".to_owned());
                };
                // A wildcard reads its columns whole (a `LIKE` or a regular
                // expression), which only `hsq_search`'s trigram indexes
                // serve: the projection has the words index alone.
                self.wide = true;
                if let Some(like) = wildcard_like(&pattern.segments()) {
                    let p = self.bind(Param::Text(like), "text");
                    return same(any_column(columns, |c| {
                        format!("{c} LIKE {p} ESCAPE E'\\\\'")
                    }));
                }
                let Some(regex) = token_regex(&pattern.segments()) else {
                    return same("FALSE".to_owned());
                };
                let p = self.bind(Param::Text(regex), "text");
                same(any_column(columns, |c| format!("{c} ~ {p}")))
            }
        }
    }
}

/// The token columns a text test reads (`None` for a date field).
fn text_columns(source: Source) -> Option<&'static [&'static str]> {
    Some(match source {
        Source::FirstName => &["s.first_name_tokens"],
        Source::LastName => &["s.last_name_tokens"],
        Source::Emails => &["s.email_tokens"],
        Source::EmailDomains => &["s.domain_tokens"],
        Source::Default => &[
            "s.first_name_tokens",
            "s.last_name_tokens",
            "s.email_tokens",
        ],
        Source::CreatedAt | Source::UpdatedAt => return None,
    })
}

/// The words of a token column where the GIN index has them (not the
/// domains, which are whole tokens of the emails already).
fn words_column(tokens: &str) -> Option<String> {
    match tokens {
        "s.first_name_tokens" | "s.last_name_tokens" | "s.email_tokens" => Some(words(tokens)),
        _ => None,
    }
}

/// The tokens of a token column as an array, the expression the words
/// index (`hsq_search_words`) holds: `string_to_array(column, chr(31))`.
/// Besides every token of every value it holds pieces made of the value
/// separator alone (`␞`), which no needle holds, so `@> ARRAY[tokens]`
/// says exactly whether the field has each of those tokens. An expression
/// rather than a stored `text[]` column: the search table stays 40%
/// narrower, and every request that reads many of its rows reads fewer
/// pages.
pub fn words(column: &str) -> String {
    format!("string_to_array({column}, chr({}))", TOKEN_SEPARATOR as u32)
}

fn any_column(columns: &[&str], test: impl Fn(&str) -> String) -> String {
    match columns {
        [one] => test(one),
        _ => format!(
            "({})",
            columns
                .iter()
                .map(|c| test(c))
                .collect::<Vec<_>>()
                .join(" OR ")
        ),
    }
}

/// `␟t1␟t2␟…␟`: the tokens consecutively inside one value, as
/// `strpos` finds them in a token column.
fn framed_needle(needle: &[Token]) -> String {
    let mut out = String::new();
    out.push(TOKEN_SEPARATOR);
    for token in needle {
        out.push_str(token);
        out.push(TOKEN_SEPARATOR);
    }
    out
}

/// The common wildcards as a `LIKE` pattern, where that is exact (a plain
/// substring search is several times cheaper than a regular expression):
/// `pre*` (`%␟pre%`), `*suf` (`%suf␟%`), `*mid*` (`%mid%`) and `*`
/// (`%␟%`). An occurrence of a literal without separators lies inside one
/// token, and `␟` marks where a token starts and ends. Not for `?` (which
/// `_` would let match a separator), two literal runs (`%` would span
/// tokens) or a separator in the literal.
fn wildcard_like(segments: &[&[Unit]]) -> Option<String> {
    let literal = |segment: &[Unit]| -> Option<String> {
        let mut out = String::new();
        for unit in segment {
            match *unit {
                Unit::Char(c) if c == TOKEN_SEPARATOR || c == VALUE_SEPARATOR => {
                    return None;
                }
                Unit::Char(c) => {
                    if matches!(c, '\\' | '%' | '_') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                Unit::Any => return None,
            }
        }
        Some(out)
    };
    let sep = TOKEN_SEPARATOR;
    match segments {
        [first, last] if last.is_empty() && !first.is_empty() => {
            Some(format!("%{sep}{}%", literal(first)?))
        }
        [first, last] if first.is_empty() && !last.is_empty() => {
            Some(format!("%{}{sep}%", literal(last)?))
        }
        [first, last] if first.is_empty() && last.is_empty() => Some(format!("%{sep}%")),
        [first, middle, last] if first.is_empty() && last.is_empty() && !middle.is_empty() => {
            Some(format!("%{}%", literal(middle)?))
        }
        _ => None,
    }
}

/// A regular expression (PostgreSQL's ARE) matching one whole token of a
/// framed column, or `None` when the pattern holds a separator (no token
/// does, so nothing can match).
fn token_regex(segments: &[&[Unit]]) -> Option<String> {
    const ONE: &str = "[^\u{1e}\u{1f}]";
    let mut out = String::new();
    out.push(TOKEN_SEPARATOR);
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            let _ = write!(out, "{ONE}*");
        }
        for unit in segment.iter() {
            match *unit {
                Unit::Any => out.push_str(ONE),
                Unit::Char(c) if c == TOKEN_SEPARATOR || c == VALUE_SEPARATOR => return None,
                Unit::Char(c) if c.is_ascii_alphanumeric() || !c.is_ascii() => out.push(c),
                // In an ARE, `\` before a non-alphanumeric character is that character.
                Unit::Char(c) => {
                    out.push('\\');
                    out.push(c);
                }
            }
        }
    }
    out.push(TOKEN_SEPARATOR);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(params: &str) -> Statement {
        let request = ListCustomers::from_query_string(params).unwrap().request;
        list_customers(&request, "2024-06-15T12:00:00Z".parse().unwrap()).unwrap()
    }

    #[test]
    fn instants_split_exactly() {
        let cases = [
            ("1970-01-01T00:00:00Z", (0, 0)),
            ("1970-01-01T00:00:00.000001500Z", (1, 500)),
            ("1969-12-31T23:59:59.999999999Z", (-1, 999)),
        ];
        for (text, expected) in cases {
            assert_eq!(instant(text.parse().unwrap()), expected, "{text}");
        }
        assert!(instant(Timestamp::MIN) < instant(Timestamp::MAX));
    }

    #[test]
    fn needles_are_framed_verbatim() {
        let needle = crate::eval::analysis::tokens("a_b mary");
        assert_eq!(framed_needle(&needle), "\u{1f}a_b\u{1f}mary\u{1f}");
    }

    #[test]
    fn regexes_escape_punctuation_and_keep_sigma_as_written() {
        let pattern = |text: &str| {
            let query: crate::Query = format!("firstName:{text}").parse().unwrap();
            let typed = crate::schema::customers().resolve(&query).unwrap().query;
            let matcher = Matcher::compile(&typed, Timestamp::now()).unwrap();
            let Node::Leaf(_, Check::Wildcard(p)) = matcher.root else {
                panic!("{text}")
            };
            token_regex(&p.segments())
        };
        assert_eq!(
            pattern("j.h?n*").unwrap(),
            "\u{1f}j\\.h[^\u{1e}\u{1f}]n[^\u{1e}\u{1f}]*\u{1f}"
        );
        // `Σ` is `σ`, and never matches a written `ς` (as in Lucene).
        assert_eq!(
            pattern("ΟΔΥΣ*").unwrap(),
            "\u{1f}οδυσ[^\u{1e}\u{1f}]*\u{1f}"
        );
    }

    #[test]
    fn the_text_depends_on_the_shape_only() {
        let a = statement("query=firstName:John AND modifiedAt:[2014 TO *]&lastName=x&mailbox=3");
        let b = statement("query=firstName:Mary AND modifiedAt:[2020 TO *]&lastName=y&mailbox=9");
        assert_eq!(a.sql, b.sql);
        assert_ne!(a.params, b.params);
    }

    #[test]
    fn unread_parameters_are_dropped_and_the_rest_renumbered() {
        // Under NOT, sorted by score, a term keeps only its words test: its
        // substring needle is read nowhere.
        let s = statement("query=NOT%20firstName:john%20AND%20lastName:smith&sortField=score");
        assert_eq!(
            s.params,
            [
                Param::TextArray(vec!["john".to_owned()]),
                Param::Text("\u{1f}smith\u{1f}".to_owned()),
                Param::TextArray(vec!["smith".to_owned()]),
                Param::BigInt(0),
            ]
        );
        for n in 1..=4 {
            assert!(s.sql.contains(&format!("${n}::")), "${n} in {}", s.sql);
        }
        assert!(!s.sql.contains("$5"), "{}", s.sql);
    }

    #[test]
    fn a_one_token_term_is_its_words_test_where_the_index_serves_it() {
        let s = statement("query=firstName:john&sortField=lastName");
        let m = s.sql.split("m AS MATERIALIZED").nth(1).unwrap_or_default();
        let where_clause = m.lines().nth(2).unwrap_or_default();
        assert_eq!(
            where_clause.trim(),
            "WHERE string_to_array(s.first_name_tokens, chr(31)) @> $2::text[]"
        );
        // The walk checks each row with the substring search.
        assert!(
            s.sql
                .contains("(strpos(s.first_name_tokens, $1::text) > 0) AS hit")
        );
    }

    #[test]
    fn a_search_by_name_sorted_by_score_reads_the_names_projection() {
        let from = |params: &str| -> &'static str {
            let sql = statement(params).sql;
            if sql.contains(&format!("FROM {NAMES_TABLE} s")) {
                assert!(!sql.contains(&format!("FROM {SEARCH_TABLE} s")), "{sql}");
                NAMES_TABLE
            } else {
                SEARCH_TABLE
            }
        };
        for params in [
            "query=firstName:john%20OR%20lastName:smith&sortField=score",
            "query=(firstName:john%20AND%20NOT%20lastName:%22van%20dyke%22)^2&sortField=score&sortOrder=asc",
            "query=NOT%20lastName:smith&sortField=score",
            "query=firstName:john&sortField=score&firstName=john&lastName=smith",
        ] {
            assert_eq!(from(params), NAMES_TABLE, "{params}");
        }
        // A column the projection lacks, in the filter or the sort key.
        for params in [
            "query=john&sortField=score",
            "query=firstName:john%20OR%20email:smith&sortField=score",
            "query=firstName:john%20AND%20createdAt:[2020-01-01%20TO%20*]&sortField=score",
            "query=firstName:john&sortField=score&mailbox=1",
            // A wildcard: the trigram indexes are on `hsq_search` only.
            "query=firstName:jo*%20OR%20lastName:smith&sortField=score",
            "query=firstName:john&sortField=score&modifiedSince=2020-01-01T00:00:00Z",
            "query=firstName:john&sortField=lastName",
            "query=firstName:john",
        ] {
            assert_eq!(from(params), SEARCH_TABLE, "{params}");
        }
        let sorted = list_customers_via(
            &ListCustomers::from_query_string("query=firstName:john&sortField=firstName")
                .unwrap()
                .request,
            "2024-06-15T12:00:00Z".parse().unwrap(),
            PagePath::SortMatches,
        )
        .unwrap();
        assert!(sorted.sql.contains(&format!("FROM {SEARCH_TABLE} s")));
        assert!(!sorted.sql.contains(NAMES_TABLE));
    }

    #[test]
    fn a_score_past_postgresqls_float8_range_is_refused_not_miscomputed() {
        let compile = |params: &str| {
            let request = ListCustomers::from_query_string(params).unwrap().request;
            list_customers(&request, "2024-06-15T12:00:00Z".parse().unwrap())
        };
        let big = "300000000000000000000000000000000000000";
        let tiny = format!("0.{}1", "0".repeat(44));
        let nested = |boost: &str, depth: usize| {
            let mut query = "firstName:a".to_owned();
            for _ in 0..depth {
                query = format!("({query})^{boost}");
            }
            query
        };
        for query in [
            nested(big, 9),
            nested(&tiny, 8),
            format!("{}%20OR%20lastName:b", nested(big, 8)),
        ] {
            let params = format!("query={query}&sortField=score");
            let errors = compile(&params).unwrap_err();
            let text = errors.to_string();
            assert!(
                text.contains("cannot be answered from PostgreSQL yet"),
                "{params}: {text}"
            );
            assert!(text.contains("1e300"), "{params}: {text}");
            // Not sorted by score, the score is never computed.
            let by_name = format!("query={query}&sortField=lastName");
            assert!(compile(&by_name).is_ok(), "{by_name}");
        }
        // Within range: one huge boost, one tiny, and an out-of-range score
        // that a zero boost or a NOT leaves uncomputed.
        for query in [
            nested(big, 1),
            nested(&tiny, 1),
            format!("({})^0", nested(big, 9)),
            format!("firstName:b%20AND%20NOT%20{}", nested(big, 9)),
        ] {
            let params = format!("query={query}&sortField=score");
            assert!(compile(&params).is_ok(), "{params}");
        }
    }

    #[test]
    fn empty_needles_are_false() {
        let s = statement("query=firstName:%22--%22");
        assert!(s.sql.contains("WHERE FALSE"), "{}", s.sql);
    }
}
