//! A schema of its own in the test database, for each PostgreSQL test, so
//! that the tests run in parallel. The server comes from
//! `HSQ_TEST_DATABASE_URL` (`.ci/postgres.sh` sets it); without it a test
//! fails, unless `HSQ_SKIP_POSTGRES_TESTS=1` says to skip.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use helpscout_query::db::Database;

/// The test server's URL, or `None` when the tests are explicitly skipped.
pub fn server() -> Option<String> {
    match std::env::var("HSQ_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("HSQ_SKIP_POSTGRES_TESTS").is_ok_and(|v| v == "1") => {
            eprintln!("HSQ_SKIP_POSTGRES_TESTS=1: skipping a PostgreSQL test");
            None
        }
        _ => panic!(
            "HSQ_TEST_DATABASE_URL is not set: run the tests through .ci/postgres.sh \
             (`.ci/postgres.sh cargo test -j2 --all-features`), or set \
             HSQ_SKIP_POSTGRES_TESTS=1 to skip the PostgreSQL tests"
        ),
    }
}

/// A schema of the test database for one test, dropped at the end.
pub struct Scratch {
    pub base: String,
    pub schema: String,
    /// The URL that works in the schema (its `search_path`).
    pub url: String,
}

impl Scratch {
    pub fn new(name: &str) -> Option<Scratch> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let base = server()?;
        let schema = format!(
            "t_{name}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("create schema");
        let joiner = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{joiner}options=-csearch_path%3D{schema}%2Cpublic");
        Some(Scratch { base, schema, url })
    }

    /// A connection to a freshly initialised schema.
    pub fn database(&self) -> Database {
        let mut db = Database::connect(&self.url).expect("connect");
        db.init().expect("init");
        db
    }

    pub fn admin(&self) -> postgres::Client {
        let mut client = postgres::Client::connect(&self.url, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!("SET search_path = {}, public", self.schema))
            .unwrap();
        client
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

#[macro_export]
macro_rules! scratch {
    ($name:expr) => {
        match Scratch::new($name) {
            Some(scratch) => scratch,
            None => return,
        }
    };
}
