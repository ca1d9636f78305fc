//! The check vocabulary: one check per line of a step's ```` ```check ````
//! block (`table todos has column priority`, `alembic current is head`,
//! `last command was "alembic downgrade -1" and succeeded`, ...), parsed
//! into [`Check`] and evaluated against a session's real state — files,
//! databases, revision scripts, the running app, the commands typed — never
//! against the text a learner typed alone. Each evaluation says, in a
//! learner's words, what is there or what is missing.
//!
//! `docs/LESSONS.md` documents the vocabulary for instructors; keep it in
//! step with [`VOCABULARY`].

use std::fmt::Write as _;

use crate::engine::alembic::env::Database;
use crate::engine::alembic::graph::RevisionMap;
use crate::engine::app::StartupAction;
use crate::engine::migrate::ops::{ConstraintDef, Op};
use crate::engine::migrate::script::Script;
use crate::engine::shell_words;

use super::observe::{detected_lines, Observed};

/// The forms a check takes, one per line: what `lesson check` lists when a
/// line is not understood.
pub const VOCABULARY: &[&str] = &[
    "file PATH exists | file PATH is absent",
    "file PATH contains \"TEXT\" | file PATH does not contain \"TEXT\"",
    "model TABLE exists | model TABLE has column COLUMN | model TABLE has no column COLUMN  [in MODULE.py]",
    "table TABLE exists | table TABLE is absent  [in DB]",
    "table TABLE has column COLUMN | table TABLE has no column COLUMN  [in DB]",
    "column TABLE.COLUMN is not null | is nullable | has a server default  [in DB]",
    "table TABLE has N rows | table TABLE has at least N rows  [where \"CONDITION\"]  [in DB]",
    "rows in TABLE kept  [in DB]",
    "database revision is head | base | none | \"MESSAGE\" | ID  [in DB]",
    "alembic current is head",
    "alembic is set up | alembic database is FILE | alembic dialect is NAME | alembic target metadata has table TABLE",
    "alembic check passes | alembic check fails",
    "heads count is N | revisions count is N",
    "newest revision (upgrade|downgrade) (is empty | contains OP | does not contain OP)",
    "revision \"MESSAGE\" exists | revision \"MESSAGE\" (upgrade|downgrade) ...",
    "startup calls NAME | startup does not call NAME",
    "startup runs create_all | startup does not run create_all",
    "startup runs alembic upgrade | startup does not run alembic upgrade",
    "drift is empty | drift detects \"TEXT\"",
    "last command was \"COMMAND\" [and succeeded | and failed]",
    "last command succeeded | last command failed | last command output contains \"TEXT\"",
    "ran \"COMMAND\" [or \"COMMAND\"]...",
    "app is running | app is stopped | app failed to start",
    "curl PATH returns STATUS",
    "not CHECK",
];

/// The operations `contains OP` knows, as they are written in a migration.
pub const OPERATIONS: &[&str] = &[
    "create_table",
    "drop_table",
    "add_column",
    "drop_column",
    "alter_column",
    "rename_table",
    "create_index",
    "drop_index",
    "create_unique_constraint",
    "create_foreign_key",
    "create_check_constraint",
    "drop_constraint",
    "execute",
    "bulk_insert",
    "batch_alter_table",
];

/// One parsed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Not(Box<Check>),
    FileExists { path: String, exists: bool },
    FileContains { path: String, text: String, contains: bool },
    ModelTable { module: Option<String>, table: String },
    ModelColumn { module: Option<String>, table: String, column: String, has: bool },
    TableExists { db: Option<String>, table: String, exists: bool },
    TableColumn { db: Option<String>, table: String, column: String, has: bool },
    ColumnIs { db: Option<String>, table: String, column: String, property: ColumnProperty },
    /// `where`: only the rows an SQL condition selects (`details IS NOT NULL`).
    Rows { db: Option<String>, table: String, at_least: bool, count: i64, filter: Option<String> },
    RowsKept { db: Option<String>, table: String },
    DatabaseRevision { db: Option<String>, target: RevisionTarget },
    AlembicSetUp,
    AlembicDatabase { path: String },
    AlembicDialect { name: String },
    TargetMetadataTable { table: String },
    AlembicCheck { passes: bool },
    HeadsCount(usize),
    RevisionsCount(usize),
    RevisionExists(RevisionRef),
    RevisionOps { revision: RevisionRef, upgrade: bool, expect: OpsExpectation },
    StartupCalls { name: String, calls: bool },
    StartupRuns { what: StartupKind, runs: bool },
    DriftEmpty,
    DriftDetects(String),
    LastCommand { pattern: Option<Pattern>, succeeded: Option<bool> },
    LastOutputContains(String),
    Ran(Vec<Pattern>),
    App(AppState),
    Curl { path: String, status: u16 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnProperty {
    NotNull,
    Nullable,
    ServerDefault,
}

/// Where `database revision is ...` expects the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionTarget {
    /// At the scripts' head(s).
    Head,
    /// No revision applied (an empty or absent `alembic_version`).
    Base,
    /// Not under Alembic: no `alembic_version` table.
    None,
    /// At the revision with this message.
    Message(String),
    /// At this revision id.
    Id(String),
}

