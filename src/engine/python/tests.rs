//! Data-driven tests: every `tests/python_cases/valid/*.py` against its AST dump,
//! every `tests/python_cases/invalid/*.py` against its error list, and every
//! Python file the Alembic oracle recorded must read without errors.
//!
//! `UPDATE_EXPECT=1 cargo test --lib python` rewrites the `.expected` files;
//! review the diff by eye before keeping it.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python_cases")
}

fn python_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    files
}

fn python_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
        if path.is_dir() {
            python_files_under(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "py") {
            found.push(path);
        }
    }
}

fn error_lines(errors: &[SyntaxError]) -> String {
    errors.iter().map(|error| format!("{error}\n")).collect()
}

/// Compares (or with `UPDATE_EXPECT=1` rewrites) each case's `.expected` file.
fn check_cases(kind: &str, render: impl Fn(&Path, &ParseResult) -> Result<String, String>) -> usize {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|value| value == "1");
    let files = python_files_in(&cases_dir().join(kind));
    assert!(!files.is_empty(), "no {kind} cases found");
    let mut failures = Vec::new();
    for path in &files {
        let src = fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let actual = match render(path, &parse_module(&src)) {
            Ok(actual) => actual,
            Err(problem) => {
                failures.push(problem);
                continue;
            }
        };
        let expected_path = path.with_extension("expected");
        if update {
            fs::write(&expected_path, &actual).unwrap_or_else(|error| panic!("{}: {error}", expected_path.display()));
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{} differs from its .expected (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    files.len()
}

#[test]
fn valid_cases_match_their_tree_dump() {
    let count = check_cases("valid", |path, result| {
        if result.is_ok() {
            Ok(dump(&result.module))
        } else {
            let name = path.display().to_string();
            Err(format!("{name} should read without errors:\n{}", format_errors(&name, &result.errors)))
        }
    });
    eprintln!("{count} valid cases");
}

#[test]
fn invalid_cases_match_their_error_list() {
    let count = check_cases("invalid", |path, result| {
        if result.is_ok() {
            Err(format!("{} should have syntax errors", path.display()))
        } else {
            Ok(error_lines(&result.errors))
        }
    });
    eprintln!("{count} invalid cases");
}

/// Everything the Alembic oracle recorded (models, revision scripts) is valid Python.
#[test]
fn alembic_oracle_python_files_read_without_errors() {
    let oracle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle");
    if !oracle.is_dir() {
        eprintln!("note: {} is absent; oracle files not checked", oracle.display());
        return;
    }
    let mut files = Vec::new();
    python_files_under(&oracle.join("scenarios"), &mut files);
    python_files_under(&oracle.join("expected"), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .py files under {}", oracle.display());
    let mut failures = String::new();
    for path in &files {
        let src = fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let result = parse_module(&src);
        failures.push_str(&format_errors(&path.display().to_string(), &result.errors));
        if result.module.body.is_empty() && !src.trim().is_empty() {
            failures.push_str(&format!("{}: empty tree\n", path.display()));
        }
    }
    assert!(failures.is_empty(), "{failures}");
    eprintln!("{} oracle files read", files.len());
}

#[test]
fn errors_print_with_the_file_name() {
    let result = parse_module("class A:\nx = 1\n");
    assert_eq!(
        result.errors[0].in_file("models.py"),
        "models.py:2:1: expected an indented block after class definition on line 1"
    );
    assert_eq!(
        format_errors("models.py", &result.errors),
        "models.py:2:1: expected an indented block after class definition on line 1\n"
    );
}

#[test]
fn tree_helpers_read_models_the_way_the_engine_needs() {
    use ast::*;
    let src = "class User(Base):\n    \"\"\"A user.\"\"\"\n    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n";
    let result = parse_module(src);
    assert!(result.is_ok(), "{:?}", result.errors);
    let StmtKind::ClassDef { name, body, .. } = &result.module.body[0].kind else { panic!("not a class") };
    assert_eq!(name.name, "User");
    assert_eq!(docstring(body).as_deref(), Some("A user."));
    let StmtKind::AnnAssign { value: Some(value), .. } = &body[1].kind else { panic!("not annotated") };
    let ExprKind::Call { arguments, .. } = &value.kind else { panic!("not a call") };
    assert!(matches!(keyword_argument(arguments, "primary_key").map(|e| &e.kind), Some(ExprKind::Bool(true))));
    assert_eq!(positional_arguments(arguments).next().and_then(Expr::dotted_name).as_deref(), Some("Integer"));
    let position = LineIndex::new(src).line_col(body[1].span.start);
    assert_eq!((position.line, position.col), (3, 5));
    assert_eq!(body[1].span.text(src), "id: Mapped[int] = mapped_column(Integer, primary_key=True)");
}
