//! Incremental loading for `serve`: remembers each content file's bytes and what loading it
//! gave, so that a reload reads every file but parses only those whose bytes changed. The
//! result is the same `LoadResult`, in the same order, as a fresh [`super::load`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::MAX_FILE_BYTES;
use super::{content_files, display_path, load_file, place_of, LoadResult, Place, RawContent};

/// What the previous loads found, file by file.
#[derive(Debug, Default)]
pub struct Cache {
    files: HashMap<PathBuf, Entry>,
    last: CacheStats,
}

/// One file as last read: its exact bytes (the cache key beside its path) and what loading
/// it alone produced.
#[derive(Debug)]
struct Entry {
    bytes: Vec<u8>,
    loaded: LoadResult,
}

/// What the last [`load_cached`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Content files considered (ignored files, such as editors' swap files, are not counted).
    pub files: usize,
    /// Files read and parsed again because they are new or their bytes changed.
    pub parsed: usize,
    /// Files that were there last time and are gone now.
    pub removed: usize,
}

impl Cache {
    /// An empty cache: the first load parses everything.
    pub fn new() -> Self {
        Cache::default()
    }

    /// What the last load did.
    pub fn stats(&self) -> CacheStats {
        self.last
    }
}

/// Reads every content file under `root/content` like [`super::load`], parsing again only
/// the files whose bytes differ from the last time this cache saw them.
///
/// The key is the file's path and its exact bytes, not its modification time: editors and
/// file systems with coarse timestamps can change a file without changing its time and
/// length, and reading a few thousand small files costs far less than parsing them.
pub fn load_cached(root: &Path, cache: &mut Cache) -> LoadResult {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        cache.files.clear();
        cache.last = CacheStats::default();
        return super::load(root);
    }
    let mut result = LoadResult::default();
    let mut stats = CacheStats::default();
    let mut previous = std::mem::take(&mut cache.files);
    for file in content_files(root, &content_dir, &mut result) {
        let relative = file
            .strip_prefix(&content_dir)
            .unwrap_or(&file)
            .to_path_buf();
        if matches!(place_of(&relative), Place::Ignored) {
            continue;
        }
        stats.files += 1;
        let shown = display_path(root, &file);
        let old = previous.remove(&file);
        let bytes = match std::fs::metadata(&file) {
            Ok(meta) if meta.len() <= MAX_FILE_BYTES => std::fs::read(&file).ok(),
            _ => None,
        };
        let Some(bytes) = bytes else {
            // Too big, unreadable or gone since the walk: load it the ordinary way, which
            // reports why, and remember nothing.
            stats.parsed += 1;
            load_file(&file, &relative, shown, &mut result);
            continue;
        };
        let entry = match old {
            Some(old) if old.bytes == bytes => old,
            _ => {
                stats.parsed += 1;
                let mut loaded = LoadResult::default();
                load_file(&file, &relative, shown.clone(), &mut loaded);
                Entry { bytes, loaded }
            }
        };
        absorb(&mut result, &entry.loaded, &shown);
        cache.files.insert(file, entry);
    }
    stats.removed = previous.len();
    cache.last = stats;
    result
}

/// Adds what loading one file gave to the whole, as [`super::load`] would have.
fn absorb(into: &mut LoadResult, one: &LoadResult, shown: &Path) {
    // Spelled out field by field, so that a new kind of content file does not compile
    // until it is carried over here too.
    let RawContent {
        site,
        priorities,
        service_areas,
        areas,
        organisations,
        intentions,
        markets,
    } = &one.content;
    if site.is_some() {
        into.content.site.clone_from(site);
    }
    if priorities.is_some() {
        into.content.priorities.clone_from(priorities);
    }
    if service_areas.is_some() {
        into.content.service_areas.clone_from(service_areas);
    }
    into.content.areas.extend(areas.iter().cloned());
    into.content
        .organisations
        .extend(organisations.iter().cloned());
    into.content.intentions.extend(intentions.iter().cloned());
    into.content.markets.extend(markets.iter().cloned());
    into.diagnostics.extend(one.diagnostics.iter().cloned());
    // Loading one file records at most that file's text.
    if let Some(text) = one.sources.get(shown) {
        into.sources.insert(shown.to_path_buf(), text.to_string());
    }
}
