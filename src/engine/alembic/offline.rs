//! Offline (`--sql`) mode: `alembic upgrade|downgrade|stamp|ensure_version
//! --sql` print the SQL instead of running it, as Alembic 1.20.1's
//! `MigrationContext` does with `as_sql=True`, for the dialect of the
//! configured URL (SQLite, PostgreSQL or SQL Server). No database is opened:
//! the version table's rows come from `<fromrev>` of a `<fromrev>:<torev>`
//! range, or from nothing.
//!
//! The output is `static_output`: each statement followed by a blank line,
//! `-- Running upgrade a -> b` comments, `BEGIN;`/`COMMIT;` around it all on
//! databases with transactional DDL, and SQL Server's `GO` after every
//! statement. stderr has the `Context impl` lines and one `Running ...` line
//! per step.
//!
//! A child of `commands` (declared there) so the `--sql` branches of its
//! commands share the runner's loading and printing.

use super::{print_warnings, python_error, Failure, Printer, Runner, Scripts};
use crate::engine::alembic::env::{self, Database};
use crate::engine::alembic::graph::{self, Direction, Step};
use crate::engine::alembic::version_table::{HeadMaintainer, VersionChange, CREATE_VERSION_TABLE};
use crate::engine::ddl::Dialect;
use crate::engine::migrate::apply::OfflineRenderer;

const LOGGER: &str = "alembic.runtime.migration";

/// What `alembic <online command>` says when the URL is not SQLite.
pub(crate) fn sqlite_only_message(dialect: &str) -> String {
    let base = format!("driftlab runs only SQLite databases in the playground; this project's URL is a {dialect} database.");
    if Dialect::from_name(dialect).is_some() {
        format!("{base} Add --sql to print the SQL Alembic would run there instead (alembic upgrade head --sql).")
    } else {
        format!("{base} driftlab prints --sql output for SQLite, PostgreSQL and SQL Server only.")
    }
}

/// One `--sql` run: where its output goes and what it has printed so far.
struct OfflineRun {
    dialect: Dialect,
    renderer: OfflineRenderer,
    /// Python shows each warning once per process.
    warned: Vec<String>,
}

impl OfflineRun {
    /// `DefaultImpl.static_output`: the text and a blank line.
    fn static_output(&self, p: &mut Printer, text: &str) {
        p.stdout(&format!("{text}\n\n"));
    }

    /// `_exec` of an already compiled statement (with its `;`): SQL Server
    /// ends every statement's batch with `GO`.
    fn exec(&self, p: &mut Printer, statement: &str) {
        self.static_output(p, statement);
        if self.dialect == Dialect::Mssql {
            self.static_output(p, "GO");
        }
    }

    fn begin(&self, p: &mut Printer) {
        match self.dialect {
            Dialect::Mssql => self.static_output(p, "BEGIN TRANSACTION;"),
            _ => self.static_output(p, "BEGIN;"),
        }
    }

    fn commit(&self, p: &mut Printer) {
        if self.dialect.transactional_ddl() {
            self.exec(p, "COMMIT;");
        }
    }

    fn warn(&mut self, p: &mut Printer, warning: String) {
        if !self.warned.contains(&warning) {
            p.out.stderr.push_str(&warning);
            self.warned.push(warning);
        }
    }

    /// The version row statement as each dialect compiles it: the INSERT
    /// returns the new row (`RETURNING` / SQL Server's `OUTPUT`).
    fn version_sql(&self, change: &VersionChange) -> String {
        match (self.dialect, change) {
            (Dialect::Postgresql, VersionChange::Insert(v)) => {
                format!("INSERT INTO alembic_version (version_num) VALUES ('{v}') RETURNING alembic_version.version_num;")
            }
            (Dialect::Mssql, VersionChange::Insert(v)) => {
                format!("INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('{v}');")
            }
            _ => format!("{};", change.sql()),
        }
    }

    /// `CREATE TABLE alembic_version`: the same text on all three dialects.
    fn create_version_table(&self, p: &mut Printer) {
        self.exec(p, &format!("{};", CREATE_VERSION_TABLE.replace('\t', "    ")));
    }

    /// `MigrationContext.run_migrations` over the chosen steps: the version
    /// table's CREATE while no head is known, each step's comment, its SQL
    /// and its version row change.
    fn run_steps(&mut self, p: &mut Printer, scripts: &Scripts, heads: &[String], steps: &[Step]) -> Result<(), Failure> {
        let mut maintainer = HeadMaintainer::new(heads);
        for step in steps {
            if maintainer.heads().is_empty() {
                self.create_version_table(p);
            }
            p.info(LOGGER, &step.log_line());
            self.static_output(p, &step.offline_comment());
            if let Some(id) = step.revision() {
                let script = scripts
                    .script(id)
                    .ok_or_else(|| Failure::Failed(format!("Can't locate revision identified by '{id}'")))?;
                if let Some(problem) = script.diagnostics.first() {
                    return Err(Failure::Failed(format!("{problem}\nno SQL of {} was printed", script.path)));
                }
                let ops = if step.direction == Direction::Up { &script.upgrade } else { &script.downgrade };
                let (result, warnings) = self.renderer.render(ops);
                for warning in warnings {
                    self.warn(p, warning);
                }
                match result {
                    Ok(statements) => statements.iter().for_each(|s| self.exec(p, s)),
                    Err(error) => {
                        error.statements.iter().for_each(|s| self.exec(p, s));
                        p.out.stdout.push_str(&error.stdout_text());
                        p.out.stderr.push_str(&error.python_error_text());
                        return Err(Failure::Printed(error.exit_code()));
                    }
                }
            }
            let changes =
                maintainer.changes_for_step(&scripts.map, step).map_err(|e| Failure::Exception(e.exception_line()))?;
            for change in changes {
                self.exec(p, &self.version_sql(&change));
            }
        }
        Ok(())
    }
}

