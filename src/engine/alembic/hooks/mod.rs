//! env.py's autogenerate filters, run: `include_object` and `include_name`
//! as `context.configure()` receives them (a function env.py defines, or a
//! lambda), called by the comparison where Alembic calls them. env.py's
//! module level is evaluated first (imports, constants, functions), so a
//! hook sees the globals it would see in Python; the names the models
//! reader resolved to the target metadata or its declarative base are
//! bound to them (`name in target_metadata.tables`).

mod dirs;
mod eval;
mod suggest;
mod value;

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::app::collect_all_stmts;
use crate::engine::metadata::MetaData;
use crate::engine::migrate::compare::filters::ParentNames;
use crate::engine::migrate::compare::{Filters, HookFailure, SchemaObject};
use crate::engine::python::ast::{keyword_argument, Expr, ExprKind, Stmt, StmtKind};
use crate::engine::python::{self, LineIndex, Span};

pub use eval::IniContext;
use eval::{import_bindings, make_function, Global, Globals, Interp, Raise, RaiseKind};
use std::cell::Cell;
use value::{Directives, FunctionBody, Py};
pub use value::RevisionDirective;

/// One value of argparse's `Namespace` for `config.cmd_opts`.
#[derive(Debug, Clone)]
pub enum OptValue {
    None,
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

impl OptValue {
    fn to_py(&self) -> Py<'static> {
        match self {
            OptValue::None => Py::None,
            OptValue::Bool(b) => Py::Bool(*b),
            OptValue::Str(s) => Py::Str(s.clone()),
            OptValue::List(items) => Py::List(items.iter().map(|s| Py::Str(s.clone())).collect()),
        }
    }
}

/// env.py's module level as its filters see it, and the filters, ready to run.
pub struct EnvHooks {
    /// env.py as Python names it in tracebacks (absolute).
    display_path: String,
    source: String,
    globals: Globals,
    include_object: Option<Hook>,
    include_name: Option<Hook>,
    process_revision_directives: Option<Hook>,
    metadata: Option<MetaData>,
    ini: Option<IniContext>,
    /// What `print()` in a hook wrote, in order.
    printed: RefCell<String>,
    /// Loading env.py raises Alembic's `CommandError` (a `config.get_section_option`
    /// of a missing section): every command that runs env.py stops with it.
    load_failure: Option<String>,
}

/// A hook as `configure()` names it.
enum Hook {
    Function(Rc<value::Function>),
    /// `include_object=x` where `x` is not something driftlab can call: why.
    Unusable(String),
}

/// How env.py's module level resolves a name the models reader knows.
pub enum TargetBinding {
    MetaData,
    Base,
}

impl EnvHooks {
    /// Evaluates env.py's module level and reads the hooks it passes to
    /// `context.configure()` (the online call's, which autogenerate runs).
    /// `target_names` are module-level names bound to the target metadata or its base.
    pub fn read(
        env_path: &str,
        display_path: &str,
        source: &str,
        metadata: Option<&MetaData>,
        target_names: &[(String, TargetBinding)],
        ini: Option<IniContext>,
    ) -> EnvHooks {
        let parsed = python::parse_module(source);
        let module = &parsed.module;
        let configure = online_configure_call(&module.body);
        let arguments = match configure.as_ref().map(|c| &c.kind) {
            Some(ExprKind::Call { arguments, .. }) => arguments.as_slice(),
            _ => &[],
        };
        let object_expr = keyword_argument(arguments, "include_object");
        let name_expr = keyword_argument(arguments, "include_name");
        let (mut globals, load_failure) = module_globals(source, &module.body, ini.as_ref());
        for (name, binding) in target_names {
            globals.bind(
                name,
                match binding {
                    TargetBinding::MetaData => Global::TargetMetaData,
                    TargetBinding::Base => Global::TargetBase,
                },
            );
        }
        let index = LineIndex::new(source);
        let hook = |expr: Option<&Expr>, keyword: &str| {
            expr.map(|expr| resolve_hook(source, &index, env_path, &module.body, &globals, expr, keyword))
        };
        let include_object = hook(object_expr, "include_object");
        let include_name = hook(name_expr, "include_name");
        let process_revision_directives =
            hook(keyword_argument(arguments, "process_revision_directives"), "process_revision_directives");
        EnvHooks {
            display_path: display_path.to_string(),
            source: source.to_string(),
            globals,
            include_object,
            include_name,
            process_revision_directives,
            metadata: metadata.cloned(),
            ini,
            printed: RefCell::new(String::new()),
            load_failure,
        }
    }

