//! `/sitemap.xml` (every page, absolute, with `lastmod` where the content says when it
//! changed) and `/robots.txt` pointing at it.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::common::{intention_url, market_url, organisation_url};
use super::feeds::escape;
use super::DataFile;
use crate::model::Corpus;
use crate::values::PartialDate;

/// The sitemap of these pages and the robots file.
pub fn files(corpus: &Corpus, urls: &[&str]) -> Vec<DataFile> {
    let base = &corpus.site.base_url;
    let lastmod = last_modified(corpus);
    let mut out = String::with_capacity(urls.len() * 120 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for &url in urls {
        if url.ends_with(".html") {
            // The not-found page and other stand-alone files are not pages to index.
            continue;
        }
        out.push_str("  <url>\n");
        let _ = writeln!(out, "    <loc>{}</loc>", escape(&format!("{base}{url}")));
        if let Some(date) = lastmod.get(url) {
            // W3C datetime allows YYYY, YYYY-MM and YYYY-MM-DD, which is what content gives.
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", date.iso());
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n");
    vec![
        DataFile {
            path: "sitemap.xml".into(),
            bytes: out.into_bytes(),
        },
        DataFile {
            path: "robots.txt".into(),
            bytes: robots.into_bytes(),
        },
    ]
}

/// When pages last changed, as far as the content says: an intention's `updated`, and the
/// newest of those for the organisation and service area pages that list them.
fn last_modified(corpus: &Corpus) -> HashMap<String, PartialDate> {
    let mut map: HashMap<String, PartialDate> = HashMap::new();
    let mut newer = |url: String, date: PartialDate| {
        let entry = map.entry(url).or_insert(date);
        if date.first_day_key() > entry.first_day_key() {
            *entry = date;
        }
    };
    for it in &corpus.intentions {
        newer(intention_url(it), it.updated);
        newer(organisation_url(&it.organisation), it.updated);
        for s in &it.service_areas {
            newer(market_url(s), it.updated);
        }
    }
    map
}
