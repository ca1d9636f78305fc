//! Reads a revision script back: its identifiers (`revision`,
//! `down_revision`, ...), its message, and the ops its `upgrade()` and
//! `downgrade()` perform, whether Alembic wrote them or a person edited them.
//!
//! Only straight-line code is understood: `op.*` calls, `with
//! op.batch_alter_table(...) as batch_op:` blocks, imports and plain
//! assignments. Anything else (loops, conditions, `op.get_bind()`, unknown
//! ops) is reported at its place and makes the whole script not applicable:
//! the playground never applies half a migration it can't read.

mod core;
mod signatures;
mod values;

use crate::engine::metadata::{
    CheckConstraint, Column, Constraint, ForeignKeyConstraint, Index, NameSource, PrimaryKey, Table, UniqueConstraint,
};
use crate::engine::models::Diagnostic;
use crate::engine::python::ast::{self, Argument, Expr, ExprKind, Stmt, StmtKind};
use crate::engine::python::parse_module;
use crate::engine::sqltypes::{SqlType, TypeName};

use super::apply::unsupported_core_part;
use super::ops::{AlterColumn, ConstraintDef, ConstraintKind, ExecuteArg, LightTable, Op};
use signatures::{batch_operation, bind, operation, Bound, BoundArg, Signature, KNOWN_UNSUPPORTED};
use values::{imported_module, imported_name, ColumnValue, Evaluator, Scope, Value};

/// A revision script as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub path: String,
    pub revision: Option<String>,
    /// The revisions this one follows: empty for a base, several for a merge.
    pub down_revision: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// The docstring's first paragraph (Alembic's `Script.doc`): the `-m` message.
    pub message: String,
    pub upgrade: Vec<Op>,
    pub downgrade: Vec<Op>,
    /// Syntax errors and everything the playground can't apply, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Script {
    /// Whether the playground may apply this script: only when all of it was understood.
    pub fn is_applicable(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Reads the revision script `src` found at `path` (the path is only used
/// in diagnostics). Never fails: problems are in `diagnostics`.
pub fn read_script(path: &str, src: &str) -> Script {
    let parsed = parse_module(src);
    let mut reader = Reader { eval: Evaluator::new(path, src), batch: None };
    for error in &parsed.errors {
        reader.eval.report(error.offset, format!("SyntaxError: {}", error.message), None);
    }
    let body = &parsed.module.body;
    let message = ast::docstring(body).map(|doc| first_paragraph(&doc)).unwrap_or_default();
    let mut scope = Scope::new();
    let mut upgrade_fn = None;
    let mut downgrade_fn = None;
    for stmt in body {
        match &stmt.kind {
            StmtKind::FunctionDef { name, .. } if name.name == "upgrade" => upgrade_fn = Some(stmt),
            StmtKind::FunctionDef { name, .. } if name.name == "downgrade" => downgrade_fn = Some(stmt),
            StmtKind::FunctionDef { name, .. } => {
                scope.insert(name.name.clone(), Value::Function(name.name.clone()));
            }
            StmtKind::ClassDef { name, .. } => {
                scope.insert(name.name.clone(), Value::Opaque);
            }
            StmtKind::Import { .. } | StmtKind::ImportFrom { .. } => reader.import(stmt, &mut scope),
            StmtKind::Assign { .. } | StmtKind::AnnAssign { .. } => reader.assign_value(stmt, &mut scope),
            StmtKind::Expr(expr) => reader.module_expression(expr, &scope),
            StmtKind::Pass | StmtKind::Error { .. } => {}
            other => {
                let what = format!("module-level {}", statement_description(other));
                reader.eval.unsupported(stmt.span.start, &what, None);
            }
        }
    }
    let revision = scope.get("revision").and_then(|v| v.as_str().map(str::to_string));
    let down_revision = reader.revision_list(&scope, "down_revision", body);
    let branch_labels = reader.revision_list(&scope, "branch_labels", body);
    let depends_on = reader.revision_list(&scope, "depends_on", body);
    let upgrade = reader.function(upgrade_fn, "upgrade", &scope);
    let downgrade = reader.function(downgrade_fn, "downgrade", &scope);
    let mut diagnostics = reader.eval.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.col));
    Script {
        path: path.to_string(),
        revision,
        down_revision,
        branch_labels,
        depends_on,
        message,
        upgrade,
        downgrade,
        diagnostics,
    }
}

/// `re.split("\n\n", doc.strip())[0]`.
fn first_paragraph(doc: &str) -> String {
    let doc = doc.trim();
    doc.split("\n\n").next().unwrap_or("").to_string()
}

fn statement_description(kind: &StmtKind) -> &'static str {
    match kind {
        StmtKind::If { .. } => "an 'if' statement",
        StmtKind::For { .. } => "a 'for' loop",
        StmtKind::While { .. } => "a 'while' loop",
        StmtKind::Try { .. } => "a 'try' statement",
        StmtKind::With { .. } => "a 'with' statement",
        StmtKind::Return(_) => "a 'return' statement",
        StmtKind::Raise { .. } => "a 'raise' statement",
        StmtKind::Assert { .. } => "an 'assert' statement",
        StmtKind::Delete(_) => "a 'del' statement",
        StmtKind::Global(_) | StmtKind::Nonlocal(_) => "a 'global' statement",
        StmtKind::AugAssign { .. } => "an augmented assignment",
        StmtKind::FunctionDef { .. } => "a nested function",
        StmtKind::ClassDef { .. } => "a class definition",
        StmtKind::Break | StmtKind::Continue => "a 'break' or 'continue'",
        _ => "this statement",
    }
}