    /// Why loading env.py fails, if it does (Alembic's `FAILED:` message).
    pub fn load_failure(&self) -> Option<&str> {
        self.load_failure.as_deref()
    }

    /// Whether env.py passes `process_revision_directives`.
    pub fn rewrites_revisions(&self) -> bool {
        self.process_revision_directives.is_some()
    }

    /// Runs `process_revision_directives(context, revision, directives)`
    /// with the command line's options as `config.cmd_opts`; `Ok(false)`
    /// when it emptied `directives` (no revision is written).
    pub fn process_revision_directives(&self, cmd_opts: &[(&str, OptValue)], script: RevisionDirective) -> Result<bool, HookFailure> {
        let Some(hook) = &self.process_revision_directives else { return Ok(true) };
        let function = match hook {
            Hook::Unusable(why) => return Err(HookFailure::Unsupported(why.clone())),
            Hook::Function(f) => f,
        };
        let namespace: Vec<(String, Py<'static>)> = cmd_opts.iter().map(|(k, v)| (k.to_string(), v.to_py())).collect();
        let directives = Rc::new(Directives { script: Rc::new(script), emptied: Cell::new(false) });
        let mut interp = Interp::new(&self.source, &self.globals, self.metadata.as_ref(), self.ini.as_ref());
        interp.cmd_opts = Some(Rc::new(namespace));
        let args = vec![Py::Opaque("MigrationContext".into()), Py::Opaque("revision".into()), Py::Directives(directives.clone())];
        let result = interp.call_function(function, args, Vec::new(), None);
        self.printed.borrow_mut().push_str(&interp.printed);
        result.map_err(|raise| self.failure(&function.name, raise))?;
        Ok(!directives.emptied.get())
    }

    /// What the hooks printed since the last call, for the command's stdout.
    pub fn take_printed(&self) -> String {
        std::mem::take(&mut self.printed.borrow_mut())
    }

    fn run<'a>(&'a self, hook: &Option<Hook>, args: Vec<Py<'a>>) -> Result<bool, HookFailure> {
        let function = match hook {
            None => return Ok(true),
            Some(Hook::Unusable(why)) => return Err(HookFailure::Unsupported(why.clone())),
            Some(Hook::Function(f)) => f,
        };
        let mut interp = Interp::new(&self.source, &self.globals, self.metadata.as_ref(), self.ini.as_ref());
        let result = interp.call_function(function, args, Vec::new(), None).and_then(|value| interp.truthy(Span::default(), &value));
        self.printed.borrow_mut().push_str(&interp.printed);
        result.map_err(|raise| self.failure(&function.name, raise))
    }

    /// The traceback's env.py frames and exception, or driftlab's message.
    fn failure(&self, hook: &str, raise: Raise) -> HookFailure {
        let index = LineIndex::new(&self.source);
        let place = |span: Span| {
            let at = index.line_col(span.start);
            format!("{}:{}:{}", self.display_path, at.line, at.col)
        };
        match raise.kind {
            RaiseKind::Unsupported(what) => {
                let at = raise.frames.first().map(|(_, span)| *span).or(raise.span);
                let place = at.map(|s| format!(" at {}", place(s))).unwrap_or_default();
                HookFailure::Unsupported(format!(
                    "driftlab can't run {what} in {hook}(){place}: the playground runs hooks written with if/return, \
                     comparisons, and/or/not, `in`, str and dict methods, any/all and isinstance"
                ))
            }
            RaiseKind::Exception(text) => {
                let mut out = String::new();
                for (function, span) in raise.frames.iter().rev() {
                    out.push_str(&self.frame(&index, function, *span));
                }
                out.push_str(&text);
                HookFailure::Exception(out)
            }
        }
    }

