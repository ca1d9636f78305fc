#!/usr/bin/env python3
"""Record what real Alembic prints in offline (``--sql``) mode, per dialect.

Every case in cases.json names a database URL, a folder of migration scripts
under migrations/ and a list of ``alembic ...`` command lines. For each case
this script builds a throwaway project the way the oracle's record.py does --
``alembic init alembic`` (the generic template), ``sqlalchemy.url`` set to
the case's URL, extra ``[alembic]`` options from the case's "ini", the
migration scripts copied into alembic/versions -- runs each command with the
real ``alembic`` of the oracle's virtualenv (Alembic 1.20.1, SQLAlchemy
2.1.9), and writes expected/<case>.json: one record per command with its
exit code, stdout and stderr. The project path becomes <PROJECT> and the
virtualenv's path <VENV>.

Offline mode never connects, so no database driver is needed for
PostgreSQL or SQL Server URLs. tests/offline_oracle.rs replays the same
projects and commands through driftlab and compares; it needs no Python.

Usage:
    python3 tests/offline_cases/record.py            # every case
    python3 tests/offline_cases/record.py pg_shop    # only the named cases
    ORACLE_VENV=/path/to/venv python3 tests/offline_cases/record.py
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.environ.get("ORACLE_VENV", os.path.expanduser("~/.cache/alembic-oracle-venv"))
TEMPLATE_URL_LINE = "sqlalchemy.url = driver://user:pass@localhost/dbname"


def normalizer(project):
    pairs = [(p, "<PROJECT>") for p in {project, os.path.realpath(project)}]
    pairs += [(p, "<VENV>") for p in {VENV, os.path.realpath(VENV)}]
    pairs.sort(key=lambda pair: -len(pair[0]))

    def normalize(text):
        for old, new in pairs:
            text = text.replace(old, new)
        return re.sub(r"\b0x[0-9a-fA-F]{6,16}\b", "0x<ADDR>", text)

    return normalize


def run(project, line):
    words = shlex.split(line)
    assert words[0] == "alembic", line
    # A fixed hash seed, as the oracle's record.py uses: Alembic orders some
    # version-row changes by iterating a set of revision ids.
    env = dict(os.environ, COLUMNS="80", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    done = subprocess.run(
        [os.path.join(VENV, "bin", "alembic")] + words[1:],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr


def set_up(project, case):
    """The project the case runs in (tests/offline_oracle.rs builds the same)."""
    code, out, err = run(project, "alembic init alembic")
    assert code == 0, out + err
    ini_path = os.path.join(project, "alembic.ini")
    with open(ini_path) as f:
        ini = f.read()
    assert TEMPLATE_URL_LINE in ini
    ini = ini.replace(TEMPLATE_URL_LINE, "sqlalchemy.url = " + case["url"])
    extra = "".join("%s = %s\n" % (k, v) for k, v in case.get("ini", {}).items())
    ini = ini.replace("[alembic]\n", "[alembic]\n" + extra, 1)
    with open(ini_path, "w") as f:
        f.write(ini)
    source = os.path.join(HERE, "migrations", case["migrations"])
    for name in sorted(os.listdir(source)):
        if name.endswith(".py"):
            shutil.copy(os.path.join(source, name), os.path.join(project, "alembic", "versions", name))


def record(case):
    workdir = tempfile.mkdtemp(prefix="offline-%s-" % case["name"])
    project = os.path.join(workdir, "proj")
    os.mkdir(project)
    try:
        set_up(project, case)
        normalize = normalizer(project)
        records = []
        for line in case["commands"]:
            code, out, err = run(project, line)
            records.append(
                {"command": line, "exit_code": code, "stdout": normalize(out), "stderr": normalize(err)}
            )
        return records
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(names):
    with open(os.path.join(HERE, "cases.json")) as f:
        cases = json.load(f)
    unknown = set(names) - {c["name"] for c in cases}
    if unknown:
        sys.exit("unknown cases: %s" % ", ".join(sorted(unknown)))
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    for case in cases:
        if names and case["name"] not in names:
            continue
        records = record(case)
        with open(os.path.join(HERE, "expected", case["name"] + ".json"), "w") as f:
            json.dump(records, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("%-28s %d commands" % (case["name"], len(records)))


if __name__ == "__main__":
    main(sys.argv[1:])
