//! The `intentions` command line: parses arguments, runs a stage of the library, prints
//! diagnostics and sets the exit code. Nothing else lives here.
// Diagnostics are this crate's error values by design; they are rare and carry a span.
#![allow(clippy::result_large_err)]

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use intentions::diagnostics::{self, Diagnostic, Sources};
use intentions::formats;
use intentions::scaffold::{self, NewFile};

// Builds allocate millions of small strings on every core (and Pagefind more); glibc's
// malloc spent a quarter of a 10,000-intention build in its own locks and lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: how long freed memory waits before it goes back to the
/// system. libmimalloc-sys does not name it; this is its place in mimalloc.h (v2 and v3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long, in milliseconds, `check` and `build` keep memory they free before handing it
/// back (mimalloc's default is a second). A build's phases each free much of what the one
/// before used (data files, browse lists, then the search index); handed back soon, the next
/// phase's pages are faulted in again, which with small pages costs little. At 10,000
/// intentions, builds alternated 4 times: 351 MiB at the peak in 5.8 s, against 636 MiB in
/// 6.0 s keeping everything with huge pages (as before) and 587 MiB keeping everything with
/// small pages; 300 ms gave 418 MiB, and 10 ms was 6% slower for 343 MiB.
const BUILD_PURGE_DELAY_MS: std::os::raw::c_long = 30;

/// Sets how the allocator treats memory for `check` and `build`, which run once and end.
fn tune_memory_for_one_build() {
    // SAFETY: setting an option has no preconditions.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, BUILD_PURGE_DELAY_MS) }
}

/// Turns transparent huge pages off for this process. mimalloc asks for them, and the first
/// touch of a 2 MiB huge page clears all of it; memory handed back a part at a time stays
/// resident in it. On our 2-core machines clearing pages was up to a fifth of a
/// 10,000-intention build's CPU time, and a build with small pages peaked at a tenth less.
fn small_pages_only() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; if the
    // kernel refuses, the process keeps huge pages, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Publish health and social care commissioning intentions as an accessible website.
#[derive(Parser)]
#[command(name = "intentions", version, about, long_about = None, after_help = "\
Examples:
  intentions check                       validate the content in ./content
  intentions build                       build ./content into ./public
  intentions build --root site --output /tmp/site
  intentions serve                       preview ./content at http://127.0.0.1:1111/
  intentions new intention --organisation somerset-county-council --title \"Expand extra care housing\"")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder. On any error nothing is written.
    #[command(after_help = "Example:\n  intentions build --root my-site --output my-site/public")]
    Build {
        /// The site's root folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fail, writing nothing, when there is any warning.
        #[arg(long)]
        deny_warnings: bool,
        /// Publish /changes/ and /changes.json: what changed since this previous edition, a
        /// git revision (HEAD~1, a tag) or a folder holding content/.
        #[arg(long, value_name = "REV|DIR")]
        changes_since: Option<String>,
    },
    /// Validate everything a build would, write nothing. Exit 1 on any error.
    #[command(
        after_help = "Examples (in CI):\n  intentions check --root . || exit 1\n  intentions check --format github --deny-warnings\n  intentions check --format json > diagnostics.json"
    )]
    Check {
        /// The site's root folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// human (like rustc, on standard error), json (on standard output) or github
        /// (workflow commands that annotate pull requests, on standard output).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 when there is any warning, not only on errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the site into memory, serve it, rebuild on every change and reload the browser.
    #[command(
        after_help = "Examples:\n  intentions serve\n  intentions serve --root my-site --port 8080 --open"
    )]
    Serve {
        /// The site's root folder, holding content/ (and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback lets other machines read the
        /// preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Look for changes by scanning every 500 ms, for file systems that send no events
        /// (network shares, some containers and virtual machines).
        #[arg(long)]
        poll: bool,
    },
    /// Print the JSON Schema of a kind of content file, for editors' completion and checks.
    #[command(
        after_help = "Examples:\n  intentions schema intention > intention.schema.json\n  intentions schema          (every kind, as one JSON object keyed by kind)"
    )]
    Schema {
        /// site, taxonomy, area, organisation, intention or market [default: all of them].
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(intentions::schema::KINDS))]
        kind: Option<String>,
    },
    /// Create a new organisation or intention file that passes `check`.
    New {
        #[command(subcommand)]
        what: NewCommand,
        /// The site's root folder, holding content/.
        #[arg(long, default_value = ".", global = true)]
        root: PathBuf,
    },
}

/// How `check` prints diagnostics.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Like rustc, with the offending text, on standard error.
    Human,
    /// One JSON document on standard output.
    Json,
    /// GitHub Actions workflow commands on standard output.
    Github,
}

