//! Running the app's startup in one or more server processes: what each
//! lifespan prints, `create_all` creating only missing tables, a seed's
//! guard and rows, `command.upgrade` through the alembic command layer —
//! and, with `--workers N`, the race between the processes, made
//! deterministic: every worker reads (which tables exist, the seed's count,
//! `alembic_version`) before any of them writes, as can happen for real.

use rusqlite::Connection;

use crate::engine::alembic::{self, env::Database};
use crate::engine::app::{GuardKind, SeedInfo, SeedRow, StartupAction, StartupStep};
use crate::engine::db;
use crate::engine::ddl;
use crate::engine::environ::Environ;
use crate::engine::host::Host;
use crate::engine::metadata::Table;
use crate::engine::project::Project;

use super::console::Console;
use super::json::Json;
use super::loaded::{Action, LoadedApp, Located, Site};
use super::orm::{self, OrmError, Param};
use super::traceback::{self, Entry};

/// What the app's code runs against.
pub struct Runtime<'a> {
    pub project: &'a mut Project,
    pub cwd: &'a str,
    pub root: &'a str,
    pub host: &'a mut dyn Host,
    /// The environment the app was started with.
    pub environ: &'a Environ,
    /// The database of a `sqlite://` URL, alive as long as the app.
    pub memory_db: &'a mut Vec<u8>,
}

impl Runtime<'_> {
    /// Opens the app's database (connecting creates a missing file, as SQLite does).
    pub fn open(&mut self, database: Option<&Database>) -> Result<Connection, String> {
        match database {
            Some(Database::SqliteFile(path)) => {
                let bytes = self.project.read(path).map(<[u8]>::to_vec).unwrap_or_default();
                let conn = db::open(&bytes).map_err(|e| format!("sqlite3.DatabaseError: {e}"))?;
                if !self.project.is_file(path) {
                    self.project.write(path, Vec::new());
                }
                Ok(conn)
            }
            Some(Database::SqliteMemory) => db::open(self.memory_db).map_err(|e| e.to_string()),
            Some(Database::Other { dialect, .. }) => Err(format!("driftlab: the playground runs SQLite only; this app's database is {dialect}")),
            Some(Database::Outside(path)) => Err(format!("driftlab: the database {path} is outside the project folder")),
            Some(Database::NoDialect { name }) => Err(format!("sqlalchemy.exc.NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:{name}")),
            None => Err("driftlab: cannot tell which database the app uses (no create_engine URL in its database module)".into()),
        }
    }

    /// Writes the database back when it changed.
    pub fn save(&mut self, database: Option<&Database>, conn: &mut Connection) {
        let Ok(bytes) = db::to_bytes(conn) else { return };
        match database {
            Some(Database::SqliteFile(path)) if self.project.read(path) != Some(bytes.as_slice()) => self.project.write(path, bytes),
            Some(Database::SqliteMemory) => *self.memory_db = bytes,
            _ => {}
        }
    }

    /// The Host's time as SQLite's `CURRENT_TIMESTAMP` writes it.
    pub fn now(&self) -> String {
        self.host.now()
    }
}

/// One server process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worker {
    pub pid: u32,
    /// 1-based, for the `[worker N]` lines.
    pub number: usize,
    /// env.py's `fileConfig()` ran in this process: uvicorn's loggers are off.
    pub loggers_disabled: bool,
    pub failed: bool,
}

impl Worker {
    pub fn new(pid: u32, number: usize) -> Worker {
        Worker { pid, number, loggers_disabled: false, failed: false }
    }
}

/// What went wrong in a startup step, and why (for the driftlab notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaceKind {
    CreateAll,
    Migration,
    /// Several workers found the table empty and each added the seed rows.
    Seed,
}

