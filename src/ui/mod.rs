//! The page: a thin Leptos layer over the engine. Components read engine
//! values and send command lines; they hold no logic of their own.

mod drift_view;
mod editor;
mod embed;
mod er_diagram;
mod file_tree;
mod history_view;
mod layout;
mod lesson_pane;
mod offline;
mod persistence;
mod schema_view;
mod share_menu;
mod terminal;

use leptos::prelude::*;

use crate::engine::host::Host;
use crate::engine::{starter, Session};

/// The browser's clock (local time, as Python's `datetime.now()` would give
/// it on the learner's machine) and randomness.
struct BrowserHost;

impl Host for BrowserHost {
    fn now(&self) -> String {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes(),
            d.get_seconds(),
            d.get_milliseconds() * 1000
        )
    }

    fn random_u64(&mut self) -> u64 {
        // Two 32-bit halves: Math.random has 52 bits of precision.
        let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        (half() << 32) | half()
    }
}

pub use drift_view::DriftView;
pub use editor::Editor;
pub use embed::{EmbedBar, EmbedConfig, Pane};
pub use file_tree::FileTree;
pub use history_view::HistoryView;
pub use layout::Workspace;
pub use lesson_pane::{Classroom, LessonPane};
pub use persistence::{Notice, PaneLayout, Persistence, RecoveryNotice, StartState, TerminalRecord};
pub use schema_view::SchemaView;
pub use share_menu::{restore_before_command, undo_last_command, ProjectMenu};
pub use terminal::Terminal;

/// The engine session and two counters views derive from: `changed` moves
/// after anything touched the session (a command, a saved file), `commands`
/// only after a terminal command ran — the Database view highlights what the
/// last *command* changed. `Session` holds a SQLite connection, which is not
/// `Sync`: it lives in local storage.
#[derive(Clone, Copy)]
pub struct Engine {
    session: StoredValue<Session, LocalStorage>,
    changed: RwSignal<u64>,
    commands: RwSignal<u64>,
    epoch: RwSignal<u64>,
}

impl Engine {
    fn new(session: Session) -> Self {
        Engine {
            session: StoredValue::new_local(session),
            changed: RwSignal::new(0),
            commands: RwSignal::new(0),
            epoch: RwSignal::new(0),
        }
    }

    /// Reads the session, tracking changes: re-runs when anything changed.
    pub fn with<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.changed.track();
        self.session.with_value(f)
    }

    /// Reads the session without subscribing (event handlers).
    pub fn with_untracked<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.session.with_value(f)
    }

    /// Changes the session (e.g. saves a file) and notifies every view.
    pub fn update<T>(&self, f: impl FnOnce(&mut Session) -> T) -> T {
        let result = self.session.try_update_value(f).expect("the engine lives as long as the page");
        self.changed.update(|n| *n += 1);
        result
    }

    /// Runs a terminal command (or Ctrl+C) on the session: like `update`, and
    /// also moves the command counter.
    pub fn run<T>(&self, f: impl FnOnce(&mut Session) -> T) -> T {
        let result = self.update(f);
        self.commands.update(|n| *n += 1);
        result
    }

    /// How many commands have run; tracked.
    pub fn commands(&self) -> u64 {
        self.commands.get()
    }

    /// Puts a whole new session in place (a lesson started or reset, the
    /// sandbox, a restored state); the terminal starts afresh.
    pub fn replace(&self, mut session: Session) {
        session.set_host(Box::new(BrowserHost));
        self.session.set_value(session);
        self.epoch.update(|n| *n += 1);
        self.commands.update(|n| *n += 1);
        self.changed.update(|n| *n += 1);
    }

    /// How many times the session was replaced; tracked.
    pub fn epoch(&self) -> u64 {
        self.epoch.get()
    }
}

/// Terminal output that did not come from the prompt — a save that made the
/// running app reload, the commands "show me" typed, an undo — for the
/// terminal to print in order. Producers push; the terminal drains.
#[derive(Clone, Copy)]
pub struct TerminalFeed(pub RwSignal<Vec<FeedItem>>);

/// One thing for the terminal to print.
#[derive(Clone, Debug)]
pub enum FeedItem {
    Transcript(crate::engine::lesson::Transcript),
    /// A message from the page itself (not a program's output).
    Note { text: String, failed: bool },
}

impl TerminalFeed {
    pub fn push(&self, items: impl IntoIterator<Item = crate::engine::lesson::Transcript>) {
        let items: Vec<_> = items.into_iter().map(FeedItem::Transcript).collect();
        if !items.is_empty() {
            self.0.update(|feed| feed.extend(items));
        }
    }

    pub fn note(&self, text: impl Into<String>, failed: bool) {
        self.0.update(|feed| feed.push(FeedItem::Note { text: text.into(), failed }));
    }

    /// Takes everything pushed so far (tracked: re-runs when more arrives).
    pub fn drain(&self) -> Vec<FeedItem> {
        if self.0.with(|feed| feed.is_empty()) {
            return Vec::new();
        }
        let mut taken = Vec::new();
        self.0.update_untracked(|feed| std::mem::swap(feed, &mut taken));
        taken
    }
}

/// Which view the side area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SideTab {
    Database,
    Drift,
    History,
}

/// What the areas ask of each other: open a file in the editor (the History
/// view opens a revision's file), show a side view.
#[derive(Clone, Copy)]
pub struct Workbench {
    /// A project path (relative to the project root) to open in the editor.
    pub open_file: RwSignal<Option<String>>,
    pub side_tab: RwSignal<SideTab>,
}

impl Workbench {
    fn new() -> Self {
        Workbench { open_file: RwSignal::new(Some("models.py".to_string())), side_tab: RwSignal::new(SideTab::Database) }
    }

    /// Opens `path` in the editor (and, on narrow screens, shows the editor).
    pub fn open(&self, path: impl Into<String>) {
        self.open_file.set(Some(path.into()));
    }
}

#[component]
pub fn App() -> impl IntoView {
    let mut session = Session::new(starter::project());
    session.set_host(Box::new(BrowserHost));
    let engine = Engine::new(session);
    provide_context(engine);
    let workbench = Workbench::new();
    provide_context(workbench);
    provide_context(TerminalFeed(RwSignal::new(Vec::new())));
    let classroom = Classroom::new();
    provide_context(classroom);

    // Keep, share, embed, offline: an embed URL, a share link, the saved
    // session or a fresh start (persistence.rs), then autosave.
    let embed = embed::read_embed_config();
    let persistence = Persistence::new(!embed.embed);
    provide_context(persistence);
    provide_context(persistence.panes);
    provide_context(persistence.terminal);
    provide_context(embed.clone());
    embed::apply_embed(&embed, workbench);
    persistence::restore_on_start(engine, classroom, workbench, persistence, &embed);
    persistence::install_autosave(engine, classroom, workbench, persistence);
    offline::register_service_worker();

    // Tell automation (and the bench) that the page is usable.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-ready", "1");
        }
    });

    view! {
        {embed.embed.then(|| view! { <EmbedBar config=embed.clone()/> })}
        <Workspace/>
    }
}
