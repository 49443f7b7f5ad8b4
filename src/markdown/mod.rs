//! Markdown bodies to safe HTML: pulldown-cmark with tables, footnotes, heading ids and smart
//! punctuation, tables made accessible, then ammonia so no script or handler reaches a page.
//! A body with no raw HTML is written directly as ammonia would leave it (`plain`).

mod plain;

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
    let (parsed, raw_html) = parse(markdown);
    let pieces = accessible(parsed);
    // Most bodies are plain Markdown: pulldown-cmark's HTML parsed again by html5ever and
    // cleaned by ammonia was about a twentieth of a large build, to change nothing but
    // spelling. Raw HTML, and anything `plain` does not write exactly as ammonia would,
    // still goes through ammonia.
    if !raw_html {
        if let Some(html) = plain::write(&pieces, markdown.len()) {
            return html;
        }
    }
    sanitised(pieces, markdown.len())
}

/// The body's events, parsed once (whether headings move down depends on every heading in
/// it), and whether it has raw HTML.
fn parse(markdown: &str) -> (Vec<Event<'_>>, bool) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    let parsed: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let raw_html = parsed
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    (parsed, raw_html)
}

/// A body's HTML through pulldown-cmark's writer and ammonia.
fn sanitised(pieces: Vec<Piece>, length: usize) -> String {
    let mut html = String::with_capacity(length * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, pieces.into_iter().map(Piece::into_event));
    sanitizer().clean(&html).to_string()
}

/// A part of a body after headings have moved down: a Markdown event, or a part of a table
/// as it is made accessible.
enum Piece<'a> {
    Event(Event<'a>),
    /// A table's scrolling region, the table and its caption (the text, not escaped).
    TableStart(String),
    TableEnd,
    HeadStart,
    HeadEnd,
    RowStart,
    RowEnd,
    /// A cell, in the head row or not.
    CellStart(bool),
    CellEnd(bool),
}

impl<'a> Piece<'a> {
    /// The piece as an event for pulldown-cmark's writer: table parts as HTML.
    fn into_event(self) -> Event<'a> {
        let html = |text: &'static str| Event::Html(CowStr::from(text));
        match self {
            Piece::Event(event) => event,
            Piece::TableStart(caption) => {
                let caption = escape_html(&caption);
                Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{caption}\"><table><caption>{caption}</caption>"
                )))
            }
            Piece::TableEnd => html("</tbody></table></div>"),
            Piece::HeadStart => html("<thead><tr>"),
            Piece::HeadEnd => html("</tr></thead><tbody>"),
            Piece::RowStart => html("<tr>"),
            Piece::RowEnd => html("</tr>"),
            Piece::CellStart(true) => html("<th scope=\"col\">"),
            Piece::CellStart(false) => html("<td>"),
            Piece::CellEnd(true) => html("</th>"),
            Piece::CellEnd(false) => html("</td>"),
        }
    }
}

/// The body's events with headings moved down when it has an `h1`, and its tables as
/// accessible pieces: captioned by the heading above them, head cells with a scope.
fn accessible(parsed: Vec<Event>) -> Vec<Piece> {
    let has_h1 = parsed.iter().any(|e| {
        matches!(
            e,
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })
        )
    });
    let mut pieces = Vec::with_capacity(parsed.len());
    let mut last_heading = String::new();
    let mut in_heading = false;
    let mut in_table_head = false;
    let mut tables = 0;
    for event in parsed {
        let piece = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                in_heading = true;
                last_heading.clear();
                let level = if has_h1 { demote(level) } else { level };
                Piece::Event(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }))
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = false;
                let level = if has_h1 { demote(level) } else { level };
                Piece::Event(Event::End(TagEnd::Heading(level)))
            }
            Event::Text(ref text) if in_heading => {
                last_heading.push_str(text);
                Piece::Event(event)
            }
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                Piece::TableStart(if last_heading.trim().is_empty() {
                    format!("Table {tables}")
                } else {
                    last_heading.trim().to_string()
                })
            }
            Event::End(TagEnd::Table) => Piece::TableEnd,
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                Piece::HeadStart
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                Piece::HeadEnd
            }
            Event::Start(Tag::TableRow) => Piece::RowStart,
            Event::End(TagEnd::TableRow) => Piece::RowEnd,
            Event::Start(Tag::TableCell) => Piece::CellStart(in_table_head),
            Event::End(TagEnd::TableCell) => Piece::CellEnd(in_table_head),
            other => Piece::Event(other),
        };
        pieces.push(piece);
    }
    pieces
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

