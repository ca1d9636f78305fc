//! Applying ops to SQLite, against real Alembic: every kind-A oracle
//! scenario's recorded migration is read back (`script::read_script`), its
//! upgrade applied to the "before" database, then its downgrade (or, when the
//! upgrade failed, the initial revision's downgrade, as `alembic downgrade
//! -1` then runs). After each step the schema must equal Alembic's dump, and
//! a failing step must print what Alembic printed on stderr (traceback frames
//! aside). `tests/apply_passing.txt` lists the scenarios that pass; it may
//! only grow.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use driftlab::engine::migrate::apply::{apply_ops, ApplyError};
use driftlab::engine::migrate::ops::Op;
use driftlab::engine::migrate::script::read_script;
use driftlab::engine::{db, ddl, models, schema, Project};
use rusqlite::Connection;
use serde_json::Value;

fn oracle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle")
}

fn passing_list() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/apply_passing.txt")
}

/// The `alembic_version` table as Alembic creates it before running migrations.
const VERSION_TABLE: &str = "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\t\
                             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

fn ensure_version_table(conn: &Connection) {
    let exists: bool = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'", [], |r| r.get::<_, i64>(0))
        .unwrap()
        > 0;
    if !exists {
        conn.execute_batch(VERSION_TABLE).unwrap();
    }
}

fn set_version(conn: &Connection, version: Option<&str>) {
    conn.execute_batch("DELETE FROM alembic_version").unwrap();
    if let Some(version) = version {
        conn.execute("INSERT INTO alembic_version (version_num) VALUES (?1)", [version]).unwrap();
    }
}

/// A recorded command: exit code and stderr, its traceback frames removed
/// as the oracle's replay removes them.
struct Recorded {
    exit_code: i32,
    stderr: String,
}

fn read_recorded(path: &Path) -> Recorded {
    let text = std::fs::read_to_string(path).unwrap();
    let exit_code =
        text.lines().find_map(|l| l.strip_prefix("exit code: ")).map(|c| c.trim().parse().unwrap()).unwrap();
    let stderr = text.split_once("--- stderr ---\n").map(|(_, s)| s.to_string()).unwrap_or_default();
    Recorded { exit_code, stderr: strip_frames(&stderr) }
}

fn strip_frames(text: &str) -> String {
    let mut out = String::new();
    let mut in_frame = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("  File \"") {
            in_frame = true;
            continue;
        }
        if in_frame && line.starts_with("    ") {
            continue;
        }
        in_frame = false;
        out.push_str(line);
    }
    out
}

/// What follows Alembic's INFO lines on stderr.
fn after_info_lines(stderr: &str) -> String {
    stderr.split_inclusive('\n').filter(|l| !l.starts_with("INFO  [")).collect()
}

/// Which revision a recorded `downgrade -1` ran, from its INFO line.
fn downgraded_revision(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.contains("Running downgrade "))?;
    let rest = line.split("Running downgrade ").nth(1)?;
    Some(rest.split(" -> ").next()?.to_string())
}

fn read_ops(path: &Path) -> Result<(Vec<Op>, Vec<Op>), String> {
    let src = std::fs::read_to_string(path).unwrap();
    let script = read_script(&path.display().to_string(), &src);
    if !script.is_applicable() {
        let problems: Vec<String> = script.diagnostics.iter().map(|d| d.to_string()).collect();
        return Err(format!("script not applicable:\n{}", problems.join("\n")));
    }
    Ok((script.upgrade, script.downgrade))
}

fn models_project(scenario: &Path, meta: &Value) -> Project {
    let mut project = Project::new();
    project.write("models.py", std::fs::read(scenario.join("before.py")).unwrap());
    if let Some(copies) = meta.get("copy").and_then(|c| c.as_object()) {
        for (from, to) in copies {
            let to = to.as_str().unwrap();
            if !to.starts_with("alembic/") && to != "models.py" {
                project.write(to, std::fs::read(scenario.join(from)).unwrap());
            }
        }
    }
    project
}

fn dump_difference(conn: &Connection, expected_path: &Path) -> Option<String> {
    let mut actual = schema::dump(conn).unwrap();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap()).unwrap();
    // An empty in-memory database stands for a file that does not exist yet.
    if actual["sqlite_master"].as_array().is_some_and(Vec::is_empty) {
        actual = serde_json::json!({"db_exists": false});
    }
    if actual == expected {
        return None;
    }
    Some(format!(
        "--- expected (Alembic)\n{}\n--- actual (driftlab)\n{}",
        serde_json::to_string_pretty(&expected).unwrap(),
        serde_json::to_string_pretty(&actual).unwrap()
    ))
}

