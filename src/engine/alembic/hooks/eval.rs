//! A small interpreter for the functions env.py hands to autogenerate as
//! filters. It runs the Python such hooks are written in — `if`/`elif`,
//! `return`, `for`, assignments, comparisons, `and`/`or`/`not`, `in`,
//! string and dict methods, comprehensions, `any`/`all`, `isinstance`,
//! `print` — with Python's semantics and exception messages. What it does
//! not model stops the hook with a clear "not supported" instead of a
//! guess. A step budget bounds every call, so a `while True` cannot hang
//! the page.

use std::collections::HashMap;
use std::rc::Rc;

use crate::engine::app::AlembicIni;
use crate::engine::metadata::{MetaData, Table};
use crate::engine::migrate::compare::SchemaObject;
use crate::engine::python::ast::{
    ArgumentKind, BinaryOp, BoolOp, CmpOp, Comprehension, Expr, ExprKind, ParameterKind, Stmt, StmtKind, StringLiteral,
    UnaryOp,
};
use crate::engine::python::position::Span;

use super::dirs;
use super::suggest::suggestion;
use super::value::{repr_float, repr_str, Function, FunctionBody, Py};

/// Statements and expressions one hook call may evaluate.
const STEP_BUDGET: usize = 200_000;
/// How deep env.py's own functions may call each other.
const MAX_DEPTH: usize = 50;

/// A module-level name of env.py.
#[derive(Debug, Clone)]
pub enum Global {
    Value(Py<'static>),
    /// Bound to the target metadata (`target_metadata = Base.metadata`).
    TargetMetaData,
    /// Bound to the declarative base the target metadata belongs to.
    TargetBase,
}

/// env.py's module namespace, in binding order (as `globals()` lists it).
#[derive(Debug, Default)]
pub struct Globals {
    pub names: Vec<String>,
    pub values: HashMap<String, Global>,
}

impl Globals {
    pub fn bind(&mut self, name: &str, value: Global) {
        if !self.values.contains_key(name) {
            self.names.push(name.to_string());
        }
        self.values.insert(name.to_string(), value);
    }
}

/// Why evaluation stopped.
#[derive(Debug)]
pub struct Raise {
    pub kind: RaiseKind,
    /// Where in env.py, when the innermost frame is env.py's.
    pub span: Option<Span>,
    /// env.py frames the exception passed through, innermost first: (function, where).
    pub frames: Vec<(String, Span)>,
}

#[derive(Debug)]
pub enum RaiseKind {
    /// The exception line(s), e.g. `NameError: name 'x' is not defined`.
    Exception(String),
    /// What driftlab can't run.
    Unsupported(String),
}

type R<T> = Result<T, Raise>;

fn exception<T>(span: Span, text: impl Into<String>) -> R<T> {
    Err(Raise { kind: RaiseKind::Exception(text.into()), span: Some(span), frames: Vec::new() })
}

fn unsupported<T>(span: Span, text: impl Into<String>) -> R<T> {
    Err(Raise { kind: RaiseKind::Unsupported(text.into()), span: Some(span), frames: Vec::new() })
}

/// How a block of statements ended.
enum Flow<'a> {
    Normal,
    Return(Py<'a>),
    Break,
    Continue,
}

/// `alembic.ini` as env.py's `config` reads it.
#[derive(Debug, Clone)]
pub struct IniContext {
    pub ini: AlembicIni,
    /// `%(here)s`: the config file's folder, absolute.
    pub here: String,
    /// `config.config_file_name`: the file as the command line named it.
    pub file_name: String,
}

pub struct Interp<'a> {
    pub source: &'a str,
    pub globals: &'a Globals,
    pub metadata: Option<&'a MetaData>,
    pub ini: Option<&'a IniContext>,
    /// `config.cmd_opts` while `process_revision_directives` runs.
    pub cmd_opts: Option<Rc<Vec<(String, Py<'static>)>>>,
    /// What `print()` wrote.
    pub printed: String,
    steps: usize,
    depth: usize,
    /// The running function's scopes: its locals, then one per comprehension.
    scopes: Vec<HashMap<String, Py<'a>>>,
    function: Option<Rc<Function>>,
}

impl<'a> Interp<'a> {
    pub fn new(source: &'a str, globals: &'a Globals, metadata: Option<&'a MetaData>, ini: Option<&'a IniContext>) -> Self {
        Interp { source, globals, metadata, ini, cmd_opts: None, printed: String::new(), steps: 0, depth: 0, scopes: Vec::new(), function: None }
    }

    fn step(&mut self, span: Span) -> R<()> {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            return unsupported(span, format!("the hook ran more than {STEP_BUDGET} steps without returning; driftlab stopped it"));
        }
        Ok(())
    }

    // ------------------------------------------------------------ calls

