//! The validated model: raw content becomes a `Corpus` of checked, typed values with every
//! reference resolved, or a list of diagnostics saying what is wrong and where. The derived
//! indexes (intentions by organisation, priority, service area, theme) are computed here once.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::raw::*;
use crate::content::spans::Segment;
use crate::content::{path_text, Loaded, RawContent};
use crate::diagnostics::{unknown_id_hint, Diagnostic};
use crate::markdown;
use crate::path;
use crate::values::{Money, PartialDate, Period};

/// Declares a closed set of values an editor may write, with the words readers see.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $id:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// What kind of value this is, for messages.
            pub const WHAT: &'static str = $what;
            /// The id written in content files.
            pub fn id(self) -> &'static str { match self { $($name::$variant => $id,)* } }
            /// The words readers see.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label,)* } }
            /// Parses the id an editor wrote.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($id => Some($name::$variant),)* _ => None }
            }
        }
    };
}

choice!(
    /// What an intention does to a service.
    Signal, "signal" {
        /// More of the service.
        Grow = "grow", "Grow";
        /// Less of the service.
        Reduce = "reduce", "Reduce";
        /// Keep it as it is.
        Maintain = "maintain", "Maintain";
        /// A service that does not exist yet.
        New = "new", "New";
        /// Buy it again, usually changed.
        Recommission = "recommission", "Recommission";
        /// Stop buying it.
        Decommission = "decommission", "Decommission";
        /// Look at it before deciding.
        Review = "review", "Review";
    }
);

impl Signal {
    /// A plain sentence saying what the signal means for a provider.
    pub fn meaning(self) -> &'static str {
        match self {
            Signal::Grow => "The commissioner wants more of this service.",
            Signal::Reduce => "The commissioner plans to buy less of this service.",
            Signal::Maintain => {
                "The commissioner plans to keep this service at about its current level."
            }
            Signal::New => "The commissioner wants a service that does not exist yet.",
            Signal::Recommission => {
                "The commissioner will buy this service again, usually in a changed form."
            }
            Signal::Decommission => "The commissioner plans to stop buying this service.",
            Signal::Review => {
                "The commissioner will review this service before deciding what to do."
            }
        }
    }
}

choice!(
    /// What kind of body an organisation is.
    OrganisationKind, "organisation kind" {
        /// A county, district or unitary council.
        LocalAuthority = "local-authority", "Local authority";
        /// A clinical commissioning group.
        Ccg = "ccg", "Clinical commissioning group";
        /// An integrated care board.
        Icb = "icb", "Integrated care board";
        /// A public health team.
        PublicHealth = "public-health", "Public health";
        /// An NHS trust.
        NhsTrust = "nhs-trust", "NHS trust";
        /// NHS England.
        NhsEngland = "nhs-england", "NHS England";
        /// A voluntary sector body.
        VoluntarySector = "voluntary-sector", "Voluntary sector";
        /// Anything else.
        Other = "other", "Other";
    }
);

choice!(
    /// Whether a plan has been agreed.
    PlanStatus, "plan status" {
        /// Not yet agreed.
        Draft = "draft", "Draft";
        /// Agreed by the organisation.
        Approved = "approved", "Approved";
    }
);

choice!(
    /// Where an intention is in the commissioning cycle.
    CycleStage, "cycle stage" {
        /// Understanding needs.
        Analyse = "analyse", "Analyse";
        /// Planning the response.
        Plan = "plan", "Plan";
        /// Buying and delivering.
        Do = "do", "Do";
        /// Looking back.
        Review = "review", "Review";
        /// Somerset: analysis.
        Analysis = "analysis", "Analysis";
        /// Somerset: design.
        Design = "design", "Design";
        /// Somerset: prepare.
        Prepare = "prepare", "Prepare";
        /// Somerset: implement.
        Implement = "implement", "Implement";
        /// Somerset: manage.
        Manage = "manage", "Manage";
        /// Somerset: evaluate.
        Evaluate = "evaluate", "Evaluate";
    }
);

choice!(
    /// How far an intention has got.
    IntentionStatus, "status" {
        /// Suggested.
        Proposed = "proposed", "Proposed";
        /// Agreed and planned.
        Planned = "planned", "Planned";
        /// Under way.
        InProgress = "in-progress", "In progress";
        /// Done.
        Completed = "completed", "Completed";
        /// Stopped for now.
        Paused = "paused", "Paused";
        /// No longer intended.
        Withdrawn = "withdrawn", "Withdrawn";
    }
);

choice!(
    /// Which way a target moves.
    Direction, "direction" {
        /// Up.
        Increase = "increase", "Increase";
        /// Down.
        Decrease = "decrease", "Decrease";
        /// Hold steady.
        Maintain = "maintain", "Maintain";
    }
);

choice!(
    /// What a budget line is.
    BudgetKind, "budget kind" {
        /// Money spent.
        Spend = "spend", "Spend";
        /// Money saved.
        Saving = "saving", "Saving";
        /// New money put in.
        Investment = "investment", "Investment";
        /// Money taken out.
        Reduction = "reduction", "Reduction";
    }
);

/// Ids no organisation may have: `/intentions/<id>/` is where its intentions' pages go, and
/// these are the browse pages' filters (`/intentions/organisation/<org-id>/` and so on).
pub const RESERVED_ORGANISATION_IDS: &[&str] =
    &["organisation", "priority", "service-area", "signal", "area"];

/// The site's settings.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's name.
    pub title: String,
    /// One or two sentences about it.
    pub description: String,
    /// Where it is published, without a trailing slash.
    pub base_url: String,
    /// Language tag for the pages.
    pub language: String,
    /// Header links.
    pub navigation: Vec<NavLink>,
    /// Cross-reference tables of two dimensions, shown under `/matrix/<id>/`.
    pub cross_references: Vec<CrossReference>,
    /// The publisher's name, colour and logo for the header.
    pub brand: Brand,
    /// The start of every Open Contracting ID in the OCDS export.
    pub ocid_prefix: String,
}

/// The Open Contracting ID prefix used when `site.yaml` gives none. It is not a registered
/// prefix, and says so, so that no one mistakes the export's ids for registered ones.
pub const DEFAULT_OCID_PREFIX: &str = "ocds-unregistered";

/// The publisher's branding. The colour is checked for contrast with white header text.
#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    /// Shown beside the site's title, e.g. "Warwickshire Health and Wellbeing Board".
    pub name: Option<String>,
    /// The header's background colour as `#rrggbb`.
    pub colour: String,
    /// A logo image's address.
    pub logo: Option<String>,
    /// The logo's text alternative.
    pub logo_alt: Option<String>,
}

/// The default header colour: white text on it has a contrast ratio of 8.5:1.
pub const DEFAULT_BRAND_COLOUR: &str = "#1d4f91";

/// WCAG contrast ratio between two `#rrggbb` colours.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    fn luminance(hex: &str) -> Option<f64> {
        let hex = hex.strip_prefix('#')?;
        if hex.len() != 6 {
            return None;
        }
        let channel = |i: usize| -> Option<f64> {
            let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
            Some(if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    }
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

choice!(
    /// A way of grouping intentions, for cross-reference tables.
    Dimension, "dimension" {
        /// The lead organisation.
        Organisations = "organisations", "Organisations";
        /// Shared priorities.
        Priorities = "priorities", "Shared priorities";
        /// Service areas.
        ServiceAreas = "service_areas", "Service areas";
        /// An organisation's own themes.
        Themes = "themes", "Themes";
        /// Signals.
        Signals = "signals", "Signals";
        /// The lead organisation's area.
        Areas = "areas", "Areas";
    }
);

/// A cross-reference table declared in `site.yaml`: intentions counted by two dimensions.
#[derive(Debug, Clone)]
pub struct CrossReference {
    /// Its id, used in its address.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A sentence about it.
    pub description: Option<String>,
    /// What the rows are.
    pub rows: Dimension,
    /// What the columns are.
    pub columns: Dimension,
    /// Only this organisation's intentions, when set.
    pub organisation: Option<String>,
}

/// A header link.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    /// Link text.
    pub title: String,
    /// Where it goes.
    pub url: String,
}

/// A shared priority or a service area.
#[derive(Debug, Clone)]
pub struct Taxon {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// A sentence about it.
    pub description: Option<String>,
}

