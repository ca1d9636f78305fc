//! The uvicorn server the session keeps running: one process, a reloader
//! and its server process (`--reload`), or a parent and its workers
//! (`--workers N`) — what each logs at start, on Ctrl+C, on a reload after
//! a `.py` file changed, and per request, in uvicorn's words and order.
//! Process ids come from the Host's randomness.

use std::collections::BTreeMap;

use crate::engine::environ::Environ;
use crate::engine::host::Host;
use crate::engine::output::CommandOutput;
use crate::engine::project::Project;

use super::console::Console;
use super::endpoints;
use super::http::{Request, Response};
use super::loaded::{Action, LoadError, LoadedApp};
use super::startup::{self, RaceKind, Runtime, Worker};
use super::uvicorn_cli::ServerOptions;

/// What the session hands the server for one call.
pub struct Env<'a> {
    pub project: &'a mut Project,
    pub cwd: &'a str,
    pub root: &'a str,
    pub host: &'a mut dyn Host,
    /// The environment of the command the session runs (an app started keeps it).
    pub environ: &'a Environ,
}

#[derive(Debug, Clone, PartialEq)]
enum Processes {
    Single(Worker),
    /// `--reload`: the reloader, and its server process while one runs.
    Reload { reloader_pid: u32, child: Option<Worker> },
    /// `--workers N`: the parent and the workers that run.
    Workers { parent_pid: u32, workers: Vec<Worker> },
}

/// A running app.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningApp {
    options: ServerOptions,
    processes: Processes,
    /// The code the serving process(es) imported; `None` while a reloader waits for a fix.
    loaded: Option<LoadedApp>,
    /// The `.py` files a reloader watches, as they were at the last (re)start.
    watched: BTreeMap<String, String>,
    /// `WatchFiles` (uvicorn[standard]) or `StatReload`.
    reloader: &'static str,
    memory_db: Vec<u8>,
    last_pid: u32,
    /// The environment it was started with (a reload's server process inherits it).
    environ: Environ,
}

/// What the page shows about the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppStatus {
    /// `http://127.0.0.1:8000`
    pub url: String,
    /// Whether a process answers requests (false while a reloader waits for a fix).
    pub serving: bool,
    pub reload: bool,
    pub workers: usize,
    /// The top process (the reloader, the parent, or the server itself).
    pub pid: u32,
    /// One line for a status bar: `uvicorn main:app on http://127.0.0.1:8000 (--reload, pid 4242)`.
    pub summary: String,
}

fn new_pid(host: &mut dyn Host) -> u32 {
    2000 + (host.random_u64() % 60_000) as u32
}

/// The next process a parent starts gets a nearby id.
fn next_pid(last: &mut u32, host: &mut dyn Host) -> u32 {
    *last += 1 + (host.random_u64() % 3) as u32;
    *last
}

/// What changed among the watched `.py` files since `before`.
fn python_files(project: &Project, cwd: &str) -> BTreeMap<String, String> {
    let prefix = if cwd.is_empty() { String::new() } else { format!("{cwd}/") };
    project
        .files()
        .filter(|(p, _)| p.ends_with(".py") && p.starts_with(&prefix))
        .filter(|(p, _)| !p.split('/').any(|part| part.starts_with('.') || part == "__pycache__"))
        .map(|(p, b)| (p.to_string(), String::from_utf8_lossy(b).into_owned()))
        .collect()
}

fn reloader_name(project: &Project) -> &'static str {
    let wants_standard = ["requirements.txt", "pyproject.toml"]
        .iter()
        .filter_map(|f| project.read_text(f))
        .any(|t| t.contains("uvicorn[standard]") || t.contains("watchfiles"));
    if wants_standard {
        "WatchFiles"
    } else {
        "StatReload"
    }
}

impl RunningApp {
    fn runtime<'r>(env: &'r mut Env<'_>, environ: &'r Environ, memory_db: &'r mut Vec<u8>) -> Runtime<'r> {
        Runtime { project: &mut *env.project, cwd: env.cwd, root: env.root, host: &mut *env.host, environ, memory_db }
    }

    pub fn status(&self) -> AppStatus {
        let url = format!("http://{}:{}", self.options.host, self.options.port);
        let (serving, pid) = match &self.processes {
            Processes::Single(w) => (true, w.pid),
            Processes::Reload { reloader_pid, child } => (child.is_some(), *reloader_pid),
            Processes::Workers { parent_pid, workers } => (workers.iter().any(|w| !w.failed), *parent_pid),
        };
        let mut flags = Vec::new();
        if self.options.reload {
            flags.push("--reload".to_string());
        }
        if self.options.workers > 1 && !self.options.reload {
            flags.push(format!("--workers {}", self.options.workers));
        }
        flags.push(format!("pid {pid}"));
        let state = if serving { "" } else { " — not serving: fix the error and save" };
        AppStatus {
            summary: format!("uvicorn {} on {url} ({}){state}", self.options.app, flags.join(", ")),
            url,
            serving,
            reload: self.options.reload,
            workers: self.options.workers,
            pid,
        }
    }

