"""Writing a new database: the schema, reference data, source files, rows, problems.

What is particular to a domain (how personnel observations are unpivoted, how one value
per cell is resolved, how the mission reference is merged) is the domain's own, declared
in its source module; this module writes what every domain shares. Everything here runs
inside a fresh database that the build swaps in only at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import duckdb
import pyarrow as pa

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


def write_reference(con: duckdb.DuckDBPyConnection) -> None:
    idx = country_index()
    countries = pa.Table.from_pylist([
        {"iso3": c.iso3, "m49": c.m49, "name": c.name, "official_name": c.official_name,
         "region": c.region, "subregion": c.subregion, "continent": c.continent,
         "valid_from": c.valid_from, "valid_to": c.valid_to, "successors": list(c.successors)}
        for c in idx.countries.values()])
    con.register("_c", countries)
    con.execute("INSERT INTO country SELECT iso3, m49, name, official_name, region, subregion, continent, "
                "valid_from::DATE, valid_to::DATE, successors FROM _c")
    aliases = pa.table({"k": list(idx.aliases), "i": list(idx.aliases.values()),
                        "o": [idx.alias_origin.get(k) for k in idx.aliases]})
    con.register("_a", aliases)
    con.execute("INSERT INTO country_alias SELECT k, i, o FROM _a")
    gi = group_index()
    con.register("_g", pa.Table.from_pylist([g.__dict__ for g in gi.groups.values()]))
    con.execute("INSERT INTO country_group_info SELECT code, name, kind, description FROM _g")
    con.register("_m", pa.Table.from_pylist([m.__dict__ for m in gi.members]))
    con.execute("INSERT INTO country_group SELECT \"group\", iso3, valid_from::DATE, valid_to::DATE, "
                "note FROM _m")
    for name in ("_c", "_a", "_g", "_m"):
        con.unregister(name)


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
             "rows_loaded": sf.rows_loaded, "rows_quarantined": sf.rows_quarantined,
             "coverage_from": coverage.get(sf.source_id, (None, None))[0],
             "coverage_to": coverage.get(sf.source_id, (None, None))[1], "domain": domain_of[sf.layout]}
            for sf, target, prec in files]
    con.register("_s", pa.Table.from_pylist(rows))
    con.execute("INSERT INTO source_file SELECT * FROM _s")
    con.unregister("_s")


def write_table(con: duckdb.DuckDBPyConnection, result: LayoutResult, layout: "Layout") -> None:
    """The default writer: ``result.table`` into the table ``layout.target`` names, one row
    per source row loaded. Columns are matched by name; the domain's DDL decides what is
    kept."""
    if result.table is not None and result.table.num_rows:
        con.register("_t", result.table)
        con.execute(f"INSERT INTO {layout.target} BY NAME SELECT * FROM _t")
        con.unregister("_t")
        counts = result.table.group_by("source_id").aggregate([("source_id", "count")]).to_pydict()
        loaded = dict(zip(counts["source_id"], counts["source_id_count"]))
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
    if problems:
        con.register("_q", pa.Table.from_pylist([p.__dict__ for p in problems]))
        con.execute('INSERT INTO quarantine SELECT source_id, line, "column", reason, raw FROM _q')
        con.unregister("_q")
    if findings:
        con.register("_f", pa.Table.from_pylist([f.__dict__ for f in findings]))
        con.execute("INSERT INTO finding SELECT source_id, kind, message, count FROM _f")
        con.unregister("_f")


def write_spellings(con: duckdb.DuckDBPyConnection, spellings: list[tuple[str, str, int]]) -> None:
    """Every spelling of a country met in the sources, with the file it was met in."""
    spellings = sorted(set(spellings))  # row-wise adapters note a spelling once per row
    if spellings:
        con.register("_sp", pa.table(dict(zip(("spelling", "iso3", "source_id"), map(list, zip(*spellings))))))
        con.execute("INSERT INTO country_spelling SELECT DISTINCT spelling, iso3, source_id FROM _sp")
        con.unregister("_sp")
