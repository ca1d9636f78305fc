//! SQLAlchemy's SQL Server dialect, as far as DDL goes: its reserved words
//! and its type compiler as it runs without a connection (no server
//! version known, so `Date` is `DATETIME`, `Text` is `TEXT`,
//! `LargeBinary` is `IMAGE`; `VARCHAR` without a length is `VARCHAR(max)`).

use crate::engine::sqltypes::{SqlType, TypeName};

/// `RESERVED_WORDS` of `sqlalchemy.dialects.mssql.base` (2.1).
pub(super) const RESERVED_WORDS: &[&str] = &[
    "add", "all", "alter", "and", "any", "as", "asc", "authorization", "backup", "begin", "between",
    "break", "browse", "bulk", "by", "cascade", "case", "check", "checkpoint", "close", "clustered",
    "coalesce", "collate", "column", "commit", "compute", "constraint", "contains", "containstable",
    "continue", "convert", "create", "cross", "current", "current_date", "current_time",
    "current_timestamp", "current_user", "cursor", "database", "dbcc", "deallocate", "declare",
    "default", "delete", "deny", "desc", "disk", "distinct", "distributed", "double", "drop",
    "dump", "else", "end", "errlvl", "escape", "except", "exec", "execute", "exists", "exit",
    "external", "fetch", "file", "fillfactor", "for", "foreign", "freetext", "freetexttable",
    "from", "full", "function", "goto", "grant", "group", "having", "holdlock", "identity",
    "identity_insert", "identitycol", "if", "in", "index", "inner", "insert", "intersect", "into",
    "is", "join", "key", "kill", "left", "like", "lineno", "load", "merge", "national", "nocheck",
    "nonclustered", "not", "null", "nullif", "of", "off", "offsets", "on", "open", "opendatasource",
    "openquery", "openrowset", "openxml", "option", "or", "order", "outer", "over", "percent",
    "pivot", "plan", "precision", "primary", "print", "proc", "procedure", "public", "raiserror",
    "read", "readtext", "reconfigure", "references", "replication", "restore", "restrict", "return",
    "revert", "revoke", "right", "rollback", "rowcount", "rowguidcol", "rule", "save", "schema",
    "securityaudit", "select", "session_user", "set", "setuser", "shutdown", "some", "statistics",
    "system_user", "table", "tablesample", "textsize", "then", "to", "top", "tran", "transaction",
    "trigger", "truncate", "tsequal", "union", "unique", "unpivot", "update", "updatetext", "use",
    "user", "values", "varying", "view", "waitfor", "when", "where", "while", "with", "writetext"
];

/// The type as `MSTypeCompiler` writes it before connecting.
pub(super) fn type_ddl(type_: &SqlType) -> String {
    use TypeName::*;
    let sized = |base: &str, length: Option<u32>| match length {
        Some(n) => format!("{base}({n})"),
        None => base.to_string(),
    };
    // VARCHAR, NVARCHAR and VARBINARY without a length are the (max) kind.
    let varying = |base: &str, length: Option<u32>| match length {
        Some(n) => format!("{base}({n})"),
        None => format!("{base}(max)"),
    };
    let ddl = match type_.name {
        Integer | INTEGER => "INTEGER".into(),
        BigInteger | BIGINT => "BIGINT".into(),
        SmallInteger | SMALLINT => "SMALLINT".into(),
        String | VARCHAR => varying("VARCHAR", type_.length),
        Unicode | NVARCHAR => varying("NVARCHAR", type_.length),
        CHAR => sized("CHAR", type_.length),
        NCHAR => sized("NCHAR", type_.length),
        Text | TEXT => sized("TEXT", type_.length),
        UnicodeText => sized("NTEXT", type_.length),
        CLOB => "CLOB".into(),
        Boolean => "BIT".into(),
        BOOLEAN => "BOOLEAN".into(),
        // Before SQL Server 2008 there was no DATE or TIME: the generic
        // types fall back to DATETIME, as does Interval.
        Date | Time | Interval => "DATETIME".into(),
        DATE => "DATE".into(),
        TIME => "TIME".into(),
        DateTime if type_.timezone => "DATETIMEOFFSET".into(),
        DateTime | DATETIME => "DATETIME".into(),
        TIMESTAMP => "TIMESTAMP".into(),
        Float | FLOAT => sized("FLOAT", type_.precision),
        Double | DOUBLE_PRECISION => "DOUBLE PRECISION".into(),
        DOUBLE => "DOUBLE".into(),
        REAL => "REAL".into(),
        Numeric | NUMERIC | DECIMAL => {
            let base = if type_.name == DECIMAL { "DECIMAL" } else { "NUMERIC" };
            match (type_.precision, type_.scale) {
                (Some(p), Some(s)) => format!("{base}({p}, {s})"),
                (Some(p), None) => format!("{base}({p})"),
                _ => base.to_string(),
            }
        }
        Enum => varying("VARCHAR", type_.enum_length()),
        Json | JSON => "NVARCHAR(max)".into(),
        LargeBinary => "IMAGE".into(),
        BLOB => "BLOB".into(),
        BINARY => sized("BINARY", type_.length),
        VARBINARY => varying("VARBINARY", type_.length),
        Uuid => "UNIQUEIDENTIFIER".into(),
        UUID => "UUID".into(),
        NULLTYPE => std::string::String::new(),
    };
    match &type_.collation {
        Some(collation) => format!("{ddl} COLLATE {collation}"),
        None => ddl,
    }
}

/// Whether literals of this type are national strings (`N'...'`).
pub(super) fn is_national(type_: &SqlType) -> bool {
    matches!(type_.name, TypeName::Unicode | TypeName::UnicodeText | TypeName::NVARCHAR | TypeName::NCHAR)
}
