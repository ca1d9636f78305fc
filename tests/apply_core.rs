//! SQLAlchemy Core statements in `op.execute()` against real Alembic 1.20.1 /
//! SQLAlchemy 2.1.9: every case of `tests/apply_core/expected.json`
//! (recorded by `tests/apply_core/record.py`) is a revision script whose
//! `upgrade()` runs Core INSERT / UPDATE / DELETE statements on a
//! `sa.table(...)`. Each is read back (`script::read_script`), applied to
//! the recorded database, and must run the statements SQLAlchemy sent (or
//! fail as it failed) and leave the rows it left; rendered for `--sql`, it
//! must print what Alembic printed (or fail as it failed).

use std::path::PathBuf;

use driftlab::engine::migrate::apply::{apply_ops, offline_sql};
use driftlab::engine::migrate::ops::{ExecuteArg, Op};
use driftlab::engine::migrate::script::read_script;
use rusqlite::Connection;
use serde_json::{json, Value};

/// Cases SQLAlchemy runs that driftlab reports as not supported (the script
/// is then not applied at all), with the diagnostic's message.
const NOT_REPRODUCED: &[(&str, &str)] =
    &[("update_arithmetic_with_null", "driftlab: None in an arithmetic operation is not supported in the playground")];

fn recorded() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/apply_core/expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The revision script of a case, built as the recorder builds it.
fn script_text(document: &Value, body: &str) -> String {
    let indented: Vec<String> = body
        .split('\n')
        .map(|line| if line.trim().is_empty() { line.to_string() } else { format!("    {line}") })
        .collect();
    format!(
        "{}{}\n{}",
        document["preamble"].as_str().unwrap(),
        indented.join("\n"),
        document["epilogue"].as_str().unwrap()
    )
}

fn rows(conn: &Connection, table: &str) -> Value {
    let mut statement = conn.prepare(&format!("SELECT * FROM {table} ORDER BY id")).unwrap();
    let width = statement.column_count();
    let rows: Vec<Value> = statement
        .query_map([], |row| {
            Ok(Value::Array(
                (0..width)
                    .map(|i| match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Null => Value::Null,
                        rusqlite::types::ValueRef::Integer(n) => json!(n),
                        rusqlite::types::ValueRef::Real(f) => json!(f),
                        rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                        rusqlite::types::ValueRef::Blob(b) => json!(String::from_utf8_lossy(b)),
                    })
                    .collect(),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    Value::Array(rows)
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// What one case did differently from SQLAlchemy, if anything.
fn check_case(document: &Value, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap();
    let body = case["upgrade"].as_str().unwrap();
    let script = read_script("migration.py", &script_text(document, body));
    let mut problems = Vec::new();
    if let Some((_, message)) = NOT_REPRODUCED.iter().find(|(n, _)| *n == name) {
        if !script.diagnostics.iter().any(|d| d.message == *message) {
            problems.push(format!("expected the diagnostic {message:?}, got {:?}", script.diagnostics));
        }
        return problems;
    }
    if !script.is_applicable() {
        let shown: Vec<String> = script.diagnostics.iter().map(|d| d.to_string()).collect();
        return vec![format!("not applicable:\n{}", shown.join("\n"))];
    }
    if !script.upgrade.iter().any(|op| matches!(op, Op::Execute(ExecuteArg::Core(_)))) {
        problems.push(format!("no Core statement read: {:?}", script.upgrade));
    }

    // Online, on the recorded database.
    let online = &case["online"];
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(document["schema"].as_str().unwrap()).unwrap();
    conn.execute_batch(document["seed"].as_str().unwrap()).unwrap();
    let sent: Vec<String> =
        online["statements"].as_array().unwrap().iter().map(|s| s[0].as_str().unwrap().trim().to_string()).collect();
    match (apply_ops(&conn, &script.upgrade), online.get("error")) {
        (Ok(statements), None) => {
            if statements != sent {
                problems.push(format!("online statements\n  got:      {statements:?}\n  expected: {sent:?}"));
            }
        }
        (Ok(statements), Some(error)) => problems.push(format!("ran {statements:?}, expected the error\n{error}")),
        (Err(error), None) => problems.push(format!("failed online:\n{}", error.python_error_text())),
        (Err(error), Some(expected)) => {
            if error.python_error_text() != expected.as_str().unwrap() {
                problems.push(format!(
                    "online error\n  got:\n{}\n  expected:\n{}",
                    error.python_error_text(),
                    expected.as_str().unwrap()
                ));
            }
            // The failing statement was sent too (when SQLite refused it).
            let before = &sent[..sent.len().saturating_sub(usize::from(error.sqlite.is_some()))];
            if error.statements != before {
                problems.push(format!("statements before the error: {:?}, expected {before:?}", error.statements));
            }
        }
    }
    for (table, key) in [("user", "rows"), ("tag", "tag_rows")] {
        let got = rows(&conn, table);
        if got != online[key] {
            problems.push(format!("{table} rows after\n  got:      {got}\n  expected: {}", online[key]));
        }
    }

    // Offline (`--sql`).
    let offline = &case["offline"];
    let printed = strings(&offline["sql"]);
    match (offline_sql(&script.upgrade), offline.get("error")) {
        (Ok(statements), None) => {
            if statements != printed {
                problems.push(format!("offline SQL\n  got:      {statements:?}\n  expected: {printed:?}"));
            }
        }
        (Ok(statements), Some(error)) => problems.push(format!("printed {statements:?}, expected the error\n{error}")),
        (Err(error), None) => problems.push(format!("failed offline:\n{}", error.python_error_text())),
        (Err(error), Some(expected)) => {
            if error.python_error_text() != expected.as_str().unwrap() || error.statements != printed {
                problems.push(format!(
                    "offline error\n  got:\n{}{:?}\n  expected:\n{}{printed:?}",
                    error.python_error_text(),
                    error.statements,
                    expected.as_str().unwrap()
                ));
            }
        }
    }
    problems
}

#[test]
fn core_statements_run_and_render_as_sqlalchemy_does() {
    let document = recorded();
    let cases = document["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let problems = check_case(&document, case);
        if !problems.is_empty() {
            failures.push(format!("== {}\n{}", case["name"].as_str().unwrap(), problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn core_statements_round_trip_through_rendering() {
    // A script written back (as `sa.table(...)` expressions) reads as the same ops.
    let document = recorded();
    for case in document["cases"].as_array().unwrap() {
        let script = read_script("migration.py", &script_text(&document, case["upgrade"].as_str().unwrap()));
        if !script.is_applicable() {
            continue;
        }
        let body = driftlab::engine::migrate::render::render_ops(&script.upgrade).join("\n");
        let text = format!("from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n");
        let again = read_script("migration.py", &text);
        assert!(again.is_applicable(), "{}: {:?}\n{text}", case["name"], again.diagnostics);
        assert_eq!(again.upgrade, script.upgrade, "{}\n{text}", case["name"]);
    }
}
