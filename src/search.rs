//! The static search index: Pagefind, run in-process on the rendered HTML of intention and
//! organisation pages (their `data-pagefind-body` main content and `data-pagefind-filter`
//! values), written under `/pagefind/` beside the pages; a large site's in parts, made side
//! by side, that the search page merges.

use std::borrow::Cow;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

/// The folder the index and Pagefind's scripts are written to.
pub const BUNDLE: &str = "pagefind";

/// How many indexes a large site's pages are dealt between, in turn. Pagefind reads, indexes
/// and compresses an index on one core, and at 10,000 intentions that took longer than the
/// rest of the build; two, made side by side, take half as long on two cores. The search
/// page merges them (Pagefind's `mergeIndex`), ranking every result by its score. A fixed
/// number, not the machine's cores, so every machine writes the same files.
const PARTS_OF_A_LARGE_INDEX: usize = 2;

/// From how many pages to index the index is made in parts. Each part ranks results by its
/// own pages' word counts, so a word on nearly every page ("care") ranks a little differently
/// in merged halves than in one whole index: on a site of a few hundred pages enough to
/// change the first ten results. Below this a site, a county's or a region's, keeps one
/// index; national sites, where it takes longest, get parts.
const LARGE_INDEX: usize = 5_000;

/// How many parts the index of `corpus` is made in: one per site below [`LARGE_INDEX`]
/// intention and organisation pages, [`PARTS_OF_A_LARGE_INDEX`] from there.
pub fn parts(corpus: &crate::model::Corpus) -> usize {
    parts_for(corpus.intentions.len() + corpus.organisations.len())
}

fn parts_for(pages: usize) -> usize {
    if pages < LARGE_INDEX {
        1
    } else {
        PARTS_OF_A_LARGE_INDEX
    }
}

/// The folder part `k` (from 0) of the index is published in: the first is Pagefind's whole
/// bundle, scripts and all; each other holds only its index, inside the first.
fn part_folder(k: usize) -> String {
    if k == 0 {
        BUNDLE.to_string()
    } else {
        format!("{BUNDLE}/part-{}", k + 1)
    }
}

/// The addresses of the parts the search page merges into the first, of an index in `parts`.
pub fn merged_parts(parts: usize) -> Vec<String> {
    (1..parts)
        .map(|k| format!("/{}/", part_folder(k)))
        .collect()
}

/// Whether a file of a part's bundle is its index (which a merged part needs) rather than one
/// of Pagefind's scripts, styles and WebAssembly (which the first part already has).
fn index_data(name: &str) -> bool {
    name == "pagefind-entry.json"
        || [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"]
            .iter()
            .any(|extension| name.ends_with(extension))
}

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
    parts: usize,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let indexer = Indexer::start(language, parts);
    for (path, bytes) in files {
        indexer.add(path, bytes);
    }
    indexer.finish()
}

/// Pagefind running on threads of its own while pages are still being rendered: each part
/// of the index reads its pages one at a time (on one core), so the rest of the build goes
/// on beside them.
pub struct Indexer {
    parts: Vec<Part>,
    /// How many pages have been dealt, to deal the next to the next part.
    dealt: AtomicUsize,
    /// Set when the index is no longer wanted: the workers stop at the next page.
    abandoned: Arc<AtomicBool>,
    /// What of a page Pagefind is given.
    read: fn(&str) -> String,
}

/// What the index reads of one page: its address and the part of its HTML Pagefind is given.
pub struct PageRead {
    url: String,
    html: String,
}

/// A part's bundle: each file's name inside it and its bytes.
type PartFiles = Vec<(String, Vec<u8>)>;

/// One part of the index, made on a thread of its own.
struct Part {
    pages: std::sync::mpsc::Sender<(String, String)>,
    /// The files of its bundle, named relative to the bundle.
    worker: std::thread::JoinHandle<Result<PartFiles, String>>,
}

