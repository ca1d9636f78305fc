//! `curl` (7.88, Debian 12) against the running app: `-X`, `-H`, `-d`,
//! `--json`, `-i`, `-s`/`-S`, `-f`, `-v`, `-L`; the body printed as
//! received (no newline added), headers with `-i`, and curl's
//! `curl: (7) Failed to connect ...` when nothing listens.

use crate::engine::output::CommandOutput;
use crate::engine::project::{self, Project};

use super::http::{Request, Target};
use super::Delivery;

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information\n";

#[derive(Debug, Default)]
struct Options {
    url: Option<String>,
    method: Option<String>,
    headers: Vec<(String, String)>,
    data: Vec<String>,
    json: bool,
    include: bool,
    silent: bool,
    show_error: bool,
    fail: bool,
    verbose: bool,
    location: bool,
}

fn parse(args: &[String], project: &Project, cwd: &str) -> Result<Options, CommandOutput> {
    let mut o = Options::default();
    let mut i = 0;
    let unknown = |opt: &str| CommandOutput::error(format!("curl: option {opt}: is unknown\n{TRY_HELP}"), 2);
    while i < args.len() {
        let arg = args[i].clone();
        let take = |i: &mut usize, name: &str| -> Result<String, CommandOutput> {
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| CommandOutput::error(format!("curl: option {name}: requires parameter\n{TRY_HELP}"), 2))
        };
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "request" => o.method = Some(take(&mut i, &arg)?),
                "header" => push_header(&mut o, &take(&mut i, &arg)?),
                "data" | "data-raw" | "data-binary" | "data-ascii" => {
                    let value = take(&mut i, &arg)?;
                    o.data.push(read_data(&value, long == "data-raw", project, cwd)?);
                }
                "json" => {
                    let value = take(&mut i, &arg)?;
                    o.data.push(read_data(&value, false, project, cwd)?);
                    o.json = true;
                }
                "include" => o.include = true,
                "silent" => o.silent = true,
                "show-error" => o.show_error = true,
                "fail" => o.fail = true,
                "verbose" => o.verbose = true,
                "location" => o.location = true,
                "url" => o.url = Some(take(&mut i, &arg)?),
                _ => return Err(unknown(&arg)),
            }
        } else if arg.starts_with('-') && arg.len() > 1 {
            let flags: Vec<char> = arg[1..].chars().collect();
            let mut k = 0;
            while k < flags.len() {
                let flag = flags[k];
                // An option with a value takes the rest of the word, or the next word.
                let mut value = |i: &mut usize| -> Result<String, CommandOutput> {
                    let rest: String = flags[k + 1..].iter().collect();
                    k = flags.len();
                    if rest.is_empty() {
                        take(i, &format!("-{flag}"))
                    } else {
                        Ok(rest)
                    }
                };
                match flag {
                    'X' => o.method = Some(value(&mut i)?),
                    'H' => {
                        let h = value(&mut i)?;
                        push_header(&mut o, &h);
                    }
                    'd' => {
                        let d = value(&mut i)?;
                        o.data.push(read_data(&d, false, project, cwd)?);
                    }
                    'i' => o.include = true,
                    's' => o.silent = true,
                    'S' => o.show_error = true,
                    'f' => o.fail = true,
                    'v' => o.verbose = true,
                    'L' => o.location = true,
                    other => return Err(unknown(&format!("-{other}"))),
                }
                k += 1;
            }
        } else if o.url.is_none() {
            o.url = Some(arg);
        }
        i += 1;
    }
    Ok(o)
}

fn push_header(o: &mut Options, header: &str) {
    if let Some((name, value)) = header.split_once(':') {
        o.headers.push((name.trim().to_string(), value.trim().to_string()));
    }
}

/// `-d @file` reads a file (not with `--data-raw`).
fn read_data(value: &str, raw: bool, project: &Project, cwd: &str) -> Result<String, CommandOutput> {
    match value.strip_prefix('@').filter(|_| !raw) {
        Some(file) => project::resolve(cwd, file).and_then(|p| project.read_text(&p)).map(|t| t.replace(['\r', '\n'], "")).ok_or_else(|| {
            CommandOutput::error(format!("Warning: Couldn't read data from file \"{file}\", this makes an empty \nWarning: POST.\n"), 0)
        }),
        None => Ok(value.to_string()),
    }
}

