//! The small commands: `echo` (bash's builtin), `history`, `which`, `true`,
//! `false`, `clear`, and driftlab's own answers where the playground differs
//! from a real machine: `help` and `exit`.

use super::{builtin_error, Context};
use crate::engine::output::CommandOutput;

/// What `clear` prints: the sequence `clear` writes for `TERM=xterm` (home,
/// erase the screen, erase the scrollback). The page clears its terminal when
/// a command's stdout starts with it.
pub const CLEAR_SCREEN: &str = "\x1b[H\x1b[2J\x1b[3J";

pub fn echo(_ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    // Leading words made only of n, e and E are options; anything else starts the text.
    let mut newline = true;
    let mut escapes = false;
    let mut words = args;
    while let Some((first, rest)) = words.split_first() {
        let Some(letters) = first.strip_prefix('-') else { break };
        if letters.is_empty() || !letters.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for letter in letters.chars() {
            match letter {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        words = rest;
    }
    let text = words.join(" ");
    if !escapes {
        return CommandOutput::ok(if newline { format!("{text}\n") } else { text });
    }
    let (mut out, stopped) = interpret_escapes(&text);
    if newline && !stopped {
        out.push('\n');
    }
    CommandOutput::ok(out)
}

/// `echo -e`'s backslash escapes; `true` when `\c` stopped the output.
fn interpret_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(kind) = chars.next() else {
            out.push('\\');
            break;
        };
        let mut number = |radix: u32, max_digits: usize| {
            let mut value = 0u32;
            let mut digits = 0;
            while digits < max_digits {
                match chars.peek().and_then(|d| d.to_digit(radix)) {
                    Some(d) => {
                        value = value * radix + d;
                        digits += 1;
                        chars.next();
                    }
                    None => break,
                }
            }
            (digits > 0).then_some(value)
        };
        match kind {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'c' => return (out, true),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '0' => out.push(char::from_u32(number(8, 3).unwrap_or(0)).unwrap_or('\0')),
            'x' => match number(16, 2) {
                Some(value) => out.push(char::from_u32(value).unwrap_or('?')),
                None => out.push_str("\\x"),
            },
            'u' | 'U' => match number(16, if kind == 'u' { 4 } else { 8 }) {
                Some(value) => out.push(char::from_u32(value).unwrap_or('?')),
                None => {
                    out.push('\\');
                    out.push(kind);
                }
            },
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

pub fn clear(_ctx: &mut Context<'_>, _args: &[String]) -> CommandOutput {
    CommandOutput::ok(CLEAR_SCREEN)
}

pub fn succeed(_ctx: &mut Context<'_>, _args: &[String]) -> CommandOutput {
    CommandOutput::default()
}

pub fn fail(_ctx: &mut Context<'_>, _args: &[String]) -> CommandOutput {
    CommandOutput { exit_code: 1, ..CommandOutput::default() }
}

/// bash's `history [N]`: every line typed (this one included), numbered from 1.
pub fn history(ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let count = match args {
        [] => ctx.history.len(),
        [option, ..] if option.len() > 1 && option.starts_with('-') && option != "--" => {
            return CommandOutput::error(
                format!(
                    "bash: history: {option}: driftlab's history only lists lines\n\
                     history: usage: history [n]\n"
                ),
                2,
            );
        }
        [n] => match n.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return builtin_error(format!("history: {n}: numeric argument required"), 1),
        },
        _ => return builtin_error("history: too many arguments".to_string(), 1),
    };
    let first = ctx.history.len().saturating_sub(count);
    let listing: String =
        ctx.history[first..].iter().enumerate().map(|(i, line)| format!("{:>5}  {line}\n", first + i + 1)).collect();
    CommandOutput::ok(listing)
}

/// Where each command driftlab runs would live on a Debian machine with the
/// course's tools installed.
fn install_path(command: &str) -> Option<String> {
    const SYSTEM: &[&str] = &[
        "ls", "cat", "rm", "rmdir", "mkdir", "touch", "cp", "mv", "find", "pwd", "echo", "which", "true", "false",
        "clear", "sqlite3", "bash", "python3", "env", "printenv",
    ];
    const COURSE_TOOLS: &[&str] = &["alembic", "uv", "pip", "pip3", "python"];
    if SYSTEM.contains(&command) {
        Some(format!("/usr/bin/{command}"))
    } else if COURSE_TOOLS.contains(&command) {
        Some(format!("/usr/local/bin/{command}"))
    } else {
        None
    }
}

/// Debian's `which [-a] NAME...`: the path of each command found; exit 1 if any is not.
pub fn which(_ctx: &mut Context<'_>, args: &[String]) -> CommandOutput {
    let mut names = args;
    while let Some((first, rest)) = names.split_first() {
        match first.as_str() {
            "-a" => names = rest,
            "--" => {
                names = rest;
                break;
            }
            option if option.len() > 1 && option.starts_with('-') => {
                let letter = option.chars().nth(1).unwrap_or('-');
                return CommandOutput {
                    stdout: "Usage: /usr/bin/which [-a] args\n".to_string(),
                    stderr: format!("Illegal option -{letter}\n"),
                    exit_code: 2,
                };
            }
            _ => break,
        }
    }
    let found: Vec<String> = names.iter().filter_map(|name| install_path(name)).collect();
    let exit_code = if names.is_empty() || found.len() < names.len() { 1 } else { 0 };
    let stdout = found.iter().map(|path| format!("{path}\n")).collect();
    CommandOutput { stdout, stderr: String::new(), exit_code }
}

const HELP: &str = "\
driftlab terminal: the commands you can run here

Alembic and the database
  alembic COMMAND ...        Alembic 1.20.1 (also `uv run alembic`, `python -m alembic`)
  sqlite3 [FILE] [SQL]       the SQLite shell; without SQL it opens a sqlite> prompt
  sqlite3 FILE < script.sql  runs a file of SQL and dot-commands (also .read FILE)

Files and folders (as bash and GNU coreutils behave)
  ls [-aAlCdhFpRrSt1] [PATH...]   list a folder
  cat [-n] FILE...                print files
  cp [-rfnv] SRC... DST           copy files (-r: folders)
  mv [-fnv] SRC... DST            move or rename
  rm [-frdv] PATH...              remove files (-r: folders, -f: no complaints)
  mkdir [-pv] DIR...              make folders (-p: with parents, no complaints)
  rmdir DIR...                    remove empty folders
  touch FILE...                   create empty files
  find [PATH...] [-name PAT] [-type f|d] [-maxdepth N] [-delete] [-exec CMD {} ;]
  echo [-neE] TEXT... [> FILE | >> FILE]

The shell
  cd [DIR], pwd, history, clear, which NAME, true, false
  globs: *  ?  [abc]          e.g. rm alembic/versions/*.py
  chains: a && b, a || b, a ; b     redirections: > >> 2> 2>&1 &> < <<<
  variables: export NAME=VALUE, unset NAME, env, printenv [NAME], $NAME, ${NAME:-default}
             NAME=VALUE command (for that command only); Python reads them (os.getenv)

Python packages (FastAPI, SQLAlchemy, Alembic, uvicorn and what they need are
installed; there is no network to download others)
  pip install [-Uq] PKG... | -r FILE   as pip 23.2 (also pip3, python -m pip)
  pip list | freeze | show PKG... | --version
  uv add PKG..., uv sync          in a project with a pyproject.toml
";

pub fn help(_ctx: &mut Context<'_>, _args: &[String]) -> CommandOutput {
    CommandOutput::ok(HELP)
}

pub fn exit(_ctx: &mut Context<'_>, _args: &[String]) -> CommandOutput {
    CommandOutput::ok(
        "exit: this terminal is part of the page and stays open; there is no shell to leave.\n\
         (Reload the page to start the lesson over.)\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_escapes_follow_bash() {
        assert_eq!(interpret_escapes("a\\tb\\x41\\0101\\q"), ("a\tbAA\\q".to_string(), false));
        assert_eq!(interpret_escapes("a\\cb"), ("a".to_string(), true));
    }
}