/// Runs the lifespan's startup in every worker, in lockstep; returns which
/// kinds of step lost a race between workers (empty for one process).
pub fn run(rt: &mut Runtime<'_>, app: &LoadedApp, workers: &mut [Worker], console: &mut Console) -> Vec<RaceKind> {
    let mut races = Vec::new();
    let many = workers.len() > 1;
    for located in &app.lifespan.startup {
        let alive: Vec<usize> = (0..workers.len()).filter(|&i| !workers[i].failed).collect();
        if alive.is_empty() {
            break;
        }
        match &located.action {
            Action::Print(text) => {
                for _ in &alive {
                    console.print(text);
                }
            }
            Action::Step(step) => match &step.action {
                StartupAction::InitDb | StartupAction::CreateAll => {
                    if create_all(rt, app, located, step, workers, &alive, console) && many {
                        races.push(RaceKind::CreateAll);
                    }
                }
                StartupAction::SeedDb { .. } => {
                    if seed(rt, app, located, workers, &alive, console) > 1 {
                        races.push(RaceKind::Seed);
                    }
                }
                StartupAction::AlembicUpgrade { target, config } => {
                    if upgrade(rt, app, located, target, config.as_deref(), workers, &alive, console) && many {
                        races.push(RaceKind::Migration);
                    }
                }
                StartupAction::Other(_) => {}
            },
        }
    }
    for worker in workers.iter().filter(|w| !w.failed) {
        if !worker.loggers_disabled {
            console.info("Application startup complete.");
        }
    }
    races
}

/// The `[worker N]` line of a step, when several processes start together.
fn explain(console: &mut Console, workers: &[Worker], worker: &Worker, text: &str) {
    if workers.len() > 1 {
        console.raw(&format!("[worker {} · pid {}] {text}", worker.number, worker.pid));
    }
}

/// A worker's lifespan raised: uvicorn logs the traceback and gives up —
/// unless env.py's `fileConfig()` switched its loggers off.
fn fail(console: &mut Console, worker: &mut Worker, entries: &[Entry], exception: &str) {
    worker.failed = true;
    if worker.loggers_disabled {
        console.note(&format!(
            "process [{}] failed at startup ({}). uvicorn's error lines are off in it (fileConfig), so nothing says so: it just exits.",
            worker.pid,
            exception.lines().next().unwrap_or_default()
        ));
        return;
    }
    console.error(&traceback::render(entries, exception));
    console.error("Application startup failed. Exiting.");
}

/// The frames of a startup action: the lifespan's line, then the helper's.
fn frames(rt: &Runtime<'_>, app: &LoadedApp, located: &Located, helper: Option<&Site>, library: &'static str) -> Vec<Entry> {
    let mut entries = vec![Entry::LeftOut("starlette")];
    let site = &located.site;
    entries.push(Entry::frame(format!("{}/{}", rt.root, site.file), site.line, &site.function, &app.source_line(&site.file, site.line)));
    if let Some(helper) = helper {
        entries.push(Entry::frame(format!("{}/{}", rt.root, helper.file), helper.line, &helper.function, &app.source_line(&helper.file, helper.line)));
    }
    entries.push(Entry::LeftOut(library));
    entries
}

// ------------------------------------------------------------------ create_all

