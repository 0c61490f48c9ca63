//! Replays the fuzz targets' checked-in corpus (`fuzz/corpus/*/`) through the
//! targets' own checks, so every seed, and every crash input added there,
//! stays fixed without a fuzzer.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::PathBuf;

/// Every file of every target's corpus, in a stable order.
fn seeds() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut files = Vec::new();
    for target in std::fs::read_dir(&root).expect("fuzz/corpus exists") {
        let target = target.expect("readable").path();
        for file in std::fs::read_dir(&target).expect("a target's corpus folder") {
            let file = file.expect("readable").path();
            let hidden = file
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if file.is_file() && !hidden {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_seed_passes_both_targets_checks() {
    let seeds = seeds();
    assert!(seeds.len() >= 40, "the corpus lost seeds: {}", seeds.len());
    for seed in seeds {
        let bytes = std::fs::read(&seed).expect("readable");
        // As the targets read their input.
        let input = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| {
            checks::strict(&input);
            checks::lenient(&input);
        });
        assert!(result.is_ok(), "{} fails the fuzz checks", seed.display());
    }
}
