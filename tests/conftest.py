"""Shared fixtures: the real sources folder and one database built from it per session.

Tests that need the real data carry the marker ``data``: every test that uses one of
``DATA_FIXTURES`` (directly or through another fixture) gets it here, at collection; a test
that reads the data another way says so with ``@pytest.mark.data``. Without the data those
tests are skipped and the rest run, unless the run must have it (``CI`` set, or
``--require-data``): then the missing data is a usage error, so CI never skips them silently.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("BLUEHELMET_SOURCES", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))

# Fixtures that stand for the real data; a test whose fixture closure holds one needs it.
DATA_FIXTURES = frozenset({"sources", "built_db", "store"})


def have_data() -> bool:
    return (SHARED / "ipi").is_dir()


def missing_data_reason() -> str:
    return f"real data not found at {SHARED}; set BLUEHELMET_SOURCES"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--require-data", action="store_true", default=False,
                     help="fail (instead of skipping the 'data' tests) when the real data is missing; "
                          "implied when the environment variable CI is set")


def pytest_configure(config: pytest.Config) -> None:
    if have_data():
        return
    if config.getoption("--require-data") or os.environ.get("CI"):
        why = "--require-data" if config.getoption("--require-data") else "CI is set"
        raise pytest.UsageError(f"{missing_data_reason()} (required: {why})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = None if have_data() else pytest.mark.skip(reason=missing_data_reason())
    for item in items:
        if DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)
        if skip is not None and item.get_closest_marker("data") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sources() -> Path:
    if not have_data():  # only reached by a test that escaped the marker: say why, don't crash
        pytest.skip(missing_data_reason())
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


# A SYNTHETIC database (tests/synthetic.py: invented numbers in the real layouts) for what
# does not depend on the real numbers: error shapes, refusals, formatting. ``any_db`` and
# ``any_store`` run a test on it and, when the data is there, on the real database too.

@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bluehelmet.builder import build

    from .synthetic import make_sources

    root = tmp_path_factory.mktemp("synthetic")
    db = root / "synthetic.duckdb"
    build(make_sources(root / "sources").root, db)
    return db


@pytest.fixture(scope="session")
def synthetic_store(synthetic_db: Path):
    import bluehelmet

    with bluehelmet.open(synthetic_db) as s:
        yield s


BOTH_DATABASES = ["synthetic", pytest.param("real", marks=pytest.mark.data)]


@pytest.fixture(params=BOTH_DATABASES)
def any_db(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("synthetic_db" if request.param == "synthetic" else "built_db")


@pytest.fixture(params=BOTH_DATABASES)
def any_store(request: pytest.FixtureRequest):
    return request.getfixturevalue("synthetic_store" if request.param == "synthetic" else "store")


def raw_rows(path: Path) -> list[dict[str, str]]:
    """Read a raw CSV with the standard library: an independent path to the numbers."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def num(value: str) -> int:
    return 0 if value in ("", "NA") else int(value)
