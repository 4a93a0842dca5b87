"""The index pages: every country and every mission with a page, one row each, with its
figure at the latest month, its span and a sparkline of its series.

Each index costs a handful of library calls for all its rows (the latest ranking or
mission list, and one series question grouped by contributor or mission), never one per
row. The rows are filtered by ``q`` (a substring of the code, name or region) and sorted
by ``sort`` on the server, so both work without JavaScript; the page's script filters the
same rows as one types.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..query.contributors import contributor_spans
from ..query.result import Result
from .deps import Database
from .pages import Page
from .sparkline import sparkline

__all__ = ["COUNTRY_SORTS", "MISSION_SORTS", "countries_index", "missions_index"]

# sort key -> (column, largest first); None sorts last either way
COUNTRY_SORTS = {"rank": ("rank", False), "name": ("name", False), "personnel": ("personnel", True),
                 "peak": ("peak", True), "first_month": ("first_month", False), "last_month": ("last_month", True),
                 "region": ("region", False)}
MISSION_SORTS = {"personnel": ("personnel", True), "mission": ("mission", False), "name": ("name", False),
                 "first_month": ("first_month", False), "last_month": ("last_month", True), "peak": ("peak", True)}


def _matches(q: str, *fields: Any) -> bool:
    needle = q.casefold()
    return any(needle in str(f).casefold() for f in fields if f)


def _sorted(rows: list[dict[str, Any]], sort: str, sorts: dict[str, tuple[str, bool]], default: str) -> str:
    """Sort ``rows`` in place by ``sort`` (an unknown key is the default); the key used."""
    key = sort if sort in sorts else default
    col, desc = sorts[key]
    known = [r for r in rows if r[col] is not None]
    known.sort(key=lambda r: r[col], reverse=desc)
    rows[:] = known + [r for r in rows if r[col] is None]
    return key


def _latest_gone_first(rows: list[dict[str, Any]], now: str) -> None:
    """The rows with nobody at the latest month (``now`` None) come last already: among
    them, those that left most recently first, rather than in alphabetical order."""
    gone = [r for r in rows if r[now] is None]
    gone.sort(key=lambda r: r["last_month"] or "", reverse=True)
    rows[len(rows) - len(gone):] = gone


def _view(page: Page, base: str, q: str, sort: str, columns: list[tuple[str, str, bool]],
          cells: list[dict[str, Markup]], search: list[str]) -> None:
    """What templates/index.html draws: the headers (sortable ones as links keeping ``q``)
    and each row's cells, already escaped, with the text the filter searches."""
    from urllib.parse import urlencode

    heads = []
    for key, label, sortable in columns:
        if sortable:
            href = base + "?" + urlencode({k: v for k, v in (("q", q), ("sort", key)) if v})
            mark = " ▾" if key == sort else ""
            heads.append(Markup(f'<a href="{escape(href)}">{escape(label)}</a>{mark}'))
        else:
            heads.append(escape(label))
    page.view = {"index": {"heads": heads, "rows": [{"cells": [c[k] for k, _, _ in columns], "search": s}
                                                     for c, s in zip(cells, search)],
                            "q": q, "sort": sort, "action": base}}


def _num(v: Any) -> Markup:
    return Markup("" if v is None else f"{v:,}")


