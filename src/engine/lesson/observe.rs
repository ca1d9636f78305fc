//! What a lesson's checks look at, read from a session's real state — its
//! files, databases, revision scripts, running app and last commands — once
//! per evaluation and only when a check asks. Also the [`Baseline`] a step
//! records when it starts (row counts, how many commands were typed), which
//! checks like `rows in todos kept` and `ran "..."` compare with.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::engine::alembic::env::{self, Config, Database, Versions, VersionsError};
use crate::engine::app::{self, ProjectFacts};
use crate::engine::db;
use crate::engine::environ::PythonEnv;
use crate::engine::insight::drift::{self, Compared, Detection};
use crate::engine::models::{self, ModelsResult};
use crate::engine::output::CommandOutput;
use crate::engine::schema::{self, TableInfo};
use crate::engine::session::Session;

/// The database the app uses when its code doesn't say.
const FALLBACK_DATABASE: &str = "todos.db";

/// What a step saw when it started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// How many lines had been typed (the session's history length).
    pub history_len: usize,
    /// Row counts: database file → table → rows.
    pub rows: BTreeMap<String, BTreeMap<String, i64>>,
}

impl Baseline {
    /// Records the session's state now.
    pub fn record(session: &Session) -> Baseline {
        let mut rows = BTreeMap::new();
        for path in session.project.database_paths() {
            let bytes = session.project.read(&path).unwrap_or_default();
            if let Ok(view) = DatabaseView::read(&path, Some(bytes)) {
                rows.insert(path, view.rows);
            }
        }
        Baseline { history_len: session.history().len(), rows }
    }
}

/// One database file as the checks see it.
#[derive(Debug, Clone, Default)]
pub struct DatabaseView {
    pub path: String,
    /// Whether the file exists (an absent file has no tables).
    pub exists: bool,
    pub tables: Vec<TableInfo>,
    pub rows: BTreeMap<String, i64>,
    /// The rows of `alembic_version`; `None` without that table.
    pub version: Option<Vec<String>>,
}

impl DatabaseView {
    fn read(path: &str, bytes: Option<&[u8]>) -> Result<DatabaseView, String> {
        let Some(bytes) = bytes else {
            return Ok(DatabaseView { path: path.to_string(), ..Default::default() });
        };
        let tables = schema::describe(bytes).map_err(|e| format!("{path} can't be read as a database: {e}"))?;
        let conn = db::open(bytes).map_err(|e| format!("{path} can't be read as a database: {e}"))?;
        let mut rows = BTreeMap::new();
        let mut version = None;
        for table in &tables {
            let quoted = format!("\"{}\"", table.name.replace('"', "\"\""));
            let count: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {quoted}"), [], |r| r.get(0))
                .map_err(|e| format!("{path}: counting rows of {}: {e}", table.name))?;
            rows.insert(table.name.clone(), count);
            if table.name == "alembic_version" {
                let mut stmt = conn.prepare("SELECT version_num FROM alembic_version").map_err(|e| e.to_string())?;
                let heads = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| e.to_string())?;
                version = Some(heads.collect::<Result<Vec<_>, _>>().map_err(|e| e.to_string())?);
            }
        }
        Ok(DatabaseView { path: path.to_string(), exists: true, tables, rows, version })
    }

    pub fn table(&self, name: &str) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The user tables (not `alembic_version`), by name.
    pub fn table_names(&self) -> Vec<&str> {
        self.tables.iter().map(|t| t.name.as_str()).filter(|n| *n != "alembic_version").collect()
    }
}

/// The Alembic set-up: the config and the versions folder as loaded.
pub struct AlembicView {
    pub config: Config,
    pub versions: Result<Versions, String>,
}

/// A session's state, read lazily for one evaluation of checks.
pub struct Observed<'a> {
    pub session: &'a Session,
    pub baseline: &'a Baseline,
    facts: OnceCell<ProjectFacts>,
    databases: RefCell<BTreeMap<String, Rc<Result<DatabaseView, String>>>>,
    alembic: OnceCell<Result<AlembicView, String>>,
    environment: OnceCell<Result<Rc<env::Environment>, String>>,
    models: RefCell<BTreeMap<String, Rc<ModelsResult>>>,
    drift: OnceCell<Result<Compared, String>>,
    alembic_check: OnceCell<CommandOutput>,
}

impl<'a> Observed<'a> {
    pub fn new(session: &'a Session, baseline: &'a Baseline) -> Self {
        Observed {
            session,
            baseline,
            facts: OnceCell::new(),
            databases: RefCell::new(BTreeMap::new()),
            alembic: OnceCell::new(),
            environment: OnceCell::new(),
            models: RefCell::new(BTreeMap::new()),
            drift: OnceCell::new(),
            alembic_check: OnceCell::new(),
        }
    }

    /// What the project's Python code sees in a command typed now.
    fn python(&self) -> PythonEnv {
        PythonEnv::new(&self.session.project, &self.session.environment())
    }

