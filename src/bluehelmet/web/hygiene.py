"""HTTP hygiene in front of the app: bounded URLs, HEAD answered as GET without a body,
and the security headers every answer carries.

It sits outermost (before the response cache), so a refused request costs no lookup and a
replayed answer gets the same headers as a fresh one. Refusals use the app's JSON error
shape (``errors.py``); uvicorn's own refusals of malformed requests are reshaped by the
guarded protocols, which also disconnect clients too slow to send a request:
:class:`GuardedHttpToolsProtocol`, what ``serve`` runs (httptools, a C parser: a request
costs about a third less than with h11, docs/benchmarks.md), and
:class:`GuardedH11Protocol`, the pure-Python one.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, cast

import h11
import httptools
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["Hygiene", "GuardedH11Protocol", "GuardedHttpToolsProtocol", "HEAD_TIMEOUT_S", "MAX_HEADER_BYTES",
           "MAX_URL_BYTES", "SECURITY_HEADERS", "error_body"]

#: the longest path + query string answered: every real question fits in a few hundred
#: bytes; a 65 KB URL is an attack or a mistake, refused before any name is looked up
MAX_URL_BYTES = 4096

#: the most header bytes a request may carry (uvicorn's own limit applies only while a
#: head arrives in pieces: a 100 KB header sent at once got through)
MAX_HEADER_BYTES = 16 * 1024

# Vega compiles its expressions with Function(), hence 'unsafe-eval'; the pages' one inline
# script draws the charts. Everything else comes from this server, nothing is framed.
_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", _CSP.encode()),
]


def error_body(status: int, message: str, kind: str) -> bytes:
    """The app's JSON error shape, for refusals made outside the framework."""
    return json.dumps({"ok": False, "error": message, "status": status, "kind": kind}).encode()


class Hygiene:
    """ASGI middleware: refuse over-long URLs (414) and headers (431), answer HEAD as GET with no body, add
    :data:`SECURITY_HEADERS` to every answer."""

    def __init__(self, app: ASGIApp, max_url_bytes: int = MAX_URL_BYTES,
                 max_header_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app, self.max_url_bytes, self.max_header_bytes = app, max_url_bytes, max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if url_bytes > self.max_url_bytes:
            await _refuse(send, 414, f"URL of {url_bytes:,} bytes; at most {self.max_url_bytes:,}", "URITooLong")
            return
        header_bytes = sum(len(k) + len(v) for k, v in scope.get("headers", ()))
        if header_bytes > self.max_header_bytes:
            await _refuse(send, 431, f"request headers of {header_bytes:,} bytes; at most {self.max_header_bytes:,}",
                          "HeadersTooLarge")
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, secure)


async def _refuse(send: Send, status: int, message: str, kind: str) -> None:
    body = error_body(status, message, kind)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


#: how long a connection may take to send a request's line and headers, on a new
#: connection and between the requests of a kept-alive one (uvicorn has no such limit: a
#: client sending a byte every few seconds held a connection for ever)
HEAD_TIMEOUT_S = 15.0


class _HeadTimer:
    """Disconnect a client that does not finish sending a request's head within
    :data:`HEAD_TIMEOUT_S`, on a new connection and between the requests of a kept-alive
    one (mixed into uvicorn's protocols, before them)."""

    _head_timer: asyncio.TimerHandle | None = None
    if TYPE_CHECKING:  # what the protocol it is mixed into has
        loop: asyncio.AbstractEventLoop
        transport: asyncio.Transport
        cycle: Any

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # the event loop hands a stream protocol a full Transport; asyncio types it as Base
        super().connection_made(cast(asyncio.Transport, transport))  # type: ignore[misc]
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)  # type: ignore[misc]

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(HEAD_TIMEOUT_S, self._head_timeout)

    def _head_timeout(self) -> None:
        # a request being answered (a slow query) is never cut; only a head still arriving
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()


class GuardedH11Protocol(_HeadTimer, H11Protocol):
    """uvicorn's h11 protocol with two guards: a request it cannot parse (bad request line,
    headers over the size limit) is answered in the JSON error shape instead of plain text,
    and a client that does not finish sending a request's head within
    :data:`HEAD_TIMEOUT_S` is disconnected."""

    def send_400_response(self, msg: str) -> None:
        body = error_body(400, f"malformed HTTP request: {msg}", "BadRequest")
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close"), *SECURITY_HEADERS]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def _refusal(status: int, reason: bytes, message: str, kind: str) -> bytes:
    """A whole HTTP/1.1 answer, in the JSON error shape, that closes the connection."""
    body = error_body(status, message, kind)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close"), *SECURITY_HEADERS]
    head = b"HTTP/1.1 %d %s\r\n" % (status, reason) + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
    return head + b"\r\n" + body


class GuardedHttpToolsProtocol(_HeadTimer, HttpToolsProtocol):
    """uvicorn's httptools protocol with the guards of :class:`GuardedH11Protocol`: a
    request it cannot parse is answered in the JSON error shape, a client that does
    not finish a request's head within :data:`HEAD_TIMEOUT_S` is disconnected; and,
    since httptools (unlike h11) keeps no bound on a head arriving in pieces, a request
    line over :data:`MAX_HEADER_BYTES` is refused (414) and so are headers over it
    (431), as they arrive; a complete head is then held to the exact limits by
    :class:`Hygiene`."""

    _header_bytes = 0
    _refused: bytes | None = None  # the answer to a head past a bound (a callback cannot return it)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:  # as uvicorn does
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
        except httptools.HttpParserError as exc:
            if self._refused is not None:  # raised by on_url or on_header, below
                self.transport.write(self._refused)
                self.transport.close()
            else:
                self.send_400_response(str(exc) or "invalid HTTP request")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_HEADER_BYTES:
            self._refused = _refusal(414, b"URI Too Long", f"URL of more than {MAX_HEADER_BYTES:,} bytes; "
                                     f"at most {MAX_URL_BYTES:,}", "URITooLong")
            raise ValueError("URL too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refused = _refusal(431, b"Request Header Fields Too Large", "request headers of more than "
                                     f"{MAX_HEADER_BYTES:,} bytes; at most {MAX_HEADER_BYTES:,}", "HeadersTooLarge")
            raise ValueError("headers too large")
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        self.transport.write(_refusal(400, b"Bad Request", f"malformed HTTP request: {msg}", "BadRequest"))
        self.transport.close()

