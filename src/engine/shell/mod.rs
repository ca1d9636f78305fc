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
//! - Words arrive with their quotes already removed, so a quoted `"*"` is
//!   expanded like a bare one (except `find`'s `-name` patterns, always left
//!   to find), and a redirection must start a word (`echo a>b` prints `a>b`).
//!   There are no pipes, variables or background jobs.

mod copy;
mod files;
mod find;
mod fs;
mod glob;
mod ls;
mod misc;
mod nav;
mod options;
mod quoting;
mod redirect;

use crate::engine::host::Host;
use crate::engine::output::CommandOutput;
use crate::engine::project::Project;

pub use misc::CLEAR_SCREEN;

/// What the shell remembers between commands besides the current directory.
#[derive(Debug, Clone, Default)]
pub struct ShellState {
    /// The directory before the last `cd` (bash's `OLDPWD`), for `cd -`.
    previous_dir: Option<String>,
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
    /// What the command reads on standard input: a `< file`, or nothing.
    stdin: Option<String>,
}

impl<'a> Context<'a> {
    pub fn new(
        project: &'a mut Project,
        cwd: &'a mut String,
        state: &'a mut ShellState,
        root: &'a str,
        history: &'a [String],
        terminal: bool,
        host: &'a dyn Host,
    ) -> Self {
        Context { project, cwd, state, root, history, terminal, host, stdin: None }
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

    /// Expands one word as bash does before a command sees it: a leading `~`
    /// (home is the project folder), then globs.
    fn expand_word(&self, word: &str) -> Vec<String> {
        let word = match word.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{}{rest}", self.absolute("")),
            _ => word.to_string(),
        };
        glob::expand(self.project, self.root, self.cwd, &word)
    }
}

/// A shell command: its context and its (expanded) arguments in, what it printed out.
type Command = fn(&mut Context<'_>, &[String]) -> CommandOutput;

/// The shell command `name` stands for, if it is one.
fn command(name: &str, args: &[String]) -> Option<Command> {
    let is_pip_module = args.first().is_some_and(|a| a == "-m") && args.get(1).is_some_and(|m| m == "pip");
    Some(match name {
        "ls" => ls::ls,
        "cat" => files::cat,
        "rm" => files::rm,
        "rmdir" => files::rmdir,
        "mkdir" => files::mkdir,
        "touch" => files::touch,
        "cp" => copy::cp,
        "mv" => copy::mv,
        "find" => find::find,
        "cd" => nav::cd,
        "pwd" => nav::pwd,
        "echo" => misc::echo,
        "clear" => misc::clear,
        "help" => misc::help,
        "history" => misc::history,
        "which" => misc::which,
        "true" | ":" => misc::succeed,
        "false" => misc::fail,
        "exit" => misc::exit,
        "pip" | "pip3" => misc::install,
        "python" | "python3" if is_pip_module => misc::install,
        "uv" => misc::uv,
        _ => return None,
    })
}

/// Runs `name ARGS...` if it is a shell command; `None` leaves it to others.
pub fn run(ctx: &mut Context<'_>, name: &str, args: &[String]) -> Option<CommandOutput> {
    let command = command(name, args)?;
    Some(execute(ctx, name, command, args))
}

/// The arguments of `find` that are patterns for find itself. People quote
/// them (`-name "*.pyc"`), and the quotes are gone by the time words arrive
/// here, so they are never expanded by the shell.
const FIND_PATTERN_OPTIONS: &[&str] = &["-name", "-iname", "-path", "-ipath", "-wholename"];

fn execute(ctx: &mut Context<'_>, name: &str, command: Command, args: &[String]) -> CommandOutput {
    if args.iter().any(|a| a == "|") {
        return CommandOutput::error("bash: driftlab's terminal has no pipes (|): run the commands one at a time\n", 2);
    }
    let (words, redirections) = match redirect::split(args) {
        Ok(split) => split,
        Err(output) => return output,
    };
    let mut expanded = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let is_find_pattern = name == "find" && i > 0 && FIND_PATTERN_OPTIONS.contains(&words[i - 1].as_str());
        if is_find_pattern {
            expanded.push(word.clone());
        } else {
            expanded.extend(ctx.expand_word(word));
        }
    }
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
        for line in
            ["pip install alembic", "pip3 install sqlalchemy", "uv add alembic", "uv sync", "python -m pip install x"]
        {
            let out = s.run_line(line);
            assert_eq!(out.exit_code, 0, "{line}");
            assert!(out.stdout.contains("already installed"), "{line}: {out:?}");
        }
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
    fn find_patterns_are_left_for_find() {
        let mut s = session();
        s.run_line("touch a.pyc alembic/b.pyc");
        // Unquoted by the time it arrives, `*.pyc` would match a.pyc here.
        s.run_line("find . -name *.pyc -delete");
        assert!(!s.project.is_file("a.pyc") && !s.project.is_file("alembic/b.pyc"));
    }
}
