//! Schemas (SPEC §4): one table per concern, one line per case.

use helpscout_query::schema::{
    DateTest, DateValue, IntegerTest, Target, Test, TextTest, TypedNode, conversations, customers,
};
use helpscout_query::{ParseOptions, Severity, validate};

/// Every schema error code: input, schema, code, span start, hint (if any).
#[test]
fn schema_errors() {
    let cases: &[(&str, &str, &str, usize, Option<&str>)] = &[
        (
            "firstname:John",
            "customers",
            "unknown-field",
            0,
            Some("did you mean `firstName`?"),
        ),
        (
            "fistName:John",
            "customers",
            "unknown-field",
            0,
            Some("did you mean `firstName`?"),
        ),
        ("a:1 OR lastname:x", "customers", "unknown-field", 0, None),
        (
            "organization:\"Help Scout\"",
            "customers",
            "unknown-field",
            0,
            None,
        ),
        ("tag:x", "customers", "unknown-field", 0, None),
        ("modifiedAt:yesterday", "customers", "wrong-type", 11, None),
        ("modifiedAt:Jo*", "customers", "wrong-type", 11, None),
        ("number:abc", "conversations", "wrong-type", 7, None),
        ("number:[1 TO x]", "conversations", "wrong-type", 13, None),
        ("attachments:yes", "conversations", "wrong-type", 12, None),
        (
            "modifiedSince:\"2013-13-01\"",
            "customers",
            "invalid-date",
            14,
            None,
        ),
        (
            "modifiedAt:\"2014-02-30\"",
            "customers",
            "invalid-date",
            11,
            None,
        ),
        (
            "modifiedSince:[2014 TO *]",
            "customers",
            "range-not-allowed",
            14,
            None,
        ),
        (
            "attachments:[true TO false]",
            "conversations",
            "range-not-allowed",
            12,
            None,
        ),
        ("cf:x", "conversations", "unknown-field", 0, None),
    ];
    for &(input, schema, code, start, hint) in cases {
        let schema = helpscout_query::schema::Schema::named(schema).unwrap();
        let check = validate(input, schema, &ParseOptions::default());
        assert!(!check.is_valid(), "{input} should be invalid");
        let first = &check.diagnostics[0];
        assert_eq!(
            (first.code.as_str(), first.span.start),
            (code, start),
            "{input}: {first:?}"
        );
        if let Some(hint) = hint {
            assert_eq!(first.hint.as_deref(), Some(hint), "{input}");
        }
    }
}

/// Every error is reported, not just the first.
#[test]
fn all_unknown_fields_are_reported() {
    let check = validate(
        "a:1 AND b:2 AND firstName:x",
        customers(),
        &ParseOptions::default(),
    );
    let codes: Vec<_> = check
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.span.start))
        .collect();
    assert_eq!(codes, [("unknown-field", 0), ("unknown-field", 8)]);
}

/// The undocumented-field warning: input, field span start.
#[test]
fn undocumented_fields_warn() {
    let cases: &[(&str, usize)] = &[
        ("createdAt:[2014 TO *]", 0),
        ("emailDomain:appleseed.com", 0),
        ("(modifiedSince:\"2013-11-20T00:00:00Z\")", 1),
        ("firstName:a AND createdAt:2014-01", 16),
    ];
    for &(input, start) in cases {
        let check = validate(input, customers(), &ParseOptions::default());
        assert!(check.is_valid(), "{input}: {:?}", check.diagnostics);
        let warning = check
            .diagnostics
            .iter()
            .find(|d| d.code == "undocumented-field")
            .unwrap_or_else(|| panic!("{input}: no warning"));
        assert_eq!(
            (warning.severity, warning.span.start),
            (Severity::Warning, start),
            "{input}"
        );
    }
    let documented = validate(
        "firstName:a AND email:b AND modifiedAt:2014-01",
        customers(),
        &ParseOptions::default(),
    );
    assert!(
        documented.diagnostics.is_empty(),
        "{:?}",
        documented.diagnostics
    );
}

