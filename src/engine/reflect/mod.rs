//! Reads a SQLite database back into a `MetaData`, as SQLAlchemy 2.1's SQLite
//! dialect reflects it (`Inspector.reflect_table` over `get_columns`,
//! `get_pk_constraint`, `get_foreign_keys`, `get_indexes`,
//! `get_unique_constraints` and `get_check_constraints`), so that
//! autogenerate compares models with what Alembic would see.
//!
//! SQLAlchemy asks the PRAGMAs for columns, keys and indexes, and recovers
//! names and options from the `CREATE TABLE` text with regular expressions;
//! [`table_sql`] holds those expressions verbatim, so what they miss
//! (column-level `REFERENCES … ON DELETE`, `UNIQUE` after `VARCHAR(50)`) is
//! missed here too.

mod pattern;
pub(crate) mod table_sql;
mod types;

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row};

use super::metadata::{
    CheckConstraint, Column, Constraint, ForeignKeyConstraint, Index, MetaData, NameSource, PrimaryKey, ServerDefault,
    Table, UniqueConstraint,
};

pub use types::resolve_type_affinity;

/// The table Alembic keeps its revision in; autogenerate leaves it out.
pub const ALEMBIC_VERSION_TABLE: &str = "alembic_version";

/// What reflecting a database gave, and what SQLAlchemy would have said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reflection {
    /// Every table except SQLite's own and `alembic_version`, by name.
    pub metadata: MetaData,
    /// SQLAlchemy's `SAWarning` texts, in the order it emits them
    /// (`Skipped unsupported reflection of expression-based index ix_x`).
    pub warnings: Vec<String>,
    /// Where SQLAlchemy raises and stops instead; driftlab reflects what it
    /// can and says here what (`NoSuchTableError: parent`). Empty for every
    /// database SQLAlchemy itself can reflect.
    pub errors: Vec<String>,
}

/// The database's tables as SQLAlchemy reflects them, by name; SQLite's own
/// tables (`sqlite_%`) and `alembic_version` are left out, views are not tables.
pub fn reflect(conn: &Connection) -> rusqlite::Result<MetaData> {
    Ok(reflect_with_warnings(conn)?.metadata)
}

/// [`reflect`], with SQLAlchemy's warnings and the errors it would raise.
/// A table SQLite itself cannot describe (a virtual table whose module is
/// missing) is left out and reported in `errors`.
pub fn reflect_with_warnings(conn: &Connection) -> rusqlite::Result<Reflection> {
    let mut reflection = Reflection::default();
    let mut reader = Reader::new(conn);
    for name in table_names(conn)? {
        if name == ALEMBIC_VERSION_TABLE {
            continue;
        }
        match reflect_one(&mut reader, &name, &mut reflection.warnings, &mut reflection.errors) {
            Ok(Some(table)) => reflection.metadata.tables.push(table),
            Ok(None) => {}
            Err(e) => reflection.errors.push(format!("{name}: {e}")),
        }
    }
    // Python shows a warning once per place it is issued from, and each of
    // these texts comes from one place: a repeated text is shown once.
    let mut seen = std::collections::HashSet::new();
    reflection.warnings.retain(|w| seen.insert(w.clone()));
    Ok(reflection)
}

/// `get_table_names()`: the main database's tables except SQLite's own, in
/// SQLite's `ORDER BY name` (byte order). `LIKE` is case-insensitive, so
/// `SQLITE_x` is left out too.
pub fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name",
    )?;
    let names = statement.query_map([], |row| row.get(0))?;
    names.collect()
}

/// One table, as `Inspector.reflect_table` builds it; `None` when there is
/// no such table (or view). Warnings and would-be errors are appended; a
/// text may come more than once (Python would show it once).
pub fn reflect_table(
    conn: &Connection,
    name: &str,
    warnings: &mut Vec<String>,
    errors: &mut Vec<String>,
) -> rusqlite::Result<Option<Table>> {
    reflect_one(&mut Reader::new(conn), name, warnings, errors)
}

/// What reflecting asks the database more than once, asked once: every
/// table's `CREATE` text (read in one pass, on first use) and `PRAGMA
/// table_xinfo`'s rows by table name (a table's own columns, and again for
/// each foreign key referring to it). Lives for one reflection, during which
/// the database does not change.
struct Reader<'c> {
    conn: &'c Connection,
    /// Every table's and view's `CREATE` text by name, main schema first;
    /// `None` until first needed.
    sql: Option<HashMap<String, StoredSql>>,
    xinfo: HashMap<String, Rc<Vec<XinfoRow>>>,
}

