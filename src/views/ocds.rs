//! `/data/ocds.json`: each intention's planning data as an Open Contracting Data Standard
//! 1.1 release package, one `planning` release per intention. Every id and date comes from
//! the content (an intention's `updated` date, its milestones), never from the clock, so the
//! same content always gives the same file.

use serde::Serialize;

use super::common::intention_url;
use super::DataPlan;
use crate::model::{BudgetKind, Contact, Corpus, Intention, Organisation, Signal};
use crate::values::{Money, PartialDate};

/// Where the package is written, relative to the output folder.
pub const OCDS_PATH: &str = "data/ocds.json";

/// The classification scheme of service areas in tender items. OCDS asks for a
/// scheme from its open codelist or, for a local one, a name that cannot clash with it.
const SERVICE_AREA_SCHEME: &str = "x_intentions_service_area";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleasePackage<'a> {
    uri: String,
    version: &'static str,
    published_date: String,
    publisher: Publisher,
    releases: Releases<'a>,
}

/// Every intention's planning release, made as it is written.
struct Releases<'a>(&'a Corpus);

impl Serialize for Releases<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let corpus = self.0;
        serializer.collect_seq(
            corpus
                .intentions
                .iter()
                .filter_map(|it| release(corpus, it)),
        )
    }
}

#[derive(Serialize)]
struct Publisher {
    name: String,
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Release {
    ocid: String,
    id: String,
    date: String,
    tag: [&'static str; 1],
    initiation_type: &'static str,
    language: String,
    parties: Vec<Party>,
    buyer: OrganizationReference,
    planning: Planning,
    #[serde(skip_serializing_if = "Option::is_none")]
    tender: Option<Tender>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Party {
    id: String,
    name: String,
    roles: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_point: Option<ContactPoint>,
}

#[derive(Serialize)]
struct ContactPoint {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct OrganizationReference {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct Planning {
    #[serde(skip_serializing_if = "Option::is_none")]
    rationale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<Budget>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    milestones: Vec<Milestone>,
    documents: Vec<Document>,
}

#[derive(Serialize)]
struct Budget {
    id: String,
    description: String,
    amount: Value,
    project: String,
    uri: String,
}

#[derive(Serialize)]
struct Value {
    amount: f64,
    currency: &'static str,
}

impl From<Money> for Value {
    fn from(money: Money) -> Self {
        Value {
            amount: money.0,
            currency: "GBP",
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Milestone {
    id: String,
    title: String,
    due_date: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    id: &'static str,
    document_type: &'static str,
    title: String,
    url: String,
    format: &'static str,
    language: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tender {
    id: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    status: &'static str,
    procuring_entity: OrganizationReference,
    main_procurement_category: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    procurement_method_details: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tender_period: Option<TenderPeriod>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TenderPeriod {
    start_date: String,
}

#[derive(Serialize)]
struct Item {
    id: String,
    description: String,
    classification: Classification,
}

#[derive(Serialize)]
struct Classification {
    scheme: &'static str,
    id: String,
    description: String,
}

/// A date as OCDS wants it (an RFC 3339 date-time): the first day it could mean, at midnight
/// UTC. A month or a year alone becomes its first day.
fn date_time(date: &PartialDate) -> String {
    format!("{}T00:00:00Z", date.first_day())
}

/// The Open Contracting ID of an intention: the site's prefix, then its own id
/// (`<org-id>/<slug>`), which is unique on the site and stays the same across builds.
pub fn ocid(corpus: &Corpus, intention: &Intention) -> String {
    format!("{}-{}", corpus.site.ocid_prefix, intention.id)
}

/// The OCDS language code: the site's language without its region (`en-GB` → `en`), as the
/// standard recommends.
fn language(corpus: &Corpus) -> String {
    corpus
        .site
        .language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase()
}

fn reference(org: &Organisation) -> OrganizationReference {
    OrganizationReference {
        id: org.id.clone(),
        name: org.name.clone(),
    }
}

fn contact_point(contact: &Contact) -> Option<ContactPoint> {
    let point = ContactPoint {
        name: contact.name.clone().or_else(|| contact.team.clone()),
        email: contact.email.clone(),
        telephone: contact.phone.clone(),
        url: contact.url.clone(),
    };
    let empty = point.name.is_none()
        && point.email.is_none()
        && point.telephone.is_none()
        && point.url.is_none();
    (!empty).then_some(point)
}

fn party(org: &Organisation, roles: Vec<&'static str>) -> Party {
    Party {
        id: org.id.clone(),
        name: org.name.clone(),
        roles,
        contact_point: org.contact.as_ref().and_then(contact_point),
    }
}

fn release(corpus: &Corpus, intention: &Intention) -> Option<Release> {
    let lead = corpus.organisation(&intention.organisation)?;
    let page = format!("{}{}", corpus.site.base_url, intention_url(intention));
    let language = language(corpus);
    // The lead commissioner is the buyer (and procures, when something is to be bought);
    // joint commissioners are named as interested parties.
    let mut lead_roles = vec!["buyer"];
    if intention.procurement.is_some() {
        lead_roles.push("procuringEntity");
    }
    let mut parties = vec![party(lead, lead_roles)];
    parties.extend(
        intention
            .partners
            .iter()
            .filter_map(|p| corpus.organisation(p))
            .map(|org| party(org, vec!["interestedParty"])),
    );
    let budget = intention.budget.as_ref().map(|b| {
        let kind = match b.kind {
            Some(BudgetKind::Spend) | None => "Spend",
            Some(BudgetKind::Saving) => "Saving",
            Some(BudgetKind::Investment) => "Investment",
            Some(BudgetKind::Reduction) => "Reduction",
        };
        let mut description = kind.to_string();
        if let Some(period) = &b.period {
            description.push_str(&format!(", {period}"));
        }
        if let Some(note) = &b.note {
            description.push_str(&format!(": {note}"));
        }
        Budget {
            id: format!("{}-budget", intention.id),
            description,
            amount: b.amount.into(),
            project: intention.title.clone(),
            uri: page.clone(),
        }
    });
    let mut milestones: Vec<&crate::model::Milestone> = intention.milestones.iter().collect();
    milestones.sort_by_key(|m| m.date.first_day_key());
    let milestones = milestones
        .into_iter()
        .enumerate()
        .map(|(n, m)| Milestone {
            id: format!("milestone-{}", n + 1),
            title: m.label.clone(),
            due_date: date_time(&m.date),
        })
        .collect();
    let rationale = (!intention.rationale.is_empty()).then(|| intention.rationale.join("\n"));
    // Something to stop buying is not a contracting process to come; everything else may
    // be one: "planned" once the plan says how it will be bought, "planning" before that.
    let tender = (intention.signal != Signal::Decommission).then(|| Tender {
        id: format!("{}-tender", intention.id),
        title: intention.title.clone(),
        description: intention.summary.clone(),
        status: if intention.procurement.is_some() {
            "planned"
        } else {
            "planning"
        },
        procuring_entity: reference(lead),
        main_procurement_category: "services",
        procurement_method_details: intention.procurement.as_ref().map(|p| p.route.clone()),
        value: intention
            .procurement
            .as_ref()
            .and_then(|p| p.value)
            .map(Value::from),
        tender_period: intention
            .procurement
            .as_ref()
            .and_then(|p| p.expected)
            .map(|d| TenderPeriod {
                start_date: date_time(&d),
            }),
        items: intention
            .service_areas
            .iter()
            .filter_map(|s| corpus.service_area(s))
            .map(|s| Item {
                id: s.id.clone(),
                description: s.name.clone(),
                classification: Classification {
                    scheme: SERVICE_AREA_SCHEME,
                    id: s.id.clone(),
                    description: s.name.clone(),
                },
            })
            .collect(),
    });
    Some(Release {
        ocid: ocid(corpus, intention),
        // A new release id whenever the intention's `updated` date moves on.
        id: format!("{}-planning-{}", intention.id, intention.updated.iso()),
        date: date_time(&intention.updated),
        tag: ["planning"],
        initiation_type: "tender",
        language: language.clone(),
        parties,
        buyer: reference(lead),
        planning: Planning {
            rationale,
            budget,
            milestones,
            documents: vec![Document {
                id: "intention",
                document_type: "procurementPlan",
                title: intention.title.clone(),
                url: page,
                format: "text/html",
                language,
            }],
        },
        tender,
    })
}

/// `/data/ocds.json`, written as its releases are made.
pub fn files(corpus: &Corpus) -> Vec<DataPlan<'_>> {
    vec![DataPlan::streamed(OCDS_PATH, move |out| {
        serde_json::to_writer_pretty(out, &package(corpus))
            .map_err(|e| format!("could not write {OCDS_PATH}: {e}"))
    })]
}

/// The release package of every intention, its releases still to make.
fn package(corpus: &Corpus) -> ReleasePackage<'_> {
    let base = &corpus.site.base_url;
    // The package changes when the newest intention does, so that is its date.
    let published = corpus
        .intentions
        .iter()
        .map(|it| it.updated)
        .chain(corpus.organisations.iter().map(|o| o.plan.published))
        .max_by(|a, b| a.first_day().cmp(&b.first_day()))
        .map(|d| date_time(&d))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    ReleasePackage {
        uri: format!("{base}/{OCDS_PATH}"),
        version: "1.1",
        published_date: published,
        publisher: Publisher {
            name: corpus
                .site
                .brand
                .name
                .clone()
                .unwrap_or_else(|| corpus.site.title.clone()),
            uri: format!("{base}/"),
        },
        releases: Releases(corpus),
    }
}
