//! Saved sessions: a session saved and restored is the same session (files,
//! database bytes, directories, cwd, history, terminal, opaque lesson and
//! layout values), and blobs that can't be loaded say why — damaged (with
//! serde's position), another format version (newer or older), or content
//! driftlab won't load (paths escaping the project, absurd sizes).

use driftlab::engine::saved::{
    self, LoadError, SavedSession, TerminalEntry, FORMAT_VERSION, MAX_ENTRY_OUTPUT_BYTES, MAX_FILES, MAX_TERMINAL_ENTRIES,
};
use driftlab::engine::{starter, Session};
use serde_json::{json, Value};

fn worked_session() -> Session {
    let mut s = Session::new(starter::project());
    for line in [
        "alembic init alembic",
        "sqlite3 todos.db \"create table t(id integer primary key, name text); insert into t values (1, '<b>x</b>')\"",
        "mkdir -p notes/empty",
        "cd alembic",
    ] {
        let out = s.run_line(line);
        assert_eq!(out.exit_code, 0, "{line}: {out:?}");
    }
    s
}

fn entry(command: &str, stdout: &str) -> TerminalEntry {
    TerminalEntry { prompt: "$ ".into(), command: command.into(), stdout: stdout.into(), stderr: String::new(), exit_code: 0 }
}

#[test]
fn a_saved_session_restores_exactly() {
    let s = worked_session();
    let saved = s
        .save()
        .with_terminal(vec![entry("ls", "main.py\n")])
        .with_lesson(json!({"lesson": "03-the-empty-migration", "done": [0, 1]}))
        .with_layout(json!({"theme": "dark", "split": 0.4}));
    let text = saved.to_json().unwrap();
    let read = SavedSession::from_json(&text).unwrap();
    assert_eq!(read, saved);

    let mut restored = Session::new(starter::project());
    restored.restore(read.clone()).unwrap();
    assert_eq!(restored.project, s.project, "files, database bytes and folders");
    assert!(restored.project.is_dir("notes/empty"));
    assert_eq!(restored.cwd(), "alembic");
    assert_eq!(restored.prompt(), "alembic $ ");
    assert_eq!(restored.history(), s.history());
    assert_eq!(restored.last_command(), s.last_command());
    assert_eq!(read.terminal, vec![entry("ls", "main.py\n")]);
    assert_eq!(read.lesson["done"], json!([0, 1]));
    assert_eq!(read.layout["theme"], "dark");
    // The database is a real one again.
    let out = restored.run_line("sqlite3 ../todos.db 'select name from t'");
    assert_eq!(out.stdout, "<b>x</b>\n");
}

#[test]
fn text_stays_text_and_databases_are_base64() {
    let saved = worked_session().save();
    let value: Value = serde_json::from_str(&saved.to_json().unwrap()).unwrap();
    assert!(value["project"]["files"]["main.py"]["text"].as_str().unwrap().contains("FastAPI"));
    assert!(value["project"]["files"]["todos.db"]["base64"].as_str().unwrap().starts_with("U1FMaXRlIGZvcm1hdCAz"));
    assert_eq!(value["format"], "driftlab-session");
    assert_eq!(value["version"], FORMAT_VERSION);
}

#[test]
fn the_terminal_is_bounded_when_saved() {
    let long = "x".repeat(MAX_ENTRY_OUTPUT_BYTES * 2);
    let entries = (0..MAX_TERMINAL_ENTRIES + 50).map(|i| entry(&format!("echo {i}"), &long));
    let saved = worked_session().save().with_terminal(entries);
    assert!(saved.terminal.len() <= MAX_TERMINAL_ENTRIES);
    assert_eq!(saved.terminal.last().unwrap().command, format!("echo {}", MAX_TERMINAL_ENTRIES + 49), "the newest are kept");
    let shown = &saved.terminal.last().unwrap().stdout;
    assert!(shown.starts_with(saved::CUT_MARKER) && shown.len() == saved::CUT_MARKER.len() + MAX_ENTRY_OUTPUT_BYTES);
    let total: usize = saved.terminal.iter().map(|e| e.stdout.len() + e.command.len() + e.prompt.len()).sum();
    assert!(total <= saved::MAX_TERMINAL_BYTES);
    SavedSession::from_json(&saved.to_json().unwrap()).unwrap();
}

#[test]
fn the_history_is_bounded_and_the_last_command_follows_it() {
    let mut s = Session::new(starter::project());
    for i in 0..saved::MAX_HISTORY + 5 {
        s.run_line(&format!("echo {i}"));
    }
    let saved = s.save();
    assert_eq!(saved.history.len(), saved::MAX_HISTORY);
    assert_eq!(saved.history[0], "echo 5");
    let last = saved.last_command.as_ref().unwrap();
    assert_eq!(saved.history[last.index], last.line);
}