/// Every corpus query that names only customer fields resolves; the
/// conversation examples resolve against conversations.
#[test]
fn corpus_queries_resolve_against_their_endpoint() {
    let customer_fields = [
        "firstName",
        "lastName",
        "email",
        "modifiedAt",
        "createdAt",
        "modifiedSince",
    ];
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/canonical.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut resolved = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let input = line.split('\t').next().unwrap();
        let query: helpscout_query::Query = input.parse().unwrap();
        let mut fields = Vec::new();
        query.walk(|e| {
            if let helpscout_query::syntax::ast::ExprKind::Clause(c) = &e.kind {
                fields.push(c.field.name.clone());
            }
        });
        let schema = if fields.iter().all(|f| customer_fields.contains(&f.as_str())) {
            customers()
        } else if fields.iter().all(|f| f.len() == 1) {
            continue; // the canonicalisation examples use made-up fields
        } else {
            conversations()
        };
        if fields
            .iter()
            .any(|f| ["tag", "status", "subject"].contains(&f.as_str()))
            && schema.name == "customers"
        {
            continue;
        }
        let resolution = schema.resolve(&query);
        assert!(
            resolution.is_ok(),
            "{input} against {}: {resolution:?}",
            schema.name
        );
        resolved += 1;
    }
    assert!(resolved >= 30, "only {resolved} corpus queries resolved");
}

fn leaf(input: &str, schema: &'static helpscout_query::schema::Schema) -> (Target, Test) {
    let query = input.parse().unwrap();
    match schema.resolve(&query).unwrap().query.root {
        TypedNode::Predicate(p) => (p.target, p.test),
        other => panic!("{input}: not a leaf: {other:?}"),
    }
}

/// How values are typed by their field.
#[test]
fn values_take_their_fields_type() {
    let (_, test) = leaf("modifiedAt:2014", customers());
    assert_eq!(
        test,
        Test::Date(DateTest::Within(DateValue::Period {
            year: 2014,
            month: None,
            day: None
        }))
    );
    let (_, test) = leaf("modifiedAt:2000-11", customers());
    assert_eq!(
        test,
        Test::Date(DateTest::Within(DateValue::Period {
            year: 2000,
            month: Some(11),
            day: None
        }))
    );
    let (_, test) = leaf("modifiedSince:\"2013-11-20T00:00:00Z\"", customers());
    assert!(
        matches!(
            test,
            Test::Date(DateTest::AtOrAfter(DateValue::Instant { .. }))
        ),
        "{test:?}"
    );
    let (_, test) = leaf("number:123", conversations());
    assert_eq!(test, Test::Integer(IntegerTest::Equals(123)));
    let (_, test) = leaf("mailboxid:\"100\"", conversations());
    assert_eq!(test, Test::Integer(IntegerTest::Equals(100)));
    let (_, test) = leaf("attachments:true", conversations());
    assert_eq!(test, Test::Boolean(true));
    let (_, test) = leaf("cf42:\"gold\"", conversations());
    assert_eq!(test, Test::Text(TextTest::Phrase("gold".into())));
    let (target, test) = leaf("john@appleseed.com", customers());
    assert_eq!(
        (target, test),
        (
            Target::Default,
            Test::Text(TextTest::Term("john@appleseed.com".into()))
        )
    );
    // A date where text is expected searches its text.
    let (_, test) = leaf("firstName:2014-01", customers());
    assert_eq!(test, Test::Text(TextTest::Term("2014-01".into())));
}

/// Field groups become plain boolean nodes over the group's field, marked as
/// one clause (for the score).
#[test]
fn field_groups_are_expanded() {
    let query = "email:(\"a@x.com\" OR NOT \"b@x.com\")".parse().unwrap();
    let typed = customers().resolve(&query).unwrap().query;
    let TypedNode::Group(group) = typed.root else {
        panic!("not a group")
    };
    let TypedNode::Or(operands) = *group else {
        panic!("not an OR")
    };
    assert_eq!(operands.len(), 2);
    assert!(matches!(&operands[1], TypedNode::Not(_)));
    for operand in &operands {
        let mut node = operand;
        while let TypedNode::Not(inner) = node {
            node = inner;
        }
        let TypedNode::Predicate(p) = node else {
            panic!()
        };
        assert!(matches!(p.target, Target::Field(f) if f.name == "email"));
    }
}
