//! The project's files as the shell commands see them: what a path argument
//! names (absolute paths under the project root, `..`, a trailing `/`), the
//! error a system call would give for it, and whole-tree removal, copy and move.

use std::fmt;

use crate::engine::project::{self, Project};

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// Why a path can't be used, worded as the C library's `strerror` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errno {
    NoEntry,
    NotADirectory,
    IsADirectory,
    Exists,
    NotEmpty,
    /// driftlab's own: the path leaves the project folder, where nothing exists for us.
    Outside,
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Errno::NoEntry => "No such file or directory",
            Errno::NotADirectory => "Not a directory",
            Errno::IsADirectory => "Is a directory",
            Errno::Exists => "File exists",
            Errno::NotEmpty => "Directory not empty",
            Errno::Outside => "Outside the project folder (driftlab has only the project's files)",
        })
    }
}

/// A path argument resolved to a project path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Project-relative and normalised; empty for the project root.
    pub path: String,
    /// The argument ended in `/` (or `/.`), which demands a directory.
    pub wants_dir: bool,
}

/// Resolves a path argument against the current directory. Absolute paths
/// count when they are under `root`; anything else is outside the project.
pub fn locate(root: &str, cwd: &str, arg: &str) -> Result<Target, Errno> {
    let wants_dir = arg.ends_with('/') || arg.ends_with("/.") || arg.ends_with("/..");
    let path = if let Some(absolute) = arg.strip_prefix('/') {
        let root_relative = absolute.trim_start_matches('/');
        let root = root.trim_start_matches('/');
        let inside = root_relative.strip_prefix(root).filter(|rest| rest.is_empty() || rest.starts_with('/'));
        project::resolve("", inside.ok_or(Errno::Outside)?)
    } else {
        project::resolve(cwd, arg)
    };
    Ok(Target { path: path.ok_or(Errno::Outside)?, wants_dir })
}

/// What `path` is, if anything.
pub fn kind(project: &Project, path: &str) -> Option<Kind> {
    if project.is_dir(path) {
        Some(Kind::Dir)
    } else if project.is_file(path) {
        Some(Kind::File)
    } else {
        None
    }
}

/// What a located path is, or the error `stat` would give: a file where a
/// directory is needed (`a.txt/`, `a.txt/x`) is "Not a directory".
pub fn stat(project: &Project, target: &Target) -> Result<Kind, Errno> {
    match kind(project, &target.path) {
        Some(Kind::File) if target.wants_dir => Err(Errno::NotADirectory),
        Some(found) => Ok(found),
        None => Err(missing_reason(project, &target.path)),
    }
}

/// Why a missing path is missing: a file on the way makes it "Not a directory".
pub fn missing_reason(project: &Project, path: &str) -> Errno {
    let file_on_the_way = path.match_indices('/').any(|(i, _)| project.is_file(&path[..i]));
    if file_on_the_way {
        Errno::NotADirectory
    } else {
        Errno::NoEntry
    }
}

/// Whether a new entry can be made at `path`: its parent must be a directory.
pub fn check_parent(project: &Project, path: &str) -> Result<(), Errno> {
    let parent = parent(path);
    match kind(project, parent) {
        Some(Kind::Dir) => Ok(()),
        Some(Kind::File) => Err(Errno::NotADirectory),
        None => Err(missing_reason(project, parent)),
    }
}

