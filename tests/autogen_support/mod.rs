//! What the autogenerate tests share: a one-line-per-call summary of ops
//! (`alter_column user.id autoincrement=True`), the form the recorded
//! migration scripts and cases are reduced to.

use driftlab::engine::migrate::ops::{ConstraintDef, Op};

/// `create_table user`, `[batch user]`, `add_column user.bio`, ...: one line per op call.
pub fn summarize(ops: &[Op], out: &mut Vec<String>) {
    let constraint_name = |c: &ConstraintDef| c.name().unwrap_or("None").to_string();
    for op in ops {
        let line = match op {
            Op::CreateTable(t) => format!("create_table {}", t.name),
            Op::DropTable(t) => format!("drop_table {}", t.name),
            Op::ModifyTable { table, ops, batch } => {
                if *batch {
                    out.push(format!("[batch {table}]"));
                }
                summarize(ops, out);
                continue;
            }
            Op::AddColumn { table, column } => format!("add_column {table}.{}", column.name),
            Op::DropColumn { table, column } => format!("drop_column {table}.{}", column.name),
            Op::AlterColumn(a) => {
                let autoincrement = match a.autoincrement {
                    Some(b) => format!(" autoincrement={}", if b { "True" } else { "False" }),
                    None => String::new(),
                };
                format!("alter_column {}.{}{autoincrement}", a.table, a.column)
            }
            Op::CreateIndex { table, index } => format!("create_index {table}.{}", index.name.as_deref().unwrap_or("None")),
            Op::DropIndex { table, index } => format!("drop_index {table}.{}", index.name.as_deref().unwrap_or("None")),
            Op::CreateConstraint { table, constraint } => {
                let kind = match constraint {
                    ConstraintDef::Unique(_) => "create_unique_constraint",
                    ConstraintDef::ForeignKey(_) => "create_foreign_key",
                    ConstraintDef::Check(_) => "create_check_constraint",
                };
                format!("{kind} {table}.{}", constraint_name(constraint))
            }
            Op::DropConstraint { table, name, .. } => format!("drop_constraint {table}.{}", name.as_deref().unwrap_or("None")),
            other => format!("{other:?}"),
        };
        out.push(line);
    }
}

/// Both summaries: the upgrade ops and the downgrade derived from them.
pub fn upgrade_and_downgrade(ops: &[Op]) -> (Vec<String>, Result<Vec<String>, String>) {
    let mut upgrade = Vec::new();
    summarize(ops, &mut upgrade);
    let downgrade = driftlab::engine::migrate::ops::reverse_ops(ops)
        .map(|down| {
            let mut lines = Vec::new();
            summarize(&down, &mut lines);
            lines
        })
        .map_err(|e| format!("{e:?}"));
    (upgrade, downgrade)
}
