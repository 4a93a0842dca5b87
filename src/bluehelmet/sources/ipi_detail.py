"""IPI contributor x mission x month detail with gender (TCC-DataScraper and PPP_Loader).

Both repositories publish the same table with different header spellings
(``Individual Police Male`` / ``Individual_Police_Male``). PPP_Loader's copy adds ``all``
aggregate rows (contributor = all: world or mission totals; mission = all: contributor
totals), which land at their own grain rather than being mistaken for detail.
"""

from __future__ import annotations

import pyarrow as pa

from .base import (Column, Finding, LayoutResult, Problem, SourceFile, quarantine_duplicates,
                   read_csv_strings, resolve_countries, strip_stray_quotes, validate)
from .layout import Context, Layout

__all__ = ["LAYOUTS", "DETAIL_TYPES", "detail_columns"]

# source column stem -> canonical personnel type
DETAIL_TYPES = {
    "troops": "troops",
    "formed_police_units": "formed_police",
    "individual_police": "individual_police",
    "experts_on_mission": "experts",
    "total": "total",
}

IPI_PRODUCER = "UN DPO monthly troop and police contributor reports, compiled by the International Peace Institute (IPI)"
TCC_CITATION = "IPI Providing for Peacekeeping, IPIDataLab/TCC-DataScraper @936f28e6"
PPP_CITATION = "IPI Providing for Peacekeeping, IPIDataLab/PPP_Loader"


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
    problems: list[Problem] = []
    findings: list[Finding] = []
    parts: list[pa.Table] = []
    for sf in files:
        raw, bad = read_csv_strings(sf, cols)
        problems += bad
        sf.rows_read = raw.num_rows + len(bad)
        parts.append(raw.append_column("source_id", pa.array([sf.source_id] * raw.num_rows, pa.int32())))
    table = pa.concat_tables(parts)
    table, bad = _finish(table, cols, ctx, findings)
    problems += bad
    return LayoutResult(files[0].layout, table, files, problems, findings)


def _finish(table: pa.Table, cols: list[Column], ctx: Context,
            findings: list[Finding]) -> tuple[pa.Table, list[Problem]]:
    """Shared tail of every detail-shaped layout: validate, repair, resolve, de-duplicate."""

    def sid(t: pa.Table):  # row index -> source_id, for the table as it is at that step
        col = t.column("source_id")
        return lambda i: col[i].as_py()

    problems: list[Problem] = []
    table, bad = validate(table, cols, sid(table))
    problems += bad
    for column, label in (("contributor_name", "contributor name"),
                          ("contributor_iso3", "contributor ISO3"), ("mission", "mission")):
        table = strip_stray_quotes(table, column, sid(table), findings, label)
    table, bad = resolve_countries(table, "contributor_name", "contributor_iso3", "contributor",
                                   ctx.countries, sid(table), "Contributor", findings)
    problems += bad
    table = table.drop_columns(["contributor_name", "contributor_iso3"])
    table, bad = quarantine_duplicates(ctx.con, table, ["date", "contributor", "mission"],
                                       "Contributor", findings)
    problems += bad
    return table, problems


LAYOUTS = [
    Layout("ipi_tcc_gender", ("ipi/tcc-datascraper/Gender.Full.csv",), "detail", 10,
           IPI_PRODUCER, TCC_CITATION, read_detail),
    Layout("ipi_ppp_gender", ("ipi/ppp-loader/full_gender_data.csv",), "detail", 40,
           IPI_PRODUCER, PPP_CITATION + " blob ee52ebc6 (2014-10-21)", read_detail),
]
