"""What one never-seen page costs in process: milliseconds (wall, and CPU: the process's
processor time, all threads, which a machine busy with other work inflates less) and
DuckDB statements, per kind.

    .venv/bin/python bench/page_cost.py --db PATH [--per-kind 20] [--kinds country,mission]

Every page kind the dashboard serves (and the JSON API's ranking), each over URLs it has
not rendered before, through the whole app (routing, page model, template) with no
response cache; a statement is one ``execute`` on a query cursor (``Connection.con``), so
the metadata read once at open is not counted. Prints, per kind, the median and the
largest time and statement count, and the slowest URL; and the mean CPU, which over all of a
kind's URLs (``--per-kind 160``) moves less between runs than the median. The load benchmark
(bench/web_load.py) gives the same kinds under 8 connections.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from web_load import kind_paths  # noqa: E402


class Counting:
    """A cursor that counts its statements (into ``Counting.n``)."""

    n = 0

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        Counting.n += 1  # the handler's thread; one request at a time here
        return self._cur.execute(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


def instrument() -> None:
    """Wrap every query cursor of every open database in :class:`Counting`."""
    from bluehelmet.query.connection import Connection

    plain = Connection.con.fget  # type: ignore[attr-defined]
    Connection.con = property(lambda self: Counting(plain(self)))  # type: ignore[method-assign,assignment]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("BLUEHELMET_DB"))
    ap.add_argument("--per-kind", type=int, default=20)
    ap.add_argument("--kinds", default="")
    args = ap.parse_args()
    if not args.db:
        raise SystemExit("give --db or set BLUEHELMET_DB")
    instrument()
    from fastapi.testclient import TestClient

    from bluehelmet.web.app import create_app

    with TestClient(create_app(args.db)) as client:  # with: the app's startup runs, as when served
        measure(client, Path(args.db), args.per_kind, {k.strip() for k in args.kinds.split(",") if k.strip()})


def measure(client: Any, db: Path, per_kind: int, wanted: set[str]) -> None:
    client.get("/api/health")
    print("| kind | URLs | wall ms p50 | wall ms max | CPU ms p50 | CPU ms mean | statements p50 | statements max "
          "| slowest |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, paths in kind_paths(db).items():
        if wanted and kind not in wanted:
            continue
        client.get(paths[-1])  # the kind's templates and first-use caches, not counted
        times, cpu, stmts, slow = [], [], [], ("", 0.0)
        for path in (paths[:-1] or paths)[:per_kind]:
            Counting.n = 0
            t, c = time.perf_counter(), time.process_time()
            r = client.get(path)
            dt = (time.perf_counter() - t) * 1000
            cpu.append((time.process_time() - c) * 1000)
            if r.status_code != 200:
                print(f"  {path}: {r.status_code}", file=sys.stderr)
            times.append(dt)
            stmts.append(Counting.n)
            if dt > slow[1]:
                slow = (path, dt)
        print(f"| {kind} | {len(times)} | {statistics.median(times):.1f} | {max(times):.1f} | "
              f"{statistics.median(cpu):.1f} | {statistics.mean(cpu):.1f} | "
              f"{statistics.median(stmts):.0f} | {max(stmts)} | {slow[0][:60]} |", flush=True)


if __name__ == "__main__":
    main()
