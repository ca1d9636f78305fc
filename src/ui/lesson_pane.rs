//! The lesson pane: the course's lessons with progress, the current step's
//! text, its check evaluated after every command and save, hints one at a
//! time, "show me", next/back and reset; or the free sandbox.

use leptos::prelude::*;

use super::{Engine, TerminalFeed};
use crate::engine::lesson::markdown::{self, Inline, TextBlock};
use crate::engine::lesson::{Course, CourseProgress, Lesson, LessonProgress, StepStatus};
use crate::engine::{starter, Session};

const PROGRESS_KEY: &str = "driftlab.progress";

/// The course's progress and the shown step's status, shared with the rest
/// of the page (autosave, share links).
#[derive(Clone, Copy)]
pub struct Classroom {
    pub progress: RwSignal<CourseProgress>,
    pub status: RwSignal<Option<StepStatus>>,
}

impl Classroom {
    pub fn new() -> Self {
        Classroom { progress: RwSignal::new(load_progress()), status: RwSignal::new(None) }
    }

    fn current_lesson(&self) -> Option<&'static Lesson> {
        let slug = self.progress.with(|p| p.current.clone())?;
        Course::embedded().lesson(&slug)
    }
}

impl Default for Classroom {
    fn default() -> Self {
        Self::new()
    }
}

