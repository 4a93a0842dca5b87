"""Peacekeeping expenditure: what each account spent, per fiscal year and cost class.

Every answer says what it counts, because each word changes the number:

- **expenditure**: what was spent, never the approved budget (apportionment), which no
  loaded file holds;
- **US dollars of the day** (nominal): not adjusted for inflation;
- **UN peacekeeping fiscal years**, 1 July to 30 June, written ``2022/23`` (July 2022 to
  June 2023). A bare year (``2023``, ``FY2023``) is refused: the two file families
  themselves name the same fiscal year 2022 and 2023.
- **accounts**: the separately assessed peacekeeping accounts the files list, missions and
  the two service centres (RSCE, UNGSC) alike; never the support account for peacekeeping
  operations nor missions financed from the regular budget.

Two statements give account totals (``mission_spending.statement``): the audited
financial statements (2018/19 .. 2022/23) and the Secretary-General's performance reports
(2022/23 .. 2024/25). Where both give an account-year the layout with the lower precedence
answers (the audited one: final and audited); the build compares them
(``spending:performance_vs_audited``) and the answer quotes the outcome. Cost classes
exist only in the performance reports. Expenditure is a flow: over several fiscal years
it is summed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, NamedTuple

from ..errors import NoDataError, QueryError, UnknownNameError
from .connection import Connection
from .result import Result

__all__ = ["spending", "parse_fiscal_year", "parse_fiscal_years", "fiscal_year_label", "SPENDING_BY_KEYS",
           "DEFINITION"]

SPENDING_BY_KEYS = ("mission", "year", "class")
STATEMENTS = ("audited", "performance")
# the performance reports' order of the classes (personnel first), for sorting
CLASS_ORDER = ("military_police_personnel", "civilian_personnel", "operational_costs")

DEFINITION = {
    "measure": "expenditure (what was spent; not the approved budget)",
    "currency": "USD, nominal (not adjusted for inflation)",
    "fiscal_year": "1 July to 30 June; 2022/23 = July 2022 to June 2023",
    "scope": "the separately assessed peacekeeping accounts in the files (missions and service centres); "
             "not the support account for peacekeeping operations",
}
_DEFINITION_NOTE = ("expenditure (what was spent, not the approved budget) in US dollars of the day (nominal, not "
                    "adjusted for inflation), per UN fiscal year 1 July - 30 June (2022/23 = July 2022 to June 2023)")

_FY = re.compile(r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})")


def fiscal_year_label(start: int) -> str:
    """The label of the fiscal year that starts in July of ``start``.

    >>> fiscal_year_label(2022)
    '2022/23'
    """
    return f"{start}/{(start + 1) % 100:02d}"


def parse_fiscal_year(text: str) -> int:
    """The calendar year in which a fiscal year (1 July - 30 June) starts.

    ``2022/23``, ``2022-23``, ``2022/2023`` and ``2022-2023`` are 2022. A single year
    (``2023``, ``FY2023``, ``FY23``) is refused as ambiguous: it could be either fiscal year
    it touches.

    >>> parse_fiscal_year("2022/23"), parse_fiscal_year("2022-2023")
    (2022, 2022)
    """
    raw = text.strip() if isinstance(text, str) else ""
    m = _FY.fullmatch(raw)
    if m is None:
        single = re.fullmatch(r"(?i)(?:fy\s*)?'?(\d{2}|\d{4})", raw)
        if single is not None:
            y = int(single.group(1))
            y = y if y >= 100 else 2000 + y
            raise QueryError(f"fiscal year {text!r} is ambiguous: UN peacekeeping fiscal years run 1 July to "
                             f"30 June; write {fiscal_year_label(y - 1)} (July {y - 1} to June {y}) or "
                             f"{fiscal_year_label(y)} (July {y} to June {y + 1})")
        raise QueryError(f"not a fiscal year: {text!r}; write it as 2022/23 (1 July 2022 to 30 June 2023), "
                         "2022-23 or 2022/2023, or a range 2019/20..2022/23")
    start, end = int(m.group(1)), m.group(2)
    following = start + 1 if len(end) == 4 else (start + 1) % 100
    if int(end) != following:
        raise QueryError(f"not a fiscal year: {text!r}: the second year must follow the first "
                         f"({fiscal_year_label(start)}, July {start} to June {start + 1})")
    return start


def parse_fiscal_years(text: str) -> tuple[int, int]:
    """One fiscal year or a range ``A..B`` (both included) as (first, last) start years.

    >>> parse_fiscal_years("2019/20..2022/23"), parse_fiscal_years("2022-23")
    ((2019, 2022), (2022, 2022))
    """
    if not isinstance(text, str):  # an int would be a calendar year: ambiguous, and said so
        return parse_fiscal_years(str(text)) if isinstance(text, int) else parse_fiscal_year(text)
    if ".." in text:
        a, _, b = text.partition("..")
        first, last = parse_fiscal_year(a), parse_fiscal_year(b)
        if first > last:
            raise QueryError(f"fiscal years {text!r}: {fiscal_year_label(first)} is after {fiscal_year_label(last)}")
        return first, last
    first = parse_fiscal_year(text)
    return first, first


class _Cell(NamedTuple):
    account: str
    written: str
    kind: str | None
    fy: int  # the calendar year the fiscal year starts
    cost_class: str
    statement: str
    symbol: str | None
    amount: Decimal
    source_id: int
    precedence: int


def _cells(db: Connection) -> list[_Cell]:
    """Every account row, read once per open database (a few hundred rows)."""
    def read() -> list[_Cell]:
        return [_Cell(*r) for r in db.con.execute("""
            SELECT s.account, s.account_as_written, s.account_kind, year(s.fy_start), s.cost_class, s.statement,
                   s.symbol, s.amount, s.source_id, f.precedence
            FROM mission_spending s JOIN source_file f USING (source_id)
            ORDER BY s.account, s.fy_start, s.cost_class, f.precedence, s.source_id""").fetchall()]
    return db.once("spending:cells", read)


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _accounts(db: Connection, asked: list[str], cells: list[_Cell]) -> list[str]:
    """Account codes for what the user typed: an account of the files (as they write it,
    UNLB included), or a mission of the reference (which may have no spending)."""
    import difflib

    known = {c.account: c.account for c in cells} | {c.written.upper(): c.account for c in cells}
    out = []
    for a in asked:
        code = a.strip().upper()
        if code in known:
            out.append(known[code])
        elif code in db.missions:
            out.append(db.missions[code])
        else:
            pool = sorted(set(known) | set(db.missions))
            raise UnknownNameError("mission or peacekeeping account", a,
                                   difflib.get_close_matches(code, pool, n=5, cutoff=0.6))
    return list(dict.fromkeys(out))


def _classes(asked: list[str], cells: list[_Cell]) -> list[str]:
    """Cost classes as stored, for a name or a unique start of one (``military``)."""
    known = sorted({c.cost_class for c in cells if c.cost_class != "total"},
                   key=lambda k: (CLASS_ORDER.index(k) if k in CLASS_ORDER else len(CLASS_ORDER), k))
    out = []
    for a in asked:
        key = re.sub(r"[\s-]+", "_", a.strip().casefold())
        if key == "total":
            raise QueryError("'total' is not a cost class: leave --class out for the accounts' totals")
        hits = [k for k in known if k == key] or [k for k in known if k.startswith(key)] if key else []
        if len(hits) != 1:
            raise QueryError(f"{'ambiguous' if hits else 'unknown'} cost class {a!r}; choose from "
                             f"{', '.join(known)} (or their first word)")
        out.append(hits[0])
    return list(dict.fromkeys(out))


def _span(labels: Iterable[int]) -> str:
    years = sorted(set(labels))
    if not years:
        return "none"
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(fiscal_year_label(r[0]) + (f"..{fiscal_year_label(r[-1])}" if len(r) > 1 else "")
                     for r in runs)


def _money(value: Decimal) -> int | float:
    """A dollar amount for JSON and tables: whole dollars as an int."""
    return int(value) if value == value.to_integral_value() else float(value)


def _agreement(cells: list[_Cell], chosen: Iterable[_Cell]) -> str | None:
    """Where the other statement gives an answered account-year too: whether it agrees."""
    totals = {(c.account, c.fy, c.statement): c.amount for c in cells if c.cost_class == "total"}
    pairs = []
    for c in chosen:
        other = totals.get((c.account, c.fy, "performance" if c.statement == "audited" else "audited"))
        if other is not None:
            pairs.append((c, other))
    if not pairs:
        return None
    differ = [(c, o) for c, o in pairs if c.amount != o]
    if not differ:
        return (f"for {len(pairs)} account-year{'s' if len(pairs) > 1 else ''} ({_span(c.fy for c, _ in pairs)}) "
                "the audited statements and the performance reports give the same figure, to the dollar; "
                "the audited one is shown")
    shown = "; ".join(f"{c.account} {fiscal_year_label(c.fy)}: {c.statement} {_money(c.amount):,}, "
                      f"{'performance report' if c.statement == 'audited' else 'audited'} {_money(o):,}"
                      for c, o in differ[:5])
    return (f"where both statements give an account-year the audited figure is shown; they differ for "
            f"{len(differ)} of {len(pairs)}: {shown}" + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
            + " (see 'bluehelmet sources --reconciliation')")


def _scopes(db: Connection, sids: set[int]) -> list[str]:
    """Each statement's scope, as its files print it."""
    files: dict[int, tuple[str, str | None]] = db.once("spending:files", lambda: {
        sid: (st, w) for sid, st, w in db.con.execute(
            "SELECT source_id, statement, scope_warning FROM spending_file").fetchall()})
    by_statement: dict[str, set[str]] = defaultdict(set)
    for sid in sids:
        statement, warning = files[sid]
        by_statement[statement] |= {warning} if warning else set()
    out = []
    for statement, warnings in sorted(by_statement.items()):
        if statement == "audited":
            out.append("audited statements: the separately assessed mission accounts; the support account for "
                       "peacekeeping operations is outside them")
        else:  # one file's warning may extend another's ("... 1 of the 13 missions ... are not drawn")
            texts = sorted(warnings)
            out.extend(f"performance reports: {w}" for w in texts
                       if not any(o != w and o.startswith(w) for o in texts))
    return out


