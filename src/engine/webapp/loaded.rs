//! What a server process imported when it started: the app module named
//! by `main:app`, the models as they were then (a running app does not see
//! later edits until it restarts), its lifespan read into an ordered script
//! (prints, `init_db()`, seeds, `command.upgrade`), and each route's
//! handler details (body model, query style, `HTTPException`, status code).

use std::collections::BTreeMap;

use crate::engine::alembic::env::{database_for_url, Database};
use crate::engine::app::{self, ProjectFacts, Route, StartupAction, StartupStep};
use crate::engine::environ::{Environ, PythonEnv};
use crate::engine::metadata::{MetaData, Table};
use crate::engine::models;
use crate::engine::project::Project;
use crate::engine::python::ast::{keyword_argument, positional_arguments, Expr, ExprKind, Stmt, StmtKind};
use crate::engine::python::LineIndex;

use super::json::Json;
use super::orm::QueryStyle;
use super::pydantic::{self, BodyModel, FieldType};
use super::pyeval::{top_level_definition, Evaluator, Files, PyValue};

/// Where an action is written, for traceback frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub file: String,
    pub line: usize,
    pub function: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `print(...)`: its text.
    Print(String),
    /// Something that touches the database (`init_db()`, `seed_db()`, `command.upgrade(...)`).
    Step(StartupStep),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub action: Action,
    pub site: Site,
}

/// The app's startup and shutdown, in the order they run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lifespan {
    /// Module-level `create_all` calls, run when the app is imported.
    pub at_import: Vec<Located>,
    /// Before the lifespan's `yield` (or the startup handlers).
    pub startup: Vec<Located>,
    /// After the `yield`.
    pub shutdown: Vec<Located>,
}

/// A route and what its function does.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub route: Route,
    /// The table of the model it works on, as the process imported it.
    pub table: Option<Table>,
    pub style: QueryStyle,
    /// `db.refresh(obj)` after the commit (else the returned object is expired: `{}`).
    pub refreshes: bool,
    /// `raise HTTPException(status_code=404, detail="Todo not found")`.
    pub not_found: Option<(u16, Json)>,
    /// The decorator's `status_code=` (200 by default).
    pub status_code: u16,
    pub body: Option<BodyModel>,
    /// Path parameters and their declared types, in the function's order.
    pub path_params: Vec<(String, FieldType)>,
    /// The line that queries the database, and the line that commits (traceback frames).
    pub query_line: Option<usize>,
    pub commit_line: Option<usize>,
    /// `return {"message": "hello"}` as the whole function: its value.
    pub literal_return: Option<Json>,
}

/// The code a server process runs.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedApp {
    pub app_path: String,
    pub facts: ProjectFacts,
    pub metadata: MetaData,
    pub database: Option<Database>,
    pub lifespan: Lifespan,
    pub endpoints: Vec<Endpoint>,
    /// The `.py` files as they were when the process started.
    pub sources: BTreeMap<String, String>,
    /// driftlab's remarks about what it could not tell without Python.
    pub notes: Vec<String>,
}

/// Why the app could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// uvicorn's `ImportFromStringError` (`Could not import module "foo".`).
    ImportString(String),
    /// An exception while importing: the traceback text.
    Exception(String),
}

