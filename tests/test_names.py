"""Names resolve exactly or not at all: what people type (CLI -c, API country=, claims,
the web) answers only by an exact name, recorded alias, ISO3 code or M49 number; anything
else is an error proposing the closest names, ambiguous names list their readings, and
every answer echoes what each name was taken to mean."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import QueryError, UnknownNameError
from bluehelmet.reference import country_index

from .conftest import num, raw_rows


def run(built_db, *args):
    return CliRunner().invoke(cli, [*args, "--db", str(built_db)])


@pytest.mark.parametrize("name,near", [
    ("I hate France", "France"), ("Chinatown", "China"), ("Not China", "China"), ("Frankreich", None),
    ("Franc", "France"), ("the Netherlands please", "Netherlands"),
])
def test_anything_but_an_exact_name_is_an_error_proposing_the_closest(store, name, near):
    with pytest.raises(UnknownNameError) as e:
        store.personnel(country=[name], month="2013-12")
    assert not e.value.ambiguous
    if near is not None:
        assert near in e.value.candidates  # proposed, never answered
    # the library path that source files use may still recognise it; the user path never does
    assert country_index().lookup(name) is None


@pytest.mark.parametrize("name,readings", [
    ("Congo", {"COG", "COD"}), ("congo", {"COG", "COD"}), ("Korea", {"KOR", "PRK"}),
    ("Guinea", {"GIN", "GNB", "GNQ"}), ("NAM", {"NAM"}),
])
def test_ambiguous_names_list_their_readings(store, name, readings):
    with pytest.raises(UnknownNameError, match="ambiguous") as e:
        store.personnel(country=[name], month="2013-12")
    for code in readings:
        assert f"({code})" in str(e.value)
    # every name offered instead resolves, as it is, to one of the readings
    for candidate in e.value.candidates:
        kind, code = store.resolve_country(candidate)
        assert code in readings


@pytest.mark.parametrize("name,iso3", [
    ("COD", "COD"), ("cod", "COD"), ("DR Congo", "COD"), ("Democratic Republic of the Congo", "COD"),
    ("democratic republic of the congo", "COD"), ("Congo Republic", "COG"), ("Republic of the Congo", "COG"),
    ("Côte d'Ivoire", "CIV"), ("cote d ivoire", "CIV"), ("CÔTE-D'IVOIRE", "CIV"), ("384", "CIV"),
    ("250", "FRA"), ("  France ", "FRA"), ("Republic of Korea", "KOR"), ("Namibia", "NAM"),
    ("Soviet Union", "SUN"), ("USSR", "SUN"), ("Czechoslovakia", "CSK"), ("Sudan", "SDN"), ("736", "SDN"),
])
def test_exact_names_codes_and_aliases_resolve(store, name, iso3):
    assert store.resolve_country(name) == ("country", iso3)


@pytest.mark.parametrize("name,code", [
    ("Sub-Saharan Africa", "Sub-Saharan Africa"), ("sub saharan africa", "Sub-Saharan Africa"),
    ("Latin America and the Caribbean", "Latin America and the Caribbean"),
    ("Northern Africa", "Northern Africa"), ("South-eastern Asia", "South-eastern Asia"),
    ("Western Africa", "Western Africa"), ("P5", "P5"), ("permanent five", "P5"),
    ("Non-Aligned Movement", "NAM"),
])
def test_groups_resolve(store, name, code):
    assert store.resolve_country(name) == ("group", code)


def test_a_long_name_is_refused_at_once(store, built_db):
    name = "x" * 20_000 + "France"
    t0 = time.perf_counter()
    for call in (lambda: store.resolve_country(name), lambda: store.resolve_name(name),
                 lambda: store.resolve_mission(name), lambda: store.personnel(country=[name])):
        with pytest.raises(QueryError, match="too long"):
            call()
    assert time.perf_counter() - t0 < 0.5
    assert country_index().resolve(name) is None and country_index().lookup(name) is None
    p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "personnel", "-c", "a" * 300, "--db", str(built_db)],
                       capture_output=True, text=True)
    assert p.returncode != 0 and p.stderr.startswith("error: ") and "too long" in p.stderr
    assert p.stderr.count("\n") == 1


def test_cli_errors_exit_nonzero(built_db):
    for name, words in (("I hate France", "closest: France"), ("Congo", "ambiguous")):
        p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "personnel", "-c", name, "--db", str(built_db)],
                           capture_output=True, text=True)
        assert p.returncode != 0 and words in p.stderr, p.stderr


def test_answers_echo_the_resolved_entity(built_db, sources):
    r = run(built_db, "personnel", "-c", "france", "--month", "2013-12", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["query"]["resolved"] == [{"input": "france", "kind": "country", "code": "FRA", "name": "France"}]
    raw = sum(num(x["Total Total"]) for x in raw_rows(sources / "ipi/tcc-datascraper/Gender.Full.csv")
              if x["Contributor ISO-3"] == "FRA" and x["Date"].startswith("2013-12"))
    assert data["rows"][0]["personnel"] == raw
    table = run(built_db, "personnel", "-c", "dr congo", "--month", "2013-12")
    assert "asked: 'dr congo' = DR Congo (COD)" in table.output
    ranked = json.loads(run(built_db, "rank", "--month", "2013-12", "--within", "p5", "--format", "json").output)
    assert ranked["query"]["resolved"] == [{"input": "p5", "kind": "group", "code": "P5",
                                            "name": "Permanent members of the UN Security Council"}]
    deaths = json.loads(run(built_db, "fatalities", "--nationality", "india", "--from", "2010-01", "--to", "2010-12",
                            "--format", "json").output)
    assert deaths["query"]["resolved"][0]["code"] == "IND"


def test_claims_resolve_exactly_and_echo(store):
    from bluehelmet.claims import check

    v = check(store, "personnel(Chinatown, 2013-12) > 3")
    assert v.verdict == "unknown" and "China" in v.candidates
    v = check(store, "personnel(Congo, 2013-12) > 3")
    assert v.verdict == "unknown" and "ambiguous" in (v.reason or "")
    v = check(store, "personnel(dr congo, 2013-12) > 3")
    assert v.verdict == "true" and v.as_dict()["resolved"][0]["code"] == "COD"


def test_the_api_resolves_exactly(built_db):
    from fastapi.testclient import TestClient

    from bluehelmet.web.app import create_app

    with TestClient(create_app(built_db)) as client:
        bad = client.get("/api/personnel", params={"country": "I hate France", "month": "2013-12"})
        assert bad.status_code == 404 and "France" in bad.json()["candidates"]
        both = client.get("/api/personnel", params={"country": "Congo", "month": "2013-12"})
        assert both.status_code == 404 and "ambiguous" in both.json()["error"]
        long = client.get("/api/personnel", params={"country": "y" * 5000})
        assert long.status_code == 400 and "too long" in long.json()["error"]
        ok = client.get("/api/personnel", params={"country": "COD", "month": "2013-12"}).json()
        assert ok["query"]["resolved"][0] == {"input": "COD", "kind": "country", "code": "COD", "name": "DR Congo"}
