//! Autogenerate's comparison against real Alembic: every kind-A oracle
//! scenario is replayed (the "before" database built as its `setup` says,
//! reflected, compared with the models of `after.py`), and must give the
//! recorded `Detected ...` log and warnings, the op calls of the recorded
//! migration's upgrade() and downgrade() in order, and, once upgraded, no
//! differences (where `alembic check` found none). The diffs repr that
//! `alembic check` prints is checked against the kind-B transcripts.
//!
//! `tests/autogen_passing.txt` lists the scenarios known to pass: the test
//! fails if one of them fails, and reports the unlisted ones that pass now.

use std::path::{Path, PathBuf};

use driftlab::engine::metadata::MetaData;
use driftlab::engine::migrate::compare::{compare, diffs_repr, Autogen, CompareOptions};
use driftlab::engine::{db, ddl, models, reflect, Project};
use serde_json::Value;

mod autogen_support;
use autogen_support::upgrade_and_downgrade;

fn oracle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// The project the recorder builds: `models_file` as `models.py`, plus the
/// scenario's helper files (those `copy` names outside `alembic/`).
fn project_for(scenario: &Path, models_file: &Path) -> Project {
    let mut project = Project::new();
    project.write("models.py", std::fs::read(models_file).unwrap());
    if let Some(copies) = read_json(&scenario.join("scenario.json")).get("copy").and_then(Value::as_object) {
        for (from, to) in copies {
            let to = to.as_str().unwrap();
            if !to.starts_with("alembic/") && to != "models.py" {
                project.write(to, std::fs::read(scenario.join(from)).unwrap());
            }
        }
    }
    project
}

/// The metadata env.py hands to autogenerate: `Base.metadata` of the module
/// env.py imports `Base` from (`models` unless the scenario says otherwise).
fn target_metadata(scenario: &Path, models_file: &Path, env_metadata: Option<&str>) -> Result<MetaData, String> {
    let module = env_metadata
        .and_then(|code| code.lines().find_map(|l| l.trim().strip_prefix("from ")?.split_whitespace().next().map(str::to_string)))
        .unwrap_or_else(|| "models".into());
    let project = project_for(scenario, models_file);
    let result = models::read_models(&project, &format!("{module}.py"));
    if !result.diagnostics.is_empty() {
        let errors: Vec<String> = result.diagnostics.iter().map(|d| d.to_string()).collect();
        return Err(format!("models errors:\n{}", errors.join("\n")));
    }
    Ok(result.metadata)
}

fn create_all(metadata: &MetaData) -> rusqlite::Connection {
    let conn = db::open(&[]).unwrap();
    ddl::create_all(&conn, metadata).map_err(|(_, e)| e).unwrap();
    conn
}

/// A database with the schema of a recorded `@dump` (its `sqlite_master` SQL).
fn database_from_dump(dump: &Value) -> rusqlite::Connection {
    let conn = db::open(&[]).unwrap();
    let rows = dump["sqlite_master"].as_array().cloned().unwrap_or_default();
    // Tables before indexes (the dump sorts by type then name).
    for kind in ["table", "index"] {
        for row in &rows {
            if row[0] == kind {
                if let Some(sql) = row[3].as_str().filter(|_| row[1] != "sqlite_sequence") {
                    conn.execute_batch(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
                }
            }
        }
    }
    conn
}

/// stdout and stderr of a recorded command (`$ ...`, `exit code`, `--- stdout ---`, `--- stderr ---`).
fn recorded_streams(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let after_stdout = text.split_once("--- stdout ---\n").map(|(_, rest)| rest).unwrap_or("");
    let (stdout, stderr) = after_stdout.split_once("--- stderr ---\n").unwrap_or((after_stdout, ""));
    (stdout.to_string(), stderr.to_string())
}

/// The stderr lines autogenerate itself adds: everything after the plugin set-up lines.
fn autogenerate_stderr(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines.iter().rposition(|l| l.contains("[alembic.runtime.plugins]")).map_or(0, |i| i + 1);
    lines[start..].iter().filter(|l| !l.starts_with("ERROR [alembic.util.messaging]")).map(|l| l.to_string()).collect()
}

/// Top-level arguments of a call's text (`name(a, b(c, d), e=f)` → `a`, `b(c, d)`, `e=f`).
fn call_args(call: &str) -> Vec<String> {
    let Some(open) = call.find('(') else { return Vec::new() };
    let mut args = Vec::new();
    let (mut depth, mut current, mut quote) = (0, String::new(), None::<char>);
    for c in call[open + 1..].chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == q {
                    quote = None;
                }
                continue;
            }
            None if c == '\'' || c == '"' => quote = Some(c),
            None => {}
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' if depth == 0 => break,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                args.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        args.push(current.trim().to_string());
    }
    args
}