    /// Calls one of env.py's functions with positional arguments, as
    /// Alembic calls a hook (`call_span` is `None` for a call from Alembic).
    pub fn call_function(&mut self, function: &Rc<Function>, args: Vec<Py<'a>>, kwargs: Vec<(String, Py<'a>)>, call_span: Option<Span>) -> R<Py<'a>> {
        let locals = bind_arguments(function, args, kwargs).map_err(|kind| Raise { kind, span: call_span, frames: Vec::new() })?;
        if self.depth >= MAX_DEPTH {
            let span = call_span.unwrap_or_default();
            return exception(span, "RecursionError: maximum recursion depth exceeded");
        }
        let saved_scopes = std::mem::replace(&mut self.scopes, vec![locals]);
        let saved_function = self.function.replace(function.clone());
        self.depth += 1;
        let result = match &function.body {
            FunctionBody::Def(body) => self.exec_block(body).map(|flow| match flow {
                Flow::Return(value) => value,
                _ => Py::None,
            }),
            FunctionBody::Lambda(expr) => self.eval(expr),
        };
        self.depth -= 1;
        self.scopes = saved_scopes;
        self.function = saved_function;
        result.map_err(|mut raise| {
            if let Some(span) = raise.span {
                raise.frames.push((function.name.clone(), span));
            }
            raise.span = call_span;
            raise
        })
    }

    // ------------------------------------------------------------ statements

    fn exec_block(&mut self, body: &[Stmt]) -> R<Flow<'a>> {
        for stmt in body {
            match self.exec(stmt)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, stmt: &Stmt) -> R<Flow<'a>> {
        self.step(stmt.span)?;
        match &stmt.kind {
            StmtKind::Expr(expr) => {
                self.eval(expr)?;
            }
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Return(value) => {
                let value = match value {
                    Some(v) => self.eval(v)?,
                    None => Py::None,
                };
                return Ok(Flow::Return(value));
            }
            StmtKind::If { test, body, elifs, orelse } => {
                if self.truthy_expr(test)? {
                    return self.exec_block(body);
                }
                for elif in elifs {
                    if self.truthy_expr(&elif.test)? {
                        return self.exec_block(&elif.body);
                    }
                }
                return self.exec_block(orelse);
            }
            StmtKind::Assign { targets, value } => {
                let value = self.eval(value)?;
                for target in targets {
                    self.assign(target, value.clone())?;
                }
            }
            StmtKind::AnnAssign { target, value, .. } => {
                if let Some(value) = value {
                    let value = self.eval(value)?;
                    self.assign(target, value)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => {
                let ExprKind::Name(_) = &target.kind else {
                    return unsupported(target.span, "augmented assignment to anything but a name");
                };
                let left = self.eval(target)?;
                let right = self.eval(value)?;
                let result = self.binary(stmt.span, left, *op, right)?;
                self.assign(target, result)?;
            }
            StmtKind::For { target, iter, body, orelse, is_async: false } => {
                let iterable = self.eval(iter)?;
                let items = self.iterate(iter.span, iterable)?;
                for item in items {
                    self.assign(target, item)?;
                    match self.exec_block(body)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
                return self.exec_block(orelse);
            }
            StmtKind::While { test, body, orelse } => {
                while self.truthy_expr(test)? {
                    match self.exec_block(body)? {
                        Flow::Break => return Ok(Flow::Normal),
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
                return self.exec_block(orelse);
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Raise { exc: Some(exc), .. } => return self.raise(exc),
            // `del directives[:]` / `del directives[0]`.
            StmtKind::Delete(targets) => {
                for target in targets {
                    let ExprKind::Subscript { value: base, .. } = &target.kind else {
                        return unsupported(target.span, "`del` of anything but `directives[...]`");
                    };
                    match self.eval(base)? {
                        Py::Directives(d) => d.emptied.set(true),
                        _ => return unsupported(target.span, "`del` of anything but `directives[...]`"),
                    }
                }
            }
            StmtKind::Assert { test, msg } => {
                if !self.truthy_expr(test)? {
                    let text = match msg {
                        Some(m) => {
                            let message = self.eval(m)?;
                            format!("AssertionError: {}", self.str_of(m.span, &message)?)
                        }
                        None => "AssertionError".to_string(),
                    };
                    return exception(stmt.span, text);
                }
            }
            StmtKind::FunctionDef { name, parameters, body, decorators, .. } if decorators.is_empty() => {
                let function = Rc::new(make_function(&name.name, parameters.clone(), FunctionBody::Def(body.clone())));
                self.bind(&name.name, Py::Function(function));
            }
            StmtKind::Import { .. } | StmtKind::ImportFrom { .. } => {
                for (name, path) in import_bindings(stmt) {
                    self.bind(&name, Py::Imported(path.into()));
                }
            }
            _ => {
                let first_word = self.source.get(stmt.span.start..stmt.span.end).unwrap_or("").split_whitespace().next().unwrap_or("");
                return unsupported(stmt.span, format!("a `{first_word}` statement"));
            }
        }
        Ok(Flow::Normal)
    }

    fn raise(&mut self, exc: &Expr) -> R<Flow<'a>> {
        // `raise ValueError("...")`: the builtin exception classes by name.
        let (class, message) = match &exc.kind {
            ExprKind::Call { func, arguments } => match (&func.kind, arguments.as_slice()) {
                (ExprKind::Name(class), []) => (class.clone(), None),
                (ExprKind::Name(class), [arg]) if matches!(arg.kind, ArgumentKind::Positional(_)) => {
                    let value = self.eval(arg.value())?;
                    let text = match &value {
                        Py::Str(s) if class == "KeyError" => repr_str(s),
                        other => self.str_of(arg.value().span, other)?,
                    };
                    (class.clone(), Some(text))
                }
                _ => return unsupported(exc.span, "raising this exception"),
            },
            ExprKind::Name(class) => (class.clone(), None),
            _ => return unsupported(exc.span, "raising this exception"),
        };
        let known = class.ends_with("Error") || class.ends_with("Exception") || class.ends_with("Warning");
        if !known || !dirs::names(dirs::BUILTINS).any(|b| b == class) {
            return unsupported(exc.span, format!("raising `{class}`"));
        }
        match message {
            Some(m) if !m.is_empty() => exception(exc.span, format!("{class}: {m}")),
            _ => exception(exc.span, class),
        }
    }

    /// Binds in the innermost scope (at module level, evaluating env.py's
    /// globals, there is none: `module_globals` binds them itself).
    fn bind(&mut self, name: &str, value: Py<'a>) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), value);
        }
    }

    fn assign(&mut self, target: &Expr, value: Py<'a>) -> R<()> {
        match &target.kind {
            ExprKind::Name(name) => {
                self.bind(name, value);
                Ok(())
            }
            ExprKind::Tuple { elements, .. } | ExprKind::List(elements) => {
                let items = self.iterate(target.span, value)?;
                if items.len() != elements.len() {
                    let text = if items.len() > elements.len() {
                        format!("ValueError: too many values to unpack (expected {})", elements.len())
                    } else {
                        format!("ValueError: not enough values to unpack (expected {}, got {})", elements.len(), items.len())
                    };
                    return exception(target.span, text);
                }
                for (element, item) in elements.iter().zip(items) {
                    self.assign(element, item)?;
                }
                Ok(())
            }
            // `directives[:] = []`: the revision is not written.
            ExprKind::Subscript { value: base, index } if is_whole_slice(index) => match (self.eval(base)?, &value) {
                (Py::Directives(d), Py::List(items) | Py::Tuple(items)) if items.is_empty() => {
                    d.emptied.set(true);
                    Ok(())
                }
                _ => unsupported(target.span, "assigning to a slice, except `directives[:] = []`"),
            },
            _ => unsupported(target.span, "assigning to anything but names"),
        }
    }

    // ------------------------------------------------------------ expressions

    fn truthy_expr(&mut self, expr: &Expr) -> R<bool> {
        let value = self.eval(expr)?;
        self.truthy(expr.span, &value)
    }

    /// `bool(x)`; SQLAlchemy clauses refuse it.
    pub fn truthy(&self, span: Span, value: &Py<'a>) -> R<bool> {
        Ok(match value {
            Py::None => false,
            Py::Bool(b) => *b,
            Py::Int(i) => *i != 0,
            Py::Float(f) => *f != 0.0,
            Py::Str(s) => !s.is_empty(),
            Py::Tuple(v) | Py::List(v) | Py::Set(v) => !v.is_empty(),
            Py::Dict(v) => !v.is_empty(),
            Py::Object(SchemaObject::Table(_)) | Py::Object(SchemaObject::Column { .. }) => {
                return exception(span, "TypeError: Boolean value of this clause is not defined");
            }
            Py::Object(_) | Py::MetaData(_) | Py::Base(_) | Py::Function(_) | Py::Builtin(_) | Py::Method(..) | Py::Class(_) => true,
            Py::AlembicConfig | Py::Namespace(_) | Py::MigrationScript(_) => true,
            Py::Directives(d) => !d.emptied.get(),
            Py::Ops(n) => *n > 0,
            Py::Columns(t) => !t.columns.is_empty(),
            Py::ColumnList(_, c) => !c.is_empty(),
            Py::Imported(path) => return unsupported(span, format!("the truth value of `{path}`")),
            Py::Opaque(text) => return unsupported(span, format!("the value of `{text}`")),
        })
    }

    pub fn eval(&mut self, expr: &Expr) -> R<Py<'a>> {
        self.step(expr.span)?;
        match &expr.kind {
            ExprKind::Name(name) => self.lookup(expr.span, name),
            ExprKind::Str(literal) => self.string(expr.span, literal),
            ExprKind::Number(n) => match n.as_i64() {
                Some(i) => Ok(Py::Int(i)),
                None => match n.text.replace('_', "").parse::<f64>() {
                    Ok(f) if n.kind != crate::engine::python::lexer::NumberKind::Integer => Ok(Py::Float(f)),
                    _ => unsupported(expr.span, format!("the number {}", n.text)),
                },
            },
            ExprKind::Bool(b) => Ok(Py::Bool(*b)),
            ExprKind::None => Ok(Py::None),
            ExprKind::Tuple { elements, .. } => Ok(Py::Tuple(self.eval_all(elements)?)),
            ExprKind::List(elements) => Ok(Py::List(self.eval_all(elements)?)),
            ExprKind::Set(elements) => {
                let items = self.eval_all(elements)?;
                Ok(Py::Set(dedup(items)))
            }
            ExprKind::Dict(items) => {
                let mut out: Vec<(Py<'a>, Py<'a>)> = Vec::new();
                for item in items {
                    let Some(key) = &item.key else { return unsupported(item.value.span, "`**` in a dict display") };
                    let key = self.eval(key)?;
                    let value = self.eval(&item.value)?;
                    match out.iter_mut().find(|(k, _)| py_eq(k, &key)) {
                        Some(slot) => slot.1 = value,
                        None => out.push((key, value)),
                    }
                }
                Ok(Py::Dict(out))
            }
            ExprKind::Attribute { value, attr } => {
                let base = self.eval(value)?;
                self.attribute(expr.span, base, &attr.name)
            }
            ExprKind::Subscript { value, index } => {
                let base = self.eval(value)?;
                if let ExprKind::Slice { lower, upper, step: None } = &index.kind {
                    let bound = |me: &mut Self, e: &Option<Box<Expr>>| -> R<Option<i64>> {
                        match e {
                            None => Ok(None),
                            Some(e) => match me.eval(e)? {
                                Py::Int(i) => Ok(Some(i)),
                                Py::None => Ok(None),
                                _ => exception(e.span, "TypeError: slice indices must be integers or None or have an __index__ method"),
                            },
                        }
                    };
                    let (lo, hi) = (bound(self, lower)?, bound(self, upper)?);
                    return self.slice(expr.span, base, lo, hi);
                }
                let key = self.eval(index)?;
                self.subscript(expr.span, base, key)
            }
            ExprKind::BinOp { left, op, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                self.binary(expr.span, l, *op, r)
            }
            ExprKind::UnaryOp { op, operand } => {
                let value = self.eval(operand)?;
                match (op, value) {
                    (UnaryOp::Not, v) => Ok(Py::Bool(!self.truthy(operand.span, &v)?)),
                    (UnaryOp::Neg, Py::Int(i)) => Ok(Py::Int(-i)),
                    (UnaryOp::Neg, Py::Bool(b)) => Ok(Py::Int(-(b as i64))),
                    (UnaryOp::Neg, Py::Float(f)) => Ok(Py::Float(-f)),
                    (UnaryOp::Pos, v @ (Py::Int(_) | Py::Float(_))) => Ok(v),
                    (op, v) => {
                        let symbol = match op {
                            UnaryOp::Neg => "-",
                            UnaryOp::Pos => "+",
                            _ => "~",
                        };
                        exception(expr.span, format!("TypeError: bad operand type for unary {symbol}: '{}'", v.type_name()))
                    }
                }
            }
            ExprKind::BoolOp { op, values } => {
                let mut last = Py::None;
                for value in values {
                    last = self.eval(value)?;
                    let truth = self.truthy(value.span, &last)?;
                    if (*op == BoolOp::And && !truth) || (*op == BoolOp::Or && truth) {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            ExprKind::Compare { left, ops, comparators } => {
                let mut current = self.eval(left)?;
                for (op, right) in ops.iter().zip(comparators) {
                    let next = self.eval(right)?;
                    if !self.compare(expr.span, &current, *op, &next)? {
                        return Ok(Py::Bool(false));
                    }
                    current = next;
                }
                Ok(Py::Bool(true))
            }
            ExprKind::IfExp { test, body, orelse } => {
                if self.truthy_expr(test)? {
                    self.eval(body)
                } else {
                    self.eval(orelse)
                }
            }
            ExprKind::Call { func, arguments } => self.call(expr, func, arguments),
            ExprKind::Lambda { parameters, body } => {
                Ok(Py::Function(Rc::new(make_function("<lambda>", parameters.clone(), FunctionBody::Lambda((**body).clone())))))
            }
            ExprKind::ListComp { element, generators } | ExprKind::GeneratorExp { element, generators } => {
                let mut out = Vec::new();
                self.comprehension(generators, &mut |me| {
                    out.push(me.eval(element)?);
                    Ok(true)
                })?;
                Ok(Py::List(out))
            }
            ExprKind::SetComp { element, generators } => {
                let mut out = Vec::new();
                self.comprehension(generators, &mut |me| {
                    out.push(me.eval(element)?);
                    Ok(true)
                })?;
                Ok(Py::Set(dedup(out)))
            }
            ExprKind::DictComp { key, value, generators } => {
                let mut out: Vec<(Py<'a>, Py<'a>)> = Vec::new();
                self.comprehension(generators, &mut |me| {
                    let k = me.eval(key)?;
                    let v = me.eval(value)?;
                    match out.iter_mut().find(|(existing, _)| py_eq(existing, &k)) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                    Ok(true)
                })?;
                Ok(Py::Dict(out))
            }
            ExprKind::Error => unsupported(expr.span, "an expression that does not parse"),
            _ => {
                let text = expr.span.text(self.source);
                unsupported(expr.span, format!("the expression `{text}`"))
            }
        }
    }

    fn eval_all(&mut self, exprs: &[Expr]) -> R<Vec<Py<'a>>> {
        let mut out = Vec::with_capacity(exprs.len());
        for e in exprs {
            if let ExprKind::Starred(inner) = &e.kind {
                let value = self.eval(inner)?;
                out.extend(self.iterate(inner.span, value)?);
            } else {
                out.push(self.eval(e)?);
            }
        }
        Ok(out)
    }

    /// Runs `each` for every binding of the generators, in a scope of its
    /// own; `each` returns false to stop early (`any`/`all`).
    fn comprehension(&mut self, generators: &[Comprehension], each: &mut dyn FnMut(&mut Self) -> R<bool>) -> R<bool> {
        self.scopes.push(HashMap::new());
        let result = self.generate(generators, each);
        self.scopes.pop();
        result
    }

    fn generate(&mut self, generators: &[Comprehension], each: &mut dyn FnMut(&mut Self) -> R<bool>) -> R<bool> {
        let Some((first, rest)) = generators.split_first() else { return each(self) };
        let iterable = self.eval(&first.iter)?;
        for item in self.iterate(first.iter.span, iterable)? {
            self.assign(&first.target, item)?;
            let mut keep = true;
            for condition in &first.ifs {
                if !self.truthy_expr(condition)? {
                    keep = false;
                    break;
                }
            }
            if keep && !self.generate(rest, each)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn string(&mut self, span: Span, literal: &StringLiteral) -> R<Py<'a>> {
        if literal.is_bytes() {
            return unsupported(span, "bytes literals");
        }
        let mut out = String::new();
        for part in &literal.parts {
            match &part.value {
                Some(text) => out.push_str(text),
                None => out.push_str(&self.format_string(part.span, &part.raw_body)?),
            }
        }
        Ok(Py::Str(out))
    }

    /// An f-string's body: `{expr}` and `{expr!r}`; `{{` and `}}` are braces.
    fn format_string(&mut self, span: Span, body: &str) -> R<String> {
        let mut out = String::new();
        let mut rest = body;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&crate::engine::python::lexer::decode_escapes(&rest[..i], false));
            let brace = rest.as_bytes()[i];
            rest = &rest[i + 1..];
            if rest.as_bytes().first() == Some(&brace) {
                out.push(brace as char);
                rest = &rest[1..];
                continue;
            }
            if brace == b'}' {
                return exception(span, "SyntaxError: f-string: single '}' is not allowed");
            }
            let Some(end) = rest.find('}') else { return unsupported(span, "this f-string") };
            let inner = &rest[..end];
            rest = &rest[end + 1..];
            let (code, conversion) = match inner.rsplit_once('!') {
                Some((code, conv)) if matches!(conv, "r" | "s") && !code.ends_with('=') => (code, Some(conv)),
                _ => (inner, None),
            };
            if code.contains([':', '{']) && !code.contains("[") {
                return unsupported(span, "format specs in f-strings");
            }
            let parsed = crate::engine::python::parse_module(code.trim());
            let Some(StmtKind::Expr(e)) = parsed.module.body.first().map(|s| &s.kind) else {
                return unsupported(span, format!("the f-string field `{{{inner}}}`"));
            };
            if !parsed.errors.is_empty() {
                return unsupported(span, format!("the f-string field `{{{inner}}}`"));
            }
            // The field's text is parsed on its own: its spans say nothing about env.py.
            let value = self.eval(e).map_err(|mut raise| {
                raise.span = Some(span);
                raise
            })?;
            out.push_str(&match conversion {
                Some("r") => self.repr_of(span, &value)?,
                _ => self.str_of(span, &value)?,
            });
        }
        out.push_str(&crate::engine::python::lexer::decode_escapes(rest, false));
        Ok(out)
    }

    // ------------------------------------------------------------ names

    fn lookup(&mut self, span: Span, name: &str) -> R<Py<'a>> {
        for scope in self.scopes.iter().rev() {
            if let Some(value) = scope.get(name) {
                return Ok(value.clone());
            }
        }
        if let Some(function) = &self.function {
            let is_local = function.locals.iter().any(|l| l == name) || function.parameters.iter().any(|p| p.name.name == name);
            if is_local {
                return exception(
                    span,
                    format!("UnboundLocalError: cannot access local variable '{name}' where it is not associated with a value"),
                );
            }
        }
        if let Some(global) = self.globals.values.get(name) {
            return match global {
                Global::Value(v) => Ok(v.clone()),
                Global::TargetMetaData => Ok(self.metadata.map_or(Py::None, Py::MetaData)),
                Global::TargetBase => Ok(self.metadata.map_or(Py::None, Py::Base)),
            };
        }
        if let Some(builtin) = BUILTIN_FUNCTIONS.iter().find(|b| **b == name) {
            return Ok(Py::Builtin(builtin));
        }
        if dirs::names(dirs::BUILTINS).any(|b| b == name) {
            return unsupported(span, format!("the builtin `{name}`"));
        }
        let mut text = format!("NameError: name '{name}' is not defined");
        if let Some(s) = self.name_suggestion(name) {
            text.push_str(&format!(". Did you mean: '{s}'?"));
        }
        exception(span, text)
    }

    /// Python looks in the function's variables, then the module's globals, then builtins.
    fn name_suggestion(&self, name: &str) -> Option<String> {
        if let Some(function) = &self.function {
            let mut varnames: Vec<&str> = function.parameters.iter().map(|p| p.name.name.as_str()).collect();
            varnames.extend(function.locals.iter().map(String::as_str));
            if let Some(s) = suggestion(name, varnames) {
                return Some(s.to_string());
            }
        }
        const MODULE_DUNDERS: [&str; 8] =
            ["__name__", "__doc__", "__package__", "__loader__", "__spec__", "__file__", "__cached__", "__builtins__"];
        let globals = MODULE_DUNDERS.into_iter().chain(self.globals.names.iter().map(String::as_str));
        if let Some(s) = suggestion(name, globals) {
            return Some(s.to_string());
        }
        suggestion(name, dirs::names(dirs::BUILTINS)).map(str::to_string)
    }

    // ------------------------------------------------------------ attributes

    fn no_attribute(&self, span: Span, value: &Py<'a>, attr: &str) -> R<Py<'a>> {
        let list = match value {
            Py::Str(_) => Some(dirs::DIR_STR),
            Py::Dict(_) => Some(dirs::DIR_DICT),
            Py::Tuple(_) => Some(dirs::DIR_TUPLE),
            Py::List(_) => Some(dirs::DIR_LIST),
            Py::None => Some(dirs::DIR_NONE),
            Py::Bool(_) => Some(dirs::DIR_BOOL),
            Py::Int(_) => Some(dirs::DIR_INT),
            Py::Object(o) => Some(object_dir(o)),
            Py::MetaData(_) => Some(dirs::DIR_METADATA),
            _ => None,
        };
        if let Py::Object(SchemaObject::Column { .. }) = value {
            if !dirs::names(dirs::DIR_COLUMN).any(|n| n == attr) {
                return exception(
                    span,
                    format!(
                        "AttributeError: 'Comparator' object has no attribute '{attr}'\n\nThe above exception was the direct cause of \
                         the following exception:\n\nTraceback (most recent call last):\nAttributeError: Neither 'Column' object nor \
                         'Comparator' object has an attribute '{attr}'{}",
                        suggestion(attr, dirs::names(dirs::DIR_COLUMN)).map(|s| format!(". Did you mean: '{s}'?")).unwrap_or_default()
                    ),
                );
            }
        }
        match list {
            Some(list) if dirs::names(list).any(|n| n == attr) => {
                unsupported(span, format!("`{}.{attr}`", value.type_name()))
            }
            Some(list) => {
                let mut text = format!("AttributeError: '{}' object has no attribute '{attr}'", value.type_name());
                if let Some(s) = suggestion(attr, dirs::names(list)) {
                    text.push_str(&format!(". Did you mean: '{s}'?"));
                }
                exception(span, text)
            }
            None => unsupported(span, format!("`.{attr}` of a {}", value.type_name())),
        }
    }

    fn attribute(&mut self, span: Span, value: Py<'a>, attr: &str) -> R<Py<'a>> {
        let method = |value: Py<'a>, name: &'static str| Ok(Py::Method(Box::new(value), name));
        match &value {
            Py::Str(_) => match STR_METHODS.iter().find(|m| **m == attr) {
                Some(m) => method(value, m),
                None => self.no_attribute(span, &value, attr),
            },
            Py::Dict(_) => match ["get", "keys", "values", "items"].into_iter().find(|m| *m == attr) {
                Some(m) => method(value, m),
                None => self.no_attribute(span, &value, attr),
            },
            Py::Tuple(_) | Py::List(_) => match ["count", "index"].into_iter().find(|m| *m == attr) {
                Some(m) => method(value, m),
                None => self.no_attribute(span, &value, attr),
            },
            Py::Object(object) => match object_attribute(*object, attr, self.metadata) {
                Some(v) => Ok(v),
                None => self.no_attribute(span, &value, attr),
            },
            Py::Columns(table) => match attr {
                "keys" => method(value.clone(), "keys"),
                _ => match table.columns.iter().find(|c| c.name == attr) {
                    Some(column) => Ok(Py::Object(SchemaObject::Column { table, column })),
                    None => exception(
                        span,
                        format!(
                            "KeyError: {}\n\nThe above exception was the direct cause of the following exception:\n\n\
                             Traceback (most recent call last):\nAttributeError: {attr}",
                            repr_str(attr)
                        ),
                    ),
                },
            },
            Py::MetaData(metadata) => match attr {
                "tables" => Ok(Py::Dict(
                    metadata.tables.iter().map(|t| (Py::Str(t.name.clone()), Py::Object(SchemaObject::Table(t)))).collect(),
                )),
                "sorted_tables" => {
                    let by_name: Vec<&Table> = metadata.tables.iter().collect();
                    let (sorted, _) = metadata.sort_tables(&by_name);
                    Ok(Py::List(sorted.into_iter().map(|t| Py::Object(SchemaObject::Table(t))).collect()))
                }
                _ => self.no_attribute(span, &value, attr),
            },
            Py::Base(metadata) => match attr {
                "metadata" => Ok(Py::MetaData(metadata)),
                _ => unsupported(span, format!("`.{attr}` of the declarative base")),
            },
            Py::Class(name) if attr == "__name__" => Ok(Py::Str(name.to_string())),
            Py::Imported(path) if &**path == "alembic.context" && attr == "config" => Ok(Py::AlembicConfig),
            Py::Imported(path) => Ok(Py::Imported(format!("{path}.{attr}").into())),
            Py::AlembicConfig => match attr {
                "get_main_option" | "get_section" | "get_section_option" => {
                    method(value, ["get_main_option", "get_section", "get_section_option"].into_iter().find(|m| *m == attr).unwrap_or(""))
                }
                "config_ini_section" => Ok(Py::Str("alembic".into())),
                "cmd_opts" => Ok(self.cmd_opts.clone().map_or(Py::None, Py::Namespace)),
                "config_file_name" => Ok(self.ini.map_or(Py::None, |i| Py::Str(i.file_name.clone()))),
                _ => unsupported(span, format!("`config.{attr}`")),
            },
            Py::Namespace(items) => match items.iter().find(|(k, _)| k == attr) {
                Some((_, v)) => Ok(v.clone()),
                None => {
                    let mut text = format!("AttributeError: 'Namespace' object has no attribute '{attr}'");
                    let names = items.iter().map(|(k, _)| k.as_str()).chain(["cmd"]);
                    if let Some(s) = suggestion(attr, names) {
                        text.push_str(&format!(". Did you mean: '{s}'?"));
                    }
                    exception(span, text)
                }
            },
            Py::MigrationScript(script) => match attr {
                "upgrade_ops" => Ok(Py::Ops(script.upgrade_ops)),
                "downgrade_ops" => Ok(Py::Ops(script.downgrade_ops)),
                "upgrade_ops_list" => Ok(Py::List(vec![Py::Ops(script.upgrade_ops)])),
                "downgrade_ops_list" => Ok(Py::List(vec![Py::Ops(script.downgrade_ops)])),
                "message" => Ok(script.message.clone().map_or(Py::None, Py::Str)),
                "rev_id" => Ok(script.rev_id.clone().map_or(Py::None, Py::Str)),
                _ => unsupported(span, format!("`MigrationScript.{attr}`")),
            },
            Py::Ops(n) => match attr {
                "is_empty" => method(value.clone(), "is_empty"),
                "ops" => Ok(Py::List((0..*n).map(|_| Py::Opaque("an operation".into())).collect())),
                _ => unsupported(span, format!("`UpgradeOps.{attr}`")),
            },
            Py::Directives(_) => match attr {
                "clear" | "pop" => method(value.clone(), if attr == "clear" { "clear" } else { "pop" }),
                _ => unsupported(span, format!("`directives.{attr}`")),
            },
            Py::Opaque(text) => unsupported(span, format!("`{text}`")),
            _ => self.no_attribute(span, &value, attr),
        }
    }

    // ------------------------------------------------------------ operators

    fn compare(&self, span: Span, left: &Py<'a>, op: CmpOp, right: &Py<'a>) -> R<bool> {
        for side in [left, right] {
            if let Py::Opaque(text) = side {
                if !matches!(op, CmpOp::Is | CmpOp::IsNot) {
                    return unsupported(span, format!("the value of `{text}`"));
                }
            }
        }
        match op {
            CmpOp::Eq => Ok(py_eq(left, right)),
            CmpOp::NotEq => Ok(!py_eq(left, right)),
            CmpOp::Is => Ok(py_is(left, right)),
            CmpOp::IsNot => Ok(!py_is(left, right)),
            CmpOp::In => self.contains(span, right, left),
            CmpOp::NotIn => Ok(!self.contains(span, right, left)?),
            CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                let Some(ordering) = py_cmp(left, right) else {
                    return exception(
                        span,
                        format!(
                            "TypeError: '{}' not supported between instances of '{}' and '{}'",
                            op.as_str(),
                            left.type_name(),
                            right.type_name()
                        ),
                    );
                };
                Ok(match op {
                    CmpOp::Lt => ordering.is_lt(),
                    CmpOp::LtE => ordering.is_le(),
                    CmpOp::Gt => ordering.is_gt(),
                    _ => ordering.is_ge(),
                })
            }
        }
    }

    /// `item in container`.
    fn contains(&self, span: Span, container: &Py<'a>, item: &Py<'a>) -> R<bool> {
        match container {
            Py::Str(s) => match item {
                Py::Str(sub) => Ok(s.contains(sub.as_str())),
                other => exception(span, format!("TypeError: 'in <string>' requires string as left operand, not {}", other.type_name())),
            },
            Py::Tuple(v) | Py::List(v) | Py::Set(v) => Ok(v.iter().any(|x| py_eq(x, item))),
            Py::Dict(v) => Ok(v.iter().any(|(k, _)| py_eq(k, item))),
            Py::Columns(table) => match item {
                Py::Str(name) => Ok(table.columns.iter().any(|c| &c.name == name)),
                Py::Object(SchemaObject::Column { column, .. }) => Ok(table.columns.iter().any(|c| std::ptr::eq(c, *column))),
                _ => unsupported(span, "`in` on a column collection with this value"),
            },
            Py::ColumnList(table, names) => match item {
                Py::Str(name) => Ok(names.contains(name)),
                Py::Object(SchemaObject::Column { table: t, column }) => {
                    Ok(std::ptr::eq(*t, *table) && names.iter().any(|n| n == &column.name))
                }
                _ => unsupported(span, "`in` on a column collection with this value"),
            },
            Py::Opaque(text) => unsupported(span, format!("the value of `{text}`")),
            other => exception(span, format!("TypeError: argument of type '{}' is not iterable", other.type_name())),
        }
    }

    fn binary(&self, span: Span, left: Py<'a>, op: BinaryOp, right: Py<'a>) -> R<Py<'a>> {
        let int = |v: &Py<'a>| match v {
            Py::Int(i) => Some(*i),
            Py::Bool(b) => Some(*b as i64),
            _ => None,
        };
        let float = |v: &Py<'a>| match v {
            Py::Float(f) => Some(*f),
            other => int(other).map(|i| i as f64),
        };
        let overflow = || exception(span, "OverflowError: driftlab's integers are 64-bit");
        match (op, &left, &right) {
            (BinaryOp::Add, Py::Str(a), Py::Str(b)) => return Ok(Py::Str(format!("{a}{b}"))),
            (BinaryOp::Add, Py::Str(_), other) => {
                return exception(span, format!("TypeError: can only concatenate str (not \"{}\") to str", other.type_name()))
            }
            (BinaryOp::Add, Py::Tuple(a), Py::Tuple(b)) => return Ok(Py::Tuple(a.iter().chain(b).cloned().collect())),
            (BinaryOp::Add, Py::List(a), Py::List(b)) => return Ok(Py::List(a.iter().chain(b).cloned().collect())),
            (BinaryOp::Mult, Py::Str(s), n) | (BinaryOp::Mult, n, Py::Str(s)) if int(n).is_some() => {
                return Ok(Py::Str(s.repeat(int(n).unwrap_or(0).max(0) as usize)))
            }
            (BinaryOp::BitOr, Py::Set(a), Py::Set(b)) => return Ok(Py::Set(dedup(a.iter().chain(b).cloned().collect()))),
            (BinaryOp::BitAnd, Py::Set(a), Py::Set(b)) => {
                return Ok(Py::Set(a.iter().filter(|x| b.iter().any(|y| py_eq(x, y))).cloned().collect()))
            }
            (BinaryOp::Sub, Py::Set(a), Py::Set(b)) => {
                return Ok(Py::Set(a.iter().filter(|x| !b.iter().any(|y| py_eq(x, y))).cloned().collect()))
            }
            _ => {}
        }
        if let (Some(a), Some(b)) = (int(&left), int(&right)) {
            let result = match op {
                BinaryOp::Add => a.checked_add(b),
                BinaryOp::Sub => a.checked_sub(b),
                BinaryOp::Mult => a.checked_mul(b),
                BinaryOp::FloorDiv | BinaryOp::Mod if b == 0 => {
                    return exception(span, "ZeroDivisionError: integer division or modulo by zero")
                }
                BinaryOp::FloorDiv => Some(a.div_euclid(b) - if (a.rem_euclid(b) != 0) && (b < 0) { 1 } else { 0 }),
                BinaryOp::Mod => Some(((a % b) + b) % b),
                BinaryOp::Div if b == 0 => return exception(span, "ZeroDivisionError: division by zero"),
                BinaryOp::Div => return Ok(Py::Float(a as f64 / b as f64)),
                _ => return unsupported(span, format!("the `{}` operator", op.as_str())),
            };
            return result.map(Py::Int).map_or_else(overflow, Ok);
        }
        if let (Some(a), Some(b)) = (float(&left), float(&right)) {
            return match op {
                BinaryOp::Add => Ok(Py::Float(a + b)),
                BinaryOp::Sub => Ok(Py::Float(a - b)),
                BinaryOp::Mult => Ok(Py::Float(a * b)),
                BinaryOp::Div if b == 0.0 => exception(span, "ZeroDivisionError: float division by zero"),
                BinaryOp::Div => Ok(Py::Float(a / b)),
                _ => unsupported(span, format!("the `{}` operator on floats", op.as_str())),
            };
        }
        if let (BinaryOp::Mod, Py::Str(_)) = (op, &left) {
            return unsupported(span, "`%` formatting (use an f-string)");
        }
        exception(
            span,
            format!(
                "TypeError: unsupported operand type(s) for {}: '{}' and '{}'",
                op.as_str(),
                left.type_name(),
                right.type_name()
            ),
        )
    }

    fn subscript(&self, span: Span, base: Py<'a>, key: Py<'a>) -> R<Py<'a>> {
        let index = |len: usize, kind: &str| -> R<usize> {
            let Py::Int(i) = key else {
                return exception(span, format!("TypeError: {kind} indices must be integers or slices, not {}", key.type_name()));
            };
            let i = if i < 0 { i + len as i64 } else { i };
            if i < 0 || i >= len as i64 {
                return exception(span, format!("IndexError: {kind} index out of range"));
            }
            Ok(i as usize)
        };
        match &base {
            Py::Tuple(v) => Ok(v[index(v.len(), "tuple")?].clone()),
            Py::List(v) => Ok(v[index(v.len(), "list")?].clone()),
            Py::Str(s) => {
                let chars: Vec<char> = s.chars().collect();
                Ok(Py::Str(chars[index(chars.len(), "string")?].to_string()))
            }
            Py::Dict(v) => match v.iter().find(|(k, _)| py_eq(k, &key)) {
                Some((_, value)) => Ok(value.clone()),
                None => exception(span, format!("KeyError: {}", self.repr_of(span, &key)?)),
            },
            Py::Directives(directives) => {
                let len = usize::from(!directives.emptied.get());
                index(len, "list")?;
                Ok(Py::MigrationScript(directives.script.clone()))
            }
            Py::Columns(table) => match &key {
                Py::Str(name) => match table.columns.iter().find(|c| &c.name == name) {
                    Some(column) => Ok(Py::Object(SchemaObject::Column { table, column })),
                    None => exception(span, format!("KeyError: {}", repr_str(name))),
                },
                _ => unsupported(span, "indexing a column collection by position"),
            },
            Py::Opaque(text) => unsupported(span, format!("`{text}`")),
            other => exception(span, format!("TypeError: '{}' object is not subscriptable", other.type_name())),
        }
    }

    fn slice(&self, span: Span, base: Py<'a>, lower: Option<i64>, upper: Option<i64>) -> R<Py<'a>> {
        let bounds = |len: usize| {
            let clamp = |i: i64| if i < 0 { (i + len as i64).max(0) as usize } else { (i as usize).min(len) };
            let lo = lower.map_or(0, clamp);
            let hi = upper.map_or(len, clamp);
            (lo, hi.max(lo))
        };
        match base {
            Py::Str(s) => {
                let chars: Vec<char> = s.chars().collect();
                let (lo, hi) = bounds(chars.len());
                Ok(Py::Str(chars[lo..hi].iter().collect()))
            }
            Py::Tuple(v) => {
                let (lo, hi) = bounds(v.len());
                Ok(Py::Tuple(v[lo..hi].to_vec()))
            }
            Py::List(v) => {
                let (lo, hi) = bounds(v.len());
                Ok(Py::List(v[lo..hi].to_vec()))
            }
            other => exception(span, format!("TypeError: '{}' object is not subscriptable", other.type_name())),
        }
    }

    /// The items `for` walks.
    fn iterate(&self, span: Span, value: Py<'a>) -> R<Vec<Py<'a>>> {
        match value {
            Py::Tuple(v) | Py::List(v) | Py::Set(v) => Ok(v),
            Py::Dict(v) => Ok(v.into_iter().map(|(k, _)| k).collect()),
            Py::Str(s) => Ok(s.chars().map(|c| Py::Str(c.to_string())).collect()),
            Py::Columns(table) => Ok(table.columns.iter().map(|column| Py::Object(SchemaObject::Column { table, column })).collect()),
            Py::ColumnList(table, names) => Ok(names
                .iter()
                .filter_map(|n| table.columns.iter().find(|c| &c.name == n))
                .map(|column| Py::Object(SchemaObject::Column { table, column }))
                .collect()),
            Py::Directives(d) if d.emptied.get() => Ok(Vec::new()),
            Py::Directives(d) => Ok(vec![Py::MigrationScript(d.script.clone())]),
            Py::Opaque(text) => unsupported(span, format!("the value of `{text}`")),
            other => exception(span, format!("TypeError: '{}' object is not iterable", other.type_name())),
        }
    }

    // ------------------------------------------------------------ calls

    fn call(&mut self, expr: &Expr, func: &Expr, arguments: &[crate::engine::python::ast::Argument]) -> R<Py<'a>> {
        // `any(... for ...)` / `all(... for ...)` stop at the first answer, as generators do.
        if let (ExprKind::Name(name), [arg]) = (&func.kind, arguments) {
            if let (ArgumentKind::Positional(inner), true) = (&arg.kind, name == "any" || name == "all") {
                if let ExprKind::GeneratorExp { element, generators } = &inner.kind {
                    if matches!(self.lookup(func.span, name)?, Py::Builtin(_)) {
                        let want = name == "any";
                        let mut found = false;
                        self.comprehension(generators, &mut |me| {
                            let value = me.eval(element)?;
                            if me.truthy(element.span, &value)? == want {
                                found = true;
                                return Ok(false);
                            }
                            Ok(true)
                        })?;
                        return Ok(Py::Bool(if want { found } else { !found }));
                    }
                }
            }
        }
        let callee = self.eval(func)?;
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        for argument in arguments {
            match &argument.kind {
                ArgumentKind::Positional(value) => args.push(self.eval(value)?),
                ArgumentKind::Keyword { name, value } => kwargs.push((name.name.clone(), self.eval(value)?)),
                ArgumentKind::Unpack(value) => {
                    let v = self.eval(value)?;
                    args.extend(self.iterate(value.span, v)?);
                }
                ArgumentKind::UnpackMapping(value) => return unsupported(value.span, "`**` arguments"),
            }
        }
        match callee {
            Py::Function(function) => self.call_function(&function, args, kwargs, Some(expr.span)),
            Py::Builtin(name) => self.call_builtin(expr.span, name, args, kwargs),
            Py::Method(receiver, name) => self.call_method(expr.span, *receiver, name, args, kwargs),
            Py::Imported(path) => unsupported(expr.span, format!("calling `{path}`")),
            Py::Opaque(text) => unsupported(expr.span, format!("calling `{text}`")),
            other => exception(expr.span, format!("TypeError: '{}' object is not callable", other.type_name())),
        }
    }

    fn call_builtin(&mut self, span: Span, name: &'static str, args: Vec<Py<'a>>, kwargs: Vec<(String, Py<'a>)>) -> R<Py<'a>> {
        if name == "print" {
            let mut sep = " ".to_string();
            let mut end = "\n".to_string();
            for (key, value) in kwargs {
                match (key.as_str(), value) {
                    ("sep", Py::Str(s)) => sep = s,
                    ("end", Py::Str(s)) => end = s,
                    ("sep" | "end", Py::None) => {}
                    ("file" | "flush", _) => {}
                    (other, _) => return exception(span, format!("TypeError: '{other}' is an invalid keyword argument for print()")),
                }
            }
            let parts: Vec<String> = args.iter().map(|a| self.str_of(span, a)).collect::<R<_>>()?;
            self.printed.push_str(&parts.join(&sep));
            self.printed.push_str(&end);
            return Ok(Py::None);
        }
        if !kwargs.is_empty() && !matches!(name, "sorted" | "getattr") {
            return exception(span, format!("TypeError: {name}() takes no keyword arguments"));
        }
        let arity = |n: usize| -> R<()> {
            if args.len() == n {
                Ok(())
            } else {
                exception(span, format!("TypeError: {name}() takes exactly {} argument ({} given)", n, args.len()).replace(
                    "exactly 1 argument (",
                    "exactly one argument (",
                ))
            }
        };
        match name {
            "len" => {
                arity(1)?;
                let n = match &args[0] {
                    Py::Str(s) => s.chars().count(),
                    Py::Tuple(v) | Py::List(v) | Py::Set(v) => v.len(),
                    Py::Dict(v) => v.len(),
                    Py::Columns(t) => t.columns.len(),
                    Py::ColumnList(_, c) => c.len(),
                    Py::Directives(d) => usize::from(!d.emptied.get()),
                    other => return exception(span, format!("TypeError: object of type '{}' has no len()", other.type_name())),
                };
                Ok(Py::Int(n as i64))
            }
            "str" | "repr" => {
                if args.is_empty() {
                    return Ok(Py::Str(String::new()));
                }
                let text = if name == "str" { self.str_of(span, &args[0])? } else { self.repr_of(span, &args[0])? };
                Ok(Py::Str(text))
            }
            "bool" => Ok(Py::Bool(match args.first() {
                Some(v) => self.truthy(span, v)?,
                None => false,
            })),
            "int" => match args.first() {
                None => Ok(Py::Int(0)),
                Some(Py::Int(i)) => Ok(Py::Int(*i)),
                Some(Py::Bool(b)) => Ok(Py::Int(*b as i64)),
                Some(Py::Float(f)) => Ok(Py::Int(f.trunc() as i64)),
                Some(Py::Str(s)) => match s.trim().replace('_', "").parse::<i64>() {
                    Ok(i) => Ok(Py::Int(i)),
                    Err(_) => exception(span, format!("ValueError: invalid literal for int() with base 10: {}", repr_str(s))),
                },
                Some(other) => exception(
                    span,
                    format!("TypeError: int() argument must be a string, a bytes-like object or a real number, not '{}'", other.type_name()),
                ),
            },
            "any" | "all" => {
                arity(1)?;
                let items = self.iterate(span, args.into_iter().next().unwrap_or(Py::None))?;
                let want = name == "any";
                for item in &items {
                    if self.truthy(span, item)? == want {
                        return Ok(Py::Bool(want));
                    }
                }
                Ok(Py::Bool(!want))
            }
            "list" | "tuple" | "set" | "frozenset" | "sorted" => {
                let items = match args.into_iter().next() {
                    Some(v) => self.iterate(span, v)?,
                    None => Vec::new(),
                };
                Ok(match name {
                    "list" => Py::List(items),
                    "tuple" => Py::Tuple(items),
                    "sorted" => {
                        let mut items = items;
                        let reverse = kwargs.iter().any(|(k, v)| k == "reverse" && matches!(v, Py::Bool(true)));
                        if kwargs.iter().any(|(k, _)| k != "reverse") {
                            return unsupported(span, "sorted() with a key");
                        }
                        for pair in items.windows(2) {
                            if py_cmp(&pair[0], &pair[1]).is_none() {
                                return exception(
                                    span,
                                    format!(
                                        "TypeError: '<' not supported between instances of '{}' and '{}'",
                                        pair[1].type_name(),
                                        pair[0].type_name()
                                    ),
                                );
                            }
                        }
                        items.sort_by(|a, b| py_cmp(a, b).unwrap_or(std::cmp::Ordering::Equal));
                        if reverse {
                            items.reverse();
                        }
                        Py::List(items)
                    }
                    _ => Py::Set(dedup(items)),
                })
            }
            "min" | "max" => {
                let items = if args.len() == 1 { self.iterate(span, args.into_iter().next().unwrap_or(Py::None))? } else { args };
                let Some(mut best) = items.first().cloned() else {
                    return exception(span, format!("ValueError: {name}() arg is an empty sequence"));
                };
                for item in &items[1..] {
                    let Some(ordering) = py_cmp(item, &best) else {
                        return exception(span, format!("TypeError: '<' not supported between instances of '{}' and '{}'", item.type_name(), best.type_name()));
                    };
                    if (name == "min" && ordering.is_lt()) || (name == "max" && ordering.is_gt()) {
                        best = item.clone();
                    }
                }
                Ok(best)
            }
            "isinstance" => {
                if args.len() != 2 {
                    return exception(span, format!("TypeError: isinstance expected 2 arguments, got {}", args.len()));
                }
                let classes = match &args[1] {
                    Py::Tuple(v) => v.clone(),
                    other => vec![other.clone()],
                };
                for class in &classes {
                    if self.is_instance(span, &args[0], class)? {
                        return Ok(Py::Bool(true));
                    }
                }
                Ok(Py::Bool(false))
            }
            "type" => {
                arity(1)?;
                match &args[0] {
                    Py::Object(o) => Ok(Py::Class(o.class_name())),
                    other => Ok(Py::Class(other.type_name())),
                }
            }
            "getattr" | "hasattr" => {
                if args.len() < 2 || (name == "hasattr" && args.len() != 2) || args.len() > 3 {
                    return exception(span, format!("TypeError: {name} expected 2 arguments, got {}", args.len()));
                }
                let Py::Str(attr) = &args[1] else {
                    return exception(span, "TypeError: attribute name must be string");
                };
                let attr = attr.clone();
                let mut args = args.into_iter();
                let object = args.next().unwrap_or(Py::None);
                let default = args.nth(1);
                match self.attribute(span, object, &attr) {
                    Ok(v) => Ok(if name == "hasattr" { Py::Bool(true) } else { v }),
                    Err(Raise { kind: RaiseKind::Exception(text), .. }) if text.starts_with("AttributeError") || text.contains("\nAttributeError") => {
                        match (name, default) {
                            ("hasattr", _) => Ok(Py::Bool(false)),
                            (_, Some(default)) => Ok(default),
                            _ => exception(span, text),
                        }
                    }
                    Err(other) => Err(other),
                }
            }
            _ => unsupported(span, format!("the builtin `{name}`")),
        }
    }

    fn is_instance(&self, span: Span, value: &Py<'a>, class: &Py<'a>) -> R<bool> {
        match class {
            Py::Builtin(b) => Ok(match *b {
                "str" => matches!(value, Py::Str(_)),
                "int" => matches!(value, Py::Int(_) | Py::Bool(_)),
                "bool" => matches!(value, Py::Bool(_)),
                "float" => matches!(value, Py::Float(_)),
                "tuple" => matches!(value, Py::Tuple(_)),
                "list" => matches!(value, Py::List(_)),
                "set" | "frozenset" => matches!(value, Py::Set(_)),
                "dict" => matches!(value, Py::Dict(_)),
                other => return exception(span, format!("TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union (got {other})")),
            }),
            Py::Imported(path) if path.starts_with("sqlalchemy") => {
                let class = path.rsplit('.').next().unwrap_or("");
                let Py::Object(object) = value else { return Ok(false) };
                Ok(match class {
                    "SchemaItem" => true,
                    "Constraint" => matches!(object, SchemaObject::UniqueConstraint { .. } | SchemaObject::ForeignKeyConstraint { .. }),
                    "ColumnCollectionConstraint" => {
                        matches!(object, SchemaObject::UniqueConstraint { .. } | SchemaObject::ForeignKeyConstraint { .. })
                    }
                    "Table" | "Column" | "Index" | "UniqueConstraint" | "ForeignKeyConstraint" => object.class_name() == class,
                    "PrimaryKeyConstraint" | "CheckConstraint" | "MetaData" | "Sequence" => false,
                    other => return unsupported(span, format!("isinstance() with `{other}`")),
                })
            }
            Py::Class(name) => Ok(match value {
                Py::Object(o) => o.class_name() == *name,
                other => other.type_name() == *name,
            }),
            other => unsupported(span, format!("isinstance() with a {}", other.type_name())),
        }
    }

    fn call_method(&mut self, span: Span, receiver: Py<'a>, name: &'static str, args: Vec<Py<'a>>, kwargs: Vec<(String, Py<'a>)>) -> R<Py<'a>> {
        if !kwargs.is_empty() {
            return unsupported(span, format!("keyword arguments to `.{name}()`"));
        }
        let type_name = receiver.type_name();
        let count = |min: usize, max: usize| -> R<()> {
            if args.len() < min || args.len() > max {
                let text = if min == max && min == 0 {
                    format!("TypeError: {type_name}.{name}() takes no arguments ({} given)", args.len())
                } else if args.len() < min {
                    format!("TypeError: {name}() takes at least {min} argument ({} given)", args.len())
                } else {
                    format!("TypeError: {name}() takes at most {max} arguments ({} given)", args.len())
                };
                return exception(span, text);
            }
            Ok(())
        };
        match receiver {
            Py::Str(s) => {
                let str_arg = |i: usize, what: &str| -> R<Option<String>> {
                    match args.get(i) {
                        None | Some(Py::None) => Ok(None),
                        Some(Py::Str(t)) => Ok(Some(t.clone())),
                        Some(other) => exception(span, format!("TypeError: {what} must be None or str, not {}", other.type_name())),
                    }
                };
                match name {
                    "startswith" | "endswith" => {
                        count(1, 1)?;
                        let candidates = match &args[0] {
                            Py::Str(t) => vec![t.clone()],
                            Py::Tuple(items) => {
                                let mut out = Vec::new();
                                for item in items {
                                    match item {
                                        Py::Str(t) => out.push(t.clone()),
                                        other => {
                                            return exception(span, format!("TypeError: tuple for {name} must only contain str, not {}", other.type_name()))
                                        }
                                    }
                                }
                                out
                            }
                            other => {
                                return exception(span, format!("TypeError: {name} first arg must be str or a tuple of str, not {}", other.type_name()))
                            }
                        };
                        Ok(Py::Bool(candidates.iter().any(|c| if name == "startswith" { s.starts_with(c.as_str()) } else { s.ends_with(c.as_str()) })))
                    }
                    "lower" | "upper" | "casefold" | "title" | "capitalize" | "isdigit" | "isalpha" | "isidentifier" | "islower" | "isupper" => {
                        count(0, 0)?;
                        Ok(match name {
                            "lower" | "casefold" => Py::Str(s.to_lowercase()),
                            "upper" => Py::Str(s.to_uppercase()),
                            "title" => Py::Str(title_case(&s)),
                            "capitalize" => {
                                let mut chars = s.chars();
                                Py::Str(chars.next().map(|c| c.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect()).unwrap_or_default())
                            }
                            "isdigit" => Py::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
                            "isalpha" => Py::Bool(!s.is_empty() && s.chars().all(char::is_alphabetic)),
                            "isidentifier" => Py::Bool(
                                s.chars().next().is_some_and(|c| c == '_' || c.is_alphabetic()) && s.chars().all(|c| c == '_' || c.is_alphanumeric()),
                            ),
                            "islower" => Py::Bool(s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase)),
                            _ => Py::Bool(s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)),
                        })
                    }
                    "strip" | "lstrip" | "rstrip" => {
                        count(0, 1)?;
                        let chars = str_arg(0, "strip arg")?;
                        let matches = |c: char| chars.as_deref().map_or(c.is_whitespace(), |set| set.contains(c));
                        Ok(Py::Str(match name {
                            "strip" => s.trim_matches(matches),
                            "lstrip" => s.trim_start_matches(matches),
                            _ => s.trim_end_matches(matches),
                        }
                        .to_string()))
                    }
                    "removeprefix" | "removesuffix" => {
                        count(1, 1)?;
                        let Some(affix) = str_arg(0, "argument")? else {
                            return exception(span, format!("TypeError: {name}() argument must be str, not None"));
                        };
                        Ok(Py::Str(match name {
                            "removeprefix" => s.strip_prefix(affix.as_str()).unwrap_or(&s).to_string(),
                            _ => s.strip_suffix(affix.as_str()).unwrap_or(&s).to_string(),
                        }))
                    }
                    "split" | "rsplit" => {
                        count(0, 2)?;
                        let sep = str_arg(0, "must be str or None")?;
                        let max = match args.get(1) {
                            None => -1,
                            Some(Py::Int(i)) => *i,
                            Some(other) => return exception(span, format!("TypeError: '{}' object cannot be interpreted as an integer", other.type_name())),
                        };
                        if sep.as_deref() == Some("") {
                            return exception(span, "ValueError: empty separator");
                        }
                        let parts: Vec<String> = match (&sep, max < 0, name) {
                            (Some(sep), true, _) => s.split(sep.as_str()).map(str::to_string).collect(),
                            (Some(sep), false, "split") => s.splitn(max as usize + 1, sep.as_str()).map(str::to_string).collect(),
                            (Some(sep), false, _) => {
                                let mut v: Vec<String> = s.rsplitn(max as usize + 1, sep.as_str()).map(str::to_string).collect();
                                v.reverse();
                                v
                            }
                            (None, true, _) => s.split_whitespace().map(str::to_string).collect(),
                            (None, false, _) => return unsupported(span, "split() on whitespace with maxsplit"),
                        };
                        Ok(Py::List(parts.into_iter().map(Py::Str).collect()))
                    }
                    "replace" => {
                        count(2, 2)?;
                        match (&args[0], &args[1]) {
                            (Py::Str(a), Py::Str(b)) => Ok(Py::Str(s.replace(a.as_str(), b))),
                            (a, b) => {
                                let bad = if matches!(a, Py::Str(_)) { b } else { a };
                                exception(span, format!("TypeError: replace() argument must be str, not {}", bad.type_name()))
                            }
                        }
                    }
                    "count" | "find" => {
                        count(1, 1)?;
                        let Py::Str(sub) = &args[0] else {
                            return exception(span, format!("TypeError: must be str, not {}", args[0].type_name()));
                        };
                        Ok(Py::Int(match name {
                            "count" => s.matches(sub.as_str()).count() as i64,
                            _ => s.find(sub.as_str()).map_or(-1, |i| s[..i].chars().count() as i64),
                        }))
                    }
                    "join" => {
                        count(1, 1)?;
                        let items = self.iterate(span, args.into_iter().next().unwrap_or(Py::None))?;
                        let mut parts = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            match item {
                                Py::Str(t) => parts.push(t.clone()),
                                other => {
                                    return exception(span, format!("TypeError: sequence item {i}: expected str instance, {} found", other.type_name()))
                                }
                            }
                        }
                        Ok(Py::Str(parts.join(&s)))
                    }
                    _ => unsupported(span, format!("`str.{name}()`")),
                }
            }
            Py::Dict(items) => match name {
                "get" => {
                    count(1, 2)?;
                    let default = args.get(1).cloned().unwrap_or(Py::None);
                    Ok(items.iter().find(|(k, _)| py_eq(k, &args[0])).map_or(default, |(_, v)| v.clone()))
                }
                "keys" => Ok(Py::List(items.into_iter().map(|(k, _)| k).collect())),
                "values" => Ok(Py::List(items.into_iter().map(|(_, v)| v).collect())),
                _ => Ok(Py::List(items.into_iter().map(|(k, v)| Py::Tuple(vec![k, v])).collect())),
            },
            Py::Tuple(items) | Py::List(items) => {
                count(1, 1)?;
                match name {
                    "count" => Ok(Py::Int(items.iter().filter(|x| py_eq(x, &args[0])).count() as i64)),
                    _ => match items.iter().position(|x| py_eq(x, &args[0])) {
                        Some(i) => Ok(Py::Int(i as i64)),
                        None => exception(span, format!("ValueError: {} is not in {type_name}", self.repr_of(span, &args[0])?)),
                    },
                }
            }
            Py::Columns(table) => Ok(Py::List(table.columns.iter().map(|c| Py::Str(c.name.clone())).collect())),
            Py::AlembicConfig => self.config_method(span, name, args),
            Py::Ops(n) => Ok(Py::Bool(n == 0)),
            Py::Directives(directives) => {
                let had = !directives.emptied.get();
                directives.emptied.set(true);
                match (name, had) {
                    ("pop", true) => Ok(Py::MigrationScript(directives.script.clone())),
                    ("pop", false) => exception(span, "IndexError: pop from empty list"),
                    _ => Ok(Py::None),
                }
            }
            other => unsupported(span, format!("`{}.{name}()`", other.type_name())),
        }
    }

    /// `config.get_main_option(name, default=None)`, `get_section(name,
    /// default=None)`, `get_section_option(section, name, default=None)`.
    fn config_method(&self, span: Span, name: &str, args: Vec<Py<'a>>) -> R<Py<'a>> {
        let Some(ini) = self.ini else { return unsupported(span, format!("`config.{name}()` without an alembic.ini")) };
        let text = |i: usize| match args.get(i) {
            Some(Py::Str(s)) => Some(s.clone()),
            _ => None,
        };
        let (section, option, default) = match name {
            "get_main_option" => (Some("alembic".to_string()), text(0), args.get(1).cloned()),
            "get_section" => (text(0), None, args.get(1).cloned()),
            _ => (text(0), text(1), args.get(2).cloned()),
        };
        let Some(section) = section else { return unsupported(span, format!("`config.{name}()` with these arguments")) };
        let items = ini.ini.items(&section, &ini.here);
        let value = |v: &Option<String>| -> R<Py<'a>> {
            match v {
                Some(v) => Ok(Py::Str(v.clone())),
                None => unsupported(span, "an alembic.ini value whose %(...)s reference doesn't resolve"),
            }
        };
        match (name, items) {
            ("get_section", None) => Ok(default.unwrap_or(Py::None)),
            ("get_section", Some(items)) => {
                let mut out = Vec::new();
                for (k, v) in &items {
                    out.push((Py::Str(k.clone()), value(v)?));
                }
                Ok(Py::Dict(out))
            }
            (_, None) => exception(
                span,
                format!(
                    "alembic.util.exc.CommandError: No config file {} found, or file has no '[{section}]' section",
                    repr_str(&ini.file_name)
                ),
            ),
            (_, Some(items)) => {
                let Some(option) = option else { return unsupported(span, format!("`config.{name}()` with these arguments")) };
                match items.iter().find(|(k, _)| *k == option.to_lowercase()) {
                    Some((_, v)) => value(v),
                    None => Ok(default.unwrap_or(Py::None)),
                }
            }
        }
    }

    // ------------------------------------------------------------ str / repr

    pub fn str_of(&self, span: Span, value: &Py<'a>) -> R<String> {
        match value {
            Py::Str(s) => Ok(s.clone()),
            Py::Object(SchemaObject::Table(t)) => Ok(t.name.clone()),
            Py::Object(SchemaObject::Column { table, column }) => Ok(format!("{}.{}", table.name, column.name)),
            other => self.repr_of(span, other),
        }
    }

    pub fn repr_of(&self, span: Span, value: &Py<'a>) -> R<String> {
        let list = |me: &Self, items: &[Py<'a>]| -> R<Vec<String>> { items.iter().map(|i| me.repr_of(span, i)).collect() };
        Ok(match value {
            Py::None => "None".into(),
            Py::Bool(true) => "True".into(),
            Py::Bool(false) => "False".into(),
            Py::Int(i) => i.to_string(),
            Py::Float(f) => repr_float(*f),
            Py::Str(s) => repr_str(s),
            Py::Tuple(items) if items.len() == 1 => format!("({},)", list(self, items)?[0]),
            Py::Tuple(items) => format!("({})", list(self, items)?.join(", ")),
            Py::List(items) => format!("[{}]", list(self, items)?.join(", ")),
            Py::Set(items) if items.is_empty() => "set()".into(),
            Py::Set(items) => format!("{{{}}}", list(self, items)?.join(", ")),
            Py::Dict(items) => {
                let mut parts = Vec::new();
                for (k, v) in items {
                    parts.push(format!("{}: {}", self.repr_of(span, k)?, self.repr_of(span, v)?));
                }
                format!("{{{}}}", parts.join(", "))
            }
            Py::Object(SchemaObject::Table(t)) => {
                return unsupported(span, format!("printing the Table object for '{}' (print its .name)", t.name))
            }
            Py::Class(name) => format!("<class '{name}'>"),
            Py::Function(f) => return unsupported(span, format!("printing the function {}", f.name)),
            other => return unsupported(span, format!("printing a {}", other.type_name())),
        })
    }
}