/// `init_db()` / `Base.metadata.create_all()`: creates the missing tables,
/// never alters one. Returns whether a worker lost the race.
fn create_all(rt: &mut Runtime<'_>, app: &LoadedApp, located: &Located, step: &StartupStep, workers: &mut [Worker], alive: &[usize], console: &mut Console) -> bool {
    let helper = app.facts.database.as_ref().and_then(|d| d.init_db.as_ref()).and_then(|f| {
        let create_all = f.create_all.as_ref()?;
        (step.action == StartupAction::InitDb).then(|| Site { file: create_all.place.file.clone(), line: create_all.place.line, function: f.name.clone() })
    });
    let mut conn = match rt.open(app.database.as_ref()) {
        Ok(conn) => conn,
        Err(exception) => {
            for &i in alive {
                let entries = frames(rt, app, located, helper.as_ref(), "sqlalchemy");
                fail(console, &mut workers[i], &entries, &exception);
            }
            return false;
        }
    };
    // Read phase: every worker checks which tables exist before any creates one.
    let existing = ddl::existing_tables(&conn).unwrap_or_default();
    let planned = ddl::create_all_statements(&app.metadata, &existing);
    let to_create: Vec<&str> = app.metadata.tables.iter().map(|t| t.name.as_str()).filter(|n| !existing.iter().any(|e| e.eq_ignore_ascii_case(n))).collect();
    for &i in alive {
        let seen = if existing.is_empty() { "no tables yet".to_string() } else { existing.join(", ") };
        let plan = if to_create.is_empty() { "nothing to create".to_string() } else { format!("will create {}", to_create.join(", ")) };
        explain(console, workers, &workers[i], &format!("create_all() checks which tables exist: {seen} → {plan}"));
    }
    let mut lost = false;
    for &i in alive {
        let mut error = None;
        for statement in &planned {
            if let Err(e) = conn.execute_batch(statement) {
                error = Some(OrmError { class: "OperationalError", message: orm::sqlite_message(&e), sql: format!("\n{statement}\n\n"), params: Vec::new() });
                break;
            }
        }
        match error {
            None => {
                if !planned.is_empty() {
                    explain(console, workers, &workers[i], &format!("creates {}", to_create.join(", ")));
                }
            }
            Some(error) => {
                lost = true;
                explain(console, workers, &workers[i], &format!("CREATE TABLE fails: {}", error.first_line()));
                let entries = frames(rt, app, located, helper.as_ref(), "sqlalchemy");
                fail(console, &mut workers[i], &entries, &error.text());
            }
        }
    }
    rt.save(app.database.as_ref(), &mut conn);
    lost
}

// ------------------------------------------------------------------ seed

/// What a seed's guard found.
enum GuardResult {
    Add { seen: String },
    Skip { seen: String },
}

/// `seed_db()`: the guard's query in every worker first, then each adds its
/// rows. Returns how many workers added them.
fn seed(rt: &mut Runtime<'_>, app: &LoadedApp, located: &Located, workers: &mut [Worker], alive: &[usize], console: &mut Console) -> usize {
    let Some(seed) = app.facts.database.as_ref().and_then(|d| d.seed_db.clone()) else { return 0 };
    let mut conn = match rt.open(app.database.as_ref()) {
        Ok(conn) => conn,
        Err(exception) => {
            for &i in alive {
                let entries = frames(rt, app, located, None, "sqlalchemy");
                fail(console, &mut workers[i], &entries, &exception);
            }
            return 0;
        }
    };
    let guard_site = seed.guard.as_ref().map(|g| Site { file: g.place.file.clone(), line: g.place.line, function: seed.function.name.clone() });
    let mut adding = Vec::new();
    for &i in alive {
        match check_guard(app, &seed, &conn) {
            Ok(GuardResult::Add { seen }) => {
                explain(console, workers, &workers[i], &format!("{}(): {seen} → adds {} row(s)", seed.function.name, seed.rows.len()));
                adding.push(i);
            }
            Ok(GuardResult::Skip { seen }) => explain(console, workers, &workers[i], &format!("{}(): {seen} → adds nothing", seed.function.name)),
            Err(error) => {
                explain(console, workers, &workers[i], &format!("{}() fails: {}", seed.function.name, error.first_line()));
                let entries = frames(rt, app, located, guard_site.as_ref(), "sqlalchemy");
                fail(console, &mut workers[i], &entries, &error.text());
            }
        }
    }
    if !seed.commits {
        return 0;
    }
    let mut added = 0;
    let commit_site = commit_line(app, &seed).map(|line| Site { file: seed.function.place.file.clone(), line, function: seed.function.name.clone() });
    for i in adding {
        // One transaction per worker: a failing row leaves none of its rows.
        let _ = conn.execute_batch("SAVEPOINT seed");
        let mut failure = None;
        for row in &seed.rows {
            for values in expand(row) {
                if let Err(error) = insert_row(rt, app, &conn, row, &values) {
                    failure = Some(error);
                    break;
                }
            }
            if failure.is_some() {
                break;
            }
        }
        match failure {
            None => {
                let _ = conn.execute_batch("RELEASE seed");
                added += 1;
            }
            Some(error) => {
                let _ = conn.execute_batch("ROLLBACK TO seed; RELEASE seed");
                explain(console, workers, &workers[i], &format!("{}() fails: {}", seed.function.name, error.first_line()));
                let entries = frames(rt, app, located, commit_site.as_ref(), "sqlalchemy");
                fail(console, &mut workers[i], &entries, &error.text());
            }
        }
    }
    rt.save(app.database.as_ref(), &mut conn);
    added
}

