//! The native CLI: the same engine as the page, against a project folder on
//! disk. `run` runs one command line; `shell` runs a whole session from stdin;
//! `new` writes the starter project or a lesson's start; `lesson check`
//! proves the course's lessons work. Lesson authors and the fidelity tests
//! drive the engine through it.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use driftlab::engine::host::{format_timestamp, Host};
use driftlab::engine::lesson::{self, Course};
use driftlab::engine::{CommandOutput, Project, Session};

/// The real clock and a seeded generator.
struct SystemHost {
    state: u64,
}

impl SystemHost {
    fn new() -> Self {
        use std::hash::{BuildHasher, Hasher};
        // RandomState is seeded from the OS; mix in the time for good measure.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        SystemHost { state: hasher.finish() | 1 }
    }
}

impl Host for SystemHost {
    fn now(&self) -> String {
        // Local time is UTC here: the CLI runs in containers and CI (TZ=UTC).
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        format_timestamp(now.as_secs() as i64, now.subsec_micros())
    }

    fn random_u64(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// A session over a project folder, with the folder's absolute path as its root.
fn session_for(dir: &Path, project: Project) -> Session {
    let mut session = Session::new(project);
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    session.set_root(absolute.to_string_lossy().into_owned());
    session.set_host(Box::new(SystemHost::new()));
    // The one host variable a session takes: paths into Python's packages
    // then name the venv the tools would run from (as real tracebacks do).
    if let Some(venv) = std::env::var("VIRTUAL_ENV").ok().filter(|v| !v.is_empty()) {
        session.export("VIRTUAL_ENV", &venv);
    }
    session
}

const USAGE: &str = "\
usage: driftlab run --project DIR -- COMMAND [ARG...]
       driftlab shell --project DIR
       driftlab new DIR [--lesson N]
       driftlab lesson check [PATH]

  run     run one command line against the project in DIR and exit with its code
  shell   read command lines from standard input, one after another, keeping
          session state between them, as the page's terminal does; a line
          `^C` is Ctrl+C (it stops the app `uvicorn` is running)
  new     write the starter project (the guides' todo app) into DIR; with
          --lesson N (a number or a folder name), lesson N's start instead
  lesson check
          check the lessons in PATH (default: lessons; or one lesson folder):
          each parses, each step's check fails before its solution and
          passes after, and each lesson played from its start ends in its
          recap's end state; exit 1 with every problem otherwise
";

/// The stdin line that `shell` reads as Ctrl+C.
const CTRL_C_LINE: &str = "^C";

/// Folders never loaded into a project: tool caches and version control.
const SKIPPED_DIRS: &[&str] = &[".git", "__pycache__", ".venv", "venv", "node_modules", ".mypy_cache", ".pytest_cache"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run_cli(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("driftlab: {message}");
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_cli(args: &[String]) -> Result<u8, String> {
    let Some((subcommand, rest)) = args.split_first() else {
        return Err("missing subcommand".into());
    };
    match subcommand.as_str() {
        "run" => {
            let (dir, command) = project_option(rest)?;
            let Some(command) = command else {
                return Err("run needs `-- COMMAND`".into());
            };
            if command.is_empty() {
                return Err("run needs a command after `--`".into());
            }
            let mut disk = DiskProject::load(&dir)?;
            let mut session = session_for(&dir, disk.project.clone());
            session.set_terminal(false);
            let mut output = session.run_words(&command);
            output.append_keeping_code(session.end_of_input());
            print(&output);
            disk.store(&session.project)?;
            Ok(exit_byte(output.exit_code))
        }
        "shell" => {
            let (dir, extra) = project_option(rest)?;
            if extra.is_some() {
                return Err("shell takes no command; it reads them from standard input".into());
            }
            let mut disk = DiskProject::load(&dir)?;
            let mut session = session_for(&dir, disk.project.clone());
            let interactive = std::io::stdin().is_terminal();
            // A person at a terminal (banners, `ls` in columns) only when both ends are one.
            session.set_terminal(interactive && std::io::stdout().is_terminal());
            let mut last_code = 0;
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines();
            loop {
                if interactive {
                    eprint!("{}", session.prompt());
                    let _ = std::io::stderr().flush();
                }
                let Some(line) = lines.next() else { break };
                let line = line.map_err(|e| format!("reading standard input: {e}"))?;
                // Standard input can't carry the Ctrl+C key: a line `^C` (what a
                // terminal echoes) stands for it, and stops the app as the page's Ctrl+C does.
                let output = if line.trim() == CTRL_C_LINE { session.interrupt() } else { session.run_line(&line) };
                if !session.in_program() {
                    last_code = output.exit_code;
                }
                print(&output);
                disk.store(&session.project)?;
            }
            let output = session.end_of_input();
            print(&output);
            disk.store(&session.project)?;
            Ok(exit_byte(last_code))
        }
        "new" => {
            let (dir, lesson) = match rest {
                [dir] => (dir, None),
                [dir, flag, name] | [flag, name, dir] if flag == "--lesson" => (dir, Some(name)),
                _ => return Err("new takes one folder: driftlab new DIR [--lesson N]".into()),
            };
            let dir = PathBuf::from(dir);
            if dir.exists() && std::fs::read_dir(&dir).map_err(|e| e.to_string())?.next().is_some() {
                return Err(format!("{} exists and is not empty", dir.display()));
            }
            let (project, what) = match lesson {
                None => (driftlab::engine::starter::project(), "the starter project".to_string()),
                Some(name) => {
                    let course = Course::embedded();
                    let Some(lesson) = course.find(name) else {
                        let known: Vec<&str> = course.lessons().iter().map(|l| l.slug.as_str()).collect();
                        return Err(format!("no lesson `{name}` (lessons: {})", known.join(", ")));
                    };
                    let session = course.start_session(&lesson.slug).map_err(|e| e.to_string())?;
                    (session.project, format!("the start of lesson {}", lesson.slug))
                }
            };
            std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            let mut disk = DiskProject { root: dir.clone(), project: Project::new() };
            disk.store(&project)?;
            println!("Wrote {what} to {}", dir.display());
            Ok(0)
        }
        "lesson" => match rest {
            [check, path @ ..] if check == "check" && path.len() <= 1 => {
                lesson_check(path.first().map(String::as_str).unwrap_or("lessons"))
            }
            _ => Err("lesson takes `check [PATH]`".into()),
        },
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(0)
        }
        other => Err(format!("unknown subcommand `{other}`")),
    }
}

/// `driftlab lesson check PATH`: a course folder, or one lesson folder (the
/// lessons before it are played to reach its start, not reported).
fn lesson_check(path: &str) -> Result<u8, String> {
    let path = Path::new(path);
    if !path.is_dir() {
        return Err(format!("{} is not a folder", path.display()));
    }
    let (root, only) = if path.join("lesson.md").is_file() {
        let folder = path.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or("a lesson folder has a name")?;
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        (parent.to_path_buf(), Some(folder))
    } else {
        (path.to_path_buf(), None)
    };
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    read_tree(&root, "", &mut files).map_err(|e| format!("reading {}: {e}", root.display()))?;
    let label = root.to_string_lossy().trim_end_matches('/').to_string();
    let course = Course::from_files(&label, files);
    let report = lesson::verify(&course, only.as_deref());
    if report.lessons.is_empty() && report.errors.is_empty() {
        return Err(format!("no lessons in {} (a lesson is a folder NN-slug holding lesson.md)", root.display()));
    }
    print!("{}", report.render());
    println!("{} in {:.2} s", report.summary(), started.elapsed().as_secs_f64());
    Ok(if report.is_ok() { 0 } else { 1 })
}

/// Every file under `dir`, by its `/`-separated path below the walk's root.
fn read_tree(root: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root.join(prefix))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                read_tree(root, &path, files)?;
            }
        } else if kind.is_file() && (!name.starts_with('.') || name == ".keep" || name == ".env") {
            files.push((path, std::fs::read(entry.path())?));
        }
    }
    Ok(())
}

