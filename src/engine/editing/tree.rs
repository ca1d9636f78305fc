//! The project as the file tree shows it: folders first, then files, each
//! level in name order, with what each file is (text the editor opens, a
//! database, other binary data).

use crate::engine::project::Project;

/// What an entry of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Folder,
    /// A text file the editor opens.
    Text,
    /// An SQLite database (shown in the Database view).
    Database,
    /// Other non-text bytes.
    Binary,
}

/// One row of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TreeEntry {
    /// Project-relative path.
    pub path: String,
    /// The last part of the path.
    pub name: String,
    /// 0 for the project root's entries.
    pub depth: usize,
    pub kind: EntryKind,
}

/// What the file at `path` is; `None` when there is none.
pub fn file_kind(project: &Project, path: &str) -> Option<EntryKind> {
    if project.is_dir(path) && !project.is_file(path) {
        return Some(EntryKind::Folder);
    }
    let bytes = project.read(path)?;
    Some(if Project::is_database(path, bytes) {
        EntryKind::Database
    } else if std::str::from_utf8(bytes).is_err() || bytes.contains(&0) {
        EntryKind::Binary
    } else {
        EntryKind::Text
    })
}

/// Every folder and file, depth first: a folder's entries follow it.
pub fn file_tree(project: &Project) -> Vec<TreeEntry> {
    let mut entries = Vec::new();
    add_children(project, "", 0, &mut entries);
    entries
}

fn add_children(project: &Project, folder: &str, depth: usize, out: &mut Vec<TreeEntry>) {
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let direct = |path: &str| path.strip_prefix(&prefix).filter(|rest| !rest.is_empty() && !rest.contains('/')).map(str::to_string);
    let mut folders: Vec<String> = project.dirs().filter_map(direct).collect();
    folders.sort();
    folders.dedup();
    let mut files: Vec<String> = project.files().map(|(p, _)| p).filter_map(direct).collect();
    files.sort();
    for name in folders {
        let path = format!("{prefix}{name}");
        out.push(TreeEntry { path: path.clone(), name, depth, kind: EntryKind::Folder });
        add_children(project, &path, depth + 1, out);
    }
    for name in files {
        let path = format!("{prefix}{name}");
        let kind = file_kind(project, &path).unwrap_or(EntryKind::Binary);
        out.push(TreeEntry { path, name, depth, kind });
    }
}
