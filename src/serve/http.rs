//! HTTP: serves the in-memory site, the live-reload script and the reload events. A request
//! path is decoded and looked up in the site's map of files, never joined to a folder on
//! disk, so nothing outside the site can be served: not `..`, not an encoded `%2e%2e`, not
//! what a symbolic link points to.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::watch;

use super::overlay;
use super::state::{SiteState, Snapshot};

/// The reload events, as server-sent events.
pub const EVENTS: &str = "/__intentions/events";

/// The live-reload script the theme adds in serve mode.
pub const RELOAD_JS: &str = "/__intentions/reload.js";

/// The live-reload script: reloads the page when the site changes. Pages work without it.
const RELOAD_SCRIPT: &str = r#"// intentions serve: reloads this page when the site is rebuilt.
(function () {
  "use strict";
  if (!window.EventSource) return;
  var seen = null;
  var events = new EventSource("/__intentions/events");
  // On (re)connecting the server says which build it serves: reload if we missed one.
  events.addEventListener("hello", function (e) {
    if (seen !== null && seen !== e.data) window.location.reload();
    seen = e.data;
  });
  // A reload lists the pages it changed (or none: everything may have); another page stays.
  events.addEventListener("reload", function (e) {
    var change = JSON.parse(e.data);
    seen = String(change.generation);
    if (!change.pages || change.pages.indexOf(window.location.pathname) >= 0) {
      window.location.reload();
    }
  });
})();
"#;

/// What every handler is given.
#[derive(Clone)]
pub struct App {
    /// The site being served.
    pub site: Arc<SiteState>,
    /// Becomes true when the server shuts down, ending the event streams.
    pub shutdown: watch::Receiver<bool>,
}

/// The routes: the two `/__intentions/` ones, and the site for everything else.
pub fn router(app: App) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(RELOAD_JS, get(reload_script))
        .fallback(site_file)
        .with_state(app)
}

async fn reload_script() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Bytes::from_static(RELOAD_SCRIPT.as_bytes()),
    )
}

async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut site = app.site.subscribe();
    let generation = site.borrow_and_update().generation;
    let hello = Event::default().event("hello").data(generation.to_string());
    let changes = stream::unfold(
        (site, app.shutdown),
        |(mut site, mut shutdown)| async move {
            let changed = tokio::select! {
                changed = site.changed() => changed.is_ok(),
                _ = shutdown.wait_for(|stop| *stop) => false,
            };
            if !changed {
                return None;
            }
            let event = Event::default()
                .event("reload")
                .data(reload_data(&site.borrow_and_update()));
            Some((Ok(event), (site, shutdown)))
        },
    );
    Sse::new(stream::once(async move { Ok(hello) }).chain(changes)).keep_alive(KeepAlive::default())
}

/// What a reload event says: the generation, the addresses of the pages that changed (`null`
/// when every page may have), and whether a rebuild is still to settle the rest.
fn reload_data(site: &Snapshot) -> String {
    let pages = site.changed.as_ref().map(|changed| {
        let mut urls = Vec::with_capacity(changed.len() * 2);
        for path in changed.iter() {
            urls.push(format!("/{path}"));
            if let Some(folder) = path.strip_suffix("index.html") {
                urls.push(format!("/{folder}"));
            }
        }
        urls
    });
    serde_json::json!({
        "generation": site.generation,
        "pages": pages,
        "settling": site.settling.is_some(),
    })
    .to_string()
}

/// The longest a request waits for an edit to settle before it is answered from what is
/// there (the rebuild always settles it; this only bounds what a bug could do).
const SETTLE_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// The site to answer `raw` from. While an edit shown early is settling, only the files made
/// for it are known to be current: a request for any other waits for the rebuild.
async fn settled_for(state: &SiteState, raw: &str) -> Arc<Snapshot> {
    match tokio::time::timeout(SETTLE_WAIT, settled(state, raw)).await {
        Ok(site) => site,
        Err(_) => state.snapshot(),
    }
}

