//! A terminal session over a project: one command line in, stdout, stderr and
//! an exit code out, with state (current directory, an open `sqlite>` prompt)
//! kept between lines. The page's terminal and `driftlab shell` both drive it.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::alembic;
use super::completion::{self, Completion};
use super::db;
use super::environ::Environ;
use super::host::{FixedHost, Host};
use super::output::CommandOutput;
use super::project::{self, Project};
use super::saved::{LoadError, SavedSession};
use super::shell;
use super::shell_words::{self, Separator, Token, Word};
use super::sqlite_cli::{self, Flow, Interactive};
use super::undo::{UndoHistory, UndoInfo};
use super::webapp;

/// An open interactive `sqlite3` prompt.
struct SqlitePrompt {
    /// The database file it writes back to; `None` for a transient in-memory database.
    path: Option<String>,
    conn: Connection,
    shell: Interactive,
}

/// How the engine writes Python's install prefix in paths (warnings'
/// `.../site-packages/alembic/...`, pip's `Requirement already satisfied`):
/// the placeholder the oracle recordings use, replaced in what a session prints.
pub const VENV_PLACEHOLDER: &str = "<VENV>";

/// The system Python's prefix, where `which` finds `alembic` and `pip`.
pub const SYSTEM_PYTHON_PREFIX: &str = "/usr/local";

/// Python's prefix for a command run with `environ`: the active virtualenv, else the system's.
fn python_prefix_in(environ: &Environ) -> String {
    environ.get("VIRTUAL_ENV").filter(|v| !v.is_empty()).unwrap_or(SYSTEM_PYTHON_PREFIX).to_string()
}

/// The engine writes Python's install prefix as [`VENV_PLACEHOLDER`] (the
/// oracle's own placeholder); what the terminal shows, or a file receives, is the real one.
fn with_python_prefix(mut output: CommandOutput, environ: &Environ) -> CommandOutput {
    if output.stdout.contains(VENV_PLACEHOLDER) || output.stderr.contains(VENV_PLACEHOLDER) {
        let prefix = python_prefix_in(environ);
        output.stdout = output.stdout.replace(VENV_PLACEHOLDER, &prefix);
        output.stderr = output.stderr.replace(VENV_PLACEHOLDER, &prefix);
    }
    output
}

/// A project file's text as sqlite3's `.read` opens it (relative to `cwd`);
/// `None` for a missing file or a directory.
fn read_project_file(project: &Project, cwd: &str, name: &str) -> Option<String> {
    let path = project::resolve(cwd, name)?;
    project.read_text(&path)
}

pub struct Session {
    pub project: Project,
    cwd: String,
    /// What the shell keeps between lines: its variables (the environment
    /// programs get), `$?`, `cd -`'s previous directory.
    shell: shell::ShellState,
    sqlite: Option<SqlitePrompt>,
    history: Vec<String>,
    /// Whether a person types at a terminal (the page, `driftlab shell` on a
    /// tty). Interactive programs greet only a terminal, as real ones do.
    terminal: bool,
    /// The project's absolute path, as commands print paths.
    root: String,
    host: Box<dyn Host>,
    /// The app `uvicorn` runs until Ctrl+C (see `webapp`).
    web_app: Option<webapp::RunningApp>,
    /// The last shell command line and how it ended.
    last: Option<LastCommand>,
    /// Snapshots of the project before each command that changed it (see `undo`).
    undo: UndoHistory,
}

/// The last command line run at the shell prompt and how it ended (lines
/// typed into an open `sqlite>` prompt are not shell commands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCommand {
    pub line: String,
    pub output: CommandOutput,
    /// Its place in [`Session::history`].
    pub index: usize,
}

/// Where the page's project lives, as its commands print paths.
pub const DEFAULT_ROOT: &str = "/home/learner/todo-app";

/// The programs the session runs itself (the app's are `webapp`'s, the rest the shell's).
const PROGRAMS: &[&str] = &["sqlite3", "alembic"];

/// The modules `python -m` runs: `alembic` (here), `uvicorn` (`webapp`), `pip` (the shell).
pub const PYTHON_MODULES: &[&str] = &["alembic", "uvicorn", "pip"];

