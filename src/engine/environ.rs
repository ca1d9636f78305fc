//! Environment variables as a process receives them, and what the project's
//! Python code sees through `os.environ`.
//!
//! The shell (`shell::vars`) decides which variables a command gets: its
//! exported variables and the command's own `NAME=value` prefixes, as an
//! [`Environ`]. Every program the session runs gets that value in its
//! context (`alembic::Context`, `webapp::Env`, `shell::Context`); a running
//! `uvicorn` keeps the one it started with. Whatever reads Python code
//! (`models`, `app`, `webapp`) asks a [`PythonEnv`] built from it, so there
//! is one rule for `os.getenv("X")`, `os.environ["X"]`, `os.environ.get`,
//! pydantic settings fields and env.py's `context.get_x_argument()`:
//!
//! - a variable of the process's environment wins;
//! - else the project's `.env` file, as python-dotenv's `load_dotenv()`
//!   (`override=False`) and pydantic-settings' `env_file` read it (the
//!   playground takes `.env` as loaded wherever it exists);
//! - else the variable is not set.

use std::collections::BTreeMap;

use super::models::parse_dotenv;
use super::project::Project;

/// The environment variables of one process, in the order `environ` lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environ {
    vars: Vec<(String, String)>,
}

impl Environ {
    /// The value of `name`, if it is set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Sets `name` (in place when it is already set, else at the end, as `setenv` does).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.vars.push((name.to_string(), value.to_string())),
        }
    }

    /// Removes `name` (`unsetenv`).
    pub fn remove(&mut self, name: &str) {
        self.vars.retain(|(n, _)| n != name);
    }

    /// Every variable, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Environ {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(pairs: I) -> Environ {
        let mut environ = Environ::default();
        for (name, value) in pairs {
            environ.set(&name.into(), &value.into());
        }
        environ
    }
}

/// Where a variable Python code reads was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarSource {
    /// The process's environment (`export NAME=...`, `NAME=... command`).
    Process,
    /// The project's `.env` file.
    DotEnv,
}

/// What the project's Python code sees when one process runs it: the
/// process's environment over the project's `.env` (see the module comment),
/// and the `-x` arguments of the `alembic` command line running env.py.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PythonEnv {
    process: Environ,
    dotenv: BTreeMap<String, String>,
    x_arguments: Vec<String>,
}

impl PythonEnv {
    /// Python started with `process`'s environment in `project`.
    pub fn new(project: &Project, process: &Environ) -> PythonEnv {
        let dotenv = project.read_text(".env").map(|t| parse_dotenv(&t)).unwrap_or_default();
        PythonEnv { process: process.clone(), dotenv, x_arguments: Vec::new() }
    }

    /// Python started with no variables of its own: only `.env` counts (what
    /// a file means on its own, for the editor and for tests).
    pub fn files_only(project: &Project) -> PythonEnv {
        PythonEnv::new(project, &Environ::default())
    }

    /// The same, run by `alembic -x ARG ...` (every `-x`, in order).
    pub fn with_x_arguments(mut self, x_arguments: &[String]) -> PythonEnv {
        self.x_arguments = x_arguments.to_vec();
        self
    }

    /// `os.getenv(name)`: the value and where it was found.
    pub fn lookup(&self, name: &str) -> Option<(&str, VarSource)> {
        if let Some(value) = self.process.get(name) {
            return Some((value, VarSource::Process));
        }
        self.dotenv.get(name).map(|v| (v.as_str(), VarSource::DotEnv))
    }

    /// `os.getenv(name)`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.lookup(name).map(|(value, _)| value)
    }

    /// A pydantic-settings field: names match whatever their case
    /// (`case_sensitive=False`, its default), the environment first.
    pub fn lookup_field(&self, field: &str) -> Option<(&str, VarSource)> {
        if let Some((_, value)) = self.process.iter().find(|(n, _)| n.eq_ignore_ascii_case(field)) {
            return Some((value, VarSource::Process));
        }
        self.dotenv.iter().find(|(k, _)| k.eq_ignore_ascii_case(field)).map(|(_, v)| (v.as_str(), VarSource::DotEnv))
    }

    /// `context.get_x_argument()`: every `-x` given, in order.
    pub fn x_arguments(&self) -> &[String] {
        &self.x_arguments
    }

    /// `context.get_x_argument(as_dictionary=True).get(key)`: each argument
    /// split at its first `=` (no `=`: the value is empty), a later key
    /// replacing an earlier one, as Alembic builds the dictionary.
    pub fn x_argument(&self, key: &str) -> Option<&str> {
        self.x_arguments.iter().rev().find_map(|arg| {
            let (k, v) = arg.split_once('=').unwrap_or((arg.as_str(), ""));
            (k == key).then_some(v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_environment_wins_over_dotenv() {
        let mut project = Project::new();
        project.write(".env", "DATABASE_URL=sqlite:///./dev.db\nDEBUG=1\n");
        let process: Environ = [("DATABASE_URL", "sqlite:///./prod.db")].into_iter().collect();
        let python = PythonEnv::new(&project, &process);
        assert_eq!(python.lookup("DATABASE_URL"), Some(("sqlite:///./prod.db", VarSource::Process)));
        assert_eq!(python.lookup("DEBUG"), Some(("1", VarSource::DotEnv)));
        assert_eq!(python.get("NOPE"), None);
        assert_eq!(python.lookup_field("database_url"), Some(("sqlite:///./prod.db", VarSource::Process)));
        assert_eq!(PythonEnv::files_only(&project).get("DATABASE_URL"), Some("sqlite:///./dev.db"));
    }

    #[test]
    fn x_arguments_as_alembic_makes_the_dictionary() {
        let args: Vec<String> = ["db_url=sqlite:///a.db?x=1", "flag", "db_url=postgresql://h/db"].iter().map(|s| s.to_string()).collect();
        let python = PythonEnv::default().with_x_arguments(&args);
        assert_eq!(python.x_argument("db_url"), Some("postgresql://h/db"));
        assert_eq!(python.x_argument("flag"), Some(""));
        assert_eq!(python.x_argument("other"), None);
        assert_eq!(python.x_arguments().len(), 3);
    }

    #[test]
    fn setting_keeps_the_order_and_replaces_in_place() {
        let mut environ: Environ = [("A", "1"), ("B", "2")].into_iter().collect();
        environ.set("A", "3");
        environ.set("C", "4");
        environ.remove("B");
        assert_eq!(environ.iter().collect::<Vec<_>>(), [("A", "3"), ("C", "4")]);
    }
}
