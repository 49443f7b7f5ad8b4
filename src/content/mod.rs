//! Loading: walks `content/`, reads each file, splits front matter from Markdown and
//! deserialises the YAML into raw types. serde_yaml stays inside this module. Every problem
//! becomes a diagnostic; loading never stops at the first one.

pub mod cache;
pub mod frontmatter;
pub mod keys;
pub mod raw;
pub mod spans;

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::{nearest, Diagnostic, Sources};
use keys::FileKind;
use raw::*;
use spans::{Segment, SpanIndex};

/// Content files larger than this are refused: no hand-written intention comes near it,
/// and it keeps a stray data dump from stalling the build.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A content file that parsed into its raw type, with what is needed to point into it.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The path as shown to the user, e.g. `content/intentions/x/y.md`.
    pub path: PathBuf,
    /// The file name without extension (an intention's slug).
    pub stem: String,
    /// The parsed front matter (or whole YAML file).
    pub raw: T,
    /// The whole file's text, without a byte-order mark.
    pub text: String,
    /// Where the YAML is in `text`.
    pub yaml: Range<usize>,
    /// Where the Markdown body is in `text` (empty for YAML files).
    pub body: Range<usize>,
    spans: OnceLock<SpanIndex>,
}

impl<T> Loaded<T> {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// The position of every key and value, built the first time a diagnostic needs it.
    pub fn spans(&self) -> &SpanIndex {
        self.spans
            .get_or_init(|| SpanIndex::build(&self.text[self.yaml.clone()], self.yaml.start))
    }

    /// The span of the value at `path` (or its nearest ancestor).
    pub fn span(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.spans().value_or_parent(path)
    }

    /// The span of the key at `path`, falling back to its value.
    pub fn key_span(&self, path: &[Segment]) -> Option<Range<usize>> {
        self.spans()
            .get(path)
            .and_then(|n| n.key.clone())
            .or_else(|| self.span(path))
    }

    /// An error pointing at the value at `path` in this file.
    pub fn error_at(&self, path: &[Segment], message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(&self.path)
            .at(self.span(path))
    }
}

/// Everything read from `content/`, before validation.
#[derive(Debug, Default, Clone)]
pub struct RawContent {
    /// `site.yaml`.
    pub site: Option<Loaded<RawSite>>,
    /// `taxonomies/priorities.yaml`.
    pub priorities: Option<Loaded<Vec<RawTaxon>>>,
    /// `taxonomies/service-areas.yaml`.
    pub service_areas: Option<Loaded<Vec<RawTaxon>>>,
    /// `areas/*.md`.
    pub areas: Vec<Loaded<RawArea>>,
    /// `organisations/*.md`.
    pub organisations: Vec<Loaded<RawOrganisation>>,
    /// `intentions/<org-id>/*.md`, with the folder name.
    pub intentions: Vec<(String, Loaded<RawIntention>)>,
    /// `market/*.md`.
    pub markets: Vec<Loaded<RawMarket>>,
}

/// What loading produced: the raw content, the problems found, and the text of files that
/// could not be parsed (so their diagnostics can show a snippet).
#[derive(Debug, Default, Clone)]
pub struct LoadResult {
    /// The files that parsed.
    pub content: RawContent,
    /// Every problem found while reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
    /// Text of files that failed to parse.
    pub sources: Sources,
}

/// Reads every content file under `root/content`.
pub fn load(root: &Path) -> LoadResult {
    let content_dir = root.join("content");
    let mut result = LoadResult::default();
    if !content_dir.is_dir() {
        result.diagnostics.push(
            Diagnostic::error(format!(
                "there is no content folder at {}",
                content_dir.display()
            ))
            .with_hint("run the command from a site's root folder, or pass --root DIR"),
        );
        return result;
    }
    let files = content_files(root, &content_dir, &mut result);
    // Files parse independently, on every core; merging in file order keeps the content
    // and the diagnostics in the same order as reading them one by one.
    let each: Vec<LoadResult> = files
        .par_iter()
        .map(|file| {
            let mut one = LoadResult::default();
            let relative = file.strip_prefix(&content_dir).unwrap_or(file);
            load_file(file, relative, display_path(root, file), &mut one);
            one
        })
        .collect();
    for one in each {
        result.absorb(one);
    }
    result
}

