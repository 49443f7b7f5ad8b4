//! Incremental rebuilds for `serve`: the same files as `intentions build` writes, byte for
//! byte, made by re-parsing only the content files whose bytes changed and re-rendering only
//! the pages whose view changed since the last good build. A change to the theme's
//! templates or to the site's settings re-renders every page.
//!
//! Validation and the views run in full each time: cross-references make any file able to
//! change any page, and comparing a digest of each page's view with the last one's is how
//! the engine knows which pages to render. The search index is made again when any page
//! changed (Pagefind cannot update one), now or, for the server, later on another thread
//! (see [`SearchJob`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::content::cache::{self, Cache};
use crate::content::RawContent;
use crate::diagnostics::{self, Diagnostic, Sources};
use crate::render::Renderer;
use crate::views::Page;
use crate::{lints, model, search, theme, views};

use super::state::Files;

/// Builds a site again and again, remembering what it parsed and rendered.
pub struct Engine {
    root: PathBuf,
    serve: bool,
    cache: Cache,
    /// The templates the renderer was made from, and the renderer.
    theme: Option<(BTreeMap<String, String>, Renderer)>,
    /// Counts the renderers made, so pages know which one made them.
    theme_version: u64,
    /// The renderer and the site's settings every page of the last good build was made with.
    pages_made_with: Option<(u64, String)>,
    /// Every page of the last good build, by output path.
    pages: HashMap<String, RenderedPage>,
    /// The output paths of those pages, in the order the views made them.
    order: Vec<String>,
    /// The search index of the last good build.
    search: SearchBundle,
    /// Whether to leave making the search index to the caller (see [`SearchJob`]).
    defer_search: bool,
    /// The data and static files of the last good build, in order.
    rest: Vec<(String, Bytes)>,
    /// Every file of the last good build.
    files: Files,
    /// The content and corpus of the last good build, for showing a one-file edit at once
    /// (see [`Engine::quick`]).
    last: Option<LastGood>,
    /// The theme's static files of the last good build, by path.
    statics: Vec<String>,
    /// Pages made by [`Engine::quick`] since the last good build, served over its files.
    early: BTreeMap<String, Bytes>,
}

/// What the last good build was made from.
struct LastGood {
    content: RawContent,
    corpus: model::Corpus,
}

/// An edit shown before the rebuild that follows it (see [`Engine::quick`]).
#[derive(Debug)]
pub struct Quick {
    /// The pages made ahead of the rebuild (this edit's and any earlier one's not settled
    /// yet), to serve over the last good site.
    pub pages: Files,
    /// The files known to be current: the page made and the theme's static files.
    pub fresh: HashSet<String>,
    /// The files whose bytes changed.
    pub changed: Vec<String>,
    /// What it took.
    pub took: Duration,
}

/// A page as last rendered: a digest of what it was rendered from, and its HTML. The view
/// itself is not kept: at national scale the views of every page took gigabytes.
struct RenderedPage {
    digest: ViewDigest,
    html: Bytes,
}

/// A digest of everything a page renders from: its URL, template, meta, view and rows (the theme
/// and site settings are checked apart). 128 bits, so two different views of the tens of
/// thousands of pages of a site share one with a chance far below 1 in 10^20.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ViewDigest([u64; 2]);

