//! The five records of the semantic cases, shared by `tests/customers.rs`
//! (the in-memory answers) and `tests/postgres.rs` (the same cases from the
//! database).

pub const FIXTURE: &str = r#"[
{"id": 1, "firstName": "John", "lastName": "Appleseed", "createdAt": "2013-01-05T10:00:00Z", "updatedAt": "2014-02-27T08:00:00Z", "mailboxIds": [85], "_embedded": {"emails": [{"value": "john@appleseed.com"}]}},
{"id": 2, "firstName": "Johnny", "lastName": "appleseed", "createdAt": "2014-06-01T00:00:00Z", "updatedAt": "2000-11-15T12:00:00Z", "mailboxIds": [86], "_embedded": {"emails": [{"value": "johnny@gmail.com"}, {"value": "jj@appleseed.com"}]}},
{"id": 3, "firstName": "zoë", "createdAt": "2014-06-01T00:00:00Z", "updatedAt": "2024-06-15T11:30:00Z", "_embedded": {"emails": []}, "vip": true, "tags": ["a", {"b": null}]},
{"id": 4, "lastName": "Zimmer", "updatedAt": "2000-12-01T00:00:00Z", "mailboxIds": [85, 86]},
{"id": 5, "firstName": "Mary Ann", "lastName": "O'Brien", "createdAt": "2012-03-03T03:03:03Z", "updatedAt": "2013-11-20T00:00:00Z", "mailboxIds": [], "_embedded": {"emails": [{"value": "mary@example.com"}]}, "score": 1.50}
]"#;