/// A name argument as rendered: `'x'`, `op.f('x')`, `batch_op.f('x')`, `None`,
/// `sa.Column('x', ...)`, `table_name='x'`.
fn name_of(arg: &str) -> String {
    let arg = arg.split_once('=').filter(|(k, _)| !k.contains('(')).map_or(arg, |(_, v)| v).trim();
    if arg == "None" {
        return "None".into();
    }
    let start = arg.find('\'').map(|i| i + 1).unwrap_or(0);
    let end = arg[start..].find('\'').map_or(arg.len(), |i| start + i);
    arg[start..end].to_string()
}

/// The op calls in one function body of a recorded migration script.
fn recorded_op_calls(script: &str, function: &str) -> Vec<String> {
    let header = format!("def {function}()");
    let body: Vec<&str> = script
        .lines()
        .skip_while(|l| !l.starts_with(&header))
        .skip(1)
        .take_while(|l| !l.starts_with("def "))
        .collect();
    let mut calls = Vec::new();
    let mut batch_table = String::new();
    let mut i = 0;
    while i < body.len() {
        let line = body[i].trim();
        i += 1;
        let (is_batch, rest) = if let Some(rest) = line.strip_prefix("batch_op.") {
            (true, rest)
        } else if let Some(rest) = line.strip_prefix("with op.") {
            batch_table = call_args(rest).first().map(|a| name_of(a)).unwrap_or_default();
            calls.push(format!("[batch {batch_table}]"));
            continue;
        } else if let Some(rest) = line.strip_prefix("op.") {
            (false, rest)
        } else {
            continue;
        };
        // Join continuation lines until the call's parentheses close.
        let mut text = rest.to_string();
        while text.matches('(').count() > text.matches(')').count() && i < body.len() {
            text.push(' ');
            text.push_str(body[i].trim());
            i += 1;
        }
        let op = text.split('(').next().unwrap_or("").to_string();
        let args = call_args(&text);
        let arg = |n: usize| args.get(n).map(|a| name_of(a)).unwrap_or_default();
        let keyword = |k: &str| args.iter().find(|a| a.starts_with(&format!("{k}="))).map(|a| name_of(a));
        let (table, object) = match (op.as_str(), is_batch) {
            ("create_table" | "drop_table", _) => (arg(0), None),
            ("add_column" | "drop_column" | "alter_column", true) => (batch_table.clone(), Some(arg(0))),
            ("add_column", false) => (arg(0), Some(arg(1))),
            ("drop_column" | "alter_column", false) => (arg(0), Some(arg(1))),
            ("drop_index", false) => (keyword("table_name").unwrap_or_else(|| arg(1)), Some(arg(0))),
            (_, true) => (batch_table.clone(), Some(arg(0))),
            (_, false) => (arg(1), Some(arg(0))),
        };
        let autoincrement = keyword("autoincrement").map(|v| format!(" autoincrement={v}")).unwrap_or_default();
        calls.push(match object {
            Some(object) => format!("{op} {table}.{object}{autoincrement}"),
            None => format!("{op} {table}"),
        });
    }
    calls
}

