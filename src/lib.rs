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

/// Pages rendered between hand-overs to the search indexer: enough to keep every core busy,
/// few enough that indexing starts early.
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
    let theme = theme::load(root)?;
    let renderer = render::Renderer::new(&theme)?;
    let mut views = views::build(corpus).map_err(|e| vec![Diagnostic::error(e)])?;
    if let Some(changes) = changes {
        let (page, data) =
            views::changes_files(corpus, changes).map_err(|e| vec![Diagnostic::error(e)])?;
        views.pages.push(page);
        views.data.push(data);
    }
    let mut files = Vec::with_capacity(views.pages.len() + views.data.len() + theme.statics.len());
    let mut errors = Vec::new();
    // Pages render independently, on every core, a batch at a time; each batch goes to the
    // search indexer (one core) in the views' order while the next one renders.
    let indexer = search::Indexer::start(&corpus.site.language);
    for batch in views.pages.chunks(RENDER_BATCH) {
        let rendered: Vec<_> = batch
            .par_iter()
            .map(|page| renderer.publish(&corpus.site, page))
            .collect();
        for (page, result) in batch.iter().zip(rendered) {
            match result {
                Ok(bytes) => {
                    let path = page.output_path();
                    indexer.add(&path, &bytes);
                    files.push(OutputFile { path, bytes });
                }
                Err(d) => errors.push(d),
            }
        }
    }
    let bundle = indexer.finish();
    if !errors.is_empty() {
        return Err(errors);
    }
    let bundle = bundle.map_err(|d| vec![d])?;
    files.extend(bundle);
    for data in views.data {
        files.push(OutputFile {
            path: data.path,
            bytes: data.bytes,
        });
    }
    for (path, bytes) in theme.statics {
        files.push(OutputFile { path, bytes });
    }
    Ok(files)
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
    let files = match render_site_with(root, &corpus, changes.as_ref()) {
        Ok(files) => files,
        Err(errors) => {
            let mut sources = sources;
            remember_template_sources(root, &errors, &mut sources);
            diagnostics.extend(errors);
            return fail(diagnostics, sources);
        }
    };
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    match output::write_site(output, &files) {
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