/// What `op.execute()` runs, for hints.
const EXECUTE_HINT: &str = "op.execute() runs a SQL string, sa.text(...), or a Core insert()/update()/delete() on a \
                            sa.table(...) with .where() and .values()";

/// Why a Core statement's part can't run, for hints.
const CORE_HINT: &str = "driftlab compiles Core statements as SQLAlchemy does for the values and types it can \
                         reproduce; write this one as SQL with op.execute(sa.text(...))";

/// Who an op is called on.
#[derive(Debug, Clone, PartialEq)]
enum Receiver {
    /// `op.<name>(...)`
    Op,
    /// `batch_op.<name>(...)` on the batch of this table.
    Batch(String),
}

/// An op call being read: its name as written and its bound arguments.
struct OpCall<'e> {
    /// `op.create_index`, `batch_op.alter_column`.
    name: String,
    bound: Bound<'e>,
}

/// Short source text of an argument for messages (its first line, at most 40 characters).
fn snippet(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let short: String = first.chars().take(40).collect();
    if short.len() < text.len() {
        format!("{short}...")
    } else {
        short
    }
}

/// Options SQLite ignores: those of other dialects.
fn is_other_dialect_option(name: &str) -> bool {
    ["postgresql_", "mysql_", "mariadb_", "mssql_", "oracle_"].iter().any(|p| name.starts_with(p))
}

struct Reader<'s> {
    eval: Evaluator<'s>,
    /// The `batch_alter_table` block being read: its table and the ops
    /// queued on `batch_op`, which Alembic runs when the block ends.
    batch: Option<(String, Vec<Op>)>,
}

