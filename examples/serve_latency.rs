//! Benchmark (not a test) of `intentions serve`: the time from saving a one-intention edit
//! to the browser's reload event, and what the incremental rebuild saves.
//!
//! ```sh
//! cargo run --release --example serve_latency                 # the bundled example
//! cargo run --release --example serve_latency -- --copies 10  # ten times the intentions
//! cargo run --release --example serve_latency -- --runs 41
//! cargo run --release --example serve_latency -- --copies 10 --runs 11 --pause 9000
//! cargo run --release --example serve_latency -- --site /dev/shm/synth-10k   # a synthetic corpus
//! ```
//!
//! `--site DIR` measures a copy of `DIR/content` (say, one made by the `synth` example)
//! instead of the bundled example, editing its first intention in path order.
//!
//! `--organisation` edits the first organisation file in path order instead of an
//! intention: each edit adds a sentence to the end of its text.
//!
//! `--pause MS` waits between edits (default 300 ms). The server makes the search index on
//! a thread of its own after each rebuild; on 2 cores, an edit made while it runs shares the
//! cores with it, so pause longer than the index takes to measure an edit on its own.
//!
//! It copies `content/` into a temporary folder (never touching the repository's), starts
//! the real server on a free loopback port, listens to its event stream like a browser,
//! then `runs` times rewrites one intention's title and waits for the `reload` event.
//! It prints the median, the fastest and the slowest, then what one such edit re-parses and
//! re-renders, next to a full build.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use intentions::serve::incremental::Engine;
use intentions::serve::{self, Options};

// The allocator the `intentions` binary uses. Not its settings for a whole build (small pages,
// freed memory handed back after 30 ms; see `src/main.rs`), so memory here runs higher.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EDITED: &str = "content/intentions/warwickshire-county-council/falls-prevention.md";

fn main() -> Result<(), String> {
    let mut runs = 21;
    let mut copies = 1;
    let mut pause = 300;
    let mut site: Option<std::path::PathBuf> = None;
    let mut organisation = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|n| n.parse().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--runs" => runs = number("--runs")?.max(1),
            "--copies" => copies = number("--copies")?.max(1),
            "--pause" => pause = number("--pause")?,
            "--site" => site = Some(args.next().ok_or("--site needs a folder")?.into()),
            "--organisation" => organisation = true,
            other => return Err(format!("unknown argument {other}; see the file's header")),
        }
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = dir.path();
    let source = site.as_deref().unwrap_or(repo);
    copy_tree(&source.join("content"), &root.join("content"))?;
    multiply_intentions(&root.join("content/intentions"), copies)?;
    let edited = if organisation {
        first_file(&root.join("content/organisations"))?
    } else if site.is_some() {
        first_file(&root.join("content/intentions"))?
    } else {
        root.join(EDITED)
    };
    let original = std::fs::read_to_string(&edited).map_err(|e| e.to_string())?;
    let kind = if organisation {
        "organisation"
    } else {
        "intention"
    };
    // The edit number `run`, which the edited page then shows.
    let edit = |run: usize| {
        if organisation {
            format!("{original}\nEdit number {run}.\n")
        } else {
            retitle(&original, run)
        }
    };

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match &site {
        Some(site) => println!(
            "machine: {cores} cores; corpus: {} x{copies}",
            site.display()
        ),
        None => println!("machine: {cores} cores; corpus: the bundled example x{copies}"),
    }

    // What one edit costs the engine, next to a full build.
    let mut engine = Engine::new(root, true);
    let full = engine
        .rebuild()
        .map_err(|f| format!("{:?}", f.diagnostics))?
        .report;
    std::fs::write(&edited, edit(0)).map_err(|e| e.to_string())?;
    let one = engine
        .rebuild()
        .map_err(|f| format!("{:?}", f.diagnostics))?
        .report;
    // The same edit shown at once, before the rebuild that settles it.
    std::fs::write(&edited, edit(1)).map_err(|e| e.to_string())?;
    let mut quick = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        engine
            .quick(std::slice::from_ref(&edited))
            .ok_or(format!("the one-{kind} edit was not shown at once"))?;
        quick.push(started.elapsed());
    }
    quick.sort();
    std::fs::write(&edited, &original).map_err(|e| e.to_string())?;
    println!(
        "one-{kind} edit shown at once (the page made, the rest to follow): median {:.1} ms of 5",
        quick[2].as_secs_f64() * 1000.0
    );
    println!(
        "full build: {} ms, {} content files, {} pages",
        full.total.as_millis(),
        full.content_files,
        full.pages
    );
    println!(
        "one-{kind} edit: {} ms; parsed {} of {} files, rendered {} of {} pages (read {} ms, check and plan {} ms, views and render {} ms, search index {} ms)",
        one.total.as_millis(),
        one.parsed,
        one.content_files,
        one.rendered,
        one.pages,
        one.load.as_millis(),
        one.validate.as_millis(),
        one.render.as_millis(),
        one.search.as_millis()
    );

    // The server makes its own engine: this one's site is not held beside it.
    drop(engine);

    // Edit to reload event, through the real server.
    let mut options = Options::new(root);
    options.port = 0;
    options.quiet = true;
    let server = serve::start(options)?;
    let mut events = TcpStream::connect(server.addr()).map_err(|e| e.to_string())?;
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        events,
        "GET /__intentions/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    wait_for(&mut events, "event: hello")?;
    let url = if organisation {
        organisation_url(&original)?
    } else {
        page_url(root, &edited)
    };
    let mut reloads = Vec::with_capacity(runs);
    let mut pages = Vec::with_capacity(runs);
    let mut settled = Vec::with_capacity(runs);
    for run in 1..=runs {
        drain(&mut events)?;
        let started = Instant::now();
        std::fs::write(&edited, edit(run)).map_err(|e| e.to_string())?;
        // The browser showing the edited page reloads on the first event that lists it.
        let mut settling = loop {
            let change = next_reload(&mut events)?;
            let listed = change["pages"]
                .as_array()
                .is_none_or(|pages| pages.iter().any(|p| p.as_str() == Some(url.as_str())));
            if listed {
                break change["settling"].as_bool().unwrap_or(false);
            }
        };
        reloads.push(started.elapsed());
        // What it then asks for is the edited page, with the edit.
        let html = get(server.addr(), &url)?;
        if !html.contains(&format!("Edit number {run}")) {
            return Err(format!("{url} did not show edit {run} after its reload"));
        }
        pages.push(started.elapsed());
        while settling {
            settling = next_reload(&mut events)?["settling"]
                .as_bool()
                .unwrap_or(false);
        }
        settled.push(started.elapsed());
        // Let the file system (and, with a long pause, the search index) settle.
        std::thread::sleep(Duration::from_millis(pause as u64));
    }
    std::fs::write(&edited, &original).map_err(|e| e.to_string())?;
    server.stop();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let summary = |times: &mut Vec<Duration>| {
        times.sort();
        format!(
            "median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        )
    };
    println!(
        "edit to reload event over {runs} runs, {pause} ms apart: {} (the debounce is {} ms of it)",
        summary(&mut reloads),
        serve::watch::DEBOUNCE.as_millis()
    );
    println!("edit to the edited page received: {}", summary(&mut pages));
    println!(
        "edit to every page and data file made again: {}",
        summary(&mut settled)
    );
    Ok(())
}

