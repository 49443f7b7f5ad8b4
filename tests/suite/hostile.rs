//! Hostile content: known XSS payloads in Markdown bodies and in front-matter fields are
//! built into a site, and no output file may carry a script (other than the theme's own), an
//! event handler, a `javascript:`/`vbscript:`/`data:` URL or a frame. External links get
//! `rel` with `noopener`.

use std::path::Path;

use crate::fixture::Site;
use crate::safety::{dangerous_url, first_unsafe, first_unsafe_content, start_tags};

/// Payloads from the usual XSS cheat sheets, one a line, as an editor might paste them.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script/x>alert(1)</script>",
    "<<script>alert(1);//<</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=\"jav&#x09;ascript:alert(1)\">",
    "<img src=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<img \"\"\"><script>alert(1)</script>\">",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">click</a>",
    "<a href=\" javascript:alert(1)\">click</a>",
    "<a href=\"java\nscript:alert(1)\">click</a>",
    "<a href=\"&#x6A;avascript:alert(1)\">click</a>",
    "<a href=\"javascript&colon;alert(1)\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">click</a>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\" onmouseover=alert(1)>hover</a>",
    "[md link](javascript:alert(1))",
    "[md link upper](JAVASCRIPT:alert(1))",
    "[md link entity](javascript&#58;alert(1))",
    "[md data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![md image](javascript:alert(1))",
    "![md vb](vbscript:alert(1))",
    "<https://external.example/autolink>",
    "[external](https://external.example/page)",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<IFRAME SRC=javascript:alert(1)></IFRAME>",
    "<frameset><frame src=\"javascript:alert(1)\"></frameset>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">CLICKME</math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background-image: url(javascript:alert(1))\">styled</div>",
    "<p style=\"x:expression(alert(1))\">ie</p>",
    "<form action=\"javascript:alert(1)\"><input type=submit formaction=\"javascript:alert(2)\"></form>",
    "<button formaction=\"javascript:alert(1)\">go</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select onchange=alert(1)><option>1</option></select>",
    "<textarea onfocus=alert(1) autofocus>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<div onclick\n=alert(1)>newline before equals</div>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<a href=\"#\" ONCLICK=\"alert(1)\">upper handler</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
];

/// The theme's own scripts, which are allowed.
const THEME_SCRIPTS: &[&str] = &[
    "/pagefind/pagefind-ui.js",
    "/__intentions/reload.js",
    "/browse.js",
];

/// A YAML double-quoted string holding `text`.
fn quoted(text: &str) -> String {
    format!("{text:?}")
}