    /// Whether a request to `host:port` reaches this app.
    pub fn listens_on(&self, host: &str, port: u16) -> bool {
        let local = ["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "::1"];
        port == self.options.port && (self.options.host == host || (local.contains(&host) && local.contains(&self.options.host.as_str())) || self.options.host == "0.0.0.0")
    }

    pub fn port(&self) -> u16 {
        self.options.port
    }

    /// The process that serves requests, if any.
    fn serving_worker(&self) -> Option<&Worker> {
        match &self.processes {
            Processes::Single(w) => Some(w),
            Processes::Reload { child, .. } => child.as_ref(),
            Processes::Workers { workers, .. } => workers.iter().find(|w| !w.failed),
        }
    }

    /// A request; `None` when no process accepts it (the reloader holds the
    /// port while its server process is dead: the client waits).
    pub fn request(&mut self, env: &mut Env<'_>, request: &Request) -> Option<(Response, Console)> {
        let worker = self.serving_worker()?.clone();
        let app = self.loaded.as_ref()?;
        let client_port = 40_000 + (env.host.random_u64() % 20_000) as u16;
        let mut runtime = Self::runtime(env, &self.environ, &mut self.memory_db);
        let handled = endpoints::handle(&mut runtime, app, request);
        let mut console = Console::default();
        if !worker.loggers_disabled {
            console.info(&format!(
                "127.0.0.1:{client_port} - \"{} {} HTTP/1.1\" {} {}",
                request.method,
                request.full_path(),
                handled.response.status,
                handled.response.reason()
            ));
            if let Some(exception) = &handled.exception {
                console.error(&format!("Exception in ASGI application\n{}", exception.trim_end_matches('\n')));
            }
        }
        Some((handled.response, console))
    }

    /// Ctrl+C: every process shuts down.
    pub fn interrupt(mut self) -> CommandOutput {
        let mut console = Console::default();
        match std::mem::take(&mut self.processes) {
            Processes::Single(worker) => self.shut_down(&mut console, &worker),
            Processes::Reload { reloader_pid, child } => {
                if let Some(child) = child {
                    self.shut_down(&mut console, &child);
                }
                console.info(&format!("Stopping reloader process [{reloader_pid}]"));
            }
            Processes::Workers { parent_pid, workers } => {
                console.info("Received SIGINT, exiting.");
                let running: Vec<&Worker> = workers.iter().filter(|w| !w.failed).collect();
                for worker in &running {
                    console.info(&format!("Terminated child process [{}]", worker.pid));
                }
                for worker in &running {
                    console.info(&format!("Waiting for child process [{}]", worker.pid));
                    self.shut_down(&mut console, worker);
                }
                console.info(&format!("Stopping parent process [{parent_pid}]"));
            }
        }
        CommandOutput { stdout: String::new(), stderr: console.into_text(), exit_code: 0 }
    }

    /// One server process's shutdown: the lifespan's code after `yield`.
    fn shut_down(&self, console: &mut Console, worker: &Worker) {
        let logs = !worker.loggers_disabled;
        if logs {
            console.info("Shutting down");
            console.info("Waiting for application shutdown.");
        }
        if let Some(app) = &self.loaded {
            for located in &app.lifespan.shutdown {
                if let Action::Print(text) = &located.action {
                    console.print(text);
                }
            }
        }
        if logs {
            console.info("Application shutdown complete.");
            console.info(&format!("Finished server process [{}]", worker.pid));
        }
    }

    /// With `--reload`: restarts the server process when a watched `.py`
    /// file changed since the last start; what that printed.
    pub fn reload_if_changed(&mut self, env: &mut Env<'_>) -> Option<String> {
        if !self.options.reload {
            return None;
        }
        let now = python_files(env.project, env.cwd);
        let mut changed: Vec<&String> = now.keys().chain(self.watched.keys()).filter(|p| now.get(*p) != self.watched.get(*p)).collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            return None;
        }
        let prefix = if env.cwd.is_empty() { String::new() } else { format!("{}/", env.cwd) };
        let shown: Vec<String> = changed.iter().map(|p| format!("'{}'", p.strip_prefix(&prefix).unwrap_or(p))).collect();
        let mut console = Console::default();
        console.warning(&format!("{} detected changes in {}. Reloading...", self.reloader, shown.join(", ")));
        if let Processes::Reload { child: Some(child), .. } = &self.processes {
            let child = child.clone();
            self.shut_down(&mut console, &child);
        }
        self.watched = now;
        let child = self.start_server_process(env, &mut console);
        if let Processes::Reload { child: slot, .. } = &mut self.processes {
            *slot = child;
        }
        Some(console.into_text())
    }

