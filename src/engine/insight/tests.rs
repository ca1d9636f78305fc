//! Drift and history on real projects, data-driven: each file in `cases/`
//! drives a session on the starter project as a learner would (`$ command`,
//! `^C`, `@ replace`/`@ write`/`@ remove` edits) and states what the reports
//! say at chosen points (`= drift`, `= history`, `= schema REV`, the
//! expected text on `> ` lines). Every report is also checked against the
//! `alembic` commands it stands for, run on a copy of the project: `alembic
//! check` for what is detected, `alembic upgrade heads` for what is
//! pending, `alembic history`/`current` for the graph, `alembic upgrade REV`
//! on a fresh database for the schema at a revision.
//! `DRIFTLAB_BLESS=1` rewrites the expected lines with what the reports say.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::drift::{self, AlembicSetup, Detection, DriftReport};
use super::history::{self, History, RevisionSchema};
use crate::engine::{schema, starter, Session};

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/engine/insight/cases")
}

/// A session like the page's: the starter project at the default root.
fn session() -> Session {
    Session::new(starter::project())
}

/// Another session on a copy of `s`'s project, for the cross-checks.
fn copy(s: &Session) -> Session {
    let mut c = Session::new(s.project.clone());
    c.set_root(s.root());
    c
}

fn run(s: &mut Session, line: &str) -> crate::engine::CommandOutput {
    s.run_line(line)
}

// ------------------------------------------------------------ the reports as text

fn drift_text(s: &Session) -> String {
    let report = drift::drift_report_for(s);
    check_drift_against_alembic(s, &report);
    report.describe()
}

fn history_text(s: &Session) -> String {
    match history::history_for(s) {
        Ok(h) => {
            check_history_against_alembic(s, &h);
            h.describe()
        }
        Err(e) => format!("error: {e}\n"),
    }
}

fn schema_text(s: &Session, rev: &str) -> String {
    match history::schema_at_revision_for(s, rev) {
        Ok(schema) => {
            check_schema_against_alembic(s, &schema);
            describe_schema(&schema)
        }
        Err(e) => format!("error: {e}\n"),
    }
}

fn describe_schema(s: &RevisionSchema) -> String {
    let mut out = format!("at {}\n", s.revision);
    for t in s.tables() {
        let columns: Vec<String> = t.columns.iter().map(|c| format!("{} {}", c.name, history::column_text(c))).collect();
        out.push_str(&format!("table {}: {}\n", t.name, columns.join(", ")));
    }
    for line in s.changes.summary() {
        out.push_str(&format!("change: {line}\n"));
    }
    out
}

// ------------------------------------------------------------ cross-checks with the commands

/// The autogenerate lines `alembic check` logs (the plugin set-up left out).
fn logged_detections(stderr: &str) -> Vec<String> {
    stderr.lines().filter(|l| l.starts_with("INFO  [alembic.autogenerate.")).map(str::to_string).collect()
}

fn check_drift_against_alembic(s: &Session, report: &DriftReport) {
    if matches!(report.alembic, AlembicSetup::NotSetUp(_)) {
        return;
    }
    let out = run(&mut copy(s), "alembic check");
    match (&report.refusal, &report.detection) {
        (Some(refusal), _) => {
            // A script's syntax error is `file:line:col: SyntaxError: ...`; Python prints the message.
            let message = match refusal.split_once(": ") {
                Some((place, rest)) if place.matches(':').count() == 2 => rest,
                _ => refusal.as_str(),
            };
            let printed = format!("{}{}", out.stdout, out.stderr);
            assert!(out.exit_code != 0 && printed.contains(message), "alembic check should fail with {message:?}:\n{out:?}")
        }
        (None, Detection::Compared(compared)) => {
            let lines: Vec<String> = compared.detected.iter().map(|d| d.line()).collect();
            assert_eq!(lines, logged_detections(&out.stderr), "the drift report's lines are alembic check's");
            assert_eq!(compared.in_sync, out.exit_code == 0, "in sync exactly when alembic check passes: {out:?}");
        }
        (None, Detection::NoTargetMetadata(message)) => {
            assert!(out.stdout.contains(message.as_str()), "alembic check fails the same way:\n{out:?}")
        }
        (None, Detection::PythonErrors(_)) => assert_ne!(out.exit_code, 0, "alembic check can't import either"),
        (None, Detection::HookFailed(why)) => {
            let last = why.lines().last().unwrap_or_default();
            assert!(out.exit_code != 0 && format!("{}{}", out.stdout, out.stderr).contains(last), "alembic check stops too:\n{out:?}")
        }
        (None, _) => {}
    }
    // What is pending is what `alembic upgrade heads` runs.
    if let Some(m) = report.migrations.as_ref().filter(|m| m.error.is_none()) {
        let out = run(&mut copy(s), "alembic upgrade heads");
        let ran: Vec<String> = out
            .stderr
            .lines()
            .filter_map(|l| l.strip_prefix("INFO  [alembic.runtime.migration] Running upgrade "))
            .filter_map(|l| l.split(" -> ").nth(1))
            .map(|l| l.split(',').next().unwrap_or_default().to_string())
            .collect();
        let pending: Vec<String> = m.pending.iter().map(|p| p.id.clone()).collect();
        assert_eq!(pending, ran, "pending revisions are those `alembic upgrade heads` runs, in order: {out:?}");
    }
}

