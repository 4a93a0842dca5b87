"""The latest month is one month per grain, the same on every surface; every answer names its month.

The expected month is computed here from the database with plain SQL: the last month of
the ``coverage`` table over the grains able to answer the question (written out below, not
taken from ``vocab``), or a non-personnel table's last month as ``source_file`` records it.
Every reading verb's CSV, with no month given, must have a ``month`` column whose every
row holds that month; the JSON names it at the top and in each row; the table's first line
says it. The web's CSV twins and API answers are held to the same.
"""

from __future__ import annotations

import csv
import io
import itertools
import json

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from bluehelmet.cli import cli
from bluehelmet.query.coverage import latest_month
from bluehelmet.web.app import create_app

# which stored grains can tell apart what a question needs, written out independently of
# bluehelmet.vocab (detail tells apart everything; the coarse grains one thing each)
ABLE = {
    "world": ("detail", "contributor", "mission", "world"),
    "contributor": ("detail", "contributor"),
    "mission": ("detail", "mission"),
    "detail": ("detail",),
}


def _sql(db, sql: str, *params):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def last_of(db, question: str) -> str:
    """The last month any grain able to answer ``question`` holds, in plain SQL."""
    grains = ABLE[question]
    (month,), = _sql(db, f"SELECT strftime(max(month), '%Y-%m') FROM coverage "
                         f"WHERE grain IN ({', '.join('?' * len(grains))})", *grains)
    return month


def last_of_table(db, table: str) -> str:
    (month,), = _sql(db, "SELECT strftime(max(coverage_to), '%Y-%m') FROM source_file WHERE target = ?", table)
    return month


def run(db, *args: str) -> str:
    r = CliRunner().invoke(cli, [*args, "--db", str(db)])
    # check exits 0, 1 or 2 by its verdict (SystemExit); anything else raised is a bug
    assert r.exception is None or isinstance(r.exception, SystemExit), (r.output, r.exception)
    return r.output


def csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(text.strip())))
    return header, rows


# (verb and options with no month, the question's grain, or a table)
READING = [
    (["personnel"], "world"),
    (["personnel", "-c", "China"], "contributor"),
    (["personnel", "-c", "P5", "--by", "contributor"], "contributor"),
    (["personnel", "--by", "mission"], "mission"),
    (["personnel", "-m", "UNIFIL"], "mission"),
    (["personnel", "-m", "UNIFIL", "--by", "contributor,type"], "detail"),
    (["personnel", "--type", "troops"], "world"),
    (["personnel", "-c", "China", "--type", "troops"], "contributor"),
    (["personnel", "--type", "formed-police", "--by", "contributor"], "detail"),
    (["personnel", "--type", "staff-officers"], "detail"),
    (["personnel", "--by", "gender"], "detail"),
    (["personnel", "--by", "region"], "contributor"),
    (["rank"], "contributor"),
    (["rank", "--top", "10"], "contributor"),
    (["rank", "--within", "Africa", "--type", "police"], "contributor"),
    (["rank", "--type", "individual-police", "--top", "5"], "detail"),
    (["missions"], "mission"),
    (["missions", "--type", "troops"], "mission"),
    (["sites"], "table:deployment_site"),
    (["sites", "-c", "Bangladesh"], "table:deployment_site"),
    (["check", "troops(China) > troops(P5 - China)"], "contributor"),
    (["check", "personnel() > 50000"], "world"),
    (["check", "deployed(UNIFIL) ~ 10000"], "mission"),
    (["check", "rank(India) <= 10"], "contributor"),
    (["check", "share(troops, Africa) > 40%"], "contributor"),
]


def expected(db, question: str) -> str:
    return last_of_table(db, question[6:]) if question.startswith("table:") else last_of(db, question)


