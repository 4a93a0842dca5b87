"""Time quarantining bad rows: ``validate`` over a SYNTHETIC table (invented rows, no real
data) of N rows in 1,000-row chunks, as a CSV reader hands them over, every other row
with a count that is not a number.

    .venv/bin/python bench/quarantine_speed.py 20000 200000

Each size prints its rows, the problems recorded and the seconds; the time should grow
with the rows, not with their square (it did, until the bad rows were taken together:
docs/benchmarks.md, "Findings for the lead").
"""

from __future__ import annotations

import sys
import time

import pyarrow as pa

from bluehelmet.sources.base import Column, validate

COLUMNS = [Column("country", ("country",), "text"), Column("troops", ("troops",), "count")]


def table(n: int) -> pa.Table:
    chunks = []
    for start in range(0, n, 1000):
        m = min(1000, n - start)
        chunks.append(pa.table({"line": pa.array(range(start + 2, start + 2 + m), pa.int64()),
                                "source_id": pa.array([1] * m, pa.int64()), "country": pa.array(["Ghana"] * m),
                                "troops": pa.array(["x" if i % 2 else str(i) for i in range(m)])}))
    return pa.concat_tables(chunks)


def main(sizes: list[int]) -> None:
    for n in sizes:
        t = table(n)
        start = time.perf_counter()
        _good, problems = validate(t, COLUMNS)
        print(f"{n:>10,} rows  {len(problems):>9,} quarantined  {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20_000, 200_000])
