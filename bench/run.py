"""Benchmarks: full build, no-op rebuild, and a mix of 1,000 personnel queries.

    .venv/bin/python bench/run.py [--sources ../shared/data] [--builds 5] [--queries 1000]

Prints a Markdown table (paste into docs/benchmarks.md). Times are wall clock on this
machine; the build is measured in-process and as the CLI command a user runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", default="../shared/data")
    ap.add_argument("--builds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=1000)
    args = ap.parse_args()

    import bluehelmet
    from bluehelmet.builder import build

    sources = Path(args.sources)
    tmp = Path(tempfile.mkdtemp(prefix="bh-bench-"))
    db = tmp / "bench.duckdb"
    # the sources of issue 2 alone (IPI and the UN files), copied to a scratch folder
    subset = tmp / "issue2-sources"
    for name in ("ipi", "un"):
        shutil.copytree(sources / name, subset / name)
    build(subset, tmp / "subset.duckdb", force=True)  # warm the OS cache and the imports
    issue2 = []
    for _ in range(args.builds):
        t = time.perf_counter()
        build(subset, tmp / "subset.duckdb", force=True)
        issue2.append(time.perf_counter() - t)
    build(sources, db, force=True)
    full = []
    for _ in range(args.builds):
        t = time.perf_counter()
        build(sources, db, force=True)
        full.append(time.perf_counter() - t)
    noop = []
    for _ in range(args.builds * 2):
        t = time.perf_counter()
        assert build(sources, db).noop
        noop.append(time.perf_counter() - t)
    cli = [sys.executable, "-m", "bluehelmet.cli", "build", "--sources", str(sources), "--db", str(db), "-q"]
    cli_full, cli_noop = [], []
    for _ in range(args.builds):
        t = time.perf_counter()
        subprocess.run([*cli, "--force"], check=True, capture_output=True)
        cli_full.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        cli_noop.append(time.perf_counter() - t)

    store = bluehelmet.open(db)
    rng = random.Random(42)
    countries = ["China", "France", "P5", "AU", "Africa", "Pakistan", "India", "Ghana", "EU", "G4", "Nepal",
                 "United States of America", "Russian Federation", "Western Africa", "South America"]
    missions = ["MINUSMA", "UNMISS", "MONUSCO", "UNIFIL", "UNAMID", "MINUSTAH"]
    months = [f"{y}-{m:02d}" for y in range(2010, 2014) for m in range(1, 13)]
    old_months = [f"{y}-{m:02d}" for y in range(1995, 2009) for m in range(1, 13)]
    shapes = [
        lambda: dict(country=[rng.choice(countries)], month=rng.choice(months)),
        lambda: dict(country=[rng.choice(countries)], month=rng.choice(months), by=["mission", "type"]),
        lambda: dict(country=["P5"], month=rng.choice(months), by=["contributor"]),
        lambda: dict(mission=[rng.choice(missions)], month=rng.choice(months), by=["contributor"]),
        lambda: dict(country=[rng.choice(countries)], month=rng.choice(old_months)),
        lambda: dict(month=rng.choice(months), by=["gender"]),
        lambda: dict(country=[rng.choice(countries)], month=rng.choice(months), type="troops"),
    ]
    qs = [rng.choice(shapes)() for _ in range(args.queries)]
    times = []
    for q in qs:
        t = time.perf_counter()
        store.personnel(**q)
        times.append(time.perf_counter() - t)
    from bluehelmet.claims import check

    claims = ["troops(China, 2014-01) > troops(P5 - China, 2014-01)",
              "personnel(Russia, 2013-12) == min(personnel(each P5, 2013-12))",
              "personnel(China, 2014-01) / personnel(China, 2003-01) ~ 20",
              "share(personnel, Asia + Africa, 2012-12) > 85%",
              "deployed(MINUSMA, 2013-12) / authorized(MINUSMA, 2013-12) ~ 50%",
              "personnel(China, mission=MINUSMA, 2014-01) ~ 395"]
    check(store, claims[0])  # the parser is built once per process
    claim_times = []
    for _ in range(50):
        for c in claims:
            t = time.perf_counter()
            check(store, c)
            claim_times.append(time.perf_counter() - t)
    store.close()

    ms = lambda s: f"{s * 1000:.2f} ms"  # noqa: E731
    print("| measure | median | p95 / min-max |")
    print("|---|---|---|")
    print(f"| build of the issue-2 sources (IPI, UN), in-process ({args.builds} runs) | "
          f"{statistics.median(issue2):.2f} s | {min(issue2):.2f}-{max(issue2):.2f} s |")
    print(f"| full build of all sources, in-process ({args.builds} runs) | {statistics.median(full):.2f} s | "
          f"{min(full):.2f}-{max(full):.2f} s |")
    print(f"| full build of all sources, CLI incl. start-up ({args.builds} runs) | {statistics.median(cli_full):.2f} s | "
          f"{min(cli_full):.2f}-{max(cli_full):.2f} s |")
    print(f"| no-op rebuild, in-process ({len(noop)} runs) | {ms(statistics.median(noop))} | "
          f"{ms(min(noop))}-{ms(max(noop))} |")
    print(f"| no-op rebuild, CLI incl. start-up ({args.builds} runs) | {ms(statistics.median(cli_noop))} | "
          f"{ms(min(cli_noop))}-{ms(max(cli_noop))} |")
    print(f"| personnel query ({len(times)} mixed) | p50 {ms(pct(times, 50))} | p95 {ms(pct(times, 95))}, "
          f"p99 {ms(pct(times, 99))} |")
    print(f"| claim check, in-process ({len(claim_times)}: the issue's examples) | p50 {ms(pct(claim_times, 50))} | "
          f"p95 {ms(pct(claim_times, 95))}, max {ms(max(claim_times))} |")


if __name__ == "__main__":
    main()
