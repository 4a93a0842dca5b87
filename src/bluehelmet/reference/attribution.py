"""Which state a dated record belongs to: the declared remapping of successor and
predecessor codes (``data/attribution.csv``).

Sources write today's names for yesterday's states: IPI's files put Soviet personnel of
1990-11 .. 1991-11 under the Russian Federation and Czechoslovak ones of 1992 under the
Czech Republic; the fatality files call the Federal Republic of Yugoslavia "Yugoslavia".
Each rule says: a record resolved to ``iso3`` and dated within ``from`` .. ``to`` (both
days included, an empty end open) belongs to ``attributed``, and why. ``layouts`` is a
glob on the layout's name (``*``: every source that dates its records). The readers apply
it once, at normalisation (``sources/base.py``'s ``resolve_countries`` and the fatality
readers), and report every remapped row as an ``attributed`` finding.

Monthly records (month-end headcounts) are dated by the month's last day: IPI's 1991-12
row for Russia is Russia's (the USSR ended on 1991-12-25), its 1992-12 row for the Czech
Republic is Czechoslovakia's.

The same table tells the query side when a state holds no records of its own
(:meth:`Attributions.owner_at`): asking for the Czech Republic in 1992-06 is answered with
"ask for Czechoslovakia (CSK)", never with an empty table.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache

from .countries import DATA

__all__ = ["Attribution", "Attributions", "TerritoryNote", "attributions", "month_end", "territory_notes"]


@dataclass(frozen=True)
class Attribution:
    layouts: str  # glob on layout names; "*" = every source
    iso3: str  # what the source's spelling resolved to
    start: str | None  # ISO day, included; None = open
    end: str | None  # ISO day, included; None = open
    attributed: str  # the state the record belongs to
    why: str

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@lru_cache(maxsize=4096)  # asked for every month of a series, several times per page
def month_end(month: date) -> str:
    """The ISO day a monthly headcount is for: the month's last day.

    >>> month_end(date(1992, 2, 1))
    '1992-02-29'
    """
    return month.replace(day=calendar.monthrange(month.year, month.month)[1]).isoformat()


@dataclass
class Attributions:
    rules: list[Attribution]

    def rule(self, layout: str, iso3: str, day: str) -> Attribution | None:
        """The rule that remaps a record of ``layout`` resolved to ``iso3`` on ``day``.

        >>> attributions().rule("ipi_countries", "RUS", "1990-12-31").attributed
        'SUN'
        """
        for r in self.rules:
            if r.iso3 == iso3 and r.covers(day) and fnmatchcase(layout, r.layouts):
                return r
        return None

    def owner_at(self, iso3: str, day: str) -> Attribution | None:
        """The rule (for every source) under which ``iso3``'s records on ``day`` belong to
        another state; None when the state holds its own records then.

        >>> attributions().owner_at("CZE", "1992-06-30").attributed
        'CSK'
        """
        return self.rule("*", iso3, day)

    def remapped(self) -> set[str]:
        """Every code some rule remaps."""
        return {r.iso3 for r in self.rules}


@lru_cache(maxsize=1)
def attributions() -> Attributions:
    """The declared rules, read once."""
    with (DATA / "attribution.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return Attributions([Attribution(r["layouts"], r["iso3"], r["from"] or None, r["to"] or None,
                                     r["attributed"], r["why"]) for r in rows])


@dataclass(frozen=True)
class TerritoryNote:
    """What a state's figures cover that its name alone does not say, over a period."""

    iso3: str
    start: str | None
    end: str | None
    note: str

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@lru_cache(maxsize=1)
def territory_notes() -> list[TerritoryNote]:
    """``data/territory_notes.csv``, read once."""
    with (DATA / "territory_notes.csv").open(encoding="utf-8", newline="") as fh:
        return [TerritoryNote(r["iso3"], r["from"] or None, r["to"] or None, r["note"]) for r in csv.DictReader(fh)]
