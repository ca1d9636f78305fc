//! `UpgradeOps.as_diffs()` and its Python repr, which `alembic check` prints
//! after `New upgrade operations detected: `: one tuple per op
//! (`('add_column', None, 'user', Column(...))`), a list of tuples per
//! `alter_column`, the `ModifyTable` groups flattened away.

use crate::engine::metadata::{MetaData, ServerDefault, Table};
use crate::engine::migrate::ops::{AlterColumn, ConstraintDef, Op};

use super::pyrepr::{
    foreign_key_repr, index_repr, py_bool, py_str, server_default_repr, table_column_repr, table_repr, type_repr,
    unique_repr,
};

/// Where the objects of the ops come from, to show their columns as
/// SQLAlchemy has them at the end of the comparison.
struct Sources<'a> {
    models: &'a MetaData,
    database: &'a MetaData,
}

impl Sources<'_> {
    /// How many `ForeignKey` objects a database column carries: autogenerate
    /// adds a second one to columns of tables it compared foreign keys of.
    fn database_fk_copies(&self, table: &str) -> usize {
        if self.models.table(table).is_some() {
            2
        } else {
            1
        }
    }
}

/// The Python repr of `as_diffs()` for these upgrade ops. `models` and
/// `database` are what `compare` was given: an index or a column is shown
/// with its table's columns, which the ops alone don't carry.
pub fn diffs_repr(ops: &[Op], models: &MetaData, database: &MetaData) -> String {
    let sources = Sources { models, database };
    let mut items = Vec::new();
    collect(ops, &sources, &mut items);
    format!("[{}]", items.join(", "))
}

fn collect(ops: &[Op], sources: &Sources<'_>, items: &mut Vec<String>) {
    for op in ops {
        match op {
            Op::ModifyTable { ops, .. } => collect(ops, sources, items),
            other => items.push(diff_repr(other, sources)),
        }
    }
}

fn model_table<'a>(sources: &Sources<'a>, name: &str) -> Option<&'a Table> {
    sources.models.table(name)
}

fn diff_repr(op: &Op, sources: &Sources<'_>) -> String {
    match op {
        Op::CreateTable(table) => format!("('add_table', {})", table_repr(table, 1)),
        Op::DropTable(table) => format!("('remove_table', {})", table_repr(table, 1)),
        Op::AddColumn { table, column } => {
            let column_repr = match model_table(sources, table) {
                Some(t) => table_column_repr(t, column, 1),
                None => table_column_repr(&Table::new(table.as_str()), column, 1),
            };
            format!("('add_column', None, {}, {column_repr})", py_str(table))
        }
        Op::DropColumn { table, column } => {
            let copies = sources.database_fk_copies(table);
            let column_repr = match sources.database.table(table) {
                Some(t) => table_column_repr(t, column, copies),
                None => table_column_repr(&Table::new(table.as_str()), column, copies),
            };
            format!("('remove_column', None, {}, {column_repr})", py_str(table))
        }
        Op::CreateIndex { table, index } => {
            format!("('add_index', {})", index_repr(index, model_table(sources, table)))
        }
        Op::DropIndex { table, index } => {
            format!("('remove_index', {})", index_repr(index, sources.database.table(table)))
        }
        Op::CreateConstraint { table, constraint } => match constraint {
            ConstraintDef::ForeignKey(fk) => format!("('add_fk', {})", foreign_key_repr(table, fk)),
            ConstraintDef::Unique(uq) => format!("('add_constraint', {})", unique_repr(table, uq)),
            ConstraintDef::Check(ck) => {
                format!("('add_constraint', CheckConstraint({}))", py_str(&ck.sqltext))
            }
        },
        Op::DropConstraint { table, was, name, .. } => match was {
            Some(ConstraintDef::ForeignKey(fk)) => format!("('remove_fk', {})", foreign_key_repr(table, fk)),
            Some(ConstraintDef::Unique(uq)) => format!("('remove_constraint', {})", unique_repr(table, uq)),
            Some(ConstraintDef::Check(ck)) => {
                format!("('remove_constraint', CheckConstraint({}))", py_str(&ck.sqltext))
            }
            None => format!("('remove_constraint', {})", name.as_deref().map_or("None".into(), py_str)),
        },
        Op::AlterColumn(alter) => alter_repr(alter),
        Op::RenameTable { old, new } => format!("('rename_table', {}, {})", py_str(old), py_str(new)),
        Op::Execute(_) | Op::BulkInsert { .. } | Op::ModifyTable { .. } => "None".into(),
    }
}

fn opt_type_repr(t: &Option<crate::engine::sqltypes::SqlType>) -> String {
    t.as_ref().map_or("None".into(), type_repr)
}

/// `existing_server_default`: `False` when never looked at, `None` when known absent.
fn existing_default_repr(d: &Option<Option<ServerDefault>>) -> String {
    match d {
        None => "False".into(),
        Some(None) => "None".into(),
        Some(Some(default)) => server_default_repr(default),
    }
}

fn opt_bool_repr(b: Option<bool>) -> String {
    b.map_or("None".into(), |b| py_bool(b).into())
}

fn existing_comment_repr(c: &Option<Option<String>>) -> String {
    match c {
        Some(Some(comment)) => py_str(comment),
        _ => "None".into(),
    }
}

/// `AlterColumnOp.to_diff_tuple()`: a list with one tuple per kind of change.
fn alter_repr(alter: &AlterColumn) -> String {
    let head = format!("None, {}, {}", py_str(&alter.table), py_str(&alter.column));
    let mut diffs = Vec::new();
    if let Some(new_type) = &alter.modify_type {
        diffs.push(format!(
            "('modify_type', {head}, {{'existing_nullable': {}, 'existing_server_default': {}, 'existing_comment': {}}}, {}, {})",
            opt_bool_repr(alter.existing_nullable),
            existing_default_repr(&alter.existing_server_default),
            existing_comment_repr(&alter.existing_comment),
            opt_type_repr(&alter.existing_type),
            type_repr(new_type)
        ));
    }
    if let Some(nullable) = alter.modify_nullable {
        diffs.push(format!(
            "('modify_nullable', {head}, {{'existing_type': {}, 'existing_server_default': {}, 'existing_comment': {}}}, {}, {})",
            opt_type_repr(&alter.existing_type),
            existing_default_repr(&alter.existing_server_default),
            existing_comment_repr(&alter.existing_comment),
            opt_bool_repr(alter.existing_nullable),
            py_bool(nullable)
        ));
    }
    if let Some(new_default) = &alter.modify_server_default {
        diffs.push(format!(
            "('modify_default', {head}, {{'existing_nullable': {}, 'existing_type': {}, 'existing_comment': {}}}, {}, {})",
            opt_bool_repr(alter.existing_nullable),
            opt_type_repr(&alter.existing_type),
            existing_comment_repr(&alter.existing_comment),
            existing_default_repr(&alter.existing_server_default),
            new_default.as_ref().map_or("None".into(), server_default_repr)
        ));
    }
    if let Some(new_comment) = &alter.modify_comment {
        diffs.push(format!(
            "('modify_comment', {head}, {{'existing_nullable': {}, 'existing_type': {}, 'existing_server_default': {}}}, {}, {})",
            opt_bool_repr(alter.existing_nullable),
            opt_type_repr(&alter.existing_type),
            existing_default_repr(&alter.existing_server_default),
            existing_comment_repr(&alter.existing_comment),
            new_comment.as_deref().map_or("None".into(), py_str)
        ));
    }
    format!("[{}]", diffs.join(", "))
}
