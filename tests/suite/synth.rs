//! The synthetic corpus generator used by the benchmarks (`examples/synth.rs`): what it
//! writes is valid, free of warnings, as rich as the bundled example, and the same for a seed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo test` builds the examples beside the test binary: `target/<profile>/examples/`.
fn synth() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps");
    profile.join("examples").join("synth")
}

fn generate(out: &Path, seed: &str) {
    let status = Command::new(synth())
        .args([
            "--intentions",
            "120",
            "--organisations",
            "5",
            "--seed",
            seed,
            "--out",
        ])
        .arg(out)
        .status()
        .expect("run the synth example (`cargo test` builds it; with `--test suite` alone, build it first with `--examples`)");
    assert!(status.success());
}

fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(root).expect("inside").to_path_buf();
            (relative, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_synthetic_corpus_checks_clean_and_is_the_same_for_a_seed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    generate(&a, "7");
    generate(&b, "7");
    generate(&c, "8");
    assert!(
        files(&a) == files(&b),
        "the same seed gave different corpora"
    );
    assert!(
        files(&a) != files(&c),
        "different seeds gave the same corpus"
    );

    let checked = intentions::check(&a);
    assert!(
        checked.value.is_some() && checked.diagnostics.is_empty(),
        "{:?}",
        checked.diagnostics
    );
    let corpus = checked.value.expect("valid");
    assert_eq!(corpus.intentions.len(), 120);
    assert_eq!(corpus.organisations.len(), 5);

    // As rich as the bundled example: full front matter and a body with a table.
    let intentions = files(&a.join("content/intentions"));
    let (_, first) = &intentions[0];
    let text = String::from_utf8_lossy(first);
    for key in [
        "targets:",
        "milestones:",
        "outcomes:",
        "rationale:",
        "risks:",
        "service_areas:",
    ] {
        assert!(text.contains(key), "no {key} in\n{text}");
    }
    assert!(text.contains("\n## ") && text.contains("\n| Year |") && text.contains("\n- "));
    let words = text
        .split_once("\n---\n")
        .map_or(0, |(_, body)| body.split_whitespace().count());
    assert!(words > 150, "a body of {words} words");
}
