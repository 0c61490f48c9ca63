//! `hsq`: the command-line face of `helpscout_query` (SPEC §7).
//!
//! This file parses arguments (clap) and prints; every decision about a
//! query, a request or the data is the library's. It must never grow query
//! logic of its own.
//!
//! Exit status: 0 success (warnings allowed), 1 an invalid query, request or
//! data file (or a failed read or write), 2 a usage error.
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use helpscout_query::customers::{
    self, AnswerError, ErrorBody, ListCustomers, RequestErrors, RequestWarning, Source,
    StreamOptions,
};
use helpscout_query::diagnostic::{Report, escape_controls};
use helpscout_query::sql::PagePath;
use helpscout_query::syntax::print::tree;
use helpscout_query::{
    Code, Diagnostic, ParseOptions, Severity, parse, parse_lenient, schema, validate,
};
use serde_json::value::RawValue;

/// `hsq db`, `hsq sql` and `hsq customers --db` (PostgreSQL).
#[path = "hsq/db.rs"]
mod db;

/// The most worker threads `--threads` takes.
const MAX_THREADS: usize = 64;

/// Usage first, so that every help text starts the same way.
const TEMPLATE: &str = "{usage-heading} {usage}\n\n{about-with-newline}\n{all-args}{after-help}";

const AFTER_HELP: &str = "\
PARAMS is the request's URL query string, as it would be sent:
  hsq customers 'query=(firstName:\"John\")&sortField=firstName&sortOrder=asc'

A QUERY that is '-' or left out, and PARAMS that is '-', are read from stdin
(one trailing newline is dropped). A QUERY that starts with '-' goes after '--':
  hsq fmt -- '-tag:spam'
At most 100 diagnostics are written (the first found).

Exit status: 0 success (warnings allowed), 1 invalid query, request or data
file, 2 usage error.";

const SUBCOMMAND_AFTER_HELP: &str = "Run 'hsq --help' for every command: fmt, check, explain, customers, url, db, sql, completions.";

/// Validate, format and explain Help Scout search queries, and answer
/// GET /v2/customers over local data.
#[derive(Debug, Parser)]
#[command(
    name = "hsq",
    version,
    help_template = TEMPLATE,
    after_help = AFTER_HELP,
    subcommand_required = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// How diagnostics are printed on stderr (json: one array of objects).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

/// `hsq db` commands.
#[derive(Debug, Subcommand)]
enum DbAction {
    /// Create the hsq tables and indexes (idempotent).
    #[command(help_template = TEMPLATE)]
    Init {
        /// The database (HSQ_DATABASE_URL may stand for it).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
    },
    /// Load customers from FILE ('-': stdin): a JSON array, a HAL page or
    /// NDJSON. Replaces the whole dataset atomically, or with --upsert
    /// replaces records by id and adds the others.
    #[command(help_template = TEMPLATE)]
    Load {
        /// The database (HSQ_DATABASE_URL may stand for it).
        #[arg(long, value_name = "URL")]
        db: Option<String>,
        /// Replace records by id and add the new ones.
        #[arg(long)]
        upsert: bool,
        /// The file to load.
        file: PathBuf,
    },
}

/// How diagnostics are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    // rustc-style: the message, the line, carets, the hint.
    Human,
    // One JSON array of objects (SPEC §7).
    Json,
}

