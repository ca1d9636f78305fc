//! A stable, readable text of what was read from a project's files, for the
//! data-driven tests and for debugging: one fact per line, places as
//! `file:line:col`, values as Python writes them, `-` for "not there".

use std::fmt::Write;

use crate::engine::environ::VarSource;

use super::alembic_env::{Connectable, ConfigureOptions, EnvInfo, TargetMetadata};
use super::alembic_ini::{AlembicIni, DEFAULT_FILE_TEMPLATE};
use super::database::{DatabaseInfo, FunctionInfo, SeedInfo};
use super::fastapi_app::{AppInfo, StartupAction};
use super::source::python_repr;
use super::url::{UrlOrigin, UrlOriginKind};
use super::ProjectFacts;

pub fn project(facts: &ProjectFacts) -> String {
    let mut out = String::new();
    match &facts.ini {
        Some(ini) => alembic_ini(&mut out, ini),
        None => out.push_str("alembic.ini: -\n"),
    }
    match &facts.database {
        Some(db) => database(&mut out, db),
        None => out.push_str("database: -\n"),
    }
    match &facts.app {
        Some(app) => application(&mut out, app),
        None => out.push_str("app: -\n"),
    }
    match &facts.env {
        Some(env) => alembic_env(&mut out, env),
        None => out.push_str("env: -\n"),
    }
    match facts.migration_url() {
        Some((url, place)) => {
            let _ = writeln!(out, "migration url: {} (decided at {place})", python_repr(&url));
        }
        None => out.push_str("migration url: -\n"),
    }
    out.push_str("diagnostics:");
    if facts.diagnostics.is_empty() {
        out.push_str(" -\n");
    } else {
        out.push('\n');
        for d in &facts.diagnostics {
            let _ = writeln!(out, "{d}");
        }
    }
    out
}

fn opt_str(value: &Option<String>) -> String {
    value.as_deref().map_or_else(|| "-".to_string(), python_repr)
}

fn opt_bool(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "True",
        Some(false) => "False",
        None => "-",
    }
}

fn alembic_ini(out: &mut String, ini: &AlembicIni) {
    let _ = writeln!(out, "ini {}", ini.path);
    let folder = ini.script_folder().map(|f| format!(" (folder {f})")).unwrap_or_default();
    let _ = writeln!(out, "  script_location: {}{folder}", opt_str(&ini.script_location));
    let _ = writeln!(out, "  sqlalchemy.url: {}", opt_str(&ini.sqlalchemy_url));
    match &ini.file_template {
        Some(t) => {
            let _ = writeln!(out, "  file_template: {}", python_repr(t));
        }
        None => {
            let _ = writeln!(out, "  file_template: - (default {})", python_repr(DEFAULT_FILE_TEMPLATE));
        }
    }
    let _ = writeln!(out, "  prepend_sys_path: {}", opt_str(&ini.prepend_sys_path));
    let _ = writeln!(out, "  path_separator: {}", opt_str(&ini.path_separator));
    let _ = writeln!(out, "  version_path_separator: {}", opt_str(&ini.version_path_separator));
    let _ = writeln!(out, "  version_locations: {}", opt_str(&ini.version_locations));
    for (key, value) in &ini.other {
        let _ = writeln!(out, "  other {key}: {}", python_repr(value));
    }
    let names: Vec<&str> = ini.sections.iter().map(|s| s.name.as_str()).collect();
    let _ = writeln!(out, "  sections: {}", if names.is_empty() { "-".to_string() } else { names.join(", ") });
}

pub(super) fn url_origin(origin: &UrlOrigin) -> String {
    let mut text = match &origin.kind {
        UrlOriginKind::Literal => "literal".to_string(),
        UrlOriginKind::Environment { variable, read_with, set_in, default } => {
            let source = match set_in {
                Some(VarSource::Process) => "set in the environment",
                Some(VarSource::DotEnv) => "set in .env",
                None => "not in .env",
            };
            let default = default.as_deref().map_or_else(|| "no default".to_string(), |d| format!("default {}", python_repr(d)));
            format!("environment {variable} via {read_with} ({source}; {default})")
        }
        UrlOriginKind::XArgument { key, given, default } => {
            let given = if *given { "given" } else { "not given" };
            let default = default.as_deref().map_or_else(|| "no default".to_string(), |d| format!("default {}", python_repr(d)));
            format!("alembic -x {key} via context.get_x_argument(as_dictionary=True) ({given}; {default})")
        }
        UrlOriginKind::ConfigUrl => "the config file's sqlalchemy.url".to_string(),
        UrlOriginKind::Unknown { expression } => format!("unknown: {expression}"),
    };
    let _ = write!(text, " at {}", origin.place);
    if !origin.via.is_empty() {
        let _ = write!(text, ", through {}", origin.via.join(" -> "));
    }
    text
}

