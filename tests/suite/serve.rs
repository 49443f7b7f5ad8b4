//! `intentions serve`: the real server on a free loopback port, started in-process, asked
//! over raw HTTP/1.1. Edits are seen, broken edits keep the last good site under an overlay,
//! nothing outside the site is served, and incremental rebuilds equal a clean build.
//!
//! Waiting is bounded polling: each wait gives up after `WAIT` and fails the test.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use intentions::serve::incremental::Engine;
use intentions::serve::{self, Options, Server};

use crate::fixture::{Site, STROKE};

/// The longest any change may take to be served before a test fails.
const WAIT: Duration = Duration::from_secs(30);

const STROKE_PAGE: &str = "/intentions/shire-ccg/stroke-unit/";
const BEDS_FILE: &str = "content/intentions/shire-council/short-stay-beds.md";
const STROKE_FILE: &str = "content/intentions/shire-ccg/stroke-unit.md";

fn start(site: &Site) -> Server {
    start_at(site.root())
}

fn start_at(root: &Path) -> Server {
    let mut options = Options::new(root);
    options.port = 0;
    options.quiet = true;
    serve::start(options).expect("the server starts")
}

/// One HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends the request line exactly as given (no client-side clean-up of `..`).
fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut stream = send(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
    out
}

/// Polls until `ready` gives a value, failing the test after `WAIT`.
fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = ready() {
            return value;
        }
        assert!(start.elapsed() < WAIT, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens a connection and sends a request's head, as given.
fn send(addr: SocketAddr, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    stream.write_all(head.as_bytes()).expect("send");
    stream
}

/// Opens the reload event stream, as the reload script does.
fn listen(addr: SocketAddr) -> TcpStream {
    send(
        addr,
        "GET /__intentions/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    )
}

/// Reads an event stream into `seen` until `needle` is in it.
fn read_until(events: &mut TcpStream, seen: &mut String, needle: &str) {
    let mut buffer = [0u8; 4096];
    while !seen.contains(needle) {
        let n = events
            .read(&mut buffer)
            .expect("an event before the timeout");
        assert!(n > 0, "the event stream ended early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
}

/// Waits until the page at `path` contains `needle`, and returns it.
fn wait_for_text(addr: SocketAddr, path: &str, needle: &str) -> String {
    wait_for(&format!("{path} to contain {needle:?}"), || {
        let text = get(addr, path).text();
        text.contains(needle).then_some(text)
    })
}

fn has_overlay(html: &str) -> bool {
    html.contains(r#"id="intentions-error""#)
}

/// Writes `text` into a new file beside `relative`, then renames it over `relative`, as
/// editors that save atomically do.
fn save_atomically(site: &Site, relative: &str, text: &str) {
    let target = site.path(relative);
    let temp = target.with_file_name(".save.tmp");
    std::fs::write(&temp, text).expect("write temp");
    std::fs::rename(&temp, &target).expect("rename over");
}

/// A served page without the serve-only reload hook, which `build` does not add.
fn without_reload_hook(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let Some(at) = text.find("/__intentions/reload.js") else {
        return html.to_vec();
    };
    let start = text[..at].rfind("<script").expect("the hook's <script>");
    let end = at + text[at..].find("</script>").expect("the hook's </script>") + 9;
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// Every file of a clean `intentions build` of the site, by path inside the site.
fn clean_build(root: &Path) -> Vec<(String, Vec<u8>)> {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let outcome = intentions::build(root, &public);
    let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
    assert!(outcome.value.is_some(), "the clean build failed: {text}");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&public).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&public).expect("inside");
            let relative = relative.to_string_lossy().replace('\\', "/");
            files.push((relative, std::fs::read(entry.path()).expect("read")));
        }
    }
    files.sort();
    files
}

/// The first file where the server differs from a clean build, if any.
fn first_difference(addr: SocketAddr, clean: &[(String, Vec<u8>)]) -> Option<String> {
    for (path, bytes) in clean {
        let url = format!("/{path}");
        let reply = get(addr, &url);
        let served = if path.ends_with(".html") {
            without_reload_hook(&reply.body)
        } else {
            reply.body.clone()
        };
        if reply.status != 200 || served != *bytes {
            return Some(format!("{url} (status {})", reply.status));
        }
    }
    None
}

#[test]
fn an_edit_is_served_after_the_reload_event() {
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    let page = get(addr, STROKE_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Centralise stroke care"));
    assert!(
        page.text().contains("/__intentions/reload.js"),
        "serve adds the reload hook"
    );

    let mut events = listen(addr);
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "event: hello");
    assert!(seen.contains("text/event-stream"), "{seen}");

    site.edit(
        STROKE_FILE,
        "Centralise stroke care",
        "Centralise hyper-acute stroke care",
    );
    read_until(&mut events, &mut seen, "event: reload");
    let page = get(addr, STROKE_PAGE).text();
    assert!(
        page.contains("Centralise hyper-acute stroke care"),
        "{page}"
    );
    server.stop();
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_under_an_overlay_until_fixed() {
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    assert!(!has_overlay(&get(addr, STROKE_PAGE).text()));

    site.edit(BEDS_FILE, "partners: [shire-ccg]", "partners: [shire-cgg]");
    let page = wait_for_text(addr, STROKE_PAGE, "intentions-error");
    // The last good page, under the diagnostic: file, line and column, message and hint.
    assert!(page.contains("Centralise stroke care"));
    assert!(page.contains(r#"role="alert""#));
    assert!(
        page.contains("content/intentions/shire-council/short-stay-beds.md:6:"),
        "{page}"
    );
    assert!(page.contains("shire-cgg"));
    assert!(page.contains("did you mean `shire-ccg`?"), "{page}");
    assert!(page.contains("<button"), "the overlay can be closed");
    // It is on every page, the 404 page too.
    let missing = get(addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(has_overlay(&missing.text()));

    site.edit(BEDS_FILE, "partners: [shire-cgg]", "partners: [shire-ccg]");
    wait_for("the overlay to go", || {
        (!has_overlay(&get(addr, STROKE_PAGE).text())).then_some(())
    });
    server.stop();
}

#[test]
fn a_site_that_never_built_shows_why_and_recovers() {
    let site = Site::new();
    site.edit(
        "content/site.yaml",
        "title: Test intentions",
        "titel: Test intentions",
    );
    let server = start(&site);
    let addr = server.addr();
    let reply = get(addr, "/");
    assert_eq!(reply.status, 503);
    let text = reply.text();
    assert!(has_overlay(&text), "{text}");
    assert!(text.contains("content/site.yaml:1:1"), "{text}");
    assert!(text.contains("/__intentions/reload.js"));

    site.edit(
        "content/site.yaml",
        "titel: Test intentions",
        "title: Test intentions",
    );
    wait_for("the site to build", || {
        (get(addr, "/").status == 200).then_some(())
    });
    server.stop();
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = Site::new();
    let secret = "SECRET-DO-NOT-SERVE";
    site.write("Cargo.toml", secret);
    site.write("content/Cargo.toml", secret);
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), secret).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path("content/escape")).expect("symlink");
    let server = start(&site);
    let addr = server.addr();
    assert_eq!(get(addr, "/").status, 200);
    for attempt in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2FCargo.toml",
        "/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/organisations/../../Cargo.toml",
        "/%5c..%5cCargo.toml",
        "/Cargo.toml",
        "/content/Cargo.toml",
        "/content/site.yaml",
        "/escape/secret.txt",
        "/content/escape/secret.txt",
        "/%00",
    ] {
        let reply = get(addr, attempt);
        assert_eq!(reply.status, 404, "{attempt}");
        assert!(!reply.text().contains(secret), "{attempt} leaked the file");
    }
    server.stop();
}

#[test]
fn files_have_the_right_types_and_misses_get_the_404_page() {
    let site = Site::new();
    for (name, bytes) in [
        (
            "logo.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..],
        ),
        ("pixel.png", &b"\x89PNG\r\n\x1a\n"[..]),
        ("dates.ics", &b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"[..]),
        ("notes.txt", &b"notes"[..]),
        ("app.js", &b"// js"[..]),
        ("feed-test.xml", &b"<feed/>"[..]),
    ] {
        site.write_bytes(&format!("themes/default/static/{name}"), bytes);
    }
    let server = start(&site);
    let addr = server.addr();
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/organisations/shire-ccg/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/data/intentions.json", "application/json"),
        ("/data/intentions.csv", "text/csv; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/pixel.png", "image/png"),
        ("/dates.ics", "text/calendar; charset=utf-8"),
        ("/notes.txt", "text/plain; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/feed-test.xml", "application/xml; charset=utf-8"),
        ("/__intentions/reload.js", "text/javascript; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(kind), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    let missing = get(addr, "/organisations/nobody/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert!(
        missing.text().contains("Page not found"),
        "the site's own 404.html"
    );

    let folder = get(addr, "/organisations/shire-ccg?x=1");
    assert_eq!(folder.status, 308);
    assert_eq!(
        folder.header("location"),
        Some("/organisations/shire-ccg/?x=1")
    );
    server.stop();
}

#[test]
fn atomic_saves_deletes_new_folders_and_folder_renames_are_seen() {
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();

    // Rename-over, as editors save.
    save_atomically(
        &site,
        STROKE_FILE,
        &STROKE.replace("Centralise stroke care", "Saved atomically"),
    );
    wait_for_text(addr, STROKE_PAGE, "Saved atomically");

    // Many saves in a burst: the last one wins.
    for i in 0..20 {
        site.write(
            STROKE_FILE,
            &STROKE.replace("Centralise stroke care", &format!("Burst save {i:02}")),
        );
    }
    wait_for_text(addr, STROKE_PAGE, "Burst save 19");

    // A new folder with a new file in it.
    site.write(
        "content/intentions/shire-ccg/new-folder-test.md",
        "---\ntitle: A brand new intention\norganisation: shire-ccg\nsignal: new\n---\nNew.\n",
    );
    wait_for_text(
        addr,
        "/intentions/shire-ccg/new-folder-test/",
        "A brand new intention",
    );

    // Delete: the page goes.
    std::fs::remove_file(site.path("content/intentions/shire-ccg/new-folder-test.md"))
        .expect("delete");
    wait_for("the deleted page to go", || {
        (get(addr, "/intentions/shire-ccg/new-folder-test/").status == 404).then_some(())
    });

    // A folder renamed away breaks the site; renamed back, it builds again.
    std::fs::rename(site.path("content/areas"), site.path("content/areas-old")).expect("rename");
    wait_for_text(addr, STROKE_PAGE, "intentions-error");
    std::fs::rename(site.path("content/areas-old"), site.path("content/areas")).expect("rename");
    wait_for("the site to build again", || {
        (!has_overlay(&get(addr, STROKE_PAGE).text())).then_some(())
    });

    // The whole content folder replaced: it is watched again.
    std::fs::rename(site.path("content"), site.path("content-old")).expect("rename");
    wait_for_text(addr, STROKE_PAGE, "intentions-error");
    std::fs::rename(site.path("content-old"), site.path("content")).expect("rename");
    wait_for("the site to build again", || {
        (!has_overlay(&get(addr, STROKE_PAGE).text())).then_some(())
    });
    site.edit(
        STROKE_FILE,
        "Burst save 19",
        "Seen after the folder came back",
    );
    wait_for_text(addr, STROKE_PAGE, "Seen after the folder came back");
    server.stop();
}

#[test]
fn polling_sees_changes_too() {
    let site = Site::new();
    let mut options = Options::new(site.root());
    options.port = 0;
    options.quiet = true;
    options.poll = true;
    let server = serve::start(options).expect("the server starts");
    let addr = server.addr();
    site.edit(STROKE_FILE, "Centralise stroke care", "Seen by polling");
    wait_for_text(addr, STROKE_PAGE, "Seen by polling");
    server.stop();
}

/// The edits `incremental_rebuilds_equal_a_clean_build` makes, one after another.
fn edits(site: &Site) -> Vec<Box<dyn Fn() + '_>> {
    vec![
        Box::new(|| {
            site.edit(
                STROKE_FILE,
                "Centralise stroke care",
                "Centralise all stroke care",
            )
        }),
        Box::new(|| site.edit(BEDS_FILE, "value: 21", "value: 25")),
        Box::new(|| {
            site.write(
                "content/intentions/shire-council/home-care.md",
                "---\ntitle: Re-tender home care\norganisation: shire-council\npriorities: [dementia]\nsignal: recommission\n---\nBody.\n",
            )
        }),
        Box::new(|| {
            site.edit(
                BEDS_FILE,
                "related: [shire-ccg/stroke-unit]",
                "related: [shire-ccg/nothing]",
            )
        }),
        Box::new(|| {
            site.edit(
                BEDS_FILE,
                "related: [shire-ccg/nothing]",
                "related: [shire-ccg/stroke-unit]",
            )
        }),
        Box::new(|| {
            site.edit(
                "content/organisations/shire-ccg.md",
                "priorities: [stroke, dementia]",
                "priorities: [stroke, dementia, frailty]",
            )
        }),
        Box::new(|| {
            site.edit(
                "content/site.yaml",
                "title: Test intentions",
                "title: Shire intentions",
            )
        }),
        Box::new(|| {
            std::fs::remove_file(site.path("content/market/residential-care.md")).expect("delete")
        }),
        Box::new(|| {
            site.write(
                "themes/default/templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
            )
        }),
        // A broken template, with the site's settings changed at the same time, then fixed.
        Box::new(|| {
            site.write(
                "themes/default/templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<h1>{{ nothing.here }}</h1>{% endblock content %}",
            );
            site.edit(
                "content/site.yaml",
                "title: Shire intentions",
                "title: Shire's intentions",
            );
        }),
        Box::new(|| {
            site.write(
                "themes/default/templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<h1>Lost!</h1>{% endblock content %}",
            )
        }),
        Box::new(|| site.edit(STROKE_FILE, "Body.", "A new body, in **bold**.")),
        Box::new(|| {
            std::fs::remove_file(site.path("content/intentions/shire-council/home-care.md"))
                .expect("delete")
        }),
    ]
}

#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    // The engine alone, without serve's reload hook: after every edit, every file is the
    // same as a clean build's, and there are no others.
    let site = Site::new();
    let mut engine = Engine::new(site.root(), false);
    let mut rendered_in_total = 0;
    for (step, edit) in edits(&site).iter().enumerate() {
        edit();
        let Ok(built) = engine.rebuild() else {
            // The dangling `related` and broken template steps fail, in `build` as here.
            let out = tempfile::tempdir().expect("temp dir");
            let outcome = intentions::build(site.root(), &out.path().join("public"));
            assert!(outcome.value.is_none(), "step {step} fails only in serve");
            continue;
        };
        let clean = clean_build(site.root());
        rendered_in_total += built.report.rendered;
        let served: Vec<(String, Vec<u8>)> = built
            .files
            .iter()
            .map(|(p, b)| (p.clone(), b.to_vec()))
            .collect();
        let paths =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&served), paths(&clean), "step {step}: the same files");
        for ((path, a), (_, b)) in served.iter().zip(&clean) {
            assert!(a == b, "step {step}: {path} differs from a clean build");
        }
        assert!(built.report.rendered <= built.report.pages);
    }
    assert!(rendered_in_total > 0);

    // And through the server, after the same kind of edits made while it watches.
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    for edit in edits(&site) {
        edit();
    }
    let clean = clean_build(site.root());
    let start = Instant::now();
    while let Some(differs) = first_difference(addr, &clean) {
        assert!(
            start.elapsed() < WAIT,
            "the served site still differs from a clean build at {differs}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Pages that went with a deleted file are gone, not kept from an earlier build.
    assert_eq!(
        get(addr, "/intentions/shire-council/home-care/").status,
        404
    );
    server.stop();
}

#[test]
fn an_unchanged_rebuild_renders_nothing_and_one_edit_renders_few_pages() {
    let site = Site::new();
    let mut engine = Engine::new(site.root(), true);
    let first = engine.rebuild().expect("builds").report;
    assert_eq!(first.rendered, first.pages);
    assert_eq!(first.parsed, first.content_files);

    let again = engine.rebuild().expect("builds").report;
    assert_eq!((again.parsed, again.rendered, again.changed), (0, 0, 0));
    assert!(
        !again.indexed,
        "the search index is kept when no page changed"
    );

    site.edit(STROKE_FILE, "Body.", "Another body.");
    let edited = engine.rebuild().expect("builds").report;
    assert_eq!(edited.parsed, 1);
    assert!(
        edited.rendered >= 1 && edited.rendered < edited.pages,
        "{edited:?}"
    );

    // A theme change renders everything again.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    let themed = engine.rebuild().expect("builds").report;
    assert_eq!(themed.rendered, themed.pages);
}

/// Three more intentions of one organisation, so that an edit can move one among them.
fn with_siblings(site: &Site) {
    for (slug, reference, title) in [
        ("a-first", "1", "Alpha"),
        ("b-second", "2", "Beta"),
        ("c-third", "3", "Gamma"),
    ] {
        site.write(
            &format!("content/intentions/shire-council/{slug}.md"),
            &format!("---\ntitle: {title}\nreference: \"{reference}\"\norganisation: shire-council\npriorities: [frailty]\nsignal: grow\n---\nBody.\n"),
        );
    }
}

/// Edits to one intention file each: in place, to what the index groups by, and ones that
/// move the intention among its organisation's (a tie on reference and title goes by file).
const ONE_FILE_EDITS: [(&str, &str, &str); 13] = [
    (
        STROKE_FILE,
        "Centralise stroke care",
        "Centralise all stroke care",
    ),
    (STROKE_FILE, "Body.", "A new body, in **bold**."),
    (
        BEDS_FILE,
        "priorities: [frailty]",
        "priorities: [stroke, frailty]",
    ),
    (BEDS_FILE, "partners: [shire-ccg]", "partners: []"),
    (
        BEDS_FILE,
        "related: [shire-ccg/stroke-unit]",
        "related: [shire-council/b-second]",
    ),
    (
        "content/intentions/shire-council/a-first.md",
        "reference: \"1\"",
        "reference: \"2.5\"",
    ),
    (
        "content/intentions/shire-council/c-third.md",
        "title: Gamma",
        "title: Beta",
    ),
    (
        "content/intentions/shire-council/c-third.md",
        "reference: \"3\"",
        "reference: \"2\"",
    ),
    (
        "content/intentions/shire-council/c-third.md",
        "priorities: [frailty]",
        "priorities: [frailty]\nrelated: [shire-council/a-first, shire-council/b-second]",
    ),
    (
        "content/intentions/shire-council/b-second.md",
        "reference: \"2\"",
        "reference: \"0\"",
    ),
    (
        "content/intentions/shire-council/c-third.md",
        "reference: \"2\"",
        "reference: \"7\"",
    ),
    (
        "content/intentions/shire-council/a-first.md",
        "priorities: [frailty]",
        "priorities: [stroke]\nrelated: [shire-council/c-third]\npartners: [shire-ccg]",
    ),
    (
        "content/intentions/shire-council/a-first.md",
        "reference: \"2.5\"",
        "reference: \"8\"",
    ),
];

#[test]
fn an_intention_edited_alone_is_checked_and_indexed_as_a_full_check_would() {
    use intentions::{content, model};
    let site = Site::new();
    with_siblings(&site);
    let mut corpus = model::validate(&content::load(site.root()).content).expect("valid");
    for (file, from, to) in ONE_FILE_EDITS {
        site.edit(file, from, to);
        let loaded = content::load(site.root()).content;
        let (folder, edited) = loaded
            .intentions
            .iter()
            .find(|(_, l)| l.path == Path::new(file))
            .expect("the edited file is loaded");
        model::revalidate_intention(&mut corpus, &loaded, folder, edited).expect("valid");
        let full = model::validate(&loaded).expect("valid");
        let ids = |c: &model::Corpus| {
            c.intentions
                .iter()
                .map(|i| i.id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&corpus), ids(&full), "{file}: {to}: the same order");
        assert_eq!(
            format!("{:?}", corpus.intentions),
            format!("{:?}", full.intentions),
            "{to}"
        );
        let (a, b) = (&corpus.index, &full.index);
        assert_eq!(
            a.intentions_by_organisation, b.intentions_by_organisation,
            "{to}"
        );
        assert_eq!(a.partner_intentions, b.partner_intentions, "{to}");
        assert_eq!(a.intentions_by_priority, b.intentions_by_priority, "{to}");
        assert_eq!(
            a.intentions_by_service_area, b.intentions_by_service_area,
            "{to}"
        );
        assert_eq!(a.related_by, b.related_by, "{to}");
        for i in &full.intentions {
            assert_eq!(corpus.intention(&i.id).map(|x| &x.title), Some(&i.title));
        }
    }
}

#[test]
fn an_intention_edit_shown_at_once_is_what_the_rebuild_makes() {
    let site = Site::new();
    with_siblings(&site);
    let mut engine = Engine::new(site.root(), true);
    engine.rebuild().expect("builds");
    for (file, from, to) in ONE_FILE_EDITS {
        site.edit(file, from, to);
        let quick = engine.quick(&[site.path(file)]).expect("shown at once");
        let page = format!(
            "intentions/{}/index.html",
            file.trim_start_matches("content/intentions/")
                .trim_end_matches(".md")
        );
        assert!(quick.fresh.contains(&page), "{to}: {:?}", quick.fresh);
        assert!(
            quick.fresh.contains("style.css"),
            "the theme's files are current"
        );
        assert_eq!(quick.changed, std::slice::from_ref(&page), "{to}");
        let built = engine.rebuild().expect("builds");
        assert_eq!(quick.pages.get(&page), built.files.get(&page), "{to}");
        assert!(!built.changed.contains(&page), "{to}: the rebuild agrees");
    }
    // An edit with an error is left to the rebuild, which reports it; so is anything but
    // one intention file.
    site.edit(STROKE_FILE, "signal: recommission", "signal: sideways");
    assert!(engine.quick(&[site.path(STROKE_FILE)]).is_none());
    assert!(engine.rebuild().is_err());
    site.edit(STROKE_FILE, "signal: sideways", "signal: recommission");
    engine.rebuild().expect("builds");
    site.edit(
        "content/site.yaml",
        "title: Test intentions",
        "title: Shire intentions",
    );
    assert!(engine.quick(&[site.path("content/site.yaml")]).is_none());
    site.edit(STROKE_FILE, "A new body", "Another body");
    assert!(engine
        .quick(&[site.path(STROKE_FILE), site.path(BEDS_FILE)])
        .is_none());

    // A save by writing a temporary file and renaming it over the old one (as `sed -i` and
    // many editors do) reports the temporary file as well; so may a swap file beside it.
    // Neither is content: the edit is still one intention's.
    engine.rebuild().expect("builds");
    site.edit(STROKE_FILE, "Another body", "A third body");
    site.write("content/intentions/shire-ccg/.stroke-unit.md.swp", "swap");
    let save = [
        site.path("content/intentions/shire-ccg/sedAb12Cd"),
        site.path("content/intentions/shire-ccg/stroke-unit.md.tmp.md"),
        site.path(STROKE_FILE),
        site.path("content/intentions/shire-ccg/.stroke-unit.md.swp"),
        site.path("content/intentions/shire-ccg"),
    ];
    let quick = engine.quick(&save).expect("shown at once");
    assert_eq!(
        quick.changed,
        ["intentions/shire-ccg/stroke-unit/index.html"]
    );
    // But a new content file, or one deleted, is for the rebuild.
    site.write("content/intentions/shire-ccg/copy.md", STROKE);
    assert!(engine
        .quick(&[
            site.path(STROKE_FILE),
            site.path("content/intentions/shire-ccg/copy.md")
        ])
        .is_none());
    std::fs::remove_file(site.path(BEDS_FILE)).expect("delete");
    assert!(engine
        .quick(&[site.path(STROKE_FILE), site.path(BEDS_FILE)])
        .is_none());
}

const COUNCIL_FILE: &str = "content/organisations/shire-council.md";

/// Edits to one organisation file that leave it in its place: its text, its name (its
/// `order` keeps it after the CCG), its contact, a theme's name and its priorities.
const ORGANISATION_EDITS: [(&str, &str); 5] = [
    (
        "The council's introduction.",
        "The council's **new** introduction.",
    ),
    ("name: Shire County Council", "name: Shire Council"),
    ("care@shire.example", "commissioning@shire.example"),
    (
        "name: Frail elderly",
        "name: Older people living with frailty",
    ),
    ("priorities: [stroke, frailty]", "priorities: [dementia]"),
];

#[test]
fn an_organisation_edited_alone_is_checked_and_indexed_as_a_full_check_would() {
    use intentions::{content, model};
    let site = Site::new();
    let mut corpus = model::validate(&content::load(site.root()).content).expect("valid");
    let revalidate = |corpus: &mut model::Corpus| {
        let loaded = content::load(site.root()).content;
        let edited = loaded
            .organisations
            .iter()
            .find(|l| l.path == Path::new(COUNCIL_FILE))
            .expect("the edited file is loaded");
        model::revalidate_organisation(corpus, &loaded, edited).map(|()| loaded)
    };
    for (from, to) in ORGANISATION_EDITS {
        site.edit(COUNCIL_FILE, from, to);
        let loaded = revalidate(&mut corpus).expect("valid and in place");
        let full = model::validate(&loaded).expect("valid");
        assert_eq!(
            format!("{:?}", corpus.organisations),
            format!("{:?}", full.organisations),
            "{to}"
        );
        assert_eq!(
            format!("{:?}", corpus.intentions),
            format!("{:?}", full.intentions),
            "{to}"
        );
        let (a, b) = (&corpus.index, &full.index);
        assert_eq!(a.organisations_by_area, b.organisations_by_area, "{to}");
        assert_eq!(
            a.organisations_by_priority, b.organisations_by_priority,
            "{to}"
        );
        assert_eq!(
            a.intentions_by_organisation, b.intentions_by_organisation,
            "{to}"
        );
    }
    // Edits that reach further are refused and change nothing: one that moves it before the
    // CCG, one that renames a theme its intention names, and one with an error.
    let before = format!("{:?}", corpus.organisations);
    for (from, to) in [
        ("order: 2", "order: 0"),
        ("id: frail-elderly", "id: frailty"),
        ("kind: local-authority", "kind: parish"),
    ] {
        site.edit(COUNCIL_FILE, from, to);
        assert!(revalidate(&mut corpus).is_err(), "{to} is refused");
        assert_eq!(format!("{:?}", corpus.organisations), before, "{to}");
        site.edit(COUNCIL_FILE, to, from);
    }
}

/// Makes each edit to `file` and checks that `engine` shows it at once as exactly the
/// `page` the rebuild that follows makes (the rebuild then does not list it again).
fn shown_at_once_as_rebuilt(
    engine: &mut Engine,
    site: &Site,
    file: &str,
    page: &str,
    edits: &[(&str, &str)],
) {
    for (from, to) in edits {
        site.edit(file, from, to);
        let quick = engine.quick(&[site.path(file)]).expect("shown at once");
        assert!(quick.fresh.contains(page), "{to}: {:?}", quick.fresh);
        assert_eq!(quick.changed, [page], "{to}");
        let built = engine.rebuild().expect("builds");
        assert_eq!(quick.pages.get(page), built.files.get(page), "{to}");
        assert!(
            !built.changed.iter().any(|p| p == page),
            "{to}: the rebuild agrees"
        );
    }
}

#[test]
fn an_organisation_edit_shown_at_once_is_what_the_rebuild_makes() {
    let site = Site::new();
    let mut engine = Engine::new(site.root(), true);
    engine.rebuild().expect("builds");
    shown_at_once_as_rebuilt(
        &mut engine,
        &site,
        COUNCIL_FILE,
        "organisations/shire-council/index.html",
        &ORGANISATION_EDITS,
    );
    // A move among the organisations is left to the rebuild.
    site.edit(COUNCIL_FILE, "order: 2", "order: 0");
    assert!(engine.quick(&[site.path(COUNCIL_FILE)]).is_none());
    engine.rebuild().expect("builds");
    // So is taking another organisation's id, which the rebuild reports.
    site.edit(COUNCIL_FILE, "id: shire-council", "id: shire-ccg");
    assert!(engine.quick(&[site.path(COUNCIL_FILE)]).is_none());
    assert!(engine.rebuild().is_err());
}

#[test]
fn an_area_edit_shown_at_once_is_what_the_rebuild_makes() {
    const FILE: &str = "content/areas/shire.md";
    let site = Site::new();
    let mut engine = Engine::new(site.root(), true);
    engine.rebuild().expect("builds");
    shown_at_once_as_rebuilt(
        &mut engine,
        &site,
        FILE,
        "areas/shire/index.html",
        &[
            ("summary: A county.", "summary: A large rural county."),
            ("value: \"13,000\"", "value: \"13,400\""),
            ("name: Shire", "name: Shire and District"),
        ],
    );
    // A name that moves it among the areas (they are in name order, and the organisations
    // in area order) is for the rebuild, as is a new id.
    site.write("content/areas/wold.md", "---\nid: wold\nname: Wold\n---\n");
    engine.rebuild().expect("builds");
    site.edit(FILE, "name: Shire and District", "name: Zed Shire");
    assert!(engine.quick(&[site.path(FILE)]).is_none());
    engine.rebuild().expect("builds");
    site.edit(FILE, "id: shire", "id: shire-district");
    assert!(engine.quick(&[site.path(FILE)]).is_none());
}

#[test]
fn a_market_narrative_edit_shown_at_once_is_what_the_rebuild_makes() {
    const FILE: &str = "content/market/residential-care.md";
    let site = Site::new();
    let mut engine = Engine::new(site.root(), true);
    engine.rebuild().expect("builds");
    shown_at_once_as_rebuilt(
        &mut engine,
        &site,
        FILE,
        "market/residential-care/index.html",
        &[
            ("Demand is rising.", "Demand is rising fast."),
            ("amount: 2500000", "amount: 2750000"),
            (
                "Narrative.",
                "A new narrative, with a [link](https://shire.example/care).",
            ),
        ],
    );
    // An error is left to the rebuild, which reports it.
    site.edit(FILE, "amount: 2750000", "amount: lots");
    assert!(engine.quick(&[site.path(FILE)]).is_none());
    assert!(engine.rebuild().is_err());
}

#[test]
fn other_pages_wait_while_an_edit_settles_and_the_edited_page_reloads_once() {
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    let mut events = listen(addr);
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "event: hello");
    seen.clear();
    site.edit(
        STROKE_FILE,
        "Centralise stroke care",
        "Centralise all stroke care",
    );
    // First the edited page alone...
    read_until(&mut events, &mut seen, "\"settling\":true");
    // ...and a page it did not make waits for the rest instead of showing the old title.
    let organisation = get(addr, "/organisations/shire-ccg/").text();
    assert!(
        organisation.contains("Centralise all stroke care"),
        "{organisation}"
    );
    // Then the rest, which does not list the edited page again: it need not reload twice.
    read_until(&mut events, &mut seen, "\"settling\":false");
    let reloads: Vec<&str> = seen.lines().filter(|l| l.starts_with("data: ")).collect();
    assert_eq!(reloads.len(), 2, "{seen}");
    assert!(reloads[0].contains(STROKE_PAGE), "{seen}");
    assert!(!reloads[1].contains(STROKE_PAGE), "{seen}");
    assert!(reloads[1].contains("/organisations/shire-ccg/"), "{seen}");
    server.stop();
}

#[test]
fn build_output_has_no_reload_hook() {
    let site = Site::new();
    let clean = clean_build(site.root());
    for (path, bytes) in clean {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__intentions"),
            "{path} carries serve's hook"
        );
    }
}

