"""The sources page's opening: what the data cover, in plain words, before any file list.

One line per domain and grain: the span of months it holds, its gaps, the producers of
the files answering it (from the files' citations) and the build's caveat for it, read
from ``Database.coverage_spans`` and ``Database.sources``, so the words follow the data.
"""

from __future__ import annotations

from typing import Any

from ..query.result import Result

__all__ = ["GRAIN_WORDS", "coverage_summary"]

# a grain as a reader says it
GRAIN_WORDS = {"detail": "contributor x mission (with gender and police types)", "contributor": "contributor totals",
               "mission": "mission totals", "world": "world totals", "authorized_strength": "authorised strength",
               "deployment_site": "deployment sites (maps)", "fatality": "fatalities, one row per death",
               "fatality_month": "fatalities, monthly aggregate"}


def _producer(citation: str | None) -> str:
    """A citation's producer: its words up to the first comma that ends at least a
    name's length (an author list's "Cil, D." is no producer on its own).

    >>> _producer("Cil, D., et al. Geo-PKO v2.0, 2020")
    'Cil, D., et al. Geo-PKO v2.0'
    """
    out = ""
    for part in (citation or "").split(","):
        out = f"{out},{part}" if out else part
        if len(out.strip()) >= 20:
            break
    return out.strip()


def coverage_summary(spans: Result, files: Result) -> list[str]:
    """Sentences on what each domain and grain covers (``spans``: coverage rows; ``files``:
    the source files, for their producers)."""
    producers: dict[str, set[str]] = {}
    for f in files.rows:
        if f["layout"]:
            producers.setdefault(f["layout"], set()).add(_producer(f["citation"]))
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in spans.rows:
        groups.setdefault((r["domain"], r["grain"]), []).append(r)
    out = []
    for (domain, grain), rows in groups.items():
        first, last = min(r["first_month"] for r in rows), max(r["last_month"] for r in rows)
        gaps = [r for r in rows if r["status"] == "gap"]
        layouts = {x.strip() for r in rows for x in (r["layouts"] or "").split("+") if x.strip()}
        who = sorted({p for la in layouts for p in producers.get(la, ()) if p})
        line = f"{domain}, {GRAIN_WORDS.get(grain, grain.replace('_', ' '))}: {first}..{last}"
        if gaps:
            missing = sum(r["months"] or 0 for r in gaps)
            line += (f", except {missing} month{'s' if missing != 1 else ''} in {len(gaps)} gap"
                     f"{'s' if len(gaps) != 1 else ''} (" + ", ".join(
                         r["first_month"] + ("" if r["months"] == 1 else f"..{r['last_month']}") for r in gaps) + ")")
        if who:
            line += "; from " + "; ".join(who)
        caveat = next((r["note"] for r in rows if r["status"] != "gap" and r["note"]), None)
        if caveat:
            line += f". Note: {caveat}"
        out.append(line)
    return out
