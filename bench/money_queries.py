"""Money queries, in-process, on a built database (issue 11: p50 <= 2 ms).

    .venv/bin/python bench/money_queries.py [--db PATH] [--runs 200]

Each query shape is run ``--runs`` times after one warm-up; prints p50 and p95 per shape.
"""

from __future__ import annotations

import argparse
import statistics
import time

import bluehelmet


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--runs", type=int, default=200)
    args = ap.parse_args()
    db = bluehelmet.open(args.db) if args.db else bluehelmet.open()
    shapes = {
        "assessments -c USA --year 2014": lambda: db.assessments(member=["USA"], year="2014"),
        "assessments --year 2024 --top 10": lambda: db.assessments(year="2024", top=10),
        "assessments -c P5 --from 2013 --to 2024": lambda: db.assessments(member=["P5"], start="2013", end="2024"),
        "spending -m MINUSMA --by year": lambda: db.spending(mission=["MINUSMA"], by=["year"]),
        "spending --year 2022/23 --by mission": lambda: db.spending(year="2022/23", by=["mission"]),
        "finance -c Africa --from 2000 --to 2011": lambda: db.finance(recipient=["Africa"], start=2000, end=2011),
        "finance -c Angola --by year": lambda: db.finance(recipient=["Angola"], by=["year"]),
    }
    print("| query | p50 | p95 |")
    print("|---|---:|---:|")
    for name, run in shapes.items():
        run()
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        times.sort()
        print(f"| `{name}` | {statistics.median(times) * 1000:.2f} ms | {times[int(0.95 * len(times))] * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
