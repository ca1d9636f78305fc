//! The project's mapped classes — which module defines which class, for
//! which declarative base — as the models reader evaluates them. Other
//! readers here ask it whether a name is an ORM class and which modules
//! hold a base's models.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::engine::models::value::Value;
use crate::engine::models::Reader;
use crate::engine::environ::PythonEnv;
use crate::engine::project::Project;
use crate::engine::python::ast::{ExprKind, StmtKind};

use super::imports::block_stmts;
use super::source::Sources;

/// A class mapped to a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedClass {
    pub name: String,
    pub table: String,
    /// The file that defines it.
    pub path: String,
    /// Which declarative base it belongs to (the models reader's index).
    pub base: usize,
    /// Names its constructor accepts: mapped attributes and everything its
    /// body assigns (relationships included); `None` when it defines `__init__`.
    pub keywords: Option<Vec<String>>,
}

pub struct Catalog<'p> {
    reader: Reader<'p>,
    project: &'p Project,
    /// Files under this folder (the Alembic script folder) are not models.
    skip_folder: String,
    classes: Option<Vec<MappedClass>>,
    /// Module scopes by path, evaluated once (the reader hands out copies).
    scopes: HashMap<String, Option<Rc<BTreeMap<String, Value>>>>,
}

impl<'p> Catalog<'p> {
    pub fn new(project: &'p Project, skip_folder: &str, python: PythonEnv) -> Self {
        let skip_folder = if skip_folder.is_empty() { String::new() } else { format!("{}/", skip_folder.trim_end_matches('/')) };
        Catalog { reader: Reader::with_python(project, python), project, skip_folder, classes: None, scopes: HashMap::new() }
    }

    /// What the module-level name evaluates to, per the models reader.
    pub fn value(&mut self, path: &str, name: &str) -> Option<Value> {
        self.scope(path).and_then(|scope| scope.get(name).cloned())
    }

    fn scope(&mut self, path: &str) -> Option<Rc<BTreeMap<String, Value>>> {
        if let Some(cached) = self.scopes.get(path) {
            return cached.clone();
        }
        let scope = self.reader.load_module(path).map(Rc::new);
        self.scopes.insert(path.to_string(), scope.clone());
        scope
    }

    /// The declarative base a name is (`Base`) or whose metadata it is (`metadata = Base.metadata`).
    pub fn base_of(&mut self, path: &str, name: &str) -> Option<usize> {
        match self.value(path, name)? {
            Value::Base(i) => Some(i),
            Value::MetaData { base: Some(i), .. } => Some(i),
            _ => None,
        }
    }

    /// The mapped class a module-level name is, if it is one.
    pub fn mapped_class(&mut self, sources: &mut Sources<'_>, path: &str, name: &str) -> Option<MappedClass> {
        let Some(Value::Class(info)) = self.value(path, name) else { return None };
        let defined_in = info.origin.file.clone();
        self.classes(sources).iter().find(|c| c.name == info.name && c.path == defined_in).cloned()
    }

    /// Every mapped class of the project, by file then definition order.
    pub fn classes(&mut self, sources: &mut Sources<'_>) -> &[MappedClass] {
        if self.classes.is_none() {
            let mut found = Vec::new();
            let paths: Vec<String> = self
                .project
                .files()
                .map(|(p, _)| p.to_string())
                .filter(|p| p.ends_with(".py") && (self.skip_folder.is_empty() || !p.starts_with(&self.skip_folder)))
                .collect();
            for path in paths {
                let Some(scope) = self.scope(&path) else { continue };
                let mut here: Vec<MappedClass> = scope
                    .values()
                    .filter_map(|v| match v {
                        Value::Class(info) if info.origin.file == path => Some(info),
                        _ => None,
                    })
                    .filter_map(|info| {
                        Some(MappedClass {
                            name: info.name.clone(),
                            table: info.table.clone()?,
                            path: path.clone(),
                            base: info.base?,
                            keywords: Some(info.columns.iter().map(|(a, _)| a.clone()).collect()),
                        })
                    })
                    .collect();
                let order: BTreeMap<String, (u32, u32)> = scope
                    .values()
                    .filter_map(|v| match v {
                        Value::Class(info) => Some((info.name.clone(), (info.origin.line, info.origin.col))),
                        _ => None,
                    })
                    .collect();
                here.sort_by_key(|c| order.get(&c.name).copied().unwrap_or_default());
                for class in &mut here {
                    class.keywords = class_body_keywords(sources, &class.path, &class.name, class.keywords.take().unwrap_or_default());
                }
                found.extend(here);
            }
            self.classes = Some(found);
        }
        self.classes.as_deref().unwrap_or_default()
    }
}

/// The mapped attributes plus every name the class body assigns; `None` when
/// the class has its own `__init__` (then any keywords may be fine).
fn class_body_keywords(sources: &mut Sources<'_>, path: &str, class: &str, mut keywords: Vec<String>) -> Option<Vec<String>> {
    let Some(file) = sources.get(path) else { return Some(keywords) };
    let Some(body) = block_stmts(&file.module.body).into_iter().find_map(|s| match &s.kind {
        StmtKind::ClassDef { name, body, .. } if name.name == class => Some(body),
        _ => None,
    }) else {
        return Some(keywords);
    };
    for stmt in body {
        let target = match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.first(),
            StmtKind::AnnAssign { target, .. } => Some(target),
            StmtKind::FunctionDef { name, .. } if name.name == "__init__" => return None,
            _ => None,
        };
        if let Some(ExprKind::Name(n)) = target.map(|t| &t.kind) {
            if !n.starts_with("__") && !keywords.contains(n) {
                keywords.push(n.clone());
            }
        }
    }
    Some(keywords)
}
