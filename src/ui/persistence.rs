//! Keeping the session across reloads: which state the page starts in
//! (an embed's, a share link's, the saved one, or a fresh one), autosave
//! after every change, and the notice that says when something could not be
//! read, opened or kept — never dropping saved data silently.
//!
//! Where: `localStorage`, key [`SESSION_KEY`], the engine's `SavedSession`
//! JSON (format-versioned). localStorage is synchronous, so the pending save
//! is written at once when the page is hidden or unloaded (`pagehide`), and a
//! reload right after a command loses nothing; a starter-sized session is
//! ~50 KB of the ~5 MB the browser gives a site. When a save fails (storage
//! full or refused, a project over the engine's limits) the page says so and
//! offers the `.zip`.
//!
//! Start precedence: an embed URL (`?embed=1`: reads and writes nothing, so a
//! docs page never touches the learner's own work) → a share link
//! (`#project=…`: the learner's saved session is kept aside until they
//! choose, and the fragment leaves the address bar so a reload restores the
//! work done since) → the saved session → a fresh start. A saved session
//! that can't be read is moved to [`UNREADABLE_KEY`] and offered as a
//! download until the learner lets it go.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::embed::{percent_decode, EmbedConfig};
use super::{Classroom, Engine, SideTab, TerminalFeed, Workbench};
use crate::engine::lesson::{Course, CourseProgress, LessonProgress};
use crate::engine::saved::{human_size, LoadError, SavedSession, TerminalEntry};
use crate::engine::share::{self, SharedState};
use crate::engine::{Project, Session};

/// Where the session is kept.
pub const SESSION_KEY: &str = "driftlab.session";
/// The learner's own session while a share link's project is open, until they choose.
pub const REPLACED_KEY: &str = "driftlab.session.replaced";
/// A saved session that could not be read, until the learner lets it go.
pub const UNREADABLE_KEY: &str = "driftlab.session.unreadable";
/// Autosave waits this long after the last change.
const DEBOUNCE_MS: u32 = 300;

// ------------------------------------------------------------------ state

/// The pane sizes and the lesson area, shared by the workspace and autosave.
#[derive(Clone, Copy)]
pub struct PaneLayout {
    pub lesson_open: RwSignal<bool>,
    /// The code/terminal column's width and the code area's height, in percent.
    pub left: RwSignal<f64>,
    pub top: RwSignal<f64>,
}

impl Default for PaneLayout {
    fn default() -> Self {
        PaneLayout { lesson_open: RwSignal::new(true), left: RwSignal::new(58.0), top: RwSignal::new(52.0) }
    }
}

/// The layout as a saved session keeps it.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Layout {
    #[serde(default)]
    open_file: Option<String>,
    #[serde(default)]
    side_tab: Option<String>,
    #[serde(default)]
    lesson_open: Option<bool>,
    #[serde(default)]
    left: Option<f64>,
    #[serde(default)]
    top: Option<f64>,
}

/// The terminal as shown, for autosave; and the entries a restored session
/// brought back, for the terminal to show first.
#[derive(Clone, Copy)]
pub struct TerminalRecord {
    shown: RwSignal<Vec<TerminalEntry>>,
    restored: StoredValue<Vec<TerminalEntry>>,
}

impl TerminalRecord {
    fn new() -> Self {
        TerminalRecord { shown: RwSignal::new(Vec::new()), restored: StoredValue::new(Vec::new()) }
    }

    /// The terminal's entries as it shows them now (call it whenever they change).
    pub fn record(&self, entries: Vec<TerminalEntry>) {
        self.shown.set(entries);
    }

    /// The entries to show when the terminal starts (a restored session's);
    /// empty after the first call.
    pub fn take_restored(&self) -> Vec<TerminalEntry> {
        self.restored.try_update_value(std::mem::take).unwrap_or_default()
    }
}

