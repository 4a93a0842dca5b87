"""The contract of a data domain: what a source module declares, once, for the build.

A domain (personnel, missions, authorisations, sites, fatalities, ...) is one
:class:`Domain` object in its source module, collected by ``sources/registry.py``. It
names its file layouts and their readers, the tables it owns (DDL), how a reader's rows
are written, what is derived once every file is in, and its reconciliation checks and
findings. The builder, the writer and the reconciler iterate the registry; nothing else
needs to know a domain exists. ``docs/architecture.md`` has the recipe for a new one.

A ground-floor module: it imports nothing of bluehelmet's at run time. Readers are named
``"module:function"`` and imported only when a file is read, so deciding whether anything
changed (a no-op build) imports no adapter and no pyarrow.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, cast

if TYPE_CHECKING:
    import duckdb

    from .records import Check, Finding, LayoutResult, SourceFile
    from .reference.countries import CountryIndex

__all__ = ["Layout", "Context", "Domain", "Reader", "Writer", "resolve_function"]

#: reads every file of one layout: (files, context) -> rows, problems, findings
Reader = Callable[[list["SourceFile"], "Context"], "LayoutResult"]
#: puts one layout's result into the database and sets each file's rows_loaded
Writer = Callable[["duckdb.DuckDBPyConnection", "LayoutResult", "Layout"], None]


def resolve_function(name: str, package: str = "bluehelmet.sources") -> Callable[..., object]:
    """The function a ``"module:function"`` name points to, ``module`` taken in ``package``.

    >>> resolve_function("registry:layouts").__name__
    'layouts'
    """
    module, func = name.split(":")
    fn: object = getattr(importlib.import_module(f"{package}.{module}"), func)
    if not callable(fn):
        raise TypeError(f"{name} is not a function")
    return fn


@dataclass
class Context:
    """What a reader reads in: the country reference and a scratch connection."""

    countries: "CountryIndex"
    con: "duckdb.DuckDBPyConnection"  # scratch connection for set-based checks
    # every (spelling, ISO3, source_id) a source used for a country, for country_spelling
    # (repeats are fine: the writer keeps distinct rows)
    spellings: list[tuple[str, str, int]] = field(default_factory=list)
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)
    # a reader that works through many files may say how far it is: progress(done, total),
    # from its worker thread (the builder makes it safe to call from there)
    progress: Callable[[int, int], None] | None = field(default=None, repr=False)

    def resolve_country(self, name: str) -> str | None:
        """``countries.resolve`` remembered for the build: row-wise adapters ask the same
        few dozen names thousands of times."""
        if name not in self._resolved:
            self._resolved[name] = self.countries.resolve(name)
        return self._resolved[name]

    def on(self, con: "duckdb.DuckDBPyConnection", progress: Callable[[int, int], None] | None = None,
           spellings: list[tuple[str, str, int]] | None = None) -> "Context":
        """The same context over another connection (each reader thread has its own),
        with the reader's own progress callback and, if given, its own spellings list
        (the build keeps each layout's spellings with its cached result)."""
        return Context(self.countries, con, self.spellings if spellings is None else spellings,
                       self._resolved, progress)


@dataclass(frozen=True)
class Layout:
    """A file layout: where its files live, who produced them, how to read them.

    ``target`` is where the rows land, in the words of the domain's writer: a table name
    for the default writer, a grain for personnel. ``precedence`` orders layouts that fill
    the same cells (lower wins).
    """

    name: str
    patterns: tuple[str, ...]  # globs relative to the sources folder
    target: str
    precedence: int
    producer: str
    citation: str
    reader: str  # "module:function" in bluehelmet.sources, imported only when a file is read

    def read(self, files: list["SourceFile"], ctx: Context) -> "LayoutResult":
        # a reader by declaration: what a name points to cannot be checked statically
        fn = cast(Reader, resolve_function(self.reader))
        return fn(files, ctx)


_TABLE = re.compile(r"CREATE\s+TABLE\s+(\w+)", re.I)


@dataclass(frozen=True)
class Domain:
    """One data domain, declared once in its source module.

    Build order: every domain's ``tables`` are created; every layout is read and its
    result written (``write``, or the default: ``result.table`` into the table named by
    ``layout.target``, and each ``result.extra`` into the declared table of its name);
    source files are registered (with the months ``coverage`` finds for them); each
    domain's ``derive`` runs, in registry order; then every domain's ``checks`` are
    compared in one pass and its ``findings`` read from the outcome.
    """

    name: str
    summary: str
    layouts: tuple[Layout, ...]
    tables: str  # DDL of the tables the domain owns
    write: Writer | None = None
    # after every file is written: resolved tables, reference merges, repairs
    derive: Callable[["duckdb.DuckDBPyConnection", list["Finding"]], None] | None = None
    # SQL giving (source_id, month) for each file's coverage in source_file
    coverage: str | None = None
    checks: Callable[["duckdb.DuckDBPyConnection"], list["Check"]] | None = None
    findings: Callable[["duckdb.DuckDBPyConnection", list["Finding"]], None] | None = None

    @property
    def owns(self) -> tuple[str, ...]:
        """The names of the tables ``tables`` creates."""
        return tuple(_TABLE.findall(self.tables))
