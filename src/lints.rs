//! Quality lints: warnings about intentions and plans that are valid but less useful to
//! readers than they could be (no target, no reason, no date…). Each lint has a stable id,
//! can be switched in `site.yaml` (`lints: { no-target: allow }`) and accepted for one file
//! with a reason (`accepted_warnings`). Runs on the validated corpus; reads the raw content
//! only to point at the right key and to read the switches and acceptances.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::spans::Segment;
use crate::content::{Loaded, RawContent};
use crate::diagnostics::{unknown_id_hint, Diagnostic, Level};
use crate::model::{Corpus, Signal};
use crate::path;
use crate::values::PartialDate;

/// One quality lint: its id and, in plain words, why it matters to readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lint {
    /// The stable id used in `site.yaml`, `accepted_warnings` and machine-readable output.
    pub id: &'static str,
    /// What it finds, in a few words.
    pub finds: &'static str,
    /// Why it matters to the people who read the site.
    pub why: &'static str,
}

/// Every lint, in the order they are documented.
pub const LINTS: &[Lint] = &[
    Lint {
        id: "no-target",
        finds: "an intention with no measurable target and no outcome",
        why: "readers cannot tell what success looks like, or hold the commissioner to it later",
    },
    Lint {
        id: "no-rationale",
        finds: "an intention with no rationale",
        why: "readers cannot see the evidence, need or policy behind it, so they cannot judge whether it is the right thing to do",
    },
    Lint {
        id: "no-date",
        finds: "an intention in a plan of more than one year with no period, milestone, target date or procurement date of its own",
        why: "providers plan staff and money around when things happen; without a date they cannot tell whether it starts this year or in three",
    },
    Lint {
        id: "unexplained-reduction",
        finds: "a signal of `reduce` or `decommission` with no rationale and no text explaining it",
        why: "people who use the service, and the providers who run it, need to know why it is shrinking or stopping and what will take its place",
    },
    Lint {
        id: "stale-plan",
        finds: "a plan whose period ended before the date the site describes (`as_of`)",
        why: "readers may act on intentions that are no longer current without knowing it",
    },
    Lint {
        id: "unreciprocated-partner",
        finds: "a partner named on an intention none of whose own intentions lists it back in `related`",
        why: "readers of the partner's plan find nothing about the joint work, so they cannot tell whether the partner has agreed to it",
    },
    Lint {
        id: "priority-without-intention",
        finds: "a shared priority an organisation declares but no intention of it serves",
        why: "the cross-reference matrix then shows a promise with nothing behind it, and readers cannot see what the organisation will do about it",
    },
];

/// The id of the warning about an acceptance that no longer matches a warning.
pub const UNNEEDED_ACCEPTANCE: &str = "unneeded-acceptance";

/// The lint with this id.
pub fn lint(id: &str) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.id == id)
}

/// How `site.yaml` switches a lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    Allow,
    Warn,
    Deny,
}

/// Runs every switched-on lint over the corpus (when there is one: the switches and
/// acceptances are checked even when validation failed) and returns the warnings, the
/// errors of denied lints and the errors in the switches and acceptances themselves.
pub fn run(content: &RawContent, corpus: Option<&Corpus>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let switches = switches(content, &mut out);
    let acceptances = acceptances(content, &mut out);
    let Some(corpus) = corpus else {
        return out;
    };
    let mut found = Vec::new();
    let files = Files::new(content);
    intention_lints(corpus, &files, &mut found);
    organisation_lints(corpus, content, &files, &mut found);

    let mut used: HashSet<(std::path::PathBuf, &str)> = HashSet::new();
    for d in found {
        let (Some(code), Some(path)) = (d.code.as_deref(), d.path.as_ref()) else {
            continue;
        };
        let switch = switches.get(code).copied().unwrap_or(Switch::Warn);
        if switch == Switch::Allow {
            continue;
        }
        if let Some(accepted) = acceptances
            .iter()
            .find(|a| a.path == *path && a.lint == code)
        {
            used.insert((accepted.path.clone(), accepted.lint));
            continue;
        }
        let mut d = d;
        if switch == Switch::Deny {
            d.level = Level::Error;
        }
        out.push(d);
    }
    for a in &acceptances {
        let switched_off = switches.get(a.lint) == Some(&Switch::Allow);
        if !switched_off && !used.contains(&(a.path.clone(), a.lint)) {
            out.push(
                Diagnostic::warning(format!(
                    "the accepted warning `{}` no longer applies to this file",
                    a.lint
                ))
                .in_file(&a.path)
                .at(a.span.clone())
                .labelled("nothing to accept here")
                .with_hint("remove this entry from `accepted_warnings`")
                .coded(UNNEEDED_ACCEPTANCE),
            );
        }
    }
    out
}

