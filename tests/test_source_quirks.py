"""Source quirks are findings: each one recomputed here from the raw file (csv, pandas,
pyreadstat), never from bluehelmet, and checked against the findings and the answers.

- ``full_gender_data.csv``: the stray ``'`` of its 2014 rows, the months without
  aggregate (``all``) rows, and its all-``NA`` rows, counted as empty, not loaded;
- the authorisation file records a new authorisation a month late;
- the official fatality list repeats six UNMIK deaths.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import NoDataError

PPP = "ipi/ppp-loader/full_gender_data.csv"
AUTH = "mandates/Personnel_shortfall_data.dta"
MISSIONS = "un/DPPADPOSS-PKO.csv"
FATALITIES = "un/DPPADPOSS-FATALITIES.csv"


# --------------------------------------------------------------------------- helpers


def _raw(path: Path) -> list[list[str]]:
    """The data rows as written (header dropped): line number = index + 2."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


def _month(text: str) -> str:
    return text[:7]


def _spans(months: set[str]) -> str:
    """Consecutive months as ``a..b`` runs, computed here, not with bluehelmet.months."""
    runs: list[list[str]] = []
    for m in sorted(months):
        y, mo = int(m[:4]), int(m[5:7])
        if runs:
            py, pm = int(runs[-1][1][:4]), int(runs[-1][1][5:7])
            if (py * 12 + pm) + 1 == y * 12 + mo:
                runs[-1][1] = m
                continue
        runs.append([m, m])
    return ", ".join(a if a == b else f"{a}..{b}" for a, b in runs)


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _sid(con, relpath: str) -> int:
    return con.execute("SELECT source_id FROM source_file WHERE relpath = ?", [relpath]).fetchone()[0]


def _findings(con, kind: str, relpath: str | None = None) -> list[tuple[str, int]]:
    sql = "SELECT message, count FROM finding WHERE kind = ?"
    params: list[object] = [kind]
    if relpath is not None:
        sql += " AND source_id = ?"
        params.append(_sid(con, relpath))
    return con.execute(sql + " ORDER BY message", params).fetchall()


@pytest.fixture(scope="module")
def ppp(sources):
    return _raw(sources / PPP)


# --------------------------------------------------------------------------- full_gender_data.csv


def test_stray_quotes_are_the_appended_months_and_are_removed(con, ppp):
    # columns: Date, Contributor, Contributor_ISO-3, Mission, 15 counts
    by_column = {label: [r for r in ppp if r[i].endswith("'")]
                 for i, label in ((1, "contributor name"), (2, "contributor ISO3"), (3, "mission"))}
    months = {label: {_month(r[0]) for r in rows} for label, rows in by_column.items()}
    expected = {"2014-03", "2014-04", "2014-05", "2014-06", "2014-07", "2014-08"}
    assert all(m == expected for m in months.values())  # the "after 2014-02"
    assert not any(r[3].endswith("'") for r in ppp if _month(r[0]) <= "2014-02")
    found = dict(_findings(con, "stray_quote", PPP))
    assert len(found) == 3
    for label, rows in by_column.items():
        message = f"{len(rows)} {label} values ended in a stray \"'\" in the rows of {_spans(months[label])}; removed"
        assert found[message] == len(rows) == 8054
    # the names are cleaned: what this file stored for those months is the plain acronyms
    sid = _sid(con, PPP)
    stored = {m for (m,) in con.execute(
        "SELECT DISTINCT mission FROM obs_detail WHERE source_id = ? AND month >= DATE '2014-03-01'", [sid]).fetchall()}
    assert stored == {r[3].rstrip("'") for r in ppp if _month(r[0]) >= "2014-03"}
    assert len(stored) == 18 and not any(m.endswith("'") for m in stored)
    for table in ("obs_detail", "obs_mission", "personnel", "personnel_mission"):
        (quoted,) = con.execute(f"SELECT count(*) FROM {table} WHERE mission LIKE '%''' ").fetchone()
        assert quoted == 0, table
    contributors = {c for (c,) in con.execute(
        "SELECT DISTINCT contributor FROM obs_detail WHERE source_id = ? AND month >= DATE '2014-03-01'",
        [sid]).fetchall()}
    assert contributors == {r[2].rstrip("'") for r in ppp if _month(r[0]) >= "2014-03" and r[2].rstrip("'") != "all"}