/// A key fact about an area.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// What is counted.
    pub label: String,
    /// The figure, as published.
    pub value: String,
    /// Where it comes from.
    pub source: Option<String>,
}

/// A health and wellbeing board footprint.
#[derive(Debug, Clone)]
pub struct Area {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// One sentence.
    pub summary: Option<String>,
    /// Key population facts.
    pub facts: Vec<Fact>,
    /// The body as sanitised HTML.
    pub body_html: String,
}

/// How to reach an organisation's commissioners.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    /// A person's name.
    pub name: Option<String>,
    /// A team's name.
    pub team: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Telephone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// A web page.
    pub url: Option<String>,
}

/// The published plan an organisation's intentions come from.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Its title.
    pub title: String,
    /// The years it covers.
    pub period: Period,
    /// When it was published.
    pub published: PartialDate,
    /// Draft or approved.
    pub status: PlanStatus,
    /// The document it comes from (text or a URL).
    pub source: Option<String>,
}

/// One of an organisation's own chapter headings.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Its id, unique within the organisation.
    pub id: String,
    /// Its name.
    pub name: String,
    /// A sentence about it.
    pub description: Option<String>,
}

/// A commissioning organisation and its plan.
#[derive(Debug, Clone)]
pub struct Organisation {
    /// Its id.
    pub id: String,
    /// Its full name.
    pub name: String,
    /// A short name for table headings.
    pub short_name: String,
    /// Its position in lists.
    pub order: i64,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// The area id.
    pub area: String,
    /// Its website.
    pub website: Option<String>,
    /// Who to contact.
    pub contact: Option<Contact>,
    /// Its plan.
    pub plan: Plan,
    /// Its chapters.
    pub themes: Vec<Theme>,
    /// The shared priorities it declares.
    pub priorities: Vec<String>,
    /// Its introduction as sanitised HTML.
    pub body_html: String,
    /// The file it came from.
    pub source_path: PathBuf,
}

/// A quantified target.
#[derive(Debug, Clone)]
pub struct Target {
    /// What is measured.
    pub measure: String,
    /// The number aimed for.
    pub value: f64,
    /// Its unit.
    pub unit: Option<String>,
    /// Which way it should move.
    pub direction: Option<Direction>,
    /// When it should be reached.
    pub by: Option<PartialDate>,
    /// Where it starts from.
    pub baseline: Option<f64>,
    /// Anything else.
    pub note: Option<String>,
}

/// Money attached to an intention.
#[derive(Debug, Clone)]
pub struct Budget {
    /// How much.
    pub amount: Money,
    /// What kind of money.
    pub kind: Option<BudgetKind>,
    /// Over what years.
    pub period: Option<Period>,
    /// What it is for.
    pub note: Option<String>,
}

/// A dated step.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// When.
    pub date: PartialDate,
    /// What happens.
    pub label: String,
}

/// How and when a service will be bought.
#[derive(Debug, Clone)]
pub struct Procurement {
    /// The route, e.g. open tender.
    pub route: String,
    /// When it is expected.
    pub expected: Option<PartialDate>,
    /// The contract's value.
    pub value: Option<Money>,
    /// Anything else.
    pub note: Option<String>,
}

/// One commissioning intention.
#[derive(Debug, Clone)]
pub struct Intention {
    /// `<org-id>/<slug>`.
    pub id: String,
    /// The file name without `.md`.
    pub slug: String,
    /// What will be done.
    pub title: String,
    /// The document's own number for it.
    pub reference: Option<String>,
    /// One plain sentence.
    pub summary: Option<String>,
    /// The lead organisation's id.
    pub organisation: String,
    /// Joint commissioners' ids.
    pub partners: Vec<String>,
    /// The lead organisation's theme id.
    pub theme: Option<String>,
    /// Shared priority ids.
    pub priorities: Vec<String>,
    /// Service area ids.
    pub service_areas: Vec<String>,
    /// What it does to the service.
    pub signal: Signal,
    /// The years it covers (the plan's when not given).
    pub period: Period,
    /// Whether `period` was written on the intention itself.
    pub period_given: bool,
    /// Where it is in the commissioning cycle.
    pub cycle_stage: Option<CycleStage>,
    /// How far it has got.
    pub status: Option<IntentionStatus>,
    /// Quantified targets.
    pub targets: Vec<Target>,
    /// Money.
    pub budget: Option<Budget>,
    /// Dated steps.
    pub milestones: Vec<Milestone>,
    /// How it will be bought.
    pub procurement: Option<Procurement>,
    /// What local people will notice.
    pub outcomes: Vec<String>,
    /// Evidence and policy drivers.
    pub rationale: Vec<String>,
    /// Performance measures.
    pub measures: Vec<String>,
    /// Risks.
    pub risks: Vec<String>,
    /// Related intention ids.
    pub related: Vec<String>,
    /// Last real change (the plan's publication date when not given).
    pub updated: PartialDate,
    /// The body as sanitised HTML.
    pub body_html: String,
    /// The file it came from.
    pub source_path: PathBuf,
}

/// A line of spend in a market narrative.
#[derive(Debug, Clone)]
pub struct Spend {
    /// What the money is.
    pub label: String,
    /// How much.
    pub amount: Money,
    /// Over what years.
    pub period: Option<Period>,
    /// Where the figure comes from.
    pub source: Option<String>,
}

/// The authored market narrative of a service area.
#[derive(Debug, Clone)]
pub struct MarketNarrative {
    /// The service area id.
    pub service_area: String,
    /// One sentence.
    pub summary: Option<String>,
    /// Demand facts.
    pub demand: Vec<String>,
    /// Supply facts.
    pub supply: Vec<String>,
    /// Spend lines.
    pub spend: Vec<Spend>,
    /// The narrative as sanitised HTML.
    pub body_html: String,
}

/// Everything on the site, validated, with its derived indexes.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Site settings.
    pub site: Site,
    /// Shared priorities, in taxonomy order.
    pub priorities: Vec<Taxon>,
    /// Service areas, in taxonomy order.
    pub service_areas: Vec<Taxon>,
    /// Areas, by name.
    pub areas: Vec<Area>,
    /// Organisations, by area, then `order`, then name.
    pub organisations: Vec<Organisation>,
    /// Intentions, by organisation (in organisation order), then reference, then title.
    pub intentions: Vec<Intention>,
    /// Market narratives, in service area order.
    pub markets: Vec<MarketNarrative>,
    /// Lookups and groupings computed once.
    pub index: Index,
}

/// Each id's position in its corpus vector. Looked up for every reference on every page,
/// so hashed with Fx rather than SipHash: ids come from the site's own files.
type Positions = HashMap<String, usize, rustc_hash::FxBuildHasher>;

/// Positions and groupings derived from the corpus. Each list holds positions into the
/// corpus's vectors, in corpus order.
#[derive(Debug, Clone, Default)]
pub struct Index {
    area_pos: Positions,
    organisation_pos: Positions,
    intention_pos: Positions,
    priority_pos: Positions,
    service_area_pos: Positions,
    /// Organisations in each area.
    pub organisations_by_area: Vec<Vec<usize>>,
    /// Intentions led by each organisation.
    pub intentions_by_organisation: Vec<Vec<usize>>,
    /// Intentions each organisation is a partner in (led by another).
    pub partner_intentions: Vec<Vec<usize>>,
    /// Intentions tagged with each priority.
    pub intentions_by_priority: Vec<Vec<usize>>,
    /// Intentions tagged with each service area.
    pub intentions_by_service_area: Vec<Vec<usize>>,
    /// Organisations declaring each priority.
    pub organisations_by_priority: Vec<Vec<usize>>,
    /// Intentions that list each intention in `related`.
    pub related_by: Vec<Vec<usize>>,
}