/// Which revision a check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionRef {
    /// The head (there must be exactly one).
    Newest,
    Message(String),
    Id(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpsExpectation {
    Empty,
    Contains(String),
    DoesNotContain(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartupKind {
    CreateAll,
    AlembicUpgrade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppState {
    Running,
    Stopped,
    FailedToStart,
}

/// A command pattern: words, where `*` stands for any one word and a final
/// `...` for any words after. `uv run` and `python -m` in front of what was
/// typed don't count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub text: String,
    words: Vec<String>,
    open_ended: bool,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let commands = shell_words::split_commands(text).map_err(|e| format!("command pattern \"{text}\": {e}"))?;
        let [command] = commands.as_slice() else {
            return Err(format!("command pattern \"{text}\" must be one command (no ;, && or ||)"));
        };
        let mut words = command.words();
        let open_ended = words.last().is_some_and(|w| w == "...");
        if open_ended {
            words.pop();
        }
        if words.is_empty() {
            return Err(format!("command pattern \"{text}\" names no command"));
        }
        Ok(Pattern { text: text.to_string(), words, open_ended })
    }

    /// Whether one simple command's words match.
    fn matches_words(&self, words: &[String]) -> bool {
        let words = strip_launchers(words);
        if words.len() < self.words.len() || (!self.open_ended && words.len() != self.words.len()) {
            return false;
        }
        self.words.iter().zip(words).all(|(p, w)| p == "*" || p == w)
    }

    /// Whether any command of a typed line matches.
    pub fn matches_line(&self, line: &str) -> bool {
        shell_words::split_commands(line)
            .map(|commands| commands.iter().any(|c| self.matches_words(&c.words())))
            .unwrap_or(false)
    }
}

/// `uv run X` and `python -m X` run X, and so does `NAME=value X` (for X's environment).
fn strip_launchers(mut words: &[String]) -> &[String] {
    loop {
        let assignment = |w: &String| w.split_once('=').is_some_and(|(name, _)| crate::engine::shell::is_variable_name(name.trim_end_matches('+')));
        match words {
            [first, rest @ ..] if assignment(first) && !rest.is_empty() => words = rest,
            [uv, run, rest @ ..] if uv == "uv" && run == "run" && !rest.is_empty() => words = rest,
            [py, m, rest @ ..] if (py == "python" || py == "python3") && m == "-m" && !rest.is_empty() => words = rest,
            _ => return words,
        }
    }
}

/// A check as written on its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    /// Line number in `lesson.md`.
    pub line: usize,
    pub text: String,
    pub check: Check,
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckResult {
    /// The check as written.
    pub check: String,
    pub passed: bool,
    /// For the learner: what is there, or what is missing.
    pub message: String,
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: String,
    quoted: bool,
}

fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    None => return Err("a quoted text is not closed (a \" is missing)".into()),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some('n') => text.push('\n'),
                        Some('t') => text.push('\t'),
                        Some(e) => text.push(e),
                        None => return Err("a quoted text is not closed (a \" is missing)".into()),
                    },
                    Some(other) => text.push(other),
                }
            }
            tokens.push(Token { text, quoted: true });
        } else {
            let mut text = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                text.push(c);
                chars.next();
            }
            tokens.push(Token { text, quoted: false });
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<&str> {
        self.tokens.get(self.at).filter(|t| !t.quoted).map(|t| t.text.as_str())
    }

    fn word(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn words(&mut self, ws: &[&str]) -> bool {
        let save = self.at;
        if ws.iter().all(|w| self.word(w)) {
            true
        } else {
            self.at = save;
            false
        }
    }

    fn expect(&mut self, ws: &[&str]) -> Result<(), String> {
        if self.words(ws) {
            Ok(())
        } else {
            Err(format!("expected `{}`{}", ws.join(" "), self.found()))
        }
    }

    fn found(&self) -> String {
        match self.tokens.get(self.at) {
            Some(t) if t.quoted => format!(", found \"{}\"", t.text),
            Some(t) => format!(", found `{}`", t.text),
            None => " at the end of the line".into(),
        }
    }

    fn name(&mut self, what: &str) -> Result<String, String> {
        match self.tokens.get(self.at) {
            Some(t) if !t.quoted => {
                self.at += 1;
                Ok(t.text.clone())
            }
            _ => Err(format!("expected {what}{}", self.found())),
        }
    }

    fn quoted(&mut self, what: &str) -> Result<String, String> {
        match self.tokens.get(self.at) {
            Some(t) if t.quoted => {
                self.at += 1;
                Ok(t.text.clone())
            }
            _ => Err(format!("expected {what} in double quotes{}", self.found())),
        }
    }

    fn number(&mut self, what: &str) -> Result<i64, String> {
        let save = self.at;
        let text = self.name(what)?;
        text.parse().map_err(|_| {
            self.at = save;
            format!("expected {what} (a number){}", self.found())
        })
    }

    fn end(&self) -> Result<(), String> {
        match self.tokens.get(self.at) {
            None => Ok(()),
            Some(t) if !t.quoted => Err(format!("unexpected `{}` at the end of the check", t.text)),
            Some(t) => Err(format!("unexpected \"{}\" at the end of the check", t.text)),
        }
    }

    /// A trailing `in NAME`, taken off the end.
    fn trailing_in(&mut self) -> Option<String> {
        let n = self.tokens.len();
        if n >= self.at + 2 && !self.tokens[n - 2].quoted && self.tokens[n - 2].text == "in" && !self.tokens[n - 1].quoted {
            let name = self.tokens.pop().map(|t| t.text);
            self.tokens.pop();
            name
        } else {
            None
        }
    }
}

/// Parses one check line (without its leading/trailing blanks).
pub fn parse_check(line: &str) -> Result<Check, String> {
    let tokens = tokenize(line)?;
    let mut p = Parser { tokens, at: 0 };
    let check = parse_at(&mut p)?;
    p.end()?;
    Ok(check)
}

