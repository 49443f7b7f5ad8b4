//! Atom feeds (RFC 4287): `/feed.xml` for every intention, `/organisations/<id>/feed.xml` per
//! organisation and `/market/<id>/feed.xml` per service area. Entries use the page's canonical
//! URL as their id and the intention's own `updated` date, so readers only see real changes.

use std::fmt::Write as _;

use super::common::{escape_with, intention_url, market_url, organisation_url};
use super::{DataFile, DataPlan};
use crate::model::{Corpus, Intention};
use crate::values::PartialDate;

/// The address of the feed of every intention.
pub fn site_feed_url() -> String {
    "/feed.xml".into()
}

/// The address of an organisation's feed.
pub fn organisation_feed_url(id: &str) -> String {
    format!("{}feed.xml", organisation_url(id))
}

/// The address of a service area's feed.
pub fn market_feed_url(id: &str) -> String {
    format!("{}feed.xml", market_url(id))
}

/// Service areas with a market page: in use by an intention or with a narrative.
pub(super) fn published_service_areas(corpus: &Corpus) -> impl Iterator<Item = usize> + '_ {
    corpus
        .service_areas
        .iter()
        .enumerate()
        .filter(|(s, t)| {
            !corpus.index.intentions_by_service_area[*s].is_empty()
                || corpus.market(&t.id).is_some()
        })
        .map(|(s, _)| s)
}

/// Every feed of the site, each made when it is written: together they run to tens of
/// megabytes at 10,000 intentions.
pub fn files(corpus: &Corpus) -> Vec<DataPlan<'_>> {
    let mut files = vec![DataPlan::later(move || {
        let all: Vec<usize> = (0..corpus.intentions.len()).collect();
        Ok(vec![feed_file(
            corpus,
            &site_feed_url(),
            &corpus.site.title,
            Some(&corpus.site.description),
            "/",
            &all,
        )])
    })];
    for (o, org) in corpus.organisations.iter().enumerate() {
        files.push(DataPlan::later(move || {
            let positions: Vec<usize> = corpus.commissioned_by(o).collect();
            let title = format!("{}: commissioning intentions", org.name);
            Ok(vec![feed_file(
                corpus,
                &organisation_feed_url(&org.id),
                &title,
                None,
                &organisation_url(&org.id),
                &positions,
            )])
        }));
    }
    for s in published_service_areas(corpus) {
        files.push(DataPlan::later(move || {
            let taxon = &corpus.service_areas[s];
            let title = format!("{}: market position statement", taxon.name);
            Ok(vec![feed_file(
                corpus,
                &market_feed_url(&taxon.id),
                &title,
                taxon.description.as_deref(),
                &market_url(&taxon.id),
                &corpus.index.intentions_by_service_area[s],
            )])
        }));
    }
    files
}

fn feed_file(
    corpus: &Corpus,
    url: &str,
    title: &str,
    subtitle: Option<&str>,
    page: &str,
    positions: &[usize],
) -> DataFile {
    DataFile {
        path: url.trim_start_matches('/').to_string(),
        bytes: feed(corpus, url, title, subtitle, page, positions).into_bytes(),
    }
}

/// An Atom timestamp for a date known to the year, month or day: its first day, at midnight.
pub fn atom_date(date: &PartialDate) -> String {
    format!("{}T00:00:00Z", date.first_day())
}

/// Newest first, then by id so the order is stable.
fn newest_first<'a>(corpus: &'a Corpus, positions: &[usize]) -> Vec<&'a Intention> {
    let mut list: Vec<&Intention> = positions.iter().map(|&i| &corpus.intentions[i]).collect();
    list.sort_by(|a, b| {
        b.updated
            .first_day_key()
            .cmp(&a.updated.first_day_key())
            .then_with(|| a.id.cmp(&b.id))
    });
    list.dedup_by(|a, b| a.id == b.id);
    list
}