/// Reads `lints:` in `site.yaml`, reporting unknown ids and switches.
fn switches(content: &RawContent, out: &mut Vec<Diagnostic>) -> BTreeMap<String, Switch> {
    let mut switches = BTreeMap::new();
    let Some(site) = &content.site else {
        return switches;
    };
    if let Some(text) = &site.raw.as_of {
        if let Err(why) = PartialDate::parse(text) {
            out.push(
                site.error_at(&path!["as_of"], format!("`as_of` is not a date: {why}"))
                    .labelled("not a date")
                    .with_hint(
                        "write the date this edition describes as YYYY-MM-DD, YYYY-MM or YYYY",
                    ),
            );
        }
    }
    let ids = LINTS.iter().map(|l| l.id);
    for (id, value) in &site.raw.lints {
        let at = path!["lints", id.as_str()];
        if lint(id).is_none() {
            out.push(
                Diagnostic::error(format!("there is no lint `{id}`"))
                    .in_file(&site.path)
                    .at(site.key_span(&at))
                    .labelled("unknown lint")
                    .with_hint(unknown_id_hint(id, "lint", ids.clone())),
            );
            continue;
        }
        let switch = match value.as_str() {
            "allow" => Switch::Allow,
            "warn" => Switch::Warn,
            "deny" => Switch::Deny,
            other => {
                out.push(
                    site.error_at(&at, format!("`{other}` is not a lint switch"))
                        .labelled("not a switch")
                        .with_hint("write `allow` (off), `warn` (a warning) or `deny` (an error)"),
                );
                continue;
            }
        };
        switches.insert(id.clone(), switch);
    }
    switches
}

/// One `accepted_warnings` entry.
struct Acceptance {
    path: std::path::PathBuf,
    lint: &'static str,
    span: Option<std::ops::Range<usize>>,
}

/// Reads every `accepted_warnings` list, reporting unknown lint ids and missing reasons.
fn acceptances(content: &RawContent, out: &mut Vec<Diagnostic>) -> Vec<Acceptance> {
    let mut found = Vec::new();
    let mut read =
        |path: &std::path::Path,
         list: &[crate::content::raw::RawAcceptedWarning],
         loaded: &dyn Fn(&[Segment]) -> Option<std::ops::Range<usize>>| {
            let ids = LINTS.iter().map(|l| l.id);
            for (i, entry) in list.iter().enumerate() {
                let at = path!["accepted_warnings", i, "lint"];
                let Some(known) = lint(&entry.lint) else {
                    out.push(
                        Diagnostic::error(format!("there is no lint `{}`", entry.lint))
                            .in_file(path)
                            .at(loaded(&at))
                            .labelled("unknown lint")
                            .with_hint(unknown_id_hint(&entry.lint, "lint", ids.clone())),
                    );
                    continue;
                };
                if entry.reason.trim().is_empty() {
                    out.push(
                    Diagnostic::error(format!(
                        "the accepted warning `{}` gives no reason",
                        entry.lint
                    ))
                    .in_file(path)
                    .at(loaded(&path!["accepted_warnings", i, "reason"]))
                    .labelled("empty reason")
                    .with_hint("say in a sentence why the warning is accepted, e.g. \"The source document gives no target.\""),
                );
                    continue;
                }
                found.push(Acceptance {
                    path: path.to_path_buf(),
                    lint: known.id,
                    span: loaded(&at),
                });
            }
        };
    for l in &content.organisations {
        read(&l.path, &l.raw.accepted_warnings, &|p| l.span(p));
    }
    for (_, l) in &content.intentions {
        read(&l.path, &l.raw.accepted_warnings, &|p| l.span(p));
    }
    found
}

/// The loaded files of intentions and organisations, by id, to point into.
struct Files<'a> {
    intentions: HashMap<String, &'a Loaded<crate::content::raw::RawIntention>>,
    organisations: HashMap<&'a str, &'a Loaded<crate::content::raw::RawOrganisation>>,
}

impl<'a> Files<'a> {
    fn new(content: &'a RawContent) -> Self {
        Files {
            intentions: content
                .intentions
                .iter()
                .map(|(folder, l)| (format!("{folder}/{}", l.stem), l))
                .collect(),
            organisations: content
                .organisations
                .iter()
                .map(|l| (l.raw.id.as_str(), l))
                .collect(),
        }
    }
}

/// A warning from lint `id` at the key `at` of a loaded file.
fn warn<T>(
    id: &'static str,
    l: &Loaded<T>,
    at: &[Segment],
    message: String,
    label: &str,
) -> Diagnostic {
    let lint = lint(id).map_or("", |l| l.why);
    Diagnostic::warning(message)
        .in_file(&l.path)
        .at(l.key_span(at))
        .labelled(label)
        .with_hint(format!(
            "This matters because {lint}. To accept it for this file, add `accepted_warnings: [{{lint: {id}, reason: \"…\"}}]`; to switch it off, add `lints: {{{id}: allow}}` to site.yaml"
        ))
        .coded(id)
}

