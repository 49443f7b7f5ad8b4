//! The editors' page of `intentions serve` (`/_editors/`): every current warning, grouped by
//! file, with a link to the page it affects and the file's path and line. Never part of a
//! published build.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::common::{home_url, Link};
use super::{page, Page, PageMeta};
use crate::diagnostics::{Diagnostic, Level, Sources};
use crate::formats::locate;
use crate::lints;

/// Where the editors' page is served.
pub const EDITORS_URL: &str = "/_editors/";

#[derive(Serialize)]
struct EditorsView {
    summary: String,
    files: Vec<FileView>,
    lints: Vec<LintView>,
}

#[derive(Serialize)]
struct FileView {
    path: String,
    page: Option<String>,
    warnings: Vec<WarningView>,
}

#[derive(Serialize)]
struct WarningView {
    location: String,
    code: Option<String>,
    message: Vec<TextPart>,
    hint: Vec<TextPart>,
}

/// A run of a message: plain text, or text written between backticks (shown as code).
#[derive(Serialize)]
struct TextPart {
    text: String,
    code: bool,
}

/// Splits "the id `x` is…" into plain and code runs.
fn parts(text: &str) -> Vec<TextPart> {
    text.split('`')
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| TextPart {
            text: t.to_string(),
            code: i % 2 == 1,
        })
        .collect()
}

#[derive(Serialize)]
struct LintView {
    id: &'static str,
    finds: Vec<TextPart>,
    why: &'static str,
}

/// The page listing `warnings` (errors would have stopped the build), by file.
pub fn page_view(warnings: &[Diagnostic], sources: &Sources) -> Page {
    let mut by_file: BTreeMap<String, FileView> = BTreeMap::new();
    let mut count = 0;
    for d in warnings.iter().filter(|d| d.level == Level::Warning) {
        count += 1;
        let located = locate(d, sources);
        let path = located.file.clone().unwrap_or_default();
        let location = match (located.line, located.column) {
            (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
            _ => path.clone(),
        };
        let file = by_file.entry(path.clone()).or_insert_with(|| FileView {
            page: page_of(Path::new(&path)),
            path: path.clone(),
            warnings: Vec::new(),
        });
        file.warnings.push(WarningView {
            location,
            code: located.code,
            message: parts(&located.message),
            hint: located.hint.as_deref().map(parts).unwrap_or_default(),
        });
    }
    let summary = match (count, by_file.len()) {
        (0, _) => "There are no warnings.".to_string(),
        (1, _) => "1 warning.".to_string(),
        (n, 1) => format!("{n} warnings in 1 file."),
        (n, f) => format!("{n} warnings in {f} files."),
    };
    let view = EditorsView {
        summary,
        files: by_file.into_values().collect(),
        lints: lints::LINTS
            .iter()
            .map(|l| LintView {
                id: l.id,
                finds: parts(l.finds),
                why: l.why,
            })
            .collect(),
    };
    page(
        EDITORS_URL.into(),
        "editors.html",
        PageMeta {
            title: "Warnings for editors".into(),
            description: "Every current quality warning in the content, by file.".into(),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &view,
    )
}

/// The page a content file becomes, when it becomes one.
fn page_of(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path
        .iter()
        .filter_map(|p| p.to_str())
        .skip_while(|p| *p != "content")
        .collect();
    let stem = |name: &str| name.strip_suffix(".md").map(str::to_string);
    match parts.as_slice() {
        ["content", "intentions", org, file] => Some(format!("/intentions/{org}/{}/", stem(file)?)),
        ["content", "organisations", file] => Some(format!("/organisations/{}/", stem(file)?)),
        ["content", "areas", file] => Some(format!("/areas/{}/", stem(file)?)),
        ["content", "market", file] => Some(format!("/market/{}/", stem(file)?)),
        _ => None,
    }
}
