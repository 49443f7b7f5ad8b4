//! Markdown bodies to safe HTML: pulldown-cmark with tables, footnotes, heading ids and smart
//! punctuation, tables made accessible, then ammonia so no script or handler reaches a page.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Renders a Markdown body to sanitised HTML.
///
/// Headings move down one level when the body uses `#`, because the page's title is its only
/// `h1`. Tables get a caption (the heading above them, or a numbered "Table") and column
/// headers with `scope`, inside a scrollable region that keyboard users can reach.
pub fn to_html(markdown: &str) -> String {
    if markdown.trim().is_empty() {
        return String::new();
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    // Parsed once: whether headings move down depends on every heading in the body.
    let parsed: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let has_h1 = parsed.iter().any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let mut events = Vec::with_capacity(parsed.len());
    let mut last_heading = String::new();
    let mut in_heading = false;
    let mut in_table_head = false;
    let mut tables = 0;
    for event in parsed {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = true;
                last_heading.clear();
                let level = if has_h1 { demote(level) } else { level };
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                let level = if has_h1 { demote(level) } else { level };
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Text(ref text) if in_heading => {
                last_heading.push_str(text);
                events.push(event);
            }
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                let caption = if last_heading.trim().is_empty() {
                    format!("Table {tables}")
                } else {
                    last_heading.trim().to_string()
                };
                let caption = escape_html(&caption);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{caption}\"><table><caption>{caption}</caption>"
                ))));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::Html(CowStr::from("</tbody></table></div>")));
            }
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                events.push(Event::Html(CowStr::from("<thead><tr>")));
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                events.push(Event::Html(CowStr::from("</tr></thead><tbody>")));
            }
            Event::Start(Tag::TableRow) => events.push(Event::Html(CowStr::from("<tr>"))),
            Event::End(TagEnd::TableRow) => events.push(Event::Html(CowStr::from("</tr>"))),
            Event::Start(Tag::TableCell) => {
                events.push(Event::Html(CowStr::from(if in_table_head {
                    "<th scope=\"col\">"
                } else {
                    "<td>"
                })))
            }
            Event::End(TagEnd::TableCell) => {
                events.push(Event::Html(CowStr::from(if in_table_head {
                    "</th>"
                } else {
                    "</td>"
                })))
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Escapes text for HTML (and SVG) element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    // Tera calls this on every string a template evaluates (conditions and macro arguments
    // too): the characters to escape are found with memchr's vectorised searches, and the
    // plain runs between them copied whole. Each search's next find is kept, so a string
    // with many of one kind and none of the other is not searched to its end again each time.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut plain = 0;
    let mut markup = memchr::memchr3(b'&', b'<', b'>', bytes);
    let mut quote = memchr::memchr2(b'"', b'\'', bytes);
    loop {
        let at = match (markup, quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(m), None) => m,
            (None, Some(q)) => q,
            (None, None) => break,
        };
        let entity = match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        // The five are ASCII, so `at` is always a character boundary.
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        plain = at + 1;
        let rest = &bytes[plain..];
        if markup == Some(at) {
            markup = memchr::memchr3(b'&', b'<', b'>', rest).map(|i| plain + i);
        } else {
            quote = memchr::memchr2(b'"', b'\'', rest).map(|i| plain + i);
        }
    }
    out.push_str(&text[plain..]);
    out
}

/// The allow-list: ammonia's defaults (text formatting, lists, links, images, tables;
/// no scripts, styles, frames, forms or event handlers; `rel="noopener noreferrer"` on
/// links; only http, https and mailto URLs) plus what accessible tables, heading anchors and
/// footnotes need.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tag_attributes("th", ["scope"])
            .add_tag_attributes("div", ["role", "tabindex", "aria-label", "id"])
            .add_tag_attributes("h2", ["id"])
            .add_tag_attributes("h3", ["id"])
            .add_tag_attributes("h4", ["id"])
            .add_tag_attributes("h5", ["id"])
            .add_tag_attributes("h6", ["id"])
            .add_tag_attributes("sup", ["id"])
            .add_allowed_classes("div", ["table-scroll", "footnote-definition"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_tables_accessibly() {
        let html = to_html("## Beds\n\n| Year | Beds |\n|---|---|\n| 2014 | 21 |\n");
        assert!(html.contains("<caption>Beds</caption>"), "{html}");
        assert!(html.contains("<th scope=\"col\">Year</th>"), "{html}");
        assert!(html.contains("<td>21</td>"), "{html}");
    }

    #[test]
    fn strips_scripts_and_handlers() {
        let html = to_html(
            "Hi <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))",
        );
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            escape_html("Bed & breakfast <£1,200> \"Dover's\" café"),
            "Bed &amp; breakfast &lt;£1,200&gt; &quot;Dover&#39;s&quot; café"
        );
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("plain – text"), "plain – text");
        assert_eq!(escape_html(""), "");
        assert_eq!(
            escape_html("''\"\"&&<<>>"),
            "&#39;&#39;&quot;&quot;&amp;&amp;&lt;&lt;&gt;&gt;"
        );
    }

    /// The same as escaping a character at a time, on strings of every mix of the five, plain
    /// ASCII and wider characters, long enough for the vectorised searches to matter.
    #[test]
    fn escapes_as_one_character_at_a_time() {
        fn by_character(text: &str) -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        }
        let pieces = [
            "&",
            "<",
            ">",
            "\"",
            "'",
            "a",
            "plain text of some length, ",
            "é",
            "£",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for length in 0..200 {
            let text: String = (0..length)
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect();
            assert_eq!(escape_html(&text), by_character(&text), "{text}");
        }
    }

    #[test]
    fn demotes_h1_and_smartens_quotes() {
        let html = to_html("# Title\n\n\"Quoted\" text");
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(html.contains("“Quoted”"), "{html}");
    }
}