impl ViewDigest {
    fn of(page: &Page) -> Self {
        use std::hash::Hasher;
        use std::io::Write;
        // Two SipHash states with different keys, fed the page's JSON as it is written.
        struct Both(std::hash::DefaultHasher, std::hash::DefaultHasher);
        impl Write for Both {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.write(bytes);
                self.1.write(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut both = Both(
            std::hash::DefaultHasher::new(),
            std::hash::DefaultHasher::new(),
        );
        both.1.write_u64(0x9e37_79b9_7f4a_7c15);
        for part in [page.url.as_bytes(), page.template.as_bytes()] {
            // Lengths first, so parts cannot run into each other.
            let _ = both.write_all(&(part.len() as u64).to_le_bytes());
            let _ = both.write_all(part);
        }
        // Writing into the hashers cannot fail, and the views are plain data.
        let _ = serde_json::to_writer(&mut both, &page.meta);
        let _ = both.write_all(&[0]);
        let _ = serde_json::to_writer(&mut both, &page.view);
        let _ = both.write_all(&[0]);
        if let Some(rows) = &page.rows {
            let _ = rows.write_json(&mut both);
        }
        ViewDigest([both.0.finish(), both.1.finish()])
    }
}

/// A good build.
#[derive(Debug)]
pub struct Built {
    /// Every file of the site.
    pub files: Files,
    /// What it took.
    pub report: Report,
    /// Warnings found on the way (errors would have failed the build).
    pub warnings: Vec<Diagnostic>,
    /// Text of the files the warnings point into.
    pub sources: Sources,
    /// The search index to make again, when the engine defers it: until then `files` holds
    /// the previous one.
    pub search: Option<SearchJob>,
    /// The files whose bytes changed, and those that are gone.
    pub changed: Vec<String>,
}

/// A failed build: every diagnostic, and the text of the files they point into.
#[derive(Debug)]
pub struct Failed {
    /// Every error and warning found.
    pub diagnostics: Vec<Diagnostic>,
    /// Text of the files the diagnostics point into.
    pub sources: Sources,
}

/// What one rebuild did and saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Content files considered.
    pub content_files: usize,
    /// Content files parsed (the others were unchanged).
    pub parsed: usize,
    /// Pages of the site.
    pub pages: usize,
    /// Pages rendered (the others were unchanged).
    pub rendered: usize,
    /// Files of the site.
    pub files: usize,
    /// Files whose bytes changed or that are new.
    pub changed: usize,
    /// Files that are gone.
    pub removed: usize,
    /// Time spent reading and parsing content.
    pub load: Duration,
    /// Time spent validating and planning the pages.
    pub validate: Duration,
    /// Time spent making each page's view and rendering the pages whose view changed.
    pub render: Duration,
    /// Whether the search index was made again in this rebuild (it is when any page changed,
    /// unless it is deferred to a [`SearchJob`]).
    pub indexed: bool,
    /// Time spent making the search index.
    pub search: Duration,
    /// The whole rebuild.
    pub total: Duration,
}

impl Report {
    /// Whether the served site is different after this build.
    pub fn site_changed(&self) -> bool {
        self.changed > 0 || self.removed > 0
    }
}

impl Engine {
    /// An engine for the site under `root`; `serve` renders pages with the theme's
    /// live-reload hook, as `intentions serve` serves them.
    pub fn new(root: &Path, serve: bool) -> Self {
        Engine {
            root: root.to_path_buf(),
            serve,
            cache: Cache::new(),
            theme: None,
            theme_version: 0,
            pages_made_with: None,
            pages: HashMap::new(),
            order: Vec::new(),
            search: SearchBundle::default(),
            defer_search: false,
            rest: Vec::new(),
            files: Files::default(),
            last: None,
            statics: Vec::new(),
            early: BTreeMap::new(),
        }
    }

