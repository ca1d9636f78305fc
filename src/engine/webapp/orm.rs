//! The SQL SQLAlchemy 2.x's ORM sends for the app's models as they were
//! imported — `db.query(Todo)` SELECTs with `todos.id AS todos_id` labels,
//! `select(Todo)` without them, `.count()`'s subquery, INSERT ... RETURNING
//! for server defaults, UPDATE of the changed columns only, DELETE — run on
//! the app's database, and the `sqlalchemy.exc.*` error text a failing one
//! raises (`[SQL: ...]`, `[parameters: ...]`, background link).

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;

use crate::engine::ddl;
use crate::engine::metadata::{Column, Table};
use crate::engine::pyrepr::py_repr_str;
use crate::engine::sqltypes::TypeName;

use super::json::{python_float_repr, Json};

/// A value bound to a `?` (after SQLAlchemy's bind processing: booleans are 0/1).
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
}

impl Param {
    fn to_sql(&self) -> SqlValue {
        match self {
            Param::Null => SqlValue::Null,
            Param::Int(i) => SqlValue::Integer(*i),
            Param::Float(f) => SqlValue::Real(*f),
            Param::Text(s) => SqlValue::Text(s.clone()),
        }
    }

    /// As Python's `repr()` shows it in `[parameters: ...]`.
    fn repr(&self) -> String {
        match self {
            Param::Null => "None".into(),
            Param::Int(i) => i.to_string(),
            Param::Float(f) => python_float_repr(*f),
            Param::Text(s) => py_repr_str(s),
        }
    }
}

/// `sqlalchemy.exc.OperationalError` and friends, wrapping the sqlite3 error.
#[derive(Debug, Clone, PartialEq)]
pub struct OrmError {
    /// `OperationalError`, `IntegrityError`.
    pub class: &'static str,
    pub message: String,
    pub sql: String,
    pub params: Vec<Param>,
}

impl OrmError {
    fn new(error: &rusqlite::Error, sql: &str, params: &[Param]) -> OrmError {
        let message = sqlite_message(error);
        let class = if message.contains("constraint failed") { "IntegrityError" } else { "OperationalError" };
        OrmError { class, message, sql: sql.to_string(), params: params.to_vec() }
    }

    /// `(sqlite3.OperationalError) no such column: todos.priority`
    pub fn first_line(&self) -> String {
        format!("sqlalchemy.exc.{}: (sqlite3.{}) {}", self.class, self.class, self.message)
    }

    /// The whole exception text, as the last lines of a traceback show it.
    pub fn text(&self) -> String {
        let code = if self.class == "IntegrityError" { "gkpj" } else { "e3q8" };
        let mut text = format!("{}\n[SQL: {}]\n", self.first_line(), self.sql);
        if !self.params.is_empty() {
            text.push_str(&format!("[parameters: {}]\n", python_tuple(&self.params)));
        }
        text.push_str(&format!("(Background on this error at: https://sqlalche.me/e/21/{code})"));
        text
    }
}

