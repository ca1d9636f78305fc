//! Runs migration ops against a real SQLite database exactly as Alembic
//! 1.20's SQLite implementation does (`operations/toimpl.py`,
//! `ddl/impl.py`, `ddl/sqlite.py`, `ddl/base.py`, `operations/batch.py`),
//! or renders them as `--sql` does.
//!
//! What SQLite cannot ALTER fails as it fails under Alembic: `alter_column`
//! emits `ALTER TABLE t ALTER COLUMN ...`, which SQLite rejects; any ALTER of
//! a constraint raises `NotImplementedError`. Batch mode rebuilds the table
//! ("move and copy", see [`batch`]). Data migrations run SQL strings,
//! `text()` constructs and Core statements (`user.update().where(...)`),
//! which `core` compiles as SQLAlchemy's SQLite compiler does.
//!
//! SQLite DDL is not transactional under Alembic ("Will assume
//! non-transactional DDL"): Python's `sqlite3` driver only opens a
//! transaction before INSERT/UPDATE/DELETE/REPLACE, so every statement before
//! the migration's first data change commits on its own, and a failure
//! leaves them applied; what ran after a data change is rolled back with it.

mod batch;
mod core;
mod dialects;
mod error;
mod sql;

use fallible_iterator::FallibleIterator;
use rusqlite::types::Value;
use rusqlite::Connection;

pub use self::core::unsupported_part as unsupported_core_part;
pub use error::{ApplyError, Chain, Failure, PythonException, SqliteRefusal};
// `--sql` for PostgreSQL and SQL Server.
pub use dialects::OfflineRenderer;

use self::error::{database_error, exception, missing_bind_value, no_constraint_alter, python_str_repr};
use self::sql::{
    bind_names, bind_value, is_dml, literal_repr, literal_sql, params_repr, render_text, text_pieces, Params, Statement,
};
use super::ops::{AlterColumn, ConstraintDef, ExecuteArg, LightTable, Literal, Op};
use crate::engine::ddl::{self, quote};
use crate::engine::metadata::{Column, Index, NameSource, PrimaryKey, Table, UniqueConstraint};

/// Runs `ops` (one migration's upgrade or downgrade) on `conn` and returns
/// the statements run, as Alembic emits them (`ALTER TABLE user ADD COLUMN
/// email VARCHAR(120)`, `CREATE TABLE ...` as [`ddl::create_table`] writes
/// it). On success an open transaction is committed; on failure it is rolled
/// back, and the DDL that ran before it stays, as under Alembic.
pub fn apply_ops(conn: &Connection, ops: &[Op]) -> Result<Vec<String>, ApplyError> {
    apply_ops_with_warnings(conn, ops).0
}

/// [`apply_ops`], with the warnings Python prints on stderr while the ops
/// run (each a `path:line: Category: message` line and its source line, the
/// path under `<VENV>` as the oracle records it).
pub fn apply_ops_with_warnings(conn: &Connection, ops: &[Op]) -> (Result<Vec<String>, ApplyError>, Vec<String>) {
    let mut runner = Runner { conn: Some(conn), statements: Vec::new(), warnings: Vec::new() };
    let result = runner.run_ops(ops);
    let result = runner.finish(result);
    (result, runner.warnings)
}

/// The statements `alembic upgrade --sql` prints for `ops`, each as Alembic
/// writes it (tabs as four spaces, with the `;` terminator; Alembic puts a
/// blank line after each). Batch operations that must rebuild a table fail
/// with Alembic's `CommandError`: there is no database to reflect it from.
pub fn offline_sql(ops: &[Op]) -> Result<Vec<String>, ApplyError> {
    let mut runner = Runner { conn: None, statements: Vec::new(), warnings: Vec::new() };
    let result = runner.run_ops(ops);
    runner.finish(result)
}

/// Runs statements on the connection (or renders them, offline) and keeps
/// what it did.
struct Runner<'c> {
    /// `None` in `--sql` mode.
    conn: Option<&'c Connection>,
    /// What ran (online) or was rendered (offline), in order.
    statements: Vec<String>,
    warnings: Vec<String>,
}

type Step = Result<(), ApplyError>;

fn fail(failure: Failure) -> ApplyError {
    ApplyError::new(failure)
}

