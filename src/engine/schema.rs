//! A plain description of a database's tables and columns, for the schema
//! pane and for tests: what `PRAGMA table_info` says, table by table.

use serde::{Deserialize, Serialize};

use super::db;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
}

/// Every table of the database (SQLite's own `sqlite_*` tables left out), by name.
pub fn describe(bytes: &[u8]) -> Result<Vec<TableInfo>, String> {
    let conn = db::open(bytes).map_err(|e| e.to_string())?;
    let read = || -> rusqlite::Result<Vec<TableInfo>> {
        let mut names = conn.prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        let names: Vec<String> = names.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut tables = Vec::with_capacity(names.len());
        for name in names {
            let mut info = conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)")?;
            let columns = info
                .query_map([&name], |r| {
                    Ok(ColumnInfo {
                        name: r.get(0)?,
                        declared_type: r.get(1)?,
                        not_null: r.get::<_, i64>(2)? != 0,
                        default: r.get(3)?,
                        primary_key: r.get::<_, i64>(4)? as u32,
                    })
                })?
                .collect::<Result<_, _>>()?;
            tables.push(TableInfo { name, columns });
        }
        Ok(tables)
    };
    read().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_columns() {
        let mut conn = db::open(&[]).unwrap();
        conn.execute_batch("create table t(a integer primary key, b text not null default 'x')").unwrap();
        let tables = describe(&db::to_bytes(&mut conn).unwrap()).unwrap();
        assert_eq!(tables.len(), 1);
        let b = &tables[0].columns[1];
        assert_eq!((b.name.as_str(), b.declared_type.as_str(), b.not_null), ("b", "TEXT", true));
        assert_eq!(b.default.as_deref(), Some("'x'"));
        assert_eq!(tables[0].columns[0].primary_key, 1);
    }

    #[test]
    fn empty_database_has_no_tables() {
        assert!(describe(&[]).unwrap().is_empty());
    }
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
            let columns: Vec<Value> = rows(conn, &format!("PRAGMA index_info(\"{iq}\")"))?
                .into_iter()
                .map(|c| c["name"].clone())
                .collect();
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
