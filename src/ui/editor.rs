//! The editor: tabs of open files, a `<textarea>` over a highlighted
//! `<pre>` (same font and metrics; both grow with the text inside one
//! scrolling box, so they never drift apart), line numbers, every problem
//! underlined in place and listed below, undo/redo, Tab indenting, saving
//! (Ctrl/Cmd+S, and autosave after a pause). The logic — highlighting,
//! problems, edits, buffers — is the engine's (`engine::editing`); this file
//! wires it to the page. Everything shown is text nodes, never HTML.

use std::collections::{BTreeSet, HashMap};

use gloo::timers::callback::Timeout;
use leptos::ev::{InputEvent, KeyboardEvent, MouseEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Engine, SideTab, TerminalFeed, Workbench};
use crate::engine::lesson::Transcript;
use crate::engine::editing::{self, Buffer, EditKind, Edited, EntryKind, FileProblems, Problem, Run, SpanKind};

/// Quiet time before an edited file is saved by itself.
const AUTOSAVE_MS: u32 = 400;
/// Quiet time before the project is checked again with the edited text.
const CHECK_MS: u32 = 250;
/// A pause this long ends an undo step.
const UNDO_PAUSE_MS: f64 = 1000.0;
const AUTOSAVE_KEY: &str = "driftlab.autosave";

/// A tab as the tab bar shows it.
#[derive(Clone, Debug, PartialEq)]
struct TabInfo {
    path: String,
    label: String,
    dirty: bool,
    deleted: bool,
}

/// What the last save did, for the status line.
#[derive(Clone, Debug, PartialEq)]
struct SaveNote {
    path: String,
    /// What the running app printed when its reloader saw the change
    /// (`Session::files_changed`); it also goes to the terminal's feed.
    app_output: String,
}

fn language(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("py") => "Python",
        Some("ini") => "INI",
        Some("mako") => "Mako template",
        Some("md") => "Markdown",
        Some("txt") => "Text",
        _ if name.starts_with(".env") => "Environment",
        _ => "Text",
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The textarea's selection as byte offsets into `text`.
fn selection_of(el: &web_sys::HtmlTextAreaElement, text: &str) -> (usize, usize) {
    let start = el.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = el.selection_end().ok().flatten().unwrap_or(start as u32) as usize;
    (editing::utf16_to_byte(text, start), editing::utf16_to_byte(text, end))
}

/// Shows `text` in the textarea (if it differs) with the selection `(start, end)` in bytes.
fn show_in(el: &web_sys::HtmlTextAreaElement, text: &str, selection: (usize, usize)) {
    if el.value() != text {
        el.set_value(text);
    }
    let start = editing::byte_to_utf16(text, selection.0) as u32;
    let end = editing::byte_to_utf16(text, selection.1) as u32;
    let _ = el.set_selection_range(start, end);
}

/// 1-based line and column (characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = editing::utf16_to_byte(text, editing::byte_to_utf16(text, offset));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn problem_text(problem: &Problem) -> String {
    match &problem.hint {
        Some(hint) => format!("{}\nhint: {hint}", problem.message),
        None => problem.message.clone(),
    }
}

