//! What changed between two descriptions of a database — tables, columns,
//! indexes, unique constraints and foreign keys added, removed or altered,
//! row counts and the `alembic_version` rows — and the merged listing the
//! Database view draws: the schema now, with what went kept in its place.

use serde::{Deserialize, Serialize};

use super::{ColumnInfo, DatabaseInfo, ForeignKeyInfo, IndexInfo, TableInfo, UniqueInfo};

/// How an item differs from before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Change {
    Added,
    Removed,
    Altered,
}

impl Change {
    /// `added`, `removed` or `altered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Altered => "altered",
        }
    }
}

/// A column present before and after, with a different definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnChange {
    pub before: ColumnInfo,
    pub after: ColumnInfo,
}

impl ColumnChange {
    /// What differs, in words: `type VARCHAR(50) → TEXT`, `NULL → NOT NULL`,
    /// `default 'x' → none`, `primary key → not in the key`.
    pub fn details(&self) -> Vec<String> {
        column_details(&self.before, &self.after)
    }
}

fn column_details(before: &ColumnInfo, after: &ColumnInfo) -> Vec<String> {
    let mut details = Vec::new();
    if before.declared_type != after.declared_type {
        let shown = |t: &str| if t.is_empty() { "(none)".to_string() } else { t.to_string() };
        details.push(format!("type {} → {}", shown(&before.declared_type), shown(&after.declared_type)));
    }
    if before.not_null != after.not_null {
        let shown = |not_null| if not_null { "NOT NULL" } else { "NULL" };
        details.push(format!("{} → {}", shown(before.not_null), shown(after.not_null)));
    }
    if before.default != after.default {
        let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_string());
        details.push(format!("default {} → {}", shown(&before.default), shown(&after.default)));
    }
    if before.primary_key != after.primary_key {
        let shown = |pk| match pk {
            0 => "not in the key".to_string(),
            n => format!("primary key #{n}"),
        };
        details.push(format!("{} → {}", shown(before.primary_key), shown(after.primary_key)));
    }
    details
}

/// What changed inside a table present before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableChanges {
    pub table: String,
    pub columns_added: Vec<ColumnInfo>,
    pub columns_removed: Vec<ColumnInfo>,
    pub columns_altered: Vec<ColumnChange>,
    pub indexes_added: Vec<IndexInfo>,
    pub indexes_removed: Vec<IndexInfo>,
    pub unique_constraints_added: Vec<UniqueInfo>,
    pub unique_constraints_removed: Vec<UniqueInfo>,
    pub foreign_keys_added: Vec<ForeignKeyInfo>,
    pub foreign_keys_removed: Vec<ForeignKeyInfo>,
}

impl TableChanges {
    fn is_empty(&self) -> bool {
        self.columns_added.is_empty()
            && self.columns_removed.is_empty()
            && self.columns_altered.is_empty()
            && self.indexes_added.is_empty()
            && self.indexes_removed.is_empty()
            && self.unique_constraints_added.is_empty()
            && self.unique_constraints_removed.is_empty()
            && self.foreign_keys_added.is_empty()
            && self.foreign_keys_removed.is_empty()
    }
}

/// A table present before and after whose number of rows differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCountChange {
    pub table: String,
    pub before: Option<u64>,
    pub after: Option<u64>,
}

/// Everything [`diff`] found. Tables are matched by name, columns by name
/// within a table; an index, unique constraint or foreign key is matched by
/// its whole definition, so a changed one is one removed and one added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaChanges {
    /// Tables only after, by name.
    pub tables_added: Vec<TableInfo>,
    /// Tables only before, by name.
    pub tables_removed: Vec<TableInfo>,
    /// Tables in both whose definition differs, by name.
    pub tables_altered: Vec<TableChanges>,
    /// Tables in both whose row count differs, by name.
    pub row_counts: Vec<RowCountChange>,
    /// The `alembic_version` rows (before, after), when they differ.
    pub alembic_version: Option<(Option<Vec<String>>, Option<Vec<String>>)>,
}

impl SchemaChanges {
    /// No table, column, index, constraint or key changed (rows and the
    /// version rows aside).
    pub fn schema_unchanged(&self) -> bool {
        self.tables_added.is_empty() && self.tables_removed.is_empty() && self.tables_altered.is_empty()
    }