#[test]
fn stopping_ends_open_event_streams() {
    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    let mut events = listen(addr);
    let mut buffer = [0u8; 1024];
    let n = events.read(&mut buffer).expect("hello");
    assert!(n > 0);
    let (done, stopped) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        server.stop();
        let _ = done.send(());
    });
    stopped
        .recv_timeout(WAIT)
        .expect("the server stops with a browser still listening");
    // The stream is closed, not left hanging.
    let mut rest = Vec::new();
    let _ = events.read_to_end(&mut rest);
    assert!(TcpStream::connect(addr).is_err() || get_fails(addr));
}

fn get_fails(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return true;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut raw = Vec::new();
    !matches!(stream.read_to_end(&mut raw), Ok(n) if n > 0)
}

/// The binary: says where it serves, and stops cleanly on Ctrl-C (SIGINT).
#[cfg(unix)]
#[test]
fn the_command_serves_until_ctrl_c() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let site = Site::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run intentions serve");
    let stderr = child.stderr.take().expect("stderr");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines_tx.send(line);
        }
    });
    let url = loop {
        let line = lines
            .recv_timeout(WAIT)
            .expect("a line saying where it serves");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().expect("host and port").to_string();
        }
    };
    let addr: SocketAddr = url.parse().expect("an address");
    assert!(addr.ip().is_loopback(), "loopback by default: {addr}");
    assert_eq!(get(addr, "/").status, 200);

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let (done_tx, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let status = done
        .recv_timeout(WAIT)
        .expect("it stops after Ctrl-C")
        .expect("wait");
    assert!(status.success(), "{status:?}");
    let said: Vec<String> = lines.try_iter().collect();
    assert!(said.iter().any(|l| l == "stopping"), "{said:?}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::new();
    let server = start(&site);
    let port = server.addr().port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_intentions"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.root())
        .output()
        .expect("run intentions serve");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("could not listen on 127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
    server.stop();
}

/// One request that may fail while the server is busy, but must not hang: the status, or
/// `None` when the connection broke.
fn try_get(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(WAIT)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split(' ').nth(1).and_then(|s| s.parse().ok())
}

#[test]
fn under_stress_it_keeps_serving_and_ends_on_the_right_content() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    let site = Site::new();
    let server = start(&site);
    let addr = server.addr();
    wait_for_text(addr, STROKE_PAGE, "Centralise stroke care");

    // Readers: a few hundred requests from several threads while the content churns.
    let done = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let broken = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..6)
        .map(|t| {
            let (done, served, broken) = (done.clone(), served.clone(), broken.clone());
            std::thread::spawn(move || {
                let paths = [
                    "/",
                    STROKE_PAGE,
                    "/matrix.json",
                    "/organisations/shire-ccg/",
                ];
                let mut i = t;
                while !done.load(Ordering::Relaxed) || i < t + 60 {
                    match try_get(addr, paths[i % paths.len()]) {
                        Some(200 | 404) => served.fetch_add(1, Ordering::Relaxed),
                        _ => broken.fetch_add(1, Ordering::Relaxed),
                    };
                    i += 1;
                }
            })
        })
        .collect();

    // Writers: hundreds of rapid saves of one file, plain and atomic.
    for i in 0..300 {
        let text = STROKE.replace("Centralise stroke care", &format!("Stress save {i:03}"));
        if i % 3 == 0 {
            save_atomically(&site, STROKE_FILE, &text);
        } else {
            site.write(STROKE_FILE, &text);
        }
    }
    // A folder deleted and recreated, several times, while saves go on.
    let beds = site.read(BEDS_FILE);
    for round in 0..5 {
        std::fs::remove_dir_all(site.path("content/intentions/shire-council")).expect("delete");
        site.write(
            STROKE_FILE,
            &STROKE.replace("Centralise stroke care", &format!("Folder round {round}")),
        );
        std::thread::sleep(Duration::from_millis(30));
        site.write(BEDS_FILE, &beds);
    }
    site.write(
        STROKE_FILE,
        &STROKE.replace("Centralise stroke care", "The final save"),
    );

    let page = wait_for_text(addr, STROKE_PAGE, "The final save");
    assert!(!has_overlay(&page), "the final content builds");
    wait_for_text(
        addr,
        "/intentions/shire-council/short-stay-beds/",
        "Commission at least 21 short-stay beds",
    );
    done.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().expect("a reader panicked");
    }
    let (served, broken) = (
        served.load(Ordering::Relaxed),
        broken.load(Ordering::Relaxed),
    );
    assert!(served >= 300, "only {served} requests were answered");
    assert_eq!(
        broken,
        0,
        "{broken} of {} requests got no answer",
        served + broken
    );
    // It ends where a clean build of the final content is.
    let clean = clean_build(site.root());
    assert_eq!(first_difference(addr, &clean), None);
    server.stop();
}
