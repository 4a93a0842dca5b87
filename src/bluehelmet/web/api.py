"""The JSON API under ``/api``: each handler parses its parameters, makes one library call
and writes the answer as JSON, or as CSV with ``format=csv``. No endpoint takes SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from ..version import __version__
from ..vocab import COUNTED_TYPES, PERSONNEL_TYPES, split_keys
from .deps import Db
from ..claims.prose.model import tally
from .prose import REQUEST_BODY, read_fields, read_prose
from .prose import check as check_prose
from .responses import Format, Json, answer

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

if TYPE_CHECKING:  # the names are data (vocab.py), which a type checker cannot read
    PersonnelType = str
    CountedType = str
else:  # to FastAPI, a choice it validates and lists in OpenAPI
    PersonnelType = Literal[tuple(PERSONNEL_TYPES)]
    CountedType = Literal[COUNTED_TYPES]


@router.get("/personnel", summary="Personnel deployed, filtered and grouped")
def personnel(db: Db, country: list[str] = Query(default=[]), mission: list[str] = Query(default=[]),
              type: PersonnelType = "all",
              month: str | None = None, start: str | None = Query(default=None, alias="from"),
              end: str | None = Query(default=None, alias="to"), by: list[str] = Query(default=[]),
              year_agg: Literal["dec", "mean", "max"] = "dec", format: Format = "json") -> Response:
    """``Database.personnel``; ``by`` may repeat or be comma-separated."""
    return answer(db.personnel(country=country, mission=mission, type=type, month=month, start=start, end=end,
                               by=split_keys(by), year_agg=year_agg), format)


@router.get("/rank", summary="Contributors ranked at one month")
def rank(db: Db, month: str | None = None, type: CountedType = "all", within: str | None = None,
         top: int | None = Query(default=None, ge=1, le=100_000), format: Format = "json") -> Response:
    """``Database.rank``."""
    return answer(db.rank(month=month, type=type, within=within, top=top), format)


@router.get("/sources", summary="Loaded files: coverage, checksums, row accounting")
def sources(db: Db, view: Literal["files", "quarantine", "reconciliation", "coverage"] = "files",
            limit: int | None = Query(default=None, ge=1, le=1_000_000), format: Format = "json") -> Response:
    """The provenance tables of ``query.catalog``; ``coverage``: ``Database.coverage_spans``."""
    from ..query import catalog

    if view == "quarantine":
        return answer(catalog.quarantine(db, limit), format)
    if view == "coverage":
        return answer(db.coverage_spans(), format)
    return answer(catalog.reconciliation(db) if view == "reconciliation" else catalog.sources(db), format)


@router.get("/missions", summary="Missions with personnel at a month, with headquarters and hosts")
def mission_list(db: Db, month: str | None = None, type: CountedType = "all", format: Format = "json") -> Response:
    """``Database.mission_list``."""
    return answer(db.mission_list(month=month, type=type), format)


@router.get("/missions/{acronym}", summary="A mission's profile")
def mission(db: Db, acronym: str, month: str | None = None) -> Response:
    """``Database.mission``."""
    return Json({"ok": True, **db.mission(acronym, month=month).as_dict()})


@router.get("/countries/{name}", summary="A country's profile")
def country(db: Db, name: str, month: str | None = None) -> Response:
    """``Database.country``."""
    return Json({"ok": True, **db.country(name, month=month).as_dict()})


@router.get("/sites", summary="Deployment sites (Geo-PKO) at a month")
def sites(db: Db, mission: str | None = None, month: str | None = None, contributor: str | None = None,
          location: str | None = None, format: Format = "json") -> Response:
    """``Database.sites``."""
    return answer(db.sites(mission=mission, month=month, contributor=contributor, location=location), format)


@router.get("/fatalities", summary="Peacekeeper fatalities")
def fatalities(db: Db, mission: list[str] = Query(default=[]), nationality: list[str] = Query(default=[]),
               start: str | None = Query(default=None, alias="from"),
               end: str | None = Query(default=None, alias="to"), cause: list[str] = Query(default=[]),
               personnel_type: list[str] = Query(default=[]), by: list[str] = Query(default=[]),
               format: Format = "json") -> Response:
    """``Database.fatalities``; empty filters mean no filter."""
    return answer(db.fatalities(mission=mission or None, nationality=nationality or None, start=start, end=end,
                                cause=cause or None, personnel_type=personnel_type or None, by=split_keys(by)),
                  format)


@router.get("/assessments", summary="Who pays: members' shares of peacekeeping assessments or the regular scale")
def assessments(db: Db, scale: Literal["peacekeeping", "regular"] = "peacekeeping",
                country: list[str] = Query(default=[]), within: str | None = None, year: str | None = None,
                start: str | None = Query(default=None, alias="from"), end: str | None = Query(default=None, alias="to"),
                rank: bool = False, top: int | None = Query(default=None, ge=1, le=100_000),
                format: Format = "json") -> Response:
    """``Database.assessments``; without ``country``, the ranking."""
    return answer(db.assessments(scale=scale, member=country or None, within=within or None, year=year or None,
                                 start=start or None, end=end or None, rank=rank, top=top), format)


@router.get("/spending", summary="Peacekeeping expenditure per mission, fiscal year (July-June) and cost class")
def spending(db: Db, mission: list[str] = Query(default=[]), year: str | None = None,
             cost_class: list[str] = Query(default=[], alias="class"), by: list[str] = Query(default=[]),
             statement: Literal["audited", "performance"] | None = None, format: Format = "json") -> Response:
    """``Database.spending``; ``year`` a fiscal year ``2022/23`` or a range ``2019/20..2022/23``;
    ``by`` may repeat or be comma-separated (default: mission, year)."""
    return answer(db.spending(mission=mission or None, year=year or None, cost_class=split_keys(cost_class) or None,
                              by=split_keys(by) or ["mission", "year"], statement=statement), format)


@router.get("/finance", summary="China's official finance (AidData), under a stated definition")
def finance(db: Db, recipient: list[str] = Query(default=[]), start: str | None = Query(default=None, alias="from"),
            end: str | None = Query(default=None, alias="to"), flow_class: list[str] = Query(default=[]),
            records: list[str] = Query(default=[]), pledges: bool = False, umbrella: bool = False,
            countries_only: bool = False, usd: Literal["constant", "current"] = "constant",
            dataset: str | None = None, by: list[str] = Query(default=[]),
            top: int | None = Query(default=None, ge=1, le=100_000), format: Format = "json") -> Response:
    """``Database.finance``; list parameters may repeat or be comma-separated."""
    return answer(db.finance(recipient=recipient or None, start=start or None, end=end or None,
                             flow_class=split_keys(flow_class) or None, records=split_keys(records) or None,
                             pledges=pledges, umbrella=umbrella, countries_only=countries_only, usd=usd,
                             dataset=dataset or None, by=split_keys(by), top=top), format)


@router.get("/check", summary="Check a claim (docs/claims.md)")
def check(db: Db, claim: str = Query(min_length=1, max_length=2000), history: str | None = None) -> Response:
    """``claims.check``: the verdict, its numbers and their sources."""
    from ..claims import check as run, parse_span

    return Json({"ok": True, **run(db, claim, parse_span(history)).as_dict()})


@router.post("/factcheck", summary="Fact-check prose: every sentence, its numbers, claims, verdicts and sources",
             openapi_extra=REQUEST_BODY, responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
async def factcheck(request: Request, db: Db, format: Format = "json") -> Response:
    """``claims.prose.factcheck`` over the body's ``text``, as of its ``as_of`` (default the
    text's dateline, else the latest month with data). JSON: each sentence as
    ``Sentence.as_dict`` and the sentences per verdict; CSV: a row per claim (and per
    sentence without one), as the CLI's ``factcheck --format csv`` writes it."""
    from starlette.concurrency import run_in_threadpool

    from ..output import render_factcheck

    prose = read_prose(await read_fields(request))
    # the checks run queries: off the event loop, on the handlers' threads
    month, sentences = await run_in_threadpool(check_prose, db, prose)
    if format == "csv":
        return PlainTextResponse(render_factcheck(sentences, "csv") + "\n", media_type="text/csv", headers={
            "content-disposition": f'attachment; filename="factcheck-{month}.csv"'})
    return Json({"ok": True, "as_of": month, "sentences": [s.as_dict() for s in sentences],
                 "summary": tally(sentences)})


@router.get("/health", summary="Liveness and what is loaded")
def health(db: Db, request: Request, response: Response) -> dict[str, Any]:
    """Version, build time and number of loaded files of the database answering now; and,
    if the file at its path was replaced by one that cannot be opened, why. Never cached."""
    response.headers["cache-control"] = "no-store"
    live = request.app.state.live
    return {"ok": True, "version": __version__, "built_at": db.info.get("built_at"), "files": len(db.files),
            "database": str(live.path), "generation": live.generation, "reload_error": live.reload_error}