/// Every command the terminal runs, for Tab completion.
pub fn command_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> =
        PROGRAMS.iter().chain(webapp::PROGRAMS).copied().chain(shell::command_names()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

impl Session {
    pub fn new(project: Project) -> Self {
        Session {
            project,
            cwd: String::new(),
            shell: shell::ShellState::new(DEFAULT_ROOT, DEFAULT_ROOT),
            sqlite: None,
            history: Vec::new(),
            terminal: true,
            root: DEFAULT_ROOT.to_string(),
            host: Box::new(FixedHost::default()),
            web_app: None,
            last: None,
            undo: UndoHistory::default(),
        }
    }

    /// A copy to try something on without touching this session (a lesson
    /// check runs `alembic check` or `curl` there): same files, databases,
    /// directory and running app; no open `sqlite>` prompt; a fixed host.
    pub fn fork(&self) -> Session {
        Session {
            project: self.project.clone(),
            cwd: self.cwd.clone(),
            shell: self.shell.clone(),
            sqlite: None,
            history: self.history.clone(),
            terminal: false,
            root: self.root.clone(),
            host: Box::new(FixedHost::default()),
            web_app: self.web_app.clone(),
            last: self.last.clone(),
            undo: UndoHistory::disabled(),
        }
    }

    /// The last shell command line and how it ended.
    pub fn last_command(&self) -> Option<&LastCommand> {
        self.last.as_ref()
    }

    /// Forgets the lines typed so far (a lesson's start: its setup commands
    /// are not the learner's).
    pub fn forget_history(&mut self) {
        self.history.clear();
        self.last = None;
        self.undo.clear();
    }

    /// Sets the project's absolute path (the native CLI: the folder on disk);
    /// `HOME`, `PWD` and `OLDPWD` move with it.
    pub fn set_root(&mut self, root: impl Into<String>) {
        let root = root.into().trim_end_matches('/').to_string();
        for name in ["HOME", "PWD", "OLDPWD"] {
            let moved = self.shell.vars.get(name).and_then(|value| {
                let rest = value.strip_prefix(&self.root)?;
                (rest.is_empty() || rest.starts_with('/')).then(|| format!("{root}{rest}"))
            });
            if let Some(moved) = moved {
                self.shell.vars.set(name, &moved);
            }
        }
        self.root = root;
    }

    /// The environment a command typed now would run with: the exported variables.
    pub fn environment(&self) -> Environ {
        self.shell.vars.environ()
    }

    /// Exports a variable into the session's environment, as `export NAME=VALUE` would.
    pub fn export(&mut self, name: &str, value: &str) {
        self.shell.vars.set(name, value);
        self.shell.vars.set_exported(name, true);
    }

    /// Where Python and its packages live, as paths in output show it
    /// (`sys.prefix`): the active virtualenv (`VIRTUAL_ENV`), else the
    /// system Python that `which alembic` names (`/usr/local/bin/alembic`).
    pub fn python_prefix(&self) -> String {
        python_prefix_in(&self.environment())
    }

    fn with_python_prefix(&self, output: CommandOutput) -> CommandOutput {
        with_python_prefix(output, &self.environment())
    }

    /// Sets where the time and randomness come from.
    pub fn set_host(&mut self, host: Box<dyn Host>) {
        self.host = host;
    }

    /// Marks input as not coming from a terminal (banners are not printed).
    pub fn set_terminal(&mut self, terminal: bool) {
        self.terminal = terminal;
    }

    /// The prompt to show before the next line.
    pub fn prompt(&self) -> String {
        match &self.sqlite {
            Some(prompt) => prompt.shell.prompt().to_string(),
            None if self.cwd.is_empty() => "$ ".to_string(),
            None => format!("{} $ ", self.cwd),
        }
    }

    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The project's absolute path, as commands print paths.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// Every line typed so far, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Tab: how the word before `cursor` (a byte offset) in `line` completes,
    /// at the shell or at the `sqlite>` prompt. Reads only; never fails.
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        if let Some(prompt) = &self.sqlite {
            return completion::complete_sqlite(line, cursor, &sqlite_cli::table_names(&prompt.conn));
        }
        let commands = command_names();
        let variables: Vec<&str> = self.shell.vars.list().iter().map(|v| v.name.as_str()).collect();
        let ctx = completion::Context { project: &self.project, cwd: &self.cwd, root: &self.root, commands: &commands, variables: &variables };
        completion::complete_shell(&ctx, line, cursor)
    }

    /// Whether an interactive program (the `sqlite>` prompt) reads the next line.
    pub fn in_program(&self) -> bool {
        self.sqlite.is_some()
    }

    /// Runs one line typed at the prompt. A line that changes files or
    /// databases leaves an undo snapshot.
    pub fn run_line(&mut self, line: &str) -> CommandOutput {
        let output = self.recording(line, |s| s.run_line_unrecorded(line));
        self.with_python_prefix(output)
    }

    fn run_line_unrecorded(&mut self, line: &str) -> CommandOutput {
        if !line.trim().is_empty() {
            self.history.push(line.to_string());
        }
        if self.sqlite.is_some() {
            return self.feed_sqlite(line);
        }
        let result = self.run_shell_line(line);
        if !line.trim().is_empty() {
            self.last = Some(LastCommand { line: line.to_string(), output: result.clone(), index: self.history.len() - 1 });
        }
        result
    }

    fn run_shell_line(&mut self, line: &str) -> CommandOutput {
        let commands = match shell_words::split_commands(line) {
            Ok(commands) => commands,
            Err(e) => return CommandOutput::error(format!("{e}\n"), 2),
        };
        let mut result = CommandOutput::default();
        let mut skip = false;
        for command in commands {
            if !skip {
                let output = self.run_command(&command.tokens);
                result.append(output);
                if self.sqlite.is_some() {
                    // An interactive program now reads the terminal; the rest
                    // of the line would run after it exits, which we don't model.
                    break;
                }
            }
            skip = match command.then {
                Separator::Always => false,
                Separator::And => result.exit_code != 0,
                Separator::Or => result.exit_code == 0,
            };
        }
        self.reload_after_command(&mut result);
        result
    }

    /// Runs one command given as words (as a process receives its argv):
    /// no shell splitting or expansion, so `&&`, quotes, `*` and `>` are plain text here.
    pub fn run_words(&mut self, words: &[String]) -> CommandOutput {
        let output = self.recording(&shell_words::quote_line(words), |s| s.run_words_unrecorded(words));
        self.with_python_prefix(output)
    }

    fn run_words_unrecorded(&mut self, words: &[String]) -> CommandOutput {
        self.history.push(shell_words::quote_line(words));
        if self.sqlite.is_some() {
            return self.feed_sqlite(&words.join(" "));
        }
        let tokens: Vec<Token> = words.iter().map(|w| Token::Word(Word::literal(w))).collect();
        let mut result = self.dispatch(&tokens, &self.shell.vars.environ());
        self.shell.last_status = result.exit_code;
        self.reload_after_command(&mut result);
        self.last = Some(LastCommand { line: shell_words::quote_line(words), output: result.clone(), index: self.history.len() - 1 });
        result
    }

    /// End of input (Ctrl+D): leaves an open program, writing its database back.
    pub fn end_of_input(&mut self) -> CommandOutput {
        if let Some(mut prompt) = self.sqlite.take() {
            let opened = prompt.shell.settings.opened;
            self.store_database(&mut prompt, opened);
        }
        CommandOutput::default()
    }

    /// Runs one simple command as bash does: its words expanded, its
    /// `NAME=value` prefixes in its environment only (or, with no command,
    /// set in the shell); `$?` is how it ended.
    fn run_command(&mut self, tokens: &[Token]) -> CommandOutput {
        let output = match shell::expand_command(&self.shell, &self.root, tokens) {
            Err(output) => output,
            Ok(expanded) if expanded.has_command() => {
                let mut scope = self.shell.vars.clone();
                for assignment in &expanded.assignments {
                    assignment.apply(&mut scope);
                    scope.set_exported(&assignment.name, true);
                }
                self.dispatch(&expanded.tokens, &scope.environ())
            }
            Ok(expanded) => {
                for assignment in &expanded.assignments {
                    assignment.apply(&mut self.shell.vars);
                }
                // Redirections alone still open their files (`> f` creates f).
                let redirections = [vec![Token::Word(Word::literal(":"))], expanded.tokens].concat();
                let environ = self.shell.vars.environ();
                if redirections.len() > 1 {
                    self.dispatch(&redirections, &environ)
                } else {
                    CommandOutput::default()
                }
            }
        };
        self.shell.last_status = output.exit_code;
        output
    }

    /// Runs an expanded command (words as its argv, and redirections) with `environ`.
    fn dispatch(&mut self, tokens: &[Token], environ: &Environ) -> CommandOutput {
        let words: Vec<String> = tokens.iter().map(|t| t.text().to_string()).collect();
        let Some((name, args)) = words.split_first() else {
            return CommandOutput::default();
        };
        match (name.as_str(), args.first().map(String::as_str)) {
            // `uv run CMD ...` and `python -m alembic ...`, as the guides write them.
            ("uv", Some("run")) if args.len() > 1 => return self.dispatch(&tokens[2..], environ),
            ("python" | "python3", Some("-m")) if args.get(1).is_some_and(|m| m == "alembic") => {
                return self.dispatch(&tokens[2..], environ)
            }
            // `env [NAME=value]... COMMAND`: the command in that environment.
            ("env", _) => {
                let invocation = shell::env_invocation(args).unwrap_or_default();
                if let Some(at) = invocation.command {
                    let program = &args[at];
                    if !command_names().contains(&program.as_str()) {
                        return CommandOutput::error(format!("env: ‘{program}’: No such file or directory\n"), 127);
                    }
                    return self.dispatch(&tokens[1 + at..], &invocation.apply(environ));
                }
            }
            _ => {}
        }
        let program = webapp::handles(name, args) || matches!(name.as_str(), "sqlite3" | "alembic");
        if program && tokens.iter().any(|t| matches!(t, Token::Operator(_))) {
            return self.redirected(tokens, environ);
        }
        if webapp::handles(name, args) {
            return self.run_webapp(name, args, environ);
        }
        match name.as_str() {
            "sqlite3" => self.sqlite3(args, None),
            "alembic" => {
                let mut ctx = alembic::Context {
                    project: &mut self.project,
                    cwd: &self.cwd,
                    root: &self.root,
                    host: self.host.as_mut(),
                    environ,
                };
                alembic::run(&mut ctx, args)
            }
            other => {
                let mut ctx = self.shell_context(environ);
                shell::run(&mut ctx, other, &tokens[1..])
                    .unwrap_or_else(|| CommandOutput::error(format!("bash: {other}: command not found\n"), 127))
            }
        }
    }

    /// A program (`alembic`, `sqlite3`, `uvicorn`, ...) with the line's
    /// redirections around it, as bash performs them: the files opened
    /// first, then the program run on its words, then its output routed
    /// (`alembic upgrade head --sql > migration.sql`). The shell's own
    /// commands do the same in `shell::run`.
    fn redirected(&mut self, tokens: &[Token], environ: &Environ) -> CommandOutput {
        if let Some(refusal) = shell::refuse_pipes_and_jobs(tokens) {
            return refusal;
        }
        let (words, redirections) = match shell::redirect::split(tokens) {
            Ok(split) => split,
            Err(output) => return output,
        };
        let streams = {
            let mut ctx = self.shell_context(environ);
            match shell::redirect::open(&mut ctx, &redirections) {
                Ok(streams) => streams,
                Err(output) => return output,
            }
        };
        let plain: Vec<Token> = words.into_iter().map(Token::Word).collect();
        let output = match (plain.split_first(), streams.stdin.as_deref()) {
            // sqlite3 reads its input from stdin; alembic, uvicorn, curl... don't read it.
            (Some((name, args)), Some(input)) if name.text() == "sqlite3" => {
                let args: Vec<String> = args.iter().map(|t| t.text().to_string()).collect();
                self.sqlite3(&args, Some(input))
            }
            _ => self.dispatch(&plain, environ),
        };
        // A program's output goes to files as the terminal would show it.
        let output = with_python_prefix(output, environ);
        let mut ctx = self.shell_context(environ);
        streams.deliver(&mut ctx, output)
    }

    fn shell_context<'s>(&'s mut self, environ: &'s Environ) -> shell::Context<'s> {
        shell::Context::new(
            &mut self.project,
            &mut self.cwd,
            &mut self.shell,
            &self.root,
            &self.history,
            self.terminal,
            self.host.as_ref(),
            environ,
        )
    }

    /// `sqlite3 ARGS`, with `stdin` when its input is not the terminal
    /// (`< script.sql`, `<<< "SQL"`): SQL arguments run and the input is
    /// left unread; without them the input is read as a script; with
    /// neither the `sqlite>` prompt opens.
    fn sqlite3(&mut self, args: &[String], stdin: Option<&str>) -> CommandOutput {
        let invocation = match sqlite_cli::parse_invocation(args) {
            Ok(invocation) => invocation,
            Err(output) => return output,
        };
        let path = match &invocation.file {
            Some(file) => match self.database_path(file) {
                Ok(path) => Some(path),
                Err(output) => return output,
            },
            None => None,
        };
        let bytes = path.as_deref().and_then(|p| self.project.read(p)).unwrap_or_default().to_vec();
        let conn = match db::open(&bytes) {
            Ok(conn) => conn,
            Err(e) => return CommandOutput::error(format!("Error: {e}\n"), 1),
        };
        let mut prompt = SqlitePrompt { path, conn, shell: Interactive::new(invocation.settings.clone()) };
        let mut settings = invocation.settings;
        if let (Some(text), true) = (stdin, invocation.inputs.is_empty()) {
            let (project, cwd) = (&self.project, &self.cwd);
            let read_file = |name: &str| read_project_file(project, cwd, name);
            let output = sqlite_cli::run_script(&prompt.conn, &mut settings, text, &read_file);
            self.store_database(&mut prompt, settings.opened);
            return output;
        }
        if invocation.inputs.is_empty() {
            let mut greeting = String::new();
            if self.terminal {
                greeting.push_str(&sqlite_cli::banner());
                if prompt.path.is_none() {
                    greeting.push_str(
                        "Connected to a transient in-memory database.\n\
                         Use \".open FILENAME\" to reopen on a persistent database.\n",
                    );
                }
            }
            self.sqlite = Some(prompt);
            return CommandOutput::ok(greeting);
        }
        let (project, cwd) = (&self.project, &self.cwd);
        let read_file = |name: &str| read_project_file(project, cwd, name);
        let output = sqlite_cli::run_batch(&prompt.conn, &mut settings, &invocation.inputs, &read_file);
        self.store_database(&mut prompt, settings.opened);
        output
    }

    /// Resolves a database file argument; the CLI's error when it can't be opened.
    fn database_path(&self, file: &str) -> Result<String, CommandOutput> {
        let cant_open = || {
            CommandOutput::error(
                format!("Error: unable to open database \"{file}\": unable to open database file\n"),
                1,
            )
        };
        let path = project::resolve(&self.cwd, file).ok_or_else(cant_open)?;
        let parent = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        if path.is_empty() || self.project.is_dir(&path) || !self.project.is_dir(parent) {
            return Err(cant_open());
        }
        Ok(path)
    }

    fn feed_sqlite(&mut self, line: &str) -> CommandOutput {
        let Some(mut prompt) = self.sqlite.take() else {
            return CommandOutput::default();
        };
        let (project, cwd) = (&self.project, &self.cwd);
        let read_file = |name: &str| read_project_file(project, cwd, name);
        let (output, flow) = prompt.shell.feed(&prompt.conn, line, &read_file);
        if prompt.conn.is_autocommit() {
            let opened = prompt.shell.settings.opened;
            self.store_database(&mut prompt, opened);
        }
        if flow == Flow::Continue {
            self.sqlite = Some(prompt);
        } else {
            // The program has exited: `$?` is its status.
            self.shell.last_status = output.exit_code;
        }
        output
    }

    /// Writes the database bytes back into the project when they changed. A
    /// missing database file is created only if the input `opened` it, as the CLI
    /// opens one only when input needs it.
    fn store_database(&mut self, prompt: &mut SqlitePrompt, opened: bool) {
        let Some(path) = &prompt.path else { return };
        if !opened && !self.project.is_file(path) {
            return;
        }
        if let Ok(bytes) = db::to_bytes(&mut prompt.conn) {
            if self.project.read(path) != Some(bytes.as_slice()) {
                self.project.write(path, bytes);
            }
        }
    }
}