/// What the page tells the learner about keeping and opening their work.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// The saved session could not be read; the page started fresh. `raw`
    /// is offered as a download; `kept` says whether it is still in storage.
    Unreadable { reason: String, raw: Arc<str>, kept: bool },
    /// The browser gives driftlab no storage: nothing survives a reload.
    NoStorage { reason: String },
    /// The last save failed.
    NotSaved { reason: String },
    /// A share link could not be opened.
    BadLink { reason: String },
    /// A share link was opened; `kept_previous`: the learner's own session is aside.
    Shared { kept_previous: bool, lesson: Option<String>, missing_lesson: Option<String> },
    /// The session was restored but part of it was not.
    Partial { reason: String },
}

/// How the last save went.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    /// Nothing saved yet in this page.
    Pending,
    /// Kept in this browser: the saved size.
    Saved { bytes: usize },
    /// Not kept: why.
    Failed(String),
    /// This page keeps nothing (an embed, no storage): why.
    Off(String),
}

/// Autosave and the start state, for the components that show them.
#[derive(Clone, Copy)]
pub struct Persistence {
    pub terminal: TerminalRecord,
    pub panes: PaneLayout,
    /// What the notice area shows, oldest first, with ids for their keys.
    pub notices: RwSignal<Vec<(u64, Notice)>>,
    pub save_state: RwSignal<SaveState>,
    next_notice: StoredValue<u64>,
    /// Whether this page writes the session at all.
    enabled: StoredValue<bool>,
    /// An unreadable session could not be moved aside: nothing is written
    /// over it until the learner chooses.
    held: RwSignal<bool>,
    pending: StoredValue<bool>,
    timer: StoredValue<Option<Timeout>, LocalStorage>,
    last_written: StoredValue<Option<u64>>,
}

impl Persistence {
    /// `enabled`: whether this page keeps the session (not in an embed).
    pub fn new(enabled: bool) -> Self {
        Persistence {
            terminal: TerminalRecord::new(),
            panes: PaneLayout::default(),
            notices: RwSignal::new(Vec::new()),
            save_state: RwSignal::new(if enabled {
                SaveState::Pending
            } else {
                SaveState::Off("an embedded page keeps nothing".to_string())
            }),
            next_notice: StoredValue::new(0),
            enabled: StoredValue::new(enabled),
            held: RwSignal::new(false),
            pending: StoredValue::new(false),
            timer: StoredValue::new_local(None),
            last_written: StoredValue::new(None),
        }
    }

    /// Whether this page keeps the session.
    pub fn enabled(&self) -> bool {
        self.enabled.get_value()
    }

    pub fn notify(&self, notice: Notice) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        self.notices.update(|list| {
            // One "not saved" at a time: the newest reason.
            if matches!(notice, Notice::NotSaved { .. }) {
                list.retain(|(_, n)| !matches!(n, Notice::NotSaved { .. }));
            }
            list.push((id, notice));
        });
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|list| list.retain(|(i, _)| *i != id));
    }

    fn clear_not_saved(&self) {
        if self.notices.with_untracked(|list| list.iter().any(|(_, n)| matches!(n, Notice::NotSaved { .. }))) {
            self.notices.update(|list| list.retain(|(_, n)| !matches!(n, Notice::NotSaved { .. })));
        }
    }
}

/// What the page started with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartState {
    /// Nothing kept (or nothing readable): the starter project, or the
    /// current lesson's start.
    Fresh,
    /// The session saved before the reload.
    Restored,
    /// A share link's project.
    Shared,
    /// An embed URL's lesson step or project.
    Embedded,
}

impl StartState {
    /// As `html[data-start]` carries it.
    pub fn name(self) -> &'static str {
        match self {
            StartState::Fresh => "fresh",
            StartState::Restored => "restored",
            StartState::Shared => "shared",
            StartState::Embedded => "embedded",
        }
    }
}

// ---------------------------------------------------------------- storage

/// The page's localStorage, or why there is none.
fn storage() -> Result<web_sys::Storage, String> {
    match window().local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser has no local storage".to_string()),
        Err(e) => Err(format!("the browser refused access to its storage: {}", js_error_text(&e))),
    }
}

