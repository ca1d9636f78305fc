//! `alembic`'s argument surface against the real thing: `cli::parse` must
//! print exactly what Alembic 1.20.1's argparse CLI prints (Python 3.11,
//! COLUMNS=80) for help, `--version`, usage errors and exit codes, and must
//! accept what it accepts.
//!
//! Three sources of truth: `RECORDED` (outputs of the real `alembic`,
//! recorded once; always checked), the oracle's scenario transcripts in
//! `../shared/alembic-oracle` (checked when present), and the real `alembic`
//! in `~/.cache/alembic-oracle-venv` (run when present, to re-check the
//! recordings and a wider list of invocations).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use driftlab::engine::alembic::cli::{self, Command, GlobalOptions, Invocation};
use driftlab::engine::shell_words::split_commands;
use driftlab::engine::CommandOutput;

/// What the real `alembic` did with a command line.
enum Outcome {
    /// argparse accepted it (what the command then did is not argparse's business).
    Parses,
    /// argparse printed this and exited: help, `--version` or a usage error.
    Exits {
        stdout: &'static str,
        stderr: &'static str,
        code: i32,
    },
}

struct Recorded {
    args: &'static [&'static str],
    outcome: Outcome,
}

macro_rules! top_usage {
    () => {
        "usage: alembic [-h] [--version] [-c CONFIG] [-n NAME] [-x X] [--raiseerr] [-q]\n               {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n               ...\n"
    };
}

macro_rules! invalid_choice {
    () => {
        "argument {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}: invalid choice: "
    };
}

macro_rules! choose_from {
    () => {
        " (choose from 'branches', 'check', 'current', 'downgrade', 'edit', 'ensure_version', 'heads', 'history', 'init', 'list_templates', 'merge', 'revision', 'show', 'stamp', 'upgrade')\n"
    };
}

