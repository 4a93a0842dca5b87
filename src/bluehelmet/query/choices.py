"""Which file answered a cell that several files cover, and why (the build's ``cell_choice``).

The build answers each contributor's month (and each mission's and the world's month)
from the complete file of best precedence (``sources/personnel.py``). Most choices are
the plain precedence order and say nothing; the others are what an answer must show: a
better file lacked rows another had ("complete"), or no file held every row the others
had ("none_complete", a warning with the competing figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from .connection import Connection
from .selection import Selection

__all__ = ["CellChoice", "choices", "relevant", "describe", "summary"]


@dataclass(frozen=True)
class CellChoice:
    """One unit (grain, month and contributor or mission) answered other than by plain precedence."""

    grain: str
    month: date
    contributor: str | None
    mission: str | None
    layout: str
    reason: str  # complete | none_complete
    lacking_missions: tuple[str, ...]
    candidates: tuple[dict[str, Any], ...]  # layout, source_id, personnel, complete, lacking

    def as_dict(self) -> dict[str, Any]:
        return {"grain": self.grain, "month": f"{self.month:%Y-%m}", "contributor": self.contributor,
                "mission": self.mission, "answered_from": self.layout, "reason": self.reason,
                "lacking_missions": list(self.lacking_missions),
                "candidates": [dict(c) for c in self.candidates]}


def choices(db: Connection) -> dict[str, list[CellChoice]]:
    """Every non-trivial choice of the database, by grain (read once per open database:
    a few dozen rows)."""
    def read() -> dict[str, list[CellChoice]]:
        out: dict[str, list[CellChoice]] = {}
        for grain, month, contributor, mission, layout, reason, lacking, cands in db.con.execute("""
                SELECT c.grain, c.month, c.contributor, c.mission, c.layout, c.reason, c.lacking_missions,
                       list({'layout': k.layout, 'source_id': k.source_id, 'personnel': k.personnel,
                             'complete': k.complete, 'lacking': k.lacking} ORDER BY k.precedence)
                FROM cell_choice c JOIN cell_candidate k
                  ON k.grain = c.grain AND k.month = c.month AND k.contributor IS NOT DISTINCT FROM c.contributor
                 AND k.mission IS NOT DISTINCT FROM c.mission
                WHERE c.reason <> 'precedence' GROUP BY ALL ORDER BY c.grain, c.month""").fetchall():
            out.setdefault(grain, []).append(CellChoice(grain, month, contributor, mission, layout, reason,
                                                        tuple(lacking or ()), tuple(cands)))
        return out

    return db.once("cell_choices", read)


def relevant(db: Connection, by_grain: dict[str, list[date]], sel: Selection,
             missions: Iterable[str]) -> list[CellChoice]:
    """The choices behind an answer: its grains and months, the contributors it selects (all
    of them when it selects none: a total includes every contributor) and its missions."""
    wanted_missions = set(missions)
    out = []
    for grain, months in by_grain.items():
        held = choices(db).get(grain)
        if not held:
            continue
        span = set(months)
        for c in held:
            if c.month not in span:
                continue
            if sel and c.contributor is not None and not _selected(db, sel, c.contributor, c.month):
                continue
            if wanted_missions:
                if c.mission is not None and c.mission not in wanted_missions:
                    continue
                if c.grain == "detail" and not wanted_missions & set(c.lacking_missions):
                    continue
            out.append(c)
    return out


def _selected(db: Connection, sel: Selection, iso3: str, month: date) -> bool:
    if iso3 in sel.countries:
        return True
    members = db.members_during(sel.groups, [month]) if sel.groups else None
    return bool(members and iso3 in members)


def describe(c: CellChoice, names: Mapping[str, tuple[Any, ...]] | None = None) -> str:
    """One line for a note or a warning.

    >>> c = CellChoice("detail", date(2012, 6, 1), "FRA", None, "ipi_ppp_gender", "complete", ("UNIFIL",),
    ...                ({"layout": "ipi_tcc_gender", "personnel": 87, "complete": False, "lacking": 1},
    ...                 {"layout": "ipi_ppp_gender", "personnel": 1098, "complete": True, "lacking": 0}))
    >>> describe(c)
    'FRA 2012-06 answered from ipi_ppp_gender (1,098): ipi_tcc_gender (87) lacks rows it has (UNIFIL)'
    """
    who = c.contributor or c.mission or "world"
    if c.contributor and names and c.contributor in names:
        who = f"{names[c.contributor][0]} ({c.contributor})"
    chosen = next((x for x in c.candidates if x["layout"] == c.layout), None)
    figure = f" ({chosen['personnel']:,})" if chosen else ""
    others = [x for x in c.candidates if x["layout"] != c.layout]
    where = f" ({', '.join(c.lacking_missions)})" if c.lacking_missions else ""
    if c.reason == "complete":
        lacking = ", ".join(f"{x['layout']} ({x['personnel']:,})" for x in others if not x["complete"])
        return f"{who} {c.month:%Y-%m} answered from {c.layout}{figure}: {lacking} lacks rows it has{where}"
    figures = ", ".join(f"{x['layout']} {x['personnel']:,}" for x in c.candidates)
    return (f"{who} {c.month:%Y-%m}: no file holds every row the others have ({figures}){where}; "
            f"answered from {c.layout}, the best-precedence file")


def summary(chosen: Sequence[dict[str, Any]], warnings: Sequence[str] = ()) -> str | None:
    """One line for a claim's step: which cells another file answered, and the warnings.

    >>> summary([{"contributor": "FRA", "mission": None, "month": "2012-06", "answered_from": "ipi_ppp_gender",
    ...           "reason": "complete", "candidates": []}])
    'FRA 2012-06 answered from ipi_ppp_gender, the file complete for it'
    """
    parts = [f"{c['contributor'] or c['mission'] or 'world'} {c['month']} answered from {c['answered_from']}, "
             "the file complete for it" for c in chosen if c["reason"] == "complete"]
    parts += [f"warning: {w}" for w in warnings]
    return "; ".join(parts) or None
