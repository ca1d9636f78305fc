//! Python `repr()` of the SQLAlchemy objects autogenerate talks about: types
//! (`VARCHAR(length=50)`, `Enum('a', 'b', name='x')`), columns, tables,
//! indexes, constraints and server defaults, as SQLAlchemy 2.1's
//! `util.generic_repr` and the schema classes' own `__repr__` write them.
//! Object addresses come out as `0x<ADDR>`, the oracle's normalised form.

use crate::engine::metadata::{Column, ForeignKeyConstraint, Index, ServerDefault, Table, UniqueConstraint};
use crate::engine::sqltypes::{SqlType, TypeName};

/// What Python prints for an object address once normalised.
pub const ADDR: &str = "0x<ADDR>";

pub use crate::engine::pyrepr::py_repr_str as py_str;

/// Python's `repr()` of an optional `str` (`None` when absent).
pub fn py_opt_str(s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_string(), py_str)
}

pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Python's `repr()` of a tuple of strings: `('a',)`, `('a', 'b')`, `()`.
pub fn py_str_tuple<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| py_str(s.as_ref())).collect();
    match inner.len() {
        1 => format!("({},)", inner[0]),
        _ => format!("({})", inner.join(", ")),
    }
}

/// `repr()` of a type, as `TypeEngine.__repr__` (generic_repr over the
/// class's `__init__` keyword defaults) writes it.
pub fn type_repr(t: &SqlType) -> String {
    use TypeName::*;
    let name = t.name.python_name();
    let mut kwargs: Vec<std::string::String> = Vec::new();
    let mut push = |key: &str, value: std::string::String| kwargs.push(format!("{key}={value}"));
    match t.name {
        Enum => return enum_repr(t),
        String | Text | Unicode | UnicodeText | VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT | CLOB => {
            if let Some(length) = t.length {
                push("length", length.to_string());
            }
            if let Some(collation) = &t.collation {
                push("collation", py_str(collation));
            }
        }
        DateTime | DATETIME | TIMESTAMP | Time | TIME if t.timezone => push("timezone", "True".into()),
        Float | Double | FLOAT | REAL | DOUBLE | DOUBLE_PRECISION => {
            if let Some(precision) = t.precision {
                push("precision", precision.to_string());
            }
        }
        Numeric | NUMERIC | DECIMAL => {
            if let Some(precision) = t.precision {
                push("precision", precision.to_string());
            }
            if let Some(scale) = t.scale {
                push("scale", scale.to_string());
            }
        }
        LargeBinary | BLOB | BINARY | VARBINARY => {
            if let Some(length) = t.length {
                push("length", length.to_string());
            }
        }
        Boolean | BOOLEAN if t.create_constraint => push("create_constraint", "True".into()),
        _ => {}
    }
    format!("{name}({})", kwargs.join(", "))
}

/// `Enum.repr_struct()`: the values, then `name`, then the keywords that
/// differ from their defaults (`native_enum`, `create_constraint`, `length`).
fn enum_repr(t: &SqlType) -> String {
    let Some(spec) = &t.enum_spec else { return "Enum()".into() };
    let mut parts: Vec<String> = spec.values.iter().map(|v| py_str(v)).collect();
    if let Some(name) = &spec.name {
        parts.push(format!("name={}", py_str(name)));
    }
    if !spec.native_enum {
        parts.push("native_enum=False".into());
    }
    if spec.create_constraint {
        parts.push("create_constraint=True".into());
    }
    let default_length = spec.values.iter().map(|v| v.chars().count() as u32).max().unwrap_or(0);
    if let Some(length) = spec.length.filter(|l| *l != default_length) {
        parts.push(format!("length={length}"));
    }
    format!("Enum({})", parts.join(", "))
}

/// `repr()` of the SQL element a server default holds.
fn default_arg_repr(default: &ServerDefault) -> String {
    match default {
        ServerDefault::Literal(s) => py_str(s),
        ServerDefault::Text(_) | ServerDefault::Reflected(_) => {
            format!("<sqlalchemy.sql.elements.TextClause object at {ADDR}>")
        }
        ServerDefault::Boolean(b) => {
            format!("<sqlalchemy.sql.elements.{}_ object at {ADDR}>", py_bool(*b))
        }
        ServerDefault::Function { python, .. } => {
            let name = python.trim_start_matches("func.").split('(').next().unwrap_or("").to_string();
            // Known SQL functions have their own class; others are `Function`.
            const KNOWN: &[&str] = &[
                "now", "current_timestamp", "current_date", "current_time", "localtime",
                "localtimestamp", "sysdate", "current_user", "session_user", "user", "random",
                "count", "max", "min", "sum", "coalesce", "concat", "char_length",
            ];
            let class = if KNOWN.contains(&name.as_str()) { name.clone() } else { "Function".into() };
            format!("<sqlalchemy.sql.functions.{class} at {ADDR}; {name}>")
        }
    }
}

