"""Peacekeeper fatalities: the official incident-level list and a scholarly aggregate.

Two files, two grains:

- ``un/DPPADPOSS-FATALITIES.csv`` (UN Peace and Security Data Hub): one row per casualty,
  1948-2023, with mission, nationality (name, ISO3 and an M49 code written as a float,
  ``250.0``), personnel type, incident type and gender. It goes to table ``fatality``.
- ``mandates/Contigent-mission-month_data.dta`` (treywood10/Mandate_Contribute): deaths
  by nationality x mission x month, 1948-2015, split by cause (illness, accident,
  malicious act, other) and by personnel category. It goes to table ``fatality_month``.

Nationality: the ISO3 column wins when it is a known code, then the M49 code, then the
name; disagreements between them are findings. A nationality the source itself marks as
unknown (``ZZ [Undetermined]`` or blank) is loaded with ``nationality`` NULL, because the
death still counts for its mission, and reported as a finding; a written name that no
reference table knows is a problem (quarantined), never guessed.

Missions are kept as written. The two files spell some missions differently (the
aggregate's ``UNOSOM`` covers the official ``UNOSOM I`` and ``UNOSOM II``): the
reconciliation records the resulting differences and ``fatalities.findings`` names the
acronyms met in only one file; nothing is mapped by guesswork.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from .base import (Column, Finding, attribute, LayoutResult, Problem, SourceFile, header_of, quarantine_duplicates,
                   read_files, bad_rows, row_text, validate)
from ..domain import Context
from .stata import read_stata_files, year_month

__all__ = ["read_un_fatalities", "read_fatality_aggregates"]

# How the source marks a nationality it does not know: loaded with nationality NULL.
UNDETERMINED = ("", "ZZ [Undetermined]", "ZZ", "Undetermined", "Unknown")

UN_COLUMNS = [
    Column("incident_date", ("incident_date",), "date"),
    Column("casualty_id", ("casualty_id",), "text", required=False),
    Column("mission", ("mission_acronym",), "name"),
    Column("casualty_type", ("type_of_casualty",), "text", required=False),
    Column("gender", ("gender",), "text", required=False),
    Column("nationality_name", ("casualty_nationality",), "text"),
    Column("personnel_type", ("casualty_personnel_type",), "text", required=False),
    Column("incident_type", ("type_of_incident",), "text", required=False),
    Column("m49", ("m49_code",), "number", required=False),
    Column("isocode3", ("isocode3",), "text", required=False),
]

AGG_COLUMNS = [
    Column("month", ("month",), "date"),  # derived from the Stata variables Year and Month
    Column("nationality_name", ("Nationality",), "text"),
    Column("mission", ("Mission",), "name"),
    Column("illness", ("Illness",), "count"),
    Column("accident", ("Accident",), "count"),
    Column("malicious", ("Malicious",), "count"),
    Column("other", ("Other",), "count"),
    Column("total", ("Total",), "count"),
    Column("military", ("Mil",), "count"),
    Column("observers", ("Obs",), "count"),
    Column("police", ("Police",), "count"),
    Column("local_staff", ("Local",), "count"),
    Column("international_staff", ("International",), "count"),
    Column("other_staff", ("Otherstaff",), "count"),
]

FATALITY_COLUMNS = ["source_id", "line", "casualty_id", "incident_date", "month", "mission", "nationality",
                    "nationality_name", "personnel_type", "incident_type", "casualty_type", "gender"]
AGG_OUT = ["source_id", "line", "month", "mission", "nationality", "nationality_name", "illness", "accident",
           "malicious", "other", "total", "military", "observers", "police", "local_staff",
           "international_staff", "other_staff"]


def _strip(table: pa.Table, names: list[str]) -> pa.Table:
    """Trim spaces (``"Local "``) and turn empty text into NULL."""
    for name in names:
        v = pc.utf8_trim_whitespace(table.column(name))
        v = pc.if_else(pc.equal(v, ""), pa.scalar(None, pa.string()), v)
        table = table.set_column(table.column_names.index(name), pa.field(name, pa.string(),
                                 metadata=table.schema.field(name).metadata), v)
    return table


def _nationalities(table: pa.Table, ctx: Context, header: str, findings: list[Finding],
                   use_codes: bool) -> tuple[pa.Table, list[Problem]]:
    """Add ``nationality`` (ISO3 or NULL for an undetermined one); unknown names are problems.

    With ``use_codes`` the ISO3 column, then the M49 code, then the name decide, and every
    distinct disagreement between them is a finding.
    """
    index = ctx.countries
    by_m49 = {c.m49: c.iso3 for c in index.countries.values() if c.m49 is not None}
    names = table.column("nationality_name").to_pylist()
    isos = table.column("isocode3").to_pylist() if use_codes else [None] * len(names)
    m49s = table.column("m49").to_pylist() if use_codes else [None] * len(names)
    sids = table.column("source_id").to_pylist()
    # one lookup per distinct (name, ISO3, M49): code, status, messages for findings
    seen: dict[tuple[str | None, str | None, float | None], tuple[str | None, str, list[tuple[str, str]]]] = {}
    notes: dict[tuple[int, str, str], int] = defaultdict(int)
    out: list[str | None] = []
    bad: list[int] = []
    met: set[tuple[str, str, int]] = set()
    for i, key in enumerate(zip(names, isos, m49s)):
        if key not in seen:
            name, iso, m49 = key
            by_iso = iso.upper() if iso and iso.upper() in index.countries else None
            by_code = by_m49.get(int(m49)) if m49 is not None and float(m49).is_integer() else None
            by_name = index.resolve(name) if name else None
            code = by_iso or by_code or by_name
            messages: list[tuple[str, str]] = []
            if code is None:
                status = "undetermined" if (name or "") in UNDETERMINED else "unknown"
                if status == "undetermined":
                    messages.append(("nationality_undetermined",
                                     f"nationality {name or '(blank)'!r} is undetermined in the source; "
                                     "loaded with nationality NULL"))
            else:
                status = "ok"
                if iso and not by_iso:
                    messages.append(("country_mismatch", f"{name!r}: ISO3 {iso!r} is not a known code; used {code}"))
                if m49 is not None and not by_code:
                    messages.append(("country_mismatch", f"{name!r}: M49 {m49:g} is not a known code; used {code}"))
                for what, val in (("ISO3 column", by_iso), ("M49 code", by_code), ("name", by_name)):
                    if val and val != code:
                        messages.append(("country_mismatch", f"{name!r}: {what} says {val}; used {code}"))
                if use_codes and not iso and m49 is None:
                    messages.append(("nationality_by_name",
                                     f"{name!r} has no ISO3 or M49 code; resolved by name to {code}"))
            seen[key] = (code, status, messages)
        code, status, messages = seen[key]
        out.append(code)
        if status == "unknown":
            bad.append(i)
        for kind, message in messages:
            notes[(sids[i], kind, message)] += 1
        if code and key[0]:
            met.add((key[0], code, sids[i]))
    ctx.spellings.extend(sorted(met))
    for (sid, kind, message), count in notes.items():
        findings.append(Finding(sid, kind, f"{message} ({count} rows)", count))
    problems = []
    for i, (row, raw) in zip(bad, bad_rows(table, bad)):
        name = names[i] or ""
        hint = index.suggest(name)
        problems.append(Problem(sids[i], row["line"], header,
                                f"unknown country {name!r}" + (f" (closest: {', '.join(hint)})" if hint else ""), raw))
    table = table.append_column("nationality", pa.array(out, pa.string()))
    if bad:
        keep = pc.invert(pc.is_in(pa.array(range(table.num_rows)), pa.array(bad)))
        table = table.filter(keep)
    return table, problems


def _dedupe_casualties(table: pa.Table, ctx: Context, header: str,
                       findings: list[Finding]) -> tuple[pa.Table, list[Problem]]:
    """One death, one row: a ``casualty_id`` listed twice is quarantined once.

    The official file lists six UNMIK deaths of 2003-2005 twice, once as Serbia and
    Montenegro (SCG) and once as Montenegro (MNE), which was not yet independent. The
    row kept is the one whose nationality was a state on the incident date: a row naming a
    successor of a state another copy names, and which still existed then, is the copy
    dropped; otherwise the first row is kept.
    """
    ids = table.column("casualty_id").to_pylist()
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    sids = table.column("source_id").to_pylist()
    for i, cid in enumerate(ids):
        if cid:
            groups[(sids[i], cid)].append(i)
    dups = {k: v for k, v in groups.items() if len(v) > 1}
    if not dups:
        return table, []
    nat = table.column("nationality").to_pylist()
    day = table.column("incident_date").to_pylist()
    lines = table.column("line").to_pylist()
    countries = ctx.countries.countries
    mission = table.column("mission").to_pylist()
    drop: list[int] = []
    problems: list[Problem] = []
    listed: list[str] = []
    for (sid, cid), rows in dups.items():
        def superseded(i: int) -> str | None:
            for j in rows:
                p = countries.get(nat[j] or "")
                if j != i and p and nat[i] in p.successors and \
                        (p.valid_to is None or dt.date.fromisoformat(p.valid_to) >= day[i]):
                    return p.iso3
            return None
        keep = next((i for i in rows if superseded(i) is None), rows[0])
        for i in rows:
            if i == keep:
                continue
            why = superseded(i)
            reason = (f"duplicate of line {lines[keep]} (same casualty_id {cid!r})"
                      + (f": {nat[i]} is a successor of {why}, which still existed on {day[i]:%Y-%m-%d}"
                         if why else ""))
            problems.append(Problem(sid, lines[i], header, reason, row_text(table, i)))
            drop.append(i)
            listed.append(f"{cid} ({mission[i]}, {day[i]:%Y-%m-%d}, {nat[keep] or '?'}/{nat[i] or '?'}, "
                          f"lines {lines[keep]} and {lines[i]})")
    findings.append(Finding(sids[drop[0]], "duplicate_casualty",
                            f"{len(drop)} casualties listed twice (same casualty_id, date and mission; "
                            f"nationality kept/dropped): {'; '.join(listed)}; one copy quarantined each, "
                            "so each death counts once", len(drop)))
    keep_mask = pc.invert(pc.is_in(pa.array(range(table.num_rows)), pa.array(drop)))
    return table.filter(keep_mask), problems


def read_un_fatalities(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The official list, one row per casualty, into table ``fatality``."""
    raw, problems = read_files(files, UN_COLUMNS)
    raw = _strip(raw, ["casualty_id", "gender", "nationality_name", "personnel_type", "incident_type",
                       "casualty_type", "isocode3", "m49", "mission"])
    # the day itself, before validation turns the date into its month's first day
    day = pc.strptime(pc.utf8_slice_codeunits(pc.fill_null(raw.column("incident_date"), ""), 0, 10),
                      format="%Y-%m-%d", unit="s", error_is_null=True)
    raw = raw.append_column("day", pc.cast(day, pa.date32()))
    table, bad = validate(raw, UN_COLUMNS)
    problems += bad
    # "2003-02-30" matches the date pattern but is no day
    no_day = pc.is_null(table.column("day"))
    if pc.any(no_day).as_py():
        header = header_of(table, "incident_date", "incident_date")
        for row, raw in bad_rows(table, pc.indices_nonzero(no_day)):
            problems.append(Problem(row["source_id"], row["line"], header, "not a calendar date", raw))
        table = table.filter(pc.invert(no_day))
    table = table.rename_columns(["month" if c == "incident_date" else "incident_date" if c == "day" else c
                                  for c in table.column_names])
    findings: list[Finding] = []
    nat_header = header_of(table, "nationality_name", "casualty_nationality")
    table, bad = _nationalities(table, ctx, nat_header, findings, use_codes=True)
    problems += bad
    table, bad = _dedupe_casualties(table, ctx, header_of(table, "casualty_id", "casualty_id"), findings)
    problems += bad
    # a casualty is a national of the state that existed on the incident's day (after the
    # de-duplication, which keeps the copy naming that state)
    table = attribute(table, "nationality", "incident_date", files[0].layout, findings, monthly=False)
    return LayoutResult(files[0].layout, table.select(FATALITY_COLUMNS), files, problems, findings)


