//! Where a database URL comes from — a literal, a module constant, an
//! environment variable (`os.getenv`, `os.environ`, a pydantic settings
//! field; the playground's environment is the project's `.env`) — and its
//! value when that can be known without running Python.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::python::ast::{keyword_argument, positional_arguments, BinaryOp, BoolOp, Expr, ExprKind, Stmt, StmtKind};

use super::imports::{block_stmts, imports_inside, module_imports, resolve, Import, Target};
use super::source::{find_function, module_assignment, module_name_of, Diagnostics, Place, SourceFile, Sources};

/// How a URL is obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlOriginKind {
    /// A string literal.
    Literal,
    /// An environment variable: `os.getenv("X", default)`, `os.environ.get`,
    /// `os.environ["X"]` (`read_with` says which: `os.getenv`, `os.environ.get`, `os.environ[...]`), or a field of a pydantic
    /// `BaseSettings` class (`read_with` = `Settings.database_url`).
    Environment { variable: String, read_with: String, in_dotenv: bool, default: Option<String> },
    /// Something that cannot be evaluated without running Python.
    Unknown { expression: String },
}

/// Where a URL comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlOrigin {
    pub kind: UrlOriginKind,
    /// Module constants followed to reach the value (`database.SQLALCHEMY_DATABASE_URL`).
    pub via: Vec<String>,
    /// Where the value (literal, `os.getenv(...)` call, expression) is written.
    pub place: Place,
}

/// `KEY=value` lines of a `.env` file, read as the models reader reads them.
pub use crate::engine::models::parse_dotenv;

/// Evaluates URL expressions across project files.
pub struct UrlReader<'a, 'p> {
    pub sources: &'a mut Sources<'p>,
    pub diagnostics: &'a mut Diagnostics,
    dotenv: BTreeMap<String, String>,
}

/// Constants and settings are followed at most this deep (import cycles end here).
const MAX_DEPTH: usize = 12;

/// Where an expression is evaluated: its file, the imports in effect, and the
/// enclosing function's body (for local variables).
pub struct Scope<'s> {
    pub file: Rc<SourceFile>,
    pub imports: Vec<Import>,
    pub body: Option<&'s [Stmt]>,
}

impl<'s> Scope<'s> {
    pub fn module(sources: &Sources<'_>, file: Rc<SourceFile>) -> Scope<'s> {
        let imports = module_imports(sources, &file);
        Scope { file, imports, body: None }
    }

    /// Inside a function body: its own imports count after the module's.
    pub fn function(sources: &Sources<'_>, file: Rc<SourceFile>, body: &'s [Stmt]) -> Scope<'s> {
        let mut imports = module_imports(sources, &file);
        imports.extend(imports_inside(sources, &file, body));
        Scope { file, imports, body: Some(body) }
    }
}

impl<'a, 'p> UrlReader<'a, 'p> {
    pub fn new(sources: &'a mut Sources<'p>, diagnostics: &'a mut Diagnostics) -> Self {
        let dotenv = sources.project.read_text(".env").map(|t| parse_dotenv(&t)).unwrap_or_default();
        UrlReader { sources, diagnostics, dotenv }
    }

    /// The URL `expr` evaluates to (if it can be known) and where it comes from.
    pub fn read(&mut self, scope: &Scope<'_>, expr: &Expr) -> (Option<String>, UrlOrigin) {
        let mut via = Vec::new();
        let (url, kind, place) = self.eval(scope, expr, &mut via, 0);
        (url, UrlOrigin { kind, via, place })
    }

    fn unknown(scope: &Scope<'_>, expr: &Expr) -> (Option<String>, UrlOriginKind, Place) {
        (None, UrlOriginKind::Unknown { expression: scope.file.snippet(expr.span) }, scope.file.place(expr.span.start))
    }

