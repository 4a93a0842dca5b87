"""Authorised strength, deployed strength and the mission and country profiles."""

from __future__ import annotations

import math

import duckdb
import pytest

from bluehelmet.errors import NoDataError


@pytest.fixture(scope="module")
def shortfall(sources):
    import pyreadstat

    df, _ = pyreadstat.read_dta(str(sources / "mandates/Personnel_shortfall_data.dta"))
    return df


def _int(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else int(float(v))


def test_authorized_matches_the_stata_file(store, shortfall):
    row = shortfall[(shortfall.mission == "MINUSMA") & (shortfall.year == 2013) & (shortfall.month == 12)].iloc[0]
    got = store.authorized("MINUSMA", month="2013-12").rows[0]
    assert got["auth_total"] == _int(row.totalauth) == 12640
    assert (got["auth_troops"], got["auth_police"]) == (_int(row.authtroop), _int(row.authpolice))
    assert got["total"] == _int(row.total)


def test_deployed_vs_authorized_differences_are_recorded(built_db, store, shortfall):
    con = duckdb.connect(str(built_db), read_only=True)
    checked = 0
    for mission, year, month in (("MINUSMA", 2014, 6), ("UNMISS", 2013, 12), ("UNIFIL", 2010, 1), ("MONUC", 2005, 3)):
        row = shortfall[(shortfall.mission == mission) & (shortfall.year == year) & (shortfall.month == month)].iloc[0]
        troops_file = _int(row.troop)
        troops_facts = next((r["personnel"] for r in store.deployed(mission, month=f"{year}-{month:02d}").rows
                             if r["type"] == "troops"), 0)
        recorded = con.execute("""SELECT value_a, value_b FROM reconciliation
            WHERE check_name = 'authorized_deployed_vs_mission' AND mission = ? AND month = ? AND type = 'troops'""",
                               [mission, f"{year}-{month:02d}-01"]).fetchone()
        if troops_file == troops_facts:
            assert recorded is None
        else:
            assert recorded == (troops_file, troops_facts)
        checked += 1
    assert checked == 4
    con.close()


def test_fractional_authorisations_are_quarantined_not_rounded(built_db, shortfall):
    fractional = shortfall[shortfall.authtroop.notna() & (shortfall.authtroop % 1 != 0)]
    con = duckdb.connect(str(built_db), read_only=True)
    q = con.execute("""SELECT q.line, q."column", q.reason FROM quarantine q JOIN source_file s USING (source_id)
                       WHERE s.relpath = 'mandates/Personnel_shortfall_data.dta'""").fetchall()
    troop_lines = {line for line, column, _ in q if column == "authtroop"}
    assert {i + 2 for i in fractional.index} <= {line for line, _, _ in q}
    assert troop_lines and all("whole number" in r for _, c, r in q if c == "authtroop")
    read, loaded, quarantined = con.execute("""SELECT rows_read, rows_loaded, rows_quarantined FROM source_file
        WHERE relpath = 'mandates/Personnel_shortfall_data.dta'""").fetchone()
    assert read == len(shortfall) == loaded + quarantined
    con.close()


def test_no_authorisation_is_a_clear_no_data(store):
    with pytest.raises(NoDataError, match="authorised strength"):
        store.authorized("MINUSMA", month="2019-01")


def test_mission_list_matches_the_published_mission_totals(store, sources):
    from .conftest import num, raw_rows

    published = {r["mission"]: num(r["total"]) for r in raw_rows(sources / "ipi/tcc-datascraper/Data.Mission.csv")
                 if r["date"] == "2013-12-31" and num(r["total"])}
    got = store.mission_list(month="2013-12")
    assert {r["mission"]: r["personnel"] for r in got.rows} == published
    assert [r["personnel"] for r in got.rows] == sorted(published.values(), reverse=True)
    bamako = next(r for r in got.rows if r["mission"] == "MINUSMA")
    # the UN mission list places Bamako right; IPI's file swaps its longitude and latitude
    assert (bamako["hq"], bamako["hq_lon"], bamako["hq_lat"]) == ("Bamako", -8.0, 12.65)
