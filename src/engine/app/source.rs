//! One parsed project file and the small tools every reader here shares:
//! places and diagnostics, the source text of an expression, which project
//! file a module name refers to, and walks over statements and expressions.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::rc::Rc;

use crate::engine::project::{self, Project};
use crate::engine::python::ast::{Expr, ExprKind, Module, Stmt, StmtKind};
use crate::engine::python::{self, LineIndex, Span, SyntaxError};

use super::Diagnostic;

/// Where something is written: `file:line:col`, 1-based, columns in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// A project file, read and parsed once.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    pub module: Module,
    pub syntax_errors: Vec<SyntaxError>,
}

impl SourceFile {
    pub fn parse(path: &str, text: String) -> Self {
        let parsed = python::parse_module(&text);
        SourceFile { path: path.to_string(), text, module: parsed.module, syntax_errors: parsed.errors }
    }

    pub fn place(&self, offset: usize) -> Place {
        let lc = LineIndex::new(&self.text).line_col(offset);
        Place { file: self.path.clone(), line: lc.line, col: lc.col }
    }

    pub fn diagnostic(&self, offset: usize, message: impl Into<String>, hint: Option<String>) -> Diagnostic {
        let place = self.place(offset);
        Diagnostic { file: place.file, line: place.line, col: place.col, message: message.into(), hint }
    }

    /// The source of `span` on one line: line breaks and the indentation
    /// after them become one space, so a call written over several lines
    /// reads as it would on one.
    pub fn snippet(&self, span: Span) -> String {
        let raw = span.text(&self.text);
        let mut out = String::with_capacity(raw.len());
        let mut lines = raw.split('\n');
        if let Some(first) = lines.next() {
            out.push_str(first.trim_end_matches('\r'));
        }
        for line in lines {
            let line = line.trim_end_matches('\r').trim_start();
            if line.is_empty() {
                continue;
            }
            // No space between an opening bracket and what follows, nor before a closing one.
            if !(out.ends_with(['(', '[', '{']) || line.starts_with([')', ']', '}'])) {
                out.push(' ');
            }
            out.push_str(line);
        }
        if out.ends_with([',']) {
            out.pop();
        }
        out.replace(",)", ")").replace(", )", ")")
    }

    /// The module name Python gives this file (`app/models/__init__.py` → `app.models`).
    pub fn module_name(&self) -> String {
        module_name_of(&self.path)
    }
}

/// `app/models/__init__.py` → `app.models`; `models.py` → `models`.
pub fn module_name_of(path: &str) -> String {
    let stem = path.strip_suffix(".py").unwrap_or(path);
    let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
    stem.replace('/', ".")
}

/// Parsed project files by path, each read once.
pub struct Sources<'p> {
    pub project: &'p Project,
    files: HashMap<String, Option<Rc<SourceFile>>>,
    /// Names each module binds at its top level (see `imports::module_names`), computed once.
    pub(super) module_names: RefCell<HashMap<String, Option<Rc<BTreeSet<String>>>>>,
    /// Each module's module-level imports (see `imports::module_imports`), resolved once.
    pub(super) module_imports: RefCell<HashMap<String, Rc<Vec<super::imports::Import>>>>,
}

impl<'p> Sources<'p> {
    pub fn new(project: &'p Project) -> Self {
        Sources { project, files: HashMap::new(), module_names: RefCell::new(HashMap::new()), module_imports: RefCell::new(HashMap::new()) }
    }

    /// The parsed file, or `None` when the project has no such file.
    pub fn get(&mut self, path: &str) -> Option<Rc<SourceFile>> {
        if let Some(cached) = self.files.get(path) {
            return cached.clone();
        }
        let parsed = self.project.read_text(path).map(|text| Rc::new(SourceFile::parse(path, text)));
        self.files.insert(path.to_string(), parsed.clone());
        parsed
    }

    /// The project's Python files, in path order.
    pub fn python_paths(&self) -> Vec<String> {
        self.project.files().filter(|(p, _)| p.ends_with(".py")).map(|(p, _)| p.to_string()).collect()
    }
}

