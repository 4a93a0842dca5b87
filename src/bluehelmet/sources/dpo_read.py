"""The official UN DPO monthly reports (PDF) as personnel observations, for the build.

``dpo_pdf`` parses one report and checks its printed totals; this module reads every
report of the sources folder in parallel through the checksum-keyed cache, keeps one
report per printed month (a byte-identical copy or a second file for a month is read but
its rows quarantined, never counted twice; a report that is incomplete, a page lost from
the file, is quarantined whole, so its month is a gap and not an answer short by a page),
resolves cut-off names from the neighbouring months' reports, resolves country names to
ISO3 through the reference, and returns:

- the rows, long (one row per contributor x mission x type, with male, female, total),
  which the personnel domain's writer puts in ``obs_detail`` (or ``obs_contributor`` for
  the reports with no mission breakdown, 2018-03 .. 2019-08);
- ``dpo_total``: every printed subtotal and grand total (the evidence the rows add up to);
- ``dpo_report``: one row per file: its printed month, where the month came from, its
  layout and grain, whether its rows are loaded for that month and, if not, why.

A row's ``line`` in ``obs_*`` is ``page * 1000 + line on the page``; problems name the
page in their column (``page 3``) and the line on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow as pa

from ..domain import Context
from ..errors import SourceLayoutError, SourceReadError
from ..records import Finding, LayoutResult, Problem, SourceFile
from .dpo_pdf import PARSER_VERSION, Report, Row, cells, parse_reports, resolve_cut_names, select_reports, why_chosen

__all__ = ["read_reports", "cache_folder", "missing_months", "NEIGHBOURS"]

#: months either side whose reports may complete a name cut off in the PDF
NEIGHBOURS = 2


def cache_folder() -> Path:
    """Where parsed reports are kept: ``<cache dir>/dpo-v<parser version>``."""
    from ..config import cache_dir

    return cache_dir() / f"dpo-v{PARSER_VERSION}"


def _month_index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def missing_months(months: list[str]) -> list[str]:
    """The months between the first and the last of ``months`` that none of them is.

    >>> missing_months(["2015-01", "2015-02", "2015-04"])
    ['2015-03']
    """
    have = {_month_index(m) for m in months}
    if not have:
        return []
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(min(have), max(have) + 1) if i not in have]


def read_reports(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Every report of the layout: rows, printed totals, problems and findings."""
    try:
        reports = parse_reports([sf.path for sf in files], workers=2, cache_dir=cache_folder(),
                                progress=ctx.progress, shas=[sf.sha256 for sf in files])
    except (SourceReadError, SourceLayoutError) as exc:
        raise _named(exc, files) from None
    by_path = {str(sf.path): sf for sf in files}
    sf_of = {id(r): by_path[r.path] for r in reports}
    chosen, file_finds = select_reports(reports)
    chosen_ids = {id(r) for r in chosen}
    findings: list[Finding] = []
    problems: list[Problem] = []
    cols: dict[str, list[object]] = {name: [] for name in _ROWS.names}  # the rows, by column
    totals: list[dict[str, object]] = []
    meta: list[dict[str, object]] = []

    loaded_for = {r.month: r for r in chosen}
    for f in file_finds:
        findings.append(Finding(None, f.kind, f.message))
    gaps = missing_months([r.month for r in chosen])
    if gaps:
        findings.append(Finding(None, "missing_month", f"no report prints {', '.join(gaps)} "
                                f"({len(gaps)} of the months {chosen[0].month} .. {chosen[-1].month})",
                                len(gaps)))

    index = {r.month: i for i, r in enumerate(chosen)}
    for report in reports:
        sf = sf_of[id(report)]
        loaded = id(report) in chosen_ids
        month = date(int(report.month[:4]), int(report.month[5:7]), 1)
        why = "" if loaded else _why_not_loaded(report, loaded_for[report.month], sf_of)
        meta.append({"source_id": sf.source_id, "month": month, "month_source": report.month_source,
                     "file_month": report.file_month, "layout": report.layout, "grain": report.grain,
                     "pages": report.pages, "grand_total": report.grand_total,
                     "loaded": loaded and not report.incomplete,
                     "not_loaded": why or (f"incomplete: {report.incomplete}" if report.incomplete else None)})
        row_lines = {(r.page, r.line) for r in report.rows}
        stray = [p for p in report.problems if (p.page, p.line) not in row_lines]
        sf.rows_read = len(report.rows) + len(stray)
        if not loaded:
            for r in report.rows:
                problems.append(Problem(sf.source_id, r.line, f"page {r.page}", why, _raw(r)))
            for p in stray:
                problems.append(Problem(sf.source_id, p.line, f"page {p.page}", why, p.raw))
            continue
        i = index[report.month]
        neighbours = [chosen[j] for j in range(max(0, i - NEIGHBOURS), min(len(chosen), i + NEIGHBOURS + 1))
                      if j != i and abs(_month_index(chosen[j].month) - _month_index(report.month)) <= NEIGHBOURS]
        report = _complete_names(report, neighbours, ctx)
        by_neighbours = _NeighbourCountries(neighbours, ctx)
        candidates = {(p.page, p.line): p.candidates for p in report.problems if p.candidates}
        for f in report.findings:
            where = f" (page {f.page} line {f.line})" if f.page else ""
            findings.append(Finding(sf.source_id, f.kind, f"{Path(report.path).name}: {f.message}{where}"))
        for p in stray:
            problems.append(Problem(sf.source_id, p.line, f"page {p.page}", p.reason, p.raw))
        spellings: set[tuple[str, str, int]] = set()
        ids, lines, contributors, missions, types, males, females, row_totals = (
            cols["source_id"], cols["line"], cols["contributor"], cols["mission"], cols["type"],
            cols["male"], cols["female"], cols["total"])
        n_before = len(ids)
        for r in report.rows:
            if r.quarantined:
                cand = candidates.get((r.page, r.line))
                reason = r.quarantined + (f" (candidates: {', '.join(cand)})"
                                          if cand and "candidates" not in r.quarantined else "")
                problems.append(Problem(sf.source_id, r.line, f"page {r.page}", reason, _raw(r)))
                continue
            iso3 = ctx.resolve_country(r.country)
            if iso3 is None:
                iso3, close = by_neighbours.resolve(r)
                if iso3 is None:
                    hint = f" (candidates: {', '.join(close)})" if close else " (no candidates)"
                    problems.append(Problem(sf.source_id, r.line, f"page {r.page}",
                                            f"unknown country {r.country!r}{hint}", _raw(r)))
                    continue
            spellings.add((r.country, iso3, sf.source_id))
            ids.append(sf.source_id)
            lines.append(r.page * 1000 + r.line)
            contributors.append(iso3)
            missions.append(r.mission)
            types.append(r.personnel_type)
            males.append(r.male)
            females.append(r.female)
            row_totals.append(r.total)
        cols["date"] += [month] * (len(ids) - n_before)
        ctx.spellings.extend(spellings)  # the writer keeps distinct spellings: once per report will do
        findings += by_neighbours.findings(sf.source_id, Path(report.path).name)
        for t in report.totals:
            totals.append({"source_id": sf.source_id, "month": month, "page": t.page, "line": t.line,
                           "scope": t.scope, "country": t.country,
                           "contributor": ctx.resolve_country(t.country) if t.country else None,
                           "mission": t.mission, "male": t.male, "female": t.female, "total": t.total,
                           "printed_count": t.count})
    table = pa.table({name: pa.array(cols[name], type=_ROWS.field(name).type) for name in _ROWS.names},
                     schema=_ROWS)
    extra = {"dpo_total": pa.Table.from_pylist(totals, schema=_TOTALS) if totals else _TOTALS.empty_table(),
             "dpo_report": pa.Table.from_pylist(meta, schema=_REPORTS)}
    return LayoutResult(files[0].layout, table, files, problems, findings, extra)


