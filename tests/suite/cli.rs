//! The command line: exit codes, messages, and `new` writing files that pass `check`.

use std::process::Command;

use crate::fixture::Site;

fn intentions(site: &Site, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run intentions")
}

#[test]
fn check_exits_zero_when_clean_and_one_on_errors() {
    let site = Site::new();
    let out = intentions(&site, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site.edit(
        "content/intentions/shire-council/short-stay-beds.md",
        "organisation: shire-council",
        "organisation: nobody",
    );
    let out = intentions(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("there is no organisation `nobody`"),
        "{stderr}"
    );
    assert!(stderr.contains("short-stay-beds.md:5:15"), "{stderr}");
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn build_writes_to_the_output_folder() {
    let site = Site::new();
    let out_dir = site.path("elsewhere");
    let out = Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(&out_dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_dir.join("index.html").is_file());
}

#[test]
fn new_intention_passes_check_and_never_overwrites() {
    let site = Site::new();
    let out = intentions(
        &site,
        &[
            "new",
            "intention",
            "--organisation",
            "shire-ccg",
            "--title",
            "Expand community stroke rehabilitation",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = "content/intentions/shire-ccg/expand-community-stroke-rehabilitation.md";
    assert!(site
        .read(path)
        .contains("title: \"Expand community stroke rehabilitation\""));
    let checked = site.check();
    assert!(checked.ok, "{}", checked.rendered());
    site.edit(path, "signal: review", "signal: grow");
    let again = intentions(
        &site,
        &[
            "new",
            "intention",
            "--organisation",
            "shire-ccg",
            "--title",
            "Expand community stroke rehabilitation",
        ],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert!(
        site.read(path).contains("signal: grow"),
        "the existing file is untouched"
    );
}

#[test]
fn new_organisation_passes_check() {
    let site = Site::new();
    let out = intentions(
        &site,
        &[
            "new",
            "organisation",
            "--id",
            "shire-district",
            "--name",
            "Shire District Council",
            "--area",
            "shire",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checked = site.check();
    assert!(checked.ok, "{}", checked.rendered());
    let bad = intentions(
        &site,
        &[
            "new",
            "organisation",
            "--id",
            "x",
            "--name",
            "X",
            "--area",
            "shyre",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `shire`?"));
}

#[test]
fn help_has_examples() {
    let out = Command::new(env!("CARGO_BIN_EXE_intentions"))
        .arg("--help")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Examples:") && text.contains("intentions check"),
        "{text}"
    );
}
