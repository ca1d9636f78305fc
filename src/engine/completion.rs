//! Tab completion for the terminal: commands, flags, paths and revision ids.
//!
//! Bash-like: the word under the cursor is read with the shell's quoting
//! rules (an open quote is fine), then completed from what the command in
//! front of it takes:
//! - the first word of a command: the commands the session runs;
//! - `alembic`: its global options and subcommands, each subcommand's
//!   options, and revision arguments (ids from the versions folder plus
//!   `head`, `heads`, `base`, `-1`, `+1`, `current` where Alembic takes
//!   them), all read off the same argparse table that parses the command;
//! - `sqlite3`: its options, database files, then dot-commands;
//! - `uvicorn`: its options; `cd`, `mkdir`, `rmdir`: folders;
//! - anything else: paths relative to the current directory, folders with a
//!   trailing `/`, quoted as bash quotes them (`My\ Notes.txt`, or inside
//!   the quote the learner opened).
//!
//! One candidate left: it is inserted with a space after it (none after a
//! folder). Several: their longest common beginning is inserted, and the
//! page lists them on a second Tab. At the `sqlite>` prompt, dot-commands,
//! their arguments and table names complete instead.
//!
//! Where bash would also offer folders for a command name (`alembic/` next to
//! `alembic`), only commands are offered: a learner never means the folder.

use crate::engine::alembic::cli;
use crate::engine::alembic::{self, env};
use crate::engine::project::{self, Project};
use crate::engine::{sqlite_cli, webapp};

/// What Tab does to a line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset of the word being completed (its opening quote included;
    /// after the `=` of `--opt=` or the `:` of a revision range).
    pub start: usize,
    /// Every way the word can go on, sorted, as bash lists them: file names
    /// without their folder, folders ending in `/`.
    pub candidates: Vec<String>,
    /// The text that replaces `line[start..cursor]`: the longest completion
    /// common to every candidate, quoted for the shell, plus a space (after
    /// closing an open quote) when a single candidate is left and it is not
    /// a folder. `None` when Tab would add nothing.
    pub insert: Option<String>,
}

impl Completion {
    /// The line with `insert` applied, and where the cursor goes.
    pub fn apply(&self, line: &str, cursor: usize) -> (String, usize) {
        let cursor = clamp(line, cursor);
        match &self.insert {
            Some(insert) if self.start <= cursor => {
                let line = format!("{}{insert}{}", &line[..self.start], &line[cursor..]);
                (line, self.start + insert.len())
            }
            _ => (line.to_string(), cursor),
        }
    }
}

/// What completion reads from the session.
pub struct Context<'a> {
    pub project: &'a Project,
    /// The current directory, project-relative.
    pub cwd: &'a str,
    /// The project's absolute path.
    pub root: &'a str,
    /// The commands the session runs.
    pub commands: &'a [&'a str],
    /// The shell's variables, for `$NAME`.
    pub variables: &'a [&'a str],
}

/// Completes the word before `cursor` (a byte offset) in a shell command line.
pub fn complete_shell(ctx: &Context<'_>, line: &str, cursor: usize) -> Completion {
    let cursor = clamp(line, cursor);
    let Some(lexed) = lex(&line[..cursor]) else {
        return Completion { start: cursor, ..Completion::default() };
    };
    let word = lexed.current;
    if let Some(target) = variable_target(ctx, &word) {
        return finish(target, &word, cursor);
    }
    // `NAME=value` before a command sets its environment: the command comes after.
    let first_command = lexed.words.iter().position(|w| !is_assignment(w)).unwrap_or(lexed.words.len());
    let target = shell_target(ctx, &lexed.words[first_command..], &word);
    finish(target, &word, cursor)
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| crate::engine::shell::is_variable_name(name.trim_end_matches('+')))
}

