"""Deployment sites: where a mission's contingents stood, from its latest map at a month.

Geo-PKO codes the UN deployment maps, which appear every few months, not monthly. A
month is answered by each mission's latest map dated at or before it; the answer says
which map and which map date it used (in ``notes`` and in every row), and how old the map
was. A map dated in the asked month counts as at or before it. Every row names the month
the answer is for (``month``) beside its map's date. With no month, the answer is for the
last month with a map (:func:`.coverage.latest_month`); for one mission, its own last map,
and the answer says so where that is earlier.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from ..errors import NoDataError, UnknownNameError
from ..months import months_between, parse_month
from ..vocab import UNIT_TYPES
from .connection import Connection
from .coverage import latest_month, latest_note
from .result import Result
from .selection import Selection


__all__ = ["sites", "latest_maps", "SITE_COLUMNS"]

SITE_COLUMNS = ["month", "mission", "map_date", "map", "location", "country", "latitude", "longitude", "troops",
                "troops_unknown", "hq_level", "reserve_troops", "force_protection_troops", "rpf_troops", "unpol",
                "unmo", "liaison", "unit_types", "contributors"]


def _mission(db: Connection, name: str) -> tuple[str, bool]:
    """The mission's acronym, and whether Geo-PKO v2.0 maps it (else only v2.3's yearly
    table does)."""
    known = db.once("sites:missions", lambda: {m.upper(): m for (m,) in db.con.execute(
        "SELECT DISTINCT mission FROM deployment_site").fetchall()})
    key = " ".join(name.split()).upper()
    if key in known:
        return known[key], True
    if key in db.missions:
        code = db.missions[key]
        if db.con.execute("SELECT 1 FROM geopko_site_map WHERE mission = ? LIMIT 1", [code]).fetchone():
            return code, False
        # a known mission without a map is missing data, not a wrong name
        raise NoDataError(f"no deployment sites for {code} (Geo-PKO maps missions from 1994)")
    db.resolve_mission(name)  # unknown: the closest mission names
    raise UnknownNameError("mission with deployment sites (Geo-PKO maps missions from 1994)",
                           name, sorted(known.values())[:10])


def _members(db: Connection, contributor: "str | Selection", asked: date | None,
             query: dict[str, Any]) -> set[str]:
    """The ISO3 codes a contributor name (or a group's members at the month) stands for;
    ``query`` gets its label and what the name resolved to."""
    sel = db.select([contributor])  # a name, or an already resolved Selection
    members = set(sel.countries) | (db.members_during(sel.groups, [asked or date.today()]) or set()
                                    if sel.groups else set())
    query["contributor"] = "+".join(sel.countries + sel.groups)
    query["resolved"] = sel.echo()
    return members


def _yearly_sites(db: Connection, code: str, asked: date | None, contributor: "str | Selection | None",
                  location: str | None) -> Result:
    """A mission outside Geo-PKO v2.0 (which maps African missions): the sites of v2.3's
    yearly tables for the latest year at or before the month, each location once with its
    mean troops over that year's maps and the contributors the year's overview lists."""
    from ..reference import country_index

    # the query as understood is data a surface writes out (JSON, CSV): a resolved
    # Selection goes in as the names it stands for
    named = contributor if not isinstance(contributor, Selection) else \
        "+".join(contributor.labels or contributor.countries + contributor.groups)
    query = {"mission": code, "month": f"{asked:%Y-%m}" if asked else None, "contributor": named,
             "location": location}
    members: set[str] = set()
    if contributor:
        members = _members(db, contributor, asked, query)
    # aggregates without GROUP BY: always exactly one row (NULL when nothing matched)
    year = db.con.execute("SELECT max(year) FROM geopko_site_map WHERE mission = ? AND year <= ?",
                             [code, asked.year if asked else 9999]).fetchall()[0][0]
    if year is None:
        first = db.con.execute("SELECT min(year) FROM geopko_site_map WHERE mission = ?", [code]).fetchall()[0][0]
        return Result(list(SITE_COLUMNS), [], [], [], [f"{code}: no Geo-PKO site table at or before {asked:%Y}; "
                                                       f"its first is for {first}"], query,
                      f"{asked:%Y-%m}" if asked else None)
    # a yearly table is for its year: with no month asked, the answer is for the year's end
    at = asked or date(year, 12, 1)
    why = None
    if asked is None:
        latest = latest_month(db, table="geopko_site_map")
        why = (latest_note(table="geopko_site_map") if at >= latest else
               f"{code}'s last Geo-PKO yearly site table is for {year} (the latest of any mission: {latest:%Y})")
    found = db.con.execute(f"""
        SELECT f.location, any_value(f.country_name), avg(f.latitude), avg(f.longitude), max(f.avg_troops),
               max(f.hq), max(f.reserve), max(f.unpol) > 0, max(f.unmo) > 0, min(f.source_id),
               {", ".join(f"max(u.{t})" for t in UNIT_TYPES)}, min(u.source_id),
               any_value(c.contributors), min(c.source_id)
        FROM geopko_site_map f
        LEFT JOIN geopko_unit_type u ON u.mission = f.mission AND u.year = f.year AND u.location = f.location
        LEFT JOIN geopko_site_year c ON c.mission = f.mission AND c.year = f.year AND c.location = f.location
        WHERE f.mission = ? AND f.year = ?
              {"AND strpos(lower(f.location), lower(?)) > 0" if location else ""}
        GROUP BY f.location ORDER BY max(f.avg_troops) DESC NULLS LAST, f.location""",
                                  [code, year] + ([location.strip()] if location else [])).fetchall()
    levels = {3: "mission HQ", 2: "sector HQ", 1: "lower HQ"}
    names = country_index()
    used: dict[tuple[str, int], list[date]] = defaultdict(list)
    out = []
    when = date(year, 1, 1)
    for loc, country, lat, lon, troops, hq, reserve, unpol, unmo, sid, *rest in found:
        *units, unit_source, contributors, contributor_source = rest
        used[("site", sid)].append(when)
        for extra in (unit_source, contributor_source):
            if extra is not None:
                used[("site", extra)].append(when)
        out.append({"month": f"{at:%Y-%m}", "mission": code, "map_date": str(year), "map": f"Geo-PKO v2.3, {year}", "location": loc,
                    "country": names.resolve(country) if country else None, "latitude": lat, "longitude": lon,
                    "troops": troops, "troops_unknown": False, "hq_level": levels.get(hq or 0),
                    "reserve_troops": reserve, "force_protection_troops": None, "rpf_troops": None,
                    "unpol": unpol, "unmo": unmo, "liaison": None,
                    "unit_types": [{"unit": t, "count": n} for t, n in zip(UNIT_TYPES, units) if n],
                    "contributors": [{"contributor": c["contributor"], "name": c["name"], "troops": c["troops"]}
                                     for c in contributors or ()]})
    if contributor:
        out = [r for r in out if any(c["contributor"] in members for c in r["contributors"])]
    notes = [f"{code}: Geo-PKO v2.3's yearly site tables for {year} (v2.0's maps cover African missions only): "
             "troops are each location's mean over the year's maps; contributors and their troops as the "
             "year's overview lists them"]
    if asked is not None and year < asked.year:
        notes[0] += f"; the latest year at or before {asked:%Y-%m}"
    grains = [{"grain": "site", "first_month": f"{year}-01", "last_month": f"{year}-12"}]
    return Result(list(SITE_COLUMNS), out, db.source_refs(dict(used)), grains, notes, query, f"{at:%Y-%m}", why)


# the statement of :func:`sites` in parts, which the build's summaries share (query/summary.py):
# each site's contributors, its columns, and their order
SITE_CONTRIBUTORS = """c AS (SELECT c.source_id, c.line,
                          list({'contributor': c.contributor, 'name': c.contributor_name, 'troops': c.troops}
                               ORDER BY c.slot) AS contributors
                   FROM site_contributor c SEMI JOIN s USING (source_id, line) GROUP BY ALL)"""
SITE_SELECT = ("""s.source_id, s.line, s.mission, s.map_date, s.map, s.location, s.country, s.latitude, s.longitude,
               s.troops, s.troops_unknown, s.hq_level, s.reserve_troops, s.force_protection_troops, s.rpf_troops,
               s.unpol, s.unmo, s.liaison, """ + ", ".join(f"u.{t}" for t in UNIT_TYPES) + ", u.source_id, c.contributors")
SITE_JOINS = """LEFT JOIN geopko_unit_year u
             ON u.mission = s.mission AND u.year = year(s.map_date) AND u.location = s.location
        LEFT JOIN c ON c.source_id = s.source_id AND c.line = s.line"""
SITE_ORDER = "s.mission, s.troops DESC NULLS LAST, s.location"


def latest_maps(db: Connection, code: str | None, asked: date | None) -> list[tuple[Any, ...]]:
    """Each mission's (or only ``code``'s) latest map at or before ``asked`` (ties: the
    highest revision, then the last name), as (mission, map_date, map, revision), by mission."""
    all_maps: list[tuple[Any, ...]] = db.once("sites:maps", lambda: db.con.execute(
        "SELECT DISTINCT mission, map_date, map, map_revision FROM deployment_site").fetchall())
    latest: dict[str, tuple[Any, ...]] = {}
    for row in all_maps:
        m, d, name, rev = row
        if (code is not None and m != code) or (asked is not None and d > asked):
            continue
        key = (d, rev if rev is not None else -1, name)
        if m not in latest or key > latest[m][0]:
            latest[m] = (key, row)
    return [latest[m][1] for m in sorted(latest)]


def sites(db: Connection, mission: str | None = None, month: str | date | None = None,
          contributor: "str | Selection | None" = None, location: str | None = None) -> Result:
    """The deployment sites of the latest map at or before ``month`` (default: the latest).

    Without ``mission``, every mission's latest map at or before the month, leaving out
    missions not active then (docs/data-model.md, "Active period"; the note names them). ``contributor``
    (a country or group name, alias or ISO3) keeps the sites where it has troops;
    ``location`` keeps sites whose name contains the text (case-insensitive).

    >>> db.sites(mission="MINUSMA", month="2015-06").notes[0]      # doctest: +SKIP
    'MINUSMA: map Map No. 4506 Rev.9 dated 2015-06 (latest at or before 2015-06)'
    """
    asked = parse_month(month) if month is not None else None
    code, mapped = _mission(db, mission) if mission else (None, True)
    if code is not None and not mapped:  # (only a named mission can be unmapped)
        return _yearly_sites(db, code, asked, contributor, location)
    # each mission's latest map at or before the month (ties: the highest revision, then the
    # last name), picked from the list of maps, which is read once
    all_maps = db.once("sites:maps", lambda: db.con.execute(
        "SELECT DISTINCT mission, map_date, map, map_revision FROM deployment_site").fetchall())
    given, why = asked, None
    if asked is None:
        # the latest month with a map; for one mission, its own last map (a closed mission's
        # sites are where it last stood, not nowhere), saying so where that is earlier
        last_map = latest_month(db, table="deployment_site")
        asked = max((d for m, d, *_ in all_maps if m == code), default=last_map) if code else last_map
        why = (latest_note(table="deployment_site") if asked >= last_map else
               f"{code} has no deployment map after {asked:%Y-%m}: this is its last map "
               f"(the latest map of any mission is dated {last_map:%Y-%m})")
    maps = latest_maps(db, code, asked)
    notes: list[str] = []
    # the query as understood is data a surface writes out (JSON, CSV): a resolved
    # Selection goes in as the names it stands for
    named = contributor if not isinstance(contributor, Selection) else \
        "+".join(contributor.labels or contributor.countries + contributor.groups)
    query = {"mission": code, "month": f"{given:%Y-%m}" if given else None, "contributor": named,
             "location": location}
    at = f"{asked:%Y-%m}"
    if not maps:
        if code is not None:
            first = db.con.execute("SELECT min(map_date) FROM deployment_site WHERE mission = ?",
                                      [code]).fetchall()[0][0]  # an aggregate: one row
            notes.append(f"{code}: no deployment map at or before {asked:%Y-%m}; its first map is dated {first:%Y-%m}")
        else:
            lo, hi = db.con.execute("SELECT min(map_date), max(map_date) FROM deployment_site").fetchall()[0]
            notes.append(f"no deployment map at or before {asked:%Y-%m}"
                         + (f"; the maps are dated {lo:%Y-%m}..{hi:%Y-%m}" if lo else ""))
        return Result(list(SITE_COLUMNS), [], [], [], notes, query, at, why)
    if code is None:
        # a closed mission's last map is not where anyone stands now: only missions active
        # at the month (their period reconciled with the personnel data at build time)
        closed = db.not_active(asked, [m for m, *_ in maps])
        if closed:
            notes.append(f"left out, not active at {asked:%Y-%m}: "
                         + ", ".join(f"{m} ({why})" for m, why in sorted(closed.items())))
            maps = [row for row in maps if row[0] not in closed]
            if not maps:
                return Result(list(SITE_COLUMNS), [], [], [], notes, query, at, why)
    for m, d, name, _ in maps:
        when = f" (latest at or before {asked:%Y-%m}" + (
            f"; {months_between(d, asked)} months older)" if asked and months_between(d, asked) else ")") \
            if asked else " (latest map)"
        notes.append(f"{m}: map {name} dated {d:%Y-%m}{when}")
    chosen = [(m, d, name) for m, d, name, _ in maps]
    picked = ", ".join("(?, ?, ?)" for _ in chosen)
    pparams: list[Any] = [v for row in chosen for v in row]
    filters, fparams = [], []
    if location:
        filters.append("strpos(lower(s.location), lower(?)) > 0")
        fparams.append(location.strip())
    members: list[str] = []
    if contributor:
        members = sorted(_members(db, contributor, asked, query))
        filters.append(f"(s.source_id, s.line) IN (SELECT (source_id, line) FROM site_contributor "
                       f"WHERE contributor IN ({', '.join('?' * len(members)) or 'NULL'}))")
        fparams += members
    # the picked sites first, then their contributors gathered for those sites alone: one
    # row per site throughout, so no grouping over the sites' many columns
    sql = f"""
        WITH s AS (SELECT s.* FROM deployment_site s JOIN (VALUES {picked}) AS p(mission, map_date, map)
                        ON s.mission = p.mission AND s.map_date = p.map_date::DATE AND s.map = p.map
                   {"WHERE " + " AND ".join(filters) if filters else ""}),
             {SITE_CONTRIBUTORS}
        SELECT {SITE_SELECT}
        FROM s {SITE_JOINS}
        ORDER BY {SITE_ORDER}"""
    # one country's sites at a month, or one mission's: what a profile asks, which the build
    # answered ahead (query/summary.py)
    one = None if location else (f"mission={code}" if code is not None and not contributor else
                                 f"contributor={query['contributor']}" if code is None and contributor
                                 and [query["contributor"]] == members else None)
    rows = (db.con.execute(sql, pparams + fparams).fetchall() if one is None else
            db.fetch(("sites", one, "", "site", (asked,)), sql, pparams + fparams))
    out: list[dict[str, Any]] = []
    used: dict[tuple[str, int], list[date]] = defaultdict(list)
    for (sid, _line, m, d, name, loc, country, lat, lon, troops, unknown, hq, res, fp, rpf, unpol, unmo, lo,
         *units, unit_source, contributors) in rows:
        used[("site", sid)].append(d)
        if unit_source is not None:
            used[("site", unit_source)].append(d)
        out.append({"month": at, "mission": m, "map_date": f"{d:%Y-%m}", "map": name, "location": loc, "country": country,
                    "latitude": lat, "longitude": lon, "troops": troops, "troops_unknown": bool(unknown),
                    "hq_level": hq, "reserve_troops": res, "force_protection_troops": fp, "rpf_troops": rpf,
                    "unpol": unpol, "unmo": unmo, "liaison": lo,
                    "unit_types": [{"unit": t, "count": n} for t, n in zip(UNIT_TYPES, units) if n],
                    "contributors": contributors or []})
    if any(r["unit_types"] for r in out):
        notes.append("unit_types: Geo-PKO v2.3 for the location and the map's year; infantry in troops, the "
                     "other types counted over the year's maps (presence, not headcount)")
    if any(r["troops_unknown"] for r in out):
        notes.append("troops NULL where the map gives no figure ('unknown' in Geo-PKO)")
    grains = [{"grain": "site", "first_month": min(f"{d:%Y-%m}" for _, d, _ in chosen),
               "last_month": max(f"{d:%Y-%m}" for _, d, _ in chosen)}]
    return Result(list(SITE_COLUMNS), out, db.source_refs(dict(used)), grains, notes, query, at, why)
