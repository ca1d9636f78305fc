//! The values a revision script builds before it hands them to `op.*`:
//! Python literals, the SQLAlchemy objects migrations use (`sa.Column`,
//! `sa.String(50)`, `sa.ForeignKeyConstraint`, `sa.text(...)`, `sa.table(...)`
//! and the Core statements built on it, see [`super::core`]) and `op.f()`
//! names, evaluated without a Python interpreter. What can't be
//! known without running Python becomes `Value::Opaque`; it is only an error
//! where an op needs it.

use std::collections::BTreeMap;

use crate::engine::metadata::{
    CheckConstraint, Column, Constraint, ForeignKeyConstraint, NameSource, PrimaryKey, ServerDefault, UniqueConstraint,
};
use crate::engine::migrate::ops::{CoreExpr, CoreStatement, LightTable, Literal};
use crate::engine::models::Diagnostic;
use crate::engine::python::ast::{Argument, ArgumentKind, BinaryOp, Expr, ExprKind, UnaryOp};
use crate::engine::python::lexer::NumberKind;
use crate::engine::python::LineIndex;
use crate::engine::sqltypes::{EnumSpec, SqlType, TypeName};

/// Names visible to the code being read.
pub(super) type Scope = BTreeMap<String, Value>;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// An imported module or namespace: `op`, `sa`, `sa.func`, `sa.dialects`, `sqlite`.
    Namespace(String),
    /// A class or function by qualified name: `sa.String`, `sa.text`, `op.f`.
    Symbol(String),
    /// `obj.method`, waiting to be called (`sa.text(...).bindparams`).
    Method(Box<Value>, String),
    /// The `as` name of `with op.batch_alter_table('user') as batch_op:`.
    BatchOperations(String),
    Type(SqlType),
    Column(Box<ColumnValue>),
    ForeignKey(Box<ForeignKeyConstraint>),
    PrimaryKey(PrimaryKey),
    Constraint(Constraint),
    /// `op.f('ix_user_email')`: a name final as written (a convention's).
    ConvName(String),
    /// `sa.text(sql)`, with `.bindparams(...)` when they are literals.
    Text {
        sql: String,
        bindparams: Vec<(String, Literal)>,
    },
    ServerDefault(ServerDefault),
    LightTable(LightTable),
    LightColumn(String, Option<SqlType>),
    /// `table.c`: the columns of a `sa.table(...)`.
    TableColumns(LightTable),
    /// A SQL expression of SQLAlchemy Core: `table.c.name`, `table.c.n + 1`,
    /// `table.c.name == 'bob'`, `sa.func.upper(...)`, `op.inline_literal(x)`.
    Sql(CoreExpr),
    /// `table.update().where(...).values(...)` (or an insert, a delete).
    Statement(CoreStatement),
    /// A function the script defines itself.
    Function(String),
    /// Known only when Python runs.
    Opaque,
}

/// `sa.Column(...)` with what SQLAlchemy derives from its arguments when
/// the column joins a table.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ColumnValue {
    pub column: Column,
    /// `nullable=` given: otherwise a primary key column becomes NOT NULL.
    pub nullable_given: bool,
    /// `sa.ForeignKey(...)` arguments, as constraints on this column.
    pub foreign_keys: Vec<ForeignKeyConstraint>,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A constraint or index name: `'x'`, `op.f('x')` or `None`.
    pub fn as_name(&self) -> Option<(Option<String>, NameSource)> {
        match self {
            Value::None => Some((None, NameSource::None)),
            Value::Str(s) => Some((Some(s.clone()), NameSource::Explicit)),
            Value::ConvName(s) => Some((Some(s.clone()), NameSource::Convention)),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            _ => None,
        }
    }

    pub fn as_u32(&self) -> Option<u32> {
        match self {
            Value::Int(i) => u32::try_from(*i).ok(),
            _ => None,
        }
    }

    /// A list or tuple of strings.
    pub fn as_str_list(&self) -> Option<Vec<String>> {
        match self {
            Value::List(items) | Value::Tuple(items) => items.iter().map(|v| v.as_str().map(str::to_string)).collect(),
            _ => None,
        }
    }

    /// A column type: an instance (`sa.String(50)`) or a class (`sa.String`).
    pub fn as_type(&self) -> Option<SqlType> {
        match self {
            Value::Type(t) => Some(t.clone()),
            Value::Symbol(s) => type_name_of_symbol(s).map(SqlType::new),
            _ => None,
        }
    }

    /// A Python literal, as bulk inserts and bind parameters take them.
    pub fn as_literal(&self) -> Option<Literal> {
        Some(match self {
            Value::None => Literal::None,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Int(i) => Literal::Int(*i),
            Value::Float(f) => Literal::Float(*f),
            Value::Str(s) => Literal::Str(s.clone()),
            _ => return None,
        })
    }

    /// A `server_default=` value: a string, `sa.text(...)`, a SQL function.
    pub fn as_server_default(&self) -> Option<ServerDefault> {
        match self {
            Value::Str(s) => Some(ServerDefault::Literal(s.clone())),
            Value::Text { sql, bindparams } if bindparams.is_empty() => Some(ServerDefault::Text(sql.clone())),
            Value::ServerDefault(d) => Some(d.clone()),
            Value::Sql(CoreExpr::Function { name, args }) if args.is_empty() => sql_function(name)
                .map(|sql| ServerDefault::Function { python: format!("sa.func.{name}()"), sql: sql.to_string() }),
            _ => None,
        }
    }
}

