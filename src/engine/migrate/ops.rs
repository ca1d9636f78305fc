//! The migration operation model, as Alembic's `operations/ops.py` has it.
//! The same op values are produced by autogenerate (compare), rendered into a
//! migration script, read back from a script, and applied to SQLite. Each op
//! knows its reverse, and a downgrade is derived from its upgrade.

use serde::{Deserialize, Serialize};

use crate::engine::metadata::{CheckConstraint, Column, ForeignKeyConstraint, Index, ServerDefault, Table, UniqueConstraint};
use crate::engine::sqltypes::SqlType;

/// `op.alter_column(...)`: what changes (`modify_*`) and what the column was
/// (`existing_*`, which Alembic renders so the op can be reversed and so
/// SQLite's batch mode can rebuild the column).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlterColumn {
    pub table: String,
    pub column: String,
    pub existing_type: Option<SqlType>,
    pub existing_nullable: Option<bool>,
    /// `Some(None)`: known to have no server default.
    pub existing_server_default: Option<Option<ServerDefault>>,
    pub existing_comment: Option<Option<String>>,
    pub modify_type: Option<SqlType>,
    pub modify_nullable: Option<bool>,
    /// `Some(None)`: remove the server default.
    pub modify_server_default: Option<Option<ServerDefault>>,
    pub modify_comment: Option<Option<String>>,
    /// `new_column_name=`.
    pub modify_name: Option<String>,
    /// `autoincrement=`, which autogenerate sets for the table's
    /// autoincrement column (or an explicit `autoincrement=`); not a change.
    #[serde(default)]
    pub autoincrement: Option<bool>,
}

impl AlterColumn {
    pub fn new(table: impl Into<String>, column: impl Into<String>) -> Self {
        AlterColumn { table: table.into(), column: column.into(), ..Default::default() }
    }

    /// Whether anything is modified (Alembic drops alter ops that change nothing).
    pub fn has_changes(&self) -> bool {
        self.modify_type.is_some()
            || self.modify_nullable.is_some()
            || self.modify_server_default.is_some()
            || self.modify_comment.is_some()
            || self.modify_name.is_some()
    }

    /// The reverse alteration: modified and existing values swap.
    pub fn reverse(&self) -> AlterColumn {
        let mut r = AlterColumn::new(&self.table, self.modify_name.as_deref().unwrap_or(&self.column));
        r.modify_name = self.modify_name.as_ref().map(|_| self.column.clone());
        r.autoincrement = self.autoincrement;
        r.existing_type = self.modify_type.clone().or_else(|| self.existing_type.clone());
        r.modify_type = self.modify_type.as_ref().and(self.existing_type.clone());
        r.existing_nullable = self.modify_nullable.or(self.existing_nullable);
        r.modify_nullable = self.modify_nullable.and(self.existing_nullable);
        r.existing_server_default = self.modify_server_default.clone().or_else(|| self.existing_server_default.clone());
        r.modify_server_default = self.modify_server_default.as_ref().and(self.existing_server_default.clone());
        r.existing_comment = self.modify_comment.clone().or_else(|| self.existing_comment.clone());
        r.modify_comment = self.modify_comment.as_ref().and(self.existing_comment.clone());
        r
    }
}

/// The argument of `op.execute(...)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExecuteArg {
    /// `op.execute("UPDATE ...")`
    Sql(String),
    /// `op.execute(sa.text("... :x").bindparams(x=1))`
    Text { sql: String, bindparams: Vec<(String, Literal)> },
    /// An expression driftlab can show but not run, as written. (The
    /// script reader reports such an argument instead: it makes no op.)
    Python(String),
    /// `op.execute(user.update().where(...).values(...))`: a SQLAlchemy Core
    /// INSERT, UPDATE or DELETE on a `sa.table(...)`.
    Core(CoreStatement),
}

/// A SQLAlchemy Core DML statement on a lightweight `sa.table(...)`, as a
/// data migration builds it: `table.update()` / `sa.update(table)` (and
/// insert, delete), `.where(...)` and `.values(...)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoreStatement {
    pub kind: CoreStatementKind,
    pub table: LightTable,
    /// `.values(...)`, keys as given (a key given again keeps its first
    /// place and takes the new value). SQLAlchemy orders them as the table
    /// orders its columns; unknown keys fail when the statement compiles.
    pub values: Vec<(String, CoreExpr)>,
    /// The `.where(...)` criteria, joined with AND.
    pub criteria: Vec<CoreExpr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoreStatementKind {
    Insert,
    Update,
    Delete,
}

