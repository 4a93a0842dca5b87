"""Deployment sites: Geo-PKO v2.0, one row per deployment location per UN deployment map.

Source: ``geopko/geopko_v2.0.csv`` (Cil, Fjelde, Hultman and Nilsson 2020, Journal of
Peace Research 57(2)). Three tables of the Geo-PKO v2.3 dashboard, dated by year only,
come beside it: ``FrontMap_v.2.3.csv`` (one row per location per map; the cross-check, and
the sites of missions v2.0 does not map), ``TTMap_v.2.3.csv`` (unit types per location) and
``TCCMap_v.2.3.csv`` (contributors per location, parsed from an overview text). RADPKO's
``radpko_bases_cc_y.csv`` (yearly means per base) is a second cross-check.

The v2.0 file is valid UTF-8, but its place names were encoded twice: read as UTF-8,
Ménaka reads ``MÃ©naka`` (as latin-1, ``MÃÂ©naka``). Each text value is repaired by
undoing the extra layer (the text's characters taken back to Windows-1252/latin-1 bytes
and decoded as UTF-8) until it stops changing; a value whose bytes are not UTF-8 that way
(``Cote D’Ivoire``, a real apostrophe) is left as it is. The count of repaired values is a
finding.

Unit-type columns, read from the codebook's column names and the values they hold:

- ``No.troops``: troops at the location (``unknown`` in the source: stored NULL, flagged);
- ``RPF``/``RPF_No``: Regional Protection Force (UNMISS only; ``NA`` elsewhere) and its troops;
- ``RES``/``RES_No``: reserve force present, and its troops;
- ``FP``/``FP_No``: force protection units present, and their troops;
- ``UNPOL..dummy.``, ``UNMO..dummy.``: UN police / UN military observers present (no counts);
- ``HQ``: headquarters level, 3 = mission HQ (Bamako for MINUSMA), 2 = sector/regional HQ
  (Gao, Kidal, Timbuktu), 1 = lower HQ (Tessalit), 0 = none; ``?`` (UNMIS Kassala, "a
  regional coordination HQ") and blanks are stored NULL with the raw code kept;
- ``LO``: liaison office present;
- ``name.of.TCCk``/``No.troops.per.TCCk`` (k = 1..14): up to 14 contributors and their
  troops, stored one row per site x contributor in ``site_contributor``. A contributor the
  source calls ``unknown`` is kept with a NULL ISO3; a name nobody knows is a problem.

Every v2.0 row has a month; were one missing, the map date would be the year's January 1st
and ``month`` NULL, so that the map never answers for a month before it could exist.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pyarrow as pa

from ..errors import SourceLayoutError, SourceReadError
from ..vocab import UNIT_TYPES
from .base import (Column, LayoutResult, Problem, SourceFile, header_key, quarantine_duplicates, read_files,
                   validate)
from ..domain import Context
from ..records import Finding

__all__ = ["read_geopko", "read_front_map", "read_unit_types", "read_site_contributors", "read_radpko",
           "repair_text"]

MAX_TCC = 14
HQ_LEVELS = {0: None, 1: "lower HQ", 2: "sector HQ", 3: "mission HQ"}

SITE_COLUMNS = [
    Column("map", ("source",), "text"),
    Column("mission", ("mission",), "text"),
    Column("year", ("year",), "text"),
    Column("month", ("month",), "text"),
    Column("location", ("location",), "text"),
    Column("country", ("country",), "text"),
    Column("latitude", ("latitude",), "text"),
    Column("longitude", ("longitude",), "text"),
    Column("troops", ("no_troops",), "text"),
    Column("rpf", ("rpf",), "text"),
    Column("rpf_troops", ("rpf_no",), "text"),
    Column("reserve", ("res",), "text"),
    Column("reserve_troops", ("res_no",), "text"),
    Column("force_protection", ("fp",), "text"),
    Column("force_protection_troops", ("fp_no",), "text"),
    Column("tcc_count", ("no_tcc",), "text"),
    *[c for k in range(1, MAX_TCC + 1) for c in (
        Column(f"tcc{k}", (f"name_of_tcc{k}",), "text"),
        Column(f"tcc{k}_troops", (f"no_troops_per_tcc{k}",), "text"))],
    Column("unpol", ("unpol_dummy",), "text"),
    Column("unmo", ("unmo_dummy",), "text"),
    Column("hq", ("hq",), "text"),
    Column("liaison", ("lo",), "text"),
    Column("comments", ("comments",), "text", required=False),
    Column("adm1", ("adm1_name",), "text", required=False),
    Column("adm2", ("adm2_name",), "text", required=False),
    Column("prio_gid", ("prioid",), "text", required=False),
]
TEXT = ("map", "mission", "location", "country", "comments", "adm1", "adm2",
        *(f"tcc{k}" for k in range(1, MAX_TCC + 1)))

SITE_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("mission", pa.string()), ("map", pa.string()),
    ("map_no", pa.string()), ("map_revision", pa.int32()), ("year", pa.int32()), ("month", pa.int32()),
    ("map_date", pa.date32()), ("location", pa.string()), ("country", pa.string()),
    ("country_name", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()),
    ("troops", pa.int64()), ("troops_unknown", pa.bool_()), ("rpf", pa.bool_()), ("rpf_troops", pa.int64()),
    ("reserve", pa.bool_()), ("reserve_troops", pa.int64()), ("force_protection", pa.bool_()),
    ("force_protection_troops", pa.int64()), ("unpol", pa.bool_()), ("unmo", pa.bool_()),
    ("hq", pa.int32()), ("hq_code", pa.string()), ("hq_level", pa.string()), ("liaison", pa.bool_()),
    ("tcc_count", pa.int32()), ("adm1", pa.string()), ("adm2", pa.string()), ("prio_gid", pa.int32()),
    ("comments", pa.string()),
])
CONTRIBUTOR_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("slot", pa.int32()), ("contributor", pa.string()),
    ("contributor_name", pa.string()), ("troops", pa.int64()),
])

# ---- the text repair ------------------------------------------------------------------

# a character back to the byte it was decoded from: latin-1 for every byte, and the
# Windows-1252 characters for 0x80-0x9f (the layer that produced "Ã‰" for "É")
_BYTE: dict[str, int] = {chr(b): b for b in range(256)}
for _b in range(0x80, 0xA0):
    try:
        _BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        pass


def repair_text(text: str) -> str:
    """Undo extra UTF-8 encoding layers until the text stops changing.

    >>> repair_text("MÃ©naka"), repair_text("MÃÂ©naka"), repair_text("Cote D’Ivoire")
    ('Ménaka', 'Ménaka', 'Cote D’Ivoire')
    """
    for _ in range(4):
        if text.isascii():
            break
        try:
            fixed = bytes(_BYTE[ch] for ch in text).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            break  # not mojibake: a character outside one byte, or bytes that are not UTF-8
        if fixed == text:
            break
        text = fixed
    return text


# ---- the v2.0 sites -------------------------------------------------------------------

_NA = ("", "NA")


class _Bad(Exception):
    def __init__(self, column: str, reason: str) -> None:
        self.column, self.reason = column, reason


def _count(v: str, col: str, unknown_ok: bool = False) -> int | None:
    v = v.strip()
    if v in _NA or (unknown_ok and v.lower() in ("unknown", "unkown")):  # sic, one row
        return None
    if not v.isdigit():
        raise _Bad(col, f"not a whole number: {v!r}")
    return int(v)


def _dummy(v: str, col: str) -> bool | None:
    v = v.strip()
    if v in _NA:
        return None
    if v not in ("0", "1"):
        raise _Bad(col, f"not 0 or 1: {v!r}")
    return v == "1"


def _coord(v: str, col: str, lo: float, hi: float) -> float | None:
    v = v.strip()
    if v in _NA:
        return None
    try:
        x = float(v)
    except ValueError:
        raise _Bad(col, f"not a number: {v!r}") from None
    if not lo <= x <= hi:
        raise _Bad(col, f"out of range: {v!r}")
    return x


_TCC_KEYS = tuple((k, f"tcc{k}", f"tcc{k}_troops") for k in range(1, MAX_TCC + 1))
_MAP = re.compile(r"map\s*no\.?\s*(\d+)\s*(?:rev\.?\s*(\d+))?", re.I)


def read_geopko(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Geo-PKO v2.0: ``deployment_site`` rows plus ``site_contributor`` rows."""
    sites: list[dict[str, Any]] = []
    contributors: list[dict[str, Any]] = []
    problems: list[Problem] = []
    findings: list[Finding] = []
    for sf in files:
        records, headers, bad = _read_records(sf)
        problems += bad
        sf.rows_read = len(records) + len(bad)
        repaired = 0
        example = ""
        cache: dict[str, str] = {}
        unknown_troops = unknown_tcc = hq_odd = 0
        for rec in records:
            line = rec["line"]
            for c in TEXT:
                v = rec[c]
                if v is None or v.isascii():  # nothing to repair: the usual case, decided in C
                    if v:
                        rec[c] = v.strip()
                    continue
                if v not in cache:
                    cache[v] = repair_text(v)
                if cache[v] != v:
                    repaired += 1
                    example = example or f"{v!r} -> {cache[v]!r}"
                rec[c] = cache[v].strip()
            try:
                site, tccs = _site(rec, sf, ctx)
            except _Bad as exc:
                problems.append(Problem(sf.source_id, line, headers.get(exc.column, exc.column), exc.reason,
                                        _raw(rec)))
                continue
            unknown_troops += site["troops_unknown"]
            unknown_tcc += sum(t["contributor"] is None for t in tccs)
            hq_odd += site["hq_code"] not in ("0", "1", "2", "3")
            sites.append(site)
            contributors += tccs
        if repaired:
            findings.append(Finding(sf.source_id, "double_encoded_text",
                                    f"{repaired} text values were UTF-8 encoded twice (e.g. {example}); repaired",
                                    repaired))
        if unknown_troops:
            findings.append(Finding(sf.source_id, "troops_unknown",
                                    f"{unknown_troops} sites give their troops as 'unknown'; stored NULL",
                                    unknown_troops))
        if unknown_tcc:
            findings.append(Finding(sf.source_id, "contributor_unknown",
                                    f"{unknown_tcc} site contributors are 'unknown' in the source; kept with "
                                    "no ISO3", unknown_tcc))
        if hq_odd:
            findings.append(Finding(sf.source_id, "hq_code",
                                    f"{hq_odd} sites have an HQ code that is blank or '?'; stored NULL "
                                    "with the code as written", hq_odd))
    table = pa.Table.from_pylist(sites, SITE_SCHEMA)
    table, dups = quarantine_duplicates(ctx.con, table, ["map", "mission", "map_date", "location"], "location",
                                        findings)
    problems += dups
    contrib = pa.Table.from_pylist(contributors, CONTRIBUTOR_SCHEMA)
    if dups:
        gone = {(p.source_id, p.line) for p in dups}
        contrib = pa.Table.from_pylist([r for r in contrib.to_pylist() if (r["source_id"], r["line"]) not in gone],
                                       CONTRIBUTOR_SCHEMA)
    return LayoutResult(files[0].layout, table, files, problems, findings, extra={"site_contributor": contrib})


