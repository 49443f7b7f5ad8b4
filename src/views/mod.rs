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
    let mut views = SiteViews::default();
    views.pages.push(home::home(corpus));
    views.pages.push(home::not_found(corpus));
    views.pages.push(organisation::index(corpus));
    views.pages.extend(organisation::pages(corpus));
    views.pages.extend(intention::pages(corpus));
    views.pages.extend(browse::pages(corpus));
    views.pages.push(priority::index(corpus));
    views.pages.extend(priority::pages(corpus));
    views.pages.push(area::index(corpus));
    views.pages.extend(area::pages(corpus));
    views.pages.push(matrix::page_view(corpus));
    views.pages.extend(matrix::cross_reference_pages(corpus));
    views.data.extend(matrix::files(corpus)?);
    views.pages.extend(market::index_pages(corpus));
    views.pages.extend(market::pages(corpus));
    views.data.extend(market::files(corpus)?);
    views.pages.push(data::index(corpus));
    views.data.extend(data::files(corpus)?);
    views.data.extend(ocds::files(corpus)?);
    views.data.extend(feeds::files(corpus));
    views.data.extend(calendar::files(corpus));
    views.pages.push(search::page_view(corpus));
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
