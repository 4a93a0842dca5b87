"""Contributors ranked by personnel at one month, optionally within a group; and where one
contributor stood at many months."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..errors import NoDataError, QueryError
from ..vocab import COUNTED_TYPES, PERSONNEL_TYPES
from ..months import parse_month
from .personnel import personnel, plan, statement
from .connection import Connection
from .result import Result
from .selection import Selection


__all__ = ["rank", "ranked", "standing"]


def ranked(rows: Iterable[dict[str, Any]], top: int | None = None) -> list[dict[str, Any]]:
    """Rows with ``contributor`` and ``personnel`` ranked, largest first (ties share a rank;
    nobody deployed is no rank), those ranked ``top`` or better if given. Ranking a subset,
    such as a group's members, is the same as asking for the ranking within that group.
    Rows that name their ``month`` keep it.

    >>> [r["rank"] for r in ranked([{"contributor": "A", "personnel": 5}, {"contributor": "B", "personnel": 9},
    ...                             {"contributor": "C", "personnel": 5}, {"contributor": "D", "personnel": 0}])]
    [1, 2, 2]
    """
    rows = sorted((r for r in rows if r["personnel"] > 0), key=lambda r: (-r["personnel"], r["contributor"]))
    out: list[dict[str, Any]] = []
    last, current = None, 0
    for i, r in enumerate(rows, start=1):
        personnel = r["personnel"]
        if personnel != last:
            current, last = i, personnel
            if top is not None and current > top:
                break  # ranks only grow from here: a ranking's top ten need not build the other hundred rows
        row = {"month": r["month"]} if "month" in r else {}
        row.update(rank=current, contributor=r["contributor"], contributor_name=r.get("contributor_name"),
                   personnel=personnel)
        out.append(row)
    return out


def _label(within: "str | Selection | None") -> str | None:
    return within if isinstance(within, str) else "+".join(within.countries + within.groups) if within else None


def rank(db: Connection, month: str | date | None = None, type: str = "all", within: "str | Selection | None" = None,
         top: int | None = None) -> Result:
    """Contributors at ``month`` ranked by personnel (1 = largest; ties share a rank).

    >>> rank(db, "2013-12", within="P5").rows[0]["contributor"]  # doctest: +SKIP
    'CHN'
    """
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1")
    label = _label(within)
    res = personnel(db, country=[within] if within else None, type=type,
                    month=month, by=["contributor"])
    rows = ranked(res.rows, top)
    if not rows:
        raise NoDataError(f"no contributors with {type} personnel at {res.query['from']}"
                          + (f" within {label}" if label else ""))
    res.query.update({"within": label, "top": top, "month": res.query["from"]})
    return Result(["month", "rank", "contributor", "contributor_name", "personnel"],
                  rows, res.sources, res.grains, res.notes,
                  {k: v for k, v in res.query.items() if k not in ("by", "year_agg", "country")},
                  month=res.month, month_note=res.month_note)


def standing(db: Connection, contributor: str, months: Iterable[str | date], type: str = "all") -> Result:
    """Where one contributor (ISO3) stood among all at each of ``months``: its rank (None
    with nobody deployed), out of how many contributors, and its personnel.

    Only one row per month comes back, with the same ranks as :func:`rank` (ties share a
    rank, nobody deployed is no rank). For all personnel (what a country's page asks) the
    ranks were computed at build time (``contributor_rank``): one lookup, whatever the
    number of months. Another type is ranked here, in SQL, one statement per grain.
    """
    if type not in COUNTED_TYPES:
        raise QueryError(f"unknown personnel type {type!r} for a ranking")
    asked = sorted({parse_month(m) for m in months})
    by_grain, missing = plan(db, asked, {"contributor"})
    if type == "all":
        rows = _looked_up(db, contributor, sorted(m for ms in by_grain.values() for m in ms))
    else:
        rows = _ranked_here(db, contributor, by_grain, type)
    used: dict[tuple[str, int], list[date]] = {}
    for grain, gmonths in by_grain.items():
        for m in gmonths:  # unfiltered: every file covering the month ranks in it
            for sid in db.coverage[grain][m]:
                used.setdefault((grain, sid), []).append(m)
    notes = [f"no contributor data for {len(missing)} of the months asked"] if missing else []
    grains = [{"grain": g, "first_month": f"{min(ms):%Y-%m}", "last_month": f"{max(ms):%Y-%m}", "months": len(ms)}
              for g, ms in by_grain.items()]
    return Result(["month", "rank", "of", "personnel"], rows, db.source_refs(used), grains, notes,
                  {"contributor": contributor, "type": type})


def _looked_up(db: Connection, contributor: str, months: list[date]) -> list[dict[str, Any]]:
    """The standing at ``months`` from ``contributor_rank`` (all personnel): the
    contributor's own rows, and how many were ranked at each month (read once per open
    database), instead of joining the table to itself on every page."""
    ranked_at: dict[date, int] = db.once("rank:contributors", lambda: dict(db.con.execute(
        "SELECT month, any_value(contributors) FROM contributor_rank GROUP BY month").fetchall()))
    mine = {m: (r, v) for m, r, v in db.fetch(
        ("contributor_rank", f"contributor={contributor}", "", "", ()),  # stored for its page (query/summary.py)
        "SELECT month, rank, personnel FROM contributor_rank WHERE contributor = ?", [contributor])}
    return [{"month": f"{m:%Y-%m}", "rank": mine.get(m, (None, 0))[0], "of": ranked_at[m],
             "personnel": mine.get(m, (None, 0))[1]} for m in months if m in ranked_at]


def _ranked_here(db: Connection, contributor: str, by_grain: dict[str, list[date]],
                 type: str) -> list[dict[str, Any]]:
    """The standing of one type, ranked over every contributor of each grain's months."""
    coarse = len(by_grain) > 1 or "detail" not in by_grain
    rows: list[dict[str, Any]] = []
    for grain, gmonths in by_grain.items():
        inner, params = statement(db, grain, gmonths, Selection(), [], PERSONNEL_TYPES[type],
                                  ["month", "contributor"], coarse, False)
        found = db.con.execute(f"""
            WITH ranked AS (
                SELECT month, contributor, personnel, count(*) OVER (PARTITION BY month) AS n,
                       rank() OVER (PARTITION BY month ORDER BY personnel DESC) AS r
                FROM ({inner}) WHERE personnel > 0)
            SELECT month, max(r) FILTER (WHERE contributor = ?), max(n),
                   coalesce(max(personnel) FILTER (WHERE contributor = ?), 0)
            FROM ranked GROUP BY month ORDER BY month""", [*params, contributor, contributor]).fetchall()
        rows += [{"month": f"{m:%Y-%m}", "rank": r, "of": n, "personnel": v} for m, r, n, v in found]
    rows.sort(key=lambda r: r["month"])
    return rows
