//! Alembic's batch mode on SQLite: a `with op.batch_alter_table(...)` block
//! queues its operations and runs them when it ends (`BatchOperationsImpl.
//! flush`). When they are only column additions (with constant defaults) and
//! index changes, they run as plain ALTERs; anything else rebuilds the
//! table ("move and copy", `ApplyBatchImpl`): reflect it, apply the queued
//! changes to the reflected copy, `CREATE TABLE _alembic_tmp_<name>`, copy
//! the rows with `INSERT INTO ... SELECT`, drop the old table, rename the new
//! one, and create the indexes again.

use std::collections::{HashMap, HashSet};

use super::error::{exception, exception_after_key_error, key_error};
use super::{column_calls, create_table_sql, fail, named_index, rename_table_sql, ImplCall, Runner, Step};
use crate::engine::ddl::{self, quote};
use crate::engine::metadata::{
    CheckConstraint, Column, Constraint as TableConstraint, ForeignKeyConstraint, Index, PrimaryKey, ServerDefault,
    Table, UniqueConstraint,
};
use crate::engine::migrate::apply::sql::Statement;
use crate::engine::migrate::ops::{AlterColumn, ConstraintDef, Op};
use crate::engine::reflect;
use crate::engine::sqltypes::{SqlType, TypeName};

/// Runs one batch block on `table`.
pub(super) fn run(runner: &mut Runner, table: &str, ops: &[Op]) -> Step {
    let mut calls = Vec::new();
    queue(runner, table, ops, &mut calls)?;
    flush(runner, table, calls)
}

/// What `batch_op.<name>(...)` does when called: most operations are
/// queued; `execute` runs at once, and tables cannot be created or dropped.
fn queue(runner: &mut Runner, table: &str, ops: &[Op], calls: &mut Vec<ImplCall>) -> Step {
    for op in ops {
        match op {
            Op::Execute(_) | Op::BulkInsert { .. } => runner.run_op(op)?,
            Op::CreateTable(_) => {
                return Err(fail(exception("NotImplementedError", "Can't create table in batch mode")))
            }
            Op::DropTable(_) => return Err(fail(exception("NotImplementedError", "Can't drop table in batch mode"))),
            Op::ModifyTable { ops, .. } => queue(runner, table, ops, calls)?,
            Op::AddColumn { column, .. } => calls.extend(column_calls(table, column)),
            Op::DropColumn { column, .. } => calls.push(ImplCall::DropColumn(column.name.clone())),
            Op::AlterColumn(alter) => calls.push(ImplCall::AlterColumn(Box::new(alter.clone()))),
            Op::RenameTable { new, .. } => calls.push(ImplCall::RenameTable(new.clone())),
            Op::CreateIndex { index, .. } => calls.push(ImplCall::CreateIndex(named_index(table, index))),
            Op::DropIndex { index, .. } => calls.push(ImplCall::DropIndex(named_index(table, index))),
            Op::CreateConstraint { constraint, .. } => calls.push(ImplCall::AddConstraint(constraint.clone())),
            Op::DropConstraint { name, .. } => calls.push(ImplCall::DropConstraint(name.clone())),
        }
    }
    Ok(())
}

/// `SQLiteImpl.requires_recreate_in_batch`: anything but index changes and
/// columns added without a SQL-expression default needs the table rebuilt.
fn requires_recreate(calls: &[ImplCall]) -> bool {
    calls.iter().any(|call| match call {
        ImplCall::AddColumn(column) => !matches!(column.server_default, None | Some(ServerDefault::Literal(_))),
        ImplCall::CreateIndex(_) | ImplCall::DropIndex(_) => false,
        _ => true,
    })
}

