//! The market position statement: `/market/`, its area filters, a page and a JSON file per
//! service area, with direction counts, target sums, money, dates and contacts.

use serde_json::Value;

use crate::fixture::Site;

/// An intention file with these service areas, signal and extra front matter lines.
fn intention(organisation: &str, title: &str, areas: &str, signal: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\norganisation: {organisation}\nservice_areas: [{areas}]\nsignal: {signal}\n{extra}---\nBody.\n"
    )
}

/// The fixture site plus intentions spread over both service areas.
fn market_site() -> Site {
    let site = Site::new();
    site.write(
        "content/intentions/shire-ccg/fewer-care-home-beds.md",
        &intention(
            "shire-ccg",
            "Fewer care home beds",
            "residential-care",
            "reduce",
            "summary: Fewer long-stay beds.\nrationale:\n  - Fewer people want a care home.\ntargets:\n  - measure: Extra beds\n    value: 4\n    unit: \" beds \"\n    direction: increase\n  - measure: Places\n    value: 10\n    unit: places\n  - measure: Admissions\n    value: 20\n    unit: \"%\"\n    direction: decrease\nbudget:\n  amount: 250000\n  kind: saving\n  period: 2014/15\n  note: from fewer placements\nprocurement:\n  route: Framework\n  expected: 2014-06\n",
        ),
    );
    site.write(
        "content/intentions/shire-council/new-care-model.md",
        &intention(
            "shire-council",
            "A new model of care at home",
            "residential-care, home-care",
            "new",
            "procurement:\n  route: Competitive dialogue\n",
        ),
    );
    site.write(
        "content/intentions/shire-council/more-home-care.md",
        &intention(
            "shire-council",
            "More home care hours",
            "home-care",
            "grow",
            "targets:\n  - measure: Home care hours\n    value: 1000\n    unit: hours\n",
        ),
    );
    site
}

fn build(site: &Site) {
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
}

fn json(site: &Site, relative: &str) -> Value {
    serde_json::from_str(&site.read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The `<main>` element of a page, so that header and footer links do not count.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.rfind("</main>").expect("main closes");
    &html[start..end]
}

/// Every opening tag of this element, e.g. `<th class=num scope=col>` for `th`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .map(|(i, _)| &html[i..])
        .filter(|rest| matches!(rest.as_bytes().get(open.len()), Some(b' ' | b'>')))
        .map(|rest| &rest[..rest.find('>').map_or(rest.len(), |e| e + 1)])
        .collect()
}

/// Where the link marked `aria-current` points.
fn current_filter(main: &str) -> String {
    let current: Vec<&str> = tags(main, "a")
        .into_iter()
        .filter(|a| a.contains("aria-current"))
        .collect();
    assert_eq!(current.len(), 1, "exactly one current link: {current:?}");
    let href = current[0]
        .split_whitespace()
        .find_map(|attr| attr.strip_prefix("href="))
        .unwrap_or("");
    href.trim_end_matches('>').trim_matches('"').to_string()
}

#[test]
fn writes_the_overview_a_page_and_data_per_service_area_in_use_and_area_filters() {
    let site = Site::new();
    build(&site);
    for file in [
        "public/market/index.html",
        "public/market/residential-care/index.html",
        "public/market/residential-care.json",
        "public/market/in/shire/index.html",
    ] {
        assert!(site.path(file).is_file(), "{file} was not written");
    }
    // No intention uses home care and it has no narrative: no page.
    assert!(!site.path("public/market/home-care/index.html").exists());
}

#[test]
fn counts_each_signal_per_service_area_and_per_commissioner() {
    let site = market_site();
    build(&site);
    let data = json(&site, "public/market/residential-care.json");
    assert_eq!(data["intention_count"], 3);
    let signals = &data["signals"];
    assert_eq!(
        (
            &signals["grow"],
            &signals["reduce"],
            &signals["new"],
            &signals["decommission"]
        ),
        (
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(0)
        )
    );
    let commissioners = data["commissioners"].as_array().expect("commissioners");
    let ids: Vec<&str> = commissioners
        .iter()
        .map(|c| c["id"].as_str().unwrap_or(""))
        .collect();
    // Corpus order: the CCG comes first (order 1). It leads one and partners in the beds.
    assert_eq!(ids, ["shire-ccg", "shire-council"]);
    assert_eq!(commissioners[0]["led"], 1);
    assert_eq!(commissioners[0]["joint"], 1);
    assert_eq!(commissioners[0]["signals"]["grow"], 1);
    assert_eq!(commissioners[0]["signals"]["reduce"], 1);
    assert_eq!(commissioners[1]["signals"]["grow"], 1);
    assert_eq!(commissioners[1]["signals"]["new"], 1);

    let overview = site.read("public/market/index.html");
    assert!(overview.contains("3 intentions: 1 grow, 1 reduce, 1 new"));
    assert!(overview.contains("2 intentions: 1 grow, 1 new"));
    let page = site.read("public/market/residential-care/index.html");
    assert!(page.contains("Leads 1 intention and commissions 1 jointly, led by others."));
    assert!(page.contains("Fewer people want a care home."), "the why");
}