fn intention_lints(corpus: &Corpus, files: &Files, out: &mut Vec<Diagnostic>) {
    for (pos, intention) in corpus.intentions.iter().enumerate() {
        let Some(l) = files.intentions.get(&intention.id) else {
            continue;
        };
        if intention.targets.is_empty() && intention.outcomes.is_empty() {
            out.push(warn(
                "no-target",
                l,
                &path!["title"],
                format!("`{}` has no measurable target and no outcome", intention.id),
                "add `targets` or `outcomes`",
            ));
        }
        if intention.rationale.is_empty() {
            out.push(warn(
                "no-rationale",
                l,
                &path!["title"],
                format!("`{}` gives no rationale", intention.id),
                "add `rationale`: the evidence and policy behind it",
            ));
        }
        let dated = intention.period_given
            || !intention.milestones.is_empty()
            || intention.targets.iter().any(|t| t.by.is_some())
            || intention
                .procurement
                .as_ref()
                .is_some_and(|p| p.expected.is_some());
        // Within a one-year plan the plan's year dates the intention well enough.
        let plan_years = corpus
            .organisation(&intention.organisation)
            .map_or(1, |o| o.plan.period.end - o.plan.period.start + 1);
        if !dated && plan_years > 1 {
            out.push(warn(
                "no-date",
                l,
                &path!["title"],
                format!(
                    "`{}` has no period, milestone, target date or procurement date",
                    intention.id
                ),
                "add `period`, `milestones` or a date",
            ));
        }
        let shrinking = matches!(intention.signal, Signal::Reduce | Signal::Decommission);
        let body_empty = l.body().trim().is_empty();
        if shrinking && intention.rationale.is_empty() && body_empty {
            out.push(warn(
                "unexplained-reduction",
                l,
                &path!["signal"],
                format!(
                    "`{}` is to {} a service without saying why",
                    intention.id,
                    intention.signal.id()
                ),
                "explain this in `rationale` or the text",
            ));
        }
        for (i, partner) in intention.partners.iter().enumerate() {
            let Some(partner_pos) = corpus.organisation_pos(partner) else {
                continue;
            };
            let listed_back = corpus.index.related_by[pos]
                .iter()
                .any(|&other| corpus.intentions[other].organisation == *partner)
                || corpus.index.intentions_by_organisation[partner_pos]
                    .iter()
                    .any(|&other| corpus.intentions[other].related.contains(&intention.id));
            if !listed_back {
                out.push(warn(
                    "unreciprocated-partner",
                    l,
                    &path!["partners", i],
                    format!(
                        "the partner `{partner}` has no intention that lists `{}` in `related`",
                        intention.id
                    ),
                    "not listed back by this partner",
                ));
            }
        }
    }
}

fn organisation_lints(
    corpus: &Corpus,
    content: &RawContent,
    files: &Files,
    out: &mut Vec<Diagnostic>,
) {
    let as_of = as_of(corpus, content);
    for (pos, organisation) in corpus.organisations.iter().enumerate() {
        let Some(l) = files.organisations.get(organisation.id.as_str()) else {
            continue;
        };
        if let Some((date, said)) = &as_of {
            if organisation.plan.period.ends_before(date) {
                out.push(warn(
                    "stale-plan",
                    l,
                    &path!["plan", "period"],
                    format!(
                        "the plan of `{}` covers {}, which ended before {} ({said})",
                        organisation.id, organisation.plan.period, date
                    ),
                    "this period is over",
                ));
            }
        }
        let served: HashSet<&str> = corpus
            .commissioned_by(pos)
            .flat_map(|i| corpus.intentions[i].priorities.iter().map(String::as_str))
            .collect();
        for (i, priority) in organisation.priorities.iter().enumerate() {
            if !served.contains(priority.as_str()) {
                out.push(warn(
                    "priority-without-intention",
                    l,
                    &path!["priorities", i],
                    format!(
                        "`{}` declares the priority `{priority}` but none of its intentions serves it",
                        organisation.id
                    ),
                    "no intention has this priority",
                ));
            }
        }
    }
}

/// The date the stale-plan lint compares with, and where it comes from: `as_of` in
/// `site.yaml`, else the newest plan's published date. Never the clock, so that checking the
/// same content gives the same warnings on any day.
fn as_of(corpus: &Corpus, content: &RawContent) -> Option<(PartialDate, &'static str)> {
    let stated = content
        .site
        .as_ref()
        .and_then(|s| s.raw.as_of.as_deref())
        .and_then(|text| PartialDate::parse(text).ok());
    match stated {
        Some(date) => Some((date, "the site's `as_of` date")),
        None => corpus
            .organisations
            .iter()
            .map(|o| o.plan.published)
            .max()
            .map(|date| (date, "the newest plan's published date")),
    }
}