/// The type class a qualified symbol names (`sa.String`, `sqlite.JSON`).
pub(super) fn type_name_of_symbol(symbol: &str) -> Option<TypeName> {
    match symbol {
        // `sa.JSON` is the generic type; reflection gives SQLite's own JSON.
        "sa.JSON" => Some(TypeName::Json),
        "sqlite.JSON" => Some(TypeName::JSON),
        "sa.NullType" => Some(TypeName::NULLTYPE),
        _ => TypeName::from_python_name(symbol.strip_prefix("sa.")?),
    }
}

/// What `from MODULE import NAME` binds.
pub(super) fn imported_name(module: &str, name: &str) -> Value {
    match module {
        "alembic" if name == "op" => Value::Namespace("op".into()),
        "sqlalchemy"
        | "sqlalchemy.sql"
        | "sqlalchemy.sql.expression"
        | "sqlalchemy.types"
        | "sqlalchemy.schema"
        | "sqlalchemy.sql.sqltypes"
        | "sqlalchemy.sql.schema" => sa_attribute(name),
        "sqlalchemy.dialects" if name == "sqlite" => Value::Namespace("sqlite".into()),
        "sqlalchemy.dialects.sqlite" => Value::Symbol(format!("sqlite.{name}")),
        _ => Value::Opaque,
    }
}

/// What `import MODULE` (as `bound`) binds.
pub(super) fn imported_module(module: &str, aliased: bool) -> Value {
    match module {
        "sqlalchemy" => Value::Namespace("sa".into()),
        "alembic" if !aliased => Value::Namespace("alembic".into()),
        "alembic.op" if aliased => Value::Namespace("op".into()),
        "sqlalchemy.dialects.sqlite" if aliased => Value::Namespace("sqlite".into()),
        _ => Value::Opaque,
    }
}

/// `sa.<name>`: sub-namespaces are folded into `sa` (`sa.types.String` is `sa.String`).
fn sa_attribute(name: &str) -> Value {
    match name {
        "func" => Value::Namespace("sa.func".into()),
        "types" | "sql" | "schema" | "expression" | "sqltypes" => Value::Namespace("sa".into()),
        "dialects" => Value::Namespace("sa.dialects".into()),
        _ => Value::Symbol(format!("sa.{name}")),
    }
}

/// The SQL a `sa.func.<name>()` server default compiles to on SQLite.
fn sql_function(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "now" | "current_timestamp" => "CURRENT_TIMESTAMP",
        "current_date" => "CURRENT_DATE",
        "current_time" => "CURRENT_TIME",
        _ => return None,
    })
}

/// Python-side column options: they change nothing in the database.
const IGNORED_COLUMN_KEYWORDS: &[&str] =
    &["default", "onupdate", "server_onupdate", "doc", "info", "key", "quote", "insert_default", "sort_order"];

/// An evaluated call argument and where it was written.
pub(super) struct Arg<'e> {
    pub value: Value,
    pub expr: &'e Expr,
}

pub(super) struct KeywordArg<'e> {
    pub name: String,
    pub value: Value,
    pub expr: &'e Expr,
}

