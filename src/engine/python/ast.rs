//! The syntax tree the parser builds: statements and expressions of the Python
//! subset that FastAPI / SQLAlchemy / Alembic project files use, each with its span.
//!
//! It follows CPython's `ast` module closely (so that its documentation applies),
//! with two simplifications: call arguments and parameters are single ordered
//! lists, and a part that failed to parse is an explicit `Error` node.

use super::position::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// A name as written at a definition or binding site (`class User`, `as sa`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `import a.b as c, d`
    Import { names: Vec<Alias> },
    /// `from ..a.b import (c as d, e)`; `level` counts the leading dots, and
    /// `names` is a single `*` alias for `import *`.
    ImportFrom { level: usize, module: Option<Identifier>, names: Vec<Alias> },
    /// `a = b = value`: every target but the value, in order.
    Assign { targets: Vec<Expr>, value: Expr },
    /// `target += value`
    AugAssign { target: Expr, op: BinaryOp, value: Expr },
    /// `target: annotation [= value]`
    AnnAssign { target: Expr, annotation: Expr, value: Option<Expr> },
    Expr(Expr),
    ClassDef { name: Identifier, decorators: Vec<Expr>, arguments: Vec<Argument>, body: Vec<Stmt> },
    FunctionDef {
        is_async: bool,
        name: Identifier,
        decorators: Vec<Expr>,
        parameters: Vec<Parameter>,
        returns: Option<Expr>,
        body: Vec<Stmt>,
    },
    /// `elif` clauses are kept in a list, not nested in `orelse` as CPython's
    /// `ast` does, so that a long chain does not make a deep tree.
    If { test: Expr, body: Vec<Stmt>, elifs: Vec<ElifClause>, orelse: Vec<Stmt> },
    For { is_async: bool, target: Expr, iter: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    While { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    With { is_async: bool, items: Vec<WithItem>, body: Vec<Stmt> },
    Try { body: Vec<Stmt>, handlers: Vec<ExceptHandler>, orelse: Vec<Stmt>, finalbody: Vec<Stmt> },
    Return(Option<Expr>),
    Raise { exc: Option<Expr>, cause: Option<Expr> },
    Assert { test: Expr, msg: Option<Expr> },
    Delete(Vec<Expr>),
    Global(Vec<Identifier>),
    Nonlocal(Vec<Identifier>),
    Pass,
    Break,
    Continue,
    /// A statement that did not parse; `body` holds the block that followed it, if any.
    Error { body: Vec<Stmt> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElifClause {
    pub test: Expr,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// `name [as asname]` in an import. For `from x import *` the name is `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Dotted for `import a.b`.
    pub name: Identifier,
    pub asname: Option<Identifier>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExceptHandler {
    /// `except*` (exception groups).
    pub is_star: bool,
    pub type_: Option<Expr>,
    pub name: Option<Identifier>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterKind {
    /// Before a `/`.
    PositionalOnly,
    Normal,
    /// `*args`
    VarPositional,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `**kwargs`
    VarKeyword,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub kind: ParameterKind,
    pub name: Identifier,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
    pub span: Span,
}

/// One argument of a call or of a class's base list, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub kind: ArgumentKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArgumentKind {
    Positional(Expr),
    /// `name=value`
    Keyword { name: Identifier, value: Expr },
    /// `*iterable`
    Unpack(Expr),
    /// `**mapping`
    UnpackMapping(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Name(String),
    /// Adjacent string literals, implicitly concatenated.
    Str(StringLiteral),
    Number(NumberLiteral),
    Bool(bool),
    None,
    /// `...`
    Ellipsis,
    Attribute { value: Box<Expr>, attr: Identifier },
    Call { func: Box<Expr>, arguments: Vec<Argument> },
    /// `value[index]`; several indices make a `Tuple` index, `a:b` a `Slice`.
    Subscript { value: Box<Expr>, index: Box<Expr> },
    Slice { lower: Option<Box<Expr>>, upper: Option<Box<Expr>>, step: Option<Box<Expr>> },
    BinOp { left: Box<Expr>, op: BinaryOp, right: Box<Expr> },
    UnaryOp { op: UnaryOp, operand: Box<Expr> },
    /// `a and b and c` (or `or`): one node for the whole run.
    BoolOp { op: BoolOp, values: Vec<Expr> },
    /// `a < b <= c`: `ops` and `comparators` have equal length.
    Compare { left: Box<Expr>, ops: Vec<CmpOp>, comparators: Vec<Expr> },
    /// `body if test else orelse`
    IfExp { test: Box<Expr>, body: Box<Expr>, orelse: Box<Expr> },
    Lambda { parameters: Vec<Parameter>, body: Box<Expr> },
    /// `target := value`
    NamedExpr { target: Box<Expr>, value: Box<Expr> },
    Await(Box<Expr>),
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    /// `*value` in a display, target or call.
    Starred(Box<Expr>),
    Tuple { elements: Vec<Expr>, parenthesized: bool },
    List(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<DictItem>),
    ListComp { element: Box<Expr>, generators: Vec<Comprehension> },
    SetComp { element: Box<Expr>, generators: Vec<Comprehension> },
    DictComp { key: Box<Expr>, value: Box<Expr>, generators: Vec<Comprehension> },
    GeneratorExp { element: Box<Expr>, generators: Vec<Comprehension> },
    /// An expression that did not parse (an error was reported for it).
    Error,
}

/// One `key: value` entry, or `**mapping` when `key` is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct DictItem {
    pub key: Option<Expr>,
    pub value: Expr,
}

/// `[async] for target in iter if cond ...`
#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    pub is_async: bool,
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

/// One or more adjacent string literals (`"a" 'b'` is one `StringLiteral`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLiteral {
    pub parts: Vec<StringPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringPart {
    /// `r`, `b`, `f`, `rb`, ... as written.
    pub prefix: String,
    /// Between the quotes, escapes as written.
    pub raw_body: String,
    /// The decoded text; `None` for f-strings, whose value is computed at run time.
    pub value: Option<String>,
    pub is_bytes: bool,
    pub is_format: bool,
    pub span: Span,
}

impl StringLiteral {
    pub fn is_bytes(&self) -> bool {
        self.parts.first().is_some_and(|part| part.is_bytes)
    }

    /// Whether any part is an f-string.
    pub fn is_format(&self) -> bool {
        self.parts.iter().any(|part| part.is_format)
    }

    /// The concatenated value; f-string parts contribute their text as written.
    pub fn value(&self) -> String {
        self.parts.iter().map(|part| part.value.as_deref().unwrap_or(&part.raw_body)).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberLiteral {
    /// As written, e.g. `0x1F`, `1_000`, `2.5e-3j`.
    pub text: String,
    pub kind: super::lexer::NumberKind,
}

impl NumberLiteral {
    /// The value of a decimal, hex, octal or binary integer that fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        if self.kind != super::lexer::NumberKind::Integer {
            return None;
        }
        let digits: String = self.text.chars().filter(|&c| c != '_').collect();
        let lower = digits.to_ascii_lowercase();
        let (radix, digits) = match lower.get(..2) {
            Some("0x") => (16, &lower[2..]),
            Some("0o") => (8, &lower[2..]),
            Some("0b") => (2, &lower[2..]),
            _ => (10, lower.as_str()),
        };
        i64::from_str_radix(digits, radix).ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mult => "*",
            BinaryOp::MatMult => "@",
            BinaryOp::Div => "/",
            BinaryOp::FloorDiv => "//",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "**",
            BinaryOp::LShift => "<<",
            BinaryOp::RShift => ">>",
            BinaryOp::BitOr => "|",
            BinaryOp::BitXor => "^",
            BinaryOp::BitAnd => "&",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    Neg,
    /// `+`
    Pos,
    /// `~`
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }

    /// `a.b.c` as `"a.b.c"` when the expression is a plain dotted name.
    pub fn dotted_name(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut expr = self;
        loop {
            match &expr.kind {
                ExprKind::Name(name) => {
                    parts.push(name.as_str());
                    break;
                }
                ExprKind::Attribute { value, attr } => {
                    parts.push(attr.name.as_str());
                    expr = value;
                }
                _ => return None,
            }
        }
        parts.reverse();
        Some(parts.join("."))
    }

    /// The string value, if this is a (non-f) string literal.
    pub fn as_str(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Str(literal) if !literal.is_format() => Some(literal.value()),
            _ => None,
        }
    }
}

impl Argument {
    /// The value of a positional, keyword or unpacking argument alike.
    pub fn value(&self) -> &Expr {
        match &self.kind {
            ArgumentKind::Positional(value)
            | ArgumentKind::Keyword { value, .. }
            | ArgumentKind::Unpack(value)
            | ArgumentKind::UnpackMapping(value) => value,
        }
    }
}

/// The positional arguments of a call, in order.
pub fn positional_arguments(arguments: &[Argument]) -> impl Iterator<Item = &Expr> {
    arguments.iter().filter_map(|argument| match &argument.kind {
        ArgumentKind::Positional(value) => Some(value),
        _ => None,
    })
}

/// The value of the keyword argument `name=...`, if present.
pub fn keyword_argument<'a>(arguments: &'a [Argument], name: &str) -> Option<&'a Expr> {
    arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::Keyword { name: keyword, value } if keyword.name == name => Some(value),
        _ => None,
    })
}

/// The docstring of a module, class or function body: a string literal as its first statement.
pub fn docstring(body: &[Stmt]) -> Option<String> {
    match &body.first()?.kind {
        StmtKind::Expr(expr) => expr.as_str(),
        _ => None,
    }
}
