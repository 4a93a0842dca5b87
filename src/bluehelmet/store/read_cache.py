"""Each layout's reader output, kept between builds, keyed by what it was read from.

A reader is a pure function of its files: it turns bytes into a table, problems,
findings, spellings and per-file counts, and nothing it does depends on the other
layouts (its scratch connection holds only temporary views). So a build whose files of
one layout are unchanged since an earlier build can take that layout's result from here
instead of parsing again; only a layout whose files changed is read. The key is the
layout's declaration, the relative path and sha256 of each of its files, and the digest
of the package code and reference data: any edit to the code reads everything again.

One file per entry, written to a temporary name and renamed, so concurrent builds and a
``kill -9`` leave either the whole entry or none; an entry that does not load (cut,
foreign, from another version) is a miss and is written again. Tables are Arrow IPC
streams (read back without copying), everything else JSON: nothing in the cache is ever
executed. Source ids are stored relative to the layout's first file and shifted on load,
because they are numbered across the whole build and move when another layout gains a
file. Only the two newest entries per layout are kept. Upgrading a parsing library
(pypdfium2, calamine) without touching bluehelmet's code is not noticed: delete the cache
folder then (it only costs one slower build).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ..records import Finding, LayoutResult, Problem, SourceFile

if TYPE_CHECKING:
    import pyarrow as pa

    from ..domain import Layout

__all__ = ["FORMAT", "key", "has", "load", "save", "folder"]

#: bump when the entry format changes (the code digest covers changes to what readers return)
FORMAT = 1
_MAGIC = b"BHLC\x00\x00\x00\x01"
_KEEP = 2  # entries kept per layout: the current one and the one before
_ALIGN = 64


def folder() -> Path:
    from ..config import cache_dir

    return cache_dir() / f"layouts-v{FORMAT}"


def key(layout: "Layout", files: list[SourceFile], code_digest: str) -> str:
    h = hashlib.sha256(f"{FORMAT} {layout!r} {code_digest}\n".encode())
    for sf in files:
        h.update(f"{sf.relpath}\0{sf.sha256}\n".encode())
    return f"{layout.name}-{h.hexdigest()[:32]}"


def _shift_table(table: "pa.Table", delta: int) -> "pa.Table":
    """``table`` with ``delta`` added to its ``source_id`` column, every other column as it is.

    On the column's buffers with NumPy: neither ``pyarrow.compute`` nor ``pa.array`` (both
    import pandas, half a second, on first use) nor a DuckDB connection (40-80 ms to open,
    once per table of every cached layout of a build, on the core the build writes with)."""
    if not delta or "source_id" not in table.column_names:
        return table
    import numpy as np
    import pyarrow as pa

    i = table.column_names.index("source_id")
    column = table.column(i)
    if column.type != pa.int32():  # every reader gives int32; anything else the slow, general way
        return _shift_in_duckdb(table, delta)
    chunks = []
    for chunk in column.chunks:
        validity, data = chunk.buffers()
        if not len(chunk) or data is None:
            chunks.append(chunk)
            continue
        values = np.frombuffer(data, dtype=np.int32, count=chunk.offset + len(chunk)) + np.int32(delta)
        chunks.append(pa.Array.from_buffers(pa.int32(), len(chunk), [validity, pa.py_buffer(values)],
                                            null_count=chunk.null_count, offset=chunk.offset))
    return table.set_column(i, table.field(i), pa.chunked_array(chunks, pa.int32()))


def _shift_in_duckdb(table: "pa.Table", delta: int) -> "pa.Table":
    import duckdb

    con = duckdb.connect()
    try:
        con.register("_t", table)
        return con.sql(f"SELECT * REPLACE ((source_id + {int(delta)})::INTEGER AS source_id) FROM _t").to_arrow_table()
    finally:
        con.close()


def _ipc(table: "pa.Table") -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def save(entry: str, result: LayoutResult, spellings: list[tuple[str, str, int]]) -> None:
    """Keep ``result`` (read from ``result.files``) under ``entry``. Failing to write the
    cache never fails the build: it only costs the next build a parse."""
    base = result.files[0].source_id if result.files else 0
    blobs: list[tuple[str, bytes]] = []
    if result.table is not None:
        blobs.append(("", _ipc(_shift_table(result.table, -base))))
    for name, extra in result.extra.items():
        blobs.append((name, _ipc(_shift_table(extra, -base))))
    meta = {
        "layout": result.layout,
        "tables": [[name, len(blob) + -len(blob) % _ALIGN] for name, blob in blobs],
        "files": [[sf.relpath, sf.rows_read, sf.release] for sf in result.files],
        "problems": [[p.source_id - base, p.line, p.column, p.reason, p.raw] for p in result.problems],
        "findings": [[None if f.source_id is None else f.source_id - base, f.kind, f.message, f.count]
                     for f in result.findings],
        "spellings": [[s, iso3, sid - base] for s, iso3, sid in spellings],
    }
    # every table starts on a 64-byte boundary, as Arrow lays out its own buffers: read
    # back from a memory map they are used in place
    head = orjson.dumps(meta)
    head += b" " * (-(16 + len(head)) % _ALIGN)
    target = folder() / f"{entry}.bin"
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{id(result)}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            fh.write(_MAGIC + struct.pack("<Q", len(head)) + head)
            for _, blob in blobs:
                fh.write(blob + b"\0" * (-len(blob) % _ALIGN))
        os.replace(tmp, target)
        _prune(target, result.layout)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _prune(keep: Path, layout: str) -> None:
    entries = sorted(keep.parent.glob(f"{layout}-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in entries if p != keep][_KEEP - 1:]:
        old.unlink(missing_ok=True)


def has(entry: str) -> bool:
    """Whether an entry is kept under that key (whether it loads is for :func:`load`)."""
    return (folder() / f"{entry}.bin").is_file()


def load(entry: str, files: list[SourceFile]) -> tuple[LayoutResult, list[tuple[str, str, int]]] | None:
    """The result kept under ``entry`` with its source ids moved to ``files``' ids and each
    file's counts set, or None (no entry, or one that does not read back whole)."""
    path = folder() / f"{entry}.bin"
    if not path.is_file():
        return None
    try:
        return _decode(path, files)
    except Exception:  # a cut or foreign entry is a miss, whatever it breaks in the decoder
        return None


