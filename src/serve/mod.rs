//! `intentions serve`: builds the site into memory, serves it over HTTP, watches the content
//! and the theme, rebuilds what changed and tells browsers to reload. This file starts and
//! stops the parts and passes them their state: the watcher (`watch`), the rebuild thread
//! and its engine (`incremental`), the served site (`state`), the HTTP server (`http`) and
//! the error overlay (`overlay`).

pub mod browser;
pub mod http;
pub mod incremental;
pub mod overlay;
pub mod state;
pub mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use crate::diagnostics::{self, Diagnostic, Sources};
use incremental::{Built, Engine, Failed, SearchJob};
use state::{Files, SiteState};
use watch::{Change, Watcher};

/// How long a stopping server waits for requests in flight.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's root folder, holding `content/` (and optionally `themes/`).
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Scan for changes instead of relying on the system's file events.
    pub poll: bool,
    /// Say nothing on the terminal (for tests and benchmarks).
    pub quiet: bool,
}

impl Options {
    /// The defaults: `127.0.0.1:1111`, file events, messages on the terminal.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            poll: false,
            quiet: false,
        }
    }
}

/// A running server. Dropping it (or [`Server::stop`]) stops it cleanly.
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    serving: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    stop_http: tokio::sync::watch::Sender<bool>,
    to_rebuilder: mpsc::Sender<Message>,
    rebuilder: Option<std::thread::JoinHandle<()>>,
}

/// What the rebuild thread is told.
enum Message {
    Changed(Change),
    /// A search index was made (or failed), in this long.
    Indexed(
        SearchJob,
        Result<Vec<(String, Bytes)>, Diagnostic>,
        Duration,
    ),
    Stop,
}

/// Serves the site until Ctrl-C: what `intentions serve` runs.
pub fn run(options: Options, open: bool) -> Result<(), String> {
    let log = Log {
        quiet: options.quiet,
    };
    if !options.bind.is_loopback() {
        log.say(&format!(
            "warning: listening on {}, so other machines on the network can read this preview \
             (use --bind 127.0.0.1 to keep it to this machine)",
            options.bind
        ));
    }
    let server = start(options)?;
    let url = server.url();
    log.say(&format!("serving {url} (press Ctrl-C to stop)"));
    log.say(&format!(
        "warnings for editors: {}{}",
        url.trim_end_matches('/'),
        crate::views::EDITORS_URL
    ));
    if open {
        if let Err(e) = browser::open(&url) {
            log.say(&format!("note: {e}"));
        }
    }
    let waited = server.wait_for_ctrl_c();
    log.say("stopping");
    server.stop();
    waited
}

/// Builds the site, starts watching and serving, and returns once the server listens.
/// Tests start it in-process with port 0 and read [`Server::addr`].
pub fn start(options: Options) -> Result<Server, String> {
    let log = Log {
        quiet: options.quiet,
    };
    let root = std::path::absolute(&options.root)
        .map_err(|e| format!("could not find {}: {e}", options.root.display()))?;
    // Listen first: a port in use is the most likely mistake, and it should cost nothing.
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        format!(
            "could not listen on {addr}: {e}; is another `intentions serve` running? \
             Choose another port with --port"
        )
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("could not listen on {addr}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("could not listen on {addr}: {e}"))?;

    // Watch before the first build, so a change made during it is not missed.
    let (to_rebuilder, inbox) = mpsc::channel();
    let tell = to_rebuilder.clone();
    let watcher = Watcher::start(&root, options.poll, move |change| {
        // The rebuild thread has stopped only when the server is stopping.
        let _ = tell.send(Message::Changed(change));
    })?;
    // The search index takes longer than the rest of a rebuild: pages are served first.
    let mut engine = Engine::new(&root, true).deferring_search(true);
    let state = Arc::new(SiteState::new(Files::default(), None));
    let first_index = publish(rebuild(&mut engine), &state, &log);
    let indexer = Indexer {
        running: false,
        waiting: None,
        tell: to_rebuilder.clone(),
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("intentions-serve")
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the server: {e}"))?;
    let (stop_http, stopping) = tokio::sync::watch::channel(false);
    let app = http::App {
        site: state.clone(),
        shutdown: stopping.clone(),
    };
    let serving = runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let mut stopping = stopping;
        axum::serve(listener, http::router(app))
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            })
            .await
    });
    let rebuilder = std::thread::Builder::new()
        .name("intentions-rebuild".into())
        .spawn(move || {
            let mut indexer = indexer;
            if let Some(job) = first_index {
                indexer.want(job, &log);
            }
            rebuild_loop(engine, watcher, indexer, &root, inbox, &state, &log)
        })
        .map_err(|e| format!("could not start the rebuild thread: {e}"))?;
    Ok(Server {
        addr,
        runtime: Some(runtime),
        serving: Some(serving),
        stop_http,
        to_rebuilder,
        rebuilder: Some(rebuilder),
    })
}