/// `show_absence`: say "no create_all" when it does not call it (for init functions).
fn function(info: &FunctionInfo, show_absence: bool) -> String {
    let prefix = if info.is_async { "async " } else { "" };
    let mut text = format!("{prefix}{}() at {}", info.name, info.place);
    match &info.create_all {
        Some(c) => {
            let _ = write!(text, ", calls {}.metadata.create_all at {}", c.metadata_of, c.place);
        }
        None if show_absence => text.push_str(", no create_all"),
        None => {}
    }
    text
}

fn database(out: &mut String, db: &DatabaseInfo) {
    let _ = writeln!(out, "database {}", db.path);
    match (&db.engine_name, &db.engine_place) {
        (Some(name), Some(place)) => {
            let _ = writeln!(out, "  engine: {name} at {place}");
        }
        _ => out.push_str("  engine: -\n"),
    }
    let _ = writeln!(out, "  url: {}", opt_str(&db.url));
    if let Some(origin) = &db.url_origin {
        let _ = writeln!(out, "  url origin: {}", url_origin(origin));
    }
    let _ = writeln!(out, "  base: {}", db.base_name.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "  session factory: {}", db.session_factory.as_deref().unwrap_or("-"));
    if let Some(c) = &db.create_all_at_import {
        let _ = writeln!(out, "  create_all at import: {}.metadata.create_all at {}", c.metadata_of, c.place);
    }
    match &db.init_db {
        Some(f) => {
            let _ = writeln!(out, "  init_db: {}", function(f, true));
        }
        None => out.push_str("  init_db: -\n"),
    }
    match &db.seed_db {
        Some(seed) => seed_info(out, seed),
        None => out.push_str("  seed_db: -\n"),
    }
}

fn seed_info(out: &mut String, seed: &SeedInfo) {
    let commits = if seed.commits { "commits" } else { "never commits" };
    let _ = writeln!(out, "  seed_db: {}, {commits}", function(&seed.function, false));
    if let Some(guard) = &seed.guard {
        let style = if guard.early_return { "returns early if" } else { "adds only if" };
        let model = guard.model.as_deref().unwrap_or("?");
        let _ = writeln!(out, "    guard: {} of {model}, {style} `{}` at {}", guard.kind.as_str(), guard.condition, guard.place);
    } else {
        out.push_str("    guard: -\n");
    }
    for row in &seed.rows {
        let values: Vec<String> = row
            .values
            .iter()
            .map(|(k, v)| if k == "**" { format!("**{v}") } else { format!("{k}={v}") })
            .collect();
        let repeat = row.repeat.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
        let _ = writeln!(out, "    row {}({}) into {}{repeat} at {}", row.model, values.join(", "), row.table, row.place);
    }
}

