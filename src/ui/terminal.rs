//! The terminal pane: a prompt showing the current directory, the scrolling
//! output of every command, and the keys of a shell — Tab completion, Up/Down
//! through history, Ctrl+L to clear, Ctrl+C to stop the running app — with a
//! copy button per entry and long outputs folded so the page stays quick.
//!
//! Choices:
//! - Tab inserts what every completion has in common; when several remain,
//!   they are listed under the prompt at once (readline's
//!   `show-all-if-ambiguous`, fish's pager) rather than printed into the
//!   scrollback on a second Tab: the list is gone at the next keystroke and
//!   never buries the output. Shift+Tab, or Escape then Tab, leaves the
//!   terminal, so Tab is never a keyboard trap.
//! - The newest [`MAX_ENTRIES`] commands stay on screen, as a terminal keeps
//!   a bounded scrollback; an output longer than [`FOLD_AT`] lines shows its
//!   last [`TAIL_LINES`] lines (what a terminal leaves on screen) and a
//!   "Show all" button. The copy button copies the whole output.

use std::sync::Arc;

use leptos::ev::{KeyboardEvent, MouseEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{Engine, FeedItem, TerminalFeed, TerminalRecord};
use super::share_menu::restore_before_command;
use crate::engine::CommandOutput;
use crate::engine::saved::TerminalEntry;
use crate::engine::lesson::Transcript;

/// How many commands (with their output) stay on screen.
pub const MAX_ENTRIES: usize = 200;
/// Outputs longer than this many lines are folded...
pub const FOLD_AT: usize = 500;
/// ...to their last this many lines.
pub const TAIL_LINES: usize = 200;
/// How many completions the list under the prompt shows.
const MAX_LISTED: usize = 120;

/// One command line and what it printed.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: usize,
    prompt: String,
    command: String,
    stdout: String,
    stderr: String,
    exit_code: i32,
    /// The command's place in the session history, when a snapshot from
    /// before it can bring the project back (its undo button).
    undo_index: Option<usize>,
}

impl Entry {
    /// What the copy button copies: the prompt line, then the output.
    fn transcript(&self) -> String {
        format!("{}{}\n{}{}", self.prompt, self.command, self.stdout, self.stderr)
    }
}