// ------------------------------------------------- keeping and undoing (saved, undo)

impl Session {
    /// Runs a line, recording the project as it was before when the line changed it.
    fn recording(&mut self, line: &str, run: impl FnOnce(&mut Self) -> CommandOutput) -> CommandOutput {
        let cwd = self.cwd.clone();
        let lines_before = self.history.len();
        self.undo.sync(&self.project);
        let output = run(self);
        let index = (self.history.len() > lines_before).then(|| self.history.len() - 1);
        self.undo.record(&self.project, index, line, cwd);
        output
    }

    /// The snapshots kept for undo, and their limits.
    pub fn undo_history(&self) -> &UndoHistory {
        &self.undo
    }

    /// Keeps at most `snapshots` snapshots and `bytes` of contents only they
    /// hold (`0` snapshots: records none). Forgets those kept so far.
    pub fn set_undo_limits(&mut self, snapshots: usize, bytes: usize) {
        self.undo = UndoHistory::new(snapshots, bytes);
    }

    /// Brings the project back to what it was before the last command that
    /// changed it: files, databases and the current directory.
    pub fn undo_last(&mut self) -> Result<UndoInfo, String> {
        self.restore_snapshot(None)
    }

    /// Brings the project back to what it was before command `index` (its
    /// place in [`Session::history`]), forgetting the snapshots after it.
    pub fn restore_before(&mut self, index: usize) -> Result<UndoInfo, String> {
        self.restore_snapshot(Some(index))
    }

