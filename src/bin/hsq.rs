//! `hsq`: the command-line face of `helpscout_query` (SPEC §7).
//!
//! This file parses arguments and prints; every decision about a query is the
//! library's. It must never grow query logic of its own.
//!
//! Exit status: 0 success (warnings allowed), 1 an invalid query (or a query
//! that could not be read), 2 a usage error.
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use helpscout_query::customers::error_body::ErrorBody;
use helpscout_query::customers::{
    ListCustomers, RequestErrors, RequestWarning, data, response, stream,
};
use helpscout_query::syntax::diagnostic::diagnostics_to_json;
use helpscout_query::syntax::print::tree;
use helpscout_query::{Diagnostic, ParseOptions, Severity, parse, parse_lenient, schema, validate};
use serde_json::value::RawValue;

/// `hsq db`, `hsq sql` and `hsq customers --db` (PostgreSQL).
#[path = "hsq/db.rs"]
mod db;

/// The most diagnostics one run writes (the first ones found).
const MAX_REPORTED: usize = 100;

/// The built-in sample: 500 customers made by `examples/sample_customers.rs`.
const SAMPLE: &str = include_str!("../../data/customers.json");

const SHORT_USAGE: &str = "\
Usage: hsq [--format human|json] <fmt|check|explain|customers|url|db|sql> [OPTIONS] [INPUT]
Run 'hsq --help' for the commands and their options.";

const USAGE: &str = "\
Usage: hsq [--format human|json] <COMMAND> [OPTIONS] [QUERY]

Commands:
  fmt [--fix] [QUERY]        print the canonical form of QUERY
                             (--fix: repair it with the lenient parser)
  check [--schema customers|conversations] [--deny-warnings] [QUERY]
                             validate QUERY; print its errors and warnings
  explain [--json] [QUERY]   print the syntax tree of QUERY (or its JSON)
  customers [--data PATH] [--now TIMESTAMP] [--threads N] [PARAMS]
                             answer GET /v2/customers?PARAMS over local data
                             (default: the built-in sample of 500 customers)
                             as Help Scout's HAL+JSON; an NDJSON file is
                             streamed with N threads (default: every core)
  url [--base URL] [PARAMS]  print the canonical request URL for PARAMS
  customers --db URL [PARAMS]
                             the same answer from PostgreSQL
  db init --db URL           create the tables and indexes (idempotent)
  db load --db URL [--upsert] FILE
                             load customers (array, HAL page or NDJSON)
  sql [--now TIMESTAMP] [PARAMS]
                             the SQL statement and its bind parameters
                             (HSQ_DATABASE_URL may stand for --db; see
                             'hsq db --help')

Options:
  --format human|json        how diagnostics are printed on stderr
                             (json: one array of objects); default human
  -h, --help                 print this help

PARAMS is the request's URL query string, as it would be sent:
  hsq customers 'query=(firstName:\"John\")&sortField=firstName&sortOrder=asc'

A QUERY that is '-' or left out, and PARAMS that is '-', are read from stdin
(one trailing newline is dropped). A QUERY that starts with '-' goes after '--':
  hsq fmt -- '-tag:spam'
check's --schema defaults to customers. --now is a timestamp such as
2024-01-01T00:00:00Z (default: the current time). customers and url spans in
diagnostics are relative to the parameter's decoded value. At most 100
diagnostics are written (the first found).

Exit status: 0 success (warnings allowed), 1 invalid query, request or data
file, 2 usage error.
";

/// How diagnostics are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// rustc-style: the message, the line, carets, the hint.
    Human,
    /// One JSON array of objects (SPEC §7).
    Json,
}

/// The endpoint whose fields `hsq check --schema` validates against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SchemaName {
    Customers,
    Conversations,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Command {
    Fmt {
        fix: bool,
    },
    Check {
        schema: Option<SchemaName>,
        deny_warnings: bool,
    },
    Explain {
        json: bool,
    },
    Customers {
        data: Option<PathBuf>,
        now: Option<jiff::Timestamp>,
        threads: Option<usize>,
        db: Option<String>,
    },
    Url {
        base: Option<String>,
    },
}

/// What the command line asked for.
#[derive(Debug)]
enum Invocation {
    Help,
    Run {
        format: Format,
        command: Command,
        /// `None` (or `-`) reads stdin.
        query: Option<OsString>,
    },
}

fn main() -> ExitCode {
    if let Some(status) = db::dispatch() {
        return status;
    }
    let invocation = match parse_args(lexopt::Parser::from_env()) {
        Ok(invocation) => invocation,
        Err(error) => return usage_error(&error),
    };
    match invocation {
        Invocation::Help => write_stdout(USAGE),
        Invocation::Run {
            format,
            command,
            query,
        } => match read_query(query) {
            Ok(source) => run(command, format, &source),
            Err(message) => {
                eprintln!("hsq: error: {message}");
                ExitCode::from(1)
            }
        },
    }
}

