"""Spreadsheet readers on AidData's largest workbook: python-calamine against openpyxl.

    PYTHONPATH=src .venv/bin/python bench/xlsx_readers.py [--sources ../shared/data] [--runs 3]

Each reader reads every cell of every sheet into Python values, as the finance adapter
needs them; each run is a fresh process-level open of the file. Also times the finance
reader itself, cold (empty cache: calamine parse) and warm (cached Arrow file), over the
four AidData workbooks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

LARGEST = "finance/aiddata/GlobalChineseOfficialFinanceDataset_v1.0.xlsx"


def calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)


def openpyxl_read_only(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    wb.close()
    return n


def openpyxl_full(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    return sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))


def finance_reader(sources: Path, cache: Path) -> float:
    """The four workbooks through ``read_aiddata`` (parse or cache, then resolve)."""
    import duckdb

    from bluehelmet.domain import Context
    from bluehelmet.records import SourceFile, sha256_of
    from bluehelmet.reference import country_index
    from bluehelmet.sources.aiddata import DATASETS
    from bluehelmet.sources.aiddata_read import read_aiddata

    os.environ["BLUEHELMET_CACHE"] = str(cache)
    ctx = Context(country_index(), duckdb.connect())
    files = []
    for i, d in enumerate(DATASETS):
        p = sources / d.path
        files.append(SourceFile(i + 1, p, d.path, sha256_of(p), p.stat().st_size, d.layout, "", ""))
    t = time.perf_counter()
    for sf in files:
        read_aiddata([sf], ctx)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=Path, default=Path("../shared/data"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    path = args.sources / LARGEST
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB; load {os.getloadavg()[0]:.1f}")
    for name, fn in (("python-calamine", calamine), ("openpyxl read_only", openpyxl_read_only),
                     ("openpyxl", openpyxl_full)):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            rows = fn(path)
            times.append(time.perf_counter() - t)
        print(f"{name:<20} {statistics.median(times):6.2f} s median of {args.runs} "
              f"({min(times):.2f}-{max(times):.2f}), {rows:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        cold = [finance_reader(args.sources, Path(tmp) / f"cold{i}") for i in range(args.runs)]
        finance_reader(args.sources, Path(tmp) / "warm")
        warm = [finance_reader(args.sources, Path(tmp) / "warm") for _ in range(args.runs)]
    print(f"{'finance reader, cold':<20} {statistics.median(cold):6.2f} s median of {args.runs} "
          f"({min(cold):.2f}-{max(cold):.2f}), 4 workbooks")
    print(f"{'finance reader, warm':<20} {statistics.median(warm):6.2f} s median of {args.runs} "
          f"({min(warm):.2f}-{max(warm):.2f}), 4 workbooks")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
