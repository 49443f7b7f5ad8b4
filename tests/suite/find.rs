//! Find, follow and reuse: Atom feeds, the sitemap and robots file, iCalendar files, social
//! card metadata and the links to them.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::fixture::Site;

/// Every element's text, as (path of element names, text), from a well-formed XML document;
/// fails the test if the document is not well formed. Attributes come as `path/@name`.
fn xml(text: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    // Text and entity references come as separate events: gather them until the next tag.
    let mut buffer = String::new();
    let flush = |stack: &[String], buffer: &mut String, out: &mut Vec<(String, String)>| {
        let s = buffer.trim().to_string();
        if !s.is_empty() {
            out.push((stack.join("/"), s));
        }
        buffer.clear();
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                flush(&stack, &mut buffer, &mut out);
                stack.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                attributes(&e, &stack, &mut out);
            }
            Ok(Event::Empty(e)) => {
                flush(&stack, &mut buffer, &mut out);
                stack.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                attributes(&e, &stack, &mut out);
                stack.pop();
            }
            Ok(Event::End(_)) => {
                flush(&stack, &mut buffer, &mut out);
                stack.pop();
            }
            Ok(Event::Text(t)) => buffer.push_str(&t.decode().unwrap()),
            Ok(Event::GeneralRef(r)) => {
                let name = String::from_utf8(r.to_vec()).unwrap();
                buffer.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity &{other};"),
                });
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    out
}

fn attributes(
    e: &quick_xml::events::BytesStart,
    stack: &[String],
    out: &mut Vec<(String, String)>,
) {
    for a in e.attributes() {
        let a = a.expect("attribute");
        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
        let value = a.unescape_value().expect("attribute value").to_string();
        out.push((format!("{}/@{key}", stack.join("/")), value));
    }
}

fn values<'a>(doc: &'a [(String, String)], path: &str) -> Vec<&'a str> {
    doc.iter()
        .filter(|(p, _)| p == path)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn built() -> Site {
    let site = Site::new();
    let outcome = site.build();
    assert!(outcome.ok, "{}", outcome.rendered());
    site
}

#[test]
fn site_feed_lists_every_intention_with_stable_ids_and_content_dates() {
    let site = Site::new();
    site.edit(
        "content/intentions/shire-council/short-stay-beds.md",
        "summary: More short-stay beds.",
        "summary: More short-stay beds & <fewer> delays.\nupdated: 2014-02-03",
    );
    let outcome = site.build();
    assert!(outcome.ok, "{}", outcome.rendered());
    let feed = site.read("public/feed.xml");
    let doc = xml(&feed);
    assert_eq!(
        values(&doc, "feed/entry/id"),
        [
            // Newest first.
            "https://example.org/intentions/shire-council/short-stay-beds/",
            "https://example.org/intentions/shire-ccg/stroke-unit/",
        ]
    );
    assert_eq!(
        values(&doc, "feed/entry/updated"),
        ["2014-02-03T00:00:00Z", "2014-01-15T00:00:00Z"]
    );
    assert_eq!(values(&doc, "feed/updated"), ["2014-02-03T00:00:00Z"]);
    assert_eq!(
        values(&doc, "feed/entry/summary"),
        ["More short-stay beds & <fewer> delays."]
    );
    assert_eq!(
        values(&doc, "feed/entry/author/name"),
        ["Shire County Council", "NHS Shire CCG"]
    );
    assert_eq!(
        values(&doc, "feed/entry/link/@href")[1],
        "https://example.org/intentions/shire-ccg/stroke-unit/"
    );
    assert_eq!(values(&doc, "feed/id"), ["https://example.org/feed.xml"]);

    // Building again gives the same bytes: nothing in a feed depends on the clock.
    assert!(site.build().ok);
    assert_eq!(site.read("public/feed.xml"), feed);
}

#[test]
fn organisation_and_service_area_feeds_list_their_intentions() {
    let site = built();
    let council = xml(&site.read("public/organisations/shire-council/feed.xml"));
    assert_eq!(
        values(&council, "feed/entry/id"),
        ["https://example.org/intentions/shire-council/short-stay-beds/"]
    );
    // The CCG is a partner in the council's intention, so its feed carries that one too.
    let ccg = xml(&site.read("public/organisations/shire-ccg/feed.xml"));
    assert_eq!(values(&ccg, "feed/entry/id").len(), 2);
    let market = xml(&site.read("public/market/residential-care/feed.xml"));
    assert_eq!(
        values(&market, "feed/entry/title"),
        ["Commission at least 21 short-stay beds"]
    );
    let page = site.read("public/organisations/shire-council/index.html");
    assert!(
        page.contains("type=\"application/atom+xml\"")
            && page.contains("href=\"/organisations/shire-council/feed.xml\""),
        "no feed link in the organisation page"
    );
    assert!(page.contains("/organisations/shire-council/calendar.ics"));
}

