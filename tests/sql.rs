//! The SQL compiler (`helpscout_query::sql`) without a server: hostile
//! strings in every value position of a request reach the statement only as
//! bind parameters, never as SQL text.

use helpscout_query::customers::ListCustomers;
mod common;

use common::encode;
use helpscout_query::sql::{
    PagePath, Param, Statement, estimate, list_customers, list_customers_via,
};
use helpscout_query::{escape, quote};
use proptest::prelude::*;

/// Pieces that would do harm if spliced into SQL, around a marker word.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "'",
        "''",
        "\"",
        ";",
        "--",
        "/*",
        "*/",
        "$$",
        "$1",
        "\\",
        "%",
        "_",
        "E'",
        "\u{1f}",
        "\u{1e}",
        "\0",
        " OR 1=1",
        "); DROP TABLE hsq_search; --",
        "(",
        ")",
        "[",
        "]",
        "|",
        "^",
        "$",
        "{",
        "}",
        ".",
        "+",
        "?",
        "*",
        "σ",
        "ς",
        "İ",
        "\n",
        "\t",
        " ",
        ":",
    ]);
    (
        prop::collection::vec(piece, 0..6),
        prop::collection::vec(piece_after(), 0..6),
    )
        .prop_map(|(before, after)| format!("{}zqxv{}", before.concat(), after.concat()))
}

fn piece_after() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "'", "\\'", ";", "--", "x", "%", "_", "$2", "\"", "*", "?",
    ])
}

/// The statement's text with its one fixed literal (`ESCAPE E'\\'`) removed.
fn text_outside_literals(sql: &str) -> String {
    sql.replace("E'\\\\'", "")
}

fn check(params: &str) -> Result<(), TestCaseError> {
    let Ok(parsed) = ListCustomers::from_query_string(params) else {
        return Ok(());
    };
    let now = "2024-06-15T12:00:00Z".parse().unwrap();
    let request = &parsed.request;
    // Every statement the compiler writes for it: both paths to the page,
    // and the planner's estimate.
    let mut statements = vec![
        list_customers(request, now).unwrap(),
        list_customers_via(request, now, PagePath::SortMatches).unwrap(),
    ];
    statements.extend(estimate(request, now).unwrap());
    for statement in &statements {
        check_statement(statement)?;
    }
    Ok(())
}

fn check_statement(statement: &Statement) -> Result<(), TestCaseError> {
    let sql = &statement.sql;
    prop_assert!(!sql.to_lowercase().contains("zqxv"), "a value in {sql}");
    let outside = text_outside_literals(sql);
    prop_assert!(outside.is_ascii(), "{sql}");
    for bad in ["'", "\"", ";", "--", "/*", "$$", "\\"] {
        prop_assert!(!outside.contains(bad), "{bad} in {sql}");
    }
    // Every placeholder has a parameter, and every parameter is used.
    for n in 1..=statement.params.len() {
        prop_assert!(sql.contains(&format!("${n}::")), "${n} unused in {sql}");
    }
    let past = format!("${}:", statement.params.len() + 1);
    prop_assert!(!sql.contains(&past), "{past} in {sql}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn hostile_values_never_reach_the_sql_text(value in hostile(), sort in 0..5usize) {
        let sorts = ["", "&sortField=score", "&sortField=firstName&sortOrder=asc", "&sortField=lastName", "&sortField=modifiedAt"];
        let sort = sorts[sort];
        let quoted = quote(&value);
        let escaped = escape(&value);
        let queries = [
            format!("firstName:{quoted}"),
            format!("lastName:{escaped}"),
            format!("email:({quoted} OR {escaped}*)"),
            format!("emailDomain:{escaped}?"),
            quoted.clone(),
            format!("{escaped}* AND NOT firstName:{quoted}"),
        ];
        for query in &queries {
            check(&format!("query={}&firstName={}&lastName={}{sort}", encode(query), encode(&value), encode(&value)))?;
        }
        check(&format!("firstName={}&mailbox=18446744073709551615&page=4294967295", encode(&value)))?;
    }
}

/// The marker does reach the server, as a parameter.
#[test]
fn values_travel_as_parameters() {
    let request = ListCustomers::from_query_string("query=firstName:%22it's+zqxv%22&lastName=zqxv")
        .unwrap()
        .request;
    let statement = list_customers(&request, jiff::Timestamp::now()).unwrap();
    assert_eq!(
        statement.params[..4],
        [
            Param::Text("\u{1f}it's\u{1f}zqxv\u{1f}".to_owned()),
            Param::TextArray(vec!["it's".to_owned(), "zqxv".to_owned()]),
            Param::Text("\u{1f}zqxv\u{1f}".to_owned()),
            Param::TextArray(vec!["zqxv".to_owned()]),
        ]
    );
}

/// What the statement cannot express yet is an error naming it, never a
/// statement that answers something else.
#[test]
fn fuzzy_terms_text_ranges_and_regexes_are_refused_clearly() {
    let now: jiff::Timestamp = "2024-06-15T12:00:00Z".parse().unwrap();
    for query in [
        "firstName:john~",
        "firstName:jonh~1 OR lastName:x",
        "lastName:[a TO c]",
        "firstName:/jo.*/",
        "(/jo.*/ OR lastName:x)^2",
    ] {
        let params = format!("query={}", encode(query));
        let request = helpscout_query::customers::ListCustomers::from_query_string(&params)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .request;
        let errors = helpscout_query::sql::list_customers(&request, now).unwrap_err();
        let diagnostic = errors.errors[0].diagnostic();
        assert_eq!(diagnostic.code, "not-evaluable", "{query}");
        assert!(diagnostic.message.contains("PostgreSQL"), "{query}");
    }
}