#[component]
pub fn Terminal() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let entries = RwSignal::new(Vec::<Arc<Entry>>::new());
    // Entry ids keep counting across `clear`, so list keys are never reused.
    let next_id = StoredValue::new(0usize);
    // Commands dropped off the top since the last clear.
    let dropped = RwSignal::new(0usize);
    let input = RwSignal::new(String::new());
    let prompt = Memo::new(move |_| engine.with(|s| s.prompt()));
    // Position while walking the history with Up/Down; `None` = a new line.
    let recall = RwSignal::new(None::<usize>);
    // The completions listed under the prompt after an ambiguous Tab.
    let listed = RwSignal::new(None::<Vec<String>>);
    // Escape was pressed: the next Tab moves focus instead of completing.
    let tab_leaves = StoredValue::new(false);
    let output_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Input>::new();

    // The undo index the next pushed entry carries (set by `run`).
    let pending_undo = StoredValue::new(None::<usize>);
    let push_entry = move |prompt: String, command: String, output: crate::engine::CommandOutput| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let entry = Entry {
            id,
            prompt,
            command,
            stdout: output.stdout,
            stderr: output.stderr,
            exit_code: output.exit_code,
            undo_index: pending_undo.try_update_value(Option::take).flatten(),
        };
        entries.update(|list| {
            list.push(Arc::new(entry));
            if list.len() > MAX_ENTRIES {
                let excess = list.len() - MAX_ENTRIES;
                list.drain(..excess);
                dropped.update(|n| *n += excess);
            }
        });
    };

    let clear_screen = move || {
        entries.update(|list| list.clear());
        dropped.set(0);
    };

    let reset_line = move || {
        input.set(String::new());
        recall.set(None);
        listed.set(None);
    };

    // Ctrl+C: stops the running app, and drops the line typed so far, as bash does.
    let interrupt = move || {
        let line = input.get_untracked();
        let shown_prompt = prompt.get_untracked();
        let output = engine.run(|s| s.interrupt());
        push_entry(shown_prompt, format!("{line}^C"), output);
        reset_line();
    };

    let run = move || {
        let line = input.get_untracked();
        let shown_prompt = prompt.get_untracked();
        let output = engine.run(|s| s.run_line(&line));
        // A snapshot was taken before this command if it changed the project.
        let index = engine.with_untracked(|s| s.history().len().checked_sub(1).filter(|i| s.undo_history().can_restore_before(*i)));
        pending_undo.set_value(index);
        reset_line();
        // `clear` prints the terminal's clear-screen sequence: start afresh.
        if let Some(rest) = output.stdout.strip_prefix(crate::engine::shell::CLEAR_SCREEN) {
            clear_screen();
            if rest.is_empty() && output.stderr.is_empty() {
                return;
            }
        }
        push_entry(shown_prompt, line, output);
    };

    let walk_history = move |older: bool| {
        let history = engine.with_untracked(|s| s.history().to_vec());
        if history.is_empty() {
            return;
        }
        let next = match (recall.get_untracked(), older) {
            (None, true) => Some(history.len() - 1),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < history.len() => Some(i + 1),
            (Some(_), false) => None,
        };
        recall.set(next);
        input.set(next.map(|i| history[i].clone()).unwrap_or_default());
        listed.set(None);
    };

    // Tab: complete the word before the cursor in place.
    let complete = move || {
        let Some(el) = input_ref.get_untracked() else { return };
        let line = el.value();
        let cursor = el.selection_start().ok().flatten().map_or(line.len(), |at| byte_offset(&line, at));
        let completion = engine.with_untracked(|s| s.complete(&line, cursor));
        let (completed, at) = completion.apply(&line, cursor);
        if completed != line {
            // The element first, so the caret lands where the completion ends;
            // the signal then holds the same value (setting it again keeps the caret).
            el.set_value(&completed);
            let at = utf16_offset(&completed, at);
            let _ = el.set_selection_range(at, at);
            input.set(completed);
        }
        listed.set((completion.candidates.len() > 1).then_some(completion.candidates));
    };

    let focus_input = move || {
        if let Some(el) = input_ref.get_untracked() {
            let _ = el.focus();
        }
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        let plain = !(ev.ctrl_key() || ev.alt_key() || ev.meta_key());
        let leaving = tab_leaves.get_value();
        tab_leaves.set_value(key == "Escape");
        match key.as_str() {
            "Tab" if plain && !ev.shift_key() && !leaving => {
                ev.prevent_default();
                complete();
            }
            "Escape" => listed.set(None),
            "c" | "C" if ev.ctrl_key() && !ev.shift_key() => {
                // With text selected in the line, Ctrl+C copies it.
                let selected = input_ref.get_untracked().is_some_and(|el| {
                    let start = el.selection_start().ok().flatten();
                    start.is_some() && start != el.selection_end().ok().flatten()
                });
                if !selected {
                    ev.prevent_default();
                    interrupt();
                }
            }
            "l" | "L" if ev.ctrl_key() && !ev.shift_key() => {
                // Clears the screen and keeps the line being typed, as readline does.
                ev.prevent_default();
                clear_screen();
                listed.set(None);
            }
            "Enter" if plain => {
                ev.prevent_default();
                run();
            }
            "ArrowUp" if plain => {
                ev.prevent_default();
                walk_history(true);
            }
            "ArrowDown" if plain => {
                ev.prevent_default();
                walk_history(false);
            }
            _ => {}
        }
    };

    // A new session (a lesson started or reset, the sandbox, a restored
    // state) starts with a clean screen.
    // Autosave keeps what the terminal shows (persistence.rs): a restored
    // session's entries come back first, at start and when a session is put back.
    let record = use_context::<TerminalRecord>();
    Effect::new(move |previous: Option<u64>| {
        let epoch = engine.epoch();
        if previous.is_some_and(|p| p != epoch) {
            clear_screen();
            reset_line();
        }
        for e in record.map(|r| r.take_restored()).unwrap_or_default() {
            let output = crate::engine::CommandOutput { stdout: e.stdout, stderr: e.stderr, exit_code: e.exit_code };
            push_entry(e.prompt, e.command, output);
        }
        epoch
    });
    if let Some(record) = record {
        Effect::new(move |_| {
            record.record(entries.with(|list| {
                list.iter()
                    .map(|e| TerminalEntry {
                        prompt: e.prompt.clone(),
                        command: e.command.clone(),
                        stdout: e.stdout.clone(),
                        stderr: e.stderr.clone(),
                        exit_code: e.exit_code,
                    })
                    .collect()
            }));
        });
    }

    // Output from outside the prompt: what "show me" typed, what the running
    // app printed when a saved file made it reload.
    let feed = expect_context::<TerminalFeed>();
    Effect::new(move |_| {
        for item in feed.drain() {
            let shown_prompt = prompt.get_untracked();
            match item {
                FeedItem::Transcript(Transcript::Command { line, output }) => push_entry(shown_prompt, line, output),
                FeedItem::Transcript(Transcript::Interrupt { output }) => push_entry(shown_prompt, "^C".to_string(), output),
                FeedItem::Transcript(Transcript::Saved { output, .. }) => {
                    if !output.stdout.is_empty() || !output.stderr.is_empty() {
                        push_entry(String::new(), String::new(), output);
                    }
                }
                FeedItem::Note { text, failed } => {
                    let output = if failed {
                        CommandOutput { stdout: String::new(), stderr: text, exit_code: 1 }
                    } else {
                        CommandOutput { stdout: text, stderr: String::new(), exit_code: 0 }
                    };
                    push_entry(String::new(), String::new(), output);
                }
            }
        }
    });

    // Keep the newest output in view, also when the completion list takes
    // room (the DOM is the outside world: an effect).
    Effect::new(move |_| {
        entries.track();
        listed.track();
        // After the frame is laid out: entries pushed from another effect
        // (the feed) are not in the DOM yet when this runs.
        request_animation_frame(move || {
            if let Some(output) = output_ref.get_untracked() {
                output.set_scroll_top(output.scroll_height());
            }
        });
    });

    // A click in the terminal puts the caret in the line — unless the learner
    // is selecting text to copy, or clicked a button of its own.
    let on_click = move |ev: MouseEvent| {
        let on_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button, a, input").ok().flatten())
            .is_some();
        let selecting = window()
            .get_selection()
            .ok()
            .flatten()
            .is_some_and(|selection| !selection.is_collapsed());
        if !on_control && !selecting {
            focus_input();
        }
    };

    view! {
        <div class="terminal" on:click=on_click>
            <div
                class="terminal-output"
                data-testid="terminal-output"
                node_ref=output_ref
                role="log"
                aria-label="Terminal output"
                tabindex="0"
            >
                <p class="terminal-hint">
                    "This is the guides' todo app. Try " <code>"ls"</code> ", "
                    <code>"uvicorn main:app"</code> ", " <code>"curl http://127.0.0.1:8000/todos"</code>
                    " and " <code>"sqlite3 todos.db .tables"</code> " — or " <code>"help"</code>
                    ". Tab completes commands, files and revision ids."
                </p>
                {move || (dropped.get() > 0).then(|| view! {
                    <p class="terminal-dropped">
                        {format!(
                            "{} older commands were removed: the terminal keeps the newest {MAX_ENTRIES}.",
                            dropped.get()
                        )}
                    </p>
                })}
                <For each=move || entries.get() key=|entry| entry.id let:entry>
                    <EntryView entry=entry/>
                </For>
            </div>
            {move || engine.with(|s| s.app_status()).map(|status| view! {
                <div class="app-status" data-testid="app-status" role="status">{status.summary}</div>
            })}
            <div class="terminal-input-line">
                <label class="prompt" for="terminal-input">{move || prompt.get()}</label>
                <input
                    id="terminal-input"
                    data-testid="terminal-input"
                    node_ref=input_ref
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    autofocus
                    aria-label="Command line"
                    aria-describedby="terminal-keys"
                    prop:value=move || input.get()
                    on:input=move |ev| {
                        input.set(event_target_value(&ev));
                        listed.set(None);
                    }
                    on:keydown=on_keydown
                />
                <button
                    type="button"
                    class="terminal-key"
                    aria-label="Complete the word (Tab)"
                    title="Complete the word (Tab)"
                    on:click=move |_| {
                        complete();
                        focus_input();
                    }
                >
                    "Tab"
                </button>
                <span id="terminal-keys" class="terminal-sr">
                    "Tab completes, Up and Down recall earlier commands, Ctrl+L clears the screen, \
                     Ctrl+C stops the running app. Shift+Tab, or Escape then Tab, leaves the terminal."
                </span>
            </div>
            <div
                class="terminal-completions"
                class:open=move || listed.with(Option::is_some)
                data-testid="terminal-completions"
                role="status"
                aria-label="Completions"
            >
                {move || listed.get().map(|candidates| {
                    let more = candidates.len().saturating_sub(MAX_LISTED);
                    view! {
                        <ul>
                            {candidates.into_iter().take(MAX_LISTED).map(|c| view! { <li>{c}</li> }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="terminal-more">{format!("and {more} more")}</p> })}
                    }
                })}
            </div>
        </div>
    }
}