    fn eval(&mut self, scope: &Scope<'_>, expr: &Expr, via: &mut Vec<String>, depth: usize) -> (Option<String>, UrlOriginKind, Place) {
        if depth > MAX_DEPTH {
            return Self::unknown(scope, expr);
        }
        let place = scope.file.place(expr.span.start);
        match &expr.kind {
            ExprKind::Str(s) if !s.is_format() && !s.is_bytes() => (Some(s.value()), UrlOriginKind::Literal, place),
            ExprKind::Name(name) => {
                if let Some(value) = scope.body.and_then(|body| local_assignment(body, name, expr.span.start)) {
                    return self.eval(scope, value, via, depth + 1);
                }
                match resolve(self.sources, &scope.file, &scope.imports, expr) {
                    Target::Project { path, name } => self.constant(scope, expr, &path, &name, via, depth),
                    _ => Self::unknown(scope, expr),
                }
            }
            ExprKind::Attribute { value, attr } => {
                match resolve(self.sources, &scope.file, &scope.imports, expr) {
                    Target::Project { path, name } => return self.constant(scope, expr, &path, &name, via, depth),
                    Target::Unknown => {}
                    _ => return Self::unknown(scope, expr),
                }
                match self.settings_field(scope, value, &attr.name, depth) {
                    Some((class, default)) => {
                        let (in_dotenv, url) = match self.dotenv.iter().find(|(k, _)| k.eq_ignore_ascii_case(&attr.name)) {
                            Some((_, v)) => (true, Some(v.clone())),
                            None => (false, default.clone()),
                        };
                        let read_with = format!("{class}.{}", attr.name);
                        (url, UrlOriginKind::Environment { variable: attr.name.to_uppercase(), read_with, in_dotenv, default }, place)
                    }
                    None => Self::unknown(scope, expr),
                }
            }
            ExprKind::Call { func, arguments } => {
                let callee = resolve(self.sources, &scope.file, &scope.imports, func);
                match callee {
                    Target::Library(name) if name == "os.getenv" || name == "os.environ.get" => {
                        let mut positional = positional_arguments(arguments);
                        let Some(variable) = positional.next().and_then(Expr::as_str) else { return Self::unknown(scope, expr) };
                        let default_expr = positional.next().or_else(|| keyword_argument(arguments, "default"));
                        let default = default_expr.and_then(|d| self.eval(scope, d, &mut Vec::new(), depth + 1).0);
                        let in_dotenv = self.dotenv.contains_key(&variable);
                        let url = self.dotenv.get(&variable).cloned().or_else(|| default.clone());
                        (url, UrlOriginKind::Environment { variable, read_with: name, in_dotenv, default }, place)
                    }
                    _ if matches!(&func.kind, ExprKind::Name(n) if n == "str") => match positional_arguments(arguments).next() {
                        Some(inner) => self.eval(scope, inner, via, depth + 1),
                        None => Self::unknown(scope, expr),
                    },
                    _ => Self::unknown(scope, expr),
                }
            }
            ExprKind::Subscript { value, index } => {
                let is_environ = matches!(resolve(self.sources, &scope.file, &scope.imports, value), Target::Library(n) if n == "os.environ");
                let Some(variable) = index.as_str().filter(|_| is_environ) else { return Self::unknown(scope, expr) };
                let in_dotenv = self.dotenv.contains_key(&variable);
                if !in_dotenv {
                    self.diagnostics.push(scope.file.diagnostic(
                        expr.span.start,
                        format!("KeyError: '{variable}'"),
                        Some(format!("os.environ[\"{variable}\"] needs {variable} to be set; the playground's environment is the project's .env file: add a line {variable}=sqlite:///./app.db")),
                    ));
                }
                let url = self.dotenv.get(&variable).cloned();
                (url, UrlOriginKind::Environment { variable, read_with: "os.environ[...]".into(), in_dotenv, default: None }, place)
            }
            ExprKind::BoolOp { op: BoolOp::Or, values } => {
                // `os.getenv("DATABASE_URL") or "sqlite:///..."`: the first non-empty value.
                let mut last = Self::unknown(scope, expr);
                for value in values {
                    last = self.eval(scope, value, via, depth + 1);
                    if last.0.as_deref().is_some_and(|u| !u.is_empty()) {
                        break;
                    }
                }
                last
            }
            ExprKind::BinOp { left, op: BinaryOp::Add, right } => {
                let (l, lkind, lplace) = self.eval(scope, left, via, depth + 1);
                let (r, rkind, rplace) = self.eval(scope, right, via, depth + 1);
                let url = l.zip(r).map(|(l, r)| l + &r);
                // The interesting part is the one that is not a literal.
                match (lkind, rkind) {
                    (UrlOriginKind::Literal, UrlOriginKind::Literal) => (url, UrlOriginKind::Literal, place),
                    (UrlOriginKind::Literal, other) => (url, other, rplace),
                    (UrlOriginKind::Unknown { .. }, _) | (_, UrlOriginKind::Unknown { .. }) => {
                        let (_, kind, place) = Self::unknown(scope, expr);
                        (None, kind, place)
                    }
                    (other, _) => (url, other, lplace),
                }
            }
            _ => Self::unknown(scope, expr),
        }
    }

    /// A module-level constant of a project file.
    fn constant(&mut self, scope: &Scope<'_>, expr: &Expr, path: &str, name: &str, via: &mut Vec<String>, depth: usize) -> (Option<String>, UrlOriginKind, Place) {
        let Some(file) = self.sources.get(path) else { return Self::unknown(scope, expr) };
        let Some(value) = module_assignment(&file.module, name) else { return Self::unknown(scope, expr) };
        via.push(format!("{}.{name}", module_name_of(path)));
        let inner = Scope::module(self.sources, file.clone());
        self.eval(&inner, value, via, depth + 1)
    }

