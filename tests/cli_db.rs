//! `hsq db init`, `hsq db load`, `hsq customers --db` and `hsq sql`, run as
//! a user runs them (SPEC §7, §9): the same output as `--data`, and each
//! error a clear message with exit status 1, the password never printed.

use std::process::{Command, Stdio};

#[path = "support/scratch.rs"]
mod scratch;

use scratch::{Scratch, server};

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hsq args…` with `HSQ_DATABASE_URL` set to `url` (or unset).
fn hsq(args: &[&str], url: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hsq"));
    command
        .args(args)
        .stdin(Stdio::null())
        .env_remove("HSQ_DATABASE_URL");
    if let Some(url) = url {
        command.env("HSQ_DATABASE_URL", url);
    }
    let output = command.output().expect("hsq runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/customers.json");

/// The password of a URL (`user:password@`).
fn password(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let userinfo = rest.split_once('@').map_or("", |(u, _)| u);
    userinfo.split_once(':').map_or("", |(_, p)| p)
}

#[test]
fn init_load_and_answer_as_over_a_file() {
    let scratch = scratch!("cli");
    let url = scratch.url.as_str();
    let init = hsq(&["db", "init", "--db", url], None);
    assert_eq!(init.code, 0, "{init:?}");
    assert!(init.stdout.contains("created"), "{init:?}");
    let again = hsq(&["db", "init"], Some(url));
    assert_eq!(again.code, 0, "{again:?}");
    assert!(again.stdout.contains("already there"), "{again:?}");
    let load = hsq(&["db", "load", "--db", url, SAMPLE], None);
    assert_eq!(load.code, 0, "{load:?}");
    assert!(load.stdout.starts_with("loaded 500 records"), "{load:?}");
    assert!(
        load.stderr.is_empty(),
        "no progress bar off a terminal: {load:?}"
    );
    for params in [
        "",
        r#"query=(firstName:"John" OR firstName:"Johnny") AND email:"gmail.com"&sortField=lastName&sortOrder=asc"#,
        "query=modifiedAt:[NOW-2YEARS TO *]&sortField=score&page=2",
        "mailbox=1&sortField=firstName",
        "page=0&query=fistName:John",
        "page=99",
    ] {
        let now = "--now=2024-06-15T12:00:00Z";
        let from_file = hsq(&["customers", "--data", SAMPLE, now, params], None);
        let from_db = hsq(&["customers", "--db", url, now, params], None);
        assert_eq!(from_db.stdout, from_file.stdout, "{params}");
        assert_eq!(from_db.stderr, from_file.stderr, "{params}");
        assert_eq!(from_db.code, from_file.code, "{params}");
        let from_env = hsq(&["customers", now, params], Some(url));
        assert_eq!(from_env.stdout, from_file.stdout, "{params}");
    }
    assert_eq!(
        hsq(&["customers", "--db", url, "--data", SAMPLE], None).code,
        2,
        "two sources"
    );
}

#[test]
fn the_mailbox_rule_prints_the_same_error_body() {
    let scratch = scratch!("cli_mailbox");
    let url = scratch.url.as_str();
    let dir = std::env::temp_dir().join(format!("hsq-cli-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plain.ndjson");
    std::fs::write(&file, "{\"id\":1}\n{\"id\":2,\"firstName\":\"John\"}\n").unwrap();
    let file = file.to_str().unwrap();
    assert_eq!(hsq(&["db", "init", "--db", url], None).code, 0);
    assert_eq!(hsq(&["db", "load", "--db", url, file], None).code, 0);
    let from_file = hsq(&["customers", "--data", file, "mailbox=85"], None);
    let from_db = hsq(&["customers", "--db", url, "mailbox=85"], None);
    assert_eq!(from_file.code, 1);
    assert_eq!((from_db.code, &from_db.stdout), (1, &from_file.stdout));
    assert!(from_db.stdout.contains("no record has 'mailboxIds'"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_are_clear_and_never_print_the_password() {
    let scratch = scratch!("cli_errors");
    let url = scratch.url.as_str();
    let secret = password(url);
    assert!(!secret.is_empty(), "the test server's URL has a password");

    let missing = hsq(&["customers", "--db", url, "query=john"], None);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(missing.stderr.contains("hsq db init"), "{missing:?}");

    let wrong = url.replacen(secret, "wrong-secret", 1);
    let auth = hsq(&["db", "init", "--db", &wrong], None);
    assert_eq!(auth.code, 1, "{auth:?}");
    assert!(auth.stderr.contains("authentication failed"), "{auth:?}");

    let refused = hsq(
        &[
            "db",
            "init",
            "--db",
            "postgresql://u:wrong-secret@127.0.0.1:1/x",
        ],
        None,
    );
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.contains("cannot reach the database server"),
        "{refused:?}"
    );

    assert_eq!(hsq(&["db", "init", "--db", url], None).code, 0);
    let dir = std::env::temp_dir().join(format!("hsq-cli-db-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ndjson");
    std::fs::write(
        &bad,
        "{\"id\":1}\n{\"id\":2}\n{\"id\":3,\"createdAt\":\"yesterday\"}\n",
    )
    .unwrap();
    let malformed = hsq(&["db", "load", "--db", url, bad.to_str().unwrap()], None);
    assert_eq!(malformed.code, 1, "{malformed:?}");
    assert!(malformed.stderr.contains("line 3:"), "{malformed:?}");
    assert!(
        malformed.stderr.contains("nothing was loaded"),
        "{malformed:?}"
    );
    let empty = hsq(&["customers", "--db", url], None);
    assert!(empty.stdout.contains("\"totalElements\": 0"), "{empty:?}");

    // A directory of temporary files that cannot be used is named as such.
    let good = dir.join("good.ndjson");
    std::fs::write(&good, "{\"id\":1}\n").unwrap();
    let no_temp = Command::new(env!("CARGO_BIN_EXE_hsq"))
        .args(["db", "load", "--db", url, good.to_str().unwrap()])
        .env_remove("HSQ_DATABASE_URL")
        .env("TMPDIR", dir.join("missing"))
        .output()
        .expect("hsq runs");
    let stderr = String::from_utf8_lossy(&no_temp.stderr);
    assert_eq!(no_temp.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot use a temporary file in ") && stderr.contains("missing"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was loaded"), "{stderr}");

    scratch
        .admin()
        .batch_execute("UPDATE hsq_layout SET version = 42")
        .unwrap();
    let mismatch = hsq(&["customers", "--db", url], None);
    assert_eq!(mismatch.code, 1, "{mismatch:?}");
    assert!(
        mismatch.stderr.contains("layout version 42"),
        "{mismatch:?}"
    );

    let usage = hsq(&["db", "load"], None);
    assert_eq!(usage.code, 2, "{usage:?}");
    let no_url = hsq(&["db", "init"], None);
    assert_eq!(no_url.code, 2, "{no_url:?}");
    assert!(no_url.stderr.contains("HSQ_DATABASE_URL"), "{no_url:?}");

    for run in [&missing, &auth, &refused, &malformed, &mismatch] {
        assert!(
            !run.stderr.contains(secret) && !run.stdout.contains(secret),
            "{run:?}"
        );
        assert!(!run.stderr.contains("wrong-secret"), "{run:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sql_prints_the_statement_and_its_parameters() {
    // No server needed: `hsq sql` only compiles.
    let run = hsq(
        &[
            "sql",
            "--now=2024-06-15T12:00:00Z",
            "query=firstName:\"O'Brien\" AND modifiedAt:[NOW-1DAY TO *]&mailbox=85&page=3",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{run:?}");
    let (statement, params) = run.stdout.split_once(";\n").unwrap();
    assert!(
        statement.contains("SELECT c.total, p.n, r.doc::text"),
        "{statement}"
    );
    for value in ["brien", "85", "100", "2024"] {
        assert!(!statement.contains(value), "{value} in {statement}");
    }
    assert!(
        params.contains("-- $1 = \"\\u001fo'brien\\u001f\" (text)"),
        "{params}"
    );
    assert!(params.contains(" = 85 (bigint)"), "{params}");
    assert!(params.contains(" = 100 (bigint)"), "{params}");
    let invalid = hsq(&["sql", "page=0"], None);
    assert_eq!(invalid.code, 1, "{invalid:?}");
    assert!(invalid.stderr.contains("invalid-page"), "{invalid:?}");
    let _ = server;
}

#[test]
fn sql_prints_either_form_of_the_statement() {
    // `--path` picks the form; the library writes both, and the default
    // is the form right for any data (the walk first).
    use helpscout_query::customers::ListCustomers;
    use helpscout_query::sql::{PagePath, list_customers_via};
    let params = "query=lastName:Kowalski&sortField=firstName&page=2";
    let now = "2024-06-15T12:00:00Z";
    let request = ListCustomers::from_query_string(params).unwrap().request;
    let expected = |path| list_customers_via(&request, now.parse().unwrap(), path).unwrap();
    for (flag, path) in [
        (None, PagePath::WalkFirst),
        (Some("walk-first"), PagePath::WalkFirst),
        (Some("sort-matches"), PagePath::SortMatches),
    ] {
        let mut args = vec!["sql", "--now", now];
        if let Some(flag) = flag {
            args.extend(["--path", flag]);
        }
        args.push(params);
        let run = hsq(&args, None);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, format!("{}", expected(path)), "{flag:?}");
    }
    let walk = hsq(&["sql", "--now", now, params], None).stdout;
    let sort = hsq(
        &["sql", "--now", now, "--path", "sort-matches", params],
        None,
    )
    .stdout;
    assert!(walk.starts_with("WITH w AS MATERIALIZED"), "{walk}");
    assert!(sort.starts_with("WITH m AS MATERIALIZED"), "{sort}");
    let bad = hsq(&["sql", "--path", "sideways", params], None);
    assert_eq!(bad.code, 2, "{bad:?}");
    assert!(bad.stderr.contains("sort-matches"), "{bad:?}");
}
