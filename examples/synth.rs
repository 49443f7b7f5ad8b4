//! Synthetic corpora for benchmarks: a complete, valid site as rich as the bundled example,
//! of any size, the same for the same seed.
//!
//! ```sh
//! cargo run --release --example synth -- --intentions 10000 --out /dev/shm/synth-10k
//! cargo run --release --example synth -- --intentions 1000 --out DIR --organisations 40 --seed 7
//! cargo run --release --example synth -- --intentions 10000 --out DIR --hugo DIR2
//! ```
//!
//! `DIR` becomes a site root (`DIR/content/…`) that `intentions build --root DIR` builds.
//! Organisations default to one per 50 intentions (about 200 at 10,000, the size of every
//! English council and integrated care board together). Each intention has full front matter
//! (priorities, service areas, targets, budget, milestones, procurement, partners, outcomes,
//! rationale, risks) and a body of a few hundred words with headings, a list and a table.
//!
//! `--hugo DIR2` also writes the same intentions as a Hugo site with equivalent pages: one per
//! intention, organisation, priority, service area and area, plus lists, RSS feeds and a
//! sitemap, so the two generators can be timed on the same corpus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "care",
    "support",
    "people",
    "home",
    "community",
    "health",
    "services",
    "providers",
    "carers",
    "families",
    "children",
    "adults",
    "older",
    "hospital",
    "discharge",
    "reablement",
    "prevention",
    "wellbeing",
    "housing",
    "independence",
    "market",
    "contract",
    "tender",
    "outcomes",
    "quality",
    "workforce",
    "demand",
    "capacity",
    "budget",
    "savings",
    "review",
    "pathway",
    "integrated",
    "local",
    "district",
    "county",
    "borough",
    "neighbourhood",
    "residential",
    "nursing",
    "domiciliary",
    "respite",
    "advocacy",
    "equipment",
    "technology",
    "dementia",
    "stroke",
    "diabetes",
    "frailty",
    "mental",
    "learning",
    "disability",
    "autism",
    "substance",
    "misuse",
    "smoking",
    "obesity",
    "falls",
    "loneliness",
    "isolation",
    "transport",
    "volunteers",
    "voluntary",
    "sector",
    "grant",
    "framework",
    "dynamic",
    "purchasing",
    "block",
    "spot",
    "personal",
    "budgets",
    "direct",
    "payments",
    "assessment",
    "eligibility",
    "review",
    "safeguarding",
    "transition",
    "young",
    "fostering",
    "adoption",
    "residential",
    "placements",
    "primary",
    "secondary",
    "urgent",
    "emergency",
    "admissions",
    "beds",
    "length",
    "stay",
    "telecare",
    "extra",
    "sheltered",
    "supported",
    "living",
    "day",
    "opportunities",
    "employment",
];

const SIGNALS: &[&str] = &[
    "grow",
    "reduce",
    "maintain",
    "new",
    "recommission",
    "decommission",
    "review",
];
const STATUSES: &[&str] = &["proposed", "planned", "in-progress", "completed", "paused"];
const KINDS: &[&str] = &["local-authority", "icb", "public-health", "ccg"];
const BUDGET_KINDS: &[&str] = &["spend", "saving", "investment", "reduction"];
const DIRECTIONS: &[&str] = &["increase", "decrease", "maintain"];

struct Options {
    intentions: usize,
    organisations: Option<usize>,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
}

fn main() -> Result<(), String> {
    let options = parse_args()?;
    let corpus = Corpus::generate(&options);
    corpus.write_intentions_site(&options.out)?;
    println!(
        "wrote {} intentions of {} organisations in {} areas to {}",
        corpus.intentions.len(),
        corpus.organisations.len(),
        corpus.areas.len(),
        options.out.display()
    );
    if let Some(hugo) = &options.hugo {
        corpus.write_hugo_site(hugo)?;
        println!("wrote the same corpus as a Hugo site to {}", hugo.display());
    }
    Ok(())
}