fn options_of(meta: &Value) -> CompareOptions {
    let configure = &meta["env"]["configure"];
    let flag = |key: &str, default: bool| configure.get(key).and_then(Value::as_bool).unwrap_or(default);
    let defaults = CompareOptions::default();
    CompareOptions {
        compare_type: flag("compare_type", defaults.compare_type),
        compare_server_default: flag("compare_server_default", defaults.compare_server_default),
        render_as_batch: flag("render_as_batch", defaults.render_as_batch),
    }
}

fn diff_lines(what: &str, expected: &[String], actual: &[String]) -> Option<String> {
    (expected != actual).then(|| {
        format!("{what} differ\n  expected:\n    {}\n  actual:\n    {}", expected.join("\n    "), actual.join("\n    "))
    })
}

/// Runs one kind-A scenario; the problems found (empty: it passes).
fn check_scenario(root: &Path, name: &str) -> Vec<String> {
    let scenario = root.join("scenarios").join(name);
    let expected = root.join("expected").join(name);
    let meta = read_json(&scenario.join("scenario.json"));
    let options = options_of(&meta);
    let env_metadata = meta["env"]["metadata"].as_str();
    let before_file = scenario.join("before.py");
    let after_file = if scenario.join("after.py").exists() { scenario.join("after.py") } else { before_file.clone() };
    let mut problems = Vec::new();

    // The "before" database.
    let conn = match meta["setup"].as_str().unwrap_or("empty") {
        "empty" => db::open(&[]).unwrap(),
        _ => match target_metadata(&scenario, &before_file, None) {
            Ok(before) => create_all(&before),
            Err(e) => return vec![format!("before.py: {e}")],
        },
    };
    for statement in meta["seed"].as_array().into_iter().flatten() {
        conn.execute_batch(statement.as_str().unwrap()).unwrap();
    }
    let database = reflect::reflect(&conn).unwrap();
    let models = match target_metadata(&scenario, &after_file, env_metadata) {
        Ok(m) => m,
        Err(e) => return vec![format!("after.py: {e}")],
    };
    let autogen: Autogen = compare(&models, &database, &options);

    // (1) The `Detected ...` lines, then the whole log and warnings in stderr order.
    let detected: Vec<String> =
        std::fs::read_to_string(expected.join("detected.txt")).unwrap().lines().map(str::to_string).collect();
    let logged: Vec<String> = autogen.log.iter().filter(|l| l.contains("] Detected ")).cloned().collect();
    problems.extend(diff_lines("Detected lines", &detected, &logged));
    let (_, stderr) = recorded_streams(&expected.join("revision.txt"));
    problems.extend(diff_lines("revision stderr lines", &autogenerate_stderr(&stderr), &autogen.stderr_lines(true)));

    // (2) The op calls of upgrade() and downgrade().
    let script = std::fs::read_to_string(expected.join("migration.py")).unwrap();
    let (upgrade, downgrade) = upgrade_and_downgrade(&autogen.upgrade_ops);
    problems.extend(diff_lines("upgrade() ops", &recorded_op_calls(&script, "upgrade"), &upgrade));
    match downgrade {
        Ok(downgrade) => {
            problems.extend(diff_lines("downgrade() ops", &recorded_op_calls(&script, "downgrade"), &downgrade))
        }
        Err(e) => problems.push(format!("not reversible: {e}")),
    }

    // (3) Once upgraded, `alembic check` finds nothing (where it recorded so).
    let (check_stdout, check_stderr) = recorded_streams(&expected.join("check_at_head.txt"));
    if check_stdout.starts_with("No new upgrade operations detected.") {
        let upgraded = database_from_dump(&read_json(&expected.join("schema_after_upgrade.json")));
        let at_head = compare(&models, &reflect::reflect(&upgraded).unwrap(), &options);
        if !at_head.is_empty() {
            problems.push(format!(
                "after upgrade: expected no ops, got {}",
                diffs_repr(&at_head.upgrade_ops, &models, &reflect::reflect(&upgraded).unwrap())
            ));
        }
        problems.extend(diff_lines("check stderr lines", &autogenerate_stderr(&check_stderr), &at_head.stderr_lines(false)));
    }
    problems
}