impl Corpus {
    /// The area with this id.
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.index.area_pos.get(id).map(|&i| &self.areas[i])
    }
    /// Position of an area.
    pub fn area_pos(&self, id: &str) -> Option<usize> {
        self.index.area_pos.get(id).copied()
    }
    /// The organisation with this id.
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.index
            .organisation_pos
            .get(id)
            .map(|&i| &self.organisations[i])
    }
    /// Position of an organisation.
    pub fn organisation_pos(&self, id: &str) -> Option<usize> {
        self.index.organisation_pos.get(id).copied()
    }
    /// Positions of the intentions the organisation at `o` commissions: those it leads, then
    /// those it is a partner in.
    pub fn commissioned_by(&self, o: usize) -> impl Iterator<Item = usize> + '_ {
        let index = &self.index;
        index.intentions_by_organisation[o]
            .iter()
            .chain(&index.partner_intentions[o])
            .copied()
    }
    /// The intention with this id (`<org-id>/<slug>`).
    pub fn intention(&self, id: &str) -> Option<&Intention> {
        self.index
            .intention_pos
            .get(id)
            .map(|&i| &self.intentions[i])
    }
    /// The priority with this id.
    pub fn priority(&self, id: &str) -> Option<&Taxon> {
        self.index
            .priority_pos
            .get(id)
            .map(|&i| &self.priorities[i])
    }
    /// Position of a priority.
    pub fn priority_pos(&self, id: &str) -> Option<usize> {
        self.index.priority_pos.get(id).copied()
    }
    /// The service area with this id.
    pub fn service_area(&self, id: &str) -> Option<&Taxon> {
        self.index
            .service_area_pos
            .get(id)
            .map(|&i| &self.service_areas[i])
    }
    /// Position of a service area.
    pub fn service_area_pos(&self, id: &str) -> Option<usize> {
        self.index.service_area_pos.get(id).copied()
    }
    /// The market narrative of a service area, if one was written.
    pub fn market(&self, service_area: &str) -> Option<&MarketNarrative> {
        self.markets.iter().find(|m| m.service_area == service_area)
    }
}

/// Validates everything loaded and builds the corpus, or returns every problem found.
pub fn validate(content: &RawContent) -> Result<Corpus, Vec<Diagnostic>> {
    let mut v = Validator::default();
    let site = v.site(content);
    let priorities = v.taxonomy(
        content.priorities.as_ref(),
        "priority",
        "taxonomies/priorities.yaml",
    );
    let service_areas = v.taxonomy(
        content.service_areas.as_ref(),
        "service area",
        "taxonomies/service-areas.yaml",
    );
    let mut areas: Vec<Area> = v.unique(
        &content.areas,
        "area",
        |l| (&l.raw.id, path!["id"].to_vec()),
        |v, l| v.area(l),
    );
    areas.sort_by(|a, b| a.name.cmp(&b.name));
    let area_ids: Vec<&str> = areas.iter().map(|a| a.id.as_str()).collect();
    let priority_ids: Vec<&str> = priorities.iter().map(|p| p.id.as_str()).collect();
    let service_area_ids: Vec<&str> = service_areas.iter().map(|p| p.id.as_str()).collect();
    let refs = References {
        areas: &area_ids,
        priorities: &priority_ids,
        service_areas: &service_area_ids,
        organisations: &content
            .organisations
            .iter()
            .map(|o| o.raw.id.as_str())
            .collect::<Vec<_>>(),
    };
    let mut organisations: Vec<Organisation> = v.unique(
        &content.organisations,
        "organisation",
        |l| (&l.raw.id, path!["id"].to_vec()),
        |v, l| v.organisation(l, &refs),
    );
    let area_rank = |id: &str| area_ids.iter().position(|a| *a == id).unwrap_or(usize::MAX);
    organisations.sort_by(|a, b| {
        (area_rank(&a.area), a.order, &a.name).cmp(&(area_rank(&b.area), b.order, &b.name))
    });
    let org_by_id: HashMap<&str, &Organisation> =
        organisations.iter().map(|o| (o.id.as_str(), o)).collect();
    let intention_ids: HashSet<String> = content
        .intentions
        .iter()
        .map(|(folder, l)| format!("{folder}/{}", l.stem))
        .collect();
    // Intentions are checked independently, on every core (their Markdown is most of the
    // work); their errors are kept in file order.
    let checked: Vec<(Option<Intention>, Vec<Diagnostic>)> = content
        .intentions
        .par_iter()
        .map(|(folder, l)| {
            let mut one = Validator::default();
            let intention = one.intention(folder, l, &refs, &org_by_id, &intention_ids);
            (intention, one.errors)
        })
        .collect();
    let mut intentions = Vec::with_capacity(checked.len());
    for (intention, errors) in checked {
        v.errors.extend(errors);
        intentions.extend(intention);
    }
    sort_intentions(&mut intentions, &organisations);
    let mut markets: Vec<MarketNarrative> = v.unique(
        &content.markets,
        "market narrative",
        |l| (&l.raw.service_area, path!["service_area"].to_vec()),
        |v, l| v.market(l, &refs),
    );
    markets.sort_by_key(|m| {
        service_area_ids
            .iter()
            .position(|s| *s == m.service_area)
            .unwrap_or(usize::MAX)
    });
    let site = site.map(|mut site| {
        if let Some(l) = &content.site {
            site.cross_references = v.cross_references(l, &organisations);
        }
        site
    });
    if !v.errors.is_empty() {
        return Err(v.errors);
    }
    let Some(site) = site else {
        return Err(v.errors);
    };
    let mut corpus = Corpus {
        site,
        priorities,
        service_areas,
        areas,
        organisations,
        intentions,
        markets,
        index: Index::default(),
    };
    corpus.index = build_index(&corpus);
    Ok(corpus)
}