def read_fatality_aggregates(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The Stata aggregate (nationality x mission x month), into table ``fatality_month``.

    ``line`` is the row number + 1 (see stata.py).
    """
    raw, problems = read_stata_files(files, AGG_COLUMNS, {"month": year_month("Year", "Month")})
    raw = _strip(raw, ["nationality_name", "mission"])
    table, bad = validate(raw, AGG_COLUMNS)
    problems += bad
    findings: list[Finding] = []
    table, bad = _nationalities(table, ctx, header_of(table, "nationality_name", "Nationality"), findings,
                                use_codes=False)
    problems += bad
    table = attribute(table, "nationality", "month", files[0].layout, findings, monthly=True)
    table, bad = quarantine_duplicates(ctx.con, table, ["month", "mission", "nationality_name"], "Mission",
                                       findings)
    problems += bad
    # the file's own totals: kept as written, inconsistencies reported
    causes = sum(pc.fill_null(table.column(c), 0).to_numpy() for c in ("illness", "accident", "malicious", "other"))
    kinds = sum(pc.fill_null(table.column(c), 0).to_numpy()
                for c in ("military", "observers", "police", "local_staff", "international_staff", "other_staff"))
    total = pc.fill_null(table.column("total"), 0).to_numpy()
    for what, parts_sum in (("causes", causes), ("personnel categories", kinds)):
        off = int((parts_sum != total).sum())
        if off:
            findings.append(Finding(files[0].source_id, "stated_total",
                                    f"{off} rows whose Total differs from the sum of its {what}", off))
    return LayoutResult(files[0].layout, table.select(AGG_OUT), files, problems, findings)
