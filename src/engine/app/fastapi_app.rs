//! Reads the FastAPI application module (`main.py`): the `FastAPI()`
//! object, what runs at startup and in which order (a lifespan's code
//! before `yield`, `@app.on_event("startup")` handlers, module-level
//! calls), and the routes with the ORM class each one works on.

use std::rc::Rc;

use crate::engine::python::ast::{keyword_argument, positional_arguments, Expr, ExprKind, Stmt, StmtKind};

use super::database::{adds_rows, function_info, is_seed_name};
use super::imports::{module_imports, resolve, Import, Target};
use super::source::{contains_yield, create_all_owner, find_function, module_assignment, module_level_stmts, visit_stmts, Place, SourceFile};
use super::url::{local_assignment, Scope};
use super::{Context, Diagnostic};

/// What the application module sets up.
#[derive(Debug, Clone, PartialEq)]
pub struct AppInfo {
    pub path: String,
    /// The variable holding `FastAPI(...)`.
    pub app_name: Option<String>,
    pub app_place: Option<Place>,
    pub startup_style: StartupStyle,
    /// The lifespan function, or the startup handlers, by name.
    pub startup_functions: Vec<String>,
    /// What runs before the app serves requests, in order: module-level
    /// calls (at import) first, then the lifespan or startup handlers.
    pub startup: Vec<StartupStep>,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartupStyle {
    /// `FastAPI(lifespan=lifespan)`: the code before `yield`.
    Lifespan,
    /// `@app.on_event("startup")`, `app.add_event_handler`, `FastAPI(on_startup=[...])`.
    OnEvent,
    None,
}

impl StartupStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            StartupStyle::Lifespan => "lifespan",
            StartupStyle::OnEvent => "on_event",
            StartupStyle::None => "none",
        }
    }
}

/// One thing done at startup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartupStep {
    pub action: StartupAction,
    /// What is called, as written (`init_db`, `command.upgrade`, `Base.metadata.create_all`).
    pub call: String,
    /// The project function it was found in, when the startup code calls a helper.
    pub via: Option<String>,
    /// The enclosing `if` conditions (`settings.debug`), joined with `and`.
    pub condition: Option<String>,
    /// Run when the module is imported (a module-level call), not by a startup hook.
    pub at_import: bool,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupAction {
    /// A project function that creates the tables (`init_db()`).
    InitDb,
    /// `Base.metadata.create_all(...)` written in place.
    CreateAll,
    /// `command.upgrade(Config("alembic.ini"), "head")` (or `alembic upgrade` run as a process).
    AlembicUpgrade { target: String, config: Option<String> },
    /// A project function that adds rows (`seed_db()`).
    SeedDb { conditional_on: Option<String> },
    /// Any other call, by name.
    Other(String),
}

/// An endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full path, router prefixes included.
    pub path: String,
    pub function: String,
    /// The ORM class it queries or creates.
    pub model: Option<String>,
    pub kind: RouteKind,
    pub place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    List,
    Get,
    Create,
    Update,
    Delete,
    Other,
}

impl RouteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteKind::List => "list",
            RouteKind::Get => "get",
            RouteKind::Create => "create",
            RouteKind::Update => "update",
            RouteKind::Delete => "delete",
            RouteKind::Other => "other",
        }
    }
}

const ROUTE_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "api_route"];

