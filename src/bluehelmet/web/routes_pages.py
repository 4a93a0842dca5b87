"""The dashboard's routes: each page is HTML at ``/X`` and, from the same handler, its
twins ``/X.json`` (the whole page model) and ``/X.csv`` (its first table), as Datasette
gives every table a format suffix. The overview's twins are ``/index.json`` and
``/index.csv``. Every route is declared, so every page is in the OpenAPI description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException

from ..errors import BluehelmetError
from ..query.result import Result
from . import ground, indexes, pages, rankings
from .deps import Database, Db
from .pages import Page
from .prose import REQUEST_BODY, read_fields, read_prose
from .responses import Json, csv_response, templates

__all__ = ["chart_download", "page_route", "render", "router"]

router = APIRouter(tags=["pages"])


class _TwinFormat(Convertor[str]):
    """The ``{format:twin}`` of a twin's path: only ``json`` or ``csv``, so any other
    suffix (``/countries/St. Lucia``) stays part of the page's own path parameter."""

    regex = "json|csv"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("twin", _TwinFormat())

# the twin's format as OpenAPI sees it: the handler reads it from the path (see render),
# so that the HTML route, which shares the handler, has no ``format`` parameter
_TWIN_DOC: dict[str, Any] = {"parameters": [{"name": "format", "in": "path", "required": True,
                                             "schema": {"type": "string", "enum": ["json", "csv"]}},
                                            {"name": "chart", "in": "query", "required": False,
                                             "description": "CSV only: the rows of this chart of the page, with "
                                                            "month, unit and citation, as a named download",
                                             "schema": {"type": "string"}}]}
_TWIN_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "JSON: the page's title, facts, notes, tables and chart specs; CSV: its first table",
          "content": {"application/json": {}, "text/csv": {}}}}

Handler = TypeVar("Handler", bound=Callable[..., Response])


def page_route(path: str, summary: str, on: APIRouter = router) -> Callable[[Handler], Handler]:
    """Declare a page handler at ``path`` (HTML) and at its twins' path, ``path.json`` and
    ``path.csv`` (``/index.json`` and ``/index.csv`` for ``/``), on the router ``on``.
    A twin ``.csv?chart=NAME`` is that chart's "Download data" (:func:`chart_download`)."""

    def declare(handler: Handler) -> Handler:
        twin = "/index" if path == "/" else path
        # the twin first: routes match in order, and a page's last path parameter would
        # otherwise take "Ghana.json" as the name
        on.get(twin + ".{format:twin}", summary=f"{summary} (JSON or CSV twin)", openapi_extra=_TWIN_DOC,
               responses=_TWIN_RESPONSES)(handler)
        on.get(path, summary=summary, response_class=HTMLResponse)(handler)
        return handler

    return declare


def render(request: Request, page: Page, kind: str, db: Database) -> Response:
    """A page as HTML, or as the twin its route's ``format`` asks for. ``kind`` picks the
    form the HTML shows (templates/forms.html)."""
    fmt = request.path_params.get("format")
    if fmt == "json":
        return Json({"ok": True, **page.as_dict()})
    if fmt == "csv" and "chart" in request.query_params:
        return chart_download(page, request.query_params["chart"])
    if fmt == "csv":
        first = next(iter(page.tables.values()), None)
        if first is None:  # a page of facts only: one row per fact
            first = Result(["fact", "value"], [{"fact": k, "value": v} for k, v in page.facts.items()])
        return csv_response(first.columns, first.rows)
    path = request.scope["path"]
    template = "index.html" if "index" in page.view else "forms.html"
    return templates.TemplateResponse(request, template, {"page": page, "kind": kind, "db": db,
                                                          "twin": "/index" if path == "/" else path,
                                                          "query": request.url.query})


def chart_download(page: Page, chart: str) -> Response:
    """A chart's "Download data": exactly its rows, with month, unit and citation columns,
    as a file named for what and when (``charts.chart_csv``)."""
    from .charts import chart_csv

    spec = page.charts.get(chart)
    if spec is None:
        raise HTTPException(404, f"no chart {chart!r} on this page; its charts: {', '.join(page.charts) or 'none'}")
    name, columns, rows = chart_csv(spec)
    return csv_response(columns, rows, filename=name)


