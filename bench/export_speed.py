"""Export speed and size: `bluehelmet export` in each format, and frictionless validating
the CSV export (every cell, key and reference).

    .venv/bin/python bench/export_speed.py --db /tmp/bh.duckdb [--runs 3] [--validate]

Each run writes into a fresh temporary folder. Prints a Markdown table (median seconds,
the folder's size, tables, rows) to paste into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bluehelmet.export import DESCRIPTOR, FORMATS, export


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--validate", action="store_true", help="also time frictionless validating the CSV export")
    args = ap.parse_args()
    print("| format | median s | runs | MB | tables | rows |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            times = []
            for i in range(args.runs):
                out = Path(tmp) / f"{fmt}-{i}"
                t = time.perf_counter()
                report = export(args.db, out, fmt)
                times.append(time.perf_counter() - t)
            print(f"| {fmt} | {statistics.median(times):.2f} | {args.runs} | {_size(out) / 1e6:.1f} | "
                  f"{len(report.tables)} | {report.rows:,} |")
        if args.validate:
            from frictionless import validate

            t = time.perf_counter()
            result = validate(str(Path(tmp) / "csv-0" / DESCRIPTOR))
            print(f"\nfrictionless validate (CSV export): {time.perf_counter() - t:.1f} s, valid: {result.valid}")


if __name__ == "__main__":
    main()
