"""Peacekeeper fatalities: counts of deaths by mission, nationality, period, cause and type.

Answered from the official incident-level list (table ``fatality``, one row per casualty),
the finest grain there is; the nationality x mission x month aggregate (table
``fatality_month``) is used only to reconcile against it at build time. Deaths are events,
not stocks: over a period they are summed.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import date
from typing import Any, Iterable, TypeVar

from ..errors import NoDataError, QueryError, UnknownNameError
from ..months import month_range, parse_month
from .connection import Connection
from .result import Result
from .selection import Selection


__all__ = ["fatalities", "partial_notes", "FATALITY_BY_KEYS"]

_T = TypeVar("_T")

FATALITY_BY_KEYS = ("year", "month", "mission", "nationality", "cause", "personnel_type")
_COLUMN = {"mission": "f.mission", "nationality": "f.nationality", "cause": "f.incident_type",
           "personnel_type": "f.personnel_type", "month": "f.month", "year": "year(f.month)"}


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _as_list(value: str | Iterable[_T] | None) -> list[str | _T]:
    """One name or several as a list (a string is one name, not its letters)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _distinct(db: Connection, column: str) -> list[str]:
    """A column's values in the fatality list, read once per open database (it never changes)."""
    return db.once(f"fatality:{column}", lambda: [v for (v,) in db.con.execute(
        f"SELECT DISTINCT {column} FROM fatality WHERE {column} IS NOT NULL ORDER BY 1").fetchall()])


def _vocabulary(db: Connection, column: str, asked: list[str], what: str) -> list[str]:
    """Values as stored for what the user typed (case, spaces and punctuation ignored)."""
    known = _distinct(db, column)
    by_key = {_key(v): v for v in known}
    out = []
    for a in asked:
        hit = by_key.get(_key(a))
        if hit is None and what == "cause" and _key(a) == "malicious":
            hit = by_key.get("maliciousact")
        if hit is None:
            raise QueryError(f"unknown {what} {a!r}; choose from {', '.join(known)}")
        out.append(hit)
    return out


def _stem(mission: str) -> str:
    return re.sub(r"[^A-Z]", "", re.sub(r"\s+(I{1,3}|IV|V)$", "", mission.strip()).upper())


def _missions(db: Connection, asked: list[str], notes: list[str]) -> list[str]:
    """Acronyms as the fatality list writes them; names it lacks go through the mission reference."""
    known = {m.upper(): m for m in _distinct(db, "mission")}
    out = []
    for a in asked:
        code = a.strip().upper()
        if code in known:
            out.append(known[code])
            continue
        try:
            found = db.resolve_mission(a)  # a mission with no deaths is a valid question
            out.append(found)
            stem = _stem(found)
            like = sorted(m for m in known.values() if _stem(m) == stem)
            if like:  # the list spells it otherwise (UNOSOM for UNOSOM I and II): say so, don't merge
                notes.append(f"the fatality list has no mission {found!r}; it writes {', '.join(like)}")
        except UnknownNameError:
            pool = {**db.missions, **known}
            close = difflib.get_close_matches(code, list(pool), n=5, cutoff=0.6)
            raise UnknownNameError("mission", a, [pool[c] for c in close]) from None
    return out


def partial_notes(first: date, last: date, last_day: date) -> list[str]:
    """What an answer over ``first``..``last`` says when the list covers part of it: the
    last year is covered only to the list's last record (the official file ends
    2023-11-21, so a count for 2023 is not the year's), and months asked past it are not
    covered at all (no record there is no knowledge, not zero deaths).

    >>> partial_notes(date(2023, 1, 1), date(2023, 12, 1), date(2023, 11, 21))
    ['2023 is covered only to 2023-11-21 (the last record in the official list)', 'asked to 2023-12; the official list ends 2023-11-21: later months are not covered (no record there is not zero deaths)']
    """
    out = []
    through_year_end = last_day.month == 12 and last_day.day == 31
    if not through_year_end and first.year <= last_day.year <= last.year:
        out.append(f"{last_day.year} is covered only to {last_day:%Y-%m-%d} (the last record in the official list)")
    if last > last_day.replace(day=1):
        out.append(f"asked to {last:%Y-%m}; the official list ends {last_day:%Y-%m-%d}: later months are not covered "
                   "(no record there is not zero deaths)")
    return out


