//! The theme: the default one built into the binary, with any file of the same name in
//! `<root>/themes/default/` taking its place, so a site can override one template or one
//! stylesheet without copying the rest.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The theme's files, after overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (e.g. `organisation.html`) to its source.
    pub templates: BTreeMap<String, String>,
    /// Static file path (e.g. `style.css`) to its bytes, copied to the site as they are.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Loads the default theme and applies the overrides found under `root`.
pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut errors = Vec::new();
    for (path, bytes) in embedded::FILES {
        add(
            &mut theme,
            path,
            bytes.to_vec(),
            Path::new(path),
            &mut errors,
        );
    }
    let override_dir = root.join("themes/default");
    if override_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&override_dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(Diagnostic::error(format!(
                        "could not read the theme folder: {e}"
                    )));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&override_dir) else {
                continue;
            };
            let relative = relative.to_string_lossy().replace('\\', "/");
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
            match std::fs::read(entry.path()) {
                Ok(bytes) => add(&mut theme, &relative, bytes, shown, &mut errors),
                Err(e) => errors.push(
                    Diagnostic::error(format!("could not read this theme file: {e}"))
                        .in_file(shown),
                ),
            }
        }
    }
    if errors.is_empty() {
        Ok(theme)
    } else {
        Err(errors)
    }
}

fn add(
    theme: &mut Theme,
    relative: &str,
    bytes: Vec<u8>,
    shown: &Path,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(name) = relative.strip_prefix("templates/") {
        match String::from_utf8(bytes) {
            Ok(text) => {
                theme.templates.insert(name.to_string(), text);
            }
            Err(_) => errors.push(
                Diagnostic::error("this template is not valid UTF-8")
                    .in_file(shown)
                    .with_hint("save it as UTF-8"),
            ),
        }
    } else if let Some(name) = relative.strip_prefix("static/") {
        theme.statics.insert(name.to_string(), bytes);
    }
}
