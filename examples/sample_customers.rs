//! Generates the built-in sample dataset, `data/customers.json`:
//! 500 customers shaped like Help Scout's `GET /v2/customers` records, with
//! varied and non-ASCII names, several emails, missing fields and the local
//! `mailboxIds` extension. Deterministic: the same output on every run.
//!
//! ```text
//! cargo run --example sample_customers > data/customers.json
//! ```

use std::fmt::Write;

#[path = "support/generate.rs"]
mod generate;

use generate::{CITIES, JOBS, Rng, timestamp};

const FIRST: &[&str] = &[
    "John",
    "Johnny",
    "Jon",
    "Jane",
    "Mary Ann",
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Siobhán",
    "François",
    "Ольга",
    "太郎",
    "Ahmed",
    "Aisha",
    "Chloé",
    "Björn",
    "Ines",
    "Mateo",
    "Priya",
    "Wei",
    "Fatima",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Lucas",
    "Mia",
    "Ethan",
    "Ava",
    "Ørjan",
    "Renée",
    "Anaïs",
    "Jürgen",
    "Dmitri",
    "Kateřina",
    "Nuño",
    "Grace",
    "Henry",
    "Isabella",
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
    "Ødegaard",
    "山田",
    "Иванова",
    "Dubois",
    "Rossi",
    "Kim",
    "Patel",
    "Johnson",
    "Brown",
    "Wilson",
    "Taylor",
    "van der Berg",
    "Núñez",
    "Schäfer",
    "Nakamura",
    "Lefèvre",
    "MacDonald",
    "Jones",
    "Davis",
];

const DOMAINS: &[&str] = &[
    "appleseed.com",
    "gmail.com",
    "example.com",
    "helpscout.com",
    "mywork.com",
    "yahoo.co.jp",
    "web.de",
    "orange.fr",
    "outlook.com",
    "acme.io",
];

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The local part of an address: ASCII letters of the name, lower-cased.
fn local_part(name: &str) -> String {
    let ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_lowercase();
    if ascii.is_empty() {
        "user".to_owned()
    } else {
        ascii
    }
}

fn main() {
    let mut rng = Rng(0x5EED_CAFE_F00D_2026);
    let span = 12 * 365 * 24 * 3600; // up to 2024
    let mut out = String::from("[\n");
    for i in 0..500u64 {
        let id = 100_000 + i * 7 + rng.below(7);
        let first = (!rng.chance(6)).then(|| rng.pick(FIRST));
        let last = (!rng.chance(8)).then(|| rng.pick(LAST));
        let created = rng.below(span);
        let updated = created + rng.below(span - created + 1);
        let mut record = format!("{{\"id\":{id}");
        if let Some(first) = first {
            let _ = write!(record, ",\"firstName\":{}", json_string(first));
        }
        if let Some(last) = last {
            let _ = write!(record, ",\"lastName\":{}", json_string(last));
        }
        if rng.chance(60) {
            let _ = write!(record, ",\"jobTitle\":{}", json_string(rng.pick(JOBS)));
        }
        if rng.chance(50) {
            let _ = write!(record, ",\"location\":{}", json_string(rng.pick(CITIES)));
        }
        let _ = write!(
            record,
            ",\"photoType\":\"{}\"",
            rng.pick(&["unknown", "gravatar", "twitter"])
        );
        if rng.chance(3) {
            // A record with no createdAt sorts last in either order.
        } else {
            let _ = write!(record, ",\"createdAt\":\"{}\"", timestamp(created));
        }
        let _ = write!(record, ",\"updatedAt\":\"{}\"", timestamp(updated));
        if rng.chance(90) {
            let mailboxes: Vec<String> = (0..1 + rng.below(2))
                .map(|_| ["85", "86", "117"][rng.below(3) as usize].to_owned())
                .collect();
            let _ = write!(record, ",\"mailboxIds\":[{}]", mailboxes.join(","));
        }
        let email_count = rng.below(4); // 0 to 3 addresses
        let emails: Vec<String> = (0..email_count)
            .map(|k| {
                let local = format!(
                    "{}{}",
                    local_part(first.or(last).unwrap_or("user")),
                    if k == 0 {
                        String::new()
                    } else {
                        format!(".{}", last.map(local_part).unwrap_or_else(|| k.to_string()))
                    }
                );
                format!(
                    "{{\"id\":{},\"value\":\"{local}@{}\",\"type\":\"{}\"}}",
                    id * 10 + k,
                    rng.pick(DOMAINS),
                    rng.pick(&["work", "home", "other"])
                )
            })
            .collect();
        let _ = write!(
            record,
            ",\"_embedded\":{{\"emails\":[{}],\"phones\":[],\"chats\":[],\"social_profiles\":[],\"websites\":[]}}",
            emails.join(",")
        );
        let _ = write!(
            record,
            ",\"_links\":{{\"self\":{{\"href\":\"https://api.helpscout.net/v2/customers/{id}\"}}}}}}"
        );
        out.push_str(&record);
        out.push_str(if i + 1 < 500 { ",\n" } else { "\n" });
    }
    out.push_str("]\n");
    print!("{out}");
}
