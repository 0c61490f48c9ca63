//! The differential test against real Lucene (SPEC §8): every query is
//! evaluated by hsq and, in the form hsq sends it (its canonical form), by
//! the model of Help Scout's engine running in Apache Lucene 8
//! (`tests/lucene/Harness.java`: the classic `QueryParser` configured as
//! Solr's standard parser, `StandardAnalyzer` with no stop words). Both must
//! return the same records.
//!
//! What hsq sends is [`helpscout_query::sent_form`]: the canonical form
//! without the values that have no words.
//!
//! The queries: the corpus (`tests/corpus/canonical.tsv`), the semantic test
//! cases of `tests/reference.rs` (its `documented_agreements` table) and of
//! `tests/customers.rs` (its `matching(…)` calls), the builder's output, and a
//! few thousand generated queries, including the forms Lucene reads
//! differently (NOT inside OR, nested all-NOT groups, `NOT NOT`, bare
//! timestamps, values with no words). The records: the sample dataset and a
//! few written to hit edge cases.
//!
//! Any difference on what hsq sends fails. The user's text as written is
//! also run through Lucene: a difference there is allowed only where hsq
//! warns (one of [`LUCENE_WARNINGS`]), and those are listed and counted; a
//! difference without a warning fails too. The generators include the
//! classes Lucene lexes and analyses in its own way (issue 12): emoji,
//! symbols, circled digits, Turkish and Greek case, escapes, non-ASCII
//! spaces, `/` and `!` inside terms, glued operators, stacked prefixes.
//!
//! Needs Java 17 and Debian's `liblucene8-java` (`.ci/lucene.sh` installs
//! it). Without them the test FAILS; set `HSQ_SKIP_LUCENE=1` to skip it
//! explicitly. `HSQ_LUCENE_CLASSPATH` overrides where the jars are looked up.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use helpscout_query::customers::Customer;
use helpscout_query::eval::Matcher;
use helpscout_query::{ParseOptions, schema, validate};
use serde_json::Value as Json;

/// The clock both sides use for `NOW`.
const NOW: &str = "2024-06-15T12:00:00Z";

/// The warnings that say Help Scout's engine (Lucene) may read the user's
/// query otherwise than hsq does.
const LUCENE_WARNINGS: &[&str] = &[
    "not-in-or",
    "negative-group",
    "double-not",
    "bare-timestamp",
    "no-words",
    "mixed-and-or",
    "unicode-space",
    "wildcard-escape",
    "operator-in-term",
    "stacked-prefixes",
    "glued-operator",
];

/// How many generated queries are compared.
const GENERATED: usize = 3000;

// ----- the harness ---------------------------------------------------------------

struct Lucene {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Lucene {
    /// Starts the harness, or `None` when the test is explicitly skipped.
    fn start() -> Option<Lucene> {
        if std::env::var_os("HSQ_SKIP_LUCENE").is_some_and(|v| !v.is_empty()) {
            eprintln!("HSQ_SKIP_LUCENE is set: the differential test against Lucene is skipped");
            return None;
        }
        let classpath = classpath();
        let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lucene/Harness.java");
        let mut child = Command::new("java")
            .args(["-cp", &classpath, harness])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run java ({e}): the differential test needs Java 17 and \
                     liblucene8-java (.ci/lucene.sh installs them); set HSQ_SKIP_LUCENE=1 to skip it"
                )
            });
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Some(Lucene {
            child,
            stdin,
            stdout,
        })
    }

    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("write to the harness");
    }

    fn answer(&mut self) -> String {
        self.stdin.flush().expect("flush to the harness");
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).expect("read the harness");
        assert!(n > 0, "the Lucene harness exited (see its stderr above)");
        line.truncate(line.trim_end_matches(['\n', '\r']).len());
        line
    }

    fn command(&mut self, line: &str) {
        self.send(line);
        let answer = self.answer();
        assert_eq!(answer, "OK", "{line:.80}");
    }

    /// The ids Lucene finds for `query`, ascending, or its error.
    fn query(&mut self, query: &str) -> Result<Vec<i64>, String> {
        assert!(!query.contains('\n'), "one line per query");
        self.send(&format!("Q\t{query}"));
        let answer = self.answer();
        if let Some(ids) = answer.strip_prefix("IDS\t") {
            return Ok(ids
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("an id"))
                .collect());
        }
        Err(answer.strip_prefix("ERR\t").unwrap_or(&answer).to_owned())
    }
}

