"""The UN Transparency Portal's money files (united-nations/open ``public/data``), JSON.

Two layouts, both one file a year:

- ``donors-YYYY.json`` (2013-2024), the UN System Chief Executives Board's financial
  statistics: an object of donors, each with ``status`` (member, observer, nonmember,
  organization), ``category`` and ``contributions``, an object of UN entities, each an
  object of financing instruments and their amount in US dollars for the calendar year.
  Every amount is one row of ``un_contribution`` (donor x entity x instrument x year). The
  year is the file name's; the file itself does not say it.
- ``regular-budget-contributors-YYYY.json`` (2019-2026): ``meta`` (year, as-of date,
  totals and counts the portal derived) and ``contributors``, one record per member state
  with its regular-budget rate, amount and honour-roll status. Each record is one row of
  ``regular_budget_assessment``; ``meta`` is one row of ``regular_budget_year``.

``line`` is the position of the amount (donors) or of the record (contributors) in the file,
counted from 1 in file order: JSON has no rows to number, and the quarantine's ``raw``
names the donor, entity and instrument, so a quarantined amount is found by its path.

Names are resolved to ISO3 through the country reference; organisations (the European
Union, foundations, funds, "Other ..." aggregates) are not countries and are kept with
``donor`` NULL, never matched to a country whose name their own contains ("United States
Fund for UNICEF" is not the United States). A state name no reference table knows is
quarantined. Negative and zero amounts are the source's refunds and adjustments (about
1,400 negative and 460 zero amounts in 2013-2024): they are loaded as written and counted
in a finding; only a negative peacekeeping *assessed* contribution (``UN-DPO`` /
``Assessed``), which no assessment can be, is quarantined.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from itertools import chain, repeat
from typing import Any

import pyarrow as pa

from ..domain import Context
from ..errors import SourceLayoutError, SourceReadError
from ..records import Finding, LayoutResult, Problem, SourceFile

__all__ = ["read_donors", "read_regular_budget", "PEACEKEEPING", "STATUSES", "PAYMENT_STATUSES"]

#: the entity and financing instrument of the peacekeeping assessed contribution
PEACEKEEPING = ("UN-DPO", "Assessed")
#: donor statuses the files use
STATUSES = ("member", "observer", "nonmember", "organization")
#: honour-roll statuses: paid in full on time, paid in full late, not paid in full that year
PAYMENT_STATUSES = ("paid_on_time", "paid_late", "not_paid_in_full")

CONTRIBUTION_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("year", pa.int32()), ("donor_name", pa.string()),
    ("donor", pa.string()), ("donor_status", pa.string()), ("donor_category", pa.string()),
    ("is_other", pa.bool_()), ("entity", pa.string()), ("instrument", pa.string()), ("amount_usd", pa.float64())])

REGULAR_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("year", pa.int32()), ("member_name", pa.string()),
    ("member", pa.string()), ("rate", pa.float64()), ("amount_usd", pa.int64()), ("amount_basis", pa.string()),
    ("payment_status", pa.string()), ("paid_in_full", pa.bool_()), ("payment_date", pa.date32())])

YEAR_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("year", pa.int32()), ("as_of", pa.date32()), ("due_date", pa.date32()),
    ("member_states", pa.int32()), ("assessment_total", pa.int64()), ("amount_basis", pa.string()),
    ("paid_in_full", pa.int32()), ("paid_on_time", pa.int32()), ("paid_late", pa.int32()),
    ("not_paid_in_full", pa.int32()), ("assessment_document", pa.string())])


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it met twice (``json`` would keep the last
    silently); the first value is kept and the repeats are quarantined."""

    repeated: list[tuple[str, Any]]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.repeated = []
    for key, value in pairs:
        if key in obj:
            obj.repeated.append((key, value))
        else:
            obj[key] = value
    return obj


def _read(sf: SourceFile) -> bytes:
    try:
        return sf.path.read_bytes()
    except OSError as exc:
        raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None


def _load(sf: SourceFile, data: bytes | None = None, hooked: bool = True) -> Any:
    """The file parsed; with ``hooked``, objects whose keys repeat come back as
    :class:`_Object` (``json`` alone keeps the last of a repeated key, silently)."""
    data = _read(sf) if data is None else data
    try:
        return json.loads(data, object_pairs_hook=_object if hooked else None)
    except ValueError as exc:  # JSONDecodeError and bytes that are not UTF-8
        raise SourceReadError(f"{sf.relpath}: not readable JSON: {exc}") from None


def _year_of(sf: SourceFile) -> int:
    m = re.search(r"-(\d{4})\.json$", sf.relpath)
    if not m:
        raise SourceLayoutError(sf.relpath, "a file name ending in -YYYY.json (the year it reports)")
    return int(m.group(1))


