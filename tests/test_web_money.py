"""The money views (``query/money.py``) and their pages: who pays, China's finance, and the
money sections of the country and mission profiles.

Figures are checked against independent readings of the raw files, written here with
json and openpyxl only: the UN system's financial statistics (``donors-YYYY.json``), the
scale of assessments (CSV), the expenditure statements and AidData's global dataset.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from bluehelmet.cli import cli
from bluehelmet.web.app import create_app
from bluehelmet.web.charts import chart_rows

OPEN = "finance/un-open"
SCALE_CSV = "finance/un-scale/UNGA_scale_of_assessment.csv"
GLOBAL = "finance/aiddata/GlobalChineseOfficialFinanceDataset_v1.0.xlsx"
OFFICIAL_FLOWS = {"ODA-like", "OOF-like", "Vague (Official Finance)"}
# the five as the statistics name them, written by hand for this test
P5 = {"China", "France", "Russian Federation", "United Kingdom of Great Britain and Northern Ireland",
      "United States of America"}


# ---- independent readings of the raw files ---------------------------------------------

def _peacekeeping(sources: Path, year: int) -> dict[str, float]:
    """Every government's UN-DPO assessed contribution for the year, by the file's name."""
    donors = json.loads((sources / OPEN / f"donors-{year}.json").read_text(encoding="utf-8"))
    return {name: d["contributions"]["UN-DPO"]["Assessed"] for name, d in donors.items()
            if "Assessed" in d["contributions"].get("UN-DPO", {})}


def _regular_rate(sources: Path, member: str, year: int) -> float:
    """The scale CSV's rate for a year: its columns are the last years of the scale periods."""
    with (sources / SCALE_CSV).open(encoding="utf-8", newline="") as fh:
        rows = {r["Member State"]: r for r in csv.DictReader(fh)}
    ends = sorted(int(c) for c in rows[member] if c != "Member State")
    return float(rows[member][str(next(e for e in ends if e >= year))])


def _nodes(sources: Path, name: str) -> list[dict]:
    return json.loads((sources / OPEN / name).read_text(encoding="utf-8"))["nodes"]


@pytest.fixture(scope="module")
def aiddata(sources):
    """AidData's global dataset as counted by default: official finance (ODA-like, OOF-like,
    Vague), pledges, cancelled and suspended records and umbrella agreements left out."""
    import openpyxl

    wb = openpyxl.load_workbook(sources / GLOBAL, read_only=True, data_only=True)
    rows = list(wb["ChineseOfficialFinance1.0"].iter_rows(values_only=True))
    wb.close()
    head = rows[0]
    records = [dict(zip(head, r)) for r in rows[1:]]
    return [r for r in records if r["flow_class"] in OFFICIAL_FLOWS and r["status"] != "Pipeline: Pledge"
            and r["status"] not in ("Cancelled", "Suspended") and not r["umbrella"]]


def _usd(r: dict) -> float | None:
    """The record's constant 2014 dollars; None where AidData found no amount (a blank cell,
    or the text 'None')."""
    v = r["usd_defl_2014"]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    text = str(v or "").strip()
    return None if text in ("", "None") else float(text)


def _country(r: dict) -> str | None:
    """The recipient country of a record, or None for a regional or multi-country one."""
    return None if str(r["recipient_condensed"]).endswith(", regional") else r["recipient_iso3"]


@pytest.fixture(scope="module")
def client(built_db):
    with TestClient(create_app(built_db)) as c:
        yield c


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---- the pages and their twins ---------------------------------------------------------------

@pytest.mark.parametrize("page,columns", [
    ("/who-pays", "year,rank,member,member_name,share,amount_usd,regular_rate,ratio"),
    ("/who-pays?year=2014", "year,rank,member,member_name,share,amount_usd,regular_rate,ratio"),
    ("/who-pays?scale=regular&year=1990", "year,rank,member,member_name,share,amount_usd,payment_status,payment_date"),
    ("/finance", "year,recipient,recipient_name,usd,projects,no_amount"),
    ("/finance?recipient=Africa&from=2000&to=2011&dataset=1.0", "year,recipient,recipient_name,usd,projects,no_amount"),
])
def test_pages_render_with_their_twins(client, page, columns):
    path, _, query = page.partition("?")
    html = client.get(page)
    assert html.status_code == 200 and "<table" in html.text and 'class="chart"' in html.text
    assert 'href="/who-pays"' in html.text and 'href="/finance"' in html.text  # the nav links
    data = client.get(f"{path}.json" + (f"?{query}" if query else "")).json()
    assert data["ok"] is True and data["facts"]["definition"] and data["charts"]
    for table in data["tables"].values():  # every section names its sources and, but the versions, a definition
        assert table["notes"]
    table = client.get(f"{path}.csv" + (f"?{query}" if query else ""))
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert table.text.splitlines()[0] == columns
    rows = _csv(table.text)
    assert rows and all(r["year"] for r in rows)  # every CSV row carries its year


