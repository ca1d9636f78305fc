//! The terminal's shell commands — `ls`, `cat`, `rm`, `cp`, `mv`, `mkdir`,
//! `touch`, `echo`, `cd`, `pwd`, `find` and friends — over the in-memory
//! project, printing what bash 5.2 and GNU coreutils 9.1 print (C.UTF-8
//! locale), with their exit codes. Before a command runs, its redirections are
//! performed and its words expanded (`~`, globs), as bash does.
//!
//! Choices where a real machine has more than driftlab:
//! - The project folder is the whole world: paths outside it (`/etc`, `..`
//!   from the root) fail with "Outside the project folder", and `cd` refuses
//!   to leave. The project folder is also home (`cd`, `~`).
//! - `ls -l` shows owner `learner learner`, modes `-rw-r--r--`/`drwxr-xr-x`,
//!   directories of 4096 bytes, and the Host clock's current time for every
//!   entry (the project keeps no times).
//! - `clear` prints [`CLEAR_SCREEN`], what `clear` prints for an xterm; the
//!   page can clear its scrollback when a command's stdout starts with it.
//! - Words arrive knowing which characters were quoted: only unquoted `*`,
//!   `?`, `[` glob and only an unquoted `~` is home, as in bash. There are
//!   no pipes, here-documents, command substitution or background jobs.
//! - Variables are bash's (`vars.rs`, expanded by `expand.rs` before any
//!   program runs, also `alembic`'s and `uvicorn`'s command lines): shell
//!   variables, `export`ed ones in every program's environment, `NAME=value
//!   command` for one command only.

mod copy;
mod expand;
mod files;
mod find;
mod fs;
mod glob;
mod ls;
mod misc;
mod nav;
mod options;
mod packages;
mod pip;
mod quoting;
pub(crate) mod redirect;
mod uv;
mod vars;

use crate::engine::environ::Environ;
use crate::engine::host::Host;
use crate::engine::output::CommandOutput;
use crate::engine::project::Project;
use crate::engine::shell_words::{Token, Word};

pub use expand::{expand_command, Assignment, Expanded};
pub use misc::CLEAR_SCREEN;
pub use vars::{env_invocation, is_name as is_variable_name, EnvInvocation, Variable, Variables};

/// What the shell remembers between commands besides the current directory.
#[derive(Debug, Clone)]
pub struct ShellState {
    /// The directory before the last `cd` (project-relative), for `cd -`.
    previous_dir: Option<String>,
    /// The shell's variables, exported or not.
    pub vars: Variables,
    /// How the last command ended (`$?`).
    pub last_status: i32,
}

impl ShellState {
    /// A login shell's state, home being `home`, in the directory `pwd` (absolute paths).
    pub fn new(home: &str, pwd: &str) -> ShellState {
        ShellState { previous_dir: None, vars: Variables::login(home, pwd), last_status: 0 }
    }
}

/// What a shell command works on.
pub struct Context<'a> {
    pub project: &'a mut Project,
    /// The current directory, project-relative ("" is the project root).
    pub cwd: &'a mut String,
    pub state: &'a mut ShellState,
    /// The project's absolute path, as `pwd` prints it.
    pub root: &'a str,
    /// Every line typed so far, for `history`.
    pub history: &'a [String],
    /// Whether standard output is a terminal (`ls` lays names out in columns).
    pub terminal: bool,
    /// The clock `ls -l` shows.
    pub host: &'a dyn Host,
    /// The environment the command runs with (`env`, `printenv`).
    pub environ: &'a Environ,
    /// What the command reads on standard input: a `< file`, or nothing.
    stdin: Option<String>,
}

impl<'a> Context<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        project: &'a mut Project,
        cwd: &'a mut String,
        state: &'a mut ShellState,
        root: &'a str,
        history: &'a [String],
        terminal: bool,
        host: &'a dyn Host,
        environ: &'a Environ,
    ) -> Self {
        Context { project, cwd, state, root, history, terminal, host, environ, stdin: None }
    }

    /// Resolves a path argument to a project path.
    fn locate(&self, arg: &str) -> Result<fs::Target, fs::Errno> {
        fs::locate(self.root, self.cwd, arg)
    }

    /// A project path as an absolute path, as `pwd` prints it.
    fn absolute(&self, path: &str) -> String {
        match (self.root.is_empty(), path.is_empty()) {
            (true, true) => "/".to_string(),
            (_, true) => self.root.to_string(),
            (_, false) => format!("{}/{path}", self.root),
        }
    }

    /// A leading unquoted `~` alone or before an unquoted `/` becomes home,
    /// the project folder (quoted, as bash takes the result).
    fn expand_tilde(&self, word: &Word) -> Word {
        let mut chars = word.chars().peekable();
        let is_home = chars.next() == Some(('~', false)) && matches!(chars.peek(), None | Some(('/', false)));
        if !is_home {
            return word.clone();
        }
        let home = self.absolute("");
        home.chars().map(|c| (c, true)).chain(chars).collect()
    }

    /// Expands one word as bash does before a command sees it: `~`, then globs.
    fn expand_word(&self, word: &Word) -> Vec<String> {
        glob::expand(self.project, self.root, self.cwd, &self.expand_tilde(word))
    }
}

