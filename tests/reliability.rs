//! Regression tests for issue 9 ("bounded memory on every path, no
//! panics"), data and request side: each class of defect (items 1, 5, 6, 7,
//! 8 and 13) with several shapes, through the library and through the
//! built `hsq` binary.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use helpscout_query::customers::{
    self, AnswerError, DataError, ErrorBody, ListCustomers, Source, StreamOptions, error_body,
};

// ---------------------------------------------------------------- helpers

/// What one run of `hsq` produced.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hsq args…` with `stdin` written to it from a thread (so that a
/// large input never blocks a process that stops reading early).
fn hsq_with_stdin(args: &[&str], stdin: Vec<u8>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsq"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hsq starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // hsq may exit before reading it all: a broken pipe is expected.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("hsq runs");
    writer.join().expect("the writer thread");
    Run {
        code: output
            .status
            .code()
            .expect("hsq exits normally, not by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn hsq(args: &[&str]) -> Run {
    hsq_with_stdin(args, Vec::new())
}

/// A fresh folder for this test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hsq-reliability-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Writes `content` to `dir/name`.
fn file(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("a temporary file");
    path
}

/// A sparse file of `len` bytes that starts with `head` (the rest reads as
/// zeros and takes no disk space).
fn sparse(dir: &Path, name: &str, head: &[u8], len: u64) -> PathBuf {
    let path = dir.join(name);
    let mut f = File::create(&path).expect("a temporary file");
    f.write_all(head).expect("written");
    f.set_len(len).expect("a sparse file");
    path
}

/// Every JSON document of `text`, which must hold at least one and nothing
/// else.
fn json_documents(text: &str) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("not a sequence of JSON documents ({e}): {text:?}"))
}

/// Asserts that stderr is exactly one JSON array of diagnostics, each with
/// a code, and returns it.
fn one_json_array(run: &Run) -> Vec<serde_json::Value> {
    let documents = json_documents(&run.stderr);
    assert_eq!(documents.len(), 1, "stderr: {:?}", run.stderr);
    let Some(items) = documents[0].as_array() else {
        panic!("stderr is not an array: {:?}", run.stderr)
    };
    assert!(!items.is_empty(), "an empty array for a failure");
    for item in items {
        assert!(
            item.get("code").is_some() || item.get("omitted").is_some(),
            "{item}"
        );
    }
    items.clone()
}

/// The error of an answer that must fail (without printing the page,
/// which may be large).
fn failure(result: Result<customers::Page<'_>, AnswerError>) -> AnswerError {
    match result {
        Ok(page) => panic!("answered, {} records", page.total_elements),
        Err(error) => error,
    }
}

fn data_error(error: AnswerError) -> DataError {
    match error {
        AnswerError::Data { error, .. } => error,
        other => panic!("not a data error: {other:?}"),
    }
}

fn small_limits() -> StreamOptions {
    StreamOptions {
        threads: 2,
        block_size: 4 << 10,
        max_line: 64 << 10,
        max_document: 256 << 10,
    }
}

fn answer_file(path: &Path, options: StreamOptions) -> Result<customers::Page<'_>, AnswerError> {
    customers::answer(
        &ListCustomers::new(),
        &Source::File(path, options),
        jiff::Timestamp::UNIX_EPOCH,
    )
}

const FOUR_GIB: u64 = 4 << 30;

// ------------------------------------- 1. memory and output of diagnostics

/// Every error and warning about one parameter shares one copy of its
/// value: memory is O(input), not O(diagnostics x input).
#[test]
fn diagnostics_share_one_copy_of_the_value() {
    // Different errors (repeats of one are grouped into one).
    let query = "a:) AND ( b:] AND ) c:\\";
    let encoded: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
    let errors = match ListCustomers::from_query_string(&format!("query={encoded}")) {
        Ok(_) => panic!("accepted"),
        Err(errors) => errors,
    };
    assert!(errors.errors.len() >= 2);
    let first = errors.errors[0].rejected_value.as_ref().expect("a value");
    for error in &errors.errors {
        let value = error.rejected_value.as_ref().expect("a value");
        assert!(Arc::ptr_eq(first, value), "a copy of the query per error");
    }
    let parsed = match ListCustomers::from_query_string(&format!("query={}", "+a".repeat(500))) {
        Ok(parsed) => parsed,
        Err(errors) => panic!("{errors}"),
    };
    assert!(parsed.warnings.len() >= 2);
    for warning in &parsed.warnings {
        assert!(Arc::ptr_eq(&parsed.warnings[0].value, &warning.value));
    }
}

