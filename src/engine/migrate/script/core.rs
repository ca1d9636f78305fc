//! SQLAlchemy Core in data migrations: `sa.table(...)` objects, their `.c`
//! columns, the expressions Python's operators and SQLAlchemy's functions
//! build on them, and `insert()` / `update()` / `delete()` statements with
//! `.where()` and `.values()`, evaluated into the [`CoreStatement`] that
//! `op.execute()` runs. Whatever of Core driftlab can't run is reported
//! where it is written, so that nothing of such a script is applied.

use super::values::{Arg, Evaluator, KeywordArg, Value};
use crate::engine::migrate::ops::{CoreExpr, CoreOperator, CoreStatement, CoreStatementKind, LightTable, Literal};
use crate::engine::python::ast::{BinaryOp, CmpOp, Expr, Identifier, UnaryOp};

/// What the playground runs of Core, for hints.
const SUPPORTED_EXPRESSIONS: &str = "columns as table.c.name, Python values, op.inline_literal(), sa.literal(), \
                                     sa.null(), sa.func.<name>(...), == != < <= > >=, + - * / %, .is_(), .is_not(), \
                                     .in_([...]), .like(), sa.and_() / & and sa.or_() / |";

const SUPPORTED_STATEMENTS: &str = "table.insert() / update() / delete() (or sa.insert(table), ...) with .where(...) \
                                    and .values(...)";

/// The SQL expression a value stands for as an operand: a Core expression
/// or a plain Python value (bound as a parameter).
fn operand(value: &Value) -> Option<CoreExpr> {
    match value {
        Value::Sql(expr) => Some(expr.clone()),
        other => other.as_literal().map(CoreExpr::Value),
    }
}

fn kind_name(kind: CoreStatementKind) -> &'static str {
    match kind {
        CoreStatementKind::Insert => "Insert",
        CoreStatementKind::Update => "Update",
        CoreStatementKind::Delete => "Delete",
    }
}

/// The first column reference in `expr` that is not a column of `table`.
fn foreign_column<'e>(expr: &'e CoreExpr, table: &LightTable) -> Option<(&'e str, &'e str)> {
    match expr {
        CoreExpr::Column { table: t, name } => {
            let known = *t == table.name && table.columns.iter().any(|(n, _)| n == name);
            (!known).then_some((t.as_str(), name.as_str()))
        }
        CoreExpr::Value(_) | CoreExpr::InlineLiteral(_) | CoreExpr::BoundLiteral(_) | CoreExpr::Null => None,
        CoreExpr::Function { args, .. } | CoreExpr::And(args) | CoreExpr::Or(args) => {
            args.iter().find_map(|a| foreign_column(a, table))
        }
        CoreExpr::Negative(inner) | CoreExpr::In { expr: inner, .. } => foreign_column(inner, table),
        CoreExpr::Binary { left, right, .. } | CoreExpr::Like { expr: left, pattern: right, .. } => {
            foreign_column(left, table).or_else(|| foreign_column(right, table))
        }
    }
}

/// `a > b` seen from `b`: how Python reflects a comparison whose left
/// operand is a plain value (`2 < t.c.id` is `t.c.id > 2`).
fn reflected(operator: CoreOperator) -> CoreOperator {
    match operator {
        CoreOperator::Lt => CoreOperator::Gt,
        CoreOperator::Le => CoreOperator::Ge,
        CoreOperator::Gt => CoreOperator::Lt,
        CoreOperator::Ge => CoreOperator::Le,
        other => other,
    }
}

