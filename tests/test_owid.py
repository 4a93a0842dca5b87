"""OWID's December world totals: loaded whole, and the yardstick for the resolved series.

The independent side is the raw CSV read with the csv module; bluehelmet's side is what a
user gets from ``personnel(month=YYYY-12)``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bluehelmet.errors import NoDataError

FORCE = "Size of total peacekeeping force (United Nations Peacekeeping)"


def _owid(sources: Path) -> dict[int, int]:
    with (sources / "owid" / "united-nations-peacekeeping.csv").open(encoding="utf-8", newline="") as fh:
        return {int(r["Year"]): int(r[FORCE]) for r in csv.DictReader(fh) if r["Entity"] == "World"}


def test_every_year_is_loaded(store, sources: Path) -> None:
    owid = _owid(sources)
    rows = dict(store.con.execute("SELECT year, force FROM owid_world_year").fetchall())
    assert rows == owid
    f = next(f for f in store.files.values() if f["layout"] == "owid_world_year")
    assert f["rows_read"] == f["rows_loaded"] + f["rows_quarantined"] == len(owid)


def test_the_official_reports_match_owid_every_december(store, sources: Path) -> None:
    """2015-2021 are answered from the UN's monthly reports (PDF); OWID compiled the same
    reports: each December's world total is equal."""
    owid = _owid(sources)
    for year in range(2015, 2022):
        res = store.personnel(month=f"{year}-12")
        assert [s.path for s in res.sources] == [f"un/dpo-monthly/UN_country_contributions_{year}_12.pdf"]
        assert res.scalar() == owid[year], year


def test_the_check_lists_exactly_the_years_that_differ(store, sources: Path) -> None:
    owid = _owid(sources)
    differ = set()
    for year, force in owid.items():
        try:
            ours = store.personnel(month=f"{year}-12").scalar()
        except NoDataError:
            continue
        if ours != force:
            differ.add(year)
    found = {m.year for (m,) in store.con.execute(
        "SELECT month FROM reconciliation WHERE check_name = 'owid:december_world_total'").fetchall()}
    assert found == differ
    assert len(differ) < 20  # most years agree; the rest are listed, with both values
    message = store.con.execute("SELECT message FROM finding WHERE kind = 'owid_world_total'").fetchall()[0][0]
    years = store.con.execute("SELECT months FROM reconciliation_summary "
                              "WHERE check_name = 'owid:december_world_total'").fetchall()[0][0]
    assert f"{years - len(differ)} of {years} years equal" in message


@pytest.mark.parametrize("year", [1990, 1991])
def test_early_years_differ_and_say_by_how_much(store, sources: Path, year: int) -> None:
    """1990-91: IPI's first months count fewer than OWID's compilation (the contributor
    files start in 1990-11); the difference is recorded, not smoothed over."""
    ours = store.personnel(month=f"{year}-12").scalar()
    value_a, value_b = store.con.execute(
        "SELECT value_a, value_b FROM reconciliation WHERE check_name = 'owid:december_world_total' "
        "AND year(month) = ?", [year]).fetchall()[0]
    assert (value_a, value_b) == (ours, _owid(sources)[year])
