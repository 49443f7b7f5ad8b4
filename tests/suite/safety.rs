//! What "safe HTML" means for this site, checked on markup: no script-capable elements, no
//! event-handler attributes, no `javascript:`/`vbscript:`/`data:` URLs. A small tag and
//! attribute reader (quotes respected) rather than substring searches, so text that merely
//! mentions `javascript:` or `onload=` is not mistaken for markup. Shared with the fuzz
//! targets (`fuzz/fuzz_targets/markdown.rs` includes this file).

/// Elements that run code or load other documents: never anywhere.
const BANNED_ELEMENTS: [&str; 6] = ["script", "iframe", "frame", "frameset", "object", "embed"];

/// Elements the theme may use in a page's head but content may never bring in: styles,
/// forms, refreshes and base URLs change what a page does or where its links go.
const BANNED_IN_CONTENT: [&str; 7] = ["style", "form", "meta", "base", "link", "input", "button"];

/// Attributes whose value is a URL a browser may follow or load.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
    "background",
];

/// One start tag: its name (lowercase), its attributes (names lowercase) and where it starts.
pub struct Tag {
    /// The element's name.
    pub name: String,
    /// Its attributes, values as written (entities not decoded).
    pub attributes: Vec<(String, String)>,
    /// Byte offset of its `<`.
    pub at: usize,
}

impl Tag {
    /// The value of an attribute.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag in `html`, quoted and unquoted attribute values read as browsers do.
pub fn start_tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        let mut j = start + 1;
        if html[j..].starts_with("!--") {
            i = html[j..].find("-->").map_or(html.len(), |e| j + e + 3);
            continue;
        }
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_end = html[j..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |e| j + e);
        let name = html[j..name_end].to_ascii_lowercase();
        let (attributes, end) = read_attributes(html, name_end);
        i = end.max(start + 1);
        if closing
            || name.is_empty()
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            continue;
        }
        // The text of these elements is never markup (RCDATA and raw text): a browser reads
        // `<script>` inside `<title>` as words, and a theme may leave it unescaped there.
        if ["title", "textarea", "script", "style", "xmp"].contains(&name.as_str()) {
            let close = format!("</{name}");
            let lower = html[i..].to_ascii_lowercase();
            i = lower.find(&close).map_or(html.len(), |e| i + e);
        }
        tags.push(Tag {
            name,
            attributes,
            at: start,
        });
    }
    tags
}

/// The first thing in a whole page that could run code: a script other than
/// `allowed_scripts` (by `src`), a frame or plugin, an event handler or a dangerous URL.
pub fn first_unsafe(html: &str, allowed_scripts: &[&str]) -> Option<String> {
    check(html, allowed_scripts, &[])
}

/// The same for content (a Markdown body, a page's `<main>`), where styles, forms, `meta`,
/// `base` and `link` are refused too.
pub fn first_unsafe_content(html: &str) -> Option<String> {
    check(html, &[], &BANNED_IN_CONTENT)
}

fn check(html: &str, allowed_scripts: &[&str], also_banned: &[&str]) -> Option<String> {
    for tag in start_tags(html) {
        let name = tag.name.as_str();
        if BANNED_ELEMENTS.contains(&name) || also_banned.contains(&name) {
            let allowed =
                name == "script" && tag.get("src").is_some_and(|s| allowed_scripts.contains(&s));
            if !allowed {
                return Some(format!("a <{name}> element: {}", excerpt(html, tag.at)));
            }
        }
        for (attribute, value) in &tag.attributes {
            if attribute.starts_with("on") {
                return Some(format!(
                    "an event handler `{attribute}`: {}",
                    excerpt(html, tag.at)
                ));
            }
            if URL_ATTRIBUTES.contains(&attribute.as_str()) && dangerous_url(value) {
                return Some(format!(
                    "a dangerous URL in `{attribute}`: {}",
                    excerpt(html, tag.at)
                ));
            }
        }
    }
    None
}

/// Whether a URL, as a browser reads it (entities decoded, control characters and spaces
/// dropped, any case), uses a scheme that runs code or embeds a document.
pub fn dangerous_url(value: &str) -> bool {
    let decoded = decode_entities(value);
    let squeezed: String = decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| squeezed.starts_with(s))
}

fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let code = if let Some(hex) = entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = entity.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match entity {
                    "colon" => Some(58),
                    "amp" => Some(38),
                    "tab" | "Tab" => Some(9),
                    "newline" | "NewLine" => Some(10),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads `name="value"` pairs from `at` to the end of the tag; returns them and where the
/// tag ends.
fn read_attributes(html: &str, mut at: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return (found, at);
        }
        if bytes[at] == b'>' {
            return (found, at + 1);
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = html[at + 1..]
                        .find(q as char)
                        .map_or(html.len(), |e| at + 1 + e);
                    value = html[at + 1..end].to_string();
                    at = (end + 1).min(html.len());
                }
                _ => {
                    let end = html[at..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .map_or(html.len(), |e| at + e);
                    value = html[at..end].to_string();
                    at = end;
                }
            }
        }
        if name.is_empty() {
            at += 1;
        } else {
            found.push((name, value));
        }
    }
}

fn excerpt(html: &str, start: usize) -> String {
    html[start..].chars().take(120).collect()
}
