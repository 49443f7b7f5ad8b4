//! View pieces shared by several pages: links, intention summaries, signals, addresses, and
//! the escaping of text for the feeds' and calendars' formats.

use serde::Serialize;

use crate::model::{Corpus, Intention, Organisation, Signal};

/// A link.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    /// Link text.
    pub title: String,
    /// Address.
    pub url: String,
}

impl Link {
    /// A link with this text and address.
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            title: title.into(),
            url: url.into(),
        }
    }
}

/// A signal as readers see it: an id for styling, words, and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    /// The id, e.g. `grow`.
    pub id: &'static str,
    /// The word, e.g. "Grow".
    pub label: &'static str,
    /// What it means for a provider.
    pub meaning: &'static str,
}

impl From<Signal> for SignalView {
    fn from(s: Signal) -> Self {
        SignalView {
            id: s.id(),
            label: s.label(),
            meaning: s.meaning(),
        }
    }
}

/// An intention in a list.
#[derive(Debug, Clone, Serialize)]
pub struct IntentionSummary {
    /// `<org-id>/<slug>`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// The document's number for it.
    pub reference: Option<String>,
    /// One sentence.
    pub summary: Option<String>,
    /// Its signal.
    pub signal: SignalView,
    /// The lead organisation.
    pub organisation: Link,
    /// Its partners' short names.
    pub partners: Vec<String>,
    /// The years it covers.
    pub period: String,
    /// When it last changed, for people.
    pub updated: String,
}

/// The address of the home page.
pub fn home_url() -> String {
    "/".into()
}

/// The address of an organisation's page.
pub fn organisation_url(id: &str) -> String {
    format!("/organisations/{id}/")
}

/// The address of an intention's page.
pub fn intention_url(intention: &Intention) -> String {
    format!("/intentions/{}/{}/", intention.organisation, intention.slug)
}

/// The address of a priority's page.
pub fn priority_url(id: &str) -> String {
    format!("/priorities/{id}/")
}

/// The address of an area's page.
pub fn area_url(id: &str) -> String {
    format!("/areas/{id}/")
}

/// The address of a service area's market position statement.
pub fn market_url(id: &str) -> String {
    format!("/market/{id}/")
}

/// An organisation as a link using its short name.
pub fn organisation_link(org: &Organisation) -> Link {
    Link::new(org.short_name.clone(), organisation_url(&org.id))
}

/// Summarises an intention for lists.
pub fn summarise(corpus: &Corpus, intention: &Intention) -> IntentionSummary {
    let organisation = corpus
        .organisation(&intention.organisation)
        .map(organisation_link)
        .unwrap_or_else(|| {
            Link::new(
                intention.organisation.clone(),
                organisation_url(&intention.organisation),
            )
        });
    IntentionSummary {
        id: intention.id.clone(),
        title: intention.title.clone(),
        url: intention_url(intention),
        reference: intention.reference.clone(),
        summary: intention.summary.clone(),
        signal: intention.signal.into(),
        organisation,
        partners: intention
            .partners
            .iter()
            .filter_map(|p| corpus.organisation(p))
            .map(|o| o.short_name.clone())
            .collect(),
        period: intention.period.to_string(),
        updated: intention.updated.to_string(),
    }
}

/// Summaries of the intentions at these positions.
pub fn summaries(corpus: &Corpus, positions: &[usize]) -> Vec<IntentionSummary> {
    positions
        .iter()
        .map(|&i| summarise(corpus, &corpus.intentions[i]))
        .collect()
}

/// Counts of each signal among some intentions, in signal order, leaving out zeros.
#[derive(Debug, Clone, Serialize)]
pub struct SignalCount {
    /// The signal.
    pub signal: SignalView,
    /// How many.
    pub count: usize,
}

/// Counts the signals of the intentions at these positions.
pub fn signal_counts(corpus: &Corpus, positions: &[usize]) -> Vec<SignalCount> {
    Signal::ALL
        .iter()
        .map(|&s| SignalCount {
            signal: s.into(),
            count: positions
                .iter()
                .filter(|&&i| corpus.intentions[i].signal == s)
                .count(),
        })
        .filter(|c| c.count > 0)
        .collect()
}

/// "1 intention" or "3 intentions".
pub fn count_words(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Copies `text`, replacing what `replace` gives at each byte that `candidates` marks: it is
/// handed the bytes from there on and returns the replacement (empty to leave them out) and
/// how many bytes it stands for, or None to keep the byte. Runs of other bytes are copied
/// whole. Every marked byte that is replaced must start a character, and every replacement
/// must end at one (the feeds' and calendars' escapes mark ASCII and the first byte of a
/// character).
pub fn escape_with(
    text: &str,
    candidates: &[bool; 256],
    replace: impl Fn(&[u8]) -> Option<(&'static str, usize)>,
) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 16 + 8);
    let mut plain = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !candidates[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let Some((replacement, length)) = replace(&bytes[i..]) else {
            i += 1;
            continue;
        };
        out.push_str(&text[plain..i]);
        out.push_str(replacement);
        i += length;
        plain = i;
    }
    out.push_str(&text[plain..]);
    out
}