/// The subcommand names, as typed, before their flags are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Fmt,
    Check,
    Explain,
    Customers,
    Url,
}

fn parse_args(mut parser: lexopt::Parser) -> Result<Invocation, lexopt::Error> {
    use lexopt::prelude::*;

    let mut format = Format::Human;
    let mut name = None;
    let mut fix = false;
    let mut schema = None;
    let mut deny_warnings = false;
    let mut json = false;
    let mut data = None;
    let mut now = None;
    let mut threads = None;
    let mut db = None;
    let mut base = None;
    let mut query = None;

    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Invocation::Help),
            Long("format") => format = parse_format(&parser.value()?.string()?)?,
            Value(value) if name.is_none() => name = Some(parse_name(&value.string()?)?),
            Long("fix") if name == Some(Name::Fmt) => fix = true,
            Long("schema") if name == Some(Name::Check) => {
                schema = Some(parse_schema(&parser.value()?.string()?)?);
            }
            Long("deny-warnings") if name == Some(Name::Check) => deny_warnings = true,
            Long("json") if name == Some(Name::Explain) => json = true,
            Long("data") if name == Some(Name::Customers) => {
                data = Some(PathBuf::from(parser.value()?));
            }
            Long("now") if name == Some(Name::Customers) => {
                let value = parser.value()?.string()?;
                now = Some(value.parse::<jiff::Timestamp>().map_err(|e| {
                    format!("invalid --now '{value}': expected a timestamp such as 2024-01-01T00:00:00Z ({e})")
                })?);
            }
            Long("base") if name == Some(Name::Url) => base = Some(parser.value()?.string()?),
            Long("db") if name == Some(Name::Customers) => db = Some(parser.value()?.string()?),
            Long("threads") if name == Some(Name::Customers) => {
                let value = parser.value()?.string()?;
                threads = Some(value.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(
                    || {
                        format!(
                            "invalid --threads '{value}': expected a whole number of at least 1"
                        )
                    },
                )?);
            }
            Value(value) if query.is_none() => query = Some(value),
            Short(_) if name.is_some() && query.is_none() => {
                let error = arg.unexpected();
                return Err(format!(
                    "{error} (a query that starts with '-' goes after '--': hsq fmt -- '-tag:x')"
                )
                .into());
            }
            Value(_) if query.is_some() => {
                let error = arg.unexpected();
                return Err(format!("{error} (quote the whole query as one argument)").into());
            }
            _ => return Err(arg.unexpected()),
        }
    }

    if db.is_some() && data.is_some() {
        return Err("--db and --data name two data sources: give one".into());
    }
    let command = match name {
        None => return Err("missing command: fmt, check, explain, customers or url".into()),
        Some(Name::Fmt) => Command::Fmt { fix },
        Some(Name::Check) => Command::Check {
            schema,
            deny_warnings,
        },
        Some(Name::Explain) => Command::Explain { json },
        // PARAMS left out is an empty query string, not stdin.
        Some(Name::Customers | Name::Url) if query.is_none() => {
            let command = match name {
                Some(Name::Url) => Command::Url { base },
                _ => Command::Customers {
                    data,
                    now,
                    threads,
                    db,
                },
            };
            return Ok(Invocation::Run {
                format,
                command,
                query: Some(OsString::new()),
            });
        }
        Some(Name::Customers) => Command::Customers {
            data,
            now,
            threads,
            db,
        },
        Some(Name::Url) => Command::Url { base },
    };
    Ok(Invocation::Run {
        format,
        command,
        query,
    })
}

fn parse_name(name: &str) -> Result<Name, lexopt::Error> {
    match name {
        "fmt" => Ok(Name::Fmt),
        "check" => Ok(Name::Check),
        "explain" => Ok(Name::Explain),
        "customers" => Ok(Name::Customers),
        "url" => Ok(Name::Url),
        other => Err(format!(
            "unknown command '{other}': expected fmt, check, explain, customers or url"
        )
        .into()),
    }
}

fn parse_format(value: &str) -> Result<Format, lexopt::Error> {
    match value {
        "human" => Ok(Format::Human),
        "json" => Ok(Format::Json),
        other => Err(format!("invalid --format '{other}': expected human or json").into()),
    }
}

