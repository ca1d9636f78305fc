//! Tests of the project-files reader: the data-driven cases of
//! `tests/app_cases/` (each a description line, `--- FILE` sections with the
//! project's files, and `--- expected` with `ProjectFacts::describe()`;
//! UPDATE_EXPECT=1 rewrites them, then review by eye), a few direct checks,
//! and random edits that must never make a reader panic.

use std::path::PathBuf;

use super::*;

struct Case {
    description: String,
    files: Vec<(String, String)>,
    expected: String,
}

fn parse_case(text: &str) -> Case {
    let mut description = String::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut expected = None;
    for line in text.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("--- ") {
            let name = name.trim().to_string();
            if name == "expected" {
                expected = Some(String::new());
            } else {
                files.push((name, String::new()));
            }
        } else if let Some(e) = expected.as_mut() {
            e.push_str(line);
        } else if let Some((_, content)) = files.last_mut() {
            content.push_str(line);
        } else {
            description.push_str(line);
        }
    }
    Case { description, files, expected: expected.unwrap_or_default() }
}

fn render(case: &Case) -> String {
    let mut out = case.description.clone();
    for (name, content) in &case.files {
        out.push_str(&format!("--- {name}\n{content}"));
    }
    out.push_str(&format!("--- expected\n{}", case.expected));
    out
}

fn project(files: &[(&str, &str)]) -> Project {
    let mut p = Project::new();
    for (name, text) in files {
        // `name/` makes an empty folder (an `alembic/versions/` with no revisions).
        match name.strip_suffix('/') {
            Some(dir) => p.create_dir_all(dir),
            None => p.write(name, text.as_bytes()),
        }
    }
    p
}

#[test]
fn app_cases_read_as_expected() {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/app_cases");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/app_cases exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", folder.display());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("readable case");
        let mut case = parse_case(&text);
        let files: Vec<(&str, &str)> = case.files.iter().map(|(n, c)| (n.as_str(), c.as_str())).collect();
        let project = project(&files);
        let before = project.clone();
        let actual = read_project(&project).describe();
        assert_eq!(project, before, "{}: reading changed the project", path.display());
        if update {
            case.expected = actual;
            std::fs::write(path, render(&case)).expect("writable case");
        } else if actual != case.expected {
            failures.push(format!("{}\n--- expected\n{}--- actual\n{}", path.display(), case.expected, actual));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), paths.len(), failures.join("\n"));
}


/// A tiny deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random edits of real project files never make the readers panic or
/// hang, every diagnostic points inside its file, and reading never changes
/// the project.
#[test]
fn mutated_project_files_never_panic() {
    let cases = [
        include_str!("../../../tests/app_cases/guide000_lifespan_init_db.txt"),
        include_str!("../../../tests/app_cases/option_b_helper_function.txt"),
        include_str!("../../../tests/app_cases/env_include_object.txt"),
        include_str!("../../../tests/app_cases/env_database_url_override.txt"),
        include_str!("../../../tests/app_cases/routers_and_module_create_all.txt"),
        include_str!("../../../tests/app_cases/seed_variants.txt"),
        include_str!("../../../tests/app_cases/guide001_async_env.txt"),
        include_str!("../../../tests/app_cases/ini_malformed.txt"),
    ];
    let cases: Vec<Case> = cases.iter().map(|c| parse_case(c)).collect();
    let fragments = [
        "(", ")", "[", "]", ":", "=", "\n    ", "\"", "'", ",", "None", "yield\n", "await ", "import models\n",
        "from database import Base\n", "%(", "%", "[alembic]\n", "\n  ", "context.configure(", "create_all(",
        "db.add(", "@app.get(\"/x\")\n", "lifespan=", "if x:\n", "*", "\\", "#", ";", "os.environ[\"X\"]",
    ];
    let mut rng = XorShift(0x0a99_f11e_5eed_0003);
    for case_number in 0..3_000 {
        let case = &cases[case_number % cases.len()];
        let editable: Vec<usize> = (0..case.files.len()).filter(|&i| !case.files[i].0.ends_with('/')).collect();
        let target = editable[rng.below(editable.len())];
        let mut text: Vec<u8> = case.files[target].1.as_bytes().to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len() + 1);
            match rng.below(4) {
                0 => {
                    let end = (at + rng.below(40)).min(text.len());
                    text.drain(at..end);
                }
                1 => {
                    let fragment = fragments[rng.below(fragments.len())];
                    text.splice(at..at, fragment.bytes());
                }
                2 => {
                    let end = (at + rng.below(60)).min(text.len());
                    let copy = text[at..end].to_vec();
                    let to = rng.below(text.len() + 1);
                    text.splice(to..to, copy);
                }
                _ => {
                    if let Some(b) = text.get_mut(at) {
                        *b = rng.next() as u8;
                    }
                }
            }
        }
        let mutated = String::from_utf8_lossy(&text).into_owned();
        let files: Vec<(&str, &str)> = case
            .files
            .iter()
            .enumerate()
            .map(|(i, (n, c))| (n.as_str(), if i == target { mutated.as_str() } else { c.as_str() }))
            .collect();
        let project = project(&files);
        let before = project.clone();
        let facts = read_project(&project);
        let _ = facts.describe();
        assert_eq!(project, before, "case {case_number}: reading changed the project");
        for d in &facts.diagnostics {
            let Some(source) = project.read_text(&d.file) else { panic!("case {case_number}: {d} names a file that does not exist") };
            let lines = source.split('\n').count() + 1;
            assert!(d.line >= 1 && d.line <= lines && d.col >= 1, "case {case_number}: {d} is outside its file");
        }
    }
}