fn parse_at(p: &mut Parser) -> Result<Check, String> {
    let Some(first) = p.peek_word().map(str::to_string) else {
        return Err(format!("a check starts with a word{}", p.found()));
    };
    p.at += 1;
    match first.as_str() {
        "not" => Ok(Check::Not(Box::new(parse_at(p)?))),
        "file" => {
            let path = p.name("a file path")?;
            if p.word("exists") {
                Ok(Check::FileExists { path, exists: true })
            } else if p.words(&["is", "absent"]) {
                Ok(Check::FileExists { path, exists: false })
            } else if p.word("contains") {
                Ok(Check::FileContains { path, text: p.quoted("the text")?, contains: true })
            } else if p.words(&["does", "not", "contain"]) {
                Ok(Check::FileContains { path, text: p.quoted("the text")?, contains: false })
            } else {
                Err(format!("expected `exists`, `is absent`, `contains` or `does not contain`{}", p.found()))
            }
        }
        "model" => {
            let module = p.trailing_in();
            let table = p.name("a table name")?;
            if p.word("exists") {
                Ok(Check::ModelTable { module, table })
            } else if p.words(&["has", "column"]) {
                Ok(Check::ModelColumn { module, table, column: p.name("a column name")?, has: true })
            } else if p.words(&["has", "no", "column"]) {
                Ok(Check::ModelColumn { module, table, column: p.name("a column name")?, has: false })
            } else {
                Err(format!("expected `exists`, `has column` or `has no column`{}", p.found()))
            }
        }
        "table" => {
            let db = p.trailing_in();
            let table = p.name("a table name")?;
            if p.word("exists") {
                Ok(Check::TableExists { db, table, exists: true })
            } else if p.words(&["is", "absent"]) {
                Ok(Check::TableExists { db, table, exists: false })
            } else if p.words(&["has", "column"]) {
                Ok(Check::TableColumn { db, table, column: p.name("a column name")?, has: true })
            } else if p.words(&["has", "no", "column"]) {
                Ok(Check::TableColumn { db, table, column: p.name("a column name")?, has: false })
            } else if p.words(&["has", "at", "least"]) {
                let count = p.number("a row count")?;
                p.expect(&["rows"]).or_else(|_| p.expect(&["row"]))?;
                Ok(Check::Rows { db, table, at_least: true, count, filter: row_filter(p)? })
            } else if p.word("has") {
                let count = p.number("a row count")?;
                p.expect(&["rows"]).or_else(|_| p.expect(&["row"]))?;
                Ok(Check::Rows { db, table, at_least: false, count, filter: row_filter(p)? })
            } else {
                Err(format!("expected `exists`, `is absent`, `has column`, `has no column` or `has N rows`{}", p.found()))
            }
        }
        "column" => {
            let db = p.trailing_in();
            let name = p.name("TABLE.COLUMN")?;
            let Some((table, column)) = name.split_once('.').filter(|(t, c)| !t.is_empty() && !c.is_empty()) else {
                return Err(format!("expected TABLE.COLUMN, found `{name}`"));
            };
            let (table, column) = (table.to_string(), column.to_string());
            let property = if p.words(&["is", "not", "null"]) {
                ColumnProperty::NotNull
            } else if p.words(&["is", "nullable"]) {
                ColumnProperty::Nullable
            } else if p.words(&["has", "a", "server", "default"]) || p.words(&["has", "server", "default"]) {
                ColumnProperty::ServerDefault
            } else {
                return Err(format!("expected `is not null`, `is nullable` or `has a server default`{}", p.found()));
            };
            Ok(Check::ColumnIs { db, table, column, property })
        }
        "rows" => {
            let db = p.trailing_in();
            p.expect(&["in"])?;
            let table = p.name("a table name")?;
            p.expect(&["kept"])?;
            Ok(Check::RowsKept { db, table })
        }
        "database" => {
            let db = p.trailing_in();
            p.expect(&["revision", "is"])?;
            Ok(Check::DatabaseRevision { db, target: revision_target(p)? })
        }
        "alembic" => {
            if p.words(&["current", "is"]) {
                Ok(Check::DatabaseRevision { db: None, target: revision_target(p)? })
            } else if p.words(&["is", "set", "up"]) {
                Ok(Check::AlembicSetUp)
            } else if p.words(&["database", "is"]) {
                Ok(Check::AlembicDatabase { path: p.name("a database file")? })
            } else if p.words(&["dialect", "is"]) {
                Ok(Check::AlembicDialect { name: p.name("a dialect name such as postgresql")? })
            } else if p.words(&["target", "metadata", "has", "table"]) {
                Ok(Check::TargetMetadataTable { table: p.name("a table name")? })
            } else if p.words(&["check", "passes"]) {
                Ok(Check::AlembicCheck { passes: true })
            } else if p.words(&["check", "fails"]) {
                Ok(Check::AlembicCheck { passes: false })
            } else {
                Err(format!(
                    "expected `current is`, `is set up`, `database is`, `dialect is`, `target metadata has table` or `check passes`/`check fails`{}",
                    p.found()
                ))
            }
        }
        "heads" => {
            p.expect(&["count", "is"])?;
            Ok(Check::HeadsCount(count(p)?))
        }
        "revisions" => {
            p.expect(&["count", "is"])?;
            Ok(Check::RevisionsCount(count(p)?))
        }
        "newest" => {
            p.expect(&["revision"])?;
            revision_check(p, RevisionRef::Newest)
        }
        "revision" => {
            let revision = match p.tokens.get(p.at) {
                Some(t) if t.quoted => RevisionRef::Message(p.quoted("the message")?),
                _ => RevisionRef::Id(p.name("a revision message in double quotes, or an id")?),
            };
            revision_check(p, revision)
        }
        "startup" => {
            let runs = !p.words(&["does", "not"]);
            let verb = if runs { ["calls", "runs"] } else { ["call", "run"] };
            if p.word(verb[0]) {
                Ok(Check::StartupCalls { name: p.name("a function name")?, calls: runs })
            } else if p.word(verb[1]) {
                let what = if p.word("create_all") {
                    StartupKind::CreateAll
                } else if p.words(&["alembic", "upgrade"]) {
                    StartupKind::AlembicUpgrade
                } else {
                    return Err(format!("expected `create_all` or `alembic upgrade`{}", p.found()));
                };
                Ok(Check::StartupRuns { what, runs })
            } else {
                Err(format!("expected `{}` or `{}`{}", verb[0], verb[1], p.found()))
            }
        }
        "drift" => {
            if p.words(&["is", "empty"]) {
                Ok(Check::DriftEmpty)
            } else if p.word("detects") {
                Ok(Check::DriftDetects(p.quoted("what autogenerate detects")?))
            } else {
                Err(format!("expected `is empty` or `detects \"...\"`{}", p.found()))
            }
        }
        "last" => {
            p.expect(&["command"])?;
            if p.word("succeeded") {
                return Ok(Check::LastCommand { pattern: None, succeeded: Some(true) });
            }
            if p.word("failed") {
                return Ok(Check::LastCommand { pattern: None, succeeded: Some(false) });
            }
            if p.words(&["output", "contains"]) {
                return Ok(Check::LastOutputContains(p.quoted("the text")?));
            }
            p.expect(&["was"])?;
            let pattern = Pattern::parse(&p.quoted("the command")?)?;
            let succeeded = if p.words(&["and", "succeeded"]) {
                Some(true)
            } else if p.words(&["and", "failed"]) {
                Some(false)
            } else {
                None
            };
            Ok(Check::LastCommand { pattern: Some(pattern), succeeded })
        }
        "ran" => {
            let mut patterns = vec![Pattern::parse(&p.quoted("the command")?)?];
            while p.word("or") {
                patterns.push(Pattern::parse(&p.quoted("the command")?)?);
            }
            Ok(Check::Ran(patterns))
        }
        "app" => {
            if p.words(&["is", "running"]) {
                Ok(Check::App(AppState::Running))
            } else if p.words(&["is", "stopped"]) {
                Ok(Check::App(AppState::Stopped))
            } else if p.words(&["failed", "to", "start"]) {
                Ok(Check::App(AppState::FailedToStart))
            } else {
                Err(format!("expected `is running`, `is stopped` or `failed to start`{}", p.found()))
            }
        }
        "curl" => {
            let path = p.name("a path such as /todos")?;
            if !path.starts_with('/') {
                return Err(format!("the path `{path}` must start with /"));
            }
            p.expect(&["returns"])?;
            let status = p.number("a status code")?;
            if !(100..=599).contains(&status) {
                return Err(format!("{status} is not an HTTP status code"));
            }
            Ok(Check::Curl { path, status: status as u16 })
        }
        other => Err(format!(
            "unknown check `{other}`: a check starts with one of: file, model, table, column, rows, database, alembic, heads, revisions, newest, revision, startup, drift, last, ran, app, curl, not"
        )),
    }
}