impl Indexer {
    /// Starts an empty index, in `parts` parts (see [`parts`]), for pages in `language` (the
    /// site's BCP 47 tag).
    pub fn start(language: &str, parts: usize) -> Self {
        // Pagefind wants ISO 639-1 ("en"), not the site's BCP 47 tag ("en-GB").
        let language = language
            .split('-')
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        let abandoned = Arc::new(AtomicBool::new(false));
        let parts = (0..parts.max(1))
            .map(|_| {
                let (pages, received) = std::sync::mpsc::channel();
                let stop = Arc::clone(&abandoned);
                let language = language.clone();
                // Pagefind is async; each part runs on a runtime of its own in a thread of
                // its own, so this works the same whether or not the caller is inside a
                // runtime (as `serve` is). Pagefind reads each page on the runtime's pool of
                // blocking threads, one page at a time; with no limit the pool started a new
                // thread whenever the last had not yet said it was free, a dozen or more
                // a part, and each held memory of its own (at 10,000 intentions about 30 MiB
                // more at the end of the build).
                let worker = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .max_blocking_threads(1)
                        .enable_all()
                        .build()
                        .map_err(|e| format!("could not start the search indexer: {e}"))?;
                    runtime.block_on(run(received, language, stop))
                });
                Part { pages, worker }
            })
            .collect();
        Indexer {
            parts,
            dealt: AtomicUsize::new(0),
            abandoned,
            read: what_pagefind_reads,
        }
    }

    /// Adds a published file if it is a page the index holds; other files are ignored.
    /// Pages are dealt to the parts in turn, so the order they come in decides the parts.
    pub fn add(&self, path: &str, bytes: &[u8]) {
        if let Some(page) = self.read(path, bytes) {
            self.add_read(page);
        }
    }

    /// What the index reads of a published file, if it is a page the index holds. It can be
    /// made on any thread, as soon as the page is, so the page itself need not be kept; the
    /// pages read are then added in order with [`Indexer::add_read`].
    pub fn read(&self, path: &str, bytes: &[u8]) -> Option<PageRead> {
        indexed(path).then(|| PageRead {
            url: format!("/{}", path.trim_end_matches("index.html")),
            // Checked with the standard library's quick check first: a rendered page is
            // always UTF-8, and the lossy conversion checks a byte at a time.
            html: (self.read)(
                &std::str::from_utf8(bytes)
                    .map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed),
            ),
        })
    }

    /// Adds a page read by [`Indexer::read`]. The order pages are added in decides which
    /// part each goes to.
    pub fn add_read(&self, page: PageRead) {
        let part = self.dealt.fetch_add(1, Ordering::Relaxed) % self.parts.len();
        // A send fails only when the worker has stopped; `finish` reports why.
        let _ = self.parts[part].pages.send((page.url, page.html));
    }

    /// Stops indexing (a build that failed wants no index) and waits for the workers to end.
    pub fn abandon(self) {
        self.abandoned.store(true, Ordering::Relaxed);
        let workers: Vec<_> = self.parts.into_iter().map(|part| part.worker).collect();
        for worker in workers {
            let _ = worker.join();
        }
    }

    /// Waits for every part of the index and returns the files of the search bundle.
    pub fn finish(self) -> Result<Vec<OutputFile>, Diagnostic> {
        // Every part is told there are no more pages before any is waited for, so they all
        // finish side by side.
        let workers: Vec<_> = self.parts.into_iter().map(|part| part.worker).collect();
        let mut files = Vec::new();
        let mut failed = None;
        for (k, worker) in workers.into_iter().enumerate() {
            let made = worker
                .join()
                .unwrap_or_else(|_| Err("the search indexer panicked".into()));
            match made {
                Ok(bundle) => files.extend(bundle.into_iter().filter_map(|(name, bytes)| {
                    let keep = k == 0 || index_data(&name);
                    keep.then(|| OutputFile {
                        path: format!("{}/{name}", part_folder(k)),
                        bytes,
                    })
                })),
                Err(message) => failed = failed.or(Some(message)),
            }
        }
        match failed {
            None => Ok(files),
            Some(message) => Err(Diagnostic::error(format!(
                "building the search index: {message}"
            ))
            .with_hint("this is a bug in intentions or Pagefind; please report it")),
        }
    }
}