/// `DefaultClause.__repr__`.
pub fn server_default_repr(default: &ServerDefault) -> String {
    format!("DefaultClause({}, for_update=False)", default_arg_repr(default))
}

/// `repr()` of a Python-side `default=`, kept as its source text.
fn column_default_repr(source: &str) -> String {
    let is_literal = source.starts_with(['\'', '"'])
        || source.parse::<f64>().is_ok()
        || matches!(source, "True" | "False");
    if is_literal {
        let value = match source.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(inner) => py_str(inner),
            None => source.to_string(),
        };
        format!("ScalarElementColumnDefault({value})")
    } else {
        let name = source.rsplit('.').next().unwrap_or(source);
        let qualified = match source.rsplit_once('.') {
            Some((owner, _)) => format!("{}.{name}", owner.rsplit('.').next().unwrap_or(owner)),
            None => name.to_string(),
        };
        format!("CallableColumnDefault(<function {qualified} at {ADDR}>)")
    }
}

/// How a column is shown: its own settings plus what its table adds.
pub struct ColumnView<'a> {
    pub column: &'a Column,
    pub table: &'a str,
    /// `ForeignKey('t.c')` targets, one per `ForeignKey` object on the column.
    pub foreign_keys: Vec<String>,
    /// Rebuilt columns (constraint reprs) carry no type: `NullType()`.
    pub untyped: bool,
}

/// `Column.__repr__`.
pub fn column_repr(view: &ColumnView<'_>) -> String {
    let c = view.column;
    let mut parts = vec![py_str(&c.name)];
    parts.push(if view.untyped { "NullType()".into() } else { type_repr(&c.type_) });
    parts.extend(view.foreign_keys.iter().map(|target| format!("ForeignKey({})", py_str(target))));
    parts.push(format!("table=<{}>", view.table));
    if view.untyped {
        return format!("Column({})", parts.join(", "));
    }
    if c.primary_key {
        parts.push("primary_key=True".into());
    }
    if !c.nullable {
        parts.push("nullable=False".into());
    }
    if let Some(default) = &c.default {
        parts.push(format!("default={}", column_default_repr(default)));
    }
    if let Some(default) = &c.server_default {
        parts.push(format!("server_default={}", server_default_repr(default)));
    }
    if let Some(comment) = c.comment.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("comment={}", py_str(comment)));
    }
    format!("Column({})", parts.join(", "))
}

/// The `ForeignKey` targets of one column of a table (one per constraint
/// that names it), each repeated `copies` times.
pub fn foreign_key_targets(table: &Table, column: &str, copies: usize) -> Vec<String> {
    let mut targets = Vec::new();
    for fk in table.foreign_keys() {
        for (local, remote) in fk.columns.iter().zip(&fk.ref_columns) {
            if local == column {
                for _ in 0..copies {
                    targets.push(format!("{}.{remote}", fk.ref_table));
                }
            }
        }
    }
    targets
}

/// `Column.__repr__` of a column of `table`, with the foreign keys the table
/// gives it (`fk_copies` `ForeignKey` objects per constraint).
pub fn table_column_repr(table: &Table, column: &Column, fk_copies: usize) -> String {
    column_repr(&ColumnView {
        column,
        table: &table.name,
        foreign_keys: foreign_key_targets(table, &column.name, fk_copies),
        untyped: false,
    })
}

/// `Table.__repr__`: name, `MetaData()`, the columns, `schema=None`.
pub fn table_repr(table: &Table, fk_copies: usize) -> String {
    let mut parts = vec![py_str(&table.name), "MetaData()".into()];
    parts.extend(table.columns.iter().map(|c| table_column_repr(table, c, fk_copies)));
    parts.push("schema=None".into());
    format!("Table({})", parts.join(", "))
}

/// `Index.__repr__`: name, the table's columns (or text for expressions),
/// `unique=True`. The index ops rebuild their columns, foreign keys aside.
pub fn index_repr(index: &Index, table: Option<&Table>) -> String {
    let mut parts = vec![py_opt_str(index.name.as_deref())];
    for name in &index.columns {
        match table.and_then(|t| t.column(name).map(|c| (t, c))) {
            Some((t, c)) => parts.push(table_column_repr(t, c, 0)),
            None => parts.push(format!("<sqlalchemy.sql.elements.TextClause object at {ADDR}>")),
        }
    }
    if index.unique {
        parts.push("unique=True".into());
    }
    format!("Index({})", parts.join(", "))
}

