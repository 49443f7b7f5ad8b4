//! Raw content types: exactly what an editor may write in YAML, deserialised by serde with
//! unknown keys refused. Nothing here is checked beyond its shape; `model` validates it.

use schemars::JsonSchema;
use serde::Deserialize;

/// `site.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// One or two sentences saying what the site is, for the home page and link previews.
    pub description: String,
    /// The address the site is published at, e.g. `https://intentions.example.org`; used for canonical links, feeds and the sitemap.
    pub base_url: String,
    /// The language of the content as a BCP 47 tag [default: `en-GB`].
    #[serde(default)]
    pub language: Option<String>,
    /// Links in the site's header navigation, in order.
    #[serde(default)]
    pub navigation: Vec<RawNavLink>,
    /// Extra cross-reference tables, each published at `/matrix/<id>/`.
    #[serde(default)]
    pub cross_references: Vec<RawCrossReference>,
    /// The publisher's name, colour and logo for the header.
    #[serde(default)]
    pub brand: Option<RawBrand>,
    /// The Open Contracting ID prefix registered for the publisher (e.g. `ocds-a1b2c3`), the start of every `ocid` in `/data/ocds.json` [default: `ocds-unregistered`, which says no prefix has been registered yet].
    #[serde(default)]
    pub ocid_prefix: Option<String>,
    /// The date this edition describes (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`): a plan whose period ended before it is stale [default: the newest plan's published date].
    #[serde(default)]
    pub as_of: Option<String>,
    /// Quality lints switched by id: `allow` (off), `warn` (the default) or `deny` (an error), e.g. `no-target: allow`.
    #[serde(default)]
    pub lints: std::collections::BTreeMap<String, String>,
}

/// The publisher's branding for the header.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    /// The publisher's name, shown beside the site title.
    #[serde(default)]
    pub name: Option<String>,
    /// The header's background colour as `#rrggbb`; white text must have enough contrast on it.
    #[serde(default)]
    pub colour: Option<String>,
    /// The address of a logo image shown in the header.
    #[serde(default)]
    pub logo: Option<String>,
    /// Text alternative for the logo (required with `logo`).
    #[serde(default)]
    pub logo_alt: Option<String>,
}

/// A cross-reference table of two dimensions, declared in `site.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCrossReference {
    /// Its id: the table is published at `/matrix/<id>/`.
    pub id: String,
    /// The table's heading.
    pub title: String,
    /// A sentence saying what the table shows.
    #[serde(default)]
    pub description: Option<String>,
    /// The dimension of the rows: organisations, priorities, service_areas, themes, signals or areas.
    pub rows: String,
    /// The dimension of the columns: organisations, priorities, service_areas, themes, signals or areas.
    pub columns: String,
    /// The organisation whose themes a `themes` dimension uses.
    #[serde(default)]
    pub organisation: Option<String>,
}

/// One link in the site's header navigation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNavLink {
    /// The link's text.
    pub title: String,
    /// Where it goes, e.g. `/organisations/`.
    pub url: String,
}

/// One entry of a taxonomy file (a shared priority or a service area).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTaxon {
    /// Its id: lowercase letters, digits and hyphens, used by intentions to refer to it.
    pub id: String,
    /// Its name as readers see it.
    pub name: String,
    /// What it covers, in a sentence or two.
    #[serde(default)]
    pub description: Option<String>,
}

/// Front matter of `areas/<id>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    /// The area's id, the same as the file name without `.md`.
    pub id: String,
    /// The area's name, e.g. Warwickshire.
    pub name: String,
    /// A sentence about the area.
    #[serde(default)]
    pub summary: Option<String>,
    /// Key facts about the area's population and services.
    #[serde(default)]
    pub facts: Vec<RawFact>,
}

/// A key fact about an area.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    /// What the fact is about, e.g. People aged 85 and over.
    pub label: String,
    /// The figure, as written, e.g. "13,000".
    pub value: String,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: Option<String>,
}

/// Front matter of `organisations/<id>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    /// The organisation's id, the same as the file name without `.md`.
    pub id: String,
    /// Its full name.
    pub name: String,
    /// A shorter name for tables and lists [default: the name].
    #[serde(default)]
    pub short_name: Option<String>,
    /// Its position among organisations in tables and lists (smaller first).
    #[serde(default)]
    pub order: Option<i64>,
    /// What kind of body it is.
    pub kind: String,
    /// The id of its area (a file in `content/areas/`).
    pub area: String,
    /// Its website's address.
    #[serde(default)]
    pub website: Option<String>,
    /// Who to contact about the plan.
    #[serde(default)]
    pub contact: Option<RawContact>,
    /// The published plan its intentions come from.
    pub plan: RawPlan,
    /// The plan's own chapter headings, which intentions refer to by id.
    #[serde(default)]
    pub themes: Vec<RawTheme>,
    /// Ids of the shared priorities it declares (from `taxonomies/priorities.yaml`).
    #[serde(default)]
    pub priorities: Vec<String>,
    /// Quality warnings the editors accept for this file, each with the reason; never published.
    #[serde(default)]
    pub accepted_warnings: Vec<RawAcceptedWarning>,
}

/// A quality warning accepted on purpose, and why.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAcceptedWarning {
    /// The lint's id, e.g. `no-target`.
    pub lint: String,
    /// Why the warning is accepted, e.g. "The source document gives no target."
    pub reason: String,
}

