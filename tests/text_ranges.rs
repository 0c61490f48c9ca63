//! Solr syntax accepted since issue 12. Text ranges: `firstName:[a TO c]`
//! matches a record with one token between the bounds, in code point order,
//! bounds lower-cased and not split into words, as Lucene's `TermRangeQuery`
//! after `normalize`. Fuzzy terms: `jonh~1`, one token within that many
//! edits. `createdAt:*`: the field has a value.

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
    // Tokens: anna, bob, c, carl, mary ann, zoë, émile, isa, 2014.
    let cases: &[(&str, &[&str])] = &[
        ("firstName:[a TO c]", &["Anna", "Bob", "C", "Mary Ann"]),
        ("firstName:[a TO c}", &["Anna", "Bob", "Mary Ann"]),
        ("firstName:{anna TO c]", &["Bob", "C"]),
        ("firstName:[A TO C]", &["Anna", "Bob", "C", "Mary Ann"]),
        // Any token of the value: "Mary Ann" has "ann" and "mary".
        ("firstName:[ann TO ann]", &["Mary Ann"]),
        ("firstName:[m TO *]", &["Mary Ann", "Zoë", "Émile"]),
        ("firstName:[* TO b]", &["Anna", "Mary Ann", "2014"]),
        // Code points, not a collation: "é" is after "z"; "İ" is "i".
        ("firstName:[z TO *]", &["Zoë", "Émile"]),
        ("firstName:[i TO j]", &["İsa"]),
        // A bound is not split into words: "mary" sorts before "mary ann".
        ("firstName:[\"mary ann\" TO *]", &["Zoë", "Émile"]),
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

/// `field:*` on a date field: the field has a value (Solr's existence query).
#[test]
fn a_star_on_a_date_field_is_has_a_value() {
    let at = "2014-01-01T00:00:00Z".parse().ok();
    let docs = [
        Document::new(Some("a"), None, vec![], at, None),
        Document::new(Some("b"), None, vec![], None, at),
        Document::new(Some("c"), None, vec![], None, None),
    ];
    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    for (query, expected) in [
        ("createdAt:*", [true, false, false]),
        ("modifiedAt:*", [false, true, false]),
        ("NOT createdAt:*", [false, true, true]),
        ("createdAt:* OR modifiedAt:*", [true, true, false]),
    ] {
        let check = validate(query, schema::customers(), &ParseOptions::default());
        let typed = check.query.unwrap_or_else(|| panic!("{query}"));
        let matcher = Matcher::compile(&typed, now).unwrap();
        let got: Vec<bool> = docs.iter().map(|d| matcher.matches(d)).collect();
        assert_eq!(got, expected, "{query}");
    }
}

#[test]
fn fuzzy_terms_match_single_tokens_within_their_edits() {
    // Tokens: anna, bob, c, carl, mary ann, zoë, émile, isa, 2014.
    let cases: &[(&str, &[&str])] = &[
        ("firstName:ana~1", &["Anna", "Mary Ann"]),
        ("firstName:ANNA~0", &["Anna"]),
        ("firstName:anan~1", &["Anna", "Mary Ann"]),
        ("firstName:karl~1", &["Carl"]),
        ("firstName:kral~1", &[]),
        ("firstName:kral~", &["Carl"]),
        ("firstName:zoe~1", &["Zoë"]),
        // Lucene's float: (1 - 0.8f) × 5 is just under 1, so 0 edits.
        ("firstName:emile~0.8", &[]),
        ("firstName:emile~0.6", &["Émile"]),
        ("firstName:emil~0.6", &[]),
        ("firstName:2015~1", &["2014"]),
        ("firstName:bobbbb~3", &[]),
        ("firstName:bobbb~3", &["Bob"]),
    ];
    for (query, expected) in cases {
        assert_eq!(&selected(query), expected, "{query}");
    }
}
