"""bench/proof_lib.py, the library-free helpers of the proof benchmark: the scaling copies
must land on real month ends, never overlap each other or the real data, and keep every
row; the percentile is the nearest rank. The CSV here is synthetic (three rows written by
the test), not a source file. bench/proof_multiply.py, the built database multiplied past
what the readers' dates allow: at 1x it must give back the build's rollups, and a copy's
month must answer as the real month it was copied from."""

from __future__ import annotations

import csv
import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bluehelmet_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


proof_lib = _load("proof_lib")


def test_shift_keeps_month_ends() -> None:
    assert proof_lib.shift_date("2012-02-29", 5) == "2017-02-28"
    assert proof_lib.shift_date("2013-02-28", 7) == "2020-02-29"
    assert proof_lib.shift_date("2009-11-30", 20) == "2029-11-30"


def test_copies_never_overlap_and_stay_out_of_the_real_data() -> None:
    first, last = 2009 * 12 + 10, 2014 * 12 + 1  # 2009-11 .. 2014-02, as month numbers
    shifted = [(first + 12 * y, last + 12 * y) for y in proof_lib.shifts(proof_lib.MAX_FACTOR)]
    assert len(shifted) == proof_lib.MAX_FACTOR - 1 == 31
    spans = sorted([(first, last), *shifted])
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    real = (1990 * 12 + 10, 2025 * 12 + 6)  # 1990-11 .. 2025-07
    assert all(b < real[0] or a > real[1] for a, b in shifted)
    assert spans[0][0] >= 1900 * 12 and spans[-1][1] <= 2099 * 12 + 11  # dates the readers accept
    with pytest.raises(ValueError):
        proof_lib.shifts(proof_lib.MAX_FACTOR + 1)


def test_replicate_writes_every_row_once_per_copy(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text('"","Date","Contributor","Total Total"\n"1",2009-11-30,"Ghana",5\n"2",2014-02-28,"Chad",7\n')
    n = proof_lib.replicate_csv(src, tmp_path / "out.csv", 3)
    with (tmp_path / "out.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert n == len(rows) == 6
    assert [r["Date"] for r in rows] == ["2009-11-30", "2014-02-28", "2029-11-30", "2034-02-28",
                                         "2034-11-30", "2039-02-28"]
    assert len({r[""] for r in rows}) == 6  # the row numbers stay unique
    assert sum(int(r["Total Total"]) for r in rows) == 3 * 12


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert proof_lib.percentile(values, 50) == 50
    assert proof_lib.percentile(values, 99) == 99
    assert proof_lib.percentile([3.0], 99) == 3
    assert proof_lib.percentile(list(reversed(values)), 100) == 100


def test_database_copies_never_meet_the_real_months_or_each_other() -> None:
    real = (1990 * 12 + 10, 2025 * 12 + 6)  # 1990-11 .. 2025-07, as month numbers
    assert proof_lib.db_shifts(1) == []
    spans = [real, *((real[0] + 12 * y, real[1] + 12 * y) for y in proof_lib.db_shifts(100))]
    assert len(spans) == 100
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    assert spans[-1][1] // 12 < 10000  # a DATE's year, and a 4-digit month for the queries
    with pytest.raises(ValueError):
        proof_lib.db_shifts(0)


def test_multiplied_database(built_db: Path, tmp_path: Path) -> None:
    import duckdb

    import bluehelmet

    multiply = _load("proof_multiply")
    once = tmp_path / "1x.duckdb"
    multiply.multiply(built_db, once, [])
    assert multiply.derived_differences(built_db, once) == {t: 0 for t in multiply.DERIVED}

    thrice = tmp_path / "3x.duckdb"
    counts = multiply.multiply(built_db, thrice, proof_lib.db_shifts(3))
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        for table in (*multiply.FACTS, *multiply.DERIVED):
            assert counts[table] == 3 * con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    finally:
        con.close()
    # the last copy's 2013-12 (2093-12) answers as the real 2013-12: IPI's published
    # top contributor that month, Pakistan, with the same figures through the rank table
    with bluehelmet.open(built_db) as real, bluehelmet.open(thrice) as db:
        want = [{k: v for k, v in r.items() if k != "month"} for r in real.rank(month="2013-12", top=10).rows]
        late = db.rank(month=date(2093, 12, 1), top=10)
        assert [{k: v for k, v in r.items() if k != "month"} for r in late.rows] == want
        assert late.rows[0]["contributor"] == "PAK" and {r["month"] for r in late.rows} == {"2093-12"}
        assert db.rank(month="2013-12", top=10).rows == real.rank(month="2013-12", top=10).rows
