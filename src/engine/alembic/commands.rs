//! One function per Alembic command (Alembic's `command.py`): each loads the
//! config, runs what env.py would set up, and prints what Alembic prints —
//! `INFO  [alembic...]` lines on stderr, results on stdout, `FAILED: ...`
//! and exit 255 for Alembic's own errors, a Python traceback and exit 1 for
//! exceptions.

use rusqlite::Connection;

use super::cli::{Command, Invocation};
use super::env::{self, CompareError, Config, ConnectError, Database, Environment, StepError, Versions, VersionsError};
use super::graph::{self, CommandError, Direction, LineFormat, RevSpec};
use super::init::{self, command_error};
use super::version_table;
use super::Context;
use crate::engine::db;
use crate::engine::environ::PythonEnv;
use crate::engine::metadata::MetaData;
use super::cli::GlobalOptions;
use super::hooks::{OptValue, RevisionDirective};
use crate::engine::migrate::compare::HookFailure;
use crate::engine::migrate::ops::reverse_ops;
use crate::engine::migrate::script::Script;
use crate::engine::migrate::{compare, render};
use crate::engine::models::Diagnostic;
use crate::engine::output::CommandOutput;

// `--sql` mode: the commands' offline branches, in their own file.
#[path = "offline.rs"]
mod offline;

pub(crate) use offline::sqlite_only_message;

const CONTEXT_IMPL: &str = "INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\n";
const NON_TRANSACTIONAL: &str = "INFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n";
const PLUGINS: &[&str] = &["schemas", "tables", "types", "constraints", "defaults", "comments"];

/// What a command printed so far; commands add to it as they go, so a
/// failure keeps the lines printed before it, as a real process would.
#[derive(Default)]
struct Printer {
    out: CommandOutput,
    /// Whether env.py has run (it configures logging, so Alembic's own
    /// errors are also logged to stderr from then on).
    env_ran: bool,
}

impl Printer {
    fn info(&mut self, logger: &str, message: &str) {
        self.out.stderr.push_str(&format!("INFO  [{logger}] {message}\n"));
    }

    fn stdout(&mut self, text: &str) {
        self.out.stdout.push_str(text);
    }

    fn env_started(&mut self) {
        self.out.stderr.push_str(CONTEXT_IMPL);
        self.out.stderr.push_str(NON_TRANSACTIONAL);
        self.env_ran = true;
    }

    /// `FAILED: message` (and the logged ERROR once env.py configured logging), exit 255.
    fn failed(mut self, message: &str) -> CommandOutput {
        self.out.stdout.push_str(&command_error(message).stdout);
        if self.env_ran {
            self.out.stderr.push_str(&format!("ERROR [alembic.util.messaging] {message}\n"));
        }
        self.out.exit_code = 255;
        self.out
    }

    fn command_error(self, error: &CommandError) -> CommandOutput {
        match error {
            CommandError::Failed(message) => self.failed(message),
            CommandError::Uncaught(e) => self.exception(&e.exception_line()),
        }
    }

    /// An uncaught Python exception: the traceback header and the exception line, exit 1.
    fn exception(mut self, exception_line: &str) -> CommandOutput {
        self.out.stderr.push_str("Traceback (most recent call last):\n");
        self.out.stderr.push_str(exception_line.trim_end());
        self.out.stderr.push('\n');
        self.out.exit_code = 1;
        self.out
    }

    fn done(self) -> CommandOutput {
        self.out
    }
}

/// Runs a parsed command line: the config file is `-c`'s, else
/// `ALEMBIC_CONFIG`'s, else `alembic.ini`; env.py runs with the command's
/// environment and its `-x` arguments.
pub fn run(ctx: &mut Context<'_>, invocation: Invocation) -> CommandOutput {
    let config_name = invocation.global.config.first().cloned().or_else(|| env::config_from_environment(ctx.environ));
    match invocation.command {
        Command::Init { directory, .. } => init::init(ctx.project, ctx.root, ctx.cwd, &directory),
        Command::ListTemplates => CommandOutput::ok(super::TEMPLATES),
        command => {
            let config = match env::load_config(ctx.project, ctx.cwd, ctx.root, config_name.as_deref()) {
                Ok(config) => config,
                Err(out) => return out,
            };
            let python = PythonEnv::new(ctx.project, ctx.environ).with_x_arguments(&invocation.global.x);
            Runner { ctx, config, python, global: invocation.global }.run(command)
        }
    }
}

