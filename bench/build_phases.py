"""Where one build spends its time, phase by phase, on the thread that builds.

    .venv/bin/python bench/build_phases.py [--sources ../shared/data] [--db /tmp/x.duckdb] [--runs 3] [--no-force]

Each run is a fresh process calling ``builder.build(..., force=True)`` (``--no-force``: an
unforced build, which is a no-op when nothing changed) with the builder's steps wrapped
by timers: the wrapped functions are looked up where the builder looks them up (module
attributes, the registry's ``Domain`` fields), so nothing in the build changes but the
clock readings around its steps. A stretch between two timed steps is reported as a gap
named by its neighbours (e.g. the checksums, between ``discover`` and
``_check_target``); waiting on a reader is ``waiting on readers``, on the hashing
threads ``checksums``. Wall time, on the main
thread; the reading of cached layouts happens on the second core and shows only where the
main thread waits for it. Prints the median of each phase over the runs, in order, and
the process's CPU time; ``--json`` prints every run instead.

Set ``BLUEHELMET_CACHE`` to a warm cache folder (one earlier build of the same sources
and code) to time a warm build.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, threading, time
from pathlib import Path

t_start = time.perf_counter()
c_start = time.process_time()
import bluehelmet.builder as builder
import bluehelmet.reconcile as reconcile
from bluehelmet.store import writer
from bluehelmet.sources.registry import domains
import concurrent.futures._base as futures_base

main = threading.main_thread()
marks = []  # (start, end, name) on the main thread, outermost first when nested
depth = [0]
marks.append((t_start, time.perf_counter(), "import builder"))

def timed(name, fn, nests=True):
    def wrapper(*a, **k):
        if threading.current_thread() is not main:
            return fn(*a, **k)
        step = 1 if nests else 0
        depth[0] += step
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            depth[0] -= step
            if depth[0] == 0:
                marks.append((t, time.perf_counter(), name))
    return wrapper

for mod, names in ((builder, ("discover", "_code_digest", "_clean_stale", "_open_existing", "_check_target",
                              "_read_report")),
                   (writer, ("create", "write_reference", "write_sources", "write_table", "write_extra",
                             "write_problems", "write_spellings")),
                   (reconcile, ("reconcile",))):
    for n in names:
        setattr(mod, n, timed(n, getattr(mod, n)))
for d in domains():
    for field in ("write", "derive"):
        fn = getattr(d, field)
        if fn is not None:
            object.__setattr__(d, field, timed(f"{d.name}.{field}", fn))
futures_base.Future.result = timed("waiting on threads", futures_base.Future.result)
# the build's own sub-steps that are plain code in _build_into: its end marks the write of the file
builder._build_into = timed("_build_into", builder._build_into, nests=False)

t = time.perf_counter()
report = builder.build(Path(sys.argv[1]), Path(sys.argv[2]), force=sys.argv[3] == "force")
end = time.perf_counter()
print(json.dumps({"marks": [[a - t, b - t, n] for a, b, n in marks if a >= t], "total": end - t,
                  "cpu": time.process_time() - c_start, "noop": report.noop}))
"""

# _build_into is timed as a whole only to find where its last timed step ends: what follows
# (build_info, ATTACH, COPY FROM DATABASE) is "writing the file"
NESTED_IN = "_build_into"


def phases(run: dict[str, object]) -> list[tuple[str, float]]:
    """Consecutive phases of one run: each timed step (repeats of a name in a row merged)
    and each gap between two, named by its neighbours."""
    marks = [tuple(m) for m in run["marks"]]  # type: ignore[union-attr]
    outer = [m for m in marks if m[2] == NESTED_IN]
    inner = sorted(m for m in marks if m[2] != NESTED_IN)
    out: list[tuple[str, float]] = []
    at, prev = 0.0, "start"
    for a, b, name in inner:
        if name == "waiting on threads":  # the hashing pool before the build, the readers in it
            name = "checksums (hash threads)" if outer and a < outer[0][0] else "waiting on readers"
        if outer and prev != "start" and at <= outer[0][0] <= a:
            out.append((f"(gap) {prev} .. _build_into", outer[0][0] - at))
            at, prev = outer[0][0], "_build_into start"
        if outer and at <= outer[0][1] <= a:
            out.append((f"(gap) {prev} .. end of _build_into", outer[0][1] - at))
            at, prev = outer[0][1], "end of _build_into"
        if a - at > 0.002:
            out.append((f"(gap) {prev} .. {name}", a - at))
        out.append((name, b - a))
        at, prev = b, name
    out.append((f"(gap) {prev} .. end", float(run["total"]) - at))  # type: ignore[arg-type]
    merged: list[tuple[str, float]] = []
    for name, dt in out:
        if merged and merged[-1][0] == name:
            merged[-1] = (name, merged[-1][1] + dt)
        else:
            merged.append((name, dt))
    return merged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default="../shared/data")
    ap.add_argument("--db", default="/tmp/bh-phases.duckdb")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-force", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, args.sources, args.db, "-" if args.no_force else "force"],
                             env=os.environ, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(runs))
        return
    # the phases of the first run give the order; a phase missing from a run counts 0
    per_run = [dict(_summed(phases(r))) for r in runs]
    order = [name for name, _ in _summed(phases(runs[0]))]
    print(f"| phase | median of {len(runs)} (s) | min-max |")
    print("|---|---:|---:|")
    for name in order:
        ts = [p.get(name, 0.0) for p in per_run]
        print(f"| {name} | {statistics.median(ts):.3f} | {min(ts):.3f}-{max(ts):.3f} |")
    totals = [float(r["total"]) for r in runs]
    cpus = [float(r["cpu"]) for r in runs]
    print(f"| build() total | {statistics.median(totals):.3f} | {min(totals):.3f}-{max(totals):.3f} |")
    print(f"| process CPU (both threads, imports included) | {statistics.median(cpus):.3f} | "
          f"{min(cpus):.3f}-{max(cpus):.3f} |")
    print(f"no-op: {[r['noop'] for r in runs]}; load average {os.getloadavg()[0]:.2f} at the end", file=sys.stderr)


def _summed(ph: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """A name that recurs (write_table after each layout) summed into its first place."""
    acc: dict[str, float] = {}
    for name, dt in ph:
        acc[name] = acc.get(name, 0.0) + dt
    return list(acc.items())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
