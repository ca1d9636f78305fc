//! The schema pane: every database file of the project, each table with its
//! columns (type, NOT NULL, primary key, default), refreshed after every command.

use leptos::prelude::*;

use super::Engine;
use crate::engine::schema::{self, TableInfo};

/// One database file and what reading it gave.
#[derive(Clone, Debug, PartialEq)]
struct DatabaseView {
    path: String,
    tables: Result<Vec<TableInfo>, String>,
}

#[component]
pub fn SchemaView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let databases = Memo::new(move |_| {
        engine.with(|session| {
            session
                .project
                .database_paths()
                .into_iter()
                .map(|path| {
                    let bytes = session.project.read(&path).unwrap_or_default();
                    DatabaseView { tables: schema::describe(bytes), path }
                })
                .collect::<Vec<_>>()
        })
    });

    view! {
        <aside class="schema" data-testid="schema-view" aria-label="Database schema">
            <h2>"Database"</h2>
            {move || databases.get().into_iter().map(database_view).collect_view()}
        </aside>
    }
}

fn database_view(db: DatabaseView) -> impl IntoView {
    view! {
        <section class="database">
            <h3 class="database-path">{db.path}</h3>
            {match db.tables {
                Err(message) => view! { <p class="error">{message}</p> }.into_any(),
                Ok(tables) if tables.is_empty() => view! { <p class="empty">"No tables yet."</p> }.into_any(),
                Ok(tables) => tables.into_iter().map(table_view).collect_view().into_any(),
            }}
        </section>
    }
}

fn table_view(table: TableInfo) -> impl IntoView {
    view! {
        <section class="schema-table" data-testid="schema-table" data-table=table.name.clone()>
            <h4>{table.name.clone()}</h4>
            <table>
                <thead>
                    <tr><th>"column"</th><th>"type"</th><th>"null"</th><th>"key"</th><th>"default"</th></tr>
                </thead>
                <tbody>
                    {table.columns.into_iter().map(|c| view! {
                        <tr data-testid="schema-column" data-column=c.name.clone()>
                            <td class="name">{c.name.clone()}</td>
                            <td class="type">{c.declared_type.clone()}</td>
                            <td>{if c.not_null { "NOT NULL" } else { "" }}</td>
                            <td>{(c.primary_key > 0).then_some("PK")}</td>
                            <td class="default">{c.default.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
