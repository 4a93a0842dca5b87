"""Proof in one run (issue 15): bluehelmet against Datasette, against pandas, and at 10x, 32x and 100x.

    .venv/bin/pip install datasette psutil   # the benchmark environment only
    .venv/bin/python bench/proof.py [--db PATH] [--sources DIR] [--quick] [--only web,questions,scale,scaledb]

Four parts, one after the other, each printing a Markdown table:

(a) **web**: ``bluehelmet serve --no-cache`` (one worker) and Datasette (``--immutable``, one
    process) over a SQLite copy of the tables the questions need (the resolved contributor x
    mission table and the fatality list, indexed as the questions filter), asked the same
    questions: a ranking at a month and personnel type, a mission's personnel by
    contributor, a country's personnel by mission, and a mission's fatalities by year, each
    over many never-repeated URLs. First a sample of each kind is asked of both servers and
    the answers compared; then each kind, and their mix, is loaded for ``--seconds``; then
    bluehelmet's pages alone. Requests/s, p50, p99 and the server's RSS after the run.
(b) **questions**: the 22 questions of bench/proof_questions.py, answered by
    ``bluehelmet.Database`` and by pandas over the raw files, compared, and timed cold
    (bluehelmet: opening the database and answering; pandas: reading the files the question
    needs and answering) and warm (the database open and asked once before; the frames in
    memory): the median of 5 runs (2 with ``--quick``).
(c) **scale**: the IPI contributor x mission x month detail file (bench/proof_lib.py,
    ``REPLICATED``) written 1x, 10x and 32x (the most that fits in the years the readers
    accept; 100x does not) into scratch source folders under /tmp, each copy shifted by
    whole years clear of the real data's months, every other source file linked as it is;
    then ``bluehelmet build`` timed on each, and a fixed query mix timed on each built
    database (open, first query, p50, p99).
(d) **scaledb**: past what the readers' dates allow, the built database multiplied 1x,
    10x, 32x and 100x (bench/proof_multiply.py: its personnel tables copied with months
    shifted by 40-year steps, the rollups, ranks and coverage recomputed by the build's own
    code, checked equal to the build's at 1x); the multiplication timed, and the same query
    mix as (c) on each.

``--quick`` shortens every part (3 s loads, 10 answers compared per kind, 2 repeats, scale
and scaledb to 10x only). Everything written goes under one temporary folder, removed at the end.
Datasette's SQL is written to mean what bluehelmet answers (troops with staff officers,
ties at 10th kept, nobody at zero ranked), so the answers can be compared.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import proof_lib  # noqa: E402
import web_load  # noqa: E402

BIN = Path(sys.executable).parent
TYPES = web_load.TYPES


def say(text: str = "") -> None:
    print(text, flush=True)


def table(header: list[str], rows: list[list[Any]]) -> None:
    say("| " + " | ".join(header) + " |")
    say("|" + "---|" * len(header))
    for r in rows:
        say("| " + " | ".join(str(c) for c in r) + " |")
    say()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def times(ratio: float) -> str:
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


# ---- (a) web: bluehelmet against Datasette on the same questions

def sqlite_copy(db: Path, out: Path) -> None:
    """The tables the web questions need, as SQLite, indexed on what they filter."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    personnel = con.execute(
        "SELECT strftime(month, '%Y-%m-%d'), contributor, mission, type, total FROM personnel").fetchall()
    fatality = con.execute("SELECT strftime(month, '%Y-%m-%d'), mission, nationality, incident_type FROM fatality"
                           ).fetchall()
    con.close()
    lite = sqlite3.connect(out)
    lite.execute("CREATE TABLE personnel (month TEXT, contributor TEXT, mission TEXT, type TEXT, total INTEGER)")
    lite.executemany("INSERT INTO personnel VALUES (?, ?, ?, ?, ?)", personnel)
    lite.execute("CREATE TABLE fatality (month TEXT, mission TEXT, nationality TEXT, incident_type TEXT)")
    lite.executemany("INSERT INTO fatality VALUES (?, ?, ?, ?)", fatality)
    for sql in ("CREATE INDEX personnel_month ON personnel (month)",
                "CREATE INDEX personnel_mission ON personnel (mission, month)",
                "CREATE INDEX personnel_contributor ON personnel (contributor, month)",
                "CREATE INDEX fatality_mission ON fatality (mission)"):
        lite.execute(sql)
    lite.commit()
    lite.close()


