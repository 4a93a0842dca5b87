"""Countries, groups or regions side by side, month by month, each with its share of all
contributors' personnel of the same type that month."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from ..vocab import able_grains
from .connection import Connection
from .coverage import latest_month
from .personnel import personnel
from .result import Result


__all__ = ["shares"]


def shares(db: Connection, names: Iterable[str], start: str | date | None = None, end: str | date | None = None,
           type: str = "all") -> Result:
    """Rows of month, who (the name as given), personnel, everybody (all contributors) and
    share_pct, over the months with contributor data (default: all of them).

    >>> shares(db, ["China", "P5"], "2013-01", "2013-12").rows[0]["share_pct"]  # doctest: +SKIP
    """
    # a share needs contributors: the range runs over the grains that tell them apart, to
    # their latest month (the one every answer without a month is for)
    first = start or db.months(*able_grains({"contributor"}))[0]
    last = end or latest_month(db, {"contributor"})
    if start is None and end is None:
        # everybody's series over the whole span is the same for every comparison of this
        # type: worked out once per open database (three statements, about 9 ms of DuckDB,
        # and the Python over its 430 months), like the other parameterless summaries.
        # Keyed by type alone, so at most one per personnel type; a span asked runs afresh
        world = db.once(f"shares:everybody:{type}",
                        lambda: personnel(db, type=type, by=["month"], start=first, end=last))
    else:
        world = personnel(db, type=type, by=["month"], start=first, end=last)
    everybody = {r["month"]: r["personnel"] for r in world.rows}
    rows = []
    sources = list(world.sources)
    names = list(names)
    for n in names:
        res = personnel(db, country=[n], type=type, by=["month"], start=first, end=last)
        sources += res.sources
        for r in res.rows:
            whole = everybody.get(r["month"])
            rows.append({"month": r["month"], "who": n, "personnel": r["personnel"], "everybody": whole,
                         "share_pct": round(100 * r["personnel"] / whole, 2) if whole else None})
    return Result(["month", "who", "personnel", "everybody", "share_pct"], rows, sources, list(world.grains),
                  ["share_pct: of all contributors' personnel of the same type that month"],
                  {"names": names, "type": type, "from": world.query["from"], "to": world.query["to"]})
