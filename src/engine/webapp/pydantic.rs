//! Request bodies as FastAPI + Pydantic v2 check them: the fields of the
//! route's `BaseModel` (`title: str`, `description: Optional[str] = None`),
//! lax-mode coercion, and the `{"detail": [...]}` 422 errors with their
//! `type`, `loc`, `msg` and `input`, in Pydantic's words.

use crate::engine::python::ast::{keyword_argument, positional_arguments, Expr, ExprKind, Stmt, StmtKind};

use super::json::{self, Json};
use super::pyeval::{top_level_definition, Evaluator, Files, PyValue};

/// The scalar types a field can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Str,
    Int,
    Float,
    Bool,
    /// Anything else (`datetime`, `list[str]`, another model): accepted as given.
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub type_: FieldType,
    pub optional: bool,
    /// `None` = required.
    pub default: Option<Json>,
}

/// A `BaseModel` subclass used as a request body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyModel {
    pub name: String,
    pub fields: Vec<Field>,
}

/// Reads the model class `name` visible from `file` (defined there or imported).
pub fn read_model(files: &mut Files<'_>, file: &str, name: &str) -> Option<BodyModel> {
    read_model_depth(files, file, name, 0)
}

fn read_model_depth(files: &mut Files<'_>, file: &str, name: &str, depth: usize) -> Option<BodyModel> {
    if depth > 4 {
        return None;
    }
    let parsed = files.parse(file)?;
    let (class_file, class) = match top_level_definition(&parsed.module, name) {
        Some(stmt) => (file.to_string(), stmt.clone()),
        None => {
            let (module, original) = super::pyeval::imported_name(&parsed.module, name)?;
            let path = files.module_path(&module)?;
            let parsed = files.parse(&path)?;
            (path.clone(), top_level_definition(&parsed.module, &original)?.clone())
        }
    };
    let StmtKind::ClassDef { arguments, body, .. } = &class.kind else { return None };
    let mut fields: Vec<Field> = Vec::new();
    let mut is_model = false;
    for base in arguments.iter().filter_map(|a| a.value().dotted_name()) {
        if base.ends_with("BaseModel") {
            is_model = true;
        } else if let Some(inherited) = read_model_depth(files, &class_file, &base, depth + 1) {
            is_model = true;
            fields.extend(inherited.fields);
        }
    }
    if !is_model {
        return None;
    }
    for stmt in body {
        if let Some(field) = read_field(files, &class_file, stmt) {
            match fields.iter_mut().find(|f| f.name == field.name) {
                Some(existing) => *existing = field,
                None => fields.push(field),
            }
        }
    }
    Some(BodyModel { name: name.to_string(), fields })
}

fn read_field(files: &mut Files<'_>, file: &str, stmt: &Stmt) -> Option<Field> {
    let StmtKind::AnnAssign { target, annotation, value } = &stmt.kind else { return None };
    let ExprKind::Name(name) = &target.kind else { return None };
    if name == "model_config" {
        return None;
    }
    let (type_, optional) = field_type(annotation);
    let default_expr = match value.as_ref().map(|v| &v.kind) {
        // `Field(default, ...)` / `Field(default=...)`; `Field(...)` is required.
        Some(ExprKind::Call { func, arguments }) if func.dotted_name().is_some_and(|n| n.ends_with("Field")) => {
            positional_arguments(arguments).next().or_else(|| keyword_argument(arguments, "default")).cloned()
        }
        _ => value.clone(),
    };
    let default = match default_expr {
        None => None,
        Some(Expr { kind: ExprKind::Ellipsis, .. }) => None,
        Some(expr) => Some(py_to_json(Evaluator::new(files).eval(file, &expr, &[]).unwrap_or(PyValue::None))),
    };
    Some(Field { name: name.clone(), type_, optional, default })
}