/// A SQL expression in a Core statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CoreExpr {
    /// A plain Python value: a bound parameter (`?`), typed by where it
    /// stands (the column it is assigned or compared to); rendered inline by
    /// `--sql`.
    Value(Literal),
    /// `op.inline_literal(value)`: rendered inline in both modes, typed by
    /// the value itself.
    InlineLiteral(Literal),
    /// `sa.literal(value)`: a bound parameter typed by the value itself.
    BoundLiteral(Literal),
    /// `sa.null()`
    Null,
    /// `table.c.name`
    Column { table: String, name: String },
    /// `sa.func.name(args...)`, the name as written.
    Function { name: String, args: Vec<CoreExpr> },
    /// `-expr`
    Negative(Box<CoreExpr>),
    /// `left <op> right`, as Python's operators (or `.is_()` / `.is_not()`)
    /// build it; a plain value on the left is a reflected operation (`1 - t.c.n`).
    Binary { left: Box<CoreExpr>, operator: CoreOperator, right: Box<CoreExpr> },
    /// `sa.and_(...)`, `a & b`
    And(Vec<CoreExpr>),
    /// `sa.or_(...)`, `a | b`
    Or(Vec<CoreExpr>),
    /// `expr.in_([...])`
    In { expr: Box<CoreExpr>, values: Vec<Literal> },
    /// `expr.like(pattern, escape=...)`
    Like { expr: Box<CoreExpr>, pattern: Box<CoreExpr>, escape: Option<String> },
}

/// The operators of [`CoreExpr::Binary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CoreOperator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `.is_(...)`
    Is,
    /// `.is_not(...)` / `.isnot(...)`
    IsNot,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// A Python literal in a data migration (bulk_insert rows, bind parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Literal {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

/// A constraint named in `op.drop_constraint(name, table, type_=...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstraintKind {
    Unique,
    ForeignKey,
    Check,
    PrimaryKey,
}

impl ConstraintKind {
    /// The `type_=` string Alembic writes.
    pub fn type_name(self) -> &'static str {
        match self {
            ConstraintKind::Unique => "unique",
            ConstraintKind::ForeignKey => "foreignkey",
            ConstraintKind::Check => "check",
            ConstraintKind::PrimaryKey => "primary",
        }
    }
}

/// A constraint, as created or dropped on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ConstraintDef {
    Unique(UniqueConstraint),
    ForeignKey(ForeignKeyConstraint),
    Check(CheckConstraint),
}

impl ConstraintDef {
    pub fn kind(&self) -> ConstraintKind {
        match self {
            ConstraintDef::Unique(_) => ConstraintKind::Unique,
            ConstraintDef::ForeignKey(_) => ConstraintKind::ForeignKey,
            ConstraintDef::Check(_) => ConstraintKind::Check,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            ConstraintDef::Unique(c) => c.name.as_deref(),
            ConstraintDef::ForeignKey(c) => c.name.as_deref(),
            ConstraintDef::Check(c) => c.name.as_deref(),
        }
    }
}

/// `sa.table('user', sa.column('id', sa.Integer), ...)` as bulk_insert uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LightTable {
    pub name: String,
    pub columns: Vec<(String, Option<SqlType>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// `op.create_table(name, *columns, *constraints)`; indexes are separate ops.
    CreateTable(Table),
    /// `op.drop_table(name)`; the table as it was, for the reverse.
    DropTable(Table),
    AddColumn { table: String, column: Column },
    /// The column as it was, for the reverse.
    DropColumn { table: String, column: Column },
    AlterColumn(AlterColumn),
    RenameTable { old: String, new: String },
    CreateIndex { table: String, index: Index },
    DropIndex { table: String, index: Index },
    CreateConstraint { table: String, constraint: ConstraintDef },
    /// `op.drop_constraint(name, table, type_=...)`; the constraint as it
    /// was when known (autogenerate), for the reverse.
    DropConstraint { table: String, name: Option<String>, kind: Option<ConstraintKind>, was: Option<ConstraintDef> },
    Execute(ExecuteArg),
    BulkInsert { table: LightTable, rows: Vec<Vec<(String, Literal)>> },
    /// Ops on one table, grouped as autogenerate groups them; rendered as a
    /// `with op.batch_alter_table(...)` block in batch mode.
    ModifyTable { table: String, ops: Vec<Op>, batch: bool },
}

