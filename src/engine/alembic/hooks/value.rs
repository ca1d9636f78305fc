//! The Python values a hook works with: literals and containers, the schema
//! objects Alembic passes in, the target metadata, functions, and names
//! imported into env.py (kept as their dotted path).

use std::cell::Cell;
use std::rc::Rc;

use crate::engine::metadata::{MetaData, Table};
use crate::engine::migrate::compare::SchemaObject;
use crate::engine::pyrepr::py_repr_str;
use crate::engine::python::ast::{Expr, Parameter, Stmt};

/// A function env.py defines (`def` or `lambda`).
#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub parameters: Vec<Parameter>,
    pub body: FunctionBody,
    /// Names the body assigns: local everywhere in it, as Python decides at compile time.
    pub locals: Vec<String>,
}

#[derive(Debug)]
pub enum FunctionBody {
    Def(Vec<Stmt>),
    Lambda(Expr),
}

#[derive(Debug, Clone)]
pub enum Py<'a> {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Tuple(Vec<Py<'a>>),
    List(Vec<Py<'a>>),
    Set(Vec<Py<'a>>),
    Dict(Vec<(Py<'a>, Py<'a>)>),
    Object(SchemaObject<'a>),
    /// `table.c` / `table.columns`.
    Columns(&'a Table),
    /// A collection of a table's columns in order (`index.columns`).
    ColumnList(&'a Table, Vec<String>),
    /// The target metadata (`target_metadata`, `Base.metadata`).
    MetaData(&'a MetaData),
    /// The declarative base the target metadata belongs to.
    Base(&'a MetaData),
    Function(Rc<Function>),
    /// A builtin function or type (`len`, `str`).
    Builtin(&'static str),
    /// A method bound to its object (`name.startswith`).
    Method(Box<Py<'a>>, &'static str),
    /// `type(x)` of a schema object: its class, by name.
    Class(&'static str),
    /// Alembic's `Config` (`context.config`): reads `alembic.ini`.
    AlembicConfig,
    /// argparse's `Namespace` of the command line (`config.cmd_opts`).
    Namespace(Rc<Vec<(String, Py<'static>)>>),
    /// `process_revision_directives`' `directives`: the one revision autogenerate would write, until emptied.
    Directives(Rc<Directives>),
    /// A `MigrationScript` (`directives[0]`).
    MigrationScript(Rc<RevisionDirective>),
    /// `UpgradeOps` / `DowngradeOps`: how many operations they hold.
    Ops(usize),
    /// Something imported into env.py, by its dotted path (`sqlalchemy.Table`, `re`).
    Imported(Rc<str>),
    /// A module-level value driftlab did not compute: how it was written.
    Opaque(Rc<str>),
}

impl Py<'_> {
    /// `type(x).__name__`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Py::None => "NoneType",
            Py::Bool(_) => "bool",
            Py::Int(_) => "int",
            Py::Float(_) => "float",
            Py::Str(_) => "str",
            Py::Tuple(_) => "tuple",
            Py::List(_) => "list",
            Py::Set(_) => "set",
            Py::Dict(_) => "dict",
            Py::Object(o) => o.class_name(),
            Py::Columns(_) | Py::ColumnList(..) => "ReadOnlyColumnCollection",
            Py::MetaData(_) => "MetaData",
            Py::Base(_) => "DeclarativeMeta",
            Py::Function(_) => "function",
            Py::Builtin(_) | Py::Method(..) => "builtin_function_or_method",
            Py::Class(_) => "type",
            Py::AlembicConfig => "Config",
            Py::Namespace(_) => "Namespace",
            Py::Directives(_) => "list",
            Py::MigrationScript(_) => "MigrationScript",
            Py::Ops(_) => "UpgradeOps",
            Py::Imported(_) | Py::Opaque(_) => "object",
        }
    }
}

/// What `process_revision_directives` sees of the revision autogenerate would write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionDirective {
    pub message: Option<String>,
    pub rev_id: Option<String>,
    pub upgrade_ops: usize,
    pub downgrade_ops: usize,
}

/// The `directives` list: the hook may empty it (`directives[:] = []`), and then no file is written.
#[derive(Debug)]
pub struct Directives {
    pub script: Rc<RevisionDirective>,
    pub emptied: Cell<bool>,
}

/// `repr(s)`.
pub fn repr_str(s: &str) -> String {
    py_repr_str(s)
}

/// Python's `repr()` of a float (shortest round-trip form).
pub fn repr_float(f: f64) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else if f == f.trunc() && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}
