//! Playing a lesson: a step's solution performed on a session (the same
//! commands and saves a learner would make), a step's checks evaluated on
//! the session's real state, and [`LessonProgress`] — the learner's place
//! in a lesson, serializable so the page keeps it across reloads.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::engine::output::CommandOutput;
use crate::engine::session::Session;

use super::checks::{evaluate, script_by_message, CheckLine, CheckResult};
use super::format::{Action, ActionKind, Lesson, LessonError};
use super::observe::{Baseline, Observed};

/// What performing one action showed, in order: for the terminal to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transcript {
    /// A line typed at the prompt and what it printed.
    Command { line: String, output: CommandOutput },
    /// Ctrl+C and what the stopped app printed.
    Interrupt { output: CommandOutput },
    /// A file saved from the editor, and what a `--reload` app printed.
    Saved { path: String, output: CommandOutput },
}

/// Evaluates checks on a session against a step's baseline.
pub fn evaluate_checks(checks: &[CheckLine], session: &Session, baseline: &Baseline) -> Vec<CheckResult> {
    let state = Observed::new(session, baseline);
    checks
        .iter()
        .map(|c| {
            let (passed, message) = evaluate(&c.check, &state);
            CheckResult { check: c.text.clone(), passed, message }
        })
        .collect()
}

/// Performs actions on a session, as a learner would: lines typed at the
/// prompt, Ctrl+C, files edited and saved. Stops at the first action that
/// can't be performed (a file to edit is missing, the text to replace isn't
/// there); `file` names `lesson.md` in that error.
pub fn perform(file: &str, actions: &[Action], session: &mut Session) -> Result<Vec<Transcript>, LessonError> {
    let mut transcript = Vec::new();
    for action in actions {
        let fail = |message: String| LessonError { file: file.to_string(), line: Some(action.line), message };
        match &action.kind {
            ActionKind::Run(line) => {
                let line = substitute(line, session).map_err(fail)?;
                let output = session.run_line(&line);
                transcript.push(Transcript::Command { line, output });
            }
            ActionKind::Interrupt => transcript.push(Transcript::Interrupt { output: session.interrupt() }),
            ActionKind::Replace { path, old, new } => {
                let path = substitute(path, session).map_err(fail)?;
                let Some(content) = session.project.read_text(&path) else {
                    return Err(fail(format!("`@ replace {path}`: there is no {path} to edit")));
                };
                // Already made (show me twice, or the learner did part of it).
                if !new.is_empty() && content.contains(new.as_str()) {
                    continue;
                }
                let updated = match content.matches(old.as_str()).count() {
                    1 => content.replacen(old.as_str(), new, 1),
                    0 => {
                        return Err(fail(format!(
                            "`@ replace {path}`: {path} does not contain the text to replace:\n{}",
                            indent(old)
                        )))
                    }
                    n => {
                        return Err(fail(format!(
                            "`@ replace {path}`: the text to replace appears {n} times in {path}; give more lines so it is found once:\n{}",
                            indent(old)
                        )))
                    }
                };
                transcript.push(save(session, &path, updated));
            }
            ActionKind::Write { path, content } => {
                let path = substitute(path, session).map_err(fail)?;
                transcript.push(save(session, &path, content.clone()));
            }
        }
    }
    Ok(transcript)
}

fn save(session: &mut Session, path: &str, content: String) -> Transcript {
    session.project.write(path, content);
    let output = session.files_changed(&[path.to_string()]);
    Transcript::Saved { path: path.to_string(), output }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

/// Fills `{{rev:MESSAGE}}` (a revision's id) and `{{file:MESSAGE}}` (its
/// script's path) from the session's revisions; `MESSAGE` may be `head`.
/// Revision ids are random, so solutions name revisions by message.
pub fn substitute(text: &str, session: &Session) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("}}") else {
            return Err(format!("`{{{{` without `}}}}` in `{text}`"));
        };
        let inner = rest[start + 2..start + len].trim();
        let (kind, name) = inner.split_once(':').map(|(k, n)| (k.trim(), n.trim())).unwrap_or((inner, ""));
        if kind != "rev" && kind != "file" {
            return Err(format!("`{{{{{inner}}}}}`: a placeholder is {{{{rev:MESSAGE}}}} or {{{{file:MESSAGE}}}}"));
        }
        let baseline = Baseline::default();
        let state = Observed::new(session, &baseline);
        let versions = state.versions()?;
        let script = if name == "head" {
            match versions.map.heads() {
                [head] => versions.script(head),
                heads => return Err(format!("`{{{{{inner}}}}}`: there are {} heads", heads.len())),
            }
        } else {
            script_by_message(&versions.scripts, &versions.map, name)
        };
        let Some(script) = script else {
            return Err(format!("`{{{{{inner}}}}}`: there is no revision named \"{name}\""));
        };
        if kind == "rev" {
            out.push_str(script.revision.as_deref().unwrap_or_default());
        } else {
            out.push_str(&script.path);
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Where a learner is in one lesson. Serializable: the page stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The lesson's folder name.
    pub lesson: String,
    /// The step shown (index into the lesson's steps).
    pub step: usize,
    /// Steps whose check has passed (they stay done).
    pub done: BTreeSet<usize>,
    /// How many hints are shown, per step.
    pub hints_shown: BTreeMap<usize, usize>,
    /// What the shown step saw when it started.
    pub baseline: Baseline,
    /// The state when the shown step was first done: where the next step
    /// starts, even if the learner goes on typing before pressing Next.
    #[serde(default)]
    pub next_baseline: Option<Baseline>,
}

/// The shown step's check, evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepStatus {
    pub step: usize,
    /// Every check passes now.
    pub passed: bool,
    /// The step is done (its check passed now or before).
    pub done: bool,
    pub results: Vec<CheckResult>,
    /// Every step is done.
    pub lesson_complete: bool,
}