impl LoadedApp {
    /// Imports `spec` (`main:app`) from the current directory, in a process
    /// with the environment `environ`.
    pub fn load(project: &Project, cwd: &str, root: &str, spec: &str, environ: &Environ) -> Result<LoadedApp, LoadError> {
        let Some((module, attribute)) = spec.split_once(':').filter(|(m, a)| !m.is_empty() && !a.is_empty()) else {
            return Err(LoadError::ImportString(format!("Import string \"{spec}\" must be in format \"<module>:<attribute>\".")));
        };
        let python = PythonEnv::new(project, environ);
        let mut files = Files::new(project, cwd, python.clone());
        let app_path = files.module_path(module).ok_or_else(|| LoadError::ImportString(format!("Could not import module \"{module}\".")))?;
        let facts = app::read_project_with(project, &python);
        if let Some(exception) = import_exception(project, root, &facts, &app_path) {
            return Err(LoadError::Exception(exception));
        }
        let app_info = facts.app.as_ref().filter(|a| a.path == app_path && a.app_name.as_deref() == Some(attribute));
        let Some(app_info) = app_info.cloned() else {
            return Err(LoadError::ImportString(format!("Attribute \"{attribute}\" not found in module \"{module}\".")));
        };
        let metadata = models::read_models(project, &app_path).metadata;
        let database = facts.database.as_ref().and_then(|d| d.url.as_deref()).map(|url| database_for_url(url, cwd, root));
        let sources = project
            .files()
            .filter(|(p, _)| p.ends_with(".py"))
            .map(|(p, b)| (p.to_string(), String::from_utf8_lossy(b).into_owned()))
            .collect();
        let mut loaded = LoadedApp { app_path, facts, metadata, database, lifespan: Lifespan::default(), endpoints: Vec::new(), sources, notes: Vec::new() };
        loaded.read_lifespan(&mut files, &app_info);
        loaded.endpoints = app_info.routes.iter().map(|r| loaded.read_endpoint(&mut files, r)).collect();
        Ok(loaded)
    }

    /// The text of line `line` of a file as it was loaded.
    pub fn source_line(&self, file: &str, line: usize) -> String {
        self.sources.get(file).and_then(|t| t.lines().nth(line.wrapping_sub(1))).unwrap_or_default().to_string()
    }

    /// The table a mapped class (`Todo`) was mapped to.
    pub fn table_of(&self, class: &str) -> Option<&Table> {
        self.metadata.tables.iter().find(|t| t.class_name.as_deref() == Some(class))
    }

    fn read_lifespan(&mut self, files: &mut Files<'_>, app_info: &app::AppInfo) {
        let steps = app_info.startup.clone();
        for step in steps.iter().filter(|s| s.at_import) {
            self.lifespan.at_import.push(Located {
                action: Action::Step(step.clone()),
                site: Site { file: step.place.file.clone(), line: step.place.line, function: "<module>".into() },
            });
        }
        if let Some(create_all) = self.facts.database.as_ref().and_then(|d| d.create_all_at_import.clone()) {
            let step = StartupStep {
                action: StartupAction::CreateAll,
                call: format!("{}.metadata.create_all", create_all.metadata_of),
                via: None,
                condition: None,
                at_import: true,
                place: create_all.place.clone(),
            };
            self.lifespan.at_import.insert(0, Located { action: Action::Step(step), site: Site { file: create_all.place.file, line: create_all.place.line, function: "<module>".into() } });
        }
        let mut walker = Walker { files, steps: &steps, startup: Vec::new(), shutdown: Vec::new(), after_yield: false, notes: Vec::new() };
        for name in &app_info.startup_functions {
            let Some((file, def)) = walker.function(&self.app_path, name) else { continue };
            let StmtKind::FunctionDef { body, .. } = &def.kind else { continue };
            walker.after_yield = false;
            walker.block(&file, name, body, body);
        }
        self.lifespan.startup = walker.startup;
        self.lifespan.shutdown = walker.shutdown;
        self.notes.extend(walker.notes);
    }

