//! Indexes, unique constraints and foreign keys of one table, compared the
//! way Alembic's `compare/constraints.py` does on SQLite
//! (`_compare_indexes_and_uniques`, `_compare_foreign_keys`): by name where
//! both sides have one, by column signature for unnamed unique constraints
//! (SQLite reports `UNIQUE (email)` without a name), and foreign keys by
//! their full signature (SQLite never keeps their names reliably).

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::metadata::{ForeignKeyConstraint, Index, Table, UniqueConstraint};
use crate::engine::migrate::ops::{ConstraintDef, ConstraintKind, Op};

use super::pyrepr::{py_opt_str, py_str, py_str_tuple};
use super::{Comparison, SchemaObject};

const LOGGER: &str = "alembic.autogenerate.compare.constraints";

/// A unique constraint or an index, seen through Alembic's `_constraint_sig`.
#[derive(Debug, Clone, Copy)]
enum Sig<'a> {
    Unique(&'a UniqueConstraint),
    Index(&'a Index),
}

impl<'a> Sig<'a> {
    fn name(&self) -> Option<&'a str> {
        match self {
            Sig::Unique(u) => u.name.as_deref(),
            Sig::Index(i) => i.name.as_deref(),
        }
    }

    fn is_index(&self) -> bool {
        matches!(self, Sig::Index(_))
    }

    fn columns(&self) -> &'a [String] {
        match self {
            Sig::Unique(u) => &u.columns,
            Sig::Index(i) => &i.columns,
        }
    }

    /// `unnamed`: sorted column names for a unique constraint; uniqueness
    /// and columns in order for an index.
    fn unnamed(&self) -> (bool, Vec<String>) {
        match self {
            Sig::Unique(u) => {
                let mut columns = u.columns.clone();
                columns.sort();
                (true, columns)
            }
            Sig::Index(i) => (i.unique, i.columns.clone()),
        }
    }
}

/// Whether an index entry is an SQL expression rather than a column name.
fn is_expression(entry: &str) -> bool {
    entry.contains(['(', ' '])
}

/// Where the table comparison is: a new table, a dropped one, or one on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableChange {
    Created,
    Dropped,
    Existing,
}