fn parse_args() -> Result<Options, String> {
    let mut intentions = None;
    let mut organisations = None;
    let mut seed = 1;
    let mut out = None;
    let mut hugo = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let number = |name: &str, v: String| -> Result<u64, String> {
            v.parse()
                .map_err(|_| format!("{name} needs a whole number, not {v:?}"))
        };
        match arg.as_str() {
            "--intentions" => intentions = Some(number(&arg, value(&arg)?)? as usize),
            "--organisations" => organisations = Some(number(&arg, value(&arg)?)?.max(1) as usize),
            "--seed" => seed = number(&arg, value(&arg)?)?,
            "--out" => out = Some(PathBuf::from(value(&arg)?)),
            "--hugo" => hugo = Some(PathBuf::from(value(&arg)?)),
            other => return Err(format!("unknown argument {other}; see the file's header")),
        }
    }
    Ok(Options {
        intentions: intentions.ok_or("--intentions N is required")?,
        organisations,
        seed,
        out: out.ok_or("--out DIR is required")?,
        hugo,
    })
}

struct Taxon {
    id: String,
    name: String,
    description: String,
}

struct Organisation {
    id: String,
    name: String,
    kind: &'static str,
    area: usize,
    priorities: Vec<usize>,
    themes: Vec<Taxon>,
    body: String,
}

struct Intention {
    slug: String,
    title: String,
    organisation: usize,
    front: String,
    body: String,
    priorities: Vec<usize>,
    service_areas: Vec<usize>,
    signal: &'static str,
    partner: Option<usize>,
    related: Vec<String>,
}

struct Corpus {
    priorities: Vec<Taxon>,
    service_areas: Vec<Taxon>,
    areas: Vec<Taxon>,
    organisations: Vec<Organisation>,
    intentions: Vec<Intention>,
}

/// Words and numbers drawn from a seeded generator, so a seed always gives the same corpus.
struct Draw(fastrand::Rng);

