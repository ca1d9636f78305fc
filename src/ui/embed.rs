//! Embed mode, for documentation pages that show driftlab in an iframe: the
//! URL's parameters (`?embed=1&lesson=03-the-empty-migration&step=2`, or
//! `&project=<share fragment>`, with `&panes=terminal,schema` and
//! `&readonly=1`) read into an [`EmbedConfig`], and applied to the page: a
//! compact bar instead of the top bar, only the chosen areas, read-only.
//!
//! The parsing half is plain Rust (no browser), never panics, and names
//! every value it can't use in [`EmbedConfig::problems`] instead of guessing;
//! `tests/embed_params.rs` runs it natively. `docs/EMBED.md` is the reference
//! for authors.
//!
//! Read-only means: the project can't be changed from the embed. The
//! editor shows files but accepts no edits (typing, pasting, dropping,
//! indenting, undo), the terminal shows its output but has no prompt, the
//! lesson pane (if shown) has no "Show me", reset, sandbox or lesson list,
//! and the Project menu only shares and downloads. The views stay
//! interactive: tables' rows, the ER diagram, the revision graph.

use std::fmt;

/// The areas an embed can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    Lesson,
    Code,
    Terminal,
    Database,
    Drift,
    History,
}

impl Pane {
    /// Every pane, in the order the page lays them out.
    pub const ALL: [Pane; 6] = [Pane::Lesson, Pane::Code, Pane::Terminal, Pane::Database, Pane::Drift, Pane::History];

    /// The name `panes=` uses (and `html[data-panes]` carries for the CSS).
    pub fn name(self) -> &'static str {
        match self {
            Pane::Lesson => "lesson",
            Pane::Code => "code",
            Pane::Terminal => "terminal",
            Pane::Database => "schema",
            Pane::Drift => "drift",
            Pane::History => "history",
        }
    }

    /// A pane by its name or an alias (`editor`, `files`; `database`, `db`).
    pub fn parse(word: &str) -> Option<Pane> {
        Some(match word.trim().to_ascii_lowercase().as_str() {
            "lesson" | "lessons" => Pane::Lesson,
            "code" | "editor" | "files" => Pane::Code,
            "terminal" | "shell" => Pane::Terminal,
            "schema" | "database" | "db" => Pane::Database,
            "drift" => Pane::Drift,
            "history" => Pane::History,
            _ => return None,
        })
    }

    /// Whether the pane is one of the side views (Database, Drift, History).
    pub fn is_side_view(self) -> bool {
        matches!(self, Pane::Database | Pane::Drift | Pane::History)
    }
}

impl fmt::Display for Pane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The parameters embed mode reads.
const PARAMETERS: [&str; 6] = ["embed", "lesson", "step", "project", "panes", "readonly"];
/// The longest lesson name taken (a folder name or a number).
const MAX_LESSON: usize = 100;
/// The highest step number taken.
const MAX_STEP: usize = 10_000;
/// How much of a bad value a message quotes.
const QUOTE_CHARS: usize = 40;

/// What an embed URL asks for. The default is the full page (not embedded).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedConfig {
    /// `embed=1`: the compact, embedded page. Without it every other
    /// parameter is ignored.
    pub embed: bool,
    /// `lesson=`: a lesson's folder name (`03-the-empty-migration`) or number (`3`).
    pub lesson: Option<String>,
    /// `step=`: the step to open, as an index (the URL counts from 1, as the
    /// lesson pane numbers steps: `step=2` is index 1).
    pub step: Option<usize>,
    /// `project=`: a share link's fragment (`v1.…`), decoded by `share::decode`.
    pub project: Option<String>,
    /// `panes=`: the areas shown, in layout order, without repeats. Every
    /// area when not given (the lesson only with a lesson).
    pub panes: Vec<Pane>,
    /// `readonly=1`: see the module's documentation.
    pub readonly: bool,
    /// What was not understood, one sentence each, for the embed's bar.
    pub problems: Vec<String>,
}

/// `s` cut to a quotable length.
fn quote(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTE_CHARS).collect();
    if s.chars().nth(QUOTE_CHARS).is_some() {
        out.push('…');
    }
    format!("{out:?}")
}

/// `%XX` escapes and `+` (a space) decoded, as browsers encode a query;
/// a `%` not followed by two hex digits stays as it is; bytes that are not
/// UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `key=value` pairs of a query (`?a=1&b=2`, with or without the `?`),
/// decoded, in order. `key` alone has an empty value.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// A yes/no parameter: present without a value, `1`, `true`, `yes`, `on`
/// mean yes; `0`, `false`, `no`, `off` mean no.
fn flag(key: &str, value: &str, problems: &mut Vec<String>) -> bool {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "on" => true,
        "0" | "false" | "no" | "off" => false,
        _ => {
            problems.push(format!("{key}={} is not understood (use {key}=1 or {key}=0); taken as {key}=0.", quote(value)));
            false
        }
    }
}

