//! Diagnostics for machines: the JSON document `check --format json` prints for editor
//! plugins and CI, and the GitHub Actions workflow commands of `--format github`. The human
//! form stays in `diagnostics`.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Level, Sources};

/// The version of the JSON shape; raised only when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

/// One diagnostic, positioned by line and column rather than bytes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Located {
    /// `error` or `warning`.
    pub level: Level,
    /// The id of the quality lint that found it, or `null` for other problems.
    pub code: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file, relative to the site's root when possible.
    pub file: Option<String>,
    /// 1-based line of the start of the offending text.
    pub line: Option<usize>,
    /// 1-based column (in characters) of its start.
    pub column: Option<usize>,
    /// 1-based line of its end.
    pub end_line: Option<usize>,
    /// 1-based column just after its last character.
    pub end_column: Option<usize>,
    /// A short label for the offending text.
    pub label: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
}

/// The JSON document: counts, then every diagnostic in the order found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`JSON_VERSION`].
    pub version: u32,
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
    /// Every diagnostic.
    pub diagnostics: Vec<Located>,
}

/// Positions a diagnostic by line and column.
pub fn locate(d: &Diagnostic, sources: &Sources) -> Located {
    let file = d.path.as_deref();
    let at = |offset: usize| file.and_then(|f| sources.line_column(f, offset));
    let start = d.span.as_ref().and_then(|s| at(s.start));
    let end = d.span.as_ref().and_then(|s| at(s.end.max(s.start)));
    Located {
        level: d.level,
        code: d.code.clone(),
        message: d.message.clone(),
        file: file.map(|f| f.display().to_string()),
        line: start.map(|p| p.0),
        column: start.map(|p| p.1),
        end_line: end.map(|p| p.0),
        end_column: end.map(|p| p.1),
        label: d.label.clone(),
        hint: d.hint.clone(),
    }
}

/// The JSON document for `check --format json`, pretty-printed, with a final newline.
pub fn json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let located: Vec<Located> = diagnostics.iter().map(|d| locate(d, sources)).collect();
    let errors = located.iter().filter(|d| d.level == Level::Error).count();
    let report = Report {
        version: JSON_VERSION,
        errors,
        warnings: located.len() - errors,
        diagnostics: located,
    };
    // A struct of strings and numbers always serialises.
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

/// One GitHub Actions workflow command per diagnostic
/// (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows on the changed
/// lines of a pull request.
pub fn github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let l = locate(d, sources);
        let command = match l.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(file) = &l.file {
            properties.push(format!("file={}", escape_property(file)));
        }
        let numbers = [
            ("line", l.line),
            ("col", l.column),
            ("endLine", l.end_line),
            ("endColumn", l.end_column),
        ];
        for (name, value) in numbers {
            if let Some(value) = value {
                properties.push(format!("{name}={value}"));
            }
        }
        let title = match &l.code {
            Some(code) => format!("intentions {command} [{code}]"),
            None => format!("intentions {command}"),
        };
        properties.push(format!("title={}", escape_property(&title)));
        let mut message = l.message.clone();
        if let Some(hint) = &l.hint {
            message.push_str("\nhelp: ");
            message.push_str(hint);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    out
}

/// Escapes a workflow command's message, as the Actions toolkit does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, as the Actions toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_escape_what_would_end_them() {
        let mut sources = Sources::default();
        sources.insert("a,b.md".into(), "x: 1\ny: 2\n".into());
        let d = Diagnostic::warning("50% done\nnext")
            .in_file("a,b.md")
            .at(Some(5..9))
            .coded("no-target");
        let text = github(&[d], &sources);
        assert_eq!(
            text,
            "::warning file=a%2Cb.md,line=2,col=1,endLine=2,endColumn=5,title=intentions warning [no-target]::50%25 done%0Anext\n"
        );
    }
}
