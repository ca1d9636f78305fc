//! Syntax highlighting: the Python tokenizer's tokens classified for the
//! editor (keywords, types, calls, keyword arguments, decorators, the
//! expressions inside f-strings), and small line-based highlighters for the
//! other files of a project (`alembic.ini`, `.env`, `script.py.mako`,
//! `requirements.txt`, Markdown).
//!
//! The spans cover the text exactly: in order, contiguous, never empty, on
//! character boundaries; what has no colour is [`SpanKind::Plain`].

use crate::engine::python::lexer::{Keyword, Op, Token, TokenKind};
use crate::engine::python::tokenize;

/// What a piece of text is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanKind {
    Plain,
    Keyword,
    /// `True`, `False`, `None`, `ALL_CAPS` names.
    Constant,
    /// Python's builtins (`int`, `print`), `self`, `cls`, `__dunder__` names.
    Builtin,
    /// Capitalized names: classes (`Column`, `String`, `Base`, `Mapped`).
    Type,
    /// A name that is called or defined with `def`.
    Function,
    /// `@app.get` and the like.
    Decorator,
    /// A keyword argument's name (`nullable=` in a call).
    Parameter,
    Name,
    String,
    Number,
    Comment,
    Operator,
    Punctuation,
    /// A character that starts no token.
    Error,
}

impl SpanKind {
    /// A short stable name, used as the CSS class suffix (`tok-keyword`).
    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Plain => "plain",
            SpanKind::Keyword => "keyword",
            SpanKind::Constant => "constant",
            SpanKind::Builtin => "builtin",
            SpanKind::Type => "type",
            SpanKind::Function => "function",
            SpanKind::Decorator => "decorator",
            SpanKind::Parameter => "parameter",
            SpanKind::Name => "name",
            SpanKind::String => "string",
            SpanKind::Number => "number",
            SpanKind::Comment => "comment",
            SpanKind::Operator => "operator",
            SpanKind::Punctuation => "punctuation",
            SpanKind::Error => "error",
        }
    }
}

/// A highlighted byte range `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

/// How deep f-string expressions are highlighted inside one another.
const MAX_FSTRING_DEPTH: usize = 3;

/// Highlights Python source.
pub fn highlight(source: &str) -> Vec<Span> {
    let mut out = Spans::new(source);
    python_into(source, 0, 0, &mut out);
    out.finish()
}

/// Highlights a project file by its name: Python for `.py` (and `.pyi`),
/// a small highlighter for the other text files, plain text otherwise.
pub fn highlight_file(path: &str, source: &str) -> Vec<Span> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let mut out = Spans::new(source);
    match extension.as_str() {
        "py" | "pyi" => python_into(source, 0, 0, &mut out),
        "ini" | "cfg" | "toml" => ini_into(source, &mut out),
        "mako" => mako_into(source, &mut out),
        "md" | "markdown" => markdown_into(source, &mut out),
        "txt" | "in" => hash_comments_into(source, &mut out),
        _ if name == ".env" || name.starts_with(".env.") || extension == "env" => dotenv_into(source, &mut out),
        _ => {}
    }
    out.finish()
}

/// Collects spans in order and fills the gaps with plain text.
struct Spans<'s> {
    source: &'s str,
    spans: Vec<Span>,
    /// Everything before this offset is covered.
    covered: usize,
}

impl<'s> Spans<'s> {
    fn new(source: &'s str) -> Self {
        Spans { source, spans: Vec::new(), covered: 0 }
    }

    /// Adds `start..end` as `kind`. Ranges before what is covered already,
    /// empty, out of bounds or not on character boundaries are dropped or
    /// trimmed: the result stays a partition of the text whatever comes in.
    fn push(&mut self, start: usize, end: usize, kind: SpanKind) {
        let end = end.min(self.source.len());
        let start = start.max(self.covered);
        if start >= end || !self.source.is_char_boundary(start) || !self.source.is_char_boundary(end) {
            return;
        }
        if start > self.covered {
            let covered = self.covered;
            self.add(covered, start, SpanKind::Plain);
        }
        self.add(start, end, kind);
    }

