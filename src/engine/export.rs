//! Export and import of a project as files a learner keeps: a `.zip` that is
//! a real, runnable FastAPI + Alembic project (every file of the project, its
//! databases, and a README saying how to run it with the real tools), under
//! one top folder; and back, a zip like it (with or without the top folder,
//! from driftlab or any zip tool) or a lone SQLite `.db` file.
//!
//! Imports are untrusted: entry names go through `saved`'s path checks (no
//! zip-slip), the archive's size, entry count and every entry's size are
//! limited before anything is inflated, encrypted entries are refused, and a
//! database must be one SQLite opens.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::db;
use super::project::Project;
use super::saved::{self, human_size, MAX_FILES, MAX_PROJECT_BYTES};
use super::zip::{DosTime, ZipArchive, ZipError, ZipWriter};

/// The top folder of an export when none is given.
pub const DEFAULT_FOLDER: &str = "todo-app";
/// The first line of the README an export writes; an import leaves such a
/// README out, so export and import are inverses.
pub const README_MARKER: &str = "<!-- Written by driftlab's export. -->";
/// The largest zip file imported.
pub const MAX_ZIP_BYTES: usize = 32 * 1024 * 1024;
/// The most entries a zip file may list (skipped ones included).
pub const MAX_ZIP_ENTRIES: usize = 2000;

/// How to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The top folder everything goes under.
    pub folder: String,
    /// The entries' time, as [`crate::engine::host::Host::now`] gives it
    /// (`None`: 1980-01-01, zip's earliest).
    pub modified: Option<String>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions { folder: DEFAULT_FOLDER.to_string(), modified: None }
    }
}

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file is larger than allowed.
    TooLarge { size: usize, max: usize },
    /// The zip file can't be read.
    Zip(ZipError),
    /// An entry whose name would land outside the project (zip-slip), or is not a path driftlab keeps.
    UnsafePath { name: String, reason: String },
    /// The same path twice.
    Duplicate(String),
    /// Nothing to import.
    Empty,
    /// The project is over the limits (files, bytes), or a file where a folder is.
    Invalid(String),
    /// A `.db` that is not an SQLite database SQLite opens.
    NotADatabase(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { size, max } => {
                write!(f, "The file is too large to import ({}; at most {}).", human_size(*size), human_size(*max))
            }
            ImportError::Zip(e) => write!(f, "Can't import: {e}."),
            ImportError::UnsafePath { name, reason } => {
                write!(f, "Can't import: the zip file's entry {name:?} is not a safe path ({reason}).")
            }
            ImportError::Duplicate(path) => write!(f, "Can't import: the zip file holds {path:?} twice."),
            ImportError::Empty => write!(f, "Can't import: the zip file holds no project files."),
            ImportError::Invalid(reason) => write!(f, "Can't import: {reason}."),
            ImportError::NotADatabase(reason) => write!(f, "Can't import: this is not an SQLite database ({reason})."),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<ZipError> for ImportError {
    fn from(e: ZipError) -> Self {
        ImportError::Zip(e)
    }
}

// ------------------------------------------------------------------ export

/// The project as a zip: every folder and file under `options.folder`, and
/// a generated `README.md` (unless the project has its own README.md: then
/// the generated one is `README-driftlab.md`).
pub fn export_zip(project: &Project, options: &ExportOptions) -> Vec<u8> {
    let folder = if saved::check_path(&options.folder).is_ok() && !options.folder.contains('/') {
        options.folder.as_str()
    } else {
        DEFAULT_FOLDER
    };
    let modified = options.modified.as_deref().map_or(DosTime::EPOCH, DosTime::from_python);
    let mut zip = ZipWriter::new(modified);
    zip.add_dir(folder);
    for dir in project.dirs() {
        zip.add_dir(&format!("{folder}/{dir}"));
    }
    for (path, bytes) in project.files() {
        zip.add_file(&format!("{folder}/{path}"), bytes);
    }
    let readme_name = if project.is_file("README.md") { "README-driftlab.md" } else { "README.md" };
    zip.add_file(&format!("{folder}/{readme_name}"), readme(project, folder).as_bytes());
    zip.finish()
}

/// The revision a database is at (`alembic_version`), if it has one.
fn database_revision(bytes: &[u8]) -> Option<Vec<String>> {
    let conn = db::open(bytes).ok()?;
    let mut stmt = conn.prepare("SELECT version_num FROM alembic_version").ok()?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).ok()?;
    Some(rows.filter_map(Result::ok).collect())
}