/// Evaluates expressions of one file and collects what is wrong with them.
pub(super) struct Evaluator<'s> {
    pub path: String,
    pub src: &'s str,
    pub index: LineIndex<'s>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each diagnostic points (byte offsets), to avoid reporting an
    /// argument that already had its own problem reported.
    reported_at: Vec<usize>,
}

impl<'s> Evaluator<'s> {
    pub fn new(path: &str, src: &'s str) -> Self {
        Evaluator {
            path: path.to_string(),
            src,
            index: LineIndex::new(src),
            diagnostics: Vec::new(),
            reported_at: Vec::new(),
        }
    }

    pub fn report(&mut self, offset: usize, message: impl Into<String>, hint: Option<&str>) {
        self.reported_at.push(offset);
        let position = self.index.line_col(offset);
        self.diagnostics.push(Diagnostic {
            file: self.path.clone(),
            line: position.line,
            col: position.col,
            message: message.into(),
            hint: hint.map(str::to_string),
        });
    }

    /// Whether something inside `expr` was reported already.
    pub fn reported_within(&self, expr: &Expr) -> bool {
        self.reported_at.iter().any(|&at| (expr.span.start..expr.span.end.max(expr.span.start + 1)).contains(&at))
    }

    /// `driftlab: <what> is not supported in the playground`.
    pub fn unsupported(&mut self, offset: usize, what: &str, hint: Option<&str>) {
        self.report(offset, format!("driftlab: {what} is not supported in the playground"), hint);
    }