/// A DOMException's name and message, or whatever JavaScript threw, as text.
fn js_error_text(e: &JsValue) -> String {
    let field = |name: &str| js_sys::Reflect::get(e, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    match (field("name"), field("message")) {
        (Some(name), Some(message)) if !message.is_empty() => format!("{name}: {message}"),
        (Some(name), _) => name,
        _ => e.as_string().unwrap_or_else(|| "an unknown error".to_string()),
    }
}

fn is_quota_error(e: &JsValue) -> bool {
    js_sys::Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|name| name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED")
}

fn read_key(storage: &web_sys::Storage, key: &str) -> Result<Option<String>, String> {
    storage.get_item(key).map_err(|e| format!("the browser refused to read its storage: {}", js_error_text(&e)))
}

fn remove_key(key: &str) {
    if let Ok(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

// ------------------------------------------------------------------ start

/// Puts the page in its starting state (see the module's documentation for
/// the precedence) and marks `html[data-start]`. Call once, after the
/// contexts are provided and before the workspace mounts.
pub fn restore_on_start(
    engine: Engine,
    classroom: Classroom,
    workbench: Workbench,
    persistence: Persistence,
    embed: &EmbedConfig,
) -> StartState {
    let state = if embed.embed {
        start_embedded(engine, classroom, persistence, embed);
        StartState::Embedded
    } else {
        start_page(engine, classroom, workbench, persistence)
    };
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-start", state.name());
    }
    state
}

/// The share fragment in a location hash: `#project=v1.…` (or a bare `#v1.…`).
fn share_fragment(hash: &str) -> Option<String> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if let Some(fragment) = hash.strip_prefix("project=") {
        return Some(percent_decode(fragment));
    }
    hash.starts_with("v1.").then(|| hash.to_string())
}

/// Takes the share fragment out of the address bar (no reload), so that a
/// reload restores the work done since instead of opening the link again.
fn clear_fragment() {
    let location = window().location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

fn start_page(engine: Engine, classroom: Classroom, workbench: Workbench, persistence: Persistence) -> StartState {
    let store = storage();
    // A share link first: what the learner just opened.
    listen_for_links(engine, classroom, workbench, persistence);
    if let Some(fragment) = share_fragment(&window().location().hash().unwrap_or_default()) {
        clear_fragment();
        if open_link(engine, classroom, persistence, &fragment) {
            match store {
                Ok(store) => report_leftovers(&store, persistence),
                Err(reason) => no_storage(persistence, reason),
            }
            return StartState::Shared;
        }
    }
    let store = match store {
        Ok(store) => store,
        Err(reason) => {
            no_storage(persistence, reason);
            start_fresh(engine, classroom);
            return StartState::Fresh;
        }
    };
    report_leftovers(&store, persistence);
    let raw = match read_key(&store, SESSION_KEY) {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            start_fresh(engine, classroom);
            return StartState::Fresh;
        }
        Err(reason) => {
            no_storage(persistence, reason);
            start_fresh(engine, classroom);
            return StartState::Fresh;
        }
    };
    match restore_saved(engine, classroom, workbench, persistence, &raw) {
        Ok(()) => StartState::Restored,
        Err(e) => {
            // Moved aside (so autosave can go on) and offered as a download.
            let kept = store.set_item(UNREADABLE_KEY, &raw).is_ok();
            if kept {
                let _ = store.remove_item(SESSION_KEY);
            } else {
                hold(persistence);
            }
            persistence.notify(Notice::Unreadable { reason: e.to_string(), raw: raw.into(), kept });
            start_fresh(engine, classroom);
            StartState::Fresh
        }
    }
}

/// Opens a share link's fragment: the learner's saved session set aside
/// (the first one only: a second link doesn't push it out), the shared
/// project in, a notice either way. Whether it opened.
fn open_link(engine: Engine, classroom: Classroom, persistence: Persistence, fragment: &str) -> bool {
    match share::decode(fragment) {
        Ok(shared) => {
            let kept_previous = storage().as_ref().is_ok_and(keep_aside);
            let (lesson, missing_lesson) = open_shared(engine, classroom, shared);
            persistence.notify(Notice::Shared { kept_previous, lesson, missing_lesson });
            true
        }
        Err(e) => {
            persistence.notify(Notice::BadLink { reason: e.to_string() });
            false
        }
    }
}

/// A share link pasted into the address bar of an open page changes only
/// its fragment (no reload): opened as at start, after saving what is pending.
fn listen_for_links(engine: Engine, classroom: Classroom, workbench: Workbench, persistence: Persistence) {
    let on_hash = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        let Some(fragment) = share_fragment(&window().location().hash().unwrap_or_default()) else { return };
        clear_fragment();
        if persistence.pending.get_value() {
            save_now(engine, classroom, workbench, persistence);
        }
        open_link(engine, classroom, persistence, &fragment);
    });
    let _ = window().add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
    on_hash.forget(); // lives as long as the page
}

