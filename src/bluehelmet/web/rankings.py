"""The rankings page: contributors ranked at a month, each one's share of the total, and
its change against a year earlier (rank and personnel), with a bar chart of the largest."""

from __future__ import annotations

from datetime import date

from ..errors import NoDataError
from ..months import parse_month
from ..query.result import Result
from ..vocab import able_grains
from .deps import Database
from .charts import Cite, x_encoding
from .pages import Page, _bars

__all__ = ["CHART_TOP", "rankings_page", "year_earlier"]

CHART_TOP = 20  # bars drawn: the rest of a 120-row ranking is unreadable as bars


def year_earlier(store: Database, at: date) -> date | None:
    """The month a year before ``at``, or where contributor data miss it, the last covered
    month before it (None when there is none)."""
    target = date(at.year - 1, at.month, 1)
    covered = [m for m in store.months(*able_grains({"contributor"})) if m <= target]
    return covered[-1] if covered else None


def rankings_page(store: Database, month: str | None = None, type: str = "all", within: str | None = None,
                  top: int | None = None, sort: str = "rank") -> Page:
    """``Database.rank`` with three more columns per contributor: ``share_pct`` (of all
    contributors' personnel of the type at the month, whatever ``within``), and the rank
    and personnel at the month a year earlier (:func:`year_earlier`) with the changes."""
    res = store.rank(month=month, type=type, within=within or None, top=top)
    at = res.query["month"]
    everybody = res if not (within or top) else store.rank(month=at, type=type)
    total = sum(r["personnel"] for r in everybody.rows)
    before = year_earlier(store, parse_month(at))
    then: dict[str, dict[str, int]] = {}
    notes = list(res.notes)
    if before is not None:
        try:
            then = {r["contributor"]: r for r in store.rank(month=before, type=type, within=within or None).rows}
        except NoDataError as exc:
            notes.append(f"a year earlier: {exc}")
    earlier = f"{before:%Y-%m}" if before else None
    if earlier and earlier[5:] != at[5:]:
        notes.append(f"a year earlier: {earlier}, the last month with contributor data before {int(at[:4]) - 1}"
                     f"-{at[5:]}")
    rows = []
    for r in res.rows:
        old = then.get(r["contributor"])
        rows.append({**r, "share_pct": round(100 * r["personnel"] / total, 2) if total else None,
                     "rank_year_earlier": old["rank"] if old else None,
                     "rank_change": old["rank"] - r["rank"] if old else None,
                     "personnel_year_earlier": old["personnel"] if old else (0 if earlier else None),
                     "personnel_change": r["personnel"] - (old["personnel"] if old else 0) if earlier else None})
    cols = [*res.columns, "share_pct", "rank_year_earlier", "rank_change", "personnel_year_earlier",
            "personnel_change"]
    if sort in cols:
        desc = sort in ("personnel", "share_pct", "rank_change", "personnel_change")
        known = sorted((r for r in rows if r[sort] is not None), key=lambda r: r[sort], reverse=desc)
        rows = known + [r for r in rows if r[sort] is None]
    notes.append(f"share_pct: of all contributors' {type} personnel at {at} ({total:,}); the changes: against "
                 f"{earlier or 'no earlier month'} (rank_change > 0: up the ranking; no earlier rank: "
                 "not deployed then)")
    table = Result(cols, rows, res.sources, res.grains, notes, {**res.query, "year_earlier": earlier}, res.month,
                   res.month_note)
    page = Page(f"Contributors ranked, {at}", {"rankings": table})
    largest = sorted(rows, key=lambda r: -r["personnel"])[:CHART_TOP]
    scope = f" within {within}" if within else ""
    chart = _bars([{"contributor": r["contributor_name"] or r["contributor"], "personnel": r["personnel"]}
                   for r in largest], "contributor", "personnel", f"{type} personnel (persons)",
                  heading=f"The {len(largest)} largest contributors of {type} personnel{scope}, {at}",
                  subtitle=f"UN peacekeeping {type} personnel deployed at the end of {at}, by contributing country, "
                           "in persons", cite=Cite.of(res, info=store.info),
                  file=f"largest-contributors-{type}{scope.replace(' ', '-')}-{at}")
    # largest first, not alphabetical
    page.charts["largest_contributors"] = x_encoding(chart, sort="-y", axis={"labelAngle": -40})
    page.facts = {"month": at, "contributors": len(everybody.rows), f"{type} personnel": total,
                  "compared with": earlier}
    page.form = {"month": at, "type": type, "within": within or "", "top": top or "", "sort": sort}
    return page
