//! Loading customer data and answering over it never panic, and every
//! record loaded is a byte-exact slice of the input.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::load(&String::from_utf8_lossy(data));
});
