"""Add downloaded official figures to a sources folder and rebuild: UN DPO monthly report
PDFs, and the UN Peace and Security Data Hub's contributions CSV (DPO-UCHISTORICAL).

``add`` checks every file before anything changes. A **report PDF** must be one the parser
reads (a PDF in a known layout) and its printed totals must add up. A **Data Hub CSV**
must have the Hub's columns (``contributing_country``, ``mission_acronym``,
``personnel_type``, ``male_personnel``, ``female_personnel``, ``last_reporting_date``, in
any case) and, since it prints no totals, be internally consistent instead: every row
valid (a date, a country the reference knows whose ``isocode3`` agrees, a mission, one of
the Hub's five personnel types, whole non-negative counts) and no (month, contributor,
mission, type) given twice with different numbers; it may span many months. Then each
month of the file (a report's printed date, the file name only where none is printed; a
CSV's dates) must not already be in the folder's official figures (reports or Data Hub
files) with different numbers, compared at the finest grain both have
(``sources/dpo_months.py``). Months that only IPI's compilations hold are not "already
there": the official figures replace them, and the answer lists the revisions.

A file already there (same checksum, or the same figures for every month, with nothing
finer) is nothing to do. Only then are the new files copied into the folder, a report as
``un/dpo-monthly/UN_country_contributions_YYYY_MM.pdf`` and a CSV as
``un/datahub/DPO-UCHISTORICAL_YYYY_MM[-YYYY_MM].csv`` (named by its months; written under
a temporary name and renamed), and the database rebuilt; if the build fails, the copied
files are removed again, so the folder and the previous database stay as they were. The
answer says what changed: the months added and the figures revised (each month's world
total and each contributor's monthly total, old -> new, as the finest grain holding the
month gives them, the way the queries answer).

A month that is already there with other numbers is refused: there is no ``--replace``.
To replace a file, remove the old one from the folder first, then add the new one.

>>> report = add([Path("~/Downloads/report.pdf")], Path("../shared/data"), Path("bh.duckdb"))  # doctest: +SKIP
>>> report.months_added                                                                        # doctest: +SKIP
['2025-08']
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .errors import AddRefusedError, BluehelmetError, SourceLayoutError, SourceReadError
from .records import SourceFile, sha256_of

if TYPE_CHECKING:
    from .builder import BuildReport, Progress
    from .domain import Context
    from .sources.dpo_months import Cells
    from .sources.dpo_records import Report

__all__ = ["add", "AddReport", "FileAdded", "Revision", "AddRefusedError", "REPORTS_FOLDER", "DATAHUB_FOLDER",
           "MAX_REVISIONS"]

#: where the reports live in a sources folder (the official reports layout reads ``*.pdf`` there)
REPORTS_FOLDER = Path("un") / "dpo-monthly"
#: where the Data Hub's contributions CSVs live (the layout ``un_datahub_contributions`` reads ``*.csv`` there)
DATAHUB_FOLDER = Path("un") / "datahub"
#: at most this many revised figures are listed (``revisions_total`` counts them all)
MAX_REVISIONS = 50


@dataclass
class FileAdded:
    path: str            # the file as given
    month: str           # YYYY-MM (a report's printed month), or a CSV's first .. last month
    action: str          # "added" or "unchanged"
    saved_as: str        # relative to the sources folder: the new file, or the one(s) already there
    reason: str = ""     # for "unchanged": why
    months: list[str] = field(default_factory=list)  # every month the file gives


@dataclass
class Revision:
    month: str
    contributor: str | None  # None: the month's world total
    old: int
    new: int


@dataclass
class AddReport:
    db_path: Path
    sources: Path
    files: list[FileAdded] = field(default_factory=list)
    months_added: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)  # the first MAX_REVISIONS
    revisions_total: int = 0
    rebuilt: bool = False
    build: BuildReport | None = None

    @property
    def changed(self) -> bool:
        return any(f.action == "added" for f in self.files)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data (what ``add --format json`` prints)."""
        return {"db": str(self.db_path), "sources": str(self.sources), "rebuilt": self.rebuilt,
                "files": [f.__dict__ for f in self.files], "months_added": self.months_added,
                "revisions": [r.__dict__ for r in self.revisions], "revisions_total": self.revisions_total}