impl Runner<'_> {
    fn offline(&self) -> bool {
        self.conn.is_none()
    }

    fn finish(&mut self, result: Step) -> Result<Vec<String>, ApplyError> {
        // The migration's transaction ends here: committed when the ops
        // succeeded, rolled back with the exception otherwise.
        let mut result = result;
        if let Some(conn) = self.conn {
            if !conn.is_autocommit() {
                let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
                if let Err(e) = conn.execute_batch(end) {
                    if result.is_ok() {
                        result = Err(self.refused(&Statement::plain(end), &e));
                    }
                }
            }
        }
        match result {
            Ok(()) => Ok(std::mem::take(&mut self.statements)),
            Err(mut error) => {
                error.statements = std::mem::take(&mut self.statements);
                Err(error)
            }
        }
    }

    fn run_ops(&mut self, ops: &[Op]) -> Step {
        ops.iter().try_for_each(|op| self.run_op(op))
    }

    /// One `op.<name>(...)` call.
    fn run_op(&mut self, op: &Op) -> Step {
        match op {
            Op::CreateTable(table) => self.create_table(table),
            Op::DropTable(table) => self.exec(Statement::plain(format!("\nDROP TABLE {}", quote(&table.name)))),
            Op::AddColumn { table, column } => self.run_calls(table, column_calls(table, column)),
            Op::DropColumn { table, column } => self.run_call(table, ImplCall::DropColumn(column.name.clone())),
            Op::AlterColumn(alter) => self.run_call(&alter.table, ImplCall::AlterColumn(Box::new(alter.clone()))),
            Op::RenameTable { old, new } => self.run_call(old, ImplCall::RenameTable(new.clone())),
            Op::CreateIndex { table, index } => self.run_call(table, ImplCall::CreateIndex(named_index(table, index))),
            Op::DropIndex { table, index } => self.run_call(table, ImplCall::DropIndex(named_index(table, index))),
            Op::CreateConstraint { table, constraint } => {
                self.run_call(table, ImplCall::AddConstraint(constraint.clone()))
            }
            Op::DropConstraint { table, name, .. } => self.run_call(table, ImplCall::DropConstraint(name.clone())),
            Op::Execute(arg) => self.execute(arg),
            Op::BulkInsert { table, rows } => self.bulk_insert(table, rows),
            Op::ModifyTable { table, ops, batch: true } => batch::run(self, table, ops),
            Op::ModifyTable { ops, .. } => self.run_ops(ops),
        }
    }

    fn run_calls(&mut self, table: &str, calls: Vec<ImplCall>) -> Step {
        calls.into_iter().try_for_each(|call| self.run_call(table, call))
    }

    /// `SQLiteImpl.<method>(...)` outside batch mode.
    fn run_call(&mut self, table: &str, call: ImplCall) -> Step {
        match call {
            ImplCall::AddColumn(column) => self.exec(Statement::plain(add_column_sql(table, &column))),
            ImplCall::DropColumn(name) => {
                self.exec(Statement::plain(format!("ALTER TABLE {} DROP COLUMN {}", quote(table), quote(&name))))
            }
            ImplCall::AlterColumn(alter) => self.alter_column(&alter),
            ImplCall::RenameTable(new) => self.exec(Statement::plain(rename_table_sql(table, &new))),
            ImplCall::CreateIndex(index) => self.exec(Statement::plain(ddl::create_index(table, &index))),
            ImplCall::DropIndex(index) => self.exec(Statement::plain(drop_index_sql(&index))),
            ImplCall::AddConstraint(_) | ImplCall::DropConstraint(_) => Err(fail(no_constraint_alter())),
        }
    }

    /// `impl.create_table`: the table, then its indexes.
    fn create_table(&mut self, table: &Table) -> Step {
        self.exec(Statement::plain(create_table_sql(table)))?;
        for index in &table.indexes {
            self.exec(Statement::plain(ddl::create_index(&table.name, &named_index(&table.name, index))))?;
        }
        Ok(())
    }

    /// `DefaultImpl.alter_column`: nullability, default, type, comment and
    /// name, one ALTER each, in that order. SQLite only knows the last.
    fn alter_column(&mut self, alter: &AlterColumn) -> Step {
        let prefix = format!("ALTER TABLE {} ALTER COLUMN {}", quote(&alter.table), quote(&alter.column));
        if let Some(nullable) = alter.modify_nullable {
            let change = if nullable { "DROP NOT NULL" } else { "SET NOT NULL" };
            self.exec(Statement::plain(format!("{prefix} {change}")))?;
        }
        if let Some(default) = &alter.modify_server_default {
            let change = match default {
                Some(default) => format!("SET DEFAULT {}", default.sql()),
                None => "DROP DEFAULT".to_string(),
            };
            self.exec(Statement::plain(format!("{prefix} {change}")))?;
        }
        if let Some(type_) = &alter.modify_type {
            self.exec(Statement::plain(format!("{prefix} TYPE {}", type_.sqlite_ddl())))?;
        }
        if alter.modify_comment.is_some() {
            return Err(fail(column_comment_not_compilable()));
        }
        if let Some(name) = &alter.modify_name {
            self.exec(Statement::plain(format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                quote(&alter.table),
                quote(&alter.column),
                quote(name)
            )))?;
        }
        Ok(())
    }

    /// `op.execute(...)`: a string, a `text()` construct or a Core statement.
    fn execute(&mut self, arg: &ExecuteArg) -> Step {
        match arg {
            ExecuteArg::Core(statement) => {
                let compiled =
                    if self.offline() { core::compile_offline(statement) } else { core::compile_online(statement) };
                self.exec(compiled.map_err(fail)?)
            }
            ExecuteArg::Sql(sql) => self.execute_text(sql, &[]),
            ExecuteArg::Text { sql, bindparams } => {
                let pieces = text_pieces(sql);
                let names = bind_names(&pieces);
                if let Some((unknown, _)) = bindparams.iter().find(|(name, _)| !names.contains(&name.as_str())) {
                    // Raised by `.bindparams()` itself, in the migration script.
                    return Err(fail(Failure::Exception(vec![
                        PythonException {
                            chain: Chain::DirectCause,
                            text: format!("KeyError: {}", python_str_repr(unknown)),
                        },
                        PythonException {
                            chain: Chain::DirectCause,
                            text: format!(
                                "sqlalchemy.exc.ArgumentError: This text() construct doesn't define a bound parameter \
                                 named {}",
                                python_str_repr(unknown)
                            ),
                        },
                    ])));
                }
                self.execute_text(sql, bindparams)
            }
            ExecuteArg::Python(expression) => Err(fail(Failure::Unsupported(format!(
                "cannot run op.execute({expression}): driftlab runs SQL strings, sa.text(...) constructs and Core \
                 insert/update/delete statements on a sa.table(...); write the statement as one of those"
            )))),
        }
    }

    fn execute_text(&mut self, sql: &str, values: &[(String, Literal)]) -> Step {
        let pieces = text_pieces(sql);
        let value_of = |name: &str| values.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        let compiled = render_text(&pieces, |_| "?".to_string());
        let offline = render_text(&pieces, |name| value_of(name).map(literal_sql).unwrap_or_else(|| "NULL".into()));
        let mut bound = Vec::new();
        for name in bind_names(&pieces) {
            match value_of(name) {
                Some(value) => bound.push(bind_value(value)),
                None if self.offline() => {}
                None => {
                    return Err(fail(missing_bind_value(
                        &format!("A value is required for bind parameter {}", python_str_repr(name)),
                        &compiled,
                        "[immutabledict({})]",
                    )))
                }
            }
        }
        let params = if bound.is_empty() { Params::None } else { Params::Single(bound) };
        self.exec(Statement { sql: compiled, params, offline })
    }

    /// `op.bulk_insert(table, rows)`: one executemany online, one INSERT per
    /// row with literal values offline.
    fn bulk_insert(&mut self, table: &LightTable, rows: &[Vec<(String, Literal)>]) -> Step {
        let insert = |keys: &[&str]| -> (String, Vec<String>) {
            let columns: Vec<String> = table
                .columns
                .iter()
                .map(|(name, _)| name.clone())
                .filter(|name| keys.contains(&name.as_str()))
                .collect();
            (insert_sql(&table.name, &columns, &vec!["?".to_string(); columns.len()]), columns)
        };
        if self.offline() {
            for row in rows {
                let mut values = Vec::new();
                for (key, value) in row {
                    let Some((_, type_)) = table.columns.iter().find(|(name, _)| name == key) else {
                        return Err(fail(error::key_error(key)));
                    };
                    if type_.is_none() && !matches!(value, Literal::None) {
                        return Err(fail(exception(
                            "sqlalchemy.exc.CompileError",
                            &format!(
                                "No literal value renderer is available for literal value \"{}\" with datatype NULL",
                                literal_repr(value)
                            ),
                        )));
                    }
                }
                for (name, _) in &table.columns {
                    if let Some((_, value)) = row.iter().find(|(key, _)| key == name) {
                        values.push((name.clone(), literal_sql(value)));
                    }
                }
                let columns: Vec<String> = values.iter().map(|(n, _)| n.clone()).collect();
                let literals: Vec<String> = values.into_iter().map(|(_, v)| v).collect();
                self.exec(Statement::plain(insert_sql(&table.name, &columns, &literals)))?;
            }
            return Ok(());
        }
        let Some(first) = rows.first() else { return Ok(()) };
        // SQLAlchemy compiles the INSERT for the first row's keys and wants
        // every one of them in every row.
        let keys: Vec<&str> = first.iter().map(|(k, _)| k.as_str()).collect();
        let (sql, columns) = insert(&keys);
        let mut bound = Vec::new();
        for (group, row) in rows.iter().enumerate() {
            let mut values = Vec::new();
            for column in &columns {
                match row.iter().find(|(key, _)| key == column) {
                    Some((_, value)) => values.push(bind_value(value)),
                    None => {
                        let shown: Vec<String> = rows
                            .iter()
                            .map(|r| {
                                let items: Vec<String> = r
                                    .iter()
                                    .map(|(k, v)| format!("{}: {}", python_str_repr(k), literal_repr(v)))
                                    .collect();
                                format!("{{{}}}", items.join(", "))
                            })
                            .collect();
                        return Err(fail(missing_bind_value(
                            &format!(
                                "A value is required for bind parameter {}, in parameter group {group}",
                                python_str_repr(column)
                            ),
                            &sql,
                            &sql::multi_repr(&shown),
                        )));
                    }
                }
            }
            bound.push(values);
        }
        let offline = sql.clone();
        self.exec(Statement { sql, params: Params::Many(bound), offline })
    }

    /// Runs (or renders) one statement.
    fn exec(&mut self, statement: Statement) -> Step {
        let Some(conn) = self.conn else {
            self.statements.push(statement.offline_text());
            return Ok(());
        };
        match run_statement(conn, &statement) {
            Ok(()) => {
                self.statements.push(statement.reported());
                Ok(())
            }
            Err(e) => Err(self.refused(&statement, &e)),
        }
    }

    /// The exception SQLAlchemy raises when the driver refuses `statement`.
    fn refused(&self, statement: &Statement, error: &rusqlite::Error) -> ApplyError {
        let (class, message) = classify(error);
        let refusal = SqliteRefusal { class, message, statement: statement.sql.clone() };
        let mut error = ApplyError::new(database_error(&refusal, params_repr(&statement.params).as_deref()));
        error.sqlite = Some(refusal);
        error
    }
}