    /// One traceback entry: `File "...", line N, in f`, the line, and carets under the span.
    fn frame(&self, index: &LineIndex<'_>, function: &str, span: Span) -> String {
        let at = index.line_col(span.start);
        let line = self.source.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let mut out = format!("  File \"{}\", line {}, in {function}\n    {}\n", self.display_path, at.line, trimmed.trim_end());
        let start = at.col.saturating_sub(1);
        let segment = span.text(&self.source).lines().next().unwrap_or("");
        let width = segment.chars().count();
        let covers_line = start == indent && width >= trimmed.trim_end().chars().count();
        if width > 0 && !covers_line && start >= indent {
            out.push_str(&format!("    {}{}\n", " ".repeat(start - indent), carets(segment)));
        }
        out
    }
}

/// Python 3.11's marks under a failing expression: `~` for its operands and
/// `^` for the operator of a binary operation or the `[...]` of a subscript;
/// `^` throughout otherwise.
fn carets(segment: &str) -> String {
    let chars = |text: &str| text.chars().count();
    let parsed = python::parse_module(segment);
    let expr = match parsed.module.body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(expr)) if parsed.errors.is_empty() => expr,
        _ => return "^".repeat(chars(segment)),
    };
    let (primary_start, primary_end) = match &expr.kind {
        ExprKind::BinOp { left, right, .. } => {
            let between = &segment[left.span.end..right.span.start];
            let skip = between.len() - between.trim_start_matches(|c: char| c.is_whitespace() || c == ')').len();
            let operator = between[skip..].split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
            (left.span.end + skip, left.span.end + skip + operator.len())
        }
        ExprKind::Subscript { value, .. } => (value.span.end, segment.len()),
        _ => return "^".repeat(chars(segment)),
    };
    format!(
        "{}{}{}",
        "~".repeat(chars(&segment[..primary_start])),
        "^".repeat(chars(&segment[primary_start..primary_end])),
        "~".repeat(chars(&segment[primary_end..]))
    )
}

impl Filters for EnvHooks {
    fn include_object(
        &self,
        object: SchemaObject<'_>,
        name: Option<&str>,
        type_: &'static str,
        reflected: bool,
        compare_to: Option<SchemaObject<'_>>,
    ) -> Result<bool, HookFailure> {
        let name = name.map_or(Py::None, |n| Py::Str(n.to_string()));
        let compare_to = compare_to.map_or(Py::None, Py::Object);
        let args = vec![Py::Object(object), name, Py::Str(type_.to_string()), Py::Bool(reflected), compare_to];
        self.run(&self.include_object, args)
    }

    fn include_name(&self, name: Option<&str>, type_: &'static str, parent_names: &ParentNames<'_>) -> Result<bool, HookFailure> {
        let name = name.map_or(Py::None, |n| Py::Str(n.to_string()));
        let parents =
            parent_names.iter().map(|(k, v)| (Py::Str(k.to_string()), v.map_or(Py::None, |v| Py::Str(v.to_string())))).collect();
        self.run(&self.include_name, vec![name, Py::Str(type_.to_string()), Py::Dict(parents)])
    }
}