impl Drop for Lucene {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The jars: `HSQ_LUCENE_CLASSPATH`, or Debian's `liblucene8-java` ones.
fn classpath() -> String {
    if let Ok(classpath) = std::env::var("HSQ_LUCENE_CLASSPATH") {
        return classpath;
    }
    let dir = "/usr/share/java";
    let names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let mut jars = Vec::new();
    for module in ["core", "queryparser", "queries", "sandbox"] {
        let prefix = format!("lucene-{module}-8");
        let jar = names
            .iter()
            .filter(|n| n.starts_with(&prefix) && n.ends_with(".jar"))
            .max()
            .unwrap_or_else(|| {
                panic!(
                    "no {prefix}*.jar in {dir}: install liblucene8-java (.ci/lucene.sh does), \
                     set HSQ_LUCENE_CLASSPATH, or set HSQ_SKIP_LUCENE=1 to skip this test"
                )
            });
        jars.push(format!("{dir}/{jar}"));
    }
    jars.join(":")
}

// ----- records -------------------------------------------------------------------

/// Records written for edge cases: several emails (phrases must not span
/// two), missing and empty names, names of several words, dates on the
/// boundaries the generated queries use.
const EXTRA: &str = r#"[
  {"id": 900001, "firstName": "John", "lastName": "Jones", "createdAt": "2013-11-20T00:00:00Z", "updatedAt": "2024-06-15T12:00:00Z",
   "_embedded": {"emails": [{"value": "john@appleseed.com"}, {"value": "jones@example.com"}]}},
  {"id": 900002, "firstName": "Mary Ann", "lastName": "Smith", "createdAt": "2014-12-01T00:00:00Z", "updatedAt": "2024-06-14T12:00:00Z",
   "_embedded": {"emails": [{"value": "mary.ann@mail.example.co.uk"}]}},
  {"id": 900003, "lastName": "Appleseed", "updatedAt": "2000-11-30T23:59:59Z"},
  {"id": 900004, "firstName": "", "lastName": ".", "createdAt": "2014-12-31T23:59:59Z"},
  {"id": 900005, "firstName": "Johnny", "lastName": "Jones", "createdAt": "2015-01-01T00:00:00Z", "updatedAt": "2024-05-15T12:00:00Z",
   "_embedded": {"emails": [{"value": "johnny@gmail.com"}, {"value": "smith@appleseed.com"}, {"value": "not-an-address.example.com"}]}},
  {"id": 900006, "firstName": "Jane", "lastName": "Doe", "createdAt": "2024-06-15T12:00:00Z", "updatedAt": "2013-11-20T00:00:00Z",
   "_embedded": {"emails": [{"value": "jane@appleseed.com"}]}},
  {"id": 900007, "firstName": "John😀", "lastName": "Siobhan © ★", "createdAt": "2014-01-01T00:00:00Z"},
  {"id": 900008, "firstName": "Οδυσσέας", "lastName": "İstanbul ①²½", "createdAt": "2014-01-01T00:00:00Z"},
  {"id": 900009, "firstName": "john appleseed", "lastName": "c:dir a/b x!y", "createdAt": "2014-01-01T00:00:00Z",
   "_embedded": {"emails": [{"value": "a||b@example.com"}]}},
  {"id": 900010, "firstName": "ΣΊΣΥΦΟΣ", "lastName": "JOHN ™", "createdAt": "2014-01-01T00:00:00Z"}
]"#;

struct Record {
    customer: Customer,
    json: Json,
}

fn records() -> Vec<Record> {
    let sample =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/customers.json"))
            .expect("the sample dataset");
    let mut all: Vec<Json> = serde_json::from_str(&sample).expect("a JSON array");
    let extra: Vec<Json> = serde_json::from_str(EXTRA).expect("a JSON array");
    all.extend(extra);
    all.into_iter()
        .map(|json| Record {
            customer: Customer::from_json(&json.to_string()).expect("a valid customer"),
            json,
        })
        .collect()
}

/// Text escaped for the harness's protocol; `\N` is a missing value.
fn escaped(value: Option<&str>) -> String {
    match value {
        None => r"\N".to_owned(),
        Some(text) => text
            .replace('\\', r"\\")
            .replace('\t', r"\t")
            .replace('\n', r"\n"),
    }
}