/// A call of the SQLite impl, after `toimpl.py` turned an op into calls
/// (an added column's `unique=True` becomes its own constraint, ...).
#[derive(Debug, Clone)]
enum ImplCall {
    AddColumn(Box<Column>),
    DropColumn(String),
    AlterColumn(Box<AlterColumn>),
    RenameTable(String),
    CreateIndex(Index),
    DropIndex(Index),
    AddConstraint(ConstraintDef),
    DropConstraint(Option<String>),
}

/// `toimpl.add_column`: the column, then the constraints and indexes its
/// flags put on a table (`unique=True` → an unnamed UNIQUE, `index=True` →
/// `ix_<table>_<column>`).
fn column_calls(table: &str, column: &Column) -> Vec<ImplCall> {
    let mut calls = vec![ImplCall::AddColumn(Box::new(column.clone()))];
    if column.unique {
        calls.push(ImplCall::AddConstraint(ConstraintDef::Unique(UniqueConstraint {
            name: None,
            name_source: NameSource::None,
            columns: vec![column.name.clone()],
        })));
    }
    if column.index {
        let index =
            Index { name: None, name_source: NameSource::None, columns: vec![column.name.clone()], unique: false };
        calls.push(ImplCall::CreateIndex(named_index(table, &index)));
    }
    calls
}

