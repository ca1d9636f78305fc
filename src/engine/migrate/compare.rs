//! Autogenerate's comparison, as Alembic does it on SQLite: the models'
//! `MetaData` against the database's (as reflection sees it), giving the
//! upgrade ops in Alembic's order and grouping, the `INFO` lines it logs
//! while detecting them, and the Python warnings printed on the way.
//!
//! The order is Alembic's `compare/tables.py`: added tables in
//! `sorted_tables` order (each followed by its indexes), removed tables
//! (each preceded by its indexes), then every table on both sides by name:
//! added columns, per-column changes (nullable, type, server default),
//! indexes and unique constraints, foreign keys, and last removed columns.
//! Where Alembic walks a Python `set` (removed tables, removed columns,
//! several unnamed unique constraints or foreign keys of one table) the
//! order is not stable in Alembic itself; here it is alphabetical for tables
//! (what the oracle canonicalises to) and source order otherwise.

mod constraints;
mod diffs;
pub mod filters;
pub mod pyrepr;
mod sqlite_impl;

pub use diffs::diffs_repr;
pub use filters::{Filters, HookFailure, SchemaObject};

use std::collections::{HashMap, HashSet};

use crate::engine::metadata::{Column, MetaData, Table};
use crate::engine::migrate::ops::{reverse_ops, AlterColumn, Op};
use crate::engine::sqltypes::{Affinity, TypeName};

use pyrepr::{py_str, ADDR};

/// The table Alembic keeps its revision in; autogenerate never compares it.
pub const VERSION_TABLE: &str = "alembic_version";

/// Where the warning about foreign key cycles points: SQLAlchemy reports it
/// at the first frame outside SQLAlchemy and Alembic, the
/// `context.run_migrations()` line of the standard env.py (online mode).
pub const ENV_WARNING_SITE: &str = "<PROJECT>/alembic/env.py:73";
const ENV_WARNING_SOURCE: &str = "  context.run_migrations()";

/// Where Alembic's own `util.warn` calls point (alembic 1.20.1's files).
const RENDER_WARNING_SITE: &str = "<VENV>/lib/python3.11/site-packages/alembic/autogenerate/render.py:488";
const IMPL_WARNING_SITE: &str = "<VENV>/lib/python3.11/site-packages/alembic/ddl/impl.py:859";
const UTIL_WARN_SOURCE: &str = "  util.warn(";

/// The settings of `context.configure()` that change what is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    /// `compare_type` (Alembic's default: on).
    pub compare_type: bool,
    /// `compare_server_default` (Alembic's default: off).
    pub compare_server_default: bool,
    /// `render_as_batch`: the per-table groups become batch blocks.
    pub render_as_batch: bool,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { compare_type: true, compare_server_default: false, render_as_batch: false }
    }
}

/// What autogenerate found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Autogen {
    /// The upgrade ops: top-level `CreateTable`/`DropTable`, and a
    /// `ModifyTable` group per table for everything else.
    pub upgrade_ops: Vec<Op>,
    /// The `INFO  [alembic.autogenerate.compare.*] ...` lines, in order.
    pub log: Vec<String>,
    /// Python warnings as Python prints them on stderr (`<file>:<line>:
    /// Category: message` and the source line), in the order they happen:
    /// the foreign key cycle `SAWarning` while the models' tables are sorted
    /// (before any log line), those of the comparison itself, then those
    /// printed when the script is rendered (after the log; `alembic check`
    /// renders nothing, so it has none of those). Paths use the oracle's
    /// placeholders `<PROJECT>` and `<VENV>`.
    pub warnings: Vec<String>,
    /// For each warning, how many log lines came before it on stderr.
    warnings_after_lines: Vec<usize>,
    /// An env.py filter failed: the comparison stopped there (the log holds
    /// what was printed before), and the command fails with this.
    pub failure: Option<HookFailure>,
}

impl Autogen {
    /// Whether nothing changed (`alembic check`: "No new upgrade operations detected.").
    pub fn is_empty(&self) -> bool {
        self.upgrade_ops.is_empty()
    }