#[derive(Subcommand)]
enum NewCommand {
    /// content/organisations/<id>.md
    #[command(
        after_help = "Example:\n  intentions new organisation --id coventry-city-council --name \"Coventry City Council\" --area warwickshire --kind local-authority"
    )]
    Organisation {
        /// The organisation's id: lowercase letters, digits and hyphens.
        #[arg(long)]
        id: String,
        /// Its full name.
        #[arg(long)]
        name: String,
        /// The id of its area (content/areas/<id>.md).
        #[arg(long)]
        area: String,
        /// local-authority, ccg, icb, public-health, nhs-trust, nhs-england, voluntary-sector or other.
        #[arg(long, default_value = "local-authority")]
        kind: String,
    },
    /// content/intentions/<organisation>/<slug>.md
    #[command(
        after_help = "Example:\n  intentions new intention --organisation lancashire-county-council --title \"Re-commission carers' support\""
    )]
    Intention {
        /// The lead organisation's id.
        #[arg(long)]
        organisation: String,
        /// The intention's title.
        #[arg(long)]
        title: String,
        /// The file name without .md [default: derived from the title].
        #[arg(long)]
        slug: Option<String>,
    },
}

fn main() -> ExitCode {
    small_pages_only();
    let cli = Cli::parse();
    if matches!(cli.command, Command::Check { .. } | Command::Build { .. }) {
        tune_memory_for_one_build();
    }
    match cli.command {
        Command::Check {
            root,
            format,
            deny_warnings,
        } => {
            let outcome = intentions::check(&root);
            let found = &outcome.diagnostics;
            match format {
                Format::Human => report(found, &outcome.sources),
                Format::Json => print!("{}", formats::json(found, &outcome.sources)),
                Format::Github => print!("{}", formats::github(found, &outcome.sources)),
            }
            let warned = deny_warnings && !found.is_empty();
            match outcome.value {
                Some(corpus) if !warned => {
                    eprintln!(
                        "ok: {} organisations, {} intentions, {} priorities, {} service areas; {}",
                        corpus.organisations.len(),
                        corpus.intentions.len(),
                        corpus.priorities.len(),
                        corpus.service_areas.len(),
                        diagnostics::summary(found)
                    );
                    ExitCode::SUCCESS
                }
                _ => {
                    if format != Format::Human {
                        eprintln!("{}", diagnostics::summary(found));
                    }
                    if warned && !diagnostics::has_errors(found) {
                        eprintln!("failed: --deny-warnings turns every warning into a failure");
                    }
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build {
            root,
            output,
            deny_warnings,
            changes_since,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = intentions::BuildOptions {
                deny_warnings,
                changes_since,
            };
            let outcome = intentions::build_with(&root, &output, &options);
            report(&outcome.diagnostics, &outcome.sources);
            match outcome.value {
                Some(report) => {
                    eprintln!(
                        "built {} pages ({} files) into {}",
                        report.pages,
                        report.files,
                        report.output.display()
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    if deny_warnings && !diagnostics::has_errors(&outcome.diagnostics) {
                        eprintln!("--deny-warnings turns every warning into a failure");
                    }
                    eprintln!("the build failed; {} was left as it was", output.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
        } => {
            let options = intentions::serve::Options {
                root,
                bind,
                port,
                poll,
                quiet: false,
            };
            match intentions::serve::run(options, open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Schema { kind } => {
            let text = match kind {
                Some(kind) => intentions::schema::schema_text(&kind).unwrap_or_default(),
                None => {
                    let all: serde_json::Map<String, serde_json::Value> = intentions::schema::KINDS
                        .iter()
                        .filter_map(|k| intentions::schema::schema(k).map(|s| (k.to_string(), s)))
                        .collect();
                    serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
                }
            };
            print!("{text}");
            ExitCode::SUCCESS
        }
        Command::New { what, root } => {
            let new = match what {
                NewCommand::Organisation {
                    id,
                    name,
                    area,
                    kind,
                } => NewFile::Organisation {
                    id,
                    name,
                    area,
                    kind,
                },
                NewCommand::Intention {
                    organisation,
                    title,
                    slug,
                } => NewFile::Intention {
                    organisation,
                    title,
                    slug,
                },
            };
            match scaffold::create(&root, &new, scaffold::today()) {
                Ok(path) => {
                    println!("{}", path.display());
                    eprintln!(
                        "created {}; edit it, then run `intentions check`",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report(&[d], &Sources::default());
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Prints every diagnostic to standard error, in colour on a terminal, with a summary.
fn report(found: &[Diagnostic], sources: &Sources) {
    if found.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render(found, sources, color));
    eprintln!("{}", diagnostics::summary(found));
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        // Its default, 1000 ms in mimalloc v3, is no other option's.
        // SAFETY: reading an option has no preconditions.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) },
            1000
        );
    }
}