/// A shell command: its context and its (expanded) arguments in, what it printed out.
type Command = fn(&mut Context<'_>, &[String]) -> CommandOutput;

/// The shell commands by name, as the terminal dispatches them.
const COMMANDS: &[(&str, Command)] = &[
    ("ls", ls::ls),
    ("cat", files::cat),
    ("rm", files::rm),
    ("rmdir", files::rmdir),
    ("mkdir", files::mkdir),
    ("touch", files::touch),
    ("cp", copy::cp),
    ("mv", copy::mv),
    ("find", find::find),
    ("cd", nav::cd),
    ("pwd", nav::pwd),
    ("echo", misc::echo),
    ("clear", misc::clear),
    ("help", misc::help),
    ("history", misc::history),
    ("which", misc::which),
    ("true", misc::succeed),
    (":", misc::succeed),
    ("false", misc::fail),
    ("exit", misc::exit),
    ("export", vars::export),
    ("unset", vars::unset),
    ("env", vars::env),
    ("printenv", vars::printenv),
    ("pip", pip::pip),
    ("pip3", pip::pip),
    ("uv", uv::uv),
];

/// The names of the shell commands (for Tab completion).
pub fn command_names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|(name, _)| *name)
}

/// The shell command `name` stands for, if it is one.
fn command(name: &str, args: &[String]) -> Option<Command> {
    let is_pip_module = args.first().is_some_and(|a| a == "-m") && args.get(1).is_some_and(|m| m == "pip");
    if matches!(name, "python" | "python3") && is_pip_module {
        return Some(pip::python_m_pip);
    }
    COMMANDS.iter().find(|(n, _)| *n == name).map(|(_, command)| *command)
}

/// Runs `name ARGS...` if it is a shell command; `None` leaves it to others.
/// The arguments are tokens as the line splitter read them.
pub fn run(ctx: &mut Context<'_>, name: &str, args: &[Token]) -> Option<CommandOutput> {
    let texts: Vec<String> = args.iter().map(|t| t.text().to_string()).collect();
    let command = command(name, &texts)?;
    Some(execute(ctx, command, args))
}

/// What the terminal says to a pipe or a background job, which it doesn't run.
pub fn refuse_pipes_and_jobs(args: &[Token]) -> Option<CommandOutput> {
    let operators = || args.iter().filter_map(|t| if let Token::Operator(op) = t { Some(op.as_str()) } else { None });
    if operators().any(|op| op == "|") {
        return Some(CommandOutput::error("bash: driftlab's terminal has no pipes (|): run the commands one at a time\n", 2));
    }
    if operators().any(|op| op == "&") {
        return Some(CommandOutput::error(
            "bash: driftlab's terminal has no background jobs (&): run the command without it\n",
            2,
        ));
    }
    None
}

fn execute(ctx: &mut Context<'_>, command: Command, args: &[Token]) -> CommandOutput {
    if let Some(refusal) = refuse_pipes_and_jobs(args) {
        return refusal;
    }
    let (words, redirections) = match redirect::split(args) {
        Ok(split) => split,
        Err(output) => return output,
    };
    let expanded: Vec<String> = words.iter().flat_map(|word| ctx.expand_word(word)).collect();
    let streams = match redirect::open(ctx, &redirections) {
        Ok(streams) => streams,
        Err(output) => return output,
    };
    let terminal = ctx.terminal;
    ctx.terminal = terminal && streams.stdout_is_screen();
    ctx.stdin = streams.stdin.clone();
    let output = command(ctx, &expanded);
    ctx.terminal = terminal;
    ctx.stdin = None;
    streams.deliver(ctx, output)
}

/// Formats a usage error in bash's builtin style (`bash: cd: -z: invalid option`).
fn builtin_error(message: String, exit_code: i32) -> CommandOutput {
    CommandOutput::error(format!("bash: {message}\n"), exit_code)
}

#[cfg(test)]
mod tests {
    //! What driftlab answers where a real machine has more (the oracle test
    //! compares everything else with real bash and coreutils).
    use crate::engine::output::CommandOutput;
    use crate::engine::project::Project;
    use crate::engine::session::Session;

    fn session() -> Session {
        let mut project = Project::new();
        for file in ["main.py", "models.py", "database.py", "alembic.ini", "todos.db", "alembic/env.py"] {
            project.write(file, "x\n");
        }
        project.create_dir_all("alembic/versions");
        Session::new(project)
    }

    #[test]
    fn the_page_lists_in_columns_and_files_get_one_name_per_line() {
        let mut s = session();
        assert_eq!(s.run_line("ls").stdout, "alembic  alembic.ini  database.py  main.py  models.py  todos.db\n");
        s.run_line("ls > listing.txt");
        assert_eq!(s.run_line("cat listing.txt").stdout.lines().count(), 7);
        s.set_terminal(false);
        assert_eq!(s.run_line("ls alembic").stdout, "env.py\nversions\n");
    }

