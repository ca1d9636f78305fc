//! The guides' walkthroughs (`../shared/seeds/`), run through the real
//! `driftlab` binary: every `tests/walkthroughs/NAME.txt` is one walkthrough,
//! typed command by command into `driftlab shell` on a folder made by
//! `driftlab new`, with the guide's file edits made on disk between commands.
//! Each command's stdout, stderr and exit code must be what the transcript
//! says; where `NAME.real.json` holds what the real tools printed for the
//! same line (`record.py`: Alembic 1.20.1, bash, sqlite3 3.40.1, Python
//! 3.11), driftlab must print that too.
//!
//! The format; the first line says what the walkthrough shows:
//!
//! ```text
//! # a comment (it belongs to the step below it)
//! $ a command line, as typed    (`$ ^C` is Ctrl+C: it stops the running app)
//! its stdout, line by line      ("| " goes before a line that would read as markup)
//! ! its stderr, line by line    ("!" alone: an empty line)
//! \ no newline                  (the line above ends without "\n")
//! [exit 1]                      (only when not 0)
//! @ write PATH FILE             (PATH in the project becomes walkthroughs/files/FILE)
//! @ replace PATH                (the lines up to "@ with", which must occur in
//!                                PATH exactly once, become the lines up to "@ end")
//! ```
//!
//! How lines reach the CLI: each command line is a `driftlab shell` process of
//! its own (its stdin: that line), so the line's exit code is the process's. A
//! line that starts the app (`uvicorn`) shares its process with the lines
//! after it up to `$ ^C`, since the app lives in the shell that started it;
//! their outputs are told apart by a marker line sent after each of them. A
//! running server has no exit status yet, so those lines show none; `$ ^C`
//! shows the process's. Edits are made on disk between processes (the shell
//! reads the folder when it starts), so none may fall among an app's lines:
//! stop the app first, as the guides do.
//!
//! What varies from run to run is normalised first: the project folder
//! (`<PROJECT>`), Python's prefix (`<VENV>`: the oracle's venv there, the system
//! `/usr/local` here), `Create Date:` (`<DATE>`), process ids (`process [<PID>]`),
//! the client's port in uvicorn's access log (`127.0.0.1:<PORT>`) and
//! timestamps from the clock (`<NOW>`).
//!
//! `UPDATE_EXPECT=1` rewrites the outputs from what driftlab prints (`WALKTHROUGH=NAME`:
//! only that one); review
//! every changed line against the guide and the real tools before committing.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use driftlab::engine::CommandOutput;

const DRIFTLAB: &str = env!("CARGO_BIN_EXE_driftlab");
/// The line `driftlab shell` reads as Ctrl+C.
const CTRL_C: &str = "^C";
/// Printed to both streams after a line that shares its process, to know where its output ends.
const MARKER: &str = "walkthrough-step-done";
/// How long one line may take before the test gives up on it.
const LINE_TIMEOUT: Duration = Duration::from_secs(60);

struct Walkthrough {
    description: String,
    steps: Vec<Step>,
    /// Comments after the last step.
    trailing_comments: Vec<String>,
}

struct Step {
    comments: Vec<String>,
    action: Action,
}

enum Action {
    Run { line: String, expected: CommandOutput },
    Write { path: String, file: String },
    Replace { path: String, old: String, new: String },
}

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/walkthroughs")
}

// ------------------------------------------------------------ the format

fn starts_step(line: &str) -> bool {
    line.starts_with("$ ") || line.starts_with("@ ") || line.starts_with('#')
}

/// Whether a stdout line, written as is, would read as markup.
fn needs_escape(line: &str) -> bool {
    starts_step(line) || ["!", "|", "\\", "[exit "].iter().any(|p| line.starts_with(p))
}

fn read_output(lines: &[&str]) -> CommandOutput {
    let mut out = CommandOutput::default();
    // Which stream the previous line went to, for `\ no newline`.
    let mut last_was_stderr = false;
    for line in lines {
        if let Some(code) = line.strip_prefix("[exit ").and_then(|l| l.strip_suffix(']')) {
            out.exit_code = code.parse().unwrap_or_else(|_| panic!("bad exit line {line:?}"));
        } else if *line == "\\ no newline" {
            let stream = if last_was_stderr { &mut out.stderr } else { &mut out.stdout };
            assert_eq!(stream.pop(), Some('\n'), "'\\ no newline' must follow an output line");
        } else if *line == "!" || line.starts_with("! ") {
            out.stderr.push_str(line.get(2..).unwrap_or(""));
            out.stderr.push('\n');
            last_was_stderr = true;
        } else {
            out.stdout.push_str(line.strip_prefix("| ").unwrap_or(line));
            out.stdout.push('\n');
            last_was_stderr = false;
        }
    }
    out
}