impl LoadResult {
    /// Adds what loading other files produced after what this one holds.
    fn absorb(&mut self, other: LoadResult) {
        let LoadResult {
            content,
            diagnostics,
            sources,
        } = other;
        let mine = &mut self.content;
        mine.site = content.site.or(mine.site.take());
        mine.priorities = content.priorities.or(mine.priorities.take());
        mine.service_areas = content.service_areas.or(mine.service_areas.take());
        mine.areas.extend(content.areas);
        mine.organisations.extend(content.organisations);
        mine.intentions.extend(content.intentions);
        mine.markets.extend(content.markets);
        self.diagnostics.extend(diagnostics);
        self.sources.extend(sources);
    }
}

/// Every file under `content_dir`, in file-name order, recording folders that cannot be read.
fn content_files(root: &Path, content_dir: &Path, result: &mut LoadResult) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| PathBuf::from("content"));
                let message = if error.loop_ancestor().is_some() {
                    "this folder is a symbolic link back into one of its own parents (a loop)"
                        .to_string()
                } else {
                    format!("could not read this folder: {error}")
                };
                result.diagnostics.push(
                    Diagnostic::error(message)
                        .in_file(path)
                        .with_hint("remove the link or fix the folder's permissions"),
                );
            }
        }
    }
    files
}

fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Whether the loader passes over a file at `relative` (its path inside `content/`): hidden,
/// backup and swap files, and files that are neither Markdown nor YAML.
pub fn ignores(relative: &Path) -> bool {
    matches!(place_of(relative), Place::Ignored)
}

