//! What a module's import statements bind, what a dotted name refers to
//! through them (a project function, a library object, a project module),
//! and which project files a module runs, transitively, when it is imported.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::engine::python::ast::{Expr, ExprKind, Stmt, StmtKind};

use super::source::{
    files_run_by_import, is_known_library, module_level_stmts, module_name_of, resolve_module, SourceFile, Sources,
};

/// One name bound by an import statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The name the statement binds (`a` for `import a.b`, `x` for `... as x`, `*`).
    pub bound: String,
    pub kind: ImportKind,
    /// The module the bound name comes from or is, absolute when it is a
    /// project file (`from .database import Base` in `app/main.py` →
    /// `app.database`; `import a.b` binds `a`).
    pub module: String,
    /// The project file of `module`; `None` for libraries, namespace
    /// packages and missing modules.
    pub path: Option<String>,
    /// The whole module the statement imports (`a.b` for `import a.b`, the
    /// submodule for `from pkg import sub`), absolute when it is a project file.
    pub imported: String,
    /// The project file of `imported`.
    pub imported_path: Option<String>,
    /// The module as written (`.database`, `app.models`), for messages.
    pub written: String,
    /// Every project file the statement runs.
    pub files_run: Vec<String>,
    /// Offsets of the module name and of the imported name, for diagnostics.
    pub module_at: usize,
    pub name_at: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportKind {
    /// The name is bound to a module.
    Module,
    /// `from module import name`: an object of the module.
    Name(String),
    /// `from module import *`.
    Star,
}

impl Import {
    /// Neither a project file nor a library we know: Python would raise `ModuleNotFoundError`.
    pub fn is_missing(&self) -> bool {
        self.imported_path.is_none() && !is_known_library(&self.imported)
    }
}

/// The imports of `stmts` (not looking inside them), in order.
pub fn imports_of<'a>(sources: &Sources<'_>, file: &SourceFile, stmts: impl IntoIterator<Item = &'a Stmt>) -> Vec<Import> {
    let project = sources.project;
    let absolute = |path: &Option<String>, written: &str| -> String {
        path.as_deref().map(module_name_of).unwrap_or_else(|| written.trim_start_matches('.').to_string())
    };
    let mut out = Vec::new();
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Import { names } => {
                for alias in names {
                    let written = alias.name.name.clone();
                    let imported_path = resolve_module(project, &file.path, 0, &written);
                    let bound_module = match &alias.asname {
                        Some(_) => written.clone(),
                        None => written.split('.').next().unwrap_or(&written).to_string(),
                    };
                    let path = resolve_module(project, &file.path, 0, &bound_module);
                    out.push(Import {
                        bound: alias.asname.as_ref().map_or_else(|| bound_module.clone(), |a| a.name.clone()),
                        kind: ImportKind::Module,
                        module: absolute(&path, &bound_module),
                        path,
                        imported: absolute(&imported_path, &written),
                        imported_path,
                        files_run: files_run_by_import(project, &file.path, 0, &written),
                        written,
                        module_at: alias.name.span.start,
                        name_at: alias.name.span.start,
                    });
                }
            }
            StmtKind::ImportFrom { level, module, names } => {
                let written_module = module.as_ref().map(|m| m.name.clone()).unwrap_or_default();
                let written = format!("{}{}", ".".repeat(*level), written_module);
                let module_at = module.as_ref().map_or(stmt.span.start, |m| m.span.start);
                let path = resolve_module(project, &file.path, *level, &written_module);
                let files_run = files_run_by_import(project, &file.path, *level, &written_module);
                let from_module = absolute(&path, &written);
                for alias in names {
                    let name = alias.name.name.clone();
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
                    let mut import = Import {
                        bound,
                        kind: ImportKind::Name(name.clone()),
                        module: from_module.clone(),
                        path: path.clone(),
                        imported: from_module.clone(),
                        imported_path: path.clone(),
                        written: written.clone(),
                        files_run: files_run.clone(),
                        module_at,
                        name_at: alias.name.span.start,
                    };
                    if name == "*" {
                        import.kind = ImportKind::Star;
                    } else {
                        // `from pkg import sub` imports the submodule when there is one.
                        let sub_name = if written_module.is_empty() { name.clone() } else { format!("{written_module}.{name}") };
                        if let Some(sub_path) = resolve_module(project, &file.path, *level, &sub_name) {
                            import.kind = ImportKind::Module;
                            import.module = module_name_of(&sub_path);
                            import.imported = import.module.clone();
                            import.path = Some(sub_path.clone());
                            import.imported_path = Some(sub_path);
                            import.files_run.extend(files_run_by_import(project, &file.path, *level, &sub_name));
                            dedupe(&mut import.files_run);
                        }
                    }
                    out.push(import);
                }
            }
            _ => {}
        }
    }
    out
}

fn dedupe(list: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    list.retain(|x| seen.insert(x.clone()));
}

/// The imports that run when the module is imported (computed once per file).
pub fn module_imports(sources: &Sources<'_>, file: &SourceFile) -> Vec<Import> {
    if let Some(cached) = sources.module_imports.borrow().get(&file.path) {
        return cached.as_ref().clone();
    }
    let imports = Rc::new(imports_of(sources, file, module_level_stmts(&file.module.body)));
    sources.module_imports.borrow_mut().insert(file.path.clone(), imports.clone());
    imports.as_ref().clone()
}

