"""The fatalities domain: peacekeepers who died, incident by incident and in aggregate.

The official incident-level list (``fatality``) and a scholarly aggregate by nationality x
mission x month (``fatality_month``), read by ``fatality_readers`` (its docstring says how
nationalities and missions are read). Missions are kept as written; the checks compare the
two files per mission and year, and the findings name what only one of them has.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN", "CAUSES", "PERSONNEL_CATEGORIES"]

LAYOUTS = (
    Layout("un_fatalities", ("un/DPPADPOSS-FATALITIES.csv",), "fatality", 120,
           "UN Department of Peace Operations, Peace and Security Data Hub",
           "UN Peace and Security Data Hub DPPADPOSS-FATALITIES (last_update 2023-11-28), via "
           "OCHA-DAP/hdx-scraper-peacekeeping @d6909371", "fatality_readers:read_un_fatalities"),
    Layout("mandates_fatalities", ("mandates/Contigent-mission-month_data.dta",), "fatality_month", 130,
           "Trey Wood, Mandate_Contribute (from UN peacekeeping fatality records)",
           "treywood10/Mandate_Contribute @fddf06f9 Make_Data/PKO_Deaths/Contigent-mission-month_data.dta",
           "fatality_readers:read_fatality_aggregates"),
)

TABLES = """
-- official incident-level fatalities, one row per casualty (un/DPPADPOSS-FATALITIES.csv)
CREATE TABLE fatality (source_id INTEGER NOT NULL, line INTEGER NOT NULL, casualty_id VARCHAR,
    incident_date DATE NOT NULL, month DATE NOT NULL, mission VARCHAR NOT NULL, nationality VARCHAR,
    nationality_name VARCHAR, personnel_type VARCHAR, incident_type VARCHAR, casualty_type VARCHAR,
    gender VARCHAR);

-- fatalities aggregated by nationality x mission x month (mandates/Contigent-mission-month_data.dta)
CREATE TABLE fatality_month (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    mission VARCHAR NOT NULL, nationality VARCHAR, nationality_name VARCHAR, illness BIGINT,
    accident BIGINT, malicious BIGINT, other BIGINT, total BIGINT, military BIGINT, observers BIGINT,
    police BIGINT, local_staff BIGINT, international_staff BIGINT, other_staff BIGINT);