    /// Nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.schema_unchanged() && self.row_counts.is_empty() && self.alembic_version.is_none()
    }

    /// Every finding as a line, in a stable order: `added table todos`,
    /// `altered column todos.title: NULL → NOT NULL`, `added index
    /// ix_todos_title on todos (title)`, `rows in todos: 0 → 2`,
    /// `alembic_version: none → ae1027a6acf`.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        lines.extend(self.tables_added.iter().map(|t| format!("added table {}", t.name)));
        lines.extend(self.tables_removed.iter().map(|t| format!("removed table {}", t.name)));
        for t in &self.tables_altered {
            let name = &t.table;
            lines.extend(t.columns_added.iter().map(|c| format!("added column {name}.{}", c.name)));
            lines.extend(t.columns_removed.iter().map(|c| format!("removed column {name}.{}", c.name)));
            lines.extend(
                t.columns_altered
                    .iter()
                    .map(|c| format!("altered column {name}.{}: {}", c.after.name, c.details().join(", "))),
            );
            let index = |verb: &str, i: &IndexInfo| {
                let unique = if i.unique { "unique " } else { "" };
                format!("{verb} {unique}index {} on {name} ({})", i.name, i.columns.join(", "))
            };
            lines.extend(t.indexes_added.iter().map(|i| index("added", i)));
            lines.extend(t.indexes_removed.iter().map(|i| index("removed", i)));
            let unique = |verb: &str, u: &UniqueInfo| {
                let named = u.name.as_ref().map(|n| format!(" {n}")).unwrap_or_default();
                format!("{verb} unique constraint{named} on {name} ({})", u.columns.join(", "))
            };
            lines.extend(t.unique_constraints_added.iter().map(|u| unique("added", u)));
            lines.extend(t.unique_constraints_removed.iter().map(|u| unique("removed", u)));
            lines.extend(t.foreign_keys_added.iter().map(|k| format!("added foreign key {name}: {}", k.summary())));
            lines.extend(t.foreign_keys_removed.iter().map(|k| format!("removed foreign key {name}: {}", k.summary())));
        }
        let count = |n: Option<u64>| n.map_or_else(|| "?".to_string(), |n| n.to_string());
        lines.extend(
            self.row_counts.iter().map(|r| format!("rows in {}: {} → {}", r.table, count(r.before), count(r.after))),
        );
        if let Some((before, after)) = &self.alembic_version {
            let shown = |v: &Option<Vec<String>>| match v {
                None => "none".to_string(),
                Some(v) if v.is_empty() => "empty".to_string(),
                Some(v) => v.join(", "),
            };
            lines.push(format!("alembic_version: {} → {}", shown(before), shown(after)));
        }
        lines
    }

    /// How table `name` changed, if it did (rows aside).
    pub fn table(&self, name: &str) -> Option<Change> {
        if self.tables_added.iter().any(|t| t.name == name) {
            Some(Change::Added)
        } else if self.tables_removed.iter().any(|t| t.name == name) {
            Some(Change::Removed)
        } else if self.tables_altered.iter().any(|t| t.table == name) {
            Some(Change::Altered)
        } else {
            None
        }
    }

    /// How column `column` of table `table` changed, if it did; the columns
    /// of an added or removed table are not marked one by one.
    pub fn column(&self, table: &str, column: &str) -> Option<Change> {
        let changes = self.tables_altered.iter().find(|t| t.table == table)?;
        if changes.columns_added.iter().any(|c| c.name == column) {
            Some(Change::Added)
        } else if changes.columns_removed.iter().any(|c| c.name == column) {
            Some(Change::Removed)
        } else if changes.columns_altered.iter().any(|c| c.after.name == column) {
            Some(Change::Altered)
        } else {
            None
        }
    }
}

/// Items only in `after` and items only in `before`, each in its own order.
fn added_removed<T: PartialEq + Clone>(before: &[T], after: &[T]) -> (Vec<T>, Vec<T>) {
    let added = after.iter().filter(|x| !before.contains(x)).cloned().collect();
    let removed = before.iter().filter(|x| !after.contains(x)).cloned().collect();
    (added, removed)
}

