//! Replays the fuzz targets' checked-in corpus (`fuzz/corpus/<target>/`)
//! through each target's own checks, so every seed, and every crash input
//! added there, stays fixed without a fuzzer.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// Every file of `target`'s corpus, in a stable order.
fn seeds(target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files = Vec::new();
    for file in std::fs::read_dir(&folder).expect("the target's corpus folder") {
        let file = file.expect("readable").path();
        let hidden = file
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if file.is_file() && !hidden {
            files.push(file);
        }
    }
    files.sort();
    files
}

/// Runs `check` on every seed of `target` (read as the targets read their
/// input), and names every seed that fails.
fn replay(target: &str, at_least: usize, check: fn(&str)) {
    let seeds = seeds(target);
    assert!(
        seeds.len() >= at_least,
        "the {target} corpus lost seeds: {}",
        seeds.len()
    );
    let failed: Vec<String> = seeds
        .iter()
        .filter(|seed| {
            let bytes = std::fs::read(seed).expect("readable");
            let input = String::from_utf8_lossy(&bytes);
            std::panic::catch_unwind(|| check(&input)).is_err()
        })
        .map(|seed| seed.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "seeds failing the fuzz checks: {failed:#?}"
    );
}

#[test]
fn every_target_has_its_replay() {
    let mut targets: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus"))
            .expect("fuzz/corpus exists")
            .map(|e| {
                e.expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    targets.sort();
    assert_eq!(targets, ["load", "parse", "request"]);
}

#[test]
fn every_parse_seed_passes_both_parser_checks() {
    replay("parse", 40, |input| {
        checks::strict(input);
        checks::lenient(input);
    });
}

#[test]
fn every_request_seed_passes_the_request_check() {
    replay("request", 30, checks::request);
}

#[test]
fn every_load_seed_passes_the_load_check() {
    replay("load", 30, checks::load);
}