/// `/intentions/<org-id>/<slug>/` for an intention file.
fn page_url(root: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(root.join("content/intentions"))
        .unwrap_or(file)
        .with_extension("");
    format!("/intentions/{}/", relative.display())
}

/// Reads and forgets whatever the event stream has sent so far.
fn drain(stream: &mut TcpStream) -> Result<(), String> {
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .map_err(|e| e.to_string())?;
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return Err("the event stream ended".into()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())
}

/// Reads the event stream up to the next reload event and returns what it says.
fn next_reload(stream: &mut TcpStream) -> Result<serde_json::Value, String> {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        let n = stream
            .read(&mut byte)
            .map_err(|e| format!("waiting for a reload: {e}"))?;
        if n == 0 {
            return Err("the event stream ended".into());
        }
        seen.push(byte[0]);
        if seen.ends_with(b"\n\n") {
            let text = String::from_utf8_lossy(&seen).into_owned();
            seen.clear();
            if text.contains("event: reload") {
                let data = text
                    .lines()
                    .find_map(|l| l.strip_prefix("data: "))
                    .ok_or("a reload event without data")?;
                return serde_json::from_str(data).map_err(|e| e.to_string());
            }
        }
    }
}

/// The body of a page of the running server.
fn get(addr: std::net::SocketAddr, url: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&response).into_owned())
}

fn retitle(text: &str, run: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("title:") {
            out.push_str(&format!("title: Edit number {run}\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Reads the event stream until `needle` has arrived once more.
fn wait_for(stream: &mut TcpStream, needle: &str) -> Result<(), String> {
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains(needle) {
        let n = stream
            .read(&mut buffer)
            .map_err(|e| format!("waiting for {needle}: {e}"))?;
        if n == 0 {
            return Err("the event stream ended".into());
        }
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    Ok(())
}

/// `/organisations/<id>/` for an organisation file's text.
fn organisation_url(text: &str) -> Result<String, String> {
    text.lines()
        .find_map(|line| line.strip_prefix("id:"))
        .map(|id| format!("/organisations/{}/", id.trim().trim_matches('"')))
        .ok_or_else(|| "the organisation file has no id".to_string())
}

/// The first Markdown file under `folder` in path order, so a run always edits the same one.
fn first_file(folder: &Path) -> Result<std::path::PathBuf, String> {
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .ok_or_else(|| format!("no content file under {}", folder.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| e.to_string())?;
        let relative = entry.path().strip_prefix(from).map_err(|e| e.to_string())?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Makes `copies - 1` more of every intention, each under a new slug.
fn multiply_intentions(intentions: &Path, copies: usize) -> Result<(), String> {
    if copies <= 1 {
        return Ok(());
    }
    let files: Vec<_> = walkdir::WalkDir::new(intentions)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for copy in 2..=copies {
            let target = file.with_file_name(format!("{stem}-copy-{copy}.md"));
            std::fs::write(target, &text).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
