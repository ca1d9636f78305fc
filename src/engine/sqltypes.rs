//! Column types as SQLAlchemy has them: the generic CamelCase types models use
//! (`String(50)`, `Mapped[float]` → `Double`) and the UPPERCASE SQL types that
//! reflection returns (`VARCHAR(50)`), with their SQLite DDL and their
//! Alembic rendering (`sa.String(length=50)`).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// A type class, named as SQLAlchemy names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(non_camel_case_types)] // The UPPERCASE names are SQLAlchemy's own.
pub enum TypeName {
    // Generic types (sqlalchemy.types CamelCase).
    Integer,
    BigInteger,
    SmallInteger,
    String,
    Text,
    Unicode,
    UnicodeText,
    Boolean,
    Date,
    DateTime,
    Time,
    Interval,
    Float,
    Double,
    Numeric,
    Enum,
    Json,
    LargeBinary,
    Uuid,
    // SQL standard types (UPPERCASE), as written or as reflected.
    INTEGER,
    BIGINT,
    SMALLINT,
    VARCHAR,
    NVARCHAR,
    CHAR,
    NCHAR,
    TEXT,
    CLOB,
    BOOLEAN,
    DATE,
    DATETIME,
    TIME,
    TIMESTAMP,
    FLOAT,
    REAL,
    DOUBLE,
    DOUBLE_PRECISION,
    NUMERIC,
    DECIMAL,
    JSON,
    BLOB,
    BINARY,
    VARBINARY,
    UUID,
    /// SQLite's own: a column declared with no type at all.
    NULLTYPE,
}

impl TypeName {
    /// The class name as written in Python (`String`, `VARCHAR`, `JSON`).
    pub fn python_name(self) -> &'static str {
        use TypeName::*;
        match self {
            Integer => "Integer",
            BigInteger => "BigInteger",
            SmallInteger => "SmallInteger",
            String => "String",
            Text => "Text",
            Unicode => "Unicode",
            UnicodeText => "UnicodeText",
            Boolean => "Boolean",
            Date => "Date",
            DateTime => "DateTime",
            Time => "Time",
            Interval => "Interval",
            Float => "Float",
            Double => "Double",
            Numeric => "Numeric",
            Enum => "Enum",
            Json | JSON => "JSON",
            LargeBinary => "LargeBinary",
            Uuid => "Uuid",
            INTEGER => "INTEGER",
            BIGINT => "BIGINT",
            SMALLINT => "SMALLINT",
            VARCHAR => "VARCHAR",
            NVARCHAR => "NVARCHAR",
            CHAR => "CHAR",
            NCHAR => "NCHAR",
            TEXT => "TEXT",
            CLOB => "CLOB",
            BOOLEAN => "BOOLEAN",
            DATE => "DATE",
            DATETIME => "DATETIME",
            TIME => "TIME",
            TIMESTAMP => "TIMESTAMP",
            FLOAT => "FLOAT",
            REAL => "REAL",
            DOUBLE => "DOUBLE",
            DOUBLE_PRECISION => "DOUBLE_PRECISION",
            NUMERIC => "NUMERIC",
            DECIMAL => "DECIMAL",
            BLOB => "BLOB",
            BINARY => "BINARY",
            VARBINARY => "VARBINARY",
            UUID => "UUID",
            NULLTYPE => "NullType",
        }
    }

    /// Every name a models file may import from `sqlalchemy` for a type
    /// (`JSON` from `sqlalchemy` is the generic type; the dialect's `JSON`
    /// only comes from reflection).
    pub fn from_python_name(name: &str) -> Option<TypeName> {
        use TypeName::*;
        const ALL: &[TypeName] = &[
            Integer, BigInteger, SmallInteger, String, Text, Unicode, UnicodeText, Boolean, Date,
            DateTime, Time, Interval, Float, Double, Numeric, Enum, Json, LargeBinary, Uuid, INTEGER,
            BIGINT, SMALLINT, VARCHAR, NVARCHAR, CHAR, NCHAR, TEXT, CLOB, BOOLEAN, DATE, DATETIME, TIME,
            TIMESTAMP, FLOAT, REAL, DOUBLE, DOUBLE_PRECISION, NUMERIC, DECIMAL, BLOB, BINARY, VARBINARY,
            UUID,
        ];
        ALL.iter().copied().find(|t| t.python_name() == name)
    }

    /// Which family a type belongs to, for `compare_type` and SQLite affinity.
    pub fn affinity(self) -> Affinity {
        use TypeName::*;
        match self {
            Integer | BigInteger | SmallInteger | INTEGER | BIGINT | SMALLINT => Affinity::Integer,
            String | Text | Unicode | UnicodeText | Enum | VARCHAR | NVARCHAR | CHAR | NCHAR | TEXT
            | CLOB => Affinity::String,
            Boolean | BOOLEAN => Affinity::Boolean,
            Date | DATE => Affinity::Date,
            DateTime | DATETIME | TIMESTAMP => Affinity::DateTime,
            Time | TIME => Affinity::Time,
            Interval => Affinity::Interval,
            Float | Double | FLOAT | REAL | DOUBLE | DOUBLE_PRECISION => Affinity::Float,
            Numeric | NUMERIC | DECIMAL => Affinity::Numeric,
            Json | JSON => Affinity::Json,
            LargeBinary | BLOB | BINARY | VARBINARY => Affinity::Binary,
            Uuid | UUID => Affinity::Uuid,
            NULLTYPE => Affinity::Null,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Affinity {
    Integer,
    String,
    Boolean,
    Date,
    DateTime,
    Time,
    Interval,
    Float,
    Numeric,
    Json,
    Binary,
    Uuid,
    Null,
}

/// An `Enum(...)` type's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct EnumSpec {
    /// The stored strings: the member *names* of a Python enum class, or the
    /// strings given.
    pub values: Vec<String>,
    /// `name=` (needed by PostgreSQL; kept for rendering).
    pub name: Option<String>,
    /// The Python enum class, when the type was built from one.
    pub class_name: Option<String>,
    /// `length=`, when given explicitly.
    pub length: Option<u32>,
    pub native_enum: bool,
    pub create_constraint: bool,
}

/// A column type with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SqlType {
    pub name: TypeName,
    pub length: Option<u32>,
    pub precision: Option<u32>,
    pub scale: Option<u32>,
    pub timezone: bool,
    pub collation: Option<String>,
    pub enum_spec: Option<EnumSpec>,
    /// `Boolean(create_constraint=True)`: adds a CHECK in DDL.
    pub create_constraint: bool,
}