/// `alembic check` runs of the transcripts that print a diffs repr: the
/// scenario, the step, the models file, and the database at that point.
enum DatabaseAt {
    Empty,
    CreateAll(&'static str),
    Dump(u64),
}

const CHECK_CASES: &[(&str, u64, &str, DatabaseAt)] = &[
    ("b10_check", 4, "v1.py", DatabaseAt::Empty),
    ("b10_check", 10, "v2.py", DatabaseAt::CreateAll("v1.py")),
    ("b10_check", 12, "v3.py", DatabaseAt::CreateAll("v1.py")),
    ("b18_manual_revision", 14, "models.py", DatabaseAt::Dump(13)),
    ("b20_empty_project", 12, "models.py", DatabaseAt::Dump(13)),
];

fn check_diffs_case(root: &Path, (name, step, models_file, at): &(&str, u64, &str, DatabaseAt)) -> Option<String> {
    let scenario = root.join("scenarios").join(name);
    let transcript = read_json(&root.join("expected").join(name).join("transcript.json"));
    let record = |n: u64| transcript.as_array().unwrap().iter().find(|r| r["n"] == n).unwrap().clone();
    let conn = match at {
        DatabaseAt::Empty => db::open(&[]).unwrap(),
        DatabaseAt::CreateAll(file) => create_all(&target_metadata(&scenario, &scenario.join(file), None).unwrap()),
        DatabaseAt::Dump(n) => database_from_dump(&serde_json::from_str(record(*n)["stdout"].as_str().unwrap()).unwrap()),
    };
    let database = reflect::reflect(&conn).unwrap();
    let models = target_metadata(&scenario, &scenario.join(models_file), None).unwrap();
    let autogen = compare(&models, &database, &CompareOptions::default());
    let expected = record(*step)["stdout"].as_str().unwrap().trim_end().to_string();
    let actual = format!("FAILED: New upgrade operations detected: {}", diffs_repr(&autogen.upgrade_ops, &models, &database));
    (expected != actual).then(|| format!("{name} step {step}: diffs repr differs\n  expected: {expected}\n  actual:   {actual}"))
}

#[test]
fn autogenerate_matches_alembic() {
    let root = oracle();
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let passing_list = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/autogen_passing.txt"))
        .unwrap_or_default();
    let listed: Vec<&str> = passing_list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();

    let mut names: Vec<String> = std::fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| read_json(&root.join("scenarios").join(n).join("scenario.json"))["kind"] == "autogen")
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} kind-A scenarios found", names.len());

    let mut results: Vec<(String, Vec<String>)> = names.iter().map(|n| (n.clone(), check_scenario(&root, n))).collect();
    for case in CHECK_CASES {
        let label = format!("{}@{}", case.0, case.1);
        results.push((label, check_diffs_case(&root, case).into_iter().collect()));
    }

    let passing: Vec<&str> = results.iter().filter(|(_, p)| p.is_empty()).map(|(n, _)| n.as_str()).collect();
    let newly_passing: Vec<&&str> = passing.iter().filter(|n| !listed.contains(n)).collect();
    for (name, problems) in results.iter().filter(|(_, p)| !p.is_empty()) {
        eprintln!("--- {name}\n{}\n", problems.join("\n"));
    }
    eprintln!("{} of {} pass", passing.len(), results.len());
    if !newly_passing.is_empty() {
        eprintln!("passing but not in tests/autogen_passing.txt: {newly_passing:?}");
    }
    let regressed: Vec<&&str> = listed.iter().filter(|n| !passing.contains(n)).collect();
    assert!(regressed.is_empty(), "listed in tests/autogen_passing.txt but failing: {regressed:?}");
}