/// The values Python's `configparser` gives for the same text (recorded
/// with CPython 3.11, `defaults={"here": "."}`).
#[test]
fn ini_values_match_configparser() {
    let text = "[DEFAULT]\nroot = /srv\n[alembic]\nscript_location = %(here)s/migrations\nPrepend_Sys_Path = .\n    src\n\n    lib\n  # a comment inside\n    more\nfile_template = %%(year)d_%%(rev)s\nversion_locations = %(root)s/v1 %(script_location)s/versions\nempty =\ncolon: value: with colon\n[other]\nx = %(root)s\n";
    let (ini, diagnostics) = read_alembic_ini("alembic.ini", text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(ini.script_location.as_deref(), Some("./migrations"));
    assert_eq!(ini.script_folder().as_deref(), Some("migrations"));
    assert_eq!(ini.prepend_sys_path.as_deref(), Some(".\nsrc\n\nlib\nmore"));
    assert_eq!(ini.file_template.as_deref(), Some("%(year)d_%(rev)s"));
    assert_eq!(ini.effective_file_template(), "%(year)d_%(rev)s");
    assert_eq!(ini.version_locations.as_deref(), Some("/srv/v1 ./migrations/versions"));
    assert_eq!(ini.other, vec![("empty".to_string(), String::new()), ("colon".to_string(), "value: with colon".to_string())]);
    let names: Vec<&str> = ini.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["alembic", "other"]);
    assert_eq!(ini.section("other").map(|s| s.entries[0].raw.as_str()), Some("%(root)s"));
}

#[test]
fn ini_without_file_template_uses_alembics_default() {
    let (ini, diagnostics) = read_alembic_ini("alembic.ini", "[alembic]\nscript_location = alembic\n");
    assert!(diagnostics.is_empty());
    assert_eq!(ini.file_template, None);
    assert_eq!(ini.effective_file_template(), "%(rev)s_%(slug)s");
}

#[test]
fn ini_interpolation_errors_have_configparsers_wording() {
    let (_, diagnostics) = read_alembic_ini("alembic.ini", "[alembic]\nscript_location = %(a)s\na = %(b)s\nb = %(a)s\nfile_template = %(rev)d\n");
    let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "alembic.ini:2:1: configparser.InterpolationDepthError: Recursion limit exceeded in value substitution: option 'script_location' in section 'alembic' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '%(a)s'",
            "alembic.ini:5:1: configparser.InterpolationSyntaxError: bad interpolation variable reference '%(rev)d'",
        ]
    );
}

