//! uvicorn's command line (a click command): `uvicorn main:app [--reload]
//! [--workers N] [--host H] [--port P]`, the options learners use, and
//! click's usage errors (exit 2) for the rest.

use crate::engine::output::CommandOutput;

/// How to run the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// `main:app`
    pub app: String,
    pub host: String,
    pub port: u16,
    pub reload: bool,
    pub workers: usize,
}

pub const VERSION: &str = "Running uvicorn 0.54.0 with CPython 3.11.7 on Linux\n";

const USAGE: &str = "Usage: uvicorn [OPTIONS] APP\nTry 'uvicorn --help' for help.\n\n";

const HELP: &str = "Usage: uvicorn [OPTIONS] APP

Options:
  --host TEXT                     Bind socket to this host.  [default:
                                  127.0.0.1]
  --port INTEGER                  Bind socket to this port. If 0, an available
                                  port will be picked.  [default: 8000]
  --reload                        Enable auto-reload.
  --reload-dir PATH               Set reload directories explicitly, instead
                                  of using the current working directory.
  --workers INTEGER               Number of worker processes. Defaults to the
                                  $WEB_CONCURRENCY environment variable if
                                  available, or 1. Not valid with --reload.
  --log-level [critical|error|warning|info|debug|trace]
                                  Log level. [default: info]
  --app-dir TEXT                  Look for APP in the specified directory, by
                                  adding this to the PYTHONPATH. Defaults to
                                  the current working directory.
  --version                       Display the uvicorn version and exit.
  --help                          Show this message and exit.

(driftlab shows the options the playground understands.)
";

/// The options `--help` lists (for Tab completion).
pub fn option_names() -> impl Iterator<Item = &'static str> {
    HELP.lines().filter(|line| line.starts_with("  --")).filter_map(|line| line.split_whitespace().next())
}

fn usage_error(message: &str) -> CommandOutput {
    CommandOutput::error(format!("{USAGE}Error: {message}\n"), 2)
}

/// Parses uvicorn's arguments; `Err` is what uvicorn prints and exits with.
pub fn parse(args: &[String]) -> Result<ServerOptions, CommandOutput> {
    let mut options = ServerOptions { app: String::new(), host: "127.0.0.1".into(), port: 8000, reload: false, workers: 1 };
    let mut app = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let value = |i: &mut usize| -> Result<String, CommandOutput> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| usage_error(&format!("Option '{name}' requires an argument.")))
        };
        match name.as_str() {
            "--help" => return Err(CommandOutput::ok(HELP)),
            "--version" => return Err(CommandOutput::ok(VERSION)),
            "--reload" => options.reload = true,
            "--host" => options.host = value(&mut i)?,
            "--port" => {
                let v = value(&mut i)?;
                options.port = v.parse().map_err(|_| usage_error(&format!("Invalid value for '--port': '{v}' is not a valid integer.")))?;
            }
            "--workers" => {
                let v = value(&mut i)?;
                options.workers = v.parse().map_err(|_| usage_error(&format!("Invalid value for '--workers': '{v}' is not a valid integer.")))?;
            }
            "--reload-dir" | "--log-level" | "--app-dir" | "--env-file" | "--reload-include" | "--reload-exclude" => {
                value(&mut i)?;
            }
            "--no-access-log" | "--access-log" | "--proxy-headers" | "--no-proxy-headers" => {}
            other if other.starts_with('-') && other.len() > 1 => return Err(usage_error(&format!("No such option: {other}"))),
            _ => {
                if app.is_some() {
                    return Err(usage_error(&format!("Got unexpected extra argument ({arg})")));
                }
                app = Some(arg.clone());
            }
        }
        i += 1;
    }
    options.app = app.ok_or_else(|| usage_error("Missing argument 'APP'."))?;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn options_and_click_errors() {
        let options = parse(&words("main:app --reload --port=8001 --workers 2")).unwrap();
        assert_eq!((options.port, options.reload, options.workers), (8001, true, 2));
        assert_eq!(parse(&[]).unwrap_err().stderr, "Usage: uvicorn [OPTIONS] APP\nTry 'uvicorn --help' for help.\n\nError: Missing argument 'APP'.\n");
        assert_eq!(
            parse(&words("main:app --port abc")).unwrap_err().stderr.lines().last(),
            Some("Error: Invalid value for '--port': 'abc' is not a valid integer.")
        );
    }
}