    /// A new server process (a reload's, or a replacement worker's): import, start.
    fn start_server_process(&mut self, env: &mut Env<'_>, console: &mut Console) -> Option<Worker> {
        let pid = next_pid(&mut self.last_pid, env.host);
        let loaded = match import(env, &self.environ, &self.options.app, console, &mut self.memory_db) {
            Ok(loaded) => loaded,
            Err(_) => {
                self.loaded = None;
                return None;
            }
        };
        console.info(&format!("Started server process [{pid}]"));
        console.info("Waiting for application startup.");
        let mut workers = [Worker::new(pid, 1)];
        let mut runtime = Self::runtime(env, &self.environ, &mut self.memory_db);
        startup::run(&mut runtime, &loaded, &mut workers, console);
        self.loaded = Some(loaded);
        let [worker] = workers;
        (!worker.failed).then_some(worker)
    }
}

/// Imports the app (`config.load()`), running its import-time code; prints
/// uvicorn's error when it fails.
fn import(env: &mut Env<'_>, environ: &Environ, spec: &str, console: &mut Console, memory_db: &mut Vec<u8>) -> Result<LoadedApp, i32> {
    match LoadedApp::load(env.project, env.cwd, env.root, spec, environ) {
        Ok(loaded) => {
            for note in &loaded.notes {
                console.note(note);
            }
            let mut runtime = RunningApp::runtime(env, environ, memory_db);
            if let Err(exception) = startup::run_at_import(&mut runtime, &loaded) {
                console.raw(&format!("Traceback (most recent call last):\n  (driftlab: the frames inside uvicorn and importlib are left out)\n{exception}"));
                return Err(1);
            }
            Ok(loaded)
        }
        Err(LoadError::ImportString(message)) => {
            console.error(&format!("Error loading ASGI app. {message}"));
            Err(3)
        }
        Err(LoadError::Exception(traceback)) => {
            console.raw(traceback.trim_end_matches('\n'));
            Err(1)
        }
    }
}

