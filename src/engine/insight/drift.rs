//! The Drift view's engine: what `alembic revision --autogenerate` would
//! detect now between the models and the database, in Alembic's words; the
//! third side — revisions in `versions/` not applied to the database, its
//! current revision(s) and the heads; and the traps ahead (an empty first
//! migration, a database that was never stamped). When it can't tell, it
//! says why. Reads the project; never changes it.

use rusqlite::Connection;

use crate::engine::alembic::env::{self, CompareError, Database, Versions, VersionsError};
use crate::engine::alembic::graph::CommandError;
use crate::engine::alembic::version_table;
use crate::engine::app;
use crate::engine::environ::{Environ, PythonEnv};
use crate::engine::migrate::compare::{self, Autogen, CompareOptions, HookFailure, VERSION_TABLE};
use crate::engine::migrate::ops::Op;
use crate::engine::models::{self, Diagnostic};
use crate::engine::project::Project;
use crate::engine::reflect;
use crate::engine::session::Session;

/// Everything the Drift view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftReport {
    pub alembic: AlembicSetup,
    pub database: DatabaseSide,
    /// Models against the database.
    pub detection: Detection,
    /// Why `alembic revision --autogenerate` would stop before writing a
    /// migration even though the comparison ran (Alembic's `FAILED` text,
    /// e.g. `Target database is not up to date.`).
    pub refusal: Option<String>,
    /// The versions folder against the database; `None` without Alembic.
    pub migrations: Option<Migrations>,
    /// The mistake the current state leads to, if any.
    pub trap: Option<Trap>,
}

/// Whether Alembic is set up, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlembicSetup {
    /// No usable `alembic.ini` + script folder: the models are compared with
    /// the database the app uses. The text says what is missing.
    NotSetUp(String),
    SetUp {
        /// Project-relative `env.py` and versions folder.
        env_path: String,
        versions_dir: String,
    },
}

/// The database side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DatabaseSide {
    /// The URL compared against (env.py's, alembic.ini's or the app's).
    pub url: Option<String>,
    /// The SQLite file, project-relative, when the URL names one.
    pub path: Option<String>,
    /// Whether that file exists yet (connecting would create it empty).
    pub exists: bool,
    /// Its tables (not `alembic_version`), by name.
    pub tables: Vec<String>,
    /// Whether it has an `alembic_version` table.
    pub under_alembic: bool,
    /// The revisions `alembic_version` holds.
    pub current: Vec<String>,
}

/// What comparing the models with the database gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Detection {
    /// The comparison ran.
    Compared(Compared),
    /// The models (or env.py, or what they import) raise when imported:
    /// nothing can be compared until they are fixed.
    PythonErrors(Vec<Diagnostic>),
    /// env.py's `target_metadata` is `None`: autogenerate sees no models
    /// (Alembic's `FAILED` message).
    NoTargetMetadata(String),
    /// No models module was found.
    NoModels(String),
    /// The database can't be opened or reflected.
    NoDatabase(String),
    /// env.py's `include_object` / `include_name` raised (the traceback's
    /// last lines) or can't run here: autogenerate stops there.
    HookFailed(String),
}

/// The outcome of the comparison.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compared {
    /// No upgrade operations: `alembic check` would say "No new upgrade operations detected."
    pub in_sync: bool,
    /// Alembic's log lines, in its order (`Detected added column 'todos.priority'`).
    pub detected: Vec<Detected>,
    /// The Python warnings autogenerate prints (placeholders `<PROJECT>`, `<VENV>` in paths).
    pub warnings: Vec<String>,
}

/// One `INFO  [logger] message` line autogenerate logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// `alembic.autogenerate.compare.tables`, ...
    pub logger: String,
    /// `Detected added column 'todos.priority'`.
    pub message: String,
}

impl Detected {
    fn parse(line: &str) -> Detected {
        let parsed = line
            .strip_prefix("INFO  [")
            .and_then(|rest| rest.split_once("] "))
            .map(|(logger, message)| Detected { logger: logger.to_string(), message: message.to_string() });
        parsed.unwrap_or_else(|| Detected { logger: String::new(), message: line.to_string() })
    }

    /// The line as Alembic logs it on stderr.
    pub fn line(&self) -> String {
        format!("INFO  [{}] {}", self.logger, self.message)
    }
}