/// Recorded from Alembic 1.20.1 (`COLUMNS=80 alembic ARGS` in an empty directory).
const RECORDED: &[Recorded] = &[
    Recorded {
        args: &[],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                top_usage!(),
                "\n",
                "positional arguments:\n",
                "  {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n",
                "    branches            Show current branch points.\n",
                "    check               Check if revision command with autogenerate has\n",
                "                        pending upgrade ops.\n",
                "    current             Display the current revision for a database.\n",
                "    downgrade           Revert to a previous version.\n",
                "    edit                Edit revision script(s) using $EDITOR.\n",
                "    ensure_version      Create the alembic version table if it doesn't exist\n",
                "                        already .\n",
                "    heads               Show current available heads in the script directory.\n",
                "    history             List changeset scripts in chronological order.\n",
                "    init                Initialize a new scripts directory.\n",
                "    list_templates      List available templates.\n",
                "    merge               Merge two revisions together. Creates a new migration\n",
                "                        file.\n",
                "    revision            Create a new revision file.\n",
                "    show                Show the revision(s) denoted by the given symbol.\n",
                "    stamp               'stamp' the revision table with the given revision;\n",
                "                        don't run any migrations.\n",
                "    upgrade             Upgrade to a later version.\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  --version             show program's version number and exit\n",
                "  -c CONFIG, --config CONFIG\n",
                "                        Alternate config file; defaults to value of\n",
                "                        ALEMBIC_CONFIG environment variable, or \"alembic.ini\".\n",
                "                        May also refer to pyproject.toml file. May be\n",
                "                        specified twice to reference both files separately\n",
                "  -n NAME, --name NAME  Name of section in .ini file to use for Alembic config\n",
                "                        (only applies to configparser config, not toml)\n",
                "  -x X                  Additional arguments consumed by custom env.py\n",
                "                        scripts, e.g. -x setting1=somesetting -x\n",
                "                        setting2=somesetting\n",
                "  --raiseerr            Raise a full stack trace on error\n",
                "  -q, --quiet           Do not log to std output.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["-h"],
        outcome: Outcome::Exits {
            stdout: concat!(
                top_usage!(),
                "\n",
                "positional arguments:\n",
                "  {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n",
                "    branches            Show current branch points.\n",
                "    check               Check if revision command with autogenerate has\n",
                "                        pending upgrade ops.\n",
                "    current             Display the current revision for a database.\n",
                "    downgrade           Revert to a previous version.\n",
                "    edit                Edit revision script(s) using $EDITOR.\n",
                "    ensure_version      Create the alembic version table if it doesn't exist\n",
                "                        already .\n",
                "    heads               Show current available heads in the script directory.\n",
                "    history             List changeset scripts in chronological order.\n",
                "    init                Initialize a new scripts directory.\n",
                "    list_templates      List available templates.\n",
                "    merge               Merge two revisions together. Creates a new migration\n",
                "                        file.\n",
                "    revision            Create a new revision file.\n",
                "    show                Show the revision(s) denoted by the given symbol.\n",
                "    stamp               'stamp' the revision table with the given revision;\n",
                "                        don't run any migrations.\n",
                "    upgrade             Upgrade to a later version.\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  --version             show program's version number and exit\n",
                "  -c CONFIG, --config CONFIG\n",
                "                        Alternate config file; defaults to value of\n",
                "                        ALEMBIC_CONFIG environment variable, or \"alembic.ini\".\n",
                "                        May also refer to pyproject.toml file. May be\n",
                "                        specified twice to reference both files separately\n",
                "  -n NAME, --name NAME  Name of section in .ini file to use for Alembic config\n",
                "                        (only applies to configparser config, not toml)\n",
                "  -x X                  Additional arguments consumed by custom env.py\n",
                "                        scripts, e.g. -x setting1=somesetting -x\n",
                "                        setting2=somesetting\n",
                "  --raiseerr            Raise a full stack trace on error\n",
                "  -q, --quiet           Do not log to std output.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["--version"],
        outcome: Outcome::Exits {
            stdout: "alembic 1.20.1\n",
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["--vers"],
        outcome: Outcome::Exits {
            stdout: "alembic 1.20.1\n",
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["upgrade"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "\n",
                "positional arguments:\n",
                "  revision    revision identifier\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
                "  --tag TAG   Arbitrary 'tag' name - can be used by custom env.py scripts.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["upgrade", "head", "extra"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: extra\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["frobnicate"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'frobnicate'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["branches", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic branches [-h] [-v]\n",
                "\n",
                "options:\n",
                "  -h, --help     show this help message and exit\n",
                "  -v, --verbose  Use more verbose output\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["check", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic check [-h]\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["current", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic current [-h] [-c] [-v]\n",
                "\n",
                "options:\n",
                "  -h, --help         show this help message and exit\n",
                "  -c, --check-heads  Check if all head revisions are applied to the database.\n",
                "                     Exit with an error code if this is not the case.\n",
                "  -v, --verbose      Use more verbose output\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["downgrade", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic downgrade [-h] [--sql] [--tag TAG] revision\n",
                "\n",
                "positional arguments:\n",
                "  revision    revision identifier\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
                "  --tag TAG   Arbitrary 'tag' name - can be used by custom env.py scripts.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["edit", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic edit [-h] rev\n",
                "\n",
                "positional arguments:\n",
                "  rev\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["ensure_version", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic ensure_version [-h] [--sql]\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["heads", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic heads [-h] [-v] [--resolve-dependencies]\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  -v, --verbose         Use more verbose output\n",
                "  --resolve-dependencies\n",
                "                        Treat dependency versions as down revisions\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["history", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic history [-h] [-r REV_RANGE] [-v] [-i]\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  -r REV_RANGE, --rev-range REV_RANGE\n",
                "                        Specify a revision range; format is [start]:[end]\n",
                "  -v, --verbose         Use more verbose output\n",
                "  -i, --indicate-current\n",
                "                        Indicate the current revision\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["init", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic init [-h] [-t TEMPLATE] [--package] directory\n",
                "\n",
                "positional arguments:\n",
                "  directory             location of scripts directory\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  -t TEMPLATE, --template TEMPLATE\n",
                "                        Setup template for use with 'init'\n",
                "  --package             Write empty __init__.py files to the environment and\n",
                "                        version locations\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["list_templates", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic list_templates [-h]\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["merge", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic merge [-h] [-m MESSAGE] [--branch-label BRANCH_LABEL]\n",
                "                     [--rev-id REV_ID] [--splice]\n",
                "                     revisions [revisions ...]\n",
                "\n",
                "positional arguments:\n",
                "  revisions             one or more revisions, or 'heads' for all heads\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  -m MESSAGE, --message MESSAGE\n",
                "                        Message string to use with 'revision'\n",
                "  --branch-label BRANCH_LABEL\n",
                "                        Specify a branch label to apply to the new revision\n",
                "  --rev-id REV_ID       Specify a hardcoded revision id instead of generating\n",
                "                        one\n",
                "  --splice              Allow a non-head revision as the 'head' to splice onto\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["revision", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  -m MESSAGE, --message MESSAGE\n",
                "                        Message string to use with 'revision'\n",
                "  --autogenerate        Populate revision script with candidate migration\n",
                "                        operations, based on comparison of database to model.\n",
                "  --sql                 Don't emit SQL to database - dump to standard\n",
                "                        output/file instead. See docs on offline mode.\n",
                "  --head HEAD           Specify head revision or <branchname>@head to base new\n",
                "                        revision on.\n",
                "  --splice              Allow a non-head revision as the 'head' to splice onto\n",
                "  --branch-label BRANCH_LABEL\n",
                "                        Specify a branch label to apply to the new revision\n",
                "  --version-path VERSION_PATH\n",
                "                        Specify specific path from config for version file\n",
                "  --rev-id REV_ID       Specify a hardcoded revision id instead of generating\n",
                "                        one\n",
                "  --depends-on DEPENDS_ON\n",
                "                        Specify one or more revision identifiers which this\n",
                "                        revision should depend on.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["show", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic show [-h] rev\n",
                "\n",
                "positional arguments:\n",
                "  rev\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["stamp", "--help"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic stamp [-h] [--sql] [--tag TAG] [--purge]\n",
                "                     revisions [revisions ...]\n",
                "\n",
                "positional arguments:\n",
                "  revisions   one or more revisions, or 'heads' for all heads\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
                "  --tag TAG   Arbitrary 'tag' name - can be used by custom env.py scripts.\n",
                "  --purge     Unconditionally erase the version table before stamping\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["-h", "upgrade"],
        outcome: Outcome::Exits {
            stdout: concat!(
                top_usage!(),
                "\n",
                "positional arguments:\n",
                "  {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n",
                "    branches            Show current branch points.\n",
                "    check               Check if revision command with autogenerate has\n",
                "                        pending upgrade ops.\n",
                "    current             Display the current revision for a database.\n",
                "    downgrade           Revert to a previous version.\n",
                "    edit                Edit revision script(s) using $EDITOR.\n",
                "    ensure_version      Create the alembic version table if it doesn't exist\n",
                "                        already .\n",
                "    heads               Show current available heads in the script directory.\n",
                "    history             List changeset scripts in chronological order.\n",
                "    init                Initialize a new scripts directory.\n",
                "    list_templates      List available templates.\n",
                "    merge               Merge two revisions together. Creates a new migration\n",
                "                        file.\n",
                "    revision            Create a new revision file.\n",
                "    show                Show the revision(s) denoted by the given symbol.\n",
                "    stamp               'stamp' the revision table with the given revision;\n",
                "                        don't run any migrations.\n",
                "    upgrade             Upgrade to a later version.\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  --version             show program's version number and exit\n",
                "  -c CONFIG, --config CONFIG\n",
                "                        Alternate config file; defaults to value of\n",
                "                        ALEMBIC_CONFIG environment variable, or \"alembic.ini\".\n",
                "                        May also refer to pyproject.toml file. May be\n",
                "                        specified twice to reference both files separately\n",
                "  -n NAME, --name NAME  Name of section in .ini file to use for Alembic config\n",
                "                        (only applies to configparser config, not toml)\n",
                "  -x X                  Additional arguments consumed by custom env.py\n",
                "                        scripts, e.g. -x setting1=somesetting -x\n",
                "                        setting2=somesetting\n",
                "  --raiseerr            Raise a full stack trace on error\n",
                "  -q, --quiet           Do not log to std output.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["upgrade", "-h", "head"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "\n",
                "positional arguments:\n",
                "  revision    revision identifier\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
                "  --tag TAG   Arbitrary 'tag' name - can be used by custom env.py scripts.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["upgrade", "head", "-h"],
        outcome: Outcome::Exits {
            stdout: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "\n",
                "positional arguments:\n",
                "  revision    revision identifier\n",
                "\n",
                "options:\n",
                "  -h, --help  show this help message and exit\n",
                "  --sql       Don't emit SQL to database - dump to standard output/file\n",
                "              instead. See docs on offline mode.\n",
                "  --tag TAG   Arbitrary 'tag' name - can be used by custom env.py scripts.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["downgrade"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic downgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic downgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["init"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic init [-h] [-t TEMPLATE] [--package] directory\n",
                "alembic init: error: the following arguments are required: directory\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["merge"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic merge [-h] [-m MESSAGE] [--branch-label BRANCH_LABEL]\n",
                "                     [--rev-id REV_ID] [--splice]\n",
                "                     revisions [revisions ...]\n",
                "alembic merge: error: the following arguments are required: revisions\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["stamp"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic stamp [-h] [--sql] [--tag TAG] [--purge]\n",
                "                     revisions [revisions ...]\n",
                "alembic stamp: error: the following arguments are required: revisions\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["show"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic show [-h] rev\n",
                "alembic show: error: the following arguments are required: rev\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["edit"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic edit [-h] rev\n",
                "alembic edit: error: the following arguments are required: rev\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["current", "--sql"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --sql\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["history", "-r", "-1:"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic history [-h] [-r REV_RANGE] [-v] [-i]\n",
                "alembic history: error: argument -r/--rev-range: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["history", "-r"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic history [-h] [-r REV_RANGE] [-v] [-i]\n",
                "alembic history: error: argument -r/--rev-range: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "-m"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument -m/--message: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "-m", "--sql"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument -m/--message: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "--s"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: ambiguous option: --s could match --sql, --splice\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "--sql=yes"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument --sql: ignored explicit argument 'yes'\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["current", "-vx"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic current [-h] [-c] [-v]\n",
                "alembic current: error: argument -v/--verbose: ignored explicit argument 'x'\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["current", "-v="],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic current [-h] [-c] [-v]\n",
                "alembic current: error: argument -v/--verbose: ignored explicit argument ''\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "--tag"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: argument --tag: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "head", "--version"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --version\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--version", "upgrade"],
        outcome: Outcome::Exits {
            stdout: "alembic 1.20.1\n",
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["upgrade", "--version"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-c"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -c/--config: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-c", "x.ini"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -x: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-n"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -n/--name: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--name"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -n/--name: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--foo"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --foo\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--foo", "upgrade", "head"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --foo\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--foo", "upgrade", "head", "extra"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --foo extra\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "head", "-c", "foo.ini"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: -c foo.ini\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "head", "-x", "a=b"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: -x a=b\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--", "upgrade", "head"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'--'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "--"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-q"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--raiseerr"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-c", "a", "-c", "b"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--=x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ambiguous option: --=x could match --help, --version, --config, --name, --raiseerr, --quiet\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'-'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded { args: &["upgrade", "-"], outcome: Outcome::Parses },
    Recorded {
        args: &["Upgrade"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'Upgrade'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["list_templates", "x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: x\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["check", "--sql"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: --sql\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["revision", "--sql", "-m", "it's"], outcome: Outcome::Parses },
    Recorded {
        args: &["frob'nicate"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "\"frob'nicate\"",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["history", "-i", "--verbose", "x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: x\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["stamp", "--purge"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic stamp [-h] [--sql] [--tag TAG] [--purge]\n",
                "                     revisions [revisions ...]\n",
                "alembic stamp: error: the following arguments are required: revisions\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["merge", "-m", "x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic merge [-h] [-m MESSAGE] [--branch-label BRANCH_LABEL]\n",
                "                     [--rev-id REV_ID] [--splice]\n",
                "                     revisions [revisions ...]\n",
                "alembic merge: error: the following arguments are required: revisions\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "-hello world"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument -h/--help: ignored explicit argument 'ello world'\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "--depends-on"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument --depends-on: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "--rev", "x", "--rev-id", "y", "z"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: z\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["history", "--rev=1:"], outcome: Outcome::Parses },
    Recorded { args: &["heads", "--re"], outcome: Outcome::Parses },
    Recorded {
        args: &["init", "a", "b"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: b\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["edit", "a", "b"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: b\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-x", "-1"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-c", "-1"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-c", "--", "upgrade"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -c/--config: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "-5", "-6"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: -6\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["downgrade", "--sql=", "-1"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic downgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic downgrade: error: argument --sql: ignored explicit argument ''\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "--tag=a=b"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["current", "--check"], outcome: Outcome::Parses },
    Recorded {
        args: &["current", "-c", "-v", "-x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: -x\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-qn"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -n/--name: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-qnfoo"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-nq"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: too few arguments\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--raiseerr=1"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument --raiseerr: ignored explicit argument '1'\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--quiet=x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -q/--quiet: ignored explicit argument 'x'\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-q=x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -x: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["-qx"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: argument -x: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["history", "-vi", "-rx"], outcome: Outcome::Parses },
    Recorded {
        args: &["init", "--template"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic init [-h] [-t TEMPLATE] [--package] directory\n",
                "alembic init: error: argument -t/--template: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["init", "-t"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic init [-h] [-t TEMPLATE] [--package] directory\n",
                "alembic init: error: argument -t/--template: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["init", "dir", "--pack"], outcome: Outcome::Parses },
    Recorded { args: &["revision", "--autog", "--auto"], outcome: Outcome::Parses },
    Recorded {
        args: &["history", "-r", "a", "-r"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic history [-h] [-r REV_RANGE] [-v] [-i]\n",
                "alembic history: error: argument -r/--rev-range: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "-m", "a b", "--head"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic revision [-h] [-m MESSAGE] [--autogenerate] [--sql]\n",
                "                        [--head HEAD] [--splice] [--branch-label BRANCH_LABEL]\n",
                "                        [--version-path VERSION_PATH] [--rev-id REV_ID]\n",
                "                        [--depends-on DEPENDS_ON]\n",
                "alembic revision: error: argument --head: expected one argument\n",
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["--version", "--help"],
        outcome: Outcome::Exits {
            stdout: "alembic 1.20.1\n",
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["--help", "--version"],
        outcome: Outcome::Exits {
            stdout: concat!(
                top_usage!(),
                "\n",
                "positional arguments:\n",
                "  {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n",
                "    branches            Show current branch points.\n",
                "    check               Check if revision command with autogenerate has\n",
                "                        pending upgrade ops.\n",
                "    current             Display the current revision for a database.\n",
                "    downgrade           Revert to a previous version.\n",
                "    edit                Edit revision script(s) using $EDITOR.\n",
                "    ensure_version      Create the alembic version table if it doesn't exist\n",
                "                        already .\n",
                "    heads               Show current available heads in the script directory.\n",
                "    history             List changeset scripts in chronological order.\n",
                "    init                Initialize a new scripts directory.\n",
                "    list_templates      List available templates.\n",
                "    merge               Merge two revisions together. Creates a new migration\n",
                "                        file.\n",
                "    revision            Create a new revision file.\n",
                "    show                Show the revision(s) denoted by the given symbol.\n",
                "    stamp               'stamp' the revision table with the given revision;\n",
                "                        don't run any migrations.\n",
                "    upgrade             Upgrade to a later version.\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  --version             show program's version number and exit\n",
                "  -c CONFIG, --config CONFIG\n",
                "                        Alternate config file; defaults to value of\n",
                "                        ALEMBIC_CONFIG environment variable, or \"alembic.ini\".\n",
                "                        May also refer to pyproject.toml file. May be\n",
                "                        specified twice to reference both files separately\n",
                "  -n NAME, --name NAME  Name of section in .ini file to use for Alembic config\n",
                "                        (only applies to configparser config, not toml)\n",
                "  -x X                  Additional arguments consumed by custom env.py\n",
                "                        scripts, e.g. -x setting1=somesetting -x\n",
                "                        setting2=somesetting\n",
                "  --raiseerr            Raise a full stack trace on error\n",
                "  -q, --quiet           Do not log to std output.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["-h", "frobnicate"],
        outcome: Outcome::Exits {
            stdout: concat!(
                top_usage!(),
                "\n",
                "positional arguments:\n",
                "  {branches,check,current,downgrade,edit,ensure_version,heads,history,init,list_templates,merge,revision,show,stamp,upgrade}\n",
                "    branches            Show current branch points.\n",
                "    check               Check if revision command with autogenerate has\n",
                "                        pending upgrade ops.\n",
                "    current             Display the current revision for a database.\n",
                "    downgrade           Revert to a previous version.\n",
                "    edit                Edit revision script(s) using $EDITOR.\n",
                "    ensure_version      Create the alembic version table if it doesn't exist\n",
                "                        already .\n",
                "    heads               Show current available heads in the script directory.\n",
                "    history             List changeset scripts in chronological order.\n",
                "    init                Initialize a new scripts directory.\n",
                "    list_templates      List available templates.\n",
                "    merge               Merge two revisions together. Creates a new migration\n",
                "                        file.\n",
                "    revision            Create a new revision file.\n",
                "    show                Show the revision(s) denoted by the given symbol.\n",
                "    stamp               'stamp' the revision table with the given revision;\n",
                "                        don't run any migrations.\n",
                "    upgrade             Upgrade to a later version.\n",
                "\n",
                "options:\n",
                "  -h, --help            show this help message and exit\n",
                "  --version             show program's version number and exit\n",
                "  -c CONFIG, --config CONFIG\n",
                "                        Alternate config file; defaults to value of\n",
                "                        ALEMBIC_CONFIG environment variable, or \"alembic.ini\".\n",
                "                        May also refer to pyproject.toml file. May be\n",
                "                        specified twice to reference both files separately\n",
                "  -n NAME, --name NAME  Name of section in .ini file to use for Alembic config\n",
                "                        (only applies to configparser config, not toml)\n",
                "  -x X                  Additional arguments consumed by custom env.py\n",
                "                        scripts, e.g. -x setting1=somesetting -x\n",
                "                        setting2=somesetting\n",
                "  --raiseerr            Raise a full stack trace on error\n",
                "  -q, --quiet           Do not log to std output.\n",
            ),
            stderr: "",
            code: 0,
        },
    },
    Recorded {
        args: &["frobnicate", "-h"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'frobnicate'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["upgrade", "--ta", "x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["upgrade", "-1.5"], outcome: Outcome::Parses },
    Recorded {
        args: &["upgrade", "-.5x"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                "usage: alembic upgrade [-h] [--sql] [--tag TAG] revision\n",
                "alembic upgrade: error: the following arguments are required: revision\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["stamp", "-1", "--", "-2"], outcome: Outcome::Parses },
    Recorded {
        args: &["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: ",
                invalid_choice!(),
                "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
                choose_from!(),
            ),
            code: 2,
        },
    },
    Recorded {
        args: &["revision", "--", "-m"],
        outcome: Outcome::Exits {
            stdout: "",
            stderr: concat!(
                top_usage!(),
                "alembic: error: unrecognized arguments: -- -m\n",
            ),
            code: 2,
        },
    },
    Recorded { args: &["upgrade", "--", "--"], outcome: Outcome::Parses },
];

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}

/// Compares `cli::parse` with what the real `alembic` did; `None` if they agree.
fn disagreement(
    args: &[String],
    stdout: &str,
    stderr: &str,
    code: i32,
    exited: bool,
) -> Option<String> {
    let shown = format!("alembic {}", args.join(" "));
    match (cli::parse(args), exited) {
        (Err(got), true) => {
            let want = CommandOutput {
                stdout: stdout.to_string(),
                stderr: stderr.to_string(),
                exit_code: code,
            };
            (got != want).then(|| format!("{shown}\n--- want\n{want:#?}\n--- got\n{got:#?}"))
        }
        (Ok(_), false) => None,
        (Ok(parsed), true) => Some(format!(
            "{shown}: parsed as {parsed:?}; real alembic printed\n{stdout}{stderr}"
        )),
        (Err(got), false) => Some(format!(
            "{shown}: real alembic accepts it; we printed {got:#?}"
        )),
    }
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn prints_what_real_alembic_printed() {
    let failures: Vec<String> = RECORDED
        .iter()
        .filter_map(|case| match case.outcome {
            Outcome::Parses => disagreement(&strings(case.args), "", "", 0, false),
            Outcome::Exits {
                stdout,
                stderr,
                code,
            } => disagreement(&strings(case.args), stdout, stderr, code, true),
        })
        .collect();
    assert_no_failures(failures);
}

/// argparse's own exits: help or version on stdout (0), or usage and an error (2).
fn is_argparse_exit(stdout: &str, stderr: &str, code: i64) -> bool {
    (code == 2 && stderr.starts_with("usage: "))
        || (code == 0 && (stdout.starts_with("usage: ") || stdout == "alembic 1.20.1\n"))
}

/// Every `alembic ...` step of every recorded oracle scenario (b17 is the CLI
/// one): argparse's exits are printed exactly, everything else parses.
#[test]
fn agrees_with_the_oracle_transcripts() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-oracle/expected");
    if !root.exists() {
        eprintln!("skipped: {} not found", root.display());
        return;
    }
    let mut transcripts: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path().join("transcript.json"))
        .filter(|path| path.exists())
        .collect();
    transcripts.sort();
    assert!(transcripts
        .iter()
        .any(|path| path.to_string_lossy().contains("b17_cli_usage_errors")));
    let mut failures = Vec::new();
    let mut argparse_exits = 0;
    for path in &transcripts {
        let steps: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for step in &steps {
            let line = step["step"].as_str().unwrap();
            let commands = split_commands(line).unwrap();
            let [command] = commands.as_slice() else {
                continue;
            };
            let words = command.words();
            let Some(("alembic", args)) = words
                .split_first()
                .map(|(first, rest)| (first.as_str(), rest))
            else {
                continue;
            };
            let (stdout, stderr) = (
                step["stdout"].as_str().unwrap(),
                step["stderr"].as_str().unwrap(),
            );
            let code = step["exit_code"].as_i64().unwrap();
            let exited = is_argparse_exit(stdout, stderr, code);
            argparse_exits += usize::from(exited);
            if let Some(failure) = disagreement(args, stdout, stderr, code as i32, exited) {
                failures.push(format!(
                    "{}: {failure}",
                    path.parent()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                ));
            }
        }
    }
    assert!(
        argparse_exits >= 8,
        "only {argparse_exits} argparse exits found in the transcripts"
    );
    assert_no_failures(failures);
}

fn global() -> GlobalOptions {
    GlobalOptions {
        config: vec![],
        name: "alembic".into(),
        x: vec![],
        raiseerr: false,
        quiet: false,
    }
}

fn parsed(line: &str) -> Invocation {
    let words = split_commands(line).unwrap().remove(0).words();
    assert_eq!(words[0], "alembic");
    cli::parse(&words[1..]).unwrap_or_else(|output| panic!("{line}: {output:#?}"))
}

#[test]
fn arguments_arrive_typed() {
    let revision = |message: Option<&str>, rev_id: Option<&str>| Command::Revision {
        message: message.map(str::to_string),
        autogenerate: false,
        sql: false,
        head: "head".into(),
        splice: false,
        branch_label: None,
        version_path: None,
        rev_id: rev_id.map(str::to_string),
        depends_on: vec![],
    };
    let cases: Vec<(&str, Command)> = vec![
        ("alembic revision", revision(None, None)),
        ("alembic revision -m initial --rev-id 0001a", revision(Some("initial"), Some("0001a"))),
        ("alembic revision -minitial", revision(Some("initial"), None)),
        ("alembic revision -m=initial", revision(Some("initial"), None)),
        ("alembic revision --message=initial", revision(Some("initial"), None)),
        ("alembic revision --mess initial --rev 0001a", revision(Some("initial"), Some("0001a"))),
        ("alembic revision --rev-id 0001a -m 'add email'", revision(Some("add email"), Some("0001a"))),
        ("alembic revision -m -1", revision(Some("-1"), None)),
        (
            "alembic revision --autogenerate --sql --head base --splice --branch-label lbl --version-path v \
             --depends-on a --depends-on b --rev-id r -m m",
            Command::Revision {
                message: Some("m".into()),
                autogenerate: true,
                sql: true,
                head: "base".into(),
                splice: true,
                branch_label: Some("lbl".into()),
                version_path: Some("v".into()),
                rev_id: Some("r".into()),
                depends_on: vec!["a".into(), "b".into()],
            },
        ),
        ("alembic downgrade -1", Command::Downgrade { revision: "-1".into(), sql: false, tag: None }),
        ("alembic downgrade -- -1", Command::Downgrade { revision: "-1".into(), sql: false, tag: None }),
        ("alembic downgrade --sql head:base", Command::Downgrade { revision: "head:base".into(), sql: true, tag: None }),
        ("alembic upgrade head --tag=t", Command::Upgrade { revision: "head".into(), sql: false, tag: Some("t".into()) }),
        ("alembic upgrade +1 --sql", Command::Upgrade { revision: "+1".into(), sql: true, tag: None }),
        ("alembic current", Command::Current { check_heads: false, verbose: false }),
        ("alembic current -cv", Command::Current { check_heads: true, verbose: true }),
        ("alembic history -r-1:", Command::History { rev_range: Some("-1:".into()), verbose: false, indicate_current: false }),
        ("alembic history -vi", Command::History { rev_range: None, verbose: true, indicate_current: true }),
        ("alembic history --indicate-current --verbose -r base:", Command::History {
            rev_range: Some("base:".into()),
            verbose: true,
            indicate_current: true,
        }),
        ("alembic heads --resolve", Command::Heads { verbose: false, resolve_dependencies: true }),
        ("alembic branches -v", Command::Branches { verbose: true }),
        ("alembic show head", Command::Show { rev: "head".into() }),
        ("alembic edit 0001a", Command::Edit { rev: "0001a".into() }),
        ("alembic stamp head --purge", Command::Stamp { revisions: vec!["head".into()], sql: false, tag: None, purge: true }),
        ("alembic stamp a b --sql", Command::Stamp { revisions: vec!["a".into(), "b".into()], sql: true, tag: None, purge: false }),
        ("alembic merge heads -m merge --rev-id 0003m", Command::Merge {
            revisions: vec!["heads".into()],
            message: Some("merge".into()),
            branch_label: None,
            rev_id: Some("0003m".into()),
            splice: false,
        }),
        ("alembic init alembic", Command::Init { directory: "alembic".into(), template: "generic".into(), package: false }),
        ("alembic init -t async --package ./migrations", Command::Init {
            directory: "./migrations".into(),
            template: "async".into(),
            package: true,
        }),
        ("alembic check", Command::Check),
        ("alembic ensure_version --sql", Command::EnsureVersion { sql: true }),
        ("alembic list_templates", Command::ListTemplates),
    ];
    for (line, command) in cases {
        let invocation = parsed(line);
        assert_eq!(invocation.command, command, "{line}");
        assert_eq!(invocation.global, global(), "{line}");
        assert_eq!(
            invocation.command.name(),
            line.split_whitespace().nth(1).unwrap(),
            "{line}"
        );
    }

    let invocation = parsed(
        "alembic -c a.ini --config=pyproject.toml -n other -x one=1 -xtwo=2 --raiseerr -q current",
    );
    assert_eq!(
        invocation.global,
        GlobalOptions {
            config: vec!["a.ini".into(), "pyproject.toml".into()],
            name: "other".into(),
            x: vec!["one=1".into(), "two=2".into()],
            raiseerr: true,
            quiet: true,
        }
    );
    assert_eq!(parsed("alembic -qnsection heads").global.name, "section");
}

#[test]
fn usage_error_is_the_top_level_one() {
    let output = cli::usage_error("too few arguments");
    assert_eq!(
        output.stderr,
        concat!(top_usage!(), "alembic: error: too few arguments\n")
    );
    assert_eq!((output.stdout.as_str(), output.exit_code), ("", 2));
}

const COMMANDS: [&str; 15] = [
    "branches",
    "check",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "heads",
    "history",
    "init",
    "list_templates",
    "merge",
    "revision",
    "show",
    "stamp",
    "upgrade",
];

/// More invocations, for the live oracle only: every command with odd words.
fn extra_invocations() -> Vec<Vec<String>> {
    let odd_tails: &[&[&str]] = &[
        &["-h"],
        &["--bogus"],
        &["-Z"],
        &["a", "b", "c"],
        &["--sql=1", "x"],
        &["--tag"],
        &["-m"],
        &["-v", "-v", "x"],
        &["--", "-x"],
        &["-1", "-r"],
        &["--rev-id=", "-m", "m"],
        &["-t", "x", "y"],
        &["--he", "x"],
        &["-vh"],
        &["-c"],
    ];
    let mut invocations = Vec::new();
    for command in COMMANDS {
        for tail in odd_tails {
            invocations.push(
                std::iter::once(command)
                    .chain(tail.iter().copied())
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    for globals in [
        &["-x"][..],
        &["-q", "--raiseerr=", "upgrade"],
        &["-n", "--", "x"],
        &["--conf", "c", "--nam"],
    ] {
        invocations.push(strings(globals));
    }
    invocations
}

fn real_alembic() -> Option<PathBuf> {
    let venv = std::env::var_os("ALEMBIC_ORACLE_VENV")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/alembic-oracle-venv"))
        })?;
    let alembic = venv.join("bin/alembic");
    alembic.exists().then_some(alembic)
}

/// Runs the real `alembic ARGS` at 80 columns in a fresh empty directory.
fn run_real(alembic: &Path, args: &[&str], scratch: &Path) -> (String, String, i64) {
    std::fs::create_dir_all(scratch).unwrap();
    let output = Process::new(alembic)
        .args(args)
        .current_dir(scratch)
        .env("COLUMNS", "80")
        .env_remove("ALEMBIC_CONFIG")
        .output()
        .expect("run the real alembic");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        text(output.stdout),
        text(output.stderr),
        i64::from(output.status.code().unwrap_or(-1)),
    )
}

/// Runs many command lines through the real Alembic in one Python process
/// (`alembic.config.main`, what the `alembic` script calls), each in a fresh
/// empty directory: starting Alembic once per line would take minutes.
const BATCH_DRIVER: &str = r#"
import contextlib, io, json, os, shutil, sys, tempfile, traceback
from alembic.config import main
# Some output bypasses sys.stdout (Config keeps the original stream): keep the
# real stdout for the results and send file descriptor 1 to /dev/null.
results_out = os.fdopen(os.dup(1), "w")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
results = []
base = tempfile.mkdtemp()
for i, argv in enumerate(json.load(sys.stdin)):
    os.mkdir(os.path.join(base, str(i)))
    os.chdir(os.path.join(base, str(i)))
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv=argv, prog="alembic")
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
        except BaseException:
            traceback.print_exc()
            code = 1
    results.append([out.getvalue(), err.getvalue(), code])
os.chdir(tempfile.gettempdir())
shutil.rmtree(base)
results_out.write(json.dumps(results))
results_out.flush()
"#;

fn run_real_batch(alembic: &Path, invocations: &[Vec<String>]) -> Vec<(String, String, i64)> {
    let python = alembic.with_file_name("python");
    let mut child = Process::new(python)
        .args(["-c", BATCH_DRIVER])
        .env("COLUMNS", "80")
        .env_remove("ALEMBIC_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the oracle venv's python");
    let input = serde_json::to_vec(invocations).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the batch driver failed");
    serde_json::from_slice(&output.stdout).expect("the batch driver's JSON")
}

/// The live oracle: the real Alembic 1.20.1, if this machine has it. The
/// `alembic` script itself prints every help; then every recorded invocation
/// (so the recordings stay true) and many more go through `alembic.config.main`.
#[test]
fn agrees_with_real_alembic_when_available() {
    let Some(alembic) = real_alembic() else {
        eprintln!("skipped: no real alembic at ~/.cache/alembic-oracle-venv (set ALEMBIC_ORACLE_VENV to point elsewhere)");
        return;
    };
    let mut failures = Vec::new();

    let scratch = std::env::temp_dir().join(format!("driftlab-alembic-cli-{}", std::process::id()));
    let helps: Vec<Vec<&str>> = std::iter::once(vec!["--help"])
        .chain(COMMANDS.iter().map(|command| vec![*command, "--help"]))
        .collect();
    let help_outputs: Vec<(String, String, i64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = helps
            .iter()
            .enumerate()
            .map(|(i, args)| {
                let (alembic, scratch) = (&alembic, &scratch);
                scope.spawn(move || run_real(alembic, args, &scratch.join(i.to_string())))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    });
    let _ = std::fs::remove_dir_all(&scratch);
    for (args, (stdout, stderr, code)) in helps.iter().zip(&help_outputs) {
        assert!(
            stdout.starts_with("usage: alembic"),
            "alembic {}: {stdout}{stderr}",
            args.join(" ")
        );
        if let Some(failure) = disagreement(&strings(args), stdout, stderr, *code as i32, true) {
            failures.push(failure);
        }
    }

    let mut invocations: Vec<Vec<String>> =
        RECORDED.iter().map(|case| strings(case.args)).collect();
    invocations.extend(extra_invocations());
    let results = run_real_batch(&alembic, &invocations);
    for (args, (stdout, stderr, code)) in invocations.iter().zip(&results) {
        let exited = is_argparse_exit(stdout, stderr, *code);
        if let Some(failure) = disagreement(args, stdout, stderr, *code as i32, exited) {
            failures.push(failure);
        }
    }
    for (case, (stdout, stderr, code)) in RECORDED.iter().zip(&results) {
        let stale = match case.outcome {
            Outcome::Exits {
                stdout: want_out,
                stderr: want_err,
                code: want_code,
            } => {
                (want_out, want_err, i64::from(want_code))
                    != (stdout.as_str(), stderr.as_str(), *code)
            }
            Outcome::Parses => is_argparse_exit(stdout, stderr, *code),
        };
        if stale {
            failures.push(format!(
                "the recording of `alembic {}` is stale",
                case.args.join(" ")
            ));
        }
    }
    eprintln!(
        "compared {} help texts and {} invocations with {}",
        helps.len(),
        invocations.len(),
        alembic.display()
    );
    assert_no_failures(failures);
}
