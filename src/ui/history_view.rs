//! The History view: the revision graph drawn as SVG (heads, branches,
//! merges, the database's current revision), derived from the engine's
//! history; clicking a revision (or Enter on it) opens its file and shows
//! the schema at that revision and what it changed.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::{Engine, Workbench};
use crate::engine::insight::history::{self, EdgeKind, History, Node, RevisionSchema};
use crate::engine::schema::{Change, MarkedTable};

/// Grid of the drawing, in CSS pixels.
const LANE: f32 = 22.0;
const ROW: f32 = 50.0;
const PAD: f32 = 16.0;
const RADIUS: f32 = 7.0;
/// Messages longer than this are cut in the drawing (the whole one is in the tooltip).
const MESSAGE_CHARS: usize = 38;

fn x(column: f32) -> f32 {
    PAD + column * LANE
}

fn y(row: f32) -> f32 {
    PAD + row * ROW
}

/// An edge's route as an SVG path: smooth bends between its points.
fn edge_path(points: &[(f32, f32)]) -> String {
    let mut d = String::new();
    for (i, &(c, r)) in points.iter().enumerate() {
        if i == 0 {
            d.push_str(&format!("M{:.1},{:.1}", x(c), y(r)));
            continue;
        }
        let (pc, pr) = points[i - 1];
        let mid = (y(pr) + y(r)) / 2.0;
        d.push_str(&format!(" C{:.1},{mid:.1} {:.1},{mid:.1} {:.1},{:.1}", x(pc), x(c), x(c), y(r)));
    }
    d
}

fn short(message: &str) -> String {
    if message.chars().count() <= MESSAGE_CHARS {
        message.to_string()
    } else {
        format!("{}…", message.chars().take(MESSAGE_CHARS - 1).collect::<String>())
    }
}

fn node_label(node: &Node) -> String {
    let mut facts = Vec::new();
    if node.is_head {
        facts.push("head");
    }
    if node.is_base {
        facts.push("base");
    }
    if node.is_merge {
        facts.push("merge");
    }
    if node.is_branch_point {
        facts.push("branch point");
    }
    if node.is_current {
        facts.push("the database is here");
    } else if node.is_applied {
        facts.push("applied");
    } else {
        facts.push("not applied");
    }
    format!("Revision {}: {} ({})", node.id, node.message, facts.join(", "))
}

#[component]
pub fn HistoryView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let workbench = expect_context::<Workbench>();
    let graph = Memo::new(move |_| engine.with(history::history_for));
    let selected = RwSignal::new(None::<String>);
    let schema = Memo::new(move |_| {
        let rev = selected.get()?;
        let exists = graph.with(|g| g.as_ref().is_ok_and(|g| g.node(&rev).is_some()));
        exists.then(|| engine.with(|s| history::schema_at_revision_for(s, &rev)))
    });
    let choose = move |id: String, path: String| {
        selected.set(Some(id));
        if !path.is_empty() {
            workbench.open(path);
        }
    };

    view! {
        <section class="history" data-testid="history-view" aria-label="History">
            <h2>"History"</h2>
            {move || graph.with(|g| match g {
                Err(why) => view! {
                    <p class="history-empty" data-testid="history-problem" role="status">{why.clone()}</p>
                }
                .into_any(),
                Ok(h) => view! {
                    {database_line(h)}
                    {graph_view(h, selected, choose)}
                }
                .into_any(),
            })}
            {move || {
                let rev = selected.get()?;
                let node = graph.with(|g| g.as_ref().ok().and_then(|g| g.node(&rev).cloned()))?;
                Some(schema.with(|s| details_view(&node, s.as_ref())))
            }}
        </section>
    }
}

/// Where the database stands.
fn database_line(h: &History) -> AnyView {
    let text = if let Some(problem) = &h.database_problem {
        format!("The database's revision isn't known: {problem}")
    } else if !h.under_alembic {
        "The database is not under Alembic (no alembic_version table).".to_string()
    } else if h.current.is_empty() {
        "The database is under Alembic, at base (no revision applied).".to_string()
    } else {
        let unknown: Vec<&str> = h.current.iter().filter(|c| h.node(c).is_none()).map(String::as_str).collect();
        let at = format!("The database is at {}", h.current.join(", "));
        if unknown.is_empty() {
            format!("{at}.")
        } else {
            format!("{at}, which no revision file has ({}).", unknown.join(", "))
        }
    };
    view! { <p class="history-database" data-testid="history-database">{text}</p> }.into_any()
}

