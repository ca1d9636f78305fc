//! Reads `alembic/env.py`: what it imports, which metadata autogenerate
//! compares against (and whether the models behind it are actually
//! imported), the URL it may set, the engine it connects with, and the
//! options of its `context.configure()` calls.

use std::collections::BTreeSet;

use crate::engine::python::ast::{keyword_argument, positional_arguments, ArgumentKind, CmpOp, Expr, ExprKind, Stmt, StmtKind};

use super::imports::{import_closure, imports_of, module_names, resolve, Import, ImportKind, Target};
use super::source::{is_name, last_name, module_assignment, module_name_of, suggest, visit_stmts, Place, SourceFile};
use super::url::{Scope, UrlOrigin, UrlOriginKind, UrlReader};
use super::{Context, Diagnostic};

/// What `env.py` tells Alembic.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvInfo {
    pub path: String,
    /// Project modules it imports, in order (`models`, `app.database`).
    pub imports: Vec<String>,
    pub target_metadata: TargetMetadata,
    pub target_metadata_place: Option<Place>,
    /// `config.set_main_option("sqlalchemy.url", ...)`.
    pub url_override: Option<UrlOverride>,
    /// The `url=` the offline `context.configure()` gets, when it isn't the
    /// config's own (`config.get_main_option("sqlalchemy.url")`): `--sql`
    /// takes its dialect from it.
    pub offline_url: Option<UrlOverride>,
    /// What online mode connects with.
    pub connectable: Connectable,
    /// The options in effect for online commands (autogenerate, upgrade): the
    /// online `context.configure()` call's, or the only call's.
    pub configure: ConfigureOptions,
    pub configure_calls: Vec<ConfigureCall>,
    /// Whether every module that defines models for the target base is
    /// imported (directly or through the modules env.py imports). When not,
    /// the metadata lacks those tables and autogenerate proposes dropping them.
    pub models_imported: bool,
    /// The modules that define mapped classes for the target base.
    pub model_modules: Vec<ModelModule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetMetadata {
    /// `target_metadata = None` (the template's default): autogenerate cannot run.
    None,
    /// `Base.metadata` of a base imported from `module` (`from models import Base`),
    /// or a `MetaData` object imported by the name `base`.
    Metadata { module: String, path: Option<String>, base: String },
    /// Anything else, as written.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlOverride {
    pub url: Option<String>,
    pub origin: UrlOrigin,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connectable {
    /// `engine_from_config(config.get_section(...), prefix="sqlalchemy.")`: the ini's URL.
    FromConfig,
    /// The application's engine, imported from a project module.
    ProjectEngine { module: String, name: String },
    /// Something else, as written.
    Other(String),
}

/// Options of `context.configure()` that change what autogenerate and upgrade do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigureOptions {
    pub compare_type: Option<bool>,
    pub compare_server_default: Option<bool>,
    pub render_as_batch: Option<bool>,
    /// `include_object=` is given.
    pub include_object: bool,
    /// Other options as written (`version_table='my_version'`), except the
    /// template's `url`, `connection`, `target_metadata`, `literal_binds`, `dialect_opts`.
    pub other: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    Offline,
    Online,
    Unknown,
}