fn doc_line(record: &Record) -> String {
    let json = &record.json;
    let text = |key: &str| json.get(key).and_then(Json::as_str);
    let millis = |key: &str| {
        text(key).map(|t| {
            let t: jiff::Timestamp = t.parse().expect("a timestamp");
            t.as_millisecond().to_string()
        })
    };
    let mut line = format!(
        "DOC\t{}\t{}\t{}\t{}\t{}",
        record.customer.id().expect("an id"),
        escaped(text("firstName")),
        escaped(text("lastName")),
        escaped(millis("createdAt").as_deref()),
        escaped(millis("updatedAt").as_deref()),
    );
    let emails = json
        .pointer("/_embedded/emails")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    for email in emails {
        if let Some(value) = email.get("value").and_then(Json::as_str) {
            line.push('\t');
            line.push_str(&escaped(Some(value)));
        }
    }
    line
}

// ----- comparison ----------------------------------------------------------------

/// What one query gave.
enum Outcome {
    /// hsq rejects the query for customers: nothing to compare.
    Invalid,
    /// Both agree on the form hsq sends.
    Agree,
    /// They differ on the text as written, and hsq warns about it.
    Warned(String),
    /// They differ (or Lucene fails) on what hsq sends.
    Silent(String),
    /// They agree on what hsq sends, but Lucene reads the user's text as
    /// written otherwise, and hsq says nothing.
    SilentAsWritten(String),
}

struct Differential {
    lucene: Lucene,
    records: Vec<Record>,
    now: jiff::Timestamp,
}

impl Differential {
    fn hsq_ids(&self, matcher: &Matcher) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .records
            .iter()
            .filter(|r| matcher.matches(r.customer.document()))
            .filter_map(|r| r.customer.id())
            .collect();
        ids.sort_unstable();
        ids
    }

    fn compare(&mut self, text: &str) -> Outcome {
        let check = validate(text, schema::customers(), &ParseOptions::default());
        let (Some(typed), Some(tree)) = (&check.query, &check.tree) else {
            return Outcome::Invalid;
        };
        let matcher = Matcher::compile(typed, self.now).expect("a customers query compiles");
        let expected = self.hsq_ids(&matcher);
        let warned: Vec<&str> = check
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .filter(|code| LUCENE_WARNINGS.contains(code))
            .collect();
        let sent = helpscout_query::sent_form(tree);
        let mut problems = Vec::new();
        let mut as_written = Vec::new();
        match self.lucene.query(&sent) {
            Ok(ids) if ids == expected => {}
            Ok(ids) => problems.push(format!(
                "sent {sent}: hsq {} records, Lucene {} ({})",
                expected.len(),
                ids.len(),
                first_difference(&expected, &ids)
            )),
            Err(error) => problems.push(format!("sent {sent}: Lucene fails: {error:.200}")),
        }
        // The user's own text: where Lucene reads it otherwise, a warning must say so.
        if !text.contains('\n') && text != sent {
            match self.lucene.query(text) {
                Ok(ids) if ids == expected => {}
                Ok(ids) => as_written.push(format!(
                    "as written: hsq {} records, Lucene {} ({})",
                    expected.len(),
                    ids.len(),
                    first_difference(&expected, &ids)
                )),
                Err(error) => as_written.push(format!("as written: Lucene fails: {error:.160}")),
            }
        }
        let sent_agrees = problems.is_empty();
        problems.extend(as_written);
        let what = format!("{text} [{}]: {}", warned.join(", "), problems.join("; "));
        match (problems.is_empty(), sent_agrees, warned.is_empty()) {
            (true, _, _) => Outcome::Agree,
            (false, false, _) => Outcome::Silent(what),
            (false, true, false) => Outcome::Warned(what),
            (false, true, true) => Outcome::SilentAsWritten(what),
        }
    }
}

fn first_difference(hsq: &[i64], lucene: &[i64]) -> String {
    let only_hsq = hsq.iter().find(|id| !lucene.contains(id));
    let only_lucene = lucene.iter().find(|id| !hsq.contains(id));
    match (only_hsq, only_lucene) {
        (Some(id), _) => format!("{id} only in hsq"),
        (_, Some(id)) => format!("{id} only in Lucene"),
        _ => "same set".to_owned(),
    }
}

// ----- queries -------------------------------------------------------------------

