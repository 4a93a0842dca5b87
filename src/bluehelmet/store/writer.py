"""Writing a new database: reference data, observations, resolution to one value per cell.

Everything here runs inside a fresh database file that the build swaps in only at the end.
"""

from __future__ import annotations

from typing import Iterable

import duckdb
import pyarrow as pa

from ..reference import country_index, group_index
from ..sources.base import Finding, LayoutResult, Problem, SourceFile
from .schema import COARSE_SQL, DDL

__all__ = ["create", "write_reference", "write_sources", "write_observations", "write_table", "write_problems",
           "write_missions", "write_spellings", "resolve", "GRAIN_TABLES"]

# resolved table per grain, and the key columns a cell has at that grain
GRAIN_TABLES = {
    "detail": ("personnel", ("contributor", "mission")),
    "contributor": ("personnel_contributor", ("contributor",)),
    "mission": ("personnel_mission", ("mission",)),
    "world": ("personnel_world", ()),
}


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def write_reference(con: duckdb.DuckDBPyConnection) -> None:
    idx = country_index()
    countries = pa.Table.from_pylist([
        {"iso3": c.iso3, "m49": c.m49, "name": c.name, "official_name": c.official_name,
         "region": c.region, "subregion": c.subregion, "continent": c.continent,
         "valid_from": c.valid_from, "valid_to": c.valid_to, "successors": list(c.successors)}
        for c in idx.countries.values()])
    con.register("_c", countries)
    con.execute("INSERT INTO country SELECT iso3, m49, name, official_name, region, subregion, continent, "
                "valid_from::DATE, valid_to::DATE, successors FROM _c")
    aliases = pa.table({"k": list(idx.aliases), "i": list(idx.aliases.values()),
                        "o": [idx.alias_origin.get(k) for k in idx.aliases]})
    con.register("_a", aliases)
    con.execute("INSERT INTO country_alias SELECT k, i, o FROM _a")
    gi = group_index()
    con.register("_g", pa.Table.from_pylist([g.__dict__ for g in gi.groups.values()]))
    con.execute("INSERT INTO country_group_info SELECT code, name, kind, description FROM _g")
    con.register("_m", pa.Table.from_pylist([m.__dict__ for m in gi.members]))
    con.execute("INSERT INTO country_group SELECT \"group\", iso3, valid_from::DATE, valid_to::DATE, "
                "note FROM _m")
    for name in ("_c", "_a", "_g", "_m"):
        con.unregister(name)


def write_sources(con: duckdb.DuckDBPyConnection, files: Iterable[tuple[SourceFile, str, int]]) -> None:
    """The source_file rows, with the months each file's observations cover."""
    coverage = {sid: (f, t) for sid, f, t in con.execute("""
        SELECT source_id, min(month), max(month) FROM (
            SELECT source_id, month FROM obs_detail UNION ALL SELECT source_id, month FROM obs_contributor
            UNION ALL SELECT source_id, month FROM obs_mission UNION ALL SELECT source_id, month FROM obs_world)
        GROUP BY source_id""").fetchall()}
    rows = [{"source_id": sf.source_id, "relpath": sf.relpath, "layout": sf.layout, "target": target,
             "precedence": prec, "sha256": sf.sha256, "bytes": sf.size, "producer": sf.producer,
             "citation": sf.citation, "release": sf.release or None, "rows_read": sf.rows_read,
             "rows_loaded": sf.rows_loaded, "rows_quarantined": sf.rows_quarantined,
             "coverage_from": coverage.get(sf.source_id, (None, None))[0],
             "coverage_to": coverage.get(sf.source_id, (None, None))[1]}
            for sf, target, prec in files]
    con.register("_s", pa.Table.from_pylist(rows))
    con.execute("INSERT INTO source_file SELECT * FROM _s")
    con.unregister("_s")


