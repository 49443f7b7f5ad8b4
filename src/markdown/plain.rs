//! A body with no raw HTML written straight to the HTML that ammonia makes of pulldown-cmark's
//! (html5ever's spelling: `<br>`, not `<br />`; only `&`, `<`, `>` and no-break spaces
//! escaped in text; links marked `noopener noreferrer`; only allowed URLs kept), without
//! writing it, parsing it and writing it again.
//!
//! Anything it does not write exactly as ammonia would (a heading's classes, a footnote
//! inside a link, a carriage return, an event the body's options cannot make) gives `None`,
//! and the caller takes the body through ammonia instead. The tests check both ways agree.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::Piece;

/// What ammonia adds to every link.
const LINK_REL: &str = "noopener noreferrer";

/// The body's pieces as sanitised HTML, or `None` when only ammonia can say.
pub(super) fn write(pieces: &[Piece], length: usize) -> Option<String> {
    let mut writer = Writer {
        out: String::with_capacity(length * 3 / 2),
        end_newline: true,
        numbers: HashMap::new(),
        links: 0,
    };
    let mut rest = pieces.iter();
    while let Some(piece) = rest.next() {
        match piece {
            Piece::Event(Event::Start(Tag::Image {
                dest_url, title, ..
            })) => writer.image(dest_url, title, &mut rest)?,
            Piece::Event(event) => writer.event(event)?,
            Piece::TableStart(caption) => {
                writer.write("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\"");
                writer.attribute("aria-label", caption)?;
                writer.write("><table><caption>");
                writer.text(caption)?;
                writer.write("</caption>");
            }
            Piece::TableEnd => writer.write("</tbody></table></div>"),
            Piece::HeadStart => writer.write("<thead><tr>"),
            Piece::HeadEnd => writer.write("</tr></thead><tbody>"),
            Piece::RowStart => writer.write("<tr>"),
            Piece::RowEnd => writer.write("</tr>"),
            Piece::CellStart(true) => writer.write("<th scope=\"col\">"),
            Piece::CellStart(false) => writer.write("<td>"),
            Piece::CellEnd(true) => writer.write("</th>"),
            Piece::CellEnd(false) => writer.write("</td>"),
        }
    }
    // Copied into room of its exact size: bodies are kept for the whole build, and the
    // writer's room was a guess (shrinking in place gives nothing back to the allocator).
    Some(String::from(writer.out.as_str()))
}

/// pulldown-cmark's HTML writer for the events a body without raw HTML has, spelling what it
/// writes as html5ever does.
struct Writer {
    out: String,
    /// Whether what is written so far ends a line: blocks start on a new line.
    end_newline: bool,
    /// Footnotes' numbers, in the order first referred to or defined.
    numbers: HashMap<String, usize>,
    /// How many links are open: a footnote's link inside one would be undone by the parser.
    links: usize,
}

