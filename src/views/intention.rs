//! Intention pages: every field of an intention's front matter, presented for people:
//! dates as "March 2015", money as "£10 million", targets as sentences and a table.

use serde::Serialize;

use super::common::{
    home_url, intention_url, market_url, organisation_link, organisation_url, priority_url,
    summaries, summarise, IntentionSummary, Link, SignalView,
};
use super::{page, Page, PageMeta, PagePlan};
use crate::model::{Corpus, Intention, Target};
use crate::values::format_number;

#[derive(Serialize)]
struct IntentionView<'a> {
    title: &'a str,
    reference: Option<&'a str>,
    summary: Option<&'a str>,
    organisation: Link,
    organisation_name: String,
    /// The lead organisation's area, for the search filter.
    area: Option<Link>,
    partners: Vec<Link>,
    theme: Option<String>,
    priorities: Vec<Link>,
    service_areas: Vec<Link>,
    signal: SignalView,
    period: String,
    cycle_stage: Option<&'static str>,
    status: Option<&'static str>,
    targets: Vec<TargetView>,
    budget: Option<BudgetView>,
    milestones: Vec<DateItem>,
    procurement: Option<ProcurementView>,
    outcomes: &'a [String],
    rationale: &'a [String],
    measures: &'a [String],
    risks: &'a [String],
    related: Vec<IntentionSummary>,
    related_by: Vec<IntentionSummary>,
    updated: String,
    updated_iso: String,
    body_html: &'a str,
    source_path: String,
}

#[derive(Serialize)]
struct TargetView {
    sentence: String,
    measure: String,
    value: String,
    unit: String,
    direction: Option<&'static str>,
    by: Option<String>,
    by_iso: Option<String>,
    baseline: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct BudgetView {
    amount: String,
    kind: Option<&'static str>,
    period: Option<String>,
    note: Option<String>,
}

#[derive(Serialize)]
struct DateItem {
    date: String,
    iso: String,
    label: String,
}

#[derive(Serialize)]
struct ProcurementView {
    route: String,
    expected: Option<String>,
    expected_iso: Option<String>,
    value: Option<String>,
    note: Option<String>,
}

/// A target as one plain sentence: "Short-stay beds: 21 beds, going up from 10, by March 2015."
/// It states the figure and the direction without guessing whether the figure is a level
/// or a change; the measure's own words say that.
pub fn target_sentence(t: &Target) -> String {
    let amount = match &t.unit {
        Some(u) if u == "%" => format!("{}%", format_number(t.value)),
        Some(u) => format!("{} {u}", format_number(t.value)),
        None => format_number(t.value),
    };
    let mut s = format!("{}: {amount}", t.measure);
    match t.direction.map(|d| d.id()) {
        Some("increase") => s.push_str(", going up"),
        Some("decrease") => s.push_str(", going down"),
        Some("maintain") => s.push_str(", held steady"),
        _ => {}
    }
    if let Some(base) = t.baseline {
        s.push_str(&format!(" from {}", format_number(base)));
    }
    if let Some(by) = &t.by {
        s.push_str(&format!(", by {by}"));
    }
    s.push('.');
    s
}

/// `/intentions/<org-id>/<slug>/` for every intention.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    corpus
        .intentions
        .iter()
        .enumerate()
        .map(|(i, intention)| {
            PagePlan::later(intention_url(intention), move || {
                intention_page(corpus, i, intention)
            })
        })
        .collect()
}

/// The page of the intention with this id (`<org-id>/<slug>`) alone, as [`pages`] makes it.
pub fn page_of(corpus: &Corpus, id: &str) -> Option<Page> {
    let position = corpus.intentions.iter().position(|it| it.id == id)?;
    Some(intention_page(
        corpus,
        position,
        &corpus.intentions[position],
    ))
}