    fn read_endpoint(&self, files: &mut Files<'_>, route: &Route) -> Endpoint {
        let table = route.model.as_deref().and_then(|m| self.table_of(m)).cloned();
        let mut endpoint = Endpoint {
            route: route.clone(),
            table,
            style: QueryStyle::Legacy,
            refreshes: false,
            not_found: None,
            status_code: 200,
            body: None,
            path_params: Vec::new(),
            query_line: None,
            commit_line: None,
            literal_return: None,
        };
        let file = route.place.file.clone();
        let Some(parsed) = files.parse(&file) else { return endpoint };
        let Some(def) = top_level_definition(&parsed.module, &route.function).cloned() else { return endpoint };
        let StmtKind::FunctionDef { decorators, parameters, body, name, .. } = &def.kind else { return endpoint };
        let text = self.sources.get(&file).cloned().unwrap_or_default();
        let index = LineIndex::new(&text);
        let function_text = def.span.text(&text);
        endpoint.style = if function_text.contains(".query(") { QueryStyle::Legacy } else { QueryStyle::Select };
        endpoint.refreshes = function_text.contains(".refresh(");
        for decorator in decorators {
            if let ExprKind::Call { arguments, .. } = &decorator.kind {
                if let Some(code) = keyword_argument(arguments, "status_code").and_then(status_code) {
                    endpoint.status_code = code;
                }
            }
        }
        let placeholders: Vec<String> =
            route.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).map(|s| s.split(':').next().unwrap_or(s).to_string()).collect();
        for parameter in parameters {
            let annotation = parameter.annotation.as_ref().and_then(Expr::dotted_name).unwrap_or_default();
            if placeholders.contains(&parameter.name.name) {
                let type_ = match annotation.as_str() {
                    "int" => FieldType::Int,
                    "float" => FieldType::Float,
                    "bool" => FieldType::Bool,
                    "str" => FieldType::Str,
                    _ => FieldType::Any,
                };
                endpoint.path_params.push((parameter.name.name.clone(), type_));
            } else if parameter.default.is_none() && !annotation.is_empty() {
                if let Some(model) = pydantic::read_model(files, &file, &annotation) {
                    endpoint.body = Some(model);
                }
            }
        }
        let line_of = |needles: &[&str]| -> Option<usize> {
            // From the `def` line: the decorators above it are not the body.
            let start = index.line(name.span.start);
            let end = index.line(def.span.end.saturating_sub(1));
            (start..=end).find(|&l| {
                let line = text.lines().nth(l - 1).unwrap_or_default();
                needles.iter().any(|n| line.contains(n))
            })
        };
        endpoint.query_line = line_of(&[".query(", "select(", ".get(", ".execute(", ".scalars("]);
        endpoint.commit_line = line_of(&[".commit("]);
        endpoint.not_found = find_http_exception(files, &file, body);
        if let [Stmt { kind: StmtKind::Return(Some(value)), .. }] = body.as_slice() {
            endpoint.literal_return = Evaluator::new(files).eval(&file, value, &[]).map(pydantic::py_to_json);
        }
        endpoint
    }
}

/// `status_code=201` or `status.HTTP_201_CREATED`.
fn status_code(expr: &Expr) -> Option<u16> {
    if let ExprKind::Number(n) = &expr.kind {
        return n.as_i64().and_then(|i| u16::try_from(i).ok());
    }
    let name = expr.dotted_name()?;
    let code = name.rsplit('.').next()?.strip_prefix("HTTP_")?;
    code.split('_').next()?.parse().ok()
}

