"""What happened on the ground: the fatalities page and the deployment sites page.

Both take their filters as query parameters, as the API does (``/api/fatalities``,
``/api/sites``), and make the same library calls, so a page and its API answer agree.
"""

from __future__ import annotations

from typing import Any

from .deps import Database
from .pages import Page, _bars
from .charts import Cite, span, x_encoding
from .sitemap import cited_sites_map, site_points

__all__ = ["FATALITY_VIEWS", "fatalities_page", "sites_page"]

# the page's tables: the same filters, grouped four ways (the first is the CSV twin)
FATALITY_VIEWS = ("year", "mission", "nationality", "cause")


def fatalities_page(store: Database, mission: str | None = None, nationality: str | None = None,
                    start: str | None = None, end: str | None = None, cause: str | None = None,
                    personnel_type: str | None = None) -> Page:
    """Peacekeepers who died (``Database.fatalities``), filtered by the query parameters,
    by year, mission, nationality and cause, and a chart of the years by cause."""
    asked: dict[str, Any] = {"mission": mission or None, "nationality": nationality or None, "start": start or None,
                             "end": end or None, "cause": cause or None, "personnel_type": personnel_type or None}
    tables = {f"by_{k}": store.fatalities(**asked, by=[k]) for k in FATALITY_VIEWS}
    by_year = tables["by_year"]
    q = by_year.query
    what = ", ".join(f"{k.replace('_', ' ')} {', '.join(v) if isinstance(v, list) else v}"
                     for k, v in (("mission", q["mission"]), ("nationality", q["nationality"]), ("cause", q["cause"]),
                                  ("personnel_type", q["personnel_type"])) if v)
    page = Page(f"Peacekeeper fatalities, {q['from']}..{q['to']}" + (f": {what}" if what else ""), dict(tables),
                notes=by_year.notes)
    total = sum(r["fatalities"] for r in by_year.rows)
    page.facts = {"fatalities": total, "period": f"{q['from']}..{q['to']}", "official list ends": q["covered_to"],
                  "missions": len(tables["by_mission"].rows),
                  "nationalities": sum(1 for r in tables["by_nationality"].rows if r["nationality"])}
    by_cause = store.fatalities(**asked, by=["year", "cause"])
    years = span(str(r["year"]) for r in by_cause.rows)
    scope = ", ".join(f"{k} {v}" for k, v in (("mission", mission), ("nationality", nationality), ("cause", cause),
                                              ("personnel", personnel_type)) if v)
    chart = _bars([{"year": r["year"], "fatalities": r["fatalities"], "cause": r["cause"]} for r in by_cause.rows],
                  "year", "fatalities", "deaths (persons)", "cause",
                  heading=f"Peacekeepers who died{': ' + scope if scope else ''}, {years}",
                  subtitle="Deaths of UN peacekeeping personnel by year of the incident and its cause, in persons "
                           "(the UN's official list)", cite=Cite.of(by_cause, info=store.info), unit="deaths (persons)",
                  file=f"fatalities-{scope or 'all'}-{years}")
    page.charts["by_year"] = x_encoding(chart, axis={"labelAngle": -90})  # years upright: they overlap side by side
    page.form = {k: v or "" for k, v in {"mission": mission, "nationality": nationality, "from": start, "to": end,
                                         "cause": cause, "personnel_type": personnel_type}.items()}
    return page


def sites_page(store: Database, mission: str | None = None, month: str | None = None) -> Page:
    """Deployment sites (``Database.sites``) of one mission or of every mission mapped at
    a month (default: the latest map), on a map framed to them, and as a table."""
    res = store.sites(mission=mission or None, month=month or None)
    at = res.month or res.query.get("month")
    who = res.query.get("mission") or "every mapped mission"
    page = Page(f"Deployment sites: {who}, {at}", {"sites": res})
    points = site_points(res.rows)
    page.facts = {"month": at, "missions": len({r["mission"] for r in res.rows}), "sites": len(res.rows),
                  "sites on the map": len(points), "troops at the sites": sum(r["troops"] or 0 for r in res.rows),
                  "map dates": ", ".join(sorted({str(r["map_date"]) for r in res.rows if r["map_date"]})[-3:])}
    if points:
        page.charts["sites_map"] = cited_sites_map(res, f"Deployment sites: {who}, {at}", store.info,
                                                   file=f"sites-{res.query.get('mission') or 'all'}-{at}")
        page.view["drawn"] = ["sites"]  # the map shows the table: it folds
    page.form = {"mission": mission or "", "month": month or "",
                 "missions": sorted(store.with_personnel()["mission"])}
    return page

