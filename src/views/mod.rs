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

pub use area::page_of as area_page;
pub use changes::files as changes_files;
pub use common::{IntentionSummary, Link, SignalView};
pub use editors::{page_view as editors_page, EDITORS_URL};
pub use intention::page_of as intention_page;
pub use market::page_of as market_page;
pub use matrix::{MatrixCell, SharedPriorityMatrix};
pub use organisation::page_of as organisation_page;

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
    /// Rows this page lists that other pages list too, laid out once for all of them (see
    /// [`SharedRows`]); the template gets them, laid out, as `rows`.
    pub rows: Option<RowList>,
}

/// Rows that many pages list, each laid out once by its own template and reused by every
/// page that shows it: an intention's row of the browse table is in a dozen lists, and
/// laying it out again for each took more of a build than any other page. Which rows a page
/// shows, and in what order, is its view's; laying them out is the renderer's.
pub struct SharedRows {
    /// The template that lays out one row, which it sees as `r`.
    template: &'static str,
    /// The rows as made, typed: as template values (a map per object) every row of a
    /// national list at once took ten times the memory, more than any other part of a build.
    rows: Box<dyn RowData>,
    laid_out: Vec<std::sync::OnceLock<String>>,
}

/// Rows of one type, each given to its template as a value only when it is laid out.
trait RowData: Send + Sync {
    /// Row `i` as its template sees it.
    fn value(&self, i: usize) -> serde_json::Value;
    /// Row `i` as JSON, for a digest of the pages that list it.
    fn write_json(&self, i: usize, out: &mut dyn std::io::Write) -> serde_json::Result<()>;
}

impl<T: Serialize + Send + Sync> RowData for Vec<T> {
    fn value(&self, i: usize) -> serde_json::Value {
        to_value(&self[i])
    }

    fn write_json(&self, i: usize, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
        serde_json::to_writer(out, &self[i])
    }
}

impl SharedRows {
    /// Rows to be laid out by `template`.
    pub fn new<T: Serialize + Send + Sync + 'static>(template: &'static str, rows: Vec<T>) -> Self {
        SharedRows {
            template,
            laid_out: rows.iter().map(|_| std::sync::OnceLock::new()).collect(),
            rows: Box::new(rows),
        }
    }

    /// The template that lays out one row.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Row `i` laid out: by `lay_out`, given the row's value, the first time it is asked
    /// for, then as it was. A row that fails to lay out is tried again when next asked for
    /// (the error is reported for each page that lists it, as any template error is).
    pub fn laid_out<E>(
        &self,
        i: usize,
        lay_out: impl FnOnce(serde_json::Value) -> Result<String, E>,
    ) -> Result<&str, E> {
        let html = &self.laid_out[i];
        if let Some(done) = html.get() {
            return Ok(done);
        }
        // Two threads may lay out the same row at once; both get the same text.
        let made = lay_out(self.rows.value(i))?;
        Ok(html.get_or_init(|| made))
    }
}

/// The shared rows one page lists, in its order.
#[derive(Clone)]
pub struct RowList {
    /// The rows.
    pub shared: std::sync::Arc<SharedRows>,
    /// Positions in `shared` of the rows this page lists, in order.
    pub picks: Vec<usize>,
}

impl RowList {
    /// The rows' template and the rows this page lists, in order, as JSON: what the page's
    /// rows are, for a digest, without making each row a value first.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> serde_json::Result<()> {
        serde_json::to_writer(&mut *out, self.shared.template)?;
        for &i in &self.picks {
            out.write_all(b",").map_err(serde_json::Error::io)?;
            self.shared.rows.write_json(i, out)?;
        }
        Ok(())
    }
}

/// A page's rows serialise as their template and the list of their data, so a dump of the
/// page shows them as if they were in its view.
impl Serialize for RowList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Picked<'a>(&'a RowList);
        impl Serialize for Picked<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let RowList { shared, picks } = self.0;
                serializer.collect_seq(picks.iter().map(|&i| shared.rows.value(i)))
            }
        }
        let mut fields = serializer.serialize_struct("RowList", 2)?;
        fields.serialize_field("template", self.shared.template)?;
        fields.serialize_field("rows", &Picked(self))?;
        fields.end()
    }
}

impl std::fmt::Debug for RowList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowList")
            .field("template", &self.shared.template)
            .field("picks", &self.picks)
            .finish()
    }
}