impl Draw {
    fn word(&mut self) -> &'static str {
        WORDS[self.0.usize(..WORDS.len())]
    }
    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.0.usize(..from.len())]
    }
    fn words(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s
    }
    fn sentence(&mut self) -> String {
        let n = self.0.usize(8..18);
        let mut s = self.words(n);
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s.push('.');
        s
    }
    fn sentences(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn title(&mut self) -> String {
        let n = self.0.usize(4..9);
        let mut s = self.words(n);
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    }
    fn distinct(&mut self, of: usize, n: usize) -> Vec<usize> {
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < n.min(of) {
            let i = self.0.usize(..of);
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        picked.sort_unstable();
        picked
    }
    fn month(&mut self) -> String {
        format!("{}-{:02}", self.0.u32(2024..2029), self.0.u32(1..13))
    }
}

fn taxa(draw: &mut Draw, prefix: &str, n: usize) -> Vec<Taxon> {
    (0..n)
        .map(|i| {
            let name = format!("{} {} {}", draw.title(), prefix, i + 1);
            Taxon {
                id: slug(&name),
                name,
                description: draw.sentence(),
            }
        })
        .collect()
}

impl Corpus {
    fn generate(options: &Options) -> Corpus {
        let mut draw = Draw(fastrand::Rng::with_seed(options.seed));
        let n = options.intentions;
        let org_count = options.organisations.unwrap_or((n / 50).max(3));
        let priorities = taxa(&mut draw, "priority", 30);
        let service_areas = taxa(&mut draw, "services", 40);
        let areas = taxa(&mut draw, "area", (org_count / 4).max(1));
        let organisations = (0..org_count)
            .map(|i| {
                let kind = KINDS[i % KINDS.len()];
                let name = format!("{} {} {}", draw.title(), kind.replace('-', " "), i + 1);
                let themes = (0..4)
                    .map(|t| {
                        let name = draw.title();
                        Taxon {
                            id: format!("theme-{}", t + 1),
                            name,
                            description: draw.sentence(),
                        }
                    })
                    .collect();
                Organisation {
                    id: slug(&name),
                    name,
                    kind,
                    area: i % areas.len(),
                    priorities: draw.distinct(priorities.len(), 8),
                    themes,
                    body: organisation_body(&mut draw),
                }
            })
            .collect::<Vec<_>>();
        let mut intentions = Vec::with_capacity(n);
        for i in 0..n {
            let organisation = i % org_count;
            let org = &organisations[organisation];
            // Mostly the organisation's declared priorities, as in real plans.
            let count = draw.0.usize(1..4);
            let mut prios: Vec<usize> = draw
                .distinct(org.priorities.len(), count)
                .into_iter()
                .map(|p| org.priorities[p])
                .collect();
            prios.sort_unstable();
            let count = draw.0.usize(1..3);
            let services = draw.distinct(service_areas.len(), count);
            let title = format!("{} {}", draw.title(), i + 1);
            let slug = slug(&title);
            let signal = draw.pick(SIGNALS);
            let partner = (org_count > 1 && draw.0.u8(..4) == 0)
                .then(|| (organisation + 1 + draw.0.usize(..org_count - 1)) % org_count);
            let front = intention_front(
                &mut draw,
                &title,
                &org.id,
                &format!("theme-{}", 1 + i % 4),
                partner.map(|p| organisations[p].id.as_str()),
                prios.iter().map(|&p| priorities[p].id.as_str()),
                services.iter().map(|&s| service_areas[s].id.as_str()),
                signal,
            );
            let body = intention_body(&mut draw);
            intentions.push(Intention {
                slug,
                title,
                organisation,
                front,
                body,
                priorities: prios,
                service_areas: services,
                signal,
                partner,
                related: Vec::new(),
            });
        }
        // A partner lists the intention back from one of its own (its first), as real plans
        // that share work do.
        for i in 0..intentions.len() {
            if let Some(partner) = intentions[i].partner {
                let org = &organisations[intentions[i].organisation];
                let id = format!("{}/{}", org.id, intentions[i].slug);
                if let Some(first) = intentions.get_mut(partner) {
                    first.related.push(id);
                }
            }
        }
        Corpus {
            priorities,
            service_areas,
            areas,
            organisations,
            intentions,
        }
    }

    fn write_intentions_site(&self, out: &Path) -> Result<(), String> {
        let content = out.join("content");
        let mut draw = Draw(fastrand::Rng::with_seed(99));
        write(
            &content.join("site.yaml"),
            "title: Synthetic commissioning intentions\n\
             description: A generated corpus for measuring build speed.\n\
             base_url: https://synthetic.example.org\n\
             language: en-GB\n\
             cross_references:\n\
             \x20 - id: priorities-by-service-area\n\
             \x20   title: Shared priorities and service areas\n\
             \x20   rows: priorities\n\
             \x20   columns: service_areas\n\
             \x20 - id: service-areas-by-signal\n\
             \x20   title: Direction of travel by service area\n\
             \x20   rows: service_areas\n\
             \x20   columns: signals\n",
        )?;
        let taxonomy = |list: &[Taxon]| {
            let mut s = String::new();
            for t in list {
                let _ = writeln!(
                    s,
                    "- id: {}\n  name: {}\n  description: {}",
                    t.id, t.name, t.description
                );
            }
            s
        };
        write(
            &content.join("taxonomies/priorities.yaml"),
            &taxonomy(&self.priorities),
        )?;
        write(
            &content.join("taxonomies/service-areas.yaml"),
            &taxonomy(&self.service_areas),
        )?;
        for area in &self.areas {
            let text = format!(
                "---\nid: {}\nname: {}\nsummary: {}\nfacts:\n  - label: Population\n    value: \"{}\"\n    source: Synthetic\n---\n{}\n",
                area.id,
                area.name,
                area.description,
                draw.0.u32(100_000..1_500_000),
                draw.sentences(6)
            );
            write(&content.join(format!("areas/{}.md", area.id)), &text)?;
        }
        for org in &self.organisations {
            let mut text = format!(
                "---\nid: {}\nname: {}\nkind: {}\narea: {}\nwebsite: https://{}.example.org\ncontact:\n  name: Head of Commissioning\n  email: commissioning@{}.example.org\n  phone: 01234 567890\nplan:\n  title: Commissioning Intentions 2025/28\n  period: 2025/26-2027/28\n  published: 2025-03-31\n  status: approved\n  source: Synthetic\nthemes:\n",
                org.id, org.name, org.kind, self.areas[org.area].id, org.id, org.id
            );
            for t in &org.themes {
                let _ = writeln!(
                    text,
                    "  - id: {}\n    name: {}\n    description: {}",
                    t.id, t.name, t.description
                );
            }
            let ids: Vec<&str> = org
                .priorities
                .iter()
                .map(|&p| self.priorities[p].id.as_str())
                .collect();
            let _ = writeln!(text, "priorities: [{}]\n---\n{}", ids.join(", "), org.body);
            write(&content.join(format!("organisations/{}.md", org.id)), &text)?;
        }
        for intention in &self.intentions {
            let org = &self.organisations[intention.organisation];
            let path = content.join(format!("intentions/{}/{}.md", org.id, intention.slug));
            let related = if intention.related.is_empty() {
                String::new()
            } else {
                format!("related: [{}]\n", intention.related.join(", "))
            };
            let text = format!("---\n{}{related}---\n{}", intention.front, intention.body);
            write(&path, &text)?;
        }
        for (i, service) in self.service_areas.iter().enumerate() {
            if i % 2 == 1 {
                continue;
            }
            let text = format!(
                "---\nservice_area: {}\nsummary: {}\ndemand:\n  - {}\n  - {}\nsupply:\n  - {}\nspend:\n  - label: Net budget\n    amount: {}\n    period: 2025/26\n    source: Synthetic\n---\n{}\n",
                service.id,
                draw.sentence(),
                draw.sentence(),
                draw.sentence(),
                draw.sentence(),
                draw.0.u32(100_000..50_000_000),
                draw.sentences(5)
            );
            write(&content.join(format!("market/{}.md", service.id)), &text)?;
        }
        Ok(())
    }

    /// The same corpus for Hugo: pages in sections, the taxonomies as Hugo taxonomies, and
    /// small templates that show the same facts, so both generators do comparable work.
    fn write_hugo_site(&self, out: &Path) -> Result<(), String> {
        write(
            &out.join("hugo.toml"),
            "baseURL = 'https://synthetic.example.org/'\nlanguageCode = 'en-gb'\ntitle = 'Synthetic commissioning intentions'\n\
             [taxonomies]\norganisation = 'organisations'\npriority = 'priorities'\nservice_area = 'service_areas'\nsignal = 'signals'\n",
        )?;
        let layouts = out.join("layouts");
        write(
            &layouts.join("_default/baseof.html"),
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ .Title }} | {{ site.Title }}</title>\
             <meta name=viewport content=\"width=device-width\"><link rel=canonical href=\"{{ .Permalink }}\"></head>\
             <body><a href=#main>Skip to main content</a><header><a href=\"/\">{{ site.Title }}</a>\
             <nav><a href=\"/organisations/\">Organisations</a> <a href=\"/priorities/\">Priorities</a> <a href=\"/service_areas/\">Service areas</a></nav></header>\
             <main id=main>{{ block \"main\" . }}{{ end }}</main></body></html>",
        )?;
        write(
            &layouts.join("_default/single.html"),
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>\
             <dl>{{ with .Params.organisations }}<dt>Organisation</dt>{{ range . }}<dd><a href=\"{{ (urlize .) | printf \"/organisations/%s/\" }}\">{{ . }}</a></dd>{{ end }}{{ end }}\
             <dt>Signal</dt><dd>{{ .Params.signal_name }}</dd><dt>Period</dt><dd>{{ .Params.period }}</dd>\
             {{ with .Params.budget }}<dt>Budget</dt><dd>£{{ lang.FormatNumber 0 .amount }}</dd>{{ end }}</dl>\
             {{ with .Params.targets }}<table><caption>Targets</caption><tr><th scope=col>Measure<th scope=col>Value</tr>{{ range . }}<tr><td>{{ .measure }}<td>{{ .value }} {{ .unit }}</tr>{{ end }}</table>{{ end }}\
             {{ with .Params.milestones }}<h2>Milestones</h2><ul>{{ range . }}<li>{{ .date }}: {{ .label }}</li>{{ end }}</ul>{{ end }}\
             {{ with .Params.rationale }}<h2>Why</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}\
             {{ .Content }}{{ end }}",
        )?;
        write(
            &layouts.join("_default/list.html"),
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<p>{{ len .Pages }} pages</p>\
             <table><caption>{{ .Title }}</caption><tr><th scope=col>Title<th scope=col>Signal<th scope=col>Period</tr>\
             {{ range .Pages }}<tr><td><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><td>{{ .Params.signal }}<td>{{ .Params.period }}</tr>{{ end }}</table>{{ end }}",
        )?;
        write(
            &layouts.join("_default/terms.html"),
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}",
        )?;
        write(
            &layouts.join("index.html"),
            "{{ define \"main\" }}<h1>{{ site.Title }}</h1><p>{{ len site.RegularPages }} pages</p>\
             <ul>{{ range first 20 site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
        )?;
        let content = out.join("content");
        write(&content.join("_index.md"), "---\ntitle: Home\n---\n")?;
        for area in &self.areas {
            write(
                &content.join(format!("areas/{}.md", area.id)),
                &format!("---\ntitle: {}\n---\n{}\n", area.name, area.description),
            )?;
        }
        for org in &self.organisations {
            write(
                &content.join(format!("organisations/{}/_index.md", slug(&org.name))),
                &format!("---\ntitle: {}\n---\n{}", org.name, org.body),
            )?;
        }
        for intention in &self.intentions {
            let org = &self.organisations[intention.organisation];
            let mut front = format!(
                "---\ntitle: {}\norganisations: [{}]\npriorities: [{}]\nservice_areas: [{}]\nsignals: [{}]\nsignal_name: {}\n",
                intention.title,
                org.name,
                intention.priorities.iter().map(|&p| self.priorities[p].name.as_str()).collect::<Vec<_>>().join(", "),
                intention.service_areas.iter().map(|&s| self.service_areas[s].name.as_str()).collect::<Vec<_>>().join(", "),
                intention.signal,
                intention.signal,
            );
            // The rest of the intention's own front matter, minus the keys renamed above.
            for line in intention.front.lines() {
                let key = line.split(':').next().unwrap_or("");
                if !matches!(
                    key,
                    "title"
                        | "organisation"
                        | "priorities"
                        | "service_areas"
                        | "signal"
                        | "theme"
                        | "partners"
                ) {
                    front.push_str(line);
                    front.push('\n');
                }
            }
            write(
                &content.join(format!("intentions/{}/{}.md", org.id, intention.slug)),
                &format!("{front}---\n{}", intention.body),
            )?;
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
fn intention_front<'a>(
    draw: &mut Draw,
    title: &str,
    organisation: &str,
    theme: &str,
    partner: Option<&str>,
    priorities: impl Iterator<Item = &'a str>,
    service_areas: impl Iterator<Item = &'a str>,
    signal: &str,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "title: {title}");
    let _ = writeln!(s, "summary: {}", draw.sentence());
    let _ = writeln!(s, "organisation: {organisation}");
    if let Some(partner) = partner {
        let _ = writeln!(s, "partners: [{partner}]");
    }
    let _ = writeln!(s, "theme: {theme}");
    let _ = writeln!(
        s,
        "priorities: [{}]",
        priorities.collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        s,
        "service_areas: [{}]",
        service_areas.collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(s, "signal: {signal}");
    let start = draw.0.u32(2025..2028);
    let _ = writeln!(
        s,
        "period: {}/{:02}-{}/{:02}",
        start,
        (start + 1) % 100,
        start + 1,
        (start + 2) % 100
    );
    let _ = writeln!(s, "status: {}", draw.pick(STATUSES));
    let _ = writeln!(s, "targets:");
    for _ in 0..draw.0.usize(1..3) {
        let _ = writeln!(
            s,
            "  - measure: {}\n    value: {}\n    unit: people\n    direction: {}\n    by: {}\n    baseline: {}",
            draw.title(),
            draw.0.u32(10..5000),
            draw.pick(DIRECTIONS),
            draw.month(),
            draw.0.u32(10..5000)
        );
    }
    if draw.0.bool() {
        let _ = writeln!(
            s,
            "budget:\n  amount: {}\n  kind: {}\n  period: {}/{:02}\n  note: {}",
            draw.0.u32(10..2000) * 1000,
            draw.pick(BUDGET_KINDS),
            start,
            (start + 1) % 100,
            draw.sentence()
        );
    }
    let _ = writeln!(s, "milestones:");
    for _ in 0..draw.0.usize(1..4) {
        let _ = writeln!(s, "  - date: {}\n    label: {}", draw.month(), draw.title());
    }
    if draw.0.u8(..3) == 0 {
        let _ = writeln!(
            s,
            "procurement:\n  route: Open tender\n  expected: {}\n  value: {}\n  note: {}",
            draw.month(),
            draw.0.u32(50..5000) * 1000,
            draw.sentence()
        );
    }
    let _ = writeln!(
        s,
        "outcomes:\n  - {}\n  - {}",
        draw.sentence(),
        draw.sentence()
    );
    let _ = writeln!(
        s,
        "rationale:\n  - {}\n  - {}",
        draw.sentence(),
        draw.sentence()
    );
    let _ = writeln!(s, "measures:\n  - {}", draw.sentence());
    let _ = writeln!(s, "risks:\n  - {}", draw.sentence());
    let _ = writeln!(
        s,
        "updated: {}-{:02}-{:02}",
        start - 1,
        draw.0.u32(1..13),
        draw.0.u32(1..29)
    );
    s
}

