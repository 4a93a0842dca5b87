"""Build speed in the situations a user meets (issue 10's targets: cold <= 15 s,
warm <= 3 s, no-op <= 0.2 s in-process, medians on 2 cores).

    .venv/bin/python bench/build_speed.py [--sources ../shared/data] [--runs 3] [--cold-runs 1]

Each run is a fresh process (``python -m bluehelmet build``), timed twice: the whole
command, and the ``build()`` call inside it (what "in-process" means below: imports
that the build itself triggers are included, interpreter start-up and the CLI's are
not). The situations, by what the caches hold (``BLUEHELMET_CACHE`` points at a scratch
folder per situation):

- cold: nothing cached; every PDF is parsed.
- new code: the parsed reports are cached but no layout's output is (what the first
  build after upgrading bluehelmet costs).
- one new report: every layout cached except the reports', whose folder gained the
  latest month (what ``bluehelmet add`` costs after a download).
- forced: everything cached, ``--force`` with unchanged inputs.
- no-op: unchanged inputs, no ``--force``.

Prints a Markdown table (paste into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# run in the child: time build() alone and print it as JSON on the last line
CHILD = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from bluehelmet.builder import build
r = build(Path(sys.argv[1]), Path(sys.argv[2]), force=sys.argv[3] == "force")
print(json.dumps({"build": time.perf_counter() - t, "noop": r.noop}))
"""


def run(sources: Path, db: Path, cache: Path, force: bool) -> tuple[float, float, bool]:
    env = {**os.environ, "BLUEHELMET_CACHE": str(cache)}
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(sources), str(db), "force" if force else "-"],
                         env=env, check=True, capture_output=True, text=True).stdout
    whole = time.perf_counter() - t
    got = json.loads(out.strip().splitlines()[-1])
    return whole, got["build"], got["noop"]


def mirror(sources: Path, into: Path, leave_out: str = "") -> Path:
    for p in sources.rglob("*"):
        rel = p.relative_to(sources).as_posix()
        if p.is_file() and rel != leave_out:
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            (into / rel).symlink_to(p.resolve())
    return into


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default="../shared/data")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cold-runs", type=int, default=1)
    args = ap.parse_args()
    sources = Path(args.sources).resolve()
    tmp = Path(tempfile.mkdtemp(prefix="bh-speed-"))
    db = tmp / "speed.duckdb"
    results: dict[str, list[tuple[float, float]]] = {}

    cold = []
    for i in range(args.cold_runs):
        cold.append(run(sources, db, tmp / f"cold-{i}", True)[:2])
    results["cold (nothing cached)"] = cold
    warm = tmp / f"cold-{args.cold_runs - 1}"  # what the last cold run left: every cache full

    newcode = []
    for i in range(args.runs):
        cache = tmp / f"newcode-{i}"
        cache.mkdir()
        for d in warm.iterdir():
            if d.name != "layouts-v1":  # the parsed reports (and the city table) only
                (cache / d.name).symlink_to(d)
        newcode.append(run(sources, db, cache, True)[:2])
    results["new code (reports parsed, no layout cached)"] = newcode

    # the report added is already in the parsed-report cache (it was parsed cold above):
    # a real download adds one parse, 0.2-0.4 s on the second core
    pdfs = sorted((sources / "un/dpo-monthly").glob("*.pdf"))
    before = mirror(sources, tmp / "before", pdfs[-1].relative_to(sources).as_posix())
    layouts = warm / "layouts-v1"
    added = []
    for _ in range(args.runs):
        for entry in layouts.glob("un_dpo_monthly-*"):
            entry.unlink()
        run(before, db, warm, True)  # cached: the folder before the download
        added.append(run(sources, db, warm, True)[:2])  # the reports' layout read again
    results["one new report (all else cached)"] = added

    forced = [run(sources, db, warm, True)[:2] for _ in range(args.runs)]
    results["forced, unchanged inputs (everything cached)"] = forced
    noop = []
    for _ in range(args.runs * 2):
        whole, inside, was_noop = run(sources, db, warm, False)
        assert was_noop
        noop.append((whole, inside))
    results["no-op (unchanged inputs)"] = noop
    shutil.rmtree(tmp, ignore_errors=True)

    print("| situation | in-process, median (min-max) | whole command, median | runs |")
    print("|---|---:|---:|---:|")
    for name, times in results.items():
        inside = [t[1] for t in times]
        whole = [t[0] for t in times]
        print(f"| {name} | {statistics.median(inside):.2f} s ({min(inside):.2f}-{max(inside):.2f}) | "
              f"{statistics.median(whole):.2f} s | {len(times)} |")


if __name__ == "__main__":
    main()