impl Page {
    /// The file this page is written to, relative to the output folder.
    pub fn output_path(&self) -> String {
        output_path_of(&self.url)
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

/// The file in the output folder of the page at `url`.
pub fn output_path_of(url: &str) -> String {
    if url.ends_with(".html") {
        url.trim_start_matches('/').to_string()
    } else {
        format!("{}index.html", url.trim_start_matches('/'))
    }
}

/// A page to make: its address now, its view only when it is rendered, so a build holds the
/// views of the pages it is rendering, not of the whole site.
pub struct PagePlan<'a> {
    /// The page's address, as the made page has it.
    pub url: String,
    make: Box<dyn FnOnce() -> Page + Send + 'a>,
}

impl<'a> PagePlan<'a> {
    /// A page made when it is needed.
    pub fn later(url: String, make: impl FnOnce() -> Page + Send + 'a) -> Self {
        PagePlan {
            url,
            make: Box::new(make),
        }
    }

    /// A page already made.
    pub fn ready(page: Page) -> Self {
        PagePlan {
            url: page.url.clone(),
            make: Box::new(move || page),
        }
    }

    /// Makes the page.
    pub fn make(self) -> Page {
        let page = (self.make)();
        debug_assert_eq!(page.url, self.url, "a page plan's address is its page's");
        page
    }
}

/// Data files to make, made when written: the open data of a national corpus runs to
/// hundreds of megabytes.
pub struct DataPlan<'a> {
    making: Making<'a>,
}

/// How a plan's files are made.
enum Making<'a> {
    /// Whole, together.
    Files(Box<dyn FnOnce() -> Result<Vec<DataFile>, String> + Send + 'a>),
    /// One file, written as it is made.
    Streamed { path: String, write: WriteFile<'a> },
}

/// Writes a data file's bytes, as they are made, to the writer it is given.
pub type WriteFile<'a> = Box<dyn FnOnce(&mut dyn std::io::Write) -> Result<(), String> + Send + 'a>;

/// A data file as made by a plan: whole, or still to write.
pub enum MadeFile<'a> {
    /// Its bytes.
    Whole(DataFile),
    /// Where it goes and what writes it, so a build writes it to disk as it is made instead
    /// of holding it whole (the largest, at 10,000 intentions, are 30 to 40 MB).
    Streamed {
        /// Where it goes, relative to the output folder.
        path: String,
        /// Writes it.
        write: WriteFile<'a>,
    },
}

impl MadeFile<'_> {
    /// Where it goes, relative to the output folder.
    pub fn path(&self) -> &str {
        match self {
            MadeFile::Whole(file) => &file.path,
            MadeFile::Streamed { path, .. } => path,
        }
    }
}

impl<'a> DataPlan<'a> {
    /// Files made when they are needed.
    pub fn later(make: impl FnOnce() -> Result<Vec<DataFile>, String> + Send + 'a) -> Self {
        DataPlan {
            making: Making::Files(Box::new(make)),
        }
    }

    /// Files already made.
    pub fn ready(files: Vec<DataFile>) -> Self {
        DataPlan::later(move || Ok(files))
    }

    /// One file at `path`, written by `write` as it is made.
    pub fn streamed(
        path: impl Into<String>,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), String> + Send + 'a,
    ) -> Self {
        DataPlan {
            making: Making::Streamed {
                path: path.into(),
                write: Box::new(write),
            },
        }
    }

    /// The files, those written as they are made still to write.
    pub fn made(self) -> Result<Vec<MadeFile<'a>>, String> {
        match self.making {
            Making::Files(make) => Ok(make()?.into_iter().map(MadeFile::Whole).collect()),
            Making::Streamed { path, write } => Ok(vec![MadeFile::Streamed { path, write }]),
        }
    }

    /// Makes the files, each whole.
    pub fn make(self) -> Result<Vec<DataFile>, String> {
        match self.making {
            Making::Files(make) => make(),
            Making::Streamed { path, write } => {
                let mut bytes = Vec::new();
                write(&mut bytes)?;
                Ok(vec![DataFile { path, bytes }])
            }
        }
    }
}

/// Every page and data file of the site, still to make.
#[derive(Default)]
pub struct SitePlan<'a> {
    /// HTML pages, in the site's order.
    pub pages: Vec<PagePlan<'a>>,
    /// JSON, CSV and other files, in the site's order.
    pub data: Vec<DataPlan<'a>>,
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
    let plan = plan(corpus)?;
    let data: Vec<Vec<DataFile>> = plan
        .data
        .into_par_iter()
        .map(DataPlan::make)
        .collect::<Result<_, _>>()?;
    Ok(SiteViews {
        pages: plan.pages.into_par_iter().map(PagePlan::make).collect(),
        data: data.into_iter().flatten().collect(),
    })
}

