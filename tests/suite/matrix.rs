//! The shared priorities matrix: `/matrix/`, `/matrix.json` in the pinned shape, `/matrix.csv`,
//! and cross-references declared in `site.yaml`.

use std::path::Path;

use crate::fixture::Site;

/// The page's HTML with attribute quotes removed, to keep the expected snippets short.
fn page(site: &Site, path: &str) -> String {
    site.read(path).replace('"', "")
}

fn json(site: &Site, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(path)).expect("valid JSON")
}

#[test]
fn matrix_json_has_one_cell_per_row_and_column_in_the_pinned_shape() {
    let site = Site::new();
    assert!(site.build().ok);
    let m = json(&site, "public/matrix.json");
    let rows: Vec<&str> = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rows, ["stroke", "frailty", "dementia"]);
    assert_eq!(m["rows"][0]["name"], "Stroke");
    // Columns in `order`: the CCG (order 1) before the council (order 2).
    assert_eq!(
        m["columns"][0],
        serde_json::json!({"id": "shire-ccg", "name": "NHS Shire CCG", "area": "shire"})
    );
    assert_eq!(m["columns"][1]["id"], "shire-council");
    let cells = m["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 3 * 2);
    let cell = |row: &str, column: &str| {
        cells
            .iter()
            .find(|c| c["row"] == row && c["column"] == column)
            .unwrap_or_else(|| panic!("no cell {row} x {column}"))
            .clone()
    };
    assert_eq!(cell("stroke", "shire-ccg")["declared"], true);
    assert_eq!(
        cell("stroke", "shire-ccg")["intentions"],
        serde_json::json!(["/intentions/shire-ccg/stroke-unit/"])
    );
    assert_eq!(cell("stroke", "shire-council")["declared"], true);
    assert_eq!(
        cell("stroke", "shire-council")["intentions"],
        serde_json::json!([])
    );
    assert_eq!(cell("frailty", "shire-ccg")["declared"], false);
    assert_eq!(
        cell("frailty", "shire-council")["intentions"],
        serde_json::json!(["/intentions/shire-council/short-stay-beds/"])
    );
    assert_eq!(cell("dementia", "shire-council")["declared"], false);
}

#[test]
fn matrix_csv_has_one_row_per_cell() {
    let site = Site::new();
    assert!(site.build().ok);
    let mut csv = csv::Reader::from_path(site.path("public/matrix.csv")).expect("csv");
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows
        .iter()
        .any(|r| &r[0] == "stroke" && &r[2] == "shire-ccg" && &r[5] == "true" && &r[6] == "1"));
}

#[test]
fn matrix_page_is_an_accessible_table_with_the_findings() {
    let site = Site::new();
    assert!(site.build().ok);
    let html = page(&site, "public/matrix/index.html");
    assert!(
        html.contains("<caption id=area-shire-caption>"),
        "one table per area"
    );
    assert!(html.contains("<caption id=all-caption>"), "and one overall");
    assert!(html.contains("<th scope=row>") && html.contains("<th scope=col>"));
    assert!(
        html.contains("role=region tabindex=0"),
        "scrolls on a phone, by keyboard too"
    );
    assert!(
        html.contains("✓</span> Declared") && html.contains("–</span> Not declared"),
        "text as well as symbol"
    );
    // Stroke is declared by both: shared by all.
    assert!(html.contains("Shared by all"));
    // The council declares stroke but has no intention on it; it has one on frailty, which it
    // declares, and the CCG has none on dementia, which it declares.
    assert!(html.contains("Declared, but no intention delivers it yet"));
    // Each cell links to that organisation's intentions on the priority.
    assert!(html.contains("href=/priorities/stroke/#org-shire-ccg"));
    let stroke = page(&site, "public/priorities/stroke/index.html");
    assert!(
        stroke.contains("id=org-shire-ccg"),
        "the cell's link target exists"
    );
}

#[test]
fn intentions_on_undeclared_priorities_are_shown() {
    let site = Site::new();
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "priorities: [stroke]",
        "priorities: [stroke, frailty]",
    );
    assert!(site.build().ok);
    let html = page(&site, "public/matrix/index.html");
    assert!(html.contains("Intentions on a priority the organisation did not declare"));
    assert!(html.contains("cell--undeclared-used"));
}

