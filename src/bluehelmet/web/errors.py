"""Every error the app answers, whatever raised it, in one of two forms: on a page, a
readable HTML page (templates/error.html) linking the closest names; on the API and the
page twins, the one JSON shape ``{"ok": false, "error": ..., "status": ..., "kind": ...}``
(plus ``candidates`` when a name matched nothing)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..errors import BluehelmetError
from .deps import get_db
from .pages import Page, page_for
from .responses import Json, templates

__all__ = ["error_response", "install_error_handlers", "library_error"]


def install_error_handlers(app: FastAPI) -> None:
    """Answer library errors, invalid parameters, unknown routes and bugs alike."""
    app.exception_handler(BluehelmetError)(library_error)
    app.exception_handler(RequestValidationError)(_validation)
    app.exception_handler(HTTPException)(_http)
    app.exception_handler(Exception)(_bug)


async def error_response(request: Request, status: int, message: str, kind: str,
                         candidates: list[str] | None = None, fields: dict[str, Any] | None = None) -> Response:
    """The error as a page when a page was asked for, else as the JSON error shape
    (``fields``: what the error adds, e.g. a claim's ``column`` and ``suggestion``)."""
    path = request.url.path
    if path.startswith(("/api", "/openapi")) or path.endswith((".json", ".csv")):
        extra = {"candidates": candidates} if candidates else {}
        return Json({"ok": False, "error": message, "status": status, "kind": kind, **extra, **(fields or {})},
                    status_code=status)
    db = await get_db(request)
    links = [(page_for(db, name), name) for name in candidates or ()]
    detail = "\n".join((fields or {}).get("detail", ()))  # a claim with a caret under the column
    form_kind, form = error_form(path, request.query_params.multi_items(), db)
    page = Page(f"{status}: {_STATUS_WORDS.get(status, 'error')}", form=form, error=message)
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message, "links": links,
                                                              "detail": detail, "page": page, "kind": form_kind,
                                                              "db": db,
                                                              "twin": None}, status_code=status)


_STATUS_WORDS = {400: "the question cannot be read", 404: "not found", 405: "method not allowed",
                 413: "too large", 422: "a parameter is not valid", 500: "internal error"}

# a page's path -> the form it shows (templates/forms.html), for the error page to keep it
_FORMS = {"/rankings": "rankings", "/compare": "compare", "/who-pays": "who_pays", "/finance": "finance",
          "/check": "check", "/fatalities": "fatalities", "/sites": "sites"}


def error_form(path: str, params: list[tuple[str, str]], db: Any) -> tuple[str | None, dict[str, Any]]:
    """The form of the page at ``path`` filled with the values asked (``params``), so the
    error page shows it again as it was sent: which form, and its values."""
    form: dict[str, Any] = {}
    for k, v in params:
        form.setdefault(k, v)
    kind = _FORMS.get(path)
    if path.startswith("/countries/"):
        kind = "country"
    elif path.startswith("/missions/"):
        kind = "mission"
    if kind == "rankings":
        form.setdefault("type", "all")
        form.setdefault("sort", "rank")
    elif kind == "compare":
        form["names"] = [v for k, v in params if k == "country"]
    elif kind == "who_pays":
        from ..query.assessments import SCALES

        scale = form.get("scale", "peacekeeping")
        try:
            form["years"] = list(reversed(db.assessment_years(scale)))
        except BluehelmetError:
            form["years"] = []
        form.update({"scale": scale, "scales": list(SCALES)})
    elif kind == "finance":
        form["datasets"] = [v["dataset"] for v in db.finance_datasets()]
    elif kind == "sites":
        form["missions"] = sorted(db.with_personnel()["mission"])
    elif kind == "check":
        form.setdefault("claim", "")
    return kind, form


async def library_error(request: Request, exc: BluehelmetError) -> Response:
    return await error_response(request, exc.status, str(exc), type(exc).__name__, getattr(exc, "candidates", None),
                                exc.fields())


async def _validation(request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "path"))
    return await error_response(request, 422, f"{where}: {first.get('msg', 'invalid request')}", "ValidationError")


async def _http(request: Request, exc: HTTPException) -> Response:
    return await error_response(request, exc.status_code, str(exc.detail), "HTTPError")


async def _bug(request: Request, exc: Exception) -> Response:
    return await error_response(request, 500, f"internal error ({type(exc).__name__})", "InternalError")
