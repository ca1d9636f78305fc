//! Undo and time travel: every command line that changes files or databases
//! leaves a snapshot of the project (and the current directory) as it was
//! before it, so the project can be brought back exactly — database bytes
//! included — after `rm todos.db` or `alembic downgrade base`.
//!
//! How it stays cheap and bounded:
//! - The history keeps one copy of the project as it stood after the last
//!   command (`current`). Before a command it absorbs edits made outside
//!   commands (the editor's saves: they are not undone here); after it, one
//!   pass compares the project with that copy. Nothing changed: nothing is
//!   recorded. Something changed: the old copy *is* the snapshot, and the new
//!   copy shares every unchanged file's bytes with it (`Arc<[u8]>`), so a
//!   snapshot costs only the files the command changed.
//! - At most [`MAX_SNAPSHOTS`] snapshots are kept, and at most
//!   [`MAX_SNAPSHOT_BYTES`] of file contents that only snapshots hold (bytes
//!   shared with the current project or counted once); the oldest go first.
//!   The newest snapshot is kept even when it alone is over the byte budget,
//!   so the last command can always be undone.
//! - Undo is a stack: undoing restores the newest snapshot and drops it;
//!   restoring the state before an older command drops that snapshot and
//!   every newer one.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::sync::Arc;

use super::project::Project;

/// Snapshots kept at most.
pub const MAX_SNAPSHOTS: usize = 50;
/// Bytes of file contents that only snapshots hold, at most.
pub const MAX_SNAPSHOT_BYTES: usize = 64 * 1024 * 1024;

/// The project's files (contents shared between snapshots) and directories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct State {
    files: BTreeMap<String, Arc<[u8]>>,
    dirs: BTreeSet<String>,
}

impl State {
    /// `project` as a state, sharing `previous`'s bytes for files that did
    /// not change; `None` when nothing at all changed.
    fn changed_from(previous: Option<&State>, project: &Project) -> Option<State> {
        let mut changed = previous.is_none();
        let files: BTreeMap<String, Arc<[u8]>> = project
            .files()
            .map(|(path, bytes)| {
                let bytes = match previous.and_then(|p| p.files.get(path)) {
                    Some(old) if **old == *bytes => Arc::clone(old),
                    _ => {
                        changed = true;
                        Arc::from(bytes)
                    }
                };
                (path.to_string(), bytes)
            })
            .collect();
        let previous_files = previous.map_or(0, |p| p.files.len());
        let dirs_same = previous.is_some_and(|p| p.dirs.iter().map(String::as_str).eq(project.dirs()));
        if !changed && files.len() == previous_files && dirs_same {
            return None;
        }
        Some(State { files, dirs: project.dirs().map(str::to_string).collect() })
    }

    fn to_project(&self) -> Project {
        let mut project = Project::new();
        for dir in &self.dirs {
            project.create_dir_all(dir);
        }
        for (path, bytes) in &self.files {
            project.write(path, bytes.to_vec());
        }
        project
    }

    /// Paths whose content (or existence) differs between two states.
    fn differences(&self, other: &State) -> Vec<String> {
        let paths: BTreeSet<&String> = self.files.keys().chain(other.files.keys()).collect();
        paths.into_iter().filter(|p| self.files.get(*p) != other.files.get(*p)).cloned().collect()
    }
}

/// The project as it was before one command line.
#[derive(Debug, Clone)]
struct Snapshot {
    index: usize,
    command: String,
    cwd: String,
    state: State,
}

/// One snapshot, as the page lists it: which command it undoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// The command's place in [`crate::engine::Session::history`].
    pub index: usize,
    pub command: String,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoInfo {
    /// The undone command's place in the history, and its line.
    pub index: usize,
    pub command: String,
    /// The files brought back, removed again or changed back, in path order.
    pub changed: Vec<String>,
    /// The current directory now (as it was before the command).
    pub cwd: String,
    /// What a running app printed when it reloaded on the restored files
    /// (`uvicorn --reload`), if it did.
    pub app_output: String,
}

/// The snapshots of a session.
#[derive(Debug, Clone)]
pub struct UndoHistory {
    /// The project after the last command (or as last seen); `None` before the first.
    current: Option<State>,
    snapshots: VecDeque<Snapshot>,
    max_snapshots: usize,
    max_bytes: usize,
}

impl Default for UndoHistory {
    fn default() -> Self {
        UndoHistory::new(MAX_SNAPSHOTS, MAX_SNAPSHOT_BYTES)
    }
}

impl UndoHistory {
    /// A history keeping at most `max_snapshots` snapshots and `max_bytes`
    /// of contents only they hold. `max_snapshots == 0` records nothing
    /// (and keeps no copy of the project).
    pub fn new(max_snapshots: usize, max_bytes: usize) -> UndoHistory {
        UndoHistory { current: None, snapshots: VecDeque::new(), max_snapshots, max_bytes }
    }

    /// A history that records nothing (a scratch copy of a session).
    pub fn disabled() -> UndoHistory {
        UndoHistory::new(0, 0)
    }

    fn enabled(&self) -> bool {
        self.max_snapshots > 0
    }

    /// How many snapshots are kept now.
    pub fn len(&self) -> usize {
        self.snapshots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty()
    }

    /// The limits: snapshots, and bytes only snapshots hold.
    pub fn limits(&self) -> (usize, usize) {
        (self.max_snapshots, self.max_bytes)
    }

