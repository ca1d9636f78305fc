//! The `alembic` command line's arguments: parsed, and their help, usage and
//! error texts printed, byte for byte as Alembic 1.20.1's argparse CLI does
//! under Python 3.11 at 80 columns.
//!
//! Two halves. The *table* restates the facts Alembic builds its CLI from:
//! `CommandLine._generate_args` (global options), `_KWARGS_OPTS` and
//! `_POSITIONAL_OPTS` (per-parameter options), and each `alembic.command`
//! function's signature and first docstring paragraph (one subcommand per
//! function, in `dir()` order). The *emulator* is the slice of Python 3.11's
//! `argparse` those facts exercise — option prefix matching, `-xVALUE` and
//! `--opt=value`, `--`, negative-number positionals, subparsers, and the
//! `HelpFormatter`'s layout including `textwrap`'s line breaking — written
//! after argparse's own algorithm so that odd inputs fail the way Python does.

use std::collections::BTreeMap;

use crate::engine::output::CommandOutput;

/// The Alembic release whose CLI this reproduces (`alembic --version`).
pub const ALEMBIC_VERSION: &str = "1.20.1";

const PROG: &str = "alembic";

/// argparse's line width: `COLUMNS` (80, the oracle's terminal) minus 2.
const WIDTH: usize = 78;

/// argparse's `max_help_position`, already `min(24, max(WIDTH - 20, 4))`.
const MAX_HELP_POSITION: usize = 24;

// ---------------------------------------------------------------------------
// What a parsed command line means
// ---------------------------------------------------------------------------

/// The options before the subcommand (`alembic [-c CONFIG] [-n NAME] ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalOptions {
    /// Every `-c/--config` given, in order (Alembic allows an .ini and a pyproject.toml).
    pub config: Vec<String>,
    /// `-n/--name`: the .ini section; `alembic` unless given.
    pub name: String,
    /// Every `-x` given, in order, for env.py's `context.get_x_argument()`.
    pub x: Vec<String>,
    pub raiseerr: bool,
    pub quiet: bool,
}

/// A command line that parsed: the global options and one subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub global: GlobalOptions,
    pub command: Command,
}

/// One Alembic subcommand with its arguments, as `alembic.command`'s function
/// would receive them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Branches {
        verbose: bool,
    },
    Check,
    Current {
        check_heads: bool,
        verbose: bool,
    },
    Downgrade {
        revision: String,
        sql: bool,
        tag: Option<String>,
    },
    Edit {
        rev: String,
    },
    EnsureVersion {
        sql: bool,
    },
    Heads {
        verbose: bool,
        resolve_dependencies: bool,
    },
    History {
        rev_range: Option<String>,
        verbose: bool,
        indicate_current: bool,
    },
    Init {
        directory: String,
        template: String,
        package: bool,
    },
    ListTemplates,
    Merge {
        revisions: Vec<String>,
        message: Option<String>,
        branch_label: Option<String>,
        rev_id: Option<String>,
        splice: bool,
    },
    Revision {
        /// `None` without `-m`; Alembic then writes "empty message".
        message: Option<String>,
        autogenerate: bool,
        sql: bool,
        /// `--head`; the CLI passes None without it and Alembic reads that as `head`.
        head: String,
        splice: bool,
        branch_label: Option<String>,
        version_path: Option<String>,
        rev_id: Option<String>,
        depends_on: Vec<String>,
    },
    Show {
        rev: String,
    },
    Stamp {
        revisions: Vec<String>,
        sql: bool,
        tag: Option<String>,
        purge: bool,
    },
    Upgrade {
        revision: String,
        sql: bool,
        tag: Option<String>,
    },
}

impl Command {
    /// The subcommand's name on the command line (`ensure_version`, not `ensure-version`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Branches { .. } => "branches",
            Command::Check => "check",
            Command::Current { .. } => "current",
            Command::Downgrade { .. } => "downgrade",
            Command::Edit { .. } => "edit",
            Command::EnsureVersion { .. } => "ensure_version",
            Command::Heads { .. } => "heads",
            Command::History { .. } => "history",
            Command::Init { .. } => "init",
            Command::ListTemplates => "list_templates",
            Command::Merge { .. } => "merge",
            Command::Revision { .. } => "revision",
            Command::Show { .. } => "show",
            Command::Stamp { .. } => "stamp",
            Command::Upgrade { .. } => "upgrade",
        }
    }
}

/// Parses `alembic ARGS...` (without the program name). `Err` is what argparse
/// would print before exiting: help or `--version` on stdout with exit code 0,
/// or usage and an error on stderr with exit code 2.
pub fn parse(args: &[String]) -> Result<Invocation, CommandOutput> {
    let parser = alembic_parser();
    let mut namespace = Namespace::new();
    let extras = parser.parse_known_args(args, &mut namespace)?;
    if !extras.is_empty() {
        return Err(parser.error(&format!("unrecognized arguments: {}", extras.join(" "))));
    }
    // argparse leaves subcommands optional; Alembic reports their absence itself.
    let chosen = match namespace.get(COMMAND_DEST) {
        Some(Value::Text(name)) => COMMANDS.iter().find(|spec| spec.name == name),
        _ => None,
    };
    let Some(spec) = chosen else {
        return Err(parser.error("too few arguments"));
    };
    let command = (spec.build)(&namespace);
    let global = GlobalOptions {
        config: namespace.list("config"),
        name: namespace
            .text("name")
            .unwrap_or_else(|| "alembic".to_string()),
        x: namespace.list("x"),
        raiseerr: namespace.flag("raiseerr"),
        quiet: namespace.flag("quiet"),
    };
    Ok(Invocation { global, command })
}

/// `usage: alembic ...` and `alembic: error: MESSAGE`, exit code 2: what
/// Alembic's top-level `parser.error` prints.
pub fn usage_error(message: &str) -> CommandOutput {
    alembic_parser().error(message)
}

// ---------------------------------------------------------------------------
// The table: Alembic's CLI as data
// ---------------------------------------------------------------------------

/// One function of `alembic.command`, as `CommandLine.register_command` sees it.
struct CommandSpec {
    name: &'static str,
    /// The docstring's first paragraph, lines stripped and joined by spaces.
    help: &'static str,
    /// Parameters without defaults after `config` (stamp's `revision` already
    /// translated to `revisions`, as `_POSITIONAL_TRANSLATIONS` does).
    positional: &'static [&'static str],
    /// Parameters with defaults, in signature order; only those in
    /// [`KEYWORD_OPTIONS`] become options (e.g. not `process_revision_directives`).
    keyword: &'static [&'static str],
    /// The parsed values as a [`Command`].
    build: fn(&Namespace) -> Command,
}