    /// Shows an edit to one intention, organisation, market narrative or area file at once: reads that file alone,
    /// checks it against the last good build's other content and makes its page again.
    /// Every other page waits for the [`Engine::rebuild`] that must follow, which checks
    /// everything, makes every file and settles the site.
    ///
    /// `None` when the change is anything else (several files, a new or deleted file, any
    /// other kind of content, the theme), when the file has an error or the edit reaches
    /// beyond its own page's place in the site (the rebuild deals with it), or before a
    /// first good build.
    pub fn quick(&mut self, changed: &[PathBuf]) -> Option<Quick> {
        let started = Instant::now();
        let (_, renderer) = self.theme.as_ref()?;
        let LastGood { content, corpus } = self.last.as_mut()?;
        let shown = one_content_file(&self.root, changed, content)?;
        let edited = Edited {
            root: &self.root,
            shown: &shown,
        };
        let page = if let Some(at) = content.intentions.iter().position(|(_, l)| l.path == shown) {
            edited.intention(content, corpus, at)?
        } else if let Some(at) = content.organisations.iter().position(|l| l.path == shown) {
            edited.organisation(content, corpus, at)?
        } else if let Some(at) = content.markets.iter().position(|l| l.path == shown) {
            edited.market(content, corpus, at)?
        } else if let Some(at) = content.areas.iter().position(|l| l.path == shown) {
            edited.area(content, corpus, at)?
        } else {
            return None;
        };
        let html = renderer.publish(&corpus.site, &page).ok()?;
        let path = page.output_path();
        let html = Bytes::from(html);
        let changed = if self.served(&path).is_some_and(|old| same(old, &html)) {
            Vec::new()
        } else {
            vec![path.clone()]
        };
        self.early.insert(path.clone(), html);
        let mut fresh: HashSet<String> = self.statics.iter().cloned().collect();
        fresh.insert(path);
        Some(Quick {
            pages: Arc::new(self.early.clone()),
            fresh,
            changed,
            took: started.elapsed(),
        })
    }

    /// Leaves making the search index to the caller: `rebuild` then returns the site with
    /// the previous index and a [`SearchJob`] for the new one, so new pages are not held up.
    pub fn deferring_search(mut self, defer: bool) -> Self {
        self.defer_search = defer;
        self
    }

    /// The last good build (empty before the first).
    pub fn files(&self) -> Files {
        self.files.clone()
    }

    /// A file as served now: a page made ahead of the rebuild, else the last good build's.
    fn served(&self, path: &str) -> Option<&Bytes> {
        self.early.get(path).or_else(|| self.files.get(path))
    }