def rank_sql(month: str, types: tuple[str, ...] | None) -> str:
    """The top 10 as bluehelmet ranks them: ties share a rank, so a tie at 10th keeps
    every tied contributor (LIMIT 10 would cut them), and nobody at zero is ranked."""
    where = f"month = '{month}-01'" + (" and type in (" + ", ".join(f"'{t}'" for t in types) + ")" if types else "")
    return ("select contributor, personnel from (select contributor, sum(total) as personnel, "
            f"rank() over (order by sum(total) desc) as r from personnel where {where} group by contributor "
            "having sum(total) > 0) where r <= 10 order by personnel desc")


def web_questions(db: Path) -> dict[str, tuple[list[str], list[str], str]]:
    """Per kind: bluehelmet's URLs, Datasette's URLs for the same questions in the same
    order, and the answer's key column."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    cells = con.execute("SELECT DISTINCT strftime(month, '%Y-%m'), mission FROM personnel").fetchall()
    who = con.execute("SELECT DISTINCT strftime(month, '%Y-%m'), contributor FROM personnel").fetchall()
    dead = [m for (m,) in con.execute("SELECT DISTINCT mission FROM fatality ORDER BY 1").fetchall()]
    # a contributor code that is also a group's (NAM: Namibia, the Non-Aligned Movement) is
    # ambiguous to bluehelmet, which asks for the full name: left out, as in web_load
    groups = {g for (g,) in con.execute("SELECT grp FROM country_group_info").fetchall()}
    who = [(m, c) for m, c in who if c not in groups]
    con.close()
    months = sorted({m for m, _ in cells})
    rng = random.Random(15)
    rng.shuffle(cells)
    rng.shuffle(who)
    ranks = [(m, t) for m in months for t in TYPES]
    rng.shuffle(ranks)

    def ds(sql: str) -> str:
        return f"/bench.json?sql={quote(sql)}&_shape=array"

    return {
        "rank at a month and type": (
            [f"/api/rank?month={m}&type={t}&top=10" for m, t in ranks],
            [ds(rank_sql(m, TYPES[t])) for m, t in ranks], "contributor"),
        "mission by contributor": (
            [f"/api/personnel?mission={quote(x)}&month={m}&by=contributor" for m, x in cells],
            [ds(f"select contributor, sum(total) as personnel from personnel where mission = '{x}' "
                f"and month = '{m}-01' group by contributor order by personnel desc") for m, x in cells],
            "contributor"),
        "country by mission": (
            [f"/api/personnel?country={c}&month={m}&by=mission" for m, c in who],
            [ds(f"select mission, sum(total) as personnel from personnel where contributor = '{c}' "
                f"and month = '{m}-01' group by mission order by personnel desc") for m, c in who],
            "mission"),
        "mission fatalities by year": (
            [f"/api/fatalities?mission={quote(x)}&by=year" for x in dead],
            [ds(f"select cast(strftime('%Y', month) as integer) as year, count(*) as fatalities from fatality "
                f"where mission = '{x}' group by year order by year") for x in dead], "year"),
    }


def _rows(body: Any) -> list[dict[str, Any]]:
    return body["rows"] if isinstance(body, dict) else body


def _answer(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    value = next((c for c in ("personnel", "fatalities") if rows and c in rows[0]), "personnel")
    # a group at zero (a contributor listed with nobody deployed) is the same answer as
    # no group: one side keeps such rows, the other does not
    return {str(r[key]): r[value] for r in rows if r[value]}


class Server:
    """One server process on a free loopback port, for the length of a ``with``."""

    def __init__(self, cmd: list[str], ready: str) -> None:
        self.port = web_load.free_port()
        self.proc = subprocess.Popen([*cmd, "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        web_load.wait(self.base + ready)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def rss(self) -> float:
        return web_load.memory_mb(self.proc.pid)[0]


def part_web(db: Path, tmp: Path, seconds: float, concurrency: int, use_wrk: bool, sample: int) -> None:
    lite = tmp / "bench.db"
    sqlite_copy(db, lite)
    kinds = web_questions(db)
    ours = [str(BIN / "bluehelmet"), "serve", "--db", str(db), "--no-cache"]
    theirs = [str(BIN / "datasette"), "serve", str(lite), "--immutable", str(lite)]
    rng = random.Random(5)
    mix_ours: list[str] = []
    mix_theirs: list[str] = []
    for a, b, _ in kinds.values():
        picks = rng.sample(range(len(a)), min(len(a), 200))
        mix_ours += [a[i] for i in picks]
        mix_theirs += [b[i] for i in picks]
    order = list(range(len(mix_ours)))
    rng.shuffle(order)
    cases = {**{k: (a, b) for k, (a, b, _) in kinds.items()},
             "mix of the four": ([mix_ours[i] for i in order], [mix_theirs[i] for i in order])}

    def load(base: str, paths: list[str]) -> dict[str, float]:
        for p in paths[:3]:
            httpx.get(base + p, timeout=30)
        return (web_load.load_wrk(base, paths, seconds, concurrency, tmp) if use_wrk
                else web_load.load_threads(base, paths, seconds, concurrency, 10**9))

    say("## (a) bluehelmet (--no-cache, 1 worker) against Datasette (--immutable, 1 process)\n")
    say(f"{seconds:.0f} s per line, {concurrency} connections, "
        f"{'wrk -t2' if use_wrk else 'Python threads (compete with the servers for the cores)'}; "
        "every URL list is walked in turn, so within a run a URL repeats only after all the others\n")
    results: dict[tuple[str, str], dict[str, float]] = {}
    with Server(ours, "/api/health") as bh, Server(theirs, "/-/versions.json") as ds:
        # agreement first, on a sample of each kind, while both run
        rows = []
        for kind, (a, b, key) in kinds.items():
            picks = random.Random(kind).sample(range(len(a)), min(sample, len(a)))
            differ = []
            for i in picks:
                left = _answer(_rows(httpx.get(bh.base + a[i], timeout=30).json()), key)
                right = _answer(_rows(httpx.get(ds.base + b[i], timeout=30).json()), key)
                if left != right:
                    differ.append(f"`{a[i]}`: {sorted(set(left.items()) ^ set(right.items()))[:3]}")
            rows.append([kind, len(a), len(picks), len(picks) - len(differ), "; ".join(differ[:2]) or "-"])
        say("Same answers? (a sample of each kind asked of both servers)\n")
        table(["question", "URLs", "asked", "same answer", "first differences"], rows)
        # the load: one server at a time (the other idle), Datasette then bluehelmet for each
        # question, so a change in what else the machine runs touches both alike
        for kind, paths in cases.items():
            for label, s, side in (("Datasette", ds, 1), ("bluehelmet", bh, 0)):
                r = load(s.base, paths[side])
                r["rss"] = s.rss()
                results[(label, kind)] = r
    rows = []
    for kind in cases:
        d, b = results[("Datasette", kind)], results[("bluehelmet", kind)]
        for label, r in (("Datasette", d), ("bluehelmet", b)):
            rows.append([kind, label, len(cases[kind][0]), f"{r['rps']:,.0f}", f"{r['p50_ms']:.1f} ms",
                         f"{r['p99_ms']:.1f} ms", r["errors"], f"{r['rss']:.0f} MB",
                         f"**{b['rps'] / d['rps']:.2f}x**" if label == "bluehelmet" else ""])
    table(["question", "server", "URLs", "requests/s", "p50", "p99", "non-200", "RSS", "bluehelmet / Datasette"],
          rows)
    # the pages, bluehelmet alone (Datasette has no equivalent)
    q = web_load.questions(db)
    pages = {"rankings pages": q["rankings"], "country pages": q["countries"],
             "all pages (rankings, countries, missions, compare, overview)": q["pages"]}
    rows = []
    with Server(ours, "/api/health") as s:
        for kind, paths in pages.items():
            r = load(s.base, paths)
            rows.append([kind, len(paths), f"{r['rps']:,.0f}", f"{r['p50_ms']:.1f} ms", f"{r['p99_ms']:.1f} ms",
                         r["errors"], f"{s.rss():.0f} MB"])
    say("bluehelmet's pages, never seen (--no-cache, 1 worker):\n")
    table(["pages", "URLs", "requests/s", "p50", "p99", "non-200", "RSS"], rows)


# ---- (b) twenty questions: bluehelmet against pandas over the raw files

def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def part_questions(db: Path, sources: Path, repeat: int) -> None:
    import bluehelmet
    import proof_questions as pq

    say(f"## (b) {len(pq.QUESTIONS)} questions: bluehelmet's library against pandas over the raw files\n")
    say(f"cold: bluehelmet opens the database and answers; pandas reads the files the question needs and "
        f"answers. warm: database open and the question asked once before; frames in memory. "
        f"Each time is the median of {repeat} runs.\n")
    frames: dict[str, Any] = {}
    # one session: each file read once (pandas), the database opened once (bluehelmet), and
    # each question asked once, in order, as an analyst working through the list would
    warm_db, took = _timed(lambda: bluehelmet.open(db))
    session = [0.0, took]
    rows = []
    totals = [0.0, 0.0, 0.0, 0.0]
    agree = 0
    for n, qu in enumerate(pq.QUESTIONS, 1):
        def pandas_cold() -> Any:
            f = {k: pq.LOADERS[k](sources) for k in qu.files}
            return qu.pandas(f)

        def ours_cold() -> Any:
            d = bluehelmet.open(db)
            try:
                return qu.ours(d)
            finally:
                d.close()

        pc = statistics.median(_timed(pandas_cold)[1] for _ in range(repeat))
        bc = statistics.median(_timed(ours_cold)[1] for _ in range(repeat))
        for k in qu.files:
            if k not in frames:
                frames[k], took = _timed(lambda: pq.LOADERS[k](sources))
                session[0] += took
        theirs, took = _timed(lambda: qu.pandas(frames))
        session[0] += took
        mine, took = _timed(lambda: qu.ours(warm_db))
        session[1] += took
        pw = statistics.median(_timed(lambda: qu.pandas(frames))[1] for _ in range(repeat))
        bw = statistics.median(_timed(lambda: qu.ours(warm_db))[1] for _ in range(repeat))
        verdict = pq.compare(theirs, mine)
        agree += verdict == "agree"
        for i, v in enumerate((pc, bc, pw, bw)):
            totals[i] += v
        rows.append([n, qu.name, verdict + (f" ({qu.note})" if qu.note and verdict != "agree" else ""),
                     ms(pc), ms(bc), times(pc / bc), ms(pw), ms(bw), times(pw / bw)])
    warm_db.close()
    rows.append(["", f"**all {len(pq.QUESTIONS)}**", f"**{agree} agree**", ms(totals[0]), ms(totals[1]),
                 f"**{times(totals[0] / totals[1])}**", ms(totals[2]), ms(totals[3]),
                 f"**{times(totals[2] / totals[3])}**"])
    rows.append(["", f"**one session: the {len(pq.QUESTIONS)} in turn, each file read once / the database opened once**", "",
                 ms(session[0]), ms(session[1]), f"**{times(session[0] / session[1])}**", "", "", ""])
    table(["#", "question", "answers", "pandas cold", "bluehelmet cold", "speed-up", "pandas warm",
           "bluehelmet warm", "speed-up"], rows)


# ---- (c) scale: 1x, 10x, 32x the detail file; (d) 1x .. 100x the built database

def query_mix(db: Any, late: str | date) -> list[Callable[[], Any]]:
    """A fixed mix: rankings, a country, a mission, a group's share, a series; and the same
    ranking and a group at ``late``, a synthetic month when there is one (the last copy's
    2013-12; a date past 2099 is given as a date, which the month parser takes as it is)."""
    return [
        lambda: db.rank(month="2013-12", top=10),
        lambda: db.rank(month=late, top=10),
        lambda: db.rank(month="2024-12", top=10),
        lambda: db.personnel(country=["China"], type="troops", month="2013-12"),
        lambda: db.personnel(mission=["UNMISS"], month="2013-12", by=["contributor"]),
        lambda: db.personnel(country=["P5"], month=late, by=["contributor"]),
        lambda: db.shares(["Africa"], "2012-01", "2012-12"),
        lambda: db.personnel(country=["Bangladesh"], start="2010-01", end="2010-12", by=["month"]),
    ]


def time_mix(path: Path, late: str | date, rounds: int) -> tuple[float, float, float, float]:
    """The mix on a freshly opened database: the opening's time (it loads the coverage
    table, one row per grain, month and file), the first call's, then p50 and p99 over
    ``rounds`` rounds of the whole mix."""
    import bluehelmet

    db, opened = _timed(lambda: bluehelmet.open(path))
    try:
        mix = query_mix(db, late)
        first = _timed(mix[0])[1]
        lat = [_timed(q)[1] for _ in range(rounds) for q in mix]
    finally:
        db.close()
    return opened, first, proof_lib.percentile(lat, 50), proof_lib.percentile(lat, 99)


def part_scale(sources: Path, tmp: Path, factors: list[int], rounds: int) -> None:
    say("## (c) Scale: the IPI detail file replicated, build time and query latency\n")
    say(f"`{proof_lib.REPLICATED}` (contributor x mission x month, 2009-11 .. 2014-02) written N times: the "
        f"original and N-1 copies shifted by whole years, forward by {proof_lib.FORWARD[0]}, "
        f"{proof_lib.FORWARD[1]}, ... (the first copy starts in 2029-11, after the real data's last month), "
        f"then backward by {-proof_lib.BACKWARD[0]}, {-proof_lib.BACKWARD[1]}, ... (ending before 1990-11); no copy "
        f"meets another or a real month. The readers accept dates of {proof_lib.FIRST_YEAR}-{proof_lib.LAST_YEAR} "
        f"only, so {proof_lib.MAX_FACTOR}x is the most that fits: 100 copies of 52 months would need 433 years "
        f"(part (d) multiplies the built database instead). "
        f"Every other source file is linked unchanged. Build: `bluehelmet build` into a new file (wall clock; "
        f"CPU = user + system of the build process; the parsed-PDF cache warm). Queries: the mix of `query_mix` "
        f"in bench/proof.py, {rounds} rounds, in-process, on a freshly opened database.\n")
    rows = []
    for factor in factors:
        src = tmp / f"sources-{factor}x"
        written = proof_lib.scratch_sources(sources, src, factor)
        out = tmp / f"scale-{factor}x.duckdb"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([str(BIN / "bluehelmet"), "build", "--sources", str(src), "--db", str(out)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        shifted = proof_lib.shifts(factor)
        opened, first, p50, p99 = time_mix(out, f"{2013 + max(shifted)}-12" if shifted else "2013-12", rounds)
        rows.append([f"{factor}x", f"{written:,}", ms(wall), ms(cpu), f"{out.stat().st_size / 2**20:.0f} MB",
                     ms(opened), ms(first), ms(p50), ms(p99)])
        shutil.rmtree(src, ignore_errors=True)
        out.unlink()
    table(["data", "detail rows written", "build (wall)", "build (CPU)", "database",
           "open", "first query", "query p50", "query p99"], rows)


def part_scale_db(db: Path, tmp: Path, factors: list[int], rounds: int) -> None:
    import proof_multiply

    say("## (d) Scale past 32x: the built database multiplied, query latency\n")
    say(f"The built database copied, then N-1 copies of its personnel tables ({', '.join(proof_multiply.FACTS)}) "
        f"added with every month shifted by {proof_lib.DB_STEP}, {2 * proof_lib.DB_STEP}, ... years (the "
        f"real months end in 2025, so no copy meets another; the last copy at 100x is in year "
        f"{1990 + 99 * proof_lib.DB_STEP}-{2025 + 99 * proof_lib.DB_STEP}, which DuckDB's dates allow and the "
        f"readers' 1900-2099 do not); then the rollups, contributor_rank and coverage recomputed by the build's "
        f"own code (bench/proof_multiply.py). 'Build' here is that multiplication, not the readers: "
        f"wall clock, and CPU of this process (DuckDB's threads included). Queries: the mix of `query_mix`, "
        f"{rounds} rounds, on a freshly opened database, the synthetic month being the last copy's 2013-12.\n")
    check = tmp / "multiplied-check.duckdb"
    proof_multiply.multiply(db, check, proof_lib.db_shifts(1))
    differ = proof_multiply.derived_differences(db, check)
    check.unlink()
    say(f"At 1x the recomputed tables ({', '.join(differ)}) equal the build's: "
        f"{'yes, row for row' if not any(differ.values()) else f'**NO**: {differ}'}.\n")
    rows = []
    for factor in factors:
        out = tmp / f"multiplied-{factor}x.duckdb"
        shifted = proof_lib.db_shifts(factor)
        cpu, t = time.process_time(), time.perf_counter()
        counts = proof_multiply.multiply(db, out, shifted)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        late: str | date = date(2013 + max(shifted), 12, 1) if shifted else "2013-12"
        opened, first, p50, p99 = time_mix(out, late, rounds)
        rows.append([f"{factor}x", f"{counts['personnel']:,}", f"{counts['personnel_contributor']:,}",
                     f"{counts['personnel_by_contributor']:,}", ms(wall), ms(cpu),
                     f"{out.stat().st_size / 2**20:.0f} MB", ms(opened), ms(first), ms(p50), ms(p99)])
        out.unlink()
    table(["data", "personnel rows", "personnel_contributor rows", "personnel_by_contributor rows",
           "multiply + rollups (wall)", "(CPU)", "database", "open", "first query", "query p50", "query p99"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="a built database (default: build one from --sources into the scratch folder)")
    ap.add_argument("--sources", default=os.environ.get("BLUEHELMET_SOURCES", "../shared/data"),
                    help="the raw files (default: $BLUEHELMET_SOURCES, else ../shared/data)")
    ap.add_argument("--quick", action="store_true", help="3 s loads, 2 repeats, scale and scaledb to 10x only")
    ap.add_argument("--only", default="web,questions,scale,scaledb",
                    help="comma-separated parts: web, questions, scale (the sources), scaledb (the built database)")
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--wrk", choices=["auto", "yes", "no"], default="auto", help="load with wrk (default: if present)")
    args = ap.parse_args()
    parts = {p.strip() for p in args.only.split(",")}
    seconds = args.seconds or (3 if args.quick else 10)
    use_wrk = args.wrk == "yes" or (args.wrk == "auto" and shutil.which("wrk") is not None)
    sources = Path(args.sources)
    tmp = Path(tempfile.mkdtemp(prefix="bh-proof-"))
    started = time.perf_counter()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip()
    say(f"# Proof in one run: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    say("    " + " ".join([Path(sys.executable).name, *sys.argv]) + "\n")
    try:
        db = Path(args.db) if args.db else tmp / "bh.duckdb"
        if not args.db:
            subprocess.run([str(BIN / "bluehelmet"), "build", "--sources", str(sources), "--db", str(db)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if "web" in parts:
            part_web(db, tmp, seconds, args.concurrency, use_wrk, 10 if args.quick else 40)
        if "questions" in parts:
            part_questions(db, sources, 2 if args.quick else 5)
        if "scale" in parts:
            part_scale(sources, tmp, [1, 10] if args.quick else [1, 10, proof_lib.MAX_FACTOR], 3 if args.quick else 10)
        if "scaledb" in parts:
            part_scale_db(db, tmp, [1, 10] if args.quick else [1, 10, proof_lib.MAX_FACTOR, 100],
                          3 if args.quick else 10)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"total run time {time.perf_counter() - started:.0f} s, load average at the end "
        f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
