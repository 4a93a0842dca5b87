"""Months, the unit of time of every monthly figure: parsing and ranges.

A ground-floor module: everything may import it; it imports nothing of bluehelmet's but
the exception root.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from .errors import QueryError

#: the years a month may name: the UN's first year to a far future; anything else is a
#: typo (and year 0 cannot even be a date)
YEARS = (1945, 2100)

__all__ = ["YEARS", "parse_month", "month_range", "next_month", "previous_month", "months_between", "month_spans"]


def parse_month(text: str | date) -> date:
    """``"2013-12"`` (or a date) to the first day of that month.

    >>> parse_month("2013-12")
    datetime.date(2013, 12, 1)
    """
    if isinstance(text, date):
        return text.replace(day=1)
    text = str(text)
    if len(text) > 40:  # never echo (or scan) a page of text as a "month"
        raise QueryError(f"bad month ({len(text):,} characters): expected YYYY-MM")
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise QueryError(f"bad month {text!r}: expected YYYY-MM")
    if not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        raise QueryError(f"bad month {text!r}: the year must be from {YEARS[0]} to {YEARS[1]}")
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_range(start: date, end: date) -> list[date]:
    """Every month from ``start`` to ``end``, both included.

    >>> [f"{m:%Y-%m}" for m in month_range(date(2013, 11, 1), date(2014, 1, 1))]
    ['2013-11', '2013-12', '2014-01']
    """
    if start > end:
        raise QueryError(f"--from {start:%Y-%m} is after --to {end:%Y-%m}")
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def next_month(m: date) -> date:
    """The first day of the month after ``m``'s.

    >>> next_month(date(2013, 12, 1))
    datetime.date(2014, 1, 1)
    """
    return date(m.year + m.month // 12, m.month % 12 + 1, 1)


def previous_month(m: date) -> date:
    """The first day of the month before ``m``'s.

    >>> previous_month(date(2014, 1, 1))
    datetime.date(2013, 12, 1)
    """
    return date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1)


def months_between(a: date, b: date) -> int:
    """How many months ``b`` is after ``a`` (negative if before), days ignored.

    >>> months_between(date(2013, 11, 1), date(2014, 2, 1))
    3
    """
    return (b.year - a.year) * 12 + b.month - a.month


def month_spans(months: Iterable[date]) -> str:
    """Months as runs of consecutive months, for a message.

    >>> month_spans([date(2014, 3, 1), date(2014, 4, 1), date(2014, 5, 1), date(2015, 1, 1)])
    '2014-03..2014-05, 2015-01'
    """
    runs: list[list[date]] = []
    for m in sorted({d.replace(day=1) for d in months}):
        if runs and months_between(runs[-1][1], m) == 1:
            runs[-1][1] = m
        else:
            runs.append([m, m])
    return ", ".join(f"{a:%Y-%m}" + (f"..{b:%Y-%m}" if b != a else "") for a, b in runs)