#[test]
fn missing_env_py_is_reported() {
    let p = project(&[("alembic.ini", "[alembic]\nscript_location = alembic\n"), ("alembic/versions/", "")]);
    let facts = read_project(&p);
    assert!(facts.env.is_none());
    let messages: Vec<String> = facts.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages, ["alembic.ini:2:1: ImportError: Can't find Python file alembic/env.py"]);
}

#[test]
fn python_repr_and_suggestions() {
    use super::source::{python_repr, suggest};
    assert_eq!(python_repr("it's"), "\"it's\"");
    assert_eq!(python_repr("a'b\"c\n"), "'a\\'b\"c\\n'");
    assert_eq!(suggest("nmae", ["id", "name", "price"].into_iter()), Some("name"));
    assert_eq!(suggest("zzz", ["id", "name"].into_iter()), None);
}

/// env.py's URL from the process: `-x` arguments first, then the
/// environment over `.env`, then the config file's own URL.
#[test]
fn env_py_reads_x_arguments_and_the_environment_of_the_process() {
    use crate::engine::environ::{Environ, PythonEnv};
    let env_py = "from alembic import context\nimport os\nconfig = context.config\n\
                  url = context.get_x_argument(as_dictionary=True).get(\"db_url\") or os.environ.get(\"DATABASE_URL\") or config.get_main_option(\"sqlalchemy.url\")\n\
                  config.set_main_option(\"sqlalchemy.url\", url)\n\
                  def run_migrations_online():\n    context.configure(connection=None, target_metadata=None)\n";
    let ini = "[alembic]\nscript_location = alembic\nsqlalchemy.url = sqlite:///./todos.db\n";
    let mut project = project(&[("alembic.ini", ini), ("alembic/env.py", env_py)]);
    let url = |project: &Project, environ: &[(&str, &str)], x: &[&str]| {
        let environ: Environ = environ.iter().copied().collect();
        let x: Vec<String> = x.iter().map(|s| s.to_string()).collect();
        let facts = read_project_with(project, &PythonEnv::new(project, &environ).with_x_arguments(&x));
        let over = facts.env.and_then(|e| e.url_override).expect("env.py sets the URL");
        (over.url, describe::url_origin(&over.origin))
    };
    // Nothing given: the config file's URL (load_environment falls back to it).
    assert_eq!(url(&project, &[], &[]), (None, "the config file's sqlalchemy.url at alembic/env.py:4:101, through alembic.env.url".into()));
    project.write(".env", "DATABASE_URL=sqlite:///./dotenv.db\n");
    let (found, origin) = url(&project, &[], &[]);
    assert_eq!(found.as_deref(), Some("sqlite:///./dotenv.db"));
    assert!(origin.contains("(set in .env; no default)"), "{origin}");
    let (found, origin) = url(&project, &[("DATABASE_URL", "sqlite:///./staging.db")], &[]);
    assert_eq!(found.as_deref(), Some("sqlite:///./staging.db"));
    assert!(origin.contains("(set in the environment; no default)"), "{origin}");
    let (found, origin) = url(&project, &[("DATABASE_URL", "sqlite:///./staging.db")], &["db_url=postgresql://u:p@h/db"]);
    assert_eq!(found.as_deref(), Some("postgresql://u:p@h/db"));
    assert!(origin.starts_with("alembic -x db_url via context.get_x_argument(as_dictionary=True) (given; no default)"), "{origin}");

    // `[...]` raises a KeyError when `-x` doesn't give the key.
    let strict = "from alembic import context\nconfig = context.config\nx = context.get_x_argument(as_dictionary=True)\nconfig.set_main_option(\"sqlalchemy.url\", x[\"db_url\"])\n";
    project.write("alembic/env.py", strict);
    let facts = read_project(&project);
    assert!(facts.diagnostics.iter().any(|d| d.message == "KeyError: 'db_url'" && d.line == 4), "{:?}", facts.diagnostics);
    let (found, _) = url(&project, &[], &["db_url=sqlite:///./x.db"]);
    assert_eq!(found.as_deref(), Some("sqlite:///./x.db"));
}