/// Runs the guard's query and decides (`if db.query(Todo).count() == 0:`).
fn check_guard(app: &LoadedApp, seed: &SeedInfo, conn: &Connection) -> Result<GuardResult, OrmError> {
    let Some(guard) = &seed.guard else { return Ok(GuardResult::Add { seen: "no check for existing rows".into() }) };
    let table = guard.model.as_deref().and_then(|m| app.table_of(m)).or_else(|| seed.rows.first().and_then(|r| app.metadata.table(&r.table)));
    let Some(table) = table else { return Ok(GuardResult::Add { seen: "cannot tell what the check reads".into() }) };
    let condition = guard.condition.replace(' ', "");
    let negated = condition.starts_with("not");
    let (found_rows, seen) = match guard.kind {
        GuardKind::First => {
            let sql = orm::select_first(table);
            let rows = orm::fetch(conn, table, &sql, &[Param::Int(1), Param::Int(0)])?;
            let seen = if rows.is_empty() { "first() finds no row".to_string() } else { "first() finds a row".to_string() };
            (!rows.is_empty(), seen)
        }
        _ => {
            let count = orm::fetch_count(conn, &orm::count(table))?;
            (count > 0, format!("count() is {count}"))
        }
    };
    // What the condition is true for: `== 0`, `is None`, `not ...` mean "no rows".
    let true_when_empty = negated || condition.contains("==0") || condition.contains("isNone") || condition.contains("<1");
    let check = if true_when_empty { !found_rows } else { found_rows };
    let add = if guard.early_return { !check } else { check };
    Ok(if add { GuardResult::Add { seen } } else { GuardResult::Skip { seen } })
}

/// The `db.commit()` line of a seed function (where its INSERTs are flushed).
fn commit_line(app: &LoadedApp, seed: &SeedInfo) -> Option<usize> {
    let file = &seed.function.place.file;
    let text = app.sources.get(file)?;
    let start = seed.rows.last().map_or(seed.function.place.line, |r| r.place.line);
    text.lines().enumerate().skip(start).find(|(_, l)| l.contains(".commit(")).map(|(i, _)| i + 1)
}

