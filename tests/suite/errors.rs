//! Every kind of content error: its message, the file, the line and column, and the hint.

use crate::fixture::Site;

const BEDS: &str = "content/intentions/shire-council/short-stay-beds.md";
const COUNCIL: &str = "content/organisations/shire-council.md";

/// Asserts the one diagnostic containing `message` is in `file` at `line`:`column` and
/// its hint contains `hint`.
fn assert_error(site: &Site, message: &str, file: &str, line: usize, column: usize, hint: &str) {
    let checked = site.check();
    assert!(!checked.ok, "expected check to fail");
    let (d, l, c) = checked.find(message);
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new(file)),
        "{d:#?}"
    );
    assert_eq!((l, c), (line, column), "position of {message:?}: {d:#?}");
    let got = d.hint.clone().unwrap_or_default();
    assert!(got.contains(hint), "hint {got:?} lacks {hint:?}");
}

#[test]
fn the_fixture_is_valid() {
    let checked = Site::new().check();
    assert!(checked.ok, "{}", checked.rendered());
}

#[test]
fn unknown_organisation_names_the_file_line_and_nearest_id() {
    let site = Site::new();
    site.edit(
        BEDS,
        "organisation: shire-council",
        "organisation: shire-counsil",
    );
    assert_error(
        &site,
        "there is no organisation `shire-counsil`",
        BEDS,
        5,
        15,
        "did you mean `shire-council`?",
    );
}

#[test]
fn unknown_key_names_the_nearest_known_key() {
    let site = Site::new();
    site.edit(BEDS, "priorities: [frailty]", "prioritees: [frailty]");
    assert_error(
        &site,
        "unknown key `prioritees`",
        BEDS,
        8,
        1,
        "did you mean `priorities`?",
    );
}

#[test]
fn every_unknown_key_in_a_file_is_reported_at_once() {
    let site = Site::new();
    site.edit(BEDS, "priorities: [frailty]", "prioritees: [frailty]");
    site.edit(BEDS, "    unit: beds", "    unti: beds");
    let checked = site.check();
    checked.find("unknown key `prioritees`");
    let (_, line, column) = checked.find("unknown key `unti` in `targets[0]`");
    assert_eq!((line, column), (14, 5));
}

#[test]
fn unknown_partner_priority_service_area_and_theme() {
    let site = Site::new();
    site.edit(BEDS, "partners: [shire-ccg]", "partners: [shire-cgc]");
    site.edit(BEDS, "priorities: [frailty]", "priorities: [fraility]");
    site.edit(
        BEDS,
        "service_areas: [residential-care]",
        "service_areas: [residental-care]",
    );
    site.edit(BEDS, "theme: frail-elderly", "theme: frail-elder");
    let checked = site.check();
    let (d, line, col) = checked.find("there is no organisation `shire-cgc`");
    assert_eq!((line, col), (6, 12));
    assert_eq!(d.hint.as_deref(), Some("did you mean `shire-ccg`?"));
    let (d, line, col) = checked.find("there is no priority `fraility`");
    assert_eq!((line, col), (8, 14));
    assert_eq!(d.hint.as_deref(), Some("did you mean `frailty`?"));
    let (d, line, _) = checked.find("there is no service area `residental-care`");
    assert_eq!(line, 9);
    assert_eq!(d.hint.as_deref(), Some("did you mean `residential-care`?"));
    let (d, line, _) = checked.find("has no theme `frail-elder`");
    assert_eq!(line, 7);
    assert_eq!(d.hint.as_deref(), Some("did you mean `frail-elderly`?"));
    assert_eq!(checked.diagnostics.len(), 4, "all four reported in one run");
}

#[test]
fn unknown_related_intention() {
    let site = Site::new();
    site.edit(
        BEDS,
        "related: [shire-ccg/stroke-unit]",
        "related: [shire-ccg/stroke-units]",
    );
    assert_error(
        &site,
        "there is no intention `shire-ccg/stroke-units`",
        BEDS,
        34,
        11,
        "did you mean `shire-ccg/stroke-unit`?",
    );
}

#[test]
fn unknown_area_on_an_organisation() {
    let site = Site::new();
    site.edit(COUNCIL, "area: shire", "area: shyre");
    assert_error(
        &site,
        "there is no area `shyre`",
        COUNCIL,
        7,
        7,
        "did you mean `shire`?",
    );
}

#[test]
fn unknown_signal_lists_the_nearest() {
    let site = Site::new();
    site.edit(BEDS, "signal: grow", "signal: grwo");
    assert_error(
        &site,
        "`grwo` is not a signal",
        BEDS,
        10,
        9,
        "did you mean `grow`?",
    );
}

#[test]
fn wrong_type_says_what_was_expected() {
    let site = Site::new();
    site.edit(BEDS, "    value: 21", "    value: twenty-one");
    assert_error(
        &site,
        "`targets[0].value` should be a number, but it is the text \"twenty-one\"",
        BEDS,
        13,
        12,
        "write digits only",
    );
}

