//! Splits Python source into tokens by CPython's tokenizer rules (indentation
//! stack, implicit line joining inside brackets, string prefixes, number forms),
//! for the parser and for the editor's syntax highlighting alike.
//!
//! The token list covers every non-blank character of the source except the
//! backslashes of line continuations: comments and non-logical line breaks are
//! tokens too, and a character that cannot start a token becomes a
//! [`TokenKind::Error`] token. Tokens are in order and never overlap. Problems are collected, never
//! thrown, and tokenizing always reaches the end of the text.

use super::error::{ErrorOrigin, PendingError, SyntaxError};
use super::position::{LineIndex, Span};

/// Open brackets allowed at once. CPython allows 200 (`MAXLEVEL`); we stop at 100
/// because the parser recurses per bracket and the wasm stack is small (see
/// `parser::MAX_NESTING`).
pub const MAX_BRACKET_DEPTH: usize = 100;
/// CPython's `MAXINDENT`: the indentation stack, base level included, holds at most 100.
pub const MAX_INDENT_LEVELS: usize = 100;
const TAB_SIZE: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier, including soft keywords such as `match` and `type`.
    Name,
    Keyword(Keyword),
    Number(NumberKind),
    /// A string literal, prefix and quotes included. Adjacent strings are separate tokens.
    String(StringFlags),
    Op(Op),
    /// `# ...` up to, not including, the line break.
    Comment,
    /// The line break that ends a logical line (CPython's NEWLINE). Zero-width at end of file.
    Newline,
    /// A line break that ends no logical line (CPython's NL): blank and comment-only
    /// lines, and line breaks inside brackets.
    NonLogicalNewline,
    /// The indentation that opens a block; its span is the leading whitespace.
    Indent,
    /// Zero-width: one per block closed before the next line's first token.
    Dedent,
    /// A character that starts no token; always accompanied by an error.
    Error,
    /// Zero-width at the end of the text; always the last token.
    EndOfFile,
}

impl TokenKind {
    /// Comments and non-logical line breaks: kept for highlighting, skipped by the parser.
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Comment | TokenKind::NonLogicalNewline)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Integer,
    Float,
    Imaginary,
}

/// What a string literal's prefix and quotes say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StringFlags {
    pub raw: bool,
    pub bytes: bool,
    pub format: bool,
    pub triple_quoted: bool,
    /// False when the closing quote is missing (an error was reported).
    pub terminated: bool,
}

macro_rules! keywords {
    ($($variant:ident = $text:literal,)*) => {
        /// Python 3's hard keywords.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Keyword { $($variant,)* }

        impl Keyword {
            pub fn from_word(word: &str) -> Option<Keyword> {
                match word { $($text => Some(Keyword::$variant),)* _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(Keyword::$variant => $text,)* }
            }
        }
    };
}

keywords! {
    False = "False", None = "None", True = "True", And = "and", As = "as",
    Assert = "assert", Async = "async", Await = "await", Break = "break",
    Class = "class", Continue = "continue", Def = "def", Del = "del",
    Elif = "elif", Else = "else", Except = "except", Finally = "finally",
    For = "for", From = "from", Global = "global", If = "if", Import = "import",
    In = "in", Is = "is", Lambda = "lambda", Nonlocal = "nonlocal", Not = "not",
    Or = "or", Pass = "pass", Raise = "raise", Return = "return", Try = "try",
    While = "while", With = "with", Yield = "yield",
}

/// Whether `word` is one of Python's reserved keywords.
pub fn is_keyword(word: &str) -> bool {
    Keyword::from_word(word).is_some()
}

/// Whether `word` is a keyword only in some positions (`match x:`), a name elsewhere.
pub fn is_soft_keyword(word: &str) -> bool {
    matches!(word, "match" | "case" | "type" | "_")
}

macro_rules! operators {
    ($($variant:ident = $text:literal,)*) => {
        /// Python 3's operators and delimiters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Op { $($variant,)* }

        impl Op {
            pub fn as_str(self) -> &'static str {
                match self { $(Op::$variant => $text,)* }
            }
        }

        /// Longest first, so that matching in order finds the longest operator.
        const OPERATORS: &[(&str, Op)] = &[$(($text, Op::$variant),)*];
    };
}

