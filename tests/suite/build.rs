//! A valid site builds every pinned page and data file, with fields shown for people.

use crate::fixture::Site;

#[test]
fn writes_every_pinned_page_and_data_file() {
    let site = Site::new();
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    for page in [
        "public/index.html",
        "public/404.html",
        "public/organisations/index.html",
        "public/organisations/shire-council/index.html",
        "public/organisations/shire-ccg/index.html",
        "public/intentions/shire-council/short-stay-beds/index.html",
        "public/intentions/shire-ccg/stroke-unit/index.html",
        "public/priorities/stroke/index.html",
        "public/priorities/frailty/index.html",
        "public/priorities/dementia/index.html",
        "public/areas/shire/index.html",
        "public/data/intentions.json",
        "public/data/intentions.csv",
        "public/style.css",
    ] {
        assert!(site.path(page).is_file(), "{page} was not written");
    }
}

#[test]
fn intention_page_shows_every_field_for_people() {
    let site = Site::new();
    assert!(site.build().ok);
    let html = site.read("public/intentions/shire-council/short-stay-beds/index.html");
    for expected in [
        "<h1>Commission at least 21 short-stay beds</h1>",
        "Intention 4.2",
        "Shire County Council",
        "NHS Shire CCG",                   // partner
        "Frail elderly",                   // theme
        "Frailty",                         // priority
        "Residential care",                // service area
        ">Grow<",                          // signal, in words
        "2014/15",                         // period from the plan
        "£10 million",                     // money
        "on 230 out-of-county placements", // budget note
        "Short-stay beds: 21 beds, going up, by March 2015.",
        "1 April 2014", // milestone date
        "Specification agreed",
        "Open tender",
        "September 2014", // procurement date
        "People leave hospital sooner.",
        "The number of people aged 85+ will double.",
        "ASCOF 2B",
        "Too few bids.",
        "Centralise stroke care",      // related intention
        "<caption>Why beds</caption>", // Markdown table made accessible
    ] {
        assert!(html.contains(expected), "intention page lacks {expected:?}");
    }
    assert_eq!(html.matches("<h1").count(), 1, "one h1 per page");
}

#[test]
fn organisation_page_groups_intentions_by_theme_and_lists_joint_work() {
    let site = Site::new();
    assert!(site.build().ok);
    let council = site.read("public/organisations/shire-council/index.html");
    assert!(council.contains("Frail elderly"));
    assert!(council.contains("/intentions/shire-council/short-stay-beds/"));
    assert!(council.contains("1 October 2013"));
    assert!(council.contains("mailto:care@shire.example"));
    let ccg = site.read("public/organisations/shire-ccg/index.html");
    // The CCG is a partner in the council's intention.
    assert!(ccg.contains("Commissioned jointly with others"));
    assert!(ccg.contains("/intentions/shire-council/short-stay-beds/"));
    assert!(ccg.contains("2014/15 to 2016/17"));
}

#[test]
fn priority_page_shows_who_shares_it() {
    let site = Site::new();
    assert!(site.build().ok);
    let stroke = site.read("public/priorities/stroke/index.html");
    assert!(stroke.contains("Shire CC") && stroke.contains("Shire CCG"));
    assert!(stroke.contains("/intentions/shire-ccg/stroke-unit/"));
    // Frailty has an intention from the council only.
    let frailty = site.read("public/priorities/frailty/index.html");
    assert!(frailty.contains("/intentions/shire-council/short-stay-beds/"));
    assert!(!frailty.contains("/intentions/shire-ccg/stroke-unit/"));
}

