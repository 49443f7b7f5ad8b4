//! What changed since a previous edition: reads the previous content from a folder or a git
//! revision (with the `git` command), validates it like the current one, and compares the
//! two corpora intention by intention, saying in plain words which fields changed.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Corpus, Intention};
use crate::{content, model};

/// Every change since the previous edition, organisation by organisation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Changes {
    /// What the edition was compared with, as given (`HEAD~1`, `../old-site`).
    pub since: String,
    /// How many intentions were added, removed and changed in all.
    pub added: usize,
    /// See `added`.
    pub removed: usize,
    /// See `added`.
    pub changed: usize,
    /// Organisations with at least one change, in the site's order (then ones that are gone).
    pub organisations: Vec<OrganisationChanges>,
}

/// The changes to one organisation's intentions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrganisationChanges {
    /// The organisation's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its page, when it is still on the site.
    pub path: Option<String>,
    /// Intentions new in this edition.
    pub added: Vec<IntentionRef>,
    /// Intentions no longer in it.
    pub removed: Vec<IntentionRef>,
    /// Intentions in both whose content changed.
    pub changed: Vec<ChangedIntention>,
}

/// An intention named in a list of changes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IntentionRef {
    /// `<org-id>/<slug>`.
    pub id: String,
    /// Its title (in the edition it is in).
    pub title: String,
    /// Its page, when it is on the current site.
    pub path: Option<String>,
}

/// An intention whose content changed, and how.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangedIntention {
    /// `<org-id>/<slug>`.
    pub id: String,
    /// Its current title.
    pub title: String,
    /// Its page.
    pub path: String,
    /// Each field that changed.
    pub fields: Vec<FieldChange>,
}

/// One changed field.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldChange {
    /// The front-matter key (`signal`, `targets`, `body` for the text).
    pub field: String,
    /// What changed, in plain words.
    pub summary: String,
}

/// Loads and validates the previous edition: `since` is a folder holding `content/` (or the
/// content folder itself), else a git revision of the repository `root` is in.
pub fn previous_edition(root: &Path, since: &str) -> Result<Corpus, Diagnostic> {
    let folder = Path::new(since);
    if folder.is_dir() {
        let site_root = if folder.join("content").is_dir() {
            folder.to_path_buf()
        } else if folder.join("site.yaml").is_file() && folder.ends_with("content") {
            folder
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        } else {
            return Err(Diagnostic::error(format!(
                "the folder {since} holds no content/ folder to compare with"
            ))
            .with_hint("give the root folder of the previous edition, the one holding content/"));
        };
        return validate_previous(&site_root, since);
    }
    let temp = tempfile::tempdir().map_err(|e| {
        Diagnostic::error(format!(
            "could not make a temporary folder for {since}: {e}"
        ))
    })?;
    extract_revision(root, since, temp.path())?;
    validate_previous(temp.path(), since)
}

