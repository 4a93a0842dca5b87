"""Adversarial probe: hostile input at every edge of bluehelmet, tallied.

    .venv/bin/python bench/probe.py --db DB [--short] [--seed 7] [--report probe.json]

Every case is an input a careless or hostile user could send, and the outcome it must
have: a correct answer, or a clear refusal (CLI: one line ``error: ...`` and a non-zero
exit; HTTP: a 4xx in the JSON error shape, or the HTML error page for a page), never a
traceback, never a 5xx, within a time bound. Categories:

- **names** (country, group, mission): very long, regex metacharacters, control and
  right-to-left characters, SQL, real names inside junk ("I hate France", "Chinatown");
- **months and years**: year 0, month 13, day 32, far future, digits of other scripts;
- **claims**: a thousand chained ``+``, deep parentheses, huge numbers, junk operators;
- **prose**: binary, Latin-1, huge, NUL bytes (``factcheck``);
- **URLs**: 65 KB URLs, traversal, encoded junk, out-of-range parameters, every route;
- **headers and methods**: 100 KB headers, every HTTP method, malformed request lines;
- **slow clients**: a request head sent a byte at a time, an idle connection;
- **memory**: thousands of distinct large answers, the server's RSS measured after;
- **files**: a sources folder mutated (huge and negative numbers, impossible dates, a
  10 MB line, quotes, a folder where a file belongs, a link out of the folder): the
  build either loads it with every row accounted for or refuses in one line, and the
  previous database survives.

The CLI runs in-process (``bluehelmet.cli.main``); the server runs as ``bluehelmet
serve`` on the loopback interface. ``--short`` is the variant the tests run
(``tests/test_probe.py``): every case kind, fewer generated inputs and distinct URLs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Outcome:
    category: str
    case: str
    passed: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Tally:
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, category: str, case: str, passed: bool, detail: str = "", seconds: float = 0.0) -> None:
        self.outcomes.append(Outcome(category, case[:120], passed, detail[:300], round(seconds, 4)))

    def by_category(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for o in self.outcomes:
            ok, n = out.get(o.category, (0, 0))
            out[o.category] = (ok + o.passed, n + 1)
        return out

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


# ---- generated hostile strings ---------------------------------------------------------------

JUNK = ["", " ", "\t", "\x00", "\u202e", "\ufeff", "'", '"', "\\", "%", "%00", "..", "../../etc/passwd",
        "'; DROP TABLE personnel; --", "\" OR 1=1 --", ".*", "(a+)+$", "[[[", "((((", "{{7*7}}", "${jndi:x}",
        "<script>alert(1)</script>", "NaN", "Infinity", "-1", "1e400", "null", "undefined", "🇫🇷", "中国",
        "Ｆｒａｎｃｅ", "F\u0301rance", "France\u200b", "FR\nA", "ALL", "all"]


def hostile_names(rng: random.Random, n: int) -> list[str]:
    """Names no resolver may answer: real names inside junk, junk, and very long strings."""
    real = ["France", "China", "Chad", "Niger", "Guinea", "Congo", "Sudan", "Korea", "India", "Mali"]
    out = ["I hate France", "Not China", "Chinatown", "Francexyz", "Nigeria and Niger", "x" * 20_000,
           ".*" * 10_000, "(a+)+" * 2_000, "France" * 5_000]
    out += JUNK
    alphabet = string.ascii_letters + string.punctuation + " \u00e9\u4e2d\u202e\u0000"
    while len(out) < n:
        kind = rng.randrange(4)
        if kind == 0:
            out.append(f"{rng.choice(['I like', 'not', 'the', 'xx'])} {rng.choice(real)}{rng.choice(['', 'town', '!'])}")
        elif kind == 1:
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
        elif kind == 2:
            out.append(rng.choice(JUNK) * rng.randint(1, 3000))
        else:
            out.append(rng.choice(real) + "".join(rng.choice(string.punctuation) for _ in range(rng.randint(1, 5))))
    return out


def hostile_months(rng: random.Random, n: int) -> list[str]:
    out = ["0000-01", "0001-01", "9999-12", "2013-13", "2013-00", "2013-12-32", "13-2013", "2013/12", "-2013-12",
           "２０１３-１２", "2013-1२", "2013-12 OR 1=1", "x" * 5000, "", " ", "2013-12\x00", "1e400", "latest"]
    while len(out) < n:
        out.append(f"{rng.randint(-5, 99999):04d}-{rng.randint(-3, 99):02d}")
    return out


def hostile_claims(rng: random.Random, n: int) -> list[str]:
    out = [" + ".join(["personnel(China, 2013-12)"] * 1000) + " > 1",
           "(" * 5000 + "1" + ")" * 5000 + " > 0", "personnel(China, 2013-12) > " + "9" * 5000,
           "personnel(China, 2013-12) > 1e400", "personnel(" + "China, " * 3000 + "2013-12) > 1",
           "= = =", "", ">", "personnel(", "rank(China, 0000-01) == 1", "personnel(China, 2013-12) == NaN",
           "share(China, 2013-12) > -" + "1" * 400, "personnel(I hate France, 2013-12) > 1"]
    ops = ["==", "=", ">", "<", "~", "!=", ">=", "<=", "+", "-", "*", "/", ",", "(", ")", "%"]
    while len(out) < n:
        parts = [rng.choice(["personnel", "troops", "rank", "share", "China", "2013-12", "1,000", "12%", "P5"] + ops)
                 for _ in range(rng.randint(1, 12))]
        out.append(" ".join(parts))
    return out


# ---- the CLI, in-process ---------------------------------------------------------------------

def run_cli(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str, float]:
    """``bluehelmet ARGS`` as the shell runs it; an exception escaping ``main`` is a traceback."""
    from bluehelmet.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # a traceback the user would have seen
            import traceback

            err.write("Traceback (most recent call last):\n" + "".join(traceback.format_exception(exc)))
            code = 1
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - started


def cli_ok(code: int, out: str, err: str) -> tuple[bool, str]:
    """A clear refusal or an answer: never a traceback; an error is one line, which a claim's
    parse error may follow with the claim and a caret under the column (two indented lines)."""
    if "Traceback" in err or "Traceback" in out:
        return False, "traceback: " + err.strip().splitlines()[-1][:200]
    if code == 0:
        return True, ""
    lines = [ln for ln in err.rstrip().splitlines() if ln.strip()]
    context = lines[1:]
    if not lines or not lines[0].startswith("error: ") or len(context) > 2 \
            or any(not ln.startswith(" ") or len(ln) > 300 for ln in context):
        return False, f"exit {code}, stderr {len(lines)} lines: {err[:200]!r}"
    if len(lines[0]) > 1000:
        return False, f"a {len(lines[0]):,}-character error line (input echoed?)"
    return True, ""


def probe_cli(tally: Tally, db: Path, rng: random.Random, n: int) -> None:
    names = hostile_names(rng, n)
    must_refuse = {"I hate France", "Not China", "Chinatown", "Francexyz", "Nigeria and Niger"}
    for name in names:
        code, out, err, s = run_cli(["personnel", "-c", name, "--db", str(db), "--format", "json"])
        ok, why = cli_ok(code, out, err)
        if ok and name in must_refuse and code == 0:
            ok, why = False, "a name inside junk was answered"
        limit = 0.5 if len(name) > 1000 else 10
        if ok and s > limit:
            ok, why = False, f"{s:.2f} s (limit {limit} s)"
        tally.add("names", f"personnel -c {name!r}", ok, why, s)
    for name in names[: n // 4]:
        for verb in (["country", name], ["mission", name], ["rank", "--within", name], ["sites", "--mission", name]):
            code, out, err, s = run_cli([*verb, "--db", str(db)])
            ok, why = cli_ok(code, out, err)
            tally.add("names", f"{verb[0]} {name!r}", ok and s < 10, why or (f"{s:.2f} s" if s >= 10 else ""), s)
    for month in hostile_months(rng, max(20, n // 3)):
        for verb in (["personnel", "--month", month], ["rank", "--month", month],
                     ["personnel", "--from", month], ["fatalities", "--from", month[:4]],
                     ["assessments", "--year", month[:4]]):
            code, out, err, s = run_cli([*verb, "--db", str(db)])
            ok, why = cli_ok(code, out, err)
            tally.add("months", " ".join(verb), ok, why, s)
    for claim in hostile_claims(rng, max(20, n // 3)):
        code, out, err, s = run_cli(["check", claim, "--db", str(db)])
        if code in (1, 2) and out.strip() and not err.strip() and "Traceback" not in out:
            ok, why = True, ""  # a verdict: false (1) or unknown (2), printed as an answer
        else:
            ok, why = cli_ok(code, out, err)
        tally.add("claims", f"check {claim[:80]!r}", ok and s < 10, why or (f"{s:.2f} s" if s >= 10 else ""), s)
    _probe_prose(tally, db)


def _probe_prose(tally: Tally, db: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="probe-prose-"))
    try:
        files = {
            "latin-1": "Le café: la France a 1 000 casques bleus.\n".encode("latin-1"),
            "binary": bytes(range(256)) * 64,
            "NUL bytes": b"China had\x00 2,078 peacekeepers.\n",
            "12 MB": b"China had 2,078 peacekeepers in December 2013. " * 260_000,
            "empty": b"",
            "UTF-16": "China had 2,078 peacekeepers.".encode("utf-16"),
            "one long line": b"x" * 150_000,
        }
        for name, data in files.items():
            path = tmp / "text.txt"
            path.write_bytes(data)
            code, out, err, s = run_cli(["factcheck", str(path), "--as-of", "2014-01", "--db", str(db)])
            ok, why = cli_ok(code, out, err)
            tally.add("prose", f"factcheck {name}", ok and s < 60, why or (f"{s:.1f} s" if s >= 60 else ""), s)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- the server, on loopback -----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``bluehelmet serve`` in a subprocess on 127.0.0.1."""

    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "bluehelmet", "serve", "--db", str(db),
                                      "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        import httpx

        deadline = time.time() + 60
        while True:
            try:
                httpx.get(self.base + "/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the server did not start: " + (self.proc.stderr.read().decode()
                                                                      if self.proc.stderr else ""))
                time.sleep(0.2)

    def rss_mb(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
        if self.proc.stderr is not None:
            self.proc.stderr.close()

    def raw(self, data: bytes, wait: float = 5.0) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=wait) as s:
            s.sendall(data)
            out = b""
            try:
                while chunk := s.recv(65536):
                    out += chunk
            except (TimeoutError, ConnectionResetError):
                pass
        return out