/// The `context.configure(...)` call autogenerate runs: the one with
/// `connection=` (online), else any.
fn online_configure_call(body: &[Stmt]) -> Option<Expr> {
    let mut statements = Vec::new();
    collect_all_stmts(body, &mut statements);
    let calls: Vec<&Expr> = statements
        .iter()
        .filter_map(|stmt| match &stmt.kind {
            StmtKind::Expr(expr @ Expr { kind: ExprKind::Call { func, .. }, .. })
                if func.dotted_name().is_some_and(|n| n == "context.configure" || n.ends_with(".configure")) =>
            {
                Some(expr)
            }
            _ => None,
        })
        .collect();
    let online = calls.iter().find(|c| match &c.kind {
        ExprKind::Call { arguments, .. } => keyword_argument(arguments, "connection").is_some(),
        _ => false,
    });
    online.or(calls.first()).map(|c| (*c).clone())
}

/// env.py's module level as Python leaves it: imports as their paths,
/// functions, and assignments driftlab can evaluate (others stay opaque).
fn module_globals(source: &str, body: &[Stmt], ini: Option<&IniContext>) -> (Globals, Option<String>) {
    let mut globals = Globals::default();
    // Only Alembic's own errors stop the load: driftlab's reading of other
    // module-level code is partial, so its other exceptions are not trusted here.
    let command_error = |result: &Result<Py<'_>, Raise>| match result {
        Err(Raise { kind: RaiseKind::Exception(text), .. }) => {
            text.strip_prefix("alembic.util.exc.CommandError: ").map(str::to_string)
        }
        _ => None,
    };
    for stmt in body {
        match &stmt.kind {
            StmtKind::Import { .. } | StmtKind::ImportFrom { .. } => {
                for (name, path) in import_bindings(stmt) {
                    globals.bind(&name, Global::Value(Py::Imported(path.into())));
                }
            }
            StmtKind::FunctionDef { name, parameters, body, .. } => {
                let function = make_function(&name.name, parameters.clone(), FunctionBody::Def(body.clone()));
                globals.bind(&name.name, Global::Value(Py::Function(Rc::new(function))));
            }
            StmtKind::ClassDef { name, .. } => {
                globals.bind(&name.name, Global::Value(Py::Opaque(format!("class {}", name.name).into())));
            }
            StmtKind::Assign { .. } | StmtKind::AnnAssign { value: Some(_), .. } => {
                let (targets, value) = match &stmt.kind {
                    StmtKind::Assign { targets, value } => (targets.iter().collect::<Vec<_>>(), value),
                    StmtKind::AnnAssign { target, value: Some(value), .. } => (vec![target], value),
                    _ => continue,
                };
                let result = Interp::new(source, &globals, None, ini).eval(value);
                if let Some(message) = command_error(&result) {
                    return (globals, Some(message));
                }
                let computed = result.ok().and_then(to_static).unwrap_or_else(|| Py::Opaque(value.span.text(source).into()));
                for target in targets {
                    bind_target(&mut globals, source, target, &computed);
                }
            }
            _ => {}
        }
    }
    (globals, None)
}

fn bind_target(globals: &mut Globals, source: &str, target: &Expr, value: &Py<'static>) {
    match (&target.kind, value) {
        (ExprKind::Name(name), _) => globals.bind(name, Global::Value(value.clone())),
        (ExprKind::Tuple { elements, .. } | ExprKind::List(elements), Py::Tuple(items) | Py::List(items))
            if items.len() == elements.len() =>
        {
            for (element, item) in elements.iter().zip(items) {
                bind_target(globals, source, element, item);
            }
        }
        (ExprKind::Tuple { elements, .. } | ExprKind::List(elements), _) => {
            for element in elements {
                bind_target(globals, source, element, &Py::Opaque(target.span.text(source).into()));
            }
        }
        _ => {}
    }
}