/// A typeless column as Alembic's schema objects rebuild it for a constraint.
fn untyped_column(table: &str, name: &str, foreign_keys: Vec<String>) -> String {
    let column = Column::new(name, SqlType::new(TypeName::NULLTYPE));
    column_repr(&ColumnView { column: &column, table, foreign_keys, untyped: true })
}

/// `UniqueConstraint.__repr__` as rebuilt by `to_constraint()`: its columns
/// only (the name is keyword-only, which generic_repr does not show).
pub fn unique_repr(table: &str, uq: &UniqueConstraint) -> String {
    let columns: Vec<String> = uq.columns.iter().map(|c| untyped_column(table, c, Vec::new())).collect();
    format!("UniqueConstraint({})", columns.join(", "))
}

/// `ForeignKeyConstraint.__repr__` as rebuilt by `to_constraint()`.
pub fn foreign_key_repr(table: &str, fk: &ForeignKeyConstraint) -> String {
    let mut parts = vec![format!("<sqlalchemy.sql.base.ReadOnlyColumnCollection object at {ADDR}>"), "None".into()];
    if let Some(name) = &fk.name {
        parts.push(format!("name={}", py_str(name)));
    }
    if let Some(v) = &fk.onupdate {
        parts.push(format!("onupdate={}", py_str(v)));
    }
    if let Some(v) = &fk.ondelete {
        parts.push(format!("ondelete={}", py_str(v)));
    }
    if let Some(v) = fk.deferrable {
        parts.push(format!("deferrable={}", py_bool(v)));
    }
    if let Some(v) = &fk.initially {
        parts.push(format!("initially={}", py_str(v)));
    }
    // The rebuilt table: the local columns with their ForeignKey, then (for
    // a self-reference) the referenced columns it had to add.
    let mut columns: Vec<String> = fk
        .columns
        .iter()
        .zip(&fk.ref_columns)
        .map(|(local, remote)| untyped_column(table, local, vec![format!("{}.{remote}", fk.ref_table)]))
        .collect();
    if fk.ref_table == table {
        for remote in &fk.ref_columns {
            if !fk.columns.contains(remote) {
                columns.push(untyped_column(table, remote, Vec::new()));
            }
        }
    }
    parts.push(format!("table=Table({}, MetaData(), {}, schema=None)", py_str(table), columns.join(", ")));
    format!("ForeignKeyConstraint({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sqltypes::EnumSpec;

    #[test]
    fn strings_repr_like_python() {
        assert_eq!(py_str("user"), "'user'");
        assert_eq!(py_str("it's"), "\"it's\"");
        assert_eq!(py_str("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_str_tuple(&["email"]), "('email',)");
        assert_eq!(py_str_tuple(&["a", "b"]), "('a', 'b')");
    }

    #[test]
    fn types_repr_like_sqlalchemy() {
        assert_eq!(type_repr(&SqlType::with_length(TypeName::VARCHAR, 50)), "VARCHAR(length=50)");
        assert_eq!(type_repr(&SqlType::new(TypeName::INTEGER)), "INTEGER()");
        assert_eq!(type_repr(&SqlType::new(TypeName::Float)), "Float()");
        let numeric = SqlType { precision: Some(10), scale: Some(2), ..SqlType::new(TypeName::Numeric) };
        assert_eq!(type_repr(&numeric), "Numeric(precision=10, scale=2)");
        let datetime = SqlType { timezone: true, ..SqlType::new(TypeName::DateTime) };
        assert_eq!(type_repr(&datetime), "DateTime(timezone=True)");
        let enum_type = SqlType {
            enum_spec: Some(EnumSpec {
                values: vec!["open".into(), "closed".into(), "in_progress".into()],
                name: Some("ticket_state".into()),
                native_enum: true,
                ..Default::default()
            }),
            ..SqlType::new(TypeName::Enum)
        };
        assert_eq!(type_repr(&enum_type), "Enum('open', 'closed', 'in_progress', name='ticket_state')");
    }

    #[test]
    fn python_defaults_repr() {
        assert_eq!(column_default_repr("'abc'"), "ScalarElementColumnDefault('abc')");
        assert_eq!(column_default_repr("5"), "ScalarElementColumnDefault(5)");
        assert_eq!(column_default_repr("datetime.utcnow"), "CallableColumnDefault(<function datetime.utcnow at 0x<ADDR>>)");
    }
}