/// Puts intentions in the site's order: by organisation (in organisation order), then
/// reference, then title. The sort is stable, so equal keys keep their file order.
fn sort_intentions(intentions: &mut [Intention], organisations: &[Organisation]) {
    let org_rank: HashMap<&str, usize> = organisations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    intentions.sort_by(|a, b| {
        let ra = org_rank
            .get(a.organisation.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        let rb = org_rank
            .get(b.organisation.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        ra.cmp(&rb)
            .then_with(|| natural_cmp(a.reference.as_deref(), b.reference.as_deref()))
            .then_with(|| a.title.cmp(&b.title))
    });
}

/// Validates one edited intention file against a corpus whose other files are unchanged, and
/// puts the result in its place: what [`validate`] would give for the whole content with
/// that file changed, at the cost of one file. `content` is the whole content, the edited
/// file included. On errors the corpus is left as it was.
///
/// `serve` uses this to show an edit at once; a full [`validate`] follows, so warnings and
/// anything that spans files are still checked.
pub fn revalidate_intention(
    corpus: &mut Corpus,
    content: &RawContent,
    folder: &str,
    edited: &Loaded<RawIntention>,
) -> Result<(), Vec<Diagnostic>> {
    let id = format!("{folder}/{}", edited.stem);
    let Some(position) = corpus.index.intention_pos.get(&id).copied() else {
        return Err(vec![Diagnostic::error(format!(
            "`{id}` is not an intention of the last build"
        ))]);
    };
    let ids = ReferenceIds::of(corpus, content);
    let refs = ids.references();
    let org_by_id: HashMap<&str, &Organisation> = corpus
        .organisations
        .iter()
        .map(|o| (o.id.as_str(), o))
        .collect();
    let mut one = Validator::default();
    let checked = one.intention(
        folder,
        edited,
        &refs,
        &org_by_id,
        &corpus.index.intention_pos,
    );
    let intention = match checked {
        Some(intention) if one.errors.is_empty() => intention,
        _ => return Err(one.errors),
    };
    // Positions are into the corpus's intentions, which are in the site's order, and a full
    // build breaks ties in that order by file order. Keep the index when the edit leaves the
    // intention where it was (the usual case), else place it again and redo the index.
    // File order is only needed to break a tie, for a few neighbours: looked up when asked.
    let file_rank = |id: &str| {
        id.split_once('/').and_then(|(folder, stem)| {
            content
                .intentions
                .iter()
                .position(|(f, l)| f == folder && l.stem == stem)
        })
    };
    let org_pos = &corpus.index.organisation_pos;
    let order = |a: &Intention, b: &Intention| {
        let org = |i: &Intention| org_pos.get(&i.organisation).copied().unwrap_or(usize::MAX);
        org(a)
            .cmp(&org(b))
            .then_with(|| natural_cmp(a.reference.as_deref(), b.reference.as_deref()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| {
                let rank = |i: &Intention| file_rank(&i.id).unwrap_or(usize::MAX);
                rank(a).cmp(&rank(b))
            })
    };
    let all = &corpus.intentions;
    let stays = (position == 0 || order(&all[position - 1], &intention).is_lt())
        && all
            .get(position + 1)
            .is_none_or(|next| order(&intention, next).is_lt());
    // Where it goes in the list without it (the rest is in order; its old self is not).
    let moved_to = (!stays).then(|| {
        let before = |other: &Intention| order(other, &intention).is_lt();
        let left = all[..position].partition_point(before);
        if left < position {
            left
        } else {
            position + all[position + 1..].partition_point(before)
        }
    });
    match moved_to {
        None => {
            let old = std::mem::replace(&mut corpus.intentions[position], intention);
            reindex_intention(corpus, position, &old);
        }
        Some(at) => {
            let old = corpus.intentions.remove(position);
            corpus.intentions.insert(at, intention);
            reindex_moved_intention(corpus, position, at, &old);
        }
    }
    Ok(())
}

/// Updates the index for an intention replaced in place (same id, same position): the lists
/// that hold it by its partners, priorities, service areas and related intentions.
fn reindex_intention(corpus: &mut Corpus, position: usize, old: &Intention) {
    let new = &corpus.intentions[position];
    let index = &mut corpus.index;
    update_lists(
        &mut index.partner_intentions,
        &index.organisation_pos,
        &old.partners,
        &new.partners,
        position,
    );
    update_lists(
        &mut index.intentions_by_priority,
        &index.priority_pos,
        &old.priorities,
        &new.priorities,
        position,
    );
    update_lists(
        &mut index.intentions_by_service_area,
        &index.service_area_pos,
        &old.service_areas,
        &new.service_areas,
        position,
    );
    update_lists(
        &mut index.related_by,
        &index.intention_pos,
        &old.related,
        &new.related,
        position,
    );
}

/// Updates the index for an intention replaced and moved from `from` to `to` among its
/// organisation's (same id; `corpus.intentions` already moved): the intentions between
/// shift by one, so only the lists that hold one of them change, and the positions of their
/// ids. Rebuilding the whole index instead took time in the size of the corpus (158 ms at
/// 10,000 intentions, on a machine whose memory had gone cold).
fn reindex_moved_intention(corpus: &mut Corpus, from: usize, to: usize, old: &Intention) {
    let (low, high) = (from.min(to), from.max(to));
    // Where an intention at `i` before the move is after it.
    let moved = |i: usize| match i {
        i if i == from => to,
        i if from < to && from < i && i <= to => i - 1,
        i if to < from && to <= i && i < from => i + 1,
        i => i,
    };
    let Corpus {
        intentions, index, ..
    } = corpus;
    // The old intention leaves its lists while positions are still the old ones.
    place_in_lists(index, old, from, false);
    // Each intention's list of those relating to it moves with it.
    if from < to {
        index.related_by[low..=high].rotate_left(1);
    } else {
        index.related_by[low..=high].rotate_right(1);
    }
    for (i, intention) in intentions.iter().enumerate().take(high + 1).skip(low) {
        if let Some(pos) = index.intention_pos.get_mut(&intention.id) {
            *pos = i;
        }
    }
    // The lists that hold the others in the range, each once, renumbered: they all shift one
    // way by one, past no position outside the range, so every list stays in order.
    let mut partners = std::collections::BTreeSet::new();
    let mut priorities = std::collections::BTreeSet::new();
    let mut service_areas = std::collections::BTreeSet::new();
    let mut related = std::collections::BTreeSet::new();
    let keys = |pos: &Positions, keys: &[String], into: &mut std::collections::BTreeSet<usize>| {
        into.extend(keys.iter().filter_map(|k| pos.get(k).copied()));
    };
    for (i, intention) in intentions.iter().enumerate().take(high + 1).skip(low) {
        if i == to {
            continue;
        }
        keys(&index.organisation_pos, &intention.partners, &mut partners);
        keys(&index.priority_pos, &intention.priorities, &mut priorities);
        keys(
            &index.service_area_pos,
            &intention.service_areas,
            &mut service_areas,
        );
        keys(&index.intention_pos, &intention.related, &mut related);
    }
    for (lists, which) in [
        (&mut index.partner_intentions, &partners),
        (&mut index.intentions_by_priority, &priorities),
        (&mut index.intentions_by_service_area, &service_areas),
        (&mut index.related_by, &related),
    ] {
        for &k in which {
            if let Some(list) = lists.get_mut(k) {
                for i in list.iter_mut() {
                    *i = moved(*i);
                }
            }
        }
    }
    // The edited intention joins its lists at its new position.
    place_in_lists(index, &intentions[to], to, true);
}

/// Puts `position` into (`join`) or takes it out of the lists that hold `intention`: by its
/// partners, priorities, service areas and related intentions.
fn place_in_lists<'i>(index: &mut Index, intention: &'i Intention, position: usize, join: bool) {
    // The keys it leaves and the keys it joins.
    let split = |keys: &'i [String]| -> (&'i [String], &'i [String]) {
        if join {
            (&[], keys)
        } else {
            (keys, &[])
        }
    };
    let (old, new) = split(&intention.partners);
    update_lists(
        &mut index.partner_intentions,
        &index.organisation_pos,
        old,
        new,
        position,
    );
    let (old, new) = split(&intention.priorities);
    update_lists(
        &mut index.intentions_by_priority,
        &index.priority_pos,
        old,
        new,
        position,
    );
    let (old, new) = split(&intention.service_areas);
    update_lists(
        &mut index.intentions_by_service_area,
        &index.service_area_pos,
        old,
        new,
        position,
    );
    let (old, new) = split(&intention.related);
    update_lists(
        &mut index.related_by,
        &index.intention_pos,
        old,
        new,
        position,
    );
}

/// Moves `position` from the lists named by the `old` keys to those named by the `new` ones
/// (keys are looked up in `pos`; unknown keys name no list).
fn update_lists(
    lists: &mut [Vec<usize>],
    pos: &Positions,
    old: &[String],
    new: &[String],
    position: usize,
) {
    for key in old {
        if let Some(list) = pos.get(key).and_then(|&k| lists.get_mut(k)) {
            list.retain(|&i| i != position);
        }
    }
    for key in new {
        if let Some(list) = pos.get(key).and_then(|&k| lists.get_mut(k)) {
            // As `build_index` makes it: in position order, once per mention.
            let at = list.partition_point(|&i| i < position);
            list.insert(at, position);
        }
    }
}

/// The ids a content file may refer to, as the last good corpus has them.
struct ReferenceIds<'a> {
    areas: Vec<&'a str>,
    priorities: Vec<&'a str>,
    service_areas: Vec<&'a str>,
    organisations: Vec<&'a str>,
}

impl<'a> ReferenceIds<'a> {
    fn of(corpus: &'a Corpus, content: &'a RawContent) -> Self {
        ReferenceIds {
            areas: corpus.areas.iter().map(|a| a.id.as_str()).collect(),
            priorities: corpus.priorities.iter().map(|p| p.id.as_str()).collect(),
            service_areas: corpus.service_areas.iter().map(|s| s.id.as_str()).collect(),
            organisations: content
                .organisations
                .iter()
                .map(|o| o.raw.id.as_str())
                .collect(),
        }
    }

    fn references(&self) -> References<'_> {
        References {
            areas: &self.areas,
            priorities: &self.priorities,
            service_areas: &self.service_areas,
            organisations: &self.organisations,
        }
    }
}

/// Validates one edited organisation file against the last good corpus and, if it has no
/// errors and leaves the rest of the corpus valid and in order, puts it in the corpus in
/// place of its old self. `content` is the whole content, the edited file included.
///
/// Refused (an error, the corpus left as it was) when the edit could change anything
/// beyond the organisation and its lists of declared priorities: a new id, another area,
/// other theme ids (its intentions name them), or a place among the organisations that is
/// not strictly between the same neighbours. A full [`validate`] follows in `serve`.
pub fn revalidate_organisation(
    corpus: &mut Corpus,
    content: &RawContent,
    edited: &Loaded<RawOrganisation>,
) -> Result<(), Vec<Diagnostic>> {
    let refused = |why: &str| Err(vec![Diagnostic::error(why.to_string())]);
    let position = corpus.index.organisation_pos.get(&edited.raw.id).copied();
    // The same id from the same file: a new id, or another file's, is for a full check.
    let Some(position) = position.filter(|&o| corpus.organisations[o].source_path == edited.path)
    else {
        return refused("not an organisation of the last build");
    };
    let ids = ReferenceIds::of(corpus, content);
    let mut one = Validator::default();
    let checked = one.organisation(edited, &ids.references());
    let organisation = match checked {
        Some(organisation) if one.errors.is_empty() => organisation,
        _ => return Err(one.errors),
    };
    let all = &corpus.organisations;
    let old = &all[position];
    let theme_ids = |o: &Organisation| o.themes.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    if organisation.area != old.area || theme_ids(&organisation) != theme_ids(old) {
        return refused("the edit changes the organisation's area or theme ids");
    }
    // Organisations are in area order (unchanged), then `order`, then name; a tie is broken
    // by file order, so only a strict place between the same neighbours is certain. Only
    // neighbours in its area are compared.
    fn key(o: &Organisation) -> (i64, &str) {
        (o.order, &o.name)
    }
    let in_area = |o: &Organisation| o.area == organisation.area;
    let stays = (position == 0
        || !in_area(&all[position - 1])
        || key(&all[position - 1]) < key(&organisation))
        && all
            .get(position + 1)
            .is_none_or(|next| !in_area(next) || key(&organisation) < key(next));
    if !stays {
        return refused("the edit moves the organisation among the others");
    }
    let old = std::mem::replace(&mut corpus.organisations[position], organisation);
    let index = &mut corpus.index;
    update_lists(
        &mut index.organisations_by_priority,
        &index.priority_pos,
        &old.priorities,
        &corpus.organisations[position].priorities,
        position,
    );
    Ok(())
}