impl EmbedConfig {
    /// Reads a page's query string (`location.search`). Never panics.
    pub fn from_query(query: &str) -> EmbedConfig {
        let pairs = query_pairs(query);
        let mut problems = Vec::new();
        // The last of repeated parameters counts, as URLSearchParams.get would not
        // (it takes the first) — so say so rather than pick silently.
        let value = |key: &str, problems: &mut Vec<String>| -> Option<String> {
            let values: Vec<&String> = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v).collect();
            if values.len() > 1 {
                problems.push(format!("{key}= is given {} times; the last one counts.", values.len()));
            }
            values.last().map(|v| v.to_string())
        };
        let embed = match value("embed", &mut problems) {
            Some(v) => flag("embed", &v, &mut problems),
            None => false,
        };
        if !embed {
            // The full page takes no parameters.
            return EmbedConfig::default();
        }
        let mut config = EmbedConfig { embed, ..EmbedConfig::default() };

        if let Some(lesson) = value("lesson", &mut problems) {
            let lesson = lesson.trim();
            let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
            if lesson.is_empty() {
                problems.push("lesson= is empty; no lesson is opened.".to_string());
            } else if lesson.len() > MAX_LESSON || !lesson.chars().all(fine) {
                problems.push(format!("lesson={} is not a lesson's folder name or number; no lesson is opened.", quote(lesson)));
            } else {
                config.lesson = Some(lesson.to_string());
            }
        }

        if let Some(step) = value("step", &mut problems) {
            match step.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_STEP).contains(&n) => config.step = Some(n - 1),
                _ => problems.push(format!(
                    "step={} is not a step number (the first step is step=1); the lesson opens at its first step.",
                    quote(&step)
                )),
            }
            if config.lesson.is_none() && config.step.is_some() {
                problems.push("step= needs lesson= to go with it; it is ignored.".to_string());
                config.step = None;
            }
        }

        if let Some(project) = value("project", &mut problems) {
            if project.trim().is_empty() {
                problems.push("project= is empty; the starter project opens.".to_string());
            } else {
                config.project = Some(project.trim().to_string());
            }
        }

        let mut panes = Vec::new();
        if let Some(list) = value("panes", &mut problems) {
            for word in list.split([',', ' ']).filter(|w| !w.trim().is_empty()) {
                match Pane::parse(word) {
                    Some(pane) => panes.push(pane),
                    None => problems.push(format!(
                        "panes: {} is not a pane (the panes are lesson, code, terminal, schema, drift, history); it is ignored.",
                        quote(word.trim())
                    )),
                }
            }
            if panes.is_empty() {
                problems.push("panes= names no pane; every pane is shown.".to_string());
            }
        }
        if config.lesson.is_none() && panes.contains(&Pane::Lesson) {
            problems.push("panes: lesson needs lesson= to go with it; it is ignored.".to_string());
        }
        if panes.is_empty() {
            panes = Pane::ALL.to_vec();
        }
        if config.lesson.is_none() {
            panes.retain(|p| *p != Pane::Lesson);
            if panes.is_empty() {
                panes = Pane::ALL.iter().copied().filter(|p| *p != Pane::Lesson).collect();
            }
        }
        panes.sort();
        panes.dedup();
        config.panes = panes;

        if let Some(readonly) = value("readonly", &mut problems) {
            config.readonly = flag("readonly", &readonly, &mut problems);
        }

        let mut unknown: Vec<&str> = Vec::new();
        for (key, _) in &pairs {
            if !PARAMETERS.contains(&key.as_str()) && !unknown.contains(&key.as_str()) {
                unknown.push(key);
            }
        }
        for key in unknown {
            problems.push(format!(
                "{} is not an embed parameter (they are embed, lesson, step, project, panes, readonly); it is ignored.",
                quote(key)
            ));
        }
        config.problems = problems;
        config
    }

    /// Whether the area shows.
    pub fn shows(&self, pane: Pane) -> bool {
        !self.embed || self.panes.contains(&pane)
    }

    /// The side views shown, in order.
    pub fn side_views(&self) -> Vec<Pane> {
        Pane::ALL.into_iter().filter(|p| p.is_side_view() && self.shows(*p)).collect()
    }

    /// `lesson code terminal`: the panes for `html[data-panes~=…]`.
    pub fn panes_attribute(&self) -> String {
        self.panes.iter().map(|p| p.name()).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(target_arch = "wasm32")]
pub use page::*;

/// The page side: marking the document for `project.css`, the read-only
/// guard, the compact bar.
#[cfg(target_arch = "wasm32")]
mod page {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use super::{EmbedConfig, Pane};
    use crate::engine::share::{self, SharedState};
    use crate::ui::{Classroom, Engine, SideTab, Workbench};

    /// The page's own URL parameters.
    pub fn read_embed_config() -> EmbedConfig {
        EmbedConfig::from_query(&window().location().search().unwrap_or_default())
    }

