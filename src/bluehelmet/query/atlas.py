"""The world over time: every contributor's personnel by type and every mission's personnel,
month by month from the first month to the latest, in one compact table a map can step
through without asking again (the dashboard's world map, ``/map``).

The figures are :func:`.personnel.personnel`'s, so a country at a month on the map is the
same number the API gives for it; a state the present-day map has no shape for (the USSR,
Yugoslavia, Singapore at 1:110m) keeps its figures and is named by the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .connection import Connection
from .personnel import personnel
from .result import Result

__all__ = ["TYPES", "Atlas", "atlas"]

#: the personnel types the map shows apart (staff officers count among troops, formed and
#: individual police as police, as every grain can answer)
TYPES = ("troops", "police", "experts")


@dataclass
class Atlas:
    """Months, and per contributor and per mission a series per type aligned on them.

    ``contributors[iso3]`` is ``{"name", "m49", "first", "values"}``: ``values[t][i]`` is
    the personnel of type ``TYPES[t]`` at ``months[first + i]`` (0: nobody that month).
    ``missions[acronym]`` is ``{"name", "hq", "lon", "lat", "first", "values"}`` with one
    series of all personnel, None where the mission was not active. ``totals[t][i]`` is
    everybody's personnel of type ``TYPES[t]`` at ``months[i]``: the denominator of a share.
    """

    months: list[str]
    contributors: dict[str, dict[str, Any]]
    missions: dict[str, dict[str, Any]]
    totals: list[list[int]]
    by_contributor: Result  # the answers behind it, with their sources and notes
    by_mission: Result
    notes: list[str] = field(default_factory=list)

    def at(self, month: str) -> list[dict[str, Any]]:
        """One row per contributor with anybody at ``month``: the types, their sum, and the
        share of everybody's personnel that month (per cent)."""
        i = self.months.index(month)
        everybody = sum(t[i] for t in self.totals)
        rows = []
        for iso3, c in self.contributors.items():
            j = i - c["first"]
            if not 0 <= j < len(c["values"][0]):
                continue
            by_type = {t: c["values"][k][j] for k, t in enumerate(TYPES)}
            total = sum(by_type.values())
            if total:
                rows.append({"month": month, "contributor": iso3, "contributor_name": c["name"], **by_type,
                             "personnel": total, "share_pct": round(100 * total / everybody, 3) if everybody else None})
        rows.sort(key=lambda r: (-r["personnel"], r["contributor"]))
        return rows

    def as_dict(self) -> dict[str, Any]:
        """The compact form the map loads once (no per-month requests)."""
        return {"months": self.months, "types": list(TYPES), "contributors": self.contributors,
                "missions": self.missions, "totals": self.totals}


def atlas(db: Connection) -> Atlas:
    """The whole series, computed once per open database (two statements).

    >>> a = atlas(db)                                    # doctest: +SKIP
    >>> a.at("2013-12")[0]["contributor"]                # doctest: +SKIP
    'PAK'
    """
    return db.once("atlas", lambda: _build(db))


def _build(db: Connection) -> Atlas:
    from datetime import date

    from ..months import parse_month

    res = personnel(db, start=min(db.months()), by=["month", "contributor", "type"])
    months = sorted({r["month"] for r in res.rows})
    at = {m: i for i, m in enumerate(months)}
    m49 = {iso3: code for iso3, code in db.con.execute("SELECT iso3, m49 FROM country").fetchall()}
    totals = [[0] * len(months) for _ in TYPES]
    spans: dict[str, list[int]] = {}
    for r in res.rows:
        span = spans.setdefault(r["contributor"], [at[r["month"]], at[r["month"]]])
        span[0], span[1] = min(span[0], at[r["month"]]), max(span[1], at[r["month"]])
    contributors: dict[str, dict[str, Any]] = {}
    for iso3, (first, last) in spans.items():
        code = m49.get(iso3)
        contributors[iso3] = {"name": db.countries.get(iso3, (iso3,))[0],
                              "m49": f"{code:03d}" if code is not None else None, "first": first,
                              "values": [[0] * (last - first + 1) for _ in TYPES]}
    for r in res.rows:
        i, k = at[r["month"]], TYPES.index(r["type"])
        c = contributors[r["contributor"]]
        c["values"][k][i - c["first"]] += r["personnel"]
        totals[k][i] += r["personnel"]

    by_mission = personnel(db, months=months, by=["month", "mission"])
    meta = {a: (n, hq, lon, lat) for a, n, hq, lon, lat in db.con.execute(
        "SELECT acronym, name, hq, hq_lon, hq_lat FROM mission").fetchall()}
    series: dict[str, dict[int, int]] = {}
    for r in by_mission.rows:
        series.setdefault(r["mission"], {})[at[r["month"]]] = r["personnel"]
    missions: dict[str, dict[str, Any]] = {}
    for acronym, values in sorted(series.items()):
        first, last = min(values), max(values)
        name, hq, lon, lat = meta.get(acronym, (acronym, None, None, None))
        kept: list[int | None] = []
        for i in range(first, last + 1):
            month: date = parse_month(months[i])
            # a mission outside its active period is left out, as the missions list does
            active = not db.not_active(month, [acronym])
            kept.append(values.get(i) if active else None)
        missions[acronym] = {"name": name, "hq": hq, "lon": lon, "lat": lat, "first": first, "values": kept}
    notes = list(res.notes)
    unmapped = sorted(c["name"] for c in contributors.values() if c["m49"] is None)
    if unmapped:
        notes.append("no country code to map: " + ", ".join(unmapped))
    return Atlas(months, contributors, missions, totals, res, by_mission, notes)
