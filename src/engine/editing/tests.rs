//! Tests of the editor's engine: highlighting (kinds, and a partition of any
//! text), problems (placed where the readers' cases say, ranged as the
//! `tests/editing_cases/` expect), overlay runs, edits, buffers, the tree.

use std::path::{Path, PathBuf};

use super::*;
use crate::engine::project::Project;

fn manifest(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn case_files(folder: &str, extension: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(manifest(folder))
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    paths
}

// ---------------------------------------------------------------- highlighting

/// The spans as `kind:text` words, plain text left out.
fn coloured(source: &str, spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .filter(|s| s.kind != SpanKind::Plain)
        .map(|s| format!("{}:{}", s.kind.as_str(), &source[s.start..s.end]))
        .collect()
}

/// Checks the spans are a partition of the text: in order, contiguous, not
/// empty, on character boundaries, from 0 to the end.
fn assert_partition(source: &str, spans: &[Span]) {
    let mut at = 0;
    for span in spans {
        assert_eq!(span.start, at, "gap or overlap at {at} in {source:?}: {spans:?}");
        assert!(span.end > span.start, "empty span {span:?} in {source:?}");
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end), "{span:?} in {source:?}");
        at = span.end;
    }
    assert_eq!(at, source.len(), "not covered to the end: {source:?}");
}

#[test]
fn python_tokens_get_their_kinds() {
    let cases: &[(&str, &[&str])] = &[
        (
            "from sqlalchemy import Column, Integer\n",
            &["keyword:from", "name:sqlalchemy", "keyword:import", "type:Column", "punctuation:,", "type:Integer"],
        ),
        (
            "id = Column(Integer, primary_key=True)  # key\n",
            &["name:id", "operator:=", "type:Column", "punctuation:(", "type:Integer", "punctuation:,", "parameter:primary_key", "operator:=", "constant:True", "punctuation:)", "comment:# key"],
        ),
        ("@app.get(\"/todos\")\ndef list_todos(db):\n    return db\n", &[
            "decorator:@app.get", "punctuation:(", "string:\"/todos\"", "punctuation:)", "keyword:def", "function:list_todos",
            "punctuation:(", "name:db", "punctuation:):", "keyword:return", "name:db",
        ]),
        ("x = 1.5e3 + 0x1F\n", &["name:x", "operator:=", "number:1.5e3", "operator:+", "number:0x1F"]),
        ("DATABASE_URL = None\n", &["constant:DATABASE_URL", "operator:=", "constant:None"]),
        ("class Todo(Base):\n    __tablename__ = 'todos'\n", &[
            "keyword:class", "type:Todo", "punctuation:(", "type:Base", "punctuation:):",
            "builtin:__tablename__", "operator:=", "string:'todos'",
        ]),
        ("print(len(self.items))\n", &["function:print", "punctuation:(", "function:len", "punctuation:(", "builtin:self", "punctuation:.", "name:items", "punctuation:))"]),
        ("s = \"\"\"a\n'b'\n\"\"\"\n", &["name:s", "operator:=", "string:\"\"\"a\n'b'\n\"\"\""]),
        (
            "f\"Todo {todo_id!r:>4} not {{found}}\"\n",
            &["string:f\"Todo ", "punctuation:{", "name:todo_id", "string:!r:>4", "punctuation:}", "string: not {{found}}\""],
        ),
        ("f'{a[\"k\"] + 1}'\n", &["string:f'", "punctuation:{", "name:a", "punctuation:[", "string:\"k\"", "punctuation:]", "operator:+", "number:1", "punctuation:}", "string:'"]),
        ("x = $\n", &["name:x", "operator:=", "error:$"]),
        ("s = 'open\n", &["name:s", "operator:=", "string:'open"]),
    ];
    for (source, expected) in cases {
        let spans = highlight(source);
        assert_partition(source, &spans);
        assert_eq!(coloured(source, &spans), *expected, "for {source:?}");
    }
}

