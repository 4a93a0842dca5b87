"""Historical states: the USSR, Czechoslovakia, Yugoslavia (SFRY; FRY / Serbia and
Montenegro) are entities with validity periods. The sources file their personnel under
today's names (IPI's "Russian Federation" of 1990-11); ``reference/data/attribution.csv``
attributes each dated row to the state that existed at its date, once, at normalisation,
and every remapping is a finding. Asking for the old state returns its figures; asking for
the successor before it existed says whom to ask; group memberships follow the dates."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bluehelmet.errors import NoDataError
from bluehelmet.reference import attributions, country_index, group_index

from .conftest import num, raw_rows

DATA = Path(__file__).parents[1] / "src/bluehelmet/reference/data"


def _country_file(sources: Path, name: str) -> dict[str, int]:
    """Month -> troops + police + experts of one IPI country file (TCC-DataScraper)."""
    return {r["Date"][:7]: num(r["Troops"]) + num(r["Police"]) + num(r["Experts"])
            for r in raw_rows(sources / f"ipi/tcc-datascraper/countries/{name}.csv")}


def test_the_soviet_union_answers_with_the_rows_filed_under_russia(store, sources):
    russia = _country_file(sources, "Russian Federation")
    for month in ("1990-11", "1990-12", "1991-06", "1991-11"):
        res = store.personnel(country=["Soviet Union"], month=month)
        assert res.scalar() == russia[month] > 0, month
        assert any("attributed" in n for n in res.notes)
        assert res.sources[0].path.endswith("Russian Federation.csv")
    # 1991-12 is Russia's: the USSR ended on 1991-12-25, and the figure is the month's end
    assert store.personnel(country=["Russia"], month="1991-12").scalar() == russia["1991-12"]
    with pytest.raises(NoDataError, match=r"Soviet Union \(SUN\)"):
        store.personnel(country=["Russian Federation"], month="1990-12")
    with pytest.raises(NoDataError, match=r"ask for Russia \(RUS\)"):
        store.personnel(country=["USSR"], month="1995-06")


def test_czechoslovakia_before_1993_the_czech_republic_after(store, sources, built_db):
    czech = _country_file(sources, "Czech Republic")
    assert czech["1992-06"] == 531
    assert store.personnel(country=["Czechoslovakia"], month="1992-06").scalar() == czech["1992-06"]
    assert store.personnel(country=["CSK"], month="1992-12").scalar() == czech["1992-12"]
    assert store.personnel(country=["Czech Republic"], month="1993-01").scalar() == czech["1993-01"]
    with pytest.raises(NoDataError, match=r"exists from 1993-01-01.*Czechoslovakia \(CSK\)"):
        store.personnel(country=["Czech Republic"], month="1992-06")
    # a range across the split: the months before are a note, not zeros
    res = store.personnel(country=["Czech Republic"], start="1992-11", end="1993-02")
    assert [r["month"] for r in res.rows] == ["1993-01", "1993-02"]
    assert any("1992-11..1992-12" in n and "CSK" in n for n in res.notes)
    p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "personnel", "-c", "Czech Republic", "--month",
                        "1992-06", "--db", str(built_db)], capture_output=True, text=True)
    assert p.returncode != 0 and "Czechoslovakia (CSK)" in p.stderr, p.stderr


def test_yugoslavia_serbia_and_montenegro_serbia_by_date(store, sources):
    serbia = _country_file(sources, "Serbia")
    assert store.personnel(country=["Yugoslavia"], month="1990-11").scalar() == serbia["1990-11"] > 0
    assert store.personnel(country=["Serbia and Montenegro"], month="1992-10").scalar() == serbia["1992-10"]
    assert store.personnel(country=["SCG"], month="2004-06").scalar() == serbia["2004-06"]
    assert store.personnel(country=["Serbia"], month="2006-06").scalar() == serbia["2006-06"]
    with pytest.raises(NoDataError, match=r"Serbia and Montenegro \(SCG\)"):
        store.personnel(country=["Serbia"], month="2004-06")
    with pytest.raises(NoDataError, match=r"Yugoslavia \(YUG\)"):
        store.personnel(country=["Serbia"], month="1991-03")


def test_p5_follows_the_soviet_seat(store, sources, built_db):
    files = {"CHN": "China", "FRA": "France", "GBR": "United Kingdom", "USA": "United States of America",
             "SUN": "Russian Federation"}
    want = {iso3: _country_file(sources, name)["1990-12"] for iso3, name in files.items()}
    res = store.rank(month="1990-12", within="P5")
    assert {r["contributor"]: r["personnel"] for r in res.rows} == want
    assert len(res.rows) == 5
    later = {r["contributor"] for r in store.rank(month="1992-06", within="P5").rows}
    assert "RUS" in later and "SUN" not in later
    out = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "rank", "--month", "1990-12", "--within", "P5",
                          "--format", "json", "--db", str(built_db)], capture_output=True, text=True).stdout
    assert [r["contributor_name"] for r in json.loads(out)["rows"]].count("Soviet Union") == 1


def test_every_remapping_is_a_finding_with_its_rows(built_db, sources):
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    found = con.execute("""SELECT s.relpath, f.count, f.message FROM finding f JOIN source_file s USING (source_id)
                           WHERE f.kind = 'attributed'""").fetchall()
    con.close()
    by_file: dict[str, int] = {}
    for path, n, _ in found:
        by_file[path] = by_file.get(path, 0) + n
    russia = _country_file(sources, "Russian Federation")
    assert by_file["ipi/tcc-datascraper/countries/Russian Federation.csv"] == sum(
        1 for m in russia if m <= "1991-11")
    czech = _country_file(sources, "Czech Republic")
    assert by_file["ipi/tcc-datascraper/countries/Czech Republic.csv"] == sum(1 for m in czech if m <= "1992-12")
    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8", newline="") as fh:
        early_russia = sum(1 for r in csv.DictReader(fh)
                           if r["isocode3"] == "RUS" and r["incident_date"][:10] < "1991-12-26")
    assert by_file["un/DPPADPOSS-FATALITIES.csv"] >= early_russia >= 1
    assert all("attribution.csv" in msg for _, _, msg in found)


def test_no_table_holds_a_state_where_it_holds_no_figures_of_its_own(store):
    for table, code in (("personnel", "contributor"), ("personnel_contributor", "contributor"),
                        ("fatality_month", "nationality")):
        cells = store.con.execute(f"SELECT DISTINCT {code}, month FROM {table} WHERE {code} IN "
                                  "('RUS','SUN','CZE','SVK','CSK','SRB','MNE','YUG','SCG','SSD')").fetchall()
        assert cells, table
        wrong = [(c, m) for c, m in cells if store.own_records(c, [m])]
        assert wrong == [], (table, wrong[:5])


def test_sudan_is_one_state_and_says_what_it_covered(store):
    res = store.personnel(country=["Sudan"], month="2010-12")
    assert any("South Sudan" in n for n in res.notes)
    assert not any("South Sudan" in n for n in store.personnel(country=["Sudan"], month="2013-12").notes)
    with pytest.raises(NoDataError, match=r"ask for Sudan \(SDN\)"):
        store.personnel(country=["South Sudan"], month="2011-06")


def test_the_attribution_table_is_consistent():
    idx = country_index()
    rules = attributions().rules
    assert rules
    for r in rules:
        assert r.iso3 in idx.countries and r.attributed in idx.countries, r
        state = idx.countries[r.attributed]
        # the state a row is given to existed throughout the rule's window
        if state.valid_from and r.start:
            assert state.valid_from <= r.start, r
        if state.valid_to:
            assert r.end is not None and r.end <= state.valid_to, r
    # one rule at most per code and day
    for a in rules:
        for b in rules:
            if a is not b and a.iso3 == b.iso3 and a.layouts == b.layouts:
                assert (a.end or "9999") < (b.start or "0000") or (b.end or "9999") < (a.start or "0000"), (a, b)
    with (DATA / "attribution.csv").open(encoding="utf-8", newline="") as fh:
        assert all(row["why"] for row in csv.DictReader(fh))


def test_group_memberships_follow_the_dates():
    g = group_index()
    assert "SUN" in g.members_at("P5", "1991-11-30") and "RUS" not in g.members_at("P5", "1991-11-30")
    assert "RUS" in g.members_at("P5", "1991-12-31") and "SUN" not in g.members_at("P5", "1991-12-31")
    assert "CSK" in g.members_at("Europe", "1992-06-30") and "CSK" not in g.members_at("Europe", "1993-06-30")


def test_deaths_are_the_state_of_the_day(store, sources):
    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    soviet = sum(1 for r in rows if r["isocode3"] == "RUS" and r["incident_date"][:10] < "1991-12-26")
    fry = sum(1 for r in rows if r["isocode3"] in ("YUG", "SCG") and "1992-04-27" <= r["incident_date"][:10] < "2006-06-05"
              and r["casualty_nationality"] != "Montenegro")
    assert soviet >= 1 and fry >= 7

    def total(name: str, start: str, end: str):
        res = store.fatalities(nationality=[name], start=start, end=end)
        return sum(r["fatalities"] for r in res.rows), res.notes

    assert total("USSR", "1948-01", "1991-12")[0] == soviet
    n, notes = total("Russia", "1980-01", "1991-11")
    assert n == 0 and any("ask for Soviet Union (SUN)" in x for x in notes)
    assert total("Serbia and Montenegro", "1992-05", "2006-05")[0] == fry
