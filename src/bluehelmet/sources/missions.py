"""The missions domain: the mission reference (names, departments, dates, HQ, hosts).

Three lists name missions (the UN's mission list, a third-party host crosswalk and IPI's
missions.json); IPI's mission totals name each mission's host country too. Each reader's
rows are kept as read in ``mission_source`` and ``mission_host_source`` (any layout may
contribute host rows through ``extra["mission_host_source"]``); :func:`merge` then makes
one ``mission`` row per acronym, each field from the best-precedence list that has it,
repairs swapped HQ coordinates, and adds the missions that only personnel sources name.
The readers live in ``un_missions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..months import months_between
from ..records import Finding
from ..vocab import GRAINS

if TYPE_CHECKING:
    import datetime as dt

    import duckdb

    from ..records import LayoutResult

__all__ = ["DOMAIN"]

UN = "UN Department of Peace Operations, Peace and Security Data Hub"

LAYOUTS = (
    Layout("un_pko_missions", ("un/DPPADPOSS-PKO.csv",), "mission_ref", 10, UN,
           "UN Peace and Security Data Hub DPPADPOSS-PKO, via tdballesteros/conflict-relapse @b82b6c1c",
           "un_missions:read_pko"),
    Layout("un_pko_crosswalk", ("un/unpko_country_crosswalk.xlsx",), "mission_ref", 20,
           "tdballesteros/conflict-relapse (third-party crosswalk)",
           "tdballesteros/conflict-relapse @b82b6c1c unpko_country_crosswalk.xlsx", "un_missions:read_crosswalk"),
    Layout("ipi_ppp_missions_json", ("ipi/ppp-loader/missions.json",), "mission_ref", 30,
           "International Peace Institute (IPI)", "IPIDataLab/PPP_Loader python/json/missions.json",
           "un_missions:read_ipi_missions"),
)

TABLES = """
CREATE TABLE mission (acronym VARCHAR PRIMARY KEY, name VARCHAR, lead_department VARCHAR,
    type VARCHAR, active BOOLEAN, start_date DATE, end_date DATE, hq VARCHAR, hq_lon DOUBLE,
    hq_lat DOUBLE, in_reference BOOLEAN NOT NULL, source_ids INTEGER[],
    -- the active period reconciled with the personnel data (see period below): months as
    -- their first day; active_to NULL with period_basis 'open' is a mission still running
    first_personnel DATE, last_personnel DATE, active_from DATE, active_to DATE, period_basis VARCHAR);
CREATE TABLE mission_host (acronym VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, source_id INTEGER);
-- what each list said, before the merge
CREATE TABLE mission_source (source_id INTEGER NOT NULL, line INTEGER NOT NULL, acronym VARCHAR NOT NULL,
    name VARCHAR, lead_department VARCHAR, active BOOLEAN, start_date DATE, end_date DATE, hq VARCHAR,
    hq_lon DOUBLE, hq_lat DOUBLE);
CREATE TABLE mission_host_source (source_id INTEGER NOT NULL, line INTEGER, acronym VARCHAR NOT NULL,
    iso3 VARCHAR NOT NULL);