impl RunMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RunMode::Offline => "offline",
            RunMode::Online => "online",
            RunMode::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigureCall {
    pub mode: RunMode,
    /// The function it is in (`run_migrations_offline`).
    pub function: Option<String>,
    pub options: ConfigureOptions,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelModule {
    pub path: String,
    /// The mapped classes it defines, with their tables: `("Todo", "todos")`.
    pub classes: Vec<(String, String)>,
    /// Whether running env.py imports it.
    pub imported: bool,
}

/// `context.configure()` keywords every template passes; not "other" options.
const TEMPLATE_KEYWORDS: &[&str] = &["url", "connection", "target_metadata", "literal_binds", "dialect_opts"];

/// Reads `path` as Alembic's `env.py`.
pub fn read_env(ctx: &mut Context<'_>, path: &str) -> Option<EnvInfo> {
    let file = ctx.sources.get(path)?;
    ctx.diagnostics.syntax_errors(&file);

    // Every import runs: env.py's functions all run in one mode or the other.
    let mut all_stmts: Vec<&Stmt> = Vec::new();
    collect_all_stmts(&file.module.body, &mut all_stmts);
    let imports = imports_of(&ctx.sources, &file, all_stmts.iter().copied());
    let mut imported_modules = Vec::new();
    for import in &imports {
        check_import(ctx, &file, import);
        if import.imported_path.is_some() && !imported_modules.contains(&import.imported) {
            imported_modules.push(import.imported.clone());
        }
    }

    let functions: Vec<&Stmt> = all_stmts.iter().copied().filter(|s| matches!(s.kind, StmtKind::FunctionDef { .. })).collect();
    let mut calls: Vec<&Expr> = Vec::new();
    visit_stmts(&file.module.body, &mut |e| {
        if matches!(e.kind, ExprKind::Call { .. }) {
            calls.push(e);
        }
    });

    // context.configure(...) calls.
    let mut configure_calls = Vec::new();
    let mut metadata_arguments: Vec<&Expr> = Vec::new();
    for call in &calls {
        let ExprKind::Call { func, arguments } = &call.kind else { continue };
        let is_configure = match resolve(&ctx.sources, &file, &imports, func) {
            Target::Library(name) => name == "alembic.context.configure",
            _ => func.dotted_name().is_some_and(|n| n.ends_with("context.configure")),
        };
        if !is_configure {
            continue;
        }
        let function = enclosing_function(&functions, call.span.start);
        let function_name = function.and_then(|f| match &f.kind {
            StmtKind::FunctionDef { name, .. } => Some(name.name.clone()),
            _ => None,
        });
        let options = configure_options(ctx, &file, arguments);
        let mode = run_mode(function_name.as_deref(), arguments);
        if let Some(metadata) = keyword_argument(arguments, "target_metadata") {
            metadata_arguments.push(metadata);
        }
        configure_calls.push(ConfigureCall { mode, function: function_name, options, place: file.place(call.span.start) });
    }
    if configure_calls.is_empty() {
        ctx.diagnostics.push(file.diagnostic(0, "driftlab: env.py never calls context.configure(): Alembic cannot run migrations with it", None));
    }
    let configure = merged_options(ctx, &file, &configure_calls);

    // target_metadata.
    let assigned = module_assignment(&file.module, "target_metadata");
    let passed_directly = metadata_arguments.iter().copied().find(|e| !is_name(e, "target_metadata"));
    let metadata_expr = passed_directly.or(assigned);
    if let Some(reference) = metadata_arguments.iter().find(|e| is_name(e, "target_metadata")) {
        if assigned.is_none() && module_names(&ctx.sources, &file).is_some_and(|n| !n.contains("target_metadata")) {
            ctx.diagnostics.push(file.diagnostic(reference.span.start, "NameError: name 'target_metadata' is not defined", None));
        }
    }
    if !configure_calls.is_empty() && metadata_arguments.is_empty() && assigned.is_some_and(|e| !matches!(e.kind, ExprKind::None)) {
        let at = assigned.map_or(0, |e| e.span.start);
        ctx.diagnostics.push(file.diagnostic(
            at,
            "driftlab: target_metadata is set but never passed to context.configure(): autogenerate sees no models",
            Some("pass target_metadata=target_metadata to context.configure()".into()),
        ));
    }
    let target_metadata = match metadata_expr {
        Some(expr) => metadata_of(ctx, &file, &imports, expr),
        None => TargetMetadata::None,
    };
    let target_metadata_place = metadata_expr.map(|e| file.place(e.span.start));

    // Which modules hold the models, and whether env.py imports them.
    let start: Vec<String> = imports.iter().flat_map(|i| i.files_run.iter().cloned()).collect();
    let imported_files = import_closure(&mut ctx.sources, &start);
    let model_modules = model_modules(ctx, &target_metadata, &imported_files);
    let models_imported = !model_modules.is_empty() && model_modules.iter().all(|m| m.imported);
    if let (Some(expr), TargetMetadata::Metadata { module, base, .. }) = (metadata_expr, &target_metadata) {
        report_missing_models(ctx, &file, expr, module, base, &model_modules);
    }

    // The URL env.py sets, and the engine it connects with.
    let url_override = url_override(ctx, &file, &functions, &calls);
    let offline_url = offline_url(ctx, &file, &functions, &calls);
    let connectable = connectable(ctx, &file, &imports, &calls);

    Some(EnvInfo {
        path: path.to_string(),
        imports: imported_modules,
        target_metadata,
        target_metadata_place,
        url_override,
        offline_url,
        connectable,
        configure,
        configure_calls,
        models_imported,
        model_modules,
    })
}

/// Every statement, in every block and function (env.py's functions all run).
/// Every statement, nested ones included (function and class bodies, blocks).
pub(crate) fn collect_all_stmts<'a>(body: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for stmt in body {
        out.push(stmt);
        match &stmt.kind {
            StmtKind::FunctionDef { body, .. }
            | StmtKind::ClassDef { body, .. }
            | StmtKind::With { body, .. }
            | StmtKind::Error { body } => collect_all_stmts(body, out),
            StmtKind::For { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
                collect_all_stmts(body, out);
                collect_all_stmts(orelse, out);
            }
            StmtKind::If { body, elifs, orelse, .. } => {
                collect_all_stmts(body, out);
                for elif in elifs {
                    collect_all_stmts(&elif.body, out);
                }
                collect_all_stmts(orelse, out);
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                collect_all_stmts(body, out);
                for h in handlers {
                    collect_all_stmts(&h.body, out);
                }
                collect_all_stmts(orelse, out);
                collect_all_stmts(finalbody, out);
            }
            _ => {}
        }
    }
}

