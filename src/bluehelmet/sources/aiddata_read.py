"""AidData's workbooks: every record of every data sheet, in canonical columns, cached.

Reading is two steps:

1. **parse** (the slow part, python-calamine): each declared sheet of the workbook, its
   header mapped through :data:`~bluehelmet.sources.aiddata.FIELDS`, each cell checked
   against its field's kind. A row with a bad cell (a text amount that is no number, a
   year that is no whole number, no project id) is a problem, with the sheet and header
   in its column (``1) Official Flows: usd_defl``) and the row in that sheet as its line
   (header = row 1). A project id met twice in one workbook is quarantined the second
   time. What this step returns depends on the file's bytes and the declarations only,
   so it is cached under the file's sha256 and a digest of the declarations (Arrow IPC,
   written to a temporary file and renamed: a concurrent build or a kill leaves the whole
   file or none), like the DPO reports.
2. **resolve** (every build): record class (the sheet's; an official record whose status
   is Cancelled or Suspended is cancelled, as the global dataset keeps those on its one
   sheet), pledge flag, donor and recipient against the country reference. A recipient is
   a country (ISO3: the ISO3 column when it names one known code, else the name), a
   region (``Africa, regional``: AidData's label for a regional or multi-country record,
   kept with the countries it lists and flagged ``regional``) or unset (the source gives
   none: loaded, reported). A country name the reference does not know is quarantined.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..domain import Context
from ..errors import SourceLayoutError, SourceReadError
from ..records import Finding, LayoutResult, Problem, SourceFile
from .aiddata import (CANCELLED_STATUSES, DATASETS, FIELDS, PLEDGE, REGION_GROUPS, Dataset, Field,
                      dataset_of_layout)

__all__ = ["read_aiddata", "parse_workbook", "Parsed", "cache_folder", "PARSER_VERSION"]

#: bumped whenever parsing changes what it returns (the declarations are in the cache key too)
PARSER_VERSION = 1

_TYPES = {"int": pa.int64(), "number": pa.float64(), "bool": pa.bool_(), "text": pa.string(),
          "amounts": pa.string()}


@dataclass
class Parsed:
    """One workbook's records in canonical columns (plus ``sheet`` and ``line``), and the
    rows not loaded as (line, column, reason, raw)."""

    table: pa.Table
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    rows_read: int = 0


class _Bad(ValueError):
    """A cell that does not hold what its field must."""


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _text(v: Any) -> str | None:
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, (int, float)):
        return None if isinstance(v, float) and math.isnan(v) else _number_text(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        raise _Bad(f"not a number: {v!r}")
    if isinstance(v, (int, float)):
        if math.isnan(v) or math.isinf(v):
            raise _Bad(f"not a number: {v!r}")
        return float(v)
    s = _text(v)
    if s is None:
        return None
    try:
        x = float(s.replace(",", ""))
    except ValueError:
        raise _Bad(f"not a number: {s!r}") from None
    if math.isnan(x) or math.isinf(x):
        raise _Bad(f"not a number: {s!r}")
    return x


def _int(v: Any) -> int | None:
    x = _number(v)
    if x is None:
        return None
    if not x.is_integer():
        raise _Bad(f"not a whole number: {_text(v)!r}")
    return int(x)


def _bool(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    s = (_text(v) or "").casefold()
    if not s:
        return None
    if s in ("true", "t", "yes", "1"):
        return True
    if s in ("false", "f", "no", "0"):
        return False
    raise _Bad(f"not true or false: {_text(v)!r}")


def _amounts(v: Any) -> str | None:
    """One amount, or several in several currencies (``1400000000.0; 636000000.0``), as
    written; each part must be a number."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return _number_text(_number(v) or 0.0) if not math.isnan(v) else None
    s = _text(v)
    if s is None:
        return None
    for part in s.split(";"):
        if part.strip():
            _number(part)
    return s


_PARSE = {"int": _int, "number": _number, "bool": _bool, "text": _text, "amounts": _amounts}


def _raw(header: list[str], row: list[Any]) -> str:
    return "; ".join(f"{h}={_text(v)}" for h, v in zip(header, row) if _text(v) is not None)[:500]


def _fields_of(ds: Dataset) -> list[tuple[Field, str | None]]:
    i = DATASETS.index(ds)
    return [(f, f.headers[i]) for f in FIELDS]


