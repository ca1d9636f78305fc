//! A reflected column's declared type → `SqlType`, as the SQLite dialect's
//! `_resolve_type_affinity` does it: a name SQLAlchemy knows, else SQLite's
//! affinity rules, with the numbers in parentheses as constructor arguments.

use std::sync::OnceLock;

use super::pattern::{Pattern, Subject, NO_FLAGS};
use crate::engine::sqltypes::{SqlType, TypeName};

/// The SQLite dialect's `ischema_names`: declared names it maps to a type
/// class, matched exactly (after upper-casing) against the name part.
const ISCHEMA_NAMES: &[(&str, TypeClass)] = &[
    ("BIGINT", TypeClass::BIGINT),
    ("BLOB", TypeClass::BLOB),
    ("BOOL", TypeClass::BOOLEAN),
    ("BOOLEAN", TypeClass::BOOLEAN),
    ("CHAR", TypeClass::CHAR),
    ("DATE", TypeClass::DATE),
    ("DATE_CHAR", TypeClass::DATE),
    ("DATETIME", TypeClass::DATETIME),
    ("DATETIME_CHAR", TypeClass::DATETIME),
    ("DOUBLE", TypeClass::DOUBLE),
    ("DECIMAL", TypeClass::DECIMAL),
    ("FLOAT", TypeClass::FLOAT),
    ("INT", TypeClass::INTEGER),
    ("INTEGER", TypeClass::INTEGER),
    ("JSON", TypeClass::JSON),
    ("JSONB", TypeClass::JSONB),
    ("NUMERIC", TypeClass::NUMERIC),
    ("REAL", TypeClass::REAL),
    ("SMALLINT", TypeClass::SMALLINT),
    ("TEXT", TypeClass::TEXT),
    ("TIME", TypeClass::TIME),
    ("TIME_CHAR", TypeClass::TIME),
    ("TIMESTAMP", TypeClass::TIMESTAMP),
    ("VARCHAR", TypeClass::VARCHAR),
    ("NVARCHAR", TypeClass::NVARCHAR),
    ("NCHAR", TypeClass::NCHAR),
];

/// The type classes reflection can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::upper_case_acronyms, non_camel_case_types)] // SQLAlchemy's class names
enum TypeClass {
    BIGINT,
    BLOB,
    BOOLEAN,
    CHAR,
    DATE,
    DATETIME,
    DOUBLE,
    DECIMAL,
    FLOAT,
    INTEGER,
    JSON,
    JSONB,
    NUMERIC,
    REAL,
    SMALLINT,
    TEXT,
    TIME,
    TIMESTAMP,
    VARCHAR,
    NVARCHAR,
    NCHAR,
    NullType,
}

impl TypeClass {
    /// The class as Python prints it (`<class 'sqlalchemy.sql.sqltypes.INTEGER'>`), for warnings.
    fn python_repr(self) -> String {
        let module = match self {
            TypeClass::JSON => "sqlalchemy.dialects.sqlite.json",
            TypeClass::JSONB => "sqlalchemy.dialects.sqlite.json",
            _ => "sqlalchemy.sql.sqltypes",
        };
        format!("<class '{module}.{self:?}'>")
    }

    /// How many positional arguments the class's constructor takes; more
    /// makes Python raise `TypeError`, and SQLAlchemy then warns and builds
    /// the type without arguments.
    fn positional_arity(self) -> usize {
        use TypeClass::*;
        match self {
            // Integer, Date and NullType take no arguments at all.
            INTEGER | BIGINT | SMALLINT | DATE | NullType => 0,
            // String(length, collation, collation_schema)
            VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT => 3,
            // Numeric(precision, scale, decimal_return_scale, asdecimal)
            NUMERIC | DECIMAL => 4,
            // Float(precision, asdecimal, decimal_return_scale)
            FLOAT | REAL | DOUBLE => 3,
            // DateTime(timezone), Time(timezone), TIMESTAMP(timezone)
            DATETIME | TIMESTAMP | TIME => 1,
            // Boolean(create_constraint, name, _create_events, _adapted_from)
            BOOLEAN => 4,
            // LargeBinary(length), JSON(none_as_null)
            BLOB | JSON | JSONB => 1,
        }
    }

    fn type_name(self) -> TypeName {
        use TypeClass::*;
        match self {
            BIGINT => TypeName::BIGINT,
            BLOB => TypeName::BLOB,
            BOOLEAN => TypeName::BOOLEAN,
            CHAR => TypeName::CHAR,
            DATE => TypeName::DATE,
            DATETIME => TypeName::DATETIME,
            DOUBLE => TypeName::DOUBLE,
            DECIMAL => TypeName::DECIMAL,
            FLOAT => TypeName::FLOAT,
            INTEGER => TypeName::INTEGER,
            // The model has no JSONB type name; sqlite.JSONB is a JSON subclass.
            JSON | JSONB => TypeName::JSON,
            NUMERIC => TypeName::NUMERIC,
            REAL => TypeName::REAL,
            SMALLINT => TypeName::SMALLINT,
            TEXT => TypeName::TEXT,
            TIME => TypeName::TIME,
            TIMESTAMP => TypeName::TIMESTAMP,
            VARCHAR => TypeName::VARCHAR,
            NVARCHAR => TypeName::NVARCHAR,
            NCHAR => TypeName::NCHAR,
            NullType => TypeName::NULLTYPE,
        }
    }
}

fn declared_type_pattern() -> &'static Pattern {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    PATTERN.get_or_init(|| Pattern::new(r"([\w ]+)(\(.*?\))?", NO_FLAGS))
}

