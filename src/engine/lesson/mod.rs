//! Lessons as data: the format, the checks on the real state, and playing a lesson.
//!
//! A [`Course`] is the lessons of a folder (`lessons/`, embedded in the
//! build by `build.rs`; or any folder `driftlab lesson check` reads), each
//! read by [`format`] into steps with their checks and solutions. The page
//! lists [`Course::lessons`], starts one with [`Course::start`] (a session
//! in the lesson's start state and a [`LessonProgress`]), calls
//! [`LessonProgress::evaluate`] after every command and save, and
//! [`LessonProgress::show_me`] to perform a step. [`verify`] is `driftlab
//! lesson check`. Checks ([`checks`]) read the session's real state
//! ([`observe`]): files, databases, revisions, the app, the commands typed.

pub mod checks;
pub mod format;
pub mod markdown;
pub mod observe;
pub mod player;
pub mod verify;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::engine::session::Session;
use crate::engine::starter;

pub use checks::{CheckLine, CheckResult};
pub use format::{Action, ActionKind, Lesson, LessonError, Start, Step, FORMAT_VERSION};
pub use markdown::{Inline, TextBlock};
pub use observe::Baseline;
pub use player::{evaluate_checks, perform, CourseProgress, LessonProgress, StepStatus, Transcript};
pub use verify::{verify, CourseReport, LessonReport};

// `LESSON_FILES: &[(&str, &[u8])]`: every file under `lessons/NN-slug/`, by
// path inside `lessons/` (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The lessons of a folder, in number order, and the problems that kept
/// lessons out.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    lessons: Vec<Lesson>,
    errors: Vec<LessonError>,
}

impl Course {
    /// The course built into driftlab (`lessons/`).
    pub fn embedded() -> &'static Course {
        static COURSE: OnceLock<Course> = OnceLock::new();
        COURSE.get_or_init(|| Course::from_files("lessons", LESSON_FILES.iter().map(|(p, b)| (p.to_string(), b.to_vec()))))
    }

    /// Reads a course from files named by their path inside the course
    /// folder (`03-the-empty-migration/lesson.md`); `label` is the folder as
    /// messages name it. Files directly in the folder (a README) are ignored.
    pub fn from_files(label: &str, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Course {
        let mut folders: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for (path, bytes) in files {
            if let Some((folder, inner)) = path.split_once('/') {
                folders.entry(folder.to_string()).or_default().insert(inner.to_string(), bytes);
            }
        }
        let mut lessons: Vec<Lesson> = Vec::new();
        let mut errors = Vec::new();
        for (folder, files) in &folders {
            // Folders come in course order: `start: NN-slug` names one read before.
            let start_of = |slug: &str| {
                lessons.iter().find(|l: &&Lesson| l.slug == slug).and_then(|l| match &l.start {
                    Start::Files(project) => Some(project.clone()),
                    Start::Starter => Some(starter::project()),
                    Start::Previous => None,
                })
            };
            match format::read_lesson(folder, &format!("{label}/{folder}"), files, &start_of) {
                Ok(lesson) => lessons.push(lesson),
                Err(found) => errors.extend(found),
            }
        }
        lessons.sort_by_key(|l| l.number);
        for pair in lessons.windows(2) {
            if pair[0].number == pair[1].number {
                errors.push(LessonError {
                    file: pair[1].file.clone(),
                    line: None,
                    message: format!("{} and {} have the same number", pair[0].slug, pair[1].slug),
                });
            }
        }
        Course { lessons, errors }
    }

    pub fn lessons(&self) -> &[Lesson] {
        &self.lessons
    }

    /// Lessons that could not be read, with every problem at its place.
    pub fn errors(&self) -> &[LessonError] {
        &self.errors
    }

    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.lessons.iter().position(|l| l.slug == slug)
    }

    pub fn lesson(&self, slug: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.slug == slug)
    }

    /// A lesson by number (`3`) or folder name (`03-the-empty-migration`).
    pub fn find(&self, name: &str) -> Option<&Lesson> {
        match name.parse::<u32>() {
            Ok(n) => self.lessons.iter().find(|l| l.number == n),
            Err(_) => self.lesson(name),
        }
    }

    /// A session on a lesson's own start project (starter or `start/`),
    /// before its setup.
    fn fresh_session(&self, lesson: &Lesson) -> Session {
        match &lesson.start {
            Start::Files(project) => Session::new(project.clone()),
            Start::Starter | Start::Previous => Session::new(starter::project()),
        }
    }

    /// The session a lesson starts in: its start project (or where the
    /// lessons before it end, played from the last one with a start), with
    /// its setup performed and the terminal history empty.
    pub fn start_session(&self, slug: &str) -> Result<Session, LessonError> {
        let index = self.index_of(slug).ok_or_else(|| LessonError {
            file: slug.to_string(),
            line: None,
            message: "no such lesson".into(),
        })?;
        let first = (0..=index).rev().find(|&i| !matches!(self.lessons[i].start, Start::Previous)).ok_or_else(|| LessonError {
            file: self.lessons[index].file.clone(),
            line: None,
            message: "no lesson before it has a start to begin from".into(),
        })?;
        let mut session = self.fresh_session(&self.lessons[first]);
        for lesson in &self.lessons[first..index] {
            perform(&lesson.file, &lesson.setup, &mut session)?;
            for step in &lesson.steps {
                perform(&lesson.file, &step.solution, &mut session)?;
            }
        }
        let lesson = &self.lessons[index];
        perform(&lesson.file, &lesson.setup, &mut session)?;
        session.forget_history();
        Ok(session)
    }

    /// Starts (or restarts) a lesson: its start session and fresh progress.
    pub fn start(&self, slug: &str) -> Result<(Session, LessonProgress), LessonError> {
        let session = self.start_session(slug)?;
        let lesson = self.lesson(slug).expect("start_session found it");
        let progress = LessonProgress::new(lesson, &session);
        Ok((session, progress))
    }
}

#[cfg(test)]
mod tests;