/// `$NA` or `${NA` at the end of the word (outside single quotes): the variable's name.
fn variable_target(ctx: &Context<'_>, word: &Word) -> Option<Target> {
    if word.quote == Quote::Single {
        return None;
    }
    let dollar = word.raw.rfind('$')?;
    let after = &word.raw[dollar + 1..];
    let (brace, name) = match after.strip_prefix('{') {
        Some(name) => (1, name),
        None => (0, after),
    };
    if !name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric()) || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let close = if brace == 1 { "}" } else { "" };
    let candidates = ctx.variables.iter().map(|v| Candidate { word: format!("{v}{close}"), label: v.to_string() }).collect();
    Some(Target { start: word.start + dollar + 1 + brace, typed: name.to_string(), candidates, files: false })
}

/// Completes the word before `cursor` at the `sqlite>` prompt: dot-commands
/// and their arguments, and table names in SQL.
pub fn complete_sqlite(line: &str, cursor: usize, tables: &[String]) -> Completion {
    let cursor = clamp(line, cursor);
    let before = &line[..cursor];
    let start = before.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    let typed = &before[start..];
    let head = before.trim_start();
    let candidates: Vec<Candidate> = if head.starts_with('.') {
        let command = head.split_whitespace().next().unwrap_or_default();
        if before.len() - head.len() == start {
            // Still typing the dot-command itself.
            sqlite_cli::dot_commands().map(Candidate::plain).collect()
        } else {
            let full = sqlite_cli::dot_commands().find(|c| c.starts_with(command) && command.len() > 1);
            match full {
                Some(".mode") => sqlite_cli::mode_names().map(Candidate::plain).collect(),
                Some(".headers") => ["on", "off"].into_iter().map(Candidate::plain).collect(),
                Some(".tables" | ".schema" | ".indexes") => tables.iter().map(|t| Candidate::plain(t)).collect(),
                _ => Vec::new(),
            }
        }
    } else {
        // SQL: the identifier under the cursor is a table name.
        let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let typed = &before[start..];
        let target = Target { start, typed: typed.to_string(), candidates: tables.iter().map(|t| Candidate::plain(t)).collect(), files: false };
        return finish(target, &Word::plain(start, typed), cursor);
    };
    let target = Target { start, typed: typed.to_string(), candidates, files: false };
    finish(target, &Word::plain(start, typed), cursor)
}

/// A byte offset inside `line`, on a character boundary.
fn clamp(line: &str, cursor: usize) -> usize {
    let mut cursor = cursor.min(line.len());
    while !line.is_char_boundary(cursor) {
        cursor -= 1;
    }
    cursor
}

// ---------------------------------------------------------------- the line

/// How the word under the cursor is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    /// Unquoted: special characters get a backslash.
    Bare,
    /// Inside `'...'` the learner opened at the start of the word.
    Single,
    /// Inside `"..."` the learner opened at the start of the word.
    Double,
}

/// The word under the cursor.
#[derive(Debug, Clone)]
struct Word {
    /// Byte offset in the line where it starts.
    start: usize,
    /// As typed (quotes included).
    raw: String,
    /// With quotes and escapes removed.
    text: String,
    /// The quoting a completion keeps.
    quote: Quote,
}

impl Word {
    fn plain(start: usize, text: &str) -> Word {
        Word { start, raw: text.to_string(), text: text.to_string(), quote: Quote::Bare }
    }

    /// Whether what was typed is the text itself (no quotes or escapes).
    fn is_plain(&self) -> bool {
        self.raw == self.text
    }
}

/// The command the cursor is in: its words before the cursor's one, and that one.
struct Lexed {
    words: Vec<String>,
    current: Word,
}

