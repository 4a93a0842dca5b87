"""The UN regular-budget scale of assessments, 1946-2027: the UN's workbook and a CSV copy.

Both are wide: one row per member state (and per former state), one column per scale
period, each cell the member's rate in percent, ``-`` where it was not assessed.

- ``Scale of Assessments for RB 1946-2027.xlsx`` (the Committee on Contributions'
  workbook) heads each column with the years of its period stacked in up to three header
  rows (``2025`` / ``2026`` / ``2027``), puts footnote marks (``a/`` .. ``f/``) in narrow
  columns of their own beside the period they annotate, a ``Total`` row under the members
  and the footnotes' text below it. Read with python-calamine (ten times faster than
  openpyxl on this file; see docs/benchmarks.md). ``line`` is the sheet's row number.
- ``UNGA_scale_of_assessment.csv`` (tierravivaai/cali-fund-allocation-model) heads each
  column with the period's last year only, so a period's first year is the year after the
  previous column's (``1957`` is 1956-1957). It writes ``NA`` where the workbook has an
  empty cell, and has no total row.

One row of ``scale_rate`` per member x period that holds a rate; ``-``, ``NA`` and empty
cells are "not assessed" and are no row. So for these files a row read is a cell that holds
a rate or something that should be one (text, a negative number), and rows read = loaded +
quarantined holds per cell.

Names carry footnote marks and former names (``Germany    e/``, ``Türkiye (formerly
Turkey)``); both are dropped before the name is resolved, and the name is kept as written.
Two rows hold a seat that changed hands within the 82 years: the UN lists them under
today's name, and their rates go to the state that held the seat at the period's start (see
``SEATS``). ``United Arab Republic`` (Egypt and Syria assessed jointly, 1959-1961, footnote
b/) has no code of its own in the reference: its cells are quarantined as an unknown country.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pyarrow as pa

from ..domain import Context
from ..errors import SourceLayoutError, SourceReadError
from ..records import Finding, LayoutResult, Problem, SourceFile
from ..reference.countries import name_key
from .base import Column, header_key, quarantine_duplicates, read_csv_strings

__all__ = ["read_scale_xlsx", "read_scale_csv", "SEATS", "member_of", "seats_of", "clean_name"]

SCALE_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("member_name", pa.string()), ("member", pa.string()),
    ("period_from", pa.int32()), ("period_to", pa.int32()), ("rate", pa.float64()), ("footnote", pa.string()),
    ("column_label", pa.string())])

# Rows of the scale whose seat was held by different states over time: (last first year of
# a period, ISO3) in order, the last entry without a bound. The reference's codes for the
# earlier states (historical_states.csv) keep a group's membership right for those years.
SEATS: dict[str, tuple[tuple[int | None, str], ...]] = {
    # footnote f/: the Socialist Federal Republic of Yugoslavia up to 1 November 2000, then
    # the Federal Republic of Yugoslavia (Serbia and Montenegro), now Serbia
    "serbia": ((2000, "YUG"), (2006, "SCG"), (None, "SRB")),
    # the Yemen Arab Republic (North Yemen) until unification on 22 May 1990
    "yemen": ((1989, "YMN"), (None, "YEM")),
}

# not assessed: the files' marks for an empty cell
_NOT_ASSESSED = re.compile(r"^[\s=-]*$|^NA$")
_FOOTNOTE = re.compile(r"^\s*([a-z]/)\s*$")
_RATE = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")


def clean_name(name: str) -> str:
    """The name without footnote marks and former names, for resolving.

    >>> clean_name("Serbia (formerly Yugoslavia) f/")
    'Serbia'
    """
    name = re.sub(r"\s+[a-z]/\s*$", "", name.strip())
    return " ".join(re.sub(r"\s*\(formerly[^)]*\)", "", name).split())


def seats_of(name: str, ctx: Context) -> tuple[tuple[int | None, str | None], ...]:
    """The states a scale row names, as in ``SEATS``: one, unbounded, for most rows."""
    clean = clean_name(name)
    return SEATS.get(name_key(clean)) or ((None, ctx.resolve_country(clean)),)


def member_of(name: str, period_from: int, ctx: Context) -> str | None:
    """The ISO3 code of the state a scale row names, for a period starting ``period_from``."""
    return next((code for last, code in seats_of(name, ctx) if last is None or period_from <= last), None)


def _rate(value: Any) -> tuple[float | None, str | None]:
    """(rate, None) for a rate; (None, None) for a not-assessed mark; (None, reason) for a bad cell."""
    if isinstance(value, bool):
        return None, f"not a rate: {value!r}"
    if isinstance(value, (int, float)):
        rate = float(value)
    else:
        text = str(value)
        if _NOT_ASSESSED.match(text):
            return None, None
        if not _RATE.match(text):
            return None, f"not a rate: {text.strip()!r}"
        rate = float(text)
    if rate < 0:
        return None, f"negative rate: {rate:g}"
    # the workbook stores binary floats (1.6019999999999999); the scale is set to 3 decimals
    # (4 in 1996), so 6 places keep every rate exact
    return round(rate, 6), None


class _Rows:
    """The rows and problems of one layout, with the per-file counting of rows read."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.problems: list[Problem] = []
        self.met: set[tuple[str, str, int]] = set()
        self.marks: dict[tuple[int, str], list[str]] = {}
        self.seats: dict[str, tuple[tuple[int | None, str | None], ...]] = {}

    def cell(self, sf: SourceFile, line: int, name: str, period: tuple[int, int], label: str, column: str,
             value: Any, footnote: str | None = None) -> None:
        if isinstance(value, str) and (mark := _FOOTNOTE.match(value)):
            # "see footnote b/" where a rate would be: assessed with another state, not alone
            self.marks.setdefault((sf.source_id, mark.group(1)), []).append(f"{name} {label}")
            return
        rate, reason = _rate(value)
        if rate is None and reason is None:
            return
        sf.rows_read += 1
        code = self._code(name, period[0]) if name else None
        raw = f"{name}: {label}: {value!r}"
        if reason is None and code is None:
            hint = self.ctx.countries.suggest(clean_name(name)) if name else []
            reason = f"unknown country {name!r}" + (f" (closest: {', '.join(hint)})" if hint else "") \
                if name else "a rate without a member name"
        if reason is not None:
            self.problems.append(Problem(sf.source_id, line, column, reason, raw))
            return
        assert code is not None  # a rate with no member was a problem above
        self.met.add((name, code, sf.source_id))
        self.rows.append({"source_id": sf.source_id, "line": line, "member_name": name, "member": code,
                          "period_from": period[0], "period_to": period[1], "rate": rate, "footnote": footnote,
                          "column_label": label})

    def _code(self, name: str, period_from: int) -> str | None:
        # a row's name is asked once per period: 44 times
        if name not in self.seats:
            self.seats[name] = seats_of(name, self.ctx)
        return next((code for last, code in self.seats[name] if last is None or period_from <= last), None)

    def result(self, files: list[SourceFile], findings: list[Finding]) -> LayoutResult:
        self.ctx.spellings.extend(sorted(self.met))
        for (sid, mark), cells in self.marks.items():
            findings.append(Finding(sid, "scale_footnote_cell",
                                    f"footnote {mark} instead of a rate (not assessed on its own; see the "
                                    f"footnote): {', '.join(cells)}", len(cells)))
        table = pa.Table.from_pylist(self.rows, SCALE_SCHEMA)
        # two rows of one file for the same state and period (Germany and the Federal
        # Republic under one code) would double its rate
        table, dups = quarantine_duplicates(self.ctx.con, table, ["member", "period_from"], "Member State", findings)
        return LayoutResult(files[0].layout, table, files, self.problems + dups, findings)


