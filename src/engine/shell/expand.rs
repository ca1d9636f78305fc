//! What bash does to a simple command's words before it runs the command:
//! the leading `NAME=value` assignments are set aside, then parameters are
//! expanded (`$NAME`, `${NAME}`, `${NAME:-default}`, `${#NAME}`, `$?`) and
//! what an unquoted expansion produced is split into words at blanks; a
//! word that expanded to nothing, with nothing quoted in it, is dropped.
//! Globs and `~` come after, where the shell commands run (`shell::execute`).
//! The values of assignments (also `export NAME=value`'s) are expanded but
//! neither split nor globbed.

use super::vars::{self, Variables};
use super::ShellState;
use crate::engine::output::CommandOutput;
use crate::engine::shell_words::{Param, ParamOp, Token, Word};

/// Blanks that separate the words of an unquoted expansion (bash's default `IFS`).
const IFS: &[char] = &[' ', '\t', '\n'];

/// The builtins whose `NAME=value` arguments are assignments (not split or globbed).
const DECLARATIONS: &[&str] = &["export", "declare", "typeset", "local", "readonly"];

/// One `NAME=value` (or `NAME+=value`) before the command name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub append: bool,
    pub value: String,
}

impl Assignment {
    /// Performs it on `vars` (an exported variable stays exported).
    pub fn apply(&self, vars: &mut Variables) {
        if self.append {
            vars.append(&self.name, &self.value);
        } else {
            vars.set(&self.name, &self.value);
        }
    }
}

/// A simple command after expansion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The assignments before the command name, values expanded, in order.
    pub assignments: Vec<Assignment>,
    /// The command's words and redirections, expanded.
    pub tokens: Vec<Token>,
}

impl Expanded {
    /// Whether a command is left to run (not only assignments or redirections).
    pub fn has_command(&self) -> bool {
        self.tokens.iter().any(|t| matches!(t, Token::Word(_)))
    }
}

/// Where parameters get their values: the shell's variables, with the
/// command's earlier assignments over them.
struct Scope<'a> {
    state: &'a ShellState,
    assigned: &'a [Assignment],
}

impl Scope<'_> {
    fn value(&self, name: &str) -> Option<String> {
        let mut value = self.state.vars.get(name).map(str::to_string);
        for assignment in self.assigned.iter().filter(|a| a.name == name) {
            value = Some(match (assignment.append, value) {
                (true, Some(old)) => old + &assignment.value,
                _ => assignment.value.clone(),
            });
        }
        match name {
            "?" => Some(self.state.last_status.to_string()),
            "#" => Some("0".into()),
            "0" => Some("bash".into()),
            "-" => Some("himBHs".into()),
            "@" | "*" => Some(String::new()),
            _ => value,
        }
    }

    /// A parameter's text, or bash's error.
    fn expand(&self, word: &Word, param: &Param) -> Result<String, CommandOutput> {
        if matches!(param.name.as_str(), "$" | "!") {
            return Err(CommandOutput::error(
                format!("bash: driftlab's terminal has no process ids (${})\n", param.name),
                1,
            ));
        }
        let value = self.value(&param.name);
        Ok(match &param.op {
            ParamOp::Value => value.unwrap_or_default(),
            ParamOp::Default { colon, word } => match value {
                Some(v) if !(*colon && v.is_empty()) => v,
                _ => word.clone(),
            },
            ParamOp::Length => value.map_or(0, |v| v.chars().count()).to_string(),
            ParamOp::Bad => {
                let written: String = word.chars().skip(param.start).take(param.end - param.start).map(|(c, _)| c).collect();
                return Err(CommandOutput::error(format!("bash: {written}: bad substitution\n"), 1));
            }
        })
    }

    /// The word's characters with its parameters expanded: each with whether
    /// it is quoted and whether it came from an unquoted expansion (which
    /// splits at blanks).
    fn pieces(&self, word: &Word) -> Result<Vec<(char, bool, bool)>, CommandOutput> {
        let chars: Vec<(char, bool)> = word.chars().collect();
        let mut pieces = Vec::with_capacity(chars.len());
        let mut at = 0;
        for param in word.params() {
            pieces.extend(chars[at..param.start].iter().map(|&(c, q)| (c, q, false)));
            // An expansion's `~` is never home, so it is marked quoted; its
            // `*` stays unquoted and globs, as in bash.
            let value = self.expand(word, param)?;
            pieces.extend(value.chars().map(|c| (c, param.quoted || c == '~', !param.quoted)));
            at = param.end;
        }
        pieces.extend(chars[at..].iter().map(|&(c, q)| (c, q, false)));
        Ok(pieces)
    }

    /// A word as an argument list: expanded, split at the blanks of unquoted
    /// expansions, dropped when nothing (quoted) is left.
    fn fields(&self, word: &Word) -> Result<Vec<Word>, CommandOutput> {
        if word.params().is_empty() {
            return Ok(vec![word.clone()]);
        }
        let mut fields: Vec<Vec<(char, bool)>> = Vec::new();
        let mut current: Option<Vec<(char, bool)>> = None;
        for (c, quoted, splits) in self.pieces(word)? {
            if splits && IFS.contains(&c) {
                fields.extend(current.take());
            } else {
                current.get_or_insert_with(Vec::new).push((c, quoted));
            }
        }
        fields.extend(current);
        let quoted_part = word.has_quotes() || word.params().iter().any(|p| p.quoted && !matches!(p.name.as_str(), "@"));
        if fields.is_empty() && quoted_part {
            fields.push(Vec::new());
        }
        Ok(fields.into_iter().map(|chars| chars.into_iter().collect::<Word>().with_source(word.source())).collect())
    }

    /// A word as one value (an assignment's, a here-string): expanded, not split.
    fn text(&self, word: &Word) -> Result<String, CommandOutput> {
        Ok(self.pieces(word)?.into_iter().map(|(c, _, _)| c).collect())
    }
}

