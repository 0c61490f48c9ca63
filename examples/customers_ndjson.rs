//! Generates N customer records as NDJSON, shaped like the records of Help
//! Scout's `GET /v2/customers` (about 1.2 KB each), for the end-to-end
//! benchmark. Deterministic: the same N gives the same bytes.
//!
//! ```text
//! cargo run --release --example customers_ndjson -- 1000000 /tmp/customers.ndjson
//! ```

use std::fmt::Write as _;
use std::io::{BufWriter, Write};

#[path = "support/generate.rs"]
mod generate;

use generate::{CITIES, JOBS, Rng, timestamp};

const FIRST: &[&str] = &[
    "John",
    "Johnny",
    "Jane",
    "Mary",
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Ольга",
    "太郎",
    "Ahmed",
    "Chloé",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Lucas",
    "Mia",
    "Ethan",
    "Ava",
    "Grace",
    "Henry",
    "Isabella",
    "James",
    "Sophia",
    "Benjamin",
    "Amelia",
    "Elijah",
    "Harper",
    "William",
];
const LAST: &[&str] = &[
    "Appleseed",
    "Smith",
    "Doe",
    "Müller",
    "O'Brien",
    "García",
    "Nguyen",
    "Kowalski",
    "山田",
    "Dubois",
    "Rossi",
    "Kim",
    "Patel",
    "Johnson",
    "Brown",
    "Wilson",
    "Taylor",
    "Jones",
    "Davis",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "gmail.com",
    "appleseed.com",
    "helpscout.com",
    "yahoo.co.jp",
    "web.de",
    "outlook.com",
    "acme.io",
    "mail.example.org",
    "company.net",
];
const ORGS: &[&str] = &[
    "Help Scout",
    "Acme Inc",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let out: Box<dyn Write> = match args.next() {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    let mut rng = Rng(0xC0FF_EE00_1234_5678);
    let span = 12 * 365 * 24 * 3600;
    let mut line = String::with_capacity(2048);
    for i in 0..count {
        line.clear();
        let id = 1_000_000 + i;
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let local: String = first
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase();
        let local = if local.is_empty() {
            format!("user{i}")
        } else {
            local
        };
        let created = rng.below(span);
        let updated = created + rng.below(span - created + 1);
        let _ = write!(
            line,
            r#"{{"id":{id},"firstName":"{first}","lastName":"{last}","gender":"{}","jobTitle":"{}","location":"{}","organization":"{}","photoType":"gravatar","photoUrl":"https://secure.gravatar.com/avatar/{:016x}{:016x}","age":"{}","background":"Met at the {} conference; prefers email. Account {} since {}.","createdAt":"{}","updatedAt":"{}","#,
            rng.pick(&["male", "female", "unknown"]),
            rng.pick(JOBS),
            rng.pick(CITIES),
            rng.pick(ORGS),
            rng.next(),
            rng.next(),
            rng.pick(&["20-29", "30-39", "40-49", "50-59"]),
            rng.pick(CITIES),
            rng.below(100_000),
            1990 + rng.below(30),
            timestamp(created),
            timestamp(updated),
        );
        let emails = 1 + rng.below(3);
        line.push_str(r#""_embedded":{"emails":["#);
        for k in 0..emails {
            if k > 0 {
                line.push(',');
            }
            let _ = write!(
                line,
                r#"{{"id":{},"value":"{local}{}@{}","type":"{}"}}"#,
                id * 10 + k,
                if k == 0 {
                    String::new()
                } else {
                    format!(".{k}")
                },
                rng.pick(DOMAINS),
                rng.pick(&["work", "home", "other"])
            );
        }
        let _ = write!(
            line,
            r#"],"phones":[{{"id":{},"value":"+1-555-{:04}","type":"work"}}],"chats":[],"social_profiles":[{{"id":{},"value":"https://twitter.com/{local}{i}","type":"twitter"}}],"websites":[{{"id":{},"value":"https://{local}.example.net"}}],"address":{{"city":"{}","state":"MA","postalCode":"0{:04}","country":"US","lines":["{} Main Street"]}}}},"#,
            id * 10,
            rng.below(10_000),
            id * 10 + 1,
            id * 10 + 2,
            rng.pick(CITIES),
            rng.below(10_000),
            rng.below(999) + 1,
        );
        let _ = writeln!(
            line,
            r#""_links":{{"self":{{"href":"https://api.helpscout.net/v2/customers/{id}"}},"address":{{"href":"https://api.helpscout.net/v2/customers/{id}/address"}},"emails":{{"href":"https://api.helpscout.net/v2/customers/{id}/emails"}},"phones":{{"href":"https://api.helpscout.net/v2/customers/{id}/phones"}}}}}}"#
        );
        out.write_all(line.as_bytes())?;
    }
    out.flush()
}