/// The endpoint whose fields `hsq check --schema` validates against.
/// `hsq sql --path`: which form of the statement to print.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum SqlPath {
    /// Walk a bounded prefix of the sort key's index first.
    WalkFirst,
    /// Find, count and sort every match.
    SortMatches,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaName {
    Customers,
    Conversations,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the canonical form of QUERY.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Fmt {
        /// Repair the query with the lenient parser (diagnostics on stderr).
        #[arg(long)]
        fix: bool,
        /// The query ('-' or left out: stdin).
        query: Option<OsString>,
    },
    /// Validate QUERY against an endpoint; print its errors and warnings.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Check {
        /// The endpoint whose fields the query uses.
        #[arg(long, value_enum, default_value_t = SchemaName::Customers)]
        schema: SchemaName,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// The query ('-' or left out: stdin).
        query: Option<OsString>,
    },
    /// Print the syntax tree of QUERY.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Explain {
        /// Print the tree as JSON.
        #[arg(long)]
        json: bool,
        /// The query ('-' or left out: stdin).
        query: Option<OsString>,
    },
    /// Answer GET /v2/customers?PARAMS over local data, as Help Scout's HAL+JSON.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Customers {
        /// Customer data: a JSON array, a HAL page or NDJSON (streamed).
        /// Default: the built-in sample of 500 customers.
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
        /// The clock for date math, such as 2024-01-01T00:00:00Z (default: now).
        #[arg(long, value_name = "TIMESTAMP")]
        now: Option<String>,
        /// Worker threads for streaming NDJSON, 1 to 64 (default: every core).
        #[arg(long, value_name = "N")]
        threads: Option<String>,
        /// Answer from PostgreSQL instead (postgresql://user:password@host:port/db;
        /// HSQ_DATABASE_URL may stand for it when --data is not given).
        #[arg(long, value_name = "URL", conflicts_with = "data")]
        db: Option<String>,
        /// The request's URL query string ('-': stdin; left out: none).
        params: Option<OsString>,
    },
    /// Print the canonical request URL for PARAMS.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Url {
        /// The URL base (default `https://api.helpscout.net`).
        #[arg(long, value_name = "URL")]
        base: Option<String>,
        /// The request's URL query string ('-': stdin; left out: none).
        params: Option<OsString>,
    },
    /// Create the tables and indexes, or load customers, in PostgreSQL.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Print the SQL statement that answers GET /v2/customers?PARAMS, and its
    /// bind parameters, without connecting.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Sql {
        /// The clock for date math, such as 2024-01-01T00:00:00Z (default: now).
        #[arg(long, value_name = "TIMESTAMP")]
        now: Option<String>,
        /// The form of the statement: walk-first (a bounded prefix of the
        /// sort key's index first; right for any data) or sort-matches
        /// (every match sorted at once; faster when few records match).
        /// `hsq customers --db` picks one by the planner's estimate.
        #[arg(long, value_enum, default_value_t = SqlPath::WalkFirst)]
        path: SqlPath,
        /// The request's URL query string ('-': stdin; left out: none).
        params: Option<OsString>,
    },
    /// Print shell completions for hsq.
    #[command(help_template = TEMPLATE, after_help = SUBCOMMAND_AFTER_HELP)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => return clap_error(&error, &args),
    };
    let out = Out::new(cli.format);
    let code = run(&out, cli.command);
    out.finish(code)
}

/// Runs one command; with `--format json` its diagnostics wait in `out`.
fn run(out: &Out, command: Command) -> ExitCode {
    match command {
        Command::Fmt { fix, query } => with_input(out, query, false, |q| fmt(out, q, fix)),
        Command::Check {
            schema,
            deny_warnings,
            query,
        } => with_input(out, query, false, |q| check(out, q, schema, deny_warnings)),
        Command::Explain { json, query } => {
            with_input(out, query, false, |q| explain(out, q, json))
        }
        Command::Customers {
            data,
            now,
            threads,
            db,
            params,
        } => {
            let now = match now.map(|now| parse_now(&now)).transpose() {
                Ok(now) => now.unwrap_or_else(jiff::Timestamp::now),
                Err(message) => return out.usage_error(&message),
            };
            let threads = match threads.map(|t| parse_threads(&t)).transpose() {
                Ok(threads) => threads,
                Err(message) => return out.usage_error(&message),
            };
            let database = db::url_for_customers(db.as_deref(), data.is_some());
            with_input(out, params, true, |p| match &database {
                Some(url) => db::customers(out, url, p, now),
                None => answer_customers(out, p, data.as_ref(), now, threads),
            })
        }
        Command::Url { base, params } => {
            if let Some(Err(message)) = base.as_deref().map(customers::check_base) {
                return out.usage_error(&format!("invalid --base: {message}"));
            }
            with_input(out, params, true, |p| url(out, p, base.as_deref()))
        }
        Command::Db { action } => match action {
            DbAction::Init { db } => match db::url(db) {
                Some(url) => db::init(out, &url),
                None => out.usage_error(db::NO_URL),
            },
            DbAction::Load { db, upsert, file } => match db::url(db) {
                Some(url) => db::load(out, &url, &file, upsert),
                None => out.usage_error(db::NO_URL),
            },
        },
        Command::Sql { now, path, params } => {
            let now = match now.map(|now| parse_now(&now)).transpose() {
                Ok(now) => now.unwrap_or_else(jiff::Timestamp::now),
                Err(message) => return out.usage_error(&message),
            };
            let path = match path {
                SqlPath::WalkFirst => PagePath::WalkFirst,
                SqlPath::SortMatches => PagePath::SortMatches,
            };
            with_input(out, params, true, |p| db::sql(out, p, now, path))
        }
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hsq", &mut text);
            out.stdout(&String::from_utf8_lossy(&text))
        }
    }
}

