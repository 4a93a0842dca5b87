"""Who pays: members' shares of the UN regular-budget scale and of peacekeeping assessments.

Answered from the derived table ``assessment`` (member x year x scale, built from the
scale of assessments, the regular-budget contributor files and the UN system's financial
statistics; see ``sources/assessments.py``). Two scales:

- ``peacekeeping`` (2013-2024): each state's share of the calendar year's assessed
  contributions to peacekeeping (``UN-DPO`` / ``Assessed``) in the UN system's financial
  statistics, in nominal US dollars: its effective peacekeeping rate. Beside it, the
  member's regular-budget rate that year and the ratio of the two, where the permanent
  members' premium (about x1.2-1.3) and the discounts for developing countries show.
- ``regular`` (1946-2027): the regular-budget scale's rate, with the year's amount and
  honour-roll status where a contributor file has them (2019-2026).

Every answer names its definition and its default choices (``query`` and the notes) and
the files it used. Ranks are per year, largest first; ties share a rank.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..errors import NoDataError, QueryError
from .connection import Connection
from .result import Result
from .selection import Selection

__all__ = ["assessments", "scale_years", "scale_cells", "SCALES", "DEFINITIONS"]

SCALES = ("peacekeeping", "regular")
DEFINITIONS = {
    "peacekeeping": "share: the member's percent of the calendar year's assessed contributions to peacekeeping "
                    "(entity UN-DPO, instrument Assessed) as reported by the UN system's financial statistics "
                    "(CEB), nominal US dollars: its effective peacekeeping rate; regular_rate: its regular-budget "
                    "rate that year; ratio: share / regular_rate",
    "regular": "share: the member's rate on the UN regular-budget scale of assessments for the year (percent, "
               "set by the General Assembly for the scale period); amount_usd and the honour-roll status "
               "(payment_status, payment_date) from the regular-budget contributor files, 2019-2026, nominal "
               "US dollars",
}
COLUMNS = {
    "peacekeeping": ["year", "rank", "member", "member_name", "share", "amount_usd", "regular_rate", "ratio"],
    "regular": ["year", "rank", "member", "member_name", "share", "amount_usd", "payment_status", "payment_date"],
}
# calendar-year revenue against budget-period scales: what a reader of the shares must know
_PEACEKEEPING_CAVEAT = ("peacekeeping is assessed per July-June budget period, the statistics report calendar "
                        "years: in the first year of a new scale (2013, 2016, 2019, 2022) a year's revenue mixes "
                        "assessments at two scales' rates")


def _year(value: str | int | None, what: str) -> int | None:
    if value is None:
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise QueryError(f"{what} must be a year (YYYY), not {value!r}") from None
    if not 1900 <= year <= 2200:
        raise QueryError(f"{what} must be a year (YYYY), not {value!r}")
    return year


def _as_list(value: str | Selection | Iterable[str | Selection] | None) -> list[str | Selection]:
    if value is None:
        return []
    return [value] if isinstance(value, (str, Selection)) else list(value)


def scale_years(db: Connection, scale: str) -> list[int]:
    """The years a scale holds, oldest first."""
    return sorted(scale_cells(db, scale))


def _members(db: Connection, groups: Iterable[str], year: int) -> set[str]:
    """ISO3 codes in any of ``groups`` on 31 December of ``year``."""
    end = date(year, 12, 31)
    return {iso3 for g in groups for iso3, start, stop in db.memberships.get(g, ())
            if (start is None or start <= end) and (stop is None or stop >= end)}


def _num(value: float | None, places: int) -> float | int | None:
    if value is None:
        return None
    value = round(value, places)
    return int(value) if places == 0 or value.is_integer() and places <= 2 else value


def _position(db: Connection, asked: list[str | Selection], pick: tuple[str, str]) -> int:
    """Where ``pick`` was asked among ``asked`` (names resolve again: a dict lookup each)."""
    for i, name in enumerate(asked):
        if isinstance(name, Selection):
            if pick[1] in name.countries or pick[1] in name.groups:
                return i
        elif db.resolve_country(name) == pick:
            return i
    return len(asked)


def _span(covered: list[int], scale: str, year: int | None, first: int | None, last: int | None,
          notes: list[str], defaults: dict[str, Any]) -> list[int]:
    """The years asked that the scale covers; the default (latest year) is recorded."""
    if year is not None and (first is not None or last is not None):
        raise QueryError("--year and --from/--to together: choose one")
    if year is not None:
        first = last = year
    elif first is None and last is None:
        first = last = defaults["year"] = covered[-1]
        notes.append(f"no year given: the latest year with {scale} data, {covered[-1]}")
    first = covered[0] if first is None else first
    last = covered[-1] if last is None else last
    if first > last:
        raise QueryError(f"--from {first} is after --to {last}")
    years = [y for y in covered if first <= y <= last]
    if not years:
        raise NoDataError(f"no {scale} assessments for {first}" + (f"-{last}" if last != first else "")
                          + f": the sources loaded cover {covered[0]}-{covered[-1]}")
    lacking = [y for y in range(first, last + 1) if y not in covered]
    if lacking:
        runs: list[list[int]] = []
        for y in lacking:
            if runs and runs[-1][-1] == y - 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        notes.append(f"asked {first}-{last}; the {scale} data cover {covered[0]}-{covered[-1]}: no {scale} data for "
                     + ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs))
    return years


def _ranked(cells: dict[str, dict[str, Any]], base: set[str]) -> dict[str, int]:
    """Ranks among ``base`` only, largest share first; ties share the higher rank ("1224")."""
    ranks: dict[str, int] = {}
    current, previous = 0, None
    for i, m in enumerate(sorted(base, key=lambda m: -cells[m]["share"]), start=1):
        if cells[m]["share"] != previous:
            current, previous = i, cells[m]["share"]
        ranks[m] = current
    return ranks


_Cells = dict[int, dict[str, dict[str, Any]]]


def scale_cells(db: Connection, scale: str) -> _Cells:
    """Every row of one scale, year -> member -> cell, read once per open database (the
    table never changes while it is open): an answer then picks its years and members in
    memory instead of scanning the table with four statements."""
    def load() -> _Cells:
        cells: _Cells = {}
        for y, m, share, amount, rk, status, paid, sid, amount_sid, state in db.con.execute("""
                SELECT year, member, share, amount_usd, rank, payment_status, payment_date, source_id,
                       amount_source_id, member_state
                FROM assessment WHERE scale = ?""", [scale]).fetchall():
            cells.setdefault(y, {})[m] = {"share": share, "amount_usd": amount, "rank": rk, "payment_status": status,
                                          "payment_date": paid, "source_id": sid, "amount_source_id": amount_sid,
                                          "member_state": state}
        return cells
    return db.once(f"assessment:cells:{scale}", load)


def _cells_of(row: dict[str, dict[str, Any]], only: set[str] | None) -> dict[str, dict[str, Any]]:
    """A year's cells of the members in ``only`` (all without), in the year's order; one
    member (a country's page) is looked up rather than found among the 193."""
    if only is None:
        return dict(row)
    if len(only) == 1:
        (m,) = only
        return {m: row[m]} if m in row else {}
    return {m: c for m, c in row.items() if m in only}


class _Answer:
    """The rows of one scale over some years, as read, and the files they cite."""

    def __init__(self, db: Connection, scale: str, years: list[int], only: set[str] | None = None) -> None:
        self.db, self.scale = db, scale
        # ``only``: the members asked, where nothing needs the others (no group, no --within)
        table = scale_cells(db, scale)
        self.cells: dict[int, dict[str, dict[str, Any]]] = {y: _cells_of(table.get(y, {}), only) for y in years}
        # a peacekeeping row shows the member's regular rate beside its share
        self.regular: dict[tuple[int, str], tuple[float, int]] = {}
        if scale == "peacekeeping":
            regular = scale_cells(db, "regular")
            self.regular = {(y, m): (c["share"], c["source_id"]) for y in years
                            for m, c in _cells_of(regular.get(y, {}), only).items()}
        self.used: dict[tuple[str, int], list[date]] = {}
        # every share divides by its file's total (a member absent from a year's file is
        # absent on that file's word); the files of each year, worked out once per open database
        files = db.once(f"assessment:files:{scale}", lambda: {
            y: sorted({c["source_id"] for c in row.values()}) for y, row in table.items()})
        for y in years:
            for sid in files.get(y, ()):
                self.use(sid, y)

    def use(self, sid: int | None, y: int) -> None:
        if sid is not None:
            self.used.setdefault(("member x year", sid), []).extend([date(y, 1, 1), date(y, 12, 1)])

    def cite(self, y: int, members: Iterable[str]) -> None:
        """The files behind these members' amounts and regular rates."""
        for m in members:
            cell = self.cells[y].get(m)
            self.use(cell["amount_source_id"] if cell else None, y)
            self.use(self.regular[(y, m)][1] if (y, m) in self.regular else None, y)

    def regular_rate(self, y: int, code: str) -> float | None:
        return self.regular[(y, code)][0] if (y, code) in self.regular else None

    def row(self, y: int, code: str, name: str, cell: dict[str, Any] | None, rk: int | None) -> dict[str, Any]:
        out: dict[str, Any] = {"year": y, "rank": rk, "member": code, "member_name": name,
                               "share": _num(cell["share"], 4) if cell else None,
                               "amount_usd": _num(cell["amount_usd"], 2) if cell else None}
        if self.scale == "peacekeeping":
            # a member absent from the year's statistics still has its regular rate
            reg = cell["regular_rate"] if cell and "regular_rate" in cell else self.regular_rate(y, code)
            out["regular_rate"] = _num(reg, 4)
            out["ratio"] = _num(cell["share"] / reg, 3) if cell and reg else None
        else:
            out["payment_status"] = cell["payment_status"] if cell else None
            out["payment_date"] = cell["payment_date"] if cell else None
        return out

    def group(self, y: int, members: list[str]) -> dict[str, Any]:
        """A group's cell: its members' shares and amounts summed."""
        cells = [self.cells[y][m] for m in members]
        total: dict[str, Any] = {"share": sum(c["share"] for c in cells), "payment_status": None,
                                 "payment_date": None,
                                 "amount_usd": sum(c["amount_usd"] for c in cells)
                                 if all(c["amount_usd"] is not None for c in cells) else None}
        if self.scale == "peacekeeping":
            rates = [self.regular_rate(y, m) for m in members]
            total["regular_rate"] = sum(r for r in rates if r is not None) if all(rates) else None
        return total


def assessments(db: Connection, scale: str | None = None,
                member: str | Selection | Iterable[str | Selection] | None = None,
                within: str | Selection | None = None, year: str | int | None = None,
                start: str | int | None = None, end: str | int | None = None, rank: bool = False,
                top: int | None = None) -> Result:
    """Members' shares of the ``peacekeeping`` or ``regular`` scale, per year.

    ``member`` takes country names, ISO3 codes or groups; a group is one row, its members
    summed (membership on 31 December). Without ``member`` the answer is the ranking of
    every member, or of the members of ``within`` (ranked among themselves). ``rank``
    orders the named members by rank; ``top`` keeps ranks 1..N. ``year``, or ``start`` and
    ``end`` (both included); by default the latest year the scale covers.

    >>> assessments(db, member="USA", year=2014).rows[0]["share"]  # doctest: +SKIP
    28.3842
    >>> [r["member"] for r in assessments(db, year=2024, top=2).rows]  # doctest: +SKIP
    ['USA', 'CHN']
    """
    defaults: dict[str, Any] = {}
    if scale is None:
        scale = defaults["scale"] = SCALES[0]
    if scale not in SCALES:
        raise QueryError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1")
    covered = scale_years(db, scale)
    if not covered:
        raise NoDataError(f"the database holds no {scale} assessments")
    notes = [DEFINITIONS[scale]]
    if "scale" in defaults:
        notes.append(f"no scale given: {scale} (the other is regular)")
    years = _span(covered, scale, _year(year, "--year"), _year(start, "--from"), _year(end, "--to"), notes,
                  defaults)

    asked = _as_list(member)
    sel = db.select(asked)
    # what was asked, in the order asked; a group is one row
    picks = sorted([("country", c) for c in sel.countries] + [("group", g) for g in sel.groups],
                   key=lambda p: _position(db, asked, p))
    within_sel = db.select(_as_list(within))
    ans = _Answer(db, scale, years, set(sel.countries) if sel and not sel.groups and not within_sel else None)
    rows: list[dict[str, Any]] = []
    absent: list[str] = []
    summed: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for y in years:
        cells = ans.cells[y]
        for m, c in cells.items():
            if (reg := ans.regular_rate(y, m)) is not None:
                c["regular_rate"] = reg
        base = set(cells)
        if within_sel:
            base &= set(within_sel.countries) | _members(db, within_sel.groups, y)
        ranks = _ranked(cells, base) if within_sel else {m: cells[m]["rank"] for m in base}
        if not sel:  # the ranking
            picked = sorted(base, key=lambda m: (ranks[m], m))
            picked = [m for m in picked if top is None or ranks[m] <= top]
            ans.cite(y, picked)
            rows += [ans.row(y, m, db.countries.get(m, (m,))[0], cells[m], ranks[m]) for m in picked]
            continue
        year_rows = []
        for kind, code in picks:
            if kind == "country":
                cell = cells.get(code) if code in base else None
                ans.cite(y, [code])
                year_rows.append(ans.row(y, code, db.countries.get(code, (code,))[0], cell, ranks.get(code)))
            else:
                members = sorted(_members(db, [code], y) & base)
                ans.cite(y, members)
                if members:
                    summed.setdefault((code, tuple(members)), []).append(y)
                year_rows.append(ans.row(y, code, db.groups[code][0], ans.group(y, members) if members else None,
                                         None))
            if year_rows[-1]["share"] is None:
                absent.append(f"{code} {y}")
        if rank or top is not None:
            year_rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["member"]))
            year_rows = [r for r in year_rows if top is None or (r["rank"] is not None and r["rank"] <= top)]
        rows += year_rows

    for (group, codes), when in summed.items():
        span = str(when[0]) if len(when) == 1 else f"{when[0]}-{when[-1]}"
        notes.append(f"{group} {span}: {len(codes)} members summed ({', '.join(codes)})")
    if absent:
        notes.append(f"no {scale} figure for " + ", ".join(absent)
                     + (f" within {', '.join(within_sel.labels)}" if within_sel else ""))
    if within_sel:
        notes.append(f"ranked within {', '.join(within_sel.labels)}: members on 31 December of each year")
    if sel.groups:
        notes.append("a group's row sums its members that year (membership on 31 December); it has no rank")
    notes += _caveats(db, ans, years)
    grains = [{"grain": "member x calendar year", "table": "assessment", "first_month": str(years[0]),
               "last_month": str(years[-1]), "months": None}]
    query = {"scale": scale, "definition": DEFINITIONS[scale], "member": list(sel.labels),
             "resolved": sel.echo() + within_sel.echo(),
             "within": ", ".join(within_sel.labels) or None, "from": str(years[0]), "to": str(years[-1]),
             "rank": bool(rank or not sel or top is not None), "top": top, "defaults": defaults}
    return Result(COLUMNS[scale], rows, db.source_refs(ans.used), grains, notes, query)