/// The first `raise HTTPException(status_code=..., detail=...)` in a body.
fn find_http_exception(files: &mut Files<'_>, file: &str, body: &[Stmt]) -> Option<(u16, Json)> {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Raise { exc: Some(exc), .. } => {
                let ExprKind::Call { func, arguments } = &exc.kind else { continue };
                if !func.dotted_name().is_some_and(|n| n.ends_with("HTTPException")) {
                    continue;
                }
                let code = keyword_argument(arguments, "status_code").or_else(|| positional_arguments(arguments).next()).and_then(status_code)?;
                let detail = keyword_argument(arguments, "detail")
                    .or_else(|| positional_arguments(arguments).nth(1))
                    .and_then(|d| Evaluator::new(files).eval(file, d, &[]))
                    .map(pydantic::py_to_json)
                    .unwrap_or_else(|| Json::str(crate::engine::webapp::http::reason_phrase(code)));
                return Some((code, detail));
            }
            StmtKind::If { body, elifs, orelse, .. } => {
                let nested = std::iter::once(body.as_slice()).chain(elifs.iter().map(|e| e.body.as_slice())).chain(std::iter::once(orelse.as_slice()));
                for block in nested {
                    if let Some(found) = find_http_exception(files, file, block) {
                        return Some(found);
                    }
                }
            }
            StmtKind::With { body, .. } | StmtKind::For { body, .. } | StmtKind::Try { body, .. } => {
                if let Some(found) = find_http_exception(files, file, body) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// A Python exception raised while importing the app (a syntax error in
/// `models.py`, a misspelled name), as the traceback that ends uvicorn.
fn import_exception(project: &Project, root: &str, facts: &ProjectFacts, app_path: &str) -> Option<String> {
    let models = models::read_models(project, app_path);
    let is_exception = |message: &str| {
        let head = message.split(':').next().unwrap_or_default();
        !message.starts_with("driftlab") && (head.ends_with("Error") || head.ends_with("Exception"))
    };
    let problem = models.diagnostics.iter().chain(facts.diagnostics.iter()).find(|d| is_exception(&d.message) && d.file.ends_with(".py") && !d.file.starts_with("alembic/"))?;
    let source = project.read_text(&problem.file).and_then(|t| t.lines().nth(problem.line.wrapping_sub(1)).map(str::to_string)).unwrap_or_default();
    let mut text = String::from("Traceback (most recent call last):\n  (driftlab: the frames inside uvicorn and importlib are left out)\n");
    if problem.message.starts_with("SyntaxError") || problem.message.starts_with("IndentationError") {
        text.push_str(&format!("  File \"{root}/{}\", line {}\n", problem.file, problem.line));
        let stripped = source.trim_start();
        let indent = source.chars().count() - stripped.chars().count();
        text.push_str(&format!("    {}\n    {}^\n", stripped.trim_end(), " ".repeat(problem.col.saturating_sub(1 + indent))));
    } else {
        text.push_str(&format!("  File \"{root}/{}\", line {}, in <module>\n    {}\n", problem.file, problem.line, source.trim()));
    }
    text.push_str(&problem.message);
    text.push('\n');
    Some(text)
}

/// Reads startup code in order, following `if` branches as the settings decide.
struct Walker<'w, 'f, 'p> {
    files: &'w mut Files<'p>,
    steps: &'f [StartupStep],
    startup: Vec<Located>,
    shutdown: Vec<Located>,
    after_yield: bool,
    notes: Vec<String>,
}