/// `[:]`.
fn is_whole_slice(index: &Expr) -> bool {
    matches!(index.kind, ExprKind::Slice { lower: None, upper: None, step: None })
}

/// Builtins the interpreter runs (others are "not supported").
const BUILTIN_FUNCTIONS: &[&str] = &[
    "len", "str", "repr", "bool", "int", "any", "all", "list", "tuple", "set", "frozenset", "sorted", "min", "max", "isinstance",
    "type", "getattr", "hasattr", "print", "float", "dict",
];

const STR_METHODS: &[&str] = &[
    "startswith", "endswith", "lower", "upper", "casefold", "title", "capitalize", "isdigit", "isalpha", "isidentifier", "islower",
    "isupper", "strip", "lstrip", "rstrip", "removeprefix", "removesuffix", "split", "rsplit", "replace", "count", "find", "join",
];

fn title_case(s: &str) -> String {
    let mut out = String::new();
    let mut previous_cased = false;
    for c in s.chars() {
        if previous_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        previous_cased = c.is_alphabetic();
    }
    out
}


fn dedup<'a>(items: Vec<Py<'a>>) -> Vec<Py<'a>> {
    let mut out: Vec<Py<'a>> = Vec::new();
    for item in items {
        if !out.iter().any(|x| py_eq(x, &item)) {
            out.push(item);
        }
    }
    out
}

