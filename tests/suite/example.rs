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
