//! Reads the module that sets up the database (`database.py`): the engine
//! and its URL, the declarative base, the session factory, and what its
//! `init_db()` and `seed_db()` functions do — `Base.metadata.create_all()`,
//! the rows a seed adds, and the check it makes for existing rows first.

use std::rc::Rc;

use crate::engine::python::ast::{keyword_argument, positional_arguments, ArgumentKind, Expr, ExprKind, Stmt, StmtKind};

use super::imports::{resolve, Target};
use super::mapped::MappedClass;
use super::source::{create_all_owner, last_name, module_level_stmts, suggest, visit_expr, visit_stmts, Literal, Place, SourceFile};
use super::url::{local_assignment, Scope, UrlOrigin, UrlReader};
use super::{Context, Diagnostic};

/// What the database module sets up.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseInfo {
    pub path: String,
    /// The variable holding `create_engine(...)` (or `create_async_engine`).
    pub engine_name: Option<String>,
    pub engine_place: Option<Place>,
    /// The engine's URL, when it can be known without running Python.
    pub url: Option<String>,
    pub url_origin: Option<UrlOrigin>,
    /// The declarative base defined or imported here (`Base`).
    pub base_name: Option<String>,
    /// `SessionLocal = sessionmaker(...)`.
    pub session_factory: Option<String>,
    /// `Base.metadata.create_all(...)` run when the module is imported.
    pub create_all_at_import: Option<CreateAll>,
    pub init_db: Option<FunctionInfo>,
    pub seed_db: Option<SeedInfo>,
}

/// A `X.metadata.create_all` call (or `conn.run_sync(X.metadata.create_all)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateAll {
    /// What owns the metadata, as written: `Base`, `models.Base`, `SQLModel`.
    pub metadata_of: String,
    pub place: Place,
}

/// A project function and whether it creates the tables itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionInfo {
    pub name: String,
    pub place: Place,
    pub is_async: bool,
    /// The first `create_all` in its body.
    pub create_all: Option<CreateAll>,
}

impl FunctionInfo {
    pub fn calls_create_all(&self) -> bool {
        self.create_all.is_some()
    }
}

/// What a seed function adds.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedInfo {
    pub function: FunctionInfo,
    pub rows: Vec<SeedRow>,
    /// The check for existing rows that decides whether it adds anything.
    pub guard: Option<SeedGuard>,
    /// Whether it commits (`db.commit()` or a `with Session.begin():` block).
    pub commits: bool,
}

/// One model instance a seed adds (`db.add(Todo(title="Buy milk"))`).
#[derive(Debug, Clone, PartialEq)]
pub struct SeedRow {
    /// The mapped class.
    pub model: String,
    pub table: String,
    /// Keyword arguments, as literal values where they are literals.
    pub values: Vec<(String, Literal)>,
    /// For rows made in a loop or comprehension: its header (`for i in range(1, 4)`).
    pub repeat: Option<String>,
    pub place: Place,
}

/// The condition a seed checks before adding rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedGuard {
    pub kind: GuardKind,
    /// The model it queries.
    pub model: Option<String>,
    /// The condition as written (`db.query(Todo).count() == 0`).
    pub condition: String,
    /// `if <check>: add rows` or `if <check>: return` before adding them.
    pub early_return: bool,
    pub place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardKind {
    /// Counts rows (`.count() == 0`, `select(func.count())`).
    Count,
    /// Looks for one row (`.first()`, `.scalar_one_or_none()`, `db.scalar(select(...))`).
    First,
    /// `exists()`.
    Exists,
    Other,
}

impl GuardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GuardKind::Count => "count",
            GuardKind::First => "first",
            GuardKind::Exists => "exists",
            GuardKind::Other => "other",
        }
    }
}

/// Function names that conventionally create the tables.
const INIT_NAMES: &[&str] = &["init_db", "create_tables", "create_db_and_tables", "create_all", "init_models", "create_db"];