def _why_not_loaded(report: Report, kept: Report, sf_of: dict[int, SourceFile]) -> str:
    """The quarantine reason for every row of a file that is not the one loaded for its
    month: it names the file loaded, and why that one."""
    there = sf_of[id(kept)].relpath
    if kept.sha256 == report.sha256:
        return f"duplicate of {there} (same checksum)"
    if cells(kept) == cells(report) and not kept.incomplete:
        return f"{report.month} is printed by {there} too, with the same figures; that file is loaded"
    totals = ", ".join(f"{sf_of[id(r)].relpath} {sum(x.total for x in r.rows):,}" for r in (report, kept))
    which = "that file is kept but incomplete, so neither is loaded" if kept.incomplete else "that file is loaded"
    return (f"{report.month} is printed by {there} too, with different numbers ({totals} in all); "
            f"{which}: {why_chosen(kept, [report])}")


def _complete_names(report: Report, neighbours: list[Report], ctx: Context) -> Report:
    """Resolve names cut off in the PDF from the neighbouring months' reports, but only
    names the country reference does not know: a known name ("Niger") is never taken for
    the start of a longer one ("Nigeria")."""
    unknown = {r.country for r in report.rows if not r.quarantined and ctx.resolve_country(r.country) is None}
    if not unknown or not neighbours:
        return report
    fixed = resolve_cut_names(report, neighbours)
    out = replace(report, totals=list(report.totals))  # rows, problems and findings are new lists below
    out.rows = [new if old.country in unknown else old for old, new in zip(report.rows, fixed.rows)]
    out.problems = list(report.problems) + [p for p in fixed.problems[len(report.problems):]
                                             if p.raw in unknown]
    out.findings = list(report.findings) + [
        f for f in fixed.findings[len(report.findings):]
        if any(f.message.startswith(repr(n)) for n in unknown)]
    return out