/// Where a file sits in the content tree decides what it is.
enum Place {
    Site,
    Priorities,
    ServiceAreas,
    Area,
    Organisation,
    Intention(String),
    Market,
    Ignored,
    Misplaced(&'static str),
}

fn place_of(relative: &Path) -> Place {
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some(name) = parts.last() else {
        return Place::Ignored;
    };
    // Editors leave hidden, backup and swap files beside real ones.
    if parts.iter().any(|p| p.starts_with('.')) || name.ends_with('~') || name.starts_with('#') {
        return Place::Ignored;
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let is_md = ext == "md";
    let is_yaml = ext == "yaml" || ext == "yml";
    if !is_md && !is_yaml {
        return Place::Ignored;
    }
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["site.yaml"] => Place::Site,
        ["taxonomies", "priorities.yaml"] => Place::Priorities,
        ["taxonomies", "service-areas.yaml"] => Place::ServiceAreas,
        ["taxonomies", _] => Place::Misplaced(
            "taxonomies/ holds priorities.yaml and service-areas.yaml only",
        ),
        ["areas", _] if is_md => Place::Area,
        ["organisations", _] if is_md => Place::Organisation,
        ["intentions", org, _] if is_md => Place::Intention((*org).to_string()),
        ["intentions", ..] => Place::Misplaced(
            "intentions go in intentions/<organisation-id>/<slug>.md",
        ),
        ["market", _] if is_md => Place::Market,
        _ => Place::Misplaced(
            "content files go in site.yaml, taxonomies/, areas/, organisations/, intentions/<organisation-id>/ or market/",
        ),
    }
}

/// Loads one content file under `root/content` on its own, as [`load`] would load it among
/// the others (`serve` reloads the one file an editor saved).
pub fn load_one(root: &Path, file: &Path) -> LoadResult {
    let mut result = LoadResult::default();
    let content_dir = root.join("content");
    let relative = file.strip_prefix(&content_dir).unwrap_or(file);
    load_file(file, relative, display_path(root, file), &mut result);
    result
}

fn load_file(file: &Path, relative: &Path, shown: PathBuf, result: &mut LoadResult) {
    let place = place_of(relative);
    if let Place::Ignored = place {
        return;
    }
    if let Place::Misplaced(hint) = place {
        result.diagnostics.push(
            Diagnostic::error(
                "this file is not in a place the site reads, so it would be left out",
            )
            .in_file(shown)
            .with_hint(hint),
        );
        return;
    }
    let Some(text) = read_text(file, &shown, result) else {
        return;
    };
    parse_placed(place, relative, shown, text, result);
}

/// Loads one content file from memory, exactly as [`load`] would load it from disk at
/// `relative` (its path inside `content/`, which decides what kind of file it is). For tests
/// and fuzzing: the same splitting, decoding and parsing, with no file system.
pub fn load_bytes(relative: &Path, bytes: Vec<u8>) -> LoadResult {
    let mut result = LoadResult::default();
    let shown = Path::new("content").join(relative);
    match place_of(relative) {
        Place::Ignored | Place::Misplaced(_) => {}
        place => {
            if let Some(text) = decode(bytes, &shown, &mut result) {
                parse_placed(place, relative, shown, text, &mut result);
            }
        }
    }
    result
}

fn parse_placed(
    place: Place,
    relative: &Path,
    shown: PathBuf,
    text: String,
    result: &mut LoadResult,
) {
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match place {
        Place::Site => {
            result.content.site = parse_yaml_file(shown, stem, text, FileKind::Site, result)
        }
        Place::Priorities => {
            result.content.priorities =
                parse_yaml_file(shown, stem, text, FileKind::Taxonomy, result)
        }
        Place::ServiceAreas => {
            result.content.service_areas =
                parse_yaml_file(shown, stem, text, FileKind::Taxonomy, result)
        }
        Place::Area => {
            if let Some(l) = parse_markdown_file(shown, stem, text, FileKind::Area, result) {
                result.content.areas.push(l);
            }
        }
        Place::Organisation => {
            if let Some(l) = parse_markdown_file(shown, stem, text, FileKind::Organisation, result)
            {
                result.content.organisations.push(l);
            }
        }
        Place::Intention(folder) => {
            if let Some(l) = parse_markdown_file(shown, stem, text, FileKind::Intention, result) {
                result.content.intentions.push((folder, l));
            }
        }
        Place::Market => {
            if let Some(l) = parse_markdown_file(shown, stem, text, FileKind::Market, result) {
                result.content.markets.push(l);
            }
        }
        Place::Ignored | Place::Misplaced(_) => {}
    }
}

/// Reads a file as UTF-8 text without a byte-order mark, or records why it cannot be.
fn read_text(file: &Path, shown: &Path, result: &mut LoadResult) -> Option<String> {
    let too_big = std::fs::metadata(file).map(|m| m.len() > MAX_FILE_BYTES);
    if let Ok(true) = too_big {
        result.diagnostics.push(
            Diagnostic::error(format!(
                "this file is larger than {} KiB, the most a content file may be",
                MAX_FILE_BYTES / 1024
            ))
            .in_file(shown)
            .with_hint(
                "split it into several files, or move data that is not content out of content/",
            ),
        );
        return None;
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(error) => {
            result.diagnostics.push(
                Diagnostic::error(format!("could not read this file: {error}"))
                    .in_file(shown)
                    .with_hint("check the file's permissions"),
            );
            return None;
        }
    };
    decode(bytes, shown, result)
}

/// The bytes as UTF-8 text without a byte-order mark, or a diagnostic at the first bad byte.
fn decode(bytes: Vec<u8>, shown: &Path, result: &mut LoadResult) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Some(text)
        }
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // The valid prefix is the same in the lossy text, so `at` points at the same place.
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let before = &lossy[..at];
            let line = before.matches('\n').count() + 1;
            let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count()
                + 1;
            result.sources.insert(shown.to_path_buf(), lossy);
            let bad: Vec<String> = bytes[at..]
                .iter()
                .take(4)
                .map(|b| format!("{b:#04x}"))
                .collect();
            result.diagnostics.push(
                Diagnostic::error(format!(
                    "this file is not valid UTF-8: line {line}, column {column} (byte {at}) starts an invalid sequence ({})",
                    bad.join(" ")
                ))
                .in_file(shown)
                .at(Some(at..at + 1))
                .labelled("invalid UTF-8 here")
                .with_hint(
                    "save the file as UTF-8 in your editor (it may be Windows-1252 or Latin-1)",
                ),
            );
            None
        }
    }
}