struct Runner<'a, 'b> {
    ctx: &'a mut Context<'b>,
    config: Config,
    /// What env.py sees: the environment, `.env`, the `-x` arguments.
    python: PythonEnv,
    /// The global options, for `config.cmd_opts`.
    global: GlobalOptions,
}

/// The scripts of the versions folder, and the graph they make.
type Scripts = Versions;

impl Runner<'_, '_> {
    fn run(mut self, command: Command) -> CommandOutput {
        let mut p = Printer::default();
        let result = match command {
            Command::Revision { message, autogenerate, sql, head, splice, branch_label, rev_id, depends_on, .. } => {
                self.revision(&mut p, message, autogenerate, sql, &head, splice, branch_label, rev_id, depends_on)
            }
            Command::Upgrade { revision, sql, .. } => self.migrate(&mut p, Direction::Up, &revision, sql),
            Command::Downgrade { revision, sql, .. } => self.migrate(&mut p, Direction::Down, &revision, sql),
            Command::Check => self.check(&mut p),
            Command::Current { verbose, .. } => self.current(&mut p, verbose),
            Command::Stamp { revisions, sql, purge, .. } => self.stamp(&mut p, &revisions, sql, purge),
            Command::History { rev_range, verbose, indicate_current } => {
                self.history(&mut p, rev_range.as_deref(), verbose, indicate_current)
            }
            Command::Heads { verbose, .. } => self.heads(&mut p, verbose),
            Command::EnsureVersion { sql: true } => self.ensure_version_offline(&mut p),
            Command::EnsureVersion { .. } => self.ensure_version(&mut p),
            Command::Show { rev } => self.show(&mut p, &rev),
            Command::Branches { verbose } => self.branches(&mut p, verbose),
            Command::Merge { revisions, message, branch_label, rev_id, .. } => {
                self.merge(&mut p, &revisions, message, branch_label, rev_id)
            }
            Command::Edit { rev } => self.edit(&mut p, &rev),
            other => Err(Failure::Failed(format!("driftlab does not run `alembic {}` yet", other.name()))),
        };
        match result {
            Ok(()) => p.done(),
            Err(Failure::Failed(message)) => p.failed(&message),
            Err(Failure::Command(e)) => p.command_error(&e),
            Err(Failure::Exception(line)) => p.exception(&line),
            Err(Failure::Printed(exit_code)) => {
                let mut out = p.done();
                out.exit_code = exit_code;
                out
            }
        }
    }

    // ---------------------------------------------------------------- loading

    /// The scripts, for commands that catch revision errors around loading
    /// them (most do: `FAILED: ...`).
    fn load_scripts(&self) -> Result<Scripts, Failure> {
        self.load_scripts_then(true)
    }

    /// Loads the versions folder. `caught`: whether the command wraps the
    /// load in Alembic's revision-error handling (`heads` and `branches`
    /// don't: a broken map is a traceback there).
    fn load_scripts_then(&self, caught: bool) -> Result<Scripts, Failure> {
        env::load_versions(self.ctx.project, self.ctx.root, &self.config).map_err(|e| match e {
            VersionsError::Syntax(syntax) => Failure::Exception(python_error(self.ctx.root, &syntax)),
            VersionsError::Graph(e) if caught => Failure::Command(CommandError::from(e)),
            VersionsError::Graph(e) => Failure::Exception(e.error.exception_line()),
        })
    }