/// Reads `path` as the database module.
pub fn read_database(ctx: &mut Context<'_>, path: &str) -> Option<DatabaseInfo> {
    let file = ctx.sources.get(path)?;
    ctx.diagnostics.syntax_errors(&file);
    let mut info = DatabaseInfo {
        path: path.to_string(),
        engine_name: None,
        engine_place: None,
        url: None,
        url_origin: None,
        base_name: None,
        session_factory: None,
        create_all_at_import: None,
        init_db: None,
        seed_db: None,
    };
    let module_scope = Scope::module(&ctx.sources, file.clone());
    for stmt in module_level_stmts(&file.module.body) {
        let (targets, value): (Vec<&Expr>, &Expr) = match &stmt.kind {
            StmtKind::Assign { targets, value } => (targets.iter().collect(), value),
            StmtKind::AnnAssign { target, value: Some(value), .. } => (vec![target], value),
            StmtKind::Expr(_) => {
                if info.create_all_at_import.is_none() {
                    info.create_all_at_import = find_create_all(&file, std::slice::from_ref(stmt));
                }
                continue;
            }
            _ => continue,
        };
        let Some(target) = targets.first().and_then(|t| match &t.kind {
            ExprKind::Name(n) => Some(n.clone()),
            _ => None,
        }) else {
            continue;
        };
        let ExprKind::Call { arguments, .. } = &value.kind else { continue };
        match callee_name(value) {
            Some("create_engine" | "create_async_engine") if info.engine_name.is_none() => {
                info.engine_name = Some(target.clone());
                info.engine_place = Some(file.place(stmt.span.start));
                let url_expr = positional_arguments(arguments).next().or_else(|| keyword_argument(arguments, "url"));
                match url_expr {
                    Some(url_expr) => {
                        let (url, origin) = UrlReader::new(&mut ctx.sources, &mut ctx.diagnostics, &ctx.python).read(&module_scope, url_expr);
                        report_url_problems(ctx, &file, url_expr, url.as_deref(), &origin);
                        info.url = url;
                        info.url_origin = Some(origin);
                    }
                    None => ctx.diagnostics.push(file.diagnostic(
                        value.span.start,
                        "TypeError: create_engine() missing 1 required positional argument: 'url'",
                        Some("pass the database URL, e.g. create_engine(\"sqlite:///./app.db\")".into()),
                    )),
                }
            }
            Some("sessionmaker" | "async_sessionmaker" | "scoped_session") if info.session_factory.is_none() => {
                info.session_factory = Some(target.clone());
            }
            _ => {}
        }
    }
    info.base_name = base_name(ctx, &file);
    let functions: Vec<&Stmt> = module_level_stmts(&file.module.body)
        .into_iter()
        .filter(|s| matches!(s.kind, StmtKind::FunctionDef { .. }))
        .collect();
    let name_of = |s: &Stmt| match &s.kind {
        StmtKind::FunctionDef { name, .. } => name.name.clone(),
        _ => String::new(),
    };
    let init = functions
        .iter()
        .find(|s| INIT_NAMES.contains(&name_of(s).as_str()))
        .or_else(|| functions.iter().find(|s| !is_seed_name(&name_of(s)) && function_info(&file, s).is_some_and(|f| f.calls_create_all())));
    info.init_db = init.and_then(|s| function_info(&file, s));
    let seed = functions.iter().find(|s| is_seed_name(&name_of(s)));
    info.seed_db = seed.and_then(|s| read_seed(ctx, &file, s));
    if info.engine_name.is_none() && info.base_name.is_none() {
        ctx.diagnostics.push(file.diagnostic(
            0,
            format!("driftlab: {path} defines no engine (create_engine(...)) and no declarative base"),
            None,
        ));
    }
    Some(info)
}

/// The name a call calls: `create_engine` for `sa.create_engine(...)`, `scoped_session` for `scoped_session(sessionmaker(...))`.
fn callee_name(call: &Expr) -> Option<&str> {
    let ExprKind::Call { func, .. } = &call.kind else { return None };
    last_name(func)
}

/// Whether a function name says it seeds data.
pub fn is_seed_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("seed") || lower.contains("populate")
}

/// The declarative base the module defines or imports: the name the models
/// reader evaluates to a base (`Base` preferred).
fn base_name(ctx: &mut Context<'_>, file: &SourceFile) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for stmt in module_level_stmts(&file.module.body) {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => names.extend(targets.iter().filter_map(|t| t.dotted_name())),
            StmtKind::AnnAssign { target, .. } => names.extend(target.dotted_name()),
            StmtKind::ClassDef { name, .. } => names.push(name.name.clone()),
            StmtKind::ImportFrom { names: aliases, .. } => {
                names.extend(aliases.iter().map(|a| a.asname.as_ref().unwrap_or(&a.name).name.clone()))
            }
            _ => {}
        }
    }
    names.sort_by_key(|n| n != "Base");
    names.into_iter().find(|n| ctx.catalog.base_of(&file.path, n).is_some())
}

