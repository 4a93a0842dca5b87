"""IPI contributor x mission x month detail with gender (TCC-DataScraper and PPP_Loader).

Both repositories publish the same table with different header spellings
(``Individual Police Male`` / ``Individual_Police_Male``). PPP_Loader's copy adds ``all``
aggregate rows (contributor = all: world or mission totals; mission = all: contributor
totals), which land at their own grain rather than being mistaken for detail.
"""

from __future__ import annotations

import pyarrow as pa

from .base import (Column, Finding, LayoutResult, Problem, SourceFile, quarantine_duplicates, read_files,
                   resolve_countries, strip_stray_quotes, validate)
from ..domain import Context

__all__ = ["DETAIL_TYPES", "detail_columns", "finish_detail", "read_detail"]

# source column stem -> canonical personnel type
DETAIL_TYPES = {
    "troops": "troops",
    "formed_police_units": "formed_police",
    "individual_police": "individual_police",
    "experts_on_mission": "experts",
    "total": "total",
}



def detail_columns() -> list[Column]:
    cols = [
        Column("date", ("date",), "date"),
        Column("contributor_name", ("contributor",), "name"),
        Column("contributor_iso3", ("contributor_iso_3",), "text", required=False),
        Column("mission", ("mission",), "name"),
    ]
    for stem, canon in DETAIL_TYPES.items():
        for part, short in (("male", "male"), ("female", "female"), ("total", "total")):
            cols.append(Column(f"{canon}_{short}", (f"{stem}_{part}",), "count"))
    return cols


def read_detail(files: list[SourceFile], ctx: Context) -> LayoutResult:
    cols = detail_columns()
    findings: list[Finding] = []
    table, problems = read_files(files, cols)
    table, bad = finish_detail(table, cols, ctx, findings, files[0].layout)
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)


def finish_detail(table: pa.Table, cols: list[Column], ctx: Context,
                  findings: list[Finding], layout: str) -> tuple[pa.Table, list[Problem]]:
    """Shared tail of every detail-shaped layout: validate, repair, resolve (and attribute
    to the state of the row's month), de-duplicate."""
    problems: list[Problem] = []
    table, bad = validate(table, cols)
    problems += bad
    for column, label in (("contributor_name", "contributor name"),
                          ("contributor_iso3", "contributor ISO3"), ("mission", "mission")):
        table = strip_stray_quotes(table, column, findings, label)
    table, bad = resolve_countries(table, "contributor_name", "contributor_iso3", "contributor",
                                   ctx.countries, "Contributor", findings,
                                   spellings=ctx.spellings, layout=layout, month_col="date")
    problems += bad
    table = table.drop_columns(["contributor_name", "contributor_iso3"])
    table, bad = quarantine_duplicates(ctx.con, table, ["date", "contributor", "mission"],
                                       "Contributor", findings)
    problems += bad
    return table, problems
