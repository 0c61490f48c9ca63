//! The List Customers request (SPEC §6): parsing, validation, canonical URL.

use helpscout_query::build::customer;
use helpscout_query::customers::error_body::ErrorBody;
use helpscout_query::customers::{ListCustomers, SortField, SortOrder};
use proptest::prelude::*;

/// Valid query strings and their canonical URL.
#[test]
fn canonical_urls() {
    let base = "https://api.helpscout.net/v2/customers";
    let cases = [
        ("", base.to_owned()),
        ("?page=1", format!("{base}?page=1")),
        (
            r#"query=(firstName:"John")&sortField=firstName&sortOrder=asc&page=2"#,
            format!(
                "{base}?page=2&sortField=firstName&sortOrder=asc&query=%28firstName%3A%22John%22%29"
            ),
        ),
        (
            "query=firstName:John+lastName:Smith&mailbox=85",
            format!("{base}?mailbox=85&query=%28firstName%3AJohn%20AND%20lastName%3ASmith%29"),
        ),
        (
            "firstName=Mary+Ann&lastName=O%27Neil",
            format!("{base}?firstName=Mary%20Ann&lastName=O%27Neil"),
        ),
        (
            "modifiedSince=2013-11-20T00:00:00Z",
            format!("{base}?modifiedSince=2013-11-20T00%3A00%3A00Z"),
        ),
        (
            "sortOrder=desc&sortField=score",
            format!("{base}?sortField=score&sortOrder=desc"),
        ),
        ("query=tag%2Bx", format!("{base}?query=%28tag%2Bx%29")),
    ];
    for (input, url) in cases {
        let parsed =
            ListCustomers::from_query_string(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(parsed.request.to_url(None), url, "{input}");
    }
}

/// Every request error code: query string, parameter named, code.
#[test]
fn request_errors_name_the_parameter() {
    let cases = [
        ("sort=asc", "sort", "unknown-parameter"),
        ("page=1&page=2", "page", "duplicate-parameter"),
        ("page=", "page", "empty-parameter"),
        ("page=0", "page", "invalid-page"),
        ("page=-1", "page", "invalid-page"),
        ("page=two", "page", "invalid-page"),
        ("mailbox=Orders", "mailbox", "invalid-mailbox"),
        ("sortField=name", "sortField", "invalid-sort-field"),
        ("sortOrder=ASC", "sortOrder", "invalid-sort-order"),
        (
            "modifiedSince=2013-11-20",
            "modifiedSince",
            "invalid-modified-since",
        ),
        (
            "modifiedSince=yesterday",
            "modifiedSince",
            "invalid-modified-since",
        ),
        ("query=(firstName:%22John%22", "query", "unclosed-paren"),
        ("query=fistName:John", "query", "unknown-field"),
        ("query=%ZZ", "query", "bad-encoding"),
        ("query=%FF", "query", "bad-encoding"),
    ];
    for (input, parameter, code) in cases {
        let errors = ListCustomers::from_query_string(input).unwrap_err();
        let first = &errors.errors[0];
        assert_eq!(
            (first.parameter.as_str(), first.kind.code().as_str()),
            (parameter, code),
            "{input}: {first}"
        );
    }
}

/// Hints that help: the normalised date, the parameter meant.
#[test]
fn request_error_messages() {
    let cases = [
        (
            "modifiedSince=2013-11-20",
            "must be a date in the format yyyy-MM-dd'T'HH:mm:ss'Z', such as 2013-11-20T00:00:00Z",
        ),
        (
            "modifiedSince=2013-11-20T00:00:00.000Z",
            "must be a date in the format yyyy-MM-dd'T'HH:mm:ss'Z', such as 2013-11-20T00:00:00Z",
        ),
        (
            "modifiedSince=2013-11-20T05:00:00%2B05:00",
            "must be a date in the format yyyy-MM-dd'T'HH:mm:ss'Z', such as 2013-11-20T00:00:00Z",
        ),
        (
            "sortfield=score",
            "unknown parameter; did you mean 'sortField'?",
        ),
        ("pages=2", "unknown parameter; did you mean 'page'?"),
    ];
    for (input, message) in cases {
        let errors = ListCustomers::from_query_string(input).unwrap_err();
        assert_eq!(errors.errors[0].kind.to_string(), message, "{input}");
    }
}

/// A bad escape does not hide the other parameters' errors.
#[test]
fn bad_encoding_does_not_hide_other_errors() {
    let errors =
        ListCustomers::from_query_string("page=0&q%75ery=%ZZ&sortOrder=up&firstName=a%+9b")
            .unwrap_err();
    let got: Vec<_> = errors
        .errors
        .iter()
        .map(|e| (e.parameter.as_str(), e.kind.code().as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("page", "invalid-page"),
            ("query", "bad-encoding"),
            ("sortOrder", "invalid-sort-order"),
            ("firstName", "bad-encoding"),
        ]
    );
    assert_eq!(errors.errors[1].rejected_value.as_deref(), Some("%ZZ"));
}

/// Every bad parameter is reported, in the order given.
#[test]
fn all_errors_are_reported() {
    let errors = ListCustomers::from_query_string("page=0&sortOrder=up&query=a:").unwrap_err();
    let got: Vec<_> = errors.errors.iter().map(|e| e.parameter.as_str()).collect();
    assert_eq!(got, ["page", "sortOrder", "query"]);
}

/// Query diagnostics keep spans relative to the decoded query.
#[test]
fn query_spans_are_relative_to_the_query() {
    let errors =
        ListCustomers::from_query_string("page=2&query=firstName%3D%22John%22").unwrap_err();
    let helpscout_query::customers::RequestErrorKind::InvalidQuery { diagnostic } =
        &errors.errors[0].kind
    else {
        panic!("{errors:?}");
    };
    assert_eq!(
        (diagnostic.code.as_str(), diagnostic.span.start),
        ("equals-for-colon", 9)
    );
}

/// A `+` decoded to a space where a `+` prefix was meant is a warning; an
/// ordinary form-encoded space is not.
#[test]
fn plus_as_space_warnings() {
    let cases: &[(&str, &[usize])] = &[
        ("query=+firstName:x", &[0]),
        ("query=firstName:a+%2BlastName:b", &[]),
        ("query=firstName:a++lastName:b", &[12]),
        ("query=(+firstName:a)", &[1]),
        ("query=firstName:a+OR+lastName:b", &[]),
    ];
    for &(input, starts) in cases {
        let parsed =
            ListCustomers::from_query_string(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        let got: Vec<usize> = parsed
            .warnings
            .iter()
            .filter(|w| w.diagnostic.code == "plus-as-space")
            .map(|w| w.diagnostic.span.start)
            .collect();
        assert_eq!(got, starts, "{input}");
    }
}

/// Query warnings (syntax and schema) come through, naming `query`.
#[test]
fn query_warnings_come_through() {
    let parsed =
        ListCustomers::from_query_string("query=firstName:a+lastName:b+AND+createdAt:2014-01")
            .unwrap();
    let codes: Vec<_> = parsed
        .warnings
        .iter()
        .map(|w| (w.parameter.as_str(), w.diagnostic.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("query", "implicit-operator"),
            ("query", "undocumented-field")
        ]
    );
}

/// The error body has Help Scout's shape and a deterministic logRef.
#[test]
fn error_body_shape() {
    let raw = "page=0&query=(a";
    let errors = ListCustomers::from_query_string(raw).unwrap_err();
    let body: serde_json::Value =
        serde_json::from_str(&ErrorBody::new(&errors, raw).to_json()).unwrap();
    assert_eq!(body["message"], "Bad request");
    let log_ref = body["logRef"].as_str().unwrap();
    assert_eq!(log_ref.len(), 36);
    assert_eq!(log_ref, ErrorBody::new(&errors, raw).log_ref);
    assert_ne!(log_ref, ErrorBody::new(&errors, "page=0").log_ref);
    let entries = body["_embedded"]["errors"].as_array().unwrap();
    assert_eq!(entries[0]["path"], "page");
    assert_eq!(entries[0]["rejectedValue"], "0");
    assert_eq!(entries[0]["source"], "QUERY_STRING");
    assert_eq!(entries[1]["path"], "query");
    assert!(
        entries[1]["message"]
            .as_str()
            .unwrap()
            .contains("(at byte 0)"),
        "{entries:?}"
    );
}

/// The request builder gives the same request as the parsed query string.
#[test]
fn built_request_equals_parsed_request() {
    let built = ListCustomers::new()
        .with_page(3.try_into().unwrap())
        .with_mailbox(85)
        .with_first_name("John")
        .with_modified_since("2013-11-20T00:00:00.5Z".parse().unwrap())
        .with_sort(SortField::LastName, SortOrder::Asc)
        .with_query(customer::email().is("appleseed.com").build().unwrap())
        .unwrap();
    let parsed = ListCustomers::from_query_string(&built.to_query_string())
        .unwrap()
        .request;
    assert_eq!(parsed, built);
    assert_eq!(built.page(), 3);
    assert_eq!(ListCustomers::new().sort_field(), SortField::CreatedAt);
    assert_eq!(ListCustomers::new().sort_order(), SortOrder::Desc);
}

fn arbitrary_request() -> impl Strategy<Value = ListCustomers> {
    let name = "[a-zA-Z +&=%'\"é日]{1,12}";
    (
        prop::option::of(1u32..1000),
        prop::option::of(any::<u64>()),
        prop::option::of(name),
        prop::option::of(name),
        prop::option::of(0i64..253_402_300_799),
        prop::option::of((prop::sample::select(SortField::ALL.to_vec()), any::<bool>())),
        prop::option::of("[a-zA-Z&+ \"=%]{1,10}"),
    )
        .prop_map(|(page, mailbox, first, last, since, sort, text)| {
            let mut request = ListCustomers::new();
            if let Some(page) = page.and_then(|p| p.try_into().ok()) {
                request = request.with_page(page);
            }
            if let Some(mailbox) = mailbox {
                request = request.with_mailbox(mailbox);
            }
            if let Some(first) = first {
                request = request.with_first_name(first);
            }
            if let Some(last) = last {
                request = request.with_last_name(last);
            }
            if let Some(since) = since.and_then(|s| jiff::Timestamp::from_second(s).ok()) {
                request = request.with_modified_since(since);
            }
            if let Some((field, asc)) = sort {
                request =
                    request.with_sort(field, if asc { SortOrder::Asc } else { SortOrder::Desc });
            }
            if let Some(text) = text {
                request = request
                    .with_query(customer::first_name().is(text).build().unwrap())
                    .unwrap();
            }
            request
        })
}

proptest! {
    /// Render a request to its URL, parse the URL's query string back: the
    /// same URL, and the same request, unless its query had values with no
    /// words, which the URL leaves out (`helpscout_query::sent_form`).
    #[test]
    fn url_round_trip(request in arbitrary_request()) {
        let url = request.to_url(None);
        let query_string = url.split_once('?').map_or("", |(_, q)| q);
        let parsed = ListCustomers::from_query_string(query_string).unwrap().request;
        prop_assert_eq!(&parsed.to_url(None), &url);
        let wordless = request
            .query()
            .is_some_and(|(q, _)| !helpscout_query::without_wordless(q).1.is_empty());
        if !wordless {
            prop_assert_eq!(parsed, request);
        }
    }
}

proptest! {
    /// Any query string: no panic; whatever is accepted renders to a URL
    /// whose query string gives the same request back.
    #[test]
    fn any_query_string(raw in prop_oneof![
        any::<String>(),
        "([a-zA-Z]{1,10}=[a-zA-Z0-9%+:\"()* -]{0,12}&?){0,6}",
        "(page|mailbox|firstName|lastName|modifiedSince|sortField|sortOrder|query)=[a-zA-Z0-9%+:\"()*.@ -]{0,16}(&(page|query|sortField)=[a-z0-9%+]{0,6})?",
    ]) {
        if let Ok(parsed) = ListCustomers::from_query_string(&raw) {
            let url = parsed.request.to_url(None);
            let query_string = url.split_once('?').map_or("", |(_, q)| q);
            let again = ListCustomers::from_query_string(query_string);
            prop_assert!(again.is_ok(), "{} from {:?}: {:?}", url, raw, again.err());
            let again = again.map(|p| p.request).ok();
            prop_assert_eq!(again.as_ref().map(|r| r.to_url(None)), Some(url));
            // The URL leaves out values with no words (sent_form); otherwise
            // the request comes back whole.
            let wordless = parsed
                .request
                .query()
                .is_some_and(|(q, _)| !helpscout_query::without_wordless(q).1.is_empty());
            if !wordless {
                prop_assert_eq!(again, Some(parsed.request));
            }
        }
    }
}
