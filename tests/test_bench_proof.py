"""bench/proof_lib.py, the library-free helpers of the proof benchmark: the scaling copies
must land on real month ends, never overlap each other or the real data, and keep every
row; the percentile is the nearest rank. The CSV here is synthetic (three rows written by
the test), not a source file."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "bench" / "proof_lib.py"
spec = importlib.util.spec_from_file_location("bluehelmet_proof_lib", LIB)
assert spec and spec.loader
proof_lib = importlib.util.module_from_spec(spec)
spec.loader.exec_module(proof_lib)


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