def _recognise(path: Path) -> Report:
    """Parse one candidate report PDF, or raise a one-line error naming it."""
    from .sources.dpo_pdf import parse_reports, reconciles
    from .sources.dpo_read import cache_folder

    if path.suffix.lower() != ".pdf":
        raise AddRefusedError(f"{path}: neither a PDF nor a CSV; only UN DPO monthly report PDFs and "
                              "Data Hub contributions CSVs can be added")
    with path.open("rb") as fh:
        if not fh.read(5).startswith(b"%PDF"):
            raise SourceReadError(f"{path}: not a PDF file (no %PDF header)")
    try:
        report = parse_reports([path], workers=1, cache_dir=cache_folder())[0]
    except BluehelmetError:
        raise
    except Exception as exc:  # a PDF library's failure on a damaged file: still one line
        raise SourceReadError(f"{path}: unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if report.incomplete:
        raise AddRefusedError(f"{path}: incomplete report for {report.month} ({report.incomplete}); not added")
    if not reconciles(report):
        first = next(p for p in report.problems if "add up to" in p.reason)
        raise AddRefusedError(f"{path}: printed totals do not add up (page {first.page}: {first.reason}); not added")
    return report


@dataclass
class _Month:
    """An official month as a file gives it: where from, and its cells (by ISO3)."""

    label: str  # the file, relative to the sources folder (or as given, for a file being added)
    cells: Cells

    @property
    def total(self) -> int:
        return sum(v[2] for v in self.cells.values())

    @property
    def coarse(self) -> bool:
        """No mission breakdown or no split by sex somewhere: a finer file adds detail."""
        return any(k[1] is None or v[0] is None or v[1] is None for k, v in self.cells.items())


def _source_file(path: Path, relpath: str, source_id: int, layout_name: str) -> SourceFile:
    from .sources.dpo import LAYOUTS

    layout = next(x for x in LAYOUTS if x.name == layout_name)
    return SourceFile(source_id, path, relpath, sha256_of(path), path.stat().st_size, layout.name,
                      layout.producer, layout.citation)


def _context() -> Context:
    import duckdb

    from .domain import Context
    from .reference import country_index

    return Context(country_index(), duckdb.connect(":memory:"))


def _months_of(result_rows: list[dict[str, object]], label_of: dict[int, str]) -> dict[str, _Month]:
    """Loaded rows of the official layouts as months, each labelled with its file."""
    from .sources.dpo_months import month_cells

    by_file: dict[int, list[dict[str, object]]] = {}
    for r in result_rows:
        by_file.setdefault(cast(int, r["source_id"]), []).append(r)
    out: dict[str, _Month] = {}
    for sid, rows in by_file.items():
        for month, cells in month_cells(rows).items():
            out[month] = _Month(label_of[sid], cells)
    return out


class _Official:
    """The folder's official months by ISO3, as the build would load them (a report's,
    else a Data Hub file's), read only when first asked: parsing is cached, but reading
    every report is still a second's work that a PDF-only folder does not need."""

    def __init__(self, sources: Path, reports: list[Path], hub: list[Path]) -> None:
        self.sources, self.reports, self.hub = sources, reports, hub
        self._months: dict[str, _Month] | None = None

    def _rel(self, p: Path) -> str:
        return p.relative_to(self.sources).as_posix()

    def reports_with(self, extra: list[Path]) -> dict[str, _Month]:
        """The reports' months, ``extra`` report PDFs read alongside (their neighbours
        complete names cut off in the PDF, as in the build)."""
        from .sources.dpo import REPORTS
        from .sources.dpo_read import read_reports

        paths = self.reports + extra
        if not paths:
            return {}
        files = [_source_file(p, self._rel(p) if p in self.reports else str(p), i, REPORTS)
                 for i, p in enumerate(paths, start=1)]
        table = read_reports(files, _context()).table
        rows = table.to_pylist() if table is not None else []
        return _months_of(rows, {sf.source_id: sf.relpath for sf in files})

    @property
    def months(self) -> dict[str, _Month]:
        if self._months is None:
            from .sources.datahub import read_contributions
            from .sources.dpo import DATAHUB

            out: dict[str, _Month] = {}
            if self.hub:
                files = [_source_file(p, self._rel(p), i, DATAHUB) for i, p in enumerate(self.hub, start=1)]
                table = read_contributions(files, _context()).table
                out.update(_months_of(table.to_pylist() if table is not None else [],
                                      {sf.source_id: sf.relpath for sf in files}))
            if self.hub or self.reports:
                out.update(self.reports_with([]))  # a report wins its month, as in the build
            self._months = out
        return self._months


def _read_csv(path: Path, strict: bool = True) -> dict[str, _Month]:
    """A Data Hub CSV checked as ``add`` requires (every row valid, no conflicting
    duplicates): its months, or a one-line error naming the file and the first bad row
    (with ``strict=False``, the months of its valid rows)."""
    from .sources.datahub import read_contributions
    from .sources.dpo import DATAHUB

    sf = _source_file(path, str(path), 1, DATAHUB)
    try:
        result = read_contributions([sf], _context())
    except SourceLayoutError as exc:
        raise AddRefusedError(f"{path}: not a Data Hub contributions CSV (expected the columns contributing_country, "
                              f"mission_acronym, personnel_type, male_personnel, female_personnel, "
                              f"last_reporting_date; {exc.found or 'none found'})") from None
    if result.problems and strict:
        p = result.problems[0]
        more = f" (and {len(result.problems) - 1} more rows)" if len(result.problems) > 1 else ""
        raise AddRefusedError(f"{path}: line {p.line}, column {p.column}: {p.reason}{more}; not added: add "
                              f"requires every row valid (a file copied into {DATAHUB_FOLDER.as_posix()}/ by hand "
                              "is built with its bad rows quarantined)")
    rows = result.table.to_pylist() if result.table is not None else []
    if not rows and strict:
        raise AddRefusedError(f"{path}: a Data Hub contributions CSV with no rows; not added")
    return _months_of(rows, {1: str(path)})


def _cells(n: int) -> str:
    return f"{n} cell" + ("" if n == 1 else "s")


def _span(months: list[str]) -> str:
    return "" if not months else months[0] if len(months) == 1 else f"{months[0]} .. {months[-1]}"


def _refuse_different(path: Path, month: str, new: _Month, there: _Month, what: str) -> AddRefusedError:
    from .sources.dpo_months import describe, differences

    diffs = differences(new.cells, there.cells)
    return AddRefusedError(
        f"{path} {what} {month}, but {there.label} already holds {month} with different numbers "
        f"({_cells(len(diffs))} differ{'s' if len(diffs) == 1 else ''}, e.g. {describe(diffs, 1)}; "
        f"{new.total:,} vs {there.total:,} in all); not added: remove the old file first to replace it")


def _figures(db: Path) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Each month's world total and each contributor's monthly total, from the finest grain
    holding the month (detail, then contributor, mission, world: as the queries answer)."""
    import duckdb

    if not db.exists():
        return {}, {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        def grouped(sql: str) -> list[tuple[str, str | None, int]]:
            return [(m.strftime("%Y-%m"), k, int(v)) for m, k, v in con.execute(sql).fetchall() if v is not None]

        detail_c = grouped("SELECT month, contributor, sum(total) FROM personnel GROUP BY ALL")
        contrib_c = grouped("SELECT month, contributor, sum(total) FROM personnel_contributor GROUP BY ALL")
        mission_w = grouped("SELECT month, NULL, sum(total) FROM personnel_mission GROUP BY ALL")
        world_w = grouped("SELECT month, NULL, sum(total) FROM personnel_world GROUP BY ALL")
    finally:
        con.close()
    per_contributor: dict[tuple[str, str], int] = {}
    detail_months = {m for m, _, _ in detail_c}
    for m, k, v in detail_c + [r for r in contrib_c if r[0] not in detail_months]:
        if k is not None:
            per_contributor[(m, k)] = v
    world: dict[str, int] = {}
    for m, _, v in world_w + mission_w:  # finer grains overwrite coarser ones
        world[m] = v
    finest: dict[str, int] = {}
    for (m, _), v in per_contributor.items():
        finest[m] = finest.get(m, 0) + v
    world.update(finest)
    return world, per_contributor


def _diff(old: tuple[dict[str, int], dict[tuple[str, str], int]],
          new: tuple[dict[str, int], dict[tuple[str, str], int]]) -> tuple[list[str], list[Revision]]:
    (old_w, old_c), (new_w, new_c) = old, new
    added = sorted(set(new_w) - set(old_w))
    revised = [Revision(m, None, old_w[m], new_w[m]) for m in sorted(set(old_w) & set(new_w))
               if old_w[m] != new_w[m]]
    # a contributor's total is revised where the month had contributor figures before and
    # still has (a month gaining its first breakdown is new detail, not a revision)
    both = {m for m, _ in old_c} & {m for m, _ in new_c}
    revised += [Revision(m, k, old_c.get((m, k), 0), new_c.get((m, k), 0))
                for m, k in sorted(set(old_c) | set(new_c))
                if m in both and old_c.get((m, k), 0) != new_c.get((m, k), 0)]
    revised.sort(key=lambda r: (r.month, r.contributor or ""))
    return added, revised


def add(files: Sequence[Path | str], sources: Path | str, db: Path | str,
        progress: Progress | None = None) -> AddReport:
    """Check ``files`` (UN DPO monthly report PDFs, Data Hub contributions CSVs), copy the
    new ones into ``sources`` and rebuild ``db``; raise a one-line ``BluehelmetError`` (and
    change nothing) if any file is not a readable report whose totals add up or a valid
    Data Hub CSV, or gives a month already there with other numbers."""
    from .builder import build
    from .sources.dpo_pdf import cells, parse_reports
    from .sources.dpo_read import cache_folder

    sources, db = Path(sources), Path(db)
    if not sources.is_dir():
        raise SourceReadError(f"{sources}: sources folder not found")
    folder, hub = sources / REPORTS_FOLDER, sources / DATAHUB_FOLDER
    report_paths = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    hub_paths = sorted(hub.glob("*.csv")) if hub.is_dir() else []
    existing = parse_reports(report_paths, cache_dir=cache_folder()) if report_paths else []
    by_sha = {r.sha256: r for r in existing}
    by_month: dict[str, Report] = {}
    for r in existing:
        by_month.setdefault(r.month, r)
    hub_by_sha = {sha256_of(p): p for p in hub_paths}
    official = _Official(sources, report_paths, hub_paths)

    def rel(p: str | Path) -> str:
        return _rel(p, sources)

    out = AddReport(db, sources)
    plan = _Plan()
    pending: dict[str, tuple[Path, Report]] = {}  # month -> the report given for it in this call
    new_reports: list[tuple[Path, Report]] = []
    for given in files:
        path = Path(given)
        if not path.is_file():
            raise SourceReadError(f"{path}: no such file")
        if path.suffix.lower() == ".csv":
            entry = _plan_csv(path, sources, official, hub_by_sha, plan)
            if entry is not None:
                out.files.append(entry)
            continue
        report = _recognise(path)
        month = report.month
        if (same_report := by_sha.get(report.sha256)) is not None:
            out.files.append(FileAdded(str(path), month, "unchanged", rel(same_report.path),
                                       "the same file is already there", [month]))
            continue
        if (there_report := by_month.get(month)) is not None:
            if cells(there_report) == cells(report):
                out.files.append(FileAdded(str(path), month, "unchanged", rel(there_report.path),
                                           "the same figures are already there", [month]))
                continue
            raise AddRefusedError(
                f"{path} is the report for {month} ({_how(report)}), but {rel(there_report.path)} already holds "
                f"{month} with different numbers ({_total(report):,} vs {_total(there_report):,} in all); not added: "
                "remove the old file first to replace it")
        if month in pending:
            other, prev = pending[month]
            if prev.sha256 == report.sha256 or cells(prev) == cells(report):
                continue  # the same report given twice
            raise AddRefusedError(f"{path} and {other} are both reports for {month}, with different numbers; "
                                  "add one of them")
        target = folder / f"UN_country_contributions_{month.replace('-', '_')}.pdf"
        if target.exists():  # a file named for this month that prints another (a mislabelled copy)
            raise AddRefusedError(f"{path}: the report for {month} would be saved as {rel(target)}, which already "
                                  f"holds the report for {by_sha[sha256_of(target)].month}; rename or remove it first")
        pending[month] = (path, report)
        new_reports.append((path, report))
        plan.to_copy.append((path, target))
        out.files.append(FileAdded(str(path), month, "added", rel(target), "", [month]))

    # a new report's month that a Data Hub file holds (in the folder, or given now): the same numbers?
    def hub_month(month: str) -> _Month | None:
        return plan.months.get(month) or (official.months.get(month) if hub_paths else None)

    if any(hub_month(r.month) is not None for _, r in new_reports):
        read = official.reports_with([p for p, _ in new_reports])
        for path, report in new_reports:
            there = hub_month(report.month)
            if there is not None and report.month in read and _differ(read[report.month], there):
                raise _refuse_different(path, report.month, read[report.month], there, "is the report for")

    if not plan.to_copy:
        return out
    before = _figures(db)
    copied: list[Path] = []
    try:
        for src, target in plan.to_copy:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.adding-{os.getpid()}")
            try:
                shutil.copyfile(src, tmp)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
            copied.append(target)
        out.build = build(sources, db, progress=progress)
    except BaseException:
        for target in copied:  # the folder as it was: the previous database matches it
            target.unlink(missing_ok=True)
        raise
    out.rebuilt = True
    out.months_added, revised = _diff(before, _figures(db))
    out.revisions_total = len(revised)
    out.revisions = revised[:MAX_REVISIONS]
    return out


@dataclass
class _Plan:
    """What this call will add: the files to copy, and the months the CSVs among them give."""

    to_copy: list[tuple[Path, Path]] = field(default_factory=list)
    months: dict[str, _Month] = field(default_factory=dict)  # by ISO3, the first CSV given for each
    shas: set[str] = field(default_factory=set)


def _plan_csv(path: Path, sources: Path, official: _Official, hub_by_sha: dict[str, Path],
              plan: _Plan) -> FileAdded | None:
    """Check one Data Hub CSV against the folder and the files given before it: the file's
    row in the answer (added to ``plan`` if it is to be copied), None for a repeat, or a
    one-line refusal."""
    if (same := hub_by_sha.get(sha := sha256_of(path))) is not None:
        order = sorted(_read_csv(path, strict=False))
        return FileAdded(str(path), _span(order), "unchanged", _rel(same, sources), "the same file is already there",
                         order)
    if sha in plan.shas:
        return None  # the same file given twice
    months = _read_csv(path)
    order = sorted(months)
    held: set[str] = set()
    adds = False  # a month no official file has, or one it has without missions or sexes
    for month in order:
        there = official.months.get(month) or plan.months.get(month)
        if there is None:
            adds = True
            continue
        if _differ(months[month], there):
            raise _refuse_different(path, month, months[month], there, "gives")
        adds = adds or there.coarse
        held.add(there.label)
    if not adds:
        return FileAdded(str(path), _span(order), "unchanged", "; ".join(sorted(held)),
                         "the same figures are already there", order)
    target = _free(sources / DATAHUB_FOLDER / _hub_name(order), {t for _, t in plan.to_copy})
    for month in order:
        plan.months.setdefault(month, months[month])
    plan.shas.add(sha)
    plan.to_copy.append((path, target))
    return FileAdded(str(path), _span(order), "added", _rel(target, sources), "", order)


def _rel(p: str | Path, sources: Path) -> str:
    return Path(p).relative_to(sources).as_posix()


def _differ(new: _Month, there: _Month) -> bool:
    from .sources.dpo_months import differences

    return bool(differences(new.cells, there.cells))


def _hub_name(months: list[str]) -> str:
    """``DPO-UCHISTORICAL_2025_08.csv``, or ``DPO-UCHISTORICAL_2010_01-2025_08.csv`` for several months."""
    first, last = months[0].replace("-", "_"), months[-1].replace("-", "_")
    return f"DPO-UCHISTORICAL_{first}.csv" if first == last else f"DPO-UCHISTORICAL_{first}-{last}.csv"


def _free(target: Path, taken: set[Path]) -> Path:
    """``target``, or ``target`` with ``-2``, ``-3``... before its suffix where a file has
    the name or another file given now will."""
    n = 1
    out = target
    while out.exists() or out in taken:
        n += 1
        out = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return out


def _how(report: Report) -> str:
    return "printed date" if report.month_source == "printed" else "month from the file name"


def _total(report: Report) -> int:
    from .sources.dpo_pdf import cells

    return sum(total for _, _, total in cells(report).values())
