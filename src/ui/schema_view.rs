//! The Database view: every database file of the project with its
//! `alembic_version` badge, and per table its columns (type, NOT NULL,
//! primary key, default), indexes, unique constraints, foreign keys and row
//! count; what the last command changed marked added, removed (kept, struck
//! through, until the next command) or altered; a table's rows on click; and
//! a toggle to the same schema drawn as an ER diagram.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::er_diagram::ErDiagram;
use super::Engine;
use crate::engine::schema::{self, Change, ColumnInfo, DatabaseInfo, Marked, MarkedTable, RowsPage};
use crate::engine::Session;

/// How many rows "show rows" reads.
const ROWS_SHOWN: usize = 100;

/// One database file as the engine describes it.
#[derive(Clone, Debug, PartialEq)]
struct DatabaseState {
    path: String,
    info: Result<DatabaseInfo, String>,
}

fn read_databases(session: &Session) -> Vec<DatabaseState> {
    session
        .project
        .database_paths()
        .into_iter()
        .map(|path| {
            let bytes = session.project.read(&path).unwrap_or_default();
            DatabaseState { info: schema::describe_database(bytes), path }
        })
        .collect()
}

/// The databases when the command before the last one had run (`before`),
/// and when the last one had (`after`).
#[derive(Clone, Debug, PartialEq)]
struct Checkpoints {
    before: Vec<DatabaseState>,
    after: Vec<DatabaseState>,
}

/// A database file as the view shows it: now, marked against before the
/// last command.
#[derive(Clone, Debug, PartialEq)]
struct DatabaseShown {
    path: String,
    /// The whole file appeared or went with the last command.
    change: Option<Change>,
    error: Option<String>,
    alembic_version: Option<Vec<String>>,
    version_changed: bool,
    tables: Vec<MarkedTable>,
    /// The tables now (the diagram draws these).
    info: DatabaseInfo,
    /// What the last command changed, line by line.
    summary: Vec<String>,
}

/// Every database now or before the last command, by path.
fn shown(before: &[DatabaseState], now: &[DatabaseState]) -> Vec<DatabaseShown> {
    let paths: BTreeSet<&str> = before.iter().chain(now).map(|d| d.path.as_str()).collect();
    let find = |list: &[DatabaseState], path: &str| list.iter().find(|d| d.path == path).cloned();
    paths
        .into_iter()
        .map(|path| {
            let was = find(before, path);
            let is = find(now, path);
            let change = match (&was, &is) {
                (None, Some(_)) => Some(Change::Added),
                (Some(_), None) => Some(Change::Removed),
                _ => None,
            };
            let readable = |d: &Option<DatabaseState>| d.as_ref().and_then(|d| d.info.clone().ok()).unwrap_or_default();
            let (was_info, info) = (readable(&was), readable(&is));
            let changes = schema::diff(&was_info, &info);
            DatabaseShown {
                path: path.to_string(),
                change,
                error: is.and_then(|d| d.info.err()),
                alembic_version: info.alembic_version.clone(),
                version_changed: changes.alembic_version.is_some(),
                tables: schema::annotate(&was_info, &info),
                summary: changes.summary(),
                info,
            }
        })
        .collect()
}

/// Table or diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Table,
    Diagram,
}