    /// Builds the site again. On failure the last good build is kept as it was.
    pub fn rebuild(&mut self) -> Result<Built, Failed> {
        let started = Instant::now();
        let mut report = Report::default();

        let loaded = cache::load_cached(&self.root, &mut self.cache);
        let stats = self.cache.stats();
        report.content_files = stats.files;
        report.parsed = stats.parsed;
        report.load = started.elapsed();

        let validating = Instant::now();
        let mut found = loaded.diagnostics;
        let mut sources = loaded.sources;
        let corpus = match model::validate(&loaded.content) {
            Ok(corpus) => Some(corpus),
            Err(errors) => {
                found.extend(errors);
                None
            }
        };
        // Quality lints only on content without errors, as `check` does.
        let clean = !diagnostics::has_errors(&found);
        found.extend(lints::run(
            &loaded.content,
            corpus.as_ref().filter(|_| clean),
        ));
        remember_sources(&self.root, &loaded.content, &found, &mut sources);
        let corpus = match corpus {
            Some(corpus) if !diagnostics::has_errors(&found) => corpus,
            _ => return Err(failed(found, sources)),
        };
        let theme = match theme::load(&self.root) {
            Ok(theme) => theme,
            Err(errors) => return Err(failed(errors, sources)),
        };
        let views::SitePlan {
            pages: page_plans,
            data: data_plans,
        } = match views::plan(&corpus) {
            Ok(plan) => plan,
            Err(error) => return Err(failed(vec![Diagnostic::error(error)], sources)),
        };
        report.validate = validating.elapsed();

        let rendering = Instant::now();
        // A new theme or new site settings reach every page: no page is reused then.
        let same_theme = matches!(&self.theme, Some((t, _)) if *t == theme.templates);
        if !same_theme {
            match Renderer::new(&theme) {
                Ok(r) => self.theme = Some((theme.templates.clone(), r.serving(self.serve))),
                Err(errors) => return Err(failed(errors, sources)),
            }
            self.theme_version += 1;
        }
        // The site's settings' Debug text lists every field.
        let context = (self.theme_version, format!("{:?}", corpus.site));
        let reuse = self.pages_made_with.as_ref() == Some(&context);
        let Some((_, renderer)) = &self.theme else {
            return Err(failed(
                vec![Diagnostic::error("the theme's templates were not loaded")],
                sources,
            ));
        };

        // Each page's view is made, compared by digest with the last build's and rendered if
        // it changed, then dropped: only the digests and the HTML are kept.
        report.pages = page_plans.len();
        let made = make_pages(renderer, &corpus.site, page_plans, &self.pages, reuse);
        let mut pages = HashMap::with_capacity(made.len());
        let mut order = Vec::with_capacity(made.len());
        let mut errors = Vec::new();
        for (path, digest, html) in made {
            order.push(path.clone());
            match html {
                Ok((html, rendered)) => {
                    report.rendered += usize::from(rendered);
                    pages.insert(path, RenderedPage { digest, html });
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(failed(errors, sources));
        }
        let data: Vec<Vec<views::DataFile>> = {
            use rayon::prelude::*;
            match data_plans
                .into_par_iter()
                .map(views::DataPlan::make)
                .collect::<Result<_, _>>()
            {
                Ok(data) => data,
                Err(error) => return Err(failed(vec![Diagnostic::error(error)], sources)),
            }
        };

        // The editors' page lists the warnings; only the preview has it.
        let editors = if self.serve {
            let page = views::editors_page(&found, &sources);
            match renderer.render(&corpus.site, &page) {
                Ok(html) => Some((page.output_path(), html.into_bytes())),
                Err(d) => return Err(failed(vec![d], sources)),
            }
        } else {
            None
        };
        report.render = rendering.elapsed();

        // The search index reads the rendered pages, in the views' order as in `render_site`
        // (and the same HTML, so the bundle is the same as a clean build's). Pagefind
        // cannot update an index, so it is made again whenever a page changed, else kept.
        let language = &corpus.site.language;
        let needs_index =
            report.rendered > 0 || order != self.order || *language != self.search.language;
        let mut job = None;
        let search = if !needs_index {
            self.search.clone()
        } else {
            let next = SearchJob {
                id: self.search.id + 1,
                language: language.clone(),
                parts: search::parts(&corpus),
                pages: order
                    .iter()
                    .filter_map(|path| pages.get(path).map(|p| (path.clone(), p.html.clone())))
                    .collect(),
            };
            if self.defer_search {
                // Serve the new pages with the last index now; the new one follows.
                job = Some(next);
                self.search.clone()
            } else {
                let searching = Instant::now();
                let bundle = match next.run() {
                    Ok(bundle) => bundle,
                    Err(d) => return Err(failed(vec![d], sources)),
                };
                report.indexed = true;
                report.search = searching.elapsed();
                SearchBundle {
                    id: next.id,
                    language: next.language,
                    files: bundle,
                }
            }
        };

        let statics: Vec<String> = theme.statics.keys().cloned().collect();
        // Data files and the theme's static files, as `build` writes them.
        let rest: Vec<(String, Bytes)> = data
            .into_iter()
            .flatten()
            .map(|d| (d.path, d.bytes))
            .chain(theme.statics)
            .chain(editors)
            .map(|(path, bytes)| (path, Bytes::from(bytes)))
            .collect();
        let files = assemble(&order, &pages, &search.files, &rest);

        report.files = files.len();
        let mut changed: Vec<String> = files
            .iter()
            .filter(|(path, bytes)| !self.served(path).is_some_and(|old| same(old, bytes)))
            .map(|(path, _)| path.clone())
            .collect();
        let removed: Vec<String> = self
            .files
            .keys()
            .filter(|path| !files.contains_key(*path))
            .cloned()
            .collect();
        report.changed = changed.len();
        report.removed = removed.len();
        changed.extend(removed);
        self.pages = pages;
        self.pages_made_with = Some(context);
        self.order = order;
        if let Some(job) = &job {
            self.search.id = job.id;
        } else {
            self.search = search;
        }
        self.rest = rest;
        self.files = Arc::new(files);
        self.early.clear();
        self.statics = statics;
        self.last = Some(LastGood {
            content: loaded.content,
            corpus,
        });
        report.total = started.elapsed();
        Ok(Built {
            files: self.files.clone(),
            report,
            warnings: found,
            sources,
            search: job,
            changed,
        })
    }

    /// Takes the search index a [`SearchJob`] made. Returns the site with it, or `None` when
    /// a later rebuild has asked for a newer index already (this one is out of date).
    pub fn finish_search(&mut self, job: SearchJob, bundle: Vec<(String, Bytes)>) -> Option<Files> {
        if job.id != self.search.id {
            return None;
        }
        self.search = SearchBundle {
            id: job.id,
            language: job.language,
            files: bundle,
        };
        let files = assemble(&self.order, &self.pages, &self.search.files, &self.rest);
        self.files = Arc::new(files);
        Some(self.files.clone())
    }
}

/// The one content file saved, for [`Engine::quick`].
struct Edited<'a> {
    root: &'a Path,
    /// As content files are shown (`content/…`).
    shown: &'a Path,
}

impl Edited<'_> {
    /// Reads the file on its own: `None` if it has a problem.
    fn load(&self) -> Option<RawContent> {
        let loaded = crate::content::load_one(self.root, &self.root.join(self.shown));
        loaded.diagnostics.is_empty().then_some(loaded.content)
    }