fn application(out: &mut String, app: &AppInfo) {
    let _ = writeln!(out, "app {}", app.path);
    match (&app.app_name, &app.app_place) {
        (Some(name), Some(place)) => {
            let _ = writeln!(out, "  app: {name} at {place}");
        }
        _ => out.push_str("  app: -\n"),
    }
    let functions = if app.startup_functions.is_empty() { String::new() } else { format!(" ({})", app.startup_functions.join(", ")) };
    let _ = writeln!(out, "  startup style: {}{functions}", app.startup_style.as_str());
    if app.startup.is_empty() {
        out.push_str("  startup: -\n");
    } else {
        out.push_str("  startup:\n");
    }
    for (i, step) in app.startup.iter().enumerate() {
        let action = match &step.action {
            StartupAction::InitDb => "InitDb".to_string(),
            StartupAction::CreateAll => "CreateAll".to_string(),
            StartupAction::AlembicUpgrade { target, config } => {
                format!("AlembicUpgrade {} with {}", python_repr(target), config.as_deref().map_or_else(|| "no config file".into(), python_repr))
            }
            StartupAction::SeedDb { conditional_on } => match conditional_on {
                Some(c) => format!("SeedDb if {c}"),
                None => "SeedDb".to_string(),
            },
            StartupAction::Other(name) => format!("Other {name}"),
        };
        let mut details = Vec::new();
        if let Some(via) = &step.via {
            details.push(format!("in {via}()"));
        }
        if let Some(c) = step.condition.as_ref().filter(|_| !matches!(step.action, StartupAction::SeedDb { .. })) {
            details.push(format!("if {c}"));
        }
        if step.at_import {
            details.push("at import".to_string());
        }
        let details = if details.is_empty() { String::new() } else { format!(" [{}]", details.join(", ")) };
        let _ = writeln!(out, "    {}. {}: {action}{details} at {}", i + 1, step.call, step.place);
    }
    if app.routes.is_empty() {
        out.push_str("  routes: -\n");
    } else {
        out.push_str("  routes:\n");
    }
    for route in &app.routes {
        let model = route.model.as_deref().unwrap_or("-");
        let _ = writeln!(out, "    {} {} -> {}(): {} {model} at {}", route.method, route.path, route.function, route.kind.as_str(), route.place);
    }
}

fn options(o: &ConfigureOptions) -> String {
    let mut text = format!(
        "compare_type={} compare_server_default={} render_as_batch={} include_object={}",
        opt_bool(o.compare_type),
        opt_bool(o.compare_server_default),
        opt_bool(o.render_as_batch),
        if o.include_object { "yes" } else { "no" }
    );
    if !o.other.is_empty() {
        let _ = write!(text, " other: {}", o.other.join(", "));
    }
    text
}

fn alembic_env(out: &mut String, env: &EnvInfo) {
    let _ = writeln!(out, "env {}", env.path);
    let _ = writeln!(out, "  imports: {}", if env.imports.is_empty() { "-".to_string() } else { env.imports.join(", ") });
    let place = env.target_metadata_place.as_ref().map(|p| format!(" at {p}")).unwrap_or_default();
    let target = match &env.target_metadata {
        TargetMetadata::None => "None".to_string(),
        TargetMetadata::Metadata { module, path, base } => {
            let path = path.as_deref().map(|p| format!(" ({p})")).unwrap_or_default();
            format!("{base}.metadata from {module}{path}")
        }
        TargetMetadata::Unknown(text) => format!("unknown: {text}"),
    };
    let _ = writeln!(out, "  target_metadata: {target}{place}");
    let _ = writeln!(out, "  models imported: {}", if env.models_imported { "yes" } else { "no" });
    for module in &env.model_modules {
        let classes: Vec<String> = module.classes.iter().map(|(c, t)| format!("{c} ({t})")).collect();
        let imported = if module.imported { "imported" } else { "NOT imported" };
        let _ = writeln!(out, "    {}: {} - {imported}", module.path, classes.join(", "));
    }
    match &env.url_override {
        Some(o) => {
            let _ = writeln!(out, "  url override: {} at {}", opt_str(&o.url), o.place);
            let _ = writeln!(out, "    origin: {}", url_origin(&o.origin));
        }
        None => out.push_str("  url override: -\n"),
    }
    if let Some(o) = &env.offline_url {
        let _ = writeln!(out, "  offline url: {} at {}", opt_str(&o.url), o.place);
        let _ = writeln!(out, "    origin: {}", url_origin(&o.origin));
    }
    let connectable = match &env.connectable {
        Connectable::FromConfig => "engine_from_config (the ini's sqlalchemy.url)".to_string(),
        Connectable::ProjectEngine { module, name } => format!("the application's engine {module}.{name}"),
        Connectable::Other(text) if text.is_empty() => "-".to_string(),
        Connectable::Other(text) => format!("other: {text}"),
    };
    let _ = writeln!(out, "  connectable: {connectable}");
    let _ = writeln!(out, "  configure: {}", options(&env.configure));
    for call in &env.configure_calls {
        let function = call.function.as_deref().map(|f| format!(" in {f}()")).unwrap_or_default();
        let _ = writeln!(out, "    {}{function} at {}: {}", call.mode.as_str(), call.place, options(&call.options));
    }
}