operators! {
    DoubleStarEqual = "**=", DoubleSlashEqual = "//=", RightShiftEqual = ">>=",
    LeftShiftEqual = "<<=", Ellipsis = "...",
    NotEqual = "!=", PercentEqual = "%=", AmpersandEqual = "&=", DoubleStar = "**",
    StarEqual = "*=", PlusEqual = "+=", MinusEqual = "-=", Arrow = "->",
    DoubleSlash = "//", SlashEqual = "/=", ColonEqual = ":=", LeftShift = "<<",
    LessEqual = "<=", EqualEqual = "==", GreaterEqual = ">=", RightShift = ">>",
    AtEqual = "@=", CaretEqual = "^=", PipeEqual = "|=",
    LeftParen = "(", RightParen = ")", LeftBracket = "[", RightBracket = "]",
    LeftBrace = "{", RightBrace = "}", Colon = ":", Comma = ",", Semicolon = ";",
    Plus = "+", Minus = "-", Star = "*", Slash = "/", Pipe = "|", Ampersand = "&",
    Less = "<", Greater = ">", Equal = "=", Dot = ".", Percent = "%", Tilde = "~",
    Caret = "^", At = "@",
}

/// Tokenizes `src`. The tokens end with [`TokenKind::EndOfFile`]; the errors are
/// sorted by position and carry CPython's wording where it has one.
pub fn tokenize(src: &str) -> (Vec<Token>, Vec<SyntaxError>) {
    let (tokens, pending) = tokenize_with_pending_errors(src);
    let index = LineIndex::new(src);
    let mut errors: Vec<SyntaxError> =
        pending.into_iter().map(|error| SyntaxError::at(&index, error.offset, error.message)).collect();
    errors.sort_by_key(|error| error.offset);
    (tokens, errors)
}

