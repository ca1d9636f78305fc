#!/usr/bin/env python3
"""Record what real Python answers for every hook in hooks.txt, so
src/engine/alembic/hooks/tests.rs can check driftlab's interpreter against it.

Each `### NAME` section of hooks.txt is an env.py fragment defining
`include_object` and/or `include_name` (it may import from `models`, whose
`Base.metadata` is the target metadata). Every hook is called on the objects
of models.py in a fixed order (CALLS below, mirrored by the Rust test): each
call's answer is `True`/`False` (Alembic's `not fn(...)`, made a bool), or the
exception as Python prints it without the traceback's frames (with 3.11's
"Did you mean" suggestions). What the hooks print is recorded too.

Usage: ~/.cache/alembic-oracle-venv/bin/python tests/hook_cases/record.py
"""
import contextlib
import io
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import models  # noqa: E402
from sqlalchemy import ForeignKeyConstraint, UniqueConstraint  # noqa: E402


def object_calls(metadata):
    """(object, name, type_, reflected, compare_to) in the order the Rust test uses."""
    calls = []
    for table in metadata.sorted_tables:
        calls.append((table, table.name, "table", False, None))
        calls.append((table, table.name, "table", True, None))
        calls.append((table, table.name, "table", False, table))
        for column in table.columns:
            calls.append((column, column.name, "column", False, None))
            calls.append((column, column.name, "column", True, None))
            calls.append((column, column.name, "column", False, column))
        for index in sorted(table.indexes, key=lambda i: i.name):
            calls.append((index, index.name, "index", False, None))
        for uq in [c for c in table.constraints if isinstance(c, UniqueConstraint)]:
            calls.append((uq, uq.name, "unique_constraint", True, None))
        for fk in [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]:
            calls.append((fk, fk.name, "foreign_key_constraint", False, None))
    return calls


def name_calls(metadata):
    calls = []
    for table in metadata.sorted_tables:
        calls.append((table.name, "table", {"schema_name": None, "schema_qualified_table_name": table.name}))
        for column in table.columns:
            calls.append((column.name, "column",
                          {"table_name": table.name, "schema_name": None, "schema_qualified_table_name": table.name}))
    return calls


def answer(fn, args):
    """What Alembic makes of one call: a bool, or the exception's last lines."""
    try:
        return "True" if fn(*args) else "False"
    except Exception as e:  # noqa: BLE001 - every exception is an answer here
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            sys.__excepthook__(type(e), e, e.__traceback__)
        text = err.getvalue()
        # Without the frames, as the walkthrough and oracle tests compare.
        out, in_frame = [], False
        for line in text.splitlines():
            if line.startswith('  File "'):
                in_frame = True
            elif not (in_frame and line.startswith("    ")):
                in_frame = False
                out.append(line)
        return "\n".join(out[1:])  # drop the first "Traceback (most recent call last):"


def sections(text):
    name, lines, out = None, [], []
    for line in text.split("\n"):
        if line.startswith("### "):
            if name:
                out.append((name, "\n".join(lines)))
            name, lines = line[4:].strip(), []
        elif name:
            lines.append(line)
    if name:
        out.append((name, "\n".join(lines)))
    return out


def main():
    metadata = models.Base.metadata
    results = {}
    for name, source in sections(open(os.path.join(HERE, "hooks.txt")).read()):
        namespace = {"__name__": "env"}
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "env.py", "exec"), namespace)
            entry = {}
            if "include_object" in namespace:
                entry["include_object"] = [answer(namespace["include_object"], c) for c in object_calls(metadata)]
            if "include_name" in namespace:
                entry["include_name"] = [answer(namespace["include_name"], c) for c in name_calls(metadata)]
        entry["printed"] = printed.getvalue()
        results[name] = entry
    with open(os.path.join(HERE, "hooks.real.json"), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    print("recorded %d hooks" % len(results))


if __name__ == "__main__":
    main()