class _NeighbourCountries:
    """A name cut off in the PDF that the neighbours do not print in full either (2016-11's
    "Democratic Republic of", where the months around print "DR Congo"): the countries
    whose reference names begin with it, narrowed to those the neighbouring reports show
    at the same mission and type. Exactly one is certain; otherwise the row is quarantined
    with the candidates."""

    def __init__(self, neighbours: list[Report], ctx: Context) -> None:
        self.ctx = ctx
        self.neighbours = neighbours
        self._at: dict[tuple[str | None, str], set[str]] | None = None  # made when first asked
        self.resolved: dict[tuple[str, str], int] = defaultdict(int)

    @property
    def at(self) -> dict[tuple[str | None, str], set[str]]:
        if self._at is None:
            self._at = defaultdict(set)
            for n in self.neighbours:
                for r in n.rows_loaded:
                    if (iso3 := self.ctx.resolve_country(r.country)) is not None:
                        self._at[(r.mission, r.personnel_type)].add(iso3)
        return self._at

    def _beginning_with(self, name: str) -> set[str]:
        from ..reference.countries import name_key

        key = name_key(name)
        if len(key) < 4:
            return set()
        idx = self.ctx.countries
        out = {iso3 for k, iso3 in idx.aliases.items() if k.startswith(key + " ")}
        out |= {c.iso3 for c in idx.countries.values()
                if any(name_key(n).startswith(key + " ") for n in (c.name, c.official_name) if n)}
        return out

    def resolve(self, row: Row) -> tuple[str | None, list[str]]:
        names = self.ctx.countries.countries
        could = self._beginning_with(row.country)
        here = could & self.at.get((row.mission, row.personnel_type), set())
        if len(here) == 1:
            iso3 = here.pop()
            self.resolved[(row.country, iso3)] += 1
            return iso3, []
        pool = here or could
        return None, sorted(names[c].name for c in pool if c in names) or self.ctx.countries.suggest(row.country)

    def findings(self, source_id: int, file: str) -> list[Finding]:
        return [Finding(source_id, "cut_off_name_resolved",
                        f"{file}: {name!r} -> {iso3}: the only country whose name begins so that the "
                        f"neighbouring months show at the same mission and type ({n} rows)", n)
                for (name, iso3), n in sorted(self.resolved.items())]


def _raw(r: Row) -> str:
    return f"{r.country} | {r.mission or '-'} | {r.printed_type} | {r.male} {r.female} {r.total}"


def _named(exc: Exception, files: list[SourceFile]) -> Exception:
    """The error with the file's path as the sources folder names it."""
    text = str(exc)
    for sf in files:
        text = text.replace(str(sf.path), sf.relpath)
    out = type(exc).__new__(type(exc))
    Exception.__init__(out, text)
    return out


_ROWS = pa.schema([("source_id", pa.int32()), ("line", pa.int32()), ("date", pa.date32()),
                   ("contributor", pa.string()), ("mission", pa.string()), ("type", pa.string()),
                   ("male", pa.int64()), ("female", pa.int64()), ("total", pa.int64())])
_TOTALS = pa.schema([("source_id", pa.int32()), ("month", pa.date32()), ("page", pa.int32()),
                     ("line", pa.int32()), ("scope", pa.string()), ("country", pa.string()),
                     ("contributor", pa.string()), ("mission", pa.string()), ("male", pa.int64()),
                     ("female", pa.int64()), ("total", pa.int64()), ("printed_count", pa.int32())])
_REPORTS = pa.schema([("source_id", pa.int32()), ("month", pa.date32()), ("month_source", pa.string()),
                      ("file_month", pa.string()), ("layout", pa.string()), ("grain", pa.string()),
                      ("pages", pa.int32()), ("grand_total", pa.int64()), ("loaded", pa.bool_()),
                      ("not_loaded", pa.string())])
