"""The aggregates the build materialises for the pages (issue 15, "fast cold pages"):
each equals the same aggregate computed afresh from the detail rows it summarises, on the
real data; the answers read from them equal the answers of the general queries; and a
page costs a bounded number of DuckDB statements.

The rollups (vocab.ROLLUPS) and ``contributor_rank`` are built in sources/personnel.py,
``geopko_unit_year`` in sources/sites.py, ``page_summary`` (query/summary.py) by
store/summaries.py.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from bluehelmet.vocab import GRAINS, ROLLUPS


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _differ(con: duckdb.DuckDBPyConnection, a: str, b: str) -> tuple[int, int]:
    """Rows of ``a`` not in ``b`` and of ``b`` not in ``a`` (as multisets)."""
    return (con.execute(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchone()[0],
            con.execute(f"SELECT count(*) FROM ({b} EXCEPT ALL {a})").fetchone()[0])


@pytest.mark.parametrize("rollup", ROLLUPS, ids=[r["table"] for r in ROLLUPS])
def test_each_rollup_is_its_grain_summed(con, rollup):
    keys = "".join(f"{k}, " for k in rollup["keys"]) + ("source_id, " if rollup["by_file"] else "")
    table = GRAINS[rollup["grain"]]["table"]
    fresh = f"SELECT month, {keys}type, sum(male)::BIGINT, sum(female)::BIGINT, sum(total)::BIGINT FROM {table} GROUP BY ALL"
    stored = f"SELECT month, {keys}type, male, female, total FROM {rollup['table']}"
    assert _differ(con, fresh, stored) == (0, 0)
    # fewer rows than the grain's table (else it is no use), and all the people
    n_rollup, n_grain = (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (rollup["table"], table))
    assert 0 < n_rollup < n_grain
    assert con.execute(f"SELECT sum(total) FROM {rollup['table']}").fetchone() == \
        con.execute(f"SELECT sum(total) FROM {table}").fetchone()


def test_the_detail_rolled_up_matches_the_printed_grand_totals_of_the_official_reports(con):
    """Independent of the rollup's own arithmetic: a monthly report (DPO) prints its grand
    total apart from its rows; the world total of the detail rollup is that figure."""
    printed = dict(con.execute("SELECT month, total FROM dpo_total WHERE scope = 'grand'").fetchall())
    rolled = dict(con.execute("SELECT month, sum(total) FROM personnel_by_month GROUP BY month").fetchall())
    months = [m for m in printed if m in rolled]
    assert len(months) >= 60
    differ = [(m, rolled[m], printed[m]) for m in months if rolled[m] != printed[m]]
    assert len(differ) <= 0.05 * len(months), differ[:5]


def test_contributor_rank_is_the_window_over_the_grain_answering_each_month(con):
    per = """SELECT month, contributor, sum(total)::BIGINT AS personnel FROM personnel GROUP BY ALL
             UNION ALL
             SELECT month, contributor, sum(total)::BIGINT FROM personnel_contributor
             WHERE month NOT IN (SELECT DISTINCT month FROM personnel) GROUP BY ALL"""
    fresh = f"""SELECT month, contributor, personnel,
                       rank() OVER (PARTITION BY month ORDER BY personnel DESC)::INTEGER,
                       count(*) OVER (PARTITION BY month)::INTEGER
                FROM ({per}) WHERE personnel > 0"""
    kept = "SELECT month, contributor, personnel, rank, contributors FROM contributor_rank"
    assert _differ(con, fresh, kept) == (0, 0)
    # both grains are in it: the detail's months and the contributor grain's before them
    first, last = con.execute("SELECT min(month), max(month) FROM contributor_rank").fetchone()
    assert first.year == 1990 and last.year >= 2025


def test_contributor_type_is_each_type_summed_over_the_grain_answering_each_month(con):
    """Summed afresh from the contributor x mission rows (not from the rollup the build
    reads), each type's stored types as vocab names them, zeros and files included."""
    from bluehelmet.vocab import PERSONNEL_TYPES

    pairs = ", ".join(f"('{name}', '{t}')" for name, ts in PERSONNEL_TYPES.items() if ts for t in ts)
    fresh = f"""SELECT * FROM (WITH t(type, stored) AS (VALUES {pairs}),
                     per AS (SELECT month, contributor, type, total, source_id FROM personnel
                             UNION ALL
                             SELECT month, contributor, type, total, source_id FROM personnel_contributor
                             WHERE month NOT IN (SELECT DISTINCT month FROM personnel))
                SELECT p.month, t.type, p.contributor, sum(p.total)::BIGINT,
                       list(DISTINCT p.source_id ORDER BY p.source_id)
                FROM per p JOIN t ON t.stored = p.type GROUP BY ALL)"""
    kept = "SELECT month, type, contributor, personnel, source_ids FROM contributor_type"
    assert _differ(con, fresh, kept) == (0, 0)
    # troops and police at a month of each grain add up to that month's ranking of all
    # personnel where nobody else is counted (experts are the third type)
    for month in ("1995-06-01", "2013-12-01"):
        typed = con.execute("SELECT sum(personnel) FROM contributor_type WHERE month = ? "
                            "AND type IN ('troops', 'police', 'experts')", [month]).fetchone()[0]
        everybody = con.execute("SELECT sum(personnel) FROM contributor_rank WHERE month = ?", [month]).fetchone()[0]
        assert typed == everybody > 0