impl Writer {
    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        if !text.is_empty() {
            self.end_newline = text.ends_with('\n');
        }
    }

    /// A block's start tag, on a line of its own.
    fn block(&mut self, tag: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.write(tag);
    }

    fn event(&mut self, event: &Event) -> Option<()> {
        match event {
            Event::Start(tag) => self.start(tag)?,
            Event::End(tag) => self.end(*tag)?,
            Event::Text(text) => {
                self.text(text)?;
                self.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                self.write("<code>");
                self.text(text)?;
                self.write("</code>");
            }
            Event::SoftBreak => self.write("\n"),
            Event::HardBreak => self.write("<br>\n"),
            Event::Rule => self.block("<hr>\n"),
            Event::FootnoteReference(name) => {
                if self.links > 0 {
                    return None;
                }
                let number = self.number(name);
                self.write("<sup class=\"footnote-reference\"><a");
                self.attribute("href", &format!("#{name}"))?;
                self.attribute("rel", LINK_REL)?;
                self.write(&format!(">{number}</a></sup>"));
            }
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::TaskListMarker(_) => return None,
        }
        Some(())
    }

    fn start(&mut self, tag: &Tag) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                // ammonia keeps an id on h2 to h6 and drops classes and other attributes.
                if !classes.is_empty() || !attrs.is_empty() {
                    return None;
                }
                self.block(&format!("<{level}"));
                if let Some(id) = id {
                    if *level == HeadingLevel::H1 {
                        return None;
                    }
                    self.attribute("id", id)?;
                }
                self.write(">");
            }
            Tag::BlockQuote(None) => self.block("<blockquote>\n"),
            Tag::BlockQuote(Some(_)) => return None,
            // ammonia drops a fenced block's `language-` class.
            Tag::CodeBlock(CodeBlockKind::Indented | CodeBlockKind::Fenced(_)) => {
                self.block("<pre><code>")
            }
            Tag::List(Some(1)) => self.block("<ol>\n"),
            Tag::List(Some(start)) => self.block(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            Tag::Emphasis => self.write("<em>"),
            Tag::Strong => self.write("<strong>"),
            Tag::Strikethrough => self.write("<del>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                if self.links > 0 {
                    return None;
                }
                self.links += 1;
                self.write("<a");
                let scheme = if *link_type == LinkType::Email {
                    "mailto:"
                } else {
                    ""
                };
                self.address("href", scheme, dest_url)?;
                if !title.is_empty() {
                    self.attribute("title", title)?;
                }
                self.attribute("rel", LINK_REL)?;
                self.write(">");
            }
            Tag::FootnoteDefinition(name) => {
                let number = self.number(name);
                self.block("<div class=\"footnote-definition\"");
                self.attribute("id", name)?;
                self.write(&format!(
                    "><sup class=\"footnote-definition-label\">{number}</sup>"
                ));
            }
            // Tables come as pieces, images are written whole; the rest the options leave out.
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        match tag {
            TagEnd::Paragraph => self.write("</p>\n"),
            TagEnd::Heading(level) => self.write(&format!("</{level}>\n")),
            TagEnd::BlockQuote(_) => self.write("</blockquote>\n"),
            TagEnd::CodeBlock => self.write("</code></pre>\n"),
            TagEnd::List(true) => self.write("</ol>\n"),
            TagEnd::List(false) => self.write("</ul>\n"),
            TagEnd::Item => self.write("</li>\n"),
            TagEnd::Emphasis => self.write("</em>"),
            TagEnd::Strong => self.write("</strong>"),
            TagEnd::Strikethrough => self.write("</del>"),
            TagEnd::Link => {
                self.links -= 1;
                self.write("</a>");
            }
            TagEnd::FootnoteDefinition => self.write("</div>\n"),
            _ => return None,
        }
        Some(())
    }

    /// An image: its alt text is the plain text of what its brackets hold, to their end.
    fn image<'p, 'a: 'p>(
        &mut self,
        dest_url: &str,
        title: &str,
        rest: &mut impl Iterator<Item = &'p Piece<'a>>,
    ) -> Option<()> {
        let mut alt = String::new();
        let mut depth = 0;
        for piece in rest.by_ref() {
            match piece {
                Piece::Event(Event::Start(_)) => depth += 1,
                Piece::Event(Event::End(_)) if depth == 0 => break,
                Piece::Event(Event::End(_)) => depth -= 1,
                Piece::Event(Event::Text(text) | Event::Code(text)) => alt.push_str(text),
                Piece::Event(Event::SoftBreak | Event::HardBreak | Event::Rule) => alt.push(' '),
                Piece::Event(Event::FootnoteReference(name)) => {
                    let number = self.number(name);
                    alt.push_str(&format!("[{number}]"));
                }
                _ => return None,
            }
        }
        self.write("<img");
        self.address("src", "", dest_url)?;
        self.attribute("alt", &alt)?;
        if !title.is_empty() {
            self.attribute("title", title)?;
        }
        self.write(">");
        Some(())
    }

    /// A footnote's number: the next one the first time its name is seen.
    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    /// Text as html5ever writes it.
    fn text(&mut self, text: &str) -> Option<()> {
        escape_into(text, false, &mut self.out)?;
        if !text.is_empty() {
            self.end_newline = text.ends_with('\n');
        }
        Some(())
    }

    /// ` name="value"`, the value as html5ever writes it.
    fn attribute(&mut self, name: &str, value: &str) -> Option<()> {
        self.write(" ");
        self.write(name);
        self.write("=\"");
        escape_into(value, true, &mut self.out)?;
        self.write("\"");
        Some(())
    }

    /// A link's or image's address, `scheme` before it, as attribute `name`: as pulldown-cmark
    /// writes it and the parser reads it back, and only if ammonia would keep it.
    fn address(&mut self, name: &str, scheme: &str, url: &str) -> Option<()> {
        let mut address = String::from(scheme);
        href_encode(url, &mut address);
        if url_allowed(&address) {
            self.attribute(name, &address)?;
        }
        Some(())
    }
}

/// Appends `text` escaped as html5ever's serialiser does (`&`, `<`, `>` and U+00A0, and `"`
/// in attributes), or gives `None` for a character the HTML parser would not keep as it is
/// (a carriage return becomes a newline, a NUL is dropped or replaced).
fn escape_into(text: &str, attribute: bool, out: &mut String) -> Option<()> {
    // A byte at a time: every text of every body comes through here. Each byte replaced
    // starts a character (all are ASCII but U+00A0, which UTF-8 writes 0xC2 0xA0).
    let bytes = text.as_bytes();
    let mut plain = 0;
    let mut at = 0;
    while at < bytes.len() {
        let (entity, length) = match &bytes[at..] {
            [b'&', ..] => ("&amp;", 1),
            [b'<', ..] => ("&lt;", 1),
            [b'>', ..] => ("&gt;", 1),
            [b'"', ..] if attribute => ("&quot;", 1),
            [0xc2, 0xa0, ..] => ("&nbsp;", 2),
            [b'\r' | b'\0', ..] => return None,
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&text[plain..at]);
        out.push_str(entity);
        at += length;
        plain = at;
    }
    out.push_str(&text[plain..]);
    Some(())
}

/// The bytes pulldown-cmark leaves as they are in a link's address (its `HREF_SAFE`):
/// ASCII letters, digits and `-_.+!*(),%#@?=;:/$~` (and `&` and `'`, which it escapes as
/// entities, so the parser reads them back as they were).
fn href_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-_.+!*(),%#@?=;:/$~&'".contains(&byte)
}

/// Appends a link's address as pulldown-cmark writes it and the HTML parser reads it back:
/// every other byte percent-encoded.
fn href_encode(url: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in url.as_bytes() {
        if href_safe(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
}

/// Whether ammonia keeps an address: a relative one, or an absolute one with an allowed
/// scheme that parses.
fn url_allowed(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(parsed) => super::URL_SCHEMES.contains(&parsed.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}