/// `a == b`.
pub fn py_eq(a: &Py<'_>, b: &Py<'_>) -> bool {
    match (a, b) {
        (Py::None, Py::None) => true,
        (Py::Str(x), Py::Str(y)) => x == y,
        (Py::Int(x), Py::Int(y)) => x == y,
        (Py::Tuple(x), Py::Tuple(y)) | (Py::List(x), Py::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q)),
        (Py::Set(x), Py::Set(y)) => x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| py_eq(p, q))),
        (Py::Dict(x), Py::Dict(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| py_eq(k, k2) && py_eq(v, v2)))
        }
        (Py::Object(x), Py::Object(y)) => x.same_as(y),
        (Py::Class(x), Py::Class(y)) => x == y,
        (Py::Builtin(x), Py::Builtin(y)) => x == y,
        (Py::Imported(x), Py::Imported(y)) => x == y,
        _ => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// A number's value, for comparisons across `bool`, `int` and `float`.
fn as_number(v: &Py<'_>) -> Option<f64> {
    match v {
        Py::Int(i) => Some(*i as f64),
        Py::Bool(b) => Some(*b as i64 as f64),
        Py::Float(f) => Some(*f),
        _ => None,
    }
}

/// `a is b`: identity for objects; `None`, `True` and `False` are singletons.
fn py_is(a: &Py<'_>, b: &Py<'_>) -> bool {
    match (a, b) {
        (Py::None, Py::None) => true,
        (Py::Bool(x), Py::Bool(y)) => x == y,
        (Py::Object(x), Py::Object(y)) => x.same_as(y),
        (Py::Str(x), Py::Str(y)) => x == y,
        (Py::Int(x), Py::Int(y)) => x == y,
        (Py::Opaque(_), Py::None) | (Py::None, Py::Opaque(_)) => false,
        (Py::Class(x), Py::Class(y)) => x == y,
        _ => false,
    }
}

