//! Reflection over the oracle corpus. Every models file of every scenario is
//! read, created on an empty database with `create_all`, and reflected back:
//! table by table, the reflection must say what the models say in every
//! respect autogenerate compares (columns, types by affinity and length,
//! nullability, server defaults, keys, constraints, indexes). Every database
//! real Alembic left behind (`schema_*.json`) is rebuilt and reflected too,
//! and must agree with the PRAGMA output SQLite gave when it was recorded.

use std::path::{Path, PathBuf};

use driftlab::engine::metadata::{Column, Constraint, MetaData, Table};
use driftlab::engine::{db, ddl, models, reflect, Project};
use serde_json::Value;

fn oracle() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle")
}

/// The project the recorder builds for one models file: it as `models.py`,
/// plus the scenario's helper files (those `copy` names outside `alembic/`).
fn project_for(scenario: &Path, models_file: &Path) -> Project {
    let mut project = Project::new();
    project.write("models.py", std::fs::read(models_file).unwrap());
    let meta: Value = serde_json::from_str(&std::fs::read_to_string(scenario.join("scenario.json")).unwrap()).unwrap();
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

/// Every `(scenario, models file)` the recorder ran `create_all` on.
fn models_files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let mut scenarios: Vec<PathBuf> =
        std::fs::read_dir(root.join("expected")).unwrap().map(|e| e.unwrap().path()).collect();
    scenarios.sort();
    for expected_dir in scenarios {
        let name = expected_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut stems: Vec<String> = std::fs::read_dir(&expected_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|f| Some(f.strip_prefix("create_all_")?.strip_suffix(".json")?.to_string()))
            .collect();
        stems.sort();
        for stem in stems {
            found.push((name.clone(), root.join("scenarios").join(&name).join(format!("{stem}.py"))));
        }
    }
    found
}

/// Declared type names SQLAlchemy's SQLite dialect does not know, and what
/// SQLite's affinity rules make of them when reflected.
const AFFINITY_FALLBACKS: &[(&str, &str)] =
    &[("DOUBLE PRECISION", "REAL"), ("UUID", "NUMERIC"), ("BINARY", "NUMERIC"), ("VARBINARY", "NUMERIC"), ("CLOB", "TEXT")];

/// The DDL type reflection should give back for a model column: its own DDL
/// without `COLLATE` (the PRAGMA does not report it), with unknown names
/// replaced by their affinity's type.
fn expected_type_ddl(column: &Column) -> String {
    let ddl = column.type_.sqlite_ddl();
    let ddl = ddl.split(" COLLATE ").next().unwrap_or_default().to_string();
    let (name, args) = ddl.split_at(ddl.find('(').unwrap_or(ddl.len()));
    match AFFINITY_FALLBACKS.iter().find(|(unknown, _)| *unknown == name) {
        Some((_, affinity)) => format!("{affinity}{args}"),
        None => ddl,
    }
}

/// The default as `PRAGMA table_info` reports it: the text after `DEFAULT`
/// as SQLAlchemy's DDL writes it (parenthesised when it is an expression),
/// with SQLite dropping the parentheses of `DEFAULT (expr)`.
fn expected_default(column: &Column) -> Option<String> {
    let sql = column.server_default.as_ref()?.sql();
    let starts_quoted = sql.trim_start().starts_with(['\'', '"', '(']);
    let has_non_word = sql.chars().any(|c| !(c.is_alphanumeric() || c == '_'));
    let written = if !starts_quoted && has_non_word { format!("({sql})") } else { sql };
    match written.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
        Some(inner) => Some(inner.trim().to_string()),
        None => Some(written),
    }
}

fn upper(action: &Option<String>) -> Option<String> {
    action.as_ref().map(|a| a.to_uppercase()).filter(|a| a != "NO ACTION")
}

/// A foreign key as autogenerate compares it.
fn fk_facts(table: &Table, named: bool) -> Vec<String> {
    let mut facts: Vec<String> = table
        .foreign_keys()
        .map(|fk| {
            format!(
                "name={:?} {:?} -> {}{:?} ondelete={:?} onupdate={:?} deferrable={:?} initially={:?}",
                if named { fk.name.clone() } else { None },
                fk.columns,
                fk.ref_table,
                fk.ref_columns,
                upper(&fk.ondelete),
                upper(&fk.onupdate),
                fk.deferrable,
                fk.initially.as_ref().map(|i| i.to_uppercase())
            )
        })
        .collect();
    facts.sort();
    facts
}