/// Validates one edited market narrative against the last good corpus and, if it has no
/// errors, puts it in the corpus in place of its old self. Refused (an error, the corpus as
/// it was) for a narrative the last build did not have: that changes which market pages
/// the site publishes. A full [`validate`] follows in `serve`.
pub fn revalidate_market(
    corpus: &mut Corpus,
    content: &RawContent,
    edited: &Loaded<RawMarket>,
) -> Result<(), Vec<Diagnostic>> {
    let Some(position) = corpus
        .markets
        .iter()
        .position(|m| m.service_area == edited.raw.service_area)
    else {
        return Err(vec![Diagnostic::error(
            "not a market narrative of the last build",
        )]);
    };
    let ids = ReferenceIds::of(corpus, content);
    let mut one = Validator::default();
    let checked = one.market(edited, &ids.references());
    match checked {
        Some(market) if one.errors.is_empty() => {
            corpus.markets[position] = market;
            Ok(())
        }
        _ => Err(one.errors),
    }
}

/// Validates one edited area against the last good corpus and, if it has no errors and its
/// name leaves it strictly between the same neighbours (areas are in name order, and
/// organisations in area order), puts it in the corpus in place of its old self. Refused
/// otherwise, the corpus left as it was; a full [`validate`] follows in `serve`.
pub fn revalidate_area(
    corpus: &mut Corpus,
    edited: &Loaded<RawArea>,
) -> Result<(), Vec<Diagnostic>> {
    let Some(position) = corpus.area_pos(&edited.raw.id) else {
        return Err(vec![Diagnostic::error("not an area of the last build")]);
    };
    let mut one = Validator::default();
    let area = match one.area(edited) {
        Some(area) if one.errors.is_empty() => area,
        _ => return Err(one.errors),
    };
    let all = &corpus.areas;
    let stays = (position == 0 || all[position - 1].name < area.name)
        && all
            .get(position + 1)
            .is_none_or(|next| area.name < next.name);
    if !stays {
        return Err(vec![Diagnostic::error(
            "the edit moves the area among the others",
        )]);
    }
    corpus.areas[position] = area;
    Ok(())
}

/// Compares document references like "2.10" and "2.9" the way people number things.
fn natural_cmp(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(u64, String)> {
        s.split(['.', ' ', '-'])
            .map(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                (digits.parse().unwrap_or(u64::MAX), p.to_string())
            })
            .collect()
    }
    match (a, b) {
        (Some(a), Some(b)) => key(a).cmp(&key(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn build_index(c: &Corpus) -> Index {
    let pos = |ids: Vec<&str>| -> Positions {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), i))
            .collect()
    };
    let mut index = Index {
        area_pos: pos(c.areas.iter().map(|a| a.id.as_str()).collect()),
        organisation_pos: pos(c.organisations.iter().map(|o| o.id.as_str()).collect()),
        intention_pos: pos(c.intentions.iter().map(|i| i.id.as_str()).collect()),
        priority_pos: pos(c.priorities.iter().map(|p| p.id.as_str()).collect()),
        service_area_pos: pos(c.service_areas.iter().map(|s| s.id.as_str()).collect()),
        organisations_by_area: vec![Vec::new(); c.areas.len()],
        intentions_by_organisation: vec![Vec::new(); c.organisations.len()],
        partner_intentions: vec![Vec::new(); c.organisations.len()],
        intentions_by_priority: vec![Vec::new(); c.priorities.len()],
        intentions_by_service_area: vec![Vec::new(); c.service_areas.len()],
        organisations_by_priority: vec![Vec::new(); c.priorities.len()],
        related_by: vec![Vec::new(); c.intentions.len()],
    };
    for (o, org) in c.organisations.iter().enumerate() {
        if let Some(&a) = index.area_pos.get(&org.area) {
            index.organisations_by_area[a].push(o);
        }
        for p in &org.priorities {
            if let Some(&p) = index.priority_pos.get(p) {
                index.organisations_by_priority[p].push(o);
            }
        }
    }
    for (i, intention) in c.intentions.iter().enumerate() {
        if let Some(&o) = index.organisation_pos.get(&intention.organisation) {
            index.intentions_by_organisation[o].push(i);
        }
        for partner in &intention.partners {
            if let Some(&o) = index.organisation_pos.get(partner) {
                index.partner_intentions[o].push(i);
            }
        }
        for p in &intention.priorities {
            if let Some(&p) = index.priority_pos.get(p) {
                index.intentions_by_priority[p].push(i);
            }
        }
        for s in &intention.service_areas {
            if let Some(&s) = index.service_area_pos.get(s) {
                index.intentions_by_service_area[s].push(i);
            }
        }
        for r in &intention.related {
            if let Some(&r) = index.intention_pos.get(r) {
                index.related_by[r].push(i);
            }
        }
    }
    index
}

/// The ids of every intention, which `related` may name: a set while validating everything,
/// the corpus's own index when one intention is validated again.
trait KnownIntentions {
    fn contains(&self, id: &str) -> bool;
    fn ids(&self) -> Vec<&str>;
}

impl KnownIntentions for HashSet<String> {
    fn contains(&self, id: &str) -> bool {
        HashSet::contains(self, id)
    }
    fn ids(&self) -> Vec<&str> {
        self.iter().map(String::as_str).collect()
    }
}

impl KnownIntentions for Positions {
    fn contains(&self, id: &str) -> bool {
        self.contains_key(id)
    }
    fn ids(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

/// The ids references may point at.
struct References<'a> {
    areas: &'a [&'a str],
    priorities: &'a [&'a str],
    service_areas: &'a [&'a str],
    organisations: &'a [&'a str],
}

#[derive(Default)]
struct Validator {
    errors: Vec<Diagnostic>,
}