impl Evaluator<'_> {
    fn core_unsupported(&mut self, at: usize, what: &str, hint: &str) -> Value {
        self.unsupported(at, what, Some(hint));
        Value::Opaque
    }

    /// `base.attr` when `base` is a Core object; `None` when it is not one.
    pub(super) fn core_attribute(&mut self, base: &Value, attr: &Identifier) -> Option<Value> {
        let at = attr.span.start;
        let name = attr.name.as_str();
        let method = || Some(Value::Method(Box::new(base.clone()), name.to_string()));
        match base {
            Value::LightTable(table) => match name {
                "c" | "columns" => Some(Value::TableColumns(table.clone())),
                "insert" | "update" | "delete" => method(),
                "name" => Some(Value::Str(table.name.clone())),
                _ => Some(self.core_unsupported(at, &format!("sa.table().{name}"), SUPPORTED_STATEMENTS)),
            },
            Value::TableColumns(table) => Some(self.table_column(at, table, name, false)),
            Value::Statement(statement) => match (statement.kind, name) {
                (CoreStatementKind::Update | CoreStatementKind::Delete, "where" | "filter") => method(),
                (CoreStatementKind::Update | CoreStatementKind::Insert, "values") => method(),
                (kind, "where" | "filter" | "values") => {
                    let kind = kind_name(kind);
                    self.report(at, format!("AttributeError: '{kind}' object has no attribute '{name}'"), None);
                    Some(Value::Opaque)
                }
                (kind, _) => {
                    let what = format!("{}().{name}()", kind_name(kind).to_lowercase());
                    Some(self.core_unsupported(at, &what, SUPPORTED_STATEMENTS))
                }
            },
            Value::Sql(_) => match name {
                "is_" | "is_not" | "isnot" | "in_" | "like" => method(),
                _ => Some(self.core_unsupported(at, &format!(".{name} of a SQL expression"), SUPPORTED_EXPRESSIONS)),
            },
            _ => None,
        }
    }

    /// `table.c.name` / `table.c['name']`: a column of the table.
    fn table_column(&mut self, at: usize, table: &LightTable, name: &str, subscript: bool) -> Value {
        if table.columns.iter().any(|(n, _)| n == name) {
            return Value::Sql(CoreExpr::Column { table: table.name.clone(), name: name.to_string() });
        }
        // The column collection raises AttributeError (KeyError for `c['x']`).
        let message = if subscript { format!("KeyError: '{name}'") } else { format!("AttributeError: {name}") };
        self.report(at, message, None);
        Value::Opaque
    }

    /// `table.c[...]` when `base` is a table's columns; `None` otherwise.
    pub(super) fn core_subscript(&mut self, index_expr: &Expr, base: &Value, index: &Value) -> Option<Value> {
        let Value::TableColumns(table) = base else { return None };
        Some(match index {
            Value::Str(name) => self.table_column(index_expr.span.start, table, name, true),
            _ => self.core_unsupported(index_expr.span.start, "this table.c[...] index", "write table.c['name']"),
        })
    }

    /// A method of a Core object called: `table.update()`,
    /// `stmt.where(...)`, `stmt.values(...)`, `column.in_([...])`, ...
    pub(super) fn core_method_call(
        &mut self,
        call: &Expr,
        receiver: Value,
        method: &str,
        args: Vec<Arg<'_>>,
        keywords: Vec<KeywordArg<'_>>,
    ) -> Value {
        let at = call.span.start;
        match receiver {
            Value::LightTable(table) => {
                if !args.is_empty() || !keywords.is_empty() {
                    let what = format!("arguments to {method}()");
                    return self.core_unsupported(at, &what, "chain .where(...) and .values(...) instead");
                }
                let kind = match method {
                    "insert" => CoreStatementKind::Insert,
                    "update" => CoreStatementKind::Update,
                    _ => CoreStatementKind::Delete,
                };
                Value::Statement(CoreStatement { kind, table, values: Vec::new(), criteria: Vec::new() })
            }
            Value::Statement(statement) => match method {
                "values" => self.statement_values(call, statement, args, keywords),
                _ => self.statement_where(call, statement, args, keywords),
            },
            Value::Sql(expr) => self.expression_method(call, expr, method, args, keywords),
            _ => Value::Opaque,
        }
    }

    /// `.where(criterion, ...)`: criteria joined with AND.
    fn statement_where(
        &mut self,
        call: &Expr,
        mut statement: CoreStatement,
        args: Vec<Arg<'_>>,
        keywords: Vec<KeywordArg<'_>>,
    ) -> Value {
        if let Some(keyword) = keywords.first() {
            let message = format!("TypeError: where() got an unexpected keyword argument '{}'", keyword.name);
            self.report(keyword.expr.span.start, message, None);
            return Value::Opaque;
        }
        if args.is_empty() {
            return self.core_unsupported(call.span.start, "an empty .where()", SUPPORTED_STATEMENTS);
        }
        let mut ok = true;
        for arg in &args {
            let Value::Sql(criterion) = &arg.value else {
                ok = false;
                if !self.reported_within(arg.expr) {
                    let what = format!("the criterion {}", self.text(arg.expr));
                    self.unsupported(arg.expr.span.start, &what, Some(SUPPORTED_EXPRESSIONS));
                }
                continue;
            };
            ok &= self.own_columns(arg.expr, &statement.table, criterion);
            statement.criteria.push(criterion.clone());
        }
        if ok {
            Value::Statement(statement)
        } else {
            Value::Opaque
        }
    }

    /// `.values(col=value, ...)` or `.values({"col": value, ...})`.
    fn statement_values(
        &mut self,
        call: &Expr,
        mut statement: CoreStatement,
        args: Vec<Arg<'_>>,
        keywords: Vec<KeywordArg<'_>>,
    ) -> Value {
        let mut entries: Vec<(String, &Value, &Expr)> = Vec::new();
        match (args.as_slice(), keywords.is_empty()) {
            ([], _) => entries.extend(keywords.iter().map(|k| (k.name.clone(), &k.value, k.expr))),
            ([arg], true) => {
                let Value::Dict(pairs) = &arg.value else {
                    let hint = "pass the values as keywords or one dict; a list of rows is a multi-row INSERT";
                    return self.core_unsupported(arg.expr.span.start, "this form of .values()", hint);
                };
                for (key, value) in pairs {
                    let key = match key {
                        Value::Str(name) => name.clone(),
                        Value::Sql(CoreExpr::Column { table, name }) if *table == statement.table.name => name.clone(),
                        _ => {
                            let hint = "write the keys as column names or table.c.name";
                            return self.core_unsupported(arg.expr.span.start, "this .values() key", hint);
                        }
                    };
                    entries.push((key, value, arg.expr));
                }
            }
            _ => {
                let hint = "pass the values as keywords or one dict";
                return self.core_unsupported(call.span.start, "this form of .values()", hint);
            }
        }
        let mut ok = true;
        for (key, value, expr) in entries {
            let Some(value) = operand(value) else {
                ok = false;
                if !self.reported_within(expr) {
                    let what = format!("the value {}", self.text(expr));
                    self.unsupported(expr.span.start, &what, Some(SUPPORTED_EXPRESSIONS));
                }
                continue;
            };
            ok &= self.own_columns(expr, &statement.table, &value);
            // A key given again keeps its place and takes the new value, as in SQLAlchemy.
            match statement.values.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => statement.values.push((key, value)),
            }
        }
        if ok {
            Value::Statement(statement)
        } else {
            Value::Opaque
        }
    }

    /// Whether every column in `expr` belongs to the statement's table
    /// (reported where `written` stands if not).
    fn own_columns(&mut self, written: &Expr, table: &LightTable, expr: &CoreExpr) -> bool {
        let Some((other_table, column)) = foreign_column(expr, table) else { return true };
        let what = format!("a column of another table ({other_table}.{column}) in a statement on {}", table.name);
        self.unsupported(written.span.start, &what, Some("use only the columns of the table the statement changes"));
        false
    }

    /// `.is_(x)`, `.is_not(x)`, `.in_([...])`, `.like(pattern, escape=...)`.
    fn expression_method(
        &mut self,
        call: &Expr,
        expr: CoreExpr,
        method: &str,
        args: Vec<Arg<'_>>,
        keywords: Vec<KeywordArg<'_>>,
    ) -> Value {
        let at = call.span.start;
        let escape = keywords.iter().find(|k| k.name == "escape");
        let known_keywords = keywords.iter().all(|k| method == "like" && k.name == "escape");
        let [arg] = args.as_slice() else {
            return self.core_unsupported(at, &format!("this call of .{method}()"), "it takes one argument");
        };
        if !known_keywords {
            return self.core_unsupported(at, &format!("these arguments to .{method}()"), SUPPORTED_EXPRESSIONS);
        }
        let expr = Box::new(expr);
        match method {
            "in_" => {
                let values = match &arg.value {
                    Value::List(items) | Value::Tuple(items) => items.iter().map(Value::as_literal).collect(),
                    _ => None,
                };
                match values {
                    Some(values) => Value::Sql(CoreExpr::In { expr, values }),
                    None => {
                        let hint = "write the values as a list of Python values";
                        self.core_unsupported(arg.expr.span.start, "this .in_() argument", hint)
                    }
                }
            }
            "like" => {
                let escape = match escape.map(|k| &k.value) {
                    None | Some(Value::None) => None,
                    Some(Value::Str(s)) => Some(s.clone()),
                    Some(_) => return self.core_unsupported(at, "this escape= of .like()", "write it as a string"),
                };
                match operand(&arg.value) {
                    Some(CoreExpr::Value(Literal::None)) => self.none_comparison(arg.expr),
                    Some(pattern) => Value::Sql(CoreExpr::Like { expr, pattern: Box::new(pattern), escape }),
                    None => self.core_unsupported(arg.expr.span.start, "this .like() pattern", SUPPORTED_EXPRESSIONS),
                }
            }
            _ => {
                let operator = if method == "is_" { CoreOperator::Is } else { CoreOperator::IsNot };
                match operand(&arg.value) {
                    Some(right) => Value::Sql(CoreExpr::Binary { left: expr, operator, right: Box::new(right) }),
                    None => {
                        let what = format!("this .{method}() argument");
                        self.core_unsupported(arg.expr.span.start, &what, SUPPORTED_EXPRESSIONS)
                    }
                }
            }
        }
    }

    /// SQLAlchemy's refusal of `<`, `LIKE`, ... with None/True/False.
    fn none_comparison(&mut self, at: &Expr) -> Value {
        self.report(
            at.span.start,
            "sqlalchemy.exc.ArgumentError: Only '=', '!=', 'is_()', 'is_not()', 'is_distinct_from()', \
             'is_not_distinct_from()' operators can be used with None/True/False",
            None,
        );
        Value::Opaque
    }

    /// `sa.update(t)`, `sa.and_(...)`, `sa.literal(x)`, `sa.null()`,
    /// `op.inline_literal(x)`, `sa.func.name(...)`; `None` for other symbols.
    pub(super) fn core_symbol_call(
        &mut self,
        call: &Expr,
        symbol: &str,
        args: &[Arg<'_>],
        keywords: &[KeywordArg<'_>],
    ) -> Option<Value> {
        let at = call.span.start;
        let plain = keywords.is_empty();
        Some(match symbol {
            "sa.update" | "sa.insert" | "sa.delete" => match (args, plain) {
                ([Arg { value: Value::LightTable(table), .. }], true) => {
                    let kind = match symbol {
                        "sa.insert" => CoreStatementKind::Insert,
                        "sa.update" => CoreStatementKind::Update,
                        _ => CoreStatementKind::Delete,
                    };
                    Value::Statement(CoreStatement {
                        kind,
                        table: table.clone(),
                        values: Vec::new(),
                        criteria: Vec::new(),
                    })
                }
                _ => self.core_unsupported(at, &format!("this call of {symbol}()"), SUPPORTED_STATEMENTS),
            },
            "sa.and_" | "sa.or_" => {
                let items: Option<Vec<CoreExpr>> = args
                    .iter()
                    .map(|a| match &a.value {
                        Value::Sql(e) => Some(e.clone()),
                        _ => None,
                    })
                    .collect();
                match items {
                    // One criterion is that criterion.
                    Some(mut items) if plain && items.len() == 1 => Value::Sql(items.remove(0)),
                    Some(items) if plain && !items.is_empty() => {
                        Value::Sql(if symbol == "sa.and_" { CoreExpr::And(items) } else { CoreExpr::Or(items) })
                    }
                    _ => {
                        if args.iter().any(|a| self.reported_within(a.expr)) {
                            return Some(Value::Opaque);
                        }
                        self.core_unsupported(at, &format!("this call of {symbol}()"), SUPPORTED_EXPRESSIONS)
                    }
                }
            }
            "sa.literal" | "op.inline_literal" => match (args, plain) {
                ([arg], true) if arg.value.as_literal().is_some() => {
                    let value = arg.value.as_literal().unwrap_or(Literal::None);
                    Value::Sql(if symbol == "sa.literal" {
                        CoreExpr::BoundLiteral(value)
                    } else {
                        CoreExpr::InlineLiteral(value)
                    })
                }
                _ => {
                    let hint = "pass one Python value (None, True/False, a number or a string) and no type_";
                    self.core_unsupported(at, &format!("this call of {symbol}()"), hint)
                }
            },
            "sa.null" if args.is_empty() && plain => Value::Sql(CoreExpr::Null),
            s if s.starts_with("sa.func.") => {
                let name = &s["sa.func.".len()..];
                let arguments: Option<Vec<CoreExpr>> = args.iter().map(|a| operand(&a.value)).collect();
                match arguments {
                    Some(args) if plain => Value::Sql(CoreExpr::Function { name: name.to_string(), args }),
                    // As a column's server default, sa.func.now(type_=...) and the like stay unknown.
                    _ => Value::Opaque,
                }
            }
            _ => return None,
        })
    }

    /// `left <op> right` (one comparison) when an operand is a SQL expression.
    pub(super) fn core_compare(&mut self, expr: &Expr, left: &Value, ops: &[CmpOp], rights: &[Value]) -> Option<Value> {
        let is_sql = |v: &Value| matches!(v, Value::Sql(_));
        if !is_sql(left) && !rights.iter().any(is_sql) {
            return None;
        }
        let at = expr.span.start;
        let ([op], [right]) = (ops, rights) else {
            let hint = "Python evaluates a < b < c as (a < b) and (b < c); write sa.and_(a < b, b < c)";
            return Some(self.core_unsupported(at, "a chained comparison of SQL expressions", hint));
        };
        let operator = match op {
            CmpOp::Eq => CoreOperator::Eq,
            CmpOp::NotEq => CoreOperator::Ne,
            CmpOp::Lt => CoreOperator::Lt,
            CmpOp::LtE => CoreOperator::Le,
            CmpOp::Gt => CoreOperator::Gt,
            CmpOp::GtE => CoreOperator::Ge,
            CmpOp::Is | CmpOp::IsNot => {
                let what = "Python's `is` on a SQL expression";
                return Some(self.core_unsupported(at, what, "write column.is_(None) or column.is_not(None)"));
            }
            CmpOp::In | CmpOp::NotIn => {
                return Some(self.core_unsupported(at, "Python's `in` on a SQL expression", "write column.in_([...])"));
            }
        };
        let (Some(left), Some(right)) = (operand(left), operand(right)) else {
            return Some(self.core_unsupported(at, "this comparison", SUPPORTED_EXPRESSIONS));
        };
        // The SQL expression ends up on the left, as Python's reflected operators put it.
        let (left, operator, right) = match (&left, &right) {
            (CoreExpr::Value(_), _) => (right, reflected(operator), left),
            _ => (left, operator, right),
        };
        let is_constant = matches!(right, CoreExpr::Value(Literal::None | Literal::Bool(_)) | CoreExpr::Null);
        if is_constant && !matches!(operator, CoreOperator::Eq | CoreOperator::Ne) {
            return Some(self.none_comparison(expr));
        }
        Some(Value::Sql(CoreExpr::Binary { left: Box::new(left), operator, right: Box::new(right) }))
    }

    /// `left <op> right` when an operand is a SQL expression: arithmetic,
    /// `&` (AND) and `|` (OR).
    pub(super) fn core_binary(&mut self, expr: &Expr, op: BinaryOp, left: &Value, right: &Value) -> Option<Value> {
        if !matches!(left, Value::Sql(_)) && !matches!(right, Value::Sql(_)) {
            return None;
        }
        let at = expr.span.start;
        let operator = match op {
            BinaryOp::Add => CoreOperator::Add,
            BinaryOp::Sub => CoreOperator::Sub,
            BinaryOp::Mult => CoreOperator::Mul,
            BinaryOp::Div => CoreOperator::Div,
            BinaryOp::Mod => CoreOperator::Mod,
            BinaryOp::BitAnd | BinaryOp::BitOr => {
                let (Value::Sql(l), Value::Sql(r)) = (left, right) else {
                    return Some(self.core_unsupported(at, "& or | with a Python value", SUPPORTED_EXPRESSIONS));
                };
                let items = vec![l.clone(), r.clone()];
                return Some(Value::Sql(if op == BinaryOp::BitAnd {
                    CoreExpr::And(items)
                } else {
                    CoreExpr::Or(items)
                }));
            }
            other => {
                let what = format!("the {} operator on a SQL expression", other.as_str());
                return Some(self.core_unsupported(at, &what, SUPPORTED_EXPRESSIONS));
            }
        };
        let (Some(left), Some(right)) = (operand(left), operand(right)) else {
            return Some(self.core_unsupported(at, "this operation", SUPPORTED_EXPRESSIONS));
        };
        Some(Value::Sql(CoreExpr::Binary { left: Box::new(left), operator, right: Box::new(right) }))
    }

    /// `-expr`, `~expr`, `not expr` on a SQL expression.
    pub(super) fn core_unary(&mut self, expr: &Expr, op: UnaryOp, operand: &Value) -> Option<Value> {
        let Value::Sql(inner) = operand else { return None };
        Some(match op {
            UnaryOp::Neg => Value::Sql(CoreExpr::Negative(Box::new(inner.clone()))),
            UnaryOp::Pos => {
                self.report(expr.span.start, "TypeError: bad operand type for unary +: 'ColumnClause'", None);
                Value::Opaque
            }
            UnaryOp::Not => {
                let hint =
                    "Python's `not` asks for the clause's truth, which SQL decides; compare instead (!=, .is_not())";
                self.core_unsupported(expr.span.start, "`not` on a SQL expression", hint)
            }
            UnaryOp::Invert => self.core_unsupported(expr.span.start, "~ on a SQL expression", SUPPORTED_EXPRESSIONS),
        })
    }

    /// Python's `and` / `or` with a SQL expression (SQLAlchemy raises
    /// `TypeError: Boolean value of this clause is not defined`).
    pub(super) fn core_bool_op(&mut self, expr: &Expr, values: &[Value]) -> Option<Value> {
        if !values.iter().any(|v| matches!(v, Value::Sql(_))) {
            return None;
        }
        let hint = "Python's `and` / `or` can't combine SQL conditions; write sa.and_(a, b) / sa.or_(a, b)";
        Some(self.core_unsupported(expr.span.start, "`and` / `or` on SQL expressions", hint))
    }
}