#[test]
fn sitemap_lists_every_page_absolutely_and_robots_points_at_it() {
    let site = built();
    let doc = xml(&site.read("public/sitemap.xml"));
    let locs = values(&doc, "urlset/url/loc");
    // Every HTML page written, except the not-found page, is in the sitemap.
    let mut pages = Vec::new();
    for entry in walk(&site.path("public")) {
        let rel = entry
            .strip_prefix(site.path("public"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(dir) = rel.strip_suffix("index.html") {
            pages.push(format!("https://example.org/{dir}"));
        }
    }
    pages.sort();
    let mut sorted: Vec<String> = locs.iter().map(|s| s.to_string()).collect();
    sorted.sort();
    assert_eq!(sorted, pages);
    assert!(locs.contains(&"https://example.org/intentions/shire-ccg/stroke-unit/"));
    let i = locs
        .iter()
        .position(|l| *l == "https://example.org/intentions/shire-ccg/stroke-unit/")
        .unwrap();
    let url_blocks: Vec<&str> = site
        .read("public/sitemap.xml")
        .leak()
        .split("<url>")
        .skip(1)
        .collect();
    assert!(url_blocks[i].contains("<lastmod>2014-01-15</lastmod>"));
    let robots = site.read("public/robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml"),
        "{robots}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn pages_carry_canonical_and_social_card_metadata() {
    let site = built();
    let page = site
        .read("public/intentions/shire-ccg/stroke-unit/index.html")
        .replace('"', "");
    let url = "https://example.org/intentions/shire-ccg/stroke-unit/";
    for needle in [
        "rel=canonical".to_string(),
        format!("href={url}"),
        "property=og:url".into(),
        format!("content={url}"),
        "property=og:title".into(),
        "content=Centralise stroke care".into(),
        "property=og:type".into(),
        "property=og:description".into(),
        "name=twitter:card".into(),
        "content=summary".into(),
    ] {
        assert!(page.contains(&needle), "no {needle} in the page");
    }
}

/// Unfolds an iCalendar file into logical lines, checking the physical ones on the way.
fn ics_lines(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "must end with CRLF");
    let mut lines: Vec<String> = Vec::new();
    for physical in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(!physical.contains('\n'), "bare LF in {physical:?}");
        assert!(
            physical.len() <= 75,
            "{} octets: {physical:?}",
            physical.len()
        );
        if let Some(rest) = physical.strip_prefix(' ') {
            lines.last_mut().expect("continuation first").push_str(rest);
        } else {
            lines.push(physical.to_string());
        }
    }
    lines
}

#[test]
fn calendars_have_all_day_events_for_procurements_and_milestones() {
    let site = built();
    let text = site.read("public/organisations/shire-council/calendar.ics");
    let lines = ics_lines(&text);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
    // Balanced components, each event with the properties RFC 5545 requires.
    let begins = lines.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(begins, lines.iter().filter(|l| *l == "END:VEVENT").count());
    assert_eq!(begins, 2, "{lines:#?}");
    let get = |key: &str| -> Vec<&String> { lines.iter().filter(|l| l.starts_with(key)).collect() };
    assert_eq!(get("UID:").len(), 2);
    assert_eq!(get("DTSTAMP:").len(), 2);
    assert_eq!(
        get("UID:"),
        [
            "UID:shire-council/short-stay-beds/procurement/0@example.org",
            "UID:shire-council/short-stay-beds/milestone/0@example.org"
        ]
    );
    assert_eq!(
        get("DTSTART"),
        ["DTSTART;VALUE=DATE:20140901", "DTSTART;VALUE=DATE:20140401"]
    );
    let descriptions = get("DESCRIPTION:");
    assert!(
        descriptions[0].contains("expected in September 2014")
            && descriptions[0]
                .contains("https://example.org/intentions/shire-council/short-stay-beds/"),
        "{}",
        descriptions[0]
    );
    assert!(
        descriptions[1].contains("on 1 April 2014"),
        "{}",
        descriptions[1]
    );
    // The same calendar for the service area.
    let market = ics_lines(&site.read("public/market/residential-care/calendar.ics"));
    assert_eq!(market.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2);
}