impl SqlType {
    pub fn new(name: TypeName) -> Self {
        SqlType {
            name,
            length: None,
            precision: None,
            scale: None,
            timezone: false,
            collation: None,
            enum_spec: None,
            create_constraint: false,
        }
    }

    pub fn with_length(name: TypeName, length: u32) -> Self {
        SqlType { length: Some(length), ..SqlType::new(name) }
    }

    /// The VARCHAR length an Enum is stored in: its explicit `length`, else
    /// its longest value.
    pub fn enum_length(&self) -> Option<u32> {
        let spec = self.enum_spec.as_ref()?;
        Some(spec.length.unwrap_or_else(|| {
            spec.values.iter().map(|v| v.chars().count() as u32).max().unwrap_or(0)
        }))
    }

    /// The type as SQLAlchemy's SQLite dialect writes it in DDL.
    pub fn sqlite_ddl(&self) -> String {
        use TypeName::*;
        let with_length = |base: &str, length: Option<u32>| match length {
            Some(n) => format!("{base}({n})"),
            None => base.to_string(),
        };
        let mut ddl: std::string::String = match self.name {
            Integer | INTEGER => "INTEGER".into(),
            BigInteger | BIGINT => "BIGINT".into(),
            SmallInteger | SMALLINT => "SMALLINT".into(),
            String | Unicode | VARCHAR => with_length("VARCHAR", self.length),
            NVARCHAR => with_length("NVARCHAR", self.length),
            CHAR => with_length("CHAR", self.length),
            NCHAR => with_length("NCHAR", self.length),
            Text | UnicodeText | TEXT => with_length("TEXT", self.length),
            CLOB => "CLOB".into(),
            Boolean | BOOLEAN => "BOOLEAN".into(),
            Date | DATE => "DATE".into(),
            DateTime | DATETIME => "DATETIME".into(),
            TIMESTAMP => "TIMESTAMP".into(),
            Time | TIME => "TIME".into(),
            // SQLite has no interval type; SQLAlchemy stores it as a DATETIME.
            Interval => "DATETIME".into(),
            Float | FLOAT => with_length("FLOAT", self.precision),
            REAL => "REAL".into(),
            Double | DOUBLE => "DOUBLE".into(),
            DOUBLE_PRECISION => "DOUBLE PRECISION".into(),
            Numeric | NUMERIC | DECIMAL => {
                let base = if self.name == DECIMAL { "DECIMAL" } else { "NUMERIC" };
                match (self.precision, self.scale) {
                    (Some(p), Some(s)) => format!("{base}({p}, {s})"),
                    (Some(p), None) => format!("{base}({p})"),
                    _ => base.to_string(),
                }
            }
            Enum => with_length("VARCHAR", self.enum_length()),
            Json | JSON => "JSON".into(),
            LargeBinary | BLOB => "BLOB".into(),
            BINARY => with_length("BINARY", self.length),
            VARBINARY => with_length("VARBINARY", self.length),
            Uuid => "CHAR(32)".into(),
            UUID => "UUID".into(),
            NULLTYPE => std::string::String::new(),
        };
        if let Some(collation) = &self.collation {
            let _ = write!(ddl, " COLLATE \"{collation}\"");
        }
        ddl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_matches_sqlalchemy_sqlite() {
        assert_eq!(SqlType::with_length(TypeName::String, 50).sqlite_ddl(), "VARCHAR(50)");
        assert_eq!(SqlType::new(TypeName::String).sqlite_ddl(), "VARCHAR");
        assert_eq!(SqlType::new(TypeName::Uuid).sqlite_ddl(), "CHAR(32)");
        let numeric = SqlType { precision: Some(10), scale: Some(2), ..SqlType::new(TypeName::Numeric) };
        assert_eq!(numeric.sqlite_ddl(), "NUMERIC(10, 2)");
        let enum_type = SqlType {
            enum_spec: Some(EnumSpec { values: vec!["small".into(), "large".into()], ..Default::default() }),
            ..SqlType::new(TypeName::Enum)
        };
        assert_eq!(enum_type.sqlite_ddl(), "VARCHAR(5)");
    }

    #[test]
    fn python_names_round_trip() {
        assert_eq!(TypeName::from_python_name("JSON"), Some(TypeName::Json));
        for name in ["String", "VARCHAR", "Double", "JSON", "Uuid", "DOUBLE_PRECISION"] {
            assert_eq!(TypeName::from_python_name(name).unwrap().python_name(), name);
        }
    }
}
