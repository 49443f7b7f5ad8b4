//! Browse pages (`/intentions/` and its filtered views) and the Open Contracting Data
//! Standard export (`/data/ocds.json`).

use crate::fixture::Site;

/// A review in home care led by the council with a partner in another area, so that the
/// filters have more than one value each and the area filter counts partners.
const REVIEW: &str = "---
title: Review home care
organisation: shire-council
partners: [vale-council]
priorities: [dementia]
service_areas: [home-care]
signal: review
updated: 2014-03-01
---
Body.
";

const VALE_AREA: &str = "---
id: vale
name: Vale
---
";

const VALE_COUNCIL: &str = "---
id: vale-council
name: Vale Council
short_name: Vale
kind: local-authority
area: vale
plan:
  title: Plan
  period: 2014/15
  published: 2013-09
  status: approved
---
";

const BEDS_URL: &str = "/intentions/shire-council/short-stay-beds/";
const STROKE_URL: &str = "/intentions/shire-ccg/stroke-unit/";
const REVIEW_URL: &str = "/intentions/shire-council/home-care-review/";

fn browse_site() -> Site {
    let site = Site::new();
    site.write(
        "content/intentions/shire-council/home-care-review.md",
        REVIEW,
    );
    site.write("content/areas/vale.md", VALE_AREA);
    site.write("content/organisations/vale-council.md", VALE_COUNCIL);
    let outcome = site.build();
    assert!(outcome.ok, "{}", outcome.rendered());
    site
}

/// The page's HTML as published.
fn page(site: &Site, url: &str) -> String {
    site.read(&format!("public{url}index.html"))
}

/// The addresses of the intentions in the browse table's rows, in order.
fn rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<tbody>") else {
        return Vec::new();
    };
    let end = html[start..].find("</tbody>").expect("tbody closes") + start;
    html[start..end]
        .split("<th scope=\"row\"><a href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("href").to_string())
        .collect()
}

#[test]
fn the_browse_page_lists_every_intention_in_corpus_order_with_its_facts() {
    let site = browse_site();
    let html = page(&site, "/intentions/");
    // Organisations in their order (the CCG has order 1), then each one's intentions by title.
    assert_eq!(rows(&html), [STROKE_URL, BEDS_URL, REVIEW_URL]);
    assert!(html.contains("All 3 intentions."), "{html}");
    assert!(html.contains(
        "<caption id=\"browse-caption\" class=\"visually-hidden\">Every intention (3)</caption>"
    ));
    assert!(html.contains("<h2 id=\"intentions-heading\">Every intention (3)</h2>"));
    // Organisation, partners, signal, service areas linking to their filter, money and dates.
    assert!(html.contains("Shire CC<span class=\"meta\"> with Shire CCG</span>"));
    assert!(
        html.contains("<strong class=\"tag tag--grow\">Grow</strong>"),
        "{html}"
    );
    assert!(html
        .contains("<a href=\"/intentions/service-area/residential-care/\">Residential care</a>"));
    assert!(html.contains("£10 million budget"));
    assert!(html
        .contains("<time datetime=\"2014-09\">September 2014</time>: Procurement (Open tender)"));
    assert!(
        html.contains("<time datetime=\"2014-04-01\">1 April 2014</time>: Specification agreed")
    );
    // Rows carry the ids the client-side filter reads; the form and script are offered.
    assert!(html.contains(
        "data-organisation=\"shire-council\" data-priority=\"dementia\" data-service-area=\"home-care\" data-signal=\"review\" data-area=\"shire vale\""
    ), "{html}");
    assert!(html.contains("class=\"browse-form\" id=\"browse-form\" hidden "));
    assert!(html.contains("<label for=\"browse-signal\">Signal</label>"));
    assert!(html
        .contains("<p class=\"browse-form__status\" id=\"browse-status\" role=\"status\" aria-live=\"polite\">"));
    assert!(html.contains("<script src=\"/browse.js\" defer></script>"));
    assert!(site.path("public/browse.js").is_file());
}

