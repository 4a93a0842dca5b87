"""Library-free helpers of bench/proof.py: percentiles, month shifting, scratch source folders.

Nothing here imports bluehelmet, pandas or DuckDB, so tests/test_bench_proof.py checks it
alone and the pandas side of the proof stays independent of the code it checks.
"""

from __future__ import annotations

import calendar
import csv
import os
from pathlib import Path

#: the file replicated for the scaling runs: IPI's contributor x mission x month detail
#: (TCC-DataScraper, 2009-11 .. 2014-02), whose copies become extra months
REPLICATED = Path("ipi/tcc-datascraper/Gender.Full.csv")
#: the years the readers accept (bluehelmet.sources.base: dates of 1900-2099), and the
#: real data's span (personnel from 1990-11 to 2025-07): the copies must fit between them
FIRST_YEAR, LAST_YEAR = 1900, 2099
#: copy k is the file shifted by whole years: forward by 20, 25, ... (the first starts in
#: 2029-11, after the real data), then, when those run out at 2099, backward by 25, 30, ...
#: (the first ends in 1989-02, before it). The file spans 4 years and 4 months, so a step of
#: 5 years keeps the copies apart. 14 fit forward and 17 backward: at most 32x in all, since
#: 100 copies of 52 months would need 433 years of valid dates
STEP = 5
FORWARD = list(range(20, LAST_YEAR - 2014 + 1, STEP))
BACKWARD = [-s for s in range(25, 2009 - FIRST_YEAR + 1, STEP)]
MAX_FACTOR = 1 + len(FORWARD) + len(BACKWARD)
#: past MAX_FACTOR the built database is multiplied instead (proof_multiply.py): copy k is
#: every month of it shifted by k * DB_STEP years. The real months span 1990-11 .. 2025-07
#: (under 35 years), so copies 40 years apart never meet; DuckDB's dates reach far beyond
#: the last copy (year 5985 at 100x), though the readers' 1900-2099 do not
DB_STEP = 40


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile ``p`` (0-100) of ``values``; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(min(rank, len(ordered))) - 1]


def shift_date(text: str, years: int) -> str:
    """A ``YYYY-MM-DD`` month-end date moved by ``years``, kept at its month's end
    (2012-02-29 + 5 years is 2017-02-28)."""
    y, m = int(text[:4]) + years, int(text[5:7])
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def shifts(factor: int) -> list[int]:
    """The year shifts of the copies that make ``factor`` times the replicated file."""
    if not 1 <= factor <= MAX_FACTOR:
        raise ValueError(f"the replicated file fits {MAX_FACTOR} times between {FIRST_YEAR} and {LAST_YEAR}, "
                         f"not {factor}")
    return (FORWARD + BACKWARD)[:factor - 1]


def db_shifts(factor: int) -> list[int]:
    """The year shifts of the copies that make the built database ``factor`` times over."""
    if factor < 1:
        raise ValueError(f"a factor is at least 1, not {factor}")
    return [DB_STEP * k for k in range(1, factor)]


def replicate_csv(src: Path, dst: Path, factor: int, date_column: str = "Date") -> int:
    """Write ``src`` followed by ``factor - 1`` copies with dates shifted; rows written."""
    with src.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    at = header.index(date_column)
    key = header.index("") if "" in header else None  # the row number R wrote: kept unique
    n = 0
    with dst.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, quoting=csv.QUOTE_MINIMAL)
        out.writerow(header)
        for years in [0, *shifts(factor)]:
            for row in rows:
                row = list(row)
                row[at] = shift_date(row[at], years) if years else row[at]
                n += 1
                if key is not None:
                    row[key] = str(n)
                out.writerow(row)
    return n


def scratch_sources(real: Path, scratch: Path, factor: int) -> int:
    """A sources folder at ``scratch``: every real file linked, the replicated file written
    ``factor`` times over; returns the rows it holds."""
    for dirpath, _dirs, files in os.walk(real):
        rel = Path(dirpath).relative_to(real)
        (scratch / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            if rel / name != REPLICATED:
                target = scratch / rel / name
                if not target.exists():
                    target.symlink_to(Path(dirpath) / name)
    return replicate_csv(real / REPLICATED, scratch / REPLICATED, factor)