impl Server {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The preview's address for a browser.
    pub fn url(&self) -> String {
        if self.addr.ip().is_unspecified() {
            format!("http://localhost:{}/", self.addr.port())
        } else {
            format!("http://{}/", self.addr)
        }
    }

    /// Blocks until the user presses Ctrl-C.
    pub fn wait_for_ctrl_c(&self) -> Result<(), String> {
        let Some(runtime) = &self.runtime else {
            return Ok(());
        };
        runtime
            .block_on(tokio::signal::ctrl_c())
            .map_err(|e| format!("could not wait for Ctrl-C: {e}"))
    }

    /// Stops watching, then stops serving once requests in flight are answered (event
    /// streams end at once).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.to_rebuilder.send(Message::Stop);
        if let Some(thread) = self.rebuilder.take() {
            let _ = thread.join();
        }
        let _ = self.stop_http.send(true);
        if let (Some(runtime), Some(serving)) = (self.runtime.take(), self.serving.take()) {
            let _ = runtime.block_on(async { tokio::time::timeout(STOP_GRACE, serving).await });
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// The rebuild thread: waits for changes, takes a burst of them as one (see
/// [`watch::debounce`]), and rebuilds; takes each search index made meanwhile. Owns the engine and the watcher; ends
/// when told to stop.
fn rebuild_loop(
    mut engine: Engine,
    mut watcher: Watcher,
    mut indexer: Indexer,
    root: &Path,
    inbox: mpsc::Receiver<Message>,
    state: &SiteState,
    log: &Log,
) {
    loop {
        release_freed_memory();
        let Ok(first) = inbox.recv() else {
            return;
        };
        let mut changed = Vec::new();
        let mut any = false;
        let (batch, _) = watch::debounce(first, &inbox, |m| matches!(m, Message::Changed(_)));
        for message in batch {
            match message {
                Message::Stop => return,
                Message::Changed(Change::Paths(paths)) => {
                    any = true;
                    changed.extend(paths);
                }
                Message::Changed(Change::Error(error)) => {
                    // Events may have been lost: rebuild to be sure.
                    any = true;
                    log.say(&format!("warning: watching for changes: {error}"));
                }
                Message::Indexed(job, result, took) => {
                    match result {
                        Ok(bundle) => {
                            // Out of date when a later rebuild asked for a newer one.
                            if let Some(files) = engine.finish_search(job, bundle) {
                                state.replace_files_quietly(files);
                                log.say(&format!("search index made in {} ms", took.as_millis()));
                            }
                        }
                        Err(d) => {
                            let failed = Failed {
                                diagnostics: vec![d],
                                sources: Sources::default(),
                            };
                            publish(Err(failed), state, log);
                        }
                    }
                    if let Some(next) = indexer.done() {
                        indexer.want(next, log);
                    }
                }
            }
        }
        if !any {
            continue;
        }
        if let Err(error) = watcher.refresh(&changed) {
            log.say(&format!("warning: {error}"));
        }
        log.say(&describe_change(root, &changed));
        // An edit to one intention or organisation is shown at once; the rebuild below settles
        // the rest.
        if state.snapshot().overlay.is_none() {
            if let Some(quick) = quick(&mut engine, &changed) {
                log.say(&format!(
                    "shown in {} ms; checking and making the rest",
                    quick.took.as_millis()
                ));
                state.publish_early(quick.pages, quick.fresh, &quick.changed);
            }
        }
        if let Some(job) = publish(rebuild(&mut engine), state, log) {
            indexer.want(job, log);
        }
    }
}

/// Makes search indexes on a thread of their own, one at a time: while one is made, only the
/// newest job asked for waits.
struct Indexer {
    running: bool,
    waiting: Option<SearchJob>,
    tell: mpsc::Sender<Message>,
}

impl Indexer {
    fn want(&mut self, job: SearchJob, log: &Log) {
        if self.running {
            self.waiting = Some(job);
            return;
        }
        let tell = self.tell.clone();
        let started = std::thread::Builder::new()
            .name("intentions-search".into())
            .spawn(move || {
                let started = Instant::now();
                let result = job.run();
                // The rebuild thread has stopped only when the server is stopping.
                let _ = tell.send(Message::Indexed(job, result, started.elapsed()));
            });
        match started {
            Ok(_) => self.running = true,
            Err(e) => log.say(&format!("warning: could not make the search index: {e}")),
        }
    }

    /// The one that was running is done: the next to start, if any.
    fn done(&mut self) -> Option<SearchJob> {
        self.running = false;
        self.waiting.take()
    }
}

/// Hands the memory the last rebuild or search index freed back to the system now, while
/// nothing waits. The allocator (mimalloc, in the binary) otherwise does it on a later
/// allocation: the next edit's, which it held up by 25 to 40 ms at 10,000 intentions.
fn release_freed_memory() {
    // SAFETY: `mi_collect` has no preconditions and may be called from any thread at any
    // time; under another global allocator it finds little or nothing to release.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// [`Engine::quick`], with a panic (a bug) taken as "not this way": the rebuild follows.
fn quick(engine: &mut Engine, changed: &[PathBuf]) -> Option<incremental::Quick> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.quick(changed)))
        .ok()
        .flatten()
}

