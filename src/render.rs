//! Rendering: Tera lays out each page's view with the theme's templates. Templates are parsed
//! once; each page gets its own view and the site's settings, nothing more.

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::model::{Brand, NavLink, Site};
use crate::theme::Theme;
use crate::views::{Page, PageMeta, RowList};

/// The parsed templates.
pub struct Renderer {
    tera: Tera,
    /// Whether pages are for `intentions serve`, whose theme adds its live-reload hook.
    serve: bool,
    /// Each template's source, to find the line of a render error (Tera does not give it).
    sources: std::collections::BTreeMap<String, String>,
}

/// Why a page written as it was laid out ([`Renderer::publish_to`]) is not whole.
#[derive(Debug)]
pub enum Unwritten {
    /// Its template failed: the diagnostic names the template and the page.
    Template(Diagnostic),
    /// What it was written to failed.
    Write(std::io::Error),
}

/// Passes writes on and keeps the first that failed, so that a page that could not be
/// written is told from a template that failed (Tera reports both as its own error).
struct Recording<'w> {
    out: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl Recording<'_> {
    fn kept<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let (Err(e), None) = (&result, &self.error) {
            self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
        result
    }
}

impl std::io::Write for Recording<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(buf);
        self.kept(written)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let written = self.out.write_all(buf);
        self.kept(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.out.flush();
        self.kept(flushed)
    }
}

/// What a browse page's template is given as `rows` while the page is rendered around them:
/// a comment, so that escaping it changes it (see [`Renderer::render_parts_to`]).
const ROWS_MARKER: &str = "<!--intentions: the rows go here-->";

/// What every template sees as `site`.
#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    navigation: &'a [NavLink],
    brand: &'a Brand,
}