def _read_records(sf: SourceFile) -> tuple[list[dict[str, Any]], dict[str, str], list[Problem]]:
    """The file's records as dicts of canonical columns, each with the line it starts on.

    Some comments hold line breaks inside quotes, so records are numbered by the line
    they start on (the csv module's count), not by physical line.
    """
    try:
        text = sf.path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SourceReadError(f"{sf.relpath}: not UTF-8 text at byte {exc.start}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise SourceReadError(f"{sf.relpath}: line 1: empty file, expected a header row")
    keys = [header_key(h) for h in header]
    pos: dict[str, int] = {}
    missing = []
    for col in SITE_COLUMNS:
        idx = next((keys.index(h) for h in col.headers if h in keys), None)
        if idx is not None:
            pos[col.name] = idx
        elif col.required:
            missing.append(col.headers[0])
    if missing:
        raise SourceLayoutError(sf.relpath, "Geo-PKO columns " + ", ".join(missing),
                                "columns " + ", ".join(header[:12]))
    names = {c: header[i] for c, i in pos.items()}
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    for fields in reader:
        line, start = start, reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(Problem(sf.source_id, line, f"#{min(len(fields), len(header))}",
                                    f"expected {len(header)} fields, found {len(fields)}", ",".join(fields)[:200]))
            continue
        rec: dict[str, Any] = {"line": line}
        for col in SITE_COLUMNS:
            rec[col.name] = fields[pos[col.name]] if col.name in pos else None
        records.append(rec)
    return records, names, problems


def _raw(rec: dict[str, Any]) -> str:
    return ",".join("" if v is None else str(v) for k, v in rec.items() if k not in ("line", "source_id"))[:200]


def _site(rec: dict[str, Any], sf: SourceFile, ctx: Context) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    mission = rec["mission"] or ""
    if not mission or mission in _NA:
        raise _Bad("mission", "empty")
    if not rec["location"] or rec["location"] in _NA:
        raise _Bad("location", "empty")
    year = _count(rec["year"], "year")
    if year is None or not 1945 <= year <= 2100:
        raise _Bad("year", f"not a year: {rec['year']!r}")
    month = _count(rec["month"], "month")
    if month is not None and not 1 <= month <= 12:
        raise _Bad("month", f"not a month: {rec['month']!r}")
    country = ctx.resolve_country(rec["country"] or "")
    if country is None:
        hint = ", ".join(ctx.countries.suggest(rec["country"] or ""))
        raise _Bad("country", f"unknown country {rec['country']!r}" + (f" (closest: {hint})" if hint else ""))
    ctx.spellings.append((rec["country"], country, sf.source_id))
    troops_text = (rec["troops"] or "").strip().lower()
    troops_text = "unknown" if troops_text == "unkown" else troops_text
    hq_code = (rec["hq"] or "").strip()
    hq = int(hq_code) if hq_code in ("0", "1", "2", "3") else None
    if hq_code not in ("0", "1", "2", "3", "", "?", "NA"):
        raise _Bad("hq", f"not an HQ code (0-3): {hq_code!r}")
    m = _MAP.search(rec["map"] or "")
    tcc_count = _count(rec["tcc_count"], "tcc_count", unknown_ok=True)
    prio = (rec["prio_gid"] or "").strip()
    site = {
        "source_id": sf.source_id, "line": rec["line"], "mission": mission, "map": rec["map"],
        "map_no": m.group(1) if m else None, "map_revision": int(m.group(2) or 0) if m else None,
        "year": year, "month": month, "map_date": date(year, month or 1, 1),
        "location": rec["location"], "country": country, "country_name": rec["country"],
        "latitude": _coord(rec["latitude"], "latitude", -90, 90),
        "longitude": _coord(rec["longitude"], "longitude", -180, 180),
        "troops": _count(rec["troops"], "troops", unknown_ok=True), "troops_unknown": troops_text == "unknown",
        "rpf": _dummy(rec["rpf"], "rpf"), "rpf_troops": _count(rec["rpf_troops"], "rpf_troops"),
        "reserve": _dummy(rec["reserve"], "reserve"), "reserve_troops": _count(rec["reserve_troops"], "reserve_troops"),
        "force_protection": _dummy(rec["force_protection"], "force_protection"),
        "force_protection_troops": _count(rec["force_protection_troops"], "force_protection_troops"),
        "unpol": _dummy(rec["unpol"], "unpol"), "unmo": _dummy(rec["unmo"], "unmo"),
        "hq": hq, "hq_code": hq_code, "hq_level": HQ_LEVELS.get(hq) if hq is not None else None,
        "liaison": _dummy(rec["liaison"], "liaison"), "tcc_count": tcc_count,
        "adm1": None if rec["adm1"] in _NA else rec["adm1"], "adm2": None if rec["adm2"] in _NA else rec["adm2"],
        "prio_gid": int(prio) if prio.isdigit() else None,
        "comments": rec["comments"] or None,
    }
    tccs = []
    for k, name_key, troops_key in _TCC_KEYS:
        name, count = rec[name_key] or "", rec[troops_key] or ""
        if name in _NA:
            if count.strip() not in _NA:
                raise _Bad(f"tcc{k}_troops", f"troops ({count!r}) for no contributor")
            continue
        if name.lower() == "unknown":
            iso3 = None
        else:
            iso3 = ctx.resolve_country(name)
            if iso3 is None:
                hint = ", ".join(ctx.countries.suggest(name))
                raise _Bad(f"tcc{k}", f"unknown country {name!r}" + (f" (closest: {hint})" if hint else ""))
            ctx.spellings.append((name, iso3, sf.source_id))
        tccs.append({"source_id": sf.source_id, "line": rec["line"], "slot": k, "contributor": iso3,
                     "contributor_name": name, "troops": _count(count, f"tcc{k}_troops", unknown_ok=True)})
    return site, tccs


# ---- the cross-check tables -------------------------------------------------------------

FRONT_COLUMNS = [
    Column("mission", ("mission",), "name"),
    Column("year", ("year",), "count"),
    Column("country_name", ("country",), "text"),
    Column("location", ("location",), "name"),
    Column("latitude", ("latitude",), "number"),
    Column("longitude", ("longitude",), "number"),
    Column("infantry", ("infantry",), "count"),
    Column("troops", ("notroops",), "count"),
    Column("reserve", ("reserve",), "count"),
    Column("hq", ("hq",), "count"),
    Column("unpol", ("unpol",), "count"),
    Column("medical", ("med",), "count"),
    Column("aviation", ("av",), "count"),
    Column("unmo", ("unmo",), "count"),
    Column("avg_troops", ("ave_no_troops",), "count"),
]

UNIT_COLUMNS = [
    Column("mission", ("mission",), "name"),
    Column("year", ("year",), "count"),
    Column("location", ("location",), "name"),
    Column("latitude", ("latitude",), "number"),
    Column("longitude", ("longitude",), "number"),
    *(Column(name, (header,), "count") for name, header in zip(
        UNIT_TYPES, ("infantry", "eng", "med", "sig", "av", "riv", "maint", "trans"))),
]

TCC_COLUMNS = [
    Column("mission", ("mission",), "name"),
    Column("year", ("year",), "count"),
    Column("location", ("location",), "name"),
    Column("latitude", ("latitude",), "number"),
    Column("longitude", ("longitude",), "number"),
    Column("tcc_count", ("no_tcc",), "count"),
    Column("overview", ("year_overview",), "text"),
]
# "Austria (650), Korea (ROK) (150), Jordan (size unknown)": a name may hold parentheses
# of its own, so a part ends only at a size followed by a comma or the end
_TCC_PART = re.compile(r"(?:^|,\s*)(.+?)\s*\((\d+|size unknown)\)(?=\s*,|\s*$)")
# what the overview names that is no country: kept, with no ISO3
_TCC_LABELS = {"tcc name unknown", "multinational", "caricom", "un"}
SITE_YEAR_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int64()), ("mission", pa.string()), ("year", pa.int64()),
    ("location", pa.string()), ("latitude", pa.float64()), ("longitude", pa.float64()), ("tcc_count", pa.int64()),
    ("contributors", pa.list_(pa.struct([("contributor", pa.string()), ("name", pa.string()),
                                         ("troops", pa.int64())]))),
])

