"""Real Alembic's side of the autogenerate bench: times produce_migrations + render_python_code.

    $ORACLE_VENV/bin/python tests/bench/autogen_alembic.py --dir target/bench-autogen \
        [--tables 10,100,500] [--runs N]

Reads what `autogen_bench --write-dir DIR` wrote: models_N.py (the models) and database_N.db
(the database one migration behind). For each size it loads the database into an in-memory
SQLite connection, imports the models, and then times only what `alembic revision
--autogenerate` does between connecting and writing the file: reflect + compare
(`produce_migrations`, the full form of `compare_metadata`) and rendering the upgrade and
downgrade bodies (`render_python_code`). Imports, connecting and loading are not timed. One
uncounted warm-up run, then N timed runs; prints one JSON object per size and writes the
rendered bodies to alembic_N.txt (to check both tools produced the same script).
"""

import argparse
import importlib.util
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

try:
    import alembic
    import sqlalchemy
    from alembic.autogenerate import produce_migrations, render_python_code
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.pool import StaticPool
except ImportError as error:  # the bench skips Alembic's column when this happens
    sys.exit(f"autogen_alembic.py: needs alembic and SQLAlchemy ({error}); run ./dev setup")


def load_models(path: Path):
    """Imports models_N.py as a module of its own and returns its Base.metadata."""
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Base.metadata


def in_memory_engine(path: Path):
    """An engine over one in-memory copy of the database file (as driftlab holds it)."""
    memory = sqlite3.connect(":memory:")
    with sqlite3.connect(path) as disk:
        disk.backup(memory)
    return sqlalchemy.create_engine("sqlite://", creator=lambda: memory, poolclass=StaticPool)


def autogenerate(connection, metadata):
    """The measured step: reflect, compare, and render upgrade() and downgrade()."""
    context = MigrationContext.configure(connection, opts={"target_metadata": metadata})
    script = produce_migrations(context, metadata)
    upgrade = render_python_code(script.upgrade_ops, migration_context=context)
    downgrade = render_python_code(script.downgrade_ops, migration_context=context)
    # The script template puts the first line after the function's indent.
    return script, f"    {upgrade}", f"    {downgrade}"


def measure(directory: Path, tables: int, runs: int) -> dict:
    metadata = load_models(directory / f"models_{tables}.py")
    engine = in_memory_engine(directory / f"database_{tables}.db")
    runs_ms = []
    with engine.connect() as connection:
        script, upgrade, downgrade = autogenerate(connection, metadata)  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            script, upgrade, downgrade = autogenerate(connection, metadata)
            runs_ms.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    (directory / f"alembic_{tables}.txt").write_text(f"{upgrade}\n\n{downgrade}\n")
    return {
        "tables": tables,
        "runs_ms": runs_ms,
        "median_ms": statistics.median(runs_ms),
        "upgrade_ops": len(script.upgrade_ops.ops),
        "rendered_lines": len(upgrade.splitlines()) + len(downgrade.splitlines()),
        "alembic": alembic.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "python": sys.version.split()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="where autogen_bench --write-dir wrote its files")
    parser.add_argument("--tables", default="10,100,500", help="comma-separated table counts")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per size (after one warm-up)")
    args = parser.parse_args()
    for tables in (int(n) for n in args.tables.split(",")):
        print(json.dumps(measure(args.dir, tables, args.runs)), flush=True)


if __name__ == "__main__":
    main()
