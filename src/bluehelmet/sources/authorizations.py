"""The authorisations domain: mission x month authorised (and deployed) strength, 1990-2015.

Read by ``mandates.read_authorizations`` from Trey Wood's Mandate_Contribute data; the
deployed figures it carries are checked against the resolved mission totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check

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

"""


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
    checks=checks,
)
