"""Open data: every table of a built database written to a folder as Parquet, CSV or one
SQLite file, with a Frictionless Data Package descriptor (``datapackage.json``) and, for
SQLite, Datasette's ``metadata.json``.

Atomic like the build: the files are written into a hidden folder beside the target and
renamed into place at the end, so a failed or interrupted export leaves no half folder.

>>> from bluehelmet.export import export
>>> report = export("bluehelmet.duckdb", "out", "parquet")   # doctest: +SKIP
>>> report.tables[0]                                           # doctest: +SKIP
{'name': 'assessment', 'rows': 14527, 'path': 'assessment.parquet', 'bytes': 183245}
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import ExportError
from .catalog import Column, describe, frictionless_type, is_source_column, tables
from .descriptor import PACKAGE_NAME, TableInfo, datapackage, datasette_metadata

if TYPE_CHECKING:
    import duckdb

__all__ = ["FORMATS", "ExportReport", "export", "DESCRIPTOR", "DATASETTE_METADATA", "SQLITE_FILE"]

FORMATS = ("parquet", "csv", "sqlite")
DESCRIPTOR = "datapackage.json"
DATASETTE_METADATA = "metadata.json"
SQLITE_FILE = f"{PACKAGE_NAME}.sqlite"
_BATCH = 50_000

#: progress(step, done, total): rows written so far of all tables
Progress = Callable[[str, int, int], None]


@dataclass
class ExportReport:
    directory: Path
    format: str
    seconds: float
    tables: list[dict[str, Any]] = field(default_factory=list)  # name, rows, path, bytes

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.tables)

    def as_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "format": self.format, "seconds": round(self.seconds, 3),
                "rows": self.rows, "tables": self.tables}


def export(db_path: str | Path, directory: str | Path, fmt: str = "parquet", *, overwrite: bool = False,
           progress: Progress | None = None) -> ExportReport:
    """Write every exported table of the database at ``db_path`` into ``directory``.

    ``directory`` must not exist, or be empty; with ``overwrite`` it may hold a previous
    export (a folder with a ``datapackage.json``), which is replaced whole at the end.
    """
    from ..db import Database
    from ..version import __version__

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    started = time.perf_counter()
    target = Path(directory).expanduser().absolute()
    _check_target(target, overwrite)
    with Database(db_path) as db:
        con = db.con
        infos = [_info(con, name, cols, fmt) for name, cols in tables(con).items()]
        work = _workdir(target)
        try:
            _write(con, infos, work, fmt, progress)
            package = datapackage(infos, fmt, db.info, __version__)
            (work / DESCRIPTOR).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
            if fmt == "sqlite":
                meta = datasette_metadata(infos, Path(SQLITE_FILE).stem, db.info)
                (work / DATASETTE_METADATA).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                                       encoding="utf-8")
            _move_into_place(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    report = ExportReport(target, fmt, time.perf_counter() - started)
    for t in infos:
        size = (target / t.path).stat().st_size
        report.tables.append({"name": t.name, "rows": t.rows, "path": t.path, "bytes": size})
    return report


def _check_target(target: Path, overwrite: bool) -> None:
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: is a file, not a folder; give a folder to export into")
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise ExportError(f"{target}: not empty; give a new folder, or --overwrite to replace a previous export")
        if not (target / DESCRIPTOR).is_file():
            raise ExportError(f"{target}: not empty and holds no {DESCRIPTOR}; --overwrite replaces only a "
                              "previous export")


def _workdir(target: Path) -> Path:
    """A hidden folder beside the target (same file system: the final rename is atomic)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    except OSError as exc:
        raise ExportError(f"{target}: cannot write there: {exc.strerror or exc}") from None


