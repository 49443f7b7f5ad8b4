//! Scaffolding: `intentions new` writes a complete, commented organisation or intention file
//! that passes `check`, and never overwrites an existing file.

use std::path::{Path, PathBuf};

use crate::diagnostics::{unknown_id_hint, Diagnostic};
use crate::model::{slugify, OrganisationKind};

/// What to scaffold.
#[derive(Debug, Clone)]
pub enum NewFile {
    /// An organisation.
    Organisation {
        /// Its id (also the file name).
        id: String,
        /// Its full name.
        name: String,
        /// Its area's id.
        area: String,
        /// Its kind's id.
        kind: String,
    },
    /// An intention.
    Intention {
        /// The lead organisation's id.
        organisation: String,
        /// Its title.
        title: String,
        /// The file name, when not derived from the title.
        slug: Option<String>,
    },
}

/// Writes the new file under `root/content` and returns its path.
pub fn create(root: &Path, new: &NewFile, today: (i32, u32, u32)) -> Result<PathBuf, Diagnostic> {
    let loaded = crate::content::load(root);
    let c = &loaded.content;
    match new {
        NewFile::Organisation {
            id,
            name,
            area,
            kind,
        } => {
            let slug = slugify(id);
            if slug != *id {
                return Err(
                    Diagnostic::error(format!("`{id}` is not a valid organisation id")).with_hint(
                        format!("use lowercase letters, digits and hyphens, e.g. `{slug}`"),
                    ),
                );
            }
            let areas: Vec<&str> = c.areas.iter().map(|a| a.raw.id.as_str()).collect();
            if !areas.contains(&area.as_str()) {
                return Err(Diagnostic::error(format!("there is no area `{area}`"))
                    .with_hint(unknown_id_hint(area, "area", areas.iter().copied())));
            }
            if OrganisationKind::parse(kind).is_none() {
                let kinds: Vec<&str> = OrganisationKind::ALL.iter().map(|k| k.id()).collect();
                return Err(
                    Diagnostic::error(format!("`{kind}` is not an organisation kind")).with_hint(
                        unknown_id_hint(kind, "organisation kind", kinds.iter().copied()),
                    ),
                );
            }
            if c.organisations.iter().any(|o| o.raw.id == *id) {
                return Err(Diagnostic::error(format!(
                    "there is already an organisation `{id}`"
                )));
            }
            let path = root.join("content/organisations").join(format!("{id}.md"));
            write_new(&path, &organisation_text(id, name, area, kind, today))?;
            Ok(path)
        }
        NewFile::Intention {
            organisation,
            title,
            slug,
        } => {
            let org = c.organisations.iter().find(|o| o.raw.id == *organisation);
            let Some(org) = org else {
                let ids: Vec<&str> = c.organisations.iter().map(|o| o.raw.id.as_str()).collect();
                return Err(Diagnostic::error(format!(
                    "there is no organisation `{organisation}`"
                ))
                .with_hint(unknown_id_hint(
                    organisation,
                    "organisation",
                    ids.iter().copied(),
                )));
            };
            let slug = slug.clone().unwrap_or_else(|| slugify(title));
            if slugify(&slug) != slug {
                return Err(
                    Diagnostic::error(format!("`{slug}` is not a valid file name")).with_hint(
                        format!(
                            "use lowercase letters, digits and hyphens, e.g. `{}`",
                            slugify(&slug)
                        ),
                    ),
                );
            }
            let theme = org.raw.themes.first().map(|t| t.id.clone());
            let path = root
                .join("content/intentions")
                .join(organisation)
                .join(format!("{slug}.md"));
            write_new(
                &path,
                &intention_text(organisation, title, theme.as_deref(), today),
            )?;
            Ok(path)
        }
    }
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if path.exists() {
        return Err(Diagnostic::error(format!("{} already exists", path.display()))
            .with_hint("choose another title or pass --slug with a different file name; existing files are never overwritten"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(format!("could not create {}: {e}", dir.display())))?;
    }
    // create_new refuses to replace a file that appeared since the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Diagnostic::error(format!("could not create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("could not write {}: {e}", path.display())))
}

/// A YAML double-quoted string (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// The financial year a date falls in, e.g. 2026/27 for November 2026.
fn financial_year((year, month, _): (i32, u32, u32)) -> String {
    let start = if month >= 4 { year } else { year - 1 };
    format!("{start}/{:02}", (start + 1) % 100)
}

fn organisation_text(
    id: &str,
    name: &str,
    area: &str,
    kind: &str,
    today: (i32, u32, u32),
) -> String {
    let (y, m, d) = today;
    format!(
        r#"---
# The organisation's id: used in web addresses and by intentions (`organisation: {id}`).
id: {id}
name: {name}
# A shorter name for table headings, e.g. "Warwickshire North CCG".
# short_name:
# local-authority, ccg, icb, public-health, nhs-trust, nhs-england, voluntary-sector or other
kind: {kind}
area: {area}
# website: https://www.example.gov.uk
# contact:
#   team: Commissioning team
#   email: commissioning@example.gov.uk
#   phone: 01234 567890
plan:
  title: {title}
  # One financial year (2014/15) or a range (2014/15-2016/17).
  period: {period}
  published: {y:04}-{m:02}-{d:02}
  # draft or approved
  status: draft
  # source: the document or web address the plan comes from
# The plan's own chapter headings; each intention names one as its `theme`.
themes:
  - id: general
    name: General
# Ids of the shared priorities this organisation declares (see taxonomies/priorities.yaml).
priorities: []
---
Introduce the organisation and its plan here, in plain words: who it commissions for, what
it wants to change, and how providers and residents can get involved.
"#,
        name = quoted(name),
        title = quoted(&format!(
            "Commissioning intentions {}",
            financial_year(today)
        )),
        period = financial_year(today),
    )
}

fn intention_text(
    organisation: &str,
    title: &str,
    theme: Option<&str>,
    today: (i32, u32, u32),
) -> String {
    let (y, m, d) = today;
    let theme_line = match theme {
        Some(t) => format!("theme: {t}"),
        None => "# theme: one of the organisation's theme ids".to_string(),
    };
    format!(
        r#"---
title: {title}
# One plain sentence for lists and search.
# summary:
organisation: {organisation}
# Other organisations commissioning this jointly.
partners: []
{theme_line}
# Shared priority ids (taxonomies/priorities.yaml) and service area ids
# (taxonomies/service-areas.yaml).
priorities: []
service_areas: []
# grow, reduce, maintain, new, recommission, decommission or review
signal: review
# period: 2014/15
# status: proposed, planned, in-progress, completed, paused or withdrawn
status: proposed
# targets:
#   - measure: Short-stay beds
#     value: 21
#     unit: beds
#     direction: increase
#     by: 2015-03
# budget:
#   amount: 1000000
#   kind: spend
# milestones:
#   - date: 2015-04
#     label: Service starts
# procurement:
#   route: Open tender
#   expected: 2015-01
# What local people will notice.
outcomes: []
# Evidence and policy drivers.
rationale: []
updated: {y:04}-{m:02}-{d:02}
---
Describe the intention here in plain words: what will change, for whom, and why.
"#,
        title = quoted(title),
    )
}

/// Today's date (UTC) as (year, month, day), from the system clock.
pub fn today() -> (i32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// Converts days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
        assert_eq!(financial_year((2026, 11, 23)), "2026/27");
        assert_eq!(financial_year((2027, 2, 1)), "2026/27");
    }
}