impl<'s> Reader<'s> {
    fn import(&mut self, stmt: &Stmt, scope: &mut Scope) {
        match &stmt.kind {
            StmtKind::Import { names } => {
                for alias in names {
                    let module = alias.name.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            scope.insert(asname.name.clone(), imported_module(module, true));
                        }
                        None => {
                            let top = module.split('.').next().unwrap_or(module);
                            scope.insert(top.to_string(), imported_module(top, false));
                        }
                    }
                }
            }
            StmtKind::ImportFrom { module, names, .. } => {
                let module = module.as_ref().map(|m| m.name.as_str()).unwrap_or("");
                for alias in names {
                    if alias.name.name == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).name.clone();
                    scope.insert(bound, imported_name(module, &alias.name.name));
                }
            }
            _ => {}
        }
    }

    /// `name = value` / `name: T = value` outside of ops: binds the value.
    fn assign_value(&mut self, stmt: &Stmt, scope: &mut Scope) {
        let (targets, value): (Vec<&Expr>, &Expr) = match &stmt.kind {
            StmtKind::Assign { targets, value } => (targets.iter().collect(), value),
            StmtKind::AnnAssign { target, value: Some(value), .. } => (vec![target], value),
            _ => return,
        };
        let value = self.eval.eval(value, scope);
        self.bind_targets(stmt, &targets, value, scope);
    }

    fn bind_targets(&mut self, stmt: &Stmt, targets: &[&Expr], value: Value, scope: &mut Scope) {
        for target in targets {
            match &target.kind {
                ExprKind::Name(name) => {
                    scope.insert(name.clone(), value.clone());
                }
                _ => self.eval.unsupported(stmt.span.start, "this kind of assignment", None),
            }
        }
    }

    /// A bare expression at module level: a string is a comment; a call would run on import.
    fn module_expression(&mut self, expr: &Expr, scope: &Scope) {
        if let ExprKind::Call { func, .. } = &expr.kind {
            let name = func.dotted_name().unwrap_or_else(|| "this function".into());
            self.eval.unsupported(expr.span.start, &format!("calling {name}() at module level"), None);
        } else if !matches!(expr.kind, ExprKind::Str(_) | ExprKind::Ellipsis) {
            self.eval.eval(expr, scope);
        }
    }

    /// `down_revision`, `branch_labels` or `depends_on`: `None`, a string, or a tuple/list of strings.
    fn revision_list(&mut self, scope: &Scope, name: &str, body: &[Stmt]) -> Vec<String> {
        match scope.get(name) {
            None | Some(Value::None) => Vec::new(),
            Some(Value::Str(s)) => vec![s.clone()],
            Some(v) => match v.as_str_list() {
                Some(list) => list,
                None => {
                    let at = body.iter().find(|s| assigns(s, name)).map_or(0, |s| s.span.start);
                    self.eval.unsupported(
                        at,
                        &format!("a computed {name}"),
                        Some("write it as a string, a tuple of strings or None"),
                    );
                    Vec::new()
                }
            },
        }
    }

    /// The ops of `upgrade()` or `downgrade()`.
    fn function(&mut self, stmt: Option<&Stmt>, name: &str, module_scope: &Scope) -> Vec<Op> {
        let Some(stmt) = stmt else {
            self.eval.report(
                0,
                format!("driftlab: this script has no {name}() function"),
                Some("Alembic's template defines both upgrade() and downgrade()"),
            );
            return Vec::new();
        };
        let StmtKind::FunctionDef { is_async, decorators, parameters, body, .. } = &stmt.kind else {
            return Vec::new();
        };
        if *is_async || !decorators.is_empty() || !parameters.is_empty() {
            self.eval.unsupported(
                stmt.span.start,
                &format!("this form of {name}()"),
                Some(&format!("write it as `def {name}() -> None:`")),
            );
        }
        let mut scope = module_scope.clone();
        let mut ops = Vec::new();
        self.block(body, &mut scope, &mut ops);
        ops
    }

    /// Reads statements into `ops` (`batch_op.*` calls into the current
    /// batch). Returns `false` after a `return`.
    fn block(&mut self, body: &[Stmt], scope: &mut Scope, ops: &mut Vec<Op>) -> bool {
        for stmt in body {
            match &stmt.kind {
                StmtKind::Pass | StmtKind::Error { .. } => {}
                StmtKind::Expr(expr) => match &expr.kind {
                    // Docstrings, and strings used as comments.
                    ExprKind::Str(_) | ExprKind::Ellipsis => {}
                    ExprKind::Call { .. } => self.call_statement(expr, scope, ops),
                    _ => {
                        self.eval.eval(expr, scope);
                    }
                },
                StmtKind::Assign { targets, value } => {
                    let targets: Vec<&Expr> = targets.iter().collect();
                    self.assign_statement(stmt, &targets, value, scope, ops);
                }
                StmtKind::AnnAssign { target, value: Some(value), .. } => {
                    self.assign_statement(stmt, &[target], value, scope, ops);
                }
                StmtKind::AnnAssign { value: None, .. } => {}
                StmtKind::Import { .. } | StmtKind::ImportFrom { .. } => self.import(stmt, scope),
                StmtKind::With { is_async: false, items, body } => {
                    if !self.with_statement(stmt, items, body, scope, ops) {
                        return false;
                    }
                }
                StmtKind::Return(None) => return false,
                other => {
                    let hint = match other {
                        StmtKind::If { .. } | StmtKind::For { .. } | StmtKind::While { .. } | StmtKind::Try { .. } => {
                            Some(
                                "the playground applies each op.* call as written: write the operations out one by one",
                            )
                        }
                        _ => None,
                    };
                    self.eval.unsupported(stmt.span.start, statement_description(other), hint);
                }
            }
        }
        true
    }

    /// Looks a name or dotted name up without reporting anything.
    fn peek(&self, expr: &Expr, scope: &Scope) -> Option<Value> {
        match &expr.kind {
            ExprKind::Name(name) => scope.get(name).cloned(),
            ExprKind::Attribute { value, attr } => match self.peek(value, scope)? {
                Value::Namespace(ns) if ns == "alembic" && attr.name == "op" => Some(Value::Namespace("op".into())),
                _ => None,
            },
            _ => None,
        }
    }

    /// `op.<name>(...)` or `<batch_op>.<name>(...)`: who, which op, and the arguments.
    fn op_call<'e>(&self, expr: &'e Expr, scope: &Scope) -> Option<(Receiver, &'e str, &'e [Argument], String)> {
        let ExprKind::Call { func, arguments } = &expr.kind else { return None };
        let ExprKind::Attribute { value, attr } = &func.kind else { return None };
        let receiver = match self.peek(value, scope)? {
            Value::Namespace(ns) if ns == "op" => Receiver::Op,
            Value::BatchOperations(table) => Receiver::Batch(table),
            _ => return None,
        };
        let written = format!("{}.{}", self.eval.text(value), attr.name);
        Some((receiver, attr.name.as_str(), arguments, written))
    }

    fn call_statement(&mut self, expr: &Expr, scope: &mut Scope, ops: &mut Vec<Op>) {
        if let Some((receiver, method, arguments, written)) = self.op_call(expr, scope) {
            if let Some((read, _)) = self.op(expr, receiver.clone(), method, arguments, written, scope) {
                self.push_ops(&receiver, read, ops);
            }
            return;
        }
        let before = self.eval.diagnostics.len();
        self.eval.eval(expr, scope);
        if self.eval.diagnostics.len() == before {
            let ExprKind::Call { func, .. } = &expr.kind else { return };
            let name = func.dotted_name().unwrap_or_else(|| snippet(self.eval.text(func)));
            self.eval.unsupported(expr.span.start, &format!("calling {name}()"), Some("only op.* calls are applied"));
        }
    }

    fn assign_statement(&mut self, stmt: &Stmt, targets: &[&Expr], value: &Expr, scope: &mut Scope, ops: &mut Vec<Op>) {
        let result = match self.op_call(value, scope) {
            // `t = op.create_table(...)` is how a table for bulk_insert is often made.
            Some((receiver, method, arguments, written)) => {
                match self.op(value, receiver.clone(), method, arguments, written, scope) {
                    Some((read, result)) => {
                        self.push_ops(&receiver, read, ops);
                        result
                    }
                    None => Value::Opaque,
                }
            }
            None => self.eval.eval(value, scope),
        };
        self.bind_targets(stmt, targets, result, scope);
    }

    /// `with op.batch_alter_table('user') as batch_op:`; `false` after a `return` in it.
    fn with_statement(
        &mut self,
        stmt: &Stmt,
        items: &[ast::WithItem],
        body: &[Stmt],
        scope: &mut Scope,
        ops: &mut Vec<Op>,
    ) -> bool {
        let batch_call = match items {
            [item] => {
                self.op_call(&item.context, scope).filter(|(r, m, ..)| *r == Receiver::Op && *m == "batch_alter_table")
            }
            _ => None,
        };
        let Some((_, _, arguments, written)) = batch_call else {
            self.eval.unsupported(stmt.span.start, "a 'with' statement other than op.batch_alter_table()", None);
            return true;
        };
        if self.batch.is_some() {
            self.eval.unsupported(stmt.span.start, "a batch_alter_table() block inside another", None);
            return true;
        }
        let item = &items[0];
        let Some(call) = self.bind_call(&item.context, &written, operation("batch_alter_table"), arguments, scope)
        else {
            return true;
        };
        let table = self.string(&call, "table_name");
        self.none_only(&call, &["schema", "partial_reordering", "copy_from", "naming_convention"]);
        self.empty_only(&call, &["table_args", "table_kwargs", "reflect_args", "reflect_kwargs"]);
        if let Some(recreate) = call.bound.get("recreate") {
            // "auto" and "always" end in the same schema; "never" would refuse most changes.
            if !matches!(recreate.value.as_str(), Some("auto" | "always")) {
                self.unsupported_arg(&call, "recreate", recreate);
            }
        }
        let Some(table) = table else { return true };
        match item.target.as_ref().map(|t| &t.kind) {
            Some(ExprKind::Name(name)) => {
                scope.insert(name.clone(), Value::BatchOperations(table.clone()));
            }
            _ => {
                self.eval.unsupported(stmt.span.start, "a batch_alter_table() block without `as batch_op`", None);
                return true;
            }
        }
        // `op.*` calls inside the block run at once, before the queued
        // `batch_op.*` ones: they go to `ops` while the block is read.
        self.batch = Some((table, Vec::new()));
        let went_on = self.block(body, scope, ops);
        if let Some((table, batch_ops)) = self.batch.take() {
            // An empty batch does nothing (Alembic renders nothing for it either).
            if !batch_ops.is_empty() {
                ops.push(Op::ModifyTable { table, ops: batch_ops, batch: true });
            }
        }
        went_on
    }

    /// Where read ops go: `batch_op.*` ones to the current batch, others to `ops`.
    fn push_ops(&mut self, receiver: &Receiver, read: Vec<Op>, ops: &mut Vec<Op>) {
        match (receiver, self.batch.as_mut()) {
            (Receiver::Batch(_), Some((_, batch_ops))) => batch_ops.extend(read),
            _ => ops.extend(read),
        }
    }

    /// Evaluates and binds an op call's arguments; `None` (reported) when they don't fit.
    fn bind_call<'e>(
        &mut self,
        call: &'e Expr,
        written: &str,
        signature: Option<&'static Signature>,
        arguments: &'e [Argument],
        scope: &Scope,
    ) -> Option<OpCall<'e>> {
        let signature = signature?;
        let Some((positional, keywords)) = self.eval.arguments(arguments, scope) else {
            self.eval.unsupported(call.span.start, &format!("*args or **kwargs in {written}()"), None);
            return None;
        };
        match bind(signature, positional, keywords) {
            Ok(bound) => Some(OpCall { name: written.to_string(), bound }),
            Err(message) => {
                self.eval.report(call.span.start, format!("TypeError: {message}"), None);
                None
            }
        }
    }

    /// Reads one op call; its ops (`create_table` with `index=True` columns
    /// gives several) and what the call returns.
    fn op(
        &mut self,
        expr: &Expr,
        receiver: Receiver,
        method: &str,
        arguments: &[Argument],
        written: String,
        scope: &Scope,
    ) -> Option<(Vec<Op>, Value)> {
        let at = expr.span.start;
        let signature = match &receiver {
            Receiver::Op => operation(method).filter(|_| method != "batch_alter_table"),
            Receiver::Batch(table) => {
                if self.batch.as_ref().map(|(t, _)| t) != Some(table) {
                    self.eval.unsupported(at, &format!("{written}() outside its batch_alter_table() block"), None);
                    return None;
                }
                batch_operation(method)
            }
        };
        let Some(signature) = signature else {
            if KNOWN_UNSUPPORTED.contains(&method) || operation(method).is_some() {
                let hint = match method {
                    "get_bind" | "get_context" => {
                        Some("the playground applies operations without running Python; use op.execute() with SQL")
                    }
                    "batch_alter_table" => Some("use it as `with op.batch_alter_table('table') as batch_op:`"),
                    _ => None,
                };
                self.eval.unsupported(at, &format!("{written}()"), hint);
            } else {
                let message = match receiver {
                    Receiver::Op => format!("AttributeError: module 'alembic.op' has no attribute '{method}'"),
                    Receiver::Batch(_) => {
                        format!("AttributeError: 'BatchOperations' object has no attribute '{method}'")
                    }
                };
                self.eval.report(at, message, None);
            }
            return None;
        };
        let call = self.bind_call(expr, &written, Some(signature), arguments, scope)?;
        let table = match &receiver {
            Receiver::Batch(table) => Some(table.clone()),
            Receiver::Op => None,
        };
        let before = self.eval.diagnostics.len();
        let result = self.build(&call, method, table);
        // An op with a problem in any argument is not applied.
        result.filter(|_| self.eval.diagnostics.len() == before)
    }

    fn build(&mut self, call: &OpCall<'_>, method: &str, batch_table: Option<String>) -> Option<(Vec<Op>, Value)> {
        // In a batch the table is the block's; otherwise the first argument names it.
        let table_arg = |reader: &mut Self, param: &str| match &batch_table {
            Some(t) => Some(t.clone()),
            None => reader.string(call, param),
        };
        let op = match method {
            "create_table" => return self.create_table(call),
            "drop_table" => {
                let table = self.string(call, "table_name");
                self.none_only(call, &["schema", "if_exists"]);
                self.dialect_options_only(call);
                Op::DropTable(Table::new(table?))
            }
            "add_column" => {
                let table = table_arg(self, "table_name");
                self.none_only(
                    call,
                    &[
                        "schema",
                        "if_not_exists",
                        "inline_references",
                        "inline_primary_key",
                        "insert_before",
                        "insert_after",
                    ],
                );
                let column = self.column(call, "column");
                Op::AddColumn { table: table?, column: column? }
            }
            "drop_column" => {
                let table = table_arg(self, "table_name");
                let column = self.string(call, "column_name");
                self.none_only(call, &["schema"]);
                self.dialect_options_only(call);
                Op::DropColumn { table: table?, column: Column::new(column?, SqlType::new(TypeName::NULLTYPE)) }
            }
            "alter_column" => {
                let table = table_arg(self, "table_name");
                Op::AlterColumn(self.alter_column(call, table)?)
            }
            "rename_table" => {
                let old = self.string(call, "old_table_name");
                let new = self.string(call, "new_table_name");
                self.none_only(call, &["schema"]);
                Op::RenameTable { old: old?, new: new? }
            }
            "create_index" => {
                let name = self.name(call, "index_name");
                let table = table_arg(self, "table_name");
                let columns = self.index_columns(call);
                let unique = self.flag(call, "unique");
                self.none_only(call, &["schema", "if_not_exists"]);
                self.dialect_options_only(call);
                let (name, name_source) = name?;
                Op::CreateIndex {
                    table: table?,
                    index: Index { name, name_source, columns: columns?, unique: unique? },
                }
            }
            "drop_index" => {
                let name = self.name(call, "index_name");
                // Without a table name Alembic still drops the index on SQLite.
                let table = match &batch_table {
                    Some(t) => Some(t.clone()),
                    None => match call.bound.value("table_name") {
                        None | Some(Value::None) => Some(String::new()),
                        Some(_) => self.string(call, "table_name"),
                    },
                };
                self.none_only(call, &["schema", "if_exists"]);
                self.dialect_options_only(call);
                let (name, name_source) = name?;
                Op::DropIndex { table: table?, index: Index { name, name_source, columns: Vec::new(), unique: false } }
            }
            "create_unique_constraint" => {
                let name = self.name(call, "constraint_name");
                let table = table_arg(self, "table_name");
                let columns = self.string_list(call, "columns");
                self.none_only(call, &["schema"]);
                self.dialect_options_only(call);
                let (name, name_source) = name?;
                Op::CreateConstraint {
                    table: table?,
                    constraint: ConstraintDef::Unique(UniqueConstraint { name, name_source, columns: columns? }),
                }
            }
            "create_foreign_key" => {
                let name = self.name(call, "constraint_name");
                let table = table_arg(self, "source_table");
                let ref_table = self.string(call, "referent_table");
                let columns = self.string_list(call, "local_cols");
                let ref_columns = self.string_list(call, "remote_cols");
                let onupdate = self.optional_string(call, "onupdate");
                let ondelete = self.optional_string(call, "ondelete");
                let initially = self.optional_string(call, "initially");
                let deferrable = self.optional_flag(call, "deferrable");
                self.none_only(call, &["match", "source_schema", "referent_schema"]);
                self.dialect_options_only(call);
                let (name, name_source) = name?;
                Op::CreateConstraint {
                    table: table?,
                    constraint: ConstraintDef::ForeignKey(ForeignKeyConstraint {
                        name,
                        name_source,
                        columns: columns?,
                        ref_table: ref_table?,
                        ref_columns: ref_columns?,
                        ondelete: ondelete?,
                        onupdate: onupdate?,
                        deferrable: deferrable?,
                        initially: initially?,
                        origin: None,
                    }),
                }
            }
            "create_check_constraint" => {
                let name = self.name(call, "constraint_name");
                let table = table_arg(self, "table_name");
                let condition = call.bound.get("condition").and_then(|arg| match &arg.value {
                    Value::Str(s) => Some(s.clone()),
                    Value::Text { sql, bindparams } if bindparams.is_empty() => Some(sql.clone()),
                    _ => {
                        self.unsupported_arg(call, "condition", arg);
                        None
                    }
                });
                self.none_only(call, &["schema"]);
                self.dialect_options_only(call);
                let (name, name_source) = name?;
                Op::CreateConstraint {
                    table: table?,
                    constraint: ConstraintDef::Check(CheckConstraint { name, name_source, sqltext: condition? }),
                }
            }
            "drop_constraint" => {
                let name = self.name(call, "constraint_name");
                let table = table_arg(self, "table_name");
                let kind = match call.bound.get("type_") {
                    None => Some(None),
                    Some(BoundArg { value: Value::None, .. }) => Some(None),
                    Some(arg) => match arg.value.as_str() {
                        Some("unique") => Some(Some(ConstraintKind::Unique)),
                        Some("foreignkey") => Some(Some(ConstraintKind::ForeignKey)),
                        Some("check") => Some(Some(ConstraintKind::Check)),
                        Some("primary") => Some(Some(ConstraintKind::PrimaryKey)),
                        _ => {
                            self.unsupported_arg(call, "type_", arg);
                            None
                        }
                    },
                };
                self.none_only(call, &["schema", "if_exists"]);
                let ((name, name_source), kind) = (name?, kind?);
                let was = convention_named(kind, name.as_deref(), name_source);
                Op::DropConstraint { table: table?, name, kind, was }
            }
            "execute" => {
                self.none_only(call, &["execution_options"]);
                let arg = call.bound.get("sqltext")?;
                Op::Execute(match &arg.value {
                    Value::Str(sql) => ExecuteArg::Sql(sql.clone()),
                    Value::Text { sql, bindparams } => {
                        ExecuteArg::Text { sql: sql.clone(), bindparams: bindparams.clone() }
                    }
                    Value::Statement(statement) => {
                        if let Some(what) = unsupported_core_part(statement) {
                            self.eval.unsupported(arg.expr.span.start, &what, Some(CORE_HINT));
                            return None;
                        }
                        ExecuteArg::Core(statement.clone())
                    }
                    // What can't be run is not applied at all (nor anything of the script).
                    _ => {
                        if !self.eval.reported_within(arg.expr) {
                            let text = snippet(self.eval.text(arg.expr));
                            let what = format!("{}({text})", call.name);
                            self.eval.unsupported(arg.expr.span.start, &what, Some(EXECUTE_HINT));
                        }
                        return None;
                    }
                })
            }
            "bulk_insert" => {
                let table = call.bound.get("table").and_then(|arg| match &arg.value {
                    Value::LightTable(t) => Some(t.clone()),
                    _ => {
                        self.unsupported_arg(call, "table", arg);
                        None
                    }
                });
                let rows = self.rows(call);
                if let Some(arg) = call.bound.get("multiinsert").filter(|a| a.value.as_bool().is_none()) {
                    self.unsupported_arg(call, "multiinsert", arg);
                }
                Op::BulkInsert { table: table?, rows: rows? }
            }
            _ => return None,
        };
        Some((vec![op], Value::None))
    }

    fn create_table(&mut self, call: &OpCall<'_>) -> Option<(Vec<Op>, Value)> {
        let name = self.string(call, "table_name");
        self.none_only(call, &["if_not_exists"]);
        let mut table = Table::new(name.clone().unwrap_or_default());
        let mut columns: Vec<ColumnValue> = Vec::new();
        let mut explicit_pk: Option<PrimaryKey> = None;
        let mut ok = name.is_some();
        for arg in &call.bound.rest {
            match &arg.value {
                Value::Column(column) => columns.push((**column).clone()),
                Value::PrimaryKey(pk) => explicit_pk = Some(pk.clone()),
                Value::Constraint(c) => table.constraints.push(c.clone()),
                _ => {
                    if !self.eval.reported_within(arg.expr) {
                        let text = snippet(self.eval.text(arg.expr));
                        self.eval.unsupported(arg.expr.span.start, &format!("{}({text})", call.name), None);
                    }
                    ok = false;
                }
            }
        }
        for (key, arg) in &call.bound.extra {
            match (key.as_str(), &arg.value) {
                ("sqlite_autoincrement", Value::Bool(b)) => table.sqlite_autoincrement = *b,
                ("comment", Value::Str(s)) => table.comment = Some(s.clone()),
                ("comment", Value::None) | ("info", _) => {}
                (key, _) if is_other_dialect_option(key) => {}
                _ => {
                    self.unsupported_arg(call, key, arg);
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        // As SQLAlchemy's Table() does: a primary key constraint marks its
        // columns (NOT NULL unless said otherwise), then each column adds the
        // unique constraint and foreign keys it asked for, after the
        // constraints given explicitly. `index=True` becomes a create_index
        // op after the table, as autogenerate writes it (and as Alembic runs it).
        let pk_columns: Vec<String> = match &explicit_pk {
            Some(pk) => pk.columns.clone(),
            None => columns.iter().filter(|c| c.column.primary_key).map(|c| c.column.name.clone()).collect(),
        };
        for value in &mut columns {
            if pk_columns.contains(&value.column.name) {
                value.column.primary_key = true;
                if !value.nullable_given {
                    value.column.nullable = false;
                }
            }
        }
        table.primary_key = PrimaryKey { name: explicit_pk.and_then(|pk| pk.name), columns: pk_columns };
        let mut indexes = Vec::new();
        for value in &mut columns {
            let column = &mut value.column;
            if column.index {
                indexes.push(Index {
                    name: Some(format!("ix_{}_{}", table.name, column.name)),
                    name_source: NameSource::Convention,
                    columns: vec![column.name.clone()],
                    unique: column.unique,
                });
            } else if column.unique {
                table.constraints.push(Constraint::Unique(UniqueConstraint {
                    name: None,
                    name_source: NameSource::None,
                    columns: vec![column.name.clone()],
                }));
            }
            // Now held by the table's lists, as in a table autogenerate makes.
            column.unique = false;
            column.index = false;
            table.constraints.extend(value.foreign_keys.iter().cloned().map(Constraint::ForeignKey));
        }
        table.columns = columns.into_iter().map(|c| c.column).collect();
        let light = LightTable {
            name: table.name.clone(),
            columns: table.columns.iter().map(|c| (c.name.clone(), Some(c.type_.clone()))).collect(),
        };
        let name = table.name.clone();
        let mut ops = vec![Op::CreateTable(table)];
        ops.extend(indexes.into_iter().map(|index| Op::CreateIndex { table: name.clone(), index }));
        Some((ops, Value::LightTable(light)))
    }

    fn alter_column(&mut self, call: &OpCall<'_>, table: Option<String>) -> Option<AlterColumn> {
        let column = self.string(call, "column_name");
        let mut alter = AlterColumn::new(table.clone().unwrap_or_default(), column.clone().unwrap_or_default());
        let mut ok = table.is_some() && column.is_some();
        for (param, arg) in &call.bound.named {
            let value = &arg.value;
            let understood = match *param {
                "table_name" | "column_name" => true,
                "nullable" => optional(value, Value::as_bool).map(|v| alter.modify_nullable = v).is_some(),
                "existing_nullable" => optional(value, Value::as_bool).map(|v| alter.existing_nullable = v).is_some(),
                "type_" => optional(value, Value::as_type).map(|v| alter.modify_type = v).is_some(),
                "existing_type" => optional(value, Value::as_type).map(|v| alter.existing_type = v).is_some(),
                "new_column_name" => {
                    optional(value, |v| v.as_str().map(str::to_string)).map(|v| alter.modify_name = v).is_some()
                }
                // `False` (the default) means "not changed", `None` "none".
                "server_default" => {
                    change(value, Value::as_server_default).map(|v| alter.modify_server_default = v).is_some()
                }
                "existing_server_default" => {
                    change(value, Value::as_server_default).map(|v| alter.existing_server_default = v).is_some()
                }
                "comment" => {
                    change(value, |v| v.as_str().map(str::to_string)).map(|v| alter.modify_comment = v).is_some()
                }
                "existing_comment" => optional(value, |v| v.as_str().map(str::to_string))
                    .map(|v| alter.existing_comment = v.map(Some))
                    .is_some(),
                "schema" | "insert_before" | "insert_after" => *value == Value::None,
                _ => false,
            };
            if !understood {
                self.unsupported_arg(call, param, arg);
                ok = false;
            }
        }
        for (key, arg) in &call.bound.extra {
            match (key.as_str(), &arg.value) {
                // Autogenerate writes it for the table's autoincrement column.
                ("autoincrement", Value::Bool(b)) => alter.autoincrement = Some(*b),
                ("autoincrement", Value::None) => {}
                // `existing_autoincrement` only informs MySQL.
                ("existing_autoincrement", _) => {}
                (key, _) if is_other_dialect_option(key) => {}
                _ => {
                    self.unsupported_arg(call, key, arg);
                    ok = false;
                }
            }
        }
        ok.then_some(alter)
    }

    // -- arguments ----------------------------------------------------------

    /// `driftlab: op.x(param=<text>) is not supported in the playground`.
    fn unsupported_arg(&mut self, call: &OpCall<'_>, param: &str, arg: &BoundArg<'_>) {
        if self.eval.reported_within(arg.expr) {
            return;
        }
        let text = snippet(self.eval.text(arg.expr));
        self.eval.unsupported(arg.expr.span.start, &format!("{}({param}={text})", call.name), None);
    }

    /// A required string argument.
    fn string(&mut self, call: &OpCall<'_>, param: &str) -> Option<String> {
        let arg = call.bound.get(param)?;
        match &arg.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                self.unsupported_arg(call, param, arg);
                None
            }
        }
    }

    /// A string or `None`; `Some(None)` when not given.
    fn optional_string(&mut self, call: &OpCall<'_>, param: &str) -> Option<Option<String>> {
        let Some(arg) = call.bound.get(param) else { return Some(None) };
        let value = optional(&arg.value, |v| v.as_str().map(str::to_string));
        if value.is_none() {
            self.unsupported_arg(call, param, arg);
        }
        value
    }

    fn optional_flag(&mut self, call: &OpCall<'_>, param: &str) -> Option<Option<bool>> {
        let Some(arg) = call.bound.get(param) else { return Some(None) };
        let value = optional(&arg.value, Value::as_bool);
        if value.is_none() {
            self.unsupported_arg(call, param, arg);
        }
        value
    }

    /// A boolean, `False` when not given.
    fn flag(&mut self, call: &OpCall<'_>, param: &str) -> Option<bool> {
        self.optional_flag(call, param).map(|v| v.unwrap_or(false))
    }

    /// A constraint or index name: a string, `op.f('...')` or `None`.
    fn name(&mut self, call: &OpCall<'_>, param: &str) -> Option<(Option<String>, NameSource)> {
        let arg = call.bound.get(param)?;
        let name = arg.value.as_name();
        if name.is_none() {
            self.unsupported_arg(call, param, arg);
        }
        name
    }

    fn string_list(&mut self, call: &OpCall<'_>, param: &str) -> Option<Vec<String>> {
        let arg = call.bound.get(param)?;
        let list = arg.value.as_str_list();
        if list.is_none() {
            self.unsupported_arg(call, param, arg);
        }
        list
    }

    /// Index entries: column names, or SQL expressions as `sa.text()` /
    /// `sa.literal_column()`.
    fn index_columns(&mut self, call: &OpCall<'_>) -> Option<Vec<String>> {
        let arg = call.bound.get("columns")?;
        let entries = match &arg.value {
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .map(|v| match v {
                    Value::Str(s) => Some(s.clone()),
                    Value::Text { sql, bindparams } if bindparams.is_empty() => Some(sql.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        if entries.is_none() {
            self.unsupported_arg(call, "columns", arg);
        }
        entries
    }

    /// A column to add: `sa.Column(...)` with nothing that would need
    /// another ALTER (a foreign key, unique, index).
    fn column(&mut self, call: &OpCall<'_>, param: &str) -> Option<Column> {
        let arg = call.bound.get(param)?;
        match &arg.value {
            Value::Column(value) => {
                let hint = if !value.foreign_keys.is_empty() {
                    Some("add the column, then the constraint with batch_op.create_foreign_key() in a batch_alter_table block")
                } else if value.column.unique {
                    Some("add the column, then the constraint with batch_op.create_unique_constraint() in a batch_alter_table block")
                } else if value.column.index {
                    Some("add the column, then the index with op.create_index()")
                } else {
                    return Some(value.column.clone());
                };
                let text = snippet(self.eval.text(arg.expr));
                self.eval.unsupported(arg.expr.span.start, &format!("{}({text})", call.name), hint);
                None
            }
            _ => {
                self.unsupported_arg(call, param, arg);
                None
            }
        }
    }

    /// `bulk_insert` rows: a list of dicts of literals.
    fn rows(&mut self, call: &OpCall<'_>) -> Option<Vec<Vec<(String, super::ops::Literal)>>> {
        let arg = call.bound.get("rows")?;
        let rows: Option<Vec<Vec<(String, super::ops::Literal)>>> = match &arg.value {
            Value::List(items) => items
                .iter()
                .map(|row| match row {
                    Value::Dict(pairs) => {
                        pairs.iter().map(|(k, v)| Some((k.as_str()?.to_string(), v.as_literal()?))).collect()
                    }
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        if rows.is_none() && !self.eval.reported_within(arg.expr) {
            let text = snippet(self.eval.text(arg.expr));
            self.eval.unsupported(
                arg.expr.span.start,
                &format!("{}(rows={text})", call.name),
                Some("write the rows as a list of dicts of None, True/False, numbers and strings"),
            );
        }
        rows
    }

    /// Parameters the playground only accepts as `None` (or absent).
    fn none_only(&mut self, call: &OpCall<'_>, params: &[&str]) {
        for param in params {
            if let Some(arg) = call.bound.get(param).filter(|a| a.value != Value::None) {
                self.unsupported_arg(call, param, arg);
            }
        }
    }

    /// Parameters the playground only accepts empty (or absent).
    fn empty_only(&mut self, call: &OpCall<'_>, params: &[&str]) {
        for param in params {
            if let Some(arg) = call.bound.get(param) {
                let empty = match &arg.value {
                    Value::Tuple(items) | Value::List(items) => items.is_empty(),
                    Value::Dict(items) => items.is_empty(),
                    Value::None => true,
                    _ => false,
                };
                if !empty {
                    self.unsupported_arg(call, param, arg);
                }
            }
        }
    }

    /// `**kw`: options of other dialects are ignored, as on a real SQLite;
    /// anything else would change what happens.
    fn dialect_options_only(&mut self, call: &OpCall<'_>) {
        for (key, arg) in &call.bound.extra {
            if !is_other_dialect_option(key) {
                self.unsupported_arg(call, key, arg);
            }
        }
    }
}

/// Whether `stmt` assigns `name` (for placing a diagnostic).
fn assigns(stmt: &Stmt, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(&e.kind, ExprKind::Name(n) if n == name);
    match &stmt.kind {
        StmtKind::Assign { targets, .. } => targets.iter().any(is_name),
        StmtKind::AnnAssign { target, .. } => is_name(target),
        _ => false,
    }
}

/// An argument that may be `None`: `Some(None)` for `None`, `None` when not understood.
fn optional<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match value {
        Value::None => Some(None),
        v => read(v).map(Some),
    }
}

/// `server_default=` / `comment=` of `alter_column`: `False` is "unchanged"
/// (`None` here), `None` is "remove" (`Some(None)`).
fn change<T>(value: &Value, read: impl Fn(&Value) -> Option<T>) -> Option<Option<Option<T>>> {
    match value {
        Value::Bool(false) => Some(None),
        v => optional(v, read).map(Some),
    }
}

/// What `drop_constraint(op.f('name'), type_=...)` says about the dropped
/// constraint: only its kind and that its name is final (columns unknown),
/// which is what writing it back with `op.f()` needs.
fn convention_named(kind: Option<ConstraintKind>, name: Option<&str>, source: NameSource) -> Option<ConstraintDef> {
    if source != NameSource::Convention {
        return None;
    }
    let name = name.map(str::to_string);
    let name_source = NameSource::Convention;
    Some(match kind? {
        ConstraintKind::Unique => ConstraintDef::Unique(UniqueConstraint { name, name_source, columns: Vec::new() }),
        ConstraintKind::ForeignKey => ConstraintDef::ForeignKey(ForeignKeyConstraint {
            name,
            name_source,
            columns: Vec::new(),
            ref_table: String::new(),
            ref_columns: Vec::new(),
            ondelete: None,
            onupdate: None,
            deferrable: None,
            initially: None,
            origin: None,
        }),
        ConstraintKind::Check => ConstraintDef::Check(CheckConstraint { name, name_source, sqltext: String::new() }),
        ConstraintKind::PrimaryKey => return None,
    })
}