pub(crate) fn tokenize_with_pending_errors(src: &str) -> (Vec<Token>, Vec<PendingError>) {
    Lexer::new(src).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IndentLevel {
    /// Column with tabs to the next multiple of 8.
    col: usize,
    /// Column with tabs as 1: if the two orders disagree, tabs and spaces were mixed
    /// ambiguously (CPython's TabError test).
    alt_col: usize,
}

#[derive(Debug, Clone, Copy)]
struct OpenBracket {
    byte: u8,
    offset: usize,
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    index: LineIndex<'a>,
    tokens: Vec<Token>,
    errors: Vec<PendingError>,
    indents: Vec<IndentLevel>,
    brackets: Vec<OpenBracket>,
    /// The current logical line has a token, so the next line break outside
    /// brackets ends it with NEWLINE.
    logical_line_has_tokens: bool,
    /// NEWLINE tokens emitted so far.
    logical_lines: usize,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            index: LineIndex::new(src),
            tokens: Vec::new(),
            errors: Vec::new(),
            indents: vec![IndentLevel { col: 0, alt_col: 0 }],
            brackets: Vec::new(),
            logical_line_has_tokens: false,
            logical_lines: 0,
        }
    }

    fn run(mut self) -> (Vec<Token>, Vec<PendingError>) {
        // A UTF-8 byte order mark is not part of the program.
        if self.src.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        let mut at_line_start = true;
        while let Some(&byte) = self.bytes.get(self.pos) {
            if at_line_start {
                at_line_start = false;
                if !self.brackets.is_empty() && self.line_starts_with_statement_keyword() {
                    self.abandon_open_brackets();
                }
                if self.brackets.is_empty() {
                    self.read_indentation();
                }
                continue;
            }
            match byte {
                b' ' | b'\t' | b'\x0c' => self.pos += 1,
                b'\n' | b'\r' => {
                    self.line_break();
                    at_line_start = true;
                }
                b'#' => self.comment(),
                b'\\' => self.line_continuation(),
                b'0'..=b'9' => self.number(),
                b'.' if self.bytes.get(self.pos + 1).is_some_and(u8::is_ascii_digit) => self.number(),
                b'"' | b'\'' => self.string(self.pos, ""),
                b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80.. => self.name_or_prefixed_string(),
                _ => self.operator(),
            }
        }
        self.finish();
        (self.tokens, self.errors)
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if !matches!(
            kind,
            TokenKind::Comment
                | TokenKind::Newline
                | TokenKind::NonLogicalNewline
                | TokenKind::Indent
                | TokenKind::Dedent
                | TokenKind::EndOfFile
        ) {
            self.logical_line_has_tokens = true;
        }
        if kind == TokenKind::Newline {
            self.logical_lines += 1;
        }
        self.tokens.push(Token { kind, span: Span::new(start, end) });
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(PendingError {
            offset,
            message: message.into(),
            origin: ErrorOrigin::Tokenizer,
            logical_line: self.logical_lines,
        });
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    /// Measures a new logical line's indentation and emits INDENT or DEDENTs.
    fn read_indentation(&mut self) {
        let line_start = self.pos;
        let mut level = IndentLevel { col: 0, alt_col: 0 };
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b' ' => {
                    level.col += 1;
                    level.alt_col += 1;
                }
                b'\t' => {
                    level.col = (level.col / TAB_SIZE + 1) * TAB_SIZE;
                    level.alt_col += 1;
                }
                // CPython resets the column at a form feed.
                b'\x0c' => level = IndentLevel { col: 0, alt_col: 0 },
                _ => break,
            }
            self.pos += 1;
        }
        // Blank and comment-only lines do not take part in indentation.
        if matches!(self.bytes.get(self.pos), None | Some(b'#' | b'\n' | b'\r')) {
            return;
        }
        let current = self.current_indent();
        if level.col == current.col {
            if level.alt_col != current.alt_col {
                self.tab_error(line_start);
            }
        } else if level.col > current.col {
            if level.alt_col <= current.alt_col {
                self.tab_error(line_start);
            }
            if self.indents.len() == MAX_INDENT_LEVELS {
                self.error(self.pos, "too many levels of indentation");
            }
            self.indents.push(level);
            self.push(TokenKind::Indent, line_start, self.pos);
        } else {
            while level.col < self.current_indent().col && self.indents.len() > 1 {
                self.indents.pop();
                self.push(TokenKind::Dedent, self.pos, self.pos);
            }
            let matched = self.current_indent();
            if level.col != matched.col {
                // Recover by treating the line as belonging to the enclosing block.
                self.error(self.pos, "unindent does not match any outer indentation level");
            } else if level.alt_col != matched.alt_col {
                self.tab_error(line_start);
            }
        }
    }

    fn current_indent(&self) -> IndentLevel {
        self.indents.last().copied().unwrap_or(IndentLevel { col: 0, alt_col: 0 })
    }

    fn tab_error(&mut self, line_start: usize) {
        self.error(line_start, "inconsistent use of tabs and spaces in indentation");
    }

    /// Inside brackets, a line that starts with a keyword which can only start a
    /// statement means the bracket was never closed. Closing it here (CPython
    /// reads on to the end of the file) lets the rest of the file parse normally.
    fn line_starts_with_statement_keyword(&self) -> bool {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let word_start = rest.trim_start_matches([' ', '\t', '\x0c']);
        let word_len = word_start
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(word_start.len());
        matches!(
            &word_start[..word_len],
            "def" | "class" | "import" | "return" | "pass" | "break" | "continue" | "raise"
                | "try" | "except" | "finally" | "while" | "with" | "global" | "nonlocal"
                | "del" | "assert" | "elif"
        )
    }

    fn abandon_open_brackets(&mut self) {
        if let Some(innermost) = self.brackets.last().copied() {
            self.report_unclosed(innermost);
        }
        self.brackets.clear();
        self.push(TokenKind::Newline, self.pos, self.pos);
        self.logical_line_has_tokens = false;
    }

    fn report_unclosed(&mut self, bracket: OpenBracket) {
        self.errors.push(PendingError {
            offset: bracket.offset,
            message: format!("'{}' was never closed", bracket.byte as char),
            origin: ErrorOrigin::UnclosedBracket,
            logical_line: self.logical_lines,
        });
    }

    fn line_break(&mut self) {
        let start = self.pos;
        let crlf = self.bytes.get(self.pos) == Some(&b'\r') && self.bytes.get(self.pos + 1) == Some(&b'\n');
        self.pos += if crlf { 2 } else { 1 };
        let kind = if self.brackets.is_empty() && self.logical_line_has_tokens {
            TokenKind::Newline
        } else {
            TokenKind::NonLogicalNewline
        };
        self.push(kind, start, self.pos);
        if kind == TokenKind::Newline {
            self.logical_line_has_tokens = false;
        }
    }

    fn comment(&mut self) {
        let start = self.pos;
        while !matches!(self.bytes.get(self.pos), None | Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        self.push(TokenKind::Comment, start, self.pos);
    }

    /// A backslash joins the next physical line to this logical line.
    fn line_continuation(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.bytes.get(self.pos) {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => self.pos += if self.bytes.get(self.pos + 1) == Some(&b'\n') { 2 } else { 1 },
            None => {
                self.error(start, "unexpected EOF while parsing");
                self.push(TokenKind::Error, start, self.pos);
            }
            Some(_) => {
                self.error(start, "unexpected character after line continuation character");
                self.push(TokenKind::Error, start, self.pos);
            }
        }
    }

    fn name_or_prefixed_string(&mut self) {
        let start = self.pos;
        while let Some(c) = self.peek_char() {
            let continues = if self.pos == start { is_identifier_start(c) } else { is_identifier_continue(c) };
            if !continues {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            self.invalid_character();
            return;
        }
        let word = self.src.get(start..self.pos).unwrap_or("");
        if matches!(self.bytes.get(self.pos), Some(b'"' | b'\'')) && is_string_prefix(word) {
            self.string(start, word);
            return;
        }
        let kind = Keyword::from_word(word).map_or(TokenKind::Name, TokenKind::Keyword);
        self.push(kind, start, self.pos);
    }

    fn invalid_character(&mut self) {
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            // Not on a character boundary: cannot happen, but step on rather than loop.
            self.pos += 1;
            return;
        };
        self.pos += c.len_utf8();
        let message = if c == '\0' {
            "source code cannot contain null bytes".to_string()
        } else if c.is_whitespace() || c.is_control() {
            format!("invalid non-printable character U+{:04X}", c as u32)
        } else if c.is_ascii() {
            // `$`, `?`, backtick: CPython just says "invalid syntax".
            "invalid syntax".to_string()
        } else {
            format!("invalid character '{c}' (U+{:04X})", c as u32)
        };
        self.error(start, message);
        self.push(TokenKind::Error, start, self.pos);
    }

    /// Reads a string literal whose prefix (maybe empty) starts at `start`; `self.pos` is at the quote.
    fn string(&mut self, start: usize, prefix: &str) {
        let mut flags = string_flags_from_prefix(prefix);
        let quote = self.bytes.get(self.pos).copied().unwrap_or(b'"');
        flags.triple_quoted =
            self.bytes.get(self.pos + 1) == Some(&quote) && self.bytes.get(self.pos + 2) == Some(&quote);
        self.pos += if flags.triple_quoted { 3 } else { 1 };
        let body_start = self.pos;
        loop {
            match self.bytes.get(self.pos) {
                None => break,
                // Even in raw strings a backslash keeps the next character (a quote,
                // a line break) from ending the literal.
                Some(b'\\') => {
                    self.pos += 1;
                    if self.bytes.get(self.pos) == Some(&b'\r') && self.bytes.get(self.pos + 1) == Some(&b'\n') {
                        self.pos += 2;
                    } else if let Some(c) = self.peek_char() {
                        self.pos += c.len_utf8();
                    }
                }
                Some(&byte) if byte == quote => {
                    if !flags.triple_quoted {
                        self.pos += 1;
                        flags.terminated = true;
                        break;
                    }
                    if self.bytes.get(self.pos + 1) == Some(&quote) && self.bytes.get(self.pos + 2) == Some(&quote) {
                        self.pos += 3;
                        flags.terminated = true;
                        break;
                    }
                    self.pos += 1;
                }
                Some(b'\n' | b'\r') if !flags.triple_quoted => break,
                // Multi-byte characters never contain ASCII bytes, so stepping by
                // byte still stops only at character boundaries.
                Some(_) => self.pos += 1,
            }
        }
        if !flags.terminated {
            let message = if flags.triple_quoted {
                format!(
                    "unterminated triple-quoted string literal (detected at line {})",
                    self.index.last_text_line()
                )
            } else {
                format!("unterminated string literal (detected at line {})", self.index.line(self.pos))
            };
            self.error(start, message);
        } else if flags.format {
            let quote_len = if flags.triple_quoted { 3 } else { 1 };
            self.check_format_string_braces(body_start, self.pos - quote_len);
        }
        self.push(TokenKind::String(flags), start, self.pos);
    }

    /// The brace errors CPython's f-string parser reports; the expressions
    /// inside the braces are not parsed.
    fn check_format_string_braces(&mut self, body_start: usize, body_end: usize) {
        let mut i = body_start;
        while i < body_end {
            match self.bytes.get(i) {
                Some(b'{') if self.bytes.get(i + 1) == Some(&b'{') => i += 2,
                Some(b'}') if self.bytes.get(i + 1) == Some(&b'}') => i += 2,
                Some(b'{') => match self.end_of_replacement_field(i, body_end) {
                    Some(end) => i = end,
                    None => {
                        self.error(i, "f-string: expecting '}'");
                        return;
                    }
                },
                Some(b'}') => {
                    self.error(i, "f-string: single '}' is not allowed");
                    return;
                }
                _ => i += 1,
            }
        }
    }

    /// The offset after the `}` closing the replacement field opened at `open`.
    fn end_of_replacement_field(&self, open: usize, body_end: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = open;
        while i < body_end {
            match self.bytes.get(i)? {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                &quote @ (b'\'' | b'"') => {
                    i += 1;
                    while i < body_end && self.bytes.get(i) != Some(&quote) {
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn number(&mut self) {
        let start = self.pos;
        let radix_prefix = self.bytes.get(self.pos + 1).map(u8::to_ascii_lowercase);
        let (kind, problem) = if self.bytes.get(self.pos) == Some(&b'0') && matches!(radix_prefix, Some(b'x' | b'o' | b'b')) {
            (NumberKind::Integer, self.radix_integer(radix_prefix.unwrap_or(b'x')))
        } else {
            self.decimal_number()
        };
        let mut problem = problem;
        // A letter straight after a number: `1abc`. CPython tolerates the keywords
        // that may follow an expression (`1if x else 2`).
        if self.peek_char().is_some_and(is_identifier_continue) {
            let word_start = self.pos;
            let mut end = self.pos;
            while let Some(c) = self.src.get(end..).and_then(|rest| rest.chars().next()) {
                if !is_identifier_continue(c) {
                    break;
                }
                end += c.len_utf8();
            }
            let word = self.src.get(word_start..end).unwrap_or("");
            let keyword_may_follow = matches!(word, "and" | "else" | "for" | "if" | "in" | "is" | "not" | "or");
            if !keyword_may_follow {
                self.pos = end;
                problem.get_or_insert(match radix_prefix {
                    Some(b'x') if kind == NumberKind::Integer && self.is_radix(start) => "invalid hexadecimal literal".into(),
                    Some(b'o') if self.is_radix(start) => "invalid octal literal".into(),
                    Some(b'b') if self.is_radix(start) => "invalid binary literal".into(),
                    _ => "invalid decimal literal".into(),
                });
            }
        }
        if let Some(message) = problem {
            self.error(start, message);
        }
        self.push(TokenKind::Number(kind), start, self.pos);
    }

    fn is_radix(&self, start: usize) -> bool {
        self.bytes.get(start) == Some(&b'0') && matches!(self.bytes.get(start + 1), Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B'))
    }

    /// `0x1F`, `0o17`, `0b1010`, underscores allowed after the prefix and between digits.
    fn radix_integer(&mut self, prefix: u8) -> Option<String> {
        let (radix, name) = match prefix {
            b'x' => (16, "hexadecimal"),
            b'o' => (8, "octal"),
            _ => (2, "binary"),
        };
        self.pos += 2;
        let mut problem = None;
        let mut saw_digit = false;
        let mut previous_underscore = false;
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte == b'_' {
                if previous_underscore {
                    problem.get_or_insert(format!("invalid {name} literal"));
                }
                previous_underscore = true;
            } else if (byte as char).is_digit(radix) {
                saw_digit = true;
                previous_underscore = false;
            } else if byte.is_ascii_digit() {
                problem.get_or_insert(format!("invalid digit '{}' in {name} literal", byte as char));
                previous_underscore = false;
            } else {
                break;
            }
            self.pos += 1;
        }
        if !saw_digit || previous_underscore {
            problem.get_or_insert(format!("invalid {name} literal"));
        }
        problem
    }

    fn decimal_number(&mut self) -> (NumberKind, Option<String>) {
        let start = self.pos;
        let mut kind = NumberKind::Integer;
        let mut well_formed = true;
        if self.bytes.get(self.pos) != Some(&b'.') {
            well_formed &= self.decimal_digits();
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            kind = NumberKind::Float;
            self.pos += 1;
            if self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                well_formed &= self.decimal_digits();
            } else if self.bytes.get(self.pos) == Some(&b'_') {
                well_formed = false;
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            let mut after_sign = self.pos + 1;
            if matches!(self.bytes.get(after_sign), Some(b'+' | b'-')) {
                after_sign += 1;
            }
            if self.bytes.get(after_sign).is_some_and(u8::is_ascii_digit) {
                self.pos = after_sign;
                kind = NumberKind::Float;
                well_formed &= self.decimal_digits();
            } else {
                // `1e` or `1e+`: consume the broken exponent into the token.
                self.pos = after_sign;
                well_formed = false;
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'j' | b'J')) {
            self.pos += 1;
            kind = NumberKind::Imaginary;
        }
        if !well_formed {
            return (kind, Some("invalid decimal literal".into()));
        }
        let text = self.src.get(start..self.pos).unwrap_or("");
        let has_leading_zero = text.starts_with('0') && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        if kind == NumberKind::Integer && has_leading_zero {
            return (
                kind,
                Some(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
                        .into(),
                ),
            );
        }
        (kind, None)
    }

    /// Digits with single underscores between them; false if an underscore is misplaced.
    fn decimal_digits(&mut self) -> bool {
        let mut well_formed = self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit);
        let mut previous_underscore = false;
        while let Some(&byte) = self.bytes.get(self.pos) {
            if byte == b'_' {
                if previous_underscore {
                    well_formed = false;
                }
                previous_underscore = true;
            } else if byte.is_ascii_digit() {
                previous_underscore = false;
            } else {
                break;
            }
            self.pos += 1;
        }
        well_formed && !previous_underscore
    }

    fn operator(&mut self) {
        let start = self.pos;
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let Some(&(text, op)) = OPERATORS.iter().find(|(text, _)| rest.starts_with(text.as_bytes())) else {
            self.invalid_character();
            return;
        };
        self.pos += text.len();
        match op {
            Op::LeftParen | Op::LeftBracket | Op::LeftBrace => {
                self.brackets.push(OpenBracket { byte: text.as_bytes()[0], offset: start });
                if self.brackets.len() == MAX_BRACKET_DEPTH + 1 {
                    self.error(start, "too many nested parentheses");
                }
            }
            Op::RightParen | Op::RightBracket | Op::RightBrace => self.close_bracket(text.as_bytes()[0], start),
            _ => {}
        }
        self.push(TokenKind::Op(op), start, self.pos);
    }

    fn close_bracket(&mut self, close: u8, offset: usize) {
        let Some(open) = self.brackets.pop() else {
            self.error(offset, format!("unmatched '{}'", close as char));
            return;
        };
        let expected_close = match open.byte {
            b'(' => b')',
            b'[' => b']',
            _ => b'}',
        };
        if close != expected_close {
            let open_line = self.index.line(open.offset);
            let where_opened =
                if open_line == self.index.line(offset) { String::new() } else { format!(" on line {open_line}") };
            self.error(
                offset,
                format!(
                    "closing parenthesis '{}' does not match opening parenthesis '{}'{where_opened}",
                    close as char, open.byte as char
                ),
            );
        }
    }

    fn finish(&mut self) {
        let end = self.bytes.len();
        if let Some(innermost) = self.brackets.last().copied() {
            self.report_unclosed(innermost);
        }
        self.brackets.clear();
        if self.logical_line_has_tokens {
            self.push(TokenKind::Newline, end, end);
            self.logical_line_has_tokens = false;
        }
        for _ in 1..self.indents.len() {
            self.push(TokenKind::Dedent, end, end);
        }
        self.indents.truncate(1);
        self.push(TokenKind::EndOfFile, end, end);
    }
}

fn is_identifier_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_identifier_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && (c.is_alphanumeric() || is_combining_mark(c)))
}

/// The common combining marks (accents, Indic vowel signs and viramas, the
/// middle dot) that Python allows after an identifier's first character. std
/// has no general-category lookup, so these are the main blocks, not all of
/// Unicode's marks.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{00B7}' | '\u{0387}'
        | '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0487}'
        | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0900}'..='\u{0DFF}'
        | '\u{0E31}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// `r`, `b`, `f`, `u`, `rb`, `br`, `fr`, `rf` in any case.
fn is_string_prefix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "r" | "b" | "f" | "u" | "rb" | "br" | "fr" | "rf"
    )
}

