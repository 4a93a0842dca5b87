"""The world-totals domain: Our World in Data's December world totals, 1947-2021.

OWID compiled one row a year from the UN's reports: missions, the size of the whole force,
civilian police, military observers with staff officers, and troops. bluehelmet answers
no question from it (its grain is a year, its types are cut differently); it is the
independent yardstick the data README names for the December world totals, so the
domain is a table and a check: each December's world total as bluehelmet answers it (the
finest resolved grain that has the month, as the query layer picks it) against OWID's
force size, with a finding that says how far they agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Context, Domain, Layout
from ..records import Check, Finding, LayoutResult, SourceFile

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN"]

LAYOUTS = (
    Layout("owid_world_year", ("owid/united-nations-peacekeeping.csv",), "owid_world_year", 300,
           "Our World in Data, compiled from United Nations Peacekeeping",
           "owid/owid-datasets @2f6352b8 united-nations-peacekeeping.csv", "owid:read_owid"),
)

TABLES = """
-- December world totals per year as OWID compiled them (owid/united-nations-peacekeeping.csv)
CREATE TABLE owid_world_year (source_id INTEGER NOT NULL, line INTEGER NOT NULL, year INTEGER NOT NULL,
    missions BIGINT, force BIGINT, police BIGINT, observers_staff BIGINT, troops BIGINT);
"""


def read_owid(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The World rows; a row for any other entity is quarantined (the file has none today)."""
    import pyarrow.compute as pc

    from .base import Column, quarantine_duplicates, read_files, validate

    suffix = "_united_nations_peacekeeping"
    columns = [
        Column("entity", ("entity",), "name"),
        Column("year", ("year",), "count"),
        Column("missions", ("number_of_peacekeeping_missions" + suffix,), "count"),
        Column("force", ("size_of_total_peacekeeping_force" + suffix,), "count"),
        Column("police", ("civilian_police_peacekeepers" + suffix,), "count"),
        Column("observers_staff", ("military_observers_and_staff_officers_peacekeepers" + suffix,), "count"),
        Column("troops", ("troops_peacekeepers" + suffix,), "count"),
    ]
    raw, problems = read_files(files, columns)
    table, bad = validate(raw, columns)
    problems += bad
    from ..records import Problem

    world = pc.equal(table.column("entity"), "World")
    for sid, line, entity in zip(*(table.filter(pc.invert(world)).column(c).to_pylist()
                                   for c in ("source_id", "line", "entity"))):
        problems.append(Problem(sid, line, "Entity", f"not the world: {entity!r}"))
    table = table.filter(world).drop_columns(["entity"])
    findings: list[Finding] = []
    table, bad = quarantine_duplicates(ctx.con, table, ["year"], "Year", findings)
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)


# December world totals as a world question is answered: from the finest resolved grain
# that has the month (detail, then contributor totals, then mission, then world totals)
_DECEMBER = """
    SELECT month, 'total' AS type, total, source_id FROM (
        SELECT month, sum(total) AS total, min(source_id) AS source_id, 1 AS rank FROM personnel
            WHERE month(month) = 12 GROUP BY month
        UNION ALL SELECT month, sum(total), min(source_id), 2 FROM personnel_contributor
            WHERE month(month) = 12 GROUP BY month
        UNION ALL SELECT month, sum(total), min(source_id), 3 FROM personnel_mission
            WHERE month(month) = 12 GROUP BY month
        UNION ALL SELECT month, sum(total), min(source_id), 4 FROM personnel_world
            WHERE month(month) = 12 GROUP BY month)
    QUALIFY row_number() OVER (PARTITION BY month ORDER BY rank) = 1"""

_OWID = "SELECT make_date(year::INTEGER, 12, 1) AS month, 'total' AS type, force AS total, source_id " \
        "FROM owid_world_year"

LABEL_A = "world total, December (finest resolved grain)"
LABEL_B = "OWID, size of total peacekeeping force"


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """December world totals against OWID's, over the years both have."""
    return [Check("owid:december_world_total", _DECEMBER, _OWID, (), LABEL_A, LABEL_B)]


def findings(con: "duckdb.DuckDBPyConnection", out: list[Finding]) -> None:
    """One line: in how many years the two agree, and the largest differences."""
    row = con.execute("""SELECT months, differing, max_abs_diff, first_month, last_month
        FROM reconciliation_summary WHERE check_name = 'owid:december_world_total'""").fetchone()
    if row is None:
        return
    years, differing, largest, first, last = row
    worst = con.execute("""SELECT year(month), value_a, value_b FROM reconciliation
        WHERE check_name = 'owid:december_world_total'
        ORDER BY abs(coalesce(value_a, 0) - coalesce(value_b, 0)) DESC LIMIT 3""").fetchall()
    sid = con.execute("SELECT min(source_id) FROM owid_world_year").fetchall()[0][0]
    detail = "; ".join(f"{y}: {a:,} vs OWID {b:,}" for y, a, b in worst if a is not None and b is not None)
    out.append(Finding(sid, "owid_world_total",
                       f"December world totals {first:%Y}-{last:%Y}: {years - differing} of {years} years equal "
                       f"to OWID's force size" + (f"; largest differences {detail}" if detail else ""),
                       int(differing)))


DOMAIN = Domain(
    name="world_totals",
    summary="OWID's December world totals, the yardstick for the resolved world series",
    layouts=LAYOUTS,
    tables=TABLES,
    coverage="SELECT source_id, make_date(year::INTEGER, 12, 1) AS month FROM owid_world_year",
    checks=checks,
    findings=findings,
)
