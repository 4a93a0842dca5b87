"""The API's plain GET questions answered beside the framework, by the same handlers.

FastAPI costs a request about as much as the question itself: ten layers of middleware,
matching the path against every route, solving the dependencies, validating each
parameter with pydantic, then running the handler (docs/benchmarks.md, "The API at
1.5x Datasette"). :class:`ApiLane` sits in front of the app and, for a ``GET`` of an
``/api`` route whose parameters are all query parameters of simple kinds, reads the query
string itself and calls the route's own handler function with what FastAPI would have
passed it; the handler's ``Response`` is sent as FastAPI would send it, and a library
error is answered by the app's own handler for it (``errors.py``). So an answer through
the lane is the app's answer, byte for byte (``tests/test_lane.py`` compares them).

The lane takes only queries it reads exactly as FastAPI does: every parameter known,
scalars given once and not empty, choices among the route's literals, integers written
plainly within the route's bounds, booleans as ``true``/``false``/``1``/``0``. Anything
else (an unknown parameter, ``top=010``, ``top=0``, ``type=sailors``) and any error that is
not the library's goes to the app, which answers or refuses it as it always has. Which
routes and parameters the lane takes is read from the routes themselves, so a parameter
added to a handler is either understood or sends that route's questions to the app.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from types import NoneType, UnionType
from typing import Any, Callable, Literal, Union, get_args, get_origin
from urllib.parse import parse_qsl

from annotated_types import Ge, Le
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import BluehelmetError
from .live import LiveDatabase

__all__ = ["ApiLane", "Lane", "lanes"]

_PLAIN_INT = re.compile(r"[1-9][0-9]{0,17}")
_BOOLS = {"true": True, "false": False, "1": True, "0": False}


@dataclass(frozen=True)
class Param:
    """One query parameter of a route: its name in the URL (``alias``), the handler's
    argument (``name``), and how its text becomes the argument."""

    alias: str
    name: str
    many: bool  # list[str]: repeated in the URL
    read: Callable[[str], Any]  # the value, or raises ValueError: not for the lane
    default: Any


@dataclass(frozen=True)
class Lane:
    """A route the lane answers: its handler and its query parameters by alias."""

    endpoint: Callable[..., Any]
    params: dict[str, Param]

    def arguments(self, query_string: bytes) -> dict[str, Any] | None:
        """The handler's arguments for this query, or None where only the app can tell."""
        # the same split and decoding as Starlette's QueryParams
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
        args: dict[str, Any] = {}
        for alias, text in pairs:
            p = self.params.get(alias)
            if p is None or not text:
                return None
            try:
                value = p.read(text)
            except ValueError:
                return None
            if p.many:
                args.setdefault(p.name, []).append(value)
            elif p.name in args:
                return None  # given twice: FastAPI keeps the last one; leave that to it
            else:
                args[p.name] = value
        for p in self.params.values():
            if p.name not in args:
                args[p.name] = [] if p.many else p.default
        return args


