//! The CLI's jobs, done with the library exactly as `src/bin/hsq.rs` does
//! them, each answered as one JSON envelope for the JavaScript wrapper
//! (`js/index.js`).
//!
//! This is the ONE place that knows which library calls make each job. When
//! the library grows an entry point for a job (such as `customers::answer`),
//! re-point the job here; nothing else in `wasm/` or `js/` changes.
//!
//! Every envelope is an object with `ok` (a boolean). `ok: false` carries
//! either `diagnostics` (the query or request is invalid; for a request also
//! Help Scout's error `body`) or `message` (anything else: bad data, a bad
//! option). Diagnostics carry their span both in UTF-16 code units (`span`,
//! as JavaScript strings count) and in bytes (`bytes`, as the CLI reports).
//! This module never panics on any input and never reads the system clock.
#![forbid(unsafe_code)]

use helpscout_query::customers::{
    AnswerError, Customer, ErrorBody, ListCustomers, ParsedRequest, RequestErrors, RequestWarning,
    Source, answer, load,
};
use helpscout_query::syntax::print::tree;
use helpscout_query::{Diagnostic, ParseOptions, Query, Severity, parse, parse_lenient, schema};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::position::positions;

/// A span, as two offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// Where it starts.
    pub start: usize,
    /// Where it ends (exclusive).
    pub end: usize,
}

/// A diagnostic as JavaScript receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsDiagnostic<'a> {
    /// `"error"` or `"warning"`.
    pub severity: Severity,
    /// The stable code (grammar.md).
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// What to do about it, or `null`.
    pub hint: Option<&'a str>,
    /// The span in UTF-16 code units: `text.slice(span.start, span.end)`.
    pub span: Range,
    /// The span in bytes of UTF-8, as the CLI's `--format json`.
    pub bytes: Range,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters, as the CLI's.
    pub column: usize,
    /// For a request: the parameter whose decoded value the span points into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<&'a str>,
}

/// The JavaScript form of `diagnostics`, all about `source`: one pass over it.
pub fn of_query<'a>(diagnostics: &'a [Diagnostic], source: &str) -> Vec<JsDiagnostic<'a>> {
    let offsets: Vec<usize> = diagnostics
        .iter()
        .flat_map(|d| [d.span.start, d.span.end.max(d.span.start)])
        .collect();
    let found = positions(source, &offsets);
    diagnostics
        .iter()
        .zip(found.chunks_exact(2))
        .map(|(d, pair)| {
            let (start, end) = (pair[0], pair[1]);
            JsDiagnostic {
                severity: d.severity,
                code: d.code.as_str(),
                message: &d.message,
                hint: d.hint.as_deref(),
                span: Range {
                    start: start.utf16,
                    end: end.utf16,
                },
                bytes: Range {
                    start: start.byte,
                    end: end.byte,
                },
                line: start.line,
                column: start.column,
                parameter: None,
            }
        })
        .collect()
}

/// A request diagnostic: the parameter, the diagnostic, and the parameter's
/// decoded value its span points into.
pub type RequestItem<'a> = (&'a str, Diagnostic, String);

/// The JavaScript form of request diagnostics, each naming its parameter.
pub fn of_request<'a>(items: &'a [RequestItem<'a>]) -> Vec<JsDiagnostic<'a>> {
    items
        .iter()
        .flat_map(|(parameter, diagnostic, source)| {
            of_query(std::slice::from_ref(diagnostic), source)
                .into_iter()
                .map(|d| JsDiagnostic {
                    parameter: Some(parameter),
                    ..d
                })
        })
        .collect()
}

/// The request warnings as items, as the CLI reports them.
fn warning_items(warnings: &[RequestWarning]) -> Vec<RequestItem<'_>> {
    warnings
        .iter()
        .map(|w| {
            (
                w.parameter.as_str(),
                w.diagnostic.clone(),
                w.value.to_string(),
            )
        })
        .collect()
}