@page_route("/", "Overview: world personnel over time, top contributors, the missions")
def overview_page(request: Request, db: Db) -> Response:
    """The front page."""
    return render(request, pages.overview(db), "overview", db)


# ``q`` is the indexes' filter text, kept out of OpenAPI as /go's is: there a parameter named
# "q" would read as a query language, which no route takes (tests/test_web.py checks)
_FIND = Query(default="", include_in_schema=False)


@page_route("/countries", "Every country with personnel: rank, personnel, peak, years and a sparkline; "
                          "filtered by the text q (a name, code or region), sorted by sort")
def countries_index(request: Request, db: Db, q: str = _FIND, sort: str = "rank") -> Response:
    """The countries index (``indexes.countries_index``)."""
    return render(request, indexes.countries_index(db, q.strip(), sort), "countries", db)


@page_route("/missions", "Every mission with personnel: personnel now, months, peak and a sparkline; "
                         "filtered by the text q (an acronym, name or host), sorted by sort")
def missions_index(request: Request, db: Db, q: str = _FIND, sort: str = "personnel") -> Response:
    """The missions index (``indexes.missions_index``)."""
    return render(request, indexes.missions_index(db, q.strip(), sort), "missions", db)


@page_route("/countries/{name}", "A country's page")
def country_page(request: Request, db: Db, name: str, month: str | None = None) -> Response:
    """A country's profile, with its personnel by year and type."""
    return render(request, pages.country_page(db, name, month or None), "country", db)


@page_route("/missions/{acronym}", "A mission's page")
def mission_page(request: Request, db: Db, acronym: str, month: str | None = None) -> Response:
    """A mission's profile, with authorised vs deployed and its map of sites."""
    return render(request, pages.mission_page(db, acronym, month or None), "mission", db)


# the forms send every field, empty or not, so the pages take text where the API takes
# numbers and names: an empty "top" is no limit, not a validation error
@page_route("/rankings", "Contributors ranked")
def rankings_page(request: Request, db: Db, month: str | None = None, type: str = "all", within: str | None = None,
                  top: str | None = None, sort: str = "rank") -> Response:
    """Contributors ranked at a month, filterable and sortable."""
    # isascii: "²" is a digit to str.isdigit but not to int()
    limit = int(top) if top and top.isascii() and top.isdigit() else None
    return render(request, rankings.rankings_page(db, month or None, type, within, limit, sort), "rankings", db)


@page_route("/compare", "Countries, groups or regions compared")
def compare_page(request: Request, db: Db, country: list[str] = Query(default=[]),
                 start: str | None = Query(default=None, alias="from"),
                 end: str | None = Query(default=None, alias="to"), type: str = "all") -> Response:
    """Personnel over time and each one's share of all contributors' personnel."""
    return render(request, pages.compare_page(db, country, start or None, end or None, type), "compare", db)


@page_route("/who-pays", "Who pays for peacekeeping: the year's ranking, the P5 and the rest, shares over time")
def who_pays_page(request: Request, db: Db, year: str | None = None,
                  scale: Literal["peacekeeping", "regular"] = "peacekeeping") -> Response:
    """Members' shares of the peacekeeping assessments (or the regular-budget scale) in a
    year (default: the latest), the permanent members against the rest, and the largest
    payers' shares over time."""
    return render(request, pages.who_pays_page(db, year or None, scale), "who_pays", db)


@page_route("/finance", "China's official finance by recipient and year (AidData)")
def finance_page(request: Request, db: Db, recipient: str | None = None,
                 start: str | None = Query(default=None, alias="from"),
                 end: str | None = Query(default=None, alias="to"), dataset: str | None = None,
                 top: str | None = None) -> Response:
    """China's official finance commitments by recipient and year, under AidData's
    definition of official finance, from one dataset version (default: the latest
    covering the question)."""
    limit = int(top) if top and top.isascii() and top.isdigit() and int(top) > 0 else None
    return render(request, pages.finance_page(db, recipient, start, end, dataset, limit), "finance", db)


