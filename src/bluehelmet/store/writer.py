"""Writing a new database: the schema, reference data, source files, rows, problems.

What is particular to a domain (how personnel observations are unpivoted, how one value
per cell is resolved, how the mission reference is merged) is the domain's own, declared
in its source module; this module writes what every domain shares. Everything here runs
inside a fresh database that the build swaps in only at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import duckdb

from ..errors import BuildError
from ..records import Finding, LayoutResult, Problem, SourceFile
from ..reference import country_index, group_index
from ..sources.registry import domains
from .schema import ddl

if TYPE_CHECKING:
    from ..domain import Layout

__all__ = ["create", "write_reference", "write_sources", "write_table", "write_extra", "write_problems",
           "write_spellings"]


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Every table: the core's and each declared domain's."""
    con.execute(ddl())


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[object]], select: str = "") -> None:
    """Python values into ``table``, one list per column, as DuckDB parameters: no pyarrow
    table on the way, whose first construction imports pandas (half a second a build).
    ``select`` may cast or reorder the columns (default: all, in the given order)."""
    if not columns or not next(iter(columns.values())):
        return
    names = list(columns)
    unnest = ", ".join(f'unnest(${i + 1}) AS "{n}"' for i, n in enumerate(names))
    select = select or ", ".join(f'"{n}"' for n in names)
    con.execute(f"INSERT INTO {table} SELECT {select} FROM (SELECT {unnest})", [columns[n] for n in names])


def _columns(rows: list[dict[str, object]], names: Iterable[str]) -> dict[str, list[object]]:
    return {n: [r[n] for r in rows] for n in names}


def write_reference(con: duckdb.DuckDBPyConnection) -> None:
    idx = country_index()
    countries = list(idx.countries.values())
    _insert(con, "country", {
        "iso3": [c.iso3 for c in countries], "m49": [c.m49 for c in countries],
        "name": [c.name for c in countries], "official_name": [c.official_name for c in countries],
        "region": [c.region for c in countries], "subregion": [c.subregion for c in countries],
        "continent": [c.continent for c in countries], "valid_from": [c.valid_from for c in countries],
        "valid_to": [c.valid_to for c in countries], "successors": [list(c.successors) for c in countries]},
        "iso3, m49, name, official_name, region, subregion, continent, valid_from::DATE, valid_to::DATE, "
        "successors::VARCHAR[]")
    _insert(con, "country_alias", {"k": list(idx.aliases), "i": list(idx.aliases.values()),
                                   "o": [idx.alias_origin.get(k) for k in idx.aliases]})
    gi = group_index()
    _insert(con, "country_group_info", _columns([g.__dict__ for g in gi.groups.values()],
                                                ("code", "name", "kind", "description")))
    _insert(con, "country_group", _columns([m.__dict__ for m in gi.members],
                                           ("group", "iso3", "valid_from", "valid_to", "note")),
            '"group", iso3, valid_from::DATE, valid_to::DATE, note')


def write_sources(con: duckdb.DuckDBPyConnection, files: Iterable[tuple[SourceFile, str, int]]) -> None:
    """The source_file rows, with the domain that declares each file's layout and the
    months its observations cover (each domain says, in ``Domain.coverage``, where its
    files' months are)."""
    domain_of = {layout.name: d.name for d in domains() for layout in d.layouts}
    parts = [d.coverage for d in domains() if d.coverage]
    coverage = {sid: (f, t) for sid, f, t in con.execute(
        f"SELECT source_id, min(month), max(month) FROM ({' UNION ALL '.join(parts)}) GROUP BY source_id"
    ).fetchall()} if parts else {}
    rows = [{"source_id": sf.source_id, "relpath": sf.relpath, "layout": sf.layout, "target": target,
             "precedence": prec, "sha256": sf.sha256, "bytes": sf.size, "producer": sf.producer,
             "citation": sf.citation, "release": sf.release or None, "rows_read": sf.rows_read,
             "rows_loaded": sf.rows_loaded, "rows_empty": sf.rows_empty, "rows_quarantined": sf.rows_quarantined,
             "coverage_from": coverage.get(sf.source_id, (None, None))[0],
             "coverage_to": coverage.get(sf.source_id, (None, None))[1], "domain": domain_of[sf.layout]}
            for sf, target, prec in files]
    if rows:
        _insert(con, "source_file", _columns(rows, rows[0]))


def write_table(con: duckdb.DuckDBPyConnection, result: LayoutResult, layout: "Layout") -> None:
    """The default writer: ``result.table`` into the table ``layout.target`` names, one row
    per source row loaded. Columns are matched by name; the domain's DDL decides what is
    kept."""
    if result.table is not None and result.table.num_rows:
        con.register("_t", result.table)
        con.execute(f"INSERT INTO {layout.target} BY NAME SELECT * FROM _t")
        loaded = dict(con.execute("SELECT source_id, count(*) FROM _t GROUP BY source_id").fetchall())
        con.unregister("_t")
    else:
        loaded = {}
    for sf in result.files:
        sf.rows_loaded = int(loaded.get(sf.source_id, 0))


def write_extra(con: duckdb.DuckDBPyConnection, result: LayoutResult, declared: set[str]) -> None:
    """Each ``result.extra`` table into the declared table of its name (a domain's second
    table, or rows contributed to another domain's reference). A name no domain declares
    is a bug in the reader, never a table created on the fly."""
    for name, extra in result.extra.items():
        if name not in declared:
            raise BuildError(f"layout {result.layout}: its reader wrote rows for table {name!r}, "
                             "which no domain declares; this is a bug")
        if extra.num_rows:
            con.register("_x", extra)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _x")
            con.unregister("_x")


def write_problems(con: duckdb.DuckDBPyConnection, problems: list[Problem], findings: list[Finding]) -> None:
    _insert(con, "quarantine", {"source_id": [p.source_id for p in problems], "line": [p.line for p in problems],
                                "col": [p.column for p in problems], "reason": [p.reason for p in problems],
                                "raw": [p.raw for p in problems]})
    _insert(con, "finding", {"source_id": [f.source_id for f in findings], "kind": [f.kind for f in findings],
                             "message": [f.message for f in findings], "count": [f.count for f in findings]},
            "source_id::INTEGER, kind, message, count")


def write_spellings(con: duckdb.DuckDBPyConnection, spellings: list[tuple[str, str, int]]) -> None:
    """Every spelling of a country met in the sources, with the file it was met in."""
    spellings = sorted(set(spellings))  # row-wise adapters note a spelling once per row
    if spellings:
        _insert(con, "country_spelling", dict(zip(("spelling", "iso3", "source_id"), map(list, zip(*spellings)))),
                "DISTINCT spelling, iso3, source_id")
