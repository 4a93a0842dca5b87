"""Coverage: the months each grain and domain holds, its gaps, and what a month in a gap
answers (an error naming the nearest covered months, never another month's figures).

The expectations are derived from the database's ``coverage`` table (read with duckdb, not
through bluehelmet's query layer) and from the raw files, so they hold as sources are added;
the real months named here (2014-09, 1990-10, 2016-11) stay what they are when the UN's
monthly reports 2015-01 onward are loaded.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import NoDataError
from bluehelmet.months import month_range
from bluehelmet.vocab import GRAINS


def _ym(m: date) -> str:
    return f"{m:%Y-%m}"


@pytest.fixture(scope="module")
def covered(built_db) -> dict[str, dict[date, set[str]]]:
    """grain -> month -> layouts, straight from the coverage table."""
    con = duckdb.connect(str(built_db), read_only=True)
    out: dict[str, dict[date, set[str]]] = {g: {} for g in GRAINS}
    for grain, month, layout in con.execute(
            "SELECT DISTINCT c.grain, c.month, s.layout FROM coverage c JOIN source_file s USING (source_id)"
    ).fetchall():
        out[grain].setdefault(month, set()).add(layout)
    con.close()
    return out


def test_spans_and_gaps_match_the_coverage_table(store, covered):
    rows = store.coverage_spans().rows
    for grain, months in covered.items():
        mine = [r for r in rows if r["domain"] == "personnel" and r["grain"] == grain]
        if not months:
            assert not mine
            continue
        span = month_range(min(months), max(months))
        got_covered: dict[date, str] = {}
        got_gaps: set[date] = set()
        for r in mine:
            run = month_range(date.fromisoformat(r["first_month"] + "-01"), date.fromisoformat(r["last_month"] + "-01"))
            assert r["months"] == len(run)
            for m in run:
                assert m not in got_covered and m not in got_gaps  # spans never overlap
                if r["status"] == "gap":
                    got_gaps.add(m)
                else:
                    got_covered[m] = r["layouts"]
        assert set(got_covered) == set(months)
        assert got_gaps == set(span) - set(months)
        assert all(got_covered[m] == " + ".join(sorted(layouts)) for m, layouts in months.items())
        # spans come in time order, first to last
        assert [r["first_month"] for r in mine] == sorted(r["first_month"] for r in mine)


def test_today_mission_and_world_totals_lack_2016_11_in_ipi(store, sources):
    # IPI's monthly and mission tables skip November 2016 (an independent reading of the
    # raw files). The coverage shows it as a gap unless another source answers it.
    for path in ("ipi/ppp-loader/data_monthly.csv", "ipi/ppp-loader/data_mission.csv"):
        with (sources / path).open(encoding="utf-8", newline="") as fh:
            dates = {r["Date"][:7] for r in csv.DictReader(fh)}
        assert "2016-10" in dates and "2016-12" in dates and "2016-11" not in dates
    for grain in ("mission", "world"):
        row = next(r for r in store.coverage_spans().rows if r["grain"] == grain
                   and r["first_month"] <= "2016-11" <= r["last_month"])
        assert row["status"] == "gap" or not row["layouts"].startswith("ipi_"), row


@pytest.mark.parametrize("needs", [(), ("contributor",), ("mission",), ("contributor", "mission")])
def test_a_month_no_able_grain_covers_is_an_error_naming_the_nearest_months(store, covered, needs):
    able = [g for g, cap in GRAINS.items() if all(cap[n] for n in needs)]
    months = sorted({m for g in able for m in covered[g]})
    first, last = months[0], months[-1]
    inside = [m for m in month_range(first, last) if m not in set(months)]
    before_first = month_range(date(first.year - 1, first.month, 1), first)[-2]
    after_last = month_range(last, date(last.year + 1, last.month, 1))[1]
    asked = {"country": ["China"]} if "contributor" in needs else {}
    if "mission" in needs:
        asked["mission"] = ["UNTSO"]
    for m in [before_first, after_last] + inside[:6]:
        prev = max((x for x in months if x < m), default=None)
        nxt = min((x for x in months if x > m), default=None)
        with pytest.raises(NoDataError) as exc:
            store.personnel(month=m, **asked)
        text = str(exc.value)
        assert _ym(m) in text
        assert (f"{_ym(prev)} (before)" if prev else "none before") in text
        assert (f"{_ym(nxt)} (after)" if nxt else "none after") in text


def test_real_months_outside_the_contributor_data(store):
    # IPI's contributor data end 2014-08 and the UN's reports begin 2015-01: 2014-09 is a
    # gap for any question about contributors, today and once the reports are loaded
    with pytest.raises(NoDataError, match=r"2014-09; .*2014-08 \(before\)"):
        store.personnel(country=["China"], month="2014-09")
    with pytest.raises(NoDataError, match=r"2014-10; .*2014-08 \(before\)"):
        store.rank(month="2014-10")
    # nothing is older than IPI's first month, 1990-11
    with pytest.raises(NoDataError, match=r"none before and 1990-11 \(after\)"):
        store.personnel(month="1990-10")


def test_a_range_reaching_into_a_gap_says_which_months_it_lacks(store):
    res = store.personnel(country=["China"], start="2014-07", end="2014-09")
    assert [r["month"] for r in res.rows] == ["2014-07", "2014-08"]
    assert any("no data for 1 month(s): 2014-09" in n for n in res.notes)


def test_domains_are_listed_with_their_span_from_the_raw_files(store, sources):
    rows = {r["grain"]: r for r in store.coverage_spans().rows if r["domain"] != "personnel"}
    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8-sig", newline="") as fh:
        dates = [r["incident_date"][:7] for r in csv.DictReader(fh) if r["incident_date"]]
    assert (rows["fatality"]["first_month"], rows["fatality"]["last_month"]) == (min(dates), max(dates))
    assert rows["fatality"]["domain"] == "fatalities" and rows["fatality"]["layouts"] == "un_fatalities"
    import pyreadstat

    df, _ = pyreadstat.read_dta(str(sources / "mandates/Personnel_shortfall_data.dta"), usecols=["year", "month"])
    held = {(int(y), int(m)) for y, m in zip(df.year, df.month) if y == y and m == m}
    auth = rows["authorized_strength"]
    assert auth["domain"] == "authorizations"
    assert auth["first_month"] == "%04d-%02d" % min(held) and auth["last_month"] == "%04d-%02d" % max(held)
    assert auth["months"] == len(held)
    assert rows["deployment_site"]["domain"] == "sites"


def test_sources_coverage_on_the_command_line(built_db):
    r = CliRunner().invoke(cli, ["sources", "--coverage", "--db", str(built_db), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["columns"][:3] == ["domain", "grain", "status"]
    assert {row["grain"] for row in data["rows"] if row["domain"] == "personnel"} == set(GRAINS)
    assert data["sources"] and any(n.startswith("personnel detail: ") for n in data["notes"])
    c = CliRunner().invoke(cli, ["sources", "--coverage", "--db", str(built_db), "--format", "csv"])
    assert c.output.splitlines()[0] == "domain,grain,status,first_month,last_month,months,layouts,files,note"
    t = CliRunner().invoke(cli, ["sources", "--coverage", "--db", str(built_db)])
    assert t.exit_code == 0 and "personnel" in t.output


def test_the_synthetic_database_has_a_coverage_too(synthetic_store):
    res = synthetic_store.coverage_spans()
    assert res.rows and all(r["status"] in ("covered", "gap") for r in res.rows)


# ---- the months that exist, in plain words ----------------------------------------------

_WORDS = {(): "personnel data", ("contributor",): "contributor data", ("mission",): "mission data",
          ("contributor", "mission"): "contributor x mission data"}


def _runs(months: list[date]) -> str:
    out: list[list[date]] = []
    for m in sorted(months):
        if out and month_range(out[-1][-1], m)[1:] == [m]:
            out[-1].append(m)
        else:
            out.append([m])
    return ", ".join(_ym(r[0]) + ("" if len(r) == 1 else ".." + _ym(r[-1])) for r in out)


def _covered_sentence(covered, needs) -> str:
    """What the errors and the README say a question's data cover, from the coverage table."""
    able = [g for g, cap in GRAINS.items() if all(cap[n] for n in needs)]
    months = sorted({m for g in able for m in covered[g]})
    missing = [m for m in month_range(months[0], months[-1]) if m not in set(months)]
    return (f"{_WORDS[tuple(sorted(needs))]} cover {_ym(months[0])}..{_ym(months[-1])}"
            + (f" except {_runs(missing)}" if missing else ", every month"))


