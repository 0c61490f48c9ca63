//! grammar.md's table of codes is true: every example raises its code.

use helpscout_query::customers::ListCustomers;
use helpscout_query::customers::record::Customer;
use helpscout_query::customers::response::list;
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

fn codes_of(row: &Row) -> Vec<(&'static str, String)> {
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
    let documented: Vec<String> = rows().into_iter().map(|r| r.code).collect();
    let sources = [
        include_str!("../src/syntax/diagnostic.rs"),
        include_str!("../src/schema/lower.rs"),
        include_str!("../src/customers/request.rs"),
    ];
    for source in sources {
        for line in source.lines() {
            // Code arms look like `Kind::Variant { .. } => "the-code",`.
            let Some((_, rest)) = line.split_once("=> \"") else {
                continue;
            };
            let Some((code, tail)) = rest.split_once('"') else {
                continue;
            };
            let is_code = tail.trim() == ","
                && code.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && code.contains('-');
            if is_code {
                assert!(
                    documented.iter().any(|d| d == code),
                    "{code} is missing from grammar.md"
                );
            }
        }
    }
}