impl Runner<'_, '_> {
    /// `alembic upgrade|downgrade [<fromrev>:]<torev> --sql`.
    pub(super) fn migrate_offline(&mut self, p: &mut Printer, direction: Direction, target: &str) -> Result<(), Failure> {
        let (start, destination) = graph::split_migration_target(direction, target, true).map_err(Failure::Command)?;
        let mut run = self.start_offline(p)?;
        let scripts = self.load_scripts()?;
        let heads = scripts.map.offline_start_heads(start.as_deref()).map_err(Failure::Command)?;
        let plan = match direction {
            Direction::Up => scripts.map.upgrade_steps(&heads, &destination),
            Direction::Down => scripts.map.downgrade_steps(&heads, &destination),
        };
        let plan = plan.map_err(|e| {
            print_warnings(p, &e.warnings);
            Failure::Command(e.error)
        })?;
        print_warnings(p, &plan.warnings);
        run.run_steps(p, &scripts, &heads, &plan.steps)?;
        run.commit(p);
        Ok(())
    }

    /// `alembic stamp [<fromrev>:]<torev>... --sql`: only version rows.
    pub(super) fn stamp_offline(&mut self, p: &mut Printer, revisions: &[String], purge: bool) -> Result<(), Failure> {
        let (start, destinations) = graph::split_stamp_targets(revisions, true).map_err(Failure::Command)?;
        let mut run = self.start_offline(p)?;
        if purge {
            return Err(Failure::Failed("Can't use --purge with --sql mode".into()));
        }
        let scripts = self.load_scripts()?;
        let heads = scripts.map.offline_start_heads(start.as_deref()).map_err(Failure::Command)?;
        let plan = scripts.map.stamp_steps(&heads, &destinations).map_err(|e| {
            print_warnings(p, &e.warnings);
            Failure::Command(e.error)
        })?;
        print_warnings(p, &plan.warnings);
        run.run_steps(p, &scripts, &heads, &plan.steps)?;
        run.commit(p);
        Ok(())
    }

    /// `alembic ensure_version --sql`: the version table's CREATE.
    pub(super) fn ensure_version_offline(&mut self, p: &mut Printer) -> Result<(), Failure> {
        let run = self.start_offline(p)?;
        run.create_version_table(p);
        run.commit(p);
        Ok(())
    }

    /// `alembic revision --sql`: with `revision_environment = true` env.py
    /// runs offline (printing no SQL but the transaction's) before the
    /// revision is written; without it Alembic refuses.
    pub(super) fn revision_environment_offline(&mut self, p: &mut Printer) -> Result<(), Failure> {
        let configured = self.config.ini.other.iter().any(|(key, value)| {
            key == "revision_environment" && matches!(value.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1")
        });
        if !configured {
            return Err(Failure::Failed(
                "Using --sql with the revision command when revision_environment is not configured does not make any sense"
                    .into(),
            ));
        }
        let run = self.start_offline(p)?;
        run.commit(p);
        Ok(())
    }

    /// Runs env.py's `run_migrations_offline` up to `begin_transaction()`:
    /// the dialect from the URL (nothing is opened), Alembic's INFO lines,
    /// and `BEGIN` where DDL is transactional.
    fn start_offline(&mut self, p: &mut Printer) -> Result<OfflineRun, Failure> {
        let environment = env::load_environment(self.ctx.project, self.ctx.cwd, self.ctx.root, &self.config, &self.python);
        if let Some(problem) = environment.diagnostics.first() {
            return Err(Failure::Exception(python_error(self.ctx.root, problem)));
        }
        if let Some(message) = environment.hooks.as_ref().and_then(|h| h.load_failure()) {
            p.env_ran = true;
            return Err(Failure::Failed(message.to_string()));
        }
        let dialect = match &environment.offline_database {
            // Offline mode never connects, so even a file outside the project is fine.
            Database::SqliteFile(_) | Database::SqliteMemory | Database::Outside(_) => Dialect::Sqlite,
            Database::Other { dialect, .. } => Dialect::from_name(dialect).ok_or_else(|| {
                Failure::Failed(format!(
                    "driftlab prints --sql output for SQLite, PostgreSQL and SQL Server only; this project's URL is a {dialect} database."
                ))
            })?,
            Database::NoDialect { name } => {
                return Err(Failure::Exception(format!(
                    "sqlalchemy.exc.NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:{name}"
                )))
            }
        };
        p.info(LOGGER, &format!("Context impl {}.", dialect.impl_name()));
        p.info(LOGGER, "Generating static SQL");
        let ddl = if dialect.transactional_ddl() { "transactional" } else { "non-transactional" };
        p.info(LOGGER, &format!("Will assume {ddl} DDL."));
        p.env_ran = true;
        let run = OfflineRun { dialect, renderer: OfflineRenderer::new(dialect), warned: Vec::new() };
        if dialect.transactional_ddl() {
            run.begin(p);
        }
        Ok(run)
    }
}
