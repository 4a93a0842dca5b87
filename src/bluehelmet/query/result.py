"""Query results: rows plus the sources and grains they came from; profiles, the
titled sets of results a page or a profile verb shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, cast

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

__all__ = ["Profile", "Result", "SourceRef"]


@dataclass(frozen=True)
class SourceRef:
    """One source file an answer used, and for which months at which grain."""

    source_id: int
    path: str
    layout: str
    grain: str
    sha256: str
    citation: str
    release: str | None
    first_month: str
    last_month: str
    rows_read: int
    rows_loaded: int
    rows_empty: int
    rows_quarantined: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Result:
    """A table of answers that knows where it came from.

    ``columns`` names the keys then the measure; ``rows`` are dicts in that order.

    ``month`` is the one month an answer at a month is for (``YYYY-MM``), also a column
    of every row; None for a series or a period, whose rows carry their own month or year.
    ``month_note`` says why that month when none was asked (the latest month of the grain
    the question needs, or an entity's own last month with data): a surface names both.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    sources: list[SourceRef] = field(default_factory=list)
    grains: list[dict[str, Any]] = field(default_factory=list)  # grain, first_month, last_month
    notes: list[str] = field(default_factory=list)
    query: dict[str, Any] = field(default_factory=dict)
    month: str | None = None
    month_note: str | None = None
    # where several files cover a cell and the answer did not come from plain precedence
    # (query/choices.py): which file answered and why; ``warnings`` where no file was complete
    choices: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def copy(self) -> "Result":
        """A copy whose lists, rows and query a caller may change: what an answer kept for
        the open database (:meth:`Connection.once`) hands out."""
        return Result(list(self.columns), [dict(r) for r in self.rows], list(self.sources),
                      [dict(g) for g in self.grains], list(self.notes), dict(self.query), self.month,
                      self.month_note, [dict(c) for c in self.choices], list(self.warnings))

    def scalar(self, column: str = "personnel") -> Any:
        """The single value of a one-row answer (0 when nothing was deployed)."""
        if len(self.rows) > 1:
            raise ValueError(f"{len(self.rows)} rows; scalar() needs at most one")
        return self.rows[0][column] if self.rows else 0

    def as_dict(self) -> dict[str, Any]:
        return {"query": self.query, "month": self.month, "month_note": self.month_note,
                "rows": self.rows, "columns": self.columns,
                "grains": self.grains, "notes": self.notes, "warnings": self.warnings,
                "choices": self.choices, "sources": [s.as_dict() for s in self.sources]}

    def _repr_html_(self) -> str:
        """Jupyter's view: the month, the first rows, the grains and the sources."""
        from ..notebook import result_html

        return result_html(self)

    def to_arrow(self) -> "pyarrow.Table":
        import pyarrow as pa

        if not self.rows:
            return pa.table({c: pa.array([], pa.string() if c != "personnel" else pa.int64())
                             for c in self.columns})
        return pa.Table.from_pylist(self.rows).select(self.columns)

    def to_pandas(self) -> "pandas.DataFrame":
        return self.to_arrow().to_pandas()

    def to_polars(self) -> "polars.DataFrame":
        import polars as pl

        # polars types from_arrow as DataFrame | Series; a Table always gives a DataFrame
        return cast("polars.DataFrame", pl.from_arrow(self.to_arrow()))


@dataclass
class Profile:
    """A titled set of results: ``facts`` (one value per key) and ``sections`` (a
    country's or a mission's record, who pays, China's finance).

    ``month`` is the month the profile is for and ``month_note`` why, when none was asked
    (as :class:`Result` has them); each section names its own month too.
    """

    title: str
    facts: dict[str, Any]
    sections: dict[str, Result] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    month: str | None = None
    month_note: str | None = None

    def _repr_html_(self) -> str:
        """Jupyter's view: the title and month, the facts, then each section."""
        from ..notebook import profile_html

        return profile_html(self)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "month": self.month, "month_note": self.month_note, "facts": self.facts,
                "notes": self.notes, "sections": {k: v.as_dict() for k, v in self.sections.items()}}
