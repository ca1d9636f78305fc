//! The `sqlite3` command-line shell: dot-commands, output modes and error
//! messages printed exactly as the real `sqlite3` CLI prints them (Debian's
//! 3.40.1 is the reference the tests compare against), over a real SQLite.
//!
//! Three ways in, as with the real tool: arguments (`sqlite3 FILE SQL|.cmd...`,
//! batch), input that is not a terminal (`sqlite3 FILE < script.sql`, and
//! `.read FILE`: [`run_script`]) and the interactive `sqlite>` prompt ([`Interactive`]).

use std::fmt::Write as _;

use fallible_iterator::FallibleIterator;
use rusqlite::types::ValueRef;
use rusqlite::{Batch, Connection};

use super::output::CommandOutput;

/// How query results are printed (`.mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    List,
    Column,
    Table,
    Box,
    Markdown,
    Line,
    Csv,
    Tabs,
}

impl Mode {
    fn parse(name: &str) -> Option<Mode> {
        Some(match name {
            "list" => Mode::List,
            "column" | "columns" => Mode::Column,
            "table" => Mode::Table,
            "box" => Mode::Box,
            "markdown" => Mode::Markdown,
            "line" | "lines" => Mode::Line,
            "csv" => Mode::Csv,
            "tabs" => Mode::Tabs,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Mode::List => "list",
            Mode::Column => "column",
            Mode::Table => "table",
            Mode::Box => "box",
            Mode::Markdown => "markdown",
            Mode::Line => "line",
            Mode::Csv => "csv",
            Mode::Tabs => "tabs",
        }
    }

    fn is_columnar(self) -> bool {
        matches!(self, Mode::Column | Mode::Table | Mode::Box | Mode::Markdown)
    }
}

/// Every mode the real CLI accepts, for its error message.
const ALL_MODES: &str = "ascii box column csv html insert json line list markdown qbox quote table tabs tcl";

/// Output settings kept for the life of one sqlite3 process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub headers: bool,
    pub mode: Mode,
    /// Column and table modes wrap cells wider than this many characters.
    pub wrap: usize,
    /// Whether input needed the database (SQL, `.tables`, `.schema`,
    /// `.indexes`): the CLI opens a missing database file, creating it,
    /// only then (`sqlite3 new.db .quit` leaves no file).
    pub opened: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { headers: false, mode: Mode::List, wrap: 60, opened: false }
    }
}

/// What running a piece of input did, for the caller to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `.quit` / `.exit`: stop reading input.
    Quit,
}

/// Where an error is reported: batch arguments, the interactive prompt and
/// input read from a file word the same failure differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Batch,
    Interactive,
    /// Input from a file or a redirected stdin, the statement starting on this line.
    Script(usize),
}

/// How `.read` reaches files: a file's text by the name typed (relative to
/// the current directory), `None` when the CLI cannot open it.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How deeply `.read` may nest (shell.c's MAX_INPUT_NESTING).
const MAX_INPUT_NESTING: usize = 25;

/// The reading state of one sqlite3 process beyond its settings: how files
/// are read, how many inputs are open, and the line of the current one.
struct Input<'a> {
    read_file: ReadFile<'a>,
    nesting: usize,
    lineno: usize,
    /// `.exit N` (N not 0): the CLI exits at once with N, whatever input is open.
    exit: Option<i32>,
}

/// The result of one piece of input: text printed, and the code the CLI
/// would exit with if this were the last thing it ran (0 on success).
#[derive(Debug, Default)]
struct Printed {
    out: String,
    err: String,
    code: i32,
}

/// Runs a complete piece of input: a dot-command line or SQL text.
fn run_input(
    conn: &Connection,
    settings: &mut Settings,
    input: &str,
    ctx: Context,
    reading: &mut Input<'_>,
) -> (Printed, Flow) {
    let mut printed = Printed::default();
    let trimmed = input.trim_start();
    if trimmed.starts_with('.') {
        let flow = dot_command(conn, settings, trimmed, reading, &mut printed);
        (printed, flow)
    } else {
        settings.opened = true;
        run_sql(conn, settings, input, ctx, &mut printed);
        (printed, Flow::Continue)
    }
}

/// Splits a dot-command line into arguments as the CLI does: whitespace
/// separated, with '...' and "..." quoting.
fn dot_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut arg = String::new();
        if c == '\'' || c == '"' {
            chars.next();
            for ch in chars.by_ref() {
                if ch == c {
                    break;
                }
                arg.push(ch);
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                arg.push(ch);
                chars.next();
            }
        }
        args.push(arg);
    }
    args
}

/// Whether `typed` abbreviates `full` with at least `min` characters, as the
/// CLI accepts `.head` for `.headers`.
fn abbreviates(typed: &str, full: &str, min: usize) -> bool {
    typed.len() >= min && full.starts_with(typed)
}

