//! The corpus of bad input: `tests/corpus/bad/<case>/` holds the files of one broken site
//! (laid over the fixture) and `expected.txt`, the diagnostics a build must give, one block
//! each: message, `file:line:column` and hint. One test runs every case and compares.
//!
//! Cases whose input cannot sit in git well (a file over the size limit, a symbolic link
//! loop) are written by `generate` below; their folders hold only `expected.txt`.
//! `INTENTIONS_BLESS=1 cargo test --release --test suite corpus` rewrites every
//! `expected.txt` from what the build says now: read the diff before committing it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use intentions::diagnostics::Level;

use crate::fixture::{Checked, Site};

/// Any case taking longer than this is a hang as far as editors are concerned.
const TOO_SLOW: Duration = Duration::from_secs(20);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/bad")
}

/// Inputs made at test time, by case name.
fn generate(case: &str, site: &Site) {
    match case {
        "too-large" => {
            // Valid front matter followed by a body just over the limit: only the size is wrong.
            let limit = intentions::content::MAX_FILE_BYTES as usize;
            let mut text = crate::fixture::STROKE.replace("stroke care", "stroke care, at length");
            let line = "Stroke care is being centralised to one hyper-acute unit.\n";
            while text.len() <= limit {
                text.push_str(line);
            }
            site.write("content/intentions/shire-ccg/huge.md", &text);
        }
        "symlink-loop" => {
            let dir = site.path("content/intentions/shire-ccg/nested");
            std::fs::create_dir_all(&dir).expect("mkdir");
            symlink(Path::new(".."), &dir.join("loop"));
        }
        _ => {}
    }
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) {}

/// Copies every file under `from` into `to`, keeping relative paths.
fn overlay(from: &Path, to: &Path) {
    if !from.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the corpus");
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(entry.path(), &target).expect("copy");
    }
}

/// The diagnostics as `expected.txt` writes them: one block each, sorted, so the order the
/// stages report in does not matter.
fn describe(checked: &Checked) -> String {
    // Quality lints (warnings with a lint id) on the fixture's own content are tested in
    // `lints.rs`; here only what the bad input causes counts.
    let mut blocks: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.is_none())
        .map(|d| {
            let level = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let mut block = format!("{level}: {}\n", d.message);
            if let Some(path) = &d.path {
                let shown = path.display().to_string().replace('\\', "/");
                match &d.span {
                    Some(span) => match checked.sources.line_column(path, span.start) {
                        Some((line, column)) => {
                            let _ = writeln!(block, " --> {shown}:{line}:{column}");
                        }
                        None => {
                            let _ = writeln!(block, " --> {shown} (no text to place it in)");
                        }
                    },
                    None => {
                        let _ = writeln!(block, " --> {shown}");
                    }
                }
            }
            if let Some(hint) = &d.hint {
                let _ = writeln!(block, " help: {hint}");
            }
            block
        })
        .collect();
    blocks.sort();
    blocks.join("\n")
}

/// A line-by-line comparison a person can read: `-` expected, `+` got.
fn diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {
                let _ = writeln!(out, "  {a}");
            }
            (a, b) => {
                if let Some(a) = a {
                    let _ = writeln!(out, "- {a}");
                }
                if let Some(b) = b {
                    let _ = writeln!(out, "+ {b}");
                }
            }
        }
    }
    out
}

fn run_case(case: &str, dir: &Path) -> Result<(), String> {
    let site = Site::new();
    overlay(&dir.join("files"), site.root());
    generate(case, &site);
    let started = Instant::now();
    let built = std::panic::catch_unwind(|| site.build())
        .map_err(|_| format!("{case}: the build panicked"))?;
    let took = started.elapsed();
    if took > TOO_SLOW {
        return Err(format!("{case}: the build took {took:?}"));
    }
    if built.ok {
        return Err(format!("{case}: the build succeeded, but it should fail"));
    }
    if site.path("public").exists() {
        return Err(format!("{case}: a failed build wrote public/"));
    }
    let got = describe(&built);
    let expected_path = dir.join("expected.txt");
    if std::env::var_os("INTENTIONS_BLESS").is_some() {
        std::fs::write(&expected_path, &got).expect("bless");
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("{case}: cannot read {}: {e}", expected_path.display()))?;
    if expected.trim_end() != got.trim_end() {
        return Err(format!(
            "{case}: the diagnostics differ from expected.txt (- expected, + got):\n{}",
            diff(expected.trim_end(), got.trim_end())
        ));
    }
    Ok(())
}

#[test]
fn every_bad_input_gives_its_expected_diagnostics() {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus/bad")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus lost its cases: {cases:?}");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(case, dir)| run_case(case, dir).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