fn diff_table(before: &TableInfo, after: &TableInfo) -> TableChanges {
    let find = |table: &TableInfo, name: &str| table.columns.iter().find(|c| c.name == name).cloned();
    let columns_added = after.columns.iter().filter(|c| find(before, &c.name).is_none()).cloned().collect();
    let columns_removed = before.columns.iter().filter(|c| find(after, &c.name).is_none()).cloned().collect();
    let columns_altered = after
        .columns
        .iter()
        .filter_map(|c| {
            let was = find(before, &c.name)?;
            (was != *c).then(|| ColumnChange { before: was, after: c.clone() })
        })
        .collect();
    let (indexes_added, indexes_removed) = added_removed(&before.indexes, &after.indexes);
    let (unique_constraints_added, unique_constraints_removed) =
        added_removed(&before.unique_constraints, &after.unique_constraints);
    let (foreign_keys_added, foreign_keys_removed) = added_removed(&before.foreign_keys, &after.foreign_keys);
    TableChanges {
        table: after.name.clone(),
        columns_added,
        columns_removed,
        columns_altered,
        indexes_added,
        indexes_removed,
        unique_constraints_added,
        unique_constraints_removed,
        foreign_keys_added,
        foreign_keys_removed,
    }
}

/// What changed from `before` to `after`.
pub fn diff(before: &DatabaseInfo, after: &DatabaseInfo) -> SchemaChanges {
    let mut changes = SchemaChanges::default();
    for table in &after.tables {
        match before.table(&table.name) {
            None => changes.tables_added.push(table.clone()),
            Some(was) => {
                let table_changes = diff_table(was, table);
                if !table_changes.is_empty() {
                    changes.tables_altered.push(table_changes);
                }
                if was.row_count != table.row_count {
                    changes.row_counts.push(RowCountChange {
                        table: table.name.clone(),
                        before: was.row_count,
                        after: table.row_count,
                    });
                }
            }
        }
    }
    changes.tables_removed = before.tables.iter().filter(|t| after.table(&t.name).is_none()).cloned().collect();
    for list in [&mut changes.tables_added, &mut changes.tables_removed] {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    changes.tables_altered.sort_by(|a, b| a.table.cmp(&b.table));
    changes.row_counts.sort_by(|a, b| a.table.cmp(&b.table));
    if before.alembic_version != after.alembic_version {
        changes.alembic_version = Some((before.alembic_version.clone(), after.alembic_version.clone()));
    }
    changes
}

/// An item of the merged listing and how it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marked<T> {
    pub item: T,
    pub change: Option<Change>,
    /// For an altered item, what differs in words (`type INTEGER → TEXT`).
    pub details: Vec<String>,
}

impl<T> Marked<T> {
    fn new(item: T, change: Option<Change>) -> Self {
        Marked { item, change, details: Vec::new() }
    }
}

/// A table as the Database view lists it: its items now, and those the
/// change removed, each marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedTable {
    pub name: String,
    /// Alembic's own version table.
    pub alembic: bool,
    /// Added or removed as a whole, or altered inside (rows aside). The items
    /// of an added or removed table are not marked one by one.
    pub change: Option<Change>,
    pub columns: Vec<Marked<ColumnInfo>>,
    pub indexes: Vec<Marked<IndexInfo>>,
    pub unique_constraints: Vec<Marked<UniqueInfo>>,
    pub foreign_keys: Vec<Marked<ForeignKeyInfo>>,
    pub row_count: Option<u64>,
    /// The row count before, when it changed.
    pub row_count_was: Option<Option<u64>>,
}

/// Items now, marked added when new, then those removed.
fn merged<T: Clone>(now: &[T], added: &[T], removed: &[T]) -> Vec<Marked<T>>
where
    T: PartialEq,
{
    now.iter()
        .map(|x| Marked::new(x.clone(), added.contains(x).then_some(Change::Added)))
        .chain(removed.iter().map(|x| Marked::new(x.clone(), Some(Change::Removed))))
        .collect()
}

/// Columns now, each marked; a removed column goes back after the column
/// it followed before (or first).
fn merged_columns(before: &TableInfo, after: &TableInfo, changes: &TableChanges) -> Vec<Marked<ColumnInfo>> {
    let mut columns: Vec<Marked<ColumnInfo>> = after
        .columns
        .iter()
        .map(|c| {
            if changes.columns_added.iter().any(|a| a.name == c.name) {
                Marked::new(c.clone(), Some(Change::Added))
            } else if let Some(altered) = changes.columns_altered.iter().find(|a| a.after.name == c.name) {
                Marked { item: c.clone(), change: Some(Change::Altered), details: altered.details() }
            } else {
                Marked::new(c.clone(), None)
            }
        })
        .collect();
    for (at, column) in before.columns.iter().enumerate() {
        if !changes.columns_removed.contains(column) {
            continue;
        }
        let place = before.columns[..at]
            .iter()
            .rev()
            .find_map(|previous| columns.iter().position(|c| c.item.name == previous.name))
            .map_or(0, |p| p + 1);
        columns.insert(place, Marked::new(column.clone(), Some(Change::Removed)));
    }
    columns
}

