//! The values the models reader computes: Python literals, the SQLAlchemy
//! objects a models file builds (types, columns, constraints), and the
//! modules and classes it names. Only what a schema depends on is modelled.

use std::collections::BTreeMap;

use crate::engine::metadata::{CheckConstraint, ForeignKeyConstraint, Index, Origin, ServerDefault, UniqueConstraint};
use crate::engine::sqltypes::SqlType;

/// `ForeignKey("user.id", ondelete=...)` before it is attached to a column.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKeyDef {
    /// `table.column` as written (or resolved from `User.id`).
    pub target: String,
    pub name: Option<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
    pub origin: Origin,
}

/// `Column(...)` or `mapped_column(...)`, before it joins a table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnDef {
    /// `Column("name", ...)`; otherwise the attribute name.
    pub name: Option<String>,
    pub type_: Option<SqlType>,
    pub primary_key: bool,
    pub nullable: Option<bool>,
    pub unique: Option<bool>,
    pub index: Option<bool>,
    pub server_default: Option<ServerDefault>,
    pub default: Option<String>,
    pub autoincrement: Option<bool>,
    pub comment: Option<String>,
    /// `info={...}`: literal entries as (key, Python source of the value).
    pub info: Vec<(String, String)>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// `mapped_column` (2.0 style) rather than `Column`.
    pub mapped: bool,
    pub origin: Origin,
}

/// Items of `__table_args__` (and of `Table(...)`) that are not columns.
#[derive(Debug, Clone, PartialEq)]
pub enum TableItem {
    Unique(UniqueConstraint),
    Check(CheckConstraint),
    ForeignKey(ForeignKeyConstraint),
    PrimaryKey { name: Option<String>, columns: Vec<String> },
    Index(Index),
}

/// A class the models file defines.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassInfo {
    pub name: String,
    /// Which declarative base it maps to, if any (index into the reader's bases).
    pub base: Option<usize>,
    pub tablename: Option<String>,
    pub abstract_: bool,
    /// Mapped attributes in definition order, own and inherited.
    pub columns: Vec<(String, ColumnDef)>,
    pub table_args: Vec<TableItem>,
    pub sqlite_autoincrement: bool,
    pub is_enum: bool,
    /// Enum members: (name, value as text).
    pub members: Vec<(String, String)>,
    /// The mapped table's name once the class is mapped.
    pub table: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A module: `sqlalchemy`, `sqlalchemy.orm`, `datetime`, or a project file (`database`).
    Module(String),
    /// A named object of a known library, fully qualified: `sqlalchemy.Column`,
    /// `typing.Optional`, `datetime.datetime`, `builtins.int`.
    Symbol(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// A type class used as a value (`String`) or instantiated (`String(50)`).
    Type(SqlType),
    Column(Box<ColumnDef>),
    ForeignKey(ForeignKeyDef),
    TableItem(TableItem),
    ServerDefault(ServerDefault),
    /// `func.now`, before it is called.
    SqlFunction(String),
    MetaData { base: Option<usize>, naming_convention: BTreeMap<String, String> },
    /// A declarative base (index into the reader's bases).
    Base(usize),
    Class(Box<ClassInfo>),
    /// A mapped attribute of a mapped class (`User.id`): (table, column).
    ClassAttribute(String, String),
    /// `Table("name", metadata, ...)`.
    TableRef(String),
    /// `create_engine(url)`.
    Engine { url: Option<String> },
    /// `relationship(...)` and other ORM-only constructs without schema effect.
    OrmOnly,
    /// Something we do not evaluate; harmless unless the schema depends on it.
    Unknown,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::Tuple(items) | Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// Python's truthiness for the values we know.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::Str(s) => Some(!s.is_empty()),
            Value::None => Some(false),
            Value::Tuple(v) | Value::List(v) => Some(!v.is_empty()),
            _ => None,
        }
    }

    /// A short description for error messages, as Python would name the type.
    pub fn describe(&self) -> String {
        match self {
            Value::Str(_) => "str".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Bool(_) => "bool".into(),
            Value::None => "NoneType".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::List(_) => "list".into(),
            Value::Dict(_) => "dict".into(),
            Value::Symbol(s) => s.rsplit('.').next().unwrap_or(s).to_string(),
            Value::Module(m) => format!("module '{m}'"),
            Value::Type(t) => t.name.python_name().to_string(),
            Value::Column(_) => "Column".into(),
            Value::Class(c) => format!("class {}", c.name),
            _ => "object".into(),
        }
    }
}
