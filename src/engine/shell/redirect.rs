//! Redirections around a shell command, as bash performs them: `> f`,
//! `>> f`, `2> f`, `&> f`, `2>&1`, `>&2`, `< f` and `/dev/null`. Bash opens
//! (and truncates) the files before the command runs, left to right; the
//! command's output then goes where each stream points.
//!
//! A redirection must start a word (`> f`, `>f`, `2>/dev/null`): the words
//! arrive with their quotes already removed, so `a>b` inside a word is text.

use super::fs::{self, Errno, Kind};
use super::Context;
use crate::engine::output::CommandOutput;

/// Where one output stream goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    Stdout,
    Stderr,
    Null,
    /// A project file, already created or truncated; output is appended to it.
    File(String),
}

/// A redirection as written: which stream, how, and the word after the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirection {
    fd: u32,
    operator: Operator,
    target: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `>` (and `>|`): truncate.
    Write,
    /// `>>`
    Append,
    /// `<`
    Read,
    /// `>&N`: the stream becomes a copy of stream N.
    Duplicate,
    /// `&>` / `&>>`: both stdout and stderr.
    Both { append: bool },
}

/// Reads a word as a redirection operator: the fd, the operator and any
/// target attached to it (`2>/dev/null` → 2, Write, "/dev/null").
fn operator(word: &str) -> Option<(u32, Operator, &str)> {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let (fd_text, rest) = word.split_at(digits);
    let explicit_fd = fd_text.parse::<u32>().ok();
    let table: &[(&str, Operator)] = &[
        ("&>>", Operator::Both { append: true }),
        ("&>", Operator::Both { append: false }),
        (">>", Operator::Append),
        (">&", Operator::Duplicate),
        (">|", Operator::Write),
        (">", Operator::Write),
        ("<", Operator::Read),
    ];
    let (symbol, op) = table.iter().find(|(symbol, _)| rest.starts_with(symbol))?;
    if matches!(op, Operator::Both { .. }) && explicit_fd.is_some() {
        return None;
    }
    let default_fd = if *op == Operator::Read { 0 } else { 1 };
    Some((explicit_fd.unwrap_or(default_fd), *op, &rest[symbol.len()..]))
}

/// Puts back together operators the line splitter cut at `&` (it reads a lone
/// `&` as a word of its own): `2>` `&` `1` → `2>&1`, `&` `>f` → `&>f`.
fn rejoin_ampersands(args: &[String]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut args = args.iter().peekable();
    while let Some(arg) = args.next() {
        if arg != "&" {
            words.push(arg.clone());
            continue;
        }
        let after_operator = words.last().is_some_and(|w| operator(w).is_some_and(|(_, _, t)| t.is_empty()));
        match args.peek() {
            Some(next) if after_operator => {
                let joined = format!("{}&{next}", words.pop().unwrap_or_default());
                words.push(joined);
                args.next();
            }
            Some(next) if next.starts_with('>') => {
                words.push(format!("&{next}"));
                args.next();
            }
            _ => words.push(arg.clone()),
        }
    }
    words
}

/// Splits redirections out of a command's arguments.
pub fn split(args: &[String]) -> Result<(Vec<String>, Vec<Redirection>), CommandOutput> {
    let mut words = Vec::new();
    let mut redirections = Vec::new();
    let args = rejoin_ampersands(args);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let Some((fd, operator, attached)) = operator(arg) else {
            words.push(arg.clone());
            continue;
        };
        let target = if attached.is_empty() {
            match args.next() {
                Some(next) => next.clone(),
                None => {
                    return Err(CommandOutput::error("bash: syntax error near unexpected token `newline'\n", 2));
                }
            }
        } else {
            attached.to_string()
        };
        redirections.push(Redirection { fd, operator, target });
    }
    Ok((words, redirections))
}

/// The streams of one command after its redirections were performed.
pub struct Streams {
    stdout: Sink,
    stderr: Sink,
    pub stdin: Option<String>,
}

impl Streams {
    /// Whether standard output still goes to the terminal.
    pub fn stdout_is_screen(&self) -> bool {
        self.stdout == Sink::Stdout
    }

    /// Routes a command's output where its streams point. Where both streams
    /// meet (`> f 2>&1`), the error text goes first: the output is not
    /// interleaved as it was written, and errors first is what `ls` writes.
    pub fn deliver(&self, ctx: &mut Context<'_>, output: CommandOutput) -> CommandOutput {
        let mut shown = CommandOutput { exit_code: output.exit_code, ..CommandOutput::default() };
        for (text, sink) in [(output.stderr, &self.stderr), (output.stdout, &self.stdout)] {
            match sink {
                Sink::Stdout => shown.stdout.push_str(&text),
                Sink::Stderr => shown.stderr.push_str(&text),
                Sink::Null => {}
                Sink::File(path) => {
                    let mut bytes = ctx.project.read(path).unwrap_or_default().to_vec();
                    bytes.extend_from_slice(text.as_bytes());
                    ctx.project.write(path, bytes);
                }
            }
        }
        shown
    }
}

