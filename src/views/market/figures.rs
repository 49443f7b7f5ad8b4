//! Market figures: the counting, adding up and ordering behind the market position statement
//! (signal tallies, target sums where units agree, money by kind, the next procurement, the
//! timeline), worked out from intentions as pure functions.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::model::{BudgetKind, Corpus, Intention, Signal, Target};
use crate::values::{format_number, Money, PartialDate};

/// How many intentions carry each signal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally([usize; Signal::ALL.len()]);

impl Tally {
    /// Counts the signals of these intentions.
    pub fn of<'a>(intentions: impl IntoIterator<Item = &'a Intention>) -> Self {
        let mut tally = Tally::default();
        for it in intentions {
            tally.add(it.signal);
        }
        tally
    }

    /// Counts one more intention with this signal.
    pub fn add(&mut self, signal: Signal) {
        // `ALL` lists the variants in declaration order, so the discriminant is the position.
        self.0[signal as usize] += 1;
    }

    /// Adds another tally's counts to this one.
    pub fn add_all(&mut self, other: &Tally) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            *mine += theirs;
        }
    }

    /// How many carry this signal.
    pub fn get(&self, signal: Signal) -> usize {
        self.0[signal as usize]
    }

    /// The signals with at least one intention, in signal order.
    pub fn present(&self) -> Vec<Signal> {
        Signal::ALL
            .iter()
            .copied()
            .filter(|&s| self.get(s) > 0)
            .collect()
    }

    /// "5 grow, 1 reduce, 2 new", or "no intentions".
    pub fn words(&self) -> String {
        let parts: Vec<String> = self
            .present()
            .into_iter()
            .map(|s| format!("{} {}", self.get(s), s.label().to_lowercase()))
            .collect();
        if parts.is_empty() {
            "no intentions".into()
        } else {
            parts.join(", ")
        }
    }

    /// Intentions that add to the market: grow or new.
    pub fn expanding(&self) -> usize {
        self.get(Signal::Grow) + self.get(Signal::New)
    }

    /// Intentions that take from it: reduce or decommission.
    pub fn shrinking(&self) -> usize {
        self.get(Signal::Reduce) + self.get(Signal::Decommission)
    }

    /// One sentence on which way these intentions lean, from the counts alone.
    pub fn leaning(&self) -> &'static str {
        let (up, down) = (self.expanding(), self.shrinking());
        if up == 0 && down == 0 {
            "Neither expanding nor shrinking: these intentions keep, re-commission or review services."
        } else if up > down {
            "On balance expanding: more of these intentions grow or start services than reduce or stop them."
        } else if down > up {
            "On balance shrinking: more of these intentions reduce or stop services than grow or start them."
        } else {
            "Balanced: as many of these intentions grow or start services as reduce or stop them."
        }
    }
}

impl Serialize for Tally {
    /// As an object from signal id to count, every signal present, in signal order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Signal::ALL.len()))?;
        for &s in Signal::ALL {
            map.serialize_entry(s.id(), &self.get(s))?;
        }
        map.end()
    }
}

/// Whether targets in this unit can be added together. Percentages, lengths of time,
/// stages and ratios describe a level or a rate, not a quantity of things: adding two
/// "18 weeks" targets does not make 36 weeks of anything.
pub fn addable_unit(unit: &str) -> bool {
    let unit = unit.trim().to_lowercase();
    if unit.is_empty() || unit.contains('%') || unit.contains("per cent") || unit == "percent" {
        return false;
    }
    if unit.contains(" per ") || unit.starts_with("per ") || unit.contains("ratio") {
        return false;
    }
    let first = unit.split_whitespace().next().unwrap_or("");
    !matches!(
        first,
        "second"
            | "seconds"
            | "minute"
            | "minutes"
            | "hour"
            | "hours"
            | "day"
            | "days"
            | "working"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "stage"
            | "stages"
            | "level"
            | "score"
    )
}

/// Targets with the same unit and direction, added up.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TargetSum {
    /// The unit as first written.
    pub unit: String,
    /// `increase`, `decrease`, `maintain`, or none when the targets do not say.
    pub direction: Option<&'static str>,
    /// The sum of their values.
    pub total: f64,
    /// How many targets were added.
    pub count: usize,
    /// For people: "31 beds, going up (2 targets)".
    pub text: String,
}

/// Every target sum, and what could not be added.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TargetSums {
    /// One line per unit and direction.
    pub sums: Vec<TargetSum>,
    /// Targets not added up: no unit, or a percentage, time, stage or ratio.
    pub not_added: usize,
    /// For people: "4 targets are percentages, times or rates and are not added up", or empty.
    pub not_added_text: String,
}

