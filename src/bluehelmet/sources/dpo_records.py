"""Records of a parsed DPO monthly report: rows, printed totals, problems, findings.

Plain frozen dataclasses with no dependency beyond the standard library, so a cached report
(JSON) loads without touching a PDF library. Personnel types are mapped to five names:

===================  ===================================================================
``troops``           "Contingent Troop(s)", "Troops", "contingent"
``staff_officers``   "Staff Officer(s)", "MSO" (military staff officers), "staff"
``experts``          "Experts on Mission", "UNMEM" (UN military experts on mission),
                     "Military Observers", "experts"
``individual_police`` "Individual Police", "Ind Police", "UNPOL", "police"
``formed_police``    "Formed Police Units", "FPU", "fpu"
===================  ===================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PERSONNEL_TYPES",
    "personnel_type",
    "Row",
    "Total",
    "Problem",
    "Finding",
    "Report",
]

#: the fixed vocabulary, in the order the reports usually print them
PERSONNEL_TYPES = ("troops", "staff_officers", "experts", "individual_police", "formed_police")

_TYPE_KEYS = {
    "contingenttroop": "troops",
    "contingenttroops": "troops",
    "contingent": "troops",
    "troops": "troops",
    "troop": "troops",
    "staffofficer": "staff_officers",
    "staffofficers": "staff_officers",
    "staff": "staff_officers",
    "mso": "staff_officers",
    "expertsonmission": "experts",
    "expertonmission": "experts",
    "experts": "experts",
    "unmem": "experts",
    "militaryobservers": "experts",
    "militaryobserver": "experts",
    "individualpolice": "individual_police",
    "indpolice": "individual_police",
    "police": "individual_police",
    "unpol": "individual_police",
    "formedpoliceunits": "formed_police",
    "formedpoliceunit": "formed_police",
    "fpu": "formed_police",
}


def personnel_type(printed: str) -> str | None:
    """The vocabulary name of a printed personnel type, or None if it is not one.

    >>> personnel_type("Contingent Troop"), personnel_type("Ind Police"), personnel_type("FPU")
    ('troops', 'individual_police', 'formed_police')
    """
    return _TYPE_KEYS.get(re.sub(r"[^a-z]", "", printed.casefold()))


@dataclass(frozen=True)
class Row:
    """One printed figure at the report's finest grain.

    ``mission`` is None where the report has no mission breakdown; ``male``/``female`` are
    None where it has no split by sex. ``blocks`` lists the printed subtotals (by their
    ``Total.block``) this row is counted in; block 0 is the grand total.
    """

    country: str
    mission: str | None
    personnel_type: str
    printed_type: str
    male: int | None
    female: int | None
    total: int
    page: int
    line: int
    blocks: tuple[int, ...] = ()
    cut_off: bool = False  # the country name is cut off in the PDF itself
    quarantined: str = ""  # the reason, where the row is not to be loaded


@dataclass(frozen=True)
class Total:
    """A printed subtotal or grand total: ``scope`` is country, mission, country_mission,
    mission_country (a country within a mission) or grand; ``count`` is a printed number
    of rows where the report prints one."""

    scope: str
    block: int
    country: str | None
    mission: str | None
    male: int | None
    female: int | None
    total: int | None
    page: int
    line: int
    count: int | None = None


@dataclass(frozen=True)
class Problem:
    """A block or line not loaded, with where and why (page and line are 1-based)."""

    page: int
    line: int
    reason: str
    raw: str = ""
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """Something noticed and handled, or to be reported; not a lost row."""

    kind: str
    message: str
    page: int = 0
    line: int = 0


@dataclass
class Report:
    """One parsed report. ``month`` is ``YYYY-MM`` as printed (``month_source`` says
    whether it came from the printed date or, failing that, the file name).

    ``incomplete`` says why the report cannot stand for its month (a printed page not in
    the file, a grand total the rows read do not add up to); empty where it can. An
    incomplete report's rows are all quarantined: loading the rest would answer the month
    short without a word.
    """

    path: str
    sha256: str
    month: str
    month_source: str  # printed | file_name
    file_month: str | None
    layout: str
    grain: str  # country_mission_type_sex | country_type_sex | country_type
    pages: int
    rows: list[Row] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    incomplete: str = ""

    @property
    def rows_loaded(self) -> list[Row]:
        return [r for r in self.rows if not r.quarantined]

    @property
    def rows_quarantined(self) -> list[Row]:
        return [r for r in self.rows if r.quarantined]

    @property
    def grand_total(self) -> int | None:
        """The printed grand total, where the report prints one."""
        for t in self.totals:
            if t.scope == "grand" and t.total is not None:
                return t.total
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path, "sha256": self.sha256, "month": self.month,
            "month_source": self.month_source, "file_month": self.file_month,
            "layout": self.layout, "grain": self.grain, "pages": self.pages,
            "rows": [list(_astuple(r)) for r in self.rows],
            "totals": [list(_astuple(t)) for t in self.totals],
            "problems": [list(_astuple(p)) for p in self.problems],
            "findings": [list(_astuple(f)) for f in self.findings],
            "incomplete": self.incomplete,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Report":
        """The report ``to_dict`` wrote (JSON: the tuples of rows and problems are lists)."""
        return cls(
            d["path"], d["sha256"], d["month"], d["month_source"], d["file_month"],
            d["layout"], d["grain"], d["pages"],
            [_row(r) for r in d["rows"]],
            [Total(*t) for t in d["totals"]],
            [Problem(p[0], p[1], p[2], p[3], tuple(p[4])) for p in d["problems"]],
            [Finding(*f) for f in d["findings"]],
            d.get("incomplete", ""),
        )


_ROW_FIELDS = tuple(Row.__dataclass_fields__)
_new = object.__new__


def _row(r: Sequence[Any]) -> Row:
    """``Row(*r)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__``
    per field): a warm build makes some 110,000 rows from the cache, and this is the
    same object at half the cost."""
    row: Row = _new(Row)
    row.__dict__.update(zip(_ROW_FIELDS, r))
    row.__dict__["blocks"] = tuple(r[9])
    return row


def _astuple(obj: Row | Total | Problem | Finding) -> tuple[object, ...]:
    return tuple(getattr(obj, f) for f in obj.__dataclass_fields__)
