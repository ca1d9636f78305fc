//! Reads, without running Python, what a FastAPI + SQLAlchemy + Alembic
//! project's other files say: the database module (engine URL, base,
//! `init_db()`, `seed_db()`), the application module (startup steps,
//! routes), `alembic/env.py` (target metadata and whether the models are
//! really imported, URL override, `context.configure()` options) and
//! `alembic.ini`. Every problem is a [`Diagnostic`] with its place; reading
//! never changes the project.
//!
//! Start with [`read_project`]; [`read_alembic_ini`] reads one ini text.

mod alembic_env;
mod alembic_ini;
mod database;
mod describe;
mod fastapi_app;
mod imports;
mod mapped;
mod source;
mod url;

use crate::engine::environ::PythonEnv;
use crate::engine::project::Project;
use crate::engine::python::ast::{ExprKind, StmtKind};

pub use crate::engine::models::Diagnostic;
pub(crate) use alembic_env::collect_all_stmts;
pub use alembic_env::{ConfigureCall, ConfigureOptions, Connectable, EnvInfo, ModelModule, RunMode, TargetMetadata, UrlOverride};
pub use alembic_ini::{read_alembic_ini, AlembicIni, IniEntry, IniSection, DEFAULT_FILE_TEMPLATE};
pub use database::{CreateAll, DatabaseInfo, FunctionInfo, GuardKind, SeedGuard, SeedInfo, SeedRow};
pub use fastapi_app::{AppInfo, Route, RouteKind, StartupAction, StartupStep, StartupStyle};
pub use source::{Literal, Place};
pub use url::{UrlOrigin, UrlOriginKind};

use mapped::Catalog;
use source::{last_name, module_level_stmts, Diagnostics, Sources};

/// Everything read from a project's files besides the models.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectFacts {
    pub database: Option<DatabaseInfo>,
    pub app: Option<AppInfo>,
    pub env: Option<EnvInfo>,
    pub ini: Option<AlembicIni>,
    /// Every problem found, file by file (ini, database, app, env), then
    /// those that involve several files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Shared state of one reading: parsed files, the models reader, the diagnostics.
pub(crate) struct Context<'p> {
    sources: Sources<'p>,
    /// What the code sees in `os.environ` and env.py's `-x` arguments.
    python: PythonEnv,
    catalog: Catalog<'p>,
    diagnostics: Diagnostics,
    /// The Alembic script folder with a trailing `/` (`alembic/`): not application code.
    script_folder: String,
}

/// The ini file Alembic reads by default.
const INI_PATH: &str = "alembic.ini";

/// Reads the project's database module, application module, `alembic.ini`
/// and `env.py`, wherever they are, as they read with no environment
/// variables of their own (only `.env`).
pub fn read_project(project: &Project) -> ProjectFacts {
    read_project_with(project, &PythonEnv::files_only(project))
}

/// The same, as a process with this environment (and, for env.py, these
/// `-x` arguments) reads them: the URLs from `os.environ` are its.
pub fn read_project_with(project: &Project, python: &PythonEnv) -> ProjectFacts {
    let mut diagnostics = Diagnostics::default();
    let ini = project.read_text(INI_PATH).map(|text| {
        let (ini, found) = read_alembic_ini(INI_PATH, &text);
        found.into_iter().for_each(|d| diagnostics.push(d));
        ini
    });
    let script_folder = ini.as_ref().and_then(AlembicIni::script_folder).unwrap_or_else(|| "alembic".into());
    if let Some(ini) = &ini {
        check_script_folder(project, ini, &script_folder, &mut diagnostics);
    }
    let mut ctx = Context {
        sources: Sources::new(project),
        python: python.clone(),
        catalog: Catalog::new(project, &script_folder, python.clone()),
        diagnostics,
        script_folder: format!("{script_folder}/"),
    };
    let database = find_database_module(&mut ctx).and_then(|path| database::read_database(&mut ctx, &path));
    let app = find_app_module(&mut ctx).and_then(|path| fastapi_app::read_app(&mut ctx, &path));
    let env_path = format!("{script_folder}/env.py");
    let env = alembic_env::read_env(&mut ctx, &env_path);
    if let (Some(ini), None) = (&ini, &env) {
        if project.is_dir(&script_folder) {
            report_at_script_location(ini, &mut ctx.diagnostics, format!("ImportError: Can't find Python file {env_path}"));
        }
    }
    let mut facts = ProjectFacts { database, app, env, ini, diagnostics: Vec::new() };
    cross_file_checks(&facts, &mut ctx.diagnostics);
    facts.diagnostics = ctx.diagnostics.into_vec();
    facts
}