/// `ModuleNotFoundError` / `ImportError` for imports of project modules that would fail.
fn check_import(ctx: &mut Context<'_>, file: &SourceFile, import: &Import) {
    if import.is_missing() {
        let modules: Vec<String> = ctx.sources.python_paths().iter().map(|p| module_name_of(p)).collect();
        let wanted = import.written.trim_start_matches('.');
        let hint = suggest(wanted, modules.iter().map(String::as_str)).map(|m| format!("Did you mean: '{m}'?"));
        ctx.diagnostics.push(file.diagnostic(import.module_at, format!("ModuleNotFoundError: No module named '{}'", import.imported), hint));
        return;
    }
    let (ImportKind::Name(name), Some(path)) = (&import.kind, &import.path) else { return };
    let Some(target) = ctx.sources.get(path) else { return };
    let Some(names) = module_names(&ctx.sources, &target) else { return };
    if !names.contains(name) {
        let hint = suggest(name, names.iter().map(String::as_str)).map(|s| format!("Did you mean: '{s}'?"));
        ctx.diagnostics.push(file.diagnostic(
            import.name_at,
            format!("ImportError: cannot import name '{name}' from '{}' ({path})", import.module),
            hint,
        ));
    }
}

/// The innermost function whose span holds `offset`.
fn enclosing_function<'a>(functions: &[&'a Stmt], offset: usize) -> Option<&'a Stmt> {
    functions
        .iter()
        .copied()
        .filter(|f| f.span.start <= offset && offset < f.span.end)
        .min_by_key(|f| f.span.end - f.span.start)
}

fn run_mode(function: Option<&str>, arguments: &[crate::engine::python::ast::Argument]) -> RunMode {
    let name = function.unwrap_or_default().to_ascii_lowercase();
    if name.contains("offline") {
        RunMode::Offline
    } else if name.contains("online") || name.contains("do_run_migrations") || keyword_argument(arguments, "connection").is_some() {
        RunMode::Online
    } else if keyword_argument(arguments, "url").is_some() {
        RunMode::Offline
    } else {
        RunMode::Unknown
    }
}

fn configure_options(ctx: &mut Context<'_>, file: &SourceFile, arguments: &[crate::engine::python::ast::Argument]) -> ConfigureOptions {
    let mut options = ConfigureOptions::default();
    for argument in arguments {
        let ArgumentKind::Keyword { name, value } = &argument.kind else {
            if let ArgumentKind::UnpackMapping(value) = &argument.kind {
                options.other.push(format!("**{}", file.snippet(value.span)));
            }
            continue;
        };
        let keyword = name.name.as_str();
        let slot = match keyword {
            "compare_type" => Some(&mut options.compare_type),
            "compare_server_default" => Some(&mut options.compare_server_default),
            "render_as_batch" => Some(&mut options.render_as_batch),
            _ => None,
        };
        if let Some(slot) = slot {
            match flag_value(value) {
                Some(b) => *slot = Some(b),
                None => {
                    options.other.push(format!("{keyword}={}", file.snippet(value.span)));
                    ctx.diagnostics.push(file.diagnostic(
                        value.span.start,
                        format!("driftlab: {keyword}={} is not supported in the playground: use True or False", file.snippet(value.span)),
                        None,
                    ));
                }
            }
            continue;
        }
        if keyword == "include_object" {
            options.include_object = true;
            continue;
        }
        if !TEMPLATE_KEYWORDS.contains(&keyword) {
            options.other.push(format!("{keyword}={}", file.snippet(value.span)));
        }
    }
    options
}

