//! The ER diagram: the Database view's schema drawn as SVG — tables as boxes
//! listing their columns (PK/FK marked), foreign keys as arrows — from the
//! engine's layout (`diagram::layout`); what the last command changed is
//! marked as in the table view. Every name is a text node.

use leptos::prelude::*;

use crate::engine::diagram::{self, Arrow, TableBox, KEYS_OFFSET, NAME_OFFSET, PADDING};
use crate::engine::schema::{Change, MarkedTable, TableInfo};

/// The drawing shrinks to fit its pane down to this scale; below, the pane scrolls.
const MIN_SCALE: f64 = 0.7;

#[component]
pub fn ErDiagram(
    /// Unique on the page (the arrowhead's id).
    id: usize,
    tables: Vec<TableInfo>,
    /// How each table and column changed with the last command.
    marks: Vec<MarkedTable>,
) -> impl IntoView {
    let drawing = diagram::layout(&tables);
    let marker = format!("er-arrowhead-{id}");
    let label = format!(
        "Entity-relationship diagram: {} {}, {} foreign {}",
        drawing.boxes.len(),
        if drawing.boxes.len() == 1 { "table" } else { "tables" },
        drawing.arrows.len(),
        if drawing.arrows.len() == 1 { "key" } else { "keys" },
    );
    // The drawing is one image to assistive technology: its label says
    // what the marks show.
    let changed: Vec<String> = marks
        .iter()
        .filter_map(|m| m.change.filter(|c| *c != Change::Removed).map(|c| format!("{} ({})", m.name, c.as_str())))
        .collect();
    let label = if changed.is_empty() {
        label
    } else {
        format!("{label}; changed by the last command: {}", changed.join(", "))
    };
    let (width, height) = (drawing.width, drawing.height);
    let boxes = drawing.boxes.into_iter().map(|b| table_box(b, &marks)).collect_view();
    let arrow_url = format!("url(#{marker})");
    let arrows = drawing.arrows.into_iter().map(|a| arrow(a, arrow_url.clone())).collect_view();
    view! {
        <div class="er-scroll">
            <svg
                class="er-diagram"
                data-testid="er-diagram"
                role="img"
                aria-label=label
                width=width.to_string()
                height=height.to_string()
                viewBox=format!("0 0 {width} {height}")
                font-size=diagram::FONT_SIZE.to_string()
                style:min-width=format!("{}px", (width * MIN_SCALE).round())
            >
                <defs>
                    <marker
                        id=marker
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerWidth="7"
                        markerHeight="7"
                        orient="auto-start-reverse"
                    >
                        <path class="er-arrowhead" d="M 0 0 L 10 5 L 0 10 z"></path>
                    </marker>
                </defs>
                <g class="er-tables">{boxes}</g>
                <g class="er-arrows">{arrows}</g>
            </svg>
        </div>
    }
}

fn table_box(b: TableBox, marks: &[MarkedTable]) -> impl IntoView {
    let mark = marks.iter().find(|m| m.name == b.table);
    let change = mark.and_then(|m| m.change);
    let column_change =
        |name: &str| mark.and_then(|m| m.columns.iter().find(|c| c.item.name == name)).and_then(|c| c.change);
    let (x, y, w) = (b.x, b.y, b.width);
    let lines = b
        .lines
        .iter()
        .map(|line| {
            let keys = match (line.primary_key, line.foreign_key) {
                (true, true) => "PK FK",
                (true, false) => "PK",
                (false, true) => "FK",
                (false, false) => "",
            };
            let line_change = column_change(&line.name);
            // A mark as well as a colour: `+` added, `~` altered.
            let mark = match line_change {
                Some(Change::Added) => "+",
                Some(Change::Altered) => "~",
                Some(Change::Removed) => "−",
                None => "",
            };
            let line_change = line_change.map(Change::as_str);
            let top = line.y - diagram::ROW_HEIGHT / 2.0;
            view! {
                <g class="er-column" data-column=line.name.clone() data-change=line_change>
                    <rect class="er-row" x=x.to_string() y=top.to_string() width=w.to_string() height=diagram::ROW_HEIGHT.to_string()></rect>
                    <text class="er-mark" x=(x + PADDING).to_string() y=line.y.to_string() dominant-baseline="central">
                        {mark}
                    </text>
                    <text class="er-keys" x=(x + KEYS_OFFSET).to_string() y=line.y.to_string() dominant-baseline="central">{keys}</text>
                    <text class="er-name" x=(x + NAME_OFFSET).to_string() y=line.y.to_string() dominant-baseline="central">
                        {line.label.clone()}
                    </text>
                    <text class="er-type" x=(x + w - PADDING).to_string() y=line.y.to_string() text-anchor="end" dominant-baseline="central">{line.type_label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g
            class="er-table"
            class:alembic=b.alembic
            data-testid="er-table"
            data-table=b.table.clone()
            data-change=change.map(Change::as_str)
        >
            <rect class="er-box" x=x.to_string() y=y.to_string() width=w.to_string() height=b.height.to_string() rx="5"></rect>
            <rect class="er-header" x=x.to_string() y=y.to_string() width=w.to_string() height=diagram::HEADER_HEIGHT.to_string() rx="5"></rect>
            <text class="er-title" x=(x + PADDING).to_string() y=b.header_middle().to_string() dominant-baseline="central">
                {b.label.clone()}
                {change.map(|c| format!(" ({})", c.as_str()))}
            </text>
            {lines}
        </g>
    }
}

fn arrow(a: Arrow, marker_url: String) -> impl IntoView {
    let points = a.points.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ");
    view! {
        <polyline
            class="er-arrow"
            data-testid="er-arrow"
            data-from=format!("{}.{}", a.from_table, a.from_column)
            data-to=format!("{}.{}", a.to_table, a.to_column)
            points=points
            marker-end=marker_url
        ></polyline>
    }
}