/// The differences autogenerate would find between a models table and the
/// same table reflected after `create_all`, as readable lines.
fn table_differences(model: &Table, reflected: &Table) -> Vec<String> {
    let mut diffs = Vec::new();
    let model_names: Vec<&str> = model.columns.iter().map(|c| c.name.as_str()).collect();
    let reflected_names: Vec<&str> = reflected.columns.iter().map(|c| c.name.as_str()).collect();
    if model_names != reflected_names {
        diffs.push(format!("columns: models {model_names:?}, reflected {reflected_names:?}"));
    }
    for column in &model.columns {
        let Some(found) = reflected.column(&column.name) else { continue };
        let name = &column.name;
        let (expected, actual) = (expected_type_ddl(column), found.type_.sqlite_ddl());
        if expected != actual {
            diffs.push(format!("column {name}: type {expected:?} in the models, {actual:?} reflected ({:?})", found.type_));
        }
        if column.nullable != found.nullable {
            diffs.push(format!("column {name}: nullable {} in the models, {} reflected", column.nullable, found.nullable));
        }
        if column.primary_key != found.primary_key {
            diffs.push(format!("column {name}: primary_key {} in the models, {} reflected", column.primary_key, found.primary_key));
        }
        let reflected_default = found.server_default.as_ref().map(|d| d.sql());
        if expected_default(column) != reflected_default {
            diffs.push(format!(
                "column {name}: server default {:?} expected from the models, {reflected_default:?} reflected",
                expected_default(column)
            ));
        }
    }

    // A key written inline as `PRIMARY KEY AUTOINCREMENT` has no CONSTRAINT clause, so no name.
    let inline_key = ddl::create_table(model).contains("PRIMARY KEY AUTOINCREMENT");
    let expected_pk_name = if inline_key { None } else { model.primary_key.name.clone() };
    if (expected_pk_name.as_ref(), &model.primary_key.columns) != (reflected.primary_key.name.as_ref(), &reflected.primary_key.columns) {
        diffs.push(format!("primary key: models {:?}, reflected {:?}", model.primary_key, reflected.primary_key));
    }

    let (expected_fks, reflected_fks) = (fk_facts(model, true), fk_facts(reflected, true));
    if expected_fks != reflected_fks {
        diffs.push(format!("foreign keys: models {expected_fks:#?}\nreflected {reflected_fks:#?}"));
    }

    // SQLite makes one index for identical UNIQUE column lists, so only the
    // first of them is reflected.
    let mut expected_uniques: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for u in model.unique_constraints() {
        if !expected_uniques.iter().any(|(_, columns)| *columns == u.columns) {
            expected_uniques.push((u.name.clone(), u.columns.clone()));
        }
    }
    let mut reflected_uniques: Vec<(Option<String>, Vec<String>)> =
        reflected.unique_constraints().map(|u| (u.name.clone(), u.columns.clone())).collect();
    expected_uniques.sort();
    reflected_uniques.sort();
    if expected_uniques != reflected_uniques {
        diffs.push(format!("unique constraints: models {expected_uniques:?}, reflected {reflected_uniques:?}"));
    }

    let checks = |table: &Table| {
        let mut found: Vec<(Option<String>, String)> = table
            .constraints
            .iter()
            .filter_map(|c| match c {
                Constraint::Check(ck) => Some((ck.name.clone(), ck.sqltext.trim().to_string())),
                _ => None,
            })
            .collect();
        found.sort();
        found
    };
    if checks(model) != checks(reflected) {
        diffs.push(format!("check constraints: models {:?}, reflected {:?}", checks(model), checks(reflected)));
    }

    // SQLAlchemy does not reflect expression indexes on SQLite.
    let indexes = |table: &Table, skip_expressions: bool| {
        let mut found: Vec<(Option<String>, Vec<String>, bool)> = table
            .indexes
            .iter()
            .filter(|ix| !(skip_expressions && ix.columns.iter().any(|c| c.contains('('))))
            .map(|ix| (ix.name.clone(), ix.columns.clone(), ix.unique))
            .collect();
        found.sort();
        found
    };
    if indexes(model, true) != indexes(reflected, false) {
        diffs.push(format!("indexes: models {:?}, reflected {:?}", indexes(model, true), indexes(reflected, false)));
    }
    diffs
}

