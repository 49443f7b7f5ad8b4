//! The static search index: Pagefind, run in-process on the rendered HTML of intention and
//! organisation pages (their `data-pagefind-body` main content and `data-pagefind-filter`
//! values), written under `/pagefind/` beside the pages.

use std::path::{Component, Path};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

/// The folder the index and Pagefind's scripts are written to.
pub const BUNDLE: &str = "pagefind";

/// Whether a rendered file is a page the index should hold: an intention or an organisation,
/// not the lists of them (`/intentions/` and its filtered views, `/organisations/`).
pub fn indexed(path: &str) -> bool {
    let browse_page = path.strip_prefix("intentions/").is_some_and(|rest| {
        rest == "index.html"
            || rest
                .split('/')
                .next()
                .is_some_and(|first| crate::model::RESERVED_ORGANISATION_IDS.contains(&first))
    });
    path.ends_with("/index.html")
        && (path.starts_with("intentions/") || path.starts_with("organisations/"))
        && !browse_page
        && path != "organisations/index.html"
}

/// Indexes the pages among `files` (path in the output folder, HTML) and returns the files of
/// the search bundle. Pagefind hashes what it reads into its file names, so it always reads
/// the published HTML, so a clean build and `serve`'s incremental one give the
/// same bundle.
pub fn index<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    language: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let indexer = Indexer::start(language);
    for (path, bytes) in files {
        indexer.add(path, bytes);
    }
    indexer.finish()
}

/// Pagefind running on a thread of its own while pages are still being rendered: it reads
/// pages one at a time (on one core), so the rest of the build goes on beside it.
pub struct Indexer {
    pages: std::sync::mpsc::Sender<(String, String)>,
    /// Set when the index is no longer wanted: the worker stops at the next page.
    abandoned: Arc<AtomicBool>,
    worker: std::thread::JoinHandle<Result<Vec<OutputFile>, String>>,
    /// What of a page Pagefind is given.
    read: fn(&str) -> String,
}

impl Indexer {
    /// Starts an empty index for pages in `language` (the site's BCP 47 tag).
    pub fn start(language: &str) -> Self {
        // Pagefind wants ISO 639-1 ("en"), not the site's BCP 47 tag ("en-GB").
        let language = language
            .split('-')
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        let (pages, received) = std::sync::mpsc::channel();
        let abandoned = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&abandoned);
        // Pagefind is async; it runs on a runtime of its own in a thread of its own, so this
        // works the same whether or not the caller is inside a runtime (as `serve` is).
        let worker = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("could not start the search indexer: {e}"))?;
            runtime.block_on(run(received, language, stop))
        });
        Indexer {
            pages,
            abandoned,
            worker,
            read: what_pagefind_reads,
        }
    }

    /// Adds a published file if it is a page the index holds; other files are ignored.
    pub fn add(&self, path: &str, bytes: &[u8]) {
        if indexed(path) {
            let url = format!("/{}", path.trim_end_matches("index.html"));
            let html = String::from_utf8_lossy(bytes);
            // A send fails only when the worker has stopped; `finish` reports why.
            let _ = self.pages.send((url, (self.read)(&html)));
        }
    }

    /// Stops indexing (a build that failed wants no index) and waits for the worker to end.
    pub fn abandon(self) {
        self.abandoned.store(true, Ordering::Relaxed);
        drop(self.pages);
        let _ = self.worker.join();
    }

    /// Waits for the index and returns the files of the search bundle.
    pub fn finish(self) -> Result<Vec<OutputFile>, Diagnostic> {
        drop(self.pages);
        self.worker
            .join()
            .unwrap_or_else(|_| Err("the search indexer panicked".into()))
            .map_err(|message| {
                Diagnostic::error(format!("building the search index: {message}"))
                    .with_hint("this is a bug in intentions or Pagefind; please report it")
            })
    }
}

/// The part of a page Pagefind reads: its `<main>` element in a bare document. Every
/// `data-pagefind-*` attribute of the theme is inside `<main>`, so the index is the same as
/// from the whole page (tested), and Pagefind parses a quarter less of each one. A page with
/// such an attribute outside `<main>` (a custom theme's, say) is read whole.
fn what_pagefind_reads(html: &str) -> String {
    const ATTRIBUTE: &str = "data-pagefind";
    const END: &str = "</main>";
    let main = html
        .find("<main")
        .zip(html.rfind(END).map(|end| end + END.len()))
        .filter(|(start, end)| {
            start < end && !html[..*start].contains(ATTRIBUTE) && !html[*end..].contains(ATTRIBUTE)
        });
    match main {
        Some((start, end)) => format!("<html><body>{}</body></html>", &html[start..end]),
        None => html.to_string(),
    }
}