fn boolean_arg(arg: &str) -> Option<bool> {
    match arg.to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" | "1" => Some(true),
        "off" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Dot-commands of the real CLI that the playground does not offer.
const UNSUPPORTED_DOT_COMMANDS: &[&str] = &[
    "archive", "auth", "backup", "bail", "binary", "cd", "changes", "check", "clone", "connection",
    "databases", "dbconfig", "dbinfo", "dump", "echo", "eqp", "excel", "expert", "explain",
    "filectrl", "fullschema", "import", "imposter", "iotrace", "limit", "lint", "load", "log",
    "nullvalue", "once", "open", "output", "parameter", "print", "progress", "prompt", "recover", "restore", "save", "scanstats", "selftest", "separator", "session", "sha3sum",
    "shell", "show", "stats", "system", "testcase", "testctrl", "timeout", "timer", "trace",
    "vfsinfo", "vfslist", "vfsname", "width",
];

fn dot_command(conn: &Connection, settings: &mut Settings, line: &str, reading: &mut Input<'_>, p: &mut Printed) -> Flow {
    let args = dot_args(&line[1..]);
    let Some(name) = args.first().map(String::as_str) else {
        // A lone "." is silently ignored by the CLI.
        return Flow::Continue;
    };
    let rest = &args[1..];
    if abbreviates(name, "headers", 2) {
        match rest {
            [value] => match boolean_arg(value) {
                Some(on) => settings.headers = on,
                None => {
                    let _ = writeln!(p.err, "ERROR: Not a boolean value: \"{value}\". Assuming \"no\".");
                    settings.headers = false;
                }
            },
            _ => usage(p, "Usage: .headers on|off"),
        }
    } else if abbreviates(name, "mode", 1) {
        match rest {
            [] => {
                let extra = if settings.mode.is_columnar() {
                    format!(" --wrap {} --wordwrap off --noquote", settings.wrap)
                } else {
                    String::new()
                };
                let _ = writeln!(p.out, "current output mode: {}{}", settings.mode.name(), extra);
            }
            [mode, ..] => match Mode::parse(mode) {
                Some(mode) => {
                    settings.mode = mode;
                    // The columnar modes turn headers on, as the real CLI does.
                    if mode.is_columnar() {
                        settings.headers = true;
                    }
                }
                None if ALL_MODES.split(' ').any(|m| m == mode) => {
                    let _ = writeln!(p.err, "Error: .mode {mode} is not available in the driftlab playground");
                    p.code = 1;
                }
                None => usage(p, &format!("Error: mode should be one of: {ALL_MODES}")),
            },
        }
    } else if abbreviates(name, "tables", 2) || abbreviates(name, "indexes", 3) || abbreviates(name, "indices", 3) {
        let tables = name.starts_with('t');
        settings.opened = true;
        match rest {
            [] | [_] => {
                let pattern = rest.first().cloned();
                let result = if tables { list_tables(conn, pattern) } else { list_indexes(conn, pattern) };
                match result {
                    Ok(names) => p.out.push_str(&columnize(&names)),
                    Err(e) => sql_error_line(p, &e),
                }
            }
            _ if tables => usage(p, "Usage: .tables ?TABLE?"),
            _ => usage(p, "Usage: .indexes ?TABLE?"),
        }
    } else if abbreviates(name, "schema", 2) {
        settings.opened = true;
        let pattern = rest.iter().find(|a| !a.starts_with("--")).cloned();
        match schema(conn, pattern) {
            Ok(text) => p.out.push_str(&text),
            Err(e) => sql_error_line(p, &e),
        }
    } else if abbreviates(name, "read", 3) {
        match rest {
            [file] if file.starts_with('|') => {
                let _ = writeln!(p.err, "Error: .read |COMMAND is not available in the driftlab playground; try .read FILE");
                p.code = 1;
            }
            [file] => match (reading.read_file)(file) {
                Some(text) => {
                    let line = reading.lineno;
                    let failed = process_input(conn, settings, &text, reading, p);
                    reading.lineno = line;
                    if reading.exit.is_some() {
                        return Flow::Quit;
                    }
                    if failed {
                        p.code = 1;
                    }
                }
                None => {
                    let _ = writeln!(p.err, "Error: cannot open \"{file}\"");
                    p.code = 1;
                }
            },
            _ => usage(p, "Usage: .read FILE"),
        }
    } else if abbreviates(name, "quit", 1) || abbreviates(name, "exit", 2) {
        // `.exit N` exits with N at once (shell.c: `exit(rc)`); `.exit`, `.exit 0` and `.quit` stop reading.
        if abbreviates(name, "exit", 2) {
            reading.exit = rest.first().map(|code| integer_value(code)).filter(|&code| code != 0);
        }
        return Flow::Quit;
    } else if abbreviates(name, "help", 1) {
        p.out.push_str(HELP);
    } else if UNSUPPORTED_DOT_COMMANDS.contains(&name) {
        let _ = writeln!(p.err, "Error: .{name} is not available in the driftlab playground; try .help");
        p.code = 1;
    } else {
        let _ = writeln!(p.err, "Error: unknown command or invalid arguments:  \"{name}\". Enter \".help\" for help");
        p.code = 1;
    }
    Flow::Continue
}

const HELP: &str = "\
.exit                    Exit this program
.headers on|off          Turn display of headers on or off
.help                    Show this message
.indexes ?TABLE?         Show names of indexes
.mode MODE               Set output mode: box column csv line list markdown table tabs
.quit                    Exit this program
.read FILE               Read input from FILE
.schema ?PATTERN?        Show the CREATE statements matching PATTERN
.tables ?TABLE?          List names of tables matching LIKE pattern TABLE
";

/// The dot-commands the playground offers, as `.help` lists them (for Tab completion).
pub fn dot_commands() -> impl Iterator<Item = &'static str> {
    HELP.lines().filter_map(|line| line.split_whitespace().next())
}

