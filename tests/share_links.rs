//! Share links: a project put into a URL fragment opens as the same files,
//! schema and rows; hostile fragments (oversized, truncated, garbage, other
//! versions, bad JSON, zip bombs, paths escaping the project) give clean
//! messages and never load.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use driftlab::engine::share::{self, ShareError, SharedState, MAX_DECOMPRESSED, MAX_URL_FRAGMENT};
use driftlab::engine::{starter, Session};

fn link_of_json(json: &str) -> String {
    format!("v1.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9)))
}

fn worked_state() -> SharedState {
    let mut s = Session::new(starter::project());
    for line in [
        "alembic init alembic",
        "sqlite3 todos.db \"create table '<img src=x onerror=alert(1)>'(id integer primary key, v text); insert into '<img src=x onerror=alert(1)>' values (1, '<script>alert(1)</script>')\"",
        "touch '<b onmouseover=alert(1)>.py'",
    ] {
        assert_eq!(s.run_line(line).exit_code, 0, "{line}");
    }
    SharedState { project: s.project, lesson: Some("03-the-empty-migration".into()), step: Some(1) }
}

#[test]
fn a_link_opens_as_the_same_project() {
    let state = worked_state();
    let link = share::encode(&state).unwrap();
    assert!(link.len() < MAX_URL_FRAGMENT, "the starter after alembic init fits: {} bytes", link.len());
    eprintln!("link for the starter + alembic init + a table: {} characters", link.len());
    let opened = share::decode(&format!("#{link}")).unwrap();
    assert_eq!(opened, state);
    // Markup is data: the table and the file keep their names, the row its text.
    let mut s = Session::new(opened.project);
    let out = s.run_line("sqlite3 todos.db \"select v from '<img src=x onerror=alert(1)>'\"");
    assert_eq!(out.stdout, "<script>alert(1)</script>\n");
    assert!(s.project.is_file("<b onmouseover=alert(1)>.py"));
}

#[test]
fn a_project_too_large_for_a_link_says_so() {
    let mut state = worked_state();
    // Incompressible bytes: 100 KB can't fit in 64 KB of link.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    state.project.write("noise.bin", noise);
    let err = share::encode(&state).unwrap_err();
    assert!(matches!(err, ShareError::TooLarge { max: MAX_URL_FRAGMENT, .. }), "{err:?}");
    assert!(err.to_string().ends_with("Download it as a file instead."), "{err}");
}

/// Each case: a fragment, and the start of the message it gives.
#[test]
fn hostile_fragments_give_clean_messages() {
    let good = share::encode(&worked_state()).unwrap();
    let bomb = {
        let zeros = vec![b' '; MAX_DECOMPRESSED + 1];
        let json = format!("{{\"project\": {{\"files\": {{}}}}, \"lesson\": \"{}\"}}", String::from_utf8(zeros).unwrap());
        link_of_json(&json)
    };
    assert!(bomb.len() < MAX_URL_FRAGMENT, "the bomb is small: {}", bomb.len());
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", "".into(), "This link holds no project."),
        ("only a hash", "#".into(), "This link holds no project."),
        ("oversized", format!("v1.{}", "A".repeat(MAX_URL_FRAGMENT)), "This share link is too long (65 KB; the limit is 64 KB): driftlab won't open it."),
        ("not ours", "section-2".into(), "This is not a driftlab share link."),
        ("markup", "<img src=x onerror=alert(1)>".into(), "This is not a driftlab share link."),
        ("a newer version", "v2.eJzLSM3JyQcABiwCFQ".into(), "This share link was made by another version of driftlab (format v2); this page reads v1."),
        ("garbage characters", "v1.!!!!$$$$".into(), "This share link is damaged: it contains characters a driftlab link never has."),
        ("not zlib", "v1.aGVsbG8gd29ybGQ".into(), "This share link is damaged: it contains characters a driftlab link never has."),
        ("cut in half", good[..good.len() / 2].to_string(), "This share link is cut short"),
        ("cut near the end", good[..good.len() - 3].to_string(), "This share link is cut short"),
        ("a zip bomb", bomb, "This share link unpacks to more than 8 MB: driftlab won't open it."),
        ("not UTF-8 inside", format!("v1.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(b"{\n  \"a\xff\": 1}", 9))),
         "This share link is damaged and can't be read (invalid UTF-8 at line 2, column 5)."),
        ("not JSON inside", link_of_json("<script>alert(1)</script>"), "This share link is damaged and can't be read (expected value at line 1, column 1)."),
        ("the wrong shape", link_of_json("{\"files\": []}"), "This share link is damaged and can't be read (missing field `project` at line 1, column 13)."),
        ("a path escaping", link_of_json(r#"{"project": {"files": {"../../evil.py": {"text": "x"}}}}"#),
         "This share link holds something driftlab won't load: the path \"../../evil.py\" climbs out of the project."),
        ("an absolute path", link_of_json(r#"{"project": {"files": {"/etc/passwd": {"text": "x"}}}}"#),
         "This share link holds something driftlab won't load: the path \"/etc/passwd\" is absolute."),
        ("a hostile lesson id", link_of_json(r#"{"project": {"files": {}}, "lesson": "<script>alert(1)</script>"}"#),
         "This share link holds something driftlab won't load: the lesson name \"<script>alert(1)</script>\" is not one a lesson can have."),
        ("too many files", link_of_json(&format!(
            "{{\"project\": {{\"files\": {{{}}}}}}}",
            (0..501).map(|i| format!("\"f{i}\": {{\"text\": \"\"}}")).collect::<Vec<_>>().join(",")
        )), "This share link holds something driftlab won't load: 501 files (at most 500)."),
    ];
    let mut failures = String::new();
    for (what, fragment, expected) in cases {
        let message = match share::decode(&fragment) {
            Ok(_) => "opened".to_string(),
            Err(e) => e.to_string(),
        };
        if !message.starts_with(expected) {
            failures.push_str(&format!("{what}:\n  expected: {expected}\n    actual: {message}\n"));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn every_cut_of_a_link_fails_cleanly() {
    let good = share::encode(&worked_state()).unwrap();
    for len in 0..good.len() {
        assert!(share::decode(&good[..len]).is_err(), "cut at {len} opened");
    }
}

#[test]
fn every_changed_character_fails_cleanly_or_opens_a_valid_project() {
    let good = share::encode(&worked_state()).unwrap();
    let step = (good.len() / 400).max(1);
    for i in (3..good.len()).step_by(step) {
        let mut bytes = good.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        // zlib's checksum catches what deflate doesn't; either way no panic.
        if let Ok(state) = share::decode(std::str::from_utf8(&bytes).unwrap()) {
            assert_eq!(state, worked_state(), "a changed link opened as another project");
        }
    }
}
