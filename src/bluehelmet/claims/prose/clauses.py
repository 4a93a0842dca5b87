"""A sentence's clauses, and what a figure's clause ties it to: the comparison its
wording asserts, the mission (named, or the one in a host named), the host's missions, and
whether a country was written as a people ("Malian") or after "from".

Shared by the readings of headcounts, ranks and shares (shapes.py) and of deaths
(deaths.py).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .entities import Entity, demonyms, mission_hosted
from .model import Number
from .quantities import tolerance

if TYPE_CHECKING:
    from ...db import Database

__all__ = ["figure_word", "comparison", "clause_at", "mission_of", "place_before", "hosts_of", "month_at", "hosted_at",
           "after_from", "is_demonym"]


def figure_word(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def comparison(n: Number, value: float | None = None) -> tuple[str, tuple[str, float] | None]:
    """The comparison the wording asserts, and the bound "nearly"/"just over" add."""
    v = n.value if value is None else value
    shown = figure_word(v)
    if n.op in (">", ">=", "<", "<=", "=="):
        return f"{n.op} {shown}", None
    tol = tolerance(n) * 100
    if n.op == "nearly":
        return f"~ {shown} ± {tol:g}%", ("<=", v)
    if n.op == "just over":
        return f"~ {shown} ± {tol:g}%", (">=", v)
    return f"~ {shown} ± {tol:.3g}%", None


_CUTS = re.compile(r";|:\s|,\s+(?:while|whereas|and|but|yet|even though|although|though|with)\s"
                   r"|\s(?:while|whereas|but|even though|although)\s|\s-{1,2}\s|\s—\s")


@lru_cache(maxsize=64)
def _cuts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _CUTS.finditer(text)), len(text) + 1)


def clause_at(text: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: bounded by ";", ":" and the conjunctions that start a new
    statement (", while", ", and", " but ", " whereas ")."""
    cuts = _cuts(text)
    start = max(c for c in cuts if c <= pos)
    end = min(c for c in cuts if c > pos)
    return start, end


# the words a figure's lead may hold: "with a total of some 1,230"
_LEAD = r"(?:a total of\s+|(?:about|some|around|nearly|over|more than|almost|roughly|approximately)\s+)*"


def mission_of(db: Database, text: str, n: Number, entities: list[Entity], month: str,
             as_of: date) -> tuple[str | None, str | None]:
    """The mission a figure is about (named, or the mission in a host named), and why none
    where a host names several."""
    c0, c1 = clause_at(text, n.start)
    near = [e for e in entities if e.role in ("mission", "host") and c0 <= e.start < c1]
    named = list(dict.fromkeys(e.code for e in near if e.role == "mission"))
    if len(named) == 1:
        hosted = hosts_of(db, named[0])
        elsewhere = {e.code for e in near if e.role == "host" and e.code not in hosted}
        if elsewhere and all(e.start > n.end for e in near):
            return None, None  # "serving in South Sudan, Mali, Darfur and the DRC": a total over missions
        return named[0], None
    if len(named) > 1:  # several missions: "13 fatalities in MONUSCO", "UNIFIL with 199", else none
        low = text.lower()
        after = [e for e in near if e.role == "mission" and e.start >= n.end and re.fullmatch(
            r"\s*(?:[\w-]+\s+){0,2}(?:in|at|of|with|to)\s+(?:the\s+)?(?:[\w'-]+\s+){0,12}?\(?", low[n.end:e.start])
            and not re.search(r"[,;]", low[n.end:e.start])]
        if after:
            return after[0].code, None
        close = [e for e in near if e.role == "mission" and e.end <= n.start and n.start - e.end <= 60]
        return (close[-1].code, None) if close else (None, None)
    if len(places := {e.code for e in near if e.role == "host"}) > 1:
        at = month_at(month, as_of)
        shared = {mission_hosted(db, code, at) for code in places}
        if len(shared) == 1 and None not in shared:
            return shared.pop(), None  # "on the ground in Ethiopia and Eritrea": UNMEE, which both host
        return None, None  # a total over several places ("from Lebanon to the DRC")
    if not near and (named_before := [e for e in entities if e.role == "mission" and 0 <= e.end <= n.start]):
        low, last = text.lower(), named_before[-1]
        # "the largest troop-contributing country to UNIFIL, with a total of 1,230", "one of
        # the biggest contributors there, with some 380 troops": the mission just named
        if re.fullmatch(r"\)?\s*,?\s*with\s+" + _LEAD, low[last.end:n.start]) or \
                len({e.code for e in named_before}) == 1 and re.search(r"\bthere,?\s+with\s+" + _LEAD + "$",
                                                                       low[max(0, n.start - 60):n.start]):
            return last.code, None
    hosts = [e for e in near if e.role == "host"]
    carried = [e for e in entities if e.start < 0 and e.role == "mission"]
    if not hosts and carried:
        return carried[0].code, None
    sentence_missions = {e.code for e in entities if e.role == "mission" and e.start >= 0}
    if not near and len(sentence_missions) == 1 and re.search(r"\b(?:it|its)\b", text.lower()[c0:n.start]):
        return sentence_missions.pop(), None  # "MINUSMA, while it removes its 12,947 peacekeepers"
    if hosts:
        at = month_at(month, as_of)
        found = mission_hosted(db, hosts[0].code, at)
        if found is None:
            return None, f"no single UN mission in {hosts[0].text} at {at:%Y-%m}"
        return found, None
    return None, None


def place_before(db: Database, n: Number, entities: list[Entity], at: date) -> str | None:
    """The mission of the one place (a mission, or a host's mission at ``at``) the sentence
    names before the figure, in whatever clause: "the mission in Mali suffered the greatest
    loss of life, with 11 peacekeepers killed", "MONUSCO is the largest ..., with roughly
    19,000 peacekeepers". None where it names none or several."""
    places = {(e.role, e.code) for e in entities if e.role in ("mission", "host") and 0 <= e.start < n.start}
    if len(places) != 1:
        return None
    ((role, code),) = places
    return code if role == "mission" else mission_hosted(db, code, at)


def hosts_of(db: Database, mission: str) -> list[str]:
    return next((r["hosts"] for r in db.mission_directory() if r["acronym"] == mission), [])


def month_at(month: str, as_of: date) -> date:
    """A claim's month: as written, or the as-of month for a window ("{m}")."""
    return as_of if "{" in month else date(int(month[:4]), int(month[5:7]), 1)


def hosted_at(db: Database, iso3: str, month: str, as_of: date) -> str | None:
    """The mission ``iso3`` hosts at the claim's month (the as-of month for "{m}")."""
    return mission_hosted(db, iso3, month_at(month, as_of))


def after_from(text: str, e: Entity) -> bool:
    """"from Pakistan": a nationality, whatever else the country is."""
    return e.start >= 0 and bool(re.search(r"\bfrom\s+(?:the\s+)?$", text[max(0, e.start - 12):e.start].lower()))


def is_demonym(db: Database, e: Entity) -> bool:
    """Whether the name was written as a people ("Malian", "Chinese"), not a country."""
    return e.text.lower() in demonyms(db)