impl Comparison<'_> {
    /// `_compare_indexes_and_uniques`: appends the index and unique
    /// constraint ops of one table to `ops`.
    pub(super) fn compare_indexes_and_uniques(
        &mut self,
        table_name: &str,
        conn_table: Option<&Table>,
        metadata_table: Option<&Table>,
        ops: &mut Vec<Op>,
    ) {
        let change = match (conn_table, metadata_table) {
            (None, _) => TableChange::Created,
            (_, None) => TableChange::Dropped,
            _ => TableChange::Existing,
        };
        let metadata_uniques: Vec<&UniqueConstraint> =
            metadata_table.map(|t| t.unique_constraints().collect()).unwrap_or_default();
        let mut metadata_indexes: Vec<&Index> = metadata_table.map(|t| t.indexes.iter().collect()).unwrap_or_default();
        // For a dropped table its unique constraints go with it.
        // Reflected names go through `include_name` (uniques first), dropped tables' too.
        let mut conn_uniques: Vec<&UniqueConstraint> = conn_table.map(|t| t.unique_constraints().collect()).unwrap_or_default();
        conn_uniques.retain(|u| self.include_name(u.name.as_deref(), "unique_constraint", Some(table_name)));
        if change != TableChange::Existing {
            conn_uniques.clear();
        }
        let mut conn_indexes: Vec<&Index> = conn_table.map(|t| t.indexes.iter().collect()).unwrap_or_default();
        conn_indexes.retain(|i| self.include_name(i.name.as_deref(), "index", Some(table_name)));

        // SQLiteImpl.correct_for_autogen_constraints: SQLite can't reflect
        // expression indexes, so models ones not in the database by name are skipped.
        metadata_indexes.retain(|index| {
            let in_database = conn_indexes.iter().any(|c| c.name.is_some() && c.name == index.name);
            // An index with no entries at all had only expressions the models
            // reader could not keep.
            let expression_based = index.columns.is_empty() || index.columns.iter().any(|c| is_expression(c));
            if in_database || !expression_based {
                return true;
            }
            self.warn_expression_index(index.name.as_deref());
            false
        });

        let metadata_unique_sigs: Vec<Sig> = metadata_uniques.iter().map(|u| Sig::Unique(u)).collect();
        let metadata_index_sigs: Vec<Sig> = metadata_indexes.iter().map(|i| Sig::Index(i)).collect();
        let conn_unique_sigs: Vec<Sig> = conn_uniques.iter().map(|u| Sig::Unique(u)).collect();
        let conn_index_sigs: Vec<Sig> = conn_indexes.iter().map(|i| Sig::Index(i)).collect();

        // Indexes always count as named; unique constraints when they have a name.
        let mut metadata_names: BTreeMap<&str, Sig> = BTreeMap::new();
        for sig in metadata_unique_sigs.iter().chain(&metadata_index_sigs) {
            if let Some(name) = sig.name() {
                metadata_names.insert(name, *sig);
            }
        }
        let conn_uniques_by_name: BTreeMap<&str, Sig> =
            conn_unique_sigs.iter().filter_map(|s| s.name().map(|n| (n, *s))).collect();
        let conn_indexes_by_name: BTreeMap<&str, Sig> =
            conn_index_sigs.iter().filter_map(|s| s.name().map(|n| (n, *s))).collect();
        let mut conn_names: BTreeMap<&str, Sig> = conn_uniques_by_name.clone();
        conn_names.extend(conn_indexes_by_name.iter().map(|(k, v)| (*k, *v)));
        let doubled: BTreeSet<&str> =
            conn_uniques_by_name.keys().filter(|n| conn_indexes_by_name.contains_key(*n)).copied().collect();

        let conn_uniques_by_sig: BTreeSet<(bool, Vec<String>)> = conn_unique_sigs.iter().map(Sig::unnamed).collect();
        let metadata_uniques_by_sig: BTreeSet<(bool, Vec<String>)> =
            metadata_unique_sigs.iter().map(Sig::unnamed).collect();
        let unnamed_metadata_uniques: Vec<Sig> =
            metadata_unique_sigs.iter().filter(|s| s.name().is_none()).copied().collect();
        let unnamed_metadata_unique_keys: BTreeSet<(bool, Vec<String>)> =
            unnamed_metadata_uniques.iter().map(Sig::unnamed).collect();

        let mut cx = IndexChanges { comparison: self, table: table_name, conn_table, metadata_table, change, ops };

        for (name, conn_sig) in &conn_names {
            if metadata_names.contains_key(name) {
                continue;
            }
            if !conn_sig.is_index() && unnamed_metadata_unique_keys.contains(&conn_sig.unnamed()) {
                continue;
            }
            if doubled.contains(name) {
                let (conn_uq, conn_ix) = (conn_uniques_by_name[name], conn_indexes_by_name[name]);
                let index_in_models = metadata_index_sigs.iter().any(|m| m.unnamed() == conn_ix.unnamed());
                if !index_in_models && !metadata_uniques_by_sig.contains(&conn_uq.unnamed()) {
                    cx.removed(conn_uq);
                    cx.removed(conn_ix);
                }
            } else {
                cx.removed(*conn_sig);
            }
        }

        for (name, metadata_sig) in &metadata_names {
            let Some(named) = conn_names.get(name) else { continue };
            let conn_sig = if doubled.contains(name) {
                if metadata_sig.is_index() {
                    conn_indexes_by_name[name]
                } else {
                    conn_uniques_by_name[name]
                }
            } else {
                *named
            };
            if conn_sig.is_index() != metadata_sig.is_index() {
                cx.removed(conn_sig);
                cx.added(*metadata_sig);
            } else if let Some(message) = difference(metadata_sig, &conn_sig) {
                cx.changed(conn_sig, *metadata_sig, &message);
            }
        }

        for (name, metadata_sig) in &metadata_names {
            if !conn_names.contains_key(name) {
                cx.added(*metadata_sig);
            }
        }

        // Alembic walks these in set order; the models' order is the stable choice.
        for sig in unnamed_metadata_uniques {
            if !conn_uniques_by_sig.contains(&sig.unnamed()) {
                cx.added(sig);
            }
        }
    }

    /// `_compare_foreign_keys`: appends the foreign key ops of a table that
    /// exists on both sides.
    pub(super) fn compare_foreign_keys(&mut self, table_name: &str, conn_table: &Table, metadata_table: &Table, ops: &mut Vec<Op>) {
        let metadata_fks: Vec<&ForeignKeyConstraint> = metadata_table.foreign_keys().collect();
        let mut conn_fks: Vec<&ForeignKeyConstraint> = conn_table.foreign_keys().collect();
        conn_fks.retain(|fk| self.include_name(fk.name.as_deref(), "foreign_key_constraint", Some(table_name)));
        // `compare_to`: the other side's constraint of the same name.
        let named = |fks: &[&'_ ForeignKeyConstraint], name: &Option<String>| {
            name.as_ref().and_then(|n| fks.iter().position(|fk| fk.name.as_ref() == Some(n)))
        };
        let fk_object = |table, constraint| SchemaObject::ForeignKeyConstraint { table, constraint };
        let conn_sigs: Vec<FkSig> = conn_fks.iter().map(|fk| fk_sig(table_name, fk)).collect();
        let metadata_sigs: Vec<FkSig> = metadata_fks.iter().map(|fk| fk_sig(table_name, fk)).collect();
        // Alembic walks set differences here; database and models order are the stable choice.
        for (fk, sig) in conn_fks.iter().zip(&conn_sigs) {
            if !metadata_sigs.contains(sig) {
                let compare_to = named(&metadata_fks, &fk.name).map(|i| fk_object(metadata_table, metadata_fks[i]));
                if !self.include_object(fk_object(conn_table, fk), fk.name.as_deref(), "foreign_key_constraint", true, compare_to) {
                    continue;
                }
                ops.push(Op::DropConstraint {
                    table: table_name.to_string(),
                    name: fk.name.clone(),
                    kind: Some(ConstraintKind::ForeignKey),
                    was: Some(ConstraintDef::ForeignKey((*fk).clone())),
                });
                self.info(LOGGER, format!("Detected removed foreign key {}", fk_description(table_name, fk)));
            }
        }
        for (fk, sig) in metadata_fks.iter().zip(&metadata_sigs) {
            if !conn_sigs.contains(sig) {
                let compare_to = named(&conn_fks, &fk.name).map(|i| fk_object(conn_table, conn_fks[i]));
                if !self.include_object(fk_object(metadata_table, fk), fk.name.as_deref(), "foreign_key_constraint", false, compare_to) {
                    continue;
                }
                ops.push(Op::CreateConstraint {
                    table: table_name.to_string(),
                    constraint: ConstraintDef::ForeignKey((*fk).clone()),
                });
                self.info(LOGGER, format!("Detected added foreign key {}", fk_description(table_name, fk)));
            }
        }
    }
}

