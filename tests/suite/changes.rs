//! What changed: `build --changes-since` against a git revision and against a folder
//! publishes `/changes/` and `/changes.json` listing the intentions added, removed and
//! changed per organisation; without it neither is published.

use std::path::Path;
use std::process::Command;

use intentions::BuildOptions;

use crate::fixture::Site;

const STROKE: &str = "content/intentions/shire-ccg/stroke-unit.md";
const BEDS: &str = "content/intentions/shire-council/short-stay-beds.md";

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes the second edition: one intention added, one removed, one changed.
fn edit_to_second_edition(site: &Site) {
    site.write(
        "content/intentions/shire-ccg/memory-clinic.md",
        "---\ntitle: Open a memory clinic\norganisation: shire-ccg\npriorities: [dementia]\nsignal: new\n---\nA clinic.\n",
    );
    std::fs::remove_file(site.path(STROKE)).expect("remove");
    site.edit(BEDS, "related: [shire-ccg/stroke-unit]\n", "");
    site.edit(BEDS, "signal: grow", "signal: reduce");
    site.edit(
        BEDS,
        "priorities: [frailty]",
        "priorities: [frailty, stroke]",
    );
}

fn build_since(site: &Site, since: &str) -> serde_json::Value {
    let options = BuildOptions {
        changes_since: Some(since.to_string()),
        ..BuildOptions::default()
    };
    let outcome = intentions::build_with(site.root(), &site.path("public"), &options);
    let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
    assert!(outcome.value.is_some(), "{text}");
    serde_json::from_str(&site.read("public/changes.json")).expect("changes.json parses")
}

fn assert_second_edition_changes(site: &Site, json: &serde_json::Value) {
    assert_eq!(json["added"], 1, "{json:#}");
    assert_eq!(json["removed"], 1, "{json:#}");
    assert_eq!(json["changed"], 1, "{json:#}");
    let orgs = json["organisations"].as_array().expect("organisations");
    let ccg = orgs.iter().find(|o| o["id"] == "shire-ccg").expect("ccg");
    assert_eq!(ccg["added"][0]["id"], "shire-ccg/memory-clinic");
    assert_eq!(
        ccg["added"][0]["path"],
        "/intentions/shire-ccg/memory-clinic/"
    );
    assert_eq!(ccg["removed"][0]["id"], "shire-ccg/stroke-unit");
    assert_eq!(ccg["removed"][0]["title"], "Centralise stroke care");
    let council = orgs
        .iter()
        .find(|o| o["id"] == "shire-council")
        .expect("council");
    let changed = &council["changed"][0];
    assert_eq!(changed["id"], "shire-council/short-stay-beds");
    let fields: Vec<&str> = changed["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["signal", "priorities", "related"], "{changed:#}");
    let summaries: Vec<&str> = changed["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["summary"].as_str())
        .collect();
    assert!(
        summaries.contains(&"Direction changed from “Grow” to “Reduce”"),
        "{summaries:?}"
    );
    assert!(
        summaries.contains(&"Shared priorities: added “Stroke”"),
        "{summaries:?}"
    );

    let page = site.read("public/changes/index.html").replace('"', "");
    assert!(page.contains("<h1>What changed</h1>"), "{page}");
    assert!(
        page.contains("href=/intentions/shire-ccg/memory-clinic/>Open a memory clinic</a>"),
        "{page}"
    );
    assert!(page.contains("Centralise stroke care"), "{page}");
    assert!(
        page.contains("Direction changed from “Grow” to “Reduce”"),
        "{page}"
    );
    assert!(
        page.contains("1 intention added, 1 removed, 1 changed"),
        "{page}"
    );
}

#[test]
fn changes_since_a_git_revision() {
    let site = Site::new();
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "content"]);
    git(site.root(), &["commit", "-q", "-m", "first edition"]);
    edit_to_second_edition(&site);
    git(site.root(), &["add", "-A", "content"]);
    git(site.root(), &["commit", "-q", "-m", "second edition"]);
    let json = build_since(&site, "HEAD~1");
    assert_eq!(json["since"], "HEAD~1");
    assert_second_edition_changes(&site, &json);

    // Against the same revision nothing changed, and the page says so.
    let json = build_since(&site, "HEAD");
    assert_eq!(json["organisations"].as_array().map(Vec::len), Some(0));
    let page = site.read("public/changes/index.html");
    assert!(
        page.contains("No intention was added, removed or changed."),
        "{page}"
    );
}

#[test]
fn changes_since_a_folder() {
    let previous = Site::new();
    let site = Site::new();
    edit_to_second_edition(&site);
    let json = build_since(&site, &previous.root().display().to_string());
    assert_second_edition_changes(&site, &json);
}

#[test]
fn without_the_option_no_changes_are_published_and_a_bad_edition_fails_the_build() {
    let site = Site::new();
    let built = site.build();
    assert!(built.ok);
    assert!(!site.path("public/changes/index.html").exists());
    assert!(!site.path("public/changes.json").exists());

    let options = BuildOptions {
        changes_since: Some("no-such-revision".into()),
        ..BuildOptions::default()
    };
    let outcome = intentions::build_with(site.root(), &site.path("other"), &options);
    assert!(outcome.value.is_none());
    assert!(
        !site.path("other").exists(),
        "a failed build writes nothing"
    );
    let message = &outcome.diagnostics.last().expect("an error").message;
    assert!(
        message.contains("git revision `no-such-revision`"),
        "{message}"
    );
}

#[test]
fn the_command_line_takes_changes_since() {
    let previous = Site::new();
    let site = Site::new();
    edit_to_second_edition(&site);
    let out = Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--changes-since")
        .arg(previous.root())
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path("public/changes/index.html").is_file());
}
