//! The parameters of Alembic 1.20's `op.*` and `batch_op.*` functions, and
//! Python's binding of call arguments to them, with CPython's `TypeError`
//! wording when a call does not fit (`drop_table() takes 2 positional
//! arguments but 3 were given`; like Alembic's proxies, the counts include `self`).

use std::collections::BTreeMap;

use super::values::{Arg, KeywordArg, Value};
use crate::engine::python::ast::Expr;

/// One function's parameters.
pub(super) struct Signature {
    pub name: &'static str,
    /// Positional-or-keyword parameters, in order.
    pub positional: &'static [&'static str],
    /// How many of `positional` have no default.
    pub required: usize,
    /// `*columns` (only `create_table`).
    pub var_positional: bool,
    pub keyword_only: &'static [&'static str],
    /// `**kw`: dialect options and the like.
    pub var_keyword: bool,
}

const fn sig(
    name: &'static str,
    positional: &'static [&'static str],
    required: usize,
    keyword_only: &'static [&'static str],
    var_keyword: bool,
) -> Signature {
    Signature { name, positional, required, var_positional: false, keyword_only, var_keyword }
}

const ALTER_COLUMN_KEYWORDS: &[&str] = &[
    "nullable",
    "comment",
    "server_default",
    "new_column_name",
    "type_",
    "existing_type",
    "existing_server_default",
    "existing_nullable",
    "existing_comment",
    "schema",
];

const BATCH_ALTER_COLUMN_KEYWORDS: &[&str] = &[
    "nullable",
    "comment",
    "server_default",
    "new_column_name",
    "type_",
    "existing_type",
    "existing_server_default",
    "existing_nullable",
    "existing_comment",
    "insert_before",
    "insert_after",
];

/// `op.<name>` functions the playground applies.
pub(super) const OPERATIONS: &[Signature] = &[
    Signature {
        name: "create_table",
        positional: &["table_name"],
        required: 1,
        var_positional: true,
        keyword_only: &["if_not_exists"],
        var_keyword: true,
    },
    sig("drop_table", &["table_name"], 1, &["schema", "if_exists"], true),
    sig(
        "add_column",
        &["table_name", "column"],
        2,
        &["schema", "if_not_exists", "inline_references", "inline_primary_key"],
        false,
    ),
    sig("drop_column", &["table_name", "column_name"], 2, &["schema"], true),
    sig("alter_column", &["table_name", "column_name"], 2, ALTER_COLUMN_KEYWORDS, true),
    sig("rename_table", &["old_table_name", "new_table_name"], 2, &["schema"], false),
    sig("create_index", &["index_name", "table_name", "columns"], 3, &["schema", "unique", "if_not_exists"], true),
    sig("drop_index", &["index_name", "table_name"], 1, &["schema", "if_exists"], true),
    sig("create_unique_constraint", &["constraint_name", "table_name", "columns"], 3, &["schema"], true),
    sig(
        "create_foreign_key",
        &["constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"],
        5,
        &["onupdate", "ondelete", "deferrable", "initially", "match", "source_schema", "referent_schema"],
        true,
    ),
    sig("create_check_constraint", &["constraint_name", "table_name", "condition"], 3, &["schema"], true),
    sig("drop_constraint", &["constraint_name", "table_name", "type_"], 2, &["schema", "if_exists"], false),
    sig("execute", &["sqltext"], 1, &["execution_options"], false),
    sig("bulk_insert", &["table", "rows"], 2, &["multiinsert"], false),
    sig(
        "batch_alter_table",
        &[
            "table_name",
            "schema",
            "recreate",
            "partial_reordering",
            "copy_from",
            "table_args",
            "table_kwargs",
            "reflect_args",
            "reflect_kwargs",
            "naming_convention",
        ],
        1,
        &[],
        false,
    ),
];

/// `batch_op.<name>` functions the playground applies.
pub(super) const BATCH_OPERATIONS: &[Signature] = &[
    sig(
        "add_column",
        &["column"],
        1,
        &["insert_before", "insert_after", "if_not_exists", "inline_references", "inline_primary_key"],
        false,
    ),
    sig("drop_column", &["column_name"], 1, &[], true),
    sig("alter_column", &["column_name"], 1, BATCH_ALTER_COLUMN_KEYWORDS, true),
    // `unique` travels in `**kw` here; naming it keeps it out of the dialect options.
    sig("create_index", &["index_name", "columns"], 2, &["unique"], true),
    sig("drop_index", &["index_name"], 1, &[], true),
    sig("create_unique_constraint", &["constraint_name", "columns"], 2, &[], true),
    sig(
        "create_foreign_key",
        &["constraint_name", "referent_table", "local_cols", "remote_cols"],
        4,
        &["referent_schema", "onupdate", "ondelete", "deferrable", "initially", "match"],
        true,
    ),
    sig("create_check_constraint", &["constraint_name", "condition"], 2, &[], true),
    sig("drop_constraint", &["constraint_name", "type_"], 1, &[], false),
    sig("execute", &["sqltext"], 1, &["execution_options"], false),
];