#[test]
fn each_filtered_view_holds_exactly_its_intentions_and_says_how_many() {
    let site = browse_site();
    let cases: &[(&str, &[&str])] = &[
        (
            "/intentions/organisation/shire-council/",
            &[BEDS_URL, REVIEW_URL],
        ),
        ("/intentions/organisation/shire-ccg/", &[STROKE_URL]),
        ("/intentions/organisation/vale-council/", &[]),
        ("/intentions/priority/stroke/", &[STROKE_URL]),
        ("/intentions/priority/frailty/", &[BEDS_URL]),
        ("/intentions/priority/dementia/", &[REVIEW_URL]),
        ("/intentions/service-area/home-care/", &[REVIEW_URL]),
        ("/intentions/service-area/residential-care/", &[BEDS_URL]),
        ("/intentions/signal/grow/", &[BEDS_URL]),
        ("/intentions/signal/recommission/", &[STROKE_URL]),
        ("/intentions/signal/review/", &[REVIEW_URL]),
        ("/intentions/signal/reduce/", &[]),
        (
            "/intentions/area/shire/",
            &[STROKE_URL, BEDS_URL, REVIEW_URL],
        ),
        // A partner in the area brings the intention in.
        ("/intentions/area/vale/", &[REVIEW_URL]),
    ];
    for (url, expected) in cases {
        let html = page(&site, url);
        assert_eq!(rows(&html), *expected, "rows of {url}");
        assert!(
            html.contains(&format!("Showing {} of 3 intentions.", expected.len())),
            "count on {url}"
        );
        // The current value is marked, and every other filter is one link away.
        assert!(
            html.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")),
            "current filter on {url}"
        );
        for other in [
            "/intentions/signal/new/",
            "/intentions/area/vale/",
            "/intentions/",
        ] {
            assert!(
                html.contains(&format!("href=\"{other}\"")),
                "{url} links {other}"
            );
        }
        // Only the full list has the client-side form.
        assert!(!html.contains("browse-form"), "{url} has no form");
        if expected.is_empty() {
            assert!(
                html.contains("No intentions have this"),
                "{url} says it is empty"
            );
        }
    }
    let html = page(&site, "/intentions/signal/grow/");
    assert!(html.contains("<h1>Signal: Grow</h1>"));
    assert!(
        html.contains("<caption id=\"browse-caption\" class=\"visually-hidden\">Intention with the signal Grow (1)</caption>")
    );
    let html = page(&site, "/intentions/service-area/residential-care/");
    assert!(html.contains(
        "<a href=\"/market/residential-care/\">Market position statement: Residential care</a>"
    ));
    // Filter links give their counts.
    let html = page(&site, "/intentions/");
    assert!(html.contains("<a href=\"/intentions/organisation/shire-council/\">Shire County Council <span class=\"meta\">(2)</span></a>"), "{html}");
    assert!(html.contains("<option value=\"shire-council\">Shire County Council (2)</option>"));
    // Values without intentions are left out of the select but keep their page.
    assert!(!html.contains("<option value=\"reduce\">"));
}

#[test]
fn the_sitemap_search_page_and_navigation_lead_to_the_browse_pages() {
    let site = browse_site();
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "/intentions/",
        "/intentions/organisation/shire-council/",
        "/intentions/priority/dementia/",
        "/intentions/service-area/home-care/",
        "/intentions/signal/decommission/",
        "/intentions/area/vale/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org{url}</loc>")),
            "sitemap lists {url}"
        );
    }
    // Three organisations' + three priorities' + two service areas' + seven signals' + two
    // areas' views, and the list of every one.
    let browse_pages = sitemap
        .matches("<loc>https://example.org/intentions/")
        .count()
        - 3;
    assert_eq!(browse_pages, 3 + 3 + 2 + 7 + 2 + 1);
    let search = page(&site, "/search/");
    assert!(search.contains("<noscript><p>Search needs JavaScript. Without it, <a href=\"/intentions/\">browse every intention</a>"), "{search}");
    let home = page(&site, "/");
    assert!(home.contains("<a href=\"/intentions/\">Every intention in one list</a>"));
    assert!(
        home.contains("<a href=\"/intentions/\">Every intention</a>"),
        "footer link"
    );
}

#[test]
fn an_organisation_cannot_take_the_id_of_a_browse_filter() {
    let site = Site::new();
    site.write(
        "content/organisations/signal.md",
        &VALE_COUNCIL
            .replace("id: vale-council", "id: signal")
            .replace("area: vale", "area: shire"),
    );
    let checked = site.check();
    assert!(!checked.ok);
    let (d, line, column) = checked.find("`signal` cannot be an organisation id");
    assert_eq!((line, column), (2, 5));
    assert!(d
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("/intentions/signal/")));
}

