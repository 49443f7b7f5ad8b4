//! `/market/<service-area-id>/` and `/market/<service-area-id>.json`: one service area's
//! market position statement: the authored narrative, then what the intentions say: each
//! commissioner's direction and why, intentions by signal, targets, the timeline of
//! procurements and milestones, where money will fall, new models wanted, and contacts.

use std::rc::Rc;

use serde::Serialize;

use super::charts::{stacked_bars, Bar, Chart, Series};
use super::figures::{
    commissioners, events_by_year, money_lines, next_procurement, sum_targets, timeline,
    undated_procurements, EventKind, MoneyLine, Tally, TargetSums,
};
use super::{
    count, dated_link, market_json_url, short_name, signal_series, DatedLink, Item, Items,
};
use crate::model::{BudgetKind, Contact, Corpus, MarketNarrative, Signal, Taxon};
use crate::values::format_number;
use crate::views::common::{
    area_url, home_url, intention_url, market_url, organisation_url, Link, SignalView,
};
use crate::views::intention::target_sentence;
use crate::views::{page, DataPlan, Page, PageMeta, PagePlan};

/// Everything a market page shows that is worked out from the content; also its open data.
#[derive(Serialize)]
pub struct MarketData {
    /// The page's address.
    path: String,
    /// The open data's address.
    json: String,
    service_area: ServiceAreaData,
    narrative: Option<NarrativeData>,
    intention_count: usize,
    /// "12 intentions".
    intentions_text: String,
    signals: Tally,
    signals_text: String,
    leaning: &'static str,
    commissioners: Vec<CommissionerData>,
    by_signal: Vec<SignalGroup>,
    targets: Vec<TargetRow>,
    target_sums: TargetSums,
    money: Vec<MoneyLine>,
    next_procurement: Option<DatedLink>,
    timeline: Vec<EventRow>,
    undated_procurements: Vec<ProcurementRow>,
    reductions: Reductions,
    new_models: Vec<Rc<Item>>,
}

#[derive(Serialize)]
struct ServiceAreaData {
    id: String,
    name: String,
    description: Option<String>,
}

#[derive(Serialize)]
struct NarrativeData {
    summary: Option<String>,
    demand: Vec<String>,
    supply: Vec<String>,
    spend: Vec<SpendRow>,
    /// The narrative as HTML (sanitised when loaded).
    body_html: String,
}

#[derive(Serialize)]
struct SpendRow {
    label: String,
    amount: f64,
    amount_text: String,
    period: Option<String>,
    source: Option<String>,
}

#[derive(Serialize)]
struct CommissionerData {
    id: String,
    organisation: Link,
    name: String,
    area: Link,
    led: usize,
    joint: usize,
    /// "Leads 3 intentions and commissions 1 jointly."
    role_text: String,
    signals: Tally,
    signals_text: String,
    leaning: &'static str,
    intentions: Vec<Rc<Item>>,
    contact: Option<Contact>,
    website: Option<String>,
}

#[derive(Serialize)]
struct SignalGroup {
    signal: SignalView,
    count: usize,
    intentions: Vec<Rc<Item>>,
}

#[derive(Serialize)]
struct TargetRow {
    measure: String,
    value: f64,
    unit: Option<String>,
    /// "21 beds", "20%".
    value_text: String,
    direction: Option<&'static str>,
    baseline: Option<String>,
    by: Option<String>,
    by_iso: Option<String>,
    sentence: String,
    intention: Link,
    organisation: String,
}

#[derive(Serialize)]
struct EventRow {
    date: String,
    iso: String,
    kind: &'static str,
    kind_label: &'static str,
    label: String,
    intention: Link,
    organisation: String,
}

#[derive(Serialize)]
struct ProcurementRow {
    route: String,
    value: Option<String>,
    note: Option<String>,
    intention: Link,
    organisation: String,
}

#[derive(Serialize)]
struct Reductions {
    /// Intentions that reduce or decommission.
    intentions: Vec<Rc<Item>>,
    /// Budgets of kind reduction or saving, whatever the signal.
    budgets: Vec<BudgetRow>,
}

#[derive(Serialize)]
struct BudgetRow {
    amount: f64,
    amount_text: String,
    kind: &'static str,
    kind_label: &'static str,
    period: Option<String>,
    note: Option<String>,
    intention: Link,
    organisation: String,
}

#[derive(Serialize)]
struct StatementView<'a> {
    data: &'a MarketData,
    commissioners_chart: Option<Chart>,
    timeline_chart: Option<Chart>,
}