/// An unreadable session left from an earlier visit is offered again.
fn report_leftovers(store: &web_sys::Storage, persistence: Persistence) {
    if let Ok(Some(raw)) = read_key(store, UNREADABLE_KEY) {
        let reason = match SavedSession::from_json(&raw) {
            Err(e) => e.to_string(),
            Ok(_) => "It was set aside on an earlier visit.".to_string(),
        };
        persistence.notify(Notice::Unreadable { reason, raw: raw.into(), kept: true });
    }
}

/// Nothing is written over an unreadable saved session that could not be
/// moved aside, until the learner lets it go ([`release`]).
fn hold(persistence: Persistence) {
    persistence.held.set(true);
    persistence.save_state.set(SaveState::Off(
        "nothing is saved over the saved data that could not be read until you choose what to do with it".to_string(),
    ));
}

fn release(persistence: Persistence) {
    if persistence.held.get_untracked() {
        persistence.held.set(false);
        persistence.save_state.set(SaveState::Pending);
    }
}

fn no_storage(persistence: Persistence, reason: String) {
    persistence.enabled.set_value(false);
    persistence.save_state.set(SaveState::Off(reason.clone()));
    persistence.notify(Notice::NoStorage { reason });
}

/// Copies the learner's saved session aside before a share link replaces
/// it; whether there was one to keep.
fn keep_aside(store: &web_sys::Storage) -> bool {
    match read_key(store, SESSION_KEY) {
        // An earlier copy aside is not overwritten by a second link.
        Ok(Some(raw)) if read_key(store, REPLACED_KEY).ok().flatten().is_none() => {
            store.set_item(REPLACED_KEY, &raw).is_ok()
        }
        Ok(Some(_)) => true,
        _ => read_key(store, REPLACED_KEY).ok().flatten().is_some(),
    }
}

/// A fresh start: the lesson the learner was in begins again (its start
/// state, its done steps kept); in the sandbox, the starter project as it is.
fn start_fresh(engine: Engine, classroom: Classroom) {
    let Some(slug) = classroom.progress.with_untracked(|p| p.current.clone()) else { return };
    match Course::embedded().start(&slug) {
        Ok((session, mut progress)) => {
            engine.replace(session);
            classroom.progress.update(|p| {
                if let Some(old) = p.lessons.get(&slug) {
                    progress.done = old.done.clone();
                }
                p.lessons.insert(slug, progress);
            });
        }
        Err(_) => classroom.progress.update(|p| p.current = None),
    }
}

/// Puts a saved session's JSON back: the session, the terminal, the lesson
/// progress, the layout. Nothing changes when it can't be read.
fn restore_saved(
    engine: Engine,
    classroom: Classroom,
    workbench: Workbench,
    persistence: Persistence,
    raw: &str,
) -> Result<(), LoadError> {
    let saved = SavedSession::from_json(raw)?;
    let terminal = saved.terminal.clone();
    let lesson = saved.lesson.clone();
    let layout = saved.layout.clone();
    let mut session = Session::new(Project::new());
    session.restore(saved)?;
    // Before the new session: the terminal takes them when it starts afresh.
    persistence.terminal.restored.set_value(terminal.clone());
    persistence.terminal.shown.set(terminal);
    engine.replace(session);
    if !lesson.is_null() {
        match serde_json::from_value::<CourseProgress>(lesson) {
            Ok(progress) => classroom.progress.set(progress),
            Err(e) => persistence.notify(Notice::Partial {
                reason: format!("The lesson progress in it could not be read ({e}); the lesson pane shows what it kept."),
            }),
        }
    }
    apply_layout(layout, engine, workbench, persistence.panes);
    Ok(())
}

