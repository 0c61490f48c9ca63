//! `parse` never panics, and whatever it accepts round-trips through its
//! canonical form.
#![no_main]

// Each target uses one of the two checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::strict(&String::from_utf8_lossy(data));
});
