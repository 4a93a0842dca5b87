"""Per-cell precedence: a cell is answered from a file that is complete for it.

Where two files of one grain cover a contributor's month, the better-precedence file
answers unless it lacks rows the other has (the reconciliation's ``missing_rows``
finding); where no file is complete, the answer warns with the competing figures. The
expected figures are computed here from the raw files with the standard library.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

import bluehelmet
from bluehelmet.builder import build

from .conftest import num, raw_rows
from .synthetic import DETAIL_ROWS, add_ppp_gender, make_sources

# the detail files' type columns, as each spells them (TCC: spaces, PPP: underscores)
_TYPES = {"police": ("Individual Police Total", "Formed Police Units Total"),
          "experts": ("Experts on Mission Total",), "troops": ("Troops Total",)}
_DETAIL_FILES = {"ipi_tcc_gender": "ipi/tcc-datascraper/Gender.Full.csv",
                 "ipi_ppp_gender": "ipi/ppp-loader/full_gender_data.csv"}


def _cells(path: Path) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """(YYYY-MM, ISO3) -> {(mission, coarse type): personnel}, non-zero cells only, as the
    raw detail file has them (aggregate ``all`` rows left out)."""
    out: dict[tuple[str, str], dict[tuple[str, str], int]] = defaultdict(dict)
    for row in raw_rows(path):
        row = {k.replace("_", " ").replace("Contributor ISO-3", "iso3"): v for k, v in row.items()}
        iso3, mission = row["iso3"], row["Mission"].strip().strip("'")
        if iso3 == "all" or mission == "all":
            continue
        for ctype, columns in _TYPES.items():
            n = sum(num(row[c]) for c in columns)
            if n:
                key = (mission, ctype)
                out[(row["Date"][:7], iso3)][key] = out[(row["Date"][:7], iso3)].get(key, 0) + n
    return out


@pytest.fixture(scope="module")
def raw_detail(sources):
    return {layout: _cells(sources / rel) for layout, rel in _DETAIL_FILES.items()}


def _missing_rows(store) -> list[tuple[str, str, str, str]]:
    found = []
    for (message,) in store.con.execute("SELECT message FROM finding WHERE kind = 'missing_rows'").fetchall():
        m = re.match(r".* \((\w{3})\) (\d{4}-\d{2}): .* in layout (\w+) but missing from layout (\w+)", message)
        assert m, message
        found.append(m.groups())
    return found


def test_every_missing_rows_finding_is_answered_from_the_complete_file(store, raw_detail):
    findings = _missing_rows(store)
    assert len(findings) >= 3  # France 2012-06, Colombia 2010-05 and the US months at least
    for iso3, month, has, lacks in findings:
        full, partial = raw_detail[has][(month, iso3)], raw_detail[lacks].get((month, iso3), {})
        # what the finding says, checked on the raw files: one file holds cells the other lacks
        assert set(full) - set(partial), (iso3, month)
        res = store.personnel(country=[iso3], month=month)
        if set(partial) <= set(full):  # the file that has the rows is complete: it answers
            assert res.scalar() == sum(full.values()), (iso3, month, has)
            assert not res.warnings
        else:  # each file lacks something: the answer warns with both figures
            assert res.warnings and f"{sum(full.values()):,}" in res.warnings[0]


def test_france_june_2012_is_answered_from_the_complete_file_everywhere(store, raw_detail):
    full = raw_detail["ipi_ppp_gender"][("2012-06", "FRA")]
    expected = sum(full.values())
    assert 1050 < expected < 1150  # about 1,098: UNIFIL's 1,011 troops plus the small missions
    res = store.personnel(country=["France"], month="2012-06")
    assert res.scalar() == expected
    # the answer says which file and why, and cites it
    assert any("ipi_ppp_gender" in n and "UNIFIL" in n for n in res.notes)
    assert res.choices[0]["reason"] == "complete" and res.choices[0]["answered_from"] == "ipi_ppp_gender"
    assert any(s.path == _DETAIL_FILES["ipi_ppp_gender"] for s in res.sources)
    # the world total, UNIFIL and the P5 ranking hold France's UNIFIL troops too
    world_raw = sum(v for (m, _), cells in raw_detail["ipi_tcc_gender"].items() if m == "2012-06"
                    for v in cells.values())
    tcc_france = sum(raw_detail["ipi_tcc_gender"].get(("2012-06", "FRA"), {}).values())
    assert store.personnel(month="2012-06").scalar() == world_raw - tcc_france + expected
    unifil = store.personnel(mission=["UNIFIL"], month="2012-06")
    assert any("France" in n for n in unifil.notes)
    ranks = {r["contributor"]: r["rank"] for r in store.rank(month="2012-06", within="P5").rows}
    assert ranks["FRA"] == 2


def test_plain_precedence_cells_say_nothing(store):
    # the US months: the better file (TCC) holds the rows PPP lacks, so it answers as ever
    res = store.personnel(country=["USA"], month="2011-06")
    assert not res.choices and not res.warnings


def test_every_contributor_total_choice_matches_the_raw_complete_file(store, sources):
    rows = store.con.execute("""
        SELECT c.month, c.contributor, c.layout, list((k.layout, f.relpath))
        FROM cell_choice c JOIN cell_candidate k USING (grain, month, contributor)
        JOIN source_file f ON f.source_id = k.source_id
        WHERE c.grain = 'contributor' AND c.reason = 'complete' GROUP BY ALL""").fetchall()
    assert rows  # Switzerland 1999-02 at least
    for month, iso3, layout, cands in rows:
        paths = {c[0]: c[1] for c in cands}
        raw = {lay: next((r for r in raw_rows(sources / p) if r["Date"][:7] == f"{month:%Y-%m}"), None)
               for lay, p in paths.items()}
        have = {lay: {k for k in ("Troops", "Police", "Experts") if r and num(r[k])} for lay, r in raw.items()}
        # the chosen file holds every type any other file has, and answers with its sum
        assert all(have[layout] >= h for h in have.values()), (iso3, month)
        expected = sum(num(raw[layout][k]) for k in ("Troops", "Police", "Experts"))
        assert store.personnel(country=[iso3], month=f"{month:%Y-%m}").scalar() == expected


def test_choices_are_stored_with_their_reason(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    reasons = dict(con.execute("SELECT reason, count(*) FROM cell_choice GROUP BY reason").fetchall())
    assert reasons["precedence"] > 1000 and reasons["complete"] >= 2
    chosen = con.execute("""SELECT layout, lacking_missions FROM cell_choice
                            WHERE grain = 'detail' AND month = DATE '2012-06-01' AND contributor = 'FRA'""").fetchone()
    assert chosen == ("ipi_ppp_gender", ["UNIFIL"])


# ---- SYNTHETIC: two detail files that each lack a row the other has ----------------------

@pytest.fixture(scope="module")
def two_files_db(tmp_path_factory):
    """TCC's file lacks Nepal-UNIFIL in 2020-02 (PPP has it: PPP is complete there); for
    Ghana 2020-01 TCC lacks UNIFIL and PPP lacks UNMISS (no file is complete)."""
    root = tmp_path_factory.mktemp("choice")
    drop_tcc = {("2020-02-29", "NPL", "UNIFIL"), ("2020-01-31", "GHA", "UNIFIL")}
    drop_ppp = {("2020-01-31", "GHA", "UNMISS")}
    src = make_sources(root / "sources", rows=tuple(r for r in DETAIL_ROWS
                                                    if (r.date, r.iso3, r.mission) not in drop_tcc))
    add_ppp_gender(src, tuple(r for r in DETAIL_ROWS if (r.date, r.iso3, r.mission) not in drop_ppp))
    db = root / "two.duckdb"
    build(src.root, db)
    return db


def _total(rows) -> int:
    return sum(sum(r.individual_police) + sum(r.formed_police) + sum(r.experts) + sum(r.troops) for r in rows)


def test_synthetic_complete_file_wins_and_incomplete_cells_warn(two_files_db):
    with bluehelmet.open(two_files_db) as s:
        nepal = s.personnel(country=["Nepal"], month="2020-02")
        assert nepal.scalar() == _total([r for r in DETAIL_ROWS if r.iso3 == "NPL" and r.date == "2020-02-29"])
        assert nepal.choices and nepal.choices[0]["answered_from"] == "ipi_ppp_gender"
        ghana = s.personnel(country=["Ghana"], month="2020-01")
        tcc = _total([r for r in DETAIL_ROWS if (r.iso3, r.date, r.mission) == ("GHA", "2020-01-31", "UNMISS")])
        ppp = _total([r for r in DETAIL_ROWS if (r.iso3, r.date, r.mission) == ("GHA", "2020-01-31", "UNIFIL")])
        assert ghana.scalar() == tcc  # the best-precedence file, not a silent mix of both
        assert len(ghana.warnings) == 1
        assert f"ipi_tcc_gender {tcc:,}" in ghana.warnings[0] and f"ipi_ppp_gender {ppp:,}" in ghana.warnings[0]
        kinds = [k for (k,) in s.con.execute("SELECT kind FROM finding WHERE kind = 'no_complete_source'").fetchall()]
        assert kinds == ["no_complete_source"]
        # a question about Nepal alone carries no warning about Ghana
        assert not s.personnel(country=["Nepal"], month="2020-01").warnings


# ---- a mission under another acronym --------------------------------------------------------

def test_onuci_months_are_unoci(store, sources):
    raw = {r["date"][:7]: r for r in raw_rows(sources / "ipi/tcc-datascraper/Data.Mission.csv")
           if r["mission"] in ("ONUCI", "UNOCI")}
    onuci = sorted(m for m, r in raw.items() if r["mission"] == "ONUCI")
    assert onuci[0] == "2005-05" and len(onuci) >= 12  # the French acronym's months in IPI's table
    series = {r["month"]: r["personnel"] for r in store.personnel(mission=["UNOCI"], start="2005-01",
                                                                  end="2006-12").rows}
    for m in onuci:
        assert series[m] == num(raw[m]["total"]), m
    # asked by its alias, the same mission; and no mission of that name is left
    assert store.personnel(mission=["ONUCI"], month=onuci[0]).scalar() == num(raw[onuci[0]]["total"])
    assert store.resolve_name("onuci") == ("mission", "UNOCI")  # the search box knows it too
    assert store.con.execute("SELECT count(*) FROM mission WHERE acronym = 'ONUCI'").fetchone()[0] == 0
    assert store.con.execute("SELECT count(*) FROM finding WHERE kind = 'mission_alias'").fetchone()[0] >= 1


def test_a_claim_names_the_file_that_answered_the_cell(store, raw_detail):
    from bluehelmet.claims import check

    expected = sum(raw_detail["ipi_ppp_gender"][("2012-06", "FRA")].values())
    verdict = check(store, "personnel(France, 2012-06) ~ 1,000")
    assert verdict.verdict == "true" and verdict.left == expected
    assert "ipi_ppp_gender" in (verdict.steps[0].note or "")
    assert [s.path for s in verdict.sources()] == [_DETAIL_FILES["ipi_ppp_gender"]]