/// The differences between a models `MetaData` and a reflected one, table by table.
fn metadata_differences(model: &MetaData, reflected: &MetaData) -> Vec<String> {
    let mut diffs = Vec::new();
    for table in &model.tables {
        match reflected.table(&table.name) {
            Some(found) => {
                diffs.extend(table_differences(table, found).into_iter().map(|d| format!("table {}: {d}", table.name)))
            }
            None => diffs.push(format!("table {}: not reflected", table.name)),
        }
    }
    for table in &reflected.tables {
        if model.table(&table.name).is_none() {
            diffs.push(format!("table {}: reflected but not in the models", table.name));
        }
    }
    diffs
}

#[test]
fn reflecting_create_all_gives_back_the_models() {
    let root = oracle();
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let files = models_files(&root);
    let mut failures = Vec::new();
    let mut tables = 0;
    for (scenario, models_file) in &files {
        let label = format!("{scenario}/{}", models_file.file_name().unwrap().to_string_lossy());
        let project = project_for(&root.join("scenarios").join(scenario), models_file);
        let result = models::read_models(&project, "models.py");
        if !result.diagnostics.is_empty() {
            failures.push(format!("{label}: models errors: {:?}", result.diagnostics));
            continue;
        }
        let conn = db::open(&[]).unwrap();
        if let Err((_, e)) = ddl::create_all(&conn, &result.metadata) {
            failures.push(format!("{label}: create_all failed: {e}"));
            continue;
        }
        let reflection = reflect::reflect_with_warnings(&conn).unwrap();
        tables += reflection.metadata.tables.len();
        let mut diffs = metadata_differences(&result.metadata, &reflection.metadata);
        diffs.extend(reflection.warnings.iter().map(|w| format!("warning: {w}")));
        diffs.extend(reflection.errors.iter().map(|e| format!("error: {e}")));
        if !diffs.is_empty() {
            failures.push(format!("{label}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(files.len() > 60, "only {} models files found", files.len());
    assert!(tables > 100, "only {tables} tables reflected");
    assert!(failures.is_empty(), "{} of {} models files differ:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}

/// Rebuilds a recorded database from its `sqlite_master` rows (tables, then
/// indexes; SQLite's own objects come by themselves).
fn rebuild(dump: &Value) -> rusqlite::Connection {
    let conn = db::open(&[]).unwrap();
    let rows = dump["sqlite_master"].as_array().unwrap();
    for kind in ["table", "index", "view", "trigger"] {
        for row in rows {
            let (Some(row_kind), Some(sql)) = (row[0].as_str(), row[3].as_str()) else { continue };
            if row_kind == kind && !row[1].as_str().unwrap().starts_with("sqlite_") {
                conn.execute_batch(sql).unwrap();
            }
        }
    }
    conn
}

/// What the recorded PRAGMA output says a table must reflect as.
fn pragma_differences(table: &Table, recorded: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let info = recorded["table_info"].as_array().unwrap();
    let expected: Vec<(String, bool, Option<String>, bool)> = info
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["notnull"].as_i64() == Some(0),
                c["dflt_value"].as_str().map(str::to_string),
                c["pk"].as_i64() != Some(0),
            )
        })
        .collect();
    let actual: Vec<(String, bool, Option<String>, bool)> = table
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.nullable, c.server_default.as_ref().map(|d| d.sql()), c.primary_key))
        .collect();
    if expected != actual {
        diffs.push(format!("columns: PRAGMA {expected:?}\nreflected {actual:?}"));
    }
    let mut fks: Vec<(Vec<String>, String, Vec<String>)> = Vec::new();
    let mut last_id = None;
    for row in recorded["foreign_key_list"].as_array().unwrap() {
        let from = row["from"].as_str().unwrap().to_string();
        let to = row["to"].as_str().unwrap_or_default().to_string();
        if last_id == Some(row["id"].as_i64()) {
            let fk = fks.last_mut().unwrap();
            fk.0.push(from);
            fk.2.push(to);
        } else {
            fks.push((vec![from], row["table"].as_str().unwrap().to_string(), vec![to]));
        }
        last_id = Some(row["id"].as_i64());
    }
    let mut reflected_fks: Vec<(Vec<String>, String, Vec<String>)> =
        table.foreign_keys().map(|fk| (fk.columns.clone(), fk.ref_table.clone(), fk.ref_columns.clone())).collect();
    fks.sort();
    reflected_fks.sort();
    if fks != reflected_fks {
        diffs.push(format!("foreign keys: PRAGMA {fks:?}, reflected {reflected_fks:?}"));
    }
    let mut indexes: Vec<String> = recorded["index_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ix| ix["name"].as_str().unwrap().to_string())
        .filter(|name| !name.starts_with("sqlite_autoindex"))
        .collect();
    indexes.sort();
    let reflected_indexes: Vec<String> = table.indexes.iter().filter_map(|ix| ix.name.clone()).collect();
    if indexes != reflected_indexes {
        diffs.push(format!("indexes: PRAGMA {indexes:?}, reflected {reflected_indexes:?}"));
    }
    diffs
}

#[test]
fn databases_alembic_left_behind_reflect_as_sqlite_describes_them() {
    let root = oracle();
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let mut dumps: Vec<PathBuf> = Vec::new();
    for scenario in std::fs::read_dir(root.join("expected")).unwrap() {
        for file in std::fs::read_dir(scenario.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && (name.starts_with("schema_") || name.starts_with("create_all_")) {
                dumps.push(path);
            }
        }
    }
    dumps.sort();
    let mut failures = Vec::new();
    let mut tables = 0;
    for path in &dumps {
        let dump: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        if dump["db_exists"] != Value::Bool(true) {
            continue;
        }
        let conn = rebuild(&dump);
        let reflection = reflect::reflect_with_warnings(&conn).unwrap();
        let label = path.strip_prefix(root.join("expected")).unwrap().display().to_string();
        let recorded = dump["tables"].as_object().unwrap();
        let mut diffs: Vec<String> = reflection.warnings.iter().map(|w| format!("warning: {w}")).collect();
        // A foreign key to a table that is gone (a failed downgrade leaves
        // one) makes SQLAlchemy raise while reflecting the referred table.
        let mut expected_errors: Vec<String> = recorded
            .iter()
            .filter(|(name, _)| *name != "alembic_version")
            .flat_map(|(_, t)| t["foreign_key_list"].as_array().unwrap().iter())
            .map(|fk| fk["table"].as_str().unwrap())
            .filter(|target| !recorded.contains_key(*target))
            .map(|target| format!("NoSuchTableError: {target}"))
            .collect();
        expected_errors.dedup();
        if reflection.errors != expected_errors {
            diffs.push(format!("errors: expected {expected_errors:?}, got {:?}", reflection.errors));
        }
        let expected_names: Vec<&String> =
            recorded.keys().filter(|n| !n.starts_with("sqlite_") && *n != "alembic_version").collect();
        let mut expected_names: Vec<&String> = expected_names;
        expected_names.sort();
        let names: Vec<&String> = reflection.metadata.tables.iter().map(|t| &t.name).collect();
        if names != expected_names {
            diffs.push(format!("tables: recorded {expected_names:?}, reflected {names:?}"));
        }
        for table in &reflection.metadata.tables {
            tables += 1;
            if let Some(recorded_table) = recorded.get(&table.name) {
                diffs.extend(pragma_differences(table, recorded_table).into_iter().map(|d| format!("table {}: {d}", table.name)));
            }
        }
        if !diffs.is_empty() {
            failures.push(format!("{label}:\n  {}", diffs.join("\n  ")));
        }
    }
    assert!(dumps.len() > 150, "only {} recorded databases found", dumps.len());
    assert!(tables > 200, "only {tables} tables reflected");
    assert!(failures.is_empty(), "{} of {} databases differ:\n\n{}", failures.len(), dumps.len(), failures.join("\n\n"));
}