    /// Runs env.py online: its environment, and the database opened.
    fn open_environment(&mut self, p: &mut Printer) -> Result<(Environment, Connection), Failure> {
        let environment = env::load_environment(self.ctx.project, self.ctx.cwd, self.ctx.root, &self.config, &self.python);
        if let Some(problem) = environment.diagnostics.first() {
            return Err(Failure::Exception(python_error(self.ctx.root, problem)));
        }
        if let Some(message) = environment.hooks.as_ref().and_then(|h| h.load_failure()) {
            // env.py's fileConfig() ran first: the error is logged too.
            p.env_ran = true;
            return Err(Failure::Failed(message.to_string()));
        }
        let conn = env::connect(self.ctx.project, &environment.database).map_err(|e| match e {
            ConnectError::Exception(line) => Failure::Exception(line),
            ConnectError::Failed(message) => Failure::Failed(message),
        })?;
        // Connecting creates the file, as SQLite does.
        if let Database::SqliteFile(path) = &environment.database {
            if !self.ctx.project.is_file(path) {
                self.ctx.project.write(path, Vec::new());
            }
        }
        p.env_started();
        Ok((environment, conn))
    }

    /// Writes the database back into the project.
    fn store(&mut self, environment: &Environment, conn: &mut Connection) {
        if let Database::SqliteFile(path) = &environment.database {
            if let Ok(bytes) = db::to_bytes(conn) {
                if self.ctx.project.read(path) != Some(bytes.as_slice()) {
                    self.ctx.project.write(path, bytes);
                }
            }
        }
    }

    fn current_heads(conn: &Connection) -> Result<Vec<String>, Failure> {
        env::current_heads(conn).map_err(Failure::Exception)
    }

    /// Autogenerate as `revision --autogenerate` and `check` run it: the
    /// database must be at the heads, then the plugins are set up, then
    /// env.py's metadata is compared with the database.
    fn autogenerate(&mut self, p: &mut Printer, scripts: &Scripts, environment: &Environment, conn: &Connection) -> Result<(MetaData, compare::Autogen), Failure> {
        let heads = Self::current_heads(conn)?;
        env::autogenerate_precondition(&heads, &scripts.map).map_err(Failure::Command)?;
        for plugin in PLUGINS {
            p.info("alembic.runtime.plugins", &format!("setting up autogenerate plugin alembic.autogenerate.{plugin}"));
        }
        let (database, mut autogen) = env::compare_target(environment, conn).map_err(|e| match e {
            CompareError::NoMetadata => Failure::Failed(self.no_metadata_message()),
            CompareError::Reflect(line) => Failure::Exception(line),
        })?;
        if let Some(hooks) = &environment.hooks {
            p.stdout(&hooks.take_printed());
        }
        match autogen.failure.take() {
            None => Ok((database, autogen)),
            // Python stopped in the hook: what was logged before it, then the traceback.
            Some(failure) => {
                for line in autogen.stderr_lines(false) {
                    p.out.stderr.push_str(&line);
                    p.out.stderr.push('\n');
                }
                Err(match failure {
                    HookFailure::Exception(text) => Failure::Exception(text),
                    HookFailure::Unsupported(text) => Failure::Failed(text),
                })
            }
        }
    }

    /// env.py's `process_revision_directives`, run as autogenerate ends;
    /// false when it emptied the directives.
    fn process_revision_directives(
        &self,
        p: &mut Printer,
        environment: &Environment,
        command_opts: &[(&str, OptValue)],
        directive: RevisionDirective,
    ) -> Result<bool, Failure> {
        let Some(hooks) = environment.hooks.as_ref().filter(|h| h.rewrites_revisions()) else { return Ok(true) };
        let g = &self.global;
        let mut opts = vec![
            ("config", if g.config.is_empty() { OptValue::None } else { OptValue::List(g.config.clone()) }),
            ("name", OptValue::Str(g.name.clone())),
            ("x", if g.x.is_empty() { OptValue::None } else { OptValue::List(g.x.clone()) }),
            ("raiseerr", OptValue::Bool(g.raiseerr)),
            ("quiet", OptValue::Bool(g.quiet)),
        ];
        opts.extend(command_opts.iter().map(|(k, v)| (*k, v.clone())));
        let kept = hooks.process_revision_directives(&opts, directive);
        p.stdout(&hooks.take_printed());
        kept.map_err(|failure| match failure {
            HookFailure::Exception(text) => Failure::Exception(text),
            HookFailure::Unsupported(text) => Failure::Failed(text),
        })
    }

