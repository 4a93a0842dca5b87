"""Contributors ranked by personnel at one month, optionally within a group."""

from __future__ import annotations

from datetime import date

from ..errors import NoDataError, QueryError
from .personnel import personnel
from .result import Result
from .store import Selection, Store

__all__ = ["rank"]


def rank(store: Store, month: str | date | None = None, type: str = "all", within: "str | Selection | None" = None,
         top: int | None = None) -> Result:
    """Contributors at ``month`` ranked by personnel (1 = largest; ties share a rank).

    >>> rank(store, "2013-12", within="P5").rows[0]["contributor"]  # doctest: +SKIP
    'CHN'
    """
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1")
    label = within if isinstance(within, str) else "+".join(within.countries + within.groups) if within else None
    res = personnel(store, country=[within] if within else None, type=type,
                    month=month, by=["contributor"])
    rows = sorted((r for r in res.rows if r["personnel"] > 0), key=lambda r: (-r["personnel"], r["contributor"]))
    if not rows:
        raise NoDataError(f"no contributors with {type} personnel at {res.query['from']}"
                          + (f" within {label}" if label else ""))
    ranked, last, current = [], None, 0
    for i, r in enumerate(rows, start=1):
        if r["personnel"] != last:
            current, last = i, r["personnel"]
        ranked.append({"rank": current, "contributor": r["contributor"],
                       "contributor_name": r["contributor_name"], "personnel": r["personnel"]})
    if top is not None:
        ranked = [r for r in ranked if r["rank"] <= top]
    res.query.update({"within": label, "top": top, "month": res.query["from"]})
    return Result(["rank", "contributor", "contributor_name", "personnel"], ranked, res.sources, res.grains,
                  res.notes, {k: v for k, v in res.query.items() if k not in ("by", "year_agg", "country")})