    /// The intention at `at` in `content`, checked again and its page made; on any
    /// problem, `content` and `corpus` are left as they were.
    fn intention(
        &self,
        content: &mut RawContent,
        corpus: &mut model::Corpus,
        at: usize,
    ) -> Option<Page> {
        let (folder, edited) = single(self.load()?.intentions)?;
        if folder != content.intentions[at].0 {
            return None;
        }
        swap_in(
            content,
            corpus,
            |c| &mut c.intentions[at].1,
            edited,
            |corpus, content| {
                let (folder, edited) = &content.intentions[at];
                model::revalidate_intention(corpus, content, folder, edited)
            },
        )?;
        let (folder, edited) = &content.intentions[at];
        views::intention_page(corpus, &format!("{folder}/{}", edited.stem))
    }

    /// The organisation at `at` in `content`, as [`Edited::intention`].
    fn organisation(
        &self,
        content: &mut RawContent,
        corpus: &mut model::Corpus,
        at: usize,
    ) -> Option<Page> {
        // `revalidate_organisation` refuses a new id, or another file's.
        let edited = single(self.load()?.organisations)?;
        swap_in(
            content,
            corpus,
            |c| &mut c.organisations[at],
            edited,
            |corpus, content| {
                model::revalidate_organisation(corpus, content, &content.organisations[at])
            },
        )?;
        views::organisation_page(corpus, &content.organisations[at].raw.id)
    }

    /// The market narrative at `at` in `content`, as [`Edited::intention`].
    fn market(
        &self,
        content: &mut RawContent,
        corpus: &mut model::Corpus,
        at: usize,
    ) -> Option<Page> {
        let edited = single(self.load()?.markets)?;
        if edited.raw.service_area != content.markets[at].raw.service_area {
            return None;
        }
        swap_in(
            content,
            corpus,
            |c| &mut c.markets[at],
            edited,
            |corpus, content| model::revalidate_market(corpus, content, &content.markets[at]),
        )?;
        views::market_page(corpus, &content.markets[at].raw.service_area)
    }

