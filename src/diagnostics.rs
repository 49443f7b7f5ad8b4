//! Diagnostics: errors as values with a file, a span and a hint, collected through the
//! pipeline and rendered like `rustc` (with codespan-reporting) only at the edge.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Stops the build.
    Error,
    /// Worth fixing; the build goes on.
    Warning,
}

/// One problem found in the content, the theme or the environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file it is in, as the user would type it (relative to the site root when possible).
    pub path: Option<PathBuf>,
    /// Byte range of the offending text in that file.
    pub span: Option<Range<usize>>,
    /// A short label shown under the offending text.
    pub label: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
    /// The id of the quality lint that found it, e.g. `no-target`.
    pub code: Option<String>,
}

impl Diagnostic {
    /// An error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            message: message.into(),
            path: None,
            span: None,
            label: None,
            hint: None,
            code: None,
        }
    }

    /// A warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attaches the id of the lint that found it.
    pub fn coded(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Attaches the file the problem is in.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Attaches the byte span of the offending text.
    pub fn at(mut self, span: Option<Range<usize>>) -> Self {
        self.span = span;
        self
    }

    /// Attaches a label for the offending text.
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Attaches a hint saying what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches a hint when there is one.
    pub fn with_optional_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// The text of every file diagnostics may point into, so they can be shown with a snippet.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    /// Remembers a file's text under the path diagnostics use for it.
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, text);
    }

    /// Remembers every file `other` remembers.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// The text of a file, if it was read.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// 1-based line and column (in characters) of a byte offset in a file.
    pub fn line_column(&self, path: &Path, offset: usize) -> Option<(usize, usize)> {
        let text = self.get(path)?;
        let offset = offset.min(text.len());
        let before = text.get(..offset)?;
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Some((line, column))
    }
}

/// Renders diagnostics as text, like rustc: a headline, the file, line and column, the
/// offending line with the span underlined, and the hint.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for d in diagnostics {
        if let Some(path) = &d.path {
            if !ids.contains_key(path) {
                let text = sources.get(path).unwrap_or("").to_string();
                let id = files.add(path.display().to_string(), text);
                ids.insert(path.clone(), id);
            }
        }
    }
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diagnostics {
        let severity = match d.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        };
        let mut report = Report::new(severity).with_message(&d.message);
        if let (Some(path), Some(&id)) = (&d.path, d.path.as_ref().and_then(|p| ids.get(p))) {
            let len = sources.get(path).map_or(0, str::len);
            match &d.span {
                Some(span) if span.start <= len => {
                    let span = span.start..span.end.min(len).max(span.start);
                    let label =
                        Label::primary(id, span).with_message(d.label.clone().unwrap_or_default());
                    report = report.with_labels(vec![label]);
                }
                _ => {
                    report = report.with_notes(vec![format!("in {}", path.display())]);
                }
            }
        }
        if let Some(hint) = &d.hint {
            report.notes.push(format!("help: {hint}"));
        }
        if term::emit(&mut buffer, &config, &files, &report).is_err() {
            // A span that does not fit the file: fall back to a plain line.
            buffer_plain(&mut buffer, d);
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_plain(buffer: &mut termcolor::Buffer, d: &Diagnostic) {
    use std::io::Write;
    let path = d
        .path
        .as_ref()
        .map(|p| format!("{}: ", p.display()))
        .unwrap_or_default();
    // Writing into an in-memory buffer cannot fail.
    let _ = writeln!(buffer, "error: {path}{}", d.message);
}

/// A one-line summary such as "2 errors, 1 warning".
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.level == Level::Error)
}

/// The valid id closest to a mistyped one, for "did you mean" hints.
pub fn nearest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wrong, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A hint for a reference to something that does not exist: the nearest valid id, or else
/// a few of the valid ones.
pub fn unknown_id_hint<'a>(
    wrong: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match nearest(wrong, candidates.clone()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                format!("there are no {what}s yet")
            } else {
                let shown: Vec<String> = all.iter().take(8).map(|c| format!("`{c}`")).collect();
                let more = if all.len() > 8 { ", …" } else { "" };
                format!("valid {what}s are {}{more}", shown.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_a_typo() {
        let ids = ["priorities", "partners", "period"];
        assert_eq!(nearest("prioritees", ids), Some("priorities"));
        assert_eq!(nearest("zzzzzz", ids), None);
    }

    #[test]
    fn line_and_column_count_characters() {
        let mut sources = Sources::default();
        sources.insert("a.md".into(), "ab\ncé x".into());
        assert_eq!(sources.line_column(Path::new("a.md"), 7), Some((2, 4)));
    }
}
