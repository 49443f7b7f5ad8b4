//! Watching: `content/` and the theme overrides under `themes/`, recursively, by the
//! system's file events or, with `--poll`, by scanning; and the debounce that turns a burst
//! of events into one rebuild. Any change under them asks for a rebuild; the rebuild itself
//! finds out what changed.
//!
//! The debounce is here rather than in `notify-debouncer-mini` or `-full`: the rebuild reads
//! every file, so reads must be told from writes (mini cannot), and a file created and
//! deleted within the window must still count, because a rebuild may have seen it in between
//! (full drops such pairs, leaving a page of a deleted file served).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the file system must be quiet before a burst of saves becomes one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// The longest a steady stream of changes can hold a rebuild back.
pub const MAX_DEBOUNCE: Duration = Duration::from_secs(1);

/// How often `--poll` scans the watched folders.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What the watcher reports.
#[derive(Debug)]
pub enum Change {
    /// Something changed at these paths.
    Paths(Vec<PathBuf>),
    /// The watcher itself had a problem (e.g. too many watched folders).
    Error(String),
}

/// The folders watched: the site's root itself, not recursively, to see `content/` or
/// `themes/` appear, vanish or be replaced; and each of those, recursively.
pub struct Watcher {
    root: PathBuf,
    backend: Backend,
    watched: Vec<PathBuf>,
}

enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watcher(&mut self) -> &mut dyn notify::Watcher {
        match self {
            Backend::Native(w) => w,
            Backend::Poll(w) => w,
        }
    }
}

/// Whether an event can mean a change. Opening and reading a file are events too, and the
/// rebuild reads every file: counting them would rebuild for ever.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl Watcher {
    /// Starts watching the site under `root` (an absolute path), calling `tell` with every
    /// change under `content/` or `themes/` as it happens (see [`debounce`]).
    pub fn start(
        root: &Path,
        poll: bool,
        tell: impl Fn(Change) + Send + 'static,
    ) -> Result<Watcher, String> {
        let watched_roots = [root.join("content"), root.join("themes")];
        let handler = move |result: notify::Result<Event>| match result {
            Ok(event) if is_change(&event.kind) => {
                let paths: Vec<PathBuf> = event
                    .paths
                    .into_iter()
                    .filter(|p| watched_roots.iter().any(|r| p.starts_with(r)))
                    .collect();
                if !paths.is_empty() {
                    tell(Change::Paths(paths));
                }
            }
            Ok(_) => {}
            Err(error) => tell(Change::Error(error.to_string())),
        };
        let backend = if poll {
            // Modification times are compared in whole seconds: compare contents too, or two
            // saves within a second look like one.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            PollWatcher::new(handler, config).map(Backend::Poll)
        } else {
            RecommendedWatcher::new(handler, notify::Config::default()).map(Backend::Native)
        }
        .map_err(|e| format!("could not start watching {}: {e}", root.display()))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            backend,
            watched: Vec::new(),
        };
        watcher
            .backend
            .watcher()
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("could not watch {}: {e}", root.display()))?;
        watcher.rewatch()?;
        Ok(watcher)
    }

    /// After a change: when `content/` or `themes/` itself was created, removed or renamed,
    /// watch whatever is there now.
    pub fn refresh(&mut self, changed: &[PathBuf]) -> Result<(), String> {
        let tops = [self.root.join("content"), self.root.join("themes")];
        if changed.iter().any(|p| tops.contains(p)) {
            self.rewatch()?;
        }
        Ok(())
    }

    fn rewatch(&mut self) -> Result<(), String> {
        for old in std::mem::take(&mut self.watched) {
            // It may be gone already; that is why we are here.
            let _ = self.backend.watcher().unwatch(&old);
        }
        for top in ["content", "themes"] {
            let path = self.root.join(top);
            if !path.is_dir() {
                continue;
            }
            self.backend
                .watcher()
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("could not watch {}: {e}", path.display()))?;
            self.watched.push(path);
        }
        Ok(())
    }
}

/// After a first message, takes every message that arrives until the file system has been
/// quiet for [`DEBOUNCE`] (at most [`MAX_DEBOUNCE`] in all), so that a burst of saves, an
/// editor's write-then-rename or a folder moved with its files becomes one rebuild.
/// `is_change` says which messages are file changes (the others do not extend the wait).
/// Returns the messages, first included, and whether the sender is gone.
pub fn debounce<M>(
    first: M,
    inbox: &Receiver<M>,
    is_change: impl Fn(&M) -> bool,
) -> (Vec<M>, bool) {
    let started = Instant::now();
    let mut quiet_from = started;
    let mut waiting = is_change(&first);
    let mut batch = vec![first];
    while waiting {
        let deadline = (quiet_from + DEBOUNCE).min(started + MAX_DEBOUNCE);
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            break;
        };
        match inbox.recv_timeout(left) {
            Ok(message) => {
                if is_change(&message) {
                    quiet_from = Instant::now();
                }
                batch.push(message);
            }
            Err(RecvTimeoutError::Timeout) => waiting = false,
            Err(RecvTimeoutError::Disconnected) => return (batch, true),
        }
    }
    batch.extend(inbox.try_iter());
    (batch, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_becomes_one_batch_and_reads_are_not_changes() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..5 {
            tx.send(i).expect("send");
        }
        let (batch, gone) = debounce(-1, &rx, |_| true);
        assert_eq!(batch, vec![-1, 0, 1, 2, 3, 4]);
        assert!(!gone);
        // Something other than a change is handled at once.
        let (batch, _) = debounce(7, &rx, |m| *m != 7);
        assert_eq!(batch, vec![7]);

        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