    /// For `settings.X` (or `get_settings().X`) where `settings` is an
    /// instance of a pydantic `BaseSettings` class of the project: the class
    /// name and field `X`'s default.
    fn settings_field(&mut self, scope: &Scope<'_>, instance: &Expr, field: &str, depth: usize) -> Option<(String, Option<String>)> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (file, construction) = self.instance_construction(scope, instance, depth)?;
        let ExprKind::Call { func, .. } = &construction.kind else { return None };
        let construction_scope = Scope::module(self.sources, file.clone());
        let Target::Project { path, name } = resolve(self.sources, &construction_scope.file, &construction_scope.imports, func) else { return None };
        let class_file = self.sources.get(&path)?;
        let class = class_file.module.body.iter().find(|s| matches!(&s.kind, StmtKind::ClassDef { name: n, .. } if n.name == name))?;
        let StmtKind::ClassDef { arguments, body, .. } = &class.kind else { return None };
        let is_settings = arguments.iter().any(|a| matches!(a.value().dotted_name(), Some(d) if d.ends_with("BaseSettings")));
        if !is_settings {
            return None;
        }
        let class_scope = Scope::module(self.sources, class_file.clone());
        for stmt in body {
            let (target, value) = match &stmt.kind {
                StmtKind::AnnAssign { target, value, .. } => (target, value.as_ref()),
                StmtKind::Assign { targets, value } if targets.len() == 1 => (&targets[0], Some(value)),
                _ => continue,
            };
            if matches!(&target.kind, ExprKind::Name(n) if n == field) {
                let default = value.and_then(|v| self.eval(&class_scope, v, &mut Vec::new(), depth + 1).0);
                return Some((name, default));
            }
        }
        None
    }

    /// The `Settings()` call that made `instance` (a module constant, or what `get_settings()` returns).
    fn instance_construction(&mut self, scope: &Scope<'_>, instance: &Expr, depth: usize) -> Option<(Rc<SourceFile>, Expr)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &instance.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } => {
                let Target::Project { path, name } = resolve(self.sources, &scope.file, &scope.imports, instance) else { return None };
                let file = self.sources.get(&path)?;
                let value = module_assignment(&file.module, &name)?.clone();
                match &value.kind {
                    ExprKind::Call { func, .. } if is_factory_call(&file, func) => {
                        let inner = Scope::module(self.sources, file.clone());
                        self.instance_construction(&inner, &value, depth + 1)
                    }
                    _ => Some((file, value)),
                }
            }
            ExprKind::Call { func, .. } => {
                // `get_settings()`: follow a project function that returns `Settings()`.
                let Target::Project { path, name } = resolve(self.sources, &scope.file, &scope.imports, func) else { return None };
                let file = self.sources.get(&path)?;
                match find_function(&file.module, &name) {
                    Some(function) => {
                        let StmtKind::FunctionDef { body, .. } = &function.kind else { return None };
                        let returned = block_stmts(body).into_iter().find_map(|s| match &s.kind {
                            StmtKind::Return(Some(e)) => Some(e.clone()),
                            _ => None,
                        })?;
                        let inner = Scope::module(self.sources, file.clone());
                        if matches!(returned.kind, ExprKind::Call { .. }) && !is_class_call(&file, &returned) {
                            return self.instance_construction(&inner, &returned, depth + 1);
                        }
                        Some((file, returned))
                    }
                    None => Some((scope.file.clone(), instance.clone())),
                }
            }
            _ => None,
        }
    }
}

/// `get_settings()` (a function of the file) rather than `Settings()` (a class).
fn is_factory_call(file: &SourceFile, func: &Expr) -> bool {
    matches!(&func.kind, ExprKind::Name(n) if find_function(&file.module, n).is_some())
}

fn is_class_call(file: &SourceFile, call: &Expr) -> bool {
    let ExprKind::Call { func, .. } = &call.kind else { return false };
    !is_factory_call(file, func)
}

/// The value last assigned to `name` in a function body before `before`.
pub fn local_assignment<'b>(body: &'b [Stmt], name: &str, before: usize) -> Option<&'b Expr> {
    let mut found = None;
    for stmt in block_stmts(body) {
        if stmt.span.start >= before {
            break;
        }
        match &stmt.kind {
            StmtKind::Assign { targets, value } if targets.iter().any(|t| super::source::is_name(t, name)) => found = Some(value),
            StmtKind::AnnAssign { target, value: Some(value), .. } if super::source::is_name(target, name) => found = Some(value),
            _ => {}
        }
    }
    found
}