/// Reads `line` (everything before the cursor) as the shell would, without
/// failing on an open quote. `None` inside a comment.
fn lex(line: &str) -> Option<Lexed> {
    let mut words = Vec::new();
    let mut word: Option<Word> = None;
    let mut chars = line.char_indices().peekable();
    let mut open = None::<char>;
    while let Some((i, c)) = chars.next() {
        let w = word.get_or_insert_with(|| Word { start: i, raw: String::new(), text: String::new(), quote: Quote::Bare });
        let fresh = w.raw.is_empty();
        match (open, c) {
            (Some('\''), '\'') | (Some('"'), '"') => open = None,
            (Some('\''), _) => w.text.push(c),
            (Some(_), '\\') => match chars.peek().map(|&(_, next)| next) {
                Some(next @ ('"' | '\\' | '$' | '`')) => {
                    w.raw.push(c);
                    w.text.push(next);
                    chars.next();
                    w.raw.push(next);
                    continue;
                }
                _ => w.text.push(c),
            },
            (Some(_), _) => w.text.push(c),
            (None, '\'' | '"') => open = Some(c),
            (None, '\\') => {
                w.raw.push(c);
                if let Some((_, next)) = chars.next() {
                    w.text.push(next);
                    w.raw.push(next);
                }
                continue;
            }
            (None, ' ' | '\t' | '\n') => {
                if let Some(done) = word.take().filter(|w| !w.raw.is_empty()) {
                    words.push(done.text);
                }
                continue;
            }
            (None, ';' | '&' | '|') => {
                // A new command starts after `;`, `&&`, `||` (and a lone `|` or `&`).
                word = None;
                words.clear();
                continue;
            }
            (None, '#') if fresh => return None,
            (None, _) => w.text.push(c),
        }
        w.raw.push(c);
    }
    let mut current = word.filter(|w| !w.raw.is_empty()).unwrap_or_else(|| Word::plain(line.len(), ""));
    // A completion keeps a quote the word starts with and is still open in;
    // anything else is requoted bare.
    current.quote = match open {
        Some('\'') if current.raw.starts_with('\'') => Quote::Single,
        Some('"') if current.raw.starts_with('"') => Quote::Double,
        _ => Quote::Bare,
    };
    Some(Lexed { words, current })
}

// ---------------------------------------------------------------- candidates

/// One way the word can go on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    /// The whole word it completes to (unquoted), e.g. `alembic/versions/`.
    word: String,
    /// What a list shows, e.g. `versions/`.
    label: String,
}

impl Candidate {
    fn plain(word: &str) -> Candidate {
        Candidate { word: word.to_string(), label: word.to_string() }
    }

    /// Whether the word goes on after it (a folder, `--opt=`, `rev:`): no space.
    fn continues(&self) -> bool {
        self.word.ends_with(['/', '=', ':'])
    }
}

/// What the part of the word being completed can become.
struct Target {
    /// Where that part starts in the line.
    start: usize,
    /// That part as typed (unquoted).
    typed: String,
    candidates: Vec<Candidate>,
    /// Whether the candidates are file names (bash quotes those fully).
    files: bool,
}

impl Target {
    /// The whole word, completed from these candidates.
    fn whole(word: &Word, candidates: Vec<Candidate>) -> Target {
        Target { start: word.start, typed: word.text.clone(), candidates, files: false }
    }

    fn files(word: &Word, candidates: Vec<Candidate>) -> Target {
        Target { files: true, ..Target::whole(word, candidates) }
    }

    fn nothing(word: &Word) -> Target {
        Target::whole(word, Vec::new())
    }
}

fn finish(target: Target, word: &Word, cursor: usize) -> Completion {
    let mut matches: Vec<Candidate> =
        target.candidates.into_iter().filter(|c| c.word.starts_with(&target.typed)).collect();
    matches.sort_by(|a, b| a.label.cmp(&b.label));
    matches.dedup_by(|a, b| a.word == b.word);
    // A part after `=` or `:` is plain text; the whole word keeps its quoting.
    let quote = if target.start == word.start { word.quote } else { Quote::Bare };
    let special = if target.files { FILE_SPECIAL } else { WORD_SPECIAL };
    let insert = match matches.as_slice() {
        [] => None,
        [only] => {
            let mut text = quoted(&only.word, quote, special);
            if !only.continues() {
                text.push_str(closing(quote));
                text.push(' ');
            }
            Some(text)
        }
        [first, rest @ ..] => {
            let common = rest.iter().fold(first.word.as_str(), |common, c| common_prefix(common, &c.word));
            (common.len() > target.typed.len()).then(|| quoted(common, quote, special))
        }
    };
    let start = target.start.min(cursor);
    Completion { start, candidates: matches.into_iter().map(|c| c.label).collect(), insert }
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a.char_indices().zip(b.chars()).take_while(|((_, x), y)| x == y).last().map_or(0, |((i, x), _)| i + x.len_utf8());
    &a[..len]
}