/// The keyword values of each row a seed adds (a loop over `range(...)` repeats it).
fn expand(row: &SeedRow) -> Vec<Vec<(String, Json)>> {
    let literal = |value: &crate::engine::app::Literal, i: Option<i64>| -> Option<Json> {
        use crate::engine::app::Literal;
        Some(match value {
            Literal::Str(s) => Json::Str(s.clone()),
            Literal::Int(n) => Json::Int(*n),
            Literal::Number(n) => Json::Float(n.parse().ok()?),
            Literal::Bool(b) => Json::Bool(*b),
            Literal::None => Json::Null,
            Literal::Expression(e) => {
                let i = i?;
                // `f"Task {i}"` in a loop over `i`.
                let inner = e.strip_prefix('f')?.trim_matches(|c| c == '"' || c == '\'');
                Json::Str(inner.replace("{i}", &i.to_string()))
            }
        })
    };
    let Some(repeat) = &row.repeat else {
        return vec![row.values.iter().filter_map(|(k, v)| Some((k.clone(), literal(v, None)?))).collect()];
    };
    let range = repeat
        .strip_prefix("for i in range(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|args| {
            let numbers: Vec<i64> = args.split(',').map(|a| a.trim().parse().ok()).collect::<Option<_>>()?;
            match numbers.as_slice() {
                [n] => Some(0..*n),
                [a, b] => Some(*a..*b),
                _ => None,
            }
        })
        .unwrap_or(0..1);
    range.map(|i| row.values.iter().filter_map(|(k, v)| Some((k.clone(), literal(v, Some(i))?))).collect()).collect()
}

/// `db.add(Todo(...))` flushed: the ORM's INSERT with Python-side defaults.
pub fn insert_row(rt: &Runtime<'_>, app: &LoadedApp, conn: &Connection, row: &SeedRow, values: &[(String, Json)]) -> Result<i64, OrmError> {
    let Some(table) = app.metadata.table(&row.table) else { return Ok(0) };
    insert_object(rt, table, conn, values)
}

/// INSERT of a new object of `table` given its attribute values.
pub fn insert_object(rt: &Runtime<'_>, table: &Table, conn: &Connection, values: &[(String, Json)]) -> Result<i64, OrmError> {
    let mut columns: Vec<(String, Param)> = Vec::new();
    for column in &table.columns {
        match values.iter().find(|(k, _)| *k == column.name) {
            Some((_, value)) => columns.push((column.name.clone(), orm::param_for(Some(column), value))),
            None => {
                if let Some(default) = column.default.as_deref().and_then(|d| python_default(rt, d)) {
                    columns.push((column.name.clone(), orm::param_for(Some(column), &default)));
                }
            }
        }
    }
    let time_defaults = orm::time_defaults(conn, &table.name, &rt.now());
    let insert = orm::insert(table, &columns, &time_defaults);
    orm::run_insert(conn, &insert)
}

/// A column's `default=` as written (`False`, `0`, `"medium"`, `datetime.utcnow`).
fn python_default(rt: &Runtime<'_>, text: &str) -> Option<Json> {
    let text = text.trim();
    let text = text.strip_prefix("lambda:").map(str::trim).unwrap_or(text);
    match text {
        "True" => return Some(Json::Bool(true)),
        "False" => return Some(Json::Bool(false)),
        "None" => return None,
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Some(Json::Int(i));
    }
    if let Ok(f) = text.parse::<f64>() {
        return Some(Json::Float(f));
    }
    if (text.starts_with('"') && text.ends_with('"') || text.starts_with('\'') && text.ends_with('\'')) && text.len() >= 2 {
        return Some(Json::Str(text[1..text.len() - 1].to_string()));
    }
    let callee = text.trim_end_matches("()");
    if ["datetime.utcnow", "datetime.now", "datetime.datetime.utcnow", "datetime.datetime.now", "datetime.now(timezone.utc)"]
        .iter()
        .any(|d| callee.starts_with(d))
    {
        // SQLAlchemy's SQLite DateTime stores microseconds.
        return Some(Json::Str(rt.now()));
    }
    if callee.ends_with("date.today") {
        return Some(Json::Str(rt.now().split(' ').next().unwrap_or_default().to_string()));
    }
    None
}

// ------------------------------------------------------------------ migrations

/// What one worker's `command.upgrade` did.
struct UpgradeRun {
    /// Alembic's log lines up to reading the version table, then after it.
    read_lines: Vec<String>,
    write_lines: Vec<String>,
    heads_seen: String,
    exception: Option<String>,
}