# months of the contributor grain (1995, 2005) and of the detail (2013 on); formed police
# are told apart from individual officers only in the detail
STANDINGS = [(m, t) for m in ("1995-06", "2005-12", "2013-12", "2020-01", "2025-03")
             for t in ("all", "troops", "police", "experts")] + \
            [(m, "formed-police") for m in ("2013-12", "2020-01", "2025-03")]


@pytest.mark.parametrize("month,type", STANDINGS)
def test_standing_agrees_with_the_ranking(store, month, type):
    """All personnel is read from contributor_rank, the other types ranked when asked:
    either way, the standing is the ranking's row."""
    from bluehelmet.query.rank import standing

    ranking = store.rank(month=month, type=type)
    assert len(ranking.rows) >= 5
    for r in ranking.rows[:3] + ranking.rows[-2:]:
        stood = standing(store, r["contributor"], [month], type=type).rows
        assert stood == [{"month": month, "rank": r["rank"], "of": len(ranking.rows), "personnel": r["personnel"]}]


def test_standing_of_a_contributor_with_nobody_there_is_no_rank(store):
    from bluehelmet.query.rank import standing

    # Bhutan had nobody deployed in 2005, and some in 2021
    rows = standing(store, "BTN", ["2005-12", "2021-12"]).rows
    assert rows[0]["rank"] is None and rows[0]["personnel"] == 0 and rows[0]["of"] > 50
    assert rows[1]["rank"] is not None and rows[1]["personnel"] > 0


def test_unit_types_per_location_year_are_the_table_aggregated(con):
    units = ", ".join(f"max({t})::BIGINT" for t in
                      ("infantry", "engineering", "medical", "signals", "aviation", "riverine", "maintenance",
                       "transport"))
    fresh = f"SELECT mission, year, location, {units}, min(source_id) FROM geopko_unit_type GROUP BY ALL"
    assert _differ(con, fresh, "SELECT * FROM geopko_unit_year") == (0, 0)
    assert con.execute("SELECT count(*) FROM geopko_unit_year").fetchone()[0] > 1000


# ---- page_summary: a profile's statements answered at build time -------------------------

def _profile_both_ways(store, monkeypatch, kind, key, month=None):
    """A profile read with its stored statements, and the same profile with every
    statement run afresh (the summary read as empty): each as its dict of sections."""
    from bluehelmet.query.connection import Connection

    def whole(p):
        return {"title": p.title, "facts": p.facts, "notes": p.notes, "month": p.month,
                "sections": {k: v.as_dict() for k, v in p.sections.items()}}

    ask = store.country if kind == "contributor" else store.mission
    stored = whole(ask(key, month=month))
    assert store._local.summary_read[1], "nothing stored"
    with monkeypatch.context() as m:
        m.setattr(Connection, "_read_summary", lambda self, kind, key: {})
        store._local.summary_read = None  # the summary this thread read last is kept: not this time
        fresh = whole(ask(key, month=month))
    store._local.summary_read = None
    return stored, fresh


# countries active now, one that stopped (its own last month), a large and a small one;
# missions current, closed before the detail began, and whose totals run past the detail
@pytest.mark.parametrize("kind,key", [("contributor", c) for c in ("GHA", "IND", "CHN", "FJI", "ARG", "SUN", "CAN")]
                         + [("mission", m) for m in ("MONUSCO", "UNIFIL", "UNMIK", "UNTAC", "MINUSMA", "UNDOF")])