/// An optional `where "CONDITION"` after `has N rows`.
fn row_filter(p: &mut Parser) -> Result<Option<String>, String> {
    if !p.word("where") {
        return Ok(None);
    }
    let condition = p.quoted("an SQL condition")?;
    if condition.trim().is_empty() {
        return Err("the condition after `where` is empty".into());
    }
    Ok(Some(condition))
}

fn count(p: &mut Parser) -> Result<usize, String> {
    let n = p.number("a count")?;
    usize::try_from(n).map_err(|_| format!("{n} is not a count"))
}

fn revision_target(p: &mut Parser) -> Result<RevisionTarget, String> {
    if let Some(t) = p.tokens.get(p.at).filter(|t| t.quoted) {
        let message = t.text.clone();
        p.at += 1;
        return Ok(RevisionTarget::Message(message));
    }
    let word = p.name("head, base, none, a revision message in double quotes, or an id")?;
    Ok(match word.as_str() {
        "head" => RevisionTarget::Head,
        "base" => RevisionTarget::Base,
        "none" => RevisionTarget::None,
        _ => RevisionTarget::Id(word),
    })
}

fn revision_check(p: &mut Parser, revision: RevisionRef) -> Result<Check, String> {
    if p.word("exists") {
        return Ok(Check::RevisionExists(revision));
    }
    let upgrade = if p.word("upgrade") {
        true
    } else if p.word("downgrade") {
        false
    } else {
        return Err(format!("expected `upgrade`, `downgrade` or `exists`{}", p.found()));
    };
    let operation = |p: &mut Parser| -> Result<String, String> {
        let op = p.name("an operation such as add_column")?;
        let op = op.strip_prefix("op.").unwrap_or(&op).to_string();
        if OPERATIONS.contains(&op.as_str()) {
            Ok(op)
        } else {
            Err(format!("unknown operation `{op}`: one of {}", OPERATIONS.join(", ")))
        }
    };
    let expect = if p.words(&["is", "empty"]) {
        OpsExpectation::Empty
    } else if p.word("contains") {
        OpsExpectation::Contains(operation(p)?)
    } else if p.words(&["does", "not", "contain"]) {
        OpsExpectation::DoesNotContain(operation(p)?)
    } else {
        return Err(format!("expected `is empty`, `contains OP` or `does not contain OP`{}", p.found()));
    };
    Ok(Check::RevisionOps { revision, upgrade, expect })
}

// ---------------------------------------------------------------- evaluating

