//! A plain description of a database, for the Database view and for tests:
//! each table's columns, indexes, unique constraints, foreign keys and row
//! count as SQLite's PRAGMAs report them, the `alembic_version` rows, a page
//! of a table's rows, and the oracle-format schema dump. [`diff`] says what
//! changed between two descriptions.

mod diff;

use serde::{Deserialize, Serialize};

use super::alembic::version_table::VERSION_TABLE;
use super::db;
use super::reflect::table_sql;
use super::sqlite_cli::format_real;

pub use diff::{
    annotate, diff, Change, ColumnChange, Marked, MarkedTable, RowCountChange, SchemaChanges, TableChanges,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    /// The declared type as written (`VARCHAR(50)`), empty when none.
    pub declared_type: String,
    pub not_null: bool,
    /// Position in the primary key (1-based), 0 when not part of it.
    pub primary_key: u32,
    /// The default as written in the DDL, if any.
    pub default: Option<String>,
}

/// An index made with `CREATE INDEX` (`PRAGMA index_list` origin `c`); the
/// indexes SQLite makes for `UNIQUE` and `PRIMARY KEY` are described as those.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexInfo {
    pub name: String,
    /// The indexed columns in order; an expression shows as `<expression>`.
    pub columns: Vec<String>,
    pub unique: bool,
    /// A partial index (`CREATE INDEX ... WHERE ...`).
    pub partial: bool,
}

/// A `UNIQUE` constraint (`PRAGMA index_list` origin `u`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueInfo {
    /// The name given in a table-level `CONSTRAINT name UNIQUE (...)`.
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// A foreign key (`PRAGMA foreign_key_list`, one entry per key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyInfo {
    /// The name given in a table-level `CONSTRAINT name FOREIGN KEY (...)`.
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub referred_table: String,
    /// The referred columns; a bare `REFERENCES parent` refers to the
    /// parent's primary key (empty when the parent is missing too).
    pub referred_columns: Vec<String>,
    /// `NO ACTION` (SQLite's default), `CASCADE`, `SET NULL`, ...
    pub on_delete: String,
    pub on_update: String,
}

