//! Quality lints: each one fires on the fixture where it should, at the right key, and not
//! once fixed; `site.yaml` switches them; `accepted_warnings` accepts them with a reason; and
//! the bundled example has no warning it does not accept.

use std::path::Path;

use intentions::diagnostics::{Diagnostic, Level};

use crate::fixture::{Checked, Site};

const BEDS: &str = "content/intentions/shire-council/short-stay-beds.md";
const STROKE: &str = "content/intentions/shire-ccg/stroke-unit.md";
const COUNCIL: &str = "content/organisations/shire-council.md";
const CCG: &str = "content/organisations/shire-ccg.md";
const SITE: &str = "content/site.yaml";

/// The warnings of one lint, each with its file name, line and column.
fn coded(checked: &Checked, code: &str) -> Vec<(String, usize, usize, Level)> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_deref() == Some(code))
        .map(|d| {
            let (line, column) = position(checked, d);
            let file = d
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            (file, line, column, d.level)
        })
        .collect()
}

fn position(checked: &Checked, d: &Diagnostic) -> (usize, usize) {
    match (&d.path, &d.span) {
        (Some(p), Some(s)) => checked.sources.line_column(p, s.start).unwrap_or((0, 0)),
        _ => (0, 0),
    }
}

/// A fixture with none of the lints firing, to change one thing at a time.
fn clean_site() -> Site {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\nperiod: 2014/15\noutcomes:\n  - Faster treatment.\nrationale:\n  - Outcomes are better in a specialist unit.\nrelated: [shire-council/short-stay-beds]",
    );
    site.edit(
        COUNCIL,
        "priorities: [stroke, frailty]",
        "priorities: [frailty]",
    );
    site.edit(
        CCG,
        "priorities: [stroke, dementia]",
        "priorities: [stroke]",
    );
    let checked = site.check();
    assert!(
        checked.ok && checked.diagnostics.is_empty(),
        "{}",
        checked.rendered()
    );
    site
}

#[test]
fn the_fixture_as_written_gets_each_intention_and_organisation_lint() {
    let site = Site::new();
    let checked = site.check();
    assert!(checked.ok, "warnings never fail a check");
    assert_eq!(
        coded(&checked, "no-target"),
        [("stroke-unit.md".into(), 2, 1, Level::Warning)]
    );
    assert_eq!(
        coded(&checked, "no-rationale"),
        [("stroke-unit.md".into(), 2, 1, Level::Warning)]
    );
    // The CCG's plan covers three years and the intention gives no date of its own.
    assert_eq!(
        coded(&checked, "no-date"),
        [("stroke-unit.md".into(), 2, 1, Level::Warning)]
    );
    // Beds names the CCG as partner; the CCG's stroke intention does not list it back.
    assert_eq!(
        coded(&checked, "unreciprocated-partner"),
        [("short-stay-beds.md".into(), 6, 12, Level::Warning)]
    );
    let priorities = coded(&checked, "priority-without-intention");
    assert!(
        priorities.contains(&("shire-council.md".into(), 18, 14, Level::Warning)),
        "{priorities:?}"
    );
    assert!(
        priorities.contains(&("shire-ccg.md".into(), 13, 22, Level::Warning)),
        "{priorities:?}"
    );
    let (d, _, _) = checked.find("has no measurable target");
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("This matters because readers"), "{hint}");
    assert!(hint.contains("accepted_warnings"), "{hint}");
}

#[test]
fn no_target_is_satisfied_by_an_outcome_or_a_target() {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\noutcomes:\n  - Faster treatment.",
    );
    assert!(coded(&site.check(), "no-target").is_empty());
}

#[test]
fn no_date_is_satisfied_by_a_period_or_a_milestone_and_not_needed_in_a_one_year_plan() {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\nmilestones:\n  - date: 2015-01\n    label: Unit opens",
    );
    assert!(coded(&site.check(), "no-date").is_empty());
    let site = Site::new();
    site.edit(CCG, "period: 2014/15-2016/17", "period: 2014/15");
    assert!(coded(&site.check(), "no-date").is_empty());
}

#[test]
fn a_reduction_or_decommission_without_a_reason_is_flagged_at_the_signal() {
    let site = clean_site();
    site.write(
        "content/intentions/shire-ccg/close-ward.md",
        "---\ntitle: Close the old ward\norganisation: shire-ccg\nsignal: decommission\nperiod: 2014/15\noutcomes:\n  - Fewer beds.\n---\n",
    );
    let checked = site.check();
    assert_eq!(
        coded(&checked, "unexplained-reduction"),
        [("close-ward.md".into(), 4, 1, Level::Warning)]
    );
    // A text saying why is an explanation.
    site.write(
        "content/intentions/shire-ccg/close-ward.md",
        "---\ntitle: Close the old ward\norganisation: shire-ccg\nsignal: decommission\nperiod: 2014/15\noutcomes:\n  - Fewer beds.\n---\nThe ward is unsafe and its patients move to the new unit.\n",
    );
    assert!(coded(&site.check(), "unexplained-reduction").is_empty());
}

#[test]
fn a_partner_listing_the_intention_back_clears_the_partner_warning() {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\nrelated: [shire-council/short-stay-beds]",
    );
    assert!(coded(&site.check(), "unreciprocated-partner").is_empty());
}