def fatalities(db: Connection, mission: str | Iterable[str] | None = None,
               nationality: str | Iterable[str | Selection] | None = None, start: str | date | None = None,
               end: str | date | None = None, cause: str | Iterable[str] | None = None,
               personnel_type: str | Iterable[str] | None = None, by: Iterable[str] = ()) -> Result:
    """Peacekeepers who died, counted from the official incident-level list.

    ``nationality`` takes country names, ISO3 codes or groups (``"P5"``, ``"Africa"``;
    group membership is taken on each death's date). ``cause`` is the official
    ``type_of_incident`` (Illness, Accident, Malicious Act, Self-Inflicted, To Be
    Determined, Unknown) and ``personnel_type`` the official casualty personnel type
    (Military, Military Observer, Police, International Civilian, Local, Other); both match
    case-insensitively. ``start`` and ``end`` are months (``YYYY-MM``), both included.

    >>> fatalities(db, mission="MINUSMA", start="2013-01", end="2015-12", by=["year"])  # doctest: +SKIP
    """
    by = list(dict.fromkeys(by))
    for k in by:
        if k not in FATALITY_BY_KEYS:
            raise QueryError(f"unknown --by key {k!r}; choose from {', '.join(FATALITY_BY_KEYS)}")
    if "year" in by and "month" in by:
        raise QueryError("--by month and --by year together: choose one")
    total_rows, lo, hi, last_day = db.once("fatality:span", lambda: db.con.execute(  # an aggregate: one row
        "SELECT count(*), min(month), max(month), max(incident_date) FROM fatality").fetchall()[0])
    if not total_rows:
        raise NoDataError("the database holds no fatality records")
    first = parse_month(start) if start is not None else lo
    last = parse_month(end) if end is not None else hi
    if first > last:
        raise QueryError(f"--from {first:%Y-%m} is after --to {last:%Y-%m}")
    if first > last_day:
        raise NoDataError(f"no fatality records for {first:%Y-%m}..{last:%Y-%m}: the official list covers "
                          f"{lo:%Y-%m}..{last_day:%Y-%m-%d} (its first and last records)")
    notes: list[str] = []
    partial = partial_notes(first, last, last_day)
    missions = _missions(db, _as_list(mission), notes)
    sel = db.select(_as_list(nationality))
    # deaths are attributed to the state of the day (the USSR's in 1986, not Russia's): a
    # state asked for over months it holds no records of its own for is told whom to ask
    for c in sel.countries:
        notes.extend(db.own_records(c, month_range(first, last)))
    causes = _vocabulary(db, "incident_type", _as_list(cause), "cause")
    types = _vocabulary(db, "personnel_type", _as_list(personnel_type), "personnel type")

    where, params = ["f.month BETWEEN ? AND ?"], [first, last]
    if missions:
        where.append("list_contains(?, f.mission)")
        params.append(missions)
    if causes:
        where.append("list_contains(?, f.incident_type)")
        params.append(causes)
    if types:
        where.append("list_contains(?, f.personnel_type)")
        params.append(types)
    if sel:
        parts = []
        if sel.countries:
            parts.append("list_contains(?, f.nationality)")
            params.append(list(sel.countries))
        if sel.groups:  # membership on the day of death
            parts.append("""EXISTS (SELECT 1 FROM country_group g WHERE g.iso3 = f.nationality
                AND list_contains(?, g.grp) AND (g.valid_from IS NULL OR g.valid_from <= f.incident_date)
                AND (g.valid_to IS NULL OR g.valid_to >= f.incident_date))""")
            params.append(list(sel.groups))
        where.append("(" + " OR ".join(parts) + ")")
    select = [_COLUMN[k] for k in by]
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(select)))}" if select else ""
    sql = (f"SELECT {''.join(s + ', ' for s in select)}count(*) AS n, list(DISTINCT f.source_id), "
           f"list(DISTINCT f.month), count(*) FILTER (WHERE f.nationality IS NULL) "
           f"FROM fatality f WHERE {' AND '.join(where)}{group}")
    # one country's or one mission's deaths over the whole list, by one key: what a profile
    # asks, which the build answered ahead (query/summary.py)
    one = None
    if not causes and not types and (first, last) == (lo, hi):
        one = (f"contributor={sel.countries[0]}" if len(sel.countries) == 1 and not sel.groups and not missions
               else f"mission={missions[0]}" if len(missions) == 1 and not sel else None)
    found = (db.con.execute(sql, params).fetchall() if one is None
             else db.fetch(("fatality", one, ",".join(by), "incident", (first, last)), sql, params))

    used: dict[tuple[str, int], list[date]] = defaultdict(list)
    undetermined = 0
    rows: list[dict[str, Any]] = []
    for r in found:
        *keys, n, sids, months, nulls = r
        if not n:
            continue
        undetermined += nulls
        for sid in sids:
            used[("fatality", sid)].extend(months)
        row = dict(zip(by, keys))
        if isinstance(row.get("month"), date):
            row["month"] = f"{row['month']:%Y-%m}"
        if "nationality" in row:
            iso3 = row["nationality"]
            row["nationality_name"] = db.countries[iso3][0] if iso3 in db.countries else (
                iso3 if iso3 else "undetermined")
        row["fatalities"] = int(n)
        rows.append(row)
    if not used:  # no deaths match: the answer (zero) still comes from the list
        for sid in db.once("fatality:files", lambda: [r[0] for r in db.con.execute(
                "SELECT DISTINCT source_id FROM fatality").fetchall()]):
            used[("fatality", sid)] = [first, last]
    columns = list(by) + ["fatalities"]
    if "nationality" in by:
        columns.insert(columns.index("nationality") + 1, "nationality_name")
    time_keys = [k for k in by if k in ("year", "month")]
    if not time_keys:  # a sum over the period: every row names the period it is for
        columns.insert(0, "period")
        for each in rows:
            each["period"] = f"{first:%Y-%m}..{last:%Y-%m}"
        if not rows and not by:  # nobody died: the answer is a zero, not an empty table
            rows.append({"period": f"{first:%Y-%m}..{last:%Y-%m}", "fatalities": 0})
    if partial:  # the rows a partly covered year or month touches say so, in CSV too
        at = columns.index(time_keys[0] if time_keys else "period") + 1
        columns.insert(at, "coverage")
        cut = f"covered only to {last_day:%Y-%m-%d}"
        for each in rows:
            if "year" in time_keys:
                each["coverage"] = cut if each["year"] == last_day.year else None
            elif "month" in time_keys:
                each["coverage"] = cut if each["month"] >= f"{last_day:%Y-%m}" else None
            else:
                each["coverage"] = cut
    rows = [{c: r.get(c) for c in columns} for r in rows]
    rows.sort(key=lambda r: (tuple(r[k] for k in time_keys), -r["fatalities"],
                             tuple("" if r[k] is None else str(r[k]) for k in by if k not in time_keys)))
    if undetermined:
        notes.append(f"{undetermined} of these deaths have no determined nationality in the source"
                     + (" (nationality shown as undetermined)" if "nationality" in by else ""))
    if sel:
        notes.append("deaths whose nationality the source leaves undetermined cannot match a nationality filter")
    notes.append("deaths are events: counts over a period are sums (unlike month-end headcounts)")
    notes = partial + notes
    spanned = [m for ms in used.values() for m in ms]
    grains = [{"grain": "incident", "table": "fatality", "first_month": f"{min(spanned):%Y-%m}",
               "last_month": f"{max(spanned):%Y-%m}", "months": len(set(spanned))}]
    query = {"mission": missions, "nationality": list(sel.labels), "resolved": sel.echo(), "from": f"{first:%Y-%m}",
             "to": f"{last:%Y-%m}", "cause": causes, "personnel_type": types, "by": list(by),
             "covered_to": f"{last_day:%Y-%m-%d}", "partial": partial}
    return Result(columns, rows, db.source_refs(dict(used)), grains, notes, query)