#[test]
fn cross_references_declared_in_site_yaml_get_pages_and_data() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}cross_references:\n  - id: by-service\n    title: Priorities and service areas\n    rows: priorities\n    columns: service_areas\n  - id: council-themes\n    title: Council themes\n    rows: themes\n    columns: priorities\n    organisation: shire-council\n",
            crate::fixture::SITE
        ),
    );
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    let html = page(&site, "public/matrix/by-service/index.html");
    assert!(html.contains("<h1>Priorities and service areas</h1>"));
    assert!(
        html.contains("href=#cell-1-1"),
        "frailty x residential care links to its list"
    );
    assert!(html.contains("/intentions/shire-council/short-stay-beds/"));
    let data = json(&site, "public/matrix/by-service.json");
    assert_eq!(data["cells"].as_array().unwrap().len(), 3 * 2);
    let themes = page(&site, "public/matrix/council-themes/index.html");
    assert!(themes.contains("Frail elderly"));
    assert!(page(&site, "public/matrix/index.html").contains("href=/matrix/council-themes/"));
}

#[test]
fn bad_cross_references_are_errors_with_hints() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}cross_references:\n  - id: x\n    title: X\n    rows: priorites\n    columns: themes\n",
            crate::fixture::SITE
        ),
    );
    let checked = site.check();
    let (d, line, _) = checked.find("`priorites` is not a dimension");
    assert_eq!(line, 10);
    assert_eq!(d.hint.as_deref(), Some("did you mean `priorities`?"));
    checked.find("themes belong to one organisation");
}

/// Table 1 of the Warwickshire Health and Wellbeing Board report (20 November 2013): which
/// of the five agencies declares each key commissioning priority.
#[test]
fn bundled_matrix_json_equals_table_1_cell_for_cell() {
    let out = tempfile::tempdir().expect("temp dir");
    let outcome = intentions::build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &out.path().join("public"),
    );
    assert!(outcome.value.is_some());
    let m: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.path().join("public/matrix.json")).expect("read"),
    )
    .expect("json");
    let columns = [
        "warwickshire-north-ccg",
        "coventry-and-rugby-ccg",
        "south-warwickshire-ccg",
        "warwickshire-county-council",
        "public-health-warwickshire",
    ];
    let table_1: [(&str, [bool; 5]); 14] = [
        ("mortality", [true, true, true, false, true]),
        ("urgent-and-emergency-care", [true; 5]),
        ("stroke", [true; 5]),
        ("frailty", [true; 5]),
        ("cardiovascular-disease", [true, false, false, false, true]),
        ("end-of-life", [true, true, true, true, false]),
        ("mental-health", [true; 5]),
        ("dementia", [true; 5]),
        ("long-term-conditions", [true; 5]),
        ("learning-disability", [true, false, true, true, false]),
        ("children-and-maternity", [true; 5]),
        ("cancer", [true, false, false, false, true]),
        ("diabetes", [true, true, true, false, true]),
        ("lifestyle-management", [true; 5]),
    ];
    let rows: Vec<&str> = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(&rows[..14], table_1.map(|(id, _)| id));
    let cells = m["cells"].as_array().unwrap();
    assert_eq!(
        cells.len(),
        m["rows"].as_array().unwrap().len() * m["columns"].as_array().unwrap().len()
    );
    for (row, declared) in table_1 {
        for (column, want) in columns.iter().zip(declared) {
            let cell = cells
                .iter()
                .find(|c| c["row"] == row && c["column"] == *column)
                .expect("cell");
            assert_eq!(cell["declared"], want, "{row} x {column}");
            for path in cell["intentions"].as_array().unwrap() {
                let path = path.as_str().unwrap();
                assert!(
                    out.path()
                        .join("public")
                        .join(path.trim_start_matches('/'))
                        .join("index.html")
                        .is_file(),
                    "{path}"
                );
            }
        }
    }
}