def _decode(path: Path, files: list[SourceFile]) -> tuple[LayoutResult, list[tuple[str, str, int]]] | None:
    import pyarrow as pa

    with pa.memory_map(str(path)) as mm:
        buf = mm.read_buffer()
    if buf.size < 16 or buf.slice(0, 8).to_pybytes() != _MAGIC:
        return None
    (n,) = struct.unpack("<Q", buf.slice(8, 8).to_pybytes())
    meta = orjson.loads(buf.slice(16, n).to_pybytes())
    if [f[0] for f in meta["files"]] != [sf.relpath for sf in files]:
        return None
    base = files[0].source_id if files else 0
    at = 16 + n
    tables: dict[str, pa.Table] = {}
    for name, size in meta["tables"]:
        tables[name] = _shift_table(pa.ipc.open_stream(buf.slice(at, size)).read_all(), base)
        at += size
    if at != buf.size:
        return None
    for sf, (_, rows_read, release) in zip(files, meta["files"]):
        sf.rows_read, sf.release = rows_read, release
    result = LayoutResult(
        meta["layout"], tables.pop("", None), files,
        problems=[Problem(sid + base, line, column, reason, raw) for sid, line, column, reason, raw in meta["problems"]],
        findings=[Finding(None if sid is None else sid + base, kind, message, count)
                  for sid, kind, message, count in meta["findings"]],
        extra=tables)
    spellings = [(s, iso3, sid + base) for s, iso3, sid in meta["spellings"]]
    return result, spellings