/// The type of a column declared as `declared` (already upper-cased, as
/// `get_columns` does), and the warning SQLAlchemy gives when the numbers in
/// parentheses do not fit the type's constructor.
pub fn resolve_type_affinity(declared: &str) -> (SqlType, Option<String>) {
    let subject = Subject::new(declared);
    // `re.match`: the name is the leading run of word characters and spaces,
    // trailing spaces included, so `VARCHAR (50)` has the name `VARCHAR `,
    // which is not in ischema_names and falls to the affinity rules (TEXT).
    let (name, args) = match declared_type_pattern().match_at(&subject, 0) {
        Some(m) => (m.group(&subject, 1).unwrap_or_default(), m.group(&subject, 2)),
        None => (String::new(), Some(String::new())),
    };
    let class = match ISCHEMA_NAMES.iter().find(|(known, _)| *known == name) {
        Some((_, class)) => *class,
        // SQLite's affinity rules (datatype3.html §3.1), in SQLAlchemy's order.
        None if name.contains("INT") => TypeClass::INTEGER,
        None if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") => TypeClass::TEXT,
        None if name.contains("BLOB") || name.is_empty() => TypeClass::NullType,
        None if name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") => TypeClass::REAL,
        None => TypeClass::NUMERIC,
    };
    // `re.findall(r"(\d+)", args)`: every run of digits, whatever separates them.
    let numbers: Vec<String> = args
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(str::to_string)
        .collect();
    if numbers.len() > class.positional_arity() {
        let listed: Vec<String> = numbers.iter().map(|n| format!("'{n}'")).collect();
        let warning = format!(
            "Could not instantiate type {} with reflected arguments [{}]; using no arguments.",
            class.python_repr(),
            listed.join(", ")
        );
        return (SqlType::new(class.type_name()), Some(warning));
    }
    (construct(class, &numbers), None)
}

/// `class(*numbers)`: each positional argument lands where the constructor puts it.
fn construct(class: TypeClass, numbers: &[String]) -> SqlType {
    use TypeClass::*;
    // Python's int() has no upper bound; a number too big for the model saturates.
    let number = |i: usize| numbers.get(i).map(|n| n.parse::<u32>().unwrap_or(u32::MAX));
    let truthy = |i: usize| numbers.get(i).is_some_and(|n| n.chars().any(|c| c != '0'));
    let mut sql_type = SqlType::new(class.type_name());
    match class {
        VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT => {
            sql_type.length = number(0);
            // The second argument is `collation`: `VARCHAR(10, 5)` collates "5".
            sql_type.collation = numbers.get(1).cloned();
        }
        NUMERIC | DECIMAL => {
            sql_type.precision = number(0);
            sql_type.scale = number(1);
        }
        FLOAT | REAL | DOUBLE => sql_type.precision = number(0),
        DATETIME | TIMESTAMP | TIME => sql_type.timezone = truthy(0),
        BOOLEAN => sql_type.create_constraint = truthy(0),
        BLOB => sql_type.length = number(0),
        INTEGER | BIGINT | SMALLINT | DATE | NullType | JSON | JSONB => {}
    }
    sql_type
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(declared: &str) -> SqlType {
        resolve_type_affinity(declared).0
    }

    #[test]
    fn known_names_keep_their_arguments() {
        assert_eq!(resolved("VARCHAR(50)"), SqlType::with_length(TypeName::VARCHAR, 50));
        let numeric = resolved("NUMERIC(10, 2)");
        assert_eq!((numeric.name, numeric.precision, numeric.scale), (TypeName::NUMERIC, Some(10), Some(2)));
        assert_eq!(resolved("DATETIME").name, TypeName::DATETIME);
        assert_eq!(resolved("CHAR(32)"), SqlType::with_length(TypeName::CHAR, 32));
        assert_eq!(resolved("FLOAT(53)").precision, Some(53));
        assert_eq!(resolved("BOOL").name, TypeName::BOOLEAN);
        assert_eq!(resolved("JSON").name, TypeName::JSON);
    }

    #[test]
    fn unknown_names_follow_affinity() {
        assert_eq!(resolved("MEDIUMINT").name, TypeName::INTEGER);
        assert_eq!(resolved("CHARACTER VARYING(20)"), SqlType::with_length(TypeName::TEXT, 20));
        assert_eq!(resolved("CLOB").name, TypeName::TEXT);
        assert_eq!(resolved("DOUBLE PRECISION").name, TypeName::REAL);
        assert_eq!(resolved("UUID").name, TypeName::NUMERIC);
        assert_eq!(resolved("BINARY(16)").precision, Some(16));
        assert_eq!(resolved("").name, TypeName::NULLTYPE);
        assert_eq!(resolved("LONGBLOB").name, TypeName::NULLTYPE);
    }

    #[test]
    fn quirks_are_kept() {
        // The space before the parenthesis is part of the name.
        assert_eq!(resolved("VARCHAR (50)"), SqlType::with_length(TypeName::TEXT, 50));
        assert!(resolved("TIMESTAMP(6)").timezone);
        assert_eq!(resolved("VARCHAR(10, 5)").collation.as_deref(), Some("5"));
        let (integer, warning) = resolve_type_affinity("INTEGER(11)");
        assert_eq!(integer, SqlType::new(TypeName::INTEGER));
        assert_eq!(
            warning.as_deref(),
            Some("Could not instantiate type <class 'sqlalchemy.sql.sqltypes.INTEGER'> with reflected arguments ['11']; using no arguments.")
        );
        assert_eq!(resolved("(odd)").name, TypeName::NULLTYPE);
    }
}
