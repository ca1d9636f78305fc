//! Splits a terminal command line into tokens the way a POSIX shell does for
//! the simple cases learners type: single and double quotes, backslash
//! escapes, the `&&`, `||`, `;` separators, and the operators `>`, `2>>`,
//! `&>`, `<`, `|`, `&`... read only from unquoted text. Every word remembers
//! which of its characters were quoted, so a quoted `*` or `>` is plain text
//! later. Never panics; an unclosed quote or a misplaced operator is an error.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Separator {
    /// `;` or end of line: run the next command whatever happened.
    Always,
    /// `&&`: run the next command only if this one succeeded.
    And,
    /// `||`: run the next command only if this one failed.
    Or,
}

/// One word as the shell read it: the text with its quotes removed, and for
/// every character whether it was quoted (in `'...'`, `"..."` or after a
/// backslash). Quoted characters are never special: no globbing, no `~`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    text: String,
    /// One flag per character of `text`.
    quoted: Vec<bool>,
    /// The word as typed, quotes included (bash names a word so in some errors).
    source: String,
}

impl Word {
    /// A word taken as it is, every character quoted: an argument a process
    /// receives (nothing left to expand).
    pub fn literal(text: &str) -> Word {
        let mut word: Word = text.chars().map(|c| (c, true)).collect();
        word.source = quote_word(text);
        word
    }

    /// The text, quotes removed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The word as typed, quotes included.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Each character with whether it was quoted.
    pub fn chars(&self) -> impl Iterator<Item = (char, bool)> + '_ {
        self.text.chars().zip(self.quoted.iter().copied())
    }

    fn push(&mut self, c: char, quoted: bool) {
        self.text.push(c);
        self.quoted.push(quoted);
    }
}

/// A word built from characters and whether each was quoted; its source is
/// written with the quoted characters in single quotes.
impl FromIterator<(char, bool)> for Word {
    fn from_iter<I: IntoIterator<Item = (char, bool)>>(chars: I) -> Word {
        let mut word = Word::default();
        let mut open = false;
        for (c, quoted) in chars {
            word.push(c, quoted);
            if quoted != open {
                word.source.push('\'');
                open = quoted;
            }
            match c {
                '\'' if quoted => word.source.push_str("'\\''"),
                _ => word.source.push(c),
            }
        }
        if open {
            word.source.push('\'');
        }
        word
    }
}

/// What a simple command is made of: words, and operators read from unquoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(Word),
    /// A redirection operator with its file descriptor (`>`, `2>>`, `&>`,
    /// `>&`, `<`, `<<<`...), always followed by a word; or `|`, or a lone `&`.
    Operator(String),
}

impl Token {
    /// The word's text (quotes removed), or the operator.
    pub fn text(&self) -> &str {
        match self {
            Token::Word(word) => word.text(),
            Token::Operator(op) => op,
        }
    }
}

/// One simple command: its tokens and what joins it to the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub tokens: Vec<Token>,
    pub then: Separator,
}

