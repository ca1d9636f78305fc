//! The Project menu: share the project as a link, download it as a `.zip`
//! (a real FastAPI + Alembic project), import a `.zip` or a `.db`, undo the
//! last command or go back to before an earlier one — and whether the work
//! is kept in this browser. The engine does the work (`share`, `export`,
//! `undo`); this file only moves bytes between it and the browser.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::embed::EmbedConfig;
use super::persistence::{Persistence, SaveState};
use super::{BrowserHost, Classroom, Engine};
use crate::engine::export::{self, ExportOptions, ImportError, MAX_ZIP_BYTES};
use crate::engine::host::Host;
use crate::engine::saved::{human_size, MAX_PROJECT_BYTES};
use crate::engine::share::{self, ShareError, SharedState, MAX_URL_FRAGMENT};
use crate::engine::undo::{SnapshotInfo, UndoInfo, MAX_SNAPSHOTS, MAX_SNAPSHOT_BYTES};
use crate::engine::{Project, Session};

/// Names a list of paths: `a`, `a and b`, `a, b and 3 more`.
fn name_paths(paths: &[String]) -> String {
    const SHOWN: usize = 6;
    match paths {
        [] => String::new(),
        [one] => one.clone(),
        _ if paths.len() <= SHOWN => {
            format!("{} and {}", paths[..paths.len() - 1].join(", "), paths[paths.len() - 1])
        }
        _ => format!("{} and {} more", paths[..SHOWN].join(", "), paths.len() - SHOWN),
    }
}

/// What an undo did, in a sentence.
fn undone(info: &UndoInfo) -> String {
    let mut text = format!("Undid `{}`.", info.command);
    if info.changed.is_empty() {
        text.push_str(" The folders are as they were before it.");
    } else {
        text.push_str(&format!(" Back as before it: {}.", name_paths(&info.changed)));
    }
    if !info.app_output.is_empty() {
        text.push_str(&format!("\nThe running app reloaded:\n{}", info.app_output.trim_end()));
    }
    text
}

/// Undoes the last command that changed files or databases (a command
/// for the views: they highlight what changed). What happened, in words.
pub fn undo_last_command(engine: Engine) -> Result<String, String> {
    engine.run(|s| s.undo_last()).map(|info| undone(&info))
}

/// Brings the project back to before command `index` (its place in
/// `Session::history`), for a terminal entry's undo button.
pub fn restore_before_command(engine: Engine, index: usize) -> Result<String, String> {
    engine.run(|s| s.restore_before(index)).map(|info| undone(&info))
}

/// Offers `bytes` as a download named `name` (a Blob's object URL on an
/// `<a download>`, revoked a minute later).
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |what: &str, e: JsValue| format!("{what}: {}", e.as_string().unwrap_or_else(|| format!("{e:?}")));
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| fail("the browser could not make the file", e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| fail("the browser could not offer the file", e))?;
    let anchor = document()
        .create_element("a")
        .map_err(|e| fail("the browser could not offer the file", e))?
        .unchecked_into::<web_sys::HtmlAnchorElement>();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// `promise.then(ok, failed)`, the closures freeing themselves once called.
fn then(promise: &js_sys::Promise, ok: impl FnOnce(JsValue) + 'static, failed: impl FnOnce(JsValue) + 'static) {
    let ok = Closure::once_into_js(ok);
    let failed = Closure::once_into_js(failed);
    if let Ok(then) = js_sys::Reflect::get(promise, &JsValue::from_str("then")) {
        let _ = then.unchecked_into::<js_sys::Function>().call2(promise, &ok, &failed);
    }
}

/// The project as a `.zip`, named after its folder.
fn export_project(engine: Engine) -> Result<String, String> {
    let options = ExportOptions { modified: Some(BrowserHost.now()), ..ExportOptions::default() };
    let bytes = engine.with_untracked(|s| export::export_zip(&s.project, &options));
    let name = format!("{}.zip", options.folder);
    download(&name, &bytes, "application/zip")?;
    Ok(format!(
        "Downloaded {name} ({}): the project as a FastAPI + Alembic folder with its databases; its README says how to run it.",
        human_size(bytes.len())
    ))
}