fn ocds(site: &Site) -> serde_json::Value {
    serde_json::from_str(&site.read("public/data/ocds.json")).expect("ocds.json is JSON")
}

fn release<'a>(package: &'a serde_json::Value, ocid: &str) -> &'a serde_json::Value {
    package["releases"]
        .as_array()
        .expect("releases")
        .iter()
        .find(|r| r["ocid"] == ocid)
        .unwrap_or_else(|| panic!("no release {ocid}"))
}

#[test]
fn ocds_has_a_planning_release_per_intention_with_budget_milestones_and_rationale() {
    let site = browse_site();
    let package = ocds(&site);
    assert_eq!(package["version"], "1.1");
    assert_eq!(package["uri"], "https://example.org/data/ocds.json");
    // The newest date in the content, not the time of the build.
    assert_eq!(package["publishedDate"], "2014-03-01T00:00:00Z");
    assert_eq!(package["publisher"]["name"], "Test intentions");
    assert_eq!(package["releases"].as_array().map(Vec::len), Some(3));

    let beds = release(&package, "ocds-unregistered-shire-council/short-stay-beds");
    // No `updated` on the intention: the plan's publication date stands in.
    assert_eq!(
        beds["id"],
        "shire-council/short-stay-beds-planning-2013-10-01"
    );
    assert_eq!(beds["date"], "2013-10-01T00:00:00Z");
    assert_eq!(beds["tag"], serde_json::json!(["planning"]));
    assert_eq!(beds["initiationType"], "tender");
    assert_eq!(beds["language"], "en");
    assert_eq!(
        beds["buyer"],
        serde_json::json!({"id": "shire-council", "name": "Shire County Council"})
    );
    assert_eq!(
        beds["parties"],
        serde_json::json!([
            {"id": "shire-council", "name": "Shire County Council", "roles": ["buyer", "procuringEntity"],
             "contactPoint": {"email": "care@shire.example"}},
            {"id": "shire-ccg", "name": "NHS Shire CCG", "roles": ["interestedParty"]}
        ])
    );
    let planning = &beds["planning"];
    assert_eq!(
        planning["rationale"],
        "The number of people aged 85+ will double."
    );
    assert_eq!(
        planning["budget"]["amount"],
        serde_json::json!({"amount": 10000000.0, "currency": "GBP"})
    );
    assert_eq!(
        planning["budget"]["description"],
        "Spend: on 230 out-of-county placements"
    );
    assert_eq!(
        planning["milestones"],
        serde_json::json!([{"id": "milestone-1", "title": "Specification agreed", "dueDate": "2014-04-01T00:00:00Z"}])
    );
    assert_eq!(
        planning["documents"][0]["url"],
        "https://example.org/intentions/shire-council/short-stay-beds/"
    );
    let tender = &beds["tender"];
    assert_eq!(tender["status"], "planned");
    assert_eq!(tender["procurementMethodDetails"], "Open tender");
    assert_eq!(tender["tenderPeriod"]["startDate"], "2014-09-01T00:00:00Z");
    assert_eq!(
        tender["items"][0]["classification"]["id"],
        "residential-care"
    );

    // Without a procurement the tender is still being considered; no budget, no milestones.
    let stroke = release(&package, "ocds-unregistered-shire-ccg/stroke-unit");
    assert_eq!(stroke["date"], "2014-01-15T00:00:00Z");
    assert_eq!(stroke["tender"]["status"], "planning");
    assert!(stroke["planning"].get("budget").is_none());
    assert!(stroke["planning"].get("milestones").is_none());
    assert!(stroke["planning"].get("rationale").is_none());
}

