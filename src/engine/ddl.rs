//! DDL as SQLAlchemy's SQLite dialect compiles it: `CREATE TABLE` with its
//! column specs and table constraints, `CREATE INDEX`, identifier quoting, and
//! `create_all` with its checkfirst rule (create what is missing, never alter).

use rusqlite::Connection;

use super::metadata::{Column, Constraint, ForeignKeyConstraint, Index, MetaData, Table};

// Other dialects, for `--sql` output (this file stays SQLite's compiler).
mod dialect;
mod mssql;
mod postgresql;

pub use dialect::Dialect;

/// SQLite's reserved words, as SQLAlchemy's SQLite identifier preparer lists them.
const RESERVED_WORDS: &[&str] = &[
    "add", "after", "all", "alter", "analyze", "and", "as", "asc", "attach", "autoincrement",
    "before", "begin", "between", "by", "cascade", "case", "cast", "check", "collate", "column",
    "commit", "conflict", "constraint", "create", "cross", "current_date", "current_time",
    "current_timestamp", "database", "default", "deferrable", "deferred", "delete", "desc",
    "detach", "distinct", "drop", "each", "else", "end", "escape", "except", "exclusive", "exists",
    "explain", "false", "fail", "for", "foreign", "from", "full", "glob", "group", "having", "if",
    "ignore", "immediate", "in", "index", "indexed", "initially", "inner", "insert", "instead",
    "intersect", "into", "is", "isnull", "join", "key", "left", "like", "limit", "match", "natural",
    "not", "notnull", "null", "of", "offset", "on", "or", "order", "outer", "plan", "pragma",
    "primary", "query", "raise", "references", "reindex", "rename", "replace", "restrict", "right",
    "rollback", "row", "select", "set", "table", "temp", "temporary", "then", "to", "transaction",
    "trigger", "true", "union", "unique", "update", "using", "vacuum", "values", "view", "virtual",
    "when", "where",
];

/// Whether SQLAlchemy would quote this identifier: reserved words, names
/// with upper-case letters or characters outside `[A-Za-z0-9_$]`, and names
/// starting with a digit or `$`.
pub fn requires_quotes(name: &str) -> bool {
    let lower = name.to_lowercase();
    let Some(first) = name.chars().next() else { return true };
    RESERVED_WORDS.contains(&lower.as_str())
        || first.is_ascii_digit()
        || first == '$'
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        || lower != name
}

/// An identifier as it appears in DDL.
pub fn quote(name: &str) -> String {
    if requires_quotes(name) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

fn quote_list(names: &[String]) -> String {
    names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(", ")
}

/// Whether the table's primary key is written inline as `PRIMARY KEY AUTOINCREMENT`.
fn inline_autoincrement(table: &Table, column: &Column) -> bool {
    table.sqlite_autoincrement
        && column.primary_key
        && table.primary_key.columns.len() == 1
        && column.type_.name.affinity() == super::sqltypes::Affinity::Integer
        && !table.foreign_keys().any(|fk| fk.columns.contains(&column.name))
}

/// `name TYPE [DEFAULT x] [NOT NULL]`, as the SQLite dialect writes a column.
pub fn column_spec(table: &Table, column: &Column) -> String {
    let mut spec = quote(&column.name);
    let type_ddl = column.type_.sqlite_ddl();
    if !type_ddl.is_empty() {
        spec.push(' ');
        spec.push_str(&type_ddl);
    }
    if let Some(default) = &column.server_default {
        let sql = default.sql();
        // The dialect parenthesises expressions that are not a quoted or
        // parenthesised literal and contain a non-word character.
        let starts_quoted = sql.trim_start().starts_with(['\'', '"', '(']);
        let has_non_word = sql.chars().any(|c| !(c.is_alphanumeric() || c == '_'));
        if !starts_quoted && has_non_word {
            spec.push_str(&format!(" DEFAULT ({sql})"));
        } else {
            spec.push_str(&format!(" DEFAULT {sql}"));
        }
    }
    if !column.nullable {
        spec.push_str(" NOT NULL");
    }
    if inline_autoincrement(table, column) {
        spec.push_str(" PRIMARY KEY AUTOINCREMENT");
    }
    spec
}

fn named(name: &Option<String>) -> String {
    match name {
        Some(n) => format!("CONSTRAINT {} ", quote(n)),
        None => String::new(),
    }
}

/// `FOREIGN KEY(a) REFERENCES t (id) [ON DELETE ...]`, without a name.
pub fn foreign_key_clause(fk: &ForeignKeyConstraint) -> String {
    foreign_key_clause_quoted(fk, quote)
}

/// The foreign key clause with a dialect's identifier quoting.
pub fn foreign_key_clause_quoted(fk: &ForeignKeyConstraint, quote: impl Fn(&str) -> String) -> String {
    let list = |names: &[String]| names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(", ");
    let mut text =
        format!("FOREIGN KEY({}) REFERENCES {} ({})", list(&fk.columns), quote(&fk.ref_table), list(&fk.ref_columns));
    if let Some(action) = &fk.ondelete {
        text.push_str(&format!(" ON DELETE {action}"));
    }
    if let Some(action) = &fk.onupdate {
        text.push_str(&format!(" ON UPDATE {action}"));
    }
    match fk.deferrable {
        Some(true) => text.push_str(" DEFERRABLE"),
        Some(false) => text.push_str(" NOT DEFERRABLE"),
        None => {}
    }
    if let Some(initially) = &fk.initially {
        text.push_str(&format!(" INITIALLY {initially}"));
    }
    text
}

fn constraint_clause(constraint: &Constraint) -> String {
    match constraint {
        Constraint::Unique(u) => format!("{}UNIQUE ({})", named(&u.name), quote_list(&u.columns)),
        Constraint::ForeignKey(fk) => format!("{}{}", named(&fk.name), foreign_key_clause(fk)),
        Constraint::Check(ck) => format!("{}CHECK ({})", named(&ck.name), ck.sqltext),
    }
}

/// The `CREATE TABLE` statement SQLAlchemy emits for a table.
pub fn create_table(table: &Table) -> String {
    let mut items: Vec<String> = table.columns.iter().map(|c| column_spec(table, c)).collect();
    let pk_inline = table.columns.iter().any(|c| inline_autoincrement(table, c));
    if !table.primary_key.columns.is_empty() && !pk_inline {
        items.push(format!(
            "{}PRIMARY KEY ({})",
            named(&table.primary_key.name),
            quote_list(&table.primary_key.columns)
        ));
    }
    items.extend(table.constraints.iter().map(constraint_clause));
    format!("CREATE TABLE {} (\n\t{}\n)", quote(&table.name), items.join(", \n\t"))
}

/// The `CREATE INDEX` statement for an index of a table.
pub fn create_index(table: &str, index: &Index) -> String {
    let name = index.name.as_deref().unwrap_or("");
    let columns: Vec<String> = index
        .columns
        .iter()
        .map(|c| if c.contains(['(', ' ']) { c.clone() } else { quote(c) })
        .collect();
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote(name),
        quote(table),
        columns.join(", ")
    )
}