/// `command.upgrade(Config("alembic.ini"), "head")` in each worker: all read
/// `alembic_version`, then each runs the steps it planned from what it read.
/// Returns whether a worker lost the race.
#[allow(clippy::too_many_arguments)]
fn upgrade(
    rt: &mut Runtime<'_>,
    app: &LoadedApp,
    located: &Located,
    target: &str,
    config: Option<&str>,
    workers: &mut [Worker],
    alive: &[usize],
    console: &mut Console,
) -> bool {
    let mut args: Vec<String> = Vec::new();
    if let Some(config) = config.filter(|c| *c != "alembic.ini") {
        args.extend(["-c".to_string(), config.to_string()]);
    }
    args.extend(["upgrade".to_string(), if target.is_empty() { "head".to_string() } else { target.to_string() }]);
    let logs = env_configures_logging(app);
    let database = migration_database(rt, app);
    let stale = database.as_ref().map(|d| read_version_table(rt, d)).unwrap_or(None);
    let mut runs = Vec::new();
    for (n, _) in alive.iter().enumerate() {
        let output = if n == 0 {
            let mut ctx = alembic::Context { project: &mut *rt.project, cwd: rt.cwd, root: rt.root, host: &mut *rt.host, environ: rt.environ };
            alembic::run(&mut ctx, &args)
        } else {
            // A later worker read alembic_version before the first one wrote it.
            let mut scratch = rt.project.clone();
            if let Some(database) = &database {
                reset_version_table(&mut scratch, database, stale.as_ref());
            }
            let mut ctx = alembic::Context { project: &mut scratch, cwd: rt.cwd, root: rt.root, host: &mut *rt.host, environ: rt.environ };
            let output = alembic::run(&mut ctx, &args);
            if output.exit_code == 0 {
                *rt.project = scratch;
            }
            output
        };
        runs.push(split_upgrade_output(&output, logs, stale.as_ref()));
    }
    for (n, &i) in alive.iter().enumerate() {
        for line in &runs[n].read_lines {
            console.raw(line);
        }
        if logs {
            console.note_once(
                "fileConfig",
                "env.py's fileConfig(config.config_file_name) set up logging from alembic.ini, and fileConfig() disables the loggers it does not list: uvicorn's. From here on this process prints no uvicorn lines (no \"Application startup complete.\", no request log, no errors).",
            );
        }
        if logs {
            workers[i].loggers_disabled = true;
        }
        explain(console, workers, &workers[i], &format!("reads alembic_version: {}", runs[n].heads_seen));
    }
    let mut lost = false;
    for (n, &i) in alive.iter().enumerate() {
        for line in &runs[n].write_lines {
            console.raw(line);
        }
        match runs[n].exception.clone() {
            None => explain(console, workers, &workers[i], "upgrade done"),
            Some(exception) => {
                lost = n > 0;
                explain(console, workers, &workers[i], &format!("upgrade fails: {}", exception.lines().next().unwrap_or_default()));
                let entries = frames(rt, app, located, None, "alembic and the migration script");
                fail(console, &mut workers[i], &entries, &exception);
            }
        }
    }
    lost
}

/// Whether `env.py` configures logging from the ini (`fileConfig(...)`, not commented out).
fn env_configures_logging(app: &LoadedApp) -> bool {
    let env_path = app.facts.ini.as_ref().and_then(|i| i.script_folder()).map(|f| format!("{f}/env.py")).unwrap_or_else(|| "alembic/env.py".into());
    app.sources.get(&env_path).is_some_and(|text| text.lines().any(|l| !l.trim_start().starts_with('#') && l.contains("fileConfig(")))
}

fn migration_database(rt: &Runtime<'_>, app: &LoadedApp) -> Option<Database> {
    let (url, _) = app.facts.migration_url()?;
    Some(crate::engine::alembic::env::database_for_url(&url, rt.cwd, rt.root))
}

