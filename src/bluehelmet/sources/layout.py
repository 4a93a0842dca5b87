"""What an adapter declares: a layout (where its files live, how to read them) and the
context it reads them in."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import duckdb

    from ..reference.countries import CountryIndex
    from .base import LayoutResult, SourceFile

__all__ = ["Layout", "Context"]


@dataclass
class Context:
    countries: "CountryIndex"
    con: "duckdb.DuckDBPyConnection"  # scratch connection for set-based checks
    # every (spelling, ISO3, source_id) a source used for a country, for country_spelling
    # (repeats are fine: the writer keeps distinct rows)
    spellings: list[tuple[str, str, int]] = field(default_factory=list)
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)

    def resolve_country(self, name: str) -> str | None:
        """``countries.resolve`` remembered for the build: row-wise adapters ask the same
        few dozen names thousands of times."""
        if name not in self._resolved:
            self._resolved[name] = self.countries.resolve(name)
        return self._resolved[name]


@dataclass(frozen=True)
class Layout:
    """A file layout: where its files live, who produced them, how to read them.

    ``target`` names the grain the rows land in; ``precedence`` orders sources of the same
    grain (lower wins) when the build resolves one value per cell and month.
    """

    name: str
    patterns: tuple[str, ...]  # globs relative to the sources folder
    target: str  # detail | contributor | mission | world | mission_ref
    precedence: int
    producer: str
    citation: str
    reader: str  # "module:function" in bluehelmet.sources, imported only when a file is read

    def read(self, files: list["SourceFile"], ctx: "Context") -> "LayoutResult":
        # adapters import pyarrow; a no-op build must not pay for that, so they load here
        module, func = self.reader.split(":")
        fn: Callable[[list["SourceFile"], "Context"], "LayoutResult"] = getattr(
            importlib.import_module(f"bluehelmet.sources.{module}"), func)
        return fn(files, ctx)
