"""The world map over time (``/map``): contributors coloured by their personnel (all, one
type, or their share of everybody's) and the missions at their headquarters, at any month
from the first to the latest.

The page is drawn at one month by the server (and works as tables without JavaScript);
``static/worldmap.js`` then loads :func:`payload` once (every contributor-month and
mission-month figure, ``/map/data.json``) and steps both maps through the months with a
slider and a play button, changing the maps' rows in place: no request per frame.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import quote

from ..errors import NoDataError, QueryError
from ..months import parse_month
from ..query.atlas import TYPES, Atlas, atlas
from ..query.result import Result
from . import charts
from .charts import Cite, dataset_name
from .deps import Database
from .pages import STATIC, Page

__all__ = ["MEASURES", "contributors_map", "map_page", "payload"]

#: what the map can colour by: a field of :meth:`Atlas.at`'s rows, and how the legend says it
MEASURES = {"personnel": "uniformed personnel (persons)", "troops": "troops (persons)",
            "police": "police (persons)", "experts": "military experts (persons)",
            "share_pct": "% of all contributors' personnel"}
TITLE = "The world map of UN peacekeeping, "  # the page's; the slider keeps its month current
_SAY = {"personnel": "uniformed personnel", "troops": "troops", "police": "police",
        "experts": "military experts on mission", "share_pct": "share of all uniformed personnel"}


def payload(store: Database) -> dict[str, Any]:
    """What the map page loads once: :meth:`Atlas.as_dict`, each country's map id (its M49
    code, as the vendored Natural Earth file numbers countries), the colour scale's top per
    measure over all months (so colours mean the same in every month), and the datasets'
    spans for the source line."""
    world = atlas(store)
    out = world.as_dict()
    out["top"] = _top(store)
    cite = Cite.of(world.by_contributor, world.by_mission, info=store.info)
    spans: dict[str, list[str]] = {}
    for s in cite.sources:
        span = spans.setdefault(dataset_name(s), [s.first_month, s.last_month])
        span[0], span[1] = min(span[0], s.first_month), max(span[1], s.last_month)
    out["datasets"] = [{"name": k, "first": v[0], "last": v[1]} for k, v in spans.items()]
    out["built"] = cite.built
    return out


def _top(store: Database) -> dict[str, float]:
    """The largest value of each measure over all months (computed once per database)."""
    def compute() -> dict[str, float]:
        world = atlas(store)
        top = {m: 0.0 for m in MEASURES}
        for c in world.contributors.values():
            for j in range(len(c["values"][0])):
                by_type = [c["values"][k][j] for k in range(len(TYPES))]
                i = c["first"] + j
                everybody = sum(t[i] for t in world.totals)
                for k, t in enumerate(TYPES):
                    top[t] = max(top[t], by_type[k])
                top["personnel"] = max(top["personnel"], sum(by_type))
                if everybody:
                    top["share_pct"] = max(top["share_pct"], 100 * sum(by_type) / everybody)
        return top

    return store.once("atlas_top", compute)


def _source(world: Atlas, month: str, info: dict[str, Any]) -> Cite:
    return Cite.of(world.by_contributor, world.by_mission, info=info).at(month)


def contributors_map(rows: list[dict[str, Any]], month: str, measure: str, top: float, cite: Cite,
                     height: int = 420) -> dict[str, Any]:
    """A choropleth of ``rows`` (:meth:`Atlas.at`'s, each with its ``m49`` code, the map's id) coloured by
    ``measure`` on a scale fixed from 0 to ``top``; a click opens the country's page."""
    shown = [{**r, "shown": r[measure], "page": "/countries/" + quote(r["contributor_name"])} for r in rows]
    share = measure == "share_pct"
    spec = {
        "width": "container", "height": height, "projection": {"type": "equalEarth"},
        "datasets": {charts.DATA: shown},
        "layer": [
            charts.base_map("110m", "#bbb"),
            {"data": {"name": charts.DATA},
             "transform": [{"filter": "datum.shown > 0"},
                           {"lookup": "m49", "as": "geo",
                            "from": {"key": "id", "data": {"url": "/static/vendor/countries-110m.json",
                                                          "format": {"type": "topojson", "feature": "countries"}}}},
                           {"filter": "isValid(datum.geo)"}],
             "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.5, "cursor": "pointer",
                      "name": "contributor"},
             "encoding": {"shape": {"field": "geo", "type": "geojson"},
                          "color": {"field": "shown", "type": "quantitative", "title": MEASURES[measure],
                                    "scale": {"type": "sqrt", "domain": [0, top], "scheme": "blues", "zero": True},
                                    "legend": {"format": ".1f" if share else ",.0f", "orient": "bottom-left",
                                               "direction": "horizontal", "gradientLength": 220}},
                          "href": {"field": "page"},
                          "tooltip": [{"field": "contributor_name", "title": "country"}, {"field": "month"},
                                      {"field": "personnel", "type": "quantitative", "format": ",",
                                       "title": "uniformed personnel"},
                                      *({"field": t, "type": "quantitative", "format": ","} for t in TYPES),
                                      {"field": "share_pct", "type": "quantitative", "format": ".2f",
                                       "title": "% of all contributors"}]}}]}
    what = _SAY[measure]
    title = f"Contributors of {what} to UN peacekeeping, "
    spec = charts.cited(spec, title + month,
                        "Each country coloured by its " + ("share of all contributors' uniformed personnel, in "
                                                           "per cent" if share else f"{what} at month end, in persons")
                        + "; grey: none", cite, unit="percent" if share else "persons",
                        file=f"world-map-{measure}-{month}", below=6, month=month)
    return charts.stepped(spec, title, month)


