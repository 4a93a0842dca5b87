"""Provenance, problem and reconciliation records: plain dataclasses, cheap to import.

A ground-floor module (no pyarrow, nothing of bluehelmet's): adapters produce these,
the store writes them, reconciliation runs the checks. The build's no-op check imports
only these, which keeps ``bluehelmet build`` on unchanged inputs fast.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SourceFile", "Problem", "Finding", "LayoutResult", "Check", "sha256_of"]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class SourceFile:
    """One raw input file and its provenance."""

    source_id: int
    path: Path
    relpath: str  # relative to the sources folder: the stable name used everywhere
    sha256: str
    size: int
    layout: str
    producer: str
    citation: str
    release: str = ""  # e.g. the monthly release date, or the upstream commit
    rows_read: int = 0
    rows_loaded: int = 0
    # rows read that carry no fact (every value missing): neither loaded nor a problem
    rows_empty: int = 0
    rows_quarantined: int = 0


@dataclass(frozen=True)
class Problem:
    """A row that was not loaded, and why. ``line`` is 1-based, header = line 1."""

    source_id: int
    line: int
    column: str
    reason: str
    raw: str = ""


@dataclass(frozen=True)
class Finding:
    """Something the build noticed and repaired or wants reported (not a lost row)."""

    source_id: int | None
    kind: str
    message: str
    count: int = 1


@dataclass
class LayoutResult:
    """An adapter's output for all files of one layout."""

    layout: str
    table: "pa.Table | None"  # wide, canonical columns, with source_id and line
    files: list[SourceFile]
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # more rows for other declared tables, by table name: a domain's second table, or
    # rows a layout contributes to another domain's reference table (mission hosts)
    extra: dict[str, "pa.Table"] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """One reconciliation: two SQL sides giving (month, keys..., type, total, source_id),
    compared cell by cell (see :mod:`bluehelmet.reconcile`)."""

    name: str
    a_sql: str
    b_sql: str
    keys: tuple[str, ...]
    label_a: str
    label_b: str
    months: tuple[date, ...] | None = None  # known overlap; None: the months both sides have