/// Adds up targets whose units agree (ignoring case and spacing) and whose direction agrees;
/// targets in different units are kept apart, and units that cannot be added are counted.
pub fn sum_targets<'a>(targets: impl IntoIterator<Item = &'a Target>) -> TargetSums {
    // Key: (normalised unit, direction id); value: (unit as first written, total, count).
    let mut groups: BTreeMap<(String, &'static str), (String, f64, usize)> = BTreeMap::new();
    let mut not_added = 0;
    for t in targets {
        let Some(unit) = t.unit.as_deref().filter(|u| addable_unit(u)) else {
            not_added += 1;
            continue;
        };
        let key = (
            unit.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            t.direction.map_or("", |d| d.id()),
        );
        let entry = groups
            .entry(key)
            .or_insert_with(|| (unit.trim().to_string(), 0.0, 0));
        entry.1 += t.value;
        entry.2 += 1;
    }
    let mut sums: Vec<TargetSum> = groups
        .into_iter()
        .map(|((_, direction), (unit, total, count))| {
            let direction = (!direction.is_empty()).then_some(direction);
            let mut text = format!("{} {unit}", format_number(total));
            match direction {
                Some("increase") => text.push_str(", going up"),
                Some("decrease") => text.push_str(", going down"),
                Some("maintain") => text.push_str(", held steady"),
                _ => {}
            }
            text.push_str(&format!(" ({})", targets_words(count)));
            TargetSum {
                unit,
                direction,
                total,
                count,
                text,
            }
        })
        .collect();
    // Most targets first; ties by unit so the order is stable.
    sums.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.unit.cmp(&b.unit)));
    let not_added_text = match not_added {
        0 => String::new(),
        1 => {
            "1 target is a percentage, a time, a rate or has no unit, so it is not added up.".into()
        }
        n => format!(
            "{n} targets are percentages, times, rates or have no unit, so they are not added up."
        ),
    };
    TargetSums {
        sums,
        not_added,
        not_added_text,
    }
}

fn targets_words(n: usize) -> String {
    if n == 1 {
        "1 target".into()
    } else {
        format!("{n} targets")
    }
}

/// Money of one kind, added up over intentions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MoneyLine {
    /// `spend`, `saving`, `investment`, `reduction`, `unstated` (a budget with no kind) or
    /// `contract-value` (procurement values).
    pub kind: &'static str,
    /// Its name for people.
    pub label: &'static str,
    /// The total in pounds.
    pub total: f64,
    /// How many intentions it comes from.
    pub count: usize,
    /// For people: "Spend: £19.2 million (1 intention)".
    pub text: String,
}

/// Budgets added up by kind, then procurement values, leaving out kinds with none.
pub fn money_lines<'a>(intentions: impl IntoIterator<Item = &'a Intention>) -> Vec<MoneyLine> {
    // Positions: the budget kinds in order, then "unstated", then contract values.
    let kinds = BudgetKind::ALL.len();
    let mut totals = vec![(0.0_f64, 0_usize); kinds + 2];
    for it in intentions {
        if let Some(b) = &it.budget {
            let slot = b.kind.map_or(kinds, |k| k as usize);
            totals[slot].0 += b.amount.0;
            totals[slot].1 += 1;
        }
        if let Some(v) = it.procurement.as_ref().and_then(|p| p.value) {
            totals[kinds + 1].0 += v.0;
            totals[kinds + 1].1 += 1;
        }
    }
    totals
        .into_iter()
        .enumerate()
        .filter(|(_, (_, count))| *count > 0)
        .map(|(slot, (total, count))| {
            let (kind, label) = match BudgetKind::ALL.get(slot) {
                Some(k) => (k.id(), k.label()),
                None if slot == kinds => ("unstated", "Budget of unstated kind"),
                None => ("contract-value", "Contract value"),
            };
            MoneyLine {
                kind,
                label,
                total,
                count,
                text: format!(
                    "{label}: {} ({})",
                    Money(total),
                    if count == 1 {
                        "1 intention".to_string()
                    } else {
                        format!("{count} intentions")
                    }
                ),
            }
        })
        .collect()
}

/// The earliest expected procurement among these intentions: its date and the intention's
/// position. Plans look forward from their publication, so the earliest date written is the
/// next opportunity they announce; ties go to the intention listed first.
pub fn next_procurement(corpus: &Corpus, positions: &[usize]) -> Option<(PartialDate, usize)> {
    positions
        .iter()
        .filter_map(|&i| {
            corpus.intentions[i]
                .procurement
                .as_ref()
                .and_then(|p| p.expected)
                .map(|d| (d, i))
        })
        .min()
}

