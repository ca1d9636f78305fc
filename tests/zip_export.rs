//! Export and import: our zips are read by real tools (Python's `zipfile`,
//! Info-ZIP's `unzip`), we read theirs (Python, `zip`, streamed `zip -` with
//! data descriptors), hostile zips are refused with clean messages (zip-slip,
//! encryption, bombs, too many entries), a lone `.db` is checked, and real
//! Alembic runs `upgrade head` and `check` on an exported project.

use std::path::{Path, PathBuf};
use std::process::Command;

use driftlab::engine::export::{self, ExportOptions, ImportError, README_MARKER};
use driftlab::engine::zip::ZipError;
use driftlab::engine::{starter, Project, Session};

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("driftlab-zip-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn have(program: &str) -> bool {
    let found = Command::new(program).arg("--help").output().is_ok();
    if !found {
        eprintln!("skipped: `{program}` is not installed");
    }
    found
}

fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().expect("python3 runs");
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn run(s: &mut Session, line: &str) {
    let out = s.run_line(line);
    assert_eq!(out.exit_code, 0, "{line}: {out:?}");
}

/// The starter after `alembic init`, wired to its models, one revision applied, a row added.
fn migrated_project() -> Project {
    let mut s = Session::new(starter::project());
    run(&mut s, "alembic init alembic");
    let ini = s.project.read_text("alembic.ini").unwrap();
    s.project.write("alembic.ini", ini.replace("driver://user:pass@localhost/dbname", "sqlite:///./todos.db"));
    let env = s.project.read_text("alembic/env.py").unwrap();
    s.project.write(
        "alembic/env.py",
        env.replace("target_metadata = None", "from database import Base\nimport models  # noqa: F401\ntarget_metadata = Base.metadata"),
    );
    run(&mut s, "alembic revision --autogenerate -m init");
    run(&mut s, "alembic upgrade head");
    run(&mut s, "sqlite3 todos.db \"insert into todos(title) values ('kept')\"");
    s.project
}

#[test]
fn an_export_round_trips_and_has_a_readme() {
    let project = migrated_project();
    let zip = export::export_zip(&project, &ExportOptions { modified: Some("2026-11-22 05:40:01.123456".into()), ..Default::default() });
    assert_eq!(export::import_zip(&zip).unwrap(), project);
    let readme = export::readme(&project, "todo-app");
    assert!(readme.starts_with(README_MARKER));
    for needle in ["pip install -r requirements.txt", "alembic upgrade head", "alembic check", "uvicorn main:app", "`todos.db`: an SQLite database, under Alembic, at revision "] {
        assert!(readme.contains(needle), "README lacks {needle:?}:\n{readme}");
    }
    // The starter alone has no Alembic yet, and no database.
    let bare = export::readme(&starter::project(), "todo-app");
    assert!(bare.contains("alembic init alembic") && !bare.contains("alembic check"), "{bare}");
}