fn plain<T: Clone>(items: &[T]) -> Vec<Marked<T>> {
    items.iter().map(|x| Marked::new(x.clone(), None)).collect()
}

fn unmarked(table: &TableInfo, change: Option<Change>) -> MarkedTable {
    MarkedTable {
        name: table.name.clone(),
        alembic: table.alembic,
        change,
        columns: plain(&table.columns),
        indexes: plain(&table.indexes),
        unique_constraints: plain(&table.unique_constraints),
        foreign_keys: plain(&table.foreign_keys),
        row_count: table.row_count,
        row_count_was: None,
    }
}

/// The tables of `after` and those removed since `before`, by name, each
/// item marked with how it changed ([`diff`]'s findings, laid out to draw).
pub fn annotate(before: &DatabaseInfo, after: &DatabaseInfo) -> Vec<MarkedTable> {
    let changes = diff(before, after);
    let mut tables: Vec<MarkedTable> = after
        .tables
        .iter()
        .map(|table| {
            let Some(was) = before.table(&table.name) else {
                return unmarked(table, Some(Change::Added));
            };
            let row_count_was = changes.row_counts.iter().find(|r| r.table == table.name).map(|r| r.before);
            let Some(inside) = changes.tables_altered.iter().find(|t| t.table == table.name) else {
                return MarkedTable { row_count_was, ..unmarked(table, None) };
            };
            MarkedTable {
                name: table.name.clone(),
                alembic: table.alembic,
                change: Some(Change::Altered),
                columns: merged_columns(was, table, inside),
                indexes: merged(&table.indexes, &inside.indexes_added, &inside.indexes_removed),
                unique_constraints: merged(
                    &table.unique_constraints,
                    &inside.unique_constraints_added,
                    &inside.unique_constraints_removed,
                ),
                foreign_keys: merged(&table.foreign_keys, &inside.foreign_keys_added, &inside.foreign_keys_removed),
                row_count: table.row_count,
                row_count_was,
            }
        })
        .collect();
    tables.extend(changes.tables_removed.iter().map(|t| unmarked(t, Some(Change::Removed))));
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    tables
}

#[cfg(test)]
mod tests {
    use super::super::{db, describe_database};
    use super::*;

    fn described(sql: &str) -> DatabaseInfo {
        let mut conn = db::open(&[]).unwrap();
        conn.execute_batch(sql).unwrap();
        describe_database(&db::to_bytes(&mut conn).unwrap()).unwrap()
    }

    const USERS: &str = "create table users(id integer primary key, email varchar(50));";
    const VERSION: &str = "create table alembic_version(version_num varchar(32) not null primary key);";

    /// (what it guards, before, after, the summary lines expected)
    const CASES: &[(&str, &str, &str, &[&str])] = &[
        ("nothing changed", USERS, USERS, &[]),
        ("a table appears", "", USERS, &["added table users"]),
        ("a table goes", USERS, "create table other(a);", &["added table other", "removed table users"]),
        (
            "columns added, removed and altered in one table",
            "create table t(a integer, b VARCHAR(50), c text default 'x', d int);",
            "create table t(a integer not null, b text, c text, e int);",
            &[
                "added column t.e",
                "removed column t.d",
                "altered column t.a: NULL → NOT NULL",
                "altered column t.b: type VARCHAR(50) → TEXT",
                "altered column t.c: default 'x' → none",
            ],
        ),
        (
            "a primary key moves",
            "create table t(a int primary key, b int);",
            "create table t(a int, b int primary key);",
            &["altered column t.a: primary key #1 → not in the key", "altered column t.b: not in the key → primary key #1"],
        ),
        (
            "indexes and unique constraints",
            "create table t(a int, b int); create index ix_a on t(a);",
            "create table t(a int, b int, constraint uq_b unique (b)); create unique index ix_a on t(a);",
            &["added unique index ix_a on t (a)", "removed index ix_a on t (a)", "added unique constraint uq_b on t (b)"],
        ),
        (
            "foreign keys",
            "create table p(id integer primary key); create table c(id int, p_id int references p(id));",
            "create table p(id integer primary key); create table c(id int, p_id int references p(id) on delete cascade);",
            &["added foreign key c: p_id → p(id) ON DELETE CASCADE", "removed foreign key c: p_id → p(id)"],
        ),
        (
            "rows alone are not a schema change",
            "create table t(a int);",
            "create table t(a int); insert into t values (1), (2);",
            &["rows in t: 0 → 2"],
        ),
        (
            "an upgrade: a table and the version table appear",
            "",
            "create table alembic_version(version_num varchar(32) not null primary key);
             insert into alembic_version values ('ae1027a6acf'); create table todos(id integer primary key);",
            &["added table alembic_version", "added table todos", "alembic_version: none → ae1027a6acf"],
        ),
        (
            "downgrade base empties the version table",
            "create table alembic_version(version_num varchar(32) not null primary key);
             insert into alembic_version values ('ae1027a6acf');",
            VERSION,
            &["rows in alembic_version: 1 → 0", "alembic_version: ae1027a6acf → empty"],
        ),
    ];

