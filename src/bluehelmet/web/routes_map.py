"""The world map's routes: the page (``/map``, with its twins) and the one JSON it loads
to step through the months (``/map/data.json``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import worldmap
from .deps import Db
from .responses import Json
from .routes_pages import page_route, render

__all__ = ["router"]

router = APIRouter(tags=["pages"])


@page_route("/map", "The world map: contributors and missions at any month, with a time slider", on=router)
def map_page(request: Request, db: Db, month: str | None = None, measure: str = "personnel") -> Response:
    """Contributors coloured by personnel (all, troops, police, experts, or their share of
    everybody's) and missions by personnel, at ``month`` (default: the latest)."""
    return render(request, worldmap.map_page(db, month or None, measure), "map", db)


@router.get("/map/data.json", summary="Every contributor-month (by type) and mission-month figure, for the map")
def map_data(request: Request, db: Db) -> Response:
    """The compact series the map's slider steps through (``query.atlas``): loaded once
    per page; the same for every request to one database, so browsers may keep it."""
    tag = f'"{db.info.get("fingerprint", "")[:32]}"'
    headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Json(worldmap.payload(db), headers=headers)