fn parse_schema(value: &str) -> Result<SchemaName, lexopt::Error> {
    match value {
        "customers" => Ok(SchemaName::Customers),
        "conversations" => Ok(SchemaName::Conversations),
        other => {
            Err(format!("invalid --schema '{other}': expected customers or conversations").into())
        }
    }
}

fn usage_error(error: &lexopt::Error) -> ExitCode {
    eprintln!("hsq: error: {error}\n\n{SHORT_USAGE}");
    ExitCode::from(2)
}

/// The query text: the argument, or stdin when it is `-` or left out, minus
/// one trailing line ending.
fn read_query(query: Option<OsString>) -> Result<String, String> {
    match query {
        Some(arg) if arg != "-" => arg
            .into_string()
            .map_err(|_| "the query is not valid UTF-8".to_owned()),
        _ => {
            let mut bytes = Vec::new();
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read the query from stdin: {e}"))?;
            let mut text = String::from_utf8(bytes)
                .map_err(|_| "the query read from stdin is not valid UTF-8".to_owned())?;
            if text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            Ok(text)
        }
    }
}

fn run(command: Command, format: Format, source: &str) -> ExitCode {
    match command {
        Command::Fmt { fix: false } => match parse(source) {
            Ok(parsed) => {
                report(&warnings(&parsed.warnings), format, source);
                write_stdout(&format!("{}\n", parsed.query))
            }
            Err(errors) => {
                report(&errors.diagnostics(), format, source);
                ExitCode::from(1)
            }
        },
        Command::Fmt { fix: true } => {
            let lenient = parse_lenient(source);
            report(&lenient.diagnostics(), format, source);
            match lenient.query {
                Some(query) => write_stdout(&format!("{query}\n")),
                None => ExitCode::from(1),
            }
        }
        Command::Check {
            schema,
            deny_warnings,
        } => {
            let diagnostics = check(source, schema);
            report(&diagnostics, format, source);
            let rejected = diagnostics.iter().any(|d| match d.severity {
                Severity::Error => true,
                Severity::Warning => deny_warnings,
            });
            if rejected {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Customers {
            data,
            now,
            threads,
            db,
        } => customers(source, data.as_ref(), now, threads, db.as_deref(), format),
        Command::Url { base } => url(source, base.as_deref(), format),
        Command::Explain { json } => match parse(source) {
            Ok(parsed) => {
                report(&warnings(&parsed.warnings), format, source);
                if !json {
                    return write_stdout(&tree(&parsed.query));
                }
                match serde_json::to_string_pretty(&parsed.query) {
                    Ok(text) => write_stdout(&format!("{text}\n")),
                    Err(e) => {
                        eprintln!("hsq: error: cannot write the tree as JSON: {e}");
                        ExitCode::from(1)
                    }
                }
            }
            Err(errors) => {
                report(&errors.diagnostics(), format, source);
                ExitCode::from(1)
            }
        },
    }
}

/// Every diagnostic `hsq check` reports for `source`: syntax, then the
/// schema (customers unless told otherwise), errors first.
fn check(source: &str, schema: Option<SchemaName>) -> Vec<Diagnostic> {
    let schema = match schema.unwrap_or(SchemaName::Customers) {
        SchemaName::Customers => schema::customers(),
        SchemaName::Conversations => schema::conversations(),
    };
    validate(source, schema, &ParseOptions::default()).diagnostics
}

/// `hsq customers`: the HAL+JSON answer on stdout; for an invalid request,
/// Help Scout's error body on stdout and the diagnostics on stderr.
fn customers(
    params: &str,
    data: Option<&PathBuf>,
    now: Option<jiff::Timestamp>,
    threads: Option<usize>,
    database: Option<&str>,
    format: Format,
) -> ExitCode {
    let parsed = match ListCustomers::from_query_string(params) {
        Ok(parsed) => parsed,
        Err(errors) => return invalid_request(&errors, params, format, true),
    };
    report_request(&warning_items(&parsed.warnings), format);
    let now = now.unwrap_or_else(jiff::Timestamp::now);
    if let Some(url) = db::url_for_customers(database, data.is_some()) {
        return db::customers(&url, &parsed.request, params, now, format);
    }
    if let Some(path) = data.filter(|p| stream::is_ndjson_file(p).unwrap_or(false)) {
        let mut options = stream::StreamOptions::default();
        options.threads = threads.unwrap_or(options.threads);
        return match stream::list_ndjson_file(path, &parsed.request, now, options) {
            Ok(page) => {
                let records: Vec<&RawValue> = page.records.iter().map(AsRef::as_ref).collect();
                let hal = response::hal_json(
                    &records,
                    page.total_elements,
                    page.number,
                    &parsed.request,
                    None,
                );
                write_stdout(&format!("{hal}\n"))
            }
            Err(stream::StreamError::Request(errors)) => {
                invalid_request(&errors, params, format, true)
            }
            Err(e) => {
                eprintln!("hsq: error: {}: {e}", path.display());
                ExitCode::from(1)
            }
        };
    }
    let text = match data {
        None => SAMPLE.to_owned(),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("hsq: error: cannot read {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
    };
    let records = match data::load(&text) {
        Ok((records, _)) => records,
        Err(e) => {
            let name =
                data.map_or_else(|| "the sample data".to_owned(), |p| p.display().to_string());
            eprintln!("hsq: error: {name}: {e}");
            return ExitCode::from(1);
        }
    };
    match response::list(&parsed.request, &records, now) {
        Ok(page) => write_stdout(&format!("{}\n", page.to_hal_json(&parsed.request, None))),
        Err(errors) => invalid_request(&errors, params, format, true),
    }
}

/// `hsq url`: the canonical URL on stdout.
fn url(params: &str, base: Option<&str>, format: Format) -> ExitCode {
    match ListCustomers::from_query_string(params) {
        Ok(parsed) => {
            report_request(&warning_items(&parsed.warnings), format);
            write_stdout(&format!("{}\n", parsed.request.to_url(base)))
        }
        Err(errors) => invalid_request(&errors, params, format, false),
    }
}

fn warning_items(warnings: &[RequestWarning]) -> Vec<(&str, Diagnostic, String)> {
    warnings
        .iter()
        .map(|w| (w.parameter, w.diagnostic.clone(), w.source.clone()))
        .collect()
}

fn invalid_request(errors: &RequestErrors, params: &str, format: Format, body: bool) -> ExitCode {
    let mut items: Vec<(&str, Diagnostic, String)> = errors
        .errors
        .iter()
        .map(|e| (e.parameter.as_str(), e.diagnostic(), e.source().to_owned()))
        .collect();
    items.extend(warning_items(&errors.warnings));
    report_request(&items, format);
    if body {
        let _ = write_stdout(&format!("{}\n", ErrorBody::new(errors, params).to_json()));
    }
    ExitCode::from(1)
}

/// Writes request diagnostics to stderr, each naming its parameter; spans
/// are relative to that parameter's decoded value.
fn report_request(items: &[(&str, Diagnostic, String)], format: Format) {
    let text = match format {
        Format::Human => items
            .iter()
            .map(|(parameter, d, source)| {
                if source.is_empty() {
                    let severity = if d.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
                    format!("{severity}[{}]: {}\n", d.code, d.message)
                } else {
                    format!("in parameter '{parameter}':\n{}", d.render(source))
                }
            })
            .collect::<String>(),
        Format::Json => {
            /// A diagnostic of SPEC §7, then the parameter it is about.
            #[derive(serde::Serialize)]
            struct WithParameter<'a> {
                #[serde(flatten)]
                diagnostic: helpscout_query::syntax::diagnostic::JsonDiagnostic<'a>,
                parameter: &'a str,
            }
            let values: Vec<WithParameter<'_>> = items
                .iter()
                .map(|(parameter, d, source)| WithParameter {
                    diagnostic: d.to_json(source),
                    parameter,
                })
                .collect();
            // Plain structs of strings and numbers always serialise.
            format!("{}\n", serde_json::to_string(&values).unwrap_or_default())
        }
    };
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

fn warnings(warnings: &[helpscout_query::Warning]) -> Vec<Diagnostic> {
    warnings.iter().map(Diagnostic::from).collect()
}

/// Writes diagnostics to stderr. In JSON the array is always written, empty
/// or not, so that stderr always parses.
///
/// At most [`MAX_REPORTED`] are written: a hostile input can hold hundreds of
/// thousands of errors, and each rendering reads its line of the input.
fn report(diagnostics: &[Diagnostic], format: Format, source: &str) {
    let shown = &diagnostics[..diagnostics.len().min(MAX_REPORTED)];
    let text = match format {
        Format::Human => {
            let mut text: String = shown.iter().map(|d| d.render(source)).collect();
            if diagnostics.len() > shown.len() {
                text.push_str(&format!(
                    "... and {} more diagnostics not shown\n",
                    diagnostics.len() - shown.len()
                ));
            }
            text
        }
        Format::Json => format!("{}\n", diagnostics_to_json(shown, source)),
    };
    // A closed stderr leaves nowhere to report anything, the exit status remains.
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Writes the command's result to stdout. A reader that went away early
/// (`hsq explain | head -1`) is not a failure; any other write error is.
fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hsq: error: cannot write to stdout: {e}");
            ExitCode::from(1)
        }
    }
}