    // ---------------------------------------------------------------- commands

    #[allow(clippy::too_many_arguments)]
    fn revision(
        &mut self,
        p: &mut Printer,
        message: Option<String>,
        autogenerate: bool,
        sql: bool,
        head: &str,
        splice: bool,
        branch_label: Option<String>,
        rev_id: Option<String>,
        depends_on: Vec<String>,
    ) -> Result<(), Failure> {
        if autogenerate && sql {
            return Err(Failure::Failed("Using --sql with --autogenerate does not make any sense".into()));
        }
        if sql {
            // env.py runs offline first, then the revision is written as usual.
            self.revision_environment_offline(p)?;
        }
        let scripts = self.load_scripts()?;
        // With --autogenerate, the parent is resolved only when the script is
        // generated, after the comparison has printed what it found.
        let parent = self.new_revision_parent(&scripts, head, splice);
        let parent = if autogenerate { parent } else { Ok(parent?) };
        let mut ops = None;
        if autogenerate {
            let (environment, mut conn) = self.open_environment(p)?;
            let autogen = self.autogenerate(p, &scripts, &environment, &conn);
            self.store(&environment, &mut conn);
            let (_, autogen) = autogen?;
            for line in autogen.stderr_lines(true) {
                p.out.stderr.push_str(&line);
                p.out.stderr.push('\n');
            }
            let command_opts = [
                ("message", message.clone().map_or(OptValue::None, OptValue::Str)),
                ("autogenerate", OptValue::Bool(true)),
                ("sql", OptValue::Bool(sql)),
                ("head", if head == "head" { OptValue::None } else { OptValue::Str(head.to_string()) }),
                ("splice", OptValue::Bool(splice)),
                ("branch_label", branch_label.clone().map_or(OptValue::None, OptValue::Str)),
                ("version_path", OptValue::None),
                ("rev_id", rev_id.clone().map_or(OptValue::None, OptValue::Str)),
                ("depends_on", if depends_on.is_empty() { OptValue::None } else { OptValue::List(depends_on.clone()) }),
            ];
            let directive = RevisionDirective {
                message: message.clone(),
                rev_id: rev_id.clone(),
                upgrade_ops: autogen.upgrade_ops.len(),
                downgrade_ops: autogen.upgrade_ops.len(),
            };
            if !self.process_revision_directives(p, &environment, &command_opts, directive)? {
                // The hook emptied `directives`: no revision to write.
                return Ok(());
            }
            ops = Some(autogen.upgrade_ops);
        }
        let down_revision = parent?;
        let rev = rev_id.unwrap_or_else(|| self.new_rev_id());
        let downgrade_ops = match &ops {
            Some(ops) => Some(reverse_ops(ops).map_err(|e| Failure::Failed(e.0))?),
            None => None,
        };
        self.write_revision(p, &rev, message, down_revision, branch_label.into_iter().collect(), depends_on, ops.map(|o| (o, downgrade_ops.unwrap_or_default())))
    }

    /// Renders a new revision file into the versions folder.
    #[allow(clippy::too_many_arguments)]
    fn write_revision(
        &mut self,
        p: &mut Printer,
        rev: &str,
        message: Option<String>,
        down_revision: Vec<String>,
        branch_labels: Vec<String>,
        depends_on: Vec<String>,
        ops: Option<(Vec<crate::engine::migrate::ops::Op>, Vec<crate::engine::migrate::ops::Op>)>,
    ) -> Result<(), Failure> {
        let create_date = parse_create_date(&self.ctx.host.now());
        let file_name = render::revision_file_name(
            &self.config.file_template,
            rev,
            message.as_deref(),
            &create_date,
            self.config.truncate_slug_length,
        )
        .map_err(|e| Failure::Exception(e.to_string()))?;
        let path = format!("{}/{file_name}", self.config.versions_dir());
        let (upgrade_ops, downgrade_ops) = match ops {
            Some((up, down)) => (Some(up), Some(down)),
            None => (None, None),
        };
        let text = render::render_script(&render::ScriptParams {
            revision: rev.to_string(),
            message,
            down_revision: down_revision.clone(),
            branch_labels,
            depends_on,
            create_date,
            upgrade_ops,
            downgrade_ops,
        });
        p.stdout(&format!("Generating {}/{path} ...  done\n", self.ctx.root));
        self.ctx.project.write(&path, text);
        // Alembic re-reads the versions folder after writing: a reused id now
        // loops back on itself.
        if down_revision.iter().any(|d| d == rev) {
            return Err(Failure::Failed(format!("Self-loop is detected in revisions ({rev})")));
        }
        Ok(())
    }

