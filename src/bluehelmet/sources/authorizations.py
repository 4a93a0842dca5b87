"""The authorisations domain: mission x month authorised (and deployed) strength, 1990-2015.

Read by ``mandates.read_authorizations`` from Trey Wood's Mandate_Contribute data; the
deployed figures it carries are checked against the resolved mission totals.

The file records a new authorisation in the month after the Security Council resolution
that made it (UNMISS's ceiling raised on 24 December 2013 appears from 2014-01). Neither
the file nor any other source here holds resolution dates, so the lag can be checked only
where a date stands in for one: a mission's start date in the official mission list,
which for most missions is the day of the establishing resolution. ``findings`` records
each mission whose first authorisation is the month after that date
(``authorization_month_late``) and, once, how many ceiling changes cannot be checked
(``authorization_dates_unknown``); the cases are kept in ``authorization_late`` so that
an answer for such a month can say so. Answers keep the file's months (docs/sources.md
says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN"]

LAYOUTS = (
    Layout("mandates_shortfall", ("mandates/Personnel_shortfall_data.dta",), "authorized_strength", 110,
           "Trey Wood, Mandate_Contribute (from UN DPKO monthly reports and Security Council resolutions)",
           "treywood10/Mandate_Contribute @fddf06f9 Make_Data/Shortfalls/Personnel_shortfall_data.dta",
           "mandates:read_authorizations"),
)

TABLES = """
-- authorised strength and deployed figures, mission x month (mandates/Personnel_shortfall_data.dta)
CREATE TABLE authorized_strength (source_id INTEGER NOT NULL, line INTEGER NOT NULL, mission VARCHAR NOT NULL,
    month DATE NOT NULL, auth_troops BIGINT, auth_police BIGINT, auth_observers BIGINT, auth_total BIGINT,
    troops BIGINT, police BIGINT, observers BIGINT, total BIGINT);

-- (derived) missions whose first authorisation the file records the month after the
-- mission's start date in the mission list (start_source_id, start_line)
CREATE TABLE authorization_late (mission VARCHAR NOT NULL, first_auth DATE NOT NULL, first_row DATE NOT NULL,
    start_date DATE NOT NULL, start_source_id INTEGER NOT NULL, start_line INTEGER NOT NULL,
    source_id INTEGER NOT NULL);

"""


_LATE_SQL = """
    WITH a AS (SELECT mission, min(source_id) AS source_id, min(month) AS first_row,
                      min(month) FILTER (WHERE coalesce(auth_troops, 0) + coalesce(auth_police, 0)
                                               + coalesce(auth_observers, 0) > 0) AS first_auth
               FROM authorized_strength GROUP BY mission),
         s AS (SELECT DISTINCT ON (acronym) acronym, start_date, source_id, line FROM mission_source
               JOIN source_file USING (source_id) WHERE start_date IS NOT NULL
               ORDER BY acronym, precedence)
    SELECT a.mission, a.first_auth, a.first_row, s.start_date, s.source_id, s.line, a.source_id
    FROM a JOIN s ON s.acronym = a.mission
    WHERE a.first_auth = date_trunc('month', s.start_date) + INTERVAL 1 MONTH
    ORDER BY s.start_date"""


def derive(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """``authorization_late``: each mission whose first authorised month is the month after
    its start date in the mission list (the start date stands in for the resolution's)."""
    con.execute(f"INSERT INTO authorization_late {_LATE_SQL}")


def findings(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """A finding per mission whose authorisation the file records a month late, where a
    date can show it; and one saying how many ceiling changes no date can check."""
    late = con.execute("""SELECT l.mission, l.first_auth, l.first_row, l.start_date, s.relpath, l.start_line,
        l.source_id FROM authorization_late l JOIN source_file s ON s.source_id = l.start_source_id
        ORDER BY l.start_date""").fetchall()
    for mission, first_auth, first_row, start, relpath, line, sid in late:
        row_note = (f" (its row for {first_row:%Y-%m} has no authorised figure)"
                    if first_row < first_auth else "")
        found.append(Finding(sid, "authorization_month_late",
                             f"{mission}: first authorised strength in {first_auth:%Y-%m}{row_note}, the month "
                             f"after the mission's start on {start:%Y-%m-%d} ({relpath} line {line}; for most "
                             "missions the day of the establishing resolution): the file records a new "
                             "authorisation a month late; answers keep its months"))
    changes = con.execute("""
        WITH o AS (SELECT mission, month, source_id, (auth_troops, auth_police, auth_observers) AS ceiling,
                          lag((auth_troops, auth_police, auth_observers))
                              OVER (PARTITION BY mission ORDER BY month) AS before
                   FROM authorized_strength)
        SELECT count(*), count(DISTINCT mission), min(source_id) FROM o
        WHERE before IS NOT NULL AND ceiling IS DISTINCT FROM before""").fetchone()
    if changes and changes[0]:
        n, missions, sid = changes
        found.append(Finding(sid, "authorization_dates_unknown",
                             f"the file changes an authorised ceiling {n} times in {missions} missions; it holds "
                             "no resolution dates and no other source here does, so whether each change is "
                             "recorded in its resolution's month or, as the file does where a date can show it "
                             f"({len(late)} missions' first authorisation, authorization_month_late), the month "
                             "after, cannot be checked; answers keep the file's months", int(n)))


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """Deployed figures in the authorisation file against the resolved mission totals."""
    deployed = """SELECT month, mission, type, total, source_id FROM (
        SELECT month, mission, source_id, troops, police, observers AS experts FROM authorized_strength)
        UNPIVOT (total FOR type IN (troops, police, experts))"""
    return [Check("authorized_deployed_vs_mission", deployed, "SELECT * FROM personnel_mission", ("mission",),
                  "authorisation file, deployed", "mission (resolved)")]


DOMAIN = Domain(
    name="authorizations",
    summary="authorised troops, police and observers per mission and month",
    layouts=LAYOUTS,
    tables=TABLES,
    coverage="SELECT source_id, month FROM authorized_strength",
    derive=derive,
    checks=checks,
    findings=findings,
)
