//! Engine checks that run inside headless Chromium: the real SQLite compiled
//! to wasm, behaving as it does natively.

use wasm_bindgen_test::*;

use crate::engine::{schema, starter, Session};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn sqlite_runs_in_the_browser() {
    let mut session = Session::new(starter::project());
    let out = session.run_line("sqlite3 todos.db \"create table t(a integer primary key, b text not null)\"");
    assert_eq!(out.exit_code, 0, "{out:?}");
    let tables = schema::describe(session.project.read("todos.db").unwrap()).unwrap();
    assert_eq!(tables[0].name, "t");
    assert_eq!(tables[0].columns.len(), 2);
}

#[wasm_bindgen_test]
fn errors_and_modes_match_the_native_engine() {
    let mut session = Session::new(starter::project());
    session.run_line("sqlite3 todos.db \"create table t(a integer primary key, b text not null)\"");
    let out = session.run_line("sqlite3 todos.db \"insert into t(a) values (1)\"");
    assert_eq!(out.stderr, "Error: stepping, NOT NULL constraint failed: t.b (19)\n");
    assert_eq!(out.exit_code, 19);
    session.run_line("sqlite3 todos.db \"insert into t values (1, 'x'), (2, 'yy')\"");
    let out = session.run_line("sqlite3 todos.db \".mode table\" \"select * from t\"");
    assert_eq!(out.stdout, "+---+----+\n| a | b  |\n+---+----+\n| 1 | x  |\n| 2 | yy |\n+---+----+\n");
    let out = session.run_line("sqlite3 todos.db \"select 1/3.0, 1e20\"");
    assert_eq!(out.stdout, "0.333333333333333|1.0e+20\n");
}
