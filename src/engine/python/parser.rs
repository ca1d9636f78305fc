//! Builds the syntax tree from the tokens by recursive descent, recovering from
//! each error at the next logical line so that every broken statement is reported.
//!
//! Guarantees, whatever the input: no panic, progress on every loop iteration
//! (so no endless loop), and recursion bounded by [`MAX_NESTING`].

use super::ast::*;
use super::error::{ErrorOrigin, PendingError, SyntaxError};
use super::lexer::{tokenize_with_pending_errors, Keyword, Op, StringLiteralText, Token, TokenKind};
use super::position::{LineIndex, Span};

/// How deep the syntax tree may grow. Chains such as `a.b.c` or `x + y + z` are
/// read in a loop but nest in the tree, and everything that walks the tree
/// (including `Drop`) recurses; this bounds that recursion.
pub const MAX_TREE_DEPTH: usize = 500;

/// How deeply brackets, blocks and right-recursive operators (`not`, unary
/// minus, `**`, `lambda`, `... if ... else`) may nest, together. This bounds the
/// stack, which is 1 MiB in wasm: a bracket level costs up to ~3 KiB of stack in
/// an optimized build (~6 KiB unoptimized). CPython allows 200 brackets; real
/// project files stay far below either limit.
pub const MAX_NESTING: usize = super::lexer::MAX_BRACKET_DEPTH;

/// Parses a whole file; see [`super::parse_module`].
pub(crate) fn parse(src: &str) -> (Module, Vec<SyntaxError>) {
    let (all_tokens, lexer_errors) = tokenize_with_pending_errors(src);
    let tokens: Vec<Token> = all_tokens.into_iter().filter(|token| !token.kind.is_trivia()).collect();
    let mut parser = Parser::new(src, tokens);
    let body = parser.parse_statements(false);
    let module = Module { body, span: Span::new(0, src.len()) };
    let mut pending = lexer_errors;
    pending.append(&mut parser.errors);
    (module, choose_errors_to_report(src, pending))
}

/// Keeps one error per logical line: the tokenizer's if it found one, else an
/// unclosed bracket (unless the parser failed before reaching it), else the parser's.
fn choose_errors_to_report(src: &str, mut pending: Vec<PendingError>) -> Vec<SyntaxError> {
    pending.sort_by_key(|error| (error.logical_line, error.offset));
    let mut chosen: Vec<PendingError> = Vec::new();
    let mut rest = pending.into_iter().peekable();
    while let Some(first) = rest.next() {
        let mut line_errors = vec![first];
        while let Some(next) = rest.next_if(|next| next.logical_line == line_errors[0].logical_line) {
            line_errors.push(next);
        }
        let earliest = |origin: ErrorOrigin| line_errors.iter().find(|error| error.origin == origin);
        let best = match (
            earliest(ErrorOrigin::Tokenizer),
            earliest(ErrorOrigin::UnclosedBracket),
            earliest(ErrorOrigin::Parser),
        ) {
            (Some(tokenizer), _, _) => tokenizer,
            (None, Some(bracket), Some(parser)) if parser.offset < bracket.offset => parser,
            (None, Some(bracket), _) => bracket,
            (None, None, Some(parser)) => parser,
            (None, None, None) => continue,
        };
        chosen.push(best.clone());
    }
    // An error at the very end of a file that ends with a line break belongs to
    // the last line, not to an empty line after it.
    let line_break_at_end = if src.ends_with("\r\n") { 2 } else { usize::from(src.ends_with(['\n', '\r'])) };
    for error in &mut chosen {
        if error.offset == src.len() {
            error.offset -= line_break_at_end;
        }
    }
    chosen.sort_by_key(|error| error.offset);
    let index = LineIndex::new(src);
    chosen.into_iter().map(|error| SyntaxError::at(&index, error.offset, error.message)).collect()
}

/// Where an assignment target appears; CPython words each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetContext {
    /// `target = value`; `single` when there is exactly one `=`.
    Assign { single: bool },
    AugAssign,
    Annotated,
    /// `for`, `with ... as`, comprehensions.
    Bind,
    Delete,
}

/// What a nesting level is, for the "too deep" message.
#[derive(Debug, Clone, Copy)]
enum Nesting {
    Bracket,
    Block,
    Expression,
}

