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
        }
    }

    /// Adds a published file if it is a page the index holds; other files are ignored.
    pub fn add(&self, path: &str, bytes: &[u8]) {
        if indexed(path) {
            let url = format!("/{}", path.trim_end_matches("index.html"));
            // A send fails only when the worker has stopped; `finish` reports why.
            let _ = self
                .pages
                .send((url, String::from_utf8_lossy(bytes).into_owned()));
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
