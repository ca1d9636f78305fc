//! The app running: `uvicorn main:app [--reload] [--workers N]` runs the
//! startup the project's code really has (read by `app::read_project`, the
//! models by `models::read_models`): `create_all` creating only missing
//! tables, seeds, migrations in the lifespan; the session keeps it running
//! until Ctrl+C. `curl` and `http` call its routes, which run the SQL the
//! ORM would run for the models the process imported — so when models and
//! database have drifted, a request fails as the real app does.
//! `python -c` runs the guides' sqlite3 one-liners.
//!
//! Choices where the playground differs from a real machine:
//! - uvicorn's terminal is the page's one terminal: everything it prints
//!   (its log lines and the app's `print`s, in order) is on stderr; what it
//!   logs while another command runs (a request, a reload) is shown in that
//!   command's stderr, each line marked with [`APP_LOG_MARKER`].
//! - A JSON object's keys follow the model's column order (real SQLAlchemy
//!   fills an object's `__dict__` in an order that changes per process).
//! - With `--workers N`, the workers' race is made deterministic: every
//!   worker reads before any writes, and `[worker N · pid P]` lines say what
//!   each did; `driftlab:` lines explain what the real tools leave silent.
//! - HTTP header lines end in `\n` (curl and HTTPie print `\r\n`).
//!
//! The texts follow uvicorn 0.54, FastAPI 0.165 / Starlette 1.10,
//! Pydantic 2.14, SQLAlchemy 2.1.9, curl 7.88.1 and HTTPie 3.2.4, as
//! recorded from the real programs.

mod console;
mod curl;
mod endpoints;
mod http;
mod httpie;
mod json;
mod loaded;
mod orm;
mod pydantic;
mod pyeval;
mod python_c;
mod server;
mod startup;
mod traceback;
mod uvicorn_cli;

use crate::engine::output::CommandOutput;

pub use server::{AppStatus, Env, RunningApp};
pub use uvicorn_cli::option_names as uvicorn_options;

use http::{Request, Response, Target};

/// Marks the running app's log lines inside another command's output.
pub const APP_LOG_MARKER: &str = "uvicorn | ";

/// What became of a request.
pub enum Delivery {
    /// Nothing listens on the port.
    Refused,
    /// The port is held but nothing answers (a reloader whose server process died).
    Waits { note: String },
    Answered {
        response: Response,
        /// The `date` header.
        date: String,
        /// The app's log lines for it, marked.
        log: String,
    },
}

/// The programs this module runs (for Tab completion; `python -m` modules
/// other than `uvicorn` are the session's or the shell's).
pub const PROGRAMS: &[&str] = &["uvicorn", "curl", "http", "python", "python3"];

/// Whether this module runs `name ARGS` (`python -m pip` is the shell's).
pub fn handles(name: &str, args: &[String]) -> bool {
    let other_module = args.first().map(String::as_str) == Some("-m") && args.get(1).map(String::as_str) != Some("uvicorn");
    PROGRAMS.contains(&name) && !(name.starts_with("python") && other_module)
}

/// Runs `uvicorn`, `curl`, `http` or `python`.
pub fn run_command(env: &mut Env<'_>, app: &mut Option<RunningApp>, name: &str, args: &[String]) -> CommandOutput {
    match name {
        "uvicorn" => uvicorn(env, app, args),
        "curl" => {
            let project = env.project.clone();
            curl::run(args, &project, env.cwd, &mut |target, request| deliver(env, app, target, request))
        }
        "http" => httpie::run(args, &mut |target, request| deliver(env, app, target, request)),
        _ => python(env, app, args),
    }
}

fn uvicorn(env: &mut Env<'_>, app: &mut Option<RunningApp>, args: &[String]) -> CommandOutput {
    let options = match uvicorn_cli::parse(args) {
        Ok(options) => options,
        Err(output) => return output,
    };
    let (output, started) = server::start(env, options, app.as_ref());
    if started.is_some() {
        *app = started;
    }
    output
}

fn python(env: &mut Env<'_>, app: &mut Option<RunningApp>, args: &[String]) -> CommandOutput {
    match args.first().map(String::as_str) {
        Some("-c") => match args.get(1) {
            Some(code) => python_c::run(env.project, env.cwd, code),
            None => CommandOutput::error("Argument expected for the -c option\nusage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n", 2),
        },
        Some("-m") => uvicorn(env, app, &args[2..]),
        Some("--version" | "-V") => CommandOutput::ok("Python 3.11.7\n"),
        Some(script) if script.ends_with(".py") => CommandOutput::error(
            format!(
                "driftlab: `python {script}` would import the app and exit: nothing in it starts a server. Start the app with `uvicorn {}:app --reload`; check the database with `python -c \"...\"` (the guides' sqlite3 one-liners) or `sqlite3`.\n",
                script.trim_end_matches(".py").replace('/', ".")
            ),
            1,
        ),
        _ => CommandOutput::error(
            "driftlab: the playground has no interactive Python. It runs `python -c \"...\"` for the guides' sqlite3 one-liners, `python -m alembic ...` and `python -m uvicorn ...`.\n",
            1,
        ),
    }
}

/// Sends a request to whatever listens at the target.
fn deliver(env: &mut Env<'_>, app: &mut Option<RunningApp>, target: &Target, request: &Request) -> Delivery {
    let Some(running) = app.as_mut().filter(|a| a.listens_on(&target.host, target.port)) else { return Delivery::Refused };
    let date = http::http_date(env.host);
    match running.request(env, request) {
        Some((response, log)) => Delivery::Answered { response, date, log: log.into_marked(APP_LOG_MARKER) },
        None => Delivery::Waits {
            note: format!(
                "driftlab: the reloader still holds port {} but its server process exited at startup (see the error it printed), so nothing answers: curl would wait here until you press Ctrl+C. Fix the code and save it; the reloader starts the app again.\n",
                running.port()
            ),
        },
    }
}

/// Ctrl+C: stops the running app (what its terminal prints as it shuts down).
pub fn interrupt(app: &mut Option<RunningApp>) -> CommandOutput {
    app.take().map(RunningApp::interrupt).unwrap_or_default()
}

/// After files changed (a save in the editor, a command that wrote files):
/// a `--reload` app restarts; what its terminal printed.
pub fn reload_if_changed(env: &mut Env<'_>, app: &mut Option<RunningApp>) -> Option<String> {
    app.as_mut()?.reload_if_changed(env)
}