fn corpus_queries() -> Vec<String> {
    let text = include_str!("corpus/canonical.tsv");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| line.split('\t').next())
        .map(str::to_owned)
        .collect()
}

/// The queries of `tests/reference.rs`'s `documented_agreements` table: the
/// first string literal of each row.
fn semantic_queries() -> Vec<String> {
    let source = include_str!("reference.rs");
    let body = source
        .split("fn documented_agreements()")
        .nth(1)
        .expect("tests/reference.rs has documented_agreements");
    let body = body.split("\n}\n").next().unwrap_or_default();
    let mut queries = Vec::new();
    for line in body.lines() {
        let line = line.trim_start();
        let literal = if let Some(rest) = line.strip_prefix("(r#\"") {
            rest.split("\"#").next().map(str::to_owned)
        } else if let Some(rest) = line.strip_prefix("(\"") {
            rest.split("\", ").next().map(|s| s.replace("\\\"", "\""))
        } else if let Some(rest) = line.strip_prefix("r#\"") {
            rest.split("\"#,").next().map(str::to_owned)
        } else if line.starts_with('"') && line.ends_with("\",") {
            Some(line[1..line.len() - 2].replace("\\\"", "\""))
        } else {
            None
        };
        queries.extend(literal);
    }
    queries
}

/// The queries of `tests/customers.rs`: every `matching(…)` literal.
fn customers_queries() -> Vec<String> {
    let source = include_str!("customers.rs");
    let mut queries = Vec::new();
    for piece in source.split("matching(").skip(1) {
        let literal = if let Some(rest) = piece.strip_prefix("r#\"") {
            rest.split("\"#)").next()
        } else if let Some(rest) = piece.strip_prefix('"') {
            rest.split("\")").next()
        } else {
            None
        };
        queries.extend(literal.map(str::to_owned));
    }
    queries
}

/// A small deterministic generator (xorshift), so a failure names a query
/// that reproduces.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TEXT_FIELDS: &[&str] = &["firstName", "lastName", "email", "emailDomain"];
const TERMS: &[&str] = &[
    "john",
    "John",
    "JOHNNY",
    "jones",
    "mary",
    "Ann",
    "fatima",
    "emma",
    "noah",
    "smith",
    "taylor",
    "appleseed",
    "appleseed.com",
    "helpscout.com",
    "gmail.com",
    "web.de",
    "mia.taylor",
    "john@appleseed.com",
    "Søren",
    "anaïs",
    "MÜLLER",
    "o'brien",
    "van",
    "2014",
    "example.co.uk",
];
const PHRASES: &[&str] = &[
    "John",
    "Mary Ann",
    "mary ann",
    "Ann Mary",
    "van der Berg",
    "der berg",
    "john@appleseed.com",
    "appleseed.com jones",
    "appleseed.com",
    "mail.example.co.uk",
    "Jones",
];
const WILDCARDS: &[&str] = &[
    "jo*", "*son", "?ohn", "m*a", "*", "fat?ma", "*.com", "JOHN*", "app*.com", "*e*",
];
const NO_WORDS: &[&str] = &["\".\"", "\"@\"", "\"--\"", r"\-", r"\*"];
const DATES: &[&str] = &[
    "2014",
    "2013",
    "2024",
    "2000-11",
    "2014-12",
    "2024-06",
    "2013-11-20",
    "2014-12-01",
    "2024-06-15",
    "NOW",
    "NOW-1DAY",
    "NOW-7DAYS",
    "NOW-1YEAR",
    "NOW-6MONTHS",
    "NOW+1HOUR",
    "NOW/DAY",
    "NOW-1DAY/DAY",
    "NOW/YEAR",
    "2013-11-20T00:00:00Z",
    "2024-06-15T12:00:00Z",
    "2014-12-01T00:00:00Z/MONTH",
    "2024-06-14T12:00:00Z+1DAY",
    "2024-06-15T12:00:00Z+1MILLI",
    "2013-11-20T00:00:00Z-1MILLIS",
    "NOW-500MILLIS/SECOND",
    "\"2014-12-01\"",
    "\"2013-11-20T00:00:00Z\"",
    // Quoted full dates with an offset: hsq sends them in UTC.
    "\"2013-11-20T05:00:00+05:00\"",
    "\"2024-06-15T14:00:00+02:00\"",
    "\"2013-11-19T23:30:00-00:30\"",
    "\"2014-12-01T00:00:00+00:00\"",
    "\"2024-06-14T13:00:00+01:00/DAY\"",
];
const OPERATORS: &[&str] = &[" AND ", " OR ", " && ", " || ", " "];

