"""The UN Peace and Security Data Hub's contributions CSV (DPO-UCHISTORICAL) as personnel observations.

The Hub publishes the monthly contributions of uniformed personnel, 2010 onward, as one
table: ``contribution_id, contributing_country, isocode3, m49_code, mission_acronym,
personnel_type, male_personnel, female_personnel, last_reporting_date``, one row per
contributor x mission x personnel type x month, male and female, no total (the total is
their sum). Older copies capitalise the column names, write dates ``dd/mm/yyyy`` and pad
the acronyms with spaces; the Hub's JSON API gives dates as epoch integers, in seconds or
milliseconds, and a CSV made from it may carry them too. All of these are read.

A row is quarantined, with its line and the column as the file writes it, when:

- its date is not a date in one of those forms, or lies outside 1990 .. 2099 (a date that
  is not the month's last day is counted in its month, with a ``datahub_not_month_end``
  finding: the Hub's dates are month ends);
- its country name is not one the country reference knows (as for the PDF reports, the
  name decides: the same spelling gives the same contributor in both), or ``isocode3``
  names another country than the name does (the row cannot be attributed with certainty);
  an ``isocode3`` the reference does not know, or an ``m49_code`` that disagrees, is only
  a finding; digits in ``isocode3`` and letters in ``m49_code`` are the two columns
  swapped, read the other way round with a finding;
- its mission acronym is empty, or its personnel type is not one of the Hub's five
  (``troops``, ``staff_officer``, ``experts_on_mission``, ``individual_police``,
  ``formed_police_units``, in any case or spacing);
- a count is empty, negative or not a whole number;
- it repeats the (month, contributor, mission, type) of an earlier row of the file:
  ``duplicate of line N``, or ``conflicting duplicate of line N`` if its numbers differ.

Mission acronyms are trimmed of padding and upper-cased: the codes the PDF reports print
(both come from the same UN system); one no mission list knows surfaces, as for the
reports, as ``mission_not_in_reference``. Personnel types map as the reports' do:
``staff_officer`` to ``staff_officers``, which ``--type troops`` counts with troops.

A month in several Hub files is loaded from one (the file reaching the latest month, a
later export with the Hub's revisions; then the first by name); the other files' rows for
it are quarantined naming it, and a finding says whether their numbers agree. Whether a
month also printed in a PDF report is answered from the report or the Hub is the
precedence of the layouts (``sources/dpo.py``).
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pyarrow as pa
import pyarrow.compute as pc

from ..domain import Context
from ..records import Finding, LayoutResult, Problem, SourceFile
from .base import Attributor, Column, header_of, read_csv_strings
from .dpo_months import Cells, describe, differences, month_cells

__all__ = ["COLUMNS", "HUB_TYPES", "read_contributions", "parse_date", "mission_code", "FIRST_YEAR", "LAST_YEAR"]

COLUMNS = (
    Column("contribution_id", ("contribution_id",), "text", required=False),  # not used: its meaning is not documented
    Column("country", ("contributing_country",), "name"),
    Column("iso3", ("isocode3",), "text", required=False),
    Column("m49", ("m49_code",), "text", required=False),
    Column("mission", ("mission_acronym",), "name"),
    Column("type", ("personnel_type",), "name"),
    Column("male", ("male_personnel",), "count"),
    Column("female", ("female_personnel",), "count"),
    Column("date", ("last_reporting_date",), "date"),
)

#: the Hub's personnel types (letters only, lower case) -> the reports' vocabulary
HUB_TYPES = {
    "troops": "troops", "troop": "troops",
    "staffofficer": "staff_officers", "staffofficers": "staff_officers",
    "expertsonmission": "experts", "expertonmission": "experts",
    "individualpolice": "individual_police",
    "formedpoliceunits": "formed_police", "formedpoliceunit": "formed_police",
}

#: the years a row may be dated in: the UN's monthly contribution figures begin in 1990
FIRST_YEAR, LAST_YEAR = 1990, 2099
# an epoch this large is in milliseconds: 1e11 seconds is the year 5138, 1e11 ms 1973-03
_EPOCH_MS = 10 ** 11
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: [0-9:.]*)?")
_EPOCH = re.compile(r"-?\d+(?:\.0*)?")
_COUNT = re.compile(r"\d+(?:\.0*)?")
_DATE_FORMS = "YYYY-MM-DD, dd/mm/yyyy or epoch seconds/milliseconds"


def parse_date(text: str) -> date:
    """A Hub date as written, or ``ValueError`` with the reason.

    >>> parse_date("2025-07-31"), parse_date("31/07/2025"), parse_date("1753920000000")
    (datetime.date(2025, 7, 31), datetime.date(2025, 7, 31), datetime.date(2025, 7, 31))
    """
    s = text.strip()
    try:
        if m := _ISO.fullmatch(s):
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif m := _DMY.fullmatch(s):
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        elif _EPOCH.fullmatch(s):
            n = int(float(s))
            d = datetime.fromtimestamp(n / 1000 if abs(n) >= _EPOCH_MS else n, tz=timezone.utc).date()
        else:
            raise ValueError(f"not a date ({_DATE_FORMS})")
    except (OverflowError, OSError) as exc:
        raise ValueError(f"not a date ({_DATE_FORMS})") from exc
    except ValueError as exc:
        if "not a date" in str(exc):
            raise
        raise ValueError(f"not a date ({exc})") from None
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise ValueError(f"date {d.isoformat()} outside {FIRST_YEAR} .. {LAST_YEAR}")
    return d


def mission_code(text: str) -> str:
    """An acronym as the reports print it: padding trimmed, upper case.

    >>> mission_code("  Minusca   ")
    'MINUSCA'
    """
    return " ".join(text.split()).upper()


def _count(text: str | None) -> int:
    if text is not None and text.isdigit():  # the usual case, cheaply
        return int(text)
    s = (text or "").strip()
    if _COUNT.fullmatch(s):
        return int(float(s))
    if not s:
        raise ValueError("empty")
    if re.fullmatch(r"-\d+(?:\.0*)?", s):
        raise ValueError(f"negative count: {s!r}")
    raise ValueError(f"not a whole number: {s!r}")


@dataclass
class _Countries:
    """Name -> ISO3 with the code columns checked against it, judged once per distinct
    (name, isocode3, m49_code) of a file; what is only noted is counted per row."""

    ctx: Context
    seen: dict[tuple[str, str, str], tuple[str | None, str, str, tuple[tuple[str, str], ...]]] = \
        field(default_factory=dict)
    noted: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))  # (kind, what) -> rows

    def resolve(self, name: str, iso: str, m49: str) -> tuple[str | None, str, str]:
        """(ISO3, "", "") or (None, column, reason): column is ``country`` or ``iso3``."""
        key = (name, iso, m49)
        if (hit := self.seen.get(key)) is None:
            notes: list[tuple[str, str]] = []
            hit = self.seen[key] = (*self._resolve(name.strip(), iso.strip(), m49.strip(), notes), tuple(notes))
        for note in hit[3]:
            self.noted[note] += 1
        return hit[0], hit[1], hit[2]

    def _resolve(self, name: str, iso: str, m49: str, notes: list[tuple[str, str]]) -> tuple[str | None, str, str]:
        idx = self.ctx.countries
        if iso.replace(".", "").isdigit() and (not m49 or m49.isalpha()):
            notes.append(("datahub_codes_swapped", f"isocode3 {iso!r} with m49_code {m49!r}"))
            iso, m49 = m49, iso
        iso = iso.upper()
        by_iso = iso if iso in idx.countries else None
        if not name:
            return None, "country", "empty"
        iso3 = self.ctx.resolve_country(name)
        if iso3 is None:
            said = f"; isocode3 says {iso}" if iso else ""
            close = idx.suggest(name)
            hint = f" (closest: {', '.join(close)})" if close else ""
            return None, "country", f"unknown country {name!r}{hint}{said}"
        if iso and by_iso is None:
            notes.append(("datahub_iso3_unknown", f"{iso!r} with {name!r} (taken as {iso3})"))
        elif by_iso is not None and by_iso != iso3:
            return None, "iso3", f"contributing_country {name!r} is {iso3} but isocode3 says {by_iso}"
        known = idx.countries[iso3].m49
        if m49 and known is not None:
            try:
                code: int | None = int(float(m49))
            except ValueError:
                code = None
            if code != known:
                notes.append(("datahub_m49_mismatch", f"{m49!r} with {name!r} ({iso3}, M49 {known})"))
        return iso3, "", ""

    def findings(self, sf: SourceFile) -> list[Finding]:
        by_kind: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for (kind, what), n in sorted(self.noted.items()):
            by_kind[kind].append((what, n))
        return [Finding(sf.source_id, kind, f"{sf.relpath}: {_KIND_TEXT[kind]}: "
                        + "; ".join(f"{what} ({n} rows)" for what, n in items[:10])
                        + (f"; and {len(items) - 10} more" if len(items) > 10 else ""), sum(n for _, n in items))
                for kind, items in by_kind.items()]


@dataclass
class _Read:
    """One file's good rows (line, month, ISO3, mission, type, male, female) and problems."""

    sf: SourceFile
    rows: list[tuple[int, date, str, str, str, int, int]]
    problems: list[Problem]
    findings: list[Finding]
    date_header: str
    months: set[date]


