//! `python -c "..."` for the guides' sqlite3 one-liners (000 §5 step 8:
//! `import sqlite3; conn = sqlite3.connect('todos.db'); print('Tables:',
//! conn.execute("SELECT ...").fetchall()); ...; conn.close()`): a tiny
//! interpreter for exactly the `sqlite3` module's connect / execute /
//! cursor / fetchall / fetchone / commit / close, `print`, and Python's
//! `repr` of rows. Any other Python is refused, clearly.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::Connection;

use crate::engine::db;
use crate::engine::output::CommandOutput;
use crate::engine::project::{self, Project};
use crate::engine::pyrepr::py_repr_str;
use crate::engine::python::ast::{keyword_argument, positional_arguments, Argument, Expr, ExprKind, Stmt, StmtKind};
use crate::engine::python::{self, LineIndex};

use super::json::python_float_repr;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Sqlite3Module,
    /// A connection, by index into the interpreter's list.
    Connection(usize),
    /// A cursor: its connection and the rows it has not handed out yet.
    Cursor { connection: usize, rows: Vec<Value>, next: usize },
}

impl Value {
    /// Python's `repr()`.
    fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => python_float_repr(*f),
            Value::Str(s) => py_repr_str(s),
            Value::Bytes(b) => format!("b{}", py_repr_str(&b.iter().map(|&c| c as char).collect::<String>())),
            Value::Tuple(items) if items.len() == 1 => format!("({},)", items[0].repr()),
            Value::Tuple(items) => format!("({})", items.iter().map(Value::repr).collect::<Vec<_>>().join(", ")),
            Value::List(items) => format!("[{}]", items.iter().map(Value::repr).collect::<Vec<_>>().join(", ")),
            Value::Sqlite3Module => "<module 'sqlite3' from '/usr/lib/python3.11/sqlite3/__init__.py'>".into(),
            Value::Connection(_) => "<sqlite3.Connection object at 0x7f3a2c1e5e40>".into(),
            Value::Cursor { .. } => "<sqlite3.Cursor object at 0x7f3a2c1d0940>".into(),
        }
    }

    /// Python's `str()`.
    fn str(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            other => other.repr(),
        }
    }

    fn from_sql(value: SqlValue) -> Value {
        match value {
            SqlValue::Null => Value::None,
            SqlValue::Integer(i) => Value::Int(i),
            SqlValue::Real(f) => Value::Float(f),
            SqlValue::Text(s) => Value::Str(s),
            SqlValue::Blob(b) => Value::Bytes(b),
        }
    }

    fn to_sql(&self) -> Option<SqlValue> {
        Some(match self {
            Value::None => SqlValue::Null,
            Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
            Value::Int(i) => SqlValue::Integer(*i),
            Value::Float(f) => SqlValue::Real(*f),
            Value::Str(s) => SqlValue::Text(s.clone()),
            Value::Bytes(b) => SqlValue::Blob(b.clone()),
            _ => return None,
        })
    }
}

/// How a run stops early.
enum Stop {
    /// A Python exception: its last line (`sqlite3.OperationalError: no such table: x`).
    Exception(String),
    /// Code outside what driftlab runs: the construct, as written.
    Unsupported(String),
}

struct Open {
    path: String,
    conn: Connection,
    /// An implicit transaction is open (Python's sqlite3 begins one before INSERT/UPDATE/DELETE).
    in_transaction: bool,
}

struct Interpreter<'a> {
    project: &'a mut Project,
    cwd: &'a str,
    code: &'a str,
    variables: HashMap<String, Value>,
    connections: Vec<Open>,
    stdout: String,
}