fn apply_layout(layout: Value, engine: Engine, workbench: Workbench, panes: PaneLayout) {
    let Ok(layout) = serde_json::from_value::<Layout>(layout) else { return };
    if let Some(path) = layout.open_file.filter(|p| engine.with_untracked(|s| s.project.is_file(p))) {
        workbench.open_file.set(Some(path));
    }
    match layout.side_tab.as_deref() {
        Some("database") => workbench.side_tab.set(SideTab::Database),
        Some("drift") => workbench.side_tab.set(SideTab::Drift),
        Some("history") => workbench.side_tab.set(SideTab::History),
        _ => {}
    }
    if let Some(open) = layout.lesson_open {
        panes.lesson_open.set(open);
    }
    let size = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| v.clamp(15.0, 85.0));
    if let Some(left) = size(layout.left) {
        panes.left.set(left);
    }
    if let Some(top) = size(layout.top) {
        panes.top.set(top);
    }
}

fn layout_value(workbench: Workbench, panes: PaneLayout) -> Value {
    let layout = Layout {
        open_file: workbench.open_file.get_untracked(),
        side_tab: Some(
            match workbench.side_tab.get_untracked() {
                SideTab::Database => "database",
                SideTab::Drift => "drift",
                SideTab::History => "history",
            }
            .to_string(),
        ),
        lesson_open: Some(panes.lesson_open.get_untracked()),
        left: Some(panes.left.get_untracked()),
        top: Some(panes.top.get_untracked()),
    };
    serde_json::to_value(layout).unwrap_or(Value::Null)
}

/// Opens a shared state: its project in a new session, its lesson at its
/// step (keeping the learner's done steps of that lesson), or the sandbox.
/// The lesson opened, and a lesson the link names that this driftlab lacks.
fn open_shared(engine: Engine, classroom: Classroom, shared: SharedState) -> (Option<String>, Option<String>) {
    engine.replace(Session::new(shared.project));
    let Some(slug) = shared.lesson else {
        classroom.progress.update(|p| p.current = None);
        return (None, None);
    };
    let Some(lesson) = Course::embedded().lesson(&slug) else {
        classroom.progress.update(|p| p.current = None);
        return (None, Some(slug));
    };
    go_to_lesson_step(engine, classroom, lesson, shared.step.unwrap_or(0));
    (Some(format!("{}. {}", lesson.number, lesson.title)), None)
}

/// Shows `lesson` at `step` on the session as it is (no solutions performed).
fn go_to_lesson_step(engine: Engine, classroom: Classroom, lesson: &'static crate::engine::lesson::Lesson, step: usize) {
    classroom.progress.update(|p| {
        p.current = Some(lesson.slug.clone());
        let progress = p
            .lessons
            .entry(lesson.slug.clone())
            .or_insert_with(|| engine.with_untracked(|s| LessonProgress::new(lesson, s)));
        engine.with_untracked(|s| progress.go_to(lesson, step, s));
    });
}

