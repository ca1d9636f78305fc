//! What `alembic/env.py` sets up before a command runs: the config file and
//! the script directory it names, the database the URL points at, the target
//! metadata (the models env.py really imports) and the `context.configure()`
//! options — read from the project's files as Alembic would find them.

use crate::engine::app::{self, AlembicIni, ConfigureOptions};
use crate::engine::metadata::MetaData;
use crate::engine::migrate::compare::CompareOptions;
use crate::engine::models::{self, value::Value, Diagnostic};
use crate::engine::project::{self, Project};

use super::init::command_error;
use crate::engine::output::CommandOutput;

/// The config file and the script directory it names (`ScriptDirectory.from_config`).
pub struct Config {
    /// Project-relative path of the config file.
    pub ini_path: String,
    pub ini: AlembicIni,
    /// Project-relative path of `script_location`.
    pub script_dir: String,
    pub file_template: String,
    pub truncate_slug_length: usize,
}

impl Config {
    pub fn versions_dir(&self) -> String {
        join(&self.script_dir, "versions")
    }

    pub fn env_path(&self) -> String {
        join(&self.script_dir, "env.py")
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Reads the config file (`-c`, default `alembic.ini` in the current
/// directory) and checks its script directory exists, with Alembic's errors.
pub fn load_config(project: &Project, cwd: &str, root: &str, config: Option<&str>) -> Result<Config, CommandOutput> {
    let name = config.unwrap_or("alembic.ini");
    let ini_path = project::resolve(cwd, name).unwrap_or_else(|| name.to_string());
    let text = project.read_text(&ini_path).unwrap_or_default();
    let (ini, _) = app::read_alembic_ini(&ini_path, &text);
    let Some(location) = ini.script_location.clone() else {
        return Err(command_error("No 'script_location' key found in configuration."));
    };
    // `%(here)s` is the config file's folder, as an absolute path.
    let here_dir = ini_path.rsplit_once('/').map_or("", |(d, _)| d);
    let here_abs = if here_dir.is_empty() { root.to_string() } else { format!("{root}/{here_dir}") };
    let location = location.replace("%(here)s", &here_abs);
    let script_dir = if let Some(rest) = location.strip_prefix(&format!("{root}/")) {
        project::resolve("", rest)
    } else if location == root {
        Some(String::new())
    } else if location.starts_with('/') {
        None
    } else {
        project::resolve(cwd, &location)
    };
    let absolute = if location.starts_with('/') { location.clone() } else { format!("{root}/{}", join(cwd, &location)) };
    let script_dir = match script_dir {
        Some(dir) if project.is_dir(&dir) => dir,
        _ => {
            return Err(command_error(&format!(
                "Path doesn't exist: {absolute}.  Please use the 'init' command to create a new scripts folder."
            )))
        }
    };
    let file_template = ini.effective_file_template().to_string();
    let truncate_slug_length = ini
        .other
        .iter()
        .find(|(k, _)| k == "truncate_slug_length")
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(40);
    Ok(Config { ini_path, ini, script_dir, file_template, truncate_slug_length })
}

/// The database a URL names, as far as the playground can open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// `sqlite:///path`: a file of the project (project-relative path).
    SqliteFile(String),
    /// `sqlite://` or `sqlite:///:memory:`: a fresh in-memory database.
    SqliteMemory,
    /// Another database (PostgreSQL, SQL Server, ...): only `--sql` works.
    Other { dialect: String, url: String },
    /// A URL SQLAlchemy can't load a dialect for (the template's placeholder).
    NoDialect { name: String },
    /// A SQLite file outside the project folder.
    Outside(String),
}

/// Reads a SQLAlchemy URL relative to the directory Alembic runs in.
pub fn database_for_url(url: &str, cwd: &str, root: &str) -> Database {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Database::NoDialect { name: url.to_string() };
    };
    let dialect = scheme.split('+').next().unwrap_or(scheme);
    match dialect {
        "sqlite" => {
            let path = rest.strip_prefix('/').unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() || path == ":memory:" {
                return Database::SqliteMemory;
            }
            if let Some(absolute) = path.strip_prefix('/') {
                let absolute = format!("/{absolute}");
                return match absolute.strip_prefix(&format!("{root}/")).and_then(|p| project::resolve("", p)) {
                    Some(p) => Database::SqliteFile(p),
                    None => Database::Outside(absolute),
                };
            }
            match project::resolve(cwd, path) {
                Some(p) => Database::SqliteFile(p),
                None => Database::Outside(path.to_string()),
            }
        }
        "postgresql" | "postgres" | "mssql" | "mysql" | "mariadb" | "oracle" => {
            Database::Other { dialect: if dialect == "postgres" { "postgresql".into() } else { dialect.to_string() }, url: url.to_string() }
        }
        other => Database::NoDialect { name: other.to_string() },
    }
}

/// What env.py gives a command that runs it.
pub struct Environment {
    pub url: Option<String>,
    pub database: Database,
    /// The metadata env.py passes as `target_metadata`; `None` when it passes
    /// `None` (or something driftlab can't read).
    pub target_metadata: Option<MetaData>,
    pub compare: CompareOptions,
    /// Python errors in env.py and what it imports: running env.py would
    /// raise them, so the command fails.
    pub diagnostics: Vec<Diagnostic>,
    /// Advice about env.py (models not imported, unsupported options): what a
    /// learner should know, though Alembic itself runs on.
    pub advice: Vec<Diagnostic>,
}

/// Reads env.py as running it would: the models it imports (and only those)
/// make up the target metadata.
pub fn load_environment(project: &Project, cwd: &str, root: &str, config: &Config) -> Environment {
    let facts = app::read_project(project);
    let env_info = facts.env.as_ref();
    let options: ConfigureOptions = env_info.map(|e| e.configure.clone()).unwrap_or_default();
    let compare = CompareOptions {
        compare_type: options.compare_type.unwrap_or(true),
        compare_server_default: options.compare_server_default.unwrap_or(false),
        render_as_batch: options.render_as_batch.unwrap_or(false),
    };
    let url = env_info
        .and_then(|e| e.url_override.as_ref())
        .and_then(|o| o.url.clone())
        .or_else(|| config.ini.sqlalchemy_url.clone());
    let database = match &url {
        Some(url) => database_for_url(url, cwd, root),
        None => Database::NoDialect { name: String::new() },
    };
    // Evaluate env.py's module level: what it imports is what is mapped.
    let mut reader = models::Reader::new(project);
    let scope = reader.load_module(&config.env_path()).unwrap_or_default();
    let target_metadata = match scope.get("target_metadata") {
        Some(Value::MetaData { base: Some(i), .. }) => Some(reader.metadata(*i)),
        Some(Value::Base(i)) => Some(reader.metadata(*i)),
        _ => None,
    };
    let diagnostics = reader.into_diagnostics();
    let advice = facts.diagnostics.into_iter().filter(|d| d.file == config.env_path()).collect();
    Environment { url, database, target_metadata, compare, diagnostics, advice }
}
