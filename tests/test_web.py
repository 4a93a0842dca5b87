"""The HTTP API in-process: answers, CSV twins, OpenAPI, and one error shape for every error."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from bluehelmet.web.app import create_app
from bluehelmet.web.charts import chart_rows

from .conftest import BOTH_DATABASES


@pytest.fixture(scope="module")
def client(built_db):
    with TestClient(create_app(built_db)) as c:
        yield c


@pytest.fixture(scope="module")
def synthetic_client(synthetic_db):
    with TestClient(create_app(synthetic_db)) as c:
        yield c


@pytest.fixture(params=BOTH_DATABASES)
def any_client(request):
    """The app over the SYNTHETIC database and, when the data is there, over the real one:
    for what does not depend on the numbers (error shapes, the schema, static files)."""
    return request.getfixturevalue("synthetic_client" if request.param == "synthetic" else "client")


def test_personnel_matches_the_library(client, store):
    r = client.get("/api/personnel", params={"country": "P5", "month": "2013-12", "by": "contributor"})
    assert r.status_code == 200
    body = r.json()
    expected = store.personnel(country=["P5"], month="2013-12", by=["contributor"])
    assert body["ok"] is True and body["rows"] == expected.rows
    assert body["sources"][0]["path"] == "ipi/tcc-datascraper/Gender.Full.csv"


@pytest.mark.parametrize("url", ["/api/rank?month=2013-12&top=5&format=csv",
                                 "/api/personnel?country=China&from=2013-01&to=2013-06&format=csv",
                                 "/api/sites?mission=MINUSMA&month=2015-06&format=csv",
                                 "/api/fatalities?mission=MINUSMA&by=year&format=csv",
                                 "/api/sources?view=reconciliation&format=csv"])
def test_csv_twins(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)


def test_profiles_and_claims(client):
    m = client.get("/api/missions/MINUSMA", params={"month": "2014-06"}).json()
    assert m["facts"]["authorized"] == 12640 and "contributors" in m["sections"]
    c = client.get("/api/countries/Ghana").json()
    assert c["facts"]["country"] == "GHA"
    v = client.get("/api/check", params={"claim": "troops(China, 2014-01) > troops(P5 - China, 2014-01)"}).json()
    assert v["verdict"] == "true" and v["sources"]


@pytest.mark.parametrize("url,status,kind", [
    ("/api/personnel?country=Atlantis&month=2013-12", 404, "UnknownNameError"),
    ("/api/personnel?month=2013-13", 400, "QueryError"),
    ("/api/personnel?type=sailors", 422, "ValidationError"),
    ("/api/personnel?country=China&month=1985-01", 404, "NoDataError"),
    ("/api/rank?top=0", 422, "ValidationError"),
    ("/api/check?claim=troops(China%202014-01)%20%3E%203", 400, "ClaimSyntaxError"),
    ("/api/personnel?country=NAM&month=2013-12", 404, "UnknownNameError"),  # Namibia or the NAM
    ("/api/nowhere", 404, "HTTPError"),
])
def test_every_error_has_one_shape(any_client, url, status, kind):
    r = any_client.get(url)
    assert r.status_code == status
    body = r.json()
    assert body["ok"] is False and body["status"] == status and body["kind"] == kind
    assert isinstance(body["error"], str) and "\n" not in body["error"]


def test_openapi_describes_every_route_and_takes_no_sql(any_client):
    spec = any_client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/personnel", "/api/rank", "/api/sources", "/api/missions/{acronym}", "/api/countries/{name}",
            "/api/sites", "/api/fatalities", "/api/check"} <= paths
    params = {p["name"] for path in spec["paths"].values() for op in path.values() for p in op.get("parameters", [])}
    assert not params & {"sql", "query", "q"}


def test_every_page_and_its_twins_are_in_openapi(client):
    spec = client.get("/openapi.json").json()
    pages = {"/", "/countries/{name}", "/missions/{acronym}", "/rankings", "/compare", "/check", "/sources",
             "/coverage", "/who-pays", "/finance"}
    twins = {("/index" if p == "/" else p) + ".{format}" for p in pages}
    assert pages | twins <= set(spec["paths"])
    twin = {p["name"]: p for p in spec["paths"]["/countries/{name}.{format}"]["get"]["parameters"]}
    assert twin["format"]["in"] == "path" and twin["format"]["schema"]["enum"] == ["json", "csv"]
    assert "format" not in {p["name"] for p in spec["paths"]["/countries/{name}"]["get"]["parameters"]}
    assert not [p for p in spec["paths"] if p.startswith("/{")]  # no catch-all route


def test_only_json_and_csv_are_twins(client):
    # any other suffix is part of the name, so the page (HTML) says the name is unknown
    r = client.get("/countries/Atlantis.xml")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "Atlantis.xml" in r.text
    assert client.get("/nowhere").status_code == 404
    # found by schemathesis once the pages were in OpenAPI: "²" passed str.isdigit, then int() raised
    assert client.get("/rankings", params={"top": "²"}).status_code == 200


@pytest.mark.parametrize("page", ["/", "/countries/Ghana", "/missions/MINUSMA?month=2014-06", "/countries",
                                  "/missions?q=congo", "/fatalities?mission=MINUSMA", "/api",
                                  "/sites?mission=MINUSMA&month=2015-06",
                                  "/rankings?month=2013-12&within=P5", "/compare?country=China&country=P5",
                                  "/check?claim=troops(China,%202014-01)%20%3E%203", "/sources", "/coverage",
                                  "/who-pays?year=2014", "/finance?recipient=Africa"])
def test_pages_and_their_twins(client, page):
    path, _, query = page.partition("?")
    html = client.get(page)
    assert html.status_code == 200 and "<table" in html.text and "/static/vendor/vega.min.js" in html.text
    twin = "/index" if path == "/" else path
    data = client.get(f"{twin}.json" + (f"?{query}" if query else ""))
    assert data.status_code == 200 and data.json()["ok"] is True
    table = client.get(f"{twin}.csv" + (f"?{query}" if query else ""))
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")


def test_assets_are_served_locally(any_client):
    for asset in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "countries-110m.json", "countries-50m.json"):
        r = any_client.get(f"/static/vendor/{asset}")
        assert r.status_code == 200 and len(r.content) > 50_000


def test_page_errors_are_readable_html_and_twins_stay_json(any_client):
    r = any_client.get("/countries/Atlantis")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html") and "Atlantis" in r.text
    j = any_client.get("/countries/Atlantis.json")
    assert j.status_code == 404 and j.json()["kind"] == "UnknownNameError"


def test_huge_limits_are_refused_not_crashes(any_client):
    # found by schemathesis: a limit past int64 reached DuckDB and became a 500
    r = any_client.get("/api/sources", params={"view": "quarantine", "limit": str(2**63)})
    assert r.status_code == 422 and r.json()["kind"] == "ValidationError"


def test_response_cache_replays_only_successful_gets(built_db):
    from bluehelmet.web.app import create_server_app

    app = create_server_app(built_db)
    with TestClient(app) as c:
        first = c.get("/api/rank?month=2013-12&top=3")
        second = c.get("/api/rank?month=2013-12&top=3")
        assert first.headers["x-cache"] == "miss" and second.headers["x-cache"] == "hit"
        assert first.content == second.content
        bad1 = c.get("/api/personnel?country=Atlantis")
        bad2 = c.get("/api/personnel?country=Atlantis")
        assert bad1.status_code == bad2.status_code == 404 and bad2.headers["x-cache"] == "miss"
    assert app.app.hits == 1  # the cache, behind the hygiene layer


def test_json_carries_dates_and_has_no_nan():
    import datetime
    import json
    from decimal import Decimal

    from bluehelmet.web.responses import Json

    body = json.loads(Json({"d": datetime.date(2013, 12, 1), "x": float("nan"), "i": float("inf"),
                            "n": Decimal("1.5")}).body)
    assert body == {"d": "2013-12-01", "x": None, "i": None, "n": 1.5}


def test_table_cells_are_escaped():
    from bluehelmet.query.result import Result
    from bluehelmet.web.pages import tbody

    html = str(tbody(Result(["name", "personnel"], [{"name": "<script>x</script>", "personnel": 1234}]), 10))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<td>1,234</td>" in html


def test_serve_with_two_workers(built_db, tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    exe = Path(sys.executable).with_name("bluehelmet")
    missing = subprocess.run([exe, "serve", "--workers", "2", "--db", tmp_path / "none.duckdb"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1
    assert "Traceback" not in missing.stderr

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([exe, "serve", "--workers", "2", "--db", built_db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/rank?month=2013-12&top=1", timeout=5)
                break
            except httpx.TransportError:
                assert time.time() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.3)
        assert r.status_code == 200 and r.json()["rows"][0]["contributor"] == "PAK"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_search_box_leads_to_a_page_or_the_closest_names(client):
    to = lambda q: client.get("/go", params={"q": q}, follow_redirects=False)  # noqa: E731
    assert to("minusma").headers["location"] == "/missions/MINUSMA"
    assert to("Ghana").headers["location"] == "/countries/Ghana"
    assert to("P5").headers["location"] == "/compare?country=P5"  # a group's page is its line in compare
    miss = to("minusm")
    assert miss.status_code == 404 and 'href="/missions/MINUSMA"' in miss.text
    assert 'href="/countries/Ghana"' in to("ghan").text
    both = to("NAM")  # Namibia or the Non-Aligned Movement: a link to each
    assert 'href="/countries/Namibia"' in both.text and 'href="/compare?country=Non-Aligned%20Movement"' in both.text


def test_coverage_page_and_api_agree_with_the_library(client, store):
    spans = store.coverage_spans()
    page = client.get("/coverage.json").json()
    assert page["ok"] is True and page["tables"]["coverage"]["rows"] == spans.rows
    assert page["facts"]["gaps"] == (", ".join(
        f"{r['domain']} {r['grain']} {r['first_month']}" + ("" if r["months"] == 1 else f"..{r['last_month']}")
        for r in spans.rows if r["status"] == "gap") or "none")
    table = client.get("/coverage.csv")
    assert table.text.splitlines()[0] == "domain,grain,status,first_month,last_month,months,layouts,files,note"
    assert len(table.text.strip().splitlines()) == len(spans.rows) + 1
    api = client.get("/api/sources", params={"view": "coverage"}).json()
    assert api["rows"] == spans.rows


def test_coverage_page_on_any_database(any_client):
    html = any_client.get("/coverage")
    assert html.status_code == 200 and 'href="/coverage"' in html.text
    page = any_client.get("/coverage.json").json()
    api = any_client.get("/api/sources", params={"view": "coverage", "format": "csv"})
    assert api.status_code == 200 and len(api.text.strip().splitlines()) == len(page["tables"]["coverage"]["rows"]) + 1


def test_a_month_in_a_gap_is_a_404_naming_the_nearest_months(client):
    r = client.get("/api/personnel", params={"country": "China", "month": "2014-09"})
    assert r.status_code == 404 and r.json()["kind"] == "NoDataError"
    assert "2014-08 (before)" in r.json()["error"]


def test_the_overview_map_shows_only_missions_active_then(client, store):
    data = client.get("/index.json").json()
    month = data["facts"]["latest month with contributors"]
    shown = {p["mission"] for p in data["charts"]["missions_map"]["datasets"]["chart"]}
    from bluehelmet.months import parse_month

    assert shown and not shown & set(store.not_active(parse_month(month), shown))



def test_claim_errors_carry_column_and_suggestion(any_client):
    r = any_client.get("/api/check", params={"claim": "troops(China, 2014-01) => 3"})
    body = r.json()
    assert r.status_code == 400 and body["kind"] == "ClaimSyntaxError" and body["column"] == 24
    assert body["suggestion"] == "did you mean '>='?" and body["detail"][1] == " " * 23 + "^"
    deep = any_client.get("/api/check", params={"claim": "+".join(["1"] * 999) + ">3"})  # issue 13's RecursionError
    assert deep.status_code == 400 and deep.json()["kind"] == "ClaimSyntaxError"
    page = any_client.get("/check", params={"claim": "troops(China, 2014-01) => 3"})
    assert page.status_code == 400 and "did you mean" in page.text and "^" in page.text


def test_partial_periods_show_on_pages_and_twins(client, sources):
    import csv as csvmod

    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8-sig", newline="") as fh:
        last = max(r["incident_date"][:10] for r in csvmod.DictReader(fh) if r["incident_date"])
    flag = f"{last[:4]} is covered only to {last}"
    page = client.get("/check", params={"claim": f"fatalities({last[:4]}-01..{last[:4]}-12) > 0"})
    assert page.status_code == 200 and flag in page.text
    assert flag in client.get("/missions/MINUSMA").text
    twin = client.get("/api/fatalities", params={"by": "year", "format": "csv"}).text.splitlines()
    assert twin[0] == "year,coverage,fatalities" and twin[-1].startswith(f"{last[:4]},covered only to {last},")


# ---- prose: POST /api/factcheck and the /check page's text form --------------------------

# verdicts that hold under any reasonable reading: a figure the data states exactly, and a
# sentence with no figure at all
TRUE_SENTENCE = "China had 2,078 peacekeepers in December 2013."
NARRATIVE = "The mission was set up to protect civilians."
PROSE = f"{TRUE_SENTENCE} {NARRATIVE}"


def test_factcheck_api_answers_sentence_by_sentence(client, store):
    r = client.post("/api/factcheck", json={"text": PROSE, "as_of": "2014-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] is True and body["as_of"] == "2014-01"
    sentences = body["sentences"]
    assert [s["sentence"] for s in sentences] == [TRUE_SENTENCE, NARRATIVE]
    assert [s["verdict"] for s in sentences] == ["true", "not checked"]
    assert body["summary"] == {"true": 1, "false": 0, "unknown": 0, "not checked": 1}
    first = sentences[0]
    assert first["checks"] and first["checks"][0]["verdict"]["verdict"] == "true"
    assert first["checks"][0]["verdict"]["sources"][0]["path"]
    for s in sentences:  # a number's offsets are in its sentence, and cut out its text
        for n in s["numbers"]:
            assert 0 <= n["start"] < n["end"] <= len(s["sentence"]) and s["sentence"][n["start"]:n["end"]] == n["text"]
        for c in s["checks"]:
            assert all(0 <= i < len(s["numbers"]) for i in c["numbers"])
    # without a month or a dateline, the text is read as of the latest month with data
    latest = client.post("/api/factcheck", json={"text": NARRATIVE}).json()
    assert latest["as_of"] == f"{store.latest_month():%Y-%m}"


def test_factcheck_csv_has_a_row_per_claim_and_a_file_name(client):
    as_json = client.post("/api/factcheck", json={"text": PROSE, "as_of": "2014-01"}).json()
    r = client.post("/api/factcheck", params={"format": "csv"}, data={"text": PROSE, "as_of": "2014-01"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="factcheck-2014-01.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["n", "sentence", "month", "claim", "verdict", "left", "right", "why"]
    # a row per claim, and one for a sentence that made none
    assert len(rows) == sum(max(1, len(s["checks"])) for s in as_json["sentences"])
    assert [(r["n"], r["verdict"]) for r in rows] == [("1", "true"), ("2", "not checked")]


def _one_line_error(r, status, kind):
    body = r.json()
    assert r.status_code == status and body["ok"] is False and body["status"] == status and body["kind"] == kind
    assert isinstance(body["error"], str) and "\n" not in body["error"]


def test_factcheck_refuses_too_long_texts_and_bodies(any_client):
    from bluehelmet.web.prose import MAX_BODY_BYTES, MAX_PROSE_CHARS

    _one_line_error(any_client.post("/api/factcheck", json={"text": "x" * (MAX_PROSE_CHARS + 1)}), 413,
                    "ContentTooLarge")
    # refused on its declared length, before it is read
    _one_line_error(any_client.post("/api/factcheck", content=b"x" * (MAX_BODY_BYTES + 1),
                                    headers={"content-type": "application/json"}), 413, "ContentTooLarge")


def test_a_streamed_body_is_dropped_once_past_the_limit(synthetic_db):
    import asyncio

    from bluehelmet.web.prose import MAX_BODY_BYTES

    app = create_app(synthetic_db)
    chunk, pulled, sent = 100_000, 0, []

    async def receive():  # an endless body with no Content-Length
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/factcheck", "raw_path": b"/api/factcheck", "root_path": "", "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413 and pulled == MAX_BODY_BYTES // chunk + 1


@pytest.mark.parametrize("body,media", [(b'{"text": "caf\xe9"}', "application/json"),  # Latin-1, not UTF-8
                                        (b"text=caf%E9", "application/x-www-form-urlencoded")])
def test_factcheck_refuses_a_body_that_is_not_utf8(any_client, body, media):
    r = any_client.post("/api/factcheck", content=body, headers={"content-type": media})
    _one_line_error(r, 400, "BadRequest")
    assert "UTF-8" in r.json()["error"]


@pytest.mark.parametrize("kwargs,status,kind", [
    ({"json": {"text": "x", "as_of": "2014-13"}}, 400, "QueryError"),
    ({"json": {"as_of": "2014-01"}}, 400, "BadRequest"),
    ({"json": ["x"]}, 400, "BadRequest"),
    ({"json": {"text": 3}}, 400, "BadRequest"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "BadRequest"),
    ({"content": b"x", "headers": {"content-type": "text/plain"}}, 415, "UnsupportedMediaType"),
])
def test_factcheck_errors_have_the_one_shape(any_client, kwargs, status, kind):
    _one_line_error(any_client.post("/api/factcheck", **kwargs), status, kind)


def test_factcheck_is_in_openapi_and_posts_are_never_cached(built_db):
    from bluehelmet.web.app import create_server_app

    app = create_server_app(built_db)
    with TestClient(app) as c:
        spec = c.get("/openapi.json").json()
        assert "post" in spec["paths"]["/api/factcheck"] and "post" in spec["paths"]["/check"]
        for _ in range(2):
            r = c.post("/api/factcheck", json={"text": TRUE_SENTENCE, "as_of": "2014-01"})
            assert r.status_code == 200 and "x-cache" not in r.headers
    assert app.app.hits == 0 and not [k for k in app.app.entries if k.startswith(b"/api/factcheck")]


def test_check_page_shows_the_text_sentence_by_sentence(client):
    r = client.post("/check", data={"text": PROSE, "as_of": "2014-01"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert html.count('class="sentence verdict-true"') == 1 and html.count('class="sentence verdict-not-checked"') == 1
    assert '<span class="verdict-label">true</span>' in html  # a label, not colour alone
    assert "ipi/tcc-datascraper/Gender.Full.csv" in html  # the claim's source
    assert f">{PROSE}</textarea>" in html  # the form keeps the text
    assert '<span class="count verdict-true">1 true</span>' in html
    # the page's data: the same text posted to the API
    assert 'action="/api/factcheck?format=csv"' in html and f'name="text" value="{PROSE}"' in html


@pytest.mark.parametrize("fields,status,message", [
    ({"text": PROSE, "as_of": "2014-13"}, 400, "bad month"),
    ({"text": "Too long. " * 20_001, "as_of": "2014-01"}, 413, "at most 200,000"),
])
def test_check_page_errors_keep_the_form_and_the_text(any_client, fields, status, message):
    r = any_client.post("/check", data=fields)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    error = [line for line in r.text.splitlines() if 'class="error"' in line]
    assert len(error) == 1 and message in error[0]
    assert f">{fields['text']}</textarea>" in r.text and 'class="sentence' not in r.text


def test_check_page_marks_each_number_where_it_stands(synthetic_client, monkeypatch):
    # the page reads only the model (claims/prose/model.py), whatever extraction fills it
    from bluehelmet.claims import prose
    from bluehelmet.claims.evaluate import Verdict
    from bluehelmet.claims.prose import Check, Number, Sentence

    text = "About 9,000 <b>troops</b> served in June 2014, up 5%."
    at = lambda s: (text.index(s), text.index(s) + len(s))  # noqa: E731
    numbers = [Number("9,000", *at("9,000"), 9000.0, "persons", "troops", approx="about", role="claimed"),
               Number("2014", *at("2014"), 2014.0, "year", role="date"),
               Number("000", *at("000"), 0.0, "other"),  # overlaps 9,000: listed, not marked twice
               Number("5%", *at("5%"), 5.0, "percent")]
    verdict = Verdict("deployed(MINUSMA, 2014-06) ~ 9000", "false", left=9277.0, op="~", right=9000.0,
                      reason="off by 3%")
    sentence = Sentence(text, numbers=numbers, checks=[Check(verdict.claim, verdict, [0], note="a note")],
                        month="2014-06")
    monkeypatch.setattr(prose, "factcheck", lambda db, text, as_of: [sentence])
    html = synthetic_client.post("/check", data={"text": text, "as_of": "2014-06"}).text
    assert ('About <mark class="num role-claimed used" title="about 9000 persons (troops), claimed">9,000</mark>'
            ' &lt;b&gt;troops&lt;/b&gt; served in June <mark class="num role-date" title="2014 year, date">2014</mark>'
            ', up <mark class="num role-ignored" title="5 percent, ignored">5%</mark>.') in html
    assert 'class="sentence verdict-false"' in html and "<td>9,277</td>" in html and "off by 3%; a note" in html


# ---- issue 15: pages that fit a screen ------------------------------------------------------

def test_new_pages_and_their_twins_are_in_openapi(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    for page in ("/countries", "/missions", "/fatalities", "/sites", "/api"):
        assert {page, page + ".{format}"} <= paths


def test_countries_index_agrees_with_the_ranking_and_the_country_page(client, store):
    data = client.get("/countries.json").json()
    rows = data["tables"]["countries"]["rows"]
    ranking = store.rank()
    # every contributor of the latest month is a row with its rank and personnel, and only they have one
    assert {r["contributor"]: (r["rank"], r["personnel"]) for r in rows if r["personnel"] is not None} == {
        r["contributor"]: (r["rank"], r["personnel"]) for r in ranking.rows}
    listed = {r["contributor"] for r in rows}
    for month in ("1995-06", "2013-12"):
        assert {r["contributor"] for r in store.rank(month=month).rows} <= listed
    # a country that served between two year-ends is listed with the months its page gives
    suriname = next(r for r in rows if r["contributor"] == "SUR")
    page = client.get("/countries/Suriname.json").json()["facts"]
    assert (suriname["first_month"], suriname["last_month"]) == (page["first_month_in_data"],
                                                                 page["latest_deployment"])
    assert not {"AFG", "SDN"} & listed  # only rows of zeros in the files: no personnel, no page
    assert abs(sum(r["share_pct"] for r in rows if r["share_pct"]) - 100) < 0.5
    # the sparkline's last point is the country page's figure for its (latest) month
    series = {r["contributor"]: r for r in data["tables"]["series"]["rows"]}
    ghana = client.get("/countries/Ghana.json").json()["facts"]
    last_year = list(series["GHA"])[-1]
    assert ghana["month"] == ranking.query["month"] and series["GHA"][last_year] == ghana["personnel"]
    html = client.get("/countries").text
    assert f'aria-label="Ghana, personnel 1990..{last_year}, latest {ghana["personnel"]:,}"' in html
    assert html.count('<svg class="spark"') == len(rows)


def test_countries_index_filters_and_sorts_without_javascript(client):
    found = client.get("/countries.json", params={"q": "ghana"}).json()["tables"]["countries"]["rows"]
    assert [r["contributor"] for r in found] == ["GHA"]
    by_name = client.get("/countries.json", params={"sort": "name"}).json()["tables"]["countries"]["rows"]
    assert [r["name"] for r in by_name] == sorted(r["name"] for r in by_name)
    html = client.get("/countries", params={"q": "an", "sort": "personnel"}).text
    assert 'href="/countries?q=an&amp;sort=name"' in html and 'id="index-filter" name="q" value="an"' in html
    csv_rows = client.get("/countries.csv", params={"q": "africa"}).text.strip().splitlines()
    assert csv_rows[0] == ("rank,contributor,name,region,personnel,share_pct,peak,peak_year,first_month,"
                           "last_month") and len(csv_rows) > 40


def test_missions_index_agrees_with_the_mission_list_and_pages(client, store):
    data = client.get("/missions.json").json()
    rows = {r["mission"]: r for r in data["tables"]["missions"]["rows"]}
    active = store.mission_list()
    assert {m for m, r in rows.items() if r["personnel"] is not None} == {r["mission"] for r in active.rows}
    assert data["facts"]["personnel in them"] == sum(r["personnel"] for r in active.rows)
    minusma = client.get("/missions/MINUSMA.json").json()["facts"]
    assert rows["MINUSMA"]["last_month"] == minusma["month"] and rows["MINUSMA"]["personnel"] is None
    html = client.get("/missions", params={"q": "MINUSMA"}).text
    assert f'last {minusma["deployed"]:,}"' in html and 'href="/missions/MINUSMA"' in html


def test_a_mission_page_keeps_every_section_at_one_month(client):
    # UNOCI's totals (another source) run a month past its contributor detail: the page
    # takes the month with both, and the authorised-vs-deployed chart stays
    for acronym in ("UNOCI", "UNMISS", "MINUSMA"):
        data = client.get(f"/missions/{acronym}.json").json()
        month = data["facts"]["month"]
        for name in ("deployed", "contributors", "sites"):
            assert {r["month"] for r in data["tables"][name]["rows"]} <= {month}, (acronym, name)
        assert "authorized_vs_deployed" in data["charts"]
        assert chart_rows(data["charts"]["authorized_vs_deployed"])
    assert client.get("/missions/UNOCI.json").json()["facts"]["month"] == "2017-02"


def test_a_mission_map_is_framed_to_its_sites_and_labelled(client):
    import math

    spec = client.get("/missions/MINUSMA.json", params={"month": "2015-06"}).json()["charts"]["sites_map"]
    proj, w, h = spec["projection"], spec["width"], spec["height"]
    sites = chart_rows(spec)  # the points' layer draws the chart's own rows
    assert spec["layer"][1]["data"] == {"name": "chart"}

    def xy(lon, lat):  # Mercator, written out here rather than taken from the page's code
        y = lambda a: math.log(math.tan(math.pi / 4 + math.radians(a) / 2))  # noqa: E731
        return (w / 2 + proj["scale"] * math.radians(lon - proj["center"][0]),
                h / 2 - proj["scale"] * (y(lat) - y(proj["center"][1])))

    points = [xy(s["longitude"], s["latitude"]) for s in sites]
    assert all(0 <= x <= w and 0 <= y <= h for x, y in points)
    # framed, not the world: the sites spread over most of one side
    assert max(x for x, _ in points) - min(x for x, _ in points) > w / 2 or \
        max(y for _, y in points) - min(y for _, y in points) > h / 2
    labels = [p["label"] for p in spec["layer"][2]["data"]["values"]]
    assert "Bamako" in labels and "Gao" in labels and spec["layer"][2]["mark"]["type"] == "text"


def test_rankings_show_share_and_change_against_a_year_earlier(client, store):
    rows = client.get("/rankings.json", params={"month": "2013-12"}).json()["tables"]["rankings"]["rows"]
    then = {r["contributor"]: r for r in store.rank(month="2012-12").rows}
    total = sum(r["personnel"] for r in rows)
    for r in rows[:20]:
        old = then.get(r["contributor"])
        assert r["share_pct"] == round(100 * r["personnel"] / total, 2)
        assert r["personnel_year_earlier"] == (old["personnel"] if old else 0)
        assert r["personnel_change"] == r["personnel"] - r["personnel_year_earlier"]
        assert r["rank_change"] == (old["rank"] - r["rank"] if old else None)
    chart = client.get("/rankings.json").json()["charts"]["largest_contributors"]
    assert len(chart_rows(chart)) == 20 and chart["layer"][0]["encoding"]["x"]["sort"] == "-y"
    assert chart["title"]["text"].startswith("The 20 largest contributors of all personnel")


def test_fatalities_page_counts_the_official_list(client, sources):
    import csv as csvmod

    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8-sig", newline="") as fh:
        raw = [r for r in csvmod.DictReader(fh) if r["mission_acronym"].strip() == "MINUSMA"]
    data = client.get("/fatalities.json", params={"mission": "MINUSMA"}).json()
    assert data["facts"]["fatalities"] == len(raw)
    for name in ("by_year", "by_mission", "by_nationality", "by_cause"):
        assert sum(r["fatalities"] for r in data["tables"][name]["rows"]) == len(raw)
    causes = {}
    for r in raw:
        causes[r["type_of_incident"]] = causes.get(r["type_of_incident"], 0) + 1
    assert {r["cause"]: r["fatalities"] for r in data["tables"]["by_cause"]["rows"]} == causes
    assert client.get("/fatalities.csv", params={"mission": "MINUSMA"}).text.startswith("year,")


def test_sites_page_agrees_with_the_api(client):
    page = client.get("/sites.json", params={"mission": "MINUSMA", "month": "2015-06"}).json()
    api = client.get("/api/sites", params={"mission": "MINUSMA", "month": "2015-06"}).json()
    assert page["facts"]["sites"] == len(api["rows"]) and page["tables"]["sites"]["rows"] == api["rows"]
    assert page["facts"]["troops at the sites"] == sum(r["troops"] or 0 for r in api["rows"])
    assert len(chart_rows(page["charts"]["sites_map"])) == page["facts"]["sites on the map"]
    every = client.get("/sites.json").json()
    assert every["facts"]["missions"] > 1


def test_api_page_lists_every_endpoint_and_its_examples_answer(client):
    spec = client.get("/openapi.json").json()
    rows = client.get("/api.json").json()["tables"]["endpoints"]["rows"]
    api = {(r["method"], r["path"]) for r in rows if r["kind"] == "api"}
    assert api == {(m.upper(), p) for p, ops in spec["paths"].items() if p.startswith("/api/") for m in ops}
    for r in rows:
        if r["kind"] == "api" and r["example"]:
            assert client.get(r["example"]).status_code == 200, r["example"]
    assert client.get("/api").status_code == 200
    found = client.get("/api.json", params={"q": "fatalities"}).json()["tables"]["endpoints"]["rows"]
    assert {r["path"] for r in found} >= {"/api/fatalities", "/fatalities"} and "/api/rank" not in {
        r["path"] for r in found}


def test_error_pages_keep_the_form_its_values_and_the_navigation(client):
    r = client.get("/rankings", params={"month": "2013-13", "within": "P5"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert 'name="month" value="2013-13"' in r.text and 'name="within" value="P5"' in r.text
    assert 'href="/countries"' in r.text and 'action="/go"' in r.text and "bad month" in r.text
    f = client.get("/fatalities", params={"mission": "Atlantis", "from": "2015-01"})
    assert f.status_code == 404 and 'name="mission" value="Atlantis"' in f.text and 'value="2015-01"' in f.text
    c = client.get("/countries/Atlantis", params={"month": "2014-01"})
    assert c.status_code == 404 and 'name="month" value="2014-01"' in c.text and 'href="/countries/Albania"' in c.text


def test_favicon_is_served_and_linked(any_client):
    r = any_client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml" and b"<svg" in r.content
    assert '<link rel="icon" href="/favicon.ico"' in any_client.get("/coverage").text


def test_overview_headline_has_separators_and_months(client, store):
    html = client.get("/").text
    ranking = store.rank()
    total = sum(r["personnel"] for r in ranking.rows)
    assert f"<td>{total:,}</td>" in html and f"<td>{len(ranking.rows)}</td>" in html
    assert f"who serves where, {ranking.query['month']}" in html
    assert f"top contributors: month {ranking.query['month']}" in html


def test_sources_page_opens_with_the_coverage_and_folds_the_files(client, store):
    html = client.get("/sources").text
    assert html.index("What the data cover") < html.index('data-name="files"')
    detail = [r for r in store.coverage_spans().rows if r["grain"] == "detail"]
    assert f"contributor x mission (with gender and police types): {detail[0]['first_month']}.." in html
    n = len(store.sources().rows)
    assert f"all {n} rows ({n - 12} more)" in html


def test_sparkline_breaks_at_gaps_and_marks_the_last_value():
    from bluehelmet.web.sparkline import sparkline

    svg = str(sparkline([0, 10, None, 5], "x <y>", width=32, height=12))
    assert svg.count("<polyline") == 2  # the gap (None) breaks the line
    assert 'points="1.0,11.0 11.0,1.0"' in svg and 'points="31.0,6.0"' in svg
    assert '<circle cx="31.0" cy="6.0"' in svg and "x &lt;y&gt;" in svg  # the label is escaped
    assert "<polyline" not in str(sparkline([None, None]))


def test_fit_mercator_frames_the_extent_with_its_margin():
    import math

    from bluehelmet.web.sitemap import fit_mercator

    lons, lats = [-4.0, 1.5, 2.0], [12.0, 16.3, 20.0]
    p = fit_mercator(lons, lats, 600, 400, margin=0.1)
    y = lambda a: math.log(math.tan(math.pi / 4 + math.radians(a) / 2))  # noqa: E731
    xs = [300 + p["scale"] * math.radians(lon - p["center"][0]) for lon in lons]
    ys = [200 - p["scale"] * (y(lat) - y(p["center"][1])) for lat in lats]
    # the tighter side touches its margin, the other stays inside it
    # (the centre is rounded to 1e-4 degrees: a hundredth of a pixel here)
    assert math.isclose(max(ys) - min(ys), 400 * 0.8, abs_tol=0.01) or math.isclose(max(xs) - min(xs), 600 * 0.8,
                                                                                  abs_tol=0.01)
    assert all(59.99 <= x <= 540.01 for x in xs) and all(39.99 <= v <= 360.01 for v in ys)