fn check_history_against_alembic(s: &Session, h: &History) {
    let out = run(&mut copy(s), "alembic history");
    let ids: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_once(" -> ").map(|(_, rest)| rest))
        .map(|rest| rest.split([' ', ',']).next().unwrap_or_default().to_string())
        .collect();
    let rows: Vec<String> = h.nodes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(rows, ids, "rows follow `alembic history`");
    let current = run(&mut copy(s), "alembic current");
    if current.exit_code != 0 {
        return;
    }
    let mut listed: Vec<String> =
        current.stdout.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect();
    let mut marked: Vec<String> = h.nodes.iter().filter(|n| n.is_current).map(|n| n.id.clone()).collect();
    listed.sort();
    marked.sort();
    assert_eq!(marked, listed, "the current marks are `alembic current`'s revisions");
    // Every node in its own cell; every line from a later row to an earlier one's parent.
    let mut cells: Vec<(usize, usize)> = h.nodes.iter().map(|n| (n.row, n.column)).collect();
    cells.sort();
    cells.dedup();
    assert_eq!(cells.len(), h.nodes.len(), "two nodes share a cell");
    for edge in &h.edges {
        let (from, to) = (h.node(&edge.from).unwrap(), h.node(&edge.to).unwrap());
        assert!(from.row < to.row, "{} is drawn above the revision it follows", edge.from);
        // Between the rows, no line runs through another node.
        for pair in edge.points.windows(2) {
            let ((c0, r0), (c1, r1)) = (pair[0], pair[1]);
            if c0 == c1 {
                for n in &h.nodes {
                    let r = n.row as f32;
                    assert!(!(n.column as f32 == c0 && r0 < r && r < r1), "the line {} -> {} crosses {}", edge.from, edge.to, n.id);
                }
            }
        }
    }
}

fn check_schema_against_alembic(s: &Session, schema: &RevisionSchema) {
    let report = drift::drift_report_for(s);
    let Some(path) = report.database.path else { return };
    let mut c = copy(s);
    c.project.remove_file(&path);
    let out = run(&mut c, &format!("alembic upgrade {}", schema.revision));
    assert_eq!(out.exit_code, 0, "{out:?}");
    let upgraded: Vec<_> =
        schema::describe(c.project.read(&path).unwrap_or_default()).unwrap().into_iter().filter(|t| !t.alembic).collect();
    assert_eq!(schema.tables(), upgraded, "the schema at {} is what `alembic upgrade` makes of an empty database", schema.revision);
}

// ------------------------------------------------------------ the case files

