//! The little Python the running app needs evaluated, without a Python:
//! startup conditions (`if settings.debug:` through `config.py`'s
//! `os.getenv("DEBUG", "true").lower() == "true"` or a pydantic
//! `BaseSettings` field), Python-side column defaults (`default=False`,
//! `default=datetime.utcnow`) and literal return values. The environment is
//! the app process's, over the project's `.env` file (`environ::PythonEnv`).
//! Anything else is "unknown" (`None`), and callers say so.

use std::collections::HashMap;
use std::rc::Rc;

use crate::engine::environ::PythonEnv;
use crate::engine::project::{self, Project};
use crate::engine::python::ast::{
    keyword_argument, positional_arguments, BoolOp, CmpOp, Expr, ExprKind, Module, Stmt, StmtKind, UnaryOp,
};
use crate::engine::python::{self, ParseResult};

/// A Python value the evaluator can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<PyValue>),
    Dict(Vec<(PyValue, PyValue)>),
    /// An instance of a project class (`settings = Settings()`).
    Instance { file: String, class: String },
}

impl PyValue {
    /// Python's truth value.
    pub fn truthy(&self) -> bool {
        match self {
            PyValue::None => false,
            PyValue::Bool(b) => *b,
            PyValue::Int(i) => *i != 0,
            PyValue::Float(f) => *f != 0.0,
            PyValue::Str(s) => !s.is_empty(),
            PyValue::List(items) => !items.is_empty(),
            PyValue::Dict(items) => !items.is_empty(),
            PyValue::Instance { .. } => true,
        }
    }
}

/// Parsed project files, read once.
pub struct Files<'p> {
    project: &'p Project,
    /// The folder modules are imported from (uvicorn puts the current directory on `sys.path`).
    base: String,
    parsed: HashMap<String, Rc<ParseResult>>,
    /// What `os.environ` holds for the app's process.
    pub env: PythonEnv,
}

impl<'p> Files<'p> {
    pub fn new(project: &'p Project, base: &str, env: PythonEnv) -> Self {
        Files { project, base: base.to_string(), parsed: HashMap::new(), env }
    }

    pub fn parse(&mut self, path: &str) -> Option<Rc<ParseResult>> {
        if let Some(parsed) = self.parsed.get(path) {
            return Some(parsed.clone());
        }
        let text = self.project.read_text(path)?;
        let parsed = Rc::new(python::parse_module(&text));
        self.parsed.insert(path.to_string(), parsed.clone());
        Some(parsed)
    }

    /// A file's text (empty when it is missing).
    pub fn text(&self, path: &str) -> String {
        self.project.read_text(path).unwrap_or_default()
    }

    /// The project file of a dotted module name (`config`, `app.core.config`).
    pub fn module_path(&self, dotted: &str) -> Option<String> {
        let relative = dotted.replace('.', "/");
        [format!("{relative}.py"), format!("{relative}/__init__.py")]
            .into_iter()
            .filter_map(|p| project::resolve(&self.base, &p))
            .find(|p| self.project.is_file(p))
    }
}

/// Evaluates expressions of one file.
pub struct Evaluator<'f, 'p> {
    pub files: &'f mut Files<'p>,
    depth: usize,
}

const MAX_DEPTH: usize = 16;

impl<'f, 'p> Evaluator<'f, 'p> {
    pub fn new(files: &'f mut Files<'p>) -> Self {
        Evaluator { files, depth: 0 }
    }