def _letter(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _year(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1900 < value < 2200:
        return int(value)
    return None


def read_scale_xlsx(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The Committee on Contributions' workbook: every member x period rate."""
    from python_calamine import CalamineWorkbook

    out = _Rows(ctx)
    findings: list[Finding] = []
    for sf in files:
        try:
            sheet = CalamineWorkbook.from_path(str(sf.path)).get_sheet_by_index(0)
            grid = sheet.to_python()
        except Exception as exc:  # calamine raises its own error types for broken workbooks
            raise SourceReadError(f"{sf.relpath}: not a readable workbook: {exc}") from None
        row0, col0 = sheet.start if sheet.start else (0, 0)
        head = next((i for i, r in enumerate(grid) if r and str(r[0]).strip() == "Member State"), None)
        if head is None:
            raise SourceLayoutError(sf.relpath, "sheet 1 with a 'Member State' header row")
        periods: dict[int, tuple[int, int]] = {}
        for c in range(1, len(grid[head])):
            years = [y for r in grid[: head + 1] if c < len(r) and (y := _year(r[c])) is not None]
            if years:
                periods[c] = (min(years), max(years))
        spans = [periods[c] for c in sorted(periods)]
        if not spans or any(b[0] <= a[1] for a, b in zip(spans, spans[1:])):
            raise SourceLayoutError(sf.relpath, "scale periods in increasing order in the header rows",
                                    ", ".join(f"{a}-{b}" for a, b in spans[:8]))
        gaps = [f"{a[1] + 1}-{b[0] - 1}" for a, b in zip(spans, spans[1:]) if b[0] != a[1] + 1]
        if gaps:
            findings.append(Finding(sf.source_id, "scale_periods", f"no column for the years {', '.join(gaps)}"))
        # a column without years is the footnote column of the period on its left
        notes = {c: p for c in range(1, len(grid[head])) if c not in periods and (p := c - 1) in periods}
        stated: dict[int, float] = {}
        for i in range(head + 1, len(grid)):
            row = grid[i]
            name = " ".join(str(row[0]).split()) if row else ""
            if name_key(name) == "total":
                stated = {c: float(v) for c in periods if c < len(row)
                          and isinstance(v := row[c], (int, float)) and not isinstance(v, bool)}
                break
            line = row0 + i + 1
            marks = {p: str(row[c]).strip() for c, p in notes.items() if c < len(row) and str(row[c]).strip()}
            for c, period in periods.items():
                if c < len(row):
                    label = f"{period[0]}-{period[1]}" if period[0] != period[1] else str(period[0])
                    mark = marks.get(c)
                    out.cell(sf, line, name, period, label, f"{_letter(col0 + c)} ({label})", row[c],
                             mark if mark and re.fullmatch(r"[a-z]/", mark) else None)
        else:
            findings.append(Finding(sf.source_id, "scale_total", "the sheet has no 'Total' row to check against"))
        _total_findings(sf, out.rows, periods, stated, findings)
    return out.result(files, findings)


def _total_findings(sf: SourceFile, rows: list[dict[str, Any]], periods: dict[int, tuple[int, int]],
                    stated: dict[int, float], findings: list[Finding]) -> None:
    """The workbook's ``Total`` row against the sum of the rates loaded, per period."""
    sums: dict[int, float] = {}
    for r in rows:
        if r["source_id"] == sf.source_id:
            sums[r["period_from"]] = sums.get(r["period_from"], 0.0) + r["rate"]
    off = [f"{p[0]}-{p[1]}: stated {stated[c]:g}, loaded {sums.get(p[0], 0):.3f}"
           for c, p in sorted(periods.items()) if c in stated and abs(stated[c] - sums.get(p[0], 0)) > 0.0005]
    if off:
        findings.append(Finding(sf.source_id, "scale_total",
                                f"{len(off)} of {len(stated)} periods whose stated total differs from the sum of "
                                "the rates loaded (a rate quarantined above counts in the stated total, not in the "
                                "sum): " + "; ".join(off),
                                len(off)))


def read_scale_csv(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The CSV copy: every member x period rate, periods inferred from the last years."""
    out = _Rows(ctx)
    findings: list[Finding] = []
    for sf in files:
        try:
            data = sf.path.read_bytes()
        except OSError as exc:
            raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None
        first = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace").rstrip("\r")
        header = next(csv.reader([first]), [])
        if not header or header_key(header[0]) != "member_state":
            raise SourceLayoutError(sf.relpath, "a first column 'Member State'", ", ".join(header[:4]))
        try:
            ends = [int(h) for h in header[1:]]
        except ValueError:
            raise SourceLayoutError(sf.relpath, "a year (a period's last year) heading every column after the "
                                    "first", ", ".join(header[1:6])) from None
        if any(b <= a for a, b in zip(ends, ends[1:])):
            raise SourceLayoutError(sf.relpath, "years in increasing order")
        periods = [(prev + 1 if i else end, end) for i, (prev, end) in enumerate(zip([0, *ends], ends))]
        columns = [Column("member_name", ("member_state",), "name")] + [
            Column(f"p{i}", (header_key(h),), "text") for i, h in enumerate(header[1:])]
        table, bad = read_csv_strings(sf, columns, data)
        out.problems += bad
        sf.rows_read += len(bad)
        values = table.to_pydict()
        for k, line in enumerate(values["line"]):
            name = " ".join((values["member_name"][k] or "").split())
            for i, period in enumerate(periods):
                out.cell(sf, line, name, period, header[i + 1], header[i + 1], values[f"p{i}"][k])
    return out.result(files, findings)
