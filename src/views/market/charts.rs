//! Charts for market pages: stacked horizontal bar charts as inline SVG, written at build time,
//! with the text summary, the legend and the data table that go with each one.
//!
//! The SVG has no `viewBox`: bars are placed in percentages of the chart's width and text in
//! pixels, so the chart fills any width down to 320 px while its labels stay readable. Each
//! series has its own fill pattern and outline as well as its colour, and every count is in
//! the data table, so colour never carries meaning alone.

use std::fmt::Write;

use serde::Serialize;

/// One series of a stacked bar chart (a segment in every bar).
#[derive(Debug, Clone)]
pub struct Series {
    /// Its style key: a signal id, or `procurement`, `milestone`, `target-deadline`.
    pub key: &'static str,
    /// Its name for people.
    pub label: String,
}

/// One bar: a label and a value per series.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar stands for.
    pub label: String,
    /// A link for the row of the data table.
    pub url: Option<String>,
    /// One value per series.
    pub values: Vec<usize>,
}

/// A legend entry: a small swatch of the series' pattern and its name.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// The series' name.
    pub label: String,
    /// The swatch as inline SVG, hidden from assistive technology.
    pub swatch: String,
}

/// A row of a data table.
#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    /// The row header.
    pub header: String,
    /// Where the row header links to.
    pub url: Option<String>,
    /// One cell per column after the header.
    pub cells: Vec<String>,
}

/// The data behind a chart, as a table.
#[derive(Debug, Clone, Serialize)]
pub struct DataTable {
    /// The caption.
    pub caption: String,
    /// The heading of the row-header column.
    pub row_heading: String,
    /// The headings of the other columns.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<TableRow>,
}

/// A chart ready to lay out: the SVG, its legend, its summary and its data.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Unique on its page; ids inside the SVG start with it.
    pub id: String,
    /// The chart's title, also the SVG's accessible name.
    pub title: String,
    /// The SVG markup.
    pub svg: String,
    /// What each pattern stands for.
    pub legend: Vec<LegendItem>,
    /// The chart in one or two sentences.
    pub summary: String,
    /// Every figure the chart shows.
    pub table: DataTable,
}

/// Builds a stacked horizontal bar chart, its legend and its data table (with a total column).
/// Series that are zero in every bar are left out.
pub fn stacked_bars(
    id: &str,
    title: &str,
    summary: &str,
    row_heading: &str,
    series: &[Series],
    bars: &[Bar],
) -> Chart {
    let used: Vec<usize> = (0..series.len())
        .filter(|&s| {
            bars.iter()
                .any(|b| b.values.get(s).copied().unwrap_or(0) > 0)
        })
        .collect();
    let columns: Vec<String> = used
        .iter()
        .map(|&s| series[s].label.clone())
        .chain(std::iter::once("Total".to_string()))
        .collect();
    let rows = bars
        .iter()
        .map(|b| TableRow {
            header: b.label.clone(),
            url: b.url.clone(),
            cells: used
                .iter()
                .map(|&s| b.values.get(s).copied().unwrap_or(0).to_string())
                .chain(std::iter::once(b.values.iter().sum::<usize>().to_string()))
                .collect(),
        })
        .collect();
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        svg: svg(id, title, series, &used, bars),
        legend: used
            .iter()
            .map(|&s| LegendItem {
                label: series[s].label.clone(),
                swatch: swatch(id, series[s].key),
            })
            .collect(),
        summary: summary.to_string(),
        table: DataTable {
            caption: format!("{title}: the figures"),
            row_heading: row_heading.to_string(),
            columns,
            rows,
        },
    }
}

/// Pixel sizes of the layout.
const LINE: usize = 18;
const BAR: usize = 24;
const GAP: usize = 14;
/// Longest label line, in characters, that fits a 320 px screen at the chart's font size.
const LABEL_CHARS: usize = 34;
/// Bars use this share of the width, leaving room for the outline at both ends.
const SPAN: f64 = 99.0;
const START: f64 = 0.5;
/// A segment narrower than this (percent of the width) shows no number: it would not fit.
const MIN_COUNT_WIDTH: f64 = 6.0;

fn svg(id: &str, title: &str, series: &[Series], used: &[usize], bars: &[Bar]) -> String {
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut body = String::new();
    let mut y = 0;
    for bar in bars {
        let total: usize = bar.values.iter().sum();
        let mut lines = wrap(&bar.label, LABEL_CHARS);
        if let Some(last) = lines.last_mut() {
            last.push_str(&format!(": {total}"));
        }
        let _ = write!(body, "<g class=\"chart__row\">");
        for (n, line) in lines.iter().enumerate() {
            let _ = write!(
                body,
                "<text class=\"chart__label\" x=\"0\" y=\"{}\">{}</text>",
                y + 14 + n * LINE,
                escape(line)
            );
        }
        let bar_y = y + lines.len() * LINE + 4;
        let mut x = START;
        for &s in used {
            let value = bar.values.get(s).copied().unwrap_or(0);
            if value == 0 {
                continue;
            }
            let width = value as f64 / max as f64 * SPAN;
            let key = series[s].key;
            let _ = write!(
                body,
                "<rect class=\"chart__segment chart-edge--{key}\" x=\"{}%\" y=\"{bar_y}\" width=\"{}%\" height=\"{BAR}\" fill=\"url(#{id}-{key})\" stroke=\"{}\" stroke-width=\"1.5\"><title>{}: {value}</title></rect>",
                percent(x),
                percent(width),
                style(key).ink,
                escape(&series[s].label)
            );
            if width >= MIN_COUNT_WIDTH {
                let _ = write!(
                    body,
                    "<text class=\"chart__count\" x=\"{}%\" y=\"{}\" text-anchor=\"middle\">{value}</text>",
                    percent(x + width / 2.0),
                    bar_y + 17
                );
            }
            x += width;
        }
        body.push_str("</g>");
        y = bar_y + BAR + GAP;
    }
    let height = y.saturating_sub(GAP) + 2;
    let mut defs = String::new();
    for &s in used {
        defs.push_str(&pattern(&format!("{id}-{}", series[s].key), series[s].key));
    }
    format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-summary\"><title id=\"{id}-title\">{}</title><defs>{defs}</defs>{body}</svg>",
        escape(title)
    )
}