/// Real Alembic operations (and helpers) the playground does not apply:
/// calling one is reported as unsupported rather than as a typo.
pub(super) const KNOWN_UNSUPPORTED: &[&str] = &[
    "create_table_comment",
    "drop_table_comment",
    "create_primary_key",
    "create_exclude_constraint",
    "get_bind",
    "get_context",
    "invoke",
    "run_async",
    "implementation_for",
    "register_operation",
    "inline_literal",
    "f",
    "batch_alter_table",
    "context",
    "create_module_class_proxy",
];

pub(super) fn operation(name: &str) -> Option<&'static Signature> {
    OPERATIONS.iter().find(|s| s.name == name)
}

pub(super) fn batch_operation(name: &str) -> Option<&'static Signature> {
    BATCH_OPERATIONS.iter().find(|s| s.name == name)
}

/// A bound argument: its value and where it was written.
pub(super) struct BoundArg<'e> {
    pub value: Value,
    pub expr: &'e Expr,
}

/// Arguments matched to a signature's parameters.
pub(super) struct Bound<'e> {
    pub named: BTreeMap<&'static str, BoundArg<'e>>,
    /// What `*columns` received.
    pub rest: Vec<BoundArg<'e>>,
    /// What `**kw` received, in call order.
    pub extra: Vec<(String, BoundArg<'e>)>,
}

impl<'e> Bound<'e> {
    pub fn get(&self, name: &str) -> Option<&BoundArg<'e>> {
        self.named.get(name)
    }

    /// The value of a parameter, `None` when not passed.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.named.get(name).map(|a| &a.value)
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` (CPython's list of missing names).
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Binds call arguments as Python binds them to a method (`self` counted in
/// messages); the error is the text after `TypeError: `.
pub(super) fn bind<'e>(
    signature: &Signature,
    positional: Vec<Arg<'e>>,
    keywords: Vec<KeywordArg<'e>>,
) -> Result<Bound<'e>, String> {
    let name = signature.name;
    let mut bound = Bound { named: BTreeMap::new(), rest: Vec::new(), extra: Vec::new() };
    let given = positional.len();
    if given > signature.positional.len() && !signature.var_positional {
        let takes = if signature.required == signature.positional.len() {
            plural(signature.positional.len() + 1, "positional argument")
        } else {
            format!("from {} to {} positional arguments", signature.required + 1, signature.positional.len() + 1)
        };
        let were = if given + 1 == 1 { "was" } else { "were" };
        return Err(format!("{name}() takes {takes} but {} {were} given", given + 1));
    }
    for (i, arg) in positional.into_iter().enumerate() {
        match signature.positional.get(i) {
            Some(param) => {
                bound.named.insert(param, BoundArg { value: arg.value, expr: arg.expr });
            }
            None => bound.rest.push(BoundArg { value: arg.value, expr: arg.expr }),
        }
    }
    for keyword in keywords {
        let param = signature.positional.iter().chain(signature.keyword_only).find(|p| **p == keyword.name);
        match param {
            Some(param) if bound.named.contains_key(param) => {
                return Err(format!("{name}() got multiple values for argument '{param}'"));
            }
            Some(param) => {
                bound.named.insert(param, BoundArg { value: keyword.value, expr: keyword.expr });
            }
            None if signature.var_keyword => {
                bound.extra.push((keyword.name, BoundArg { value: keyword.value, expr: keyword.expr }))
            }
            None => return Err(format!("{name}() got an unexpected keyword argument '{}'", keyword.name)),
        }
    }
    let missing: Vec<&str> =
        signature.positional[..signature.required].iter().copied().filter(|p| !bound.named.contains_key(p)).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{name}() missing {} {}: {}",
            missing.len(),
            if missing.len() == 1 { "required positional argument" } else { "required positional arguments" },
            quoted_list(&missing)
        ));
    }
    Ok(bound)
}
