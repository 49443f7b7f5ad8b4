//! The served site: the last good build as a map of path → bytes, the error overlay of a
//! failed rebuild, and a generation number. Handlers read a snapshot; the rebuild thread
//! publishes a new one, and every waiting browser hears about it.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::body::Bytes;
use tokio::sync::watch;

/// Every file of the site, by its path inside the site (`organisations/x/index.html`).
pub type Files = Arc<BTreeMap<String, Bytes>>;

/// What the server shows at one moment. Never changed once published.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts the published changes, so a browser can tell it missed one.
    pub generation: u64,
    /// The last good build (empty until the first build succeeds).
    pub files: Files,
    /// The overlay describing the last failed rebuild, as HTML, while it is not fixed.
    pub overlay: Option<String>,
    /// Pages made for an edit ahead of the rebuild, served instead of those in `files` until
    /// the rebuild's site replaces both.
    pub early: Option<Files>,
    /// Set while an edit is shown before the rebuild that follows it is done: the only
    /// files known to be current. A request for any other waits for the rebuild.
    pub settling: Option<Arc<HashSet<String>>>,
    /// The files this publication changed, when few enough to list: a browser showing
    /// another page need not reload. `None` means every page may have changed.
    pub changed: Option<Arc<Vec<String>>>,
}

impl Snapshot {
    /// The file at `path` inside the site, as served now.
    pub fn file(&self, path: &str) -> Option<&Bytes> {
        self.early
            .as_ref()
            .and_then(|early| early.get(path))
            .or_else(|| self.files.get(path))
    }
}

/// Above this many changed files, browsers are told that everything changed.
const MOST_CHANGES_LISTED: usize = 500;

/// The server's shared state: handed to the HTTP handlers and the rebuild thread, never
/// global.
#[derive(Debug)]
pub struct SiteState {
    current: watch::Sender<Arc<Snapshot>>,
}

impl SiteState {
    /// Starts with a site and an overlay (either may be empty).
    pub fn new(files: Files, overlay: Option<String>) -> Self {
        let (current, _) = watch::channel(Arc::new(Snapshot {
            generation: 1,
            files,
            overlay,
            early: None,
            settling: None,
            changed: None,
        }));
        SiteState { current }
    }

    /// What is served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.borrow().clone()
    }

    /// Waits for changes after this call (for the reload events).
    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.current.subscribe()
    }

    /// A successful rebuild: serve `files` and clear any overlay. `changed` lists the files
    /// whose bytes changed or that are gone. Browsers are told only when something they
    /// could see changed, or when an edit shown early is now settled. Returns whether they were.
    pub fn publish_site(&self, files: Files, changed: &[String]) -> bool {
        self.publish(|now| {
            let told = !changed.is_empty() || now.overlay.is_some() || now.settling.is_some();
            told.then(|| {
                // After an error every page had the overlay: all of them reload.
                let listed = now.overlay.is_none() && changed.len() <= MOST_CHANGES_LISTED;
                Snapshot {
                    generation: now.generation + 1,
                    files: files.clone(),
                    overlay: None,
                    early: None,
                    settling: None,
                    changed: listed.then(|| Arc::new(changed.to_vec())),
                }
            })
        })
    }

    /// An edit shown before its rebuild is done: serve `early` over the site's files; only
    /// the files in `fresh` are known to be current until [`SiteState::publish_site`] or
    /// [`SiteState::publish_error`] settles it.
    pub fn publish_early(&self, early: Files, fresh: HashSet<String>, changed: &[String]) {
        self.publish(|now| {
            Some(Snapshot {
                generation: now.generation + 1,
                files: now.files.clone(),
                overlay: None,
                early: Some(early.clone()),
                settling: Some(Arc::new(fresh)),
                changed: Some(Arc::new(changed.to_vec())),
            })
        });
    }

    /// A failed rebuild: keep the last good site and show `overlay` on it. Returns whether
    /// browsers were told (not when the same error is shown already).
    pub fn publish_error(&self, overlay: String) -> bool {
        self.publish(|now| {
            (now.overlay.as_deref() != Some(overlay.as_str()) || now.settling.is_some()).then(
                || Snapshot {
                    generation: now.generation + 1,
                    files: now.files.clone(),
                    overlay: Some(overlay.clone()),
                    // A page shown early had no errors of its own: it stays, under the overlay.
                    early: now.early.clone(),
                    settling: None,
                    changed: None,
                },
            )
        })
    }

    /// Serves `files` from now on without telling browsers: for a change they need not
    /// reload for (a search index that caught up with the pages). Any overlay stays.
    pub fn replace_files_quietly(&self, files: Files) {
        self.current.send_if_modified(|now| {
            *now = Arc::new(Snapshot {
                generation: now.generation,
                files,
                overlay: now.overlay.clone(),
                early: now.early.clone(),
                settling: now.settling.clone(),
                changed: now.changed.clone(),
            });
            false
        });
    }

    fn publish(&self, next: impl FnOnce(&Snapshot) -> Option<Snapshot>) -> bool {
        self.current.send_if_modified(|now| match next(now) {
            Some(snapshot) => {
                *now = Arc::new(snapshot);
                true
            }
            None => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_site_or_the_same_error_is_not_announced() {
        let state = SiteState::new(Files::default(), None);
        assert!(!state.publish_site(Files::default(), &[]));
        assert!(state.publish_error("broken".into()));
        assert!(!state.publish_error("broken".into()));
        assert_eq!(state.snapshot().generation, 2);
        // Fixing the error is announced even when the site itself is the same.
        assert!(state.publish_site(Files::default(), &[]));
        assert!(state.snapshot().overlay.is_none());
        assert_eq!(state.snapshot().generation, 3);
    }

    #[test]
    fn a_quiet_replacement_is_served_but_not_announced() {
        let state = SiteState::new(Files::default(), None);
        let mut listening = state.subscribe();
        listening.borrow_and_update();
        let mut files = BTreeMap::new();
        files.insert("pagefind/x".to_string(), Bytes::from_static(b"x"));
        state.replace_files_quietly(Arc::new(files));
        assert!(state.snapshot().files.contains_key("pagefind/x"));
        assert_eq!(state.snapshot().generation, 1);
        assert!(!listening.has_changed().unwrap_or(true));
    }
}