    /// The stderr lines autogenerate adds after the plugin set-up lines:
    /// the log with the warnings where Python printed them, the render
    /// warnings last, and only if the script is rendered (`revision
    /// --autogenerate` renders it, `alembic check` does not).
    pub fn stderr_lines(&self, rendered: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut logged = 0;
        for (i, warning) in self.warnings.iter().enumerate() {
            if !rendered && warning.starts_with(RENDER_WARNING_SITE) {
                continue;
            }
            let after = self.warnings_after_lines.get(i).copied().unwrap_or(self.log.len()).clamp(logged, self.log.len());
            lines.extend(self.log[logged..after].iter().cloned());
            logged = after;
            lines.extend(warning.lines().map(str::to_string));
        }
        lines.extend(self.log[logged..].iter().cloned());
        lines
    }
}

/// Compares the models with the database and returns what
/// `alembic revision --autogenerate` (or `alembic check`) would find.
pub fn compare(models: &MetaData, database: &MetaData, options: &CompareOptions) -> Autogen {
    compare_filtered(models, database, options, None)
}

/// [`compare`] with env.py's `include_object` / `include_name` filters.
pub fn compare_filtered(models: &MetaData, database: &MetaData, options: &CompareOptions, filters: Option<&dyn Filters>) -> Autogen {
    let database = sqlite_impl::apply_column_reflect_hook(database);
    let mut comparison = Comparison { options, filters, found: Autogen::default() };
    let upgrade_ops = comparison.compare_tables(models, &database);
    if comparison.found.failure.is_some() {
        return comparison.found;
    }
    // Rendering the script comes after everything the comparison printed.
    for warning in render_warnings(&upgrade_ops) {
        comparison.warn(warning);
    }
    comparison.found.upgrade_ops = upgrade_ops;
    comparison.found
}

/// The `UserWarning` Alembic's renderer prints for each `drop_constraint()`
/// without a name it writes (in the upgrade, then the downgrade); Python
/// shows a given message once.
fn render_warnings(upgrade_ops: &[Op]) -> Vec<String> {
    fn unnamed_drops<'a>(ops: &'a [Op], tables: &mut Vec<&'a str>) {
        for op in ops {
            match op {
                Op::ModifyTable { ops, .. } => unnamed_drops(ops, tables),
                Op::DropConstraint { table, name: None, .. } => tables.push(table),
                _ => {}
            }
        }
    }
    let downgrade_ops = reverse_ops(upgrade_ops).unwrap_or_default();
    let mut tables = Vec::new();
    unnamed_drops(upgrade_ops, &mut tables);
    unnamed_drops(&downgrade_ops, &mut tables);
    let mut warnings: Vec<String> = Vec::new();
    for table in tables {
        let warning = format!(
            "{RENDER_WARNING_SITE}: UserWarning: Autogenerate rendered a drop_constraint() directive for an unnamed \
             constraint on table {}; the migration will fail unless a constraint name is added to the directive.  \
             Consider using a naming convention so that constraint names are known ahead of time.\n{UTIL_WARN_SOURCE}",
            py_str(table)
        );
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    warnings
}

/// `Table._autoincrement_column`: the integer primary key column SQLAlchemy
/// treats as autoincrementing, if any.
fn autoincrement_column(table: &Table) -> Option<&str> {
    let is_integer = |c: &Column| c.type_.name.affinity() == Affinity::Integer;
    match table.primary_key.columns.as_slice() {
        [only] => {
            let column = table.column(only)?;
            let has_foreign_key = table.foreign_keys().any(|fk| fk.columns.contains(only));
            let automatic = column.autoincrement.is_none()
                && is_integer(column)
                && column.default.is_none()
                && column.server_default.is_none()
                && !has_foreign_key;
            (column.autoincrement == Some(true) || automatic).then_some(only.as_str())
        }
        columns => columns
            .iter()
            .find(|name| table.column(name).is_some_and(|c| c.autoincrement == Some(true)))
            .map(String::as_str),
    }
}

