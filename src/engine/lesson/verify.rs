//! `driftlab lesson check`: proves a course's lessons work, as Rustlings
//! proves its exercises. Every lesson is played from its start: before each
//! step's solution its check must fail (or the step would be done before
//! the learner does anything), after it the check must pass, and the played
//! lesson must end in its recap's end state. Problems name the lesson file,
//! the line, the step, the check and what the state showed.

use crate::engine::session::Session;

use super::checks::CheckResult;
use super::format::{Lesson, LessonError, Start};
use super::observe::Baseline;
use super::player::{evaluate_checks, perform, Transcript};
use super::Course;

/// What checking one lesson found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonReport {
    pub slug: String,
    pub steps: usize,
    pub problems: Vec<LessonError>,
}

/// What checking a course found: its format errors, then each lesson.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CourseReport {
    /// Lessons that don't read (format errors), and course-level problems.
    pub errors: Vec<LessonError>,
    pub lessons: Vec<LessonReport>,
}

impl CourseReport {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty() && self.lessons.iter().all(|l| l.problems.is_empty())
    }

    /// Every problem, format errors first.
    pub fn problems(&self) -> impl Iterator<Item = &LessonError> {
        self.errors.iter().chain(self.lessons.iter().flat_map(|l| &l.problems))
    }

    /// The report as `driftlab lesson check` prints it: format errors, then
    /// `ok` or `FAIL` per lesson with its problems indented.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for error in &self.errors {
            out.push_str(&format!("{error}\n"));
        }
        for lesson in &self.lessons {
            if lesson.problems.is_empty() {
                let steps = if lesson.steps == 1 { "1 step".to_string() } else { format!("{} steps", lesson.steps) };
                out.push_str(&format!("ok    {} ({steps})\n", lesson.slug));
            } else {
                out.push_str(&format!("FAIL  {}\n", lesson.slug));
                for problem in &lesson.problems {
                    out.push_str(&format!("  {}\n", problem.to_string().replace('\n', "\n  ")));
                }
            }
        }
        out
    }

    /// One line: how many lessons and steps, and whether all pass.
    pub fn summary(&self) -> String {
        let steps: usize = self.lessons.iter().map(|l| l.steps).sum();
        let failing = self.lessons.iter().filter(|l| !l.problems.is_empty()).count();
        let verdict = if self.is_ok() {
            "all pass".to_string()
        } else {
            format!("{failing} failing, {} format problems", self.errors.len())
        };
        let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
        format!("{}, {} checked: {verdict}", plural(self.lessons.len(), "lesson"), plural(steps, "step"))
    }
}

/// Checks the course's lessons; `only` limits the report to one lesson
/// (the lessons before it are still played when it begins where they end).
pub fn verify(course: &Course, only: Option<&str>) -> CourseReport {
    let mut report = CourseReport { errors: course.errors().to_vec(), lessons: Vec::new() };
    if let Some(slug) = only {
        report.errors.retain(|e| e.file.contains(&format!("/{slug}/")) || e.file.ends_with(&format!("/{slug}")));
    }
    // The end of the lesson played last (`None` when it could not be played
    // to its end), whether it played cleanly, and its name.
    let mut carry: Option<(Option<Session>, bool, String)> = None;
    for lesson in course.lessons() {
        let wanted = only.is_none_or(|s| s == lesson.slug);
        let after = only.is_some_and(|s| course.index_of(s).is_some_and(|i| course.lessons()[i].number < lesson.number));
        if after {
            break;
        }
        let start = match &lesson.start {
            Start::Starter | Start::Files(_) => Ok(course.fresh_session(lesson)),
            Start::Previous => match carry.take() {
                Some((Some(session), true, _)) => Ok(session),
                Some((_, _, previous)) => Err(format!("it begins where {previous} ends, and that lesson has problems")),
                None => Err("it has no start/ folder and no lesson before it to begin where that one ends".into()),
            },
        };
        let mut problems = Vec::new();
        let session = match start {
            Ok(session) => play(lesson, session, &mut problems),
            Err(message) => {
                problems.push(LessonError { file: lesson.file.clone(), line: None, message: format!("can't be played: {message}") });
                None
            }
        };
        carry = Some((session, problems.is_empty(), lesson.slug.clone()));
        if wanted {
            report.lessons.push(LessonReport { slug: lesson.slug.clone(), steps: lesson.steps.len(), problems });
        } else if !problems.is_empty() {
            // A lesson played only to reach the one checked: its problems
            // are why the checked one can't be played.
            carry = carry.map(|(s, _, slug)| (s, false, slug));
        }
    }
    report
}

/// Plays a lesson from its start session; returns where it ended (or `None`
/// when it could not go on).
fn play(lesson: &Lesson, mut session: Session, problems: &mut Vec<LessonError>) -> Option<Session> {
    if let Err(e) = perform(&lesson.file, &lesson.setup, &mut session) {
        problems.push(LessonError { message: format!("setup: {}", e.message), ..e });
        return None;
    }
    session.forget_history();
    let lesson_start = Baseline::record(&session);
    for step in &lesson.steps {
        let name = format!("step \"{}\"", step.title);
        let baseline = Baseline::record(&session);
        let before = evaluate_checks(&step.checks, &session, &baseline);
        if before.iter().all(|r| r.passed) {
            problems.push(LessonError {
                file: lesson.file.clone(),
                line: Some(step.checks.first().map_or(step.line, |c| c.line)),
                message: format!(
                    "{name}: the check passes before the solution, so the step would be done before the learner does anything:\n{}",
                    list(&before)
                ),
            });
        }
        let transcript = match perform(&lesson.file, &step.solution, &mut session) {
            Ok(t) => t,
            Err(e) => {
                problems.push(LessonError { message: format!("{name}: the solution can't be performed: {}", e.message), ..e });
                return None;
            }
        };
        let after = evaluate_checks(&step.checks, &session, &baseline);
        for (result, line) in after.iter().zip(&step.checks) {
            if !result.passed {
                problems.push(LessonError {
                    file: lesson.file.clone(),
                    line: Some(line.line),
                    message: format!(
                        "{name}: after the solution, `{}` fails: {}{}",
                        result.check,
                        result.message,
                        failed_commands(&transcript)
                    ),
                });
            }
        }
    }
    let end = evaluate_checks(&lesson.end_checks, &session, &lesson_start);
    for (result, line) in end.iter().zip(&lesson.end_checks) {
        if !result.passed {
            problems.push(LessonError {
                file: lesson.file.clone(),
                line: Some(line.line),
                message: format!("the end state (## Recap): `{}` fails after playing every step: {}", result.check, result.message),
            });
        }
    }
    Some(session)
}

fn list(results: &[CheckResult]) -> String {
    results.iter().map(|r| format!("    {} — {}", r.check, r.message)).collect::<Vec<_>>().join("\n")
}

/// The solution's commands that failed, to help the author see why.
fn failed_commands(transcript: &[Transcript]) -> String {
    let failed: Vec<String> = transcript
        .iter()
        .filter_map(|t| match t {
            Transcript::Command { line, output } if output.exit_code != 0 => {
                let said = format!("{}{}", output.stdout, output.stderr);
                let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                Some(format!("    `{line}` exited with {}: {last}", output.exit_code))
            }
            _ => None,
        })
        .collect();
    if failed.is_empty() {
        String::new()
    } else {
        format!("\n  solution commands that failed:\n{}", failed.join("\n"))
    }
}
