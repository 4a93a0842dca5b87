"""Load benchmark: bluehelmet's API and pages against Datasette serving the same data.

    .venv/bin/pip install datasette psutil      # the benchmark environment only
    .venv/bin/python bench/web_load.py [--db PATH] [--seconds 10] [--concurrency 8] [--wrk]

One server runs at a time, on loopback, on the same two cores as the load generator:

- Datasette (``--immutable``) over a SQLite copy of the resolved contributor x mission
  table, indexed on month;
- bluehelmet as served (one worker, response cache on), then without the cache (every
  answer computed afresh), one worker and two.

Two kinds of load:

- **the same question** repeated: the top 10 contributors in 2013-12, as bluehelmet's
  ``/api/rank`` and as Datasette's JSON for the equivalent SQL;
- **new questions**: that ranking for every month and personnel type the detail table
  covers (208 different URLs, taken in turn), on both servers; and the pages (rankings,
  country and mission profiles, compare, overview) rotated over every contributor and
  mission, on bluehelmet alone.

With wrk (Debian package) each URL list is a Lua script; without it, Python threads issue
the requests (they compete with the servers for the cores, so wrk's figures are the ones
to quote). Every run is bounded by time and by count. Memory is the servers' process tree:
resident (RSS) and proportional (PSS, which counts pages shared between worker processes
once), read with psutil.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

# the stored types behind each ranking type, for the SQL Datasette answers: "troops" counts
# staff officers too, as bluehelmet does (the official reports print them apart from 2017-05)
TYPES = {"all": None, "troops": ("troops", "staff_officers"),
         "police": ("police", "formed_police", "individual_police"), "experts": ("experts",)}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and its children, in MB."""
    import psutil

    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    rss = pss = 0
    for p in procs:
        info = p.memory_full_info()
        rss += info.rss
        pss += info.pss
    return rss / 2**20, pss / 2**20


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far: the server's CPU per
    request holds on a busy machine, where requests/s move with the other sessions' load."""
    import psutil

    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    return sum(t.user + t.system for t in (p.cpu_times() for p in procs))