"""

# official type_of_incident -> the aggregate's cause column. The aggregate has no
# "To Be Determined", "Self-Inflicted" or "Unknown"; its "Other" is compared with their sum.
CAUSES = {"Illness": "illness", "Accident": "accident", "Malicious Act": "malicious",
          "To Be Determined": "other", "Self-Inflicted": "other", "Unknown": "other"}
# official casualty_personnel_type -> the aggregate's personnel column
PERSONNEL_CATEGORIES = {"Military": "military", "Military Observer": "observers", "Police": "police",
                        "Local": "local_staff", "International Civilian": "international_staff",
                        "Other": "other_staff"}


def _span(con: "duckdb.DuckDBPyConnection") -> tuple[dt.date, dt.date] | None:
    """First and last month both files cover. The aggregate ends in June 2015, so its
    last year is compared over its months only, not against the whole official year."""
    span = con.execute("""SELECT greatest(a.lo, b.lo), least(a.hi, b.hi) FROM
        (SELECT min(month) lo, max(month) hi FROM fatality) a,
        (SELECT min(month) lo, max(month) hi FROM fatality_month) b""").fetchone()
    if not span or span[0] is None or span[1] is None or span[0] > span[1]:
        return None
    return span[0], span[1]


def _years(con: "duckdb.DuckDBPyConnection") -> tuple[dt.date, ...]:
    """January 1st of every year both files cover (the aggregate's span within the official one's)."""
    span = _span(con)
    if span is None:
        return ()
    return tuple(dt.date(y, 1, 1) for y in range(span[0].year, span[1].year + 1))


_CAUSE_SQL = "CASE incident_type " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CAUSES.items()) + \
    " ELSE 'other' END"
_KIND_SQL = "CASE personnel_type " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PERSONNEL_CATEGORIES.items()) + \
    " ELSE 'other_staff' END"
_YEAR = "make_date(year(month), 1, 1) AS month"
# null nationalities must still meet in the FULL JOIN: NULL = NULL is not true
_NAT = "coalesce(nationality, 'unknown') AS contributor"


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """Official list against the aggregate, per mission x year (all deaths, and per cause and
    personnel category) and per nationality x mission x year, over the years both cover.

    ``month`` is January 1st of the year. A mission-year only one file has counts as zero
    in the other, so every spelling difference between the files shows up here.
    """
    years, span = _years(con), _span(con)
    if not years or span is None:
        return []
    within = f"WHERE month BETWEEN DATE '{span[0].isoformat()}' AND DATE '{span[1].isoformat()}'"
    un = f"SELECT {_YEAR}, mission, {{nat}}{{type}} AS type, 1 AS total, source_id FROM fatality {within}"
    agg = f"""SELECT {_YEAR}, mission, {{nat}}type, total, source_id FROM (
        UNPIVOT (SELECT month, mission, nationality, source_id, {{cols}} FROM fatality_month)
        ON {{cols}} INTO NAME type VALUE total)"""
    causes = "illness, accident, malicious, other"
    kinds = "military, observers, police, local_staff, international_staff, other_staff"
    a, b = "official list (DPPADPOSS-FATALITIES)", "aggregate (Contigent-mission-month)"
    total_agg = (f"SELECT {_YEAR}, mission, {{nat}}'fatalities' AS type, total, source_id FROM fatality_month")
    return [
        Check("fatalities:mission_year",
              un.format(nat="", type="'fatalities'") + " UNION ALL " + un.format(nat="", type=_CAUSE_SQL),
              total_agg.format(nat="") + " UNION ALL " + agg.format(nat="", cols=causes),
              ("mission",), a, b, years),
        Check("fatalities:personnel_mission_year", un.format(nat="", type=_KIND_SQL),
              agg.format(nat="", cols=kinds), ("mission",), a, b, years),
        Check("fatalities:nationality_mission_year", un.format(nat=_NAT + ", ", type="'fatalities'"),
              total_agg.format(nat=_NAT + ", "), ("contributor", "mission"), a, b, years),
    ]


def _stem(mission: str) -> str:
    """``UNOSOM II`` and ``UNOSOM``, ``UN Secretariat`` and ``UNSecretariat`` share a stem."""
    return re.sub(r"[^A-Z]", "", re.sub(r"\s+(I{1,3}|IV|V)$", "", mission.strip()).upper())


def findings(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """Missions named in only one file (over the years both cover), with acronyms of the
    other file that share their stem (``UNOSOM`` / ``UNOSOM I``, ``UNOSOM II``) as
    candidates for a reader to judge; and missions not in the mission reference."""
    years, span = _years(con), _span(con)
    if years and span is not None:
        params = list(span)
        if span[1].month != 12:
            found.append(Finding(None, "fatality_partial_year",
                                 f"the aggregate ends {span[1]:%Y-%m}: fatalities of {span[1].year} are "
                                 f"compared over {span[1].year}-01..{span[1]:%Y-%m} only"))
        rows = con.execute("""
            WITH u AS (SELECT mission, count(*) n, min(source_id) s FROM fatality
                       WHERE month BETWEEN ? AND ? GROUP BY mission),
                 g AS (SELECT mission, sum(total) n, min(source_id) s FROM fatality_month GROUP BY mission)
            SELECT coalesce(u.mission, g.mission), u.n, g.n, coalesce(u.s, g.s) FROM u FULL JOIN g USING (mission)
            WHERE u.mission IS NULL OR g.mission IS NULL ORDER BY 1""", params).fetchall()
        un_only = {m for m, nu, ng, _ in rows if ng is None}
        agg_only = {m for m, nu, ng, _ in rows if nu is None}
        for mission, n_un, n_agg, sid in rows:
            other = agg_only if n_agg is None else un_only
            like = sorted(o for o in other if _stem(o) == _stem(mission))
            where, n = ("the official list", n_un) if n_agg is None else ("the aggregate", n_agg)
            found.append(Finding(sid, "fatality_mission_one_file",
                                 f"mission {mission!r} appears only in {where} ({n} deaths "
                                 f"{span[0]:%Y-%m}..{span[1]:%Y-%m})"
                                 + (f"; the other file has {', '.join(like)}: possibly the same mission, "
                                    "not merged" if like else ""), int(n)))
    for table in ("fatality", "fatality_month"):
        rows = con.execute(f"""SELECT mission, min(source_id), count(*) FROM {table}
            WHERE mission NOT IN (SELECT acronym FROM mission) GROUP BY mission ORDER BY mission""").fetchall()
        if rows:
            found.append(Finding(rows[0][1], "fatality_mission_not_in_reference",
                                 f"{table}: {len(rows)} missions not in the mission reference "
                                 f"(political missions, offices, other spellings): "
                                 + ", ".join(m for m, _, _ in rows), len(rows)))


DOMAIN = Domain(
    name="fatalities",
    summary="peacekeeper fatalities: the official incident list and a monthly aggregate",
    layouts=LAYOUTS,
    tables=TABLES,
    coverage="SELECT source_id, month FROM fatality UNION ALL SELECT source_id, month FROM fatality_month",
    checks=checks,
    findings=findings,
)
