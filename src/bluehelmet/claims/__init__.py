"""Claims: a small language for checkable statements, and their evaluation (docs/claims.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from .evaluate import DEFAULT_TOLERANCE, Step, Verdict, check
from .grammar import ClaimSyntaxError, parse

if TYPE_CHECKING:
    from ..db import Database

__all__ = ["check", "parse", "Verdict", "Step", "ClaimSyntaxError", "DEFAULT_TOLERANCE", "check_file", "parse_span"]


def parse_span(text: str | None) -> tuple[str, str] | None:
    """A history range ``FROM..TO`` as (FROM, TO); None for no text.

    >>> parse_span("2011-03..2014-02")
    ('2011-03', '2014-02')
    """
    if not text:
        return None
    parts = str(text).split("..")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise ClaimSyntaxError(f"history {text!r}: expected FROM..TO, e.g. 2011-03..2014-02")
    return parts[0].strip(), parts[1].strip()


def check_file(store: Database, path: str | Path) -> list[tuple[dict[str, Any], Verdict]]:
    """Evaluate a YAML batch: a list of entries with ``claim`` (the expression), optional
    ``sentence`` (as written) and ``history`` ("FROM..TO"). Returns (entry, Verdict) pairs.

    A malformed entry is an unknown verdict naming the entry, not a crash.
    """
    import yaml

    from ..errors import SourceReadError

    try:
        with open(path, encoding="utf-8") as fh:
            entries = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise SourceReadError(f"{path}: not a readable YAML claims file: {exc}".splitlines()[0]) from None
    if not isinstance(entries, list):
        raise SourceReadError(f"{path}: expected a list of claims")
    out: list[tuple[dict[str, Any], Verdict]] = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, str):
            entry = {"claim": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("claim"), str):
            out.append(({"entry": i}, Verdict(str(entry), "unknown", reason=f"entry {i}: no 'claim' text")))
            continue
        try:
            verdict = check(store, entry["claim"], parse_span(entry.get("history")))
        except QueryError as exc:
            verdict = Verdict(entry["claim"], "unknown", reason=f"entry {i}: {exc}")
        out.append((entry, verdict))
    return out
