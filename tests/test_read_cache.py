"""The layout cache: a build that takes a layout's rows from the cache makes the same
database as one that parses every file, even when source ids move because another
layout gained or lost a file, and a damaged entry is only a miss.

Reads the real data. The layout cache goes to a folder of the test's own; the parsed-PDF
cache stays the user's (parsing every report again would take half a minute).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from bluehelmet import builder
from bluehelmet.store import read_cache


def tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in names if t != "build_info"}
    finally:
        con.close()


def mirror(sources: Path, into: Path, leave_out: str = "") -> Path:
    """A sources folder of links to the real files, less one."""
    for p in sources.rglob("*"):
        rel = p.relative_to(sources).as_posix()
        if p.is_file() and rel != leave_out:
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            (into / rel).symlink_to(p)
    return into


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The layout cache in ``tmp_path/cache``; counts of hits and misses."""
    monkeypatch.setattr(read_cache, "folder", lambda: tmp_path / "cache")
    counts = {"hit": 0, "miss": 0}
    load = read_cache.load

    def counting(entry: str, files: list) -> object:
        got = load(entry, files)
        counts["hit" if got is not None else "miss"] += 1
        return got

    monkeypatch.setattr(read_cache, "load", counting)
    return counts


def test_cached_layouts_build_the_same_database_when_ids_move(
        sources: Path, tmp_path: Path, counted: dict[str, int]) -> None:
    # the TCC country files come early in the build's order: without one of them, every
    # later layout's files get source ids one lower than when they were cached
    one = sorted((sources / "ipi/tcc-datascraper/countries").glob("*.csv"))[3]
    leave_out = one.relative_to(sources).as_posix()
    builder.build(sources, tmp_path / "full.duckdb")  # fills the cache
    layouts = counted["miss"]
    assert counted["hit"] == 0 and layouts > 10

    fewer = mirror(sources, tmp_path / "fewer", leave_out)
    builder.build(fewer, tmp_path / "from-cache.duckdb")
    assert counted["miss"] == layouts + 1, "only the layout that lost a file is read again"
    assert counted["hit"] == layouts - 1

    read_cache_folder = tmp_path / "cache"
    for p in read_cache_folder.iterdir():
        p.unlink()
    builder.build(fewer, tmp_path / "parsed.duckdb")
    cached, parsed = tables(tmp_path / "from-cache.duckdb"), tables(tmp_path / "parsed.duckdb")
    assert cached.keys() == parsed.keys()
    differing = [t for t in parsed if cached[t] != parsed[t]]
    assert not differing, f"tables that differ when read from the cache: {differing}"
    # and the ids did move: the file left out is gone and the ids are dense
    con = duckdb.connect(str(tmp_path / "parsed.duckdb"), read_only=True)
    ids = [r[0] for r in con.execute("SELECT source_id FROM source_file ORDER BY 1").fetchall()]
    assert ids == list(range(1, len(ids) + 1))
    assert not con.execute("SELECT count(*) FROM source_file WHERE relpath = ?", [leave_out]).fetchone()[0]
    con.close()


def test_a_damaged_entry_is_a_miss_and_written_again(
        sources: Path, tmp_path: Path, counted: dict[str, int]) -> None:
    builder.build(sources, tmp_path / "a.duckdb")
    entries = sorted((tmp_path / "cache").glob("*.bin"), key=lambda p: p.stat().st_size)
    cut, foreign = entries[-1], entries[-2]  # the two largest: real tables, not empty ones
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    foreign.write_bytes(b"not a cache entry\n")
    before = counted["miss"]
    builder.build(sources, tmp_path / "b.duckdb", force=True)
    assert counted["miss"] == before + 2
    assert tables(tmp_path / "a.duckdb") == tables(tmp_path / "b.duckdb")
    # written again whole: the next build takes both from the cache
    builder.build(sources, tmp_path / "c.duckdb", force=True)
    assert counted["miss"] == before + 2


def test_an_unwritable_cache_costs_only_time(sources: Path, tmp_path: Path, counted: dict[str, int],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be\n")
    report = builder.build(sources, tmp_path / "a.duckdb")
    assert not report.noop and report.rows[0] == sum(report.rows[1:])  # loaded + empty + quarantined
    assert blocked.read_text().startswith("a file")
    assert not list(tmp_path.glob("cache*.tmp-*")) and not list(tmp_path.glob("*.tmp-*"))
    assert os.path.isfile(tmp_path / "a.duckdb")


def test_source_ids_are_shifted_on_the_buffers_without_pandas() -> None:
    """A cached table's source ids move by the layout's first id: on the column's buffers,
    nulls and a sliced table's offset kept, every other column untouched, as DuckDB's own
    arithmetic gives it; and without importing pandas (half a second of every warm build)."""
    import subprocess
    import sys

    code = """
import sys, duckdb
from bluehelmet.store.read_cache import _shift_table
con = duckdb.connect()
# several batches, a null id, then a slice: offsets inside the chunks, and a chunk boundary
t = con.sql("SELECT i::INTEGER AS line, CASE WHEN i = 7 THEN NULL ELSE (i % 5 + 1)::INTEGER END AS source_id, "
            "'x' || i AS text FROM range(3000) t(i)").to_arrow_table().slice(3, 2500)
assert 'pandas' not in sys.modules, 'imported before the shift'
for delta in (41, -1):
    got = _shift_table(t, delta)
    con.register('t', t)
    want = con.sql(f"SELECT * REPLACE ((source_id + {delta})::INTEGER AS source_id) FROM t").to_arrow_table()
    assert got.schema == want.schema, (got.schema, want.schema)
    assert got.column('source_id').to_pylist() == want.column('source_id').to_pylist()
    assert got.column('source_id').null_count == 1
    assert got.column('text').to_pylist() == t.column('text').to_pylist()
    assert got.column('line').to_pylist() == t.column('line').to_pylist()
assert _shift_table(t, 0) is t
print('pandas' in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(builder.__file__).parents[1])})
    assert out.stdout.strip() == "False", out.stdout + out.stderr