    /// Marks `<html>` for the embed layout (`data-embed`, `data-panes`,
    /// `data-side-views`, `data-readonly`), shows the first chosen side view,
    /// and in read-only mode installs the guard. Nothing for the full page.
    pub fn apply_embed(config: &EmbedConfig, workbench: Workbench) {
        if !config.embed {
            return;
        }
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-embed", "");
            let _ = root.set_attribute("data-panes", &config.panes_attribute());
            let _ = root.set_attribute("data-side-views", &config.side_views().len().to_string());
            if config.readonly {
                let _ = root.set_attribute("data-readonly", "");
            }
        }
        if let Some(first) = config.side_views().first() {
            workbench.side_tab.set(match first {
                Pane::Drift => SideTab::Drift,
                Pane::History => SideTab::History,
                _ => SideTab::Database,
            });
        }
        if config.readonly {
            install_read_only_guard();
        }
    }

    /// What read-only refuses: the editor's text and the terminal's line.
    const GUARDED: &str = ".area-code textarea, .area-code [contenteditable], [data-testid=\"terminal-input\"]";

    /// Keys that only move, select or copy (let through in a read-only editor).
    fn harmless_key(ev: &web_sys::KeyboardEvent) -> bool {
        let key = ev.key();
        let moving = key.starts_with("Arrow")
            || matches!(key.as_str(), "Home" | "End" | "PageUp" | "PageDown" | "Escape" | "Tab" | "Shift" | "Control" | "Alt" | "Meta");
        let command = ev.ctrl_key() || ev.meta_key();
        let copying = command && matches!(key.to_ascii_lowercase().as_str(), "a" | "c" | "f");
        moving || copying
    }

    fn guarded(target: Option<web_sys::EventTarget>) -> bool {
        target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(GUARDED).ok().flatten())
            .is_some()
    }

    /// Capture-phase listeners on the window, ahead of every component's own:
    /// no input event reaches the editor or the terminal line, and no key
    /// but moving, selecting and copying reaches their handlers (Tab then
    /// moves focus, as it should in something read-only).
    fn install_read_only_guard() {
        let on_input = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if guarded(ev.target()) {
                ev.prevent_default();
                ev.stop_propagation();
            }
        });
        let on_key = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            if guarded(ev.target()) && !harmless_key(&ev) {
                ev.prevent_default();
                ev.stop_propagation();
            } else if guarded(ev.target()) && ev.key() == "Tab" {
                // Focus moves on; the editor's indent never runs.
                ev.stop_propagation();
            }
        });
        let window = window();
        for kind in ["beforeinput", "paste", "cut", "drop"] {
            let _ = window.add_event_listener_with_callback_and_bool(kind, on_input.as_ref().unchecked_ref(), true);
        }
        let _ = window.add_event_listener_with_callback_and_bool("keydown", on_key.as_ref().unchecked_ref(), true);
        // They live as long as the page.
        on_input.forget();
        on_key.forget();
    }

    /// The embed's bar: driftlab's name, "read-only", what the URL got wrong,
    /// and a link opening the same state in the full page (a new tab).
    #[component]
    pub fn EmbedBar(config: EmbedConfig) -> impl IntoView {
        let engine = expect_context::<Engine>();
        let classroom = expect_context::<Classroom>();
        let problems = config.problems.clone();
        let readonly = config.readonly;
        // The link is made when followed: the state as it is then.
        let open_full = move |ev: web_sys::MouseEvent| {
            let Some(anchor) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else {
                return;
            };
            let (lesson, step) = classroom.progress.with_untracked(|p| {
                let step = p.current.as_ref().and_then(|slug| p.lessons.get(slug)).map(|lp| lp.step);
                (p.current.clone(), step)
            });
            let state = SharedState { project: engine.with_untracked(|s| s.project.clone()), lesson, step };
            let base = full_page_url();
            let href = match share::encode(&state) {
                Ok(fragment) => format!("{base}#project={fragment}"),
                Err(_) => base,
            };
            anchor.set_href(&href);
        };
        view! {
            <div class="embed-bar" data-testid="embed-bar">
                <span class="embed-brand">"driftlab"</span>
                {readonly.then(|| view! { <span class="embed-readonly" data-testid="embed-readonly">"read-only"</span> })}
                <span class="embed-spacer"></span>
                <a
                    class="embed-open"
                    data-testid="embed-open"
                    href=full_page_url()
                    target="_blank"
                    rel="noopener"
                    on:click=open_full
                >
                    "Open in driftlab ↗"
                </a>
            </div>
            {(!problems.is_empty()).then(|| view! {
                <ul class="embed-problems" data-testid="embed-problems" role="status">
                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            })}
        }
    }

    /// This page without its query and fragment: the full driftlab.
    fn full_page_url() -> String {
        let location = window().location();
        format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_else(|_| "/".to_string()))
    }
}