/// What the copy button last did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Copy {
    Idle,
    Done,
    Failed,
}

/// One command: its prompt line with a copy button, then its stdout and stderr.
#[component]
fn EntryView(entry: Arc<Entry>) -> impl IntoView {
    let copy = RwSignal::new(Copy::Idle);
    let transcript = entry.transcript();
    let on_copy = move |_| copy_to_clipboard(&transcript, copy);
    let engine = expect_context::<Engine>();
    let feed = expect_context::<TerminalFeed>();
    let undo_index = entry.undo_index;
    // Offered while a snapshot from before this command is kept.
    let can_undo = move || undo_index.is_some_and(|i| engine.with(|s| s.undo_history().can_restore_before(i)));
    let undo = move |_| {
        if let Some(index) = undo_index {
            match restore_before_command(engine, index) {
                Ok(message) => feed.note(message, false),
                Err(message) => feed.note(message, true),
            }
        }
    };
    let undo_label = format!("Undo: bring the project back to before `{}`", entry.command);
    view! {
        <div class="entry" data-testid="terminal-entry" data-exit=entry.exit_code.to_string()>
            <div class="entry-line">
                <span class="prompt">{entry.prompt.clone()}</span>
                <span class="entry-command" data-testid="entry-command">{entry.command.clone()}</span>
                {(entry.exit_code != 0).then(|| view! {
                    <span class="entry-exit">{format!("exit {}", entry.exit_code)}</span>
                })}
                <Show when=can_undo>
                    <button
                        type="button"
                        class="entry-undo"
                        data-testid="entry-undo"
                        aria-label=undo_label.clone()
                        title=undo_label.clone()
                        on:click=undo
                    >
                        "Undo"
                    </button>
                </Show>
                <button
                    type="button"
                    class="entry-copy"
                    data-state=move || match copy.get() {
                        Copy::Idle => "idle",
                        Copy::Done => "done",
                        Copy::Failed => "failed",
                    }
                    aria-label=move || match copy.get() {
                        Copy::Idle => "Copy command and output",
                        Copy::Done => "Copied command and output",
                        Copy::Failed => "Copy failed: select the text instead",
                    }
                    title="Copy command and output"
                    on:click=on_copy
                >
                    {move || match copy.get() {
                        Copy::Idle => "Copy",
                        Copy::Done => "Copied",
                        Copy::Failed => "Copy failed",
                    }}
                </button>
            </div>
            {(!entry.stdout.is_empty()).then(|| view! {
                <Stream text=entry.stdout.clone() class="stdout" testid="entry-stdout"/>
            })}
            {(!entry.stderr.is_empty()).then(|| view! {
                <Stream text=entry.stderr.clone() class="stderr" testid="entry-stderr"/>
            })}
        </div>
    }
}

