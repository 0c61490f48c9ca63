//! What the data generators share: a small deterministic random source and
//! Help Scout's timestamp format. Included by path from the examples and the
//! benchmarks, each of which uses part of it.
#![allow(dead_code)]

/// xorshift64*: small, deterministic, good enough for test data.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// `seconds` after 2012-01-01T00:00:00Z, as `yyyy-MM-ddTHH:mm:ssZ`.
pub fn timestamp(seconds: u64) -> String {
    let t = jiff::Timestamp::from_second(1_325_376_000 + seconds as i64).expect("in range");
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Job titles for generated customers.
pub const JOBS: &[&str] = &[
    "Engineer",
    "Developer",
    "Designer",
    "Support Lead",
    "CEO",
    "Accountant",
];

/// Cities for generated customers.
pub const CITIES: &[&str] = &[
    "Boston",
    "New York",
    "Berlin",
    "Tokyo",
    "Paris",
    "São Paulo",
    "Kraków",
];