    pub fn facts(&self) -> &ProjectFacts {
        self.facts.get_or_init(|| app::read_project_with(&self.session.project, &self.python()))
    }

    /// The app's database file: the SQLite file its engine URL names
    /// (`database.py`), else `todos.db`.
    pub fn default_database(&self) -> String {
        let url = self.facts().database.as_ref().and_then(|d| d.url.clone());
        match url.map(|u| env::database_for_url(&u, "", self.session.root())) {
            Some(Database::SqliteFile(path)) => path,
            _ => FALLBACK_DATABASE.to_string(),
        }
    }

    /// A database file of the project (`None`: the app's database).
    pub fn database(&self, path: Option<&str>) -> Rc<Result<DatabaseView, String>> {
        let path = match path {
            Some(p) => crate::engine::project::resolve("", p).unwrap_or_else(|| p.to_string()),
            None => self.default_database(),
        };
        if let Some(view) = self.databases.borrow().get(&path) {
            return view.clone();
        }
        let view = Rc::new(DatabaseView::read(&path, self.session.project.read(&path)));
        self.databases.borrow_mut().insert(path, view.clone());
        view
    }

    /// `alembic.ini` and the versions folder, or why they don't load.
    pub fn alembic(&self) -> Result<&AlembicView, &str> {
        self.alembic
            .get_or_init(|| {
                let project = &self.session.project;
                if !project.is_file("alembic.ini") {
                    return Err("there is no alembic.ini yet (`alembic init alembic` writes it)".to_string());
                }
                let config_name = env::config_from_environment(&self.session.environment());
                let config = env::load_config(project, "", self.session.root(), config_name.as_deref()).map_err(|out| {
                    let text = format!("{}{}", out.stdout, out.stderr);
                    format!("Alembic can't load its config: {}", text.trim().trim_start_matches("FAILED: "))
                })?;
                if !project.is_file(&config.env_path()) {
                    return Err(format!("{} is missing", config.env_path()));
                }
                let versions = env::load_versions(project, self.session.root(), &config).map_err(|e| match e {
                    VersionsError::Syntax(d) => format!("a revision script is not valid Python: {d}"),
                    VersionsError::Graph(e) => format!("the revisions don't make a history: {}", e.error.exception_line()),
                });
                Ok(AlembicView { config, versions })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// The versions folder's scripts and graph.
    pub fn versions(&self) -> Result<&Versions, String> {
        self.alembic().map_err(str::to_string)?.versions.as_ref().map_err(Clone::clone)
    }

    /// What env.py sets up, as running it would.
    pub fn environment(&self) -> Result<Rc<env::Environment>, String> {
        self.environment
            .get_or_init(|| {
                let alembic = self.alembic().map_err(str::to_string)?;
                let environment =
                    env::load_environment(&self.session.project, "", self.session.root(), &alembic.config, &self.python());
                if let Some(problem) = environment.diagnostics.first() {
                    return Err(format!("env.py fails to run: {problem}"));
                }
                Ok(Rc::new(environment))
            })
            .clone()
    }

    /// A models module as SQLAlchemy would build it.
    pub fn models(&self, module: &str) -> Rc<ModelsResult> {
        if let Some(models) = self.models.borrow().get(module) {
            return models.clone();
        }
        let models = Rc::new(models::read_models(&self.session.project, module));
        self.models.borrow_mut().insert(module.to_string(), models.clone());
        models
    }

    /// What autogenerate would detect now, as the Drift view shows it
    /// (`insight::drift`): env.py's target metadata against its database
    /// once Alembic is set up; before that, the models against the app's
    /// database. Either the comparison, or why it can't be made.
    pub fn drift(&self) -> Result<&Compared, &str> {
        self.drift.get_or_init(|| self.compute_drift()).as_ref().map_err(String::as_str)
    }

    fn compute_drift(&self) -> Result<Compared, String> {
        match drift::drift_report_for(self.session).detection {
            Detection::Compared(compared) => Ok(compared),
            Detection::PythonErrors(errors) => Err(match errors.first() {
                Some(e) => format!("the models can't be read: {e}"),
                None => "the models can't be read".to_string(),
            }),
            Detection::NoTargetMetadata(why) | Detection::NoModels(why) | Detection::HookFailed(why) => Err(why),
            Detection::NoDatabase(why) if why.is_empty() => Err("the database can't be opened".to_string()),
            Detection::NoDatabase(why) => Err(why),
        }
    }

    /// `alembic check` run on a copy of the session.
    pub fn alembic_check(&self) -> &CommandOutput {
        self.alembic_check.get_or_init(|| self.session.fork().run_line("alembic check"))
    }
}

/// autogenerate's log lines (`Detected added column 'todos.priority'`).
pub fn detected_lines(compared: &Compared) -> Vec<String> {
    compared.detected.iter().map(|d| d.message.clone()).collect()
}