/// Text that Lucene lexes or analyses in its own way (issue 12): emoji,
/// symbols, circled digits, Turkish and Greek case, escapes, non-ASCII
/// spaces, `/` and `!` inside terms, glued `&&` and `||`.
const LEXING: &[&str] = &[
    "john😀",
    "😀",
    "\"john 😀\"",
    "\"siobhan ©\"",
    "★",
    "™",
    "john①",
    "①",
    "istanbul①²½",
    "SİOBHAN",
    "İSTANBUL",
    "İST*",
    "?stanbul",
    "ΟΔΥΣΣΈΑΣ",
    "Οδυσσέας",
    "ΟΔΥΣ*",
    "ΟΔΥΣΣΈ?Σ",
    "*ας",
    "σίσυφοσ",
    "ΣΊΣΥΦΟΣ",
    "\"jo\\hn\"",
    "\"c:\\dir\"",
    "\\u006aohn",
    "\\u006Aohn*",
    "\"\\u006aohn\"",
    "\\u006a?hn",
    "*\\N",
    "*\\n",
    "JO\\HN",
    "john\u{a0}appleseed",
    "\"john\u{a0}appleseed\"",
    "john\u{2003}x",
    "a/b",
    "a\\/b",
    "john!x",
    "x\\!y",
    "||example.com",
    "&&b",
    "a||b",
    "\"a||b\"",
    "jonh~1",
    "smtih~1",
    "jhon~",
    "apleseed~1",
    "mary~0",
    "MÜLER~1",
    "taylr~2",
    "fatma~0.6",
    // Escaped letters in wildcards: Lucene matches them as written.
    "J\\O*n",
    "*\\O?N",
    "\\J*",
    "*\\u006a*",
    "m\\A?y",
    "*\\-x?",
    // Regular expressions (Lucene's RegExp, lower-cased, whole tokens).
    "/jo.*/",
    "/JO.*/",
    "/[a-m]+/",
    "/j.h?n/",
    "/(jo|ma)[a-z]*/",
    "/.*son/",
    "/ma{1,2}ry/",
    "/\"john\"/",
    "/<1-99>/",
    "/<0001-2024>/",
    "/@/",
    "/#|john/",
    "/[^a-z]+/",
    "/.*\\.com/",
    "/appleseed.com/",
    "/.{4}/",
    "/[İ]st.*/",
    "/ΟΔΥΣ.*/",
    "/.*ς/",
    "/jo hn/",
    "/jo/x",
    "/a{3,2}/",
    "/|jo.*/",
    "/[]j]ohn/",
    "/^jo$/",
    "/\\d/",
    "//",
    "john//",
    "/j\\/n/",
    "[/a TO m]",
    "/jo\\/ OR lastName:/b/",
    "/a\\\\/ OR /b/",
    "{/ TO /z}",
    // Boosts: no effect on which records match.
    "john^2",
    "\"john smith\"^0.5",
    "(john OR mary)^3",
    "jo*^0",
    "jonh~1^2",
    "/jo.*/^2",
    "*^1.5",
    "john^02.50",
    "(NOT john)^2",
    "mary^2x",
];