fn flush(runner: &mut Runner, table: &str, calls: Vec<ImplCall>) -> Step {
    if calls.is_empty() {
        return Ok(());
    }
    if !requires_recreate(&calls) {
        return calls.into_iter().try_for_each(|call| runner.run_call(table, call));
    }
    let Some(conn) = runner.conn else {
        return Err(fail(super::Failure::Command(format!(
            "This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database \
             connection with which to reflect the table \"{table}\". To generate a batch SQL migration script using \
             table \"move and copy\", a complete Table object should be passed to the \"copy_from\" argument of the \
             batch_alter_table() method so that table reflection can be skipped."
        ))));
    };
    let mut reflection_errors = Vec::new();
    let reflected = reflect::reflect_table(conn, table, &mut Vec::new(), &mut reflection_errors)
        .map_err(|e| runner.refused(&Statement::plain(format!("PRAGMA main.table_xinfo(\"{table}\")")), &e))?;
    let Some(reflected) = reflected else {
        return Err(fail(exception("sqlalchemy.exc.NoSuchTableError", table)));
    };
    // Where SQLAlchemy's reflection raises (a foreign key to a missing table).
    if let Some(error) = reflection_errors.first() {
        let (class, message) = error.split_once(": ").unwrap_or(("InvalidRequestError", error));
        return Err(fail(exception(&format!("sqlalchemy.exc.{class}"), message)));
    }
    let mut batch = BatchTable::from_reflected(reflected, &mut runner.warnings);
    for call in calls {
        batch.apply(call)?;
    }
    batch.create(runner)
}

/// Where a column's rows come from in the copy.
#[derive(Debug, Clone)]
struct Source {
    /// The column of the old table.
    column: String,
    /// `CAST(... AS type)` around it, innermost first (a type change across
    /// SQLAlchemy type affinities).
    casts: Vec<SqlType>,
}

#[derive(Debug, Clone)]
struct BatchColumn {
    /// The name the column had when the batch began (or was added with):
    /// SQLAlchemy keeps referring to a renamed column by it.
    key: String,
    column: Column,
    /// `None` for a column added by the batch: it has no data to copy.
    source: Option<Source>,
}

/// A table constraint, its columns given by key.
#[derive(Debug, Clone)]
enum Constraint {
    Primary(PrimaryKey),
    Unique(UniqueConstraint),
    ForeignKey(ForeignKeyConstraint),
    Check(CheckConstraint),
}

impl Constraint {
    fn name(&self) -> Option<&str> {
        match self {
            Constraint::Primary(c) => c.name.as_deref(),
            Constraint::Unique(c) => c.name.as_deref(),
            Constraint::ForeignKey(c) => c.name.as_deref(),
            Constraint::Check(c) => c.name.as_deref(),
        }
    }

    /// `_columns_for_constraint`: a CHECK's text names no column objects.
    fn column_keys(&self) -> &[String] {
        match self {
            Constraint::Primary(c) => &c.columns,
            Constraint::Unique(c) => &c.columns,
            Constraint::ForeignKey(c) => &c.columns,
            Constraint::Check(_) => &[],
        }
    }
}

impl From<ConstraintDef> for Constraint {
    fn from(def: ConstraintDef) -> Self {
        match def {
            ConstraintDef::Unique(c) => Constraint::Unique(c),
            ConstraintDef::ForeignKey(c) => Constraint::ForeignKey(c),
            ConstraintDef::Check(c) => Constraint::Check(c),
        }
    }
}

/// `ApplyBatchImpl`: the reflected table and the changes made to it.
struct BatchTable {
    name: String,
    temp_name: String,
    columns: Vec<BatchColumn>,
    /// The table's column keys in their original order, less dropped ones.
    existing_ordering: Vec<String>,
    /// `(before, after)` pairs placing added columns.
    add_col_ordering: Vec<(String, String)>,
    named_constraints: Vec<(String, Constraint)>,
    unnamed_constraints: Vec<Constraint>,
    /// The table's indexes (created again after the copy), by name.
    indexes: Vec<Index>,
    /// Indexes the batch creates.
    new_indexes: Vec<Index>,
}