impl Validator {
    fn push(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Validates each file, then reports ids used by more than one file.
    fn unique<T, V>(
        &mut self,
        files: &[Loaded<T>],
        what: &str,
        id_of: impl Fn(&Loaded<T>) -> (&String, Vec<Segment>),
        mut build: impl FnMut(&mut Self, &Loaded<T>) -> Option<V>,
    ) -> Vec<V> {
        let mut seen: HashMap<&str, &Loaded<T>> = HashMap::new();
        let mut out = Vec::new();
        for file in files {
            let (id, at) = id_of(file);
            if let Some(first) = seen.get(id.as_str()) {
                let first_line = first
                    .span(&at)
                    .map(|s| line_of(&first.text, s.start))
                    .unwrap_or(1);
                self.push(
                    file.error_at(&at, format!("the {what} id `{id}` is already used"))
                        .labelled("duplicate id")
                        .with_hint(format!(
                            "{} uses it first (line {first_line}); give this one a different id",
                            first.path.display()
                        )),
                );
                continue;
            }
            seen.insert(id, file);
            if let Some(v) = build(self, file) {
                out.push(v);
            }
        }
        out
    }

    fn site(&mut self, content: &RawContent) -> Option<Site> {
        let Some(l) = &content.site else {
            self.push(
                Diagnostic::error("there is no content/site.yaml").with_hint(
                    "create content/site.yaml with `title`, `description` and `base_url`",
                ),
            );
            return None;
        };
        let raw = &l.raw;
        let base_url = raw.base_url.trim().trim_end_matches('/').to_string();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            self.push(
                l.error_at(&path!["base_url"], "`base_url` is not a web address")
                    .with_hint("write the full address the site is published at, e.g. https://intentions.example.org"),
            );
        }
        for (i, link) in raw.navigation.iter().enumerate() {
            if !(link.url.starts_with('/') || link.url.starts_with("http")) {
                self.push(
                    l.error_at(
                        &path!["navigation", i, "url"],
                        "a navigation link must start with `/` or `http`",
                    )
                    .with_hint("write a site path like /organisations/ or a full web address"),
                );
            }
        }
        let mut brand = Brand {
            name: None,
            colour: DEFAULT_BRAND_COLOUR.into(),
            logo: None,
            logo_alt: None,
        };
        if let Some(b) = &raw.brand {
            brand.name = b.name.clone();
            brand.logo = b.logo.clone();
            brand.logo_alt = b.logo_alt.clone();
            if let Some(logo) = b.logo.as_deref() {
                if !(logo.starts_with('/') || is_web_address(logo)) {
                    self.push(
                        not_a_web_address(l, &path!["brand", "logo"], "brand.logo", logo)
                            .with_hint("write a full web address starting with https://, or a path on this site starting with /"),
                    );
                }
            }
            if b.logo.is_some() && b.logo_alt.is_none() {
                self.push(
                    l.error_at(&path!["brand", "logo"], "a logo needs a text alternative")
                        .with_hint("add `logo_alt:` with the words the logo shows, e.g. the organisation's name"),
                );
            }
            if let Some(colour) = &b.colour {
                let colour = colour.trim().to_ascii_lowercase();
                match contrast_ratio(&colour, "#ffffff") {
                    None => self.push(
                        l.error_at(&path!["brand", "colour"], format!("`{colour}` is not a colour"))
                            .with_hint("write it as #rrggbb, e.g. #1d4f91"),
                    ),
                    Some(ratio) if ratio < 4.5 => self.push(
                        l.error_at(&path!["brand", "colour"], format!("white header text on `{colour}` has a contrast ratio of {ratio:.1}:1, below the 4.5:1 that WCAG AA needs"))
                            .labelled("too light")
                            .with_hint("choose a darker shade of the colour"),
                    ),
                    Some(_) => brand.colour = colour,
                }
            }
        }
        let ocid_prefix = raw
            .ocid_prefix
            .as_deref()
            .map(str::trim)
            .unwrap_or(DEFAULT_OCID_PREFIX)
            .to_string();
        if ocid_prefix.is_empty()
            || ocid_prefix
                .chars()
                .any(|c| c.is_whitespace() || c == '/' || c == '#')
        {
            self.push(
                l.error_at(&path!["ocid_prefix"], format!("`{ocid_prefix}` is not an Open Contracting ID prefix"))
                    .with_hint("write the prefix registered with the Open Contracting Partnership, e.g. ocds-a1b2c3, without spaces, `/` or `#`"),
            );
        }
        Some(Site {
            cross_references: Vec::new(),
            brand,
            ocid_prefix,
            title: raw.title.clone(),
            description: raw.description.clone(),
            base_url,
            language: raw.language.clone().unwrap_or_else(|| "en-GB".into()),
            navigation: raw
                .navigation
                .iter()
                .map(|n| NavLink {
                    title: n.title.clone(),
                    url: n.url.clone(),
                })
                .collect(),
        })
    }

    fn cross_references(
        &mut self,
        l: &Loaded<RawSite>,
        organisations: &[Organisation],
    ) -> Vec<CrossReference> {
        let mut out: Vec<CrossReference> = Vec::new();
        let dimension_ids = ids(Dimension::ALL, |d| d.id());
        let org_ids: Vec<&str> = organisations.iter().map(|o| o.id.as_str()).collect();
        for (i, raw) in l.raw.cross_references.iter().enumerate() {
            let errors_before = self.errors.len();
            self.check_id(
                l,
                &path!["cross_references", i, "id"],
                &raw.id,
                "cross-reference",
            );
            if out.iter().any(|c| c.id == raw.id) {
                self.push(
                    l.error_at(
                        &path!["cross_references", i, "id"],
                        format!("the cross-reference id `{}` is already used", raw.id),
                    )
                    .with_hint("give each cross-reference its own id"),
                );
            }
            let rows = self.choice(
                l,
                &path!["cross_references", i, "rows"],
                &raw.rows,
                Dimension::WHAT,
                Dimension::parse,
                &dimension_ids,
            );
            let columns = self.choice(
                l,
                &path!["cross_references", i, "columns"],
                &raw.columns,
                Dimension::WHAT,
                Dimension::parse,
                &dimension_ids,
            );
            if let Some(org) = &raw.organisation {
                self.reference(
                    l,
                    &path!["cross_references", i, "organisation"],
                    org,
                    "organisation",
                    &org_ids,
                );
            }
            if rows.is_some() && rows == columns {
                self.push(
                    l.error_at(&path!["cross_references", i, "columns"], "rows and columns are the same dimension")
                        .with_hint("cross-reference two different dimensions, e.g. rows: priorities, columns: service_areas"),
                );
            }
            let uses_themes = rows == Some(Dimension::Themes) || columns == Some(Dimension::Themes);
            if uses_themes && raw.organisation.is_none() {
                self.push(
                    l.error_at(
                        &path!["cross_references", i],
                        "themes belong to one organisation",
                    )
                    .with_hint(
                        "add `organisation: <id>` to cross-reference an organisation's own themes",
                    ),
                );
            }
            if self.errors.len() > errors_before {
                continue;
            }
            if let (Some(rows), Some(columns)) = (rows, columns) {
                out.push(CrossReference {
                    id: raw.id.clone(),
                    title: raw.title.clone(),
                    description: raw.description.clone(),
                    rows,
                    columns,
                    organisation: raw.organisation.clone(),
                });
            }
        }
        out
    }

