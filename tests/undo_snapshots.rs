//! Undo and time travel: a command that changed files or databases can be
//! undone exactly (database bytes included), commands that changed nothing
//! leave no snapshot, older states can be restored, memory is bounded, and
//! recording costs little.

use std::time::Instant;

use driftlab::engine::undo::{MAX_SNAPSHOTS, MAX_SNAPSHOT_BYTES};
use driftlab::engine::{starter, Project, Session};

fn run(s: &mut Session, line: &str) {
    let out = s.run_line(line);
    assert_eq!(out.exit_code, 0, "{line}: {out:?}");
}

/// The starter under Alembic: wired env.py, one revision applied, two rows.
fn migrated() -> Session {
    let mut s = Session::new(starter::project());
    run(&mut s, "alembic init alembic");
    wire_alembic(&mut s.project);
    run(&mut s, "alembic revision --autogenerate -m init");
    run(&mut s, "alembic upgrade head");
    run(&mut s, "sqlite3 todos.db \"insert into todos(title) values ('one'), ('two')\"");
    s
}

fn wire_alembic(project: &mut Project) {
    let ini = project.read_text("alembic.ini").unwrap();
    project.write("alembic.ini", ini.replace("driver://user:pass@localhost/dbname", "sqlite:///./todos.db"));
    let env = project.read_text("alembic/env.py").unwrap();
    project.write(
        "alembic/env.py",
        env.replace("target_metadata = None", "from database import Base\nimport models  # noqa: F401\ntarget_metadata = Base.metadata"),
    );
}

#[test]
fn rm_of_the_database_is_undone_byte_for_byte() {
    let mut s = migrated();
    let before = s.project.clone();
    run(&mut s, "rm todos.db");
    assert!(!s.project.is_file("todos.db"));
    let info = s.undo_last().unwrap();
    assert_eq!(info.command, "rm todos.db");
    assert_eq!(info.changed, vec!["todos.db".to_string()]);
    assert_eq!(s.project, before);
    assert_eq!(s.run_line("sqlite3 todos.db 'select title from todos'").stdout, "one\ntwo\n");
}

#[test]
fn a_downgrade_to_base_is_undone_with_its_rows() {
    let mut s = migrated();
    let before = s.project.clone();
    run(&mut s, "alembic downgrade base");
    assert_eq!(s.run_line("sqlite3 todos.db .tables").stdout, "alembic_version\n");
    s.undo_last().unwrap();
    assert_eq!(s.project.read("todos.db"), before.read("todos.db"));
    assert!(s.run_line("alembic current").stdout.contains("(head)"));
}

#[test]
fn commands_that_change_nothing_leave_no_snapshot() {
    let mut s = migrated();
    let kept = s.undo_history().len();
    for line in ["ls", "cat models.py", "alembic current", "alembic history", "sqlite3 todos.db 'select * from todos'", "cd alembic", "cd ..", "nope", "alembic check"] {
        s.run_line(line);
        assert_eq!(s.undo_history().len(), kept, "{line} left a snapshot");
    }
}

#[test]
fn the_directory_comes_back_with_the_files() {
    let mut s = migrated();
    run(&mut s, "cd alembic");
    run(&mut s, "rm -r versions");
    run(&mut s, "cd ..");
    let info = s.undo_last().unwrap();
    assert_eq!(info.cwd, "alembic");
    assert_eq!(s.cwd(), "alembic");
    assert!(s.project.is_dir("alembic/versions"));
}

#[test]
fn edits_outside_commands_are_not_undone() {
    let mut s = migrated();
    s.project.write("models.py", "# edited in the editor\n");
    run(&mut s, "rm todos.db");
    s.undo_last().unwrap();
    assert_eq!(s.project.read_text("models.py").unwrap(), "# edited in the editor\n");
    assert!(s.project.is_file("todos.db"));
}

#[test]
fn restoring_before_an_older_command_drops_the_newer_snapshots() {
    let mut s = migrated();
    let before_first = s.project.clone();
    run(&mut s, "touch a.txt");
    let first = s.last_command().unwrap().index;
    run(&mut s, "ls");
    let ls = s.last_command().unwrap().index;
    run(&mut s, "touch b.txt");
    run(&mut s, "rm todos.db");
    assert!(s.undo_history().can_restore_before(first));
    assert!(!s.undo_history().can_restore_before(ls));
    assert_eq!(
        s.restore_before(ls).unwrap_err(),
        "That command changed no files or databases: there is nothing to restore."
    );
    let info = s.restore_before(first).unwrap();
    assert_eq!(info.command, "touch a.txt");
    assert_eq!(info.changed, vec!["a.txt", "b.txt", "todos.db"]);
    assert_eq!(s.project, before_first);
    let commands: Vec<String> = s.undo_history().snapshots().map(|i| i.command).collect();
    assert!(!commands.iter().any(|c| c == "touch b.txt" || c == "rm todos.db"), "{commands:?}");
}

