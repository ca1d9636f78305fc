//! The `alembic_version` table: how Alembic 1.20 reads the current heads
//! from it and which rows each upgrade, downgrade or stamp step inserts,
//! updates or deletes (`HeadMaintainer` in `alembic/runtime/migration.py`),
//! with the SQL text Alembic emits online and under `--sql`.

use std::fmt;

use rusqlite::Connection;

use super::graph::{Direction, GraphError, RevisionMap, Step, StepKind};

/// The table's name (Alembic's default `version_table`).
pub const VERSION_TABLE: &str = "alembic_version";

/// `CREATE TABLE` as SQLAlchemy compiles it for SQLite, and as `sqlite_master`
/// keeps it. Online, SQLAlchemy sends it wrapped in newlines (`\n...\n\n`).
pub const CREATE_VERSION_TABLE: &str = "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)";

/// How `get_current_heads` reads the rows.
const SELECT_HEADS: &str = "SELECT alembic_version.version_num \nFROM alembic_version";

/// One change to the version rows. `Display` / [`VersionChange::sql`] is the
/// statement Alembic runs for it, online and (with `;`) offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChange {
    Insert(String),
    Update { from: String, to: String },
    Delete(String),
}

impl VersionChange {
    /// The statement, e.g. `UPDATE alembic_version SET version_num='0002b'
    /// WHERE alembic_version.version_num = '0001a'`. Alembic splices the id
    /// into the SQL as a literal (`literal_column("'%s'" % version)`), so a
    /// quote in an id breaks the statement there too.
    pub fn sql(&self) -> String {
        match self {
            VersionChange::Insert(v) => {
                format!("INSERT INTO alembic_version (version_num) VALUES ('{v}') RETURNING version_num")
            }
            VersionChange::Update { from, to } => {
                format!("UPDATE alembic_version SET version_num='{to}' WHERE alembic_version.version_num = '{from}'")
            }
            VersionChange::Delete(v) => {
                format!("DELETE FROM alembic_version WHERE alembic_version.version_num = '{v}'")
            }
        }
    }

    /// The change as `--sql` prints it, blank line included.
    pub fn offline_sql(&self) -> String {
        offline_statement(&self.sql())
    }
}

impl fmt::Display for VersionChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sql())
    }
}

/// How `--sql` mode writes any statement (`DefaultImpl._exec` +
/// `static_output`): tabs become four spaces, surrounding whitespace goes,
/// then `;` and a blank line.
pub fn offline_statement(sql: &str) -> String {
    format!("{};\n\n", sql.replace('\t', "    ").trim())
}

/// Why a version-row change failed.
#[derive(Debug)]
pub enum VersionTableError {
    /// An exception inside Alembic's bookkeeping (a failed `assert`, a
    /// `KeyError` on a head that is not there): a traceback.
    Graph(GraphError),
    /// An UPDATE or DELETE matched other than one row: a `CommandError`,
    /// `FAILED: Online migration expected to match one row when ...`.
    RowCount(String),
    /// SQLite refused a statement (a traceback from SQLAlchemy).
    Sql(rusqlite::Error),
}

impl fmt::Display for VersionTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionTableError::Graph(e) => e.fmt(f),
            VersionTableError::RowCount(message) => f.write_str(message),
            VersionTableError::Sql(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for VersionTableError {}

impl From<GraphError> for VersionTableError {
    fn from(e: GraphError) -> VersionTableError {
        VersionTableError::Graph(e)
    }
}

impl From<rusqlite::Error> for VersionTableError {
    fn from(e: rusqlite::Error) -> VersionTableError {
        VersionTableError::Sql(e)
    }
}

/// Alembic's `HeadMaintainer`: the heads a run believes are in the table,
/// and which row changes each step makes to keep them so. It needs no
/// database, so `--sql` mode and tests use it alone; [`VersionTable`] runs
/// its changes on SQLite.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeadMaintainer {
    /// A set, kept in the order rows were added.
    heads: Vec<String>,
}

impl HeadMaintainer {
    pub fn new(heads: &[String]) -> HeadMaintainer {
        let mut maintainer = HeadMaintainer::default();
        for head in heads {
            if !maintainer.heads.contains(head) {
                maintainer.heads.push(head.clone());
            }
        }
        maintainer
    }

    pub fn heads(&self) -> &[String] {
        &self.heads
    }