#[test]
fn open_data_has_the_pinned_shape() {
    let site = Site::new();
    assert!(site.build().ok);
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/intentions.json")).expect("valid JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    let beds = items
        .iter()
        .find(|i| i["path"] == "/intentions/shire-council/short-stay-beds/")
        .expect("beds intention");
    assert_eq!(beds["title"], "Commission at least 21 short-stay beds");
    assert_eq!(beds["organisation"], "shire-council");
    assert_eq!(beds["partners"], serde_json::json!(["shire-ccg"]));
    assert_eq!(beds["theme"], "frail-elderly");
    assert_eq!(beds["priorities"], serde_json::json!(["frailty"]));
    assert_eq!(
        beds["service_areas"],
        serde_json::json!(["residential-care"])
    );
    assert_eq!(beds["signal"], "grow");
    assert_eq!(beds["budget"]["amount"], 10_000_000.0);
    assert_eq!(beds["targets"][0]["by"], "2015-03");

    let mut csv = csv::Reader::from_path(site.path("public/data/intentions.csv")).expect("csv");
    let headers = csv.headers().expect("headers").clone();
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let beds = rows
        .iter()
        .find(|r| &r[col("id")] == "shire-council/short-stay-beds")
        .expect("row");
    assert_eq!(&beds[col("signal")], "grow");
    assert_eq!(&beds[col("budget_amount")], "10000000");
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = Site::new();
    assert!(site.build().ok);
    let before = site.read("public/intentions/shire-council/short-stay-beds/index.html");
    site.edit(
        "content/intentions/shire-council/short-stay-beds.md",
        "signal: grow",
        "signal: grwo",
    );
    let failed = site.build();
    assert!(!failed.ok);
    assert_eq!(
        site.read("public/intentions/shire-council/short-stay-beds/index.html"),
        before
    );
    // No staging folder is left behind.
    assert_eq!(left_beside_the_output(&site), Vec::<String>::new());
}

/// The folders a build left beside `public/` (its staging folder, the previous output).
fn left_beside_the_output(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect()
}

#[test]
fn a_rebuild_replaces_pages_that_no_longer_exist() {
    let site = Site::new();
    assert!(site.build().ok);
    std::fs::remove_file(site.path("content/intentions/shire-ccg/stroke-unit.md")).expect("rm");
    site.edit(
        "content/intentions/shire-council/short-stay-beds.md",
        "related: [shire-ccg/stroke-unit]\n",
        "",
    );
    assert!(site.build().ok);
    assert!(!site
        .path("public/intentions/shire-ccg/stroke-unit/index.html")
        .exists());
    // The previous output is gone, not left beside the new one.
    assert_eq!(left_beside_the_output(&site), Vec::<String>::new());
}

#[test]
fn raw_html_in_markdown_is_sanitised() {
    let site = Site::new();
    site.write(
        "content/intentions/shire-ccg/stroke-unit.md",
        &format!(
            "{}<script>alert(1)</script><a href=\"javascript:alert(2)\" onclick=\"x()\">link</a><iframe src=\"https://evil.example\"></iframe>\n",
            crate::fixture::STROKE
        ),
    );
    assert!(site.build().ok);
    let html = site.read("public/intentions/shire-ccg/stroke-unit/index.html");
    assert!(!html.contains("alert("), "{html}");
    assert!(!html.contains("onclick"));
    assert!(!html.contains("<iframe"));
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let site = Site::new();
    let crlf = format!("\u{feff}{}", crate::fixture::STROKE.replace('\n', "\r\n"));
    site.write("content/intentions/shire-ccg/stroke-unit.md", &crlf);
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    assert!(site
        .read("public/intentions/shire-ccg/stroke-unit/index.html")
        .contains("Centralise stroke care"));
}

#[test]
fn a_theme_template_can_be_overridden_by_name() {
    let site = Site::new();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Nothing here, sorry</h1>{% endblock content %}",
    );
    assert!(site.build().ok);
    assert!(site.read("public/404.html").contains("Nothing here, sorry"));
    // Other templates still come from the built-in theme.
    assert!(site
        .read("public/index.html")
        .contains("Skip to main content"));
}

#[test]
fn a_broken_template_is_reported_by_name() {
    let site = Site::new();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ oops(}}{% endblock content %}",
    );
    let built = site.build();
    assert!(!built.ok);
    let (d, _, _) = built.find("template `404.html`");
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new("themes/default/templates/404.html"))
    );
}

#[test]
fn output_inside_content_is_refused() {
    let site = Site::new();
    let outcome = intentions::build(site.root(), &site.path("content/public"));
    assert!(outcome.value.is_none());
    assert!(outcome
        .diagnostics
        .iter()
        .any(|d| d.message.contains("overlaps the content folder")));
    assert!(!site.path("content/public").exists());
}

#[test]
fn brand_name_and_colour_from_site_yaml_reach_the_header() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}brand:\n  name: Shire Health and Wellbeing Board\n  colour: \"#005a30\"\n",
            crate::fixture::SITE
        ),
    );
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    let html = site.read("public/index.html");
    assert!(html.contains("Shire Health and Wellbeing Board"));
    assert!(
        html.contains("background-color: #005a30") || html.contains("background-color:#005a30"),
        "{html}"
    );
}
