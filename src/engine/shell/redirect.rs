//! Redirections around a shell command, as bash performs them: `> f`,
//! `>> f`, `2> f`, `&> f`, `2>&1`, `>&2`, `< f`, `<<< text` and `/dev/null`.
//! Bash opens (and truncates) the files before the command runs, left to
//! right; the command's output then goes where each stream points.
//!
//! The line splitter reads the operators (only from unquoted text: `'>'` is a
//! word) and checks each has its word; here they become redirections.

use super::fs::{self, Errno, Kind};
use super::Context;
use crate::engine::output::CommandOutput;
use crate::engine::shell_words::{Token, Word};

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
    target: Word,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    /// `>` (and `>|`): truncate.
    Write,
    /// `>>`
    Append,
    /// `<`
    Read,
    /// `<<<`: the word, and a newline, is the input.
    HereString,
    /// `>&N`: the stream becomes a copy of stream N.
    Duplicate,
    /// `&>` / `&>>`: both stdout and stderr.
    Both { append: bool },
}

/// Reads a redirection operator token: its fd and operator (`2>>` → 2,
/// Append), or bash's answer for one driftlab does not perform.
fn operator(token: &str) -> Result<(u32, Operator), CommandOutput> {
    let digits = token.chars().take_while(char::is_ascii_digit).count();
    let (fd_text, symbol) = token.split_at(digits);
    let op = match symbol {
        "&>>" => Operator::Both { append: true },
        "&>" => Operator::Both { append: false },
        ">>" => Operator::Append,
        ">&" => Operator::Duplicate,
        ">" | ">|" => Operator::Write,
        "<" => Operator::Read,
        "<<<" => Operator::HereString,
        "<<" | "<<-" => {
            return Err(CommandOutput::error(
                "bash: driftlab's terminal has no here-documents (<<): put the text in a file and use < FILE\n",
                2,
            ))
        }
        "<>" | "<&" => {
            return Err(CommandOutput::error(format!("bash: driftlab's terminal has no {symbol} redirection\n"), 2))
        }
        _ => return Err(CommandOutput::error(format!("bash: syntax error near unexpected token `{token}'\n"), 2)),
    };
    let default_fd = if matches!(op, Operator::Read | Operator::HereString) { 0 } else { 1 };
    // The splitter reads only digits that fit an fd as one.
    let fd = fd_text.parse::<u32>().unwrap_or(default_fd);
    Ok((fd, op))
}

/// Splits redirections out of a command's tokens: the words left, and the
/// redirections in the order written.
pub fn split(tokens: &[Token]) -> Result<(Vec<Word>, Vec<Redirection>), CommandOutput> {
    let mut words = Vec::new();
    let mut redirections = Vec::new();
    let mut tokens = tokens.iter();
    while let Some(token) = tokens.next() {
        let op = match token {
            Token::Word(word) => {
                words.push(word.clone());
                continue;
            }
            Token::Operator(op) => op,
        };
        let (fd, operator) = operator(op)?;
        let Some(Token::Word(target)) = tokens.next() else {
            // The splitter gives every operator its word; never reached from a line.
            return Err(CommandOutput::error("bash: syntax error near unexpected token `newline'\n", 2));
        };
        redirections.push(Redirection { fd, operator, target: target.clone() });
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
        let mut operator = redirection.operator;
        if operator == Operator::Duplicate {
            let copy = match redirection.target.text() {
                "1" => Some(streams.stdout.clone()),
                "2" => Some(streams.stderr.clone()),
                "-" => Some(Sink::Null),
                digits if digits.chars().all(|c| c.is_ascii_digit()) => {
                    return Err(fail(format!("{}: Bad file descriptor", redirection.target.source())))
                }
                _ => None,
            };
            match (copy, redirection.fd) {
                (Some(copy), 1) => streams.stdout = copy,
                (Some(copy), 2) => streams.stderr = copy,
                (Some(_), _) => {}
                // `>&FILE` is `&>FILE`; from another stream it is an error.
                (None, 1) => operator = Operator::Both { append: false },
                (None, _) => return Err(fail(format!("{}: ambiguous redirect", redirection.target.text()))),
            }
            if operator == Operator::Duplicate {
                continue;
            }
        }
        if operator == Operator::HereString {
            streams.stdin = Some(format!("{}\n", ctx.expand_tilde(&redirection.target).text()));
            continue;
        }
        let expanded = ctx.expand_word(&redirection.target);
        let [target] = expanded.as_slice() else {
            return Err(fail(format!("{}: ambiguous redirect", redirection.target.source())));
        };
        if operator == Operator::Read {
            streams.stdin = Some(read_input(ctx, target).map_err(|errno| fail(format!("{target}: {errno}")))?);
            continue;
        }
        let append = matches!(operator, Operator::Append | Operator::Both { append: true });
        let sink = open_output(ctx, target, append).map_err(|errno| fail(format!("{target}: {errno}")))?;
        match (operator, redirection.fd) {
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
    use crate::engine::shell_words::split_commands;

    fn split_line(line: &str) -> Result<(Vec<String>, Vec<(u32, Operator, String)>), CommandOutput> {
        let commands = split_commands(line).unwrap();
        let (words, redirections) = split(&commands[0].tokens)?;
        Ok((
            words.iter().map(|w| w.text().to_string()).collect(),
            redirections.iter().map(|r| (r.fd, r.operator, r.target.text().to_string())).collect(),
        ))
    }

    #[test]
    fn splits_separate_and_attached_operators() {
        let (rest, redirections) = split_line("x > f 2>/dev/null 2>&1 &>>log 0<in <<<'a b'").unwrap();
        assert_eq!(rest, ["x"]);
        let expected = [
            (1, Operator::Write, "f"),
            (2, Operator::Write, "/dev/null"),
            (2, Operator::Duplicate, "1"),
            (1, Operator::Both { append: true }, "log"),
            (0, Operator::Read, "in"),
            (0, Operator::HereString, "a b"),
        ];
        assert_eq!(redirections, expected.map(|(fd, op, t)| (fd, op, t.to_string())));
    }

    #[test]
    fn quoted_operators_are_words() {
        let (rest, redirections) = split_line(r#"echo '<b>hi</b>' "a > b" \>c 2'>'d"#).unwrap();
        assert_eq!(rest, ["echo", "<b>hi</b>", "a > b", ">c", "2>d"]);
        assert!(redirections.is_empty());
    }

    #[test]
    fn here_documents_are_not_performed() {
        assert_eq!(split_line("cat << EOF").unwrap_err().exit_code, 2);
        assert_eq!(split_line("cat <> f").unwrap_err().exit_code, 2);
    }
}