fn string_flags_from_prefix(prefix: &str) -> StringFlags {
    let mut flags = StringFlags::default();
    for c in prefix.chars() {
        match c.to_ascii_lowercase() {
            'r' => flags.raw = true,
            'b' => flags.bytes = true,
            'f' => flags.format = true,
            _ => {}
        }
    }
    flags
}

/// A string token's text taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringLiteralText<'a> {
    pub prefix: &'a str,
    /// Between the quotes, escapes as written.
    pub body: &'a str,
    pub flags: StringFlags,
}

impl<'a> StringLiteralText<'a> {
    /// Splits a string token's text (`rb'...'`, `"""..."""`) into prefix and body.
    pub fn parse(text: &'a str) -> Self {
        let prefix_len = text.bytes().take_while(u8::is_ascii_alphabetic).count();
        let prefix = &text[..prefix_len];
        let mut flags = string_flags_from_prefix(prefix);
        let rest = &text[prefix_len..];
        let quote = rest.bytes().next().unwrap_or(b'"');
        let triple = [quote; 3];
        flags.triple_quoted = rest.len() >= 3 && rest.as_bytes()[..3] == triple;
        let quote_len = if flags.triple_quoted { 3 } else { 1 };
        let after_open = rest.get(quote_len.min(rest.len())..).unwrap_or("");
        let closing = &triple[..quote_len];
        flags.terminated = after_open.len() >= quote_len
            && after_open.as_bytes().ends_with(closing)
            && !ends_with_escaped_quote(after_open, quote_len);
        let body = if flags.terminated { &after_open[..after_open.len() - quote_len] } else { after_open };
        StringLiteralText { prefix, body, flags }
    }