@pytest.mark.parametrize("needs", [(), ("contributor",), ("mission",), ("contributor", "mission")])
def test_errors_name_the_months_that_exist(store, covered, needs):
    able = [g for g, cap in GRAINS.items() if all(cap[n] for n in needs)]
    months = sorted({m for g in able for m in covered[g]})
    gaps = [m for m in month_range(months[0], months[-1]) if m not in set(months)]
    asked = {"country": ["China"]} if "contributor" in needs else {}
    if "mission" in needs:
        asked["mission"] = ["UNIFIL"]
    sentence = _covered_sentence(covered, needs)
    for m in [month_range(date(months[0].year - 1, 1, 1), months[0])[0]] + gaps[:3]:
        with pytest.raises(NoDataError) as exc:
            store.personnel(month=m, **asked)
        assert str(exc.value).startswith(f"no {_WORDS[tuple(sorted(needs))]} for {_ym(m)}; {sentence}; ")
    if "contributor" in needs and "mission" not in needs and gaps:
        for ask in (lambda: store.rank(month=_ym(gaps[0])), lambda: store.country("China", month=_ym(gaps[0]))):
            with pytest.raises(NoDataError) as exc:
                ask()
            assert str(exc.value).startswith(f"no contributor data for {_ym(gaps[0])}; {sentence}; ")


def test_the_readme_states_the_spans_of_a_real_build(store, covered, sources):
    from pathlib import Path

    import pyreadstat

    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    for needs in _WORDS:
        assert _covered_sentence(covered, needs) in readme, needs
    with (sources / "un/DPPADPOSS-FATALITIES.csv").open(encoding="utf-8-sig", newline="") as fh:
        days = [r["incident_date"][:10] for r in csv.DictReader(fh) if r["incident_date"]]
    assert f"fatalities {min(days)}..{max(days)}, so {max(days)[:4]} is a partial year" in readme
    df, _ = pyreadstat.read_dta(str(sources / "mandates/Personnel_shortfall_data.dta"), usecols=["year", "month"])
    held = sorted({date(int(y), int(m), 1) for y, m in zip(df.year, df.month)})
    every = "every month" if held == month_range(held[0], held[-1]) else "with gaps"
    assert f"authorised strength {_ym(held[0])}..{_ym(held[-1])}, {every}" in readme
    rows = {r["grain"]: r for r in store.coverage_spans().rows if r["domain"] == "sites"}
    maps = rows["deployment_site"]
    assert f"deployment maps {maps['first_month']}..{maps['last_month']}" in readme