impl BatchTable {
    /// `_grab_table_elements` over a reflected table.
    fn from_reflected(table: Table, warnings: &mut Vec<String>) -> Self {
        let columns: Vec<BatchColumn> = table
            .columns
            .into_iter()
            .map(|mut column| {
                column.unique = false;
                column.index = false;
                column.server_default = column.server_default.map(parenthesized_reflected_default);
                BatchColumn {
                    key: column.name.clone(),
                    source: Some(Source { column: column.name.clone(), casts: Vec::new() }),
                    column,
                }
            })
            .collect();
        let mut batch = BatchTable {
            temp_name: temp_table_name(&table.name),
            name: table.name.clone(),
            existing_ordering: columns.iter().map(|c| c.key.clone()).collect(),
            columns,
            add_col_ordering: Vec::new(),
            named_constraints: Vec::new(),
            unnamed_constraints: Vec::new(),
            indexes: table.indexes,
            new_indexes: Vec::new(),
        };
        // `Table.constraints` is a set in SQLAlchemy (no reliable order);
        // the primary key comes first here, then reflection's order.
        let constraints = std::iter::once(Constraint::Primary(table.primary_key)).chain(
            table.constraints.into_iter().map(|c| match c {
                TableConstraint::Unique(c) => Constraint::Unique(c),
                TableConstraint::ForeignKey(c) => Constraint::ForeignKey(c),
                TableConstraint::Check(c) => Constraint::Check(c),
            }),
        );
        for constraint in constraints {
            match (constraint.name().map(str::to_string), &constraint) {
                (None, Constraint::Check(_)) => warnings.push(format!(
                    "<VENV>/lib/python3.11/site-packages/alembic/operations/batch.py:298: UserWarning: Unnamed CHECK \
                     constraint on reflected table '{}' is being omitted from the table recreate; pass the constraint \
                     explicitly using batch_alter_table.table_args.  Naming CHECK constraints avoids this going \
                     forward.\n  util.warn(",
                    batch.name
                )),
                (Some(name), _) => batch.named_constraints.push((name, constraint)),
                (None, _) => batch.unnamed_constraints.push(constraint),
            }
        }
        batch
    }

    fn column_mut(&mut self, key: &str) -> Option<&mut BatchColumn> {
        self.columns.iter_mut().find(|c| c.key == key)
    }