/// The errors then the warnings of an invalid request, as the CLI reports them.
fn error_items(errors: &RequestErrors) -> Vec<RequestItem<'_>> {
    let mut items: Vec<RequestItem<'_>> = errors
        .errors
        .iter()
        .map(|e| (e.parameter.as_str(), e.diagnostic(), e.value().to_owned()))
        .collect();
    items.extend(warning_items(&errors.warnings));
    items
}

/// Serialises an envelope. Envelopes hold strings, numbers and raw JSON
/// only, so this cannot fail; if it ever did, the wrapper still gets JSON.
fn envelope(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| {
        r#"{"ok":false,"message":"internal error: cannot serialise the answer"}"#.to_owned()
    })
}

/// `{"ok": false, "message": …}`.
fn failure(message: &str) -> String {
    #[derive(Serialize)]
    struct Failure<'a> {
        ok: bool,
        message: &'a str,
    }
    envelope(&Failure { ok: false, message })
}

#[derive(Serialize)]
struct Diagnosed<'a, T: Serialize> {
    ok: bool,
    #[serde(flatten)]
    value: T,
    diagnostics: Vec<JsDiagnostic<'a>>,
}

fn warnings(parsed_warnings: &[helpscout_query::Warning]) -> Vec<Diagnostic> {
    parsed_warnings.iter().map(Diagnostic::from).collect()
}

/// `hsq fmt`: `{ok: true, canonical, diagnostics: warnings}` or
/// `{ok: false, diagnostics: errors then warnings}`.
pub fn format(query: &str) -> String {
    #[derive(Serialize)]
    struct Canonical {
        #[serde(skip_serializing_if = "Option::is_none")]
        canonical: Option<String>,
    }
    match parse(query) {
        Ok(parsed) => {
            let diagnostics = warnings(&parsed.warnings);
            envelope(&Diagnosed {
                ok: true,
                value: Canonical {
                    canonical: Some(parsed.query.to_string()),
                },
                diagnostics: of_query(&diagnostics, query),
            })
        }
        Err(errors) => {
            let diagnostics = errors.diagnostics();
            envelope(&Diagnosed {
                ok: false,
                value: Canonical { canonical: None },
                diagnostics: of_query(&diagnostics, query),
            })
        }
    }
}

/// `hsq check --schema NAME`: `{ok: true, diagnostics}` (syntax, then the
/// schema, errors first), or `{ok: false, message}` for an unknown schema.
pub fn check(query: &str, schema_name: &str) -> String {
    let schema = match schema_name {
        "customers" => schema::customers(),
        "conversations" => schema::conversations(),
        other => {
            return failure(&format!(
                "unknown schema '{other}': expected customers or conversations"
            ));
        }
    };
    let diagnostics =
        helpscout_query::validate(query, schema, &ParseOptions::default()).diagnostics;
    envelope(&Diagnosed {
        ok: true,
        value: serde_json::Map::new(),
        diagnostics: of_query(&diagnostics, query),
    })
}

/// `hsq fmt --fix`: `{ok: true, query: canonical or null, repairs, warnings}`.
/// `query` is null when nothing searchable is left (the CLI exits 1 then).
pub fn fix(query: &str) -> String {
    #[derive(Serialize)]
    struct Fixed<'a> {
        ok: bool,
        query: Option<String>,
        repairs: Vec<JsDiagnostic<'a>>,
        warnings: Vec<JsDiagnostic<'a>>,
    }
    let lenient = parse_lenient(query);
    let repairs: Vec<Diagnostic> = lenient.errors.iter().map(Diagnostic::from).collect();
    let found = warnings(&lenient.warnings);
    envelope(&Fixed {
        ok: true,
        query: lenient.query.as_ref().map(ToString::to_string),
        repairs: of_query(&repairs, query),
        warnings: of_query(&found, query),
    })
}