def countries_index(store: Database, q: str = "", sort: str = "rank") -> Page:
    """Every country with personnel in some loaded source: its rank and personnel at the
    latest month, its peak year-end figure and its year, its first and last month with
    personnel (``query.contributors.contributor_spans``), and its yearly series (each
    year's last covered month) as a sparkline.

    >>> countries_index(db, q="ghana").tables["countries"].rows[0]["contributor"]  # doctest: +SKIP
    'GHA'
    """
    ranking = store.rank()
    latest = ranking.query["month"]
    months = store.months()
    # one question for every row's series (year-end figures: the sparkline's last point is
    # the latest month), and one statement for the months each contributor had anybody out
    yearly = store.personnel(start=months[0], end=latest, by=["year", "contributor"])
    years = sorted({r["year"] for r in yearly.rows})
    series: dict[str, dict[int, int]] = {}
    for r in yearly.rows:
        series.setdefault(r["contributor"], {})[r["year"]] = r["personnel"]
    now = {r["contributor"]: r for r in ranking.rows}
    total = sum(r["personnel"] for r in ranking.rows)
    rows = []
    for iso3, (first, last) in sorted(contributor_spans(store).items()):
        if iso3 not in store.countries:
            continue
        name, region = store.countries[iso3][:2]
        own = series.get(iso3, {})
        held = [y for y in years if own.get(y)]
        peak_year = max(held, key=lambda y: own[y]) if held else None
        now_row = now.get(iso3)
        rows.append({"rank": now_row["rank"] if now_row else None, "contributor": iso3, "name": name,
                     "region": region, "personnel": now_row["personnel"] if now_row else None,
                     "share_pct": round(100 * now_row["personnel"] / total, 2) if now_row and total else None,
                     "peak": own[peak_year] if peak_year else None, "peak_year": peak_year,
                     "first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}",
                     "series": [own.get(y, 0) for y in years]})
    if q:
        rows = [r for r in rows if _matches(q, r["contributor"], r["name"], r["region"])]
    used = _sorted(rows, sort, COUNTRY_SORTS, "rank")
    if used in ("rank", "personnel"):
        _latest_gone_first(rows, "personnel")
    cols = ["rank", "contributor", "name", "region", "personnel", "share_pct", "peak", "peak_year", "first_month",
            "last_month"]
    table = Result(cols, [{c: r[c] for c in cols} for r in rows], yearly.sources + ranking.sources,
                   yearly.grains, [f"personnel, rank and share at {latest}, the latest month with contributor data; "
                                   f"peak and the sparkline: each year's last covered month "
                                   f"({years[0]}..{years[-1]})"], {"q": q, "sort": used, "month": latest},
                   month=latest, month_note=ranking.month_note)
    page = Page(f"Countries that have sent personnel: {len(rows)}" + (f" matching {q!r}" if q else "")
                + f"; {len(ranking.rows)} at {latest}", {"countries": table})
    page.facts = {"month": latest, "contributors then": len(ranking.rows), "personnel then": total,
                  "countries listed": len(rows)}
    page.tables["series"] = Result(["contributor", *[str(y) for y in years]],
                                   [{"contributor": r["contributor"], **dict(zip(map(str, years), r["series"]))}
                                    for r in rows], yearly.sources, yearly.grains,
                                   ["each year's personnel at its last covered month"])
    cells = []
    for r in rows:
        link = Markup(f'<a href="/countries/{escape(quote(r["name"]))}">{escape(r["name"])}</a>')
        cells.append({"rank": Markup(r["rank"] or ""), "contributor": escape(r["contributor"]), "name": link,
                      "region": escape(r["region"] or ""), "personnel": _num(r["personnel"]),
                      "share_pct": Markup("" if r["share_pct"] is None else f"{r['share_pct']:.2f}"),
                      "peak": Markup(f"{_num(r['peak'])} ({r['peak_year']})" if r["peak"] else ""),
                      "months": Markup(f"{r['first_month']}..{r['last_month']}"),
                      "trend": sparkline(r["series"], f"{r['name']}, personnel {years[0]}..{years[-1]}, "
                                                      f"latest {r['series'][-1]:,}")})
    _view(page, "/countries", q, used,
          [("rank", "rank", True), ("contributor", "ISO3", False), ("name", "country", True),
           ("region", "region", True), ("personnel", f"personnel {latest}", True), ("share_pct", "% of all", False),
           ("peak", "peak (year)", True), ("months", "months with personnel", False),
           ("trend", f"{years[0]}..{years[-1]}", False)],
          cells, [f"{r['contributor']} {r['name']} {r['region'] or ''}" for r in rows])
    page.form = {"q": q, "sort": used}
    return page


