"""IPI contributor x mission x month detail with gender (TCC-DataScraper and PPP_Loader).

Both repositories publish the same table with different header spellings
(``Individual Police Male`` / ``Individual_Police_Male``). PPP_Loader's copy adds ``all``
aggregate rows (contributor = all: world or mission totals; mission = all: contributor
totals), which land at their own grain rather than being mistaken for detail.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from .base import (Column, Finding, LayoutResult, Problem, SourceFile, quarantine_duplicates, read_files,
                   resolve_countries, strip_stray_quotes, validate)
from ..domain import Context
from ..months import month_spans

__all__ = ["DETAIL_TYPES", "detail_columns", "finish_detail", "read_detail", "missing_aggregates"]

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
    findings += missing_aggregates(table)
    return table, problems


# IPI's aggregate rows: (contributor, mission) pattern -> what the row totals
_AGGREGATES = (("world total (contributor = all, mission = all)", True, True),
               ("contributor totals (mission = all)", False, True),
               ("mission totals (contributor = all)", True, False))


def missing_aggregates(table: pa.Table) -> list[Finding]:
    """An ``aggregate_rows_missing`` finding per file whose ``all`` rows of a kind (world,
    contributor or mission totals) stop in some of its months while other months have
    them: PPP_Loader's full_gender_data.csv has world and contributor totals up to 2014-02
    and none in the 2014-03 .. 2014-08 rows it appended. A kind the file never has (that
    file's mission totals) is no finding: the file simply is not at that grain."""
    if table.num_rows == 0:
        return []
    marks = (table.select(["source_id", "date"])
             .append_column("c", pc.equal(table.column("contributor"), "all"))
             .append_column("m", pc.equal(table.column("mission"), "all")))
    per = marks.group_by(["source_id", "date", "c", "m"]).aggregate([]).to_pydict()
    seen: dict[int, set[date]] = {}
    has: dict[tuple[int, bool, bool], set[date]] = {}
    for sid, d, c, m in zip(per["source_id"], per["date"], per["c"], per["m"]):
        seen.setdefault(sid, set()).add(d)
        has.setdefault((sid, c, m), set()).add(d)
    out: list[Finding] = []
    for sid, all_months in seen.items():
        lacking: dict[str, set[date]] = {}
        for label, c, m in _AGGREGATES:
            there = has.get((sid, c, m), set())
            if there and there != all_months:
                lacking[label] = all_months - there
        if not lacking:
            continue
        gaps: set[date] = set().union(*lacking.values())
        if all(ds == gaps for ds in lacking.values()):
            what = " and ".join(lacking) + f" in {month_spans(gaps)}"
        else:
            what = "; ".join(f"{label} in {month_spans(ds)}" for label, ds in lacking.items())
        out.append(Finding(sid, "aggregate_rows_missing",
                           f"no aggregate rows for {len(gaps)} of its {len(all_months)} months: no {what}, "
                           "which its other months have; those months' totals come from other files "
                           "of their grain", len(gaps)))
    return out