fn parse_markdown_file<T: DeserializeOwned>(
    shown: PathBuf,
    stem: String,
    text: String,
    kind: FileKind,
    result: &mut LoadResult,
) -> Option<Loaded<T>> {
    use frontmatter::SplitError;
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(error) => {
            let (message, span, hint) = match error {
                SplitError::Empty => (
                    "this file is empty".to_string(),
                    None,
                    "a content file starts with front matter between two `---` lines; `intentions new` writes one for you",
                ),
                SplitError::NoOpening(first_line) => (
                    "this file has no front matter".to_string(),
                    Some(first_line.start..first_line.end.min(first_line.start + 80)),
                    "start the file with a line `---`, then the YAML keys, then another `---`, then the Markdown",
                ),
                SplitError::Unterminated(opening) => (
                    "the front matter is never closed".to_string(),
                    Some(opening),
                    "add a line `---` after the last YAML key, before the Markdown",
                ),
            };
            result.sources.insert(shown.clone(), text);
            result.diagnostics.push(
                Diagnostic::error(message)
                    .in_file(shown)
                    .at(span)
                    .with_hint(hint),
            );
            return None;
        }
    };
    parse(shown, stem, text, split.yaml, split.body, kind, result)
}

fn parse_yaml_file<T: DeserializeOwned>(
    shown: PathBuf,
    stem: String,
    text: String,
    kind: FileKind,
    result: &mut LoadResult,
) -> Option<Loaded<T>> {
    let len = text.len();
    parse(shown, stem, text, 0..len, len..len, kind, result)
}

fn parse<T: DeserializeOwned>(
    shown: PathBuf,
    stem: String,
    text: String,
    yaml: Range<usize>,
    body: Range<usize>,
    kind: FileKind,
    result: &mut LoadResult,
) -> Option<Loaded<T>> {
    let loaded = Loaded {
        path: shown,
        stem,
        raw: (),
        text,
        yaml,
        body,
        spans: OnceLock::new(),
    };
    let yaml_text = &loaded.text[loaded.yaml.clone()];
    if yaml_text.trim().is_empty() {
        result.diagnostics.push(
            Diagnostic::error("the front matter is empty")
                .in_file(&loaded.path)
                .at(Some(loaded.yaml.start..loaded.yaml.start))
                .with_hint(format!(
                    "{} needs at least {}",
                    kind_name(kind),
                    required_keys(kind)
                )),
        );
        result.sources.insert(loaded.path.clone(), loaded.text);
        return None;
    }
    if let Some(at) = spans::too_deep(yaml_text) {
        let at = loaded.yaml.start + at;
        result.diagnostics.push(
            Diagnostic::error(format!(
                "the YAML is nested more than {} levels deep",
                spans::MAX_DEPTH
            ))
            .in_file(&loaded.path)
            .at(Some(at..at + 1))
            .labelled("too deep from here")
            .with_hint("content front matter is a few levels deep at most; check for brackets `[` or `{` that are never closed"),
        );
        result.sources.insert(loaded.path.clone(), loaded.text);
        return None;
    }
    match serde_yaml::from_str::<T>(yaml_text) {
        Ok(raw) => {
            let Loaded {
                path,
                stem,
                text,
                yaml,
                body,
                spans,
                ..
            } = loaded;
            Some(Loaded {
                path,
                stem,
                raw,
                text,
                yaml,
                body,
                spans,
            })
        }
        Err(error) => {
            let mut found = unknown_keys(&loaded, kind);
            let unknown_field = error.to_string().starts_with("unknown field")
                || error.to_string().contains(": unknown field");
            if !unknown_field || found.is_empty() {
                found.push(yaml_error(&loaded, &error, kind));
            }
            result.diagnostics.extend(found);
            result.sources.insert(loaded.path.clone(), loaded.text);
            None
        }
    }
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Site => "site.yaml",
        FileKind::Taxonomy => "a taxonomy file",
        FileKind::Area => "an area",
        FileKind::Organisation => "an organisation",
        FileKind::Intention => "an intention",
        FileKind::Market => "a market narrative",
    }
}

fn required_keys(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Site => "`title`, `description` and `base_url`",
        FileKind::Taxonomy => "a list of entries with `id` and `name`",
        FileKind::Area => "`id` and `name`",
        FileKind::Organisation => "`id`, `name`, `kind`, `area` and `plan`",
        FileKind::Intention => "`title`, `organisation` and `signal`",
        FileKind::Market => "`service_area`",
    }
}

