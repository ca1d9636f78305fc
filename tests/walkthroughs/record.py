#!/usr/bin/env python3
"""Record the walkthroughs with the REAL tools, so tests/walkthroughs.rs can
check driftlab's output against them.

For each NAME.txt: a temp project gets the starter todo app
(src/engine/starter_files, what `driftlab new` writes); then every step runs
in it, in order. `@ write` and `@ replace` edit files exactly as the Rust test
does. Command lines run through `bash -c` with the oracle's venv first on PATH
(Alembic 1.20.1, SQLAlchemy 2.1.9, Python 3.11) and Debian's sqlite3 3.40.1;
`uv run X` runs X. The environment is the Alembic oracle's (TZ=UTC,
PYTHONDONTWRITEBYTECODE=1, COLUMNS=80, ...).

The app is not run (the venv has no FastAPI or uvicorn): a line starting it
runs instead the startup half of main.py's lifespan (the code before `yield`:
init_db(), seed_db(), command.upgrade(...)) with the venv's Python, so the
database is what the app would leave, and records no output; so do `^C` and
requests to the app (curl, http). Output is normalised as the Rust test
normalises driftlab's (<PROJECT>, <DATE>, process [<PID>], <PORT>, <NOW>), plus the
oracle's <VENV> and 0x<ADDR>, into NAME.real.json: one entry per command line.

Usage: python3 tests/walkthroughs/record.py [NAME ...]   (ORACLE_VENV overrides the venv;
without NAMEs, walkthroughs whose header names a venv of their own are skipped)
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

# The startup half of main.py's lifespan, run as the app would run it at startup.
LIFESPAN_STARTUP = r'''
import ast, sys
sys.path.insert(0, ".")
tree = ast.parse(open("main.py").read())
namespace = {}
for node in tree.body:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        try:
            exec(compile(ast.Module([node], []), "main.py", "exec"), namespace)
        except ImportError:
            pass  # fastapi, pydantic: not in the venv, and not used before `yield`
lifespan = next(n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == "lifespan")
startup = []
for node in lifespan.body:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
        break
    startup.append(node)
exec(compile(ast.Module(startup, []), "main.py", "exec"), namespace)
'''


def parse(text):
    """The transcript's steps: ("run", line), ("write", path, file), ("replace", path, old, new)."""
    lines = text.split("\n")
    steps, i = [], 1
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            steps.append(("run", line[2:]))
        elif line.startswith("@ write "):
            path, file = line[len("@ write "):].split(" ", 1)
            steps.append(("write", path, file))
        elif line.startswith("@ replace "):
            with_at = lines.index("@ with", i + 1)
            end = lines.index("@ end", with_at + 1)
            block = lambda ls: "".join(l + "\n" for l in ls)
            steps.append(("replace", line[len("@ replace "):], block(lines[i + 1:with_at]), block(lines[with_at + 1:end])))
            i = end
        i += 1
    return steps


def starts_app(line):
    words = line.split()
    if words[:2] == ["uv", "run"] or (words[:1] in (["python"], ["python3"]) and words[1:2] == ["-m"]):
        words = words[2:]
    return words[:1] == ["uvicorn"]


def needs_app(line):
    words = line.split()
    return line.strip() == "^C" or starts_app(line) or (words and words[0] in ("curl", "http"))


def normalise(project, text):
    for p in {project, os.path.realpath(project)}:
        text = text.replace(p, "<PROJECT>")
    for p in {VENV, os.path.realpath(VENV)}:
        text = text.replace(p, "<VENV>")
    text = re.sub(r"Create Date: [^\n]*", "Create Date: <DATE>", text)
    text = re.sub(r"process \[\d+\]", "process [<PID>]", text)
    text = re.sub(r'127\.0\.0\.1:\d+ - "', '127.0.0.1:<PORT> - "', text)
    text = re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?", "<NOW>", text)
    return re.sub(r"\b0x[0-9a-fA-F]{6,16}\b", "0x<ADDR>", text)


def record(name):
    steps = parse(open(os.path.join(HERE, name + ".txt")).read())
    tmp = tempfile.mkdtemp(prefix="walkthrough-")
    project = os.path.join(tmp, "todo-app")
    shutil.copytree(STARTER, project)
    env = dict(os.environ, PATH=os.path.join(VENV, "bin") + ":" + os.environ["PATH"],
               PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", TZ="UTC", COLUMNS="80", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    records = []
    for step in steps:
        if step[0] == "write":
            _, path, file = step
            os.makedirs(os.path.dirname(os.path.join(project, path)) or project, exist_ok=True)
            shutil.copy(os.path.join(HERE, "files", file), os.path.join(project, path))
            continue
        if step[0] == "replace":
            _, path, old, new = step
            text = open(os.path.join(project, path)).read()
            assert text.count(old) == 1, "%s: @ replace %s: old text occurs %d times" % (name, path, text.count(old))
            open(os.path.join(project, path), "w").write(text.replace(old, new))
            continue
        line = step[1]
        if needs_app(line):
            if starts_app(line):
                p = subprocess.run([os.path.join(VENV, "bin", "python"), "-c", LIFESPAN_STARTUP],
                                   cwd=project, env=env, capture_output=True, text=True)
                if p.returncode != 0:
                    print("%s: the app's startup failed for `%s`:\n%s" % (name, line, p.stderr), file=sys.stderr)
            records.append({"command": line, "not_recorded": "needs the running app (no FastAPI/uvicorn in the venv)"})
            continue
        command = line[len("uv run "):] if line.startswith("uv run ") else line
        p = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True)
        records.append({"command": line, "stdout": normalise(project, p.stdout),
                        "stderr": normalise(project, p.stderr), "exit_code": p.returncode})
    shutil.rmtree(tmp)
    with open(os.path.join(HERE, name + ".real.json"), "w") as f:
        json.dump(records, f, indent=1)
        f.write("\n")
    print("recorded", name, len(records), "commands")


def needs_own_venv(name):
    """A walkthrough whose header says how to record it with its own ORACLE_VENV."""
    return "ORACLE_VENV=" in open(os.path.join(HERE, name + ".txt")).read().split("\n$ ", 1)[0]


if __name__ == "__main__":
    names = sys.argv[1:] or sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(HERE, "*.txt")))
    for n in names:
        if not sys.argv[1:] and needs_own_venv(n) and "ORACLE_VENV" not in os.environ:
            print("%s: skipped; it is recorded in a venv of its own (see its header)" % n, file=sys.stderr)
            continue
        record(n)
