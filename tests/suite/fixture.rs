//! A small valid site written into a temporary folder, which tests then change file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use intentions::diagnostics::{Diagnostic, Sources};

/// A fixture site on disk.
pub struct Site {
    dir: tempfile::TempDir,
}

pub const SITE: &str = "title: Test intentions
description: A fixture site.
base_url: https://example.org
navigation:
  - title: Organisations
    url: /organisations/
";

pub const PRIORITIES: &str = "- id: stroke
  name: Stroke
  description: Stroke care.
- id: frailty
  name: Frailty
- id: dementia
  name: Dementia
";

pub const SERVICE_AREAS: &str = "- id: home-care
  name: Home care
- id: residential-care
  name: Residential care
";

pub const AREA: &str = "---
id: shire
name: Shire
summary: A county.
facts:
  - label: People aged 85 and over
    value: \"13,000\"
---
Shire is a county.
";

pub const COUNCIL: &str = "---
id: shire-council
name: Shire County Council
short_name: Shire CC
order: 2
kind: local-authority
area: shire
contact:
  email: care@shire.example
plan:
  title: Commissioning Intentions 2014/15
  period: 2014/15
  published: 2013-10-01
  status: approved
themes:
  - id: frail-elderly
    name: Frail elderly
priorities: [stroke, frailty]
---
The council's introduction.
";

pub const CCG: &str = "---
id: shire-ccg
name: NHS Shire CCG
short_name: Shire CCG
order: 1
kind: ccg
area: shire
plan:
  title: Commissioning Intentions
  period: 2014/15-2016/17
  published: 2013-11
  status: draft
priorities: [stroke, dementia]
---
";

pub const BEDS: &str = "---
title: Commission at least 21 short-stay beds
reference: \"4.2\"
summary: More short-stay beds.
organisation: shire-council
partners: [shire-ccg]
theme: frail-elderly
priorities: [frailty]
service_areas: [residential-care]
signal: grow
targets:
  - measure: Short-stay beds
    value: 21
    unit: beds
    direction: increase
    by: 2015-03
budget:
  amount: 10000000
  kind: spend
  note: on 230 out-of-county placements
milestones:
  - date: 2014-04-01
    label: Specification agreed
procurement:
  route: Open tender
  expected: 2014-09
outcomes:
  - People leave hospital sooner.
rationale:
  - The number of people aged 85+ will double.
measures: [ASCOF 2B]
risks:
  - Too few bids.
related: [shire-ccg/stroke-unit]
---
## Why beds

| Year | Beds |
|---|---|
| 2014 | 21 |
";

pub const STROKE: &str = "---
title: Centralise stroke care
organisation: shire-ccg
priorities: [stroke]
signal: recommission
updated: 2014-01-15
---
Body.
";

pub const MARKET: &str = "---
service_area: residential-care
summary: Demand is rising.
demand:
  - More people over 85.
spend:
  - label: Residential care
    amount: 2500000
    period: 2013/14
---
Narrative.
";

impl Site {
    /// A valid site with two organisations and two intentions.
    pub fn new() -> Self {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("content/site.yaml", SITE);
        site.write("content/taxonomies/priorities.yaml", PRIORITIES);
        site.write("content/taxonomies/service-areas.yaml", SERVICE_AREAS);
        site.write("content/areas/shire.md", AREA);
        site.write("content/organisations/shire-council.md", COUNCIL);
        site.write("content/organisations/shire-ccg.md", CCG);
        site.write("content/intentions/shire-council/short-stay-beds.md", BEDS);
        site.write("content/intentions/shire-ccg/stroke-unit.md", STROKE);
        site.write("content/market/residential-care.md", MARKET);
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative))
            .unwrap_or_else(|e| panic!("reading {relative}: {e}"))
    }

    /// Replaces text in a file, failing the test if the text is not there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Runs `check` and returns its diagnostics.
    pub fn check(&self) -> Checked {
        let outcome = intentions::check(self.root());
        Checked {
            ok: outcome.value.is_some(),
            diagnostics: outcome.diagnostics,
            sources: outcome.sources,
        }
    }

    /// Builds into `public/` and returns whether it succeeded.
    pub fn build(&self) -> Checked {
        let outcome = intentions::build(self.root(), &self.path("public"));
        Checked {
            ok: outcome.value.is_some(),
            diagnostics: outcome.diagnostics,
            sources: outcome.sources,
        }
    }
}

/// The diagnostics of a run.
pub struct Checked {
    pub ok: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Checked {
    /// The only diagnostic whose message contains `needle`, with its 1-based line and column.
    pub fn find(&self, needle: &str) -> (&Diagnostic, usize, usize) {
        let found: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.message.contains(needle))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one diagnostic containing {needle:?}, got: {:#?}",
            self.diagnostics
        );
        let d = found[0];
        let (line, column) = match (&d.path, &d.span) {
            (Some(p), Some(s)) => self.sources.line_column(p, s.start).expect("source text"),
            _ => (0, 0),
        };
        (d, line, column)
    }

    /// The diagnostics rendered as the terminal shows them.
    pub fn rendered(&self) -> String {
        intentions::diagnostics::render(&self.diagnostics, &self.sources, false)
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir` with `/` separators.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(relative, std::fs::read(entry.path()).expect("read"));
        }
    }
    files
}