def missions_index(store: Database, q: str = "", sort: str = "personnel") -> Page:
    """Every mission with personnel in some loaded source: its personnel at the latest
    month (when active then), its first and last month with personnel, its peak, and its
    monthly series over its own months as a sparkline."""
    active = store.mission_list()
    latest = active.month or active.query["from"]
    months = store.months()
    monthly = store.personnel(start=months[0], end=latest, by=["month", "mission"])
    series: dict[str, dict[str, int]] = {}
    for r in monthly.rows:
        series.setdefault(r["mission"], {})[r["month"]] = r["personnel"]
    covered = sorted({r["month"] for r in monthly.rows})
    now = {r["mission"]: r["personnel"] for r in active.rows}
    directory = {d["acronym"]: d for d in store.mission_directory()}
    names = store.countries
    rows = []
    for acronym in sorted(store.with_personnel()["mission"]):
        own = series.get(acronym, {})
        held = [m for m in covered if own.get(m)]
        if not held:  # only rows of zeros in some file: no personnel, no page
            continue
        d = directory.get(acronym, {})
        span = [m for m in covered if held and held[0] <= m <= held[-1]]
        peak = max(held, key=lambda m: own[m]) if held else None
        rows.append({"mission": acronym, "name": d.get("name"), "type": d.get("type"),
                     "hosts": "; ".join(names[h][0] if h in names else h for h in d.get("hosts") or []),
                     "personnel": now.get(acronym), "first_month": held[0] if held else None,
                     "last_month": held[-1] if held else None, "peak": own[peak] if peak else None,
                     "peak_month": peak, "series": [own.get(m, 0) for m in span]})
    if q:
        rows = [r for r in rows if _matches(q, r["mission"], r["name"], r["hosts"])]
    used = _sorted(rows, sort, MISSION_SORTS, "personnel")
    if used == "personnel":
        _latest_gone_first(rows, "personnel")
    cols = ["mission", "name", "type", "hosts", "personnel", "first_month", "last_month", "peak", "peak_month"]
    table = Result(cols, [{c: r[c] for c in cols} for r in rows], monthly.sources + active.sources, monthly.grains,
                   [f"personnel at {latest}, the latest month with mission data (empty: not active then); "
                    "first, last and peak: months with personnel in the data"], {"q": q, "sort": used, "month": latest},
                   month=latest, month_note=active.month_note)
    page = Page(f"Missions: {len(rows)} with personnel data, {len(now)} active at {latest}", {"missions": table})
    page.facts = {"month": latest, "missions active then": len(now), "personnel in them": sum(now.values())}
    cells = []
    for r in rows:
        cells.append({"mission": Markup(f'<a href="/missions/{escape(r["mission"])}">{escape(r["mission"])}</a>'),
                      "name": escape(r["name"] or ""), "hosts": escape(r["hosts"]), "personnel": _num(r["personnel"]),
                      "span": Markup(f"{r['first_month']}..{r['last_month']}" if r["first_month"] else ""),
                      "peak": Markup(f"{_num(r['peak'])} ({r['peak_month']})" if r["peak"] else ""),
                      "trend": sparkline(r["series"], f"{r['mission']}, personnel month by month "
                                         f"{r['first_month']}..{r['last_month']}, last {r['series'][-1]:,}"
                                         if r["series"] else r["mission"])})
    _view(page, "/missions", q, used,
          [("mission", "mission", True), ("name", "name", True), ("hosts", "hosts", False),
           ("personnel", f"personnel {latest}", True), ("span", "months with personnel", False),
           ("peak", "peak (month)", True), ("trend", "personnel over its months", False)],
          cells, [f"{r['mission']} {r['name'] or ''} {r['hosts']}" for r in rows])
    page.form = {"q": q, "sort": used}
    return page
