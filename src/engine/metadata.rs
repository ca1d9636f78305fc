//! The schema model, as SQLAlchemy's `MetaData` holds it: tables, columns,
//! constraints and indexes. Models files build it, reflection reads it from a
//! database, autogenerate compares two of them, and DDL is compiled from it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::sqltypes::SqlType;

/// A place in a source file, for errors and for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

/// A column's `server_default`, as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServerDefault {
    /// `server_default="active"`: a string, quoted in DDL (`'active'`).
    Literal(String),
    /// `server_default=text("0")` or `sa.text(...)`: SQL as written.
    Text(String),
    /// `server_default=func.now()` and other SQL functions: the SQL it compiles to.
    Function { python: String, sql: String },
    /// `server_default=false()` / `true()`: SQLite compiles them to 0 / 1.
    Boolean(bool),
    /// As read back from a database: the DDL text after `DEFAULT`.
    Reflected(String),
}

impl ServerDefault {
    /// The default as SQLAlchemy's SQLite dialect writes it after `DEFAULT`
    /// (before the dialect's own parenthesising rule).
    pub fn sql(&self) -> String {
        match self {
            ServerDefault::Literal(s) => format!("'{}'", s.replace('\'', "''")),
            ServerDefault::Text(s) | ServerDefault::Reflected(s) => s.clone(),
            ServerDefault::Function { sql, .. } => sql.clone(),
            ServerDefault::Boolean(b) => if *b { "1" } else { "0" }.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub type_: SqlType,
    pub nullable: bool,
    pub primary_key: bool,
    pub server_default: Option<ServerDefault>,
    /// A Python-side `default=` (kept as source text; not part of DDL).
    pub default: Option<String>,
    /// `autoincrement=` when given explicitly.
    pub autoincrement: Option<bool>,
    pub comment: Option<String>,
    /// `unique=True` / `index=True` as given on the column (their constraint
    /// and index are also in the table's lists).
    pub unique: bool,
    pub index: bool,
    pub origin: Option<Origin>,
    /// `info={...}` entries whose values are literals, each as Python source
    /// (`'skip_autogenerate'`, `True`): what env.py's hooks read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub info: Vec<(String, String)>,
}

impl Column {
    pub fn new(name: impl Into<String>, type_: SqlType) -> Self {
        Column {
            name: name.into(),
            type_,
            nullable: true,
            primary_key: false,
            server_default: None,
            default: None,
            autoincrement: None,
            comment: None,
            unique: false,
            index: false,
            origin: None,
            info: Vec::new(),
        }
    }
}

/// How a constraint or index got its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum NameSource {
    /// No name: the database makes one up (or none).
    #[default]
    None,
    /// Written in the models (`name="uq_user_email"`).
    Explicit,
    /// From the MetaData naming convention (Alembic renders it as `op.f(...)`).
    Convention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    pub name: Option<String>,
    pub name_source: NameSource,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKeyConstraint {
    pub name: Option<String>,
    pub name_source: NameSource,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub ondelete: Option<String>,
    pub onupdate: Option<String>,
    pub deferrable: Option<bool>,
    pub initially: Option<String>,
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraint {
    pub name: Option<String>,
    pub name_source: NameSource,
    pub sqltext: String,
}

/// A table-level constraint other than the primary key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constraint {
    Unique(UniqueConstraint),
    ForeignKey(ForeignKeyConstraint),
    Check(CheckConstraint),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: Option<String>,
    pub name_source: NameSource,
    /// Column names, or SQL expressions for functional indexes.
    pub columns: Vec<String>,
    pub unique: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub primary_key: PrimaryKey,
    /// Unique, foreign key and check constraints, in SQLAlchemy's creation
    /// order (the order `CREATE TABLE` lists them in).
    pub constraints: Vec<Constraint>,
    pub indexes: Vec<Index>,
    /// `sqlite_autoincrement=True` in `__table_args__`.
    pub sqlite_autoincrement: bool,
    pub comment: Option<String>,
    /// The models class the table came from, if any.
    pub class_name: Option<String>,
    pub origin: Option<Origin>,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: PrimaryKey { name: None, columns: Vec::new() },
            constraints: Vec::new(),
            indexes: Vec::new(),
            sqlite_autoincrement: false,
            comment: None,
            class_name: None,
            origin: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn foreign_keys(&self) -> impl Iterator<Item = &ForeignKeyConstraint> {
        self.constraints.iter().filter_map(|c| match c {
            Constraint::ForeignKey(fk) => Some(fk),
            _ => None,
        })
    }

    pub fn unique_constraints(&self) -> impl Iterator<Item = &UniqueConstraint> {
        self.constraints.iter().filter_map(|c| match c {
            Constraint::Unique(u) => Some(u),
            _ => None,
        })
    }
}

/// A collection of tables, like `Base.metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MetaData {
    /// Tables in the order they were defined.
    pub tables: Vec<Table>,
    /// `MetaData(naming_convention={...})`; keys as SQLAlchemy spells them
    /// (`ix`, `uq`, `ck`, `fk`, `pk`).
    pub naming_convention: BTreeMap<String, String>,
}

impl MetaData {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Tables in foreign-key dependency order, as SQLAlchemy's
    /// `sort_tables_and_constraints` gives them: layer by layer (every table
    /// whose referenced tables are already out), each layer in `tables`'
    /// order. Tables in a foreign-key cycle have those edges ignored, and are
    /// reported (SQLAlchemy warns "Cannot correctly sort tables").
    pub fn sort_tables<'a>(&self, tables: &[&'a Table]) -> (Vec<&'a Table>, Option<Vec<String>>) {
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        let known: HashSet<&str> = names.iter().copied().collect();
        let mut edges: Vec<Vec<&str>> = tables
            .iter()
            .map(|t| {
                t.foreign_keys()
                    .map(|fk| fk.ref_table.as_str())
                    .filter(|r| *r != t.name && known.contains(r))
                    .collect()
            })
            .collect();
        let layered = |edges: &[Vec<&str>]| -> Result<Vec<usize>, Vec<usize>> {
            let mut out: Vec<usize> = Vec::new();
            let mut todo: Vec<usize> = (0..tables.len()).collect();
            // How many tables still to place have each name.
            let mut pending: HashMap<&str, usize> = HashMap::new();
            for &name in &names {
                *pending.entry(name).or_default() += 1;
            }
            while !todo.is_empty() {
                let layer: Vec<usize> = todo
                    .iter()
                    .copied()
                    .filter(|&i| edges[i].iter().all(|d| pending.get(d).is_none_or(|&n| n == 0)))
                    .collect();
                if layer.is_empty() {
                    return Err(todo);
                }
                let mut placed = vec![false; tables.len()];
                for &i in &layer {
                    placed[i] = true;
                    if let Some(n) = pending.get_mut(names[i]) {
                        *n -= 1;
                    }
                }
                todo.retain(|&i| !placed[i]);
                out.extend(layer);
            }
            Ok(out)
        };
        match layered(&edges) {
            Ok(order) => (order.into_iter().map(|i| tables[i]).collect(), None),
            Err(stuck) => {
                // Tables that only depend on a cycle are not part of it: peel
                // off every stuck table no other stuck table depends on.
                let mut cyclic = stuck;
                loop {
                    let depended_on: HashSet<&str> = cyclic.iter().flat_map(|&j| edges[j].iter().copied()).collect();
                    let before = cyclic.len();
                    cyclic.retain(|&i| depended_on.contains(names[i]));
                    if cyclic.len() == before {
                        break;
                    }
                }
                // Drop the edges among the tables of the cycle.
                let stuck = cyclic;
                let stuck_names: Vec<&str> = stuck.iter().map(|&i| names[i]).collect();
                let stuck_set: HashSet<&str> = stuck_names.iter().copied().collect();
                for &i in &stuck {
                    edges[i].retain(|d| !stuck_set.contains(d));
                }
                let order = layered(&edges).unwrap_or_else(|_| (0..tables.len()).collect());
                let mut cycle: Vec<String> = stuck_names.iter().map(|s| s.to_string()).collect();
                cycle.sort();
                (order.into_iter().map(|i| tables[i]).collect(), Some(cycle))
            }
        }
    }

    /// `MetaData.sorted_tables`: dependency order over the tables sorted by name.
    pub fn sorted_tables(&self) -> Vec<&Table> {
        let mut by_name: Vec<&Table> = self.tables.iter().collect();
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        self.sort_tables(&by_name).0
    }
}