impl ProjectFacts {
    /// The URL Alembic migrates, and where it is decided: `env.py`'s
    /// override, the application's engine when env.py connects with it, or
    /// `alembic.ini`'s `sqlalchemy.url`.
    pub fn migration_url(&self) -> Option<(String, Place)> {
        let env = self.env.as_ref();
        if let Some(url_override) = env.and_then(|e| e.url_override.as_ref()) {
            match url_override.url.clone().filter(|u| !u.is_empty()) {
                Some(url) => return Some((url, url_override.place.clone())),
                None if matches!(url_override.origin.kind, UrlOriginKind::Unknown { .. }) => return None,
                // Nothing set (no variable, no `-x`): the config file's URL stays, as in `alembic::env`.
                None => {}
            }
        }
        if matches!(env.map(|e| &e.connectable), Some(Connectable::ProjectEngine { .. })) {
            let db = self.database.as_ref()?;
            return db.url.clone().zip(db.engine_place.clone());
        }
        let ini = self.ini.as_ref()?;
        let url = ini.sqlalchemy_url.clone()?;
        let entry = ini.section(alembic_ini::MAIN_SECTION)?.entries.iter().find(|e| e.key == "sqlalchemy.url")?;
        Some((url, Place { file: ini.path.clone(), line: entry.line, col: entry.col }))
    }

    /// A stable, readable text of everything read (for tests and debugging).
    pub fn describe(&self) -> String {
        describe::project(self)
    }
}

fn check_script_folder(project: &Project, ini: &AlembicIni, folder: &str, diagnostics: &mut Diagnostics) {
    let Some(location) = &ini.script_location else { return };
    if !project.is_dir(folder) {
        let message = format!("alembic.util.exc.CommandError: Path doesn't exist: {location}.  Please use the 'init' command to create a new scripts folder.");
        report_at_script_location(ini, diagnostics, message);
    }
}

/// A problem with the script folder, reported at the ini's `script_location` line.
fn report_at_script_location(ini: &AlembicIni, diagnostics: &mut Diagnostics, message: String) {
    let Some(entry) = ini.section(alembic_ini::MAIN_SECTION).and_then(|s| s.entries.iter().find(|e| e.key == "script_location")) else { return };
    diagnostics.push(Diagnostic { file: ini.path.clone(), line: entry.line, col: entry.col, message, hint: None });
}

/// Python files of the application (not the Alembic folder), in path order.
fn application_files(ctx: &Context<'_>) -> Vec<String> {
    ctx.sources.python_paths().into_iter().filter(|p| !p.starts_with(&ctx.script_folder)).collect()
}

/// Whether a file assigns, at module level, the result of calling one of `callee_names` (`engine = create_engine(...)`).
fn assigns_call_of(ctx: &mut Context<'_>, path: &str, callee_names: &[&str]) -> bool {
    let Some(file) = ctx.sources.get(path) else { return false };
    module_level_stmts(&file.module.body).iter().any(|s| {
        let value = match &s.kind {
            StmtKind::Assign { value, .. } => value,
            StmtKind::AnnAssign { value: Some(value), .. } => value,
            _ => return false,
        };
        matches!(&value.kind, ExprKind::Call { func, .. } if last_name(func).is_some_and(|n| callee_names.contains(&n)))
    })
}

