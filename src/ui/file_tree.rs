//! The file tree: the project's folders and files, derived from the engine
//! (files that commands create or remove appear and go); folders collapse;
//! a click or Enter opens a file in the editor. Arrow keys move through it.

use std::collections::BTreeSet;

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Engine, Workbench};
use crate::engine::editing::{self, EntryKind, TreeEntry};

/// Deepest level the style sheet indents (`data-depth`); deeper rows stay there.
/// A data attribute, not an inline style: the page's CSP forbids inline styles.
const MAX_DEPTH_STYLED: usize = 8;

/// Whether any folder above `path` is collapsed.
fn inside_collapsed(path: &str, collapsed: &BTreeSet<String>) -> bool {
    path.match_indices('/').any(|(i, _)| collapsed.contains(&path[..i]))
}

fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Folder => "folder",
        EntryKind::Text => "text",
        EntryKind::Database => "database",
        EntryKind::Binary => "binary",
    }
}

#[component]
pub fn FileTree() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let workbench = expect_context::<Workbench>();
    let entries = Memo::new(move |_| engine.with(|s| editing::file_tree(&s.project)));
    let collapsed = RwSignal::new(BTreeSet::<String>::new());
    let visible = Memo::new(move |_| {
        let collapsed = collapsed.get();
        entries.get().into_iter().filter(|e| !inside_collapsed(&e.path, &collapsed)).collect::<Vec<_>>()
    });
    // On a narrow screen the tree starts folded away, leaving the editor the width.
    let narrow = window().match_media("(max-width: 760px)").ok().flatten().is_some_and(|q| q.matches());
    let shown = RwSignal::new(!narrow);
    let list_ref = NodeRef::<html::Ul>::new();

    let toggle_folder = move |path: &str| {
        let path = path.to_string();
        collapsed.update(|c| {
            if !c.remove(&path) {
                c.insert(path);
            }
        });
    };

    // Up/Down/Home/End move between rows; Left/Right fold and unfold.
    let on_keydown = move |ev: KeyboardEvent, entry: &TreeEntry| {
        let Some(list) = list_ref.get_untracked() else { return };
        let items = list.get_elements_by_class_name("tree-item");
        let items: Vec<web_sys::HtmlElement> =
            (0..items.length()).filter_map(|i| items.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect();
        let at = items.iter().position(|el| el.get_attribute("data-path").as_deref() == Some(entry.path.as_str()));
        let focus = |i: usize| {
            if let Some(el) = items.get(i) {
                let _ = el.focus();
            }
        };
        let is_folder = entry.kind == EntryKind::Folder;
        let is_collapsed = collapsed.with_untracked(|c| c.contains(&entry.path));
        let parent = entry.path.rsplit_once('/').map(|(parent, _)| parent);
        let index_of = |path: &str| items.iter().position(|el| el.get_attribute("data-path").as_deref() == Some(path));
        match ev.key().as_str() {
            "ArrowDown" => focus(at.map_or(0, |i| (i + 1).min(items.len().saturating_sub(1)))),
            "ArrowUp" => focus(at.map_or(0, |i| i.saturating_sub(1))),
            "Home" => focus(0),
            "End" => focus(items.len().saturating_sub(1)),
            "ArrowRight" if is_folder && is_collapsed => toggle_folder(&entry.path),
            "ArrowLeft" if is_folder && !is_collapsed => toggle_folder(&entry.path),
            "ArrowLeft" => {
                if let Some(i) = parent.and_then(index_of) {
                    focus(i);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <nav class="file-tree" data-testid="file-tree" aria-label="Files" class:folded=move || !shown.get()>
            <div class="file-tree-header">
                <button
                    type="button"
                    class="file-tree-toggle"
                    data-testid="file-tree-toggle"
                    aria-expanded=move || shown.get().to_string()
                    aria-controls="file-tree-list"
                    title=move || if shown.get() { "Hide the files" } else { "Show the files" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    <span aria-hidden="true">{move || if shown.get() { "◂" } else { "▸" }}</span>
                    <span class="file-tree-title">"Files"</span>
                </button>
            </div>
            <ul class="file-tree-list" id="file-tree-list" node_ref=list_ref hidden=move || !shown.get()>
                <For each=move || visible.get() key=|entry| (entry.path.clone(), entry.kind) let:entry>
                    {
                        let path = entry.path.clone();
                        let is_folder = entry.kind == EntryKind::Folder;
                        let expanded = {
                            let path = path.clone();
                            move || is_folder.then(|| (!collapsed.with(|c| c.contains(&path))).to_string())
                        };
                        let current = {
                            let path = path.clone();
                            move || (!is_folder && workbench.open_file.with(|f| f.as_deref() == Some(path.as_str()))).then_some("true")
                        };
                        let marker = {
                            let path = path.clone();
                            move || match entry.kind {
                                EntryKind::Folder if collapsed.with(|c| c.contains(&path)) => "▸",
                                EntryKind::Folder => "▾",
                                _ => "",
                            }
                        };
                        let label = match entry.kind {
                            EntryKind::Folder => format!("{}, folder", entry.name),
                            EntryKind::Database => format!("{}, SQLite database", entry.name),
                            EntryKind::Binary => format!("{}, binary file", entry.name),
                            EntryKind::Text => entry.name.clone(),
                        };
                        let on_click = {
                            let path = path.clone();
                            move |_| {
                                if is_folder {
                                    toggle_folder(&path);
                                } else {
                                    workbench.open(path.clone());
                                    // On a narrow screen the tree lies over the editor: get out of the way.
                                    if window().match_media("(max-width: 760px)").ok().flatten().is_some_and(|q| q.matches()) {
                                        shown.set(false);
                                    }
                                }
                            }
                        };
                        let entry_for_keys = entry.clone();
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="tree-item"
                                    data-testid="tree-item"
                                    data-path=path.clone()
                                    data-kind=kind_name(entry.kind)
                                    data-depth=entry.depth.min(MAX_DEPTH_STYLED).to_string()
                                    title=path.clone()
                                    aria-label=label
                                    aria-expanded=expanded
                                    aria-current=current
                                    on:click=on_click
                                    on:keydown=move |ev| on_keydown(ev, &entry_for_keys)
                                >
                                    <span class="tree-marker" aria-hidden="true">{marker}</span>
                                    <span class="tree-name">{entry.name.clone()}</span>
                                    {(entry.kind == EntryKind::Database).then(|| view! { <span class="tree-badge" aria-hidden="true">"db"</span> })}
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </nav>
    }
}
