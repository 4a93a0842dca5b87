"""Rankings: one month, several months in one statement, and within groups."""

from __future__ import annotations

from datetime import date

import pytest

from bluehelmet.errors import QueryError
from bluehelmet.query.rank import ranked, standing


@pytest.mark.parametrize("iso3", ["CHN", "FRA", "NAM", "FJI"])
def test_standing_equals_one_ranking_per_month(store, iso3):
    decembers = [m for m in sorted(store.coverage["contributor"]) if m.month == 12][-8:]
    stood = standing(store, iso3, decembers, type="troops")
    assert [r["month"] for r in stood.rows] == [f"{m:%Y-%m}" for m in decembers]  # both grains
    for row in stood.rows:
        ranking = store.rank(month=row["month"], type="troops").rows
        mine = next((r for r in ranking if r["contributor"] == iso3), None)
        assert (row["rank"], row["of"]) == ((mine["rank"] if mine else None), len(ranking))
        assert row["personnel"] == (mine["personnel"] if mine else 0)
    assert {s.grain for s in stood.sources} == {"contributor", "detail"}


def test_ranking_within_a_group_is_ranking_its_members(store):
    everybody = store.rank(month="2013-12").rows
    members = store.members_during(["AU"], [date(2013, 12, 1)])
    assert ranked(r for r in everybody if r["contributor"] in members) == store.rank(month="2013-12", within="AU").rows


def test_ties_share_a_rank_and_top_keeps_them(store):
    rows = store.rank(month="2013-12", type="experts").rows
    tied = [r for r in rows if sum(1 for o in rows if o["personnel"] == r["personnel"]) > 1]
    assert tied, "the experts ranking of 2013-12 has ties"
    for r in tied:
        assert r["rank"] == 1 + sum(1 for o in rows if o["personnel"] > r["personnel"])
    cut = tied[0]["rank"]
    assert {r["contributor"] for r in store.rank(month="2013-12", type="experts", top=cut).rows} >= \
        {r["contributor"] for r in tied if r["rank"] == cut}


def test_months_list_equals_asking_month_by_month(store):
    asked = ["2004-06", "2010-12", "2013-12"]
    together = store.personnel(country=["P5"], months=asked, by=["month", "contributor"]).rows
    apart = [{"month": m, **r} for m in asked
             for r in store.personnel(country=["P5"], month=m, by=["contributor"]).rows]
    key = lambda r: (r["month"], r["contributor"])  # noqa: E731
    assert sorted(together, key=key) == sorted(apart, key=key)


def test_months_list_excludes_the_other_ways_of_asking(any_store):
    with pytest.raises(QueryError):
        any_store.personnel(months=["2013-12"], month="2013-12")
    with pytest.raises(QueryError):
        any_store.personnel(months=[])
