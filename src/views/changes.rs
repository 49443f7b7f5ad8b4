//! The `/changes/` page and `/changes.json`: what changed since a previous edition, as
//! compared by `changes`, organisation by organisation.

use serde::Serialize;

use super::common::{count_words, home_url, Link};
use super::{page, DataFile, Page, PageMeta};
use crate::changes::{Changes, OrganisationChanges};
use crate::model::Corpus;

#[derive(Serialize)]
struct ChangesView<'a> {
    since: &'a str,
    totals: String,
    organisations: Vec<OrganisationView<'a>>,
}

#[derive(Serialize)]
struct OrganisationView<'a> {
    #[serde(flatten)]
    changes: &'a OrganisationChanges,
    counts: String,
}

/// `/changes/` and `/changes.json`.
pub fn files(corpus: &Corpus, changes: &Changes) -> Result<(Page, DataFile), String> {
    let counts = |added: usize, removed: usize, changed: usize| {
        format!(
            "{} added, {} removed, {} changed",
            count_words(added, "intention", "intentions"),
            removed,
            changed
        )
    };
    let view = ChangesView {
        since: &changes.since,
        totals: counts(changes.added, changes.removed, changes.changed),
        organisations: changes
            .organisations
            .iter()
            .map(|o| OrganisationView {
                changes: o,
                counts: counts(o.added.len(), o.removed.len(), o.changed.len()),
            })
            .collect(),
    };
    let page = page(
        "/changes/".into(),
        "changes.html",
        PageMeta {
            title: "What changed".into(),
            description: format!(
                "The intentions added, removed and changed on {} since the previous edition.",
                corpus.site.title
            ),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &view,
    );
    let bytes = serde_json::to_vec_pretty(changes)
        .map_err(|e| format!("could not write changes.json: {e}"))?;
    Ok((
        page,
        DataFile {
            path: "changes.json".into(),
            bytes,
        },
    ))
}