RADPKO_COLUMNS = [
    Column("mission", ("mission",), "name"),
    Column("country_name", ("country",), "text"),
    Column("base", ("base",), "name"),
    Column("date", ("date",), "date"),
    Column("year", ("year",), "count"),
    Column("latitude", ("latitude",), "number"),
    Column("longitude", ("longitude",), "number"),
    Column("pko_deployed", ("pko_deployed",), "number"),
    Column("troops", ("untrp",), "number"),
    Column("police", ("unpol",), "number"),
    Column("observers", ("unmob",), "number"),
    Column("contributors", ("contributing_countries",), "number"),
]


def read_front_map(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Geo-PKO v2.3 FrontMap: location x map rows, dated by year only."""
    raw, problems = read_files(files, FRONT_COLUMNS)
    table, bad = validate(raw, FRONT_COLUMNS)
    return LayoutResult(files[0].layout, table, files, problems + bad, [])


def read_unit_types(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Geo-PKO v2.3 TTMap: unit types per location and year (the sites query joins them to
    the v2.0 map rows by mission, year and location)."""
    raw, problems = read_files(files, UNIT_COLUMNS)
    table, bad = validate(raw, UNIT_COLUMNS)
    return LayoutResult(files[0].layout, table, files, problems + bad, [])


def read_site_contributors(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Geo-PKO v2.3 TCCMap: contributors per location and year, from its overview text.

    A row whose overview does not parse, names an unknown country, or lists another number
    of contributors than its ``No.TCC`` is quarantined whole, with the reason.
    """
    raw, problems = read_files(files, TCC_COLUMNS)
    table, bad = validate(raw, TCC_COLUMNS)
    problems += bad
    out: list[dict[str, Any]] = []
    labels: dict[int, int] = {}
    for r in table.to_pylist():
        text = (r["overview"] or "").strip()
        parts = [(m.group(1).strip(), m.group(2)) for m in _TCC_PART.finditer(text)]
        reason = None
        if ", ".join(f"{n} ({c})" for n, c in parts) != text:
            reason = f"overview {text[:60]!r} is not a list of 'Country (troops)'"
        elif r["tcc_count"] is not None and r["tcc_count"] != len(parts):
            reason = f"No.TCC says {r['tcc_count']}, the overview lists {len(parts)}"
        contributors: list[dict[str, Any]] = []
        for name, count in parts if reason is None else ():
            iso3 = None if name.casefold() in _TCC_LABELS else ctx.resolve_country(name)
            if iso3 is None and name.casefold() not in _TCC_LABELS:
                hint = ", ".join(ctx.countries.suggest(name))
                reason = f"unknown country {name!r}" + (f" (closest: {hint})" if hint else "")
                break
            contributors.append({"contributor": iso3, "name": name,
                                 "troops": int(count) if count.isdigit() else None})
        if reason is not None:
            problems.append(Problem(r["source_id"], r["line"], "year.overview", reason, text))
            continue
        for c in contributors:
            if c["contributor"] is None:
                labels[r["source_id"]] = labels.get(r["source_id"], 0) + 1
            else:
                ctx.spellings.append((c["name"], c["contributor"], r["source_id"]))
        out.append({**{k: r[k] for k in SITE_YEAR_SCHEMA.names if k != "contributors"},
                    "contributors": contributors})
    findings = [Finding(sid, "contributor_label", f"{n} site contributors are labels, not countries ('TCC name "
                        "unknown', 'Multinational', 'CARICOM', 'Un'); kept with no ISO3", n)
                for sid, n in labels.items()]
    return LayoutResult(files[0].layout, pa.Table.from_pylist(out, SITE_YEAR_SCHEMA), files, problems, findings)


def read_radpko(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """RADPKO yearly means per base (all contributors together; the per-country columns are
    left in the file)."""
    raw, problems = read_files(files, RADPKO_COLUMNS)
    table, bad = validate(raw, RADPKO_COLUMNS)
    table = table.rename_columns(["month" if c == "date" else c for c in table.column_names])
    return LayoutResult(files[0].layout, table, files, problems + bad, [])
