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


# ---- active periods: the UN mission list reconciled with the personnel months ----------

def _un_list(sources):
    """The UN mission list read with the csv module: acronym -> (active, start, end)."""
    import csv
    from datetime import date

    with (sources / "un/DPPADPOSS-PKO.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["mission_acronym"].strip(): (r["mission_isactive"].strip().lower() == "yes",
                                               date.fromisoformat(r["start_date"][:10]) if r["start_date"] else None,
                                               date.fromisoformat(r["end_date"][:10]) if r["end_date"] else None)
                for r in csv.DictReader(fh)}


def _periods(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute("""SELECT acronym, active_from, active_to, period_basis, first_personnel, last_personnel
                          FROM mission""").fetchall()
    last = con.execute("SELECT max(month) FROM (SELECT month FROM personnel WHERE total > 0 "
                       "UNION ALL SELECT month FROM personnel_mission WHERE total > 0)").fetchone()[0]
    findings = [m for (m,) in con.execute(
        "SELECT message FROM finding WHERE kind = 'mission_period_disagrees'").fetchall()]
    con.close()
    return {r[0]: r[1:] for r in rows}, last, findings


@pytest.mark.parametrize("acronym, end", [("MINUSTAH", "2017-10"), ("UNMIL", "2018-03"), ("UNAMID", "2020-12"),
                                          ("MONUC", "2010-06"), ("UNMIS", "2011-07")])
def test_a_mission_the_list_ends_ends_at_the_lists_month(built_db, sources, acronym, end):
    active, start, ended = _un_list(sources)[acronym]
    assert not active and f"{ended:%Y-%m}" == end  # what the list says, read independently
    periods, _, _ = _periods(built_db)
    active_from, active_to, basis, *_ = periods[acronym]
    assert (f"{active_from:%Y-%m}", f"{active_to:%Y-%m}", basis) == (f"{start:%Y-%m}", end, "end_date")


def test_a_mission_the_list_calls_active_is_open_until_its_personnel_stop_for_half_a_year(built_db, sources):
    periods, last, findings = _periods(built_db)
    listed_active = {a for a, (active, _, end) in _un_list(sources).items() if active and end is None}
    assert {"MINUSMA", "UNIFIL", "MONUSCO", "UNMISS"} <= listed_active
    for acronym in listed_active:
        _, active_to, basis, _, last_personnel = periods[acronym]
        if last_personnel is None:
            assert basis == "open"
            continue
        stale = (last.year - last_personnel.year) * 12 + last.month - last_personnel.month >= 6
        # MINUSMA (closed 2023-12, liquidated to 2024-10, still "active" in the list) is stale
        # once the data run past 2025-03
        assert (basis, active_to) == (("no_recent_personnel", last_personnel) if stale else ("open", None)), acronym
        assert any(m.startswith(f"{acronym}: the UN mission list says active") for m in findings) == stale
    assert f"{last:%Y-%m}" == "2025-07" and f"{periods['MINUSMA'][1]:%Y-%m}" == "2024-10"


def test_personnel_after_the_lists_end_is_a_finding(built_db, sources):
    from .conftest import num, raw_rows

    _, _, end = _un_list(sources)["MINUGUA"]
    after = [r["date"][:7] for r in raw_rows(sources / "ipi/tcc-datascraper/Data.Mission.csv")
             if r["mission"] == "MINUGUA" and num(r["total"]) > 0 and r["date"][:7] > f"{end:%Y-%m}"]
    assert after  # IPI counts MINUGUA's people years after the list's end (1997-05)
    _, _, findings = _periods(built_db)
    found = next(m for m in findings if m.startswith("MINUGUA:"))
    assert f"ended {end.isoformat()}" in found and f"until {max(after)}" in found


def test_the_missions_list_leaves_out_missions_not_active_and_says_so(store, sources):
    from .conftest import num, raw_rows

    # UNPROFOR's people in 1995-10, after the list's end (1995-03), read from IPI's file
    counted = {r["mission"]: num(r["total"]) for r in raw_rows(sources / "ipi/tcc-datascraper/Data.Mission.csv")
               if r["date"].startswith("1995-10") and num(r["total"])}
    assert counted["UNPROFOR"] > 0
    listed = _un_list(sources)
    out = {m for m in counted if m in listed and (
        (listed[m][2] is not None and f"{listed[m][2]:%Y-%m}" < "1995-10")
        or (listed[m][1] is not None and f"{listed[m][1]:%Y-%m}" > "1995-10"))}
    assert "UNPROFOR" in out
    got = store.mission_list(month="1995-10")
    assert {r["mission"] for r in got.rows} == set(counted) - out
    note = next(n for n in got.notes if n.startswith("left out, not active at 1995-10"))
    assert f"UNPROFOR ({counted['UNPROFOR']:,}; ended 1995-03)" in note


@pytest.mark.parametrize("month, present, absent", [("2018-03", {"UNMIL", "UNAMID"}, set()),
                                                    ("2018-04", {"UNAMID"}, {"UNMIL"}),
                                                    ("2021-01", set(), {"UNMIL", "UNAMID"})])
def test_sites_of_every_mission_show_only_missions_active_then(store, month, present, absent):
    res = store.sites(month=month)
    shown = {r["mission"] for r in res.rows}
    assert present <= shown and not absent & shown
    for m in absent:
        assert any(n.startswith(f"left out, not active at {month}") and f"{m} (ended " in n for n in res.notes)


def test_every_mission_with_personnel_in_the_latest_month_is_described(built_db):
    """The political missions of the official reports (BINUH, UNSMIL, UNVMC ...) are in no
    source list; the package reference names them, their hosts and HQ, only where the
    lists say nothing, and says so in a finding."""
    con = duckdb.connect(str(built_db), read_only=True)
    latest = con.execute("SELECT max(month) FROM personnel").fetchone()[0]
    rows = con.execute("""
        SELECT m.acronym, m.name, m.type, m.hq, m.hq_lat, m.hq_lon,
               (SELECT list(iso3) FROM mission_host h WHERE h.acronym = m.acronym)
        FROM mission m WHERE acronym IN (SELECT mission FROM personnel WHERE month = ?)""", [latest]).fetchall()
    assert len(rows) > 15
    for acronym, name, kind, hq, lat, lon, hosts in rows:
        assert name and kind and hq and hosts, acronym
        assert lat is not None and lon is not None, acronym
    described = {r[0]: r for r in rows}
    assert described["BINUH"][6] == ["HTI"] and described["BINUH"][2] == "political"
    assert described["UNMHA"][3] == "Al Hudaydah" and 14 < described["UNMHA"][4] < 15.5
    # a source list's own fields are never overwritten
    unifil = con.execute("SELECT name FROM mission WHERE acronym = 'UNIFIL'").fetchone()[0]
    assert unifil == "United Nations Interim Force in Lebanon"
    filled = dict(con.execute("""SELECT split_part(message, ':', 1), message FROM finding
                                 WHERE kind = 'mission_reference_filled'""").fetchall())
    assert "S/RES/2476 (2019)" in filled["BINUH"] and "UNIFIL" not in filled
    con.close()


def test_the_missions_reference_names_real_countries():
    from bluehelmet.reference import country_index
    from bluehelmet.reference.missions import other_missions

    countries = country_index().countries
    missions = other_missions()
    assert len({m.acronym for m in missions}) == len(missions)
    for m in missions:
        assert m.hosts and all(h in countries for h in m.hosts), m.acronym
        assert m.kind in {"political", "support office", "logistics base", "peacekeeping"}, m.acronym
        assert not m.established_by or m.established_by.startswith("S/RES/"), m.acronym