    /// The parent of a new revision: the current head, or `--head`.
    fn new_revision_parent(&self, scripts: &Scripts, head: &str, splice: bool) -> Result<Vec<String>, Failure> {
        let heads = scripts.map.heads();
        if head == "head" {
            return match heads.len() {
                0 | 1 => Ok(heads.to_vec()),
                _ => Err(Failure::Failed(
                    "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.".into(),
                )),
            };
        }
        if head == "base" {
            return Ok(Vec::new());
        }
        let resolved = scripts.map.resolve(&RevSpec::from(head)).map_err(|e| Failure::Command(CommandError::caught(e)))?;
        let mut parents = Vec::new();
        for r in resolved {
            if let graph::Resolved::Revision(r) = r {
                if !splice && !r.is_head() {
                    return Err(Failure::Failed(format!(
                        "Revision {} is not a head revision; please specify --splice to create a new branch from this revision",
                        r.id()
                    )));
                }
                parents.push(r.id().to_string());
            }
        }
        Ok(parents)
    }

    /// 12 random hex digits, like `uuid.uuid4().hex[-12:]`.
    fn new_rev_id(&mut self) -> String {
        format!("{:012x}", self.ctx.host.random_u64() & 0xffff_ffff_ffff)
    }

    fn migrate(&mut self, p: &mut Printer, direction: Direction, target: &str, sql: bool) -> Result<(), Failure> {
        if sql {
            return self.migrate_offline(p, direction, target);
        }
        graph::split_migration_target(direction, target, sql).map_err(Failure::Command)?;
        let scripts = self.load_scripts()?;
        let (environment, mut conn) = self.open_environment(p)?;
        // Alembic creates the version table before it works out the steps,
        // so even a failing target leaves an empty one behind.
        if let Err(e) = version_table::ensure(&conn) {
            self.store(&environment, &mut conn);
            return Err(Failure::Exception(format!("sqlite3.OperationalError: {e}")));
        }
        let heads = Self::current_heads(&conn)?;
        let plan = match direction {
            Direction::Up => scripts.map.upgrade_steps(&heads, target),
            Direction::Down => scripts.map.downgrade_steps(&heads, target),
        };
        let plan = match plan {
            Ok(plan) => plan,
            Err(e) => {
                self.store(&environment, &mut conn);
                print_warnings(p, &e.warnings);
                return Err(Failure::Command(e.error));
            }
        };
        print_warnings(p, &plan.warnings);
        let result = self.run_steps(p, &scripts, &conn, &plan.steps);
        self.store(&environment, &mut conn);
        result
    }

    fn run_steps(&mut self, p: &mut Printer, scripts: &Scripts, conn: &Connection, steps: &[graph::Step]) -> Result<(), Failure> {
        let mut table = version_table::VersionTable::open(conn, false)
            .map_err(|e| Failure::Exception(format!("sqlite3.OperationalError: {e}")))?;
        for step in steps {
            p.info("alembic.runtime.migration", &step.log_line());
            let (result, warnings) = env::run_step(conn, scripts, &mut table, step);
            for warning in warnings {
                p.out.stderr.push_str(&warning);
                if !warning.ends_with('\n') {
                    p.out.stderr.push('\n');
                }
            }
            match result {
                Ok(()) => {}
                Err(StepError::Failed(message)) => return Err(Failure::Failed(message)),
                Err(StepError::Apply(error)) => {
                    p.out.stdout.push_str(&error.stdout_text());
                    p.out.stderr.push_str(&error.python_error_text());
                    return Err(Failure::Printed(error.exit_code()));
                }
                Err(StepError::VersionTable(line)) => return Err(Failure::Exception(line)),
            }
        }
        Ok(())
    }

