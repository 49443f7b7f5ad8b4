//! The market position statement for providers: `/market/` and its area filters
//! (`/market/in/<area-id>/`), one page per service area (`/market/<service-area-id>/`) and its
//! derived data (`/market/<service-area-id>.json`). Figures are worked out in `figures`,
//! charts drawn in `charts`; the page modules only gather them for the templates.

mod charts;
mod figures;
mod index;
mod statement;

pub use index::pages as index_pages;
pub use statement::{files, page_of, pages};

use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::common::{intention_url, summarise, IntentionSummary, Link};
use crate::model::{Corpus, Signal};
use crate::values::PartialDate;
use charts::Series;

/// The address of an area's filtered market overview.
pub fn market_area_url(area: &str) -> String {
    format!("/market/in/{area}/")
}

/// The address of a service area's open data.
pub fn market_json_url(service_area: &str) -> String {
    format!("/market/{service_area}.json")
}

/// An intention in a market list: its summary, why it is wanted, and how it will be bought.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Title, link, signal, organisation, partners, period.
    #[serde(flatten)]
    pub summary: IntentionSummary,
    /// Evidence and policy drivers.
    pub rationale: Vec<String>,
    /// "Open tender, expected September 2014, worth £1.5 million", when it will be bought.
    pub procurement: Option<String>,
}

fn item(corpus: &Corpus, position: usize) -> Item {
    let it = &corpus.intentions[position];
    Item {
        summary: summarise(corpus, it),
        rationale: it.rationale.clone(),
        procurement: it.procurement.as_ref().map(|p| {
            let mut text = p.route.clone();
            if let Some(d) = p.expected {
                text.push_str(&format!(", expected {d}"));
            }
            if let Some(v) = p.value {
                text.push_str(&format!(", worth {v}"));
            }
            text
        }),
    }
}

/// The market-list entry of each intention of a service area, made once: a market page lists
/// an intention under each of its commissioners, by its signal and where resources reduce or
/// new models are wanted, and the entries are shared, not made again for each list.
struct Items(FxHashMap<usize, Rc<Item>>);

impl Items {
    /// The entries of the intentions at `positions`.
    fn of(corpus: &Corpus, positions: &[usize]) -> Self {
        Items(
            positions
                .iter()
                .map(|&i| (i, Rc::new(item(corpus, i))))
                .collect(),
        )
    }

    /// The entries of the intentions at `positions`, in that order (one the entries were not
    /// made of is made on its own).
    fn list(&self, corpus: &Corpus, positions: &[usize]) -> Vec<Rc<Item>> {
        positions
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| Rc::new(item(corpus, *i)))
            })
            .collect()
    }
}

/// A date tied to an intention, e.g. the next procurement.
#[derive(Debug, Clone, Serialize)]
pub struct DatedLink {
    /// The date for people: "September 2014".
    pub date: String,
    /// The date as written in data: `2014-09`.
    pub iso: String,
    /// The intention.
    pub intention: Link,
    /// Its lead organisation's short name.
    pub organisation: String,
}

fn dated_link(corpus: &Corpus, date: PartialDate, position: usize) -> DatedLink {
    let it = &corpus.intentions[position];
    DatedLink {
        date: date.to_string(),
        iso: date.iso(),
        intention: Link::new(it.title.clone(), intention_url(it)),
        organisation: short_name(corpus, &it.organisation),
    }
}

fn short_name(corpus: &Corpus, organisation: &str) -> String {
    corpus
        .organisation(organisation)
        .map_or_else(|| organisation.to_string(), |o| o.short_name.clone())
}

/// One chart series per signal, in signal order.
fn signal_series() -> Vec<Series> {
    Signal::ALL
        .iter()
        .map(|s| Series {
            key: s.id(),
            label: s.label().to_string(),
        })
        .collect()
}

/// "1 intention" / "3 intentions" and the like.
fn count(n: usize, one: &str, many: &str) -> String {
    super::common::count_words(n, one, many)
}
