//! SQLAlchemy's PostgreSQL dialect, as far as DDL goes: its reserved words,
//! its type compiler (`TIMESTAMP WITHOUT TIME ZONE`, `DOUBLE PRECISION`,
//! `BYTEA`, native `UUID`, `ENUM` types by name) and the `SERIAL` types
//! it gives an autoincrement primary key.

use crate::engine::sqltypes::{SqlType, TypeName};

/// `RESERVED_WORDS` of `sqlalchemy.dialects.postgresql.base` (2.1).
pub(super) const RESERVED_WORDS: &[&str] = &[
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "binary", "both", "case", "cast", "check", "collate", "column", "constraint",
    "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
    "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from",
    "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into",
    "is", "isnull", "join", "leading", "left", "like", "limit", "localtime", "localtimestamp",
    "natural", "new", "not", "notnull", "null", "of", "off", "offset", "old", "on", "only", "or",
    "order", "outer", "over", "overlaps", "placing", "primary", "references", "returning", "right",
    "select", "session_user", "similar", "some", "symmetric", "table", "then", "to", "trailing",
    "true", "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window",
    "with"
];

/// The type as `PGTypeCompiler` writes it; `quote` writes an ENUM type's name.
pub(super) fn type_ddl(type_: &SqlType, quote: impl Fn(&str) -> String) -> String {
    use TypeName::*;
    let sized = |base: &str, length: Option<u32>| match length {
        Some(n) => format!("{base}({n})"),
        None => base.to_string(),
    };
    let zone = if type_.timezone { "WITH TIME ZONE" } else { "WITHOUT TIME ZONE" };
    let ddl = match type_.name {
        Integer | INTEGER => "INTEGER".into(),
        BigInteger | BIGINT => "BIGINT".into(),
        SmallInteger | SMALLINT => "SMALLINT".into(),
        String | Unicode | VARCHAR => sized("VARCHAR", type_.length),
        NVARCHAR => sized("NVARCHAR", type_.length),
        CHAR => sized("CHAR", type_.length),
        NCHAR => sized("NCHAR", type_.length),
        Text | UnicodeText | TEXT => sized("TEXT", type_.length),
        CLOB => "CLOB".into(),
        Boolean | BOOLEAN => "BOOLEAN".into(),
        Date | DATE => "DATE".into(),
        // The generic DateTime and TIMESTAMP are PostgreSQL's TIMESTAMP;
        // the DATETIME class keeps its own name.
        DateTime | TIMESTAMP => format!("TIMESTAMP {zone}"),
        DATETIME => "DATETIME".into(),
        Time | TIME => format!("TIME {zone}"),
        Interval => "INTERVAL".into(),
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
        Enum => match &type_.enum_spec {
            Some(spec) if spec.native_enum => quote(spec.name.as_deref().unwrap_or_default()),
            _ => sized("VARCHAR", type_.enum_length()),
        },
        Json | JSON => "JSON".into(),
        LargeBinary => "BYTEA".into(),
        BLOB => "BLOB".into(),
        BINARY => sized("BINARY", type_.length),
        VARBINARY => sized("VARBINARY", type_.length),
        Uuid | UUID => "UUID".into(),
        NULLTYPE => std::string::String::new(),
    };
    match &type_.collation {
        Some(collation) => format!("{ddl} COLLATE {}", quote(collation)),
        None => ddl,
    }
}

/// The SERIAL type an autoincrement primary key of this type becomes
/// (`PGDDLCompiler.get_column_specification`).
pub(super) fn serial_type(type_: &SqlType) -> &'static str {
    use TypeName::*;
    match type_.name {
        BigInteger | BIGINT => "BIGSERIAL",
        SmallInteger | SMALLINT => "SMALLSERIAL",
        _ => "SERIAL",
    }
}

/// The native ENUM type a column needs created first (`CREATE TYPE ... AS
/// ENUM`): its name and values.
pub(super) fn native_enum(type_: &SqlType) -> Option<(&str, &[std::string::String])> {
    let spec = type_.enum_spec.as_ref().filter(|s| type_.name == TypeName::Enum && s.native_enum)?;
    Some((spec.name.as_deref().unwrap_or_default(), &spec.values))
}