/// A legend swatch filled with the chart's pattern for this series.
fn swatch(id: &str, key: &str) -> String {
    format!(
        "<svg class=\"chart-swatch\" xmlns=\"http://www.w3.org/2000/svg\" width=\"28\" height=\"18\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"chart-edge--{key}\" x=\"1\" y=\"1\" width=\"26\" height=\"16\" fill=\"url(#{id}-{key})\" stroke=\"{}\" stroke-width=\"1.5\"/></svg>",
        style(key).ink
    )
}

/// How a series is drawn: background and ink colours (the stylesheet overrides them for dark
/// mode through the `chart-bg--`, `chart-ink--` and `chart-edge--` classes) and a shape.
struct Style {
    background: &'static str,
    ink: &'static str,
    shape: Shape,
}

enum Shape {
    Plain,
    Rising,
    Falling,
    Horizontal,
    Vertical,
    Dots,
    Cross,
}

fn style(key: &str) -> Style {
    let (background, ink, shape) = match key {
        "grow" => ("#cce2d8", "#005a30", Shape::Rising),
        "reduce" => ("#f4cdc6", "#942514", Shape::Falling),
        "maintain" => ("#e5e6e7", "#383f43", Shape::Plain),
        "new" => ("#bbd4ea", "#0c2d4a", Shape::Dots),
        "recommission" => ("#fcd6c3", "#6f3a00", Shape::Vertical),
        "decommission" => ("#f4cdc6", "#942514", Shape::Cross),
        "review" => ("#e5e6e7", "#383f43", Shape::Horizontal),
        "procurement" => ("#fcd6c3", "#6f3a00", Shape::Vertical),
        "milestone" => ("#bbd4ea", "#0c2d4a", Shape::Dots),
        "target-deadline" => ("#cce2d8", "#005a30", Shape::Rising),
        _ => ("#e5e6e7", "#383f43", Shape::Plain),
    };
    Style {
        background,
        ink,
        shape,
    }
}

fn pattern(pattern_id: &str, key: &str) -> String {
    let s = style(key);
    let ink = |d: &str| {
        format!(
            "<path class=\"chart-ink--{key}\" d=\"{d}\" stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"/>",
            s.ink
        )
    };
    let shape = match s.shape {
        Shape::Plain => String::new(),
        Shape::Rising => ink("M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4"),
        Shape::Falling => ink("M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4"),
        Shape::Horizontal => ink("M0,4 h8"),
        Shape::Vertical => ink("M4,0 v8"),
        Shape::Cross => ink("M0,0 l8,8 M8,0 l-8,8"),
        Shape::Dots => format!(
            "<circle class=\"chart-dot--{key}\" cx=\"4\" cy=\"4\" r=\"1.75\" fill=\"{}\"/>",
            s.ink
        ),
    };
    format!(
        "<pattern id=\"{pattern_id}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"><rect class=\"chart-bg--{key}\" width=\"8\" height=\"8\" fill=\"{}\"/>{shape}</pattern>",
        s.background
    )
}

/// A percentage with at most two decimals, for SVG attributes.
fn percent(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Splits a label into lines of at most `width` characters at spaces (a longer word gets a
/// line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Escapes text for SVG markup.
pub use crate::markdown::escape_html as escape;

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        stacked_bars(
            "signals",
            "Signals by commissioner",
            "Two commissioners.",
            "Commissioner",
            &[
                Series {
                    key: "grow",
                    label: "Grow".into(),
                },
                Series {
                    key: "reduce",
                    label: "Reduce".into(),
                },
                Series {
                    key: "new",
                    label: "New".into(),
                },
            ],
            &[
                Bar {
                    label: "Shire <County> Council".into(),
                    url: None,
                    values: vec![3, 1, 0],
                },
                Bar {
                    label: "Shire CCG".into(),
                    url: Some("/organisations/shire-ccg/".into()),
                    values: vec![1, 0, 0],
                },
            ],
        )
    }

    #[test]
    fn charts_are_accessible_svg_with_their_data() {
        let c = chart();
        assert!(c.svg.starts_with("<svg class=\"chart\""));
        assert!(c.svg.contains("role=\"img\""));
        assert!(c
            .svg
            .contains("<title id=\"signals-title\">Signals by commissioner</title>"));
        assert!(c.svg.contains("Shire &lt;County&gt; Council: 4"));
        // The longest bar spans the chart; others are in proportion.
        assert!(c.svg.contains("width=\"74.25%\""));
        assert!(c.svg.contains("fill=\"url(#signals-grow)\""));
        // A series with no values has no pattern, legend entry or column.
        assert!(!c.svg.contains("signals-new"));
        assert_eq!(c.legend.len(), 2);
        assert_eq!(c.table.columns, ["Grow", "Reduce", "Total"]);
        assert_eq!(c.table.rows[0].cells, ["3", "1", "4"]);
        assert_eq!(c.table.rows[1].cells, ["1", "0", "1"]);
    }

    #[test]
    fn long_labels_wrap() {
        assert_eq!(
            wrap("Direct payments and personal budgets", 20),
            ["Direct payments and", "personal budgets"]
        );
        assert_eq!(wrap("", 20), [""]);
    }
}
