//! SQLAlchemy Core INSERT / UPDATE / DELETE statements
//! (`op.execute(user.update().where(...).values(...))`) compiled as
//! SQLAlchemy 2.1's SQLite compiler compiles them: online with `?`
//! parameters whose values went through the types' bind processors, and for
//! `--sql` (the generic `env.py` sets `literal_binds=True`) with every value
//! rendered by its type's literal processor. `op.inline_literal()` values
//! are rendered inline in both modes.
//!
//! Types decide three things here, as in SQLAlchemy: the type a plain value
//! is bound as (the column it is assigned to; in a comparison the other
//! side's type when both have the same affinity, else the value's own),
//! whether `+` is `||` (strings), and how a value is sent or rendered.
//! Value/type pairs whose processing driftlab does not reproduce (dates,
//! JSON, enums, strings parsed as numbers in unusual notations, ...) are
//! reported as unsupported rather than guessed.

use rusqlite::types::Value;

use super::error::{exception, python_float_repr, python_str_repr, Chain, Failure, PythonException};
use super::sql::{literal_repr, Params, Statement};
use crate::engine::ddl::quote;
use crate::engine::migrate::ops::{CoreExpr, CoreOperator, CoreStatement, CoreStatementKind, LightTable, Literal};
use crate::engine::sqltypes::{SqlType, TypeName};

/// The statement as SQLAlchemy sends it to the driver (online).
pub(super) fn compile_online(statement: &CoreStatement) -> Result<Statement, Failure> {
    let mut compiler = Compiler::new(&statement.table, false);
    let sql = compiler.statement(statement).map_err(Stop::into_failure)?;
    let params = if compiler.params.is_empty() { Params::None } else { Params::Single(compiler.params) };
    Ok(Statement { offline: sql.clone(), sql, params })
}

/// The statement as `--sql` writes it (`literal_binds=True`).
pub(super) fn compile_offline(statement: &CoreStatement) -> Result<Statement, Failure> {
    let mut compiler = Compiler::new(&statement.table, true);
    compiler.statement(statement).map(Statement::plain).map_err(Stop::into_failure)
}

/// What of `statement` driftlab can't reproduce, online or offline, as the
/// `<what>` of `driftlab: <what> is not supported in the playground`; the
/// script reader reports it so that nothing of such a script is applied.
/// Errors SQLAlchemy itself raises are not reported here: they are the
/// migration's own failure, as under Alembic.
pub fn unsupported_part(statement: &CoreStatement) -> Option<String> {
    [false, true].into_iter().find_map(|literal_binds| {
        match Compiler::new(&statement.table, literal_binds).statement(statement) {
            Err(Stop::Unsupported(what)) => Some(what),
            _ => None,
        }
    })
}

/// Why compiling stopped.
enum Stop {
    /// SQLAlchemy raises this.
    Exception(Failure),
    /// SQLAlchemy does something here driftlab does not reproduce.
    Unsupported(String),
}

impl Stop {
    fn into_failure(self) -> Failure {
        match self {
            Stop::Exception(failure) => failure,
            Stop::Unsupported(what) => Failure::Unsupported(format!("{what} is not supported in the playground")),
        }
    }
}

type Compiled = Result<String, Stop>;

/// A SQL type as SQLAlchemy's expressions carry it; `None` is `NullType`
/// (a `sa.column()` without a type, an unknown function's result).
type ExprType = Option<SqlType>;

/// The groups of types that behave alike here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Null,
    Integer,
    String,
    /// A `String` by affinity, with its own processing.
    Enum,
    Float,
    Numeric,
    Boolean,
    Date,
    DateTime,
    Time,
    Interval,
    Json,
    Binary,
    Uuid,
}

impl Family {
    fn of(type_: &ExprType) -> Family {
        use TypeName::*;
        let Some(type_) = type_ else { return Family::Null };
        match type_.name {
            Integer | BigInteger | SmallInteger | INTEGER | BIGINT | SMALLINT => Family::Integer,
            String | Text | Unicode | UnicodeText | VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT | CLOB => Family::String,
            Enum => Family::Enum,
            Float | Double | FLOAT | REAL | DOUBLE | DOUBLE_PRECISION => Family::Float,
            Numeric | NUMERIC | DECIMAL => Family::Numeric,
            Boolean | BOOLEAN => Family::Boolean,
            Date | DATE => Family::Date,
            DateTime | DATETIME | TIMESTAMP => Family::DateTime,
            Time | TIME => Family::Time,
            Interval => Family::Interval,
            Json | JSON => Family::Json,
            LargeBinary | BLOB | BINARY | VARBINARY => Family::Binary,
            Uuid | UUID => Family::Uuid,
            NULLTYPE => Family::Null,
        }
    }

