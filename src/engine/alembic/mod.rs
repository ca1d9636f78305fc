//! The `alembic` command line over a project: `init`, `revision`, `upgrade`,
//! `downgrade`, `check` and the rest, printing what Alembic 1.20 prints.

pub mod cli;
pub mod commands;
pub mod env;
pub mod graph;
pub mod hooks;
pub mod init;
pub mod version_table;

use crate::engine::environ::Environ;
use crate::engine::host::Host;
use crate::engine::output::CommandOutput;
use crate::engine::project::Project;

/// What an `alembic` command works on.
pub struct Context<'a> {
    pub project: &'a mut Project,
    /// The current directory, project-relative.
    pub cwd: &'a str,
    /// The project's absolute path, as Alembic's messages show paths.
    pub root: &'a str,
    pub host: &'a mut dyn Host,
    /// The environment Alembic runs with (`ALEMBIC_CONFIG`, and env.py's `os.environ`).
    pub environ: &'a Environ,
}

/// The templates `alembic list_templates` lists, in the order Alembic 1.20 prints them.
pub(crate) const TEMPLATES: &str = "\
Available templates:

pyproject_async - pyproject configuration, with an async dbapi.
multidb - Rudimentary multi-database configuration.
generic - Generic single-database configuration.
pyproject - pyproject configuration, based on the generic configuration.
async - Generic single-database configuration with an async dbapi.

Templates are used via the 'init' command, e.g.:

  alembic init --template generic ./scripts
";

/// Runs `alembic ARGS...`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    match cli::parse(args) {
        Ok(invocation) => commands::run(ctx, invocation),
        Err(output) => output,
    }
}