/// Alembic registers every public function of `alembic.command`, in `dir()` (sorted) order.
const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "branches",
        help: "Show current branch points.",
        positional: &[],
        keyword: &["verbose"],
        build: |ns| Command::Branches {
            verbose: ns.flag("verbose"),
        },
    },
    CommandSpec {
        name: "check",
        help: "Check if revision command with autogenerate has pending upgrade ops.",
        positional: &[],
        keyword: &[],
        build: |_| Command::Check,
    },
    CommandSpec {
        name: "current",
        help: "Display the current revision for a database.",
        positional: &[],
        keyword: &["check_heads", "verbose"],
        build: |ns| Command::Current {
            check_heads: ns.flag("check_heads"),
            verbose: ns.flag("verbose"),
        },
    },
    CommandSpec {
        name: "downgrade",
        help: "Revert to a previous version.",
        positional: &["revision"],
        keyword: &["sql", "tag"],
        build: |ns| Command::Downgrade {
            revision: ns.required("revision"),
            sql: ns.flag("sql"),
            tag: ns.text("tag"),
        },
    },
    CommandSpec {
        name: "edit",
        help: "Edit revision script(s) using $EDITOR.",
        positional: &["rev"],
        keyword: &[],
        build: |ns| Command::Edit {
            rev: ns.required("rev"),
        },
    },
    CommandSpec {
        name: "ensure_version",
        // Sic: the docstring's line break sits before the full stop.
        help: "Create the alembic version table if it doesn't exist already .",
        positional: &[],
        keyword: &["sql"],
        build: |ns| Command::EnsureVersion {
            sql: ns.flag("sql"),
        },
    },
    CommandSpec {
        name: "heads",
        help: "Show current available heads in the script directory.",
        positional: &[],
        keyword: &["verbose", "resolve_dependencies"],
        build: |ns| Command::Heads {
            verbose: ns.flag("verbose"),
            resolve_dependencies: ns.flag("resolve_dependencies"),
        },
    },
    CommandSpec {
        name: "history",
        help: "List changeset scripts in chronological order.",
        positional: &[],
        keyword: &["rev_range", "verbose", "indicate_current"],
        build: |ns| Command::History {
            rev_range: ns.text("rev_range"),
            verbose: ns.flag("verbose"),
            indicate_current: ns.flag("indicate_current"),
        },
    },
    CommandSpec {
        name: "init",
        help: "Initialize a new scripts directory.",
        positional: &["directory"],
        keyword: &["template", "package"],
        build: |ns| Command::Init {
            directory: ns.required("directory"),
            template: ns.text("template").unwrap_or_else(|| "generic".to_string()),
            package: ns.flag("package"),
        },
    },
    CommandSpec {
        name: "list_templates",
        help: "List available templates.",
        positional: &[],
        keyword: &[],
        build: |_| Command::ListTemplates,
    },
    CommandSpec {
        name: "merge",
        help: "Merge two revisions together.  Creates a new migration file.",
        positional: &["revisions"],
        keyword: &["message", "branch_label", "rev_id", "splice"],
        build: |ns| Command::Merge {
            revisions: ns.list("revisions"),
            message: ns.text("message"),
            branch_label: ns.text("branch_label"),
            rev_id: ns.text("rev_id"),
            splice: ns.flag("splice"),
        },
    },
    CommandSpec {
        name: "revision",
        help: "Create a new revision file.",
        positional: &[],
        keyword: &[
            "message",
            "autogenerate",
            "sql",
            "head",
            "splice",
            "branch_label",
            "version_path",
            "rev_id",
            "depends_on",
            "process_revision_directives",
        ],
        build: |ns| Command::Revision {
            message: ns.text("message"),
            autogenerate: ns.flag("autogenerate"),
            sql: ns.flag("sql"),
            head: ns.text("head").unwrap_or_else(|| "head".to_string()),
            splice: ns.flag("splice"),
            branch_label: ns.text("branch_label"),
            version_path: ns.text("version_path"),
            rev_id: ns.text("rev_id"),
            depends_on: ns.list("depends_on"),
        },
    },
    CommandSpec {
        name: "show",
        help: "Show the revision(s) denoted by the given symbol.",
        positional: &["rev"],
        keyword: &[],
        build: |ns| Command::Show {
            rev: ns.required("rev"),
        },
    },
    CommandSpec {
        name: "stamp",
        help: "'stamp' the revision table with the given revision; don't run any migrations.",
        positional: &["revisions"],
        keyword: &["sql", "tag", "purge"],
        build: |ns| Command::Stamp {
            revisions: ns.list("revisions"),
            sql: ns.flag("sql"),
            tag: ns.text("tag"),
            purge: ns.flag("purge"),
        },
    },
    CommandSpec {
        name: "upgrade",
        help: "Upgrade to a later version.",
        positional: &["revision"],
        keyword: &["sql", "tag"],
        build: |ns| Command::Upgrade {
            revision: ns.required("revision"),
            sql: ns.flag("sql"),
            tag: ns.text("tag"),
        },
    },
];

/// `CommandLine._KWARGS_OPTS`: parameter → option strings, argparse action
/// (`store_true`, `store` or `append`) and help.
const KEYWORD_OPTIONS: &[(&str, &[&str], Behavior, &str)] = &[
    ("template", &["-t", "--template"], Behavior::Store, "Setup template for use with 'init'"),
    ("message", &["-m", "--message"], Behavior::Store, "Message string to use with 'revision'"),
    (
        "sql",
        &["--sql"],
        Behavior::StoreTrue,
        "Don't emit SQL to database - dump to standard output/file instead. See docs on offline mode.",
    ),
    ("tag", &["--tag"], Behavior::Store, "Arbitrary 'tag' name - can be used by custom env.py scripts."),
    ("head", &["--head"], Behavior::Store, "Specify head revision or <branchname>@head to base new revision on."),
    ("splice", &["--splice"], Behavior::StoreTrue, "Allow a non-head revision as the 'head' to splice onto"),
    (
        "depends_on",
        &["--depends-on"],
        Behavior::Append,
        "Specify one or more revision identifiers which this revision should depend on.",
    ),
    ("rev_id", &["--rev-id"], Behavior::Store, "Specify a hardcoded revision id instead of generating one"),
    ("version_path", &["--version-path"], Behavior::Store, "Specify specific path from config for version file"),
    ("branch_label", &["--branch-label"], Behavior::Store, "Specify a branch label to apply to the new revision"),
    ("verbose", &["-v", "--verbose"], Behavior::StoreTrue, "Use more verbose output"),
    ("resolve_dependencies", &["--resolve-dependencies"], Behavior::StoreTrue, "Treat dependency versions as down revisions"),
    (
        "autogenerate",
        &["--autogenerate"],
        Behavior::StoreTrue,
        "Populate revision script with candidate migration operations, based on comparison of database to model.",
    ),
    ("rev_range", &["-r", "--rev-range"], Behavior::Store, "Specify a revision range; format is [start]:[end]"),
    ("indicate_current", &["-i", "--indicate-current"], Behavior::StoreTrue, "Indicate the current revision"),
    ("purge", &["--purge"], Behavior::StoreTrue, "Unconditionally erase the version table before stamping"),
    (
        "package",
        &["--package"],
        Behavior::StoreTrue,
        "Write empty __init__.py files to the environment and version locations",
    ),
    (
        "check_heads",
        &["-c", "--check-heads"],
        Behavior::StoreTrue,
        "Check if all head revisions are applied to the database. Exit with an error code if this is not the case.",
    ),
];