    /// `update_to_step`: decides the row changes for `step` and hands each
    /// to `apply` right after updating the in-memory heads, as Alembic
    /// executes each statement before deciding the next, so a failure
    /// leaves the earlier changes made.
    pub fn update_to_step<E: From<GraphError>>(
        &mut self,
        map: &RevisionMap,
        step: &Step,
        mut apply: impl FnMut(&VersionChange) -> Result<(), E>,
    ) -> Result<(), E> {
        let decision = self.decide(map, step)?;
        match decision {
            Decision::Delete(version) => {
                self.remove(&version)?;
                apply(&VersionChange::Delete(version))
            }
            Decision::Insert(version) => self.insert(version, &mut apply),
            Decision::Merge { delete, update_from, update_to } => {
                for version in delete {
                    self.remove(&version)?;
                    apply(&VersionChange::Delete(version))?;
                }
                self.update(update_from, update_to, &mut apply)
            }
            Decision::Unmerge { update_from, update_to, insert } => {
                for version in insert {
                    self.insert(version, &mut apply)?;
                }
                self.update(update_from, update_to, &mut apply)
            }
            Decision::Update { from, to } => self.update(from, to, &mut apply),
        }
    }

    /// The row changes for `step`, collected (what `--sql` prints).
    pub fn changes_for_step(&mut self, map: &RevisionMap, step: &Step) -> Result<Vec<VersionChange>, GraphError> {
        let mut changes = Vec::new();
        self.update_to_step(map, step, |change: &VersionChange| -> Result<(), GraphError> {
            changes.push(change.clone());
            Ok(())
        })?;
        Ok(changes)
    }

    fn insert<E: From<GraphError>>(
        &mut self,
        version: String,
        apply: &mut impl FnMut(&VersionChange) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.heads.contains(&version) {
            return Err(GraphError::Assertion(None).into());
        }
        self.heads.push(version.clone());
        apply(&VersionChange::Insert(version))
    }

    fn update<E: From<GraphError>>(
        &mut self,
        from: String,
        to: String,
        apply: &mut impl FnMut(&VersionChange) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.heads.contains(&to) {
            return Err(GraphError::Assertion(None).into());
        }
        self.remove(&from)?;
        self.heads.push(to.clone());
        apply(&VersionChange::Update { from, to })
    }

    /// `set.remove`: a `KeyError` when the head is not there.
    fn remove(&mut self, version: &str) -> Result<(), GraphError> {
        let at =
            self.heads.iter().position(|h| h == version).ok_or_else(|| GraphError::KeyError(version.to_string()))?;
        self.heads.remove(at);
        Ok(())
    }

    fn decide(&self, map: &RevisionMap, step: &Step) -> Result<Decision, GraphError> {
        match &step.kind {
            StepKind::Migration { revision, normalized_down_revisions } => {
                self.decide_migration(map, step.direction, revision, normalized_down_revisions)
            }
            StepKind::Stamp { branch_move } => self.decide_stamp(step, *branch_move),
        }
    }

    /// `RevisionStep.should_*`: a base upgrade or a new branch inserts, a
    /// merge deletes all but one parent row and updates that, undoing a
    /// merge inserts all but one parent and updates the merge row, leaving
    /// the last revision of a branch deletes; everything else updates.
    fn decide_migration(
        &self,
        map: &RevisionMap,
        direction: Direction,
        revision: &str,
        down: &[String],
    ) -> Result<Decision, GraphError> {
        let in_heads = |id: &String| self.heads.contains(id);
        let revision = revision.to_string();
        match direction {
            Direction::Up => {
                if down.is_empty() || !down.iter().any(in_heads) {
                    return Ok(Decision::Insert(revision));
                }
                if down.len() > 1 && down.iter().filter(|d| in_heads(d)).count() > 1 {
                    let (delete, update_from) = self.merge_parents(map, down)?;
                    return Ok(Decision::Merge { delete, update_from, update_to: revision });
                }
            }
            Direction::Down => {
                if self.heads.contains(&revision) {
                    if down.is_empty() {
                        return Ok(Decision::Delete(revision));
                    }
                    let mut to = self.unmerge_targets(map, &revision, down)?;
                    if to.is_empty() {
                        return Ok(Decision::Delete(revision));
                    }
                    if down.len() > 1 {
                        let update_to = to.pop().ok_or(GraphError::Assertion(None))?;
                        return Ok(Decision::Unmerge { update_from: revision, update_to, insert: to });
                    }
                }
            }
        }
        // `update_version_num`: the one parent, or the one parent in the heads.
        let parent = match down {
            [one] => one.clone(),
            _ => {
                let present: Vec<&String> = down.iter().filter(|d| in_heads(d)).collect();
                match present.as_slice() {
                    [one] => (*one).clone(),
                    _ => {
                        return Err(GraphError::Assertion(Some(
                            "Can't do an UPDATE because downrevision is ambiguous".into(),
                        )))
                    }
                }
            }
        };
        Ok(match direction {
            Direction::Up => Decision::Update { from: parent, to: revision },
            Direction::Down => Decision::Update { from: revision, to: parent },
        })
    }