/// The schemes a link or image address may have (relative addresses are kept too).
const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

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
            .url_schemes(HashSet::from(URL_SCHEMES));
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

    /// A body through `plain` and through ammonia (it must have no raw HTML).
    fn both_ways(markdown: &str) -> (Option<String>, String) {
        let (parsed, raw_html) = parse(markdown);
        assert!(!raw_html, "{markdown:?} has raw HTML");
        let pieces = accessible(parsed);
        (
            plain::write(&pieces, markdown.len()),
            sanitised(pieces, markdown.len()),
        )
    }

    /// Bodies written directly are what ammonia makes of pulldown-cmark's HTML, byte for byte,
    /// on bodies drawn from every construct the options allow, with the characters that
    /// escape differently, addresses ammonia keeps and drops, and footnotes in odd places.
    #[test]
    fn plain_bodies_are_written_as_ammonia_would_leave_them() {
        let blocks = [
            "# Title {#top}\n",
            "## Beds & places <2026>\n",
            "### Heading {.wide}\n",
            "#### Heading {#id-4 data-x=y}\n",
            "Plain text with \"quotes\" and 'apostrophes' -- and dashes...\n",
            "Text with a\u{a0}no-break space, a tab\tand ünïcödé £1,200.\n",
            "*em* **strong** ~~struck~~ `code <b> & \"q\"` _also em_\n",
            "A line with a hard break  \nand a backslash one\\\nend.\n",
            "[link](https://example.org/a?b=1&c=2 \"Title & 'more'\")\n",
            "[relative](/market/home-care/#x) and [anchor](#section)\n",
            "[bad](javascript:alert(1)) and [data](data:text/html,x) and [ftp](ftp://x.org/)\n",
            "[empty host](https://) and [spaces](<a b c>) and [quote](a\"b'c)\n",
            "[mail](mailto:someone@example.org) <https://auto.example.org/x> <me@example.org>\n",
            "[tel](tel:+441234567890) [Upper](HTTPS://EXAMPLE.ORG) [unicode](https://exämple.org/ü)\n",
            "![alt *with* `code`](/img/a.png \"An image\") ![bad](javascript:x)\n",
            "[![inner](/i.png)](https://example.org)\n",
            "A note[^1] and another[^two] and again[^1].\n",
            "[^1]: The first note, with *emphasis*.\n",
            "[^two]: The second & last.\n",
            "[a link with a note[^1]](https://example.org)\n",
            "- one\n- two\n  - nested *three*\n",
            "1. first\n2. second\n",
            "3. starts at three\n4. four\n",
            "- loose\n\n- list\n",
            "> quoted\n> > nested quote\n",
            "```rust\nfn main() { let a = \"<&>\"; }\n```\n",
            "```\nplain fence\n\n  indented\n```\n",
            "    indented code & <tags\n",
            "---\n",
            "| Year | Beds |\n|---|:-:|\n| 2014 | 21 |\n| *x* | [l](/a) |\n",
            "| Only | Head |\n|---|---|\n",
            "Entities: &amp; &lt; &copy; &#128; &#0; &nbsp; &quot;\n",
            "Controls: \u{1}\u{b}\u{c}\u{7f}\u{80}\u{9f}\u{feff}\u{fffe} end\n",
            "Carriage\r\nreturn\n",
            "NUL \u{0} here\n",
            "Heading\n===\n",
            "Setext two\n---\n",
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        let mut written = 0;
        for length in 0..600 {
            let body: String = (0..length % 12 + 1)
                .map(|_| {
                    let block = blocks[rng.usize(..blocks.len())];
                    let gap = ["\n", "", "\n\n"][rng.usize(..3)];
                    format!("{block}{gap}")
                })
                .collect();
            let (direct, through_ammonia) = both_ways(&body);
            if let Some(direct) = direct {
                assert_eq!(direct, through_ammonia, "{body:?}");
                written += 1;
            }
        }
        // Most bodies must take the quicker way, or it saves nothing.
        assert!(
            written > 300,
            "only {written} of 600 bodies were written directly"
        );
        for body in blocks {
            let (direct, through_ammonia) = both_ways(body);
            if let Some(direct) = direct {
                assert_eq!(direct, through_ammonia, "{body:?}");
            }
        }
    }

    #[test]
    fn bodies_with_raw_html_or_odd_markup_go_through_ammonia() {
        for body in ["### Heading {.wide}\n", "A NUL in `code \u{0}`\n"] {
            assert_eq!(both_ways(body).0, None, "{body:?}");
        }
        let html = to_html("Hi <b onclick=\"x()\">there</b>");
        assert!(html.contains("<b>there</b>"), "{html}");
    }

    #[test]
    fn demotes_h1_and_smartens_quotes() {
        let html = to_html("# Title\n\n\"Quoted\" text");
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(html.contains("“Quoted”"), "{html}");
    }
}