/// Every import statement of a function body (nested blocks included), for
/// names imported inside the function (`from .models import Todo` in `seed_db`).
pub fn imports_inside(sources: &Sources<'_>, file: &SourceFile, body: &[Stmt]) -> Vec<Import> {
    imports_of(sources, file, block_stmts(body))
}

/// Statements of a body and of its nested blocks, not entering nested functions or classes.
pub fn block_stmts(body: &[Stmt]) -> Vec<&Stmt> {
    module_level_stmts(body)
}

/// Names a module binds at its top level (assignments, functions, classes,
/// imports). `None` when a star import makes the set unknowable.
pub fn module_names(sources: &Sources<'_>, file: &SourceFile) -> Option<Rc<BTreeSet<String>>> {
    if let Some(cached) = sources.module_names.borrow().get(&file.path) {
        return cached.clone();
    }
    let names = compute_module_names(sources, file).map(Rc::new);
    sources.module_names.borrow_mut().insert(file.path.clone(), names.clone());
    names
}

fn compute_module_names(sources: &Sources<'_>, file: &SourceFile) -> Option<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for import in module_imports(sources, file) {
        if import.kind == ImportKind::Star {
            return None;
        }
        names.insert(import.bound);
    }
    for stmt in module_level_stmts(&file.module.body) {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| bound_names(t, &mut names)),
            StmtKind::AnnAssign { target, .. } | StmtKind::AugAssign { target, .. } => bound_names(target, &mut names),
            StmtKind::For { target, .. } => bound_names(target, &mut names),
            StmtKind::With { items, .. } => items.iter().filter_map(|i| i.target.as_ref()).for_each(|t| bound_names(t, &mut names)),
            StmtKind::FunctionDef { name, .. } | StmtKind::ClassDef { name, .. } => {
                names.insert(name.name.clone());
            }
            StmtKind::Global(ids) => ids.iter().for_each(|i| {
                names.insert(i.name.clone());
            }),
            _ => {}
        }
    }
    Some(names)
}

fn bound_names(target: &Expr, names: &mut BTreeSet<String>) {
    match &target.kind {
        ExprKind::Name(n) => {
            names.insert(n.clone());
        }
        ExprKind::Tuple { elements, .. } | ExprKind::List(elements) => elements.iter().for_each(|e| bound_names(e, names)),
        ExprKind::Starred(e) => bound_names(e, names),
        _ => {}
    }
}

/// What a dotted name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A module-level name of a project file: `(path, name)`.
    Project { path: String, name: String },
    /// A project module (`path` is `None` for a folder without `__init__.py`).
    Module { name: String, path: Option<String> },
    /// A library object, fully qualified: `alembic.command.upgrade`, `os.getenv`.
    Library(String),
    /// A name we cannot place (a local variable, an attribute of an object, a builtin).
    Unknown,
}

/// Resolves `expr` (a name or a dotted name) in `file`, where `imports` are
/// the imports in effect (module-level ones, then function-local ones: the
/// last binding of a name wins).
pub fn resolve(sources: &Sources<'_>, file: &SourceFile, imports: &[Import], expr: &Expr) -> Target {
    match &expr.kind {
        ExprKind::Name(name) => {
            if let Some(import) = imports.iter().rev().find(|i| &i.bound == name) {
                let library = import.path.is_none() && is_known_library(&import.module);
                return match &import.kind {
                    ImportKind::Module if library => Target::Library(import.module.clone()),
                    ImportKind::Module if import.path.is_some() || is_package_folder(sources, &import.module) => {
                        Target::Module { name: import.module.clone(), path: import.path.clone() }
                    }
                    ImportKind::Name(n) if library => Target::Library(format!("{}.{n}", import.module)),
                    ImportKind::Name(n) => match &import.path {
                        Some(path) => Target::Project { path: path.clone(), name: n.clone() },
                        None => Target::Unknown,
                    },
                    _ => Target::Unknown,
                };
            }
            if module_names(sources, file).is_some_and(|names| names.contains(name)) {
                return Target::Project { path: file.path.clone(), name: name.clone() };
            }
            // A star import may have brought it.
            for import in imports.iter().rev().filter(|i| i.kind == ImportKind::Star) {
                if let Some(path) = &import.path {
                    return Target::Project { path: path.clone(), name: name.clone() };
                }
            }
            Target::Unknown
        }
        ExprKind::Attribute { value, attr } => match resolve(sources, file, imports, value) {
            Target::Module { name, path } => {
                let sub = format!("{name}.{}", attr.name);
                match resolve_module(sources.project, "", 0, &sub) {
                    Some(sub_path) => Target::Module { name: sub, path: Some(sub_path) },
                    None if is_package_folder(sources, &sub) => Target::Module { name: sub, path: None },
                    None => match path {
                        Some(path) => Target::Project { path, name: attr.name.clone() },
                        None => Target::Unknown,
                    },
                }
            }
            Target::Library(s) => Target::Library(format!("{s}.{}", attr.name)),
            _ => Target::Unknown,
        },
        _ => Target::Unknown,
    }
}

/// A folder of the project that Python imports as a namespace package.
fn is_package_folder(sources: &Sources<'_>, module: &str) -> bool {
    !module.is_empty() && sources.project.is_dir(&module.replace('.', "/"))
}

/// The project files that run when `start` files are imported: each file's
/// module-level imports, followed transitively.
pub fn import_closure(sources: &mut Sources<'_>, start: &[String]) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = start.to_vec();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let Some(file) = sources.get(&path) else { continue };
        for import in module_imports(sources, &file) {
            queue.extend(import.files_run.into_iter().filter(|f| !seen.contains(f)));
        }
    }
    seen
}
