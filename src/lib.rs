//! `intentions`: a static site generator for health and social care commissioning
//! intentions. The stages run one way, each owned by one module:
//! load (`content`) → validate (`model`) → views (`views`) → render (`render`) → write
//! (`output`). This file only wires them together.
// Diagnostics are this crate's error values by design; they are rare and carry a span.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod changes;
pub mod content;
pub mod diagnostics;
pub mod formats;
pub mod lints;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod theme;
pub mod values;
pub mod views;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use diagnostics::{Diagnostic, Sources};
use model::Corpus;
use output::OutputFile;

/// The result of a stage run: what it made, if it succeeded, and every diagnostic with the
/// sources needed to show them.
pub struct Outcome<T> {
    /// The result when there were no errors.
    pub value: Option<T>,
    /// Every error and warning found.
    pub diagnostics: Vec<Diagnostic>,
    /// Text of the files the diagnostics point into.
    pub sources: Sources,
}

/// Loads and validates the content under `root`: everything `check` does.
pub fn check(root: &Path) -> Outcome<Corpus> {
    let loaded = content::load(root);
    let mut sources = loaded.sources;
    let mut diagnostics = loaded.diagnostics;
    let corpus = match model::validate(&loaded.content) {
        Ok(corpus) => Some(corpus),
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    };
    // Quality lints only on content without errors: a warning beside an error is noise.
    let clean = !diagnostics::has_errors(&diagnostics);
    diagnostics.extend(lints::run(
        &loaded.content,
        corpus.as_ref().filter(|_| clean),
    ));
    // Keep only the texts diagnostics point into: the corpus itself holds no file text.
    remember_sources(&loaded.content, &diagnostics, &mut sources);
    let failed = diagnostics::has_errors(&diagnostics);
    Outcome {
        value: if failed { None } else { corpus },
        diagnostics,
        sources,
    }
}

fn remember_sources(
    content: &content::RawContent,
    diagnostics: &[Diagnostic],
    sources: &mut Sources,
) {
    let wanted: std::collections::HashSet<&Path> = diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut add = |path: &Path, text: &str| {
        if wanted.contains(path) && sources.get(path).is_none() {
            sources.insert(path.to_path_buf(), text.to_string());
        }
    };
    if let Some(l) = &content.site {
        add(&l.path, &l.text);
    }
    for l in content
        .priorities
        .iter()
        .chain(content.service_areas.iter())
    {
        add(&l.path, &l.text);
    }
    for l in &content.areas {
        add(&l.path, &l.text);
    }
    for l in &content.organisations {
        add(&l.path, &l.text);
    }
    for (_, l) in &content.intentions {
        add(&l.path, &l.text);
    }
    for l in &content.markets {
        add(&l.path, &l.text);
    }
}

/// Pages rendered and written at a time: enough to keep every core busy, few enough that a
/// build holds little of the site in memory.
const RENDER_BATCH: usize = 256;

/// Renders every page and data file of a validated corpus with the theme under `root`,
/// in memory.
pub fn render_site(root: &Path, corpus: &Corpus) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_site_with(root, corpus, None)
}

/// [`render_site`], adding `/changes/` and `/changes.json` when there are `changes`.
pub fn render_site_with(
    root: &Path,
    corpus: &Corpus,
    changes: Option<&changes::Changes>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let (theme, renderer, plan) = prepare(root, corpus, changes)?;
    let mut files = Vec::with_capacity(plan.pages.len());
    let indexer = search::Indexer::start(&corpus.site.language, search::parts(corpus));
    let rendered = render_pages(
        &renderer,
        corpus,
        plan.pages,
        &indexer,
        None,
        Some(|f| files.push(f)),
    );
    if let Err(errors) = rendered {
        indexer.abandon();
        return Err(errors);
    }
    files.extend(indexer.finish().map_err(|d| vec![d])?);
    for data in plan.data {
        let made = data.make().map_err(|e| vec![Diagnostic::error(e)])?;
        files.extend(made.into_iter().map(|d| OutputFile {
            path: d.path,
            bytes: d.bytes,
        }));
    }
    files.extend(static_files(theme.statics));
    Ok(files)
}

/// The theme, its renderer and the plan of the site's pages and data files.
fn prepare<'a>(
    root: &Path,
    corpus: &'a Corpus,
    changes: Option<&changes::Changes>,
) -> Result<(theme::Theme, render::Renderer, views::SitePlan<'a>), Vec<Diagnostic>> {
    let theme = theme::load(root)?;
    let renderer = render::Renderer::new(&theme)?;
    let mut plan = views::plan(corpus).map_err(|e| vec![Diagnostic::error(e)])?;
    if let Some(changes) = changes {
        let (page, data) =
            views::changes_files(corpus, changes).map_err(|e| vec![Diagnostic::error(e)])?;
        plan.pages.push(views::PagePlan::ready(page));
        plan.data.push(views::DataPlan::ready(vec![data]));
    }
    Ok((theme, renderer, plan))
}

