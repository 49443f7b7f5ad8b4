//! Valid but awkward content builds: byte-order marks, CRLF, tabs, Welsh and accented names,
//! very long titles, and an organisation with no intentions.

use crate::fixture::{Site, COUNCIL, PRIORITIES, SERVICE_AREAS, SITE, STROKE};

const STROKE_FILE: &str = "content/intentions/shire-ccg/stroke-unit.md";
const STROKE_PAGE: &str = "public/intentions/shire-ccg/stroke-unit/index.html";

fn assert_builds(site: &Site) {
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
}

#[test]
fn byte_order_marks_on_yaml_files_and_front_matter() {
    let site = Site::new();
    site.write("content/site.yaml", &format!("\u{feff}{SITE}"));
    site.write(
        "content/taxonomies/priorities.yaml",
        &format!("\u{feff}{PRIORITIES}"),
    );
    site.write(
        "content/organisations/shire-council.md",
        &format!("\u{feff}{COUNCIL}"),
    );
    assert_builds(&site);
    assert!(site.read("public/index.html").contains("Test intentions"));
}

#[test]
fn crlf_everywhere_and_errors_still_point_at_the_right_line() {
    let site = Site::new();
    site.write("content/site.yaml", &SITE.replace('\n', "\r\n"));
    site.write(
        "content/taxonomies/service-areas.yaml",
        &SERVICE_AREAS.replace('\n', "\r\n"),
    );
    site.write(STROKE_FILE, &STROKE.replace('\n', "\r\n"));
    assert_builds(&site);
    site.write(
        STROKE_FILE,
        &STROKE
            .replace("priorities: [stroke]", "priorities: [strok]")
            .replace('\n', "\r\n"),
    );
    let checked = site.check();
    let (_, line, column) = checked.find("there is no priority `strok`");
    assert_eq!((line, column), (4, 14));
}

#[test]
fn tabs_in_values_and_bodies() {
    let site = Site::new();
    site.write(
        STROKE_FILE,
        &STROKE
            .replace(
                "title: Centralise stroke care",
                "title: \"Centralise\tstroke care\"",
            )
            .replace(
                "Body.",
                "Body.\n\n\tindented code\n\n-\tlist item\twith tabs\n",
            ),
    );
    assert_builds(&site);
    let html = site.read(STROKE_PAGE);
    assert!(html.contains("indented code"), "{html}");
    assert!(html.contains("list item"), "{html}");
}

#[test]
fn welsh_and_accented_names() {
    let site = Site::new();
    site.write(
        "content/organisations/ynys-mon.md",
        "---
id: ynys-mon
name: Cyngor Sir Ynys Môn
short_name: Ynys Môn
kind: local-authority
area: shire
plan:
  title: Bwriadau Comisiynu / Commissioning Intentions
  period: 2014/15
  published: 2013-10
  status: approved
themes:
  - id: gofal
    name: Gofal cymdeithasol — Social care
---
Mae’r cyngor yn comisiynu gofal. Crème brûlée, naïve, Ærø, Zürich, Łódź, São Paulo.
",
    );
    site.write(
        "content/intentions/ynys-mon/gofal-cartref.md",
        "---
title: Gwasanaethau gofal cartref yn Llanfair\u{ad}pwllgwyngyll
organisation: ynys-mon
theme: gofal
priorities: [frailty]
signal: grow
outcomes:
  - Pobl hŷn yn cael cymorth yn nes at adref.
---
Cydweithio â’r bwrdd iechyd — «gofal» ‘integredig’.
",
    );
    assert_builds(&site);
    let org = site.read("public/organisations/ynys-mon/index.html");
    assert!(org.contains("Cyngor Sir Ynys Môn"), "{org}");
    assert!(
        org.contains("Crème brûlée, naïve, Ærø, Zürich, Łódź"),
        "{org}"
    );
    let page = site.read("public/intentions/ynys-mon/gofal-cartref/index.html");
    assert!(page.contains("Pobl hŷn"), "{page}");
    assert!(page.contains("«gofal»"), "{page}");
    let json = site.read("public/data/intentions.json");
    assert!(json.contains("Cyngor Sir Ynys Môn") || json.contains("ynys-mon"));
}

#[test]
fn a_very_long_title() {
    let site = Site::new();
    let title = "Reshape intermediate care so that ".to_string()
        + &"people leave hospital sooner and return home safely, ".repeat(40);
    let title = title.trim_end_matches([',', ' ']).to_string();
    site.edit(
        STROKE_FILE,
        "title: Centralise stroke care",
        &format!("title: {title}"),
    );
    assert_builds(&site);
    let html = site.read(STROKE_PAGE);
    assert!(html.contains(&title[..200]), "the title is shown");
    assert!(site.read("public/feed.xml").contains(&title[..200]));
}

#[test]
fn an_organisation_with_no_intentions() {
    let site = Site::new();
    site.write(
        "content/organisations/quiet-ccg.md",
        "---
id: quiet-ccg
name: NHS Quiet CCG
kind: ccg
area: shire
plan:
  title: Nothing to commission yet
  period: 2014/15
  published: 2013-11
  status: draft
---
",
    );
    assert_builds(&site);
    let html = site.read("public/organisations/quiet-ccg/index.html");
    assert!(html.contains("NHS Quiet CCG"), "{html}");
    let matrix = site.read("public/matrix.json");
    assert!(matrix.contains("quiet-ccg"), "it is a column of the matrix");
}
