//! The terminal pane: a prompt and input, the scrolling output of every
//! command, and Up/Down through what was typed.

use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;

use super::Engine;

/// One command line and what it printed.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    id: usize,
    prompt: String,
    command: String,
    stdout: String,
    stderr: String,
    exit_code: i32,
}

#[component]
pub fn Terminal() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let entries = RwSignal::new(Vec::<Entry>::new());
    // Entry ids keep counting across `clear`, so list keys are never reused.
    let next_id = StoredValue::new(0usize);
    let input = RwSignal::new(String::new());
    let prompt = Memo::new(move |_| engine.with(|s| s.prompt()));
    // Position while walking the history with Up/Down; `None` = a new line.
    let recall = RwSignal::new(None::<usize>);
    let output_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Input>::new();

    let push_entry = move |prompt: String, command: String, output: crate::engine::CommandOutput| {
        entries.update(|list| {
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            list.push(Entry {
                id,
                prompt,
                command,
                stdout: output.stdout,
                stderr: output.stderr,
                exit_code: output.exit_code,
            })
        });
    };

    // Ctrl+C stops the running app, as in a real terminal.
    let interrupt = move || {
        let output = engine.update(|s| s.interrupt());
        push_entry(prompt.get_untracked(), "^C".to_string(), output);
    };

    let run = move || {
        let line = input.get_untracked();
        let shown_prompt = prompt.get_untracked();
        let output = engine.update(|s| s.run_line(&line));
        // `clear` prints the terminal's clear-screen sequence: start afresh.
        if let Some(rest) = output.stdout.strip_prefix(crate::engine::shell::CLEAR_SCREEN) {
            entries.update(|list| list.clear());
            if rest.is_empty() && output.stderr.is_empty() {
                input.set(String::new());
                recall.set(None);
                return;
            }
        }
        push_entry(shown_prompt, line, output);
        input.set(String::new());
        recall.set(None);
    };

    let walk_history = move |older: bool| {
        let history = engine.with(|s| s.history().to_vec());
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
    };

    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "c" | "C" if ev.ctrl_key() => {
            ev.prevent_default();
            interrupt();
        }
        "Enter" => {
            ev.prevent_default();
            run();
        }
        "ArrowUp" => {
            ev.prevent_default();
            walk_history(true);
        }
        "ArrowDown" => {
            ev.prevent_default();
            walk_history(false);
        }
        _ => {}
    };

    // Keep the newest output in view (the DOM is the outside world: an effect).
    Effect::new(move |_| {
        entries.track();
        if let Some(output) = output_ref.get() {
            output.set_scroll_top(output.scroll_height());
        }
    });

    let focus_input = move |_| {
        if let Some(el) = input_ref.get() {
            let _ = el.focus();
        }
    };

    view! {
        <section class="terminal" aria-label="Terminal" on:click=focus_input>
            <div class="terminal-output" data-testid="terminal-output" node_ref=output_ref role="log" aria-live="polite">
                <p class="terminal-hint">
                    "This is the guides' todo app. Try " <code>"ls"</code> ", "
                    <code>"uvicorn main:app"</code> ", " <code>"curl http://127.0.0.1:8000/todos"</code>
                    " and " <code>"sqlite3 todos.db .tables"</code> " — or " <code>"help"</code> "."
                </p>
                <For each=move || entries.get() key=|entry| entry.id let:entry>
                    <div class="entry" data-testid="terminal-entry" data-exit=entry.exit_code.to_string()>
                        <div class="entry-line">
                            <span class="prompt">{entry.prompt.clone()}</span>
                            <span data-testid="entry-command">{entry.command.clone()}</span>
                        </div>
                        {(!entry.stdout.is_empty()).then(|| view! {
                            <pre class="stdout" data-testid="entry-stdout">{entry.stdout.clone()}</pre>
                        })}
                        {(!entry.stderr.is_empty()).then(|| view! {
                            <pre class="stderr" data-testid="entry-stderr">{entry.stderr.clone()}</pre>
                        })}
                    </div>
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
                    autofocus
                    aria-label="Command line"
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                />
            </div>
        </section>
    }
}