/// The theme's static files, written last (a later file wins a path).
fn static_files(
    statics: std::collections::BTreeMap<String, Vec<u8>>,
) -> impl Iterator<Item = OutputFile> {
    statics
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
}

/// Makes, renders and hands on the planned pages a batch at a time, on every core, in the
/// plan's order: each page's view exists only while its batch renders. With a `staging`
/// folder, each page is written to it as it renders (on any thread): those the search index
/// does not read straight to their files as they are laid out, the others whole, then in
/// order to the index. With a `keep`, every page goes to it, in order, and to the index.
/// Without one, a page is dropped as soon as it is written and what the index reads of it
/// made, so a batch of big pages (browse lists, market statements) is never in memory at
/// once. After a render error the rest still render, to report every error, but nothing more
/// is written; after a write error it stops. Returns how many pages there were.
fn render_pages(
    renderer: &render::Renderer,
    corpus: &Corpus,
    pages: Vec<views::PagePlan<'_>>,
    indexer: &search::Indexer,
    staging: Option<&output::Staging>,
    mut keep: Option<impl FnMut(OutputFile)>,
) -> Result<usize, Vec<Diagnostic>> {
    let keeping = keep.is_some();
    let mut errors = Vec::new();
    let mut count = 0;
    let mut pages = pages.into_iter();
    loop {
        let batch: Vec<_> = pages.by_ref().take(RENDER_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let failed = !errors.is_empty();
        let results: Vec<_> = batch
            .into_par_iter()
            .map(|plan| {
                let page = plan.make();
                let path = page.output_path();
                if let Some(staging) = staging.filter(|_| !keeping && !search::indexed(&path)) {
                    let publish =
                        |out: &mut dyn std::io::Write| renderer.publish_to(&corpus.site, page, out);
                    let written = if failed {
                        publish(&mut std::io::sink())
                    } else {
                        staging
                            .write_streamed(&path, publish)
                            .map_err(|d| (d, true))?
                    };
                    return match written {
                        Ok(()) => Ok((None, None)),
                        Err(render::Unwritten::Template(d)) => Err((d, false)),
                        Err(render::Unwritten::Write(e)) => {
                            Err((staging.write_error(&path, &e), true))
                        }
                    };
                }
                let bytes = renderer
                    .publish_owned(&corpus.site, page)
                    .map_err(|d| (d, false))?;
                if failed {
                    return Ok((None, None));
                }
                if let Some(staging) = staging {
                    staging.write(&path, &bytes).map_err(|d| (d, true))?;
                }
                let read = indexer.read(&path, &bytes);
                let kept = keeping.then_some(OutputFile { path, bytes });
                Ok((kept, read))
            })
            .collect();
        let mut write_failed = false;
        for result in results {
            count += 1;
            match result {
                Ok((kept, read)) if errors.is_empty() => {
                    if let Some(read) = read {
                        indexer.add_read(read);
                    }
                    if let (Some(keep), Some(file)) = (keep.as_mut(), kept) {
                        keep(file);
                    }
                }
                Ok(_) => {}
                // One write error says it all (every other write likely failed the same way).
                Err((_, true)) if write_failed => {}
                Err((d, write)) => {
                    write_failed |= write;
                    errors.push(d);
                }
            }
        }
        if write_failed {
            break;
        }
    }
    if errors.is_empty() {
        Ok(count)
    } else {
        Err(errors)
    }
}

/// Renders the site into a staging folder for `output`: the data files, made and written on
/// every core, one at a time each; then the pages, batch by batch, those the search index
/// reads last, the index reading them as they come. The whole site is never in memory.
/// Returns the staging folder, ready to swap in, and how many pages (HTML files) it holds.
fn render_into(
    root: &Path,
    corpus: Corpus,
    changes: Option<changes::Changes>,
    output: &Path,
) -> Result<(output::Staging, usize), Vec<Diagnostic>> {
    let (
        theme,
        renderer,
        views::SitePlan {
            pages: planned,
            data,
        },
    ) = prepare(root, &corpus, changes.as_ref())?;
    let staging = output::Staging::create(output).map_err(|d| vec![d])?;
    let indexer = search::Indexer::start(&corpus.site.language, search::parts(&corpus));
    // What the search index does not read comes first: the data files, then the pages it
    // leaves out (browse lists, market statements, the matrix), each made and dropped while
    // the index holds little; then the pages it reads. Made after those, the big lists and
    // files were in memory beside everything the index had kept (at 10,000 intentions the
    // peak was about 55 MiB higher and the build 5% slower). The order pages are rendered in
    // changes nothing written: the index deals out only the pages it reads, in plan order.
    let data: Vec<Result<usize, Diagnostic>> = data
        .into_par_iter()
        .map(|data| {
            let mut pages = 0;
            for file in data.made().map_err(Diagnostic::error)? {
                pages += usize::from(file.path().ends_with(".html"));
                match file {
                    views::MadeFile::Whole(file) => staging.write(&file.path, &file.bytes)?,
                    views::MadeFile::Streamed { path, write } => {
                        staging.write_with(&path, write)?
                    }
                }
            }
            Ok(pages)
        })
        .collect();
    let mut errors = Vec::new();
    let mut pages = 0;
    for result in data {
        match result {
            Ok(n) => pages += n,
            Err(d) => errors.push(d),
        }
    }
    let (mut order, indexed): (Vec<_>, Vec<_>) = planned
        .into_iter()
        .partition(|page| !search::indexed(&views::output_path_of(&page.url)));
    order.extend(indexed);
    let keep_none = None::<fn(OutputFile)>;
    let rendered = render_pages(
        &renderer,
        &corpus,
        order,
        &indexer,
        Some(&staging),
        keep_none,
    );
    match rendered {
        Ok(n) => pages += n,
        Err(more) => errors.extend(more),
    };
    if !errors.is_empty() {
        indexer.abandon();
        return Err(errors);
    }
    // Pages render faster than the index reads them; what is left is the index's. The corpus
    // and templates are let go now, so the memory they held is there for the index as it
    // grows to its largest, at the end.
    drop((corpus, changes, renderer));
    for file in indexer.finish().map_err(|d| vec![d])? {
        staging
            .write(&file.path, &file.bytes)
            .map_err(|d| vec![d])?;
    }
    for file in static_files(theme.statics) {
        pages += usize::from(file.path.ends_with(".html"));
        staging
            .write(&file.path, &file.bytes)
            .map_err(|d| vec![d])?;
    }
    Ok((staging, pages))
}

/// What a successful build wrote.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Where.
    pub output: PathBuf,
    /// How many files.
    pub files: usize,
    /// How many pages of them.
    pub pages: usize,
}

