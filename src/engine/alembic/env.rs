//! What `alembic/env.py` sets up before a command runs: the config file and
//! the script directory it names, the database the URL points at, the target
//! metadata (the models env.py really imports) and the `context.configure()`
//! options — read from the project's files as Alembic would find them.

use rusqlite::Connection;

use crate::engine::app::{self, AlembicIni, ConfigureOptions};
use crate::engine::db;
use crate::engine::environ::{Environ, PythonEnv};
use crate::engine::metadata::MetaData;
use crate::engine::migrate::apply::{self, ApplyError};
use crate::engine::migrate::compare::{self, Autogen, CompareOptions};
use crate::engine::migrate::script::{self, Script};
use crate::engine::models::{self, value::Value, Diagnostic};
use crate::engine::project::{self, Project};
use crate::engine::reflect;

use super::hooks::{EnvHooks, IniContext, TargetBinding};
use super::graph::{CommandError, Direction, LoadError, RevSpec, Revision, RevisionMap, Step};
use super::init::command_error;
use super::version_table;
use crate::engine::output::CommandOutput;

/// The config file and the script directory it names (`ScriptDirectory.from_config`).
pub struct Config {
    /// Project-relative path of the config file.
    pub ini_path: String,
    /// The config file as the command line named it (`config.config_file_name`).
    pub file_name: String,
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

/// The config file Alembic reads when `-c` names none: the
/// `ALEMBIC_CONFIG` environment variable (unless empty, or naming a
/// `pyproject.toml`), else `alembic.ini` (`None`), as `CommandLine` decides.
pub fn config_from_environment(environ: &Environ) -> Option<String> {
    let named = environ.get("ALEMBIC_CONFIG").filter(|name| !name.is_empty())?;
    let basename = named.rsplit('/').next().unwrap_or(named);
    (basename != "pyproject.toml").then(|| named.to_string())
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
    Ok(Config { ini_path, ini, script_dir, file_template, truncate_slug_length, file_name: name.to_string() })
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
    /// What offline mode (`--sql`) names its dialect from: the offline
    /// `context.configure(url=...)`'s database, else [`Environment::database`].
    pub offline_database: Database,
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
    /// The `include_object` / `include_name` filters env.py configures.
    pub hooks: Option<EnvHooks>,
}

/// Reads env.py as running it would in a process with `python`'s
/// environment and `-x` arguments: the models it imports (and only those)
/// make up the target metadata; the URL it sets may come from `os.environ`
/// or `context.get_x_argument()`.
pub fn load_environment(project: &Project, cwd: &str, root: &str, config: &Config, python: &PythonEnv) -> Environment {
    let facts = app::read_project_with(project, python);
    let env_info = facts.env.as_ref();
    let options: ConfigureOptions = env_info.map(|e| e.configure.clone()).unwrap_or_default();
    let compare = CompareOptions {
        compare_type: options.compare_type.unwrap_or(true),
        compare_server_default: options.compare_server_default.unwrap_or(false),
        render_as_batch: options.render_as_batch.unwrap_or(false),
    };
    // An override that comes to nothing (a variable not set, or set empty:
    // `if url: config.set_main_option(...)` skips it) leaves the config's URL.
    let url = env_info
        .and_then(|e| e.url_override.as_ref())
        .and_then(|o| o.url.clone())
        .filter(|url| !url.is_empty())
        .or_else(|| config.ini.sqlalchemy_url.clone());
    let database = match &url {
        Some(url) => database_for_url(url, cwd, root),
        None => Database::NoDialect { name: String::new() },
    };
    let offline_url = env_info.and_then(|e| e.offline_url.as_ref()).and_then(|o| o.url.clone()).filter(|url| !url.is_empty());
    let offline_database = match &offline_url {
        Some(url) => database_for_url(url, cwd, root),
        None => database.clone(),
    };
    // Evaluate env.py's module level: what it imports is what is mapped.
    let mut reader = models::Reader::with_python(project, python.clone());
    let scope = reader.load_module(&config.env_path()).unwrap_or_default();
    let target_base = match scope.get("target_metadata") {
        Some(Value::MetaData { base: Some(i), .. }) | Some(Value::Base(i)) => Some(*i),
        _ => None,
    };
    let target_metadata = target_base.map(|i| reader.metadata(i));
    let mut diagnostics = reader.into_diagnostics();
    // What env.py raises getting its URL (`os.environ[...]`, the `-x`
    // dictionary's `[...]`) when the process lacks it, also inside its functions.
    let raised = facts.diagnostics.iter().filter(|d| d.file == config.env_path() && d.message.starts_with("KeyError: "));
    for d in raised.cloned().collect::<Vec<_>>() {
        if !diagnostics.iter().any(|e| (e.line, e.col, &e.message) == (d.line, d.col, &d.message)) {
            diagnostics.push(d);
        }
    }
    let advice = facts.diagnostics.into_iter().filter(|d| d.file == config.env_path()).collect();
    // The names env.py's hooks may use to reach the target metadata.
    let target_names: Vec<(String, TargetBinding)> = scope
        .iter()
        .filter_map(|(name, value)| match value {
            Value::MetaData { base: Some(i), .. } if Some(*i) == target_base => Some((name.clone(), TargetBinding::MetaData)),
            Value::Base(i) if Some(*i) == target_base => Some((name.clone(), TargetBinding::Base)),
            _ => None,
        })
        .collect();
    let env_path = config.env_path();
    let hooks = project.read_text(&env_path).map(|source| {
        let here = match config.ini_path.rsplit_once('/') {
            Some((dir, _)) => format!("{root}/{dir}"),
            None => root.to_string(),
        };
        let ini = IniContext { ini: config.ini.clone(), here, file_name: config.file_name.clone() };
        EnvHooks::read(&env_path, &format!("{root}/{env_path}"), &source, target_metadata.as_ref(), &target_names, Some(ini))
    });
    Environment { url, database, offline_database, target_metadata, compare, diagnostics, advice, hooks }
}

/// The scripts of the versions folder and the revision map they make
/// (Alembic's `ScriptDirectory`).
pub struct Versions {
    /// Every script that names a revision, in file-name order.
    pub scripts: Vec<Script>,
    pub map: RevisionMap,
}

impl Versions {
    pub fn script(&self, id: &str) -> Option<&Script> {
        self.scripts.iter().find(|s| s.revision.as_deref() == Some(id))
    }
}

/// Why the versions folder doesn't load.
pub enum VersionsError {
    /// A script is not valid Python: importing it raises this.
    Syntax(Diagnostic),
    /// The revisions don't make a map (a missing down revision, a cycle, ...).
    Graph(LoadError),
}

/// Reads every `*.py` directly in the versions folder, as Alembic imports
/// them, and builds the revision map. Revision paths are absolute (under `root`).
pub fn load_versions(project: &Project, root: &str, config: &Config) -> Result<Versions, VersionsError> {
    let versions = config.versions_dir();
    let prefix = format!("{versions}/");
    let mut paths: Vec<&str> = project
        .files()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with(&prefix) && p.ends_with(".py") && !p[prefix.len()..].contains('/'))
        .collect();
    paths.sort_unstable();
    let mut scripts = Vec::new();
    let mut revisions = Vec::new();
    for path in paths {
        let text = project.read_text(path).unwrap_or_default();
        let script = script::read_script(path, &text);
        if let Some(syntax) = script.diagnostics.iter().find(|d| d.message.starts_with("SyntaxError")) {
            return Err(VersionsError::Syntax(syntax.clone()));
        }
        let Some(id) = script.revision.clone() else { continue };
        revisions.push(Revision {
            id,
            down_revisions: script.down_revision.clone(),
            branch_labels: script.branch_labels.clone(),
            depends_on: script.depends_on.clone(),
            message: script.message.clone(),
            path: format!("{root}/{path}"),
        });
        scripts.push(script);
    }
    let map = RevisionMap::new(revisions).map_err(VersionsError::Graph)?;
    Ok(Versions { scripts, map })
}