impl Renderer {
    /// Parses every template of the theme, reporting each one that does not parse.
    pub fn new(theme: &Theme) -> Result<Self, Vec<Diagnostic>> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Unlike Tera's own escaping, this leaves `/` alone: escaping it protects nothing and
        // makes every address much longer. It escapes the same five characters otherwise.
        tera.set_escape_fn(crate::markdown::escape_html);
        let all: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .collect();
        if let Err(first) = tera.add_raw_templates(all) {
            // Tera stops at the first broken template: parse each alone to report them all.
            // (Only parse: alone, a template cannot find the one it extends or the macros it
            // imports, and that is not its fault.)
            let mut errors = Vec::new();
            for (name, source) in &theme.templates {
                if let Err(e) = tera::Template::new(name, None, source) {
                    errors.push(template_error(name, &e, Some(source)));
                }
            }
            if errors.is_empty() {
                // Every template parses alone, so one extends, includes or imports what is
                // not there.
                let name = match &first.kind {
                    tera::ErrorKind::MissingParent { current, .. } => current.as_str(),
                    _ => "the theme",
                };
                let source = theme.templates.get(name).map(String::as_str);
                errors.push(template_error(name, &first, source));
            }
            return Err(errors);
        }
        Ok(Renderer {
            tera,
            serve: false,
            sources: theme.templates.clone(),
        })
    }

    /// Renders pages for `intentions serve` (`serve` is true in every template) or not.
    pub fn serving(mut self, serve: bool) -> Self {
        self.serve = serve;
        self
    }

    /// Renders one page to HTML as published: the templates keep it compact themselves.
    pub fn publish(&self, site: &Site, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        self.render(site, page).map(String::into_bytes)
    }

    /// [`Renderer::publish`] for a page that is not needed afterwards: its view goes to the
    /// template as it is, not copied (a view can be most of a page's work).
    pub fn publish_owned(&self, site: &Site, page: Page) -> Result<Vec<u8>, Diagnostic> {
        // As Tera's own `render` starts its buffer. Tera writes only strings, so the bytes
        // are UTF-8 (the search index checks again those it reads).
        let mut html = Vec::with_capacity(2000);
        match self.publish_to(site, page, &mut html) {
            Ok(()) => Ok(html),
            Err(Unwritten::Template(d)) => Err(d),
            Err(Unwritten::Write(e)) => Err(Diagnostic::error(format!(
                "could not keep a rendered page in memory: {e}"
            ))),
        }
    }

    /// Renders one page to HTML.
    pub fn render(&self, site: &Site, page: &Page) -> Result<String, Diagnostic> {
        let html = self.publish_owned(site, page.clone())?;
        String::from_utf8(html).map_err(|e| {
            let error = tera::Error::msg(format!("the page is not UTF-8: {e}"));
            self.failed(page.template, &error, &page.url)
        })
    }

    /// [`Renderer::publish_owned`] written into `out` as it is laid out, so a big page (a
    /// market statement, a browse list) is never whole in memory: grown a copy at a time, the
    /// market statements alone took a few hundred megabytes of freshly cleared memory at
    /// 10,000 intentions. A failed page leaves part of itself in `out`.
    pub fn publish_to(
        &self,
        site: &Site,
        page: Page,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Unwritten> {
        let Page {
            url,
            template,
            meta,
            view,
            rows,
        } = page;
        let mut out = Recording { out, error: None };
        let done = self.render_parts_to(site, template, &url, &meta, view, rows.as_ref(), &mut out);
        match (done, out.error) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(error)) => Err(Unwritten::Write(error)),
            (Err(d), None) => Err(Unwritten::Template(d)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn render_parts_to(
        &self,
        site: &Site,
        template: &str,
        url: &str,
        meta: &PageMeta,
        view: serde_json::Value,
        rows: Option<&RowList>,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        let site = SiteContext {
            title: &site.title,
            description: &site.description,
            base_url: &site.base_url,
            language: &site.language,
            navigation: &site.navigation,
            brand: &site.brand,
        };
        let mut fields = serde_json::Map::new();
        fields.insert("site".into(), to_value(&site));
        fields.insert("page".into(), to_value(meta));
        fields.insert("url".into(), url.into());
        fields.insert("view".into(), view);
        fields.insert("serve".into(), self.serve.into());
        let Some(list) = rows else {
            return self.render_fields(template, fields, url, out);
        };
        let rows = self.lay_out_rows(list, url)?;
        if rows.is_empty() {
            fields.insert("rows".into(), "".into());
            return self.render_fields(template, fields, url, out);
        }
        // A browse list can be most of its page (15 MB of 16 at 10,000 intentions): the page
        // is rendered around a marker and the rows are copied once, straight after what
        // comes before them, rather than handed to Tera, copied and grown with its output. A
        // theme that does not write the marker exactly once as it is (it escapes `rows`,
        // filters it, or writes it twice) gets the rows themselves, as before.
        let mut marked = fields.clone();
        marked.insert("rows".into(), ROWS_MARKER.into());
        let mut around = Vec::new();
        self.render_fields(template, marked, url, &mut around)?;
        let around = String::from_utf8_lossy(&around);
        if let [before, after] = around.split(ROWS_MARKER).collect::<Vec<_>>()[..] {
            let written = std::iter::once(before)
                .chain(rows)
                .chain(std::iter::once(after))
                .try_for_each(|part| out.write_all(part.as_bytes()));
            return written.map_err(|e| self.failed(template, &tera::Error::io_error(e), url));
        }
        fields.insert("rows".into(), rows.concat().into());
        self.render_fields(template, fields, url, out)
    }

    /// Renders `template` with `fields` as its context into `out`.
    fn render_fields(
        &self,
        template: &str,
        fields: serde_json::Map<String, serde_json::Value>,
        url: &str,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Diagnostic> {
        // A context made from a value takes it over as it is.
        Context::from_value(serde_json::Value::Object(fields))
            .and_then(|context| self.tera.render_to(template, &context, out))
            .map_err(|e| self.failed(template, &e, url))
    }

    /// The rows a page lists, in its order, each laid out by the rows' template the first
    /// time any page lists it.
    fn lay_out_rows<'r>(&self, list: &'r RowList, url: &str) -> Result<Vec<&'r str>, Diagnostic> {
        let template = list.shared.template();
        list.picks
            .iter()
            .map(|&i| {
                list.shared
                    .laid_out(i, |row| {
                        let mut fields = serde_json::Map::new();
                        fields.insert("r".into(), row);
                        Context::from_value(serde_json::Value::Object(fields))
                            .and_then(|context| self.tera.render(template, &context))
                    })
                    .map_err(|e| self.failed(template, &e, url))
            })
            .collect()
    }

    /// A render error of `template` while rendering the page at `url`.
    fn failed(&self, template: &str, error: &tera::Error, url: &str) -> Diagnostic {
        let source = self.sources.get(template).map(String::as_str);
        let mut d = template_error(template, error, source);
        d.message = format!("{} (while rendering {url})", d.message);
        d
    }
}

