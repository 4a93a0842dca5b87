"""What factcheck gives back: each sentence, the numbers read in it with their units and
roles, and each claim formed from them with its own verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..evaluate import Verdict

__all__ = ["Number", "Draft", "Check", "Sentence", "VERDICTS", "tally"]

#: a sentence's verdict: its claims' verdicts combined, or "not checked" (with the reason)
VERDICTS = ("true", "false", "unknown", "not checked")


@dataclass(frozen=True)
class Number:
    """A figure as read: its text and place in the sentence, its value, unit and role.

    ``unit``: persons, money (USD), percent, rank, multiplier, fraction, countries,
    missions, deaths, year, date, index (a list's "1)"), label (a name's digits: P5,
    G77, resolution 2100), anniversary, other. ``role`` says what the sentence does with
    it: ``claimed`` (a claim checks it), ``date`` (it dates the sentence), ``ignored``.
    """

    text: str
    start: int  # offsets in the sentence
    end: int
    value: float
    unit: str
    measure: str | None = None  # persons: personnel | troops | police | experts | military | unit ("816-strong")
    op: str = "~"  # what the wording asserts: ~ (about, or a bare rounded figure), >, >=, <, <=, ==
    approx: str = "bare"  # the word that qualified it ("about", "more than", ...), or "bare"
    role: str = "ignored"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value, "unit": self.unit,
                "measure": self.measure, "op": self.op, "approx": self.approx, "role": self.role}


@dataclass
class Draft:
    """A claim formed from a sentence, before it is checked."""

    claim: str  # in the claim language; "{m}" where the as-of window fills in the month
    numbers: list[int] = field(default_factory=list)
    bound: tuple[str, float] | None = None  # "nearly 100,000" also says: at most 100,000
    note: str | None = None
    # other readings of the same words ("the largest contributor": of peacekeepers, or of
    # money): the claim holds if one of them does, and is false only if all are
    alternatives: list[str] = field(default_factory=list)
    # the figure is a part of what the data count ("15 killed in Thursday's attack" against
    # the month's deaths): more in the data is no contradiction (doubt.py)
    part: bool = False

@dataclass
class Check:
    """One claim of a sentence and its verdict."""

    claim: str
    verdict: Verdict
    numbers: list[int] = field(default_factory=list)  # indexes into Sentence.numbers it checks
    note: str | None = None  # e.g. which month of the as-of window answered, or what would make it true

    def as_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "verdict": self.verdict.as_dict(), "numbers": self.numbers, "note": self.note}


@dataclass
class Sentence:
    text: str
    start: int = 0  # offsets in the text checked (after its whitespace was normalised)
    end: int = 0
    month: str | None = None  # the month it speaks of (YYYY-MM), or the months its claims used
    numbers: list[Number] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    reason: str | None = None  # why nothing was checked
    outside: bool = False  # it speaks of something the fact base does not hold

    @property
    def verdict(self) -> str:
        """false if any claim is false; true if every claim is true; unknown if a claim was
        formed but could not be decided; "not checked" when no claim was formed."""
        got = [c.verdict.verdict for c in self.checks]
        if not got:
            return "not checked"
        if "false" in got:
            return "false"
        return "true" if all(v == "true" for v in got) else "unknown"

    @property
    def claim(self) -> str | None:
        """The claims, joined by "; " (one for most sentences)."""
        return "; ".join(c.claim for c in self.checks) or None

    def as_dict(self) -> dict[str, Any]:
        return {"sentence": self.text, "start": self.start, "end": self.end, "month": self.month,
                "verdict": self.verdict, "claim": self.claim, "reason": self.reason, "outside": self.outside,
                "numbers": [n.as_dict() for n in self.numbers], "checks": [c.as_dict() for c in self.checks]}


def tally(sentences: list[Sentence]) -> dict[str, int]:
    """Sentences per verdict, every verdict named (the CLI's footer, the API's summary)."""
    return {k: sum(s.verdict == k for s in sentences) for k in VERDICTS}