fn feed(
    corpus: &Corpus,
    url: &str,
    title: &str,
    subtitle: Option<&str>,
    page: &str,
    positions: &[usize],
) -> String {
    let base = &corpus.site.base_url;
    let entries = newest_first(corpus, positions);
    // A feed with no entries still needs a date: the newest plan, which is content too.
    let updated = entries
        .first()
        .map(|i| atom_date(&i.updated))
        .unwrap_or_else(|| {
            corpus
                .organisations
                .iter()
                .map(|o| atom_date(&o.plan.published))
                .max()
                .unwrap_or_else(|| "2000-01-01T00:00:00Z".into())
        });
    let mut out = String::with_capacity(1024 + entries.len() * 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    let _ = writeln!(out, " xml:lang=\"{}\">", escape(&corpus.site.language));
    let _ = writeln!(out, "  <id>{}</id>", escape(&format!("{base}{url}")));
    let _ = writeln!(out, "  <title>{}</title>", escape(title));
    if let Some(s) = subtitle {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape(s));
    }
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&format!("{base}{url}"))
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&format!("{base}{page}"))
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape(&corpus.site.title)
    );
    out.push_str("  <generator>intentions</generator>\n");
    for it in entries {
        let link = format!("{base}{}", intention_url(it));
        let author = corpus
            .organisation(&it.organisation)
            .map_or(it.organisation.as_str(), |o| o.name.as_str());
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", escape(&link));
        let _ = writeln!(out, "    <title>{}</title>", escape(&it.title));
        let _ = writeln!(out, "    <updated>{}</updated>", atom_date(&it.updated));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&link)
        );
        let _ = writeln!(out, "    <author><name>{}</name></author>", escape(author));
        for p in &it.partners {
            if let Some(o) = corpus.organisation(p) {
                let _ = writeln!(
                    out,
                    "    <contributor><name>{}</name></contributor>",
                    escape(&o.name)
                );
            }
        }
        let _ = writeln!(
            out,
            "    <category term=\"{}\" label=\"{}\"/>",
            it.signal.id(),
            it.signal.label()
        );
        if let Some(s) = &it.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", escape(s));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The bytes [`escape`] looks at twice: what it escapes or leaves out starts with one (U+FFFE
/// and U+FFFF are 0xEF 0xBF 0xBE and 0xEF 0xBF 0xBF in UTF-8).
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = !matches!(byte as u8, b'\t' | b'\n' | b'\r');
        byte += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xef] = true;
    table
};

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    // A byte at a time against a table: every feed entry's title and summary comes through
    // here, and decoding each character was most of the time.
    escape_with(text, &MAY_ESCAPE, |rest| match rest {
        [b'&', ..] => Some(("&amp;", 1)),
        [b'<', ..] => Some(("&lt;", 1)),
        [b'>', ..] => Some(("&gt;", 1)),
        [b'"', ..] => Some(("&quot;", 1)),
        [b'\'', ..] => Some(("&apos;", 1)),
        [0xef, 0xbf, 0xbe | 0xbf, ..] => Some(("", 3)),
        [0xef, ..] => None,
        _ => Some(("", 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("Tom & \"Jerry\" <b>'s</b>\u{1}"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&apos;s&lt;/b&gt;"
        );
    }

    /// The same as a character at a time, on strings mixing what is escaped, dropped and kept
    /// (tabs and line breaks, other control characters, U+FFFE and U+FFFF beside characters
    /// that share their first byte, wider characters).
    #[test]
    fn escapes_as_one_character_at_a_time() {
        fn by_character(text: &str) -> String {
            text.chars()
                .filter_map(|c| match c {
                    '&' => Some("&amp;".to_string()),
                    '<' => Some("&lt;".to_string()),
                    '>' => Some("&gt;".to_string()),
                    '"' => Some("&quot;".to_string()),
                    '\'' => Some("&apos;".to_string()),
                    '\t' | '\n' | '\r' => Some(c.to_string()),
                    c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => None,
                    c => Some(c.to_string()),
                })
                .collect()
        }
        let pieces = [
            "&",
            "<",
            ">",
            "\"",
            "'",
            "\t",
            "\n",
            "\r",
            "\u{1}",
            "\u{1f}",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{FFFD}",
            "\u{F000}",
            "\u{EFBF}",
            "é",
            "a plain run, ",
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        for length in 0..300 {
            let text: String = (0..length % 40)
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            assert_eq!(escape(&text), by_character(&text), "{text:?}");
        }
    }
}
