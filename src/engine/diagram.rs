//! The ER diagram's layout: tables as boxes listing their columns, foreign
//! keys as arrows from the referring column's row to the referred column's
//! row. Tables are placed in columns by foreign-key dependency (a referred
//! table left of the tables that refer to it; cycles broken in name order),
//! tall columns wrapped, rows ordered to keep arrows short; arrows run as
//! right-angled polylines through the gaps between columns. Tables no key
//! connects flow in rows below. Everything is
//! measured in SVG user units for a monospace font of [`FONT_SIZE`], and the
//! same tables always give the same diagram.

use std::collections::BTreeMap;

use super::schema::TableInfo;

/// The font size the widths are measured for (monospace).
pub const FONT_SIZE: f64 = 12.0;
/// The advance of one character at [`FONT_SIZE`] (0.6em, rounded up).
pub const CHAR_WIDTH: f64 = 7.4;
/// The height of the title band.
pub const HEADER_HEIGHT: f64 = 26.0;
/// The height of one column's row.
pub const ROW_HEIGHT: f64 = 19.0;
/// Space inside a box, left and right of the text.
pub const PADDING: f64 = 8.0;
/// Where a row's `PK`/`FK` markers start, after room for a one-character
/// change mark (`+`, `~`).
pub const KEYS_OFFSET: f64 = PADDING + 2.0 * CHAR_WIDTH;
/// Where a row's name starts, after the `PK FK` markers.
pub const NAME_OFFSET: f64 = KEYS_OFFSET + 6.0 * CHAR_WIDTH;
/// Room kept after a table's name for a change word (` (altered)`).
pub const TITLE_RESERVE: usize = 10;
/// Names longer than this many characters are cut with `…`.
pub const MAX_LABEL: usize = 32;

const MARGIN: f64 = 16.0;
const COLUMN_GAP: f64 = 72.0;
const ROW_GAP: f64 = 26.0;
/// A box column holds at most this many tables before it wraps.
const MAX_PER_COLUMN: usize = 5;
/// Unconnected tables flow in rows at least this wide.
const MIN_ROW_WIDTH: f64 = 640.0;

/// One column's row inside a table's box.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnLine {
    pub name: String,
    /// The name as drawn (cut to [`MAX_LABEL`] characters).
    pub label: String,
    /// The declared type as drawn (cut too).
    pub type_label: String,
    pub primary_key: bool,
    pub foreign_key: bool,
    pub not_null: bool,
    /// The vertical middle of the row.
    pub y: f64,
}

/// A table's box.
#[derive(Debug, Clone, PartialEq)]
pub struct TableBox {
    pub table: String,
    /// The name as drawn (cut to [`MAX_LABEL`] characters).
    pub label: String,
    /// Alembic's version table.
    pub alembic: bool,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub lines: Vec<ColumnLine>,
}

impl TableBox {
    /// The vertical middle of the title band.
    pub fn header_middle(&self) -> f64 {
        self.y + HEADER_HEIGHT / 2.0
    }

    /// The vertical middle of column `name`'s row; the title band when the
    /// box has no such column.
    pub fn row_middle(&self, name: &str) -> f64 {
        self.lines.iter().find(|l| l.name == name).map_or_else(|| self.header_middle(), |l| l.y)
    }

    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// A foreign key's arrow: from the referring column's row to the referred
/// column's row, as a polyline whose last point touches the referred box.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    pub from_table: String,
    pub from_column: String,
    pub to_table: String,
    pub to_column: String,
    pub points: Vec<(f64, f64)>,
}

/// The whole drawing: its size, the boxes and the arrows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagram {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<TableBox>,
    pub arrows: Vec<Arrow>,
}

impl Diagram {
    pub fn table(&self, name: &str) -> Option<&TableBox> {
        self.boxes.iter().find(|b| b.table == name)
    }
}

/// How wide `text` draws: ASCII one advance, anything else two (wide
/// scripts take two; overestimating only leaves room).
fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>() * CHAR_WIDTH
}

/// `text` cut to `max` characters, the last one `…`.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// Foreign-key edges between tables (by index), referred → referring,
/// without self-references and duplicates; and the table a referred name
/// means (SQLite matches names ASCII case-insensitively).
struct Graph {
    parents: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
}