#[test]
fn real_tools_read_our_zips() {
    if !have("python3") {
        return;
    }
    let project = migrated_project();
    let dir = temp_dir("ours");
    let path = dir.join("todo-app.zip");
    std::fs::write(&path, export::export_zip(&project, &ExportOptions::default())).unwrap();
    // Python checks every CRC and lists the entries; extracted files equal the project's.
    let listing = python(
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint('\\n'.join(z.namelist()))",
        &[&path, &dir],
    );
    assert!(listing.lines().any(|l| l == "todo-app/alembic/versions/"), "{listing}");
    assert!(listing.lines().any(|l| l == "todo-app/README.md"), "{listing}");
    for (file, bytes) in project.files() {
        assert_eq!(std::fs::read(dir.join("todo-app").join(file)).unwrap(), bytes, "{file}");
    }
    if have("unzip") {
        let out = Command::new("unzip").arg("-t").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("No errors detected"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn we_read_what_python_writes() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("python");
    let path = dir.join("p.zip");
    python(
        r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("proj/", "")
    z.writestr("proj/main.py", "print('hi')\n" * 50, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("proj/models.py", "x = 1\n", compress_type=zipfile.ZIP_STORED)
    z.writestr("proj/alembic/versions/", "")
    z.writestr("proj/ünïcode.txt", "é", compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("proj/__pycache__/main.cpython-311.pyc", b"\0\1")
    z.writestr("proj/.venv/pyvenv.cfg", "home = /usr/bin")
    z.writestr("proj/.venv/lib/site.py", "")
    z.writestr("proj/env/pyvenv.cfg", "home = /usr/bin")
    z.writestr("proj/env/bin/python", "")
    z.writestr("__MACOSX/proj/._main.py", b"\0")
    z.writestr("proj/.DS_Store", b"\0")
"#,
        &[&path],
    );
    let project = export::import_zip(&std::fs::read(&path).unwrap()).unwrap();
    let files: Vec<&str> = project.files().map(|(p, _)| p).collect();
    assert_eq!(files, ["main.py", "models.py", "ünïcode.txt"]);
    assert_eq!(project.read_text("main.py").unwrap(), "print('hi')\n".repeat(50));
    assert_eq!(project.read_text("ünïcode.txt").unwrap(), "é");
    assert!(project.is_dir("alembic/versions"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn we_read_what_info_zip_writes_even_streamed() {
    if !have("zip") {
        return;
    }
    let dir = temp_dir("infozip");
    let folder = dir.join("app");
    std::fs::create_dir_all(folder.join("alembic/versions")).unwrap();
    std::fs::write(folder.join("main.py"), "import models\n".repeat(100)).unwrap();
    std::fs::write(folder.join("todos.db"), b"").unwrap();
    // `zip -r app.zip app`: a top folder; `zip -r - .` to stdout: no top folder, data descriptors.
    let status = Command::new("zip").args(["-q", "-r", "app.zip", "app"]).current_dir(&dir).status().unwrap();
    assert!(status.success());
    let streamed = Command::new("sh").arg("-c").arg("cd app && zip -q -r - . | cat > ../streamed.zip").current_dir(&dir).status().unwrap();
    assert!(streamed.success());
    for name in ["app.zip", "streamed.zip"] {
        let project = export::import_zip(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        assert_eq!(project.read_text("main.py").unwrap(), "import models\n".repeat(100), "{name}");
        assert_eq!(project.read("todos.db"), Some(&[][..]), "{name}");
        assert!(project.is_dir("alembic/versions"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each case: a Python script writing `sys.argv[1]`, and the message importing it gives.
#[test]
fn hostile_zips_are_refused() {
    if !have("python3") {
        return;
    }
    let dir = temp_dir("hostile");
    let cases = [
        ("zip-slip", r#"z.writestr("../evil.py", "x")"#, "Can't import: the zip file's entry \"../evil.py\" is not a safe path (the path \"../evil.py\" climbs out of the project)."),
        ("deep zip-slip", r#"z.writestr("app/../../evil.py", "x")"#, "Can't import: the zip file's entry \"app/../../evil.py\" is not a safe path (the path \"app/../../evil.py\" climbs out of the project)."),
        ("absolute", r#"z.writestr(zipfile.ZipInfo("/etc/cron.d/x"), "x")"#, "Can't import: the zip file's entry \"/etc/cron.d/x\" is not a safe path (the path \"/etc/cron.d/x\" is absolute)."),
        ("backslashes", r#"z.writestr("..\\..\\evil.py", "x")"#, "Can't import: the zip file's entry \"..\\\\..\\\\evil.py\" is not a safe path (the path \"..\\\\..\\\\evil.py\" contains a backslash)."),
        ("a drive letter", r#"z.writestr("C:/evil.py", "x")"#, "Can't import: the zip file's entry \"C:/evil.py\" is not a safe path (a drive letter)."),
        ("a bomb", r#"z.writestr("big.txt", b"0" * (21 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)"#, "Can't import: \"big.txt\" in the zip file is too large (21 MB; at most 20 MB)."),
        ("many small files adding up", "for i in range(3): z.writestr(f'f{i}.txt', b'0' * (8 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)", "Can't import: \"f2.txt\" in the zip file is too large (8 MB; at most 4 MB)."),
        ("too many entries", "for i in range(2001): z.writestr(f'f{i}.txt', '')", "Can't import: the zip file has 2001 entries (at most 2000)."),
        ("too many files", "for i in range(501): z.writestr(f'f{i}.txt', '')", "Can't import: the zip file holds more than 500 files."),
        ("bzip2", r#"z.writestr("a.py", "x" * 100, compress_type=zipfile.ZIP_BZIP2)"#, "Can't import: \"a.py\" in the zip file is compressed with method 12 (only stored and deflate are read)."),
        ("empty", "pass", "Can't import: the zip file holds no project files."),
        ("only litter", r#"z.writestr("__MACOSX/._x", "x")"#, "Can't import: the zip file holds no project files."),
        ("a file where a folder is", r#"z.writestr("a", "x"); z.writestr("a/b.py", "y")"#, "Can't import: \"a\" is both a file and a folder."),
        ("twice", r#"z.writestr("a.py", "x"); z.writestr("a.py", "y")"#, "Can't import: the zip file holds \"a.py\" twice."),
    ];
    let mut failures = String::new();
    for (i, (what, script, expected)) in cases.iter().enumerate() {
        let path = dir.join(format!("{i}.zip"));
        python(&format!("import sys, zipfile, warnings\nwarnings.simplefilter('ignore')\nwith zipfile.ZipFile(sys.argv[1], 'w') as z:\n    {script}\n"), &[&path]);
        let message = match export::import_zip(&std::fs::read(&path).unwrap()) {
            Ok(_) => "imported".to_string(),
            Err(e) => e.to_string(),
        };
        if message != *expected {
            failures.push_str(&format!("{what}:\n  expected: {expected}\n    actual: {message}\n"));
        }
    }
    assert!(failures.is_empty(), "{failures}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn encrypted_zips_are_refused() {
    if !have("zip") {
        return;
    }
    let dir = temp_dir("encrypted");
    std::fs::write(dir.join("main.py"), "secret\n").unwrap();
    let status = Command::new("zip").args(["-q", "-P", "pass", "enc.zip", "main.py"]).current_dir(&dir).status().unwrap();
    assert!(status.success());
    let err = export::import_zip(&std::fs::read(dir.join("enc.zip")).unwrap()).unwrap_err();
    assert_eq!(err, ImportError::Zip(ZipError::Encrypted { name: "main.py".into() }));
    assert_eq!(err.to_string(), "Can't import: \"main.py\" in the zip file is encrypted.");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn not_a_zip_is_said_plainly() {
    let err = export::import_zip(b"PK\x03\x04 but nothing else").unwrap_err();
    assert_eq!(err.to_string(), "Can't import: this is not a zip file.");
    let too_big = vec![0u8; export::MAX_ZIP_BYTES + 1];
    assert_eq!(export::import_zip(&too_big).unwrap_err().to_string(), "The file is too large to import (32 MB; at most 32 MB).");
}

#[test]
fn a_lone_database_is_checked_before_it_is_imported() {
    let project = migrated_project();
    let db = project.read("todos.db").unwrap();
    let mut target = starter::project();
    assert_eq!(export::import_database(&mut target, "C:\\Users\\me\\Downloads\\todos.db", db).unwrap(), "todos.db");
    assert_eq!(target.read("todos.db"), Some(db));

    let bad: [(&str, &[u8], &str); 4] = [
        ("notes.db", b"just some text", "Can't import: this is not an SQLite database (it doesn't start with SQLite's header)."),
        ("empty.db", b"", "Can't import: this is not an SQLite database (it doesn't start with SQLite's header)."),
        ("cut.db", &db[..db.len() / 2], "Can't import: this is not an SQLite database ("),
        ("..", db, "Can't import: the file name is not one driftlab keeps (the path \"..\" climbs out of the project)."),
    ];
    for (name, bytes, expected) in bad {
        let err = export::import_database(&mut target, name, bytes).unwrap_err().to_string();
        assert!(err.starts_with(expected), "{name}:\n  expected: {expected}\n    actual: {err}");
    }
    assert_eq!(target.read("todos.db"), Some(db), "a refused import changes nothing");
}

#[test]
fn a_database_from_real_sqlite3_in_wal_mode_imports() {
    if !have("sqlite3") {
        return;
    }
    let dir = temp_dir("wal");
    let path = dir.join("wal.db");
    let status = Command::new("sqlite3")
        .arg(&path)
        .arg("pragma journal_mode=wal; create table t(a); insert into t values (42); pragma wal_checkpoint(truncate);")
        .output()
        .unwrap();
    assert!(status.status.success());
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes[18], 2, "the file is in WAL mode");
    // As it is, SQLite won't open a WAL file in memory: the import switches it to a rollback journal.
    assert!(export::check_database(&bytes).is_err());
    let mut s = Session::new(starter::project());
    export::import_database(&mut s.project, "wal.db", &bytes).unwrap();
    assert_eq!(s.run_line("sqlite3 wal.db 'select a from t'").stdout, "42\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Real Alembic (1.20.1, SQLAlchemy 2.1.9) in the oracle's virtualenv.
fn real_alembic() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let alembic = PathBuf::from(home).join(".cache/alembic-oracle-venv/bin/alembic");
    if alembic.exists() {
        Some(alembic)
    } else {
        eprintln!("skipped: real Alembic is not installed at {}", alembic.display());
        None
    }
}

fn alembic(alembic: &Path, dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(alembic).args(args).current_dir(dir).env("PYTHONDONTWRITEBYTECODE", "1").output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(out.status.success(), "alembic {args:?} failed:\n{stdout}{stderr}");
    (stdout, stderr)
}

#[test]
fn real_alembic_accepts_an_exported_project() {
    let (Some(alembic_bin), true) = (real_alembic(), have("python3")) else { return };
    let project = migrated_project();
    let dir = temp_dir("alembic");
    let path = dir.join("todo-app.zip");
    std::fs::write(&path, export::export_zip(&project, &ExportOptions::default())).unwrap();
    python("import sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", &[&path, &dir]);
    let app = dir.join("todo-app");

    // The exported database is at head, with its row; the models agree with it.
    let (current, _) = alembic(&alembic_bin, &app, &["current"]);
    assert!(current.contains("(head)"), "{current}");
    alembic(&alembic_bin, &app, &["upgrade", "head"]);
    let (check, _) = alembic(&alembic_bin, &app, &["check"]);
    assert!(check.contains("No new upgrade operations detected."), "{check}");
    let rows = python("import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute('select title from todos').fetchall())", &[&app.join("todos.db")]);
    assert_eq!(rows.trim(), "[('kept',)]");

    // From no database at all, the exported migrations build the schema the models describe.
    std::fs::remove_file(app.join("todos.db")).unwrap();
    let (_, log) = alembic(&alembic_bin, &app, &["upgrade", "head"]);
    assert!(log.contains("Running upgrade  -> "), "{log}");
    let (check, _) = alembic(&alembic_bin, &app, &["check"]);
    assert!(check.contains("No new upgrade operations detected."), "{check}");
    let _ = std::fs::remove_dir_all(&dir);
}