    /// SQLAlchemy's `_type_affinity`.
    fn affinity(self) -> Family {
        match self {
            Family::Enum => Family::String,
            other => other,
        }
    }

    /// The generic type SQLAlchemy makes when an expression's type is a new one.
    fn generic(self) -> ExprType {
        let name = match self {
            Family::Null => return None,
            Family::Integer => TypeName::Integer,
            Family::String | Family::Enum => TypeName::String,
            Family::Float => TypeName::Float,
            Family::Numeric => TypeName::Numeric,
            Family::Boolean => TypeName::Boolean,
            Family::Date => TypeName::Date,
            Family::DateTime => TypeName::DateTime,
            Family::Time => TypeName::Time,
            Family::Interval => TypeName::Interval,
            Family::Json => TypeName::Json,
            Family::Binary => TypeName::LargeBinary,
            Family::Uuid => TypeName::Uuid,
        };
        Some(SqlType::new(name))
    }
}

/// `str(type_)` in SQLAlchemy's messages.
fn type_text(type_: &ExprType) -> String {
    type_.as_ref().map_or_else(|| "NULL".to_string(), SqlType::sqlite_ddl)
}

/// The type SQLAlchemy gives a Python value of its own (`_resolve_value_to_type`).
fn type_of_value(value: &Literal) -> ExprType {
    match value {
        Literal::None => None,
        Literal::Bool(_) => Family::Boolean.generic(),
        Literal::Int(_) => Family::Integer.generic(),
        Literal::Float(_) => Family::Float.generic(),
        Literal::Str(_) => Family::String.generic(),
    }
}

/// `TypeEngine.coerce_compared_value`: a value compared with an expression
/// of type `other` is bound as `other` when they share an affinity.
fn coerce_compared(other: &ExprType, value: &Literal) -> ExprType {
    let own = type_of_value(value);
    if own.is_none() || Family::of(&own).affinity() == Family::of(other).affinity() {
        other.clone()
    } else {
        own
    }
}

/// SQL operators, with their precedence in SQLAlchemy (`operators._PRECEDENCE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SqlOperator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Concat,
    Neg,
    And,
    Or,
    Like,
    In,
}

impl SqlOperator {
    fn of(operator: CoreOperator) -> SqlOperator {
        match operator {
            CoreOperator::Eq => SqlOperator::Eq,
            CoreOperator::Ne => SqlOperator::Ne,
            CoreOperator::Lt => SqlOperator::Lt,
            CoreOperator::Le => SqlOperator::Le,
            CoreOperator::Gt => SqlOperator::Gt,
            CoreOperator::Ge => SqlOperator::Ge,
            CoreOperator::Is => SqlOperator::Is,
            CoreOperator::IsNot => SqlOperator::IsNot,
            CoreOperator::Add => SqlOperator::Add,
            CoreOperator::Sub => SqlOperator::Sub,
            CoreOperator::Mul => SqlOperator::Mul,
            CoreOperator::Div => SqlOperator::Div,
            CoreOperator::Mod => SqlOperator::Mod,
        }
    }

    fn precedence(self) -> i8 {
        use SqlOperator::*;
        match self {
            Mul | Div | Mod | Neg => 8,
            Add | Sub => 7,
            Concat | Eq | Ne | Lt | Le | Gt | Ge | Is | IsNot | Like | In => 5,
            And => 3,
            Or => 2,
        }
    }

    /// `(a op b) op c` needs no parentheses (`_natural_self_precedent`).
    fn is_natural_self_precedent(self) -> bool {
        matches!(self, SqlOperator::Add | SqlOperator::Mul | SqlOperator::Concat | SqlOperator::And | SqlOperator::Or)
    }

    fn is_commutative(self) -> bool {
        matches!(self, SqlOperator::Eq | SqlOperator::Ne | SqlOperator::Add | SqlOperator::Mul)
    }

    /// The text between the operands (division is the SQLite compiler's own).
    fn text(self) -> &'static str {
        use SqlOperator::*;
        match self {
            Eq => " = ",
            Ne => " != ",
            Lt => " < ",
            Le => " <= ",
            Gt => " > ",
            Ge => " >= ",
            Is => " IS ",
            IsNot => " IS NOT ",
            Add => " + ",
            Sub => " - ",
            Mul => " * ",
            Div => " / ",
            Mod => " % ",
            Concat => " || ",
            Like => " LIKE ",
            In => " IN ",
            Neg => "-",
            And => " AND ",
            Or => " OR ",
        }
    }
}

/// Where an expression stands, which decides whether it is parenthesized
/// (SQLAlchemy's `self_group(against=...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A SET / VALUES value: any operation is grouped.
    Value,
    /// An operand of this operator.
    Operand(SqlOperator),
    /// Never grouped: a lone WHERE criterion, a function argument.
    Bare,
}