/// The ordering `<` uses, if the two can be ordered.
fn py_cmp(a: &Py<'_>, b: &Py<'_>) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Py::Str(x), Py::Str(y)) => Some(x.cmp(y)),
        (Py::Tuple(x), Py::Tuple(y)) | (Py::List(x), Py::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                if !py_eq(p, q) {
                    return py_cmp(p, q);
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => as_number(a)?.partial_cmp(&as_number(b)?),
    }
}

/// `dir()` of a schema object.
fn object_dir(object: &SchemaObject<'_>) -> &'static str {
    match object {
        SchemaObject::Table(_) => dirs::DIR_TABLE,
        SchemaObject::Column { .. } => dirs::DIR_COLUMN,
        SchemaObject::Index { .. } => dirs::DIR_INDEX,
        SchemaObject::UniqueConstraint { .. } => dirs::DIR_UNIQUECONSTRAINT,
        SchemaObject::ForeignKeyConstraint { .. } => dirs::DIR_FOREIGNKEYCONSTRAINT,
    }
}

/// The attributes of the schema objects that hooks read.
fn object_attribute<'a>(object: SchemaObject<'a>, attr: &str, metadata: Option<&'a MetaData>) -> Option<Py<'a>> {
    let opt_str = |s: &Option<String>| s.as_ref().map_or(Py::None, |s| Py::Str(s.clone()));
    let empty_info = || Py::Dict(Vec::new());
    Some(match object {
        SchemaObject::Table(table) => match attr {
            "name" | "fullname" | "key" | "description" => Py::Str(table.name.clone()),
            "schema" => Py::None,
            "info" => empty_info(),
            "comment" => opt_str(&table.comment),
            "c" | "columns" => Py::Columns(table),
            "indexes" => Py::Set(table.indexes.iter().map(|index| Py::Object(SchemaObject::Index { table, index })).collect()),
            "foreign_key_constraints" => Py::Set(
                table.foreign_keys().map(|constraint| Py::Object(SchemaObject::ForeignKeyConstraint { table, constraint })).collect(),
            ),
            _ => return None,
        },
        SchemaObject::Column { table, column } => match attr {
            "name" | "key" | "description" => Py::Str(column.name.clone()),
            "table" => Py::Object(SchemaObject::Table(table)),
            "nullable" => Py::Bool(column.nullable),
            "primary_key" => Py::Bool(column.primary_key),
            "unique" => if column.unique { Py::Bool(true) } else { Py::None },
            "index" => if column.index { Py::Bool(true) } else { Py::None },
            "info" => Py::Dict(column.info.iter().map(|(k, v)| (Py::Str(k.clone()), literal(v))).collect()),
            "comment" => opt_str(&column.comment),
            "server_default" if column.server_default.is_none() => Py::None,
            _ => return None,
        },
        SchemaObject::Index { table, index } => match attr {
            "name" => opt_str(&index.name),
            "table" => Py::Object(SchemaObject::Table(table)),
            "unique" => Py::Bool(index.unique),
            "info" => empty_info(),
            "columns" => Py::ColumnList(table, index.columns.clone()),
            _ => return None,
        },
        SchemaObject::UniqueConstraint { table, constraint } => match attr {
            "name" => opt_str(&constraint.name),
            "table" => Py::Object(SchemaObject::Table(table)),
            "info" => empty_info(),
            "columns" => Py::ColumnList(table, constraint.columns.clone()),
            _ => return None,
        },
        SchemaObject::ForeignKeyConstraint { table, constraint } => match attr {
            "name" => opt_str(&constraint.name),
            "table" | "parent" => Py::Object(SchemaObject::Table(table)),
            "info" => empty_info(),
            "columns" => Py::ColumnList(table, constraint.columns.clone()),
            "column_keys" => Py::List(constraint.columns.iter().map(|c| Py::Str(c.clone())).collect()),
            "ondelete" => opt_str(&constraint.ondelete),
            "onupdate" => opt_str(&constraint.onupdate),
            "referred_table" => {
                let target = metadata.and_then(|m| m.tables.iter().find(|t| t.name == constraint.ref_table))?;
                Py::Object(SchemaObject::Table(target))
            }
            _ => return None,
        },
    })
}

/// A literal kept as Python source (`info` values).
fn literal(source: &str) -> Py<'static> {
    match source {
        "True" => Py::Bool(true),
        "False" => Py::Bool(false),
        "None" => Py::None,
        _ => match source.parse::<i64>() {
            Ok(i) => Py::Int(i),
            Err(_) => {
                let parsed = crate::engine::python::parse_module(source);
                match parsed.module.body.first().map(|s| &s.kind) {
                    Some(StmtKind::Expr(e)) => e.as_str().map_or(Py::None, Py::Str),
                    _ => Py::None,
                }
            }
        },
    }
}

