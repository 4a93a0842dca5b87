"""Stata files as the string tables the CSV readers give, so one validation serves both.

A Stata file has no lines: ``line`` is the row number + 1, so that, as in a CSV with its
header, the first data row is line 2.
"""

from __future__ import annotations

import math
from typing import Callable

import pyarrow as pa

from ..errors import SourceLayoutError, SourceReadError
from .base import Column, Problem, SourceFile, with_constants

__all__ = ["stata_strings", "read_stata_files", "year_month"]

Derived = Callable[[dict[str, object]], "str | None"]


def _text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def stata_strings(sf: SourceFile, columns: list[Column], derived: dict[str, Derived] | None = None,
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
            raise SourceLayoutError(sf.relpath, f"Stata variable {var}", "variables " + ", ".join(df.columns[:12]))
        values = [fn(r) if fn else _text(r[var]) for r in records]
        out[col.name] = pa.array(values, pa.string())
        fields.append(pa.field(col.name, pa.string(), metadata={"header": var if fn is None else col.name}))
    sf.rows_read = len(records)
    return pa.Table.from_arrays(list(out.values()), schema=pa.schema(fields)), []




def read_stata_files(files: list[SourceFile], columns: list[Column], derived: dict[str, Derived] | None = None,
                     ) -> tuple[pa.Table, list[Problem]]:
    """Every file of a layout as one string table with ``source_id`` and ``line``."""
    problems: list[Problem] = []
    parts = []
    for sf in files:
        raw, bad = stata_strings(sf, columns, derived)
        problems += bad
        parts.append(with_constants(raw, sf))
    return pa.concat_tables(parts), problems


def year_month(year: str, month: str) -> Derived:
    """A derived ``date`` column from two Stata variables; what is not a calendar month is
    passed on as written, so validation quarantines it with the text in the reason."""
    def derive(r: dict[str, object]) -> str | None:
        y, m = _text(r.get(year)), _text(r.get(month))
        if y is None or m is None:
            return None
        if y.isdigit() and m.isdigit() and 1 <= int(m) <= 12:
            return f"{int(y):04d}-{int(m):02d}-01"
        return f"{y}-{m}"
    return derive