fn hostile_site() -> Site {
    let site = Site::new();
    let mut body = String::from("## Pasted from an email\n\n");
    for p in PAYLOADS {
        body.push_str(p);
        body.push_str("\n\n");
    }
    let field = |i: usize| quoted(PAYLOADS[i % PAYLOADS.len()]);
    let intention = format!(
        "---
title: {title}
reference: {reference}
summary: {summary}
organisation: shire-ccg
priorities: [stroke]
service_areas: [residential-care]
signal: grow
targets:
  - measure: {measure}
    value: 3
    unit: {unit}
budget:
  amount: 100
  kind: spend
  note: {note}
milestones:
  - date: 2014-04-01
    label: {label}
procurement:
  route: {route}
  expected: 2014-09
outcomes: [{outcome}]
rationale: [{rationale}]
measures: [{measures}]
risks: [{risk}]
---
{body}",
        title = quoted("Beds <script>alert('title')</script> \"><img src=x onerror=alert(1)>"),
        reference = field(5),
        summary = field(11),
        measure = field(33),
        unit = field(6),
        note = field(19),
        label = field(28),
        route = field(44),
        outcome = field(0),
        rationale = field(37),
        measures = field(47),
        risk = field(61),
    );
    site.write("content/intentions/shire-ccg/hostile.md", &intention);
    // The Markdown-only payloads on their own: a body with no raw HTML is written without
    // ammonia (src/markdown/plain.rs), and must be as safe.
    let mut markdown_only = String::from("## Links pasted on their own\n\n");
    for p in PAYLOADS
        .iter()
        .filter(|p| p.starts_with(['[', '!', '&']) || p.starts_with("<https"))
    {
        markdown_only.push_str(p);
        markdown_only.push_str("\n\n");
    }
    markdown_only.push_str("[md link spaced]( javascript:alert(1))\n\n[md vb upper](VBScript:x)\n");
    site.write(
        "content/intentions/shire-ccg/hostile-markdown.md",
        &format!(
            "---\ntitle: Links pasted alone\norganisation: shire-ccg\npriorities: [stroke]\nservice_areas: [residential-care]\nsignal: grow\n---\n{markdown_only}"
        ),
    );
    site.edit(
        "content/organisations/shire-council.md",
        "contact:\n  email: care@shire.example\n",
        &format!(
            "website: https://shire.example/?q=\"><script>alert(1)</script>\ncontact:\n  name: {}\n  team: {}\n  email: {}\n  phone: {}\n  address: {}\n  url: \"https://shire.example/contact?x=<script>\"\n",
            quoted("<script>alert('name')</script>"),
            quoted("<img src=x onerror=alert('team')>"),
            quoted("x\"onmouseover=alert(1)@shire.example"),
            quoted("<a href=javascript:alert(1)>call</a>"),
            quoted("<iframe src=javascript:alert(1)>"),
        ),
    );
    site.edit(
        "content/organisations/shire-council.md",
        "name: Shire County Council",
        "name: \"Shire <svg onload=alert(1)> Council\"",
    );
    site.edit(
        "content/areas/shire.md",
        "summary: A county.",
        "summary: \"A county <script>alert(1)</script>\"",
    );
    site.edit(
        "content/market/residential-care.md",
        "summary: Demand is rising.",
        "summary: \"Demand <img src=x onerror=alert(1)> is rising\"",
    );
    site.write(
        "content/organisations/shire-council.md",
        &format!(
            "{}\n{}",
            site.read("content/organisations/shire-council.md"),
            body
        ),
    );
    site
}

/// The search page without the theme's own inline module (its search box), which is the
/// one inline script the site has; a second one would still be caught.
fn without_theme_module(path: &str, html: &str) -> String {
    if path != "search/index.html" {
        return html.to_string();
    }
    let start = html
        .find("<script type=\"module\">")
        .expect("the search page's module");
    let end = start + html[start..].find("</script>").expect("its end") + "</script>".len();
    assert!(
        html[start..end].contains("pagefind"),
        "the module is the theme's search box"
    );
    format!("{}{}", &html[..start], &html[end..])
}

