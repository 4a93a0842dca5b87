"""How answers are written: JSON by orjson, CSV by the one CSV writer (``output``), HTML
by the Jinja2 templates in ``templates/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import orjson
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.templating import Jinja2Templates

from ..output import _cell, caption
from ..query.result import Result
from ..vocab import COUNTED_TYPES
from .pages import tbody

__all__ = ["Format", "Json", "answer", "csv_response", "templates"]

Format = Literal["json", "csv"]

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["tbody"] = tbody
templates.env.globals["caption"] = caption
templates.env.globals["types"] = COUNTED_TYPES
templates.env.globals["fact"] = _cell  # a fact as a table cell: thousands separated, years plain
# a long table shows its first FOLD rows and folds the rest (a <details>, no script needed)
templates.env.globals["FOLD"] = 12


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


def csv_response(columns: list[str], rows: list[dict[str, Any]], filename: str | None = None) -> Response:
    """Rows as CSV, written as the CLI writes them; with ``filename``, as a download of that name."""
    from ..output import render_rows

    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return PlainTextResponse(render_rows(columns, rows, "csv") + "\n", media_type="text/csv", headers=headers)


def answer(result: Result, fmt: Format) -> Response:
    """A library result as ``{"ok": true, ...}`` JSON or as CSV."""
    if fmt == "csv":
        return csv_response(result.columns, result.rows)
    return Json({"ok": True, **result.as_dict()})
