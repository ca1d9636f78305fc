//! Splits a terminal command line into words the way a POSIX shell does for
//! the simple cases learners type: single and double quotes, backslash escapes,
//! and the `&&`, `||`, `;` separators. Never panics; an unclosed quote is an error.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Separator {
    /// `;` or end of line: run the next command whatever happened.
    Always,
    /// `&&`: run the next command only if this one succeeded.
    And,
    /// `||`: run the next command only if this one failed.
    Or,
}

/// One simple command: its words and what joins it to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    pub then: Separator,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    UnclosedQuote(char),
    /// A separator with no command before it, e.g. `&& ls`.
    UnexpectedToken(String),
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::UnclosedQuote(q) => {
                write!(f, "bash: unexpected EOF while looking for matching `{q}'")
            }
            SplitError::UnexpectedToken(t) => {
                write!(f, "bash: syntax error near unexpected token `{t}'")
            }
        }
    }
}

/// Splits a line into simple commands joined by `;`, `&&` and `||`.
pub fn split_commands(line: &str) -> Result<Vec<SimpleCommand>, SplitError> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();

    let mut finish = |words: &mut Vec<String>, then: Separator, token: &str| {
        if words.is_empty() {
            return Err(SplitError::UnexpectedToken(token.to_string()));
        }
        commands.push(SimpleCommand { words: std::mem::take(words), then });
        Ok(())
    };

    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err(SplitError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => return Err(SplitError::UnclosedQuote('"')),
                        },
                        Some(ch) => word.push(ch),
                        None => return Err(SplitError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(ch) => word.push(ch),
                }
            }
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            ';' | '&' | '|' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                let doubled = chars.peek() == Some(&c);
                match (c, doubled) {
                    (';', _) => finish(&mut words, Separator::Always, ";")?,
                    ('&', true) => {
                        chars.next();
                        finish(&mut words, Separator::And, "&&")?
                    }
                    ('|', true) => {
                        chars.next();
                        finish(&mut words, Separator::Or, "||")?
                    }
                    // A lone `&` or `|` is kept as a word; commands that do not
                    // understand it say so.
                    (other, false) => {
                        words.push(other.to_string());
                    }
                    _ => unreachable!(),
                }
            }
            '#' if !in_word => break,
            ch => {
                in_word = true;
                word.push(ch);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        commands.push(SimpleCommand { words, then: Separator::Always });
    } else if let Some(last) = commands.last() {
        if last.then != Separator::Always {
            // `ls &&` at the end of a line: bash would wait for more input.
            return Err(SplitError::UnexpectedToken("newline".to_string()));
        }
    }
    Ok(commands)
}

/// Quotes words so that [`split_commands`] reads them back unchanged.
pub fn quote_line(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| {
            let plain = !w.is_empty()
                && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
            if plain {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect();
    quoted.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        split_commands(line).unwrap().into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            words(r#"sqlite3 todos.db "select 'a b'" 'x "y"' c\ d"#),
            vec![vec!["sqlite3", "todos.db", "select 'a b'", "x \"y\"", "c d"]]
        );
    }

    #[test]
    fn separators() {
        let cmds = split_commands("cd app && ls; echo hi || true").unwrap();
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[0].then, Separator::And);
        assert_eq!(cmds[1].then, Separator::Always);
        assert_eq!(cmds[2].then, Separator::Or);
    }

    #[test]
    fn errors_are_bash_messages() {
        assert_eq!(
            split_commands("echo 'x").unwrap_err().to_string(),
            "bash: unexpected EOF while looking for matching `''"
        );
        assert_eq!(
            split_commands("&& ls").unwrap_err().to_string(),
            "bash: syntax error near unexpected token `&&'"
        );
    }

    #[test]
    fn quoting_round_trips() {
        let words: Vec<String> = ["sqlite3", "a b.db", "it's", "&&", ""].iter().map(|s| s.to_string()).collect();
        let line = quote_line(&words);
        assert_eq!(split_commands(&line).unwrap()[0].words, words);
    }

    #[test]
    fn comment_and_empty_line() {
        assert!(split_commands("   # nothing").unwrap().is_empty());
        assert!(split_commands("").unwrap().is_empty());
    }
}
