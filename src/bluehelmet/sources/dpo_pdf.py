"""UN DPO monthly reports (PDF) of uniformed personnel: parse, check, cache.

One report gives, at its finest grain, contributor x mission x personnel type x (male,
female, total), or contributor x type where it has no missions. ``parse_report`` reads
the table (``dpo_layouts`` knows the layouts), reads the month from the printed date (the
file name is only a fallback, with a finding), and checks every printed subtotal and the
grand total against the rows read: the rows of a block that does not add up are kept but
marked quarantined, with a problem naming page, line and reason, so that
rows read = rows loaded + rows quarantined always holds. A report that cannot stand for its
month (a printed page missing from the file, a grand total the rows do not reach, no grand
total where its layout prints one) is ``incomplete``: all its rows are quarantined, so the
month is a gap rather than an answer short by a page.

Names are kept as printed: resolving them (to ISO3, or a cut-off name to its full form)
is the caller's decision; ``resolve_cut_names`` does the part that needs only the reports.

>>> report = parse_report(Path("UN_country_contributions_2025_07.pdf"))  # doctest: +SKIP
>>> report.month, report.layout, report.grand_total                        # doctest: +SKIP
('2025-07', 'report_server', 61127)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import orjson

from ..errors import SourceLayoutError, SourceReadError
from ..records import sha256_of
from .dpo_layouts import COUNTRY_READERS, GRAIN, PRINTS_GRAND_TOTAL, detect_layout
from .dpo_layouts_mission import MISSION_READERS
from .dpo_records import PERSONNEL_TYPES, Finding, Problem, Report, Row, Total, personnel_type
from .dpo_text import Page, read_pages

__all__ = [
    "PERSONNEL_TYPES",
    "personnel_type",
    "Row",
    "Total",
    "Problem",
    "Finding",
    "Report",
    "parse_report",
    "parse_reports",
    "reconciles",
    "file_findings",
    "select_reports",
    "why_chosen",
    "resolve_cut_names",
    "cells",
]

READERS = {**COUNTRY_READERS, **MISSION_READERS}

#: bumped whenever parsing changes what it returns, so cached reports are re-read
PARSER_VERSION = 4

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_FILE_MONTH = re.compile(r"(\d{4})[_-](\d{2})(?!\d)")
_CONNECTOR = re.compile(r"(\b(of|and|the)|,)$", re.I)
_PAGE_OF = re.compile(r"Page (\d+) of (\d+)")


def _month_of(text: str) -> str | None:
    """``31-Jan-15``, ``30/06/2017``, ``End of November, 2016`` -> ``YYYY-MM``."""
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return f"{m.group(3)}-{int(m.group(2)):02d}"
    if m := re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})-(\d{2,4})", text):
        year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        month = _MONTHS.get(m.group(2).casefold())
        return f"{year}-{month:02d}" if month else None
    if m := re.fullmatch(r"(?:End of )?([A-Za-z]+),? (\d{4})", text):
        try:
            return f"{m.group(2)}-{datetime.strptime(m.group(1)[:3], '%b').month:02d}"
        except ValueError:
            return None
    return None


def parse_report(path: Path | str, sha256: str | None = None) -> Report:
    """Parse one report: rows, printed totals checked, problems and findings.

    Raises ``SourceReadError`` if the file is not a readable PDF and ``SourceLayoutError``
    if it is not a report in a known layout.

    >>> r = parse_report("UN_country_contributions_2019_10.pdf")  # doctest: +SKIP
    >>> r.month_source, [f.kind for f in r.findings][:1]          # doctest: +SKIP
    ('file_name', ['month_from_file_name'])
    """
    path = Path(path)
    sha = sha256 or sha256_of(path)
    pages = read_pages(path)
    if not pages or not any(p.lines for p in pages):
        raise SourceReadError(f"{path}: no text in the PDF (scanned or empty)")
    layout = detect_layout(pages)
    if layout is None:
        first = pages[0].lines[0].text if pages[0].lines else ""
        raise SourceLayoutError(str(path), "a DPO monthly report of contributions", first[:80])
    parsed = READERS[layout](pages)
    m = _FILE_MONTH.search(path.name)
    file_month = f"{m.group(1)}-{m.group(2)}" if m else None
    findings = list(parsed.findings)
    printed = Counter(mo for text, _, _ in parsed.printed_dates if (mo := _month_of(text)))
    if printed:
        month, source = printed.most_common(1)[0][0], "printed"
        if len(printed) > 1:
            findings.append(Finding("several_dates", f"dates for months {sorted(printed)} printed; "
                                    f"{month} is the most frequent"))
        if file_month and month != file_month:
            findings.append(Finding("mislabelled_month", f"file named for {file_month} prints {month}"))
    elif file_month:
        month, source = file_month, "file_name"
        findings.append(Finding("month_from_file_name", f"no date printed; month {file_month} "
                                "taken from the file name"))
    else:
        raise SourceLayoutError(str(path), "a printed date or a YYYY_MM file name")
    report = Report(str(path), sha, month, source, file_month, layout, GRAIN[layout], len(pages),
                    list(parsed.rows), list(parsed.totals), list(parsed.problems), findings)
    grand = _check_totals(report)
    _check_complete(report, pages, grand)
    _flag_names(report)
    return report


def _check_totals(report: Report) -> list[str]:
    """Compare every printed total with the rows it covers; quarantine blocks that differ.
    Returns what the grand totals (block 0, the whole report) say, where they differ."""
    members: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(report.rows):
        for b in row.blocks:
            members[b].append(i)
    bad: dict[int, str] = {}
    grand: list[str] = []
    for t in sorted(report.totals, key=lambda t: t.scope.startswith("grand")):
        idx = members.get(t.block, [])
        ptype = None
        if "_" in t.scope and t.scope.split("_", 1)[0] in ("grand", "country"):
            suffix = t.scope.split("_", 1)[1]
            ptype = personnel_type(suffix) if suffix not in ("mission",) else None
            if ptype:
                idx = [i for i in idx if report.rows[i].personnel_type == ptype]
        rows = [report.rows[i] for i in idx]
        diffs = []
        for name in ("male", "female", "total"):
            want = getattr(t, name)
            if want is None:
                continue
            got = sum((getattr(r, name) or 0) for r in rows)
            if got != want:
                diffs.append(f"{name} {got} != printed {want}")
        if t.count is not None and t.count != len(report.rows):
            diffs.append(f"{len(report.rows)} rows read != printed count {t.count}")
        if not diffs:
            continue
        what = t.scope + (f" {t.country}" if t.country else "") + (f" {t.mission}" if t.mission else "")
        reason = f"{what}: rows read add up to " + "; ".join(diffs)
        report.problems.append(Problem(t.page, t.line, reason))
        if t.block == 0:
            grand.append(f"{reason} (page {t.page} line {t.line})")
        else:
            for i in idx:
                bad.setdefault(i, reason)
    for i, reason in bad.items():
        if not report.rows[i].quarantined:
            report.rows[i] = replace(report.rows[i], quarantined=reason)
    seen: dict[tuple[str, str | None, str], Row] = {}
    for row in report.rows_loaded:
        key = (row.country, row.mission, row.personnel_type)
        if key in seen:
            first = seen[key]
            report.findings.append(Finding(
                "repeated_cell", f"{row.country} x {row.mission or '-'} x {row.personnel_type} printed "
                f"twice (page {first.page} line {first.line}); the two are added up", row.page, row.line))
        else:
            seen[key] = row
    return grand


def _check_complete(report: Report, pages: list[Page], grand: list[str]) -> None:
    """Whether the report can stand for its month; if not, ``report.incomplete`` says why
    and every row is quarantined with that reason.

    A page lost from the file takes its rows with it: they are not among the rows read, so
    no block of rows can be quarantined for them, and the rest would answer the month short.
    What shows it: the printed page numbers ("Page 16 of 30", where the layout prints them),
    the grand total (where the layout prints one, on the last page), and a grand total that
    the rows read do not add up to (``grand``, from ``_check_totals``). The flat table
    (2019-09, 2024-10) prints neither page numbers nor totals: a page missing from it
    cannot be seen in the file.
    """
    why = _page_numbers(pages)
    if report.layout in PRINTS_GRAND_TOTAL and not any(t.block == 0 for t in report.totals):
        why.append("no grand total printed (this layout prints one on its last page)")
    why += grand
    if not why:
        return
    report.incomplete = "; ".join(why)
    reason = f"report incomplete: {report.incomplete}"
    report.rows = [r if r.quarantined else replace(r, quarantined=reason) for r in report.rows]
    report.findings.append(Finding("incomplete_report", f"{report.incomplete}; none of its {len(report.rows)} "
                                   "rows is loaded (all quarantined), so its month is a gap"))


def _page_numbers(pages: list[Page]) -> list[str]:
    """The printed page numbers ("Page 3 of 30") against the pages in the file: every page
    of a report that numbers them prints its own number, of the same count."""
    printed: dict[int, tuple[int, int]] = {}
    for page in pages:
        for line in page.lines[-4:]:  # a footer
            for cell in line.cells:
                if (m := _PAGE_OF.fullmatch(cell.text)) is not None:
                    printed.setdefault(page.number, (int(m.group(1)), int(m.group(2))))
    if not printed:
        return []
    of = Counter(n_of for _, n_of in printed.values()).most_common(1)[0][0]
    numbers = Counter(n for n, n_of in printed.values() if n_of == of)
    out: list[str] = []
    missing = [n for n in range(1, of + 1) if n not in numbers]
    if missing:
        out.append(f"printed page{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} of {of} "
                   f"not in the file ({len(pages)} pages)")
    twice = sorted(n for n, k in numbers.items() if k > 1)
    if twice:
        out.append(f"printed page{'s' if len(twice) > 1 else ''} {', '.join(map(str, twice))} of {of} "
                   "in the file more than once")
    strays = [p.number for p in pages if printed.get(p.number, (0, 0))[1] != of]
    if strays:
        out.append(f"page{'s' if len(strays) > 1 else ''} {', '.join(map(str, strays))} of the file "
                   f"not numbered as one of the report's {of}")
    return out


def _flag_names(report: Report) -> None:
    """Names that end in "of", "and", "the" or a comma are cut off in the PDF itself."""
    for i, row in enumerate(report.rows):
        if _CONNECTOR.search(row.country) and "," not in row.country.rstrip(","):
            report.rows[i] = replace(row, cut_off=True)
    cut = sorted({r.country for r in report.rows if r.cut_off})
    if cut:
        report.findings.append(Finding("cut_off_name", f"names cut off in the PDF: {cut}"))


def reconciles(report: Report) -> bool:
    """True where the report is complete and no printed total disagrees with the rows read."""
    return not report.incomplete and not any("add up to" in p.reason for p in report.problems)


# -- many reports: parallel, cached ---------------------------------------------------------

def _for_path(report: Report, path: Path) -> Report:
    """The same bytes under another file name: redo what depends on the name."""
    report.path = str(path)
    m = _FILE_MONTH.search(path.name)
    report.file_month = f"{m.group(1)}-{m.group(2)}" if m else None
    report.findings = [f for f in report.findings if f.kind not in ("mislabelled_month", "month_from_file_name")]
    if report.month_source == "file_name" and report.file_month:
        report.month = report.file_month
        report.findings.append(Finding("month_from_file_name", f"no date printed; month "
                                       f"{report.file_month} taken from the file name"))
    elif report.file_month and report.file_month != report.month:
        report.findings.append(Finding("mislabelled_month", f"file named for {report.file_month} "
                                       f"prints {report.month}"))
    return report


def _cache_file(cache_dir: Path, sha: str) -> Path:
    return cache_dir / f"dpo-{sha[:32]}-v{PARSER_VERSION}.json"


def _load_cached(cache_dir: Path | None, path: Path, sha: str) -> Report | None:
    if cache_dir is None:
        return None
    try:
        data = orjson.loads(_cache_file(cache_dir, sha).read_bytes())
    except (OSError, ValueError):
        return None  # missing or half-written by a killed process: parse again
    if data.get("sha256") != sha:
        return None
    return _for_path(Report.from_dict(data), path)


def _store_cached(cache_dir: Path, report: Report) -> None:
    """Write atomically: a temporary file renamed into place, so concurrent builds and a
    kill -9 leave either the whole file or none."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".dpo-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(report.to_dict(), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, _cache_file(cache_dir, report.sha256))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parse_one(args: tuple[str, str]) -> Report | BaseException:
    path, sha = args
    try:
        return parse_report(path, sha)
    except (SourceReadError, SourceLayoutError) as exc:
        return exc


