"""Contributors ranked by personnel at one month, or at several, optionally within a group."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable

from ..errors import NoDataError, QueryError
from .personnel import personnel
from .result import Result
from .store import Selection, Store

__all__ = ["rank", "rank_series", "ranked"]


def ranked(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with ``contributor`` and ``personnel`` ranked, largest first (ties share a rank;
    nobody deployed is no rank). Ranking a subset, such as a group's members, is the same
    as asking for the ranking within that group.

    >>> [r["rank"] for r in ranked([{"contributor": "A", "personnel": 5}, {"contributor": "B", "personnel": 9},
    ...                             {"contributor": "C", "personnel": 5}, {"contributor": "D", "personnel": 0}])]
    [1, 2, 2]
    """
    rows = sorted((r for r in rows if r["personnel"] > 0), key=lambda r: (-r["personnel"], r["contributor"]))
    out, last, current = [], None, 0
    for i, r in enumerate(rows, start=1):
        if r["personnel"] != last:
            current, last = i, r["personnel"]
        out.append({"rank": current, "contributor": r["contributor"],
                    "contributor_name": r.get("contributor_name"), "personnel": r["personnel"]})
    return out


def _label(within: "str | Selection | None") -> str | None:
    return within if isinstance(within, str) else "+".join(within.countries + within.groups) if within else None


def rank(store: Store, month: str | date | None = None, type: str = "all", within: "str | Selection | None" = None,
         top: int | None = None) -> Result:
    """Contributors at ``month`` ranked by personnel (1 = largest; ties share a rank).

    >>> rank(store, "2013-12", within="P5").rows[0]["contributor"]  # doctest: +SKIP
    'CHN'
    """
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1")
    label = _label(within)
    res = personnel(store, country=[within] if within else None, type=type,
                    month=month, by=["contributor"])
    rows = ranked(res.rows)
    if not rows:
        raise NoDataError(f"no contributors with {type} personnel at {res.query['from']}"
                          + (f" within {label}" if label else ""))
    if top is not None:
        rows = [r for r in rows if r["rank"] <= top]
    res.query.update({"within": label, "top": top, "month": res.query["from"]})
    return Result(["rank", "contributor", "contributor_name", "personnel"], rows, res.sources, res.grains,
                  res.notes, {k: v for k, v in res.query.items() if k not in ("by", "year_agg", "country")})


def rank_series(store: Store, months: Iterable[str | date], type: str = "all",
                within: "str | Selection | None" = None, top: int | None = None) -> Result:
    """Rankings at each of ``months``, in one statement: rows of month, rank, contributor.

    Months nobody covers at contributor grain are left out, and the notes say so.
    """
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1")
    label = _label(within)
    res = personnel(store, country=[within] if within else None, type=type, months=months,
                    by=["month", "contributor"])
    per_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in res.rows:
        per_month[r["month"]].append(r)
    rows = []
    for month in sorted(per_month):
        rows += [{"month": month, **r} for r in ranked(per_month[month]) if top is None or r["rank"] <= top]
    if not rows:
        raise NoDataError(f"no contributors with {type} personnel at the months asked"
                          + (f" within {label}" if label else ""))
    res.query.update({"within": label, "top": top})
    return Result(["month", "rank", "contributor", "contributor_name", "personnel"], rows, res.sources,
                  res.grains, res.notes, {k: v for k, v in res.query.items() if k not in ("by", "year_agg", "country")})