/// Evaluates one check.
pub fn evaluate(check: &Check, state: &Observed<'_>) -> (bool, String) {
    match check {
        Check::Not(inner) => {
            let (passed, message) = evaluate(inner, state);
            (!passed, message)
        }
        Check::FileExists { path, exists } => {
            let project = &state.session.project;
            let is = project.is_file(path) || project.is_dir(path);
            let message = if is { format!("{path} exists") } else { format!("there is no {path}") };
            (is == *exists, message)
        }
        Check::FileContains { path, text, contains } => match state.session.project.read_text(path) {
            None => (false, format!("there is no {path}")),
            Some(content) => {
                let has = content.contains(text.as_str());
                let message =
                    if has { format!("{path} contains \"{text}\"") } else { format!("{path} does not contain \"{text}\"") };
                (has == *contains, message)
            }
        },
        Check::ModelTable { module, table } => {
            let module = module.as_deref().unwrap_or("models.py");
            match model_table(state, module, table) {
                Err(message) => (false, message),
                Ok(_) => (true, format!("{module} defines the table {table}")),
            }
        }
        Check::ModelColumn { module, table, column, has } => {
            let module = module.as_deref().unwrap_or("models.py");
            match model_table(state, module, table) {
                Err(message) => (false, message),
                Ok(columns) => {
                    let is = columns.iter().any(|c| c == column);
                    let message = if is {
                        format!("the {table} model has a column {column}")
                    } else {
                        format!("the {table} model has no column {column} (its columns: {})", columns.join(", "))
                    };
                    (is == *has, message)
                }
            }
        }
        Check::TableExists { db, table, exists } => with_database(state, db, |view| {
            let is = view.table(table).is_some();
            let message = if is {
                format!("{} has the table {table}", view.path)
            } else if !view.exists {
                format!("there is no database file {} yet", view.path)
            } else {
                format!("{} has no table {table} ({})", view.path, tables_list(&view.table_names()))
            };
            (is == *exists, message)
        }),
        Check::TableColumn { db, table, column, has } => with_database(state, db, |view| match view.table(table) {
            None => (false, missing_table(view, table)),
            Some(info) => {
                let is = info.columns.iter().any(|c| &c.name == column);
                let names: Vec<&str> = info.columns.iter().map(|c| c.name.as_str()).collect();
                let message = if is {
                    format!("{table} has the column {column}")
                } else {
                    format!("{table} has no column {column} (its columns: {})", names.join(", "))
                };
                (is == *has, message)
            }
        }),
        Check::ColumnIs { db, table, column, property } => with_database(state, db, |view| {
            let Some(info) = view.table(table) else { return (false, missing_table(view, table)) };
            let Some(col) = info.columns.iter().find(|c| &c.name == column) else {
                return (false, format!("{table} has no column {column}"));
            };
            match property {
                ColumnProperty::NotNull => {
                    (col.not_null, format!("{table}.{column} is {}", if col.not_null { "NOT NULL" } else { "nullable" }))
                }
                ColumnProperty::Nullable => {
                    (!col.not_null, format!("{table}.{column} is {}", if col.not_null { "NOT NULL" } else { "nullable" }))
                }
                ColumnProperty::ServerDefault => match &col.default {
                    Some(d) => (true, format!("{table}.{column} has the server default {d}")),
                    None => (false, format!("{table}.{column} has no server default")),
                },
            }
        }),
        Check::Rows { db, table, at_least, count, filter } => with_database(state, db, |view| {
            let Some(all) = view.rows.get(table) else { return (false, missing_table(view, table)) };
            let (n, what) = match filter {
                None => (*all, String::new()),
                Some(condition) => match count_where(state, view, table, condition) {
                    Ok(n) => (n, format!(" where {condition}")),
                    Err(message) => return (false, message),
                },
            };
            let passed = if *at_least { n >= *count } else { n == *count };
            (passed, format!("{table} has {}{what}", rows(n)))
        }),
        Check::RowsKept { db, table } => with_database(state, db, |view| {
            let Some(n) = view.rows.get(table) else { return (false, missing_table(view, table)) };
            let before = state.baseline.rows.get(&view.path).and_then(|t| t.get(table)).copied().unwrap_or(0);
            if *n >= before {
                (true, format!("{table} kept its rows: {} at the start of the step, {} now", before, n))
            } else {
                (false, format!("{table} lost rows: {} at the start of the step, {} now", before, n))
            }
        }),
        Check::DatabaseRevision { db, target } => database_revision(state, db, target),
        Check::AlembicSetUp => match state.alembic() {
            Ok(view) => (true, format!("Alembic is set up ({} and {})", view.config.ini_path, view.config.env_path())),
            Err(message) => (false, message.to_string()),
        },
        Check::AlembicDatabase { path } => match state.environment() {
            Err(message) => (false, message),
            Ok(environment) => {
                let want = crate::engine::project::resolve("", path).unwrap_or_else(|| path.clone());
                let url = environment.url.clone().unwrap_or_else(|| "(no URL)".into());
                match &environment.database {
                    Database::SqliteFile(p) if *p == want => (true, format!("Alembic migrates {p} ({url})")),
                    Database::SqliteFile(p) => (false, format!("Alembic migrates {p} ({url}), not {want}")),
                    _ => (false, format!("Alembic's URL is {url}: it does not name the SQLite file {want}")),
                }
            }
        },
        Check::AlembicDialect { name } => match state.environment() {
            Err(message) => (false, message),
            Ok(environment) => {
                let url = environment.url.clone().unwrap_or_else(|| "(no URL)".into());
                let dialect = match &environment.database {
                    Database::SqliteFile(_) | Database::SqliteMemory | Database::Outside(_) => "sqlite",
                    Database::Other { dialect, .. } => dialect.as_str(),
                    Database::NoDialect { name } => name.as_str(),
                };
                (dialect == name, format!("Alembic's URL is {url}: the {dialect} dialect"))
            }
        },
        Check::TargetMetadataTable { table } => match state.environment() {
            Err(message) => (false, message),
            Ok(environment) => match &environment.target_metadata {
                None => (false, "env.py's target_metadata is None: autogenerate can't see the models".into()),
                Some(metadata) if metadata.table(table).is_some() => {
                    (true, format!("env.py's target_metadata has the table {table}"))
                }
                Some(metadata) => {
                    let names: Vec<&str> = metadata.tables.iter().map(|t| t.name.as_str()).collect();
                    (false, format!("env.py's target_metadata has no table {table} ({})", tables_list(&names)))
                }
            },
        },
        Check::AlembicCheck { passes } => {
            let out = state.alembic_check();
            let said = format!("{}{}", out.stdout, out.stderr);
            let line = said
                .lines()
                .find(|l| l.starts_with("FAILED") || l.contains("No new upgrade operations"))
                .or_else(|| said.lines().rev().find(|l| !l.trim().is_empty()))
                .unwrap_or("")
                .trim();
            let ok = out.exit_code == 0;
            (ok == *passes, format!("`alembic check` {}: {line}", if ok { "passes" } else { "fails" }))
        }
        Check::HeadsCount(n) => match state.versions() {
            Err(message) => (false, message),
            Ok(versions) => {
                let heads = versions.map.heads();
                let message = match heads.len() {
                    0 => "there are no revisions, so no head".to_string(),
                    1 => format!("there is one head: {}", describe_revision(&versions.map, &heads[0])),
                    k => format!(
                        "there are {k} heads: {}",
                        heads.iter().map(|h| describe_revision(&versions.map, h)).collect::<Vec<_>>().join(", ")
                    ),
                };
                (heads.len() == *n, message)
            }
        },
        Check::RevisionsCount(n) => match state.versions() {
            Err(message) => (false, message),
            Ok(versions) => {
                let k = versions.scripts.len();
                let message = match k {
                    0 => "the versions folder has no revisions".to_string(),
                    1 => "the versions folder has 1 revision".to_string(),
                    k => format!("the versions folder has {k} revisions"),
                };
                (k == *n, message)
            }
        },
        Check::RevisionExists(revision) => match find_revision(state, revision) {
            Ok(script) => (true, format!("the revision {} exists", describe_script(script))),
            Err(message) => (false, message),
        },
        Check::RevisionOps { revision, upgrade, expect } => match find_revision(state, revision) {
            Err(message) => (false, message),
            Ok(script) => {
                let side = if *upgrade { "upgrade()" } else { "downgrade()" };
                let ops = if *upgrade { &script.upgrade } else { &script.downgrade };
                let mut names = Vec::new();
                op_names(ops, &mut names);
                if !script.diagnostics.is_empty() && ops.is_empty() {
                    return (false, format!("{} can't be read: {}", script.path, script.diagnostics[0]));
                }
                let runs = if names.is_empty() {
                    format!("{}'s {side} does nothing (pass)", describe_script(script))
                } else {
                    format!("{}'s {side} runs {}", describe_script(script), names.join(", "))
                };
                match expect {
                    OpsExpectation::Empty => (names.is_empty(), runs),
                    OpsExpectation::Contains(op) => (names.contains(&op.as_str()), runs),
                    // Say what is absent: the same list under several checks reads as a repeat.
                    OpsExpectation::DoesNotContain(op) if !names.contains(&op.as_str()) => {
                        (true, format!("{}'s {side} has no {op}", describe_script(script)))
                    }
                    OpsExpectation::DoesNotContain(_) => (false, runs),
                }
            }
        },
        Check::StartupCalls { name, calls } => match startup_steps(state) {
            Err(message) => (false, message),
            Ok(steps) => {
                let found = steps.iter().find(|s| {
                    s.call == *name || s.call.rsplit('.').next() == Some(name.as_str()) || s.via.as_deref() == Some(name)
                });
                let message = match found {
                    Some(step) => format!("the app's startup calls {}() ({}:{})", step.call, step.place.file, step.place.line),
                    None => format!("the app's startup does not call {name}()"),
                };
                (found.is_some() == *calls, message)
            }
        },
        Check::StartupRuns { what, runs } => match startup_steps(state) {
            Err(message) => (false, message),
            Ok(steps) => {
                let found = steps.iter().find(|s| match what {
                    StartupKind::CreateAll => matches!(s.action, StartupAction::InitDb | StartupAction::CreateAll),
                    StartupKind::AlembicUpgrade => matches!(s.action, StartupAction::AlembicUpgrade { .. }),
                });
                let label = match what {
                    StartupKind::CreateAll => "create_all",
                    StartupKind::AlembicUpgrade => "alembic upgrade",
                };
                let message = match found {
                    Some(step) => format!("the app's startup runs {label} ({}() at {}:{})", step.call, step.place.file, step.place.line),
                    None => format!("the app's startup does not run {label}"),
                };
                (found.is_some() == *runs, message)
            }
        },
        Check::DriftEmpty => match state.drift() {
            Err(message) => (false, message.to_string()),
            Ok(compared) if compared.in_sync => (true, "models and database are in sync".into()),
            Ok(compared) => {
                let lines = detected_lines(compared);
                let what = if lines.is_empty() { "changes".to_string() } else { lines.join("; ") };
                (false, format!("autogenerate would find: {what}"))
            }
        },
        Check::DriftDetects(text) => match state.drift() {
            Err(message) => (false, message.to_string()),
            Ok(compared) => {
                let lines = detected_lines(compared);
                let found = lines.iter().any(|l| l.contains(text.as_str()));
                let message = if lines.is_empty() {
                    "autogenerate finds nothing: models and database are in sync".to_string()
                } else {
                    format!("autogenerate finds: {}", lines.join("; "))
                };
                (found, message)
            }
        },
        Check::LastCommand { pattern, succeeded } => {
            let Some(last) = state.session.last_command().filter(|l| l.index >= state.baseline.history_len) else {
                return (false, "no command has been run in this step yet".into());
            };
            let code = last.output.exit_code;
            let outcome = if code == 0 { "succeeded".to_string() } else { format!("failed (exit code {code})") };
            let message = format!("the last command, `{}`, {outcome}", last.line);
            let matches = pattern.as_ref().is_none_or(|p| p.matches_line(&last.line));
            let ended = succeeded.is_none_or(|s| s == (code == 0));
            (matches && ended, message)
        }
        Check::LastOutputContains(text) => {
            let Some(last) = state.session.last_command().filter(|l| l.index >= state.baseline.history_len) else {
                return (false, "no command has been run in this step yet".into());
            };
            let found = last.output.stdout.contains(text.as_str()) || last.output.stderr.contains(text.as_str());
            let message = if found {
                format!("`{}` printed \"{text}\"", last.line)
            } else {
                format!("`{}` did not print \"{text}\"", last.line)
            };
            (found, message)
        }
        Check::Ran(patterns) => {
            let history = state.session.history();
            let since = &history[state.baseline.history_len.min(history.len())..];
            let found = since.iter().rev().find(|line| patterns.iter().any(|p| p.matches_line(line)));
            let wanted = patterns.iter().map(|p| format!("`{}`", p.text)).collect::<Vec<_>>().join(" or ");
            match found {
                Some(line) => (true, format!("you ran `{line}`")),
                None => (false, format!("{wanted} has not been run in this step yet")),
            }
        }
        Check::App(want) => {
            let status = state.session.app_status();
            let (is, message) = match &status {
                None => (AppState::Stopped, "the app is not running".to_string()),
                Some(s) if s.serving => (AppState::Running, format!("the app is running ({})", s.url)),
                Some(_) => (AppState::FailedToStart, "the app failed to start: uvicorn waits for a fix".to_string()),
            };
            (is == *want, message)
        }
        Check::Curl { path, status } => curl(state, path, *status),
    }
}

