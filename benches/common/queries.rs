//! The 11 queries of issue 5, shared by `benches/parse.rs` and
//! `examples/parse_profile.rs`.

/// The 11 queries of issue 5.
pub fn queries() -> Vec<String> {
    let emails: Vec<String> = (1..=50)
        .map(|k| format!("\"user{k}.name@example{k}.com\""))
        .collect();
    let mut queries: Vec<String> = [
        r#"firstName:"John""#,
        r#"(firstName:"John" OR firstName:"Johnny") AND lastName:"Appleseed""#,
        r#"email:("john@appleseed.com" OR "johnappleseed@gmail.com")"#,
        r#"modifiedAt:[2013-11-20T00:00:00Z TO *]"#,
        r#"createdAt:[2013-01-01T00:00:00Z TO 2013-12-31T23:59:59Z] AND NOT email:"spam.com""#,
        r#"(firstName:"Jane" AND lastName:"Doe") OR (firstName:"John" AND lastName:"Smith")"#,
        r#"organization:"Help Scout" AND (jobTitle:"Engineer" OR jobTitle:"Developer") AND modifiedAt:[2020-01-01T00:00:00Z TO *]"#,
        r#"NOT (email:"example.com" OR email:"test.com")"#,
        r#"phone:"555" OR address:"Boston" OR website:"helpscout.com" OR location:"New York""#,
    ]
    .iter()
    .map(|q| (*q).to_owned())
    .collect();
    queries.push(
        emails
            .iter()
            .map(|e| format!("email:{e}"))
            .collect::<Vec<_>>()
            .join(" OR "),
    );
    queries.push(format!("email:({})", emails.join(" OR ")));
    queries
}
