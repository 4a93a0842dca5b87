"""IPI monthly releases (PPP_Loader ``update_archive``), one file per month, CSV and JSON.

The CSV release has 73 columns (group memberships included) and no gender split; the
JSON release is the same month as records with male/female counts, and its key names
changed between months (``cont_date`` became ``date``). Both land at the detail grain.
"""

from __future__ import annotations

import json
import re

import pyarrow as pa

from ..errors import SourceLayoutError, SourceReadError
from .base import Column, Finding, LayoutResult, SourceFile, read_files, records_to_strings, with_constants
from .ipi_detail import finish_detail
from ..domain import Context

__all__ = ["read_release_csv", "read_release_json"]

_BASE = [
    Column("date", ("date", "cont_date"), "date"),
    Column("contributor_name", ("contributor", "tcc_country_string"), "name", required=False),
    Column("contributor_iso3", ("contributor_iso_3", "tcc_country_id"), "text"),
    Column("mission", ("mission",), "name"),
]


def _csv_columns() -> list[Column]:
    cols = list(_BASE)
    for canon, header in (("troops", "troops"), ("formed_police", "formed_police_units"),
                          ("individual_police", "inidividual_police"),  # sic: the source's spelling
                          ("experts", "experts_on_mission"), ("total", "total")):
        headers = (header, "individual_police") if canon == "individual_police" else (header,)
        cols.append(Column(f"{canon}_total", headers, "count"))
        for part in ("male", "female"):  # the CSV release has no gender split: all null
            cols.append(Column(f"{canon}_{part}", (), "count", required=False))
    return cols


def _json_columns() -> list[Column]:
    cols = list(_BASE)
    for canon, key in (("troops", "troops"), ("formed_police", "fpu"), ("individual_police", "ip"),
                       ("experts", "eom"), ("total", "total")):
        cols.append(Column(f"{canon}_total", (key,), "count", required=False))
        cols.append(Column(f"{canon}_male", (f"{key}_m",), "count", required=False))
        cols.append(Column(f"{canon}_female", (f"{key}_f",), "count", required=False))
    return cols


def _release_of(sf: SourceFile) -> None:
    m = re.search(r"(\d{4})(\d{2})(\d{2})", sf.relpath.rsplit("/", 1)[-1])
    if m:
        sf.release = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"


def read_release_csv(files: list[SourceFile], ctx: Context) -> LayoutResult:
    cols = _csv_columns()
    findings: list[Finding] = []
    for sf in files:
        _release_of(sf)
    table, problems = read_files(files, cols)
    table, bad = finish_detail(table, cols, ctx, findings, files[0].layout)
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)


def read_release_json(files: list[SourceFile], ctx: Context) -> LayoutResult:
    cols = _json_columns()
    findings: list[Finding] = []
    parts = []
    for sf in files:
        _release_of(sf)
        try:
            records = json.loads(sf.path.read_bytes())
        except (OSError, ValueError) as exc:
            raise SourceReadError(f"{sf.relpath}: not readable JSON: {exc}") from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise SourceLayoutError(sf.relpath, "a JSON array of release records")
        if records and not any(k in records[0] for k in ("date", "cont_date")):
            raise SourceLayoutError(sf.relpath, "records with 'date' or 'cont_date'",
                                    "keys " + ", ".join(sorted(records[0])[:8]))
        raw = records_to_strings(records, cols)
        sf.rows_read = raw.num_rows
        parts.append(with_constants(raw, sf))
    table, problems = finish_detail(pa.concat_tables(parts), cols, ctx, findings, files[0].layout)
    return LayoutResult(files[0].layout, table, files, problems, findings)