/// A module-level value that holds nothing borrowed from a comparison.
fn to_static(value: Py<'_>) -> Option<Py<'static>> {
    let all = |items: Vec<Py<'_>>| items.into_iter().map(to_static).collect::<Option<Vec<_>>>();
    Some(match value {
        Py::None => Py::None,
        Py::Bool(b) => Py::Bool(b),
        Py::Int(i) => Py::Int(i),
        Py::Float(f) => Py::Float(f),
        Py::Str(s) => Py::Str(s),
        Py::Tuple(v) => Py::Tuple(all(v)?),
        Py::List(v) => Py::List(all(v)?),
        Py::Set(v) => Py::Set(all(v)?),
        Py::Dict(v) => Py::Dict(v.into_iter().map(|(k, v)| Some((to_static(k)?, to_static(v)?))).collect::<Option<Vec<_>>>()?),
        Py::Function(f) => Py::Function(f),
        Py::Builtin(b) => Py::Builtin(b),
        Py::Class(c) => Py::Class(c),
        Py::Imported(p) => Py::Imported(p),
        Py::Opaque(t) => Py::Opaque(t),
        Py::AlembicConfig => Py::AlembicConfig,
        Py::Namespace(n) => Py::Namespace(n),
        Py::Directives(d) => Py::Directives(d),
        Py::MigrationScript(m) => Py::MigrationScript(m),
        Py::Ops(n) => Py::Ops(n),
        Py::Method(..) | Py::Object(_) | Py::Columns(_) | Py::ColumnList(..) | Py::MetaData(_) | Py::Base(_) => return None,
    })
}

/// What `include_object=EXPR` names: a function of env.py, or a lambda.
fn resolve_hook(source: &str, index: &LineIndex<'_>, env_path: &str, body: &[Stmt], globals: &Globals, expr: &Expr, keyword: &str) -> Hook {
    let at = index.line_col(expr.span.start);
    let place = format!("{env_path}:{}:{}", at.line, at.col);
    match &expr.kind {
        ExprKind::Lambda { parameters, body } => {
            Hook::Function(Rc::new(make_function("<lambda>", parameters.clone(), FunctionBody::Lambda((**body).clone()))))
        }
        ExprKind::Name(name) => {
            if let Some(Global::Value(Py::Function(f))) = globals.values.get(name) {
                return Hook::Function(f.clone());
            }
            // A function defined next to the configure() call.
            if let Some(f) = nested_function(body, name) {
                return Hook::Function(f);
            }
            match globals.values.get(name) {
                Some(Global::Value(Py::Imported(path))) => Hook::Unusable(format!(
                    "driftlab can't run {keyword}={name} ({place}): it is imported from `{path}`; the playground runs hooks \
                     defined in env.py itself"
                )),
                Some(_) => Hook::Unusable(format!("driftlab can't run {keyword}={name} ({place}): `{name}` is not a function env.py defines")),
                None => Hook::Unusable(format!("driftlab can't run {keyword}={name} ({place}): env.py defines no `{name}`")),
            }
        }
        _ => Hook::Unusable(format!(
            "driftlab can't run {keyword}={} ({place}): pass a function env.py defines, or a lambda",
            expr.span.text(source)
        )),
    }
}

fn nested_function(body: &[Stmt], name: &str) -> Option<Rc<value::Function>> {
    let mut statements = Vec::new();
    collect_all_stmts(body, &mut statements);
    statements.into_iter().find_map(|stmt| match &stmt.kind {
        StmtKind::FunctionDef { name: n, parameters, body, .. } if n.name == name => {
            Some(Rc::new(make_function(name, parameters.clone(), FunctionBody::Def(body.clone()))))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod caret_tests {
    use super::carets;

    #[test]
    fn marks_as_python_3_11_does() {
        assert_eq!(carets("nme"), "^^^");
        assert_eq!(carets("name + 1"), "~~~~~^~~");
        assert_eq!(carets("(a) // b"), "~~~~^^~~");
        assert_eq!(carets("parent_names[\"table_name\"]"), "~~~~~~~~~~~~^^^^^^^^^^^^^^");
        assert_eq!(carets("name.startswith(1)"), "^^^^^^^^^^^^^^^^^^");
    }
}