/// `hsq explain --json` (`text: false`: `{ok, tree}`, the tree exactly as
/// the CLI prints it) or `hsq explain` (`text: true`: `{ok, text}`).
pub fn explain(query: &str, text: bool) -> String {
    #[derive(Serialize)]
    struct Explained<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        tree: Option<&'a Query>,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    }
    match parse(query) {
        Ok(parsed) => {
            let diagnostics = warnings(&parsed.warnings);
            let value = if text {
                Explained {
                    tree: None,
                    text: Some(tree(&parsed.query)),
                }
            } else {
                Explained {
                    tree: Some(&parsed.query),
                    text: None,
                }
            };
            envelope(&Diagnosed {
                ok: true,
                value,
                diagnostics: of_query(&diagnostics, query),
            })
        }
        Err(errors) => {
            let diagnostics = errors.diagnostics();
            envelope(&Diagnosed {
                ok: false,
                value: serde_json::Map::new(),
                diagnostics: of_query(&diagnostics, query),
            })
        }
    }
}

/// An invalid request: `{ok: false, diagnostics, body}` (Help Scout's error body).
fn invalid_request(errors: &RequestErrors, params: &str) -> String {
    #[derive(Serialize)]
    struct Body {
        body: ErrorBody,
    }
    let items = error_items(errors);
    envelope(&Diagnosed {
        ok: false,
        value: Body {
            body: ErrorBody::new(errors, params),
        },
        diagnostics: of_request(&items),
    })
}

/// `hsq url --base BASE PARAMS`: `{ok: true, url, diagnostics: warnings}`.
pub fn url(params: &str, base: Option<&str>) -> String {
    #[derive(Serialize)]
    struct Url {
        url: String,
    }
    match ListCustomers::from_query_string(params) {
        Ok(parsed) => {
            let items = warning_items(&parsed.warnings);
            envelope(&Diagnosed {
                ok: true,
                value: Url {
                    url: parsed.request.to_url(base),
                },
                diagnostics: of_request(&items),
            })
        }
        Err(errors) => invalid_request(&errors, params),
    }
}

/// Customer records loaded once, to answer many requests.
pub struct Dataset {
    customers: Vec<Customer>,
}