/// The versions folder against the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Migrations {
    /// How many revisions `versions/` holds.
    pub revisions: usize,
    pub heads: Vec<String>,
    /// What `alembic upgrade heads` would run, in upgrade order.
    pub pending: Vec<Pending>,
    /// The database's current revisions are the heads (no revisions and no
    /// version row counts as at head, as Alembic sees it).
    pub at_head: bool,
    /// Why the revisions can't be read or the database's revision placed.
    pub error: Option<String>,
}

/// A revision not applied to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub id: String,
    pub message: String,
    /// Project-relative path of its file.
    pub path: String,
}

/// A mistake the current state leads to, before it happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    /// No revision yet, and the database already has these tables (made by
    /// `create_all`): the first autogenerated migration would leave them out —
    /// empty when nothing else changed — so a fresh database upgraded to head
    /// would not have them.
    EmptyFirstMigration { existing: Vec<String>, in_sync: bool },
    /// A pending revision creates a table the database already has:
    /// `alembic upgrade` would fail with `table ... already exists`.
    /// `stamped`: whether the database has a version row at all.
    AlreadyCreated { revision: String, table: String, stamped: bool },
}

impl DriftReport {
    /// No revision yet while the database has tables: the first migration's trap.
    fn empty_first_migration(&self) -> Option<Trap> {
        let Detection::Compared(compared) = &self.detection else { return None };
        if self.database.tables.is_empty() {
            return None;
        }
        let no_revisions = match &self.migrations {
            None => true,
            Some(m) => m.error.is_none() && m.revisions == 0,
        };
        if no_revisions {
            return Some(Trap::EmptyFirstMigration { existing: self.database.tables.clone(), in_sync: compared.in_sync });
        }
        None
    }

    /// A stable text of the report (tests, debugging).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        match &self.alembic {
            AlembicSetup::NotSetUp(why) => out.push_str(&format!("alembic: not set up ({why})\n")),
            AlembicSetup::SetUp { env_path, versions_dir } => {
                out.push_str(&format!("alembic: {env_path}, {versions_dir}\n"))
            }
        }
        let db = &self.database;
        out.push_str(&format!(
            "database: {} ({}){}\n",
            db.path.as_deref().or(db.url.as_deref()).unwrap_or("?"),
            if db.exists { "exists" } else { "missing" },
            if db.under_alembic { format!(", current [{}]", db.current.join(", ")) } else { ", not under Alembic".into() },
        ));
        out.push_str(&format!("tables: [{}]\n", db.tables.join(", ")));
        match &self.detection {
            Detection::Compared(c) if c.in_sync && c.detected.is_empty() => out.push_str("detected: in sync\n"),
            Detection::Compared(c) => {
                out.push_str(if c.in_sync { "detected: in sync\n" } else { "detected:\n" });
                for d in &c.detected {
                    out.push_str(&format!("  {}\n", d.message));
                }
                for w in &c.warnings {
                    out.push_str(&format!("  warning: {}\n", w.lines().next().unwrap_or_default()));
                }
            }
            Detection::PythonErrors(errors) => {
                out.push_str("detected: python errors\n");
                for e in errors {
                    out.push_str(&format!("  {}:{}:{}: {}\n", e.file, e.line, e.col, e.message));
                }
            }
            Detection::NoTargetMetadata(m) => out.push_str(&format!("detected: no target metadata: {m}\n")),
            Detection::NoModels(m) => out.push_str(&format!("detected: no models: {m}\n")),
            Detection::NoDatabase(m) => out.push_str(&format!("detected: no database: {m}\n")),
            Detection::HookFailed(m) => out.push_str(&format!("detected: env.py's filter failed: {}\n", m.lines().last().unwrap_or(""))),
        }
        if let Some(refusal) = &self.refusal {
            out.push_str(&format!("refusal: {refusal}\n"));
        }
        if let Some(m) = &self.migrations {
            out.push_str(&format!(
                "migrations: {} revision(s), heads [{}], {}\n",
                m.revisions,
                m.heads.join(", "),
                if m.at_head { "at head" } else { "not at head" }
            ));
            for p in &m.pending {
                out.push_str(&format!("  pending {} {:?} {}\n", p.id, p.message, p.path));
            }
            if let Some(e) = &m.error {
                out.push_str(&format!("  error: {e}\n"));
            }
        }
        match &self.trap {
            Some(Trap::EmptyFirstMigration { existing, in_sync }) => {
                out.push_str(&format!("trap: empty first migration [{}]{}\n", existing.join(", "), if *in_sync { "" } else { " (partial)" }))
            }
            Some(Trap::AlreadyCreated { revision, table, stamped }) => out.push_str(&format!(
                "trap: {revision} creates {table}, which exists{}\n",
                if *stamped { "" } else { " (not stamped)" }
            )),
            None => {}
        }
        out
    }
}