/// The part of a page Pagefind reads: its `<main>` element in a bare document, its words kept
/// apart (see [`words_kept_apart`]) and its markup cut to what Pagefind looks at (see
/// [`slimmed`]). Every `data-pagefind-*` attribute of the theme is inside `<main>`, so the
/// index is the same as from the whole page (tested), and Pagefind parses much less of each
/// one: a bare document of well-nested tags, which the patched Pagefind reads with a plain
/// scan of its tags instead of its HTML parser (see `vendor/README.md`). A page with such an
/// attribute outside `<main>` (a custom theme's, say), or with more than the one body, is
/// read whole.
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
        Some((start, end)) => {
            let main = &html[start..end];
            let mut page = String::with_capacity(main.len() + 64);
            page.push_str("<html><body>");
            // Inside an element holding a second body, Pagefind reads only the bodies: text
            // an inline element held would no longer be left out.
            let one_body = main.matches("data-pagefind-body").count() <= 1;
            if !(one_body && slimmed(main, &mut page)) {
                page.truncate("<html><body>".len());
                words_kept_apart(main, &mut page);
            }
            page.push_str("</body></html>");
            page.shrink_to_fit();
            page
        }
        None => {
            let mut page = String::with_capacity(html.len() + 64);
            words_kept_apart(html, &mut page);
            page
        }
    }
}

/// Elements that do not end a word: text runs on across their start.
const INLINE_ELEMENTS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "img", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Inline elements without an end tag, kept as they are: Pagefind reads a line break as a
/// space and an image's address and text.
const VOID_INLINE_ELEMENTS: &[&str] = &["br", "img", "wbr"];

/// Copies `html` to `out` with a space before the start of every element that is not inline.
/// Pagefind separates words only at the blocks it knows (paragraphs, list items, table data
/// cells, headings); across a table's caption and header cells or a definition list's term
/// and description the words would run together ("bedsYearSpend"), and be found by none of
/// them. Before the start, not after the end: Pagefind ends a block's text with a full stop
/// for its excerpts only when the text ends in a word.
fn words_kept_apart(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let name_length = tag[1..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len() - 1);
        let name = &tag[1..=name_length];
        if name.starts_with(|c: char| c.is_ascii_alphabetic()) && !INLINE_ELEMENTS.contains(&name) {
            out.push(' ');
        }
        out.push('<');
        rest = &tag[1..];
    }
    out.push_str(rest);
}

