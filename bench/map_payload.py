"""The world map's cost (issue 15): what ``/map/data.json`` weighs (plain and as gzip would
send it), how long the one computation behind it takes in a fresh process (``query.atlas``:
every contributor-month by type and every mission-month, two statements), and what a
``/map`` page then costs per month (in-process, no response cache).

    .venv/bin/python bench/map_payload.py --db /tmp/bluehelmet.duckdb [--runs 20]

Prints a Markdown table (paste into docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()

    import orjson
    from fastapi.testclient import TestClient

    import bluehelmet
    from bluehelmet.query.atlas import atlas
    from bluehelmet.web.app import create_app

    with bluehelmet.open(args.db) as db:
        t = time.perf_counter()
        world = atlas(db)
        first = time.perf_counter() - t
    with TestClient(create_app(args.db)) as client:
        t = time.perf_counter()
        body = client.get("/map/data.json").content
        cold = time.perf_counter() - t
        months = world.months
        step = max(1, len(months) // args.runs)
        times = []
        for m in months[::step][: args.runs]:
            t = time.perf_counter()
            assert client.get("/map", params={"month": m}).status_code == 200
            times.append((time.perf_counter() - t) * 1000)
    data = orjson.loads(body)
    print("| what | figure |\n|---|---|")
    print(f"| months on the slider | {len(data['months'])} ({data['months'][0]}..{data['months'][-1]}) |")
    print(f"| contributors, missions | {len(data['contributors'])}, {len(data['missions'])} |")
    print(f"| `/map/data.json` | {len(body):,} bytes; {len(gzip.compress(body)):,} gzipped |")
    print(f"| atlas, first computation in a process | {first * 1000:,.0f} ms |")
    print(f"| first `/map/data.json` in a fresh app (atlas, scale tops, JSON) | {cold * 1000:,.0f} ms |")
    print(f"| `/map?month=` after that, median of {len(times)} months (p90) | "
          f"{statistics.median(times):.0f} ms ({statistics.quantiles(times, n=10)[-1]:.0f} ms) |")


if __name__ == "__main__":
    main()