"""


def write_reference(con: "duckdb.DuckDBPyConnection", result: "LayoutResult", layout: Layout) -> None:
    """A list's rows into ``mission_source``. A record is loaded unless quarantined: a
    mission whose host code is unknown is kept (its host is the quarantined part)."""
    if result.table is not None and result.table.num_rows:
        con.register("_r", result.table)
        con.execute("INSERT INTO mission_source BY NAME SELECT * FROM _r")
        con.unregister("_r")
    for sf in result.files:
        sf.rows_loaded = sf.rows_read - sum(q.source_id == sf.source_id for q in result.problems)


def merge(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """One row per mission: the reference lists in precedence order, then missions only
    the personnel sources name (reported: they are political missions or unknown)."""
    from ..reference.missions import mission_aliases, other_missions
    from .geo import swapped_coordinates  # numpy and the city table: only when building

    # a list's other acronym for a mission is the mission's (the personnel rows were
    # renamed when they were resolved, with a finding: sources/personnel.py)
    for a in mission_aliases():
        for table in ("mission_source", "mission_host_source"):
            con.execute(f"UPDATE {table} SET acronym = ? WHERE acronym = ?", [a.acronym, a.alias])
    con.execute("""INSERT INTO mission_host SELECT DISTINCT ON (acronym, iso3) acronym, iso3, source_id
                   FROM mission_host_source ORDER BY acronym, iso3, source_id""")
    con.execute("""
        INSERT INTO mission (acronym, name, lead_department, type, active, start_date, end_date, hq, hq_lon,
                             hq_lat, in_reference, source_ids)
        SELECT acronym,
               first(name ORDER BY precedence) FILTER (WHERE name IS NOT NULL),
               first(lead_department ORDER BY precedence) FILTER (WHERE lead_department IS NOT NULL),
               NULL,
               first(active ORDER BY precedence) FILTER (WHERE active IS NOT NULL),
               first(start_date ORDER BY precedence) FILTER (WHERE start_date IS NOT NULL),
               first(end_date ORDER BY precedence) FILTER (WHERE end_date IS NOT NULL),
               first(hq ORDER BY precedence) FILTER (WHERE hq IS NOT NULL),
               first(hq_lon ORDER BY precedence) FILTER (WHERE hq_lon IS NOT NULL),
               first(hq_lat ORDER BY precedence) FILTER (WHERE hq_lat IS NOT NULL),
               true, list(DISTINCT source_id ORDER BY source_id)
        FROM mission_source JOIN source_file USING (source_id) GROUP BY acronym""")
    con.execute("""UPDATE mission SET type = CASE lead_department WHEN 'DPO' THEN 'peacekeeping'
                   WHEN 'DPKO' THEN 'peacekeeping' WHEN 'DPPA' THEN 'political' END""")
    # swapped latitude/longitude, judged against the host countries (in acronym order: the
    # findings' order is the report's, and must not hang on how DuckDB hashed the groups)
    rows = con.execute("""SELECT m.acronym, m.hq_lon, m.hq_lat, list(h.iso3)
        FROM mission m JOIN mission_host h USING (acronym)
        WHERE m.hq_lon IS NOT NULL GROUP BY ALL ORDER BY m.acronym""").fetchall()
    for acronym, lon, lat, host in rows:
        swapped, as_is, turned = swapped_coordinates(lon, lat, host)
        if swapped:
            con.execute("UPDATE mission SET hq_lon = ?, hq_lat = ? WHERE acronym = ?", [lat, lon, acronym])
            findings.append(Finding(None, "swapped_coordinates",
                                    f"{acronym}: HQ longitude/latitude were swapped ({lon}, {lat}); "
                                    f"{as_is:.0f} km from the nearest {'/'.join(host)} city as written, "
                                    f"{turned:.0f} km swapped; stored swapped back"))
    unknown = con.execute("""
        SELECT mission, list(DISTINCT source_id ORDER BY source_id) FROM (
            SELECT mission, source_id FROM obs_detail UNION ALL SELECT mission, source_id FROM obs_mission)
        WHERE mission NOT IN (SELECT acronym FROM mission) GROUP BY mission ORDER BY mission""").fetchall()
    described = {m.acronym for m in other_missions()}
    for acronym, sids in unknown:
        con.execute("INSERT INTO mission (acronym, in_reference, source_ids) VALUES (?, false, ?)",
                    [acronym, sids])
        # bluehelmet's own reference describes it (fill_from_reference says what it filled)
        how = ("described from bluehelmet's reference (missions_other.csv), with no dates"
               if acronym in described else "kept, with no dates")
        findings.append(Finding(sids[0], "mission_not_in_reference",
                                f"mission {acronym!r} is in the personnel data but in no source's mission list; "
                                + how))
    fill_from_reference(con, findings)
    period(con, findings)


def fill_from_reference(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """Name, kind, hosts and HQ of the political missions and offices that no source list
    describes, from the package's ``missions_other.csv``: only where the lists leave a
    field empty, and each mission filled is a finding (the lists stay the evidence)."""
    from ..reference.missions import other_missions
    from .geo import city_point

    have = {a: (name, typ, hq, lon) for a, name, typ, hq, lon in con.execute(
        "SELECT acronym, name, type, hq, hq_lon FROM mission").fetchall()}
    hosted = {a for (a,) in con.execute("SELECT DISTINCT acronym FROM mission_host").fetchall()}
    for m in other_missions():
        if m.acronym not in have:
            continue  # not in these data: nothing to describe
        name, typ, hq, lon = have[m.acronym]
        filled = []
        if name is None:
            filled.append("name")
        if typ is None:
            filled.append("kind")
        if hq is None:
            filled.append("HQ")
        point = city_point(hq or m.hq, m.hosts) if lon is None else None
        if point:
            filled.append("HQ coordinates")
        con.execute("""UPDATE mission SET name = coalesce(name, ?), type = coalesce(type, ?), hq = coalesce(hq, ?),
                       hq_lat = coalesce(hq_lat, ?), hq_lon = coalesce(hq_lon, ?) WHERE acronym = ?""",
                    [m.name, m.kind, m.hq, point[0] if point else None, point[1] if point else None, m.acronym])
        if m.acronym not in hosted and m.hosts:
            con.executemany("INSERT INTO mission_host VALUES (?, ?, NULL)", [[m.acronym, h] for h in m.hosts])
            filled.append("hosts")
        if filled:
            findings.append(Finding(None, "mission_reference_filled",
                                    f"{m.acronym}: {', '.join(filled)} from bluehelmet's reference "
                                    f"(missions_other.csv{'; ' + m.established_by if m.established_by else ''})",
                                    len(filled)))


#: a mission the list calls active (or does not know) but with no personnel for this many
#: months before the data's last month is taken to have ended at its last personnel month.
#: The official reports are monthly: a running mission has personnel in every one of them,
#: so half a year without is an end (MINUSMA and UNSOM, last personnel 2024-10, data to
#: 2025-07; a year would have kept both open).
STALE_MONTHS = 6

# the grains whose rows name a mission (detail, mission), from the shared vocabulary
_MISSION_TABLES = tuple(g["table"] for g in GRAINS.values() if g["mission"])


def period(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """Each mission's active period: the mission list's dates reconciled with the months in
    which the resolved personnel tables give it anyone (docs/data-model.md, "Active period").

    ``active_from`` is the list's start month, else the first personnel month. ``active_to``
    is the list's end month (``period_basis`` ``end_date``); else, where the list says ended
    without a date, the last personnel month (``inactive_flag``); else, where the last
    personnel month lies ``STALE_MONTHS`` or more before the data's last month, that month
    (``no_recent_personnel``); else open (``open``). A mission the list calls ended with no
    date and no personnel is ``ended_undated``: active at no month. Where the list's flag or
    end date disagrees with the personnel months, a ``mission_period_disagrees`` finding.
    """
    months = " UNION ".join(f"SELECT mission, month FROM {t} GROUP BY ALL HAVING sum(total) > 0"
                            for t in _MISSION_TABLES)
    con.execute(f"""UPDATE mission SET first_personnel = s.f, last_personnel = s.l
        FROM (SELECT mission, min(month) AS f, max(month) AS l FROM ({months}) GROUP BY mission) s
        WHERE mission.acronym = s.mission""")
    data_last = con.execute(f"SELECT max(month) FROM ({months})").fetchall()[0][0]
    rows = con.execute("""SELECT acronym, active, start_date, end_date, first_personnel, last_personnel,
                                  in_reference, source_ids FROM mission ORDER BY acronym""").fetchall()
    periods: list[tuple[str, "dt.date | None", "dt.date | None", str]] = []
    for acronym, active, start, end, first, last, listed, sids in rows:
        begin = start.replace(day=1) if start is not None else first
        stale = last is not None and data_last is not None and months_between(last, data_last) >= STALE_MONTHS
        if end is not None:
            until, basis = end.replace(day=1), "end_date"
        elif active is False:
            until, basis = last, ("inactive_flag" if last is not None else "ended_undated")
        elif stale:
            until, basis = last, "no_recent_personnel"
        else:
            until, basis = None, "open"
        periods.append((acronym, begin, until, basis))
        if not listed or active is None or last is None:
            continue  # no list's word to weigh, or no personnel months to weigh it against
        said = f"{acronym}: the UN mission list says " + (
            f"active{' with end date ' + end.isoformat() if end else ', no end date'}" if active
            else f"ended{' ' + end.isoformat() if end else ', no end date'}")
        why = None
        if end is not None and months_between(end, last) > 0:
            n = months_between(end, last)
            why = f"but personnel are recorded until {last:%Y-%m} ({n} month{'s' if n > 1 else ''} after its end month)"
        elif active and end is not None:
            why = f"but it gives an end date ({end:%Y-%m}, last personnel {last:%Y-%m})"
        elif active and stale:
            why = (f"but no personnel since {last:%Y-%m} while the data run to {data_last:%Y-%m}; "
                   f"taken as ended {last:%Y-%m}")
        elif not active and end is None and last == data_last:
            why = f"but personnel are recorded to the data's last month ({data_last:%Y-%m})"
        if why:
            findings.append(Finding(sids[0] if sids else None, "mission_period_disagrees", f"{said}, {why}"))
    if periods:  # one statement: a row at a time costs a round trip each
        values = ", ".join("(?, ?::DATE, ?::DATE, ?)" for _ in periods)
        con.execute(f"""UPDATE mission SET active_from = v.f, active_to = v.t, period_basis = v.b
            FROM (VALUES {values}) AS v(a, f, t, b) WHERE mission.acronym = v.a""",
                    [x for row in periods for x in row])


DOMAIN = Domain(
    name="missions",
    summary="the mission reference: names, departments, dates, headquarters, host countries",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write_reference,
    derive=merge,
)
