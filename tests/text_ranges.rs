//! Text ranges (issue 12): `firstName:[a TO c]` matches a record with one
//! token between the bounds, in code point order, bounds lower-cased and not
//! split into words, as Lucene's `TermRangeQuery` after `normalize`.

use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{ParseOptions, schema, validate};

fn names() -> Vec<Document> {
    [
        "Anna", "Bob", "C", "Carl", "Mary Ann", "Zoë", "Émile", "İsa", "2014",
    ]
    .into_iter()
    .map(|name| Document::new(Some(name), None, vec![], None, None))
    .collect()
}

/// The first names a query selects.
fn selected(query: &str) -> Vec<&'static str> {
    let check = validate(query, schema::customers(), &ParseOptions::default());
    let typed = check
        .query
        .unwrap_or_else(|| panic!("{query}: {:?}", check.diagnostics));
    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    let matcher = Matcher::compile(&typed, now).unwrap();
    let all = [
        "Anna", "Bob", "C", "Carl", "Mary Ann", "Zoë", "Émile", "İsa", "2014",
    ];
    names()
        .iter()
        .zip(all)
        .filter(|(doc, _)| matcher.matches(*doc))
        .map(|(_, name)| name)
        .collect()
}

#[test]
fn text_ranges_compare_tokens_by_code_points() {
    let cases: &[(&str, &[&str])] = &[
        ("firstName:[a TO c]", &["Anna", "Bob", "C"]),
        ("firstName:[a TO c}", &["Anna", "Bob"]),
        ("firstName:{anna TO c]", &["Bob", "C"]),
        ("firstName:[A TO C]", &["Anna", "Bob", "C"]),
        // Any token of the value: "Mary Ann" has "ann" and "mary".
        ("firstName:[ann TO ann]", &["Mary Ann"]),
        ("firstName:[m TO *]", &["Mary Ann", "Zoë", "Émile", "İsa"]),
        ("firstName:[* TO b]", &["Anna", "2014"]),
        // Code points, not a collation: "é" is after "z"; "İ" is "i".
        ("firstName:[z TO *]", &["Zoë", "Émile"]),
        ("firstName:[i TO j]", &["İsa"]),
        // A bound is not split into words.
        (
            "firstName:[\"mary ann\" TO *]",
            &["Mary Ann", "Zoë", "Émile"],
        ),
        ("firstName:[2013 TO 2015]", &["2014"]),
    ];
    for (query, expected) in cases {
        assert_eq!(&selected(query), expected, "{query}");
    }
}

#[test]
fn text_ranges_print_as_written() {
    let check = validate(
        "lastName:{a TO m}",
        schema::customers(),
        &ParseOptions::default(),
    );
    assert!(check.is_valid(), "{:?}", check.diagnostics);
    assert_eq!(check.tree.unwrap().to_string(), "(lastName:{a TO m})");
}