/// Why a database can't be connected to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectError {
    /// A Python exception (its last line or lines).
    Exception(String),
    /// Alembic's `FAILED: ...` (driftlab's limits: another dialect, a file outside the project).
    Failed(String),
}

impl ConnectError {
    pub fn message(&self) -> &str {
        match self {
            ConnectError::Exception(m) | ConnectError::Failed(m) => m,
        }
    }
}

/// Opens the database a URL names from the project's bytes (a missing file
/// opens empty, as connecting would create it). Never changes the project:
/// the caller stores the file if it should exist afterwards.
pub fn connect(project: &Project, database: &Database) -> Result<Connection, ConnectError> {
    match database {
        Database::SqliteFile(path) => {
            let bytes = project.read(path);
            let parent = path.rsplit_once('/').map_or("", |(d, _)| d);
            if bytes.is_none() && !project.is_dir(parent) {
                return Err(ConnectError::Exception(
                    "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) unable to open database file\n(Background on this error at: https://sqlalche.me/e/20/e3q8)".into(),
                ));
            }
            db::open(bytes.unwrap_or_default()).map_err(|e| ConnectError::Exception(format!("sqlite3.DatabaseError: {e}")))
        }
        Database::SqliteMemory => db::open(&[]).map_err(|e| ConnectError::Exception(e.to_string())),
        Database::NoDialect { name } => {
            Err(ConnectError::Exception(format!("sqlalchemy.exc.NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:{name}")))
        }
        Database::Other { dialect, .. } => Err(ConnectError::Failed(super::commands::sqlite_only_message(dialect))),
        Database::Outside(path) => Err(ConnectError::Failed(format!("driftlab: the database {path} is outside the project folder"))),
    }
}

