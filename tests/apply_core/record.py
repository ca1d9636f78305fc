"""Records what real Alembic 1.20.1 + SQLAlchemy 2.1.9 do with SQLAlchemy Core
statements in `op.execute(...)`, for tests/apply_core.rs.

Each case is the body of an `upgrade()` in a revision script whose module
defines `user = sa.table(...)` (PREAMBLE). The case runs twice:

* online, on an in-memory SQLite database holding SCHEMA and SEED, inside
  an Alembic migration context: the statements the driver received (SQL and
  parameters), then the table's rows, or the traceback (frames removed, as
  the oracle's replay compares it);
* offline (`--sql`, `literal_binds=True` as the generic env.py sets it):
  the statements Alembic writes, or the traceback.

Run with the oracle's venv (see ../shared/alembic-oracle/README.md):

    ~/.cache/alembic-oracle-venv/bin/python tests/apply_core/record.py

It rewrites tests/apply_core/expected.json.
"""

import io
import json
import os
import sqlite3
import sys
import traceback

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event

HERE = os.path.dirname(os.path.abspath(__file__))

PREAMBLE = '''\
from alembic import op
import sqlalchemy as sa
from sqlalchemy.sql import table, column

revision = "0002b"
down_revision = "0001a"
branch_labels = None
depends_on = None

user = sa.table(
    "user",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("role", sa.String(20)),
    sa.column("n", sa.Integer),
    sa.column("score", sa.Float),
    sa.column("active", sa.Boolean),
    sa.column("note"),
)


def upgrade():
'''

EPILOGUE = '''

def downgrade():
    pass
'''

SCHEMA = """\
CREATE TABLE user (id INTEGER NOT NULL, name VARCHAR(50), role VARCHAR(20) DEFAULT 'viewer', n INTEGER,
    score FLOAT, active BOOLEAN, note, PRIMARY KEY (id));
CREATE TABLE tag (id INTEGER NOT NULL, label VARCHAR(30), PRIMARY KEY (id));
"""

SEED = """\
INSERT INTO user VALUES (1, 'ann', 'admin', 1, 1.5, 1, NULL);
INSERT INTO user VALUES (2, 'bob', 'viewer', 2, NULL, 0, 'x');
INSERT INTO user VALUES (3, 'cy', NULL, NULL, 3.0, NULL, 5);
"""