/// The report for a session's project, from the project's root folder,
/// with the environment a command typed there would get.
pub fn drift_report_for(session: &Session) -> DriftReport {
    drift_report(&session.project, session.root(), &session.environment())
}

/// What autogenerate would detect now, and the rest of the Drift view, as
/// Alembic sees the project from its root folder (`root`: its absolute
/// path, for the paths in messages), with the environment `environ`
/// (`ALEMBIC_CONFIG`, and the variables env.py and the app read).
pub fn drift_report(project: &Project, root: &str, environ: &Environ) -> DriftReport {
    let python = PythonEnv::new(project, environ);
    match env::load_config(project, "", root, env::config_from_environment(environ).as_deref()) {
        Ok(config) => with_alembic(project, root, &config, &python),
        Err(_) if !project.is_file("alembic.ini") => {
            without_alembic(project, root, "no alembic.ini: run `alembic init alembic`".to_string(), &python)
        }
        Err(failed) => {
            let why = failed.stdout.trim().trim_start_matches("FAILED: ").to_string();
            without_alembic(project, root, why, &python)
        }
    }
}

/// Alembic's view: env.py's target metadata and URL, the versions folder.
fn with_alembic(project: &Project, root: &str, config: &env::Config, python: &PythonEnv) -> DriftReport {
    let environment = env::load_environment(project, "", root, config, python);
    let mut report = DriftReport {
        alembic: AlembicSetup::SetUp { env_path: config.env_path(), versions_dir: config.versions_dir() },
        database: database_side(project, environment.url.clone(), &environment.database),
        detection: Detection::NoDatabase(String::new()),
        refusal: None,
        migrations: None,
        trap: None,
    };
    let versions = env::load_versions(project, root, config).map_err(|e| match e {
        VersionsError::Syntax(d) => format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message),
        VersionsError::Graph(e) => CommandError::from(e).to_string(),
    });
    let conn = env::connect(project, &environment.database);
    if let Ok(conn) = &conn {
        read_database(conn, &mut report.database);
    }
    report.migrations = Some(migrations(versions.as_ref(), &report.database));
    report.refusal = match (&versions, &report.migrations) {
        (Err(e), _) => Some(e.clone()),
        (Ok(v), Some(_)) => env::autogenerate_precondition(&report.database.current, &v.map).err().map(|e| e.to_string()),
        _ => None,
    };
    report.detection = if !environment.diagnostics.is_empty() {
        Detection::PythonErrors(environment.diagnostics.clone())
    } else {
        match &conn {
            Err(e) => Detection::NoDatabase(e.message().to_string()),
            Ok(conn) => match env::compare_target(&environment, conn) {
                Ok((_, autogen)) => match &autogen.failure {
                    Some(HookFailure::Exception(text)) => Detection::HookFailed(text.clone()),
                    Some(HookFailure::Unsupported(text)) => Detection::HookFailed(text.clone()),
                    None => Detection::Compared(compared(&autogen)),
                },
                Err(CompareError::NoMetadata) => Detection::NoTargetMetadata(env::no_metadata_message(root, config)),
                Err(CompareError::Reflect(e)) => Detection::NoDatabase(e),
            },
        }
    };
    report.trap = match (&versions, &report.migrations) {
        (Ok(versions), Some(m)) => already_created(versions, m, &report.database),
        _ => None,
    }
    .or_else(|| report.empty_first_migration());
    report
}

