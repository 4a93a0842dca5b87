"""Reading the UN Transparency Portal's peacekeeping expenditure files (JSON).

A file is one object: ``meta`` (what the file is: measure, fiscal year, currency, scope,
where it comes from) and ``nodes``, a flat list of records that form a tree through
``parentId``: one ``whole`` record (the file's total), a ``mission`` record per account
and, in the performance reports, a ``class`` record per account and cost class and an
``item`` record per line of a class. Each record is a row: rows read = records, and a
row's ``line`` is its 1-based position in ``nodes``.

Quarantined, each with its reason (a Problem: file, record, column, reason, the record
as JSON):

- every record of a file whose ``meta`` is not what the rows need (column ``meta.<key>``):
  a measure other than ``expenditure``, a currency other than ``USD``, a fiscal-year label
  that is not ``YYYY/YY`` of two consecutive years, an audited layout's file that does not
  say it is audited. Its records cannot be read as expenditure of a known year.
- a record that is not an object, has an unknown ``tier``, no account code, an unknown
  cost class, an amount that is missing, not a JSON number (text is not read as a
  number), negative or finer than a cent; whose column header names another measure or
  fiscal year than the file; or that repeats an account, class or item already read
  (``duplicate of record N``, ``conflicting duplicate ...`` when the amount differs).

A file that is not JSON, or not an object with ``meta`` and a ``nodes`` list, stops the
build with a one-line error naming it: no record of it could be counted.

The fiscal year is the label the file prints (``meta.fiscalYear``), checked against each
record's column header. File names count years two ways (``budget-pko-2022`` is 2022/23,
``budget-audited-pko-2023`` too); a file whose ``meta.year`` does not follow its family's
way is a finding, not an error, since the printed label decides.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Any

import pyarrow as pa

from ..domain import Context
from ..errors import SourceLayoutError, SourceReadError
from ..records import Finding, LayoutResult, Problem, SourceFile
from .spending import RENAMED, STATEMENTS

__all__ = ["read_audited", "read_performance", "parse_fiscal_label", "COST_CLASSES"]

#: the cost classes of the performance reports, as the files code them
COST_CLASSES = ("military_police_personnel", "civilian_personnel", "operational_costs")
MEASURE = "expenditure"
CURRENCY = "USD"
TIERS = ("whole", "mission", "class", "item")
_LABEL = re.compile(r"(\d{4})/(\d{2})")
_CODE = re.compile(r"[A-Z][A-Z0-9-]{0,19}")

_AMOUNT = pa.decimal128(18, 2)
_COMMON = [("source_id", pa.int32()), ("line", pa.int32()), ("statement", pa.string()), ("measure", pa.string()),
           ("fiscal_year", pa.string()), ("fy_start", pa.date32()), ("account", pa.string()),
           ("account_as_written", pa.string())]
_TAIL = [("amount", _AMOUNT), ("symbol", pa.string()), ("row_label", pa.string()), ("column_header", pa.string()),
         ("basis", pa.string()), ("record_id", pa.string())]
ACCOUNT_SCHEMA = pa.schema(_COMMON + [("account_name", pa.string()), ("cost_class", pa.string())] + _TAIL)
ITEM_SCHEMA = pa.schema(_COMMON + [("cost_class", pa.string()), ("item", pa.string()), ("label", pa.string())]
                        + _TAIL)
FILE_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("statement", pa.string()), ("measure", pa.string()),
    ("currency", pa.string()), ("fiscal_year", pa.string()), ("fy_start", pa.date32()), ("file_year", pa.int32()),
    ("cycle", pa.int32()), ("label", pa.string()), ("scope", pa.string()), ("scope_warning", pa.string()),
    ("stated_total", _AMOUNT), ("meta_total", _AMOUNT), ("release", pa.string()), ("url", pa.string()),
    ("not_published", pa.list_(pa.string()))])


def parse_fiscal_label(text: object) -> int | None:
    """The first calendar year of a printed fiscal-year label, or None if it is not one.

    >>> parse_fiscal_label("2022/23"), parse_fiscal_label("2022/24"), parse_fiscal_label("2022")
    (2022, None, None)
    """
    m = _LABEL.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        return None
    return int(m.group(1))


def _amount(value: object) -> tuple[Decimal | None, str | None]:
    """A record's amount as an exact decimal, or why it cannot be one."""
    if value is None:
        return None, "no amount"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, f"amount {value!r} is not a JSON number"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"amount {value!r} is not a finite number"
    amount = Decimal(str(value))  # str(): the float as written, not its binary expansion
    if amount < 0:
        return None, f"negative expenditure {value!r}"
    if amount != amount.quantize(Decimal("0.01")):
        return None, f"amount {value!r} is finer than a cent"
    return amount, None