/// Writes `content/` as it was at git revision `revision` into `into/content`, with
/// `git archive` and `tar`.
fn extract_revision(root: &Path, revision: &str, into: &Path) -> Result<(), Diagnostic> {
    let not_found = |why: String| {
        Diagnostic::error(format!(
            "could not read the content of git revision `{revision}`: {why}"
        ))
        .with_hint(
            "give a revision of the repository the site is in (e.g. HEAD~1, a tag or a commit), or a folder holding content/",
        )
    };
    if revision.starts_with('-') {
        return Err(not_found("it is not a revision".into()));
    }
    let archive = into.join("previous.tar");
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", "--output"])
        .arg(&archive)
        .arg(format!("{revision}:./content"))
        .output()
        .map_err(|e| not_found(format!("could not run git ({e})")))?;
    if !output.status.success() {
        return Err(not_found(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    let content = into.join("content");
    std::fs::create_dir_all(&content)
        .map_err(|e| not_found(format!("could not make {}: {e}", content.display())))?;
    let output = Command::new("tar")
        .arg("-x")
        .arg("-f")
        .arg(&archive)
        .arg("-C")
        .arg(&content)
        .output()
        .map_err(|e| not_found(format!("could not run tar ({e})")))?;
    if !output.status.success() {
        return Err(not_found(
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        ));
    }
    Ok(())
}

fn validate_previous(site_root: &Path, since: &str) -> Result<Corpus, Diagnostic> {
    let loaded = content::load(site_root);
    let mut errors: Vec<Diagnostic> = loaded
        .diagnostics
        .into_iter()
        .filter(|d| d.level == crate::diagnostics::Level::Error)
        .collect();
    let corpus = model::validate(&loaded.content);
    match corpus {
        Ok(corpus) if errors.is_empty() => Ok(corpus),
        other => {
            if let Err(more) = other {
                errors.extend(more);
            }
            let first = errors
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_default();
            Err(Diagnostic::error(format!(
                "the previous edition `{since}` does not check ({} errors; the first: {first})",
                errors.len()
            ))
            .with_hint(
                "compare with an edition that built, or fix it with `intentions check --root`",
            ))
        }
    }
}

/// Compares two editions.
pub fn compare(previous: &Corpus, current: &Corpus, since: &str) -> Changes {
    let mut organisations: Vec<OrganisationChanges> = current
        .organisations
        .iter()
        .map(|o| OrganisationChanges {
            id: o.id.clone(),
            name: o.name.clone(),
            path: Some(format!("/organisations/{}/", o.id)),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        })
        .collect();
    for o in &previous.organisations {
        if current.organisation(&o.id).is_none() {
            organisations.push(OrganisationChanges {
                id: o.id.clone(),
                name: o.name.clone(),
                path: None,
                added: Vec::new(),
                removed: Vec::new(),
                changed: Vec::new(),
            });
        }
    }
    let group = |organisations: &mut Vec<OrganisationChanges>, id: &str| {
        organisations.iter().position(|o| o.id == id)
    };
    for now in &current.intentions {
        let Some(g) = group(&mut organisations, &now.organisation) else {
            continue;
        };
        match previous.intention(&now.id) {
            None => organisations[g].added.push(IntentionRef {
                id: now.id.clone(),
                title: now.title.clone(),
                path: Some(page_path(now)),
            }),
            Some(before) => {
                let fields = changed_fields(previous, current, before, now);
                if !fields.is_empty() {
                    organisations[g].changed.push(ChangedIntention {
                        id: now.id.clone(),
                        title: now.title.clone(),
                        path: page_path(now),
                        fields,
                    });
                }
            }
        }
    }
    for before in &previous.intentions {
        if current.intention(&before.id).is_some() {
            continue;
        }
        if let Some(g) = group(&mut organisations, &before.organisation) {
            organisations[g].removed.push(IntentionRef {
                id: before.id.clone(),
                title: before.title.clone(),
                path: None,
            });
        }
    }
    organisations.retain(|o| !(o.added.is_empty() && o.removed.is_empty() && o.changed.is_empty()));
    Changes {
        since: since.to_string(),
        added: organisations.iter().map(|o| o.added.len()).sum(),
        removed: organisations.iter().map(|o| o.removed.len()).sum(),
        changed: organisations.iter().map(|o| o.changed.len()).sum(),
        organisations,
    }
}

fn page_path(intention: &Intention) -> String {
    format!("/intentions/{}/", intention.id)
}

/// The fields of an intention that differ between editions, each said in plain words.
fn changed_fields(
    previous: &Corpus,
    current: &Corpus,
    before: &Intention,
    now: &Intention,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut scalar = |field: &str, words: &str, a: Option<String>, b: Option<String>| {
        if a != b {
            let summary = match (a, b) {
                (None, Some(b)) => format!("{words} set to “{b}”"),
                (Some(a), None) => format!("{words} removed (was “{a}”)"),
                (Some(a), Some(b)) => format!("{words} changed from “{a}” to “{b}”"),
                (None, None) => String::new(),
            };
            out.push(FieldChange {
                field: field.into(),
                summary,
            });
        }
    };
    scalar(
        "title",
        "Title",
        Some(before.title.clone()),
        Some(now.title.clone()),
    );
    scalar(
        "summary",
        "Summary",
        before.summary.clone(),
        now.summary.clone(),
    );
    scalar(
        "reference",
        "Reference",
        before.reference.clone(),
        now.reference.clone(),
    );
    scalar(
        "signal",
        "Direction",
        Some(before.signal.label().to_string()),
        Some(now.signal.label().to_string()),
    );
    scalar(
        "theme",
        "Theme",
        theme_name(previous, before),
        theme_name(current, now),
    );
    scalar(
        "period",
        "Period",
        Some(before.period.to_string()),
        Some(now.period.to_string()),
    );
    scalar(
        "cycle_stage",
        "Stage in the commissioning cycle",
        before.cycle_stage.map(|s| s.label().to_string()),
        now.cycle_stage.map(|s| s.label().to_string()),
    );
    scalar(
        "status",
        "Status",
        before.status.map(|s| s.label().to_string()),
        now.status.map(|s| s.label().to_string()),
    );
    let names = |corpus: &Corpus, ids: &[String], kind: Kind| -> Vec<String> {
        ids.iter()
            .map(|id| match kind {
                Kind::Organisation => corpus.organisation(id).map(|o| o.name.clone()),
                Kind::Priority => corpus.priority(id).map(|p| p.name.clone()),
                Kind::ServiceArea => corpus.service_area(id).map(|s| s.name.clone()),
                Kind::Intention => corpus.intention(id).map(|i| i.title.clone()),
                Kind::Text => None,
            })
            .zip(ids)
            .map(|(name, id)| name.unwrap_or_else(|| id.clone()))
            .collect()
    };
    let lists: [ListField; 8] = [
        (
            "partners",
            "Joint commissioners",
            &before.partners,
            &now.partners,
            Kind::Organisation,
        ),
        (
            "priorities",
            "Shared priorities",
            &before.priorities,
            &now.priorities,
            Kind::Priority,
        ),
        (
            "service_areas",
            "Service areas",
            &before.service_areas,
            &now.service_areas,
            Kind::ServiceArea,
        ),
        (
            "outcomes",
            "Outcomes",
            &before.outcomes,
            &now.outcomes,
            Kind::Text,
        ),
        (
            "rationale",
            "Rationale",
            &before.rationale,
            &now.rationale,
            Kind::Text,
        ),
        (
            "measures",
            "Measures",
            &before.measures,
            &now.measures,
            Kind::Text,
        ),
        ("risks", "Risks", &before.risks, &now.risks, Kind::Text),
        (
            "related",
            "Related intentions",
            &before.related,
            &now.related,
            Kind::Intention,
        ),
    ];
    for (field, words, a, b, kind) in lists {
        if a == b {
            continue;
        }
        let a = names(previous, a, kind);
        let b = names(current, b, kind);
        out.push(FieldChange {
            field: field.into(),
            summary: list_change(words, &a, &b),
        });
    }
    let mut structured = |field: &str, words: &str, a: String, b: String| {
        if a != b {
            out.push(FieldChange {
                field: field.into(),
                summary: format!("{words} changed"),
            });
        }
    };
    structured(
        "targets",
        "Targets",
        format!("{:?}", before.targets),
        format!("{:?}", now.targets),
    );
    structured(
        "budget",
        "Budget",
        format!("{:?}", before.budget),
        format!("{:?}", now.budget),
    );
    structured(
        "milestones",
        "Milestones",
        format!("{:?}", before.milestones),
        format!("{:?}", now.milestones),
    );
    structured(
        "procurement",
        "Procurement",
        format!("{:?}", before.procurement),
        format!("{:?}", now.procurement),
    );
    structured(
        "body",
        "The description",
        before.body_html.clone(),
        now.body_html.clone(),
    );
    out
}

/// A list field: its key, its name for people, its values before and now, what they name.
type ListField<'a> = (&'a str, &'a str, &'a [String], &'a [String], Kind);

#[derive(Clone, Copy)]
enum Kind {
    Organisation,
    Priority,
    ServiceArea,
    Intention,
    Text,
}

fn theme_name(corpus: &Corpus, intention: &Intention) -> Option<String> {
    let id = intention.theme.as_ref()?;
    let name = corpus
        .organisation(&intention.organisation)
        .and_then(|o| o.themes.iter().find(|t| t.id == *id))
        .map_or_else(|| id.clone(), |t| t.name.clone());
    Some(name)
}

/// "Shared priorities: added Stroke; removed Frailty", or "Outcomes changed" when only the
/// order or wording of long items changed.
fn list_change(words: &str, before: &[String], now: &[String]) -> String {
    let added: Vec<&String> = now.iter().filter(|x| !before.contains(x)).collect();
    let removed: Vec<&String> = before.iter().filter(|x| !now.contains(x)).collect();
    // Names and titles are shown; long texts (outcomes, rationale) are counted.
    let short =
        |items: &[&String]| items.len() <= 5 && items.iter().all(|i| i.chars().count() <= 120);
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(if short(&added) {
            format!("added {}", join(&added))
        } else {
            format!("{} added", count(added.len()))
        });
    }
    if !removed.is_empty() {
        parts.push(if short(&removed) {
            format!("removed {}", join(&removed))
        } else {
            format!("{} removed", count(removed.len()))
        });
    }
    if parts.is_empty() {
        format!("{words}: reordered")
    } else {
        format!("{words}: {}", parts.join("; "))
    }
}

fn join(items: &[&String]) -> String {
    items
        .iter()
        .map(|i| format!("“{i}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}
