//! A small evaluator for the module-level Python of models files: imports,
//! assignments, classes and the SQLAlchemy calls in them. Function bodies are
//! not run. Unknown things evaluate to `Value::Unknown`; only what the schema
//! depends on must be understood, and whatever is wrong is reported.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::metadata::{
    CheckConstraint, ForeignKeyConstraint, Index, MetaData, NameSource, Origin, ServerDefault, Table,
    UniqueConstraint,
};
use crate::engine::environ::PythonEnv;
use crate::engine::project::{self, Project};
use crate::engine::python::ast::{Argument, ArgumentKind, BinaryOp, Expr, ExprKind, Stmt, StmtKind, UnaryOp};
use crate::engine::python::{self, LineIndex};
use crate::engine::sqltypes::{EnumSpec, SqlType, TypeName};

use super::known::{self, suggest};
use super::naming;
use super::tables::{self, MappingProblem};
use super::value::{ClassInfo, ColumnDef, ForeignKeyDef, TableItem, Value};
use super::Diagnostic;

type Scope = BTreeMap<String, Value>;

/// One declarative base and the tables mapped to it.
#[derive(Debug, Default)]
struct BaseState {
    naming_convention: BTreeMap<String, String>,
    tables: Vec<Table>,
}

/// The file being evaluated.
struct Ctx<'a> {
    path: &'a str,
    index: LineIndex<'a>,
}

impl Ctx<'_> {
    fn origin(&self, expr_start: usize) -> Origin {
        let lc = self.index.line_col(expr_start);
        Origin { file: self.path.to_string(), line: lc.line as u32, col: lc.col as u32 }
    }
}

/// Names visible while evaluating: a class body's own, then the module's.
struct Env<'s> {
    module: &'s Scope,
    local: Option<&'s Scope>,
}

impl Env<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.local.and_then(|l| l.get(name)).or_else(|| self.module.get(name))
    }

    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.module.keys().map(String::as_str).collect();
        if let Some(local) = self.local {
            names.extend(local.keys().map(String::as_str));
        }
        names
    }
}

pub struct Reader<'p> {
    project: &'p Project,
    /// Evaluated modules by path; `None` while one is being loaded (import cycles).
    modules: HashMap<String, Option<Scope>>,
    bases: Vec<BaseState>,
    diagnostics: Vec<Diagnostic>,
    seen: BTreeSet<(String, usize, usize, String)>,
    /// What `os.getenv` sees (the process's environment over `.env`).
    python: PythonEnv,
}

/// Python's annotation types that map to a SQLAlchemy type by default.
fn python_type(symbol: &str) -> Option<TypeName> {
    Some(match symbol {
        "builtins.int" => TypeName::Integer,
        "builtins.str" => TypeName::String,
        "builtins.bool" => TypeName::Boolean,
        "builtins.float" => TypeName::Double,
        "builtins.bytes" => TypeName::LargeBinary,
        "decimal.Decimal" => TypeName::Numeric,
        "datetime.datetime" => TypeName::DateTime,
        "datetime.date" => TypeName::Date,
        "datetime.time" => TypeName::Time,
        "datetime.timedelta" => TypeName::Interval,
        "uuid.UUID" => TypeName::Uuid,
        _ => return None,
    })
}

impl<'p> Reader<'p> {
    /// Reads the project's modules as Python would with no environment
    /// variables of its own (only `.env`).
    pub fn new(project: &'p Project) -> Self {
        Reader::with_python(project, PythonEnv::files_only(project))
    }