/// SQLite's own message, as Python's sqlite3 module shows it (without
/// rusqlite's "in SQL at offset N").
pub fn sqlite_message(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

fn python_tuple(params: &[Param]) -> String {
    let items: Vec<String> = params.iter().map(Param::repr).collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// How a query was written, which decides the labels of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `db.query(Todo)`: `todos.id AS todos_id`.
    Legacy,
    /// `select(Todo)` / `db.get(Todo, id)` refreshes: plain `todos.id`.
    Select,
}

fn column_list(table: &Table, style: QueryStyle) -> String {
    let t = ddl::quote(&table.name);
    table
        .columns
        .iter()
        .map(|c| match style {
            QueryStyle::Legacy => format!("{t}.{} AS {}", ddl::quote(&c.name), ddl::quote(&format!("{}_{}", table.name, c.name))),
            QueryStyle::Select => format!("{t}.{}", ddl::quote(&c.name)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn primary_key(table: &Table) -> &str {
    table.primary_key.columns.first().map(String::as_str).unwrap_or("id")
}

/// Every row: `db.query(Todo).all()`.
pub fn select_all(table: &Table, style: QueryStyle) -> String {
    format!("SELECT {} \nFROM {}", column_list(table, style), ddl::quote(&table.name))
}

/// One row by primary key: `.filter(Todo.id == x).first()` adds `LIMIT ? OFFSET ?` (1, 0).
pub fn select_first_by_id(table: &Table, style: QueryStyle) -> String {
    format!("{} \nWHERE {}.{} = ?\n LIMIT ? OFFSET ?", select_all(table, style), ddl::quote(&table.name), ddl::quote(primary_key(table)))
}

/// `db.refresh(todo)` / `db.get(Todo, id)`.
pub fn select_by_id(table: &Table, style: QueryStyle) -> String {
    format!("{} \nWHERE {}.{} = ?", select_all(table, style), ddl::quote(&table.name), ddl::quote(primary_key(table)))
}

/// `db.query(Todo).count()`: a count over the entity's subquery.
pub fn count(table: &Table) -> String {
    format!("SELECT count(*) AS count_1 \nFROM ({}) AS anon_1", select_all(table, QueryStyle::Legacy))
}

/// `db.query(Todo).first()` with no filter.
pub fn select_first(table: &Table) -> String {
    format!("{}\n LIMIT ? OFFSET ?", select_all(table, QueryStyle::Legacy))
}

/// A row read back, as Python values keyed by the model's columns.
pub type Row = Vec<(String, SqlValue)>;

/// Runs a SELECT of the model's columns.
pub fn fetch(conn: &Connection, table: &Table, sql: &str, params: &[Param]) -> Result<Vec<Row>, OrmError> {
    let run = || -> rusqlite::Result<Vec<Row>> {
        let mut stmt = conn.prepare(sql)?;
        let values: Vec<SqlValue> = params.iter().map(Param::to_sql).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut record = Vec::new();
            for (i, column) in table.columns.iter().enumerate() {
                record.push((column.name.clone(), row.get::<_, SqlValue>(i)?));
            }
            out.push(record);
        }
        Ok(out)
    };
    run().map_err(|e| OrmError::new(&e, sql, params))
}

/// Runs a statement that returns one integer (a count).
pub fn fetch_count(conn: &Connection, sql: &str) -> Result<i64, OrmError> {
    conn.query_row(sql, [], |r| r.get::<_, i64>(0)).map_err(|e| OrmError::new(&e, sql, &[]))
}

/// An INSERT of one object: the columns it sets, what it returns.
pub struct Insert {
    /// As SQLAlchemy compiles it (what an error shows).
    pub sql: String,
    pub params: Vec<Param>,
    /// Run instead of `sql`: the same, plus the database's own time for
    /// `DEFAULT CURRENT_TIMESTAMP` columns (the playground's clock is the Host's).
    executed_sql: String,
    executed_params: Vec<Param>,
}

/// `INSERT INTO todos (title, ...) VALUES (?, ...) RETURNING id, created_at`:
/// the columns given a value (or a Python-side default), returning the
/// autoincrement key and the columns with server defaults.
pub fn insert(table: &Table, values: &[(String, Param)], db_time_defaults: &[(String, String)]) -> Insert {
    let t = ddl::quote(&table.name);
    let names: Vec<String> = values.iter().map(|(n, _)| ddl::quote(n)).collect();
    let params: Vec<Param> = values.iter().map(|(_, p)| p.clone()).collect();
    let returning: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !values.iter().any(|(n, _)| *n == c.name))
        .filter(|c| (c.primary_key && is_integer(c)) || c.server_default.is_some())
        .map(|c| ddl::quote(&c.name))
        .collect();
    let render = |names: &[String]| {
        let marks = vec!["?"; names.len()].join(", ");
        let mut sql = format!("INSERT INTO {t} ({}) VALUES ({marks})", names.join(", "));
        if names.is_empty() {
            sql = format!("INSERT INTO {t} DEFAULT VALUES");
        }
        if !returning.is_empty() {
            sql.push_str(&format!(" RETURNING {}", returning.join(", ")));
        }
        sql
    };
    let sql = render(&names);
    let mut executed_names = names.clone();
    let mut executed_params = params.clone();
    for (column, now) in db_time_defaults {
        if !values.iter().any(|(n, _)| n == column) {
            executed_names.push(ddl::quote(column));
            executed_params.push(Param::Text(now.clone()));
        }
    }
    Insert { executed_sql: render(&executed_names), sql, params, executed_params }
}

/// Runs an INSERT; returns the new row's primary key.
pub fn run_insert(conn: &Connection, insert: &Insert) -> Result<i64, OrmError> {
    let values: Vec<SqlValue> = insert.executed_params.iter().map(Param::to_sql).collect();
    let run = || -> rusqlite::Result<i64> {
        let mut stmt = conn.prepare(&insert.executed_sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
        while rows.next()?.is_some() {}
        Ok(conn.last_insert_rowid())
    };
    run().map_err(|e| OrmError::new(&e, &insert.sql, &insert.params))
}

/// `UPDATE todos SET title=?, description=? WHERE todos.id = ?`
pub fn update(table: &Table, changes: &[(String, Param)], id: i64) -> (String, Vec<Param>) {
    let t = ddl::quote(&table.name);
    let sets: Vec<String> = changes.iter().map(|(n, _)| format!("{}=?", ddl::quote(n))).collect();
    let mut params: Vec<Param> = changes.iter().map(|(_, p)| p.clone()).collect();
    params.push(Param::Int(id));
    (format!("UPDATE {t} SET {} WHERE {t}.{} = ?", sets.join(", "), ddl::quote(primary_key(table))), params)
}

/// `DELETE FROM todos WHERE todos.id = ?`
pub fn delete(table: &Table, id: i64) -> (String, Vec<Param>) {
    let t = ddl::quote(&table.name);
    (format!("DELETE FROM {t} WHERE {t}.{} = ?", ddl::quote(primary_key(table))), vec![Param::Int(id)])
}

pub fn execute(conn: &Connection, sql: &str, params: &[Param]) -> Result<(), OrmError> {
    let values: Vec<SqlValue> = params.iter().map(Param::to_sql).collect();
    conn.execute(sql, rusqlite::params_from_iter(values)).map(|_| ()).map_err(|e| OrmError::new(&e, sql, params))
}

/// Columns of the database's table whose default is the database's clock.
pub fn time_defaults(conn: &Connection, table: &str, now: &str) -> Vec<(String, String)> {
    let sql = format!("PRAGMA table_info({})", ddl::quote(table));
    let Ok(mut stmt) = conn.prepare(&sql) else { return Vec::new() };
    let Ok(rows) = stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, Option<String>>(4)?))) else { return Vec::new() };
    let seconds = now.split('.').next().unwrap_or(now).to_string();
    rows.flatten()
        .filter_map(|(name, default)| {
            let default = default?.trim_matches(|c| c == '(' || c == ')').to_ascii_uppercase();
            match default.as_str() {
                "CURRENT_TIMESTAMP" => Some((name, seconds.clone())),
                "CURRENT_DATE" => Some((name, seconds.split(' ').next().unwrap_or_default().to_string())),
                "CURRENT_TIME" => Some((name, seconds.split(' ').nth(1).unwrap_or_default().to_string())),
                _ => None,
            }
        })
        .collect()
}

fn is_integer(column: &Column) -> bool {
    matches!(column.type_.name, TypeName::Integer | TypeName::BigInteger | TypeName::SmallInteger | TypeName::INTEGER | TypeName::BIGINT | TypeName::SMALLINT)
}

fn is_float(column: &Column) -> bool {
    matches!(column.type_.name, TypeName::Float | TypeName::FLOAT | TypeName::REAL | TypeName::Double | TypeName::DOUBLE | TypeName::DOUBLE_PRECISION)
}

fn is_boolean(column: &Column) -> bool {
    matches!(column.type_.name, TypeName::Boolean | TypeName::BOOLEAN)
}

fn is_datetime(column: &Column) -> bool {
    matches!(column.type_.name, TypeName::DateTime | TypeName::DATETIME | TypeName::TIMESTAMP)
}

/// A column value as FastAPI's `jsonable_encoder` writes the Python value
/// SQLAlchemy's type gave: booleans, ISO datetimes, numbers, strings.
pub fn to_json(column: &Column, value: &SqlValue) -> Json {
    match value {
        SqlValue::Null => Json::Null,
        SqlValue::Integer(i) if is_boolean(column) => Json::Bool(*i != 0),
        SqlValue::Integer(i) => Json::Int(*i),
        SqlValue::Real(f) if is_integer(column) => Json::Int(*f as i64),
        SqlValue::Real(f) => Json::Float(*f),
        SqlValue::Text(s) if is_datetime(column) => Json::Str(iso_datetime(s)),
        SqlValue::Text(s) if matches!(column.type_.name, TypeName::Json | TypeName::JSON) => {
            super::json::parse(s).unwrap_or_else(|_| Json::Str(s.clone()))
        }
        SqlValue::Text(s) => Json::Str(s.clone()),
        SqlValue::Blob(b) => Json::Str(String::from_utf8_lossy(b).into_owned()),
    }
}

/// `2026-01-01 00:00:00.000000` → `2026-01-01T00:00:00` (`datetime.isoformat()`
/// leaves out zero microseconds).
fn iso_datetime(stored: &str) -> String {
    let (date, time) = stored.split_once(' ').unwrap_or((stored, ""));
    if time.is_empty() {
        return format!("{date}T00:00:00");
    }
    match time.split_once('.') {
        Some((hms, micros)) if micros.chars().all(|c| c == '0') => format!("{date}T{hms}"),
        Some((hms, micros)) => format!("{date}T{hms}.{:0<6}", micros),
        None => format!("{date}T{time}"),
    }
}

/// A Python value for a column (`payload` field, default) → the bound parameter.
pub fn param_for(column: Option<&Column>, value: &Json) -> Param {
    match value {
        Json::Null => Param::Null,
        Json::Bool(b) => Param::Int(i64::from(*b)),
        Json::Int(i) if column.is_some_and(is_float) => Param::Float(*i as f64),
        Json::Int(i) => Param::Int(*i),
        Json::Float(f) => Param::Float(*f),
        Json::Str(s) => Param::Text(s.clone()),
        other => Param::Text(other.compact()),
    }
}

/// Whether a loaded value equals what is being set (SQLAlchemy updates only changed columns).
pub fn unchanged(loaded: &SqlValue, new: &Param) -> bool {
    match (loaded, new) {
        (SqlValue::Null, Param::Null) => true,
        (SqlValue::Integer(a), Param::Int(b)) => a == b,
        (SqlValue::Real(a), Param::Float(b)) => a == b,
        (SqlValue::Integer(a), Param::Float(b)) => (*a as f64) == *b,
        (SqlValue::Text(a), Param::Text(b)) => a == b,
        _ => false,
    }
}

/// The value of the primary key in a row.
pub fn row_id(table: &Table, row: &Row) -> i64 {
    let key = primary_key(table);
    row.iter()
        .find(|(n, _)| n == key)
        .and_then(|(_, v)| match v {
            SqlValue::Integer(i) => Some(*i),
            _ => None,
        })
        .unwrap_or_default()
}

/// A row as the JSON FastAPI returns for the ORM object (keys in the
/// model's column order; real SQLAlchemy fills `__dict__` in an order that
/// changes from process to process).
pub fn row_json(table: &Table, row: &Row) -> Json {
    Json::Object(
        row.iter()
            .filter_map(|(name, value)| table.column(name).map(|c| (name.clone(), to_json(c, value))))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{models, starter};

    fn todos() -> Table {
        let result = models::read_models(&starter::project(), "models.py");
        result.metadata.table("todos").unwrap().clone()
    }

    #[test]
    fn legacy_query_labels_every_column() {
        assert_eq!(
            select_first_by_id(&todos(), QueryStyle::Legacy),
            "SELECT todos.id AS todos_id, todos.title AS todos_title, todos.description AS todos_description, todos.is_completed AS todos_is_completed, todos.created_at AS todos_created_at \nFROM todos \nWHERE todos.id = ?\n LIMIT ? OFFSET ?"
        );
    }

    #[test]
    fn insert_returns_the_key_and_server_defaults() {
        let values = vec![("title".to_string(), Param::Text("x".into())), ("is_completed".to_string(), Param::Int(0))];
        let insert = insert(&todos(), &values, &[]);
        assert_eq!(insert.sql, "INSERT INTO todos (title, is_completed) VALUES (?, ?) RETURNING id, created_at");
    }

    #[test]
    fn error_text_matches_sqlalchemy() {
        let error = OrmError {
            class: "OperationalError",
            message: "no such column: todos.priority".into(),
            sql: "SELECT 1".into(),
            params: vec![Param::Int(1), Param::Int(1), Param::Int(0)],
        };
        assert_eq!(
            error.text(),
            "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such column: todos.priority\n[SQL: SELECT 1]\n[parameters: (1, 1, 0)]\n(Background on this error at: https://sqlalche.me/e/21/e3q8)"
        );
    }

    #[test]
    fn datetimes_read_back_in_iso_format() {
        assert_eq!(iso_datetime("2026-11-22 06:15:08"), "2026-11-22T06:15:08");
        assert_eq!(iso_datetime("2026-11-22 06:15:08.000000"), "2026-11-22T06:15:08");
        assert_eq!(iso_datetime("2026-11-22 06:15:08.120000"), "2026-11-22T06:15:08.120000");
    }
}