    /// The value of `expr` written in `file` (module scope, plus `locals`
    /// assigned earlier in a function body).
    pub fn eval(&mut self, file: &str, expr: &Expr, locals: &[Stmt]) -> Option<PyValue> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let value = self.eval_inner(file, expr, locals);
        self.depth -= 1;
        value
    }

    fn eval_inner(&mut self, file: &str, expr: &Expr, locals: &[Stmt]) -> Option<PyValue> {
        match &expr.kind {
            ExprKind::None => Some(PyValue::None),
            ExprKind::Bool(b) => Some(PyValue::Bool(*b)),
            ExprKind::Number(n) => n.as_i64().map(PyValue::Int).or_else(|| n.text.replace('_', "").parse().ok().map(PyValue::Float)),
            ExprKind::Str(s) if !s.is_format() && !s.is_bytes() => Some(PyValue::Str(s.value())),
            ExprKind::List(items) | ExprKind::Tuple { elements: items, .. } => {
                items.iter().map(|i| self.eval(file, i, locals)).collect::<Option<Vec<_>>>().map(PyValue::List)
            }
            ExprKind::Dict(items) => {
                let mut pairs = Vec::new();
                for item in items {
                    let key = self.eval(file, item.key.as_ref()?, locals)?;
                    pairs.push((key, self.eval(file, &item.value, locals)?));
                }
                Some(PyValue::Dict(pairs))
            }
            ExprKind::UnaryOp { op: UnaryOp::Not, operand } => Some(PyValue::Bool(!self.eval(file, operand, locals)?.truthy())),
            ExprKind::UnaryOp { op: UnaryOp::Neg, operand } => match self.eval(file, operand, locals)? {
                PyValue::Int(i) => Some(PyValue::Int(-i)),
                PyValue::Float(f) => Some(PyValue::Float(-f)),
                _ => None,
            },
            ExprKind::BoolOp { op, values } => {
                let mut last = PyValue::None;
                for value in values {
                    last = self.eval(file, value, locals)?;
                    let stop = match op {
                        BoolOp::And => !last.truthy(),
                        BoolOp::Or => last.truthy(),
                    };
                    if stop {
                        break;
                    }
                }
                Some(last)
            }
            ExprKind::Compare { left, ops, comparators } => {
                let mut left_value = self.eval(file, left, locals)?;
                for (op, right) in ops.iter().zip(comparators) {
                    let right_value = self.eval(file, right, locals)?;
                    if !compare(*op, &left_value, &right_value)? {
                        return Some(PyValue::Bool(false));
                    }
                    left_value = right_value;
                }
                Some(PyValue::Bool(true))
            }
            ExprKind::IfExp { test, body, orelse } => {
                if self.eval(file, test, locals)?.truthy() {
                    self.eval(file, body, locals)
                } else {
                    self.eval(file, orelse, locals)
                }
            }
            ExprKind::Name(name) => self.name(file, name, expr.span.start, locals),
            ExprKind::Attribute { value, attr } => {
                if let Some(dotted) = expr.dotted_name() {
                    if let Some(found) = self.imported_module_attribute(file, &dotted) {
                        return found;
                    }
                }
                match self.eval(file, value, locals)? {
                    PyValue::Instance { file: class_file, class } => self.field(&class_file, &class, &attr.name),
                    _ => None,
                }
            }
            ExprKind::Subscript { value, index } => {
                let is_environ = value.dotted_name().as_deref() == Some("os.environ");
                let key = self.eval(file, index, locals)?;
                match (is_environ, key) {
                    (true, PyValue::Str(k)) => self.files.env.get(&k).map(|v| PyValue::Str(v.to_string())),
                    _ => None,
                }
            }
            ExprKind::Call { func, arguments } => self.call(file, func, arguments, locals),
            _ => None,
        }
    }

    fn call(&mut self, file: &str, func: &Expr, arguments: &[crate::engine::python::ast::Argument], locals: &[Stmt]) -> Option<PyValue> {
        let dotted = func.dotted_name().unwrap_or_default();
        let mut positional = positional_arguments(arguments);
        if matches!(dotted.as_str(), "os.getenv" | "os.environ.get" | "getenv" | "environ.get") {
            let key = self.eval(file, positional.next()?, locals)?;
            let default = match positional.next().or_else(|| keyword_argument(arguments, "default")) {
                Some(d) => self.eval(file, d, locals)?,
                None => PyValue::None,
            };
            let PyValue::Str(key) = key else { return None };
            return Some(self.files.env.get(&key).map(|v| PyValue::Str(v.to_string())).unwrap_or(default));
        }
        if let ExprKind::Attribute { value, attr } = &func.kind {
            // String methods on a computed value.
            if let Some(PyValue::Str(s)) = self.eval(file, value, locals) {
                return match attr.name.as_str() {
                    "lower" | "casefold" => Some(PyValue::Str(s.to_lowercase())),
                    "upper" => Some(PyValue::Str(s.to_uppercase())),
                    "strip" => Some(PyValue::Str(s.trim().to_string())),
                    "startswith" => match self.eval(file, positional.next()?, locals)? {
                        PyValue::Str(p) => Some(PyValue::Bool(s.starts_with(&p))),
                        _ => None,
                    },
                    _ => None,
                };
            }
        }
        match dotted.as_str() {
            "bool" => Some(PyValue::Bool(match positional.next() {
                Some(arg) => self.eval(file, arg, locals)?.truthy(),
                None => false,
            })),
            "int" => match self.eval(file, positional.next()?, locals)? {
                PyValue::Str(s) => s.trim().parse().ok().map(PyValue::Int),
                PyValue::Int(i) => Some(PyValue::Int(i)),
                PyValue::Bool(b) => Some(PyValue::Int(i64::from(b))),
                _ => None,
            },
            "str" => match self.eval(file, positional.next()?, locals)? {
                PyValue::Str(s) => Some(PyValue::Str(s)),
                PyValue::Int(i) => Some(PyValue::Str(i.to_string())),
                PyValue::Bool(b) => Some(PyValue::Str(if b { "True" } else { "False" }.into())),
                _ => None,
            },
            _ => {
                // A project class (`Settings()`) or a function returning one (`get_settings()`).
                let (def_file, stmt) = self.definition(file, &dotted)?;
                match &stmt.kind {
                    StmtKind::ClassDef { name, .. } => Some(PyValue::Instance { file: def_file, class: name.name.clone() }),
                    StmtKind::FunctionDef { body, .. } => {
                        let returned = body.iter().find_map(|s| match &s.kind {
                            StmtKind::Return(Some(e)) => Some(e.clone()),
                            _ => None,
                        })?;
                        let body = body.clone();
                        self.eval(&def_file, &returned, &body)
                    }
                    _ => None,
                }
            }
        }
    }

    /// `os.environ` etc. are not project values; `None` means "not a library attribute".
    fn imported_module_attribute(&mut self, _file: &str, dotted: &str) -> Option<Option<PyValue>> {
        (dotted == "os.environ").then_some(None)
    }

    fn name(&mut self, file: &str, name: &str, at: usize, locals: &[Stmt]) -> Option<PyValue> {
        if let Some(value) = last_assignment(locals, name, at) {
            let value = value.clone();
            return self.eval(file, &value, &[]);
        }
        let parsed = self.files.parse(file)?;
        if let Some(value) = last_assignment(&parsed.module.body, name, usize::MAX) {
            let value = value.clone();
            return self.eval(file, &value, &[]);
        }
        let (module, original) = imported_name(&parsed.module, name)?;
        let path = self.files.module_path(&module)?;
        let parsed = self.files.parse(&path)?;
        let value = last_assignment(&parsed.module.body, &original, usize::MAX)?.clone();
        self.eval(&path, &value, &[])
    }

    /// Where `dotted` (a name, or `module.name`) is defined: a class or function of the project.
    fn definition(&mut self, file: &str, dotted: &str) -> Option<(String, Stmt)> {
        let parsed = self.files.parse(file)?;
        let (path, name) = match dotted.split_once('.') {
            None => match top_level_definition(&parsed.module, dotted) {
                Some(stmt) => return Some((file.to_string(), stmt.clone())),
                None => {
                    let (module, original) = imported_name(&parsed.module, dotted)?;
                    (self.files.module_path(&module)?, original)
                }
            },
            Some((module, name)) => (self.files.module_path(module)?, name.to_string()),
        };
        let parsed = self.files.parse(&path)?;
        top_level_definition(&parsed.module, &name).map(|s| (path, s.clone()))
    }

    /// A field of a project class: a pydantic `BaseSettings` field reads the
    /// environment first (by its name, any case); otherwise the class attribute's value.
    fn field(&mut self, file: &str, class: &str, field: &str) -> Option<PyValue> {
        let parsed = self.files.parse(file)?;
        let stmt = top_level_definition(&parsed.module, class)?.clone();
        let StmtKind::ClassDef { arguments, body, .. } = &stmt.kind else { return None };
        let is_settings = arguments.iter().any(|a| a.value().dotted_name().is_some_and(|n| n.ends_with("BaseSettings")));
        for item in body {
            let (target, annotation, value) = match &item.kind {
                StmtKind::AnnAssign { target, annotation, value } => (target, Some(annotation), value.as_ref()),
                StmtKind::Assign { targets, value } if targets.len() == 1 => (&targets[0], None, Some(value)),
                _ => continue,
            };
            if !matches!(&target.kind, ExprKind::Name(n) if n == field) {
                continue;
            }
            if is_settings {
                if let Some((raw, _)) = self.files.env.lookup_field(field) {
                    let is_bool = annotation.and_then(|a| a.dotted_name()).as_deref() == Some("bool");
                    return Some(if is_bool { parse_bool(raw)? } else { PyValue::Str(raw.to_string()) });
                }
            }
            return match value {
                Some(v) => self.eval(file, v, &[]),
                None => None,
            };
        }
        None
    }
}