    /// `merge_branch_idents`: the parents not below some other head; all but
    /// the last are deleted, the last becomes the merge.
    fn merge_parents(&self, map: &RevisionMap, down: &[String]) -> Result<(Vec<String>, String), GraphError> {
        let others: Vec<String> = self.heads.iter().filter(|h| !down.contains(h)).cloned().collect();
        let mut parents: Vec<String> = down.to_vec();
        if !others.is_empty() {
            let below_others = map.ancestor_ids(&others)?;
            parents.retain(|p| !below_others.contains(p));
        }
        let last = parents.pop().ok_or_else(|| GraphError::Assertion(Some("list index out of range".into())))?;
        Ok((parents, last))
    }

    /// `_unmerge_to_revisions`: the parents a downgrade returns to, less
    /// those some other head (or another parent) already stands on.
    fn unmerge_targets(&self, map: &RevisionMap, revision: &str, down: &[String]) -> Result<Vec<String>, GraphError> {
        let others: Vec<String> = self.heads.iter().filter(|h| *h != revision).cloned().collect();
        let covered: Vec<String> = if others.is_empty() {
            let mut covered = Vec::new();
            for parent in down {
                covered.extend(map.ancestor_ids(std::slice::from_ref(parent))?.into_iter().filter(|a| a != parent));
            }
            covered
        } else {
            map.ancestor_ids(&others)?
        };
        let mut targets = Vec::new();
        for parent in down {
            if !covered.contains(parent) && !targets.contains(parent) {
                targets.push(parent.clone());
            }
        }
        Ok(targets)
    }

    /// `StampStep.should_*`.
    fn decide_stamp(&self, step: &Step, branch_move: bool) -> Result<Decision, GraphError> {
        let first = |v: &[String]| match v {
            [one] => Ok(one.clone()),
            _ => Err(GraphError::Assertion(None)),
        };
        let up = step.direction == Direction::Up;
        if !up && branch_move {
            return Ok(Decision::Delete(first(&step.from)?));
        }
        let leaves_unknown = step.from.iter().any(|f| !self.heads.contains(f));
        let arrives_new = step.to.iter().any(|t| !self.heads.contains(t));
        if up && (branch_move || leaves_unknown) && arrives_new {
            return Ok(Decision::Insert(first(&step.to)?));
        }
        if step.from.len() > 1 {
            let mut delete = step.from.clone();
            let update_from = delete.pop().ok_or(GraphError::Assertion(None))?;
            let update_to = step
                .to
                .first()
                .cloned()
                .ok_or_else(|| GraphError::Assertion(Some("tuple index out of range".into())))?;
            return Ok(Decision::Merge { delete, update_from, update_to });
        }
        if step.to.len() > 1 {
            let mut insert = step.to.clone();
            let update_to = insert.pop().ok_or(GraphError::Assertion(None))?;
            let update_from = step.from.first().cloned().ok_or(GraphError::Assertion(None))?;
            return Ok(Decision::Unmerge { update_from, update_to, insert });
        }
        Ok(Decision::Update { from: first(&step.from)?, to: first(&step.to)? })
    }
}

/// What `update_to_step` chose.
enum Decision {
    Delete(String),
    Insert(String),
    Merge { delete: Vec<String>, update_from: String, update_to: String },
    Unmerge { update_from: String, update_to: String, insert: Vec<String> },
    Update { from: String, to: String },
}

// ----- the table in SQLite ----------------------------------------------