/// A `sqlite_master.sql` value as read in the one pass.
enum StoredSql {
    /// Text, or NULL (which `_get_table_sql` reads as `''`).
    Text(String),
    /// Not UTF-8 text: asked again on its own, so the error is SQLite's own.
    Unreadable,
}

impl<'c> Reader<'c> {
    fn new(conn: &'c Connection) -> Self {
        Reader { conn, sql: None, xinfo: HashMap::new() }
    }

    /// `_get_table_sql`: the `CREATE` text of a table or view, main schema
    /// then temp (the first row its query gives, `''` for a NULL).
    fn table_sql(&mut self, name: &str) -> rusqlite::Result<Option<String>> {
        if self.sql.is_none() {
            self.sql = Some(all_table_sql(self.conn)?);
        }
        match self.sql.as_ref().and_then(|by_name| by_name.get(name)) {
            None => Ok(None),
            Some(StoredSql::Text(sql)) => Ok(Some(sql.clone())),
            Some(StoredSql::Unreadable) => table_sql(self.conn, name),
        }
    }

    /// `PRAGMA table_xinfo`'s rows for `table` (see [`pragma_rows`]).
    fn xinfo(&mut self, table: &str) -> rusqlite::Result<Rc<Vec<XinfoRow>>> {
        if let Some(rows) = self.xinfo.get(table) {
            return Ok(Rc::clone(rows));
        }
        let rows = Rc::new(pragma_rows(self.conn, TABLE_XINFO, table, |row| {
            Ok(XinfoRow {
                name: text(row, 1)?,
                declared: text(row, 2)?,
                notnull: integer(row, 3)?,
                default: text(row, 4)?,
                pk: integer(row, 5)?,
                hidden: integer(row, 6)?,
            })
        })?);
        self.xinfo.insert(table.to_string(), Rc::clone(&rows));
        Ok(rows)
    }
}

/// Every table's and view's `CREATE` text, by name: the rows `table_sql`'s
/// query would give, in its order, keeping the first per name. Rows whose
/// name is not UTF-8 text are left out (no `&str` name equals them).
fn all_table_sql(conn: &Connection) -> rusqlite::Result<HashMap<String, StoredSql>> {
    let mut statement = conn.prepare_cached(
        "SELECT name, sql FROM (SELECT * FROM sqlite_master UNION ALL SELECT * FROM sqlite_temp_master) \
         WHERE type in ('table', 'view')",
    )?;
    let mut rows = statement.query([])?;
    let mut by_name = HashMap::new();
    while let Some(row) = rows.next()? {
        let ValueRef::Text(name) = row.get_ref(0)? else { continue };
        let Ok(name) = std::str::from_utf8(name) else { continue };
        if by_name.contains_key(name) {
            continue;
        }
        let sql = match row.get_ref(1)? {
            ValueRef::Null => StoredSql::Text(String::new()),
            ValueRef::Text(text) => match std::str::from_utf8(text) {
                Ok(text) => StoredSql::Text(text.to_string()),
                Err(_) => StoredSql::Unreadable,
            },
            _ => StoredSql::Unreadable,
        };
        by_name.insert(name.to_string(), sql);
    }
    Ok(by_name)
}