#[test]
fn undo_says_why_it_cant() {
    let mut s = Session::new(starter::project());
    assert_eq!(
        s.undo_last().unwrap_err(),
        "Nothing to undo: no command has changed files or databases since the session started."
    );
    run(&mut s, "touch a.txt");
    run(&mut s, "sqlite3 todos.db");
    assert_eq!(s.undo_last().unwrap_err(), "Leave the sqlite3 prompt first (type .quit), then undo.");
    s.run_line(".quit");
    // The prompt left no file (nothing needed the database); `.tables` opens,
    // so creates, `todos.db` (empty): that is undone first.
    assert!(!s.project.is_file("todos.db"));
    run(&mut s, "sqlite3 todos.db .tables");
    assert_eq!(s.undo_last().unwrap().command, "sqlite3 todos.db .tables");
    assert!(!s.project.is_file("todos.db") && s.project.is_file("a.txt"));
    s.undo_last().unwrap();
    assert!(!s.project.is_file("a.txt"));
}

#[test]
fn lines_typed_at_the_sqlite_prompt_are_undone_one_by_one() {
    let mut s = migrated();
    run(&mut s, "sqlite3 todos.db");
    s.run_line("delete from todos where title = 'one';");
    s.run_line("delete from todos;");
    s.run_line(".quit");
    s.undo_last().unwrap();
    assert_eq!(s.run_line("sqlite3 todos.db 'select title from todos'").stdout, "two\n");
    s.undo_last().unwrap();
    assert_eq!(s.run_line("sqlite3 todos.db 'select title from todos'").stdout, "one\ntwo\n");
}

#[test]
fn snapshots_are_bounded_in_number_and_bytes() {
    let mut s = Session::new(starter::project());
    assert_eq!(s.undo_history().limits(), (MAX_SNAPSHOTS, MAX_SNAPSHOT_BYTES));
    for i in 0..MAX_SNAPSHOTS + 10 {
        run(&mut s, &format!("touch f{i}.txt"));
    }
    assert_eq!(s.undo_history().len(), MAX_SNAPSHOTS);
    assert_eq!(s.undo_history().snapshots().next().unwrap().command, "touch f10.txt");
    // New empty files share nothing but themselves: no snapshot holds bytes the project doesn't.
    assert_eq!(s.undo_history().bytes(), 0);

    // A 2 MB database (a 1 MB blob rewritten into fresh pages) changed by every command: each snapshot holds its old bytes.
    let mut s = Session::new(starter::project());
    s.set_undo_limits(100, 7 * 1024 * 1024);
    run(&mut s, "sqlite3 big.db \"create table t(b blob); insert into t values (zeroblob(1000000))\"");
    for i in 0..6 {
        run(&mut s, &format!("sqlite3 big.db \"update t set b = randomblob(1000000 + {i})\""));
    }
    let size = s.project.read("big.db").unwrap().len();
    eprintln!("big.db: {size} bytes; {} snapshots, {} bytes", s.undo_history().len(), s.undo_history().bytes());
    assert_eq!(s.undo_history().len(), (7 * 1024 * 1024) / size, "as many whole databases as fit");
    assert!(s.undo_history().bytes() <= 7 * 1024 * 1024);
}

#[test]
fn forgetting_the_history_forgets_the_snapshots() {
    let mut s = migrated();
    assert!(!s.undo_history().is_empty());
    s.forget_history();
    assert!(s.undo_history().is_empty());
    run(&mut s, "rm todos.db");
    assert_eq!(s.undo_last().unwrap().index, 0);
}

#[test]
fn a_fork_records_nothing() {
    let s = migrated();
    let mut fork = s.fork();
    fork.run_line("rm todos.db");
    assert!(fork.undo_history().is_empty());
}

/// 100 commands on the starter project, with and without snapshots.
#[test]
fn recording_costs_little() {
    let lines: Vec<String> = (0..24)
        .flat_map(|i| {
            [
                format!("sqlite3 todos.db \"insert into todos(title) values ('row {i}')\""),
                "ls".to_string(),
                "alembic current".to_string(),
                "cat models.py".to_string(),
            ]
        })
        .collect();
    let time = |snapshots: usize, extra_db: bool| {
        let mut s = migrated();
        if extra_db {
            // A 4 MB database no command touches: compared before and after each command, never copied.
            run(&mut s, "sqlite3 big.db \"create table t(b blob); insert into t values (randomblob(4000000))\"");
        }
        s.set_undo_limits(snapshots, MAX_SNAPSHOT_BYTES);
        let start = Instant::now();
        for line in &lines {
            run(&mut s, line);
        }
        (start.elapsed(), s.undo_history().len())
    };
    // Warm up, then the best of three of each.
    time(0, false);
    let best = |snapshots, extra_db| (0..3).map(|_| time(snapshots, extra_db)).min_by_key(|(d, _)| *d).unwrap();
    for extra_db in [false, true] {
        let (without, _) = best(0, extra_db);
        let (with, kept) = best(MAX_SNAPSHOTS, extra_db);
        assert_eq!(kept, 24, "one snapshot per insert, none for the rest");
        let project = if extra_db { "starter + a 4 MB database" } else { "starter" };
        eprintln!("{} commands on the {project}: {without:?} without snapshots, {with:?} with ({kept} kept)", lines.len());
        assert!(with.as_secs_f64() < without.as_secs_f64() * 1.5 + 0.05, "snapshots slow commands: {with:?} vs {without:?}");
    }
}