/// The site's settings and a page's title, description and breadcrumbs are plain strings
/// and lists: serialising them cannot fail.
fn to_value<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// A Tera error as a diagnostic naming the template and, where it can be found, pointing at
/// the line: Tera's parse errors carry `--> line:column`; for a render error about a missing
/// variable, the first place the template uses that variable is the likely culprit.
fn template_error(name: &str, error: &tera::Error, source: Option<&str>) -> Diagnostic {
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = cause {
        let text = e.to_string();
        if !chain.contains(&text) {
            chain.push(text);
        }
        cause = e.source();
    }
    let full = chain.join(": ");
    let parse_position = full.split_once(" --> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((
            line.trim().parse::<usize>().ok()?,
            column.parse::<usize>().ok()?,
        ))
    });
    let (message, span) = match parse_position {
        Some((line, column)) => {
            // pest's report ends with `= reason`; the snippet it draws codespan draws again.
            let reason = full
                .lines()
                .rev()
                .find_map(|l| l.trim().strip_prefix("= "))
                .unwrap_or("a syntax error");
            let span = source
                .and_then(|s| offset_of(s, line, column))
                .map(|at| at..at + 1);
            (
                format!("template `{name}` cannot be parsed: {reason}"),
                span,
            )
        }
        None => {
            let span = culprit(&full).and_then(|variable| {
                let at = source?.find(variable)?;
                Some(at..at + variable.len())
            });
            (format!("template `{name}`: {full}"), span)
        }
    };
    Diagnostic::error(message)
        .in_file(format!("themes/default/templates/{name}"))
        .at(span)
        .with_hint("fix the template, or delete your override to use the built-in one")
}

/// What a render error names as missing: the variable of "Variable `x` not found", or the
/// template of "inheriting from 'x'" and "Template 'x' not found".
fn culprit(message: &str) -> Option<&str> {
    let between = |open: &str, close: char| -> Option<&str> {
        let rest = &message[message.find(open)? + open.len()..];
        Some(&rest[..rest.find(close)?])
    };
    between("Variable `", '`')
        .or_else(|| between("inheriting from '", '\''))
        .or_else(|| between("Template '", '\'').filter(|_| message.contains("not found")))
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>();
    let line_text = text.get(start..)?.lines().next().unwrap_or("");
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + within)
}

#[cfg(test)]
mod tests {
    use crate::markdown::escape_html as escape;

