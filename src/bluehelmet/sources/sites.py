"""The sites domain: where contingents stood, from UN deployment maps (Geo-PKO, RADPKO).

Geo-PKO v2.0 (one row per location per map) is the main table; three tables of the
Geo-PKO v2.3 dashboard and RADPKO's yearly base means come beside it, for the missions
v2.0 does not map and as cross-checks. The readers live in ``geopko`` (its docstring says
how each column is read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding
from ..vocab import UNIT_TYPES

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN"]

GEOPKO = "Geo-PKO, Department of Peace and Conflict Research, Uppsala University"
GEOPKO_CITE = "Cil, Fjelde, Hultman and Nilsson (2020), Journal of Peace Research 57(2); Geo-PKO"
DASHBOARD = GEOPKO_CITE + " v2.3 dashboard table, geopko/Geo-PKO-Shiny-Dashboard @b6ba64e9"

LAYOUTS = (
    Layout("geopko_sites", ("geopko/geopko_v2.0.csv",), "deployment_site", 210, GEOPKO,
           GEOPKO_CITE + " v2.0, thaonguyen-ha/GeoPKO @1ec6e911 data/geopko.csv", "geopko:read_geopko"),
    Layout("geopko_front_map", ("geopko/FrontMap_v.2.3.csv",), "geopko_site_map", 220, GEOPKO, DASHBOARD,
           "geopko:read_front_map"),
    Layout("geopko_unit_types", ("geopko/TTMap_v.2.3.csv",), "geopko_unit_type", 225, GEOPKO, DASHBOARD,
           "geopko:read_unit_types"),
    Layout("geopko_site_contributors", ("geopko/TCCMap_v.2.3.csv",), "geopko_site_year", 226, GEOPKO, DASHBOARD,
           "geopko:read_site_contributors"),
    Layout("radpko_bases", ("radpko/radpko_bases_cc_y.csv",), "radpko_base_year", 230,
           "RADPKO (Robust Africa Deployments of Peacekeeping Operations), Hunnicutt and Nomikos",
           "dapp-lab/radpko-shiny @3a5ea5a7 radpko_bases_cc_y.csv", "geopko:read_radpko"),
)

TABLES = """
-- one row per location per UN deployment map (geopko/geopko_v2.0.csv); map_date is the
-- map's year-month; troops NULL when the source says 'unknown'; hq 3 mission, 2 sector, 1 lower
CREATE TABLE deployment_site (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    map VARCHAR, map_no VARCHAR, map_revision INTEGER, year INTEGER NOT NULL, month INTEGER,
    map_date DATE NOT NULL, location VARCHAR NOT NULL, country VARCHAR NOT NULL, country_name VARCHAR,
    latitude DOUBLE, longitude DOUBLE, troops BIGINT, troops_unknown BOOLEAN, rpf BOOLEAN,
    rpf_troops BIGINT, reserve BOOLEAN, reserve_troops BIGINT, force_protection BOOLEAN,
    force_protection_troops BIGINT, unpol BOOLEAN, unmo BOOLEAN, hq INTEGER, hq_code VARCHAR,
    hq_level VARCHAR, liaison BOOLEAN, tcc_count INTEGER, adm1 VARCHAR, adm2 VARCHAR, prio_gid INTEGER,
    comments VARCHAR);
-- the site's contributors (slots 1-14 of the source row at source_id, line)
CREATE TABLE site_contributor (source_id INTEGER NOT NULL, line INTEGER NOT NULL, slot INTEGER NOT NULL,
    contributor VARCHAR, contributor_name VARCHAR NOT NULL, troops BIGINT);
-- cross-check tables: Geo-PKO v2.3 FrontMap (location x map, year only) and RADPKO yearly base means
CREATE TABLE geopko_site_map (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, country_name VARCHAR, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE,
    infantry BIGINT, troops BIGINT, reserve BIGINT, hq BIGINT, unpol BIGINT, medical BIGINT, aviation BIGINT,
    unmo BIGINT, avg_troops BIGINT);
CREATE TABLE radpko_base_year (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    country_name VARCHAR, base VARCHAR NOT NULL, month DATE, year INTEGER NOT NULL, latitude DOUBLE,
    longitude DOUBLE, pko_deployed DOUBLE, troops DOUBLE, police DOUBLE, observers DOUBLE, contributors DOUBLE);