/// The service areas that get a page: those any intention uses, and those with a narrative.
fn published(corpus: &Corpus) -> impl Iterator<Item = (usize, &Taxon)> {
    corpus.service_areas.iter().enumerate().filter(|(s, t)| {
        !corpus.index.intentions_by_service_area[*s].is_empty() || corpus.market(&t.id).is_some()
    })
}

/// `/market/<service-area-id>/` for every service area in use or with a narrative.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    published(corpus)
        .map(|(s, taxon)| {
            PagePlan::later(market_url(&taxon.id), move || {
                let data = derive(corpus, s, taxon);
                statement_page(corpus, s, taxon, &data)
            })
        })
        .collect()
}

/// The market page of the service area with this id alone, as [`pages`] makes it.
pub fn page_of(corpus: &Corpus, service_area: &str) -> Option<Page> {
    let (s, taxon) = published(corpus).find(|(_, t)| t.id == service_area)?;
    let data = derive(corpus, s, taxon);
    Some(statement_page(corpus, s, taxon, &data))
}

/// `/market/<service-area-id>.json` for every market page: the page's derived data, written
/// as it is serialised (2 to 3 MB each at 10,000 intentions, grown in memory a copy at a time
/// when made whole).
pub fn files(corpus: &Corpus) -> Vec<DataPlan<'_>> {
    published(corpus)
        .map(|(s, taxon)| {
            let path = market_json_url(&taxon.id)
                .trim_start_matches('/')
                .to_string();
            DataPlan::streamed(path, move |out| {
                serde_json::to_writer_pretty(out, &derive(corpus, s, taxon))
                    .map_err(|e| format!("could not write the market data of {}: {e}", taxon.id))
            })
        })
        .collect()
}