/// Whether the arguments ask for JSON diagnostics, for errors found before
/// they are parsed.
fn json_requested(args: &[OsString]) -> bool {
    args.windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json")
}

/// The usage line of the subcommand named in `args`, or of `hsq`.
fn usage_for(args: &[OsString]) -> String {
    let mut command = Cli::command();
    let name = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| command.find_subcommand(a).is_some())
        .map(str::to_owned);
    match name.and_then(|n| command.find_subcommand_mut(&n).cloned()) {
        Some(mut sub) => sub
            .render_usage()
            .to_string()
            .replacen("Usage: ", "Usage: hsq ", 1),
        None => command.render_usage().to_string(),
    }
}

/// A usage error (exit 2) or the help text (exit 0) from clap.
fn clap_error(error: &clap::Error, args: &[OsString]) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    let json = json_requested(args);
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return Out::new(Format::Human).stdout(&error.render().to_string());
        }
        _ => {}
    }
    let out = Out::new(if json { Format::Json } else { Format::Human });
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let code = out.usage_error(
            "missing command: fmt, check, explain, customers, url, db, sql or completions",
        );
        return out.finish(code);
    }
    let mut text = error.render().to_string();
    if !text.contains("Usage:") {
        text = text.replacen("\n\n", &format!("\n\n{}\n\n", usage_for(args)), 1);
    }
    if error.kind() == ErrorKind::UnknownArgument {
        let argument = error.get(ContextKind::InvalidArg).map(ToString::to_string);
        let note = match argument {
            Some(a) if a.starts_with('-') => {
                "a query that starts with '-' goes after '--': hsq fmt -- '-tag:x'"
            }
            _ => "quote the whole query as one argument",
        };
        text.push_str(&format!("\nnote: {note}\n"));
    }
    let code = out.usage_text(&text);
    out.finish(code)
}

fn parse_now(value: &str) -> Result<jiff::Timestamp, String> {
    value.parse::<jiff::Timestamp>().map_err(|e| {
        format!("invalid --now '{value}': expected a timestamp such as 2024-01-01T00:00:00Z ({e})")
    })
}

fn parse_threads(value: &str) -> Result<usize, String> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_THREADS).contains(n))
        .ok_or_else(|| {
            format!("invalid --threads '{value}': expected a whole number from 1 to {MAX_THREADS}")
        })
}

/// Runs `job` on the input: the argument, or stdin when it is `-` (or left
/// out, unless `absent_is_empty`), minus one trailing line ending.
fn with_input(
    out: &Out,
    input: Option<OsString>,
    absent_is_empty: bool,
    job: impl FnOnce(&str) -> ExitCode,
) -> ExitCode {
    let text = match input {
        None if absent_is_empty => Ok(String::new()),
        Some(arg) if arg != "-" => arg
            .into_string()
            .map_err(|_| "the input is not valid UTF-8".to_owned()),
        _ => read_stdin(),
    };
    match text {
        Ok(text) => job(&text),
        Err(message) => out.failure(Code::Io, &message),
    }
}

/// The most bytes read from stdin: larger than any query or request the
/// parser accepts, so what is cut off could never be used.
const MAX_STDIN: u64 = 16 << 20;

