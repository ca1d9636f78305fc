//! HTTPie's `http` (3.2) against the running app: `http [METHOD] URL
//! [key=value | key:=json | Header:value | key==query]`, JSON bodies by
//! default, and its terminal output — status line, headers sorted, JSON
//! pretty-printed with sorted keys — or its `http: error: ConnectionError`.

use crate::engine::output::CommandOutput;

use super::http::{Request, Target};
use super::json::{self, Json};
use super::Delivery;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

const USAGE: &str = "usage:\n    http [METHOD] URL [REQUEST_ITEM ...]\n\n";

/// What to print (`--print`): request headers/body, response headers/body.
#[derive(Debug, Clone, Copy)]
struct Print {
    request: bool,
    headers: bool,
    body: bool,
}

pub fn run(args: &[String], send: &mut dyn FnMut(&Target, &Request) -> Delivery) -> CommandOutput {
    let mut print = Print { request: false, headers: true, body: true };
    let mut words = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-v" | "--verbose" => print.request = true,
            "-h" | "--headers" => print = Print { request: false, headers: true, body: false },
            "-b" | "--body" => print = Print { request: false, headers: false, body: true },
            "--json" | "-j" => {}
            other if other.starts_with("--") => {
                return CommandOutput::error(format!("{USAGE}http: error: unrecognized arguments: {other}\n"), 2);
            }
            _ => words.push(arg.clone()),
        }
    }
    let mut words = words.into_iter();
    let Some(first) = words.next() else {
        return CommandOutput::error(format!("{USAGE}http: error: the following arguments are required: URL\n"), 2);
    };
    let (method, url) = if METHODS.contains(&first.as_str()) {
        match words.next() {
            Some(url) => (Some(first), url),
            None => return CommandOutput::error(format!("{USAGE}http: error: the following arguments are required: URL\n"), 2),
        }
    } else {
        (None, first)
    };
    let Some(target) = Target::parse(&url) else {
        return CommandOutput::error(format!("http: error: InvalidSchema: No connection adapters were found for '{url}'\n"), 1);
    };
    let mut fields: Vec<(String, Json)> = Vec::new();
    let mut extra_headers: Vec<(String, String)> = Vec::new();
    let mut query: Vec<String> = target.query.iter().cloned().collect();
    for item in words {
        // The separators, longest first, as HTTPie tries them.
        if let Some((key, value)) = item.split_once(":=") {
            match json::parse(value) {
                Ok(v) => fields.push((key.to_string(), v)),
                Err(e) => {
                    return CommandOutput::error(format!("{USAGE}http: error: \"{item}\": {}: line 1 column {} (char {})\n", e.message, e.pos + 1, e.pos), 2)
                }
            }
        } else if let Some((key, value)) = item.split_once("==") {
            query.push(format!("{key}={value}"));
        } else if let Some((key, value)) = item.split_once('=') {
            fields.push((key.to_string(), Json::str(value)));
        } else if let Some((name, value)) = item.split_once(':') {
            extra_headers.push((name.to_string(), value.to_string()));
        } else {
            return CommandOutput::error(format!("{USAGE}http: error: argument REQUEST_ITEM: \"{item}\" is not a valid value\n"), 2);
        }
    }
    let method = method.unwrap_or_else(|| if fields.is_empty() { "GET".into() } else { "POST".into() });
    let body = (!fields.is_empty()).then(|| {
        // HTTPie's own JSON: `{"title": "x"}` with a space after the separators.
        let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{}: {}", Json::str(k.clone()).compact(), spaced(v))).collect();
        format!("{{{}}}", pairs.join(", "))
    });
    let mut headers = vec![
        ("Host".to_string(), target.authority()),
        ("User-Agent".to_string(), "HTTPie/3.2.4".to_string()),
        ("Accept-Encoding".to_string(), "gzip, deflate".to_string()),
        ("Accept".to_string(), if body.is_some() { "application/json, */*;q=0.5".to_string() } else { "*/*".to_string() }),
        ("Connection".to_string(), "keep-alive".to_string()),
    ];
    if let Some(body) = &body {
        headers.push(("Content-Type".into(), "application/json".into()));
        headers.push(("Content-Length".into(), body.len().to_string()));
    }
    for (name, value) in extra_headers {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
    let request = Request {
        method: method.clone(),
        path: target.path.clone(),
        query: (!query.is_empty()).then(|| query.join("&")),
        headers: headers.clone(),
        body: body.clone(),
    };
    let mut out = CommandOutput::default();
    if print.request {
        out.stdout.push_str(&format!("{method} {} HTTP/1.1\n", request.full_path()));
        let mut sorted = headers.clone();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (n, v) in sorted {
            out.stdout.push_str(&format!("{n}: {v}\n"));
        }
        out.stdout.push('\n');
        if let Some(body) = &body {
            out.stdout.push_str(&json::parse(body).map(|j| j.pretty_sorted()).unwrap_or_else(|_| body.clone()));
            out.stdout.push_str("\n\n");
        }
        out.stdout.push('\n');
    }
    match send(&target, &request) {
        Delivery::Refused => {
            let host = &target.host;
            let port = target.port;
            out.stderr.push_str(&format!(
                "\nhttp: error: ConnectionError: HTTPConnectionPool(host='{host}', port={port}): Max retries exceeded with url: {} (Caused by NewConnectionError(\"HTTPConnection(host='{host}', port={port}): Failed to establish a new connection: [Errno 111] Connection refused\")) while doing a {method} request to URL: {}\n\n\n",
                request.full_path(),
                target.url()
            ));
            out.exit_code = 1;
        }
        Delivery::Waits { note } => {
            out.stderr.push_str(&note);
            out.exit_code = 130;
        }
        Delivery::Answered { response, date, log } => {
            out.stderr.push_str(&log);
            if print.headers {
                out.stdout.push_str(&format!("HTTP/1.1 {} {}\n", response.status, response.reason()));
                let mut wire = response.wire_headers(&date);
                wire.sort_by(|a, b| a.0.cmp(&b.0));
                for (n, v) in wire {
                    out.stdout.push_str(&format!("{n}: {v}\n"));
                }
                out.stdout.push('\n');
            }
            if print.body {
                let is_json = response.headers.iter().any(|(n, v)| n == "content-type" && v.starts_with("application/json"));
                let text = match json::parse(&response.body) {
                    Ok(value) if is_json => value.pretty_sorted(),
                    _ => response.body.clone(),
                };
                out.stdout.push_str(&text);
                out.stdout.push_str("\n\n");
            }
        }
    }
    out
}

/// `json.dumps` with its default separators (`, ` and `: `), as HTTPie sends JSON.
fn spaced(value: &Json) -> String {
    match value {
        Json::Array(items) => format!("[{}]", items.iter().map(spaced).collect::<Vec<_>>().join(", ")),
        Json::Object(pairs) => format!(
            "{{{}}}",
            pairs.iter().map(|(k, v)| format!("{}: {}", Json::str(k.clone()).compact(), spaced(v))).collect::<Vec<_>>().join(", ")
        ),
        scalar => scalar.compact(),
    }
}