    fn add(&mut self, start: usize, end: usize, kind: SpanKind) {
        match self.spans.last_mut() {
            Some(last) if last.kind == kind && last.end == start => last.end = end,
            _ => self.spans.push(Span { start, end, kind }),
        }
        self.covered = end;
    }

    fn finish(mut self) -> Vec<Span> {
        let len = self.source.len();
        if self.covered < len {
            let covered = self.covered;
            self.add(covered, len, SpanKind::Plain);
        }
        self.spans
    }
}

/// Builtins that are rarely variable names (`id`, `type` and `filter` often are).
const BUILTINS: &[&str] = &[
    "all", "any", "bool", "bytes", "classmethod", "dict", "enumerate", "float", "getattr", "hasattr", "int",
    "isinstance", "len", "list", "max", "min", "object", "open", "print", "property", "range", "repr", "set",
    "setattr", "sorted", "staticmethod", "str", "sum", "super", "tuple", "zip", "self", "cls",
];

fn is_all_caps(word: &str) -> bool {
    word.len() > 1
        && word.chars().any(|c| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// What a name is, from its spelling and its neighbours.
fn name_kind(word: &str, previous: Option<TokenKind>, next: Option<TokenKind>, in_call: bool) -> SpanKind {
    match previous {
        Some(TokenKind::Keyword(Keyword::Def)) => return SpanKind::Function,
        Some(TokenKind::Keyword(Keyword::Class)) => return SpanKind::Type,
        _ => {}
    }
    let after_dot = previous == Some(TokenKind::Op(Op::Dot));
    if in_call && !after_dot && next == Some(TokenKind::Op(Op::Equal)) {
        return SpanKind::Parameter;
    }
    if is_all_caps(word) {
        return SpanKind::Constant;
    }
    if word.starts_with(|c: char| c.is_uppercase()) {
        return SpanKind::Type;
    }
    if word.len() > 4 && word.starts_with("__") && word.ends_with("__") {
        return SpanKind::Builtin;
    }
    if next == Some(TokenKind::Op(Op::LeftParen)) {
        return SpanKind::Function;
    }
    if !after_dot && BUILTINS.contains(&word) {
        return SpanKind::Builtin;
    }
    SpanKind::Name
}

fn is_layout(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Comment
            | TokenKind::NonLogicalNewline
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile
    )
}

/// Highlights `source` (a file, or an f-string expression at `base` in the file).
fn python_into(source: &str, base: usize, depth: usize, out: &mut Spans<'_>) {
    let (tokens, _) = tokenize(source);
    // The significant tokens (no comments or layout), for looking around.
    let significant: Vec<usize> = (0..tokens.len()).filter(|&i| !is_layout(tokens[i].kind)).collect();
    let mut brackets: Vec<Op> = Vec::new();
    let mut in_decorator = false;
    let mut previous: Option<TokenKind> = None;
    let mut next_significant = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        let Token { kind, span } = *token;
        let (start, end) = (base + span.start, base + span.end);
        while next_significant < significant.len() && significant[next_significant] <= i {
            next_significant += 1;
        }
        let next = significant.get(next_significant).map(|&j| tokens[j].kind);
        let kind_here = match kind {
            TokenKind::Name => {
                let word = span.text(source);
                if in_decorator {
                    SpanKind::Decorator
                } else {
                    let in_call = brackets.last() == Some(&Op::LeftParen);
                    name_kind(word, previous, next, in_call)
                }
            }
            TokenKind::Keyword(Keyword::True | Keyword::False | Keyword::None) => SpanKind::Constant,
            TokenKind::Keyword(_) => SpanKind::Keyword,
            TokenKind::Number(_) => SpanKind::Number,
            TokenKind::String(flags) => {
                if flags.format && depth < MAX_FSTRING_DEPTH {
                    format_string_into(span.text(source), start, flags.triple_quoted, depth, out);
                    previous = Some(kind);
                    continue;
                }
                SpanKind::String
            }
            TokenKind::Comment => SpanKind::Comment,
            TokenKind::Error => SpanKind::Error,
            TokenKind::Op(op) => {
                let at_line_start = matches!(previous, None | Some(TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent));
                match op {
                    Op::At if at_line_start => {
                        in_decorator = true;
                        SpanKind::Decorator
                    }
                    Op::Dot if in_decorator => SpanKind::Decorator,
                    Op::LeftParen | Op::LeftBracket | Op::LeftBrace => {
                        brackets.push(op);
                        in_decorator = false;
                        SpanKind::Punctuation
                    }
                    Op::RightParen | Op::RightBracket | Op::RightBrace => {
                        brackets.pop();
                        SpanKind::Punctuation
                    }
                    Op::Comma | Op::Colon | Op::Semicolon | Op::Dot => SpanKind::Punctuation,
                    _ => SpanKind::Operator,
                }
            }
            TokenKind::Newline => {
                in_decorator = false;
                SpanKind::Plain
            }
            TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent | TokenKind::EndOfFile => {
                SpanKind::Plain
            }
        };
        out.push(start, end, kind_here);
        if !is_layout(kind) {
            previous = Some(kind);
        }
    }
}

