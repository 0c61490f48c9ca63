//! grammar.md's table of codes is true: every example raises its code.

mod common;

use common::list;
use helpscout_query::customers::Customer;
use helpscout_query::customers::ListCustomers;
use helpscout_query::{Operator, ParseOptions, schema, validate};

struct Row {
    code: String,
    severity: String,
    stage: String,
    example: String,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar.md")).unwrap();
    let table = text.split("## Codes").nth(1).expect("a Codes section");
    table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            Row {
                code: cells[0].trim_matches('`').to_owned(),
                severity: cells[1].to_owned(),
                stage: cells[2].to_owned(),
                example: cells[3].to_owned(),
            }
        })
        .collect()
}

/// The one `code` span of a cell, when the cell is just that plus words.
fn code_span(cell: &str) -> Option<&str> {
    let start = cell.find('`')? + 1;
    let end = start + cell[start..].find('`')?;
    Some(&cell[start..end])
}

fn codes_of(row: &Row) -> Vec<(helpscout_query::Code, String)> {
    let severity = |d: &helpscout_query::Diagnostic| format!("{:?}", d.severity).to_lowercase();
    let query_codes = |query: &str, options: &ParseOptions| {
        validate(query, schema::customers(), options)
            .diagnostics
            .iter()
            .map(|d| (d.code, severity(d)))
            .collect::<Vec<_>>()
    };
    match (row.stage.as_str(), row.code.as_str()) {
        ("syntax", "empty-query") => query_codes("", &ParseOptions::default()),
        ("syntax", "too-long") => query_codes(&"a ".repeat(40_000), &ParseOptions::default()),
        ("syntax", "wildcard-too-complex") => query_codes(
            &format!("firstName:*{}?b*", "a".repeat(300)),
            &ParseOptions::default(),
        ),
        ("syntax", "more-diagnostics") => {
            let distinct: Vec<String> = (0..150).map(|i| format!("(a{i} AND b OR c)")).collect();
            query_codes(&distinct.join(" AND "), &ParseOptions::default())
        }
        ("syntax", "too-deep") => {
            query_codes(&format!("{}a", "NOT ".repeat(65)), &ParseOptions::default())
        }
        ("syntax", "plus-with-or") => {
            let or = ParseOptions {
                default_operator: Operator::Or,
                ..ParseOptions::default()
            };
            query_codes(code_span(&row.example).unwrap(), &or)
        }
        ("syntax" | "schema", _) => {
            query_codes(code_span(&row.example).unwrap(), &ParseOptions::default())
        }
        ("request", "no-mailbox-data") => {
            let request = ListCustomers::from_query_string("mailbox=85")
                .unwrap()
                .request;
            let records = [Customer::from_json(r#"{"id":1}"#).unwrap()];
            let errors = list(&request, &records, jiff::Timestamp::now()).unwrap_err();
            errors
                .errors
                .iter()
                .map(|e| (e.kind.code(), "error".to_owned()))
                .collect()
        }
        ("request", _) => {
            match ListCustomers::from_query_string(code_span(&row.example).unwrap()) {
                Ok(parsed) => parsed
                    .warnings
                    .iter()
                    .map(|w| (w.diagnostic.code, severity(&w.diagnostic)))
                    .collect(),
                Err(errors) => errors
                    .errors
                    .iter()
                    .map(|e| (e.kind.code(), "error".to_owned()))
                    .collect(),
            }
        }
        ("evaluation", "not-evaluable") => {
            let query = helpscout_query::parse("tag:x").unwrap().query;
            let typed = schema::conversations().resolve(&query).unwrap().query;
            let error = helpscout_query::eval::Matcher::compile(&typed, jiff::Timestamp::now())
                .unwrap_err();
            let diagnostic = helpscout_query::Diagnostic::of(
                helpscout_query::Severity::Error,
                &error,
                helpscout_query::Span::default(),
            );
            vec![(diagnostic.code, severity(&diagnostic))]
        }
        ("data", code) => {
            use helpscout_query::customers::{Source, StreamOptions, answer};
            let path = std::path::Path::new("/nonexistent/customers.json");
            let source = match code {
                "io" => Source::File(path, StreamOptions::default()),
                _ => Source::Text("x"),
            };
            let error = answer(&ListCustomers::new(), &source, jiff::Timestamp::now()).unwrap_err();
            vec![(error.code(), "error".to_owned())]
        }
        ("cli", "usage") => {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_hsq"))
                .args(["--format", "json", "frobnicate"])
                .output()
                .unwrap();
            let items: Vec<serde_json::Value> = serde_json::from_slice(&output.stderr).unwrap();
            let code = items[0]["code"].as_str().unwrap();
            let code = helpscout_query::Code::ALL
                .iter()
                .find(|c| c.as_str() == code)
                .copied()
                .unwrap();
            vec![(code, "error".to_owned())]
        }
        (stage, _) => panic!("unknown stage {stage}"),
    }
}

#[test]
fn every_documented_code_is_raised_by_its_example() {
    let rows = rows();
    assert!(rows.len() >= 45, "the table lost rows: {}", rows.len());
    for row in &rows {
        let codes = codes_of(row);
        assert!(
            codes
                .iter()
                .any(|(code, severity)| *code == row.code && *severity == row.severity),
            "grammar.md: {} ({}) is not raised by {}: got {codes:?}",
            row.code,
            row.severity,
            row.example
        );
    }
}

#[test]
fn every_code_the_library_has_is_documented() {
    let rows = rows();
    for code in helpscout_query::Code::ALL {
        let row = rows.iter().find(|r| r.code == code.as_str());
        let row = row.unwrap_or_else(|| panic!("{code} is missing from grammar.md"));
        assert_eq!(
            row.stage,
            code.stage().as_str(),
            "grammar.md: the stage of {code}"
        );
    }
    for row in &rows {
        assert!(
            helpscout_query::Code::ALL
                .iter()
                .any(|c| c.as_str() == row.code),
            "grammar.md documents {}, which the library does not have",
            row.code
        );
    }
}