/// [`reflect_table`] with the reflection's [`Reader`].
fn reflect_one(
    reader: &mut Reader,
    name: &str,
    warnings: &mut Vec<String>,
    errors: &mut Vec<String>,
) -> rusqlite::Result<Option<Table>> {
    let Some(sql) = reader.table_sql(name)? else { return Ok(None) };
    let conn = reader.conn;
    let mut table = Table::new(name);
    let reflected = column_rows(reader, name, warnings)?;
    table.primary_key = primary_key(&reflected, Some(&sql));
    table.columns = reflected.into_iter().map(|c| c.column).collect();
    for column in &mut table.columns {
        column.primary_key = table.primary_key.columns.contains(&column.name);
    }
    let column_names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();

    for fk in foreign_keys(reader, name, &sql, warnings)? {
        if let Some(fk) = checked_foreign_key(reader, &table.name, &column_names, fk, warnings, errors)? {
            table.constraints.push(Constraint::ForeignKey(fk));
        }
    }

    let indexes = indexes(conn, name, warnings)?;
    for index in indexes.iter().filter(|i| !is_auto_index(&i.name)) {
        let columns = located(&index.columns, &column_names, |c| {
            format!("index key {} was not located in columns for table {}", python_repr(c), python_repr(name))
        }, warnings);
        table.indexes.push(Index {
            name: Some(index.name.clone()),
            name_source: NameSource::Convention,
            columns,
            unique: index.unique,
        });
    }

    for (constraint_name, columns) in unique_constraints(&indexes, &sql) {
        let columns = located(&columns, &column_names, |c| {
            format!("unique constraint key '{c}' was not located in columns for table '{name}'")
        }, warnings);
        table.constraints.push(Constraint::Unique(UniqueConstraint {
            name_source: reflected_name_source(&constraint_name),
            name: constraint_name,
            columns,
        }));
    }

    for check in table_sql::check_constraints(&sql) {
        table.constraints.push(Constraint::Check(CheckConstraint {
            name_source: reflected_name_source(&check.name),
            name: check.name,
            sqltext: check.sqltext,
        }));
    }
    Ok(Some(table))
}

/// Alembic reflects through `_InspectorConv`, which marks every reflected
/// name `conv()`: final, never run through a naming convention again, and
/// rendered as `op.f('name')`, which is what `NameSource::Convention` means
/// to the rest of the engine.
fn reflected_name_source(name: &Option<String>) -> NameSource {
    if name.is_some() {
        NameSource::Convention
    } else {
        NameSource::None
    }
}

/// Keeps the names that are columns of the table, warning about the others
/// (SQLAlchemy skips a key it cannot find, and keeps the rest).
fn located(
    names: &[String],
    column_names: &[String],
    warning: impl Fn(&str) -> String,
    warnings: &mut Vec<String>,
) -> Vec<String> {
    let mut kept = Vec::new();
    for name in names {
        if column_names.contains(name) {
            kept.push(name.clone());
        } else {
            warnings.push(warning(name));
        }
    }
    kept
}

/// `_get_table_sql`: the `CREATE` text of a table or view, main schema then
/// temp, asked on its own (see [`Reader::table_sql`] for the usual way).
fn table_sql(conn: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT sql FROM (SELECT * FROM sqlite_master UNION ALL SELECT * FROM sqlite_temp_master) \
         WHERE name = ?1 AND type in ('table', 'view')",
    )?;
    let mut rows = statement.query([name])?;
    match rows.next()? {
        Some(row) => Ok(Some(row.get::<_, Option<String>>(0)?.unwrap_or_default())),
        None => Ok(None),
    }
}

/// The PRAGMAs reflection reads, with the columns it uses (by position).
const TABLE_XINFO: &str = "table_xinfo"; // cid, name, type, notnull, dflt_value, pk, hidden
const FOREIGN_KEY_LIST: &str = "foreign_key_list"; // id, seq, table, from, to, on_update, on_delete, match
const INDEX_LIST: &str = "index_list"; // seq, name, unique, origin, partial
const INDEX_INFO: &str = "index_info"; // seqno, cid, name