    fn taxonomy(
        &mut self,
        file: Option<&Loaded<Vec<RawTaxon>>>,
        what: &str,
        name: &str,
    ) -> Vec<Taxon> {
        let Some(l) = file else {
            self.push(
                Diagnostic::error(format!("there is no content/{name}")).with_hint(format!(
                    "create content/{name}: a list of entries with `id`, `name` and `description`"
                )),
            );
            return Vec::new();
        };
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, t) in l.raw.iter().enumerate() {
            self.check_id(l, &path![i, "id"], &t.id, what);
            if !seen.insert(t.id.as_str()) {
                self.push(
                    l.error_at(
                        &path![i, "id"],
                        format!("the {what} id `{}` is listed twice", t.id),
                    )
                    .labelled("duplicate id")
                    .with_hint("remove one of them or give it a different id"),
                );
                continue;
            }
            out.push(Taxon {
                id: t.id.clone(),
                name: t.name.clone(),
                description: t.description.clone(),
            });
        }
        out
    }

    fn check_id<T>(&mut self, l: &Loaded<T>, at: &[Segment], id: &str, what: &str) {
        let ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-')
            && !id.ends_with('-');
        if !ok {
            let suggestion = slugify(id);
            self.push(
                l.error_at(at, format!("`{id}` is not a valid {what} id"))
                    .labelled("ids are used in web addresses")
                    .with_hint(format!(
                        "use lowercase letters, digits and hyphens only, e.g. `{suggestion}`"
                    )),
            );
        }
    }

    fn area(&mut self, l: &Loaded<RawArea>) -> Option<Area> {
        self.check_id(l, &path!["id"], &l.raw.id, "area");
        Some(Area {
            id: l.raw.id.clone(),
            name: l.raw.name.clone(),
            summary: l.raw.summary.clone(),
            facts: l
                .raw
                .facts
                .iter()
                .map(|f| Fact {
                    label: f.label.clone(),
                    value: f.value.clone(),
                    source: f.source.clone(),
                })
                .collect(),
            body_html: markdown::to_html(l.body()),
        })
    }

    /// Parses one of a closed set of values, or reports it with the nearest valid one.
    fn choice<T: Copy, L>(
        &mut self,
        l: &Loaded<L>,
        at: &[Segment],
        text: &str,
        what: &str,
        parse: fn(&str) -> Option<T>,
        all: &[&str],
    ) -> Option<T> {
        let found = parse(text.trim());
        if found.is_none() {
            self.push(
                l.error_at(at, format!("`{text}` is not a {what}"))
                    .labelled(format!("unknown {what}"))
                    .with_hint(unknown_id_hint(text, what, all.iter().copied())),
            );
        }
        found
    }

    fn reference<L>(
        &mut self,
        l: &Loaded<L>,
        at: &[Segment],
        id: &str,
        what: &str,
        valid: &[&str],
    ) -> bool {
        if valid.contains(&id) {
            return true;
        }
        self.push(
            l.error_at(at, format!("there is no {what} `{id}`"))
                .labelled(format!("unknown {what}"))
                .with_hint(unknown_id_hint(id, what, valid.iter().copied())),
        );
        false
    }

    fn references<L>(
        &mut self,
        l: &Loaded<L>,
        key: &str,
        ids: &[String],
        what: &str,
        valid: &[&str],
    ) -> Vec<String> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if !seen.insert(id.as_str()) {
                self.push(
                    l.error_at(
                        &path![key, i],
                        format!("the {what} `{id}` is listed twice in `{key}`"),
                    )
                    .with_hint("remove the second one"),
                );
                continue;
            }
            if self.reference(l, &path![key, i], id, what, valid) {
                out.push(id.clone());
            }
        }
        out
    }

    fn date<L>(&mut self, l: &Loaded<L>, at: &[Segment], text: &str) -> Option<PartialDate> {
        match PartialDate::parse(text) {
            Ok(d) => Some(d),
            Err(why) => {
                self.push(
                    l.error_at(at, format!("`{}` is not a valid date", path_text(at)))
                        .labelled(why)
                        .with_hint("write YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2015-03-31 or 2015-03"),
                );
                None
            }
        }
    }

    fn period<L>(&mut self, l: &Loaded<L>, at: &[Segment], text: &str) -> Option<Period> {
        match Period::parse(text) {
            Ok(p) => Some(p),
            Err(why) => {
                self.push(
                    l.error_at(at, format!("`{}` is not a valid period", path_text(at)))
                        .labelled(why)
                        .with_hint("write a financial year like 2014/15, a range like 2014/15-2016/17, or a year like 2015"),
                );
                None
            }
        }
    }

    fn money<L>(&mut self, l: &Loaded<L>, at: &[Segment], amount: f64) -> Option<Money> {
        match Money::new(amount) {
            Ok(m) => Some(m),
            Err(why) => {
                self.push(
                    l.error_at(at, why)
                        .with_hint("write a whole number of pounds, without £ or commas"),
                );
                None
            }
        }
    }

    fn organisation(
        &mut self,
        l: &Loaded<RawOrganisation>,
        refs: &References,
    ) -> Option<Organisation> {
        let raw = &l.raw;
        let errors_before = self.errors.len();
        self.check_id(l, &path!["id"], &raw.id, "organisation");
        if RESERVED_ORGANISATION_IDS.contains(&raw.id.as_str()) {
            self.push(
                l.error_at(&path!["id"], format!("`{}` cannot be an organisation id", raw.id))
                    .labelled("reserved for the browse pages")
                    .with_hint(format!(
                        "`/intentions/{}/` lists intentions filtered by {}; choose another id, e.g. `{}-commissioners`",
                        raw.id, raw.id, raw.id
                    )),
            );
        }
        // These become links: a `javascript:` address would run when a reader clicks it.
        if let Some(url) = raw.website.as_deref().filter(|u| !is_web_address(u)) {
            self.push(not_a_web_address(l, &path!["website"], "website", url));
        }
        let contact_url = raw.contact.as_ref().and_then(|c| c.url.as_deref());
        if let Some(url) = contact_url.filter(|u| !is_web_address(u)) {
            self.push(not_a_web_address(
                l,
                &path!["contact", "url"],
                "contact.url",
                url,
            ));
        }
        let kind = self.choice(
            l,
            &path!["kind"],
            &raw.kind,
            OrganisationKind::WHAT,
            OrganisationKind::parse,
            &ids(OrganisationKind::ALL, |k| k.id()),
        );
        self.reference(l, &path!["area"], &raw.area, "area", refs.areas);
        let period = self.period(l, &path!["plan", "period"], &raw.plan.period);
        let published = self.date(l, &path!["plan", "published"], &raw.plan.published);
        let status = self.choice(
            l,
            &path!["plan", "status"],
            &raw.plan.status,
            PlanStatus::WHAT,
            PlanStatus::parse,
            &ids(PlanStatus::ALL, |k| k.id()),
        );
        let mut theme_ids = HashSet::new();
        for (i, t) in raw.themes.iter().enumerate() {
            self.check_id(l, &path!["themes", i, "id"], &t.id, "theme");
            if !theme_ids.insert(t.id.as_str()) {
                self.push(
                    l.error_at(
                        &path!["themes", i, "id"],
                        format!("the theme id `{}` is used twice", t.id),
                    )
                    .with_hint("each theme needs its own id"),
                );
            }
        }
        let priorities = self.references(
            l,
            "priorities",
            &raw.priorities,
            "priority",
            refs.priorities,
        );
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Organisation {
            id: raw.id.clone(),
            name: raw.name.clone(),
            short_name: raw.short_name.clone().unwrap_or_else(|| raw.name.clone()),
            order: raw.order.unwrap_or(i64::MAX),
            kind: kind?,
            area: raw.area.clone(),
            website: raw.website.clone(),
            contact: raw.contact.as_ref().map(|c| Contact {
                name: c.name.clone(),
                team: c.team.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address: c.address.clone(),
                url: c.url.clone(),
            }),
            plan: Plan {
                title: raw.plan.title.clone(),
                period: period?,
                published: published?,
                status: status?,
                source: raw.plan.source.clone(),
            },
            themes: raw
                .themes
                .iter()
                .map(|t| Theme {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    description: t.description.clone(),
                })
                .collect(),
            priorities,
            body_html: markdown::to_html(l.body()),
            source_path: l.path.clone(),
        })
    }

    fn intention(
        &mut self,
        folder: &str,
        l: &Loaded<RawIntention>,
        refs: &References,
        organisations: &HashMap<&str, &Organisation>,
        intention_ids: &impl KnownIntentions,
    ) -> Option<Intention> {
        let raw = &l.raw;
        let errors_before = self.errors.len();
        let id = format!("{folder}/{}", l.stem);
        if !refs.organisations.contains(&folder) {
            self.push(
                Diagnostic::error(format!(
                    "the folder `intentions/{folder}/` is not named after an organisation"
                ))
                .in_file(&l.path)
                .with_hint(unknown_id_hint(
                    folder,
                    "organisation",
                    refs.organisations.iter().copied(),
                )),
            );
        }
        self.check_id(l, &[], &l.stem, "intention file name");
        if self.reference(
            l,
            &path!["organisation"],
            &raw.organisation,
            "organisation",
            refs.organisations,
        ) && raw.organisation != folder
        {
            self.push(
                l.error_at(
                    &path!["organisation"],
                    format!(
                        "the lead organisation `{}` does not match the folder `{folder}`",
                        raw.organisation
                    ),
                )
                .labelled("lead organisation")
                .with_hint(format!(
                    "move the file to intentions/{}/ or set `organisation: {folder}`",
                    raw.organisation
                )),
            );
        }
        let partners = self.references(
            l,
            "partners",
            &raw.partners,
            "organisation",
            refs.organisations,
        );
        if let Some(i) = raw.partners.iter().position(|p| *p == raw.organisation) {
            self.push(
                l.error_at(&path!["partners", i], "the lead organisation is also listed as a partner")
                    .with_hint("partners are the other organisations commissioning it jointly; remove this one"),
            );
        }
        let lead = organisations.get(raw.organisation.as_str());
        if let (Some(theme), Some(lead)) = (&raw.theme, lead) {
            let theme_ids: Vec<&str> = lead.themes.iter().map(|t| t.id.as_str()).collect();
            if !theme_ids.contains(&theme.as_str()) {
                self.push(
                    l.error_at(
                        &path!["theme"],
                        format!("`{}` has no theme `{theme}`", lead.id),
                    )
                    .labelled("unknown theme")
                    .with_hint(unknown_id_hint(
                        theme,
                        "theme",
                        theme_ids.iter().copied(),
                    )),
                );
            }
        }
        let priorities = self.references(
            l,
            "priorities",
            &raw.priorities,
            "priority",
            refs.priorities,
        );
        let service_areas = self.references(
            l,
            "service_areas",
            &raw.service_areas,
            "service area",
            refs.service_areas,
        );
        let signal = self.choice(
            l,
            &path!["signal"],
            &raw.signal,
            Signal::WHAT,
            Signal::parse,
            &ids(Signal::ALL, |s| s.id()),
        );
        let period = raw
            .period
            .as_ref()
            .and_then(|p| self.period(l, &path!["period"], p));
        let cycle_stage = raw.cycle_stage.as_ref().and_then(|c| {
            self.choice(
                l,
                &path!["cycle_stage"],
                c,
                CycleStage::WHAT,
                CycleStage::parse,
                &ids(CycleStage::ALL, |s| s.id()),
            )
        });
        let status = raw.status.as_ref().and_then(|s| {
            self.choice(
                l,
                &path!["status"],
                s,
                IntentionStatus::WHAT,
                IntentionStatus::parse,
                &ids(IntentionStatus::ALL, |s| s.id()),
            )
        });
        let mut targets = Vec::new();
        for (i, t) in raw.targets.iter().enumerate() {
            let direction = t.direction.as_ref().and_then(|d| {
                self.choice(
                    l,
                    &path!["targets", i, "direction"],
                    d,
                    Direction::WHAT,
                    Direction::parse,
                    &ids(Direction::ALL, |s| s.id()),
                )
            });
            let by =
                t.by.as_ref()
                    .and_then(|d| self.date(l, &path!["targets", i, "by"], d));
            if !t.value.is_finite() {
                self.push(l.error_at(
                    &path!["targets", i, "value"],
                    "a target's value must be a number",
                ));
            }
            targets.push(Target {
                measure: t.measure.clone(),
                value: t.value,
                unit: t.unit.clone(),
                direction,
                by,
                baseline: t.baseline,
                note: t.note.clone(),
            });
        }
        let budget = raw.budget.as_ref().and_then(|b| {
            let amount = self.money(l, &path!["budget", "amount"], b.amount);
            let kind = b.kind.as_ref().and_then(|k| {
                self.choice(
                    l,
                    &path!["budget", "kind"],
                    k,
                    BudgetKind::WHAT,
                    BudgetKind::parse,
                    &ids(BudgetKind::ALL, |s| s.id()),
                )
            });
            let period = b
                .period
                .as_ref()
                .and_then(|p| self.period(l, &path!["budget", "period"], p));
            Some(Budget {
                amount: amount?,
                kind,
                period,
                note: b.note.clone(),
            })
        });
        let milestones: Vec<Milestone> = raw
            .milestones
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                self.date(l, &path!["milestones", i, "date"], &m.date)
                    .map(|date| Milestone {
                        date,
                        label: m.label.clone(),
                    })
            })
            .collect();
        let procurement = raw.procurement.as_ref().map(|p| Procurement {
            route: p.route.clone(),
            expected: p
                .expected
                .as_ref()
                .and_then(|d| self.date(l, &path!["procurement", "expected"], d)),
            value: p
                .value
                .and_then(|v| self.money(l, &path!["procurement", "value"], v)),
            note: p.note.clone(),
        });
        let mut related = Vec::new();
        for (i, r) in raw.related.iter().enumerate() {
            if *r == id {
                self.push(
                    l.error_at(
                        &path!["related", i],
                        "an intention cannot be related to itself",
                    )
                    .with_hint("remove this entry"),
                );
            } else if intention_ids.contains(r) {
                related.push(r.clone());
            } else {
                let mut all: Vec<&str> = intention_ids.ids();
                all.sort_unstable();
                let hint = if r.contains('/') {
                    unknown_id_hint(r, "intention", all.iter().copied())
                } else {
                    format!(
                        "write it as <organisation-id>/<file name without .md>; {}",
                        unknown_id_hint(r, "intention", all.iter().copied())
                    )
                };
                self.push(
                    l.error_at(&path!["related", i], format!("there is no intention `{r}`"))
                        .labelled("unknown intention")
                        .with_hint(hint),
                );
            }
        }
        let updated = raw
            .updated
            .as_ref()
            .and_then(|d| self.date(l, &path!["updated"], d));
        if self.errors.len() > errors_before {
            return None;
        }
        let lead = lead?;
        Some(Intention {
            id,
            slug: l.stem.clone(),
            title: raw.title.clone(),
            reference: raw.reference.clone(),
            summary: raw.summary.clone(),
            organisation: raw.organisation.clone(),
            partners,
            theme: raw.theme.clone(),
            priorities,
            service_areas,
            signal: signal?,
            period: period.unwrap_or(lead.plan.period),
            period_given: raw.period.is_some(),
            cycle_stage,
            status,
            targets,
            budget,
            milestones,
            procurement,
            outcomes: raw.outcomes.clone(),
            rationale: raw.rationale.clone(),
            measures: raw.measures.clone(),
            risks: raw.risks.clone(),
            related,
            updated: updated.unwrap_or(lead.plan.published),
            body_html: markdown::to_html(l.body()),
            source_path: l.path.clone(),
        })
    }

    fn market(&mut self, l: &Loaded<RawMarket>, refs: &References) -> Option<MarketNarrative> {
        let raw = &l.raw;
        let errors_before = self.errors.len();
        if self.reference(
            l,
            &path!["service_area"],
            &raw.service_area,
            "service area",
            refs.service_areas,
        ) && raw.service_area != l.stem
        {
            self.push(
                l.error_at(
                    &path!["service_area"],
                    format!(
                        "the service area `{}` does not match the file name `{}.md`",
                        raw.service_area, l.stem
                    ),
                )
                .with_hint(format!("rename the file to market/{}.md", raw.service_area)),
            );
        }
        let spend: Vec<Spend> = raw
            .spend
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let amount = self.money(l, &path!["spend", i, "amount"], s.amount);
                let period = s
                    .period
                    .as_ref()
                    .and_then(|p| self.period(l, &path!["spend", i, "period"], p));
                Some(Spend {
                    label: s.label.clone(),
                    amount: amount?,
                    period,
                    source: s.source.clone(),
                })
            })
            .collect();
        if self.errors.len() > errors_before {
            return None;
        }
        Some(MarketNarrative {
            service_area: raw.service_area.clone(),
            summary: raw.summary.clone(),
            demand: raw.demand.clone(),
            supply: raw.supply.clone(),
            spend,
            body_html: markdown::to_html(l.body()),
        })
    }
}

