//! Offline (`--sql`) mode against real Alembic 1.20.1 on SQLite, PostgreSQL
//! and SQL Server URLs: every case of `tests/offline_cases/cases.json` builds
//! the project `tests/offline_cases/record.py` built (`alembic init alembic`,
//! the case's URL and `[alembic]` options, its migration scripts), runs the
//! case's commands through a `Session`, and compares stdout, stderr and the
//! exit code with the recordings in `tests/offline_cases/expected/` (Python
//! traceback frames aside, as the oracle's replay does). No Python runs here.
//!
//! `tests/offline_passing.txt` lists the commands that match; it may only
//! grow. `DRIFTLAB_UPDATE_PASSING=1` adds newly passing ones.

use std::collections::BTreeSet;
use std::path::PathBuf;

use driftlab::engine::{CommandOutput, Project, Session};
use serde_json::Value;

/// The line of the generic template's alembic.ini that names the database.
const TEMPLATE_URL_LINE: &str = "sqlalchemy.url = driver://user:pass@localhost/dbname";

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/offline_cases")
}

fn passing_list() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/offline_passing.txt")
}

/// The project a case runs in, as record.py's `set_up` makes it.
fn set_up(case: &Value) -> Session {
    let mut session = Session::new(Project::new());
    session.set_root("<PROJECT>");
    // Real Alembic ran in the oracle's venv; its paths read `<VENV>` in the recordings.
    session.export("VIRTUAL_ENV", "<VENV>");
    session.set_terminal(false);
    let init = session.run_line("alembic init alembic");
    assert_eq!(init.exit_code, 0, "{init:?}");
    let ini = session.project.read_text("alembic.ini").expect("alembic init writes alembic.ini");
    assert!(ini.contains(TEMPLATE_URL_LINE));
    let mut ini = ini.replace(TEMPLATE_URL_LINE, &format!("sqlalchemy.url = {}", case["url"].as_str().unwrap()));
    if let Some(options) = case["ini"].as_object() {
        let extra: String = options.iter().map(|(k, v)| format!("{k} = {}\n", v.as_str().unwrap())).collect();
        ini = ini.replacen("[alembic]\n", &format!("[alembic]\n{extra}"), 1);
    }
    session.project.write("alembic.ini", ini);
    let source = cases_dir().join("migrations").join(case["migrations"].as_str().unwrap());
    let mut names: Vec<String> = std::fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    for name in names {
        let text = std::fs::read(source.join(&name)).unwrap();
        session.project.write(&format!("alembic/versions/{name}"), text);
    }
    session
}

/// stderr as the oracle's replay compares it: object addresses as
/// `0x<ADDR>`, and traceback frames (`  File "..."` lines and the indented
/// lines under them) left out.
fn comparable(stderr: &str) -> String {
    let stderr = without_addresses(stderr);
    if !stderr.contains("Traceback (most recent call last):") {
        return stderr;
    }
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
        out.push_str(line);
    }
    out
}

/// record.py's `0x[0-9a-fA-F]{6,16}` → `0x<ADDR>` (at a word boundary).
fn without_addresses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("0x") {
        let word_start = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let digits = rest[at + 2..].chars().take_while(char::is_ascii_hexdigit).count();
        let word_end = !rest[at + 2 + digits..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        if word_start && word_end && (6..=16).contains(&digits) {
            out.push_str("0x<ADDR>");
        } else {
            out.push_str(&rest[at..at + 2 + digits]);
        }
        rest = &rest[at + 2 + digits..];
    }
    out.push_str(rest);
    out
}

/// A difference between what Alembic printed and what driftlab printed, or `None`.
fn difference(expected: &Value, actual: &CommandOutput) -> Option<String> {
    let exit_code = expected["exit_code"].as_i64().unwrap() as i32;
    let stdout = expected["stdout"].as_str().unwrap();
    let stderr = comparable(expected["stderr"].as_str().unwrap());
    if actual.exit_code == exit_code && actual.stdout == stdout && comparable(&actual.stderr) == stderr {
        return None;
    }
    Some(format!(
        "--- expected (Alembic 1.20.1), exit {exit_code}\n{stdout}\n--- stderr\n{stderr}\n--- actual (driftlab), exit {}\n{}\n--- stderr\n{}",
        actual.exit_code,
        actual.stdout,
        comparable(&actual.stderr)
    ))
}

#[test]
fn sql_mode_prints_what_alembic_prints() {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(cases_dir().join("cases.json")).unwrap()).unwrap();
    let listed: BTreeSet<String> = std::fs::read_to_string(passing_list())
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut passing = BTreeSet::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let expected: Vec<Value> = serde_json::from_str(
            &std::fs::read_to_string(cases_dir().join("expected").join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let mut session = set_up(case);
        for record in &expected {
            total += 1;
            let command = record["command"].as_str().unwrap();
            let key = format!("{name} | {command}");
            let actual = session.run_line(command);
            match difference(record, &actual) {
                None => {
                    passing.insert(key);
                }
                Some(diff) => failures.push((key, diff)),
            }
        }
    }
    eprintln!("{}/{total} --sql commands print what Alembic prints", passing.len());
    for (key, diff) in &failures {
        eprintln!("=== {key}\n{diff}");
    }
    if std::env::var_os("DRIFTLAB_UPDATE_PASSING").is_some() {
        let all: BTreeSet<&String> = listed.iter().chain(passing.iter()).collect();
        let mut text = String::from(
            "# `--sql` commands (case | command) whose output matches real Alembic's\n# (tests/offline_oracle.rs). This list may only grow.\n",
        );
        for key in all {
            text.push_str(key);
            text.push('\n');
        }
        std::fs::write(passing_list(), text).unwrap();
    }
    let regressed: Vec<&String> = failures.iter().map(|(k, _)| k).filter(|k| listed.contains(*k)).collect();
    assert!(regressed.is_empty(), "listed as passing but failing: {regressed:#?}");
}

/// Online commands can't reach a PostgreSQL or SQL Server database: they
/// say so and point to `--sql`.
#[test]
fn online_commands_on_other_databases_suggest_sql() {
    let case: Value = serde_json::json!({"url": "postgresql://scott:tiger@localhost/shop", "migrations": "batch"});
    let mut session = set_up(&case);
    let out = session.run_line("alembic upgrade head");
    assert_eq!(out.exit_code, 255);
    assert_eq!(
        out.stdout,
        "FAILED: driftlab runs only SQLite databases in the playground; this project's URL is a postgresql database. \
         Add --sql to print the SQL Alembic would run there instead (alembic upgrade head --sql).\n"
    );
}
