//! HTTP requests and responses between the clients (`curl`, `http`) and the
//! app: methods, paths, headers, bodies, status lines, and the headers
//! uvicorn adds (`date`, `server`) in the order it sends them.

use crate::engine::host::Host;

/// Where a client sends a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// As written (`localhost`, `127.0.0.1`).
    pub host: String,
    pub port: u16,
    pub path: String,
    pub query: Option<String>,
}

impl Target {
    /// `http://127.0.0.1:8000/todos?x=1`, `localhost:8000/todos` (curl
    /// assumes http), HTTPie's `:8000/todos`. `None` for what is not a URL.
    pub fn parse(url: &str) -> Option<Target> {
        let rest = if let Some(rest) = url.strip_prefix("http://") {
            rest
        } else if url.starts_with("https://") || url.contains("://") {
            return None;
        } else {
            url
        };
        let (authority, path_query) = match rest.find('/') {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() => (host, port.parse().ok()?),
            Some((host, _)) => (host, 80),
            None => (authority, 80),
        };
        let host = if host.is_empty() { "localhost" } else { host };
        let (path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (path_query.to_string(), None),
        };
        Some(Target { host: host.to_string(), port, path, query })
    }

    /// `host:port` as the `Host` header and messages show it.
    pub fn authority(&self) -> String {
        if self.port == 80 {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub fn url(&self) -> String {
        let mut url = format!("http://{}{}", self.authority(), self.path);
        if let Some(q) = &self.query {
            url.push('?');
            url.push_str(q);
        }
        url
    }
}

/// A request as it reaches the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path without the query string (`/todos/1`).
    pub path: String,
    pub query: Option<String>,
    /// Header names as sent; looked up case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path with its query string, as uvicorn's access log shows it.
    pub fn full_path(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// A response as the app sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// The app's own headers, in the order Starlette sets them.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// `JSONResponse`: `content-length` then `content-type`.
    pub fn json(status: u16, body: String) -> Response {
        Response {
            status,
            headers: vec![("content-length".into(), body.len().to_string()), ("content-type".into(), "application/json".into())],
            body,
        }
    }

    /// A 204 from a FastAPI route: no body, no length, but FastAPI's default
    /// response class still sets its media type.
    pub fn no_content() -> Response {
        Response { status: 204, headers: vec![("content-type".into(), "application/json".into())], body: String::new() }
    }

    /// Starlette's `ServerErrorMiddleware` answer to an unhandled exception.
    pub fn internal_server_error() -> Response {
        let body = "Internal Server Error".to_string();
        Response {
            status: 500,
            headers: vec![
                ("content-length".into(), body.len().to_string()),
                ("content-type".into(), "text/plain; charset=utf-8".into()),
            ],
            body,
        }
    }

    /// The reason phrase of the status (Python's `http.HTTPStatus(...).phrase`).
    pub fn reason(&self) -> &'static str {
        reason_phrase(self.status)
    }

    /// Every header on the wire: uvicorn's `date` and `server` first.
    pub fn wire_headers(&self, date: &str) -> Vec<(String, String)> {
        let mut headers = vec![("date".to_string(), date.to_string()), ("server".to_string(), "uvicorn".to_string())];
        headers.extend(self.headers.iter().cloned());
        headers
    }
}

pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// The `date` header for the Host's clock (`Thu, 01 Jan 2026 00:00:00 GMT`).
/// The Host gives local time; the playground treats it as UTC.
pub fn http_date(host: &dyn Host) -> String {
    let now = host.now();
    let (date, time) = now.split_once(' ').unwrap_or((now.as_str(), "00:00:00"));
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (year, month, day) = (parts.next().unwrap_or(1970), parts.next().unwrap_or(1), parts.next().unwrap_or(1));
    let time = time.split('.').next().unwrap_or("00:00:00");
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let weekday = WEEKDAYS[crate::engine::host::days_from_civil(year, month, day).rem_euclid(7) as usize];
    let month_name = MONTHS[(month.clamp(1, 12) - 1) as usize];
    format!("{weekday}, {day:02} {month_name} {year} {time} GMT")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::host::FixedHost;

    #[test]
    fn urls_as_curl_and_httpie_take_them() {
        let t = Target::parse("http://127.0.0.1:8000/todos/1?x=2").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path.as_str(), t.query.as_deref()), ("127.0.0.1", 8000, "/todos/1", Some("x=2")));
        let t = Target::parse(":8000/todos").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("localhost", 8000));
        assert_eq!(Target::parse("localhost:8000").unwrap().path, "/");
    }

    #[test]
    fn date_header_is_rfc_1123() {
        assert_eq!(http_date(&FixedHost::default()), "Thu, 01 Jan 2026 00:00:00 GMT");
        assert_eq!(http_date(&FixedHost::new("2026-11-22 06:15:10.5", 1)), "Sun, 22 Nov 2026 06:15:10 GMT");
    }
}