def _number(value: Any) -> float | None:
    """A JSON number as a float; None for anything else (text, null, true, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _unknown(ctx: Context, name: str) -> str:
    hint = ctx.countries.suggest(name)
    return f"unknown country {name!r}" + (f" (closest: {', '.join(hint)})" if hint else "")


def _items(obj: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(key, value, repeated) for every pair of an object, the repeats of a key last."""
    return [(k, v, False) for k, v in obj.items()] + [(k, v, True) for k, v in getattr(obj, "repeated", ())]


class _Records:
    """Every amount a donors file holds, columnar, each with the reason it is not loaded
    (None for a good one) and the number of its donor in ``donors``."""

    def __init__(self) -> None:
        self.entity: list[str] = []
        self.instrument: list[str] = []
        self.value: list[Any] = []
        self.reason: list[str | None] = []
        self.owner: list[int] = []
        self.donors: list[tuple[str, str | None, Any, Any, bool]] = []  # name, ISO3, status, category, is_other
        self.keys = 0  # keys of the objects walked, against the file's text
        self.findings: list[Finding] = []
        self.spellings: list[tuple[str, str, int]] = []

    def block(self, owner: int, blocks: list[tuple[str, dict[str, Any], str | None]]) -> None:
        """One donor's entities, each an object of instruments and amounts, at once: the
        files hold 65,000 of them, so the columns are extended by chaining, not looped."""
        sizes = [len(d) for _, d, _ in blocks]
        self.instrument.extend(chain.from_iterable(d for _, d, _ in blocks))
        self.value.extend(chain.from_iterable(d.values() for _, d, _ in blocks))
        self.entity.extend(chain.from_iterable(repeat(e, n) for (e, _, _), n in zip(blocks, sizes)))
        self.reason.extend(chain.from_iterable(repeat(w, n) for (_, _, w), n in zip(blocks, sizes)))
        self.owner.extend(repeat(owner, sum(sizes)))
        self.keys += sum(sizes)

    def one(self, owner: int, entity: str, instrument: str, value: Any, why: str) -> None:
        self.entity.append(entity)
        self.instrument.append(instrument)
        self.value.append(value)
        self.reason.append(why)
        self.owner.append(owner)


def _walk(data: dict[str, Any], ctx: Context, sf: SourceFile) -> _Records:
    out = _Records()
    out.keys = len(data)
    for name, donor, repeated in _items(data):
        owner = len(out.donors)
        info = donor if isinstance(donor, dict) else {}
        out.keys += len(info)
        contributions, status = info.get("contributions"), info.get("status")
        # organisations are kept as written: a fund or committee named after a country is
        # not that country
        code = None if status == "organization" else ctx.resolve_country(name)
        why = "donor listed twice; the first listing is kept" if repeated else \
            None if status == "organization" or code is not None else _unknown(ctx, name)
        out.donors.append((name, code, status, info.get("category"), bool(info.get("is_other"))))
        if not isinstance(contributions, dict):
            out.one(owner, "", "", str(donor)[:150], why or "no 'contributions' object")
            continue
        out.keys += len(contributions)
        if why is None and status not in STATUSES:
            out.findings.append(Finding(sf.source_id, "donor_status",
                                    f"{name}: status {status!r} is none of {', '.join(STATUSES)}; kept as written"))
        blocks: list[tuple[str, dict[str, Any], str | None]] = []
        for entity, instruments, again in _items(contributions):
            if not isinstance(instruments, dict):
                out.one(owner, entity, "", instruments, why or "not an object of instruments and amounts")
                continue
            blocks.append((entity, instruments, why or (
                "entity listed twice for this donor; the first listing is kept" if again else None)))
            for key, value in getattr(instruments, "repeated", ()):
                out.one(owner, entity, key, value, why or "instrument listed twice for this donor and entity; "
                        "the first is kept")
        out.block(owner, blocks)
        if why is None and code is not None:
            out.spellings.append((name, code, sf.source_id))
    return out