/// Plans every page and data file of the site: the big page views (intentions,
/// organisations, priorities, browse lists, market statements) are made when rendered, and
/// the data files when written.
pub fn plan(corpus: &Corpus) -> Result<SitePlan<'_>, String> {
    // Each part of the site is planned on its own, on every core; the parts are put together
    // in this order, so the site's order does not depend on which finishes first.
    type Part<'a> = Box<dyn Fn() -> Result<SitePlan<'a>, String> + Send + Sync + 'a>;
    let parts: Vec<Part> = vec![
        Box::new(move || {
            made(vec![
                home::home(corpus),
                home::not_found(corpus),
                organisation::index(corpus),
            ])
        }),
        Box::new(move || planned(organisation::pages(corpus))),
        Box::new(move || planned(intention::pages(corpus))),
        Box::new(move || planned(browse::pages(corpus))),
        Box::new(move || {
            let mut pages = vec![PagePlan::ready(priority::index(corpus))];
            pages.extend(priority::pages(corpus));
            pages.push(PagePlan::ready(area::index(corpus)));
            pages.extend(area::pages(corpus).into_iter().map(PagePlan::ready));
            pages.push(PagePlan::ready(matrix::page_view(corpus)));
            pages.extend(matrix::cross_reference_pages(corpus));
            planned(pages)
        }),
        Box::new(move || later(move || matrix::files(corpus))),
        Box::new(move || planned(market::index_pages(corpus))),
        Box::new(move || planned(market::pages(corpus))),
        Box::new(move || data_only(market::files(corpus))),
        Box::new(move || made(vec![data::index(corpus)])),
        Box::new(move || data_only(data::files(corpus))),
        Box::new(move || data_only(ocds::files(corpus))),
        Box::new(move || data_only(feeds::files(corpus))),
        Box::new(move || data_only(calendar::files(corpus))),
        Box::new(move || made(vec![search::page_view(corpus)])),
    ];
    let parts: Vec<Result<SitePlan, String>> = parts.par_iter().map(|part| part()).collect();
    let mut plan = SitePlan::default();
    for part in parts {
        let part = part?;
        plan.pages.extend(part.pages);
        plan.data.extend(part.data);
    }
    let urls: Vec<&str> = plan.pages.iter().map(|p| p.url.as_str()).collect();
    let sitemap = sitemap::files(corpus, &urls);
    plan.data.push(DataPlan::ready(sitemap));
    Ok(plan)
}

fn planned(pages: Vec<PagePlan<'_>>) -> Result<SitePlan<'_>, String> {
    Ok(SitePlan {
        pages,
        data: Vec::new(),
    })
}

fn made<'a>(pages: Vec<Page>) -> Result<SitePlan<'a>, String> {
    planned(pages.into_iter().map(PagePlan::ready).collect())
}

fn data_only(data: Vec<DataPlan<'_>>) -> Result<SitePlan<'_>, String> {
    Ok(SitePlan {
        pages: Vec::new(),
        data,
    })
}

fn later<'a>(
    make: impl FnOnce() -> Result<Vec<DataFile>, String> + Send + 'a,
) -> Result<SitePlan<'a>, String> {
    data_only(vec![DataPlan::later(make)])
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
        rows: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{RowList, SharedRows};
    use std::cell::Cell;
    use std::sync::Arc;

    #[test]
    fn a_shared_row_is_laid_out_once_and_a_failed_one_again() {
        let rows = SharedRows::new("row.html", vec![1, 2]);
        let calls = Cell::new(0);
        let lay_out = |row: serde_json::Value| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(format!("<{row}>"))
        };
        assert_eq!(rows.laid_out(1, lay_out), Ok("<2>"));
        assert_eq!(rows.laid_out(1, lay_out), Ok("<2>"));
        assert_eq!(calls.get(), 1);
        assert_eq!(rows.laid_out(0, |_| Err("broken")), Err("broken"));
        assert_eq!(rows.laid_out(0, lay_out), Ok("<1>"));
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn a_row_list_serialises_as_its_template_and_its_rows_in_order() {
        let list = RowList {
            shared: Arc::new(SharedRows::new("row.html", vec!["a", "b"])),
            picks: vec![1, 0, 1],
        };
        assert_eq!(
            serde_json::to_value(&list).ok(),
            Some(serde_json::json!({"template": "row.html", "rows": ["b", "a", "b"]}))
        );
        let mut json = Vec::new();
        assert!(list.write_json(&mut json).is_ok());
        assert_eq!(String::from_utf8_lossy(&json), r#""row.html","b","a","b""#);
    }
}