/// `True`/`False`, or `connection.dialect.name == "sqlite"`, which is true in the playground.
fn flag_value(value: &Expr) -> Option<bool> {
    match &value.kind {
        ExprKind::Bool(b) => Some(*b),
        ExprKind::Compare { left, ops, comparators } if ops.len() == 1 => {
            let is_dialect = left.dotted_name().is_some_and(|n| n.ends_with("dialect.name"));
            let compared = comparators.first().and_then(Expr::as_str)?;
            match ops[0] {
                CmpOp::Eq if is_dialect => Some(compared == "sqlite"),
                CmpOp::NotEq if is_dialect => Some(compared != "sqlite"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The options in effect (the online call's, else the first call's), and a
/// diagnostic for every option the calls disagree on.
fn merged_options(ctx: &mut Context<'_>, file: &SourceFile, calls: &[ConfigureCall]) -> ConfigureOptions {
    let Some(main) = calls.iter().find(|c| c.mode == RunMode::Online).or(calls.first()) else { return ConfigureOptions::default() };
    let shown = |v: Option<bool>| match v {
        Some(true) => "True",
        Some(false) => "False",
        None => "not set",
    };
    for other in calls.iter().filter(|c| !std::ptr::eq(*c, main)) {
        let pairs = [
            ("compare_type", main.options.compare_type, other.options.compare_type),
            ("compare_server_default", main.options.compare_server_default, other.options.compare_server_default),
            ("render_as_batch", main.options.render_as_batch, other.options.render_as_batch),
        ];
        for (name, ours, theirs) in pairs {
            if ours != theirs {
                ctx.diagnostics.push(Diagnostic {
                    file: file.path.clone(),
                    line: other.place.line,
                    col: other.place.col,
                    message: format!(
                        "driftlab: {name} is {} in the {} context.configure() call (line {}) but {} in this {} one",
                        shown(ours),
                        main.mode.as_str(),
                        main.place.line,
                        shown(theirs),
                        other.mode.as_str()
                    ),
                    hint: Some("pass the same options to both calls, or offline (--sql) and online runs will differ".into()),
                });
            }
        }
    }
    main.options.clone()
}

/// What a `target_metadata` expression names.
fn metadata_of(ctx: &mut Context<'_>, file: &SourceFile, imports: &[Import], expr: &Expr) -> TargetMetadata {
    match &expr.kind {
        ExprKind::None => TargetMetadata::None,
        ExprKind::Attribute { value, attr } if attr.name == "metadata" => match resolve(&ctx.sources, file, imports, value) {
            Target::Project { path, name } if path != file.path => {
                TargetMetadata::Metadata { module: module_name_of(&path), path: Some(path), base: name }
            }
            Target::Library(name) if name == "sqlmodel.SQLModel" || name == "sqlmodel.main.SQLModel" => {
                TargetMetadata::Metadata { module: "sqlmodel".into(), path: None, base: "SQLModel".into() }
            }
            _ => TargetMetadata::Unknown(file.snippet(expr.span)),
        },
        ExprKind::Name(_) | ExprKind::Attribute { .. } => match resolve(&ctx.sources, file, imports, expr) {
            Target::Project { path, name } if path != file.path && ctx.catalog.base_of(&path, &name).is_some() => {
                TargetMetadata::Metadata { module: module_name_of(&path), path: Some(path), base: name }
            }
            _ => TargetMetadata::Unknown(file.snippet(expr.span)),
        },
        ExprKind::List(_) | ExprKind::Tuple { .. } => {
            ctx.diagnostics.push(file.diagnostic(
                expr.span.start,
                "driftlab: a list of MetaData objects is not supported in the playground",
                Some("use one declarative Base for all models: target_metadata = Base.metadata".into()),
            ));
            TargetMetadata::Unknown(file.snippet(expr.span))
        }
        _ => TargetMetadata::Unknown(file.snippet(expr.span)),
    }
}

/// The modules defining mapped classes for the target metadata's base.
fn model_modules(ctx: &mut Context<'_>, target: &TargetMetadata, imported: &BTreeSet<String>) -> Vec<ModelModule> {
    let TargetMetadata::Metadata { path, base, .. } = target else { return Vec::new() };
    let mut modules: Vec<ModelModule> = Vec::new();
    let mut add = |path: &str, class: (String, String)| match modules.iter_mut().find(|m| m.path == path) {
        Some(m) => m.classes.push(class),
        None => modules.push(ModelModule { path: path.to_string(), classes: vec![class], imported: imported.contains(path) }),
    };
    match path {
        Some(path) => {
            let Some(base_index) = ctx.catalog.base_of(path, base) else { return Vec::new() };
            let classes = ctx.catalog.classes(&mut ctx.sources).to_vec();
            for class in classes.into_iter().filter(|c| c.base == base_index) {
                add(&class.path, (class.name, class.table));
            }
        }
        None => {
            // SQLModel: classes declared `class X(SQLModel, table=True)`.
            for path in ctx.sources.python_paths() {
                if path.starts_with(&ctx.script_folder) {
                    continue;
                }
                let Some(file) = ctx.sources.get(&path) else { continue };
                for stmt in &file.module.body {
                    let StmtKind::ClassDef { name, arguments, .. } = &stmt.kind else { continue };
                    let sqlmodel = arguments.iter().any(|a| matches!(&a.kind, ArgumentKind::Positional(e) if last_name(e) == Some("SQLModel")));
                    let table = arguments.iter().any(|a| matches!(&a.kind, ArgumentKind::Keyword { name, value } if name.name == "table" && matches!(value.kind, ExprKind::Bool(true))));
                    if sqlmodel && table {
                        add(&path, (name.name.clone(), name.name.to_lowercase()));
                    }
                }
            }
        }
    }
    modules
}

fn report_missing_models(ctx: &mut Context<'_>, file: &SourceFile, at: &Expr, module: &str, base: &str, modules: &[ModelModule]) {
    let missing: Vec<&ModelModule> = modules.iter().filter(|m| !m.imported).collect();
    if missing.is_empty() {
        return;
    }
    let tables: Vec<String> = missing.iter().flat_map(|m| m.classes.iter().map(|(_, t)| format!("'{t}'"))).collect();
    let paths: Vec<&str> = missing.iter().map(|m| m.path.as_str()).collect();
    let import_lines: Vec<String> = missing.iter().map(|m| format!("import {}  # noqa: F401", module_name_of(&m.path))).collect();
    let message = if missing.len() == modules.len() {
        format!(
            "driftlab: target_metadata is empty: env.py imports {base} from '{module}' but never imports {} where the models are defined, so autogenerate sees no tables and proposes dropping every table ({})",
            paths.join(", "),
            tables.join(", ")
        )
    } else {
        let (noun, pronoun) = if tables.len() == 1 { ("table", "it") } else { ("tables", "them") };
        format!(
            "driftlab: env.py never imports {}: autogenerate does not see the {noun} {} and proposes dropping {pronoun}",
            paths.join(", "),
            tables.join(", ")
        )
    };
    ctx.diagnostics.push(file.diagnostic(at.span.start, message, Some(format!("add `{}` to env.py before target_metadata", import_lines.join("`, `")))));
}

/// `config.set_main_option("sqlalchemy.url", ...)`.
fn url_override(ctx: &mut Context<'_>, file: &std::rc::Rc<SourceFile>, functions: &[&Stmt], calls: &[&Expr]) -> Option<UrlOverride> {
    for call in calls {
        let ExprKind::Call { func, arguments } = &call.kind else { continue };
        let mut positional = positional_arguments(arguments);
        let value = match last_name(func) {
            Some("set_main_option") => {
                if positional.next().and_then(Expr::as_str).as_deref() != Some("sqlalchemy.url") {
                    continue;
                }
                positional.next()
            }
            Some("set_section_option") => {
                positional.next();
                if positional.next().and_then(Expr::as_str).as_deref() != Some("sqlalchemy.url") {
                    continue;
                }
                positional.next()
            }
            _ => continue,
        };
        let Some(value) = value else { continue };
        let scope = match enclosing_function(functions, call.span.start).map(|f| &f.kind) {
            Some(StmtKind::FunctionDef { body, .. }) => Scope::function(&ctx.sources, file.clone(), body),
            _ => Scope::module(&ctx.sources, file.clone()),
        };
        let (url, origin) = UrlReader::new(&mut ctx.sources, &mut ctx.diagnostics, &ctx.python).read(&scope, value);
        if let Some(url) = &url {
            if let Some(position) = bad_interpolation(url) {
                ctx.diagnostics.push(file.diagnostic(
                    value.span.start,
                    format!("ValueError: invalid interpolation syntax in '{url}' at position {position}"),
                    Some("set_main_option() goes through ConfigParser: write every % in the URL as %%".into()),
                ));
            }
        }
        if let (UrlOriginKind::Unknown { expression }, None) = (&origin.kind, &url) {
            ctx.diagnostics.push(Diagnostic {
                file: origin.place.file.clone(),
                line: origin.place.line,
                col: origin.place.col,
                message: format!("driftlab: cannot tell the database URL without running Python: {expression}"),
                hint: Some("write it as a string, a module constant, or os.getenv(\"DATABASE_URL\", \"sqlite:///./app.db\")".into()),
            });
        }
        return Some(UrlOverride { url, origin, place: file.place(call.span.start) });
    }
    None
}

/// `context.configure(url=...)` in offline mode, unless it is the config's
/// own URL or can't be told. Problems reading it are left out: they arise
/// only when env.py runs offline.
fn offline_url(ctx: &mut Context<'_>, file: &std::rc::Rc<SourceFile>, functions: &[&Stmt], calls: &[&Expr]) -> Option<UrlOverride> {
    for call in calls {
        let ExprKind::Call { func, arguments } = &call.kind else { continue };
        if last_name(func) != Some("configure") {
            continue;
        }
        let function = enclosing_function(functions, call.span.start);
        let function_name = function.and_then(|f| match &f.kind {
            StmtKind::FunctionDef { name, .. } => Some(name.name.as_str()),
            _ => None,
        });
        let Some(value) = keyword_argument(arguments, "url").filter(|_| run_mode(function_name, arguments) == RunMode::Offline) else { continue };
        let scope = match function.map(|f| &f.kind) {
            Some(StmtKind::FunctionDef { body, .. }) => Scope::function(&ctx.sources, file.clone(), body),
            _ => Scope::module(&ctx.sources, file.clone()),
        };
        let mut ignored = super::source::Diagnostics::default();
        let (url, origin) = UrlReader::new(&mut ctx.sources, &mut ignored, &ctx.python).read(&scope, value);
        return match origin.kind {
            UrlOriginKind::ConfigUrl | UrlOriginKind::Unknown { .. } => None,
            _ => Some(UrlOverride { url, origin, place: file.place(call.span.start) }),
        };
    }
    None
}

/// Where ConfigParser would reject a value: a `%` not followed by `%` or `(`.
pub fn bad_interpolation(value: &str) -> Option<usize> {
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '%' {
            match chars.get(i + 1) {
                Some('%') => i += 1,
                Some('(') => {}
                _ => return Some(i),
            }
        }
        i += 1;
    }
    None
}

fn connectable(ctx: &mut Context<'_>, file: &SourceFile, imports: &[Import], calls: &[&Expr]) -> Connectable {
    for call in calls {
        let ExprKind::Call { func, .. } = &call.kind else { continue };
        if matches!(last_name(func), Some("engine_from_config" | "async_engine_from_config")) {
            return Connectable::FromConfig;
        }
    }
    for call in calls {
        let ExprKind::Call { func, arguments } = &call.kind else { continue };
        match last_name(func) {
            Some("create_engine" | "create_async_engine") => {
                let text = positional_arguments(arguments).next().map(|a| file.snippet(a.span)).unwrap_or_default();
                if text.contains("get_main_option") || text.contains("get_section") {
                    return Connectable::FromConfig;
                }
                return Connectable::Other(file.snippet(call.span));
            }
            Some("connect" | "begin") => {
                let ExprKind::Attribute { value, .. } = &func.kind else { continue };
                if let Target::Project { path, name } = resolve(&ctx.sources, file, imports, value) {
                    return Connectable::ProjectEngine { module: module_name_of(&path), name };
                }
            }
            _ => {}
        }
    }
    Connectable::Other(String::new())
}