/// Like [`words_kept_apart`], and also leaves out the markup Pagefind does nothing with: the
/// tags of inline elements (links, emphasis, dates), whose text it reads as if they were not
/// there, and the attributes of other elements. An element with an `id` (an anchor) or a
/// `data-pagefind-*` attribute, and every image and line break, is kept as it is. The
/// index is the same, byte for byte (tested), Pagefind's parser (the costliest part of
/// indexing a page) has fewer elements and attributes to go through, and a page waiting to be
/// indexed takes less memory.
/// Returns false, having written part of `out`, for what it does not read exactly: a tag
/// left open, or an element whose text is not markup (`script`, `style`, `svg`), after which
/// the caller reads the page with [`words_kept_apart`] alone.
fn slimmed(html: &str, out: &mut String) -> bool {
    /// Elements whose content a plain scan of tags would misread.
    const NOT_MARKUP: &[&str] = &[
        "script",
        "style",
        "svg",
        "math",
        "textarea",
        "title",
        "template",
        "xmp",
        "iframe",
        "noscript",
        "noembed",
        "noframes",
        "plaintext",
    ];
    let one_of = |names: &[&str], name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    // The inline elements open, and whether each one's start tag was kept, to do the same
    // with its end tag.
    let mut open: Vec<(&str, bool)> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, from_tag) = rest.split_at(at);
        out.push_str(before);
        if from_tag.starts_with("<!--") {
            // A comment, as it is: what looks like a tag in it is not one.
            let Some(end) = from_tag.find("-->") else {
                return false;
            };
            out.push_str(&from_tag[..end + 3]);
            rest = &from_tag[end + 3..];
            continue;
        }
        let tag = match Tag::read(from_tag) {
            Scanned::Tag(tag) => tag,
            Scanned::Unterminated => return false,
            // A doctype or a `<` in text: as it is.
            Scanned::NotATag => {
                out.push('<');
                rest = &from_tag[1..];
                continue;
            }
        };
        let whole = &from_tag[..tag.length];
        rest = &from_tag[tag.length..];
        if one_of(NOT_MARKUP, tag.name) {
            return false;
        }
        let inline = one_of(INLINE_ELEMENTS, tag.name);
        if tag.end {
            let opened = open
                .iter()
                .rposition(|(name, _)| name.eq_ignore_ascii_case(tag.name));
            match opened {
                Some(k) if inline => {
                    if open.remove(k).1 {
                        out.push_str(whole);
                    }
                }
                _ => out.push_str(whole),
            }
            continue;
        }
        let void = one_of(VOID_INLINE_ELEMENTS, tag.name);
        let keep = tag.read_by_pagefind || void;
        if !inline {
            out.push(' ');
        }
        if keep {
            out.push_str(whole);
        } else if !inline {
            out.push('<');
            out.push_str(tag.name);
            out.push('>');
        }
        if inline && !void {
            open.push((tag.name, keep));
        }
    }
    out.push_str(rest);
    true
}

/// What [`Tag::read`] found at a `<`.
enum Scanned<'a> {
    Tag(Tag<'a>),
    /// A tag with no `>` to end it.
    Unterminated,
    /// Not a start or end tag: a doctype, a `<` in text.
    NotATag,
}

/// A start or end tag, as far as [`slimmed`] needs to know it.
struct Tag<'a> {
    name: &'a str,
    end: bool,
    /// Its length in bytes, from `<` to `>`.
    length: usize,
    /// Whether it has an attribute Pagefind reads: an `id`, or a `data-pagefind-*` one.
    read_by_pagefind: bool,
}

impl<'a> Tag<'a> {
    /// Reads the tag `text` starts with (at its `<`), attribute by attribute, the way an HTML
    /// parser does: a `>` inside a quoted value does not end it.
    fn read(text: &'a str) -> Scanned<'a> {
        let bytes = text.as_bytes();
        let end = bytes.get(1) == Some(&b'/');
        let from = if end { 2 } else { 1 };
        if !bytes.get(from).is_some_and(u8::is_ascii_alphabetic) {
            return Scanned::NotATag;
        }
        let stops = |b: &u8| b.is_ascii_whitespace() || *b == b'/' || *b == b'>';
        let name_end = bytes[from..]
            .iter()
            .position(stops)
            .map_or(bytes.len(), |n| from + n);
        let mut at = name_end;
        let mut read_by_pagefind = false;
        loop {
            while bytes
                .get(at)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
            {
                at += 1;
            }
            match bytes.get(at) {
                None => return Scanned::Unterminated,
                Some(b'>') => break,
                Some(_) => {}
            }
            let attribute_start = at;
            at += 1;
            while bytes.get(at).is_some_and(|b| !stops(b) && *b != b'=') {
                at += 1;
            }
            let attribute = &text[attribute_start..at];
            read_by_pagefind |= attribute.eq_ignore_ascii_case("id")
                || attribute
                    .get(.."data-pagefind".len())
                    .is_some_and(|start| start.eq_ignore_ascii_case("data-pagefind"));
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            if bytes.get(at) != Some(&b'=') {
                continue;
            }
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    match bytes[at + 1..].iter().position(|b| *b == quote) {
                        Some(n) => at += n + 2,
                        None => return Scanned::Unterminated,
                    }
                }
                _ => {
                    while bytes
                        .get(at)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                    {
                        at += 1;
                    }
                }
            }
        }
        Scanned::Tag(Tag {
            name: &text[from..name_end],
            end,
            length: at + 1,
            read_by_pagefind,
        })
    }
}

