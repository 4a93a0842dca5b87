"""What every claim function shares: the record of one evaluated call (``Step``), the
signal that the data cannot answer (``Unknown``), and how a node is written back as text.

Kept apart from ``evaluate.py`` so that the personnel functions there and the money
functions in ``money.py`` record their numbers the same way without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import UnknownNameError
from ..query.result import Result, SourceRef
from .grammar import BinOp, Call, Compare, FiscalYears, Flow, Month, Names, Number, Range, Years

if TYPE_CHECKING:
    from ..db import Database

__all__ = ["Step", "Unknown", "text_of", "members", "grain_of", "figure_text"]


class Unknown(Exception):
    """The claim cannot be decided from the data; ``reason`` says why."""

    def __init__(self, reason: str, candidates: list[str] | None = None) -> None:
        super().__init__(reason)
        self.reason, self.candidates = reason, candidates or []


@dataclass
class Step:
    """One evaluated sub-expression: its value, the period and grain it holds for, its
    sources, and (where the number depends on a choice of what to count, as every money
    figure does) the ``definition`` it was computed under."""

    expression: str
    value: Any
    month: str | None = None  # a month, or for money a year, years or fiscal years
    grain: str | None = None
    sources: list[SourceRef] = field(default_factory=list)
    definition: str | None = None
    note: str | None = None  # what the period lacks: a year the source covers only partly

    def as_dict(self) -> dict[str, Any]:
        return {"expression": self.expression, "value": self.value, "month": self.month, "grain": self.grain,
                "definition": self.definition, "note": self.note, "sources": [s.path for s in self.sources]}


def text_of(node: Any) -> str:
    """A parsed node written back as claim text (for steps and reasons)."""
    if isinstance(node, Number):
        return node.written or f"{node.value:g}{'%' if node.percent else ''}"
    if isinstance(node, Month):
        return node.text
    if isinstance(node, Range):
        return f"{node.first}..{node.last}"
    if isinstance(node, Years):
        return str(node.first) if node.first == node.last else f"{node.first}..{node.last}"
    if isinstance(node, FiscalYears):
        return node.text()
    if isinstance(node, Names):
        return node.text()
    if isinstance(node, Flow):
        return f"{node.donor.text()} -> {node.recipient.text()}"
    if isinstance(node, Call):
        args = [text_of(a) for a in node.args] + [f"{k}={text_of(v)}" for k, v in node.kwargs]
        return f"{node.name}({', '.join(args)})"
    if isinstance(node, BinOp):
        return f"{text_of(node.left)} {node.op} {text_of(node.right)}"
    if isinstance(node, Compare):
        tol = f" ± {text_of(node.tolerance)}" if node.tolerance else ""
        return f"{text_of(node.left)} {node.op} {text_of(node.right)}{tol}"
    return str(node)


def members(db: Database, names: Names, month: date,
            resolved: dict[str, dict[str, Any]] | None = None) -> set[str]:
    """The ISO3 codes ``names`` stands for at ``month`` (set algebra left to right);
    ``resolved`` collects what each name was taken to mean, for the verdict to echo."""
    chosen: set[str] = set()
    for op, name in names.terms:
        try:
            kind, code = db.resolve_country(name)
        except UnknownNameError as exc:
            raise Unknown(str(exc), exc.candidates) from None
        if resolved is not None:
            resolved[name] = {"input": name, "kind": kind, "code": code,
                              "name": db.countries[code][0] if kind == "country" else db.groups[code][0]}
        found = ({code} if kind == "country" else (db.members_during([code], [month]) or set()))
        chosen = chosen | found if op == "+" else chosen - found
    return chosen


def grain_of(res: Result | None) -> str | None:
    if res is None or not res.grains:
        return None
    return ", ".join(g["grain"] for g in res.grains)


def figure_text(x: float) -> str:
    """A figure as a verdict's reason shows it: a whole number with thousands separators,
    else four significant digits (a share, a fraction)."""
    return f"{x:,.0f}" if float(x).is_integer() and abs(x) >= 1 else f"{x:.4g}"
