//! One request through the app: Starlette's routing (404, 405, the
//! trailing-slash redirect), FastAPI's validation of path parameters and
//! body (422), then the route's work as its code does it — the ORM's SQL on
//! the app's database with the models the process imported — and FastAPI's
//! JSON, or the 500 and traceback of an exception.

use crate::engine::metadata::Table;

use super::http::{Request, Response};
use super::json::Json;
use super::loaded::{Endpoint, LoadedApp};
use super::orm::{self, OrmError, Param, QueryStyle};
use super::pydantic::{self, FieldType};
use super::startup::{self, Runtime};
use super::traceback::{self, Entry};
use crate::engine::app::RouteKind;

/// A response, and the exception the app logged while making it.
pub struct Handled {
    pub response: Response,
    /// The traceback text of an unhandled exception (uvicorn's "Exception in ASGI application").
    pub exception: Option<String>,
}

impl Handled {
    fn ok(response: Response) -> Handled {
        Handled { response, exception: None }
    }
}

fn detail(status: u16, detail: Json) -> Response {
    Response::json(status, Json::object(vec![("detail", detail)]).compact())
}

/// Handles a request the way the running app would.
pub fn handle(rt: &mut Runtime<'_>, app: &LoadedApp, request: &Request) -> Handled {
    let path = request.path.as_str();
    let matching: Vec<(&Endpoint, Vec<(String, String)>)> =
        app.endpoints.iter().filter_map(|e| match_path(&e.route.path, path).map(|params| (e, params))).collect();
    if matching.is_empty() {
        // Starlette redirects `/todos/` to `/todos` when that route exists.
        let other = if path.len() > 1 && path.ends_with('/') { path.trim_end_matches('/').to_string() } else { format!("{path}/") };
        if app.endpoints.iter().any(|e| match_path(&e.route.path, &other).is_some()) {
            let host = request.header("host").unwrap_or("127.0.0.1:8000");
            let mut location = format!("http://{host}{other}");
            if let Some(q) = &request.query {
                location.push('?');
                location.push_str(q);
            }
            return Handled::ok(Response {
                status: 307,
                headers: vec![("content-length".into(), "0".into()), ("location".into(), location)],
                body: String::new(),
            });
        }
        return Handled::ok(detail(404, Json::str("Not Found")));
    }
    let Some((endpoint, params)) = matching.iter().find(|(e, _)| e.route.method == request.method || (request.method == "HEAD" && e.route.method == "GET")) else {
        // Starlette answers with the first route whose path matched: its methods only.
        let mut response = detail(405, Json::str("Method Not Allowed"));
        response.headers.insert(0, ("allow".into(), matching[0].0.route.method.clone()));
        return Handled::ok(response);
    };
    run_endpoint(rt, app, endpoint, params, request)
}

