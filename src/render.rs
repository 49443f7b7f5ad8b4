//! Rendering: Tera lays out each page's view with the theme's templates. Templates are parsed
//! once; each page gets its own view and the site's settings, nothing more.

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::model::{Brand, NavLink, Site};
use crate::theme::Theme;
use crate::views::Page;

/// The parsed templates.
pub struct Renderer {
    tera: Tera,
    /// Whether pages are for `intentions serve`, whose theme adds its live-reload hook.
    serve: bool,
}

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
        let all: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_str()))
            .collect();
        if let Err(first) = tera.add_raw_templates(all) {
            // Tera stops at the first broken template: parse each alone to report them all.
            // Alone, a template cannot find the one it extends; that is not its fault.
            let mut errors = Vec::new();
            for (name, source) in &theme.templates {
                if let Err(e) = Tera::default().add_raw_template(name, source) {
                    if !matches!(e.kind, tera::ErrorKind::MissingParent { .. }) {
                        errors.push(template_error(name, &e));
                    }
                }
            }
            if errors.is_empty() {
                errors.push(template_error("the theme", &first));
            }
            return Err(errors);
        }
        Ok(Renderer { tera, serve: false })
    }

    /// Renders pages for `intentions serve` (`serve` is true in every template) or not.
    pub fn serving(mut self, serve: bool) -> Self {
        self.serve = serve;
        self
    }

    /// Renders one page to HTML as published: minified.
    pub fn publish(&self, site: &Site, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        self.render(site, page)
            .map(|html| crate::output::minify(html.as_bytes()))
    }

    /// Renders one page to HTML.
    pub fn render(&self, site: &Site, page: &Page) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert(
            "site",
            &SiteContext {
                title: &site.title,
                description: &site.description,
                base_url: &site.base_url,
                language: &site.language,
                navigation: &site.navigation,
                brand: &site.brand,
            },
        );
        context.insert("page", &page.meta);
        context.insert("url", &page.url);
        context.insert("view", &page.view);
        context.insert("serve", &self.serve);
        self.tera.render(page.template, &context).map_err(|e| {
            let mut d = template_error(page.template, &e);
            d.message = format!("{} (while rendering {})", d.message, page.url);
            d
        })
    }
}

/// A Tera error as a diagnostic naming the template; Tera puts the line, when it knows it,
/// in the messages of its error chain.
fn template_error(name: &str, error: &tera::Error) -> Diagnostic {
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        let text = e.to_string();
        if !chain.contains(&text) {
            chain.push(text);
        }
        source = e.source();
    }
    Diagnostic::error(format!("template `{name}`: {}", chain.join(": ")))
        .in_file(format!("themes/default/templates/{name}"))
        .with_hint("fix the template, or delete your override to use the built-in one")
}
