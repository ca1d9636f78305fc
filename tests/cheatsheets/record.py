#!/usr/bin/env python3
"""Record the cheat-sheet transcripts with REAL Alembic (the oracle's venv),
so tests/cheatsheets.rs can check driftlab's output against them.

For each NAME.txt: a temp project gets the starter todo app
(src/engine/starter_files), `alembic init alembic`, and the guides' wiring
(alembic.ini URL sqlite:///./todos.db; env.py imports Base from database and
the models module). Then every line runs in the project, `alembic ...` and
shell lines through bash with the venv first on PATH (`uv run X` runs X),
`@models FILE` copies FILE to models.py, `@create_all` runs the starter's
init_db() as the app's lifespan would. Output is normalised like the oracle's
(<PROJECT>, <DATE>, 0x<ADDR>) into NAME.expected.json.

Usage: python3 tests/cheatsheets/record.py [NAME ...]   (ORACLE_VENV overrides the venv)
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
STARTER = os.path.join(ROOT, "src", "engine", "starter_files")
VENV = os.environ.get("ORACLE_VENV", os.path.expanduser("~/.cache/alembic-oracle-venv"))


def wire(project):
    ini = os.path.join(project, "alembic.ini")
    text = open(ini).read().replace(
        "sqlalchemy.url = driver://user:pass@localhost/dbname", "sqlalchemy.url = sqlite:///./todos.db")
    open(ini, "w").write(text)
    env = os.path.join(project, "alembic", "env.py")
    text = open(env).read().replace(
        "target_metadata = None", "from database import Base\nimport models  # noqa: F401\ntarget_metadata = Base.metadata")
    open(env, "w").write(text)


def normalise(project, text):
    for p in {project, os.path.realpath(project)}:
        text = text.replace(p, "<PROJECT>")
    for p in {VENV, os.path.realpath(VENV)}:
        text = text.replace(p, "<VENV>")
    text = re.sub(r"Create Date: [^\n]*", "Create Date: <DATE>", text)
    return re.sub(r"\b0x[0-9a-fA-F]{6,16}\b", "0x<ADDR>", text)


def record(name):
    lines = [l.rstrip("\n") for l in open(os.path.join(HERE, name + ".txt"))]
    tmp = tempfile.mkdtemp(prefix="cheatsheet-")
    project = os.path.join(tmp, "todo-app")
    shutil.copytree(STARTER, project)
    env = dict(os.environ, PATH=os.path.join(VENV, "bin") + ":" + os.environ["PATH"],
               PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", TZ="UTC", COLUMNS="80", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    subprocess.run(["alembic", "init", "alembic"], cwd=project, env=env, check=True, capture_output=True)
    wire(project)
    records = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@models "):
            shutil.copy(os.path.join(HERE, line.split()[1]), os.path.join(project, "models.py"))
            continue
        if line == "@create_all":
            subprocess.run([os.path.join(VENV, "bin", "python"), "-c", "import database; database.init_db()"],
                           cwd=project, env=env, check=True)
            continue
        command = line[len("uv run "):] if line.startswith("uv run ") else line
        p = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True)
        records.append({"command": line, "stdout": normalise(project, p.stdout),
                        "stderr": normalise(project, p.stderr), "exit_code": p.returncode})
    shutil.rmtree(tmp)
    with open(os.path.join(HERE, name + ".expected.json"), "w") as f:
        json.dump(records, f, indent=1)
        f.write("\n")
    print("recorded", name, len(records), "commands")


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(HERE, "*.txt")))
    for n in names:
        record(n)
