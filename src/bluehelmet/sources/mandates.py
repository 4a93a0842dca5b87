"""Authorised strength: mission x month authorised and deployed personnel, 1990-2015.

Source: ``mandates/Personnel_shortfall_data.dta`` (treywood10/Mandate_Contribute). The
Stata file stores some counts as floats (``11200.0``) and others as text; every value
goes through the same validation as a CSV cell, so a count that is not a whole number is
quarantined, never rounded.
"""

from __future__ import annotations

from .base import Column, Finding, LayoutResult, SourceFile, quarantine_duplicates, validate
from ..domain import Context
from .stata import read_stata_files, year_month

__all__ = ["read_authorizations"]

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


def read_authorizations(files: list[SourceFile], ctx: Context) -> LayoutResult:
    raw, problems = read_stata_files(files, AUTH_COLUMNS, {"date": year_month("year", "month")})
    table, bad = validate(raw, AUTH_COLUMNS)
    problems += bad
    findings: list[Finding] = []
    table, bad = quarantine_duplicates(ctx.con, table, ["mission", "date"], "mission", findings)
    table = table.rename_columns(["month" if c == "date" else c for c in table.column_names])
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)