fn run_case(name: &str, text: &str) -> (String, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let at = |i: usize| format!("{name}:{}", i + 1);
    let until = |from: usize, marker: &str| {
        (from..lines.len()).find(|&j| lines[j] == marker).unwrap_or_else(|| panic!("{}: no {marker:?} after this", at(from)))
    };
    let joined = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut s = session();
    let mut rewritten = String::new();
    let mut failures = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('#') || line.is_empty() {
            rewritten.push_str(&format!("{line}\n"));
            i += 1;
        } else if let Some(command) = line.strip_prefix("$ ") {
            run(&mut s, command);
            rewritten.push_str(&format!("{line}\n"));
            i += 1;
        } else if line == "^C" {
            s.interrupt();
            rewritten.push_str("^C\n");
            i += 1;
        } else if let Some(path) = line.strip_prefix("@ replace ") {
            let with = until(i + 1, "@ with");
            let end = until(with + 1, "@ end");
            let (old, new) = (joined(&lines[i + 1..with]), joined(&lines[with + 1..end]));
            let text = s.project.read_text(path).unwrap_or_else(|| panic!("{}: no {path}", at(i)));
            assert!(text.contains(&old), "{}: {path} doesn't contain {old:?}", at(i));
            s.project.write(path, text.replacen(&old, &new, 1));
            rewritten.push_str(&joined(&lines[i..=end]));
            i = end + 1;
        } else if let Some(path) = line.strip_prefix("@ write ") {
            let end = until(i + 1, "@ end");
            s.project.write(path, joined(&lines[i + 1..end]));
            rewritten.push_str(&joined(&lines[i..=end]));
            i = end + 1;
        } else if let Some(path) = line.strip_prefix("@ remove ") {
            s.project.remove_file(path).unwrap_or_else(|| panic!("{}: no {path}", at(i)));
            rewritten.push_str(&format!("{line}\n"));
            i += 1;
        } else if let Some(what) = line.strip_prefix("= ") {
            let end = (i + 1..lines.len()).find(|&j| !(lines[j] == ">" || lines[j].starts_with("> "))).unwrap_or(lines.len());
            let expected: String = lines[i + 1..end].iter().map(|l| format!("{}\n", l.strip_prefix("> ").unwrap_or(""))).collect();
            let actual = match what.split_once(' ') {
                None if what == "drift" => drift_text(&s),
                None if what == "history" => history_text(&s),
                Some(("schema", rev)) => schema_text(&s, rev),
                _ => panic!("{}: `= drift`, `= history` or `= schema REV`, found {line:?}", at(i)),
            };
            if actual != expected {
                failures.push(format!("{}: {what}\n--- expected\n{expected}--- actual\n{actual}", at(i)));
            }
            rewritten.push_str(&format!("{line}\n"));
            for l in actual.lines() {
                rewritten.push_str(&if l.is_empty() { ">\n".to_string() } else { format!("> {l}\n") });
            }
            i = end;
        } else {
            panic!("{}: expected `$`, `^C`, `@ replace`, `@ write`, `@ remove`, `= ...` or `#`, found {line:?}", at(i));
        }
    }
    (rewritten, failures)
}

#[test]
fn cases() {
    let bless = std::env::var_os("DRIFTLAB_BLESS").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let (rewritten, found) = run_case(&name, &text);
        if bless && rewritten != text {
            std::fs::write(&path, rewritten).unwrap();
        } else {
            failures.extend(found);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------------------ speed

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The drift report runs on every save: it stays cheap on the starter
/// project, before Alembic and with Alembic and two migrations.
#[test]
fn drift_report_is_cheap_on_the_starter_project() {
    let mut s = session();
    let before = median(21, || {
        drift::drift_report_for(&s);
    });
    run(&mut s, "alembic init alembic");
    let ini = s.project.read_text("alembic.ini").unwrap();
    s.project.write("alembic.ini", ini.replace("driver://user:pass@localhost/dbname", "sqlite:///./todos.db"));
    let env = s.project.read_text("alembic/env.py").unwrap();
    s.project.write("alembic/env.py", env.replace("target_metadata = None", "from database import Base\nimport models\ntarget_metadata = Base.metadata"));
    run(&mut s, "alembic revision --autogenerate -m initial --rev-id 0001");
    run(&mut s, "alembic upgrade head");
    let models = s.project.read_text("models.py").unwrap();
    s.project.write("models.py", format!("{models}    priority = Column(Integer, nullable=True)\n"));
    run(&mut s, "alembic revision --autogenerate -m priority --rev-id 0002");
    let report = drift::drift_report_for(&s);
    assert_eq!(report.migrations.as_ref().map(|m| m.pending.len()), Some(1), "{}", report.describe());
    let with_alembic = median(21, || {
        drift::drift_report_for(&s);
    });
    let graph = median(21, || {
        history::history_for(&s).unwrap();
    });
    let schema = median(21, || {
        history::schema_at_revision_for(&s, "0002").unwrap();
    });
    println!("drift report (median of 21): before Alembic {before:?}, with Alembic and 2 revisions {with_alembic:?}; history {graph:?}; schema at 0002 {schema:?}");
    // Debug builds are several times slower than the page's release build;
    // well under a debounce interval even so.
    let limit = Duration::from_millis(if cfg!(debug_assertions) { 150 } else { 25 });
    assert!(before < limit && with_alembic < limit, "drift report too slow: {before:?}, {with_alembic:?}");
}
