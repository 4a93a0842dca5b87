"""The HTTP edge: a read-only JSON API and the dashboard over one database file.

``create_app`` only assembles: it opens the database, puts it on ``app.state.live`` (where
handlers get it through ``deps.get_db``; ``live.py`` follows the file across rebuilds), includes the routers of the API (``api.py``) and
of the pages with their twins (``routes_pages.py``), serves the static files and installs
the error handlers (``errors.py``). The OpenAPI description is at ``/openapi.json``; the
interactive docs pages of FastAPI load their scripts from a CDN, which this tool must not
need, so they are switched off.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from . import api, routes_map, routes_pages
from .live import LiveDatabase
from .errors import install_error_handlers
from .pages import STATIC

__all__ = ["create_app", "create_server_app", "worker_app"]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    # what is loaded by now (the libraries, the database's metadata) lives as long as the
    # server: frozen, the collector stops walking it, and collects less often. A page
    # allocates many short-lived rows, and a full collection over the whole heap in the
    # middle of one cost a country page up to 50 ms (bench/page_cost.py)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    yield


def create_app(db: str | Path, threads: int | None = None) -> FastAPI:
    """The ASGI app over the database at ``db`` (opened once, read-only).

    Handlers run on at most ``threads`` threads (default: one per core). Each thread keeps
    its own DuckDB cursor and malloc arena, and only DuckDB runs in parallel (Python holds
    its lock), so the framework's default of 40 threads bought nothing: on two cores, two
    threads served country pages 1.5 times as fast, with a third of the p99 latency and
    30 MB less memory (docs/benchmarks.md).
    """
    from ..version import __version__

    app = FastAPI(title="bluehelmet", version=__version__, docs_url=None, redoc_url=None, lifespan=_lifespan,
                  description="The fact base for UN peacekeeping: personnel, missions, sites, fatalities, "
                              "claims. Every answer carries its sources.")
    app.state.live = LiveDatabase(db)
    app.state.threads = threads or os.cpu_count() or 2
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_map.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def create_server_app(db: str | Path, cache: bool = True) -> ASGIApp:
    """What ``bluehelmet serve`` runs: the app with the API's plain questions answered
    beside the framework (lane.py), behind the response cache (cache.py, emptied when the
    database file is replaced), behind the HTTP hygiene (hygiene.py)."""
    from .cache import ResponseCache
    from .errors import library_error
    from .hygiene import Hygiene
    from .lane import ApiLane, lanes

    app = create_app(db)
    live: LiveDatabase = app.state.live
    fast = ApiLane(app, live, lanes(api.router.routes), library_error)
    return Hygiene(ResponseCache(fast, generation=live.check) if cache else fast)


def worker_app() -> ASGIApp:
    """The app of one worker process of ``serve --workers N`` (uvicorn calls this factory)."""
    import json

    from ..config import SERVE_ENV

    conf = json.loads(os.environ[SERVE_ENV])
    return create_server_app(conf["db"], cache=conf["cache"])
