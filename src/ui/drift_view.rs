//! The Drift view: what autogenerate would detect now between the models
//! and the database (in Alembic's words) or "in sync", the migrations not
//! yet applied, whether the database is at head, and the trap ahead —
//! derived (a `Memo`) from the engine's drift report after every saved
//! edit and every command.

use leptos::prelude::*;

use super::{Engine, Workbench};
use crate::engine::insight::drift::{self, AlembicSetup, Compared, Detection, DriftReport, Migrations, Trap};
use crate::engine::models::Diagnostic;

/// A sentence with `commands` in backticks, the commands as `<code>` (all text nodes).
fn with_code(sentence: &str) -> AnyView {
    sentence
        .split('`')
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { view! { <code>{part.to_string()}</code> }.into_any() } else { part.to_string().into_any() })
        .collect_view()
        .into_any()
}

/// Milliseconds since the page started (for the compute time the view reports).
fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}

#[component]
pub fn DriftView() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let workbench = expect_context::<Workbench>();
    // How long the last report took (shown as `data-compute-ms` for the bench).
    let compute_ms = StoredValue::new(0.0_f64);
    let report = Memo::new(move |_| {
        let start = now_ms();
        let report = engine.with(drift::drift_report_for);
        compute_ms.set_value(now_ms() - start);
        report
    });
    let state = move || {
        report.with(|r| match &r.detection {
            Detection::Compared(c) if c.in_sync => "in-sync",
            Detection::Compared(_) => "changes",
            _ => "unknown",
        })
    };
    let compute = move || {
        report.track();
        format!("{:.1}", compute_ms.get_value())
    };

    view! {
        <section class="drift" data-testid="drift-view" aria-label="Drift" data-state=state data-compute-ms=compute>
            <h2>"Drift"</h2>
            {move || report.with(trap_view)}
            <section class="drift-card" aria-labelledby="drift-models-title">
                <h3 id="drift-models-title">"Models → database"</h3>
                {move || report.with(sides_view)}
                {move || report.with(|r| detection_view(r, workbench))}
            </section>
            <section class="drift-card" aria-labelledby="drift-migrations-title">
                <h3 id="drift-migrations-title">"Migrations → database"</h3>
                {move || report.with(|r| migrations_view(r, workbench))}
            </section>
        </section>
    }
}

/// What is compared with what.
fn sides_view(report: &DriftReport) -> AnyView {
    let database = report.database.path.clone().or_else(|| report.database.url.clone()).unwrap_or_else(|| "the database".into());
    let missing = report.database.path.is_some() && !report.database.exists;
    let models = match &report.alembic {
        AlembicSetup::NotSetUp(why) => view! {
            <span>"Alembic isn't set up yet (" {with_code(why)} "); comparing the models with "</span>
        }
        .into_any(),
        AlembicSetup::SetUp { env_path, .. } => view! {
            <span>"Comparing the target_metadata of " <code>{env_path.clone()}</code> " with "</span>
        }
        .into_any(),
    };
    view! {
        <p class="drift-sides" data-testid="drift-sides">
            {models}
            <code>{database}</code>
            {missing.then_some(" (it doesn't exist yet: it would be created empty)")}
            "."
        </p>
    }
    .into_any()
}