    #[test]
    fn diff_finds_each_change() {
        for (what, before, after, expected) in CASES {
            let changes = diff(&described(before), &described(after));
            assert_eq!(changes.summary(), *expected, "{what}");
            assert_eq!(changes.is_empty(), expected.is_empty(), "{what}");
            let schema_lines = expected.iter().filter(|l| !l.starts_with("rows") && !l.starts_with("alembic_version:"));
            assert_eq!(changes.schema_unchanged(), schema_lines.count() == 0, "{what}");
        }
    }

    #[test]
    fn diff_is_symmetric_in_what_it_adds_and_removes() {
        for (what, before, after, _) in CASES {
            let (before, after) = (described(before), described(after));
            let forward = diff(&before, &after);
            let backward = diff(&after, &before);
            assert_eq!(forward.tables_added, backward.tables_removed, "{what}");
            assert_eq!(forward.tables_altered.len(), backward.tables_altered.len(), "{what}");
            for (f, b) in forward.tables_altered.iter().zip(&backward.tables_altered) {
                assert_eq!((&f.columns_added, &f.indexes_added), (&b.columns_removed, &b.indexes_removed), "{what}");
            }
        }
    }

    #[test]
    fn lookups_answer_per_table_and_column() {
        let changes = diff(
            &described("create table t(a int, b int); create table gone(x);"),
            &described("create table t(a text, c int); create table new(y);"),
        );
        assert_eq!(changes.table("new"), Some(Change::Added));
        assert_eq!(changes.table("gone"), Some(Change::Removed));
        assert_eq!(changes.table("t"), Some(Change::Altered));
        assert_eq!(changes.column("t", "a"), Some(Change::Altered));
        assert_eq!(changes.column("t", "b"), Some(Change::Removed));
        assert_eq!(changes.column("t", "c"), Some(Change::Added));
        assert_eq!(changes.column("new", "y"), None, "an added table's columns are not marked one by one");
    }

    #[test]
    fn annotate_keeps_removed_items_in_place() {
        let before = described(
            "create table t(a int, b int, c int); create index ix_b on t(b); create table gone(x);
             create table same(z); insert into same values (1);",
        );
        let after = described("create table t(a int, c text, d int); create table new(y); create table same(z);");
        let tables = annotate(&before, &after);
        let names: Vec<(&str, Option<Change>)> = tables.iter().map(|t| (t.name.as_str(), t.change)).collect();
        assert_eq!(
            names,
            [
                ("gone", Some(Change::Removed)),
                ("new", Some(Change::Added)),
                ("same", None),
                ("t", Some(Change::Altered))
            ]
        );
        let t = &tables[3];
        let columns: Vec<(&str, Option<Change>)> = t.columns.iter().map(|c| (c.item.name.as_str(), c.change)).collect();
        assert_eq!(
            columns,
            [("a", None), ("b", Some(Change::Removed)), ("c", Some(Change::Altered)), ("d", Some(Change::Added))]
        );
        assert_eq!(t.columns[2].details, ["type INT → TEXT"]);
        assert_eq!(t.indexes.len(), 1);
        assert_eq!((t.indexes[0].item.name.as_str(), t.indexes[0].change), ("ix_b", Some(Change::Removed)));
        assert_eq!((tables[2].row_count, tables[2].row_count_was), (Some(0), Some(Some(1))));
        assert!(
            tables[0].columns.iter().all(|c| c.change.is_none()),
            "a removed table's items are not marked one by one"
        );
    }

    #[test]
    fn a_removed_first_column_goes_back_first() {
        let tables = annotate(&described("create table t(a, b);"), &described("create table t(b);"));
        let columns: Vec<&str> = tables[0].columns.iter().map(|c| c.item.name.as_str()).collect();
        assert_eq!(columns, ["a", "b"]);
    }
}