def parse_workbook(path: Path, ds: Dataset, relpath: str = "") -> Parsed:
    """Every record of ``ds``'s declared sheets in the workbook at ``path``.

    >>> parsed = parse_workbook(Path("aiddata_china_1.0.xlsx"), DATASETS[0])  # doctest: +SKIP
    >>> parsed.rows_read == parsed.table.num_rows + len(parsed.problems)      # doctest: +SKIP
    True
    """
    from python_calamine import CalamineWorkbook

    name = relpath or str(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise SourceReadError(f"{name}: not a readable workbook: {exc}") from None
    declared = dict(ds.sheets)
    unknown = [s for s in wb.sheet_names if s not in declared and s not in ds.skip]
    missing = [s for s in declared if s not in wb.sheet_names]
    if unknown or missing:
        raise SourceLayoutError(name, "sheets " + ", ".join(repr(s) for s in (*declared, *ds.skip)),
                                "sheets " + ", ".join(repr(s) for s in wb.sheet_names))
    fields = _fields_of(ds)
    cols: dict[str, list[Any]] = {"sheet": [], "line": [], **{f.name: [] for f, _ in fields}}
    problems: list[tuple[int, str, str, str]] = []
    first_seen: dict[int, tuple[str, int]] = {}
    read = 0
    for sheet in declared:
        try:
            rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)  # row i is Excel row i + 1
        except Exception as exc:
            raise SourceReadError(f"{name}: sheet {sheet!r} cannot be read: {exc}") from None
        header = [str(h).strip() for h in (rows[0] if rows else [])]
        where = {h: i for i, h in enumerate(header)}
        absent = [h for f, h in fields if h is not None and h not in where]
        if absent:
            raise SourceLayoutError(name, f"sheet {sheet!r} columns " + ", ".join(h for _, h in fields if h),
                                    "no column " + ", ".join(absent))
        for n, row in enumerate(rows[1:], start=2):
            if not any(_text(v) is not None for v in row):
                continue  # an empty row holds no record
            read += 1
            values: dict[str, Any] = {}
            bad: list[tuple[str, str]] = []
            for f, h in fields:
                if h is None:
                    values[f.name] = None
                    continue
                cell = row[where[h]] if where[h] < len(row) else ""
                try:
                    values[f.name] = _PARSE[f.kind](cell)
                except _Bad as exc:
                    bad.append((h, str(exc)))
                    continue
                if f.required and values[f.name] is None:
                    bad.append((h, "empty"))
            if not bad and values["project_id"] in first_seen:
                s0, n0 = first_seen[values["project_id"]]
                bad.append(("project_id", f"duplicate project_id {values['project_id']} of sheet {s0!r} row {n0}"))
            if bad:
                problems.append((n, f"{sheet}: {bad[0][0]}", "; ".join(f"{h}: {why}" for h, why in bad),
                                 _raw(header, row)))
                continue
            first_seen[values["project_id"]] = (sheet, n)
            cols["sheet"].append(sheet)
            cols["line"].append(n)
            for f, _ in fields:
                cols[f.name].append(values[f.name])
    schema = pa.schema([("sheet", pa.string()), ("line", pa.int32())]
                       + [(f.name, _TYPES[f.kind]) for f, _ in fields])
    return Parsed(pa.table(cols, schema=schema), problems, read)


# -- the cache ------------------------------------------------------------------------------

def cache_folder() -> Path:
    """Where parsed workbooks are kept: ``<cache dir>/aiddata-v<parser version>``."""
    from ..config import cache_dir

    return cache_dir() / f"aiddata-v{PARSER_VERSION}"


def _digest(ds: Dataset) -> str:
    """The declarations a parse depends on: a changed field table re-reads the workbook."""
    return hashlib.sha256(repr((PARSER_VERSION, ds, _fields_of(ds))).encode()).hexdigest()[:16]


def _cache_file(folder: Path, sha: str, ds: Dataset) -> Path:
    return folder / f"aiddata-{sha[:32]}-{_digest(ds)}.arrow"


def _load_cached(folder: Path, sha: str, ds: Dataset) -> Parsed | None:
    try:
        with pa.memory_map(str(_cache_file(folder, sha, ds))) as src:
            table = pa.ipc.open_file(src).read_all()
        meta = json.loads((table.schema.metadata or {})[b"bluehelmet"])
    except (OSError, ValueError, KeyError, pa.ArrowInvalid):
        return None  # missing, or half-written by a killed process: parse again
    if meta.get("sha256") != sha:
        return None
    return Parsed(table.replace_schema_metadata(None), [tuple(p) for p in meta["problems"]], int(meta["rows_read"]))