/// The README of an export: what is in the folder and how to run it with
/// the real tools.
pub fn readme(project: &Project, folder: &str) -> String {
    let has = |path: &str| project.is_file(path);
    let mut out = format!("{README_MARKER}\n# {folder}\n\n");
    out.push_str(
        "A FastAPI + SQLAlchemy + Alembic project, exported from driftlab. Everything here is real: \
         the files are the ones you edited and the databases are SQLite files, exactly as you left them.\n\n",
    );
    out.push_str("## Run it\n\nYou need Python 3.10 or newer. In this folder:\n\n```sh\n");
    out.push_str("python3 -m venv .venv\nsource .venv/bin/activate        # Windows: .venv\\Scripts\\activate\n");
    if has("requirements.txt") {
        out.push_str("pip install -r requirements.txt\n");
    } else {
        out.push_str("pip install fastapi \"uvicorn[standard]\" sqlalchemy alembic\n");
    }
    if has("alembic.ini") {
        out.push_str(
            "alembic current                  # the revision the database is at\n\
             alembic upgrade head             # apply the migrations not applied yet\n\
             alembic check                    # do the models and the database agree?\n",
        );
    }
    if has("main.py") {
        out.push_str("uvicorn main:app --reload        # then open http://127.0.0.1:8000/docs\n");
    }
    out.push_str("```\n\n");
    if !has("alembic.ini") {
        out.push_str(
            "This project has no Alembic yet: `alembic init alembic` sets it up, as in driftlab's lessons.\n\n",
        );
    }

    let databases = project.database_paths();
    let versions: Vec<&str> = project
        .files()
        .map(|(p, _)| p)
        .filter(|p| p.contains("versions/") && p.ends_with(".py"))
        .collect();
    if !databases.is_empty() || !versions.is_empty() {
        out.push_str("## What is in here\n\n");
    }
    for path in &databases {
        let bytes = project.read(path).unwrap_or_default();
        let state = if bytes.is_empty() {
            "empty (no tables yet)".to_string()
        } else {
            match database_revision(bytes).as_deref() {
                Some([]) => "under Alembic, at no revision (base)".to_string(),
                Some(revisions) => format!("under Alembic, at revision {}", revisions.join(", ")),
                None => "not under Alembic (no `alembic_version` table)".to_string(),
            }
        };
        out.push_str(&format!("- `{path}`: an SQLite database, {state}.\n"));
    }
    if !versions.is_empty() {
        out.push_str(&format!("- {} migration file{}:\n", versions.len(), if versions.len() == 1 { "" } else { "s" }));
        for path in &versions {
            out.push_str(&format!("  - `{path}`\n"));
        }
    }
    if !databases.is_empty() || !versions.is_empty() {
        out.push('\n');
    }
    if has("alembic.ini") && !databases.is_empty() {
        out.push_str("To start from an empty database instead, delete the `.db` file and run `alembic upgrade head`.\n");
    }
    out
}

// ------------------------------------------------------------------ import

/// Entries left out of an import: tools' litter and caches, never project files.
fn is_litter(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.last().copied().unwrap_or_default();
    parts.iter().any(|p| matches!(*p, "__MACOSX" | "__pycache__" | ".git" | ".venv" | ".mypy_cache" | ".pytest_cache"))
        || matches!(last, ".DS_Store" | "Thumbs.db" | "desktop.ini")
        || last.ends_with(".pyc")
}

