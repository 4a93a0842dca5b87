"""Add downloaded UN DPO monthly reports (PDF) to a sources folder and rebuild.

``add`` checks every file before anything changes: it must be a report the parser reads
(a PDF in a known layout), its printed totals must add up, and its month (the printed
date; the file name only where the report prints none) must not already be in the folder
with different numbers. A file already there (same checksum, or the same figures for the
same month) is nothing to do. Only then are the new files copied into
``<sources>/un/dpo-monthly/UN_country_contributions_YYYY_MM.pdf`` (named by their month,
written under a temporary name and renamed) and the database rebuilt; if the build fails,
the copied files are removed again, so the folder and the previous database stay as they
were. The answer says what changed: the months added and the figures revised (each
month's world total and each contributor's monthly total, old -> new, as the finest grain
holding the month gives them, the way the queries answer).

A month that is already there with other numbers is refused: there is no ``--replace``.
To replace a report, remove the old file from the folder first, then add the new one.

The official Data Hub CSV of contributions cannot be added yet (only the PDF reports).

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
from typing import TYPE_CHECKING

from .errors import AddRefusedError, BluehelmetError, SourceReadError
from .records import sha256_of

if TYPE_CHECKING:
    from .builder import BuildReport, Progress
    from .sources.dpo_records import Report

__all__ = ["add", "AddReport", "FileAdded", "Revision", "AddRefusedError", "REPORTS_FOLDER", "MAX_REVISIONS"]

#: where the reports live in a sources folder (the official reports layout reads ``*.pdf`` there)
REPORTS_FOLDER = Path("un") / "dpo-monthly"
#: at most this many revised figures are listed (``revisions_total`` counts them all)
MAX_REVISIONS = 50


@dataclass
class FileAdded:
    path: str            # the file as given
    month: str           # YYYY-MM, printed (or from the file name where none is printed)
    action: str          # "added" or "unchanged"
    saved_as: str        # relative to the sources folder: the new file, or the one already there
    reason: str = ""     # for "unchanged": why


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
    """Parse one candidate file, or raise a one-line error naming it."""
    from .sources.dpo_pdf import parse_reports, reconciles
    from .sources.dpo_read import cache_folder

    if not path.is_file():
        raise SourceReadError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        raise AddRefusedError(f"{path}: only UN DPO monthly report PDFs can be added; "
                              "the Data Hub CSV is not supported yet")
    if path.suffix.lower() != ".pdf":
        raise AddRefusedError(f"{path}: not a PDF; only UN DPO monthly report PDFs can be added")
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
    """Check ``files`` (UN DPO monthly report PDFs), copy the new ones into ``sources`` and
    rebuild ``db``; raise a one-line ``BluehelmetError`` (and change nothing) if any file is
    not a readable report whose totals add up, or prints a month already there with other
    numbers."""
    from .builder import build
    from .sources.dpo_pdf import cells, parse_reports
    from .sources.dpo_read import cache_folder

    sources, db = Path(sources), Path(db)
    if not sources.is_dir():
        raise SourceReadError(f"{sources}: sources folder not found")
    folder = sources / REPORTS_FOLDER
    existing = parse_reports(sorted(folder.glob("*.pdf")), cache_dir=cache_folder()) if folder.is_dir() else []
    by_sha = {r.sha256: r for r in existing}
    by_month: dict[str, Report] = {}
    for r in existing:
        by_month.setdefault(r.month, r)

    def rel(p: str | Path) -> str:
        return Path(p).relative_to(sources).as_posix()

    out = AddReport(db, sources)
    to_copy: list[tuple[Path, Path]] = []
    pending: dict[str, tuple[Path, Report]] = {}  # month -> the file given for it in this call
    for given in files:
        path = Path(given)
        report = _recognise(path)
        month = report.month
        if (same := by_sha.get(report.sha256)) is not None:
            out.files.append(FileAdded(str(path), month, "unchanged", rel(same.path),
                                       "the same file is already there"))
            continue
        if (there := by_month.get(month)) is not None:
            if cells(there) == cells(report):
                out.files.append(FileAdded(str(path), month, "unchanged", rel(there.path),
                                           "the same figures are already there"))
                continue
            raise AddRefusedError(
                f"{path} is the report for {month} ({_how(report)}), but {rel(there.path)} already holds {month} "
                f"with different numbers ({_total(report):,} vs {_total(there):,} in all); not added: "
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
        to_copy.append((path, target))
        out.files.append(FileAdded(str(path), month, "added", rel(target)))

    if not to_copy:
        return out
    before = _figures(db)
    copied: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for src, target in to_copy:
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


def _how(report: Report) -> str:
    return "printed date" if report.month_source == "printed" else "month from the file name"


def _total(report: Report) -> int:
    from .sources.dpo_pdf import cells

    return sum(total for _, _, total in cells(report).values())