/// One comparison run: the options and what has been logged and warned so far.
pub(crate) struct Comparison<'a> {
    options: &'a CompareOptions,
    filters: Option<&'a dyn Filters>,
    found: Autogen,
}

const TABLES_LOGGER: &str = "alembic.autogenerate.compare.tables";
const TYPES_LOGGER: &str = "alembic.autogenerate.compare.types";
const CONSTRAINTS_LOGGER: &str = "alembic.autogenerate.compare.constraints";
const DEFAULTS_LOGGER: &str = "alembic.autogenerate.compare.server_defaults";

impl Comparison<'_> {
    /// Logs one line as Alembic's logging config formats it (`%(levelname)-5.5s [%(name)s] %(message)s`).
    /// Nothing is logged once a filter has failed: Python stopped there.
    fn info(&mut self, logger: &str, message: String) {
        if self.found.failure.is_none() {
            self.found.log.push(format!("INFO  [{logger}] {message}"));
        }
    }

    /// A Python warning, printed between the log lines around it.
    fn warn(&mut self, warning: String) {
        if self.found.failure.is_none() {
            self.found.warnings_after_lines.push(self.found.log.len());
            self.found.warnings.push(warning);
        }
    }

    /// `run_object_filters`: whether `include_object` keeps the object
    /// (always, without one; never, once a filter has failed).
    fn include_object(
        &mut self,
        object: SchemaObject<'_>,
        name: Option<&str>,
        type_: &'static str,
        reflected: bool,
        compare_to: Option<SchemaObject<'_>>,
    ) -> bool {
        if self.found.failure.is_some() {
            return false;
        }
        let Some(filters) = self.filters else { return true };
        filters.include_object(object, name, type_, reflected, compare_to).unwrap_or_else(|failure| {
            self.found.failure = Some(failure);
            false
        })
    }

    /// `run_name_filters` for a reflected name (`table` is the table a
    /// column, index or constraint belongs to).
    fn include_name(&mut self, name: Option<&str>, type_: &'static str, table: Option<&str>) -> bool {
        if self.found.failure.is_some() {
            return false;
        }
        let Some(filters) = self.filters else { return true };
        filters.include_name(name, type_, &filters::parent_names(type_, name, table)).unwrap_or_else(|failure| {
            self.found.failure = Some(failure);
            false
        })
    }

    fn warn_expression_index(&mut self, name: Option<&str>) {
        self.warn(format!(
            "{IMPL_WARNING_SITE}: UserWarning: autogenerate skipping metadata-specified expression-based index {}; \
             dialect 'sqlite' under SQLAlchemy 2.1.9 can't reflect these indexes so they can't be compared\n{UTIL_WARN_SOURCE}",
            pyrepr::py_opt_str(name)
        ));
    }

    fn modify_table(&self, table: &str, ops: Vec<Op>) -> Option<Op> {
        (!ops.is_empty()).then(|| Op::ModifyTable { table: table.to_string(), ops, batch: self.options.render_as_batch })
    }

    /// `_autogen_for_tables` and `_compare_tables`.
    fn compare_tables(&mut self, models: &MetaData, database: &MetaData) -> Vec<Op> {
        let mut ops = Vec::new();
        // `MetaData.sorted_tables`: by name, then by dependency; it warns about cycles.
        let mut by_name: Vec<&Table> = models.tables.iter().collect();
        by_name.sort_by(|a, b| a.name.cmp(&b.name));
        let (sorted, cycle) = models.sort_tables(&by_name);
        if let Some(cycle) = cycle {
            self.warn(format!(
                "{ENV_WARNING_SITE}: SAWarning: Cannot correctly sort tables; there are unresolvable cycles between \
                 tables \"{}\", which is usually caused by mutually dependent foreign key constraints.  Foreign key \
                 constraints involving these tables will not be considered; this warning may raise an error in a \
                 future release.\n{ENV_WARNING_SOURCE}",
                cycle.join(", ")
            ));
        }
        let model_tables: Vec<&Table> = sorted.into_iter().filter(|t| t.name != VERSION_TABLE).collect();
        let mut conn_tables: Vec<&Table> = database.tables.iter().filter(|t| t.name != VERSION_TABLE).collect();
        conn_tables.sort_by(|a, b| a.name.cmp(&b.name));
        conn_tables.retain(|t| self.include_name(Some(&t.name), "table", None));
        // By name; the first of a name, as a search in order would find it.
        let mut models_by_name: HashMap<&str, &Table> = HashMap::with_capacity(model_tables.len());
        for &table in &model_tables {
            models_by_name.entry(table.name.as_str()).or_insert(table);
        }
        let database_names: HashSet<&str> = conn_tables.iter().map(|t| t.name.as_str()).collect();
        let in_database = |name: &str| database_names.contains(name);
        let in_models = |name: &str| models_by_name.contains_key(name);

        for &table in model_tables.iter().filter(|t| !in_database(&t.name)) {
            if !self.include_object(SchemaObject::Table(table), Some(&table.name), "table", false, None) {
                continue;
            }
            ops.push(Op::CreateTable(table.clone()));
            self.info(TABLES_LOGGER, format!("Detected added table {}", py_str(&table.name)));
            let mut group = Vec::new();
            self.compare_indexes_and_uniques(&table.name, None, Some(table), &mut group);
            ops.extend(self.modify_table(&table.name, group));
        }

        for &table in conn_tables.iter().filter(|t| !in_models(&t.name)) {
            if !self.include_object(SchemaObject::Table(table), Some(&table.name), "table", true, None) {
                continue;
            }
            let mut group = Vec::new();
            self.compare_indexes_and_uniques(&table.name, Some(table), None, &mut group);
            ops.extend(self.modify_table(&table.name, group));
            ops.push(Op::DropTable(table.clone()));
            self.info(TABLES_LOGGER, format!("Detected removed table {}", py_str(&table.name)));
        }

        for &conn_table in conn_tables.iter() {
            let Some(&metadata_table) = models_by_name.get(conn_table.name.as_str()) else { continue };
            let object = SchemaObject::Table(metadata_table);
            if !self.include_object(object, Some(&conn_table.name), "table", false, Some(SchemaObject::Table(conn_table))) {
                continue;
            }
            let group = self.compare_existing_table(conn_table, metadata_table);
            ops.extend(self.modify_table(&conn_table.name, group));
        }
        ops
    }

    /// `_compare_columns` around the table comparators: added columns,
    /// changed columns, indexes/uniques, foreign keys, removed columns.
    fn compare_existing_table(&mut self, conn_table: &Table, metadata_table: &Table) -> Vec<Op> {
        let name = &conn_table.name;
        let mut ops = Vec::new();
        let conn_columns: Vec<&Column> =
            conn_table.columns.iter().filter(|c| self.include_name(Some(&c.name), "column", Some(name))).collect();
        let conn_column = |column: &str| conn_columns.iter().copied().find(|c| c.name == column);
        let as_object = |table, column| SchemaObject::Column { table, column };
        for column in &metadata_table.columns {
            if conn_column(&column.name).is_none()
                && self.include_object(as_object(metadata_table, column), Some(&column.name), "column", false, None)
            {
                ops.push(Op::AddColumn { table: name.clone(), column: column.clone() });
                self.info(TABLES_LOGGER, format!("Detected added column '{name}.{}'", column.name));
            }
        }
        for metadata_column in &metadata_table.columns {
            let Some(conn_column) = conn_column(&metadata_column.name) else { continue };
            let compare_to = Some(as_object(conn_table, conn_column));
            if !self.include_object(as_object(metadata_table, metadata_column), Some(&metadata_column.name), "column", false, compare_to) {
                continue;
            }
            let alter = self.compare_column(metadata_table, conn_column, metadata_column);
            if alter.has_changes() {
                ops.push(Op::AlterColumn(alter));
            }
        }
        self.compare_indexes_and_uniques(name, Some(conn_table), Some(metadata_table), &mut ops);
        self.compare_foreign_keys(name, conn_table, metadata_table, &mut ops);
        for &column in &conn_columns {
            if metadata_table.column(&column.name).is_none()
                && self.include_object(as_object(conn_table, column), Some(&column.name), "column", true, None)
            {
                ops.push(Op::DropColumn { table: name.clone(), column: column.clone() });
                self.info(TABLES_LOGGER, format!("Detected removed column '{name}.{}'", column.name));
            }
        }
        ops
    }

    /// The "column" comparators in Alembic's priority order: first the
    /// user-level type and server default hooks (which record the existing
    /// state), then nullability, then the dialect's type and server default
    /// comparisons. SQLite has no column comments, so they are never compared.
    fn compare_column(&mut self, metadata_table: &Table, conn: &Column, metadata: &Column) -> AlterColumn {
        let table = &metadata_table.name;
        let mut alter = AlterColumn::new(table, &conn.name);
        let label = format!("{table}.{}", conn.name);

        // `_user_compare_type`: compare_type=False stops all type comparison.
        let compare_types = self.options.compare_type && self.type_setup(&mut alter, &label, conn, metadata);

        // `_user_compare_server_default`: records the existing default when
        // either side has one; compare_server_default=False stops there.
        let has_default = conn.server_default.is_some() || metadata.server_default.is_some();
        if has_default {
            alter.existing_server_default = Some(conn.server_default.clone());
        }
        let compare_defaults = has_default && self.options.compare_server_default;

        // `_setup_autoincrement`, in the server default group that
        // compare_server_default=False has stopped when there is a default.
        if !has_default || self.options.compare_server_default {
            alter.autoincrement = if autoincrement_column(metadata_table) == Some(metadata.name.as_str()) {
                Some(true)
            } else {
                metadata.autoincrement
            };
        }

        // `_compare_nullable`.
        alter.existing_nullable = Some(conn.nullable);
        if conn.nullable != metadata.nullable {
            alter.modify_nullable = Some(metadata.nullable);
            let what = if metadata.nullable { "NULL" } else { "NOT NULL" };
            self.info(CONSTRAINTS_LOGGER, format!("Detected {what} on column '{label}'"));
        }

        // `_dialect_impl_compare_type` repeats the set-up (and its log lines).
        if self.options.compare_type
            && (compare_types || self.type_setup(&mut alter, &label, conn, metadata))
            && sqlite_impl::types_differ(&conn.type_, &metadata.type_)
        {
            alter.modify_type = Some(metadata.type_.clone());
            self.info(
                TYPES_LOGGER,
                format!(
                    "Detected type change from {} to {} on '{label}'",
                    pyrepr::type_repr(&conn.type_),
                    pyrepr::type_repr(&metadata.type_)
                ),
            );
        }

        // `_dialect_impl_compare_server_default`.
        if compare_defaults {
            let rendered_metadata = metadata.server_default.as_ref().map(sqlite_impl::rendered_metadata_default);
            let rendered_conn = conn.server_default.as_ref().map(|d| d.sql());
            if sqlite_impl::server_defaults_differ(rendered_metadata.as_deref(), rendered_conn.as_deref()) {
                alter.modify_server_default = Some(metadata.server_default.clone());
                self.info(
                    DEFAULTS_LOGGER,
                    format!(
                        "Dialect impl <alembic.ddl.sqlite.SQLiteImpl object at {ADDR}> detected server default on column '{label}'"
                    ),
                );
            }
        }
        alter
    }

    /// `_compare_type_setup`: records the existing type; false (with a log
    /// line) when either side has no type to compare.
    fn type_setup(&mut self, alter: &mut AlterColumn, label: &str, conn: &Column, metadata: &Column) -> bool {
        alter.existing_type = Some(conn.type_.clone());
        if conn.type_.name == TypeName::NULLTYPE {
            self.info(TYPES_LOGGER, format!("Couldn't determine database type for column '{label}'"));
            return false;
        }
        if metadata.type_.name == TypeName::NULLTYPE {
            self.info(TYPES_LOGGER, format!("Column '{label}' has no type within the model; can't compare"));
            return false;
        }
        true
    }
}
