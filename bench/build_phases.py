"""Where one build spends its time, phase by phase, on the thread that builds.

    .venv/bin/python bench/build_phases.py [--sources ../shared/data] [--db /tmp/x.duckdb] [--runs 3] [--no-force]
        [--before ../other-checkout/src]

Each run is a fresh process calling ``builder.build(..., force=True)`` (``--no-force``: an
unforced build, which is a no-op when nothing changed) with the builder's steps wrapped
by timers: the wrapped functions are looked up where the builder looks them up (module
attributes, the registry's ``Domain`` fields), so nothing in the build changes but the
clock readings around its steps. A stretch between two timed steps is reported as a gap
named by its neighbours (e.g. the checksums, between ``discover`` and
``_check_target``); waiting on a reader is ``waiting on readers``, on the hashing
threads ``checksums``. Each phase by the wall clock and by the main thread's own CPU time
(which a loaded machine inflates far less than the wall clock: a phase's CPU is what it
would take with a core to itself, where DuckDB runs the main thread's statements on that
thread, as with ``threads = 1``). The reading of cached layouts, and whatever else runs on
another thread, shows only where the main thread waits for it. Prints the median of each
phase over the runs, in order, and the process's CPU time; ``--json`` prints every run.

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
marks = []  # (start, end, cpu start, cpu end, name) on the main thread, outermost first when nested
depth = [0]

def timed(name, fn, nests=True):
    def wrapper(*a, **k):
        if threading.current_thread() is not main:
            return fn(*a, **k)
        step = 1 if nests else 0
        depth[0] += step
        t, c = time.perf_counter(), time.thread_time()
        try:
            return fn(*a, **k)
        finally:
            depth[0] -= step
            if depth[0] == 0:
                marks.append((t, time.perf_counter(), c, time.thread_time(), name))
    return wrapper

for mod, names in ((builder, ("discover", "_code_digest", "_clean_stale", "_open_existing", "_existing_fingerprint",
                              "_check_target", "_read_report")),
                   (writer, ("create", "write_reference", "write_sources", "write_table", "write_extra",
                             "write_problems", "write_spellings")),
                   (reconcile, ("reconcile",))):
    for n in names:
        if hasattr(mod, n):  # an older checkout (--before) may lack one
            setattr(mod, n, timed(n, getattr(mod, n)))
for d in domains():
    for field in ("write", "derive"):
        fn = getattr(d, field)
        if fn is not None:
            object.__setattr__(d, field, timed(f"{d.name}.{field}", fn))
futures_base.Future.result = timed("waiting on threads", futures_base.Future.result)
# the build's own sub-steps that are plain code in _build_into: its end marks the write of the file
builder._build_into = timed("_build_into", builder._build_into, nests=False)

t, c = time.perf_counter(), time.thread_time()
report = builder.build(Path(sys.argv[1]), Path(sys.argv[2]), force=sys.argv[3] == "force")
end, c_end = time.perf_counter(), time.thread_time()
print(json.dumps({"marks": [[a - t, b - t, ca - c, cb - c, n] for a, b, ca, cb, n in marks if a >= t],
                  "total": end - t, "main_cpu": c_end - c,
                  "cpu": time.process_time() - c_start, "noop": report.noop}))
"""

# _build_into is timed as a whole only to find where its last timed step ends: what follows
# (build_info, ATTACH, COPY FROM DATABASE) is "writing the file"
NESTED_IN = "_build_into"


def phases(run: dict[str, object], clock: str = "wall") -> list[tuple[str, float]]:
    """Consecutive phases of one run on the main thread, by ``clock`` (``wall``, or ``cpu``:
    the main thread's own CPU time): each timed step and each gap between two, named by
    its neighbours."""
    lo, hi = (0, 1) if clock == "wall" else (2, 3)
    total = float(run["total" if clock == "wall" else "main_cpu"])  # type: ignore[arg-type]
    marks = [(m[lo], m[hi], m[4]) for m in run["marks"]]  # type: ignore[union-attr, index]
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
    out.append((f"(gap) {prev} .. end", total - at))
    return out


# the phases in the words of docs/benchmarks.md: every timed step and gap falls in one
GROUPS = ("start: discover, checksums, the old database", "schema and reference data",
          "layouts: cached results loaded (other thread) and written", "source files registered",
          "personnel derive: one value per cell, rollups, ranks", "the other domains' derive",
          "reconciliation and findings", "problems and spellings", "the file written (COPY FROM DATABASE)",
          "report, close, swap")
_START = {"discover", "checksums (hash threads)", "_code_digest", "_clean_stale", "_open_existing",
          "_existing_fingerprint", "_check_target"}