def test_months_without_aggregate_rows_are_a_finding(con, ppp):
    months = {_month(r[0]) for r in ppp}
    world = {_month(r[0]) for r in ppp if r[1].rstrip("'") == "all" and r[3].rstrip("'") == "all"}
    per_contributor = {_month(r[0]) for r in ppp if r[1].rstrip("'") != "all" and r[3].rstrip("'") == "all"}
    per_mission = {_month(r[0]) for r in ppp if r[1].rstrip("'") == "all" and r[3].rstrip("'") != "all"}
    assert per_mission == set()  # never at that grain: no finding for it
    gaps = months - world
    assert gaps == months - per_contributor == {f"2014-{m:02d}" for m in range(3, 9)}
    [(message, count)] = _findings(con, "aggregate_rows_missing", PPP)
    assert count == len(gaps) == 6
    assert message.startswith(f"no aggregate rows for {len(gaps)} of its {len(months)} months: no world total "
                              "(contributor = all, mission = all) and contributor totals (mission = all) in "
                              f"{_spans(gaps)}, which its other months have")
    # nothing is lost: those months' contributor and world totals are answered from other files
    for month in sorted(gaps):
        grains = {g for (g,) in con.execute("SELECT DISTINCT grain FROM coverage WHERE month = ?",
                                            [date(int(month[:4]), int(month[5:]), 1)]).fetchall()}
        assert {"contributor", "world", "mission", "detail"} <= grains, month


def test_all_na_rows_are_counted_empty_not_loaded(con, ppp, built_db):
    empty = [(i + 2, r) for i, r in enumerate(ppp) if all(v in ("NA", "") for v in r[4:])]
    assert len(empty) == 287
    sid = _sid(con, PPP)
    read, loaded, n_empty, quarantined = con.execute(
        "SELECT rows_read, rows_loaded, rows_empty, rows_quarantined FROM source_file WHERE source_id = ?",
        [sid]).fetchone()
    # duplicates are keyed on (month, contributor, mission) with the quote removed
    seen: set[tuple[str, str, str]] = set()
    dups = 0
    for r in ppp:
        key = (r[0], r[1].rstrip("'"), r[3].rstrip("'"))
        dups += key in seen
        seen.add(key)
    assert (read, n_empty, quarantined) == (len(ppp), len(empty), dups)
    assert loaded == read - n_empty - quarantined == 38369
    # loaded = the lines that left a fact; no empty line is in the quarantine or the facts
    lines = {ln for (ln,) in con.execute(" UNION ".join(
        f"SELECT line FROM {t} WHERE source_id = $sid" for t in ("obs_detail", "obs_contributor", "obs_mission",
                                                                 "obs_world")), {"sid": sid}).fetchall()}
    assert len(lines) == loaded
    empty_lines = {ln for ln, _ in empty}
    assert not empty_lines & lines
    held = {ln for (ln,) in con.execute("SELECT line FROM quarantine WHERE source_id = ?", [sid]).fetchall()}
    assert not empty_lines & held
    # the finding says whose rows and which months
    who: dict[str, list[str]] = defaultdict(list)
    for _, r in empty:
        who[r[2]].append(_month(r[0]))
    [(message, count)] = _findings(con, "empty_rows", PPP)
    assert count == 287
    for iso3, months in who.items():
        lo, hi = min(months), max(months)
        span = lo if lo == hi else f"{lo}..{hi}"
        assert f"{iso3} {span} ({len(months)} row{'s' if len(months) > 1 else ''})" in message
    assert set(who) == {"USA", "MDA", "BLR"} and len(who["USA"]) == 281
    # the CLI shows the count, and it adds up
    out = CliRunner().invoke(cli, ["sources", "--format", "json", "--db", str(built_db)])
    assert out.exit_code == 0, out.output
    row = next(r for r in json.loads(out.output)["rows"] if r["path"] == PPP)
    assert (row["rows_read"], row["rows_loaded"], row["rows_empty"], row["rows_quarantined"]) == \
        (read, loaded, n_empty, quarantined)


def test_every_file_adds_up_with_empty_rows(con):
    files = con.execute("SELECT source_id, relpath, rows_read, rows_loaded, rows_empty, rows_quarantined "
                        "FROM source_file").fetchall()
    empty_found = dict(con.execute("SELECT source_id, sum(count) FROM finding WHERE kind = 'empty_rows' "
                                   "GROUP BY source_id").fetchall())
    for sid, relpath, read, loaded, empty, quarantined in files:
        assert read == loaded + empty + quarantined, relpath
        assert empty_found.get(sid, 0) == empty, relpath
    assert [r for r in files if r[4]] == [r for r in files if r[1] == PPP]


# --------------------------------------------------------------------------- authorisations a month late


@pytest.fixture(scope="module")
def auth(sources):
    import pandas as pd

    df = pd.read_stata(str(sources / AUTH))
    counts = ["authtroop", "authpolice", "authmilobs", "totalauth", "troop", "police", "milobs", "total"]
    whole = df[counts].apply(lambda c: c.isna() | (c == c.round())).all(axis=1)
    assert (~whole).sum() == 31  # the fractional (interpolated) rows the build quarantines
    df = df[whole].copy()
    df["m"] = df["year"].astype(int) * 12 + df["month"].astype(int) - 1  # months since year 0
    return df


def _ym(n: int) -> str:
    return f"{n // 12}-{n % 12 + 1:02d}"