def _store_cached(folder: Path, sha: str, ds: Dataset, parsed: Parsed) -> None:
    """Write atomically: a temporary file renamed into place."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"sha256": sha, "rows_read": parsed.rows_read, "problems": parsed.problems}
    table = parsed.table.replace_schema_metadata({"bluehelmet": json.dumps(meta)})
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".aiddata-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh, pa.ipc.new_file(fh, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, _cache_file(folder, sha, ds))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parsed_workbook(sf: SourceFile, ds: Dataset) -> Parsed:
    """``parse_workbook`` through the checksum-keyed cache (a cache that cannot be written
    costs the next build a parse, nothing else)."""
    folder = cache_folder()
    hit = _load_cached(folder, sf.sha256, ds)
    if hit is not None:
        return hit
    parsed = parse_workbook(sf.path, ds, sf.relpath)
    try:
        _store_cached(folder, sf.sha256, ds, parsed)
    except OSError:
        pass
    return parsed


# -- resolving ------------------------------------------------------------------------------

_REGIONAL = ", regional"
_UNSET = ("", "unset")


@dataclass(frozen=True)
class _Recipient:
    kind: str  # country | regional | unset | unknown
    code: str | None = None
    region: str | None = None
    group: str | None = None
    listed: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # (finding kind, message)


def _recipient(name: str | None, iso: str | None, count: int | None, ctx: Context) -> _Recipient:
    from ..reference import group_index

    countries = ctx.countries.countries
    parts = [p.strip() for p in (iso or "").split(";") if p.strip()]
    listed = tuple(dict.fromkeys(p.upper() for p in parts if p.upper() in countries))
    strange = [p for p in parts if p.upper() not in countries and not p.casefold().endswith(_REGIONAL)]
    notes: list[tuple[str, str]] = []
    if strange:
        notes.append(("finance_recipient_code", f"recipient_iso3 {iso!r} lists codes the reference does not know "
                      f"({', '.join(strange)}); kept as written"))
    nm = (name or "").strip()
    if nm.casefold().endswith(_REGIONAL):
        region = nm[: -len(_REGIONAL)].strip()
        group = REGION_GROUPS.get(region) or group_index().resolve(region)
        if group is None:
            notes.append(("finance_region_unknown", f"region {region!r} is no group of the reference: its records "
                          "are kept, and no region filter matches them"))
        return _Recipient("regional", None, region, group, listed, tuple(notes))
    if nm.casefold() in _UNSET:
        notes.append(("finance_recipient_unset", f"recipient {nm or '(blank)'!r}: the source names none; "
                      "loaded with recipient NULL"))
        return _Recipient("unset", listed=listed, notes=tuple(notes))
    by_name = ctx.resolve_country(nm)
    by_iso = listed[0] if len(parts) == 1 and listed else None
    code = by_iso or by_name
    if code is None:
        return _Recipient("unknown", notes=tuple(notes))
    if by_name and by_iso and by_name != by_iso:
        notes.append(("country_mismatch", f"recipient {nm!r}: ISO3 column says {by_iso}, the name {by_name}; "
                      f"used {code}"))
    if count is not None and count > 1:
        notes.append(("finance_recipient_count", f"recipient {nm!r} is one country but recipient_count is {count}; "
                      "read as that country"))
    return _Recipient("country", code, listed=(code,), notes=tuple(notes))


def _resolve(parsed: Parsed, sf: SourceFile, ds: Dataset, ctx: Context,
             problems: list[Problem], findings: list[Finding]) -> pa.Table:
    """The parsed records with record class, pledge flag, donor and recipient resolved.
    Names are resolved once per distinct value: a workbook repeats a few hundred."""
    import pyarrow.compute as pc

    t = parsed.table
    sheets = t.column("sheet").to_pylist()
    status = t.column("status").to_pylist()
    classes = dict(ds.sheets)
    record_class = [("cancelled" if classes[s] == "official" and st in CANCELLED_STATUSES else classes[s])
                    for s, st in zip(sheets, status)]
    donors_written = t.column("donor").to_pylist()
    donor_of = {d: ctx.resolve_country(d) for d in set(donors_written)}
    keys = list(zip(t.column("recipient_name").to_pylist(), t.column("recipient_iso3").to_pylist(),
                    t.column("recipient_count").to_pylist()))
    resolved = {k: _recipient(*k, ctx) for k in dict.fromkeys(keys)}
    rs = [resolved[k] for k in keys]
    donors = [donor_of[d] for d in donors_written]
    bad = [i for i, (r, d) in enumerate(zip(rs, donors)) if d is None or r.kind == "unknown"]
    for i in bad:
        row = t.slice(i, 1).to_pylist()[0]
        raw = "; ".join(f"{k}={v}" for k, v in row.items() if v is not None and k not in ("sheet", "line"))[:500]
        if donors[i] is None:
            problems.append(Problem(sf.source_id, row["line"], f"{row['sheet']}: donor",
                                    f"unknown donor {row['donor']!r}", raw))
            continue
        hint = ctx.countries.suggest(row["recipient_name"] or "")
        problems.append(Problem(sf.source_id, row["line"], f"{row['sheet']}: recipient_condensed",
                                f"unknown recipient {row['recipient_name']!r}"
                                + (f" (closest: {', '.join(hint)})" if hint else ""), raw))
    if bad:
        drop = set(bad)
        keep = [i not in drop for i in range(t.num_rows)]
        t = t.filter(pa.array(keep, pa.bool_()))
        rs = [r for r, k in zip(rs, keep) if k]
        donors = [d for d, k in zip(donors, keep) if k]
        record_class = [c for c, k in zip(record_class, keep) if k]
        keys = [x for x, k in zip(keys, keep) if k]
    notes: Counter[tuple[str, str]] = Counter()
    for k, n in Counter(keys).items():
        for note in resolved[k].notes:
            notes[note] += n
    for (kind, message), count in sorted(notes.items()):
        findings.append(Finding(sf.source_id, kind, f"{ds.key}: {message} ({count:,} records)", count))
    ctx.spellings.extend(sorted({(k[0], r.code, sf.source_id) for k, r in resolved.items()
                                 if r.kind == "country" and r.code and k[0]}))
    m = t.num_rows
    extra = {
        "source_id": pa.array([sf.source_id] * m, pa.int32()),
        "dataset": pa.array([ds.key] * m, pa.string()),
        "record_class": pa.array(record_class, pa.string()),
        "pledge": pc.fill_null(pc.equal(t.column("status"), PLEDGE), False),
        "donor_name": t.column("donor"),
        "usd_base_year": pa.array([ds.base_year] * m, pa.int32()),
        "recipient": pa.array([r.code for r in rs], pa.string()),
        "recipient_kind": pa.array([r.kind for r in rs], pa.string()),
        "region": pa.array([r.region for r in rs], pa.string()),
        "region_group": pa.array([r.group for r in rs], pa.string()),
        "recipients": pa.array([list(r.listed) for r in rs], pa.list_(pa.string())),
    }
    t = t.drop_columns(["donor"]).append_column("donor", pa.array(donors, pa.string()))
    for name, values in extra.items():
        t = t.append_column(name, values)
    no_usd = t.column("usd_constant").null_count
    if no_usd:
        findings.append(Finding(sf.source_id, "finance_no_amount",
                                f"{ds.key}: {no_usd:,} of {m:,} records give no constant-USD amount; they count "
                                "as projects and add nothing to sums", no_usd))
    return t


def read_aiddata(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """One version's workbook into ``finance_flow`` (and its row in ``finance_dataset``)."""
    ds = dataset_of_layout(files[0].layout)
    problems: list[Problem] = []
    findings: list[Finding] = []
    tables: list[pa.Table] = []
    meta: list[dict[str, Any]] = []
    for done, sf in enumerate(files):
        parsed = parsed_workbook(sf, ds)
        sf.rows_read = parsed.rows_read
        sf.release = ds.key
        problems += [Problem(sf.source_id, line, column, reason, raw) for line, column, reason, raw in parsed.problems]
        table = _resolve(parsed, sf, ds, ctx, problems, findings)
        tables.append(table)
        present = set(table.column("record_class").to_pylist())
        classes = [c for c in ("official", "unofficial", "military", "cancelled", "inactive", "suspicious")
                   if c in present or c in dict(ds.sheets).values()]
        meta.append({"dataset": ds.key, "source_id": sf.source_id, "title": ds.title,
                     "release_order": DATASETS.index(ds) + 1, "first_year": ds.first_year,
                     "last_year": ds.last_year, "scope": ds.scope, "base_year": ds.base_year,
                     "has_current": any(f.name == "usd_current" and h for f, h in _fields_of(ds)),
                     "record_classes": classes})
        if ctx.progress:
            ctx.progress(done + 1, len(files))
    table = pa.concat_tables(tables) if tables else None
    return LayoutResult(files[0].layout, table, files, problems, findings,
                        extra={"finance_dataset": pa.Table.from_pylist(meta)})
