//! Writing the site: every file is written into a staging folder beside the output as soon
//! as it is made, and that folder is swapped in only when every file was written. A failed
//! build leaves the previous output exactly as it was.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;

/// A file of the finished site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, with `/` separators.
    pub path: String,
    /// Its bytes as published.
    pub bytes: Vec<u8>,
}

/// A site being written: a folder of its own beside the output, filled file by file (from
/// any number of threads) and swapped in by [`Staging::finish`]. Dropped unfinished, it is
/// removed, so a failed build leaves only the previous output.
pub struct Staging {
    folder: PathBuf,
    output: PathBuf,
    previous: PathBuf,
    written: AtomicUsize,
    finished: bool,
}

impl Staging {
    /// Makes an empty staging folder for a new edition of `output`.
    pub fn create(output: &Path) -> Result<Staging, Diagnostic> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create the folder", &e))?;
        // Unique per build, not just per process: two builds at once (two processes, or two
        // threads of one) must never write into the same staging folder.
        static BUILDS: AtomicUsize = AtomicUsize::new(0);
        let unique = format!(
            "{}-{}",
            std::process::id(),
            BUILDS.fetch_add(1, Ordering::Relaxed)
        );
        let staging = Staging {
            folder: parent.join(format!(".{name}.building-{unique}")),
            output: output.to_path_buf(),
            previous: parent.join(format!(".{name}.previous-{unique}")),
            written: AtomicUsize::new(0),
            finished: false,
        };
        let _ = std::fs::remove_dir_all(&staging.folder);
        std::fs::create_dir_all(&staging.folder)
            .map_err(|e| io_error(&staging.folder, "create the folder", &e))?;
        Ok(staging)
    }

    /// Writes one file of the site; a later write to the same path replaces it.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        std::fs::write(&target, bytes).map_err(|e| io_error(&target, "write", &e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file of the site as `write` makes it, through a buffer, so a large file
    /// is never held whole. Errors `write` returns are reported with the file's path.
    pub fn write_with(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), String>,
    ) -> Result<(), Diagnostic> {
        let target = self.target(path)?;
        let file = std::fs::File::create(&target).map_err(|e| io_error(&target, "write", &e))?;
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
        write(&mut out)
            .map_err(|message| Diagnostic::error(format!("{message} (writing {path})")))?;
        std::io::Write::flush(&mut out).map_err(|e| io_error(&target, "write", &e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file of the site as `write` makes it, through a buffer, and hands back what
    /// `write` returned: its own failure is for the caller to report (see
    /// [`Staging::write_error`] for one that was the file's). The file counts as written only
    /// when `write` succeeded.
    pub fn write_streamed<E>(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), E>,
    ) -> Result<Result<(), E>, Diagnostic> {
        let target = self.target(path)?;
        let file = std::fs::File::create(&target).map_err(|e| io_error(&target, "write", &e))?;
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
        if let Err(e) = write(&mut out) {
            return Ok(Err(e));
        }
        std::io::Write::flush(&mut out).map_err(|e| io_error(&target, "write", &e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(Ok(()))
    }

    /// The error of a file of the site that could not be written.
    pub fn write_error(&self, path: &str, error: &std::io::Error) -> Diagnostic {
        let target = safe_join(&self.folder, path).unwrap_or_else(|| self.folder.join(path));
        io_error(&target, "write", error)
    }

    /// Where `path` goes in the staging folder, its folder made.
    fn target(&self, path: &str) -> Result<PathBuf, Diagnostic> {
        let target = safe_join(&self.folder, path).ok_or_else(|| {
            Diagnostic::error(format!(
                "refusing to write `{path}` outside the output folder"
            ))
        })?;
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", &e))?;
        }
        Ok(target)
    }

    /// Puts the staging folder in place of the output. Returns the number of files written.
    pub fn finish(mut self) -> Result<usize, Diagnostic> {
        // From here on `swap_in` owns the folder and removes it if it fails.
        self.finished = true;
        swap_in(&self.folder, &self.output, &self.previous)?;
        // A path written twice counts twice.
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

/// Replaces `output` with `staging`, keeping the old output until the new one is in place.
///
/// Another build may swap its own folder in at the same moment: renaming a folder over a
/// non-empty one fails, so on that failure the other build's output is moved aside and the
/// rename tried again. Whichever build renames last wins; the output is always one whole
/// build, never a mixture.
fn swap_in(staging: &Path, output: &Path, previous: &Path) -> Result<(), Diagnostic> {
    let mut last_error = None;
    for attempt in 0..50 {
        let moved_aside = match std::fs::rename(output, previous) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => {
                let _ = std::fs::remove_dir_all(staging);
                return Err(io_error(output, "move aside", &e));
            }
        };
        match std::fs::rename(staging, output) {
            Ok(()) => {
                if moved_aside {
                    remove_site(previous);
                }
                return Ok(());
            }
            Err(e) => {
                if moved_aside && !output.exists() {
                    // Put the old site back so readers never see a missing folder for long.
                    let _ = std::fs::rename(previous, output);
                } else if moved_aside {
                    remove_site(previous);
                }
                // Only a folder that reappeared (another build's) is worth another try.
                let raced = output.exists() && staging.exists();
                last_error = Some(e);
                if !raced {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(attempt.min(10)));
            }
        }
    }
    let _ = std::fs::remove_dir_all(staging);
    let error =
        last_error.unwrap_or_else(|| std::io::Error::other("another build kept replacing it"));
    Err(io_error(output, "put the new site in place at", &error))
}

/// Removes a previous site's folder. Its folders two levels down (`intentions/<org>`, many
/// and of like size) are removed side by side: at 10,000 intentions, removing the
/// previous output on one thread took half a second at the end of every build.
fn remove_site(folder: &Path) {
    use rayon::prelude::*;
    let entries = |folder: &Path| -> Vec<std::fs::DirEntry> {
        std::fs::read_dir(folder)
            .map(|entries| entries.flatten().collect())
            .unwrap_or_default()
    };
    // `file_type` does not follow links: a link is removed, never what it points to.
    let is_folder = |entry: &std::fs::DirEntry| entry.file_type().is_ok_and(|t| t.is_dir());
    let two_down: Vec<std::fs::DirEntry> = entries(folder)
        .iter()
        .filter(|entry| is_folder(entry))
        .flat_map(|entry| entries(&entry.path()))
        .collect();
    two_down.par_iter().for_each(|entry| {
        let _ = if is_folder(entry) {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
    });
    let _ = std::fs::remove_dir_all(folder);
}

/// Joins a site path to a folder, refusing anything that would climb out of it.
fn safe_join(base: &Path, relative: &str) -> Option<PathBuf> {
    let mut path = base.to_path_buf();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains('\\') || p.contains(':') => return None,
            p => path.push(p),
        }
    }
    Some(path)
}

fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("could not {action} {}: {error}", path.display()))
        .with_hint("check the output folder is writable and the disk is not full; the previous site is unchanged")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_to_climb() {
        let base = Path::new("/site");
        assert_eq!(
            safe_join(base, "a/b.html"),
            Some(PathBuf::from("/site/a/b.html"))
        );
        assert_eq!(safe_join(base, "a/../../etc/passwd"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_previous_site_is_removed_whole_and_what_its_links_point_to_is_not() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).expect("a folder");
        std::fs::write(outside.join("keep.txt"), "kept").expect("a file");
        let site = dir.path().join("previous");
        for path in [
            "index.html",
            "a/index.html",
            "a/b/index.html",
            "a/b/c/d.json",
        ] {
            let path = site.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
            std::fs::write(path, "x").expect("a file");
        }
        std::os::unix::fs::symlink(&outside, site.join("a/link")).expect("a link");
        std::os::unix::fs::symlink(&outside, site.join("link")).expect("a link");
        remove_site(&site);
        assert!(!site.exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("keep.txt")).ok(),
            Some("kept".to_string())
        );
    }

    #[test]
    fn a_streamed_file_is_written_whole_and_a_failed_one_names_its_path() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let output = dir.path().join("public");
        let staging = Staging::create(&output).expect("a staging folder");
        let written = staging.write_with("data/big.json", |out| {
            for n in 0..100_000 {
                write!(out, "{n},").map_err(|e| e.to_string())?;
            }
            Ok(())
        });
        assert!(written.is_ok());
        let failed = staging
            .write_with(
                "data/bad.csv",
                |_| Err("could not write bad.csv: no".into()),
            )
            .expect_err("the writer failed");
        assert!(failed.message.contains("could not write bad.csv: no"));
        assert!(failed.message.ends_with("(writing data/bad.csv)"));
        // A page written as it is laid out: its own failure is handed back as it was.
        let page = staging.write_streamed("market/x/index.html", |out| {
            out.write_all(b"<html>").map_err(|e| e.to_string())
        });
        assert!(matches!(page, Ok(Ok(()))));
        let broken = staging.write_streamed("market/y/index.html", |out| {
            out.write_all(b"<ht").map_err(|e| e.to_string())?;
            Err("template failed".to_string())
        });
        assert!(matches!(broken, Ok(Err(e)) if e == "template failed"));
        let e = std::io::Error::other("disk full");
        let d = staging.write_error("market/y/index.html", &e);
        assert!(d.message.contains("market/y/index.html") && d.message.ends_with("disk full"));
        assert_eq!(staging.finish().ok(), Some(2));
        assert_eq!(
            std::fs::read_to_string(output.join("market/x/index.html")).ok(),
            Some("<html>".into())
        );
        let expected: String = (0..100_000).map(|n| format!("{n},")).collect();
        assert_eq!(
            std::fs::read_to_string(output.join("data/big.json")).ok(),
            Some(expected)
        );
    }
}