/// Makes one part of the index from the pages it receives; returns its files, named relative
/// to its bundle.
async fn run(
    pages: std::sync::mpsc::Receiver<(String, String)>,
    language: String,
    abandoned: Arc<AtomicBool>,
) -> Result<PartFiles, String> {
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
        .filter_map(|f| name_in_bundle(&f.filename).map(|name| (name, f.contents)))
        .collect())
}

/// A file's name in its bundle (`fragment/x`), for a file Pagefind names relative to its
/// bundle or, to be safe, to wherever it thinks the bundle is (`/site/pagefind/fragment/x`).
/// Names that climb out (`..`) are refused.
fn name_in_bundle(filename: &Path) -> Option<String> {
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
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::{indexed, name_in_bundle};
    use std::path::Path;

    #[test]
    fn names_files_inside_their_bundle() {
        assert_eq!(
            name_in_bundle(Path::new("/tmp/x/pagefind/fragment/en_1.pf_fragment")).as_deref(),
            Some("fragment/en_1.pf_fragment")
        );
        assert_eq!(
            name_in_bundle(Path::new("pagefind.js")).as_deref(),
            Some("pagefind.js")
        );
        assert_eq!(name_in_bundle(Path::new("/elsewhere.js")), None);
        assert_eq!(name_in_bundle(Path::new("../escape.js")), None);
    }

    /// A page Pagefind can index, with `word` in its heading.
    fn page_with(word: &str) -> Vec<u8> {
        format!(
            "<html lang=en><body><main data-pagefind-body><h1>{word} beds</h1>\
             <p>More {word}.</p></main></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn writes_the_bundle_with_its_script() {
        let page = page_with("Reablement");
        let files =
            super::index([("intentions/o/s/index.html", &page[..])], "en-GB", 1).expect("indexed");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"pagefind/pagefind.js"), "{paths:?}");
        assert!(
            paths.iter().any(|p| p.starts_with("pagefind/fragment/")),
            "{paths:?}"
        );
    }

    #[test]
    fn deals_pages_in_turn_to_parts_the_search_page_merges() {
        assert_eq!(super::parts_for(4_999), 1);
        assert_eq!(super::parts_for(5_000), 2);
        assert!(super::merged_parts(1).is_empty());
        assert_eq!(super::merged_parts(2), ["/pagefind/part-2/"]);
        let pages: Vec<(String, Vec<u8>)> = ["Reablement", "Advocacy", "Hospice", "Respite"]
            .iter()
            .enumerate()
            .map(|(i, w)| (format!("intentions/o/s{i}/index.html"), page_with(w)))
            .collect();
        let files = super::index(pages.iter().map(|(p, b)| (p.as_str(), &b[..])), "en", 2)
            .expect("indexed");
        let read = |path: &str| -> serde_json::Value {
            let entry = files.iter().find(|f| f.path == path).expect(path);
            serde_json::from_slice(&entry.bytes).expect("json")
        };
        // Two pages each: the first, third, ... in the first part.
        for entry in [
            "pagefind/pagefind-entry.json",
            "pagefind/part-2/pagefind-entry.json",
        ] {
            assert_eq!(read(entry)["languages"]["en"]["page_count"], 2, "{entry}");
        }
        let second: Vec<&str> = files
            .iter()
            .filter_map(|f| f.path.strip_prefix("pagefind/part-2/"))
            .collect();
        assert!(
            second.iter().any(|n| n.starts_with("fragment/")),
            "{second:?}"
        );
        assert!(second.iter().any(|n| n.starts_with("index/")), "{second:?}");
        // Scripts, styles and WebAssembly come from the first part only.
        assert!(second.iter().all(|n| super::index_data(n)), "{second:?}");
        assert!(files.iter().any(|f| f.path == "pagefind/wasm.en.pagefind"));
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
            let mut indexer = super::Indexer::start(&corpus.site.language, super::parts(&corpus));
            if whole {
                indexer.read = |page| {
                    let mut whole = String::new();
                    super::words_kept_apart(page, &mut whole);
                    whole
                };
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
        let kept_apart = |page: &str| {
            let mut out = String::new();
            super::words_kept_apart(page, &mut out);
            out
        };
        let page = "<html><head><meta data-pagefind-meta=\"x:y\"></head>\
            <body><main data-pagefind-body><h1>T</h1></main></body></html>";
        assert_eq!(super::what_pagefind_reads(page), kept_apart(page));
        let page = "<html><body><header>H</header><main data-pagefind-body><h1>T</h1></main>\
            <footer>F</footer></body></html>";
        assert_eq!(
            super::what_pagefind_reads(page),
            "<html><body> <main data-pagefind-body> <h1>T</h1></main></body></html>"
        );
        let page = "<html><body><h1>No main</h1></body></html>";
        assert_eq!(super::what_pagefind_reads(page), kept_apart(page));
    }

    #[test]
    fn keeps_words_apart_at_the_start_of_every_element_but_inline_ones() {
        let mut out = String::new();
        super::words_kept_apart(
            "<table><caption>Beds</caption><tr><th>Year</th><th>Spend</th></tr></table>\
             <dl><dt>Plan</dt><dd><a href=\"/p\">Better</a> <em>care</em>s<br>!</dd></dl><p>Broken<",
            &mut out,
        );
        assert_eq!(
            out,
            " <table> <caption>Beds</caption> <tr> <th>Year</th> <th>Spend</th></tr></table> \
             <dl> <dt>Plan</dt> <dd><a href=\"/p\">Better</a> <em>care</em>s<br>!</dd></dl> <p>Broken<"
        );
    }

    #[test]
    fn leaves_out_the_markup_pagefind_does_nothing_with() {
        let slim = |html: &str| {
            let mut out = String::new();
            super::slimmed(html, &mut out).then_some(out)
        };
        assert_eq!(
            slim(
                "<p class=\"lede\">Grow <a href=\"/o/\" title=\"a > b\">home <EM>care</EM></a> \
                 <span data-pagefind-filter=\"signal\">grow</span><br/><img src=\"x.png\" alt=\"X\"></p>\
                 <h2 id=\"spend\" class='h'>Spend</h2><td colspan=2>£1m</td><!-- <b> -->"
            )
            .as_deref(),
            Some(
                " <p>Grow home care \
                 <span data-pagefind-filter=\"signal\">grow</span><br/><img src=\"x.png\" alt=\"X\"></p> \
                 <h2 id=\"spend\" class='h'>Spend</h2> <td>£1m</td><!-- <b> -->"
            )
        );
        // An inline element kept for its id keeps its end tag; one inside it does not.
        assert_eq!(
            slim("<span id=a>x<span>y</span>z</span>").as_deref(),
            Some("<span id=a>xyz</span>")
        );
        // What a scan of tags cannot read exactly is left to the whole reading.
        assert_eq!(slim("<p>a <script>if (a<b) {}</script></p>"), None);
        assert_eq!(slim("<p>a <a href=\"/x>b</p>"), None);
        assert_eq!(slim("<p>a <a href=/x"), None);
        // Element names in capitals are the same elements.
        assert_eq!(
            slim("<P>a <SPAN>b</SPAN> <Br></P>").as_deref(),
            Some(" <P>a b <Br></P>")
        );
        assert_eq!(slim("<p>a <SCRIPT>x</SCRIPT></p>"), None);
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