/// The directory part of a project path ("" for a top-level name).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last part of a path argument, as `basename` gives it (`a/b/` → `b`).
pub fn base_name(arg: &str) -> &str {
    let trimmed = arg.trim_end_matches('/');
    if trimmed.is_empty() {
        return if arg.is_empty() { "" } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// `dir/name` for project paths.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// `dir/name` for paths as the user wrote them (no doubled `/`).
pub fn join_arg(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether `path` is `dir` or inside it.
pub fn is_within(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The entries of a directory, sorted by name (byte order, as in the C.UTF-8 locale).
pub fn children(project: &Project, dir: &str) -> Vec<(String, Kind)> {
    let direct = |path: &str| -> Option<String> {
        let rest = if dir.is_empty() { Some(path) } else { path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) }?;
        (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
    };
    let mut entries: Vec<(String, Kind)> = project
        .dirs()
        .filter_map(|d| direct(d).map(|name| (name, Kind::Dir)))
        .chain(project.files().filter_map(|(f, _)| direct(f).map(|name| (name, Kind::File))))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Rebuilds the project with every entry renamed by `rename`, or dropped where
/// it returns `None`. The project has no way to remove a directory, so tree
/// operations (rm -r, mv of a directory) go through this.
fn rebuild(project: &mut Project, rename: impl Fn(&str) -> Option<String>) {
    let old = std::mem::take(project);
    for dir in old.dirs() {
        if let Some(new_path) = rename(dir) {
            project.create_dir_all(&new_path);
        }
    }
    for (path, bytes) in old.files() {
        if let Some(new_path) = rename(path) {
            project.write(&new_path, bytes.to_vec());
        }
    }
}

/// Removes a file, or a directory with everything in it.
pub fn remove_tree(project: &mut Project, path: &str) {
    if project.is_file(path) {
        project.remove_file(path);
    } else {
        rebuild(project, |p| (!is_within(p, path)).then(|| p.to_string()));
    }
}

/// Moves a file or directory tree to `to` (which must not exist, or be an
/// empty directory, which it replaces).
pub fn move_tree(project: &mut Project, from: &str, to: &str) {
    if project.is_file(from) {
        let bytes = project.remove_file(from).unwrap_or_default();
        if project.is_dir(to) {
            remove_tree(project, to);
        }
        project.write(to, bytes);
        return;
    }
    rebuild(project, |p| {
        if is_within(p, from) {
            Some(format!("{to}{}", &p[from.len()..]))
        } else if is_within(p, to) {
            // The empty directory being replaced.
            None
        } else {
            Some(p.to_string())
        }
    });
}

/// Copies a file or a directory tree to `to`, merging into directories that
/// exist and overwriting files; returns the copies made, parents first, as
/// (source, destination) project paths.
pub fn copy_tree(project: &mut Project, from: &str, to: &str) -> Vec<(String, String)> {
    if let Some(bytes) = project.read(from) {
        let bytes = bytes.to_vec();
        project.write(to, bytes);
        return vec![(from.to_string(), to.to_string())];
    }
    let mut copied = vec![(from.to_string(), to.to_string())];
    project.create_dir_all(to);
    for (name, _) in children(project, from) {
        copied.extend(copy_tree(project, &join(from, &name), &join(to, &name)));
    }
    copied
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/home/learner/todo-app";

    #[test]
    fn locates_relative_absolute_and_outside_paths() {
        let at = |cwd, arg| locate(ROOT, cwd, arg).map(|t| t.path);
        assert_eq!(at("alembic", "versions/"), Ok("alembic/versions".to_string()));
        assert_eq!(at("alembic", "/home/learner/todo-app/main.py"), Ok("main.py".to_string()));
        assert_eq!(at("", "/home/learner/todo-app"), Ok(String::new()));
        assert_eq!(at("", "/home/learner/todo-apple"), Err(Errno::Outside));
        assert_eq!(at("", "/etc"), Err(Errno::Outside));
        assert_eq!(at("", ".."), Err(Errno::Outside));
        assert!(locate(ROOT, "", "a/").unwrap().wants_dir);
    }

    #[test]
    fn stat_reports_what_the_system_would() {
        let mut project = Project::new();
        project.write("a.txt", "x");
        let target = |path: &str, wants_dir| Target { path: path.to_string(), wants_dir };
        assert_eq!(stat(&project, &target("a.txt", false)), Ok(Kind::File));
        assert_eq!(stat(&project, &target("a.txt", true)), Err(Errno::NotADirectory));
        assert_eq!(stat(&project, &target("a.txt/b", false)), Err(Errno::NotADirectory));
        assert_eq!(stat(&project, &target("b/c", false)), Err(Errno::NoEntry));
    }

    #[test]
    fn trees_move_copy_and_go() {
        let mut project = Project::new();
        project.write("d/sub/x.py", "x");
        project.create_dir_all("d/empty");
        copy_tree(&mut project, "d", "e");
        assert!(project.is_file("e/sub/x.py") && project.is_dir("e/empty"));
        move_tree(&mut project, "e", "f");
        assert!(!project.is_dir("e") && project.is_file("f/sub/x.py") && project.is_dir("f/empty"));
        remove_tree(&mut project, "d");
        assert!(!project.is_dir("d") && !project.is_file("d/sub/x.py"));
        assert_eq!(children(&project, ""), vec![("f".to_string(), Kind::Dir)]);
    }
}
