//! Open data: every intention with all its fields as `/data/intentions.json` (an array of
//! objects, shape pinned in the brief) and `/data/intentions.csv`, and the page describing them.

use serde::Serialize;

use super::common::{home_url, intention_url, Link};
use super::{page, DataPlan, Page, PageMeta};
use crate::model::{Corpus, Intention};

/// One intention in the open data. Field names are a published contract: add, never rename.
#[derive(Serialize)]
struct IntentionRecord<'a> {
    path: String,
    id: &'a str,
    title: &'a str,
    reference: Option<&'a str>,
    summary: Option<&'a str>,
    organisation: &'a str,
    partners: &'a [String],
    theme: Option<&'a str>,
    priorities: &'a [String],
    service_areas: &'a [String],
    signal: &'static str,
    period: String,
    cycle_stage: Option<&'static str>,
    status: Option<&'static str>,
    targets: Vec<TargetRecord<'a>>,
    budget: Option<BudgetRecord<'a>>,
    milestones: Vec<MilestoneRecord<'a>>,
    procurement: Option<ProcurementRecord<'a>>,
    outcomes: &'a [String],
    rationale: &'a [String],
    measures: &'a [String],
    risks: &'a [String],
    related: &'a [String],
    updated: String,
}

#[derive(Serialize)]
struct TargetRecord<'a> {
    measure: &'a str,
    value: f64,
    unit: Option<&'a str>,
    direction: Option<&'static str>,
    by: Option<String>,
    baseline: Option<f64>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct BudgetRecord<'a> {
    amount: f64,
    kind: Option<&'static str>,
    period: Option<String>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct MilestoneRecord<'a> {
    date: String,
    label: &'a str,
}

#[derive(Serialize)]
struct ProcurementRecord<'a> {
    route: &'a str,
    expected: Option<String>,
    value: Option<f64>,
    note: Option<&'a str>,
}

fn period_text(p: &crate::values::Period) -> String {
    if p.start == p.end {
        p.to_string()
    } else {
        let one = |y: i32| {
            if p.financial {
                format!("{y}/{:02}", (y + 1) % 100)
            } else {
                y.to_string()
            }
        };
        format!("{}-{}", one(p.start), one(p.end))
    }
}

fn record(it: &Intention) -> IntentionRecord<'_> {
    IntentionRecord {
        path: intention_url(it),
        id: &it.id,
        title: &it.title,
        reference: it.reference.as_deref(),
        summary: it.summary.as_deref(),
        organisation: &it.organisation,
        partners: &it.partners,
        theme: it.theme.as_deref(),
        priorities: &it.priorities,
        service_areas: &it.service_areas,
        signal: it.signal.id(),
        period: period_text(&it.period),
        cycle_stage: it.cycle_stage.map(|c| c.id()),
        status: it.status.map(|s| s.id()),
        targets: it
            .targets
            .iter()
            .map(|t| TargetRecord {
                measure: &t.measure,
                value: t.value,
                unit: t.unit.as_deref(),
                direction: t.direction.map(|d| d.id()),
                by: t.by.map(|d| d.iso()),
                baseline: t.baseline,
                note: t.note.as_deref(),
            })
            .collect(),
        budget: it.budget.as_ref().map(|b| BudgetRecord {
            amount: b.amount.0,
            kind: b.kind.map(|k| k.id()),
            period: b.period.as_ref().map(period_text),
            note: b.note.as_deref(),
        }),
        milestones: it
            .milestones
            .iter()
            .map(|m| MilestoneRecord {
                date: m.date.iso(),
                label: &m.label,
            })
            .collect(),
        procurement: it.procurement.as_ref().map(|p| ProcurementRecord {
            route: &p.route,
            expected: p.expected.map(|d| d.iso()),
            value: p.value.map(|v| v.0),
            note: p.note.as_deref(),
        }),
        outcomes: &it.outcomes,
        rationale: &it.rationale,
        measures: &it.measures,
        risks: &it.risks,
        related: &it.related,
        updated: it.updated.iso(),
    }
}

/// The CSV columns, in order. Lists are joined with " | ".
const CSV_COLUMNS: &[&str] = &[
    "path",
    "id",
    "title",
    "reference",
    "summary",
    "organisation",
    "partners",
    "theme",
    "priorities",
    "service_areas",
    "signal",
    "period",
    "cycle_stage",
    "status",
    "targets",
    "budget_amount",
    "budget_kind",
    "budget_period",
    "budget_note",
    "milestones",
    "procurement_route",
    "procurement_expected",
    "procurement_value",
    "outcomes",
    "rationale",
    "measures",
    "risks",
    "related",
    "updated",
];

