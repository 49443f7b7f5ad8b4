//! Browse pages: `/intentions/` lists every intention in one table, and the pre-rendered
//! filtered views `/intentions/<filter>/<id>/` (by organisation, priority, service area,
//! signal and area) show the same table for one value, so everything can be found without
//! JavaScript. Which intentions each view holds, and in what order, is decided here.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::common::{count_words, home_url, intention_url, organisation_link, Link, SignalView};
use super::{page, Page, PageMeta, PagePlan, RowList, SharedRows};
use crate::model::{BudgetKind, Corpus, Intention, Signal};

/// The address of the list of every intention.
pub const BROWSE_URL: &str = "/intentions/";

/// One way of filtering intentions: its id (the second part of a filtered view's address,
/// and the name of the row's data attribute the client-side filter reads) and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// The lead organisation.
    Organisation,
    /// A shared priority.
    Priority,
    /// A service area.
    ServiceArea,
    /// The signal.
    Signal,
    /// The area of the lead organisation or of a partner.
    Area,
}

impl Filter {
    /// Every filter, in the order readers see them.
    pub const ALL: [Filter; 5] = [
        Filter::Organisation,
        Filter::Priority,
        Filter::ServiceArea,
        Filter::Signal,
        Filter::Area,
    ];

    /// The id used in addresses, e.g. `service-area`.
    pub fn id(self) -> &'static str {
        match self {
            Filter::Organisation => "organisation",
            Filter::Priority => "priority",
            Filter::ServiceArea => "service-area",
            Filter::Signal => "signal",
            Filter::Area => "area",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Filter::Organisation => "Organisation",
            Filter::Priority => "Shared priority",
            Filter::ServiceArea => "Service area",
            Filter::Signal => "Signal",
            Filter::Area => "Area",
        }
    }
}

/// The address of a filtered view, e.g. `/intentions/signal/grow/`.
pub fn filter_url(filter: Filter, value: &str) -> String {
    format!("{BROWSE_URL}{}/{value}/", filter.id())
}

/// One value of a filter with the intentions it holds, as positions in corpus order.
struct FilterValue {
    filter: Filter,
    id: String,
    name: String,
    /// Words for headings: "led by Warwickshire County Council", "that grow", …
    phrase: String,
    intentions: Vec<usize>,
}

/// Every value of every filter, each with its intentions, in corpus order. Organisations
/// come in corpus order, priorities and service areas in taxonomy order, signals in their
/// own order and areas by name; values no intention has are kept so their addresses stay.
fn filter_values(corpus: &Corpus) -> Vec<FilterValue> {
    let mut values = Vec::new();
    for (o, org) in corpus.organisations.iter().enumerate() {
        values.push(FilterValue {
            filter: Filter::Organisation,
            id: org.id.clone(),
            name: org.name.clone(),
            phrase: format!("led by {}", org.name),
            intentions: corpus.index.intentions_by_organisation[o].clone(),
        });
    }
    for (p, priority) in corpus.priorities.iter().enumerate() {
        values.push(FilterValue {
            filter: Filter::Priority,
            id: priority.id.clone(),
            name: priority.name.clone(),
            phrase: format!("on the shared priority {}", priority.name),
            intentions: corpus.index.intentions_by_priority[p].clone(),
        });
    }
    for (s, area) in corpus.service_areas.iter().enumerate() {
        values.push(FilterValue {
            filter: Filter::ServiceArea,
            id: area.id.clone(),
            name: area.name.clone(),
            phrase: format!("in the service area {}", area.name),
            intentions: corpus.index.intentions_by_service_area[s].clone(),
        });
    }
    for &signal in Signal::ALL {
        values.push(FilterValue {
            filter: Filter::Signal,
            id: signal.id().into(),
            name: signal.label().into(),
            phrase: format!("with the signal {}", signal.label()),
            intentions: positions(corpus, |it| it.signal == signal),
        });
    }
    // Each area's intentions, in corpus order, dealt from each intention's areas in one pass
    // rather than every intention looked at again for every area.
    let mut in_area = vec![Vec::new(); corpus.areas.len()];
    for (i, it) in corpus.intentions.iter().enumerate() {
        for area in intention_areas(corpus, it) {
            if let Some(a) = corpus.area_pos(&area) {
                in_area[a].push(i);
            }
        }
    }
    for (area, intentions) in corpus.areas.iter().zip(in_area) {
        values.push(FilterValue {
            filter: Filter::Area,
            id: area.id.clone(),
            name: area.name.clone(),
            phrase: format!("by commissioners in {}", area.name),
            intentions,
        });
    }
    values
}

fn positions(corpus: &Corpus, keep: impl Fn(&Intention) -> bool) -> Vec<usize> {
    corpus
        .intentions
        .iter()
        .enumerate()
        .filter(|(_, it)| keep(it))
        .map(|(i, _)| i)
        .collect()
}