/// The output modes `.mode` accepts, as `.help` lists them.
pub fn mode_names() -> impl Iterator<Item = &'static str> {
    HELP.lines()
        .find_map(|line| line.split_once("Set output mode: "))
        .map(|(_, modes)| modes)
        .unwrap_or_default()
        .split_whitespace()
}

/// The command-line options, as `-help` lists them.
pub fn option_names() -> impl Iterator<Item = &'static str> {
    CLI_USAGE.lines().filter_map(|line| line.trim_start().split_whitespace().next().filter(|w| w.starts_with('-')))
}

/// The tables and views of a database, as `.tables` lists them.
pub fn table_names(conn: &Connection) -> Vec<String> {
    list_tables(conn, None).unwrap_or_default()
}

fn usage(p: &mut Printed, text: &str) {
    p.err.push_str(text);
    p.err.push('\n');
    p.code = 1;
}

fn sql_error_line(p: &mut Printed, e: &rusqlite::Error) {
    let _ = writeln!(p.err, "Error: {}", error_message(e));
    p.code = 1;
}

fn list_tables(conn: &Connection, pattern: Option<String>) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type IN ('table','view') \
         AND name NOT LIKE 'sqlite_%' AND name LIKE ?1 ORDER BY 1",
    )?;
    let names = stmt.query_map([pattern.unwrap_or_else(|| "%".into())], |r| r.get(0))?;
    names.collect()
}

fn list_indexes(conn: &Connection, table: Option<String>) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name LIKE ?1 ORDER BY 1",
    )?;
    let names = stmt.query_map([table.unwrap_or_else(|| "%".into())], |r| r.get(0))?;
    names.collect()
}