def _move_into_place(work: Path, target: Path) -> None:
    old = None
    if target.is_dir():
        if any(target.iterdir()):  # a previous export, checked above: set aside, removed once replaced
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
        else:
            target.rmdir()
    os.chmod(work, 0o755)  # mkdtemp makes it private; an export is for sharing
    work.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _info(con: "duckdb.DuckDBPyConnection", name: str, cols: list[Column], fmt: str) -> TableInfo:
    """A table's row count and the files its rows come from (its source columns)."""
    q = f'"{name}"'
    rows = con.execute(f"SELECT count(*) FROM {q}").fetchone()
    sources = [f'SELECT "{c.name}" AS sid FROM {q}' for c in cols
               if is_source_column(c.name) and frictionless_type(c.duckdb_type) == "integer"]
    sources += [f'SELECT unnest("{c.name}") AS sid FROM {q}' for c in cols
                if c.name == "source_ids" and c.duckdb_type.endswith("[]")]
    layouts: dict[str, list[str]] = {}
    if sources and name != "source_file":  # the list of files cites every file: not its own source
        for layout, relpath in con.execute(
                f"SELECT layout, relpath FROM source_file WHERE source_id IN ({' UNION '.join(sources)}) "
                "ORDER BY source_id").fetchall():
            layouts.setdefault(layout, []).append(relpath)
    path = SQLITE_FILE if fmt == "sqlite" else f"{name}.{fmt}"
    return TableInfo(name, cols, int(rows[0]) if rows else 0, path, layouts)


def _write(con: "duckdb.DuckDBPyConnection", infos: list[TableInfo], work: Path, fmt: str,
           progress: Progress | None) -> None:
    total = sum(t.rows for t in infos) or 1
    done = 0
    if fmt == "sqlite":
        def show(step: str, rows: int) -> None:
            if progress:
                progress(step, rows, total)

        _write_sqlite(con, infos, work / SQLITE_FILE, show)
        if progress:
            progress("done", total, total)
        return
    for t in infos:
        if progress:
            progress(t.name, done, total)
        out = str(work / t.path).replace("'", "''")
        if fmt == "parquet":
            con.execute(f"COPY (SELECT * FROM \"{t.name}\") TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
        else:  # CSV: nested values as JSON text (Table Schema's array and object types read JSON)
            exprs = ", ".join(_json_or_plain(c) for c in t.columns)
            con.execute(f"COPY (SELECT {exprs} FROM \"{t.name}\") TO '{out}' (FORMAT csv, HEADER)")
        done += t.rows
    if progress:
        progress("done", total, total)


def _json_or_plain(c: Column) -> str:
    if frictionless_type(c.duckdb_type) in ("array", "object"):
        return f'to_json("{c.name}")::VARCHAR AS "{c.name}"'
    return f'"{c.name}"'


_SQLITE_TYPE = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}


def _sqlite_select(c: Column) -> str:
    kind = frictionless_type(c.duckdb_type)
    if kind == "date":
        return f"strftime(\"{c.name}\", '%Y-%m-%d')"
    if kind == "datetime":
        return f"strftime(\"{c.name}\", '%Y-%m-%dT%H:%M:%S')"
    if kind == "number":
        return f'"{c.name}"::DOUBLE'  # SQLite has no decimal: amounts to the cent fit a double
    if kind in ("array", "object"):
        return f'to_json("{c.name}")::VARCHAR'
    return f'"{c.name}"'


def _write_sqlite(con: "duckdb.DuckDBPyConnection", infos: list[TableInfo], path: Path,
                  progress: Callable[[str, int], None]) -> None:
    """One SQLite file, a table per table, with primary keys where the catalog declares
    them and an index per facet column (what Datasette counts)."""
    import sqlite3

    sq = sqlite3.connect(path)
    try:
        sq.execute("PRAGMA journal_mode = OFF")  # a fresh file in a folder that is renamed whole, or removed
        sq.execute("PRAGMA synchronous = OFF")
        written = 0
        for t in infos:
            progress(t.name, written)
            meta = describe(t.name)
            names = [c.name for c in t.columns]
            cols = ", ".join(f'"{c.name}" {_SQLITE_TYPE.get(frictionless_type(c.duckdb_type), "TEXT")}'
                             for c in t.columns)
            key = f', PRIMARY KEY ({", ".join(meta.primary_key)})' \
                if meta.primary_key and set(meta.primary_key) <= set(names) else ""
            sq.execute(f'CREATE TABLE "{t.name}" ({cols}{key})')
            cur = con.execute(f'SELECT {", ".join(_sqlite_select(c) for c in t.columns)} FROM "{t.name}"')
            insert = f'INSERT INTO "{t.name}" VALUES ({", ".join("?" for _ in names)})'
            while batch := cur.fetchmany(_BATCH):
                sq.executemany(insert, batch)
                written += len(batch)
                progress(t.name, written)
            for facet in meta.facets:
                if facet in names and facet not in meta.primary_key[:1]:
                    sq.execute(f'CREATE INDEX "{t.name}__{facet}" ON "{t.name}" ("{facet}")')
            sq.commit()
    finally:
        sq.close()