async fn run(
    pages: std::sync::mpsc::Receiver<(String, String)>,
    language: String,
    abandoned: Arc<AtomicBool>,
) -> Result<Vec<OutputFile>, String> {
    let options = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .force_language(language)
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    // A blocking receive on this runtime's only thread is fine: nothing else runs on it.
    while let Ok((url, html)) = pages.recv() {
        if abandoned.load(Ordering::Relaxed) {
            return Ok(Vec::new());
        }
        index
            .add_html_file(None, Some(url.clone()), html)
            .await
            .map_err(|e| format!("{url}: {e}"))?;
    }
    if abandoned.load(Ordering::Relaxed) {
        return Ok(Vec::new());
    }
    let files = index.get_files().await.map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .filter_map(|f| {
            bundle_path(&f.filename).map(|path| OutputFile {
                path,
                bytes: f.contents,
            })
        })
        .collect())
}

/// `pagefind/<file>` for a file Pagefind names relative to its bundle (`fragment/x`), or, to be
/// safe, to wherever it thinks the bundle is (`/site/pagefind/fragment/x`). Names that climb
/// out (`..`) are refused.
fn bundle_path(filename: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in filename.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
            Component::ParentDir => return None,
        }
    }
    if filename.is_absolute() {
        // The last folder called `pagefind` is the bundle; everything below it is ours.
        let start = parts[..parts.len().saturating_sub(1)]
            .iter()
            .rposition(|p| p == BUNDLE)?;
        parts.drain(..=start);
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{BUNDLE}/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::{bundle_path, indexed};
    use std::path::Path;

    #[test]
    fn places_files_under_the_bundle_folder() {
        assert_eq!(
            bundle_path(Path::new("/tmp/x/pagefind/fragment/en_1.pf_fragment")).as_deref(),
            Some("pagefind/fragment/en_1.pf_fragment")
        );
        assert_eq!(
            bundle_path(Path::new("pagefind.js")).as_deref(),
            Some("pagefind/pagefind.js")
        );
        assert_eq!(bundle_path(Path::new("/elsewhere.js")), None);
        assert_eq!(bundle_path(Path::new("../escape.js")), None);
    }

    #[test]
    fn writes_the_bundle_with_its_script() {
        let page = crate::output::OutputFile {
            path: "intentions/o/s/index.html".into(),
            bytes: b"<html lang=en><body><main data-pagefind-body><h1>Reablement beds</h1>\
                <p>More reablement.</p></main></body></html>"
                .to_vec(),
        };
        let files =
            super::index([(page.path.as_str(), &page.bytes[..])], "en-GB").expect("indexed");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/fragment/")),
            "{paths:?}"
        );
    }

    #[test]
    fn reads_the_main_element_and_makes_the_same_index_as_from_whole_pages() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = crate::check(root)
            .value
            .expect("the bundled example checks");
        let site = crate::render_site(root, &corpus).expect("the bundled example renders");
        let pages: Vec<(&str, &[u8])> = site
            .iter()
            .filter(|f| indexed(&f.path))
            .map(|f| (f.path.as_str(), &f.bytes[..]))
            .collect();
        assert!(pages.len() > 20, "{} pages", pages.len());
        let read = |whole: bool| {
            let mut indexer = super::Indexer::start(&corpus.site.language);
            if whole {
                indexer.read = str::to_string;
            }
            for (path, bytes) in &pages {
                indexer.add(path, bytes);
            }
            let mut files: Vec<(String, Vec<u8>)> = indexer
                .finish()
                .expect("indexed")
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect();
            files.sort();
            files
        };
        let (main, whole) = (read(false), read(true));
        assert_eq!(
            main.iter().map(|f| &f.0).collect::<Vec<_>>(),
            whole.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
        assert!(main == whole, "the bundles' bytes differ");
        // And the site's own bundle is that one.
        let mut bundle: Vec<(String, Vec<u8>)> = site
            .iter()
            .filter(|f| f.path.starts_with("pagefind/"))
            .map(|f| (f.path.clone(), f.bytes.clone()))
            .collect();
        bundle.sort();
        assert!(
            bundle == main,
            "the site's bundle is not the one read from <main>"
        );
    }

    #[test]
    fn reads_a_page_whole_when_it_marks_search_outside_main() {
        let page = "<html><head><meta data-pagefind-meta=\"x:y\"></head>\
            <body><main data-pagefind-body><h1>T</h1></main></body></html>";
        assert_eq!(super::what_pagefind_reads(page), page);
        let page = "<html><body><header>H</header><main data-pagefind-body><h1>T</h1></main>\
            <footer>F</footer></body></html>";
        assert_eq!(
            super::what_pagefind_reads(page),
            "<html><body><main data-pagefind-body><h1>T</h1></main></body></html>"
        );
        let page = "<html><body><h1>No main</h1></body></html>";
        assert_eq!(super::what_pagefind_reads(page), page);
    }

    #[test]
    fn indexes_intentions_and_organisations_only() {
        assert!(indexed("intentions/o/s/index.html"));
        assert!(indexed("organisations/o/index.html"));
        assert!(!indexed("organisations/index.html"));
        assert!(!indexed("intentions/index.html"));
        assert!(!indexed("intentions/signal/grow/index.html"));
        assert!(!indexed("intentions/service-area/home-care/index.html"));
        assert!(!indexed("priorities/p/index.html"));
        assert!(!indexed("organisations/o/feed.xml"));
    }
}
