//! The cross-reference matrix of shared priorities (`/matrix/`, `/matrix.json`,
//! `/matrix.csv`): priorities as rows, organisations as columns, overall and per area; and the
//! cross-references of any two dimensions declared in `site.yaml` (`/matrix/<id>/`).

use serde::Serialize;

use super::common::{count_words, home_url, intention_url, organisation_url, priority_url, Link};
use super::{page, DataFile, Page, PageMeta, PagePlan};
use crate::model::{Corpus, CrossReference, Dimension, Intention, Signal};

/// Which organisations declare which priorities, and which of their intentions are tagged
/// with each: the data behind Table 1 of a health and wellbeing board's report.
#[derive(Debug, Clone)]
pub struct SharedPriorityMatrix {
    /// Priority positions (rows), in taxonomy order.
    pub rows: Vec<usize>,
    /// Organisation positions (columns), in corpus order.
    pub columns: Vec<usize>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<MatrixCell>>,
}

/// One priority x organisation cell.
#[derive(Debug, Clone, Default)]
pub struct MatrixCell {
    /// The organisation declares the priority in its front matter.
    pub declared: bool,
    /// Positions of the intentions it leads that are tagged with the priority.
    pub intentions: Vec<usize>,
}

impl SharedPriorityMatrix {
    /// The matrix of every priority against the organisations at `columns`.
    pub fn new(corpus: &Corpus, columns: Vec<usize>) -> Self {
        let rows: Vec<usize> = (0..corpus.priorities.len()).collect();
        let mut cells: Vec<Vec<MatrixCell>> = rows
            .iter()
            .map(|_| {
                columns
                    .iter()
                    .map(|_| MatrixCell {
                        declared: false,
                        intentions: Vec::new(),
                    })
                    .collect()
            })
            .collect();
        // Filled a column at a time from its organisation's own priorities and intentions (in
        // corpus order), so an area's matrix of a few organisations costs what their
        // intentions do, not every intention of every priority in the country.
        for (c, &o) in columns.iter().enumerate() {
            for p in priority_positions(corpus, &corpus.organisations[o].priorities) {
                cells[p][c].declared = true;
            }
            for &i in &corpus.index.intentions_by_organisation[o] {
                for p in priority_positions(corpus, &corpus.intentions[i].priorities) {
                    cells[p][c].intentions.push(i);
                }
            }
        }
        SharedPriorityMatrix {
            rows,
            columns,
            cells,
        }
    }

    /// Whether every organisation in the matrix declares the priority in row `r` (sharing
    /// needs at least two).
    pub fn shared_by_all(&self, r: usize) -> bool {
        self.columns.len() > 1 && self.cells[r].iter().all(|c| c.declared)
    }
}

/// The positions of the priorities with these ids (unknown ids left out).
fn priority_positions<'a>(
    corpus: &'a Corpus,
    ids: &'a [String],
) -> impl Iterator<Item = usize> + 'a {
    ids.iter().filter_map(|id| corpus.priority_pos(id))
}

#[derive(Serialize)]
struct MatrixTable {
    id: String,
    caption: String,
    columns: Vec<ColumnHead>,
    rows: Vec<RowView>,
    shared_by_all: Vec<Link>,
    declared_without_intentions: Vec<Gap>,
    undeclared_with_intentions: Vec<Gap>,
}

#[derive(Serialize)]
struct ColumnHead {
    name: String,
    short_name: String,
    url: String,
}

#[derive(Serialize)]
struct RowView {
    priority: Link,
    shared_by_all: bool,
    declared_by: String,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    declared: bool,
    state: &'static str,
    count: usize,
    count_text: String,
    url: String,
}

#[derive(Serialize)]
struct Gap {
    organisation: String,
    priority: Link,
    count_text: String,
}

