"""Countries, aliases, history and groups."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from bluehelmet.reference import country_index, group_index, name_key

from .conftest import raw_rows


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
