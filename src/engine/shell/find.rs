//! GNU findutils' `find`, the part people use on a project: start paths,
//! `-name`/`-iname`/`-path`, `-type`, `-empty`, `-maxdepth`/`-mindepth`,
//! `-not`/`!`, `-a`, `-o`, parentheses, and the actions `-print`, `-delete`
//! and `-exec CMD {} ;`/`+` (CMD being one of the shell's commands).
//! Directories are walked in name order (real find follows the disk's order).

use super::fs::{self, Errno, Kind};
use super::glob::fnmatch;
use super::quoting;
use super::Context;
use crate::engine::output::CommandOutput;

/// A parsed expression.
#[derive(Debug, Clone)]
enum Expr {
    Name { pattern: String, ignore_case: bool },
    Path { pattern: String, ignore_case: bool },
    Type(Vec<char>),
    Empty,
    Print,
    Delete,
    Exec { command: Vec<String>, batch: bool },
    True,
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn has_action(&self) -> bool {
        match self {
            Expr::Print | Expr::Delete | Expr::Exec { .. } => true,
            Expr::Not(inner) => inner.has_action(),
            Expr::And(a, b) | Expr::Or(a, b) => a.has_action() || b.has_action(),
            _ => false,
        }
    }

    fn has_delete(&self) -> bool {
        match self {
            Expr::Delete => true,
            Expr::Not(inner) => inner.has_delete(),
            Expr::And(a, b) | Expr::Or(a, b) => a.has_delete() || b.has_delete(),
            _ => false,
        }
    }
}

/// Everything the command line asked for.
struct Query {
    starts: Vec<String>,
    expr: Expr,
    min_depth: usize,
    max_depth: usize,
    /// Children before their directory (`-depth`, implied by `-delete`).
    depth_first: bool,
}

/// Reads the expression tokens; errors are find's own messages.
struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
    min_depth: usize,
    max_depth: usize,
    depth_first: bool,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn argument(&mut self, option: &str) -> Result<&'a str, String> {
        let value = self.tokens.get(self.at).ok_or_else(|| format!("missing argument to `{option}'"))?;
        self.at += 1;
        Ok(value)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            match self.peek() {
                None | Some("-o" | "-or" | ")") => return Ok(left),
                Some("-a" | "-and") => self.at += 1,
                Some(_) => {}
            }
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let Some(token) = self.peek() else {
            return Err("expected an expression at the end of the command line".to_string());
        };
        self.at += 1;
        match token {
            "!" | "-not" => Ok(Expr::Not(Box::new(self.unary()?))),
            "(" => {
                let inner = self.or()?;
                if self.peek() != Some(")") {
                    return Err(
                        "invalid expression; I was expecting to find a ')' somewhere but did not see one.".to_string()
                    );
                }
                self.at += 1;
                Ok(inner)
            }
            _ => self.primary(token),
        }
    }

    fn primary(&mut self, token: &'a str) -> Result<Expr, String> {
        Ok(match token {
            "-name" | "-iname" => {
                Expr::Name { pattern: self.argument(token)?.to_string(), ignore_case: token == "-iname" }
            }
            "-path" | "-wholename" | "-ipath" => {
                Expr::Path { pattern: self.argument(token)?.to_string(), ignore_case: token == "-ipath" }
            }
            "-type" => {
                let letters = self.argument(token)?;
                let kinds: Vec<char> = letters.split(',').filter_map(|l| l.chars().next()).collect();
                let valid = letters.split(',').all(|l| l.len() == 1 && "bcdpflsD".contains(l));
                if !valid || kinds.is_empty() {
                    return Err(format!("Unknown argument to -type: {letters}"));
                }
                Expr::Type(kinds)
            }
            "-maxdepth" | "-mindepth" => {
                let value = self.argument(token)?;
                let depth = value.parse::<usize>().map_err(|_| {
                    format!(
                        "Expected a positive decimal integer argument to {token}, but got {}",
                        quoting::locale(value)
                    )
                })?;
                if token == "-maxdepth" {
                    self.max_depth = depth;
                } else {
                    self.min_depth = depth;
                }
                Expr::True
            }
            "-depth" => {
                self.depth_first = true;
                Expr::True
            }
            "-empty" => Expr::Empty,
            "-print" => Expr::Print,
            "-delete" => {
                self.depth_first = true;
                Expr::Delete
            }
            "-true" => Expr::True,
            "-false" => Expr::Not(Box::new(Expr::True)),
            "-exec" => self.exec()?,
            _ if token.starts_with('-') => return Err(format!("unknown predicate `{token}'")),
            _ => {
                let mut message = format!("paths must precede expression: `{token}'");
                let before = self.at.checked_sub(3).and_then(|i| self.tokens.get(i));
                if let Some(option) = before.filter(|o| matches!(o.as_str(), "-name" | "-iname" | "-path")) {
                    message.push_str(&format!("\nfind: possible unquoted pattern after predicate `{option}'?"));
                }
                return Err(message);
            }
        })
    }

    /// `-exec CMD ARGS... ;` (once per file) or `-exec CMD ARGS... {} +` (once for all).
    fn exec(&mut self) -> Result<Expr, String> {
        let missing = || "missing argument to `-exec'".to_string();
        let start = self.at;
        while let Some(token) = self.peek() {
            self.at += 1;
            let words = &self.tokens[start..self.at - 1];
            if token == ";" && !words.is_empty() {
                return Ok(Expr::Exec { command: words.to_vec(), batch: false });
            }
            if token == "+" && words.len() > 1 && words.last().is_some_and(|w| w == "{}") {
                return Ok(Expr::Exec { command: words.to_vec(), batch: true });
            }
        }
        Err(missing())
    }
}