/// Reads `path` as the FastAPI application module.
pub fn read_app(ctx: &mut Context<'_>, path: &str) -> Option<AppInfo> {
    let file = ctx.sources.get(path)?;
    ctx.diagnostics.syntax_errors(&file);
    let imports = module_imports(&ctx.sources, &file);
    let mut info = AppInfo {
        path: path.to_string(),
        app_name: None,
        app_place: None,
        startup_style: StartupStyle::None,
        startup_functions: Vec::new(),
        startup: Vec::new(),
        routes: Vec::new(),
    };
    let mut reader = AppReader { ctx, file: file.clone(), imports };
    let statements = module_level_stmts(&file.module.body);

    // The app object and its keyword arguments.
    let mut app_call: Option<&Expr> = None;
    for stmt in &statements {
        let (target, value) = match &stmt.kind {
            StmtKind::Assign { targets, value } => (targets.first(), value),
            StmtKind::AnnAssign { target, value: Some(value), .. } => (Some(target), value),
            _ => continue,
        };
        let (Some(ExprKind::Name(name)), ExprKind::Call { func, .. }) = (target.map(|t| &t.kind), &value.kind) else { continue };
        if reader.is_library(func, "fastapi.FastAPI") {
            info.app_name = Some(name.clone());
            info.app_place = Some(file.place(stmt.span.start));
            app_call = Some(value);
            break;
        }
    }
    let Some(app_name) = info.app_name.clone() else {
        reader.ctx.diagnostics.push(file.diagnostic(0, format!("driftlab: {path} creates no FastAPI() application"), None));
        return Some(info);
    };

    // Module-level statements in order: routes, routers, startup handlers, import-time calls.
    let mut local_routers: Vec<(String, String, Vec<Route>)> = Vec::new();
    // Startup handlers: (name, file, definition, where registered by reference).
    let mut handlers: Vec<(String, Rc<SourceFile>, Stmt, Option<Place>)> = Vec::new();
    for stmt in &statements {
        match &stmt.kind {
            StmtKind::Assign { targets, value } => {
                if let (Some(ExprKind::Name(name)), Some(prefix)) = (targets.first().map(|t| &t.kind), reader.router_prefix(value)) {
                    local_routers.push((name.clone(), prefix, Vec::new()));
                }
            }
            StmtKind::FunctionDef { decorators, name, .. } => {
                for decorator in decorators {
                    let ExprKind::Call { func, arguments } = &decorator.kind else { continue };
                    let ExprKind::Attribute { value: owner, attr } = &func.kind else { continue };
                    let owner_name = owner.dotted_name().unwrap_or_default();
                    if attr.name == "on_event" && owner_name == app_name {
                        if positional_arguments(arguments).next().and_then(Expr::as_str).as_deref() == Some("startup") {
                            handlers.push((name.name.clone(), file.clone(), (*stmt).clone(), None));
                        }
                        continue;
                    }
                    if !ROUTE_METHODS.contains(&attr.name.as_str()) {
                        continue;
                    }
                    let routes = reader.routes_of(stmt, decorator, "");
                    if owner_name == app_name {
                        info.routes.extend(routes);
                    } else if let Some((_, _, list)) = local_routers.iter_mut().find(|(n, _, _)| *n == owner_name) {
                        list.extend(routes);
                    }
                }
            }
            StmtKind::Expr(expr) => {
                let ExprKind::Call { func, arguments } = &expr.kind else { continue };
                let method = match &func.kind {
                    ExprKind::Attribute { value, attr } if value.dotted_name().as_deref() == Some(app_name.as_str()) => attr.name.as_str(),
                    _ => "",
                };
                match method {
                    "include_router" => {
                        let prefix = keyword_argument(arguments, "prefix").and_then(Expr::as_str).unwrap_or_default();
                        if let Some(router) = positional_arguments(arguments).next().or_else(|| keyword_argument(arguments, "router")) {
                            let routes = match router.dotted_name().and_then(|n| local_routers.iter().find(|(r, _, _)| *r == n)) {
                                Some((_, router_prefix, routes)) => with_prefix(routes, &format!("{prefix}{router_prefix}")),
                                None => reader.imported_router_routes(router, &prefix),
                            };
                            info.routes.extend(routes);
                        }
                    }
                    "add_event_handler" => {
                        let mut args = positional_arguments(arguments);
                        if args.next().and_then(Expr::as_str).as_deref() == Some("startup") {
                            if let Some(handler) = args.next() {
                                if let Some((name, hfile, def)) = reader.function_named(handler) {
                                    handlers.push((name, hfile, def, Some(file.place(handler.span.start))));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    // What runs at import: only calls that matter for the schema or data
    // (`Base.metadata.create_all(bind=engine)` at module level).
    let mut found = Vec::new();
    reader.steps(Frame::top(&file, None), &file.module.body, false, &mut found);
    let mut steps: Vec<StartupStep> = found
        .into_iter()
        .filter(|s| !matches!(s.action, StartupAction::Other(_)))
        .map(|s| StartupStep { at_import: true, ..s })
        .collect();

    // Startup hooks.
    let app_call = app_call.cloned();
    let lifespan = app_call.as_ref().and_then(|call| match &call.kind {
        ExprKind::Call { arguments, .. } => keyword_argument(arguments, "lifespan").cloned(),
        _ => None,
    });
    let on_startup = app_call.as_ref().and_then(|call| match &call.kind {
        ExprKind::Call { arguments, .. } => keyword_argument(arguments, "on_startup").cloned(),
        _ => None,
    });
    if let Some(ExprKind::List(items) | ExprKind::Tuple { elements: items, .. }) = on_startup.as_ref().map(|e| &e.kind) {
        for item in items {
            if let Some((name, hfile, def)) = reader.function_named(item) {
                handlers.push((name, hfile, def, Some(file.place(item.span.start))));
            }
        }
    }
    if let Some(lifespan) = &lifespan {
        match reader.function_named(lifespan) {
            Some((name, lfile, def)) => {
                info.startup_style = StartupStyle::Lifespan;
                info.startup_functions.push(name);
                if let StmtKind::FunctionDef { body, .. } = &def.kind {
                    reader.steps(Frame::top(&lfile, Some(body)), body, true, &mut steps);
                }
            }
            None => reader.ctx.diagnostics.push(file.diagnostic(
                lifespan.span.start,
                format!("driftlab: cannot find the lifespan function '{}'", file.snippet(lifespan.span)),
                None,
            )),
        }
        for (name, hfile, def, _) in &handlers {
            reader.ctx.diagnostics.push(hfile.diagnostic(
                def.span.start,
                format!("driftlab: the startup handler {name}() is never called: FastAPI ignores on_event handlers when it is given a lifespan"),
                Some("move its code into the lifespan function, before `yield`".into()),
            ));
        }
    } else if !handlers.is_empty() {
        info.startup_style = StartupStyle::OnEvent;
        for (name, hfile, def, registered_at) in &handlers {
            info.startup_functions.push(name.clone());
            match (registered_at, &def.kind) {
                (Some(place), _) => steps.extend(reader.handler_steps(Frame::top(&file, None), name, hfile, def, place.clone())),
                (None, StmtKind::FunctionDef { body, .. }) => {
                    reader.steps(Frame::top(hfile, Some(body)), body, false, &mut steps);
                }
                _ => {}
            }
        }
    } else if let Some(unused) = statements.iter().find(|s| is_lifespan_definition(s)) {
        if let StmtKind::FunctionDef { name, .. } = &unused.kind {
            reader.ctx.diagnostics.push(file.diagnostic(
                name.span.start,
                format!("driftlab: {}() is never passed to FastAPI(lifespan={}): it does not run", name.name, name.name),
                Some(format!("create the app with {app_name} = FastAPI(lifespan={})", name.name)),
            ));
        }
    }
    info.startup = steps;
    Some(info)
}

/// `@asynccontextmanager async def lifespan(app): ...`
fn is_lifespan_definition(stmt: &Stmt) -> bool {
    let StmtKind::FunctionDef { decorators, .. } = &stmt.kind else { return false };
    decorators.iter().any(|d| d.dotted_name().is_some_and(|n| n.ends_with("asynccontextmanager")))
}

fn with_prefix(routes: &[Route], prefix: &str) -> Vec<Route> {
    routes.iter().map(|r| Route { path: format!("{prefix}{}", r.path), ..r.clone() }).collect()
}

/// Where startup code is being read: its file, the enclosing function's
/// body (for local variables), the enclosing `if` conditions, the helper
/// function it is in, and how many helpers deep.
#[derive(Clone, Copy)]
struct Frame<'f> {
    file: &'f Rc<SourceFile>,
    body: Option<&'f [Stmt]>,
    condition: Option<&'f str>,
    via: Option<&'f str>,
    depth: usize,
}

impl<'f> Frame<'f> {
    /// The top level of `file`, or of a function's `body`.
    fn top(file: &'f Rc<SourceFile>, body: Option<&'f [Stmt]>) -> Self {
        Frame { file, body, condition: None, via: None, depth: 0 }
    }

    /// The condition of a nested `if`, joined to the enclosing ones.
    fn and(&self, test: String) -> String {
        match self.condition {
            Some(outer) => format!("{outer} and {test}"),
            None => test,
        }
    }

    /// The same frame under another condition.
    fn under<'g>(&self, condition: &'g str) -> Frame<'g>
    where
        'f: 'g,
    {
        Frame { condition: Some(condition), ..*self }
    }

    fn step(&self, action: StartupAction, call: String, place: Place) -> StartupStep {
        StartupStep {
            action,
            call,
            via: self.via.map(str::to_string),
            condition: self.condition.map(str::to_string),
            at_import: false,
            place,
        }
    }
}

struct AppReader<'c, 'p> {
    ctx: &'c mut Context<'p>,
    file: Rc<SourceFile>,
    imports: Vec<Import>,
}

impl AppReader<'_, '_> {
    fn is_library(&self, func: &Expr, qualified: &str) -> bool {
        match resolve(&self.ctx.sources, &self.file, &self.imports, func) {
            Target::Library(name) => name == qualified || name.rsplit('.').next() == qualified.rsplit('.').next(),
            _ => false,
        }
    }

    /// `APIRouter(prefix="/todos")` → its prefix.
    fn router_prefix(&self, value: &Expr) -> Option<String> {
        let ExprKind::Call { func, arguments } = &value.kind else { return None };
        if !self.is_library(func, "fastapi.APIRouter") {
            return None;
        }
        Some(keyword_argument(arguments, "prefix").and_then(Expr::as_str).unwrap_or_default())
    }

    /// The routes of a router defined in another project module.
    fn imported_router_routes(&mut self, router: &Expr, prefix: &str) -> Vec<Route> {
        let Target::Project { path, name } = resolve(&self.ctx.sources, &self.file, &self.imports, router) else { return Vec::new() };
        let Some(module) = self.ctx.sources.get(&path) else { return Vec::new() };
        let Some(value) = module_assignment(&module.module, &name) else { return Vec::new() };
        let module_imports = module_imports(&self.ctx.sources, &module);
        let inner = AppReader { ctx: &mut *self.ctx, file: module.clone(), imports: module_imports };
        let Some(router_prefix) = inner.router_prefix(value) else { return Vec::new() };
        let mut inner = inner;
        let mut routes = Vec::new();
        for stmt in module_level_stmts(&module.module.body) {
            let StmtKind::FunctionDef { decorators, .. } = &stmt.kind else { continue };
            for decorator in decorators {
                let ExprKind::Call { func, .. } = &decorator.kind else { continue };
                let ExprKind::Attribute { value: owner, attr } = &func.kind else { continue };
                if owner.dotted_name().as_deref() == Some(name.as_str()) && ROUTE_METHODS.contains(&attr.name.as_str()) {
                    routes.extend(inner.routes_of(stmt, decorator, &format!("{prefix}{router_prefix}")));
                }
            }
        }
        routes
    }

    /// The routes a decorator (`@app.get("/todos")`) declares on a function.
    fn routes_of(&mut self, stmt: &Stmt, decorator: &Expr, prefix: &str) -> Vec<Route> {
        let StmtKind::FunctionDef { name, body, .. } = &stmt.kind else { return Vec::new() };
        let ExprKind::Call { func, arguments } = &decorator.kind else { return Vec::new() };
        let ExprKind::Attribute { attr, .. } = &func.kind else { return Vec::new() };
        let path = positional_arguments(arguments)
            .next()
            .or_else(|| keyword_argument(arguments, "path"))
            .and_then(Expr::as_str)
            .unwrap_or_default();
        let methods: Vec<String> = if attr.name == "api_route" {
            match keyword_argument(arguments, "methods").map(|m| &m.kind) {
                Some(ExprKind::List(items) | ExprKind::Tuple { elements: items, .. }) => {
                    items.iter().filter_map(Expr::as_str).map(|m| m.to_uppercase()).collect()
                }
                _ => vec!["GET".into()],
            }
        } else {
            vec![attr.name.to_uppercase()]
        };
        let model = self.route_model(body);
        let full_path = format!("{prefix}{path}");
        methods
            .into_iter()
            .map(|method| Route {
                kind: route_kind(&method, &full_path, model.is_some()),
                method,
                path: full_path.clone(),
                function: name.name.clone(),
                model: model.clone(),
                place: self.file.place(name.span.start),
            })
            .collect()
    }

    /// The first ORM class the function body names.
    fn route_model(&mut self, body: &[Stmt]) -> Option<String> {
        let scope = Scope::function(&self.ctx.sources, self.file.clone(), body);
        let mut candidates: Vec<&Expr> = Vec::new();
        visit_stmts(body, &mut |e| {
            if matches!(e.kind, ExprKind::Name(_) | ExprKind::Attribute { .. }) {
                candidates.push(e);
            }
        });
        for candidate in candidates {
            if let Target::Project { path, name } = resolve(&self.ctx.sources, &scope.file, &scope.imports, candidate) {
                if let Some(class) = self.ctx.catalog.mapped_class(&mut self.ctx.sources, &path, &name) {
                    return Some(class.name);
                }
            }
        }
        None
    }

    /// A project function named by `expr`: (name, its file, its definition).
    fn function_named(&mut self, expr: &Expr) -> Option<(String, Rc<SourceFile>, Stmt)> {
        self.function_in(&self.file.clone(), &self.imports.clone(), expr)
    }

    fn function_in(&mut self, file: &Rc<SourceFile>, imports: &[Import], expr: &Expr) -> Option<(String, Rc<SourceFile>, Stmt)> {
        let Target::Project { path, name } = resolve(&self.ctx.sources, file, imports, expr) else { return None };
        let target = self.ctx.sources.get(&path)?;
        if let Some(def) = find_function(&target.module, &name) {
            return Some((name, target.clone(), def.clone()));
        }
        // One re-export hop: `from .crud import init_db` in a package `__init__.py`.
        let target_imports = module_imports(&self.ctx.sources, &target);
        let reexport = target_imports.iter().rev().find(|i| i.bound == name)?;
        let path = reexport.path.clone()?;
        let origin = self.ctx.sources.get(&path)?;
        let original = match &reexport.kind {
            super::imports::ImportKind::Name(n) => n.clone(),
            _ => return None,
        };
        find_function(&origin.module, &original).map(|def| (original, origin.clone(), def.clone()))
    }

    /// The startup steps of `stmts`, in order. With `stop_at_yield`, only what
    /// runs before the first `yield` (a lifespan's startup half); returns
    /// whether that `yield` was reached.
    fn steps(&mut self, frame: Frame<'_>, stmts: &[Stmt], stop_at_yield: bool, out: &mut Vec<StartupStep>) -> bool {
        for stmt in stmts {
            let has_yield = stop_at_yield && contains_yield(stmt);
            let reached = match &stmt.kind {
                StmtKind::If { test, body, elifs, orelse } => {
                    let file = frame.file;
                    let mut reached = self.steps(frame.under(&frame.and(file.snippet(test.span))), body, stop_at_yield, out);
                    for elif in elifs {
                        reached |= self.steps(frame.under(&frame.and(file.snippet(elif.test.span))), &elif.body, stop_at_yield, out);
                    }
                    reached |= self.steps(frame.under(&frame.and(negation(file, test))), orelse, stop_at_yield, out);
                    reached
                }
                StmtKind::With { items, body, .. } => {
                    // `with SessionLocal() as db:` is set-up; keep only what matters.
                    for item in items {
                        self.significant_call_steps(frame, &item.context, out);
                    }
                    self.steps(frame, body, stop_at_yield, out)
                }
                StmtKind::Try { body, orelse, finalbody, .. } => {
                    self.steps(frame, body, stop_at_yield, out)
                        || self.steps(frame, orelse, stop_at_yield, out)
                        || self.steps(frame, finalbody, stop_at_yield, out)
                }
                StmtKind::For { body, .. } | StmtKind::While { body, .. } => self.steps(frame, body, stop_at_yield, out),
                StmtKind::Expr(expr) if !has_yield => {
                    self.call_steps(frame, expr, out);
                    false
                }
                // `cfg = Config(...)` is set-up, not an action; keep only what matters.
                StmtKind::Assign { value, .. } | StmtKind::AnnAssign { value: Some(value), .. } if !has_yield => {
                    self.significant_call_steps(frame, value, out);
                    false
                }
                _ => false,
            };
            if reached || has_yield {
                return true;
            }
        }
        false
    }

    /// The steps of a call, except `Other` ones.
    fn significant_call_steps(&mut self, frame: Frame<'_>, expr: &Expr, out: &mut Vec<StartupStep>) {
        let mut found = Vec::new();
        self.call_steps(frame, expr, &mut found);
        out.extend(found.into_iter().filter(|s| !matches!(s.action, StartupAction::Other(_))));
    }

    /// The step a call expression is (`await` unwrapped).
    fn call_steps(&mut self, frame: Frame<'_>, expr: &Expr, out: &mut Vec<StartupStep>) {
        let file = frame.file;
        let expr = match &expr.kind {
            ExprKind::Await(inner) => inner.as_ref(),
            _ => expr,
        };
        let ExprKind::Call { func, arguments } = &expr.kind else { return };
        let place = file.place(expr.span.start);
        let step = |action: StartupAction, call: String| frame.step(action, call, place.clone());
        // `Base.metadata.create_all(...)`, `conn.run_sync(Base.metadata.create_all)`.
        let create_all = create_all_owner(func).map(|_| func.as_ref()).or_else(|| {
            arguments.iter().map(|a| a.value()).find(|v| create_all_owner(v).is_some())
        });
        if let Some(create_all) = create_all {
            out.push(step(StartupAction::CreateAll, file.snippet(create_all.span)));
            return;
        }
        let mut imports = module_imports(&self.ctx.sources, file);
        if let Some(body) = frame.body {
            imports.extend(super::imports::imports_inside(&self.ctx.sources, file, body));
        }
        let callee = resolve(&self.ctx.sources, file, &imports, func);
        let call_text = func.dotted_name().unwrap_or_else(|| file.snippet(func.span));
        match &callee {
            Target::Library(name) if name == "alembic.command.upgrade" => {
                let mut args = positional_arguments(arguments);
                let config_expr = args.next().or_else(|| keyword_argument(arguments, "config"));
                let target = args
                    .next()
                    .or_else(|| keyword_argument(arguments, "revision"))
                    .map(|t| t.as_str().unwrap_or_else(|| file.snippet(t.span)))
                    .unwrap_or_default();
                let config = config_expr.and_then(|c| self.config_file(file, frame.body, &imports, c));
                self.check_config_file(file, expr, config.as_deref());
                out.push(step(StartupAction::AlembicUpgrade { target, config }, call_text));
                return;
            }
            Target::Library(name) if is_process_call(name) => {
                if let Some(target) = alembic_upgrade_command(arguments) {
                    out.push(step(StartupAction::AlembicUpgrade { target, config: None }, call_text));
                    return;
                }
            }
            Target::Library(name) if name.starts_with("logging.") || name == "builtins.print" => return,
            Target::Unknown if is_logging(&call_text) => return,
            Target::Project { .. } => {
                if let Some((name, helper_file, def)) = self.function_in(file, &imports, func) {
                    if let Some(steps) = self.function_steps(frame, &name, &call_text, place.clone(), (&helper_file, &def)) {
                        out.extend(steps);
                        return;
                    }
                }
            }
            _ => {}
        }
        out.push(step(StartupAction::Other(call_text.clone()), call_text));
    }

    /// What calling the project function `name` (written `call_text` at
    /// `place`) does at startup: it seeds, it creates the tables, or (for a
    /// helper called directly by the startup code) what its body does. `None`
    /// when it is none of these.
    fn function_steps(
        &mut self,
        frame: Frame<'_>,
        name: &str,
        call_text: &str,
        place: Place,
        (helper_file, def): (&Rc<SourceFile>, &Stmt),
    ) -> Option<Vec<StartupStep>> {
        if is_seed_name(name) || adds_rows(self.ctx, helper_file, def) {
            let conditional_on = frame.condition.map(str::to_string);
            return Some(vec![frame.step(StartupAction::SeedDb { conditional_on }, call_text.to_string(), place)]);
        }
        if function_info(helper_file, def).is_some_and(|i| i.calls_create_all()) {
            return Some(vec![frame.step(StartupAction::InitDb, call_text.to_string(), place)]);
        }
        if frame.depth > 0 {
            return None;
        }
        // A helper (`run_migrations()`): what it does, one level down.
        let StmtKind::FunctionDef { body, .. } = &def.kind else { return None };
        let inner_frame = Frame { file: helper_file, body: Some(body), condition: frame.condition, via: Some(name), depth: frame.depth + 1 };
        let mut inner = Vec::new();
        self.steps(inner_frame, body, false, &mut inner);
        inner.iter().any(|s| !matches!(s.action, StartupAction::Other(_))).then_some(inner)
    }

    /// A startup handler given by reference (`FastAPI(on_startup=[init_db])`,
    /// `app.add_event_handler("startup", init_db)`): as if it were called there.
    fn handler_steps(&mut self, frame: Frame<'_>, name: &str, helper_file: &Rc<SourceFile>, def: &Stmt, place: Place) -> Vec<StartupStep> {
        self.function_steps(frame, name, name, place.clone(), (helper_file, def))
            .unwrap_or_else(|| vec![frame.step(StartupAction::Other(name.to_string()), name.to_string(), place)])
    }

    /// The file a `Config(...)` is made from: `Config("alembic.ini")`, directly or through a variable.
    fn config_file(&mut self, file: &Rc<SourceFile>, function_body: Option<&[Stmt]>, imports: &[Import], expr: &Expr) -> Option<String> {
        let value = match &expr.kind {
            ExprKind::Name(name) => function_body
                .and_then(|b| local_assignment(b, name, expr.span.start))
                .or_else(|| module_assignment(&file.module, name))?,
            _ => expr,
        };
        let ExprKind::Call { func, arguments } = &value.kind else { return None };
        match resolve(&self.ctx.sources, file, imports, func) {
            Target::Library(name) if name == "alembic.config.Config" => {}
            _ => return None,
        }
        positional_arguments(arguments).next().or_else(|| keyword_argument(arguments, "file_")).and_then(Expr::as_str)
    }

    fn check_config_file(&mut self, file: &SourceFile, call: &Expr, config: Option<&str>) {
        let Some(config) = config else { return };
        let exists = crate::engine::project::resolve("", config).is_some_and(|p| self.ctx.sources.project.is_file(&p));
        if !exists {
            self.ctx.diagnostics.push(Diagnostic {
                hint: Some(format!("{config} does not exist: run `alembic init alembic` first")),
                ..file.diagnostic(call.span.start, "alembic.util.exc.CommandError: No 'script_location' key found in configuration.", None)
            });
        }
    }
}

/// The condition under which an `else` branch runs, written simply:
/// `not x` for `x`, `x` for `not x`, `not (a and b)` otherwise.
fn negation(file: &SourceFile, test: &Expr) -> String {
    match &test.kind {
        ExprKind::UnaryOp { op: crate::engine::python::ast::UnaryOp::Not, operand } => file.snippet(operand.span),
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Call { .. } | ExprKind::Subscript { .. } => {
            format!("not {}", file.snippet(test.span))
        }
        _ => format!("not ({})", file.snippet(test.span)),
    }
}

fn is_process_call(name: &str) -> bool {
    matches!(name, "subprocess.run" | "subprocess.call" | "subprocess.check_call" | "subprocess.Popen" | "os.system")
}

/// `["alembic", "upgrade", "head"]` or `"alembic upgrade head"` → the target.
fn alembic_upgrade_command(arguments: &[crate::engine::python::ast::Argument]) -> Option<String> {
    let first = positional_arguments(arguments).next()?;
    let words: Vec<String> = match &first.kind {
        ExprKind::List(items) | ExprKind::Tuple { elements: items, .. } => items.iter().filter_map(Expr::as_str).collect(),
        _ => first.as_str()?.split_whitespace().map(str::to_string).collect(),
    };
    let at = words.iter().position(|w| w == "alembic")?;
    (words.get(at + 1).map(String::as_str) == Some("upgrade")).then(|| words.get(at + 2).cloned().unwrap_or_default())
}

fn is_logging(call: &str) -> bool {
    call == "print" || ["logger.", "log.", "logging.", "LOGGER.", "_logger."].iter().any(|p| call.starts_with(p))
}

/// What a route does, from its method and path, when it works on a model.
fn route_kind(method: &str, path: &str, has_model: bool) -> RouteKind {
    if !has_model {
        return RouteKind::Other;
    }
    let ends_with_parameter = path.trim_end_matches('/').rsplit('/').next().is_some_and(|s| s.starts_with('{'));
    match method {
        "GET" if ends_with_parameter => RouteKind::Get,
        "GET" => RouteKind::List,
        "POST" => RouteKind::Create,
        "PUT" | "PATCH" => RouteKind::Update,
        "DELETE" => RouteKind::Delete,
        _ => RouteKind::Other,
    }
}