    /// The snapshots kept, oldest first.
    pub fn snapshots(&self) -> impl Iterator<Item = SnapshotInfo> + '_ {
        self.snapshots.iter().map(|s| SnapshotInfo { index: s.index, command: s.command.clone() })
    }

    /// Whether the state before command `index` can be restored.
    pub fn can_restore_before(&self, index: usize) -> bool {
        self.snapshots.iter().any(|s| s.index == index)
    }

    /// Bytes of file contents that only snapshots hold (each counted once).
    pub fn bytes(&self) -> usize {
        let current: HashSet<*const u8> =
            self.current.iter().flat_map(|c| c.files.values()).map(|b| b.as_ptr()).collect();
        let mut seen: HashSet<*const u8> = HashSet::new();
        let mut total = 0;
        for snapshot in &self.snapshots {
            for bytes in snapshot.state.files.values() {
                let ptr = bytes.as_ptr();
                if !current.contains(&ptr) && seen.insert(ptr) {
                    total += bytes.len();
                }
            }
        }
        total
    }

    /// Forgets every snapshot (the history's indices start again); the
    /// project as it is now is the new starting point.
    pub fn clear(&mut self) {
        self.snapshots.clear();
    }

    /// Takes in changes made outside commands, without recording them.
    pub(crate) fn sync(&mut self, project: &Project) {
        if !self.enabled() {
            return;
        }
        if let Some(state) = State::changed_from(self.current.as_ref(), project) {
            self.current = Some(state);
        }
    }

    /// After command `index` (`None`: nothing was run) that started in `cwd`:
    /// records the project as it was before if the command changed it.
    pub(crate) fn record(&mut self, project: &Project, index: Option<usize>, command: &str, cwd: String) {
        if !self.enabled() {
            return;
        }
        let Some(state) = State::changed_from(self.current.as_ref(), project) else { return };
        let before = self.current.replace(state);
        let (Some(index), Some(before)) = (index, before) else { return };
        self.snapshots.push_back(Snapshot { index, command: command.to_string(), cwd, state: before });
        self.enforce_limits();
    }

    fn enforce_limits(&mut self) {
        while self.snapshots.len() > self.max_snapshots {
            self.snapshots.pop_front();
        }
        while self.snapshots.len() > 1 && self.bytes() > self.max_bytes {
            self.snapshots.pop_front();
        }
    }

    /// Brings back the project as it was before command `index` (`None`: the
    /// newest snapshot), dropping that snapshot and every newer one.
    pub(crate) fn restore(&mut self, project: &mut Project, cwd: &mut String, index: Option<usize>) -> Result<UndoInfo, String> {
        let position = match index {
            None => self.snapshots.len().checked_sub(1).ok_or_else(|| {
                "Nothing to undo: no command has changed files or databases since the session started.".to_string()
            })?,
            Some(index) => match self.snapshots.iter().position(|s| s.index == index) {
                Some(position) => position,
                None if self.snapshots.front().is_some_and(|s| index < s.index) => {
                    return Err(format!(
                        "That command is too old to undo: only the last {} snapshots are kept.",
                        self.snapshots.len()
                    ))
                }
                None => return Err("That command changed no files or databases: there is nothing to restore.".to_string()),
            },
        };
        self.sync(project);
        let snapshot = self.snapshots.drain(position..).next().expect("position is in range");
        let changed = match &self.current {
            Some(current) => current.differences(&snapshot.state),
            None => snapshot.state.files.keys().cloned().collect(),
        };
        *project = snapshot.state.to_project();
        *cwd = snapshot.cwd.clone();
        self.current = Some(snapshot.state);
        Ok(UndoInfo { index: snapshot.index, command: snapshot.command, changed, cwd: snapshot.cwd, app_output: String::new() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> Project {
        let mut p = Project::new();
        for (path, text) in files {
            p.write(path, *text);
        }
        p
    }

    #[test]
    fn unchanged_files_share_their_bytes_with_the_snapshot() {
        let mut h = UndoHistory::default();
        let mut p = project(&[("a.py", "a"), ("big.db", &"x".repeat(1000))]);
        h.sync(&p);
        p.write("a.py", "b");
        h.record(&p, Some(0), "edit", String::new());
        // Only the old `a.py` is held by the snapshot alone.
        assert_eq!(h.bytes(), 1);
        let snap = &h.snapshots[0].state;
        let current = h.current.as_ref().unwrap();
        assert!(Arc::ptr_eq(&snap.files["big.db"], &current.files["big.db"]));
    }

    #[test]
    fn nothing_changed_records_nothing() {
        let mut h = UndoHistory::default();
        let p = project(&[("a.py", "a")]);
        h.sync(&p);
        h.record(&p, Some(0), "ls", String::new());
        assert!(h.is_empty());
        let mut p2 = p.clone();
        p2.create_dir_all("empty");
        h.record(&p2, Some(1), "mkdir empty", String::new());
        assert_eq!(h.len(), 1, "a new empty folder is a change");
    }

    #[test]
    fn the_oldest_go_first_past_either_limit() {
        let mut h = UndoHistory::new(3, 25);
        let mut p = project(&[]);
        h.sync(&p);
        for i in 0..5 {
            p.write("f", "0123456789".repeat(i + 1));
            h.record(&p, Some(i), &format!("cmd {i}"), String::new());
        }
        // Before commands 0..5 `f` held nothing, 10, 20, 30 and 40 bytes. At most 3 snapshots
        // (2, 3, 4: 90 bytes), at most 25 bytes: only the newest stays, kept although over the budget.
        let kept: Vec<usize> = h.snapshots().map(|s| s.index).collect();
        assert_eq!(kept, vec![4]);
        assert_eq!(h.bytes(), 40);
    }
}