/// `_fk_constraint_sig.unnamed`: source and target with the options that
/// matter (`NO ACTION` counts as none; `initially`/`deferrable` as one state).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FkSig {
    source_table: String,
    source_columns: Vec<String>,
    target_table: String,
    target_columns: Vec<String>,
    onupdate: Option<String>,
    ondelete: Option<String>,
    deferral: &'static str,
}

fn fk_sig(table: &str, fk: &ForeignKeyConstraint) -> FkSig {
    let action = |a: &Option<String>| {
        a.as_deref().filter(|s| !s.is_empty()).map(str::to_lowercase).filter(|s| s != "no action")
    };
    let deferral = if fk.initially.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("deferred")) {
        "initially_deferrable"
    } else if fk.deferrable == Some(true) {
        "deferrable"
    } else {
        "not deferrable"
    };
    FkSig {
        source_table: table.to_string(),
        source_columns: fk.columns.clone(),
        target_table: fk.ref_table.clone(),
        target_columns: fk.ref_columns.clone(),
        onupdate: action(&fk.onupdate),
        ondelete: action(&fk.ondelete),
        deferral,
    }
}

/// `(user_id)(id) on table post`.
fn fk_description(table: &str, fk: &ForeignKeyConstraint) -> String {
    format!("({})({}) on table {table}", fk.columns.join(", "), fk.ref_columns.join(", "))
}

/// `compare_to_reflected`: why a models index or unique constraint differs
/// from the database one of the same name, if it does.
fn difference(metadata: &Sig, conn: &Sig) -> Option<String> {
    match (metadata, conn) {
        (Sig::Index(m), Sig::Index(c)) => {
            let mut messages = Vec::new();
            if m.unique != c.unique {
                messages.push(format!("unique={} to unique={}", py_bool_word(c.unique), py_bool_word(m.unique)));
            }
            let columns = |i: &Index| -> Vec<String> { i.columns.iter().filter(|c| !is_expression(c)).cloned().collect() };
            if columns(m) != columns(c) {
                messages.push(format!("expression {} to {}", py_str_tuple(&columns(c)), py_str_tuple(&columns(m))));
            }
            (!messages.is_empty()).then(|| messages.join(", "))
        }
        _ => {
            let (meta_sig, conn_sig) = (metadata.unnamed().1, conn.unnamed().1);
            (meta_sig != conn_sig).then(|| format!("expression {} to {}", py_str_tuple(&conn_sig), py_str_tuple(&meta_sig)))
        }
    }
}

fn py_bool_word(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// The `obj_added` / `obj_removed` / `obj_changed` closures of
/// `_compare_indexes_and_uniques`.
struct IndexChanges<'c, 'a, 'o> {
    comparison: &'c mut Comparison<'a>,
    table: &'c str,
    conn_table: Option<&'c Table>,
    metadata_table: Option<&'c Table>,
    change: TableChange,
    ops: &'o mut Vec<Op>,
}