/// Who to contact about an organisation's plan.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    /// A person's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The team.
    #[serde(default)]
    pub team: Option<String>,
    /// An email address.
    #[serde(default)]
    pub email: Option<String>,
    /// A phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// A postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// A web page about commissioning.
    #[serde(default)]
    pub url: Option<String>,
}

/// The published plan an organisation's intentions come from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// The plan's title.
    pub title: String,
    /// The years it covers: `2014/15`, `2014/15-2016/17`, `2015` or `2015-2017`.
    pub period: String,
    /// When it was published: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub published: String,
    /// Whether it has been agreed.
    pub status: String,
    /// Where the original document is, ideally its address.
    #[serde(default)]
    pub source: Option<String>,
}

/// One of an organisation's own chapter headings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTheme {
    /// The theme's id, used by the organisation's intentions.
    pub id: String,
    /// The chapter heading.
    pub name: String,
    /// What the chapter covers.
    #[serde(default)]
    pub description: Option<String>,
}

/// Front matter of `intentions/<org-id>/<slug>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIntention {
    /// What the commissioner intends, as a short sentence starting with a verb.
    pub title: String,
    /// The plan's own number for it, e.g. "4.2".
    #[serde(default)]
    pub reference: Option<String>,
    /// One sentence in plain words, shown in lists, feeds and search results.
    #[serde(default)]
    pub summary: Option<String>,
    /// The id of the lead organisation.
    pub organisation: String,
    /// Ids of organisations commissioning it jointly.
    #[serde(default)]
    pub partners: Vec<String>,
    /// The id of one of the lead organisation's themes.
    #[serde(default)]
    pub theme: Option<String>,
    /// Ids of the shared priorities it serves.
    #[serde(default)]
    pub priorities: Vec<String>,
    /// Ids of the service areas (market segments) it affects.
    #[serde(default)]
    pub service_areas: Vec<String>,
    /// What it does to the service.
    pub signal: String,
    /// The years it covers [default: the plan's period].
    #[serde(default)]
    pub period: Option<String>,
    /// Where it is in the commissioning cycle.
    #[serde(default)]
    pub cycle_stage: Option<String>,
    /// How far it has got.
    #[serde(default)]
    pub status: Option<String>,
    /// Quantified targets.
    #[serde(default)]
    pub targets: Vec<RawTarget>,
    /// The money attached to it.
    #[serde(default)]
    pub budget: Option<RawBudget>,
    /// Dated steps.
    #[serde(default)]
    pub milestones: Vec<RawMilestone>,
    /// How and when the service will be bought.
    #[serde(default)]
    pub procurement: Option<RawProcurement>,
    /// What local people will notice.
    #[serde(default)]
    pub outcomes: Vec<String>,
    /// Evidence and policy drivers.
    #[serde(default)]
    pub rationale: Vec<String>,
    /// Outcome measures it reports against, e.g. ASCOF 1C.
    #[serde(default)]
    pub measures: Vec<String>,
    /// What could stop it.
    #[serde(default)]
    pub risks: Vec<String>,
    /// Ids (`<org-id>/<slug>`) of related intentions.
    #[serde(default)]
    pub related: Vec<String>,
    /// When it last changed in substance (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`); feeds use it [default: the plan's published date].
    #[serde(default)]
    pub updated: Option<String>,
    /// Quality warnings the editors accept for this intention, each with the reason; never published.
    #[serde(default)]
    pub accepted_warnings: Vec<RawAcceptedWarning>,
}

/// A quantified target.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// What is measured.
    pub measure: String,
    /// The number aimed for.
    pub value: f64,
    /// Its unit, e.g. beds or %.
    #[serde(default)]
    pub unit: Option<String>,
    /// Which way the measure should move.
    #[serde(default)]
    pub direction: Option<String>,
    /// When it should be reached: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default)]
    pub by: Option<String>,
    /// Where the measure starts from.
    #[serde(default)]
    pub baseline: Option<f64>,
    /// Anything readers need to know about it.
    #[serde(default)]
    pub note: Option<String>,
}

/// Money attached to an intention.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBudget {
    /// The amount in pounds.
    pub amount: f64,
    /// What the money is.
    #[serde(default)]
    pub kind: Option<String>,
    /// The years it covers.
    #[serde(default)]
    pub period: Option<String>,
    /// What it is for.
    #[serde(default)]
    pub note: Option<String>,
}

/// A dated step.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// When: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: String,
    /// What happens.
    pub label: String,
}

/// How and when a service will be bought.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProcurement {
    /// How it will be bought, e.g. Open tender, Framework, Grant.
    pub route: String,
    /// When the procurement is expected: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    #[serde(default)]
    pub expected: Option<String>,
    /// Its value in pounds.
    #[serde(default)]
    pub value: Option<f64>,
    /// Anything providers need to know.
    #[serde(default)]
    pub note: Option<String>,
}

/// Front matter of `market/<service-area-id>.md`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMarket {
    /// The id of the service area this narrative is about, the same as the file name without `.md`.
    pub service_area: String,
    /// The market in a sentence.
    #[serde(default)]
    pub summary: Option<String>,
    /// Facts about demand.
    #[serde(default)]
    pub demand: Vec<String>,
    /// Facts about supply.
    #[serde(default)]
    pub supply: Vec<String>,
    /// Lines of spend.
    #[serde(default)]
    pub spend: Vec<RawSpend>,
}

/// A line of spend in a market narrative.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpend {
    /// What the money is spent on.
    pub label: String,
    /// The amount in pounds.
    pub amount: f64,
    /// The years it covers.
    #[serde(default)]
    pub period: Option<String>,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: Option<String>,
}
