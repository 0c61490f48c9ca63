//! The `hsq` binary, run as a user runs it (SPEC §7).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::corpus;
use serde_json::Value;

/// What one run of `hsq` produced.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hsq args…` with `stdin` piped in (or an empty stdin).
fn hsq_with_stdin(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hsq"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hsq starts");
    let written = child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes());
    // A usage error exits before reading stdin; that is not the test's failure.
    if let Err(e) = written {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing stdin: {e}"
        );
    }
    let output = child.wait_with_output().expect("hsq runs");
    Run {
        code: output.status.code().expect("hsq exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn hsq(args: &[&str]) -> Run {
    hsq_with_stdin(args, "")
}

/// The JSON array `--format json` writes on stderr.
fn json_diagnostics(run: &Run) -> Vec<Value> {
    match serde_json::from_str(&run.stderr) {
        Ok(Value::Array(items)) => items,
        other => panic!("stderr is not one JSON array ({other:?}): {:?}", run.stderr),
    }
}

#[test]
fn fmt_prints_every_canonical_case() {
    let cases = corpus("canonical.tsv");
    assert!(cases.len() >= 40, "the corpus lost cases: {}", cases.len());
    for (line, fields) in cases {
        let [input, canonical] = fields.as_slice() else {
            panic!("canonical.tsv:{line}: expected INPUT<TAB>CANONICAL, got {fields:?}");
        };
        // `--` because some inputs start with '-' (`-tag:x`).
        let run = hsq(&["fmt", "--", input]);
        assert_eq!(
            run.code, 0,
            "canonical.tsv:{line}: {input:?}: {}",
            run.stderr
        );
        assert_eq!(
            run.stdout,
            format!("{canonical}\n"),
            "canonical.tsv:{line}: {input:?}"
        );
    }
}

#[test]
fn check_rejects_every_invalid_case_at_its_offset() {
    let cases = corpus("invalid.tsv");
    assert!(cases.len() >= 12, "the corpus lost cases: {}", cases.len());
    for (line, fields) in cases {
        let [input, offset, about] = fields.as_slice() else {
            panic!("invalid.tsv:{line}: expected INPUT<TAB>OFFSET<TAB>ABOUT, got {fields:?}");
        };
        let offset: u64 = offset.parse().expect("offset is a number");
        let run = hsq(&["--format", "json", "check", "--", input]);
        assert_eq!(run.code, 1, "invalid.tsv:{line}: {input:?} ({about})");
        assert_eq!(run.stdout, "", "invalid.tsv:{line}: {input:?}");
        let diagnostics = json_diagnostics(&run);
        let first = diagnostics
            .first()
            .unwrap_or_else(|| panic!("invalid.tsv:{line}: {input:?}: no diagnostics"));
        assert_eq!(first["severity"], "error", "invalid.tsv:{line}: {first}");
        assert_eq!(
            first["span"]["start"].as_u64(),
            Some(offset),
            "invalid.tsv:{line}: {input:?} ({about}): {first}"
        );
    }
}

#[test]
fn a_query_of_dash_or_none_is_read_from_stdin() {
    for args in [&["fmt", "-"][..], &["fmt"]] {
        let run = hsq_with_stdin(args, "firstName:\"John\" OR lastName:Smith\n");
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stdout, "(firstName:\"John\" OR lastName:Smith)\n",
            "{args:?}"
        );
    }
    // Only the one trailing line ending goes; spans count from the input's start.
    let run = hsq_with_stdin(&["--format", "json", "check"], "firstName=\"John\"\r\n");
    assert_eq!(run.code, 1);
    assert_eq!(json_diagnostics(&run)[0]["span"]["start"], 9);
    let run = hsq_with_stdin(&["check", "-"], "\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[empty-query]"), "{}", run.stderr);
}