def test_the_pages_and_their_twins_are_in_openapi(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/who-pays", "/who-pays.{format}", "/finance", "/finance.{format}"} <= paths


def test_the_us_share_in_2014(client, sources):
    raw = _peacekeeping(sources, 2014)
    share = round(100 * raw["United States of America"] / sum(raw.values()), 4)
    assert share == 28.3842
    rows = _csv(client.get("/who-pays.csv?year=2014").text)
    us = next(r for r in rows if r["member"] == "USA")
    assert float(us["share"]) == share and us["rank"] == "1" and us["year"] == "2014"
    assert len(rows) == len(raw)
    page = client.get("/who-pays.json", params={"year": "2014"}).json()
    assert page["facts"]["total assessed (USD)"] == pytest.approx(sum(raw.values()), abs=0.01)
    assert page["facts"]["largest payer"] == f"United States ({share}%)"


def test_china_second_in_2024_and_the_default_year(client, sources):
    raw = _peacekeeping(sources, 2024)
    rank = 1 + sum(amount > raw["China"] for amount in raw.values())
    assert rank == 2
    default = client.get("/who-pays.json").json()  # no year: the latest the statistics cover, and said so
    assert default["facts"]["year"] == 2024 and any("latest year" in n for n in default["notes"])
    rows = _csv(client.get("/who-pays.csv").text)
    assert [r["member"] for r in rows[:2]] == ["USA", "CHN"] and rows[1]["rank"] == str(rank)
    assert {r["year"] for r in rows} == {"2024"}
    assert float(rows[1]["share"]) == round(100 * raw["China"] / sum(raw.values()), 4)


def test_the_p5_against_the_rest_every_year(client, store, sources):
    page = client.get("/who-pays.json").json()
    sides = {(r["year"], r["side"]): r for r in page["tables"]["p5_vs_rest"]["rows"]}
    group = {r["year"]: r for r in store.assessments(member="P5", start=2013, end=2024).rows}
    for year in range(2013, 2025):
        raw = _peacekeeping(sources, year)
        total = sum(raw.values())
        p5 = sum(v for k, v in raw.items() if k in P5)
        assert sides[(year, "P5")]["share"] == round(100 * p5 / total, 4) == group[year]["share"]
        assert sides[(year, "P5")]["amount_usd"] == pytest.approx(p5, abs=0.01)
        assert sides[(year, "others")]["share"] == round(100 * (total - p5) / total, 4)
        assert sides[(year, "others")]["members"] == len(raw) - 5
        # the premium the five pay is what the others' discounts come to
        assert sides[(year, "P5")]["ratio"] > 1 > sides[(year, "others")]["ratio"]


def test_shares_over_time_follow_the_years_ten_largest(client, sources):
    page = client.get("/who-pays.json", params={"year": "2014"}).json()
    raw = _peacekeeping(sources, 2014)
    top = sorted(raw, key=lambda k: -raw[k])[:10]
    series = page["tables"]["shares_over_time"]["rows"]
    assert len({r["member"] for r in series}) == 10 and {r["year"] for r in series} == set(range(2013, 2025))
    assert {r["member_name"] for r in series if r["year"] == 2014} == {
        next(r["member_name"] for r in page["tables"]["ranking"]["rows"] if r["rank"] == i + 1) for i in range(10)}
    china_2024 = next(r for r in series if r["member"] == "CHN" and r["year"] == 2024)
    raw24 = _peacekeeping(sources, 2024)
    assert china_2024["share"] == round(100 * raw24["China"] / sum(raw24.values()), 4)
    assert "United States of America" in top
    chart = page["charts"]["shares_over_time"]
    assert len(chart_rows(chart)) == len(series) and chart["layer"][0]["mark"]["type"] == "line"


def test_the_finance_page_against_the_raw_workbook(client, aiddata):
    page = client.get("/finance.json").json()
    assert page["facts"]["dataset"].startswith("AidData global-1.0")
    assert "pledges excluded" in page["facts"]["definition"] and "constant 2014 USD" in page["facts"]["definition"]
    per_year: dict[int, float] = defaultdict(float)
    per_country: dict[str, float] = defaultdict(float)
    for r in aiddata:
        per_year[int(r["year"])] += _usd(r) or 0.0
        if _country(r):
            per_country[_country(r)] += _usd(r) or 0.0
    got = {r["year"]: r["usd"] for r in page["tables"]["by_year"]["rows"]}
    assert set(got) == set(range(2000, 2015))
    for year, usd in got.items():
        assert usd == pytest.approx(per_year[year], abs=1)
    assert page["facts"]["usd"] == pytest.approx(sum(per_year.values()), abs=1)
    assert page["facts"]["projects"] == len(aiddata)
    leaders = sorted(per_country, key=lambda k: -per_country[k])[:5]
    assert [r["recipient"] for r in page["tables"]["by_recipient"]["rows"][:5]] == leaders
    # the CSV twin: one row per year and recipient, adding up to the year
    rows = _csv(client.get("/finance.csv").text)
    for year in (2000, 2009, 2014):
        assert sum(int(r["usd"] or 0) for r in rows if r["year"] == str(year)) == pytest.approx(per_year[year],
                                                                                              abs=len(rows))


def test_the_finance_page_states_another_version_when_asked(client):
    page = client.get("/finance.json", params={"recipient": "Africa", "from": "2000", "to": "2011",
                                               "dataset": "1.0"}).json()
    assert page["facts"]["dataset"].startswith("AidData 1.0") and page["facts"]["years"] == "2000-2011"
    assert page["facts"]["usd"] == 75_391_418_091  # docs/cli.md, finance: AidData's own $75.4 billion
    assert "constant 2009 USD" in page["facts"]["definition"]
    html = client.get("/finance", params={"dataset": "1.0", "recipient": "Africa"}).text
    assert "<option selected>1.0</option>" in html


def test_money_pages_refuse_what_the_data_do_not_cover(client):
    r = client.get("/who-pays.json", params={"year": "2012"})
    assert r.status_code == 404 and r.json()["kind"] == "NoDataError" and "2013-2024" in r.json()["error"]
    r = client.get("/finance.json", params={"recipient": "Peru", "dataset": "1.0"})
    assert r.status_code == 404 and "Africa only" in r.json()["error"]
    assert client.get("/who-pays", params={"year": "soon"}).status_code == 400
    assert client.get("/who-pays", params={"scale": "voluntary"}).status_code == 422


def test_money_pages_on_a_database_without_money(synthetic_db):
    with TestClient(create_app(synthetic_db)) as c:
        for path in ("/who-pays.json", "/finance.json"):
            r = c.get(path)
            assert r.status_code == 404 and r.json()["kind"] == "NoDataError"
        country = c.get("/countries/Ghana.json", params={"month": "2020-02"}).json()
        assert country["ok"] and any(n.startswith("assessments: ") for n in country["notes"])


# ---- the profiles' money sections --------------------------------------------------------------

def test_a_country_profile_has_its_assessments_on_both_scales(store, sources):
    p = store.country("United States")
    record = p.sections["assessments"]
    by_year = {r["year"]: r for r in record.rows}
    raw = _peacekeeping(sources, 2014)
    row = by_year[2014]
    assert row["peacekeeping_share"] == round(100 * raw["United States of America"] / sum(raw.values()), 4)
    assert row["peacekeeping_rank"] == 1
    assert row["peacekeeping_usd"] == pytest.approx(raw["United States of America"], abs=0.01)
    assert row["regular_rate"] == _regular_rate(sources, "United States of America", 2014) == 22.0
    assert row["ratio"] == round(row["peacekeeping_share"] / row["regular_rate"], 3)
    assert by_year[1946]["regular_rate"] == _regular_rate(sources, "United States of America", 1946)
    assert by_year[1946]["peacekeeping_share"] is None  # the statistics start in 2013
    # every section names its definition and its sources
    assert record.notes[0].startswith("peacekeeping_*") and record.notes[1].startswith("regular_*")
    paths = {s.path for s in record.sources}
    assert f"{OPEN}/donors-2014.json" in paths and any("un-scale" in path for path in paths)
    assert p.facts["assessment_year"] == 2024 and p.facts["peacekeeping_rank"] == 1


def test_chinas_rank_in_its_profile(store, sources):
    p = store.country("China")
    rows = {r["year"]: r for r in p.sections["assessments"].rows}
    for year, expected in ((2014, 6), (2024, 2)):
        raw = _peacekeeping(sources, year)
        assert rows[year]["peacekeeping_rank"] == 1 + sum(v > raw["China"] for v in raw.values()) == expected
    assert rows[2024]["regular_rate"] == _regular_rate(sources, "China", 2024)
    assert p.facts["peacekeeping_rank"] == 2
    # China is AidData's donor, never its recipient: the section is a note
    assert "finance_received" not in p.sections
    assert any(n.startswith("finance_received: AidData global-1.0 records no") for n in p.notes)


def test_a_country_profile_has_the_finance_it_received(store, aiddata):
    p = store.country("Angola")
    res = p.sections["finance_received"]
    per_year: dict[int, list[float | None]] = defaultdict(list)
    for r in aiddata:
        if _country(r) == "AGO":
            per_year[int(r["year"])].append(_usd(r))
    assert {r["year"] for r in res.rows} == set(per_year)
    for r in res.rows:
        amounts = [a for a in per_year[r["year"]] if a is not None]
        assert (r["projects"], r["no_amount"]) == (len(per_year[r["year"]]), len(per_year[r["year"]]) - len(amounts))
        # a year whose records give no amount has no sum (not 0: nothing is known)
        assert r["usd"] == (pytest.approx(sum(amounts), abs=1) if amounts else None)
    assert res.notes[0].startswith("definition: China's official finance") and "Angola" in res.notes[0]
    assert [s.path for s in res.sources] == [GLOBAL]


def test_a_mission_profile_has_its_spending(store, sources):
    p = store.mission("MINUSMA")
    audited = next(n for n in _nodes(sources, "budget-audited-pko-2023.json") if n.get("code") == "MINUSMA")
    assert audited["amount"] == 1_192_292_200
    years = {r["year"]: r for r in p.sections["spending_by_year"].rows}
    assert years["2022/23"]["expenditure_usd"] == audited["amount"]
    assert p.facts["expenditure_fiscal_year"] == "2022/23" and p.facts["expenditure_usd"] == audited["amount"]
    classes = {n["costClass"]: n["amount"] for n in _nodes(sources, "budget-pko-2022.json")
               if n.get("mission") == "MINUSMA" and n["kind"] == "class"}
    got = {r["class"]: r["expenditure_usd"] for r in p.sections["spending_by_class"].rows if r["year"] == "2022/23"}
    assert got == classes and sum(got.values()) == audited["amount"]
    assert p.sections["spending_by_year"].notes[0].startswith("expenditure (what was spent, not the approved budget)")
    assert {s.path for s in p.sections["spending_by_year"].sources} >= {f"{OPEN}/budget-audited-pko-2023.json"}


def test_a_mission_without_expenditure_says_so(store):
    p = store.mission("ONUB")
    assert "spending_by_year" not in p.sections
    assert any(n.startswith("spending: no expenditure figures for ONUB") for n in p.notes)


def test_the_profile_pages_chart_the_money(client):
    country = client.get("/countries/Angola.json").json()
    assert {"assessments", "finance_received"} <= set(country["tables"])
    assert {"assessments", "finance_received"} <= set(country["charts"])
    assert client.get("/countries/Angola.csv").text.splitlines()[0].startswith("year,month")  # the twin: by_year
    mission = client.get("/missions/MINUSMA.json").json()
    assert "spending_by_year" in mission["charts"] and "spending_by_class" in mission["tables"]


@pytest.mark.parametrize("args,sections", [(["country", "Angola"], ["assessments", "finance_received"]),
                                           (["mission", "MINUSMA"], ["spending_by_year", "spending_by_class"])])
def test_the_profile_verbs_show_the_money(built_db, args, sections):
    r = CliRunner().invoke(cli, [*args, "--db", str(built_db), "--format", "csv"])
    assert r.exit_code == 0, r.output
    for name in sections:
        assert f"# section: {name}" in r.output
    # the table format titles each section with its years (fiscal years for spending)
    table = CliRunner().invoke(cli, [*args, "--db", str(built_db)]).output
    title = {"assessments": "assessments: years ", "spending_by_year": "spending by year: fiscal years "}[sections[0]]
    assert title in table


# ---- the API -------------------------------------------------------------------------------------

def test_the_money_api_answers_as_the_library(client, store):
    r = client.get("/api/assessments", params={"country": "USA", "year": "2014"}).json()
    assert r["ok"] and r["rows"] == store.assessments(member="USA", year=2014).rows and r["rows"][0]["share"] == 28.3842
    table = client.get("/api/spending", params={"mission": "MINUSMA", "by": "year", "format": "csv"}).text
    assert "2022/23,audited,1192292200" in table.splitlines()
    r = client.get("/api/finance", params={"recipient": "Africa", "from": "2000", "to": "2011", "dataset": "1.0"})
    assert r.json()["rows"] == [{"years": "2000..2011", "usd": 75_391_418_091, "projects": 1422, "no_amount": 538}]
    bad = client.get("/api/spending", params={"year": "2023"})  # a bare year is ambiguous for a fiscal year
    assert bad.status_code == 400 and bad.json()["kind"] == "QueryError"
    assert client.get("/api/assessments", params={"scale": "voluntary"}).json()["kind"] == "ValidationError"