@page_route("/check", "Check a claim or a text")
def check_page(request: Request, db: Db, claim: str | None = None) -> Response:
    """The claim checker: the forms, and a claim's verdict, numbers and sources."""
    return render(request, pages.check_page(db, claim), "check", db)


@router.post("/check", summary="Fact-check a text: each sentence with its verdict, numbers and sources",
             response_class=HTMLResponse, openapi_extra=REQUEST_BODY)
async def check_text(request: Request, db: Db) -> Response:
    """The text of the prose form (POST: prose does not fit in a URL), sentence by sentence.
    An error (a bad month, a text too long) keeps the form and its text, with the message
    above it; the page's JSON and CSV are ``POST /api/factcheck``, which its buttons call."""
    from starlette.concurrency import run_in_threadpool

    fields: dict[str, str] = {}
    try:
        fields = await read_fields(request)
        # the checks run queries: off the event loop, on the handlers' threads
        page = await run_in_threadpool(pages.factcheck_page, db, read_prose(fields))
        status = 200
    except BluehelmetError as exc:
        page = pages.check_page(db, None, fields.get("text", ""), fields.get("as_of", ""))
        page.error, status = str(exc), exc.status
    return templates.TemplateResponse(request, "forms.html", {"page": page, "kind": "check", "db": db,
                                                              "twin": "/check"}, status_code=status)


@page_route("/fatalities", "Peacekeeper fatalities by year, mission, nationality and cause, filtered")
def fatalities_page(request: Request, db: Db, mission: str | None = None, nationality: str | None = None,
                    start: str | None = Query(default=None, alias="from"),
                    end: str | None = Query(default=None, alias="to"), cause: str | None = None,
                    personnel_type: str | None = None) -> Response:
    """``Database.fatalities`` grouped four ways, with the same filters as ``/api/fatalities``."""
    return render(request, ground.fatalities_page(db, mission, nationality, start, end, cause, personnel_type),
                  "fatalities", db)


@page_route("/sites", "Deployment sites of a mission (or of every mapped mission) at a month, on a map")
def sites_page(request: Request, db: Db, mission: str | None = None, month: str | None = None) -> Response:
    """``Database.sites`` on a map framed to the sites, and as a table."""
    return render(request, ground.sites_page(db, mission, month), "sites", db)


@page_route("/api", "The API's endpoints, from this app's OpenAPI description")
def api_page(request: Request, db: Db, q: str = _FIND) -> Response:
    """Each endpoint's path, summary, parameters and an example link."""
    from .api_index import api_page as build

    return render(request, build(request.app.openapi(), q.strip()), "api", db)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """The icon browsers ask for at this path by themselves: the SVG in static/."""
    from fastapi.responses import FileResponse

    return FileResponse(pages.STATIC / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


@page_route("/sources", "Sources")
def sources_page(request: Request, db: Db) -> Response:
    """Files, the reconciliation summary and the first quarantined rows."""
    return render(request, pages.sources_page(db), "sources", db)


@page_route("/coverage", "Coverage: months per grain and domain, gaps, and the sources of each span")
def coverage_page(request: Request, db: Db) -> Response:
    """Spans of months per grain and domain, the gaps inside them, and the layouts answering each."""
    return render(request, pages.coverage_page(db), "coverage", db)


# not a page but the search box's redirect, so not in OpenAPI, where a parameter named "q"
# would read as a query language (the API takes none; tests/test_web.py checks)
@router.get("/go", include_in_schema=False)
def go(db: Db, q: str = "") -> Response:
    """Redirect to the page of the name ``q``; a name that matches nothing, or more than
    one thing, is a 404 page linking the closest names."""
    name = q.strip()
    if not name:
        raise HTTPException(404, "nothing to look for: type a country, group or mission")
    db.resolve_name(name)  # raises for an unknown or ambiguous name
    return RedirectResponse(pages.page_for(db, name), status_code=303)