fn parse(args: &[String]) -> Result<Query, String> {
    let is_expression = |a: &String| a.starts_with('-') && a.len() > 1 || a == "!" || a == "(";
    let split = args.iter().position(is_expression).unwrap_or(args.len());
    let (starts, tokens) = args.split_at(split);
    let mut parser = Parser { tokens, at: 0, min_depth: 0, max_depth: usize::MAX, depth_first: false };
    let mut expr = if tokens.is_empty() { Expr::True } else { parser.or()? };
    if let Some(extra) = parser.peek() {
        return Err(if extra == ")" {
            "invalid expression; you have too many ')'".to_string()
        } else {
            format!("paths must precede expression: `{extra}'")
        });
    }
    if !expr.has_action() {
        expr = Expr::And(Box::new(expr), Box::new(Expr::Print));
    }
    let starts = if starts.is_empty() { vec![".".to_string()] } else { starts.to_vec() };
    Ok(Query {
        starts,
        depth_first: parser.depth_first || expr.has_delete(),
        expr,
        min_depth: parser.min_depth,
        max_depth: parser.max_depth,
    })
}

/// One file or directory being looked at.
struct Visit<'a> {
    /// As find prints it: the start path as typed, then `/name` per level.
    shown: &'a str,
    path: &'a str,
    /// The name `-name` matches: the last part of `shown`.
    name: &'a str,
}

/// A walk in progress: what it printed and what `-exec ... +` collected.
struct Walk {
    output: CommandOutput,
    /// For each batched `-exec` (by its position in the expression), the paths it collected.
    batches: Vec<(Vec<String>, Vec<String>)>,
}

impl Walk {
    fn fail(&mut self, line: String) {
        self.output.stderr.push_str(&format!("find: {line}\n"));
        self.output.exit_code = 1;
    }
}

pub fn find(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let query = match parse(args) {
        Ok(query) => query,
        Err(message) => return CommandOutput::error(format!("find: {message}\n"), 1),
    };
    let mut walk = Walk { output: CommandOutput::default(), batches: Vec::new() };
    for start in &query.starts {
        let found = ctx.locate(start).and_then(|target| {
            fs::stat(ctx.project, &target)?;
            Ok(target.path)
        });
        match found {
            Ok(path) => {
                let name = match start.trim_end_matches('/') {
                    "" => "/",
                    trimmed => fs::base_name(trimmed),
                };
                visit(ctx, &query, &mut walk, Visit { shown: start, path: &path, name }, 0);
            }
            Err(errno) => walk.fail(format!("{}: {errno}", quoting::locale(start))),
        }
    }
    for (command, paths) in std::mem::take(&mut walk.batches) {
        let mut words = command[..command.len() - 1].to_vec();
        words.extend(paths);
        if !run_exec(ctx, &mut walk, &words) {
            walk.output.exit_code = 1;
        }
    }
    walk.output
}