/// An index with its name: one without gets the default naming convention's
/// `ix_<table>_<first column>` (Alembic's `drop_index` with no columns
/// known names its stand-in column `x`).
fn named_index(table: &str, index: &Index) -> Index {
    let mut named = index.clone();
    if named.name.is_none() {
        let column = index.columns.first().map(String::as_str).unwrap_or("x");
        named.name = Some(format!("ix_{table}_{column}"));
    }
    named
}

/// `CreateTable`, as SQLAlchemy compiles it (a newline before, two after).
fn create_table_sql(table: &Table) -> String {
    format!("\n{}\n\n", ddl::create_table(table))
}

fn drop_index_sql(index: &Index) -> String {
    format!("\nDROP INDEX {}", quote(index.name.as_deref().unwrap_or_default()))
}

fn rename_table_sql(old: &str, new: &str) -> String {
    format!("ALTER TABLE {} RENAME TO {}", quote(old), quote(new))
}

/// `ALTER TABLE t ADD COLUMN <spec>`: the column as the SQLite dialect
/// writes it on a table of its own.
fn add_column_sql(table: &str, column: &Column) -> String {
    let mut holder = Table::new(table);
    holder.columns.push(column.clone());
    if column.primary_key {
        holder.primary_key = PrimaryKey { name: None, columns: vec![column.name.clone()] };
    }
    format!("ALTER TABLE {} ADD COLUMN {}", quote(table), ddl::column_spec(&holder, column))
}

