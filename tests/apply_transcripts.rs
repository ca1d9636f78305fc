//! Applying ops in the oracle's command transcripts (kind B): the SQL
//! `alembic upgrade --sql` printed (b07, b14), batch mode in `--sql` mode
//! and online with rows (b19), a data migration's rows (b14, with a Core
//! `update()`), and upgrades
//! that die half-way on tables that already exist (b11). The revisions are
//! the recorded `final_versions/`, read with `script::read_script`.

use std::path::{Path, PathBuf};

use driftlab::engine::migrate::apply::{apply_ops, offline_sql, ApplyError};
use driftlab::engine::migrate::ops::{ExecuteArg, Op};
use driftlab::engine::migrate::script::{read_script, Script};
use driftlab::engine::{db, schema};
use rusqlite::Connection;
use serde_json::{json, Value};

fn expected_dir(scenario: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle/expected").join(scenario);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

/// One recorded step of a transcript (steps are numbered from 1).
struct Step {
    stdout: String,
    stderr: String,
    exit_code: i64,
}

fn step(dir: &Path, n: usize) -> Step {
    let records: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("transcript.json")).unwrap()).unwrap();
    let record = &records[n - 1];
    assert_eq!(record["n"], json!(n));
    Step {
        stdout: record["stdout"].as_str().unwrap().to_string(),
        stderr: record["stderr"].as_str().unwrap().to_string(),
        exit_code: record["exit_code"].as_i64().unwrap(),
    }
}

fn script(dir: &Path, file: &str) -> Script {
    let path = dir.join("final_versions").join(file);
    let script = read_script(file, &std::fs::read_to_string(path).unwrap());
    assert!(script.is_applicable(), "{file}: {:?}", script.diagnostics);
    script
}

/// stderr as the oracle's replay compares it: traceback frames removed,
/// and here also the INFO lines the CLI prints before the ops run.
fn error_part_of(stderr: &str) -> String {
    let mut out = String::new();
    let mut in_frame = false;
    for line in stderr.split_inclusive('\n') {
        if line.starts_with("  File \"") {
            in_frame = true;
            continue;
        }
        if in_frame && line.starts_with("    ") {
            continue;
        }
        in_frame = false;
        if !line.starts_with("INFO  [") {
            out.push_str(line);
        }
    }
    out
}

/// The statements of `--sql` output, without Alembic's own (version table,
/// `-- Running` comments).
fn migration_statements(stdout: &str) -> Vec<String> {
    stdout
        .split("\n\n")
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with("-- Running") && !s.contains("alembic_version"))
        .map(String::from)
        .collect()
}

fn version_table(conn: &Connection) {
    conn.execute_batch(
        "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc \
         PRIMARY KEY (version_num)\n)",
    )
    .unwrap();
}

/// `@sql QUERY` output as the recorder writes it.
fn query(conn: &Connection, sql: &str) -> Value {
    let mut statement = conn.prepare(sql).unwrap();
    let columns: Vec<String> = statement.column_names().map(String::from).collect();
    let width = columns.len();
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
    json!({"columns": columns, "rows": rows})
}

fn parsed(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap()
}

fn failed(result: Result<Vec<String>, ApplyError>) -> ApplyError {
    match result {
        Ok(statements) => panic!("expected a failure, ran {statements:?}"),
        Err(error) => error,
    }
}

#[test]
fn offline_sql_is_what_alembic_prints() {
    let Some(dir) = expected_dir("b07_offline_sql") else { return };
    let first = script(&dir, "0001a_create_user.py");
    let second = script(&dir, "0002b_add_post_and_email.py");

    let mut upgrade = offline_sql(&first.upgrade).unwrap();
    upgrade.extend(offline_sql(&second.upgrade).unwrap());
    assert_eq!(upgrade, migration_statements(&step(&dir, 10).stdout));

    let mut downgrade = offline_sql(&second.downgrade).unwrap();
    downgrade.extend(offline_sql(&first.downgrade).unwrap());
    assert_eq!(downgrade, migration_statements(&step(&dir, 14).stdout));
}