    fn restore_snapshot(&mut self, index: Option<usize>) -> Result<UndoInfo, String> {
        if self.sqlite.is_some() {
            return Err("Leave the sqlite3 prompt first (type .quit), then undo.".to_string());
        }
        let mut info = self.undo.restore(&mut self.project, &mut self.cwd, index)?;
        let pwd = if self.cwd.is_empty() { self.root.clone() } else { format!("{}/{}", self.root, self.cwd) };
        self.shell.vars.set("PWD", &pwd);
        // A `--reload` app sees the restored files as any change.
        let environ = self.shell.vars.environ();
        let mut env = webapp::Env { project: &mut self.project, cwd: &self.cwd, root: &self.root, host: self.host.as_mut(), environ: &environ };
        info.app_output = webapp::reload_if_changed(&mut env, &mut self.web_app).unwrap_or_default();
        self.undo.sync(&self.project);
        Ok(info)
    }

    /// The session as the page keeps it across reloads (add the terminal,
    /// lesson progress and layout with `SavedSession::with_*`).
    pub fn save(&self) -> SavedSession {
        SavedSession::new(&self.project, &self.cwd, &self.history, self.last.as_ref())
            .with_variables(self.shell.vars.list().to_vec())
    }

    /// Puts a saved session back: files, databases, directories, the current
    /// directory, the shell's variables, the lines typed and the last
    /// command. As after a reload, no `sqlite>` prompt is open and no app
    /// runs; the undo snapshots start afresh. A session saved before
    /// driftlab kept variables gets a fresh login shell's. Nothing changes
    /// when the saved session can't be loaded.
    pub fn restore(&mut self, saved: SavedSession) -> Result<(), LoadError> {
        let project = saved.to_project()?;
        if !project.is_dir(&saved.cwd) {
            return Err(LoadError::Invalid(format!("the current directory {:?} is not a folder of the project", saved.cwd)));
        }
        if saved.last_command.as_ref().is_some_and(|last| last.index >= saved.history.len()) {
            return Err(LoadError::Invalid("a last command outside the history".to_string()));
        }
        self.project = project;
        self.cwd = saved.cwd;
        self.history = saved.history;
        self.last = saved.last_command;
        self.sqlite = None;
        self.web_app = None;
        let pwd = if self.cwd.is_empty() { self.root.clone() } else { format!("{}/{}", self.root, self.cwd) };
        self.shell = shell::ShellState::new(&self.root, &pwd);
        if let Some(variables) = saved.variables {
            self.shell.vars = shell::Variables::from_list(variables);
            self.shell.vars.set("PWD", &pwd);
        }
        let (snapshots, bytes) = self.undo.limits();
        self.undo = UndoHistory::new(snapshots, bytes);
        Ok(())
    }
}

