//! The course: `lessons/` passes `lesson check` (every step fails before its
//! solution and passes after, every lesson ends in its end state) and is
//! what the build embeds; each folder of deliberately broken lessons in
//! `lesson_cases/` fails with exactly the messages in its `expected.txt`
//! (`UPDATE_EXPECT=1` rewrites them); the CLI's `lesson check` and `new
//! --lesson` work end to end.

use std::path::{Path, PathBuf};
use std::process::Command;

use driftlab::engine::lesson::{verify, Course};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_tree(root: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(prefix)).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.file_type().unwrap().is_dir() {
            read_tree(root, &path, files);
        } else {
            files.push((path, std::fs::read(entry.path()).unwrap()));
        }
    }
}

fn course_at(dir: &Path, label: &str) -> Course {
    let mut files = Vec::new();
    read_tree(dir, "", &mut files);
    Course::from_files(label, files)
}

#[test]
fn the_course_passes_lesson_check() {
    let course = course_at(&manifest().join("lessons"), "lessons");
    let report = verify(&course, None);
    assert!(report.is_ok(), "lesson check lessons/ failed:\n{}", report.render());
    assert!(course.lessons().len() >= 5, "{}", report.render());
}

#[test]
fn the_build_embeds_the_lessons_folder() {
    let course = course_at(&manifest().join("lessons"), "lessons");
    assert_eq!(Course::embedded(), &course, "the embedded course differs from lessons/ (rebuild)");
}

#[test]
fn broken_lessons_fail_with_clear_messages() {
    let cases = manifest().join("tests/lesson_cases");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let dir = cases.join(name);
        let course = course_at(&dir, &format!("tests/lesson_cases/{name}"));
        let report = verify(&course, None);
        assert!(!report.is_ok(), "{name}: a broken-lesson case passes lesson check");
        let actual = format!("{}{}\n", report.render(), report.summary());
        let expected_path = dir.join("expected.txt");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("── {name}: expected ──\n{expected}── {name}: actual ──\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn driftlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_driftlab")).args(args).current_dir(manifest()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn cli_lesson_check_exits_with_the_verdict() {
    let (code, stdout, _) = driftlab(&["lesson", "check", "lessons"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("ok    03-the-empty-migration ("), "{stdout}");
    let (code, stdout, _) = driftlab(&["lesson", "check", "tests/lesson_cases/play"]);
    assert_eq!(code, 1, "{stdout}");
    let expected = std::fs::read_to_string(manifest().join("tests/lesson_cases/play/expected.txt")).unwrap();
    let summary = expected.lines().last().unwrap();
    assert!(stdout.starts_with(expected.trim_end_matches('\n').trim_end_matches(summary)), "{stdout}");
    // One lesson folder: the lessons before it are played, only it is reported.
    let (code, stdout, _) = driftlab(&["lesson", "check", "lessons/04-fresh-start"]);
    let steps = Course::embedded().lesson("04-fresh-start").map(|l| l.steps.len()).unwrap_or(0);
    let first = format!("ok    04-fresh-start ({steps} steps)");
    assert_eq!((code, stdout.lines().next()), (0, Some(first.as_str())), "{stdout}");
}

#[test]
fn cli_new_writes_a_lesson_start() {
    let dir = std::env::temp_dir().join(format!("driftlab-lesson-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, stdout, stderr) = driftlab(&["new", dir.to_str().unwrap(), "--lesson", "3"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout.trim(), format!("Wrote the start of lesson 03-the-empty-migration to {}", dir.display()));
    // Lesson 3's setup ran the app once: create_all built todos.db; no Alembic yet.
    assert!(std::fs::read(dir.join("todos.db")).unwrap().starts_with(b"SQLite format 3\0"));
    assert!(dir.join("main.py").is_file() && !dir.join("alembic.ini").exists());
    let (code, _, stderr) = driftlab(&["new", dir.to_str().unwrap(), "--lesson", "3"]);
    assert_eq!(code, 2, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, stderr) = driftlab(&["new", dir.to_str().unwrap(), "--lesson", "99"]);
    assert!(code == 2 && stderr.starts_with("driftlab: no lesson `99` (lessons: 01-tour, "), "{stderr}");
}

/// The check forms `docs/LESSONS.md` documents, with sample words for its
/// placeholders.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("curl PATH", "curl /todos"),
    ("MODULE.py", "models.py"),
    ("TABLE.COLUMN", "todos.title"),
    ("PATH", "main.py"),
    ("TEXT", "init_db"),
    ("TABLE", "todos"),
    ("COLUMN", "title"),
    ("MESSAGE", "initial"),
    ("COMMAND", "alembic upgrade head"),
    ("STATUS", "200"),
    ("NAME", "init_db"),
    ("FILE", "todos.db"),
    ("CHECK", "app is running"),
    ("ID", "0001"),
    ("OP", "add_column"),
    ("DB", "todos.db"),
    (" N ", " 2 "),
    ("\"A\" or \"B\"", "\"ls\" or \"pwd\""),
];

#[test]
fn every_check_form_the_docs_show_parses() {
    let docs = std::fs::read_to_string(manifest().join("docs/LESSONS.md")).unwrap();
    let checks = &docs[docs.find("## Checks").unwrap()..docs.find("### What `lesson check` enforces").unwrap()];
    let mut forms = 0;
    for row in checks.lines().filter(|l| l.starts_with("| `")) {
        let cell = row.split(" | ").next().unwrap().trim_start_matches("| ");
        // The first form of the row: `...` up to its closing backtick.
        let form = cell.trim_start_matches('`').split('`').next().unwrap();
        let mut line = format!(" {form} ");
        for (placeholder, sample) in PLACEHOLDERS {
            line = line.replace(placeholder, sample);
        }
        let line = line.trim();
        let line = if line.starts_with("revision \"initial\" upgrade ...") { "revision \"initial\" upgrade is empty" } else { line };
        if let Err(e) = driftlab::engine::lesson::checks::parse_check(line) {
            panic!("docs/LESSONS.md shows `{form}`, which doesn't parse as `{line}`: {e}");
        }
        forms += 1;
    }
    assert!(forms >= 30, "only {forms} check forms found in docs/LESSONS.md");
}
