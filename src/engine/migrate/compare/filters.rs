//! The filters env.py may hand to autogenerate: `include_object` and
//! `include_name` (`context.configure(include_object=..., include_name=...)`).
//! The comparison calls them where Alembic's `run_object_filters` and
//! `run_name_filters` are called, with the same arguments; what runs them
//! (env.py's Python) lives with Alembic's environment, not here.

use crate::engine::metadata::{Column, ForeignKeyConstraint, Index, Table, UniqueConstraint};

/// A schema object as `include_object` receives it, with the table it belongs to.
#[derive(Debug, Clone, Copy)]
pub enum SchemaObject<'a> {
    Table(&'a Table),
    Column { table: &'a Table, column: &'a Column },
    Index { table: &'a Table, index: &'a Index },
    UniqueConstraint { table: &'a Table, constraint: &'a UniqueConstraint },
    ForeignKeyConstraint { table: &'a Table, constraint: &'a ForeignKeyConstraint },
}

impl SchemaObject<'_> {
    /// The SQLAlchemy class name (`type(object).__name__`).
    pub fn class_name(&self) -> &'static str {
        match self {
            SchemaObject::Table(_) => "Table",
            SchemaObject::Column { .. } => "Column",
            SchemaObject::Index { .. } => "Index",
            SchemaObject::UniqueConstraint { .. } => "UniqueConstraint",
            SchemaObject::ForeignKeyConstraint { .. } => "ForeignKeyConstraint",
        }
    }

    /// Whether two handles are the same Python object (`is`).
    pub fn same_as(&self, other: &SchemaObject<'_>) -> bool {
        fn addr<T>(r: &T) -> usize {
            r as *const T as usize
        }
        let key = |o: &SchemaObject<'_>| match *o {
            SchemaObject::Table(t) => (0, addr(t)),
            SchemaObject::Column { column, .. } => (1, addr(column)),
            SchemaObject::Index { index, .. } => (2, addr(index)),
            SchemaObject::UniqueConstraint { constraint, .. } => (3, addr(constraint)),
            SchemaObject::ForeignKeyConstraint { constraint, .. } => (4, addr(constraint)),
        };
        key(self) == key(other)
    }
}

/// The `parent_names` dict `include_name` receives, in Alembic's key order.
pub type ParentNames<'a> = Vec<(&'static str, Option<&'a str>)>;

/// Why a filter could not give an answer; the command stops there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HookFailure {
    /// A Python exception: what the traceback prints after its header (the
    /// env.py frame, if any, and the exception lines).
    Exception(String),
    /// Something driftlab can't run (Alembic's `FAILED: ...` line's text).
    Unsupported(String),
}

/// Runs env.py's filters.
pub trait Filters {
    /// `include_object(object, name, type_, reflected, compare_to)`, made a bool as Alembic does (`not fn(...)`).
    fn include_object(
        &self,
        object: SchemaObject<'_>,
        name: Option<&str>,
        type_: &'static str,
        reflected: bool,
        compare_to: Option<SchemaObject<'_>>,
    ) -> Result<bool, HookFailure>;

    /// `include_name(name, type_, parent_names)`.
    fn include_name(&self, name: Option<&str>, type_: &'static str, parent_names: &ParentNames<'_>) -> Result<bool, HookFailure>;
}

/// `parent_names` as `run_name_filters` completes it: the table's name,
/// unqualified in SQLite's one schema.
pub fn parent_names<'a>(type_: &str, name: Option<&'a str>, table: Option<&'a str>) -> ParentNames<'a> {
    let mut names = Vec::new();
    if let Some(table) = table {
        names.push(("table_name", Some(table)));
    }
    names.push(("schema_name", None));
    let qualified = if type_ == "table" { name } else { table };
    if let Some(qualified) = qualified.filter(|t| !t.is_empty()) {
        names.push(("schema_qualified_table_name", Some(qualified)));
    }
    names
}
