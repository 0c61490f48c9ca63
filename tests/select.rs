//! The batch matcher (`Matcher::select`) answers exactly as per-record
//! matching does, on the sample data and a table of queries covering every
//! node kind and field.

use helpscout_query::customers::Customer;
use helpscout_query::customers::load;
use helpscout_query::eval::Matcher;
use helpscout_query::{ParseOptions, schema, validate};

#[test]
fn select_agrees_with_matches() {
    let (customers, _) = load(include_str!("../data/customers.json")).unwrap();
    // More than one batch, so positions past the first batch are checked too.
    let customers: Vec<&Customer> = customers.iter().cycle().take(10_000).collect();
    let now: jiff::Timestamp = "2024-06-15T12:00:00Z".parse().unwrap();
    let queries = [
        "firstName:John",
        r#"firstName:"mary ann""#,
        "firstName:Jo* OR lastName:?im",
        r#"email:"gmail.com" AND NOT lastName:Smith"#,
        "NOT (firstName:John OR firstName:Johnny)",
        "NOT NOT firstName:zoë",
        "appleseed",
        "emailDomain:web.de OR emailDomain:acme.io",
        "modifiedAt:[2015 TO 2016-06} AND (createdAt:2013 OR NOT createdAt:[* TO *])",
        "modifiedAt:[NOW-5YEARS TO *] AND email:(gmail.com OR outlook.com OR NOT example.com)",
        r#"(firstName:John AND lastName:Doe) OR (firstName:Jane AND NOT email:"x") OR lastName:Müller"#,
        "firstName:nobody",
        "*",
    ];
    for query in queries {
        let typed = validate(query, schema::customers(), &ParseOptions::default())
            .query
            .unwrap_or_else(|| panic!("{query} is invalid"));
        let matcher = Matcher::compile(&typed, now).unwrap();
        let one_by_one: Vec<usize> = (0..customers.len())
            .filter(|&i| matcher.matches(customers[i].document()))
            .collect();
        assert_eq!(
            matcher.select(&customers, |c| c.document()),
            one_by_one,
            "{query}"
        );
    }
}