    fn apply(&mut self, call: ImplCall) -> Step {
        match call {
            ImplCall::AddColumn(column) => self.add_column(*column),
            ImplCall::DropColumn(name) => self.drop_column(&name),
            ImplCall::AlterColumn(alter) => self.alter_column(&alter),
            ImplCall::RenameTable(_) => Err(fail(exception("NotImplementedError", "TODO"))),
            ImplCall::CreateIndex(index) => {
                replace_or_push(&mut self.new_indexes, index, |i| i.name.clone());
                Ok(())
            }
            ImplCall::DropIndex(index) => {
                let name = index.name.unwrap_or_default();
                match self.indexes.iter().position(|i| i.name.as_deref() == Some(name.as_str())) {
                    Some(position) => {
                        self.indexes.remove(position);
                        Ok(())
                    }
                    None => {
                        Err(fail(exception_after_key_error(&name, "ValueError", &format!("No such index: '{name}'"))))
                    }
                }
            }
            ImplCall::AddConstraint(def) => {
                let Some(name) = def.name().map(str::to_string) else {
                    return Err(fail(exception("ValueError", "Constraint must have a name")));
                };
                let constraint = Constraint::from(def);
                match self.named_constraints.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = constraint,
                    None => self.named_constraints.push((name, constraint)),
                }
                Ok(())
            }
            ImplCall::DropConstraint(name) => {
                let Some(name) = name else {
                    return Err(fail(exception("ValueError", "Constraint must have a name")));
                };
                let Some(position) = self.named_constraints.iter().position(|(n, _)| *n == name) else {
                    return Err(fail(exception_after_key_error(
                        &name,
                        "ValueError",
                        &format!("No such constraint: '{name}'"),
                    )));
                };
                let (_, dropped) = self.named_constraints.remove(position);
                if let Constraint::Primary(key) = dropped {
                    for key in &key.columns {
                        if let Some(column) = self.column_mut(key) {
                            column.column.primary_key = false;
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn add_column(&mut self, column: Column) -> Step {
        // `_setup_dependencies_for_add_column`: after the last existing column.
        if let Some(last) = self.existing_ordering.last() {
            self.add_col_ordering.push((last.clone(), column.name.clone()));
        }
        let added = BatchColumn { key: column.name.clone(), column, source: None };
        match self.columns.iter().position(|c| c.key == added.key) {
            Some(position) => self.columns[position] = added,
            None => self.columns.push(added),
        }
        Ok(())
    }

    fn drop_column(&mut self, name: &str) -> Step {
        for constraint in self.named_constraints.iter_mut().map(|(_, c)| c).chain(self.unnamed_constraints.iter_mut()) {
            if let Constraint::Primary(key) = constraint {
                key.columns.retain(|c| c != name);
            }
        }
        let Some(position) = self.columns.iter().position(|c| c.key == name) else {
            return Err(fail(key_error(name)));
        };
        self.columns.remove(position);
        match self.existing_ordering.iter().position(|c| c == name) {
            Some(position) => {
                self.existing_ordering.remove(position);
                Ok(())
            }
            None => Err(fail(exception("ValueError", "list.remove(x): x not in list"))),
        }
    }

    fn alter_column(&mut self, alter: &AlterColumn) -> Step {
        let Some(existing) = self.column_mut(&alter.column) else {
            return Err(fail(key_error(&alter.column)));
        };
        if let Some(name) = &alter.modify_name {
            existing.column.name = name.clone();
        }
        if let Some(type_) = &alter.modify_type {
            // `SQLiteImpl.cast_for_batch_migrate`
            if type_affinity(existing.column.type_.name) != type_affinity(type_.name)
                && !matches!(type_.name, TypeName::Json | TypeName::JSON)
            {
                let Some(source) = existing.source.as_mut() else {
                    return Err(fail(key_error("expr")));
                };
                source.casts.push(type_.clone());
            }
            existing.column.type_ = type_.clone();
        }
        if let Some(nullable) = alter.modify_nullable {
            existing.column.nullable = nullable;
        }
        if let Some(default) = &alter.modify_server_default {
            existing.column.server_default = default.clone();
        }
        if let Some(comment) = &alter.modify_comment {
            existing.column.comment = comment.clone();
        }
        Ok(())
    }

    /// `_adjust_self_columns_for_partial_reordering`: the existing order
    /// plus each added column's place, sorted topologically in layers.
    fn reorder(&mut self) {
        let keys: Vec<String> = self.columns.iter().map(|c| c.key.clone()).collect();
        let mut pairs: HashSet<(String, String)> = HashSet::new();
        for (i, key) in self.existing_ordering.iter().enumerate().skip(1) {
            pairs.insert((keys[i - 1].clone(), key.clone()));
        }
        pairs.extend(self.add_col_ordering.iter().cloned());
        let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
        for (parent, child) in pairs.iter().filter(|(a, b)| a != b) {
            parents.entry(child.as_str()).or_default().push(parent.as_str());
        }
        let mut todo: Vec<&str> = keys.iter().map(String::as_str).collect();
        let mut sorted: Vec<String> = Vec::new();
        while !todo.is_empty() {
            let layer: Vec<&str> = todo
                .iter()
                .copied()
                .filter(|key| parents.get(key).is_none_or(|ps| ps.iter().all(|p| !todo.contains(p))))
                .collect();
            if layer.is_empty() {
                // A cycle (only possible with insert_before/after): leave the order.
                return;
            }
            todo.retain(|key| !layer.contains(key));
            sorted.extend(layer.into_iter().map(str::to_string));
        }
        let mut columns = std::mem::take(&mut self.columns);
        for key in sorted {
            if let Some(position) = columns.iter().position(|c| c.key == key) {
                self.columns.push(columns.remove(position));
            }
        }
    }

    /// The current name of the column with this key.
    fn current_name(&self, key: &str) -> Option<&str> {
        self.columns.iter().find(|c| c.key == key).map(|c| c.column.name.as_str())
    }

    fn names_for(&self, keys: &[String]) -> Vec<String> {
        keys.iter().map(|k| self.current_name(k).unwrap_or(k).to_string()).collect()
    }

    /// `_transfer_elements_to_new_table`: the new table under its temporary name.
    fn new_table(&mut self) -> Table {
        if !self.add_col_ordering.is_empty() {
            self.reorder();
        }
        let mut table = Table::new(&self.temp_name);
        table.columns = self.columns.iter().map(|c| c.column.clone()).collect();
        let keys: HashSet<&str> = self.columns.iter().map(|c| c.key.as_str()).collect();
        let kept: Vec<&Constraint> = self
            .named_constraints
            .iter()
            .map(|(_, c)| c)
            .chain(self.unnamed_constraints.iter())
            .filter(|c| c.column_keys().iter().all(|k| keys.contains(k.as_str())))
            .collect();
        // Columns flagged primary_key make the key unless a key constraint is copied.
        table.primary_key = PrimaryKey {
            name: None,
            columns: self.columns.iter().filter(|c| c.column.primary_key).map(|c| c.column.name.clone()).collect(),
        };
        for constraint in kept {
            match constraint {
                Constraint::Primary(key) => {
                    table.primary_key = PrimaryKey { name: key.name.clone(), columns: self.names_for(&key.columns) }
                }
                Constraint::Unique(unique) => table.constraints.push(TableConstraint::Unique(UniqueConstraint {
                    columns: self.names_for(&unique.columns),
                    ..unique.clone()
                })),
                Constraint::ForeignKey(fk) => {
                    table.constraints.push(TableConstraint::ForeignKey(ForeignKeyConstraint {
                        columns: self.names_for(&fk.columns),
                        ..fk.clone()
                    }))
                }
                Constraint::Check(check) => table.constraints.push(TableConstraint::Check(check.clone())),
            }
        }
        table
    }

    /// `ApplyBatchImpl._create`.
    fn create(mut self, runner: &mut Runner) -> Step {
        let new_table = self.new_table();
        runner.exec(Statement::plain(create_table_sql(&new_table)))?;
        // An added `Column(index=True)` indexes the new table under its
        // temporary name (besides the `ix_<table>_<column>` queued for it).
        for column in self.columns.iter().filter(|c| c.source.is_none() && c.column.index) {
            let index = Index {
                name: Some(format!("ix_{}_{}", self.temp_name, column.column.name)),
                name_source: Default::default(),
                columns: vec![column.column.name.clone()],
                unique: false,
            };
            runner.exec(Statement::plain(ddl::create_index(&self.temp_name, &index)))?;
        }

        let copied: Vec<&BatchColumn> = self.columns.iter().filter(|c| c.source.is_some()).collect();
        let targets: Vec<String> = copied.iter().map(|c| quote(&c.column.name)).collect();
        let sources: Vec<String> = copied
            .iter()
            .filter_map(|c| c.source.as_ref())
            .map(|source| {
                let mut expression = format!("{}.{}", quote(&self.name), quote(&source.column));
                for type_ in &source.casts {
                    expression = format!("CAST({expression} AS {})", type_.sqlite_ddl());
                }
                if source.casts.is_empty() {
                    expression
                } else {
                    format!("{expression} AS {}", quote(&source.column))
                }
            })
            .collect();
        let copy = format!(
            "INSERT INTO {} ({}) SELECT {} \nFROM {}",
            quote(&self.temp_name),
            targets.join(", "),
            sources.join(", "),
            quote(&self.name)
        );
        let copied_and_dropped = runner
            .exec(Statement::plain(copy))
            .and_then(|()| runner.exec(Statement::plain(format!("\nDROP TABLE {}", quote(&self.name)))));
        if let Err(error) = copied_and_dropped {
            // Alembic drops the new table and re-raises; the drop runs in the
            // transaction the INSERT opened, so the rollback undoes it and
            // `_alembic_tmp_<name>` stays behind.
            let _ = runner.exec(Statement::plain(format!("\nDROP TABLE {}", quote(&self.temp_name))));
            return Err(error);
        }
        runner.exec(Statement::plain(rename_table_sql(&self.temp_name, &self.name)))?;

        for index in &self.indexes {
            let index = Index { columns: self.names_for(&index.columns), ..index.clone() };
            runner.exec(Statement::plain(ddl::create_index(&self.name, &index)))?;
        }
        for index in &self.new_indexes {
            let mut columns = Vec::new();
            for key in &index.columns {
                match self.current_name(key) {
                    Some(name) => columns.push(name.to_string()),
                    None => return Err(fail(key_error(key))),
                }
            }
            let index = Index { columns, ..index.clone() };
            runner.exec(Statement::plain(ddl::create_index(&self.name, &index)))?;
        }
        Ok(())
    }
}

/// `_alembic_tmp_<name>`, cut to 50 characters.
fn temp_table_name(table: &str) -> String {
    format!("_alembic_tmp_{table}").chars().take(50).collect()
}

fn replace_or_push<T, K: PartialEq>(items: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
    match items.iter().position(|existing| key(existing) == key(&item)) {
        Some(position) => items[position] = item,
        None => items.push(item),
    }
}

/// `SQLiteImpl.autogen_column_reflect`, which batch reflection runs: a
/// reflected default that looks like an unparenthesized SQL expression gets
/// parentheses (`CURRENT_TIMESTAMP` → `(CURRENT_TIMESTAMP)`, and, by the
/// letter of its pattern, any number of two or more characters).
fn parenthesized_reflected_default(default: ServerDefault) -> ServerDefault {
    let ServerDefault::Reflected(text) = default else { return default };
    let single_line = !text.contains('\n');
    let is_constant = text.is_empty()
        || (text.chars().count() == 1 && text.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || (single_line && text.len() >= 3 && text.starts_with('\'') && text.ends_with('\''))
        || (single_line && text.len() >= 3 && text.starts_with('(') && text.ends_with(')'));
    if is_constant {
        ServerDefault::Reflected(text)
    } else {
        ServerDefault::Reflected(format!("({text})"))
    }
}

/// SQLAlchemy's `_type_affinity`: the type class just below `TypeEngine`
/// (`VARCHAR` and `Text` → `String`; `Float` and `Numeric` → `Numeric`).
fn type_affinity(name: TypeName) -> &'static str {
    use TypeName::*;
    match name {
        Integer | BigInteger | SmallInteger | INTEGER | BIGINT | SMALLINT => "Integer",
        String | Text | Unicode | UnicodeText | Enum | VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT | CLOB => "String",
        Float | Double | Numeric | FLOAT | REAL | DOUBLE | DOUBLE_PRECISION | NUMERIC | DECIMAL => "Numeric",
        Boolean | BOOLEAN => "Boolean",
        Date | DATE => "Date",
        DateTime | DATETIME | TIMESTAMP => "DateTime",
        Time | TIME => "Time",
        Interval => "Interval",
        Json | JSON => "JSON",
        LargeBinary | BLOB | BINARY | VARBINARY => "_Binary",
        Uuid | UUID => "Uuid",
        NULLTYPE => "NullType",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflected_defaults_get_parentheses_as_alembic_gives_them() {
        let shown = |text: &str| match parenthesized_reflected_default(ServerDefault::Reflected(text.into())) {
            ServerDefault::Reflected(s) => s,
            _ => unreachable!(),
        };
        assert_eq!(shown("0"), "0");
        assert_eq!(shown("10"), "(10)");
        assert_eq!(shown("'draft'"), "'draft'");
        assert_eq!(shown("''"), "('')");
        assert_eq!(shown("CURRENT_TIMESTAMP"), "(CURRENT_TIMESTAMP)");
        assert_eq!(shown("(1 + 1)"), "(1 + 1)");
    }

    #[test]
    fn temp_names_are_cut_at_fifty() {
        assert_eq!(temp_table_name("user"), "_alembic_tmp_user");
        assert_eq!(temp_table_name(&"x".repeat(60)).len(), 50);
    }
}