#[test]
fn other_files_get_a_small_highlighting() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "alembic.ini",
            "# A comment\n[alembic]\nscript_location = %(here)s/alembic\n  indented\n",
            &["comment:# A comment", "type:[alembic]", "parameter:script_location", "operator:=", "builtin:%(here)s"],
        ),
        (".env", "# secret\nDATABASE_URL=sqlite:///x.db\n", &["comment:# secret", "parameter:DATABASE_URL", "operator:=", "string:sqlite:///x.db"]),
        ("requirements.txt", "fastapi  # web\nsqlalchemy\n", &["comment:# web"]),
        ("alembic/script.py.mako", "## c\n\"\"\"${message}\"\"\"\n% if x:\n", &["comment:## c", "decorator:${message}", "keyword:% if x:"]),
        ("README.md", "# Title\nuse `alembic` here\n```\ncode\n```\n", &["keyword:# Title", "string:`alembic`", "comment:```", "string:code", "comment:```"]),
        ("notes", "anything at all", &[]),
    ];
    for (path, source, expected) in cases {
        let spans = highlight_file(path, source);
        assert_partition(source, &spans);
        assert_eq!(coloured(source, &spans), *expected, "for {path}");
    }
}

/// A small deterministic generator (no dependency): mutations to try.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Regression guard: highlighting never panics and always partitions the text,
/// on every Python case, its truncations and random damage.
#[test]
fn highlighting_partitions_any_text() {
    let pieces = ["{", "}", "'", "\"\"\"", "f\"", "\\", "\n", "(", "é", "🦀", "\r", "\t", "#", "@", ":", "{{", "$"];
    let mut rng = Lcg(7);
    let mut sources: Vec<String> = Vec::new();
    for folder in ["tests/python_cases/valid", "tests/python_cases/invalid"] {
        for path in case_files(folder, "py") {
            sources.push(std::fs::read_to_string(path).unwrap());
        }
    }
    assert!(sources.len() > 20, "the Python cases are missing");
    for source in &sources {
        let mut variants = vec![source.clone()];
        let boundaries: Vec<usize> = source.char_indices().map(|(i, _)| i).collect();
        for _ in 0..12 {
            if boundaries.is_empty() {
                break;
            }
            let at = boundaries[rng.next() % boundaries.len()];
            variants.push(source[..at].to_string());
            let mut damaged = source.clone();
            damaged.insert_str(at, pieces[rng.next() % pieces.len()]);
            variants.push(damaged);
        }
        for text in variants {
            for path in ["x.py", "alembic.ini", ".env", "script.py.mako", "README.md", "requirements.txt"] {
                assert_partition(&text, &highlight_file(path, &text));
            }
        }
    }
}

// ---------------------------------------------------------------- problems

/// A case file: a description, `--- path` sections (a path ending in `/` is
/// a folder), `--- expected`.
struct Case {
    description: String,
    files: Vec<(String, String)>,
    expected: String,
}

fn parse_case(text: &str) -> Case {
    let mut description = String::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut expected: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("--- ") {
            let name = name.trim().to_string();
            if name == "expected" {
                expected = Some(String::new());
            } else {
                files.push((name, String::new()));
            }
        } else if let Some(e) = expected.as_mut() {
            e.push_str(line);
        } else if let Some((_, content)) = files.last_mut() {
            content.push_str(line);
        } else {
            description.push_str(line);
        }
    }
    Case { description, files, expected: expected.unwrap_or_default() }
}

fn project_of(case: &Case) -> Project {
    let mut project = Project::new();
    for (name, content) in &case.files {
        match name.strip_suffix('/') {
            Some(folder) => project.create_dir_all(folder),
            None => project.write(name, content.as_bytes()),
        }
    }
    project
}

/// `file:line:col: message` (and `  hint: ...`) lines, as the readers' cases write them.
fn expected_diagnostics(text: &str) -> Vec<(String, usize, usize, String, Option<String>)> {
    let mut out: Vec<(String, usize, usize, String, Option<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(hint) = line.strip_prefix("  hint: ") {
            if let Some(last) = out.last_mut() {
                last.4 = Some(hint.to_string());
            }
            continue;
        }
        let mut parts = line.splitn(4, ':');
        let (Some(file), Some(l), Some(c), Some(message)) = (parts.next(), parts.next(), parts.next(), parts.next()) else { continue };
        let (Ok(l), Ok(c)) = (l.parse(), c.parse()) else { continue };
        out.push((file.to_string(), l, c, message.trim_start().to_string(), None));
    }
    out
}