fn ids<T: Copy>(all: &[T], id: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|t| id(*t)).collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// A file-name slug for a title: lowercase words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ẃ' | 'ŵ' => {
                if c == 'ẃ' || c == 'ŵ' {
                    'w'
                } else {
                    'e'
                }
            }
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' | 'ŷ' => 'y',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if c == '&' {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            slug.push_str("and-");
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    // Long titles make unwieldy web addresses: keep the first few words.
    let mut short = String::new();
    for word in slug.split('-') {
        if short.len() + word.len() > 60 {
            break;
        }
        if !short.is_empty() {
            short.push('-');
        }
        short.push_str(word);
    }
    if short.is_empty() {
        "untitled".into()
    } else {
        short
    }
}

/// Whether an address written in content is an ordinary web address, safe to link to.
fn is_web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c == ' ')
}

fn not_a_web_address<T>(l: &Loaded<T>, at: &[Segment], key: &str, url: &str) -> Diagnostic {
    l.error_at(at, format!("`{key}` is not a web address: `{url}`"))
        .with_hint("write the full address starting with https://, e.g. https://www.example.gov.uk/commissioning")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_sort_like_people_number() {
        let mut refs = vec!["2.10", "2.9", "10", "2"];
        refs.sort_by(|a, b| natural_cmp(Some(a), Some(b)));
        assert_eq!(refs, ["2", "2.9", "2.10", "10"]);
    }

    #[test]
    fn slugs_are_short_and_safe() {
        assert_eq!(
            slugify("Commission 21 short-stay beds"),
            "commission-21-short-stay-beds"
        );
        assert_eq!(slugify("Carers & families"), "carers-and-families");
        assert_eq!(slugify("Gwasanaethau Cymraeg â"), "gwasanaethau-cymraeg-a");
        assert!(slugify(&"word ".repeat(40)).len() <= 60);
    }
}