def _reader(annotation: Any, metadata: list[Any]) -> tuple[bool, Callable[[str], Any]] | None:
    """(many, read) for a parameter's type, or None for a kind the lane does not read."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType) and NoneType in args and len(args) == 2:
        annotation = next(a for a in args if a is not NoneType)  # optional: absent is the default
        origin, args = get_origin(annotation), get_args(annotation)
    if metadata and annotation is not int:
        return None  # a constraint the lane would have to check (a length): the app's
    if annotation is str:
        return False, str
    if origin is list and args == (str,):
        return True, str
    if origin is Literal and all(isinstance(a, str) for a in args):
        choices = frozenset(args)

        def choice(text: str) -> str:
            if text not in choices:
                raise ValueError(text)
            return text
        return False, choice
    if annotation is bool:
        def flag(text: str) -> bool:
            if text not in _BOOLS:
                raise ValueError(text)
            return _BOOLS[text]
        return False, flag
    if annotation is int:
        lo = next((int(m.ge) for m in metadata if isinstance(m, Ge)), None)  # type: ignore[call-overload]
        hi = next((int(m.le) for m in metadata if isinstance(m, Le)), None)  # type: ignore[call-overload]
        if len(metadata) != (lo is not None) + (hi is not None):
            return None

        def number(text: str) -> int:
            if not _PLAIN_INT.fullmatch(text):
                raise ValueError(text)
            n = int(text)
            if (lo is not None and n < lo) or (hi is not None and n > hi):
                raise ValueError(text)
            return n
        return False, number
    return None


def lanes(routes: list[Any], db_param: str = "db") -> dict[str, Lane]:
    """The lanes of ``routes``: each GET ``APIRoute`` whose handler is a plain function
    taking the database and query parameters the lane can read, and nothing else."""
    import inspect

    out: dict[str, Lane] = {}
    for route in routes:
        if not isinstance(route, APIRoute) or route.methods != {"GET"}:
            continue
        d = route.dependant
        if (d.path_params or d.header_params or d.cookie_params or d.body_params or d.request_param_name
                or d.response_param_name or d.background_tasks_param_name
                or inspect.iscoroutinefunction(route.endpoint)
                or [x.name for x in d.dependencies] != [db_param]):
            continue
        params: dict[str, Param] = {}
        for f in d.query_params:
            read = _reader(f.field_info.annotation, list(f.field_info.metadata))
            if read is None or f.field_info.is_required():
                break
            params[f.alias] = Param(f.alias, f.name, read[0], read[1], f.field_info.default)
        else:
            out[route.path] = Lane(route.endpoint, params)
    return out


#: a route whose answers have lately cost less CPU than this is answered on the event
#: loop; a costlier one on the handlers' threads, as FastAPI runs every plain handler
INLINE_BELOW_S = 0.001

#: how much the last answer weighs in a route's running cost (an exponential average)
_WEIGHT = 0.1


class ApiLane:
    """ASGI: answer the lanes' questions (see the module's text); everything else, and
    every question a lane leaves, goes to ``app``.

    Where a handler runs follows what its route's answers cost (CPU time of the thread
    answering, averaged): handing a request to a worker thread and back costs about 0.3 ms
    of CPU (the queue, two wake-ups, the GIL changing hands), as much as a ranking's whole
    answer, so a route whose answers cost under :data:`INLINE_BELOW_S` is answered on the
    event loop, and one whose answers run queries of several ms on a thread, which
    leaves the loop free (DuckDB lets go of the GIL while it works). Every route starts
    on the threads."""

    def __init__(self, app: ASGIApp, live: LiveDatabase, routes: dict[str, Lane],
                 on_error: Callable[[Request, BluehelmetError], Any]) -> None:
        self.app, self.live, self.routes, self.on_error = app, live, routes, on_error
        self.cost = dict.fromkeys(routes, INLINE_BELOW_S)  # seconds of CPU, by path

    def _answer(self, path: str, endpoint: Callable[..., Any], db: Any, args: dict[str, Any]) -> Any:
        started = time.thread_time()
        try:
            return endpoint(db=db, **args)
        finally:
            spent = time.thread_time() - started
            self.cost[path] += (spent - self.cost[path]) * _WEIGHT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lane = self.routes.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        args = lane.arguments(scope.get("query_string", b"")) if lane is not None else None
        if lane is None or args is None:
            await self.app(scope, receive, send)
            return
        path, db = scope["path"], self.live.current()
        try:
            if self.cost[path] < INLINE_BELOW_S:
                response = self._answer(path, lane.endpoint, db, args)
            else:
                response = await run_in_threadpool(self._answer, path, lane.endpoint, db, args)
        except BluehelmetError as exc:
            response = await self.on_error(Request(scope, receive), exc)
        except Exception:  # a bug: the app answers it (500) and logs it, as it does for its own
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)
