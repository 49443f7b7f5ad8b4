//! Faults around the output folder: a failed build changes nothing, an unwritable output is a
//! clear error and no half site (a full disk too), two builds at once leave one whole site, and the output may
//! not overlap the content.

use std::collections::BTreeMap;
use std::path::Path;

use crate::fixture::{snapshot, Site};

/// Names of the entries of `dir` (to find staging folders left behind).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The first path where two snapshots differ.
fn first_difference(
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    a.keys()
        .chain(b.keys())
        .find(|k| a.get(*k) != b.get(*k))
        .cloned()
}

#[test]
fn a_failed_build_leaves_every_file_byte_for_byte() {
    let site = Site::new();
    assert!(site.build().ok);
    let public = site.path("public");
    let before = snapshot(&public);
    // Fails in validation.
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: recommission",
        "signal: nonsense",
    );
    assert!(!site.build().ok);
    assert_eq!(first_difference(&before, &snapshot(&public)), None);
    // Fails later, while rendering with a broken template override.
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: nonsense",
        "signal: recommission",
    );
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.nothing_here }}{% endblock content %}",
    );
    assert!(!site.build().ok);
    assert_eq!(first_difference(&before, &snapshot(&public)), None);
    let leftovers: Vec<String> = entries(site.root())
        .into_iter()
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn an_output_folder_that_cannot_be_created_is_a_clear_error_and_no_half_site() {
    let site = Site::new();
    // A file where the output's parent folder should be: refused even to root, who ignores
    // permissions.
    site.write("blocker", "not a folder");
    let output = site.path("blocker/public");
    let outcome = intentions::build(site.root(), &output);
    assert!(outcome.value.is_none());
    let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
    assert!(text.contains("could not create the folder"), "{text}");
    assert!(text.contains("blocker"), "names the folder: {text}");
    assert!(text.contains("the previous site is unchanged"), "{text}");
    assert_eq!(site.read("blocker"), "not a folder");
}

/// A full disk, without filling one: the build runs under a file-size limit (`ulimit -f`) with
/// SIGXFSZ ignored, so the first write past the limit fails with "File too large", as a write
/// to a full disk fails with "No space left on device". Both reach the same error path.
#[cfg(target_os = "linux")]
#[test]
fn a_write_that_fails_midway_is_a_clear_error_and_keeps_the_old_site() {
    let site = Site::new();
    let public = site.path("public");
    assert!(site.build().ok);
    let before = snapshot(&public);
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "title: Centralise stroke care",
        "title: Centralise stroke care in one unit",
    );
    // 16 blocks of 512 bytes: the small pages fit, the bigger data files do not.
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 16; exec \"$0\" build --root \"$1\" --output \"$2\"")
        .arg(env!("CARGO_BIN_EXE_intentions"))
        .arg(site.root())
        .arg(&public)
        .output()
        .expect("run intentions under a file-size limit");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the build should fail: {stderr}");
    assert!(stderr.contains("could not write"), "{stderr}");
    assert!(
        stderr.contains("the previous site is unchanged"),
        "{stderr}"
    );
    assert_eq!(first_difference(&before, &snapshot(&public)), None);
    let leftovers: Vec<String> = entries(site.root())
        .into_iter()
        .filter(|name| name.contains(".building-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_read_only_parent_folder_is_a_clear_error_and_keeps_the_old_site() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    let parent = site.path("out");
    std::fs::create_dir_all(&parent).expect("mkdir");
    let public = parent.join("public");
    assert!(intentions::build(site.root(), &public).value.is_some());
    let before = snapshot(&public);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root ignores permissions: find out instead of assuming, and skip only the part that
    // needs them (the test above covers an uncreatable folder for everyone).
    let probe = parent.join(".probe");
    let ignores_permissions = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    if !ignores_permissions {
        let outcome = intentions::build(site.root(), &public);
        assert!(
            outcome.value.is_none(),
            "a read-only folder cannot take a new site"
        );
        let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
        assert!(text.contains("could not"), "{text}");
        assert_eq!(first_difference(&before, &snapshot(&public)), None);
    }
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn two_builds_at_once_leave_one_whole_site() {
    let site = Site::new();
    let reference_dir = tempfile::tempdir().expect("temp dir");
    let reference = reference_dir.path().join("public");
    assert!(intentions::build(site.root(), &reference).value.is_some());
    let clean = snapshot(&reference);
    let public = site.path("public");
    for round in 0..8 {
        let builds: Vec<_> = (0..2)
            .map(|_| {
                let root = site.root().to_path_buf();
                let public = public.clone();
                std::thread::spawn(move || intentions::build(&root, &public).value.is_some())
            })
            .collect();
        for build in builds {
            assert!(
                build.join().expect("no panic"),
                "round {round}: a build failed"
            );
        }
        assert_eq!(
            first_difference(&clean, &snapshot(&public)),
            None,
            "round {round}"
        );
        let leftovers: Vec<String> = entries(site.root())
            .into_iter()
            .filter(|n| n.starts_with(".public."))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

#[test]
fn two_build_processes_at_once_leave_one_whole_site() {
    let site = Site::new();
    let reference_dir = tempfile::tempdir().expect("temp dir");
    let reference = reference_dir.path().join("public");
    assert!(intentions::build(site.root(), &reference).value.is_some());
    let clean = snapshot(&reference);
    for round in 0..3 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_intentions"))
                    .args(["build", "--root"])
                    .arg(site.root())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("start a build")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(
            first_difference(&clean, &snapshot(&site.path("public"))),
            None,
            "round {round}"
        );
    }
}

#[test]
fn output_overlapping_content_is_refused_every_way_round() {
    let site = Site::new();
    for output in [
        site.path("content"),
        site.path("content/intentions/public"),
        site.path("public/../content/out"),
        site.root().to_path_buf(),
    ] {
        let outcome = intentions::build(site.root(), &output);
        assert!(outcome.value.is_none(), "{}", output.display());
        assert!(
            outcome
                .diagnostics
                .iter()
                .any(|d| d.message.contains("overlaps the content folder")),
            "{}: {:#?}",
            output.display(),
            outcome.diagnostics
        );
    }
    assert!(!site.path("content/intentions/public").exists());
    assert!(!site.path("content/out").exists());
}