impl Walker<'_, '_, '_> {
    /// A function visible from `file` by name (defined there or imported).
    fn function(&mut self, file: &str, name: &str) -> Option<(String, Stmt)> {
        let parsed = self.files.parse(file)?;
        if let Some(def) = top_level_definition(&parsed.module, name) {
            return Some((file.to_string(), def.clone()));
        }
        let (module, original) = super::pyeval::imported_name(&parsed.module, name)?;
        let path = self.files.module_path(&module)?;
        let parsed = self.files.parse(&path)?;
        top_level_definition(&parsed.module, &original).map(|d| (path, d.clone()))
    }

    fn push(&mut self, action: Action, site: Site) {
        let located = Located { action, site };
        if self.after_yield {
            self.shutdown.push(located);
        } else {
            self.startup.push(located);
        }
    }

    fn block(&mut self, file: &str, function: &str, stmts: &[Stmt], locals: &[Stmt]) {
        for stmt in stmts {
            let line = self.line(file, stmt.span.start);
            let site = Site { file: file.to_string(), line, function: function.to_string() };
            match &stmt.kind {
                StmtKind::Expr(Expr { kind: ExprKind::Yield(_) | ExprKind::YieldFrom(_), .. }) => self.after_yield = true,
                StmtKind::If { test, body, elifs, orelse } => {
                    let mut branches: Vec<(&Expr, &[Stmt])> = vec![(test, body.as_slice())];
                    branches.extend(elifs.iter().map(|e| (&e.test, e.body.as_slice())));
                    let mut taken = false;
                    for (test, body) in branches {
                        match Evaluator::new(self.files).eval(file, test, locals) {
                            Some(value) if !value.truthy() => continue,
                            Some(_) => {}
                            None => {
                                let condition = self.snippet(file, test);
                                self.notes.push(format!("cannot tell whether `{condition}` is true without running Python; assuming it is"));
                            }
                        }
                        self.block(file, function, body, locals);
                        taken = true;
                        break;
                    }
                    if !taken {
                        self.block(file, function, orelse, locals);
                    }
                }
                StmtKind::With { body, .. } | StmtKind::For { body, .. } | StmtKind::While { body, .. } => self.block(file, function, body, locals),
                StmtKind::Try { body, orelse, finalbody, .. } => {
                    self.block(file, function, body, locals);
                    self.block(file, function, orelse, locals);
                    self.block(file, function, finalbody, locals);
                }
                StmtKind::Expr(expr) | StmtKind::Assign { value: expr, .. } => {
                    let call = match &expr.kind {
                        ExprKind::Await(inner) => inner.as_ref(),
                        _ => expr,
                    };
                    let ExprKind::Call { func, arguments } = &call.kind else { continue };
                    if func.dotted_name().as_deref() == Some("print") {
                        let text = self.print_text(file, arguments, locals);
                        self.push(Action::Print(text), site);
                        continue;
                    }
                    let end_line = self.line(file, stmt.span.end.saturating_sub(1));
                    let here: Vec<StartupStep> = self
                        .steps
                        .iter()
                        .filter(|s| !s.at_import && s.via.is_none() && s.place.file == file && (line..=end_line).contains(&s.place.line))
                        .cloned()
                        .collect();
                    let helper = func.dotted_name().unwrap_or_default();
                    let via: Vec<StartupStep> = if here.is_empty() {
                        self.steps.iter().filter(|s| !s.at_import && s.via.as_deref() == Some(helper.as_str())).cloned().collect()
                    } else {
                        Vec::new()
                    };
                    for step in here.into_iter().chain(via) {
                        if !matches!(step.action, StartupAction::Other(_)) {
                            self.push(Action::Step(step), site.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn print_text(&mut self, file: &str, arguments: &[crate::engine::python::ast::Argument], locals: &[Stmt]) -> String {
        let mut parts = Vec::new();
        for argument in positional_arguments(arguments) {
            let part = match &argument.kind {
                ExprKind::Str(s) if s.is_format() => self.format_string(file, &s.value(), locals),
                _ => match Evaluator::new(self.files).eval(file, argument, locals) {
                    Some(PyValue::Str(s)) => s,
                    Some(PyValue::Int(i)) => i.to_string(),
                    Some(PyValue::Bool(b)) => if b { "True" } else { "False" }.to_string(),
                    Some(PyValue::None) => "None".to_string(),
                    _ => self.snippet(file, argument),
                },
            };
            parts.push(part);
        }
        let sep = keyword_argument(arguments, "sep").and_then(Expr::as_str).unwrap_or_else(|| " ".into());
        parts.join(&sep)
    }

    /// An f-string's text with the names it can evaluate filled in.
    fn format_string(&mut self, file: &str, raw: &str, locals: &[Stmt]) -> String {
        let mut out = String::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else { break };
            let inner = &rest[open + 1..open + close];
            let parsed = crate::engine::python::parse_module(inner);
            let value = match parsed.module.body.first().map(|s| &s.kind) {
                Some(StmtKind::Expr(e)) if parsed.is_ok() => Evaluator::new(self.files).eval(file, e, locals),
                _ => None,
            };
            match value {
                Some(PyValue::Str(s)) => out.push_str(&s),
                Some(PyValue::Int(i)) => out.push_str(&i.to_string()),
                _ => out.push_str(&rest[open..open + close + 1]),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn line(&self, file: &str, offset: usize) -> usize {
        LineIndex::new(&self.files.text(file)).line(offset)
    }

    fn snippet(&self, file: &str, expr: &Expr) -> String {
        expr.span.text(&self.files.text(file)).to_string()
    }
}
