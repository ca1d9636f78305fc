//! SQLite reflection against recordings of real SQLAlchemy: every case is
//! hand-written SQL (quoted names, named keys, referential actions, defaults,
//! renamed tables, odd types, inline constraints, expression indexes…) run on
//! an empty database, reflected by driftlab and, once, by SQLAlchemy's own
//! SQLite dialect; the facts each gives, table by table, must be equal.
//! `RECORDED` is the recorder's output (the script is at the end of this
//! file); a new case is a new entry there, recorded again.

use driftlab::engine::db;
use driftlab::engine::metadata::{Constraint, NameSource, ServerDefault, Table};
use driftlab::engine::reflect::{self, Reflection};
use driftlab::engine::sqltypes::{SqlType, TypeName};
use serde_json::{json, Value};

/// `VARCHAR(length=50)`: the class and the arguments the model keeps, as the recorder writes them.
fn type_text(sql_type: &SqlType) -> String {
    let mut args = Vec::new();
    for (attr, value) in [("length", sql_type.length), ("precision", sql_type.precision), ("scale", sql_type.scale)] {
        if let Some(value) = value {
            args.push(format!("{attr}={value}"));
        }
    }
    if sql_type.timezone {
        args.push("timezone=True".to_string());
    }
    if let Some(collation) = &sql_type.collation {
        args.push(format!("collation='{collation}'"));
    }
    if sql_type.create_constraint {
        args.push("create_constraint=True".to_string());
    }
    format!("{}({})", sql_type.name.python_name(), args.join(", "))
}

/// One JSON array per fact, in reflection order, as the recorder writes them.
fn table_lines(table: &Table) -> Vec<Value> {
    let mut lines = Vec::new();
    for c in &table.columns {
        let default = c.server_default.as_ref().map(ServerDefault::sql);
        lines.push(json!(["column", c.name, type_text(&c.type_), c.nullable, default, c.primary_key]));
    }
    lines.push(json!(["primary_key", table.primary_key.name, table.primary_key.columns]));
    for fk in table.foreign_keys() {
        lines.push(json!([
            "foreign_key", fk.name, fk.columns, fk.ref_table, fk.ref_columns, fk.ondelete, fk.onupdate, fk.deferrable,
            fk.initially
        ]));
    }
    for u in table.unique_constraints() {
        lines.push(json!(["unique", u.name, u.columns]));
    }
    for constraint in &table.constraints {
        if let Constraint::Check(ck) = constraint {
            lines.push(json!(["check", ck.name, ck.sqltext]));
        }
    }
    for ix in &table.indexes {
        lines.push(json!(["index", ix.name, ix.columns, ix.unique]));
    }
    lines
}

fn reflect_sql(sql: &str) -> Reflection {
    let conn = db::open(&[]).unwrap();
    conn.execute_batch(sql).unwrap();
    reflect::reflect_with_warnings(&conn).unwrap()
}