fn intention_page(corpus: &Corpus, position: usize, it: &Intention) -> Page {
    let lead = corpus.organisation(&it.organisation);
    let organisation = lead
        .map(organisation_link)
        .unwrap_or_else(|| Link::new(it.organisation.clone(), organisation_url(&it.organisation)));
    let organisation_name = lead.map_or_else(|| it.organisation.clone(), |o| o.name.clone());
    let theme = lead.and_then(|o| {
        o.themes
            .iter()
            .find(|t| Some(&t.id) == it.theme.as_ref())
            .map(|t| t.name.clone())
    });
    let view = IntentionView {
        title: &it.title,
        reference: it.reference.as_deref(),
        summary: it.summary.as_deref(),
        organisation: organisation.clone(),
        organisation_name,
        area: lead
            .and_then(|o| corpus.area(&o.area))
            .map(|a| Link::new(a.name.clone(), super::common::area_url(&a.id))),
        partners: it
            .partners
            .iter()
            .filter_map(|p| corpus.organisation(p))
            .map(|o| Link::new(o.name.clone(), organisation_url(&o.id)))
            .collect(),
        theme,
        priorities: it
            .priorities
            .iter()
            .filter_map(|p| corpus.priority(p))
            .map(|p| Link::new(p.name.clone(), priority_url(&p.id)))
            .collect(),
        service_areas: it
            .service_areas
            .iter()
            .filter_map(|s| corpus.service_area(s))
            .map(|s| Link::new(s.name.clone(), market_url(&s.id)))
            .collect(),
        signal: it.signal.into(),
        period: it.period.to_string(),
        cycle_stage: it.cycle_stage.map(|c| c.label()),
        status: it.status.map(|s| s.label()),
        targets: it
            .targets
            .iter()
            .map(|t| TargetView {
                sentence: target_sentence(t),
                measure: t.measure.clone(),
                value: format_number(t.value),
                unit: t.unit.clone().unwrap_or_default(),
                direction: t.direction.map(|d| d.label()),
                by: t.by.map(|d| d.to_string()),
                by_iso: t.by.map(|d| d.iso()),
                baseline: t.baseline.map(format_number),
                note: t.note.clone(),
            })
            .collect(),
        budget: it.budget.as_ref().map(|b| BudgetView {
            amount: b.amount.to_string(),
            kind: b.kind.map(|k| k.label()),
            period: b.period.map(|p| p.to_string()),
            note: b.note.clone(),
        }),
        milestones: {
            let mut m: Vec<DateItem> = it
                .milestones
                .iter()
                .map(|m| DateItem {
                    date: m.date.to_string(),
                    iso: m.date.iso(),
                    label: m.label.clone(),
                })
                .collect();
            m.sort_by(|a, b| a.iso.cmp(&b.iso));
            m
        },
        procurement: it.procurement.as_ref().map(|p| ProcurementView {
            route: p.route.clone(),
            expected: p.expected.map(|d| d.to_string()),
            expected_iso: p.expected.map(|d| d.iso()),
            value: p.value.map(|v| v.to_string()),
            note: p.note.clone(),
        }),
        outcomes: &it.outcomes,
        rationale: &it.rationale,
        measures: &it.measures,
        risks: &it.risks,
        related: it
            .related
            .iter()
            .filter_map(|r| corpus.intention(r))
            .map(|r| summarise(corpus, r))
            .collect(),
        related_by: summaries(corpus, &corpus.index.related_by[position]),
        updated: it.updated.to_string(),
        updated_iso: it.updated.iso(),
        body_html: &it.body_html,
        source_path: it.source_path.display().to_string(),
    };
    let description = it.summary.clone().unwrap_or_else(|| {
        format!(
            "{} ({}): {}",
            it.title,
            organisation.title,
            it.signal.meaning()
        )
    });
    page(
        intention_url(it),
        "intention.html",
        PageMeta {
            title: it.title.clone(),
            description,
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Organisations", "/organisations/"),
                organisation,
            ],
        },
        &view,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use crate::values::PartialDate;

    #[test]
    fn targets_read_as_sentences() {
        let t = Target {
            measure: "Short-stay beds".into(),
            value: 21.0,
            unit: Some("beds".into()),
            direction: Some(Direction::Increase),
            by: PartialDate::parse("2015-03").ok(),
            baseline: None,
            note: None,
        };
        assert_eq!(
            target_sentence(&t),
            "Short-stay beds: 21 beds, going up, by March 2015."
        );
        let t = Target {
            measure: "Falls admissions".into(),
            value: 20.0,
            unit: Some("%".into()),
            direction: Some(Direction::Decrease),
            by: None,
            baseline: None,
            note: None,
        };
        assert_eq!(target_sentence(&t), "Falls admissions: 20%, going down.");
    }
}
