//! The `sqlite3` command against the real sqlite3 CLI (Debian's package, the
//! reference): every case file in `tests/sqlite3_cases/` is a list of command
//! lines, run one after another in a fresh folder by both (the real one by
//! bash, so `< script.sql`, `<<< "SQL"` and `echo ... > script.sql` work),
//! comparing stdout, stderr and the exit code of each. Adding a case means
//! adding a file.

use std::path::{Path, PathBuf};
use std::process::Command;

use driftlab::engine::shell_words::{split_commands, SplitError};
use driftlab::engine::{CommandOutput, Project, Session};

/// Reads a case file into command lines; a quoted argument may span lines.
fn command_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        if pending.is_empty() && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(line);
        if !matches!(split_commands(&pending), Err(SplitError::UnclosedQuote(_))) {
            lines.push(std::mem::take(&mut pending));
        }
    }
    assert!(pending.is_empty(), "unclosed quote at the end of a case file");
    lines
}

fn real_sqlite3(dir: &Path, line: &str) -> CommandOutput {
    let output = Command::new("bash")
        .args(["-c", line])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the real sqlite3 CLI is the reference for these tests: install it (./dev setup installs Debian's sqlite3)");
    CommandOutput {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        exit_code: output.status.code().unwrap_or(-1),
    }
}

fn check(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case).unwrap();
    let dir = std::env::temp_dir().join(format!(
        "driftlab-sqlite3-{}-{}",
        std::process::id(),
        case.file_stem().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut session = Session::new(Project::new());
    session.set_terminal(false);
    let mut failures = Vec::new();
    for line in command_lines(&text) {
        let expected = real_sqlite3(&dir, &line);
        let actual = session.run_line(&line);
        if actual != expected {
            failures.push(format!(
                "{}: `{line}`\n--- expected (real sqlite3)\nstdout: {:?}\nstderr: {:?}\nexit: {}\n--- actual (driftlab)\nstdout: {:?}\nstderr: {:?}\nexit: {}",
                case.display(),
                expected.stdout,
                expected.stderr,
                expected.exit_code,
                actual.stdout,
                actual.stderr,
                actual.exit_code
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    failures
}

#[test]
fn sqlite3_prints_what_the_real_cli_prints() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/sqlite3_cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases.iter().flat_map(|c| check(c)).collect();
    assert!(failures.is_empty(), "{} difference(s):\n\n{}", failures.len(), failures.join("\n\n"));
}