fn table(corpus: &Corpus, id: &str, caption: String, matrix: &SharedPriorityMatrix) -> MatrixTable {
    let columns = matrix
        .columns
        .iter()
        .map(|&o| {
            let org = &corpus.organisations[o];
            ColumnHead {
                name: org.name.clone(),
                short_name: org.short_name.clone(),
                url: organisation_url(&org.id),
            }
        })
        .collect();
    let mut shared_by_all = Vec::new();
    let mut declared_without_intentions = Vec::new();
    let mut undeclared_with_intentions = Vec::new();
    let rows = matrix
        .rows
        .iter()
        .enumerate()
        .map(|(r, &p)| {
            let priority = &corpus.priorities[p];
            let link = Link::new(priority.name.clone(), priority_url(&priority.id));
            if matrix.shared_by_all(r) {
                shared_by_all.push(link.clone());
            }
            let cells = matrix.cells[r]
                .iter()
                .zip(&matrix.columns)
                .map(|(cell, &o)| {
                    let org = &corpus.organisations[o];
                    let count = cell.intentions.len();
                    let count_text = count_words(count, "intention", "intentions");
                    if cell.declared && count == 0 {
                        declared_without_intentions.push(Gap {
                            organisation: org.short_name.clone(),
                            priority: link.clone(),
                            count_text: count_text.clone(),
                        });
                    }
                    if !cell.declared && count > 0 {
                        undeclared_with_intentions.push(Gap {
                            organisation: org.short_name.clone(),
                            priority: link.clone(),
                            count_text: count_text.clone(),
                        });
                    }
                    CellView {
                        declared: cell.declared,
                        state: match (cell.declared, count > 0) {
                            (true, true) => "declared",
                            (true, false) => "declared-only",
                            (false, true) => "undeclared-used",
                            (false, false) => "none",
                        },
                        count,
                        count_text,
                        url: format!("{}#org-{}", priority_url(&priority.id), org.id),
                    }
                })
                .collect();
            let declared = matrix.cells[r].iter().filter(|c| c.declared).count();
            RowView {
                priority: link,
                shared_by_all: matrix.shared_by_all(r),
                declared_by: format!("{declared} of {}", matrix.columns.len()),
                cells,
            }
        })
        .collect();
    MatrixTable {
        id: id.to_string(),
        caption,
        columns,
        rows,
        shared_by_all,
        declared_without_intentions,
        undeclared_with_intentions,
    }
}

/// `/matrix/`: one table per area, then all organisations together.
pub fn page_view(corpus: &Corpus) -> Page {
    let mut tables = Vec::new();
    let mut areas = Vec::new();
    for (a, area) in corpus.areas.iter().enumerate() {
        let orgs = corpus.index.organisations_by_area[a].clone();
        if orgs.is_empty() {
            continue;
        }
        let matrix = SharedPriorityMatrix::new(corpus, orgs);
        let id = format!("area-{}", area.id);
        areas.push(Link::new(area.name.clone(), format!("#{id}")));
        tables.push(table(
            corpus,
            &id,
            format!("Shared priorities in {}: which organisations declare each priority, and their intentions on it", area.name),
            &matrix,
        ));
    }
    let all = SharedPriorityMatrix::new(corpus, (0..corpus.organisations.len()).collect());
    tables.push(table(
        corpus,
        "all",
        "Shared priorities across all organisations: which declare each priority, and their intentions on it".into(),
        &all,
    ));
    let cross_references: Vec<Link> = corpus
        .site
        .cross_references
        .iter()
        .map(|c| Link::new(c.title.clone(), cross_reference_url(&c.id)))
        .collect();
    page(
        "/matrix/".into(),
        "matrix.html",
        PageMeta {
            title: "Shared priorities matrix".into(),
            description: "Which priorities the councils and NHS bodies declare, where they agree, and the intentions that deliver each.".into(),
            breadcrumbs: vec![Link::new("Home", home_url())],
        },
        &serde_json::json!({ "tables": tables, "areas": areas, "cross_references": cross_references }),
    )
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    rows: Vec<RowJson<'a>>,
    columns: Vec<ColumnJson<'a>>,
    cells: Vec<CellJson<'a>>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    id: &'a str,
    name: &'a str,
    area: &'a str,
}

#[derive(Serialize)]
struct CellJson<'a> {
    row: &'a str,
    column: &'a str,
    declared: bool,
    intentions: Vec<String>,
}

