//! DDL for the dialects `--sql` prints besides SQLite's own: SQLAlchemy's
//! generic DDL compiler (`CREATE TABLE` layout, constraints, indexes,
//! `server_default`s) with each dialect's identifier quoting, types and
//! column specification (PostgreSQL's `SERIAL`, SQL Server's `NULL` and
//! `IDENTITY`). SQLite goes to the compiler in `ddl.rs`, unchanged.

use super::{mssql, postgresql};
use crate::engine::metadata::{Column, Constraint, ForeignKeyConstraint, Index, ServerDefault, Table};
use crate::engine::sqltypes::{Affinity, SqlType};

/// A database SQLAlchemy compiles for, as named by a URL's scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgresql,
    Mssql,
}

impl Dialect {
    /// The dialect of a URL scheme's name before any `+driver`
    /// (`postgresql+psycopg2` → PostgreSQL); `None` for the ones driftlab
    /// can't compile for.
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name.split('+').next().unwrap_or(name) {
            "sqlite" => Some(Dialect::Sqlite),
            "postgresql" | "postgres" => Some(Dialect::Postgresql),
            "mssql" => Some(Dialect::Mssql),
            _ => None,
        }
    }

    /// Alembic's implementation class, as `Context impl ...` names it.
    pub fn impl_name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SQLiteImpl",
            Dialect::Postgresql => "PostgresqlImpl",
            Dialect::Mssql => "MSSQLImpl",
        }
    }

    /// `DefaultImpl.transactional_ddl` for the dialect: `--sql` output is
    /// then wrapped in `BEGIN`/`COMMIT`.
    pub fn transactional_ddl(self) -> bool {
        !matches!(self, Dialect::Sqlite)
    }

    /// An identifier as the dialect's preparer writes it: quoted when it is
    /// a reserved word, has upper-case letters or odd characters.
    pub fn quote(self, name: &str) -> String {
        let reserved = match self {
            Dialect::Sqlite => return super::quote(name),
            Dialect::Postgresql => postgresql::RESERVED_WORDS,
            Dialect::Mssql => mssql::RESERVED_WORDS,
        };
        if !needs_quotes(name, reserved) {
            return name.to_string();
        }
        match self {
            Dialect::Mssql => format!("[{}]", name.replace(']', "]]")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// The column type as the dialect's type compiler writes it.
    pub fn type_ddl(self, type_: &SqlType) -> String {
        match self {
            Dialect::Sqlite => type_.sqlite_ddl(),
            Dialect::Postgresql => postgresql::type_ddl(type_, |n| self.quote(n)),
            Dialect::Mssql => mssql::type_ddl(type_),
        }
    }

    /// A string as a SQL literal (`'it''s'`).
    pub fn string_literal(self, value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }

    /// `true()` / `false()` and Python booleans as literals: PostgreSQL has a
    /// native boolean, the others write 1 and 0.
    pub fn boolean_literal(self, value: bool) -> &'static str {
        match (self, value) {
            (Dialect::Postgresql, true) => "true",
            (Dialect::Postgresql, false) => "false",
            (_, true) => "1",
            (_, false) => "0",
        }
    }

    /// The native ENUM type (name and values) PostgreSQL must create before
    /// a table with a column of this type (`CREATE TYPE ... AS ENUM`).
    pub fn enum_type_to_create(self, type_: &SqlType) -> Option<(&str, &[String])> {
        match self {
            Dialect::Postgresql => postgresql::native_enum(type_),
            _ => None,
        }
    }

    /// Whether a literal of this type is a national string (`N'...'`).
    pub fn national_literal(self, type_: &SqlType) -> bool {
        self == Dialect::Mssql && mssql::is_national(type_)
    }

    /// What follows `DEFAULT` for a server default (`get_column_default_string`).
    pub fn server_default(self, default: &ServerDefault) -> String {
        match default {
            ServerDefault::Literal(s) => self.string_literal(s),
            ServerDefault::Text(s) | ServerDefault::Reflected(s) => s.clone(),
            ServerDefault::Function { python, sql } => self.function_sql(python).unwrap_or_else(|| sql.clone()),
            ServerDefault::Boolean(b) => self.boolean_literal(*b).to_string(),
        }
    }

    /// `func.<name>()` as the dialect compiles it, for the functions whose
    /// SQL differs between dialects.
    fn function_sql(self, python: &str) -> Option<String> {
        let name = python.rsplit('.').next()?.trim_end_matches("()").to_ascii_lowercase();
        let sql = match (self, name.as_str()) {
            (Dialect::Postgresql, "now") => "now()",
            (Dialect::Mssql, "now") => "CURRENT_TIMESTAMP",
            (Dialect::Mssql, "current_date") => "GETDATE()",
            _ => return None,
        };
        Some(sql.to_string())
    }

    /// `name TYPE ...` as the dialect's DDL compiler writes a column of `table`.
    pub fn column_spec(self, table: &Table, column: &Column) -> String {
        let name = self.quote(&column.name);
        let autoincrement = is_autoincrement_column(table, column);
        let default = column.server_default.as_ref().map(|d| format!(" DEFAULT {}", self.server_default(d)));
        match self {
            Dialect::Sqlite => super::column_spec(table, column),
            Dialect::Postgresql => {
                let mut spec = match autoincrement.then(|| postgresql::serial_type(&column.type_)) {
                    // A SERIAL column gets its default from its sequence.
                    Some(serial) => format!("{name} {serial}"),
                    None => format!("{name} {}{}", self.type_ddl(&column.type_), default.unwrap_or_default()),
                };
                if !column.nullable {
                    spec.push_str(" NOT NULL");
                }
                spec
            }
            Dialect::Mssql => {
                let primary_key = column.primary_key || table.primary_key.columns.contains(&column.name);
                let not_null = !column.nullable || primary_key || column.autoincrement == Some(true);
                let mut spec = format!("{name} {}{}", self.type_ddl(&column.type_), if not_null { " NOT NULL" } else { " NULL" });
                if autoincrement || column.autoincrement == Some(true) {
                    spec.push_str(" IDENTITY");
                } else if let Some(default) = default {
                    spec.push_str(&default);
                }
                spec
            }
        }
    }

    /// `CREATE TABLE` (tabs and newlines as SQLAlchemy writes them).
    pub fn create_table(self, table: &Table) -> String {
        if self == Dialect::Sqlite {
            return super::create_table(table);
        }
        let mut items: Vec<String> = table.columns.iter().map(|c| self.column_spec(table, c)).collect();
        if !table.primary_key.columns.is_empty() {
            items.push(format!(
                "{}PRIMARY KEY ({})",
                self.constraint_name(&table.primary_key.name),
                self.quote_list(&table.primary_key.columns)
            ));
        }
        items.extend(table.constraints.iter().map(|c| self.constraint_clause(c)));
        format!("CREATE TABLE {} (\n\t{}\n)", self.quote(&table.name), items.join(", \n\t"))
    }

    /// A table-level constraint as `CREATE TABLE` and `ADD` write it.
    pub fn constraint_clause(self, constraint: &Constraint) -> String {
        match constraint {
            Constraint::Unique(u) => {
                format!("{}UNIQUE ({})", self.constraint_name(&u.name), self.quote_list(&u.columns))
            }
            Constraint::ForeignKey(fk) => format!("{}{}", self.constraint_name(&fk.name), self.foreign_key_clause(fk)),
            Constraint::Check(ck) => format!("{}CHECK ({})", self.constraint_name(&ck.name), ck.sqltext),
        }
    }

    /// `FOREIGN KEY(a) REFERENCES t (id) [ON DELETE ...]`, without a name.
    fn foreign_key_clause(self, fk: &ForeignKeyConstraint) -> String {
        super::foreign_key_clause_quoted(fk, |name| self.quote(name))
    }

    /// `CREATE [UNIQUE] INDEX name ON table (columns)`; expressions
    /// (`lower(name)`) are written as given.
    pub fn create_index(self, table: &str, index: &Index) -> String {
        let columns: Vec<String> =
            index.columns.iter().map(|c| if c.contains(['(', ' ']) { c.clone() } else { self.quote(c) }).collect();
        format!(
            "CREATE {}INDEX {} ON {} ({})",
            if index.unique { "UNIQUE " } else { "" },
            self.quote(index.name.as_deref().unwrap_or_default()),
            self.quote(table),
            columns.join(", ")
        )
    }

    /// `DROP INDEX name`; SQL Server names the table too.
    pub fn drop_index(self, table: &str, index_name: &str) -> String {
        match self {
            Dialect::Mssql => format!("DROP INDEX {} ON {}", self.quote(index_name), self.quote(table)),
            _ => format!("DROP INDEX {}", self.quote(index_name)),
        }
    }

    fn constraint_name(self, name: &Option<String>) -> String {
        name.as_ref().map(|n| format!("CONSTRAINT {} ", self.quote(n))).unwrap_or_default()
    }

    fn quote_list(self, names: &[String]) -> String {
        names.iter().map(|n| self.quote(n)).collect::<Vec<_>>().join(", ")
    }
}

/// SQLAlchemy's `_requires_quotes`: reserved words, names with upper-case
/// letters or characters outside `[A-Za-z0-9_$]`, or starting with a digit or `$`.
fn needs_quotes(name: &str, reserved_words: &[&str]) -> bool {
    let lower = name.to_lowercase();
    let Some(first) = name.chars().next() else { return true };
    reserved_words.contains(&lower.as_str())
        || first.is_ascii_digit()
        || first == '$'
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        || lower != name
}

/// Whether `column` is the table's autoincrement column
/// (`Table._autoincrement_column`): `autoincrement=True`, or the only
/// primary key column, of an integer or numeric type, with no Python or
/// server default and no foreign key, unless `autoincrement=False`.
fn is_autoincrement_column(table: &Table, column: &Column) -> bool {
    let pk = &table.primary_key.columns;
    let in_pk = pk.contains(&column.name) || (column.primary_key && pk.is_empty());
    if !in_pk {
        return false;
    }
    match column.autoincrement {
        Some(true) => true,
        Some(false) => false,
        None => {
            let single = pk.len() == 1 || (pk.is_empty() && table.columns.iter().filter(|c| c.primary_key).count() == 1);
            let numeric = matches!(column.type_.name.affinity(), Affinity::Integer | Affinity::Numeric | Affinity::Float);
            let referencing = table.foreign_keys().any(|fk| fk.columns.contains(&column.name));
            single && numeric && column.default.is_none() && column.server_default.is_none() && !referencing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::metadata::PrimaryKey;
    use crate::engine::sqltypes::TypeName;

    fn user_table() -> Table {
        let mut table = Table::new("user");
        let mut id = Column::new("id", SqlType::new(TypeName::Integer));
        id.nullable = false;
        let name = Column::new("name", SqlType::with_length(TypeName::String, 50));
        table.columns = vec![id, name];
        table.primary_key = PrimaryKey { name: None, columns: vec!["id".into()] };
        table
    }

    #[test]
    fn postgresql_quotes_user_and_makes_the_key_serial() {
        assert_eq!(
            Dialect::Postgresql.create_table(&user_table()),
            "CREATE TABLE \"user\" (\n\tid SERIAL NOT NULL, \n\tname VARCHAR(50), \n\tPRIMARY KEY (id)\n)"
        );
    }

    #[test]
    fn sql_server_brackets_user_and_spells_out_nullability() {
        assert_eq!(
            Dialect::Mssql.create_table(&user_table()),
            "CREATE TABLE [user] (\n\tid INTEGER NOT NULL IDENTITY, \n\tname VARCHAR(50) NULL, \n\tPRIMARY KEY (id)\n)"
        );
    }

    #[test]
    fn dialect_names_come_from_url_schemes() {
        assert_eq!(Dialect::from_name("postgresql+psycopg2"), Some(Dialect::Postgresql));
        assert_eq!(Dialect::from_name("mssql+pyodbc"), Some(Dialect::Mssql));
        assert_eq!(Dialect::from_name("mysql"), None);
    }
}