fn with_database(
    state: &Observed<'_>,
    db: &Option<String>,
    f: impl FnOnce(&super::observe::DatabaseView) -> (bool, String),
) -> (bool, String) {
    match state.database(db.as_deref()).as_ref() {
        Ok(view) => f(view),
        Err(message) => (false, message.clone()),
    }
}

/// `SELECT count(*) FROM table WHERE condition`, on a copy of the database.
fn count_where(state: &Observed<'_>, view: &super::observe::DatabaseView, table: &str, condition: &str) -> Result<i64, String> {
    let bytes = state.session.project.read(&view.path).unwrap_or_default();
    let conn = crate::engine::db::open(bytes).map_err(|e| format!("{} can't be read as a database: {e}", view.path))?;
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    conn.query_row(&format!("SELECT count(*) FROM {quoted} WHERE {condition}"), [], |r| r.get(0))
        .map_err(|e| {
            let why = match e {
                rusqlite::Error::SqlInputError { msg, .. } => msg,
                other => other.to_string(),
            };
            format!("counting the rows of {table} where {condition}: {why}")
        })
}

fn missing_table(view: &super::observe::DatabaseView, table: &str) -> String {
    if view.exists {
        format!("{} has no table {table}", view.path)
    } else {
        format!("there is no database file {} yet", view.path)
    }
}

fn tables_list(names: &[&str]) -> String {
    if names.is_empty() {
        "it has no tables".to_string()
    } else {
        format!("its tables: {}", names.join(", "))
    }
}

fn rows(n: i64) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

fn model_table(state: &Observed<'_>, module: &str, table: &str) -> Result<Vec<String>, String> {
    if !state.session.project.is_file(module) {
        return Err(format!("there is no {module}"));
    }
    let models = state.models(module);
    if let Some(problem) = models.diagnostics.first() {
        return Err(format!("{module} has an error: {problem}"));
    }
    match models.metadata.table(table) {
        Some(t) => Ok(t.columns.iter().map(|c| c.name.clone()).collect()),
        None => Err(format!("{module} defines no table {table}")),
    }
}

fn startup_steps(state: &Observed<'_>) -> Result<Vec<crate::engine::app::StartupStep>, String> {
    match &state.facts().app {
        Some(app) => Ok(app.startup.clone()),
        None => Err("there is no FastAPI app (main.py) to read".into()),
    }
}

fn describe_revision(map: &RevisionMap, id: &str) -> String {
    match map.get(id) {
        Ok(Some(r)) if !r.revision().message.is_empty() => format!("{id} ({})", r.revision().message),
        _ => id.to_string(),
    }
}

fn describe_script(script: &Script) -> String {
    let id = script.revision.as_deref().unwrap_or("?");
    if script.message.is_empty() {
        id.to_string()
    } else {
        format!("{id} \"{}\"", script.message)
    }
}

/// Finds a revision's script.
pub(crate) fn find_revision<'s>(state: &'s Observed<'_>, revision: &RevisionRef) -> Result<&'s Script, String> {
    let versions = state.versions()?;
    match revision {
        RevisionRef::Newest => {
            let heads = versions.map.heads();
            match heads {
                [] => Err("there are no revisions yet".into()),
                [head] => versions.script(head).ok_or_else(|| format!("the head {head} has no script")),
                _ => Err(format!("there are {} heads, so no single newest revision", heads.len())),
            }
        }
        RevisionRef::Id(id) => versions.script(id).ok_or_else(|| format!("there is no revision {id}")),
        RevisionRef::Message(message) => {
            script_by_message(&versions.scripts, &versions.map, message).ok_or_else(|| format!("there is no revision named \"{message}\""))
        }
    }
}

