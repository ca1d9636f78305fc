//! The page: a thin Leptos layer over the engine. Components read engine
//! values and send command lines; they hold no logic of their own.

mod schema_view;
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

pub use schema_view::SchemaView;
pub use terminal::Terminal;

/// The engine session and a counter bumped after every command, so views can
/// derive from the (non-reactive) session. `Session` holds a SQLite
/// connection, which is not `Sync`: it lives in local storage.
#[derive(Clone, Copy)]
pub struct Engine {
    session: StoredValue<Session, LocalStorage>,
    changed: RwSignal<u64>,
}

impl Engine {
    fn new(session: Session) -> Self {
        Engine { session: StoredValue::new_local(session), changed: RwSignal::new(0) }
    }

    /// Reads the session, tracking changes: re-runs when a command ran.
    pub fn with<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.changed.track();
        self.session.with_value(f)
    }

    /// Changes the session and notifies every view derived from it.
    pub fn update<T>(&self, f: impl FnOnce(&mut Session) -> T) -> T {
        let result = self.session.try_update_value(f).expect("the engine lives as long as the page");
        self.changed.update(|n| *n += 1);
        result
    }
}

#[component]
pub fn App() -> impl IntoView {
    let mut session = Session::new(starter::project());
    session.set_host(Box::new(BrowserHost));
    let engine = Engine::new(session);
    provide_context(engine);

    // Tell automation (and the bench) that the page is usable.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-ready", "1");
        }
    });

    view! {
        <header class="topbar">
            <span class="brand">"driftlab"</span>
            <span class="tagline">"FastAPI · SQLAlchemy · Alembic, on a real SQLite in your browser"</span>
        </header>
        <main class="workspace">
            <Terminal/>
            <SchemaView/>
        </main>
    }
}
