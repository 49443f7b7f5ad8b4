//! iCalendar files (RFC 5545) of expected procurements and milestones:
//! `/organisations/<id>/calendar.ics` and `/market/<id>/calendar.ics`. Every event is all-day;
//! a date known only to the month or year falls on its first day and says so in words.

use super::common::{escape_with, intention_url, market_url, organisation_url};
use super::feeds::published_service_areas;
use super::{DataFile, DataPlan};
use crate::model::{Corpus, Intention};
use crate::values::PartialDate;

/// The address of an organisation's calendar.
pub fn organisation_calendar_url(id: &str) -> String {
    format!("{}calendar.ics", organisation_url(id))
}

/// The address of a service area's calendar.
pub fn market_calendar_url(id: &str) -> String {
    format!("{}calendar.ics", market_url(id))
}

/// Every calendar of the site, each made when it is written.
pub fn files(corpus: &Corpus) -> Vec<DataPlan<'_>> {
    let mut files = Vec::new();
    for (o, org) in corpus.organisations.iter().enumerate() {
        files.push(DataPlan::later(move || {
            let positions: Vec<usize> = corpus.commissioned_by(o).collect();
            Ok(vec![calendar_file(
                corpus,
                &organisation_calendar_url(&org.id),
                &org.name,
                &positions,
            )])
        }));
    }
    for s in published_service_areas(corpus) {
        files.push(DataPlan::later(move || {
            let taxon = &corpus.service_areas[s];
            Ok(vec![calendar_file(
                corpus,
                &market_calendar_url(&taxon.id),
                &taxon.name,
                &corpus.index.intentions_by_service_area[s],
            )])
        }));
    }
    files
}

/// The calendar at `url` of the intentions at `positions`, named for `whose`.
fn calendar_file(corpus: &Corpus, url: &str, whose: &str, positions: &[usize]) -> DataFile {
    DataFile {
        path: url.trim_start_matches('/').into(),
        bytes: calendar(
            corpus,
            &format!("{whose}: procurements and milestones"),
            positions,
        )
        .into_bytes(),
    }
}

/// One all-day event.
struct Event<'a> {
    uid: String,
    date: PartialDate,
    summary: String,
    what: &'a str,
    intention: &'a Intention,
}

fn events<'a>(intention: &'a Intention, host: &str) -> Vec<Event<'a>> {
    let mut events = Vec::new();
    if let Some(p) = &intention.procurement {
        if let Some(date) = p.expected {
            events.push(Event {
                uid: uid(intention, "procurement", 0, host),
                date,
                summary: format!("Procurement ({}): {}", p.route, intention.title),
                what: "Procurement",
                intention,
            });
        }
    }
    for (n, m) in intention.milestones.iter().enumerate() {
        events.push(Event {
            uid: uid(intention, "milestone", n, host),
            date: m.date,
            summary: format!("{}: {}", m.label, intention.title),
            what: "Milestone",
            intention,
        });
    }
    events
}

/// Stable across builds and unique across sites: the intention's id, the kind and position,
/// at the site's host name.
fn uid(intention: &Intention, kind: &str, n: usize, host: &str) -> String {
    format!("{}/{kind}/{n}@{host}", intention.id)
}

/// "on 31 March 2015", "expected in March 2015" or "expected in 2015".
fn when(date: &PartialDate) -> String {
    if date.day.is_some() {
        format!("on {date}")
    } else {
        format!("expected in {date}")
    }
}

fn compact(date: &PartialDate) -> String {
    date.first_day().replace('-', "")
}

/// A whole calendar with CRLF line endings and folded lines.
fn calendar(corpus: &Corpus, name: &str, positions: &[usize]) -> String {
    let mut list: Vec<&Intention> = positions.iter().map(|&i| &corpus.intentions[i]).collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    list.dedup_by(|a, b| a.id == b.id);
    let host = corpus
        .site
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("intentions")
        .split('/')
        .next()
        .unwrap_or("intentions");
    // Each content line is folded straight into the file: the calendars of a large site run
    // to tens of megabytes, so no line is made twice.
    let mut out = String::with_capacity(256 * positions.len() + 256);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//intentions//commissioning intentions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, &[line]);
    }
    push_line(&mut out, &["X-WR-CALNAME:", &escape_text(name)]);
    for it in list {
        let url = format!("{}{}", corpus.site.base_url, intention_url(it));
        let organisation = corpus
            .organisation(&it.organisation)
            .map_or(it.organisation.as_str(), |o| o.name.as_str());
        let updated = compact(&it.updated);
        for e in events(it, host) {
            let description = format!(
                "{} {}, {organisation}.\n{}\n{url}",
                e.what,
                when(&e.date),
                e.intention.summary.as_deref().unwrap_or(&e.intention.title)
            );
            push_line(&mut out, &["BEGIN:VEVENT"]);
            push_line(&mut out, &["UID:", &escape_text(&e.uid)]);
            push_line(&mut out, &["DTSTAMP:", &updated, "T000000Z"]);
            push_line(&mut out, &["DTSTART;VALUE=DATE:", &compact(&e.date)]);
            push_line(&mut out, &["SUMMARY:", &escape_text(&e.summary)]);
            push_line(&mut out, &["DESCRIPTION:", &escape_text(&description)]);
            push_line(&mut out, &["URL:", &url]);
            push_line(&mut out, &["TRANSP:TRANSPARENT"]);
            push_line(&mut out, &["END:VEVENT"]);
        }
    }
    push_line(&mut out, &["END:VCALENDAR"]);
    out
}

