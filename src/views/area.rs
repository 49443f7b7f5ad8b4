//! Area pages: each health and wellbeing board footprint with its key facts and the
//! organisations that commission there.

use serde::Serialize;

use super::common::{area_url, home_url, Link};
use super::home::{area_groups, AreaGroup};
use super::{page, Page, PageMeta};
use crate::model::{Area, Corpus, Fact};

#[derive(Serialize)]
struct AreaView<'a> {
    name: &'a str,
    summary: Option<&'a str>,
    facts: &'a [Fact],
    body_html: &'a str,
    organisations: &'a AreaGroup,
}

/// `/areas/`: every area and its organisations.
pub fn index(corpus: &Corpus) -> Page {
    page(
        "/areas/".into(),
        "areas.html",
        PageMeta {
            title: "Areas".into(),
            description:
                "The places these commissioning intentions cover, and who commissions care in each."
                    .into(),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({ "areas": area_groups(corpus) }),
    )
}

/// `/areas/<id>/` for every area.
pub fn pages(corpus: &Corpus) -> Vec<Page> {
    let groups = area_groups(corpus);
    corpus
        .areas
        .iter()
        .zip(groups.iter())
        .map(|(area, group)| area_page(area, group))
        .collect()
}

/// The page of the area with this id alone, as [`pages`] makes it.
pub fn page_of(corpus: &Corpus, id: &str) -> Option<Page> {
    let a = corpus.area_pos(id)?;
    let groups = area_groups(corpus);
    Some(area_page(&corpus.areas[a], groups.get(a)?))
}

fn area_page(area: &Area, group: &AreaGroup) -> Page {
    let view = AreaView {
        name: &area.name,
        summary: area.summary.as_deref(),
        facts: &area.facts,
        body_html: &area.body_html,
        organisations: group,
    };
    page(
        area_url(&area.id),
        "area.html",
        PageMeta {
            title: area.name.clone(),
            description: area
                .summary
                .clone()
                .unwrap_or_else(|| format!("Commissioning intentions in {}.", area.name)),
            breadcrumbs: vec![Link::new("Home", home_url()), Link::new("Areas", "/areas/")],
        },
        &view,
    )
}
