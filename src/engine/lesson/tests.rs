//! The player on small in-memory courses: starting, evaluating, show-me,
//! progress, placeholders, and `verify`'s messages.

use super::*;

fn course(lessons: &[(&str, &str)]) -> Course {
    Course::from_files("lessons", lessons.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())))
}

const TOUR: &str = r#"---
format: 1
title: Tiny tour
summary: Start the app.
start: starter
---

Welcome.

## Step: Start the app

Start it.

```check
app is running
table todos has 2 rows
```

```solution
$ uvicorn main:app --reload
```

Hint: `uvicorn main:app --reload`

Why: the lifespan creates the tables.

## Step: Add a column

Add `priority`.

```check
model todos has column priority
table todos has no column priority
app failed to start
```

```solution
@ replace models.py
    created_at = Column(DateTime(timezone=True), server_default=func.now())
@ with
    created_at = Column(DateTime(timezone=True), server_default=func.now())
    priority = Column(Integer, default=0)
@ end
```

Hint: edit models.py.

Why: create_all never alters a table.

## Recap

Done.

```check
app failed to start
```
"#;

#[test]
fn start_evaluate_show_me_and_progress() {
    let course = course(&[("01-tiny/lesson.md", TOUR)]);
    assert!(course.errors().is_empty(), "{:?}", course.errors());
    let lesson = &course.lessons()[0];
    let (mut session, mut progress) = course.start("01-tiny").unwrap();
    let status = progress.evaluate(lesson, &session);
    assert!(!status.passed && !status.done);
    assert_eq!(status.results[0].message, "the app is not running");
    assert_eq!(status.results[1].message, "there is no database file todos.db yet");
    assert_eq!(progress.reveal_hint(lesson), 1);
    assert_eq!(progress.reveal_hint(lesson), 1);
    assert_eq!(progress.hints(lesson), ["`uvicorn main:app --reload`".to_string()]);
    let shown = progress.show_me(lesson, &mut session).unwrap();
    assert!(matches!(&shown[0], Transcript::Command { line, .. } if line == "uvicorn main:app --reload"));
    let status = progress.evaluate(lesson, &session);
    assert!(status.passed && status.done && !status.lesson_complete, "{status:?}");
    // The learner goes on typing before pressing Next: the next step starts
    // where this one was done, so what they typed counts for it.
    session.run_line("ls");
    progress.go_to(lesson, 1, &session);
    assert_eq!(progress.baseline.history_len, 1);
    let saved = progress.show_me(lesson, &mut session).unwrap();
    assert!(matches!(&saved[0], Transcript::Saved { path, output } if path == "models.py" && output.stderr.contains("no such column: todos.priority")));
    let status = progress.evaluate(lesson, &session);
    assert!(status.passed && status.lesson_complete, "{status:?}");
    // Progress survives a round trip through JSON (the page stores it).
    let json = serde_json::to_string(&progress).unwrap();
    assert_eq!(serde_json::from_str::<LessonProgress>(&json).unwrap(), progress);
    // Show me twice: the edit is already there, so it is not made again.
    assert!(progress.show_me(lesson, &mut session).unwrap().is_empty());
}

#[test]
fn verify_passes_a_sound_lesson_and_explains_a_broken_one() {
    let report = verify(&course(&[("01-tiny/lesson.md", TOUR)]), None);
    assert!(report.is_ok(), "{:#?}", report);
    let broken = TOUR.replace("table todos has no column priority", "table todos has column priority");
    let report = verify(&course(&[("01-tiny/lesson.md", &broken)]), None);
    let problems: Vec<String> = report.problems().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        vec!["lessons/01-tiny/lesson.md:33: step \"Add a column\": after the solution, `table todos has column priority` fails: todos has no column priority (its columns: id, title, description, is_completed, created_at)".to_string()]
    );
}

#[test]
fn a_lesson_without_start_begins_where_the_previous_ended() {
    let second = "---\nformat: 1\ntitle: Next\nsummary: Go on.\n---\n\nGo on.\n\n## Step: Stop it\n\nStop the app.\n\n```check\napp is stopped\n```\n\n```solution\n@ ctrl-c\n```\n\nHint: Ctrl+C.\n\nWhy: it holds the port.\n";
    let course = course(&[("01-tiny/lesson.md", TOUR), ("02-next/lesson.md", second)]);
    let (session, _) = course.start("02-next").unwrap();
    assert!(session.app_status().is_some(), "the app still runs where lesson 1 ended");
    assert!(session.project.read_text("models.py").unwrap().contains("priority"));
    assert!(session.history().is_empty());
    assert!(verify(&course, None).is_ok());
    assert!(verify(&course, Some("02-next")).lessons.len() == 1);
}

#[test]
fn placeholders_name_revisions_by_message() {
    let mut session = Session::new(starter::project());
    for line in ["alembic init alembic", "alembic revision -m \"first one\"", "alembic revision -m second"] {
        assert_eq!(session.run_line(line).exit_code, 0, "{line}");
    }
    let id = player::substitute("{{rev:first one}}", &session).unwrap();
    assert_eq!(id.len(), 12);
    let file = player::substitute("{{file:head}}", &session).unwrap();
    assert!(file.starts_with("alembic/versions/") && file.ends_with("_second.py"), "{file}");
    assert_eq!(player::substitute("x {{rev:nope}}", &session).unwrap_err(), "`{{rev:nope}}`: there is no revision named \"nope\"");
}

#[test]
fn the_embedded_course_reads_cleanly() {
    let course = Course::embedded();
    assert!(course.errors().is_empty(), "{:#?}", course.errors());
}