fn schema(conn: &Connection, pattern: Option<String>) -> rusqlite::Result<String> {
    let mut sql = String::from(
        "SELECT sql, type, name FROM sqlite_schema WHERE sql IS NOT NULL AND type != 'meta'",
    );
    let is_glob = pattern.as_deref().is_some_and(|p| p.contains(['*', '?', '[']));
    if pattern.is_some() {
        sql.push_str(if is_glob {
            " AND (lower(tbl_name) GLOB lower(?1) OR lower(name) GLOB lower(?1))"
        } else {
            " AND (lower(tbl_name) LIKE lower(?1) OR lower(name) LIKE lower(?1))"
        });
    }
    sql.push_str(" ORDER BY rowid");
    let mut stmt = conn.prepare(&sql)?;
    let read = |r: &rusqlite::Row<'_>| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?));
    let rows: Vec<(String, String, String)> = match pattern {
        Some(p) => stmt.query_map([p], read)?.collect::<Result<_, _>>()?,
        None => stmt.query_map([], read)?.collect::<Result<_, _>>()?,
    };
    let mut out = String::new();
    for (sql, kind, name) in rows {
        // shell.c's printSchemaLine: SQL matching `CREATE TABLE ['"]*` (as
        // `ALTER TABLE ... RENAME`, hence Alembic's batch mode, leaves it) is shown with IF NOT EXISTS.
        match sql.strip_prefix("CREATE TABLE ").filter(|rest| rest.starts_with(['\'', '"'])) {
            Some(rest) => {
                out.push_str("CREATE TABLE IF NOT EXISTS ");
                out.push_str(rest);
            }
            None => out.push_str(&sql),
        }
        if kind == "view" {
            // The CLI notes a view's columns, which its SQL does not spell out.
            let mut columns = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
            let columns: Vec<String> = columns.query_map([&name], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let _ = write!(out, "\n/* {name}({}) */", columns.join(","));
        }
        out.push_str(";\n");
    }
    Ok(out)
}

/// Lays names out in columns across an 80-character line, as `.tables` does.
fn columnize(names: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let columns = (80 / (width + 2)).max(1);
    let rows = names.len().div_ceil(columns);
    let mut out = String::new();
    for row in 0..rows {
        for (i, name) in names.iter().enumerate().skip(row).step_by(rows) {
            if i >= rows {
                out.push_str("  ");
            }
            let _ = write!(out, "{name:<width$}");
        }
        out.push('\n');
    }
    out
}

/// The message SQLite gives for an error, without rusqlite's decorations.
fn error_message(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(err, Some(msg)) => {
            let _ = err;
            msg.clone()
        }
        rusqlite::Error::SqliteFailure(err, None) => err.to_string(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// SQLite's primary result code for an error (what the CLI exits with).
fn error_code(e: &rusqlite::Error) -> i32 {
    match e {
        rusqlite::Error::SqliteFailure(err, _) | rusqlite::Error::SqlInputError { error: err, .. } => {
            err.extended_code & 0xff
        }
        _ => 1,
    }
}

/// The two lines under an error that point at the offending token, as the
/// CLI prints them (`  selec 1` / `  ^--- error here`).
fn error_context(sql: &str, offset: usize) -> String {
    let mut start = 0;
    let mut offset = offset.min(sql.len());
    // Keep the pointer within the first 50 characters of the excerpt.
    while offset > 50 {
        let step = sql[start..].chars().next().map_or(1, char::len_utf8);
        start += step;
        offset = offset.saturating_sub(step);
    }
    let rest = &sql[start..];
    let mut end = rest.len().min(78);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let code: String = rest[..end].chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let column = rest[..offset.min(rest.len())].chars().count();
    if column < 25 {
        format!("\n  {code}\n  {}^--- error here", " ".repeat(column))
    } else {
        format!("\n  {code}\n  {}error here ---^", " ".repeat(column - 14))
    }
}

/// Runs SQL text statement by statement, printing rows as they come. Stops at
/// the first failing statement; the statements before it stay done.
fn run_sql(conn: &Connection, settings: &Settings, sql: &str, ctx: Context, p: &mut Printed) {
    let mut batch = Batch::new(conn, sql);
    loop {
        match batch.next() {
            Ok(None) => break,
            Ok(Some(mut stmt)) => {
                if let Err(e) = print_statement(&mut stmt, settings, p) {
                    let code = error_code(&e);
                    match ctx {
                        Context::Batch => {
                            let _ = writeln!(p.err, "Error: stepping, {} ({code})", error_message(&e));
                        }
                        Context::Interactive => {
                            let _ = writeln!(p.err, "Runtime error: {} ({code})", error_message(&e));
                        }
                        Context::Script(line) => {
                            let _ = writeln!(p.err, "Runtime error near line {line}: {} ({code})", error_message(&e));
                        }
                    }
                    p.code = code;
                    return;
                }
            }
            Err(e) => {
                let context = match &e {
                    rusqlite::Error::SqlInputError { sql: failing, offset, .. } if *offset >= 0 => {
                        // The CLI shows the statement from its first non-blank character.
                        let trimmed = failing.trim_start();
                        let skipped = failing.len() - trimmed.len();
                        error_context(trimmed, (*offset as usize).saturating_sub(skipped))
                    }
                    _ => String::new(),
                };
                match ctx {
                    Context::Batch => {
                        let _ = writeln!(p.err, "Error: in prepare, {}{context}", error_message(&e));
                    }
                    Context::Interactive => {
                        let _ = writeln!(p.err, "Parse error: {}{context}", error_message(&e));
                    }
                    Context::Script(line) => {
                        let _ = writeln!(p.err, "Parse error near line {line}: {}{context}", error_message(&e));
                    }
                }
                p.code = error_code(&e);
                return;
            }
        }
    }
}

/// A value as the CLI shows it in text modes.
fn value_text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => format_real(f),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// Formats a REAL the way SQLite's `%!.15g` does: 15 significant digits,
/// trailing zeros dropped, but always a decimal point (`1.0`, `1.0e+20`).
pub fn format_real(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sci = format!("{:.14e}", f);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if negative { "-" } else { "" };
    if !(-4..15).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{first}.{rest}e{exp_sign}{:02}", exponent.abs())
    } else if exponent < 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-exponent - 1) as usize))
    } else {
        let int_len = exponent as usize + 1;
        if digits.len() <= int_len {
            format!("{sign}{digits}{}.0", "0".repeat(int_len - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..int_len], &digits[int_len..])
        }
    }
}

fn print_statement(stmt: &mut rusqlite::Statement<'_>, settings: &Settings, p: &mut Printed) -> rusqlite::Result<()> {
    let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let mut rows = stmt.raw_query();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut printed_rows = 0usize;
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(names.len());
        let mut kinds = Vec::with_capacity(names.len());
        for i in 0..names.len() {
            let v = row.get_ref(i)?;
            kinds.push(CellKind::of(v));
            cells.push(value_text(v));
        }
        if !settings.mode.is_columnar() {
            print_row(settings, &names, &cells, &kinds, printed_rows == 0, p);
            printed_rows += 1;
        } else {
            table.push(cells);
        }
    }
    if settings.mode.is_columnar() && !table.is_empty() {
        print_columnar(settings, &names, &table, p);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Null,
    Number,
    Text,
}

impl CellKind {
    fn of(v: ValueRef<'_>) -> CellKind {
        match v {
            ValueRef::Null => CellKind::Null,
            ValueRef::Integer(_) | ValueRef::Real(_) => CellKind::Number,
            _ => CellKind::Text,
        }
    }
}

