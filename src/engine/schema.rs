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