/// An f-string: its text as a string, each `{expression}` highlighted as Python.
fn format_string_into(text: &str, base: usize, triple_quoted: bool, depth: usize, out: &mut Spans<'_>) {
    let bytes = text.as_bytes();
    let quote_at = bytes.iter().position(|b| matches!(b, b'\'' | b'"')).unwrap_or(0);
    let quote_len = if triple_quoted { 3 } else { 1 };
    let body_start = (quote_at + quote_len).min(text.len());
    let quote = bytes.get(quote_at).copied().unwrap_or(b'"');
    // The closing quotes, when the literal is terminated.
    let triple = [quote; 3];
    let closing = if triple_quoted { &triple[..] } else { &triple[..1] };
    let body_end = if text.len() >= body_start + closing.len() && text.as_bytes().ends_with(closing) {
        text.len() - closing.len()
    } else {
        text.len()
    };
    let mut i = body_start;
    let mut literal_start = 0;
    while i < body_end {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'\\' => i += 2,
            b'{' => {
                out.push(base + literal_start, base + i, SpanKind::String);
                out.push(base + i, base + i + 1, SpanKind::Punctuation);
                let (expression_end, field_end) = replacement_field(bytes, i + 1, body_end);
                if let Some(expression) = text.get(i + 1..expression_end) {
                    python_into(expression, base + i + 1, depth + 1, out);
                }
                // A conversion or format spec (`!r`, `:>10`) reads as string text.
                let closed = field_end <= body_end && bytes.get(field_end - 1) == Some(&b'}');
                let spec_end = if closed { field_end - 1 } else { field_end };
                out.push(base + expression_end, base + spec_end, SpanKind::String);
                if closed {
                    out.push(base + field_end - 1, base + field_end, SpanKind::Punctuation);
                }
                i = field_end;
                literal_start = i;
            }
            _ => i += 1,
        }
    }
    out.push(base + literal_start, base + text.len(), SpanKind::String);
}

