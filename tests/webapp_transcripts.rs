//! Transcripts of the running app (`tests/webapp_cases/*.txt`): command
//! lines typed into a `Session` on the starter project (FixedHost clock
//! and process ids), Ctrl+C, editor saves and file edits, each followed by
//! exactly what it printed. The format, one case per file:
//!
//! ```text
//! One line saying what the case shows.
//! # a comment (also separates steps)
//! $ a command line
//! its stdout, line by line
//! ! its stderr, line by line ("!" alone: an empty line)
//! \ no newline        (the stdout line above ends without "\n")
//! [exit 3]            (only when not 0)
//! @ ctrl-c            (Session::interrupt; its output follows)
//! @ saved main.py     (Session::files_changed; its output follows)
//! @ status            (Session::app_status's summary on stdout, or nothing)
//! @ write PATH        (the following lines, up to "@ end", become the file)
//! @ replace PATH      (the following text, up to "@ with", is replaced by
//!                      the text up to "@ end")
//! ```
//!
//! Set UPDATE_EXPECT=1 to rewrite the outputs from what driftlab prints,
//! then review every change by eye against recordings of the real tools.

use std::path::{Path, PathBuf};

use driftlab::engine::{starter, CommandOutput, Session};

/// One step of a transcript and what it printed.
enum Step {
    Run { line: String, expected: CommandOutput },
    Interrupt { expected: CommandOutput },
    Saved { paths: Vec<String>, expected: CommandOutput },
    Status { expected: CommandOutput },
    Write { path: String, text: String },
    Replace { path: String, old: String, new: String },
}

struct Case {
    description: String,
    steps: Vec<Step>,
}

fn is_directive(line: &str) -> bool {
    line.starts_with("$ ") || line.starts_with("@ ") || line.starts_with('#')
}

/// Reads an expected-output block.
fn read_output(lines: &[&str]) -> CommandOutput {
    let mut out = CommandOutput::default();
    for line in lines {
        if let Some(code) = line.strip_prefix("[exit ").and_then(|l| l.strip_suffix(']')) {
            out.exit_code = code.parse().expect("exit code");
        } else if *line == "\\ no newline" {
            assert!(out.stdout.ends_with('\n'), "'\\ no newline' must follow a stdout line");
            out.stdout.pop();
        } else if *line == "!" {
            out.stderr.push('\n');
        } else if let Some(text) = line.strip_prefix("! ") {
            out.stderr.push_str(text);
            out.stderr.push('\n');
        } else {
            out.stdout.push_str(line);
            out.stdout.push('\n');
        }
    }
    out
}

fn write_output(out: &CommandOutput) -> String {
    let mut text = String::new();
    for line in out.stdout.split_inclusive('\n') {
        text.push_str(line.strip_suffix('\n').unwrap_or(line));
        text.push('\n');
        if !line.ends_with('\n') {
            text.push_str("\\ no newline\n");
        }
    }
    for line in out.stderr.split_inclusive('\n') {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.is_empty() {
            text.push_str("!\n");
        } else {
            text.push_str(&format!("! {line}\n"));
        }
    }
    if out.exit_code != 0 {
        text.push_str(&format!("[exit {}]\n", out.exit_code));
    }
    text
}

fn parse(text: &str) -> Case {
    let lines: Vec<&str> = text.lines().collect();
    let description = lines.first().expect("a description line").to_string();
    let mut steps = Vec::new();
    let mut i = 1;
    let block_end = |from: usize| (from..lines.len()).find(|&j| is_directive(lines[j])).unwrap_or(lines.len());
    let until = |from: usize, marker: &str| (from..lines.len()).find(|&j| lines[j] == marker).unwrap_or_else(|| panic!("missing {marker}"));
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with('#') {
            i += 1;
        } else if let Some(command) = line.strip_prefix("$ ") {
            let end = block_end(i + 1);
            steps.push(Step::Run { line: command.to_string(), expected: read_output(&lines[i + 1..end]) });
            i = end;
        } else if line == "@ ctrl-c" || line == "@ status" || line.starts_with("@ saved ") {
            let end = block_end(i + 1);
            let expected = read_output(&lines[i + 1..end]);
            steps.push(match line {
                "@ ctrl-c" => Step::Interrupt { expected },
                "@ status" => Step::Status { expected },
                _ => Step::Saved { paths: line["@ saved ".len()..].split_whitespace().map(str::to_string).collect(), expected },
            });
            i = end;
        } else if let Some(path) = line.strip_prefix("@ write ") {
            let end = until(i + 1, "@ end");
            steps.push(Step::Write { path: path.to_string(), text: lines[i + 1..end].iter().map(|l| format!("{l}\n")).collect() });
            i = end + 1;
        } else if let Some(path) = line.strip_prefix("@ replace ") {
            let with = until(i + 1, "@ with");
            let end = until(with + 1, "@ end");
            let join = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
            steps.push(Step::Replace { path: path.to_string(), old: join(&lines[i + 1..with]), new: join(&lines[with + 1..end]) });
            i = end + 1;
        } else {
            panic!("line {}: unexpected {line:?}", i + 1);
        }
    }
    Case { description, steps }
}