/// What a dated event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    /// A procurement is expected.
    Procurement,
    /// A milestone.
    Milestone,
    /// A target should be reached.
    TargetDeadline,
}

impl EventKind {
    /// Every kind, in order.
    pub const ALL: [EventKind; 3] = [
        EventKind::Procurement,
        EventKind::Milestone,
        EventKind::TargetDeadline,
    ];

    /// Its id for data and styling.
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Procurement => "procurement",
            EventKind::Milestone => "milestone",
            EventKind::TargetDeadline => "target-deadline",
        }
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Procurement => "Procurement",
            EventKind::Milestone => "Milestone",
            EventKind::TargetDeadline => "Target date",
        }
    }
}

/// A dated step of an intention.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When.
    pub date: PartialDate,
    /// What kind of step.
    pub kind: EventKind,
    /// What happens.
    pub label: String,
    /// The intention's position in the corpus.
    pub position: usize,
}

/// Expected procurements and milestones of these intentions, in date order (then kind, then
/// corpus order). Procurements with no date are left out: see `undated_procurements`.
pub fn timeline(corpus: &Corpus, positions: &[usize]) -> Vec<Event> {
    let mut events = Vec::new();
    for &i in positions {
        let it = &corpus.intentions[i];
        if let Some(p) = &it.procurement {
            if let Some(date) = p.expected {
                let mut label = p.route.clone();
                if let Some(v) = p.value {
                    label.push_str(&format!(", worth {v}"));
                }
                events.push(Event {
                    date,
                    kind: EventKind::Procurement,
                    label,
                    position: i,
                });
            }
        }
        for m in &it.milestones {
            events.push(Event {
                date: m.date,
                kind: EventKind::Milestone,
                label: m.label.clone(),
                position: i,
            });
        }
    }
    events.sort_by_key(|a| (a.date, a.kind, a.position));
    events
}

/// Positions of the intentions with a procurement but no expected date, in corpus order.
pub fn undated_procurements(corpus: &Corpus, positions: &[usize]) -> Vec<usize> {
    positions
        .iter()
        .copied()
        .filter(|&i| {
            corpus.intentions[i]
                .procurement
                .as_ref()
                .is_some_and(|p| p.expected.is_none())
        })
        .collect()
}

/// Dated events counted by year and kind (procurements, milestones, target dates), earliest
/// year first.
pub fn events_by_year(corpus: &Corpus, positions: &[usize]) -> Vec<(i32, [usize; 3])> {
    let mut years: BTreeMap<i32, [usize; 3]> = BTreeMap::new();
    let mut count = |date: PartialDate, kind: EventKind| {
        years.entry(date.year).or_default()[kind as usize] += 1;
    };
    for &i in positions {
        let it = &corpus.intentions[i];
        if let Some(d) = it.procurement.as_ref().and_then(|p| p.expected) {
            count(d, EventKind::Procurement);
        }
        for m in &it.milestones {
            count(m.date, EventKind::Milestone);
        }
        for t in &it.targets {
            if let Some(d) = t.by {
                count(d, EventKind::TargetDeadline);
            }
        }
    }
    years.into_iter().collect()
}

/// Which intentions are commissioned in an area (by corpus position): those whose lead or
/// one of whose partners is there. Made from the corpus's indexes in time proportional to the
/// area's intentions, not by looking at every intention's organisations for every area.
pub fn commissioned_in(corpus: &Corpus, area: &str) -> Vec<bool> {
    let mut marked = vec![false; corpus.intentions.len()];
    if let Some(a) = corpus.area_pos(area) {
        for &o in &corpus.index.organisations_by_area[a] {
            for i in corpus.commissioned_by(o) {
                marked[i] = true;
            }
        }
    }
    marked
}

/// One organisation's part in some intentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Commissioner {
    /// Its position in the corpus.
    pub organisation: usize,
    /// Positions of the intentions it leads.
    pub led: Vec<usize>,
    /// Positions of the intentions it commissions jointly, led by another.
    pub joint: Vec<usize>,
}

impl Commissioner {
    /// Every intention it takes part in, in corpus order.
    pub fn all(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self.led.iter().chain(self.joint.iter()).copied().collect();
        all.sort_unstable();
        all
    }
}