    fn check(&mut self, p: &mut Printer) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let (environment, mut conn) = self.open_environment(p)?;
        let result = (|| {
            let (database, autogen) = self.autogenerate(p, &scripts, &environment, &conn)?;
            let models = environment.target_metadata.as_ref().expect("compared, so env.py gave metadata");
            for line in autogen.stderr_lines(false) {
                p.out.stderr.push_str(&line);
                p.out.stderr.push('\n');
            }
            // `alembic check` runs env.py's hook too, with its own (shorter) command line.
            let directive = RevisionDirective { message: None, rev_id: None, upgrade_ops: autogen.upgrade_ops.len(), downgrade_ops: autogen.upgrade_ops.len() };
            if !self.process_revision_directives(p, &environment, &[], directive)? {
                return Err(Failure::Exception("IndexError: list index out of range".into()));
            }
            if autogen.is_empty() {
                p.stdout("No new upgrade operations detected.\n");
                Ok(())
            } else {
                Err(Failure::Failed(format!(
                    "New upgrade operations detected: {}",
                    compare::diffs_repr(&autogen.upgrade_ops, models, &database)
                )))
            }
        })();
        self.store(&environment, &mut conn);
        result
    }

    fn current(&mut self, p: &mut Printer, verbose: bool) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let (environment, mut conn) = self.open_environment(p)?;
        let heads = Self::current_heads(&conn)?;
        self.store(&environment, &mut conn);
        if verbose {
            p.stdout(&format!("Current revision(s) for {}:\n", self.url_for_display(&environment)));
        }
        let current = scripts.map.all_current(&heads).map_err(Failure::Command)?;
        for rev in current {
            if verbose {
                let longdoc = scripts.script(rev.id()).map(|s| long_doc(self.ctx, s)).unwrap_or_default();
                p.stdout(&format!("{}\n", rev.log_entry(&longdoc, false)));
            } else {
                // `Script.cmd_format(verbose)` with its defaults.
                p.stdout(&format!("{}\n", rev.line(LineFormat { include_branches: false, include_doc: false, include_parents: false, tree_indicators: true, current: false })));
            }
        }
        Ok(())
    }

    fn no_metadata_message(&self) -> String {
        env::no_metadata_message(self.ctx.root, &self.config)
    }

    fn url_for_display(&self, environment: &Environment) -> String {
        environment.url.clone().unwrap_or_default()
    }

    fn stamp(&mut self, p: &mut Printer, revisions: &[String], sql: bool, purge: bool) -> Result<(), Failure> {
        if sql {
            return self.stamp_offline(p, revisions, purge);
        }
        let scripts = self.load_scripts()?;
        let (environment, mut conn) = self.open_environment(p)?;
        let result = (|| {
            if purge {
                version_table::purge(&conn).map_err(|e| Failure::Exception(e.to_string()))?;
            }
            // As for upgrade: the table exists before the steps are chosen.
            version_table::ensure(&conn).map_err(|e| Failure::Exception(e.to_string()))?;
            let heads = Self::current_heads(&conn)?;
            let plan = match scripts.map.stamp_steps(&heads, revisions) {
                Ok(plan) => plan,
                Err(e) => {
                    print_warnings(p, &e.warnings);
                    return Err(Failure::Command(e.error));
                }
            };
            print_warnings(p, &plan.warnings);
            let mut table = version_table::VersionTable::open(&conn, false).map_err(|e| Failure::Exception(e.to_string()))?;
            for step in &plan.steps {
                p.info("alembic.runtime.migration", &step.log_line());
                table.apply_step(&scripts.map, step).map_err(|e| Failure::Exception(e.to_string()))?;
            }
            Ok(())
        })();
        self.store(&environment, &mut conn);
        result
    }

    fn history(&mut self, p: &mut Printer, rev_range: Option<&str>, verbose: bool, indicate_current: bool) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let (base, head) = match rev_range {
            Some(range) => match range.split_once(':') {
                Some((b, h)) => (b.to_string(), h.to_string()),
                None => return Err(Failure::Failed("History range requires [start]:[end], [start]:, or :[end]".into())),
            },
            None => (String::new(), String::new()),
        };
        // `current` in the range, or -i, needs the database: env.py runs.
        let mut current: Vec<String> = Vec::new();
        if indicate_current || base == "current" || head == "current" {
            let (environment, mut conn) = self.open_environment(p)?;
            current = Self::current_heads(&conn)?;
            self.store(&environment, &mut conn);
        }
        let spec = |s: &str, default: &str| -> RevSpec {
            match s {
                "" => RevSpec::from(default),
                "current" => RevSpec::Many(current.clone()),
                other => RevSpec::from(other),
            }
        };
        let base = spec(&base, "base");
        let head = spec(&head, "heads");
        let walked = scripts.map.walk_revisions(&base, &head).map_err(Failure::Command)?;
        for rev in walked {
            let is_current = indicate_current && current.iter().any(|c| c == rev.id());
            if verbose {
                let longdoc = scripts.script(rev.id()).map(|s| long_doc(self.ctx, s)).unwrap_or_default();
                p.stdout(&format!("{}\n", rev.log_entry(&longdoc, is_current)));
            } else {
                p.stdout(&format!(
                    "{}\n",
                    rev.line(LineFormat { include_branches: true, include_doc: true, include_parents: true, tree_indicators: true, current: is_current })
                ));
            }
        }
        Ok(())
    }

    fn heads(&mut self, p: &mut Printer, verbose: bool) -> Result<(), Failure> {
        let scripts = self.load_scripts_then(false)?;
        let heads: Vec<String> = scripts.map.heads().to_vec();
        for id in heads {
            let Ok(Some(rev)) = scripts.map.get(&id) else { continue };
            if verbose {
                let longdoc = scripts.script(rev.id()).map(|s| long_doc(self.ctx, s)).unwrap_or_default();
                p.stdout(&format!("{}\n", rev.log_entry(&longdoc, false)));
            } else {
                p.stdout(&format!(
                    "{}\n",
                    rev.line(LineFormat { include_branches: true, include_doc: false, include_parents: false, tree_indicators: false, current: false })
                ));
            }
        }
        Ok(())
    }

    fn show(&mut self, p: &mut Printer, rev: &str) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let spec = if rev == "current" {
            let (environment, mut conn) = self.open_environment(p)?;
            let heads = Self::current_heads(&conn)?;
            self.store(&environment, &mut conn);
            RevSpec::Many(heads)
        } else {
            RevSpec::from(rev)
        };
        for resolved in scripts.map.show(&spec).map_err(Failure::Command)? {
            if let graph::Resolved::Revision(r) = resolved {
                let longdoc = scripts.script(r.id()).map(|s| long_doc(self.ctx, s)).unwrap_or_default();
                p.stdout(&format!("{}\n", r.log_entry(&longdoc, false)));
            }
        }
        Ok(())
    }

    /// Branch points, each with the revisions it branches into.
    fn branches(&mut self, p: &mut Printer, verbose: bool) -> Result<(), Failure> {
        let scripts = self.load_scripts_then(false)?;
        let walked = scripts.map.walk_revisions(&RevSpec::from("base"), &RevSpec::from("heads")).map_err(Failure::Command)?;
        let short = |include_doc: bool| LineFormat { include_branches: true, include_doc, include_parents: false, tree_indicators: true, current: false };
        for rev in walked.into_iter().filter(|r| r.is_branch_point()) {
            let head = if verbose {
                let longdoc = scripts.script(rev.id()).map(|s| long_doc(self.ctx, s)).unwrap_or_default();
                rev.log_entry(&longdoc, false)
            } else {
                rev.line(short(false))
            };
            let pad = " ".repeat(rev.id().len());
            let branches: Vec<String> = rev
                .next_revisions()
                .iter()
                .filter_map(|id| scripts.map.get(id).ok().flatten())
                .map(|next| format!("{pad} -> {}", next.line(short(verbose))))
                .collect();
            p.stdout(&format!("{head}\n{}\n\n", branches.join("\n")));
        }
        Ok(())
    }

    /// `alembic merge REVS`: a new revision whose parents are the given heads.
    fn merge(
        &mut self,
        p: &mut Printer,
        revisions: &[String],
        message: Option<String>,
        branch_label: Option<String>,
        rev_id: Option<String>,
    ) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let spec = if revisions.len() == 1 { RevSpec::from(revisions[0].as_str()) } else { RevSpec::Many(revisions.to_vec()) };
        let mut parents = Vec::new();
        for resolved in scripts.map.resolve(&spec).map_err(|e| Failure::Command(CommandError::caught(e)))? {
            if let graph::Resolved::Revision(r) = resolved {
                parents.push(r.id().to_string());
            }
        }
        let rev = rev_id.unwrap_or_else(|| self.new_rev_id());
        self.write_revision(p, &rev, message, parents, branch_label.into_iter().collect(), Vec::new(), None)
    }

    /// `alembic edit REV`: the playground's editor opens the file.
    fn edit(&mut self, p: &mut Printer, rev: &str) -> Result<(), Failure> {
        let scripts = self.load_scripts()?;
        let spec = RevSpec::from(rev);
        let resolved = scripts.map.show(&spec).map_err(Failure::Command)?;
        let Some(graph::Resolved::Revision(r)) = resolved.first() else {
            return Err(Failure::Failed("No revision files indicated by symbol 'base'".into()));
        };
        let path = scripts.script(r.id()).map(|s| s.path.clone()).unwrap_or_default();
        p.stdout(&format!("Opening {}/{path} in the editor ...\n", self.ctx.root));
        Ok(())
    }

    fn ensure_version(&mut self, p: &mut Printer) -> Result<(), Failure> {
        let (environment, mut conn) = self.open_environment(p)?;
        version_table::ensure(&conn).map_err(|e| Failure::Exception(e.to_string()))?;
        self.store(&environment, &mut conn);
        Ok(())
    }
}