/// Every key in the file that its kind does not know, each with the nearest known key.
fn unknown_keys(loaded: &Loaded<()>, kind: FileKind) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for node in loaded.spans().nodes() {
        let Some((Segment::Key(key), parent)) = node.path.split_last() else {
            continue;
        };
        let Some(known) = keys::known_keys(kind, parent) else {
            continue;
        };
        if known.contains(&key.as_str()) {
            continue;
        }
        let hint = match nearest(key, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the keys allowed here are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let place = if parent.is_empty() {
            String::new()
        } else {
            format!(" in `{}`", path_text(parent))
        };
        found.push(
            Diagnostic::error(format!("unknown key `{key}`{place}"))
                .in_file(&loaded.path)
                .at(node.key.clone())
                .labelled("not a key of ".to_string() + kind_name(kind))
                .with_hint(hint),
        );
    }
    found
}

/// A path written the way an editor reads it: `targets[1].by`.
pub fn path_text(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Turns a serde_yaml error into a diagnostic pointing into the whole file.
fn yaml_error(loaded: &Loaded<()>, error: &serde_yaml::Error, kind: FileKind) -> Diagnostic {
    let yaml_text = &loaded.text[loaded.yaml.clone()];
    let span = error.location().map(|loc| {
        let start = loaded.yaml.start + byte_at(yaml_text, loc.line(), loc.column());
        let end = loaded.text[start..]
            .find(['\n', '\r'])
            .map_or(loaded.text.len(), |i| start + i)
            .max(start);
        start..end
    });
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let (field, what) = match message.split_once(": ") {
        Some((field, what)) if !field.contains(' ') => (Some(field.to_string()), what.to_string()),
        _ => (None, message.clone()),
    };
    if let Some(missing) = what.strip_prefix("missing field ") {
        let missing = missing.trim_matches('`');
        let place = field.map(|f| format!(" in `{f}`")).unwrap_or_default();
        return Diagnostic::error(format!("missing required key `{missing}`{place}"))
            .in_file(&loaded.path)
            .at(span.map(|s| s.start..s.start))
            .with_hint(format!(
                "add `{missing}: …`; {} needs {}",
                kind_name(kind),
                required_keys(kind)
            ));
    }
    if let Some(rest) = what.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let name = field.clone().unwrap_or_else(|| "this value".to_string());
        return Diagnostic::error(format!(
            "`{name}` should be {}, but it is {}",
            plain_type(expected),
            plain_found(found)
        ))
        .in_file(&loaded.path)
        .at(span)
        .labelled(format!("expected {}", plain_type(expected)))
        .with_hint(type_hint(expected));
    }
    if what.contains("recursion limit") || what.contains("repetition limit") {
        return Diagnostic::error(format!("the YAML is too deeply nested or repeats too much ({what})"))
            .in_file(&loaded.path)
            .at(span)
            .with_hint("content front matter is a few levels deep at most; remove anchors and aliases (`&name`, `*name`)");
    }
    Diagnostic::error(format!("the YAML cannot be read: {what}"))
        .in_file(&loaded.path)
        .at(span)
        .with_hint(
            "check the indentation, that each key is followed by `: `, and quote text that contains `: ` or starts with a special character",
        )
}

fn plain_type(expected: &str) -> String {
    let e = expected.trim();
    if e.contains("f64") || e.contains("f32") || e.contains("integer") || e.contains("u32") {
        "a number".into()
    } else if e.contains("string") || e.contains("char") {
        "text".into()
    } else if e.contains("sequence") {
        "a list".into()
    } else if e.starts_with("struct") || e.contains("map") {
        "a mapping of keys and values".into()
    } else if e.contains("bool") {
        "true or false".into()
    } else {
        e.to_string()
    }
}

fn plain_found(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        format!("the text {s}")
    } else if found == "sequence" {
        "a list".into()
    } else if found == "map" {
        "a mapping of keys and values".into()
    } else if let Some(n) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        format!("the number {n}")
    } else {
        found.to_string()
    }
}

fn type_hint(expected: &str) -> String {
    match plain_type(expected).as_str() {
        "a number" => "write digits only, without £, commas or units: 10000000, 21, 2.5".into(),
        "text" => "write it as text; put quotes around it if it looks like something else".into(),
        "a list" => "write a list as `[a, b]` or as lines starting with `- `".into(),
        "a mapping of keys and values" => "write it as indented `key: value` lines".into(),
        other => format!("write {other} here"),
    }
}

/// Byte offset in `text` of a 1-based line and column (columns counted in characters).
fn byte_at(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.trim_end_matches(['\n', '\r']).len(), |(b, _)| b);
            return offset + col;
        }
        offset += l.len();
    }
    text.len()
}