/// `python -c CODE`.
pub fn run(project: &mut Project, cwd: &str, code: &str) -> CommandOutput {
    let parsed = python::parse_module(code);
    if let Some(error) = parsed.errors.first() {
        let line = code.lines().nth(error.line.saturating_sub(1)).unwrap_or_default();
        return CommandOutput::error(
            format!("  File \"<string>\", line {}\n    {}\n    {}^\nSyntaxError: {}\n", error.line, line.trim(), " ".repeat(error.col.saturating_sub(1 + (line.len() - line.trim_start().len()))), error.message),
            1,
        );
    }
    let mut interpreter = Interpreter { project, cwd, code, variables: HashMap::new(), connections: Vec::new(), stdout: String::new() };
    let index = LineIndex::new(code);
    let mut result = Ok(());
    let mut failed_line = 0;
    for stmt in &parsed.module.body {
        if let Err(stop) = interpreter.statement(stmt) {
            failed_line = index.line(stmt.span.start);
            result = Err(stop);
            break;
        }
    }
    // The process ends: open transactions roll back; what was committed stays.
    interpreter.close_all();
    let stdout = std::mem::take(&mut interpreter.stdout);
    match result {
        Ok(()) => CommandOutput::ok(stdout),
        Err(Stop::Exception(exception)) => CommandOutput {
            stdout,
            stderr: format!("Traceback (most recent call last):\n  File \"<string>\", line {failed_line}, in <module>\n{exception}\n"),
            exit_code: 1,
        },
        Err(Stop::Unsupported(what)) => CommandOutput {
            stdout,
            stderr: format!(
                "driftlab: `python -c` runs only the guides' sqlite3 one-liners (import sqlite3; sqlite3.connect(...); .execute(...), .fetchall(), .fetchone(), .commit(), .close(); print(...)). Not this: {what}\n"
            ),
            exit_code: 1,
        },
    }
}

