//! `MetaData(naming_convention=...)`: how SQLAlchemy names constraints and
//! indexes that were not named (and, with `%(constraint_name)s`, those that were).

use std::collections::BTreeMap;

use crate::engine::metadata::{Constraint, NameSource, Table};

/// SQLAlchemy's default convention: only indexes get names.
pub fn default_convention() -> BTreeMap<String, String> {
    BTreeMap::from([("ix".to_string(), "ix_%(column_0_label)s".to_string())])
}

/// What a convention template may refer to for one constraint.
struct Tokens<'a> {
    table: &'a str,
    columns: &'a [String],
    referred_table: Option<&'a str>,
    referred_columns: &'a [String],
    constraint_name: Option<&'a str>,
}

/// Fills a template; `Err` names a token that can't be filled.
fn fill(template: &str, t: &Tokens<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("%(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find(")s") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let token = &after[..end];
        out.push_str(&token_value(token, t)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn token_value(token: &str, t: &Tokens<'_>) -> Result<String, String> {
    let label = |c: &String| format!("{}_{}", t.table, c);
    let joined = |items: Vec<String>, sep: &str| items.join(sep);
    Ok(match token {
        "table_name" => t.table.to_string(),
        "constraint_name" => t.constraint_name.ok_or_else(|| token.to_string())?.to_string(),
        "referred_table_name" => t.referred_table.ok_or_else(|| token.to_string())?.to_string(),
        "column_0_name" | "column_0_key" => t.columns.first().cloned().ok_or_else(|| token.to_string())?,
        "column_0_label" => t.columns.first().map(label).ok_or_else(|| token.to_string())?,
        "column_0N_name" | "column_0N_key" => joined(t.columns.to_vec(), ""),
        "column_0_N_name" | "column_0_N_key" => joined(t.columns.to_vec(), "_"),
        "column_0N_label" => joined(t.columns.iter().map(label).collect(), ""),
        "column_0_N_label" => joined(t.columns.iter().map(label).collect(), "_"),
        "referred_column_0_name" => t.referred_columns.first().cloned().ok_or_else(|| token.to_string())?,
        "referred_column_0N_name" => joined(t.referred_columns.to_vec(), ""),
        "referred_column_0_N_name" => joined(t.referred_columns.to_vec(), "_"),
        other => return Err(other.to_string()),
    })
}

/// Names one constraint: `Ok(Some(name))` when the convention applies.
fn convention_name(
    convention: &BTreeMap<String, String>,
    key: &str,
    current: Option<&str>,
    tokens: Tokens<'_>,
) -> Result<Option<String>, String> {
    let Some(template) = convention.get(key) else { return Ok(None) };
    let uses_name = template.contains("%(constraint_name)s");
    match (current, uses_name) {
        // An explicit name is kept unless the template builds on it.
        (Some(_), false) => Ok(None),
        (None, true) => Err(format!(
            "Naming convention including %(constraint_name)s token requires that constraint is explicitly named."
        )),
        _ => fill(template, &tokens).map(Some).map_err(|token| format!("Key '{token}' is not a valid naming convention token")),
    }
}

/// Applies `convention` to every constraint and index of `table`. Problems
/// are returned as SQLAlchemy words them.
pub fn apply(convention: &BTreeMap<String, String>, table: &mut Table) -> Vec<String> {
    let mut problems = Vec::new();
    let name = table.name.clone();
    let mut set = |key: &str, current: &mut Option<String>, source: &mut NameSource, columns: &[String], referred: Option<(&str, &[String])>| {
        let tokens = Tokens {
            table: &name,
            columns,
            referred_table: referred.map(|r| r.0),
            referred_columns: referred.map(|r| r.1).unwrap_or(&[]),
            constraint_name: current.as_deref(),
        };
        match convention_name(convention, key, current.as_deref(), tokens) {
            Ok(Some(n)) => {
                *current = Some(n);
                *source = NameSource::Convention;
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    };
    if !table.primary_key.columns.is_empty() {
        let mut source = NameSource::None;
        let columns = table.primary_key.columns.clone();
        set("pk", &mut table.primary_key.name, &mut source, &columns, None);
    }
    for constraint in &mut table.constraints {
        match constraint {
            Constraint::Unique(u) => {
                let columns = u.columns.clone();
                set("uq", &mut u.name, &mut u.name_source, &columns, None);
            }
            Constraint::Check(c) => {
                set("ck", &mut c.name, &mut c.name_source, &[], None);
            }
            Constraint::ForeignKey(fk) => {
                let columns = fk.columns.clone();
                let referred = (fk.ref_table.clone(), fk.ref_columns.clone());
                set("fk", &mut fk.name, &mut fk.name_source, &columns, Some((&referred.0, &referred.1)));
            }
        }
    }
    for index in &mut table.indexes {
        let columns = index.columns.clone();
        set("ix", &mut index.name, &mut index.name_source, &columns, None);
    }
    problems
}