# (name, upgrade body). Bodies are indented by the recorder.
CASES = [
    ("b14_update_inline_literals",
     'op.execute(\n    user.update()\n    .where(user.c.name == op.inline_literal("bob"))\n'
     '    .values(role=op.inline_literal("editor"))\n)'),
    ("update_plain_values", 'op.execute(user.update().where(user.c.name == "bob").values(role="editor"))'),
    ("update_values_in_table_order", 'op.execute(user.update().values(role="x", name="y"))'),
    ("update_values_dict", 'op.execute(user.update().values({"role": "x", "n": 7}))'),
    ("update_values_column_keys", 'op.execute(user.update().values({user.c.role: "x"}))'),
    ("update_values_called_twice", 'op.execute(user.update().values(role="x", n=1).values(n=2))'),
    ("update_two_wheres", 'op.execute(user.update().where(user.c.name == "ann").where(user.c.id > 0).values(n=user.c.n + 1))'),
    ("update_where_several_criteria", 'op.execute(user.update().where(user.c.id > 1, user.c.n.is_not(None)).values(n=0))'),
    ("update_and_or", 'op.execute(user.update().where(sa.and_(user.c.id >= 1, sa.or_(user.c.name == "ann", user.c.name == "cy"))).values(role="both"))'),
    ("update_or_of_ands", 'op.execute(user.update().where(sa.or_(sa.and_(user.c.id == 1, user.c.n == 1), user.c.id == 3)).values(role="r"))'),
    ("update_where_or_then_where", 'op.execute(user.update().where(sa.or_(user.c.id == 1, user.c.id == 2)).where(user.c.n < 2).values(role="r"))'),
    ("update_bitwise_and_or", 'op.execute(user.update().where((user.c.id != 2) & ((user.c.n <= 1) | (user.c.n.is_(None)))).values(role="r"))'),
    ("update_comparisons", 'op.execute(user.update().where(user.c.id != 2, user.c.id < 9, user.c.id <= 9, user.c.id > 0, user.c.id >= 0).values(n=5))'),
    ("update_reflected_comparison", 'op.execute(user.update().where(2 < user.c.id).values(n=5))'),
    ("update_is_none", 'op.execute(user.update().where(user.c.role.is_(None)).values(role=sa.null()))'),
    ("update_eq_none", 'op.execute(user.update().where(user.c.role == None).values(role="none"))'),
    ("update_ne_none", 'op.execute(user.update().where(user.c.note != None).values(note=None))'),
    ("update_isnot_none", 'op.execute(user.update().where(user.c.note.isnot(None)).values(role="has note"))'),
    ("update_is_not_null", 'op.execute(user.update().where(user.c.note.is_not(sa.null())).values(role="has note"))'),
    ("update_in", 'op.execute(user.update().where(user.c.id.in_([1, 3])).values(active=True))'),
    ("update_in_strings", 'op.execute(user.update().where(user.c.name.in_(("ann", "bob"))).values(active=False))'),
    ("update_in_empty", 'op.execute(user.update().where(user.c.id.in_([])).values(n=9))'),
    ("update_like", 'op.execute(user.update().where(user.c.name.like("a%")).values(role="a-name"))'),
    ("update_like_escape", 'op.execute(user.update().where(user.c.name.like("a/%", escape="/")).values(role="a-name"))'),
    ("update_column_reference", 'op.execute(user.update().values(role=user.c.name))'),
    ("update_func_upper", 'op.execute(user.update().values(name=sa.func.upper(user.c.name)))'),
    ("update_func_coalesce", 'op.execute(user.update().values(n=sa.func.coalesce(user.c.n, 0) + 10))'),
    ("update_func_literal_argument", 'op.execute(user.update().where(user.c.id == 1).values(name=sa.func.lower("ABC")))'),
    ("update_func_length", 'op.execute(user.update().values(n=sa.func.length(user.c.name)))'),
    ("update_arithmetic", 'op.execute(user.update().where(user.c.n + 1 > 2).values(n=user.c.n * 2 - 1))'),
    ("update_reflected_arithmetic", 'op.execute(user.update().values(n=10 - user.c.id))'),
    ("update_nested_subtraction", 'op.execute(user.update().values(n=user.c.id - (user.c.id - 1)))'),
    ("update_division_modulo", 'op.execute(user.update().values(score=user.c.id / 2, n=user.c.id % 2))'),
    ("update_negative", 'op.execute(user.update().values(n=-user.c.id))'),
    ("update_string_concat", 'op.execute(user.update().values(name=user.c.name + "!"))'),
    ("update_concat_reflected", 'op.execute(user.update().values(name="<" + user.c.name + ">"))'),
    ("update_sa_literal", 'op.execute(user.update().where(user.c.id == sa.literal(1)).values(name=sa.literal("lit")))'),
    ("update_inline_literal_types", 'op.execute(user.update().where(user.c.id == op.inline_literal(2)).values(n=op.inline_literal(5), score=op.inline_literal(2.5), active=op.inline_literal(True), note=op.inline_literal(None)))'),
    ("update_booleans", 'op.execute(user.update().where(user.c.active == True).values(active=False))'),
    ("update_is_true", 'op.execute(user.update().where(user.c.active.is_(True)).values(n=100))'),
    ("update_floats", 'op.execute(user.update().where(user.c.score > 1.0).values(score=0.1))'),
    ("update_int_into_float", 'op.execute(user.update().values(score=2))'),
    ("update_quotes", 'op.execute(user.update().where(user.c.id == 1).values(name="it\'s"))'),
    ("update_string_into_integer", 'op.execute(user.update().where(user.c.id == "2").values(n="7"))'),
    ("update_int_into_string", 'op.execute(user.update().values(name=5))'),
    ("update_untyped_column", 'op.execute(user.update().where(user.c.note == 5).values(note="five"))'),
    ("update_untyped_column_int", 'op.execute(user.update().values(note=5))'),
    ("update_untyped_column_null", 'op.execute(user.update().values(note=None))'),
    ("update_unknown_column", 'op.execute(user.update().values(nope=1))'),
    ("update_sa_update", 'op.execute(sa.update(user).where(user.c.id == 1).values(name="q"))'),
    ("update_subscript_column", 'op.execute(user.update().where(user.c["id"] == 1).values(name="sub"))'),
    ("update_statement_in_variable", 'stmt = user.update().where(user.c.id == 1)\nstmt = stmt.values(name="var")\nop.execute(stmt)'),
    ("update_table_in_function", 'accounts = table("user", column("id", sa.Integer()), column("name", sa.String(50)))\nop.execute(accounts.update().where(accounts.c.id == 2).values(name="local"))'),
    ("update_constraint_violation", 'op.execute(user.update().values(id=1))'),
    ("update_no_values", 'op.execute(user.update().where(user.c.id == 1))'),
    ("update_single_and", 'op.execute(user.update().where(sa.and_(user.c.id == 1)).values(n=3))'),
    ("update_or_alone", 'op.execute(user.update().where(sa.or_(user.c.id == 1, user.c.n == 2)).values(n=3))'),
    ("update_column_arithmetic", 'op.execute(user.update().values(n=user.c.n + user.c.id, score=user.c.score * 2))'),
    ("update_column_division", 'op.execute(user.update().where(user.c.n != None).values(score=user.c.n / user.c.id))'),
    ("update_column_concat", 'op.execute(user.update().values(name=user.c.name + user.c.role))'),
    ("update_untyped_function_concat", 'op.execute(user.update().values(name=sa.func.upper(user.c.name) + "!"))'),
    ("update_coalesce_concat", 'op.execute(user.update().values(role=sa.func.coalesce(user.c.role, "") + "+"))'),
    ("update_func_now", 'op.execute(user.update().where(user.c.id == 99).values(note=sa.func.now()))'),
    ("update_func_ansi", 'op.execute(user.update().where(user.c.id == 99).values(note=sa.func.current_date(), role=sa.func.char_length(user.c.name)))'),
    ("update_function_argument_expression", 'op.execute(user.update().values(n=sa.func.coalesce(user.c.n + 1, -user.c.id)))'),
    ("update_comparison_as_value", 'op.execute(user.update().values(active=user.c.id > 1))'),
    ("insert_literal_arithmetic", 'op.execute(user.insert().values(n=sa.literal(1) + 2, name=sa.func.lower(sa.literal("X"))))'),
    ("update_empty_in_with_other_criteria", 'op.execute(user.update().where(user.c.id.in_([]) | (user.c.id == 2)).values(n=1))'),
    ("update_boolean_integer_values", 'op.execute(user.update().where(user.c.id == 1).values(active=0))'),
    ("update_numeric_string_into_float", 'op.execute(user.update().where(user.c.id == 1).values(score="2.5"))'),
    ("update_bad_integer_string", 'op.execute(user.update().where(user.c.id == 1).values(n="abc"))'),
    ("update_func_uppercase_name", 'op.execute(user.update().values(name=sa.func.UPPER(user.c.name), n=sa.func.MAX(user.c.n, 2)))'),
    ("update_untyped_compare", 'op.execute(user.update().where(user.c.note == "x").values(n=0))'),
    ("update_compare_function", 'op.execute(user.update().where(sa.func.length(user.c.name) > 2).values(n=0))'),
    ("update_compare_columns", 'op.execute(user.update().where(user.c.n == user.c.id).values(role="same"))'),
    ("update_in_with_none", 'op.execute(user.update().where(user.c.id.in_([1, None])).values(n=0))'),
    ("update_not_equal_true", 'op.execute(user.update().where(user.c.active != False).values(n=0))'),
    ("update_bool_into_integer", 'op.execute(user.update().values(n=True))'),
    ("update_float_into_integer", 'op.execute(user.update().values(n=2.7))'),
    ("update_arithmetic_with_null", 'op.execute(user.update().values(n=user.c.n + None))'),
    ("update_like_on_integer", 'op.execute(user.update().where(user.c.id.like("1%")).values(n=0))'),
    ("update_is_not_inline", 'op.execute(user.update().where(user.c.name != op.inline_literal("bob")).values(role=op.inline_literal("r")))'),
    ("update_inline_literal_in_arithmetic", 'op.execute(user.update().values(n=user.c.id + op.inline_literal(100)))'),
    ("update_sa_literal_arithmetic", 'op.execute(user.update().values(name=sa.literal("#") + user.c.name))'),
    ("update_negative_literal", 'op.execute(user.update().where(user.c.id > -1).values(n=-5))'),
    ("update_chained_comparison_values", 'op.execute(user.update().values(n=(user.c.id + 1) * 3))'),
    ("insert_none_and_bool", 'op.execute(user.insert().values(name=None, active=True, score=1))'),
    ("insert_column_reference", 'op.execute(user.insert().values(name=user.c.role))'),
    ("insert_unknown_column", 'op.execute(user.insert().values(nope=1))'),
    ("delete_with_in_and_or", 'op.execute(user.delete().where(sa.or_(user.c.id.in_([1]), user.c.name.is_(None))))'),
    ("update_reflected_untyped_or_in", 'op.execute(user.update().where((5 >= user.c.note) | user.c.id.in_([1, 2])).values(n=user.c.n * 2 + 1))'),
    ("delete_reflected_arithmetic_comparison", 'op.execute(user.delete().where(sa.and_(user.c.id != 3, 10 - user.c.id < user.c.n)))'),
    ("update_values_from_dict_with_expressions", 'op.execute(user.update().values({"name": sa.func.upper(user.c.name), user.c.n: user.c.id * 10}).where(user.c.name.isnot(None) & user.c.note.is_(None)))'),
    ("insert_values", 'op.execute(user.insert().values(name="dee", role="editor", n=4))'),
    ("insert_values_dict", 'op.execute(user.insert().values({"role": "r", "name": "eve"}))'),
    ("insert_sa_insert", 'op.execute(sa.insert(user).values(id=10, name="ten"))'),
    ("insert_inline_literals", 'op.execute(user.insert().values(name=op.inline_literal("il"), n=op.inline_literal(3)))'),
    ("insert_expressions", 'op.execute(user.insert().values(name=sa.func.upper("low"), n=sa.null()))'),
    ("insert_no_values", 'op.execute(user.insert())'),
    ("insert_into_other_table", 'tag = sa.table("tag", sa.column("id", sa.Integer), sa.column("label", sa.String))\nop.execute(tag.insert().values(label="new"))'),
    ("delete_where", 'op.execute(user.delete().where(user.c.id == 2))'),
    ("delete_all", 'op.execute(user.delete())'),
    ("delete_sa_delete", 'op.execute(sa.delete(user).where(user.c.name.like("%y")))'),
    ("mixed_with_text", 'op.execute("UPDATE user SET n = 0")\nop.execute(user.update().where(user.c.id == 1).values(n=op.inline_literal(1)))\nop.execute(user.delete().where(user.c.n == 0))'),
]