@pytest.mark.parametrize("args,question", READING, ids=[" ".join(a) for a, _ in READING])
def test_no_month_answers_for_the_latest_month_of_its_grain_and_every_csv_row_names_it(built_db, args,
                                                                                     question):
    month = expected(built_db, question)
    header, rows = csv_rows(run(built_db, *args, "--format", "csv"))
    assert "month" in header, header
    assert rows, "an answer for the latest month has rows"
    assert {row[header.index("month")] for row in rows} == {month}
    if args[0] != "check":  # a verdict's JSON is the verdict; its month is checked below
        data = json.loads(run(built_db, *args, "--format", "json"))
        assert data["month"] == month and data["month_note"]
        assert all(r["month"] == month for r in data["rows"])
        assert run(built_db, *args).splitlines()[0].startswith(f"month {month}, the latest month")
    else:
        assert json.loads(run(built_db, *args, "--format", "json"))["month"] == month


def test_the_readmes_first_command_says_it_answers_for_the_latest_month(built_db):
    """``bluehelmet rank --top 10``: its first line names the month, the last one any grain
    that knows contributors holds (2025-07 in the real data)."""
    first = run(built_db, "rank", "--top", "10").splitlines()[0]
    month = last_of(built_db, "contributor")
    assert first.startswith(f"month {month}, ") and month >= "2025-07"


def test_personnel_country_and_rank_agree_on_the_month(store, built_db):
    """The brief's example: plain personnel, one country and the ranking, asked without a
    month, answer for one and the same month (each its grain's last, equal today)."""
    months = {store.personnel().month, store.personnel(country=["China"]).month, store.rank().month,
              store.mission_list().month}
    assert months == {last_of(built_db, "world")} == {last_of(built_db, "contributor")}


@pytest.mark.parametrize("needs", [set(c) for n in range(5) for c in
                                   itertools.combinations(("contributor", "mission", "gender", "fine_types"), n)])
def test_latest_month_is_the_coverage_tables_last_month_of_the_able_grains(store, built_db, needs):
    question = ("detail" if needs & {"gender", "fine_types"} or {"contributor", "mission"} <= needs else
                "contributor" if "contributor" in needs else "mission" if "mission" in needs else "world")
    assert f"{latest_month(store, needs):%Y-%m}" == last_of(built_db, question)


# the profiles' money sections (query/money.py): per calendar or fiscal year, never per month
MONEY = ("assessments", "finance_received", "spending_")


@pytest.mark.parametrize("verb,name", [("mission", "UNIFIL"), ("country", "China"), ("country", "Nepal")])
def test_a_profile_with_personnel_now_is_for_the_latest_month_in_every_section(built_db, verb, name):
    month = last_of(built_db, "mission" if verb == "mission" else "contributor")
    data = json.loads(run(built_db, verb, name, "--format", "json"))
    assert data["month"] == data["facts"]["month"] == month
    for section, res in data["sections"].items():
        if section.startswith("fatalities"):  # deaths are counted over the whole list: a period
            assert res["query"]["from"] and res["query"]["to"]
            continue
        if section.startswith(MONEY):  # money is yearly: each row names its (fiscal) year, the answer its span
            assert "year" in res["columns"] and res["query"]["from"] and res["query"]["to"], section
            continue
        assert "month" in res["columns"], section
        if res["month"] is not None:  # an answer at one month: the profile's
            assert res["month"] == month and all(r["month"] == month for r in res["rows"]), section
    blocks = run(built_db, verb, name, "--format", "csv").split("# section: ")
    for block in blocks[1:]:
        section, _, body = block.partition("\n")
        if not section.startswith(("fatalities", *MONEY)):
            assert csv_rows(body)[0].count("month") == 1, section
    assert run(built_db, verb, name).splitlines()[0].endswith(f": month {month}")