def _read_file(sf: SourceFile, ctx: Context) -> _Read:
    raw, problems = read_csv_strings(sf, COLUMNS)
    countries = _Countries(ctx)
    # a row for a state before it existed is its predecessor's (the pre-2010 file's Russia of 1991)
    attributed = Attributor(sf.layout, monthly=True)
    sf.rows_read = raw.num_rows + len(problems)
    header = {c.name: header_of(raw, c.name, c.headers[0]) for c in COLUMNS}
    col = {c.name: raw.column(c.name).to_pylist() for c in COLUMNS}
    # a file has a few distinct dates, names, acronyms and types: each is judged once
    dates: dict[str | None, tuple[date, str] | str] = {}  # text -> (month, the day if not its last), or why not
    missions: dict[str | None, str] = {}
    types: dict[str | None, str | None] = {}
    rows: list[tuple[int, date, str, str, str, int, int]] = []
    first_of: dict[tuple[date, str, str, str], tuple[int, int, int]] = {}  # key -> line, male, female
    findings: list[Finding] = []
    not_month_end: list[tuple[int, str]] = []
    dups = 0
    spellings: set[tuple[str, str, int]] = set()

    def bad(line: int, column: str, reason: str) -> None:
        problems.append(Problem(sf.source_id, line, header[column], reason))

    for line, text, name, iso, m49, printed_mission, printed, male_text, female_text in zip(
            raw.column("line").to_pylist(), *(col[c] for c in ("date", "country", "iso3", "m49", "mission", "type",
                                                                "male", "female"))):
        if (when := dates.get(text)) is None:
            when = dates[text] = _judge_date(text or "")
        if isinstance(when, str):
            bad(line, "date", when)
            continue
        month, odd_day = when
        name = name or ""
        iso3, where, why = countries.resolve(name, iso or "", m49 or "")
        if iso3 is None:
            bad(line, where, why)
            continue
        spelled = iso3
        iso3 = attributed(sf.source_id, iso3, month)
        if (mission := missions.get(printed_mission)) is None:
            mission = missions[printed_mission] = mission_code(printed_mission or "")
        if not mission:
            bad(line, "mission", "empty")
            continue
        if printed not in types:
            types[printed] = HUB_TYPES.get(re.sub(r"[^a-z]", "", (printed or "").casefold()))
        type_ = types[printed]
        if type_ is None:
            bad(line, "type", f"unknown personnel type {printed!r} (expected troops, staff_officer, "
                              "experts_on_mission, individual_police or formed_police_units)")
            continue
        try:
            male = _count(male_text)
        except ValueError as exc:
            bad(line, "male", str(exc))
            continue
        try:
            female = _count(female_text)
        except ValueError as exc:
            bad(line, "female", str(exc))
            continue
        key = (month, iso3, mission, type_)
        if (first := first_of.get(key)) is not None:
            same = first[1:] == (male, female)
            bad(line, "country", f"{'duplicate' if same else 'conflicting duplicate'} of line {first[0]}"
                + ("" if same else f" ({male} male, {female} female there {first[1]}, {first[2]})"))
            dups += 1
            continue
        first_of[key] = (line, male, female)
        if odd_day:
            not_month_end.append((line, odd_day))
        spellings.add((name.strip(), spelled, sf.source_id))
        rows.append((line, month, iso3, mission, type_, male, female))
    ctx.spellings.extend(spellings)
    findings += countries.findings(sf) + attributed.findings()
    if dups:
        findings.append(Finding(sf.source_id, "duplicate_rows",
                                f"{dups} rows repeat an earlier row's (month, contributor, mission, type); quarantined",
                                dups))
    if not_month_end:
        line, day = not_month_end[0]
        findings.append(Finding(sf.source_id, "datahub_not_month_end",
                                f"{sf.relpath}: {len(not_month_end)} rows are dated on a day that is not the "
                                f"month's last (first: line {line}, {day}); each counted in its date's month",
                                len(not_month_end)))
    return _Read(sf, rows, problems, findings, header["date"], {r[1] for r in rows})