fn load_progress() -> CourseProgress {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(PROGRESS_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn store_progress(progress: &CourseProgress) {
    if let (Ok(Some(storage)), Ok(json)) = (window().local_storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(PROGRESS_KEY, &json);
    }
}

/// Starts (or restarts) a lesson: its start project in a fresh session.
fn start_lesson(engine: Engine, classroom: Classroom, slug: &str) -> Result<(), String> {
    let (session, lesson_progress) = Course::embedded().start(slug).map_err(|e| e.to_string())?;
    engine.replace(session);
    classroom.progress.update(|p| {
        p.current = Some(slug.to_string());
        p.lessons.insert(slug.to_string(), lesson_progress);
    });
    Ok(())
}

fn open_sandbox(engine: Engine, classroom: Classroom) {
    engine.replace(Session::new(starter::project()));
    classroom.progress.update(|p| p.current = None);
}

#[component]
pub fn LessonPane() -> impl IntoView {
    let engine = expect_context::<Engine>();
    let feed = expect_context::<TerminalFeed>();
    let classroom = expect_context::<Classroom>();
    let course = Course::embedded();
    let error = RwSignal::new(None::<String>);
    let confirming_reset = RwSignal::new(false);
    let list_open = RwSignal::new(false);

    // The lesson shown, as a memo: the evaluation below writes the progress,
    // which must not run it again (an endless loop when it tracked all of it).
    let current_slug = Memo::new(move |_| classroom.progress.with(|p| p.current.clone()));
    // After every command and save: evaluate the shown step on the real state.
    Effect::new(move |_| {
        engine.with(|_| ());
        let Some(lesson) = current_slug.get().and_then(|slug| Course::embedded().lesson(&slug)) else {
            classroom.status.set(None);
            return;
        };
        let status = classroom.progress.try_update_untracked(|p| {
            let progress = p.lessons.entry(lesson.slug.clone()).or_insert_with(|| engine.with_untracked(|s| LessonProgress::new(lesson, s)));
            engine.with_untracked(|session| progress.evaluate(lesson, session))
        });
        classroom.progress.notify();
        classroom.status.set(status);
    });
    // Progress is kept across reloads — not by an embed, which must leave the
    // learner's own progress alone (persistence.rs).
    if !use_context::<super::EmbedConfig>().is_some_and(|c| c.embed) {
        Effect::new(move |_| classroom.progress.with(store_progress));
    }

    let lesson_progress = move |lesson: &Lesson| classroom.progress.with(|p| p.lessons.get(&lesson.slug).cloned());

    let go_to = move |lesson: &'static Lesson, step: usize| {
        classroom.progress.update(|p| {
            if let Some(progress) = p.lessons.get_mut(&lesson.slug) {
                engine.with_untracked(|session| progress.go_to(lesson, step, session));
            }
        });
        engine.update(|_| ()); // re-evaluate the newly shown step
    };

    // Performing the solution is a command: `run` re-evaluates the step.
    let show_me = move |lesson: &'static Lesson| {
        let Some(mut progress) = lesson_progress(lesson) else { return };
        match engine.run(|session| progress.show_me(lesson, session)) {
            Ok(transcript) => {
                feed.push(transcript);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };


    let lesson_list = move || {
        course
            .lessons()
            .iter()
            .map(|lesson| {
                let slug = lesson.slug.clone();
                let counts = move || classroom.progress.with(|p| p.counts(lesson));
                let current = move || classroom.progress.with(|p| p.current.as_deref() == Some(lesson.slug.as_str()));
                view! {
                    <li>
                        <button
                            type="button"
                            class="lesson-link"
                            data-testid="lesson-link"
                            data-lesson=lesson.slug.clone()
                            aria-current=move || current().then_some("true")
                            on:click=move |_| {
                                list_open.set(false);
                                if let Err(e) = start_lesson(engine, classroom, &slug) {
                                    error.set(Some(e));
                                }
                            }
                        >
                            <span class="lesson-number">{lesson.number}</span>
                            <span class="lesson-title">{lesson.title.clone()}</span>
                            <span class="lesson-count">
                                {move || {
                                    let (done, all) = counts();
                                    if done == all && all > 0 { "✓ done".to_string() } else { format!("{done}/{all}") }
                                }}
                            </span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    let body = move || {
        let Some(lesson) = classroom.current_lesson() else {
            return view! {
                <div class="sandbox-note">
                    <h2>"Sandbox"</h2>
                    <p>"The starter todo app, free to explore: no lesson, no checks. Pick a lesson to follow the course."</p>
                    {course.lessons().first().map(|first| {
                        let slug = first.slug.clone();
                        view! {
                            <button
                                type="button"
                                class="start-course"
                                data-testid="start-course"
                                on:click=move |_| {
                                    if let Err(e) = start_lesson(engine, classroom, &slug) {
                                        error.set(Some(e));
                                    }
                                }
                            >
                                {format!("Start the course: {}. {}", first.number, first.title)}
                            </button>
                        }
                    })}
                </div>
            }
            .into_any();
        };
        let shown = move || lesson_progress(lesson).map(|p| p.step).unwrap_or(0);
        let steps = lesson
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| {
                let done = move || classroom.progress.with(|p| p.lessons.get(&lesson.slug).is_some_and(|lp| lp.done.contains(&index)));
                let is_shown = move || shown() == index;
                view! {
                    <li
                        class="lesson-step"
                        data-testid="lesson-step"
                        data-step=index.to_string()
                        data-state=move || if done() { "done" } else { "pending" }
                        aria-current=move || is_shown().then_some("step")
                    >
                        <button type="button" class="step-title" on:click=move |_| go_to(lesson, index)>
                            <span class="step-mark" aria-hidden="true">{move || if done() { "✓" } else { "○" }}</span>
                            <span>{format!("{}. {}", index + 1, step.title)}</span>
                            <span class="visually-hidden">{move || if done() { " (done)" } else { " (to do)" }}</span>
                        </button>
                        <Show when=is_shown>
                            <div class="step-body">
                                {step.blocks.iter().cloned().map(text_block).collect_view()}
                                <StepChecks/>
                                <Show when=done>
                                    <p class="why" data-testid="why"><strong>"Why this matters: "</strong>{inline_view(&step.why)}</p>
                                </Show>
                                <div class="hints">
                                    {move || {
                                        lesson_progress(lesson)
                                            .map(|p| p.hints(lesson).to_vec())
                                            .unwrap_or_default()
                                            .into_iter()
                                            .map(|hint| view! { <p class="hint" data-testid="hint">"💡 " {inline_view(&hint)}</p> })
                                            .collect_view()
                                    }}
                                </div>
                                <div class="step-actions">
                                    <button
                                        type="button"
                                        data-testid="hint-button"
                                        disabled=move || {
                                            lesson_progress(lesson).map(|p| p.hints(lesson).len()).unwrap_or(0) >= step.hints.len()
                                        }
                                        on:click=move |_| {
                                            classroom.progress.update(|p| {
                                                if let Some(progress) = p.lessons.get_mut(&lesson.slug) {
                                                    progress.reveal_hint(lesson);
                                                }
                                            })
                                        }
                                    >
                                        {move || {
                                            let shown = lesson_progress(lesson).map(|p| p.hints(lesson).len()).unwrap_or(0);
                                            format!("Hint ({shown}/{})", step.hints.len())
                                        }}
                                    </button>
                                    <button type="button" data-testid="show-me" on:click=move |_| show_me(lesson)>
                                        "Show me"
                                    </button>
                                </div>
                            </div>
                        </Show>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h2 class="lesson-heading">{format!("{}. {}", lesson.number, lesson.title)}</h2>
            <p class="lesson-summary">{lesson.summary.clone()}</p>
            <details class="lesson-intro" open=move || shown() == 0>
                <summary>"Introduction"</summary>
                {lesson.intro_blocks.iter().cloned().map(text_block).collect_view()}
            </details>
            <ol class="lesson-steps">{steps}</ol>
            <Show when=move || classroom.status.with(|s| s.as_ref().is_some_and(|s| s.lesson_complete))>
                <section class="recap" data-testid="lesson-complete">
                    <h3>"Lesson complete"</h3>
                    {lesson.recap_blocks.iter().cloned().map(text_block).collect_view()}
                </section>
            </Show>
            <nav class="step-nav" aria-label="Steps">
                <button type="button" data-testid="step-back" disabled=move || { shown() == 0 } on:click=move |_| go_to(lesson, shown().saturating_sub(1))>
                    "← Back"
                </button>
                <button type="button" data-testid="step-next" disabled=move || { shown() + 1 >= lesson.steps.len() } on:click=move |_| go_to(lesson, shown() + 1)>
                    "Next →"
                </button>
                <span class="spacer"></span>
                <Show
                    when=move || confirming_reset.get()
                    fallback=move || view! {
                        <button type="button" data-testid="reset-lesson" on:click=move |_| confirming_reset.set(true)>
                            "Reset lesson"
                        </button>
                    }
                >
                    <span class="confirm" role="alertdialog" aria-label="Reset the lesson?">
                        "Back to the lesson's start? Your files and database are reset. "
                        <button
                            type="button"
                            class="danger"
                            data-testid="reset-confirm"
                            on:click=move |_| {
                                confirming_reset.set(false);
                                if let Err(e) = start_lesson(engine, classroom, &lesson.slug) {
                                    error.set(Some(e));
                                }
                            }
                        >
                            "Reset"
                        </button>
                        <button type="button" on:click=move |_| confirming_reset.set(false)>"Cancel"</button>
                    </span>
                </Show>
            </nav>
        }
        .into_any()
    };

    view! {
        <section class="lesson" data-testid="lesson" aria-label="Lesson">
            <div class="lesson-bar">
                <button
                    type="button"
                    class="lessons-toggle"
                    data-testid="lessons-toggle"
                    aria-expanded=move || list_open.get().to_string()
                    aria-controls="lesson-list"
                    on:click=move |_| list_open.update(|open| *open = !*open)
                >
                    {move || if classroom.progress.with(|p| p.current.is_some()) { "☰ Lessons" } else { "☰ Course" }}
                </button>
                <button
                    type="button"
                    class="sandbox-button"
                    data-testid="sandbox"
                    aria-pressed=move || classroom.progress.with(|p| p.current.is_none()).to_string()
                    on:click=move |_| {
                        list_open.set(false);
                        open_sandbox(engine, classroom);
                    }
                >
                    "Sandbox"
                </button>
            </div>
            <Show when=move || list_open.get()>
                <ol class="lesson-list" id="lesson-list">{lesson_list}</ol>
            </Show>
            {move || error.get().map(|message| view! { <p class="lesson-error" role="alert">{message}</p> })}
            <div class="lesson-body">{body}</div>
        </section>
    }
}

/// The shown step's check results: what is still missing.
#[component]
fn StepChecks() -> impl IntoView {
    let classroom = expect_context::<Classroom>();
    view! {
        <ul class="checks" aria-label="Checks" aria-live="polite">
            {move || {
                classroom
                    .status
                    .get()
                    .map(|status| {
                        status
                            .results
                            .into_iter()
                            .map(|result| {
                                view! {
                                    <li class="check" data-passed=result.passed.to_string()>
                                        <span aria-hidden="true">{if result.passed { "✓ " } else { "✗ " }}</span>
                                        <span class="visually-hidden">{if result.passed { "passed: " } else { "not yet: " }}</span>
                                        {result.message}
                                    </li>
                                }
                            })
                            .collect_view()
                    })
            }}
        </ul>
    }
}

/// One block of a lesson's markdown, as text nodes.
fn text_block(block: TextBlock) -> AnyView {
    match block {
        TextBlock::Heading { text, .. } => view! { <h3>{inline_view(&text)}</h3> }.into_any(),
        TextBlock::Paragraph(text) => view! { <p>{inline_view(&text)}</p> }.into_any(),
        TextBlock::Quote(text) => view! { <blockquote>{inline_view(&text)}</blockquote> }.into_any(),
        TextBlock::List { ordered, items } => {
            let items = items.into_iter().map(|item| view! { <li>{inline_view(&item)}</li> }).collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
        TextBlock::Code { lang, file, code } => {
            let copied = RwSignal::new(false);
            let to_copy = code.clone();
            view! {
                <figure class="code-block" data-lang=lang>
                    {file.map(|file| view! { <figcaption>{file}</figcaption> })}
                    <pre><code>{code}</code></pre>
                    <button
                        type="button"
                        class="copy"
                        data-testid="copy-code"
                        aria-label="Copy this code"
                        on:click=move |_| {
                            let _ = window().navigator().clipboard().write_text(&to_copy);
                            copied.set(true);
                        }
                    >
                        {move || if copied.get() { "Copied" } else { "Copy" }}
                    </button>
                </figure>
            }
            .into_any()
        }
    }
}

/// Inline markdown (code, strong, emphasis, links) as text nodes.
fn inline_view(text: &str) -> impl IntoView {
    markdown::inline(text)
        .into_iter()
        .map(|span| match span {
            Inline::Text(t) => t.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
            Inline::Link { text, href } => {
                // Only web links; anything else (javascript:, data:) stays text.
                if href.starts_with("https://") || href.starts_with("http://") {
                    view! { <a href=href target="_blank" rel="noopener noreferrer">{text}</a> }.into_any()
                } else {
                    text.into_any()
                }
            }
        })
        .collect_view()
}