def test_a_mission_without_personnel_now_answers_for_its_own_last_month_and_says_so(built_db):
    """MINUSMA left Mali in 2023; the reports count its last people in 2024-10. Its profile
    is for that month in every section, a note says why, and a question about it with no
    month is for the latest month, with nobody, and a note naming its last month."""
    (own,), = _sql(built_db, """SELECT strftime(max(month), '%Y-%m') FROM (
        SELECT month FROM personnel WHERE mission = 'MINUSMA' AND total > 0
        UNION ALL SELECT month FROM personnel_mission WHERE mission = 'MINUSMA' AND total > 0)""")
    latest = last_of(built_db, "mission")
    assert own < latest
    data = json.loads(run(built_db, "mission", "MINUSMA", "--format", "json"))
    assert data["month"] == data["facts"]["month"] == data["facts"]["last_month_with_personnel"] == own
    assert any(f"no personnel after {own}" in n and latest in n for n in data["notes"])
    for section in ("deployed", "contributors", "sites"):
        rows = data["sections"][section]["rows"]
        assert rows and {r["month"] for r in rows} == {own}, section
    header, rows = csv_rows(run(built_db, "personnel", "-m", "MINUSMA", "--format", "csv"))
    assert header == ["month", "personnel"] and rows == []
    answer = json.loads(run(built_db, "personnel", "-m", "MINUSMA", "--format", "json"))
    assert answer["month"] == latest and any(f"the last month with any is {own}" in n for n in answer["notes"])


def test_sites_of_one_mission_are_its_last_map_and_closed_missions_are_left_out(built_db):
    (own,), = _sql(built_db, "SELECT strftime(max(map_date), '%Y-%m') FROM deployment_site "
                             "WHERE mission = 'UNAVEM III'")
    data = json.loads(run(built_db, "sites", "-m", "UNAVEM III", "--format", "json"))
    assert data["month"] == own and "its last map" in data["month_note"]
    every = json.loads(run(built_db, "sites", "--format", "json"))
    assert "UNAVEM III" not in {r["mission"] for r in every["rows"]}
    assert any(n.startswith(f"left out, not active at {every['month']}") and "UNAVEM III" in n for n in every["notes"])


def test_ranges_and_years_name_their_months(built_db):
    header, rows = csv_rows(run(built_db, "personnel", "-c", "Ghana", "--from", "2009-09", "--to", "2009-12",
                                "--by", "contributor", "--format", "csv"))
    assert header[0] == "month" and [r[0] for r in rows] == ["2009-09", "2009-10", "2009-11", "2009-12"]
    header, rows = csv_rows(run(built_db, "personnel", "--from", "2012-01", "--to", "2014-06", "--by", "year",
                                "--format", "csv"))
    assert header == ["year", "month", "personnel"]
    assert [r[:2] for r in rows] == [["2012", "2012-12"], ["2013", "2013-12"], ["2014", "2014-06"]]
    header, _ = csv_rows(run(built_db, "personnel", "--from", "2012-01", "--to", "2014-06", "--by", "year",
                             "--year-agg", "mean", "--format", "csv"))
    assert header == ["year", "personnel"]  # a mean is of no one month


def test_factcheck_rows_name_their_month(built_db):
    r = CliRunner().invoke(cli, ["factcheck", "-", "--as-of", "2014-01", "--db", str(built_db), "--format", "csv"],
                           input="Ghana sends many. China had 2,078 peacekeepers in December 2013.")
    header, rows = csv_rows(r.output)
    # the first names no month and none came before: it speaks from --as-of
    assert header[:3] == ["n", "sentence", "month"] and [row[2] for row in rows] == ["2014-01", "2013-12"]


@pytest.fixture(scope="module")
def client(built_db):
    with TestClient(create_app(built_db)) as c:
        yield c


WEB = [("/api/personnel?format=csv", "world"), ("/api/personnel?country=China&format=csv", "contributor"),
       ("/api/personnel?mission=UNIFIL&by=contributor&format=csv", "detail"),
       ("/api/rank?format=csv", "contributor"), ("/api/missions?format=csv", "mission"),
       ("/api/sites?format=csv", "table:deployment_site"),
       ("/index.csv", "contributor"), ("/rankings.csv", "contributor"),
       ("/missions/UNIFIL.csv", "mission"), ("/countries/China.csv", "contributor")]