fn csv_field(text: &str, kind: CellKind) -> String {
    let needs_quotes = kind == CellKind::Text
        && (text.is_empty() || text.chars().any(|c| c == '"' || c == ',' || (c as u32) < 32 || c as u32 == 127));
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// One row in a row-at-a-time mode (list, line, csv, tabs).
fn print_row(settings: &Settings, names: &[String], cells: &[String], kinds: &[CellKind], first: bool, p: &mut Printed) {
    match settings.mode {
        Mode::Line => {
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max(5);
            if !first {
                p.out.push('\n');
            }
            for (name, cell) in names.iter().zip(cells) {
                let _ = writeln!(p.out, "{name:>width$} = {cell}");
            }
        }
        Mode::Csv => {
            if first && settings.headers {
                let header: Vec<String> = names.iter().map(|n| csv_field(n, CellKind::Text)).collect();
                p.out.push_str(&header.join(","));
                p.out.push_str("\r\n");
            }
            let fields: Vec<String> = cells.iter().zip(kinds).map(|(c, k)| csv_field(c, *k)).collect();
            p.out.push_str(&fields.join(","));
            p.out.push_str("\r\n");
        }
        _ => {
            let separator = if settings.mode == Mode::Tabs { "\t" } else { "|" };
            if first && settings.headers {
                p.out.push_str(&names.join(separator));
                p.out.push('\n');
            }
            p.out.push_str(&cells.join(separator));
            p.out.push('\n');
        }
    }
}

/// Splits a cell into the lines it occupies in a column of at most `wrap`
/// characters: at newlines, then hard-wrapped.
fn cell_lines(text: &str, wrap: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.split('\n') {
        let chars: Vec<char> = line.chars().map(|c| if c == '\t' || c == '\r' { ' ' } else { c }).collect();
        if chars.is_empty() {
            lines.push(String::new());
        }
        for chunk in chars.chunks(wrap.max(1)) {
            lines.push(chunk.iter().collect());
        }
    }
    lines
}

fn pad_left_align(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    let free = width.saturating_sub(len);
    format!("{}{text}{}", " ".repeat(free / 2), " ".repeat(free - free / 2))
}

/// Column, table, box and markdown modes: all rows are measured first.
fn print_columnar(settings: &Settings, names: &[String], rows: &[Vec<String>], p: &mut Printed) {
    let wrap = settings.wrap;
    let header: Vec<Vec<String>> = names.iter().map(|n| cell_lines(n, wrap)).collect();
    let body: Vec<Vec<Vec<String>>> =
        rows.iter().map(|r| r.iter().map(|c| cell_lines(c, wrap)).collect()).collect();
    let mut widths: Vec<usize> = header
        .iter()
        .map(|lines| lines.iter().map(|l| l.chars().count()).max().unwrap_or(0))
        .collect();
    for row in &body {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            widths[i] = widths[i].max(w);
        }
    }
    let show_header = settings.headers || settings.mode != Mode::Column;
    // Box characters: (left, fill, junction, right) for top, middle and bottom rules, and the bar.
    let (top, mid, bottom, bar) = match settings.mode {
        Mode::Table => (["+", "-", "+", "+"], ["+", "-", "+", "+"], ["+", "-", "+", "+"], "|"),
        Mode::Box => (["┌", "─", "┬", "┐"], ["├", "─", "┼", "┤"], ["└", "─", "┴", "┘"], "│"),
        Mode::Markdown => ([""; 4], ["|", "-", "|", "|"], [""; 4], "|"),
        _ => ([""; 4], [""; 4], [""; 4], ""),
    };
    let rule = |parts: [&str; 4]| -> String {
        let mut line = String::from(parts[0]);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                line.push_str(parts[2]);
            }
            line.push_str(&parts[1].repeat(w + 2));
        }
        line.push_str(parts[3]);
        line.push('\n');
        line
    };
    let print_lines = |cells: &[Vec<String>], centered: bool, out: &mut String| {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut line = String::new();
            for (i, w) in widths.iter().enumerate() {
                let text = cells[i].get(k).map(String::as_str).unwrap_or("");
                let text = if centered { center(text, *w) } else { pad_left_align(text, *w) };
                if settings.mode == Mode::Column {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    line.push_str(&text);
                } else {
                    line.push_str(if i == 0 { bar } else { "" });
                    let _ = write!(line, " {text} {bar}");
                }
            }
            line.push('\n');
            out.push_str(&line);
        }
    };
    let out = &mut p.out;
    if settings.mode == Mode::Column {
        if show_header {
            print_lines(&header, false, out);
            let dashes: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&dashes.join("  "));
            out.push('\n');
        }
    } else {
        if settings.mode != Mode::Markdown {
            out.push_str(&rule(top));
        }
        print_lines(&header, true, out);
        out.push_str(&rule(mid));
    }
    for row in &body {
        print_lines(row, false, out);
    }
    if matches!(settings.mode, Mode::Table | Mode::Box) {
        out.push_str(&rule(bottom));
    }
}