def test_a_profile_from_its_stored_statements_is_the_profile_run_afresh(store, monkeypatch, kind, key):
    stored, fresh = _profile_both_ways(store, monkeypatch, kind, key)
    assert stored == fresh


def test_another_month_runs_its_own_statements_and_gives_the_same(store, monkeypatch):
    stored, fresh = _profile_both_ways(store, monkeypatch, "contributor", "PAK", "2012-06")
    assert stored == fresh


def test_page_summary_rows_are_the_statements_rows(con):
    """Independent of the replay: a stored part's rows are the personnel table summed
    afresh (one contributor's months by type, India, at the contributor x mission grain)."""
    import json

    header, *rows = json.loads(con.execute(
        "SELECT '[' || string_agg(row, ',' ORDER BY seq) || ']' FROM page_summary WHERE kind = 'contributor' "
        "AND key = 'IND' GROUP BY part HAVING list(row ORDER BY seq)[1] LIKE '[\"personnel\",\"month,mission\",%'"
    ).fetchone()[0])
    assert header[:3] == ["personnel", "month,mission", "detail"]
    fresh = {(str(m), mission): n for m, mission, n in con.execute(
        "SELECT month, mission, sum(total) FROM personnel WHERE contributor = 'IND' GROUP BY ALL").fetchall()}
    assert {(m, mission): n for m, mission, n, _files in rows} == fresh
    assert len(fresh) > 500


def test_every_country_and_mission_with_personnel_has_its_summary(con):
    have = {k: {r[0] for r in con.execute(f"SELECT {k} FROM personnel UNION SELECT {k} FROM {t}").fetchall()}
            for k, t in (("contributor", "personnel_contributor"), ("mission", "personnel_mission"))}
    stored = {k: {r[0] for r in con.execute("SELECT DISTINCT key FROM page_summary WHERE kind = ?", [k]).fetchall()}
              for k in have}
    assert stored == have


# ---- statements per page ---------------------------------------------------------------

class _Counting:
    """A cursor that counts its statements."""

    def __init__(self, cur: Any, seen: list[str]) -> None:
        self._cur, self._seen = cur, seen

    def execute(self, sql: str, *args: Any) -> Any:
        self._seen.append(sql)
        return self._cur.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


@pytest.fixture(scope="module")
def counted(built_db):
    """A fresh app over the real database whose query cursors count statements."""
    from fastapi.testclient import TestClient

    from bluehelmet.query.connection import Connection
    from bluehelmet.web.app import create_app

    seen: list[str] = []
    plain = Connection.con.fget  # type: ignore[attr-defined]
    Connection.con = property(lambda self: _Counting(plain(self), seen))  # type: ignore[method-assign]
    try:
        with TestClient(create_app(built_db)) as client:
            # what is read once per open database (the mission periods, the names with a
            # page, the scales...) is read by these, not by the pages counted below
            for warm in ("/countries/FRA", "/missions/UNIFIL", "/rankings?month=2010-01", "/api/rank?month=2010-01",
                         "/api/missions?month=2010-01",
                         "/compare?country=FRA&country=DEU", "/who-pays", "/sources"):
                assert client.get(warm).status_code == 200
            yield client, seen
    finally:
        Connection.con = property(plain)  # type: ignore[method-assign]


# The statements a never-seen page of each kind costs now (the metadata read at open and
# what is kept per open database aside). Before issue 15 a country page took 14 and
# ranked each year's December over every contributor in two window statements.
# Since then a mission page draws its authorised-vs-deployed chart over the mission's whole
# record (4 statements) and a ranking shows the change since a year earlier (a second ranking).
# Since page_summary a profile at its default month reads its personnel statements, ranks,
# deaths, sites and (a mission's) authorisations in one lookup: a country 13 -> 3 (the
# lookup and China's finance to it), a mission 18 -> 3 (the lookup, and the deployed series
# over the authorisation file's months, which the page asks outside the profile); at another
# month the series are still read there (IND 13 -> 7). A ranking of everybody at one month
# reads the ranking tables held in memory: no statement. A comparison over the whole span
# reads everybody's series (its denominator, the same for every pair) once per open
# database and type: 7 -> 4, its two lines' statements.
BUDGET = {"/": 5, "/countries/GHA": 3, "/countries/IND?month=2012-06": 7, "/missions/MONUSCO": 3,
          "/rankings?month=2014-08&type=police": 2, "/compare?country=IND&country=PAK": 4,
          "/api/rank?month=2013-12&top=10": 0, "/api/rank?month=2013-12&type=police&top=10": 0,
          "/api/rank?month=1995-06&type=troops": 0, "/api/rank?month=2013-12&within=P5": 1,
          "/coverage": 3, "/sources": 3}