/// Every diagnostic a reader's case expects is a problem of its file, at its place.
fn check_reader_cases(folder: &str, section: impl Fn(&str) -> &str) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in case_files(folder, "txt") {
        let case = parse_case(&std::fs::read_to_string(&path).unwrap());
        let project = project_of(&case);
        let before = project.clone();
        let all = project_diagnostics(&project);
        assert_eq!(project, before, "reading changed the project");
        for (file, line, col, message, hint) in expected_diagnostics(section(&case.expected)) {
            checked += 1;
            let problems = diagnostics(&project, &file);
            let found = problems.iter().any(|p| p.line == line && p.col == col && p.message == message && p.hint == hint);
            if !found {
                failures.push(format!("{}: {file}:{line}:{col}: {message} (hint {hint:?})\n  got: {problems:#?}", path.display()));
            }
        }
        for file in &all {
            assert!(file.problems.windows(2).all(|w| w[0].start <= w[1].start), "{}: unsorted", path.display());
        }
    }
    assert!(checked > 10, "{folder}: too few diagnostics checked ({checked})");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn models_cases_are_problems_in_their_files() {
    check_reader_cases("tests/models_cases", |expected| expected);
}

#[test]
fn project_reader_cases_are_problems_in_their_files() {
    check_reader_cases("tests/app_cases", |expected| expected.split_once("diagnostics:").map_or("", |(_, d)| d));
}

#[test]
fn script_cases_are_problems_in_their_files() {
    check_reader_cases("tests/script_cases", |expected| {
        let diagnostics = expected.split_once("diagnostics:").map_or("", |(_, d)| d);
        diagnostics.split_once("\nupgrade:").map_or(diagnostics, |(d, _)| d)
    });
}

/// `path:line:col-end_line:end_col severity: message`, then the underlined text.
fn render_problems(project: &Project) -> String {
    let mut out = String::new();
    for file in project_diagnostics(project) {
        let text = project.read_text(&file.path).unwrap_or_default();
        for p in &file.problems {
            out.push_str(&format!(
                "{}:{}:{}-{}:{}: {}: {}\n",
                file.path, p.line, p.col, p.end_line, p.end_col, p.severity.as_str(), p.message
            ));
            out.push_str(&format!("  under: {:?}\n", &text[p.start..p.end]));
            if let Some(hint) = &p.hint {
                out.push_str(&format!("  hint: {hint}\n"));
            }
        }
    }
    out
}