impl ForeignKeyInfo {
    /// `user_id → users(id) ON DELETE CASCADE`; `NO ACTION` is not written.
    pub fn summary(&self) -> String {
        let mut text =
            format!("{} → {}({})", self.columns.join(", "), self.referred_table, self.referred_columns.join(", "));
        for (clause, action) in [("ON DELETE", &self.on_delete), ("ON UPDATE", &self.on_update)] {
            if action != "NO ACTION" {
                text.push_str(&format!(" {clause} {action}"));
            }
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    /// `CREATE INDEX` indexes, by name.
    pub indexes: Vec<IndexInfo>,
    /// `UNIQUE` constraints, in the order SQLite lists them.
    pub unique_constraints: Vec<UniqueInfo>,
    /// Foreign keys, in the order they are declared.
    pub foreign_keys: Vec<ForeignKeyInfo>,
    /// `count(*)`; none when SQLite cannot read the table (a virtual table
    /// whose module is missing).
    pub row_count: Option<u64>,
    /// Alembic's own version table, not the application's.
    pub alembic: bool,
}

impl TableInfo {
    /// The primary key's columns, in key order.
    pub fn primary_key(&self) -> Vec<&str> {
        let mut key: Vec<&ColumnInfo> = self.columns.iter().filter(|c| c.primary_key > 0).collect();
        key.sort_by_key(|c| c.primary_key);
        key.into_iter().map(|c| c.name.as_str()).collect()
    }

    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A database file: its tables by name and where Alembic has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    pub tables: Vec<TableInfo>,
    /// The `alembic_version` rows: none when the table does not exist (the
    /// database is not under Alembic), empty when it does with no row (base).
    pub alembic_version: Option<Vec<String>>,
}

impl DatabaseInfo {
    pub fn table(&self, name: &str) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Every table of the database (SQLite's own `sqlite_*` tables left out), by name.
pub fn describe(bytes: &[u8]) -> Result<Vec<TableInfo>, String> {
    Ok(describe_database(bytes)?.tables)
}

/// The whole description of a database file: [`describe`]'s tables and the
/// `alembic_version` rows.
pub fn describe_database(bytes: &[u8]) -> Result<DatabaseInfo, String> {
    let conn = db::open(bytes).map_err(|e| e.to_string())?;
    read_database(&conn).map_err(|e| e.to_string())
}

/// A name as an SQL identifier: double-quoted, inner quotes doubled.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn read_database(conn: &rusqlite::Connection) -> rusqlite::Result<DatabaseInfo> {
    let mut names = conn.prepare(
        "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names: Vec<(String, String)> =
        names.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for (name, sql) in &names {
        tables.push(read_table(conn, name, sql)?);
    }
    // A bare `REFERENCES parent` refers to the parent's primary key.
    let keys: Vec<(String, Vec<String>)> =
        tables.iter().map(|t| (t.name.clone(), t.primary_key().into_iter().map(String::from).collect())).collect();
    for table in &mut tables {
        for fk in &mut table.foreign_keys {
            if fk.referred_columns.iter().all(String::is_empty) {
                fk.referred_columns = keys
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(&fk.referred_table))
                    .map(|(_, key)| key.clone())
                    .unwrap_or_default();
            }
        }
    }
    let alembic_version = match tables.iter().any(|t| t.name == VERSION_TABLE) {
        false => None,
        true => {
            let sql = format!("SELECT * FROM {}", quoted(VERSION_TABLE));
            let read = conn.prepare(&sql).and_then(|mut stmt| {
                let rows = stmt.query_map([], |r| Ok(display(r.get_ref(0)?)))?;
                rows.collect::<rusqlite::Result<Vec<Option<String>>>>()
            });
            // A version table of another shape still says "under Alembic".
            Some(read.map(|rows| rows.into_iter().map(Option::unwrap_or_default).collect()).unwrap_or_default())
        }
    };
    Ok(DatabaseInfo { tables, alembic_version })
}

fn read_table(conn: &rusqlite::Connection, name: &str, sql: &str) -> rusqlite::Result<TableInfo> {
    let mut info = conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)")?;
    let columns = info
        .query_map([name], |r| {
            Ok(ColumnInfo {
                name: r.get(0)?,
                declared_type: r.get(1)?,
                not_null: r.get::<_, i64>(2)? != 0,
                default: r.get(3)?,
                primary_key: r.get::<_, i64>(4)? as u32,
            })
        })?
        .collect::<Result<_, _>>()?;

    let mut list =
        conn.prepare("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY seq DESC")?;
    let listed: Vec<(String, bool, String, bool)> = list
        .query_map([name], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0, r.get(2)?, r.get::<_, i64>(3)? != 0)))?
        .collect::<Result<_, _>>()?;
    let mut index_columns = conn.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?;
    let named = table_sql::unique_constraints(sql);
    let (mut indexes, mut unique_constraints) = (Vec::new(), Vec::new());
    for (index, unique, origin, partial) in listed {
        let columns: Vec<String> = index_columns
            .query_map([&index], |r| r.get::<_, Option<String>>(0))?
            .map(|c| c.map(|c| c.unwrap_or_else(|| "<expression>".to_string())))
            .collect::<Result<_, _>>()?;
        match origin.as_str() {
            "u" => {
                let name = named.iter().find(|(_, cols)| same_names(cols, &columns)).and_then(|(name, _)| name.clone());
                unique_constraints.push(UniqueInfo { name, columns });
            }
            "pk" => {}
            _ => indexes.push(IndexInfo { name: index, columns, unique, partial }),
        }
    }
    indexes.sort_by(|a, b| a.name.cmp(&b.name));