/// `NAME=value` / `NAME+=value` as written in an unquoted word: its name,
/// whether it appends, and how many characters come before the value.
fn assignment_shape(word: &Word) -> Option<(String, bool, usize)> {
    let chars: Vec<(char, bool)> = word.chars().collect();
    let name_len = chars.iter().take_while(|(c, q)| !q && (*c == '_' || c.is_ascii_alphanumeric())).count();
    let name: String = chars[..name_len].iter().map(|(c, _)| c).collect();
    if !vars::is_name(&name) || word.params().iter().any(|p| p.start < name_len) {
        return None;
    }
    match &chars[name_len..] {
        [('=', false), ..] => Some((name, false, name_len + 1)),
        [('+', false), ('=', false), ..] => Some((name, true, name_len + 2)),
        _ => None,
    }
}

/// The value of an assignment word, expanded (and `~` at its start made home).
fn assignment_value(scope: &Scope<'_>, word: &Word, value_at: usize, home: &str) -> Result<String, CommandOutput> {
    let text = scope.text(word)?;
    let prefix: String = word.chars().take(value_at).map(|(c, _)| c).collect();
    let value = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
    let tilde = word.chars().nth(value_at) == Some(('~', false)) && matches!(word.chars().nth(value_at + 1), None | Some(('/', _)));
    Ok(if tilde { format!("{home}{}", &value[1..]) } else { value })
}

