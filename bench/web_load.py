"""Load benchmark: bluehelmet's API and pages against Datasette serving the same data.

    .venv/bin/pip install datasette psutil      # the benchmark environment only
    .venv/bin/python bench/web_load.py [--db PATH] [--seconds 10] [--concurrency 8]

Both servers run on loopback as separate processes (one uvicorn worker each). The same
question, "the top 10 contributors in 2013-12", is asked of both: bluehelmet's
``/api/rank`` and Datasette's JSON for the equivalent SQL over a SQLite copy of the
resolved personnel table (indexed on month). A thread pool issues requests for a bounded
time and count and records each latency; the servers' resident memory is read from /proc.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, seconds: float = 20) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def rss_mb(pid: int) -> float:
    import psutil

    proc = psutil.Process(pid)
    return (proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))) / 2**20


def load(url: str, seconds: float, concurrency: int, limit: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=10) as client:
            while time.perf_counter() < stop:
                with lock:
                    if len(latencies) + errors >= limit:
                        return
                t = time.perf_counter()
                r = client.get(url)
                dt = time.perf_counter() - t
                with lock:
                    if r.status_code == 200:
                        latencies.append(dt)
                    else:
                        errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000  # noqa: E731
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": pick(50), "p99_ms": pick(99), "mean_ms": statistics.mean(latencies) * 1000}


def wrk(url: str, seconds: float, concurrency: int) -> dict[str, float]:
    """The same figures from wrk (bounded by time; --latency gives the percentiles)."""
    import re

    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {"requests": requests, "errors": errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
            "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)), "mean_ms": 0.0}  # type: ignore[union-attr]


def sqlite_copy(db: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT strftime(month, '%Y-%m-%d'), contributor, mission, type, total FROM personnel").fetchall()
    con.close()
    lite = sqlite3.connect(out)
    lite.execute("CREATE TABLE personnel (month TEXT, contributor TEXT, mission TEXT, type TEXT, total INTEGER)")
    lite.executemany("INSERT INTO personnel VALUES (?, ?, ?, ?, ?)", rows)
    lite.execute("CREATE INDEX personnel_month ON personnel (month)")
    lite.commit()
    lite.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("BLUEHELMET_DB"))
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--limit", type=int, default=20000, help="at most this many requests per run")
    ap.add_argument("--no-cache", action="store_true", help="run bluehelmet without its response cache")
    ap.add_argument("--wrk", action="store_true", help="generate the load with wrk (Debian package) instead of "
                    "Python threads, which compete with the servers for the two cores")
    args = ap.parse_args()
    if not args.db:
        raise SystemExit("give --db or set BLUEHELMET_DB")
    tmp = Path(tempfile.mkdtemp(prefix="bh-web-"))
    sqlite_copy(Path(args.db), tmp / "bench.db")

    ours_port, ds_port = free_port(), free_port()
    bin_dir = Path(sys.executable).parent
    ours = subprocess.Popen([str(bin_dir / "bluehelmet"), "serve", "--db", args.db, "--port", str(ours_port),
                             *(["--no-cache"] if args.no_cache else [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    datasette = subprocess.Popen([str(bin_dir / "datasette"), "serve", str(tmp / "bench.db"), "--port", str(ds_port),
                                  "--immutable", str(tmp / "bench.db")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(f"http://127.0.0.1:{ours_port}/api/health")
        wait(f"http://127.0.0.1:{ds_port}/-/versions.json")
        sql = ("select contributor, sum(total) as personnel from personnel where month = '2013-12-01' "
               "group by contributor order by personnel desc limit 10")
        cases = [
            ("bluehelmet /api/rank (top 10, 2013-12)", f"http://127.0.0.1:{ours_port}/api/rank?month=2013-12&top=10",
             ours.pid),
            ("Datasette, the same question as SQL", f"http://127.0.0.1:{ds_port}/bench.json?sql={quote(sql)}&_shape=array",
             datasette.pid),
            ("bluehelmet page /rankings?month=2013-12", f"http://127.0.0.1:{ours_port}/rankings?month=2013-12",
             ours.pid),
            ("bluehelmet /api/personnel (P5 by contributor)",
             f"http://127.0.0.1:{ours_port}/api/personnel?country=P5&month=2013-12&by=contributor", ours.pid),
        ]
        print("| what | requests | rps | p50 | p99 | errors | server RSS |")
        print("|---|---|---|---|---|---|---|")
        for label, url, pid in cases:
            httpx.get(url, timeout=10)  # warm
            r = wrk(url, args.seconds, args.concurrency) if args.wrk else load(url, args.seconds, args.concurrency,
                                                                               args.limit)
            print(f"| {label} | {r['requests']} | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
                  f"{r['errors']} | {rss_mb(pid):.0f} MB |")
    finally:
        for p in (ours, datasette):
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
