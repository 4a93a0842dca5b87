"""Countries, aliases, history and groups."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from bluehelmet.reference import country_index, group_index, name_key

from .conftest import num, raw_rows


@pytest.mark.parametrize("name,iso3", [
    ("Russian Federation", "RUS"), ("United States of America", "USA"), ("Côte d'Ivoire", "CIV"),
    ("Cote d Ivoire", "CIV"), ("DR Congo", "COD"), ("Republic of Korea", "KOR"),
    ("The former Yugoslav Republic o", "MKD"), ("Namibia", "NAM"), ("NAM", "NAM"), ("Soviet Union", "SUN"),
    ("Yugoslavia", "YUG"), ("Czechoslovakia", "CSK"),
])
def test_aliases(name, iso3):
    assert country_index().resolve(name) == iso3


def test_unknown_is_not_guessed():
    idx = country_index()
    assert idx.resolve("Atlantis") is None
    assert "China" in idx.suggest("Chna")


def test_historical_states_have_successors():
    c = country_index().countries["SUN"]
    assert c.historical and "RUS" in c.successors and c.region == "Europe"


def test_every_contributor_in_the_sources_resolves(sources):
    idx = country_index()
    names = {p.stem for p in (sources / "ipi/tcc-datascraper/countries").glob("*.csv")}
    names |= {p.stem for p in (sources / "ipi/ppp-loader/countries").glob("*.csv") if p.name != ".csv"}
    names |= {r["Contributor"] for r in raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv")}
    unresolved = sorted(n for n in names if idx.resolve(n) is None)
    assert unresolved == []


def test_group_validity():
    g = group_index()
    assert g.members_at("P5", "1990-06-30") == {"CHN", "FRA", "GBR", "USA", "SUN"}
    assert g.members_at("P5", "2013-12-31") == {"CHN", "FRA", "GBR", "USA", "RUS"}
    assert "GBR" not in g.members_at("EU", "2021-01-31")
    assert len(g.members_at("A3", "2013-07-01")) == 3
    assert g.resolve("Arab League") == "ARAB_LEAGUE" and g.resolve("african union") == "AU"
    for code in ("P5", "G4", "A3", "AU", "EU", "NATO", "ASEAN", "G77", "NAM", "OIC", "ARAB_LEAGUE",
                 "Africa", "Western Africa", "South America"):
        assert code in g.groups, code


@given(st.text(max_size=40))
def test_name_key_is_idempotent_and_ascii(text):
    k = name_key(text)
    assert name_key(k) == k
    assert k == k.strip() and "  " not in k


def test_spellings_met_are_recorded_with_their_file(built_db):
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute("""SELECT DISTINCT c.spelling FROM country_spelling c WHERE iso3 = 'MKD'""").fetchall()
    assert {"Macedonia", "The former Yugoslav Republic o"} <= {r[0] for r in rows}
    where = con.execute("""SELECT s.relpath FROM country_spelling c JOIN source_file s USING (source_id)
                           WHERE c.spelling = 'The former Yugoslav Republic o' ORDER BY 1""").fetchall()
    # the truncated name is both a file name and a Gender.Full.csv spelling
    assert where == [("ipi/tcc-datascraper/Gender.Full.csv",),
                     ("ipi/tcc-datascraper/countries/The former Yugoslav Republic o.csv",)]
    con.close()


# UN M49 (unstats.un.org/unsd/methodology/m49), written out here independently of
# country_converter's table, which the package derives the groups from
M49_SUB_SAHARAN = {
    # Eastern Africa (014)
    "BDI", "COM", "DJI", "ERI", "ETH", "KEN", "MDG", "MWI", "MUS", "MYT", "MOZ", "REU", "RWA", "SYC", "SOM",
    "SSD", "UGA", "TZA", "ZMB", "ZWE", "IOT", "ATF",
    # Middle Africa (017)
    "AGO", "CMR", "CAF", "TCD", "COG", "COD", "GNQ", "GAB", "STP",
    # Southern Africa (018)
    "BWA", "SWZ", "LSO", "NAM", "ZAF",
    # Western Africa (011)
    "BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER", "NGA", "SHN", "SEN",
    "SLE", "TGO",
}
M49_NORTHERN_AFRICA = {"DZA", "EGY", "LBY", "MAR", "SDN", "TUN", "ESH"}


def test_m49_sub_regions_are_groups_with_m49_membership():
    import pycountry

    g = group_index()
    members = g.members_at(g.resolve("Sub-Saharan Africa"), "2013-12-31")
    # beyond M49's list only codes that are not ISO 3166 countries (country_converter's extras)
    assert M49_SUB_SAHARAN <= members
    assert all(pycountry.countries.get(alpha_3=c) is None for c in members - M49_SUB_SAHARAN), \
        members - M49_SUB_SAHARAN
    assert g.members_at("Northern Africa", "2013-12-31") == M49_NORTHERN_AFRICA
    assert g.members_at("Africa", "2013-12-31") >= M49_SUB_SAHARAN | M49_NORTHERN_AFRICA
    lac = g.members_at(g.resolve("latin america and the caribbean"), "2013-12-31")
    assert {"MEX", "BRA", "HTI", "CUB", "GTM", "ARG", "JAM"} <= lac and not {"USA", "CAN", "ESP"} & lac
    assert g.members_at("South-eastern Asia", "2013-12-31") == {
        "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM"}
    assert g.groups["Sub-Saharan Africa"].kind == "subregion"
    assert g.groups["Western Africa"].kind == "intermediate region"
    # South Sudan counts from the day it exists only through the data; Sudan is never Sub-Saharan
    assert "SDN" not in members


def test_sub_saharan_africa_sums_its_members(store, sources):
    rows = raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv")
    want = sum(num(r["Total Total"]) for r in rows
               if r["Date"].startswith("2013-12") and r["Contributor ISO-3"] in M49_SUB_SAHARAN)
    assert store.personnel(country=["Sub-Saharan Africa"], month="2013-12").scalar() == want > 30_000


def test_user_lookup_is_exact_while_source_resolution_may_pattern_match():
    idx = country_index()
    assert idx.resolve("Not China") == "CHN"  # a source spelling: recorded and reported by the build
    assert idx.lookup("Not China") is None  # what a person typed: never guessed
    assert idx.lookup("x" * 201) is None and idx.resolve("x" * 20_000) is None
    assert idx.readings("Congo") == ("COD", "COG") and idx.readings("France") == ()


@given(st.text(max_size=300))
def test_lookup_never_raises(text):
    idx = country_index()
    assert idx.lookup(text) is None or idx.lookup(text) in idx.countries
    idx.readings(text)