    let mut fk_list = conn.prepare(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1) ORDER BY id DESC, seq",
    )?;
    type FkRow = (i64, String, String, Option<String>, String, String);
    let rows: Vec<FkRow> = fk_list
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
        .collect::<Result<_, _>>()?;
    let parsed = table_sql::foreign_keys(sql);
    let mut foreign_keys: Vec<ForeignKeyInfo> = Vec::new();
    let mut last_id = None;
    for (id, table, from, to, on_update, on_delete) in rows {
        if last_id != Some(id) {
            last_id = Some(id);
            foreign_keys.push(ForeignKeyInfo {
                name: None,
                columns: Vec::new(),
                referred_table: table,
                referred_columns: Vec::new(),
                on_delete,
                on_update,
            });
        }
        if let Some(fk) = foreign_keys.last_mut() {
            fk.columns.push(from);
            fk.referred_columns.push(to.unwrap_or_default());
        }
    }
    for fk in &mut foreign_keys {
        fk.name = parsed
            .iter()
            .find(|p| same_names(&p.columns, &fk.columns) && p.referred_table.eq_ignore_ascii_case(&fk.referred_table))
            .and_then(|p| p.name.clone());
    }

    let row_count = conn
        .query_row(&format!("SELECT count(*) FROM {}", quoted(name)), [], |r| r.get::<_, i64>(0))
        .ok()
        .map(|n| n.max(0) as u64);
    Ok(TableInfo {
        name: name.to_string(),
        columns,
        indexes,
        unique_constraints,
        foreign_keys,
        row_count,
        alembic: name == VERSION_TABLE,
    })
}

/// Column lists equal as SQLite compares names (ASCII case-insensitively).
fn same_names(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// A value for display: `None` is SQL NULL; text as it is; a REAL as the
/// `sqlite3` shell prints it; a blob as text when it is UTF-8, else `x'..'`.
fn display(value: rusqlite::types::ValueRef<'_>) -> Option<String> {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(format_real(f)),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Some(match std::str::from_utf8(b) {
            Ok(text) => text.to_string(),
            Err(_) => format!("x'{}'", b.iter().map(|byte| format!("{byte:02x}")).collect::<String>()),
        }),
    }
}

/// The first rows of a table, for the Database view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsPage {
    pub columns: Vec<String>,
    /// Each row's values for display; `None` is NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// How many rows the table has (`rows` holds at most the limit).
    pub total: u64,
}

impl RowsPage {
    /// Whether rows were left out (`showing 100 of 250`).
    pub fn truncated(&self) -> bool {
        (self.rows.len() as u64) < self.total
    }
}

