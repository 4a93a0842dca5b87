"""A mission's deployment sites as a map: framed to the sites, labelled with their names.

Vega-Lite fits a projection to every layer's data, the world's countries included, so
left to itself it frames the world. The frame is computed here instead, as d3's
``fitExtent`` would: the Mercator centre and scale that put the sites' extent inside the
chart with a margin. The largest sites (and every headquarters) are labelled with their
place names; the rest name themselves in the tooltip.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .charts import DATA, Cite, cited

if TYPE_CHECKING:
    from ..query.result import Result

__all__ = ["SITE_KINDS", "cited_sites_map", "fit_mercator", "site_points", "sites_map"]

_VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"  # a name, never fetched

# what a Geo-PKO site is, by the most telling unit there (colour and shape on the map)
SITE_KINDS = ("headquarters", "troops", "police (UNPOL)", "military observers (UNMO)", "liaison", "other")
LABELS = 12  # place names drawn on the map: more crowd a mission's few hundred pixels


def fit_mercator(lons: list[float], lats: list[float], width: int, height: int,
                 margin: float = 0.12, least_degrees: float = 1.0) -> dict[str, Any]:
    """The Mercator projection (centre, scale) framing the points in ``width`` x
    ``height`` pixels, with ``margin`` of each side left free; an extent under
    ``least_degrees`` (one site, or a town's few) is widened to it.

    >>> p = fit_mercator([0.0, 10.0], [0.0, 0.0], 500, 500)
    >>> p["center"], round(p["scale"])
    ([5.0, 0.0], 2177)
    """
    def y(lat: float) -> float:  # Mercator's y of a latitude, in radians of the unit sphere
        return math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))

    lo_x, hi_x = math.radians(min(lons)), math.radians(max(lons))
    lo_y, hi_y = y(min(lats)), y(max(lats))
    least = math.radians(least_degrees)
    dx, dy = max(hi_x - lo_x, least), max(hi_y - lo_y, least)
    scale = min(width * (1 - 2 * margin) / dx, height * (1 - 2 * margin) / dy)
    mid_y = (lo_y + hi_y) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return {"type": "mercator", "center": [round(math.degrees((lo_x + hi_x) / 2), 4), round(centre_lat, 4)],
            "scale": scale}


def _kind(site: dict[str, Any]) -> str:
    if site["hq_level"]:
        return "headquarters"
    if site["troops"] or site["troops_unknown"]:
        return "troops"
    for flag, kind in (("unpol", "police (UNPOL)"), ("unmo", "military observers (UNMO)"), ("liaison", "liaison")):
        if site[flag]:
            return kind
    return "other"


def _units(site: dict[str, Any]) -> str:
    """The unit types Geo-PKO records at a site, as one line."""
    parts = [site["hq_level"]] if site["hq_level"] else []
    for column, label in (("reserve_troops", "reserve"), ("force_protection_troops", "force protection"),
                          ("rpf_troops", "regional protection force")):
        if site[column]:
            parts.append(f"{label} {site[column]:,}")
    parts += [label for flag, label in (("unpol", "UNPOL"), ("unmo", "UNMO"), ("liaison", "liaison office"))
              if site[flag]]
    # Geo-PKO v2.3: infantry in troops; other types counted over the year's maps, so named only
    for u in site.get("unit_types") or ():
        parts.append(f"infantry ~{u['count']:,}" if u["unit"] == "infantry" else u["unit"])
    return "; ".join(parts) or "troops"


def site_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sites (rows of ``Database.sites``) that have coordinates, as the map draws them;
    ``label`` is the place name where the site is among the largest or a headquarters."""
    points = [{"location": r["location"], "latitude": r["latitude"], "longitude": r["longitude"],
               "troops": r["troops"] or 0, "kind": _kind(r), "units": _units(r),
               "contributors": "; ".join(f"{c['contributor'] or c['name']} {c['troops'] or ''}".strip()
                                         for c in r["contributors"] or [])}
              for r in rows if r["latitude"] is not None and r["longitude"] is not None]
    ranked = sorted(points, key=lambda p: (p["kind"] != "headquarters", -p["troops"], p["location"] or ""))
    named = {id(p) for p in ranked[:LABELS]}
    for p in points:
        p["label"] = p["location"] if id(p) in named else ""
    return points


def sites_map(rows: list[dict[str, Any]], title: str, width: int = 720, height: int = 440) -> dict[str, Any]:
    """The sites on the 1:50m countries, framed to the sites, sized by troops, coloured
    and shaped by kind, the largest labelled."""
    points = site_points(rows)
    projection = fit_mercator([p["longitude"] for p in points], [p["latitude"] for p in points], width, height)
    position = {"longitude": {"field": "longitude", "type": "quantitative"},
                "latitude": {"field": "latitude", "type": "quantitative"}}
    return {
        "$schema": _VEGA_LITE, "width": width, "height": height, "title": title, "projection": projection,
        "datasets": {DATA: points},  # the chart's own rows: its "Download data"
        "layer": [
            {"data": {"url": "/static/vendor/countries-50m.json", "format": {"type": "topojson",
                                                                               "feature": "countries"}},
             "mark": {"type": "geoshape", "fill": "#eee", "stroke": "#999"}},
            {"data": {"name": DATA}, "mark": {"type": "point", "filled": True, "opacity": 0.75},
             "encoding": {**position,
                          "size": {"field": "troops", "type": "quantitative", "scale": {"range": [40, 1200]}},
                          "color": {"field": "kind", "type": "nominal", "title": "site",
                                    "scale": {"domain": list(SITE_KINDS)}},
                          "shape": {"field": "kind", "type": "nominal", "scale": {"domain": list(SITE_KINDS)}},
                          "tooltip": [{"field": "location"}, {"field": "kind"}, {"field": "units"},
                                      {"field": "troops", "type": "quantitative", "format": ","},
                                      {"field": "contributors"}]}},
            {"data": {"values": [p for p in points if p["label"]]},
             "mark": {"type": "text", "dy": -10, "fontSize": 11, "fill": "#222", "stroke": "#fff",
                      "strokeWidth": 0.4},
             "encoding": {**position, "text": {"field": "label"}}}]}


def cited_sites_map(sites: Result, title: str, info: dict[str, Any], *, file: str) -> dict[str, Any]:
    """:func:`sites_map` the grapher way (``charts.cited``): its title, what the marks mean,
    the source line, and its rows as a download."""
    drawn = sorted({str(r["map_date"]) for r in sites.rows if r.get("map_date")})
    when = f"as mapped on {drawn[-1]}" if len(drawn) == 1 else \
        f"as mapped between {drawn[0]} and {drawn[-1]}" if drawn else "as mapped"
    return cited(sites_map(sites.rows, title), title,
                 f"Sites {when} (the UN map at or before {sites.month}), sized by troops; colour and shape: the "
                 "site's most telling unit; the headquarters and largest sites named",
                 Cite.of(sites, info=info), unit="troops (persons)", file=file, below=6, month=sites.month)
