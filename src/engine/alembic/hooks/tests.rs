//! The hook interpreter against real Python: every hook of
//! `tests/hook_cases/hooks.txt` is called on the objects of
//! `tests/hook_cases/models.py` in `record.py`'s order, and must answer what
//! Python answered (`hooks.real.json`): the same bool, the same exception
//! text, the same printed lines.

use std::path::PathBuf;

use super::{EnvHooks, TargetBinding};
use crate::engine::metadata::MetaData;
use crate::engine::migrate::compare::filters::parent_names;
use crate::engine::migrate::compare::{Filters, HookFailure, SchemaObject};
use crate::engine::{models, Project};

fn case_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/hook_cases")
}

fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        if let Some(name) = line.strip_prefix("### ") {
            out.push((name.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// One `include_object` call: object, name, type_, reflected, compare_to.
type ObjectCall<'a> = (SchemaObject<'a>, Option<&'a str>, &'static str, bool, Option<SchemaObject<'a>>);

/// `record.py`'s `object_calls`.
fn object_calls(metadata: &MetaData) -> Vec<ObjectCall<'_>> {
    let by_name: Vec<_> = metadata.tables.iter().collect();
    let (sorted, _) = metadata.sort_tables(&by_name);
    let mut calls = Vec::new();
    for table in sorted {
        let t = SchemaObject::Table(table);
        calls.push((t, Some(table.name.as_str()), "table", false, None));
        calls.push((t, Some(table.name.as_str()), "table", true, None));
        calls.push((t, Some(table.name.as_str()), "table", false, Some(t)));
        for column in &table.columns {
            let c = SchemaObject::Column { table, column };
            calls.push((c, Some(column.name.as_str()), "column", false, None));
            calls.push((c, Some(column.name.as_str()), "column", true, None));
            calls.push((c, Some(column.name.as_str()), "column", false, Some(c)));
        }
        let mut indexes: Vec<_> = table.indexes.iter().collect();
        indexes.sort_by(|a, b| a.name.cmp(&b.name));
        for index in indexes {
            calls.push((SchemaObject::Index { table, index }, index.name.as_deref(), "index", false, None));
        }
        for constraint in table.unique_constraints() {
            calls.push((SchemaObject::UniqueConstraint { table, constraint }, constraint.name.as_deref(), "unique_constraint", true, None));
        }
        for constraint in table.foreign_keys() {
            let fk = SchemaObject::ForeignKeyConstraint { table, constraint };
            calls.push((fk, constraint.name.as_deref(), "foreign_key_constraint", false, None));
        }
    }
    calls
}

fn answer(result: Result<bool, HookFailure>) -> String {
    match result {
        Ok(b) => if b { "True" } else { "False" }.to_string(),
        Err(HookFailure::Unsupported(why)) => format!("driftlab unsupported: {why}"),
        // Without the env.py frames, as record.py keeps it.
        Err(HookFailure::Exception(text)) => {
            let mut out = Vec::new();
            let mut in_frame = false;
            for line in text.lines() {
                if line.starts_with("  File \"") {
                    in_frame = true;
                } else if !(in_frame && line.starts_with("    ")) {
                    in_frame = false;
                    out.push(line);
                }
            }
            out.join("\n")
        }
    }
}

#[test]
fn hooks_answer_as_python_does() {
    let dir = case_dir();
    let mut project = Project::new();
    project.write("models.py", std::fs::read(dir.join("models.py")).unwrap());
    let read = models::read_models(&project, "models.py");
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let metadata = read.metadata;
    let real: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("hooks.real.json")).unwrap()).unwrap();
    let cases = sections(&std::fs::read_to_string(dir.join("hooks.txt")).unwrap());
    assert!(cases.len() >= 30, "the corpus has {} hooks", cases.len());
    let mut failures = Vec::new();
    for (name, fragment) in &cases {
        let expected = &real[name.as_str()];
        assert!(expected.is_object(), "{name}: not recorded; run tests/hook_cases/record.py");
        let mut keywords = Vec::new();
        for hook in ["include_object", "include_name"] {
            if expected.get(hook).is_some() {
                keywords.push(format!("{hook}={hook}"));
            }
        }
        let source = format!(
            "{fragment}\n\ndef run_migrations_online():\n    context.configure(connection=connection, {})\n",
            keywords.join(", ")
        );
        let mentions = |word: &str| fragment.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == word);
        let mut targets = Vec::new();
        if mentions("target_metadata") {
            targets.push(("target_metadata".to_string(), TargetBinding::MetaData));
        }
        if mentions("Base") {
            targets.push(("Base".to_string(), TargetBinding::Base));
        }
        let hooks = EnvHooks::read("alembic/env.py", "/p/alembic/env.py", &source, Some(&metadata), &targets, None)
            ;
        if let Some(answers) = expected.get("include_object").and_then(|v| v.as_array()) {
            let calls = object_calls(&metadata);
            assert_eq!(calls.len(), answers.len(), "{name}: the calls are record.py's");
            for (i, ((object, obj_name, type_, reflected, compare_to), want)) in calls.into_iter().zip(answers).enumerate() {
                let got = answer(hooks.include_object(object, obj_name, type_, reflected, compare_to));
                if got != want.as_str().unwrap() {
                    failures.push(format!("{name} include_object call {i} ({type_} {obj_name:?} reflected={reflected}):\n  python:   {want}\n  driftlab: {got}"));
                }
            }
        }
        if let Some(answers) = expected.get("include_name").and_then(|v| v.as_array()) {
            let by_name: Vec<_> = metadata.tables.iter().collect();
            let (sorted, _) = metadata.sort_tables(&by_name);
            let mut calls = Vec::new();
            for table in sorted {
                calls.push((table.name.as_str(), "table", None));
                for column in &table.columns {
                    calls.push((column.name.as_str(), "column", Some(table.name.as_str())));
                }
            }
            assert_eq!(calls.len(), answers.len(), "{name}: the calls are record.py's");
            for (i, ((n, type_, table), want)) in calls.into_iter().zip(answers).enumerate() {
                let got = answer(hooks.include_name(Some(n), type_, &parent_names(type_, Some(n), table)));
                if got != want.as_str().unwrap() {
                    failures.push(format!("{name} include_name call {i} ({type_} {n}):\n  python:   {want}\n  driftlab: {got}"));
                }
            }
        }
        let printed = hooks.take_printed();
        if printed != expected["printed"].as_str().unwrap() {
            failures.push(format!("{name}: printed\n{printed}\nbut Python printed\n{}", expected["printed"].as_str().unwrap()));
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn what_the_interpreter_cannot_run_is_said_plainly() {
    let metadata = MetaData::default();
    let cases = [
        ("import re\n\ndef include_object(object, name, type_, reflected, compare_to):\n    return re.match('x', name)\n", "calling `re.match`"),
        ("def include_object(object, name, type_, reflected, compare_to):\n    while True:\n        pass\n", "more than 200000 steps"),
        ("def include_object(object, name, type_, reflected, compare_to):\n    try:\n        return True\n    except Exception:\n        return False\n", "a `try:` statement"),
        ("from filters import skip\n\ndef run():\n    context.configure(connection=c, include_object=skip)\n", "it is imported from `filters.skip`"),
    ];
    for (source, want) in cases {
        let source = if source.contains("context.configure") {
            source.to_string()
        } else {
            format!("{source}\n\ndef run():\n    context.configure(connection=c, include_object=include_object)\n")
        };
        let hooks = EnvHooks::read("alembic/env.py", "/p/alembic/env.py", &source, Some(&metadata), &[], None);
        let table = crate::engine::metadata::Table::new("t");
        match hooks.include_object(SchemaObject::Table(&table), Some("t"), "table", false, None) {
            Err(HookFailure::Unsupported(why)) => assert!(why.contains(want), "{why}"),
            other => panic!("{source}: {other:?}"),
        }
    }
}

#[test]
fn a_lambda_hook_runs_and_no_hook_keeps_everything() {
    let metadata = MetaData::default();
    let source = "def run():\n    context.configure(connection=c, include_object=lambda o, n, t, r, c: t != 'table' or not r)\n";
    let hooks = EnvHooks::read("alembic/env.py", "/p/alembic/env.py", source, Some(&metadata), &[], None);
    let table = crate::engine::metadata::Table::new("t");
    assert_eq!(hooks.include_object(SchemaObject::Table(&table), Some("t"), "table", true, None), Ok(false));
    assert_eq!(hooks.include_object(SchemaObject::Table(&table), Some("t"), "table", false, None), Ok(true));
    let plain = "def run():\n    context.configure(connection=c, target_metadata=target_metadata)\n";
    let hooks = EnvHooks::read("alembic/env.py", "/p/alembic/env.py", plain, Some(&metadata), &[], None);
    assert_eq!(hooks.include_object(SchemaObject::Table(&table), Some("t"), "table", true, None), Ok(true), "no filter keeps everything");
}