/// Checks a step's outcome against the recorded command.
fn check_outcome(step: &str, result: &Result<Vec<String>, ApplyError>, recorded: &Recorded) -> Result<(), String> {
    match result {
        Ok(_) if recorded.exit_code == 0 => Ok(()),
        Ok(statements) => Err(format!(
            "{step}: Alembic failed (exit {}) but driftlab succeeded, running:\n{}\n--- Alembic's stderr\n{}",
            recorded.exit_code,
            statements.join(";\n"),
            recorded.stderr
        )),
        Err(error) => {
            let expected = after_info_lines(&recorded.stderr);
            let actual = error.python_error_text();
            if recorded.exit_code != error.exit_code() || expected != actual {
                Err(format!(
                    "{step}: exit {} vs Alembic's {}\n--- expected stderr\n{expected}--- actual stderr\n{actual}",
                    error.exit_code(),
                    recorded.exit_code
                ))
            } else {
                Ok(())
            }
        }
    }
}

fn run_scenario(name: &str) -> Result<(), String> {
    let root = oracle();
    let scenario = root.join("scenarios").join(name);
    let expected = root.join("expected").join(name);
    let meta: Value = serde_json::from_str(&std::fs::read_to_string(scenario.join("scenario.json")).unwrap()).unwrap();
    let setup = meta.get("setup").and_then(Value::as_str).unwrap_or("upgrade");

    let conn = db::open(&[]).unwrap();
    let initial = expected.join("initial_migration.py");
    match setup {
        "upgrade" => {
            let (upgrade, _) = read_ops(&initial).map_err(|e| format!("initial_migration.py: {e}"))?;
            ensure_version_table(&conn);
            apply_ops(&conn, &upgrade).map_err(|e| format!("initial upgrade failed: {}", e.python_error_text()))?;
            set_version(&conn, Some("0001a"));
        }
        "create_all" => {
            let result = models::read_models(&models_project(&scenario, &meta), "models.py");
            if !result.diagnostics.is_empty() {
                return Err(format!("before.py: {:?}", result.diagnostics));
            }
            ddl::create_all(&conn, &result.metadata).map_err(|(_, e)| format!("create_all: {e}"))?;
        }
        _ => {}
    }
    let seeds: Vec<String> = match meta.get("seed") {
        Some(Value::Array(items)) => items.iter().filter_map(|s| s.as_str().map(String::from)).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    for seed in seeds {
        conn.execute_batch(&seed).map_err(|e| format!("seed: {e}"))?;
    }
    if let Some(difference) = dump_difference(&conn, &expected.join("schema_before.json")) {
        return Err(format!("before database differs\n{difference}"));
    }

    let (upgrade, downgrade) = read_ops(&expected.join("migration.py")).map_err(|e| format!("migration.py: {e}"))?;
    ensure_version_table(&conn);
    let upgraded = apply_ops(&conn, &upgrade);
    if upgraded.is_ok() {
        set_version(&conn, Some("0002b"));
    }
    check_outcome("upgrade", &upgraded, &read_recorded(&expected.join("upgrade.txt")))?;
    if let Some(difference) = dump_difference(&conn, &expected.join("schema_after_upgrade.json")) {
        return Err(format!("after upgrade: schema differs\n{difference}"));
    }

    let recorded = read_recorded(&expected.join("downgrade.txt"));
    let ops = match downgraded_revision(&recorded.stderr).as_deref() {
        Some("0002b") => downgrade,
        Some("0001a") => read_ops(&initial).map_err(|e| format!("initial_migration.py: {e}"))?.1,
        _ => Vec::new(),
    };
    let downgraded = apply_ops(&conn, &ops);
    check_outcome("downgrade", &downgraded, &recorded)?;
    if let Some(difference) = dump_difference(&conn, &expected.join("schema_after_downgrade.json")) {
        return Err(format!("after downgrade: schema differs\n{difference}"));
    }
    Ok(())
}

#[test]
fn apply_does_what_alembic_does() {
    let root = oracle();
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(root.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('a'))
        .collect();
    names.sort();
    let listed: BTreeSet<String> = std::fs::read_to_string(passing_list())
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let only = std::env::var("APPLY_SCENARIO").ok();
    let mut passing = Vec::new();
    let mut failures = Vec::new();
    for name in &names {
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            continue;
        }
        match run_scenario(name) {
            Ok(()) => passing.push(name.clone()),
            Err(problem) => failures.push((name.clone(), problem)),
        }
    }
    for (name, problem) in &failures {
        eprintln!("=== {name}\n{problem}\n");
    }
    eprintln!("{}/{} scenarios apply as Alembic applies them", passing.len(), passing.len() + failures.len());
    if std::env::var("APPLY_UPDATE_PASSING").is_ok() {
        let mut text =
            String::from("# Oracle scenarios whose upgrade and downgrade driftlab applies as Alembic does\n");
        text.push_str("# (tests/apply_oracle.rs). This list may only grow.\n");
        let all: BTreeSet<String> = listed.iter().cloned().chain(passing.iter().cloned()).collect();
        for name in all {
            text.push_str(&name);
            text.push('\n');
        }
        std::fs::write(passing_list(), text).unwrap();
    }
    let regressed: Vec<&String> = failures.iter().map(|(n, _)| n).filter(|n| listed.contains(*n)).collect();
    assert!(regressed.is_empty(), "scenarios that passed before fail now: {regressed:?}");
}