/// Appends one content line, made of `parts`, folded, with its CRLF.
fn push_line(out: &mut String, parts: &[&str]) {
    let mut width = 0;
    for part in parts {
        // As much as fits is copied at once, never splitting a character: the calendars of a
        // large site run to tens of megabytes, and most of them is long descriptions.
        let mut rest = *part;
        while width + rest.len() > 75 {
            let mut cut = 75 - width;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            width = 1;
            rest = &rest[cut..];
        }
        out.push_str(rest);
        width += rest.len();
    }
    out.push_str("\r\n");
}

/// The bytes [`escape_text`] looks at twice: what it escapes or leaves out starts with one.
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[0x7f] = true;
    table[b'\\' as usize] = true;
    table[b';' as usize] = true;
    table[b',' as usize] = true;
    table[0xc2] = true;
    table
};

/// Escapes a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11); control
/// characters (Unicode's Cc: U+0000 to U+001F and U+007F to U+009F) are left out.
pub fn escape_text(text: &str) -> String {
    // Everything escaped is ASCII but U+0080 to U+009F, which UTF-8 writes 0xC2 0x80-0x9F.
    escape_with(text, &MAY_ESCAPE, |rest| match rest {
        [b'\\', ..] => Some(("\\\\", 1)),
        [b';', ..] => Some(("\\;", 1)),
        [b',', ..] => Some(("\\,", 1)),
        [b'\r', b'\n', ..] => Some(("\\n", 2)),
        [b'\r' | b'\n', ..] => Some(("\\n", 1)),
        [0..=0x1f | 0x7f, ..] => Some(("", 1)),
        [0xc2, 0x80..=0x9f, ..] => Some(("", 2)),
        _ => None,
    })
}

/// Folds a content line so no physical line is longer than 75 octets, never splitting a
/// UTF-8 character; continuation lines start with one space (RFC 5545 3.1).
#[cfg(test)]
fn fold(line: &str) -> String {
    let mut out = String::new();
    push_line(&mut out, &[line]);
    out.truncate(out.len() - 2);
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_text, fold};

    #[test]
    fn escapes_text_values() {
        assert_eq!(
            escape_text("a, b; c\\d\r\ne\nf"),
            "a\\, b\\; c\\\\d\\ne\\nf"
        );
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&line);
        for physical in folded.split("\r\n") {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold("short"), "short");
    }

    /// Folding a character at a time, as RFC 5545 says: the reference for `push_line`.
    fn fold_by_character(parts: &[&str]) -> String {
        let mut out = String::new();
        let mut width = 0;
        for c in parts.concat().chars() {
            if width + c.len_utf8() > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += c.len_utf8();
        }
        out + "\r\n"
    }

    /// Escaping a character at a time: the reference for `escape_text`.
    fn escape_by_character(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\r' => {
                    chars.next_if_eq(&'\n');
                    out.push_str("\\n");
                }
                '\n' => out.push_str("\\n"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn lines_and_text_come_out_as_one_character_at_a_time_gives() {
        let pieces = [
            "a",
            "é",
            "€",
            "😀",
            ",",
            ";",
            "\\",
            "\r",
            "\n",
            "\r\n",
            "\t",
            "\u{7f}",
            "\u{85}",
            "\u{9f}",
            "\u{a0}",
            "\u{c2}",
            "word ",
            "DESCRIPTION:",
        ];
        let mut seed = 7u64;
        for n in 0..3_000 {
            let mut text = String::new();
            for _ in 0..(n % 200) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(escape_text(&text), escape_by_character(&text), "{text:?}");
            // Folded as parts, the first long and the second cut anywhere in the text.
            let escaped = escape_text(&text);
            let mut cut = escaped.len() / 3;
            while !escaped.is_char_boundary(cut) {
                cut += 1;
            }
            let (head, tail) = escaped.split_at(cut);
            let parts = ["DESCRIPTION:", head, tail];
            let mut out = String::new();
            super::push_line(&mut out, &parts);
            assert_eq!(out, fold_by_character(&parts), "{parts:?}");
        }
    }
}
