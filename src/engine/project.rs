//! A project: a tree of files (Python sources, migration scripts, SQLite
//! database bytes) held in memory. Paths are relative, `/`-separated and
//! normalised (no `.`, `..` or empty parts). Directories are explicit so that
//! an empty `alembic/versions/` exists as it does on disk.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    files: BTreeMap<String, Vec<u8>>,
    dirs: BTreeSet<String>,
}

/// Normalises `path` relative to `cwd` (both project-relative). `None` when the
/// path climbs out of the project.
pub fn resolve(cwd: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let start = if path.starts_with('/') { "" } else { cwd };
    for part in start.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn parent_dirs(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

impl Project {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn read(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn read_text(&self, path: &str) -> Option<String> {
        self.read(path).map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// Writes a file, creating its parent directories.
    pub fn write(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        for dir in parent_dirs(path) {
            self.dirs.insert(dir.to_string());
        }
        self.files.insert(path.to_string(), bytes.into());
    }

    pub fn create_dir_all(&mut self, path: &str) {
        if path.is_empty() {
            return;
        }
        for dir in parent_dirs(path) {
            self.dirs.insert(dir.to_string());
        }
        self.dirs.insert(path.to_string());
    }

    pub fn remove_file(&mut self, path: &str) -> Option<Vec<u8>> {
        self.files.remove(path)
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The project root is always a directory.
    pub fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dirs.contains(path)
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn dirs(&self) -> impl Iterator<Item = &str> {
        self.dirs.iter().map(String::as_str)
    }

    /// Whether `bytes` look like an SQLite database (or an empty file named `*.db`).
    pub fn is_database(path: &str, bytes: &[u8]) -> bool {
        bytes.starts_with(b"SQLite format 3\0")
            || (bytes.is_empty() && (path.ends_with(".db") || path.ends_with(".sqlite") || path.ends_with(".sqlite3")))
    }

    /// Every database file of the project, in path order.
    pub fn database_paths(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|(p, b)| Self::is_database(p, b))
            .map(|(p, _)| p.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_normalises_and_refuses_to_climb_out() {
        assert_eq!(resolve("", "a/./b/../c.db").as_deref(), Some("a/c.db"));
        assert_eq!(resolve("alembic", "versions").as_deref(), Some("alembic/versions"));
        assert_eq!(resolve("alembic", "/todos.db").as_deref(), Some("todos.db"));
        assert_eq!(resolve("", "../x"), None);
    }

    #[test]
    fn write_creates_parent_dirs() {
        let mut p = Project::new();
        p.write("alembic/versions/0001_init.py", "x");
        assert!(p.is_dir("alembic") && p.is_dir("alembic/versions"));
        assert!(p.is_file("alembic/versions/0001_init.py"));
    }
}