/// The revision whose message is `message` (case aside); a head first when several are.
pub(crate) fn script_by_message<'s>(scripts: &'s [Script], map: &RevisionMap, message: &str) -> Option<&'s Script> {
    let named: Vec<&Script> = scripts.iter().filter(|s| s.message.trim().eq_ignore_ascii_case(message.trim())).collect();
    named
        .iter()
        .find(|s| s.revision.as_ref().is_some_and(|id| map.heads().contains(id)))
        .or(named.last())
        .copied()
}

/// The operation names a list of ops writes, nested groups included.
fn op_names(ops: &[Op], out: &mut Vec<&'static str>) {
    for op in ops {
        let name = match op {
            Op::CreateTable(_) => "create_table",
            Op::DropTable(_) => "drop_table",
            Op::AddColumn { .. } => "add_column",
            Op::DropColumn { .. } => "drop_column",
            Op::AlterColumn(_) => "alter_column",
            Op::RenameTable { .. } => "rename_table",
            Op::CreateIndex { .. } => "create_index",
            Op::DropIndex { .. } => "drop_index",
            Op::CreateConstraint { constraint, .. } => match constraint {
                ConstraintDef::Unique(_) => "create_unique_constraint",
                ConstraintDef::ForeignKey(_) => "create_foreign_key",
                ConstraintDef::Check(_) => "create_check_constraint",
            },
            Op::DropConstraint { .. } => "drop_constraint",
            Op::Execute(_) => "execute",
            Op::BulkInsert { .. } => "bulk_insert",
            Op::ModifyTable { ops, batch, .. } => {
                if *batch {
                    out.push("batch_alter_table");
                }
                op_names(ops, out);
                continue;
            }
        };
        out.push(name);
    }
}

fn database_revision(state: &Observed<'_>, db: &Option<String>, target: &RevisionTarget) -> (bool, String) {
    let view = state.database(db.as_deref());
    let view = match view.as_ref() {
        Ok(view) => view,
        Err(message) => return (false, message.clone()),
    };
    let at = view.version.clone().unwrap_or_default();
    let versions = state.versions();
    let describe_at = |at: &[String]| -> String {
        match (&versions, at) {
            (_, []) if view.version.is_none() => {
                if view.exists {
                    format!("{} is not under Alembic (no alembic_version table)", view.path)
                } else {
                    format!("there is no database file {} yet", view.path)
                }
            }
            (_, []) => format!("{} is at base: no revision applied", view.path),
            (Ok(v), ids) => {
                format!("{} is at {}", view.path, ids.iter().map(|i| describe_revision(&v.map, i)).collect::<Vec<_>>().join(", "))
            }
            (Err(_), ids) => format!("{} is at {}", view.path, ids.join(", ")),
        }
    };
    let message = describe_at(&at);
    match target {
        RevisionTarget::None => (view.version.is_none(), message),
        RevisionTarget::Base => (at.is_empty(), message),
        RevisionTarget::Id(id) => (at == [id.clone()], message),
        RevisionTarget::Head | RevisionTarget::Message(_) => {
            let versions = match versions {
                Ok(v) => v,
                Err(e) => return (false, e),
            };
            let mut want: Vec<String> = match target {
                RevisionTarget::Head => versions.map.heads().to_vec(),
                RevisionTarget::Message(m) => match script_by_message(&versions.scripts, &versions.map, m).and_then(|s| s.revision.clone()) {
                    Some(id) => vec![id],
                    None => return (false, format!("there is no revision named \"{m}\"")),
                },
                _ => unreachable!("handled above"),
            };
            if want.is_empty() {
                return (false, format!("there are no revisions yet; {message}"));
            }
            let mut have = at.clone();
            want.sort();
            have.sort();
            if have == want {
                let mut m = message;
                if matches!(target, RevisionTarget::Head) {
                    m.push_str(" (head)");
                }
                (true, m)
            } else {
                let mut m = message;
                let _ = write!(
                    m,
                    "; {} {}",
                    if matches!(target, RevisionTarget::Head) { "head is" } else { "wanted" },
                    want.iter().map(|i| describe_revision(&versions.map, i)).collect::<Vec<_>>().join(", ")
                );
                (false, m)
            }
        }
    }
}