/// Runs `curl ARGS`; `send` delivers a request to whatever listens.
pub fn run(args: &[String], project: &Project, cwd: &str, send: &mut dyn FnMut(&Target, &Request) -> Delivery) -> CommandOutput {
    let options = match parse(args, project, cwd) {
        Ok(options) => options,
        Err(output) => return output,
    };
    let Some(url) = &options.url else {
        return CommandOutput::error(format!("curl: no URL specified!\n{TRY_HELP}"), 2);
    };
    let Some(mut target) = Target::parse(url) else {
        let scheme = url.split("://").next().unwrap_or_default();
        return CommandOutput::error(format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl\n"), 1);
    };
    let show_errors = !options.silent || options.show_error;
    let mut out = CommandOutput::default();
    let mut method = options.method.clone().unwrap_or_else(|| if options.data.is_empty() { "GET".into() } else { "POST".into() });
    let mut headers = vec![("Host".to_string(), target.authority()), ("User-Agent".to_string(), "curl/7.88.1".to_string())];
    headers.push(("Accept".into(), if options.json { "application/json".into() } else { "*/*".into() }));
    let body = (!options.data.is_empty()).then(|| options.data.join("&"));
    if let Some(body) = &body {
        let content_type = if options.json { "application/json" } else { "application/x-www-form-urlencoded" };
        headers.push(("Content-Type".into(), content_type.into()));
        headers.push(("Content-Length".into(), body.len().to_string()));
    }
    for (name, value) in &options.headers {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value.clone()));
    }
    for _redirect in 0..5 {
        let request = Request { method: method.clone(), path: target.path.clone(), query: target.query.clone(), headers: headers.clone(), body: body.clone() };
        if options.verbose {
            out.stderr.push_str(&format!("*   Trying {}:{}...\n", target.host, target.port));
        }
        match send(&target, &request) {
            Delivery::Refused => {
                if show_errors {
                    out.stderr.push_str(&format!(
                        "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server\n",
                        target.host, target.port
                    ));
                }
                out.exit_code = 7;
                return out;
            }
            Delivery::Waits { note } => {
                out.stderr.push_str(&note);
                out.exit_code = 130;
                return out;
            }
            Delivery::Answered { response, date, log } => {
                let status_line = format!("HTTP/1.1 {} {}", response.status, response.reason());
                let wire = response.wire_headers(&date);
                if options.verbose {
                    out.stderr.push_str(&format!("* Connected to {} ({}) port {} (#0)\n", target.host, target.host, target.port));
                    out.stderr.push_str(&format!("> {method} {} HTTP/1.1\n", request.full_path()));
                    for (n, v) in &headers {
                        out.stderr.push_str(&format!("> {n}: {v}\n"));
                    }
                    out.stderr.push_str("> \n");
                    out.stderr.push_str(&format!("< {status_line}\n"));
                    for (n, v) in &wire {
                        out.stderr.push_str(&format!("< {n}: {v}\n"));
                    }
                    out.stderr.push_str("< \n");
                }
                out.stderr.push_str(&log);
                let location = wire.iter().find(|(n, _)| n == "location").map(|(_, v)| v.clone());
                let follow = options.location && (300..400).contains(&response.status) && location.is_some();
                if options.include {
                    out.stdout.push_str(&format!("{status_line}\n"));
                    for (n, v) in &wire {
                        out.stdout.push_str(&format!("{n}: {v}\n"));
                    }
                    out.stdout.push('\n');
                }
                if follow {
                    if let Some(next) = location.as_deref().and_then(Target::parse) {
                        target = next;
                        if response.status == 303 {
                            method = "GET".into();
                        }
                        continue;
                    }
                }
                if options.fail && response.status >= 400 {
                    if show_errors {
                        out.stderr.push_str(&format!("curl: (22) The requested URL returned error: {}\n", response.status));
                    }
                    out.exit_code = 22;
                    return out;
                }
                out.stdout.push_str(&response.body);
                if options.verbose {
                    out.stderr.push_str(&format!("* Connection #0 to host {} left intact\n", target.host));
                }
                return out;
            }
        }
    }
    out.stderr.push_str("curl: (47) Maximum (5) redirects followed\n");
    out.exit_code = 47;
    out
}
