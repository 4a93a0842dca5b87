"""Shares: countries and groups side by side, each against everybody that month."""

from __future__ import annotations

from .conftest import num, raw_rows


def test_shares_against_the_raw_detail(store, sources):
    raw = [r for r in raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv") if r["Date"] == "2013-12-31"]
    world = sum(num(r["Troops Total"]) for r in raw)
    china = sum(num(r["Troops Total"]) for r in raw if r["Contributor ISO-3"] == "CHN")
    res = store.shares(["China", "P5"], start="2013-06", end="2013-12", type="troops")
    row = next(r for r in res.rows if r["month"] == "2013-12" and r["who"] == "China")
    assert (row["personnel"], row["everybody"]) == (china, world)
    assert row["share_pct"] == round(100 * china / world, 2)
    assert {r["who"] for r in res.rows} == {"China", "P5"} and len(res.rows) == 14  # 7 months each
    p5 = next(r for r in res.rows if r["month"] == "2013-12" and r["who"] == "P5")
    assert china < p5["personnel"] < world
    assert res.sources and res.query["from"] == "2013-06"


def test_everybody_over_the_whole_span_is_read_once_and_stays_right(store, sources):
    # the default span's denominator is kept per open database (query/shares.py); asked
    # twice, and for two different comparisons, it is the raw detail's total each time
    raw = [r for r in raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv") if r["Date"] == "2013-12-31"]
    world = sum(num(r["Troops Total"]) for r in raw)
    for names in (["China", "P5"], ["India", "AU"], ["China", "P5"]):
        res = store.shares(names, type="troops")
        at = [r for r in res.rows if r["month"] == "2013-12"]
        assert at and all(r["everybody"] == world for r in at), names
        assert res.query["from"] < "2013-12" < res.query["to"]
    # another type is another series, not the kept one
    police = store.shares(["China"], type="police")
    assert all(r["everybody"] != world for r in police.rows if r["month"] == "2013-12")