/// `str`, `Optional[str]`, `str | None`, `Union[int, None]` → the type and whether `None` is allowed.
fn field_type(annotation: &Expr) -> (FieldType, bool) {
    match &annotation.kind {
        ExprKind::Name(n) => (scalar(n), false),
        ExprKind::None => (FieldType::Any, true),
        ExprKind::Subscript { value, index } => {
            let outer = value.dotted_name().unwrap_or_default();
            let outer = outer.rsplit('.').next().unwrap_or_default();
            match outer {
                "Optional" => (field_type(index).0, true),
                "Union" => union(match &index.kind {
                    ExprKind::Tuple { elements, .. } => elements.iter().collect(),
                    _ => vec![index.as_ref()],
                }),
                "Annotated" => match &index.kind {
                    ExprKind::Tuple { elements, .. } if !elements.is_empty() => field_type(&elements[0]),
                    _ => (FieldType::Any, false),
                },
                _ => (FieldType::Any, false),
            }
        }
        ExprKind::BinOp { left, op: crate::engine::python::ast::BinaryOp::BitOr, right } => union(vec![left.as_ref(), right.as_ref()]),
        _ => (FieldType::Any, false),
    }
}

fn union(members: Vec<&Expr>) -> (FieldType, bool) {
    let optional = members.iter().any(|m| matches!(m.kind, ExprKind::None));
    let types: Vec<FieldType> = members.iter().filter(|m| !matches!(m.kind, ExprKind::None)).map(|m| field_type(m).0).collect();
    let type_ = if types.len() == 1 { types[0] } else { FieldType::Any };
    (type_, optional)
}

fn scalar(name: &str) -> FieldType {
    match name {
        "str" => FieldType::Str,
        "int" => FieldType::Int,
        "float" => FieldType::Float,
        "bool" => FieldType::Bool,
        _ => FieldType::Any,
    }
}

pub fn py_to_json(value: PyValue) -> Json {
    match value {
        PyValue::None => Json::Null,
        PyValue::Bool(b) => Json::Bool(b),
        PyValue::Int(i) => Json::Int(i),
        PyValue::Float(f) => Json::Float(f),
        PyValue::Str(s) => Json::Str(s),
        PyValue::List(items) => Json::Array(items.into_iter().map(py_to_json).collect()),
        PyValue::Dict(pairs) => Json::Object(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        PyValue::Str(s) => s,
                        other => py_to_json(other).compact(),
                    };
                    (key, py_to_json(v))
                })
                .collect(),
        ),
        PyValue::Instance { class, .. } => Json::Str(format!("<{class} object>")),
    }
}

/// One entry of FastAPI's 422 `detail` list.
pub fn error(type_: &str, loc: Vec<Json>, msg: &str, input: Json) -> Json {
    Json::object(vec![("type", Json::str(type_)), ("loc", Json::Array(loc)), ("msg", Json::str(msg)), ("input", input)])
}

/// Reads the raw body as FastAPI does for a `BaseModel` parameter: JSON when
/// the content type says so, else the text itself (which then fails the
/// model's "valid dictionary" check).
pub fn decode_body(body: Option<&str>, content_type: Option<&str>) -> Result<Option<Json>, Json> {
    let Some(body) = body.filter(|b| !b.is_empty()) else { return Ok(None) };
    let is_json = content_type.is_some_and(|c| {
        let media = c.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
    });
    if !is_json {
        return Ok(Some(Json::Str(body.to_string())));
    }
    json::parse(body).map(Some).map_err(|e| {
        let mut entry = error("json_invalid", vec![Json::str("body"), Json::Int(e.pos as i64)], "JSON decode error", Json::Object(Vec::new()));
        if let Json::Object(pairs) = &mut entry {
            pairs.push(("ctx".into(), Json::object(vec![("error", Json::str(e.message))])));
        }
        entry
    })
}

