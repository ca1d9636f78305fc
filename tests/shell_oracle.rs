//! The shell commands against real bash 5.2 and GNU coreutils 9.1: every case
//! file in `tests/shell_cases/` describes a file tree and command lines; each
//! line runs in a fresh `bash -c` (in a temporary folder holding that tree,
//! with the current and previous directory and the variables the lines set,
//! exported or not, carried from line to line) and in a driftlab session over
//! the same tree, comparing stdout, stderr, the exit code and then the whole
//! tree. Adding a case means adding a file.
//!
//! Case file format:
//!
//! ```text
//! # what the case covers
//! [tree]
//! app/main.py: print("hi")\n      a file and its content (\n, \t, \\ escapes)
//! todos.db                         an empty file
//! alembic/versions/                a directory
//! [commands]
//! ls alembic                       compared as is
//! ~ find . -name "*.py"            stdout compared as sorted lines (find follows disk order)
//! @tty ls                          driftlab as a terminal; real ls gets -C (column layout)
//! @long ls -la                     `ls -l` output compared structurally (owner, date differ)
//! ```
//!
//! Bash's messages are compared as an interactive bash prints them: the
//! `line N:` and `-c:` parts of `bash -c`'s messages and its echo of a line with
//! a syntax error are dropped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use driftlab::engine::{CommandOutput, Project, Session};

/// How a command's output is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exact,
    SortedLines,
    Terminal,
    LongListing,
}

struct Case {
    tree: Vec<(String, Option<Vec<u8>>)>,
    commands: Vec<(Mode, String)>,
}

fn unescape(text: &str) -> Vec<u8> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out.into_bytes()
}

fn read_case(text: &str) -> Case {
    let mut case = Case { tree: Vec::new(), commands: Vec::new() };
    let mut section = "";
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = if line == "[tree]" { "tree" } else { "commands" };
            continue;
        }
        if section == "tree" {
            if let Some(dir) = line.strip_suffix('/') {
                case.tree.push((dir.to_string(), None));
            } else if let Some((path, content)) = line.split_once(": ") {
                case.tree.push((path.to_string(), Some(unescape(content))));
            } else {
                case.tree.push((line.trim_end_matches(':').to_string(), Some(Vec::new())));
            }
            continue;
        }
        let (mode, command) = if let Some(rest) = line.strip_prefix("~ ") {
            (Mode::SortedLines, rest)
        } else if let Some(rest) = line.strip_prefix("@tty ") {
            (Mode::Terminal, rest)
        } else if let Some(rest) = line.strip_prefix("@long ") {
            (Mode::LongListing, rest)
        } else {
            (Mode::Exact, line)
        };
        case.commands.push((mode, command.to_string()));
    }
    case
}

/// What the shell remembers between lines, carried from one `bash -c` to the next.
struct RealShell {
    root: PathBuf,
    cwd: String,
    previous: Option<String>,
    state_file: PathBuf,
    /// `declare -p` lines of the variables the lines set, sourced by the next line.
    vars_file: PathBuf,
}

impl RealShell {
    fn run(&mut self, mode: Mode, line: &str) -> CommandOutput {
        let mut script = String::new();
        if mode == Mode::Terminal {
            // What ls prints to a terminal is its -C layout; a later -1 or -l still wins.
            script.push_str("ls() { command ls -C \"$@\"; }\n");
        }
        // The variables the earlier lines set (those bash had at the start aside).
        script.push_str("__before=\" $(compgen -v | tr '\\n' ' ') \"\n[ -f \"$DRIFTLAB_VARS\" ] && . \"$DRIFTLAB_VARS\"; :\n");
        script.push_str("__save() { for __v in $(compgen -v); do case \"$__before\" in *\" $__v \"*) ;; *) [ \"${__v#__}\" = \"$__v\" ] && declare -p \"$__v\";; esac; done > \"$DRIFTLAB_VARS\"; }\n");
        script.push_str("trap 'printf \"%s\\n%s\\n\" \"$PWD\" \"$OLDPWD\" > \"$DRIFTLAB_STATE\"; __save' EXIT\n");
        script.push_str(line);
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(&script)
            .current_dir(&self.cwd)
            .env_clear()
            .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .env("LC_ALL", "C.UTF-8")
            .env("COLUMNS", "80")
            .env("HOME", &self.root)
            .env("PWD", &self.cwd)
            .env("DRIFTLAB_STATE", &self.state_file)
            .env("DRIFTLAB_VARS", &self.vars_file)
            .stdin(Stdio::null());
        if let Some(previous) = &self.previous {
            command.env("OLDPWD", previous);
        }
        let output = command.output().expect("bash runs");
        let state = std::fs::read_to_string(&self.state_file).unwrap_or_default();
        let mut lines = state.lines();
        if let Some(cwd) = lines.next().filter(|c| !c.is_empty()) {
            self.cwd = cwd.to_string();
        }
        self.previous = lines.next().filter(|p| !p.is_empty()).map(str::to_string);
        CommandOutput {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: interactive_messages(&String::from_utf8_lossy(&output.stderr)),
            exit_code: output.status.code().unwrap_or(-1),
        }
    }
}

