//! Behaviours of `apply_ops` the oracle scenarios don't reach; the expected
//! texts are what Alembic 1.20.1 / SQLAlchemy 2.1.9 printed for the same
//! operations.

use super::*;
use crate::engine::metadata::{CheckConstraint, ServerDefault};
use crate::engine::migrate::ops::ConstraintKind;
use crate::engine::sqltypes::{SqlType, TypeName};

fn database(sql: &str) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(sql).unwrap();
    conn
}

fn rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut statement = conn.prepare(sql).unwrap();
    let width = statement.column_count();
    statement
        .query_map([], |row| {
            Ok((0..width)
                .map(|i| match row.get::<_, Value>(i).unwrap() {
                    Value::Null => "NULL".to_string(),
                    Value::Integer(n) => n.to_string(),
                    Value::Real(f) => f.to_string(),
                    Value::Text(s) => s,
                    Value::Blob(_) => "<blob>".to_string(),
                })
                .collect())
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn table_sql(conn: &Connection, name: &str) -> String {
    conn.query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [name], |r| r.get(0)).unwrap()
}

fn batch(table: &str, ops: Vec<Op>) -> Op {
    Op::ModifyTable { table: table.into(), ops, batch: true }
}

fn failure_text(result: Result<Vec<String>, ApplyError>) -> String {
    result.expect_err("the ops should fail").python_error_text()
}

#[test]
fn batch_rename_keeps_the_columns_data() {
    // The hand edit: autogenerate saw add_column + drop_column, the
    // author wrote a rename instead.
    let conn = database(
        "CREATE TABLE user (id INTEGER NOT NULL, fullname VARCHAR(100), PRIMARY KEY (id));
         CREATE INDEX ix_user_fullname ON user (fullname);
         INSERT INTO user (fullname) VALUES ('Ann Lee'), ('Bob Ray');",
    );
    let mut rename = AlterColumn::new("user", "fullname");
    rename.existing_type = Some(SqlType::with_length(TypeName::VARCHAR, 100));
    rename.modify_name = Some("display_name".into());
    let statements = apply_ops(&conn, &[batch("user", vec![Op::AlterColumn(rename)])]).unwrap();
    assert_eq!(
        statements[1],
        "INSERT INTO _alembic_tmp_user (id, display_name) SELECT user.id, user.fullname \nFROM user"
    );
    assert_eq!(rows(&conn, "SELECT id, display_name FROM user ORDER BY id"), [["1", "Ann Lee"], ["2", "Bob Ray"]]);
    // The index follows the column to its new name.
    assert_eq!(table_sql(&conn, "ix_user_fullname"), "CREATE INDEX ix_user_fullname ON user (display_name)");
}

#[test]
fn batch_type_change_across_affinities_casts_and_reflected_defaults_get_parentheses() {
    let conn = database(
        "CREATE TABLE \"order\" (id INTEGER NOT NULL, score INTEGER, n INTEGER DEFAULT 10, e VARCHAR DEFAULT '', \
         PRIMARY KEY (id));
         INSERT INTO \"order\" (score) VALUES (1);",
    );
    let mut alter = AlterColumn::new("order", "score");
    alter.existing_type = Some(SqlType::new(TypeName::Integer));
    alter.modify_type = Some(SqlType::new(TypeName::Float));
    let statements = apply_ops(&conn, &[batch("order", vec![Op::AlterColumn(alter)])]).unwrap();
    assert_eq!(
        statements[0],
        "CREATE TABLE _alembic_tmp_order (\n\tid INTEGER NOT NULL, \n\tscore FLOAT, \n\tn INTEGER DEFAULT (10), \n\te \
         VARCHAR DEFAULT (''), \n\tPRIMARY KEY (id)\n)"
    );
    assert_eq!(
        statements[1],
        "INSERT INTO _alembic_tmp_order (id, score, n, e) SELECT \"order\".id, CAST(\"order\".score AS FLOAT) AS \
         score, \"order\".n, \"order\".e \nFROM \"order\""
    );
    assert_eq!(rows(&conn, "SELECT typeof(score) FROM \"order\""), [["real"]]);
}

#[test]
fn ddl_before_a_failure_stays_and_data_changes_roll_back() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), PRIMARY KEY (id));");
    let mut email = Column::new("email", SqlType::with_length(TypeName::String, 120));
    email.nullable = true;
    let mut not_null = AlterColumn::new("user", "name");
    not_null.modify_nullable = Some(false);
    let error =
        apply_ops(&conn, &[Op::AddColumn { table: "user".into(), column: email }, Op::AlterColumn(not_null.clone())])
            .unwrap_err();
    assert_eq!(error.statements, ["ALTER TABLE user ADD COLUMN email VARCHAR(120)"]);
    assert_eq!(error.sqlite.as_ref().unwrap().message, "near \"ALTER\": syntax error");
    assert!(table_sql(&conn, "user").contains("email VARCHAR(120)"));

    // After an INSERT, Python's sqlite3 has a transaction open: what follows
    // it is rolled back with the failure.
    let error = apply_ops(
        &conn,
        &[
            Op::Execute(ExecuteArg::Sql("INSERT INTO user (name) VALUES ('ann')".into())),
            Op::RenameTable { old: "user".into(), new: "people".into() },
            Op::AlterColumn(AlterColumn { table: "people".into(), ..not_null }),
        ],
    )
    .unwrap_err();
    assert_eq!(error.statements.len(), 2);
    assert_eq!(rows(&conn, "SELECT count(*) FROM user"), [["0"]]);
}