    /// The value the literal denotes, or `None` for f-strings, whose value is only
    /// known at run time. Bytes are shown one character per byte.
    pub fn value(&self) -> Option<String> {
        if self.flags.format {
            None
        } else if self.flags.raw {
            Some(self.body.to_string())
        } else {
            Some(decode_escapes(self.body, self.flags.bytes))
        }
    }
}

/// True if the closing quote run is really an escaped quote plus a shorter run
/// (only possible for unterminated text such as `'abc\'`).
fn ends_with_escaped_quote(after_open: &str, quote_len: usize) -> bool {
    let bytes = after_open.as_bytes();
    let before_close = bytes.len() - quote_len;
    let backslashes = bytes[..before_close].iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 1
}

/// Resolves backslash escapes as Python does. Unknown escapes, and `\N{...}`
/// (which needs the Unicode name table), are kept as written.
pub fn decode_escapes(body: &str, is_bytes: bool) -> String {
    let mut value = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        let Some((_, escaped)) = chars.next() else {
            value.push('\\');
            break;
        };
        let simple = match escaped {
            '\n' => Some(None),
            '\r' => {
                if chars.peek().map(|&(_, c)| c) == Some('\n') {
                    chars.next();
                }
                Some(None)
            }
            '\\' | '\'' | '"' => Some(Some(escaped)),
            'a' => Some(Some('\x07')),
            'b' => Some(Some('\x08')),
            'f' => Some(Some('\x0c')),
            'n' => Some(Some('\n')),
            'r' => Some(Some('\r')),
            't' => Some(Some('\t')),
            'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(decoded) = simple {
            value.extend(decoded);
            continue;
        }
        let digits_start = i + 2;
        let (digit_count, radix) = match escaped {
            '0'..='7' => (3, 8),
            'x' => (2, 16),
            'u' if !is_bytes => (4, 16),
            'U' if !is_bytes => (8, 16),
            _ => (0, 0),
        };
        if radix == 0 {
            value.push('\\');
            value.push(escaped);
            continue;
        }
        // Octal escapes start at the escaped character itself and take up to three digits.
        let (from, wanted_exactly) = if radix == 8 { (i + 1, false) } else { (digits_start, true) };
        let digits: String = body
            .get(from..)
            .unwrap_or("")
            .chars()
            .take(digit_count)
            .take_while(|c| c.is_digit(radix))
            .collect();
        let decoded = u32::from_str_radix(&digits, radix).ok().and_then(char::from_u32);
        match decoded {
            Some(decoded) if !wanted_exactly || digits.len() == digit_count => {
                value.push(decoded);
                // The escaped character was already consumed; skip the rest of the digits.
                let already = if radix == 8 { 1 } else { 0 };
                for _ in already..digits.len() {
                    chars.next();
                }
            }
            _ => {
                value.push('\\');
                value.push(escaped);
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).0.into_iter().map(|t| t.kind).filter(|k| !k.is_trivia()).collect()
    }

    fn messages(src: &str) -> Vec<String> {
        tokenize(src).1.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn indentation_produces_indent_and_dedent() {
        use TokenKind::*;
        let src = "if x:\n    y\n\n    # c\nz\n";
        assert_eq!(
            kinds(src),
            vec![
                Keyword(self::Keyword::If), Name, Op(self::Op::Colon), Newline, Indent, Name, Newline, Dedent,
                Name, Newline, EndOfFile
            ]
        );
    }

    #[test]
    fn brackets_join_lines_and_backslash_continues() {
        use TokenKind::*;
        assert_eq!(kinds("x = (1,\n  2)\n").iter().filter(|k| **k == Newline).count(), 1);
        assert_eq!(kinds("x = 1 + \\\n  2\n").iter().filter(|k| **k == Newline).count(), 1);
    }

    #[test]
    fn numbers_and_their_errors() {
        for ok in ["0", "00", "1_000", "0x_1F", "0o17", "0b1", "1.5e-3j", ".5", "1.", "1e10", "3J"] {
            assert!(messages(ok).is_empty(), "{ok}: {:?}", messages(ok));
        }
        assert_eq!(messages("0x"), ["1:1: invalid hexadecimal literal"]);
        assert_eq!(messages("0o8"), ["1:1: invalid digit '8' in octal literal"]);
        assert_eq!(messages("1_"), ["1:1: invalid decimal literal"]);
        assert_eq!(messages("1abc"), ["1:1: invalid decimal literal"]);
        assert!(messages("09")[0].contains("leading zeros"));
        assert!(messages("1if x else 2").is_empty());
    }

    #[test]
    fn strings_prefixes_and_escapes() {
        let (tokens, errors) = tokenize("rb'\\x' F\"{a}\" '''x\n'''");
        assert!(errors.is_empty(), "{errors:?}");
        let kinds: Vec<_> = tokens.iter().map(|t| t.kind).collect();
        assert!(matches!(kinds[0], TokenKind::String(StringFlags { raw: true, bytes: true, .. })));
        assert!(matches!(kinds[1], TokenKind::String(StringFlags { format: true, .. })));
        assert!(matches!(kinds[2], TokenKind::String(StringFlags { triple_quoted: true, terminated: true, .. })));
        let literal = StringLiteralText::parse("'a\\tb\\x41\\u00e9\\101\\q'");
        assert_eq!(literal.value().as_deref(), Some("a\tbAéA\\q"));
        assert_eq!(StringLiteralText::parse("r'\\n'").value().as_deref(), Some("\\n"));
    }

    #[test]
    fn string_and_bracket_errors_use_cpython_wording() {
        assert_eq!(messages("x = \"abc\ny = 2\n"), ["1:5: unterminated string literal (detected at line 1)"]);
        assert_eq!(
            messages("x = '''abc\ny = 2\n"),
            ["1:5: unterminated triple-quoted string literal (detected at line 2)"]
        );
        assert_eq!(messages("x = foo(1,\n"), ["1:8: '(' was never closed"]);
        assert_eq!(messages("x = 1)\n"), ["1:6: unmatched ')'"]);
        assert_eq!(
            messages("x = (1]\n"),
            ["1:7: closing parenthesis ']' does not match opening parenthesis '('"]
        );
        assert_eq!(messages("f'{a'"), ["1:3: f-string: expecting '}'"]);
        assert_eq!(messages("a € b"), ["1:3: invalid character '€' (U+20AC)"]);
    }

    #[test]
    fn indentation_errors() {
        assert_eq!(
            messages("if x:\n        a\n    b\n"),
            ["3:5: unindent does not match any outer indentation level"]
        );
        assert_eq!(
            messages("if x:\n        a\n\tb\n"),
            ["3:1: inconsistent use of tabs and spaces in indentation"]
        );
        assert!(messages("if x:\n\ta\n\tb\n").is_empty(), "consistent tabs are fine");
    }

    #[test]
    fn unclosed_bracket_before_a_def_is_closed_there() {
        let (tokens, errors) = tokenize("x = f(1,\ndef g():\n    pass\n");
        assert_eq!(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["1:6: '(' was never closed"]);
        let newlines = tokens.iter().filter(|t| t.kind == TokenKind::Newline).count();
        assert_eq!(newlines, 3);
    }
}