def http_ok(status: int, headers: Any, body: bytes, path: str) -> tuple[bool, str]:
    if status >= 500:
        return False, f"HTTP {status}: {body[:200]!r}"
    if status >= 400:
        wants_json = path.startswith(("/api", "/openapi")) or path.split("?")[0].endswith((".json", ".csv"))
        if wants_json or headers.get("content-type", "").startswith("application/json"):
            try:
                shape = json.loads(body)
            except ValueError:
                return False, f"HTTP {status} not JSON: {body[:120]!r}"
            if not (isinstance(shape, dict) and shape.get("ok") is False and "error" in shape):
                return False, f"HTTP {status} not the error shape: {body[:120]!r}"
        elif b"Traceback" in body:
            return False, "traceback in the page"
    return True, ""


def probe_http(tally: Tally, db: Path, rng: random.Random, n: int, distinct: int) -> None:
    import httpx
    from urllib.parse import quote

    server = Server(db)
    client = httpx.Client(base_url=server.base, timeout=30)
    try:
        paths = ["/api/personnel?country={}", "/api/rank?within={}", "/api/countries/{}", "/api/missions/{}",
                 "/api/sites?mission={}", "/api/fatalities?nationality={}", "/api/assessments?country={}",
                 "/api/spending?mission={}", "/api/finance?recipient={}", "/api/check?claim={}",
                 "/countries/{}", "/missions/{}", "/compare?country={}", "/go?q={}", "/api/personnel?month={}",
                 "/api/rank?month={}", "/rankings?month={}", "/api/fatalities?from={}", "/api/assessments?year={}"]
        values = hostile_names(rng, n) + hostile_months(rng, n // 3) + hostile_claims(rng, n // 4)
        for template in paths:
            for v in rng.sample(values, min(len(values), max(8, n // 4))):
                url = template.format(quote(v, safe=""))
                started = time.perf_counter()
                try:
                    r = client.get(url)
                    ok, why = http_ok(r.status_code, r.headers, r.content, url)
                except httpx.InvalidURL:  # too long for the client to send: sent by hand
                    ok, why = _raw_get_ok(server, url)
                except httpx.HTTPError as exc:
                    ok, why = False, f"{type(exc).__name__}: {exc}"
                s = time.perf_counter() - started
                tally.add("urls", url[:100], ok and s < 10, why or (f"{s:.2f} s" if s >= 10 else ""), s)
        # a 20,000-character name is refused fast, and stalls nothing else
        started = time.perf_counter()
        r = client.get("/api/personnel", params={"country": "x" * 20_000})
        s = time.perf_counter() - started
        tally.add("urls", "20,000-character name", r.status_code < 500 and s < 0.5, f"{r.status_code} in {s:.3f} s", s)
        for url in ["/api/personnel?country=" + "x" * 70_000, "/" + "a" * 65_000, "/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                    "//api//health", "/api/health%00", "/api/personnel?month=%ff%fe", "/api/rank?top=-1",
                    "/api/rank?top=99999999999999999999", "/api/sources?view=quarantine&limit=0",
                    "/api/personnel?by=" + "month&by=" * 500, "/api/personnel?" + "&".join(f"p{i}=1" for i in range(2000)),
                    "/index.json?x=" + "%" * 100, "/nope.csv", "/api/nope", "/openapi.json?x=1"]:
            try:
                r = client.get(url)
                ok, why = http_ok(r.status_code, r.headers, r.content, url)
                if ok and "etc/passwd" in url and b"root:" in r.content:
                    ok, why = False, "served a file outside the static folder"
            except httpx.InvalidURL:
                ok, why = _raw_get_ok(server, url)
            except httpx.HTTPError as exc:
                ok, why = False, f"{type(exc).__name__}"
            tally.add("urls", url[:100], ok, why)
        for method in ("HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"):
            r = client.request(method, "/api/health")
            ok, why = http_ok(r.status_code, r.headers, r.content, "/api/health")
            if method == "HEAD" and (r.status_code != 200 or r.content):
                ok, why = False, f"HEAD gave {r.status_code} with {len(r.content)} bytes"
            tally.add("methods", method, ok, why)
        for name, value in (("100 KB header", "x" * 100_000), ("control chars", "a\x01b")):
            try:
                r = client.get("/api/health", headers={"x-probe": value})
                ok, why = http_ok(r.status_code, r.headers, r.content, "/api/health")
            except (httpx.HTTPError, ValueError) as exc:  # the client itself may refuse to send it
                ok, why = True, f"not sendable: {type(exc).__name__}"
            tally.add("headers", name, ok, why)
        r = client.get("/api/health", headers={f"x-h{i}": "v" * 50 for i in range(400)})
        tally.add("headers", "400 headers", *http_ok(r.status_code, r.headers, r.content, "/api/health"))
        for name, data in (("garbage", b"GARBAGE\r\n\r\n"), ("TLS hello", b"\x16\x03\x01\x00\xa5\x01\x00\x00"),
                           ("no host", b"GET / HTTP/1.1\r\n\r\n"), ("bad header line", b"GET / HTTP/1.1\r\nHost x\r\n\r\n"),
                           ("HTTP/0.9", b"GET /\r\n\r\n")):
            out = server.raw(data)
            status = int(out.split(b" ", 2)[1]) if out.startswith(b"HTTP/1.1 ") else 0
            head, _, body = out.partition(b"\r\n\r\n")
            ok = status == 0 or status < 500 and (status < 400 or body.startswith(b"{"))
            tally.add("headers", f"malformed: {name}", ok, out[:120].decode("latin-1"))
        _probe_slow(tally, server)
        _probe_memory(tally, server, client, distinct)
        tally.add("server", "still answering after the probe", client.get("/api/health").status_code == 200)
    finally:
        client.close()
        server.stop()


def _raw_get_ok(server: Server, url: str) -> tuple[bool, str]:
    """A GET the HTTP client refuses to build (a URL over its own limit), sent on a socket."""
    out = server.raw(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    head, _, body = out.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return False, f"no HTTP answer: {out[:80]!r}"
    headers = {k.strip().lower(): v.strip() for k, _, v in
               (ln.decode("latin-1").partition(":") for ln in head.split(b"\r\n")[1:])}
    return http_ok(status, headers, body, url)


def _probe_slow(tally: Tally, server: Server) -> None:
    from bluehelmet.web.hygiene import HEAD_TIMEOUT_S

    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.settimeout(HEAD_TIMEOUT_S + 10)
        closed = False
        try:
            for ch in b"GET /api/health HTTP/1.1\r\nHost: x\r\n":
                s.sendall(bytes([ch]))
                time.sleep(0.5)
                if time.perf_counter() - started > HEAD_TIMEOUT_S + 5:
                    break
            closed = s.recv(10) == b""
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            closed = True
    s_ = time.perf_counter() - started
    tally.add("slow", "a head sent a byte every half second", closed and s_ < HEAD_TIMEOUT_S + 6,
              f"closed={closed} after {s_:.1f} s", s_)
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", server.port)) as s:
        s.settimeout(HEAD_TIMEOUT_S + 10)
        try:
            closed = s.recv(10) == b""
        except (ConnectionResetError, TimeoutError):
            closed = False
    s_ = time.perf_counter() - started
    tally.add("slow", "an idle connection", closed and s_ < HEAD_TIMEOUT_S + 2, f"closed after {s_:.1f} s", s_)


def _probe_memory(tally: Tally, server: Server, client: Any, distinct: int) -> None:
    before = server.rss_mb()
    biggest = 0
    for i in range(distinct):
        r = client.get(f"/api/sources?view=quarantine&probe={i}")
        biggest = max(biggest, len(r.content))
    after = server.rss_mb()
    tally.add("memory", f"{distinct:,} distinct answers of up to {biggest / 1e3:.0f} KB", after < 300,
              f"RSS {before:.0f} MB before, {after:.0f} MB after")


# ---- files -----------------------------------------------------------------------------------

def probe_files(tally: Tally) -> None:
    """Mutated SYNTHETIC sources (tests/synthetic.py): loaded with every row accounted for,
    or refused in one line with the previous database intact."""
    sys.path.insert(0, str(ROOT))
    from bluehelmet.builder import build
    from bluehelmet.errors import BluehelmetError
    from tests.synthetic import make_sources

    gender_col = "Troops Total"
    mutations: dict[str, Callable[[Any], None]] = {
        "count 99999999999999999999999": lambda s: s.set_cell(s.gender, 2, gender_col, "99999999999999999999999"),
        "count -5": lambda s: s.set_cell(s.gender, 2, gender_col, "-5"),
        "count 2.5": lambda s: s.set_cell(s.gender, 2, gender_col, "2.5"),
        "count 1e3": lambda s: s.set_cell(s.gender, 2, gender_col, "1e3"),
        "count abc": lambda s: s.set_cell(s.gender, 2, gender_col, "abc"),
        "date 2013-13-31": lambda s: s.replace_in_line(s.gender, 2, "2020-01-31", "2013-13-31"),
        "date 0000-01-31": lambda s: s.replace_in_line(s.gender, 2, "2020-01-31", "0000-01-31"),
        "date notadate": lambda s: s.replace_in_line(s.gender, 2, "2020-01-31", "notadate"),
        "a 10 MB line": lambda s: s.replace_in_line(s.gender, 2, '"Ghana"', '"' + "G" * 10_000_000 + '"'),
        "a quoted newline": lambda s: s.replace_in_line(s.gender, 2, '"Ghana"', '"Gh\nana"'),
        "an unmatched quote": lambda s: s.replace_in_line(s.gender, 2, '"Ghana"', '"Ghana'),
        "a NUL byte": lambda s: s.replace_in_line(s.gender, 2, '"Ghana"', '"Gh\x00ana"'),
        "Latin-1 bytes": lambda s: s.replace_in_line(s.gender, 2, b'"Ghana"', b'"Gh\xe9ana"'),
        "a BOM": lambda s: s.replace_line(s.gender, 1, b"\xef\xbb\xbf" + s.line(s.gender, 1)),
        "CRLF line ends": lambda s: s._write(s.gender, [ln + b"\r" for ln in s.lines(s.gender)]),
        "semicolons": lambda s: s._write(s.gender, [ln.replace(b",", b";") for ln in s.lines(s.gender)]),
        "a folder for a file": lambda s: (s.countries["Ghana"].unlink(), s.countries["Ghana"].mkdir()),
        "a link out of the folder": lambda s: (s.countries["Ghana"].unlink(), s.countries["Ghana"].symlink_to("/etc/passwd")),
        "an empty file": lambda s: s._write(s.gender, [], final_newline=False),
        "header only": lambda s: s._write(s.gender, [s.line(s.gender, 1)]),
        "a renamed column": lambda s: s.rename_header(s.gender, "Troops Total", "Troops Totl"),
        "a truncated last line": lambda s: s.truncate_last_line(s.gender, 20),
    }
    tmp = Path(tempfile.mkdtemp(prefix="probe-files-"))
    try:
        good_src = make_sources(tmp / "good")
        db = tmp / "probe.duckdb"
        build(good_src.root, db)
        before = db.read_bytes()
        for name, mutate in mutations.items():
            src = make_sources(tmp / "case")
            mutate(src)
            started = time.perf_counter()
            try:
                report = build(src.root, db)
                read, loaded, empty, quarantined = report.rows
                ok = read == loaded + empty + quarantined
                why = f"read {read} = loaded {loaded} + quarantined {quarantined}" + (f" + empty {empty}" if empty else "")
                if "link" in name and not report.refused:
                    ok, why = False, "a link out of the folder was read"
                if "folder" in name and not report.refused:
                    ok, why = False, "a folder in a file's place went unreported"
                build(good_src.root, db)  # back to the good database for the next case
                before = db.read_bytes()
            except BluehelmetError as exc:
                text = str(exc)
                ok = "\n" not in text and len(text) < 600 and db.read_bytes() == before and "root:" not in text
                why = ("refused: " if ok else "refused badly: ") + text[:200]
            except Exception as exc:  # anything else is a crash
                ok, why = False, f"{type(exc).__name__}: {exc}"[:200]
            tally.add("files", name, ok, why, time.perf_counter() - started)
            shutil.rmtree(tmp / "case", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- main ------------------------------------------------------------------------------------

def run(db: Path, short: bool = False, seed: int = 7, http: bool = True, files: bool = True) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    n = 40 if short else 160
    probe_cli(tally, db, rng, n)
    if files:
        probe_files(tally)
    if http:
        probe_http(tally, db, rng, n, 400 if short else 5000)
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--short", action="store_true", help="the variant the tests run")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--report", type=Path, help="write every outcome as JSON here")
    args = ap.parse_args()
    started = time.perf_counter()
    tally = run(args.db, args.short, args.seed)
    print(f"{'category':<10} {'passed':>8} {'cases':>6}")
    for cat, (ok, total) in tally.by_category().items():
        print(f"{cat:<10} {ok:>8} {total:>6}")
    total = len(tally.outcomes)
    print(f"{'all':<10} {total - len(tally.failures):>8} {total:>6}   in {time.perf_counter() - started:.0f} s")
    for f in tally.failures[:40]:
        print(f"FAIL [{f.category}] {f.case}: {f.detail}")
    if args.report:
        args.report.write_text(json.dumps([o.__dict__ for o in tally.outcomes], indent=1))
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