fn write_output(out: &CommandOutput) -> String {
    let mut text = String::new();
    for (stream, is_stderr) in [(&out.stdout, false), (&out.stderr, true)] {
        for line in stream.split_inclusive('\n') {
            let content = line.strip_suffix('\n').unwrap_or(line);
            match (is_stderr, content.is_empty()) {
                (true, true) => text.push_str("!\n"),
                (true, false) => text.push_str(&format!("! {content}\n")),
                (false, _) if needs_escape(content) => text.push_str(&format!("| {content}\n")),
                (false, _) => text.push_str(&format!("{content}\n")),
            }
            if !line.ends_with('\n') {
                text.push_str("\\ no newline\n");
            }
        }
    }
    if out.exit_code != 0 {
        text.push_str(&format!("[exit {}]\n", out.exit_code));
    }
    text
}

fn parse(name: &str, text: &str) -> Walkthrough {
    let lines: Vec<&str> = text.lines().collect();
    let description = lines.first().unwrap_or_else(|| panic!("{name}: empty")).to_string();
    let at = |i: usize| format!("{name}.txt:{}", i + 1);
    let until = |from: usize, marker: &str| {
        (from..lines.len()).find(|&j| lines[j] == marker).unwrap_or_else(|| panic!("{}: no {marker:?} after this", at(from - 1)))
    };
    let joined = |ls: &[&str]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut steps = Vec::new();
    let mut comments = Vec::new();
    let mut i = 1;
    while i < lines.len() {
        let line = lines[i];
        let action = if line.starts_with('#') {
            comments.push(line.to_string());
            i += 1;
            continue;
        } else if let Some(command) = line.strip_prefix("$ ") {
            let end = (i + 1..lines.len()).find(|&j| starts_step(lines[j])).unwrap_or(lines.len());
            let expected = read_output(&lines[i + 1..end]);
            i = end;
            Action::Run { line: command.to_string(), expected }
        } else if let Some(rest) = line.strip_prefix("@ write ") {
            let (path, file) = rest.split_once(' ').unwrap_or_else(|| panic!("{}: `@ write PATH FILE`", at(i)));
            i += 1;
            Action::Write { path: path.to_string(), file: file.to_string() }
        } else if let Some(path) = line.strip_prefix("@ replace ") {
            let with = until(i + 1, "@ with");
            let end = until(with + 1, "@ end");
            let action = Action::Replace { path: path.to_string(), old: joined(&lines[i + 1..with]), new: joined(&lines[with + 1..end]) };
            i = end + 1;
            action
        } else {
            panic!("{}: expected `$ COMMAND`, `@ write`, `@ replace` or `#`, found {line:?}", at(i));
        };
        steps.push(Step { comments: std::mem::take(&mut comments), action });
    }
    Walkthrough { description, steps, trailing_comments: comments }
}

/// The transcript again, with `outputs` (one per step; `None` for edits) in place of the expected ones.
fn render(walkthrough: &Walkthrough, outputs: &[Option<CommandOutput>]) -> String {
    let mut text = format!("{}\n", walkthrough.description);
    for (step, output) in walkthrough.steps.iter().zip(outputs) {
        for comment in &step.comments {
            text.push_str(&format!("{comment}\n"));
        }
        match (&step.action, output) {
            (Action::Run { line, .. }, Some(output)) => text.push_str(&format!("$ {line}\n{}", write_output(output))),
            (Action::Write { path, file }, _) => text.push_str(&format!("@ write {path} {file}\n")),
            (Action::Replace { path, old, new }, _) => text.push_str(&format!("@ replace {path}\n{old}@ with\n{new}@ end\n")),
            (Action::Run { line, .. }, None) => unreachable!("`{line}` has no output"),
        }
    }
    for comment in &walkthrough.trailing_comments {
        text.push_str(&format!("{comment}\n"));
    }
    text
}

// ------------------------------------------------------------ running the CLI

/// Whether the line runs `uvicorn` (also as `uv run uvicorn`, `python -m uvicorn`).
fn starts_app(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let command = match words.as_slice() {
        ["uv", "run", rest @ ..] | ["python" | "python3", "-m", rest @ ..] => rest,
        all => all,
    };
    command.first() == Some(&"uvicorn")
}

fn spawn_shell(project: &Path) -> Child {
    Command::new(DRIFTLAB)
        .arg("shell")
        .arg("--project")
        .arg(project)
        .current_dir(project)
        // Python's prefix is then the system one, `/usr/local` (see `normalise`).
        .env_remove("VIRTUAL_ENV")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("driftlab shell starts")
}