/// The embed's state: its project (a share fragment) or its lesson played
/// up to its step (the steps before performed as "show me" would, their
/// commands shown in the terminal); nothing read from or written to storage.
fn start_embedded(engine: Engine, classroom: Classroom, persistence: Persistence, embed: &EmbedConfig) {
    // The learner's own progress is not the embed's.
    classroom.progress.set(CourseProgress::default());
    let course = Course::embedded();
    let lesson = match embed.lesson.as_deref() {
        Some(name) => match course.find(name) {
            Some(lesson) => Some(lesson),
            None => {
                persistence.notify(Notice::BadLink { reason: format!("There is no lesson {name:?} in this driftlab.") });
                None
            }
        },
        None => None,
    };
    if let Some(fragment) = &embed.project {
        match share::decode(fragment) {
            Ok(shared) => {
                let step = embed.step.or(shared.step);
                engine.replace(Session::new(shared.project));
                match lesson.or_else(|| shared.lesson.as_deref().and_then(|slug| course.lesson(slug))) {
                    Some(lesson) => go_to_lesson_step(engine, classroom, lesson, step.unwrap_or(0)),
                    None => classroom.progress.update(|p| p.current = None),
                }
                return;
            }
            Err(e) => persistence.notify(Notice::BadLink { reason: e.to_string() }),
        }
    }
    let Some(lesson) = lesson else {
        classroom.progress.update(|p| p.current = None);
        return;
    };
    let (mut session, mut progress) = match course.start(&lesson.slug) {
        Ok(started) => started,
        Err(e) => {
            persistence.notify(Notice::BadLink { reason: format!("The lesson could not be started: {e}") });
            classroom.progress.update(|p| p.current = None);
            return;
        }
    };
    let step = embed.step.unwrap_or(0).min(lesson.steps.len().saturating_sub(1));
    let mut transcript = Vec::new();
    for index in 0..step {
        match progress.show_me(lesson, &mut session) {
            Ok(shown) => transcript.extend(shown),
            Err(e) => {
                persistence.notify(Notice::BadLink { reason: format!("Step {} could not be played: {e}", index + 1) });
                break;
            }
        }
        progress.evaluate(lesson, &session);
        progress.go_to(lesson, index + 1, &session);
    }
    engine.replace(session);
    classroom.progress.update(|p| {
        p.current = Some(lesson.slug.clone());
        p.lessons.insert(lesson.slug.clone(), progress);
    });
    if let Some(feed) = use_context::<TerminalFeed>() {
        feed.push(transcript);
    }
}

// --------------------------------------------------------------- autosave

/// Saves the session after every change (files, databases, terminal,
/// lesson progress, layout), [`DEBOUNCE_MS`] after the last one, and at
/// once when the page is hidden or left. Nothing in an embed.
pub fn install_autosave(engine: Engine, classroom: Classroom, workbench: Workbench, persistence: Persistence) {
    if !persistence.enabled() {
        return;
    }
    Effect::new(move |_| {
        engine.with(|_| ());
        classroom.progress.track();
        workbench.open_file.track();
        workbench.side_tab.track();
        persistence.terminal.shown.track();
        persistence.panes.lesson_open.track();
        persistence.panes.left.track();
        persistence.panes.top.track();
        persistence.held.track();
        schedule(engine, classroom, workbench, persistence);
    });
    let flush = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        if persistence.pending.get_value() {
            save_now(engine, classroom, workbench, persistence);
        }
    });
    let _ = window().add_event_listener_with_callback("pagehide", flush.as_ref().unchecked_ref());
    let hidden = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        if document().hidden() && persistence.pending.get_value() {
            save_now(engine, classroom, workbench, persistence);
        }
    });
    let _ = document().add_event_listener_with_callback("visibilitychange", hidden.as_ref().unchecked_ref());
    // They live as long as the page.
    flush.forget();
    hidden.forget();
}

fn schedule(engine: Engine, classroom: Classroom, workbench: Workbench, persistence: Persistence) {
    if !persistence.enabled() || persistence.held.get_untracked() {
        return;
    }
    persistence.pending.set_value(true);
    // Replacing the timer cancels the one before: the save runs once, after the last change.
    let timer = Timeout::new(DEBOUNCE_MS, move || {
        if persistence.pending.get_value() {
            save_now(engine, classroom, workbench, persistence);
        }
    });
    persistence.timer.set_value(Some(timer));
}