impl Interpreter<'_> {
    fn snippet(&self, span: crate::engine::python::Span) -> String {
        span.text(self.code).trim().to_string()
    }

    fn statement(&mut self, stmt: &Stmt) -> Result<(), Stop> {
        match &stmt.kind {
            StmtKind::Import { names } => {
                for alias in names {
                    if alias.name.name != "sqlite3" {
                        return Err(Stop::Unsupported(format!("import {}", alias.name.name)));
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
                    self.variables.insert(bound, Value::Sqlite3Module);
                }
                Ok(())
            }
            StmtKind::Assign { targets, value } => {
                let value = self.eval(value)?;
                for target in targets {
                    match &target.kind {
                        ExprKind::Name(name) => {
                            self.variables.insert(name.clone(), value.clone());
                        }
                        _ => return Err(Stop::Unsupported(self.snippet(stmt.span))),
                    }
                }
                Ok(())
            }
            StmtKind::Expr(expr) => self.eval(expr).map(|_| ()),
            StmtKind::For { target, iter, body, orelse, .. } if orelse.is_empty() => {
                let ExprKind::Name(name) = &target.kind else { return Err(Stop::Unsupported(self.snippet(stmt.span))) };
                let items = match self.eval(iter)? {
                    Value::Cursor { rows, next, .. } => rows[next..].to_vec(),
                    Value::List(items) | Value::Tuple(items) => items,
                    _ => return Err(Stop::Unsupported(self.snippet(iter.span))),
                };
                for item in items {
                    self.variables.insert(name.clone(), item);
                    for inner in body {
                        self.statement(inner)?;
                    }
                }
                Ok(())
            }
            StmtKind::Pass => Ok(()),
            _ => Err(Stop::Unsupported(self.snippet(stmt.span))),
        }
    }

    fn eval(&mut self, expr: &Expr) -> Result<Value, Stop> {
        match &expr.kind {
            ExprKind::None => Ok(Value::None),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Number(n) => n.as_i64().map(Value::Int).or_else(|| n.text.parse().ok().map(Value::Float)).ok_or_else(|| Stop::Unsupported(n.text.clone())),
            ExprKind::Str(s) if !s.is_format() && !s.is_bytes() => Ok(Value::Str(s.value())),
            ExprKind::Tuple { elements, .. } => elements.iter().map(|e| self.eval(e)).collect::<Result<_, _>>().map(Value::Tuple),
            ExprKind::List(elements) => elements.iter().map(|e| self.eval(e)).collect::<Result<_, _>>().map(Value::List),
            ExprKind::Name(name) => self.variables.get(name).cloned().ok_or_else(|| Stop::Exception(format!("NameError: name '{name}' is not defined"))),
            ExprKind::Subscript { value, index } => {
                let container = self.eval(value)?;
                let Value::Int(i) = self.eval(index)? else { return Err(Stop::Unsupported(self.snippet(expr.span))) };
                match container {
                    Value::Tuple(items) | Value::List(items) => {
                        let at = if i < 0 { items.len() as i64 + i } else { i };
                        usize::try_from(at).ok().and_then(|at| items.get(at).cloned()).ok_or_else(|| Stop::Exception("IndexError: tuple index out of range".into()))
                    }
                    Value::None => Err(Stop::Exception("TypeError: 'NoneType' object is not subscriptable".into())),
                    _ => Err(Stop::Unsupported(self.snippet(expr.span))),
                }
            }
            ExprKind::Call { func, arguments } => self.call(expr, func, arguments),
            _ => Err(Stop::Unsupported(self.snippet(expr.span))),
        }
    }

    fn call(&mut self, expr: &Expr, func: &Expr, arguments: &[Argument]) -> Result<Value, Stop> {
        let positional: Vec<&Expr> = positional_arguments(arguments).collect();
        match &func.kind {
            ExprKind::Name(name) if name == "print" => {
                let values: Vec<String> = positional.iter().map(|a| self.eval(a).map(|v| v.str())).collect::<Result<_, _>>()?;
                let sep = match keyword_argument(arguments, "sep") {
                    Some(e) => self.eval(e)?.str(),
                    None => " ".into(),
                };
                let end = match keyword_argument(arguments, "end") {
                    Some(e) => self.eval(e)?.str(),
                    None => "\n".into(),
                };
                self.stdout.push_str(&values.join(&sep));
                self.stdout.push_str(&end);
                Ok(Value::None)
            }
            ExprKind::Name(name) if name == "len" && positional.len() == 1 => match self.eval(positional[0])? {
                Value::List(items) | Value::Tuple(items) => Ok(Value::Int(items.len() as i64)),
                Value::Str(s) => Ok(Value::Int(s.chars().count() as i64)),
                _ => Err(Stop::Unsupported(self.snippet(expr.span))),
            },
            ExprKind::Attribute { value, attr } => {
                let receiver = self.eval(value)?;
                let args: Vec<Value> = positional.iter().map(|a| self.eval(a)).collect::<Result<_, _>>()?;
                self.method(expr, value, receiver, &attr.name, args)
            }
            _ => Err(Stop::Unsupported(self.snippet(expr.span))),
        }
    }

    fn method(&mut self, expr: &Expr, receiver_expr: &Expr, receiver: Value, name: &str, args: Vec<Value>) -> Result<Value, Stop> {
        match (receiver, name) {
            (Value::Sqlite3Module, "connect") => {
                let Some(Value::Str(file)) = args.first() else { return Err(Stop::Unsupported(self.snippet(expr.span))) };
                self.connect(file)
            }
            (Value::Connection(c), "execute") => self.execute(c, &args),
            (Value::Connection(c), "cursor") => Ok(Value::Cursor { connection: c, rows: Vec::new(), next: 0 }),
            (Value::Connection(c), "commit") => {
                self.commit(c);
                Ok(Value::None)
            }
            (Value::Connection(c), "close") => {
                self.close(c);
                Ok(Value::None)
            }
            (Value::Cursor { connection, .. }, "execute") => {
                let cursor = self.execute(connection, &args)?;
                // `cur.execute(...)` also changes `cur` itself.
                if let ExprKind::Name(var) = &receiver_expr.kind {
                    self.variables.insert(var.clone(), cursor.clone());
                }
                Ok(cursor)
            }
            (Value::Cursor { rows, next, connection }, "fetchall") => {
                let rest = rows[next..].to_vec();
                self.advance(receiver_expr, connection, rows.clone(), rows.len());
                Ok(Value::List(rest))
            }
            (Value::Cursor { rows, next, connection }, "fetchone") => {
                let row = rows.get(next).cloned().unwrap_or(Value::None);
                self.advance(receiver_expr, connection, rows.clone(), (next + 1).min(rows.len()));
                Ok(row)
            }
            (Value::Cursor { .. }, "close") => Ok(Value::None),
            _ => Err(Stop::Unsupported(self.snippet(expr.span))),
        }
    }

    /// Moves a named cursor on after a fetch.
    fn advance(&mut self, receiver_expr: &Expr, connection: usize, rows: Vec<Value>, next: usize) {
        if let ExprKind::Name(var) = &receiver_expr.kind {
            self.variables.insert(var.clone(), Value::Cursor { connection, rows, next });
        }
    }

    fn connect(&mut self, file: &str) -> Result<Value, Stop> {
        let (path, bytes) = if file == ":memory:" {
            (String::new(), Vec::new())
        } else {
            let path = project::resolve(self.cwd, file).ok_or_else(|| Stop::Exception("sqlite3.OperationalError: unable to open database file".into()))?;
            let parent = path.rsplit_once('/').map_or("", |(d, _)| d);
            if !self.project.is_dir(parent) || self.project.is_dir(&path) {
                return Err(Stop::Exception("sqlite3.OperationalError: unable to open database file".into()));
            }
            let bytes = self.project.read(&path).map(<[u8]>::to_vec).unwrap_or_default();
            if !self.project.is_file(&path) {
                // Connecting creates the file, as SQLite does.
                self.project.write(&path, Vec::new());
            }
            (path, bytes)
        };
        let conn = db::open(&bytes).map_err(|e| Stop::Exception(format!("sqlite3.DatabaseError: {e}")))?;
        self.connections.push(Open { path, conn, in_transaction: false });
        Ok(Value::Connection(self.connections.len() - 1))
    }

    fn execute(&mut self, c: usize, args: &[Value]) -> Result<Value, Stop> {
        let Some(Value::Str(sql)) = args.first() else { return Err(Stop::Unsupported("execute() without an SQL string".into())) };
        let params: Vec<SqlValue> = match args.get(1) {
            None => Vec::new(),
            Some(Value::Tuple(items) | Value::List(items)) => items.iter().map(|v| v.to_sql()).collect::<Option<_>>().ok_or_else(|| Stop::Unsupported("parameters".into()))?,
            Some(_) => return Err(Stop::Unsupported("named parameters".into())),
        };
        let open = &mut self.connections[c];
        let first_word = sql.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        if matches!(first_word.as_str(), "INSERT" | "UPDATE" | "DELETE" | "REPLACE") && !open.in_transaction {
            let _ = open.conn.execute_batch("BEGIN");
            open.in_transaction = true;
        }
        let run = || -> rusqlite::Result<Vec<Value>> {
            let mut stmt = open.conn.prepare(sql)?;
            let columns = stmt.column_count();
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let mut values = Vec::new();
                for i in 0..columns {
                    values.push(Value::from_sql(row.get::<_, SqlValue>(i)?));
                }
                out.push(Value::Tuple(values));
            }
            Ok(out)
        };
        let rows = run().map_err(|e| {
            let message = super::orm::sqlite_message(&e);
            let class = if message.contains("constraint failed") { "IntegrityError" } else { "OperationalError" };
            Stop::Exception(format!("sqlite3.{class}: {message}"))
        })?;
        if !open.in_transaction {
            self.store(c);
        }
        Ok(Value::Cursor { connection: c, rows, next: 0 })
    }

    fn commit(&mut self, c: usize) {
        let open = &mut self.connections[c];
        if open.in_transaction {
            let _ = open.conn.execute_batch("COMMIT");
            open.in_transaction = false;
        }
        self.store(c);
    }

    /// Closing without `commit()` discards the open transaction.
    fn close(&mut self, c: usize) {
        let open = &mut self.connections[c];
        if open.in_transaction {
            let _ = open.conn.execute_batch("ROLLBACK");
            open.in_transaction = false;
        }
        self.store(c);
    }

    fn close_all(&mut self) {
        for c in 0..self.connections.len() {
            self.close(c);
        }
    }

    fn store(&mut self, c: usize) {
        let open = &mut self.connections[c];
        if open.path.is_empty() {
            return;
        }
        if let Ok(bytes) = db::to_bytes(&mut open.conn) {
            if self.project.read(&open.path) != Some(bytes.as_slice()) {
                self.project.write(&open.path, bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_check_prints_tables_and_version() {
        let mut project = Project::new();
        let conn = db::open(&[]).unwrap();
        conn.execute_batch("CREATE TABLE todos (id INTEGER); CREATE TABLE alembic_version (version_num VARCHAR(32)); INSERT INTO alembic_version VALUES ('2026_02_21_001');").unwrap();
        let mut conn = conn;
        project.write("todos.db", db::to_bytes(&mut conn).unwrap());
        let code = "\nimport sqlite3\nconn = sqlite3.connect('todos.db')\nprint('Tables:', conn.execute(\"SELECT name FROM sqlite_master WHERE type='table'\").fetchall())\nprint('Version:', conn.execute('SELECT * FROM alembic_version').fetchall())\nconn.close()\n";
        let out = run(&mut project, "", code);
        assert_eq!(out, CommandOutput::ok("Tables: [('todos',), ('alembic_version',)]\nVersion: [('2026_02_21_001',)]\n"));
    }

    #[test]
    fn a_missing_table_is_a_traceback_and_other_code_is_refused() {
        let mut project = Project::new();
        let out = run(&mut project, "", "import sqlite3; c = sqlite3.connect('x.db'); print(1); c.execute('select * from nope')");
        assert_eq!(out.stdout, "1\n");
        assert_eq!(out.stderr, "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nsqlite3.OperationalError: no such table: nope\n");
        let out = run(&mut project, "", "import os; print(os.listdir())");
        assert_eq!(out.exit_code, 1);
        assert!(out.stderr.starts_with("driftlab: `python -c` runs only"), "{}", out.stderr);
    }
}