/// Works out everything a market page shows for the service area at position `s`.
pub fn derive(corpus: &Corpus, s: usize, taxon: &Taxon) -> MarketData {
    let positions = &corpus.index.intentions_by_service_area[s];
    let intentions = || positions.iter().map(|&i| &corpus.intentions[i]);
    let signals = Tally::of(intentions());
    let made = Items::of(corpus, positions);
    let link = |i: usize| {
        let it = &corpus.intentions[i];
        Link::new(it.title.clone(), intention_url(it))
    };
    let lead = |i: usize| short_name(corpus, &corpus.intentions[i].organisation);

    let commissioner_data = commissioners(corpus, positions)
        .into_iter()
        .map(|c| {
            let org = &corpus.organisations[c.organisation];
            let all = c.all();
            let tally = Tally::of(all.iter().map(|&i| &corpus.intentions[i]));
            let role_text = match (c.led.len(), c.joint.len()) {
                (led, 0) => format!("Leads {}.", count(led, "intention", "intentions")),
                (0, joint) => format!(
                    "Commissions {} jointly, led by others.",
                    count(joint, "intention", "intentions")
                ),
                (led, joint) => format!(
                    "Leads {} and commissions {joint} jointly, led by others.",
                    count(led, "intention", "intentions")
                ),
            };
            CommissionerData {
                id: org.id.clone(),
                organisation: Link::new(org.short_name.clone(), organisation_url(&org.id)),
                name: org.name.clone(),
                area: corpus.area(&org.area).map_or_else(
                    || Link::new(org.area.clone(), area_url(&org.area)),
                    |a| Link::new(a.name.clone(), area_url(&a.id)),
                ),
                led: c.led.len(),
                joint: c.joint.len(),
                role_text,
                signals: tally,
                signals_text: tally.words(),
                leaning: tally.leaning(),
                intentions: made.list(corpus, &all),
                contact: org.contact.clone(),
                website: org.website.clone(),
            }
        })
        .collect();

    let by_signal = Signal::ALL
        .iter()
        .map(|&s| {
            let matching: Vec<usize> = positions
                .iter()
                .copied()
                .filter(|&i| corpus.intentions[i].signal == s)
                .collect();
            SignalGroup {
                signal: s.into(),
                count: matching.len(),
                intentions: made.list(corpus, &matching),
            }
        })
        .filter(|g| g.count > 0)
        .collect();

    // Targets with a date first, earliest first; then the rest, in intention order.
    let mut targets: Vec<(usize, usize)> = positions
        .iter()
        .flat_map(|&i| (0..corpus.intentions[i].targets.len()).map(move |t| (i, t)))
        .collect();
    targets.sort_by_key(|&(i, t)| {
        let by = corpus.intentions[i].targets[t].by;
        (by.is_none(), by, i, t)
    });
    let targets = targets
        .into_iter()
        .map(|(i, t)| {
            let target = &corpus.intentions[i].targets[t];
            let value = format_number(target.value);
            TargetRow {
                measure: target.measure.clone(),
                value: target.value,
                unit: target.unit.clone(),
                value_text: match target.unit.as_deref() {
                    Some("%") => format!("{value}%"),
                    Some(u) => format!("{value} {u}"),
                    None => value,
                },
                direction: target.direction.map(|d| d.label()),
                baseline: target.baseline.map(format_number),
                by: target.by.map(|d| d.to_string()),
                by_iso: target.by.map(|d| d.iso()),
                sentence: target_sentence(target),
                intention: link(i),
                organisation: lead(i),
            }
        })
        .collect();

    let timeline_rows = timeline(corpus, positions)
        .into_iter()
        .map(|e| EventRow {
            date: e.date.to_string(),
            iso: e.date.iso(),
            kind: e.kind.id(),
            kind_label: e.kind.label(),
            label: e.label,
            intention: link(e.position),
            organisation: lead(e.position),
        })
        .collect();
    let undated = undated_procurements(corpus, positions)
        .into_iter()
        .filter_map(|i| {
            corpus.intentions[i]
                .procurement
                .as_ref()
                .map(|p| ProcurementRow {
                    route: p.route.clone(),
                    value: p.value.map(|v| v.to_string()),
                    note: p.note.clone(),
                    intention: link(i),
                    organisation: lead(i),
                })
        })
        .collect();

    let shrinking: Vec<usize> = positions
        .iter()
        .copied()
        .filter(|&i| {
            matches!(
                corpus.intentions[i].signal,
                Signal::Reduce | Signal::Decommission
            )
        })
        .collect();
    let budgets = positions
        .iter()
        .filter_map(|&i| {
            let b = corpus.intentions[i].budget.as_ref()?;
            let kind = b
                .kind
                .filter(|k| matches!(k, BudgetKind::Reduction | BudgetKind::Saving))?;
            Some(BudgetRow {
                amount: b.amount.0,
                amount_text: b.amount.to_string(),
                kind: kind.id(),
                kind_label: kind.label(),
                period: b.period.map(|p| p.to_string()),
                note: b.note.clone(),
                intention: link(i),
                organisation: lead(i),
            })
        })
        .collect();
    let new_models: Vec<usize> = positions
        .iter()
        .copied()
        .filter(|&i| {
            matches!(
                corpus.intentions[i].signal,
                Signal::New | Signal::Recommission
            )
        })
        .collect();

    MarketData {
        path: market_url(&taxon.id),
        json: market_json_url(&taxon.id),
        service_area: ServiceAreaData {
            id: taxon.id.clone(),
            name: taxon.name.clone(),
            description: taxon.description.clone(),
        },
        narrative: corpus.market(&taxon.id).map(narrative),
        intention_count: positions.len(),
        intentions_text: count(positions.len(), "intention", "intentions"),
        signals,
        signals_text: signals.words(),
        leaning: signals.leaning(),
        commissioners: commissioner_data,
        by_signal,
        targets,
        target_sums: sum_targets(intentions().flat_map(|it| it.targets.iter())),
        money: money_lines(intentions()),
        next_procurement: next_procurement(corpus, positions)
            .map(|(date, i)| dated_link(corpus, date, i)),
        timeline: timeline_rows,
        undated_procurements: undated,
        reductions: Reductions {
            intentions: made.list(corpus, &shrinking),
            budgets,
        },
        new_models: made.list(corpus, &new_models),
    }
}

fn narrative(m: &MarketNarrative) -> NarrativeData {
    NarrativeData {
        summary: m.summary.clone(),
        demand: m.demand.clone(),
        supply: m.supply.clone(),
        spend: m
            .spend
            .iter()
            .map(|s| SpendRow {
                label: s.label.clone(),
                amount: s.amount.0,
                // Published figures are shown to the pound, as the source prints them.
                amount_text: format!("£{}", format_number(s.amount.0)),
                period: s.period.map(|p| p.to_string()),
                source: s.source.clone(),
            })
            .collect(),
        body_html: m.body_html.clone(),
    }
}

