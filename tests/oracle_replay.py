#!/usr/bin/env python3
"""Replay the Alembic oracle (../shared/alembic-oracle/replay.py) with driftlab
and enforce "no regression": every scenario named in the passing list must be
identical to real Alembic's recording. Scenarios that pass but are not listed
yet are reported so the list can grow; the list may only grow.

Usage: oracle_replay.py --driftlab BIN --passing tests/oracle_passing.txt [-j N]
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPLAY = os.path.join(ROOT, "..", "shared", "alembic-oracle", "replay.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driftlab", required=True)
    ap.add_argument("--passing", required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    listed = [l.strip() for l in open(args.passing) if l.strip() and not l.startswith("#")]
    t0 = time.time()
    cmd = [sys.executable, REPLAY, "--driftlab", args.driftlab] + (["-v"] if args.verbose else [])
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout
    identical = set(re.findall(r"^ok   (\S+)$", out, re.M))
    failing = set(re.findall(r"^FAIL (\S+)", out, re.M))
    summary = re.search(r"^(\d+)/(\d+) scenarios identical$", out, re.M)
    if not summary:
        print(out)
        print("oracle replay: replay.py did not finish (see above)")
        return 1
    regressions = [name for name in listed if name not in identical]
    new = sorted(identical.difference(listed))
    print("oracle replay: %s scenarios identical to real Alembic (%.0f s)" % (summary.group(0).split()[0], time.time() - t0))
    if new:
        print("oracle replay: newly identical, add to %s: %s" % (args.passing, " ".join(new)))
    if regressions:
        print("oracle replay: REGRESSION in listed scenarios: %s" % " ".join(regressions))
        # Show the failing scenarios' differences.
        show = subprocess.run(cmd + ["-v"] + regressions, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(show.stdout)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