/// `table.insert()` for the given columns and value texts.
fn insert_sql(table: &str, columns: &[String], values: &[String]) -> String {
    if columns.is_empty() {
        return format!("INSERT INTO {} DEFAULT VALUES", quote(table));
    }
    let names: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    format!("INSERT INTO {} ({}) VALUES ({})", quote(table), names.join(", "), values.join(", "))
}

/// SQLAlchemy cannot compile alembic's `ColumnComment` for SQLite.
fn column_comment_not_compilable() -> Failure {
    let compiler = "<sqlalchemy.dialects.sqlite.base.SQLiteDDLCompiler object at 0x7f3a5c2e9d10>";
    let element = "<class 'alembic.ddl.base.ColumnComment'>";
    let background = error::background("l7de");
    Failure::Exception(vec![
        PythonException {
            chain: Chain::DirectCause,
            text: "AttributeError: 'SQLiteDDLCompiler' object has no attribute 'visit_clause'".into(),
        },
        PythonException {
            chain: Chain::DirectCause,
            text: format!(
                "sqlalchemy.exc.UnsupportedCompilationError: Compiler {compiler} can't render element of type {element} \
                 {background}"
            ),
        },
        PythonException {
            chain: Chain::DirectCause,
            text: format!(
                "sqlalchemy.exc.UnsupportedCompilationError: Compiler {compiler} can't render element of type \
                 {element}: {element} construct has no default compilation handler. {background}"
            ),
        },
    ])
}

/// Executes one statement as Python's `sqlite3` does: one statement only,
/// a transaction opened first for DML, every parameter set in turn.
fn run_statement(conn: &Connection, statement: &Statement) -> rusqlite::Result<()> {
    if let Some(message) = sql::sqlite_3_40_syntax_error(&statement.sql) {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
            Some(message),
        ));
    }
    let mut batch = rusqlite::Batch::new(conn, &statement.sql);
    let Some(mut prepared) = batch.next()? else { return Ok(()) };
    if !matches!(batch.next(), Ok(None)) {
        return Err(rusqlite::Error::MultipleStatement);
    }
    let sets: Vec<&[Value]> = match &statement.params {
        Params::None => vec![&[]],
        Params::Single(values) => vec![values.as_slice()],
        Params::Many(rows) => rows.iter().map(Vec::as_slice).collect(),
    };
    if is_dml(&statement.sql) && conn.is_autocommit() {
        conn.execute_batch("BEGIN")?;
    }
    for values in sets {
        if prepared.parameter_count() != values.len() {
            return Err(rusqlite::Error::InvalidParameterCount(values.len(), prepared.parameter_count()));
        }
        for (i, value) in values.iter().enumerate() {
            prepared.raw_bind_parameter(i + 1, value)?;
        }
        let mut rows = prepared.raw_query();
        while rows.next()?.is_some() {}
    }
    Ok(())
}

/// The `sqlite3` exception class and message for a driver error.
fn classify(error: &rusqlite::Error) -> (&'static str, String) {
    match error {
        rusqlite::Error::SqliteFailure(e, message) => {
            (error::sqlite3_exception_class(e.extended_code & 0xff), message.clone().unwrap_or_else(|| e.to_string()))
        }
        rusqlite::Error::SqlInputError { error: e, msg, .. } => {
            (error::sqlite3_exception_class(e.extended_code & 0xff), msg.clone())
        }
        rusqlite::Error::MultipleStatement => {
            ("ProgrammingError", "You can only execute one statement at a time.".to_string())
        }
        rusqlite::Error::InvalidParameterCount(supplied, wanted) => (
            "ProgrammingError",
            format!(
                "Incorrect number of bindings supplied. The current statement uses {wanted}, and there are \
                 {supplied} supplied."
            ),
        ),
        other => ("OperationalError", other.to_string()),
    }
}

#[cfg(test)]
mod tests;
