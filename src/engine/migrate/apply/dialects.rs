//! `--sql` output for PostgreSQL and SQL Server: Alembic 1.20's
//! `PostgresqlImpl` and `MSSQLImpl` (`ddl/postgresql.py`, `ddl/mssql.py`
//! over `ddl/impl.py` and `operations/toimpl.py`) turning a migration's ops
//! into statements, compiled by [`Dialect`]. Nothing runs: there is no
//! database, and neither dialect rebuilds tables in batch mode, so batch
//! operations become plain ALTERs. SQLite goes to [`offline_sql`], as before.

use super::error::{self, exception, python_float_repr};
use super::sql::{bind_names, render_text, text_pieces};
use super::{named_index, offline_sql, ApplyError, Failure};
use crate::engine::ddl::Dialect;
use crate::engine::metadata::{Column, Constraint, PrimaryKey, Table};
use crate::engine::migrate::ops::{AlterColumn, ConstraintDef, ExecuteArg, LightTable, Literal, Op};
use crate::engine::sqltypes::SqlType;

/// Where Python reports Alembic's warnings from (Alembic 1.20.1 line numbers),
/// and the source line it shows under each.
const MSSQL_TYPE_WITHOUT_NULLABLE: (&str, &str) = (
    "alembic/ddl/mssql.py:118: UserWarning: MS-SQL ALTER COLUMN operations that specify type_= should also specify \
     a nullable= or existing_nullable= argument to avoid implicit conversion of NOT NULL columns to NULL.",
    "util.warn(",
);
const AUTOINCREMENT_ONLY_MYSQL: &str = "UserWarning: autoincrement and existing_autoincrement only make sense for MySQL";

/// Renders migrations one after another for one `--sql` run, keeping what
/// a run remembers between them: the ENUM types already created.
pub struct OfflineRenderer {
    dialect: Dialect,
    /// PostgreSQL creates a named ENUM type once per run (SQLAlchemy's DDL
    /// runner memo), however many tables use it.
    created_enums: Vec<String>,
}

impl OfflineRenderer {
    pub fn new(dialect: Dialect) -> OfflineRenderer {
        OfflineRenderer { dialect, created_enums: Vec::new() }
    }

    /// The statements `--sql` prints for one migration's `ops`, each as
    /// Alembic writes it (tabs as four spaces, `;` at the end), and the
    /// warnings Python prints on stderr meanwhile (each a `path:line:
    /// Category: message` line and its source line, the path under
    /// `<VENV>`). On failure the error keeps the statements printed before it.
    pub fn render(&mut self, ops: &[Op]) -> (Result<Vec<String>, ApplyError>, Vec<String>) {
        if self.dialect == Dialect::Sqlite {
            return sqlite_offline_sql(ops);
        }
        let mut run = Run { renderer: self, statements: Vec::new(), warnings: Vec::new() };
        let result = run.run_ops(ops);
        let statements = std::mem::take(&mut run.statements);
        let warnings = std::mem::take(&mut run.warnings);
        let result = match result {
            Ok(()) => Ok(statements),
            Err(mut error) => {
                error.statements = statements;
                Err(error)
            }
        };
        (result, warnings)
    }
}

/// SQLite's `--sql` output ([`offline_sql`]), op by op so that the warning
/// `DefaultImpl.alter_column` gives for `autoincrement=` comes out only if
/// the migration gets that far.
fn sqlite_offline_sql(ops: &[Op]) -> (Result<Vec<String>, ApplyError>, Vec<String>) {
    let mut statements = Vec::new();
    let mut warnings = Vec::new();
    let mut flat = Vec::new();
    for op in ops {
        match op {
            Op::ModifyTable { ops, batch: false, .. } => flat.extend(ops),
            op => flat.push(op),
        }
    }
    for op in flat {
        if matches!(op, Op::AlterColumn(alter) if alter.autoincrement.is_some()) {
            warnings.push(format!(
                "<VENV>/lib/python3.11/site-packages/alembic/operations/toimpl.py:57: {AUTOINCREMENT_ONLY_MYSQL}\n  \
                 operations.impl.alter_column(\n"
            ));
        }
        match offline_sql(std::slice::from_ref(op)) {
            Ok(done) => statements.extend(done),
            Err(mut error) => {
                statements.append(&mut error.statements);
                error.statements = statements;
                return (Err(error), warnings);
            }
        }
    }
    (Ok(statements), warnings)
}