/// Why an op can't be reversed (a downgrade for it must be written by hand).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReversible(pub String);

impl Op {
    /// The op that undoes this one, as Alembic's `reverse()` gives it.
    pub fn reverse(&self) -> Result<Op, NotReversible> {
        Ok(match self {
            Op::CreateTable(t) => Op::DropTable(t.clone()),
            Op::DropTable(t) => Op::CreateTable(t.clone()),
            Op::AddColumn { table, column } => Op::DropColumn { table: table.clone(), column: column.clone() },
            Op::DropColumn { table, column } => Op::AddColumn { table: table.clone(), column: column.clone() },
            Op::AlterColumn(a) => Op::AlterColumn(a.reverse()),
            Op::RenameTable { old, new } => Op::RenameTable { old: new.clone(), new: old.clone() },
            Op::CreateIndex { table, index } => Op::DropIndex { table: table.clone(), index: index.clone() },
            Op::DropIndex { table, index } => Op::CreateIndex { table: table.clone(), index: index.clone() },
            Op::CreateConstraint { table, constraint } => Op::DropConstraint {
                table: table.clone(),
                name: constraint.name().map(str::to_string),
                kind: Some(constraint.kind()),
                was: Some(constraint.clone()),
            },
            Op::DropConstraint { table, was: Some(was), .. } => {
                Op::CreateConstraint { table: table.clone(), constraint: was.clone() }
            }
            Op::DropConstraint { name, .. } => {
                return Err(NotReversible(format!(
                    "operation is not reversible; original constraint is not present: {}",
                    name.as_deref().unwrap_or("<unnamed>")
                )))
            }
            Op::Execute(_) => return Err(NotReversible("op.execute() has no reverse".into())),
            Op::BulkInsert { .. } => return Err(NotReversible("op.bulk_insert() has no reverse".into())),
            Op::ModifyTable { table, ops, batch } => Op::ModifyTable {
                table: table.clone(),
                ops: reverse_ops(ops)?,
                batch: *batch,
            },
        })
    }

    /// Whether this op changes nothing (an empty group).
    pub fn is_empty(&self) -> bool {
        matches!(self, Op::ModifyTable { ops, .. } if ops.is_empty())
    }
}

/// The reverse of a list of ops: each reversed, in reverse order (Alembic's
/// `UpgradeOps.reverse_into`).
pub fn reverse_ops(ops: &[Op]) -> Result<Vec<Op>, NotReversible> {
    ops.iter().rev().map(Op::reverse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sqltypes::TypeName;

    #[test]
    fn alter_column_reverses_to_its_existing_state() {
        let mut a = AlterColumn::new("user", "phone");
        a.existing_type = Some(SqlType::with_length(TypeName::VARCHAR, 20));
        a.existing_nullable = Some(false);
        a.modify_nullable = Some(true);
        let r = a.reverse();
        assert_eq!(r.modify_nullable, Some(false));
        assert_eq!(r.existing_nullable, Some(true));
        assert_eq!(r.existing_type, a.existing_type);
        assert_eq!(r.modify_type, None);
    }

    #[test]
    fn downgrade_is_reversed_upgrade() {
        let ops = vec![
            Op::RenameTable { old: "a".into(), new: "b".into() },
            Op::ModifyTable {
                table: "b".into(),
                ops: vec![Op::CreateIndex {
                    table: "b".into(),
                    index: Index { name: Some("ix".into()), name_source: Default::default(), columns: vec!["x".into()], unique: false },
                }],
                batch: false,
            },
        ];
        let down = reverse_ops(&ops).unwrap();
        assert!(matches!(&down[0], Op::ModifyTable { ops, .. } if matches!(ops[0], Op::DropIndex { .. })));
        assert_eq!(down[1], Op::RenameTable { old: "b".into(), new: "a".into() });
    }

    #[test]
    fn execute_is_not_reversible() {
        assert!(Op::Execute(ExecuteArg::Sql("DELETE FROM t".into())).reverse().is_err());
    }
}