/// `uvicorn ...`: starts the app. Returns what it printed and, unless it
/// exited, the running app.
pub fn start(env: &mut Env<'_>, options: ServerOptions, current: Option<&RunningApp>) -> (CommandOutput, Option<RunningApp>) {
    let mut console = Console::default();
    let address_in_use = current.is_some_and(|c| c.options.port == options.port);
    if let (Some(current), false) = (current, address_in_use) {
        return (
            CommandOutput::error(
                format!("driftlab: the playground runs one app at a time, and {} is running; press Ctrl+C to stop it first\n", current.status().url),
                1,
            ),
            None,
        );
    }
    let mut app = RunningApp {
        reloader: reloader_name(env.project),
        watched: python_files(env.project, env.cwd),
        options: options.clone(),
        processes: Processes::default(),
        loaded: None,
        memory_db: Vec::new(),
        last_pid: 0,
        environ: env.environ.clone(),
    };
    let url = format!("http://{}:{}", options.host, options.port);
    let running_line = format!("Uvicorn running on {url} (Press CTRL+C to quit)");
    let finish = |console: Console, code: i32| CommandOutput { stdout: String::new(), stderr: console.into_text(), exit_code: code };

    if options.reload {
        let directory = if env.cwd.is_empty() { env.root.to_string() } else { format!("{}/{}", env.root, env.cwd) };
        console.info(&format!("Will watch for changes in these directories: ['{directory}']"));
        if options.workers > 1 {
            console.warning("\"workers\" flag is ignored when reloading is enabled.");
        }
        if address_in_use {
            console.error("[Errno 98] Address already in use");
            return (finish(console, 1), None);
        }
        console.info(&running_line);
        let reloader_pid = new_pid(env.host);
        app.last_pid = reloader_pid;
        console.info(&format!("Started reloader process [{reloader_pid}] using {}", app.reloader));
        let child = app.start_server_process(env, &mut console);
        app.processes = Processes::Reload { reloader_pid, child };
        return (finish(console, 0), Some(app));
    }

    if options.workers > 1 {
        if address_in_use {
            console.error("[Errno 98] Address already in use");
            return (finish(console, 1), None);
        }
        console.info(&running_line);
        let parent_pid = new_pid(env.host);
        app.last_pid = parent_pid;
        console.info(&format!("Started parent process [{parent_pid}]"));
        let Ok(loaded) = import(env, &app.environ, &options.app, &mut console, &mut app.memory_db) else {
            console.note("every worker fails to import the app the same way, and the parent keeps starting new ones; press Ctrl+C, fix the code, start again");
            app.processes = Processes::Workers { parent_pid, workers: Vec::new() };
            return (finish(console, 0), Some(app));
        };
        let mut workers: Vec<Worker> = (1..=options.workers).map(|n| Worker::new(next_pid(&mut app.last_pid, env.host), n)).collect();
        for worker in &workers {
            console.info(&format!("Started server process [{}]", worker.pid));
            console.info("Waiting for application startup.");
        }
        let races = {
            let mut runtime = RunningApp::runtime(env, &app.environ, &mut app.memory_db);
            startup::run(&mut runtime, &loaded, &mut workers, &mut console)
        };
        app.loaded = Some(loaded.clone());
        // The parent replaces each worker that exited.
        for worker in workers.iter_mut().filter(|w| w.failed) {
            console.info(&format!("Child process [{}] died", worker.pid));
            let pid = next_pid(&mut app.last_pid, env.host);
            console.info(&format!("Started server process [{pid}]"));
            console.info("Waiting for application startup.");
            let mut replacement = [Worker::new(pid, worker.number)];
            let mut runtime = RunningApp::runtime(env, &app.environ, &mut app.memory_db);
            startup::run(&mut runtime, &loaded, &mut replacement, &mut console);
            if replacement[0].failed {
                console.note("this worker fails again the same way; uvicorn's parent would keep restarting it forever. driftlab stops restarting it here.");
            }
            let [replacement] = replacement;
            *worker = replacement;
        }
        race_notes(&mut console, &races);
        app.processes = Processes::Workers { parent_pid, workers };
        return (finish(console, 0), Some(app));
    }

    let loaded = match import(env, &app.environ, &options.app, &mut console, &mut app.memory_db) {
        Ok(loaded) => loaded,
        Err(code) => return (finish(console, code), None),
    };
    let pid = new_pid(env.host);
    console.info(&format!("Started server process [{pid}]"));
    console.info("Waiting for application startup.");
    let mut workers = [Worker::new(pid, 1)];
    {
        let mut runtime = RunningApp::runtime(env, &app.environ, &mut app.memory_db);
        startup::run(&mut runtime, &loaded, &mut workers, &mut console);
    }
    let [worker] = workers;
    app.loaded = Some(loaded);
    if worker.failed {
        // uvicorn's STARTUP_FAILURE.
        return (finish(console, 3), None);
    }
    if address_in_use {
        // The lifespan has run; binding the port fails; the lifespan shuts down.
        if !worker.loggers_disabled {
            console.error("[Errno 98] Address already in use");
            console.info("Waiting for application shutdown.");
        }
        if let Some(loaded) = &app.loaded {
            for located in &loaded.lifespan.shutdown {
                if let Action::Print(text) = &located.action {
                    console.print(text);
                }
            }
        }
        if !worker.loggers_disabled {
            console.info("Application shutdown complete.");
        }
        return (finish(console, 1), None);
    }
    if !worker.loggers_disabled {
        console.info(&running_line);
    }
    app.processes = Processes::Single(worker);
    (finish(console, 0), Some(app))
}

/// Why workers failed, once, after they all started.
fn race_notes(console: &mut Console, races: &[RaceKind]) {
    if races.contains(&RaceKind::Migration) {
        console.note("the workers raced. Each one ran command.upgrade() at the same time; each read alembic_version before any had written it, so each planned the same migrations, and all but the first found their tables already there. This is why the guide says migrations in the lifespan (Option B) are for a single process: with several workers, run `alembic upgrade head` once before starting them (Option A).");
    }
    if races.contains(&RaceKind::Seed) {
        console.note("the seed raced as well: every worker counted the rows before any had added them, so each added the seed rows. Seed once, outside the app (a script or a data migration).");
    }
    if races.contains(&RaceKind::CreateAll) {
        console.note("the workers raced. Each one's create_all() checked which tables exist before any had created them, so all but the first tried to create tables that were already there. Create the schema once, before starting the workers (`alembic upgrade head`).");
    }
}

impl Default for Processes {
    /// What is left once the processes have stopped.
    fn default() -> Self {
        Processes::Single(Worker::new(0, 1))
    }
}