/// A clause whose text comes from [`LEXING`], or a shape Lucene lexes in its
/// own way: prefixes, glued operators, `!` apart from its clause.
fn lexing_leaf(g: &mut Gen) -> String {
    match g.below(10) {
        8 | 9 => {
            // Text ranges: any token between the bounds.
            let bounds = [
                "a",
                "c",
                "john",
                "JOHN",
                "m",
                "*",
                "\"mary ann\"",
                "é",
                "z",
                "2014",
                "jo",
                "Ö",
                "appleseed.com",
                "İ",
            ];
            format!(
                "{}:{}{} TO {}{}",
                g.pick(TEXT_FIELDS),
                g.pick(&["[", "{"]),
                g.pick(&bounds),
                g.pick(&bounds),
                g.pick(&["]", "}"])
            )
        }
        0..=3 => format!("{}:{}", g.pick(TEXT_FIELDS), g.pick(LEXING)),
        4 if g.chance(30) => format!(
            "{}:{}^{}",
            g.pick(&["modifiedAt", "createdAt", "firstName"]),
            g.pick(&[
                "[2014 TO *]",
                "2024-06",
                "\"2013-11-20T05:00:00+05:00\"",
                "(a OR b)",
                "*"
            ]),
            g.pick(&["2", "0.5", "0"])
        ),
        4 => g.pick(LEXING).to_owned(),
        5 => format!(
            "{}{}:{}",
            g.pick(&["+-", "NOT +", "++", "-+", "+NOT ", "! ", "+"]),
            g.pick(TEXT_FIELDS),
            g.pick(TERMS)
        ),
        6 => format!(
            "\"{}\"{}{}",
            g.pick(PHRASES),
            g.pick(&["||", "&&", " || ", "&&(", "||\""]),
            g.pick(&["Example.Com", "john)", "mary\""])
        ),
        _ => format!(
            "{}:{}",
            g.pick(&["modifiedAt", "createdAt"]),
            g.pick(&[
                "NOW/DAY",
                "NOW-1DAY/DAY",
                "2014-12-01T00:00:00Z/MONTH",
                "[NOW/DAY TO *]",
                "*",
                "[* TO *]",
            ])
        ),
    }
}

fn text_value(g: &mut Gen) -> String {
    match g.below(10) {
        0..=3 => g.pick(TERMS).to_owned(),
        4..=6 => format!("\"{}\"", g.pick(PHRASES)),
        7 | 8 => g.pick(WILDCARDS).to_owned(),
        _ => g.pick(NO_WORDS).to_owned(),
    }
}

fn date_value(g: &mut Gen) -> String {
    if g.chance(35) {
        let bound = |g: &mut Gen| {
            if g.chance(25) {
                "*".to_owned()
            } else {
                g.pick(DATES).to_owned()
            }
        };
        let open = g.pick(&["[", "{"]);
        let close = g.pick(&["]", "}"]);
        let (lo, hi) = (bound(g), bound(g));
        return format!("{open}{lo} TO {hi}{close}");
    }
    g.pick(DATES).to_owned()
}

fn leaf(g: &mut Gen) -> String {
    if g.chance(25) {
        return lexing_leaf(g);
    }
    match g.below(20) {
        0..=6 => format!("{}:{}", g.pick(TEXT_FIELDS), text_value(g)),
        7..=10 => format!("{}:{}", g.pick(&["modifiedAt", "createdAt"]), date_value(g)),
        11 => format!("modifiedSince:{}", g.pick(&DATES[..9])),
        12..=14 => text_value(g),
        15 | 16 => {
            let field = g.pick(TEXT_FIELDS);
            let not = if g.chance(40) { "NOT " } else { "" };
            let (a, op, b) = (text_value(g), g.pick(&[" OR ", " AND "]), text_value(g));
            format!("{field}:({a}{op}{not}{b})")
        }
        17 => format!("{}:(NOT {})", g.pick(TEXT_FIELDS), text_value(g)),
        18 => "*:*".to_owned(),
        _ => format!(
            "{}:({} OR {})",
            g.pick(&["modifiedAt", "createdAt"]),
            date_value(g),
            date_value(g)
        ),
    }
}

fn query(g: &mut Gen, depth: usize) -> String {
    if depth == 0 || g.chance(30) {
        return leaf(g);
    }
    match g.below(10) {
        0..=3 => {
            let (a, op, b) = (query(g, depth - 1), g.pick(OPERATORS), query(g, depth - 1));
            format!("({a}{op}{b})")
        }
        4 | 5 => {
            let n = 2 + g.below(2);
            let mut out = query(g, depth - 1);
            for _ in 0..n {
                out.push_str(g.pick(OPERATORS));
                out.push_str(&query(g, depth - 1));
            }
            out
        }
        6 | 7 => {
            let prefix = g.pick(&["NOT ", "NOT ", "-", "!", "NOT NOT ", "+"]);
            format!("{prefix}{}", query(g, depth - 1))
        }
        8 if g.chance(30) => format!(
            "({})^{}",
            query(g, depth - 1),
            g.pick(&["2", "0.5", "10", "0"])
        ),
        8 => format!("({})", query(g, depth - 1)),
        _ => {
            let (a, b) = (query(g, depth - 1), query(g, depth - 1));
            format!("{a} OR NOT {b}")
        }
    }
}