def _raw(node: object) -> str:
    return json.dumps(node, ensure_ascii=False, sort_keys=True)[:500]


def _load(sf: SourceFile) -> tuple[dict[str, Any], list[Any]]:
    try:
        doc = json.loads(sf.path.read_bytes())
    except OSError as exc:
        raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None
    except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8
        raise SourceReadError(f"{sf.relpath}: not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("meta"), dict) or not isinstance(doc.get("nodes"), list):
        found = f"a JSON {type(doc).__name__}" + (f" with keys {', '.join(sorted(doc)[:6])}"
                                                   if isinstance(doc, dict) else "")
        raise SourceLayoutError(sf.relpath, "an object with 'meta' and a list 'nodes' (UN Transparency Portal "
                                "peacekeeping expenditure)", found)
    return doc["meta"], doc["nodes"]


def _file_problem(meta: dict[str, Any], statement: str) -> tuple[str, str] | None:
    """(column, reason) when the file's meta makes all its records unreadable."""
    if meta.get("measure") != MEASURE:
        return "meta.measure", f"measure {meta.get('measure')!r}: only {MEASURE!r} is read (not budgets)"
    if meta.get("currency") != CURRENCY:
        return "meta.currency", f"currency {meta.get('currency')!r}: only {CURRENCY} is read"
    if parse_fiscal_label(meta.get("fiscalYear")) is None:
        return "meta.fiscalYear", (f"fiscal year {meta.get('fiscalYear')!r} is not a label YYYY/YY "
                                   "of two consecutive years")
    if statement == "audited" and meta.get("sourceKind") != "audited":
        return "meta.sourceKind", f"source kind {meta.get('sourceKind')!r} in an audited statements file"
    return None


def _obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_file(sf: SourceFile, statement: str, rows: list[dict[str, Any]], items: list[dict[str, Any]],
               files: list[dict[str, Any]], problems: list[Problem], findings: list[Finding]) -> None:
    meta, nodes = _load(sf)
    sf.rows_read = len(nodes)
    source = _obj(meta.get("source"))
    sf.release = _text(source.get("release")) or ""
    bad = _file_problem(meta, statement)
    if bad is not None:
        column, reason = bad
        problems.extend(Problem(sf.source_id, i, column, f"{reason}; every record of the file is left out",
                                _raw(n)) for i, n in enumerate(nodes, start=1))
        return
    label = str(meta["fiscalYear"]).strip()
    first = parse_fiscal_label(label)
    assert first is not None  # checked by _file_problem
    fy_start = dt.date(first, 7, 1)
    # performance files are named by the year the fiscal year starts, audited ones by the year it ends
    expected = first if statement == "performance" else first + 1
    if _int(meta.get("year")) is not None and meta["year"] != expected:
        findings.append(Finding(sf.source_id, "spending_year_label",
                                f"{sf.relpath}: meta.year {meta['year']} with fiscal year {label}; {statement} files "
                                f"elsewhere give {expected}: the printed fiscal year is used"))
    names = _obj(meta.get("missionNames"))
    coverage = _obj(meta.get("coverage"))
    not_published = [str(c) for c in coverage.get("noPublishedValueForLens") or [] if isinstance(c, str)]
    if not_published:
        findings.append(Finding(sf.source_id, "spending_not_published",
                                f"{sf.relpath}: the {label} cycle includes {', '.join(not_published)}, but the "
                                "file publishes no per-account figures for "
                                + ("it" if len(not_published) == 1 else "them"), len(not_published)))
    meta_total, _ = _amount(meta.get("total"))
    file_row: dict[str, Any] = {
        "source_id": sf.source_id, "line": None, "statement": statement, "measure": MEASURE, "currency": CURRENCY,
        "fiscal_year": label, "fy_start": fy_start, "file_year": _int(meta.get("year")),
        "cycle": _int(meta.get("cycle")), "label": _text(meta.get("label")), "scope": _text(meta.get("scopeLabel")),
        "scope_warning": _text(meta.get("scopeWarning")), "stated_total": None, "meta_total": meta_total,
        "release": sf.release or None, "url": _text(source.get("url")), "not_published": not_published}
    seen: dict[tuple[str, ...], tuple[int, Decimal]] = {}
    renamed: dict[str, int] = {}

    def problem(line: int, column: str, reason: str, node: object) -> None:
        problems.append(Problem(sf.source_id, line, column, reason, _raw(node)))

    for line, node in enumerate(nodes, start=1):
        if not isinstance(node, dict):
            problem(line, "nodes", f"record is a JSON {type(node).__name__}, not an object", node)
            continue
        tier = node.get("tier")
        if tier not in TIERS:
            problem(line, "tier", f"unknown tier {tier!r} (expected {', '.join(TIERS)})", node)
            continue
        amount, why = _amount(node.get("amount"))
        if why is not None:
            problem(line, "amount", why, node)
            continue
        assert amount is not None
        src = _obj(node.get("source"))
        header = _text(src.get("columnHeader"))
        if header is not None:
            said = _LABEL.search(header)
            measure = header.split("·")[0].strip().casefold()
            if said is not None and said.group(0) != label:
                problem(line, "source.columnHeader", f"column header {header!r} is another fiscal year than the "
                        f"file's {label}", node)
                continue
            if measure and measure != MEASURE:
                problem(line, "source.columnHeader", f"column header {header!r} is another measure than the "
                        f"file's {MEASURE}", node)
                continue
        if tier == "whole":
            key: tuple[str, ...] = ("whole",)
            if key in seen:
                problem(line, "tier", f"a second 'whole' record (the first is record {seen[key][0]})", node)
                continue
            seen[key] = (line, amount)
            file_row.update(line=line, stated_total=amount)
            continue
        written = _text(node.get("mission")) or _text(node.get("code") if tier == "mission" else None)
        if written is None or not _CODE.fullmatch(written.upper()):
            problem(line, "mission", f"no account code (mission {node.get('mission')!r})" if written is None
                    else f"account code {written!r} is not an acronym", node)
            continue
        account = RENAMED.get(written.upper(), written.upper())
        if account != written.upper():
            renamed[written] = renamed.get(written, 0) + 1
        cost_class = _text(node.get("costClass"))
        if tier == "mission":
            cost_class = cost_class or "total"
            if cost_class != "total":
                problem(line, "costClass", f"an account record with cost class {cost_class!r}", node)
                continue
        elif cost_class not in COST_CLASSES:
            problem(line, "costClass", f"unknown cost class {cost_class!r} (expected {', '.join(COST_CLASSES)})",
                    node)
            continue
        item = None
        if tier == "item":
            rid = _text(node.get("id")) or ""
            item = rid.split("~")[2] if rid.count("~") == 2 else re.sub(
                r"[^a-z0-9]+", "-", (_text(node.get("label")) or "").casefold()).strip("-")
            if not item:
                problem(line, "label", "an item with no id and no label", node)
                continue
        key = (account, cost_class) + ((item,) if item else ())
        if key in seen:
            first_line, first_amount = seen[key]
            what = "duplicate" if first_amount == amount else f"conflicting duplicate (amount {first_amount} there)"
            problem(line, "mission", f"{what} of record {first_line}: {' / '.join(key)}", node)
            continue
        seen[key] = (line, amount)
        row = {"source_id": sf.source_id, "line": line, "statement": statement, "measure": MEASURE,
               "fiscal_year": label, "fy_start": fy_start, "account": account, "account_as_written": written,
               "cost_class": cost_class, "amount": amount, "symbol": _text(src.get("symbol")),
               "row_label": _text(src.get("rowLabel")), "column_header": header, "basis": _text(node.get("basis")),
               "record_id": _text(node.get("id"))}
        if tier == "item":
            items.append({**row, "item": item, "label": _text(node.get("label"))})
        else:
            label_text = _text(node.get("label"))
            name = names.get(written) if isinstance(names.get(written), str) else None
            row["account_name"] = name or (label_text if tier == "mission" and label_text != written else None)
            rows.append(row)
    for written, n in sorted(renamed.items()):
        findings.append(Finding(sf.source_id, "spending_account_renamed",
                                f"{sf.relpath}: account {written!r} read as {RENAMED[written.upper()]!r}, the "
                                f"account's current code ({n} record{'s' if n != 1 else ''})", n))
    files.append(file_row)


def _read(files: list[SourceFile], statement: str) -> LayoutResult:
    rows: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    file_rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    findings: list[Finding] = []
    for sf in files:
        _read_file(sf, statement, rows, items, file_rows, problems, findings)
    return LayoutResult(files[0].layout, pa.Table.from_pylist(rows, ACCOUNT_SCHEMA), files, problems, findings,
                        extra={"mission_spending_item": pa.Table.from_pylist(items, ITEM_SCHEMA),
                               "spending_file": pa.Table.from_pylist(file_rows, FILE_SCHEMA)})


def read_performance(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The performance-report files (``budget-pko-YYYY.json``): accounts, classes, items."""
    return _read(files, STATEMENTS[files[0].layout])


def read_audited(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """The audited-statement files (``budget-audited-pko-YYYY.json``): account totals."""
    return _read(files, STATEMENTS[files[0].layout])
