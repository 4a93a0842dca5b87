"""Fatalities: the official incident list and the Stata aggregate, read and reconciled."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import duckdb
import pytest

from bluehelmet.errors import QueryError, UnknownNameError

from .conftest import raw_rows

UN = "un/DPPADPOSS-FATALITIES.csv"
AGG = "mandates/Contigent-mission-month_data.dta"


@pytest.fixture(scope="module")
def un_rows(sources):
    return raw_rows(sources / UN)


@pytest.fixture(scope="module")
def deaths(un_rows):
    """One row per casualty_id: the file lists six UNMIK deaths twice (SCG and MNE)."""
    return list({r["casualty_id"]: r for r in un_rows}.values())


@pytest.fixture(scope="module")
def agg(sources):
    import pyreadstat

    df, _ = pyreadstat.read_dta(str(sources / AGG))
    return df


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def test_rows_read_equal_loaded_plus_quarantined(con, un_rows, agg):
    files = dict((p, (r, l, q)) for p, r, l, q in con.execute(
        "SELECT relpath, rows_read, rows_loaded, rows_quarantined FROM source_file").fetchall())
    for path, n in ((UN, len(un_rows)), (AGG, len(agg))):
        read, loaded, quarantined = files[path]
        assert read == n == loaded + quarantined
    assert con.execute("SELECT count(*) FROM fatality").fetchone()[0] == files[UN][1]
    assert con.execute("SELECT count(*) FROM fatality_month").fetchone()[0] == files[AGG][1] == len(agg)


def test_duplicate_casualties_are_quarantined_keeping_the_state_of_the_day(con, un_rows, deaths):
    assert len(un_rows) - len(deaths) == 6
    q = con.execute("""SELECT q.line, q.reason FROM quarantine q JOIN source_file s USING (source_id)
                       WHERE s.relpath = ?""", [UN]).fetchall()
    assert len(q) == 6 and all(r.startswith("duplicate of line ") for _, r in q)
    # the copies quarantined are the Montenegro ones: it was part of Serbia and Montenegro then
    assert {un_rows[line - 2]["isocode3"] for line, _ in q} == {"MNE"}


def test_float_m49_loses_no_row(con, un_rows):
    assert any(r["m49_code"].endswith(".0") for r in un_rows)
    lost = con.execute("""SELECT count(*) FROM quarantine q JOIN source_file s USING (source_id)
                          WHERE s.relpath = ? AND q.reason NOT LIKE 'duplicate of line %'""", [UN]).fetchone()
    assert lost[0] == 0
    loaded = dict(con.execute("SELECT line, nationality FROM fatality").fetchall())
    quarantined = {line for (line,) in con.execute(
        "SELECT q.line FROM quarantine q JOIN source_file s USING (source_id) WHERE s.relpath = ?", [UN]).fetchall()}
    for line, r in enumerate(un_rows, start=2):
        if line in quarantined:
            continue
        if r["isocode3"]:  # ISO3 wins, and the float M49 agrees with it (no mismatch finding)
            # ... but a state that did not exist on the incident day is its predecessor's
            # (Russian Federation 1986: the USSR; "Yugoslavia" 2000: Serbia and Montenegro)
            day = r["incident_date"][:10]
            want = {("RUS", True): "SUN", ("YUG", True): "SCG"}.get(
                (r["isocode3"], day < "1991-12-26" if r["isocode3"] == "RUS" else "1992-04-27" <= day < "2006-06-05"),
                r["isocode3"])
            assert loaded[line] == want, (line, r["isocode3"], day)
    assert not con.execute("SELECT count(*) FROM finding WHERE kind = 'country_mismatch' "
                           "AND message LIKE '%M49%'").fetchone()[0]


def test_undetermined_nationality_is_loaded_as_null_and_reported(con, deaths):
    undetermined = sum(1 for r in deaths if r["casualty_nationality"] in ("", "ZZ [Undetermined]"))
    assert undetermined == 15
    assert con.execute("SELECT count(*) FROM fatality WHERE nationality IS NULL").fetchone()[0] == undetermined
    reported = con.execute("SELECT sum(count) FROM finding WHERE kind = 'nationality_undetermined' "
                           "AND source_id = (SELECT source_id FROM source_file WHERE relpath = ?)", [UN]).fetchone()
    assert reported[0] == undetermined


def test_query_counts_per_mission_year_equal_the_raw_csv(store, deaths):
    expected = Counter((r["mission_acronym"], int(r["incident_date"][:4])) for r in deaths)
    got = {(r["mission"], r["year"]): r["fatalities"] for r in store.fatalities(by=["mission", "year"]).rows}
    assert got == dict(expected)
    assert store.fatalities().scalar("fatalities") == len(deaths)


def test_query_filters_match_the_raw_csv(store, deaths):
    minusma = [r for r in deaths if r["mission_acronym"] == "MINUSMA" and "2014-01" <= r["incident_date"][:7] <= "2015-12"]
    res = store.fatalities(mission="minusma", start="2014-01", end="2015-12", by=["cause"])
    assert {r["cause"]: r["fatalities"] for r in res.rows} == dict(Counter(r["type_of_incident"] for r in minusma))
    india = sum(1 for r in deaths if r["isocode3"] == "IND" and r["type_of_incident"] == "Malicious Act")
    assert store.fatalities(nationality="India", cause="malicious act").scalar("fatalities") == india
    local = sum(1 for r in deaths if r["casualty_personnel_type"].strip() == "Local")
    assert store.fatalities(personnel_type="local").scalar("fatalities") == local
    p5 = {"CHN", "FRA", "GBR", "RUS", "USA"}
    p5_deaths = sum(1 for r in deaths if r["isocode3"] in p5 and r["incident_date"] >= "1992")
    assert store.fatalities(nationality=["P5"], start="1992-01").scalar("fatalities") == p5_deaths


def test_query_result_carries_its_source_and_serialises(store):
    res = store.fatalities(mission="MINUSMA", by=["year", "nationality"])
    # MINUSMA's years reach 2023, which the list covers only in part: the rows say so
    assert res.columns == ["year", "coverage", "nationality", "nationality_name", "fatalities"]
    assert [s.path for s in res.sources] == [UN]
    assert res.grains[0]["grain"] == "incident"
    assert all(isinstance(r["fatalities"], int) for r in res.rows)
    json.dumps(res.as_dict())
    monthly = store.fatalities(mission="MINUSMA", start="2014-06", end="2014-06", by=["month"])
    assert [r["month"] for r in monthly.rows] == ["2014-06"]


def test_query_rejects_bad_input(store):
    with pytest.raises(QueryError):
        store.fatalities(by=["contributor"])
    with pytest.raises(QueryError):
        store.fatalities(cause="meteorite")
    with pytest.raises(UnknownNameError):
        store.fatalities(mission="MINUSMAA")
    # a mission the list spells otherwise gives zero and says how the list writes it
    res = store.fatalities(mission="UNOSOM II")
    assert res.scalar("fatalities") == 0 and any("UNOSOM" in n for n in res.notes)


def test_aggregate_totals_equal_an_independent_read(con, agg):
    for mission, year in (("UNIFIL", 1978), ("UNPROFOR", 1993), ("MINUSMA", 2014), ("ONUC", 1961)):
        sel = agg[(agg.Mission == mission) & (agg.Year == year)]
        got = con.execute("""SELECT sum(total), sum(illness), sum(malicious), sum(military) FROM fatality_month
                             WHERE mission = ? AND year(month) = ?""", [mission, year]).fetchone()
        assert got == (int(sel.Total.sum()), int(sel.Illness.sum()), int(sel.Malicious.sum()), int(sel.Mil.sum()))
        assert got[0] > 0
    assert con.execute("SELECT sum(total) FROM fatality_month").fetchone()[0] == int(agg.Total.sum())


def test_reconciliation_records_every_mission_year_difference(con, deaths, agg):
    last = f"{int(agg.Year.max()):04d}-{int(agg[agg.Year == agg.Year.max()].Month.max()):02d}"
    first = f"{int(agg.Year.min()):04d}-{int(agg[agg.Year == agg.Year.min()].Month.min()):02d}"
    official = Counter((r["mission_acronym"], int(r["incident_date"][:4])) for r in deaths
                       if first <= r["incident_date"][:7] <= last)
    aggregate: dict[tuple[str, int], int] = defaultdict(int)
    for mission, year, total in zip(agg.Mission, agg.Year, agg.Total):
        aggregate[(mission.strip(), int(year))] += int(total)
    differing = {k: (official.get(k), aggregate.get(k)) for k in set(official) | set(aggregate)
                 if official.get(k, 0) != aggregate.get(k, 0)}
    recorded = {(m, d.year): (a, b) for m, d, a, b in con.execute(
        """SELECT mission, month, value_a, value_b FROM reconciliation
           WHERE check_name = 'fatalities:mission_year' AND type = 'fatalities'""").fetchall()}
    assert recorded == differing
    assert 0 < len(differing) < 40  # the two files agree on almost every mission-year
    # the spelling difference is among them and is named in the findings
    assert ("UN Secretariat", 1961) in differing and ("UNSecretariat", 1961) in differing
    msgs = [m for (m,) in con.execute("SELECT message FROM finding WHERE kind = 'fatality_mission_one_file'").fetchall()]
    assert any("'UN Secretariat'" in m and "UNSecretariat" in m for m in msgs)


def test_reconciliation_per_cause_and_nationality(con, deaths, agg):
    summary = dict((name, differing) for name, differing in con.execute(
        "SELECT check_name, differing FROM reconciliation_summary WHERE check_name LIKE 'fatalities:%'").fetchall())
    assert set(summary) == {"fatalities:mission_year", "fatalities:personnel_mission_year",
                            "fatalities:nationality_mission_year"}
    # illness per mission-year, independently
    official = Counter((r["mission_acronym"], int(r["incident_date"][:4])) for r in deaths
                       if r["type_of_incident"] == "Illness" and r["incident_date"][:7] <= "2015-06")
    aggregate: dict[tuple[str, int], int] = defaultdict(int)
    for mission, year, n in zip(agg.Mission, agg.Year, agg.Illness):
        aggregate[(mission, int(year))] += int(n)
    differing = {k for k in set(official) | set(aggregate) if official.get(k, 0) != aggregate.get(k, 0)}
    recorded = {(m, d.year) for m, d in con.execute(
        """SELECT mission, month FROM reconciliation
           WHERE check_name = 'fatalities:mission_year' AND type = 'illness'""").fetchall()}
    assert recorded == differing



# ---- a period the list covers only partly says so -------------------------------------------

def _last_record(un_rows) -> str:
    return max(r["incident_date"][:10] for r in un_rows if r["incident_date"])


def test_the_last_year_is_flagged_with_the_lists_last_record(store, un_rows, deaths):
    last = _last_record(un_rows)  # 2023-11-21 in the file at hand
    year = int(last[:4])
    assert last[5:] != "12-31"  # the premise: the list stops inside its last year
    flag = f"{year} is covered only to {last}"
    # every answer whose period touches that year says so: the default, by year, by month,
    # a range inside the year, a claim
    for res in (store.fatalities(), store.fatalities(by=["year"]), store.fatalities(by=["cause"]),
                store.fatalities(start=f"{year}-01", end=f"{year}-06"),
                store.fatalities(mission="MINUSMA", by=["nationality"])):
        assert any(n.startswith(flag) for n in res.notes), res.notes
        assert res.query["covered_to"] == last
    by_year = {r["year"]: r for r in store.fatalities(by=["year"]).rows}
    assert by_year[year]["coverage"] == f"covered only to {last}"
    assert by_year[year]["fatalities"] == sum(1 for r in deaths if r["incident_date"].startswith(str(year)))
    assert by_year[year - 1]["coverage"] is None
    by_month = store.fatalities(start=f"{year}-01", by=["month"]).rows
    assert [r["month"] for r in by_month if r["coverage"]] == [last[:7]]
    # an earlier period is whole: no flag, no column
    earlier = store.fatalities(start=f"{year - 3}-01", end=f"{year - 1}-12", by=["year"])
    assert "coverage" not in earlier.columns and not any("covered only" in n for n in earlier.notes)
    from bluehelmet.claims import check

    v = check(store, f"fatalities({year}-01..{year}-12) > 0")
    assert v.steps[-1].note and flag in v.steps[-1].note
    assert v.left == sum(1 for r in deaths if r["incident_date"].startswith(str(year)))


def test_a_count_over_a_partly_covered_period_is_a_floor(store, un_rows, deaths):
    """Deaths after the list's last record are unknown, not zero: "more than" or "about" a
    figure above the count so far is unknown, never false; a figure the count already
    passes stays false."""
    from bluehelmet.claims import check

    last = _last_record(un_rows)
    year = int(last[:4])
    so_far = sum(1 for r in deaths if r["incident_date"].startswith(str(year)))
    period = f"{year}-01..{year}-12"
    for claim in (f"fatalities({period}) ~ {so_far + 20}", f"fatalities({period}) > {so_far + 5}",
                  f"fatalities({period}) >= {so_far + 1}"):
        v = check(store, claim)
        assert v.verdict == "unknown" and v.left == so_far and "so far" in (v.reason or ""), (claim, v)
    assert check(store, f"fatalities({period}) < {so_far - 1}").verdict == "false"
    assert check(store, f"fatalities({period}) ~ {so_far // 2}").verdict == "false"
    # a whole year before it is decided as ever
    before = sum(1 for r in deaths if r["incident_date"].startswith(str(year - 1)))
    assert check(store, f"fatalities({year - 1}-01..{year - 1}-12) > {before}").verdict == "false"


def test_a_range_past_the_list_is_flagged_and_one_beyond_it_is_an_error(store, un_rows):
    from bluehelmet.errors import NoDataError

    last = _last_record(un_rows)
    year = int(last[:4])
    res = store.fatalities(start=f"{year - 1}-01", end=f"{year + 2}-12")
    assert any(n.startswith(f"asked to {year + 2}-12; the official list ends {last}") for n in res.notes)
    with pytest.raises(NoDataError, match=f"the official list covers .*{last}"):
        store.fatalities(start=f"{year + 1}-01", end=f"{year + 1}-12")


def test_every_row_names_its_period(store, built_db, deaths):
    from click.testing import CliRunner

    from bluehelmet.cli import cli

    res = store.fatalities(start="2010-01", end="2012-12", by=["cause"])
    assert res.columns[0] == "period" and {r["period"] for r in res.rows} == {"2010-01..2012-12"}
    assert sum(r["fatalities"] for r in res.rows) == sum(1 for r in deaths if "2010" <= r["incident_date"][:4] <= "2012")
    out = CliRunner().invoke(cli, ["fatalities", "--from", "2010-01", "--to", "2012-12", "--format", "csv",
                                   "--db", str(built_db)]).output.splitlines()
    assert out[0] == "period,fatalities" and out[1].startswith("2010-01..2012-12,")