impl Context {
    /// `operators.is_precedent(op, against)`.
    fn groups(self, op: SqlOperator) -> bool {
        match self {
            Context::Value => true,
            Context::Bare => false,
            Context::Operand(against) => {
                if op == against && op.is_natural_self_precedent() {
                    false
                } else {
                    op.precedence() <= against.precedence()
                }
            }
        }
    }

    fn wrap(self, op: SqlOperator, sql: String) -> String {
        if self.groups(op) {
            format!("({sql})")
        } else {
            sql
        }
    }
}

/// How an arithmetic operator's result is typed: the operand type's
/// `_expression_adaptations` for numbers, `||` for strings.
fn adapt(op: SqlOperator, left: &ExprType, right: &ExprType) -> (SqlOperator, ExprType) {
    let (left_family, right_family) = (Family::of(left), Family::of(right));
    match left_family {
        Family::Null => {
            if right_family == Family::Null || !op.is_commutative() {
                (op, left.clone())
            } else {
                adapt(op, right, left)
            }
        }
        // `Concatenable`: `+` with another string (or an untyped value) is `||`.
        Family::String | Family::Enum => {
            if op == SqlOperator::Add && matches!(right_family.affinity(), Family::String | Family::Null) {
                (SqlOperator::Concat, left.clone())
            } else {
                (op, left.clone())
            }
        }
        Family::Integer | Family::Numeric | Family::Float => {
            let other = right_family.affinity();
            let result = number_adaptation(left_family, op, other);
            let type_ = match result {
                None => left.clone(),
                // `Integer: self.__class__`: the operand's own class.
                Some(Family::Integer) if left_family == Family::Integer => {
                    if other == Family::Integer && left.as_ref().is_some_and(|t| t.name == TypeName::Integer) {
                        right.clone()
                    } else {
                        left.clone()
                    }
                }
                Some(found) if found == other => right.clone(),
                Some(found) if found == left_family => left.clone(),
                Some(found) => found.generic(),
            };
            (op, type_)
        }
        _ => (op, left.clone()),
    }
}

/// `Integer`, `Numeric` and `Float`'s `_expression_adaptations`: the type
/// of `<left family> op <other>`, `None` for "the left operand's type".
fn number_adaptation(left: Family, op: SqlOperator, other: Family) -> Option<Family> {
    use Family::*;
    use SqlOperator as Op;
    match left {
        Integer => match (op, other) {
            (Op::Add, Date) => Some(Date),
            (Op::Mul, Interval) => Some(Interval),
            (Op::Add | Op::Sub | Op::Mul, Integer) => Some(Integer),
            (Op::Div, Integer) => Some(Numeric),
            (Op::Add | Op::Sub | Op::Mul | Op::Div, Numeric) => Some(Numeric),
            (Op::Add | Op::Sub | Op::Mul | Op::Div, Float) => Some(Float),
            _ => None,
        },
        Numeric | Float => match (op, other) {
            (Op::Mul, Interval) => Some(Interval),
            (Op::Add | Op::Sub | Op::Mul | Op::Div, Integer | Numeric | Float) => Some(left),
            _ => None,
        },
        _ => None,
    }
}

/// Registered generic functions the compiler knows; others are rendered as written.
const GENERIC_FUNCTIONS: &[&str] =
    &["coalesce", "max", "min", "sum", "pow", "count", "char_length", "concat", "random"];

/// ANSI functions: rendered in capitals without parentheses.
const ANSI_FUNCTIONS: &[&str] =
    &["current_date", "current_time", "current_timestamp", "current_user", "localtime", "session_user", "user"];

/// Generic functions with a compilation of their own driftlab does not reproduce.
const UNSUPPORTED_FUNCTIONS: &[&str] = &[
    "aggregate_strings",
    "all",
    "any",
    "array_agg",
    "cast",
    "cube",
    "cume_dist",
    "dense_rank",
    "extract",
    "grouping_sets",
    "mode",
    "next_value",
    "percent_rank",
    "percentile_cont",
    "percentile_disc",
    "rank",
    "rollup",
    "some",
    "sysdate",
    "ansifunction",
    "orderedsetagg",
    "returntypefromargs",
    "returntypefromoptionalargs",
];

/// The result type of `sa.func.<name>(...)`.
fn function_type(name: &str, argument_types: &[ExprType]) -> ExprType {
    match name.to_ascii_lowercase().as_str() {
        // `ReturnTypeFromArgs`: the first argument with a type.
        "coalesce" | "max" | "min" | "sum" | "pow" => argument_types.iter().find(|t| t.is_some()).cloned().flatten(),
        "count" | "char_length" => Family::Integer.generic(),
        "concat" | "current_user" | "session_user" | "user" => Family::String.generic(),
        "now" | "current_timestamp" | "localtimestamp" | "localtime" => Family::DateTime.generic(),
        "current_date" => Family::Date.generic(),
        "current_time" => Family::Time.generic(),
        _ => None,
    }
}