/// Whether `sql` is one or more complete statements (ends with `;` outside
/// quotes, comments and trigger bodies), by SQLite's own rule.
pub fn is_complete(sql: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(sql) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

/// The banner the CLI prints when it starts interactively.
pub fn banner() -> String {
    // SAFETY: sqlite3_sourceid returns a static NUL-terminated string.
    let source = unsafe { std::ffi::CStr::from_ptr(rusqlite::ffi::sqlite3_sourceid()) };
    let source = source.to_string_lossy();
    let date = source.get(..19).unwrap_or("");
    format!("SQLite version {} {date}\nEnter \".help\" for usage hints.\n", rusqlite::version())
}

/// The parsed arguments of one `sqlite3` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The database file, relative to the current directory; `None` is a
    /// transient in-memory database.
    pub file: Option<String>,
    pub settings: Settings,
    /// SQL texts and dot-commands to run in order (batch mode). Empty means
    /// interactive.
    pub inputs: Vec<String>,
}

/// Reads `sqlite3 [OPTIONS] [FILE] [SQL...]`. Errors are printed as the CLI
/// prints them, with its exit code.
pub fn parse_invocation(args: &[String]) -> Result<Invocation, CommandOutput> {
    let mut settings = Settings::default();
    let mut file = None;
    let mut inputs = Vec::new();
    for arg in args {
        if file.is_none() && inputs.is_empty() && arg.starts_with('-') && arg.len() > 1 {
            let option = arg.trim_start_matches('-');
            match option {
                "header" | "headers" => settings.headers = true,
                "noheader" | "noheaders" => settings.headers = false,
                "version" => {
                    let source = banner();
                    let version = source.lines().next().unwrap_or("").trim_start_matches("SQLite version ");
                    return Err(CommandOutput::ok(format!("{version}\n")));
                }
                "help" => return Err(CommandOutput::error(CLI_USAGE, 0)),
                other => match Mode::parse(other) {
                    // Unlike `.mode column`, the option leaves headers as they are.
                    Some(mode) => settings.mode = mode,
                    None => {
                        return Err(CommandOutput::error(
                            format!("sqlite3: Error: unknown option: {arg}\nUse -help for a list of options.\n"),
                            1,
                        ))
                    }
                },
            }
        } else if file.is_none() {
            file = Some(arg.clone());
        } else {
            inputs.push(arg.clone());
        }
    }
    Ok(Invocation { file, settings, inputs })
}

const CLI_USAGE: &str = "\
Usage: sqlite3 [OPTIONS] FILENAME [SQL]
FILENAME is the name of an SQLite database. A new database is created
if the file does not previously exist.
OPTIONS include:
   -box                 set output mode to 'box'
   -column              set output mode to 'column'
   -csv                 set output mode to 'csv'
   -header              turn headers on
   -help                show this message
   -line                set output mode to 'line'
   -list                set output mode to 'list'
   -markdown            set output mode to 'markdown'
   -noheader            turn headers off
   -table               set output mode to 'table'
   -tabs                set output mode to 'tabs'
   -version             show SQLite version
";

/// Runs the batch inputs of an invocation against an open connection. The
/// first failing input stops the run, as in the real CLI.
pub fn run_batch(conn: &Connection, settings: &mut Settings, inputs: &[String], read_file: ReadFile<'_>) -> CommandOutput {
    let mut result = CommandOutput::default();
    let mut reading = Input { read_file, nesting: 0, lineno: 0, exit: None };
    for input in inputs {
        let (printed, flow) = run_input(conn, settings, input, Context::Batch, &mut reading);
        result.stdout.push_str(&printed.out);
        result.stderr.push_str(&printed.err);
        if let Some(code) = reading.exit {
            result.exit_code = code;
            break;
        }
        if printed.code != 0 {
            result.exit_code = printed.code;
            break;
        }
        if flow == Flow::Quit {
            break;
        }
    }
    result
}

/// Runs input that is not a terminal (`sqlite3 FILE < script.sql`, `<<<
/// "SQL"`) as the CLI reads it: no banner and no prompts, and every error
/// reported with its line and the rest still run; the exit code is 1 if
/// anything failed.
pub fn run_script(conn: &Connection, settings: &mut Settings, text: &str, read_file: ReadFile<'_>) -> CommandOutput {
    let mut reading = Input { read_file, nesting: 0, lineno: 0, exit: None };
    let mut p = Printed::default();
    let failed = process_input(conn, settings, text, &mut reading, &mut p);
    CommandOutput { stdout: p.out, stderr: p.err, exit_code: reading.exit.unwrap_or(i32::from(failed)) }
}

