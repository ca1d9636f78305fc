//! The guides' cheat sheets, command by command, against real Alembic: each
//! `tests/cheatsheets/NAME.txt` is run through a driftlab session on the
//! starter todo app wired to Alembic, and every command's stdout, stderr and
//! exit code must equal `NAME.expected.json`, which `record.py` made by
//! running the same lines with real Alembic 1.20.1 (and real bash/sqlite3).

use std::path::PathBuf;

use driftlab::engine::{db, ddl, models, starter, CommandOutput, Session};

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cheatsheets")
}

/// The oracle's normalisation of what varies from run to run.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.find("Create Date: ") {
            Some(i) => {
                out.push_str(&line[..i]);
                out.push_str("Create Date: <DATE>");
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The guides' wiring, as record.py applies it.
fn wire(session: &mut Session) {
    let ini = session.project.read_text("alembic.ini").unwrap().replace(
        "sqlalchemy.url = driver://user:pass@localhost/dbname",
        "sqlalchemy.url = sqlite:///./todos.db",
    );
    session.project.write("alembic.ini", ini);
    let env = session.project.read_text("alembic/env.py").unwrap().replace(
        "target_metadata = None",
        "from database import Base\nimport models  # noqa: F401\ntarget_metadata = Base.metadata",
    );
    session.project.write("alembic/env.py", env);
}

/// What the app's lifespan does with `init_db()`: create_all on todos.db.
fn create_all(session: &mut Session) {
    let metadata = models::read_models(&session.project, "models.py").metadata;
    let mut conn = db::open(session.project.read("todos.db").unwrap_or_default()).unwrap();
    ddl::create_all(&conn, &metadata).unwrap();
    session.project.write("todos.db", db::to_bytes(&mut conn).unwrap());
}

fn check(name: &str) -> Vec<String> {
    let lines = std::fs::read_to_string(folder().join(format!("{name}.txt"))).unwrap();
    let expected: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(folder().join(format!("{name}.expected.json"))).unwrap()).unwrap();
    let mut session = Session::new(starter::project());
    session.set_terminal(false);
    session.set_root("<PROJECT>");
    assert_eq!(session.run_line("alembic init alembic").exit_code, 0);
    wire(&mut session);
    let mut expected = expected.into_iter();
    let mut failures = Vec::new();
    for line in lines.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        if let Some(file) = line.strip_prefix("@models ") {
            let text = std::fs::read_to_string(folder().join(file)).unwrap();
            session.project.write("models.py", text);
            continue;
        }
        if line == "@create_all" {
            create_all(&mut session);
            continue;
        }
        let want = expected.next().unwrap_or_else(|| panic!("{name}: no recording for `{line}`"));
        assert_eq!(want["command"], line, "{name}: recording out of step");
        let got = session.run_line(line);
        let got = CommandOutput { stdout: normalise(&got.stdout), stderr: normalise(&got.stderr), exit_code: got.exit_code };
        let want = CommandOutput {
            stdout: want["stdout"].as_str().unwrap().to_string(),
            stderr: want["stderr"].as_str().unwrap().to_string(),
            exit_code: want["exit_code"].as_i64().unwrap() as i32,
        };
        if got != want {
            failures.push(format!(
                "{name}: `{line}`\n--- real\nstdout: {:?}\nstderr: {:?}\nexit: {}\n--- driftlab\nstdout: {:?}\nstderr: {:?}\nexit: {}",
                want.stdout, want.stderr, want.exit_code, got.stdout, got.stderr, got.exit_code
            ));
        }
    }
    failures
}

#[test]
fn the_guides_cheat_sheets_print_what_real_alembic_prints() {
    let mut names: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".txt").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 2);
    let failures: Vec<String> = names.iter().flat_map(|n| check(n)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
