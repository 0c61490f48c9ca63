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
use std::process::ExitCode;

use helpscout_query::syntax::diagnostic::diagnostics_to_json;
use helpscout_query::syntax::print::tree;
use helpscout_query::{Diagnostic, Severity, parse, parse_lenient};

const SHORT_USAGE: &str = "\
Usage: hsq [--format human|json] <fmt|check|explain> [OPTIONS] [QUERY]
Run 'hsq --help' for the commands and their options.";

const USAGE: &str = "\
Usage: hsq [--format human|json] <COMMAND> [OPTIONS] [QUERY]

Commands:
  fmt [--fix] [QUERY]        print the canonical form of QUERY
                             (--fix: repair it with the lenient parser)
  check [--schema customers|conversations] [--deny-warnings] [QUERY]
                             validate QUERY; print its errors and warnings
  explain [--json] [QUERY]   print the syntax tree of QUERY (or its JSON)

Options:
  --format human|json        how diagnostics are printed on stderr
                             (json: one array of objects); default human
  -h, --help                 print this help

A QUERY that is '-' or left out is read from stdin (one trailing newline
is dropped). A QUERY that starts with '-' goes after '--':
  hsq fmt -- '-tag:spam'

Exit status: 0 success (warnings allowed), 1 invalid query, 2 usage error.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

fn parse_args(mut parser: lexopt::Parser) -> Result<Invocation, lexopt::Error> {
    use lexopt::prelude::*;

    let mut format = Format::Human;
    let mut name = None;
    let mut fix = false;
    let mut schema = None;
    let mut deny_warnings = false;
    let mut json = false;
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

    let command = match name {
        None => return Err("missing command: fmt, check or explain".into()),
        Some(Name::Fmt) => Command::Fmt { fix },
        Some(Name::Check) => Command::Check {
            schema,
            deny_warnings,
        },
        Some(Name::Explain) => Command::Explain { json },
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
        "customers" | "url" => Err(format!("'{name}' is not implemented yet").into()),
        other => Err(format!("unknown command '{other}': expected fmt, check or explain").into()),
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

/// Every diagnostic `hsq check` reports for `source`, errors first.
///
/// SCHEMA RESOLUTION PLUGS IN HERE, and only here: with a schema, the query
/// is also resolved against that endpoint's fields (unknown fields are
/// errors with a suggestion, undocumented ones warnings), which the library
/// will do in one call. Until the schema module lands, `--schema` is
/// validated on the command line but the check is the syntax alone.
fn check(source: &str, schema: Option<SchemaName>) -> Vec<Diagnostic> {
    let _ = schema;
    match parse(source) {
        Ok(parsed) => warnings(&parsed.warnings),
        Err(errors) => errors.diagnostics(),
    }
}

fn warnings(warnings: &[helpscout_query::Warning]) -> Vec<Diagnostic> {
    warnings.iter().map(Diagnostic::from).collect()
}

/// Writes diagnostics to stderr. In JSON the array is always written, empty
/// or not, so that stderr always parses.
fn report(diagnostics: &[Diagnostic], format: Format, source: &str) {
    let text = match format {
        Format::Human => diagnostics.iter().map(|d| d.render(source)).collect(),
        Format::Json => format!("{}\n", diagnostics_to_json(diagnostics, source)),
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