/// Each case: a change to a good saved session's JSON, and what loading it says.
#[test]
fn blobs_that_cant_be_loaded_say_why() {
    let good: Value = serde_json::from_str(&worked_session().save().to_json().unwrap()).unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        v.to_string()
    };
    let file = |path: &str| {
        let path = path.to_string();
        move |v: &mut Value| {
            v["project"]["files"][path.as_str()] = json!({"text": "x"});
        }
    };
    let files = good["project"]["files"].as_object().unwrap().len();
    let too_many = format!("The saved session holds something driftlab won't load: {} files (at most 500).", files + MAX_FILES + 1);
    let cases: Vec<(&str, String, &str)> = vec![
        ("not JSON", "{\"format\": \"driftlab-session\", \"version\": 1,\n  \"project\": {".into(),
         "The saved session is damaged and can't be read (EOF while parsing an object at line 2, column 14)."),
        ("garbage", "\u{0}\u{1}garbage".into(), "The saved session is damaged and can't be read (expected value at line 1, column 1)."),
        ("empty", String::new(), "The saved session is damaged and can't be read (EOF while parsing a value at line 1, column 0)."),
        ("not an object", "[1, 2]".into(), "This is not a driftlab saved session (it has no \"format\": \"driftlab-session\")."),
        ("a string", "\"driftlab-session\"".into(), "The saved session is damaged and can't be read (invalid type: string \"driftlab-session\", expected struct Header at line 1, column 18)."),
        ("someone else's JSON", "{\"hello\": 1}".into(), "This is not a driftlab saved session (it has no \"format\": \"driftlab-session\")."),
        ("newer", with(&|v| v["version"] = json!(7)),
         "The saved session comes from a newer driftlab (format version 7); this page reads version 1. Reload to get the newest driftlab."),
        ("older", with(&|v| v["version"] = json!(0)),
         "The saved session comes from an older driftlab (format version 0) that this version no longer reads (it reads version 1)."),
        ("no version", with(&|v| { v.as_object_mut().unwrap().remove("version"); }),
         "The saved session is damaged and can't be read (its format version is missing or not a number at line 1, column 1)."),
        ("wrong shape", with(&|v| v["history"] = json!("ls")),
         "The saved session is damaged and can't be read (invalid type: string \"ls\", expected a sequence at line 1, column "),
        ("file data neither text nor base64", with(&|v| v["project"]["files"]["a.py"] = json!({"hex": "00"})),
         "The saved session is damaged and can't be read (unknown variant `hex`, expected `text` or `base64` at line 1, column "),
        ("bad base64", with(&|v| v["project"]["files"]["todos.db"] = json!({"base64": "%%%"})),
         "The saved session holds something driftlab won't load: the file \"todos.db\" is not valid base64"),
        ("climbing out", with(&file("../../.bashrc")),
         "The saved session holds something driftlab won't load: the path \"../../.bashrc\" climbs out of the project."),
        ("absolute", with(&file("/etc/passwd")),
         "The saved session holds something driftlab won't load: the path \"/etc/passwd\" is absolute."),
        ("not normalised", with(&file("alembic/./env.py")),
         "The saved session holds something driftlab won't load: the path \"alembic/./env.py\" is not normalised."),
        ("a file where a folder is", with(&file("alembic")),
         "The saved session holds something driftlab won't load: \"alembic\" is both a file and a folder."),
        ("a folder that escapes", with(&|v| v["project"]["dirs"] = json!(["a/../../b"])),
         "The saved session holds something driftlab won't load: the path \"a/../../b\" climbs out of the project."),
        ("cwd outside", with(&|v| v["cwd"] = json!("../..")),
         "The saved session holds something driftlab won't load: the current directory: the path \"../..\" climbs out of the project."),
        ("cwd missing", with(&|v| v["cwd"] = json!("nowhere")),
         "The saved session holds something driftlab won't load: the current directory \"nowhere\" is not a folder of the project."),
        ("last command out of range", with(&|v| v["last_command"]["index"] = json!(99)),
         "The saved session holds something driftlab won't load: a last command outside the history."),
        ("too many files", with(&|v| {
            for i in 0..=MAX_FILES { v["project"]["files"][format!("f{i}.py")] = json!({"text": ""}); }
        }), &too_many),
        ("too many terminal entries", with(&|v| v["terminal"] = json!(vec![json!({"command": "ls"}); 201])),
         "The saved session holds something driftlab won't load: 201 terminal entries (at most 200)."),
        ("too large files", with(&|v| v["project"]["files"]["big.txt"] = json!({"text": "x".repeat(21 * 1024 * 1024)})),
         "The saved session holds something driftlab won't load: files of 21"),
    ];
    let mut failures = String::new();
    for (what, json, expected) in cases {
        let message = match SavedSession::from_json(&json) {
            Ok(_) => "loaded".to_string(),
            Err(e) => e.to_string(),
        };
        if !message.starts_with(expected) {
            failures.push_str(&format!("{what}:\n  expected: {expected}\n    actual: {message}\n"));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn a_blob_too_large_is_not_even_parsed() {
    let huge = " ".repeat(saved::MAX_JSON_BYTES + 1);
    assert_eq!(
        SavedSession::from_json(&huge),
        Err(LoadError::TooLarge { bytes: saved::MAX_JSON_BYTES + 1, max: saved::MAX_JSON_BYTES })
    );
    assert_eq!(
        SavedSession::from_json(&huge).unwrap_err().to_string(),
        "The saved session is too large to load (32 MB; the limit is 32 MB)."
    );
}

#[test]
fn a_project_over_the_limits_is_refused_when_saved_not_when_reloaded() {
    let mut s = Session::new(starter::project());
    for i in 0..MAX_FILES {
        s.project.write(&format!("many/f{i}.txt"), "");
    }
    let err = s.save().to_json().unwrap_err();
    assert_eq!(err.to_string(), "The saved session holds something driftlab won't load: 505 files (at most 500).");
}

#[test]
fn a_failed_restore_changes_nothing() {
    let mut s = worked_session();
    let before = s.project.clone();
    let mut bad = s.save();
    bad.project.files.insert("../x".into(), saved::FileData::Text(String::new()));
    assert!(s.restore(bad).is_err());
    assert_eq!(s.project, before);
    assert_eq!(s.cwd(), "alembic");
}

#[test]
fn cut_blobs_never_panic() {
    let text = worked_session().save().with_terminal(vec![entry("ls", "a\n")]).to_json().unwrap();
    let step = (text.len() / 300).max(1);
    for len in (0..text.len()).step_by(step) {
        if text.is_char_boundary(len) {
            assert!(SavedSession::from_json(&text[..len]).is_err(), "{len}");
        }
    }
}