    #[test]
    fn nothing_outside_the_project_is_reachable() {
        let mut s = session();
        let out = s.run_line("cd /etc");
        assert_eq!(out, CommandOutput::error("bash: cd: /etc: driftlab keeps you inside the project folder\n", 1));
        assert_eq!(s.run_line("cd ..").exit_code, 1);
        let out = s.run_line("ls /etc");
        assert_eq!(
            out.stderr,
            "ls: cannot access '/etc': Outside the project folder (driftlab has only the project's files)\n"
        );
        assert_eq!(out.exit_code, 2);
        assert_eq!(s.run_line("cat ../secret").exit_code, 1);
        let out = s.run_line("rm -rf /home/learner/todo-app");
        assert!(out.stderr.contains("driftlab keeps the project folder itself"), "{out:?}");
        assert!(s.project.is_file("main.py"));
    }

    #[test]
    fn home_is_the_project_folder() {
        let mut s = session();
        s.run_line("cd alembic/versions");
        assert_eq!(s.run_line("pwd").stdout, "/home/learner/todo-app/alembic/versions\n");
        assert_eq!(s.prompt(), "alembic/versions $ ");
        s.run_line("cd");
        assert_eq!(s.run_line("pwd").stdout, "/home/learner/todo-app\n");
        assert_eq!(s.run_line("ls ~/alembic").stdout, "env.py\tversions\n");
    }

    #[test]
    fn history_is_numbered_as_bash_numbers_it() {
        let mut s = session();
        s.run_line("ls");
        s.run_line("cd alembic");
        assert_eq!(s.run_line("history").stdout, "    1  ls\n    2  cd alembic\n    3  history\n");
        assert_eq!(s.run_line("history 1").stdout, "    4  history 1\n");
        assert_eq!(s.run_line("history x").stderr, "bash: history: x: numeric argument required\n");
    }

    #[test]
    fn playground_answers_for_installs_exit_help_and_clear() {
        let mut s = session();
        for line in ["pip install alembic", "pip3 install sqlalchemy", "python -m pip install Mako"] {
            let out = s.run_line(line);
            assert_eq!(out.exit_code, 0, "{line}");
            assert!(out.stdout.starts_with("Requirement already satisfied: "), "{line}: {out:?}");
        }
        // No pyproject.toml here, as in the starter project.
        assert_eq!(s.run_line("uv add alembic").exit_code, 2);
        assert!(s.run_line("python -m pip install x").stderr.contains("\ndriftlab: the playground has no network"));
        assert!(s.run_line("exit").stdout.contains("stays open"));
        assert!(s.run_line("help").stdout.contains("rm alembic/versions/*.py"));
        assert_eq!(s.run_line("clear").stdout, super::CLEAR_SCREEN);
        assert_eq!(s.run_line("which alembic").stdout, "/usr/local/bin/alembic\n");
        assert_eq!(s.run_line("uv run ls alembic").stdout, "env.py\tversions\n");
    }

    #[test]
    fn what_driftlab_lacks_says_so() {
        let mut s = session();
        let out = s.run_line("ls -x");
        assert_eq!(out, CommandOutput::error("ls: option '-x' is not available in driftlab (see 'help')\n", 2));
        assert_eq!(s.run_line("ls | grep main").exit_code, 2);
        assert_eq!(s.run_line("rm -i main.py").exit_code, 1);
        assert!(s.project.is_file("main.py"));
    }

    #[test]
    fn ls_long_shows_the_fixed_owner_and_the_host_clock() {
        let mut s = session();
        s.set_terminal(false);
        let out = s.run_line("ls -l main.py alembic");
        assert_eq!(
            out.stdout,
            "-rw-r--r-- 1 learner learner 2 Jan  1 00:00 main.py\n\n\
             alembic:\ntotal 8\n\
             -rw-r--r-- 1 learner learner    2 Jan  1 00:00 env.py\n\
             drwxr-xr-x 2 learner learner 4096 Jan  1 00:00 versions\n"
        );
    }

    #[test]
    fn words_given_as_argv_are_not_expanded_again() {
        let mut s = session();
        let words: Vec<String> = ["echo", "*.py", ">", "f", "~"].iter().map(|w| w.to_string()).collect();
        assert_eq!(s.run_words(&words).stdout, "*.py > f ~\n");
        assert!(!s.project.is_file("f"));
    }

    #[test]
    fn what_the_shell_does_not_do_says_so() {
        let mut s = session();
        for line in ["ls &", "cat << EOF", "cat <> main.py"] {
            let out = s.run_line(line);
            assert!(out.stderr.starts_with("bash: driftlab's terminal has no "), "{line}: {out:?}");
            assert_eq!(out.exit_code, 2, "{line}");
        }
    }
}