/// Rebuilds, turning a panic (a bug) into an error shown like any other, so that the
/// preview keeps running and says what happened.
fn rebuild(engine: &mut Engine) -> Result<Built, Failed> {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.rebuild()));
    attempt.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        Err(Failed {
            diagnostics: vec![Diagnostic::error(format!(
                "intentions crashed while building the site: {what}"
            ))
            .with_hint("this is a bug in intentions: please report it with the file you changed")],
            sources: Sources::default(),
        })
    })
}

/// Shows a rebuild's result: the new site, or the overlay over the last good one. Returns
/// the search index still to make.
fn publish(result: Result<Built, Failed>, state: &SiteState, log: &Log) -> Option<SearchJob> {
    match result {
        Ok(built) => {
            log.diagnostics(&built.warnings, &built.sources);
            let r = built.report;
            log.say(&format!(
                "built in {} ms (read {}, check {}, render {}, search index {}): parsed {} of {} content files, rendered {} of {} pages; {} files changed, {} removed",
                r.total.as_millis(),
                r.load.as_millis(),
                r.validate.as_millis(),
                r.render.as_millis(),
                match (r.indexed, &built.search) {
                    (true, _) => format!("{} ms", r.search.as_millis()),
                    (false, Some(_)) => "to follow".into(),
                    (false, None) => "kept".into(),
                },
                r.parsed,
                r.content_files,
                r.rendered,
                r.pages,
                r.changed,
                r.removed
            ));
            state.publish_site(built.files, &built.changed);
            built.search
        }
        Err(failed) => {
            log.diagnostics(&failed.diagnostics, &failed.sources);
            log.say("the site could not be built: still serving the last good build, with the errors over every page");
            let kept = !state.snapshot().files.is_empty();
            state.publish_error(overlay::html(&failed.diagnostics, &failed.sources, kept));
            None
        }
    }
}

fn describe_change(root: &Path, changed: &[PathBuf]) -> String {
    let shown = |p: &PathBuf| p.strip_prefix(root).unwrap_or(p).display().to_string();
    match changed {
        [] => "rebuilding".to_string(),
        [one] => format!("changed: {}", shown(one)),
        [one, rest @ ..] => format!("changed: {} and {} more", shown(one), rest.len()),
    }
}

/// The terminal: messages on standard error, diagnostics in colour when it is a terminal.
struct Log {
    quiet: bool,
}

impl Log {
    fn say(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    fn diagnostics(&self, found: &[Diagnostic], sources: &Sources) {
        if self.quiet || found.is_empty() {
            return;
        }
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", diagnostics::render(found, sources, color));
        eprintln!("{}", diagnostics::summary(found));
    }
}
