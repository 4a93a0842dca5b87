"""Personnel queries against independent sums over the raw files."""

from __future__ import annotations

import pytest

from bluehelmet.errors import NoDataError, QueryError, UnknownNameError

from .conftest import num, raw_rows


@pytest.fixture(scope="module")
def gender_full(sources):
    return raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv")


def _sum(rows, month, iso3=None, mission=None, column="Total Total"):
    return sum(num(r[column]) for r in rows if r["Date"] == month
               and (iso3 is None or r["Contributor ISO-3"] in iso3) and (mission is None or r["Mission"] == mission))


def test_china_december_2013_matches_raw_detail(store, gender_full):
    res = store.personnel(country=["China"], month="2013-12")
    assert res.scalar() == _sum(gender_full, "2013-12-31", {"CHN"})
    assert res.grains[0]["grain"] == "detail"
    assert [s.path for s in res.sources] == ["ipi/tcc-datascraper/Gender.Full.csv"]
    assert len(res.sources[0].sha256) == 64


def test_by_mission_and_type_sum_to_total(store, gender_full):
    res = store.personnel(country=["CHN"], month="2013-12", by=["mission", "type"])
    assert sum(r["personnel"] for r in res.rows) == _sum(gender_full, "2013-12-31", {"CHN"})
    unmil = {r["type"]: r["personnel"] for r in res.rows if r["mission"] == "UNMIL"}
    assert unmil["troops"] == _sum(gender_full, "2013-12-31", {"CHN"}, "UNMIL", "Troops Total")
    assert unmil["formed-police"] == _sum(gender_full, "2013-12-31", {"CHN"}, "UNMIL", "Formed Police Units Total")


def test_p5_least_and_group_sum(store, gender_full):
    p5 = {"CHN", "FRA", "GBR", "USA", "RUS"}
    res = store.personnel(country=["P5"], month="2013-12", by=["contributor"])
    expected = {c: _sum(gender_full, "2013-12-31", {c}) for c in p5}
    assert {r["contributor"]: r["personnel"] for r in res.rows} == expected
    least = min(expected, key=expected.get)
    ranked = store.rank(month="2013-12", within="P5")
    assert ranked.rows[-1]["contributor"] == least and ranked.rows[-1]["rank"] == 5
    # several --country values without --by contributor: their sum, each country once
    both = store.personnel(country=["P5", "China", "France"], month="2013-12").scalar()
    assert both == sum(expected.values())


def test_region_and_continent_groups(store, gender_full):
    res = store.personnel(country=["Africa"], month="2013-12", by=["subregion"])
    total = store.personnel(country=["Africa"], month="2013-12").scalar()
    assert sum(r["personnel"] for r in res.rows) == total
    assert {"Western Africa", "Eastern Africa"} <= {r["subregion"] for r in res.rows}


def test_gender_split_matches_raw(store, gender_full):
    res = store.personnel(month="2013-12", by=["gender"])
    got = {r["gender"]: r["personnel"] for r in res.rows}
    assert got["female"] == _sum(gender_full, "2013-12-31", column="Total Female")
    assert got["male"] == _sum(gender_full, "2013-12-31", column="Total Male")


def test_before_detail_uses_country_files(store, sources):
    raw = raw_rows(sources / "ipi/tcc-datascraper/countries/China.csv")
    row = next(r for r in raw if r["Date"] == "2003-01-31")
    res = store.personnel(country=["China"], month="2003-01")
    assert res.grains[0]["grain"] == "contributor"
    assert res.scalar() == num(row["Troops"]) + num(row["Police"]) + num(row["Experts"])


def test_range_is_month_by_month_and_spans_grains(store):
    res = store.personnel(country=["China"], start="2009-09", end="2009-12")
    assert [r["month"] for r in res.rows] == ["2009-09", "2009-10", "2009-11", "2009-12"]
    assert {g["grain"] for g in res.grains} == {"contributor", "detail"}
    assert any("month by month" in n for n in res.notes)


def test_year_views(store, sources):
    raw = {r["Date"][:7]: num(r["Troops"]) + num(r["Police"]) + num(r["Experts"])
           for r in raw_rows(sources / "ipi/tcc-datascraper/countries/Ghana.csv")}
    dec = store.personnel(country=["Ghana"], start="2004-01", end="2006-12", by=["year"])
    assert {r["year"]: r["personnel"] for r in dec.rows} == {y: raw[f"{y}-12"] for y in (2004, 2005, 2006)}
    mx = store.personnel(country=["Ghana"], start="2005-01", end="2005-12", by=["year"], year_agg="max")
    assert mx.rows[0]["personnel"] == max(v for k, v in raw.items() if k.startswith("2005"))
    mean = store.personnel(country=["Ghana"], start="2005-01", end="2005-12", by=["year"], year_agg="mean")
    assert mean.rows[0]["personnel"] == round(sum(v for k, v in raw.items() if k.startswith("2005")) / 12)