/// Reads input line by line as shell.c's `process_input` does (stdin that
/// is not a terminal, or a `.read` file): a line starting with `.` (and
/// no statement pending) is a dot-command and one starting with `#` a
/// comment; SQL lines gather until a line ends with `;` and the text is
/// complete, then run. Errors are counted and reading goes on (no
/// `-bail`); `.quit` ends this input only. Returns whether anything failed.
fn process_input(conn: &Connection, settings: &mut Settings, text: &str, reading: &mut Input<'_>, p: &mut Printed) -> bool {
    if reading.nesting == MAX_INPUT_NESTING {
        let _ = writeln!(
            p.err,
            "Input nesting limit ({MAX_INPUT_NESTING}) reached at line {}. Check recursion.",
            reading.lineno
        );
        return true;
    }
    reading.nesting += 1;
    reading.lineno = 0;
    let mut errors = 0;
    let mut sql = String::new();
    let mut start_line = 0;
    let mut scan = Scan::START;
    let run = |sql: &str, line: usize, settings: &mut Settings, p: &mut Printed| {
        settings.opened = true;
        let mut printed = Printed::default();
        run_sql(conn, settings, sql, Context::Script(line), &mut printed);
        p.out.push_str(&printed.out);
        p.err.push_str(&printed.err);
        usize::from(printed.code != 0)
    };
    for mut line in text.lines() {
        reading.lineno += 1;
        // A line of just `go` or `/` ends a statement, as `;` would.
        if scan.wait.is_none() && is_command_terminator(line) && is_complete(&format!("{sql};")) {
            line = ";";
        }
        scan = quickscan(line, scan);
        if scan.plain_white() && sql.is_empty() {
            scan = Scan::START;
            continue;
        }
        if sql.is_empty() && (line.starts_with('.') || line.starts_with('#')) {
            if line.starts_with('.') {
                let mut printed = Printed::default();
                let flow = dot_command(conn, settings, line, reading, &mut printed);
                p.out.push_str(&printed.out);
                p.err.push_str(&printed.err);
                if reading.exit.is_some() {
                    reading.nesting -= 1;
                    return true;
                }
                if flow == Flow::Quit {
                    break;
                }
                errors += usize::from(printed.code != 0);
            }
            scan = Scan::START;
            continue;
        }
        if sql.is_empty() {
            sql.push_str(line.trim_start_matches(is_space));
            start_line = reading.lineno;
        } else {
            sql.push('\n');
            sql.push_str(line);
        }
        if !sql.is_empty() && scan.ends_statement() && is_complete(&sql) {
            errors += run(&sql, start_line, settings, p);
            sql.clear();
            scan = Scan::START;
        } else if !sql.is_empty() && scan.plain_white() {
            sql.clear();
            scan = Scan::START;
        }
    }
    if !sql.is_empty() {
        // Perhaps incomplete: SQLite says so.
        errors += run(&sql, start_line, settings, p);
    }
    reading.nesting -= 1;
    errors > 0
}

/// shell.c's `integerValue`: an optional sign and decimal digits (or `0x`
/// hex); what follows the number is ignored, and no number reads as 0.
fn integer_value(text: &str) -> i32 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let value = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => {
            let end = hex.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(hex.len());
            i64::from_str_radix(&hex[..end], 16).unwrap_or(0)
        }
        None => {
            let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
            digits[..end].parse::<i64>().unwrap_or(0)
        }
    };
    (if negative { -value } else { value }) as i32
}

/// C's `isspace`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Where the input stands after a line (shell.c's `quickscan`): inside a
/// quote or comment (the character that ends it), and in plain text whether
/// anything but white space and comments was seen and whether the last such
/// character was a `;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    wait: Option<u8>,
    dark: bool,
    semicolon: bool,
}

impl Scan {
    const START: Scan = Scan { wait: None, dark: false, semicolon: false };

    /// Only white space, comments and semicolons so far.
    fn plain_white(self) -> bool {
        self.wait.is_none() && !self.dark
    }

    /// In plain text, ending with `;`.
    fn ends_statement(self) -> bool {
        self.wait.is_none() && self.semicolon
    }
}

fn quickscan(line: &str, mut scan: Scan) -> Scan {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        i += 1;
        match scan.wait {
            None => match c {
                c if is_space(c as char) => {}
                b'-' if bytes.get(i) == Some(&b'-') => match bytes[i..].iter().position(|&b| b == b'\n') {
                    Some(end) => i += end + 1,
                    None => return scan,
                },
                b';' => scan.semicolon = true,
                b'/' if bytes.get(i) == Some(&b'*') => {
                    i += 1;
                    scan.wait = Some(b'*');
                }
                b'[' | b'`' | b'\'' | b'"' => {
                    scan = Scan { wait: Some(if c == b'[' { b']' } else { c }), dark: true, semicolon: false };
                }
                _ => {
                    scan.dark = true;
                    scan.semicolon = false;
                }
            },
            Some(wait) if c == wait => match wait {
                b'*' if bytes.get(i) != Some(&b'/') => {}
                b'*' => {
                    i += 1;
                    scan.wait = None;
                }
                b'`' | b'\'' | b'"' if bytes.get(i) == Some(&wait) => i += 1,
                _ => scan.wait = None,
            },
            Some(_) => {}
        }
    }
    scan
}