/// Diagnostics in the order found, each reported once.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    seen: BTreeSet<(String, usize, usize, String)>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = (diagnostic.file.clone(), diagnostic.line, diagnostic.col, diagnostic.message.clone());
        if self.seen.insert(key) {
            self.list.push(diagnostic);
        }
    }

    /// The file's syntax errors, as Python would print them.
    pub fn syntax_errors(&mut self, file: &SourceFile) {
        for error in &file.syntax_errors {
            self.push(Diagnostic {
                file: file.path.clone(),
                line: error.line,
                col: error.col,
                message: format!("SyntaxError: {}", error.message),
                hint: None,
            });
        }
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

/// Libraries a project file may import that are not project files: their
/// names are not checked. (The models reader keeps the same list.)
const KNOWN_LIBRARIES: &[&str] = &[
    "sqlalchemy", "alembic", "typing", "typing_extensions", "datetime", "decimal", "uuid", "enum",
    "os", "sys", "json", "logging", "pathlib", "contextlib", "collections", "functools",
    "__future__", "dataclasses", "re", "time", "random", "asyncio", "fastapi", "pydantic",
    "pydantic_settings", "starlette", "uvicorn", "dotenv", "sqlmodel", "passlib", "jose",
    "email_validator", "subprocess", "warnings", "secrets", "hashlib", "math", "itertools",
    "abc", "copy", "textwrap", "shutil", "tempfile", "traceback", "inspect", "importlib",
    "types", "http", "urllib", "zoneinfo", "pytest", "httpx", "anyio",
];

pub fn is_known_library(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    KNOWN_LIBRARIES.contains(&top)
}

/// The project file that `import module` (with `level` leading dots) names
/// from `importer`. Absolute imports resolve from the project root (the
/// app's working directory, and `prepend_sys_path = .` for Alembic), then
/// from the importing file's folder, as the models reader does.
pub fn resolve_module(project: &Project, importer: &str, level: usize, module: &str) -> Option<String> {
    module_root(project, importer, level, module).map(|(_, target)| target)
}

/// Every project file that `import module` runs: its packages' `__init__.py`
/// (for absolute imports) and the module itself.
pub fn files_run_by_import(project: &Project, importer: &str, level: usize, module: &str) -> Vec<String> {
    let Some((root, target)) = module_root(project, importer, level, module) else { return Vec::new() };
    let mut files = Vec::new();
    let parts: Vec<&str> = module.split('.').filter(|p| !p.is_empty()).collect();
    let first_package = if level == 0 { 1 } else { parts.len() };
    for end in first_package..parts.len() {
        let package = join(&root, &parts[..end].join("/"));
        let init = join(&package, "__init__.py");
        if project.is_file(&init) {
            files.push(init);
        }
    }
    files.push(target);
    files
}

/// The folder a module name is resolved from, and the file it names.
fn module_root(project: &Project, importer: &str, level: usize, module: &str) -> Option<(String, String)> {
    let mut folder: Vec<&str> = importer.split('/').collect();
    folder.pop();
    for _ in 1..level.max(1) {
        folder.pop()?;
    }
    let relative = module.replace('.', "/");
    let roots: Vec<String> = if level == 0 { vec![String::new(), folder.join("/")] } else { vec![folder.join("/")] };
    for root in roots {
        let base = join(&root, &relative);
        // `from . import x` names the package itself: only its `__init__.py`.
        let as_file = (!relative.is_empty()).then(|| format!("{base}.py"));
        for candidate in as_file.into_iter().chain([join(&base, "__init__.py")]) {
            let Some(candidate) = project::resolve("", &candidate) else { continue };
            if project.is_file(&candidate) {
                return Some((root, candidate));
            }
        }
    }
    None
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// The last part of a dotted callee: `create_engine` for `sa.create_engine`.
pub fn last_name(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Name(name) => Some(name),
        ExprKind::Attribute { attr, .. } => Some(&attr.name),
        _ => None,
    }
}

/// `x.metadata.create_all` (called or passed, as in `conn.run_sync(Base.metadata.create_all)`):
/// the expression that owns the metadata (`Base`, `models.Base`, `SQLModel`).
pub fn create_all_owner(expr: &Expr) -> Option<&Expr> {
    let ExprKind::Attribute { value, attr } = &expr.kind else { return None };
    if attr.name != "create_all" {
        return None;
    }
    match &value.kind {
        ExprKind::Attribute { value: owner, attr } if attr.name == "metadata" => Some(owner),
        _ => None,
    }
}

/// Calls every expression in `stmts`, nested blocks and nested expressions
/// included, parents before children.
pub fn visit_stmts<'a>(stmts: &'a [Stmt], f: &mut dyn FnMut(&'a Expr)) {
    for stmt in stmts {
        visit_stmt(stmt, f);
    }
}

pub fn visit_stmt<'a>(stmt: &'a Stmt, f: &mut dyn FnMut(&'a Expr)) {
    match &stmt.kind {
        StmtKind::Assign { targets, value } => {
            targets.iter().for_each(|t| visit_expr(t, f));
            visit_expr(value, f);
        }
        StmtKind::AugAssign { target, value, .. } => {
            visit_expr(target, f);
            visit_expr(value, f);
        }
        StmtKind::AnnAssign { target, annotation, value } => {
            visit_expr(target, f);
            visit_expr(annotation, f);
            if let Some(v) = value {
                visit_expr(v, f);
            }
        }
        StmtKind::Expr(e) => visit_expr(e, f),
        StmtKind::ClassDef { decorators, arguments, body, .. } => {
            decorators.iter().for_each(|d| visit_expr(d, f));
            arguments.iter().for_each(|a| visit_expr(a.value(), f));
            visit_stmts(body, f);
        }
        StmtKind::FunctionDef { decorators, parameters, returns, body, .. } => {
            decorators.iter().for_each(|d| visit_expr(d, f));
            for p in parameters {
                p.annotation.iter().chain(p.default.iter()).for_each(|e| visit_expr(e, f));
            }
            if let Some(r) = returns {
                visit_expr(r, f);
            }
            visit_stmts(body, f);
        }
        StmtKind::If { test, body, elifs, orelse } => {
            visit_expr(test, f);
            visit_stmts(body, f);
            for elif in elifs {
                visit_expr(&elif.test, f);
                visit_stmts(&elif.body, f);
            }
            visit_stmts(orelse, f);
        }
        StmtKind::For { target, iter, body, orelse, .. } => {
            visit_expr(target, f);
            visit_expr(iter, f);
            visit_stmts(body, f);
            visit_stmts(orelse, f);
        }
        StmtKind::While { test, body, orelse } => {
            visit_expr(test, f);
            visit_stmts(body, f);
            visit_stmts(orelse, f);
        }
        StmtKind::With { items, body, .. } => {
            for item in items {
                visit_expr(&item.context, f);
                if let Some(t) = &item.target {
                    visit_expr(t, f);
                }
            }
            visit_stmts(body, f);
        }
        StmtKind::Try { body, handlers, orelse, finalbody } => {
            visit_stmts(body, f);
            for h in handlers {
                if let Some(t) = &h.type_ {
                    visit_expr(t, f);
                }
                visit_stmts(&h.body, f);
            }
            visit_stmts(orelse, f);
            visit_stmts(finalbody, f);
        }
        StmtKind::Return(Some(e)) => visit_expr(e, f),
        StmtKind::Raise { exc, cause } => exc.iter().chain(cause.iter()).for_each(|e| visit_expr(e, f)),
        StmtKind::Assert { test, msg } => {
            visit_expr(test, f);
            if let Some(m) = msg {
                visit_expr(m, f);
            }
        }
        StmtKind::Delete(targets) => targets.iter().for_each(|t| visit_expr(t, f)),
        StmtKind::Error { body } => visit_stmts(body, f),
        _ => {}
    }
}

pub fn visit_expr<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Attribute { value, .. } => visit_expr(value, f),
        ExprKind::Call { func, arguments } => {
            visit_expr(func, f);
            arguments.iter().for_each(|a| visit_expr(a.value(), f));
        }
        ExprKind::Subscript { value, index } => {
            visit_expr(value, f);
            visit_expr(index, f);
        }
        ExprKind::Slice { lower, upper, step } => {
            lower.iter().chain(upper.iter()).chain(step.iter()).for_each(|e| visit_expr(e, f));
        }
        ExprKind::BinOp { left, right, .. } => {
            visit_expr(left, f);
            visit_expr(right, f);
        }
        ExprKind::UnaryOp { operand, .. } => visit_expr(operand, f),
        ExprKind::BoolOp { values, .. } => values.iter().for_each(|v| visit_expr(v, f)),
        ExprKind::Compare { left, comparators, .. } => {
            visit_expr(left, f);
            comparators.iter().for_each(|c| visit_expr(c, f));
        }
        ExprKind::IfExp { test, body, orelse } => {
            visit_expr(test, f);
            visit_expr(body, f);
            visit_expr(orelse, f);
        }
        ExprKind::Lambda { parameters, body } => {
            parameters.iter().filter_map(|p| p.default.as_ref()).for_each(|d| visit_expr(d, f));
            visit_expr(body, f);
        }
        ExprKind::NamedExpr { target, value } => {
            visit_expr(target, f);
            visit_expr(value, f);
        }
        ExprKind::Await(e) | ExprKind::YieldFrom(e) | ExprKind::Starred(e) => visit_expr(e, f),
        ExprKind::Yield(Some(e)) => visit_expr(e, f),
        ExprKind::Tuple { elements, .. } | ExprKind::List(elements) | ExprKind::Set(elements) => {
            elements.iter().for_each(|e| visit_expr(e, f));
        }
        ExprKind::Dict(items) => {
            for item in items {
                if let Some(k) = &item.key {
                    visit_expr(k, f);
                }
                visit_expr(&item.value, f);
            }
        }
        ExprKind::ListComp { element, generators }
        | ExprKind::SetComp { element, generators }
        | ExprKind::GeneratorExp { element, generators } => {
            visit_expr(element, f);
            for g in generators {
                visit_expr(&g.target, f);
                visit_expr(&g.iter, f);
                g.ifs.iter().for_each(|i| visit_expr(i, f));
            }
        }
        ExprKind::DictComp { key, value, generators } => {
            visit_expr(key, f);
            visit_expr(value, f);
            for g in generators {
                visit_expr(&g.target, f);
                visit_expr(&g.iter, f);
                g.ifs.iter().for_each(|i| visit_expr(i, f));
            }
        }
        _ => {}
    }
}