    #[test]
    fn escape_keeps_markup_out_and_slashes_as_they_are() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a> /path/"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; /path/"
        );
    }

    /// A page written as it is laid out: the same bytes as made whole, with and without rows
    /// spliced in; a writer that fails is told from a template that fails.
    #[test]
    fn a_page_written_as_laid_out_is_the_page_made_whole() {
        use super::{Renderer, Unwritten};
        use crate::views::{Page, PageMeta, RowList, SharedRows};
        let mut theme = crate::theme::Theme::default();
        for (name, source) in [
            (
                "p.html",
                r#"<h1>{{ page.title }}</h1>{{ view.x }}|{{ rows | default(value="") | safe }}|end"#,
            ),
            ("r.html", "<li>{{ r }}</li>"),
            ("broken.html", "{{ view.missing.field }}"),
        ] {
            theme.templates.insert(name.into(), source.into());
        }
        let renderer = Renderer::new(&theme).expect("templates parse");
        let site = crate::model::Site {
            title: "S".into(),
            description: String::new(),
            base_url: String::new(),
            language: "en".into(),
            navigation: Vec::new(),
            cross_references: Vec::new(),
            brand: crate::model::Brand {
                name: None,
                colour: "#000000".into(),
                logo: None,
                logo_alt: None,
            },
            ocid_prefix: String::new(),
        };
        let page = |template: &'static str, rows: Option<RowList>| Page {
            url: "/p/".into(),
            template,
            meta: PageMeta {
                title: "T & U".into(),
                description: String::new(),
                breadcrumbs: Vec::new(),
            },
            view: serde_json::json!({"x": "<x>"}),
            rows,
        };
        let rows = || {
            Some(RowList {
                shared: std::sync::Arc::new(SharedRows::new("r.html", vec!["a", "b<"])),
                picks: vec![1, 0, 1],
            })
        };
        for made in [page("p.html", None), page("p.html", rows())] {
            let whole = renderer.publish(&site, &made).expect("renders");
            let mut written = Vec::new();
            assert!(renderer.publish_to(&site, made, &mut written).is_ok());
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&whole)
            );
        }
        assert_eq!(
            renderer
                .publish(&site, &page("p.html", rows()))
                .map(String::from_utf8),
            Ok(Ok(
                "<h1>T &amp; U</h1>&lt;x&gt;|<li>b&lt;</li><li>a</li><li>b&lt;</li>|end".into()
            ))
        );

        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for made in [page("p.html", None), page("p.html", rows())] {
            match renderer.publish_to(&site, made, &mut Full) {
                Err(Unwritten::Write(e)) => assert_eq!(e.to_string(), "disk full"),
                other => panic!("expected a write error, got {other:?}"),
            }
        }
        match renderer.publish_to(&site, page("broken.html", None), &mut Vec::new()) {
            Err(Unwritten::Template(d)) => assert!(d.message.contains("broken.html"), "{d:?}"),
            other => panic!("expected a template error, got {other:?}"),
        }
    }

    /// Tera is patched to look dotted names up without copying their parts
    /// (vendor/README.md): names read as they did, in the page's context, in loops (over a
    /// list from the context or one a filter made) and in macros, `~1` and `~0` in a quoted
    /// part still standing for `/` and `~`.
    #[test]
    fn dotted_names_read_as_tera_reads_them() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates([
            (
                "m.html",
                "{% macro show(v) %}{{ v.a.b }}|{{ v.list.1.c }}{% endmacro show %}",
            ),
            (
                "t.html",
                concat!(
                    r#"{% import "m.html" as m %}{{ view.a.b }}|{{ view.list.0.c }}|"#,
                    r#"{{ view["x~1y"]["p~0q"] }}|{{ view["x/y"] | default(value="none") }}|"#,
                    r#"{% for i in view.list %}{{ i.c }},{{ view.a.b }};{% endfor %}|"#,
                    r#"{{ m::show(v=view) }}|{% set l = view.list %}{{ l.1.c }}|"#,
                    r#"{% for i in view.list | reverse %}{{ i.c }}:{{ i.d.e | default(value="-") }},{% endfor %}|"#,
                    r#"{% for k, v in view.a %}{{ k }}={{ v }}{% endfor %}"#
                ),
            ),
        ])
        .expect("templates parse");
        let view = serde_json::json!({
            "a": {"b": "ab"},
            "list": [{"c": 1}, {"c": 2, "d": {"e": "de"}}],
            "x/y": {"p~q": "escaped"},
        });
        let mut context = tera::Context::new();
        context.insert("view", &view);
        assert_eq!(
            tera.render("t.html", &context).expect("renders"),
            "ab|1|escaped|[object]|1,ab;2,ab;|ab|2|2|2:de,1:-,|b=ab"
        );
    }
}