fn detection_view(report: &DriftReport, workbench: Workbench) -> AnyView {
    let refusal = report.refusal.clone().map(|refusal| {
        let behind = refusal == crate::engine::alembic::env::NOT_UP_TO_DATE;
        view! {
            <p class="drift-refusal" data-testid="drift-refusal">
                <code>"alembic revision --autogenerate"</code>
                " would stop: "
                <code class="drift-failed">"FAILED: " {refusal}</code>
                {behind.then(|| with_code(" Run `alembic upgrade head` first; below, the models against the database as it is now."))}
            </p>
        }
    });
    let body = match &report.detection {
        Detection::Compared(compared) => compared_view(compared),
        Detection::PythonErrors(errors) => python_errors_view(errors, workbench),
        Detection::NoTargetMetadata(message) => {
            let env_path = match &report.alembic {
                AlembicSetup::SetUp { env_path, .. } => env_path.clone(),
                AlembicSetup::NotSetUp(_) => String::new(),
            };
            view! {
                <p class="drift-status unknown" data-testid="drift-status" data-state="unknown" role="status">
                    <code>{env_path.clone()}</code>
                    " sets target_metadata = None, so autogenerate sees no models."
                </p>
                <p class="drift-detail">
                    <code class="drift-failed">"FAILED: " {message.clone()}</code>
                </p>
                <p class="drift-detail">
                    <button type="button" class="drift-link" on:click=move |_| workbench.open(env_path.clone())>
                        "Open env.py"
                    </button>
                    " and set target_metadata = Base.metadata (importing your models)."
                </p>
            }
            .into_any()
        }
        Detection::HookFailed(why) => {
            let env_path = match &report.alembic {
                AlembicSetup::SetUp { env_path, .. } => env_path.clone(),
                AlembicSetup::NotSetUp(_) => String::new(),
            };
            view! {
                <p class="drift-status unknown" data-testid="drift-status" data-state="unknown" role="status">
                    "Autogenerate stops in env.py's filter (include_object / include_name):"
                </p>
                <pre class="drift-detail drift-failed drift-traceback" data-testid="drift-hook-error">{why.clone()}</pre>
                <p class="drift-detail">
                    <button type="button" class="drift-link" on:click=move |_| workbench.open(env_path.clone())>
                        "Open env.py"
                    </button>
                    {with_code(" — `alembic check` and `alembic revision --autogenerate` fail the same way until it is fixed.")}
                </p>
            }
            .into_any()
        }
        Detection::NoModels(why) | Detection::NoDatabase(why) => view! {
            <p class="drift-status unknown" data-testid="drift-status" data-state="unknown" role="status">
                "Nothing to compare: " {why.clone()}
            </p>
        }
        .into_any(),
    };
    view! { {refusal} {body} }.into_any()
}

