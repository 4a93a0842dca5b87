"""Authorised strength: mission x month authorised and deployed personnel, 1990-2015.

Source: ``mandates/Personnel_shortfall_data.dta`` (treywood10/Mandate_Contribute). The
Stata file stores some counts as floats (``11200.0``) and others as text; every value
goes through the same validation as a CSV cell, so a count that is not a whole number is
quarantined, never rounded. A Stata file has no lines: ``line`` is the row number + 1,
so that, as in a CSV, the first data row is line 2.
"""

from __future__ import annotations

import math

import pyarrow as pa

from ..errors import SourceReadError
from .base import Column, LayoutResult, Problem, SourceFile, quarantine_duplicates, validate, with_constants
from .layout import Context

__all__ = ["read_authorizations", "checks", "stata_strings"]

# canonical column <- Stata variable
AUTH_COLUMNS = [
    Column("mission", ("mission",), "name"),
    Column("date", ("date",), "date"),
    Column("auth_troops", ("authtroop",), "count"),
    Column("auth_police", ("authpolice",), "count"),
    Column("auth_observers", ("authmilobs",), "count"),
    Column("auth_total", ("totalauth",), "count"),
    Column("troops", ("troop",), "count"),
    Column("police", ("police",), "count"),
    Column("observers", ("milobs",), "count"),
    Column("total", ("total",), "count"),
]


def _text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def stata_strings(sf: SourceFile, columns: list[Column], derived: dict[str, object] | None = None,
                  ) -> tuple[pa.Table, list[Problem]]:
    """A Stata file as the string table ``read_csv_strings`` gives for a CSV.

    ``derived`` maps a canonical column to a function of the row (a dict of Stata
    variables) for columns the file spreads over several variables (year + month).
    """
    import pyreadstat

    try:
        df, _ = pyreadstat.read_dta(str(sf.path))
    except Exception as exc:  # pyreadstat raises its own error types for unreadable files
        raise SourceReadError(f"{sf.relpath}: not a readable Stata file: {exc}") from None
    records = df.to_dict("records")
    out: dict[str, pa.Array] = {"line": pa.array(range(2, len(records) + 2), pa.int32())}
    fields = [pa.field("line", pa.int32())]
    for col in columns:
        fn = (derived or {}).get(col.name)
        var = col.headers[0]
        if fn is None and var not in df.columns:
            from ..errors import SourceLayoutError

            raise SourceLayoutError(sf.relpath, f"Stata variable {var}", "variables " + ", ".join(df.columns[:12]))
        values = [fn(r) if fn else _text(r[var]) for r in records]  # type: ignore[operator]
        out[col.name] = pa.array(values, pa.string())
        fields.append(pa.field(col.name, pa.string(), metadata={"header": var if fn is None else col.name}))
    sf.rows_read = len(records)
    return pa.Table.from_arrays(list(out.values()), schema=pa.schema(fields)), []


def _month(r: dict[str, object]) -> str | None:
    y, m = _text(r.get("year")), _text(r.get("month"))
    return f"{int(y):04d}-{int(m):02d}-01" if y and m and y.isdigit() and m.isdigit() else None


def read_authorizations(files: list[SourceFile], ctx: Context) -> LayoutResult:
    problems: list[Problem] = []
    parts = []
    for sf in files:
        raw, bad = stata_strings(sf, AUTH_COLUMNS, {"date": _month})
        problems += bad
        parts.append(with_constants(raw, sf))
    table, bad = validate(pa.concat_tables(parts), AUTH_COLUMNS)
    problems += bad
    findings: list = []
    table, bad = quarantine_duplicates(ctx.con, table, ["mission", "date"], "mission", findings)
    table = table.rename_columns(["month" if c == "date" else c for c in table.column_names])
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)


def checks(con):  # type: ignore[no-untyped-def]
    """Deployed figures in the authorisation file against the resolved mission totals."""
    from ..reconcile import Check

    deployed = """SELECT month, mission, type, total, source_id FROM (
        SELECT month, mission, source_id, troops, police, observers AS experts FROM authorized_strength)
        UNPIVOT (total FOR type IN (troops, police, experts))"""
    return [Check("authorized_deployed_vs_mission", deployed, "SELECT * FROM personnel_mission", ("mission",),
                  "authorisation file, deployed", "mission (resolved)")]