impl Dataset {
    /// Loads a JSON array, a HAL page or NDJSON, as `hsq customers --data`.
    pub fn load(text: &str) -> Result<Dataset, String> {
        load(text)
            .map(|(customers, _format)| Dataset { customers })
            .map_err(|e| format!("invalid customer data: {e}"))
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// `hsq customers --now NOW PARAMS` over these records:
    /// `{ok: true, page: HAL, diagnostics: warnings}`, or an invalid request.
    /// `now_ms` is milliseconds since the Unix epoch (`Date.now()`).
    pub fn answer(&self, params: &str, now_ms: f64) -> String {
        let now = match clock(now_ms) {
            Ok(now) => now,
            Err(message) => return failure(&message),
        };
        match ListCustomers::from_query_string(params) {
            Ok(parsed) => self.answer_parsed(&parsed, params, now),
            Err(errors) => invalid_request(&errors, params),
        }
    }

    fn answer_parsed(&self, parsed: &ParsedRequest, params: &str, now: jiff::Timestamp) -> String {
        #[derive(Serialize)]
        struct Answer {
            page: Box<RawValue>,
        }
        match answer(&parsed.request, &Source::Records(&self.customers), now) {
            Ok(page) => {
                let hal = page.to_hal_json(&parsed.request, None);
                let page = match RawValue::from_string(hal) {
                    Ok(page) => page,
                    Err(e) => return failure(&format!("internal error: {e}")),
                };
                let items = warning_items(&parsed.warnings);
                envelope(&Diagnosed {
                    ok: true,
                    value: Answer { page },
                    diagnostics: of_request(&items),
                })
            }
            Err(AnswerError::Request(errors)) => invalid_request(&errors, params),
            Err(other) => failure(&other.to_string()),
        }
    }
}

/// `hsq customers`: the clock, then the request, then the data, checked in
/// the CLI's order.
pub fn customers(params: &str, records: &str, now_ms: f64) -> String {
    let now = match clock(now_ms) {
        Ok(now) => now,
        Err(message) => return failure(&message),
    };
    let parsed = match ListCustomers::from_query_string(params) {
        Ok(parsed) => parsed,
        Err(errors) => return invalid_request(&errors, params),
    };
    match Dataset::load(records) {
        Ok(dataset) => dataset.answer_parsed(&parsed, params, now),
        Err(message) => failure(&message),
    }
}

/// The clock for `NOW`, from JavaScript milliseconds.
fn clock(now_ms: f64) -> Result<jiff::Timestamp, String> {
    if !now_ms.is_finite() || now_ms.fract() != 0.0 {
        return Err(format!(
            "invalid now: {now_ms} is not a whole number of milliseconds since 1970"
        ));
    }
    // A finite whole f64 converts exactly when in range; beyond, it saturates
    // and jiff rejects it.
    #[allow(clippy::cast_possible_truncation)]
    let ms = now_ms as i64;
    jiff::Timestamp::from_millisecond(ms).map_err(|e| format!("invalid now: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parsed(envelope: &str) -> Value {
        serde_json::from_str(envelope).unwrap()
    }

    #[test]
    fn diagnostics_agree_with_the_cli_json_in_bytes_lines_and_columns() {
        let queries = [
            "firstName=\"John\"",
            "firstName:\"Zoë\" lastName=Ünal",
            "a\nzoë:(x\n😀 y AND",
            "名前:x OR (",
        ];
        for query in queries {
            let diagnostics =
                helpscout_query::validate(query, schema::customers(), &ParseOptions::default())
                    .diagnostics;
            for (js, d) in of_query(&diagnostics, query).iter().zip(&diagnostics) {
                let cli = d.to_json(query);
                assert_eq!(
                    (js.bytes.start, js.bytes.end, js.line, js.column),
                    (cli.span.start, cli.span.end, cli.line, cli.column),
                    "{query:?}: {}",
                    d.code
                );
                let units = |end: usize| query[..end].encode_utf16().count();
                assert_eq!(
                    js.span,
                    Range {
                        start: units(js.bytes.start),
                        end: units(js.bytes.end)
                    }
                );
            }
        }
    }

    #[test]
    fn envelopes() {
        assert_eq!(
            parsed(&format("tag:x tag:y"))["canonical"],
            json!("(tag:x AND tag:y)")
        );
        let failed = parsed(&format("mailbox=85"));
        assert_eq!(failed["ok"], json!(false));
        assert_eq!(failed["diagnostics"][0]["code"], json!("equals-for-colon"));
        assert_eq!(parsed(&check("x", "tickets"))["ok"], json!(false));
        assert_eq!(parsed(&fix(")"))["query"], Value::Null);
        let request = parsed(&url("page=0", None));
        assert_eq!(
            request["body"]["_embedded"]["errors"][0]["path"],
            json!("page")
        );
        assert_eq!(request["diagnostics"][0]["parameter"], json!("page"));
    }

    #[test]
    fn the_clock_is_whole_milliseconds() {
        for bad in [f64::NAN, f64::INFINITY, 1.5, 1e30] {
            let answer = parsed(&customers("", "[]", bad));
            assert_eq!(answer["ok"], json!(false), "{bad}");
            assert!(
                answer["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("invalid now")
            );
        }
        let answer = parsed(&customers("", "[]", 1_700_000_000_000.0));
        assert_eq!(answer["page"]["page"]["totalElements"], json!(0));
    }

    #[test]
    fn bad_data_is_a_message() {
        let answer = parsed(&customers("", "[{\"id\": \"x\"}]", 0.0));
        assert_eq!(answer["ok"], json!(false));
        assert!(answer["message"].as_str().unwrap().contains("`id`"));
    }
}