    /// The area at `at` in `content`, as [`Edited::intention`].
    fn area(
        &self,
        content: &mut RawContent,
        corpus: &mut model::Corpus,
        at: usize,
    ) -> Option<Page> {
        let edited = single(self.load()?.areas)?;
        if edited.raw.id != content.areas[at].raw.id {
            return None;
        }
        swap_in(
            content,
            corpus,
            |c| &mut c.areas[at],
            edited,
            |corpus, content| model::revalidate_area(corpus, &content.areas[at]),
        )?;
        views::area_page(corpus, &content.areas[at].raw.id)
    }
}

/// The only element of `files`, if there is exactly one.
fn single<T>(mut files: Vec<T>) -> Option<T> {
    (files.len() == 1).then(|| files.pop()).flatten()
}

/// Puts `edited` in `content`'s `slot` and checks it against the corpus with `check`, which
/// updates the corpus when it passes. When it does not, the old file goes back (`check`
/// leaves the corpus as it was) and the rebuild reports the errors.
fn swap_in<T>(
    content: &mut RawContent,
    corpus: &mut model::Corpus,
    slot: impl Fn(&mut RawContent) -> &mut T,
    edited: T,
    check: impl FnOnce(&mut model::Corpus, &RawContent) -> Result<(), Vec<Diagnostic>>,
) -> Option<()> {
    let before = std::mem::replace(slot(content), edited);
    match check(corpus, content) {
        Ok(()) => Some(()),
        Err(_) => {
            *slot(content) = before;
            None
        }
    }
}

/// The one content file of the last good build that `changed` names, as content files are
/// shown (`content/…`, relative to the site's root), if it still exists.
///
/// A save can report the file more than once, and an editor that saves by writing a
/// temporary file and renaming it over the old one reports the temporary file too, gone by
/// now: a file that is gone and was not in the last build is passed over, as are files the
/// loader ignores (hidden, backup and swap files) and folders (their files are reported on
/// their own). Anything else (a new or deleted content file, a second file, a theme file)
/// gives `None`.
fn one_content_file(root: &Path, changed: &[PathBuf], last: &RawContent) -> Option<PathBuf> {
    let canonical = root.canonicalize().ok();
    let mut found: Option<PathBuf> = None;
    for path in changed {
        let relative = path
            .strip_prefix(root)
            .ok()
            .or_else(|| canonical.as_ref().and_then(|c| path.strip_prefix(c).ok()))?;
        let inside = relative.strip_prefix("content").ok()?;
        let (known, exists) = (holds_file(last, relative), path.exists());
        if path.is_dir() || crate::content::ignores(inside) || (!known && !exists) {
            continue;
        }
        if !known || !exists || found.as_deref().is_some_and(|f| f != relative) {
            return None;
        }
        found = Some(relative.to_path_buf());
    }
    found
}

/// Whether `shown` (`content/…`) is one of the files `content` was loaded from.
fn holds_file(content: &RawContent, shown: &Path) -> bool {
    let is = |path: &Path| path == shown;
    content.site.as_ref().is_some_and(|l| is(&l.path))
        || content.priorities.as_ref().is_some_and(|l| is(&l.path))
        || content.service_areas.as_ref().is_some_and(|l| is(&l.path))
        || content.areas.iter().any(|l| is(&l.path))
        || content.organisations.iter().any(|l| is(&l.path))
        || content.intentions.iter().any(|(_, l)| is(&l.path))
        || content.markets.iter().any(|l| is(&l.path))
}

/// The search index a build used.
#[derive(Debug, Clone, Default)]
struct SearchBundle {
    /// Which [`SearchJob`] asked for it (the last one asked for, once a job is under way).
    id: u64,
    /// The site's language it was made for.
    language: String,
    /// Its files, by path inside the site.
    files: Vec<(String, Bytes)>,
}

/// Making the search index again, which can take longer than everything else in a rebuild:
/// a server runs it after showing the new pages, then hands the result to
/// [`Engine::finish_search`].
#[derive(Debug)]
pub struct SearchJob {
    id: u64,
    language: String,
    /// How many parts the index is made in (as the search page expects).
    parts: usize,
    /// Every page, as published, in the views' order.
    pages: Vec<(String, Bytes)>,
}

impl SearchJob {
    /// Runs Pagefind over the pages.
    pub fn run(&self) -> Result<Vec<(String, Bytes)>, Diagnostic> {
        let pages = self
            .pages
            .iter()
            .map(|(path, html)| (path.as_str(), &html[..]));
        search::index(pages, &self.language, self.parts).map(|bundle| {
            bundle
                .into_iter()
                .map(|f| (f.path, Bytes::from(f.bytes)))
                .collect()
        })
    }
}

/// Every file of the site in the order `render_site` makes them, later ones winning a path:
/// pages, the search index, data files, static files.
fn assemble(
    order: &[String],
    pages: &HashMap<String, RenderedPage>,
    search: &[(String, Bytes)],
    rest: &[(String, Bytes)],
) -> BTreeMap<String, Bytes> {
    let mut files = BTreeMap::new();
    for path in order {
        if let Some(page) = pages.get(path) {
            files.insert(path.clone(), page.html.clone());
        }
    }
    for (path, bytes) in search.iter().chain(rest) {
        files.insert(path.clone(), bytes.clone());
    }
    files
}

/// Equal bytes; a page reused from the last build is the very same buffer.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

fn failed(diagnostics: Vec<Diagnostic>, sources: Sources) -> Failed {
    Failed {
        diagnostics,
        sources,
    }
}

/// A page made: its output path, the digest of its view, and its HTML with whether it was
/// rendered now (else it is the last build's).
type MadePage = (String, ViewDigest, Result<(Bytes, bool), Diagnostic>);

/// Makes every planned page's view on every core and renders the pages whose view differs
/// from the last build's (all of them unless `reuse`), in the plan's order.
fn make_pages(
    renderer: &Renderer,
    site: &model::Site,
    plans: Vec<views::PagePlan<'_>>,
    last: &HashMap<String, RenderedPage>,
    reuse: bool,
) -> Vec<MadePage> {
    use rayon::prelude::*;
    plans
        .into_par_iter()
        .map(|plan| {
            let page = plan.make();
            let path = page.output_path();
            let digest = ViewDigest::of(&page);
            let html = match last.get(&path) {
                Some(old) if reuse && old.digest == digest => Ok((old.html.clone(), false)),
                _ => renderer
                    .publish(site, &page)
                    .map(|html| (Bytes::from(html), true)),
            };
            (path, digest, html)
        })
        .collect()
}

/// Keeps the text of every file a diagnostic points into, so it can show a snippet: from
/// what was loaded when the file parsed, else from disk.
fn remember_sources(
    root: &Path,
    content: &RawContent,
    found: &[Diagnostic],
    sources: &mut Sources,
) {
    let mut texts: HashMap<&Path, &str> = HashMap::new();
    if let Some(l) = &content.site {
        texts.insert(&l.path, &l.text);
    }
    for l in content
        .priorities
        .iter()
        .chain(content.service_areas.iter())
    {
        texts.insert(&l.path, &l.text);
    }
    for l in &content.areas {
        texts.insert(&l.path, &l.text);
    }
    for l in &content.organisations {
        texts.insert(&l.path, &l.text);
    }
    for (_, l) in &content.intentions {
        texts.insert(&l.path, &l.text);
    }
    for l in &content.markets {
        texts.insert(&l.path, &l.text);
    }
    for path in found.iter().filter_map(|d| d.path.as_deref()) {
        if sources.get(path).is_some() {
            continue;
        }
        let text = match texts.get(path) {
            Some(text) => Some(text.to_string()),
            None => std::fs::read_to_string(root.join(path)).ok(),
        };
        if let Some(text) = text {
            sources.insert(path.to_path_buf(), text);
        }
    }
}
