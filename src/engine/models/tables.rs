//! Mapping: how a declarative class (or a `Table(...)` call) becomes a
//! `Table` — column names, nullability, primary key, the constraints and
//! indexes that `unique=True`, `index=True` and `ForeignKey` imply, in the
//! order SQLAlchemy creates them.

use crate::engine::metadata::{
    Column, Constraint, ForeignKeyConstraint, Index, NameSource, Origin, PrimaryKey, Table, UniqueConstraint,
};
use crate::engine::sqltypes::{SqlType, TypeName};

use super::value::{ColumnDef, TableItem};

/// A problem found while mapping, with where it is.
pub struct MappingProblem {
    pub origin: Origin,
    pub message: String,
    pub hint: Option<String>,
}

/// Builds a table from its columns and `__table_args__` items.
/// `table_items` come first in constraint order: they were created while the
/// class body ran, before the table existed; the constraints that column
/// flags and `ForeignKey`s imply are created as each column joins the table.
pub fn build_table(
    name: &str,
    columns: &[(String, ColumnDef)],
    table_items: &[TableItem],
    origin: Origin,
    problems: &mut Vec<MappingProblem>,
) -> Table {
    let mut table = Table::new(name);
    table.origin = Some(origin.clone());
    let mut pk_columns = Vec::new();
    let mut flag_constraints = Vec::new();
    let mut flag_indexes = Vec::new();
    for (attr, def) in columns {
        let col_name = def.name.clone().unwrap_or_else(|| attr.clone());
        if table.column(&col_name).is_some() {
            problems.push(MappingProblem {
                origin: def.origin.clone(),
                message: format!("sqlalchemy.exc.ArgumentError: Column object '{col_name}' already assigned to Table '{name}'"),
                hint: Some(format!("two attributes map to the column '{col_name}'")),
            });
            continue;
        }
        // A column without a type takes its foreign key target's (resolved later).
        let type_ = def.type_.clone().unwrap_or_else(|| SqlType::new(TypeName::NULLTYPE));
        let mut column = Column::new(&col_name, type_);
        column.primary_key = def.primary_key;
        column.nullable = def.nullable.unwrap_or(!def.primary_key);
        if def.primary_key && def.nullable.is_none() {
            column.nullable = false;
        }
        column.server_default = def.server_default.clone();
        column.default = def.default.clone();
        column.autoincrement = def.autoincrement;
        column.comment = def.comment.clone();
        column.info = def.info.clone();
        column.unique = def.unique.unwrap_or(false);
        column.index = def.index.unwrap_or(false);
        column.origin = Some(def.origin.clone());
        if def.primary_key {
            pk_columns.push(col_name.clone());
        }
        if column.index {
            flag_indexes.push(Index {
                name: None,
                name_source: NameSource::None,
                columns: vec![col_name.clone()],
                unique: column.unique,
            });
        } else if column.unique {
            flag_constraints.push(Constraint::Unique(UniqueConstraint {
                name: None,
                name_source: NameSource::None,
                columns: vec![col_name.clone()],
            }));
        }
        for fk in &def.foreign_keys {
            let (ref_table, ref_column) = split_target(&fk.target);
            flag_constraints.push(Constraint::ForeignKey(ForeignKeyConstraint {
                name: fk.name.clone(),
                name_source: if fk.name.is_some() { NameSource::Explicit } else { NameSource::None },
                columns: vec![col_name.clone()],
                ref_table,
                ref_columns: vec![ref_column],
                ondelete: fk.ondelete.clone(),
                onupdate: fk.onupdate.clone(),
                deferrable: fk.deferrable,
                initially: fk.initially.clone(),
                origin: Some(fk.origin.clone()),
            }));
        }
        table.columns.push(column);
    }
    let mut explicit_pk = None;
    for item in table_items {
        match item {
            TableItem::Unique(u) => table.constraints.push(Constraint::Unique(u.clone())),
            TableItem::Check(c) => table.constraints.push(Constraint::Check(c.clone())),
            TableItem::ForeignKey(fk) => table.constraints.push(Constraint::ForeignKey(fk.clone())),
            TableItem::Index(index) => table.indexes.push(index.clone()),
            TableItem::PrimaryKey { name, columns } => explicit_pk = Some((name.clone(), columns.clone())),
        }
    }
    table.constraints.extend(flag_constraints);
    table.indexes.extend(flag_indexes);
    if let Some((pk_name, columns)) = explicit_pk {
        for c in &mut table.columns {
            if columns.contains(&c.name) {
                c.primary_key = true;
                c.nullable = false;
            }
        }
        pk_columns = columns;
        table.primary_key.name = pk_name;
    }
    table.primary_key = PrimaryKey { name: table.primary_key.name.take(), columns: pk_columns };
    // Every column a constraint names must exist.
    let known: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let mut check = |cols: &[String], what: &str| {
        for c in cols {
            if !known.contains(c) && !c.contains(['(', ' ']) {
                problems.push(MappingProblem {
                    origin: origin.clone(),
                    message: format!("sqlalchemy.exc.ArgumentError: Can't create {what} on table '{name}': no column named '{c}' is present."),
                    hint: None,
                });
            }
        }
    };
    for constraint in &table.constraints {
        match constraint {
            Constraint::Unique(u) => check(&u.columns, "UniqueConstraint"),
            Constraint::ForeignKey(fk) => check(&fk.columns, "ForeignKeyConstraint"),
            Constraint::Check(_) => {}
        }
    }
    for index in &table.indexes {
        check(&index.columns, "Index");
    }
    table
}

/// `"user.id"` → (`user`, `id`); a target without a dot refers to a column of that name.
pub fn split_target(target: &str) -> (String, String) {
    match target.rsplit_once('.') {
        Some((table, column)) => (table.to_string(), column.to_string()),
        None => (String::new(), target.to_string()),
    }
}