/// Writes the session now.
fn save_now(engine: Engine, classroom: Classroom, workbench: Workbench, persistence: Persistence) {
    persistence.pending.set_value(false);
    if !persistence.enabled() || persistence.held.get_untracked() {
        return;
    }
    let saved = engine
        .with_untracked(|s| s.save())
        .with_terminal(persistence.terminal.shown.get_untracked())
        .with_lesson(classroom.progress.with_untracked(|p| serde_json::to_value(p).unwrap_or(Value::Null)))
        .with_layout(layout_value(workbench, persistence.panes));
    let json = match saved.to_json() {
        Ok(json) => json,
        Err(e) => {
            let reason = match e {
                LoadError::Invalid(reason) => format!("the project is over what driftlab keeps ({reason})"),
                other => other.to_string(),
            };
            fail(persistence, reason);
            return;
        }
    };
    let mut hasher = DefaultHasher::new();
    json.hash(&mut hasher);
    let hash = hasher.finish();
    if persistence.last_written.get_value() == Some(hash) {
        return;
    }
    let written = storage().and_then(|store| {
        store.set_item(SESSION_KEY, &json).map_err(|e| {
            if is_quota_error(&e) {
                format!("the browser's storage for this site is full (the session needs {})", human_size(json.len()))
            } else {
                format!("the browser refused to store it: {}", js_error_text(&e))
            }
        })
    });
    match written {
        Ok(()) => {
            persistence.last_written.set_value(Some(hash));
            persistence.save_state.set(SaveState::Saved { bytes: json.len() });
            persistence.clear_not_saved();
        }
        Err(reason) => fail(persistence, reason),
    }
}

fn fail(persistence: Persistence, reason: String) {
    persistence.last_written.set_value(None);
    let already = persistence.save_state.with_untracked(|s| matches!(s, SaveState::Failed(r) if *r == reason));
    persistence.save_state.set(SaveState::Failed(reason.clone()));
    if !already {
        persistence.notify(Notice::NotSaved { reason });
    }
}

// ------------------------------------------------------------------ notice