fn find_table(tables: &[&TableInfo], name: &str) -> Option<usize> {
    tables.iter().position(|t| t.name == name).or_else(|| tables.iter().position(|t| t.name.eq_ignore_ascii_case(name)))
}

impl Graph {
    fn new(tables: &[&TableInfo]) -> Self {
        let mut parents = vec![Vec::new(); tables.len()];
        let mut children = vec![Vec::new(); tables.len()];
        for (child, table) in tables.iter().enumerate() {
            for fk in &table.foreign_keys {
                let Some(parent) = find_table(tables, &fk.referred_table) else { continue };
                if parent != child && !parents[child].contains(&parent) {
                    parents[child].push(parent);
                    children[parent].push(child);
                }
            }
        }
        for list in parents.iter_mut().chain(children.iter_mut()) {
            list.sort_unstable();
        }
        Graph { parents, children }
    }

    /// Each table's layer: one more than the deepest table it refers to
    /// (tables referring to none: just left of the nearest table referring
    /// to them), over the edges left after a depth-first walk in name order
    /// drops those closing a cycle.
    fn layers(&self) -> Vec<usize> {
        let n = self.parents.len();
        // 0 unvisited, 1 on the stack, 2 done.
        let mut state = vec![0u8; n];
        let mut kept: Vec<Vec<usize>> = vec![Vec::new(); n]; // parents kept, per child
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&child) = self.children[node].get(*next) {
                    *next += 1;
                    match state[child] {
                        0 => {
                            kept[child].push(node);
                            state[child] = 1;
                            stack.push((child, 0));
                        }
                        2 => kept[child].push(node),
                        _ => {} // closes a cycle
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        // Longest path over the kept (acyclic) edges.
        let mut layer: Vec<Option<usize>> = vec![None; n];
        fn depth(node: usize, kept: &[Vec<usize>], layer: &mut [Option<usize>]) -> usize {
            if let Some(d) = layer[node] {
                return d;
            }
            // Iterative enough: a chain is at most as deep as the tables.
            let d = kept[node].iter().map(|&p| depth(p, kept, layer) + 1).max().unwrap_or(0);
            layer[node] = Some(d);
            d
        }
        let mut layers: Vec<usize> = (0..n).map(|i| depth(i, &kept, &mut layer)).collect();
        // A table nothing is kept above moves right, next to the nearest
        // table referring to it, so its arrows stay short.
        for node in 0..n {
            if kept[node].is_empty() {
                let nearest = (0..n).filter(|&c| kept[c].contains(&node)).map(|c| layers[c]).min();
                if let Some(nearest) = nearest {
                    layers[node] = nearest - 1;
                }
            }
        }
        layers
    }
}

/// Lays out `tables` (any order; the diagram is the same for the same set).
pub fn layout(tables: &[TableInfo]) -> Diagram {
    let mut tables: Vec<&TableInfo> = tables.iter().collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    tables.dedup_by(|a, b| a.name == b.name);
    if tables.is_empty() {
        return Diagram::default();
    }
    let graph = Graph::new(&tables);
    let layer = graph.layers();
    let connected: Vec<bool> =
        (0..tables.len()).map(|i| !graph.parents[i].is_empty() || !graph.children[i].is_empty()).collect();

    // Connected tables in their layers, a column each (wrapped when tall).
    let layer_count = (0..tables.len()).filter(|&i| connected[i]).map(|i| layer[i] + 1).max().unwrap_or(0);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for i in (0..tables.len()).filter(|&i| connected[i]) {
        layers[layer[i]].push(i);
    }
    order_layers(&mut layers, &graph);
    let columns: Vec<Vec<usize>> =
        layers.iter().flat_map(|layer| layer.chunks(MAX_PER_COLUMN).map(<[usize]>::to_vec)).collect();

    // Boxes: sized by their text, stacked in their column, each as close to
    // the boxes it refers to as the ones above it allow.
    let mut boxes: Vec<Option<TableBox>> = vec![None; tables.len()];
    let mut column_of = vec![0usize; tables.len()];
    let mut column_left = Vec::new();
    let mut column_right = Vec::new();
    let mut x = MARGIN;
    let place = |table_box: &mut TableBox, x: f64, y: f64| {
        table_box.x = x;
        table_box.y = y;
        for line in &mut table_box.lines {
            line.y += y;
        }
    };
    for (c, column) in columns.iter().enumerate() {
        let sized: Vec<TableBox> = column.iter().map(|&i| sized_box(tables[i])).collect();
        let width = sized.iter().map(|b| b.width).fold(0.0, f64::max);
        let mut cursor = MARGIN;
        for (&i, mut table_box) in column.iter().zip(sized) {
            let placed_parents: Vec<f64> =
                graph.parents[i].iter().filter_map(|&p| boxes[p].as_ref().map(|b: &TableBox| b.y)).collect();
            let wanted = if placed_parents.is_empty() {
                cursor
            } else {
                placed_parents.iter().sum::<f64>() / placed_parents.len() as f64
            };
            let y = cursor.max(wanted).round();
            place(&mut table_box, x, y);
            cursor = y + table_box.height + ROW_GAP;
            column_of[i] = c;
            boxes[i] = Some(table_box);
        }
        column_left.push(x);
        column_right.push(x + width);
        x += width + COLUMN_GAP;
    }

    // The tables no key connects flow in rows below, as wide as the graph
    // (or a few boxes); each is a column of its own for its arrows (a
    // self-reference loops in the gap on its right).
    let graph_bottom = boxes.iter().flatten().map(TableBox::bottom).fold(0.0, f64::max);
    let row_limit = (x - COLUMN_GAP).max(MIN_ROW_WIDTH);
    let (mut x, mut y, mut row_height) =
        (MARGIN, if graph_bottom > 0.0 { graph_bottom + ROW_GAP } else { MARGIN }, 0.0);
    for i in (0..tables.len()).filter(|&i| !connected[i]) {
        let mut table_box = sized_box(tables[i]);
        if x > MARGIN && x + table_box.width > row_limit {
            (x, y, row_height) = (MARGIN, y + row_height + ROW_GAP, 0.0);
        }
        place(&mut table_box, x, y);
        row_height = f64::max(row_height, table_box.height);
        column_of[i] = column_left.len();
        column_left.push(x);
        column_right.push(x + table_box.width);
        x += table_box.width + COLUMN_GAP;
        boxes[i] = Some(table_box);
    }
    let boxes: Vec<TableBox> = boxes.into_iter().map(|b| b.expect("every table is placed")).collect();

    let arrows = route_arrows(&tables, &boxes, &column_of, &column_right);
    let right = boxes.iter().map(TableBox::right).chain(arrows.iter().flat_map(|a| a.points.iter().map(|p| p.0)));
    let bottom = boxes.iter().map(TableBox::bottom).chain(arrows.iter().flat_map(|a| a.points.iter().map(|p| p.1)));
    Diagram {
        width: (right.fold(0.0, f64::max) + MARGIN).ceil(),
        height: (bottom.fold(0.0, f64::max) + MARGIN).ceil(),
        boxes,
        arrows,
    }
}

/// Orders each layer to keep arrows short: by the mean position of the
/// tables each refers to (then of those referring to it), a few sweeps,
/// ties by name.
fn order_layers(layers: &mut [Vec<usize>], graph: &Graph) {
    let mut position = vec![0.0; graph.parents.len()];
    let set_positions = |layers: &[Vec<usize>], position: &mut Vec<f64>| {
        for layer in layers {
            for (at, &i) in layer.iter().enumerate() {
                position[i] = at as f64;
            }
        }
    };
    set_positions(layers, &mut position);
    for sweep in 0..4 {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> =
            if downward { (1..layers.len()).collect() } else { (0..layers.len().saturating_sub(1)).rev().collect() };
        for l in order {
            let neighbours = |i: usize| if downward { &graph.parents[i] } else { &graph.children[i] };
            let mut keyed: Vec<(f64, usize)> = layers[l]
                .iter()
                .map(|&i| {
                    let near = neighbours(i);
                    let key = if near.is_empty() {
                        position[i]
                    } else {
                        near.iter().map(|&n| position[n]).sum::<f64>() / near.len() as f64
                    };
                    (key, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|(_, i)| i).collect();
            set_positions(layers, &mut position);
        }
    }
}

fn sized_box(table: &TableInfo) -> TableBox {
    let fk_columns: Vec<&str> =
        table.foreign_keys.iter().flat_map(|fk| fk.columns.iter().map(String::as_str)).collect();
    let lines: Vec<ColumnLine> = table
        .columns
        .iter()
        .enumerate()
        .map(|(at, column)| ColumnLine {
            name: column.name.clone(),
            label: clip(&column.name, MAX_LABEL),
            type_label: clip(&column.declared_type, MAX_LABEL),
            primary_key: column.primary_key > 0,
            foreign_key: fk_columns.iter().any(|c| c.eq_ignore_ascii_case(&column.name)),
            not_null: column.not_null,
            y: HEADER_HEIGHT + ROW_HEIGHT * (at as f64 + 0.5),
        })
        .collect();
    let label = clip(&table.name, MAX_LABEL);
    let widest_row = lines
        .iter()
        .map(|l| NAME_OFFSET + text_width(&l.label) + 2.0 * CHAR_WIDTH + text_width(&l.type_label) + PADDING)
        .fold(0.0, f64::max);
    let title = 2.0 * PADDING + text_width(&label) + TITLE_RESERVE as f64 * CHAR_WIDTH;
    let width = widest_row.max(title).max(120.0).ceil();
    TableBox {
        table: table.name.clone(),
        label,
        alembic: table.alembic,
        x: 0.0,
        y: 0.0,
        width,
        height: HEADER_HEIGHT + ROW_HEIGHT * lines.len() as f64 + 6.0,
        lines,
    }
}

/// A gap between box columns, where arrows run vertically: gap `g` lies
/// right of column `g`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Gap(usize);

/// An arrow before its lanes are known: where it leaves and reaches its
/// boxes, and its vertical runs (gap, from y, to y) in order; consecutive
/// runs are joined by horizontal ones.
struct Route {
    arrow: usize,
    start: (f64, f64),
    end: (f64, f64),
    runs: Vec<(Gap, f64, f64)>,
}

/// Space kept between an arrow's horizontal run and a box it passes.
const CLEARANCE: f64 = 7.0;

/// The y nearest `target` at which a horizontal run crosses no box of
/// columns `first..=last` (below everything, at worst).
fn free_row(boxes: &[TableBox], column_of: &[usize], first: usize, last: usize, target: f64) -> f64 {
    let mut blocked: Vec<(f64, f64)> = boxes
        .iter()
        .zip(column_of)
        .filter(|(_, column)| (first..=last).contains(*column))
        .map(|(b, _)| (b.y - CLEARANCE, b.bottom() + CLEARANCE))
        .collect();
    blocked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (lo, hi) in blocked {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    match merged.iter().find(|(lo, hi)| *lo < target && target < *hi) {
        None => target,
        Some(&(lo, hi)) if lo > MARGIN / 2.0 && target - lo <= hi - target => lo,
        Some(&(_, hi)) => hi,
    }
}

fn route_arrows(tables: &[&TableInfo], boxes: &[TableBox], column_of: &[usize], column_right: &[f64]) -> Vec<Arrow> {
    let mut arrows = Vec::new();
    let mut routes = Vec::new();
    for (child, table) in tables.iter().enumerate() {
        for fk in &table.foreign_keys {
            let Some(parent) = find_table(tables, &fk.referred_table) else { continue };
            let from_column = fk.columns.first().cloned().unwrap_or_default();
            let to_column = fk.referred_columns.first().cloned().unwrap_or_default();
            let (from, to) = (&boxes[child], &boxes[parent]);
            let (y1, y2) = (from.row_middle(&from_column), to.row_middle(&to_column));
            let (cc, pc) = (column_of[child], column_of[parent]);
            let (start, end, near_child, near_parent) = if cc > pc {
                // The usual way: leftwards to the referred table.
                ((from.x, y1), (to.right(), y2), Gap(cc - 1), Gap(pc))
            } else if cc < pc {
                ((from.right(), y1), (to.x, y2), Gap(cc), Gap(pc - 1))
            } else {
                // A self-reference (or the same column): a loop on the right.
                ((from.right(), y1), (to.right(), y2), Gap(cc), Gap(cc))
            };
            let (lo, hi) = (cc.min(pc), cc.max(pc));
            let runs = if hi <= lo + 1 {
                vec![(near_child, y1, y2)]
            } else {
                // Columns lie between: run level with one end if that is
                // clear of their boxes, else detour through a free row.
                let free = |y| free_row(boxes, column_of, lo + 1, hi - 1, y);
                if free(y2) == y2 {
                    vec![(near_child, y1, y2)]
                } else if free(y1) == y1 {
                    vec![(near_parent, y1, y2)]
                } else {
                    let y = free(y2);
                    vec![(near_child, y1, y), (near_parent, y, y2)]
                }
            };
            routes.push(Route { arrow: arrows.len(), start, end, runs });
            arrows.push(Arrow {
                from_table: table.name.clone(),
                from_column,
                to_table: tables[parent].name.clone(),
                to_column,
                points: Vec::new(),
            });
        }
    }
    // Lanes: the runs of one gap spread evenly across it, ordered by where
    // they begin so that neighbours cross less.
    let mut by_gap: BTreeMap<Gap, Vec<(usize, usize)>> = BTreeMap::new();
    for (r, route) in routes.iter().enumerate() {
        for (k, run) in route.runs.iter().enumerate() {
            by_gap.entry(run.0).or_default().push((r, k));
        }
    }
    let mut lanes: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for (Gap(g), mut in_gap) in by_gap {
        let key = |&(r, k): &(usize, usize)| (routes[r].runs[k].1, routes[r].runs[k].2);
        in_gap.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(a.cmp(b))
        });
        let left = column_right[g];
        let lane = COLUMN_GAP / (in_gap.len() as f64 + 1.0);
        for (n, run) in in_gap.into_iter().enumerate() {
            lanes.insert(run, (left + lane * (n as f64 + 1.0)).round());
        }
    }
    for (r, route) in routes.iter().enumerate() {
        let mut points = vec![route.start];
        for (k, &(_, from_y, to_y)) in route.runs.iter().enumerate() {
            let x = lanes[&(r, k)];
            points.push((x, from_y));
            points.push((x, to_y));
        }
        points.push(route.end);
        points.dedup();
        arrows[route.arrow].points = points;
    }
    arrows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::schema::{ColumnInfo, ForeignKeyInfo};

    /// A table `name` with an `id` primary key, the given columns, and a
    /// foreign key `<parent>_id → parent(id)` for each parent.
    fn table(name: &str, extra: &[&str], parents: &[&str]) -> TableInfo {
        let column = |name: &str, pk| ColumnInfo {
            name: name.into(),
            declared_type: if pk == 1 { "INTEGER".into() } else { "VARCHAR(50)".into() },
            not_null: pk == 1,
            primary_key: pk,
            default: None,
        };
        let mut columns = vec![column("id", 1)];
        columns.extend(extra.iter().map(|c| column(c, 0)));
        columns.extend(parents.iter().map(|p| column(&format!("{p}_id"), 0)));
        TableInfo {
            name: name.into(),
            columns,
            indexes: vec![],
            unique_constraints: vec![],
            foreign_keys: parents
                .iter()
                .map(|p| ForeignKeyInfo {
                    name: None,
                    columns: vec![format!("{p}_id")],
                    referred_table: p.to_string(),
                    referred_columns: vec!["id".into()],
                    on_delete: "NO ACTION".into(),
                    on_update: "NO ACTION".into(),
                })
                .collect(),
            row_count: Some(0),
            alembic: false,
        }
    }

    fn todo_app() -> Vec<TableInfo> {
        vec![
            table("users", &["email", "name"], &[]),
            table("todos", &["title", "done"], &["users"]),
            table("tags", &["label"], &[]),
            table("todo_tags", &[], &["todos", "tags"]),
            table("categories", &["title"], &["categories"]),
        ]
    }

    /// Twenty tables: chains, a fan-in, a two-table cycle, a three-table
    /// cycle, self-references, a key to a missing table and loose tables.
    fn twenty() -> Vec<TableInfo> {
        let mut tables = vec![
            table("t00", &[], &[]),
            table("t01", &["a"], &["t00"]),
            table("t02", &["a", "b"], &["t01"]),
            table("t03", &[], &["t02", "t00"]),
            table("t04", &[], &["t05"]),
            table("t05", &[], &["t04"]),
            table("t06", &[], &["t07"]),
            table("t07", &[], &["t08"]),
            table("t08", &[], &["t06", "t08"]),
            table("t09", &["very_long_column_name_that_goes_on_and_on_and_on"], &["t09"]),
            table("t10", &[], &["missing"]),
        ];
        for i in 11..20 {
            let parents: Vec<String> = match i % 3 {
                0 => vec![],
                1 => vec!["t01".into(), format!("t{:02}", i - 1)],
                _ => vec!["t03".into()],
            };
            let parents: Vec<&str> = parents.iter().map(String::as_str).collect();
            tables.push(table(&format!("t{i}"), &["x", "y"], &parents));
        }
        tables
    }

    fn loose(n: usize) -> Vec<TableInfo> {
        (0..n).map(|i| table(&format!("loose_{i:02}"), &["a", "b"], &[])).collect()
    }

    fn cases() -> Vec<(&'static str, Vec<TableInfo>)> {
        vec![
            ("one table", vec![table("only", &["a"], &[])]),
            ("five tables", todo_app()),
            ("twenty tables with cycles", twenty()),
            ("twenty loose tables", loose(20)),
            (
                "a chain of twenty",
                (0..20)
                    .map(|i| {
                        let parent = format!("c{:02}", i + 1);
                        let parents: &[&str] = if i < 19 { &[parent.as_str()] } else { &[] };
                        table(&format!("c{i:02}"), &[], parents)
                    })
                    .collect(),
            ),
        ]
    }

    fn overlap(a: &TableBox, b: &TableBox) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn boxes_never_overlap_and_fit_the_drawing() {
        for (what, tables) in cases() {
            let d = layout(&tables);
            assert_eq!(d.boxes.len(), tables.len(), "{what}");
            for (i, a) in d.boxes.iter().enumerate() {
                assert!(
                    a.x >= 0.0 && a.y >= 0.0 && a.right() <= d.width && a.bottom() <= d.height,
                    "{what}: {}",
                    a.table
                );
                for b in &d.boxes[i + 1..] {
                    assert!(!overlap(a, b), "{what}: {} overlaps {}", a.table, b.table);
                }
            }
        }
    }

    #[test]
    fn the_same_tables_give_the_same_diagram_in_any_order() {
        for (what, tables) in cases() {
            let first = layout(&tables);
            assert_eq!(layout(&tables), first, "{what}");
            let mut reversed = tables.clone();
            reversed.reverse();
            assert_eq!(layout(&reversed), first, "{what}");
        }
    }

    #[test]
    fn text_fits_its_box() {
        for (what, tables) in cases() {
            for b in layout(&tables).boxes {
                let title = 2.0 * PADDING + text_width(&b.label) + TITLE_RESERVE as f64 * CHAR_WIDTH;
                assert!(title <= b.width, "{what}: {}", b.table);
                for line in &b.lines {
                    let needed = NAME_OFFSET + text_width(&line.label) + CHAR_WIDTH + text_width(&line.type_label);
                    assert!(needed <= b.width, "{what}: {}.{}", b.table, line.name);
                    assert!(b.y + HEADER_HEIGHT < line.y && line.y < b.bottom(), "{what}: {}.{}", b.table, line.name);
                }
            }
        }
    }

    #[test]
    fn long_names_are_cut() {
        let d = layout(&twenty());
        let line = &d.table("t09").unwrap().lines[1];
        assert_eq!(line.label.chars().count(), MAX_LABEL);
        assert!(line.label.ends_with('…'));
        assert_eq!(line.name, "very_long_column_name_that_goes_on_and_on_and_on");
    }

    #[test]
    fn every_foreign_key_is_one_arrow_from_its_row_to_the_referred_row() {
        for (what, tables) in cases() {
            let d = layout(&tables);
            let expected: Vec<(String, String)> = tables
                .iter()
                .flat_map(|t| t.foreign_keys.iter().map(move |fk| (t.name.clone(), fk.referred_table.clone())))
                .filter(|(_, parent)| tables.iter().any(|t| &t.name == parent))
                .collect();
            let mut drawn: Vec<(String, String)> =
                d.arrows.iter().map(|a| (a.from_table.clone(), a.to_table.clone())).collect();
            let mut expected_sorted = expected.clone();
            expected_sorted.sort();
            drawn.sort();
            assert_eq!(drawn, expected_sorted, "{what}");
            for arrow in &d.arrows {
                let (from, to) = (d.table(&arrow.from_table).unwrap(), d.table(&arrow.to_table).unwrap());
                let (start, end) = (arrow.points[0], *arrow.points.last().unwrap());
                assert!(start.0 == from.x || start.0 == from.right(), "{what}: starts on an edge of {}", from.table);
                assert_eq!(start.1, from.row_middle(&arrow.from_column), "{what}: starts at its row");
                assert!(end.0 == to.x || end.0 == to.right(), "{what}: ends on an edge of {}", to.table);
                assert_eq!(end.1, to.row_middle(&arrow.to_column), "{what}: ends at the referred row");
                for pair in arrow.points.windows(2) {
                    assert!(pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1, "{what}: right angles only");
                }
                // No segment passes through a box.
                for pair in arrow.points.windows(2) {
                    let (x0, x1) = (pair[0].0.min(pair[1].0), pair[0].0.max(pair[1].0));
                    let (y0, y1) = (pair[0].1.min(pair[1].1), pair[0].1.max(pair[1].1));
                    for b in &d.boxes {
                        let across = |lo: f64, hi: f64, a: f64, b: f64| {
                            if lo == hi {
                                a < lo && lo < b
                            } else {
                                lo.max(a) < hi.min(b)
                            }
                        };
                        let inside = across(x0, x1, b.x, b.right()) && across(y0, y1, b.y, b.bottom());
                        assert!(
                            !inside,
                            "{what}: {}→{} runs through {}: {:?}",
                            arrow.from_table, arrow.to_table, b.table, arrow.points
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn referred_tables_stand_left_of_the_tables_referring_to_them() {
        let d = layout(&todo_app());
        let x = |name: &str| d.table(name).unwrap().x;
        assert!(x("users") < x("todos"));
        assert!(x("todos") < x("todo_tags"));
        assert!(x("tags") < x("todo_tags"));
        // A chain reads left to right, wrapping nothing (one table per layer).
        let chain: Vec<TableInfo> = vec![table("a", &[], &["b"]), table("b", &[], &["c"]), table("c", &[], &[])];
        let d = layout(&chain);
        let x = |name: &str| d.table(name).unwrap().x;
        assert!(x("c") < x("b") && x("b") < x("a"));
    }

    #[test]
    fn unconnected_tables_flow_in_rows_below_the_graph() {
        let mut tables = todo_app();
        tables.extend(loose(6));
        let d = layout(&tables);
        let graph_bottom =
            ["users", "todos", "tags", "todo_tags"].iter().map(|n| d.table(n).unwrap().bottom()).fold(0.0, f64::max);
        for name in (0..6).map(|i| format!("loose_{i:02}")).chain(["categories".to_string()]) {
            assert!(d.table(&name).unwrap().y > graph_bottom, "{name} below the graph");
        }
        // Alone, they fill rows no wider than the row width.
        let d = layout(&loose(20));
        assert!(d.width <= MIN_ROW_WIDTH + MARGIN, "{}", d.width);
        assert!(d.boxes.iter().any(|b| b.y > d.boxes[0].y), "more than one row");
    }

    #[test]
    fn a_self_reference_loops_on_the_right() {
        let d = layout(&todo_app());
        let categories = d.table("categories").unwrap();
        let arrow = d.arrows.iter().find(|a| a.from_table == "categories").unwrap();
        assert_eq!(arrow.to_table, "categories");
        assert_eq!(arrow.points[0].0, categories.right());
        assert_eq!(arrow.points.last().unwrap().0, categories.right());
        assert!(arrow.points[1].0 > categories.right());
    }

    #[test]
    fn no_tables_no_drawing() {
        assert_eq!(layout(&[]), Diagram::default());
    }

    #[test]
    fn markers_follow_the_keys() {
        let d = layout(&todo_app());
        let todos = d.table("todos").unwrap();
        let marks: Vec<(&str, bool, bool)> =
            todos.lines.iter().map(|l| (l.name.as_str(), l.primary_key, l.foreign_key)).collect();
        assert_eq!(
            marks,
            [("id", true, false), ("title", false, false), ("done", false, false), ("users_id", false, true)]
        );
    }
}