/// `/todos/{todo_id}` against `/todos/3` → `[("todo_id", "3")]`.
fn match_path(pattern: &str, path: &str) -> Option<Vec<(String, String)>> {
    let pattern_parts: Vec<&str> = pattern.split('/').collect();
    let path_parts: Vec<&str> = path.split('/').collect();
    if pattern_parts.len() != path_parts.len() {
        return None;
    }
    let mut params = Vec::new();
    for (p, actual) in pattern_parts.iter().zip(&path_parts) {
        match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if !actual.is_empty() => params.push((name.split(':').next().unwrap_or(name).to_string(), percent_decode(actual))),
            Some(_) => return None,
            None if p == actual => {}
            None => return None,
        }
    }
    Some(params)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn run_endpoint(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, raw_params: &[(String, String)], request: &Request) -> Handled {
    // FastAPI validates every parameter before calling the function: path first, then body.
    let mut errors = Vec::new();
    let mut id = None;
    for (name, type_) in &endpoint.path_params {
        let raw = raw_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
        match type_ {
            FieldType::Int => match raw.parse::<i64>() {
                Ok(value) => id = Some(value),
                Err(_) => errors.push(pydantic::error(
                    "int_parsing",
                    vec![Json::str("path"), Json::str(name.clone())],
                    "Input should be a valid integer, unable to parse string as an integer",
                    Json::Str(raw),
                )),
            },
            _ => id = raw.parse().ok(),
        }
    }
    let mut payload = None;
    if let Some(model) = &endpoint.body {
        match pydantic::decode_body(request.body.as_deref(), request.header("content-type")) {
            Err(error) => errors.push(error),
            Ok(body) => match pydantic::validate(model, body.as_ref()) {
                Ok(values) => payload = Some(values),
                Err(found) => errors.extend(found),
            },
        }
    }
    if !errors.is_empty() {
        return Handled::ok(detail(422, Json::Array(errors)));
    }
    if let Some(value) = &endpoint.literal_return {
        return Handled::ok(Response::json(endpoint.status_code, value.compact()));
    }
    let Some(table) = endpoint.table.clone() else {
        return Handled::ok(Response::json(endpoint.status_code, "null".into()));
    };
    let result = match endpoint.route.kind {
        RouteKind::List => list(rt, app, endpoint, &table),
        RouteKind::Get => get(rt, app, endpoint, &table, id.unwrap_or_default()),
        RouteKind::Create => create(rt, app, endpoint, &table, payload.unwrap_or_default()),
        RouteKind::Update => update(rt, app, endpoint, &table, id.unwrap_or_default(), payload.unwrap_or_default()),
        RouteKind::Delete => delete(rt, app, endpoint, &table, id.unwrap_or_default()),
        RouteKind::Other => Ok(Response::json(endpoint.status_code, "null".into())),
    };
    match result {
        Ok(response) => Handled::ok(response),
        Err(failure) => {
            let entries = vec![
                Entry::LeftOut("uvicorn, starlette and fastapi"),
                Entry::frame(format!("{}/{}", rt.root, endpoint.route.place.file), failure.line, &endpoint.route.function, &app.source_line(&endpoint.route.place.file, failure.line)),
                Entry::LeftOut("sqlalchemy"),
            ];
            Handled { response: Response::internal_server_error(), exception: Some(traceback::render(&entries, &failure.exception)) }
        }
    }
}

/// An exception in the route's code: where, and its text.
struct Failure {
    line: usize,
    exception: String,
}

type Outcome = Result<Response, Failure>;

fn orm_failure(endpoint: &Endpoint, line: Option<usize>) -> impl Fn(OrmError) -> Failure + '_ {
    move |e| Failure { line: line.or(endpoint.query_line).unwrap_or(endpoint.route.place.line), exception: e.text() }
}

fn open(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint) -> Result<rusqlite::Connection, Failure> {
    rt.open(app.database.as_ref()).map_err(|exception| Failure { line: endpoint.query_line.unwrap_or(endpoint.route.place.line), exception })
}

fn list(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, table: &Table) -> Outcome {
    let conn = open(rt, app, endpoint)?;
    let rows = orm::fetch(&conn, table, &orm::select_all(table, endpoint.style), &[]).map_err(orm_failure(endpoint, None))?;
    let items: Vec<Json> = rows.iter().map(|r| orm::row_json(table, r)).collect();
    Ok(Response::json(endpoint.status_code, Json::Array(items).compact()))
}

/// The route's lookup of one object (`.filter(Todo.id == id).first()`).
fn find(conn: &rusqlite::Connection, endpoint: &Endpoint, table: &Table, id: i64) -> Result<Option<orm::Row>, Failure> {
    let (sql, params) = match endpoint.style {
        QueryStyle::Legacy => (orm::select_first_by_id(table, QueryStyle::Legacy), vec![Param::Int(id), Param::Int(1), Param::Int(0)]),
        QueryStyle::Select => (orm::select_by_id(table, QueryStyle::Select), vec![Param::Int(id)]),
    };
    let rows = orm::fetch(conn, table, &sql, &params).map_err(orm_failure(endpoint, None))?;
    Ok(rows.into_iter().next())
}

fn not_found(endpoint: &Endpoint) -> Response {
    match &endpoint.not_found {
        Some((status, message)) => detail(*status, message.clone()),
        // No check: the function returns None.
        None => Response::json(endpoint.status_code, "null".into()),
    }
}