/// A download link for `text` (a Blob's object URL, revoked when the link goes).
fn text_download_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The notices about keeping and opening work: a saved session that could
/// not be read (with its data to download), storage missing or full, a share
/// link that could not be opened or was opened. Text only.
#[component]
pub fn RecoveryNotice() -> impl IntoView {
    let persistence = expect_context::<Persistence>();
    let engine = expect_context::<Engine>();
    let classroom = expect_context::<Classroom>();
    let workbench = expect_context::<Workbench>();

    let back_to_own_work = move |id: u64| {
        persistence.dismiss(id);
        let raw = storage().ok().and_then(|s| read_key(&s, REPLACED_KEY).ok().flatten());
        let Some(raw) = raw else { return };
        match restore_saved(engine, classroom, workbench, persistence, &raw) {
            Ok(()) => remove_key(REPLACED_KEY),
            Err(e) => {
                let kept = storage().is_ok_and(|s| s.set_item(UNREADABLE_KEY, &raw).is_ok());
                if kept {
                    remove_key(REPLACED_KEY);
                } else {
                    hold(persistence);
                }
                persistence.notify(Notice::Unreadable { reason: e.to_string(), raw: raw.into(), kept });
            }
        }
    };

    let notice_view = move |id: u64, notice: Notice| -> AnyView {
        let dismiss = move |_| persistence.dismiss(id);
        match notice {
            Notice::Unreadable { reason, raw, kept } => {
                let url = text_download_url(&raw);
                if let Some(url) = url.clone() {
                    on_cleanup(move || {
                        let _ = web_sys::Url::revoke_object_url(&url);
                    });
                }
                let size = human_size(raw.len());
                let raw_kept_aside = raw.clone();
                let forget = move |_| {
                    remove_key(UNREADABLE_KEY);
                    // Or where it still is, if it could not be moved (a session a link had set aside).
                    let replaced = storage().ok().and_then(|s| read_key(&s, REPLACED_KEY).ok().flatten());
                    if replaced.as_deref() == Some(&*raw_kept_aside) {
                        remove_key(REPLACED_KEY);
                    }
                    persistence.dismiss(id);
                    release(persistence);
                };
                view! {
                    <div class="notice notice-error" role="alert" data-testid="recovery-notice" data-kind="unreadable">
                        <p><strong>"Your saved work could not be restored. "</strong>{reason}</p>
                        <p>
                            {if kept {
                                "driftlab started afresh and keeps the saved data aside until you let it go: download it to keep it, or to report the problem."
                            } else {
                                "driftlab started afresh. Nothing is saved over the old data until you choose: download it to keep it, or to report the problem."
                            }}
                        </p>
                        <p class="notice-actions">
                            {url.map(|href| view! {
                                <a class="button" data-testid="recovery-download" href=href download="driftlab-saved-session.json">
                                    {format!("Download the saved data ({size})")}
                                </a>
                            })}
                            <button type="button" data-testid="recovery-dismiss" on:click=forget>
                                "Let it go and keep working"
                            </button>
                        </p>
                    </div>
                }
                .into_any()
            }
            Notice::NoStorage { reason } => view! {
                <div class="notice notice-warn" role="alert" data-testid="recovery-notice" data-kind="no-storage">
                    <p>
                        <strong>"Your work can't be kept in this browser: "</strong>{reason}
                        ". It will be gone when the page is closed or reloaded; use Project → Download .zip to keep it."
                    </p>
                    <p class="notice-actions"><button type="button" on:click=dismiss>"OK"</button></p>
                </div>
            }
            .into_any(),
            Notice::NotSaved { reason } => view! {
                <div class="notice notice-warn" role="alert" data-testid="recovery-notice" data-kind="not-saved">
                    <p>
                        <strong>"Your latest changes are not saved in this browser: "</strong>{reason}
                        ". Use Project → Download .zip to keep them."
                    </p>
                    <p class="notice-actions"><button type="button" on:click=dismiss>"OK"</button></p>
                </div>
            }
            .into_any(),
            Notice::BadLink { reason } => view! {
                <div class="notice notice-error" role="alert" data-testid="recovery-notice" data-kind="bad-link">
                    <p><strong>"The link could not be opened. "</strong>{reason}</p>
                    <p class="notice-actions"><button type="button" data-testid="notice-dismiss" on:click=dismiss>"OK"</button></p>
                </div>
            }
            .into_any(),
            Notice::Shared { kept_previous, lesson, missing_lesson } => {
                let what = match (&lesson, &missing_lesson) {
                    (Some(lesson), _) => format!("You opened a shared project, at lesson {lesson}."),
                    (None, Some(missing)) => format!(
                        "You opened a shared project. It names the lesson {missing:?}, which this driftlab doesn't have: it opens in the sandbox."
                    ),
                    (None, None) => "You opened a shared project.".to_string(),
                };
                let keep_shared = move |_| {
                    remove_key(REPLACED_KEY);
                    persistence.dismiss(id);
                };
                view! {
                    <div class="notice notice-info" role="status" data-testid="recovery-notice" data-kind="shared">
                        <p>
                            {what}
                            {kept_previous.then_some(" Your own work from before is kept aside until you choose.")}
                        </p>
                        <p class="notice-actions">
                            {if kept_previous {
                                view! {
                                    <button type="button" data-testid="back-to-own-work" on:click=move |_| back_to_own_work(id)>
                                        "Back to my own work"
                                    </button>
                                    <button type="button" data-testid="keep-shared" on:click=keep_shared>
                                        "Keep the shared project (forget my earlier work)"
                                    </button>
                                }
                                .into_any()
                            } else {
                                view! { <button type="button" on:click=dismiss>"OK"</button> }.into_any()
                            }}
                        </p>
                    </div>
                }
                .into_any()
            }
            Notice::Partial { reason } => view! {
                <div class="notice notice-warn" role="status" data-testid="recovery-notice" data-kind="partial">
                    <p><strong>"Your work was restored, with one gap. "</strong>{reason}</p>
                    <p class="notice-actions"><button type="button" on:click=dismiss>"OK"</button></p>
                </div>
            }
            .into_any(),
        }
    };

    view! {
        <div class="notices" data-testid="notices">
            <For each=move || persistence.notices.get() key=|(id, _)| *id let:item>
                {notice_view(item.0, item.1)}
            </For>
        </div>
    }
}