@pytest.mark.parametrize("path", list(BUDGET))
def test_a_page_costs_a_bounded_number_of_statements(counted, path):
    client, seen = counted
    seen.clear()
    r = client.get(path)
    assert r.status_code == 200
    assert len(seen) <= BUDGET[path], seen


def test_a_country_page_ranks_with_one_lookup_not_a_window_over_everybody(counted):
    client, seen = counted
    seen.clear()
    assert client.get("/countries/BRA").status_code == 200
    assert not [s for s in seen if "OVER (PARTITION BY" in s]
    # its rank at every December and its series are in its summary; everybody's ranking at
    # its month is the month's rows of contributor_rank held in memory (query.personnel.held)
    assert sum("FROM page_summary" in s for s in seen) == 1
    assert not [s for s in seen if "contributor_rank" in s or "personnel" in s]


def test_a_country_page_at_another_month_reads_its_series_from_the_summary(counted):
    client, seen = counted
    seen.clear()
    assert client.get("/countries/URY?month=2011-03").status_code == 200
    # the yearly and monthly series and its ranks are stored; its missions and gender at
    # that month, and the group rankings then, are asked
    assert sum("FROM page_summary" in s for s in seen) == 1
    asked = [s for s in seen if " FROM personnel" in s]
    assert len(asked) == 2 and all("BETWEEN" not in s for s in asked), asked


def test_the_overview_reads_no_contributor_by_mission_rows(counted):
    client, seen = counted
    seen.clear()
    assert client.get("/").status_code == 200
    assert not [s for s in seen if " FROM personnel p" in s]


# ---- the ranking tables held in memory -------------------------------------------------

@pytest.fixture
def holding(store):
    """The session's store as the server holds it: its rankings in memory."""
    store.hold_rankings = True
    yield store
    store.hold_rankings = False


def test_rankings_held_in_memory_are_the_statements_rows(holding):
    """Every single-month ranking question (each month of both grains that tell
    contributors apart, each type, with and without files) gets from memory exactly the
    rows, in the same order, that DuckDB returns for the statement it replaces."""
    from bluehelmet.query.personnel import held, statement

    store = holding
    from bluehelmet.query.selection import Selection
    from bluehelmet.vocab import PERSONNEL_TYPES

    compared = 0
    for grain in ("detail", "contributor"):
        for m in sorted(store.coverage[grain]):
            for types in PERSONNEL_TYPES.values():
                for files in (False, True):
                    rows = held(store, grain, [m], Selection(), [], types, ["month", "contributor"], files)
                    if rows is None:  # all personnel with files: no table holds it, the statement runs
                        assert types is None and files
                        continue
                    sql, params = statement(store, grain, [m], Selection(), [], types, ["month", "contributor"],
                                            False, files)
                    expected = [(*r[:3], tuple(r[3]) if r[3] is not None else None)
                                for r in store.con.execute(sql, params).fetchall()]
                    assert rows == expected, (grain, m, types, files)
                    compared += 1
    assert compared > 4000


def test_only_rankings_of_one_month_are_held(holding):
    from datetime import date

    from bluehelmet.query.personnel import held
    from bluehelmet.query.selection import Selection

    store = holding
    one, two = [date(2013, 12, 1)], [date(2013, 11, 1), date(2013, 12, 1)]
    assert held(store, "detail", one, Selection(), [], None, ["month", "contributor"], False)
    assert held(store, "detail", two, Selection(), [], None, ["month", "contributor"], False) is None
    assert held(store, "detail", one, Selection(), ["UNMISS"], None, ["month", "contributor"], False) is None
    assert held(store, "detail", one, Selection(), [], None, ["month", "mission"], False) is None
    # a one-shot reader (the CLI, a script) does not pay 0.3-0.4 s to hold them
    store.hold_rankings = False
    assert held(store, "detail", one, Selection(), [], None, ["month", "contributor"], False) is None