/// Runs a case; returns the transcript as driftlab prints it, and the mismatches.
fn run(case: &Case) -> (String, Vec<String>) {
    let mut session = Session::new(starter::project());
    let mut text = format!("{}\n", case.description);
    let mut mismatches = Vec::new();
    let mut check = |title: String, expected: &CommandOutput, actual: CommandOutput, text: &mut String| {
        text.push_str(&write_output(&actual));
        if *expected != actual {
            mismatches.push(format!(
                "{title}\n--- expected\n{}--- actual\n{}",
                write_output(expected),
                write_output(&actual)
            ));
        }
    };
    for step in &case.steps {
        match step {
            Step::Run { line, expected } => {
                text.push_str(&format!("$ {line}\n"));
                let actual = session.run_line(line);
                check(format!("$ {line}"), expected, actual, &mut text);
            }
            Step::Interrupt { expected } => {
                text.push_str("@ ctrl-c\n");
                let actual = session.interrupt();
                check("@ ctrl-c".into(), expected, actual, &mut text);
            }
            Step::Saved { paths, expected } => {
                text.push_str(&format!("@ saved {}\n", paths.join(" ")));
                let actual = session.files_changed(paths);
                check(format!("@ saved {}", paths.join(" ")), expected, actual, &mut text);
            }
            Step::Status { expected } => {
                text.push_str("@ status\n");
                let actual = CommandOutput::ok(session.app_status().map(|s| format!("{}\n", s.summary)).unwrap_or_default());
                check("@ status".into(), expected, actual, &mut text);
            }
            Step::Write { path, text: content } => {
                text.push_str(&format!("@ write {path}\n{content}@ end\n"));
                session.project.write(path, content.as_bytes());
            }
            Step::Replace { path, old, new } => {
                text.push_str(&format!("@ replace {path}\n{old}@ with\n{new}@ end\n"));
                let current = session.project.read_text(path).unwrap_or_else(|| panic!("{path} does not exist"));
                assert!(current.contains(old.as_str()), "{path} does not contain:\n{old}");
                session.project.write(path, current.replacen(old.as_str(), new, 1).as_bytes());
            }
        }
    }
    (text, mismatches)
}

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webapp_cases")
}

fn check_file(path: &Path, update: bool) -> Vec<String> {
    let source = std::fs::read_to_string(path).unwrap();
    let case = parse(&source);
    let (text, mismatches) = run(&case);
    // Comments are not part of the output: keep them where they were.
    let rewritten = keep_comments(&source, &text);
    if update && rewritten != source {
        std::fs::write(path, rewritten).unwrap();
        return Vec::new();
    }
    mismatches.into_iter().map(|m| format!("{}: {m}", path.display())).collect()
}

/// Puts the source's `#` lines back into a regenerated transcript, before the same step.
fn keep_comments(source: &str, generated: &str) -> String {
    /// Each step's index with the lines that start it, skipping file contents.
    fn step_starts(text: &str) -> Vec<(usize, bool)> {
        let mut marks = Vec::new();
        let mut in_block = false;
        for line in text.lines().skip(1) {
            if in_block {
                in_block = line != "@ end";
                marks.push((0, false));
                continue;
            }
            let starts = line.starts_with("$ ") || line.starts_with("@ ");
            in_block = line.starts_with("@ write ") || line.starts_with("@ replace ");
            marks.push((usize::from(starts), line.starts_with('#')));
        }
        marks
    }
    let source_lines: Vec<&str> = source.lines().skip(1).collect();
    let mut comments: Vec<Vec<&str>> = vec![Vec::new()];
    for (line, (starts, comment)) in source_lines.iter().zip(step_starts(source)) {
        if comment {
            comments.last_mut().unwrap().push(line);
        } else if starts == 1 {
            comments.push(Vec::new());
        }
    }
    let mut out = String::new();
    let mut lines = generated.lines();
    out.push_str(lines.next().unwrap_or_default());
    out.push('\n');
    let mut step = 0;
    for (line, (starts, _)) in lines.zip(step_starts(generated)) {
        if starts == 1 {
            for c in &comments[step] {
                out.push_str(c);
                out.push('\n');
            }
            step += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    for c in comments.get(step).into_iter().flatten() {
        out.push_str(c);
        out.push('\n');
    }
    out
}

#[test]
fn webapp_transcripts_print_what_the_real_tools_print() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(cases_dir()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", cases_dir().display());
    let failures: Vec<String> = paths.iter().flat_map(|p| check_file(p, update)).collect();
    assert!(failures.is_empty(), "{} mismatches:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The guide's check exactly as 000 section 5 step 8 writes it, newlines inside the quotes.
#[test]
fn the_guides_multi_line_python_check_runs() {
    let mut session = Session::new(starter::project());
    session.run_line("sqlite3 todos.db \"CREATE TABLE todos (id INTEGER); CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL); INSERT INTO alembic_version VALUES ('2026_02_21_001')\"");
    let line = "uv run python -c \"\nimport sqlite3\nconn = sqlite3.connect('todos.db')\nprint('Tables:', conn.execute(\\\"SELECT name FROM sqlite_master WHERE type='table'\\\").fetchall())\nprint('Version:', conn.execute('SELECT * FROM alembic_version').fetchall())\nconn.close()\n\"";
    let out = session.run_line(line);
    assert_eq!(out, CommandOutput::ok("Tables: [('todos',), ('alembic_version',)]\nVersion: [('2026_02_21_001',)]\n"));
}