    /// The source text of an expression, as written.
    pub fn text(&self, expr: &Expr) -> &'s str {
        expr.span.text(self.src)
    }

    pub fn eval(&mut self, expr: &Expr, scope: &Scope) -> Value {
        match &expr.kind {
            ExprKind::Str(literal) if !literal.is_format() && !literal.is_bytes() => Value::Str(literal.value()),
            ExprKind::Number(n) => match n.kind {
                NumberKind::Integer => n.as_i64().map_or(Value::Opaque, Value::Int),
                NumberKind::Float => n.text.replace('_', "").parse().map_or(Value::Opaque, Value::Float),
                _ => Value::Opaque,
            },
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Name(name) => match scope.get(name) {
                Some(value) => value.clone(),
                None if is_builtin(name) => Value::Symbol(format!("builtins.{name}")),
                None => {
                    self.report(expr.span.start, format!("NameError: name '{name}' is not defined"), None);
                    Value::Opaque
                }
            },
            ExprKind::Attribute { value, attr } => {
                let base = self.eval(value, scope);
                match self.core_attribute(&base, attr) {
                    Some(value) => value,
                    None => attribute(base, &attr.name),
                }
            }
            ExprKind::Call { func, arguments } => {
                let callee = self.eval(func, scope);
                self.call(expr, callee, arguments, scope)
            }
            ExprKind::List(items) => Value::List(items.iter().map(|e| self.eval(e, scope)).collect()),
            ExprKind::Tuple { elements, .. } => Value::Tuple(elements.iter().map(|e| self.eval(e, scope)).collect()),
            ExprKind::Dict(items) => {
                let mut pairs = Vec::new();
                for item in items {
                    let value = self.eval(&item.value, scope);
                    match &item.key {
                        Some(key) => pairs.push((self.eval(key, scope), value)),
                        None => return Value::Opaque,
                    }
                }
                Value::Dict(pairs)
            }
            ExprKind::UnaryOp { op, operand } => {
                let operand = self.eval(operand, scope);
                if let Some(sql) = self.core_unary(expr, *op, &operand) {
                    return sql;
                }
                match (op, operand) {
                    (UnaryOp::Neg, Value::Int(i)) => Value::Int(-i),
                    (UnaryOp::Neg, Value::Float(f)) => Value::Float(-f),
                    _ => Value::Opaque,
                }
            }
            ExprKind::BinOp { left, op, right } => {
                let (left, right) = (self.eval(left, scope), self.eval(right, scope));
                if let Some(sql) = self.core_binary(expr, *op, &left, &right) {
                    return sql;
                }
                match (op, left, right) {
                    (BinaryOp::Add, Value::Str(a), Value::Str(b)) => Value::Str(a + &b),
                    _ => Value::Opaque,
                }
            }
            ExprKind::Compare { left, ops, comparators } => {
                let left = self.eval(left, scope);
                let rights: Vec<Value> = comparators.iter().map(|c| self.eval(c, scope)).collect();
                self.core_compare(expr, &left, ops, &rights).unwrap_or(Value::Opaque)
            }
            ExprKind::BoolOp { values, .. } => {
                let values: Vec<Value> = values.iter().map(|v| self.eval(v, scope)).collect();
                self.core_bool_op(expr, &values).unwrap_or(Value::Opaque)
            }
            ExprKind::Subscript { value, index } => {
                let (base, key) = (self.eval(value, scope), self.eval(index, scope));
                self.core_subscript(index, &base, &key).unwrap_or(Value::Opaque)
            }
            _ => {
                self.check_names(expr, scope);
                Value::Opaque
            }
        }
    }

    /// Reports undefined names in an expression that is otherwise not
    /// evaluated (Python would still raise `NameError` running it).
    fn check_names(&mut self, expr: &Expr, scope: &Scope) {
        match &expr.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Call { .. } => {
                self.eval(expr, scope);
            }
            ExprKind::BinOp { left, right, .. } => {
                self.check_names(left, scope);
                self.check_names(right, scope);
            }
            ExprKind::UnaryOp { operand, .. } => self.check_names(operand, scope),
            ExprKind::Compare { left, comparators, .. } => {
                self.check_names(left, scope);
                for c in comparators {
                    self.check_names(c, scope);
                }
            }
            ExprKind::BoolOp { values, .. } => {
                for v in values {
                    self.check_names(v, scope);
                }
            }
            ExprKind::Subscript { value, index } => {
                self.check_names(value, scope);
                self.check_names(index, scope);
            }
            _ => {}
        }
    }

    /// Evaluates call arguments; `None` when `*args` / `**kwargs` make them unknowable.
    pub fn arguments<'e>(
        &mut self,
        arguments: &'e [Argument],
        scope: &Scope,
    ) -> Option<(Vec<Arg<'e>>, Vec<KeywordArg<'e>>)> {
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        let mut knowable = true;
        for argument in arguments {
            match &argument.kind {
                ArgumentKind::Positional(expr) => positional.push(Arg { value: self.eval(expr, scope), expr }),
                ArgumentKind::Keyword { name, value } => {
                    keywords.push(KeywordArg { name: name.name.clone(), value: self.eval(value, scope), expr: value })
                }
                ArgumentKind::Unpack(expr) | ArgumentKind::UnpackMapping(expr) => {
                    self.eval(expr, scope);
                    knowable = false;
                }
            }
        }
        knowable.then_some((positional, keywords))
    }

    fn call(&mut self, call: &Expr, callee: Value, arguments: &[Argument], scope: &Scope) -> Value {
        let Some((args, keywords)) = self.arguments(arguments, scope) else { return Value::Opaque };
        match callee {
            Value::Symbol(symbol) => self.call_symbol(call, &symbol, args, keywords),
            Value::Method(receiver, method) => match (*receiver, method.as_str()) {
                (receiver @ (Value::LightTable(_) | Value::Statement(_) | Value::Sql(_)), method) => {
                    self.core_method_call(call, receiver, method, args, keywords)
                }
                (Value::Text { sql, .. }, "bindparams") if args.is_empty() => {
                    let params: Option<Vec<(String, Literal)>> =
                        keywords.iter().map(|k| k.value.as_literal().map(|v| (k.name.clone(), v))).collect();
                    match params {
                        Some(bindparams) => Value::Text { sql, bindparams },
                        None => Value::Opaque,
                    }
                }
                _ => Value::Opaque,
            },
            Value::Function(name) => {
                self.unsupported(
                    call.span.start,
                    &format!("calling {name}()"),
                    Some("write the operations out in upgrade() / downgrade() themselves"),
                );
                Value::Opaque
            }
            _ => Value::Opaque,
        }
    }

    fn call_symbol(&mut self, call: &Expr, symbol: &str, args: Vec<Arg<'_>>, keywords: Vec<KeywordArg<'_>>) -> Value {
        let keyword = |name: &str| keywords.iter().find(|k| k.name == name).map(|k| &k.value);
        if let Some(name) = type_name_of_symbol(symbol) {
            return make_type(name, &args, &keywords);
        }
        if let Some(value) = self.core_symbol_call(call, symbol, &args, &keywords) {
            return value;
        }
        match symbol {
            "op.f" | "batch_op.f" => match args.first().map(|a| &a.value) {
                Some(Value::Str(s)) => Value::ConvName(s.clone()),
                _ => Value::Opaque,
            },
            "sa.text" | "sa.literal_column" => match args.first().map(|a| &a.value) {
                Some(Value::Str(sql)) => Value::Text { sql: sql.clone(), bindparams: Vec::new() },
                _ => Value::Opaque,
            },
            "sa.false" | "sa.true" => Value::ServerDefault(ServerDefault::Boolean(symbol == "sa.true")),
            "sa.table" => {
                let Some(name) = args.first().and_then(|a| a.value.as_str()) else { return Value::Opaque };
                let mut columns = Vec::new();
                for arg in &args[1..] {
                    match &arg.value {
                        Value::LightColumn(name, type_) => columns.push((name.clone(), type_.clone())),
                        _ => return Value::Opaque,
                    }
                }
                Value::LightTable(LightTable { name: name.to_string(), columns })
            }
            "sa.column" => {
                let Some(name) = args.first().and_then(|a| a.value.as_str()) else { return Value::Opaque };
                let type_ = args.get(1).map(|a| &a.value).or_else(|| keyword("type_"));
                Value::LightColumn(name.to_string(), type_.and_then(Value::as_type))
            }
            "sa.Column" => self.make_column(call, &args, &keywords),
            "sa.ForeignKey" => {
                let Some((ref_table, ref_column)) = args.first().and_then(|a| a.value.as_str()).and_then(split_colspec)
                else {
                    return Value::Opaque;
                };
                let mut fk = foreign_key(vec![], ref_table, vec![ref_column]);
                if !apply_foreign_key_options(&mut fk, &keywords) {
                    return Value::Opaque;
                }
                Value::ForeignKey(Box::new(fk))
            }
            "sa.ForeignKeyConstraint" => {
                let columns = args.first().and_then(|a| a.value.as_str_list());
                let refs = args.get(1).and_then(|a| a.value.as_str_list());
                let (Some(columns), Some(refs)) = (columns, refs) else { return Value::Opaque };
                let targets: Option<Vec<(String, String)>> = refs.iter().map(|r| split_colspec(r)).collect();
                let Some(targets) = targets.filter(|t| !t.is_empty()) else { return Value::Opaque };
                let ref_table = targets[0].0.clone();
                let mut fk = foreign_key(columns, ref_table, targets.into_iter().map(|t| t.1).collect());
                if !apply_foreign_key_options(&mut fk, &keywords) {
                    return Value::Opaque;
                }
                Value::Constraint(Constraint::ForeignKey(fk))
            }
            "sa.PrimaryKeyConstraint" => {
                let columns: Option<Vec<String>> = args.iter().map(|a| a.value.as_str().map(str::to_string)).collect();
                let name = keyword("name").map_or(Some((None, NameSource::None)), Value::as_name);
                match (columns, name) {
                    (Some(columns), Some((name, _))) => Value::PrimaryKey(PrimaryKey { name, columns }),
                    _ => Value::Opaque,
                }
            }
            "sa.UniqueConstraint" => {
                let columns: Option<Vec<String>> = args.iter().map(|a| a.value.as_str().map(str::to_string)).collect();
                let name = keyword("name").map_or(Some((None, NameSource::None)), Value::as_name);
                let other = keywords.iter().any(|k| k.name != "name");
                match (columns, name) {
                    (Some(columns), Some((name, name_source))) if !other => {
                        Value::Constraint(Constraint::Unique(UniqueConstraint { name, name_source, columns }))
                    }
                    _ => Value::Opaque,
                }
            }
            "sa.CheckConstraint" => {
                let sqltext = match args.first().map(|a| &a.value) {
                    Some(Value::Str(s)) => s.clone(),
                    Some(Value::Text { sql, bindparams }) if bindparams.is_empty() => sql.clone(),
                    _ => return Value::Opaque,
                };
                let name = keyword("name").map_or(Some((None, NameSource::None)), Value::as_name);
                match name {
                    Some((name, name_source)) => {
                        Value::Constraint(Constraint::Check(CheckConstraint { name, name_source, sqltext }))
                    }
                    None => Value::Opaque,
                }
            }
            s if s.starts_with("op.") || s.starts_with("batch_op.") => {
                let what = format!("{s}()");
                let hint = if s.ends_with(".get_bind") || s.ends_with(".get_context") {
                    "the playground applies operations without running Python; use op.execute() with SQL"
                } else {
                    "call op.* functions as statements of their own"
                };
                self.unsupported(call.span.start, &what, Some(hint));
                Value::Opaque
            }
            _ => Value::Opaque,
        }
    }

    fn make_column(&mut self, call: &Expr, args: &[Arg<'_>], keywords: &[KeywordArg<'_>]) -> Value {
        let mut name: Option<String> = None;
        let mut type_: Option<SqlType> = None;
        let mut foreign_keys = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            match &arg.value {
                Value::Str(s) if i == 0 => name = Some(s.clone()),
                Value::ForeignKey(fk) => foreign_keys.push((**fk).clone()),
                other => match other.as_type() {
                    Some(t) if type_.is_none() => type_ = Some(t),
                    _ => {
                        if !self.reported_within(arg.expr) {
                            let text = self.text(arg.expr).to_string();
                            self.unsupported(arg.expr.span.start, &format!("sa.Column() argument {text}"), None);
                        }
                        return Value::Opaque;
                    }
                },
            }
        }
        let mut column = Column::new("", SqlType::new(TypeName::NULLTYPE));
        let mut nullable: Option<bool> = None;
        for k in keywords {
            let ok = match k.name.as_str() {
                "name" => k.value.as_str().map(|s| name = Some(s.to_string())).is_some(),
                "type_" => k.value.as_type().map(|t| type_ = Some(t)).is_some(),
                "primary_key" => k.value.as_bool().map(|b| column.primary_key = b).is_some(),
                "nullable" => k.value.as_bool().map(|b| nullable = Some(b)).is_some(),
                "unique" => k.value.as_bool().map(|b| column.unique = b).is_some() || k.value == Value::None,
                "index" => k.value.as_bool().map(|b| column.index = b).is_some() || k.value == Value::None,
                "autoincrement" => match &k.value {
                    Value::Bool(b) => {
                        column.autoincrement = Some(*b);
                        true
                    }
                    Value::Str(s) => s == "auto",
                    _ => false,
                },
                "comment" => match &k.value {
                    Value::Str(s) => {
                        column.comment = Some(s.clone());
                        true
                    }
                    Value::None => true,
                    _ => false,
                },
                "server_default" => match &k.value {
                    Value::None => true,
                    v => v.as_server_default().map(|d| column.server_default = Some(d)).is_some(),
                },
                key if IGNORED_COLUMN_KEYWORDS.contains(&key) => {
                    if key == "default" {
                        column.default = Some(self.text(k.expr).to_string());
                    }
                    true
                }
                _ => {
                    self.unsupported(k.expr.span.start, &format!("sa.Column({}=...)", k.name), None);
                    return Value::Opaque;
                }
            };
            if !ok {
                if !self.reported_within(k.expr) {
                    let text = self.text(k.expr).to_string();
                    self.unsupported(k.expr.span.start, &format!("sa.Column({}={text})", k.name), None);
                }
                return Value::Opaque;
            }
        }
        let (Some(name), Some(type_)) = (name, type_) else {
            self.unsupported(call.span.start, "a sa.Column() without a name and a type", None);
            return Value::Opaque;
        };
        column.name = name;
        column.type_ = type_;
        column.nullable = nullable.unwrap_or(!column.primary_key);
        for fk in &mut foreign_keys {
            fk.columns = vec![column.name.clone()];
        }
        Value::Column(Box::new(ColumnValue { column, nullable_given: nullable.is_some(), foreign_keys }))
    }
}

fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        "print"
            | "len"
            | "range"
            | "dict"
            | "list"
            | "tuple"
            | "set"
            | "str"
            | "int"
            | "float"
            | "bool"
            | "open"
            | "enumerate"
            | "zip"
            | "isinstance"
            | "getattr"
            | "setattr"
            | "hasattr"
            | "sorted"
            | "min"
            | "max"
            | "sum"
            | "any"
            | "all"
            | "map"
            | "filter"
            | "repr"
            | "format"
            | "object"
            | "super"
            | "type"
            | "Exception"
            | "ValueError"
            | "RuntimeError"
            | "NotImplementedError"
    )
}

/// `value.attr`.
fn attribute(base: Value, attr: &str) -> Value {
    match base {
        Value::Namespace(ns) => match ns.as_str() {
            "op" => Value::Symbol(format!("op.{attr}")),
            "alembic" if attr == "op" => Value::Namespace("op".into()),
            "sa" => sa_attribute(attr),
            "sa.dialects" if attr == "sqlite" => Value::Namespace("sqlite".into()),
            "sqlite" => Value::Symbol(format!("sqlite.{attr}")),
            "sa.func" => Value::Symbol(format!("sa.func.{attr}")),
            _ => Value::Opaque,
        },
        Value::BatchOperations(_) => Value::Symbol(format!("batch_op.{attr}")),
        Value::Text { .. } if attr == "bindparams" => Value::Method(Box::new(base), attr.to_string()),
        _ => Value::Opaque,
    }
}