fn csv_row(r: &IntentionRecord) -> Vec<String> {
    let join = |items: &[String]| items.join(" | ");
    let opt = |s: Option<&str>| s.unwrap_or("").to_string();
    let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        r.path.clone(),
        r.id.to_string(),
        r.title.to_string(),
        opt(r.reference),
        opt(r.summary),
        r.organisation.to_string(),
        join(r.partners),
        opt(r.theme),
        join(r.priorities),
        join(r.service_areas),
        r.signal.to_string(),
        r.period.clone(),
        opt(r.cycle_stage),
        opt(r.status),
        r.targets
            .iter()
            .map(|t| {
                let mut s = format!("{}: {}", t.measure, t.value);
                if let Some(u) = t.unit {
                    s.push_str(&format!(" {u}"));
                }
                if let Some(by) = &t.by {
                    s.push_str(&format!(" by {by}"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" | "),
        num(r.budget.as_ref().map(|b| b.amount)),
        opt(r.budget.as_ref().and_then(|b| b.kind)),
        r.budget
            .as_ref()
            .and_then(|b| b.period.clone())
            .unwrap_or_default(),
        opt(r.budget.as_ref().and_then(|b| b.note)),
        r.milestones
            .iter()
            .map(|m| format!("{}: {}", m.date, m.label))
            .collect::<Vec<_>>()
            .join(" | "),
        opt(r.procurement.as_ref().map(|p| p.route)),
        r.procurement
            .as_ref()
            .and_then(|p| p.expected.clone())
            .unwrap_or_default(),
        num(r.procurement.as_ref().and_then(|p| p.value)),
        join(r.outcomes),
        join(r.rationale),
        join(r.measures),
        join(r.risks),
        join(r.related),
        r.updated.clone(),
    ]
}

/// `/data/intentions.json` and `/data/intentions.csv`, each written as its records are made.
pub fn files(corpus: &Corpus) -> Vec<DataPlan<'_>> {
    /// Every intention's record, made as it is written.
    struct Records<'a>(&'a [Intention]);
    impl Serialize for Records<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.iter().map(record))
        }
    }
    let intentions = &corpus.intentions[..];
    vec![
        DataPlan::streamed("data/intentions.json", move |out| {
            serde_json::to_writer_pretty(out, &Records(intentions))
                .map_err(|e| format!("could not write intentions.json: {e}"))
        }),
        DataPlan::streamed("data/intentions.csv", move |out| {
            let failed = |e: csv::Error| format!("could not write intentions.csv: {e}");
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(CSV_COLUMNS).map_err(failed)?;
            for it in intentions {
                csv.write_record(csv_row(&record(it))).map_err(failed)?;
            }
            csv.flush()
                .map_err(|e| format!("could not write intentions.csv: {e}"))
        }),
    ]
}

#[derive(Serialize)]
struct DataLink {
    link: Link,
    format: &'static str,
    description: &'static str,
}

/// `/data/`: what open data there is and how it is shaped.
pub fn index(corpus: &Corpus) -> Page {
    let files = vec![
        DataLink {
            link: Link::new("All intentions (JSON)", "/data/intentions.json"),
            format: "JSON",
            description: "An array with one object per intention and every field, including targets, budget, milestones and procurement.",
        },
        DataLink {
            link: Link::new("All intentions (CSV)", "/data/intentions.csv"),
            format: "CSV",
            description: "One row per intention, for spreadsheets. Lists are joined with a vertical bar.",
        },
        DataLink {
            link: Link::new(
                "Planning data (Open Contracting Data Standard)",
                format!("/{}", super::ocds::OCDS_PATH),
            ),
            format: "JSON",
            description: "An OCDS 1.1 release package with one planning release per intention: the commissioners, rationale, budget, milestones and any planned procurement, for tools that read open contracting data.",
        },
    ];
    page(
        "/data/".into(),
        "data.html",
        PageMeta {
            title: "Open data".into(),
            description: format!(
                "Download every intention on {} as JSON or CSV.",
                corpus.site.title
            ),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({ "files": files, "columns": CSV_COLUMNS, "count": corpus.intentions.len() }),
    )
}