fn read_stdin() -> Result<String, String> {
    let mut bytes = Vec::new();
    io::stdin()
        .take(MAX_STDIN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > MAX_STDIN {
        return Err(format!("stdin holds more than {MAX_STDIN} bytes"));
    }
    let mut text = String::from_utf8(bytes).map_err(|_| "stdin is not valid UTF-8".to_owned())?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

fn fmt(out: &Out, source: &str, fix: bool) -> ExitCode {
    if fix {
        let lenient = parse_lenient(source);
        // Values with no words are dropped, as Lucene drops them, and said.
        let (query, dropped) = match &lenient.query {
            Some(query) => helpscout_query::without_wordless(query),
            None => (None, Vec::new()),
        };
        let mut diagnostics = lenient.diagnostics();
        diagnostics.extend(dropped);
        let reported = out.diagnostics(&diagnostics, source);
        return match query {
            Some(query) => reported.and(out.stdout(&format!("{query}\n"))),
            None => ExitCode::from(1),
        };
    }
    match parse(source) {
        Ok(parsed) => out
            .diagnostics(&warnings(&parsed.warnings), source)
            .and(out.stdout(&format!("{}\n", parsed.query))),
        Err(errors) => {
            out.diagnostics(&errors.diagnostics(), source);
            ExitCode::from(1)
        }
    }
}

/// Every diagnostic of `source`: syntax, then the schema, errors first.
fn check(out: &Out, source: &str, schema: SchemaName, deny_warnings: bool) -> ExitCode {
    let schema = match schema {
        SchemaName::Customers => schema::customers(),
        SchemaName::Conversations => schema::conversations(),
    };
    let diagnostics = validate(source, schema, &ParseOptions::default()).diagnostics;
    let reported = out.diagnostics(&diagnostics, source);
    let rejected = diagnostics.iter().any(|d| match d.severity {
        Severity::Error => true,
        Severity::Warning => deny_warnings,
    });
    if rejected {
        ExitCode::from(1)
    } else {
        reported
    }
}

fn explain(out: &Out, source: &str, json: bool) -> ExitCode {
    match parse(source) {
        Ok(parsed) => {
            let reported = out.diagnostics(&warnings(&parsed.warnings), source);
            let text = if json {
                // A tree of strings and numbers always serialises.
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&parsed.query).unwrap_or_default()
                )
            } else {
                tree(&parsed.query)
            };
            reported.and(out.stdout(&text))
        }
        Err(errors) => {
            out.diagnostics(&errors.diagnostics(), source);
            ExitCode::from(1)
        }
    }
}

/// `hsq customers`: the HAL+JSON answer on stdout; for an invalid request,
/// Help Scout's error body on stdout and the diagnostics on stderr.
fn answer_customers(
    out: &Out,
    params: &str,
    data: Option<&PathBuf>,
    now: jiff::Timestamp,
    threads: Option<usize>,
) -> ExitCode {
    let parsed = match ListCustomers::from_query_string(params) {
        Ok(parsed) => parsed,
        Err(errors) => return out.invalid_request(&errors, params, true),
    };
    let reported = out.request_warnings(&parsed.warnings);
    let mut options = StreamOptions::default();
    options.threads = threads.unwrap_or(options.threads);
    let source = match data {
        Some(path) => Source::File(path, options),
        None => Source::Sample,
    };
    match customers::answer(&parsed.request, &source, now) {
        Ok(page) => {
            reported.and(out.stdout(&format!("{}\n", page.to_hal_json(&parsed.request, None))))
        }
        Err(AnswerError::Request(errors)) => out.invalid_request(&errors, params, true),
        Err(error) => out.failure(error.code(), &error.to_string()),
    }
}

/// `hsq url`: the canonical URL on stdout.
fn url(out: &Out, params: &str, base: Option<&str>) -> ExitCode {
    match ListCustomers::from_query_string(params) {
        Ok(parsed) => out
            .request_warnings(&parsed.warnings)
            .and(out.stdout(&format!("{}\n", parsed.request.to_url(base)))),
        Err(errors) => out.invalid_request(&errors, params, false),
    }
}

fn warnings(warnings: &[helpscout_query::Warning]) -> Vec<Diagnostic> {
    warnings.iter().map(Diagnostic::from).collect()
}

/// Where the command's output goes, and how diagnostics are written.
struct Out {
    format: Format,
    /// With `--format json`, every diagnostic of the run (warnings, then
    /// what failed), written by [`Out::finish`] as one JSON array: stderr
    /// is exactly one JSON document whatever happens.
    pending: RefCell<Vec<Box<RawValue>>>,
}

impl Out {
    fn new(format: Format) -> Out {
        Out {
            format,
            pending: RefCell::new(Vec::new()),
        }
    }

    /// Keeps the elements of a JSON array of diagnostics for [`Out::finish`].
    fn push_json(&self, array: &str) -> ExitCode {
        // Our own serialisations always parse.
        let items: Vec<Box<RawValue>> = serde_json::from_str(array).unwrap_or_default();
        self.pending.borrow_mut().extend(items);
        ExitCode::SUCCESS
    }

    /// Ends the run with `code`: with `--format json`, writes the one array
    /// of diagnostics (empty or not); a failed write makes a success exit 1.
    fn finish(&self, code: ExitCode) -> ExitCode {
        if self.format != Format::Json {
            return code;
        }
        let items = std::mem::take(&mut *self.pending.borrow_mut());
        // Raw values that were valid JSON always serialise.
        let array = serde_json::to_string(&items).unwrap_or_default();
        code.and(self.stderr(&format!("{array}\n")))
    }