def parse_reports(paths: Iterable[Path | str], workers: int = 2, cache_dir: Path | str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  shas: Sequence[str] | None = None) -> list[Report]:
    """Parse many reports in parallel processes, reusing reports cached under ``cache_dir``
    (keyed by the file's sha256 and the parser version). Order follows ``paths``; ``shas``
    are the files' checksums where the caller has them already.

    A file that cannot be read raises its error after the others are parsed and cached.

    >>> reports = parse_reports(sorted(folder.glob("*.pdf")), cache_dir=tmp)  # doctest: +SKIP
    """
    files = [Path(p) for p in paths]
    cache = Path(cache_dir) if cache_dir is not None else None
    shas = list(shas) if shas is not None else [sha256_of(p) for p in files]
    out: list[Report | BaseException | None] = [_load_cached(cache, p, s) for p, s in zip(files, shas)]
    todo: dict[str, list[int]] = defaultdict(list)  # same bytes are parsed once
    for i, r in enumerate(out):
        if r is None:
            todo[shas[i]].append(i)
    jobs = [(str(files[idx[0]]), sha) for sha, idx in todo.items()]
    done = len(files) - sum(len(v) for v in todo.values())
    if progress:
        progress(done, len(files))
    if jobs:
        if workers > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                results = list(pool.map(_parse_one, jobs, chunksize=1))
        else:
            results = [_parse_one(j) for j in jobs]
        for (_, sha), result in zip(jobs, results):
            if isinstance(result, Report) and cache is not None:
                _store_cached(cache, result)
            for i in todo[sha]:
                if isinstance(result, Report):
                    r = Report.from_dict(result.to_dict()) if i != todo[sha][0] else result
                    out[i] = _for_path(r, files[i])
                else:
                    out[i] = result
            done += len(todo[sha])
            if progress:
                progress(done, len(files))
    errors = [r for r in out if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    # every slot is a Report now: a cached one, or a parse that raised nothing
    return [r for r in out if isinstance(r, Report)]


# -- across reports: duplicates, months, cut-off names --------------------------------------

def file_findings(reports: Sequence[Report], chosen: Mapping[str, Report] | None = None) -> list[Finding]:
    """Findings about files: byte-identical copies, files whose name and printed month
    differ, and distinct files that print the same month (with or without the same rows;
    given ``chosen``, the report kept for each month, they say which is loaded and why).

    >>> [f.kind for f in file_findings(reports)]  # doctest: +SKIP
    ['duplicate_file', 'mislabelled_month', ...]
    """
    out: list[Finding] = []
    by_sha: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        by_sha[r.sha256].append(r)
    for same in by_sha.values():
        if len(same) > 1:
            names = [Path(r.path).name for r in same]
            out.append(Finding("duplicate_file", f"{', '.join(names)} are byte-identical "
                               f"(sha256 {same[0].sha256[:12]}); they print {same[0].month}"))
    for r in reports:
        if r.month_source == "printed" and r.file_month and r.file_month != r.month:
            out.append(Finding("mislabelled_month", f"{Path(r.path).name} prints {r.month}"))
    by_month: dict[str, dict[str, Report]] = defaultdict(dict)
    for r in reports:
        by_month[r.month].setdefault(r.sha256, r)
    for month, files in sorted(by_month.items()):
        if len(files) > 1:
            names = sorted(Path(r.path).name for r in files.values())
            same_rows = len({tuple(sorted(_figures(r))) for r in files.values()}) == 1
            what = "with the same rows" if same_rows else "with different numbers (" + ", ".join(
                f"{Path(r.path).name} {sum(x.total for x in r.rows):,}"
                for r in sorted(files.values(), key=lambda r: Path(r.path).name)) + " in all)"
            kept = (chosen or {}).get(month)
            if kept is not None:
                why = why_chosen(kept, list(files.values()))
                rest = "the other file's rows are" if len(files) == 2 else "the other files' rows are"
                what += (f"; {Path(kept.path).name} is kept ({why}) but incomplete, so none is loaded"
                         if kept.incomplete else f"; {Path(kept.path).name} is loaded ({why}), {rest} quarantined")
            out.append(Finding("same_month", f"{month} is printed by {len(files)} different files {names}, {what}"))
    return out


def _figures(report: Report) -> list[tuple[str, str | None, str, int | None, int | None, int]]:
    """Every row read, loaded or not, as its figures."""
    return [(r.country, r.mission, r.personnel_type, r.male, r.female, r.total) for r in report.rows]


def _preference(r: Report) -> tuple[bool, bool, bool, str]:
    """How ``select_reports`` ranks files that print the same month, best first."""
    return (bool(r.incomplete), r.month_source != "printed", r.file_month != r.month, Path(r.path).name)


def why_chosen(kept: Report, rivals: Sequence[Report]) -> str:
    """Why ``select_reports`` keeps ``kept`` rather than the other files for its month: for
    each other file, the first rule of the ranking that tells the two apart.

    >>> why_chosen(kept, [kept, copy_named_2025_06])  # doctest: +SKIP
    'its month is printed; UN_country_contributions_2025_06 (1).pdf has it only from its file name'
    """
    mine = _preference(kept)
    said: list[str] = []
    for other in rivals:
        if other.sha256 == kept.sha256:
            continue
        theirs, name = _preference(other), Path(other.path).name
        rule = next((i for i in range(3) if theirs[i] != mine[i]), 3)
        said.append(f"it is complete; {name} is not ({other.incomplete})" if rule == 0 else
                    f"its month is printed; {name} has it only from its file name" if rule == 1 else
                    f"its file name agrees with the printed month; {name}'s does not" if rule == 2 else
                    f"first by file name before {name}: nothing else tells them apart")
    return "; ".join(said) or "the same bytes"


def select_reports(reports: Sequence[Report]) -> tuple[list[Report], list[Finding]]:
    """One report per printed month, never two. Where several files print a month, the
    first of: the complete report (``Report.incomplete`` empty), the one whose month is
    printed (not taken from its file name), the one whose file name agrees with the printed
    month, the first by name. The ``same_month`` finding names every file and the one kept."""
    chosen: dict[str, Report] = {}
    for r in sorted(reports, key=_preference):
        chosen.setdefault(r.month, r)
    return sorted(chosen.values(), key=lambda r: r.month), file_findings(reports, chosen)


def cells(report: Report) -> dict[tuple[str, str | None, str], tuple[int | None, int | None, int]]:
    """The loaded rows summed per (country, mission, type): a mission printed twice within
    a country is counted once, with both lines added."""
    out: dict[tuple[str, str | None, str], tuple[int | None, int | None, int]] = {}
    for r in report.rows_loaded:
        key = (r.country, r.mission, r.personnel_type)
        male, female, total = out.get(key, (0 if r.male is not None else None,
                                            0 if r.female is not None else None, 0))
        out[key] = (None if male is None or r.male is None else male + r.male,
                    None if female is None or r.female is None else female + r.female,
                    total + r.total)
    return out


def resolve_cut_names(report: Report, neighbours: Sequence[Report]) -> Report:
    """Resolve names cut off in ``report`` from the reports of neighbouring months.

    A printed name is taken as cut off when the neighbours never print it but print names
    that begin with its words ("Russian" -> "Russian Federation"). It is resolved only when
    exactly one such name appears, in the neighbours, at the same mission and personnel
    type; otherwise its rows are quarantined with the candidates. Returns a new report.
    """
    known = {r.country for n in neighbours for r in n.rows}
    at: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for n in neighbours:
        for r in n.rows:
            at[(r.mission, r.personnel_type)].add(r.country)
    out = Report.from_dict(report.to_dict())
    out.path, out.file_month = report.path, report.file_month
    resolved: dict[str, set[str]] = defaultdict(set)
    for i, row in enumerate(out.rows):
        if row.country in known:
            continue
        prefixed = sorted(k for k in known if k.startswith(row.country.rstrip(",")) and k != row.country)
        if not prefixed:
            continue
        here = sorted(c for c in at[(row.mission, row.personnel_type)] if c in prefixed)
        if len(here) == 1:
            out.rows[i] = replace(row, country=here[0], cut_off=True)
            resolved[f"{row.country!r} -> {here[0]!r}"].add(f"{row.page}:{row.line}")
        else:
            reason = f"name {row.country!r} cut off; candidates {here or prefixed}"
            out.rows[i] = replace(row, cut_off=True, quarantined=row.quarantined or reason)
            out.problems.append(Problem(row.page, row.line, reason, row.country, tuple(here or prefixed)))
    for what, where in sorted(resolved.items()):
        out.findings.append(Finding("cut_off_name_resolved", f"{what} from the neighbouring months "
                                    f"({len(where)} rows)"))
    return out