/// Performs the redirections in order (creating and truncating files), or
/// returns bash's error, in which case the command does not run.
pub fn open(ctx: &mut Context<'_>, redirections: &[Redirection]) -> Result<Streams, CommandOutput> {
    let mut streams = Streams { stdout: Sink::Stdout, stderr: Sink::Stderr, stdin: None };
    for redirection in redirections {
        let fail = |reason: String| CommandOutput::error(format!("bash: {reason}\n"), 1);
        if redirection.operator == Operator::Duplicate {
            let copy = match redirection.target.as_str() {
                "1" => streams.stdout.clone(),
                "2" => streams.stderr.clone(),
                "-" => Sink::Null,
                other => return Err(fail(format!("{other}: ambiguous redirect"))),
            };
            match redirection.fd {
                1 => streams.stdout = copy,
                2 => streams.stderr = copy,
                _ => {}
            }
            continue;
        }
        let expanded = ctx.expand_word(&redirection.target);
        let [target] = expanded.as_slice() else {
            return Err(fail(format!("{}: ambiguous redirect", redirection.target)));
        };
        if redirection.operator == Operator::Read {
            streams.stdin = Some(read_input(ctx, target).map_err(|errno| fail(format!("{target}: {errno}")))?);
            continue;
        }
        let append = matches!(redirection.operator, Operator::Append | Operator::Both { append: true });
        let sink = open_output(ctx, target, append).map_err(|errno| fail(format!("{target}: {errno}")))?;
        match (redirection.operator, redirection.fd) {
            (Operator::Both { .. }, _) => {
                streams.stdout = sink.clone();
                streams.stderr = sink;
            }
            (_, 1) => streams.stdout = sink,
            (_, 2) => streams.stderr = sink,
            // Other descriptors: the file is opened (created) and nothing writes to it.
            _ => {}
        }
    }
    Ok(streams)
}

fn read_input(ctx: &Context<'_>, target: &str) -> Result<String, Errno> {
    if target == "/dev/null" {
        return Ok(String::new());
    }
    let located = ctx.locate(target)?;
    match fs::stat(ctx.project, &located)? {
        Kind::Dir => Err(Errno::IsADirectory),
        Kind::File => Ok(ctx.project.read_text(&located.path).unwrap_or_default()),
    }
}

fn open_output(ctx: &mut Context<'_>, target: &str, append: bool) -> Result<Sink, Errno> {
    match target {
        "/dev/null" => return Ok(Sink::Null),
        "/dev/stdout" => return Ok(Sink::Stdout),
        "/dev/stderr" => return Ok(Sink::Stderr),
        _ => {}
    }
    if target.is_empty() {
        return Err(Errno::NoEntry);
    }
    let located = ctx.locate(target)?;
    match fs::stat(ctx.project, &located) {
        Ok(Kind::Dir) => Err(Errno::IsADirectory),
        Ok(Kind::File) if append => Ok(Sink::File(located.path)),
        Ok(Kind::File) => {
            ctx.project.write(&located.path, Vec::new());
            Ok(Sink::File(located.path))
        }
        Err(Errno::NoEntry) if !located.wants_dir => {
            fs::check_parent(ctx.project, &located.path)?;
            ctx.project.write(&located.path, Vec::new());
            Ok(Sink::File(located.path))
        }
        Err(Errno::NoEntry) => Err(Errno::IsADirectory),
        Err(errno) => Err(errno),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn splits_separate_and_attached_operators() {
        let (rest, redirections) = split(&words(&["x", ">", "f", "2>/dev/null", "2>&1", "&>>log"])).unwrap();
        assert_eq!(rest, words(&["x"]));
        let ops: Vec<(u32, Operator, &str)> =
            redirections.iter().map(|r| (r.fd, r.operator, r.target.as_str())).collect();
        assert_eq!(
            ops,
            vec![
                (1, Operator::Write, "f"),
                (2, Operator::Write, "/dev/null"),
                (2, Operator::Duplicate, "1"),
                (1, Operator::Both { append: true }, "log"),
            ]
        );
        assert_eq!(split(&words(&["x", ">"])).unwrap_err().exit_code, 2);
        // As the line splitter hands them over.
        let (_, rejoined) = split(&words(&["x", "2>", "&", "1", "&", ">log"])).unwrap();
        let ops: Vec<(u32, Operator)> = rejoined.iter().map(|r| (r.fd, r.operator)).collect();
        assert_eq!(ops, vec![(2, Operator::Duplicate), (1, Operator::Both { append: false })]);
    }
}
