//! Raw content types: exactly what an editor may write in YAML, deserialised by serde with
//! unknown keys refused. Nothing here is checked beyond its shape; `model` validates it.
#![allow(missing_docs)] // Every field is described in the README's content reference.

use serde::Deserialize;

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: String,
    pub description: String,
    pub base_url: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub navigation: Vec<RawNavLink>,
}

/// One link in the site's header navigation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNavLink {
    pub title: String,
    pub url: String,
}

/// One entry of a taxonomy file (a shared priority or a service area).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaxon {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// Front matter of `areas/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub facts: Vec<RawFact>,
}

/// A key fact about an area.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// Front matter of `organisations/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub order: Option<i64>,
    pub kind: String,
    pub area: String,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub contact: Option<RawContact>,
    pub plan: RawPlan,
    #[serde(default)]
    pub themes: Vec<RawTheme>,
    #[serde(default)]
    pub priorities: Vec<String>,
}

/// Who to contact about an organisation's plan.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// The published plan an organisation's intentions come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    pub title: String,
    pub period: String,
    pub published: String,
    pub status: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// One of an organisation's own chapter headings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTheme {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// Front matter of `intentions/<org-id>/<slug>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntention {
    pub title: String,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub organisation: String,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub priorities: Vec<String>,
    #[serde(default)]
    pub service_areas: Vec<String>,
    pub signal: String,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub cycle_stage: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub targets: Vec<RawTarget>,
    #[serde(default)]
    pub budget: Option<RawBudget>,
    #[serde(default)]
    pub milestones: Vec<RawMilestone>,
    #[serde(default)]
    pub procurement: Option<RawProcurement>,
    #[serde(default)]
    pub outcomes: Vec<String>,
    #[serde(default)]
    pub rationale: Vec<String>,
    #[serde(default)]
    pub measures: Vec<String>,
    #[serde(default)]
    pub risks: Vec<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub updated: Option<String>,
}

/// A quantified target.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub measure: String,
    pub value: f64,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Money attached to an intention.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    pub amount: f64,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A dated step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    pub date: String,
    pub label: String,
}

/// How and when a service will be bought.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProcurement {
    pub route: String,
    #[serde(default)]
    pub expected: Option<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Front matter of `market/<service-area-id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarket {
    pub service_area: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub demand: Vec<String>,
    #[serde(default)]
    pub supply: Vec<String>,
    #[serde(default)]
    pub spend: Vec<RawSpend>,
}

/// A line of spend in a market narrative.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpend {
    pub label: String,
    pub amount: f64,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}
