//! Splits a terminal command line into tokens the way a POSIX shell does for
//! the simple cases learners type: single and double quotes, backslash
//! escapes, the `&&`, `||`, `;` separators, and the operators `>`, `2>>`,
//! `&>`, `<`, `|`, `&`... read only from unquoted text. Every word remembers
//! which of its characters were quoted, so a quoted `*` or `>` is plain text
//! later, and where it names a parameter (`$NAME`, `${NAME}`, `"$NAME"`,
//! `${NAME:-default}`, `${#NAME}`, `$?`), which `shell::expand` replaces when
//! the command runs. Never panics; an unclosed quote or a misplaced operator
//! is an error, and so is what driftlab's shell doesn't do (`$(...)`).

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
/// A parameter expansion stays in the text as written (`$HOME`) until the
/// command runs; [`Word::params`] says where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    text: String,
    /// One flag per character of `text`.
    quoted: Vec<bool>,
    /// The word as typed, quotes included (bash names a word so in some errors).
    source: String,
    /// The parameter expansions written in it, in order.
    params: Vec<Param>,
    /// Whether quotes or a backslash were typed in it (`''` is an empty word,
    /// while `$UNSET` alone is no word at all).
    has_quotes: bool,
}

/// A parameter expansion as written in a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Where its `$...` text is in the word's text, as character offsets.
    pub start: usize,
    pub end: usize,
    /// `HOME`, or a special parameter: `?`, `#`, `@`, `*`, `$`, `!`, `-`, a digit.
    pub name: String,
    pub op: ParamOp,
    /// Written inside double quotes: its value is neither split into words nor globbed.
    pub quoted: bool,
}

/// What a `${...}` expansion does with its parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamOp {
    /// `$NAME`, `${NAME}`: the value (nothing when unset).
    Value,
    /// `${NAME:-word}` (`colon`: also when empty) or `${NAME-word}`: the
    /// value, or the word when unset. The word is plain text here.
    Default { colon: bool, word: String },
    /// `${#NAME}`: the value's length in characters.
    Length,
    /// What bash refuses when it expands the word (`${}`, `${A B}`): `bad substitution`.
    Bad,
}

impl Word {
    /// A word taken as it is, every character quoted: an argument a process
    /// receives (nothing left to expand).
    pub fn literal(text: &str) -> Word {
        let mut word: Word = text.chars().map(|c| (c, true)).collect();
        word.source = quote_word(text);
        word.has_quotes = true;
        word
    }

    /// The parameter expansions written in the word, in order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// Whether quotes or a backslash were typed in it.
    pub fn has_quotes(&self) -> bool {
        self.has_quotes
    }

    /// The same word, named in messages as `source` (what was typed before expanding it).
    pub fn with_source(mut self, source: &str) -> Word {
        self.source = source.to_string();
        self
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
    /// Shell syntax driftlab doesn't run (`$(...)`): what it is, and what to do instead.
    Unsupported(String),
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
            SplitError::Unsupported(what) => write!(f, "bash: driftlab's terminal has no {what}"),
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

    /// Reads a `$` at `chars[at]` (outside single quotes; `quoted`: inside
    /// double quotes): a parameter expansion goes into the word, as typed,
    /// and is remembered; a `$` that starts none is a plain character.
    /// Returns where reading goes on.
    fn dollar(&mut self, chars: &[char], at: usize, quoted: bool) -> Result<usize, SplitError> {
        let next = chars.get(at + 1).copied();
        let (name, op, end) = match next {
            Some('(') => return Err(command_substitution()),
            Some('{') => {
                let close = (at + 2..chars.len()).find(|&j| chars[j] == '}').ok_or(SplitError::UnclosedQuote('}'))?;
                let inside: String = chars[at + 2..close].iter().collect();
                let (name, op) = braced(&inside)?;
                (name, op, close + 1)
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let len = chars[at + 1..].iter().take_while(|c| **c == '_' || c.is_ascii_alphanumeric()).count();
                (chars[at + 1..at + 1 + len].iter().collect(), ParamOp::Value, at + 1 + len)
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => (c.to_string(), ParamOp::Value, at + 2),
            Some('\'') if !quoted => {
                return Err(SplitError::Unsupported("$'...' strings: write the text in '...' or \"...\"".into()))
            }
            _ => {
                self.word.push('$', quoted);
                return Ok(at + 1);
            }
        };
        let start = self.word.quoted.len();
        for &c in &chars[at..end] {
            self.word.push(c, quoted);
        }
        let param = Param { start, end: self.word.quoted.len(), name, op, quoted };
        self.word.params.push(param);
        Ok(end)
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

fn command_substitution() -> SplitError {
    SplitError::Unsupported("command substitution ($(...) or `...`): run the command on its own line".into())
}

/// The parameter and operation of `${inside}`.
fn braced(inside: &str) -> Result<(String, ParamOp), SplitError> {
    let (length, rest) = match inside.strip_prefix('#') {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, inside),
    };
    let name_len = match rest.chars().next() {
        Some(c) if c == '_' || c.is_ascii_alphabetic() => rest.chars().take_while(|c| *c == '_' || c.is_ascii_alphanumeric()).count(),
        Some(c) if c.is_ascii_digit() => rest.chars().take_while(char::is_ascii_digit).count(),
        Some(c) if "?#@*$!-".contains(c) => 1,
        _ => return Ok((inside.to_string(), ParamOp::Bad)),
    };
    let (name, after) = rest.split_at(name_len);
    let op = match (length, after) {
        (_, "") if length => ParamOp::Length,
        (_, "") => ParamOp::Value,
        (false, _) => {
            let (colon, word) = match after.strip_prefix(":-") {
                Some(word) => (true, word),
                None => match after.strip_prefix('-') {
                    Some(word) => (false, word),
                    None => {
                        let operator: String = after.chars().take_while(|c| !c.is_ascii_alphanumeric()).collect();
                        let known = [":=", "=", ":?", "?", ":+", "+", "#", "%", "/", "^", ",", ":"];
                        if known.iter().any(|k| operator.starts_with(k)) {
                            return Err(SplitError::Unsupported(format!(
                                "${{NAME{operator}...}}: it expands $NAME, ${{NAME}}, ${{NAME:-default}} and ${{#NAME}}"
                            )));
                        }
                        return Ok((inside.to_string(), ParamOp::Bad));
                    }
                },
            };
            if word.contains(['$', '\'', '"', '\\', '`', '{']) {
                return Err(SplitError::Unsupported(
                    "quotes or expansions inside ${NAME:-default}: write the default as plain text".into(),
                ));
            }
            ParamOp::Default { colon, word: word.to_string() }
        }
        (true, _) => return Ok((inside.to_string(), ParamOp::Bad)),
    };
    Ok((name.to_string(), op))
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
                s.word.has_quotes = true;
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
                s.word.has_quotes = true;
                loop {
                    match chars.get(i) {
                        Some('"') => break,
                        Some('$') => {
                            i = s.dollar(&chars, i, true)?;
                            continue;
                        }
                        Some('`') => return Err(command_substitution()),
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
                s.word.has_quotes = true;
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
            '$' if chars.get(i) == Some(&'"') => {
                // `$"..."` is `"..."` (translated by the locale: C.UTF-8 has no translations).
                s.start_word(at);
            }
            '$' => {
                s.start_word(at);
                i = s.dollar(&chars, at, false)?;
            }
            '`' => return Err(command_substitution()),
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