/// A function value, with the names its body assigns (its locals).
pub fn make_function(name: &str, parameters: Vec<crate::engine::python::ast::Parameter>, body: FunctionBody) -> Function {
    let mut locals = Vec::new();
    if let FunctionBody::Def(stmts) = &body {
        collect_assigned(stmts, &mut locals);
    }
    locals.retain(|l| !parameters.iter().any(|p| &p.name.name == l));
    Function { name: name.to_string(), parameters, body, locals }
}

fn collect_assigned(body: &[Stmt], out: &mut Vec<String>) {
    fn target_names(target: &Expr, out: &mut Vec<String>) {
        match &target.kind {
            ExprKind::Name(n) if !out.contains(n) => out.push(n.clone()),
            ExprKind::Tuple { elements, .. } | ExprKind::List(elements) => elements.iter().for_each(|e| target_names(e, out)),
            ExprKind::Starred(inner) => target_names(inner, out),
            _ => {}
        }
    }
    for stmt in body {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target_names(t, out)),
            StmtKind::AnnAssign { target, .. } | StmtKind::AugAssign { target, .. } => target_names(target, out),
            StmtKind::For { target, body, orelse, .. } => {
                target_names(target, out);
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            StmtKind::If { body, elifs, orelse, .. } => {
                collect_assigned(body, out);
                for elif in elifs {
                    collect_assigned(&elif.body, out);
                }
                collect_assigned(orelse, out);
            }
            StmtKind::While { body, orelse, .. } => {
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            StmtKind::FunctionDef { name, .. } | StmtKind::ClassDef { name, .. } if !out.contains(&name.name) => {
                out.push(name.name.clone());
            }
            StmtKind::Import { .. } | StmtKind::ImportFrom { .. } => {
                for (name, _) in import_bindings(stmt) {
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The names an import statement binds, with the dotted paths they stand for.
pub fn import_bindings(stmt: &Stmt) -> Vec<(String, String)> {
    match &stmt.kind {
        StmtKind::Import { names } => names
            .iter()
            .map(|alias| match &alias.asname {
                Some(asname) => (asname.name.clone(), alias.name.name.clone()),
                None => {
                    let first = alias.name.name.split('.').next().unwrap_or(&alias.name.name).to_string();
                    (first.clone(), first)
                }
            })
            .collect(),
        StmtKind::ImportFrom { module, names, level } => {
            let base = format!("{}{}", ".".repeat(*level), module.as_ref().map_or("", |m| m.name.as_str()));
            names
                .iter()
                .filter(|alias| alias.name.name != "*")
                .map(|alias| {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
                    (bound, format!("{base}.{}", alias.name.name))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Binds a call's arguments to a function's parameters, with Python's
/// `TypeError` texts when they don't fit.
fn bind_arguments<'a>(function: &Function, args: Vec<Py<'a>>, kwargs: Vec<(String, Py<'a>)>) -> Result<HashMap<String, Py<'a>>, RaiseKind> {
    let type_error = |text: String| RaiseKind::Exception(text);
    let name = &function.name;
    let mut locals = HashMap::new();
    let positional: Vec<&crate::engine::python::ast::Parameter> = function
        .parameters
        .iter()
        .filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::Normal))
        .collect();
    let var_positional = function.parameters.iter().find(|p| p.kind == ParameterKind::VarPositional);
    let has_defaults = |p: &&crate::engine::python::ast::Parameter| p.default.is_some();
    if args.len() > positional.len() && var_positional.is_none() {
        let required = positional.iter().filter(|p| !has_defaults(p)).count();
        let takes = if required == positional.len() {
            format!("{} positional argument{}", positional.len(), if positional.len() == 1 { "" } else { "s" })
        } else {
            format!("from {required} to {} positional arguments", positional.len())
        };
        let given = format!("{} {} given", args.len(), if args.len() == 1 { "was" } else { "were" });
        return Err(type_error(format!("TypeError: {name}() takes {takes} but {given}")));
    }
    let mut args = args.into_iter();
    for parameter in &positional {
        if let Some(value) = args.next() {
            locals.insert(parameter.name.name.clone(), value);
        }
    }
    if let Some(var) = var_positional {
        locals.insert(var.name.name.clone(), Py::Tuple(args.collect()));
    }
    for (key, value) in kwargs {
        match function.parameters.iter().find(|p| p.name.name == key && !matches!(p.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword)) {
            Some(_) if locals.contains_key(&key) => return Err(type_error(format!("TypeError: {name}() got multiple values for argument '{key}'"))),
            Some(_) => {
                locals.insert(key, value);
            }
            None => return Err(type_error(format!("TypeError: {name}() got an unexpected keyword argument '{key}'"))),
        }
    }
    let mut missing = Vec::new();
    for parameter in &function.parameters {
        if locals.contains_key(&parameter.name.name) {
            continue;
        }
        match (&parameter.kind, &parameter.default) {
            (ParameterKind::VarKeyword, _) => {
                locals.insert(parameter.name.name.clone(), Py::Dict(Vec::new()));
            }
            (_, Some(default)) => {
                let value = literal_default(default)
                    .ok_or_else(|| RaiseKind::Unsupported(format!("the default value of `{}` (only literals)", parameter.name.name)))?;
                locals.insert(parameter.name.name.clone(), value);
            }
            (ParameterKind::PositionalOnly | ParameterKind::Normal, None) => missing.push(format!("'{}'", parameter.name.name)),
            _ => {}
        }
    }
    if !missing.is_empty() {
        let list = match missing.len() {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            n => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        let noun = if missing.len() == 1 { "argument" } else { "arguments" };
        return Err(type_error(format!("TypeError: {name}() missing {} required positional {noun}: {list}", missing.len())));
    }
    Ok(locals)
}

/// A parameter's default, when it is a literal.
fn literal_default(expr: &Expr) -> Option<Py<'static>> {
    match &expr.kind {
        ExprKind::None => Some(Py::None),
        ExprKind::Bool(b) => Some(Py::Bool(*b)),
        ExprKind::Number(n) => n.as_i64().map(Py::Int),
        ExprKind::Str(_) => expr.as_str().map(Py::Str),
        ExprKind::Tuple { elements, .. } if elements.is_empty() => Some(Py::Tuple(Vec::new())),
        _ => None,
    }
}
