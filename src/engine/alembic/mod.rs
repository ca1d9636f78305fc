//! The `alembic` command line over a project: `init`, `revision`, `upgrade`,
//! `downgrade`, `check` and the rest, printing what Alembic 1.20 prints.

pub mod graph;
pub mod init;
pub mod version_table;

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
}

/// The templates `alembic list_templates` lists, in the order Alembic 1.20 prints them.
const TEMPLATES: &str = "\
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
    let Some((command, rest)) = args.split_first() else {
        return CommandOutput::error(USAGE_TOO_FEW, 2);
    };
    match command.as_str() {
        "init" => match rest {
            [directory] => init::init(ctx.project, ctx.root, ctx.cwd, directory),
            _ => CommandOutput::error(
                "usage: alembic init [-h] [-t TEMPLATE] [--package] directory\nalembic init: error: the following arguments are required: directory\n",
                2,
            ),
        },
        "list_templates" => CommandOutput::ok(TEMPLATES),
        "--version" => CommandOutput::ok("alembic 1.20.1\n"),
        other => CommandOutput::error(
            format!(
                "{USAGE}alembic: error: driftlab does not run `alembic {other}` yet\n"
            ),
            2,
        ),
    }
}

const USAGE: &str = "\
usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]
               {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}
               ...
";

const USAGE_TOO_FEW: &str = "\
usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]
               {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}
               ...
alembic: error: too few arguments
";