struct Parser<'a> {
    src: &'a str,
    index: LineIndex<'a>,
    tokens: Vec<Token>,
    pos: usize,
    /// End of the last consumed token: where a node being finished ends.
    previous_end: usize,
    errors: Vec<PendingError>,
    /// An error was reported on this logical line: further ones would be echoes.
    recovering: bool,
    logical_line: usize,
    /// Recursion depth of the parser, bounded by [`MAX_NESTING`].
    nesting: usize,
    /// Depth of the tree being built, bounded by [`MAX_TREE_DEPTH`].
    tree_depth: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, mut tokens: Vec<Token>) -> Self {
        if tokens.last().map(|token| token.kind) != Some(TokenKind::EndOfFile) {
            tokens.push(Token { kind: TokenKind::EndOfFile, span: Span::empty(src.len()) });
        }
        Parser {
            src,
            index: LineIndex::new(src),
            tokens,
            pos: 0,
            previous_end: 0,
            errors: Vec::new(),
            recovering: false,
            logical_line: 0,
            nesting: 0,
            tree_depth: 0,
        }
    }

    // ----- token access -------------------------------------------------

    fn token(&self) -> Token {
        self.nth_token(0)
    }

    fn nth_token(&self, n: usize) -> Token {
        let last = self.tokens.len().saturating_sub(1);
        self.tokens
            .get((self.pos + n).min(last))
            .copied()
            .unwrap_or(Token { kind: TokenKind::EndOfFile, span: Span::empty(self.src.len()) })
    }

    fn kind(&self) -> TokenKind {
        self.token().kind
    }

    fn nth(&self, n: usize) -> TokenKind {
        self.nth_token(n).kind
    }

    fn start(&self) -> usize {
        self.token().span.start
    }

    fn at_op(&self, op: Op) -> bool {
        self.kind() == TokenKind::Op(op)
    }

    fn at_keyword(&self, keyword: Keyword) -> bool {
        self.kind() == TokenKind::Keyword(keyword)
    }

    fn at_line_end(&self) -> bool {
        matches!(self.kind(), TokenKind::Newline | TokenKind::EndOfFile)
    }

    /// Consumes the current token; at the end of input it stays there.
    fn bump(&mut self) -> Token {
        let token = self.token();
        if token.kind != TokenKind::EndOfFile {
            self.pos += 1;
            self.previous_end = token.span.end;
        }
        if token.kind == TokenKind::Newline {
            self.logical_line += 1;
            self.recovering = false;
        }
        token
    }

    fn eat_op(&mut self, op: Op) -> bool {
        let matched = self.at_op(op);
        if matched {
            self.bump();
        }
        matched
    }

    fn eat_keyword(&mut self, keyword: Keyword) -> bool {
        let matched = self.at_keyword(keyword);
        if matched {
            self.bump();
        }
        matched
    }

    fn text(&self, span: Span) -> &'a str {
        span.text(self.src)
    }

    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.previous_end.max(start))
    }

    // ----- errors and recovery -------------------------------------------

    fn error_at(&mut self, span: Span, message: impl Into<String>) {
        if self.recovering {
            return;
        }
        self.recovering = true;
        self.errors.push(PendingError {
            offset: span.start,
            message: message.into(),
            origin: ErrorOrigin::Parser,
            logical_line: self.logical_line,
        });
    }

    fn error_here(&mut self, message: impl Into<String>) {
        self.error_at(self.token().span, message);
    }

    /// Skips the rest of a broken logical line; if an indented block follows (the
    /// line was probably a block header), reads it too and returns its statements.
    fn recover_line_then_block(&mut self) -> Vec<Stmt> {
        while !self.at_line_end() {
            self.bump();
        }
        if self.kind() == TokenKind::Newline {
            self.bump();
        }
        if self.kind() == TokenKind::Indent {
            self.parse_indented_block()
        } else {
            Vec::new()
        }
    }

    /// Enters one nesting level; false (with an error) when too deep.
    fn enter(&mut self, nesting: Nesting) -> bool {
        if self.nesting >= MAX_NESTING {
            let message = match nesting {
                Nesting::Bracket => "too many nested parentheses",
                Nesting::Block => "too many levels of indentation",
                Nesting::Expression => "too many nested expressions",
            };
            self.error_here(message);
            return false;
        }
        if !self.deepen_tree() {
            return false;
        }
        self.nesting += 1;
        true
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
        self.tree_depth = self.tree_depth.saturating_sub(1);
    }

    /// Adds one level to the tree being built; false (with an error) when too deep.
    /// Chains call this per link and give their levels back with [`Self::shallow_tree`].
    fn deepen_tree(&mut self) -> bool {
        if self.tree_depth >= MAX_TREE_DEPTH {
            self.error_here("too many nested expressions");
            return false;
        }
        self.tree_depth += 1;
        true
    }

    fn shallow_tree(&mut self, levels: usize) {
        self.tree_depth = self.tree_depth.saturating_sub(levels);
    }

    fn error_expr(&self) -> Expr {
        Expr::new(ExprKind::Error, Span::empty(self.start()))
    }

    // ----- statements ------------------------------------------------------

    /// Statements up to the end of the block (a DEDENT) or of the file.
    fn parse_statements(&mut self, in_block: bool) -> Vec<Stmt> {
        let mut body = Vec::new();
        // DEDENTs owed to unexpected INDENTs, whose lines were read as part of this block.
        let mut unexpected_indents = 0usize;
        loop {
            match self.kind() {
                TokenKind::EndOfFile => break,
                TokenKind::Dedent if unexpected_indents > 0 => {
                    unexpected_indents -= 1;
                    self.bump();
                }
                TokenKind::Dedent if in_block => break,
                TokenKind::Dedent | TokenKind::Newline => {
                    self.bump();
                }
                TokenKind::Indent => {
                    self.error_at(self.nth_token(1).span, "unexpected indent");
                    self.bump();
                    unexpected_indents += 1;
                }
                _ => {
                    let before = self.pos;
                    self.parse_statement(&mut body);
                    if self.pos == before {
                        self.bump();
                    }
                }
            }
        }
        body
    }

    /// After an INDENT: the statements up to its DEDENT.
    fn parse_indented_block(&mut self) -> Vec<Stmt> {
        self.bump();
        if !self.enter(Nesting::Block) {
            self.skip_rest_of_block();
            return Vec::new();
        }
        let body = self.parse_statements(true);
        self.leave();
        if self.kind() == TokenKind::Dedent {
            self.bump();
        }
        body
    }

    fn skip_rest_of_block(&mut self) {
        let mut open_blocks = 1usize;
        loop {
            match self.kind() {
                TokenKind::EndOfFile => return,
                TokenKind::Indent => open_blocks += 1,
                TokenKind::Dedent => {
                    open_blocks -= 1;
                    if open_blocks == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn parse_statement(&mut self, body: &mut Vec<Stmt>) {
        let statement = match self.kind() {
            TokenKind::Keyword(Keyword::If) => self.parse_if(),
            TokenKind::Keyword(Keyword::While) => self.parse_while(),
            TokenKind::Keyword(Keyword::For) => self.parse_for(self.start(), false),
            TokenKind::Keyword(Keyword::Try) => self.parse_try(),
            TokenKind::Keyword(Keyword::With) => self.parse_with(self.start(), false),
            TokenKind::Keyword(Keyword::Def) => self.parse_function(self.start(), Vec::new(), false),
            TokenKind::Keyword(Keyword::Class) => self.parse_class(self.start(), Vec::new()),
            TokenKind::Keyword(Keyword::Async)
                if matches!(self.nth(1), TokenKind::Keyword(Keyword::Def | Keyword::With | Keyword::For)) =>
            {
                let start = self.start();
                self.bump();
                match self.kind() {
                    TokenKind::Keyword(Keyword::Def) => self.parse_function(start, Vec::new(), true),
                    TokenKind::Keyword(Keyword::With) => self.parse_with(start, true),
                    _ => self.parse_for(start, true),
                }
            }
            TokenKind::Op(Op::At) => self.parse_decorated(),
            TokenKind::Keyword(Keyword::Elif | Keyword::Else | Keyword::Except | Keyword::Finally) => {
                // A clause with no statement to belong to.
                let start = self.start();
                self.error_here("invalid syntax");
                let orphaned_body = self.recover_line_then_block();
                Stmt { kind: StmtKind::Error { body: orphaned_body }, span: self.span_from(start) }
            }
            _ => {
                self.parse_simple_statements(body);
                return;
            }
        };
        body.push(statement);
    }

    /// `small; small; ...` up to and including the NEWLINE.
    fn parse_simple_statements(&mut self, body: &mut Vec<Stmt>) {
        loop {
            body.push(self.parse_small_statement());
            if !self.eat_op(Op::Semicolon) || self.at_line_end() {
                break;
            }
        }
        match self.kind() {
            TokenKind::Newline => {
                self.bump();
            }
            TokenKind::EndOfFile => {}
            _ => {
                let start = self.start();
                match body.last().map(|stmt| &stmt.kind) {
                    // Python 2's `print "hello"`, common in old tutorials.
                    Some(StmtKind::Expr(Expr { kind: ExprKind::Name(name), span }))
                        if (name == "print" || name == "exec") && self.at_expression_start() =>
                    {
                        let message = format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?");
                        self.error_at(*span, message);
                    }
                    _ => self.error_here("invalid syntax"),
                }
                let block = self.recover_line_then_block();
                body.push(Stmt { kind: StmtKind::Error { body: block }, span: self.span_from(start) });
            }
        }
    }

    fn parse_small_statement(&mut self) -> Stmt {
        let start = self.start();
        let kind = match self.kind() {
            TokenKind::Keyword(Keyword::Pass) => {
                self.bump();
                StmtKind::Pass
            }
            TokenKind::Keyword(Keyword::Break) => {
                self.bump();
                StmtKind::Break
            }
            TokenKind::Keyword(Keyword::Continue) => {
                self.bump();
                StmtKind::Continue
            }
            TokenKind::Keyword(Keyword::Return) => {
                self.bump();
                StmtKind::Return(self.at_expression_start().then(|| self.parse_star_expressions()))
            }
            TokenKind::Keyword(Keyword::Raise) => self.parse_raise(),
            TokenKind::Keyword(Keyword::Global) => {
                self.bump();
                StmtKind::Global(self.parse_name_list())
            }
            TokenKind::Keyword(Keyword::Nonlocal) => {
                self.bump();
                StmtKind::Nonlocal(self.parse_name_list())
            }
            TokenKind::Keyword(Keyword::Del) => self.parse_del(),
            TokenKind::Keyword(Keyword::Assert) => {
                self.bump();
                let test = self.parse_test();
                let msg = self.eat_op(Op::Comma).then(|| self.parse_test());
                StmtKind::Assert { test, msg }
            }
            TokenKind::Keyword(Keyword::Import) => self.parse_import(),
            TokenKind::Keyword(Keyword::From) => self.parse_from_import(),
            _ => self.parse_expression_statement(),
        };
        Stmt { kind, span: self.span_from(start) }
    }

    fn parse_raise(&mut self) -> StmtKind {
        self.bump();
        if !self.at_expression_start() {
            return StmtKind::Raise { exc: None, cause: None };
        }
        let exc = self.parse_test();
        let cause = self.eat_keyword(Keyword::From).then(|| self.parse_test());
        StmtKind::Raise { exc: Some(exc), cause }
    }

    fn parse_del(&mut self) -> StmtKind {
        self.bump();
        let targets = match self.parse_star_expressions() {
            Expr { kind: ExprKind::Tuple { elements, parenthesized: false }, .. } => elements,
            single => vec![single],
        };
        for target in &targets {
            self.check_target(target, TargetContext::Delete);
        }
        StmtKind::Delete(targets)
    }

    fn parse_name_list(&mut self) -> Vec<Identifier> {
        let mut names = vec![self.expect_identifier()];
        while self.eat_op(Op::Comma) {
            names.push(self.expect_identifier());
        }
        names
    }

    fn expect_identifier(&mut self) -> Identifier {
        if self.kind() == TokenKind::Name {
            let token = self.bump();
            return Identifier { name: self.text(token.span).to_string(), span: token.span };
        }
        self.error_here("invalid syntax");
        Identifier { name: String::new(), span: Span::empty(self.start()) }
    }

    /// `a.b.c` as one identifier.
    fn parse_dotted_name(&mut self) -> Identifier {
        let first = self.expect_identifier();
        let mut name = first.name;
        let mut span = first.span;
        while self.at_op(Op::Dot) {
            self.bump();
            let part = self.expect_identifier();
            name.push('.');
            name.push_str(&part.name);
            span = span.cover(part.span);
        }
        Identifier { name, span }
    }

    fn parse_alias(&mut self, dotted: bool) -> Alias {
        let start = self.start();
        let name = if dotted { self.parse_dotted_name() } else { self.expect_identifier() };
        let asname = self.eat_keyword(Keyword::As).then(|| self.expect_identifier());
        Alias { name, asname, span: self.span_from(start) }
    }

    fn parse_import(&mut self) -> StmtKind {
        self.bump();
        let mut names = vec![self.parse_alias(true)];
        while self.eat_op(Op::Comma) {
            names.push(self.parse_alias(true));
        }
        StmtKind::Import { names }
    }

    fn parse_from_import(&mut self) -> StmtKind {
        self.bump();
        let mut level = 0;
        loop {
            if self.eat_op(Op::Dot) {
                level += 1;
            } else if self.eat_op(Op::Ellipsis) {
                level += 3;
            } else {
                break;
            }
        }
        let module = (level == 0 || self.kind() == TokenKind::Name).then(|| self.parse_dotted_name());
        if !self.eat_keyword(Keyword::Import) {
            self.error_here("invalid syntax");
            return StmtKind::ImportFrom { level, module, names: Vec::new() };
        }
        if self.at_op(Op::Star) {
            let star = self.bump();
            let name = Identifier { name: "*".into(), span: star.span };
            return StmtKind::ImportFrom { level, module, names: vec![Alias { name, asname: None, span: star.span }] };
        }
        let parenthesized = self.eat_op(Op::LeftParen);
        let mut names = vec![self.parse_alias(false)];
        while self.at_op(Op::Comma) {
            let comma = self.bump();
            if parenthesized && self.at_op(Op::RightParen) {
                break;
            }
            if !parenthesized && self.at_line_end() {
                self.error_at(comma.span, "trailing comma not allowed without surrounding parentheses");
                break;
            }
            names.push(self.parse_alias(false));
        }
        if parenthesized {
            self.expect_closing(Op::RightParen, None);
        }
        StmtKind::ImportFrom { level, module, names }
    }

    /// Expression statements and every kind of assignment.
    fn parse_expression_statement(&mut self) -> StmtKind {
        let first = self.parse_assignment_value();
        if self.at_op(Op::Colon) {
            self.check_target(&first, TargetContext::Annotated);
            self.bump();
            let annotation = self.parse_test();
            let value = self.eat_op(Op::Equal).then(|| self.parse_assignment_value());
            return StmtKind::AnnAssign { target: first, annotation, value };
        }
        if let Some(op) = augmented_assignment_op(self.kind()) {
            self.check_target(&first, TargetContext::AugAssign);
            self.bump();
            let value = self.parse_assignment_value();
            return StmtKind::AugAssign { target: first, op, value };
        }
        if !self.at_op(Op::Equal) {
            return StmtKind::Expr(first);
        }
        let mut targets = vec![first];
        while self.eat_op(Op::Equal) {
            targets.push(self.parse_assignment_value());
        }
        let value = targets.pop().unwrap_or_else(|| self.error_expr());
        let single = targets.len() == 1;
        for target in &targets {
            self.check_target(target, TargetContext::Assign { single });
        }
        StmtKind::Assign { targets, value }
    }

    /// The right-hand side of `=`: a `yield` or an unparenthesized tuple.
    fn parse_assignment_value(&mut self) -> Expr {
        if self.at_keyword(Keyword::Yield) {
            self.parse_yield()
        } else {
            self.parse_star_expressions()
        }
    }

    // ----- compound statements ---------------------------------------------

    /// The `:` and block of a compound statement whose header began at `header_start`.
    fn parse_block_after_header(&mut self, what: &str, header_start: usize) -> Vec<Stmt> {
        if !self.eat_op(Op::Colon) {
            let message = if self.at_line_end() { "expected ':'" } else { "invalid syntax" };
            self.error_here(message);
            return self.recover_line_then_block();
        }
        if self.kind() != TokenKind::Newline {
            // `if x: return y` — the body is on the header's line.
            let mut body = Vec::new();
            if self.kind() == TokenKind::EndOfFile {
                self.report_missing_block(what, header_start, self.token().span);
            } else {
                self.parse_simple_statements(&mut body);
            }
            return body;
        }
        let newline = self.bump();
        if self.kind() == TokenKind::Indent {
            return self.parse_indented_block();
        }
        let at = if self.kind() == TokenKind::EndOfFile { newline.span } else { self.token().span };
        self.report_missing_block(what, header_start, at);
        Vec::new()
    }

    fn report_missing_block(&mut self, what: &str, header_start: usize, at: Span) {
        let line = self.index.line(header_start);
        self.error_at(at, format!("expected an indented block after {what} on line {line}"));
    }

    fn parse_if(&mut self) -> Stmt {
        let keyword = self.bump();
        let test = self.parse_named_expression();
        let body = self.parse_block_after_header("'if' statement", keyword.span.start);
        let mut elifs = Vec::new();
        while self.at_keyword(Keyword::Elif) {
            let elif = self.bump();
            let test = self.parse_named_expression();
            let body = self.parse_block_after_header("'elif' statement", elif.span.start);
            elifs.push(ElifClause { test, body, span: self.span_from(elif.span.start) });
        }
        let orelse = self.parse_else_block();
        Stmt { kind: StmtKind::If { test, body, elifs, orelse }, span: self.span_from(keyword.span.start) }
    }

    fn parse_else_block(&mut self) -> Vec<Stmt> {
        if !self.at_keyword(Keyword::Else) {
            return Vec::new();
        }
        let keyword = self.bump();
        self.parse_block_after_header("'else' statement", keyword.span.start)
    }

    fn parse_while(&mut self) -> Stmt {
        let keyword = self.bump();
        let test = self.parse_named_expression();
        let body = self.parse_block_after_header("'while' statement", keyword.span.start);
        let orelse = self.parse_else_block();
        Stmt { kind: StmtKind::While { test, body, orelse }, span: self.span_from(keyword.span.start) }
    }

    fn parse_for(&mut self, start: usize, is_async: bool) -> Stmt {
        let keyword = self.bump();
        let target = self.parse_target_list();
        self.check_target(&target, TargetContext::Bind);
        let iter = if self.eat_keyword(Keyword::In) {
            self.parse_star_expressions()
        } else {
            self.error_here("invalid syntax");
            self.error_expr()
        };
        let body = self.parse_block_after_header("'for' statement", keyword.span.start);
        let orelse = self.parse_else_block();
        Stmt { kind: StmtKind::For { is_async, target, iter, body, orelse }, span: self.span_from(start) }
    }

    fn parse_try(&mut self) -> Stmt {
        let keyword = self.bump();
        let body = self.parse_block_after_header("'try' statement", keyword.span.start);
        let mut handlers = Vec::new();
        while self.at_keyword(Keyword::Except) {
            handlers.push(self.parse_except_handler());
        }
        if handlers.is_empty() && !self.at_keyword(Keyword::Finally) {
            self.error_here("expected 'except' or 'finally' block");
        }
        let orelse = self.parse_else_block();
        let mut finalbody = Vec::new();
        if self.at_keyword(Keyword::Finally) {
            let finally = self.bump();
            finalbody = self.parse_block_after_header("'finally' statement", finally.span.start);
        }
        Stmt { kind: StmtKind::Try { body, handlers, orelse, finalbody }, span: self.span_from(keyword.span.start) }
    }

    fn parse_except_handler(&mut self) -> ExceptHandler {
        let keyword = self.bump();
        let is_star = self.eat_op(Op::Star);
        let mut type_ = None;
        let mut name = None;
        if !self.at_op(Op::Colon) {
            let exception = self.parse_test();
            if self.at_op(Op::Comma) {
                self.error_at(exception.span, "multiple exception types must be parenthesized");
            }
            type_ = Some(exception);
            if self.eat_keyword(Keyword::As) {
                name = Some(self.expect_identifier());
            }
        }
        let what = if is_star { "'except*' statement" } else { "'except' statement" };
        let body = self.parse_block_after_header(what, keyword.span.start);
        ExceptHandler { is_star, type_, name, body, span: self.span_from(keyword.span.start) }
    }

    fn parse_with(&mut self, start: usize, is_async: bool) -> Stmt {
        let keyword = self.bump();
        let items = match self.try_parse_parenthesized_with_items() {
            Some(items) => items,
            None => self.parse_with_items(false),
        };
        let body = self.parse_block_after_header("'with' statement", keyword.span.start);
        Stmt { kind: StmtKind::With { is_async, items, body }, span: self.span_from(start) }
    }

    /// `with (a as b, c as d):` — undone if the parentheses turn out to belong to
    /// the first context expression, as in `with (a, b) as c:`.
    fn try_parse_parenthesized_with_items(&mut self) -> Option<Vec<WithItem>> {
        if !self.at_op(Op::LeftParen) {
            return None;
        }
        let (pos, previous_end, error_count) = (self.pos, self.previous_end, self.errors.len());
        let (recovering, logical_line, nesting, tree_depth) =
            (self.recovering, self.logical_line, self.nesting, self.tree_depth);
        // Errors count as "this is not the parenthesized form", so none may be suppressed.
        self.recovering = false;
        self.bump();
        let items = self.parse_with_items(true);
        if self.eat_op(Op::RightParen) && self.at_op(Op::Colon) && self.errors.len() == error_count {
            return Some(items);
        }
        (self.pos, self.previous_end) = (pos, previous_end);
        self.errors.truncate(error_count);
        (self.recovering, self.logical_line, self.nesting, self.tree_depth) =
            (recovering, logical_line, nesting, tree_depth);
        None
    }

    fn parse_with_items(&mut self, parenthesized: bool) -> Vec<WithItem> {
        let mut items = Vec::new();
        loop {
            let start = self.start();
            let before = self.pos;
            let context = self.parse_test();
            let target = self.eat_keyword(Keyword::As).then(|| self.parse_target_element());
            if let Some(target) = &target {
                self.check_target(target, TargetContext::Bind);
            }
            items.push(WithItem { context, target, span: self.span_from(start) });
            if self.pos == before || !self.eat_op(Op::Comma) || (parenthesized && self.at_op(Op::RightParen)) {
                break;
            }
        }
        items
    }

    fn parse_decorated(&mut self) -> Stmt {
        let start = self.start();
        let mut decorators = Vec::new();
        while self.at_op(Op::At) {
            self.bump();
            decorators.push(self.parse_named_expression());
            if self.kind() == TokenKind::Newline {
                self.bump();
            } else {
                self.error_here("invalid syntax");
                self.recover_line_then_block();
            }
        }
        match (self.kind(), self.nth(1)) {
            (TokenKind::Keyword(Keyword::Def), _) => self.parse_function(start, decorators, false),
            (TokenKind::Keyword(Keyword::Class), _) => self.parse_class(start, decorators),
            (TokenKind::Keyword(Keyword::Async), TokenKind::Keyword(Keyword::Def)) => {
                self.bump();
                self.parse_function(start, decorators, true)
            }
            _ => {
                // The next statement is read normally; only the decorators are lost.
                self.error_here("invalid syntax");
                Stmt { kind: StmtKind::Error { body: Vec::new() }, span: self.span_from(start) }
            }
        }
    }

    fn parse_function(&mut self, start: usize, decorators: Vec<Expr>, is_async: bool) -> Stmt {
        let keyword = self.bump();
        let name = self.expect_identifier();
        let mut parameters = Vec::new();
        if self.at_op(Op::LeftParen) {
            self.bump();
            parameters = self.parse_parameters(true);
            self.expect_closing(Op::RightParen, None);
        } else {
            self.error_here("expected '('");
        }
        let returns = self.eat_op(Op::Arrow).then(|| self.parse_test());
        let body = self.parse_block_after_header("function definition", keyword.span.start);
        let kind = StmtKind::FunctionDef { is_async, name, decorators, parameters, returns, body };
        Stmt { kind, span: self.span_from(start) }
    }

    fn parse_class(&mut self, start: usize, decorators: Vec<Expr>) -> Stmt {
        let keyword = self.bump();
        let name = self.expect_identifier();
        let arguments = if self.at_op(Op::LeftParen) { self.parse_call_arguments() } else { Vec::new() };
        let body = self.parse_block_after_header("class definition", keyword.span.start);
        Stmt { kind: StmtKind::ClassDef { name, decorators, arguments, body }, span: self.span_from(start) }
    }

    /// Parameters up to (not including) `)` for `def`, or `:` for `lambda`.
    fn parse_parameters(&mut self, is_def: bool) -> Vec<Parameter> {
        let closer = if is_def { Op::RightParen } else { Op::Colon };
        let mut parameters: Vec<Parameter> = Vec::new();
        let mut seen_slash = false;
        let mut seen_star = false;
        let mut seen_default = false;
        let mut seen_var_keyword = false;
        let mut bare_star: Option<Span> = None;
        while !self.at_op(closer) {
            let start = self.start();
            if seen_var_keyword && !self.at_line_end() {
                self.error_here("arguments cannot follow var-keyword argument");
            }
            match self.kind() {
                TokenKind::Op(Op::Slash) => {
                    let slash = self.bump();
                    if parameters.is_empty() {
                        self.error_at(slash.span, "at least one argument must precede /");
                    } else if seen_slash {
                        self.error_at(slash.span, "/ may appear only once");
                    } else if seen_star {
                        self.error_at(slash.span, "/ must be ahead of *");
                    }
                    seen_slash = true;
                    for parameter in &mut parameters {
                        if parameter.kind == ParameterKind::Normal {
                            parameter.kind = ParameterKind::PositionalOnly;
                        }
                    }
                }
                TokenKind::Op(Op::Star) => {
                    let star = self.bump();
                    if seen_star {
                        self.error_at(star.span, "* argument may appear only once");
                    }
                    seen_star = true;
                    if self.kind() == TokenKind::Name {
                        parameters.push(self.parse_parameter(start, ParameterKind::VarPositional, is_def));
                    } else {
                        bare_star = Some(star.span);
                    }
                }
                TokenKind::Op(Op::DoubleStar) => {
                    self.bump();
                    parameters.push(self.parse_parameter(start, ParameterKind::VarKeyword, is_def));
                    seen_var_keyword = true;
                }
                TokenKind::Name => {
                    let kind = if seen_star { ParameterKind::KeywordOnly } else { ParameterKind::Normal };
                    let parameter = self.parse_parameter(start, kind, is_def);
                    if parameter.default.is_some() {
                        seen_default = true;
                    } else if seen_default && kind == ParameterKind::Normal {
                        self.error_at(parameter.span, "parameter without a default follows parameter with a default");
                    }
                    bare_star = None;
                    parameters.push(parameter);
                }
                _ => {
                    self.error_here("invalid syntax");
                    break;
                }
            }
            if !self.eat_op(Op::Comma) {
                break;
            }
        }
        if let Some(star) = bare_star {
            self.error_at(star, "named arguments must follow bare *");
        }
        parameters
    }

    fn parse_parameter(&mut self, start: usize, kind: ParameterKind, is_def: bool) -> Parameter {
        let name = self.expect_identifier();
        let annotation = (is_def && self.at_op(Op::Colon)).then(|| {
            self.bump();
            self.parse_test()
        });
        let may_have_default = matches!(kind, ParameterKind::Normal | ParameterKind::KeywordOnly);
        let default = (may_have_default && self.eat_op(Op::Equal)).then(|| self.parse_test());
        Parameter { kind, name, annotation, default, span: self.span_from(start) }
    }

    // ----- expressions -------------------------------------------------------

    fn at_expression_start(&self) -> bool {
        match self.kind() {
            TokenKind::Name | TokenKind::Number(_) | TokenKind::String(_) => true,
            TokenKind::Keyword(keyword) => matches!(
                keyword,
                Keyword::True | Keyword::False | Keyword::None | Keyword::Not | Keyword::Lambda | Keyword::Await
                    | Keyword::Yield
            ),
            TokenKind::Op(op) => matches!(
                op,
                Op::LeftParen | Op::LeftBracket | Op::LeftBrace | Op::Minus | Op::Plus | Op::Tilde | Op::Star
                    | Op::Ellipsis
            ),
            _ => false,
        }
    }

    /// `a, *b, c` without parentheses: a tuple when there is a comma.
    fn parse_star_expressions(&mut self) -> Expr {
        let start = self.start();
        let first = self.parse_star_expression();
        if !self.at_op(Op::Comma) {
            return first;
        }
        let mut elements = vec![first];
        while self.eat_op(Op::Comma) {
            if !self.at_expression_start() || self.at_keyword(Keyword::Yield) {
                break;
            }
            elements.push(self.parse_star_expression());
        }
        Expr::new(ExprKind::Tuple { elements, parenthesized: false }, self.span_from(start))
    }

    fn parse_star_expression(&mut self) -> Expr {
        if self.at_op(Op::Star) {
            let star = self.bump();
            let value = self.parse_bitwise_or();
            return Expr::new(ExprKind::Starred(Box::new(value)), self.span_from(star.span.start));
        }
        self.parse_test()
    }

    /// Like [`Self::parse_star_expression`], but the element may be `name := value`.
    fn parse_star_named_expression(&mut self) -> Expr {
        if self.at_op(Op::Star) {
            return self.parse_star_expression();
        }
        self.parse_named_expression()
    }

    /// An expression or `name := value`.
    fn parse_named_expression(&mut self) -> Expr {
        let target = self.parse_test();
        if self.at_op(Op::ColonEqual) {
            self.parse_walrus(target)
        } else {
            target
        }
    }

    fn parse_walrus(&mut self, target: Expr) -> Expr {
        if !matches!(target.kind, ExprKind::Name(_) | ExprKind::Error) {
            let message = format!("cannot use assignment expressions with {}", describe(&target));
            self.error_at(target.span, message);
        }
        let start = target.span.start;
        self.bump();
        let value = self.parse_test();
        Expr::new(ExprKind::NamedExpr { target: Box::new(target), value: Box::new(value) }, self.span_from(start))
    }

    /// CPython's `expression`: a lambda, or a disjunction with an optional `if ... else ...`.
    ///
    /// The expression functions are split small on purpose: each bracket level
    /// passes through several of them, and small frames keep deep (but allowed)
    /// nesting within the stack, even in unoptimized builds.
    fn parse_test(&mut self) -> Expr {
        if self.at_keyword(Keyword::Lambda) {
            return self.parse_lambda();
        }
        let body = self.parse_or();
        if self.at_keyword(Keyword::If) {
            self.parse_conditional(body)
        } else {
            body
        }
    }

    /// `body if test else orelse`, from the `if`.
    fn parse_conditional(&mut self, body: Expr) -> Expr {
        let start = body.span.start;
        self.bump();
        let test = self.parse_or();
        let orelse = if !self.eat_keyword(Keyword::Else) {
            // CPython points at the whole expression, so at its start.
            self.error_at(body.span, "expected 'else' after 'if' expression");
            self.error_expr()
        } else if self.enter(Nesting::Expression) {
            let orelse = self.parse_test();
            self.leave();
            orelse
        } else {
            self.error_expr()
        };
        Expr::new(
            ExprKind::IfExp { test: Box::new(test), body: Box::new(body), orelse: Box::new(orelse) },
            self.span_from(start),
        )
    }

    fn parse_lambda(&mut self) -> Expr {
        let keyword = self.bump();
        if !self.enter(Nesting::Expression) {
            return self.error_expr();
        }
        let parameters = self.parse_parameters(false);
        let body = if self.eat_op(Op::Colon) {
            self.parse_test()
        } else {
            self.error_here("invalid syntax");
            self.error_expr()
        };
        self.leave();
        Expr::new(ExprKind::Lambda { parameters, body: Box::new(body) }, self.span_from(keyword.span.start))
    }

    /// CPython's `disjunction`: everything below the ternary, `or` down to `**`.
    fn parse_or(&mut self) -> Expr {
        self.parse_operators(Precedence::Or)
    }

    /// CPython's `bitwise_or`: the operand of comparisons, targets and `*`/`**`.
    fn parse_bitwise_or(&mut self) -> Expr {
        self.parse_operators(Precedence::BitOr)
    }

    /// Every operator from `or` to `**` by precedence climbing: one loop instead
    /// of one function per level keeps the stack shallow; the recursion it adds is
    /// bounded by the number of levels (and prefix operators are guarded).
    fn parse_operators(&mut self, min: Precedence) -> Expr {
        let start = self.start();
        let mut left = self.parse_operand(min);
        let mut links = 0;
        while let Some(precedence) = self.infix_precedence() {
            if precedence < min || !self.deepen_tree() {
                break;
            }
            links += 1;
            left = match precedence {
                Precedence::Or => self.parse_bool_op_rest(left, start, BoolOp::Or),
                Precedence::And => self.parse_bool_op_rest(left, start, BoolOp::And),
                Precedence::Comparison => self.parse_comparison_rest(left, start),
                _ => self.parse_binary_rest(left, start, precedence),
            };
        }
        self.shallow_tree(links);
        left
    }

    fn parse_operand(&mut self, min: Precedence) -> Expr {
        match self.kind() {
            TokenKind::Keyword(Keyword::Not) if min <= Precedence::Not => self.parse_prefix(UnaryOp::Not, Precedence::Not),
            TokenKind::Op(Op::Minus) => self.parse_prefix(UnaryOp::Neg, Precedence::Unary),
            TokenKind::Op(Op::Plus) => self.parse_prefix(UnaryOp::Pos, Precedence::Unary),
            TokenKind::Op(Op::Tilde) => self.parse_prefix(UnaryOp::Invert, Precedence::Unary),
            _ => self.parse_power(),
        }
    }

    /// The precedence of the infix operator at the current token, if it is one.
    fn infix_precedence(&self) -> Option<Precedence> {
        match (self.kind(), self.nth(1)) {
            (TokenKind::Keyword(Keyword::Or), _) => Some(Precedence::Or),
            (TokenKind::Keyword(Keyword::And), _) => Some(Precedence::And),
            (kind, next) if comparison_op(kind, next).is_some() => Some(Precedence::Comparison),
            (kind, _) => binary_op(kind).map(|(_, precedence)| precedence),
        }
    }

    /// `left or b or c ...` (or `and`): one node for the whole run.
    fn parse_bool_op_rest(&mut self, left: Expr, start: usize, op: BoolOp) -> Expr {
        let (keyword, operand_min) = match op {
            BoolOp::Or => (Keyword::Or, Precedence::And),
            BoolOp::And => (Keyword::And, Precedence::Not),
        };
        let mut values = vec![left];
        while self.eat_keyword(keyword) {
            values.push(self.parse_operators(operand_min));
        }
        Expr::new(ExprKind::BoolOp { op, values }, self.span_from(start))
    }

    /// `left < b <= c ...`: one node for the whole chain.
    fn parse_comparison_rest(&mut self, left: Expr, start: usize) -> Expr {
        let mut ops = Vec::new();
        let mut comparators = Vec::new();
        while let Some(op) = comparison_op(self.kind(), self.nth(1)) {
            self.bump();
            if matches!(op, CmpOp::NotIn | CmpOp::IsNot) {
                self.bump();
            }
            ops.push(op);
            comparators.push(self.parse_operators(Precedence::BitOr));
        }
        Expr::new(ExprKind::Compare { left: Box::new(left), ops, comparators }, self.span_from(start))
    }

    /// `left op right` for a left-associative binary operator of `precedence`.
    fn parse_binary_rest(&mut self, left: Expr, start: usize, precedence: Precedence) -> Expr {
        let operator = self.bump();
        let op = binary_op(operator.kind).map_or(BinaryOp::Add, |(op, _)| op);
        let right = self.parse_operators(precedence.next());
        Expr::new(ExprKind::BinOp { left: Box::new(left), op, right: Box::new(right) }, self.span_from(start))
    }

    /// `not x`, `-x`, `+x`, `~x`; the operand binds at `operand_min` or tighter.
    fn parse_prefix(&mut self, op: UnaryOp, operand_min: Precedence) -> Expr {
        let operator = self.bump();
        if !self.enter(Nesting::Expression) {
            return self.error_expr();
        }
        let operand = self.parse_operators(operand_min);
        self.leave();
        Expr::new(ExprKind::UnaryOp { op, operand: Box::new(operand) }, self.span_from(operator.span.start))
    }

    /// `[await] primary [** factor]`.
    fn parse_power(&mut self) -> Expr {
        let base = if self.at_keyword(Keyword::Await) { self.parse_await() } else { self.parse_primary() };
        if self.at_op(Op::DoubleStar) {
            self.parse_power_rest(base)
        } else {
            base
        }
    }

    fn parse_await(&mut self) -> Expr {
        let keyword = self.bump();
        let value = self.parse_primary();
        Expr::new(ExprKind::Await(Box::new(value)), self.span_from(keyword.span.start))
    }

    /// `** exponent`: right-associative, and tighter than a unary minus on its left
    /// (`-x**2` is `-(x**2)`) but not on its right (`2**-1`).
    fn parse_power_rest(&mut self, base: Expr) -> Expr {
        let start = base.span.start;
        self.bump();
        if !self.enter(Nesting::Expression) {
            return self.error_expr();
        }
        let exponent = self.parse_operators(Precedence::Unary);
        self.leave();
        Expr::new(
            ExprKind::BinOp { left: Box::new(base), op: BinaryOp::Pow, right: Box::new(exponent) },
            self.span_from(start),
        )
    }

    /// An atom followed by any number of `.name`, `(args)` and `[index]`.
    fn parse_primary(&mut self) -> Expr {
        let mut expr = self.parse_atom();
        if matches!(expr.kind, ExprKind::Error) {
            return expr;
        }
        let mut links = 0;
        while matches!(self.kind(), TokenKind::Op(Op::Dot | Op::LeftParen | Op::LeftBracket)) && self.deepen_tree() {
            links += 1;
            expr = match self.kind() {
                TokenKind::Op(Op::Dot) => self.parse_attribute(expr),
                TokenKind::Op(Op::LeftParen) => self.parse_call(expr),
                _ => self.parse_subscript(expr),
            };
        }
        self.shallow_tree(links);
        expr
    }

    fn parse_attribute(&mut self, value: Expr) -> Expr {
        let start = value.span.start;
        self.bump();
        let attr = self.expect_identifier();
        Expr::new(ExprKind::Attribute { value: Box::new(value), attr }, self.span_from(start))
    }

    fn parse_call(&mut self, func: Expr) -> Expr {
        let start = func.span.start;
        let arguments = self.parse_call_arguments();
        Expr::new(ExprKind::Call { func: Box::new(func), arguments }, self.span_from(start))
    }

    fn parse_subscript(&mut self, value: Expr) -> Expr {
        let start = value.span.start;
        self.bump();
        let index = if self.enter(Nesting::Bracket) {
            let index = self.parse_subscript_index();
            self.leave();
            index
        } else {
            self.error_expr()
        };
        self.expect_closing(Op::RightBracket, Some(&index));
        Expr::new(ExprKind::Subscript { value: Box::new(value), index: Box::new(index) }, self.span_from(start))
    }

    fn parse_subscript_index(&mut self) -> Expr {
        let start = self.start();
        let first = self.parse_slice();
        if !self.at_op(Op::Comma) {
            return first;
        }
        let mut elements = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RightBracket) {
                break;
            }
            let before = self.pos;
            elements.push(self.parse_slice());
            if self.pos == before {
                break;
            }
        }
        Expr::new(ExprKind::Tuple { elements, parenthesized: false }, self.span_from(start))
    }

    /// `lower:upper:step` with every part optional, or a plain index.
    fn parse_slice(&mut self) -> Expr {
        let start = self.start();
        let lower = if self.at_op(Op::Colon) {
            None
        } else {
            let index = self.parse_star_named_expression();
            if !self.at_op(Op::Colon) {
                return index;
            }
            Some(Box::new(index))
        };
        self.bump();
        let ends_part = |parser: &Self| {
            matches!(parser.kind(), TokenKind::Op(Op::Colon | Op::Comma | Op::RightBracket)) || parser.at_line_end()
        };
        let upper = (!ends_part(self)).then(|| Box::new(self.parse_test()));
        let step = if self.eat_op(Op::Colon) { (!ends_part(self)).then(|| Box::new(self.parse_test())) } else { None };
        Expr::new(ExprKind::Slice { lower, upper, step }, self.span_from(start))
    }

    /// `( arguments )` of a call or class; the current token is `(`.
    fn parse_call_arguments(&mut self) -> Vec<Argument> {
        self.bump();
        let mut arguments: Vec<Argument> = Vec::new();
        if !self.enter(Nesting::Bracket) {
            return arguments;
        }
        let mut seen_keyword = false;
        let mut seen_unpack_mapping = false;
        let mut unparenthesized_generator = None;
        while !self.at_op(Op::RightParen) {
            let start = self.start();
            let before = self.pos;
            let kind = match (self.kind(), self.nth(1)) {
                (TokenKind::Op(Op::Star), _) => {
                    self.bump();
                    if seen_unpack_mapping {
                        self.error_at(Span::empty(start), "iterable argument unpacking follows keyword argument unpacking");
                    }
                    ArgumentKind::Unpack(self.parse_test())
                }
                (TokenKind::Op(Op::DoubleStar), _) => {
                    self.bump();
                    seen_unpack_mapping = true;
                    ArgumentKind::UnpackMapping(self.parse_test())
                }
                (TokenKind::Name, TokenKind::Op(Op::Equal)) => {
                    let name = self.expect_identifier();
                    self.bump();
                    seen_keyword = true;
                    ArgumentKind::Keyword { name, value: self.parse_test() }
                }
                _ => {
                    let mut value = self.parse_named_expression();
                    if self.starts_comprehension() {
                        let generators = self.parse_comprehension_clauses();
                        value = Expr::new(
                            ExprKind::GeneratorExp { element: Box::new(value), generators },
                            self.span_from(start),
                        );
                        unparenthesized_generator = Some(value.span);
                    }
                    if self.at_op(Op::Equal) {
                        self.error_at(value.span, "expression cannot contain assignment, perhaps you meant \"==\"?");
                        self.bump();
                        self.parse_test();
                    }
                    if seen_unpack_mapping {
                        self.error_at(value.span, "positional argument follows keyword argument unpacking");
                    } else if seen_keyword {
                        self.error_at(value.span, "positional argument follows keyword argument");
                    }
                    ArgumentKind::Positional(value)
                }
            };
            arguments.push(Argument { kind, span: self.span_from(start) });
            if self.pos == before || !self.eat_op(Op::Comma) {
                break;
            }
        }
        if let Some(generator) = unparenthesized_generator.filter(|_| arguments.len() > 1) {
            self.error_at(generator, "Generator expression must be parenthesized");
        }
        self.leave();
        self.expect_closing(Op::RightParen, arguments.last().map(Argument::value));
        arguments
    }

    fn starts_comprehension(&self) -> bool {
        self.at_keyword(Keyword::For)
            || (self.at_keyword(Keyword::Async) && self.nth(1) == TokenKind::Keyword(Keyword::For))
    }

    /// `for target in iter if cond ...`, one or more times.
    fn parse_comprehension_clauses(&mut self) -> Vec<Comprehension> {
        let mut generators = Vec::new();
        while self.starts_comprehension() {
            let is_async = self.eat_keyword(Keyword::Async);
            self.bump();
            let target = self.parse_target_list();
            self.check_target(&target, TargetContext::Bind);
            let iter = if self.eat_keyword(Keyword::In) {
                self.parse_or()
            } else {
                self.error_here("invalid syntax");
                self.error_expr()
            };
            let mut ifs = Vec::new();
            while self.eat_keyword(Keyword::If) {
                ifs.push(self.parse_or());
            }
            generators.push(Comprehension { is_async, target, iter, ifs });
        }
        generators
    }

    /// Targets of `for` and comprehensions: `a, (b, c), *d` before `in`.
    fn parse_target_list(&mut self) -> Expr {
        let start = self.start();
        let first = self.parse_target_element();
        if !self.at_op(Op::Comma) {
            return first;
        }
        let mut elements = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_keyword(Keyword::In) || !self.at_expression_start() {
                break;
            }
            elements.push(self.parse_target_element());
        }
        Expr::new(ExprKind::Tuple { elements, parenthesized: false }, self.span_from(start))
    }

    fn parse_target_element(&mut self) -> Expr {
        if self.at_op(Op::Star) {
            let star = self.bump();
            let value = self.parse_bitwise_or();
            return Expr::new(ExprKind::Starred(Box::new(value)), self.span_from(star.span.start));
        }
        self.parse_bitwise_or()
    }

    fn parse_atom(&mut self) -> Expr {
        let token = self.token();
        let literal = match token.kind {
            TokenKind::Name => ExprKind::Name(self.text(token.span).to_string()),
            TokenKind::Number(kind) => ExprKind::Number(NumberLiteral { text: self.text(token.span).to_string(), kind }),
            TokenKind::Keyword(Keyword::True) => ExprKind::Bool(true),
            TokenKind::Keyword(Keyword::False) => ExprKind::Bool(false),
            TokenKind::Keyword(Keyword::None) => ExprKind::None,
            TokenKind::Op(Op::Ellipsis) => ExprKind::Ellipsis,
            TokenKind::String(_) => return self.parse_strings(),
            TokenKind::Op(Op::LeftParen | Op::LeftBracket | Op::LeftBrace) => return self.parse_bracket_display(),
            _ => {
                self.error_here("invalid syntax");
                return self.error_expr();
            }
        };
        self.bump();
        Expr::new(literal, token.span)
    }

    /// `(...)`, `[...]` or `{...}`, from the opening bracket.
    fn parse_bracket_display(&mut self) -> Expr {
        let open = self.bump();
        if !self.enter(Nesting::Bracket) {
            return self.error_expr();
        }
        let start = open.span.start;
        let display = match open.kind {
            TokenKind::Op(Op::LeftParen) => self.parse_parenthesized(start),
            TokenKind::Op(Op::LeftBracket) => self.parse_list_display(start),
            _ => self.parse_brace_display(start),
        };
        self.leave();
        display
    }

    fn parse_strings(&mut self) -> Expr {
        let start = self.start();
        let mut parts: Vec<StringPart> = Vec::new();
        while let TokenKind::String(_) = self.kind() {
            let token = self.bump();
            let literal = StringLiteralText::parse(self.text(token.span));
            if literal.flags.bytes && !literal.body.is_ascii() {
                self.error_at(token.span, "bytes can only contain ASCII literal characters");
            }
            if parts.first().is_some_and(|first| first.is_bytes != literal.flags.bytes) {
                self.error_at(token.span, "cannot mix bytes and nonbytes literals");
            }
            parts.push(StringPart {
                prefix: literal.prefix.to_string(),
                raw_body: literal.body.to_string(),
                value: literal.value(),
                is_bytes: literal.flags.bytes,
                is_format: literal.flags.format,
                span: token.span,
            });
        }
        Expr::new(ExprKind::Str(StringLiteral { parts }), self.span_from(start))
    }

    /// After `(`: a parenthesized expression, a tuple, a generator or `yield`.
    fn parse_parenthesized(&mut self, start: usize) -> Expr {
        if self.eat_op(Op::RightParen) {
            return Expr::new(ExprKind::Tuple { elements: Vec::new(), parenthesized: true }, self.span_from(start));
        }
        if self.at_keyword(Keyword::Yield) {
            let value = self.parse_yield();
            self.expect_closing(Op::RightParen, Some(&value));
            return value;
        }
        let first = self.parse_star_named_expression();
        if self.starts_comprehension() {
            let generators = self.parse_comprehension_clauses();
            self.expect_closing(Op::RightParen, None);
            return Expr::new(ExprKind::GeneratorExp { element: Box::new(first), generators }, self.span_from(start));
        }
        if !self.at_op(Op::Comma) {
            self.expect_closing(Op::RightParen, Some(&first));
            return first;
        }
        let elements = self.parse_display_elements(first, Op::RightParen);
        Expr::new(ExprKind::Tuple { elements, parenthesized: true }, self.span_from(start))
    }

    /// The rest of a comma-separated display after its first element, and its closing bracket.
    fn parse_display_elements(&mut self, first: Expr, close: Op) -> Vec<Expr> {
        let mut elements = vec![first];
        while self.eat_op(Op::Comma) {
            if self.at_op(close) {
                break;
            }
            let before = self.pos;
            elements.push(self.parse_star_named_expression());
            if self.pos == before {
                break;
            }
        }
        self.expect_closing(close, elements.last());
        elements
    }

    fn parse_list_display(&mut self, start: usize) -> Expr {
        if self.eat_op(Op::RightBracket) {
            return Expr::new(ExprKind::List(Vec::new()), self.span_from(start));
        }
        let first = self.parse_star_named_expression();
        if self.starts_comprehension() {
            let generators = self.parse_comprehension_clauses();
            self.expect_closing(Op::RightBracket, None);
            return Expr::new(ExprKind::ListComp { element: Box::new(first), generators }, self.span_from(start));
        }
        let elements = self.parse_display_elements(first, Op::RightBracket);
        Expr::new(ExprKind::List(elements), self.span_from(start))
    }

    /// After `{`: a dict, a set, or a comprehension of either.
    fn parse_brace_display(&mut self, start: usize) -> Expr {
        if self.eat_op(Op::RightBrace) {
            return Expr::new(ExprKind::Dict(Vec::new()), self.span_from(start));
        }
        let first_item = if self.eat_op(Op::DoubleStar) {
            DictItem { key: None, value: self.parse_bitwise_or() }
        } else {
            let first = self.parse_star_named_expression();
            if !self.eat_op(Op::Colon) {
                if self.starts_comprehension() {
                    let generators = self.parse_comprehension_clauses();
                    self.expect_closing(Op::RightBrace, None);
                    return Expr::new(ExprKind::SetComp { element: Box::new(first), generators }, self.span_from(start));
                }
                let elements = self.parse_display_elements(first, Op::RightBrace);
                return Expr::new(ExprKind::Set(elements), self.span_from(start));
            }
            let value = self.parse_test();
            if self.starts_comprehension() {
                let generators = self.parse_comprehension_clauses();
                self.expect_closing(Op::RightBrace, None);
                return Expr::new(
                    ExprKind::DictComp { key: Box::new(first), value: Box::new(value), generators },
                    self.span_from(start),
                );
            }
            DictItem { key: Some(first), value }
        };
        let mut items = vec![first_item];
        while self.eat_op(Op::Comma) {
            if self.at_op(Op::RightBrace) {
                break;
            }
            let before = self.pos;
            let item = if self.eat_op(Op::DoubleStar) {
                DictItem { key: None, value: self.parse_bitwise_or() }
            } else {
                let key = self.parse_test();
                if !self.eat_op(Op::Colon) {
                    self.error_here("':' expected after dictionary key");
                }
                DictItem { key: Some(key), value: self.parse_test() }
            };
            items.push(item);
            if self.pos == before {
                break;
            }
        }
        self.expect_closing(Op::RightBrace, items.last().map(|item| &item.value));
        Expr::new(ExprKind::Dict(items), self.span_from(start))
    }

    /// `yield`, `yield a, b` or `yield from x`.
    fn parse_yield(&mut self) -> Expr {
        let keyword = self.bump();
        if self.eat_keyword(Keyword::From) {
            let value = self.parse_test();
            return Expr::new(ExprKind::YieldFrom(Box::new(value)), self.span_from(keyword.span.start));
        }
        let value = (self.at_expression_start() && !self.at_keyword(Keyword::Yield))
            .then(|| Box::new(self.parse_star_expressions()));
        Expr::new(ExprKind::Yield(value), self.span_from(keyword.span.start))
    }

    /// Consumes the closing bracket of a display or call. Two expressions side by
    /// side inside brackets get CPython's "Perhaps you forgot a comma?".
    fn expect_closing(&mut self, close: Op, last_element: Option<&Expr>) {
        if self.eat_op(close) {
            return;
        }
        let name_then_string = matches!(last_element.map(|e| &e.kind), Some(ExprKind::Name(_)))
            && matches!(self.kind(), TokenKind::String(_));
        match last_element {
            Some(element)
                if self.at_expression_start()
                    && !name_then_string
                    && !matches!(element.kind, ExprKind::Error)
                    && !self.at_op(Op::Star) =>
            {
                self.error_at(element.span, "invalid syntax. Perhaps you forgot a comma?");
            }
            _ => self.error_here("invalid syntax"),
        }
    }

    // ----- target checks -----------------------------------------------------

    /// Reports a target that cannot be assigned to (or deleted), in CPython's words.
    fn check_target(&mut self, target: &Expr, context: TargetContext) {
        let message = match (&target.kind, context) {
            (ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } | ExprKind::Error, _) => None,
            (ExprKind::Tuple { .. } | ExprKind::List(_), TargetContext::AugAssign) => {
                Some(format!("'{}' is an illegal expression for augmented assignment", describe(target)))
            }
            (ExprKind::Tuple { .. } | ExprKind::List(_), TargetContext::Annotated) => {
                Some(format!("only single target (not {}) can be annotated", describe(target)))
            }
            (ExprKind::Tuple { elements, .. } | ExprKind::List(elements), _) => {
                let nested = match context {
                    TargetContext::Assign { .. } => TargetContext::Assign { single: false },
                    other => other,
                };
                for element in elements {
                    self.check_target(element, nested);
                }
                None
            }
            (ExprKind::Starred(inner), TargetContext::Assign { .. } | TargetContext::Bind) => {
                self.check_target(inner, TargetContext::Assign { single: false });
                None
            }
            (_, TargetContext::AugAssign) => {
                Some(format!("'{}' is an illegal expression for augmented assignment", describe(target)))
            }
            (_, TargetContext::Annotated) => Some("illegal target for annotation".to_string()),
            (_, TargetContext::Delete) => Some(format!("cannot delete {}", describe(target))),
            (_, TargetContext::Assign { single: true }) if suggests_comparison(target) => Some(format!(
                "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                describe(target)
            )),
            _ => Some(format!("cannot assign to {}", describe(target))),
        };
        if let Some(message) = message {
            self.error_at(target.span, message);
        }
    }
}

