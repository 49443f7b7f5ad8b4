//! The error overlay: a failed rebuild's diagnostics (file, line, message, hint), rendered
//! as the terminal shows them but without colour and HTML-escaped, laid over every served
//! page until the content is fixed. Only `serve` adds it; it needs no JavaScript: the close
//! button is a `<form method="dialog">`.

use crate::diagnostics::{self, Diagnostic, Sources};

/// The `id` of the overlay element, so tests and scripts can find it.
pub const ID: &str = "intentions-error";

/// At most this many diagnostics are shown over the page; the terminal shows them all.
pub const MOST_SHOWN: usize = 20;

/// The overlay for a failed rebuild; `kept` says whether a last good site is shown under it.
pub fn html(found: &[Diagnostic], sources: &Sources, kept: bool) -> String {
    let shown = &found[..found.len().min(MOST_SHOWN)];
    let mut text = diagnostics::render(shown, sources, false);
    if found.len() > shown.len() {
        text.push_str(&format!(
            "\n… and {} more: the terminal shows them all.",
            found.len() - shown.len()
        ));
    }
    let summary = diagnostics::summary(found);
    format!(
        concat!(
            r#"<dialog open id="{id}" aria-labelledby="{id}-title" style="position:fixed;top:1rem;left:1rem;right:1rem;bottom:auto;margin:0;max-width:none;width:auto;height:auto;max-height:calc(100vh - 2rem);overflow:auto;z-index:2147483647;box-sizing:border-box;padding:1rem 1.25rem;background:#fff;color:#0b0c0c;border:5px solid #d4351c;font:1rem/1.4 system-ui,sans-serif">"#,
            r#"<div role="alert">"#,
            r#"<h2 id="{id}-title" style="margin:0 0 .5rem;font-size:1.25rem">The last change could not be built ({summary})</h2>"#,
            r#"<p style="margin:0 0 .75rem">{under} Fix the problem below and save: the page reloads by itself.</p>"#,
            r#"<pre tabindex="0" aria-label="Errors" style="white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 1rem;padding:.75rem;background:#f3f2f1;color:#0b0c0c;font:.9rem/1.4 ui-monospace,monospace">{text}</pre>"#,
            r#"</div>"#,
            r#"<form method="dialog"><button type="submit" style="font:inherit;padding:.4rem 1rem;border:2px solid #0b0c0c;background:#fff;color:#0b0c0c;cursor:pointer">Close</button></form>"#,
            r#"</dialog>"#
        ),
        id = ID,
        under = if kept {
            "Under this is the last version that built."
        } else {
            "Nothing has been built yet."
        },
        summary = escape(&summary),
        text = escape(text.trim_end()),
    )
}

/// A page carrying only the overlay, for when no build has succeeded yet.
pub fn page(overlay: &str, reload_script: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html>\n",
            r#"<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">"#,
            "<title>The site could not be built</title></head><body><main>",
            "<h1>The site could not be built</h1>",
            "<p>Fix the problem shown and save: this page reloads by itself.</p>",
            r#"</main>{overlay}<script src="{script}" defer></script></body></html>"#
        ),
        overlay = overlay,
        script = reload_script,
    )
}

/// Puts the overlay first in a page's `<body>`, so that it is the first thing reached by
/// keyboard and screen reader.
pub fn inject(page: &[u8], overlay: &str) -> Vec<u8> {
    let at = body_start(page).unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + overlay.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// Just after the `<body …>` tag.
fn body_start(page: &[u8]) -> Option<usize> {
    let open = page
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<body"))?;
    let close = page[open..].iter().position(|&b| b == b'>')?;
    Some(open + close + 1)
}

/// Escapes text for HTML element content and quoted attributes.
pub use crate::markdown::escape_html as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlay_is_escaped_and_accessible() {
        let mut sources = Sources::default();
        sources.insert(
            "content/a.md".into(),
            "---\ntitle: <script>x</script>\n---\n".into(),
        );
        let d = Diagnostic::error("bad <value>")
            .in_file("content/a.md")
            .at(Some(11..28))
            .with_hint("use & not <");
        let html = html(&[d], &sources, true);
        assert!(html.contains(r#"role="alert""#));
        assert!(html.contains("content/a.md:2:8"), "{html}");
        assert!(html.contains("bad &lt;value&gt;"));
        assert!(html.contains("use &amp; not &lt;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<button"));
    }

    #[test]
    fn injection_goes_first_in_the_body() {
        let page = b"<html><BODY class=x><p>x</p></body></html>";
        let out = inject(page, "<div>o</div>");
        assert_eq!(
            out,
            b"<html><BODY class=x><div>o</div><p>x</p></body></html>"
        );
        assert_eq!(inject(b"<p>", "<i>"), b"<p><i>");
    }
}
