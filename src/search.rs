//! The static search index: Pagefind, run in-process on the rendered HTML of intention and
//! organisation pages, read from a folder of them on every core (their `data-pagefind-body`
//! main content and `data-pagefind-filter` values), written under `/pagefind/` beside the
//! pages.

use std::path::{Component, Path};

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

/// The folder, inside the staging folder, of links to the pages to index: Pagefind reads a
/// folder, and must not read the (big) lists of intentions. A dot-name no page path has.
const PAGES: &str = ".search-pages";

const TEMPORARY_HINT: &str =
    "check the temporary folder (TMPDIR) is writable and the disk is not full";

/// Indexes the pages among `files` (path in the output folder, HTML) and returns the files of
/// the search bundle, as [`index_written`] does for a written site: the pages are written to
/// a temporary folder first, so both read them the same way and make the same bundle.
pub fn index<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    language: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let folder = tempfile::Builder::new()
        .prefix("intentions-search-")
        .tempdir()
        .map_err(|e| {
            Diagnostic::error(format!(
                "could not make a temporary folder for the search index: {e}"
            ))
            .with_hint(TEMPORARY_HINT)
        })?;
    let mut seen = std::collections::HashSet::new();
    for (path, bytes) in files.into_iter().filter(|(path, _)| indexed(path)) {
        let target = crate::output::safe_join(folder.path(), path)
            .ok_or_else(|| Diagnostic::error(format!("refusing to index `{path}`")))?;
        let temporary = |path: &Path, action: &str, e: std::io::Error| {
            io_error(path, action, &e).with_hint(TEMPORARY_HINT)
        };
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| temporary(dir, "create the folder", e))?;
        }
        // A later page with the same path replaces the earlier one, as in the output.
        std::fs::write(&target, bytes).map_err(|e| temporary(&target, "write", e))?;
        seen.insert(path);
    }
    index_folder(folder.path(), seen.len(), language)
}

/// Indexes the pages among `pages` (paths in `site`, a folder they are written to) and
/// returns the files of the search bundle. Pagefind reads a folder on every core: it is
/// given one of links to just the pages it indexes, made inside `site` (so a hard link
/// works, else the page is copied) and removed before returning.
///
/// Pagefind numbers the pages in the order it finds them in that folder, which is the file
/// system's order, so the bundle's index files depend on it; the pages' fragments do not.
/// The links are made in the order of `pages` (the views' order), which file systems that
/// list a folder in creation order follow.
pub fn index_written(
    site: &Path,
    pages: &[String],
    language: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let folder = site.join(PAGES);
    let result =
        link_pages(site, &folder, pages).and_then(|count| index_folder(&folder, count, language));
    let removed = std::fs::remove_dir_all(&folder);
    let bundle = result?;
    removed.map_err(|e| io_error(&folder, "remove the folder", &e))?;
    Ok(bundle)
}

/// Links (or copies) the indexed pages among `pages` from `site` into `folder`, at the same
/// paths. Returns how many.
fn link_pages(site: &Path, folder: &Path, pages: &[String]) -> Result<usize, Diagnostic> {
    let _ = std::fs::remove_dir_all(folder);
    let mut seen = std::collections::HashSet::new();
    for path in pages.iter().filter(|p| indexed(p)) {
        if !seen.insert(path) {
            continue;
        }
        let refused = || Diagnostic::error(format!("refusing to index `{path}`"));
        let from = crate::output::safe_join(site, path).ok_or_else(refused)?;
        let to = crate::output::safe_join(folder, path).ok_or_else(refused)?;
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", &e))?;
        }
        // Some file systems have no hard links; a copy reads the same.
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).map_err(|e| io_error(&to, "copy a page to", &e))?;
        }
    }
    Ok(seen.len())
}

/// Runs Pagefind over every `index.html` under `folder` (`expected` of them) and returns the
/// files of the search bundle.
fn index_folder(
    folder: &Path,
    expected: usize,
    language: &str,
) -> Result<Vec<OutputFile>, Diagnostic> {
    // Pagefind wants ISO 639-1 ("en"), not the site's BCP 47 tag ("en-GB").
    let language = language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    let folder = folder.to_string_lossy().into_owned();
    // Pagefind is async; it runs on a runtime of its own in a thread of its own, so this
    // works the same whether or not the caller is inside a runtime (as `serve` is). It reads
    // the pages on rayon's threads.
    let worker = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start the search indexer: {e}"))?;
        runtime.block_on(run(folder, expected, language))
    });
    worker
        .join()
        .unwrap_or_else(|_| Err("the search indexer panicked".into()))
        .map_err(|message| {
            Diagnostic::error(format!("building the search index: {message}"))
                .with_hint("this is a bug in intentions or Pagefind; please report it")
        })
}

async fn run(folder: String, expected: usize, language: String) -> Result<Vec<OutputFile>, String> {
    let options = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .force_language(language)
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    let read = index
        .add_directory(folder, Some("**/index.html".into()))
        .await
        .map_err(|e| e.to_string())?;
    // Pagefind skips a page it cannot read or parse, with no error: a missing page is one.
    if read != expected {
        return Err(format!("read {read} of {expected} pages"));
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

fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "could not {action} {} for the search index: {error}",
        path.display()
    ))
    .with_hint("check the output folder is writable and the disk is not full; the previous site is unchanged")
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