#[test]
fn constraints_cannot_be_altered_outside_batch_mode() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, PRIMARY KEY (id));");
    let check = ConstraintDef::Check(CheckConstraint {
        name: Some("ck_user_id".into()),
        name_source: NameSource::Explicit,
        sqltext: "id > 0".into(),
    });
    let expected = "Traceback (most recent call last):\nNotImplementedError: No support for ALTER of constraints in \
                    SQLite dialect. Please refer to the batch mode feature which allows for SQLite migrations using a \
                    copy-and-move strategy.\n";
    let create = Op::CreateConstraint { table: "user".into(), constraint: check };
    assert_eq!(failure_text(apply_ops(&conn, &[create])), expected);
    let drop = Op::DropConstraint {
        table: "user".into(),
        name: Some("ck_user_id".into()),
        kind: Some(ConstraintKind::Check),
        was: None,
    };
    assert_eq!(failure_text(apply_ops(&conn, std::slice::from_ref(&drop))), expected);
    assert_eq!(failure_text(offline_sql(&[drop])), expected);
}

#[test]
fn batch_errors_are_alembics() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, age INTEGER, PRIMARY KEY (id));");
    let drop_constraint = |name: &str| Op::DropConstraint {
        table: "user".into(),
        name: Some(name.into()),
        kind: Some(ConstraintKind::Unique),
        was: None,
    };
    assert_eq!(
        failure_text(apply_ops(&conn, &[batch("user", vec![drop_constraint("uq_nope")])])),
        "Traceback (most recent call last):\nKeyError: 'uq_nope'\n\nDuring handling of the above exception, another \
         exception occurred:\n\nTraceback (most recent call last):\nValueError: No such constraint: 'uq_nope'\n"
    );
    let drop_column =
        |table: &str| Op::DropColumn { table: table.into(), column: Column::new("x", SqlType::new(TypeName::Integer)) };
    assert_eq!(
        failure_text(apply_ops(&conn, &[batch("nope", vec![drop_column("nope")])])),
        "Traceback (most recent call last):\nsqlalchemy.exc.NoSuchTableError: nope\n"
    );
    assert_eq!(
        failure_text(apply_ops(&conn, &[batch("user", vec![drop_column("user")])])),
        "Traceback (most recent call last):\nKeyError: 'x'\n"
    );
    // Reflecting a table reflects the tables its foreign keys point at.
    conn.execute_batch("CREATE TABLE post (id INTEGER NOT NULL, user_id INTEGER REFERENCES ghost(id), PRIMARY KEY (id))")
        .unwrap();
    let mut not_null = AlterColumn::new("post", "user_id");
    not_null.modify_nullable = Some(false);
    assert_eq!(
        failure_text(apply_ops(&conn, &[batch("post", vec![Op::AlterColumn(not_null)])])),
        "Traceback (most recent call last):\nsqlalchemy.exc.NoSuchTableError: ghost\n"
    );
    // Nothing was left behind by any of them.
    assert_eq!(rows(&conn, "SELECT count(*) FROM sqlite_master"), [["2"]]);
}

#[test]
fn batch_with_only_added_columns_and_indexes_alters_in_place() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, PRIMARY KEY (id));");
    let mut status = Column::new("status", SqlType::with_length(TypeName::String, 20));
    status.server_default = Some(ServerDefault::Literal("new".into()));
    let index = Index { name: None, name_source: NameSource::None, columns: vec!["status".into()], unique: false };
    let ops = [batch(
        "user",
        vec![Op::AddColumn { table: "user".into(), column: status }, Op::CreateIndex { table: "user".into(), index }],
    )];
    let expected = [
        "ALTER TABLE user ADD COLUMN status VARCHAR(20) DEFAULT 'new'",
        "CREATE INDEX ix_user_status ON user (status)",
    ];
    assert_eq!(offline_sql(&ops).unwrap(), expected.map(|s| format!("{s};")));
    assert_eq!(apply_ops(&conn, &ops).unwrap(), expected);
}