/// A function's name, place, and its first `create_all`.
pub fn function_info(file: &SourceFile, stmt: &Stmt) -> Option<FunctionInfo> {
    let StmtKind::FunctionDef { is_async, name, body, .. } = &stmt.kind else { return None };
    Some(FunctionInfo {
        name: name.name.clone(),
        place: file.place(name.span.start),
        is_async: *is_async,
        create_all: find_create_all(file, body),
    })
}

/// The first `X.metadata.create_all` in `stmts`.
pub fn find_create_all(file: &SourceFile, stmts: &[Stmt]) -> Option<CreateAll> {
    let mut found = None;
    visit_stmts(stmts, &mut |e| {
        if found.is_none() {
            if let Some(owner) = create_all_owner(e) {
                found = Some(CreateAll { metadata_of: file.snippet(owner.span), place: file.place(e.span.start) });
            }
        }
    });
    found
}

/// Problems with a URL that would stop the app: a variable with no value.
fn report_url_problems(ctx: &mut Context<'_>, file: &SourceFile, expr: &Expr, url: Option<&str>, origin: &UrlOrigin) {
    use super::url::UrlOriginKind;
    match (&origin.kind, url) {
        (UrlOriginKind::Environment { variable, set_in: None, default: None, read_with, .. }, None) if read_with != "os.environ[...]" => {
            ctx.diagnostics.push(file.diagnostic(
                expr.span.start,
                "sqlalchemy.exc.ArgumentError: Expected string or URL object, got None",
                Some(format!("{variable} is not set: export {variable}=sqlite:///./app.db in the terminal, add a line {variable}=sqlite:///./app.db to .env, or give {read_with}() a default")),
            ));
        }
        (UrlOriginKind::Unknown { expression }, _) => ctx.diagnostics.push(Diagnostic {
            file: origin.place.file.clone(),
            line: origin.place.line,
            col: origin.place.col,
            message: format!("driftlab: cannot tell the database URL without running Python: {expression}"),
            hint: Some("write it as a string, a module constant, or os.getenv(\"DATABASE_URL\", \"sqlite:///./app.db\")".into()),
        }),
        _ => {}
    }
}

// ------------------------------------------------------------------ seeds

/// Reads a seed function: the rows it adds, its guard, whether it commits.
pub fn read_seed(ctx: &mut Context<'_>, file: &Rc<SourceFile>, stmt: &Stmt) -> Option<SeedInfo> {
    let function = function_info(file, stmt)?;
    let StmtKind::FunctionDef { body, .. } = &stmt.kind else { return None };
    let scope = Scope::function(&ctx.sources, file.clone(), body);
    let mut seed = SeedScan { ctx, scope: &scope, report: true, rows: Vec::new(), guard: None, commits: false };
    seed.block(body, &[], None);
    let SeedScan { rows, guard, commits, .. } = seed;
    if !rows.is_empty() && !commits {
        ctx.diagnostics.push(file.diagnostic(
            function_name_offset(stmt),
            format!("driftlab: {}() adds rows but never commits: they are discarded when the session closes", function.name),
            Some("call db.commit() after adding them".into()),
        ));
    }
    Some(SeedInfo { function, rows, guard, commits })
}

fn function_name_offset(stmt: &Stmt) -> usize {
    match &stmt.kind {
        StmtKind::FunctionDef { name, .. } => name.span.start,
        _ => stmt.span.start,
    }
}

/// Whether a function body adds model rows (for telling a seed helper apart).
pub fn adds_rows(ctx: &mut Context<'_>, file: &Rc<SourceFile>, stmt: &Stmt) -> bool {
    let StmtKind::FunctionDef { body, .. } = &stmt.kind else { return false };
    let scope = Scope::function(&ctx.sources, file.clone(), body);
    let mut seed = SeedScan { ctx, scope: &scope, report: false, rows: Vec::new(), guard: None, commits: false };
    seed.block(body, &[], None);
    !seed.rows.is_empty()
}

struct SeedScan<'c, 's, 'p> {
    ctx: &'c mut Context<'p>,
    scope: &'s Scope<'s>,
    /// Off when only probing whether a function adds rows.
    report: bool,
    rows: Vec<SeedRow>,
    guard: Option<SeedGuard>,
    commits: bool,
}

/// Session methods that add the instances they are given.
const ADD_METHODS: &[&str] = &["add", "add_all", "bulk_save_objects"];