/// `/matrix.json` (shape pinned in the brief) and `/matrix.csv`: one cell per row x column.
pub fn files(corpus: &Corpus) -> Result<Vec<DataFile>, String> {
    let matrix = SharedPriorityMatrix::new(corpus, (0..corpus.organisations.len()).collect());
    let rows = matrix
        .rows
        .iter()
        .map(|&p| RowJson {
            id: &corpus.priorities[p].id,
            name: &corpus.priorities[p].name,
        })
        .collect();
    let columns = matrix
        .columns
        .iter()
        .map(|&o| {
            let org = &corpus.organisations[o];
            ColumnJson {
                id: &org.id,
                name: &org.name,
                area: &org.area,
            }
        })
        .collect();
    let mut cells = Vec::new();
    for (r, &p) in matrix.rows.iter().enumerate() {
        for (c, &o) in matrix.columns.iter().enumerate() {
            let cell = &matrix.cells[r][c];
            cells.push(CellJson {
                row: &corpus.priorities[p].id,
                column: &corpus.organisations[o].id,
                declared: cell.declared,
                intentions: cell
                    .intentions
                    .iter()
                    .map(|&i| intention_url(&corpus.intentions[i]))
                    .collect(),
            });
        }
    }
    let json = MatrixJson {
        rows,
        columns,
        cells,
    };
    let error = |e: &dyn std::fmt::Display| format!("could not write the matrix data: {e}");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "row",
        "row_name",
        "column",
        "column_name",
        "area",
        "declared",
        "intention_count",
        "intentions",
    ])
    .map_err(|e| error(&e))?;
    for cell in &json.cells {
        let row = json
            .rows
            .iter()
            .find(|r| r.id == cell.row)
            .map_or("", |r| r.name);
        let column = json.columns.iter().find(|c| c.id == cell.column);
        csv.write_record([
            cell.row,
            row,
            cell.column,
            column.map_or("", |c| c.name),
            column.map_or("", |c| c.area),
            if cell.declared { "true" } else { "false" },
            &cell.intentions.len().to_string(),
            &cell.intentions.join(" "),
        ])
        .map_err(|e| error(&e))?;
    }
    let mut files = vec![
        DataFile {
            path: "matrix.json".into(),
            bytes: serde_json::to_vec_pretty(&json).map_err(|e| error(&e))?,
        },
        DataFile {
            path: "matrix.csv".into(),
            bytes: csv.into_inner().map_err(|e| error(&e))?,
        },
    ];
    for cross in &corpus.site.cross_references {
        let table = CrossTable::new(corpus, cross);
        files.push(DataFile {
            path: format!("matrix/{}.json", cross.id),
            bytes: serde_json::to_vec_pretty(&table.json()).map_err(|e| error(&e))?,
        });
    }
    Ok(files)
}

/// The address of a declared cross-reference.
pub fn cross_reference_url(id: &str) -> String {
    format!("/matrix/{id}/")
}

/// One value of a dimension: its key, its name and the page it links to.
#[derive(Debug, Clone, Serialize)]
struct Value {
    id: String,
    name: String,
    url: Option<String>,
}

fn values(corpus: &Corpus, dimension: Dimension, organisation: Option<&str>) -> Vec<Value> {
    match dimension {
        Dimension::Organisations => corpus
            .organisations
            .iter()
            .filter(|o| organisation.is_none_or(|only| only == o.id))
            .map(|o| Value {
                id: o.id.clone(),
                name: o.short_name.clone(),
                url: Some(organisation_url(&o.id)),
            })
            .collect(),
        Dimension::Priorities => corpus
            .priorities
            .iter()
            .map(|p| Value {
                id: p.id.clone(),
                name: p.name.clone(),
                url: Some(priority_url(&p.id)),
            })
            .collect(),
        Dimension::ServiceAreas => corpus
            .service_areas
            .iter()
            .map(|s| Value {
                id: s.id.clone(),
                name: s.name.clone(),
                url: None,
            })
            .collect(),
        Dimension::Themes => corpus
            .organisations
            .iter()
            .filter(|o| organisation.is_none_or(|only| only == o.id))
            .flat_map(|o| {
                o.themes.iter().map(move |t| Value {
                    id: format!("{}/{}", o.id, t.id),
                    name: t.name.clone(),
                    url: Some(format!("{}#theme-{}", organisation_url(&o.id), t.id)),
                })
            })
            .collect(),
        Dimension::Signals => Signal::ALL
            .iter()
            .map(|s| Value {
                id: s.id().to_string(),
                name: s.label().to_string(),
                url: None,
            })
            .collect(),
        Dimension::Areas => corpus
            .areas
            .iter()
            .map(|a| Value {
                id: a.id.clone(),
                name: a.name.clone(),
                url: Some(super::common::area_url(&a.id)),
            })
            .collect(),
    }
}

/// The keys of `dimension` an intention belongs to.
fn keys_of(corpus: &Corpus, dimension: Dimension, it: &Intention) -> Vec<String> {
    match dimension {
        Dimension::Organisations => vec![it.organisation.clone()],
        Dimension::Priorities => it.priorities.clone(),
        Dimension::ServiceAreas => it.service_areas.clone(),
        Dimension::Themes => it
            .theme
            .iter()
            .map(|t| format!("{}/{t}", it.organisation))
            .collect(),
        Dimension::Signals => vec![it.signal.id().to_string()],
        Dimension::Areas => corpus
            .organisation(&it.organisation)
            .map(|o| vec![o.area.clone()])
            .unwrap_or_default(),
    }
}

/// A declared cross-reference, counted.
struct CrossTable {
    rows: Vec<Value>,
    columns: Vec<Value>,
    /// `cells[row][column]`: intention positions.
    cells: Vec<Vec<Vec<usize>>>,
    /// Intentions in scope.
    total: usize,
}