/// `CommandLine._POSITIONAL_OPTS`: parameter → (one or more values?, help).
/// Other positional parameters (`rev`) get argparse's defaults: one value, no help.
const POSITIONAL_OPTIONS: &[(&str, Nargs, &str)] = &[
    ("directory", Nargs::One, "location of scripts directory"),
    ("revision", Nargs::One, "revision identifier"),
    (
        "revisions",
        Nargs::OneOrMore,
        "one or more revisions, or 'heads' for all heads",
    ),
];

/// The namespace key `register_command`'s `set_defaults(cmd=...)` stands for.
const COMMAND_DEST: &str = "cmd";

/// `CommandLine._generate_args`: the top-level parser and one subparser per command.
fn alembic_parser() -> Parser {
    let mut parser = Parser::new(PROG.to_string());
    parser.add(Action::option(
        &["--version"],
        Behavior::Version,
        "show program's version number and exit",
    ));
    parser.add(Action::option(
        &["-c", "--config"],
        Behavior::Append,
        "Alternate config file; defaults to value of ALEMBIC_CONFIG environment variable, or \"alembic.ini\". \
         May also refer to pyproject.toml file.  May be specified twice to reference both files separately",
    ));
    parser.add(Action::option(
        &["-n", "--name"],
        Behavior::Store,
        "Name of section in .ini file to use for Alembic config (only applies to configparser config, not toml)",
    ));
    parser.add(Action::option(
        &["-x"],
        Behavior::Append,
        "Additional arguments consumed by custom env.py scripts, e.g. -x setting1=somesetting -x setting2=somesetting",
    ));
    parser.add(Action::option(
        &["--raiseerr"],
        Behavior::StoreTrue,
        "Raise a full stack trace on error",
    ));
    parser.add(Action::option(
        &["-q", "--quiet"],
        Behavior::StoreTrue,
        "Do not log to std output.",
    ));

    let subcommands = COMMANDS.iter().map(|spec| Subcommand {
        name: spec.name,
        help: spec.help,
        parser: command_parser(spec),
    });
    parser.add_subcommands(subcommands.collect());
    parser
}

fn command_parser(spec: &CommandSpec) -> Parser {
    let mut parser = Parser::new(format!("{PROG} {}", spec.name));
    for param in spec.keyword {
        if let Some((_, flags, behavior, help)) =
            KEYWORD_OPTIONS.iter().find(|(name, ..)| name == param)
        {
            parser.add(Action::option(flags, *behavior, help));
        }
    }
    for param in spec.positional {
        let (nargs, help) = match POSITIONAL_OPTIONS.iter().find(|(name, ..)| name == param) {
            Some((_, nargs, help)) => (*nargs, Some(*help)),
            None => (Nargs::One, None),
        };
        parser.add(Action::positional(param, nargs, help));
    }
    parser
}

// ---------------------------------------------------------------------------
// The shape of the command line, for the terminal's Tab completion
// ---------------------------------------------------------------------------

/// An option of the command line, as Tab completion needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionShape {
    /// Its option strings (`-m`, `--message`).
    pub flags: Vec<&'static str>,
    /// The parameter it sets (`message`, `rev_range`, `config`); empty for `--help`/`--version`.
    pub dest: String,
    /// Whether a value follows it.
    pub takes_value: bool,
}

/// One parser of the command line: the top level or a subcommand's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParserShape {
    pub options: Vec<OptionShape>,
    /// Its positional parameters in order (`revision`, `revisions`, `rev`,
    /// `directory`), each with whether it takes more than one value.
    pub positionals: Vec<(String, bool)>,
    /// The subcommands (top level only), in Alembic's order.
    pub subcommands: Vec<(&'static str, ParserShape)>,
}

impl ParserShape {
    /// The option an option word names, as argparse matches it: an exact
    /// option string, or an unambiguous prefix of a long one; a `--opt=value`
    /// word names `--opt`.
    pub fn option(&self, word: &str) -> Option<&OptionShape> {
        let name = match word.split_once('=') {
            Some((name, _)) if word.starts_with("--") => name,
            _ => word,
        };
        let flags = self.options.iter().flat_map(|o| o.flags.iter().map(move |f| (o, *f)));
        if let Some((option, _)) = flags.clone().find(|(_, f)| *f == name) {
            return Some(option);
        }
        if !name.starts_with("--") {
            return None;
        }
        let mut matches = flags.filter(|(_, f)| f.starts_with(name));
        match (matches.next(), matches.next()) {
            (Some((option, _)), None) => Some(option),
            _ => None,
        }
    }
}

/// The command line's options, positionals and subcommands, read off the
/// same parser that parses it.
pub fn shape() -> ParserShape {
    parser_shape(&alembic_parser())
}

fn parser_shape(parser: &Parser) -> ParserShape {
    let options = parser
        .actions
        .iter()
        .filter(|action| !action.is_positional())
        .map(|action| OptionShape {
            flags: action.flags.clone(),
            dest: action.dest.clone().unwrap_or_default(),
            takes_value: action.nargs != Nargs::Zero,
        })
        .collect();
    let positionals = parser
        .actions
        .iter()
        .filter(|action| action.behavior == Behavior::Positional)
        .map(|action| (action.dest.clone().unwrap_or_default(), action.nargs == Nargs::OneOrMore))
        .collect();
    let subcommands = parser.subcommands.iter().map(|sub| (sub.name, parser_shape(&sub.parser))).collect();
    ParserShape { options, positionals, subcommands }
}

// ---------------------------------------------------------------------------
// The emulator: Python 3.11 argparse, as far as Alembic uses it
// ---------------------------------------------------------------------------

/// How many command-line words an argument takes (argparse's `nargs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nargs {
    Zero,
    One,
    OneOrMore,
    /// A subcommand name and everything after it (`argparse.PARSER`).
    Parser,
}

/// What an argument does when it is met (argparse's `action=`, plus positionals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behavior {
    Help,
    Version,
    StoreTrue,
    Store,
    Append,
    Positional,
    Subcommands,
}

struct Action {
    /// Empty for positionals.
    flags: Vec<&'static str>,
    /// Where the value goes; `None` is argparse's `SUPPRESS` (help, version, subparsers).
    dest: Option<String>,
    nargs: Nargs,
    behavior: Behavior,
    help: Option<String>,
    /// Only the subparsers action has one: `{branches,check,...}`.
    metavar: Option<String>,
    required: bool,
}