#[test]
fn batch_mode_rebuilds_the_table_keeping_rows_and_cannot_run_offline() {
    let Some(dir) = expected_dir("b19_batch_offline_and_data") else { return };
    let initial = script(&dir, "0001a_initial.py");
    let reshape = script(&dir, "0002b_reshape.py");

    // `alembic upgrade 0001a:0002b --sql`: the batch needs a live database.
    let offline = step(&dir, 11);
    let error = failed(offline_sql(&reshape.upgrade));
    assert_eq!(offline.exit_code, i64::from(error.exit_code()));
    assert_eq!(format!("-- Running upgrade 0001a -> 0002b\n\n{}", error.stdout_text()), offline.stdout);
    assert!(offline.stderr.ends_with(&error.python_error_text()));
    assert!(error.statements.is_empty());

    let conn = db::open(&[]).unwrap();
    version_table(&conn);
    apply_ops(&conn, &initial.upgrade).unwrap();
    conn.execute_batch("INSERT INTO user (name, age) VALUES ('ann', 30), ('bob', NULL);").unwrap();

    let statements = apply_ops(&conn, &reshape.upgrade).unwrap();
    assert_eq!(
        statements,
        [
            "CREATE TABLE _alembic_tmp_user (\n\tid INTEGER NOT NULL, \n\temail VARCHAR(120), \n\tname VARCHAR(100) NOT \
             NULL, \n\tPRIMARY KEY (id)\n)",
            "INSERT INTO _alembic_tmp_user (id, name) SELECT user.id, user.name \nFROM user",
            "DROP TABLE user",
            "ALTER TABLE _alembic_tmp_user RENAME TO user",
            "CREATE INDEX ix_user_name ON user (name)",
        ]
    );
    conn.execute_batch("INSERT INTO alembic_version VALUES ('0002b')").unwrap();
    assert_eq!(schema::dump(&conn).unwrap(), parsed(&step(&dir, 13).stdout));
    assert_eq!(query(&conn, "SELECT * FROM user ORDER BY id"), parsed(&step(&dir, 14).stdout));

    apply_ops(&conn, &reshape.downgrade).unwrap();
    assert_eq!(schema::dump(&conn).unwrap(), parsed(&step(&dir, 17).stdout));
    assert_eq!(query(&conn, "SELECT * FROM user ORDER BY id"), parsed(&step(&dir, 18).stdout));
}

#[test]
fn data_migration_rows_and_offline_inserts() {
    let Some(dir) = expected_dir("b14_data_migration") else { return };
    let initial = script(&dir, "0001a_create_user.py");
    let seed = script(&dir, "0002b_seed_users.py");
    // A string, a `text()` with bound values, a bulk insert and a Core
    // `user.update()` with `op.inline_literal()` values.
    assert!(matches!(seed.upgrade.last(), Some(Op::Execute(ExecuteArg::Core(_)))));

    assert_eq!(offline_sql(&seed.upgrade).unwrap(), migration_statements(&step(&dir, 11).stdout));
    assert_eq!(offline_sql(&seed.downgrade).unwrap(), migration_statements(&step(&dir, 14).stdout));

    let conn = db::open(&[]).unwrap();
    version_table(&conn);
    apply_ops(&conn, &initial.upgrade).unwrap();
    let statements = apply_ops(&conn, &seed.upgrade).unwrap();
    assert_eq!(
        statements,
        [
            "INSERT INTO user (name, role) VALUES ('admin', 'admin')",
            "INSERT INTO user (name) VALUES (?)",
            "INSERT INTO user (name, role) VALUES (?, ?)",
            // Inline literals are rendered in the statement online too.
            "UPDATE user SET role='editor' WHERE user.name = 'bob'",
        ]
    );
    assert_eq!(query(&conn, "SELECT * FROM user ORDER BY id"), parsed(&step(&dir, 10).stdout));

    apply_ops(&conn, &seed.downgrade).unwrap();
    assert_eq!(query(&conn, "SELECT * FROM user ORDER BY id"), parsed(&step(&dir, 13).stdout));
}

#[test]
fn upgrade_on_existing_tables_fails_half_way() {
    let Some(dir) = expected_dir("b11_upgrade_existing_tables") else { return };
    let initial = script(&dir, "0001a_initial.py");

    // Every table exists (create_all): the first CREATE TABLE fails.
    let conn = db::open(&[]).unwrap();
    for statement in &initial.upgrade {
        apply_ops(&conn, std::slice::from_ref(statement)).unwrap();
    }
    version_table(&conn);
    let error = failed(apply_ops(&conn, &initial.upgrade));
    let recorded = step(&dir, 7);
    assert_eq!(i64::from(error.exit_code()), recorded.exit_code);
    assert_eq!(error.python_error_text(), error_part_of(&recorded.stderr));

    // Only `book` exists: `author` is created (and stays), `book` fails.
    let conn = db::open(&[]).unwrap();
    conn.execute_batch("CREATE TABLE book (id INTEGER PRIMARY KEY, title VARCHAR(200));").unwrap();
    version_table(&conn);
    let error = failed(apply_ops(&conn, &initial.upgrade));
    assert_eq!(error.python_error_text(), error_part_of(&step(&dir, 12).stderr));
    assert_eq!(error.statements.len(), 1);
    assert_eq!(schema::dump(&conn).unwrap(), parsed(&step(&dir, 14).stdout));
    let error = failed(apply_ops(&conn, &initial.upgrade));
    assert_eq!(error.python_error_text(), error_part_of(&step(&dir, 15).stderr));
}
