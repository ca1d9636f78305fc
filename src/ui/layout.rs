//! The workspace: the code area (file tree + editor), the terminal and the
//! side area (Database, Drift, History) in resizable panes; on narrow screens
//! the areas become tabs. Also the top bar and the light/dark theme.

use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{
    DriftView, Editor, FileTree, HistoryView, LessonPane, PaneLayout, ProjectMenu, RecoveryNotice, SchemaView, SideTab, Terminal,
    Workbench,
};

/// The colour theme: the system's until the learner picks one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theme {
    Light,
    Dark,
}

const THEME_KEY: &str = "driftlab.theme";

fn system_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .map(|query| query.matches())
        .unwrap_or(false)
}

fn saved_theme() -> Option<Theme> {
    let storage = window().local_storage().ok().flatten()?;
    match storage.get_item(THEME_KEY).ok().flatten()?.as_str() {
        "light" => Some(Theme::Light),
        "dark" => Some(Theme::Dark),
        _ => None,
    }
}

/// Which area fills the screen when the screen is narrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NarrowArea {
    Lesson,
    Code,
    Terminal,
    Side,
}

impl NarrowArea {
    fn name(self) -> &'static str {
        match self {
            NarrowArea::Lesson => "lesson",
            NarrowArea::Code => "code",
            NarrowArea::Terminal => "terminal",
            NarrowArea::Side => "side",
        }
    }
}

/// Pane sizes, as percentages of the workspace.
const MIN_PANE: f64 = 15.0;
const MAX_PANE: f64 = 85.0;
const KEY_STEP: f64 = 2.0;

#[component]
pub fn Workspace() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    // An explicit choice wins; otherwise follow the system (and its changes).
    let chosen_theme = RwSignal::new(saved_theme());
    let system_dark = RwSignal::new(system_prefers_dark());
    if let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") {
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            system_dark.set(system_prefers_dark());
        });
        let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget(); // lives as long as the page
    }
    let theme = Memo::new(move |_| {
        chosen_theme.get().unwrap_or(if system_dark.get() { Theme::Dark } else { Theme::Light })
    });
    Effect::new(move |_| {
        let name = match theme.get() {
            Theme::Light => "light",
            Theme::Dark => "dark",
        };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", name);
        }
    });
    let toggle_theme = move |_| {
        let next = match theme.get_untracked() {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        };
        chosen_theme.set(Some(next));
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(THEME_KEY, if next == Theme::Dark { "dark" } else { "light" });
        }
    };

    // Shared with autosave (persistence.rs), which keeps and restores them.
    let PaneLayout { lesson_open, left, top } = use_context::<PaneLayout>().unwrap_or_default();
    let narrow = RwSignal::new(NarrowArea::Lesson);
    // Opening another file shows the editor on a narrow screen.
    Effect::new(move |previous: Option<Option<String>>| {
        let open = workbench.open_file.get();
        if previous.is_some_and(|before| before != open && open.is_some()) {
            narrow.set(NarrowArea::Code);
        }
        open
    });

    let workspace_ref = NodeRef::<html::Div>::new();

    let narrow_tab = move |area: NarrowArea, label: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="area-tab"
                data-testid="area-tab"
                data-area=area.name()
                aria-selected=move || (narrow.get() == area).to_string()
                on:click=move |_| narrow.set(area)
            >
                {label}
            </button>
        }
    };

    let side_tab = move |tab: SideTab, label: &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="side-tab"
                id=format!("side-tab-{id}")
                data-testid="side-tab"
                data-tab=id
                aria-controls=format!("side-panel-{id}")
                aria-selected=move || (workbench.side_tab.get() == tab).to_string()
                tabindex=move || if workbench.side_tab.get() == tab { "0" } else { "-1" }
                on:click=move |_| workbench.side_tab.set(tab)
                on:keydown=move |ev: KeyboardEvent| {
                    let order = [SideTab::Database, SideTab::Drift, SideTab::History];
                    let at = order.iter().position(|t| *t == tab).unwrap_or(0);
                    let next = match ev.key().as_str() {
                        "ArrowRight" => order[(at + 1) % order.len()],
                        "ArrowLeft" => order[(at + order.len() - 1) % order.len()],
                        _ => return,
                    };
                    ev.prevent_default();
                    workbench.side_tab.set(next);
                    if let Some(button) = document().get_element_by_id(&format!("side-tab-{}", side_tab_id(next))) {
                        if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                            let _ = button.focus();
                        }
                    }
                }
            >
                {label}
            </button>
        }
    };
    let side_panel = move |tab: SideTab, id: &'static str, content: AnyView| {
        view! {
            <div
                class="side-panel"
                role="tabpanel"
                id=format!("side-panel-{id}")
                aria-labelledby=format!("side-tab-{id}")
                hidden=move || workbench.side_tab.get() != tab
            >
                {content}
            </div>
        }
    };

    view! {
        <header class="topbar">
            <span class="brand">"driftlab"</span>
            <span class="tagline">"FastAPI · SQLAlchemy · Alembic, on a real SQLite in your browser"</span>
            <span class="topbar-spacer"></span>
            <button
                type="button"
                class="lesson-toggle"
                data-testid="lesson-toggle"
                aria-pressed=move || lesson_open.get().to_string()
                aria-controls="lesson-area"
                on:click=move |_| lesson_open.update(|open| *open = !*open)
            >
                {move || if lesson_open.get() { "Hide lesson" } else { "Show lesson" }}
            </button>
            <ProjectMenu/>
            <button
                type="button"
                class="theme-toggle"
                data-testid="theme-toggle"
                aria-label=move || match theme.get() {
                    Theme::Light => "Switch to the dark theme",
                    Theme::Dark => "Switch to the light theme",
                }
                on:click=toggle_theme
            >
                {move || match theme.get() {
                    Theme::Light => "☾ Dark",
                    Theme::Dark => "☀ Light",
                }}
            </button>
        </header>
        <RecoveryNotice/>
        <nav class="area-tabs" role="tablist" aria-label="Areas">
            {narrow_tab(NarrowArea::Lesson, "Lesson")}
            {narrow_tab(NarrowArea::Code, "Code")}
            {narrow_tab(NarrowArea::Terminal, "Terminal")}
            {narrow_tab(NarrowArea::Side, "Views")}
        </nav>
        <main class="workspace" data-narrow=move || narrow.get().name()>
        <section
            id="lesson-area"
            class="area area-lesson"
            aria-label="Lesson"
            hidden=move || !lesson_open.get()
        >
            <LessonPane/>
        </section>
        <div
            class="panes"
            node_ref=workspace_ref
            // CSSOM, not a style attribute: the CSP allows no inline styles.
            style:--left=move || format!("{:.1}%", left.get())
            style:--top=move || format!("{:.1}%", top.get())
        >
            <section class="area area-code" aria-label="Files and editor">
                <FileTree/>
                <Editor/>
            </section>
            <Splitter
                class="splitter-rows"
                label="Resize editor and terminal"
                vertical=false
                value=top
                container=workspace_ref
            />
            <section class="area area-terminal" aria-label="Terminal">
                <Terminal/>
            </section>
            <Splitter
                class="splitter-columns"
                label="Resize the side views"
                vertical=true
                value=left
                container=workspace_ref
            />
            <section class="area area-side" aria-label="Database, drift and history">
                <div class="side-tabs" role="tablist" aria-label="Views">
                    {side_tab(SideTab::Database, "Database", "database")}
                    {side_tab(SideTab::Drift, "Drift", "drift")}
                    {side_tab(SideTab::History, "History", "history")}
                </div>
                {side_panel(SideTab::Database, "database", view! { <SchemaView/> }.into_any())}
                {side_panel(SideTab::Drift, "drift", view! { <DriftView/> }.into_any())}
                {side_panel(SideTab::History, "history", view! { <HistoryView/> }.into_any())}
            </section>
        </div>
        </main>
    }
}