/// Whether CPython follows "cannot assign to X" with "Maybe you meant '=='": only
/// for expressions that could be the left side of a comparison.
fn suggests_comparison(target: &Expr) -> bool {
    !matches!(
        target.kind,
        ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Compare { .. }
            | ExprKind::IfExp { .. }
            | ExprKind::Lambda { .. }
            | ExprKind::BoolOp { .. }
            | ExprKind::GeneratorExp { .. }
            | ExprKind::UnaryOp { op: UnaryOp::Not, .. }
            | ExprKind::Yield(_)
            | ExprKind::YieldFrom(_)
            | ExprKind::Starred(_)
    )
}

/// CPython's name for a kind of expression in error messages.
fn describe(expr: &Expr) -> &'static str {
    match &expr.kind {
        ExprKind::Name(_) => "name",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Starred(_) => "starred",
        ExprKind::List(_) => "list",
        ExprKind::Tuple { .. } => "tuple",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Call { .. } => "function call",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Await(_) => "await expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Set(_) => "set display",
        ExprKind::Str(literal) if literal.is_format() => "f-string expression",
        ExprKind::None => "None",
        ExprKind::Bool(true) => "True",
        ExprKind::Bool(false) => "False",
        ExprKind::Ellipsis => "ellipsis",
        ExprKind::Str(_) | ExprKind::Number(_) => "literal",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Error => "expression",
    }
}