def map_page(store: Database, month: str | None = None, measure: str = "personnel") -> Page:
    """Contributors and missions at ``month`` (default: the latest), with both maps."""
    if measure not in MEASURES:
        raise QueryError(f"unknown measure {measure!r}; choose from {', '.join(MEASURES)}")
    world = atlas(store)
    if month:
        month = f"{parse_month(month):%Y-%m}"
        if month not in world.months:
            before = [m for m in world.months if m < month]
            after = [m for m in world.months if m > month]
            near = ", ".join(x for x in (before[-1] if before else "", after[0] if after else "") if x)
            raise NoDataError(f"no contributor figures for {month}" + (f"; the nearest months: {near}" if near else ""))
    else:
        month = world.months[-1]
    rows = world.at(month)
    codes = {iso3: c["m49"] for iso3, c in world.contributors.items()}
    cite = _source(world, month, store.info)
    top = _top(store)[measure]
    drawn = [{**r, "m49": codes[r["contributor"]]} for r in rows]
    try:
        missions = store.mission_list(month=month)
    except NoDataError as exc:  # contributors without missions: months the mission data lack
        missions = Result(["month", "mission", "name", "personnel", "hosts", "hq", "hq_lon", "hq_lat", "start"], [],
                          notes=[str(exc)], month=month)
    table = Result(["month", "contributor", "contributor_name", *TYPES, "personnel", "share_pct"], rows,
                   cite.sources, notes=list(world.notes[:1]), month=month)
    # the tables carry the maps' names: each folds under its map, as a chart's rows do
    page = Page(f"{TITLE}{month}", {"contributors_map": table, "missions_map": missions})
    page.facts = {"month": month, "months on the slider": f"{world.months[0]} .. {world.months[-1]} "
                                                          f"({len(world.months)} months with contributor figures)",
                  "contributors then": len(rows), "personnel then": sum(r["personnel"] for r in rows)}
    page.charts["contributors_map"] = contributors_map(drawn, month, measure, top, cite)
    biggest = max((v or 0 for m in world.missions.values() for v in m["values"]), default=1)
    page.charts["missions_map"] = charts.missions_map(missions.rows, month, cite, top=biggest)
    unmapped = [r["contributor_name"] for r in drawn if not _on_map(r["m49"])]
    page.facts["not drawn (no shape on the 1:110m map)"] = ", ".join(unmapped) or "none"
    if not missions.rows:
        page.facts["missions then"] = f"no mission figures for {month}"
    page.form = {"month": month, "measure": measure, "measures": MEASURES}
    return page


def _on_map(code: str | None) -> bool:
    return code is not None and code in _map_ids()


@lru_cache(maxsize=1)
def _map_ids() -> frozenset[str]:
    """The ids of the countries the 1:110m file draws (read once)."""
    import json

    geometries = json.loads((STATIC / "vendor" / "countries-110m.json").read_text())["objects"]["countries"]
    return frozenset(g["id"] for g in geometries["geometries"] if g.get("id"))
