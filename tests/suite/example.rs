//! The bundled example content in `content/` checks clean and builds every pinned page.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_example_checks_clean_and_builds() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = out.path().join("public");
    let outcome = intentions::build(repo(), &output);
    let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
    assert!(outcome.value.is_some(), "{text}");
    assert!(outcome.diagnostics.is_empty(), "{text}");
    for org in [
        "warwickshire-north-ccg",
        "coventry-and-rugby-ccg",
        "south-warwickshire-ccg",
        "warwickshire-county-council",
        "public-health-warwickshire",
        "lancashire-county-council",
        "somerset-county-council",
    ] {
        assert!(
            output
                .join("organisations")
                .join(org)
                .join("index.html")
                .is_file(),
            "{org}"
        );
    }
    for area in ["warwickshire", "lancashire", "somerset"] {
        assert!(
            output.join("areas").join(area).join("index.html").is_file(),
            "{area}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(output.join("data/intentions.json")).expect("json"))
            .expect("parse");
    let items = json.as_array().expect("array");
    for item in items {
        let path = item["path"].as_str().expect("path");
        let file = output.join(path.trim_start_matches('/')).join("index.html");
        assert!(file.is_file(), "{path} has no page");
    }
}

#[test]
fn table_1_priorities_are_declared_exactly() {
    let corpus = intentions::check(repo())
        .value
        .expect("bundled content is valid");
    let declared = |org: &str| corpus.organisation(org).expect(org).priorities.clone();
    let all = [
        "mortality",
        "urgent-and-emergency-care",
        "stroke",
        "frailty",
        "cardiovascular-disease",
        "end-of-life",
        "mental-health",
        "dementia",
        "long-term-conditions",
        "learning-disability",
        "children-and-maternity",
        "cancer",
        "diabetes",
        "lifestyle-management",
    ];
    let ids: Vec<&str> = corpus
        .priorities
        .iter()
        .take(14)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, all, "pinned rows in order");
    let without = |skip: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|p| !skip.contains(p))
            .map(|p| p.to_string())
            .collect()
    };
    assert_eq!(declared("warwickshire-north-ccg"), without(&[]));
    assert_eq!(
        declared("coventry-and-rugby-ccg"),
        without(&["cardiovascular-disease", "learning-disability", "cancer"])
    );
    assert_eq!(
        declared("south-warwickshire-ccg"),
        without(&["cardiovascular-disease", "cancer"])
    );
    assert_eq!(
        declared("warwickshire-county-council"),
        without(&["mortality", "cardiovascular-disease", "cancer", "diabetes"])
    );
    assert_eq!(
        declared("public-health-warwickshire"),
        without(&["end-of-life", "learning-disability"])
    );
}

/// A build writes the pages the search index does not read (market statements, browse
/// lists) and the market data as they are laid out, straight to their files: every file of
/// the bundled example is the one the site made whole in memory has.
#[test]
fn every_file_written_is_the_file_made_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("public");
    let outcome = intentions::build(repo(), &output);
    assert!(outcome.value.is_some(), "{:?}", outcome.diagnostics);
    let written = crate::fixture::snapshot(&output);
    let corpus = intentions::check(repo()).value.expect("valid");
    let made: std::collections::BTreeMap<String, Vec<u8>> =
        intentions::render_site(repo(), &corpus)
            .expect("renders")
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        made.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &written {
        assert!(made[path] == *bytes, "{path} is not as made whole");
    }
    let market = |suffix: &str| {
        written
            .keys()
            .filter(|p| p.starts_with("market/") && p.ends_with(suffix))
            .count()
    };
    assert!(written.contains_key("intentions/index.html"));
    assert!(market("/index.html") > 3 && market(".json") > 3);
}
