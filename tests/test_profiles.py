"""Mission and country profiles: facts checked against the raw files, rendering in all formats."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.output import render_profile

from .conftest import num, raw_rows


def test_active_mission_profile(store, sources):
    p = store.mission("MINUSMA", month="2014-06")
    release = json.loads((sources / "ipi/ppp-loader/update_archive/json/20140630.json").read_text())
    deployed = sum(r.get("total") or 0 for r in release
                   if r.get("mission") == "MINUSMA" and r.get("tcc_country_id") not in (None, "all"))
    assert p.facts["deployed"] == deployed
    assert p.facts["authorized"] == 12640
    assert p.facts["deployed_share_of_authorized_pct"] == round(100 * deployed / 12640, 1)
    assert p.facts["hosts"] == ["Mali"] and p.facts["hq"] == "Bamako"
    contributors = p.sections["contributors"].rows
    assert contributors[0]["rank"] == 1 and sum(r["personnel"] for r in contributors) == deployed


def test_closed_mission_profile_defaults_to_its_last_month(store, sources):
    pko = {r["mission_acronym"]: r for r in raw_rows(sources / "un/DPPADPOSS-PKO.csv")}
    p = store.mission("ONUB")
    assert p.facts["start"] == pko["ONUB"]["start_date"] and p.facts["end"] == pko["ONUB"]["end_date"]
    assert p.facts["month"] == p.facts["last_month_with_personnel"]
    assert p.facts["active"] is False


@pytest.mark.parametrize("name,iso3", [("Pakistan", "PAK"), ("Fiji", "FJI")])
def test_country_profile_first_deployment_and_rank(store, sources, name, iso3):
    raw = raw_rows(sources / f"ipi/tcc-datascraper/countries/{name}.csv")
    first = next(r["Date"][:7] for r in raw if num(r["Troops"]) + num(r["Police"]) + num(r["Experts"]) > 0)
    p = store.country(name, month="2013-12")
    assert p.facts["country"] == iso3 and p.facts["first_month_in_data"] == first
    # the first month of the data is no first deployment: it says what it is
    data_start = _data_start(sources)
    assert p.facts["first_deployment"] == (first if first != data_start else
                                           f"first month in the data (data start {data_start})")
    detail = raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv")
    totals: dict[str, int] = {}
    for r in detail:
        if r["Date"] == "2013-12-31":
            totals[r["Contributor ISO-3"]] = totals.get(r["Contributor ISO-3"], 0) + num(r["Total Total"])
    assert p.facts["personnel"] == totals[iso3]
    expected_rank = 1 + sum(1 for v in totals.values() if v > totals[iso3])
    rank_2013 = next(r for r in p.sections["rank_over_time"].rows if r["year"] == 2013)
    assert rank_2013["rank"] == expected_rank


@pytest.mark.parametrize("args", [["mission", "MINUSMA", "--month", "2014-06"], ["mission", "ONUB"],
                                  ["country", "Pakistan"], ["country", "Fiji", "--month", "2010-06"]])
def test_profiles_render_in_every_format(built_db, args):
    for fmt in ("table", "json", "csv"):
        r = CliRunner().invoke(cli, [*args, "--db", str(built_db), "--format", fmt])
        assert r.exit_code == 0, r.output
        if fmt == "json":
            data = json.loads(r.output)
            assert data["facts"] and data["sections"]
        elif fmt == "csv":
            assert "# section: " in r.output
            list(csv.reader(r.output.splitlines()))
        else:
            assert "fact" in r.output and "source:" in r.output


@pytest.mark.parametrize("args", [
    ["mission", "UNIFIL"],
    # a month before any deployment map: the sites section's query once carried the
    # resolved Selection object, which JSON cannot write
    ["country", "Ghana", "--month", "2020-02"],
])
def test_profiles_render_in_every_format_on_synthetic_data(synthetic_db, args):
    for fmt in ("table", "json", "csv"):
        r = CliRunner().invoke(cli, [*args, "--db", str(synthetic_db), "--format", fmt])
        assert r.exit_code == 0, (fmt, r.output, r.exception)
        if fmt == "json":
            assert json.loads(r.output)["facts"]
        elif fmt == "csv":
            assert "# section: " in r.output
            list(csv.reader(r.output.splitlines()))
        else:
            assert "fact" in r.output


def test_profile_of_a_group_is_refused(any_store):
    with pytest.raises(Exception, match="group"):
        any_store.country("P5")


def test_render_profile_table_is_terminal_width(store):
    out = render_profile(store.country("Nepal", month="2012-12"), "table")
    assert max(len(line) for line in out.splitlines()) <= 160


def test_every_mission_with_personnel_has_a_profile(store):
    # found by the web load benchmark: missions outside Geo-PKO's coverage (UNIFIL,
    # MINUSTAH, UNMIK ...) raised "unknown mission" from the sites section
    missions = [m for (m,) in store.con.execute("SELECT DISTINCT mission FROM personnel").fetchall()]
    outside = 0
    for m in missions:
        p = store.mission(m)
        assert p.facts["deployed"] > 0
        if "sites" not in p.sections:
            outside += 1
            assert any("Geo-PKO" in n for n in p.notes)
    assert 1 <= outside < len(missions)  # political missions (UNAMA, UNAMI ...) have no map
    # outside Africa the sites come from Geo-PKO v2.3's yearly table, and say so
    unifil = store.mission("UNIFIL", month="2014-06").sections["sites"]
    assert len(unifil.rows) > 20 and "v2.3" in unifil.notes[0]
    assert [s.path for s in unifil.sources][0] == "geopko/FrontMap_v.2.3.csv"


def test_every_contributor_has_a_profile_by_its_code(store):
    codes = [c for (c,) in store.con.execute(
        "SELECT DISTINCT contributor FROM personnel_contributor WHERE total > 0").fetchall()]
    for code in codes:
        assert store.country(code).facts["country"] == code
    assert "NAM" in codes  # Namibia's code is also the Non-Aligned Movement's


def test_mission_past_the_detail_shows_its_last_contributors(store, sources):
    # UNIFIL at 2014-08 (pinned: the official reports now give it detail to 2025-07): the
    # contributors add up to the published mission total then
    published = next(r for r in raw_rows(sources / "ipi/ppp-loader/data_mission.csv")
                     if r["Date"] == "2014-08-31" and r["Mission"] == "UNIFIL")
    p = store.mission("UNIFIL", month="2014-08")
    rows = p.sections["contributors"].rows
    assert sum(r["personnel"] for r in rows) == num(published["Total"]) == 10226
    assert len(rows) == num(published["Number of Contributors"])
    # UNOCI's totals run to 2017-03 (IPI), its contributor detail to 2017-02 (no report
    # prints 2017-03): the page shows the latter, says so, and the contributors add up to
    # the published mission total then
    published = next(r for r in raw_rows(sources / "ipi/ppp-loader/data_mission.csv")
                     if r["Date"] == "2017-02-28" and r["Mission"] == "UNOCI")
    p = store.mission("UNOCI")
    assert p.facts["month"] == "2017-03"
    rows = p.sections["contributors"].rows
    assert sum(r["personnel"] for r in rows) == num(published["Total"]) == 63
    assert len(rows) == num(published["Number of Contributors"])
    assert any("at 2017-02" in n for n in p.notes)
    assert "contributors" not in store.mission("UNOCI", month="2017-03").sections  # asked: no stand-in


def test_render_profile_table_is_terminal_width_on_synthetic_data(synthetic_store):
    out = render_profile(synthetic_store.country("Nepal", month="2020-01"), "table")
    assert max(len(line) for line in out.splitlines()) <= 160


@pytest.mark.parametrize("name", ["Nepal", "Bangladesh"])
def test_first_deployment_at_the_data_start_says_so(store, sources, name):
    # IPI's country files begin with the data (1990-11); Nepal and Bangladesh deployed
    # before, so their first month there is no first deployment
    raw = raw_rows(sources / f"ipi/tcc-datascraper/countries/{name}.csv")
    data_start = _data_start(sources)
    first = next(r["Date"][:7] for r in raw if num(r["Troops"]) + num(r["Police"]) + num(r["Experts"]) > 0)
    assert first == data_start  # the premise: personnel in the very first month
    p = store.country(name)
    assert p.facts["first_deployment"] == f"first month in the data (data start {data_start})"
    assert p.facts["first_month_in_data"] == first
    assert any(n.startswith(f"first_deployment: {first} is the first month") for n in p.notes)
    table = render_profile(p, "table")
    assert f"first month in the data (data start {data_start})" in table
    assert "2,0" not in next(line for line in table.splitlines() if "assessment_year" in line)


def _data_start(sources) -> str:
    """The first month of IPI's contributor files: the earliest date in any of them."""
    return min(min(r["Date"][:7] for r in raw_rows(path))
               for path in (sources / "ipi/tcc-datascraper/countries").glob("*.csv") if raw_rows(path))


