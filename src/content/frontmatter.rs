//! Splits a content file into its YAML front matter and its Markdown body, keeping byte
//! offsets into the whole file so later errors can point at the right line.

use std::ops::Range;

/// Where the parts of a Markdown content file are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// The Markdown after the closing `---`.
    pub body: Range<usize>,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file has nothing but white space.
    Empty,
    /// The first line is not `---`; carries the first line's range.
    NoOpening(Range<usize>),
    /// There is an opening `---` but no closing one; carries the opening line's range.
    Unterminated(Range<usize>),
}

/// Splits `text` (already without a byte-order mark). Lines may end in LF or CRLF.
pub fn split(text: &str) -> Result<Split, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let mut lines = lines_with_offsets(text);
    let (first, first_range) = lines.next().unwrap_or(("", 0..0));
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpening(first_range));
    }
    let yaml_start = first_range.end;
    for (line, range) in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = range.end;
            return Ok(Split {
                yaml: yaml_start..range.start,
                body: body_start..text.len(),
            });
        }
    }
    Err(SplitError::Unterminated(
        first_range.start..first_range.start + 3,
    ))
}

/// Each line without its line ending, with the range of the line including its ending.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let range = start..end;
        start = end;
        Some((line, range))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.clone()], "title: A\n");
        assert_eq!(&text[s.body.clone()], "Body\n");
        let text = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml], "title: A\r\n");
        assert_eq!(&text[s.body], "Body\r\n");
    }

    #[test]
    fn reports_what_is_missing() {
        assert_eq!(split("  \n"), Err(SplitError::Empty));
        assert!(matches!(split("title: A\n"), Err(SplitError::NoOpening(_))));
        assert!(matches!(
            split("---\ntitle: A\n"),
            Err(SplitError::Unterminated(_))
        ));
    }
}