def _caveats(db: Connection, ans: _Answer, years: list[int]) -> list[str]:
    """What a reader of these years' figures must know, per scale."""
    notes = []
    if ans.scale == "peacekeeping":
        notes.append(_PEACEKEEPING_CAVEAT)
        regular_only: dict[int, list[str]] = db.once("assessment:regular_only", lambda: dict(db.con.execute(
            """SELECT year, list(member ORDER BY member) FROM assessment_comparison
               WHERE relation = 'regular only' GROUP BY year ORDER BY year""").fetchall()))
        for y in sorted(regular_only):
            if years[0] <= y <= years[-1]:
                notes.append(f"{y}: {', '.join(regular_only[y])} on the regular scale but with no peacekeeping "
                             "assessed contribution in the statistics; shares are of the total reported")
        others = sorted(f"{m} {y}" for y in years for m, c in ans.cells[y].items() if c["member_state"] is False)
        if others:
            notes.append("not on the regular scale that year (not member states): " + ", ".join(others))
        return notes
    basis_of: list[tuple[str, int]] = db.once("assessment:amount_basis", lambda: db.con.execute(
        "SELECT DISTINCT amount_basis, year FROM regular_budget_assessment ORDER BY year").fetchall())
    spans: dict[str, list[int]] = {}
    for basis, y in basis_of:
        if years[0] <= y <= years[-1]:
            spans.setdefault(basis, []).append(y)
    if spans:
        bases = sorted(((b, min(ys), max(ys)) for b, ys in spans.items()), key=lambda t: t[1])
        notes.append("amount_usd is the year's assessment as the contributor files label it: "
                     + "; ".join(f"{b} ({a}" + (f"-{z})" if z != a else ")") for b, a, z in bases))
    if any(y < 2019 or y > 2026 for y in years):
        notes.append("amounts and the honour roll are loaded for 2019-2026 only")
    return notes