/// A message in the menu: good news or a problem.
#[derive(Clone, Debug, PartialEq)]
struct Message {
    error: bool,
    text: String,
    /// Offer the `.zip` next to it (a project too large for a link).
    offer_zip: bool,
}

impl Message {
    fn ok(text: impl Into<String>) -> Option<Message> {
        Some(Message { error: false, text: text.into(), offer_zip: false })
    }
    fn error(text: impl Into<String>) -> Option<Message> {
        Some(Message { error: true, text: text.into(), offer_zip: false })
    }
}

/// An import waiting for the learner's yes.
enum Pending {
    /// A whole project from a zip file.
    Project { name: String, project: Project },
    /// A database replacing a file of the same name.
    Database { name: String, bytes: Vec<u8> },
}

/// The kinds of files import takes, by their first bytes, then their name.
fn looks_like_zip(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || name.to_ascii_lowercase().ends_with(".zip")
}

fn looks_like_database(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    bytes.starts_with(b"SQLite format 3\0") || [".db", ".sqlite", ".sqlite3"].iter().any(|ext| lower.ends_with(ext))
}

#[component]
pub fn ProjectMenu() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let classroom = expect_context::<Classroom>();
    let persistence = use_context::<Persistence>();
    let readonly = use_context::<EmbedConfig>().is_some_and(|c| c.embed && c.readonly);

    let open = RwSignal::new(false);
    let message = RwSignal::new(None::<Message>);
    let link = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(None::<String>);
    let pending = StoredValue::new_local(None::<Pending>);
    let button_ref = NodeRef::<html::Button>::new();
    let snapshots = Memo::new(move |_| engine.with(|s| s.undo_history().snapshots().collect::<Vec<SnapshotInfo>>()));

    let close = move || {
        open.set(false);
        if let Some(button) = button_ref.get_untracked() {
            let _ = button.focus();
        }
    };

    let share_link = move |_| {
        let (lesson, step) = classroom.progress.with_untracked(|p| {
            let step = p.current.as_ref().and_then(|slug| p.lessons.get(slug)).map(|lp| lp.step);
            (p.current.clone(), step)
        });
        let state = SharedState { project: engine.with_untracked(|s| s.project.clone()), lesson, step };
        match share::encode(&state) {
            Ok(fragment) => {
                let location = window().location();
                let url = format!(
                    "{}{}#project={fragment}",
                    location.origin().unwrap_or_default(),
                    location.pathname().unwrap_or_else(|_| "/".to_string())
                );
                let size = human_size(url.len());
                link.set(Some(url.clone()));
                message.set(Message::ok(format!(
                    "A link of {size} holding the files, the databases and the lesson step. Anyone who opens it gets this project; nothing is uploaded."
                )));
                then(
                    &window().navigator().clipboard().write_text(&url),
                    move |_| {
                        message.update(|m| {
                            if let Some(m) = m {
                                m.text = format!("Link copied to the clipboard. {}", m.text);
                            }
                        })
                    },
                    |_| {},
                );
            }
            Err(e @ ShareError::TooLarge { .. }) => {
                link.set(None);
                message.set(Some(Message { error: true, text: e.to_string(), offer_zip: true }));
            }
            Err(e) => {
                link.set(None);
                message.set(Message::error(e.to_string()));
            }
        }
    };

    let download_zip = move || match export_project(engine) {
        Ok(text) => message.set(Message::ok(text)),
        Err(e) => message.set(Message::error(format!("The download failed: {e}."))),
    };

    let undo_last = move |_| match undo_last_command(engine) {
        Ok(text) => message.set(Message::ok(text)),
        Err(e) => message.set(Message::error(e)),
    };
    let restore_before = move |index: usize| match restore_before_command(engine, index) {
        Ok(text) => message.set(Message::ok(text)),
        Err(e) => message.set(Message::error(e)),
    };

    // A file chosen for import: a project zip (asks first), or a database.
    let imported = move |name: String, bytes: Vec<u8>| {
        confirm.set(None);
        if looks_like_zip(&name, &bytes) {
            match export::import_zip(&bytes) {
                Ok(project) => {
                    let files = project.files().count();
                    confirm.set(Some(format!(
                        "{name} holds a project of {files} files. Replace your project with it? Your files and databases are replaced and the terminal starts afresh (download a .zip first to keep them)."
                    )));
                    pending.set_value(Some(Pending::Project { name, project }));
                    message.set(None);
                }
                Err(e) => message.set(Message::error(e.to_string())),
            }
        } else if looks_like_database(&name, &bytes) {
            let exists = engine.with_untracked(|s| {
                let file = name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_string();
                s.project.is_file(&file).then_some(file)
            });
            match exists {
                Some(file) => {
                    confirm.set(Some(format!("Replace the project's {file} with the database from {name}?")));
                    pending.set_value(Some(Pending::Database { name, bytes }));
                    message.set(None);
                }
                None => match engine.run(|s| export::import_database(&mut s.project, &name, &bytes)) {
                    Ok(path) => message.set(Message::ok(format!("Imported {path}: it is in the Database view."))),
                    Err(e) => message.set(Message::error(e.to_string())),
                },
            }
        } else {
            message.set(Message::error(format!(
                "Can't import {name:?}: driftlab imports a .zip of a project or an SQLite database (.db, .sqlite)."
            )));
        }
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // The same file can be chosen again.
        input.set_value("");
        let name = file.name();
        let size = file.size() as usize;
        let max = MAX_ZIP_BYTES.max(MAX_PROJECT_BYTES);
        if size > max {
            message.set(Message::error(ImportError::TooLarge { size, max }.to_string()));
            return;
        }
        message.set(Message::ok(format!("Reading {name}…")));
        let failed_name = name.clone();
        then(
            &file.array_buffer(),
            move |buffer| imported(name, js_sys::Uint8Array::new(&buffer).to_vec()),
            move |_| message.set(Message::error(format!("The browser could not read {failed_name:?}."))),
        );
    };

    let confirm_import = move |_| {
        confirm.set(None);
        match pending.try_update_value(Option::take).flatten() {
            Some(Pending::Project { name, project }) => {
                engine.replace(Session::new(project));
                message.set(Message::ok(format!("Imported {name}.")));
            }
            Some(Pending::Database { name, bytes }) => {
                match engine.run(|s| export::import_database(&mut s.project, &name, &bytes)) {
                    Ok(path) => message.set(Message::ok(format!("Imported {path}: it is in the Database view."))),
                    Err(e) => message.set(Message::error(e.to_string())),
                }
            }
            None => {}
        }
    };
    let cancel_import = move |_| {
        confirm.set(None);
        pending.set_value(None);
        message.set(Message::ok("Nothing was imported."));
    };

    let save_status = move || {
        persistence.map(|p| match p.save_state.get() {
            SaveState::Pending => "Your work is kept in this browser after every change.".to_string(),
            SaveState::Saved { bytes } => format!("Kept in this browser ({}), after every change.", human_size(bytes)),
            SaveState::Failed(reason) => format!("Not kept in this browser: {reason}. Download a .zip to keep your work."),
            SaveState::Off(reason) => format!("Not kept in this browser: {reason}."),
        })
    };

    let undo_label = move || {
        snapshots.with(|list| match list.last() {
            Some(last) => format!("Undo `{}`", last.command),
            None => "Undo last command".to_string(),
        })
    };

    let panel = move || {
        view! {
            <div
                id="project-panel"
                class="project-panel"
                role="dialog"
                aria-label="Project"
                data-testid="project-panel"
                on:keydown=move |ev: KeyboardEvent| {
                    if ev.key() == "Escape" {
                        ev.prevent_default();
                        close();
                    }
                }
            >
                <div class="project-panel-head">
                    <h2>"Project"</h2>
                    <button type="button" class="project-close" aria-label="Close the Project menu" on:click=move |_| close()>
                        "×"
                    </button>
                </div>
                <section aria-label="Share">
                    <div class="project-row">
                        <button type="button" data-testid="share-link" on:click=share_link>"Share link"</button>
                        <button type="button" data-testid="export-zip" on:click=move |_| download_zip()>"Download .zip"</button>
                    </div>
                    {move || link.get().map(|url| view! {
                        <label class="project-link">
                            <span class="visually-hidden">"Share link"</span>
                            <input
                                type="text"
                                readonly
                                data-testid="share-url"
                                prop:value=url
                                on:focus=move |ev| {
                                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        input.select();
                                    }
                                }
                            />
                        </label>
                    })}
                    <p class="project-note">
                        {format!(
                            "A link holds the project compressed in its #fragment (up to {}); nothing is uploaded. A .zip is a real project for Python, Alembic and uvicorn.",
                            human_size(MAX_URL_FRAGMENT)
                        )}
                    </p>
                </section>
                {(!readonly).then(|| view! {
                    <section aria-label="Import">
                        <label class="project-import">
                            "Import a .zip or a .db: "
                            <input
                                type="file"
                                data-testid="import-file"
                                accept=".zip,.db,.sqlite,.sqlite3,application/zip"
                                on:change=on_file
                            />
                        </label>
                        {move || confirm.get().map(|question| view! {
                            <div class="project-confirm" role="alertdialog" aria-label="Replace the project?">
                                <p>{question}</p>
                                <button type="button" class="danger" data-testid="import-confirm" on:click=confirm_import>"Replace"</button>
                                <button type="button" data-testid="import-cancel" on:click=cancel_import>"Cancel"</button>
                            </div>
                        })}
                    </section>
                    <section aria-label="Undo">
                        <div class="project-row">
                            <button
                                type="button"
                                data-testid="undo-last"
                                disabled=move || snapshots.with(Vec::is_empty)
                                on:click=undo_last
                            >
                                {undo_label}
                            </button>
                        </div>
                        <details class="project-history">
                            <summary>{move || format!("Go back to before a command ({} kept)", snapshots.with(Vec::len))}</summary>
                            <ol reversed>
                                {move || snapshots.get().into_iter().rev().map(|snapshot| {
                                    let index = snapshot.index;
                                    view! {
                                        <li>
                                            <code>{snapshot.command}</code>
                                            <button
                                                type="button"
                                                data-testid="restore-before"
                                                data-index=index.to_string()
                                                on:click=move |_| restore_before(index)
                                            >
                                                "Go back to before it"
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <p class="project-note">
                                {format!(
                                    "Every command that changes files or databases leaves a snapshot of the project before it: the newest {MAX_SNAPSHOTS} are kept, and at most {} of file contents only they hold (unchanged files are shared, not copied).",
                                    human_size(MAX_SNAPSHOT_BYTES)
                                )}
                            </p>
                        </details>
                    </section>
                })}
                <p
                    class="project-message"
                    data-testid="project-message"
                    role="status"
                    data-error=move || message.with(|m| m.as_ref().is_some_and(|m| m.error).to_string())
                >
                    {move || message.get().map(|m| m.text)}
                </p>
                {move || message.with(|m| m.as_ref().is_some_and(|m| m.offer_zip)).then(|| view! {
                    <button type="button" data-testid="offer-zip" on:click=move |_| download_zip()>"Download .zip instead"</button>
                })}
                <p class="project-save" data-testid="save-status">{save_status}</p>
            </div>
        }
    };

    view! {
        <div class="project-menu">
            <button
                type="button"
                class="project-menu-button"
                data-testid="project-menu"
                node_ref=button_ref
                aria-expanded=move || open.get().to_string()
                aria-controls="project-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Project ▾"
            </button>
            <Show when=move || open.get()>{panel}</Show>
        </div>
    }
}