/// Queries made with the builder, as its users send them (`to_string`).
fn builder_queries() -> Vec<String> {
    use helpscout_query::build::{Date, customer};
    use helpscout_query::syntax::ast::DateUnit;
    let at = |s: &str| Date::at(s.parse().expect("a timestamp"));
    let conditions = [
        customer::first_name()
            .is("John")
            .or(customer::last_name().is("Jones").not()),
        customer::first_name().is("John").not().not(),
        customer::email()
            .any_of(["appleseed.com", "gmail.com"])
            .and(customer::first_name().starts_with("jo").not()),
        customer::modified_at()
            .since(Date::now().minus(7, DateUnit::Day))
            .or(customer::created_at().on(at("2013-11-20T00:00:00Z"))),
        customer::last_name()
            .is("Jones")
            .not()
            .and(customer::last_name().is("Smith").not())
            .or(customer::first_name().is("Mary Ann")),
        customer::first_name().is(r#"O'Brien "x" OR *"#),
    ];
    conditions
        .into_iter()
        .map(|c| c.build().expect("a buildable query").to_string())
        .collect()
}

// ----- the test ------------------------------------------------------------------

#[test]
fn hsq_and_lucene_return_the_same_records() {
    let Some(mut lucene) = Lucene::start() else {
        return;
    };
    let now: jiff::Timestamp = NOW.parse().unwrap();
    lucene.command(&format!("NOW\t{}", now.as_millisecond()));
    let records = records();
    for record in &records {
        lucene.send(&doc_line(record));
    }
    lucene.command("COMMIT");
    let mut differential = Differential {
        lucene,
        records,
        now,
    };

    let corpus = corpus_queries();
    let mut semantic = semantic_queries();
    let from_customers = customers_queries();
    assert!(
        from_customers.len() >= 25,
        "could not read tests/customers.rs: {}",
        from_customers.len()
    );
    semantic.extend(from_customers);
    assert!(
        corpus.len() >= 40,
        "the corpus lost cases: {}",
        corpus.len()
    );
    assert!(
        semantic.len() >= 40,
        "could not read the semantic cases: {}",
        semantic.len()
    );
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let generated: Vec<String> = (0..GENERATED).map(|_| query(&mut g, 3)).collect();
    // Each lexing case alone, so that no other warning of its query hides
    // a difference it makes.
    let mut lexing: Vec<String> = LEXING.iter().map(|v| (*v).to_owned()).collect();
    for field in TEXT_FIELDS {
        lexing.extend(LEXING.iter().map(|v| format!("{field}:{v}")));
    }
    lexing.extend((0..300).map(|_| lexing_leaf(&mut g)));

    let mut silent = Vec::new();
    let mut warned = Vec::new();
    let mut as_written = Vec::new();
    let mut report = String::new();
    for (name, queries) in [
        ("corpus", &corpus),
        ("semantic", &semantic),
        ("builder", &builder_queries()),
        ("generated", &generated),
        ("lexing", &lexing),
    ] {
        let (mut invalid, mut agree, mut warned_here) = (0, 0, 0);
        for text in queries.iter() {
            match differential.compare(text) {
                Outcome::Invalid => invalid += 1,
                Outcome::Agree => agree += 1,
                Outcome::Warned(what) => {
                    warned_here += 1;
                    warned.push(what);
                }
                Outcome::Silent(what) => silent.push(format!("{name}: {what}")),
                Outcome::SilentAsWritten(what) => as_written.push(format!("{name}: {what}")),
            }
        }
        report.push_str(&format!(
            "{name}: {} queries, {agree} agree on both forms, {warned_here} agree on what hsq \
             sends and differ as written with a warning, {invalid} not customer queries\n",
            queries.len()
        ));
    }
    eprintln!("{report}");
    eprintln!(
        "{} differences that hsq warns about (first 20):",
        warned.len()
    );
    for what in warned.iter().take(20) {
        eprintln!("  {what}");
    }
    // Lucene's reading of the user's own text where hsq has no warning:
    // a silent difference too (issue 12), even where what hsq sends agrees.
    assert!(
        as_written.is_empty(),
        "{} queries Lucene reads otherwise as written, without a warning:\n{}",
        as_written.len(),
        as_written.join("\n")
    );
    assert!(
        silent.is_empty(),
        "{} differences between hsq and Lucene on what hsq sends:\n{}",
        silent.len(),
        silent.join("\n")
    );
}