/// A few hundred words with headings, a list and a table, like the bundled intentions.
fn intention_body(draw: &mut Draw) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}\n\n{}\n", draw.sentences(4), draw.sentences(3));
    let _ = writeln!(s, "## What will change\n\n{}\n", draw.sentences(4));
    for _ in 0..4 {
        let _ = writeln!(s, "- {}", draw.sentence());
    }
    let _ = writeln!(s, "\n## Money and activity\n\n{}\n", draw.sentences(2));
    let _ = writeln!(s, "| Year | Spend | People |\n|---|---|---|");
    for year in 2025..2028 {
        let _ = writeln!(
            s,
            "| {year}/{:02} | £{} | {} |",
            (year + 1) % 100,
            draw.0.u32(100..9000) * 1000,
            draw.0.u32(20..900)
        );
    }
    let _ = writeln!(
        s,
        "\n## What providers should know\n\n{}\n",
        draw.sentences(4)
    );
    s
}

fn organisation_body(draw: &mut Draw) -> String {
    format!(
        "{}\n\n## How the priorities were chosen\n\n{}\n\n- {}\n- {}\n\n## Money\n\n{}\n",
        draw.sentences(5),
        draw.sentences(5),
        draw.sentence(),
        draw.sentence(),
        draw.sentences(4)
    )
}

fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