#[test]
fn missing_required_key() {
    let site = Site::new();
    site.edit(BEDS, "signal: grow\n", "");
    let checked = site.check();
    let (d, line, _) = checked.find("missing required key `signal`");
    assert_eq!(d.path.as_deref(), Some(std::path::Path::new(BEDS)));
    assert_eq!(line, 2, "points at the start of the front matter");
}

#[test]
fn impossible_dates() {
    let site = Site::new();
    site.edit(BEDS, "  - date: 2014-04-01", "  - date: 2014-02-30");
    site.edit(BEDS, "  expected: 2014-09", "  expected: 2014-13");
    let checked = site.check();
    let (d, line, col) = checked.find("`milestones[0].date` is not a valid date");
    assert_eq!((line, col), (22, 11));
    assert!(d
        .label
        .as_deref()
        .unwrap_or("")
        .contains("February 30 does not exist"));
    let (_, line, _) = checked.find("`procurement.expected` is not a valid date");
    assert_eq!(line, 26);
}

#[test]
fn impossible_period() {
    let site = Site::new();
    site.edit(COUNCIL, "  period: 2014/15", "  period: 2014/16");
    assert_error(
        &site,
        "`plan.period` is not a valid period",
        COUNCIL,
        12,
        11,
        "financial year like 2014/15",
    );
}

#[test]
fn duplicate_organisation_ids_name_both_files() {
    let site = Site::new();
    site.write(
        "content/organisations/another.md",
        &crate::fixture::CCG.replace("name: NHS Shire CCG", "name: Another"),
    );
    let checked = site.check();
    let (d, line, _) = checked.find("the organisation id `shire-ccg` is already used");
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new("content/organisations/shire-ccg.md"))
    );
    assert_eq!(line, 2);
    assert!(d
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("content/organisations/another.md uses it first (line 2)"));
}

#[test]
fn lead_organisation_must_match_its_folder() {
    let site = Site::new();
    site.edit(
        BEDS,
        "organisation: shire-council",
        "organisation: shire-ccg",
    );
    site.edit(BEDS, "partners: [shire-ccg]", "partners: []");
    site.edit(BEDS, "theme: frail-elderly\n", "");
    assert_error(
        &site,
        "does not match the folder `shire-council`",
        BEDS,
        5,
        15,
        "move the file to intentions/shire-ccg/",
    );
}

#[test]
fn malformed_yaml_points_at_the_line() {
    let site = Site::new();
    site.edit(
        BEDS,
        "summary: More short-stay beds.",
        "summary: More: short-stay: beds",
    );
    let checked = site.check();
    let (d, line, _) = checked.find("the YAML cannot be read");
    assert_eq!(d.path.as_deref(), Some(std::path::Path::new(BEDS)));
    assert_eq!(line, 4);
}

#[test]
fn missing_and_unterminated_front_matter() {
    let site = Site::new();
    site.write("content/intentions/shire-ccg/no-front.md", "Just text\n");
    site.write("content/intentions/shire-ccg/open.md", "---\ntitle: A\n");
    site.write("content/intentions/shire-ccg/empty.md", "");
    let checked = site.check();
    checked.find("this file has no front matter");
    let (_, line, col) = checked.find("the front matter is never closed");
    assert_eq!((line, col), (1, 1));
    checked.find("this file is empty");
}

#[test]
fn invalid_utf8_says_where() {
    let site = Site::new();
    site.write_bytes(
        "content/intentions/shire-ccg/latin1.md",
        b"---\ntitle: Caf\xe9\n---\n",
    );
    let checked = site.check();
    let (_, line, col) = checked.find("not valid UTF-8");
    assert_eq!((line, col), (2, 11));
}

#[test]
fn every_error_is_reported_in_one_run() {
    let site = Site::new();
    site.edit(BEDS, "signal: grow", "signal: grwo");
    site.edit(COUNCIL, "area: shire", "area: shyre");
    site.edit(
        "content/intentions/shire-ccg/stroke-unit.md",
        "priorities: [stroke]",
        "priorities: [strok]",
    );
    let checked = site.check();
    assert_eq!(checked.diagnostics.len(), 3, "{:#?}", checked.diagnostics);
}

#[test]
fn rendered_diagnostics_look_like_rustc() {
    let site = Site::new();
    site.edit(
        BEDS,
        "organisation: shire-council",
        "organisation: shire-counsil",
    );
    let text = site.check().rendered();
    assert!(
        text.contains("error: there is no organisation `shire-counsil`"),
        "{text}"
    );
    assert!(
        text.contains("content/intentions/shire-council/short-stay-beds.md:5:15"),
        "{text}"
    );
    assert!(
        text.contains("organisation: shire-counsil"),
        "shows the offending line: {text}"
    );
    assert!(
        text.contains("help: did you mean `shire-council`?"),
        "{text}"
    );
}

#[test]
fn a_brand_colour_without_contrast_is_refused() {
    let site = Site::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}brand:\n  name: Shire Board\n  colour: \"#ffdd00\"\n",
            crate::fixture::SITE
        ),
    );
    let checked = site.check();
    let (d, line, _) = checked.find("below the 4.5:1 that WCAG AA needs");
    assert_eq!(line, 9, "points at the colour");
    assert_eq!(
        d.hint.as_deref(),
        Some("choose a darker shade of the colour")
    );
}