def spending(db: Connection, mission: str | Iterable[str] | None = None, year: str | None = None,
             cost_class: str | Iterable[str] | None = None, by: Iterable[str] = ("mission", "year"),
             statement: str | None = None) -> Result:
    """Peacekeeping expenditure per account, fiscal year and cost class, with its sources.

    ``mission`` takes acronyms of missions or accounts (``MINUSMA``, ``RSCE``); ``year`` a
    fiscal year ``2022/23`` (``2022-23``, ``2022/2023``) or a range ``2019/20..2022/23``;
    ``cost_class`` ``military_police_personnel``, ``civilian_personnel`` or
    ``operational_costs`` (or their first word); ``by`` any of ``mission``, ``year``,
    ``class`` (default: one row per account and fiscal year); ``statement`` ``audited``
    or ``performance`` to read one statement only (default: the audited figure where
    both give one). A cost class, or ``class`` in ``by``, answers from the performance
    reports, the only ones with classes. The amount is ``expenditure_usd``.

    >>> spending(db, mission="MINUSMA", by=["year"])  # doctest: +SKIP
    """
    by = list(dict.fromkeys(by))
    for k in by:
        if k not in SPENDING_BY_KEYS:
            raise QueryError(f"unknown --by key {k!r}; choose from {', '.join(SPENDING_BY_KEYS)}")
    if statement is not None and statement not in STATEMENTS:
        raise QueryError(f"unknown statement {statement!r}; choose from {', '.join(STATEMENTS)}")
    cells = _cells(db)
    if not cells:
        raise NoDataError("the database holds no peacekeeping expenditure (finance/un-open/budget-*pko-*.json)")
    accounts = _accounts(db, _as_list(mission), cells)
    classes = _classes(_as_list(cost_class), cells)
    use_classes = bool(classes) or "class" in by
    if use_classes and statement == "audited":
        raise QueryError("the audited statements give account totals only; cost classes come from the "
                         "performance reports (--statement performance)")
    have_years = sorted({c.fy for c in cells})
    first, last = parse_fiscal_years(year) if year else (have_years[0], have_years[-1])
    if not any(first <= y <= last for y in have_years):
        raise NoDataError(f"no expenditure figures for {_span(range(first, last + 1))}: the files cover "
                          f"{_span(have_years)}")

    # one row per account-year (and class): the allowed statement of lowest precedence
    chosen: dict[tuple[str, int, str], _Cell] = {}
    for c in cells:
        if not first <= c.fy <= last or (accounts and c.account not in accounts):
            continue
        if statement is not None and c.statement != statement:
            continue
        if use_classes and (c.cost_class == "total" or c.statement != "performance"
                            or (classes and c.cost_class not in classes)):
            continue
        if not use_classes and c.cost_class != "total":
            continue
        key = (c.account, c.fy, c.cost_class)
        held = chosen.get(key)
        # lower precedence wins; between files of one layout, the later file
        if held is None or (c.precedence, -c.source_id) < (held.precedence, -held.source_id):
            chosen[key] = c

    notes = [_DEFINITION_NOTE]
    in_span = [y for y in have_years if first <= y <= last]
    if use_classes:
        with_classes = {c.fy for c in cells if c.cost_class != "total"}
        lacking = [y for y in in_span if y not in with_classes]
        if lacking:
            notes.append(f"no cost-class breakdown for {_span(lacking)}: the audited statements give account "
                         "totals only")
    for a in accounts:
        had = {c.fy for c in chosen.values() if c.account == a}
        missing = [y for y in in_span if y not in had and (not use_classes or y in {
            c.fy for c in cells if c.cost_class != "total"})]
        if missing and had:
            notes.append(f"{a}: no figures for {_span(missing)} in the files")
    if not chosen:
        asked = f"{', '.join(accounts) or 'any account'} in {_span(range(first, last + 1))}" + (
            " by cost class" if use_classes else "")
        usable = [c for c in cells if (not use_classes or c.cost_class != "total")
                  and (statement is None or c.statement == statement)]
        spans = [f"{a} for {_span(c.fy for c in usable if c.account == a)}" for a in accounts]
        if accounts and any(c.account in accounts for c in usable):
            raise NoDataError(f"no expenditure figures for {asked}; the files give {'; '.join(spans)}")
        raise NoDataError(f"no expenditure figures for {asked}; the files cover {_span(c.fy for c in usable)} "
                          f"for the peacekeeping accounts {', '.join(sorted({c.account for c in usable}))}")

    groups: dict[tuple[Any, ...], list[_Cell]] = defaultdict(list)
    for c in chosen.values():
        groups[tuple(c.account if k == "mission" else c.fy if k == "year" else c.cost_class for k in by)].append(c)
    detail = "mission" in by and "year" in by
    # how many accounts a row sums, unless the rows name them or one was asked for
    count_accounts = "mission" not in by and len(accounts) != 1
    rows: list[dict[str, Any]] = []
    for values, members in groups.items():
        row: dict[str, Any] = {}
        if "year" not in by:  # a sum over fiscal years names them: every row carries its time
            fys = sorted({c.fy for c in members})
            row["years"] = fiscal_year_label(fys[0]) + ("" if len(fys) == 1 else ".." + fiscal_year_label(fys[-1]))
        for k, v in zip(by, values):
            row[k] = fiscal_year_label(v) if k == "year" else v
            if k == "mission":
                row["kind"] = members[0].kind
        row["statement"] = "+".join(sorted({c.statement for c in members}))
        if detail:
            symbols = sorted({c.symbol for c in members if c.symbol})
            row["document"] = ", ".join(symbols) or None
        if count_accounts:
            row["accounts"] = len({c.account for c in members})
        row["expenditure_usd"] = _money(sum((c.amount for c in members), Decimal(0)))
        rows.append(row)

    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for k in by:
            if k == "class":
                out.append(CLASS_ORDER.index(row[k]) if row[k] in CLASS_ORDER else len(CLASS_ORDER))
            out.append(row[k])
        return tuple(out)

    rows.sort(key=order)
    columns = [] if "year" in by else ["years"]
    for k in by:
        columns.append(k)
        if k == "mission":
            columns.append("kind")
    columns += ["statement"] + (["document"] if detail else []) + (["accounts"] if count_accounts else [])
    columns.append("expenditure_usd")

    used: dict[tuple[str, int], list[date]] = defaultdict(list)
    grain = "account x fiscal year" + (" x cost class" if use_classes else "")
    for c in chosen.values():
        used[(grain, c.source_id)] += [date(c.fy, 7, 1), date(c.fy + 1, 6, 1)]
    agreement = _agreement(cells, chosen.values()) if statement is None and not use_classes else None
    if agreement:
        notes.append(agreement)
    notes += _scopes(db, {sid for _, sid in used})
    others = sorted({(c.account, c.kind) for c in chosen.values() if c.kind != "mission"})
    if others:
        notes.append("accounts that are not missions are included: "
                     + ", ".join(f"{a} ({k})" for a, k in others))
    if len({c.fy for c in chosen.values()}) > 1 and "year" not in by:
        notes.append("expenditure is a flow: amounts over several fiscal years are summed")
    years = sorted({c.fy for c in chosen.values()})
    grains = [{"grain": grain, "table": "mission_spending", "first_month": f"{years[0]}-07",
               "last_month": f"{years[-1] + 1}-06", "months": 12 * len(years),
               "fiscal_years": [fiscal_year_label(y) for y in years]}]
    query = {"mission": accounts, "year": year, "from": fiscal_year_label(years[0]),
             "to": fiscal_year_label(years[-1]), "class": classes, "by": by,
             "statement": statement or "audited where both, else performance", "definition": DEFINITION}
    return Result(columns, rows, db.source_refs(dict(used)), grains, notes, query)