def load_threads(base: str, paths: list[str], seconds: float, concurrency: int, limit: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    counter = itertools.count()

    def worker() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.perf_counter() < stop:
                i = next(counter)
                if i >= limit:
                    return
                t = time.perf_counter()
                r = client.get(paths[i % len(paths)])
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
            "p50_ms": pick(50), "p99_ms": pick(99)}


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local n = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end
function request()
  n = n + 1
  return wrk.format("GET", paths[((n + offset) %% #paths) + 1])
end
"""


def load_wrk(base: str, paths: list[str], seconds: float, concurrency: int, tmp: Path) -> dict[str, float]:
    """wrk, 2 threads, bounded by time; a Lua script takes the URLs in turn."""
    listing = tmp / f"paths-{random.randrange(10**9)}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = listing.with_suffix(".lua")
    script.write_text(LUA % listing)
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{int(seconds)}s", "--latency", "-s", str(script),
                          base], capture_output=True, text=True, check=True).stdout

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return {"requests": requests, "errors": errors,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),  # type: ignore[union-attr]
            "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))}  # type: ignore[union-attr]


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


def rank_sql(month: str, types: tuple[str, ...] | None) -> str:
    where = f"month = '{month}-01'" + (" and type in (" + ", ".join(f"'{t}'" for t in types) + ")" if types else "")
    return (f"select contributor, sum(total) as personnel from personnel where {where} "
            "group by contributor order by personnel desc limit 10")


@dataclass
class Case:
    label: str
    paths: list[str]


def questions(db: Path) -> dict[str, list[str]]:
    """The URL lists: same question, new rankings (both servers), and pages (bluehelmet)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    months = [f"{m:%Y-%m}" for (m,) in con.execute("SELECT DISTINCT month FROM personnel ORDER BY 1").fetchall()]
    countries = [c for (c,) in con.execute(
        "SELECT DISTINCT contributor FROM personnel_contributor WHERE total > 0 ORDER BY 1").fetchall()]
    missions = [m for (m,) in con.execute("SELECT DISTINCT mission FROM personnel ORDER BY 1").fetchall()]
    groups = {g for (g,) in con.execute("SELECT grp FROM country_group_info").fetchall()}
    con.close()
    rng = random.Random(7)
    asked = [(m, t) for m in months for t in TYPES]
    rng.shuffle(asked)
    # compare takes groups too, so a code that is also a group's (NAM) is ambiguous there
    plain = [c for c in countries if c not in groups]
    pairs = [rng.sample(plain, 2) for _ in range(100)]
    pages = ([f"/rankings?month={m}" for m in months] + [f"/countries/{c}" for c in countries]
             + [f"/missions/{m}" for m in missions] + [f"/compare?country={a}&country={b}" for a, b in pairs] + ["/"])
    rng.shuffle(pages)
    return {
        "same": ["/api/rank?month=2013-12&top=10"],
        "same_ds": [f"/bench.json?sql={quote(rank_sql('2013-12', None))}&_shape=array"],
        "new": [f"/api/rank?month={m}&type={t}&top=10" for m, t in asked],
        "new_ds": [f"/bench.json?sql={quote(rank_sql(m, TYPES[t]))}&_shape=array" for m, t in asked],
        "pages": pages,
        "rankings": [f"/rankings?month={m}" for m in months],
        "countries": [f"/countries/{c}" for c in countries],
    }


def kind_paths(db: Path) -> dict[str, list[str]]:
    """Never-seen URLs of every page kind, and of the JSON API, kind by kind (each list in
    a fixed shuffled order): what the cold-pages figures are measured over. A kind with one
    page (the overview, coverage, sources) repeats it: uncached, each request is new work."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    months = [f"{m:%Y-%m}" for (m,) in con.execute(
        "SELECT DISTINCT month FROM personnel_contributor UNION SELECT DISTINCT month FROM personnel "
        "ORDER BY 1").fetchall()]
    countries = [c for (c,) in con.execute(
        "SELECT DISTINCT contributor FROM personnel_contributor WHERE total > 0 ORDER BY 1").fetchall()]
    missions = [m for (m,) in con.execute("SELECT DISTINCT mission FROM personnel_mission ORDER BY 1").fetchall()]
    groups = {g for (g,) in con.execute("SELECT grp FROM country_group_info").fetchall()}
    scales = con.execute("SELECT DISTINCT scale, year FROM assessment ORDER BY 1, 2").fetchall()
    con.close()
    rng = random.Random(15)
    plain = [c for c in countries if c not in groups]

    def shuffled(xs: list[str]) -> list[str]:
        rng.shuffle(xs)
        return xs

    asked = [(m, t) for m in months for t in TYPES]
    return {
        "overview": ["/"],
        "country": shuffled([f"/countries/{c}" for c in countries]),
        "mission": shuffled([f"/missions/{m}" for m in missions]),
        "rankings": shuffled([f"/rankings?month={m}&type={t}" for m, t in asked]),
        "compare": [f"/compare?country={a}&country={b}" for a, b in (rng.sample(plain, 2) for _ in range(300))],
        "who-pays": shuffled([f"/who-pays?year={y}&scale={s}" for s, y in scales]),
        "finance": shuffled([f"/finance?recipient={c}" for c in plain]) + ["/finance"],
        "coverage": ["/coverage"],
        "sources": ["/sources"],
        "check": shuffled([f"/check?claim={quote(f'troops({c}, {m}) > 100')}"
                           for c in plain[:40] for m in months[-120::12]]),
        "api": shuffled([f"/api/rank?month={m}&type={t}&top=10" for m, t in asked]),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("BLUEHELMET_DB"))
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--limit", type=int, default=50_000, help="at most this many requests per run (threads)")
    ap.add_argument("--wrk", action="store_true", help="generate the load with wrk (Debian package)")
    ap.add_argument("--only", default="", help="comma-separated server labels to run (default: all)")
    ap.add_argument("--kinds", default="", help="cold pages (issue 15): these page kinds of kind_paths, comma-"
                    "separated or 'all', each alone on one uncached worker, and the API against Datasette")
    args = ap.parse_args()
    if not args.db:
        raise SystemExit("give --db or set BLUEHELMET_DB")
    db = Path(args.db)
    tmp = Path(tempfile.mkdtemp(prefix="bh-web-"))
    sqlite_copy(db, tmp / "bench.db")
    q = questions(db)
    bin_dir = Path(sys.executable).parent

    def ours(*flags: str) -> list[str]:
        return [str(bin_dir / "bluehelmet"), "serve", "--db", str(db), *flags]

    servers = [
        ("Datasette 1 process", [str(bin_dir / "datasette"), "serve", str(tmp / "bench.db"), "--immutable",
                                 str(tmp / "bench.db")], "/-/versions.json",
         [Case("same question", q["same_ds"]), Case("new questions: rank (208 URLs)", q["new_ds"])]),
        ("bluehelmet 1 worker, cache (as served)", ours(), "/api/health",
         [Case("same question", q["same"]), Case("new questions: rank (208 URLs)", q["new"]),
          Case(f"pages ({len(q['pages'])} URLs)", q["pages"])]),
        ("bluehelmet 1 worker, --no-cache", ours("--no-cache"), "/api/health",
         [Case("same question", q["same"]), Case("new questions: rank (208 URLs)", q["new"]),
          Case(f"rankings pages ({len(q['rankings'])} URLs)", q["rankings"]),
          Case(f"country pages ({len(q['countries'])} URLs)", q["countries"]),
          Case(f"pages ({len(q['pages'])} URLs)", q["pages"])]),
        ("bluehelmet 2 workers, --no-cache", ours("--no-cache", "--workers", "2"), "/api/health",
         [Case("same question", q["same"]), Case("new questions: rank (208 URLs)", q["new"]),
          Case(f"pages ({len(q['pages'])} URLs)", q["pages"])]),
    ]
    if args.kinds:
        by_kind = kind_paths(db)
        by_kind["api"] = q["new"]  # the questions Datasette is asked, over the detail months its copy holds
        wanted = list(by_kind) if args.kinds == "all" else [k.strip() for k in args.kinds.split(",") if k.strip()]
        servers = [servers[0][:3] + ([Case("new questions: rank (208 URLs)", q["new_ds"])],),
                   ("bluehelmet 1 worker, --no-cache", ours("--no-cache"), "/api/health",
                    [Case(f"{k} ({len(by_kind[k])} URLs)", by_kind[k]) for k in wanted])]
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    print(f"{args.seconds:.0f} s per case, {args.concurrency} connections, "
          f"{'wrk -t2' if args.wrk else 'Python threads'}\n")
    print("| server | load | requests | rps | p50 | p99 | non-200 | CPU per request | RSS | PSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    try:
        for label, cmd, ready, cases in servers:
            if only and not any(o in label for o in only):
                continue
            port = free_port()
            proc = subprocess.Popen([*cmd, "--port", str(port)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}"
            try:
                wait(base + ready)
                for case in cases:
                    for path in case.paths[:3]:
                        httpx.get(base + path, timeout=30)  # warm
                    cpu = cpu_seconds(proc.pid)
                    r = (load_wrk(base, case.paths, args.seconds, args.concurrency, tmp) if args.wrk
                         else load_threads(base, case.paths, args.seconds, args.concurrency, args.limit))
                    cpu_ms = (cpu_seconds(proc.pid) - cpu) * 1000 / max(1, r["requests"] + r["errors"])
                    rss, pss = memory_mb(proc.pid)
                    print(f"| {label} | {case.label} | {r['requests']} | {r['rps']:.0f} | {r['p50_ms']:.1f} ms | "
                          f"{r['p99_ms']:.1f} ms | {r['errors']} | {cpu_ms:.2f} ms | {rss:.0f} MB | {pss:.0f} MB |",
                          flush=True)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