/// `'user.id'` → (`user`, `id`).
fn split_colspec(spec: &str) -> Option<(String, String)> {
    let (table, column) = spec.rsplit_once('.')?;
    Some((table.to_string(), column.to_string()))
}

fn foreign_key(columns: Vec<String>, ref_table: String, ref_columns: Vec<String>) -> ForeignKeyConstraint {
    ForeignKeyConstraint {
        name: None,
        name_source: NameSource::None,
        columns,
        ref_table,
        ref_columns,
        ondelete: None,
        onupdate: None,
        deferrable: None,
        initially: None,
        origin: None,
    }
}

/// `name=`, `ondelete=`, ...; `false` when an option is not understood.
fn apply_foreign_key_options(fk: &mut ForeignKeyConstraint, keywords: &[KeywordArg<'_>]) -> bool {
    for k in keywords {
        let text = || match &k.value {
            Value::Str(s) => Some(Some(s.clone())),
            Value::None => Some(None),
            _ => None,
        };
        let ok = match k.name.as_str() {
            "name" => k.value.as_name().map(|(name, source)| {
                fk.name = name;
                fk.name_source = source;
            }),
            "ondelete" => text().map(|v| fk.ondelete = v),
            "onupdate" => text().map(|v| fk.onupdate = v),
            "initially" => text().map(|v| fk.initially = v),
            "deferrable" => match &k.value {
                Value::Bool(b) => {
                    fk.deferrable = Some(*b);
                    Some(())
                }
                Value::None => Some(()),
                _ => None,
            },
            _ => None,
        };
        if ok.is_none() {
            return false;
        }
    }
    true
}

/// A type instance from its call, e.g. `sa.Numeric(10, 2)` or `sa.Enum('a', 'b', name='x')`.
fn make_type(name: TypeName, args: &[Arg<'_>], keywords: &[KeywordArg<'_>]) -> Value {
    use TypeName::*;
    let mut t = SqlType::new(name);
    let keyword = |key: &str| keywords.iter().find(|k| k.name == key).map(|k| &k.value);
    // A parameter given by position or by keyword.
    let param = |position: usize, key: &str| args.get(position).map(|a| &a.value).or_else(|| keyword(key));
    let uint = |position: usize, key: &str| param(position, key).and_then(Value::as_u32);
    match name {
        String | Text | Unicode | UnicodeText | VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT | CLOB => {
            t.length = uint(0, "length");
            t.collation = param(1, "collation").and_then(Value::as_str).map(str::to_string);
        }
        LargeBinary | BLOB | BINARY | VARBINARY => t.length = uint(0, "length"),
        Numeric | NUMERIC | DECIMAL => {
            t.precision = uint(0, "precision");
            t.scale = uint(1, "scale");
        }
        Float | FLOAT | Double | DOUBLE | DOUBLE_PRECISION | REAL => t.precision = uint(0, "precision"),
        DateTime | DATETIME | TIMESTAMP | Time | TIME => {
            t.timezone = param(0, "timezone").and_then(Value::as_bool).unwrap_or(false);
        }
        Boolean | BOOLEAN => {
            t.create_constraint = param(0, "create_constraint").and_then(Value::as_bool).unwrap_or(false);
        }
        Enum => {
            let values: Option<Vec<std::string::String>> =
                args.iter().map(|a| a.value.as_str().map(str::to_string)).collect();
            let Some(values) = values else { return Value::Opaque };
            t.enum_spec = Some(EnumSpec {
                values,
                name: keyword("name").and_then(Value::as_str).map(str::to_string),
                class_name: None,
                length: keyword("length").and_then(Value::as_u32),
                native_enum: keyword("native_enum").and_then(Value::as_bool).unwrap_or(true),
                create_constraint: keyword("create_constraint").and_then(Value::as_bool).unwrap_or(false),
            });
        }
        _ => {}
    }
    Value::Type(t)
}