/// The rows of `alembic_version` (`None`: no table yet).
fn read_version_table(rt: &Runtime<'_>, database: &Database) -> Option<Vec<String>> {
    let Database::SqliteFile(path) = database else { return None };
    let conn = db::open(rt.project.read(path)?).ok()?;
    let mut stmt = conn.prepare("SELECT version_num FROM alembic_version").ok()?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).ok()?;
    Some(rows.flatten().collect())
}

/// Puts back what a worker read into `alembic_version` (the first worker has moved it on since).
fn reset_version_table(project: &mut Project, database: &Database, rows: Option<&Vec<String>>) {
    let Database::SqliteFile(path) = database else { return };
    let Some(bytes) = project.read(path) else { return };
    let Ok(mut conn) = db::open(bytes) else { return };
    let _ = conn.execute_batch("DROP TABLE IF EXISTS alembic_version");
    if let Some(rows) = rows {
        let _ = conn.execute_batch("CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)");
        for row in rows {
            let _ = conn.execute("INSERT INTO alembic_version (version_num) VALUES (?)", [row]);
        }
    }
    if let Ok(bytes) = db::to_bytes(&mut conn) {
        project.write(path, bytes);
    }
}

/// Splits Alembic's output where it starts running steps; keeps the INFO
/// lines only when env.py configured logging (else they go nowhere).
fn split_upgrade_output(output: &crate::engine::output::CommandOutput, logs: bool, stale: Option<&Vec<String>>) -> UpgradeRun {
    let mut read_lines = Vec::new();
    let mut write_lines = Vec::new();
    let mut writing = false;
    let mut exception = None;
    let stderr = &output.stderr;
    let traceback_at = stderr.rfind("Traceback (most recent call last):\n");
    let before_traceback = traceback_at.map_or(stderr.as_str(), |at| &stderr[..at]);
    // Only log records reach the terminal; in-process, the exception is raised, not printed.
    let is_record = |line: &str| {
        ["INFO  [", "WARNI [", "ERROR ["].iter().any(|p| line.starts_with(p)) && !line.starts_with("ERROR [alembic.util.messaging]")
    };
    for line in before_traceback.lines() {
        if line.starts_with("INFO  [alembic.runtime.migration] Running") {
            writing = true;
        }
        if is_record(line) && logs {
            if writing {
                write_lines.push(line.to_string());
            } else {
                read_lines.push(line.to_string());
            }
        }
    }
    if output.exit_code != 0 {
        exception = Some(if let Some(message) = output.stdout.strip_prefix("FAILED: ") {
            format!("alembic.util.exc.CommandError: {}", message.trim_end())
        } else if let Some(at) = traceback_at {
            // The last exception of the chain, without its frame lines.
            let last = &stderr[at + "Traceback (most recent call last):\n".len()..];
            last.lines().filter(|l| !l.starts_with("  ")).collect::<Vec<_>>().join("\n")
        } else {
            before_traceback.lines().filter(|l| !l.starts_with("INFO  [")).collect::<Vec<_>>().join("\n")
        });
    }
    let heads_seen = match stale {
        None => "no table yet: the database is at base".to_string(),
        Some(rows) if rows.is_empty() => "empty: the database is at base".to_string(),
        Some(rows) => format!("at {}", rows.join(", ")),
    };
    UpgradeRun { read_lines, write_lines, heads_seen, exception }
}

/// Runs the module-level `create_all` calls of an import.
pub fn run_at_import(rt: &mut Runtime<'_>, app: &LoadedApp) -> Result<(), String> {
    for located in &app.lifespan.at_import {
        if !matches!(located.action, Action::Step(_)) {
            continue;
        }
        let mut conn = rt.open(app.database.as_ref())?;
        ddl::create_all(&conn, &app.metadata).map_err(|(_, e)| format!("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) {}", orm::sqlite_message(&e)))?;
        rt.save(app.database.as_ref(), &mut conn);
    }
    Ok(())
}
