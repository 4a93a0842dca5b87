"""The ``/api`` page: the endpoints as the app's own OpenAPI description lists them, each
with its summary, parameters and a link that answers (read from the description, so the
page cannot drift from the routes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from ..query.result import Result
from .pages import Page

__all__ = ["EXAMPLES", "api_page"]

# a value for each parameter an example needs (path parameters, required ones)
EXAMPLES = {"name": "Ghana", "acronym": "MINUSMA", "format": "json", "mission": "MINUSMA",
            "claim": "troops(China, 2014-01) > troops(P5 - China, 2014-01)"}


def _example(path: str, params: list[dict[str, Any]]) -> str | None:
    """A URL answering at ``path``: path parameters and required ones filled from
    :data:`EXAMPLES` (None where one has no example)."""
    query = {}
    for p in params:
        if p["in"] == "path":
            if p["name"] not in EXAMPLES:
                return None
            path = path.replace("{" + p["name"] + "}", EXAMPLES[p["name"]])
        elif p.get("required"):
            if p["name"] not in EXAMPLES:
                return None
            query[p["name"]] = EXAMPLES[p["name"]]
    return path + ("?" + urlencode(query) if query else "")


def api_page(spec: dict[str, Any], q: str = "") -> Page:
    """The API's endpoints (paths under ``/api/``) from ``spec``, then the pages and their
    twins: method, path, summary, parameters (``*``: required) and an example; ``q`` keeps
    those whose path, summary or parameters contain it."""
    rows = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            params = op.get("parameters", [])
            example = _example(path, params) if method == "get" else None
            rows.append({"kind": "api" if path.startswith("/api/") else "page", "method": method.upper(),
                         "path": path, "summary": op.get("summary", ""),
                         "parameters": ", ".join(p["name"] + ("*" if p.get("required") else "") for p in params),
                         "body": "JSON or form" if "requestBody" in op else "", "example": example})
    rows.sort(key=lambda r: (r["kind"] != "api", r["path"], r["method"]))
    if q:
        rows = [r for r in rows if q.casefold() in f"{r['path']} {r['summary']} {r['parameters']}".casefold()]
    cols = ["kind", "method", "path", "summary", "parameters", "body", "example"]
    table = Result(cols, rows, notes=["the full description: /openapi.json; * marks a required parameter; "
                                      "every table endpoint answers CSV with format=csv"])
    page = Page("API: the endpoints", {"endpoints": table})
    page.facts = {"API endpoints": sum(r["kind"] == "api" for r in rows),
                  "pages and twins": sum(r["kind"] == "page" for r in rows), "OpenAPI": "/openapi.json",
                  "version": spec.get("info", {}).get("version")}
    heads = [Markup(escape(c)) for c in cols]
    cells = []
    for r in rows:
        link = Markup(f'<a href="{escape(r["example"])}">{escape(r["example"])}</a>') if r["example"] else Markup("")
        cells.append({"cells": [escape(r[c]) for c in cols[:-1]] + [link],
                      "search": f"{r['path']} {r['summary']} {r['parameters']}"})
    page.view = {"index": {"heads": heads, "rows": cells, "q": q, "sort": "", "action": "/api",
                           "placeholder": "path, summary or parameter"}}
    return page