/// Before Alembic: the models module against the database the app's
/// engine uses, compared as autogenerate would with its default options.
fn without_alembic(project: &Project, root: &str, why: String, python: &PythonEnv) -> DriftReport {
    let facts = app::read_project_with(project, python);
    let url = facts.database.as_ref().and_then(|d| d.url.clone());
    let database = url.as_deref().map(|u| env::database_for_url(u, "", root));
    let mut report = DriftReport {
        alembic: AlembicSetup::NotSetUp(why),
        database: DatabaseSide { url: url.clone(), ..DatabaseSide::default() },
        detection: Detection::NoDatabase(String::new()),
        refusal: None,
        migrations: None,
        trap: None,
    };
    let module = if project.is_file("models.py") {
        "models.py".to_string()
    } else if let Some(app) = &facts.app {
        app.path.clone()
    } else {
        report.detection = Detection::NoModels("no models.py (and no FastAPI app importing models) in the project".into());
        return report;
    };
    let Some(database) = database else {
        report.detection = Detection::NoDatabase(match &facts.database {
            Some(d) => format!("{}: the engine's database URL isn't known", d.path),
            None => "no module creates the SQLAlchemy engine (create_engine)".into(),
        });
        return report;
    };
    report.database = database_side(project, url, &database);
    let models = models::read_models(project, &module);
    let conn = env::connect(project, &database);
    if let Ok(conn) = &conn {
        read_database(conn, &mut report.database);
    }
    report.detection = if !models.diagnostics.is_empty() {
        Detection::PythonErrors(models.diagnostics)
    } else {
        match conn {
            Err(e) => Detection::NoDatabase(e.message().to_string()),
            Ok(conn) => match reflect::reflect(&conn) {
                Ok(reflected) => Detection::Compared(compared(&compare::compare(&models.metadata, &reflected, &CompareOptions::default()))),
                Err(e) => Detection::NoDatabase(format!("sqlite3.OperationalError: {e}")),
            },
        }
    };
    report.trap = report.empty_first_migration();
    report
}

fn database_side(project: &Project, url: Option<String>, database: &Database) -> DatabaseSide {
    let path = match database {
        Database::SqliteFile(path) => Some(path.clone()),
        _ => None,
    };
    let exists = path.as_deref().is_some_and(|p| project.is_file(p));
    DatabaseSide { url, path, exists, ..DatabaseSide::default() }
}

/// The database's tables and version rows.
fn read_database(conn: &Connection, side: &mut DatabaseSide) {
    side.tables = reflect::table_names(conn).unwrap_or_default().into_iter().filter(|t| t != VERSION_TABLE).collect();
    side.under_alembic = version_table::has_table(conn).unwrap_or(false);
    side.current = env::current_heads(conn).unwrap_or_default();
}

fn compared(autogen: &Autogen) -> Compared {
    Compared {
        in_sync: autogen.is_empty(),
        detected: autogen.log.iter().map(|l| Detected::parse(l)).collect(),
        warnings: autogen.warnings.clone(),
    }
}

/// The versions folder against the database's current revisions.
fn migrations(versions: Result<&Versions, &String>, database: &DatabaseSide) -> Migrations {
    let versions = match versions {
        Ok(v) => v,
        Err(e) => return Migrations { error: Some(e.clone()), ..Migrations::default() },
    };
    let mut m = Migrations {
        revisions: versions.scripts.len(),
        heads: versions.map.heads().to_vec(),
        at_head: env::database_up_to_date(&database.current, &versions.map),
        ..Migrations::default()
    };
    match versions.map.upgrade_steps(&database.current, "heads") {
        Ok(plan) => {
            m.pending = plan
                .steps
                .iter()
                .filter_map(|step| step.revision())
                .filter_map(|id| versions.script(id))
                .map(|s| Pending {
                    id: s.revision.clone().unwrap_or_default(),
                    message: s.message.clone(),
                    path: s.path.clone(),
                })
                .collect();
        }
        Err(e) => m.error = Some(e.error.to_string()),
    }
    m
}

/// A pending revision whose upgrade creates a table the database already
/// has: `alembic upgrade` would stop there.
fn already_created(versions: &Versions, m: &Migrations, database: &DatabaseSide) -> Option<Trap> {
    for pending in &m.pending {
        let Some(script) = versions.script(&pending.id) else { continue };
        for op in &script.upgrade {
            if let Op::CreateTable(table) = op {
                if database.tables.contains(&table.name) {
                    return Some(Trap::AlreadyCreated {
                        revision: pending.id.clone(),
                        table: table.name.clone(),
                        stamped: !database.current.is_empty(),
                    });
                }
            }
        }
    }
    None
}
