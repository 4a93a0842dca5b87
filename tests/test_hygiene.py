"""The server's hygiene: bounded URLs, headers, memory and time; security headers; HEAD;
malformed requests in the JSON error shape; a rebuilt database followed without restart.

Run on the SYNTHETIC database (tests/synthetic.py) and, for the rebuild, on two SYNTHETIC
source folders; the real server runs in a thread on the loopback interface only.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from bluehelmet.builder import build
from bluehelmet.web.app import create_server_app
from bluehelmet.web.cache import ResponseCache
from bluehelmet.web.hygiene import (MAX_HEADER_BYTES, MAX_URL_BYTES, SECURITY_HEADERS, GuardedH11Protocol,
                                    GuardedHttpToolsProtocol)

from .synthetic import DETAIL_ROWS, DetailRow, make_sources


@pytest.fixture(scope="module")
def client(synthetic_db):
    with TestClient(create_server_app(synthetic_db)) as c:
        yield c


@pytest.mark.parametrize("url", ["/", "/api/health", "/api/personnel?country=Atlantis", "/static/style.css",
                                 "/no/such/page"])
def test_every_answer_carries_the_security_headers(client, url):
    r = client.get(url)
    for name, value in SECURITY_HEADERS:
        assert r.headers[name.decode()] == value.decode(), (url, name)


def test_head_is_answered_as_get_without_a_body(client):
    get, head = client.get("/api/health"), client.head("/api/health")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert client.head("/").status_code == 200


def test_long_urls_and_headers_are_refused_in_the_json_shape(client):
    started = time.perf_counter()
    r = client.get("/api/personnel", params={"country": "x" * 20_000})
    assert r.status_code == 414 and r.json()["kind"] == "URITooLong" and r.json()["ok"] is False
    assert time.perf_counter() - started < 1
    r = client.get("/api/health", headers={"x-big": "y" * (MAX_HEADER_BYTES + 1)})
    assert r.status_code == 431 and r.json()["kind"] == "HeadersTooLarge"
    # just under the limits is answered
    assert client.get("/api/health?pad=" + "z" * (MAX_URL_BYTES - 100)).status_code == 200


def test_the_cache_is_bounded_in_bytes():
    async def big(scope, receive, send):  # a distinct 100 KB answer per URL
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["query_string"] * 0 + b"x" * 100_000})

    cache = ResponseCache(big, max_total_bytes=1_000_000)

    async def ask(i: int) -> None:
        async def receive():
            return {"type": "http.request"}

        async def send(message):
            pass

        await cache({"type": "http", "method": "GET", "path": "/a", "query_string": f"i={i}".encode()},
                    receive, send)

    for i in range(50):
        asyncio.run(ask(i))
    assert cache.total_bytes <= 1_000_000 and len(cache.entries) == 10
    assert cache.total_bytes == sum(size for _, size in cache.entries.values())


# ---- a real server, in a thread, on the loopback interface ------------------------------------

PROTOCOLS = [GuardedHttpToolsProtocol, GuardedH11Protocol]  # what serve runs, and the pure-Python one


class _Server:
    def __init__(self, app, protocol=GuardedHttpToolsProtocol, **kwargs) -> None:
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error",
                                                    http=protocol, **kwargs))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            assert time.time() < deadline
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def raw(self, data: bytes, wait: float = 3.0) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            s.sendall(data)
            s.settimeout(wait)
            out = b""
            try:
                while chunk := s.recv(65536):
                    out += chunk
            except TimeoutError:
                pass
        return out


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_malformed_requests_get_the_json_error_shape(synthetic_db, protocol):
    with _Server(create_server_app(synthetic_db), protocol) as srv:
        for junk in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost x\r\n\r\n", b"\x16\x03\x01\x00\xa5\x01\x00\x00"):
            out = srv.raw(junk)
            head, _, body = out.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head, out[:200]
            assert b'"kind": "BadRequest"' in body


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_client_too_slow_to_send_its_request_is_disconnected(synthetic_db, monkeypatch, protocol):
    from bluehelmet.web import hygiene

    monkeypatch.setattr(hygiene, "HEAD_TIMEOUT_S", 0.5)
    with _Server(create_server_app(synthetic_db), protocol) as srv:
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", srv.port)) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\n")  # and never the rest
            s.settimeout(10)
            assert s.recv(100) == b""  # closed by the server
        assert time.perf_counter() - started < 5
        # a complete request on the same server is answered as ever
        assert srv.raw(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200")


def _streamed(port: int, head: bytes, pieces: list[bytes]) -> bytes:
    """A request whose head arrives in pieces; what the server answered before closing."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.settimeout(5)
        try:
            s.sendall(head)
            for piece in pieces:
                s.sendall(piece)
                time.sleep(0.001)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused and closed while still sending: what follows is the answer
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return out


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_head_growing_past_the_bounds_in_pieces_is_refused_as_it_arrives(synthetic_db, protocol):
    """h11 bounds a head still arriving (h11_max_incomplete_event_size); httptools keeps no
    bound, so GuardedHttpToolsProtocol counts: headers past 16 KB get 431, a request line
    past 16 KB gets 414, in the JSON shape, before the head is complete."""
    kwargs = {"h11_max_incomplete_event_size": MAX_HEADER_BYTES} if protocol is GuardedH11Protocol else {}
    with _Server(create_server_app(synthetic_db), protocol, **kwargs) as srv:
        headers = [b"x-h%d: %s\r\n" % (i, b"v" * 200) for i in range(2000)]  # 400 KB, never finished
        out = _streamed(srv.port, b"GET /api/health HTTP/1.1\r\nHost: x\r\n", headers)
        head, _, body = out.partition(b"\r\n\r\n")
        assert head.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400")) and body.startswith(b'{"ok": false'), out[:200]
        url = [b"a" * 1000 for _ in range(100)]  # a 100 KB request line, never finished
        out = _streamed(srv.port, b"GET /", url)
        head, _, body = out.partition(b"\r\n\r\n")
        assert head.startswith((b"HTTP/1.1 414", b"HTTP/1.1 400")) and body.startswith(b'{"ok": false'), out[:200]
        if protocol is GuardedHttpToolsProtocol:
            assert b'"HeadersTooLarge"' in _streamed(srv.port, b"GET / HTTP/1.1\r\n", headers)
            assert b'"URITooLong"' in out
        # the server answers as ever afterwards
        assert srv.raw(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_serve_runs_the_guarded_httptools_protocol(monkeypatch, synthetic_db):
    """``serve`` hands uvicorn the httptools protocol with the guards, and the limits."""
    import uvicorn

    from bluehelmet.cli import main

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setattr("bluehelmet.cli._port_free", lambda host, port: None)
    main(["serve", "--db", str(synthetic_db), "--port", "1"])
    assert seen["http"] is GuardedHttpToolsProtocol
    assert (seen["timeout_keep_alive"], seen["limit_concurrency"]) == (5, 256)


def test_serve_on_a_port_in_use_is_one_line(synthetic_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "bluehelmet", "serve", "--db", str(synthetic_db),
                              "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [f"error: cannot listen on 127.0.0.1:{port}: Address already in use; "
                                               "choose another --port or stop what uses it"]


def test_a_rebuilt_database_is_served_without_restart(tmp_path, monkeypatch):
    from bluehelmet.web import live

    monkeypatch.setattr(live, "CHECK_EVERY_S", 0.0)  # look at the file on every request
    first = make_sources(tmp_path / "a")
    db = tmp_path / "served.duckdb"
    build(first.root, db)
    app = create_server_app(db)
    with TestClient(app) as c:
        before = c.get("/api/personnel?country=Ghana&month=2020-01").json()["rows"][0]["personnel"]
        assert c.get("/api/personnel?country=Ghana&month=2020-01").headers["x-cache"] == "hit"
        # the same months with Ghana's troops doubled, built over the served path
        doubled = tuple(DetailRow(r.date, r.contributor, r.iso3, r.mission, r.individual_police, r.formed_police,
                                  r.experts, (r.troops[0] * 2, r.troops[1] * 2)) if r.iso3 == "GHA" else r
                        for r in DETAIL_ROWS)
        shutil.rmtree(first.root)
        build(make_sources(tmp_path / "a", rows=doubled).root, db)
        r = c.get("/api/personnel?country=Ghana&month=2020-01")
        troops = sum(sum(x.troops) for x in DETAIL_ROWS if x.iso3 == "GHA" and x.date == "2020-01-31")
        assert r.headers["x-cache"] == "miss"  # the cache emptied with the switch
        assert r.json()["rows"][0]["personnel"] == before + troops
        health = c.get("/api/health").json()
        assert health["generation"] == 1 and health["reload_error"] is None
        # a file that is not a database put in its place is not switched to; the server says why
        db.unlink()
        db.write_text("not a database")
        assert c.get("/api/personnel?country=Ghana&month=2020-01").json()["rows"][0]["personnel"] == before + troops
        assert "cannot open database" in c.get("/api/health").json()["reload_error"]