impl CrossTable {
    fn new(corpus: &Corpus, cross: &CrossReference) -> Self {
        let only = cross.organisation.as_deref();
        let rows = values(corpus, cross.rows, only);
        let columns = values(corpus, cross.columns, only);
        let mut cells = vec![vec![Vec::new(); columns.len()]; rows.len()];
        let mut total = 0;
        for (i, it) in corpus.intentions.iter().enumerate() {
            if only.is_some_and(|o| o != it.organisation) {
                continue;
            }
            total += 1;
            let row_keys = keys_of(corpus, cross.rows, it);
            let column_keys = keys_of(corpus, cross.columns, it);
            for (r, row) in rows.iter().enumerate() {
                if !row_keys.contains(&row.id) {
                    continue;
                }
                for (c, column) in columns.iter().enumerate() {
                    if column_keys.contains(&column.id) {
                        cells[r][c].push(i);
                    }
                }
            }
        }
        CrossTable {
            rows,
            columns,
            cells,
            total,
        }
    }

    fn json(&self) -> serde_json::Value {
        let cells: Vec<serde_json::Value> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                self.columns.iter().enumerate().map(move |(c, column)| {
                    serde_json::json!({ "row": row.id, "column": column.id, "intentions": self.cells[r][c] })
                })
            })
            .collect();
        serde_json::json!({
            "rows": self.rows.iter().map(|v| serde_json::json!({"id": v.id, "name": v.name})).collect::<Vec<_>>(),
            "columns": self.columns.iter().map(|v| serde_json::json!({"id": v.id, "name": v.name})).collect::<Vec<_>>(),
            "cells": cells,
        })
    }
}

#[derive(Serialize)]
struct CrossCell {
    count: usize,
    anchor: Option<String>,
}

#[derive(Serialize)]
struct CrossRow {
    value: Value,
    cells: Vec<CrossCell>,
    total: usize,
}

#[derive(Serialize)]
struct CrossList {
    anchor: String,
    heading: String,
    intentions: Vec<Link>,
}

/// `/matrix/<id>/` for every cross-reference declared in `site.yaml`, each made when it is
/// rendered: a national cross-reference's view runs to tens of megabytes.
pub fn cross_reference_pages(corpus: &Corpus) -> Vec<PagePlan<'_>> {
    corpus
        .site
        .cross_references
        .iter()
        .map(|cross| {
            PagePlan::later(cross_reference_url(&cross.id), move || {
                cross_reference_page(corpus, cross)
            })
        })
        .collect()
}

/// `/matrix/<id>/` for one cross-reference.
fn cross_reference_page(corpus: &Corpus, cross: &CrossReference) -> Page {
    let mut table = CrossTable::new(corpus, cross);
    // The JSON keeps intention positions; the page wants paths, so resolve once here.
    let resolve = |i: usize| {
        Link::new(
            corpus.intentions[i].title.clone(),
            intention_url(&corpus.intentions[i]),
        )
    };
    let mut lists = Vec::new();
    let rows: Vec<CrossRow> = table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cells = table.cells[r]
                .iter()
                .enumerate()
                .map(|(c, found)| {
                    let anchor = (!found.is_empty()).then(|| format!("cell-{r}-{c}"));
                    if let Some(anchor) = &anchor {
                        lists.push(CrossList {
                            anchor: anchor.clone(),
                            heading: format!("{} and {}", row.name, table.columns[c].name),
                            intentions: found.iter().map(|&i| resolve(i)).collect(),
                        });
                    }
                    CrossCell {
                        count: found.len(),
                        anchor,
                    }
                })
                .collect();
            let mut in_row: Vec<usize> = table.cells[r].iter().flatten().copied().collect();
            in_row.sort_unstable();
            in_row.dedup();
            CrossRow {
                value: row.clone(),
                cells,
                total: in_row.len(),
            }
        })
        .collect();
    table.cells.clear();
    let scope = cross
        .organisation
        .as_deref()
        .and_then(|o| corpus.organisation(o))
        .map(|o| o.name.clone());
    page(
        cross_reference_url(&cross.id),
        "cross-reference.html",
        PageMeta {
            title: cross.title.clone(),
            description: cross.description.clone().unwrap_or_else(|| {
                format!(
                    "Intentions counted by {} and {}.",
                    cross.rows.label().to_lowercase(),
                    cross.columns.label().to_lowercase()
                )
            }),
            breadcrumbs: vec![
                Link::new("Home", home_url()),
                Link::new("Shared priorities matrix", "/matrix/"),
            ],
        },
        &serde_json::json!({
            "title": cross.title,
            "description": cross.description,
            "scope": scope,
            "rows_label": cross.rows.label(),
            "columns_label": cross.columns.label(),
            "columns": table.columns,
            "rows": rows,
            "lists": lists,
            "total": count_words(table.total, "intention", "intentions"),
            "json_url": format!("/matrix/{}.json", cross.id),
        }),
    )
}
