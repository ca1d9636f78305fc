//! Models → MetaData → `create_all`, against real SQLAlchemy: every models
//! file of every oracle scenario is read (without errors), created on an
//! empty database, and the schema must equal `create_all_<stem>.json`, which
//! real SQLAlchemy produced from the same file. A new scenario is a new folder.

use std::path::{Path, PathBuf};

use driftlab::engine::{db, ddl, models, schema, Project};

fn oracle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle")
}

/// The project the recorder builds for one models file: it as `models.py`,
/// plus the scenario's helper files (those `copy` names outside `alembic/`).
fn project_for(scenario: &Path, models_file: &Path) -> Project {
    let mut project = Project::new();
    project.write("models.py", std::fs::read(models_file).unwrap());
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(scenario.join("scenario.json")).unwrap()).unwrap();
    if let Some(copies) = meta.get("copy").and_then(|c| c.as_object()) {
        for (from, to) in copies {
            let to = to.as_str().unwrap();
            if !to.starts_with("alembic/") && to != "models.py" {
                project.write(to, std::fs::read(scenario.join(from)).unwrap());
            }
        }
    }
    project
}

#[test]
fn create_all_builds_what_sqlalchemy_builds() {
    let root = oracle();
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(root.join("expected")).unwrap().map(|e| e.unwrap().path()).collect();
    scenarios.sort();
    for expected_dir in scenarios {
        let name = expected_dir.file_name().unwrap().to_string_lossy().into_owned();
        let scenario = root.join("scenarios").join(&name);
        let mut dumps: Vec<PathBuf> = std::fs::read_dir(&expected_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("create_all_"))
            .collect();
        dumps.sort();
        for dump_path in dumps {
            let file_name = dump_path.file_name().unwrap().to_string_lossy().into_owned();
            let stem = file_name.trim_start_matches("create_all_").trim_end_matches(".json");
            let models_file = scenario.join(format!("{stem}.py"));
            let project = project_for(&scenario, &models_file);
            let result = models::read_models(&project, "models.py");
            checked += 1;
            if !result.diagnostics.is_empty() {
                let errors: Vec<String> = result.diagnostics.iter().map(|d| d.to_string()).collect();
                failures.push(format!("{name}/{stem}.py: unexpected errors:\n{}", errors.join("\n")));
                continue;
            }
            let conn = db::open(&[]).unwrap();
            if let Err((_, e)) = ddl::create_all(&conn, &result.metadata) {
                failures.push(format!("{name}/{stem}.py: create_all failed: {e}"));
                continue;
            }
            let actual = schema::dump(&conn).unwrap();
            let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&dump_path).unwrap()).unwrap();
            if actual != expected {
                failures.push(format!(
                    "{name}/{stem}.py: schema differs\n--- expected (SQLAlchemy)\n{}\n--- actual (driftlab)\n{}",
                    serde_json::to_string_pretty(&expected["sqlite_master"]).unwrap(),
                    serde_json::to_string_pretty(&actual["sqlite_master"]).unwrap()
                ));
            }
        }
    }
    assert!(checked > 60, "only {checked} models files found");
    assert!(failures.is_empty(), "{} of {checked} differ:\n\n{}", failures.len(), failures.join("\n\n"));
}
