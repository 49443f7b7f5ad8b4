//! `check --format human|json|github` and `--deny-warnings` on `check` and `build`: the
//! shapes CI systems and editor plugins read, warnings kept apart from errors, and the exit
//! codes.

use std::process::{Command, Output};

use crate::fixture::Site;

fn intentions(site: &Site, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run intentions")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The fixture with one error added to its warnings.
fn broken(site: &Site) {
    site.edit(
        "content/intentions/shire-council/short-stay-beds.md",
        "organisation: shire-council",
        "organisation: nobody",
    );
}

#[test]
fn human_format_has_the_snippet_and_a_summary_line() {
    let site = Site::new();
    let out = intentions(&site, &["check"]);
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: `shire-ccg/stroke-unit` has no measurable target"),
        "{stderr}"
    );
    assert!(stderr.contains("stroke-unit.md:2:1"), "{stderr}");
    assert!(stderr.contains("0 errors, 6 warnings"), "{stderr}");
    assert!(text(&out.stdout).is_empty());
    broken(&site);
    let out = intentions(&site, &["check", "--format", "human"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error: there is no organisation `nobody`"));
    assert!(text(&out.stderr).contains("1 error, "));
}

#[test]
fn json_format_is_one_stable_document_on_standard_output() {
    let site = Site::new();
    broken(&site);
    let out = intentions(&site, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["version"], 1);
    assert_eq!(json["errors"], 1);
    let all = json["diagnostics"].as_array().expect("diagnostics");
    let error = all
        .iter()
        .find(|d| d["level"] == "error")
        .expect("an error");
    assert_eq!(error["message"], "there is no organisation `nobody`");
    assert_eq!(
        error["file"],
        "content/intentions/shire-council/short-stay-beds.md"
    );
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(5), Some(15))
    );
    assert_eq!(
        (error["end_line"].as_u64(), error["end_column"].as_u64()),
        (Some(5), Some(21))
    );
    assert!(error["code"].is_null());
    assert!(error["hint"].as_str().is_some());
    let keys: Vec<&String> = error.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "code",
            "column",
            "end_column",
            "end_line",
            "file",
            "hint",
            "label",
            "level",
            "line",
            "message"
        ]
    );

    // Without the error, the lints' warnings remain, each with its id.
    let site = Site::new();
    let out = intentions(&site, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 6);
    let warning = &json["diagnostics"][0];
    assert_eq!(warning["level"], "warning");
    assert!(warning["code"].as_str().is_some(), "{warning}");
}

#[test]
fn github_format_writes_workflow_commands() {
    let site = Site::new();
    broken(&site);
    let out = intentions(&site, &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{stdout}"
    );
    assert!(
        lines.contains(&"::error file=content/intentions/shire-council/short-stay-beds.md,line=5,col=15,endLine=5,endColumn=21,title=intentions error::there is no organisation `nobody`%0Ahelp: valid organisations are `shire-ccg`, `shire-council`"),
        "{stdout}"
    );
    // Lints run on a valid corpus: without the error, their warnings are annotated.
    let site = Site::new();
    let out = intentions(&site, &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=content/intentions/shire-ccg/stroke-unit.md,line=2,col=1,"
        ) && l.contains("title=intentions warning [no-target]::")),
        "{stdout}"
    );
}

#[test]
fn deny_warnings_fails_check_and_build_on_warnings_alone() {
    let site = Site::new();
    let out = intentions(&site, &["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--deny-warnings"),
        "{}",
        text(&out.stderr)
    );
    let out = intentions(&site, &["build", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !site.path("public").exists(),
        "a build failed by warnings writes nothing"
    );
    let out = intentions(&site, &["build"]);
    assert_eq!(out.status.code(), Some(0));

    // Once every warning is dealt with, --deny-warnings passes.
    site.edit(
        "content/site.yaml",
        "navigation:",
        "lints:\n  no-target: allow\n  no-rationale: allow\n  no-date: allow\n  unreciprocated-partner: allow\n  priority-without-intention: allow\nnavigation:",
    );
    let out = intentions(&site, &["check", "--deny-warnings", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = intentions(&site, &["build", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