/// The organisations leading or partnering in these intentions, in corpus order.
pub fn commissioners(corpus: &Corpus, positions: &[usize]) -> Vec<Commissioner> {
    // One pass over the intentions (not one per organisation): national corpora have
    // hundreds of organisations.
    let mut led = vec![Vec::new(); corpus.organisations.len()];
    let mut joint: Vec<Vec<usize>> = vec![Vec::new(); corpus.organisations.len()];
    for &i in positions {
        let intention = &corpus.intentions[i];
        if let Some(o) = corpus.organisation_pos(&intention.organisation) {
            led[o].push(i);
        }
        for partner in &intention.partners {
            if let Some(o) = corpus.organisation_pos(partner) {
                if joint[o].last() != Some(&i) {
                    joint[o].push(i);
                }
            }
        }
    }
    led.into_iter()
        .zip(joint)
        .enumerate()
        .filter(|(_, (led, joint))| !led.is_empty() || !joint.is_empty())
        .map(|(organisation, (led, joint))| Commissioner {
            organisation,
            led,
            joint,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;

    fn target(value: f64, unit: Option<&str>, direction: Option<Direction>) -> Target {
        Target {
            measure: "m".into(),
            value,
            unit: unit.map(String::from),
            direction,
            by: None,
            baseline: None,
            note: None,
        }
    }

    #[test]
    fn marks_the_intentions_led_or_partnered_in_an_area() {
        // The bundled example, with one intention also commissioned by an organisation of
        // another area, so that an area has an intention only through a partner.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut content = crate::content::load(root).content;
        let area_of = |id: &str| {
            content
                .organisations
                .iter()
                .find(|o| o.raw.id == id)
                .map(|o| o.raw.area.clone())
        };
        let lead_area = area_of(&content.intentions[0].1.raw.organisation);
        let partner = content
            .organisations
            .iter()
            .find(|o| Some(&o.raw.area) != lead_area.as_ref())
            .map(|o| o.raw.id.clone())
            .expect("an organisation in another area");
        content.intentions[0].1.raw.partners.push(partner);
        let corpus = crate::model::validate(&content).expect("the example, partnered, validates");
        let mut partnered = 0;
        for area in &corpus.areas {
            let marked = commissioned_in(&corpus, &area.id);
            for (i, it) in corpus.intentions.iter().enumerate() {
                let in_area =
                    |id: &String| corpus.organisation(id).is_some_and(|o| o.area == area.id);
                let expected = in_area(&it.organisation) || it.partners.iter().any(in_area);
                assert_eq!(marked[i], expected, "{} in {}", it.id, area.id);
                partnered += usize::from(!in_area(&it.organisation) && expected);
            }
        }
        // The example has intentions in an area only through a partner, so both ways count.
        assert!(partnered > 0);
        assert!(commissioned_in(&corpus, "nowhere").iter().all(|m| !m));
    }

    #[test]
    fn tallies_count_and_lean() {
        let mut t = Tally::default();
        for s in [Signal::Grow, Signal::Grow, Signal::New, Signal::Reduce] {
            t.add(s);
        }
        assert_eq!(t.words(), "2 grow, 1 reduce, 1 new");
        assert!(t.leaning().starts_with("On balance expanding"));
        t.add(Signal::Decommission);
        t.add(Signal::Reduce);
        assert!(t.leaning().starts_with("Balanced"));
        assert!(Tally::default().leaning().starts_with("Neither"));
        let json = serde_json::to_string(&t).unwrap_or_default();
        assert!(json.starts_with("{\"grow\":2,\"reduce\":2,\"maintain\":0,\"new\":1"));
    }

    #[test]
    fn only_counts_of_things_are_added() {
        for unit in ["beds", "people a year", "Providers", "young people"] {
            assert!(addable_unit(unit), "{unit}");
        }
        for unit in [
            "%",
            "hours",
            "working day (24 hours)",
            "weeks",
            "stage",
            "births per midwife",
            "",
        ] {
            assert!(!addable_unit(unit), "{unit}");
        }
    }

    #[test]
    fn targets_add_up_where_units_and_directions_agree() {
        let up = Some(Direction::Increase);
        let targets = [
            target(21.0, Some("beds"), up),
            target(4.0, Some(" Beds "), up),
            target(10.0, Some("providers"), up),
            target(3.0, Some("beds"), Some(Direction::Decrease)),
            target(20.0, Some("%"), up),
            target(18.0, Some("weeks"), None),
            target(7.0, None, None),
        ];
        let sums = sum_targets(&targets);
        let texts: Vec<&str> = sums.sums.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "25 beds, going up (2 targets)",
                "3 beds, going down (1 target)",
                "10 providers, going up (1 target)"
            ]
        );
        assert_eq!(sums.not_added, 3);
    }
}