def test_authorisations_name_their_span_and_a_mission_at_the_data_start_says_so(store, sources):
    import pyreadstat

    from bluehelmet.errors import NoDataError

    df, _ = pyreadstat.read_dta(str(sources / "mandates/Personnel_shortfall_data.dta"),
                                usecols=["mission", "year", "month"])
    months = sorted(f"{int(y)}-{int(m):02d}" for y, m in zip(df.year, df.month))
    own = sorted(f"{int(y)}-{int(m):02d}" for mi, y, m in zip(df.mission, df.year, df.month) if mi == "UNIFIL")
    span = f"authorised strength covers {months[0]}..{months[-1]}, UNIFIL {own[0]}..{own[-1]}"
    with pytest.raises(NoDataError) as exc:
        store.authorized("UNIFIL", month="2019-01")
    assert str(exc.value) == f"no authorised strength for UNIFIL at 2019-01; {span}"
    past = store.authorized("UNIFIL", start="2015-01", end="2016-12")
    assert past.notes == [f"asked 2015-01..2016-12; {span}"] and past.rows[-1]["month"] == own[-1]
    p = store.mission("UNIFIL")
    assert f"no authorised strength for UNIFIL at {p.month}; {span}" in p.notes
    pko = {r["mission_acronym"]: r for r in raw_rows(sources / "un/DPPADPOSS-PKO.csv")}
    start = pko["UNIFIL"]["start_date"]
    assert start < _data_start(sources)  # the premise: UNIFIL was there before the data begin
    assert (f"first_month_with_personnel: {_data_start(sources)} is the first month in the data (data start "
            f"{_data_start(sources)}); UNIFIL began {start}") in p.notes
