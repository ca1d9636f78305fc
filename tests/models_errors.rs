//! Broken models files and the exact errors driftlab gives for them. Each
//! case in `tests/models_cases/` is one text file: a description line, then
//! `--- FILE` sections holding the project's files, then `--- expected` with
//! every error (`file:line:col: message` and an optional `  hint:` line).
//! Set UPDATE_EXPECT=1 to rewrite the expected sections (then review them).

use std::path::PathBuf;

use driftlab::engine::{models, Project};

struct Case {
    description: String,
    files: Vec<(String, String)>,
    expected: String,
}

fn parse_case(text: &str) -> Case {
    let mut description = String::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut expected = None;
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

fn render(case: &Case) -> String {
    let mut out = case.description.clone();
    for (name, content) in &case.files {
        out.push_str(&format!("--- {name}\n{content}"));
    }
    out.push_str(&format!("--- expected\n{}", case.expected));
    out
}

#[test]
fn broken_models_give_exact_errors() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/models_cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut case = parse_case(&text);
        let mut project = Project::new();
        for (name, content) in &case.files {
            project.write(name, content.as_bytes());
        }
        let before = project.clone();
        let result = models::read_models(&project, "models.py");
        assert_eq!(project, before, "reading changed the project");
        let actual: String = result.diagnostics.iter().map(|d| format!("{d}\n")).collect();
        assert!(!actual.is_empty(), "{}: a broken case must report an error", path.display());
        if update {
            case.expected = actual;
            std::fs::write(&path, render(&case)).unwrap();
        } else if actual != case.expected {
            failures.push(format!("{}\n--- expected\n{}--- actual\n{}", path.display(), case.expected, actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