/// Pydantic's lax boolean parsing of an environment value.
pub fn parse_bool(raw: &str) -> Option<PyValue> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "t" | "yes" | "y" | "on" => Some(PyValue::Bool(true)),
        "0" | "false" | "f" | "no" | "n" | "off" => Some(PyValue::Bool(false)),
        _ => None,
    }
}

fn compare(op: CmpOp, a: &PyValue, b: &PyValue) -> Option<bool> {
    let ordering = match (a, b) {
        (PyValue::Int(x), PyValue::Int(y)) => Some(x.cmp(y)),
        (PyValue::Str(x), PyValue::Str(y)) => Some(x.cmp(y)),
        _ => None,
    };
    Some(match op {
        CmpOp::Eq | CmpOp::Is => a == b,
        CmpOp::NotEq | CmpOp::IsNot => a != b,
        CmpOp::Lt => ordering? == std::cmp::Ordering::Less,
        CmpOp::LtE => ordering? != std::cmp::Ordering::Greater,
        CmpOp::Gt => ordering? == std::cmp::Ordering::Greater,
        CmpOp::GtE => ordering? != std::cmp::Ordering::Less,
        CmpOp::In | CmpOp::NotIn => {
            let found = match b {
                PyValue::List(items) => items.contains(a),
                PyValue::Str(s) => matches!(a, PyValue::Str(x) if s.contains(x.as_str())),
                PyValue::Dict(items) => items.iter().any(|(k, _)| k == a),
                _ => return None,
            };
            found == (op == CmpOp::In)
        }
    })
}