struct Compiler<'t> {
    table: &'t LightTable,
    /// `--sql`: values are rendered, not bound.
    literal_binds: bool,
    /// The bound values, in the order of their `?`.
    params: Vec<Value>,
}

impl<'t> Compiler<'t> {
    fn new(table: &'t LightTable, literal_binds: bool) -> Self {
        Compiler { table, literal_binds, params: Vec::new() }
    }

    fn column_type(&self, name: &str) -> ExprType {
        self.table.columns.iter().find(|(n, _)| n == name).and_then(|(_, t)| t.clone())
    }

    fn statement(&mut self, statement: &CoreStatement) -> Compiled {
        let table = quote(&statement.table.name);
        // A key given twice keeps its first place and its last value.
        let mut values: Vec<(&str, &CoreExpr)> = Vec::new();
        for (key, value) in &statement.values {
            match values.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => values.push((key, value)),
            }
        }
        let unknown: Vec<&str> =
            values.iter().map(|(k, _)| *k).filter(|k| !self.table.columns.iter().any(|(n, _)| n == k)).collect();
        if !unknown.is_empty() {
            return Err(Stop::Exception(exception(
                "sqlalchemy.exc.CompileError",
                &format!("Unconsumed column names: {}", unknown.join(", ")),
            )));
        }
        // SQLAlchemy orders the values as the table orders its columns.
        let columns: Vec<(&str, &CoreExpr)> = self
            .table
            .columns
            .iter()
            .filter_map(|(name, _)| values.iter().find(|(k, _)| k == name).map(|(_, v)| (name.as_str(), *v)))
            .collect();
        let all_columns: Vec<String> = self.table.columns.iter().map(|(name, _)| quote(name)).collect();
        match statement.kind {
            CoreStatementKind::Insert => {
                if !statement.criteria.is_empty() {
                    return Err(Stop::Unsupported("a WHERE clause on an INSERT".into()));
                }
                if columns.is_empty() {
                    // Without values SQLAlchemy executes DEFAULT VALUES, but
                    // compiles (for `--sql`) a parameter for every column.
                    return Ok(if self.literal_binds {
                        let marks = vec!["?"; all_columns.len()].join(", ");
                        format!("INSERT INTO {table} ({}) VALUES ({marks})", all_columns.join(", "))
                    } else {
                        format!("INSERT INTO {table} DEFAULT VALUES")
                    });
                }
                let mut names = Vec::new();
                let mut sql_values = Vec::new();
                for (name, value) in columns {
                    names.push(quote(name));
                    sql_values.push(self.assigned(name, value)?);
                }
                Ok(format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), sql_values.join(", ")))
            }
            CoreStatementKind::Update => {
                let assignments = if columns.is_empty() && self.literal_binds {
                    all_columns.iter().map(|name| format!("{name}=?")).collect()
                } else {
                    let mut assignments = Vec::new();
                    for (name, value) in columns {
                        let value = self.assigned(name, value)?;
                        assignments.push(format!("{}={value}", quote(name)));
                    }
                    assignments
                };
                let mut sql = format!("UPDATE {table} SET {}", assignments.join(", "));
                sql.push_str(&self.where_clause(&statement.criteria)?);
                Ok(sql)
            }
            CoreStatementKind::Delete => {
                if !columns.is_empty() {
                    return Err(Stop::Unsupported("values on a DELETE".into()));
                }
                Ok(format!("DELETE FROM {table}{}", self.where_clause(&statement.criteria)?))
            }
        }
    }

    /// ` WHERE a AND b`: a lone criterion as it is, several each grouped against AND.
    fn where_clause(&mut self, criteria: &[CoreExpr]) -> Compiled {
        let context = if criteria.len() == 1 { Context::Bare } else { Context::Operand(SqlOperator::And) };
        let mut parts = Vec::new();
        for criterion in criteria {
            parts.push(self.expr(criterion, context)?);
        }
        Ok(if parts.is_empty() { String::new() } else { format!(" WHERE {}", parts.join(" AND ")) })
    }

    /// A SET / VALUES value: a plain value is bound as the column's type.
    fn assigned(&mut self, column: &str, value: &CoreExpr) -> Compiled {
        let type_ = self.column_type(column);
        self.operand(value, Context::Value, &type_)
    }

    /// An operand that may be a plain value, bound as `value_type`.
    fn operand(&mut self, expr: &CoreExpr, context: Context, value_type: &ExprType) -> Compiled {
        match expr {
            CoreExpr::Value(value) => self.bind(value, value_type),
            other => self.expr(other, context),
        }
    }

    /// The type of an expression (a plain value: its own).
    fn type_of(&self, expr: &CoreExpr) -> ExprType {
        match expr {
            CoreExpr::Value(value) | CoreExpr::InlineLiteral(value) | CoreExpr::BoundLiteral(value) => {
                type_of_value(value)
            }
            CoreExpr::Null => None,
            CoreExpr::Column { name, .. } => self.column_type(name),
            CoreExpr::Function { name, args } => {
                let types: Vec<ExprType> = args.iter().map(|a| self.type_of(a)).collect();
                function_type(name, &types)
            }
            CoreExpr::Negative(inner) => self.type_of(inner),
            CoreExpr::Binary { left, operator, right } => match operator {
                CoreOperator::Add | CoreOperator::Sub | CoreOperator::Mul | CoreOperator::Div | CoreOperator::Mod => {
                    let (left_type, right_type) = self.operand_types(left, right);
                    adapt(SqlOperator::of(*operator), &left_type, &right_type).1
                }
                _ => Family::Boolean.generic(),
            },
            CoreExpr::And(_) | CoreExpr::Or(_) | CoreExpr::In { .. } | CoreExpr::Like { .. } => {
                Family::Boolean.generic()
            }
        }
    }

    /// The types of a binary operation's operands; a plain value takes the
    /// other side's type (`coerce_compared_value`).
    fn operand_types(&self, left: &CoreExpr, right: &CoreExpr) -> (ExprType, ExprType) {
        match (left, right) {
            (CoreExpr::Value(value), other) => {
                let other_type = self.type_of(other);
                (coerce_compared(&other_type, value), other_type)
            }
            (other, CoreExpr::Value(value)) => {
                let other_type = self.type_of(other);
                let value_type = coerce_compared(&other_type, value);
                (other_type, value_type)
            }
            _ => (self.type_of(left), self.type_of(right)),
        }
    }

    fn expr(&mut self, expr: &CoreExpr, context: Context) -> Compiled {
        match expr {
            CoreExpr::Value(value) => {
                let own = type_of_value(value);
                self.bind(value, &own)
            }
            CoreExpr::InlineLiteral(value) => self.literal(value, &type_of_value(value)),
            CoreExpr::BoundLiteral(value) => {
                let own = type_of_value(value);
                self.bind(value, &own)
            }
            CoreExpr::Null => Ok("NULL".into()),
            CoreExpr::Column { table, name } => Ok(format!("{}.{}", quote(table), quote(name))),
            CoreExpr::Function { name, args } => self.function(name, args),
            CoreExpr::Negative(inner) => {
                let operand = self.expr(inner, Context::Operand(SqlOperator::Neg))?;
                Ok(context.wrap(SqlOperator::Neg, format!("-{operand}")))
            }
            CoreExpr::Binary { left, operator, right } => self.binary(left, *operator, right, context),
            CoreExpr::And(items) => self.conjunction(items, SqlOperator::And, context),
            CoreExpr::Or(items) => self.conjunction(items, SqlOperator::Or, context),
            CoreExpr::In { expr, values } => {
                let left = self.expr(expr, Context::Operand(SqlOperator::In))?;
                let Some(first) = values.first() else {
                    // SQLite's "empty set" expression.
                    let sql = format!("{left} IN (SELECT 1 FROM (SELECT 1) WHERE 1!=1)");
                    return Ok(context.wrap(SqlOperator::In, sql));
                };
                // One expanding parameter, typed by the first value.
                let type_ = coerce_compared(&self.type_of(expr), first);
                let mut items = Vec::new();
                for value in values {
                    items.push(self.bind(value, &type_)?);
                }
                Ok(context.wrap(SqlOperator::In, format!("{left} IN ({})", items.join(", "))))
            }
            CoreExpr::Like { expr, pattern, escape } => {
                let left = self.expr(expr, Context::Operand(SqlOperator::Like))?;
                let pattern_type = match &**pattern {
                    CoreExpr::Value(value) => coerce_compared(&self.type_of(expr), value),
                    other => self.type_of(other),
                };
                let right = self.operand(pattern, Context::Operand(SqlOperator::Like), &pattern_type)?;
                let mut sql = format!("{left} LIKE {right}");
                if let Some(escape) = escape {
                    sql.push_str(&format!(" ESCAPE {}", string_literal(escape)));
                }
                Ok(context.wrap(SqlOperator::Like, sql))
            }
        }
    }

    fn conjunction(&mut self, items: &[CoreExpr], op: SqlOperator, context: Context) -> Compiled {
        match items {
            [] => {
                Err(Stop::Unsupported(format!("an empty sa.{}_()", if op == SqlOperator::And { "and" } else { "or" })))
            }
            [one] => self.expr(one, context),
            _ => {
                let mut parts = Vec::new();
                for item in items {
                    parts.push(self.expr(item, Context::Operand(op))?);
                }
                Ok(context.wrap(op, parts.join(op.text())))
            }
        }
    }

    fn binary(&mut self, left: &CoreExpr, operator: CoreOperator, right: &CoreExpr, context: Context) -> Compiled {
        let op = SqlOperator::of(operator);
        // `== None` is `IS NULL` and `== True` a comparison with the constant
        // (`1`: SQLite has no TRUE); neither is a parameter.
        let constant = match right {
            CoreExpr::Value(Literal::None) | CoreExpr::Null => Some("NULL"),
            CoreExpr::Value(Literal::Bool(b)) => Some(if *b { "1" } else { "0" }),
            _ => None,
        };
        match (constant, operator) {
            (Some(constant), CoreOperator::Eq | CoreOperator::Ne | CoreOperator::Is | CoreOperator::IsNot) => {
                let op = match (operator, constant) {
                    (CoreOperator::Eq, "NULL") => SqlOperator::Is,
                    (CoreOperator::Ne, "NULL") => SqlOperator::IsNot,
                    _ => op,
                };
                let left = self.expr(left, Context::Operand(op))?;
                return Ok(context.wrap(op, format!("{left}{}{constant}", op.text())));
            }
            // SQLAlchemy raises ArgumentError building it (the script reader reports that).
            (Some(constant), CoreOperator::Lt | CoreOperator::Le | CoreOperator::Gt | CoreOperator::Ge) => {
                return Err(Stop::Unsupported(format!("comparing with {constant} by {}", op.text().trim())));
            }
            _ => {}
        }
        if [left, right].iter().any(|e| matches!(e, CoreExpr::Value(Literal::None))) {
            // SQLAlchemy renders NULL with a warning (`SAWarning: Bound parameter ... rendering literal NULL`).
            return Err(Stop::Unsupported("None in an arithmetic operation".into()));
        }
        let (left_type, right_type) = self.operand_types(left, right);
        let op = if is_arithmetic(operator) { adapt(op, &left_type, &right_type).0 } else { op };
        let left_sql = self.operand(left, Context::Operand(op), &left_type)?;
        let right_sql = self.operand(right, Context::Operand(op), &right_type)?;
        let sql = if op == SqlOperator::Div {
            // The SQLite compiler's true division: `a / (b + 0.0)`.
            format!("{left_sql} / ({right_sql} + 0.0)")
        } else {
            format!("{left_sql}{}{right_sql}", op.text())
        };
        Ok(context.wrap(op, sql))
    }

    fn function(&mut self, name: &str, args: &[CoreExpr]) -> Compiled {
        let lower = name.to_ascii_lowercase();
        if UNSUPPORTED_FUNCTIONS.contains(&lower.as_str()) {
            return Err(Stop::Unsupported(format!("sa.func.{name}()")));
        }
        let no_arguments = |sql: &str| {
            if args.is_empty() {
                Ok(sql.to_string())
            } else {
                Err(Stop::Unsupported(format!("arguments to sa.func.{name}()")))
            }
        };
        match lower.as_str() {
            "now" => return no_arguments("CURRENT_TIMESTAMP"),
            "localtimestamp" => return no_arguments("DATETIME(CURRENT_TIMESTAMP, 'localtime')"),
            ansi if ANSI_FUNCTIONS.contains(&ansi) => return no_arguments(&ansi.to_ascii_uppercase()),
            "count" if args.is_empty() => return Ok("count(*)".into()),
            _ => {}
        }
        let mut rendered = Vec::new();
        for arg in args {
            rendered.push(match arg {
                // A None argument is SQL NULL, not a parameter.
                CoreExpr::Value(Literal::None) => "NULL".to_string(),
                other => self.expr(other, Context::Bare)?,
            });
        }
        let shown = if lower == "char_length" {
            // The SQLite compiler's name for it.
            "length"
        } else if GENERIC_FUNCTIONS.contains(&lower.as_str()) {
            lower.as_str()
        } else {
            name
        };
        Ok(format!("{shown}({})", rendered.join(", ")))
    }

    /// A bound value: `?` online (the value as the driver gets it), the
    /// literal with `--sql`.
    fn bind(&mut self, value: &Literal, type_: &ExprType) -> Compiled {
        if self.literal_binds {
            return self.literal(value, type_);
        }
        self.params.push(sent(value, type_)?);
        Ok("?".into())
    }

    /// `render_literal_value`: the value through its type's literal processor.
    fn literal(&self, value: &Literal, type_: &ExprType) -> Compiled {
        if *value == Literal::None {
            return Ok("NULL".into());
        }
        let cannot_render = |cause: PythonException| {
            Stop::Exception(Failure::Exception(vec![
                cause,
                PythonException {
                    chain: Chain::DirectCause,
                    text: format!(
                        "sqlalchemy.exc.CompileError: Could not render literal value \"{}\" with datatype {}; see \
                         parent stack trace for more detail.",
                        literal_repr(value),
                        type_text(type_)
                    ),
                },
            ]))
        };
        let not_reproduced =
            || Stop::Unsupported(format!("rendering {} as a {} literal", literal_repr(value), type_text(type_)));
        match Family::of(type_) {
            Family::Null => Err(Stop::Exception(exception(
                "sqlalchemy.exc.CompileError",
                &format!(
                    "No literal value renderer is available for literal value \"{}\" with datatype NULL",
                    literal_repr(value)
                ),
            ))),
            Family::String => match value {
                Literal::Str(s) => Ok(string_literal(s)),
                other => Err(cannot_render(PythonException {
                    chain: Chain::DirectCause,
                    text: format!("AttributeError: '{}' object has no attribute 'replace'", python_type_name(other)),
                })),
            },
            // `str(int(value))`
            Family::Integer => match value {
                Literal::Int(n) => Ok(n.to_string()),
                Literal::Bool(b) => Ok(i32::from(*b).to_string()),
                Literal::Float(f) if f.is_finite() && f.abs() < 1e30 => Ok((f.trunc() as i128).to_string()),
                Literal::Str(s) => match python_int(s) {
                    Some(Ok(n)) => Ok(n.to_string()),
                    Some(Err(())) => Err(cannot_render(PythonException {
                        chain: Chain::DirectCause,
                        text: format!("ValueError: invalid literal for int() with base 10: {}", python_str_repr(s)),
                    })),
                    None => Err(not_reproduced()),
                },
                _ => Err(not_reproduced()),
            },
            // `decimal.Decimal(value)` to validate, then `str(value)`.
            Family::Float | Family::Numeric => match value {
                Literal::Int(n) => Ok(n.to_string()),
                Literal::Float(f) if f.is_finite() => Ok(python_float_repr(*f)),
                Literal::Bool(b) => Ok(if *b { "True" } else { "False" }.into()),
                Literal::Str(s) if is_plain_decimal(s) => Ok(s.clone()),
                _ => Err(not_reproduced()),
            },
            Family::Boolean => match strict_bool(value) {
                Some(b) => Ok(if b { "1" } else { "0" }.into()),
                None => Err(not_reproduced()),
            },
            _ => Err(not_reproduced()),
        }
    }
}