fn graph_view(h: &History, selected: RwSignal<Option<String>>, choose: impl Fn(String, String) + Copy + 'static) -> AnyView {
    if h.nodes.is_empty() {
        return view! {
            <p class="history-empty" role="status">
                "No revisions yet: "
                <code>"alembic revision --autogenerate -m \"...\""</code>
                " writes the first one."
            </p>
        }
        .into_any();
    }
    let height = y(h.nodes.len() as f32 - 1.0) + PAD + 6.0;
    let text_x = x(h.lanes as f32 - 1.0) + RADIUS + 12.0;
    let edges = h
        .edges
        .iter()
        .map(|e| {
            let class = match e.kind {
                EdgeKind::DownRevision => "history-edge",
                EdgeKind::DependsOn => "history-edge depends",
            };
            view! { <path class=class d=edge_path(&e.points) data-from=e.from.clone() data-to=e.to.clone()></path> }
        })
        .collect_view();
    let nodes = h
        .nodes
        .iter()
        .map(|n| {
            let (cx, cy) = (x(n.column as f32), y(n.row as f32));
            let id = n.id.clone();
            let path = n.path.clone();
            let is_selected = {
                let id = id.clone();
                move || selected.with(|s| s.as_deref() == Some(id.as_str()))
            };
            let on_click = {
                let (id, path) = (id.clone(), path.clone());
                move |_| choose(id.clone(), path.clone())
            };
            let on_key = {
                let (id, path) = (id.clone(), path.clone());
                move |ev: KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        choose(id.clone(), path.clone());
                    }
                }
            };
            let mut class = String::from("history-node");
            for (on, name) in [
                (n.is_head, " head"),
                (n.is_current, " current"),
                (n.is_applied, " applied"),
                (n.is_merge, " merge"),
                (n.is_branch_point, " branchpoint"),
            ] {
                if on {
                    class.push_str(name);
                }
            }
            let mut tags = Vec::new();
            if n.is_head {
                tags.push("head");
            }
            if n.is_merge {
                tags.push("merge");
            }
            if n.is_branch_point {
                tags.push("branch point");
            }
            if n.is_base {
                tags.push("base");
            }
            let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
            view! {
                <g
                    class=class
                    data-testid="history-node"
                    data-rev=id.clone()
                    data-current=n.is_current.then_some("true")
                    data-head=n.is_head.then_some("true")
                    tabindex="0"
                    role="button"
                    aria-label=node_label(n)
                    aria-pressed=move || is_selected().to_string()
                    on:click=on_click
                    on:keydown=on_key
                >
                    <title>{format!("{}\n{}", n.message, n.path)}</title>
                    <rect class="history-hit" x="0" y=cy - ROW / 2.0 width="100%" height=ROW></rect>
                    <circle class="history-focus" cx=cx cy=cy r=RADIUS + 5.0></circle>
                    {n.is_current.then(|| view! { <circle class="history-current-ring" cx=cx cy=cy r=RADIUS + 3.5></circle> })}
                    <circle class="history-dot" cx=cx cy=cy r=RADIUS></circle>
                    <text class="history-id" x=text_x y=cy - 4.0>
                        {n.id.clone()}
                        <tspan class="history-tags">{tags}</tspan>
                        {n.is_current.then(|| view! { <tspan class="history-here" dx="6">"◀ database"</tspan> })}
                    </text>
                    <text class="history-message" x=text_x y=cy + 13.0>{short(&n.message)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="history-graph"
            data-testid="history-graph"
            role="group"
            aria-label="Revision graph, newest first"
            width="100%"
            height=format!("{height:.0}")
        >
            <g class="history-edges" aria-hidden="true">{edges}</g>
            {nodes}
        </svg>
        <p class="history-legend" aria-hidden="true">
            <span class="legend-dot current"></span>" database here · "
            <span class="legend-dot applied"></span>" applied · "
            <span class="legend-dot pending"></span>" not applied"
        </p>
    }
    .into_any()
}

fn change_class(change: Option<Change>) -> &'static str {
    match change {
        Some(Change::Added) => "added",
        Some(Change::Removed) => "removed",
        Some(Change::Altered) => "altered",
        None => "",
    }
}

/// The selected revision: its file, what it changed, the schema at it.
fn details_view(node: &Node, schema: Option<&Result<RevisionSchema, String>>) -> AnyView {
    let previous = if node.down_revisions.is_empty() {
        "an empty database".to_string()
    } else {
        node.down_revisions.join(" + ")
    };
    let body = match schema {
        None => view! { <p class="history-empty">"…"</p> }.into_any(),
        Some(Err(why)) => view! { <p class="history-error" role="status"><code>{why.clone()}</code></p> }.into_any(),
        Some(Ok(schema)) => {
            let summary = schema.changes.summary();
            let changes = if summary.is_empty() {
                view! { <p class="history-empty">"No schema change (an empty or data-only migration)."</p> }.into_any()
            } else {
                view! {
                    <ul class="history-changes" data-testid="history-changes">
                        {summary
                            .into_iter()
                            .map(|line| {
                                let class = line.split_whitespace().next().unwrap_or_default().to_string();
                                view! { <li class=class>{line}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            let tables = schema.marked();
            let tables = if tables.is_empty() {
                view! { <p class="history-empty">"No tables."</p> }.into_any()
            } else {
                tables.into_iter().map(table_view).collect_view().into_any()
            };
            view! {
                <h4>{format!("Changes from {previous}")}</h4>
                {changes}
                <h4>{format!("Schema at {}", schema.revision)}</h4>
                <div class="history-tables" data-testid="history-schema">{tables}</div>
            }
            .into_any()
        }
    };
    view! {
        <section class="history-details" data-testid="history-details" data-rev=node.id.clone() aria-live="polite">
            <h3>
                <code>{node.id.clone()}</code>
                " "
                {node.message.clone()}
            </h3>
            <p class="history-path"><code>{node.path.clone()}</code></p>
            {body}
        </section>
    }
    .into_any()
}

fn table_view(table: MarkedTable) -> impl IntoView {
    let class = format!("history-table {}", change_class(table.change));
    view! {
        <div class=class data-table=table.name.clone()>
            <h5>
                {table.name.clone()}
                {table.change.map(|c| view! { <span class="history-mark">{c.as_str()}</span> })}
            </h5>
            <ul>
                {table
                    .columns
                    .into_iter()
                    .map(|c| {
                        let class = change_class(c.change);
                        let details = if c.details.is_empty() { String::new() } else { format!(" ({})", c.details.join(", ")) };
                        view! {
                            <li class=class>
                                <span class="history-col">{c.item.name.clone()}</span>
                                " "
                                <span class="history-type">{history::column_text(&c.item)}</span>
                                {c.change.map(|ch| view! { <span class="history-mark">{format!("{}{details}", ch.as_str())}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}