#[test]
fn adds_targets_up_only_where_units_agree() {
    let site = market_site();
    build(&site);
    let data = json(&site, "public/market/residential-care.json");
    let sums = data["target_sums"]["sums"].as_array().expect("sums");
    let texts: Vec<&str> = sums
        .iter()
        .map(|s| s["text"].as_str().unwrap_or(""))
        .collect();
    // 21 beds + 4 Beds (same unit, same direction); places kept apart; % not added.
    assert_eq!(
        texts,
        ["25 beds, going up (2 targets)", "10 places (1 target)"]
    );
    assert_eq!(sums[0]["total"], 25.0);
    assert_eq!(data["target_sums"]["not_added"], 1);
    assert_eq!(data["targets"].as_array().map(Vec::len), Some(4));
    // Home care: hours are a length of time, never added.
    let home = json(&site, "public/market/home-care.json");
    assert_eq!(
        home["target_sums"]["sums"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(home["target_sums"]["not_added"], 1);

    let page = site.read("public/market/residential-care/index.html");
    assert!(page.contains("25 beds, going up (2 targets)"));
    assert!(page.contains("March 2015"), "target date shown for people");
    let overview = site.read("public/market/index.html");
    assert!(overview.contains("25 beds, going up (2 targets)"));
    assert!(!overview.contains("1,000 hours ("), "hours are not summed");
}

#[test]
fn shows_the_next_procurement_money_and_a_timeline() {
    let site = market_site();
    build(&site);
    let data = json(&site, "public/market/residential-care.json");
    // June 2014 (fewer beds) comes before September 2014 (the fixture's beds).
    assert_eq!(data["next_procurement"]["iso"], "2014-06");
    assert_eq!(data["next_procurement"]["date"], "June 2014");
    assert_eq!(
        data["next_procurement"]["intention"]["url"],
        "/intentions/shire-ccg/fewer-care-home-beds/"
    );
    let undated = data["undated_procurements"].as_array().expect("undated");
    assert_eq!(undated.len(), 1);
    assert_eq!(undated[0]["route"], "Competitive dialogue");
    let timeline: Vec<&str> = data["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["iso"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(timeline, ["2014-04-01", "2014-06", "2014-09"]);
    let money: Vec<&str> = data["money"]
        .as_array()
        .expect("money")
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        money,
        [
            "Spend: £10 million (1 intention)",
            "Saving: £250,000 (1 intention)"
        ]
    );

    let page = site.read("public/market/residential-care/index.html");
    let main = main_of(&page);
    assert!(main.contains("June 2014"));
    assert!(main.contains("1 April 2014"));
    assert!(main.contains("Specification agreed"));
    // Where resources will reduce: the reduce intention and the saving.
    let reducing = &main[main.find("id=\"reducing\"").expect("reducing section")..];
    let reducing = &reducing[..reducing.find("id=\"new-models\"").expect("next section")];
    assert!(reducing.contains("Fewer care home beds"));
    assert!(reducing.contains("£250,000"));
    assert!(reducing.contains("from fewer placements"));
    let new_models = &main[main.find("id=\"new-models\"").expect("new models section")..];
    let new_models = &new_models[..new_models.find("id=\"by-signal\"").expect("next section")];
    assert!(new_models.contains("A new model of care at home"));
    assert!(!new_models.contains("Fewer care home beds"));

    let overview = site.read("public/market/index.html");
    assert!(overview.contains("June 2014"));
    assert!(overview.contains("1 procurement with no date yet"));
}

#[test]
fn an_intention_with_several_service_areas_is_under_each() {
    let site = market_site();
    build(&site);
    for area in ["residential-care", "home-care"] {
        let page = site.read(&format!("public/market/{area}/index.html"));
        assert!(
            main_of(&page).contains("/intentions/shire-council/new-care-model/"),
            "{area} lacks the joint intention"
        );
        let data = json(&site, &format!("public/market/{area}.json"));
        assert_eq!(data["signals"]["new"], 1, "{area}");
    }
}

#[test]
fn every_intention_of_a_service_area_is_linked_from_its_page() {
    let site = market_site();
    build(&site);
    let page = site.read("public/market/residential-care/index.html");
    for path in [
        "/intentions/shire-council/short-stay-beds/",
        "/intentions/shire-ccg/fewer-care-home-beds/",
        "/intentions/shire-council/new-care-model/",
    ] {
        assert!(main_of(&page).contains(path), "{path}");
    }
    assert!(!main_of(&page).contains("/intentions/shire-council/more-home-care/"));
}

#[test]
fn intentions_with_no_service_area_are_listed_as_unclassified() {
    let site = market_site();
    build(&site);
    let overview = site.read("public/market/index.html");
    let unclassified = &overview[overview.find("id=\"unclassified\"").expect("section")..];
    assert!(unclassified.contains("Centralise stroke care"));
    assert!(unclassified.contains("/intentions/shire-ccg/stroke-unit/"));
    assert!(!unclassified.contains("Fewer care home beds"));
}

#[test]
fn area_filter_pages_keep_the_area_s_intentions_and_mark_the_current_filter() {
    let site = market_site();
    site.write(
        "content/areas/vale.md",
        "---\nid: vale\nname: Vale\n---\nThe Vale.\n",
    );
    site.write(
        "content/organisations/vale-council.md",
        "---\nid: vale-council\nname: Vale Council\nkind: local-authority\narea: vale\nplan:\n  title: Plan\n  period: 2014/15\n  published: 2014-01\n  status: approved\n---\n",
    );
    site.write(
        "content/intentions/vale-council/vale-home-care.md",
        &intention(
            "vale-council",
            "Vale home care",
            "home-care",
            "decommission",
            "",
        ),
    );
    build(&site);
    let vale = site.read("public/market/in/vale/index.html");
    let main = main_of(&vale);
    assert!(main.contains("<h1>Market position statement: Vale</h1>"));
    assert!(main.contains("/market/home-care/"));
    assert!(!main.contains("/market/residential-care/"));
    assert!(main.contains("1 intention: 1 decommission"));
    assert!(!main.contains("Centralise stroke care"));
    // The filter marks the page it is on, and only that one.
    assert_eq!(current_filter(main), "/market/in/vale/");

    let shire = site.read("public/market/in/shire/index.html");
    let main = main_of(&shire);
    assert!(main.contains("/market/residential-care/"));
    assert!(
        main.contains("2 intentions: 1 grow, 1 new"),
        "Shire's home care"
    );
    assert!(!main.contains("Vale home care"));
    assert!(
        main.contains("Centralise stroke care"),
        "Shire's unclassified"
    );
    let all = site.read("public/market/index.html");
    assert_eq!(current_filter(main_of(&all)), "/market/");
    assert!(main_of(&all).contains("3 intentions: 1 grow, 1 new, 1 decommission"));
}

#[test]
fn shows_the_narrative_and_contacts_and_says_when_there_is_none() {
    let site = market_site();
    build(&site);
    let page = site.read("public/market/residential-care/index.html");
    assert!(page.contains("Demand is rising."));
    assert!(page.contains("More people over 85."));
    assert!(page.contains("£2,500,000"), "spend to the pound");
    assert!(page.contains("2013/14"));
    assert!(page.contains("Narrative."));
    assert!(
        page.contains("mailto:care@shire.example"),
        "the council's contact"
    );
    let data = json(&site, "public/market/residential-care.json");
    assert_eq!(data["narrative"]["spend"][0]["amount"], 2_500_000.0);
    let home = site.read("public/market/home-care/index.html");
    assert!(home.contains("No market narrative has been written for home care yet."));
    assert!(
        page.contains("Its plan gives no contact details"),
        "the CCG has none"
    );
}

#[test]
fn a_service_area_with_only_a_narrative_still_gets_a_page() {
    let site = Site::new();
    site.write(
        "content/market/home-care.md",
        "---\nservice_area: home-care\nsummary: A small market.\n---\n",
    );
    build(&site);
    let page = site.read("public/market/home-care/index.html");
    assert!(page.contains("A small market."));
    assert!(page.contains("0 intentions"));
    assert!(main_of(&site.read("public/market/index.html")).contains("/market/home-care/"));
}

#[test]
fn market_pages_are_built_to_the_theme_s_accessibility_rules() {
    let site = market_site();
    build(&site);
    for file in [
        "public/market/index.html",
        "public/market/in/shire/index.html",
        "public/market/residential-care/index.html",
        "public/market/home-care/index.html",
    ] {
        let html = site.read(file);
        assert_eq!(html.matches("<h1").count(), 1, "{file}: one h1");
        // Headings never skip a level on the way down.
        let mut last = 1;
        for (i, _) in html.match_indices("<h") {
            let Some(level) = html[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else {
                continue;
            };
            assert!(level <= last + 1, "{file}: h{level} after h{last}");
            last = level;
        }
        let tables = html.matches("<table").count();
        assert_eq!(html.matches("<caption").count(), tables, "{file}: captions");
        for th in tags(&html, "th") {
            assert!(th.contains("scope="), "{file}: a th without scope: {th}");
        }
        for tag in tags(&html, "svg") {
            assert!(
                tag.contains("role=\"img\"") || tag.contains("aria-hidden=\"true\""),
                "{file}: an SVG is neither an image nor hidden: {tag}"
            );
        }
    }
    let page = site.read("public/market/residential-care/index.html");
    assert!(page.contains("<title id=\"signals-by-commissioner-title\">"));
    assert!(page.contains("id=\"signals-by-commissioner-summary\""));
    assert!(page.contains("Direction of travel by commissioner: Residential care: the figures"));
    // Patterns and outlines as well as colour: every signal drawn has its own pattern.
    assert!(page.contains("id=\"signals-by-commissioner-grow\""));
    assert!(page.contains("id=\"signals-by-commissioner-reduce\""));
}

#[test]
fn intention_pages_link_their_service_areas_to_the_market() {
    let site = Site::new();
    build(&site);
    let page = site.read("public/intentions/shire-council/short-stay-beds/index.html");
    assert!(page.contains("<a href=\"/market/residential-care/\" data-pagefind-filter=\"service area\">Residential care</a>"));
}
