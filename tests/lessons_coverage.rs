//! The seeds coverage table at the end of `docs/LESSONS.md` names real
//! lessons and steps: every row that maps a guide's entry to a lesson must
//! name a lesson folder of the embedded course and one of its step titles,
//! exactly, so renaming a step without updating the table fails here. Rows
//! are also checked for shape: a known kind and a known `how`. No row may
//! say `—` (not taught): every entry of the guides is taught by a step.

use driftlab::engine::lesson::Course;

const KINDS: &[&str] = &["command", "pitfall", "troubleshooting", "workflow"];
const HOWS: &[&str] = &["typed", "shown", "equivalent", "explained"];
const NOT_YET: &str = "—";

/// The seed guides, by file name: each has its own table.
const GUIDES: &[&str] = &[
    "000_4d831fc3a10c8f66.txt",
    "001_396d1efbd46aa926.txt",
    "002_d859a0b4bf4c9938.txt",
    "003_52a013236fb008e8.txt",
];

/// One table row's cells; `\|` inside a cell is a literal `|`.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                cells.last_mut().unwrap().push('|');
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The section, and the number of lines of `docs/LESSONS.md` before it.
fn coverage_section() -> (String, usize) {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LESSONS.md")).unwrap();
    let start = docs.find("\n## Seeds coverage\n").expect("docs/LESSONS.md has a `## Seeds coverage` section") + 1;
    (docs[start..].to_string(), docs[..start].lines().count())
}

/// `(line number in docs/LESSONS.md, cells)` for every data row of the tables.
fn rows(section: &str, before: usize) -> Vec<(usize, Vec<String>)> {
    section
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('|') && !l.starts_with("| § ") && !l.starts_with("|---"))
        .map(|(i, l)| (before + i + 1, cells(l)))
        .collect()
}

#[test]
fn every_lesson_and_step_the_coverage_table_names_exists() {
    let (section, before) = coverage_section();
    let course = Course::embedded();
    let rows = rows(&section, before);
    assert!(rows.len() >= 100, "only {} rows in the seeds coverage table", rows.len());
    let mut problems = Vec::new();
    for (line, row) in &rows {
        let [_, entry, kind, lesson, step, how] = row.as_slice() else {
            problems.push(format!("line {line}: {} cells, expected 6 (§, entry, kind, lesson, step, how)", row.len()));
            continue;
        };
        if entry.is_empty() {
            problems.push(format!("line {line}: the entry is empty"));
        }
        if !KINDS.contains(&kind.as_str()) {
            problems.push(format!("line {line}: kind `{kind}` is not one of {KINDS:?}"));
        }
        // Issue 8: every entry of the guides is taught by some step.
        if [lesson, step, how].iter().any(|c| c.as_str() == NOT_YET) {
            problems.push(format!("line {line} ({entry}): not taught by any step (`—`)"));
            continue;
        }
        if !HOWS.contains(&how.as_str()) {
            problems.push(format!("line {line} ({entry}): how `{how}` is not one of {HOWS:?}"));
        }
        let Some(slug) = lesson.strip_prefix('`').and_then(|l| l.strip_suffix('`')) else {
            problems.push(format!("line {line} ({entry}): the lesson `{lesson}` is not a folder name in backticks"));
            continue;
        };
        let Some(found) = course.lesson(slug) else {
            problems.push(format!("line {line} ({entry}): there is no lesson {slug}"));
            continue;
        };
        if !found.steps.iter().any(|s| s.title == *step) {
            let titles: Vec<&str> = found.steps.iter().map(|s| s.title.as_str()).collect();
            problems.push(format!("line {line} ({entry}): {slug} has no step \"{step}\" (its steps: {})", titles.join(" / ")));
        }
    }
    assert!(problems.is_empty(), "docs/LESSONS.md, seeds coverage (line numbers of that file):\n{}", problems.join("\n"));
}

#[test]
fn every_seed_guide_has_its_table() {
    let (section, _) = coverage_section();
    for guide in GUIDES {
        let heading = section.lines().find(|l| l.starts_with("### ") && l.contains(guide));
        assert!(heading.is_some(), "the seeds coverage section has no `### ...` heading naming {guide}");
    }
}

#[test]
fn cells_split_on_unescaped_bars_only() {
    assert_eq!(
        cells("| §5 | `find x 2>/dev/null \\|\\| true` | command | — | — | — |"),
        ["§5", "`find x 2>/dev/null || true`", "command", "—", "—", "—"]
    );
}
