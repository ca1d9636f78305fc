//! What the libraries a models file imports export, as far as driftlab
//! understands them: `sqlalchemy` and its submodules, `typing`, `datetime`,
//! and the rest of the standard library and web stack that such files touch.

/// SQLAlchemy's public names that a models file may import, from any of its
/// modules (`sqlalchemy`, `sqlalchemy.orm`, `sqlalchemy.types`, ...). They are
/// canonicalised to `sa.NAME`.
pub const SQLALCHEMY_NAMES: &[&str] = &[
    // schema
    "Column", "ForeignKey", "ForeignKeyConstraint", "UniqueConstraint", "CheckConstraint",
    "PrimaryKeyConstraint", "Index", "MetaData", "Table", "Sequence", "Identity", "Computed",
    "DDL", "event",
    // expressions
    "text", "func", "false", "true", "null", "select", "insert", "update", "delete", "and_",
    "or_", "not_", "literal", "literal_column", "cast", "case", "column", "table", "bindparam",
    "create_engine", "engine_from_config", "inspect", "pool", "exc", "orm", "types", "schema",
    "sql", "engine", "dialects", "ext", "Engine", "Connection", "URL", "make_url",
    // types
    "Integer", "BigInteger", "SmallInteger", "String", "Text", "Unicode", "UnicodeText",
    "Boolean", "Date", "DateTime", "Time", "Interval", "Float", "Double", "Numeric", "Enum",
    "JSON", "LargeBinary", "Uuid", "PickleType", "TypeDecorator", "ARRAY", "INTEGER", "BIGINT",
    "SMALLINT", "VARCHAR", "NVARCHAR", "CHAR", "NCHAR", "TEXT", "CLOB", "BOOLEAN", "DATE",
    "DATETIME", "TIME", "TIMESTAMP", "FLOAT", "REAL", "DOUBLE", "DOUBLE_PRECISION", "NUMERIC",
    "DECIMAL", "BLOB", "BINARY", "VARBINARY", "UUID",
    // orm
    "DeclarativeBase", "DeclarativeBaseNoMeta", "declarative_base", "Mapped", "mapped_column",
    "relationship", "backref", "sessionmaker", "Session", "scoped_session", "declared_attr",
    "MappedAsDataclass", "registry", "synonym", "column_property", "deferred", "validates",
    "joinedload", "selectinload", "aliased", "query_expression", "composite", "WriteOnlyMapped",
    "DynamicMapped", "as_declarative", "object_session", "make_transient",
    // ext.asyncio
    "create_async_engine", "AsyncSession", "async_sessionmaker", "AsyncAttrs", "AsyncEngine",
];

/// Modules whose names we check when imported from (`from sqlalchemy import Strng` is an error).
pub fn is_sqlalchemy_module(module: &str) -> bool {
    module == "sqlalchemy" || module.starts_with("sqlalchemy.")
}

/// Standard-library and third-party modules a project file may import. We
/// don't check their names; they evaluate to opaque symbols.
pub const OTHER_MODULES: &[&str] = &[
    "typing", "typing_extensions", "datetime", "decimal", "uuid", "enum", "os", "sys", "json",
    "logging", "pathlib", "contextlib", "collections", "collections.abc", "functools", "__future__",
    "dataclasses", "re", "time", "random", "asyncio", "fastapi", "fastapi.responses",
    "fastapi.middleware", "fastapi.middleware.cors", "pydantic", "pydantic_settings", "starlette",
    "uvicorn", "dotenv", "alembic", "alembic.config", "alembic.command", "logging.config",
    "sqlmodel", "passlib", "jose", "email_validator",
];

/// Whether `module` (dotted) is a library we know, rather than a project file.
pub fn is_known_library(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    is_sqlalchemy_module(module)
        || OTHER_MODULES.iter().any(|m| *m == module || m.split('.').next() == Some(top))
}

/// Python's builtins that models files use.
pub const BUILTINS: &[&str] = &[
    "int", "str", "bool", "float", "bytes", "dict", "list", "tuple", "set", "object", "len",
    "print", "range", "isinstance", "type", "super", "property", "staticmethod", "classmethod",
    "Exception", "ValueError", "TypeError", "KeyError", "RuntimeError", "NotImplementedError",
    "open", "sorted", "min", "max", "sum", "any", "all", "enumerate", "zip", "map", "filter",
    "repr", "getattr", "setattr", "hasattr", "frozenset", "format", "id", "hash", "abs", "round",
];

/// The edit distance with adjacent transpositions counted as one edit
/// (`Flase` is one edit from `False`), for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(!a[i - 1].eq_ignore_ascii_case(&b[j - 1]));
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate to `name`, if close enough to be a likely typo
/// (Python's own suggestions use a similar cut-off).
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() + 2) / 3;
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit.max(1))
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos() {
        assert_eq!(suggest("Intger", SQLALCHEMY_NAMES.iter().copied()), Some("Integer"));
        assert_eq!(suggest("Flase", ["False", "True", "None"]), Some("False"));
        assert_eq!(suggest("zzz", ["False", "True"]), None);
    }
}