# INCLUDE NULLS: the CSV releases have totals but no gender, and a plain UNPIVOT drops
# every row with a null in any value column.
_DETAIL_UNPIVOT = """
    SELECT source_id, line, date AS month, contributor, mission, type, male, female, total
    FROM _w UNPIVOT INCLUDE NULLS ((male, female, total) FOR type IN (
        (troops_male, troops_female, troops_total) AS troops,
        (formed_police_male, formed_police_female, formed_police_total) AS formed_police,
        (individual_police_male, individual_police_female, individual_police_total) AS individual_police,
        (experts_male, experts_female, experts_total) AS experts,
        (total_male, total_female, total_total) AS total))
    WHERE total IS NOT NULL OR male IS NOT NULL OR female IS NOT NULL
"""



def write_observations(con: duckdb.DuckDBPyConnection, result: LayoutResult, target: str) -> None:
    """Put one layout's rows where they belong; IPI ``all`` rows go to their coarser grain."""
    table = result.table
    if table is None or table.num_rows == 0:
        return
    con.register("_w", table)
    if target == "detail":
        con.execute(f"CREATE OR REPLACE TEMP TABLE _long AS {_DETAIL_UNPIVOT}")
        con.execute("""
            INSERT INTO obs_detail SELECT * FROM _long WHERE contributor <> 'all' AND mission <> 'all';
            INSERT INTO obs_contributor SELECT source_id, line, month, contributor, type, male, female, total
                FROM _long WHERE contributor <> 'all' AND mission = 'all';
            INSERT INTO obs_mission SELECT source_id, line, month, mission, type, male, female, total
                FROM _long WHERE contributor = 'all' AND mission <> 'all';
            INSERT INTO obs_world SELECT source_id, line, month, type, male, female, total
                FROM _long WHERE contributor = 'all' AND mission = 'all';
            DROP TABLE _long;""")
    else:
        keys = {"contributor": "contributor,", "mission": "mission,", "world": ""}[target]
        types = [t for t in ("troops", "police", "experts", "total") if t in table.column_names]
        drop = [c for c in table.column_names
                if c not in ("source_id", "line", "date", "contributor", "mission", *types)]
        inner = "_w" if not drop else f"(SELECT * EXCLUDE ({', '.join(drop)}) FROM _w)"
        con.execute(f"""INSERT INTO obs_{target}
            SELECT source_id, line, date, {keys} type, NULL, NULL, total
            FROM (UNPIVOT {inner} ON {', '.join(types)} INTO NAME type VALUE total)""")
    con.unregister("_w")
    loaded = dict(zip(*table.group_by("source_id").aggregate([("line", "count")])
                      .select(["source_id", "line_count"]).to_pydict().values()))
    for sf in result.files:
        sf.rows_loaded = int(loaded.get(sf.source_id, 0))


def write_table(con: duckdb.DuckDBPyConnection, result: LayoutResult, target: str) -> None:
    """Rows of a layout that has a table of its own: ``result.table`` goes to ``target``
    (one row per source row loaded), each ``result.extra`` table to the table of its name.
    Columns are matched by name; the schema (store/schema.py) decides what is kept."""
    if result.table is not None and result.table.num_rows:
        con.register("_t", result.table)
        con.execute(f"INSERT INTO {target} BY NAME SELECT * FROM _t")
        con.unregister("_t")
        counts = result.table.group_by("source_id").aggregate([("source_id", "count")]).to_pydict()
        loaded = dict(zip(counts["source_id"], counts["source_id_count"]))
    else:
        loaded = {}
    for name, extra in result.extra.items():
        if extra.num_rows:
            con.register("_x", extra)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _x")
            con.unregister("_x")
    for sf in result.files:
        sf.rows_loaded = int(loaded.get(sf.source_id, 0))


def write_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem], findings: list[Finding]) -> None:
    if problems:
        con.register("_q", pa.Table.from_pylist([p.__dict__ for p in problems]))
        con.execute('INSERT INTO quarantine SELECT source_id, line, "column", reason, raw FROM _q')
        con.unregister("_q")
    if findings:
        con.register("_f", pa.Table.from_pylist([f.__dict__ for f in findings]))
        con.execute("INSERT INTO finding SELECT source_id, kind, message, count FROM _f")
        con.unregister("_f")