#[test]
fn ocds_uses_the_configured_prefix_and_is_the_same_on_every_build() {
    let site = Site::new();
    site.edit(
        "content/site.yaml",
        "base_url: https://example.org",
        "base_url: https://example.org\nocid_prefix: ocds-a1b2c3",
    );
    let outcome = site.build();
    assert!(outcome.ok, "{}", outcome.rendered());
    let first = site.read("public/data/ocds.json");
    assert!(first.contains("\"ocid\": \"ocds-a1b2c3-shire-council/short-stay-beds\""));
    // Decommissioning is no contracting process to come: no tender.
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: recommission",
        "signal: decommission",
    );
    assert!(site.build().ok);
    let package = ocds(&site);
    let stroke = release(&package, "ocds-a1b2c3-shire-ccg/stroke-unit");
    assert!(stroke.get("tender").is_none());
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: decommission",
        "signal: recommission",
    );
    assert!(site.build().ok);
    assert_eq!(site.read("public/data/ocds.json"), first);

    site.edit(
        "content/site.yaml",
        "ocid_prefix: ocds-a1b2c3",
        "ocid_prefix: \"ocds a1\"",
    );
    let checked = site.check();
    let (_, line, _) = checked.find("is not an Open Contracting ID prefix");
    assert_eq!(line, 4);
}

#[test]
fn every_browse_list_lays_out_its_rows_with_the_row_template() {
    let site = Site::new();
    site.write(
        "themes/default/templates/browse-row.html",
        "\n<tr><th scope=\"row\">{{ r.title }}</th><td>{{ r.signal.label }}</td></tr>",
    );
    assert!(site.build().ok);
    let row = "<tr><th scope=\"row\">Commission at least 21 short-stay beds</th><td>Grow</td></tr>";
    for list in [
        "public/intentions/index.html",
        "public/intentions/signal/grow/index.html",
        "public/intentions/organisation/shire-council/index.html",
        "public/intentions/priority/frailty/index.html",
        "public/intentions/service-area/residential-care/index.html",
    ] {
        let html = site.read(list);
        assert_eq!(html.matches(row).count(), 1, "{list}: {html}");
    }
    // A list the intention is not in does not show its row.
    assert!(!site
        .read("public/intentions/signal/recommission/index.html")
        .contains("short-stay beds"));
}

#[test]
fn a_broken_row_template_is_reported_by_name_for_each_list() {
    let site = Site::new();
    site.write(
        "themes/default/templates/browse-row.html",
        "<tr><td>{{ r.no_such_field }}</td></tr>",
    );
    let built = site.build();
    assert!(!built.ok);
    let broken: Vec<_> = built
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("template `browse-row.html`"))
        .collect();
    for d in &broken {
        assert_eq!(
            d.path.as_deref(),
            Some(std::path::Path::new(
                "themes/default/templates/browse-row.html"
            ))
        );
        assert!(d.message.contains("r.no_such_field"), "{}", d.message);
    }
    let lists: Vec<&str> = broken
        .iter()
        .filter_map(|d| d.message.split("(while rendering ").nth(1))
        .collect();
    assert!(lists.contains(&"/intentions/)"), "{lists:?}");
    assert!(lists.contains(&"/intentions/signal/grow/)"), "{lists:?}");
    // The previous output is untouched: nothing was written.
    assert!(!site.path("public").exists());
}

#[test]
fn a_browse_template_gets_its_rows_as_it_writes_them() {
    let site = Site::new();
    site.write(
        "themes/default/templates/browse-row.html",
        "<tr><td>{{ r.title }}</td></tr>",
    );
    let row = "<tr><td>Commission at least 21 short-stay beds</td></tr>";
    // Written once, as they are (the default theme's way), the rows are in the page.
    site.write(
        "themes/default/templates/browse.html",
        "<main><table>{{ rows | safe }}</table></main>",
    );
    assert!(site.build().ok);
    let html = site.read("public/intentions/signal/grow/index.html");
    assert_eq!(html, format!("<main><table>{row}</table></main>"));
    // Escaped, twice, and measured, they are what the template asks for.
    site.write(
        "themes/default/templates/browse.html",
        "{{ rows }}|{{ rows | safe }}{{ rows | safe }}|{{ rows | length }}",
    );
    assert!(site.build().ok);
    let html = site.read("public/intentions/signal/grow/index.html");
    let escaped = row.replace('<', "&lt;").replace('>', "&gt;");
    assert_eq!(html, format!("{escaped}|{row}{row}|{}", row.len()));
    // A list with no rows gets none.
    assert_eq!(
        site.read("public/intentions/signal/maintain/index.html"),
        "||0"
    );
}