def group(name: str) -> str:
    """Which of GROUPS a phase (a step, or a gap named ``(gap) before .. after``) belongs to."""
    if name.startswith("(gap) "):
        before, after = name[6:].split(" .. ")
        if before == "write_spellings":
            return GROUPS[8]  # build_info, ATTACH, COPY FROM DATABASE, DETACH
        if before in _START or before == "start" or after == "_build_into":
            return GROUPS[0]
        if before == "_build_into start":
            return GROUPS[1]
        name = before if before not in ("write_reference",) else after
    if name in _START:
        return GROUPS[0]
    if name in ("create", "write_reference"):
        return GROUPS[1]
    if name in ("waiting on readers", "write_table", "write_extra") or name.endswith(".write"):
        return GROUPS[2]
    if name == "write_sources":
        return GROUPS[3]
    if name == "personnel.derive":
        return GROUPS[4]
    if name.endswith(".derive"):
        return GROUPS[5]
    if name == "reconcile":
        return GROUPS[6]
    if name in ("write_problems", "write_spellings"):
        return GROUPS[7]
    return GROUPS[9]


def _run(src: str | None, sources: str, db: str, force: bool) -> dict[str, object]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    out = subprocess.run([sys.executable, "-c", CHILD, sources, db, "force" if force else "-"],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _grouped(run: dict[str, object], clock: str) -> dict[str, float]:
    acc = dict.fromkeys(GROUPS, 0.0)
    for name, dt in phases(run, clock):
        acc[group(name)] += dt
    return acc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default="../shared/data")
    ap.add_argument("--db", default="/tmp/bh-phases.duckdb")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-force", action="store_true")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed builds first: after an edit to the code the layout cache misses once")
    ap.add_argument("--before", metavar="SRC",
                    help="another checkout's src folder: its builds and this one's alternate, and the table "
                         "gives both, phase by phase (grouped as in docs/benchmarks.md)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    force = not args.no_force
    if args.before:
        before_db = args.db + ".before.duckdb"
        pairs = []
        for i in range(args.warmup + args.runs):
            b = _run(args.before, args.sources, before_db, force)
            a = _run(None, args.sources, args.db, force)
            if i >= args.warmup:
                pairs.append((b, a))
        if args.json:
            print(json.dumps(pairs))
            return
        print("| phase | before: wall (s) | after: wall (s) | before: main thread's CPU (s) | "
              "after: main thread's CPU (s) |")
        print("|---|---:|---:|---:|---:|")

        def med(xs: list[float]) -> str:
            return f"{statistics.median(xs):.2f}"

        for g in GROUPS:
            cols = [[_grouped(p[k], clock)[g] for p in pairs] for clock in ("wall", "cpu") for k in (0, 1)]
            print(f"| {g} | {med(cols[0])} | {med(cols[1])} | {med(cols[2])} | {med(cols[3])} |")
        tot = [[float(p[k][f]) for p in pairs] for f in ("total", "main_cpu") for k in (0, 1)]  # type: ignore[arg-type]
        proc = [[float(p[k]["cpu"]) for p in pairs] for k in (0, 1)]  # type: ignore[arg-type]
        print(f"| build() total | {med(tot[0])} ({min(tot[0]):.2f}-{max(tot[0]):.2f}) | "
              f"{med(tot[1])} ({min(tot[1]):.2f}-{max(tot[1]):.2f}) | {med(tot[2])} | {med(tot[3])} |")
        print(f"| process CPU, every thread, imports included | | | {med(proc[0])} | {med(proc[1])} |")
        print(f"{len(pairs)} pairs, before and after alternating; load average {os.getloadavg()[0]:.2f} at the end",
              file=sys.stderr)
        return
    runs = [_run(None, args.sources, args.db, force) for _ in range(args.warmup + args.runs)][args.warmup:]
    if args.json:
        print(json.dumps(runs))
        return
    # the phases of the first run give the order; a phase missing from a run counts 0
    walls = [dict(_summed(phases(r))) for r in runs]
    cpus = [dict(_summed(phases(r, "cpu"))) for r in runs]
    order = [name for name, _ in _summed(phases(runs[0]))]
    print(f"| phase | wall, median of {len(runs)} (s) | min-max | main thread's CPU, median (s) |")
    print("|---|---:|---:|---:|")
    for name in order:
        ts = [p.get(name, 0.0) for p in walls]
        cs = [p.get(name, 0.0) for p in cpus]
        print(f"| {name} | {statistics.median(ts):.3f} | {min(ts):.3f}-{max(ts):.3f} | {statistics.median(cs):.3f} |")
    totals = [float(r["total"]) for r in runs]  # type: ignore[arg-type]
    main_cpu = [float(r["main_cpu"]) for r in runs]  # type: ignore[arg-type]
    proc = [float(r["cpu"]) for r in runs]  # type: ignore[arg-type]
    print(f"| build() total | {statistics.median(totals):.3f} | {min(totals):.3f}-{max(totals):.3f} | "
          f"{statistics.median(main_cpu):.3f} |")
    print(f"| process CPU, every thread, imports included | | | {statistics.median(proc):.3f} "
          f"({min(proc):.3f}-{max(proc):.3f}) |")
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
