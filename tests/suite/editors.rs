//! The editors' page of `intentions serve`: every current warning by file, with links to the
//! page and the file's path and line, updated on every rebuild; never written by `build`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use intentions::serve::incremental::Engine;
use intentions::serve::{self, Options};

use crate::fixture::Site;

const PAGE: &str = "_editors/index.html";

fn editors_page(engine: &mut Engine) -> String {
    let built = engine.rebuild().expect("the site builds");
    let bytes = built.files.get(PAGE).expect("the editors' page is served");
    String::from_utf8_lossy(bytes).replace('"', "")
}

#[test]
fn the_page_lists_warnings_by_file_and_follows_edits() {
    let site = Site::new();
    let mut engine = Engine::new(site.root(), true);
    let page = editors_page(&mut engine);
    assert!(page.contains("<h1>Warnings for editors</h1>"), "{page}");
    assert!(page.contains("6 warnings in 4 files."), "{page}");
    assert!(
        page.contains("<code>content/intentions/shire-ccg/stroke-unit.md</code>"),
        "{page}"
    );
    assert!(
        page.contains("href=/intentions/shire-ccg/stroke-unit/>See the page"),
        "{page}"
    );
    assert!(
        page.contains("content/intentions/shire-ccg/stroke-unit.md:2:1"),
        "{page}"
    );
    assert!(page.contains("Warning <code>no-target</code>"), "{page}");
    assert!(
        page.contains("href=/organisations/shire-council/>See the page"),
        "{page}"
    );
    assert!(
        page.contains("/__intentions/reload.js"),
        "the page reloads itself"
    );

    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: recommission",
        "signal: recommission\noutcomes:\n  - Faster treatment.",
    );
    let built = engine.rebuild().expect("builds");
    assert!(built.report.site_changed(), "browsers are told to reload");
    let page = String::from_utf8_lossy(built.files.get(PAGE).expect("page")).replace('"', "");
    assert!(page.contains("5 warnings in 4 files."), "{page}");
    assert!(!page.contains("Warning <code>no-target</code>"), "{page}");
}

#[test]
fn the_page_says_when_there_is_nothing_to_fix() {
    let site = Site::new();
    site.edit(
        "content/site.yaml",
        "navigation:",
        "lints:\n  no-target: allow\n  no-rationale: allow\n  no-date: allow\n  unreciprocated-partner: allow\n  priority-without-intention: allow\nnavigation:",
    );
    let page = editors_page(&mut Engine::new(site.root(), true));
    assert!(page.contains("There are no warnings."), "{page}");
}

#[test]
fn build_never_writes_the_editors_page() {
    let site = Site::new();
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    assert!(site.path("public/index.html").is_file());
    assert!(!site.path("public/_editors").exists());
    let built = Engine::new(site.root(), false).rebuild().expect("builds");
    assert!(!built.files.contains_key(PAGE));
}

#[test]
fn the_server_serves_the_page_and_updates_it_live() {
    let site = Site::new();
    let mut options = Options::new(site.root());
    options.port = 0;
    options.quiet = true;
    let server = serve::start(options).expect("the server starts");
    let fetch = || {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET /_editors/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        String::from_utf8_lossy(&reply).replace('"', "")
    };
    let first = fetch();
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    assert!(first.contains("6 warnings in 4 files."), "{first}");
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "signal: recommission",
        "signal: recommission\noutcomes:\n  - Faster treatment.",
    );
    let started = Instant::now();
    loop {
        if fetch().contains("5 warnings in 4 files.") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the page never updated"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
}