/// Up to `limit` rows of `table`, in the table's own order, and its row count.
pub fn rows(bytes: &[u8], table: &str, limit: usize) -> Result<RowsPage, String> {
    let conn = db::open(bytes).map_err(|e| e.to_string())?;
    let exists: bool = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?1", [table], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| e.to_string())?
        > 0;
    if !exists {
        return Err(format!("no such table: {table}"));
    }
    let read = || -> rusqlite::Result<RowsPage> {
        let total: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", quoted(table)), [], |r| r.get(0))?;
        let mut stmt = conn.prepare(&format!("SELECT * FROM {} LIMIT ?1", quoted(table)))?;
        let columns: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let width = columns.len();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map([limit], |r| (0..width).map(|i| Ok(display(r.get_ref(i)?))).collect())?
            .collect::<rusqlite::Result<Vec<Vec<Option<String>>>>>()?;
        Ok(RowsPage { columns, rows, total: total.max(0) as u64 })
    };
    read().map_err(|e| e.to_string())
}
/// A database's schema as the oracle recorder dumps it: `sqlite_master`
/// sorted by type and name, and per table `PRAGMA table_info`, `index_list`
/// (sorted by name, without `seq`, with each index's columns) and
/// `foreign_key_list`. Comparing dumps compares schemas exactly.
pub fn dump(conn: &rusqlite::Connection) -> rusqlite::Result<serde_json::Value> {
    use serde_json::{json, Map, Value};
    fn rows(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<Map<String, Value>>> {
        let mut stmt = conn.prepare(sql)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
        let mut out = Vec::new();
        let mut query = stmt.query([])?;
        while let Some(row) = query.next()? {
            let mut map = Map::new();
            for (i, name) in names.iter().enumerate() {
                let value = match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => json!(n),
                    rusqlite::types::ValueRef::Real(f) => json!(f),
                    rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    rusqlite::types::ValueRef::Blob(b) => json!(String::from_utf8_lossy(b)),
                };
                map.insert(name.clone(), value);
            }
            out.push(map);
        }
        Ok(out)
    }
    let quote = |name: &str| name.replace('"', "\"\"");
    let master: Vec<Value> = rows(conn, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")?
        .into_iter()
        .map(|r| json!([r["type"], r["name"], r["tbl_name"], r["sql"]]))
        .collect();
    let mut tables = Map::new();
    for table in rows(conn, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")? {
        let name = table["name"].as_str().unwrap_or_default().to_string();
        let q = quote(&name);
        let mut indexes = rows(conn, &format!("PRAGMA index_list(\"{q}\")"))?;
        indexes.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        for index in &mut indexes {
            index.remove("seq");
            let iq = quote(index["name"].as_str().unwrap_or_default());
            let columns: Vec<Value> =
                rows(conn, &format!("PRAGMA index_info(\"{iq}\")"))?.into_iter().map(|c| c["name"].clone()).collect();
            index.insert("columns".into(), Value::Array(columns));
        }
        tables.insert(
            name,
            json!({
                "table_info": rows(conn, &format!("PRAGMA table_info(\"{q}\")"))?,
                "index_list": indexes,
                "foreign_key_list": rows(conn, &format!("PRAGMA foreign_key_list(\"{q}\")"))?,
            }),
        );
    }
    Ok(json!({"db_exists": true, "sqlite_master": master, "tables": tables}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database(sql: &str) -> Vec<u8> {
        let mut conn = db::open(&[]).unwrap();
        conn.execute_batch(sql).unwrap();
        db::to_bytes(&mut conn).unwrap()
    }

    #[test]
    fn describes_columns() {
        let tables = describe(&database("create table t(a integer primary key, b text not null default 'x')")).unwrap();
        assert_eq!(tables.len(), 1);
        let b = &tables[0].columns[1];
        assert_eq!((b.name.as_str(), b.declared_type.as_str(), b.not_null), ("b", "TEXT", true));
        assert_eq!(b.default.as_deref(), Some("'x'"));
        assert_eq!(tables[0].columns[0].primary_key, 1);
    }

    #[test]
    fn empty_database_has_no_tables() {
        assert!(describe(&[]).unwrap().is_empty());
        assert_eq!(describe_database(&[]).unwrap(), DatabaseInfo::default());
    }

    #[test]
    fn garbage_bytes_are_an_error_not_a_panic() {
        assert!(describe_database(b"SQLite format 3\0 but not really a database file at all").is_err());
    }

    #[test]
    fn describes_indexes_unique_constraints_and_foreign_keys() {
        let bytes = database(
            "create table users(id integer primary key, email varchar(100) not null unique, org text, team text,
                 constraint uq_org_team unique (org, team));
             create index ix_users_org on users(org);
             create unique index ix_users_lower on users(lower(email)) where email is not null;
             create table todos(id integer not null, owner_id integer, parent integer, title text,
                 primary key (id),
                 constraint fk_owner foreign key(owner_id) references users(id) on delete cascade,
                 foreign key(parent) references todos);
             insert into users(id, email) values (1, 'a@x'), (2, 'b@x');",
        );
        let db = describe_database(&bytes).unwrap();
        assert_eq!(db.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["todos", "users"]);
        let users = db.table("users").unwrap();
        assert_eq!(users.row_count, Some(2));
        assert_eq!(
            users.indexes,
            [
                IndexInfo {
                    name: "ix_users_lower".into(),
                    columns: vec!["<expression>".into()],
                    unique: true,
                    partial: true
                },
                IndexInfo { name: "ix_users_org".into(), columns: vec!["org".into()], unique: false, partial: false },
            ]
        );
        let mut uniques = users.unique_constraints.clone();
        uniques.sort_by(|a, b| a.columns.cmp(&b.columns));
        assert_eq!(
            uniques,
            [
                UniqueInfo { name: None, columns: vec!["email".into()] },
                UniqueInfo { name: Some("uq_org_team".into()), columns: vec!["org".into(), "team".into()] },
            ]
        );
        let todos = db.table("todos").unwrap();
        assert_eq!(todos.row_count, Some(0));
        assert_eq!(todos.primary_key(), ["id"]);
        assert_eq!(
            todos.foreign_keys.iter().map(ForeignKeyInfo::summary).collect::<Vec<_>>(),
            ["owner_id → users(id) ON DELETE CASCADE", "parent → todos(id)"]
        );
        assert_eq!(todos.foreign_keys[0].name.as_deref(), Some("fk_owner"));
        assert_eq!(todos.foreign_keys[1].name, None);
        assert_eq!(db.alembic_version, None, "no version table: not under Alembic");
        assert!(!todos.alembic);
    }

    #[test]
    fn composite_foreign_keys_keep_their_column_pairs() {
        let bytes = database(
            "create table a(x int, y int, primary key (x, y));
             create table b(p int, q int, foreign key (p, q) references a(x, y) on update set null);",
        );
        let b = describe_database(&bytes).unwrap().table("b").unwrap().clone();
        assert_eq!(b.foreign_keys.len(), 1);
        assert_eq!(b.foreign_keys[0].summary(), "p, q → a(x, y) ON UPDATE SET NULL");
    }

    #[test]
    fn a_foreign_key_to_a_missing_table_is_still_described() {
        let bytes = database("create table b(p int references nowhere)");
        let b = describe(&bytes).unwrap().remove(0);
        assert_eq!(b.foreign_keys[0].referred_table, "nowhere");
        assert_eq!(b.foreign_keys[0].summary(), "p → nowhere()");
    }

    #[test]
    fn alembic_version_rows_are_read_and_the_table_flagged() {
        let cases: [(&str, Option<Vec<&str>>); 3] = [
            ("create table t(a int)", None),
            ("create table alembic_version(version_num varchar(32) not null primary key)", Some(vec![])),
            (
                "create table alembic_version(version_num varchar(32) not null primary key);
                 insert into alembic_version values ('ae1027a6acf'), ('27c6a30d7c24');",
                Some(vec!["27c6a30d7c24", "ae1027a6acf"]),
            ),
        ];
        for (sql, expected) in cases {
            let db = describe_database(&database(sql)).unwrap();
            let mut version = db.alembic_version.clone();
            if let Some(v) = &mut version {
                v.sort();
            }
            let expected = expected.map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
            assert_eq!(version, expected, "{sql}");
            assert_eq!(db.tables.iter().any(|t| t.alembic), expected.is_some(), "{sql}");
        }
    }

    #[test]
    fn rows_show_null_apart_from_text_and_stop_at_the_limit() {
        let bytes = database(
            r#"create table "we""ird"(id integer primary key, title text, score real, data blob);
               insert into "we""ird" values (1, 'NULL', 1.5, x'00ff'), (2, null, 1e20, 'ok'), (3, '', null, null);"#,
        );
        let page = rows(&bytes, "we\"ird", 2).unwrap();
        assert_eq!(page.columns, ["id", "title", "score", "data"]);
        assert_eq!(page.total, 3);
        assert!(page.truncated());
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            page.rows,
            [vec![s("1"), s("NULL"), s("1.5"), s("x'00ff'")], vec![s("2"), None, s("1.0e+20"), s("ok")]]
        );
        let all = rows(&bytes, "we\"ird", 100).unwrap();
        assert_eq!(all.rows.len(), 3);
        assert!(!all.truncated());
        assert_eq!(all.rows[2], [s("3"), s(""), None, None]);
    }

    #[test]
    fn rows_of_a_missing_table_is_a_message() {
        assert_eq!(rows(&database("create table t(a)"), "nope", 10), Err("no such table: nope".to_string()));
    }
}