impl LessonProgress {
    /// A lesson begun on `session` (its start state), at its first step.
    pub fn new(lesson: &Lesson, session: &Session) -> LessonProgress {
        LessonProgress { lesson: lesson.slug.clone(), baseline: Baseline::record(session), ..Default::default() }
    }

    /// Evaluates the shown step's check on the session (after every command
    /// and save); a passing step is marked done.
    pub fn evaluate(&mut self, lesson: &Lesson, session: &Session) -> StepStatus {
        let Some(step) = lesson.steps.get(self.step) else {
            return StepStatus { step: self.step, passed: false, done: false, results: Vec::new(), lesson_complete: self.is_complete(lesson) };
        };
        let results = evaluate_checks(&step.checks, session, &self.baseline);
        let passed = results.iter().all(|r| r.passed);
        if passed && self.done.insert(self.step) {
            self.next_baseline = Some(Baseline::record(session));
        }
        StepStatus { step: self.step, passed, done: self.done.contains(&self.step), results, lesson_complete: self.is_complete(lesson) }
    }

    /// Shows another step (next/back). The step after the one just done
    /// starts where that one was done; any other starts now.
    pub fn go_to(&mut self, lesson: &Lesson, step: usize, session: &Session) {
        let step = step.min(lesson.steps.len().saturating_sub(1));
        let next = self.next_baseline.take().filter(|_| step == self.step + 1);
        self.step = step;
        self.baseline = next.unwrap_or_else(|| Baseline::record(session));
    }

    /// Reveals the shown step's next hint; how many are shown now.
    pub fn reveal_hint(&mut self, lesson: &Lesson) -> usize {
        let total = lesson.steps.get(self.step).map_or(0, |s| s.hints.len());
        let shown = self.hints_shown.entry(self.step).or_insert(0);
        *shown = (*shown + 1).min(total);
        *shown
    }

    /// The shown step's hints revealed so far.
    pub fn hints<'l>(&self, lesson: &'l Lesson) -> &'l [String] {
        let Some(step) = lesson.steps.get(self.step) else { return &[] };
        let shown = self.hints_shown.get(&self.step).copied().unwrap_or(0).min(step.hints.len());
        &step.hints[..shown]
    }

    /// "Show me": performs the shown step's solution on the session.
    pub fn show_me(&mut self, lesson: &Lesson, session: &mut Session) -> Result<Vec<Transcript>, LessonError> {
        let Some(step) = lesson.steps.get(self.step) else { return Ok(Vec::new()) };
        // A learner would leave an open `sqlite>` prompt before typing commands.
        if session.in_program() {
            session.end_of_input();
        }
        perform(&lesson.file, &step.solution, session)
    }

    pub fn is_complete(&self, lesson: &Lesson) -> bool {
        !lesson.steps.is_empty() && (0..lesson.steps.len()).all(|i| self.done.contains(&i))
    }
}

/// The learner's progress through the course. Serializable: the page stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseProgress {
    /// The lesson open now (its folder name); `None` in the sandbox.
    pub current: Option<String>,
    /// Every lesson begun, by folder name.
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl CourseProgress {
    /// Steps done and steps in all, for a lesson (for the list of lessons).
    pub fn counts(&self, lesson: &Lesson) -> (usize, usize) {
        let done = self.lessons.get(&lesson.slug).map_or(0, |p| p.done.iter().filter(|i| **i < lesson.steps.len()).count());
        (done, lesson.steps.len())
    }
}