def test_first_authorisation_a_month_after_the_start_is_a_finding(con, auth, sources, store):
    with (sources / MISSIONS).open(encoding="utf-8", newline="") as fh:
        starts = {r["mission_acronym"]: r["start_date"] for r in csv.DictReader(fh) if r["start_date"]}
    authorised = auth[auth[["authtroop", "authpolice", "authmilobs"]].fillna(0).sum(axis=1) > 0]
    first = authorised.groupby("mission")["m"].min().to_dict()
    first_row = auth.groupby("mission")["m"].min().to_dict()
    expected = {}
    for mission, m in first.items():
        start = starts.get(mission)
        if start and m == int(start[:4]) * 12 + int(start[5:7]) - 1 + 1:
            expected[mission] = (_ym(m), start, _ym(first_row[mission]))
    assert set(expected) == {"UNAMIC", "UNOMIG", "UNPREDEP", "UNCRO", "IPTF", "MONUA", "UNOMSIL", "MINUCI",
                             "UNMISS", "MINUSCA"}
    found = _findings(con, "authorization_month_late")
    assert len(found) == len(expected)
    for mission, (month, start, row) in expected.items():
        [message] = [m for m, _ in found if m.startswith(f"{mission}: ")]
        assert f"first authorised strength in {month}" in message and f"start on {start}" in message
        assert (f"its row for {row} has no authorised figure" in message) == (row != month)
    # answers keep the file's months, and say so where it matters
    res = store.authorized("UNMISS", month="2011-08")
    assert res.rows[0]["auth_troops"] == int(auth[(auth.mission == "UNMISS") & (auth.m == 2011 * 12 + 7)]
                                             ["authtroop"].iloc[0]) == 6834
    assert any("a month late" in n and "2011-07-08" in n for n in res.notes)
    assert not any("a month late" in n for n in store.authorized("UNMISS", month="2011-09").notes)
    assert not any("a month late" in n for n in store.authorized("MINUSMA", month="2013-12").notes)
    with pytest.raises(NoDataError, match="a month late"):
        store.authorized("UNMISS", month="2011-07")


def test_ceiling_changes_without_dates_are_counted(con, auth):
    changes, missions = 0, set()
    for mission, g in auth.sort_values("m").groupby("mission"):
        before = None
        for row in g[["authtroop", "authpolice", "authmilobs"]].itertuples(index=False):
            now = tuple(None if v != v else int(v) for v in row)
            if before is not None and now != before:
                changes += 1
                missions.add(mission)
            before = now
    [(message, count)] = _findings(con, "authorization_dates_unknown")
    assert count == changes
    assert message.startswith(f"the file changes an authorised ceiling {changes} times in {len(missions)} missions")


# --------------------------------------------------------------------------- duplicated UNMIK fatalities


def test_duplicated_unmik_deaths_count_once(con, sources, store):
    with (sources / FATALITIES).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    lines: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        lines[r["casualty_id"]].append(i + 2)
    repeated = {cid: ls for cid, ls in lines.items() if len(ls) > 1}
    assert len(repeated) == 6
    for cid, ls in repeated.items():
        copies = [rows[ln - 2] for ln in ls]
        # same person, date and mission; the copies differ in nationality only (and row id)
        same = {(c["incident_date"], c["mission_acronym"], c["casualty_personnel_type"], c["type_of_incident"],
                 c["gender"]) for c in copies}
        assert len(same) == 1 and copies[0]["mission_acronym"] == "UNMIK"
        assert sorted(c["isocode3"] for c in copies) == ["MNE", "SCG"]
    sid = _sid(con, FATALITIES)
    held = dict(con.execute("SELECT line, reason FROM quarantine WHERE source_id = ?", [sid]).fetchall())
    expected = {}
    for cid, ls in repeated.items():
        keep = next(ln for ln in ls if rows[ln - 2]["isocode3"] == "SCG")
        drop = next(ln for ln in ls if ln != keep)
        expected[drop] = keep
    assert set(held) == set(expected)
    for drop, keep in expected.items():
        assert held[drop].startswith(f"duplicate of line {keep} ")
    [(message, count)] = _findings(con, "duplicate_casualty", FATALITIES)
    assert count == 6
    for drop, keep in expected.items():
        cid = rows[drop - 2]["casualty_id"]
        assert f"{cid} (UNMIK, {rows[drop - 2]['incident_date']}, SCG/MNE, lines {keep} and {drop})" in message
    read, loaded, quarantined = con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined FROM source_file WHERE source_id = ?", [sid]).fetchone()
    assert (read, loaded, quarantined) == (len(rows), len(rows) - 6, 6)
    # the answers count each death once
    per_year = Counter(r["incident_date"][:4] for r in {r["casualty_id"]: r for r in rows}.values()
                       if r["mission_acronym"] == "UNMIK" and "2003" <= r["incident_date"][:4] <= "2005")
    res = store.fatalities(mission="UNMIK", start="2003-01", end="2005-12", by=["year"])
    assert {str(r["year"]): r["fatalities"] for r in res.rows} == dict(per_year) == {"2003": 7, "2004": 8, "2005": 6}