fn get(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, table: &Table, id: i64) -> Outcome {
    let conn = open(rt, app, endpoint)?;
    match find(&conn, endpoint, table, id)? {
        Some(row) => Ok(Response::json(endpoint.status_code, orm::row_json(table, &row).compact())),
        None => Ok(not_found(endpoint)),
    }
}

/// After `db.commit()` every attribute is expired: the object FastAPI
/// encodes is empty unless the code refreshed it.
fn committed_object(conn: &rusqlite::Connection, endpoint: &Endpoint, table: &Table, id: i64) -> Result<Json, Failure> {
    if !endpoint.refreshes {
        return Ok(Json::Object(Vec::new()));
    }
    let rows = orm::fetch(conn, table, &orm::select_by_id(table, QueryStyle::Select), &[Param::Int(id)]).map_err(orm_failure(endpoint, None))?;
    Ok(rows.first().map(|r| orm::row_json(table, r)).unwrap_or(Json::Object(Vec::new())))
}

fn create(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, table: &Table, payload: Vec<(String, Json)>) -> Outcome {
    if let Some((field, _)) = payload.iter().find(|(k, _)| table.column(k).is_none()) {
        let class = table.class_name.clone().unwrap_or_else(|| table.name.clone());
        return Err(Failure {
            line: endpoint.query_line.unwrap_or(endpoint.route.place.line + 1),
            exception: format!("TypeError: '{field}' is an invalid keyword argument for {class}"),
        });
    }
    let mut conn = open(rt, app, endpoint)?;
    let id = startup::insert_object(rt, table, &conn, &payload).map_err(orm_failure(endpoint, endpoint.commit_line))?;
    let object = committed_object(&conn, endpoint, table, id)?;
    rt.save(app.database.as_ref(), &mut conn);
    Ok(Response::json(endpoint.status_code, object.compact()))
}

fn update(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, table: &Table, id: i64, payload: Vec<(String, Json)>) -> Outcome {
    let mut conn = open(rt, app, endpoint)?;
    let Some(row) = find(&conn, endpoint, table, id)? else { return Ok(not_found(endpoint)) };
    // `setattr` of every field; the flush updates only the columns that changed.
    let mut changes = Vec::new();
    for column in &table.columns {
        let Some((_, value)) = payload.iter().find(|(k, _)| *k == column.name) else { continue };
        let param = orm::param_for(Some(column), value);
        let loaded = row.iter().find(|(n, _)| *n == column.name).map(|(_, v)| v.clone()).unwrap_or(rusqlite::types::Value::Null);
        if !orm::unchanged(&loaded, &param) {
            changes.push((column.name.clone(), param));
        }
    }
    let row_id = orm::row_id(table, &row);
    if !changes.is_empty() {
        let (sql, params) = orm::update(table, &changes, row_id);
        orm::execute(&conn, &sql, &params).map_err(orm_failure(endpoint, endpoint.commit_line))?;
    }
    let object = committed_object(&conn, endpoint, table, row_id)?;
    rt.save(app.database.as_ref(), &mut conn);
    Ok(Response::json(endpoint.status_code, object.compact()))
}

fn delete(rt: &mut Runtime<'_>, app: &LoadedApp, endpoint: &Endpoint, table: &Table, id: i64) -> Outcome {
    let mut conn = open(rt, app, endpoint)?;
    let Some(row) = find(&conn, endpoint, table, id)? else { return Ok(not_found(endpoint)) };
    let (sql, params) = orm::delete(table, orm::row_id(table, &row));
    orm::execute(&conn, &sql, &params).map_err(orm_failure(endpoint, endpoint.commit_line))?;
    rt.save(app.database.as_ref(), &mut conn);
    if endpoint.status_code == 204 {
        return Ok(Response::no_content());
    }
    Ok(Response::json(endpoint.status_code, "null".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_with_parameters() {
        assert_eq!(match_path("/todos/{todo_id}", "/todos/3"), Some(vec![("todo_id".into(), "3".into())]));
        assert_eq!(match_path("/todos/{todo_id}", "/todos"), None);
        assert_eq!(match_path("/todos", "/todos"), Some(vec![]));
        assert_eq!(percent_decode("a%20b"), "a b");
    }
}