    /// Writes the command's result to stdout. A reader that went away early
    /// (`hsq explain | head -1`) is not a failure; any other write error is.
    fn stdout(&self, text: &str) -> ExitCode {
        let mut stdout = io::stdout().lock();
        match stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                self.failure(Code::Io, &format!("cannot write to stdout: {e}"));
                ExitCode::from(1)
            }
        }
    }

    /// Writes to stderr; a failed write is exit 1 (there is nowhere left to
    /// say why).
    fn stderr(&self, text: &str) -> ExitCode {
        let mut stderr = io::stderr().lock();
        match stderr
            .write_all(text.as_bytes())
            .and_then(|()| stderr.flush())
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        }
    }

    /// A failure that is not about a query (exit 1): one line, or in JSON one
    /// diagnostic with `code`.
    fn failure(&self, code: Code, message: &str) -> ExitCode {
        match self.format {
            Format::Human => self.stderr(&format!("hsq: error: {}\n", escape_controls(message))),
            Format::Json => self.push_json(&plain_json(code, message)),
        };
        ExitCode::from(1)
    }

    /// A usage error found after clap (exit 2), with the short usage.
    fn usage_error(&self, message: &str) -> ExitCode {
        let usage = Cli::command().render_usage().to_string();
        self.usage_text(&format!("error: {message}\n\n{usage}\n"))
    }

    /// Writes a usage error's text (which starts with `error: `) and exits 2.
    fn usage_text(&self, text: &str) -> ExitCode {
        match self.format {
            Format::Human => self.stderr(&format!("hsq: {text}")),
            Format::Json => {
                let message = text.trim_start_matches("error: ");
                let message = message.split("\n\n").next().unwrap_or(message).trim_end();
                self.push_json(&plain_json(Code::Usage, message))
            }
        };
        ExitCode::from(2)
    }

    /// Writes diagnostics about `source` to stderr (at most
    /// `Report::MAX`). In JSON they join the run's one array, written by
    /// [`Out::finish`] empty or not, so that stderr always parses.
    fn diagnostics(&self, diagnostics: &[Diagnostic], source: &str) -> ExitCode {
        let mut report = Report::new();
        report.extend(diagnostics.iter().cloned(), source, None);
        self.report(&report)
    }

    fn report(&self, report: &Report<'_>) -> ExitCode {
        match self.format {
            Format::Human => self.stderr(&report.render()),
            Format::Json => self.push_json(&report.to_json()),
        }
    }

    fn request_warnings(&self, warnings: &[RequestWarning]) -> ExitCode {
        let mut report = Report::new();
        for w in warnings {
            report.extend([w.diagnostic.clone()], &w.value, Some(w.parameter.as_str()));
        }
        self.report(&report)
    }

    fn invalid_request(&self, errors: &RequestErrors, params: &str, body: bool) -> ExitCode {
        let mut report = Report::new();
        for e in &errors.errors {
            report.extend([e.diagnostic()], e.value(), Some(e.parameter.as_str()));
        }
        for w in &errors.warnings {
            report.extend([w.diagnostic.clone()], &w.value, Some(w.parameter.as_str()));
        }
        self.report(&report);
        if body {
            self.stdout(&format!("{}\n", ErrorBody::new(errors, params).to_json()));
        }
        ExitCode::from(1)
    }
}

/// One JSON array holding one diagnostic that is not about a query's text
/// (keys in SPEC §7's order; no span, line or column).
fn plain_json(code: Code, message: &str) -> String {
    #[derive(serde::Serialize)]
    struct Plain<'a> {
        severity: Severity,
        code: Code,
        message: &'a str,
        span: Option<()>,
        line: Option<()>,
        column: Option<()>,
        hint: Option<()>,
    }
    let plain = [Plain {
        severity: Severity::Error,
        code,
        message,
        span: None,
        line: None,
        column: None,
        hint: None,
    }];
    // Strings and nulls always serialise.
    serde_json::to_string(&plain).unwrap_or_default()
}

/// `ExitCode` has no `and`: a failure of either step is the result.
trait AndThen {
    fn and(self, next: ExitCode) -> ExitCode;
}

impl AndThen for ExitCode {
    fn and(self, next: ExitCode) -> ExitCode {
        if self == ExitCode::SUCCESS {
            next
        } else {
            self
        }
    }
}