/// Whether the table exists (SQLAlchemy's `has_table`: main, then temp).
pub fn has_table(conn: &Connection) -> rusqlite::Result<bool> {
    for schema in ["main", "temp"] {
        let sql = format!("PRAGMA {schema}.table_info(\"{VERSION_TABLE}\")");
        let mut stmt = conn.prepare(&sql)?;
        if stmt.exists([])? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `_ensure_version_table`: creates the table unless it exists. Returns
/// whether it created it.
pub fn ensure(conn: &Connection) -> rusqlite::Result<bool> {
    if has_table(conn)? {
        return Ok(false);
    }
    conn.execute_batch(CREATE_VERSION_TABLE)?;
    Ok(true)
}

/// `--purge`: ensure the table, then delete every row.
pub fn purge(conn: &Connection) -> rusqlite::Result<()> {
    ensure(conn)?;
    conn.execute("DELETE FROM alembic_version", [])?;
    Ok(())
}

/// `get_current_heads` online: the rows, in the order SQLite returns them;
/// none when the table does not exist.
pub fn current_heads(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    if !has_table(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(SELECT_HEADS)?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

/// Runs one change, checking that UPDATE and DELETE hit exactly one row as
/// Alembic does (SQLite has sane rowcounts).
pub fn execute(conn: &Connection, change: &VersionChange) -> Result<(), VersionTableError> {
    // The INSERT has a RETURNING clause: step through its row rather than `execute`.
    let mut stmt = conn.prepare(&change.sql())?;
    let mut rows = stmt.raw_query();
    while rows.next()?.is_some() {}
    drop(rows);
    let count = conn.changes() as usize;
    let mismatch = match change {
        VersionChange::Insert(_) => None,
        _ if count == 1 => None,
        VersionChange::Update { from, to } => Some(format!(
            "Online migration expected to match one row when updating '{from}' to '{to}' in '{VERSION_TABLE}'; {count} found"
        )),
        VersionChange::Delete(v) => Some(format!(
            "Online migration expected to match one row when deleting '{v}' in '{VERSION_TABLE}'; {count} found"
        )),
    };
    mismatch.map_or(Ok(()), |m| Err(VersionTableError::RowCount(m)))
}

/// The version table of a live database during one command, as
/// `MigrationContext.run_migrations` keeps it.
pub struct VersionTable<'c> {
    conn: &'c Connection,
    maintainer: HeadMaintainer,
}

impl<'c> VersionTable<'c> {
    /// What a run does before choosing its steps: read the heads and, if
    /// there are none, create the table (so even a run that then fails, or
    /// has nothing to do, leaves an empty `alembic_version` behind). With
    /// `purge` (`stamp --purge`), empty the table and start from no heads.
    /// `alembic current` reads without creating: use [`current_heads`].
    pub fn open(conn: &'c Connection, purge_first: bool) -> Result<VersionTable<'c>, VersionTableError> {
        let heads = if purge_first {
            purge(conn)?;
            Vec::new()
        } else {
            let heads = current_heads(conn)?;
            if heads.is_empty() {
                ensure(conn)?;
            }
            heads
        };
        Ok(VersionTable { conn, maintainer: HeadMaintainer::new(&heads) })
    }

    /// The heads as the run believes them to be now.
    pub fn heads(&self) -> &[String] {
        self.maintainer.heads()
    }

    /// Records that `step` ran: executes its row changes, returning them.
    pub fn apply_step(&mut self, map: &RevisionMap, step: &Step) -> Result<Vec<VersionChange>, VersionTableError> {
        let conn = self.conn;
        let mut done = Vec::new();
        self.maintainer.update_to_step(map, step, |change: &VersionChange| -> Result<(), VersionTableError> {
            execute(conn, change)?;
            done.push(change.clone());
            Ok(())
        })?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_read_as_alembic_emits_them() {
        assert_eq!(
            VersionChange::Insert("0001a".into()).offline_sql(),
            "INSERT INTO alembic_version (version_num) VALUES ('0001a') RETURNING version_num;\n\n"
        );
        assert_eq!(
            VersionChange::Update { from: "0001a".into(), to: "0002b".into() }.sql(),
            "UPDATE alembic_version SET version_num='0002b' WHERE alembic_version.version_num = '0001a'"
        );
        assert_eq!(
            offline_statement(CREATE_VERSION_TABLE),
            "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n"
        );
    }

    #[test]
    fn ensure_creates_the_table_once_and_current_heads_reads_it() {
        let conn = Connection::open_in_memory().unwrap();
        assert_eq!(current_heads(&conn).unwrap(), Vec::<String>::new());
        assert!(ensure(&conn).unwrap());
        assert!(!ensure(&conn).unwrap());
        let sql: String =
            conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'alembic_version'", [], |r| r.get(0)).unwrap();
        assert_eq!(sql, CREATE_VERSION_TABLE);
        execute(&conn, &VersionChange::Insert("0001a".into())).unwrap();
        assert_eq!(current_heads(&conn).unwrap(), vec!["0001a".to_string()]);
    }

    #[test]
    fn an_update_that_matches_no_row_fails_like_alembic() {
        let conn = Connection::open_in_memory().unwrap();
        ensure(&conn).unwrap();
        let err = execute(&conn, &VersionChange::Update { from: "x".into(), to: "y".into() }).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Online migration expected to match one row when updating 'x' to 'y' in 'alembic_version'; 0 found"
        );
    }
}
