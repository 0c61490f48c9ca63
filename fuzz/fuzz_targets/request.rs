//! `ListCustomers::from_query_string` never panics; what it accepts
//! round-trips through its canonical URL, and what it rejects gives a
//! bounded error body.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::request(&String::from_utf8_lossy(data));
});