fn is_arithmetic(operator: CoreOperator) -> bool {
    matches!(
        operator,
        CoreOperator::Add | CoreOperator::Sub | CoreOperator::Mul | CoreOperator::Div | CoreOperator::Mod
    )
}

/// A string literal as the SQLite dialect renders it (quotes doubled).
fn string_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn python_type_name(value: &Literal) -> &'static str {
    match value {
        Literal::None => "NoneType",
        Literal::Bool(_) => "bool",
        Literal::Int(_) => "int",
        Literal::Float(_) => "float",
        Literal::Str(_) => "str",
    }
}

/// Python's `int(s)`: `Some(Err)` for a `ValueError`, `None` for notations
/// driftlab does not reproduce (underscores, non-ASCII digits, huge numbers).
fn python_int(s: &str) -> Option<Result<i128, ()>> {
    let trimmed = s.trim();
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed.parse::<i128>().ok().map(Ok);
    }
    if trimmed.contains('_') || !trimmed.is_ascii() {
        return None;
    }
    Some(Err(()))
}

/// A number written as `float()` and `Decimal()` both read it, the same way.
fn is_plain_decimal(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// `Boolean._strict_as_bool`: `None`, `True`, `False` (and what equals them).
fn strict_bool(value: &Literal) -> Option<bool> {
    match value {
        Literal::Bool(b) => Some(*b),
        Literal::Int(0) => Some(false),
        Literal::Int(1) => Some(true),
        Literal::Float(f) if *f == 0.0 => Some(false),
        Literal::Float(f) if *f == 1.0 => Some(true),
        _ => None,
    }
}

/// The value the driver gets: the type's bind processor applied (numbers
/// become floats for `Float`/`Numeric`, booleans integers).
fn sent(value: &Literal, type_: &ExprType) -> Result<Value, Stop> {
    let not_reproduced =
        || Stop::Unsupported(format!("sending {} as a {} value", literal_repr(value), type_text(type_)));
    if *value == Literal::None {
        return Ok(Value::Null);
    }
    match Family::of(type_) {
        Family::Null | Family::Integer | Family::String => Ok(super::sql::bind_value(value)),
        Family::Float | Family::Numeric => match value {
            Literal::Int(n) => Ok(Value::Real(*n as f64)),
            Literal::Float(f) => Ok(Value::Real(*f)),
            Literal::Bool(b) => Ok(Value::Real(if *b { 1.0 } else { 0.0 })),
            Literal::Str(s) if is_plain_decimal(s) => s.trim().parse().map(Value::Real).map_err(|_| not_reproduced()),
            _ => Err(not_reproduced()),
        },
        Family::Boolean => strict_bool(value).map(|b| Value::Integer(i64::from(b))).ok_or_else(not_reproduced),
        _ => Err(not_reproduced()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sqltypes::TypeName;

    fn user() -> LightTable {
        LightTable {
            name: "user".into(),
            columns: vec![
                ("id".into(), Some(SqlType::new(TypeName::Integer))),
                ("name".into(), Some(SqlType::new(TypeName::String))),
                ("role".into(), Some(SqlType::new(TypeName::String))),
            ],
        }
    }

    fn column(name: &str) -> CoreExpr {
        CoreExpr::Column { table: "user".into(), name: name.into() }
    }

    fn binary(left: CoreExpr, operator: CoreOperator, right: CoreExpr) -> CoreExpr {
        CoreExpr::Binary { left: Box::new(left), operator, right: Box::new(right) }
    }

    fn text(literal: &str) -> Literal {
        Literal::Str(literal.into())
    }

    #[test]
    fn b14_update_is_rendered_inline_in_both_modes() {
        let statement = CoreStatement {
            kind: CoreStatementKind::Update,
            table: user(),
            values: vec![("role".into(), CoreExpr::InlineLiteral(text("editor")))],
            criteria: vec![binary(column("name"), CoreOperator::Eq, CoreExpr::InlineLiteral(text("bob")))],
        };
        let online = compile_online(&statement).unwrap();
        assert_eq!(online.sql, "UPDATE user SET role='editor' WHERE user.name = 'bob'");
        assert_eq!(online.params, Params::None);
        let offline = compile_offline(&statement).unwrap();
        assert_eq!(offline.offline_text(), "UPDATE user SET role='editor' WHERE user.name = 'bob';");
    }

    #[test]
    fn values_follow_the_table_order_and_binds_the_text_order() {
        let statement = CoreStatement {
            kind: CoreStatementKind::Update,
            table: user(),
            values: vec![
                ("role".into(), CoreExpr::Value(text("x"))),
                ("name".into(), binary(column("name"), CoreOperator::Add, CoreExpr::Value(text("!")))),
            ],
            criteria: vec![
                CoreExpr::Or(vec![
                    binary(column("id"), CoreOperator::Eq, CoreExpr::Value(Literal::Int(1))),
                    binary(column("role"), CoreOperator::Eq, CoreExpr::Value(Literal::None)),
                ]),
                binary(
                    binary(
                        column("id"),
                        CoreOperator::Sub,
                        binary(column("id"), CoreOperator::Sub, CoreExpr::Value(Literal::Int(1))),
                    ),
                    CoreOperator::Gt,
                    CoreExpr::Value(Literal::Int(0)),
                ),
            ],
        };
        let online = compile_online(&statement).unwrap();
        assert_eq!(
            online.sql,
            "UPDATE user SET name=(user.name || ?), role=? WHERE (user.id = ? OR user.role IS NULL) AND user.id - \
             (user.id - ?) > ?"
        );
        assert_eq!(
            online.params,
            Params::Single(vec![
                Value::Text("!".into()),
                Value::Text("x".into()),
                Value::Integer(1),
                Value::Integer(1),
                Value::Integer(0)
            ])
        );
    }

    #[test]
    fn literal_processors_fail_as_sqlalchemy_fails() {
        let statement = CoreStatement {
            kind: CoreStatementKind::Update,
            table: user(),
            values: vec![("name".into(), CoreExpr::Value(Literal::Int(5)))],
            criteria: vec![],
        };
        assert_eq!(compile_online(&statement).unwrap().sql, "UPDATE user SET name=?");
        let Err(Failure::Exception(chain)) = compile_offline(&statement) else { panic!("expected an exception") };
        assert_eq!(chain[0].text, "AttributeError: 'int' object has no attribute 'replace'");
        assert!(chain[1]
            .text
            .starts_with("sqlalchemy.exc.CompileError: Could not render literal value \"5\" with datatype VARCHAR;"));
        assert_eq!(unsupported_part(&statement), None);
    }

    #[test]
    fn numbers_in_strings_are_read_as_python_reads_them() {
        assert_eq!(python_int(" -007 "), Some(Ok(-7)));
        assert_eq!(python_int("1.5"), Some(Err(())));
        assert_eq!(python_int("1_000"), None);
        assert!(is_plain_decimal("1.5e3") && is_plain_decimal(".5") && is_plain_decimal("7."));
        assert!(!is_plain_decimal("abc") && !is_plain_decimal(".") && !is_plain_decimal("1e"));
    }
}