/// Whether a statement holds a `yield` (not counting nested functions, whose
/// yields are their own).
pub fn contains_yield(stmt: &Stmt) -> bool {
    if matches!(stmt.kind, StmtKind::FunctionDef { .. } | StmtKind::ClassDef { .. }) {
        return false;
    }
    let mut found = false;
    visit_stmt(stmt, &mut |e| {
        if matches!(e.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) {
            found = true;
        }
    });
    found
}

/// A module's statements that run when it is imported: the top level and the
/// blocks of its `if`, `try`, `with` and `for` statements (not function bodies).
pub fn module_level_stmts(body: &[Stmt]) -> Vec<&Stmt> {
    let mut out = Vec::new();
    collect_module_level(body, &mut out);
    out
}

fn collect_module_level<'a>(body: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for stmt in body {
        out.push(stmt);
        match &stmt.kind {
            StmtKind::If { body, elifs, orelse, .. } => {
                collect_module_level(body, out);
                for elif in elifs {
                    collect_module_level(&elif.body, out);
                }
                collect_module_level(orelse, out);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                collect_module_level(body, out);
                for h in handlers {
                    collect_module_level(&h.body, out);
                }
                collect_module_level(orelse, out);
                collect_module_level(finalbody, out);
            }
            StmtKind::With { body, .. } | StmtKind::For { body, .. } | StmtKind::While { body, .. } => {
                collect_module_level(body, out)
            }
            StmtKind::Error { body } => collect_module_level(body, out),
            _ => {}
        }
    }
}