/// Checks, renders and writes the site under `root` into `output`. On any error nothing is
/// written and the previous output stays as it was.
pub fn build(root: &Path, output: &Path) -> Outcome<BuildReport> {
    build_with(root, output, &BuildOptions::default())
}

/// What `build` may do besides the defaults.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Fail, writing nothing, when there is any warning.
    pub deny_warnings: bool,
    /// Publish `/changes/` against this previous edition: a folder or a git revision.
    pub changes_since: Option<String>,
}

/// [`build`] with options.
pub fn build_with(root: &Path, output: &Path, options: &BuildOptions) -> Outcome<BuildReport> {
    let checked = check(root);
    let Outcome {
        mut value,
        mut diagnostics,
        sources,
    } = checked;
    if options.deny_warnings && !diagnostics.is_empty() {
        value = None;
    }
    let fail = |diagnostics, sources| Outcome {
        value: None,
        diagnostics,
        sources,
    };
    if let Err(d) = refuse_output_inside_content(root, output) {
        diagnostics.push(d);
        return fail(diagnostics, sources);
    }
    let Some(corpus) = value else {
        return fail(diagnostics, sources);
    };
    let changes = match &options.changes_since {
        Some(since) => match changes::previous_edition(root, since) {
            Ok(previous) => Some(changes::compare(&previous, &corpus, since)),
            Err(d) => {
                diagnostics.push(d);
                return fail(diagnostics, sources);
            }
        },
        None => None,
    };
    let (staging, pages) = match render_into(root, corpus, changes, output) {
        Ok(rendered) => rendered,
        Err(errors) => {
            let mut sources = sources;
            remember_template_sources(root, &errors, &mut sources);
            diagnostics.extend(errors);
            return fail(diagnostics, sources);
        }
    };
    match staging.finish() {
        Ok(count) => Outcome {
            value: Some(BuildReport {
                output: output.to_path_buf(),
                files: count,
                pages,
            }),
            diagnostics,
            sources,
        },
        Err(d) => {
            diagnostics.push(d);
            fail(diagnostics, sources)
        }
    }
}

/// Template errors point into the theme's templates: keep their text so the error can show
/// the line.
fn remember_template_sources(root: &Path, errors: &[Diagnostic], sources: &mut Sources) {
    let Ok(theme) = theme::load(root) else {
        return;
    };
    for d in errors {
        let Some(path) = &d.path else { continue };
        let Ok(name) = path.strip_prefix("themes/default/templates") else {
            continue;
        };
        let name = name.to_string_lossy().replace('\\', "/");
        if let Some(text) = theme.templates.get(&name) {
            sources.insert(path.clone(), text.clone());
        }
    }
}

/// Writing the site into `content/` would feed it back in as content on the next build.
fn refuse_output_inside_content(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        };
        normalise(&p)
    };
    let content = absolute(&root.join("content"));
    let out = absolute(output);
    if out.starts_with(&content) || content.starts_with(&out) {
        return Err(Diagnostic::error(format!(
            "the output folder {} overlaps the content folder {}",
            output.display(),
            content.display()
        ))
        .with_hint("write the site somewhere else, e.g. --output public"));
    }
    Ok(())
}

/// Removes `.` and `..` without touching the file system (the output may not exist yet).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