@pytest.mark.parametrize("url,question", WEB, ids=[u for u, _ in WEB])
def test_web_csv_twins_and_api_answers_name_the_latest_month(client, built_db, url, question):
    month = expected(built_db, question)
    r = client.get(url)
    assert r.status_code == 200
    header, rows = csv_rows(r.text)
    assert "month" in header and rows
    if url.startswith("/countries/"):  # a country's page is its record, year by year, to that month
        assert rows[-1][header.index("month")] == month
    else:
        assert {row[header.index("month")] for row in rows} == {month}
    if url.startswith("/api/"):
        body = client.get(url.replace("format=csv", "format=json")).json()
        assert body["month"] == month and all(row["month"] == month for row in body["rows"])


def test_web_pages_name_the_month_of_every_table(client, built_db):
    month = last_of(built_db, "contributor")
    html = client.get("/").text
    assert f"top contributors: month {month}" in html and f"missions: month {last_of(built_db, 'mission')}" in html
    assert f"rankings: month {month}" in client.get("/rankings").text
    page = client.get("/missions/MINUSMA.json").json()
    own = page["facts"]["month"]
    assert page["title"].endswith(f", {own}") and own < last_of(built_db, "mission")
    assert all(t["month"] in (own, None) for t in page["tables"].values())


# every reading verb's CSV: each row names its month, year, fiscal year or the period it sums
TIMED = [
    ["personnel", "-c", "China", "--from", "2013-01", "--to", "2013-03"],
    ["rank", "--month", "2013-12", "--top", "3"],
    ["missions", "--month", "2013-12"],
    ["sites", "-m", "MINUSMA"],
    ["fatalities"], ["fatalities", "--by", "cause"], ["fatalities", "--by", "year"],
    ["fatalities", "-m", "MINUSMA", "--by", "nationality"],
    ["assessments", "--top", "3"], ["assessments", "-c", "China", "--from", "2013", "--to", "2015"],
    ["spending", "-m", "MINUSMA"], ["spending", "--by", "class"],
    ["finance"], ["finance", "--by", "recipient", "--top", "3"], ["finance", "--by", "year"],
    ["check", "fatalities(mission=MINUSMA, 2013-01..2015-06) > 50"],
]
_TIME_COLUMNS = ("month", "year", "period", "years")


def _timed(header: list[str], rows: list[list[str]]) -> None:
    at = next((header.index(c) for c in _TIME_COLUMNS if c in header), None)
    assert at is not None, header
    assert rows and all(row[at] for row in rows), (header, rows[:3])


@pytest.mark.parametrize("args", TIMED, ids=[" ".join(a) for a in TIMED])
def test_every_csv_row_names_its_time(built_db, args):
    _timed(*csv_rows(run(built_db, *args, "--format", "csv")))


@pytest.mark.parametrize("verb,name", [("mission", "MINUSMA"), ("country", "Nepal")])
def test_every_csv_section_of_a_profile_names_its_time(built_db, verb, name):
    text = run(built_db, verb, name, "--format", "csv")
    blocks = text.split("# section: ")[1:]
    assert blocks
    for block in blocks:
        title, body = block.split("\n", 1)
        header, rows = csv_rows(body)
        if rows:
            _timed(header, rows)


@pytest.mark.parametrize("url", ["/api/fatalities?format=csv", "/api/fatalities?by=cause&format=csv",
                                 "/api/finance?format=csv", "/api/assessments?format=csv",
                                 "/api/spending?format=csv", "/who-pays.csv", "/finance.csv"])
def test_web_csv_rows_name_their_time(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.text
    _timed(*csv_rows(r.text))