/// One line in a `driftlab shell` of its own.
fn run_alone(project: &Path, line: &str) -> CommandOutput {
    let mut child = spawn_shell(project);
    child.stdin.take().unwrap().write_all(format!("{line}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    CommandOutput {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        exit_code: out.status.code().expect("driftlab exits with a code"),
    }
}

/// A stream of the child's output, read on a thread so neither pipe fills up.
struct Stream {
    chunks: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl Stream {
    fn new(mut pipe: impl Read + Send + 'static) -> Self {
        let (sender, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                if sender.send(buffer[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Stream { chunks, pending: Vec::new() }
    }

    /// What was written before the marker line (which it consumes).
    fn until_marker(&mut self, line: &str) -> String {
        let marker = format!("{MARKER}\n");
        while !self.pending.ends_with(marker.as_bytes()) {
            match self.chunks.recv_timeout(LINE_TIMEOUT) {
                Ok(chunk) => self.pending.extend(chunk),
                Err(_) => panic!("`{line}`: no end marker; so far: {:?}", String::from_utf8_lossy(&self.pending)),
            }
        }
        let text = String::from_utf8_lossy(&self.pending[..self.pending.len() - marker.len()]).into_owned();
        self.pending.clear();
        text
    }

    /// Everything up to the end of the stream.
    fn rest(&mut self) -> String {
        while let Ok(chunk) = self.chunks.recv_timeout(LINE_TIMEOUT) {
            self.pending.extend(chunk);
        }
        String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned()
    }
}

/// Lines that share one `driftlab shell` (an app and what follows it, up to Ctrl+C).
fn run_together(project: &Path, lines: &[&str]) -> Vec<CommandOutput> {
    let mut child = spawn_shell(project);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = Stream::new(child.stdout.take().unwrap());
    let mut stderr = Stream::new(child.stderr.take().unwrap());
    let mut outputs = Vec::new();
    let (last, before) = lines.split_last().expect("at least one line");
    for line in before {
        writeln!(stdin, "{line}\necho {MARKER}; echo {MARKER} >&2").unwrap();
        stdin.flush().unwrap();
        outputs.push(CommandOutput { stdout: stdout.until_marker(line), stderr: stderr.until_marker(line), exit_code: 0 });
    }
    writeln!(stdin, "{last}").unwrap();
    drop(stdin);
    let (out, err) = (stdout.rest(), stderr.rest());
    let status = child.wait().unwrap();
    outputs.push(CommandOutput { stdout: out, stderr: err, exit_code: status.code().expect("driftlab exits with a code") });
    outputs
}

/// Where the lines from `start` (which starts the app) stop sharing its shell: after `$ ^C`.
fn app_lines_end(name: &str, steps: &[Step], start: usize) -> usize {
    for (i, step) in steps.iter().enumerate().skip(start + 1) {
        match &step.action {
            Action::Run { line, .. } if line.trim() == CTRL_C => return i + 1,
            Action::Run { .. } => {}
            Action::Write { path, .. } | Action::Replace { path, .. } => {
                panic!("{name}: {path} is edited while the app runs; stop it first (`$ ^C`)")
            }
        }
    }
    steps.len()
}

fn edit(project: &Path, action: &Action) {
    match action {
        Action::Write { path, file } => {
            let target = project.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(folder().join("files").join(file), &target).unwrap_or_else(|e| panic!("@ write {path} {file}: {e}"));
        }
        Action::Replace { path, old, new } => {
            let text = std::fs::read_to_string(project.join(path)).unwrap_or_else(|e| panic!("@ replace {path}: {e}"));
            let found = text.matches(old.as_str()).count();
            assert_eq!(found, 1, "@ replace {path}: the old text occurs {found} times, not once:\n{old}");
            std::fs::write(project.join(path), text.replacen(old.as_str(), new, 1)).unwrap();
        }
        Action::Run { .. } => unreachable!(),
    }
}

/// Runs every step in a new starter project; each command's output, normalised.
fn run(name: &str, walkthrough: &Walkthrough) -> Vec<Option<CommandOutput>> {
    let scratch = std::env::temp_dir().join(format!("driftlab-walkthrough-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let project = scratch.join("todo-app");
    let created = Command::new(DRIFTLAB).arg("new").arg(&project).output().unwrap();
    assert!(created.status.success(), "driftlab new: {}", String::from_utf8_lossy(&created.stderr));
    let root = project.to_string_lossy().into_owned();
    let steps = &walkthrough.steps;
    let mut outputs: Vec<Option<CommandOutput>> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        let Action::Run { line, .. } = &steps[i].action else {
            edit(&project, &steps[i].action);
            outputs.push(None);
            i += 1;
            continue;
        };
        let end = if starts_app(line) { app_lines_end(name, steps, i) } else { i + 1 };
        let lines: Vec<&str> = steps[i..end]
            .iter()
            .map(|s| match &s.action {
                Action::Run { line, .. } => line.as_str(),
                _ => unreachable!(),
            })
            .collect();
        let printed = if lines.len() == 1 { vec![run_alone(&project, lines[0])] } else { run_together(&project, &lines) };
        outputs.extend(printed.into_iter().map(|out| {
            Some(CommandOutput { stdout: normalise(&out.stdout, &root), stderr: normalise(&out.stderr, &root), exit_code: out.exit_code })
        }));
        i = end;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    outputs
}

// ------------------------------------------------------------ normalising

/// Replaces what varies from run to run (see the module comment).
fn normalise(text: &str, root: &str) -> String {
    // The real tools ran from the oracle's venv; driftlab's Python is the system one.
    let text = text.replace(root, "<PROJECT>").replace("/usr/local/lib/python3.11/", "<VENV>/lib/python3.11/");
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let line = match line.find("Create Date: ") {
            Some(i) => format!("{}Create Date: <DATE>{}", &line[..i], if line.ends_with('\n') { "\n" } else { "" }),
            None => line.to_string(),
        };
        let line = replace_number(&line, "process [", "]", "<PID>");
        // The client's port in uvicorn's access log.
        let line = replace_number(&line, "127.0.0.1:", " - \"", "<PORT>");
        out.push_str(&replace_timestamps(&line));
    }
    out
}

/// `{before}1234{after}` → `{before}{placeholder}{after}`, wherever it occurs.
fn replace_number(line: &str, before: &str, after: &str, placeholder: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find(before) {
        let (head, tail) = rest.split_at(i + before.len());
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && tail[digits..].starts_with(after) {
            out.push_str(placeholder);
            rest = &tail[digits..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// `2026-11-22 06:45:04` or `2026-11-22T06:45:04.123456` → `<NOW>`.
fn replace_timestamps(line: &str) -> String {
    const SHAPE: &[u8] = b"dddd-dd-dd?dd:dd:dd";
    let bytes = line.as_bytes();
    let matches_at = |i: usize| {
        bytes.len() >= i + SHAPE.len()
            && SHAPE.iter().zip(&bytes[i..]).all(|(shape, b)| match shape {
                b'd' => b.is_ascii_digit(),
                b'?' => *b == b' ' || *b == b'T',
                other => other == b,
            })
    };
    let mut out = String::new();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if matches_at(i) {
            let mut end = i + SHAPE.len();
            if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end += 1 + bytes[end + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
            }
            out.push_str(&line[copied..i]);
            out.push_str("<NOW>");
            i = end;
            copied = end;
        } else {
            i += 1;
        }
    }
    out.push_str(&line[copied..]);
    out
}

/// The last frame of a traceback when it is in the project's files (not the
/// venv's, not `<frozen ...>`): its `File` line, source line and carets.
fn innermost_project_frame(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().rposition(|l| l.starts_with("  File \""))?;
    if !lines[at].starts_with("  File \"<PROJECT>/") {
        return None;
    }
    let frame: Vec<&str> = lines[at..].iter().take_while(|l| l.starts_with("  ")).copied().collect();
    Some(frame.iter().map(|l| format!("{l}\n")).collect())
}

/// Real tracebacks list frames (`  File "...", line N` and the source under
/// them) that depend on the installed packages; driftlab prints none. The
/// oracle's replay compares without them, and so does this test.
fn without_frames(text: &str) -> String {
    if !text.contains("Traceback (most recent call last):") {
        return text.to_string();
    }
    let mut out = String::new();
    let mut in_frame = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("  File \"") {
            in_frame = true;
        } else if !(in_frame && line.starts_with("    ")) {
            in_frame = false;
            out.push_str(line);
        }
    }
    out
}

// ------------------------------------------------------------ checking

fn side_by_side(title: &str, left: (&str, &CommandOutput), right: (&str, &CommandOutput)) -> String {
    format!("{title}\n--- {}\n{}--- {}\n{}", left.0, write_output(left.1), right.0, write_output(right.1))
}

/// The real tools' output for each step, from `NAME.real.json`; `None` for
/// edits and for what `record.py` could not record (the app).
fn real_outputs(name: &str, walkthrough: &Walkthrough) -> Vec<Option<CommandOutput>> {
    let path = folder().join(format!("{name}.real.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no {name}.real.json: run tests/walkthroughs/record.py {name}"));
    let records: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let commands = walkthrough.steps.iter().filter(|s| matches!(s.action, Action::Run { .. })).count();
    assert_eq!(records.len(), commands, "{name}.real.json is out of step: run record.py");
    let mut records = records.into_iter();
    walkthrough
        .steps
        .iter()
        .map(|step| {
            let Action::Run { line, .. } = &step.action else { return None };
            let record = records.next().unwrap_or_else(|| panic!("{name}.real.json ends before `{line}`: run record.py"));
            assert_eq!(record["command"], line.as_str(), "{name}.real.json is out of step: run record.py");
            let text = |field: &str| record[field].as_str().map(str::to_string);
            Some(CommandOutput {
                stdout: text("stdout")?,
                stderr: text("stderr")?,
                exit_code: record["exit_code"].as_i64()? as i32,
            })
        })
        .collect()
}

/// Runs one walkthrough; every difference from the transcript and from the real tools.
fn check(name: &str, update: bool) -> Vec<String> {
    let path = folder().join(format!("{name}.txt"));
    let source = std::fs::read_to_string(&path).unwrap();
    let walkthrough = parse(name, &source);
    let outputs = run(name, &walkthrough);
    let real = real_outputs(name, &walkthrough);
    let mut failures = Vec::new();
    for ((step, got), real) in walkthrough.steps.iter().zip(&outputs).zip(&real) {
        let (Action::Run { line, expected }, Some(got)) = (&step.action, got) else { continue };
        if !update && expected != got {
            failures.push(side_by_side(&format!("{name}: $ {line}"), ("transcript", expected), ("driftlab", got)));
        }
        if let Some(real) = real {
            let comparable = |out: &CommandOutput| CommandOutput { stdout: without_frames(&out.stdout), stderr: without_frames(&out.stderr), exit_code: out.exit_code };
            if comparable(real) != comparable(got) {
                failures.push(side_by_side(&format!("{name}: $ {line} (against the real tools)"), ("real", real), ("driftlab", got)));
            }
            // Where the exception was raised in the project's own code, driftlab shows that frame as Python does.
            if let Some(frame) = innermost_project_frame(&real.stderr) {
                if innermost_project_frame(&got.stderr).as_deref() != Some(frame.as_str()) {
                    failures.push(format!("{name}: $ {line}: the innermost frame, in the project, is\n{frame}but driftlab printed\n{}", got.stderr));
                }
            }
        }
    }
    let rendered = render(&walkthrough, &outputs);
    if update && rendered != source {
        std::fs::write(&path, rendered).unwrap();
    }
    failures
}

#[test]
fn the_guides_walkthroughs_run_through_driftlab_shell_as_the_real_tools_print_them() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<String> = std::fs::read_dir(folder())
        .unwrap()
        .filter_map(|entry| entry.unwrap().file_name().to_string_lossy().strip_suffix(".txt").map(str::to_string))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no walkthroughs in {}", folder().display());
    // `WALKTHROUGH=NAME` checks (or with UPDATE_EXPECT, rewrites) only that one.
    if let Ok(only) = std::env::var("WALKTHROUGH") {
        names.retain(|n| *n == only);
    }
    let failures: Vec<String> = names.iter().flat_map(|name| check(name, update)).collect();
    assert!(failures.is_empty(), "{} differences:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn outputs_survive_a_round_trip_through_the_format() {
    let output = CommandOutput {
        stdout: "# a comment in a file\n$ not a command\n| bar\n[exit 3]\nplain\n\nno newline".into(),
        stderr: "! bang\n\nlast".into(),
        exit_code: 3,
    };
    let text = format!("about\n$ cat x\n{}", write_output(&output));
    let walkthrough = parse("round-trip", &text);
    let [Step { action: Action::Run { expected, .. }, .. }] = walkthrough.steps.as_slice() else { panic!("one step") };
    assert_eq!(*expected, output);
}

#[test]
fn what_varies_between_runs_is_normalised() {
    let text = "INFO:     Started server process [4242]\nCreate Date: 2026-11-22 06:45:04.610058\nat 2026-11-22T06:45:04 in /tmp/x/todo-app/a.py\nINFO:     127.0.0.1:51697 - \"GET /todos HTTP/1.1\" 200 OK\n";
    assert_eq!(
        normalise(text, "/tmp/x/todo-app"),
        "INFO:     Started server process [<PID>]\nCreate Date: <DATE>\nat <NOW> in <PROJECT>/a.py\nINFO:     127.0.0.1:<PORT> - \"GET /todos HTTP/1.1\" 200 OK\n"
    );
}