def script_text(body):
    indented = "\n".join("    " + line if line.strip() else line for line in body.split("\n"))
    return PREAMBLE + indented + "\n" + EPILOGUE


def traceback_text(error):
    """The traceback without frame lines, as the oracle's replay compares it."""
    out = []
    in_frame = False
    for line in "".join(traceback.format_exception(error)).splitlines(keepends=True):
        if line.startswith('  File "'):
            in_frame = True
            continue
        if in_frame and line.startswith("    "):
            continue
        in_frame = False
        out.append(line)
    return "".join(out)


def load_upgrade(text):
    namespace = {}
    exec(compile(text, "migration.py", "exec"), namespace)
    return namespace["upgrade"]


def python_value(value):
    return value


def run_online(text):
    engine = sa.create_engine("sqlite://")
    statements = []
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.executescript(SCHEMA + SEED)

        @event.listens_for(conn, "before_cursor_execute")
        def capture(conn_, cursor, statement, parameters, context, executemany):
            statements.append([statement, list(parameters) if parameters is not None else None])

        ctx = MigrationContext.configure(conn)
        result = {}
        try:
            with Operations.context(ctx):
                with ctx.begin_transaction():
                    load_upgrade(text)()
        except Exception as error:  # noqa: BLE001 - recorded as the oracle prints it
            result["error"] = traceback_text(error)
        if conn.in_transaction():
            if "error" in result:
                conn.rollback()
            else:
                conn.commit()
        event.remove(conn, "before_cursor_execute", capture)
        result["statements"] = statements
        rows = raw.execute("SELECT * FROM user ORDER BY id").fetchall()
        result["rows"] = [list(r) for r in rows]
        result["tag_rows"] = [list(r) for r in raw.execute("SELECT * FROM tag ORDER BY id").fetchall()]
        return result


def run_offline(text):
    buffer = io.StringIO()
    ctx = MigrationContext.configure(
        dialect_name="sqlite", opts={"as_sql": True, "literal_binds": True, "output_buffer": buffer}
    )
    result = {}
    try:
        with Operations.context(ctx):
            load_upgrade(text)()
    except Exception as error:  # noqa: BLE001
        result["error"] = traceback_text(error)
    result["sql"] = [s.strip() for s in buffer.getvalue().split("\n\n") if s.strip()]
    return result


def main():
    cases = []
    for name, body in CASES:
        text = script_text(body)
        cases.append({"name": name, "upgrade": body, "online": run_online(text), "offline": run_offline(text)})
    document = {
        "versions": {"alembic": __import__("alembic").__version__, "sqlalchemy": sa.__version__,
                     "sqlite": sqlite3.sqlite_version},
        "preamble": PREAMBLE,
        "epilogue": EPILOGUE,
        "schema": SCHEMA,
        "seed": SEED,
        "cases": cases,
    }
    with open(os.path.join(HERE, "expected.json"), "w") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
        out.write("\n")
    print(f"recorded {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
