//! Priority pages: who declares each shared priority, and their intentions on it side by
//! side, organisation by organisation.

use serde::Serialize;

use super::common::{
    count_words, home_url, organisation_link, priority_url, summaries, IntentionSummary, Link,
};
use super::{page, Page, PageMeta, PagePlan};
use crate::model::{Corpus, Taxon};

#[derive(Serialize)]
struct PriorityView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    declared_by: Vec<Link>,
    not_declared_by: Vec<Link>,
    groups: Vec<OrganisationGroup>,
    intention_count: String,
}

#[derive(Serialize)]
struct OrganisationGroup {
    id: String,
    organisation: Link,
    declared: bool,
    intentions: Vec<IntentionSummary>,
}

#[derive(Serialize)]
struct PriorityItem {
    link: Link,
    description: Option<String>,
    declared_by: String,
    intentions: String,
}

/// `/priorities/`: every shared priority with how many declare it and how many intentions.
pub fn index(corpus: &Corpus) -> Page {
    let items: Vec<PriorityItem> = corpus
        .priorities
        .iter()
        .enumerate()
        .map(|(p, priority)| PriorityItem {
            link: Link::new(priority.name.clone(), priority_url(&priority.id)),
            description: priority.description.clone(),
            declared_by: count_words(
                corpus.index.organisations_by_priority[p].len(),
                "organisation",
                "organisations",
            ),
            intentions: count_words(
                corpus.index.intentions_by_priority[p].len(),
                "intention",
                "intentions",
            ),
        })
        .collect();
    page(
        "/priorities/".into(),
        "priorities.html",
        PageMeta {
            title: "Shared priorities".into(),
            description: "The commissioning priorities councils and the NHS share, and the intentions on each.".into(),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({ "priorities": items }),
    )
}

/// `/priorities/<id>/` for every priority.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    corpus
        .priorities
        .iter()
        .enumerate()
        .map(|(p, priority)| {
            PagePlan::later(priority_url(&priority.id), move || {
                priority_page(corpus, p, priority)
            })
        })
        .collect()
}

fn priority_page(corpus: &Corpus, p: usize, priority: &Taxon) -> Page {
    let declaring = &corpus.index.organisations_by_priority[p];
    let tagged = &corpus.index.intentions_by_priority[p];
    let mut led_by = vec![Vec::new(); corpus.organisations.len()];
    for &i in tagged {
        if let Some(o) = corpus.organisation_pos(&corpus.intentions[i].organisation) {
            led_by[o].push(i);
        }
    }
    let groups: Vec<OrganisationGroup> = corpus
        .organisations
        .iter()
        .zip(led_by)
        .enumerate()
        .filter_map(|(o, (org, led))| {
            let declared = declaring.contains(&o);
            (declared || !led.is_empty()).then(|| OrganisationGroup {
                id: org.id.clone(),
                organisation: organisation_link(org),
                declared,
                intentions: summaries(corpus, &led),
            })
        })
        .collect();
    let view = PriorityView {
        name: &priority.name,
        description: priority.description.as_deref(),
        declared_by: declaring
            .iter()
            .map(|&o| organisation_link(&corpus.organisations[o]))
            .collect(),
        not_declared_by: corpus
            .organisations
            .iter()
            .enumerate()
            .filter(|(o, _)| !declaring.contains(o))
            .map(|(_, org)| organisation_link(org))
            .collect(),
        groups,
        intention_count: count_words(tagged.len(), "intention", "intentions"),
    };
    page(
        priority_url(&priority.id),
        "priority.html",
        PageMeta {
            title: priority.name.clone(),
            description: priority
                .description
                .clone()
                .unwrap_or_else(|| format!("Who shares the priority {}.", priority.name)),
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Shared priorities", "/priorities/"),
            ],
        },
        &view,
    )
}