/// The cases in `tests/editing_cases/`: broken files and every problem the
/// editor shows, with its range. UPDATE_EXPECT=1 rewrites them (then review).
#[test]
fn editing_cases_give_ranged_problems() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let paths = case_files("tests/editing_cases", "txt");
    assert!(paths.len() >= 4, "the editing cases are missing");
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut case = parse_case(&text);
        let actual = render_problems(&project_of(&case));
        if update {
            case.expected = actual;
            let mut out = case.description.clone();
            for (name, content) in &case.files {
                out.push_str(&format!("--- {name}\n{content}"));
            }
            out.push_str(&format!("--- expected\n{}", case.expected));
            std::fs::write(&path, out).unwrap();
        } else if actual != case.expected {
            failures.push(format!("{}\n--- expected\n{}--- actual\n{}", path.display(), case.expected, actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unsaved_buffers_are_checked_as_shown() {
    let project = crate::engine::starter::project();
    assert!(project_diagnostics(&project).is_empty(), "the starter is clean");
    let broken = project.read_text("models.py").unwrap().replace("class Todo(Base):", "class Todo(Base)");
    let found = project_diagnostics_with(&project, &[("models.py", &broken)], &Default::default());
    assert_eq!(found.len(), 1, "{found:?}");
    let problem = &found[0].problems[0];
    assert_eq!((problem.line, problem.col, problem.message.as_str()), (7, 17, "SyntaxError: expected ':'"));
    assert_eq!(problem.start, problem.end, "at the end of the line: nothing to underline but the place");
    assert!(project.read_text("models.py").unwrap().contains("class Todo(Base):"), "the project is untouched");
}

// ---------------------------------------------------------------- overlay runs

fn problem(start: usize, end: usize, message: &str) -> Problem {
    Problem { line: 1, col: 1, end_line: 1, end_col: 1, start, end, message: message.into(), hint: None, severity: Severity::Error }
}

/// The runs as `[text]` (no problem) and `<text>#i` (under problem i).
fn render_runs(text: &str, problems: &[Problem]) -> String {
    let spans = highlight(text);
    let runs = runs(text, &spans, problems);
    let mut at = 0;
    let mut out = String::new();
    for run in &runs {
        assert_eq!(run.start, at, "runs are contiguous");
        let inner: String = run.spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(inner, &text[run.start..run.end], "a run's spans are its text");
        match run.problem {
            Some(i) => out.push_str(&format!("<{}>#{i}", &text[run.start..run.end])),
            None => out.push_str(&format!("[{}]", &text[run.start..run.end])),
        }
        at = run.end;
    }
    assert_eq!(at, text.len());
    out
}

#[test]
fn runs_cut_spans_at_underlines() {
    let text = "x = Intger\ny = (\n";
    assert_eq!(render_runs(text, &[]), "[x = Intger\ny = (\n]");
    // A token, the end of a line, and one overlapping the first.
    let problems = [problem(4, 10, "NameError"), problem(16, 16, "expected"), problem(6, 8, "inside")];
    assert_eq!(render_runs(text, &problems), "[x = ]<Intger>#0[\ny = (]<>#1[\n]");
    // Stale problems (from a longer text) are clamped, never out of bounds.
    assert_eq!(render_runs("x = 1", &[problem(3, 40, "old")]), "[x =]< 1>#0");
    // An empty problem inside a line underlines one character; the same empty place once.
    assert_eq!(render_runs("ab\n", &[problem(0, 0, "a"), problem(2, 2, "b"), problem(2, 2, "c")]), "<a>#0[b]<>#1[\n]");
    assert_eq!(render_runs("é", &[problem(1, 1, "inside a character")]), "<é>#0");
}

// ---------------------------------------------------------------- edits

/// `|` marks the cursor; `[` and `]` a selection.
fn marked(text: &str) -> (String, usize, usize) {
    if let Some(at) = text.find('|') {
        return (text.replacen('|', "", 1), at, at);
    }
    let start = text.find('[').expect("a selection");
    let end = text.find(']').expect("a selection") - 1;
    (text.replacen('[', "", 1).replacen(']', "", 1), start, end)
}

fn mark(edited: &Edited) -> String {
    let mut out = edited.text.clone();
    if edited.start == edited.end {
        out.insert(edited.start, '|');
    } else {
        out.insert(edited.end, ']');
        out.insert(edited.start, '[');
    }
    out
}

#[test]
fn tab_shift_tab_and_enter() {
    type EditFn = fn(&str, usize, usize) -> Edited;
    let cases: &[(EditFn, &str, &str)] = &[
        (indent, "x|", "x   |"),
        (indent, "  |x", "    |x"),
        (indent, "[a\nb]\nc", "[    a\n    b]\nc"),
        (indent, "a\n[b\n\nc\n]d", "a\n[    b\n\n    c\n]d"),
        (indent, "ab[c]d", "    ab[c]d"),
        (dedent, "      |x", "  |x"),
        (dedent, "  x|", "x|"),
        (dedent, "[    a\n  b\nc]", "[a\nb\nc]"),
        (dedent, "\t|x", "|x"),
        (dedent, "  [  a]", "[a]"),
        (newline, "class A(Base):|", "class A(Base):\n    |"),
        (newline, "    x = 1|", "    x = 1\n    |"),
        (newline, "    if x:  # note|", "    if x:  # note\n        |"),
        (newline, "a[bc]d", "a\n|d"),
    ];
    for (edit, before, after) in cases {
        let (text, start, end) = marked(before);
        assert_eq!(mark(&edit(&text, start, end)), *after, "from {before:?}");
    }
}

#[test]
fn utf16_offsets_round_trip() {
    let text = "aé🦀b";
    // Bytes: a=0, é=1..3, 🦀=3..7, b=7. UTF-16: a=0, é=1, 🦀=2..4, b=4.
    assert_eq!(byte_to_utf16(text, 7), 4);
    assert_eq!(utf16_to_byte(text, 4), 7);
    assert_eq!(utf16_to_byte(text, 3), 3, "inside a surrogate pair: the character's start");
    assert_eq!(utf16_to_byte(text, 99), text.len());
    assert_eq!(byte_to_utf16(text, 2), 1, "inside 'é': its start");
    for (i, _) in text.char_indices() {
        assert_eq!(utf16_to_byte(text, byte_to_utf16(text, i)), i);
    }
}

// ---------------------------------------------------------------- buffers

/// Types `typed` at the end of the buffer, one character per edit.
fn type_text(buffer: &mut Buffer, typed: &str) {
    for c in typed.chars() {
        let mut text = buffer.text().to_string();
        let before = text.len();
        text.push(c);
        let after = text.len();
        buffer.edit(text, (before, before), (after, after), EditKind::Typing, &c.to_string());
    }
}

#[test]
fn a_run_of_typing_is_one_undo_step() {
    let mut buffer = Buffer::open("models.py", Some(""));
    type_text(&mut buffer, "ab cd");
    buffer.break_undo_group(); // a pause, or the caret moved
    type_text(&mut buffer, " ef");
    buffer.edit("ab cd ef    ".into(), (8, 8), (12, 12), EditKind::Other, "    "); // Tab
    type_text(&mut buffer, "g\nh");
    assert!(buffer.is_dirty());
    let mut seen = Vec::new();
    while buffer.undo() {
        seen.push(buffer.text().to_string());
    }
    assert_eq!(seen, ["ab cd ef    g", "ab cd ef    ", "ab cd ef", "ab cd", ""]);
    assert!(!buffer.undo(), "nothing more to undo");
    assert!(buffer.redo() && buffer.redo());
    assert_eq!(buffer.text(), "ab cd ef");
    assert_eq!(buffer.selection, (8, 8));
    // A new edit after an undo drops what was redoable.
    buffer.edit("ab cd ef!".into(), (8, 8), (9, 9), EditKind::Other, "!");
    assert!(!buffer.history().can_redo());
}

#[test]
fn buffers_follow_the_file_unless_edited() {
    let mut clean = Buffer::open("a.py", Some("one"));
    assert!(!clean.is_dirty());
    assert!(clean.follow_disk(Some("two")), "an unedited buffer reloads");
    assert_eq!(clean.text(), "two");
    assert!(!clean.is_dirty());
    assert!(clean.undo(), "the reload is undoable");
    assert_eq!(clean.text(), "one");
    assert!(clean.is_dirty());

    let mut edited = Buffer::open("b.py", Some("one"));
    edited.edit("one!".into(), (3, 3), (4, 4), EditKind::Typing, "!");
    assert!(edited.follow_disk(Some("two")));
    assert_eq!(edited.text(), "one!", "the learner's text stays");
    assert!(edited.is_dirty());
    edited.saved();
    assert!(!edited.is_dirty());

    assert!(edited.follow_disk(None));
    assert!(!edited.follow_disk(None), "nothing new");
    assert!(edited.is_deleted() && edited.is_dirty(), "a deleted file's text is kept, unsaved");
    assert_eq!(edited.text(), "one!");
    edited.saved();
    assert!(!edited.is_deleted() && !edited.is_dirty(), "saving writes it back");
}

// ---------------------------------------------------------------- tree

#[test]
fn the_tree_lists_folders_first_with_kinds() {
    let mut project = crate::engine::starter::project();
    project.create_dir_all("alembic/versions");
    project.write("alembic/env.py", "x = 1\n");
    project.write("todos.db", b"SQLite format 3\0rest".to_vec());
    project.write("logo.bin", vec![0xff, 0x00]);
    let rows: Vec<String> = file_tree(&project)
        .iter()
        .map(|e| format!("{}{} {:?}", "  ".repeat(e.depth), e.name, e.kind))
        .collect();
    assert_eq!(
        rows,
        [
            "alembic Folder",
            "  versions Folder",
            "  env.py Text",
            "config.py Text",
            "database.py Text",
            "logo.bin Binary",
            "main.py Text",
            "models.py Text",
            "requirements.txt Text",
            "todos.db Database",
        ]
    );
    assert_eq!(file_kind(&project, "alembic"), Some(EntryKind::Folder));
    assert_eq!(file_kind(&project, "nope.py"), None);
}


#[test]
fn a_variable_exported_in_the_terminal_is_not_reported_missing() {
    let mut project = Project::new();
    project.write(
        "database.py",
        "import os\n\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ[\"DATABASE_URL\"])\n",
    );
    let missing = |found: &[FileProblems]| {
        found.iter().flat_map(|f| &f.problems).any(|p| p.message.contains("KeyError: 'DATABASE_URL'"))
    };
    assert!(missing(&project_diagnostics(&project)), "{:?}", project_diagnostics(&project));
    let mut exported = crate::engine::environ::Environ::default();
    exported.set("DATABASE_URL", "sqlite:///./app.db");
    assert!(!missing(&project_diagnostics_in(&project, &exported)));
    assert!(!missing(&project_diagnostics_with(&project, &[], &exported)));
}