/// `_get_table_pragma`: a PRAGMA's rows for a table or index, from the main
/// schema, or from temp when main has none; each row as `read` makes it.
///
/// SQLAlchemy asks `SELECT * FROM pragma_x(?, 'main')`; SQLite answers that
/// by preparing and running `PRAGMA 'main'.x='argument'` (the schema and the
/// argument quoted as `%Q` quotes them), which is what is run here directly,
/// without the table-valued function around it.
fn pragma_rows<T>(
    conn: &Connection,
    pragma: &str,
    argument: &str,
    mut read: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    for schema in ["main", "temp"] {
        let sql = format!("PRAGMA {}.{pragma}={}", sql_quoted(schema), sql_quoted(argument));
        let mut statement = conn.prepare(&sql)?;
        let mut rows = statement.query([])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(read(row)?);
        }
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

/// A text as SQLite's `%Q` writes it: in single quotes, quotes doubled, and
/// ending at a NUL (the function receives its argument as a C string).
fn sql_quoted(text: &str) -> String {
    let text = text.split('\0').next().unwrap_or_default();
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for c in text.chars() {
        if c == '\'' {
            quoted.push('\'');
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

/// A PRAGMA value as text, as Python has it: `None` for NULL, numbers
/// written out, text that is not UTF-8 an error (as when reading any value).
fn text(row: &Row, index: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Text(t) => Some(std::str::from_utf8(t).map_err(|e| rusqlite::Error::Utf8Error(index, e))?.to_string()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
        ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Null => None,
    })
}

/// A PRAGMA value as an integer (0 when it is not one).
fn integer(row: &Row, index: usize) -> rusqlite::Result<i64> {
    Ok(match row.get_ref(index)? {
        ValueRef::Integer(i) => i,
        _ => 0,
    })
}

/// A row of `PRAGMA table_xinfo` (cid, name, type, notnull, dflt_value, pk,
/// hidden), without the cid.
struct XinfoRow {
    name: Option<String>,
    declared: Option<String>,
    notnull: i64,
    default: Option<String>,
    pk: i64,
    hidden: i64,
}

/// A column as `get_columns` reads it from `PRAGMA table_xinfo`, with its
/// position in the primary key (0: not in it).
struct ReflectedColumn {
    column: Column,
    primary_key_position: i64,
}

fn column_rows(reader: &mut Reader, table: &str, warnings: &mut Vec<String>) -> rusqlite::Result<Vec<ReflectedColumn>> {
    let mut reflected = Vec::new();
    for row in reader.xinfo(table)?.iter() {
        let hidden = row.hidden;
        // Hidden columns of virtual tables are left out; generated columns
        // (2: virtual, 3: stored) stay.
        if hidden == 1 {
            continue;
        }
        let mut declared = row.declared.as_deref().unwrap_or_default().to_uppercase();
        if hidden != 0 {
            // SQLite reports `x INTEGER GENERATED ALWAYS AS (…)` as type
            // `INTEGER GENERATED ALWAYS`; SQLAlchemy removes both words.
            let words_removed = declared.replace("GENERATED", "").replace("ALWAYS", "");
            declared = words_removed.trim_matches(pattern::is_space).to_string();
        }
        let (type_, warning) = resolve_type_affinity(&declared);
        warnings.extend(warning);
        let mut column = Column::new(row.name.clone().unwrap_or_default(), type_);
        column.nullable = row.notnull == 0;
        column.server_default = row.default.clone().map(ServerDefault::Reflected);
        reflected.push(ReflectedColumn { column, primary_key_position: row.pk });
    }
    Ok(reflected)
}

/// `get_pk_constraint` over the table's [`column_rows`]: the key's columns in
/// key order, and its name from the table text (the first `CONSTRAINT name
/// PRIMARY KEY` there).
fn primary_key(columns: &[ReflectedColumn], sql: Option<&str>) -> PrimaryKey {
    let mut in_key: Vec<&ReflectedColumn> = columns.iter().filter(|c| c.primary_key_position > 0).collect();
    in_key.sort_by_key(|c| c.primary_key_position);
    let columns: Vec<String> = in_key.into_iter().map(|c| c.column.name.clone()).collect();
    if columns.is_empty() {
        return PrimaryKey { name: None, columns };
    }
    PrimaryKey { name: sql.and_then(table_sql::primary_key_name), columns }
}

/// A foreign key as `get_foreign_keys` returns it.
#[derive(Debug, Clone)]
struct ReflectedForeignKey {
    name: Option<String>,
    columns: Vec<String>,
    referred_table: String,
    referred_columns: Vec<String>,
    ondelete: Option<String>,
    onupdate: Option<String>,
    deferrable: Option<bool>,
    initially: Option<String>,
}

impl ReflectedForeignKey {
    fn signature(&self) -> (Vec<String>, String, Vec<String>) {
        (self.columns.clone(), self.referred_table.clone(), self.referred_columns.clone())
    }
}

/// `get_foreign_keys`: the PRAGMA's keys, then names and options from the
/// table text, matched by (columns, referred table, referred columns).
fn foreign_keys(
    reader: &mut Reader,
    table: &str,
    sql: &str,
    warnings: &mut Vec<String>,
) -> rusqlite::Result<Vec<ReflectedForeignKey>> {
    // id, seq, table, from, to, on_update, on_delete, match. SQLAlchemy
    // ignores the PRAGMA's on_update/on_delete: actions only come from the
    // text, so a key the text pattern misses has none.
    let mut by_id: Vec<(i64, ReflectedForeignKey)> = Vec::new();
    let rows = pragma_rows(reader.conn, FOREIGN_KEY_LIST, table, |row| {
        Ok((integer(row, 0)?, text(row, 2)?, text(row, 3)?, text(row, 4)?))
    })?;
    for (id, referred_table, from, to) in rows {
        let referred_table = referred_table.unwrap_or_default();
        let from = from.unwrap_or_default();
        let to = to.filter(|t| !t.is_empty());
        let index = match by_id.iter().position(|(i, _)| *i == id) {
            Some(index) => index,
            None => {
                // No referred column: the key points at the referred table's
                // primary key (none when that table does not exist).
                let referred_columns = match &to {
                    None => match reader.table_sql(&referred_table)? {
                        // Only the key's columns are wanted, not its name.
                        Some(_) => primary_key(&column_rows(reader, &referred_table, &mut Vec::new())?, None).columns,
                        None => Vec::new(),
                    },
                    Some(_) => Vec::new(),
                };
                by_id.push((
                    id,
                    ReflectedForeignKey {
                        name: None,
                        columns: Vec::new(),
                        referred_table,
                        referred_columns,
                        ondelete: None,
                        onupdate: None,
                        deferrable: None,
                        initially: None,
                    },
                ));
                by_id.len() - 1
            }
        };
        let fk = &mut by_id[index].1;
        fk.columns.push(from);
        if let Some(to) = to {
            fk.referred_columns.push(to);
        }
    }

    // A dict keyed by signature: a second key with the same signature
    // replaces the first, keeping its place.
    let mut by_signature: Vec<ReflectedForeignKey> = Vec::new();
    for (_, fk) in by_id {
        match by_signature.iter().position(|known| known.signature() == fk.signature()) {
            Some(index) => by_signature[index] = fk,
            None => by_signature.push(fk),
        }
    }

    let mut found = Vec::new();
    for parsed in table_sql::foreign_keys(sql) {
        let signature = (parsed.columns.clone(), parsed.referred_table.clone(), parsed.referred_columns.clone());
        let Some(index) = by_signature.iter().position(|fk| fk.signature() == signature) else {
            warnings.push(format!(
                "WARNING: SQL-parsed foreign key constraint '{}' could not be located in PRAGMA \
                 foreign_keys for table {table}",
                python_tuple_repr(&signature)
            ));
            continue;
        };
        let mut fk = by_signature.remove(index);
        fk.name = parsed.name;
        fk.ondelete = parsed.ondelete;
        fk.onupdate = parsed.onupdate;
        fk.deferrable = parsed.deferrable;
        fk.initially = parsed.initially;
        found.push(fk);
    }
    // The rest are column-level `REFERENCES` clauses (or text the pattern
    // misses): unnamed and without options.
    found.extend(by_signature);
    Ok(found)
}

/// `Inspector._reflect_fk`: builds the constraint, or skips it as SQLAlchemy
/// does (with its warning), or reports where SQLAlchemy would raise.
fn checked_foreign_key(
    reader: &mut Reader,
    table: &str,
    column_names: &[String],
    fk: ReflectedForeignKey,
    warnings: &mut Vec<String>,
    errors: &mut Vec<String>,
) -> rusqlite::Result<Option<ForeignKeyConstraint>> {
    let shown_name = fk.name.clone().unwrap_or_else(|| "None".to_string());
    let mut distinct = fk.columns.clone();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != fk.columns.len() {
        warnings.push(format!(
            "On reflected table {table}, skipping reflection of foreign key constraint {shown_name}; duplicate source \
             columns within name(s) {} are not supported",
            fk.columns.join(", ")
        ));
        return Ok(None);
    }
    // Reflecting the key reflects the referred table too, which raises
    // when PRAGMA table_xinfo knows no such table. PRAGMA names are
    // case-insensitive, so `REFERENCES Parent` finds `parent`.
    if reader.xinfo(&fk.referred_table)?.is_empty() {
        errors.push(format!("NoSuchTableError: {}", fk.referred_table));
    }
    if fk.columns.len() != fk.referred_columns.len() {
        errors.push(
            "ArgumentError: ForeignKeyConstraint number of constrained columns must match the number of referenced \
             columns."
                .to_string(),
        );
        return Ok(None);
    }
    if fk.columns.iter().any(|c| !column_names.contains(c)) {
        warnings.push(format!(
            "On reflected table {table}, skipping reflection of foreign key constraint {shown_name}; one or more \
             subject columns within name(s) {} are not present in the table",
            fk.columns.join(", ")
        ));
        return Ok(None);
    }
    Ok(Some(ForeignKeyConstraint {
        name_source: reflected_name_source(&fk.name),
        name: fk.name,
        columns: fk.columns,
        ref_table: fk.referred_table,
        ref_columns: fk.referred_columns,
        ondelete: fk.ondelete,
        onupdate: fk.onupdate,
        deferrable: fk.deferrable,
        initially: fk.initially,
        origin: None,
    }))
}

/// An index as `get_indexes(include_auto_indexes=True)` returns it.
struct ReflectedIndex {
    name: String,
    columns: Vec<String>,
    unique: bool,
}

/// SQLite's indexes for UNIQUE and PRIMARY KEY constraints, which
/// `get_indexes` leaves out and `get_unique_constraints` matches with the text.
fn is_auto_index(name: &str) -> bool {
    name.starts_with("sqlite_autoindex")
}

/// `get_indexes`, auto-indexes included, sorted by name. An index with an
/// expression (or `rowid`) among its keys is skipped with a warning:
/// SQLAlchemy's SQLite dialect does not reflect expression indexes. A
/// partial index is reflected without its `WHERE` (the model has no place
/// for `sqlite_where`).
fn indexes(conn: &Connection, table: &str, warnings: &mut Vec<String>) -> rusqlite::Result<Vec<ReflectedIndex>> {
    let mut found = Vec::new();
    // seq, name, unique, origin, partial; an index's keys: seqno, cid, name.
    let listed = pragma_rows(conn, INDEX_LIST, table, |row| Ok((text(row, 1)?, integer(row, 2)?)))?;
    'indexes: for (name, unique) in listed {
        let name = name.unwrap_or_default();
        let mut columns = Vec::new();
        for key in pragma_rows(conn, INDEX_INFO, &name, |row| text(row, 2))? {
            match key {
                Some(column) => columns.push(column),
                None => {
                    // get_unique_constraints asks again with auto-indexes
                    // included; Python shows a repeated warning once.
                    warnings.push(format!("Skipped unsupported reflection of expression-based index {name}"));
                    continue 'indexes;
                }
            }
        }
        found.push(ReflectedIndex { name, columns, unique: unique != 0 });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// `get_unique_constraints`: each `UNIQUE` found in the text that has an
/// auto-index with exactly its columns (each auto-index taken once). A
/// `UNIQUE` the patterns miss is not reflected at all; one whose columns
/// equal a non-integer primary key's is reported (it shares the key's index).
fn unique_constraints(indexes: &[ReflectedIndex], sql: &str) -> Vec<(Option<String>, Vec<String>)> {
    let mut auto_index_signatures: Vec<&Vec<String>> = Vec::new();
    for index in indexes.iter().filter(|i| is_auto_index(&i.name)) {
        if !auto_index_signatures.contains(&&index.columns) {
            auto_index_signatures.push(&index.columns);
        }
    }
    let mut found = Vec::new();
    // Nothing the text says can be kept without an auto-index to match.
    if auto_index_signatures.is_empty() {
        return found;
    }
    for (name, columns) in table_sql::unique_constraints(sql) {
        if let Some(at) = auto_index_signatures.iter().position(|s| **s == columns) {
            auto_index_signatures.remove(at);
            found.push((name, columns));
        }
    }
    found
}

use crate::engine::pyrepr::py_repr_str as python_repr;

/// Python's `repr()` of a foreign key signature tuple: `('a', 'parent', 'id')`.
fn python_tuple_repr((columns, table, referred): &(Vec<String>, String, Vec<String>)) -> String {
    let items: Vec<String> = columns.iter().chain([table]).chain(referred).map(|s| python_repr(s)).collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs() {
        assert_eq!(python_repr("a"), "'a'");
        assert_eq!(python_repr("it's"), "\"it's\"");
        assert_eq!(python_tuple_repr(&(vec![], "t".into(), vec![])), "('t',)");
        assert_eq!(python_tuple_repr(&(vec!["a".into()], "t".into(), vec!["id".into()])), "('a', 't', 'id')");
    }
}