#[test]
fn execute_runs_sql_and_text_as_sqlalchemy_does() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50) UNIQUE, PRIMARY KEY (id));");
    let text = |sql: &str, values: Vec<(&str, Literal)>| {
        Op::Execute(ExecuteArg::Text {
            sql: sql.into(),
            bindparams: values.into_iter().map(|(n, v)| (n.to_string(), v)).collect(),
        })
    };
    let insert = text("INSERT INTO user (name) VALUES (:n)", vec![("n", Literal::Str("x".into()))]);
    assert_eq!(apply_ops(&conn, std::slice::from_ref(&insert)).unwrap(), ["INSERT INTO user (name) VALUES (?)"]);
    assert_eq!(
        failure_text(apply_ops(&conn, &[insert])),
        "Traceback (most recent call last):\nsqlite3.IntegrityError: UNIQUE constraint failed: user.name\n\n\
         The above exception was the direct cause of the following exception:\n\n\
         Traceback (most recent call last):\n\
         sqlalchemy.exc.IntegrityError: (sqlite3.IntegrityError) UNIQUE constraint failed: user.name\n\
         [SQL: INSERT INTO user (name) VALUES (?)]\n[parameters: ('x',)]\n\
         (Background on this error at: https://sqlalche.me/e/21/gkpj)\n"
    );
    assert_eq!(
        failure_text(apply_ops(&conn, &[text("INSERT INTO user (name) VALUES (:n)", vec![])])),
        "Traceback (most recent call last):\nsqlalchemy.exc.InvalidRequestError: A value is required for bind \
         parameter 'n' (Background on this error at: https://sqlalche.me/e/21/cd3x)\n\n\
         The above exception was the direct cause of the following exception:\n\n\
         Traceback (most recent call last):\nsqlalchemy.exc.StatementError: (sqlalchemy.exc.InvalidRequestError) A \
         value is required for bind parameter 'n'\n[SQL: INSERT INTO user (name) VALUES (?)]\n\
         [parameters: [immutabledict({})]]\n(Background on this error at: https://sqlalche.me/e/21/cd3x)\n"
    );
    assert_eq!(
        failure_text(apply_ops(&conn, &[text("SELECT :n", vec![("m", Literal::Int(1))])])),
        "Traceback (most recent call last):\nKeyError: 'm'\n\n\
         The above exception was the direct cause of the following exception:\n\n\
         Traceback (most recent call last):\nsqlalchemy.exc.ArgumentError: This text() construct doesn't define a \
         bound parameter named 'm'\n"
    );
    let two = "INSERT INTO user (name) VALUES ('a'); INSERT INTO user (name) VALUES ('b')";
    assert_eq!(
        failure_text(apply_ops(&conn, &[Op::Execute(ExecuteArg::Sql(two.into()))])),
        format!(
            "Traceback (most recent call last):\nsqlite3.ProgrammingError: You can only execute one statement at a \
             time.\n\nThe above exception was the direct cause of the following exception:\n\n\
             Traceback (most recent call last):\nsqlalchemy.exc.ProgrammingError: (sqlite3.ProgrammingError) You can \
             only execute one statement at a time.\n[SQL: {two}]\n\
             (Background on this error at: https://sqlalche.me/e/21/f405)\n"
        )
    );
    // A colon inside a time is not a bind parameter.
    apply_ops(&conn, &[Op::Execute(ExecuteArg::Sql("INSERT INTO user (name) VALUES ('12:30')".into()))]).unwrap();
    let python = Op::Execute(ExecuteArg::Python("user.update().values(name='x')".into()));
    let error = apply_ops(&conn, &[python]).unwrap_err();
    assert!(matches!(error.failure, Failure::Unsupported(_)));
    assert_eq!(error.exit_code(), 1);
}