fn visit(ctx: &mut Context<'_>, query: &Query, walk: &mut Walk, item: Visit<'_>, depth: usize) {
    let evaluate_here = depth >= query.min_depth;
    let is_dir = fs::kind(ctx.project, item.path) == Some(Kind::Dir);
    if evaluate_here && !query.depth_first {
        evaluate(ctx, walk, &query.expr, &item);
    }
    if depth < query.max_depth && is_dir {
        if fs::kind(ctx.project, item.path).is_none() {
            // Its own -exec removed it before find could go in.
            walk.fail(format!("{}: {}", quoting::locale(item.shown), Errno::NoEntry));
        }
        for (name, _) in fs::children(ctx.project, item.path) {
            let shown = fs::join_arg(item.shown, &name);
            let path = fs::join(item.path, &name);
            visit(ctx, query, walk, Visit { shown: &shown, path: &path, name: &name }, depth + 1);
        }
    }
    if evaluate_here && query.depth_first {
        evaluate(ctx, walk, &query.expr, &item);
    }
}

fn evaluate(ctx: &mut Context<'_>, walk: &mut Walk, expr: &Expr, item: &Visit<'_>) -> bool {
    let matches = |pattern: &str, text: &str, ignore_case: bool| {
        if ignore_case {
            fnmatch(&pattern.to_lowercase(), &text.to_lowercase())
        } else {
            fnmatch(pattern, text)
        }
    };
    let kind = fs::kind(ctx.project, item.path);
    match expr {
        Expr::Name { pattern, ignore_case } => matches(pattern, item.name, *ignore_case),
        Expr::Path { pattern, ignore_case } => matches(pattern, item.shown, *ignore_case),
        Expr::Type(kinds) => match kind {
            Some(Kind::File) => kinds.contains(&'f'),
            Some(Kind::Dir) => kinds.contains(&'d'),
            None => false,
        },
        Expr::Empty => match kind {
            Some(Kind::File) => ctx.project.read(item.path).is_some_and(<[u8]>::is_empty),
            Some(Kind::Dir) => fs::children(ctx.project, item.path).is_empty(),
            None => false,
        },
        Expr::True => true,
        Expr::Print => {
            walk.output.stdout.push_str(&format!("{}\n", item.shown));
            true
        }
        Expr::Delete => delete(ctx, walk, item),
        Expr::Exec { command, batch: true } => {
            match walk.batches.iter_mut().find(|(c, _)| c == command) {
                Some((_, paths)) => paths.push(item.shown.to_string()),
                None => walk.batches.push((command.clone(), vec![item.shown.to_string()])),
            }
            true
        }
        Expr::Exec { command, batch: false } => {
            let words: Vec<String> = command.iter().map(|w| w.replace("{}", item.shown)).collect();
            run_exec(ctx, walk, &words)
        }
        Expr::Not(inner) => !evaluate(ctx, walk, inner, item),
        Expr::And(a, b) => evaluate(ctx, walk, a, item) && evaluate(ctx, walk, b, item),
        Expr::Or(a, b) => evaluate(ctx, walk, a, item) || evaluate(ctx, walk, b, item),
    }
}

fn delete(ctx: &mut Context<'_>, walk: &mut Walk, item: &Visit<'_>) -> bool {
    match fs::kind(ctx.project, item.path) {
        // find never deletes the folder it started in when that is `.`.
        _ if item.path.is_empty() => true,
        Some(Kind::File) => {
            ctx.project.remove_file(item.path);
            true
        }
        Some(Kind::Dir) if fs::children(ctx.project, item.path).is_empty() => {
            fs::remove_tree(ctx.project, item.path);
            true
        }
        Some(Kind::Dir) => {
            walk.fail(format!("cannot delete {}: {}", quoting::locale(item.shown), Errno::NotEmpty));
            false
        }
        None => true,
    }
}

/// Runs a shell command for `-exec` (no shell in between: no globs, no
/// redirections); true when it exits 0.
fn run_exec(ctx: &mut Context<'_>, walk: &mut Walk, words: &[String]) -> bool {
    let Some((name, args)) = words.split_first() else { return false };
    match super::command(name, args) {
        Some(command) => {
            let output = command(ctx, args);
            walk.output.stdout.push_str(&output.stdout);
            walk.output.stderr.push_str(&output.stderr);
            output.exit_code == 0
        }
        None => {
            // The child fails to start; find reports it and carries on.
            walk.output.stderr.push_str(&format!("find: {}: {}\n", quoting::locale(name), Errno::NoEntry));
            false
        }
    }
}