/// Autogenerate's precondition (`alembic revision --autogenerate`, `alembic
/// check`): the database's current heads are the scripts' heads. The message
/// when they are not.
pub const NOT_UP_TO_DATE: &str = "Target database is not up to date.";

/// Autogenerate's precondition as `RevisionContext` checks it:
/// `set(get_revisions(current)) != set(get_revisions("heads"))`. The
/// database's revisions are resolved first, so an id no script has fails
/// with `Can't locate revision identified by '...'`; then they must be the
/// heads, or it fails with [`NOT_UP_TO_DATE`].
pub fn autogenerate_precondition(database_heads: &[String], map: &RevisionMap) -> Result<(), CommandError> {
    map.resolve(&RevSpec::from(database_heads)).map_err(CommandError::caught)?;
    if database_up_to_date(database_heads, map) {
        Ok(())
    } else {
        Err(CommandError::Failed(NOT_UP_TO_DATE.into()))
    }
}

/// Whether the database stands at the scripts' heads (order aside).
pub fn database_up_to_date(database_heads: &[String], map: &RevisionMap) -> bool {
    let mut at = database_heads.to_vec();
    at.sort();
    let mut heads = map.heads().to_vec();
    heads.sort();
    at == heads
}

/// Why autogenerate can't compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    /// env.py's `target_metadata` is `None` (or not a MetaData).
    NoMetadata,
    /// Reflecting the database failed (`sqlite3.OperationalError: ...`).
    Reflect(String),
}

/// The `FAILED` message when env.py gives autogenerate no metadata.
pub fn no_metadata_message(root: &str, config: &Config) -> String {
    format!(
        "Can't proceed with --autogenerate option; environment script {root}/{} does not provide a MetaData object or sequence of objects to the context.",
        config.env_path()
    )
}

/// Autogenerate's comparison: env.py's target metadata against the database
/// as reflected. Returns the reflected database and what was found.
pub fn compare_target(environment: &Environment, conn: &Connection) -> Result<(MetaData, Autogen), CompareError> {
    let Some(models) = &environment.target_metadata else {
        return Err(CompareError::NoMetadata);
    };
    let database = reflect::reflect(conn).map_err(|e| CompareError::Reflect(format!("sqlite3.OperationalError: {e}")))?;
    let filters = environment.hooks.as_ref().map(|h| h as &dyn compare::Filters);
    let autogen = compare::compare_filtered(models, &database, &environment.compare, filters);
    Ok((database, autogen))
}

/// The database's current heads (none without a version table).
pub fn current_heads(conn: &Connection) -> Result<Vec<String>, String> {
    version_table::current_heads(conn).map_err(|e| format!("sqlite3.OperationalError: {e}"))
}

/// Why a migration step stopped.
pub enum StepError {
    /// Alembic's `FAILED: ...`: an unknown revision, or a script the playground can't apply.
    Failed(String),
    /// Running the script's ops failed (printed as Python prints it).
    Apply(ApplyError),
    /// Updating `alembic_version` failed: the exception line.
    VersionTable(String),
}

/// Runs one step of an upgrade or downgrade plan (`context.run_migrations()`):
/// the revision's ops, then the version table's row. Also returns the Python
/// warnings printed while the ops ran.
pub fn run_step(
    conn: &Connection,
    versions: &Versions,
    table: &mut version_table::VersionTable<'_>,
    step: &Step,
) -> (Result<(), StepError>, Vec<String>) {
    let mut warnings = Vec::new();
    if let Some(id) = step.revision() {
        let Some(script) = versions.script(id) else {
            return (Err(StepError::Failed(format!("Can't locate revision identified by '{id}'"))), warnings);
        };
        if let Some(problem) = script.diagnostics.first() {
            return (Err(StepError::Failed(format!("{problem}\nnothing of {} was applied", script.path))), warnings);
        }
        let ops = if step.direction == Direction::Up { &script.upgrade } else { &script.downgrade };
        let (result, printed) = apply::apply_ops_with_warnings(conn, ops);
        warnings = printed;
        if let Err(error) = result {
            return (Err(StepError::Apply(error)), warnings);
        }
    }
    let result = table.apply_step(&versions.map, step).map(|_| ()).map_err(|e| StepError::VersionTable(e.to_string()));
    (result, warnings)
}