impl<'c> IndexChanges<'c, '_, '_> {
    fn inline_with_table(&self) -> bool {
        self.change != TableChange::Existing
    }

    /// `run_object_filters` for an index or unique constraint of the
    /// models' side (`reflected` false) or the database's.
    fn include(&mut self, sig: Sig<'c>, reflected: bool, compare_to: Option<Sig<'c>>) -> bool {
        let object = |sig: Sig<'c>, table: Option<&'c Table>| {
            let table = table?;
            Some(match sig {
                Sig::Index(index) => SchemaObject::Index { table, index },
                Sig::Unique(constraint) => SchemaObject::UniqueConstraint { table, constraint },
            })
        };
        let (own, other) = if reflected { (self.conn_table, self.metadata_table) } else { (self.metadata_table, self.conn_table) };
        let Some(target) = object(sig, own) else { return true };
        let type_ = if sig.is_index() { "index" } else { "unique_constraint" };
        let compare_to = compare_to.and_then(|c| object(c, other));
        self.comparison.include_object(target, sig.name(), type_, reflected, compare_to)
    }

    fn added(&mut self, sig: Sig<'c>) {
        // Unique constraints of new and dropped tables are part of the table: not filtered, no op.
        if matches!(sig, Sig::Unique(_)) && self.inline_with_table() {
            return;
        }
        let columns = sig.columns().iter().filter(|c| !is_expression(c)).cloned().collect::<Vec<_>>();
        if !self.include(sig, false, None) {
            return;
        }
        match sig {
            Sig::Index(index) => {
                self.ops.push(Op::CreateIndex { table: self.table.to_string(), index: index.clone() });
                self.comparison.info(
                    LOGGER,
                    format!("Detected added index {} on '{}'", py_opt_str(index.name.as_deref()), py_str_tuple(&columns)),
                );
            }
            // Unique constraints of new and dropped tables are part of the table.
            Sig::Unique(_) if self.inline_with_table() => {}
            Sig::Unique(uq) => {
                self.ops.push(Op::CreateConstraint {
                    table: self.table.to_string(),
                    constraint: ConstraintDef::Unique(uq.clone()),
                });
                self.comparison.info(
                    LOGGER,
                    format!("Detected added unique constraint {} on '{}'", py_opt_str(uq.name.as_deref()), py_str_tuple(&columns)),
                );
            }
        }
    }

    fn removed(&mut self, sig: Sig<'c>) {
        if matches!(sig, Sig::Unique(_)) && self.inline_with_table() {
            return;
        }
        if !self.include(sig, true, None) {
            return;
        }
        match sig {
            Sig::Index(index) => {
                self.ops.push(Op::DropIndex { table: self.table.to_string(), index: index.clone() });
                self.comparison.info(
                    LOGGER,
                    format!("Detected removed index {} on {}", py_opt_str(index.name.as_deref()), py_str(self.table)),
                );
            }
            Sig::Unique(_) if self.inline_with_table() => {}
            Sig::Unique(uq) => {
                self.ops.push(drop_unique(self.table, uq));
                self.comparison.info(
                    LOGGER,
                    format!("Detected removed unique constraint {} on {}", py_opt_str(uq.name.as_deref()), py_str(self.table)),
                );
            }
        }
    }

    fn changed(&mut self, old: Sig<'c>, new: Sig<'c>, message: &str) {
        if !self.include(new, false, Some(old)) {
            return;
        }
        match (old, new) {
            (Sig::Index(old), Sig::Index(new)) => {
                self.comparison.info(
                    LOGGER,
                    format!("Detected changed index {} on {}: {message}", py_opt_str(old.name.as_deref()), py_str(self.table)),
                );
                self.ops.push(Op::DropIndex { table: self.table.to_string(), index: old.clone() });
                self.ops.push(Op::CreateIndex { table: self.table.to_string(), index: new.clone() });
            }
            (Sig::Unique(old), Sig::Unique(new)) => {
                self.comparison.info(
                    LOGGER,
                    format!(
                        "Detected changed unique constraint {} on {}: {message}",
                        py_opt_str(old.name.as_deref()),
                        py_str(self.table)
                    ),
                );
                self.ops.push(drop_unique(self.table, old));
                self.ops.push(Op::CreateConstraint {
                    table: self.table.to_string(),
                    constraint: ConstraintDef::Unique(new.clone()),
                });
            }
            _ => unreachable!("changed() is only called for objects of one kind"),
        }
    }
}

fn drop_unique(table: &str, uq: &UniqueConstraint) -> Op {
    Op::DropConstraint {
        table: table.to_string(),
        name: uq.name.clone(),
        kind: Some(ConstraintKind::Unique),
        was: Some(ConstraintDef::Unique(uq.clone())),
    }
}
