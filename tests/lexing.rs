//! Lexing as Lucene's classic `QueryParser` does (issue 12): escapes in and
//! outside quotes, `\uXXXX`, Lucene's whitespace, escapes inside wildcards.
//! Each line: the query, its canonical form (what hsq sends), and the codes
//! of the warnings it raises.

use helpscout_query::eval::{Document, Matcher};
use helpscout_query::{parse, schema};

#[rustfmt::skip]
const CASES: &[(&str, &str, &[&str])] = &[
    // Inside quotes every `\x` is `x`; `\uXXXX` in and outside quotes.
    ("firstName:\"jo\\hn\"",            "(firstName:\"john\")",          &[]),
    ("firstName:\"C:\\dir\"",           "(firstName:\"C:dir\")",         &[]),
    ("firstName:\"a \\\\ b\"",          "(firstName:\"a \\\\ b\")",      &[]),
    ("firstName:\"say \\\"hi\\\"\"",    "(firstName:\"say \\\"hi\\\"\")", &[]),
    ("firstName:\\u006aohn",            "(firstName:john)",              &[]),
    ("firstName:\\u006Aohn",            "(firstName:john)",              &[]),
    ("firstName:\"\\u006aohn smith\"",  "(firstName:\"john smith\")",    &[]),
    ("firstName:x\\u002ay",             "(firstName:x\\*y)",             &[]),
    ("firstName:\\ud83d\\ude00",        "(firstName:😀)",                &[]),
    ("firstName:\"\\*\"",               "(firstName:\"*\")",             &[]),
    // A prefix is decoded and lower-cased by Lucene like a term...
    ("firstName:\\u006a*",              "(firstName:j*)",                &[]),
    ("firstName:\\JO*",                 "(firstName:JO*)",               &[]),
    // ... any other wildcard keeps its escapes, as Lucene: warned, sent as written.
    ("firstName:*\\N",                  "(firstName:*\\N)",              &["wildcard-escape"]),
    ("firstName:\\u006a?hn",            "(firstName:u006a?hn)",          &["wildcard-escape"]),
    ("firstName:*\\-x",                 "(firstName:*-x)",               &[]),
    // Whitespace is space, tab, CR, LF and U+3000 only.
    ("firstName:john\u{3000}lastName:x", "(firstName:john AND lastName:x)", &["implicit-operator"]),
    ("firstName:a\tb",                  "(firstName:a AND b)",           &["implicit-operator"]),
    ("firstName:john\u{a0}appleseed",   "(firstName:john\\\u{a0}appleseed)", &["unicode-space"]),
    ("a OR\u{a0}b",                     "(a AND OR\\\u{a0}b)",           &["implicit-operator", "unicode-space"]),
    ("firstName:\"john\u{a0}appleseed\"", "(firstName:\"john\u{a0}appleseed\")", &[]),
    // `!` and `/` inside terms: sent escaped, or the date math quoted.
    ("firstName:john!x",                "(firstName:john\\!x)",         &["operator-in-term"]),
    ("firstName:a/b",                   "(firstName:a\\/b)",            &["operator-in-term"]),
    ("email:a\\/b",                     "(email:a\\/b)",                &[]),
    ("createdAt:NOW/DAY",               "(createdAt:\"NOW/DAY\")",           &["operator-in-term"]),
    ("createdAt:[NOW/DAY TO *]",        "(createdAt:[NOW/DAY TO *])",    &[]),
    // A term that only looks like a date is text.
    ("firstName:2000-11-29T",           "(firstName:2000-11-29T)",       &[]),
    ("firstName:2000-11-29Tea",         "(firstName:2000-11-29Tea)",     &[]),
    // Milliseconds, as Solr keeps them; units upper case.
    ("modifiedAt:[2013-11-20T00:00:00.1239Z TO *]", "(modifiedAt:[2013-11-20T00:00:00.123Z TO *])", &["fractional-seconds"]),
    ("modifiedAt:[2013-11-20T00:00:00.0009Z TO *]", "(modifiedAt:[2013-11-20T00:00:00Z TO *])", &["fractional-seconds"]),
    ("modifiedAt:[NOW-3day TO *]",      "(modifiedAt:[NOW-3DAYS TO *])", &["lowercase-date-unit"]),
    // Solr's millisecond unit.
    ("modifiedAt:[NOW-1MILLI TO *]",    "(modifiedAt:[NOW-1MILLI TO *])", &[]),
    ("modifiedAt:[NOW+5MILLIS TO *]",   "(modifiedAt:[NOW+5MILLIS TO *])", &[]),
    ("modifiedAt:[NOW-2MILLISECONDS/MILLISECOND TO *]", "(modifiedAt:[NOW-2MILLIS/MILLI TO *])", &[]),
    // Fuzzy terms: the edits written out.
    ("firstName:jonh~1",                "(firstName:jonh~1)",            &[]),
    ("firstName:JOHN~",                 "(firstName:JOHN~2)",            &[]),
    ("firstName:john~3",                "(firstName:john~2)",            &[]),
    ("firstName:john~0.5",              "(firstName:john~2)",            &[]),
    ("firstName:john~0",                "(firstName:john~0)",            &[]),
    ("firstName:jo\\hn~1",              "(firstName:john~1)",            &[]),
    // Stacked prefixes.
    ("+-firstName:john",                "(NOT firstName:john)",          &["minus-prefix", "stacked-prefixes"]),
    ("NOT +firstName:john",             "(NOT firstName:john)",          &["stacked-prefixes"]),
    ("++firstName:john",                "(firstName:john)",              &["stacked-prefixes"]),
    ("+firstName:john",                 "(firstName:john)",              &[]),
    // Glued `&&` and `||`: part of the term.
    ("\"0\"||Example.Com",              "(\"0\" AND \\||Example.Com)", &["glued-operator", "implicit-operator"]),
    ("a||b",                            "(a||b)",                        &[]),
    ("a || b",                          "(a OR b)",                      &[]),
    ("a ||(b)",                         "(a OR b)",                      &[]),
    ("a &&\"b\"",                       "(a AND \"b\")",                 &[]),
    ("firstName:john\\\u{a0}x",         "(firstName:john\\\u{a0}x)",     &[]),
];

#[test]
fn lexes_as_lucene() {
    for &(input, canonical, codes) in CASES {
        let parsed = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
        assert_eq!(parsed.query.to_string(), canonical, "{input:?}");
        let mut got: Vec<String> = parsed
            .warnings
            .iter()
            .map(|w| w.kind.code().to_string())
            .collect();
        got.sort();
        assert_eq!(got, codes, "{input:?}");
    }
}

/// A term with a no-break space is one term of two words: a phrase.
#[test]
fn a_no_break_space_joins_words_into_a_phrase() {
    let records = [
        Document::new(Some("John Appleseed"), None, vec![], None, None),
        Document::new(Some("Appleseed John"), None, vec![], None, None),
    ];
    let parsed = parse("firstName:john\u{a0}appleseed").unwrap();
    let resolved = schema::customers().resolve(&parsed.query).unwrap();
    let now = "2024-01-01T00:00:00Z".parse().unwrap();
    let matcher = Matcher::compile(&resolved.query, now).unwrap();
    let hits: Vec<bool> = records.iter().map(|r| matcher.matches(r)).collect();
    assert_eq!(hits, [true, false]);
}
