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
from ..records import Finding

if TYPE_CHECKING:
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
    hq_lat DOUBLE, in_reference BOOLEAN NOT NULL, source_ids INTEGER[]);
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
    from .un_missions import swapped_coordinates  # numpy and the city table: only when building

    con.execute("""INSERT INTO mission_host SELECT DISTINCT ON (acronym, iso3) acronym, iso3, source_id
                   FROM mission_host_source ORDER BY acronym, iso3, source_id""")
    con.execute("""
        INSERT INTO mission
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
    # swapped latitude/longitude, judged against the host countries
    rows = con.execute("""SELECT m.acronym, m.hq_lon, m.hq_lat, list(h.iso3)
        FROM mission m JOIN mission_host h USING (acronym)
        WHERE m.hq_lon IS NOT NULL GROUP BY ALL""").fetchall()
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
    for acronym, sids in unknown:
        con.execute("INSERT INTO mission (acronym, in_reference, source_ids) VALUES (?, false, ?)",
                    [acronym, sids])
        findings.append(Finding(sids[0], "mission_not_in_reference",
                                f"mission {acronym!r} is in the personnel data but in no mission list; "
                                "kept, with no dates or host"))


DOMAIN = Domain(
    name="missions",
    summary="the mission reference: names, departments, dates, headquarters, host countries",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write_reference,
    derive=merge,
)