/// Reads `--project DIR` and an optional `-- COMMAND...` tail.
fn project_option(args: &[String]) -> Result<(PathBuf, Option<Vec<String>>), String> {
    let mut dir = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--project" => {
                dir = Some(PathBuf::from(args.get(i + 1).ok_or("--project needs a folder")?));
                i += 2;
            }
            "--" => return Ok((dir.ok_or("--project DIR is required")?, Some(args[i + 1..].to_vec()))),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok((dir.ok_or("--project DIR is required")?, None))
}

fn print(output: &CommandOutput) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(output.stdout.as_bytes());
    let _ = stdout.flush();
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(output.stderr.as_bytes());
    let _ = stderr.flush();
}

/// Process exit codes are one byte, as a shell reports them (`-1` is 255).
fn exit_byte(code: i32) -> u8 {
    (code & 0xff) as u8
}

/// A project folder on disk, loaded into memory; `store` writes back what
/// the engine changed, so the folder's files and SQLite databases are real.
struct DiskProject {
    root: PathBuf,
    /// The project as last loaded or stored, to write only differences.
    project: Project,
}

impl DiskProject {
    fn load(root: &Path) -> Result<Self, String> {
        if !root.is_dir() {
            return Err(format!("project folder {} does not exist", root.display()));
        }
        let mut project = Project::new();
        load_dir(root, "", &mut project).map_err(|e| format!("reading {}: {e}", root.display()))?;
        Ok(DiskProject { root: root.to_path_buf(), project })
    }

    fn store(&mut self, project: &Project) -> Result<(), String> {
        let err = |path: &str, e: std::io::Error| format!("writing {path}: {e}");
        for dir in project.dirs() {
            if !self.project.is_dir(dir) {
                std::fs::create_dir_all(self.root.join(dir)).map_err(|e| err(dir, e))?;
            }
        }
        for (path, bytes) in project.files() {
            if self.project.read(path) != Some(bytes) {
                std::fs::write(self.root.join(path), bytes).map_err(|e| err(path, e))?;
            }
        }
        for (path, _) in self.project.files() {
            if !project.is_file(path) {
                std::fs::remove_file(self.root.join(path)).map_err(|e| err(path, e))?;
            }
        }
        // Deepest first, so a removed tree goes child before parent.
        let mut gone: Vec<&str> = self.project.dirs().filter(|d| !project.is_dir(d)).collect();
        gone.sort_by_key(|d| std::cmp::Reverse(d.len()));
        for dir in gone {
            let _ = std::fs::remove_dir(self.root.join(dir));
        }
        self.project = project.clone();
        Ok(())
    }
}

fn load_dir(root: &Path, prefix: &str, project: &mut Project) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root.join(prefix))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if SKIPPED_DIRS.contains(&name.as_str()) {
                continue;
            }
            project.create_dir_all(&path);
            load_dir(root, &path, project)?;
        } else if kind.is_file() {
            project.write(&path, std::fs::read(entry.path())?);
        }
    }
    Ok(())
}