def _judge_date(text: str) -> tuple[date, str] | str:
    """(month, the day where it is not the month's last, else ""), or the reason it is no date."""
    if not text.strip():
        return "empty"
    try:
        day = parse_date(text)
    except ValueError as exc:
        return f"{exc}: {text!r}"
    last = monthrange(day.year, day.month)[1]
    return day.replace(day=1), ("" if day.day == last else day.isoformat())


def read_contributions(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Every Data Hub contributions CSV of the layout: the rows of each month from one file
    (long: one row per contributor x mission x type, with male, female and total), the
    quarantined rows, the findings, and ``datahub_month``: which file gives which month."""
    reads = [_read_file(sf, ctx) for sf in files]
    problems = [p for r in reads for p in r.problems]
    findings = [f for r in reads for f in r.findings]

    chosen = _one_file_per_month(reads)
    parts, stats = [], []
    for r in reads:
        table = _table(r)
        sums = table.group_by("date").aggregate([("line", "count"), ("male", "sum"), ("female", "sum")])
        for month, n, male, female in zip(*(sums.column(c).to_pylist() for c in
                                            ("date", "line_count", "male_sum", "female_sum"))):
            stats.append({"source_id": r.sf.source_id, "month": month, "rows": n, "male": male, "female": female,
                          "total": male + female, "loaded": chosen[month] is r})
        elsewhere = {m for m in r.months if chosen[m] is not r}
        if elsewhere:  # rare: the file repeats a month another Hub file gives
            for line, month, *_ in r.rows:
                if month in elsewhere:
                    problems.append(Problem(r.sf.source_id, line, r.date_header,
                                            f"{month:%Y-%m} is loaded from {chosen[month].sf.relpath} (one file "
                                            "per month: the one reaching the latest month, then the first by name)"))
            table = table.filter(pc.invert(pc.is_in(table.column("date"), pa.array(sorted(elsewhere), pa.date32()))))
        parts.append(table)
    findings += _repeated_months(reads, chosen)
    months = pa.Table.from_pylist(sorted(stats, key=lambda d: (d["source_id"], d["month"])), schema=_MONTHS)
    table = pa.concat_tables(parts) if parts else _ROWS.empty_table()
    return LayoutResult(files[0].layout if files else "", table, files, problems, findings, {"datahub_month": months})


def _table(r: _Read) -> pa.Table:
    """A file's good rows as the long table the personnel writer takes."""
    n = len(r.rows)
    lines, months, isos, missions, types, males, females = (zip(*r.rows) if n else ((),) * 7)
    male, female = pa.array(males, pa.int64()), pa.array(females, pa.int64())
    return pa.table([pa.array([r.sf.source_id] * n, pa.int32()), pa.array(lines, pa.int32()),
                     pa.array(months, pa.date32()), pa.array(isos, pa.string()), pa.array(missions, pa.string()),
                     pa.array(types, pa.string()), male, female, pc.add(male, female)], schema=_ROWS)


def _one_file_per_month(reads: list[_Read]) -> dict[date, _Read]:
    last = {id(r): max(r.months, default=date.min) for r in reads}
    chosen: dict[date, _Read] = {}
    for r in sorted(reads, key=lambda r: (-last[id(r)].toordinal(), r.sf.relpath)):
        for month in r.months:
            chosen.setdefault(month, r)
    return chosen


def _repeated_months(reads: list[_Read], chosen: dict[date, _Read]) -> list[Finding]:
    """A file's months loaded from another: one finding per pair of files, saying in which
    months their numbers agree and in which they do not."""
    out: list[Finding] = []
    cache: dict[int, dict[str, Cells]] = {}

    def cells(r: _Read) -> dict[str, Cells]:
        if id(r) not in cache:
            cache[id(r)] = month_cells({"date": month, "contributor": iso3, "mission": mission, "type": type_,
                                        "male": male, "female": female, "total": male + female}
                                       for _, month, iso3, mission, type_, male, female in r.rows)
        return cache[id(r)]

    for r in reads:
        elsewhere: dict[int, list[date]] = defaultdict(list)
        for month in sorted(r.months):
            if chosen[month] is not r:
                elsewhere[id(chosen[month])].append(month)
        for other_id, months in elsewhere.items():
            other = next(x for x in reads if id(x) == other_id)
            mine, theirs = cells(r), cells(other)
            differ = [(m, d) for m in months
                      if (d := differences(mine[f"{m:%Y-%m}"], theirs[f"{m:%Y-%m}"]))]
            span = f"{months[0]:%Y-%m} .. {months[-1]:%Y-%m}" if len(months) > 1 else f"{months[0]:%Y-%m}"
            text = (f"{r.sf.relpath} repeats {len(months)} month(s) ({span}) that are loaded from "
                    f"{other.sf.relpath}; its rows for them are quarantined")
            if differ:
                out.append(Finding(r.sf.source_id, "datahub_month_conflict", text + "; with different numbers in "
                                   + ", ".join(f"{m:%Y-%m} ({describe(d, 1)})" for m, d in differ[:5])
                                   + (f" and {len(differ) - 5} more months" if len(differ) > 5 else ""), len(differ)))
            else:
                out.append(Finding(r.sf.source_id, "datahub_month_repeated", text + "; the numbers are the same",
                                   len(months)))
    return out


_KIND_TEXT = {
    "datahub_codes_swapped": "isocode3 holds digits and m49_code letters, read the other way round",
    "datahub_iso3_unknown": "isocode3 codes the country reference does not know; the name decided",
    "datahub_m49_mismatch": "m49_code codes that are not the named country's; the name decided",
}

_ROWS = pa.schema([("source_id", pa.int32()), ("line", pa.int32()), ("date", pa.date32()),
                   ("contributor", pa.string()), ("mission", pa.string()), ("type", pa.string()),
                   ("male", pa.int64()), ("female", pa.int64()), ("total", pa.int64())])
_MONTHS = pa.schema([("source_id", pa.int32()), ("month", pa.date32()), ("rows", pa.int32()),
                     ("male", pa.int64()), ("female", pa.int64()), ("total", pa.int64()), ("loaded", pa.bool_())])
