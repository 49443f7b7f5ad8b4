//! The home page (what this is, the organisations, the latest changes, a way in for each
//! kind of reader) and the "page not found" page.

use serde::Serialize;

use super::common::{area_url, count_words, organisation_url, summaries, IntentionSummary, Link};
use super::{page, Page, PageMeta};
use crate::model::Corpus;

/// How many recent changes the home page lists.
const LATEST: usize = 10;

#[derive(Serialize)]
struct HomeView {
    description: String,
    counts: Counts,
    areas: Vec<AreaGroup>,
    latest: Vec<IntentionSummary>,
}

#[derive(Serialize)]
struct Counts {
    organisations: usize,
    intentions: usize,
    priorities: usize,
    areas: usize,
}

/// An area and its organisations, for lists.
#[derive(Serialize)]
pub struct AreaGroup {
    /// The area.
    pub area: Link,
    /// Its organisations.
    pub organisations: Vec<OrganisationItem>,
}

/// An organisation in a list.
#[derive(Serialize)]
pub struct OrganisationItem {
    /// Name and page.
    pub link: Link,
    /// What kind of body it is.
    pub kind: &'static str,
    /// Its plan's title.
    pub plan: String,
    /// Its plan's period.
    pub period: String,
    /// Draft or approved.
    pub status: &'static str,
    /// "12 intentions".
    pub intentions: String,
}

/// Every area with its organisations, in corpus order.
pub fn area_groups(corpus: &Corpus) -> Vec<AreaGroup> {
    corpus
        .areas
        .iter()
        .enumerate()
        .map(|(a, area)| AreaGroup {
            area: Link::new(area.name.clone(), area_url(&area.id)),
            organisations: corpus.index.organisations_by_area[a]
                .iter()
                .map(|&o| {
                    let org = &corpus.organisations[o];
                    OrganisationItem {
                        link: Link::new(org.name.clone(), organisation_url(&org.id)),
                        kind: org.kind.label(),
                        plan: org.plan.title.clone(),
                        period: org.plan.period.to_string(),
                        status: org.plan.status.label(),
                        intentions: count_words(
                            corpus.index.intentions_by_organisation[o].len(),
                            "intention",
                            "intentions",
                        ),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The home page.
pub fn home(corpus: &Corpus) -> Page {
    let mut latest: Vec<usize> = (0..corpus.intentions.len()).collect();
    // Newest first; ties keep corpus order so the list is stable between builds.
    latest.sort_by(|&a, &b| {
        corpus.intentions[b]
            .updated
            .cmp(&corpus.intentions[a].updated)
    });
    latest.truncate(LATEST);
    let view = HomeView {
        description: corpus.site.description.clone(),
        counts: Counts {
            organisations: corpus.organisations.len(),
            intentions: corpus.intentions.len(),
            priorities: corpus.priorities.len(),
            areas: corpus.areas.len(),
        },
        areas: area_groups(corpus),
        latest: summaries(corpus, &latest),
    };
    page(
        "/".into(),
        "index.html",
        PageMeta {
            title: corpus.site.title.clone(),
            description: corpus.site.description.clone(),
            breadcrumbs: Vec::new(),
        },
        &view,
    )
}

/// The page shown for addresses that do not exist.
pub fn not_found(corpus: &Corpus) -> Page {
    page(
        "/404.html".into(),
        "404.html",
        PageMeta {
            title: "Page not found".into(),
            description: format!("This page does not exist on {}.", corpus.site.title),
            breadcrumbs: Vec::new(),
        },
        &serde_json::json!({}),
    )
}