#[test]
fn bulk_insert_is_one_executemany() {
    let conn = database("CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50) UNIQUE, PRIMARY KEY (id));");
    let table = LightTable {
        name: "user".into(),
        columns: vec![
            ("id".into(), Some(SqlType::new(TypeName::Integer))),
            ("name".into(), Some(SqlType::new(TypeName::String))),
        ],
    };
    let row = |values: Vec<(&str, Literal)>| values.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Vec<_>>();
    let duplicate = Op::BulkInsert {
        table: table.clone(),
        rows: vec![row(vec![("name", Literal::Str("q".into()))]), row(vec![("name", Literal::Str("q".into()))])],
    };
    let text = failure_text(apply_ops(&conn, &[duplicate]));
    assert!(text.contains("[SQL: INSERT INTO user (name) VALUES (?)]\n[parameters: [('q',), ('q',)]]\n"), "{text}");
    let missing = Op::BulkInsert {
        table,
        rows: vec![
            row(vec![("name", Literal::Str("z1".into())), ("id", Literal::Int(10))]),
            row(vec![("name", Literal::Str("z2".into()))]),
        ],
    };
    assert_eq!(
        offline_sql(std::slice::from_ref(&missing)).unwrap(),
        ["INSERT INTO user (id, name) VALUES (10, 'z1');", "INSERT INTO user (name) VALUES ('z2');"]
    );
    assert_eq!(
        failure_text(apply_ops(&conn, &[missing])),
        "Traceback (most recent call last):\nsqlalchemy.exc.InvalidRequestError: A value is required for bind \
         parameter 'id', in parameter group 1 (Background on this error at: https://sqlalche.me/e/21/cd3x)\n\n\
         The above exception was the direct cause of the following exception:\n\n\
         Traceback (most recent call last):\nsqlalchemy.exc.StatementError: (sqlalchemy.exc.InvalidRequestError) A \
         value is required for bind parameter 'id', in parameter group 1\n\
         [SQL: INSERT INTO user (id, name) VALUES (?, ?)]\n\
         [parameters: [{'name': 'z1', 'id': 10}, {'name': 'z2'}]]\n\
         (Background on this error at: https://sqlalche.me/e/21/cd3x)\n"
    );
    assert_eq!(rows(&conn, "SELECT count(*) FROM user"), [["0"]]);
}

#[test]
fn batch_drop_of_an_indexed_column_fails_when_the_index_is_created_again() {
    let conn = database(
        "CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), age INTEGER, PRIMARY KEY (id));
         CREATE INDEX ix_user_age ON user (age);",
    );
    let drop = Op::DropColumn { table: "user".into(), column: Column::new("age", SqlType::new(TypeName::Integer)) };
    let error = apply_ops(&conn, &[batch("user", vec![drop])]).unwrap_err();
    assert_eq!(
        error.python_error_text(),
        "Traceback (most recent call last):\nsqlite3.OperationalError: no such column: age\n\n\
         The above exception was the direct cause of the following exception:\n\n\
         Traceback (most recent call last):\n\
         sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) no such column: age\n\
         [SQL: CREATE INDEX ix_user_age ON user (age)]\n\
         (Background on this error at: https://sqlalche.me/e/21/e3q8)\n"
    );
    // The copy's INSERT opened a transaction: the rollback undoes the drop
    // and the rename, and only the new table, created before it, stays.
    assert_eq!(
        table_sql(&conn, "user"),
        "CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), age INTEGER, PRIMARY KEY (id))"
    );
    assert_eq!(
        table_sql(&conn, "_alembic_tmp_user"),
        "CREATE TABLE _alembic_tmp_user (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(50), \n\tPRIMARY KEY (id)\n)"
    );
}

#[test]
fn unnamed_reflected_checks_are_dropped_with_a_warning() {
    let conn = database(
        "CREATE TABLE user (id INTEGER NOT NULL, age INTEGER, CONSTRAINT ck_age CHECK (age > 0), CHECK (age < 200), \
         PRIMARY KEY (id));",
    );
    let mut email = Column::new("email", SqlType::with_length(TypeName::String, 20));
    email.index = true;
    let mut not_null = AlterColumn::new("user", "age");
    not_null.modify_nullable = Some(false);
    let ops = [batch("user", vec![Op::AddColumn { table: "user".into(), column: email }, Op::AlterColumn(not_null)])];
    let (result, warnings) = apply_ops_with_warnings(&conn, &ops);
    result.unwrap();
    assert_eq!(
        warnings,
        ["<VENV>/lib/python3.11/site-packages/alembic/operations/batch.py:298: UserWarning: Unnamed CHECK constraint \
          on reflected table 'user' is being omitted from the table recreate; pass the constraint explicitly using \
          batch_alter_table.table_args.  Naming CHECK constraints avoids this going forward.\n  util.warn("]
    );
    assert_eq!(
        table_sql(&conn, "user"),
        "CREATE TABLE \"user\" (\n\tid INTEGER NOT NULL, \n\tage INTEGER NOT NULL, \n\temail VARCHAR(20), \n\t\
         PRIMARY KEY (id), \n\tCONSTRAINT ck_age CHECK (age > 0)\n)"
    );
    // Column(index=True) indexes the new table under its temporary name too.
    assert_eq!(
        table_sql(&conn, "ix__alembic_tmp_user_email"),
        "CREATE INDEX ix__alembic_tmp_user_email ON \"user\" (email)"
    );
    assert_eq!(table_sql(&conn, "ix_user_email"), "CREATE INDEX ix_user_email ON user (email)");
}