def read_donors(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Every amount of every donors file, one row each, into ``un_contribution``."""
    import numpy as np

    parts: list[pa.Table] = []
    problems: list[Problem] = []
    findings: list[Finding] = []
    for n_file, sf in enumerate(files, start=1):
        year = _year_of(sf)
        sf.release = str(year)
        text = _read(sf)
        data = _load(sf, text, hooked=False)
        if not isinstance(data, dict):
            raise SourceLayoutError(sf.relpath, "a JSON object of donors", type(data).__name__)
        rec = _walk(data, ctx, sf)
        # parsing with the hook that keeps repeated keys costs a third of the reading: the
        # keys walked are counted against the '":' in the text, and only a file where they
        # differ (a repeated key, or text that merely looks like a key) is parsed again with it
        if rec.keys != text.count(b'":'):
            rec = _walk(_load(sf, text), ctx, sf)
        findings += rec.findings
        ctx.spellings.extend(rec.spellings)
        n = len(rec.value)
        sf.rows_read = n
        # an amount is a JSON number; bool is an int to Python and NaN a float, neither an amount
        numeric = [type(v) in (int, float) and math.isfinite(v) for v in rec.value]
        amount = np.array([v if ok else 0.0 for v, ok in zip(rec.value, numeric)], dtype=np.float64)
        owner = np.array(rec.owner, dtype=np.int64)
        entity, instrument = np.array(rec.entity, dtype=object), np.array(rec.instrument, dtype=object)
        peacekeeping_negative = (entity == PEACEKEEPING[0]) & (instrument == PEACEKEEPING[1]) & (amount < 0)
        reason = list(rec.reason)
        for i in np.flatnonzero(~np.array(numeric, dtype=bool) | peacekeeping_negative).tolist():
            if reason[i] is None:
                reason[i] = f"not a number: {rec.value[i]!r}" if not numeric[i] else \
                    "negative peacekeeping assessed contribution"
        bad = [i for i, r in enumerate(reason) if r is not None]
        for i in bad:
            donor = rec.donors[rec.owner[i]][0]
            column = f"contributions.{rec.entity[i]}.{rec.instrument[i]}".rstrip(".") if rec.entity[i] else donor
            problems.append(Problem(sf.source_id, i + 1, column, str(reason[i]),
                                    f"{donor} / {rec.entity[i]} / {rec.instrument[i]}: {rec.value[i]!r}"[:200]))
        keep = np.ones(n, dtype=bool)
        keep[bad] = False
        good = amount[keep]
        negative, zero = int((good < 0).sum()), int((good == 0).sum())
        if negative or zero:
            findings.append(Finding(sf.source_id, "negative_contribution",
                                    f"{year}: {negative} negative amounts (sum {good[good < 0].sum():,.0f} USD: refunds "
                                    f"and adjustments as reported) and {zero} zero amounts, loaded as written",
                                    negative + zero))
        donors = rec.donors
        who = owner[keep]
        parts.append(pa.table({
            "source_id": pa.array(np.full(len(good), sf.source_id), pa.int32()),
            "line": pa.array(np.flatnonzero(keep) + 1, pa.int32()),
            "year": pa.array(np.full(len(good), year), pa.int32()),
            "donor_name": pa.array([d[0] for d in donors], pa.string()).take(who),
            "donor": pa.array([d[1] for d in donors], pa.string()).take(who),
            "donor_status": pa.array([d[2] if isinstance(d[2], str) else None for d in donors], pa.string()).take(who),
            "donor_category": pa.array([d[3] if isinstance(d[3], str) else None for d in donors],
                                       pa.string()).take(who),
            "is_other": pa.array([d[4] for d in donors], pa.bool_()).take(who),
            "entity": pa.array(entity[keep].tolist(), pa.string()),
            "instrument": pa.array(instrument[keep].tolist(), pa.string()),
            "amount_usd": pa.array(good, pa.float64())}, schema=CONTRIBUTION_SCHEMA))
        if ctx.progress:
            ctx.progress(n_file, len(files))
    table = pa.concat_tables(parts) if parts else CONTRIBUTION_SCHEMA.empty_table()
    return LayoutResult(files[0].layout, table, files, problems, findings)


def _date(value: Any) -> dt.date | None:
    """An ISO date (``2019-05-03``), or None for null; ValueError for anything else."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(value)
    return dt.date.fromisoformat(value[:10])


def _meta_row(sf: SourceFile, meta: dict[str, Any], year: int) -> dict[str, Any]:
    def whole(key: str) -> int | None:
        v = _number(meta.get(key))
        return int(v) if v is not None and v.is_integer() else None

    def day(key: str) -> dt.date | None:
        try:
            return _date(meta.get(key))
        except ValueError:
            return None

    document = (meta.get("sources") or {}).get("assessment_document") or {}
    return {"source_id": sf.source_id, "year": year, "as_of": day("as_of"), "due_date": day("due_date"),
            "member_states": whole("member_state_count"), "assessment_total": whole("assessment_total"),
            "amount_basis": meta.get("assessment_amount_column"), "paid_in_full": whole("paid_in_full_count"),
            "paid_on_time": whole("paid_on_time_count"), "paid_late": whole("paid_late_count"),
            "not_paid_in_full": whole("not_paid_in_full_count"),
            "assessment_document": document.get("symbol") if isinstance(document, dict) else None}


def _meta_findings(sf: SourceFile, year: int, meta: dict[str, Any], loaded: list[dict[str, Any]],
                   read: int, findings: list[Finding]) -> None:
    """What the file's own ``meta`` says against its records: counts, total, the portal's
    reconciliation of the honour roll against the assessment document."""
    said = _meta_row(sf, meta, year)
    status = [r["payment_status"] for r in loaded]
    counts = {"member_states": read, "assessment_total": sum(r["amount_usd"] for r in loaded),
              "paid_in_full": sum(s in ("paid_on_time", "paid_late") for s in status),
              "paid_on_time": status.count("paid_on_time"), "paid_late": status.count("paid_late"),
              "not_paid_in_full": status.count("not_paid_in_full")}
    off = [f"{k} {said[k]} (records: {v})" for k, v in counts.items() if said[k] is not None and said[k] != v]
    if off:
        findings.append(Finding(sf.source_id, "regular_budget_meta",
                                f"{year}: the file's meta differs from its records: " + "; ".join(off), len(off)))
    rates = sum(r["rate"] for r in loaded)
    if loaded and abs(rates - 100) > 0.0005:
        findings.append(Finding(sf.source_id, "regular_budget_meta",
                                f"{year}: the rates of the loaded records sum to {rates:.4f}, not 100"))
    check = meta.get("amount_reconciliation")
    for d in (check or {}).get("discrepancies", []) if isinstance(check, dict) else []:
        if isinstance(d, dict):
            findings.append(Finding(sf.source_id, "honour_roll_discrepancy",
                                    f"{year}: {d.get('name')}: the honour roll says {d.get('honour_roll_amount')} USD, "
                                    f"the assessment document {d.get('assessment_document_amount')} USD (the portal's "
                                    "own reconciliation; the record's amount is kept)"))


def read_regular_budget(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """Each member's regular-budget rate, amount and honour-roll status per year, into
    ``regular_budget_assessment``; each file's ``meta`` into ``regular_budget_year``."""
    loaded_rows: list[dict[str, Any]] = []
    meta_rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    findings: list[Finding] = []
    for sf in files:
        data = _load(sf)
        year = _year_of(sf)
        if not isinstance(data, dict) or not isinstance(data.get("contributors"), list):
            raise SourceLayoutError(sf.relpath, "a JSON object with a 'contributors' list")
        meta: dict[str, Any] = data["meta"] if isinstance(data.get("meta"), dict) else {}
        if meta.get("year") not in (None, year):
            findings.append(Finding(sf.source_id, "regular_budget_meta",
                                    f"meta.year {meta.get('year')!r} differs from the file name's {year}; "
                                    "the file name's is used"))
        sf.release = str(meta.get("as_of") or "")
        basis = meta.get("assessment_amount_column")
        mine: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        records = data["contributors"]
        for line, rec in enumerate(records, start=1):
            raw = json.dumps(rec, ensure_ascii=False)[:200] if isinstance(rec, dict) else repr(rec)[:200]

            def bad(column: str, reason: str) -> None:
                problems.append(Problem(sf.source_id, line, column, reason, raw))

            if not isinstance(rec, dict):
                bad("contributors", "not an object")
                continue
            name = rec.get("name")
            if not isinstance(name, str):
                bad("name", f"not a name: {name!r}")
                continue
            code = ctx.resolve_country(name)
            rate, amount = _number(rec.get("assessment_rate")), _number(rec.get("assessment_amount"))
            status = rec.get("payment_status")
            if code is None:
                bad("name", _unknown(ctx, name) if name.strip() else "empty")
            elif code in seen:
                bad("name", f"{name!r} is listed twice; first at record {seen[code]}")
            elif rate is None or rate < 0:
                bad("assessment_rate", f"not a rate (a percentage >= 0): {rec.get('assessment_rate')!r}")
            elif amount is None or amount < 0 or not amount.is_integer():
                bad("assessment_amount", f"not an amount in whole dollars >= 0: {rec.get('assessment_amount')!r}")
            elif status not in PAYMENT_STATUSES:
                bad("payment_status", f"unknown status {status!r} (expected {', '.join(PAYMENT_STATUSES)})")
            else:
                try:
                    paid = _date(rec.get("payment_date"))
                except ValueError:
                    bad("payment_date", f"not a date: {rec.get('payment_date')!r}")
                    continue
                seen[code] = line
                ctx.spellings.append((name, code, sf.source_id))
                mine.append({"source_id": sf.source_id, "line": line, "year": year, "member_name": name,
                             "member": code, "rate": rate, "amount_usd": int(amount), "amount_basis": basis,
                             "payment_status": status, "paid_in_full": status != "not_paid_in_full",
                             "payment_date": paid})
        sf.rows_read = len(records)
        _meta_findings(sf, year, meta, mine, len(records), findings)
        meta_rows.append(_meta_row(sf, meta, year))
        loaded_rows += mine
    table = pa.Table.from_pylist(loaded_rows, REGULAR_SCHEMA)
    return LayoutResult(files[0].layout, table, files, problems, findings,
                        extra={"regular_budget_year": pa.Table.from_pylist(meta_rows, YEAR_SCHEMA)})