    /// Reads the project's modules as a process with this environment would.
    pub fn with_python(project: &'p Project, python: PythonEnv) -> Self {
        Reader {
            project,
            modules: HashMap::new(),
            bases: Vec::new(),
            diagnostics: Vec::new(),
            seen: BTreeSet::new(),
            python,
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The metadata of declarative base `i`, with foreign keys resolved.
    pub fn metadata(&mut self, i: usize) -> MetaData {
        let Some(base) = self.bases.get(i) else { return MetaData::default() };
        let mut metadata =
            MetaData { tables: base.tables.clone(), naming_convention: base.naming_convention.clone() };
        self.resolve_foreign_keys(&mut metadata);
        metadata
    }

    /// The metadata when the project has exactly one declarative base.
    pub fn only_metadata(&mut self) -> Option<MetaData> {
        if self.bases.len() == 1 {
            Some(self.metadata(0))
        } else {
            None
        }
    }

    fn report(&mut self, origin: &Origin, message: impl Into<String>, hint: Option<String>) {
        let message = message.into();
        let key = (origin.file.clone(), origin.line as usize, origin.col as usize, message.clone());
        if self.seen.insert(key) {
            self.diagnostics.push(Diagnostic {
                file: origin.file.clone(),
                line: origin.line as usize,
                col: origin.col as usize,
                message,
                hint,
            });
        }
    }

    fn report_at(&mut self, ctx: &Ctx<'_>, expr: &Expr, message: impl Into<String>, hint: Option<String>) {
        let origin = ctx.origin(expr.span.start);
        self.report(&origin, message, hint);
    }

    /// Loads and evaluates a project module by path (`models.py`). `None`
    /// when the file does not exist.
    pub fn load_module(&mut self, path: &str) -> Option<Scope> {
        if let Some(cached) = self.modules.get(path) {
            // A module importing itself back gets the names it has so far: none.
            return Some(cached.clone().unwrap_or_default());
        }
        let source = self.project.read_text(path)?;
        self.modules.insert(path.to_string(), None);
        let parsed = python::parse_module(&source);
        for error in &parsed.errors {
            let origin = Origin { file: path.to_string(), line: error.line as u32, col: error.col as u32 };
            self.report(&origin, format!("SyntaxError: {}", error.message), None);
        }
        let ctx = Ctx { path, index: LineIndex::new(&source) };
        let mut scope = Scope::new();
        self.exec_module(&ctx, &parsed.module.body, &mut scope);
        self.modules.insert(path.to_string(), Some(scope.clone()));
        Some(scope)
    }

    fn exec_module(&mut self, ctx: &Ctx<'_>, body: &[Stmt], scope: &mut Scope) {
        for stmt in body {
            match &stmt.kind {
                StmtKind::Import { names } => {
                    for alias in names {
                        let module = alias.name.name.clone();
                        let project_module = self.module_path(ctx.path, 0, &module);
                        if !known::is_known_library(&module) && project_module.is_none() {
                            self.report_missing_module(ctx, alias.name.span.start, &module);
                            continue;
                        }
                        // `import models` runs the module: its classes map onto the Base.
                        if let Some(path) = project_module {
                            self.load_module(&path);
                        }
                        match &alias.asname {
                            Some(asname) => {
                                scope.insert(asname.name.clone(), Value::Module(module));
                            }
                            None => {
                                let top = module.split('.').next().unwrap_or(&module).to_string();
                                scope.insert(top.clone(), Value::Module(top));
                            }
                        }
                    }
                }
                StmtKind::ImportFrom { level, module, names } => {
                    let module_name = module.as_ref().map(|m| m.name.clone()).unwrap_or_default();
                    for alias in names {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
                        if alias.name.name == "*" {
                            if let Some(path) = self.module_path(ctx.path, *level, &module_name) {
                                if let Some(imported) = self.load_module(&path) {
                                    scope.extend(imported);
                                }
                            }
                            continue;
                        }
                        let module_at = module.as_ref().map_or(stmt.span.start, |m| m.span.start);
                        let value = self.import_name(ctx, (module_at, alias.name.span.start), *level, &module_name, &alias.name.name);
                        scope.insert(bound, value);
                    }
                }
                StmtKind::Assign { targets, value } => {
                    let v = self.eval(ctx, value, &Env { module: scope, local: None });
                    for target in targets {
                        bind(scope, target, v.clone());
                    }
                }
                StmtKind::AnnAssign { target, value: Some(value), .. } => {
                    let v = self.eval(ctx, value, &Env { module: scope, local: None });
                    bind(scope, target, v);
                }
                StmtKind::ClassDef { .. } => {
                    if let StmtKind::ClassDef { name, .. } = &stmt.kind {
                        let value = self.exec_class(ctx, stmt, scope);
                        scope.insert(name.name.clone(), value);
                    }
                }
                StmtKind::FunctionDef { name, .. } => {
                    scope.insert(name.name.clone(), Value::Unknown);
                }
                StmtKind::Expr(expr) => {
                    let v = self.eval(ctx, expr, &Env { module: scope, local: None });
                    // `Index("ix_name", User.email)` at module level joins the column's table.
                    if let Value::TableItem(TableItem::Index(index)) = v {
                        self.attach_module_index(ctx, expr, scope, index);
                    }
                }
                StmtKind::If { test, body, elifs, orelse } => {
                    // The first branch whose test is true runs; an unknown test
                    // (`if TYPE_CHECKING:`) runs every branch, as any may define names.
                    let branches = std::iter::once((test, body)).chain(elifs.iter().map(|e| (&e.test, &e.body)));
                    let mut decided = false;
                    for (test, body) in branches {
                        match self.eval(ctx, test, &Env { module: scope, local: None }).truthy() {
                            Some(false) => {}
                            Some(true) => {
                                self.exec_module(ctx, body, scope);
                                decided = true;
                                break;
                            }
                            None => self.exec_module(ctx, body, scope),
                        }
                    }
                    if !decided {
                        self.exec_module(ctx, orelse, scope);
                    }
                }
                StmtKind::Try { body, .. } => self.exec_module(ctx, body, scope),
                StmtKind::With { body, .. } => self.exec_module(ctx, body, scope),
                _ => {}
            }
        }
    }

    fn report_missing_module(&mut self, ctx: &Ctx<'_>, at: usize, module: &str) {
        let candidates: Vec<String> = self
            .project
            .files()
            .filter_map(|(p, _)| p.strip_suffix(".py").map(|m| m.replace('/', ".")))
            .collect();
        let hint = suggest(module, candidates.iter().map(String::as_str)).map(|m| format!("Did you mean: '{m}'?"));
        let origin = ctx.origin(at);
        self.report(&origin, format!("ModuleNotFoundError: No module named '{module}'"), hint);
    }

    /// The project file a module name refers to, from the importing file.
    fn module_path(&self, importer: &str, level: usize, module: &str) -> Option<String> {
        let mut base: Vec<&str> = importer.split('/').collect();
        base.pop();
        if level > 1 {
            for _ in 1..level {
                base.pop()?;
            }
        }
        let rel = module.replace('.', "/");
        let roots: Vec<String> = if level == 0 {
            // Absolute imports resolve from the project root (the app's cwd),
            // then from the importing file's folder (scripts run from there).
            vec![String::new(), base.join("/")]
        } else {
            vec![base.join("/")]
        };
        for root in roots {
            let join = |name: &str| -> String {
                if root.is_empty() {
                    name.to_string()
                } else if name.is_empty() {
                    root.clone()
                } else {
                    format!("{root}/{name}")
                }
            };
            for candidate in [format!("{}.py", join(&rel)), format!("{}/__init__.py", join(&rel))] {
                let candidate = project::resolve("", &candidate)?;
                if self.project.is_file(&candidate) {
                    return Some(candidate);
                }
            }
        }
        None
    }

    /// `at`: where the module name and the imported name are written.
    fn import_name(&mut self, ctx: &Ctx<'_>, (module_at, at): (usize, usize), level: usize, module: &str, name: &str) -> Value {
        if level == 0 && known::is_sqlalchemy_module(module) {
            if module == "sqlalchemy.orm" || module == "sqlalchemy.ext.declarative" || module == "sqlalchemy.ext.asyncio" {
                // fine: these are in the shared list
            }
            if known::SQLALCHEMY_NAMES.contains(&name) || module.starts_with("sqlalchemy.dialects") {
                return Value::Symbol(format!("sa.{name}"));
            }
            let hint = suggest(name, known::SQLALCHEMY_NAMES.iter().copied()).map(|s| format!("Did you mean: '{s}'?"));
            let origin = ctx.origin(at);
            self.report(&origin, format!("ImportError: cannot import name '{name}' from '{module}'"), hint);
            return Value::Unknown;
        }
        if level == 0 && known::is_known_library(module) {
            return Value::Symbol(format!("{module}.{name}"));
        }
        let Some(path) = self.module_path(ctx.path, level, module) else {
            // `from . import models` names a module in a package.
            if let Some(path) = self.module_path(ctx.path, level, &format!("{module}.{name}").trim_start_matches('.').to_string()) {
                return self.load_module(&path).map(|_| Value::Module(path)).unwrap_or(Value::Unknown);
            }
            let shown = format!("{}{}", ".".repeat(level), module);
            self.report_missing_module(ctx, module_at, &shown);
            return Value::Unknown;
        };
        let scope = self.load_module(&path).unwrap_or_default();
        match scope.get(name) {
            Some(v) => v.clone(),
            None => {
                let hint = suggest(name, scope.keys().map(String::as_str)).map(|s| format!("Did you mean: '{s}'?"));
                let origin = ctx.origin(at);
                self.report(
                    &origin,
                    format!("ImportError: cannot import name '{name}' from '{}' ({path})", module),
                    hint,
                );
                Value::Unknown
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    fn eval(&mut self, ctx: &Ctx<'_>, expr: &Expr, env: &Env<'_>) -> Value {
        match &expr.kind {
            ExprKind::Name(name) => self.lookup(ctx, expr, name, env),
            ExprKind::Str(s) => Value::Str(s.value()),
            ExprKind::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => n.text.replace('_', "").parse::<f64>().map(Value::Float).unwrap_or(Value::Unknown),
            },
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Tuple { elements, .. } => Value::Tuple(elements.iter().map(|e| self.eval(ctx, e, env)).collect()),
            ExprKind::List(elements) => Value::List(elements.iter().map(|e| self.eval(ctx, e, env)).collect()),
            ExprKind::Dict(items) => Value::Dict(
                items
                    .iter()
                    .filter_map(|item| {
                        let key = item.key.as_ref()?;
                        Some((self.eval(ctx, key, env), self.eval(ctx, &item.value, env)))
                    })
                    .collect(),
            ),
            ExprKind::UnaryOp { op: UnaryOp::Neg, operand } => match self.eval(ctx, operand, env) {
                Value::Int(i) => Value::Int(-i),
                Value::Float(f) => Value::Float(-f),
                _ => Value::Unknown,
            },
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => match self.eval(ctx, operand, env).truthy() {
                Some(b) => Value::Bool(!b),
                None => Value::Unknown,
            },
            ExprKind::BinOp { left, op: BinaryOp::Add, right } => {
                match (self.eval(ctx, left, env), self.eval(ctx, right, env)) {
                    (Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                    (Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_add(b)),
                    _ => Value::Unknown,
                }
            }
            ExprKind::BinOp { left, right, .. } => {
                self.eval(ctx, left, env);
                self.eval(ctx, right, env);
                Value::Unknown
            }
            ExprKind::Attribute { value, attr } => {
                let base = self.eval(ctx, value, env);
                self.attribute(ctx, expr, base, &attr.name)
            }
            ExprKind::Call { func, arguments } => {
                let callee = self.eval(ctx, func, env);
                self.call(ctx, expr, callee, arguments, env)
            }
            ExprKind::Subscript { value, index } => {
                // `os.environ["X"]`: the value, or Python's KeyError when X is not set.
                if matches!(self.eval(ctx, value, env), Value::Symbol(ref s) if s == "os.environ") {
                    if let Value::Str(key) = self.eval(ctx, index, env) {
                        return match self.python.get(&key) {
                            Some(v) => Value::Str(v.to_string()),
                            None => {
                                let hint = format!("export {key}=... in the terminal, or add a line {key}=... to .env");
                                self.report_at(ctx, expr, format!("KeyError: '{key}'"), Some(hint));
                                Value::Unknown
                            }
                        };
                    }
                }
                // Annotations are read by `annotation_type`; as values they are opaque.
                Value::Unknown
            }
            ExprKind::IfExp { test, body, orelse } => match self.eval(ctx, test, env).truthy() {
                Some(true) => self.eval(ctx, body, env),
                Some(false) => self.eval(ctx, orelse, env),
                None => Value::Unknown,
            },
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.eval(ctx, v, env);
                }
                Value::Unknown
            }
            ExprKind::Lambda { .. } => Value::Unknown,
            _ => Value::Unknown,
        }
    }

    fn lookup(&mut self, ctx: &Ctx<'_>, expr: &Expr, name: &str, env: &Env<'_>) -> Value {
        if let Some(v) = env.get(name) {
            return v.clone();
        }
        if known::BUILTINS.contains(&name) {
            return Value::Symbol(format!("builtins.{name}"));
        }
        if name == "__name__" {
            return Value::Str("__main__".into());
        }
        if name == "__file__" {
            // Every module Python loads has one (003's env.py: `os.path.dirname(__file__)`);
            // its absolute path is the host's, not modelled here.
            return Value::Unknown;
        }
        let mut candidates = env.names();
        candidates.extend(known::BUILTINS);
        candidates.extend(["True", "False", "None"]);
        let did_you_mean = suggest(name, candidates.iter().copied());
        let message = match did_you_mean {
            Some(s) => format!("NameError: name '{name}' is not defined. Did you mean: '{s}'?"),
            None => format!("NameError: name '{name}' is not defined"),
        };
        let hint = if known::SQLALCHEMY_NAMES.contains(&name) {
            let module = if ["DeclarativeBase", "Mapped", "mapped_column", "relationship", "declarative_base", "sessionmaker", "Session"].contains(&name) {
                "sqlalchemy.orm"
            } else {
                "sqlalchemy"
            };
            Some(format!("`{name}` comes from {module}: add it to `from {module} import ...`"))
        } else if did_you_mean.is_none() && python_type(&format!("datetime.{name}")).is_some() {
            Some(format!("`{name}` comes from datetime: `from datetime import {name}`"))
        } else if ["Optional", "List", "Union", "Dict", "Any"].contains(&name) {
            Some(format!("`{name}` comes from typing: `from typing import {name}`"))
        } else {
            None
        };
        self.report_at(ctx, expr, message, hint);
        Value::Unknown
    }

    fn attribute(&mut self, ctx: &Ctx<'_>, expr: &Expr, base: Value, attr: &str) -> Value {
        match base {
            Value::Module(module) if known::is_sqlalchemy_module(&module) => {
                let dotted = format!("{module}.{attr}");
                if known::SQLALCHEMY_NAMES.contains(&attr) {
                    Value::Symbol(format!("sa.{attr}"))
                } else if ["orm", "types", "schema", "sql", "ext", "dialects", "engine", "exc"].contains(&attr) {
                    Value::Module(dotted)
                } else if module.starts_with("sqlalchemy.dialects") {
                    Value::Symbol(format!("sa.{attr}"))
                } else {
                    let hint = suggest(attr, known::SQLALCHEMY_NAMES.iter().copied()).map(|s| format!("Did you mean: '{s}'?"));
                    self.report_at(ctx, expr, format!("AttributeError: module '{module}' has no attribute '{attr}'"), hint);
                    Value::Unknown
                }
            }
            Value::Module(module) if module.ends_with(".py") => {
                let scope = self.load_module(&module).unwrap_or_default();
                scope.get(attr).cloned().unwrap_or(Value::Unknown)
            }
            Value::Module(module) => {
                if known::is_known_library(&module) {
                    Value::Symbol(format!("{module}.{attr}"))
                } else if let Some(path) = self.module_path(ctx.path, 0, &module) {
                    let scope = self.load_module(&path).unwrap_or_default();
                    scope.get(attr).cloned().unwrap_or(Value::Unknown)
                } else {
                    Value::Unknown
                }
            }
            Value::Symbol(s) if s == "sa.func" => Value::SqlFunction(attr.to_string()),
            Value::Symbol(s) => Value::Symbol(format!("{s}.{attr}")),
            Value::Base(i) if attr == "metadata" => Value::MetaData { base: Some(i), naming_convention: self.bases[i].naming_convention.clone() },
            Value::Class(class) => {
                if let Some(table) = &class.table {
                    if let Some((_, def)) = class.columns.iter().find(|(a, _)| a == attr) {
                        let column = def.name.clone().unwrap_or_else(|| attr.to_string());
                        return Value::ClassAttribute(table.clone(), column);
                    }
                    if attr == "__table__" {
                        return Value::TableRef(table.clone());
                    }
                }
                if class.is_enum {
                    return Value::Unknown;
                }
                Value::Unknown
            }
            _ => Value::Unknown,
        }
    }

    // ---------------------------------------------------------------- calls

    fn call(&mut self, ctx: &Ctx<'_>, expr: &Expr, callee: Value, arguments: &[Argument], env: &Env<'_>) -> Value {
        let mut positional: Vec<(Value, &Expr)> = Vec::new();
        let mut keywords: Vec<(String, Value, &Expr)> = Vec::new();
        for argument in arguments {
            match &argument.kind {
                ArgumentKind::Positional(e) => positional.push((self.eval(ctx, e, env), e)),
                ArgumentKind::Keyword { name, value } => {
                    keywords.push((name.name.clone(), self.eval(ctx, value, env), value))
                }
                ArgumentKind::Unpack(e) | ArgumentKind::UnpackMapping(e) => {
                    self.eval(ctx, e, env);
                }
            }
        }
        let args = Args { positional, keywords };
        match callee {
            Value::Symbol(symbol) => self.call_symbol(ctx, expr, &symbol, args),
            Value::Type(t) => {
                self.report_at(ctx, expr, format!("TypeError: '{}' object is not callable", t.name.python_name()), None);
                Value::Unknown
            }
            Value::SqlFunction(name) => {
                let sql = match name.to_ascii_lowercase().as_str() {
                    "now" | "current_timestamp" => "CURRENT_TIMESTAMP".to_string(),
                    "current_date" => "CURRENT_DATE".to_string(),
                    "current_time" => "CURRENT_TIME".to_string(),
                    "localtimestamp" => "DATETIME(CURRENT_TIMESTAMP, \"localtime\")".to_string(),
                    _ => {
                        let args: Vec<String> = args
                            .positional
                            .iter()
                            .map(|(v, _)| match v {
                                Value::Str(s) => format!("'{}'", s.replace('\'', "''")),
                                Value::Int(i) => i.to_string(),
                                _ => "?".into(),
                            })
                            .collect();
                        format!("{name}({})", args.join(", "))
                    }
                };
                Value::ServerDefault(ServerDefault::Function { python: format!("func.{name}()"), sql })
            }
            Value::Class(class) if class.base.is_none() && !class.is_enum => Value::Unknown,
            _ => Value::Unknown,
        }
    }

    fn call_symbol(&mut self, ctx: &Ctx<'_>, expr: &Expr, symbol: &str, args: Args<'_>) -> Value {
        let origin = ctx.origin(expr.span.start);
        let Some(name) = symbol.strip_prefix("sa.") else {
            return match symbol {
                "os.getenv" | "os.environ.get" => {
                    let key = args.positional.first().and_then(|(v, _)| v.as_str()).map(str::to_string);
                    let default = args.positional.get(1).map(|(v, _)| v.clone()).or_else(|| args.keyword("default").cloned());
                    match key.and_then(|k| self.python.get(&k).map(str::to_string)) {
                        Some(v) => Value::Str(v),
                        None => default.unwrap_or(Value::None),
                    }
                }
                _ => Value::Unknown,
            };
        };
        if let Some(type_name) = TypeName::from_python_name(name) {
            return self.make_type(ctx, type_name, &args);
        }
        match name {
            "Column" | "mapped_column" => Value::Column(Box::new(self.make_column(ctx, name == "mapped_column", origin, &args))),
            "ForeignKey" => {
                let target = match args.positional.first().map(|(v, _)| v) {
                    Some(Value::Str(s)) => s.clone(),
                    Some(Value::ClassAttribute(t, c)) => format!("{t}.{c}"),
                    Some(Value::Column(def)) => def.name.clone().unwrap_or_default(),
                    _ => {
                        self.report(&origin, "ArgumentError: ForeignKey() needs the target column as \"table.column\"", Some("write ForeignKey(\"user.id\")".into()));
                        String::new()
                    }
                };
                self.check_keywords(&origin, "ForeignKey", &args, &["name", "ondelete", "onupdate", "deferrable", "initially", "use_alter", "link_to_name", "match", "info", "comment"]);
                Value::ForeignKey(ForeignKeyDef {
                    target,
                    name: args.keyword_str("name"),
                    ondelete: args.keyword_str("ondelete"),
                    onupdate: args.keyword_str("onupdate"),
                    deferrable: args.keyword("deferrable").and_then(Value::as_bool),
                    initially: args.keyword_str("initially"),
                    origin,
                })
            }
            "UniqueConstraint" => {
                let columns = self.column_names(&args);
                let name = args.keyword_str("name");
                Value::TableItem(TableItem::Unique(UniqueConstraint {
                    name_source: if name.is_some() { NameSource::Explicit } else { NameSource::None },
                    name,
                    columns,
                }))
            }
            "PrimaryKeyConstraint" => Value::TableItem(TableItem::PrimaryKey { name: args.keyword_str("name"), columns: self.column_names(&args) }),
            "CheckConstraint" => {
                let sqltext = match args.positional.first().map(|(v, _)| v) {
                    Some(Value::Str(s)) => s.clone(),
                    Some(Value::ServerDefault(ServerDefault::Text(s))) => s.clone(),
                    _ => String::new(),
                };
                let name = args.keyword_str("name");
                Value::TableItem(TableItem::Check(CheckConstraint {
                    name_source: if name.is_some() { NameSource::Explicit } else { NameSource::None },
                    name,
                    sqltext,
                }))
            }
            "Index" => {
                let name = args.positional.first().and_then(|(v, _)| v.as_str()).map(str::to_string);
                let columns: Vec<String> = args.positional.iter().skip(1).filter_map(|(v, _)| column_ref(v)).collect();
                Value::TableItem(TableItem::Index(Index {
                    name_source: if name.is_some() { NameSource::Explicit } else { NameSource::None },
                    name,
                    columns,
                    unique: args.keyword("unique").and_then(Value::as_bool).unwrap_or(false),
                }))
            }
            "ForeignKeyConstraint" => {
                let list = |v: Option<&Value>, read: fn(&Value) -> Option<String>| -> Vec<String> {
                    v.and_then(Value::items).map(|items| items.iter().filter_map(read).collect()).unwrap_or_default()
                };
                let columns = list(args.positional.first().map(|(v, _)| v), column_ref);
                let targets = list(args.positional.get(1).map(|(v, _)| v), target_ref);
                let ref_table = targets.first().map(|t| tables::split_target(t).0).unwrap_or_default();
                let ref_columns = targets.iter().map(|t| tables::split_target(t).1).collect();
                let name = args.keyword_str("name");
                Value::TableItem(TableItem::ForeignKey(ForeignKeyConstraint {
                    name_source: if name.is_some() { NameSource::Explicit } else { NameSource::None },
                    name,
                    columns,
                    ref_table,
                    ref_columns,
                    ondelete: args.keyword_str("ondelete"),
                    onupdate: args.keyword_str("onupdate"),
                    deferrable: args.keyword("deferrable").and_then(Value::as_bool),
                    initially: args.keyword_str("initially"),
                    origin: Some(origin),
                }))
            }
            "text" => match args.positional.first().map(|(v, _)| v) {
                Some(Value::Str(s)) => Value::ServerDefault(ServerDefault::Text(s.clone())),
                _ => Value::Unknown,
            },
            "false" => Value::ServerDefault(ServerDefault::Boolean(false)),
            "true" => Value::ServerDefault(ServerDefault::Boolean(true)),
            "MetaData" => {
                let mut convention = naming::default_convention();
                if let Some(Value::Dict(items)) = args.keyword("naming_convention") {
                    for (k, v) in items {
                        if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                            convention.insert(k.to_string(), v.to_string());
                        }
                    }
                }
                Value::MetaData { base: None, naming_convention: convention }
            }
            "declarative_base" => {
                let convention = match args.keyword("metadata") {
                    Some(Value::MetaData { naming_convention, .. }) => naming_convention.clone(),
                    _ => naming::default_convention(),
                };
                self.bases.push(BaseState { naming_convention: convention, tables: Vec::new() });
                Value::Base(self.bases.len() - 1)
            }
            "Table" => self.make_core_table(ctx, expr, &args),
            "create_engine" | "create_async_engine" => Value::Engine { url: args.positional.first().and_then(|(v, _)| v.as_str()).map(str::to_string) },
            "relationship" | "backref" | "synonym" | "column_property" | "deferred" | "composite" | "query_expression" => Value::OrmOnly,
            "declared_attr" => {
                self.report(&origin, "driftlab: @declared_attr is not supported in the playground", Some("write the column directly in the class body".into()));
                Value::Unknown
            }
            _ => Value::Unknown,
        }
    }

    fn check_keywords(&mut self, origin: &Origin, what: &str, args: &Args<'_>, allowed: &[&str]) {
        for (name, _, _) in &args.keywords {
            if !allowed.contains(&name.as_str()) && !name.starts_with("sqlite_") && !name.starts_with("postgresql_") {
                let hint = suggest(name, allowed.iter().copied()).map(|s| format!("did you mean `{s}=`?"));
                let message = if what == "Column" {
                    format!("TypeError: Additional arguments should be named <dialectname>_<argument>, got '{name}'")
                } else {
                    format!("TypeError: {what}() got an unexpected keyword argument '{name}'")
                };
                self.report(origin, message, hint);
            }
        }
    }

    fn column_names(&self, args: &Args<'_>) -> Vec<String> {
        args.positional.iter().filter_map(|(v, _)| column_ref(v)).collect()
    }

    fn make_type(&mut self, ctx: &Ctx<'_>, name: TypeName, args: &Args<'_>) -> Value {
        let mut t = SqlType::new(name);
        let int = |v: &Value| v.as_int().and_then(|i| u32::try_from(i).ok());
        let positional_int = |i: usize| args.positional.get(i).and_then(|(v, _)| int(v));
        match name {
            TypeName::Enum => {
                let mut spec = EnumSpec { native_enum: true, ..Default::default() };
                for (v, _) in &args.positional {
                    match v {
                        Value::Str(s) => spec.values.push(s.clone()),
                        Value::Class(c) if c.is_enum => {
                            spec.values = c.members.iter().map(|(n, _)| n.clone()).collect();
                            spec.class_name = Some(c.name.clone());
                            spec.name = Some(c.name.to_lowercase());
                        }
                        _ => {}
                    }
                }
                if let Some(n) = args.keyword_str("name") {
                    spec.name = Some(n);
                }
                spec.length = args.keyword("length").and_then(int);
                spec.native_enum = args.keyword("native_enum").and_then(Value::as_bool).unwrap_or(true);
                spec.create_constraint = args.keyword("create_constraint").and_then(Value::as_bool).unwrap_or(false);
                t.enum_spec = Some(spec);
            }
            TypeName::Numeric | TypeName::NUMERIC | TypeName::DECIMAL => {
                t.precision = positional_int(0).or_else(|| args.keyword("precision").and_then(int));
                t.scale = positional_int(1).or_else(|| args.keyword("scale").and_then(int));
            }
            TypeName::Float | TypeName::FLOAT => {
                t.precision = positional_int(0).or_else(|| args.keyword("precision").and_then(int));
            }
            TypeName::DateTime | TypeName::DATETIME | TypeName::TIMESTAMP | TypeName::Time | TypeName::TIME => {
                t.timezone = args.positional.first().and_then(|(v, _)| v.as_bool()).or_else(|| args.keyword("timezone").and_then(Value::as_bool)).unwrap_or(false);
            }
            TypeName::Boolean | TypeName::BOOLEAN => {
                t.create_constraint = args.keyword("create_constraint").and_then(Value::as_bool).unwrap_or(false);
            }
            _ => {
                t.length = positional_int(0).or_else(|| args.keyword("length").and_then(int));
                t.collation = args.keyword_str("collation");
            }
        }
        if let Some((Value::Str(s), e)) = args.positional.first() {
            if name != TypeName::Enum {
                self.report_at(ctx, e, format!("TypeError: '{s}' is not a valid length for {}", name.python_name()), Some(format!("write {}({}) with a number", name.python_name(), "50")));
            }
        }
        Value::Type(t)
    }

    fn make_column(&mut self, ctx: &Ctx<'_>, mapped: bool, origin: Origin, args: &Args<'_>) -> ColumnDef {
        let mut def = ColumnDef { mapped, origin: origin.clone(), ..Default::default() };
        for (i, (value, e)) in args.positional.iter().enumerate() {
            match value {
                Value::Str(s) if i == 0 => def.name = Some(s.clone()),
                Value::Type(t) => def.type_ = Some(t.clone()),
                Value::Symbol(s) if s.starts_with("sa.") => match TypeName::from_python_name(&s[3..]) {
                    Some(t) => def.type_ = Some(SqlType::new(t)),
                    None => self.report_at(ctx, e, format!("ArgumentError: '{}' is not a column type", &s[3..]), None),
                },
                Value::ForeignKey(fk) => def.foreign_keys.push(fk.clone()),
                Value::Class(c) if c.is_enum => {
                    self.report_at(ctx, e, format!("ArgumentError: '{}' is a Python enum, not a column type", c.name), Some(format!("wrap it: Enum({})", c.name)));
                }
                Value::Unknown => {}
                other => self.report_at(ctx, e, format!("ArgumentError: unexpected argument to {}(): {}", if mapped { "mapped_column" } else { "Column" }, other.describe()), None),
            }
        }
        let allowed: &[&str] = &[
            "primary_key", "nullable", "unique", "index", "server_default", "default", "autoincrement", "comment",
            "name", "type_", "onupdate", "server_onupdate", "doc", "key", "info", "quote", "system", "insert_default",
            "init", "repr", "default_factory", "compare", "kw_only", "hash", "sort_order", "use_existing_column",
            "deferred", "deferred_group", "deferred_raiseload", "active_history", "dataclass_metadata", "literal_execute",
        ];
        self.check_keywords(&origin, if mapped { "mapped_column" } else { "Column" }, args, allowed);
        for (key, value, e) in &args.keywords {
            let flag = || value.as_bool();
            match key.as_str() {
                "primary_key" => def.primary_key = flag().unwrap_or(false),
                "nullable" => def.nullable = flag(),
                "unique" => def.unique = flag(),
                "index" => def.index = flag(),
                "autoincrement" => def.autoincrement = flag(),
                "comment" => def.comment = value.as_str().map(str::to_string),
                "info" => {
                    if let Value::Dict(items) = value {
                        def.info = items.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), literal_source(v)?))).collect();
                    }
                }
                "name" => def.name = value.as_str().map(str::to_string),
                "type_" => {
                    if let Value::Type(t) = value {
                        def.type_ = Some(t.clone());
                    }
                }
                "server_default" => {
                    def.server_default = match value {
                        Value::Str(s) => Some(ServerDefault::Literal(s.clone())),
                        Value::ServerDefault(d) => Some(d.clone()),
                        Value::None => None,
                        Value::Unknown => None,
                        other => {
                            self.report_at(ctx, e, format!("ArgumentError: server_default must be a string, text() or a SQL function, not {}", other.describe()), Some("for a Python-side value use default=; for the database write server_default=text(\"0\")".into()));
                            None
                        }
                    }
                }
                "default" | "insert_default" => def.default = Some(python_repr(value)),
                _ => {}
            }
        }
        def
    }

    /// `Table("name", metadata, Column(...), ...)`: a Core table in the base's metadata.
    fn make_core_table(&mut self, ctx: &Ctx<'_>, expr: &Expr, args: &Args<'_>) -> Value {
        let origin = ctx.origin(expr.span.start);
        let Some(name) = args.positional.first().and_then(|(v, _)| v.as_str()).map(str::to_string) else {
            self.report(&origin, "TypeError: Table() needs a name and a MetaData", None);
            return Value::Unknown;
        };
        let base = match args.positional.get(1).map(|(v, _)| v) {
            Some(Value::MetaData { base: Some(b), .. }) => *b,
            _ => {
                self.report(&origin, format!("driftlab: Table('{name}', ...) must use Base.metadata to be part of the models"), None);
                return Value::Unknown;
            }
        };
        let mut columns = Vec::new();
        let mut items = Vec::new();
        for (v, _) in args.positional.iter().skip(2) {
            match v {
                Value::Column(def) => columns.push((def.name.clone().unwrap_or_default(), (**def).clone())),
                Value::TableItem(item) => items.push(item.clone()),
                _ => {}
            }
        }
        let mut problems = Vec::new();
        let mut table = tables::build_table(&name, &columns, &items, origin.clone(), &mut problems);
        table.sqlite_autoincrement = args.keyword("sqlite_autoincrement").and_then(Value::as_bool).unwrap_or(false);
        self.add_table(base, table, &origin, problems);
        Value::TableRef(name)
    }

    fn add_table(&mut self, base: usize, mut table: Table, origin: &Origin, problems: Vec<MappingProblem>) {
        for p in problems {
            self.report(&p.origin, p.message, p.hint);
        }
        let convention = self.bases[base].naming_convention.clone();
        for problem in naming::apply(&convention, &mut table) {
            self.report(origin, format!("sqlalchemy.exc.InvalidRequestError: {problem}"), None);
        }
        if self.bases[base].tables.iter().any(|t| t.name == table.name) {
            self.report(
                origin,
                format!("sqlalchemy.exc.InvalidRequestError: Table '{}' is already defined for this MetaData instance.  Specify 'extend_existing=True' to redefine options and columns on an existing Table object.", table.name),
                Some("two classes use the same __tablename__".into()),
            );
            return;
        }
        self.bases[base].tables.push(table);
    }

    fn attach_module_index(&mut self, ctx: &Ctx<'_>, expr: &Expr, scope: &Scope, index: Index) {
        // Columns given as `User.email` carry their table.
        if let ExprKind::Call { arguments, .. } = &expr.kind {
            for argument in arguments {
                if let ArgumentKind::Positional(e) = &argument.kind {
                    if let Value::ClassAttribute(table, _) = self.eval(ctx, e, &Env { module: scope, local: None }) {
                        for base in &mut self.bases {
                            if let Some(t) = base.tables.iter_mut().find(|t| t.name == table) {
                                // Name it by the metadata's convention, as if declared in the table.
                                let mut named = Table::new(&t.name);
                                named.indexes.push(index);
                                naming::apply(&base.naming_convention, &mut named);
                                t.indexes.append(&mut named.indexes);
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- classes

    fn exec_class(&mut self, ctx: &Ctx<'_>, stmt: &Stmt, module: &Scope) -> Value {
        let StmtKind::ClassDef { name, arguments, body, .. } = &stmt.kind else { return Value::Unknown };
        let origin = ctx.origin(name.span.start);
        let mut info = ClassInfo {
            name: name.name.clone(),
            base: None,
            tablename: None,
            abstract_: false,
            columns: Vec::new(),
            table_args: Vec::new(),
            sqlite_autoincrement: false,
            is_enum: false,
            members: Vec::new(),
            table: None,
            origin: origin.clone(),
        };
        let mut new_base = false;
        for argument in arguments {
            let ArgumentKind::Positional(e) = &argument.kind else { continue };
            match self.eval(ctx, e, &Env { module, local: None }) {
                Value::Symbol(s) if s == "sa.DeclarativeBase" || s == "sa.DeclarativeBaseNoMeta" => new_base = true,
                Value::Symbol(s) if s.starts_with("enum.") => info.is_enum = true,
                Value::Base(i) => info.base = Some(i),
                Value::Class(parent) => {
                    // Mixins and abstract bases lend their columns.
                    if parent.is_enum {
                        info.is_enum = true;
                    }
                    if parent.base.is_some() && info.base.is_none() {
                        info.base = parent.base;
                    }
                    if parent.table.is_some() {
                        self.report(&origin, format!("driftlab: mapped inheritance from '{}' is not supported in the playground", parent.name), Some("use a mixin or an abstract base (__abstract__ = True) to share columns".into()));
                    }
                    for (attr, def) in &parent.columns {
                        if !info.columns.iter().any(|(a, _)| a == attr) {
                            info.columns.push((attr.clone(), def.clone()));
                        }
                    }
                    info.table_args.extend(parent.table_args.iter().cloned());
                }
                _ => {}
            }
        }
        let mut local = Scope::new();
        let mut metadata_override = None;
        let mut own_columns: Vec<(String, ColumnDef)> = Vec::new();
        for stmt in body {
            match &stmt.kind {
                StmtKind::Assign { targets, value } => {
                    let v = self.eval(ctx, value, &Env { module, local: Some(&local) });
                    for target in targets {
                        let ExprKind::Name(attr) = &target.kind else { continue };
                        self.class_attribute(ctx, &mut info, &mut own_columns, attr, None, v.clone(), value, module, &local);
                        if attr == "metadata" {
                            if let Value::MetaData { naming_convention, .. } = &v {
                                metadata_override = Some(naming_convention.clone());
                            }
                        }
                        local.insert(attr.clone(), named_column(attr, &v));
                    }
                }
                StmtKind::AnnAssign { target, annotation, value } => {
                    let ExprKind::Name(attr) = &target.kind else { continue };
                    let v = match value {
                        Some(value) => self.eval(ctx, value, &Env { module, local: Some(&local) }),
                        None => Value::None,
                    };
                    let at = value.as_ref().unwrap_or(target);
                    self.class_attribute(ctx, &mut info, &mut own_columns, attr, Some(annotation), v.clone(), at, module, &local);
                    local.insert(attr.clone(), named_column(attr, &v));
                }
                StmtKind::FunctionDef { name, .. } => {
                    local.insert(name.name.clone(), Value::Unknown);
                }
                _ => {}
            }
        }
        // The class's own columns come after inherited ones, replacing overridden ones.
        for (attr, def) in own_columns {
            if let Some(slot) = info.columns.iter_mut().find(|(a, _)| *a == attr) {
                slot.1 = def;
            } else {
                info.columns.push((attr, def));
            }
        }
        if new_base {
            let convention = metadata_override.unwrap_or_else(naming::default_convention);
            self.bases.push(BaseState { naming_convention: convention, tables: Vec::new() });
            return Value::Base(self.bases.len() - 1);
        }
        if let Some(base) = info.base {
            if !info.abstract_ {
                self.map_class(base, &mut info);
            }
        }
        Value::Class(Box::new(info))
    }

    #[allow(clippy::too_many_arguments)]
    fn class_attribute(
        &mut self,
        ctx: &Ctx<'_>,
        info: &mut ClassInfo,
        columns: &mut Vec<(String, ColumnDef)>,
        attr: &str,
        annotation: Option<&Expr>,
        value: Value,
        at: &Expr,
        module: &Scope,
        local: &Scope,
    ) {
        if info.is_enum {
            let text = match &value {
                Value::Str(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                _ => String::new(),
            };
            if !attr.starts_with('_') {
                info.members.push((attr.to_string(), text));
            }
            return;
        }
        match attr {
            "__tablename__" => {
                match value {
                    Value::Str(s) => info.tablename = Some(s),
                    _ => self.report_at(ctx, at, "driftlab: __tablename__ must be a string", None),
                }
                return;
            }
            "__abstract__" => {
                info.abstract_ = value.as_bool().unwrap_or(false);
                return;
            }
            "__table_args__" => {
                let items: Vec<Value> = match value {
                    Value::Tuple(items) | Value::List(items) => items,
                    dict @ Value::Dict(_) => vec![dict],
                    _ => Vec::new(),
                };
                for item in items {
                    match item {
                        Value::TableItem(t) => info.table_args.push(t),
                        Value::Dict(options) => {
                            for (k, v) in options {
                                match (k.as_str(), v) {
                                    (Some("sqlite_autoincrement"), v) => info.sqlite_autoincrement = v.as_bool().unwrap_or(false),
                                    (Some("schema"), Value::Str(s)) => self.report_at(ctx, at, format!("driftlab: schema '{s}' is not supported: SQLite has no schemas"), None),
                                    _ => {}
                                }
                            }
                        }
                        Value::Unknown => {}
                        other => self.report_at(ctx, at, format!("ArgumentError: unexpected item in __table_args__: {}", other.describe()), None),
                    }
                }
                return;
            }
            _ if attr.starts_with("__") => return,
            _ => {}
        }
        let mapped_annotation = annotation.and_then(|a| self.mapped_inner(ctx, a, module, local));
        match value {
            Value::Column(mut def) => {
                if let Some((inner, optional)) = &mapped_annotation {
                    if def.type_.is_none() && def.foreign_keys.is_empty() {
                        def.type_ = self.annotation_type(ctx, inner, module, local, attr);
                    } else if def.type_.is_none() {
                        def.type_ = self.annotation_type(ctx, inner, module, local, attr);
                    }
                    if def.nullable.is_none() && !def.primary_key {
                        def.nullable = Some(*optional);
                    }
                } else if def.mapped && def.nullable.is_none() && !def.primary_key {
                    def.nullable = Some(true);
                }
                if def.name.is_none() {
                    def.name = Some(attr.to_string());
                }
                columns.push((attr.to_string(), *def));
            }
            Value::None if annotation.is_some() => {
                // `title: Mapped[str]`: a column from the annotation alone.
                let Some((inner, optional)) = mapped_annotation else { return };
                let type_ = self.annotation_type(ctx, &inner, module, local, attr);
                if type_.is_none() {
                    return;
                }
                columns.push((
                    attr.to_string(),
                    ColumnDef {
                        name: Some(attr.to_string()),
                        type_,
                        nullable: Some(optional),
                        mapped: true,
                        origin: ctx.origin(at.span.start),
                        ..Default::default()
                    },
                ));
            }
            _ => {}
        }
    }

    /// For `Mapped[X]` (also `Mapped[Optional[X]]`, `Mapped[X | None]`): the
    /// inner type expression and whether it is optional.
    fn mapped_inner(&mut self, ctx: &Ctx<'_>, annotation: &Expr, module: &Scope, local: &Scope) -> Option<(Expr, bool)> {
        let annotation = reparse_string(annotation)?;
        let ExprKind::Subscript { value, index } = &annotation.kind else { return None };
        let head = self.eval(ctx, value, &Env { module, local: Some(local) });
        let Value::Symbol(s) = head else { return None };
        if !matches!(s.as_str(), "sa.Mapped" | "sa.WriteOnlyMapped" | "sa.DynamicMapped") {
            return None;
        }
        let inner = reparse_string(index)?;
        Some(self.strip_optional(ctx, &inner, module, local))
    }

    fn strip_optional(&mut self, ctx: &Ctx<'_>, inner: &Expr, module: &Scope, local: &Scope) -> (Expr, bool) {
        match &inner.kind {
            ExprKind::BinOp { left, op: BinaryOp::BitOr, right } => {
                if matches!(right.kind, ExprKind::None) {
                    return (*left.clone(), true);
                }
                if matches!(left.kind, ExprKind::None) {
                    return (*right.clone(), true);
                }
                (inner.clone(), false)
            }
            ExprKind::Subscript { value, index } => {
                let head = self.eval(ctx, value, &Env { module, local: Some(local) });
                match head {
                    Value::Symbol(s) if s.ends_with(".Optional") => (*index.clone(), true),
                    Value::Symbol(s) if s.ends_with(".Union") => {
                        if let ExprKind::Tuple { elements, .. } = &index.kind {
                            let rest: Vec<&Expr> = elements.iter().filter(|e| !matches!(e.kind, ExprKind::None)).collect();
                            if rest.len() == 1 && rest.len() < elements.len() {
                                return (rest[0].clone(), true);
                            }
                        }
                        (inner.clone(), false)
                    }
                    _ => (inner.clone(), false),
                }
            }
            _ => (inner.clone(), false),
        }
    }

    /// The SQLAlchemy type a `Mapped[...]` annotation implies; `None` for
    /// relationships (collections and mapped classes), reported when unknown.
    fn annotation_type(&mut self, ctx: &Ctx<'_>, inner: &Expr, module: &Scope, local: &Scope, attr: &str) -> Option<SqlType> {
        let value = self.eval(ctx, inner, &Env { module, local: Some(local) });
        match value {
            Value::Symbol(s) => {
                if let Some(t) = python_type(&s) {
                    return Some(SqlType::new(t));
                }
                if let Some(name) = s.strip_prefix("sa.") {
                    if let Some(t) = TypeName::from_python_name(name) {
                        return Some(SqlType::new(t));
                    }
                }
                let shown = s.rsplit('.').next().unwrap_or(&s).to_string();
                if matches!(shown.as_str(), "List" | "list" | "Set" | "set") {
                    return None;
                }
                self.report_at(ctx, inner, format!("sqlalchemy.exc.ArgumentError: Could not locate SQLAlchemy Core type for Python type {shown} inside the '{attr}' attribute Mapped annotation"), None);
                None
            }
            Value::Class(c) if c.is_enum => Some(SqlType {
                enum_spec: Some(EnumSpec {
                    values: c.members.iter().map(|(n, _)| n.clone()).collect(),
                    name: Some(c.name.to_lowercase()),
                    class_name: Some(c.name.clone()),
                    native_enum: true,
                    ..Default::default()
                }),
                ..SqlType::new(TypeName::Enum)
            }),
            // `Mapped["User"]`, `Mapped[List["Post"]]`: relationships.
            Value::Class(_) | Value::Str(_) | Value::Unknown => None,
            other => {
                self.report_at(ctx, inner, format!("sqlalchemy.exc.ArgumentError: Could not locate SQLAlchemy Core type for Python type {} inside the '{attr}' attribute Mapped annotation", other.describe()), None);
                None
            }
        }
    }

    fn map_class(&mut self, base: usize, info: &mut ClassInfo) {
        let Some(tablename) = info.tablename.clone() else {
            let module = info.origin.file.trim_end_matches(".py").replace('/', ".");
            self.report(&info.origin, format!("sqlalchemy.exc.InvalidRequestError: Class <class '{module}.{}'> does not have a __table__ or __tablename__ specified and does not inherit from an existing table-mapped class.", info.name), Some(format!("add `__tablename__ = \"{}\"` to the class", info.name.to_lowercase())));
            return;
        };
        let mut problems = Vec::new();
        let mut table = tables::build_table(&tablename, &info.columns, &info.table_args, info.origin.clone(), &mut problems);
        table.sqlite_autoincrement = info.sqlite_autoincrement;
        table.class_name = Some(info.name.clone());
        if table.primary_key.columns.is_empty() {
            problems.push(MappingProblem {
                origin: info.origin.clone(),
                message: format!("sqlalchemy.exc.ArgumentError: Mapper Mapper[{}({})] could not assemble any primary key columns for mapped table '{}'", info.name, tablename, tablename),
                hint: Some("give one column primary_key=True".into()),
            });
        }
        let origin = info.origin.clone();
        self.add_table(base, table, &origin, problems);
        info.table = Some(tablename);
    }

    /// Checks every foreign key's target and gives untyped columns their target's type.
    fn resolve_foreign_keys(&mut self, metadata: &mut MetaData) {
        let snapshot = metadata.tables.clone();
        let mut reports = Vec::new();
        for table in &mut metadata.tables {
            let fks: Vec<ForeignKeyConstraint> = table.foreign_keys().cloned().collect();
            for fk in fks {
                let origin = fk.origin.clone().unwrap_or_default();
                let Some(target) = snapshot.iter().find(|t| t.name == fk.ref_table) else {
                    let hint = suggest(&fk.ref_table, snapshot.iter().map(|t| t.name.as_str())).map(|s| format!("did you mean the table '{s}'?"));
                    let column = fk.columns.first().cloned().unwrap_or_default();
                    let ref_column = fk.ref_columns.first().cloned().unwrap_or_default();
                    reports.push((origin, format!("sqlalchemy.exc.NoReferencedTableError: Foreign key associated with column '{}.{column}' could not find table '{}' with which to generate a foreign key to target column '{ref_column}'", table.name, fk.ref_table), hint));
                    continue;
                };
                for (local, remote) in fk.columns.iter().zip(&fk.ref_columns) {
                    match target.column(remote) {
                        None => reports.push((origin.clone(), format!("sqlalchemy.exc.NoReferencedColumnError: Could not initialize target column for ForeignKey '{}.{remote}' on table '{}': table '{}' has no column named '{remote}'", fk.ref_table, table.name, fk.ref_table), None)),
                        Some(remote_column) => {
                            if let Some(c) = table.columns.iter_mut().find(|c| &c.name == local) {
                                if c.type_.name == TypeName::NULLTYPE {
                                    c.type_ = remote_column.type_.clone();
                                }
                            }
                        }
                    }
                }
            }
        }
        for (origin, message, hint) in reports {
            self.report(&origin, message, hint);
        }
    }
}

/// Call arguments, evaluated.
struct Args<'e> {
    positional: Vec<(Value, &'e Expr)>,
    keywords: Vec<(String, Value, &'e Expr)>,
}

impl Args<'_> {
    fn keyword(&self, name: &str) -> Option<&Value> {
        self.keywords.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v)
    }

    fn keyword_str(&self, name: &str) -> Option<String> {
        self.keyword(name).and_then(Value::as_str).map(str::to_string)
    }
}

/// A column named in a constraint or index of its own table: a string, a
/// `User.id`, or a column of the class body.
fn column_ref(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::ClassAttribute(_, c) => Some(c.clone()),
        Value::Column(def) => def.name.clone(),
        _ => None,
    }
}

/// A foreign key target: `"user.id"` or `User.id`.
fn target_ref(v: &Value) -> Option<String> {
    match v {
        Value::ClassAttribute(t, c) => Some(format!("{t}.{c}")),
        other => column_ref(other),
    }
}

/// In a class body, a column bound to an attribute knows its name (for
/// `UniqueConstraint(first, last)` or `foreign_keys=[author_id]`).
fn named_column(attr: &str, v: &Value) -> Value {
    match v {
        Value::Column(def) if def.name.is_none() => {
            let mut def = def.clone();
            def.name = Some(attr.to_string());
            Value::Column(def)
        }
        other => other.clone(),
    }
}

fn bind(scope: &mut Scope, target: &Expr, value: Value) {
    match &target.kind {
        ExprKind::Name(name) => {
            scope.insert(name.clone(), value);
        }
        ExprKind::Tuple { elements, .. } | ExprKind::List(elements) => {
            let items = value.items().map(<[Value]>::to_vec).unwrap_or_default();
            for (i, element) in elements.iter().enumerate() {
                bind(scope, element, items.get(i).cloned().unwrap_or(Value::Unknown));
            }
        }
        _ => {}
    }
}

/// A string annotation (`Mapped["Optional[str]"]`) read as the expression it holds.
fn reparse_string(expr: &Expr) -> Option<Expr> {
    match &expr.kind {
        ExprKind::Str(s) => {
            let parsed = python::parse_module(&s.value());
            match parsed.module.body.first().map(|st| &st.kind) {
                Some(StmtKind::Expr(e)) if parsed.errors.is_empty() => Some(Expr { kind: e.kind.clone(), span: expr.span }),
                _ => None,
            }
        }
        _ => Some(expr.clone()),
    }
}

/// A literal's Python source (`repr()`), for values kept as text.
fn literal_source(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) => crate::engine::pyrepr::py_repr_str(s),
        Value::Int(_) | Value::Bool(_) | Value::None => python_repr(v),
        _ => return None,
    })
}

/// A Python-side default as source-like text (kept for rendering, not DDL).
fn python_repr(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("'{s}'"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::None => "None".into(),
        other => other.describe(),
    }
}

/// `KEY=value` lines of a `.env` file.
pub fn parse_dotenv(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (k, v) = line.split_once('=')?;
            let v = v.trim().trim_matches('"').trim_matches('\'');
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}