type Step = Result<(), ApplyError>;

fn fail(failure: Failure) -> ApplyError {
    ApplyError::new(failure)
}

/// One migration being rendered.
struct Run<'r> {
    renderer: &'r mut OfflineRenderer,
    statements: Vec<String>,
    warnings: Vec<String>,
}

impl Run<'_> {
    fn dialect(&self) -> Dialect {
        self.renderer.dialect
    }

    fn quote(&self, name: &str) -> String {
        self.dialect().quote(name)
    }

    fn mssql(&self) -> bool {
        self.dialect() == Dialect::Mssql
    }

    /// `DefaultImpl._exec` in `--sql` mode: the compiled statement, tabs as
    /// four spaces, stripped, with the terminator.
    fn exec(&mut self, sql: impl AsRef<str>) -> Step {
        self.statements.push(format!("{};", sql.as_ref().replace('\t', "    ").trim()));
        Ok(())
    }

    fn warn(&mut self, location_and_message: &str, source_line: &str) {
        self.warnings.push(format!("<VENV>/lib/python3.11/site-packages/{location_and_message}\n  {source_line}\n"));
    }

    fn alter_table(&self, table: &str) -> String {
        format!("ALTER TABLE {}", self.quote(table))
    }

    fn run_ops(&mut self, ops: &[Op]) -> Step {
        ops.iter().try_for_each(|op| self.run_op(op))
    }

    fn run_op(&mut self, op: &Op) -> Step {
        match op {
            Op::CreateTable(table) => self.create_table(table),
            Op::DropTable(table) => self.exec(format!("DROP TABLE {}", self.quote(&table.name))),
            Op::AddColumn { table, column } => self.add_column(table, column),
            Op::DropColumn { table, column } => {
                self.exec(format!("{} DROP COLUMN {}", self.alter_table(table), self.quote(&column.name)))
            }
            Op::AlterColumn(alter) => match self.dialect() {
                Dialect::Mssql => self.alter_column_mssql(alter),
                _ => self.alter_column_postgresql(alter),
            },
            Op::RenameTable { old, new } => {
                let sql = if self.mssql() {
                    format!("EXEC sp_rename '{}', {}", self.quote(old), self.quote(new))
                } else {
                    format!("{} RENAME TO {}", self.alter_table(old), self.quote(new))
                };
                self.exec(sql)
            }
            Op::CreateIndex { table, index } => {
                let sql = self.dialect().create_index(table, &named_index(table, index));
                self.exec(sql)
            }
            Op::DropIndex { table, index } => {
                let named = named_index(table, index);
                let sql = self.dialect().drop_index(table, named.name.as_deref().unwrap_or_default());
                self.exec(sql)
            }
            Op::CreateConstraint { table, constraint } => {
                let clause = self.dialect().constraint_clause(&table_constraint(constraint));
                self.exec(format!("{} ADD {clause}", self.alter_table(table)))
            }
            Op::DropConstraint { table, name: Some(name), .. } => {
                self.exec(format!("{} DROP CONSTRAINT {}", self.alter_table(table), self.quote(name)))
            }
            Op::DropConstraint { name: None, .. } => Err(fail(Failure::Unsupported(
                "op.drop_constraint() needs the constraint's name: SQLAlchemy can't emit DROP CONSTRAINT without one"
                    .into(),
            ))),
            Op::Execute(arg) => self.execute(arg),
            Op::BulkInsert { table, rows } => self.bulk_insert(table, rows),
            // Only SQLite rebuilds tables in batch mode; elsewhere the
            // operations run as they are.
            Op::ModifyTable { ops, .. } => self.run_ops(ops),
        }
    }

    /// `impl.create_table`: PostgreSQL's ENUM types first, the table, its
    /// indexes, then its comments.
    fn create_table(&mut self, table: &Table) -> Step {
        for column in &table.columns {
            self.create_enum_type(&column.type_)?;
        }
        self.exec(self.dialect().create_table(table))?;
        for index in &table.indexes {
            let sql = self.dialect().create_index(&table.name, &named_index(&table.name, index));
            self.exec(sql)?;
        }
        if let Some(comment) = &table.comment {
            self.comment_on("TABLE", &self.quote(&table.name), Some(comment))?;
        }
        for column in table.columns.iter().filter(|c| c.comment.is_some()) {
            let target = format!("{}.{}", self.quote(&table.name), self.quote(&column.name));
            self.comment_on("COLUMN", &target, column.comment.as_deref())?;
        }
        Ok(())
    }

    /// `CREATE TYPE name AS ENUM (...)` before the first table that uses it.
    fn create_enum_type(&mut self, type_: &SqlType) -> Step {
        let Some((name, values)) = self.dialect().enum_type_to_create(type_) else { return Ok(()) };
        if name.is_empty() {
            return Err(fail(exception("sqlalchemy.exc.CompileError", "PostgreSQL ENUM type requires a name.")));
        }
        if self.renderer.created_enums.iter().any(|n| n == name) {
            return Ok(());
        }
        let labels: Vec<String> = values.iter().map(|v| self.dialect().string_literal(v)).collect();
        let sql = format!("CREATE TYPE {} AS ENUM ({})", self.quote(name), labels.join(", "));
        self.renderer.created_enums.push(name.to_string());
        self.exec(sql)
    }

    /// PostgreSQL's `COMMENT ON TABLE|COLUMN ... IS ...`; SQL Server's
    /// `sp_addextendedproperty` needs the default schema, which SQLAlchemy
    /// only learns on connecting: offline it fails.
    fn comment_on(&mut self, what: &str, target: &str, comment: Option<&str>) -> Step {
        if self.mssql() {
            return Err(fail(exception("AttributeError", "'NoneType' object has no attribute 'startswith'")));
        }
        let literal = comment.map_or_else(|| "NULL".to_string(), |c| self.dialect().string_literal(c));
        self.exec(format!("COMMENT ON {what} {target} IS {literal}"))
    }

    /// `toimpl.add_column`: the column (on a table of its own, so a lone
    /// integer primary key is SERIAL / IDENTITY), then what its flags
    /// make: `unique=True` a UNIQUE constraint, `index=True` an index
    /// (unique when both are set, and then no constraint), then its comment.
    fn add_column(&mut self, table: &str, column: &Column) -> Step {
        let mut holder = Table::new(table);
        holder.columns.push(column.clone());
        if column.primary_key {
            holder.primary_key = PrimaryKey { name: None, columns: vec![column.name.clone()] };
        }
        let spec = self.dialect().column_spec(&holder, column);
        let add = if self.mssql() { "ADD" } else { "ADD COLUMN" };
        self.exec(format!("{} {add} {spec}", self.alter_table(table)))?;
        if column.unique && !column.index {
            self.exec(format!("{} ADD UNIQUE ({})", self.alter_table(table), self.quote(&column.name)))?;
        }
        if column.index {
            let index = crate::engine::metadata::Index {
                name: Some(format!("ix_{table}_{}", column.name)),
                name_source: Default::default(),
                columns: vec![column.name.clone()],
                unique: column.unique,
            };
            let sql = self.dialect().create_index(table, &index);
            self.exec(sql)?;
        }
        if let Some(comment) = &column.comment {
            let target = format!("{}.{}", self.quote(table), self.quote(&column.name));
            self.comment_on("COLUMN", &target, Some(comment))?;
        }
        Ok(())
    }

    /// `PostgresqlImpl.alter_column`: the type first (`ALTER ... TYPE`),
    /// then `DefaultImpl.alter_column`: nullability, default, comment, name.
    fn alter_column_postgresql(&mut self, alter: &AlterColumn) -> Step {
        let prefix = format!("{} ALTER COLUMN {}", self.alter_table(&alter.table), self.quote(&alter.column));
        if let Some(type_) = &alter.modify_type {
            self.exec(format!("{prefix} TYPE {}", self.dialect().type_ddl(type_)))?;
        }
        if alter.autoincrement.is_some() {
            self.warn(&format!("alembic/ddl/postgresql.py:193: {AUTOINCREMENT_ONLY_MYSQL}"), "super().alter_column(");
        }
        if let Some(nullable) = alter.modify_nullable {
            self.exec(format!("{prefix} {}", if nullable { "DROP NOT NULL" } else { "SET NOT NULL" }))?;
        }
        if let Some(default) = &alter.modify_server_default {
            let change = match default {
                Some(default) => format!("SET DEFAULT {}", self.dialect().server_default(default)),
                None => "DROP DEFAULT".to_string(),
            };
            self.exec(format!("{prefix} {change}"))?;
        }
        if let Some(comment) = &alter.modify_comment {
            let target = format!("{}.{}", self.quote(&alter.table), self.quote(&alter.column));
            self.comment_on("COLUMN", &target, comment.as_deref())?;
        }
        if let Some(name) = &alter.modify_name {
            self.exec(format!(
                "{} RENAME {} TO {}",
                self.alter_table(&alter.table),
                self.quote(&alter.column),
                self.quote(name)
            ))?;
        }
        Ok(())
    }

    /// `MSSQLImpl.alter_column`: SQL Server restates the type with every
    /// NULL / NOT NULL (so a nullability change needs one), drops the
    /// column's default constraint before a new default, and renames
    /// with `sp_rename`.
    fn alter_column_mssql(&mut self, alter: &AlterColumn) -> Step {
        let mut nullable = alter.modify_nullable;
        let mut type_ = alter.modify_type.clone();
        let mut existing_type = alter.existing_type.clone();
        if nullable.is_some() {
            if type_.is_some() {
                existing_type = type_.take();
            } else if existing_type.is_none() {
                return Err(fail(Failure::Command(
                    "MS-SQL ALTER COLUMN operations with NULL or NOT NULL require the existing_type or a new type_ be \
                     passed."
                        .into(),
                )));
            }
        } else if alter.existing_nullable.is_some() && type_.is_some() {
            // The NULL / NOT NULL statement carries the new type.
            nullable = alter.existing_nullable;
            existing_type = type_.take();
        } else if type_.is_some() {
            let (message, source) = MSSQL_TYPE_WITHOUT_NULLABLE;
            self.warn(message, source);
        }
        let table = self.quote(&alter.table);
        let column = self.quote(&alter.column);
        if let Some(default) = &alter.modify_server_default {
            // `existing_server_default` left out is Alembic's `False`.
            if alter.existing_server_default.is_some() || default.is_none() {
                self.exec(drop_default_constraint(&alter.table, &table, &alter.column))?;
            }
        }
        if alter.autoincrement.is_some() {
            self.warn(&format!("alembic/ddl/mssql.py:156: {AUTOINCREMENT_ONLY_MYSQL}"), "super().alter_column(");
        }
        let prefix = format!("ALTER TABLE {table} ALTER COLUMN {column}");
        if let Some(nullable) = nullable {
            let type_ddl = existing_type.as_ref().map(|t| self.dialect().type_ddl(t)).unwrap_or_default();
            self.exec(format!("{prefix} {type_ddl} {}", if nullable { "NULL" } else { "NOT NULL" }))?;
        }
        if let Some(type_) = &type_ {
            self.exec(format!("{prefix} {}", self.dialect().type_ddl(type_)))?;
        }
        if alter.modify_comment.is_some() {
            // Alembic's SQL Server comment DDL asserts on the schema it can't know offline.
            return Err(fail(Failure::Exception(vec![super::PythonException {
                chain: super::Chain::DirectCause,
                text: "AssertionError".into(),
            }])));
        }
        if let Some(Some(default)) = &alter.modify_server_default {
            self.exec(format!("ALTER TABLE {table} ADD DEFAULT {} FOR {column}", self.dialect().server_default(default)))?;
        }
        if let Some(name) = &alter.modify_name {
            self.exec(format!("EXEC sp_rename '{table}.{column}', {}, 'COLUMN'", self.quote(name)))?;
        }
        Ok(())
    }

    /// `op.execute(...)`: SQL text as written, `text()` bind parameters as
    /// literals (the generic env.py compiles with `literal_binds=True`).
    fn execute(&mut self, arg: &ExecuteArg) -> Step {
        match arg {
            ExecuteArg::Sql(sql) => self.execute_text(sql, &[]),
            ExecuteArg::Text { sql, bindparams } => {
                let pieces = text_pieces(sql);
                if !bindparams.iter().all(|(name, _)| bind_names(&pieces).contains(&name.as_str())) {
                    // `.bindparams()` raises in the migration script itself,
                    // whatever the dialect: SQLite's rendering has the error.
                    return self.like_sqlite(&Op::Execute(arg.clone()));
                }
                self.execute_text(sql, bindparams)
            }
            // Core statements and what driftlab can't run are compiled (or
            // refused) as for SQLite.
            _ => self.like_sqlite(&Op::Execute(arg.clone())),
        }
    }

    fn execute_text(&mut self, sql: &str, values: &[(String, Literal)]) -> Step {
        let pieces = text_pieces(sql);
        let rendered = render_text(&pieces, |name| {
            values.iter().find(|(n, _)| n == name).map_or_else(|| "NULL".to_string(), |(_, v)| self.literal(v, None))
        });
        self.exec(rendered)
    }

    /// Renders `op` as SQLite's offline mode does, for what compiles the
    /// same on every dialect.
    fn like_sqlite(&mut self, op: &Op) -> Step {
        match offline_sql(std::slice::from_ref(op)) {
            Ok(statements) => {
                self.statements.extend(statements);
                Ok(())
            }
            Err(mut error) => {
                self.statements.append(&mut error.statements);
                Err(error)
            }
        }
    }

    /// `impl.bulk_insert` offline: one INSERT per row with literal values,
    /// in the table's column order; SQL Server wraps them in
    /// `SET IDENTITY_INSERT ... ON/OFF`.
    fn bulk_insert(&mut self, table: &LightTable, rows: &[Vec<(String, Literal)>]) -> Step {
        let name = self.quote(&table.name);
        if self.mssql() {
            self.exec(format!("SET IDENTITY_INSERT {name} ON"))?;
        }
        for row in rows {
            for (key, value) in row {
                let Some((_, type_)) = table.columns.iter().find(|(column, _)| column == key) else {
                    return Err(fail(error::key_error(key)));
                };
                if type_.is_none() && *value != Literal::None {
                    return self.like_sqlite(&Op::BulkInsert { table: table.clone(), rows: vec![row.clone()] });
                }
            }
            let mut columns = Vec::new();
            let mut values = Vec::new();
            for (column, type_) in &table.columns {
                if let Some((_, value)) = row.iter().find(|(key, _)| key == column) {
                    columns.push(self.quote(column));
                    values.push(self.literal(value, type_.as_ref()));
                }
            }
            let sql = if columns.is_empty() {
                format!("INSERT INTO {name} DEFAULT VALUES")
            } else {
                format!("INSERT INTO {name} ({}) VALUES ({})", columns.join(", "), values.join(", "))
            };
            self.exec(sql)?;
        }
        if self.mssql() {
            self.exec(format!("SET IDENTITY_INSERT {name} OFF"))?;
        }
        Ok(())
    }

    /// A Python value as the dialect's literal renderer writes it for a
    /// column of `type_` (or of the value's own type).
    fn literal(&self, value: &Literal, type_: Option<&SqlType>) -> String {
        match value {
            Literal::None => "NULL".into(),
            Literal::Bool(b) => self.dialect().boolean_literal(*b).into(),
            Literal::Int(n) => n.to_string(),
            Literal::Float(f) => python_float_repr(*f),
            Literal::Str(s) if type_.is_some_and(|t| self.dialect().national_literal(t)) => {
                format!("N{}", self.dialect().string_literal(s))
            }
            Literal::Str(s) => self.dialect().string_literal(s),
        }
    }
}

/// A constraint op's constraint as a table lists it.
fn table_constraint(constraint: &ConstraintDef) -> Constraint {
    match constraint {
        ConstraintDef::Unique(u) => Constraint::Unique(u.clone()),
        ConstraintDef::ForeignKey(fk) => Constraint::ForeignKey(fk.clone()),
        ConstraintDef::Check(ck) => Constraint::Check(ck.clone()),
    }
}

/// Alembic's `_ExecDropConstraint` for a column's default constraint on SQL
/// Server, whose name only the server knows: a T-SQL batch that looks it up.
fn drop_default_constraint(table: &str, quoted_table: &str, column: &str) -> String {
    format!(
        "declare @const_name varchar(256)\nselect @const_name = QUOTENAME([name]) from sys.default_constraints\nwhere \
         parent_object_id = object_id('{table}')\nand col_name(parent_object_id, parent_column_id) = '{column}'\n\
         exec('alter table {quoted_table} drop constraint ' + @const_name)"
    )
}
