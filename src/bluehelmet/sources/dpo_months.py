"""An official month's figures, comparable whichever layout gave them (PDF report or Data Hub CSV).

The UN publishes the same month-end headcounts as a monthly report (PDF) and in the Peace
and Security Data Hub (CSV). To tell whether two files say the same about a month, both
are reduced to *cells*: (contributor ISO3, mission, personnel type) -> (male, female,
total), and compared at the finest grain both have:

- a side with no mission breakdown (the reports of 2018-03 .. 2019-08) makes the
  comparison per contributor x type;
- a side that does not count staff officers apart from troops (the reports before 2017-05)
  makes staff officers troops on both sides;
- male and female are compared only where both sides have them (2023-09's report has no
  split by sex); totals always.

A cell missing on one side counts as zero, and cells that are zero on both sides do not
count: a file that lists a contributor with nobody deployed says the same as one that
leaves it out.

>>> a = {("GHA", "UNIFIL", "troops"): (800, 70, 870), ("GHA", "UNIFIL", "staff_officers"): (5, 0, 5)}
>>> b = {("GHA", "UNIFIL", "troops"): (None, None, 875)}
>>> differences(a, b)
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["Cell", "Cells", "Difference", "month_cells", "differences", "describe"]

Cell = tuple[str, "str | None", str]  # contributor ISO3, mission (None: no breakdown), type
Cells = dict[Cell, tuple["int | None", "int | None", int]]  # male, female, total
Difference = tuple[Cell, tuple["int | None", "int | None", int], tuple["int | None", "int | None", int]]


def month_cells(rows: Iterable[Mapping[str, Any]]) -> dict[str, Cells]:
    """Long rows (``date``, ``contributor``, ``mission``, ``type``, ``male``, ``female``,
    ``total``, as the readers of the official reports give them) summed per month
    (``YYYY-MM``) and cell. A mission of None or ``all`` is no mission breakdown.
    """
    out: dict[str, Cells] = {}
    for r in rows:
        if r["type"] == "total":
            continue
        mission = None if r["mission"] in (None, "all") else r["mission"]
        cells = out.setdefault(f"{r['date']:%Y-%m}", {})
        _add(cells, (r["contributor"], mission, r["type"]), (r["male"], r["female"], r["total"]))
    return out


def _add(cells: Cells, key: Cell, value: tuple[int | None, int | None, int]) -> None:
    had = cells.get(key)
    if had is None:
        cells[key] = value
        return
    male = None if had[0] is None or value[0] is None else had[0] + value[0]
    female = None if had[1] is None or value[1] is None else had[1] + value[1]
    cells[key] = (male, female, had[2] + value[2])


def _common(a: Cells, b: Cells) -> tuple[Cells, Cells]:
    no_mission = any(k[1] is None for k in (*a, *b))
    fold_staff = not any(k[2] == "staff_officers" for k in a) or not any(k[2] == "staff_officers" for k in b)

    def reduce(cells: Cells) -> Cells:
        out: Cells = {}
        for (contributor, mission, type_), (male, female, total) in cells.items():
            key = (contributor, None if no_mission else mission,
                   "troops" if fold_staff and type_ == "staff_officers" else type_)
            _add(out, key, (male, female, total))
        return out

    return reduce(a), reduce(b)


def differences(a: Cells, b: Cells) -> list[Difference]:
    """The cells in which ``a`` and ``b`` differ, compared at the finest grain both have
    (see the module's docstring), sorted by cell."""
    ra, rb = _common(a, b)
    zero: tuple[int | None, int | None, int] = (0, 0, 0)
    out: list[Difference] = []
    for key in sorted(set(ra) | set(rb), key=lambda k: (k[0], k[1] or "", k[2])):
        va, vb = ra.get(key, zero), rb.get(key, zero)
        if va[2] != vb[2] or any(x is not None and y is not None and x != y for x, y in zip(va[:2], vb[:2])):
            out.append((key, va, vb))
    return out


def describe(diffs: list[Difference], limit: int = 2) -> str:
    """The first differing cells in words: ``GHA UNIFIL troops 870 vs 871``."""
    def value(v: tuple[int | None, int | None, int]) -> str:
        return f"{v[2]:,}" if v[0] is None or v[1] is None else f"{v[2]:,} ({v[0]:,} male, {v[1]:,} female)"

    parts = [f"{c} {m or '(all missions)'} {t}: {value(a)} vs {value(b)}" for (c, m, t), a, b in diffs[:limit]]
    return "; ".join(parts) + (f"; and {len(diffs) - limit} more" if len(diffs) > limit else "")