fn statement_page(corpus: &Corpus, s: usize, taxon: &Taxon, data: &MarketData) -> Page {
    let positions = &corpus.index.intentions_by_service_area[s];
    let commissioners_chart = (!data.commissioners.is_empty()).then(|| {
        let bars: Vec<Bar> = data
            .commissioners
            .iter()
            .map(|c| Bar {
                label: c.organisation.title.clone(),
                url: Some(c.organisation.url.clone()),
                values: Signal::ALL.iter().map(|&s| c.signals.get(s)).collect(),
            })
            .collect();
        let busiest = data.commissioners.iter().max_by(|a, b| {
            (a.led + a.joint)
                .cmp(&(b.led + b.joint))
                .then(b.name.cmp(&a.name))
        });
        let mut summary = format!(
            "{} with intentions in {}. Together: {}.",
            count(data.commissioners.len(), "commissioner", "commissioners"),
            lower_first(&taxon.name),
            data.signals_text
        );
        if let (Some(b), true) = (busiest, data.commissioners.len() > 1) {
            summary.push_str(&format!(
                " {} takes part in the most: {}.",
                b.organisation.title, b.signals_text
            ));
        }
        summary.push_str(" A joint intention counts for each commissioner.");
        stacked_bars(
            "signals-by-commissioner",
            &format!("Direction of travel by commissioner: {}", taxon.name),
            &summary,
            "Commissioner",
            &signal_series(),
            &bars,
        )
    });
    let years = events_by_year(corpus, positions);
    let timeline_chart = (years.len() >= 2).then(|| {
        let series: Vec<Series> = EventKind::ALL
            .iter()
            .map(|k| Series {
                key: k.id(),
                label: match k {
                    EventKind::Procurement => "Procurements expected".into(),
                    EventKind::Milestone => "Milestones".into(),
                    EventKind::TargetDeadline => "Targets due".into(),
                },
            })
            .collect();
        let total: usize = years.iter().map(|(_, v)| v.iter().sum::<usize>()).sum();
        let summary = format!(
            "{} dated between {} and {}; {}.",
            count(total, "step is", "steps are"),
            years.first().map_or(0, |y| y.0),
            years.last().map_or(0, |y| y.0),
            busiest_years(&years)
        );
        stacked_bars(
            "dates-by-year",
            &format!(
                "Procurements, milestones and target dates by year: {}",
                taxon.name
            ),
            &summary,
            "Year",
            &series,
            &years
                .iter()
                .map(|(year, values)| Bar {
                    label: year.to_string(),
                    url: None,
                    values: values.to_vec(),
                })
                .collect::<Vec<_>>(),
        )
    });
    let description = data
        .narrative
        .as_ref()
        .and_then(|n| n.summary.clone())
        .unwrap_or_else(|| {
            format!(
                "Market position statement for {}: {}, {}.",
                taxon.name, data.intentions_text, data.signals_text
            )
        });
    page(
        market_url(&taxon.id),
        "market.html",
        PageMeta {
            title: format!("{}: market position statement", taxon.name),
            description,
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Market position statement", "/market/"),
            ],
        },
        &StatementView {
            data,
            commissioners_chart,
            timeline_chart,
        },
    )
}

/// "the busiest year is 2015, with 4" or "the busiest years are 2014 and 2015, with 2 each".
fn busiest_years(years: &[(i32, [usize; 3])]) -> String {
    let totals: Vec<(i32, usize)> = years
        .iter()
        .map(|(y, v)| (*y, v.iter().sum::<usize>()))
        .collect();
    let most = totals.iter().map(|t| t.1).max().unwrap_or(0);
    let busiest: Vec<String> = totals
        .iter()
        .filter(|t| t.1 == most)
        .map(|t| t.0.to_string())
        .collect();
    match busiest.as_slice() {
        [one] => format!("the busiest year is {one}, with {most}"),
        [rest @ .., last] => format!(
            "the busiest years are {} and {last}, with {most} each",
            rest.join(", ")
        ),
        [] => String::new(),
    }
}

/// "Home care" becomes "home care" inside a sentence; "NHS 111" stays as it is.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{busiest_years, lower_first};

    #[test]
    fn names_read_well_inside_sentences() {
        assert_eq!(lower_first("Home care"), "home care");
        assert_eq!(lower_first("NHS 111"), "NHS 111");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn busiest_years_name_ties() {
        assert_eq!(
            busiest_years(&[(2013, [1, 1, 0]), (2014, [0, 2, 0])]),
            "the busiest years are 2013 and 2014, with 2 each"
        );
        assert_eq!(
            busiest_years(&[(2013, [1, 0, 0]), (2014, [0, 2, 1])]),
            "the busiest year is 2014, with 3"
        );
    }
}