/// A line that is only `go` (SQL Server) or `/` (Oracle), which ends a statement.
fn is_command_terminator(line: &str) -> bool {
    let line = line.trim_start_matches(is_space);
    let rest = if let Some(rest) = line.strip_prefix('/') {
        rest
    } else if line.as_bytes().get(..2).is_some_and(|b| b.eq_ignore_ascii_case(b"go")) {
        &line[2..]
    } else {
        return false;
    };
    quickscan(rest, Scan::START) == Scan::START
}

/// The interactive `sqlite>` prompt: settings and a half-typed statement
/// survive between lines until `.quit`.
#[derive(Debug)]
pub struct Interactive {
    pub settings: Settings,
    /// Lines of an SQL statement that is not complete yet.
    pending: String,
    /// Lines read so far (what the `.read` nesting limit reports).
    lineno: usize,
}

impl Interactive {
    pub fn new(settings: Settings) -> Self {
        Interactive { settings, pending: String::new(), lineno: 0 }
    }

    pub fn prompt(&self) -> &'static str {
        if self.pending.is_empty() {
            "sqlite> "
        } else {
            "   ...> "
        }
    }

    /// Feeds one typed line. Output is printed when a dot-command or a
    /// complete statement has been read; `.read` reads files with `read_file`.
    pub fn feed(&mut self, conn: &Connection, line: &str, read_file: ReadFile<'_>) -> (CommandOutput, Flow) {
        self.lineno += 1;
        // The terminal is the first input; `.read` opens more.
        let mut reading = Input { read_file, nesting: 1, lineno: self.lineno, exit: None };
        if self.pending.is_empty() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                return (CommandOutput::default(), Flow::Continue);
            }
            if trimmed.starts_with('.') {
                let (printed, flow) = run_input(conn, &mut self.settings, trimmed, Context::Interactive, &mut reading);
                let exit_code = reading.exit.unwrap_or(printed.code);
                return (CommandOutput { stdout: printed.out, stderr: printed.err, exit_code }, flow);
            }
        }
        if !self.pending.is_empty() {
            self.pending.push('\n');
        }
        self.pending.push_str(line);
        if !is_complete(&self.pending) {
            return (CommandOutput::default(), Flow::Continue);
        }
        let sql = std::mem::take(&mut self.pending);
        let (printed, flow) = run_input(conn, &mut self.settings, &sql, Context::Interactive, &mut reading);
        (CommandOutput { stdout: printed.out, stderr: printed.err, exit_code: printed.code }, flow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_print_like_sqlite() {
        assert_eq!(format_real(1.0), "1.0");
        assert_eq!(format_real(0.1), "0.1");
        assert_eq!(format_real(1e20), "1.0e+20");
        assert_eq!(format_real(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_real(3.5), "3.5");
        assert_eq!(format_real(-2.25e-7), "-2.25e-07");
        assert_eq!(format_real(123456789012345.0), "123456789012345.0");
        assert_eq!(format_real(0.0001), "0.0001");
    }

    #[test]
    fn tables_are_laid_out_in_columns() {
        let names: Vec<String> = ["alpha", "beta", "t"].iter().map(|s| s.to_string()).collect();
        assert_eq!(columnize(&names), "alpha  beta   t    \n");
    }

    #[test]
    fn error_context_points_at_the_token() {
        assert_eq!(error_context("selec 1", 0), "\n  selec 1\n  ^--- error here");
    }

    #[test]
    fn lines_are_scanned_for_a_final_semicolon_outside_quotes_and_comments() {
        let scan = |line: &str| quickscan(line, Scan::START);
        assert!(scan("select 1; -- done").ends_statement());
        assert!(!scan("select 1; select 2").ends_statement());
        assert!(!scan("select 'a;").ends_statement());
        assert!(quickscan("b';", scan("select 'a;")).ends_statement());
        assert!(scan("/* only a comment */").plain_white());
        assert_eq!(scan("select [x;").wait, Some(b']'));
        assert!(is_command_terminator("  GO  "));
        assert!(is_command_terminator("/ -- oracle"));
        assert!(!is_command_terminator("gone"));
    }

    #[test]
    fn scripts_run_on_after_errors_and_read_nests_to_a_limit() {
        let conn = Connection::open_in_memory().unwrap();
        let files = |name: &str| (name == "loop.sql").then(|| ".read loop.sql\n".to_string());
        let out = run_script(&conn, &mut Settings::default(), "select\n  nope;\nselect 2;\n.read loop.sql\n", &files);
        assert_eq!(out.stdout, "2\n");
        assert_eq!(
            out.stderr,
            "Parse error near line 1: no such column: nope\n  select   nope;\n           ^--- error here\n\
             Input nesting limit (25) reached at line 1. Check recursion.\n"
        );
        assert_eq!(out.exit_code, 1);
    }

    #[test]
    fn incomplete_statements_wait_for_more() {
        assert!(!is_complete("select 1"));
        assert!(is_complete("select 1;"));
        assert!(!is_complete("select ';"));
    }
}
