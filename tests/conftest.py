"""Shared fixtures: the real sources folder and one database built from it per session."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("BLUEHELMET_SOURCES", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))


def pytest_configure(config: pytest.Config) -> None:
    if not (SHARED / "ipi").is_dir():
        raise pytest.UsageError(f"real data not found at {SHARED}; set BLUEHELMET_SOURCES")


@pytest.fixture(scope="session")
def sources() -> Path:
    return SHARED.resolve()


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory, sources: Path) -> Path:
    from bluehelmet.builder import build

    db = tmp_path_factory.mktemp("db") / "real.duckdb"
    build(sources, db)
    return db


@pytest.fixture(scope="session")
def store(built_db: Path):
    import bluehelmet

    with bluehelmet.open(built_db) as s:
        yield s


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Read a raw CSV with the standard library: an independent path to the numbers."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def num(value: str) -> int:
    return 0 if value in ("", "NA") else int(value)