/// The areas of an intention's lead organisation and partners, each once, lead first.
fn intention_areas(corpus: &Corpus, intention: &Intention) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    let commissioners = std::iter::once(&intention.organisation).chain(&intention.partners);
    for org in commissioners.filter_map(|id| corpus.organisation(id)) {
        if !areas.contains(&org.area) {
            areas.push(org.area.clone());
        }
    }
    areas
}

#[derive(Serialize)]
struct BrowseView {
    /// "All 367 intentions." or "Showing 80 of 367 intentions."
    count_text: String,
    /// How many rows the table has.
    count: usize,
    /// How many intentions there are on the site.
    total: usize,
    caption: String,
    /// The filter shown, when this is a filtered view.
    current: Option<CurrentFilter>,
    filters: Vec<FilterGroup>,
    /// Whether the client-side filter form is offered (only on the list of every intention).
    client_filter: bool,
}

#[derive(Serialize)]
struct CurrentFilter {
    filter: &'static str,
    label: &'static str,
    name: String,
    /// The value's own page elsewhere on the site (organisation, priority, market, area).
    related: Option<Link>,
}

#[derive(Serialize)]
struct FilterGroup {
    id: &'static str,
    label: &'static str,
    /// Whether the current view is one of this group's values.
    open: bool,
    options: Vec<FilterOption>,
}

#[derive(Serialize)]
struct FilterOption {
    id: String,
    name: String,
    url: String,
    count: usize,
    current: bool,
}

/// One intention as a row of the browse table.
#[derive(Serialize)]
struct BrowseRow {
    title: String,
    url: String,
    reference: Option<String>,
    organisation: Link,
    partners: Vec<String>,
    signal: SignalView,
    service_areas: Vec<Link>,
    period: String,
    money: Vec<String>,
    dates: Vec<DatedStep>,
    /// "and 2 more milestones on its page", when not every milestone fits in the row.
    more_dates: Option<String>,
    /// Space-separated ids for the client-side filter, one attribute per filter.
    filter_organisation: String,
    filter_priority: String,
    filter_service_area: String,
    filter_signal: &'static str,
    filter_area: String,
}

#[derive(Serialize)]
struct DatedStep {
    iso: String,
    date: String,
    label: String,
}

/// How many milestones a row shows, earliest first; the intention's page has them all.
const MILESTONES_SHOWN: usize = 3;

fn row(corpus: &Corpus, intention: &Intention) -> BrowseRow {
    let organisation = corpus
        .organisation(&intention.organisation)
        .map(organisation_link)
        .unwrap_or_else(|| Link::new(intention.organisation.clone(), home_url()));
    let mut money = Vec::new();
    if let Some(budget) = &intention.budget {
        let kind = match budget.kind {
            Some(BudgetKind::Spend) | None => "budget",
            Some(BudgetKind::Saving) => "saving",
            Some(BudgetKind::Investment) => "investment",
            Some(BudgetKind::Reduction) => "reduction",
        };
        money.push(match &budget.period {
            Some(period) => format!("{} {kind} ({period})", budget.amount),
            None => format!("{} {kind}", budget.amount),
        });
    }
    if let Some(value) = intention.procurement.as_ref().and_then(|p| p.value) {
        money.push(format!("{value} contract"));
    }
    let mut dates: Vec<DatedStep> = Vec::new();
    if let Some(procurement) = &intention.procurement {
        if let Some(expected) = procurement.expected {
            dates.push(DatedStep {
                iso: expected.iso(),
                date: expected.to_string(),
                label: format!("Procurement ({})", procurement.route),
            });
        }
    }
    let mut milestones: Vec<_> = intention.milestones.iter().collect();
    milestones.sort_by_key(|m| m.date.first_day_key());
    let more_dates = milestones
        .len()
        .checked_sub(MILESTONES_SHOWN)
        .filter(|&more| more > 0)
        .map(|more| {
            format!(
                "and {} on its page",
                count_words(more, "more milestone", "more milestones")
            )
        });
    dates.extend(
        milestones
            .into_iter()
            .take(MILESTONES_SHOWN)
            .map(|m| DatedStep {
                iso: m.date.iso(),
                date: m.date.to_string(),
                label: m.label.clone(),
            }),
    );
    BrowseRow {
        title: intention.title.clone(),
        url: intention_url(intention),
        reference: intention.reference.clone(),
        organisation,
        partners: intention
            .partners
            .iter()
            .filter_map(|p| corpus.organisation(p))
            .map(|o| o.short_name.clone())
            .collect(),
        signal: intention.signal.into(),
        service_areas: intention
            .service_areas
            .iter()
            .filter_map(|s| corpus.service_area(s))
            .map(|s| Link::new(s.name.clone(), filter_url(Filter::ServiceArea, &s.id)))
            .collect(),
        period: intention.period.to_string(),
        money,
        dates,
        more_dates,
        filter_organisation: intention.organisation.clone(),
        filter_priority: intention.priorities.join(" "),
        filter_service_area: intention.service_areas.join(" "),
        filter_signal: intention.signal.id(),
        filter_area: intention_areas(corpus, intention).join(" "),
    }
}