/// A page's `<main>` element, where content goes.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html[start..]
        .find("</main>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// The browse pages' filter form is the theme's (it filters the table in place and submits
/// nowhere); what is left of `<main>` is content.
fn without_browse_form(main: &str) -> String {
    let Some(start) = main.find("<form") else {
        return main.to_string();
    };
    let end = start + main[start..].find("</form>").expect("the form's end") + "</form>".len();
    let form = &main[start..end];
    assert!(
        form.contains("id=\"browse-form\"") && !form.contains("action="),
        "a form that is not the theme's filter form: {form}"
    );
    format!("{}{}", &main[..start], &main[end..])
}

/// Every built file, by path inside `public/`, as text.
fn output_files(public: &Path) -> Vec<(String, String)> {
    crate::fixture::snapshot(public)
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

#[test]
fn no_payload_reaches_any_output_file() {
    let site = hostile_site();
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    let files = output_files(&site.path("public"));
    let mut pages = 0;
    for (path, text) in &files {
        if path.starts_with("pagefind/") {
            // Pagefind's own bundle and its index fragments (compressed) are not pages.
            continue;
        }
        if path.ends_with(".html") {
            pages += 1;
            let text = without_theme_module(path, text);
            if let Some(problem) = first_unsafe(&text, THEME_SCRIPTS) {
                panic!("{path} has {problem}");
            }
            // The search page's form is the theme's; it shows no content.
            let content = if path == "search/index.html" {
                String::new()
            } else {
                without_browse_form(main_of(&text))
            };
            if let Some(problem) = first_unsafe_content(&content) {
                panic!("{path} has in <main> {problem}");
            }
        } else if path.ends_with(".xml") {
            // Feeds carry titles and summaries as text (no `type="html"`), so escaped
            // markup in them is text to a reader too: only real elements matter.
            assert!(
                !text.contains("type=\"html\""),
                "{path} now carries HTML: check it"
            );
            if let Some(problem) = first_unsafe(text, &[]) {
                panic!("{path} has {problem}");
            }
        }
    }
    assert!(pages > 10, "only {pages} pages were checked");
    let page = site.read("public/intentions/shire-ccg/hostile/index.html");
    assert!(
        page.contains("Pasted from an email"),
        "the body is still shown"
    );
    let markdown_only = site.read("public/intentions/shire-ccg/hostile-markdown/index.html");
    assert!(
        markdown_only.contains("Links pasted on their own")
            && markdown_only.contains(">md link</a>")
            && markdown_only.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the Markdown-only body is shown, its links as links without their addresses"
    );
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "a title is shown as text, not markup"
    );
}

#[test]
fn external_links_get_noopener() {
    let site = hostile_site();
    assert!(site.build().ok);
    for page in ["hostile", "hostile-markdown"] {
        external_links_have_noopener(
            &site.read(&format!("public/intentions/shire-ccg/{page}/index.html")),
        );
    }
}

fn external_links_have_noopener(page: &str) {
    let mut externals = 0;
    for tag in start_tags(page).iter().filter(|t| t.name == "a") {
        if tag
            .get("href")
            .is_some_and(|h| h.starts_with("https://external.example"))
        {
            externals += 1;
            let rel = tag.get("rel").unwrap_or("");
            assert!(
                rel.split_whitespace().any(|r| r == "noopener"),
                "rel={rel:?}"
            );
        }
    }
    assert!(externals >= 2, "both external links are there: {externals}");
}

#[test]
fn a_script_address_in_a_link_field_is_refused() {
    let site = Site::new();
    site.edit(
        "content/organisations/shire-council.md",
        "area: shire\n",
        "area: shire\nwebsite: \"javascript:alert(1)\"\n",
    );
    site.edit(
        "content/organisations/shire-council.md",
        "  email: care@shire.example\n",
        "  email: care@shire.example\n  url: \" JaVaScRiPt:alert(2)\"\n",
    );
    site.write(
        "content/site.yaml",
        &format!(
            "{}brand:\n  logo: \"data:image/svg+xml,<svg onload=alert(1)>\"\n  logo_alt: Shire\n",
            crate::fixture::SITE
        ),
    );
    let checked = site.check();
    checked.find("`website` is not a web address");
    checked.find("`contact.url` is not a web address");
    checked.find("`brand.logo` is not a web address");
}

#[test]
fn the_checker_sees_what_browsers_run() {
    assert!(first_unsafe("<a href=\"JaVa&#x09;script:x\">", &[]).is_some());
    assert!(first_unsafe(
        "<p title=\"onload=x javascript:y\">javascript: onclick=</p>",
        &[]
    )
    .is_none());
    assert!(first_unsafe("<img src=x ONERROR=y>", &[]).is_some());
    assert!(first_unsafe("<title><script>x</script></title><p>", &[]).is_none());
    assert!(first_unsafe("<title>a</title><script>x</script>", &[]).is_some());
    assert!(first_unsafe("<script src=\"/ok.js\"></script>", &["/ok.js"]).is_none());
    assert!(dangerous_url(" java\tscript:alert(1)"));
    assert!(!dangerous_url("https://example.org/javascript:"));
}
