"""How values read on every surface: a nested value as one cell, which integers are labels
(no thousands separator), and the caption naming the month a result answers for. Shared by
the terminal (output.py), notebooks (notebook.py) and the web's templates."""

from __future__ import annotations

from typing import Any

__all__ = ["PLAIN_INTS", "flat", "caption"]

# integers that are labels, not quantities: no thousands separator ("2,013" is no year; nor
# is a first_year or base_year)
PLAIN_INTS = {"year", "line", "source_id", "rank"}


def flat(v: Any) -> Any:
    """Nested values (a site's contributors) as one readable cell: ``BGD 1550; CHN 450``."""
    if isinstance(v, list):
        return "; ".join(str(flat(x)) for x in v)
    if isinstance(v, dict):
        # a code and a number say it; a long name in between only widens the column
        # (unless there is no code: "Multinational 150", not "150")
        parts = [x for k, x in v.items() if x is not None and (k != "name" or v.get("contributor") is None)]
        return " ".join(str(x) for x in parts)
    return v


def caption(result: Any, title: str | None = None) -> str | None:
    """A table's title naming the month it answers for, and why that month when none was
    asked (``month 2025-07, the latest month with ...``); a series names its span."""
    if result.month:
        when = f"month {result.month}" + (f", {result.month_note}" if result.month_note else "")
    elif result.query.get("from") and result.query.get("to"):
        first, last = str(result.query["from"]), str(result.query["to"])
        if len(first) == len(last) == 4:  # a yearly answer (assessments) spans years, not months
            when = f"year {first}" if first == last else f"years {first}..{last}"
        elif "/" in first:  # UN fiscal years (spending), July to June
            when = f"fiscal year {first}" if first == last else f"fiscal years {first}..{last}"
        else:
            when = f"months {first}..{last}"
    else:
        return title
    return f"{title}: {when}" if title else when