/// One output stream; folded to its last lines when it is long.
#[component]
fn Stream(text: String, class: &'static str, testid: &'static str) -> impl IntoView {
    let lines = text.lines().count();
    if lines <= FOLD_AT {
        return view! { <pre class=class data-testid=testid>{text}</pre> }.into_any();
    }
    let show_all = RwSignal::new(false);
    let tail = tail_lines(&text, TAIL_LINES).to_string();
    let hidden = lines - TAIL_LINES;
    view! {
        {move || (!show_all.get()).then(|| view! {
            <div class="entry-fold">
                <span>{format!("{} earlier lines hidden", group_digits(hidden))}</span>
                <button type="button" data-testid="entry-show-all" on:click=move |_| show_all.set(true)>
                    {format!("Show all {} lines", group_digits(lines))}
                </button>
            </div>
        })}
        <pre class=class data-testid=testid data-folded=move || (!show_all.get()).to_string()>
            {move || if show_all.get() { text.clone() } else { tail.clone() }}
        </pre>
    }
    .into_any()
}

/// The last `n` lines of `text` (its trailing newline kept).
fn tail_lines(text: &str, n: usize) -> &str {
    let body = text.strip_suffix('\n').unwrap_or(text);
    match body.rmatch_indices('\n').nth(n.saturating_sub(1)) {
        Some((at, _)) if n > 0 => &text[at + 1..],
        _ => text,
    }
}

/// `10000` → `10,000`.
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Copies `text` with the Clipboard API; `state` says how it went, then
/// returns to idle.
fn copy_to_clipboard(text: &str, state: RwSignal<Copy>) {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined());
    let settle = move |outcome: Copy| {
        let _ = state.try_set(outcome);
        gloo::timers::callback::Timeout::new(1_500, move || {
            let _ = state.try_set(Copy::Idle);
        })
        .forget();
    };
    if !has_clipboard {
        // Not a secure context: nothing to write with.
        settle(Copy::Failed);
        return;
    }
    // `promise.then(done, failed)` with closures that free themselves once called.
    let promise = navigator.clipboard().write_text(text);
    let done = Closure::once_into_js(move |_: JsValue| settle(Copy::Done));
    let failed = Closure::once_into_js(move |_: JsValue| settle(Copy::Failed));
    if let Ok(then) = js_sys::Reflect::get(&promise, &JsValue::from_str("then")) {
        let _ = then.unchecked_into::<js_sys::Function>().call2(&promise, &done, &failed);
    }
}

/// A caret position in UTF-16 units (the DOM's) as a byte offset in `text`.
fn byte_offset(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// A byte offset in `text` as a caret position in UTF-16 units.
fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())].encode_utf16().count() as u32
}