/// The value last assigned to `name` in `body` (top level) before offset `before`.
fn last_assignment<'b>(body: &'b [Stmt], name: &str, before: usize) -> Option<&'b Expr> {
    let mut found = None;
    for stmt in body {
        if stmt.span.start >= before {
            break;
        }
        match &stmt.kind {
            StmtKind::Assign { targets, value } if targets.iter().any(|t| matches!(&t.kind, ExprKind::Name(n) if n == name)) => {
                found = Some(value)
            }
            StmtKind::AnnAssign { target, value: Some(value), .. } if matches!(&target.kind, ExprKind::Name(n) if n == name) => {
                found = Some(value)
            }
            _ => {}
        }
    }
    found
}

/// `from module import original as name` at the top of a module.
pub fn imported_name(module: &Module, name: &str) -> Option<(String, String)> {
    module.body.iter().find_map(|stmt| match &stmt.kind {
        StmtKind::ImportFrom { level: 0, module: Some(m), names } => names.iter().find_map(|alias| {
            let bound = alias.asname.as_ref().unwrap_or(&alias.name);
            (bound.name == name).then(|| (m.name.clone(), alias.name.name.clone()))
        }),
        _ => None,
    })
}

/// A class or function defined at the top of a module.
pub fn top_level_definition<'m>(module: &'m Module, name: &str) -> Option<&'m Stmt> {
    module.body.iter().rev().find(|s| match &s.kind {
        StmtKind::ClassDef { name: n, .. } | StmtKind::FunctionDef { name: n, .. } => n.name == name,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;

    fn condition(project: &Project, text: &str) -> Option<PyValue> {
        let mut project = project.clone();
        project.write("probe.py", format!("from config import settings\nx = {text}\n"));
        let mut files = Files::new(&project, "", PythonEnv::files_only(&project));
        let parsed = files.parse("probe.py").unwrap();
        let StmtKind::Assign { value, .. } = &parsed.module.body[1].kind else { panic!() };
        Evaluator::new(&mut files).eval("probe.py", value, &[])
    }

    #[test]
    fn starter_debug_setting_follows_dotenv() {
        let mut project = starter::project();
        assert_eq!(condition(&project, "settings.debug"), Some(PyValue::Bool(true)));
        project.write(".env", "DEBUG=false\n");
        assert_eq!(condition(&project, "settings.debug"), Some(PyValue::Bool(false)));
        assert_eq!(condition(&project, "not settings.debug"), Some(PyValue::Bool(true)));
    }

    #[test]
    fn pydantic_settings_fields_read_the_environment() {
        let mut project = starter::project();
        project.write(
            "config.py",
            "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    debug: bool = False\n\nsettings = Settings()\n",
        );
        assert_eq!(condition(&project, "settings.debug"), Some(PyValue::Bool(false)));
        project.write(".env", "debug=1\n");
        assert_eq!(condition(&project, "settings.debug"), Some(PyValue::Bool(true)));
    }
}