#[component]
pub fn SchemaView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let current = Memo::new(move |_| engine.with(read_databases));
    // Moves with each command only: what was there before it ran is what
    // was there after the one before.
    let checkpoints = Memo::new(move |previous: Option<&Checkpoints>| {
        engine.commands();
        let after = current.get_untracked();
        let before = previous.map_or_else(|| after.clone(), |p| p.after.clone());
        Checkpoints { before, after }
    });
    let databases = Memo::new(move |_| shown(&checkpoints.get().before, &current.get()));
    let mode = RwSignal::new(Mode::Table);
    // Tables whose rows are open, by (database, table); kept across commands.
    let open_rows = RwSignal::new(BTreeSet::<(String, String)>::new());

    let mode_button = move |which: Mode, label: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                class="mode-button"
                data-testid="schema-mode"
                data-mode=name
                aria-pressed=move || (mode.get() == which).to_string()
                on:click=move |_| mode.set(which)
            >
                {label}
            </button>
        }
    };

    view! {
        <section class="schema" data-testid="schema-view" aria-label="Database schema" data-mode=move || match mode.get() {
            Mode::Table => "table",
            Mode::Diagram => "diagram",
        }>
            <div class="schema-head">
                <h2>"Database"</h2>
                <div class="mode-toggle" role="group" aria-label="Show the schema as">
                    {mode_button(Mode::Table, "Table", "table")}
                    {mode_button(Mode::Diagram, "Diagram", "diagram")}
                </div>
            </div>
            {move || {
                let databases = databases.get();
                if databases.is_empty() {
                    return view! {
                        <p class="empty">"No database yet: it appears when a command creates one (starting the app, "<code>"alembic upgrade"</code>", "<code>"sqlite3"</code>")."</p>
                    }
                        .into_any();
                }
                let mode = mode.get();
                databases
                    .into_iter()
                    .enumerate()
                    .map(|(at, db)| database_view(at, db, mode, open_rows))
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

fn change_attr(change: Option<Change>) -> Option<&'static str> {
    change.map(Change::as_str)
}

/// The words next to a changed item, so the change is not told by colour alone.
fn change_tag(change: Option<Change>) -> impl IntoView {
    change.map(|c| view! { <span class="change-tag" data-change=c.as_str()>{c.as_str()}</span> })
}

fn version_badge(db: &DatabaseShown) -> impl IntoView {
    let (state, text) = match &db.alembic_version {
        None => ("none", "not under Alembic".to_string()),
        Some(rows) if rows.is_empty() => ("base", "alembic_version: empty (base)".to_string()),
        Some(rows) => ("revision", format!("alembic_version: {}", rows.join(", "))),
    };
    let title = match state {
        "none" => "This database has no alembic_version table: Alembic has never run against it.",
        "base" => "The alembic_version table exists but holds no revision: the database is at base.",
        _ => "The revision Alembic recorded as applied to this database.",
    };
    view! {
        <span
            class="db-version"
            data-testid="db-version"
            data-state=state
            data-change=db.version_changed.then_some("altered")
            title=title
        >
            {text}
            {db.version_changed.then(|| view! { <span class="visually-hidden">" (changed by the last command)"</span> })}
        </span>
    }
}

fn database_view(
    at: usize,
    db: DatabaseShown,
    mode: Mode,
    open_rows: RwSignal<BTreeSet<(String, String)>>,
) -> impl IntoView {
    let body = if let Some(message) = db.error.clone() {
        view! { <p class="error">{message}</p> }.into_any()
    } else if db.tables.is_empty() {
        view! { <p class="empty">"No tables yet."</p> }.into_any()
    } else if mode == Mode::Diagram && db.info.tables.is_empty() {
        view! { <p class="empty">"No tables now."</p> }.into_any()
    } else if mode == Mode::Diagram {
        view! { <ErDiagram id=at tables=db.info.tables.clone() marks=db.tables.clone()/> }.into_any()
    } else {
        let path = db.path.clone();
        // The application's tables first, Alembic's bookkeeping last.
        let mut tables = db.tables.clone();
        tables.sort_by_key(|t| t.alembic);
        tables
            .into_iter()
            .enumerate()
            .map(|(t, table)| table_view(&path, at, t, table, open_rows))
            .collect_view()
            .into_any()
    };
    let summary = (!db.summary.is_empty()).then(|| {
        view! {
            <details class="change-summary" data-testid="schema-changes" open>
                <summary>{format!("Changed by the last command ({})", db.summary.len())}</summary>
                <ul>{db.summary.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}</ul>
            </details>
        }
    });
    view! {
        <section class="database" data-path=db.path.clone() data-change=change_attr(db.change)>
            <h3 class="database-title">
                <span class="database-path">{db.path.clone()}</span>
                {change_tag(db.change)}
                {version_badge(&db)}
            </h3>
            {summary}
            {body}
        </section>
    }
}

fn rows_text(count: Option<u64>) -> String {
    match count {
        None => "rows unknown".to_string(),
        Some(1) => "1 row".to_string(),
        Some(n) => format!("{n} rows"),
    }
}

fn table_view(
    path: &str,
    db_at: usize,
    table_at: usize,
    table: MarkedTable,
    open_rows: RwSignal<BTreeSet<(String, String)>>,
) -> impl IntoView {
    let key = (path.to_string(), table.name.clone());
    let rows_id = format!("rows-{db_at}-{table_at}");
    let exists = table.change != Some(Change::Removed);
    let row_count = table.row_count;
    let row_change = table.row_count_was.map(|was| {
        let was = match was {
            Some(n) => n.to_string(),
            None => "?".to_string(),
        };
        view! { <span class="was">{format!(" (was {was})")}</span> }
    });
    let rows_toggle = exists.then(|| {
        let key = key.clone();
        let key_for_click = key.clone();
        let is_open = Memo::new(move |_| open_rows.with(|open| open.contains(&key)));
        view! {
            <button
                type="button"
                class="rows-button"
                data-testid="rows-toggle"
                aria-expanded=move || is_open.get().to_string()
                aria-controls=rows_id.clone()
                on:click=move |_| {
                    open_rows.update(|open| {
                        if !open.remove(&key_for_click) {
                            open.insert(key_for_click.clone());
                        }
                    })
                }
            >
                {move || if is_open.get() { "Hide rows" } else { "Show rows" }}
            </button>
        }
    });
    let rows_panel = exists.then(|| {
        let rows_id = format!("rows-{db_at}-{table_at}");
        view! { <RowsPanel id=rows_id key=key.clone() open_rows=open_rows/> }
    });
    let indexes = (!table.indexes.is_empty()).then(|| {
        view! {
            <div class="schema-extra">
                <h5>"Indexes"</h5>
                <ul>
                    {table.indexes.iter().map(|index| {
                        let text = format!(
                            "{}{} ({}){}",
                            if index.item.unique { "UNIQUE " } else { "" },
                            index.item.name,
                            index.item.columns.join(", "),
                            if index.item.partial { " WHERE …" } else { "" },
                        );
                        marked_item("schema-index", text, index)
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let uniques = (!table.unique_constraints.is_empty()).then(|| {
        view! {
            <div class="schema-extra">
                <h5>"Unique"</h5>
                <ul>
                    {table.unique_constraints.iter().map(|unique| {
                        let name = unique.item.name.as_ref().map(|n| format!("{n} ")).unwrap_or_default();
                        marked_item("schema-unique", format!("{name}({})", unique.item.columns.join(", ")), unique)
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    let foreign_keys = (!table.foreign_keys.is_empty()).then(|| {
        view! {
            <div class="schema-extra">
                <h5>"Foreign keys"</h5>
                <ul>
                    {table.foreign_keys.iter().map(|fk| {
                        let name = fk.item.name.as_ref().map(|n| format!("{n}: ")).unwrap_or_default();
                        marked_item("schema-fk", format!("{name}{}", fk.item.summary()), fk)
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <section
            class="schema-table"
            class:alembic=table.alembic
            data-testid="schema-table"
            data-table=table.name.clone()
            data-change=change_attr(table.change)
        >
            <h4>
                <span class="table-name">{table.name.clone()}</span>
                {change_tag(table.change)}
                {table.alembic.then(|| view! { <span class="alembic-tag" title="Alembic keeps the applied revision here">"Alembic's version table"</span> })}
                <span class="row-count" data-testid="row-count" data-change=table.row_count_was.is_some().then_some("altered")>
                    {rows_text(row_count)}
                    {row_change}
                </span>
                {rows_toggle}
            </h4>
            <table>
                <thead>
                    <tr><th>"column"</th><th>"type"</th><th>"null"</th><th>"key"</th><th>"default"</th></tr>
                </thead>
                <tbody>
                    {table.columns.into_iter().map(column_row).collect_view()}
                </tbody>
            </table>
            {indexes}
            {uniques}
            {foreign_keys}
            {rows_panel}
        </section>
    }
}

fn column_row(column: Marked<ColumnInfo>) -> impl IntoView {
    let c = column.item;
    let details = (!column.details.is_empty()).then(|| column.details.join(", "));
    let title = details.clone();
    view! {
        <tr
            data-testid="schema-column"
            data-column=c.name.clone()
            data-change=change_attr(column.change)
            title=title
        >
            <td class="name">
                {c.name.clone()}
                {change_tag(column.change)}
                {details.map(|d| view! { <span class="change-details">{d}</span> })}
            </td>
            <td class="type">{c.declared_type.clone()}</td>
            <td>{if c.not_null { "NOT NULL" } else { "" }}</td>
            <td>{(c.primary_key > 0).then_some("PK")}</td>
            <td class="default">{c.default.clone()}</td>
        </tr>
    }
}

fn marked_item<T>(testid: &'static str, text: String, item: &Marked<T>) -> impl IntoView {
    view! {
        <li data-testid=testid data-change=change_attr(item.change)>
            <span class="item-text">{text}</span>
            {change_tag(item.change)}
        </li>
    }
}

/// A table's first rows, read when open and again after every change.
#[component]
fn RowsPanel(id: String, key: (String, String), open_rows: RwSignal<BTreeSet<(String, String)>>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let open = {
        let key = key.clone();
        move || open_rows.with(|set| set.contains(&key))
    };
    let page = Memo::new(move |_| {
        if !open() {
            return None;
        }
        let (path, table) = &key;
        Some(engine.with(|s| schema::rows(s.project.read(path).unwrap_or_default(), table, ROWS_SHOWN)))
    });
    view! {
        <div class="table-rows" id=id data-testid="table-rows" hidden=move || page.with(Option::is_none)>
            {move || page.get().map(|page| match page {
                Err(message) => view! { <p class="error">{message}</p> }.into_any(),
                Ok(page) => rows_table(page).into_any(),
            })}
        </div>
    }
}

fn rows_table(page: RowsPage) -> impl IntoView {
    let caption = if page.total == 0 {
        "No rows.".to_string()
    } else if page.truncated() {
        format!("Showing {} of {} rows", page.rows.len(), page.total)
    } else {
        rows_text(Some(page.total))
    };
    let empty = page.rows.is_empty();
    view! {
        <p class="rows-caption" data-testid="rows-caption">{caption}</p>
        {(!empty).then(|| view! {
            <div class="rows-scroll">
                <table class="rows">
                    <thead>
                        <tr>{page.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        {page.rows.iter().map(|row| view! {
                            <tr data-testid="table-row">
                                {row.iter().map(|cell| match cell {
                                    Some(text) => view! { <td>{text.clone()}</td> }.into_any(),
                                    None => view! { <td class="null" data-null="true">"NULL"</td> }.into_any(),
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}