/// The differences between what SQLAlchemy recorded for a case and what driftlab reflects, readable.
fn differences(case: &Value) -> Vec<String> {
    let sql: Vec<&str> = case["sql"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let reflection = reflect_sql(&sql.join("\n"));
    let mut diffs = Vec::new();
    let expected_tables = case["tables"].as_object().unwrap();
    let expected_names: Vec<&String> = expected_tables.keys().collect();
    let actual_names: Vec<&String> = reflection.metadata.tables.iter().map(|t| &t.name).collect();
    if expected_names != actual_names {
        diffs.push(format!("tables: SQLAlchemy {expected_names:?}, driftlab {actual_names:?}"));
    }
    for table in &reflection.metadata.tables {
        let Some(expected) = expected_tables.get(&table.name) else { continue };
        let expected = expected.as_array().unwrap();
        let actual = table_lines(table);
        if *expected != actual {
            let mut text = format!("table {:?}:", table.name);
            for line in expected.iter().filter(|l| !actual.contains(l)) {
                text.push_str(&format!("\n  - {line}   (SQLAlchemy only)"));
            }
            for line in actual.iter().filter(|l| !expected.contains(l)) {
                text.push_str(&format!("\n  + {line}   (driftlab only)"));
            }
            if expected.iter().all(|l| actual.contains(l)) && actual.iter().all(|l| expected.contains(l)) {
                text.push_str("\n  same facts in another order");
            }
            diffs.push(text);
        }
    }
    let expected_warnings: Vec<&str> = case["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    if expected_warnings != reflection.warnings {
        diffs.push(format!("warnings: SQLAlchemy {expected_warnings:#?}\ndriftlab {:#?}", reflection.warnings));
    }
    if !reflection.errors.is_empty() {
        diffs.push(format!("errors (SQLAlchemy raised none): {:?}", reflection.errors));
    }
    diffs
}

#[test]
fn reflection_matches_recorded_sqlalchemy() {
    let cases: Vec<Value> = serde_json::from_str(RECORDED).unwrap();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in &cases {
        let diffs = differences(case);
        if !diffs.is_empty() {
            failures.push(format!("case {}:\n{}", case["name"], diffs.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn reflected_names_are_final_and_defaults_are_pragma_text() {
    let reflection = reflect_sql(
        "CREATE TABLE parent (id INTEGER NOT NULL, CONSTRAINT pk_parent PRIMARY KEY (id));
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER, created DATETIME DEFAULT (CURRENT_TIMESTAMP),
             status VARCHAR(10) DEFAULT 'a', CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
             ON DELETE CASCADE, UNIQUE (status));",
    );
    let child = reflection.metadata.table("child").unwrap();
    let fk = child.foreign_keys().next().unwrap();
    // Alembic marks reflected names conv(): final, rendered op.f('…').
    assert_eq!((fk.name.as_deref(), fk.name_source), (Some("fk_child_parent"), NameSource::Convention));
    assert_eq!(fk.ondelete.as_deref(), Some("CASCADE"));
    let unique = child.unique_constraints().next().unwrap();
    assert_eq!((unique.name.as_deref(), unique.name_source), (None, NameSource::None));
    // PRAGMA table_info gives the text inside DEFAULT (…) without the parentheses.
    assert_eq!(child.column("created").unwrap().server_default, Some(ServerDefault::Reflected("CURRENT_TIMESTAMP".into())));
    assert_eq!(child.column("status").unwrap().server_default, Some(ServerDefault::Reflected("'a'".into())));
    assert_eq!(child.column("status").unwrap().type_, SqlType::with_length(TypeName::VARCHAR, 10));
    let parent = reflection.metadata.table("parent").unwrap();
    assert_eq!(parent.primary_key.name.as_deref(), Some("pk_parent"));
    assert!(parent.column("id").unwrap().primary_key && !parent.column("id").unwrap().nullable);
}

#[test]
fn version_table_views_and_sqlite_tables_are_not_reflected() {
    let reflection = reflect_sql(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
         CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);
         INSERT INTO counter (n) VALUES (1);
         CREATE VIEW counter_view AS SELECT id, n FROM counter;",
    );
    let names: Vec<&str> = reflection.metadata.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["counter"]);
    // SQLAlchemy's SQLite dialect does not reflect AUTOINCREMENT.
    assert!(!reflection.metadata.tables[0].sqlite_autoincrement);
    // The version table can still be reflected by name.
    let conn = db::open(&[]).unwrap();
    conn.execute_batch("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))").unwrap();
    let table = reflect::reflect_table(&conn, "alembic_version", &mut Vec::new(), &mut Vec::new()).unwrap().unwrap();
    assert_eq!(table.primary_key.name.as_deref(), Some("alembic_version_pkc"));
    assert!(reflect::reflect_table(&conn, "missing", &mut Vec::new(), &mut Vec::new()).unwrap().is_none());
}

#[test]
fn a_virtual_table_without_its_module_is_reported_not_fatal() {
    let conn = db::open(&[]).unwrap();
    conn.execute_batch(
        "CREATE TABLE plain (a INTEGER);
         PRAGMA writable_schema = ON;
         INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql)
             VALUES ('table', 'v', 'v', 0, 'CREATE VIRTUAL TABLE v USING no_such_module(a)');
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    // Reopened, as SQLite reads the schema again.
    let conn = db::open(&db::to_bytes(&mut { conn }).unwrap()).unwrap();
    let reflection = reflect::reflect_with_warnings(&conn).unwrap();
    let names: Vec<&str> = reflection.metadata.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["plain"]);
    assert_eq!(reflection.errors.len(), 1, "{:?}", reflection.errors);
    assert!(reflection.errors[0].starts_with("v: "), "{:?}", reflection.errors);
}

#[test]
fn a_dangling_foreign_key_is_kept_and_reported() {
    let reflection = reflect_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, gone_id INTEGER REFERENCES gone (id));");
    let child = reflection.metadata.table("child").unwrap();
    assert_eq!(child.foreign_keys().next().unwrap().ref_table, "gone");
    // SQLAlchemy raises here, reflecting the referred table.
    assert_eq!(reflection.errors, ["NoSuchTableError: gone"]);
}

#[test]
fn odd_sql_never_panics() {
    let long_name = "n".repeat(5000);
    let odd = [
        "CREATE TABLE t (a INTEGER -- CONSTRAINT x CHECK (\n, b TEXT DEFAULT 'CHECK (' /* UNIQUE ( */)".to_string(),
        "CREATE TABLE t (a TEXT CONSTRAINT \"unclosed CHECK (a != ')'), b \"TEXT\" UNIQUE)".to_string(),
        format!("CREATE TABLE \"{long_name}\" (\"{long_name}\" VARCHAR({}) PRIMARY KEY CHECK (length(\"{long_name}\") > 0))", u64::MAX),
        format!("CREATE TABLE t (a INTEGER, CONSTRAINT \"{long_name}\" CHECK (a > 0), FOREIGN KEY (a) REFERENCES t ({long_name}))"),
        "CREATE TABLE [bracket table] ([a b] INTEGER, `c d` TEXT UNIQUE, UNIQUE ([a b]))".to_string(),
        "CREATE TABLE t (a, b, FOREIGN KEY (a, b) REFERENCES t, FOREIGN KEY (a) REFERENCES t (b), FOREIGN KEY (a) REFERENCES t (b))".to_string(),
        format!("CREATE TABLE t (a INTEGER{}NOT NULL, y INTEGER NOT NULL UNIQUE)", " ".repeat(5000)),
        "CREATE TABLE t (x, UNIQUE (x COLLATE NOCASE), CHECK ((x)))".to_string(),
        "CREATE TABLE t (a INT PRIMARY KEY) WITHOUT ROWID".to_string(),
    ];
    for sql in odd {
        let conn = db::open(&[]).unwrap();
        if conn.execute_batch(&sql).is_err() {
            continue; // not SQL SQLite takes; nothing to reflect
        }
        let reflection = reflect::reflect_with_warnings(&conn).unwrap();
        assert_eq!(reflection.metadata.tables.len(), 1, "{sql}");
    }
}

/// What SQLAlchemy's SQLite dialect reflected for each case: the recorder's
/// output (SQLAlchemy 2.1 from its main branch, with the "Accept any
/// whitespace in SQLite constraint reflection patterns" fix; Python 3.11's
/// sqlite3, SQLite 3.40.1).
const RECORDED: &str = r###"[
 {
  "name": "quoted_names",
  "sql": [
   "CREATE TABLE \"user\" (\"key\" VARCHAR(50) NOT NULL, \"order\" INTEGER, \"first name\" TEXT, PRIMARY KEY (\"key\"));",
   "CREATE TABLE \"select\" (id INTEGER NOT NULL, \"user_key\" VARCHAR(50), PRIMARY KEY (id), FOREIGN KEY(\"user_key\") REFERENCES \"user\" (\"key\"));",
   "CREATE INDEX \"ix first name\" ON \"user\" (\"first name\");"
  ],
  "tables": {
   "select": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "user_key", "VARCHAR(length=50)", true, null, false],
    ["primary_key", null, ["id"]],
    ["foreign_key", null, ["user_key"], "user", ["key"], null, null, null, null]
   ],
   "user": [
    ["column", "key", "VARCHAR(length=50)", false, null, true],
    ["column", "order", "INTEGER()", true, null, false],
    ["column", "first name", "TEXT()", true, null, false],
    ["primary_key", null, ["key"]],
    ["index", "ix first name", ["first name"], false]
   ]
  },
  "warnings": []
 },
 {
  "name": "named_primary_key",
  "sql": [
   "CREATE TABLE membership (",
   "\tuser_id INTEGER NOT NULL,",
   "\tgroup_id INTEGER NOT NULL,",
   "\trole VARCHAR(20),",
   "\tCONSTRAINT pk_membership PRIMARY KEY (group_id, user_id)",
   ");",
   "CREATE TABLE multiline (a INTEGER, CONSTRAINT \"pk multi\"",
   "    PRIMARY",
   "    KEY (a));",
   "CREATE TABLE unnamed (a INTEGER PRIMARY KEY, b TEXT);",
   "CREATE TABLE nokey (a INTEGER, b TEXT);"
  ],
  "tables": {
   "membership": [
    ["column", "user_id", "INTEGER()", false, null, true],
    ["column", "group_id", "INTEGER()", false, null, true],
    ["column", "role", "VARCHAR(length=20)", true, null, false],
    ["primary_key", "pk_membership", ["group_id", "user_id"]]
   ],
   "multiline": [
    ["column", "a", "INTEGER()", true, null, true],
    ["primary_key", "pk multi", ["a"]]
   ],
   "nokey": [
    ["column", "a", "INTEGER()", true, null, false],
    ["column", "b", "TEXT()", true, null, false],
    ["primary_key", null, []]
   ],
   "unnamed": [
    ["column", "a", "INTEGER()", true, null, true],
    ["column", "b", "TEXT()", true, null, false],
    ["primary_key", null, ["a"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "foreign_keys",
  "sql": [
   "CREATE TABLE parent (id INTEGER NOT NULL, code VARCHAR(10) NOT NULL, PRIMARY KEY (id), UNIQUE (code));",
   "CREATE TABLE child (",
   "\tid INTEGER NOT NULL,",
   "\tparent_id INTEGER NOT NULL,",
   "\tparent_code VARCHAR(10),",
   "\tother_id INTEGER REFERENCES parent(id) ON DELETE CASCADE,",
   "\tbare_id INTEGER REFERENCES parent,",
   "\tPRIMARY KEY (id),",
   "\tCONSTRAINT fk_child_parent FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE,",
   "\tFOREIGN KEY(parent_code) REFERENCES \"parent\" (\"code\") ON UPDATE SET NULL ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED",
   ");",
   "CREATE TABLE pair (a INTEGER, b INTEGER, c INTEGER,",
   "\tCONSTRAINT fk_pair FOREIGN KEY (a, b) REFERENCES pair2 (x, y) ON DELETE SET NULL,",
   "\tFOREIGN KEY (c) REFERENCES Parent (ID));",
   "CREATE TABLE pair2 (x INTEGER, y INTEGER, PRIMARY KEY (x, y));",
   "CREATE TABLE multiline_fk (p INTEGER,",
   "  CONSTRAINT fk_multi",
   "  FOREIGN KEY (p)",
   "  REFERENCES parent (id)",
   "  ON DELETE",
   "  CASCADE);"
  ],
  "tables": {
   "child": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "parent_id", "INTEGER()", false, null, false],
    ["column", "parent_code", "VARCHAR(length=10)", true, null, false],
    ["column", "other_id", "INTEGER()", true, null, false],
    ["column", "bare_id", "INTEGER()", true, null, false],
    ["primary_key", null, ["id"]],
    ["foreign_key", "fk_child_parent", ["parent_id"], "parent", ["id"], "CASCADE", null, null, null],
    ["foreign_key", null, ["parent_code"], "parent", ["code"], null, "SET NULL", true, "DEFERRED"],
    ["foreign_key", null, ["bare_id"], "parent", ["id"], null, null, null, null],
    ["foreign_key", null, ["other_id"], "parent", ["id"], null, null, null, null]
   ],
   "multiline_fk": [
    ["column", "p", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", "fk_multi", ["p"], "parent", ["id"], "CASCADE", null, null, null]
   ],
   "pair": [
    ["column", "a", "INTEGER()", true, null, false],
    ["column", "b", "INTEGER()", true, null, false],
    ["column", "c", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", "fk_pair", ["a", "b"], "pair2", ["x", "y"], "SET NULL", null, null, null],
    ["foreign_key", null, ["c"], "Parent", ["ID"], null, null, null, null]
   ],
   "pair2": [
    ["column", "x", "INTEGER()", true, null, true],
    ["column", "y", "INTEGER()", true, null, true],
    ["primary_key", null, ["x", "y"]]
   ],
   "parent": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "code", "VARCHAR(length=10)", false, null, false],
    ["primary_key", null, ["id"]],
    ["unique", null, ["code"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "defaults",
  "sql": [
   "CREATE TABLE d (",
   "\tid INTEGER NOT NULL PRIMARY KEY,",
   "\tcreated DATETIME DEFAULT (CURRENT_TIMESTAMP),",
   "\tupdated DATETIME DEFAULT CURRENT_TIMESTAMP,",
   "\tstatus VARCHAR(10) DEFAULT 'a' NOT NULL,",
   "\tquoted TEXT DEFAULT 'it''s',",
   "\tdq TEXT DEFAULT \"x\",",
   "\tzero INTEGER DEFAULT 0,",
   "\tten INTEGER DEFAULT 10,",
   "\tneg INTEGER DEFAULT -1,",
   "\tsum INTEGER DEFAULT (1 + 2),",
   "\tflag BOOLEAN DEFAULT 1,",
   "\tnone_ TEXT DEFAULT NULL,",
   "\tfunc TEXT DEFAULT (lower('ABC'))",
   ");"
  ],
  "tables": {
   "d": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "created", "DATETIME()", true, "CURRENT_TIMESTAMP", false],
    ["column", "updated", "DATETIME()", true, "CURRENT_TIMESTAMP", false],
    ["column", "status", "VARCHAR(length=10)", false, "'a'", false],
    ["column", "quoted", "TEXT()", true, "'it''s'", false],
    ["column", "dq", "TEXT()", true, "\"x\"", false],
    ["column", "zero", "INTEGER()", true, "0", false],
    ["column", "ten", "INTEGER()", true, "10", false],
    ["column", "neg", "INTEGER()", true, "-1", false],
    ["column", "sum", "INTEGER()", true, "1 + 2", false],
    ["column", "flag", "BOOLEAN()", true, "1", false],
    ["column", "none_", "TEXT()", true, "NULL", false],
    ["column", "func", "TEXT()", true, "lower('ABC')", false],
    ["primary_key", null, ["id"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "renamed",
  "sql": [
   "CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), PRIMARY KEY (id));",
   "CREATE TABLE post (id INTEGER NOT NULL, user_id INTEGER, title VARCHAR(20), PRIMARY KEY (id), CONSTRAINT fk_post_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, UNIQUE (title));",
   "CREATE INDEX ix_post_title ON post (title);",
   "ALTER TABLE user RENAME TO account;",
   "ALTER TABLE post RENAME COLUMN title TO headline;",
   "ALTER TABLE post ADD COLUMN body TEXT DEFAULT 'none' NOT NULL;"
  ],
  "tables": {
   "account": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "name", "VARCHAR(length=50)", true, null, false],
    ["primary_key", null, ["id"]]
   ],
   "post": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "user_id", "INTEGER()", true, null, false],
    ["column", "headline", "VARCHAR(length=20)", true, null, false],
    ["column", "body", "TEXT()", false, "'none'", false],
    ["primary_key", null, ["id"]],
    ["foreign_key", "fk_post_user", ["user_id"], "account", ["id"], "CASCADE", null, null, null],
    ["unique", null, ["headline"]],
    ["index", "ix_post_title", ["headline"], false]
   ]
  },
  "warnings": []
 },
 {
  "name": "skipped_tables",
  "sql": [
   "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));",
   "CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);",
   "INSERT INTO counter (n) VALUES (1);",
   "CREATE VIEW counter_view AS SELECT id, n FROM counter;",
   "CREATE TABLE \"with space\" (a INTEGER);",
   "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"x\"\"\" TEXT);",
   "CREATE TABLE \"Ünïcode\" (\"naïve\" TEXT);"
  ],
  "tables": {
   "counter": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "n", "INTEGER()", true, null, false],
    ["primary_key", null, ["id"]]
   ],
   "weird \"name\"": [
    ["column", "col \"x\"", "TEXT()", true, null, false],
    ["primary_key", null, []]
   ],
   "with space": [
    ["column", "a", "INTEGER()", true, null, false],
    ["primary_key", null, []]
   ],
   "Ünïcode": [
    ["column", "naïve", "TEXT()", true, null, false],
    ["primary_key", null, []]
   ]
  },
  "warnings": []
 },
 {
  "name": "types",
  "sql": [
   "CREATE TABLE t (",
   "\ta VARCHAR(50), b NVARCHAR(30), c CHAR(32), d NCHAR(2), e TEXT, f CLOB,",
   "\tg INTEGER, h INT, i BIGINT, j SMALLINT, k MEDIUMINT, l INTEGER(11),",
   "\tm NUMERIC(10, 2), n DECIMAL(8,3), o NUMERIC, p FLOAT, q FLOAT(53), r REAL, s DOUBLE, t DOUBLE PRECISION,",
   "\tu BOOLEAN, v BOOL, w DATE, x DATETIME, y TIME, z TIMESTAMP, aa TIMESTAMP(6),",
   "\tab BLOB, ac JSON, ad UUID, ae BINARY(16), af VARBINARY(8), ag, ah LONGTEXT, ai FLOATING POINT,",
   "\taj VARCHAR (50), ak varchar(20), al VARCHAR(10, 5), am DATE(5), an \"WEIRD TYPE\", ao DATETIME_CHAR,",
   "\tap CHARACTER VARYING(40), aq LONGBLOB, ar NUMERIC(5 ,2), as_ INTEGER(+11), at DECIMAL(-1)",
   ");"
  ],
  "tables": {
   "t": [
    ["column", "a", "VARCHAR(length=50)", true, null, false],
    ["column", "b", "NVARCHAR(length=30)", true, null, false],
    ["column", "c", "CHAR(length=32)", true, null, false],
    ["column", "d", "NCHAR(length=2)", true, null, false],
    ["column", "e", "TEXT()", true, null, false],
    ["column", "f", "TEXT()", true, null, false],
    ["column", "g", "INTEGER()", true, null, false],
    ["column", "h", "INTEGER()", true, null, false],
    ["column", "i", "BIGINT()", true, null, false],
    ["column", "j", "SMALLINT()", true, null, false],
    ["column", "k", "INTEGER()", true, null, false],
    ["column", "l", "INTEGER()", true, null, false],
    ["column", "m", "NUMERIC(precision=10, scale=2)", true, null, false],
    ["column", "n", "DECIMAL(precision=8, scale=3)", true, null, false],
    ["column", "o", "NUMERIC()", true, null, false],
    ["column", "p", "FLOAT()", true, null, false],
    ["column", "q", "FLOAT(precision=53)", true, null, false],
    ["column", "r", "REAL()", true, null, false],
    ["column", "s", "DOUBLE()", true, null, false],
    ["column", "t", "REAL()", true, null, false],
    ["column", "u", "BOOLEAN()", true, null, false],
    ["column", "v", "BOOLEAN()", true, null, false],
    ["column", "w", "DATE()", true, null, false],
    ["column", "x", "DATETIME()", true, null, false],
    ["column", "y", "TIME()", true, null, false],
    ["column", "z", "TIMESTAMP()", true, null, false],
    ["column", "aa", "TIMESTAMP(timezone=True)", true, null, false],
    ["column", "ab", "BLOB()", true, null, false],
    ["column", "ac", "JSON()", true, null, false],
    ["column", "ad", "NUMERIC()", true, null, false],
    ["column", "ae", "NUMERIC(precision=16)", true, null, false],
    ["column", "af", "NUMERIC(precision=8)", true, null, false],
    ["column", "ag", "NullType()", true, null, false],
    ["column", "ah", "TEXT()", true, null, false],
    ["column", "ai", "INTEGER()", true, null, false],
    ["column", "aj", "TEXT(length=50)", true, null, false],
    ["column", "ak", "VARCHAR(length=20)", true, null, false],
    ["column", "al", "VARCHAR(length=10, collation='5')", true, null, false],
    ["column", "am", "DATE()", true, null, false],
    ["column", "an", "NUMERIC()", true, null, false],
    ["column", "ao", "DATETIME()", true, null, false],
    ["column", "ap", "TEXT(length=40)", true, null, false],
    ["column", "aq", "NullType()", true, null, false],
    ["column", "ar", "NUMERIC(precision=5, scale=2)", true, null, false],
    ["column", "as_", "INTEGER()", true, null, false],
    ["column", "at", "DECIMAL(precision=1)", true, null, false],
    ["primary_key", null, []]
   ]
  },
  "warnings": ["Could not instantiate type <class 'sqlalchemy.sql.sqltypes.INTEGER'> with reflected arguments ['11']; using no arguments.", "Could not instantiate type <class 'sqlalchemy.sql.sqltypes.DATE'> with reflected arguments ['5']; using no arguments."]
 },
 {
  "name": "uniques",
  "sql": [
   "CREATE TABLE u (",
   "\tid INTEGER NOT NULL,",
   "\temail VARCHAR(120) NOT NULL,",
   "\tcode TEXT NOT NULL UNIQUE,",
   "\tsku VARCHAR(20) UNIQUE,",
   "\tbare UNIQUE,",
   "\ta INTEGER, b INTEGER,",
   "\tPRIMARY KEY (id),",
   "\tCONSTRAINT uq_u_email UNIQUE (email),",
   "\tUNIQUE (a, b),",
   "\tUNIQUE (b, a),",
   "\tUNIQUE (a, b)",
   ");",
   "CREATE TABLE k (name VARCHAR(10) NOT NULL, tag TEXT, PRIMARY KEY (name), CONSTRAINT uq_k_name UNIQUE (name));"
  ],
  "tables": {
   "k": [
    ["column", "name", "VARCHAR(length=10)", false, null, true],
    ["column", "tag", "TEXT()", true, null, false],
    ["primary_key", null, ["name"]],
    ["unique", "uq_k_name", ["name"]]
   ],
   "u": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "email", "VARCHAR(length=120)", false, null, false],
    ["column", "code", "TEXT()", false, null, false],
    ["column", "sku", "VARCHAR(length=20)", true, null, false],
    ["column", "bare", "NullType()", true, null, false],
    ["column", "a", "INTEGER()", true, null, false],
    ["column", "b", "INTEGER()", true, null, false],
    ["primary_key", null, ["id"]],
    ["unique", "uq_u_email", ["email"]],
    ["unique", null, ["a", "b"]],
    ["unique", null, ["b", "a"]],
    ["unique", null, ["code"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "checks",
  "sql": [
   "CREATE TABLE c (",
   "\tid INTEGER NOT NULL,",
   "\tqty INTEGER CHECK (qty > 0),",
   "\tstatus VARCHAR(8),",
   "\tnote TEXT,",
   "\tPRIMARY KEY (id),",
   "\tCONSTRAINT ck_c_status CHECK (status IN ('new', 'done(ish)')),",
   "\tCONSTRAINT \"ck c note\" CHECK (length(note) < 100),",
   "\tCHECK(qty<1000),",
   "\tCONSTRAINT [ck_bracket] CHECK ( id != 0 ),",
   "\tCONSTRAINT zz_multi CHECK (",
   "\t\tqty IS NOT NULL",
   "\t)",
   ");",
   "CREATE TABLE \"tableCHECK\" (xcheck INTEGER, CONSTRAINT ck CHECK (xcheck > 1));"
  ],
  "tables": {
   "c": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "qty", "INTEGER()", true, null, false],
    ["column", "status", "VARCHAR(length=8)", true, null, false],
    ["column", "note", "TEXT()", true, null, false],
    ["primary_key", null, ["id"]],
    ["check", "ck c note", "length(note) < 100"],
    ["check", "ck_bracket", "id != 0"],
    ["check", "ck_c_status", "status IN ('new', 'done(ish)')"],
    ["check", "zz_multi", "qty IS NOT NULL"],
    ["check", null, "qty > 0"],
    ["check", null, "qty<1000"]
   ],
   "tableCHECK": [
    ["column", "xcheck", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["check", "ck", "xcheck > 1"]
   ]
  },
  "warnings": []
 },
 {
  "name": "indexes",
  "sql": [
   "CREATE TABLE i (id INTEGER NOT NULL, a TEXT, b TEXT, \"Mixed Case\" TEXT, PRIMARY KEY (id));",
   "CREATE INDEX ix_i_a ON i (a);",
   "CREATE UNIQUE INDEX ux_i_ab ON i (a, b);",
   "CREATE INDEX ix_i_lower ON i (lower(a));",
   "CREATE INDEX ix_i_partial ON i (b) WHERE b IS NOT NULL;",
   "CREATE INDEX ix_i_desc ON i (b DESC, a);",
   "CREATE INDEX \"ix mixed\" ON i (\"Mixed Case\");"
  ],
  "tables": {
   "i": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "a", "TEXT()", true, null, false],
    ["column", "b", "TEXT()", true, null, false],
    ["column", "Mixed Case", "TEXT()", true, null, false],
    ["primary_key", null, ["id"]],
    ["index", "ix mixed", ["Mixed Case"], false],
    ["index", "ix_i_a", ["a"], false],
    ["index", "ix_i_desc", ["b", "a"], false],
    ["index", "ix_i_partial", ["b"], false],
    ["index", "ux_i_ab", ["a", "b"], true]
   ]
  },
  "warnings": ["Skipped unsupported reflection of expression-based index ix_i_lower"]
 },
 {
  "name": "table_options",
  "sql": [
   "CREATE TABLE wr (k TEXT NOT NULL PRIMARY KEY, v INTEGER) WITHOUT ROWID;",
   "CREATE TABLE st (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT;",
   "CREATE TABLE gen (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c TEXT AS (upper(a)) STORED);"
  ],
  "tables": {
   "gen": [
    ["column", "a", "INTEGER()", true, null, false],
    ["column", "b", "INTEGER()", true, null, false],
    ["column", "c", "TEXT()", true, null, false],
    ["primary_key", null, []]
   ],
   "st": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "v", "TEXT()", false, null, false],
    ["primary_key", null, ["id"]]
   ],
   "wr": [
    ["column", "k", "TEXT()", false, null, true],
    ["column", "v", "INTEGER()", true, null, false],
    ["primary_key", null, ["k"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "fk_quirks",
  "sql": [
   "CREATE TABLE parent (id INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (id, b));",
   "CREATE TABLE twice (p INTEGER, q INTEGER,",
   "\tCONSTRAINT fk_one FOREIGN KEY (p, q) REFERENCES parent (id, b),",
   "\tCONSTRAINT fk_two FOREIGN KEY (p, q) REFERENCES parent (id, b));",
   "CREATE TABLE bare (p INTEGER, q INTEGER, FOREIGN KEY (p, q) REFERENCES parent ON DELETE CASCADE);",
   "CREATE TABLE cased (Pid INTEGER, CONSTRAINT fk_cased FOREIGN KEY (pid) REFERENCES parent (ID));",
   "CREATE TABLE \"quoted fk\" (\"p id\" INTEGER, CONSTRAINT \"fk quoted\" FOREIGN KEY (\"p id\") REFERENCES \"parent\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE NOT DEFERRABLE INITIALLY IMMEDIATE);",
   "CREATE TABLE bracketed ([p] INTEGER, CONSTRAINT [fk_b] FOREIGN KEY ([p]) REFERENCES [parent] ([id]) ON DELETE CASCADE);",
   "CREATE TABLE \"weird \"\"name\"\"\" (\"col \"\"x\"\"\" INTEGER PRIMARY KEY);",
   "CREATE TABLE to_weird (w INTEGER, FOREIGN KEY (w) REFERENCES \"weird \"\"name\"\"\" (\"col \"\"x\"\"\"));",
   "CREATE TABLE selfref (id INTEGER PRIMARY KEY, up INTEGER, CONSTRAINT fk_self FOREIGN KEY (up) REFERENCES selfref (id) ON DELETE SET DEFAULT);"
  ],
  "tables": {
   "bare": [
    ["column", "p", "INTEGER()", true, null, false],
    ["column", "q", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", null, ["p", "q"], "parent", ["id", "b"], null, null, null, null]
   ],
   "bracketed": [
    ["column", "p", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", null, ["p"], "parent", ["id"], null, null, null, null]
   ],
   "cased": [
    ["column", "Pid", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", null, ["Pid"], "parent", ["ID"], null, null, null, null]
   ],
   "parent": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "b", "INTEGER()", false, null, true],
    ["primary_key", null, ["id", "b"]]
   ],
   "quoted fk": [
    ["column", "p id", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", "fk quoted", ["p id"], "parent", ["id"], "RESTRICT", "CASCADE", false, "IMMEDIATE"]
   ],
   "selfref": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "up", "INTEGER()", true, null, false],
    ["primary_key", null, ["id"]],
    ["foreign_key", "fk_self", ["up"], "selfref", ["id"], "SET DEFAULT", null, null, null]
   ],
   "to_weird": [
    ["column", "w", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", null, ["w"], "weird \"name\"", ["col \"x\""], null, null, null, null]
   ],
   "twice": [
    ["column", "p", "INTEGER()", true, null, false],
    ["column", "q", "INTEGER()", true, null, false],
    ["primary_key", null, []],
    ["foreign_key", "fk_one", ["p", "q"], "parent", ["id", "b"], null, null, null, null]
   ],
   "weird \"name\"": [
    ["column", "col \"x\"", "INTEGER()", true, null, true],
    ["primary_key", null, ["col \"x\""]]
   ]
  },
  "warnings": ["WARNING: SQL-parsed foreign key constraint '('pid', 'parent', 'ID')' could not be located in PRAGMA foreign_keys for table cased", "WARNING: SQL-parsed foreign key constraint '('p', 'q', 'parent', 'id', 'b')' could not be located in PRAGMA foreign_keys for table twice"]
 },
 {
  "name": "text_quirks",
  "sql": [
   "CREATE TABLE comments (",
   "\ta INTEGER, -- CONSTRAINT not_a_name CHECK (a > 0)",
   "\tb TEXT DEFAULT 'CHECK (x)', /* UNIQUE (a) */",
   "\tmyconstraint INTEGER PRIMARY KEY,",
   "\tc TEXT NOT NULL UNIQUE,",
   "\t\"e mail\" TEXT UNIQUE,",
   "\t[f g] TEXT UNIQUE,",
   "\t`h` INTEGER NOT NULL UNIQUE,",
   "\ti\tTEXT\tUNIQUE,",
   "\tCONSTRAINT \"ck \"\"quoted\"\"\" CHECK (a != 'it''s )'),",
   "\tCONSTRAINT 'ck_single' CHECK (b IS NOT NULL),",
   "\tCONSTRAINT `ck_tick` CHECK (a < 10)",
   ");",
   "CREATE TABLE composite_unique (x TEXT, y TEXT, PRIMARY KEY (x, y), UNIQUE (x, y), UNIQUE (y));",
   "CREATE UNIQUE INDEX ux_partial ON composite_unique (y) WHERE y IS NOT NULL;"
  ],
  "tables": {
   "comments": [
    ["column", "a", "INTEGER()", true, null, false],
    ["column", "b", "TEXT()", true, "'CHECK (x)'", false],
    ["column", "myconstraint", "INTEGER()", true, null, true],
    ["column", "c", "TEXT()", false, null, false],
    ["column", "e mail", "TEXT()", true, null, false],
    ["column", "f g", "TEXT()", true, null, false],
    ["column", "h", "INTEGER()", false, null, false],
    ["column", "i", "TEXT()", true, null, false],
    ["primary_key", "INTEGER", ["myconstraint"]],
    ["unique", null, ["c"]],
    ["unique", null, ["e mail"]],
    ["unique", null, ["h"]],
    ["unique", null, ["i"]],
    ["check", "ck \"\"quoted\"\"", "a != 'it''s )'"],
    ["check", "ck_single", "b IS NOT NULL"],
    ["check", "ck_tick", "a < 10"],
    ["check", "not_a_name", "a > 0"],
    ["check", null, "x"]
   ],
   "composite_unique": [
    ["column", "x", "TEXT()", true, null, true],
    ["column", "y", "TEXT()", true, null, true],
    ["primary_key", null, ["x", "y"]],
    ["unique", null, ["x", "y"]],
    ["unique", null, ["y"]],
    ["index", "ux_partial", ["y"], true]
   ]
  },
  "warnings": []
 },
 {
  "name": "virtual_tables",
  "sql": [
   "CREATE VIRTUAL TABLE docs USING fts5(title, body);",
   "CREATE TABLE plain (id INTEGER PRIMARY KEY);"
  ],
  "tables": {
   "docs": [
    ["column", "title", "NullType()", true, null, false],
    ["column", "body", "NullType()", true, null, false],
    ["primary_key", null, []]
   ],
   "docs_config": [
    ["column", "k", "NullType()", false, null, true],
    ["column", "v", "NullType()", true, null, false],
    ["primary_key", null, ["k"]]
   ],
   "docs_content": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "c0", "NullType()", true, null, false],
    ["column", "c1", "NullType()", true, null, false],
    ["primary_key", null, ["id"]]
   ],
   "docs_data": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "block", "BLOB()", true, null, false],
    ["primary_key", null, ["id"]]
   ],
   "docs_docsize": [
    ["column", "id", "INTEGER()", true, null, true],
    ["column", "sz", "BLOB()", true, null, false],
    ["primary_key", null, ["id"]]
   ],
   "docs_idx": [
    ["column", "segid", "NullType()", false, null, true],
    ["column", "term", "NullType()", false, null, true],
    ["column", "pgno", "NullType()", true, null, false],
    ["primary_key", null, ["segid", "term"]]
   ],
   "plain": [
    ["column", "id", "INTEGER()", true, null, true],
    ["primary_key", null, ["id"]]
   ]
  },
  "warnings": []
 },
 {
  "name": "sqlalchemy_ddl",
  "sql": [
   "CREATE TABLE org (",
   "\tid INTEGER NOT NULL,",
   "\tname VARCHAR(80) NOT NULL,",
   "\tPRIMARY KEY (id)",
   ");",
   "CREATE TABLE project (",
   "\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,",
   "\torg_id INTEGER NOT NULL,",
   "\tslug VARCHAR(40) NOT NULL,",
   "\tbudget INTEGER NOT NULL,",
   "\tcreated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,",
   "\tCONSTRAINT uq_project_org_slug UNIQUE (org_id, slug),",
   "\tCONSTRAINT ck_project_budget_positive CHECK (budget >= 0),",
   "\tCONSTRAINT fk_project_org_id_org FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE",
   ");",
   "CREATE INDEX ix_project_org_created ON project (org_id, created_at);"
  ],
  "tables": {
   "org": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "name", "VARCHAR(length=80)", false, null, false],
    ["primary_key", null, ["id"]]
   ],
   "project": [
    ["column", "id", "INTEGER()", false, null, true],
    ["column", "org_id", "INTEGER()", false, null, false],
    ["column", "slug", "VARCHAR(length=40)", false, null, false],
    ["column", "budget", "INTEGER()", false, null, false],
    ["column", "created_at", "DATETIME()", false, "CURRENT_TIMESTAMP", false],
    ["primary_key", null, ["id"]],
    ["foreign_key", "fk_project_org_id_org", ["org_id"], "org", ["id"], "CASCADE", null, null, null],
    ["unique", "uq_project_org_slug", ["org_id", "slug"]],
    ["check", "ck_project_budget_positive", "budget >= 0"],
    ["index", "ix_project_org_created", ["org_id", "created_at"], false]
   ]
  },
  "warnings": []
 }
]
"###;