/// Validates a decoded body against the model; the dumped values
/// (`payload.model_dump()`, defaults filled in) or the error entries.
pub fn validate(model: &BodyModel, body: Option<&Json>) -> Result<Vec<(String, Json)>, Vec<Json>> {
    let Some(body) = body else {
        return Err(vec![error("missing", vec![Json::str("body")], "Field required", Json::Null)]);
    };
    let Json::Object(pairs) = body else {
        return Err(vec![error(
            "model_attributes_type",
            vec![Json::str("body")],
            "Input should be a valid dictionary or object to extract fields from",
            body.clone(),
        )]);
    };
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for field in &model.fields {
        let loc = vec![Json::str("body"), Json::str(field.name.clone())];
        match pairs.iter().find(|(k, _)| *k == field.name) {
            None => match &field.default {
                Some(default) => values.push((field.name.clone(), default.clone())),
                None => errors.push(error("missing", loc, "Field required", body.clone())),
            },
            Some((_, Json::Null)) if field.optional || field.type_ == FieldType::Any => values.push((field.name.clone(), Json::Null)),
            Some((_, value)) => match coerce(field.type_, value) {
                Ok(v) => values.push((field.name.clone(), v)),
                Err((type_, msg)) => errors.push(error(type_, loc, msg, value.clone())),
            },
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Pydantic v2's lax-mode conversion of a JSON value to a field's type.
fn coerce(type_: FieldType, value: &Json) -> Result<Json, (&'static str, &'static str)> {
    match (type_, value) {
        (FieldType::Any, v) => Ok(v.clone()),
        (FieldType::Str, Json::Str(s)) => Ok(Json::Str(s.clone())),
        (FieldType::Str, _) => Err(("string_type", "Input should be a valid string")),
        (FieldType::Int, Json::Int(i)) => Ok(Json::Int(*i)),
        (FieldType::Int, Json::Float(f)) if f.fract() == 0.0 => Ok(Json::Int(*f as i64)),
        (FieldType::Int, Json::Float(_)) => Err(("int_from_float", "Input should be a valid integer, got a number with a fractional part")),
        (FieldType::Int, Json::Str(s)) => s
            .trim()
            .parse::<i64>()
            .map(Json::Int)
            .map_err(|_| ("int_parsing", "Input should be a valid integer, unable to parse string as an integer")),
        (FieldType::Int, Json::Bool(b)) => Ok(Json::Int(i64::from(*b))),
        (FieldType::Int, _) => Err(("int_type", "Input should be a valid integer")),
        (FieldType::Float, Json::Int(i)) => Ok(Json::Float(*i as f64)),
        (FieldType::Float, Json::Float(f)) => Ok(Json::Float(*f)),
        (FieldType::Float, Json::Str(s)) => s
            .trim()
            .parse::<f64>()
            .map(Json::Float)
            .map_err(|_| ("float_parsing", "Input should be a valid number, unable to parse string as a number")),
        (FieldType::Float, Json::Bool(b)) => Ok(Json::Float(if *b { 1.0 } else { 0.0 })),
        (FieldType::Float, _) => Err(("float_type", "Input should be a valid number")),
        (FieldType::Bool, Json::Bool(b)) => Ok(Json::Bool(*b)),
        (FieldType::Bool, Json::Int(0)) => Ok(Json::Bool(false)),
        (FieldType::Bool, Json::Int(1)) => Ok(Json::Bool(true)),
        (FieldType::Bool, Json::Str(s)) => match super::pyeval::parse_bool(s) {
            Some(PyValue::Bool(b)) => Ok(Json::Bool(b)),
            _ => Err(("bool_parsing", "Input should be a valid boolean, unable to interpret input")),
        },
        (FieldType::Bool, Json::Int(_) | Json::Float(_)) => Err(("bool_parsing", "Input should be a valid boolean, unable to interpret input")),
        (FieldType::Bool, _) => Err(("bool_type", "Input should be a valid boolean")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::starter;

    fn todo_in() -> BodyModel {
        let project = starter::project();
        let mut files = Files::new(&project, "", crate::engine::environ::PythonEnv::files_only(&project));
        read_model(&mut files, "main.py", "TodoIn").expect("TodoIn")
    }

    #[test]
    fn starter_body_model_fields() {
        let model = todo_in();
        let names: Vec<&str> = model.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["title", "description", "is_completed"]);
        assert_eq!(model.fields[1].default, Some(Json::Null));
        assert_eq!(model.fields[2].default, Some(Json::Bool(false)));
    }

    #[test]
    fn errors_as_fastapi_returns_them() {
        let body = json::parse(r#"{"description": 3}"#).unwrap();
        let errors = validate(&todo_in(), Some(&body)).unwrap_err();
        assert_eq!(
            Json::Array(errors).compact(),
            r#"[{"type":"missing","loc":["body","title"],"msg":"Field required","input":{"description":3}},{"type":"string_type","loc":["body","description"],"msg":"Input should be a valid string","input":3}]"#
        );
        let invalid = decode_body(Some(r#"{"title":"x",}"#), Some("application/json")).unwrap_err();
        assert_eq!(
            invalid.compact(),
            r#"{"type":"json_invalid","loc":["body",13],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting property name enclosed in double quotes"}}"#
        );
    }
}
