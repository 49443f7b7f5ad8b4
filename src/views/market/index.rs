//! `/market/` and `/market/in/<area-id>/`: every service area in use with its direction of
//! travel, targets added up where units agree, money and next procurement, and the
//! intentions with no service area, for all areas or for one.

use serde::Serialize;

use super::charts::{stacked_bars, Bar, Chart};
use super::figures::{
    commissioned_in, commissioners, money_lines, next_procurement, sum_targets,
    undated_procurements, MoneyLine, Tally, TargetSums,
};
use super::{count, dated_link, market_area_url, signal_series, DatedLink};
use crate::model::{Corpus, Signal};
use crate::views::common::{home_url, market_url, summaries, IntentionSummary, Link};
use crate::views::{page, Page, PageMeta, PagePlan};

#[derive(Serialize)]
struct IndexView {
    /// The area shown, when filtered.
    area: Option<Link>,
    filters: Vec<Filter>,
    /// "367 intentions from 7 commissioners in 23 service areas."
    overview: String,
    chart: Option<Chart>,
    rows: Vec<Row>,
    unclassified: Vec<IntentionSummary>,
}

/// A link of the area filter.
#[derive(Serialize)]
struct Filter {
    title: String,
    url: String,
    current: bool,
}

/// One service area on the overview.
#[derive(Serialize)]
struct Row {
    service_area: Link,
    description: Option<String>,
    intentions: usize,
    intentions_text: String,
    commissioners: Vec<String>,
    signals: Tally,
    signals_text: String,
    targets: TargetSums,
    money: Vec<MoneyLine>,
    next_procurement: Option<DatedLink>,
    /// "3 procurements with no date yet", or empty.
    undated_procurements: String,
}

/// `/market/` and one `/market/in/<area-id>/` per area.
pub fn pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    let mut pages = vec![PagePlan::later("/market/".into(), move || {
        overview(corpus, None)
    })];
    pages.extend(corpus.areas.iter().map(|a| {
        PagePlan::later(market_area_url(&a.id), move || {
            overview(corpus, Some(&a.id))
        })
    }));
    pages
}

fn overview(corpus: &Corpus, area: Option<&str>) -> Page {
    let in_area = area.map(|a| commissioned_in(corpus, a));
    let keep = |i: &usize| in_area.as_ref().is_none_or(|marked| marked[*i]);
    let area_link = area
        .and_then(|a| corpus.area(a))
        .map(|a| Link::new(a.name.clone(), market_area_url(&a.id)));
    let mut filters = vec![Filter {
        title: "All areas".into(),
        url: "/market/".into(),
        current: area.is_none(),
    }];
    filters.extend(corpus.areas.iter().map(|a| Filter {
        title: a.name.clone(),
        url: market_area_url(&a.id),
        current: area == Some(a.id.as_str()),
    }));

    let mut rows = Vec::new();
    for (s, service_area) in corpus.service_areas.iter().enumerate() {
        let positions: Vec<usize> = corpus.index.intentions_by_service_area[s]
            .iter()
            .copied()
            .filter(keep)
            .collect();
        // A narrative with no intentions yet still gets its row on the unfiltered overview,
        // so its page can be found.
        let narrated = area.is_none() && corpus.market(&service_area.id).is_some();
        if positions.is_empty() && !narrated {
            continue;
        }
        let intentions = positions.iter().map(|&i| &corpus.intentions[i]);
        let signals = Tally::of(intentions.clone());
        let undated = undated_procurements(corpus, &positions).len();
        rows.push(Row {
            service_area: Link::new(service_area.name.clone(), market_url(&service_area.id)),
            description: service_area.description.clone(),
            intentions: positions.len(),
            intentions_text: count(positions.len(), "intention", "intentions"),
            commissioners: commissioners(corpus, &positions)
                .iter()
                .map(|c| corpus.organisations[c.organisation].short_name.clone())
                .collect(),
            signals,
            signals_text: signals.words(),
            targets: sum_targets(intentions.clone().flat_map(|it| it.targets.iter())),
            money: money_lines(intentions),
            next_procurement: next_procurement(corpus, &positions)
                .map(|(date, i)| dated_link(corpus, date, i)),
            undated_procurements: match undated {
                0 => String::new(),
                n => count(n, "procurement", "procurements") + " with no date yet",
            },
        });
    }

    let selected: Vec<usize> = (0..corpus.intentions.len()).filter(keep).collect();
    let unclassified: Vec<usize> = selected
        .iter()
        .copied()
        .filter(|&i| corpus.intentions[i].service_areas.is_empty())
        .collect();
    let in_use = rows.iter().filter(|r| r.intentions > 0).count();
    let overview_text = format!(
        "{} from {} in {}.",
        count(selected.len(), "intention", "intentions"),
        count(
            commissioners(corpus, &selected).len(),
            "commissioner",
            "commissioners"
        ),
        count(in_use, "service area", "service areas"),
    );
    let chart = (in_use > 0).then(|| signals_chart(&rows));
    let place = area_link.as_ref().map(|a| a.title.clone());
    let title = match &place {
        Some(name) => format!("Market position statement: {name}"),
        None => "Market position statement".into(),
    };
    let description = match &place {
        Some(name) => format!(
            "What commissioners in {name} intend to buy, grow, reduce or stop, by service area, for care providers."
        ),
        None => "What councils and the NHS intend to buy, grow, reduce or stop, by service area, for care providers.".into(),
    };
    let mut breadcrumbs = vec![Link::new("Home", home_url())];
    if area.is_some() {
        breadcrumbs.push(Link::new("Market position statement", "/market/"));
    }
    let view = IndexView {
        area: area_link.clone(),
        filters,
        overview: overview_text,
        chart,
        rows,
        unclassified: summaries(corpus, &unclassified),
    };
    page(
        area_link.map_or_else(|| "/market/".to_string(), |a| a.url),
        "market-index.html",
        PageMeta {
            title,
            description,
            breadcrumbs,
        },
        &view,
    )
}

fn signals_chart(rows: &[Row]) -> Chart {
    let rows: Vec<&Row> = rows.iter().filter(|r| r.intentions > 0).collect();
    let mut all = Tally::default();
    for r in &rows {
        all.add_all(&r.signals);
    }
    let busiest = rows.iter().max_by(|a, b| {
        a.intentions
            .cmp(&b.intentions)
            .then(b.service_area.title.cmp(&a.service_area.title))
    });
    let mut summary = format!(
        "Intentions by signal in each of {}: {} in all.",
        count(rows.len(), "service area", "service areas"),
        all.words()
    );
    if let Some(r) = busiest {
        summary.push_str(&format!(
            " {} has the most, {}.",
            r.service_area.title, r.intentions_text
        ));
    }
    summary.push_str(" An intention in several service areas counts in each.");
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: r.service_area.title.clone(),
            url: Some(r.service_area.url.clone()),
            values: Signal::ALL.iter().map(|&s| r.signals.get(s)).collect(),
        })
        .collect();
    stacked_bars(
        "signals-by-service-area",
        "Direction of travel by service area",
        &summary,
        "Service area",
        &signal_series(),
        &bars,
    )
}
