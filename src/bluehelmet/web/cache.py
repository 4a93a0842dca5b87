"""A response cache for an immutable database: same URL, same bytes.

A database file never changes (a rebuild writes a new file, which the server switches to:
``live.py``), so a successful GET answer can be replayed byte for byte until the
``generation`` changes, when the cache empties. It is keyed by path and query string,
keeps only 200 answers (not those marked ``Cache-Control: no-store``, such as
``/api/health``), and is bounded in entries, in the size of one answer and in the
bytes of all answers together (least recently used go first): 2,800 distinct 550 KB
answers once took a worker from 150 MB to 1.26 GB. It sits in front of the framework, so
a hit costs one dict lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]


class ResponseCache:
    """ASGI middleware: replay cached 200 GET answers; ``X-Cache: hit|miss`` says which."""

    def __init__(self, app: ASGIApp, max_entries: int = 2048, max_bytes: int = 2_000_000,
                 max_total_bytes: int = 64_000_000, generation: Callable[[], int] | None = None) -> None:
        self.app, self.max_entries, self.max_bytes = app, max_entries, max_bytes
        self.max_total_bytes = max_total_bytes
        self.entries: OrderedDict[bytes, tuple[list[Message], int]] = OrderedDict()
        self.total_bytes = 0
        self.hits = self.misses = 0
        self.generation = generation or (lambda: 0)
        self._seen_generation = self.generation()

    def clear(self) -> None:
        self.entries.clear()
        self.total_bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        now = self.generation()
        if now != self._seen_generation:  # another database file: every answer may differ
            self.clear()
            self._seen_generation = now
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        cached = self.entries.get(key)
        if cached is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            for message in cached[0]:
                await send(message)
            return
        self.misses += 1
        recorded: list[Message] = []
        size = 0

        async def record(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
                recorded.append({**message, "headers": [h for h in message["headers"] if h[0] != b"x-cache"]
                                 + [(b"x-cache", b"hit")]})
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
                recorded.append(message)
            await send(message)

        await self.app(scope, receive, record)
        if recorded and recorded[0].get("status") == 200 and size <= self.max_bytes \
                and self.generation() == self._seen_generation \
                and (b"cache-control", b"no-store") not in recorded[0].get("headers", ()):
            old = self.entries.pop(key, None)
            if old is not None:
                self.total_bytes -= old[1]
            self.entries[key] = (recorded, size)
            self.total_bytes += size
            while len(self.entries) > self.max_entries or self.total_bytes > self.max_total_bytes:
                self.total_bytes -= self.entries.popitem(last=False)[1][1]