/// The function `name` defined at the top level of a module.
pub fn find_function<'m>(module: &'m Module, name: &str) -> Option<&'m Stmt> {
    module_level_stmts(&module.body)
        .into_iter()
        .rev()
        .find(|s| matches!(&s.kind, StmtKind::FunctionDef { name: n, .. } if n.name == name))
}

/// The value last assigned to `name` at module level (`NAME = value`, `NAME: T = value`).
pub fn module_assignment<'m>(module: &'m Module, name: &str) -> Option<&'m Expr> {
    let mut found = None;
    for stmt in module_level_stmts(&module.body) {
        match &stmt.kind {
            StmtKind::Assign { targets, value } if targets.iter().any(|t| is_name(t, name)) => found = Some(value),
            StmtKind::AnnAssign { target, value: Some(value), .. } if is_name(target, name) => found = Some(value),
            _ => {}
        }
    }
    found
}

pub fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(&expr.kind, ExprKind::Name(n) if n == name)
}

/// A Python value written as a literal, or the source of an expression that is not one.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Int(i64),
    /// A float (or an integer too large for `i64`), as written.
    Number(String),
    Bool(bool),
    None,
    /// Not a literal: the expression as written (`datetime.now()`, `f"Task {i}"`).
    Expression(String),
}

impl Literal {
    pub fn of(file: &SourceFile, expr: &Expr) -> Literal {
        match &expr.kind {
            ExprKind::Str(s) if !s.is_format() && !s.is_bytes() => Literal::Str(s.value()),
            ExprKind::Number(n) => match n.as_i64() {
                Some(i) => Literal::Int(i),
                None => Literal::Number(n.text.clone()),
            },
            ExprKind::UnaryOp { op: python::ast::UnaryOp::Neg, operand } => match Literal::of(file, operand) {
                Literal::Int(i) => Literal::Int(i.wrapping_neg()),
                Literal::Number(n) => Literal::Number(format!("-{n}")),
                _ => Literal::Expression(file.snippet(expr.span)),
            },
            ExprKind::Bool(b) => Literal::Bool(*b),
            ExprKind::None => Literal::None,
            _ => Literal::Expression(file.snippet(expr.span)),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Literal::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for Literal {
    /// As Python's `repr()` writes literals; expressions as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(s) => f.write_str(&python_repr(s)),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Number(n) | Literal::Expression(n) => f.write_str(n),
            Literal::Bool(true) => f.write_str("True"),
            Literal::Bool(false) => f.write_str("False"),
            Literal::None => f.write_str("None"),
        }
    }
}

pub use crate::engine::pyrepr::py_repr_str as python_repr;

/// The candidate closest to `name` (Python's "Did you mean" rule: an edit
/// distance of at most a third of the name's length, and never an exact match).
pub fn suggest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let limit = name.chars().count().div_ceil(3);
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit.max(1))
        .min_by_key(|(d, c)| (*d, c.to_string()))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}