/// Operator precedence, loosest first; the derived order is the binding order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precedence {
    Or,
    And,
    Not,
    Comparison,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Arithmetic,
    Term,
    Unary,
}

impl Precedence {
    /// The next tighter level: operands of a left-associative operator bind there.
    fn next(self) -> Precedence {
        match self {
            Precedence::Or => Precedence::And,
            Precedence::And => Precedence::Not,
            Precedence::Not => Precedence::Comparison,
            Precedence::Comparison => Precedence::BitOr,
            Precedence::BitOr => Precedence::BitXor,
            Precedence::BitXor => Precedence::BitAnd,
            Precedence::BitAnd => Precedence::Shift,
            Precedence::Shift => Precedence::Arithmetic,
            Precedence::Arithmetic => Precedence::Term,
            Precedence::Term | Precedence::Unary => Precedence::Unary,
        }
    }
}

/// A binary operator from `|` to `*`, with its precedence.
fn binary_op(kind: TokenKind) -> Option<(BinaryOp, Precedence)> {
    let TokenKind::Op(op) = kind else { return None };
    Some(match op {
        Op::Pipe => (BinaryOp::BitOr, Precedence::BitOr),
        Op::Caret => (BinaryOp::BitXor, Precedence::BitXor),
        Op::Ampersand => (BinaryOp::BitAnd, Precedence::BitAnd),
        Op::LeftShift => (BinaryOp::LShift, Precedence::Shift),
        Op::RightShift => (BinaryOp::RShift, Precedence::Shift),
        Op::Plus => (BinaryOp::Add, Precedence::Arithmetic),
        Op::Minus => (BinaryOp::Sub, Precedence::Arithmetic),
        Op::Star => (BinaryOp::Mult, Precedence::Term),
        Op::Slash => (BinaryOp::Div, Precedence::Term),
        Op::DoubleSlash => (BinaryOp::FloorDiv, Precedence::Term),
        Op::Percent => (BinaryOp::Mod, Precedence::Term),
        Op::At => (BinaryOp::MatMult, Precedence::Term),
        _ => return None,
    })
}