/// The statements `metadata.create_all()` runs on a database that already has
/// `existing` tables: only missing tables (and their indexes) are created, in
/// dependency order; existing tables are never altered.
pub fn create_all_statements(metadata: &MetaData, existing: &[String]) -> Vec<String> {
    let tables: Vec<&Table> = metadata.tables.iter().collect();
    let (sorted, _cycle) = metadata.sort_tables(&tables);
    let mut statements = Vec::new();
    for table in sorted {
        if existing.iter().any(|e| e.eq_ignore_ascii_case(&table.name)) {
            continue;
        }
        statements.push(create_table(table));
        for index in &table.indexes {
            statements.push(create_index(&table.name, index));
        }
    }
    statements
}

/// The tables of a database, as SQLAlchemy's `has_table` sees them.
pub fn existing_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?;
    let names = stmt.query_map([], |r| r.get(0))?;
    names.collect()
}

/// Runs `create_all` on a database; returns the statements it ran. A failing
/// statement stops it, leaving the ones before it done (SQLite DDL runs in
/// autocommit here, as it does under SQLAlchemy's pysqlite driver).
pub fn create_all(conn: &Connection, metadata: &MetaData) -> Result<Vec<String>, (Vec<String>, rusqlite::Error)> {
    let existing = existing_tables(conn).map_err(|e| (Vec::new(), e))?;
    let mut done = Vec::new();
    for statement in create_all_statements(metadata, &existing) {
        if let Err(e) = conn.execute_batch(&statement) {
            return Err((done, e));
        }
        done.push(statement);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::metadata::{NameSource, PrimaryKey, UniqueConstraint};
    use crate::engine::sqltypes::{SqlType, TypeName};

    fn user_table() -> Table {
        let mut table = Table::new("user");
        let mut id = Column::new("id", SqlType::new(TypeName::Integer));
        id.primary_key = true;
        id.nullable = false;
        let mut name = Column::new("name", SqlType::with_length(TypeName::String, 50));
        name.nullable = false;
        let email = Column::new("email", SqlType::with_length(TypeName::String, 120));
        table.columns = vec![id, name, email];
        table.primary_key = PrimaryKey { name: None, columns: vec!["id".into()] };
        table.constraints.push(Constraint::Unique(UniqueConstraint {
            name: None,
            name_source: NameSource::None,
            columns: vec!["email".into()],
        }));
        table
    }

    #[test]
    fn create_table_is_sqlalchemy_text() {
        assert_eq!(
            create_table(&user_table()),
            "CREATE TABLE user (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50) NOT NULL, \n\temail VARCHAR(120), \n\tPRIMARY KEY (id), \n\tUNIQUE (email)\n)"
        );
    }

    #[test]
    fn quoting_follows_sqlalchemy() {
        assert_eq!(quote("user"), "user");
        assert_eq!(quote("order"), "\"order\"");
        assert_eq!(quote("Users"), "\"Users\"");
        assert_eq!(quote("2fa"), "\"2fa\"");
    }

    #[test]
    fn create_all_skips_existing_tables() {
        let metadata = MetaData { tables: vec![user_table()], ..Default::default() };
        assert!(create_all_statements(&metadata, &["user".into()]).is_empty());
        assert_eq!(create_all_statements(&metadata, &[]).len(), 1);
    }
}