/// Preferred locations first, then path order.
fn by_preference(mut paths: Vec<String>, preferred: &[&str]) -> Option<String> {
    paths.sort_by_key(|p| (preferred.iter().position(|q| q == p).unwrap_or(preferred.len()), p.matches('/').count(), p.clone()));
    paths.into_iter().next()
}

/// The module that creates the engine (or, failing that, the declarative base).
fn find_database_module(ctx: &mut Context<'_>) -> Option<String> {
    let files = application_files(ctx);
    let preferred = ["database.py", "app/database.py", "core/database.py", "app/core/database.py", "db.py", "app/db.py", "app/db/session.py"];
    let engines: Vec<String> = files.iter().filter(|p| assigns_call_of(ctx, p, &["create_engine", "create_async_engine"])).cloned().collect();
    if !engines.is_empty() {
        return by_preference(engines, &preferred);
    }
    let named: Vec<String> = files.into_iter().filter(|p| preferred.contains(&p.as_str())).collect();
    by_preference(named, &preferred)
}

/// The module that creates the `FastAPI()` application.
fn find_app_module(ctx: &mut Context<'_>) -> Option<String> {
    let files = application_files(ctx);
    let apps: Vec<String> = files.into_iter().filter(|p| assigns_call_of(ctx, p, &["FastAPI"])).collect();
    by_preference(apps, &["main.py", "app/main.py", "src/main.py"])
}

/// Problems that involve several files: two schema managers, and Alembic
/// migrating another database than the application uses.
fn cross_file_checks(facts: &ProjectFacts, diagnostics: &mut Diagnostics) {
    let alembic_in_use = facts.ini.is_some() && facts.env.is_some();
    if let (true, Some(app)) = (alembic_in_use, &facts.app) {
        for step in app.startup.iter().filter(|s| matches!(s.action, StartupAction::InitDb | StartupAction::CreateAll)) {
            let what = match step.action {
                StartupAction::InitDb => format!("{}() creates the tables with create_all()", step.call),
                _ => format!("{}() creates the tables", step.call),
            };
            let when = if step.at_import { "when the app is imported" } else { "at startup" };
            diagnostics.push(Diagnostic {
                file: step.place.file.clone(),
                line: step.place.line,
                col: step.place.col,
                message: format!(
                    "driftlab: {what} {when} while Alembic manages the schema: two schema managers, and autogenerate will find nothing to do"
                ),
                hint: Some("let Alembic own the schema: remove this call and run `alembic upgrade head` before starting the app".into()),
            });
        }
    }
    let (Some(db), Some((migration_url, place))) = (&facts.database, facts.migration_url()) else { return };
    let Some(app_url) = &db.url else { return };
    if same_database(app_url, &migration_url) {
        return;
    }
    let message = if migration_url == "driver://user:pass@localhost/dbname" {
        format!("driftlab: sqlalchemy.url is still the template's placeholder; the application uses {app_url}")
    } else {
        format!("driftlab: Alembic migrates {migration_url} but the application uses {app_url} ({}): migrations would not reach the app's database", db.path)
    };
    diagnostics.push(Diagnostic {
        file: place.file,
        line: place.line,
        col: place.col,
        message,
        hint: Some(format!("use the same URL in both places, e.g. sqlalchemy.url = {app_url}")),
    });
}

/// Whether two URLs name the same database (`sqlite:///./app.db` is `sqlite:///app.db`).
fn same_database(a: &str, b: &str) -> bool {
    fn normal(url: &str) -> String {
        match url.split_once(":///") {
            Some((scheme, path)) if scheme.starts_with("sqlite") => {
                let path = path.split('?').next().unwrap_or(path);
                let path = crate::engine::project::resolve("", path).unwrap_or_else(|| path.to_string());
                format!("sqlite:///{path}")
            }
            _ => url.to_string(),
        }
    }
    normal(a) == normal(b)
}

#[cfg(test)]
mod tests;