// The recorder. To re-record after adding a case to CASES, save these lines
// (without the leading "// ") as record_reflect.py, run
//     PYTHONPATH=/path/to/sqlalchemy/lib python3 record_reflect.py
// and paste its output into RECORDED.
//
// """Records what SQLAlchemy's SQLite reflection gives for hand-written SQL.
//
// Run with SQLAlchemy importable:  PYTHONPATH=/path/to/sqlalchemy/lib python3 record_reflect.py
// Prints the JSON embedded in tests/reflect_sql.rs (RECORDED).
// """
// import json
// import sqlite3
// import warnings
//
// import sqlalchemy as sa
// from sqlalchemy import types as sqltypes
//
// CASES = [
//     ("quoted_names", """
// CREATE TABLE "user" ("key" VARCHAR(50) NOT NULL, "order" INTEGER, "first name" TEXT, PRIMARY KEY ("key"));
// CREATE TABLE "select" (id INTEGER NOT NULL, "user_key" VARCHAR(50), PRIMARY KEY (id), FOREIGN KEY("user_key") REFERENCES "user" ("key"));
// CREATE INDEX "ix first name" ON "user" ("first name");
// """),
//     ("named_primary_key", """
// CREATE TABLE membership (
// \tuser_id INTEGER NOT NULL,
// \tgroup_id INTEGER NOT NULL,
// \trole VARCHAR(20),
// \tCONSTRAINT pk_membership PRIMARY KEY (group_id, user_id)
// );
// CREATE TABLE multiline (a INTEGER, CONSTRAINT "pk multi"
//     PRIMARY
//     KEY (a));
// CREATE TABLE unnamed (a INTEGER PRIMARY KEY, b TEXT);
// CREATE TABLE nokey (a INTEGER, b TEXT);
// """),
//     ("foreign_keys", """
// CREATE TABLE parent (id INTEGER NOT NULL, code VARCHAR(10) NOT NULL, PRIMARY KEY (id), UNIQUE (code));
// CREATE TABLE child (
// \tid INTEGER NOT NULL,
// \tparent_id INTEGER NOT NULL,
// \tparent_code VARCHAR(10),
// \tother_id INTEGER REFERENCES parent(id) ON DELETE CASCADE,
// \tbare_id INTEGER REFERENCES parent,
// \tPRIMARY KEY (id),
// \tCONSTRAINT fk_child_parent FOREIGN KEY(parent_id) REFERENCES parent (id) ON DELETE CASCADE,
// \tFOREIGN KEY(parent_code) REFERENCES "parent" ("code") ON UPDATE SET NULL ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED
// );
// CREATE TABLE pair (a INTEGER, b INTEGER, c INTEGER,
// \tCONSTRAINT fk_pair FOREIGN KEY (a, b) REFERENCES pair2 (x, y) ON DELETE SET NULL,
// \tFOREIGN KEY (c) REFERENCES Parent (ID));
// CREATE TABLE pair2 (x INTEGER, y INTEGER, PRIMARY KEY (x, y));
// CREATE TABLE multiline_fk (p INTEGER,
//   CONSTRAINT fk_multi
//   FOREIGN KEY (p)
//   REFERENCES parent (id)
//   ON DELETE
//   CASCADE);
// """),
//     ("defaults", """
// CREATE TABLE d (
// \tid INTEGER NOT NULL PRIMARY KEY,
// \tcreated DATETIME DEFAULT (CURRENT_TIMESTAMP),
// \tupdated DATETIME DEFAULT CURRENT_TIMESTAMP,
// \tstatus VARCHAR(10) DEFAULT 'a' NOT NULL,
// \tquoted TEXT DEFAULT 'it''s',
// \tdq TEXT DEFAULT "x",
// \tzero INTEGER DEFAULT 0,
// \tten INTEGER DEFAULT 10,
// \tneg INTEGER DEFAULT -1,
// \tsum INTEGER DEFAULT (1 + 2),
// \tflag BOOLEAN DEFAULT 1,
// \tnone_ TEXT DEFAULT NULL,
// \tfunc TEXT DEFAULT (lower('ABC'))
// );
// """),
//     ("renamed", """
// CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), PRIMARY KEY (id));
// CREATE TABLE post (id INTEGER NOT NULL, user_id INTEGER, title VARCHAR(20), PRIMARY KEY (id), CONSTRAINT fk_post_user FOREIGN KEY(user_id) REFERENCES user (id) ON DELETE CASCADE, UNIQUE (title));
// CREATE INDEX ix_post_title ON post (title);
// ALTER TABLE user RENAME TO account;
// ALTER TABLE post RENAME COLUMN title TO headline;
// ALTER TABLE post ADD COLUMN body TEXT DEFAULT 'none' NOT NULL;
// """),
//     ("skipped_tables", '''
// CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
// CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER);
// INSERT INTO counter (n) VALUES (1);
// CREATE VIEW counter_view AS SELECT id, n FROM counter;
// CREATE TABLE "with space" (a INTEGER);
// CREATE TABLE "weird ""name""" ("col ""x""" TEXT);
// CREATE TABLE "Ünïcode" ("naïve" TEXT);
// '''),
//     ("types", """
// CREATE TABLE t (
// \ta VARCHAR(50), b NVARCHAR(30), c CHAR(32), d NCHAR(2), e TEXT, f CLOB,
// \tg INTEGER, h INT, i BIGINT, j SMALLINT, k MEDIUMINT, l INTEGER(11),
// \tm NUMERIC(10, 2), n DECIMAL(8,3), o NUMERIC, p FLOAT, q FLOAT(53), r REAL, s DOUBLE, t DOUBLE PRECISION,
// \tu BOOLEAN, v BOOL, w DATE, x DATETIME, y TIME, z TIMESTAMP, aa TIMESTAMP(6),
// \tab BLOB, ac JSON, ad UUID, ae BINARY(16), af VARBINARY(8), ag, ah LONGTEXT, ai FLOATING POINT,
// \taj VARCHAR (50), ak varchar(20), al VARCHAR(10, 5), am DATE(5), an "WEIRD TYPE", ao DATETIME_CHAR,
// \tap CHARACTER VARYING(40), aq LONGBLOB, ar NUMERIC(5 ,2), as_ INTEGER(+11), at DECIMAL(-1)
// );
// """),
//     ("uniques", """
// CREATE TABLE u (
// \tid INTEGER NOT NULL,
// \temail VARCHAR(120) NOT NULL,
// \tcode TEXT NOT NULL UNIQUE,
// \tsku VARCHAR(20) UNIQUE,
// \tbare UNIQUE,
// \ta INTEGER, b INTEGER,
// \tPRIMARY KEY (id),
// \tCONSTRAINT uq_u_email UNIQUE (email),
// \tUNIQUE (a, b),
// \tUNIQUE (b, a),
// \tUNIQUE (a, b)
// );
// CREATE TABLE k (name VARCHAR(10) NOT NULL, tag TEXT, PRIMARY KEY (name), CONSTRAINT uq_k_name UNIQUE (name));
// """),
//     ("checks", """
// CREATE TABLE c (
// \tid INTEGER NOT NULL,
// \tqty INTEGER CHECK (qty > 0),
// \tstatus VARCHAR(8),
// \tnote TEXT,
// \tPRIMARY KEY (id),
// \tCONSTRAINT ck_c_status CHECK (status IN ('new', 'done(ish)')),
// \tCONSTRAINT "ck c note" CHECK (length(note) < 100),
// \tCHECK(qty<1000),
// \tCONSTRAINT [ck_bracket] CHECK ( id != 0 ),
// \tCONSTRAINT zz_multi CHECK (
// \t\tqty IS NOT NULL
// \t)
// );
// CREATE TABLE "tableCHECK" (xcheck INTEGER, CONSTRAINT ck CHECK (xcheck > 1));
// """),
//     ("indexes", """
// CREATE TABLE i (id INTEGER NOT NULL, a TEXT, b TEXT, "Mixed Case" TEXT, PRIMARY KEY (id));
// CREATE INDEX ix_i_a ON i (a);
// CREATE UNIQUE INDEX ux_i_ab ON i (a, b);
// CREATE INDEX ix_i_lower ON i (lower(a));
// CREATE INDEX ix_i_partial ON i (b) WHERE b IS NOT NULL;
// CREATE INDEX ix_i_desc ON i (b DESC, a);
// CREATE INDEX "ix mixed" ON i ("Mixed Case");
// """),
//     ("table_options", """
// CREATE TABLE wr (k TEXT NOT NULL PRIMARY KEY, v INTEGER) WITHOUT ROWID;
// CREATE TABLE st (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT;
// CREATE TABLE gen (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c TEXT AS (upper(a)) STORED);
// """),
//     ("fk_quirks", '''
// CREATE TABLE parent (id INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (id, b));
// CREATE TABLE twice (p INTEGER, q INTEGER,
// 	CONSTRAINT fk_one FOREIGN KEY (p, q) REFERENCES parent (id, b),
// 	CONSTRAINT fk_two FOREIGN KEY (p, q) REFERENCES parent (id, b));
// CREATE TABLE bare (p INTEGER, q INTEGER, FOREIGN KEY (p, q) REFERENCES parent ON DELETE CASCADE);
// CREATE TABLE cased (Pid INTEGER, CONSTRAINT fk_cased FOREIGN KEY (pid) REFERENCES parent (ID));
// CREATE TABLE "quoted fk" ("p id" INTEGER, CONSTRAINT "fk quoted" FOREIGN KEY ("p id") REFERENCES "parent" ("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT DEFERRABLE INITIALLY IMMEDIATE);
// CREATE TABLE bracketed ([p] INTEGER, CONSTRAINT [fk_b] FOREIGN KEY ([p]) REFERENCES [parent] ([id]) ON DELETE CASCADE);
// CREATE TABLE "weird ""name""" ("col ""x""" INTEGER PRIMARY KEY);
// CREATE TABLE to_weird (w INTEGER, FOREIGN KEY (w) REFERENCES "weird ""name""" ("col ""x"""));
// CREATE TABLE selfref (id INTEGER PRIMARY KEY, up INTEGER, CONSTRAINT fk_self FOREIGN KEY (up) REFERENCES selfref (id) ON DELETE SET DEFAULT);
// '''),
//     ("text_quirks", '''
// CREATE TABLE comments (
// 	a INTEGER, -- CONSTRAINT not_a_name CHECK (a > 0)
// 	b TEXT DEFAULT 'CHECK (x)', /* UNIQUE (a) */
// 	myconstraint INTEGER PRIMARY KEY,
// 	c TEXT NOT NULL UNIQUE,
// 	"e mail" TEXT UNIQUE,
// 	[f g] TEXT UNIQUE,
// 	`h` INTEGER NOT NULL UNIQUE,
// 	i	TEXT	UNIQUE,
// 	CONSTRAINT "ck ""quoted""" CHECK (a != 'it''s )'),
// 	CONSTRAINT 'ck_single' CHECK (b IS NOT NULL),
// 	CONSTRAINT `ck_tick` CHECK (a < 10)
// );
// CREATE TABLE composite_unique (x TEXT, y TEXT, PRIMARY KEY (x, y), UNIQUE (x, y), UNIQUE (y));
// CREATE UNIQUE INDEX ux_partial ON composite_unique (y) WHERE y IS NOT NULL;
// '''),
//     ("virtual_tables", """
// CREATE VIRTUAL TABLE docs USING fts5(title, body);
// CREATE TABLE plain (id INTEGER PRIMARY KEY);
// """),
//     ("sqlalchemy_ddl", """
// CREATE TABLE org (
// \tid INTEGER NOT NULL,
// \tname VARCHAR(80) NOT NULL,
// \tPRIMARY KEY (id)
// );
// CREATE TABLE project (
// \tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
// \torg_id INTEGER NOT NULL,
// \tslug VARCHAR(40) NOT NULL,
// \tbudget INTEGER NOT NULL,
// \tcreated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
// \tCONSTRAINT uq_project_org_slug UNIQUE (org_id, slug),
// \tCONSTRAINT ck_project_budget_positive CHECK (budget >= 0),
// \tCONSTRAINT fk_project_org_id_org FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE
// );
// CREATE INDEX ix_project_org_created ON project (org_id, created_at);
// """),
// ]
//
//
// def type_text(t):
//     """`VARCHAR(length=50)`: the class and the arguments the model keeps."""
//     args = []
//     for attr in ("length", "precision", "scale"):
//         if getattr(t, attr, None) is not None:
//             args.append(f"{attr}={getattr(t, attr)}")
//     if getattr(t, "timezone", False):
//         args.append("timezone=True")
//     if getattr(t, "collation", None) is not None:
//         args.append(f"collation={str(t.collation)!r}")
//     if getattr(t, "create_constraint", False):
//         args.append("create_constraint=True")
//     return f"{type(t).__name__}({', '.join(args)})"
//
//
// def table_lines(insp, table):
//     """One JSON array per fact, in reflection order."""
//     name = table.name
//     lines = []
//     for c in table.columns:
//         # A generated column's server_default is its Computed(), which the model has no place for.
//         default = getattr(getattr(c.server_default, "arg", None), "text", None)
//         lines.append(["column", c.name, type_text(c.type), c.nullable, default, c.primary_key])
//     lines.append(["primary_key", table.primary_key.name, [c.name for c in table.primary_key.columns]])
//     for fk in insp.get_foreign_keys(name):
//         o = fk["options"]
//         lines.append(["foreign_key", fk["name"], fk["constrained_columns"], fk["referred_table"], fk["referred_columns"],
//                       o.get("ondelete"), o.get("onupdate"), o.get("deferrable"), o.get("initially")])
//     for u in insp.get_unique_constraints(name):
//         lines.append(["unique", u["name"], u["column_names"]])
//     for c in insp.get_check_constraints(name):
//         lines.append(["check", c["name"], c["sqltext"]])
//     for i in insp.get_indexes(name):
//         lines.append(["index", i["name"], i["column_names"], bool(i["unique"])])
//     return lines
//
//
// def record(sql):
//     conn = sqlite3.connect(":memory:")
//     try:
//         conn.executescript(sql)
//     except Exception as e:
//         raise SystemExit(f"{e}: {sql}")
//     engine = sa.create_engine("sqlite://", creator=lambda: conn)
//     seen = []
//     with warnings.catch_warnings(record=True) as caught:
//         warnings.simplefilter("always")
//         metadata = sa.MetaData()
//         metadata.reflect(bind=engine)
//         insp = sa.inspect(engine)
//         # Only the database's own tables: reflecting a foreign key to `Parent`
//         # also pulls in a table by that name (PRAGMA names are case-insensitive).
//         names = [n for n in insp.get_table_names() if n != "alembic_version"]
//         tables = {name: table_lines(insp, metadata.tables[name]) for name in names}
//     for w in caught:
//         text = str(w.message)
//         if text not in seen:
//             seen.append(text)
//     return {"tables": tables, "warnings": seen}
//
//
// def dumps(value):
//     return json.dumps(value, ensure_ascii=False)
//
//
// print("[")
// for n, (name, sql) in enumerate(CASES):
//     recorded = record(sql)
//     print(" {")
//     print(f'  "name": {dumps(name)},')
//     lines = sql.strip(chr(10)).split(chr(10))
//     print('  "sql": [')
//     print(",\n".join(f"   {dumps(line)}" for line in lines))
//     print("  ],")
//     print('  "tables": {')
//     tables = list(recorded["tables"].items())
//     for t, (table, lines) in enumerate(tables):
//         print(f"   {dumps(table)}: [")
//         print(",\n".join(f"    {dumps(line)}" for line in lines))
//         print("   ]" + ("," if t < len(tables) - 1 else ""))
//     print("  },")
//     print(f'  "warnings": {dumps(recorded["warnings"])}')
//     print(" }" + ("," if n < len(CASES) - 1 else ""))
// print("]")