/// How a command stopped.
enum Failure {
    /// Alembic's `CommandError`.
    Failed(String),
    Command(CommandError),
    /// An uncaught Python exception: its last line(s).
    Exception(String),
    /// The error was already printed; exit with this code.
    Printed(i32),
}

/// Alembic's `UserWarning`s, as Python prints them on stderr.
fn print_warnings(p: &mut Printer, warnings: &[graph::Warning]) {
    for w in warnings {
        p.out.stderr.push_str(&format!(
            "<VENV>/lib/python3.11/site-packages/alembic/script/revision.py:{}: UserWarning: {}\n  util.warn(\n",
            w.line, w.message
        ));
    }
}

/// A problem in the project's Python as Python reports it when importing.
fn python_error(root: &str, d: &Diagnostic) -> String {
    format!("  File \"{root}/{}\", line {}, in <module>\n{}", d.file, d.line, d.message)
}

/// A script's whole docstring, stripped (`Script.longdoc`).
fn long_doc(ctx: &Context<'_>, script: &Script) -> String {
    let text = ctx.project.read_text(&script.path).unwrap_or_default();
    let start = text.find("\"\"\"").map(|i| i + 3);
    let doc = start.and_then(|s| text[s..].find("\"\"\"").map(|e| &text[s..s + e])).unwrap_or("");
    doc.trim().to_string()
}

/// `2026-11-22 05:40:01.123456` → the create date to render.
fn parse_create_date(now: &str) -> render::CreateDate {
    let digits: Vec<i64> = now.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    let get = |i: usize| digits.get(i).copied().unwrap_or(0);
    let days = crate::engine::host::days_from_civil(get(0), get(1), get(2));
    let seconds = days * 86_400 + get(3) * 3600 + get(4) * 60 + get(5);
    render::CreateDate::from_unix(seconds, get(6) as u32, None)
}