/// Rewrites `bash -c`'s messages as an interactive bash prints them.
fn interactive_messages(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.split_inclusive('\n') {
        let Some(rest) = line.strip_prefix("bash: ") else {
            out.push_str(line);
            continue;
        };
        let rest = rest.strip_prefix("-c: ").unwrap_or(rest);
        let rest = match rest.strip_prefix("line ") {
            Some(numbered) => match numbered.split_once(": ") {
                Some((number, message)) if number.chars().all(|c| c.is_ascii_digit()) => message,
                _ => rest,
            },
            None => rest,
        };
        if rest.starts_with('`') {
            continue; // the echo of a line with a syntax error
        }
        out.push_str("bash: ");
        out.push_str(rest);
    }
    out
}

/// `ls -l` output reduced to what must agree: per line the mode and name (and
/// a file's size); the total line's presence.
fn long_listing_shape(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            if line.starts_with("total ") {
                return "total".to_string();
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 9 || !(line.starts_with('-') || line.starts_with('d')) {
                return line.to_string(); // a header or a blank line
            }
            let name = fields[8..].join(" ");
            if line.starts_with('d') {
                format!("{} {name}", fields[0])
            } else {
                format!("{} {} {name}", fields[0], fields[4])
            }
        })
        .collect()
}

/// driftlab's own `ls -l` rules: the fixed owner, and names in one column per block.
fn check_long_listing_format(stdout: &str) -> Result<(), String> {
    let mut name_column: Option<usize> = None;
    for line in stdout.lines() {
        if !(line.starts_with('-') || line.starts_with('d')) {
            name_column = None;
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 9 || fields[2] != "learner" || fields[3] != "learner" {
            return Err(format!("not an `ls -l` line with owner learner learner: {line:?}"));
        }
        // The date is `Mon DD HH:MM`, so the name starts after the time field.
        let time_end = line.find(fields[7]).map(|i| i + fields[7].len() + 1).unwrap_or(0);
        match name_column {
            Some(column) if column != time_end => return Err(format!("misaligned `ls -l` line: {line:?}")),
            _ => name_column = Some(time_end),
        }
    }
    Ok(())
}

fn tree_on_disk(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut tree = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                tree.insert(relative, None);
                pending.push(path);
            } else {
                tree.insert(relative, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    tree
}

fn tree_in_project(project: &Project) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut tree: BTreeMap<String, Option<Vec<u8>>> = project.dirs().map(|d| (d.to_string(), None)).collect();
    tree.extend(project.files().map(|(path, bytes)| (path.to_string(), Some(bytes.to_vec()))));
    tree
}

fn show(output: &CommandOutput) -> String {
    format!("stdout: {:?}\nstderr: {:?}\nexit: {}", output.stdout, output.stderr, output.exit_code)
}

fn check(case_path: &Path) -> Vec<String> {
    let case = read_case(&std::fs::read_to_string(case_path).unwrap());
    let name = case_path.file_stem().unwrap().to_string_lossy().into_owned();
    let base = std::env::temp_dir().join(format!("driftlab-shell-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("project");
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.canonicalize().unwrap();
    let mut project = Project::new();
    for (path, content) in &case.tree {
        match content {
            None => {
                std::fs::create_dir_all(dir.join(path)).unwrap();
                project.create_dir_all(path);
            }
            Some(bytes) => {
                std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
                std::fs::write(dir.join(path), bytes).unwrap();
                project.write(path, bytes.clone());
            }
        }
    }
    let root = dir.to_string_lossy().into_owned();
    let mut session = Session::new(project);
    session.set_root(root.clone());
    session.set_terminal(false);
    let mut real = RealShell { root: dir.clone(), cwd: root, previous: None, state_file: base.join("state"), vars_file: base.join("vars") };

    let mut failures = Vec::new();
    for (mode, line) in &case.commands {
        let expected = real.run(*mode, line);
        session.set_terminal(*mode == Mode::Terminal);
        let actual = session.run_line(line);
        session.set_terminal(false);
        let (expected_stdout, actual_stdout) = match mode {
            Mode::SortedLines => {
                let sorted = |text: &str| {
                    let mut lines: Vec<&str> = text.lines().collect();
                    lines.sort();
                    lines.join("\n")
                };
                (sorted(&expected.stdout), sorted(&actual.stdout))
            }
            Mode::LongListing => {
                if let Err(problem) = check_long_listing_format(&actual.stdout) {
                    failures.push(format!("{}: `{line}`: {problem}", case_path.display()));
                }
                (long_listing_shape(&expected.stdout).join("\n"), long_listing_shape(&actual.stdout).join("\n"))
            }
            Mode::Exact | Mode::Terminal => (expected.stdout.clone(), actual.stdout.clone()),
        };
        let same = expected_stdout == actual_stdout
            && expected.stderr == actual.stderr
            && expected.exit_code == actual.exit_code;
        if !same {
            failures.push(format!(
                "{}: `{line}`\n--- expected (real bash)\n{}\n--- actual (driftlab)\n{}",
                case_path.display(),
                show(&expected),
                show(&actual)
            ));
        }
        let on_disk = tree_on_disk(&dir);
        let in_project = tree_in_project(&session.project);
        if on_disk != in_project {
            let differing: Vec<&String> =
                on_disk.keys().chain(in_project.keys()).filter(|k| on_disk.get(*k) != in_project.get(*k)).collect();
            failures.push(format!("{}: after `{line}` the trees differ at {differing:?}", case_path.display()));
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    failures
}

#[test]
fn shell_commands_print_what_bash_and_coreutils_print() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/shell_cases");
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