-- unit types per location and year (geopko/TTMap_v.2.3.csv, a table of the Geo-PKO
-- dashboard), as published and undocumented: infantry reads as troops (35, 150, 650 are
-- Geo-PKO's platoon, company and battalion sizes); the other types are small counts that
-- match the number of the year's maps in 120 of 159 mission-years and exceed it in 12, so
-- they read as unit appearances summed over the year's maps: presence and how often, not
-- headcounts
CREATE TABLE geopko_unit_type (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, infantry BIGINT,
    engineering BIGINT, medical BIGINT, signals BIGINT, aviation BIGINT, riverine BIGINT, maintenance BIGINT,
    transport BIGINT);
-- contributors per location and year (geopko/TCCMap_v.2.3.csv): the table's overview text
-- ("Austria (650), India (150)") parsed; troops NULL where it says "size unknown";
-- contributor NULL, name as written, for labels that name no country ("TCC name unknown",
-- "Multinational", "CARICOM", "Un")
CREATE TABLE geopko_site_year (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    year INTEGER NOT NULL, location VARCHAR NOT NULL, latitude DOUBLE, longitude DOUBLE, tcc_count INTEGER,
    contributors STRUCT(contributor VARCHAR, name VARCHAR, troops BIGINT)[]);
"""


# Geo-PKO v2.0 covers African missions only; the other sources are compared on those.
_V20_MISSIONS = "(SELECT DISTINCT mission FROM deployment_site)"


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """Troops per mission-year, Geo-PKO v2.0 against v2.3 FrontMap and against RADPKO.

    v2.3 dates its rows by year only and gives each location's mean troops over the year's
    maps, so v2.0 is compared the same way (per location, then summed). RADPKO holds yearly means per base, so v2.0 is compared as the mean of
    its maps' totals in the year.
    """
    # v2.3 lists a location again only in maps where its figures changed, with the
    # location's mean over the year's maps in ave.no.troops: compare those means, summed
    loc_mean = """SELECT make_date(year, 1, 1) AS month, mission, 'troops' AS type,
                         round(avg(troops))::BIGINT AS total, min(source_id) AS source_id
                  FROM deployment_site GROUP BY year, mission, location"""
    front = f"""SELECT DISTINCT make_date(year::INTEGER, 1, 1) AS month, mission, location, 'troops' AS type,
                       avg_troops AS total, source_id
                FROM geopko_site_map WHERE mission IN {_V20_MISSIONS}"""
    map_mean = """SELECT make_date(year, 1, 1) AS month, mission, 'troops' AS type,
                         round(avg(total))::BIGINT AS total, min(source_id) AS source_id
                  FROM (SELECT year, mission, map, map_date, sum(troops) AS total, min(source_id) AS source_id
                        FROM deployment_site GROUP BY ALL) GROUP BY ALL"""
    radpko = f"""SELECT make_date(year::INTEGER, 1, 1) AS month, mission, 'troops' AS type,
                        round(sum(troops))::BIGINT AS total, min(source_id) AS source_id
                 FROM radpko_base_year WHERE mission IN {_V20_MISSIONS} GROUP BY ALL"""
    return [
        Check("geopko:v20_vs_v23", loc_mean, f"SELECT month, mission, type, total, source_id FROM ({front})",
              ("mission",), "Geo-PKO v2.0 (per-location mean over the year's maps, summed)",
              "Geo-PKO v2.3 FrontMap (ave.no.troops per location, summed)"),
        Check("geopko:v20_vs_radpko", map_mean, radpko, ("mission",),
              "Geo-PKO v2.0 (mean of the year's map totals)", "RADPKO (sum of yearly base means, untrp)"),
    ]


def derive(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """``geopko_unit_year``: the unit types of a location in a year, one row per mission,
    year and location (the largest count where the table lists a location twice), as
    every sites answer joins them; aggregated here once, not per question."""
    units = ", ".join(f"max({t})::BIGINT AS {t}" for t in UNIT_TYPES)
    con.execute(f"""
        CREATE TABLE geopko_unit_year AS
        SELECT mission, year, location, {units}, min(source_id) AS source_id
        FROM geopko_unit_type GROUP BY ALL ORDER BY mission, year, location""")


def findings(con: "duckdb.DuckDBPyConnection", out: list[Finding]) -> None:
    """One line per cross-check: how far the sources agree."""
    for name, cells, differing, abs_diff, first, last in con.execute("""
            SELECT check_name, cells, differing, abs_diff, first_month, last_month
            FROM reconciliation_summary WHERE check_name LIKE 'geopko:%' ORDER BY check_name""").fetchall():
        out.append(Finding(None, "sites_cross_check",
                           f"{name}: {differing} of {cells} mission-years differ ({first:%Y}-{last:%Y}), "
                           f"absolute difference {abs_diff} troops in all", int(differing)))


DOMAIN = Domain(
    name="sites",
    summary="deployment locations per UN map, with troops, unit types and contributors",
    layouts=LAYOUTS,
    tables=TABLES,
    derive=derive,
    # maps by their month; the v2.3 and RADPKO tables by year (January to December)
    coverage=" UNION ALL ".join(
        ["SELECT source_id, date_trunc('month', map_date)::DATE AS month FROM deployment_site"]
        + [f"SELECT source_id, make_date(year::INTEGER, m, 1) FROM {t}, (VALUES (1), (12)) AS v(m)"
           for t in ("geopko_site_map", "geopko_unit_type", "geopko_site_year", "radpko_base_year")]),
    checks=checks,
    findings=findings,
)