/// The comparison operator starting at `kind` (`not in` and `is not` take two tokens).
fn comparison_op(kind: TokenKind, next: TokenKind) -> Option<CmpOp> {
    Some(match (kind, next) {
        (TokenKind::Op(Op::EqualEqual), _) => CmpOp::Eq,
        (TokenKind::Op(Op::NotEqual), _) => CmpOp::NotEq,
        (TokenKind::Op(Op::Less), _) => CmpOp::Lt,
        (TokenKind::Op(Op::LessEqual), _) => CmpOp::LtE,
        (TokenKind::Op(Op::Greater), _) => CmpOp::Gt,
        (TokenKind::Op(Op::GreaterEqual), _) => CmpOp::GtE,
        (TokenKind::Keyword(Keyword::In), _) => CmpOp::In,
        (TokenKind::Keyword(Keyword::Not), TokenKind::Keyword(Keyword::In)) => CmpOp::NotIn,
        (TokenKind::Keyword(Keyword::Is), TokenKind::Keyword(Keyword::Not)) => CmpOp::IsNot,
        (TokenKind::Keyword(Keyword::Is), _) => CmpOp::Is,
        _ => return None,
    })
}

fn augmented_assignment_op(kind: TokenKind) -> Option<BinaryOp> {
    let TokenKind::Op(op) = kind else { return None };
    Some(match op {
        Op::PlusEqual => BinaryOp::Add,
        Op::MinusEqual => BinaryOp::Sub,
        Op::StarEqual => BinaryOp::Mult,
        Op::AtEqual => BinaryOp::MatMult,
        Op::SlashEqual => BinaryOp::Div,
        Op::DoubleSlashEqual => BinaryOp::FloorDiv,
        Op::PercentEqual => BinaryOp::Mod,
        Op::DoubleStarEqual => BinaryOp::Pow,
        Op::LeftShiftEqual => BinaryOp::LShift,
        Op::RightShiftEqual => BinaryOp::RShift,
        Op::PipeEqual => BinaryOp::BitOr,
        Op::CaretEqual => BinaryOp::BitXor,
        Op::AmpersandEqual => BinaryOp::BitAnd,
        _ => return None,
    })
}
