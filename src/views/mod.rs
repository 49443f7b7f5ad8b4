//! Views: pure functions from the validated `Corpus` to what each page and data file shows.
//! All grouping, counting, sorting and formatting for people happens here, in Rust, so that
//! templates only lay it out.

mod area;
mod browse;
mod calendar;
mod changes;
mod common;
mod data;
mod editors;
mod feeds;
mod home;
mod intention;
mod market;
mod matrix;
mod ocds;
mod organisation;
mod priority;
mod search;
mod sitemap;

pub use changes::files as changes_files;
pub use common::{IntentionSummary, Link, SignalView};
pub use editors::{page_view as editors_page, EDITORS_URL};
pub use matrix::{MatrixCell, SharedPriorityMatrix};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Corpus;

/// One HTML page to render.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Its address on the site, e.g. `/organisations/x/`.
    pub url: String,
    /// The template that lays it out.
    pub template: &'static str,
    /// Title, description and breadcrumbs.
    pub meta: PageMeta,
    /// What the template shows.
    pub view: serde_json::Value,
}

impl Page {
    /// The file this page is written to, relative to the output folder.
    pub fn output_path(&self) -> String {
        if self.url.ends_with(".html") {
            self.url.trim_start_matches('/').to_string()
        } else {
            format!("{}index.html", self.url.trim_start_matches('/'))
        }
    }
}

/// What every page has.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// The page's own title (the site's name is added by the layout).
    pub title: String,
    /// A sentence for search engines and link previews.
    pub description: String,
    /// The way back up, from the home page to the parent of this page.
    pub breadcrumbs: Vec<Link>,
}

/// A data file written as it is.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Where it goes, relative to the output folder.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Every page and data file of the site.
#[derive(Debug, Clone, Default)]
pub struct SiteViews {
    /// HTML pages.
    pub pages: Vec<Page>,
    /// JSON, CSV and other files.
    pub data: Vec<DataFile>,
}

/// Builds the views of every page and data file from the corpus.
pub fn build(corpus: &Corpus) -> Result<SiteViews, String> {
    // Each part of the site is made on its own, on every core; they are put together in
    // this order, so the site's order does not depend on which finishes first.
    type Part<'a> = Box<dyn Fn() -> Result<SiteViews, String> + Send + Sync + 'a>;
    let pages = |p: Vec<Page>| {
        Ok(SiteViews {
            pages: p,
            data: Vec::new(),
        })
    };
    let data = |d: Vec<DataFile>| {
        Ok(SiteViews {
            pages: Vec::new(),
            data: d,
        })
    };
    let parts: Vec<Part> = vec![
        Box::new(|| {
            pages(vec![
                home::home(corpus),
                home::not_found(corpus),
                organisation::index(corpus),
            ])
        }),
        Box::new(|| pages(organisation::pages(corpus))),
        Box::new(|| pages(intention::pages(corpus))),
        Box::new(|| pages(browse::pages(corpus))),
        Box::new(|| {
            let mut p = vec![priority::index(corpus)];
            p.extend(priority::pages(corpus));
            p.push(area::index(corpus));
            p.extend(area::pages(corpus));
            p.push(matrix::page_view(corpus));
            p.extend(matrix::cross_reference_pages(corpus));
            pages(p)
        }),
        Box::new(|| data(matrix::files(corpus)?)),
        Box::new(|| pages(market::index_pages(corpus))),
        Box::new(|| pages(market::pages(corpus))),
        Box::new(|| data(market::files(corpus)?)),
        Box::new(|| pages(vec![data::index(corpus)])),
        Box::new(|| data(data::files(corpus)?)),
        Box::new(|| data(ocds::files(corpus)?)),
        Box::new(|| data(feeds::files(corpus))),
        Box::new(|| data(calendar::files(corpus))),
        Box::new(|| pages(vec![search::page_view(corpus)])),
    ];
    let made: Vec<Result<SiteViews, String>> = parts.par_iter().map(|part| part()).collect();
    let mut views = SiteViews::default();
    for part in made {
        let part = part?;
        views.pages.extend(part.pages);
        views.data.extend(part.data);
    }
    views.data.extend(sitemap::files(corpus, &views.pages));
    Ok(views)
}

/// Serialises a view struct for a template. View structs hold only strings, numbers,
/// booleans and lists, so this cannot fail in practice; the error is still carried.
fn to_value<T: Serialize>(view: &T) -> serde_json::Value {
    serde_json::to_value(view).unwrap_or(serde_json::Value::Null)
}

fn page<T: Serialize>(url: String, template: &'static str, meta: PageMeta, view: &T) -> Page {
    Page {
        url,
        template,
        meta,
        view: to_value(view),
    }
}