impl SimpleCommand {
    /// The tokens' texts: words with their quotes removed, and operators.
    pub fn words(&self) -> Vec<String> {
        self.tokens.iter().map(|t| t.text().to_string()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    UnclosedQuote(char),
    /// A separator with no command before it (`&& ls`), or an operator where
    /// a redirection's word should be (`echo x > ; ls`, `echo x >`).
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

/// The redirection operators bash reads, longest first (an fd may precede
/// those starting with `<` or `>`).
const REDIRECTIONS: &[&str] = &["&>>", "<<<", "<<-", "&>", ">>", ">&", ">|", "<<", "<>", "<&", ">", "<"];

/// The line read so far.
#[derive(Default)]
struct Splitter {
    commands: Vec<SimpleCommand>,
    tokens: Vec<Token>,
    word: Word,
    /// Whether a word has started (`''` is a word, empty).
    in_word: bool,
    /// Where the current word starts in the line (for its source).
    word_start: usize,
    /// Whether the last token is a redirection still waiting for its word.
    awaiting_word: bool,
}

impl Splitter {
    fn start_word(&mut self, at: usize) {
        if !self.in_word {
            self.in_word = true;
            self.word_start = at;
        }
    }

    fn end_word(&mut self, line: &[char], at: usize) {
        if self.in_word {
            let mut word = std::mem::take(&mut self.word);
            word.source = line[self.word_start..at].iter().collect();
            self.tokens.push(Token::Word(word));
            self.in_word = false;
            self.awaiting_word = false;
        }
    }

    fn operator(&mut self, op: String, redirection: bool) -> Result<(), SplitError> {
        if self.awaiting_word {
            return Err(SplitError::UnexpectedToken(op));
        }
        self.tokens.push(Token::Operator(op));
        self.awaiting_word = redirection;
        Ok(())
    }

    fn separator(&mut self, then: Separator, token: &str) -> Result<(), SplitError> {
        if self.tokens.is_empty() || self.awaiting_word {
            return Err(SplitError::UnexpectedToken(token.to_string()));
        }
        self.commands.push(SimpleCommand { tokens: std::mem::take(&mut self.tokens), then });
        Ok(())
    }

    /// The fd written right before a redirection (`2>`): the word so far if
    /// it is unquoted digits, which then is no word.
    fn take_fd(&mut self) -> String {
        let digits = self.word.chars().all(|(c, q)| !q && c.is_ascii_digit());
        let is_fd = self.in_word && digits && self.word.text.parse::<i32>().is_ok();
        if !is_fd {
            return String::new();
        }
        self.in_word = false;
        std::mem::take(&mut self.word).text
    }
}

/// Splits a line into simple commands joined by `;`, `&&` and `||`.
pub fn split_commands(line: &str) -> Result<Vec<SimpleCommand>, SplitError> {
    let chars: Vec<char> = line.chars().collect();
    let mut s = Splitter::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        i += 1;
        match c {
            '\'' => {
                s.start_word(at);
                loop {
                    match chars.get(i) {
                        Some('\'') => break,
                        Some(&ch) => s.word.push(ch, true),
                        None => return Err(SplitError::UnclosedQuote('\'')),
                    }
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                s.start_word(at);
                loop {
                    match chars.get(i) {
                        Some('"') => break,
                        Some('\\') => match chars.get(i + 1) {
                            Some(&ch @ ('"' | '\\' | '$' | '`')) => {
                                s.word.push(ch, true);
                                i += 1;
                            }
                            Some('\n') => i += 1,
                            Some(_) => s.word.push('\\', true),
                            None => return Err(SplitError::UnclosedQuote('"')),
                        },
                        Some(&ch) => s.word.push(ch, true),
                        None => return Err(SplitError::UnclosedQuote('"')),
                    }
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                s.start_word(at);
                match chars.get(i) {
                    Some('\n') => i += 1,
                    Some(&ch) => {
                        s.word.push(ch, true);
                        i += 1;
                    }
                    // A backslash ending the line stays.
                    None => s.word.push('\\', true),
                }
            }
            ' ' | '\t' | '\n' | '\r' => s.end_word(&chars, at),
            ';' => {
                s.end_word(&chars, at);
                s.separator(Separator::Always, ";")?;
            }
            '|' if chars.get(i) == Some(&'|') => {
                i += 1;
                s.end_word(&chars, at);
                s.separator(Separator::Or, "||")?;
            }
            '&' if chars.get(i) == Some(&'&') => {
                i += 1;
                s.end_word(&chars, at);
                s.separator(Separator::And, "&&")?;
            }
            '<' | '>' | '&' | '|' => {
                let rest = &chars[at..];
                let redirection = REDIRECTIONS.iter().find(|op| op.chars().eq(rest.iter().take(op.len()).copied()));
                match redirection {
                    Some(op) => {
                        i = at + op.len();
                        let fd = if c == '&' { String::new() } else { s.take_fd() };
                        s.end_word(&chars, at);
                        s.operator(format!("{fd}{op}"), true)?;
                    }
                    // `|` and a lone `&` are kept as tokens of their own;
                    // commands that do not understand them say so.
                    None => {
                        s.end_word(&chars, at);
                        s.operator(c.to_string(), false)?;
                    }
                }
            }
            '#' if !s.in_word => break,
            ch => {
                s.start_word(at);
                s.word.push(ch, false);
            }
        }
    }
    s.end_word(&chars, chars.len());
    if s.awaiting_word {
        return Err(SplitError::UnexpectedToken("newline".to_string()));
    }
    if !s.tokens.is_empty() {
        s.commands.push(SimpleCommand { tokens: s.tokens, then: Separator::Always });
    } else if let Some(last) = s.commands.last() {
        if last.then != Separator::Always {
            // `ls &&` at the end of a line: bash would wait for more input.
            return Err(SplitError::UnexpectedToken("newline".to_string()));
        }
    }
    Ok(s.commands)
}

/// Quotes one word so that [`split_commands`] reads it back unchanged.
fn quote_word(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Quotes words so that [`split_commands`] reads them back unchanged.
pub fn quote_line(words: &[String]) -> String {
    words.iter().map(|w| quote_word(w)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<Vec<String>> {
        split_commands(line).unwrap().iter().map(SimpleCommand::words).collect()
    }

    /// Each token of a one-command line: a word as its characters with the
    /// quoted ones in brackets (`a[*]b`), an operator as `<op>`.
    fn shapes(line: &str) -> Vec<String> {
        let commands = split_commands(line).unwrap();
        commands[0]
            .tokens
            .iter()
            .map(|token| match token {
                Token::Operator(op) => format!("<{op}>"),
                Token::Word(word) => {
                    word.chars().map(|(c, q)| if q { format!("[{c}]") } else { c.to_string() }).collect()
                }
            })
            .collect()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            texts(r#"sqlite3 todos.db "select 'a b'" 'x "y"' c\ d"#),
            vec![vec!["sqlite3", "todos.db", "select 'a b'", "x \"y\"", "c d"]]
        );
        assert_eq!(texts(r"echo a\"), vec![vec!["echo", "a\\"]]);
    }

    #[test]
    fn words_remember_what_was_quoted() {
        assert_eq!(shapes(r#"ls a'*'b "?" \[x]"#), ["ls", "a[*]b", "[?]", "[[]x]"]);
        let word = &split_commands(r#"echo x"*"'y'"#).unwrap()[0].tokens[1];
        let Token::Word(word) = word else { panic!("{word:?}") };
        assert_eq!((word.text(), word.source()), ("x*y", r#"x"*"'y'"#));
    }

    #[test]
    fn operators_come_from_unquoted_text_only() {
        assert_eq!(
            shapes("echo a>b 2>>err &>all >&2 <in"),
            ["echo", "a", "<>>", "b", "<2>>>", "err", "<&>>", "all", "<>&>", "2", "<<>", "in"]
        );
        assert_eq!(
            shapes(r#"echo '>' ">>" \> 2\>x a2>f"#),
            ["echo", "[>]", "[>][>]", "[>]", "2[>]x", "a2", "<>>", "f"]
        );
        assert_eq!(shapes("ls | wc &"), ["ls", "<|>", "wc", "<&>"]);
        assert_eq!(shapes("cat <<< hi"), ["cat", "<<<<>", "hi"]);
    }

    #[test]
    fn separators() {
        let cmds = split_commands("cd app && ls; echo hi || true").unwrap();
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[0].then, Separator::And);
        assert_eq!(cmds[1].then, Separator::Always);
        assert_eq!(cmds[2].then, Separator::Or);
        assert_eq!(texts("echo 'a;b' \"c&&d\""), vec![vec!["echo", "a;b", "c&&d"]]);
    }

    #[test]
    fn errors_are_bash_messages() {
        let error = |line: &str| split_commands(line).unwrap_err().to_string();
        assert_eq!(error("echo 'x"), "bash: unexpected EOF while looking for matching `''");
        assert_eq!(error("&& ls"), "bash: syntax error near unexpected token `&&'");
        assert_eq!(error("echo x >"), "bash: syntax error near unexpected token `newline'");
        assert_eq!(error("echo x > ; ls"), "bash: syntax error near unexpected token `;'");
        assert_eq!(error("echo x 2> > f"), "bash: syntax error near unexpected token `>'");
        assert_eq!(error("echo x >&"), "bash: syntax error near unexpected token `newline'");
    }

    #[test]
    fn quoting_round_trips() {
        let words: Vec<String> =
            ["sqlite3", "a b.db", "it's", "&&", ">", "*", ""].iter().map(|s| s.to_string()).collect();
        let line = quote_line(&words);
        assert_eq!(texts(&line), vec![words]);
        let rebuilt: Word = [('a', false), ('\'', true), ('*', true), ('b', false)].into_iter().collect();
        assert_eq!(shapes(&format!("x {}", rebuilt.source()))[1], "a['][*]b");
    }

    #[test]
    fn comment_and_empty_line() {
        assert!(split_commands("   # nothing").unwrap().is_empty());
        assert!(split_commands("").unwrap().is_empty());
        assert_eq!(texts("echo a#b # c"), vec![vec!["echo", "a#b"]]);
    }
}