#[test]
fn a_plan_is_stale_after_the_sites_as_of_date_and_by_default_after_the_newest_plan() {
    let site = clean_site();
    site.edit(SITE, "navigation:", "as_of: 2016-01-01\nnavigation:");
    let checked = site.check();
    // The council's 2014/15 ended in March 2015; the CCG's runs to March 2017.
    assert_eq!(
        coded(&checked, "stale-plan"),
        [("shire-council.md".into(), 12, 3, Level::Warning)]
    );
    assert!(checked.diagnostics[0]
        .message
        .contains("the site's `as_of` date"));

    // Without `as_of`, the newest published plan dates the edition: never the clock.
    let site = clean_site();
    site.edit(COUNCIL, "period: 2014/15", "period: 2010/11");
    let checked = site.check();
    assert_eq!(
        coded(&checked, "stale-plan"),
        [("shire-council.md".into(), 12, 3, Level::Warning)]
    );
    let (d, _, _) = checked.find("ended before");
    assert!(
        d.message.contains("newest plan's published date"),
        "{}",
        d.message
    );

    let site = clean_site();
    site.edit(SITE, "navigation:", "as_of: soon\nnavigation:");
    let checked = site.check();
    assert!(!checked.ok);
    let (_, line, column) = checked.find("`as_of` is not a date");
    assert_eq!((line, column), (4, 8));
}

#[test]
fn site_yaml_switches_lints_off_or_into_errors_and_checks_their_ids() {
    let site = Site::new();
    site.edit(
        SITE,
        "navigation:",
        "lints:\n  no-target: allow\n  no-rationale: deny\nnavigation:",
    );
    let checked = site.check();
    assert!(coded(&checked, "no-target").is_empty());
    assert_eq!(
        coded(&checked, "no-rationale"),
        [("stroke-unit.md".into(), 2, 1, Level::Error)]
    );
    assert!(!checked.ok, "a denied lint fails the check");

    let site = Site::new();
    site.edit(
        SITE,
        "navigation:",
        "lints:\n  no-targets: allow\n  no-date: sometimes\nnavigation:",
    );
    let checked = site.check();
    assert!(!checked.ok);
    let (d, line, column) = checked.find("there is no lint `no-targets`");
    assert_eq!((line, column), (5, 3));
    assert_eq!(d.hint.as_deref(), Some("did you mean `no-target`?"));
    let (d, _, _) = checked.find("`sometimes` is not a lint switch");
    assert!(d.hint.as_deref().unwrap_or_default().contains("allow"));
}

#[test]
fn accepted_warnings_need_a_known_lint_and_a_reason_and_must_still_apply() {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\naccepted_warnings:\n  - lint: no-target\n    reason: The source document gives no target.",
    );
    let checked = site.check();
    assert!(
        coded(&checked, "no-target").is_empty(),
        "{}",
        checked.rendered()
    );
    assert_eq!(
        coded(&checked, "no-rationale").len(),
        1,
        "only that lint is accepted"
    );

    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\naccepted_warnings:\n  - lint: no-targt\n    reason: The source document gives no target.\n  - lint: no-rationale\n    reason: \" \"",
    );
    let checked = site.check();
    assert!(!checked.ok);
    let (d, line, column) = checked.find("there is no lint `no-targt`");
    assert_eq!((line, column), (7, 11));
    assert_eq!(d.hint.as_deref(), Some("did you mean `no-target`?"));
    let (_, line, _) = checked.find("the accepted warning `no-rationale` gives no reason");
    assert_eq!(line, 10);

    let site = Site::new();
    site.edit(
        BEDS,
        "related: [shire-ccg/stroke-unit]",
        "related: [shire-ccg/stroke-unit]\naccepted_warnings:\n  - lint: no-target\n    reason: Kept from an older draft.",
    );
    let checked = site.check();
    assert!(checked.ok);
    let (d, line, _) = checked.find("the accepted warning `no-target` no longer applies");
    assert_eq!(d.level, Level::Warning);
    assert_eq!(d.code.as_deref(), Some("unneeded-acceptance"));
    assert_eq!(line, 36);
}

#[test]
fn accepted_warnings_are_never_published() {
    let site = Site::new();
    site.edit(
        STROKE,
        "signal: recommission",
        "signal: recommission\naccepted_warnings:\n  - lint: no-target\n    reason: A-REASON-NOBODY-READS",
    );
    let built = site.build();
    assert!(built.ok, "{}", built.rendered());
    for entry in walkdir(&site.path("public")) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("A-REASON-NOBODY-READS"),
            "{}",
            entry.display()
        );
        assert!(!text.contains("accepted_warnings"), "{}", entry.display());
    }
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn the_bundled_example_has_no_warning_it_does_not_accept() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outcome = intentions::check(root);
    let text = intentions::diagnostics::render(&outcome.diagnostics, &outcome.sources, false);
    assert!(outcome.value.is_some(), "{text}");
    assert!(outcome.diagnostics.is_empty(), "{text}");
    // Every lint id has a plain-words reason for readers.
    for lint in intentions::lints::LINTS {
        assert!(lint.why.len() > 40, "{}", lint.id);
    }
}

#[test]
fn a_scaffolded_intention_passes_check_and_its_warnings_say_what_to_fill_in() {
    let site = clean_site();
    let new = intentions::scaffold::NewFile::Intention {
        organisation: "shire-council".into(),
        title: "Expand extra care housing".into(),
        slug: None,
    };
    intentions::scaffold::create(site.root(), &new, (2014, 1, 2)).expect("scaffolded");
    let checked = site.check();
    assert!(checked.ok, "{}", checked.rendered());
    for code in ["no-target", "no-rationale"] {
        assert_eq!(
            coded(&checked, code),
            [("expand-extra-care-housing.md".into(), 2, 1, Level::Warning)],
            "{code}"
        );
    }
}
