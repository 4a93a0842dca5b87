"""The HTTP edge: a read-only JSON API over one database file, described by OpenAPI.

Handlers parse parameters, call one library function and format the answer; every error
is the one JSON shape ``{"ok": false, "error": ..., "status": ..., "kind": ...}``. Every
reading endpoint also answers CSV (``?format=csv``). No endpoint takes SQL.

The OpenAPI description is at ``/openapi.json``. The interactive docs pages of FastAPI
load their scripts from a CDN, which this tool must not need, so they are switched off.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import orjson
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from ..errors import BluehelmetError
from ..vocab import split_keys
from ..query.result import Result
from ..vocab import COUNTED_TYPES, PERSONNEL_TYPES

__all__ = ["create_app", "create_server_app", "worker_app"]

Format = Literal["json", "csv"]
PersonnelType = Literal[tuple(PERSONNEL_TYPES)]  # type: ignore[valid-type]
CountedType = Literal[COUNTED_TYPES]  # type: ignore[valid-type]


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    from ..output import render_rows

    return render_rows(columns, rows, "csv") + "\n"


def create_app(db: str | Path, threads: int | None = None) -> FastAPI:
    """The ASGI app over the database at ``db`` (opened once, read-only).

    Handlers run on at most ``threads`` threads (default: one per core). Each thread keeps
    its own DuckDB cursor and malloc arena, and only DuckDB runs in parallel (Python holds
    its lock), so the framework's default of 40 threads bought nothing: on two cores, two
    threads served country pages 1.5 times as fast, with a third of the p99 latency and
    30 MB less memory (docs/benchmarks.md).
    """
    from .. import __version__
    from ..db import Database as Store

    threads = threads or os.cpu_count() or 2
    store = Store(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(title="bluehelmet", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="The fact base for UN peacekeeping: personnel, missions, sites, fatalities, "
                              "claims. Every answer carries its sources.")

    from fastapi.responses import HTMLResponse, RedirectResponse
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates

    from . import pages

    templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    templates.env.globals["tbody"] = lambda result, limit: pages.tbody(result, limit, store)
    templates.env.globals["types"] = COUNTED_TYPES
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")

    def page_for(name: str) -> str:
        """The page of a mission, country or group (its line in compare) name; a name that
        resolves to nothing gets the country page, which says so."""
        try:
            kind, code = store.resolve_name(name)
        except BluehelmetError:
            kind, code = "country", name
        if kind == "mission":
            return f"/missions/{code}"
        return f"/compare?country={quote(name)}" if kind == "group" else f"/countries/{quote(name)}"

    def error(request: Request, status: int, message: str, kind: str, **extra: Any) -> Response:
        path = request.url.path
        if not path.startswith(("/api", "/openapi")) and not path.endswith((".json", ".csv")):
            # a page: the same message, readable in a browser, and the closest names as links
            links = "".join(f'<li><a href="{_escape(page_for(c))}">{_escape(c)}</a></li>'
                            for c in extra.get("candidates") or [])
            body = (f"<!doctype html><title>{status} · bluehelmet</title><link rel=stylesheet href=/static/style.css>"
                    f"<nav><a href=/>Overview</a></nav><main><h1>{status}</h1><p>{_escape(message)}</p>"
                    + (f"<p>Did you mean:</p><ul class=candidates>{links}</ul>" if links else "") + "</main>")
            return HTMLResponse(body, status_code=status)
        return Json({"ok": False, "error": message, "status": status, "kind": kind, **extra}, status_code=status)

    @app.exception_handler(BluehelmetError)
    async def _library_error(request: Request, exc: BluehelmetError) -> Response:
        candidates = getattr(exc, "candidates", None)
        extra = {"candidates": candidates} if candidates else {}
        return error(request, exc.status, str(exc), type(exc).__name__, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path"))
        return error(request, 422, f"{where}: {first.get('msg', 'invalid request')}", "ValidationError")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail), "HTTPError")

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return error(request, 500, f"internal error ({type(exc).__name__})", "InternalError")

    def answer(result: Any, fmt: Format) -> Response:
        if fmt == "csv":
            return PlainTextResponse(_csv(result.columns, result.rows), media_type="text/csv")
        return Json({"ok": True, **result.as_dict()})

    @app.get("/api/personnel", summary="Personnel deployed, filtered and grouped")
    def personnel(country: list[str] = Query(default=[]), mission: list[str] = Query(default=[]),
                  type: PersonnelType = "all",
                  month: str | None = None, start: str | None = Query(default=None, alias="from"),
                  end: str | None = Query(default=None, alias="to"), by: list[str] = Query(default=[]),
                  year_agg: Literal["dec", "mean", "max"] = "dec", format: Format = "json") -> Response:
        keys = split_keys(by)
        return answer(store.personnel(country=country, mission=mission, type=type, month=month, start=start,
                                      end=end, by=keys, year_agg=year_agg), format)

    @app.get("/api/rank", summary="Contributors ranked at one month")
    def rank(month: str | None = None, type: CountedType = "all",
             within: str | None = None, top: int | None = Query(default=None, ge=1, le=100_000), format: Format = "json",
             ) -> Response:
        return answer(store.rank(month=month, type=type, within=within, top=top), format)

    @app.get("/api/sources", summary="Loaded files: coverage, checksums, row accounting")
    def sources(view: Literal["files", "quarantine", "reconciliation"] = "files",
                limit: int | None = Query(default=None, ge=1, le=1_000_000), format: Format = "json") -> Response:
        from ..query import catalog

        res = {"files": lambda: catalog.sources(store), "quarantine": lambda: catalog.quarantine(store, limit),
               "reconciliation": lambda: catalog.reconciliation(store)}[view]()
        return answer(res, format)

    @app.get("/api/missions", summary="Missions with personnel at a month, with headquarters and hosts")
    def mission_list(month: str | None = None, type: CountedType = "all", format: Format = "json") -> Response:
        return answer(store.mission_list(month=month, type=type), format)

    @app.get("/api/missions/{acronym}", summary="A mission's profile")
    def mission(acronym: str, month: str | None = None) -> Response:
        return Json({"ok": True, **store.mission(acronym, month=month).as_dict()})

    @app.get("/api/countries/{name}", summary="A country's profile")
    def country(name: str, month: str | None = None) -> Response:
        return Json({"ok": True, **store.country(name, month=month).as_dict()})

    @app.get("/api/sites", summary="Deployment sites (Geo-PKO) at a month")
    def sites(mission: str | None = None, month: str | None = None, contributor: str | None = None,
              location: str | None = None, format: Format = "json") -> Response:
        return answer(store.sites(mission=mission, month=month, contributor=contributor, location=location),
                      format)

    @app.get("/api/fatalities", summary="Peacekeeper fatalities")
    def fatalities(mission: list[str] = Query(default=[]), nationality: list[str] = Query(default=[]),
                   start: str | None = Query(default=None, alias="from"),
                   end: str | None = Query(default=None, alias="to"), cause: list[str] = Query(default=[]),
                   personnel_type: list[str] = Query(default=[]), by: list[str] = Query(default=[]),
                   format: Format = "json") -> Response:
        keys = split_keys(by)
        return answer(store.fatalities(mission=mission or None, nationality=nationality or None, start=start,
                                       end=end, cause=cause or None, personnel_type=personnel_type or None,
                                       by=keys), format)

    @app.get("/api/check", summary="Check a claim (docs/claims.md)")
    def check(claim: str = Query(min_length=1, max_length=2000), history: str | None = None) -> Response:
        from ..claims import check as run, parse_span

        return Json({"ok": True, **run(store, claim, parse_span(history)).as_dict()})

    @app.get("/api/health", summary="Liveness and what is loaded")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__, "built_at": store.info.get("built_at"),
                "files": len(store.files)}

    # ---- dashboard pages: /X is HTML, /X.json and /X.csv are its twins -------------------
    def show(request: Request, page: "pages.Page", twin: str, kind: str, fmt: str | None) -> Response:
        if fmt == "json":
            return Json({"ok": True, **page.as_dict()})
        if fmt == "csv":
            first = next(iter(page.tables.values()), None)
            if first is None:  # a page of facts only: one row per fact
                first = Result(["fact", "value"], [{"fact": k, "value": v} for k, v in page.facts.items()])
            return PlainTextResponse(_csv(first.columns, first.rows), media_type="text/csv")
        return templates.TemplateResponse(request, "forms.html", {"page": page, "twin": twin, "kind": kind})

    def split(name: str) -> tuple[str, str | None]:
        for ext in (".json", ".csv"):
            if name.endswith(ext):
                return name[: -len(ext)], ext[1:]
        return name, None

    @app.get("/", include_in_schema=False)
    @app.get("/index.{ext}", include_in_schema=False)
    def overview_page(request: Request, ext: str | None = None) -> Response:
        return show(request, pages.overview(store), "/index", "overview", ext)

    @app.get("/countries/{name}", include_in_schema=False)
    def country_view(request: Request, name: str, month: str | None = None) -> Response:
        name, fmt = split(name)
        return show(request, pages.country_page(store, name, month or None), f"/countries/{name}", "country", fmt)

    @app.get("/missions/{acronym}", include_in_schema=False)
    def mission_view(request: Request, acronym: str, month: str | None = None) -> Response:
        acronym, fmt = split(acronym)
        return show(request, pages.mission_page(store, acronym, month or None), f"/missions/{acronym}", "mission",
                    fmt)

    @app.get("/{name}", include_in_schema=False)
    def simple_pages(request: Request, name: str, month: str | None = None, type: str = "all",
                     within: str | None = None, top: str | None = None, sort: str = "rank",
                     country: list[str] = Query(default=[]), start: str | None = Query(default=None, alias="from"),
                     end: str | None = Query(default=None, alias="to"), claim: str | None = None,
                     q: str | None = None) -> Response:
        base, fmt = split(name)
        if base == "go" and q:
            store.resolve_name(q.strip())  # an unknown name: a 404 page of the closest names
            return RedirectResponse(page_for(q.strip()), status_code=303)
        if base == "rankings":
            page = pages.rankings_page(store, month or None, type, within, int(top) if top and top.isdigit() else None,
                                       sort)
        elif base == "compare":
            page = pages.compare_page(store, country, start or None, end or None, type)
        elif base == "check":
            page = pages.check_page(store, claim)
        elif base == "sources":
            page = pages.sources_page(store)
        else:
            raise HTTPException(404, f"no page {name!r}")
        return show(request, page, f"/{base}", base, fmt)

    app.state.store = store
    return app


def create_server_app(db: str | Path, cache: bool = True):  # type: ignore[no-untyped-def]
    """What ``bluehelmet serve`` runs: the app behind the response cache (see cache.py)."""
    from .cache import ResponseCache

    app = create_app(db)
    return ResponseCache(app) if cache else app


def worker_app():  # type: ignore[no-untyped-def]
    """The app of one worker process of ``serve --workers N`` (uvicorn calls this factory)."""
    import json

    from ..config import SERVE_ENV

    conf = json.loads(os.environ[SERVE_ENV])
    return create_server_app(conf["db"], cache=conf["cache"])


def _escape(text: str) -> str:
    import html

    return html.escape(text)


class Json(JSONResponse):
    """JSON by orjson: dates as ISO text, NaN and infinities as null (JSON has neither), and
    several times faster than the standard encoder on the large page twins."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)


def _default(obj: Any) -> Any:
    from decimal import Decimal

    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"not JSON: {type(obj).__name__}")