// ------------------------------------------------------------ the running app

impl Session {
    /// The app `uvicorn` started, while it runs: for the page's status line.
    pub fn app_status(&self) -> Option<webapp::AppStatus> {
        self.web_app.as_ref().map(webapp::RunningApp::status)
    }

    /// Ctrl+C: stops the running app; what its terminal prints as it shuts down.
    pub fn interrupt(&mut self) -> CommandOutput {
        let output = webapp::interrupt(&mut self.web_app);
        self.with_python_prefix(output)
    }

    /// Files were saved outside a command (the page's editor): an app run
    /// with `--reload` restarts if a watched `.py` file changed. `paths` are
    /// the saved files; the watcher compares every `.py` file anyway.
    pub fn files_changed(&mut self, paths: &[String]) -> CommandOutput {
        let _ = paths;
        let environ = self.shell.vars.environ();
        let mut env = webapp::Env { project: &mut self.project, cwd: &self.cwd, root: &self.root, host: self.host.as_mut(), environ: &environ };
        let printed = webapp::reload_if_changed(&mut env, &mut self.web_app).unwrap_or_default();
        self.with_python_prefix(CommandOutput { stdout: String::new(), stderr: printed, exit_code: 0 })
    }

    fn run_webapp(&mut self, name: &str, args: &[String], environ: &Environ) -> CommandOutput {
        let mut env = webapp::Env { project: &mut self.project, cwd: &self.cwd, root: &self.root, host: self.host.as_mut(), environ };
        webapp::run_command(&mut env, &mut self.web_app, name, args)
    }

