//! The `/search/` page: a search form that Pagefind's script brings to life, and links to
//! browse everything for readers without JavaScript.

use super::common::{home_url, Link};
use super::{page, Page, PageMeta};
use crate::model::Corpus;

/// `/search/`.
pub fn page_view(corpus: &Corpus) -> Page {
    let browse = vec![
        Link::new(
            "Every intention, with filters by organisation, priority, service area, signal and area",
            super::browse::BROWSE_URL,
        ),
        Link::new("Organisations and their intentions", "/organisations/"),
        Link::new("Shared priorities", "/priorities/"),
        Link::new("Shared priorities matrix", "/matrix/"),
        Link::new("Market position statements by service area", "/market/"),
        Link::new("Areas", "/areas/"),
        Link::new("Open data", "/data/"),
    ];
    page(
        "/search/".into(),
        "search.html",
        PageMeta {
            title: "Search".into(),
            description: format!(
                "Search the commissioning intentions and organisations on {}.",
                corpus.site.title
            ),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({
            "browse": browse,
            // The other parts of the index, which the page's script merges into the first.
            "merge": crate::search::merged_parts(crate::search::parts(corpus)).join(" "),
        }),
    )
}