fn curl(state: &Observed<'_>, path: &str, status: u16) -> (bool, String) {
    let Some(app) = state.session.app_status() else {
        return (false, "the app is not running, so nothing answers (start it with `uvicorn main:app --reload`)".into());
    };
    if !app.serving {
        return (false, "the app failed to start, so nothing answers".into());
    }
    let url = format!("{}{path}", app.url);
    let out = state.session.fork().run_line(&format!("curl -s -i {}", shell_words::quote_line(std::slice::from_ref(&url))));
    let got = out
        .stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1.1 "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|code| code.parse::<u16>().ok());
    match got {
        Some(code) => {
            let reason = out.stdout.lines().next().unwrap_or("").trim_start_matches("HTTP/1.1 ").to_string();
            (code == status, format!("GET {path} returns {reason}"))
        }
        None => (false, format!("GET {path} got no answer (curl exit code {})", out.exit_code)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses() {
        let ok = [
            "file models.py exists",
            "file todos.db is absent",
            "file main.py contains \"init_db()\"",
            "file main.py does not contain \"init_db\"",
            "model todos has column priority",
            "model todos has no column priority in app/models.py",
            "model todos exists",
            "table todos exists",
            "table todos is absent in other.db",
            "table todos has column priority",
            "table todos has no column priority",
            "column todos.priority is not null",
            "column todos.priority is nullable in todos.db",
            "column todos.category has a server default",
            "table todos has 2 rows",
            "table todos has at least 1 row",
            "table todos has 2 rows where \"details IS NOT NULL\"",
            "table users has at least 1 row where \"status = 'active'\" in app.db",
            "rows in todos kept",
            "database revision is head",
            "database revision is base in todos.db",
            "database revision is none",
            "database revision is \"initial\"",
            "database revision is 0001",
            "alembic current is head",
            "alembic is set up",
            "alembic database is todos.db",
            "alembic dialect is postgresql",
            "alembic target metadata has table todos",
            "alembic check passes",
            "alembic check fails",
            "heads count is 2",
            "revisions count is 0",
            "newest revision upgrade is empty",
            "newest revision downgrade contains drop_column",
            "newest revision upgrade does not contain op.drop_table",
            "revision \"initial\" exists",
            "revision \"initial\" upgrade contains create_table",
            "startup calls init_db",
            "startup does not call init_db",
            "startup runs create_all",
            "startup does not run alembic upgrade",
            "drift is empty",
            "drift detects \"added column 'todos.priority'\"",
            "last command was \"alembic downgrade -1\" and succeeded",
            "last command was \"alembic upgrade ...\" and failed",
            "last command was \"curl *\"",
            "last command succeeded",
            "last command output contains \"NOT NULL\"",
            "ran \"sqlite3 ...\" or \"python -c ...\"",
            "app is running",
            "app is stopped",
            "app failed to start",
            "curl /todos returns 200",
            "not table todos exists",
        ];
        for line in ok {
            assert!(parse_check(line).is_ok(), "{line}: {:?}", parse_check(line));
        }
    }

    #[test]
    fn bad_checks_say_what_was_expected() {
        let cases = [
            ("tabel todos exists", "unknown check `tabel`"),
            ("table todos", "expected `exists`, `is absent`, `has column`, `has no column` or `has N rows` at the end of the line"),
            ("table todos has two rows", "expected a row count (a number), found `two`"),
            ("newest revision upgrade contains add_colum", "unknown operation `add_colum`"),
            ("file main.py contains init_db", "expected the text in double quotes, found `init_db`"),
            ("file main.py contains \"init_db", "a quoted text is not closed"),
            ("app is running now", "unexpected `now` at the end of the check"),
            ("curl todos returns 200", "the path `todos` must start with /"),
            ("last command was \"a && b\"", "must be one command"),
            ("column todos is nullable", "expected TABLE.COLUMN, found `todos`"),
            ("table todos has 2 rows where details", "expected an SQL condition in double quotes, found `details`"),
            ("table todos has 2 rows where \" \"", "the condition after `where` is empty"),
        ];
        for (line, wanted) in cases {
            let error = parse_check(line).unwrap_err();
            assert!(error.contains(wanted), "{line}: {error}");
        }
    }

    #[test]
    fn rows_where_counts_the_rows_a_condition_selects() {
        use crate::engine::{session::Session, starter};
        let mut session = Session::new(starter::project());
        for line in [
            "sqlite3 todos.db \"CREATE TABLE todos (id INTEGER PRIMARY KEY, details TEXT)\"",
            "sqlite3 todos.db \"INSERT INTO todos (details) VALUES ('a'), (NULL), ('b')\"",
        ] {
            assert_eq!(session.run_line(line).exit_code, 0, "{line}");
        }
        let baseline = super::super::observe::Baseline::record(&session);
        let state = Observed::new(&session, &baseline);
        let cases = [
            ("table todos has 2 rows where \"details IS NOT NULL\"", true, "todos has 2 rows where details IS NOT NULL"),
            ("table todos has 1 row where \"details IS NULL\"", true, "todos has 1 row where details IS NULL"),
            ("table todos has 0 rows where \"details = 'c'\"", true, "todos has 0 rows where details = 'c'"),
            ("table todos has at least 3 rows where \"details IS NOT NULL\"", false, "todos has 2 rows where details IS NOT NULL"),
            ("table todos has 3 rows", true, "todos has 3 rows"),
            ("table todos has 1 row where \"notes IS NULL\"", false, "counting the rows of todos where notes IS NULL: no such column: notes"),
            ("table users has 0 rows where \"1\"", false, "todos.db has no table users"),
        ];
        for (line, passes, message) in cases {
            let (passed, got) = evaluate(&parse_check(line).unwrap(), &state);
            assert_eq!((passed, got.as_str()), (passes, message), "{line}");
        }
    }

    #[test]
    fn alembic_dialect_reads_the_url_env_py_gives_alembic() {
        use crate::engine::{session::Session, starter};
        let mut session = Session::new(starter::project());
        assert_eq!(session.run_line("alembic init alembic").exit_code, 0);
        let wire = [
            ("alembic.ini", "sqlalchemy.url = driver://user:pass@localhost/dbname", "sqlalchemy.url = sqlite:///./todos.db"),
            ("alembic/env.py", "config = context.config\n", "config = context.config\nfrom database import DATABASE_URL\nconfig.set_main_option(\"sqlalchemy.url\", DATABASE_URL)\n"),
        ];
        for (path, old, new) in wire {
            let text = session.project.read_text(path).unwrap().replacen(old, new, 1);
            session.project.write(path, text.into_bytes());
        }
        // (the environment, `.env`'s DATABASE_URL, check, passes, message)
        let cases = [
            (None, "alembic dialect is sqlite", true, "Alembic's URL is sqlite:///./todos.db: the sqlite dialect"),
            (Some("postgresql+psycopg2://u:p@db:5432/app"), "alembic dialect is postgresql", true, "Alembic's URL is postgresql+psycopg2://u:p@db:5432/app: the postgresql dialect"),
            (Some("mssql+pyodbc://u:p@dsn"), "alembic dialect is postgresql", false, "Alembic's URL is mssql+pyodbc://u:p@dsn: the mssql dialect"),
            (Some("mssql+pyodbc://u:p@dsn"), "alembic dialect is mssql", true, "Alembic's URL is mssql+pyodbc://u:p@dsn: the mssql dialect"),
        ];
        for (url, line, passes, message) in cases {
            match url {
                Some(url) => session.project.write(".env", format!("DATABASE_URL={url}\n").into_bytes()),
                None => {
                    session.project.remove_file(".env");
                }
            }
            let baseline = super::super::observe::Baseline::record(&session);
            let state = Observed::new(&session, &baseline);
            let (passed, got) = evaluate(&parse_check(line).unwrap(), &state);
            assert_eq!((passed, got.as_str()), (passes, message), "{line} with {url:?}");
        }
    }

    #[test]
    fn patterns_match_words_and_launchers() {
        let p = Pattern::parse("alembic revision --autogenerate ...").unwrap();
        assert!(p.matches_line("uv run alembic revision --autogenerate -m \"x\""));
        assert!(p.matches_line("ls && python -m alembic revision --autogenerate"));
        assert!(!p.matches_line("alembic revision -m x"));
        assert!(p.matches_line("DATABASE_URL=sqlite:///./x.db A+=1 alembic revision --autogenerate"));
        let exact = Pattern::parse("alembic downgrade -1").unwrap();
        assert!(exact.matches_line("alembic downgrade -1"));
        assert!(!exact.matches_line("alembic downgrade -1 --sql"));
        let star = Pattern::parse("sqlite3 * .tables").unwrap();
        assert!(star.matches_line("sqlite3 todos.db .tables"));
    }
}