impl SeedScan<'_, '_, '_> {
    /// `conditions`: the enclosing `if` tests; `repeat`: the enclosing loop's header.
    fn block(&mut self, body: &[Stmt], conditions: &[&Expr], repeat: Option<&str>) {
        for stmt in body {
            match &stmt.kind {
                StmtKind::If { test, body: then, elifs, orelse } => {
                    if is_early_return(then) && self.guard.is_none() && self.rows.is_empty() && self.is_query(test) {
                        // `if db.query(Todo).first(): return` before adding.
                        self.guard = Some(self.make_guard(test, true));
                    }
                    let mut inner = conditions.to_vec();
                    inner.push(test);
                    self.block(then, &inner, repeat);
                    for elif in elifs {
                        self.block(&elif.body, conditions, repeat);
                    }
                    self.block(orelse, conditions, repeat);
                }
                StmtKind::For { target, iter, body, orelse, .. } => {
                    let header = format!("for {} in {}", self.scope.file.snippet(target.span), self.scope.file.snippet(iter.span));
                    self.block(body, conditions, Some(&header));
                    self.block(orelse, conditions, repeat);
                }
                StmtKind::While { body, .. } => self.block(body, conditions, repeat),
                StmtKind::With { items, body, .. } => {
                    if items.iter().any(|i| callee_name(&i.context) == Some("begin")) {
                        self.commits = true;
                    }
                    self.block(body, conditions, repeat);
                }
                StmtKind::Try { body, handlers, orelse, finalbody } => {
                    self.block(body, conditions, repeat);
                    for h in handlers {
                        self.block(&h.body, conditions, repeat);
                    }
                    self.block(orelse, conditions, repeat);
                    self.block(finalbody, conditions, repeat);
                }
                StmtKind::FunctionDef { .. } | StmtKind::ClassDef { .. } => {}
                _ => self.statement(stmt, conditions, repeat),
            }
        }
    }

    fn statement(&mut self, stmt: &Stmt, conditions: &[&Expr], repeat: Option<&str>) {
        let mut calls: Vec<&Expr> = Vec::new();
        super::source::visit_stmt(stmt, &mut |e| {
            if matches!(e.kind, ExprKind::Call { .. }) {
                calls.push(e);
            }
        });
        for call in calls {
            let ExprKind::Call { func, arguments } = &call.kind else { continue };
            let ExprKind::Attribute { attr, .. } = &func.kind else { continue };
            if attr.name == "commit" {
                self.commits = true;
                continue;
            }
            if !ADD_METHODS.contains(&attr.name.as_str()) {
                continue;
            }
            let Some(argument) = positional_arguments(arguments).next() else { continue };
            let before = self.rows.len();
            self.rows_of(argument, repeat.map(str::to_string), 0);
            if self.rows.len() > before && self.guard.is_none() {
                if let Some(test) = conditions.iter().rev().find(|t| self.is_query(t)) {
                    self.guard = Some(self.make_guard(test, false));
                }
            }
        }
    }

    /// The rows an argument of `add`/`add_all` holds.
    fn rows_of(&mut self, expr: &Expr, repeat: Option<String>, depth: usize) {
        if depth > 8 {
            return;
        }
        match &expr.kind {
            ExprKind::Call { func, arguments } => {
                let Some(class) = self.mapped(func) else { return };
                let file = self.scope.file.clone();
                let mut values = Vec::new();
                for argument in arguments {
                    match &argument.kind {
                        ArgumentKind::Keyword { name, value } => {
                            if let Some(allowed) = class.keywords.as_ref().filter(|_| self.report) {
                                if !allowed.contains(&name.name) {
                                    self.ctx.diagnostics.push(file.diagnostic(
                                        name.span.start,
                                        format!("TypeError: '{}' is an invalid keyword argument for {}", name.name, class.name),
                                        suggest(&name.name, allowed.iter().map(String::as_str)).map(|s| format!("did you mean `{s}=`?")),
                                    ));
                                }
                            }
                            values.push((name.name.clone(), Literal::of(&file, value)));
                        }
                        ArgumentKind::Positional(value) if self.report => {
                            self.ctx.diagnostics.push(file.diagnostic(
                                value.span.start,
                                "TypeError: _declarative_constructor() takes 1 positional argument but 2 were given",
                                Some(format!(
                                    "mapped classes take keyword arguments only: {}({}=...)",
                                    class.name,
                                    class.keywords.as_ref().and_then(|k| k.iter().find(|k| k.as_str() != "id")).map_or("name", String::as_str)
                                )),
                            ));
                        }
                        ArgumentKind::UnpackMapping(value) => values.push(("**".into(), Literal::Expression(file.snippet(value.span)))),
                        ArgumentKind::Positional(_) | ArgumentKind::Unpack(_) => {}
                    }
                }
                self.rows.push(SeedRow { model: class.name, table: class.table, values, repeat, place: file.place(expr.span.start) });
            }
            ExprKind::List(elements) | ExprKind::Tuple { elements, .. } => {
                for element in elements {
                    self.rows_of(element, repeat.clone(), depth + 1);
                }
            }
            ExprKind::ListComp { element, generators } | ExprKind::GeneratorExp { element, generators } => {
                let file = &self.scope.file;
                let header = generators
                    .iter()
                    .map(|g| format!("for {} in {}", file.snippet(g.target.span), file.snippet(g.iter.span)))
                    .collect::<Vec<_>>()
                    .join(" ");
                let repeat = Some(match repeat {
                    Some(outer) => format!("{outer} {header}"),
                    None => header,
                });
                self.rows_of(element, repeat, depth + 1);
            }
            ExprKind::Name(name) => {
                if let Some(value) = self.scope.body.and_then(|b| local_assignment(b, name, expr.span.start)) {
                    self.rows_of(value, repeat, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// The mapped class a callee names.
    fn mapped(&mut self, func: &Expr) -> Option<MappedClass> {
        match resolve(&self.ctx.sources, &self.scope.file, &self.scope.imports, func) {
            Target::Project { path, name } => self.ctx.catalog.mapped_class(&mut self.ctx.sources, &path, &name),
            _ => None,
        }
    }

    /// Whether a condition looks at the database (calls `query`, `count`, `first`, `select`, ...).
    fn is_query(&self, test: &Expr) -> bool {
        let text = self.condition_text(test);
        ["query(", "count(", "first(", "select(", "scalar(", "scalars(", "execute(", "exists(", "get(", "one_or_none("]
            .iter()
            .any(|m| text.contains(m))
    }

    /// The condition with the local variables it uses replaced by their values,
    /// so that `count = db.query(Todo).count(); if count == 0:` reads as a count.
    fn condition_text(&self, test: &Expr) -> String {
        let file = &self.scope.file;
        let mut text = file.snippet(test.span);
        let mut names = Vec::new();
        visit_expr(test, &mut |e| {
            if let ExprKind::Name(n) = &e.kind {
                names.push((n.clone(), e.span.start));
            }
        });
        for (name, at) in names {
            if let Some(value) = self.scope.body.and_then(|b| local_assignment(b, &name, at)) {
                text.push_str(" <- ");
                text.push_str(&file.snippet(value.span));
            }
        }
        text
    }

    fn make_guard(&mut self, test: &Expr, early_return: bool) -> SeedGuard {
        let text = self.condition_text(test);
        let kind = if text.contains("count") {
            GuardKind::Count
        } else if text.contains("first(") || text.contains("one_or_none(") || text.contains("scalar(") || text.contains(".get(") {
            GuardKind::First
        } else if text.contains("exists") {
            GuardKind::Exists
        } else {
            GuardKind::Other
        };
        SeedGuard {
            kind,
            model: self.queried_model(test),
            condition: self.scope.file.snippet(test.span),
            early_return,
            place: self.scope.file.place(test.span.start),
        }
    }

    /// The first mapped class the condition (or the variables it reads) names.
    fn queried_model(&mut self, test: &Expr) -> Option<String> {
        let mut exprs = vec![test.clone()];
        let mut names = Vec::new();
        visit_expr(test, &mut |e| {
            if let ExprKind::Name(n) = &e.kind {
                names.push((n.clone(), e.span.start));
            }
        });
        for (name, at) in names {
            if let Some(value) = self.scope.body.and_then(|b| local_assignment(b, &name, at)) {
                exprs.push(value.clone());
            }
        }
        for expr in &exprs {
            let mut candidates: Vec<Expr> = Vec::new();
            visit_expr(expr, &mut |e| {
                if matches!(e.kind, ExprKind::Name(_) | ExprKind::Attribute { .. }) {
                    candidates.push(e.clone());
                }
            });
            for candidate in candidates {
                if let Some(class) = self.mapped(&candidate) {
                    return Some(class.name);
                }
            }
        }
        None
    }
}

/// `if ...: return` (possibly after a message).
fn is_early_return(body: &[Stmt]) -> bool {
    matches!(body.last().map(|s| &s.kind), Some(StmtKind::Return(_)))
}
