//! Organisation pages: the plan, its themes, the priorities it declares, and every
//! intention it leads grouped by theme, plus those it commissions jointly with others.

use serde::Serialize;

use super::common::{
    area_url, count_words, home_url, organisation_url, priority_url, signal_counts, summaries,
    IntentionSummary, Link, SignalCount,
};
use super::home::area_groups;
use super::{page, Page, PageMeta, PagePlan};
use crate::model::{Contact, Corpus, Organisation};

#[derive(Serialize)]
struct OrganisationView<'a> {
    name: &'a str,
    short_name: &'a str,
    kind: &'static str,
    area: Link,
    website: Option<&'a str>,
    contact: Option<&'a Contact>,
    plan: PlanView<'a>,
    body_html: &'a str,
    intention_count: String,
    signals: Vec<SignalCount>,
    priorities: Vec<PriorityItem>,
    themes: Vec<ThemeGroup<'a>>,
    partner_in: Vec<IntentionSummary>,
    feed_url: Option<String>,
    calendar_url: String,
}

#[derive(Serialize)]
struct PlanView<'a> {
    title: &'a str,
    period: String,
    published: String,
    published_iso: String,
    status: &'static str,
    status_id: &'static str,
    source: Option<&'a str>,
    source_is_link: bool,
}

#[derive(Serialize)]
struct PriorityItem {
    link: Link,
    declared: bool,
    intentions: usize,
    intentions_text: String,
}

#[derive(Serialize)]
struct ThemeGroup<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    intentions: Vec<IntentionSummary>,
}

/// `/organisations/`: every organisation, by area.
pub fn index(corpus: &Corpus) -> Page {
    page(
        "/organisations/".into(),
        "organisations.html",
        PageMeta {
            title: "Organisations".into(),
            description:
                "Every council and NHS body whose commissioning intentions are published here."
                    .into(),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({ "areas": area_groups(corpus) }),
    )
}

/// `/organisations/<id>/` for every organisation.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    corpus
        .organisations
        .iter()
        .enumerate()
        .map(|(o, org)| {
            PagePlan::later(organisation_url(&org.id), move || {
                organisation_page(corpus, o, org)
            })
        })
        .collect()
}

/// The page of the organisation with this id alone, as [`pages`] makes it.
pub fn page_of(corpus: &Corpus, id: &str) -> Option<Page> {
    let o = corpus.organisation_pos(id)?;
    Some(organisation_page(corpus, o, &corpus.organisations[o]))
}

fn organisation_page(corpus: &Corpus, o: usize, org: &Organisation) -> Page {
    let led = &corpus.index.intentions_by_organisation[o];
    // Priorities it declares, then any its intentions use without declaring them.
    // Its intentions on each priority, counted from its own intentions: looking for them
    // among every intention of each priority took time in the whole corpus for each page.
    let mut on_priority = vec![0; corpus.priorities.len()];
    for &i in led {
        for id in &corpus.intentions[i].priorities {
            if let Some(p) = corpus.priority_pos(id) {
                on_priority[p] += 1;
            }
        }
    }
    let mut priorities: Vec<PriorityItem> = Vec::new();
    for (priority, &intentions) in corpus.priorities.iter().zip(&on_priority) {
        let declared = org.priorities.contains(&priority.id);
        if declared || intentions > 0 {
            priorities.push(PriorityItem {
                link: Link::new(priority.name.clone(), priority_url(&priority.id)),
                declared,
                intentions,
                intentions_text: count_words(intentions, "intention", "intentions"),
            });
        }
    }
    priorities.sort_by_key(|p| !p.declared);
    let mut themes: Vec<ThemeGroup> = org
        .themes
        .iter()
        .map(|t| ThemeGroup {
            id: &t.id,
            name: &t.name,
            description: t.description.as_deref(),
            intentions: summaries(
                corpus,
                &led.iter()
                    .copied()
                    .filter(|&i| corpus.intentions[i].theme.as_deref() == Some(t.id.as_str()))
                    .collect::<Vec<_>>(),
            ),
        })
        .filter(|g| !g.intentions.is_empty())
        .collect();
    let unthemed: Vec<usize> = led
        .iter()
        .copied()
        .filter(|&i| corpus.intentions[i].theme.is_none())
        .collect();
    if !unthemed.is_empty() {
        themes.push(ThemeGroup {
            id: "other-intentions",
            name: if themes.is_empty() {
                "Intentions"
            } else {
                "Other intentions"
            },
            description: None,
            intentions: summaries(corpus, &unthemed),
        });
    }
    let area = corpus
        .area(&org.area)
        .map(|a| Link::new(a.name.clone(), area_url(&a.id)))
        .unwrap_or_else(|| Link::new(org.area.clone(), area_url(&org.area)));
    let source = org.plan.source.as_deref();
    let view = OrganisationView {
        name: &org.name,
        short_name: &org.short_name,
        kind: org.kind.label(),
        area: area.clone(),
        website: org.website.as_deref(),
        contact: org.contact.as_ref(),
        plan: PlanView {
            title: &org.plan.title,
            period: org.plan.period.to_string(),
            published: org.plan.published.to_string(),
            published_iso: org.plan.published.iso(),
            status: org.plan.status.label(),
            status_id: org.plan.status.id(),
            source,
            source_is_link: source
                .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://")),
        },
        body_html: &org.body_html,
        intention_count: count_words(led.len(), "intention", "intentions"),
        signals: signal_counts(corpus, led),
        priorities,
        themes,
        partner_in: summaries(corpus, &corpus.index.partner_intentions[o]),
        feed_url: Some(super::feeds::organisation_feed_url(&org.id)),
        calendar_url: super::calendar::organisation_calendar_url(&org.id),
    };
    page(
        organisation_url(&org.id),
        "organisation.html",
        PageMeta {
            title: org.name.clone(),
            description: format!(
                "{}: {} for {}, {}.",
                org.name,
                org.plan.title,
                org.plan.period,
                count_words(led.len(), "intention", "intentions")
            ),
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Organisations", "/organisations/"),
            ],
        },
        &view,
    )
}