/// In an f-string body, the field opened before `start`: where its
/// expression ends (a `!`, `:` or `}` at bracket depth 0) and the offset
/// after its closing `}` (or `end` when it has none).
fn replacement_field(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut depth = 0usize;
    let mut expression_end = None;
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' if depth == 0 => return (expression_end.unwrap_or(i), i + 1),
            b'}' => depth -= 1,
            b'!' if depth == 0 && expression_end.is_none() && bytes.get(i + 1) != Some(&b'=') => expression_end = Some(i),
            b':' if depth == 0 && expression_end.is_none() => expression_end = Some(i),
            quote @ (b'\'' | b'"') if expression_end.is_none() => {
                i += 1;
                while i < end && bytes[i] != quote {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    (expression_end.unwrap_or(end), end)
}

/// The lines of `source` with their start offsets (line breaks excluded).
fn lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    source.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

fn leading_space(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// `alembic.ini`: sections, keys, `%(name)s` interpolations, comments.
fn ini_into(source: &str, out: &mut Spans<'_>) {
    for (start, line) in lines(source) {
        let indent = leading_space(line);
        let body = &line[indent..];
        let at = start + indent;
        if body.starts_with('#') || body.starts_with(';') {
            out.push(at, at + body.len(), SpanKind::Comment);
        } else if body.starts_with('[') {
            out.push(at, at + body.len(), SpanKind::Type);
        } else if indent == 0 {
            match body.find(['=', ':']) {
                Some(separator) => {
                    out.push(at, at + body[..separator].trim_end().len(), SpanKind::Parameter);
                    out.push(at + separator, at + separator + 1, SpanKind::Operator);
                    interpolations_into(&body[separator + 1..], at + separator + 1, out);
                }
                None => interpolations_into(body, at, out),
            }
        } else {
            interpolations_into(body, at, out);
        }
    }
}

/// ConfigParser's `%(name)s` (and `%%`) in a value.
fn interpolations_into(value: &str, base: usize, out: &mut Spans<'_>) {
    let mut i = 0;
    while let Some(found) = value[i..].find('%') {
        let at = i + found;
        let rest = &value[at..];
        let len = if rest.starts_with("%%") {
            2
        } else if rest.starts_with("%(") {
            match rest.find(')') {
                Some(close) => close + 1 + rest[close + 1..].chars().next().map_or(0, char::len_utf8),
                None => 1,
            }
        } else {
            1
        };
        if len > 1 {
            out.push(base + at, base + at + len, SpanKind::Builtin);
        }
        i = at + len;
    }
}

/// `.env`: `KEY=value` lines and comments.
fn dotenv_into(source: &str, out: &mut Spans<'_>) {
    for (start, line) in lines(source) {
        let indent = leading_space(line);
        let body = &line[indent..];
        let at = start + indent;
        if body.starts_with('#') {
            out.push(at, at + body.len(), SpanKind::Comment);
        } else if let Some(equals) = body.find('=') {
            out.push(at, at + equals, SpanKind::Parameter);
            out.push(at + equals, at + equals + 1, SpanKind::Operator);
            out.push(at + equals + 1, at + body.len(), SpanKind::String);
        }
    }
}

/// Text with `#` comments (`requirements.txt`).
fn hash_comments_into(source: &str, out: &mut Spans<'_>) {
    for (start, line) in lines(source) {
        if let Some(hash) = line.find('#') {
            out.push(start + hash, start + line.len(), SpanKind::Comment);
        }
    }
}

/// Mako templates (`script.py.mako`): `${...}` expressions, `<% %>` and `%`
/// control lines, `##` comments; the rest is the Python being generated.
fn mako_into(source: &str, out: &mut Spans<'_>) {
    for (start, line) in lines(source) {
        let body = line.trim_start();
        let at = start + leading_space(line);
        if body.starts_with("##") {
            out.push(at, at + body.len(), SpanKind::Comment);
            continue;
        }
        if body.starts_with('%') || body.starts_with("<%") || body.starts_with("</%") {
            out.push(at, at + body.len(), SpanKind::Keyword);
            continue;
        }
        let mut i = 0;
        while let Some(found) = line[i..].find("${") {
            let open = i + found;
            let close = line[open..].find('}').map_or(line.len(), |c| open + c + 1);
            out.push(start + open, start + close, SpanKind::Decorator);
            i = close;
        }
    }
}

/// Markdown: headings, fenced code, `inline code`.
fn markdown_into(source: &str, out: &mut Spans<'_>) {
    let mut in_fence = false;
    for (start, line) in lines(source) {
        let body = line.trim_start();
        if body.starts_with("```") || body.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(start, start + line.len(), SpanKind::Comment);
        } else if in_fence {
            out.push(start, start + line.len(), SpanKind::String);
        } else if body.starts_with('#') {
            out.push(start, start + line.len(), SpanKind::Keyword);
        } else {
            let mut i = 0;
            while let Some(found) = line[i..].find('`') {
                let open = i + found;
                let Some(close) = line[open + 1..].find('`').map(|c| open + 1 + c + 1) else { break };
                out.push(start + open, start + close, SpanKind::String);
                i = close;
            }
        }
    }
}