def write_spellings(con: duckdb.DuckDBPyConnection, spellings: list[tuple[str, str, int]]) -> None:
    """Every spelling of a country met in the sources, with the file it was met in."""
    spellings = sorted(set(spellings))  # row-wise adapters note a spelling once per row
    if spellings:
        con.register("_sp", pa.table(dict(zip(("spelling", "iso3", "source_id"), map(list, zip(*spellings))))))
        con.execute("INSERT INTO country_spelling SELECT DISTINCT spelling, iso3, source_id FROM _sp")
        con.unregister("_sp")


def write_missions(con: duckdb.DuckDBPyConnection, refs: list[tuple[LayoutResult, int]],
                   findings: list[Finding]) -> None:
    """One row per mission: the reference lists in precedence order, then missions only
    the personnel sources name (reported: they are political missions or unknown).

    ``refs`` holds the mission reference layouts and any other layout with a
    ``mission_host`` extra (IPI's mission files name each mission's host country).
    """
    from ..sources.un_missions import swapped_coordinates

    parts, hosts = [], []
    for result, prec in refs:
        if result.table is not None and "acronym" in result.table.column_names:
            parts.append(result.table.append_column("precedence", pa.array([prec] * result.table.num_rows,
                                                                           pa.int32())))
        if "mission_host" in result.extra:
            hosts.append(result.extra["mission_host"])
    if hosts:
        con.register("_h", pa.concat_tables(hosts))
        con.execute("INSERT INTO mission_host SELECT DISTINCT ON (acronym, iso3) acronym, iso3, source_id "
                    "FROM _h ORDER BY acronym, iso3, source_id")
        con.unregister("_h")
    if parts:
        con.register("_r", pa.concat_tables(parts))
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
            FROM _r GROUP BY acronym""")
        con.unregister("_r")
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


# What one precedence choice covers. A monthly table (a detail file, a release, a mission
# or world table) speaks for the whole month: a contributor missing from it deployed
# nobody. Contributor totals come one file per country, so each file speaks only for its
# own contributor: TCC-DataScraper's Switzerland.csv holds one month, and PPP_Loader's
# file must answer for Switzerland in every other month.
RESOLVE_SCOPE = {"detail": ("month",), "contributor": ("month", "contributor"),
                 "mission": ("month",), "world": ("month",)}


def resolve(con: duckdb.DuckDBPyConnection) -> None:
    """One value per cell: within each scope (see RESOLVE_SCOPE) the best-precedence layout."""
    for grain, (table, keys) in GRAIN_TABLES.items():
        key_sql = "".join(f"{k}, " for k in keys)
        scope = ", ".join(RESOLVE_SCOPE[grain])
        type_sql = "type" if grain == "detail" else COARSE_SQL
        con.execute(f"""
            CREATE TABLE {table} AS
            WITH o AS (SELECT o.*,
                              -- aggregate rows of a finer file rank after every native source
                              s.precedence + CASE WHEN s.target = '{grain}' THEN 0 ELSE 100 END AS precedence
                       FROM obs_{grain} o JOIN source_file s USING (source_id) WHERE o.type <> 'total'),
                 best AS (SELECT {scope}, min(precedence) AS precedence FROM o GROUP BY {scope})
            SELECT month, {key_sql}{type_sql} AS type, sum(male)::BIGINT AS male,
                   sum(female)::BIGINT AS female, sum(total)::BIGINT AS total, min(source_id) AS source_id
            FROM o JOIN best USING ({scope}, precedence)
            GROUP BY ALL ORDER BY month, {key_sql}type""")
    con.execute("""
        CREATE TABLE coverage AS
        SELECT DISTINCT 'detail' AS grain, month, source_id FROM personnel UNION ALL
        SELECT DISTINCT 'contributor', month, source_id FROM personnel_contributor UNION ALL
        SELECT DISTINCT 'mission', month, source_id FROM personnel_mission UNION ALL
        SELECT DISTINCT 'world', month, source_id FROM personnel_world""")