fn side_tab_id(tab: SideTab) -> &'static str {
    match tab {
        SideTab::Database => "database",
        SideTab::Drift => "drift",
        SideTab::History => "history",
    }
}

/// A draggable, keyboard-operable divider that sets one pane size (percent).
#[component]
fn Splitter(
    class: &'static str,
    label: &'static str,
    /// A vertical bar (resizes columns) or a horizontal one (resizes rows).
    vertical: bool,
    value: RwSignal<f64>,
    container: NodeRef<html::Div>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let set_from_pointer = move |ev: &PointerEvent| {
        let Some(main) = container.get_untracked() else { return };
        let rect = main.get_bounding_client_rect();
        let fraction = if vertical {
            (f64::from(ev.client_x()) - rect.left()) / rect.width()
        } else {
            (f64::from(ev.client_y()) - rect.top()) / rect.height()
        };
        if fraction.is_finite() {
            value.set((fraction * 100.0).clamp(MIN_PANE, MAX_PANE));
        }
    };
    view! {
        <div
            class=format!("splitter {class}")
            role="separator"
            tabindex="0"
            aria-label=label
            aria-orientation=if vertical { "vertical" } else { "horizontal" }
            aria-valuemin=MIN_PANE.to_string()
            aria-valuemax=MAX_PANE.to_string()
            aria-valuenow=move || format!("{:.0}", value.get())
            on:pointerdown=move |ev: PointerEvent| {
                if let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                    let _ = target.set_pointer_capture(ev.pointer_id());
                }
                dragging.set(true);
            }
            on:pointermove=move |ev: PointerEvent| {
                if dragging.get_untracked() {
                    set_from_pointer(&ev);
                }
            }
            on:pointerup=move |_| dragging.set(false)
            on:pointercancel=move |_| dragging.set(false)
            on:keydown=move |ev: KeyboardEvent| {
                let step = match (vertical, ev.key().as_str()) {
                    (true, "ArrowLeft") | (false, "ArrowUp") => -KEY_STEP,
                    (true, "ArrowRight") | (false, "ArrowDown") => KEY_STEP,
                    _ => return,
                };
                ev.prevent_default();
                value.update(|v| *v = (*v + step).clamp(MIN_PANE, MAX_PANE));
            }
        ></div>
    }
}
