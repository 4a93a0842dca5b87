"""A response cache for an immutable database: same URL, same bytes.

The database file never changes while a server has it open (a new build is a new file
and a new server), so a successful GET answer can be replayed byte for byte. The cache is
bounded (least recently used entries go first) and keyed by path and query string; only
200 answers are kept. It sits in front of the framework, so a hit costs one dict lookup.
"""

from __future__ import annotations

from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]


class ResponseCache:
    """ASGI middleware: replay cached 200 GET answers; ``X-Cache: hit|miss`` says which."""

    def __init__(self, app: ASGIApp, max_entries: int = 2048, max_bytes: int = 2_000_000) -> None:
        self.app, self.max_entries, self.max_bytes = app, max_entries, max_bytes
        self.entries: OrderedDict[bytes, tuple[list[Message], int]] = OrderedDict()
        self.hits = self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
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
        if recorded and recorded[0].get("status") == 200 and size <= self.max_bytes:
            self.entries[key] = (recorded, size)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