/// A project from a zip file as [`export_zip`] writes it or a zip tool
/// makes of a project folder: with or without one top folder; virtual
/// environments (folders with a `pyvenv.cfg`), caches and `__MACOSX` are
/// left out, as is the README an export wrote.
pub fn import_zip(bytes: &[u8]) -> Result<Project, ImportError> {
    if bytes.len() > MAX_ZIP_BYTES {
        return Err(ImportError::TooLarge { size: bytes.len(), max: MAX_ZIP_BYTES });
    }
    let zip = ZipArchive::parse(bytes, MAX_ZIP_ENTRIES)?;
    // Names first: every one must be a safe path, litter and virtual environments are left out.
    let mut named = Vec::new();
    for entry in zip.entries() {
        let path = entry.name.trim_end_matches('/');
        if entry.name.is_empty() || path.is_empty() {
            return Err(ImportError::UnsafePath { name: entry.name.clone(), reason: "an empty name".to_string() });
        }
        saved::check_path(path).map_err(|reason| ImportError::UnsafePath { name: entry.name.clone(), reason })?;
        if path.split('/').next().is_some_and(|p| p.ends_with(':')) {
            return Err(ImportError::UnsafePath { name: entry.name.clone(), reason: "a drive letter".to_string() });
        }
        named.push((path.to_string(), entry));
    }
    let venvs: Vec<String> = named
        .iter()
        .filter_map(|(path, _)| path.strip_suffix("pyvenv.cfg"))
        .map(|dir| dir.to_string())
        .collect();
    named.retain(|(path, _)| !is_litter(path) && !venvs.iter().any(|v| path.starts_with(v.as_str())));

    // One top folder holding everything is the export's (or the zipped folder's) own.
    let tops: BTreeSet<&str> = named.iter().map(|(p, _)| p.split('/').next().unwrap_or_default()).collect();
    let strip = match tops.iter().next() {
        Some(top) if tops.len() == 1 && named.iter().all(|(p, e)| p.contains('/') || e.is_dir) => Some(format!("{top}/")),
        _ => None,
    };

    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    let mut total = 0usize;
    for (path, entry) in named {
        let path = match &strip {
            Some(top) if path == top.trim_end_matches('/') => continue,
            Some(top) => path.strip_prefix(top.as_str()).unwrap_or(&path).to_string(),
            None => path,
        };
        if entry.is_dir {
            dirs.insert(path);
            continue;
        }
        if files.len() >= MAX_FILES {
            return Err(ImportError::Invalid(format!("the zip file holds more than {MAX_FILES} files")));
        }
        let data = zip.read(entry, MAX_PROJECT_BYTES - total)?;
        total += data.len();
        if path == "README.md" && data.starts_with(README_MARKER.as_bytes()) {
            continue;
        }
        if files.insert(path.clone(), data).is_some() {
            return Err(ImportError::Duplicate(path));
        }
    }
    if files.is_empty() {
        return Err(ImportError::Empty);
    }
    let mut project = Project::new();
    for dir in &dirs {
        project.create_dir_all(dir);
    }
    for (path, data) in files {
        project.write(&path, data);
    }
    saved::check_project(&project).map_err(ImportError::Invalid)?;
    Ok(project)
}

/// Checks that `bytes` are an SQLite database SQLite opens and reads:
/// the header, then its schema and an integrity check.
pub fn check_database(bytes: &[u8]) -> Result<(), ImportError> {
    if bytes.len() > MAX_PROJECT_BYTES {
        return Err(ImportError::TooLarge { size: bytes.len(), max: MAX_PROJECT_BYTES });
    }
    if !bytes.starts_with(b"SQLite format 3\0") {
        return Err(ImportError::NotADatabase("it doesn't start with SQLite's header".to_string()));
    }
    let conn = db::open(bytes).map_err(|e| ImportError::NotADatabase(e.to_string()))?;
    let result: Result<String, _> = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .and_then(|()| conn.query_row("PRAGMA quick_check", [], |r| r.get(0)));
    match result {
        Ok(ok) if ok == "ok" => Ok(()),
        Ok(problem) => Err(ImportError::NotADatabase(format!("SQLite's check says: {problem}"))),
        Err(e) => Err(ImportError::NotADatabase(e.to_string())),
    }
}

/// Adds a lone database file to `project` at its root, under the name it
/// had (its last path part; a browser may give a full path), replacing a
/// file of that name. A database in WAL mode is switched to a rollback
/// journal (its `-wal` file is not there to go with it). The path written.
pub fn import_database(project: &mut Project, file_name: &str, bytes: &[u8]) -> Result<String, ImportError> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    saved::check_path(name).map_err(|reason| ImportError::Invalid(format!("the file name is not one driftlab keeps ({reason})")))?;
    if project.is_dir(name) {
        return Err(ImportError::Invalid(format!("{name:?} is a folder of the project")));
    }
    let mut bytes = bytes.to_vec();
    // Header bytes 18 and 19 are the file format write and read versions: 2 is WAL.
    if bytes.len() > 19 && bytes[18] == 2 && bytes[19] == 2 && bytes.starts_with(b"SQLite format 3\0") {
        bytes[18] = 1;
        bytes[19] = 1;
    }
    check_database(&bytes)?;
    let total: usize = project.files().filter(|(p, _)| *p != name).map(|(_, b)| b.len()).sum::<usize>() + bytes.len();
    if total > MAX_PROJECT_BYTES {
        return Err(ImportError::TooLarge { size: total, max: MAX_PROJECT_BYTES });
    }
    project.write(name, bytes);
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;

    #[test]
    fn an_export_imports_back_to_the_same_project() {
        let mut project = starter::project();
        project.create_dir_all("alembic/versions");
        let zip = export_zip(&project, &ExportOptions::default());
        assert_eq!(import_zip(&zip).unwrap(), project);
    }

    #[test]
    fn litter_is_left_out() {
        for path in ["__MACOSX/._main.py", "a/__pycache__/x.cpython-311.pyc", ".DS_Store", "x/.git/HEAD"] {
            assert!(is_litter(path), "{path}");
        }
        assert!(!is_litter("models.py"));
    }
}