/// Characters bash puts a backslash before when it completes a bare file name.
const FILE_SPECIAL: &[char] =
    &[' ', '\t', '\n', '\\', '"', '\'', '@', '<', '>', '=', ';', '|', '&', '(', ')', '#', '$', '`', '?', '*', '[', '!', ':', '{', '}'];
/// Other words (`base:`, `--opt=`) only keep together.
const WORD_SPECIAL: &[char] = &[' ', '\t', '\n', '\\', '"', '\''];

fn quoted(text: &str, quote: Quote, special: &[char]) -> String {
    match quote {
        Quote::Bare => {
            let mut out = String::new();
            for (i, c) in text.char_indices() {
                // `~` is home only at the start; a leading `~/` stays home.
                let tilde = c == '~' && i == 0 && !text[1..].starts_with('/') && text.len() > 1;
                if special.contains(&c) || tilde && special == FILE_SPECIAL {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
        Quote::Single => format!("'{}", text.replace('\'', "'\\''")),
        Quote::Double => {
            let mut out = String::from("\"");
            for c in text.chars() {
                if matches!(c, '"' | '\\' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    }
}

fn closing(quote: Quote) -> &'static str {
    match quote {
        Quote::Bare => "",
        Quote::Single => "'",
        Quote::Double => "\"",
    }
}

// ---------------------------------------------------------------- the shell

/// Words after which the shell expects a file name.
const REDIRECTIONS: &[&str] = &[">", ">>", "<", "2>", "2>>", "&>"];

fn shell_target(ctx: &Context<'_>, words: &[String], word: &Word) -> Target {
    if words.last().is_some_and(|w| REDIRECTIONS.contains(&w.as_str())) {
        return paths(ctx, word, PathKind::Any);
    }
    let Some((name, args)) = words.split_first() else {
        if word.text.contains('/') {
            return paths(ctx, word, PathKind::Any);
        }
        let commands = ctx.commands.iter().filter(|c| c.starts_with(|ch: char| ch.is_alphanumeric()));
        return Target::whole(word, commands.map(|c| Candidate::plain(c)).collect());
    };
    match (name.as_str(), args) {
        // `uv run CMD ...`, `python -m alembic ...`: the tool's own completion.
        ("uv", [run, rest @ ..]) if run == "run" => shell_target(ctx, rest, word),
        ("python" | "python3", [m]) if m == "-m" => {
            Target::whole(word, crate::engine::session::PYTHON_MODULES.iter().map(|m| Candidate::plain(m)).collect())
        }
        ("python" | "python3", [m, module, rest @ ..]) if m == "-m" && module != "pip" => {
            let mut words = vec![module.clone()];
            words.extend_from_slice(rest);
            shell_target(ctx, &words, word)
        }
        ("alembic", _) => alembic_target(ctx, args, word),
        ("sqlite3", _) => sqlite_target(ctx, args, word),
        ("uvicorn", _) if word.text.starts_with('-') => {
            Target::whole(word, webapp::uvicorn_options().map(Candidate::plain).collect())
        }
        ("which", _) => Target::whole(word, ctx.commands.iter().map(|c| Candidate::plain(c)).collect()),
        ("cd" | "mkdir" | "rmdir", _) => paths(ctx, word, PathKind::Folders),
        _ => paths(ctx, word, PathKind::Any),
    }
}

// ---------------------------------------------------------------- paths

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathKind {
    Any,
    Folders,
    /// Folders and SQLite database files (`*.db`, `*.sqlite`, `*.sqlite3`, or SQLite bytes).
    Databases,
}

/// File and folder names that complete the word, relative to the current
/// directory (`~/` is the project folder, as the shell has it).
fn paths(ctx: &Context<'_>, word: &Word, kind: PathKind) -> Target {
    let text = word.text.as_str();
    let (dir_text, _) = text.rsplit_once('/').map_or(("", text), |(dir, base)| (&text[..dir.len() + 1], base));
    let root_slash = format!("{}/", ctx.root);
    // Where the folder part points: a project folder, or a folder above the project.
    let dir = if let Some(rest) = dir_text.strip_prefix("~/") {
        project::resolve("", rest)
    } else if dir_text.starts_with('/') {
        if let Some(rest) = dir_text.strip_prefix(&root_slash) {
            project::resolve("", rest)
        } else {
            // On the way down to the project: its next folder is all there is.
            let next = root_slash.strip_prefix(dir_text).and_then(|rest| rest.split('/').next()).filter(|n| !n.is_empty());
            let candidates = next.map(|n| Candidate { word: format!("{dir_text}{n}/"), label: format!("{n}/") });
            return Target::files(word, candidates.into_iter().collect());
        }
    } else {
        project::resolve(ctx.cwd, dir_text)
    };
    let Some(dir) = dir.filter(|d| ctx.project.is_dir(d)) else {
        return Target::nothing(word);
    };
    let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    let child = |path: &str| path.strip_prefix(prefix.as_str()).filter(|name| !name.is_empty() && !name.contains('/')).map(str::to_string);
    let mut names: Vec<String> = ctx.project.dirs().filter_map(child).map(|name| format!("{name}/")).collect();
    if kind != PathKind::Folders {
        let files = ctx.project.files().filter(|(path, bytes)| {
            kind == PathKind::Any
                || Project::is_database(path, bytes)
                || [".db", ".sqlite", ".sqlite3"].iter().any(|ext| path.ends_with(ext))
        });
        names.extend(files.filter_map(|(path, _)| child(path)));
    }
    // `.` and `..` only when asked for by name, as readline does.
    let base = &text[dir_text.len()..];
    if base == "." || base == ".." {
        names.push("./".to_string());
        if !dir.is_empty() {
            names.push("../".to_string());
        }
    }
    let candidates = names.into_iter().map(|name| Candidate { word: format!("{dir_text}{name}"), label: name }).collect();
    Target::files(word, candidates)
}

// ---------------------------------------------------------------- alembic

/// Which positional word the cursor stands on, on an `alembic` command line.
enum AlembicSlot<'s> {
    Subcommand,
    /// A parameter of the subcommand (`revision`, `rev`, `directory`).
    Positional(&'s str),
    /// The subcommand takes no more positionals.
    Done,
}

fn alembic_target(ctx: &Context<'_>, args: &[String], word: &Word) -> Target {
    let top = cli::shape();
    let mut level = &top;
    let mut subcommand: Option<&str> = None;
    let mut config: Option<&str> = None;
    let mut positionals = 0usize;
    let mut pending: Option<&cli::OptionShape> = None;
    for arg in args {
        if let Some(option) = pending.take() {
            if option.dest == "config" {
                config = Some(arg);
            }
            continue;
        }
        if is_option_word(arg) {
            if let Some(option) = level.option(arg) {
                let glued = arg.contains('=') || (!arg.starts_with("--") && arg.len() > 2);
                if option.takes_value && !glued {
                    pending = Some(option);
                } else if option.dest == "config" {
                    config = arg.split_once('=').map(|(_, v)| v).or_else(|| arg.get(2..));
                }
            }
        } else if subcommand.is_none() {
            match top.subcommands.iter().find(|(name, _)| name == arg) {
                Some((name, shape)) => {
                    subcommand = Some(name);
                    level = shape;
                }
                // argparse stops at an unknown subcommand: nothing to offer.
                None => return Target::nothing(word),
            }
        } else {
            positionals += 1;
        }
    }
    let revisions = || revision_ids(ctx, config);

    // The value of the option before the cursor (`-m`, `-r`, `-c`).
    if let Some(option) = pending {
        return alembic_value(ctx, subcommand, &option.dest, word, &revisions);
    }
    // `--rev-range=...`: the value after the `=`.
    if word.text.starts_with("--") {
        if let Some((name, value)) = word.text.split_once('=') {
            let option = level.option(name).filter(|o| o.takes_value);
            let (Some(option), true) = (option, word.is_plain()) else {
                return Target::nothing(word);
            };
            let value = Word::plain(word.start + name.len() + 1, value);
            return alembic_value(ctx, subcommand, &option.dest, &value, &revisions);
        }
    }
    let slot = match subcommand {
        None => AlembicSlot::Subcommand,
        Some(_) => match level.positionals.get(positionals).or_else(|| level.positionals.last().filter(|(_, many)| *many)) {
            Some((dest, _)) => AlembicSlot::Positional(dest),
            None => AlembicSlot::Done,
        },
    };
    let mut candidates = Vec::new();
    if word.text.starts_with('-') {
        candidates.extend(level.options.iter().flat_map(|o| o.flags.iter()).map(|f| Candidate::plain(f)));
    }
    match slot {
        AlembicSlot::Subcommand => {
            candidates.extend(top.subcommands.iter().map(|(name, _)| Candidate::plain(name)));
        }
        AlembicSlot::Positional(dest) => {
            let mut target = alembic_value(ctx, subcommand, dest, word, &revisions);
            target.candidates.extend(candidates);
            return target;
        }
        AlembicSlot::Done => {}
    }
    Target::whole(word, candidates)
}

/// An option word for argparse: starts with `-`, and is not a negative number
/// (no Alembic option looks like one, so `-1` is a positional).
fn is_option_word(arg: &str) -> bool {
    arg.starts_with('-') && arg.len() > 1 && arg[1..].parse::<f64>().is_err() && arg != "--"
}

/// The revision words each revision parameter takes besides ids.
const REVISION_WORDS: &[(&str, &str, &[&str])] = &[
    ("upgrade", "revision", &["head", "heads", "+1"]),
    ("downgrade", "revision", &["base", "-1"]),
    ("stamp", "revisions", &["head", "heads", "base"]),
    ("show", "rev", &["head", "heads", "current"]),
    ("edit", "rev", &["head"]),
    ("merge", "revisions", &["heads"]),
    ("revision", "head", &["head", "base"]),
    ("revision", "depends_on", &[]),
];

/// The start of `history -r START:END` and its end.
const RANGE_STARTS: &[&str] = &["base", "current"];
const RANGE_ENDS: &[&str] = &["head", "heads", "current"];

fn alembic_value(ctx: &Context<'_>, subcommand: Option<&str>, dest: &str, word: &Word, revisions: &dyn Fn() -> Vec<String>) -> Target {
    let sub = subcommand.unwrap_or_default();
    if let Some((_, _, words)) = REVISION_WORDS.iter().find(|(s, d, _)| *s == sub && *d == dest) {
        let mut candidates: Vec<Candidate> = revisions().iter().map(|id| Candidate::plain(id)).collect();
        candidates.extend(words.iter().map(|w| Candidate::plain(w)));
        return Target::whole(word, candidates);
    }
    match dest {
        "rev_range" => {
            let ids = revisions();
            match word.text.rsplit_once(':') {
                Some((before, _)) if word.is_plain() => {
                    let end = Word::plain(word.start + before.len() + 1, &word.text[before.len() + 1..]);
                    let candidates = ids.iter().map(String::as_str).chain(RANGE_ENDS.iter().copied()).map(Candidate::plain).collect();
                    Target { start: end.start, typed: end.text, candidates, files: false }
                }
                Some(_) => Target::nothing(word),
                None => {
                    let starts = ids.iter().map(String::as_str).chain(RANGE_STARTS.iter().copied());
                    Target::whole(word, starts.map(|s| Candidate::plain(&format!("{s}:"))).collect())
                }
            }
        }
        "config" | "directory" | "version_path" => paths(ctx, word, PathKind::Any),
        "template" => Target::whole(word, template_names().map(Candidate::plain).collect()),
        _ => Target::nothing(word),
    }
}

/// The templates `alembic list_templates` lists.
fn template_names() -> impl Iterator<Item = &'static str> {
    alembic::TEMPLATES
        .lines()
        .filter(|line| !line.starts_with(' '))
        .filter_map(|line| line.split_once(" - ").map(|(name, _)| name))
}

/// The revision ids of the versions folder the config names (none when it
/// doesn't load: completion never reports errors).
fn revision_ids(ctx: &Context<'_>, config: Option<&str>) -> Vec<String> {
    let Ok(config) = env::load_config(ctx.project, ctx.cwd, ctx.root, config) else {
        return Vec::new();
    };
    match env::load_versions(ctx.project, ctx.root, &config) {
        Ok(versions) => versions.map.revisions().map(|r| r.id().to_string()).collect(),
        Err(_) => Vec::new(),
    }
}

// ---------------------------------------------------------------- sqlite3

fn sqlite_target(ctx: &Context<'_>, args: &[String], word: &Word) -> Target {
    // As `sqlite_cli::parse_invocation` reads them: options, a file, then inputs.
    let has_file = args.iter().any(|a| !(a.starts_with('-') && a.len() > 1));
    if !has_file {
        if word.text.starts_with('-') {
            return Target::whole(word, sqlite_cli::option_names().map(Candidate::plain).collect());
        }
        return paths(ctx, word, PathKind::Databases);
    }
    if word.text.starts_with('.') {
        return Target::whole(word, sqlite_cli::dot_commands().map(Candidate::plain).collect());
    }
    Target::nothing(word)
}

#[cfg(test)]
mod tests {
    //! The cases in `tests/completion_cases.txt`: a `## title` starts a fresh
    //! starter-project session, `$ command` lines set it up, and each case is
    //! `LINE => RESULT | CANDIDATES`, where `‸` marks the cursor in both
    //! lines, RESULT is the line after Tab, and CANDIDATES are the listed
    //! words separated by spaces (`\ ` is a space inside one).

    use crate::engine::session::Session;
    use crate::engine::starter;

    const CASES: &str = include_str!("../../tests/completion_cases.txt");
    const CURSOR: char = '‸';

    fn split_cursor(text: &str) -> (String, usize) {
        let at = text.find(CURSOR).unwrap_or_else(|| panic!("no cursor mark in {text:?}"));
        (text.replacen(CURSOR, "", 1), at)
    }

    fn candidates(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => current.extend(chars.next()),
                ' ' if !current.is_empty() => out.push(std::mem::take(&mut current)),
                ' ' => {}
                c => current.push(c),
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
        out
    }

    #[test]
    fn completion_cases() {
        let mut session = Session::new(starter::project());
        let mut section = String::new();
        let mut failures = Vec::new();
        let mut count = 0;
        for (number, line) in CASES.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            if line.starts_with("# ") || line.trim().is_empty() {
                continue;
            } else if let Some(title) = line.strip_prefix("## ") {
                session = Session::new(starter::project());
                section = title.to_string();
            } else if let Some(command) = line.strip_prefix("$ ") {
                let out = session.run_line(command);
                assert_eq!(out.exit_code, 0, "line {number}: setup `{command}` failed: {out:?}");
            } else if let Some((input, expected)) = line.split_once(" => ") {
                count += 1;
                let (result, listed) = expected.split_once(" |").unwrap_or_else(|| panic!("line {number}: no ` |`"));
                let (input, cursor) = split_cursor(input);
                let completion = session.complete(&input, cursor);
                let (after, new_cursor) = completion.apply(&input, cursor);
                let mut actual = after.clone();
                actual.insert(new_cursor, CURSOR);
                let want = (result.to_string(), candidates(listed));
                let got = (actual, completion.candidates.clone());
                if want != got {
                    failures.push(format!(
                        "line {number} ({section}): {input:?} at {cursor}\n  expected: {:?} {:?}\n  actual:   {:?} {:?}",
                        want.0, want.1, got.0, got.1
                    ));
                }
            } else {
                panic!("line {number}: not a case: {line:?}");
            }
        }
        assert!(count > 0, "no cases read");
        assert!(failures.is_empty(), "{} of {count} completion cases differ:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn completion_never_panics_on_any_cursor() {
        let mut session = Session::new(starter::project());
        session.run_line("mkdir 'a b' && touch 'a b/é.txt'");
        for line in ["cat 'a b/é", "alembic -c \"x", "ls \\", "echo ‸é ü", "sqlite3 -", "a && b || 'c", "# x", "alembic history -r a:b:"] {
            for cursor in 0..=line.len() + 2 {
                let completion = session.complete(line, cursor);
                let _ = completion.apply(line, cursor);
            }
        }
    }
}
