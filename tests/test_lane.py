"""The API's lane (web/lane.py): the plain GET questions it answers beside FastAPI get the
app's own answers byte for byte, and whatever it cannot read exactly as FastAPI does goes to
the app. Run on the real database; every answer through the lane is held against the same
URL answered by the app alone (status, headers, body)."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bluehelmet.web import api
from bluehelmet.web.app import create_app
from bluehelmet.web.errors import library_error
from bluehelmet.web.hygiene import Hygiene
from bluehelmet.web.lane import INLINE_BELOW_S, ApiLane, lanes

TYPES = ("all", "troops", "police", "experts", "formed-police", "individual-police", "staff-officers")


class _Recorder:
    """The app behind the lane, noting each question it is asked: what the lane left to it
    (the plain client's app is not behind it)."""

    def __init__(self, app: Any) -> None:
        self.app, self.asked = app, []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.asked.append(scope["path"] + "?" + scope["query_string"].decode())
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def pair(built_db):
    """(the app alone, the app behind the lane, what the lane left to the app), each behind
    the hygiene layer as served, no response cache."""
    app = create_app(built_db)
    recorder = _Recorder(app)
    fast = ApiLane(recorder, app.state.live, lanes(api.router.routes), library_error)
    with TestClient(Hygiene(app)) as plain, TestClient(Hygiene(fast)) as laned:
        yield plain, laned, recorder, fast


def _same(plain, laned, url):
    a, b = plain.get(url), laned.get(url)
    assert (a.status_code, a.content) == (b.status_code, b.content), url
    drop = {"date"}
    assert [h for h in a.headers.items() if h[0] not in drop] == [h for h in b.headers.items() if h[0] not in drop], url
    return b


def _months(built_db) -> list[str]:
    import duckdb

    con = duckdb.connect(str(built_db), read_only=True)
    try:
        return [f"{m:%Y-%m}" for (m,) in con.execute("SELECT DISTINCT month FROM contributor_rank ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_the_lane_takes_the_plain_query_routes_and_no_other(pair):
    *_, fast = pair
    assert {"/api/rank", "/api/personnel", "/api/fatalities", "/api/missions", "/api/sites", "/api/assessments",
            "/api/spending", "/api/finance", "/api/sources"} == set(fast.routes)
    # a path parameter, a constrained text (a claim), the request itself: the app's
    assert not {"/api/missions/{acronym}", "/api/countries/{name}", "/api/check", "/api/health",
                "/api/factcheck"} & set(fast.routes)


def test_rankings_through_the_lane_are_the_apps_answers(pair, built_db):
    plain, laned, recorder, _ = pair
    rng = random.Random(15)
    months = _months(built_db)
    urls = [f"/api/rank?month={m}&type={t}&top=10" for m in rng.sample(months, 40) for t in rng.sample(TYPES, 3)]
    urls += [f"/api/rank?month={m}&type={t}&format=csv" for m in rng.sample(months, 5) for t in ("all", "police")]
    urls += [f"/api/rank?month={m}&within=P5" for m in rng.sample(months, 5)]
    urls += ["/api/rank", "/api/rank?type=experts&top=3", "/api/rank?month=2013-12&within=AU&top=5"]
    recorder.asked.clear()
    for url in urls:
        r = _same(plain, laned, url)
        assert r.status_code in (200, 404), url  # 404: a type nobody was counted as that month
    assert recorder.asked == []  # the lane answered every one of them itself


def test_other_questions_through_the_lane_are_the_apps_answers(pair):
    plain, laned, *_ = pair
    for url in ["/api/personnel?mission=UNMISS&month=2016-05&by=contributor",
                "/api/personnel?country=Ghana&month=2014-06&by=mission", "/api/personnel?country=P5&by=year",
                "/api/personnel?from=2012-01&to=2012-05&by=month&by=contributor&type=police",
                "/api/personnel?by=region,type&month=2014-06", "/api/fatalities?mission=UNIFIL&by=year",
                "/api/fatalities?by=cause&format=csv", "/api/missions?month=2010-01&type=police", "/api/sites?mission=MINUSMA",
                "/api/assessments?scale=regular&rank=true&top=5", "/api/spending?mission=UNMISS&by=class",
                "/api/finance?recipient=Ghana&by=year&pledges=1", "/api/sources?view=coverage"]:
        assert _same(plain, laned, url).status_code == 200, url


@pytest.mark.parametrize("url", [
    "/api/rank?month=2020-06",          # a gap in the data: NoDataError, answered by the app's handler
    "/api/rank?month=junk",             # QueryError
    "/api/rank?within=Atlantis",        # UnknownNameError with candidates
    "/api/personnel?country=Atlantis",
])
def test_library_errors_through_the_lane_are_the_apps(pair, url):
    plain, laned, recorder, _ = pair
    recorder.asked.clear()
    r = _same(plain, laned, url)
    assert r.status_code in (400, 404) and r.json()["ok"] is False
    assert recorder.asked == []  # the lane answered the error itself, by the app's handler


@pytest.mark.parametrize("url", [
    "/api/rank?top=0", "/api/rank?top=010", "/api/rank?top=100001", "/api/rank?top=ten",  # bounds, spelling
    "/api/rank?type=sailors", "/api/rank?format=xml",                                      # not a choice
    "/api/rank?month=2013-12&top=3&top=5",                                                 # a scalar twice
    "/api/rank?month=", "/api/personnel?country=",                                         # empty
    "/api/rank?month=2013-12&bogus=1",                                                     # unknown
    "/api/assessments?rank=yes", "/api/finance?pledges=True",                              # booleans spelt otherwise
])
def test_what_the_lane_cannot_read_exactly_goes_to_the_app(pair, url):
    plain, laned, recorder, _ = pair
    recorder.asked.clear()
    _same(plain, laned, url)
    assert len(recorder.asked) == 1


def test_head_and_other_methods_go_to_the_app(pair):
    plain, laned, recorder, _ = pair
    recorder.asked.clear()
    assert laned.post("/api/rank").status_code == 405
    head = laned.head("/api/rank?month=2013-12")
    assert head.status_code == 200 and head.content == b""
    assert [u.split("?")[0] for u in recorder.asked] == ["/api/rank"]  # the POST; a HEAD is a GET by then
    assert _same(plain, laned, "/api/rank?month=2013-12").status_code == 200


def test_cheap_routes_are_answered_on_the_event_loop_and_costly_ones_on_threads(built_db):
    """Where a handler runs follows its route's running cost; both ways give the same answer."""
    app = create_app(built_db)
    app.state.live.current().rank(month="2013-12")  # the ranking tables read into memory (once, ~0.3 s)
    fast = ApiLane(app, app.state.live, lanes(api.router.routes), library_error)
    ran_on: list[str] = []
    endpoint = fast.routes["/api/rank"].endpoint

    import threading

    def spy(**kwargs: Any) -> Any:
        ran_on.append("loop" if threading.current_thread() is threading.main_thread() else "thread")
        return endpoint(**kwargs)

    object.__setattr__(fast.routes["/api/rank"], "endpoint", spy)

    async def ask(url: str) -> bytes:
        path, _, query = url.partition("?")
        body: list[bytes] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            body.append(message.get("body", b""))

        await fast({"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
                    "query_string": query.encode(), "headers": [], "root_path": "", "scheme": "http",
                    "server": ("t", 80), "client": ("t", 1), "http_version": "1.1"}, receive, send)
        return b"".join(body)

    async def run() -> list[bytes]:
        return [await ask(f"/api/rank?month=2013-12&type={t}&top=10") for t in ("all", "troops") * 10]

    assert fast.cost["/api/rank"] == INLINE_BELOW_S  # every route starts on the threads
    answers = asyncio.run(run())
    assert ran_on[0] == "thread" and "loop" in ran_on
    assert fast.cost["/api/rank"] < INLINE_BELOW_S
    assert set(answers[0::2]) == {answers[0]} and set(answers[1::2]) == {answers[1]}
    fast.cost["/api/rank"] = 1.0  # as if its answers had become slow: back on the threads
    ran_on.clear()
    assert asyncio.run(ask("/api/rank?month=2013-12&type=all&top=10")) == answers[0]
    assert ran_on == ["thread"]