impl Action {
    fn option(flags: &[&'static str], behavior: Behavior, help: &str) -> Action {
        // argparse's dest: the first long option, else the first short one, minus dashes.
        let long = flags
            .iter()
            .find(|flag| flag.starts_with("--"))
            .unwrap_or(&flags[0]);
        let dest = long.trim_start_matches('-').replace('-', "_");
        let (dest, nargs) = match behavior {
            Behavior::Help | Behavior::Version => (None, Nargs::Zero),
            Behavior::StoreTrue => (Some(dest), Nargs::Zero),
            _ => (Some(dest), Nargs::One),
        };
        Action {
            flags: flags.to_vec(),
            dest,
            nargs,
            behavior,
            help: Some(help.to_string()),
            metavar: None,
            required: false,
        }
    }

    fn positional(name: &str, nargs: Nargs, help: Option<&str>) -> Action {
        Action {
            flags: Vec::new(),
            dest: Some(name.to_string()),
            nargs,
            behavior: Behavior::Positional,
            help: help.map(str::to_string),
            metavar: None,
            required: true,
        }
    }

    fn is_positional(&self) -> bool {
        self.flags.is_empty()
    }

    /// argparse's `_get_action_name`, which error messages use.
    fn display_name(&self) -> String {
        if !self.is_positional() {
            self.flags.join("/")
        } else if let Some(metavar) = &self.metavar {
            metavar.clone()
        } else {
            self.dest.clone().unwrap_or_default()
        }
    }

    /// The metavar in usage and help: `{choices}`, the dest (positionals) or DEST.
    fn metavar(&self) -> String {
        match (&self.metavar, &self.dest) {
            (Some(metavar), _) => metavar.clone(),
            (None, Some(dest)) if self.is_positional() => dest.clone(),
            (None, Some(dest)) => dest.to_uppercase(),
            (None, None) => String::new(),
        }
    }

    /// `HelpFormatter._format_args`.
    fn format_args(&self) -> String {
        let metavar = self.metavar();
        match self.nargs {
            Nargs::Zero => String::new(),
            Nargs::One => metavar,
            Nargs::OneOrMore => format!("{metavar} [{metavar} ...]"),
            Nargs::Parser => format!("{metavar} ..."),
        }
    }

    /// `HelpFormatter._format_action_invocation`: `-c CONFIG, --config CONFIG`.
    fn invocation(&self) -> String {
        if self.is_positional() {
            return self.metavar();
        }
        if self.nargs == Nargs::Zero {
            return self.flags.join(", ");
        }
        let args = self.format_args();
        self.flags
            .iter()
            .map(|flag| format!("{flag} {args}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

struct Subcommand {
    name: &'static str,
    help: &'static str,
    parser: Parser,
}

struct Parser {
    prog: String,
    actions: Vec<Action>,
    /// The parsers of the subparsers action, if the parser has one.
    subcommands: Vec<Subcommand>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Bool(bool),
    Text(String),
    List(Vec<String>),
}

/// argparse's `Namespace`: dest → value; absent is Python's None.
struct Namespace(BTreeMap<String, Value>);

impl Namespace {
    fn new() -> Namespace {
        Namespace(BTreeMap::new())
    }

    fn get(&self, dest: &str) -> Option<&Value> {
        self.0.get(dest)
    }

    fn flag(&self, dest: &str) -> bool {
        matches!(self.get(dest), Some(Value::Bool(true)))
    }

    fn text(&self, dest: &str) -> Option<String> {
        match self.get(dest) {
            Some(Value::Text(text)) => Some(text.clone()),
            _ => None,
        }
    }

    /// A required positional's value (argparse has already insisted on it).
    fn required(&self, dest: &str) -> String {
        self.text(dest).unwrap_or_default()
    }

    fn list(&self, dest: &str) -> Vec<String> {
        match self.get(dest) {
            Some(Value::List(items)) => items.clone(),
            _ => Vec::new(),
        }
    }
}

/// An option word as `_parse_optional` understood it: the action (`None` for
/// an unknown option, which goes to the extras), the option string it matched,
/// and a value glued on with `=` or after a short flag.
#[derive(Clone)]
struct OptionWord {
    action: Option<usize>,
    option_string: String,
    explicit_arg: Option<String>,
}

/// Why parsing stopped: argparse's `ArgumentError` (reported by the parser it
/// was raised in, as `argument NAME: MESSAGE`) or an exit already decided.
enum Stop {
    Argument { action: usize, message: String },
    Exit(CommandOutput),
}

impl From<CommandOutput> for Stop {
    fn from(output: CommandOutput) -> Stop {
        Stop::Exit(output)
    }
}

impl Parser {
    fn new(prog: String) -> Parser {
        let mut parser = Parser {
            prog,
            actions: Vec::new(),
            subcommands: Vec::new(),
        };
        parser.add(Action::option(
            &["-h", "--help"],
            Behavior::Help,
            "show this help message and exit",
        ));
        parser
    }

    fn add(&mut self, action: Action) {
        self.actions.push(action);
    }

    fn add_subcommands(&mut self, subcommands: Vec<Subcommand>) {
        let names: Vec<&str> = subcommands.iter().map(|sub| sub.name).collect();
        self.add(Action {
            flags: Vec::new(),
            dest: None,
            nargs: Nargs::Parser,
            behavior: Behavior::Subcommands,
            help: None,
            metavar: Some(format!("{{{}}}", names.join(","))),
            required: false,
        });
        self.subcommands = subcommands;
    }

    fn find_flag(&self, flag: &str) -> Option<usize> {
        self.actions
            .iter()
            .position(|action| action.flags.contains(&flag))
    }

    /// Option strings in registration order (argparse's `_option_string_actions`).
    fn flags(&self) -> impl Iterator<Item = (usize, &'static str)> + '_ {
        self.actions
            .iter()
            .enumerate()
            .flat_map(|(index, action)| action.flags.iter().map(move |flag| (index, *flag)))
    }

    /// `ArgumentParser.error`: usage and `PROG: error: MESSAGE` on stderr, exit 2.
    fn error(&self, message: &str) -> CommandOutput {
        CommandOutput::error(
            format!("{}{}: error: {message}\n", self.format_usage(), self.prog),
            2,
        )
    }

    fn parse_known_args(
        &self,
        args: &[String],
        namespace: &mut Namespace,
    ) -> Result<Vec<String>, CommandOutput> {
        // Option defaults are None (absent) except store_true's False; Alembic's
        // string defaults (`name`, `template`) are applied when typing the result.
        for action in &self.actions {
            if let (Some(dest), Behavior::StoreTrue) = (&action.dest, action.behavior) {
                namespace
                    .0
                    .entry(dest.clone())
                    .or_insert(Value::Bool(false));
            }
        }
        let mut from_subcommand = Vec::new();
        match self.parse_known_args_inner(args, namespace, &mut from_subcommand) {
            Ok(mut extras) => {
                extras.extend(from_subcommand);
                Ok(extras)
            }
            Err(Stop::Exit(output)) => Err(output),
            Err(Stop::Argument { action, message }) => {
                let name = self.actions[action].display_name();
                Err(self.error(&format!("argument {name}: {message}")))
            }
        }
    }

    /// `ArgumentParser._parse_known_args`: classify every word as option (`O`),
    /// argument (`A`) or `--` (`-`), then consume options and positionals alternately.
    fn parse_known_args_inner(
        &self,
        args: &[String],
        namespace: &mut Namespace,
        from_subcommand: &mut Vec<String>,
    ) -> Result<Vec<String>, Stop> {
        let mut options_at: BTreeMap<usize, OptionWord> = BTreeMap::new();
        let mut pattern = String::new();
        for (index, arg) in args.iter().enumerate() {
            if arg == "--" {
                pattern.push('-');
                pattern.extend(std::iter::repeat_n('A', args.len() - index - 1));
                break;
            }
            match self.parse_optional(arg)? {
                Some(word) => {
                    options_at.insert(index, word);
                    pattern.push('O');
                }
                None => pattern.push('A'),
            }
        }
        let pattern = pattern.as_bytes();

        let mut run = Run {
            parser: self,
            args,
            pattern,
            namespace,
            from_subcommand,
            seen: Vec::new(),
            extras: Vec::new(),
        };
        let mut positionals: Vec<usize> = (0..self.actions.len())
            .filter(|&i| self.actions[i].is_positional())
            .collect();

        let mut start = 0;
        let last_option = options_at.keys().next_back().copied();
        while let Some(last) = last_option.filter(|&last| start <= last) {
            let next_option = options_at
                .range(start..=last)
                .next()
                .map_or(last, |(index, _)| *index);
            if start != next_option {
                let end = run.consume_positionals(&mut positionals, start)?;
                // A positional may have swallowed option words (a subcommand does).
                if end > start {
                    start = end;
                    continue;
                }
                start = end;
            }
            if !options_at.contains_key(&start) {
                run.extras.extend(args[start..next_option].iter().cloned());
                start = next_option;
            }
            start = run.consume_optional(&options_at[&start], start)?;
        }
        let stop = run.consume_positionals(&mut positionals, start)?;
        run.extras.extend(args[stop..].iter().cloned());

        let missing: Vec<String> = (0..self.actions.len())
            .filter(|index| self.actions[*index].required && !run.seen.contains(index))
            .map(|index| self.actions[index].display_name())
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "the following arguments are required: {}",
                missing.join(", ")
            );
            return Err(Stop::Exit(self.error(&message)));
        }
        Ok(run.extras)
    }

    /// `ArgumentParser._parse_optional`: is this word an option, and which?
    fn parse_optional(&self, arg: &str) -> Result<Option<OptionWord>, CommandOutput> {
        if !arg.starts_with('-') {
            return Ok(None);
        }
        if let Some(index) = self.find_flag(arg) {
            return Ok(Some(OptionWord {
                action: Some(index),
                option_string: arg.to_string(),
                explicit_arg: None,
            }));
        }
        if arg.len() == 1 {
            return Ok(None);
        }
        if let Some((flag, value)) = arg.split_once('=') {
            if let Some(index) = self.find_flag(flag) {
                return Ok(Some(OptionWord {
                    action: Some(index),
                    option_string: flag.to_string(),
                    explicit_arg: Some(value.to_string()),
                }));
            }
        }
        let mut candidates = self.option_prefix_matches(arg);
        if candidates.len() > 1 {
            let matches: Vec<&str> = candidates
                .iter()
                .map(|word| word.option_string.as_str())
                .collect();
            let message = format!("ambiguous option: {arg} could match {}", matches.join(", "));
            return Err(self.error(&message));
        }
        if let Some(word) = candidates.pop() {
            return Ok(Some(word));
        }
        // `-1` and `-.5` are values, as no option of Alembic's looks like a number.
        if looks_like_negative_number(arg) || arg.contains(' ') {
            return Ok(None);
        }
        Ok(Some(OptionWord {
            action: None,
            option_string: arg.to_string(),
            explicit_arg: None,
        }))
    }

    /// `ArgumentParser._get_option_tuples` (with `allow_abbrev`): `--mess` may
    /// abbreviate `--message`; `-mVALUE` is `-m` with its value glued on.
    fn option_prefix_matches(&self, arg: &str) -> Vec<OptionWord> {
        let mut matches = Vec::new();
        if arg.starts_with("--") {
            let (prefix, explicit_arg) = match arg.split_once('=') {
                Some((prefix, value)) => (prefix, Some(value.to_string())),
                None => (arg, None),
            };
            for (index, flag) in self.flags() {
                if flag.starts_with(prefix) {
                    matches.push(OptionWord {
                        action: Some(index),
                        option_string: flag.to_string(),
                        explicit_arg: explicit_arg.clone(),
                    });
                }
            }
        } else {
            let split = arg.char_indices().nth(2).map_or(arg.len(), |(at, _)| at);
            let (short_flag, glued_value) = arg.split_at(split);
            for (index, flag) in self.flags() {
                if flag == short_flag {
                    matches.push(OptionWord {
                        action: Some(index),
                        option_string: flag.to_string(),
                        explicit_arg: Some(glued_value.to_string()),
                    });
                } else if flag.starts_with(arg) {
                    matches.push(OptionWord {
                        action: Some(index),
                        option_string: flag.to_string(),
                        explicit_arg: None,
                    });
                }
            }
        }
        matches
    }

    // ---- help ----

    /// `format_usage`: `usage: PROG [-h] ...`, wrapped as argparse wraps it.
    fn format_usage(&self) -> String {
        format!("usage: {}\n", self.usage_body())
    }

    /// `HelpFormatter._format_usage` without the `usage: ` prefix.
    fn usage_body(&self) -> String {
        const PREFIX: &str = "usage: ";
        let optionals: Vec<&Action> = self.actions.iter().filter(|a| !a.is_positional()).collect();
        let positionals: Vec<&Action> = self.actions.iter().filter(|a| a.is_positional()).collect();
        let usage_part = |action: &&Action| -> String {
            if action.is_positional() {
                action.format_args()
            } else if action.nargs == Nargs::Zero {
                format!("[{}]", action.flags[0])
            } else {
                format!("[{} {}]", action.flags[0], action.format_args())
            }
        };
        let opt_usage: Vec<String> = optionals.iter().map(usage_part).collect();
        let pos_usage: Vec<String> = positionals.iter().map(usage_part).collect();
        let all: Vec<&str> = std::iter::once(self.prog.as_str())
            .chain(opt_usage.iter().chain(&pos_usage).map(String::as_str))
            .collect();
        let usage = all.join(" ");
        if PREFIX.len() + usage.chars().count() <= WIDTH {
            return usage;
        }
        let opt_parts = usage_parts(&opt_usage.join(" "));
        let pos_parts = usage_parts(&pos_usage.join(" "));
        let prog = self.prog.as_str();
        let prog_len = prog.chars().count();
        let lines: Vec<String> = if (PREFIX.len() + prog_len) as f64 <= 0.75 * WIDTH as f64 {
            // Short prog: optionals follow it, positionals start their own line.
            let indent = " ".repeat(PREFIX.len() + prog_len + 1);
            let with_prog = |parts: &[String]| {
                let mut all = vec![prog.to_string()];
                all.extend(parts.iter().cloned());
                all
            };
            if !opt_parts.is_empty() {
                let mut lines = usage_lines(&with_prog(&opt_parts), &indent, Some(PREFIX));
                lines.extend(usage_lines(&pos_parts, &indent, None));
                lines
            } else if !pos_parts.is_empty() {
                usage_lines(&with_prog(&pos_parts), &indent, Some(PREFIX))
            } else {
                vec![prog.to_string()]
            }
        } else {
            let indent = " ".repeat(PREFIX.len());
            let all_parts: Vec<String> = opt_parts.iter().chain(&pos_parts).cloned().collect();
            let mut lines = usage_lines(&all_parts, &indent, None);
            if lines.len() > 1 {
                lines = usage_lines(&opt_parts, &indent, None);
                lines.extend(usage_lines(&pos_parts, &indent, None));
            }
            std::iter::once(prog.to_string()).chain(lines).collect()
        };
        lines.join("\n")
    }

    /// `ArgumentParser.format_help`: usage, then `positional arguments:` and
    /// `options:` sections, each left out when empty.
    fn format_help(&self) -> String {
        let section_indent = 2;
        // The help column: two past the longest invocation (subcommand names
        // and the `{...}` choices included), but at most 24.
        let longest = self
            .actions
            .iter()
            .flat_map(|action| {
                let own = action.invocation().chars().count();
                let choices = self
                    .subcommand_entries(action)
                    .map(|(name, _)| name.chars().count());
                std::iter::once(own).chain(choices)
            })
            .max()
            .unwrap_or(0)
            + section_indent;
        let help_position = (longest + 2).min(MAX_HELP_POSITION);

        let mut text = format!("usage: {}\n\n", self.usage_body());
        for (heading, positional) in [("positional arguments", true), ("options", false)] {
            let actions: Vec<&Action> = self
                .actions
                .iter()
                .filter(|a| a.is_positional() == positional)
                .collect();
            if actions.is_empty() {
                continue;
            }
            text.push_str(&format!("\n{heading}:\n"));
            for action in actions {
                text.push_str(&format_action_entry(
                    &action.invocation(),
                    action.help.as_deref(),
                    section_indent,
                    help_position,
                ));
                for (name, help) in self.subcommand_entries(action) {
                    text.push_str(&format_action_entry(
                        name,
                        Some(help),
                        section_indent + 2,
                        help_position,
                    ));
                }
            }
            text.push('\n');
        }
        collapse_blank_lines(&text).trim_matches('\n').to_string() + "\n"
    }

    /// The subcommands listed under the subparsers action, as (name, help).
    fn subcommand_entries<'a>(
        &'a self,
        action: &Action,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let listed = action.behavior == Behavior::Subcommands;
        self.subcommands
            .iter()
            .filter(move |_| listed)
            .map(|sub| (sub.name, sub.help))
    }
}

/// One `_parse_known_args` call's moving parts.
struct Run<'a> {
    parser: &'a Parser,
    args: &'a [String],
    pattern: &'a [u8],
    namespace: &'a mut Namespace,
    from_subcommand: &'a mut Vec<String>,
    seen: Vec<usize>,
    extras: Vec<String>,
}

impl Run<'_> {
    /// `consume_optional`: one option word (or a bundle like `-vi`) and its value.
    fn consume_optional(&mut self, word: &OptionWord, start: usize) -> Result<usize, Stop> {
        let OptionWord {
            mut action,
            mut option_string,
            mut explicit_arg,
        } = word.clone();
        let mut taken: Vec<(usize, Vec<String>)> = Vec::new();
        let stop;
        loop {
            let Some(index) = action else {
                self.extras.push(self.args[start].clone());
                return Ok(start + 1);
            };
            let nargs = self.parser.actions[index].nargs;
            if let Some(explicit) = explicit_arg.take() {
                let is_short = option_string.chars().nth(1) != Some('-');
                if nargs == Nargs::Zero && is_short && !explicit.is_empty() {
                    // `-vi`: a flag, then more single-letter options in its tail.
                    taken.push((index, Vec::new()));
                    let mut rest = explicit.chars();
                    let next_letter = rest.next().unwrap_or_default();
                    option_string = format!("-{next_letter}");
                    let remaining: String = rest.collect();
                    match self.parser.find_flag(&option_string) {
                        Some(next) => {
                            action = Some(next);
                            explicit_arg = (!remaining.is_empty()).then_some(remaining);
                        }
                        None => {
                            let message =
                                format!("ignored explicit argument {}", python_repr(&explicit));
                            return Err(Stop::Argument {
                                action: index,
                                message,
                            });
                        }
                    }
                } else if nargs == Nargs::One {
                    stop = start + 1;
                    taken.push((index, vec![explicit]));
                    break;
                } else {
                    let message = format!("ignored explicit argument {}", python_repr(&explicit));
                    return Err(Stop::Argument {
                        action: index,
                        message,
                    });
                }
            } else {
                let from = start + 1;
                let count = match_option_args(nargs, &self.pattern[from..]).ok_or_else(|| {
                    Stop::Argument {
                        action: index,
                        message: "expected one argument".to_string(),
                    }
                })?;
                stop = from + count;
                taken.push((index, self.args[from..stop].to_vec()));
                break;
            }
        }
        for (index, values) in taken {
            self.take_action(index, values)?;
        }
        Ok(stop)
    }

    /// `consume_positionals`: as many positionals as the words from `start` can fill.
    fn consume_positionals(
        &mut self,
        positionals: &mut Vec<usize>,
        start: usize,
    ) -> Result<usize, Stop> {
        let nargs: Vec<Nargs> = positionals
            .iter()
            .map(|&i| self.parser.actions[i].nargs)
            .collect();
        let counts = match_positionals_partial(&nargs, &self.pattern[start..]);
        let mut at = start;
        for (&index, count) in positionals.iter().zip(&counts) {
            let values = self.args[at..at + count].to_vec();
            at += count;
            self.take_action(index, values)?;
        }
        positionals.drain(..counts.len());
        Ok(at)
    }

    fn take_action(&mut self, index: usize, mut values: Vec<String>) -> Result<(), Stop> {
        self.seen.push(index);
        let parser = self.parser;
        let action = &parser.actions[index];
        // `_get_values`: the first `--` is only a separator, except for a subcommand's words.
        if action.nargs != Nargs::Parser {
            if let Some(at) = values.iter().position(|v| v == "--") {
                values.remove(at);
            }
        }
        let dest = action.dest.clone().unwrap_or_default();
        match action.behavior {
            Behavior::Help => return Err(Stop::Exit(CommandOutput::ok(parser.format_help()))),
            Behavior::Version => {
                return Err(Stop::Exit(CommandOutput::ok(format!(
                    "{PROG} {ALEMBIC_VERSION}\n"
                ))))
            }
            Behavior::StoreTrue => {
                self.namespace.0.insert(dest, Value::Bool(true));
            }
            Behavior::Store => {
                self.namespace.0.insert(dest, Value::Text(values.remove(0)));
            }
            Behavior::Append => {
                let entry = self
                    .namespace
                    .0
                    .entry(dest)
                    .or_insert_with(|| Value::List(Vec::new()));
                if let Value::List(items) = entry {
                    items.push(values.remove(0));
                }
            }
            Behavior::Positional if action.nargs == Nargs::OneOrMore => {
                self.namespace.0.insert(dest, Value::List(values));
            }
            Behavior::Positional => {
                self.namespace.0.insert(dest, Value::Text(values.remove(0)));
            }
            Behavior::Subcommands => {
                let name = &values[0];
                let Some(sub) = parser.subcommands.iter().find(|sub| sub.name == name) else {
                    let choices: Vec<String> = parser
                        .subcommands
                        .iter()
                        .map(|sub| python_repr(sub.name))
                        .collect();
                    let message = format!(
                        "invalid choice: {} (choose from {})",
                        python_repr(name),
                        choices.join(", ")
                    );
                    return Err(Stop::Argument {
                        action: index,
                        message,
                    });
                };
                self.namespace
                    .0
                    .insert(COMMAND_DEST.to_string(), Value::Text(name.clone()));
                // The subcommand reports its own errors (with its own usage);
                // words it does not know go back up as unrecognized. argparse
                // parses into a fresh namespace and copies it over; sharing one
                // is the same here, as no dest exists at both levels.
                let extras = sub.parser.parse_known_args(&values[1..], self.namespace)?;
                self.from_subcommand.extend(extras);
            }
        }
        Ok(())
    }
}

/// `_match_argument` for an option (Alembic's take no value or one): the value
/// must be the next word, and a plain one (`A`: not an option, not `--`).
fn match_option_args(nargs: Nargs, pattern: &[u8]) -> Option<usize> {
    match nargs {
        Nargs::Zero => Some(0),
        _ => (pattern.first() == Some(&b'A')).then_some(1),
    }
}

/// The longest prefix of `pattern` one positional can take, as argparse's
/// greedy nargs regexes (`-*A-*`, `-*A[A-]*`, `-*A[-AO]*`) match.
fn positional_candidates(nargs: Nargs, pattern: &[u8]) -> Vec<usize> {
    let dashes = pattern.iter().take_while(|&&kind| kind == b'-').count();
    if pattern.get(dashes) != Some(&b'A') {
        return Vec::new();
    }
    let after = dashes + 1;
    let tail = |allowed: &[u8]| {
        pattern[after..]
            .iter()
            .take_while(|kind| allowed.contains(kind))
            .count()
    };
    let longest_tail = match nargs {
        Nargs::Zero => return Vec::new(),
        Nargs::One => tail(b"-"),
        Nargs::OneOrMore => tail(b"A-"),
        Nargs::Parser => tail(b"-AO"),
    };
    // Greedy first, then backtracking to shorter tails.
    (0..=longest_tail)
        .rev()
        .map(|extra| after + extra)
        .collect()
}

/// `_match_arguments_partial`: the word counts for as many leading positionals
/// as can all be matched together.
fn match_positionals_partial(nargs: &[Nargs], pattern: &[u8]) -> Vec<usize> {
    fn match_all(nargs: &[Nargs], pattern: &[u8]) -> Option<Vec<usize>> {
        let Some((first, rest)) = nargs.split_first() else {
            return Some(Vec::new());
        };
        positional_candidates(*first, pattern)
            .into_iter()
            .find_map(|count| {
                let mut counts = match_all(rest, &pattern[count..])?;
                counts.insert(0, count);
                Some(counts)
            })
    }
    (1..=nargs.len())
        .rev()
        .find_map(|take| match_all(&nargs[..take], pattern))
        .unwrap_or_default()
}

/// argparse's `^-\d+$|^-\d*\.\d+$`.
fn looks_like_negative_number(arg: &str) -> bool {
    let Some(number) = arg.strip_prefix('-') else {
        return false;
    };
    let is_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match number.split_once('.') {
        None => is_digits(number),
        Some((whole, fraction)) => (whole.is_empty() || is_digits(whole)) && is_digits(fraction),
    }
}

use crate::engine::pyrepr::py_repr_str as python_repr;

/// The usage's wrappable parts: `[...]` groups and bare words (argparse's `part_regexp`).
fn usage_parts(usage: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in usage.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ' ' if depth == 0 => {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// `get_lines` inside `_format_usage`: fill parts into lines of `WIDTH`.
fn usage_lines(parts: &[String], indent: &str, prefix: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut line_len = prefix.unwrap_or(indent).len() - 1;
    for part in parts {
        let part_len = part.chars().count();
        if line_len + 1 + part_len > WIDTH && !line.is_empty() {
            lines.push(format!("{indent}{}", line.join(" ")));
            line.clear();
            line_len = indent.len() - 1;
        }
        line.push(part);
        line_len += part_len + 1;
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{}", line.join(" ")));
    }
    if prefix.is_some() {
        if let Some(first) = lines.first_mut() {
            *first = first[indent.len()..].to_string();
        }
    }
    lines
}

/// `HelpFormatter._format_action`: the invocation, then its help in the help
/// column (on the same line if the invocation fits before it).
fn format_action_entry(
    invocation: &str,
    help: Option<&str>,
    indent: usize,
    help_position: usize,
) -> String {
    let help_width = WIDTH.saturating_sub(help_position).max(11);
    let action_width = help_position - indent - 2;
    let pad = " ".repeat(indent);
    let Some(help) = help.filter(|help| !help.is_empty()) else {
        return format!("{pad}{invocation}\n");
    };
    let (mut entry, first_indent) = if invocation.chars().count() <= action_width {
        (format!("{pad}{invocation:<action_width$}  "), 0)
    } else {
        (format!("{pad}{invocation}\n"), help_position)
    };
    let lines = wrap(&collapse_whitespace(help), help_width);
    match lines.split_first() {
        Some((first, rest)) => {
            entry.push_str(&format!("{}{first}\n", " ".repeat(first_indent)));
            for line in rest {
                entry.push_str(&format!("{}{line}\n", " ".repeat(help_position)));
            }
        }
        None if !entry.ends_with('\n') => entry.push('\n'),
        None => {}
    }
    entry
}

/// argparse's `_whitespace_matcher.sub(' ', text).strip()`.
fn collapse_whitespace(text: &str) -> String {
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// `format_help`'s `\n\n\n+` → `\n\n`.
fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut newlines = 0;
    for c in text.chars() {
        if c == '\n' {
            newlines += 1;
            if newlines > 2 {
                continue;
            }
        } else {
            newlines = 0;
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------
// textwrap.wrap, as argparse calls it for help text
// ---------------------------------------------------------------------------

/// `textwrap.wrap(text, width)` with its defaults (break long words, break on
/// hyphens, drop whitespace at line ends), for text already collapsed to single spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut chunks: Vec<String> = split_chunks(text);
    chunks.reverse();
    let len = |s: &str| s.chars().count();
    let is_space = |s: &str| s.trim().is_empty();
    let mut lines = Vec::new();
    while !chunks.is_empty() {
        let mut line: Vec<String> = Vec::new();
        let mut line_len = 0;
        if !lines.is_empty() && chunks.last().is_some_and(|c| is_space(c)) {
            chunks.pop();
        }
        while let Some(chunk) = chunks.last() {
            if line_len + len(chunk) > width {
                break;
            }
            line_len += len(chunk);
            line.push(chunks.pop().unwrap_or_default());
        }
        if chunks.last().is_some_and(|chunk| len(chunk) > width) {
            break_long_word(&mut chunks, &mut line, line_len, width);
        }
        if line.last().is_some_and(|c| is_space(c)) {
            line.pop();
        }
        if !line.is_empty() {
            lines.push(line.concat());
        }
    }
    lines
}

/// `TextWrapper._handle_long_word`: cut the next chunk to fit, after a hyphen if one is in reach.
fn break_long_word(chunks: &mut [String], line: &mut Vec<String>, line_len: usize, width: usize) {
    let space_left = if width < 1 { 1 } else { width - line_len };
    let Some(chunk) = chunks.last_mut() else {
        return;
    };
    let chars: Vec<char> = chunk.chars().collect();
    let mut end = space_left;
    if chars.len() > space_left {
        let hyphen = chars[..space_left].iter().rposition(|&c| c == '-');
        if let Some(hyphen) = hyphen.filter(|&h| h > 0 && chars[..h].iter().any(|&c| c != '-')) {
            end = hyphen + 1;
        }
    }
    let end = end.min(chars.len());
    line.push(chars[..end].iter().collect());
    *chunk = chars[end..].iter().collect();
}

/// `TextWrapper._split` with `wordsep_re`: whitespace runs, words, and words
/// split after hyphens between letters (`non-` `head`), plus em-dashes.
fn split_chunks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let at =
        |i: isize| -> Option<char> { usize::try_from(i).ok().and_then(|i| chars.get(i).copied()) };
    let is_letter = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() || c == '_');
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let is_word_punct = |c: Option<char>| is_word(c) || c.is_some_and(|c| "!\"'&.,?".contains(c));
    let is_space = |c: Option<char>| c.is_some_and(|c| "\t\n\x0b\x0c\r ".contains(c));
    // `-{2,}(?=\w)` starting at i: the dashes' count.
    let em_dash_at = |i: isize| -> Option<usize> {
        let dashes = (0..).take_while(|k| at(i + k) == Some('-')).count();
        (dashes >= 2 && is_word(at(i + dashes as isize))).then_some(dashes)
    };

    let mut chunks = Vec::new();
    let mut start = 0usize;
    while start < chars.len() {
        let s = start as isize;
        let end = if is_space(at(s)) {
            (start..chars.len())
                .find(|&i| !is_space(at(i as isize)))
                .unwrap_or(chars.len())
        } else if let Some(dashes) = em_dash_at(s).filter(|_| is_word_punct(at(s - 1))) {
            start + dashes
        } else {
            let mut end = chars.len();
            for k in (start + 1)..=chars.len() {
                let k = k as isize;
                // Hyphenated word: consumed up to k, then `-` at k with letters around it.
                let hyphen = at(k) == Some('-')
                    && ((is_letter(at(k - 2)) && is_letter(at(k - 1)))
                        || (is_letter(at(k - 3))
                            && at(k - 2) == Some('-')
                            && is_letter(at(k - 1))))
                    && is_letter(at(k + 1))
                    && (is_letter(at(k + 2)) || (at(k + 2) == Some('-') && is_letter(at(k + 3))));
                if hyphen {
                    end = k as usize + 1;
                    break;
                }
                if at(k).is_none() || is_space(at(k)) {
                    end = k as usize;
                    break;
                }
                if is_word_punct(at(k - 1)) && em_dash_at(k).is_some() {
                    end = k as usize;
                    break;
                }
            }
            end
        };
        chunks.push(chars[start..end].iter().collect());
        start = end;
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn textwrap_breaks_after_hyphens_between_letters() {
        assert_eq!(
            split_chunks("a non-head x"),
            vec!["a", " ", "non-", "head", " ", "x"]
        );
        assert_eq!(
            split_chunks("env.py -x s=1"),
            vec!["env.py", " ", "-x", " ", "s=1"]
        );
        assert_eq!(split_chunks("well--done"), vec!["well", "--", "done"]);
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn negative_numbers_are_values() {
        for arg in ["-1", "-12", "-.5", "-1.5"] {
            assert!(looks_like_negative_number(arg), "{arg}");
        }
        for arg in ["-", "-1:", "-x", "-1.", "--1"] {
            assert!(!looks_like_negative_number(arg), "{arg}");
        }
    }

    #[test]
    fn python_repr_picks_quotes_like_python() {
        assert_eq!(python_repr("abc"), "'abc'");
        assert_eq!(python_repr("it's"), "\"it's\"");
        assert_eq!(python_repr("a'b\"c"), "'a\\'b\"c'");
    }

    #[test]
    fn positionals_match_greedily() {
        assert_eq!(match_positionals_partial(&[Nargs::One], b"AA"), vec![1]);
        assert_eq!(
            match_positionals_partial(&[Nargs::OneOrMore], b"AA-A"),
            vec![4]
        );
        assert_eq!(match_positionals_partial(&[Nargs::Parser], b"AOA"), vec![3]);
        assert_eq!(
            match_positionals_partial(&[Nargs::One], b"O"),
            Vec::<usize>::new()
        );
        assert_eq!(
            match_positionals_partial(&[Nargs::One, Nargs::One], b"A"),
            vec![1]
        );
    }

    #[test]
    fn downgrade_minus_one_is_a_revision() {
        let parsed = parse(&words("downgrade -1")).unwrap();
        assert_eq!(
            parsed.command,
            Command::Downgrade {
                revision: "-1".into(),
                sql: false,
                tag: None
            }
        );
    }
}
