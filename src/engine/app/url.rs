//! Where a database URL comes from — a literal, a module constant, an
//! environment variable (`os.getenv`, `os.environ`, a pydantic settings
//! field: the process's environment over the project's `.env`, see
//! `environ::PythonEnv`), an `alembic -x` argument read by env.py, the
//! config file's own `sqlalchemy.url` — and its value when that can be known
//! without running Python.

use std::rc::Rc;

use crate::engine::environ::{PythonEnv, VarSource};

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
    /// `BaseSettings` class (`read_with` = `Settings.database_url`);
    /// `set_in`: where it was found (`None`: not set).
    Environment { variable: String, read_with: String, set_in: Option<VarSource>, default: Option<String> },
    /// An argument of the `alembic` command line, read in env.py with
    /// `context.get_x_argument(as_dictionary=True).get("KEY", default)` (or `[...]`);
    /// `given`: whether `-x KEY=...` was.
    XArgument { key: String, given: bool, default: Option<String> },
    /// `config.get_main_option("sqlalchemy.url")`: the URL of the config file
    /// Alembic reads, whichever it is (`-c`, `ALEMBIC_CONFIG`).
    ConfigUrl,
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

/// Evaluates URL expressions across project files.
pub struct UrlReader<'a, 'p> {
    pub sources: &'a mut Sources<'p>,
    pub diagnostics: &'a mut Diagnostics,
    python: &'a PythonEnv,
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
    /// Reads URLs as a process with `python`'s environment would compute them.
    pub fn new(sources: &'a mut Sources<'p>, diagnostics: &'a mut Diagnostics, python: &'a PythonEnv) -> Self {
        UrlReader { sources, diagnostics, python }
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
                        let (set_in, url) = match self.python.lookup_field(&attr.name) {
                            Some((v, source)) => (Some(source), Some(v.to_string())),
                            None => (None, default.clone()),
                        };
                        let read_with = format!("{class}.{}", attr.name);
                        (url, UrlOriginKind::Environment { variable: attr.name.to_uppercase(), read_with, set_in, default }, place)
                    }
                    None => Self::unknown(scope, expr),
                }
            }
            ExprKind::Call { func, arguments } if self.is_config_url(func, arguments) => (None, UrlOriginKind::ConfigUrl, place),
            ExprKind::Call { func, arguments } if self.x_get(scope, func, depth) => {
                let mut positional = positional_arguments(arguments);
                let Some(key) = positional.next().and_then(Expr::as_str) else { return Self::unknown(scope, expr) };
                let default = positional.next().and_then(|d| self.eval(scope, d, &mut Vec::new(), depth + 1).0);
                let given = self.python.x_argument(&key).map(str::to_string);
                let url = given.clone().or_else(|| default.clone());
                (url, UrlOriginKind::XArgument { key, given: given.is_some(), default }, place)
            }
            ExprKind::Subscript { value, index } if self.x_dictionary(scope, value, depth) => {
                let Some(key) = index.as_str() else { return Self::unknown(scope, expr) };
                let given = self.python.x_argument(&key).map(str::to_string);
                if given.is_none() {
                    self.diagnostics.push(scope.file.diagnostic(
                        expr.span.start,
                        format!("KeyError: '{key}'"),
                        Some(format!("pass it on the command line (alembic -x {key}=... upgrade head), or read it with .get(\"{key}\") and a fallback")),
                    ));
                }
                (given.clone(), UrlOriginKind::XArgument { key, given: given.is_some(), default: None }, place)
            }
            ExprKind::Call { func, arguments } => {
                let callee = resolve(self.sources, &scope.file, &scope.imports, func);
                match callee {
                    Target::Library(name) if name == "os.getenv" || name == "os.environ.get" => {
                        let mut positional = positional_arguments(arguments);
                        let Some(variable) = positional.next().and_then(Expr::as_str) else { return Self::unknown(scope, expr) };
                        let default_expr = positional.next().or_else(|| keyword_argument(arguments, "default"));
                        let default = default_expr.and_then(|d| self.eval(scope, d, &mut Vec::new(), depth + 1).0);
                        let found = self.python.lookup(&variable);
                        let set_in = found.map(|(_, source)| source);
                        let url = found.map(|(v, _)| v.to_string()).or_else(|| default.clone());
                        (url, UrlOriginKind::Environment { variable, read_with: name, set_in, default }, place)
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
                let found = self.python.lookup(&variable);
                if found.is_none() {
                    self.diagnostics.push(scope.file.diagnostic(
                        expr.span.start,
                        format!("KeyError: '{variable}'"),
                        Some(format!("os.environ[\"{variable}\"] needs {variable} to be set: export {variable}=sqlite:///./app.db in the terminal, or add a line {variable}=sqlite:///./app.db to .env")),
                    ));
                }
                let set_in = found.map(|(_, source)| source);
                let url = found.map(|(v, _)| v.to_string());
                (url, UrlOriginKind::Environment { variable, read_with: "os.environ[...]".into(), set_in, default: None }, place)
            }
            ExprKind::BoolOp { op: BoolOp::Or, values } => {
                // `os.getenv("DATABASE_URL") or "sqlite:///..."`: the first non-empty value.
                // The config file's URL is taken to be set: the chain stops there.
                let mut last = Self::unknown(scope, expr);
                for value in values {
                    last = self.eval(scope, value, via, depth + 1);
                    if last.0.as_deref().is_some_and(|u| !u.is_empty()) || last.1 == UrlOriginKind::ConfigUrl {
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

    /// `config.get_main_option("sqlalchemy.url")` (Alembic's `Config`).
    fn is_config_url(&self, func: &Expr, arguments: &[crate::engine::python::ast::Argument]) -> bool {
        let ExprKind::Attribute { attr, .. } = &func.kind else { return false };
        attr.name == "get_main_option" && positional_arguments(arguments).next().and_then(Expr::as_str).as_deref() == Some("sqlalchemy.url")
    }

    /// `D.get` where `D` is env.py's `-x` dictionary.
    fn x_get(&mut self, scope: &Scope<'_>, func: &Expr, depth: usize) -> bool {
        matches!(&func.kind, ExprKind::Attribute { value, attr } if attr.name == "get" && self.x_dictionary(scope, value, depth))
    }

    /// Whether `expr` is `context.get_x_argument(as_dictionary=True)`, or a
    /// name assigned it (in the function, or at module level).
    fn x_dictionary(&mut self, scope: &Scope<'_>, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match &expr.kind {
            ExprKind::Call { func, arguments } => {
                let is_x = match resolve(self.sources, &scope.file, &scope.imports, func) {
                    Target::Library(name) => name == "alembic.context.get_x_argument",
                    _ => func.dotted_name().is_some_and(|n| n == "context.get_x_argument"),
                };
                let flag = keyword_argument(arguments, "as_dictionary").or_else(|| positional_arguments(arguments).next());
                is_x && flag.is_some_and(|f| matches!(f.kind, ExprKind::Bool(true)))
            }
            ExprKind::Name(name) => {
                let assigned = scope.body.and_then(|body| local_assignment(body, name, expr.span.start)).or_else(|| module_assignment(&scope.file.module, name));
                match assigned {
                    Some(value) => {
                        let value = value.clone();
                        self.x_dictionary(scope, &value, depth + 1)
                    }
                    None => false,
                }
            }
            _ => false,
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