fn filter_groups(values: &[FilterValue], current: Option<(Filter, &str)>) -> Vec<FilterGroup> {
    Filter::ALL
        .iter()
        .map(|&filter| FilterGroup {
            id: filter.id(),
            label: filter.label(),
            open: current.is_some_and(|(f, _)| f == filter),
            options: values
                .iter()
                .filter(|v| v.filter == filter)
                .map(|v| FilterOption {
                    id: v.id.clone(),
                    name: v.name.clone(),
                    url: filter_url(filter, &v.id),
                    count: v.intentions.len(),
                    current: current == Some((filter, v.id.as_str())),
                })
                .collect(),
        })
        .collect()
}

/// The value's own page elsewhere on the site, for "see also".
fn related_page(corpus: &Corpus, value: &FilterValue) -> Option<Link> {
    match value.filter {
        Filter::Organisation => Some(Link::new(
            format!("{}'s plan and themes", value.name),
            super::common::organisation_url(&value.id),
        )),
        Filter::Priority => Some(Link::new(
            format!("Who shares the priority {}", value.name),
            super::common::priority_url(&value.id),
        )),
        Filter::ServiceArea => Some(Link::new(
            format!("Market position statement: {}", value.name),
            super::common::market_url(&value.id),
        ))
        .filter(|_| corpus.service_area(&value.id).is_some()),
        Filter::Signal => None,
        Filter::Area => Some(Link::new(
            format!("About {}", value.name),
            super::common::area_url(&value.id),
        )),
    }
}

/// `/intentions/` and every filtered view under it.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    let total = corpus.intentions.len();
    let values = Arc::new(filter_values(corpus));
    // Rows are made once, and laid out once, for every list that shows them.
    let rows = Arc::new(SharedRows::new(
        ROW_TEMPLATE,
        corpus
            .intentions
            .par_iter()
            .map(|it| row(corpus, it))
            .collect(),
    ));
    let (all_values, all_rows) = (Arc::clone(&values), Arc::clone(&rows));
    let mut pages = vec![PagePlan::later(BROWSE_URL.into(), move || {
        let all = BrowseView {
            count_text: format!("All {}.", count_words(total, "intention", "intentions")),
            count: total,
            total,
            caption: format!("Every intention ({total})"),
            current: None,
            filters: filter_groups(&all_values, None),
            client_filter: true,
        };
        with_rows(
            RowList {
                shared: all_rows,
                picks: (0..total).collect(),
            },
            BROWSE_URL.into(),
            PageMeta {
                title: "Every intention".into(),
                description: format!(
                    "All {total} commissioning intentions on {}, with filters by organisation, shared priority, service area, signal and area.",
                    corpus.site.title
                ),
                breadcrumbs: vec![Link::new("Home", home_url())],
            },
            &all,
        )
    })];
    pages.extend((0..values.len()).map(|v| {
        let url = filter_url(values[v].filter, &values[v].id);
        let (values, rows) = (Arc::clone(&values), Arc::clone(&rows));
        PagePlan::later(url.clone(), move || filtered(corpus, &values, v, rows, url))
    }));
    pages
}

/// A filtered view: the browse list of one filter value, `values[v]`.
fn filtered(
    corpus: &Corpus,
    values: &[FilterValue],
    v: usize,
    rows: Arc<SharedRows>,
    url: String,
) -> Page {
    let total = corpus.intentions.len();
    let value = &values[v];
    let count = value.intentions.len();
    let view = BrowseView {
        count_text: format!(
            "Showing {count} of {}.",
            count_words(total, "intention", "intentions")
        ),
        count,
        total,
        caption: format!(
            "{} {} ({count})",
            if count == 1 {
                "Intention"
            } else {
                "Intentions"
            },
            value.phrase
        ),
        current: Some(CurrentFilter {
            filter: value.filter.id(),
            label: value.filter.label(),
            name: value.name.clone(),
            related: related_page(corpus, value),
        }),
        filters: filter_groups(values, Some((value.filter, &value.id))),
        client_filter: false,
    };
    with_rows(
        RowList {
            shared: rows,
            picks: value.intentions.clone(),
        },
        url,
        PageMeta {
            title: format!("Intentions {}", value.phrase),
            description: format!(
                "{} {}, of {total} on {}.",
                count_words(count, "intention", "intentions"),
                value.phrase,
                corpus.site.title
            ),
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Every intention", BROWSE_URL),
            ],
        },
        &view,
    )
}

/// The template that lays out one [`BrowseRow`] of the table.
const ROW_TEMPLATE: &str = "browse-row.html";

/// A browse page listing `rows`: each a [`BrowseRow`], made and laid out once per intention
/// and shared by every view that lists it.
fn with_rows(rows: RowList, url: String, meta: PageMeta, view: &BrowseView) -> Page {
    let mut page = page(url, "browse.html", meta, view);
    page.rows = Some(rows);
    page
}
