//! `parse_lenient` never panics, and the query it returns renders to a
//! canonical form that `parse` accepts, with an equal tree.
#![no_main]

// Each target uses one of the two checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::lenient(&String::from_utf8_lossy(data));
});