async fn settled(state: &SiteState, raw: &str) -> Arc<Snapshot> {
    let mut changes = state.subscribe();
    loop {
        let site = changes.borrow_and_update().clone();
        // The file the request names, or the page it would be redirected to.
        let current = match &site.settling {
            None => true,
            Some(fresh) => site_key(raw).is_some_and(|(path, key)| {
                fresh.contains(&key) || fresh.contains(&format!("{path}/index.html"))
            }),
        };
        if current || changes.changed().await.is_err() {
            return site;
        }
    }
}

async fn site_file(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            Bytes::from_static(b"Only GET and HEAD are served.\n"),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let site = settled_for(&app.site, uri.path()).await;
    match resolve(&site, uri.path()) {
        Lookup::Found(path, bytes) => page(StatusCode::OK, &path, bytes, &site),
        Lookup::AddSlash => {
            let mut to = format!("/{}/", uri.path().trim_matches('/'));
            if let Some(query) = uri.query() {
                to.push('?');
                to.push_str(query);
            }
            let mut response = respond(
                StatusCode::PERMANENT_REDIRECT,
                "text/plain; charset=utf-8",
                Bytes::new(),
            );
            if let Ok(value) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::Missing => not_found(&site),
    }
}

/// Where a request path leads in the site.
#[derive(Debug, PartialEq)]
enum Lookup {
    Found(String, Bytes),
    /// A folder asked for without its trailing slash.
    AddSlash,
    Missing,
}

/// The path a request names inside the site, and the file that answers it (a folder's
/// `index.html`); `None` for a path that is not allowed.
fn site_key(raw: &str) -> Option<(String, String)> {
    let path = site_path(raw)?;
    let key = if path.is_empty() {
        "index.html".to_string()
    } else if raw.ends_with('/') {
        format!("{path}/index.html")
    } else {
        path.clone()
    };
    Some((path, key))
}

fn resolve(site: &Snapshot, raw: &str) -> Lookup {
    let Some((path, key)) = site_key(raw) else {
        return Lookup::Missing;
    };
    if let Some(bytes) = site.file(&key) {
        return Lookup::Found(key, bytes.clone());
    }
    if !raw.ends_with('/') && site.file(&format!("{path}/index.html")).is_some() {
        return Lookup::AddSlash;
    }
    Lookup::Missing
}

/// The path of a file inside the site for a request path, percent-decoded; `None` for
/// anything that tries to leave the site or is not a plain path.
fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            p if p.contains(['\\', '\0']) || p.contains(':') => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn not_found(site: &Snapshot) -> Response {
    if let Some(bytes) = site.file("404.html") {
        return page(StatusCode::NOT_FOUND, "404.html", bytes.clone(), site);
    }
    match &site.overlay {
        // Nothing was ever built: show why, on a page of its own.
        Some(overlay) if site.files.is_empty() => respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            Bytes::from(overlay::page(overlay, RELOAD_JS)),
        ),
        _ => respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            Bytes::from_static(b"Not found.\n"),
        ),
    }
}

/// A file of the site, with the error overlay on HTML pages while there is one.
fn page(status: StatusCode, path: &str, bytes: Bytes, site: &Snapshot) -> Response {
    let kind = content_type(path);
    let bytes = match &site.overlay {
        Some(overlay) if kind.starts_with("text/html") => {
            Bytes::from(overlay::inject(&bytes, overlay))
        }
        _ => bytes,
    };
    respond(status, kind, bytes)
}

fn respond(status: StatusCode, kind: &'static str, bytes: Bytes) -> Response {
    let mut response = (status, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // A preview must never show an old version of a page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The media type of a site file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(site_path("/a/b/").as_deref(), Some("a/b"));
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/caf%C3%A9").as_deref(), Some("café"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/..%2fCargo.toml",
            "/a/%2e%2e%2f%2e%2e/x",
            "/a\\..\\b",
            "/%5c..%5cb",
            "/%00",
            "/C:/x",
            "/%zz",
            "/%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("data/x.CSV"), "text/csv; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