fn compared_view(compared: &Compared) -> AnyView {
    let status = if compared.in_sync {
        view! {
            <p class="drift-status in-sync" data-testid="drift-status" data-state="in-sync" role="status">
                "✓ In sync: autogenerate would detect no changes."
            </p>
        }
        .into_any()
    } else {
        let n = compared.detected.iter().filter(|d| d.message.starts_with("Detected")).count().max(1);
        view! {
            <p class="drift-status changes" data-testid="drift-status" data-state="changes" role="status">
                {format!("Autogenerate would detect {n} change{}:", if n == 1 { "" } else { "s" })}
            </p>
        }
        .into_any()
    };
    let lines = (!compared.detected.is_empty()).then(|| {
        view! {
            <ul class="drift-detected" aria-label="What autogenerate detects">
                {compared
                    .detected
                    .iter()
                    .map(|d| view! {
                        <li data-testid="drift-detected" title=format!("INFO  [{}]", d.logger)>
                            <code>{d.message.clone()}</code>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    });
    let warnings = (!compared.warnings.is_empty()).then(|| {
        view! {
            <details class="drift-warnings">
                <summary>{format!("{} Python warning(s)", compared.warnings.len())}</summary>
                {compared.warnings.iter().map(|w| view! { <pre>{w.clone()}</pre> }).collect_view()}
            </details>
        }
    });
    view! { {status} {lines} {warnings} }.into_any()
}

fn python_errors_view(errors: &[Diagnostic], workbench: Workbench) -> AnyView {
    view! {
        <p class="drift-status unknown" data-testid="drift-status" data-state="errors" role="status">
            "Python would fail importing the models, so nothing can be compared until this is fixed:"
        </p>
        <ul class="drift-errors">
            {errors
                .iter()
                .map(|d| {
                    let file = d.file.clone();
                    let place = format!("{}:{}:{}", d.file, d.line, d.col);
                    view! {
                        <li data-testid="drift-error">
                            <button
                                type="button"
                                class="drift-link"
                                aria-label=format!("Open {place}")
                                on:click=move |_| workbench.open(file.clone())
                            >
                                {place.clone()}
                            </button>
                            " "
                            <code>{d.message.clone()}</code>
                            {d.hint.clone().map(|hint| view! { <span class="drift-hint">{hint}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

fn migrations_view(report: &DriftReport, workbench: Workbench) -> AnyView {
    let db = &report.database;
    let database = db.path.clone().unwrap_or_else(|| "The database".into());
    let version = if !db.under_alembic {
        "not under Alembic (no alembic_version table)".to_string()
    } else if db.current.is_empty() {
        "under Alembic, at base (no revision applied)".to_string()
    } else {
        format!("at {}", db.current.join(", "))
    };
    let database_line = view! {
        <p class="drift-database" data-testid="drift-database" data-under-alembic=db.under_alembic.to_string()>
            <code>{database}</code> " is " {version}
        </p>
    };
    let Some(m) = &report.migrations else {
        return view! {
            {database_line}
            <p class="drift-detail">"No migrations yet: there is no Alembic versions folder."</p>
        }
        .into_any();
    };
    view! { {database_line} {versions_view(m, workbench)} }.into_any()
}

fn versions_view(m: &Migrations, workbench: Workbench) -> AnyView {
    let heads = match m.heads.len() {
        0 => "No revisions in versions/ yet.".to_string(),
        1 => format!("Head: {}", m.heads[0]),
        _ => format!("Heads: {} (several: `alembic merge heads` joins them).", m.heads.join(", ")),
    };
    let (class, text) = if m.error.is_some() {
        ("drift-badge unknown", "unknown".to_string())
    } else if m.at_head {
        ("drift-badge ok", "at head".to_string())
    } else {
        let n = m.pending.len();
        ("drift-badge behind", format!("not at head: {n} migration{} to apply", if n == 1 { "" } else { "s" }))
    };
    let pending = (!m.pending.is_empty()).then(|| {
        view! {
            <ol class="drift-pending" data-testid="drift-pending" aria-label="Migrations not applied, in upgrade order">
                {m.pending
                    .iter()
                    .map(|p| {
                        let path = p.path.clone();
                        view! {
                            <li data-testid="drift-pending-item" data-rev=p.id.clone()>
                                <button
                                    type="button"
                                    class="drift-link"
                                    title=p.path.clone()
                                    on:click=move |_| workbench.open(path.clone())
                                >
                                    <code>{p.id.clone()}</code>
                                </button>
                                " "
                                {p.message.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
    });
    view! {
        <p class="drift-heads">
            <span class=class data-testid="drift-at-head" data-at-head=m.at_head.to_string()>{text}</span>
            " "
            {with_code(&heads)}
        </p>
        {pending}
        {m.error.clone().map(|e| view! { <p class="drift-error" role="status"><code>{e}</code></p> })}
    }
    .into_any()
}

/// The trap ahead, in one sentence.
fn trap_view(report: &DriftReport) -> Option<AnyView> {
    let sentence = match report.trap.as_ref()? {
        Trap::EmptyFirstMigration { existing, in_sync: true } => format!(
            "Empty-migration trap: {} already exist{} (create_all made {}), so the first `alembic revision --autogenerate` would be empty and a fresh database upgraded to head would get no tables — generate the first migration against an empty database, then run `alembic stamp head` on this one.",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
        ),
        Trap::EmptyFirstMigration { existing, in_sync: false } => format!(
            "Trap: {} already exist{} in the database, so the first autogenerated migration would leave {} out and a fresh database upgraded to head would miss {} — make the first migration against an empty database.",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" },
            if existing.len() == 1 { "it" } else { "them" },
        ),
        Trap::AlreadyCreated { revision, table, stamped: false } => format!(
            "Trap: the database already has {table} but no version row, so `alembic upgrade head` would fail creating it in {revision} — `alembic stamp {revision}` records that the database already has it."
        ),
        Trap::AlreadyCreated { revision, table, stamped: true } => format!(
            "Trap: {revision} creates {table}, which the database already has, so `alembic upgrade` would fail there."
        ),
    };
    Some(view! { <p class="drift-trap" data-testid="drift-trap" role="note">{with_code(&sentence)}</p> }.into_any())
}