#[test]
fn fmt_rejects_an_invalid_query_with_a_rendered_diagnostic() {
    let run = hsq(&["fmt", "(firstName:\"John\""]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "\
error[unclosed-paren]: unclosed parenthesis: this '(' is never closed
 --> 1:1
  |
1 | (firstName:\"John\"
  | ^
  = hint: add a ')' to close it
"
    );
}

#[test]
fn fmt_fix_repairs_what_it_can() {
    let run = hsq(&["fmt", "--fix", "(firstName:\"John\" AND"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "(firstName:\"John\")\n");
    assert!(
        run.stderr.contains("error[expected-clause]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[unclosed-paren]"),
        "{}",
        run.stderr
    );

    let run = hsq(&[
        "--format",
        "json",
        "fmt",
        "--fix",
        "(firstName:\"John\" AND",
    ]);
    assert_eq!(run.code, 0);
    let codes: Vec<_> = json_diagnostics(&run)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, ["expected-clause", "unclosed-paren"]);

    // Nothing searchable left: no query, exit 1.
    for input in ["", "()"] {
        let run = hsq(&["fmt", "--fix", input]);
        assert_eq!(run.code, 1, "{input:?}");
        assert_eq!(run.stdout, "", "{input:?}");
        assert!(run.stderr.contains("error["), "{input:?}: {}", run.stderr);
    }
}

#[test]
fn check_allows_warnings_unless_denied() {
    let run = hsq(&["check", "a b"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("warning[implicit-operator]"),
        "{}",
        run.stderr
    );

    let run = hsq(&["check", "--deny-warnings", "a b"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("warning[implicit-operator]"),
        "{}",
        run.stderr
    );

    let run = hsq(&["check", "--deny-warnings", "(a AND b)"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn check_accepts_both_schemas() {
    for (schema, query) in [
        ("customers", "firstName:\"John\""),
        ("conversations", "subject:\"John\""),
    ] {
        let run = hsq(&["check", "--schema", schema, query]);
        assert_eq!(run.code, 0, "{schema}: {}", run.stderr);
        let run = hsq(&["check", &format!("--schema={schema}"), query]);
        assert_eq!(run.code, 0, "{schema}: {}", run.stderr);
    }
}

#[test]
fn check_resolves_fields_against_customers_by_default() {
    let run = hsq(&["--format", "json", "check", "fistName:John"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diagnostics = json_diagnostics(&run);
    assert_eq!(diagnostics[0]["code"], "unknown-field");
    assert_eq!(diagnostics[0]["hint"], "did you mean `firstName`?");
    let run = hsq(&["check", "--schema", "conversations", "tag:x AND cf12:gold"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = hsq(&["check", "--deny-warnings", "createdAt:[2014 TO *]"]);
    assert_eq!(
        run.code, 1,
        "undocumented field is a warning: {}",
        run.stderr
    );
}

#[test]
fn json_diagnostics_have_the_documented_shape() {
    let run = hsq(&["--format", "json", "check", "firstName=\"John\""]);
    assert_eq!(run.code, 1);
    let diagnostics = json_diagnostics(&run);
    let Value::Object(first) = &diagnostics[0] else {
        panic!("not an object: {}", diagnostics[0]);
    };
    let mut keys: Vec<_> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "code", "column", "hint", "line", "message", "severity", "span"
        ]
    );
    let Value::Object(span) = &first["span"] else {
        panic!("span is not an object: {}", first["span"]);
    };
    let mut span_keys: Vec<_> = span.keys().map(String::as_str).collect();
    span_keys.sort_unstable();
    assert_eq!(span_keys, ["end", "start"]);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "equals-for-colon");
    assert_eq!(first["span"]["start"], 9);
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 10);
    assert!(
        first["hint"].as_str() == Some("write 'firstName:' instead of 'firstName='"),
        "{}",
        first["hint"]
    );
}

#[test]
fn format_is_accepted_before_or_after_the_command() {
    for args in [
        &["--format", "json", "check", "a b"][..],
        &["check", "--format", "json", "a b"],
        &["check", "a b", "--format=json"],
    ] {
        let run = hsq(args);
        assert_eq!(run.code, 0, "{args:?}");
        let diagnostics = json_diagnostics(&run);
        assert_eq!(diagnostics.len(), 1, "{args:?}");
        assert_eq!(diagnostics[0]["severity"], "warning", "{args:?}");
        assert_eq!(diagnostics[0]["code"], "implicit-operator", "{args:?}");
    }
    // With nothing to say, JSON is still one (empty) array.
    let run = hsq(&["--format", "json", "fmt", "(tag:x)"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "(tag:x)\n", "[]\n")
    );
}

#[test]
fn explain_prints_the_tree() {
    let run = hsq(&["explain", "tag:x OR NOT tag:y"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "\
OR 0..18
  CLAUSE tag 0..5
    TERM \"x\" 4..5
  NOT 9..18
    CLAUSE tag 13..18
      TERM \"y\" 17..18
"
    );
}

#[test]
fn explain_json_prints_the_query_as_serialized_by_the_library() {
    let input = "tag:x OR NOT tag:y";
    let run = hsq(&["explain", "--json", input]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    let query = helpscout_query::parse(input).expect("parses").query;
    let expected = serde_json::to_value(&query).expect("the tree serializes");
    assert_eq!(printed, expected);
    assert_eq!(printed["root"]["span"]["end"], 18);
}

#[test]
fn explain_rejects_an_invalid_query() {
    let run = hsq(&["explain", "--json", "tag:x AND"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("error[expected-clause]"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &[],
        &["frobnicate", "x"],
        &["fmt", "--nope", "x"],
        &["fmt", "--json", "x"],
        &["explain", "--fix", "x"],
        &["check", "--schema", "tickets", "x"],
        &["check", "--schema"],
        &["--format", "xml", "fmt", "x"],
        &["fmt", "a", "b"],
        &["fmt", "-tag:x"],
        &["customers", "--base", "x"],
        &["url", "--data", "x"],
        &["customers", "--now", "yesterday"],
    ];
    for args in cases {
        let run = hsq(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.starts_with("hsq: error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("Usage: hsq"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = hsq(&["customers", "--now", "yesterday"]);
    assert!(run.stderr.contains("invalid --now"), "{}", run.stderr);
    // With --format json, a usage error is one JSON diagnostic too.
    for args in [
        &["--format", "json"][..],
        &["--format", "json", "fmt", "--nope", "x"],
        &["--format", "json", "customers", "--threads", "0"],
    ] {
        let run = hsq(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let diagnostics = json_diagnostics(&run);
        assert_eq!(diagnostics.len(), 1, "{args:?}");
        assert_eq!(diagnostics[0]["code"], "usage", "{args:?}");
    }
    let run = hsq(&["fmt", "-tag:x"]);
    assert!(run.stderr.contains("'--'"), "{}", run.stderr);
}

#[test]
fn help_goes_to_stdout() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["fmt", "--help"],
        &["check", "-h", "x"],
    ] {
        let run = hsq(args);
        assert_eq!(run.code, 0, "{args:?}");
        assert!(
            run.stdout.starts_with("Usage: hsq"),
            "{args:?}: {}",
            run.stdout
        );
        for command in ["fmt", "check", "explain"] {
            assert!(run.stdout.contains(command), "{args:?}: no {command}");
        }
        assert_eq!(run.stderr, "", "{args:?}");
    }
}

#[test]
fn customers_answers_on_the_built_in_sample() {
    let run = hsq(&[
        "customers",
        "query=(firstName:\"John\")&sortField=lastName&sortOrder=asc",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let customers = body["_embedded"]["customers"].as_array().unwrap();
    assert!(!customers.is_empty());
    assert!(
        customers.iter().all(|c| c["firstName"] == "John"),
        "Johnny is not John"
    );
    assert_eq!(body["page"]["number"], 1);
    assert_eq!(body["page"]["size"], 50);
    assert_eq!(body["_links"]["page"]["templated"], true);
}

#[test]
fn customers_reads_params_and_data() {
    let dir = std::env::temp_dir().join(format!("hsq-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.ndjson");
    std::fs::write(
        &good,
        "{\"id\":1,\"firstName\":\"Ann\"}\n{\"id\":2,\"firstName\":\"Bob\"}\n",
    )
    .unwrap();
    let bad = dir.join("bad.ndjson");
    std::fs::write(&bad, "{\"id\":1}\n{\"id\":\n").unwrap();

    let run = hsq(&[
        "customers",
        "--data",
        good.to_str().unwrap(),
        "firstName=bob",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(body["page"]["totalElements"], 1);

    let run = hsq_with_stdin(
        &["customers", "--data", good.to_str().unwrap(), "-"],
        "sortField=firstName&sortOrder=asc\n",
    );
    let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(body["_embedded"]["customers"][0]["firstName"], "Ann");

    let run = hsq(&["customers", "--data", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("line 2:"), "{}", run.stderr);

    let run = hsq(&["customers", "--data", good.to_str().unwrap(), "mailbox=85"]);
    assert_eq!(run.code, 1);
    let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(body["_embedded"]["errors"][0]["path"], "mailbox");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_requests_print_the_error_body() {
    let run = hsq(&["--format", "json", "customers", "page=0&query=fistName:x"]);
    assert_eq!(run.code, 1);
    let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(body["message"], "Bad request");
    let paths: Vec<_> = body["_embedded"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].clone())
        .collect();
    assert_eq!(paths, ["page", "query"]);
    let diagnostics = json_diagnostics(&run);
    assert_eq!(diagnostics[0]["parameter"], "page");
    assert_eq!(diagnostics[1]["parameter"], "query");
    assert_eq!(diagnostics[1]["code"], "unknown-field");
}

#[test]
fn url_prints_the_canonical_url() {
    let run = hsq(&["url", "query=firstName:John&page=2"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (
            0,
            "https://api.helpscout.net/v2/customers?page=2&query=%28firstName%3AJohn%29\n"
        )
    );
    let run = hsq(&["url", "--base", "http://localhost:8080/", "sortOrder=asc"]);
    assert_eq!(
        run.stdout,
        "http://localhost:8080/v2/customers?sortOrder=asc\n"
    );
    let run = hsq(&["url"]);
    assert_eq!(run.stdout, "https://api.helpscout.net/v2/customers\n");
    let run = hsq(&["url", "sortOrder=up"]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
}

/// `--data` that is a pipe is read whole, never silently empty.
#[test]
fn customers_reads_data_from_a_pipe() {
    let ndjson = "{\"id\":1,\"firstName\":\"Ann\"}\n{\"id\":2,\"firstName\":\"Bob\"}\n";
    let array = r#"[{"id":1,"firstName":"Ann"},{"id":2,"firstName":"Bob"}]"#;
    for data in [ndjson, array] {
        let run = hsq_with_stdin(
            &["customers", "--data", "/dev/stdin", "sortOrder=asc"],
            data,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let body: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(body["page"]["totalElements"], 2, "{data}");
    }
}

/// Control characters from the input (a query, a parameter's name or value,
/// a path) reach the terminal escaped, never raw, and the carets still
/// point at the right place.
#[test]
fn control_characters_are_escaped_in_human_output() {
    let cases: &[&[&str]] = &[
        &["check", "firstName:\u{1b}[31mred AND \u{7}x"],
        &["check", "fist\u{1b}Name:x"],
        &["fmt", "firstName:x \u{1b}]0;title\u{7} AND"],
        &["customers", "sort%1B=1"],
        &["customers", "query=firstName:%1B%5B2J%20AND"],
        &["url", "query=%07x:y"],
        &["customers", "--data", "/tmp/no\u{1b}[2Jsuch"],
    ];
    for args in cases {
        let run = hsq(args);
        assert_ne!(run.code, 0, "{args:?}");
        let raw: Vec<char> = run
            .stderr
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{args:?}: raw {raw:?} in {}", run.stderr);
        assert!(run.stderr.contains("\\u{"), "{args:?}: {}", run.stderr);
    }
    // The caret moves with the escape: it stays under the `]` here.
    let run = hsq(&["check", "firstName:a\u{1b}b ]"]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let shown = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
    let carets = lines.iter().find(|l| l.contains('^')).unwrap();
    let column = carets.find('^').unwrap();
    assert_eq!(&shown[column..column + 1], "]", "{}", run.stderr);
}