/// Expands one simple command as bash does before running it (see the
/// module comment); `home` is what a leading `~` of an assignment becomes.
/// `Err`: bash's error (`bad substitution`, `ambiguous redirect`), the
/// command not run.
pub fn expand_command(state: &ShellState, home: &str, tokens: &[Token]) -> Result<Expanded, CommandOutput> {
    let mut expanded = Expanded::default();
    let mut rest = tokens;
    // Assignments first: their values see the ones before them.
    while let Some((Token::Word(word), tail)) = rest.split_first() {
        let Some((name, append, value_at)) = assignment_shape(word) else { break };
        let scope = Scope { state, assigned: &expanded.assignments };
        let value = assignment_value(&scope, word, value_at, home)?;
        expanded.assignments.push(Assignment { name, append, value });
        rest = tail;
    }
    // The command's words see the shell's variables only.
    let scope = Scope { state, assigned: &[] };
    let mut command_name: Option<String> = None;
    let mut tokens = rest.iter();
    while let Some(token) = tokens.next() {
        match token {
            Token::Operator(op) => {
                expanded.tokens.push(token.clone());
                let Some(Token::Word(target)) = tokens.next() else { continue };
                let target = if target.params().is_empty() {
                    target.clone()
                } else if op.ends_with("<<<") {
                    // A here-string is one word, whatever its blanks.
                    scope.text(target).map(|t| t.chars().map(|c| (c, true)).collect::<Word>().with_source(target.source()))?
                } else {
                    match scope.fields(target)?.as_slice() {
                        [one] => one.clone(),
                        _ => return Err(CommandOutput::error(format!("bash: {}: ambiguous redirect\n", target.source()), 1)),
                    }
                };
                expanded.tokens.push(Token::Word(target));
            }
            Token::Word(word) => {
                let declaration = command_name.as_deref().is_some_and(|n| DECLARATIONS.contains(&n));
                match assignment_shape(word).filter(|_| declaration) {
                    Some((_, _, value_at)) => {
                        let prefix: String = word.chars().take(value_at).map(|(c, _)| c).collect();
                        let value = assignment_value(&scope, word, value_at, home)?;
                        let literal: Word = format!("{prefix}{value}").chars().map(|c| (c, true)).collect();
                        expanded.tokens.push(Token::Word(literal.with_source(word.source())));
                    }
                    None => {
                        for field in scope.fields(word)? {
                            command_name.get_or_insert_with(|| field.text().to_string());
                            expanded.tokens.push(Token::Word(field));
                        }
                    }
                }
            }
        }
    }
    Ok(expanded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::shell_words::split_commands;

    fn state() -> ShellState {
        let mut state = ShellState::new("/home/learner/todo-app", "/home/learner/todo-app");
        state.vars.set("A", "x  y");
        state.vars.set("E", "");
        state.vars.set("URL", "sqlite:///./other.db");
        state
    }

    /// The words and assignments a line's one command expands to.
    fn expand(line: &str) -> Result<(Vec<String>, Vec<String>), String> {
        let commands = split_commands(line).map_err(|e| e.to_string())?;
        let out = expand_command(&state(), "/home/learner/todo-app", &commands[0].tokens).map_err(|o| o.stderr)?;
        let words = out.tokens.iter().map(|t| t.text().to_string()).collect();
        let assignments = out.assignments.iter().map(|a| format!("{}{}={}", a.name, if a.append { "+" } else { "" }, a.value)).collect();
        Ok((words, assignments))
    }

    fn words(line: &str) -> Vec<String> {
        expand(line).unwrap().0
    }

    #[test]
    fn unquoted_expansions_split_and_empty_ones_vanish() {
        assert_eq!(words("printf %s $A \"$A\" z$A"), ["printf", "%s", "x", "y", "x  y", "zx", "y"]);
        assert_eq!(words("echo $NOPE $E x"), ["echo", "x"]);
        assert_eq!(words("echo '' \"$E\" $E''"), ["echo", "", "", ""]);
        // `${E-f}`: E is set, to nothing, so the word is gone.
        assert_eq!(words("echo ${URL} \"${NOPE:-d}\" ${E:-e} ${E-f} \"${E-f}\" ${#URL} $?"), ["echo", "sqlite:///./other.db", "d", "e", "", "20", "0"]);
        assert_eq!(words("echo '$A' \\$A \"\\$A\""), ["echo", "$A", "$A", "$A"]);
        assert_eq!(words("echo $ a$ $/ \"$\""), ["echo", "$", "a$", "$/", "$"]);
        assert_eq!(words("alembic -x db_url=$URL upgrade head"), ["alembic", "-x", "db_url=sqlite:///./other.db", "upgrade", "head"]);
    }

    #[test]
    fn assignments_come_first_and_see_each_other() {
        let (words, assignments) = expand("B=$URL C=$B D+=1 alembic upgrade head").unwrap();
        assert_eq!(assignments, ["B=sqlite:///./other.db", "C=sqlite:///./other.db", "D+=1"]);
        assert_eq!(words, ["alembic", "upgrade", "head"]);
        // Not at the start, or with a quoted name: words.
        assert_eq!(expand("echo B=1").unwrap().0, ["echo", "B=1"]);
        assert_eq!(expand("'B'=1").unwrap().0, ["B=1"]);
        let (words, assignments) = expand("B=~/x C=\"$A\"").unwrap();
        assert!(words.is_empty());
        assert_eq!(assignments, ["B=/home/learner/todo-app/x", "C=x  y"]);
        // export's assignments are not split.
        assert_eq!(expand("export B=$A C").unwrap().0, ["export", "B=x  y", "C"]);
    }

    #[test]
    fn bash_errors() {
        assert_eq!(expand("echo ${A B}").unwrap_err(), "bash: ${A B}: bad substitution\n");
        assert_eq!(expand("echo x > $NOPE").unwrap_err(), "bash: $NOPE: ambiguous redirect\n");
        assert_eq!(expand("echo x > $A").unwrap_err(), "bash: $A: ambiguous redirect\n");
        assert_eq!(expand("echo x > \"$A\"").unwrap().0, ["echo", "x", ">", "x  y"]);
        assert!(expand("echo $(ls)").unwrap_err().contains("command substitution"));
    }
}