/// The issue's shapes: 65,000 errors in the query, tens of thousands of
/// warnings, thousands of bad parameters; the output is bounded and says
/// how much was left out, for `customers` and `url`, human and JSON.
#[test]
fn cli_output_is_bounded_however_many_diagnostics() {
    // The last field: whether more than 100 diagnostics must reach the
    // cap. A query's repeated diagnostics may be grouped into one that
    // counts its places; a request's bad parameters are each their own.
    let inputs = [
        (
            "customers",
            format!("query={}", ")".repeat(65_000)),
            1,
            false,
        ),
        ("url", format!("query={}", ")".repeat(65_000)), 1, false),
        ("url", format!("query={}", "a ".repeat(32_000)), 0, false),
        (
            "customers",
            format!("query={}", "+a".repeat(20_000)),
            0,
            false,
        ),
        ("url", "x=1&".repeat(50_000), 1, true),
        ("customers", "page=%zz&".repeat(30_000), 1, true),
        ("customers", "sort=1&".repeat(30_000), 1, true),
    ];
    for (command, input, code, capped) in &inputs {
        for format in ["human", "json"] {
            let run = hsq_with_stdin(
                &["--format", format, command, "-"],
                input.clone().into_bytes(),
            );
            let what = format!("{command} {format} ({}...)", &input[..20]);
            assert_eq!(
                run.code,
                *code,
                "{what}: {}",
                &run.stderr[..run.stderr.len().min(500)]
            );
            assert!(
                run.stderr.len() < 200 << 10,
                "{what}: {} bytes on stderr",
                run.stderr.len()
            );
            // At most 8 MB of error body: 101 entries, each repeating a
            // value of at most 64 KiB (longer queries are one error).
            assert!(
                run.stdout.len() < 8 << 20,
                "{what}: {} bytes on stdout",
                run.stdout.len()
            );
            if format == "json" {
                let items = json_documents(&run.stderr);
                assert_eq!(items.len(), 1, "{what}");
                let items = items[0].as_array().expect("an array");
                // At most 100, a `more-diagnostics` note, and `{"omitted"}`.
                assert!(items.len() <= 102, "{what}: {} diagnostics", items.len());
                let omitted = items.last().and_then(|i| i.get("omitted")).is_some();
                assert!(omitted || !capped, "{what}");
            } else {
                let omitted = run.stderr.contains("more diagnostics not shown");
                assert!(omitted || !capped, "{what}");
            }
            if *command == "customers" && *code == 1 && *capped {
                let body: serde_json::Value =
                    serde_json::from_str(&run.stdout).expect("the error body is JSON");
                let entries = body["_embedded"]["errors"].as_array().expect("errors");
                assert_eq!(entries.len(), error_body::MAX_ENTRIES + 1, "{what}");
                let last = entries.last().and_then(|e| e["message"].as_str());
                assert!(
                    last.is_some_and(|m| m.contains("more errors not shown")),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn the_error_body_counts_what_it_leaves_out() {
    for n in [99, 100, 101, 102, 5_000] {
        let input = (0..n)
            .map(|i| format!("x{i}=1"))
            .collect::<Vec<_>>()
            .join("&");
        let errors = match ListCustomers::from_query_string(&input) {
            Ok(_) => panic!("accepted"),
            Err(errors) => errors,
        };
        let body = ErrorBody::new(&errors, &input);
        let entries = &body.embedded.errors;
        if n <= error_body::MAX_ENTRIES {
            assert_eq!(entries.len(), n);
            assert!(!entries.iter().any(|e| e.message.contains("not shown")));
        } else {
            assert_eq!(entries.len(), error_body::MAX_ENTRIES + 1);
            let expected = format!("{} more errors not shown", n - error_body::MAX_ENTRIES);
            assert!(
                entries[error_body::MAX_ENTRIES].message.contains(&expected),
                "{n}"
            );
        }
    }
}

// ------------------------------------------------------ 5. unbounded reads

/// A huge file is judged by its start: each shape fails fast with a clear
/// error, within the limits, without reading it whole.
#[test]
fn a_huge_sparse_file_fails_fast_within_the_limits() {
    let dir = temp_dir("sparse");
    let options = small_limits();
    // `{` and no newline: the first line is too long.
    let brace = sparse(&dir, "brace.json", b"{", FOUR_GIB);
    let error = data_error(failure(answer_file(&brace, options)));
    assert!(
        matches!(error, DataError::TooLongLine { line: 1, .. }),
        "{error}"
    );
    // `[`: a document larger than max_document.
    let bracket = sparse(&dir, "bracket.json", b"[", FOUR_GIB);
    let error = data_error(failure(answer_file(&bracket, options)));
    assert!(matches!(error, DataError::TooLarge { .. }), "{error}");
    // `[` behind a byte order mark and whitespace.
    let bom = sparse(&dir, "bom.json", b"\xEF\xBB\xBF \n [", FOUR_GIB);
    let error = data_error(failure(answer_file(&bom, options)));
    assert!(matches!(error, DataError::TooLarge { .. }), "{error}");
    // A zero byte: not customer data at all.
    let zero = sparse(&dir, "zero.json", b"", FOUR_GIB);
    let error = data_error(failure(answer_file(&zero, options)));
    assert!(
        matches!(error, DataError::UnknownFormat { offset: 0 }),
        "{error}"
    );
    // One good NDJSON line, then a line of 4 GiB: streamed, and the long
    // line is named.
    let ndjson = sparse(&dir, "ndjson.json", b"{\"id\":1}\n{", FOUR_GIB);
    let error = data_error(failure(answer_file(&ndjson, options)));
    assert!(
        matches!(error, DataError::TooLongLine { line: 2, .. }),
        "{error}"
    );
    // A pretty-printed document that never ends.
    let pretty = sparse(&dir, "pretty.json", b"{\n  \"_embedded\": {\n", FOUR_GIB);
    let error = failure(answer_file(&pretty, options));
    assert!(matches!(error, AnswerError::Data { .. }), "{error}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_ndjson_line_longer_than_the_limit_is_named() {
    let dir = temp_dir("long-line");
    let options = small_limits();
    let long = format!("{{\"id\":4,\"firstName\":\"{}\"}}\n", "x".repeat(100 << 10));
    let good = "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3}\n";
    // Line 5 (blank lines count), in a file streamed in small blocks.
    let path = file(
        &dir,
        "fifth.ndjson",
        format!("{good}{long}{{\"id\":5}}\n").as_bytes(),
    );
    let error = data_error(failure(answer_file(&path, options)));
    assert!(
        matches!(error, DataError::TooLongLine { line: 5, .. }),
        "{error}"
    );
    assert!(error.to_string().starts_with("line 5:"), "{error}");
    // The same with larger blocks than the line.
    let big_blocks = StreamOptions {
        block_size: 1 << 20,
        ..options
    };
    let error = data_error(failure(answer_file(&path, big_blocks)));
    assert!(
        matches!(
            error,
            DataError::TooLongLine { line: 5, .. } | DataError::Line { line: 5, .. }
        ),
        "{error}"
    );
    // The first line, too long to tell the format from.
    let path = file(&dir, "first.ndjson", format!("{long}{good}").as_bytes());
    let error = data_error(failure(answer_file(&path, options)));
    assert!(
        matches!(error, DataError::TooLongLine { line: 1, .. }),
        "{error}"
    );
    // The last line, with no newline at the end.
    let path = file(
        &dir,
        "last.ndjson",
        format!("{good}{}", long.trim_end()).as_bytes(),
    );
    let error = data_error(failure(answer_file(&path, options)));
    assert!(
        matches!(
            error,
            DataError::TooLongLine { line: 5, .. } | DataError::Line { line: 5, .. }
        ),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// NDJSON whose first line is broken is still streamed (an error naming
/// line 1), never read whole: the file is larger than `max_document`.
#[test]
fn ndjson_with_a_broken_first_line_is_not_read_whole() {
    let dir = temp_dir("broken-first");
    let lines: String = (0..20_000).map(|i| format!("{{\"id\":{i}}}\n")).collect();
    for broken in ["{\"id\":\n", "{\"id\":1,\n", "{\"id\":1}}\n", "{\"id\"\n"] {
        let path = file(&dir, "broken.ndjson", format!("{broken}{lines}").as_bytes());
        let options = StreamOptions {
            max_document: 1 << 10,
            ..small_limits()
        };
        let error = data_error(failure(answer_file(&path, options)));
        assert!(
            matches!(error, DataError::Line { line: 1, .. }),
            "{broken:?}: {error}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cli_huge_and_endless_data_fail_fast_naming_the_file() {
    let dir = temp_dir("cli-sparse");
    let brace = sparse(&dir, "brace.json", b"{", FOUR_GIB);
    let zero = sparse(&dir, "zero.json", b"", FOUR_GIB);
    let ndjson = sparse(&dir, "ndjson.json", b"{\"id\":1}\n{\"id\":2}\n{", FOUR_GIB);
    let cases: [(&Path, &str); 4] = [
        (&brace, "line 1: longer than"),
        (&zero, "does not start with '[' or '{'"),
        (&ndjson, "line 3: longer than"),
        (Path::new("/dev/zero"), "does not start with '[' or '{'"),
    ];
    for (path, message) in cases {
        let path = path.to_str().expect("a UTF-8 path");
        let started = std::time::Instant::now();
        let run = hsq(&["customers", "--data", path, "--threads", "2"]);
        assert_eq!(run.code, 1, "{path}: {}", run.stderr);
        assert!(run.stderr.contains(path), "names the file: {}", run.stderr);
        assert!(run.stderr.contains(message), "{path}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        // Not a timing claim: a guard against reading 4 GiB.
        assert!(started.elapsed().as_secs() < 60, "{path}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Data from a pipe (`--data /dev/stdin`) that never ends a line is cut off
/// at the line limit.
#[test]
fn cli_an_endless_pipe_is_bounded() {
    // 64 MiB (the line limit) and a little more: `{` and no newline.
    let mut endless = vec![b'{'];
    endless.resize((64 << 20) + (256 << 10), b' ');
    let run = hsq_with_stdin(&["customers", "--data", "/dev/stdin"], endless);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("/dev/stdin: line 1: longer than"),
        "{}",
        run.stderr
    );
}

#[test]
fn cli_stdin_is_bounded() {
    for command in ["url", "customers"] {
        let mut input = b"firstName=".to_vec();
        input.resize((16 << 20) + 10, b'x');
        let run = hsq_with_stdin(&[command, "-"], input);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("more than 16777216 bytes"),
            "{}",
            run.stderr
        );
    }
}

// ----------------------------------------------- 6. HAL pages read as data

#[test]
fn malformed_hal_pages_are_data_errors() {
    let dir = temp_dir("hal");
    let page = r#"{"_embedded":{"customers":[{"id":1}]}}"#;
    let cases = [
        ("null", r#"{"_embedded":{"customers":null}}"#.to_owned()),
        (
            "object",
            r#"{"_embedded":{"customers":{"id":1}}}"#.to_owned(),
        ),
        ("string", r#"{"_embedded":{"customers":"x"}}"#.to_owned()),
        (
            "number pretty",
            "{\n  \"_embedded\": {\"customers\": 3}\n}\n".to_owned(),
        ),
        ("two pages", format!("{page}\n{page}\n")),
        ("two pages no newline", format!("{page}{page}")),
        ("page then a record", format!("{page}\n{{\"id\":2}}\n")),
        (
            "pretty then a record",
            "{\n\"_embedded\": {\"customers\": []}\n}\n{\"id\":2}\n".to_owned(),
        ),
        (
            "null pretty",
            "{\n  \"_embedded\": {\n    \"customers\": null\n  }\n}\n".to_owned(),
        ),
        (
            "bad record",
            r#"{"_embedded":{"customers":[{"id":"x"}]}}"#.to_owned(),
        ),
    ];
    for (what, text) in &cases {
        // The library, from text and from a file.
        let error = customers::load(text).err();
        assert!(error.is_some(), "{what}: loaded");
        let path = file(&dir, "page.json", text.as_bytes());
        let error = answer_file(&path, small_limits()).err();
        assert!(
            matches!(error, Some(AnswerError::Data { .. })),
            "{what}: {error:?}"
        );
        // The CLI.
        let run = hsq(&["customers", "--data", path.to_str().expect("UTF-8")]);
        assert_eq!(run.code, 1, "{what}: {}", run.stdout);
        assert!(run.stdout.is_empty(), "{what}: {}", run.stdout);
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A HAL page printed one record a line is a HAL page, even when its
/// second line is a complete record.
#[test]
fn a_hal_page_printed_one_record_a_line_is_a_hal_page() {
    let dir = temp_dir("hal-lines");
    for text in [
        "{\"_embedded\":{\"customers\":[\n{\"id\":1}\n]}}\n",
        "{ \"_embedded\" : {\"customers\": [\n  {\"id\":1}\n  ]\n}, \"page\": {}}",
        "\u{feff}{\"_embedded\":{\"customers\":[\r\n{\"id\":1}\r\n]}}",
    ] {
        let (records, format) = customers::load(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(
            (records.len(), format),
            (1, customers::Format::HalPage),
            "{text:?}"
        );
        let path = file(&dir, "page.json", text.as_bytes());
        let page = answer_file(&path, small_limits()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(page.total_elements, 1, "{text:?}");
    }
    // NDJSON whose first line is broken is still named as such.
    let error = customers::load("{\"id\":\n{\"id\":2}\n")
        .err()
        .map(|e| e.to_string());
    assert!(error.is_some_and(|e| e.starts_with("line 1:")));
    let _ = std::fs::remove_dir_all(dir);
}

// ------------------------------------------------------------- 7. panics

#[test]
fn threads_out_of_range_are_usage_errors() {
    for threads in [
        "0",
        "65",
        "1000",
        "-1",
        "1.5",
        "",
        "x",
        "18446744073709551616",
    ] {
        for format in ["human", "json"] {
            let flag = format!("--threads={threads}");
            let run = hsq(&["--format", format, "customers", &flag]);
            assert_eq!(run.code, 2, "--threads {threads:?}: {}", run.stderr);
            if format == "json" {
                let items = one_json_array(&run);
                assert_eq!(items[0]["code"], "usage");
            } else {
                assert!(run.stderr.contains("--threads"), "{}", run.stderr);
            }
        }
    }
    for threads in ["1", "64"] {
        let run = hsq(&["customers", "--threads", threads]);
        assert_eq!(run.code, 0, "--threads {threads}: {}", run.stderr);
    }
}

/// Runs `hsq args…` with stdout and stderr each either piped or
/// `/dev/full`, and returns the exit code (never a panic's 101 or an abort).
fn hsq_full(args: &[&str], stdout_full: bool, stderr_full: bool) -> i32 {
    let full = || Stdio::from(File::create("/dev/full").expect("/dev/full exists"));
    let output = Command::new(env!("CARGO_BIN_EXE_hsq"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(if stdout_full { full() } else { Stdio::piped() })
        .stderr(if stderr_full { full() } else { Stdio::piped() })
        .output()
        .expect("hsq runs");
    let code = output.status.code();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    code.unwrap_or_else(|| panic!("{args:?}: killed by a signal ({:?})", output.status))
}

#[test]
fn a_failed_write_is_exit_1_never_a_panic() {
    let dir = temp_dir("full");
    let bad_data = file(&dir, "bad.json", b"[{\"id\":\"x\"}]");
    let bad_data = bad_data.to_str().expect("UTF-8");
    // Commands whose only output is on stderr (warnings, errors).
    let to_stderr: [&[&str]; 8] = [
        &["fmt", "a b"],
        &["check", "a b"],
        &["fmt", "a AND"],
        &["--format", "json", "fmt", "a AND"],
        &["url", "page=0"],
        &["url", "query=a+b"],
        &["customers", "--data", bad_data],
        &["customers", "--data", "/nonexistent/file.json"],
    ];
    for args in to_stderr {
        assert_eq!(hsq_full(args, false, true), 1, "2>/dev/full {args:?}");
        assert_eq!(
            hsq_full(args, true, true),
            1,
            ">/dev/full 2>/dev/full {args:?}"
        );
    }
    // Commands with output on stdout.
    let to_stdout: [&[&str]; 6] = [
        &["fmt", "a:b"],
        &["explain", "a:b"],
        &["url", "page=2"],
        &["customers"],
        &["customers", "page=0"],
        &["completions", "bash"],
    ];
    for args in to_stdout {
        assert_eq!(hsq_full(args, true, false), 1, ">/dev/full {args:?}");
        assert_eq!(
            hsq_full(args, true, true),
            1,
            ">/dev/full 2>/dev/full {args:?}"
        );
    }
    // Usage errors and help: never a panic (a usage error stays exit 2).
    assert_eq!(hsq_full(&["--help"], true, true), 1);
    assert_eq!(hsq_full(&["fmt", "--help"], true, false), 1);
    assert_eq!(hsq_full(&["--bogus"], false, true), 2);
    assert_eq!(hsq_full(&["customers", "--threads", "0"], false, true), 2);
    let _ = std::fs::remove_dir_all(dir);
}

/// With `--format json`, a failed write to stdout after warnings is still
/// one JSON document on stderr (the warnings and the failure together).
#[test]
fn a_failed_stdout_write_after_warnings_is_one_json_document() {
    for args in [
        &["--format", "json", "fmt", "a b"][..],
        &["--format", "json", "url", "query=+a"],
        &["--format", "json", "explain", "a b"],
        &["--format", "json", "customers", "query=+firstName:x"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_hsq"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(File::create("/dev/full").expect("/dev/full")))
            .output()
            .expect("hsq runs");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let documents = json_documents(&stderr);
        assert_eq!(documents.len(), 1, "{args:?}: {stderr}");
        let items = documents[0].as_array().expect("an array");
        assert_eq!(
            items.first().map(|i| &i["severity"]),
            Some(&"warning".into()),
            "{stderr}"
        );
        assert_eq!(
            items.last().map(|i| &i["code"]),
            Some(&"io".into()),
            "{stderr}"
        );
    }
}

/// Threads that cannot be started are an error (exit 1, a clear message),
/// never a panic or a smaller answer. `RUST_MIN_STACK` asks for stacks
/// larger than the address space, so every spawn fails.
#[test]
fn failed_thread_spawns_are_handled() {
    let dir = temp_dir("spawn");
    let lines: String = (0..500)
        .map(|i| format!("{{\"id\":{i},\"firstName\":\"N{i}\"}}\n"))
        .collect();
    let path = file(&dir, "data.ndjson", lines.as_bytes());
    let path = path.to_str().expect("UTF-8");
    for threads in ["1", "64"] {
        for format in ["human", "json"] {
            let output = Command::new(env!("CARGO_BIN_EXE_hsq"))
                .args([
                    "--format",
                    format,
                    "customers",
                    "--data",
                    path,
                    "--threads",
                    threads,
                ])
                .env("RUST_MIN_STACK", (1u64 << 47).to_string())
                .output()
                .expect("hsq runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert_eq!(output.status.code(), Some(1), "{threads}: {stderr}");
            assert!(stderr.contains("cannot start a thread"), "{stderr}");
            assert!(output.stdout.is_empty());
            if format == "json" {
                assert_eq!(json_documents(&stderr).len(), 1, "{stderr}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

// ------------------------------------- 8. --format json: one JSON document

#[test]
fn with_format_json_stderr_is_one_json_document_in_every_failure() {
    let dir = temp_dir("json");
    let bad_data = file(&dir, "bad.ndjson", b"{\"id\":1}\n{\"id\":\n");
    let csv = file(&dir, "data.csv", b"id,name\n1,x\n");
    let hal = file(&dir, "hal.json", b"{\"_embedded\":{\"customers\":null}}");
    let bad_data = bad_data.to_str().expect("UTF-8");
    let csv = csv.to_str().expect("UTF-8");
    let hal = hal.to_str().expect("UTF-8");
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        // Usage errors, found by clap or after it.
        (vec!["--bogus"], 2, "usage"),
        (vec![], 2, "usage"),
        (vec!["frobnicate"], 2, "usage"),
        (vec!["fmt", "a", "b"], 2, "usage"),
        (vec!["customers", "--threads", "0"], 2, "usage"),
        (vec!["customers", "--now", "yesterday"], 2, "usage"),
        (vec!["customers", "--data"], 2, "usage"),
        (vec!["customers", "--data", "a", "--data", "b"], 2, "usage"),
        (vec!["url", "--base", "javascript:alert(1)"], 2, "usage"),
        (vec!["check", "--schema", "tickets", "a"], 2, "usage"),
        // Data errors and missing files.
        (vec!["customers", "--data", bad_data], 1, "invalid-data"),
        (vec!["customers", "--data", csv], 1, "invalid-data"),
        (vec!["customers", "--data", hal], 1, "invalid-data"),
        (
            vec!["customers", "--data", "/nonexistent/data.json"],
            1,
            "io",
        ),
        (vec!["customers", "--data", "/"], 1, "io"),
        // Invalid requests and queries.
        (vec!["customers", "page=0"], 1, "invalid-page"),
        (vec!["url", "sort=asc"], 1, "unknown-parameter"),
        (vec!["url", "query=%zz"], 1, "bad-encoding"),
        (vec!["customers", "query=(a"], 1, "unclosed-paren"),
        (vec!["fmt", "a AND"], 1, "expected-clause"),
        (vec!["check", "nope:x"], 1, "unknown-field"),
        (vec!["explain", ")"], 1, "unexpected-paren"),
        (
            vec!["customers", "mailbox=1", "--data", bad_data],
            1,
            "invalid-data",
        ),
    ];
    for (args, code, first_code) in cases {
        for flag in [&["--format", "json"][..], &["--format=json"][..]] {
            let mut all: Vec<&str> = flag.to_vec();
            all.extend(&args);
            let run = hsq(&all);
            assert_eq!(run.code, code, "{all:?}: {}", run.stderr);
            let items = one_json_array(&run);
            assert_eq!(items[0]["code"], first_code, "{all:?}: {}", run.stderr);
        }
        // The flag after the command works the same.
        if !args.is_empty() {
            let mut all = args.clone();
            all.extend(["--format", "json"]);
            let run = hsq(&all);
            assert_eq!(run.code, code, "{all:?}: {}", run.stderr);
            one_json_array(&run);
        }
    }
    // stdin that is too large or not UTF-8.
    let run = hsq_with_stdin(&["--format", "json", "fmt", "-"], vec![0xff, 0xfe]);
    assert_eq!(run.code, 1);
    assert_eq!(one_json_array(&run)[0]["code"], "io");
    let _ = std::fs::remove_dir_all(dir);
}

// -------------------------------------------------- 13. smaller points

/// A file given by mistake may hold secrets: no data error repeats its
/// content.
#[test]
fn data_errors_never_echo_the_file() {
    let dir = temp_dir("secrets");
    let secret = "hunter2-SECRET-9f8e7d";
    let shapes = [
        format!("AWS_SECRET_ACCESS_KEY={secret}\n"),
        format!("password: {secret}\n"),
        format!("{{\"id\":\"{secret}\"}}\n"),
        format!("{{\"id\":1,\"firstName\":{secret}}}\n"),
        format!("[{{\"id\":1,\"firstName\":[\"{secret}\"]}}]"),
        format!("{{\"_embedded\":{{\"customers\":\"{secret}\"}}}}"),
        format!("{{\"_embedded\":{{\"customers\":{{\"{secret}\":1}}}}}}"),
        format!("{{\"_embedded\":{{\"customers\":[\"{secret}\"]}}}}"),
        format!("[\"{secret}\"]"),
        format!("{{\"id\":1}}\n{{\"{secret}\"}}\n"),
        format!("{{\"createdAt\":\"{secret}\"}}\n"),
        format!("{{\"id\":1,\"createdAt\":\"2020-01-01T00:00:00Z{secret}\"}}\n"),
        format!("[{{\"id\":1,\"updatedAt\":\"2020-01-01T00:00:00{secret}\"}}]"),
        format!(
            "{{\"_embedded\":{{\"emails\":[{{\"value\":7}}]}},\"x\":\"{secret}\"}}\n{secret}\n"
        ),
        format!("\u{feff}{secret}"),
    ];
    for (i, shape) in shapes.iter().enumerate() {
        let path = file(&dir, &format!("secrets-{i}"), shape.as_bytes());
        for format in ["human", "json"] {
            let run = hsq(&[
                "--format",
                format,
                "customers",
                "--data",
                path.to_str().expect("UTF-8"),
            ]);
            assert_eq!(run.code, 1, "{shape:?}: {}", run.stderr);
            assert!(
                !run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"),
                "{shape:?} is echoed: {}",
                run.stderr
            );
        }
        let error = customers::load(shape).err().map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| !e.contains("hunter2")),
            "{shape:?}: {error:?}"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_base_that_changes_the_url_is_a_usage_error() {
    for base in [
        "https://api.helpscout.net\r\nSet-Cookie: a=b",
        "https://x\ny",
        "https://x\ty",
        "https://x y",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "ftp://example.com",
        "//example.com",
        "https://",
        "https:///path",
        "https://x?y=1",
        "https://x#frag",
        "https://x\u{1b}[31m",
        "",
    ] {
        let run = hsq(&["url", "--base", base, "page=2"]);
        assert_eq!(run.code, 2, "--base {base:?}: {}", run.stdout);
        assert!(run.stdout.is_empty(), "{base:?}");
        assert!(!run.stderr.contains('\u{1b}'), "{base:?} echoed raw");
    }
    for (base, url) in [
        (
            "http://localhost:8080",
            "http://localhost:8080/v2/customers?page=2",
        ),
        (
            "https://example.com/api/",
            "https://example.com/api/v2/customers?page=2",
        ),
    ] {
        let run = hsq(&["url", "--base", base, "page=2"]);
        assert_eq!(run.code, 0, "{base}: {}", run.stderr);
        assert_eq!(run.stdout.trim_end(), url);
    }
}

#[test]
fn a_repeated_option_is_a_usage_error() {
    for args in [
        &["customers", "--data", "a.json", "--data", "b.json"][..],
        &["customers", "--data=a.json", "--data=a.json"],
        &["customers", "--threads", "1", "--threads", "2"],
        &[
            "customers",
            "--now",
            "2024-01-01T00:00:00Z",
            "--now",
            "2024-01-01T00:00:00Z",
        ],
        &["url", "--base", "https://a", "--base", "https://b"],
    ] {
        let run = hsq(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stdout.is_empty());
        assert!(
            run.stderr.contains("more than once") || run.stderr.contains("multiple"),
            "{}",
            run.stderr
        );
    }
}

/// Exports often start with a UTF-8 byte order mark: accepted in every
/// format, from a file and from a pipe, and the records come back without
/// it.
#[test]
fn a_byte_order_mark_is_accepted_in_every_format() {
    let dir = temp_dir("bom");
    let (a, b) = (
        r#"{"id":1,"firstName":"Ann"}"#,
        r#"{"id":2,"firstName":"Bob"}"#,
    );
    let shapes = [
        ("array", format!("[{a},{b}]")),
        ("array pretty", format!("[\n  {a},\n  {b}\n]\n")),
        (
            "HAL page",
            format!("{{\"_embedded\":{{\"customers\":[{a},{b}]}}}}"),
        ),
        (
            "HAL page pretty",
            format!("{{\n  \"_embedded\": {{\n    \"customers\": [{a}, {b}]\n  }}\n}}\n"),
        ),
        ("NDJSON", format!("{a}\n{b}\n")),
        ("NDJSON CRLF", format!("{a}\r\n{b}\r\n")),
        ("NDJSON blank first", format!("\n\n{a}\n{b}")),
    ];
    for (what, text) in &shapes {
        let text = format!("\u{feff}{text}");
        let (records, _) = customers::load(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(records.len(), 2, "{what}");
        assert_eq!(records[0].json(), a, "{what}");
        let path = file(&dir, "bom.json", text.as_bytes());
        let page = answer_file(&path, small_limits()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(page.total_elements, 2, "{what}");
        assert!(
            page.customers
                .iter()
                .all(|c| !c.json().contains('\u{feff}')),
            "{what}"
        );
        for data in [path.to_str().expect("UTF-8"), "/dev/stdin"] {
            let run = hsq_with_stdin(
                &["customers", "--data", data, "sortOrder=asc"],
                text.clone().into_bytes(),
            );
            assert_eq!(run.code, 0, "{what} from {data}: {}", run.stderr);
            let body: serde_json::Value = serde_json::from_str(&run.stdout).expect("HAL+JSON");
            assert_eq!(body["page"]["totalElements"], 2, "{what} from {data}");
            assert_eq!(
                body["_embedded"]["customers"][0]["firstName"], "Ann",
                "{what}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