    /// A command changed `.py` files (`alembic revision`, `rm`, ...): a
    /// `--reload` app restarts, and its terminal's lines join the output, marked.
    fn reload_after_command(&mut self, result: &mut CommandOutput) {
        let environ = self.shell.vars.environ();
        let mut env = webapp::Env { project: &mut self.project, cwd: &self.cwd, root: &self.root, host: self.host.as_mut(), environ: &environ };
        if let Some(printed) = webapp::reload_if_changed(&mut env, &mut self.web_app) {
            result.stderr.extend(printed.lines().map(|l| format!("{}{l}\n", webapp::APP_LOG_MARKER)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;

    fn session() -> Session {
        Session::new(starter::project())
    }

    #[test]
    fn unknown_command_is_bash_127() {
        let out = session().run_line("frobnicate --now");
        assert_eq!(out, CommandOutput::error("bash: frobnicate: command not found\n", 127));
    }

    #[test]
    fn and_chain_stops_at_the_first_failure() {
        let out = session().run_line("nope && sqlite3 todos.db 'select 1'");
        assert_eq!(out.exit_code, 127);
        assert_eq!(out.stdout, "");
        let out = session().run_line("nope || sqlite3 todos.db 'select 1'");
        assert_eq!((out.stdout.as_str(), out.exit_code), ("1\n", 0));
    }

    #[test]
    fn interactive_prompt_keeps_settings_and_reads_multi_line_statements() {
        let mut s = session();
        let greeting = s.run_line("sqlite3 todos.db");
        assert!(greeting.stdout.starts_with("SQLite version 3."), "{greeting:?}");
        assert_eq!(s.prompt(), "sqlite> ");
        assert_eq!(s.run_line(".headers on"), CommandOutput::default());
        assert_eq!(s.run_line("select 1 as a,"), CommandOutput::default());
        assert_eq!(s.prompt(), "   ...> ");
        assert_eq!(s.run_line(" 2 as b;").stdout, "a|b\n1|2\n");
        let err = s.run_line("selec 1;");
        assert_eq!(err.stderr, "Parse error: near \"selec\": syntax error\n  selec 1;\n  ^--- error here\n");
        s.run_line("create table t(a integer primary key);");
        let dup = s.run_line("insert into t values (1), (1);");
        assert_eq!(dup.stderr, "Runtime error: UNIQUE constraint failed: t.a (19)\n");
        s.run_line(".quit");
        assert_eq!(s.prompt(), "$ ");
        // Written back as it went, and the failed insert changed nothing.
        let out = s.run_line("sqlite3 todos.db 'select count(*) from t'");
        assert_eq!(out.stdout, "0\n");
    }

    #[test]
    fn a_failing_statement_changes_nothing() {
        let mut s = session();
        s.run_line("sqlite3 todos.db 'create table t(a integer primary key, b text not null)'");
        let before = s.project.read("todos.db").unwrap().to_vec();
        let out = s.run_line("sqlite3 todos.db \"insert into t(a) values (1)\"");
        assert_eq!(out.exit_code, 19);
        assert_eq!(s.project.read("todos.db").unwrap(), before.as_slice());
    }

    #[test]
    fn opening_a_missing_database_creates_an_empty_file() {
        let mut s = session();
        s.run_line("sqlite3 other.db .tables");
        assert_eq!(s.project.read("other.db"), Some(&[][..]));
        let out = s.run_line("sqlite3 missing/dir.db .tables");
        assert_eq!(out.stderr, "Error: unable to open database \"missing/dir.db\": unable to open database file\n");
    }

    #[test]
    fn sqlite3_reads_a_script_from_stdin_and_other_programs_ignore_it() {
        let mut s = session();
        s.set_terminal(true);
        s.run_line("echo 'create table t(a);\ninsert into t values (1);' > x.sql");
        // Redirected input is not the terminal: no banner, no prompt left open.
        let out = s.run_line("sqlite3 todos.db < x.sql");
        assert_eq!(out, CommandOutput::default());
        assert_eq!(s.prompt(), "$ ");
        assert_eq!(s.run_line("sqlite3 todos.db <<< 'select count(*) from t;'").stdout, "1\n");
        let failed = s.run_line("sqlite3 todos.db <<< 'select * from nope;'");
        assert_eq!((failed.stderr.as_str(), failed.exit_code), ("Parse error near line 1: no such table: nope\n", 1));
        // `.read` at the prompt reads a project file relative to the current directory.
        s.run_line("sqlite3 todos.db");
        s.run_line(".read x.sql");
        assert_eq!(s.run_line("select count(*) from t;").stdout, "2\n");
        assert_eq!(s.run_line(".read nope.sql").stderr, "Error: cannot open \"nope.sql\"\n");
        s.run_line(".quit");
        assert_eq!(s.run_line("alembic current < x.sql"), s.run_line("alembic current"));
        assert_eq!(s.run_line("alembic current <<< 'upgrade head'"), s.run_line("alembic current"));
        // The file must still open, as bash opens it before the program runs.
        let missing = s.run_line("alembic current < nope.sql");
        assert_eq!((missing.stderr.as_str(), missing.exit_code), ("bash: nope.sql: No such file or directory\n", 1));
    }

    #[test]
    fn uv_run_and_python_m_prefixes_run_the_tool() {
        let mut s = session();
        assert_eq!(s.run_line("uv run alembic --version").stdout, "alembic 1.20.1\n");
        assert_eq!(s.run_line("python -m alembic --version").stdout, "alembic 1.20.1\n");
        assert_eq!(s.run_line("uv run sqlite3 todos.db 'select 1'").stdout, "1\n");
    }

    #[test]
    fn every_completed_command_runs() {
        // Guards the completion list against naming commands the terminal doesn't run.
        for name in command_names() {
            let out = session().run_line(&format!("{name} --help"));
            assert!(!out.stderr.contains("command not found"), "{name}: {out:?}");
        }
        for module in PYTHON_MODULES {
            let out = session().run_line(&format!("python -m {module} --help"));
            assert!(!out.stderr.contains("command not found") && !out.stderr.contains("No module"), "{module}: {out:?}");
        }
    }

    #[test]
    fn last_command_is_the_last_shell_line_and_fork_leaves_the_session_alone() {
        let mut s = session();
        s.run_line("nope");
        s.run_line("sqlite3 todos.db");
        s.run_line("create table t(a);");
        let last = s.last_command().unwrap();
        assert_eq!((last.line.as_str(), last.output.exit_code, last.index), ("sqlite3 todos.db", 0, 1));
        s.run_line(".quit");
        let mut fork = s.fork();
        assert_eq!(fork.run_line("rm todos.db").exit_code, 0);
        assert!(s.project.is_file("todos.db") && !fork.project.is_file("todos.db"));
        assert_eq!(s.last_command().unwrap().line, "sqlite3 todos.db");
        s.forget_history();
        assert!(s.history().is_empty() && s.last_command().is_none());
    }

    #[test]
    fn exported_variables_reach_programs_and_prefixes_reach_one_command() {
        let mut s = session();
        assert_eq!(s.run_line("echo $HOME $USER").stdout, "/home/learner/todo-app learner\n");
        s.run_line("DATABASE_URL=sqlite:///./a.db");
        assert_eq!(s.environment().get("DATABASE_URL"), None, "not exported");
        assert_eq!(s.run_line("uv run env DATABASE_URL=x printenv DATABASE_URL").stdout, "x\n");
        s.run_line("export DATABASE_URL");
        assert_eq!(s.environment().get("DATABASE_URL"), Some("sqlite:///./a.db"));
        assert_eq!(s.run_line("DATABASE_URL=b printenv DATABASE_URL; printenv DATABASE_URL").stdout, "b\nsqlite:///./a.db\n");
        // `$?` is the last command's status, also across lines.
        s.run_line("nope");
        assert_eq!(s.run_line("echo $?").stdout, "127\n");
        // A fork (lesson checks) has the same variables.
        assert_eq!(s.fork().run_line("printenv DATABASE_URL").stdout, "sqlite:///./a.db\n");
        s.run_line("cd nowhere");
        s.project.create_dir_all("app");
        s.run_line("cd app");
        assert_eq!(s.run_line("echo $PWD $OLDPWD").stdout, "/home/learner/todo-app/app /home/learner/todo-app\n");
    }

    #[test]
    fn a_running_app_keeps_the_environment_it_started_with() {
        let mut s = session();
        s.run_line("DATABASE_URL=sqlite:///./first.db uvicorn main:app --reload");
        assert!(s.project.is_file("first.db"), "the app created its database where DATABASE_URL says");
        s.run_line("export DATABASE_URL=sqlite:///./second.db");
        // A reload's server process inherits the reloader's environment.
        s.project.write("main.py", format!("{}\n", s.project.read_text("main.py").unwrap()));
        let reloaded = s.files_changed(&["main.py".to_string()]);
        assert!(reloaded.stderr.contains("Reloading..."), "{reloaded:?}");
        assert!(s.run_line("curl -s localhost:8000/todos").stdout.contains("Learn FastAPI"));
        assert!(!s.project.is_file("second.db"));
        s.interrupt();
        s.run_line("uvicorn main:app");
        assert!(s.project.is_file("second.db"));
    }

    #[test]
    fn variables_are_saved_and_old_saves_get_a_login_shell() {
        let mut s = session();
        s.run_line("export DATABASE_URL=sqlite:///./staging.db; LOCAL=1");
        let json = s.save().to_json().unwrap();
        let mut restored = session();
        restored.restore(SavedSession::from_json(&json).unwrap()).unwrap();
        assert_eq!(restored.run_line("printenv DATABASE_URL; echo $LOCAL").stdout, "sqlite:///./staging.db\n1\n");
        // A save from before driftlab kept variables.
        let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
        old.as_object_mut().unwrap().remove("variables");
        let mut restored = session();
        restored.restore(SavedSession::from_json(&old.to_string()).unwrap()).unwrap();
        assert_eq!(restored.run_line("printenv DATABASE_URL").exit_code, 1);
        assert_eq!(restored.run_line("printenv HOME").stdout, "/home/learner/todo-app\n");
        // Names a shell would refuse are refused.
        old["variables"] = serde_json::json!([{ "name": "A B", "value": "1", "exported": true }]);
        assert!(matches!(SavedSession::from_json(&old.to_string()), Err(LoadError::Invalid(_))));
    }

    #[test]
    fn run_words_does_not_split_again() {
        let mut s = session();
        let words: Vec<String> = ["sqlite3", "todos.db", "select 'a && b'"].iter().map(|w| w.to_string()).collect();
        assert_eq!(s.run_words(&words).stdout, "a && b\n");
        assert_eq!(s.history().last().unwrap(), "sqlite3 todos.db 'select '\\''a && b'\\'''");
    }
}