#[component]
pub fn Editor() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let workbench = expect_context::<Workbench>();
    let feed = use_context::<TerminalFeed>();

    let buffers = RwSignal::new(Vec::<Buffer>::new());
    let active = Memo::new(move |_| workbench.open_file.get());
    let autosave = RwSignal::new(storage().and_then(|s| s.get_item(AUTOSAVE_KEY).ok().flatten()).as_deref() != Some("off"));
    let check_tick = RwSignal::new(0u64);
    let save_note = RwSignal::new(None::<SaveNote>);
    let caret = RwSignal::new((1usize, 1usize));
    // Esc, then Tab: the next Tab leaves the editor instead of indenting.
    let escape_armed = StoredValue::new(false);
    let last_edit_at = StoredValue::new(0.0_f64);
    let selection_before = StoredValue::new(None::<(usize, usize)>);
    let edited_since_save = StoredValue::new(BTreeSet::<String>::new());
    let autosave_timer = StoredValue::new_local(None::<Timeout>);
    let check_timer = StoredValue::new_local(None::<Timeout>);
    let scroll_of = StoredValue::new(HashMap::<String, (i32, i32)>::new());
    let shown_path = StoredValue::new(None::<String>);

    let textarea_ref = NodeRef::<html::Textarea>::new();
    let scroll_ref = NodeRef::<html::Div>::new();
    let pre_ref = NodeRef::<html::Pre>::new();

    // Opening a file (from the tree, the History view, a problem) adds its tab.
    Effect::new(move |_| {
        let Some(path) = workbench.open_file.get() else { return };
        if buffers.with_untracked(|bs| bs.iter().any(|b| b.path == path)) {
            return;
        }
        let on_disk = engine.with_untracked(|s| match editing::file_kind(&s.project, &path) {
            Some(EntryKind::Text) => s.project.read_text(&path),
            Some(EntryKind::Database | EntryKind::Binary) => Some(String::new()),
            _ => None,
        });
        buffers.update(|bs| bs.push(Buffer::open(path, on_disk.as_deref())));
    });

    // A new session (a lesson started or reset): the old buffers belong to
    // another project; start afresh with the file asked for.
    Effect::new(move |previous: Option<u64>| {
        let epoch = engine.epoch();
        if previous.is_some_and(|p| p != epoch) {
            buffers.set(Vec::new());
            edited_since_save.set_value(BTreeSet::new());
            shown_path.set_value(None);
            let path = workbench.open_file.get_untracked();
            workbench.open_file.set(path);
        }
        epoch
    });

    // Commands change files: open buffers follow (see `Buffer::follow_disk`).
    Effect::new(move |_| {
        let paths: Vec<String> = buffers.with_untracked(|bs| bs.iter().map(|b| b.path.clone()).collect());
        let on_disk: Vec<Option<String>> = engine.with(|s| {
            paths
                .iter()
                .map(|p| match editing::file_kind(&s.project, p) {
                    Some(EntryKind::Text) => s.project.read_text(p),
                    Some(_) => Some(String::new()),
                    None => None,
                })
                .collect()
        });
        buffers.maybe_update(|bs| {
            let mut changed = false;
            for (buffer, disk) in bs.iter_mut().zip(on_disk) {
                changed |= buffer.follow_disk(disk.as_deref());
            }
            changed
        });
    });

    let kind_of_active = Memo::new(move |_| {
        let path = active.get()?;
        engine.with(|s| editing::file_kind(&s.project, &path))
    });
    let is_text = Memo::new(move |_| !matches!(kind_of_active.get(), Some(EntryKind::Database | EntryKind::Binary | EntryKind::Folder)));
    let active_text = Memo::new(move |_| {
        let path = active.get()?;
        buffers.with(|bs| bs.iter().find(|b| b.path == path).map(|b| b.text().to_string()))
    });
    let tabs = Memo::new(move |_| {
        buffers.with(|bs| {
            bs.iter()
                .map(|b| {
                    let name = file_name(&b.path);
                    let ambiguous = bs.iter().filter(|o| file_name(&o.path) == name).count() > 1;
                    TabInfo {
                        path: b.path.clone(),
                        label: if ambiguous { b.path.clone() } else { name.to_string() },
                        dirty: b.is_dirty() && !b.is_deleted(),
                        deleted: b.is_deleted(),
                    }
                })
                .collect::<Vec<_>>()
        })
    });

    // Problems: the project as saved, with the unsaved buffers' text in
    // place of their files, rechecked a moment after typing stops.
    let problems = Memo::new(move |_| {
        check_tick.track();
        let unsaved: Vec<(String, String)> = buffers.with_untracked(|bs| {
            bs.iter().filter(|b| b.is_dirty() && !b.is_deleted()).map(|b| (b.path.clone(), b.text().to_string())).collect()
        });
        let refs: Vec<(&str, &str)> = unsaved.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        engine.with(|s| editing::project_diagnostics_with(&s.project, &refs, &s.environment()))
    });
    let active_problems = Memo::new(move |_| {
        let path = active.get()?;
        problems.with(|all| all.iter().find(|f| f.path == path).map(|f| f.problems.clone()))
    });
    let runs = Memo::new(move |_| {
        let path = active.get().unwrap_or_default();
        active_text.with(|text| {
            let text = text.as_deref().unwrap_or("");
            let spans = editing::highlight_file(&path, text);
            active_problems.with(|problems| editing::runs(text, &spans, problems.as_deref().unwrap_or(&[])))
        })
    });
    let gutter = Memo::new(move |_| {
        let lines = active_text.with(|t| t.as_deref().map_or(1, |t| t.split('\n').count()));
        let marked: BTreeSet<usize> =
            active_problems.with(|p| p.iter().flatten().flat_map(|p| p.line..=p.end_line).collect());
        (lines, marked)
    });

    let schedule_check = move || {
        let timer = Timeout::new(CHECK_MS, move || check_tick.update(|n| *n += 1));
        check_timer.set_value(Some(timer));
    };

    // The textarea grows with the text (after the overlay re-renders), so the
    // browser can't always scroll the caret into view itself: do it a frame later.
    let reveal_caret = move || {
        request_animation_frame(move || {
            let (Some(el), Some(scroller), Some(pre), Some(text)) =
                (textarea_ref.get_untracked(), scroll_ref.get_untracked(), pre_ref.get_untracked(), active_text.get_untracked())
            else {
                return;
            };
            // Sized to its content, the textarea itself never scrolls.
            el.set_scroll_top(0);
            el.set_scroll_left(0);
            let (line, col) = line_col(&text, selection_of(&el, &text).0);
            let lines = text.split('\n').count() as i32 + 1;
            let line_height = (pre.scroll_height() / lines.max(1)).max(1);
            let top = (line as i32 - 1) * line_height;
            let view_top = scroller.scroll_top();
            let view_height = scroller.client_height();
            if top < view_top {
                scroller.set_scroll_top(top);
            } else if top + 2 * line_height > view_top + view_height {
                scroller.set_scroll_top(top + 2 * line_height - view_height);
            }
            // Columns: the gutter is sticky, so the visible text starts after it.
            let longest = text.split('\n').map(|l| l.chars().count()).max().unwrap_or(0).max(1) as f64;
            let char_width = f64::from(pre.scroll_width()) / (longest + 4.0);
            let x = (col as f64 - 1.0) * char_width;
            let gutter = f64::from(scroller.scroll_width() - pre.scroll_width()).max(0.0);
            let view_left = f64::from(scroller.scroll_left());
            let view_width = f64::from(scroller.client_width()) - gutter;
            if x < view_left {
                scroller.set_scroll_left((x - 4.0 * char_width).max(0.0) as i32);
            } else if x + 2.0 * char_width > view_left + view_width {
                scroller.set_scroll_left((x + 4.0 * char_width - view_width) as i32);
            }
        });
    };

    // Saving: write the text, let a running `uvicorn --reload` notice.
    let save = move |path: String| {
        let Some(text) = buffers.with_untracked(|bs| bs.iter().find(|b| b.path == path).map(|b| b.text().to_string()))
        else {
            return;
        };
        let output = engine.update(|s| {
            s.project.write(&path, text.as_bytes());
            s.files_changed(std::slice::from_ref(&path))
        });
        buffers.update(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                b.saved();
            }
        });
        edited_since_save.update_value(|set| {
            set.remove(&path);
        });
        let app_output = format!("{}{}", output.stdout, output.stderr);
        // What the running app printed on reloading belongs in the terminal.
        if let (Some(feed), false) = (feed, app_output.is_empty()) {
            feed.push([Transcript::Saved { path: path.clone(), output }]);
        }
        save_note.set(Some(SaveNote { path, app_output }));
    };

    let autosave_now = move || {
        let paths: Vec<String> = edited_since_save.with_value(|set| set.iter().cloned().collect());
        for path in paths {
            let dirty = buffers.with_untracked(|bs| bs.iter().any(|b| b.path == path && b.is_dirty()));
            if dirty {
                save(path);
            }
        }
    };

    let schedule_autosave = move || {
        if autosave.get_untracked() {
            let timer = Timeout::new(AUTOSAVE_MS, autosave_now);
            autosave_timer.set_value(Some(timer));
        }
    };

    // Records an edit of the active buffer made in the textarea or by us.
    let apply_edit = move |text: String, before: (usize, usize), after: (usize, usize), kind: EditKind, inserted: &str| {
        let Some(path) = active.get_untracked() else { return };
        let now = js_sys::Date::now();
        let paused = now - last_edit_at.get_value() > UNDO_PAUSE_MS;
        last_edit_at.set_value(now);
        buffers.update(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                if paused {
                    b.break_undo_group();
                }
                b.edit(text, before, after, kind, inserted);
            }
        });
        edited_since_save.update_value(|set| {
            set.insert(path);
        });
        schedule_check();
        schedule_autosave();
    };

    // One of our own edits (Tab, Enter, undo): shown at once, then recorded.
    let apply_own_edit = move |edited: Edited, before: (usize, usize)| {
        if let Some(el) = textarea_ref.get_untracked() {
            show_in(&el, &edited.text, (edited.start, edited.end));
        }
        let after = (edited.start, edited.end);
        apply_edit(edited.text, before, after, EditKind::Other, "");
        reveal_caret();
    };

    let undo_redo = move |redo: bool| {
        let Some(path) = active.get_untracked() else { return };
        let Some(el) = textarea_ref.get_untracked() else { return };
        let mut restored = None;
        buffers.update(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                b.selection = selection_of(&el, b.text());
                let changed = if redo { b.redo() } else { b.undo() };
                if changed {
                    restored = Some((b.text().to_string(), b.selection));
                }
            }
        });
        if let Some((text, selection)) = restored {
            show_in(&el, &text, selection);
            reveal_caret();
            edited_since_save.update_value(|set| {
                set.insert(path);
            });
            schedule_check();
            schedule_autosave();
        }
    };

    // The caret moved elsewhere: what is typed next is a new undo step.
    let end_undo_step = move || {
        if let Some(path) = active.get_untracked() {
            buffers.update_untracked(|bs| {
                if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                    b.break_undo_group();
                }
            });
        }
    };

    let update_caret = move || {
        if let (Some(el), Some(text)) = (textarea_ref.get_untracked(), active_text.get_untracked()) {
            let (start, _) = selection_of(&el, &text);
            caret.set(line_col(&text, start));
        }
    };

    // Remember where the learner was in a file before showing another.
    let remember_place = move || {
        let (Some(path), Some(el), Some(scroller)) =
            (shown_path.get_value(), textarea_ref.get_untracked(), scroll_ref.get_untracked())
        else {
            return;
        };
        buffers.update_untracked(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                b.selection = selection_of(&el, b.text());
            }
        });
        scroll_of.update_value(|m| {
            m.insert(path, (scroller.scroll_top(), scroller.scroll_left()));
        });
    };

    // The textarea shows the active buffer (the DOM is the outside world: an effect).
    Effect::new(move |_| {
        let path = active.get();
        let text = active_text.get();
        let Some(el) = textarea_ref.get() else { return };
        let switched = shown_path.get_value() != path;
        if switched {
            remember_place();
            shown_path.set_value(path.clone());
        }
        let Some(text) = text else { return };
        if switched || el.value() != text {
            let selection = buffers.with_untracked(|bs| {
                bs.iter().find(|b| Some(&b.path) == path.as_ref()).map_or((0, 0), |b| b.selection)
            });
            show_in(&el, &text, selection);
            caret.set(line_col(&text, selection.0));
        }
        if switched {
            if let (Some(scroller), Some(path)) = (scroll_ref.get_untracked(), &path) {
                let (top, left) = scroll_of.with_value(|m| m.get(path).copied().unwrap_or((0, 0)));
                scroller.set_scroll_top(top);
                scroller.set_scroll_left(left);
            }
        }
    });

    let on_beforeinput = move |ev: InputEvent| {
        match ev.input_type().as_str() {
            "historyUndo" => {
                ev.prevent_default();
                undo_redo(false);
                return;
            }
            "historyRedo" => {
                ev.prevent_default();
                undo_redo(true);
                return;
            }
            _ => {}
        }
        if let (Some(el), Some(text)) = (textarea_ref.get_untracked(), active_text.get_untracked()) {
            selection_before.set_value(Some(selection_of(&el, &text)));
        }
    };

    let on_input = move |ev: leptos::ev::Event| {
        let Some(el) = textarea_ref.get_untracked() else { return };
        let text = el.value();
        let after = selection_of(&el, &text);
        let before = selection_before.get_value().unwrap_or(after);
        selection_before.set_value(None);
        let (kind, inserted) = match ev.dyn_ref::<web_sys::InputEvent>() {
            Some(input) if input.input_type() == "insertText" => (EditKind::Typing, input.data().unwrap_or_default()),
            Some(input) if input.input_type().starts_with("delete") => (EditKind::Deleting, String::new()),
            _ => (EditKind::Other, String::new()),
        };
        caret.set(line_col(&text, after.0));
        apply_edit(text, before, after, kind, &inserted);
        reveal_caret();
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let Some(el) = textarea_ref.get_untracked() else { return };
        let Some(text) = active_text.get_untracked() else { return };
        let key = ev.key();
        let command = ev.ctrl_key() || ev.meta_key();
        let armed = escape_armed.get_value();
        escape_armed.set_value(key == "Escape");
        match key.as_str() {
            "Tab" if armed || command || ev.alt_key() => {}
            "Tab" => {
                ev.prevent_default();
                let (start, end) = selection_of(&el, &text);
                let edited = if ev.shift_key() { editing::dedent(&text, start, end) } else { editing::indent(&text, start, end) };
                if edited.text != text || (edited.start, edited.end) != (start, end) {
                    apply_own_edit(edited, (start, end));
                }
            }
            "Enter" if !command && !ev.shift_key() && !ev.alt_key() && !ev.is_composing() => {
                ev.prevent_default();
                let (start, end) = selection_of(&el, &text);
                apply_own_edit(editing::newline(&text, start, end), (start, end));
                update_caret();
            }
            "z" | "Z" if command && ev.shift_key() => {
                ev.prevent_default();
                undo_redo(true);
            }
            "z" | "Z" if command => {
                ev.prevent_default();
                undo_redo(false);
            }
            "y" | "Y" if command && !ev.shift_key() => {
                ev.prevent_default();
                undo_redo(true);
            }
            _ => {}
        }
    };

    // Ctrl/Cmd+S anywhere in the editor saves the file shown.
    let on_editor_keydown = move |ev: KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && (ev.key() == "s" || ev.key() == "S") {
            ev.prevent_default();
            if let Some(path) = active.get_untracked() {
                if is_text.get_untracked() {
                    save(path);
                }
            }
        }
    };

    // The textarea covers the underlines: hovering shows the problem under the pointer as its title.
    let on_mousemove = move |ev: MouseEvent| {
        let Some(el) = textarea_ref.get_untracked() else { return };
        let found = document()
            .elements_from_point(ev.client_x() as f32, ev.client_y() as f32)
            .iter()
            .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
            .find_map(|node| node.closest(".problem").ok().flatten())
            .and_then(|problem| problem.get_attribute("title"));
        match found {
            Some(title) => {
                let _ = el.set_attribute("title", &title);
            }
            None => {
                let _ = el.remove_attribute("title");
            }
        }
    };

    let close_tab = move |path: String| {
        let dirty = buffers.with_untracked(|bs| bs.iter().any(|b| b.path == path && b.is_dirty() && !b.is_deleted()));
        if dirty {
            let message = format!("{path} has unsaved changes. Close it anyway?");
            if !window().confirm_with_message(&message).unwrap_or(false) {
                return;
            }
        }
        let position = buffers.with_untracked(|bs| bs.iter().position(|b| b.path == path));
        buffers.update(|bs| bs.retain(|b| b.path != path));
        edited_since_save.update_value(|set| {
            set.remove(&path);
        });
        // Its unsaved text no longer counts for the problems.
        check_tick.update(|n| *n += 1);
        if active.get_untracked().as_deref() == Some(path.as_str()) {
            let next = buffers.with_untracked(|bs| {
                position.and_then(|i| bs.get(i.min(bs.len().saturating_sub(1)))).map(|b| b.path.clone())
            });
            shown_path.set_value(None);
            workbench.open_file.set(next);
        }
    };

    // A problem in the list: open its file, select its place, show it.
    let jump_to = move |path: String, problem: Problem| {
        remember_place();
        if !buffers.with_untracked(|bs| bs.iter().any(|b| b.path == path)) {
            let on_disk = engine.with_untracked(|s| s.project.read_text(&path));
            buffers.update(|bs| bs.push(Buffer::open(path.clone(), on_disk.as_deref())));
        }
        buffers.update_untracked(|bs| {
            if let Some(b) = bs.iter_mut().find(|b| b.path == path) {
                let len = b.text().len();
                b.selection = (problem.start.min(len), problem.end.min(len));
            }
        });
        // Show it now (not after the effect): then focus and scroll to the line.
        if let (Some(el), Some(text)) =
            (textarea_ref.get_untracked(), buffers.with_untracked(|bs| bs.iter().find(|b| b.path == path).map(|b| b.text().to_string())))
        {
            shown_path.set_value(Some(path.clone()));
            workbench.open(path.clone());
            show_in(&el, &text, (problem.start.min(text.len()), problem.end.min(text.len())));
            let _ = el.focus();
            if let (Some(scroller), Some(pre)) = (scroll_ref.get_untracked(), pre_ref.get_untracked()) {
                let lines = text.split('\n').count().max(1) as i32;
                let line_height = pre.scroll_height() / lines.max(1);
                let target = (problem.line as i32 - 1) * line_height - scroller.client_height() / 3;
                scroller.set_scroll_top(target.max(0));
            }
            caret.set((problem.line, problem.col));
        }
    };

    let problem_at_caret = Memo::new(move |_| {
        let (line, _) = caret.get();
        active_problems.with(|p| p.iter().flatten().find(|p| p.line <= line && line <= p.end_line).map(problem_text))
    });
    let problem_count = Memo::new(move |_| problems.with(|all| all.iter().map(|f| f.problems.len()).sum::<usize>()));

    let tab_view = move |info: TabInfo| {
        let path = info.path.clone();
        let selected = {
            let path = path.clone();
            Memo::new(move |_| active.with(|a| a.as_deref() == Some(path.as_str())))
        };
        let state = {
            let path = path.clone();
            Memo::new(move |_| tabs.with(|t| t.iter().find(|t| t.path == path).map_or((false, false), |t| (t.dirty, t.deleted))))
        };
        let open_path = path.clone();
        let close_path = path.clone();
        let label = info.label.clone();
        let close_label = format!("Close {}", info.label);
        view! {
            <div
                class="file-tab"
                data-testid="file-tab"
                data-path=path.clone()
                class:selected=move || selected.get()
                class:deleted=move || state.get().1
                title=path.clone()
            >
                <button
                    type="button"
                    role="tab"
                    class="file-tab-name"
                    aria-selected=move || selected.get().to_string()
                    on:click=move |_| {
                        remember_place();
                        workbench.open(open_path.clone());
                    }
                >
                    <span class="file-tab-label">{label}</span>
                    {move || state.get().0.then(|| view! {
                        <span class="unsaved" data-testid="unsaved-marker" title="Unsaved changes" aria-label="unsaved">"●"</span>
                    })}
                    {move || state.get().1.then(|| view! { <span class="deleted-note">" (deleted)"</span> })}
                </button>
                <button
                    type="button"
                    class="file-tab-close"
                    aria-label=close_label
                    title="Close"
                    on:click=move |_| close_tab(close_path.clone())
                >
                    "×"
                </button>
            </div>
        }
    };

    // Keep the active tab in view when the tabs overflow (the DOM: an effect).
    let tabs_ref = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        active.track();
        tabs.track();
        request_animation_frame(move || {
            let Some(bar) = tabs_ref.get_untracked() else { return };
            let selected = bar.get_elements_by_class_name("selected");
            if let Some(tab) = selected.item(0) {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
                tab.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    });

    let render_run = |text: &str, run: &Run, problems: &[Problem]| -> AnyView {
        let pieces = run
            .spans
            .iter()
            .map(|span| {
                let piece = text[span.start..span.end].to_string();
                if span.kind == SpanKind::Plain {
                    piece.into_any()
                } else {
                    view! { <span class=format!("tok tok-{}", span.kind.as_str())>{piece}</span> }.into_any()
                }
            })
            .collect_view();
        match run.problem.and_then(|i| problems.get(i)) {
            Some(problem) => {
                let content = if run.start == run.end { " ".to_string().into_any() } else { pieces.into_any() };
                view! {
                    <span
                        class=format!("problem problem-{}", problem.severity.as_str())
                        data-testid="problem-underline"
                        data-line=problem.line.to_string()
                        data-col=problem.col.to_string()
                        title=problem_text(problem)
                    >
                        {content}
                    </span>
                }
                .into_any()
            }
            None => pieces.into_any(),
        }
    };

    let highlighted = move || {
        let text = active_text.get().unwrap_or_default();
        let problems = active_problems.get().unwrap_or_default();
        runs.with(|runs| runs.iter().map(|run| render_run(&text, run, &problems)).collect_view())
    };

    let problem_rows = move || {
        let all: Vec<FileProblems> = problems.get();
        let current = active.get();
        all.into_iter()
            .flat_map(|file| file.problems.into_iter().map(move |p| (file.path.clone(), p)))
            .map(|(path, problem)| {
                let in_active = current.as_deref() == Some(path.as_str());
                let place = format!("{path}:{}:{}", problem.line, problem.col);
                let message = problem.message.clone();
                let hint = problem.hint.clone();
                let severity = problem.severity.as_str();
                let jump_path = path.clone();
                let jump_problem = problem.clone();
                view! {
                    <li>
                        <button
                            type="button"
                            class=format!("problem-row problem-row-{severity}")
                            class:in-active=in_active
                            data-testid="problem-item"
                            data-path=path.clone()
                            data-line=problem.line.to_string()
                            on:click=move |_| jump_to(jump_path.clone(), jump_problem.clone())
                        >
                            <span class="problem-severity">{severity}</span>
                            <span class="problem-place">{place}</span>
                            " — "
                            <span class="problem-message">{message}</span>
                            {hint.map(|h| view! { <span class="problem-hint">{format!("hint: {h}")}</span> })}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let toggle_autosave = move |_| {
        let on = !autosave.get_untracked();
        autosave.set(on);
        if let Some(s) = storage() {
            let _ = s.set_item(AUTOSAVE_KEY, if on { "on" } else { "off" });
        }
        if on {
            autosave_now();
        }
    };

    let status = move || {
        let path = active.get()?;
        let (line, col) = caret.get();
        let saved = match save_note.get() {
            Some(note) if note.path == path => {
                if note.app_output.is_empty() {
                    format!(" · saved {}", file_name(&note.path))
                } else {
                    format!(" · saved {}: the running app reloaded", file_name(&note.path))
                }
            }
            _ => String::new(),
        };
        Some(format!("Ln {line}, Col {col} · {}{saved}", language(&path)))
    };

    view! {
        <section class="editor" data-testid="editor" aria-label="Editor" on:keydown=on_editor_keydown>
            <div class="editor-bar">
                <div class="file-tabs" role="tablist" aria-label="Open files" node_ref=tabs_ref>
                    <For each=move || tabs.get() key=|tab| tab.path.clone() let:tab>
                        {tab_view(tab)}
                    </For>
                </div>
                <label class="autosave-toggle" title="Save a moment after you stop typing">
                    <input type="checkbox" data-testid="autosave" prop:checked=move || autosave.get() on:change=toggle_autosave/>
                    "Autosave"
                </label>
            </div>
            {move || active.get().is_none().then(|| view! {
                <p class="editor-empty">"Open a file from the Files list to edit it."</p>
            })}
            {move || (active.get().is_some() && !is_text.get()).then(|| {
                let path = active.get().unwrap_or_default();
                let what = match kind_of_active.get() {
                    Some(EntryKind::Database) => "an SQLite database",
                    _ => "binary",
                };
                view! {
                    <div class="editor-binary" data-testid="editor-binary" role="status">
                        <p>{format!("{path} is {what}: see the Database view.")}</p>
                        <button type="button" on:click=move |_| workbench.side_tab.set(SideTab::Database)>"Show the Database view"</button>
                    </div>
                }
            })}
            {move || {
                let deleted = active.get().is_some_and(|p| tabs.with(|t| t.iter().any(|t| t.path == p && t.deleted)));
                deleted.then(|| view! {
                    <p class="editor-deleted" data-testid="editor-deleted" role="status">
                        "This file was deleted. Its text is kept here; saving (Ctrl+S) creates it again."
                    </p>
                })
            }}
            <div class="editor-body" hidden=move || active.get().is_none() || !is_text.get()>
                <div class="editor-scroll" node_ref=scroll_ref>
                    <div class="editor-gutter" aria-hidden="true">
                        {move || {
                            let (lines, marked) = gutter.get();
                            (1..=lines)
                                .map(|n| view! { <div class="gutter-line" class:has-problem=marked.contains(&n)>{n}</div> })
                                .collect_view()
                        }}
                    </div>
                    <div class="editor-stack">
                        <pre class="editor-highlight" node_ref=pre_ref aria-hidden="true">
                            {highlighted}
                            // A last line break needs a line after it to take up room.
                            "\n "
                        </pre>
                        <textarea
                            class="editor-input"
                            data-testid="editor-input"
                            node_ref=textarea_ref
                            aria-label=move || format!("Contents of {}", active.get().unwrap_or_default())
                            aria-describedby="editor-help"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            wrap="off"
                            on:beforeinput=on_beforeinput
                            on:input=on_input
                            on:keydown=on_keydown
                            on:keyup=move |ev: KeyboardEvent| {
                                update_caret();
                                if ev.key().starts_with("Arrow") || matches!(ev.key().as_str(), "Home" | "End" | "PageUp" | "PageDown") {
                                    end_undo_step();
                                    reveal_caret();
                                }
                            }
                            on:mouseup=move |_| {
                                end_undo_step();
                                update_caret();
                            }
                            on:focus=move |_| update_caret()
                            on:mousemove=on_mousemove
                        ></textarea>
                    </div>
                </div>
                <p id="editor-help" class="visually-hidden">
                    "Tab indents and Shift+Tab dedents. To move focus out of the editor, press Escape, then Tab."
                </p>
                <div class="editor-status" data-testid="editor-status">
                    <span>{status}</span>
                    <span class="editor-status-problem" role="status" aria-live="polite">{move || problem_at_caret.get()}</span>
                </div>
            </div>
            <details class="problems-panel" open>
                <summary>
                    "Problems "
                    <span class="problem-count" data-testid="problem-count">{move || problem_count.get()}</span>
                </summary>
                <ul class="problems" data-testid="problems" aria-label="Problems">
                    {problem_rows}
                </ul>
                {move || (problem_count.get() == 0).then(|| view! { <p class="problems-none">"No problems found."</p> })}
            </details>
        </section>
    }
}