def test_group_membership_is_dated(store):
    # the EU had 15 members in 2003 and 28 in 2013: Poland is only in the later one
    early = store.personnel(country=["EU"], month="2003-01", by=["contributor"])
    late = store.personnel(country=["EU"], month="2013-12", by=["contributor"])
    assert "POL" not in {r["contributor"] for r in early.rows}
    assert "POL" in {r["contributor"] for r in late.rows}


def test_world_totals_after_detail_ends(store, sources):
    raw = {r["Date"][:7]: r for r in raw_rows(sources / "ipi/ppp-loader/data_monthly.csv")}
    res = store.personnel(month="2016-06", by=["type"])
    got = {r["type"]: r["personnel"] for r in res.rows}
    assert got["troops"] == int(raw["2016-06"]["Troop Contributions"])
    # the finest grain covering 2016-06: the official reports' detail (IPI's ends 2014-08),
    # whose staff officers count among troops as in IPI's totals
    assert res.grains[0]["grain"] == "detail"
    # 2016-03 has no report: IPI's mission totals answer, the finest grain covering it
    res = store.personnel(month="2016-03", by=["type"])
    got = {r["type"]: r["personnel"] for r in res.rows}
    assert got["troops"] == int(raw["2016-03"]["Troop Contributions"])
    assert res.grains[0]["grain"] == "mission"


def test_errors_are_specific(any_store):
    with pytest.raises(UnknownNameError) as e:
        any_store.personnel(country=["Chna"], month="2013-12")
    assert "China" in e.value.candidates
    with pytest.raises(UnknownNameError):
        any_store.personnel(mission=["MINUSMAA"], month="2013-12")
    with pytest.raises(QueryError):
        any_store.personnel(month="2013-13")
    with pytest.raises(QueryError):
        any_store.personnel(start="2014-01", end="2013-01")
    with pytest.raises(NoDataError):
        any_store.personnel(type="staff-officers", month="2013-12")
    with pytest.raises(NoDataError):
        any_store.personnel(country=["China"], month="1985-01")


def test_results_convert(store):
    res = store.personnel(country=["P5"], month="2013-12", by=["contributor"])
    assert res.to_arrow().num_rows == 5
    assert list(res.to_pandas()["personnel"]) == [r["personnel"] for r in res.rows]
    assert res.to_polars().height == 5


def test_contributor_missing_from_one_country_file_comes_from_the_other(store, sources):
    # TCC-DataScraper's Switzerland.csv has a single month; PPP_Loader's has them all
    assert len(raw_rows(sources / "ipi/tcc-datascraper/countries/Switzerland.csv")) == 1
    raw = {r["Date"][:7]: r for r in raw_rows(sources / "ipi/ppp-loader/countries/Switzerland.csv")}
    res = store.personnel(country=["Switzerland"], month="2005-06")
    assert res.scalar() == sum(num(raw["2005-06"][c]) for c in ("Troops", "Police", "Experts"))
    assert [s.path for s in res.sources] == ["ipi/ppp-loader/countries/Switzerland.csv"]


def test_two_files_for_one_contributor_are_not_double_counted(store, sources):
    raw = {r["Date"][:7]: r for r in raw_rows(sources / "ipi/tcc-datascraper/countries/Macedonia.csv")}
    res = store.personnel(country=["North Macedonia"], month="2013-09")
    assert res.scalar() == num(raw["2013-09"]["Troops"])


def test_nam_is_ambiguous_and_namibia_stays_namibia(store, sources):
    with pytest.raises(UnknownNameError, match="ambiguous") as e:
        store.personnel(country=["NAM"], month="2013-12")
    assert e.value.candidates == ["Namibia", "Non-Aligned Movement"]
    raw = {r["Date"][:7]: num(r["Troops"]) + num(r["Police"]) + num(r["Experts"])
           for r in raw_rows(sources / "ipi/tcc-datascraper/countries/Namibia.csv")}
    profile = store.country("Namibia", month="2008-06")
    assert profile.facts["personnel"] == raw["2008-06"]
    assert any(r["group"] == "NAM" for r in profile.sections["rank_within_groups"].rows)
