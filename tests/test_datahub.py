"""The Data Hub contributions CSV (DPO-UCHISTORICAL) as a layout of the official reports domain.

We have no real Data Hub file: every CSV here is SYNTHETIC, written at test time into
tmp_path (``tests/datahub_csv.py``) from a real monthly report's rows, read through the
PDF parser, in the Hub's published layout (current, old capitalised, epoch dates). Built
alone, such a CSV must give exactly the report's contributor and mission totals, which
are checked against the totals the PDF prints (read from the PDF, not from its rows).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from bluehelmet.builder import build
from bluehelmet.errors import BluehelmetError
from bluehelmet.reference import country_index
from bluehelmet.sources.datahub import mission_code, parse_date
from bluehelmet.sources.dpo_pdf import parse_report

from .datahub_csv import HEADER, HubRow, read_records, relabel, report_rows, write_hub_csv, write_records

PDF = "UN_country_contributions_{}.pdf"


def _pdf(sources: Path, month: str) -> Path:
    return sources / "un" / "dpo-monthly" / PDF.format(month)


def _folder(tmp_path: Path, name: str = "src") -> Path:
    root = tmp_path / name
    (root / "un" / "datahub").mkdir(parents=True)
    return root


def _query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _totals(db: Path, month: str, key: str) -> dict[str, int]:
    return dict(_query(db, f"SELECT {key}, sum(total) FROM personnel WHERE strftime(month, '%Y-%m') = ? "
                           "GROUP BY ALL", [month]))


def _printed(pdf: Path) -> tuple[dict[str, int], dict[str, int], int | None]:
    """The PDF's printed totals, per contributor and per mission, and its grand total: from
    the country subtotals, the mission totals, or else the sums of the printed subtotals of
    a country within a mission (never from the rows)."""
    report = parse_report(pdf)
    idx = country_index()
    contributor: dict[str, int] = defaultdict(int)
    mission: dict[str, int] = defaultdict(int)
    scopes = {t.scope for t in report.totals}
    for t in report.totals:
        if t.scope == "country" or (t.scope in ("country_mission", "mission_country") and "country" not in scopes):
            contributor[idx.resolve(t.country)] += t.total
        if t.scope == "mission" or (t.scope in ("country_mission", "mission_country") and "mission" not in scopes):
            mission[t.mission] += t.total
    return dict(contributor), dict(mission), report.grand_total


# month, style: every layout the Hub is described in, on reports of three table layouts
CASES = [("2017_06", "current"), ("2021_01", "old"), ("2025_07", "epoch_ms"), ("2024_06", "epoch")]


@pytest.mark.parametrize(("month", "style"), CASES)
def test_a_month_as_hub_csv_builds_to_the_reports_printed_totals(sources, tmp_path, month, style) -> None:
    pdf = _pdf(sources, month)
    root = _folder(tmp_path)
    write_hub_csv(root / "un" / "datahub" / f"SYNTHETIC_datahub_{month}_{style}.csv", report_rows(pdf), style)
    db = tmp_path / "hub.duckdb"
    report = build(root, db)
    (f,) = report.files
    assert f.layout == "un_datahub_contributions" and f.rows_quarantined == 0 and f.rows_read == f.rows_loaded
    ym = month.replace("_", "-")
    contributors, missions, grand = _printed(pdf)
    assert missions, "the report prints mission totals"
    assert _totals(db, ym, "mission") == missions
    if len(contributors) > 1:  # 2017-06 and 2021-01 print them (2024-25's layout does not)
        assert _totals(db, ym, "contributor") == contributors
    assert sum(_totals(db, ym, "mission").values()) == grand
    # and the same as the PDF built alone, contributor by contributor
    alone = tmp_path / "pdf"
    (alone / "un" / "dpo-monthly").mkdir(parents=True)
    shutil.copyfile(pdf, alone / "un" / "dpo-monthly" / pdf.name)
    build(alone, tmp_path / "pdf.duckdb")
    assert _totals(db, ym, "contributor") == _totals(tmp_path / "pdf.duckdb", ym, "contributor")
    assert _totals(db, ym, "mission") == _totals(tmp_path / "pdf.duckdb", ym, "mission")
    # staff officers stay apart from troops where the report counts them so (from 2017-05)
    assert _query(db, "SELECT count(*) FROM personnel WHERE type = 'staff_officers'")[0][0] > 0
    assert _query(db, "SELECT source_id, strftime(month, '%Y-%m'), loaded FROM datahub_month") == [(1, ym, True)]


@pytest.fixture(scope="module")
def rows_2025_07(sources) -> list[HubRow]:
    return report_rows(_pdf(sources, "2025_07"))


def test_a_month_in_a_report_and_the_hub_is_counted_once(sources, tmp_path, rows_2025_07) -> None:
    """The report wins its month (precedence 5 against 8); the check compares the two."""
    root = _folder(tmp_path)
    (root / "un" / "dpo-monthly").mkdir()
    shutil.copyfile(_pdf(sources, "2025_07"), root / "un" / "dpo-monthly" / PDF.format("2025_07"))
    # SYNTHETIC: the report's rows, one figure changed (as a file copied in by hand could be)
    first = rows_2025_07[0]
    changed = [HubRow(first.country, first.iso3, first.mission, first.type, first.male + 7, first.female,
                      first.month), *rows_2025_07[1:]]
    write_hub_csv(root / "un" / "datahub" / "SYNTHETIC_datahub_2025_07.csv", changed)
    db = tmp_path / "both.duckdb"
    build(root, db)
    assert sum(_totals(db, "2025-07", "contributor").values()) == 61127  # the report's, not twice, not the Hub's
    used = _query(db, "SELECT DISTINCT s.layout FROM personnel p JOIN source_file s USING (source_id)")
    assert used == [("un_dpo_monthly",)]
    cells = _query(db, """SELECT contributor, mission, type, value_a, value_b FROM reconciliation
                          WHERE check_name = 'overlap:detail'""")
    assert cells == [(first.iso3, first.mission, first.type, first.male + first.female,
                      first.male + first.female + 7)]
    (finding,) = _query(db, "SELECT message, count FROM finding WHERE kind = 'datahub_vs_reports'")
    assert finding[1] == 1 and "2025-07: 1 cell, e.g." in finding[0] and "0 equal" in finding[0]


def test_the_hub_answers_a_month_no_report_prints(sources, tmp_path, rows_2025_07) -> None:
    root = _folder(tmp_path)
    (root / "un" / "dpo-monthly").mkdir()
    shutil.copyfile(_pdf(sources, "2025_07"), root / "un" / "dpo-monthly" / PDF.format("2025_07"))
    # SYNTHETIC: 2025-07's rows relabelled 2025-06 (a month this folder has no report for) and 2025-07
    write_hub_csv(root / "un" / "datahub" / "SYNTHETIC_datahub_2025_06-07.csv",
                  relabel(rows_2025_07, "2025-06") + rows_2025_07, "old")
    db = tmp_path / "fill.duckdb"
    build(root, db)
    per_month = dict(_query(db, """SELECT strftime(month, '%Y-%m'), string_agg(DISTINCT s.layout, ',')
                                   FROM personnel p JOIN source_file s USING (source_id) GROUP BY 1"""))
    assert per_month == {"2025-06": "un_datahub_contributions", "2025-07": "un_dpo_monthly"}
    assert sum(_totals(db, "2025-06", "contributor").values()) == 61127
    ((message,),) = _query(db, "SELECT message FROM finding WHERE kind = 'datahub_vs_reports'")
    assert "1 month(s) both have (2025-07 .. 2025-07): 1 equal" in message


def test_bad_rows_are_quarantined_with_line_and_column(tmp_path, rows_2025_07) -> None:
    root = _folder(tmp_path)
    path = write_hub_csv(root / "un" / "datahub" / "SYNTHETIC_datahub_bad.csv", rows_2025_07)
    records = read_records(path)

    def edit(line: int, column: str, value: str) -> int:
        fields = records[line - 1]
        removed = int(fields[6]) + int(fields[7])
        fields[HEADER.index(column)] = value
        return removed

    removed = edit(3, "contributing_country", "Freedonia")
    removed += edit(5, "female_personnel", "-2")
    removed += edit(7, "last_reporting_date", "31/02/2025")
    removed += edit(9, "personnel_type", "civilians")
    removed += edit(11, "isocode3", "FRA" if records[10][2] != "FRA" else "DEU")
    removed += edit(13, "male_personnel", "")
    # a conflicting duplicate of line 15 at the end (its numbers changed)
    dup = list(records[14])
    dup[6] = str(int(dup[6]) + 1)
    records.append(dup)
    write_records(path, records)
    last = len(records)

    db = tmp_path / "bad.duckdb"
    report = build(root, db)
    (f,) = report.files
    assert f.rows_read == len(rows_2025_07) + 1 == f.rows_loaded + f.rows_quarantined
    got = {line: (column, reason) for line, column, reason in
           _query(db, "SELECT line, \"column\", reason FROM quarantine ORDER BY line")}
    assert sorted(got) == [3, 5, 7, 9, 11, 13, last]
    assert got[3][0] == "contributing_country" and got[3][1].startswith("unknown country 'Freedonia'")
    assert got[5] == ("female_personnel", "negative count: '-2'")
    assert got[7][0] == "last_reporting_date" and got[7][1].startswith("not a date")
    assert got[9][0] == "personnel_type" and "unknown personnel type 'civilians'" in got[9][1]
    assert got[11][0] == "isocode3" and "but isocode3 says" in got[11][1]
    assert got[13] == ("male_personnel", "empty")
    assert got[last][1].startswith("conflicting duplicate of line 15")
    assert sum(_totals(db, "2025-07", "contributor").values()) == 61127 - removed


def test_two_hub_files_give_a_month_once(tmp_path, rows_2025_07) -> None:
    """One file per month: the file reaching the latest month; the other's rows are quarantined."""
    root = _folder(tmp_path)
    hub = root / "un" / "datahub"
    write_hub_csv(hub / "SYNTHETIC_a_2025_07-08.csv", rows_2025_07 + relabel(rows_2025_07, "2025-08"))
    write_hub_csv(hub / "SYNTHETIC_b_2025_07.csv", rows_2025_07, "epoch")
    db = tmp_path / "two.duckdb"
    build(root, db)
    assert sum(_totals(db, "2025-07", "contributor").values()) == 61127
    loaded = _query(db, """SELECT s.relpath, strftime(d.month, '%Y-%m'), d.loaded FROM datahub_month d
                           JOIN source_file s USING (source_id) ORDER BY 1, 2""")
    assert loaded == [("un/datahub/SYNTHETIC_a_2025_07-08.csv", "2025-07", True),
                      ("un/datahub/SYNTHETIC_a_2025_07-08.csv", "2025-08", True),
                      ("un/datahub/SYNTHETIC_b_2025_07.csv", "2025-07", False)]
    quarantined = _query(db, """SELECT count(*), min(reason) FROM quarantine q JOIN source_file s USING (source_id)
                                WHERE s.relpath LIKE '%SYNTHETIC_b%'""")[0]
    assert quarantined[0] == len(rows_2025_07) and "is loaded from un/datahub/SYNTHETIC_a" in quarantined[1]
    kinds = [k for (k,) in _query(db, "SELECT kind FROM finding WHERE kind LIKE 'datahub_month%'")]
    assert kinds == ["datahub_month_repeated"]


def test_a_csv_of_another_layout_is_one_line(tmp_path) -> None:
    root = _folder(tmp_path)
    (root / "un" / "datahub" / "SYNTHETIC_other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(BluehelmetError) as err:
        build(root, tmp_path / "x.duckdb")
    assert "\n" not in str(err.value) and "contributing_country" in str(err.value)
    assert not (tmp_path / "x.duckdb").exists()


def test_code_columns_checked_against_the_name(tmp_path) -> None:
    """SYNTHETIC rows, numbers invented: swapped code columns are read the other way round,
    an unknown ISO3 code or a wrong M49 code is a finding and the name decides."""
    root = _folder(tmp_path)
    (root / "un" / "datahub" / "SYNTHETIC_codes.csv").write_text(
        ",".join(HEADER) + "\n"
        "1,Ghana,288,GHA,UNIFIL,troops,10,1,2025-07-31\n"
        "2,Nepal,XNP,524,UNIFIL,troops,20,2,2025-07-31\n"
        "3,Kenya,KEN,999,UNMISS,staff_officer,3,0,2025-07-31\n", encoding="utf-8")
    db = tmp_path / "codes.duckdb"
    build(root, db)
    assert _totals(db, "2025-07", "contributor") == {"GHA": 11, "NPL": 22, "KEN": 3}
    kinds = {k for (k,) in _query(db, "SELECT kind FROM finding WHERE kind LIKE 'datahub_%'")}
    assert kinds == {"datahub_codes_swapped", "datahub_iso3_unknown", "datahub_m49_mismatch"}


def test_a_state_before_it_existed_is_attributed_to_its_predecessor(tmp_path) -> None:
    """SYNTHETIC rows, numbers invented, in the layout of the Hub's pre-2010 file: the
    Russian Federation of 1991-11 is the Soviet Union's, of 1991-12 Russia's; Czech rows of
    1992 are Czechoslovakia's; each remapping is an ``attributed`` finding."""
    root = _folder(tmp_path)
    (root / "un" / "datahub" / "SYNTHETIC_pre2010.csv").write_text(
        ",".join(HEADER) + "\n"
        "1,Russian Federation,RUS,643,UNTSO,experts_on_mission,30,0,1991-11-30\n"
        "2,Russian Federation,RUS,643,UNTSO,experts_on_mission,31,0,1991-12-31\n"
        "3,Czech Republic,CZE,203,UNPROFOR,troops,500,0,1992-06-30\n"
        "4,Czech Republic,CZE,203,UNPROFOR,troops,490,0,1993-01-31\n", encoding="utf-8")
    db = tmp_path / "pre2010.duckdb"
    build(root, db)
    assert _totals(db, "1991-11", "contributor") == {"SUN": 30}
    assert _totals(db, "1991-12", "contributor") == {"RUS": 31}
    assert _totals(db, "1992-06", "contributor") == {"CSK": 500}
    assert _totals(db, "1993-01", "contributor") == {"CZE": 490}
    found = sorted(n for (n,) in _query(db, "SELECT count FROM finding WHERE kind = 'attributed'"))
    assert found == [1, 1]
    # the spelling means what it means; the date decides whose row it is
    assert ("Russian Federation", "RUS") in set(_query(db, "SELECT spelling, iso3 FROM country_spelling"))


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-07-31", date(2025, 7, 31)), ("2025-07-31T00:00:00", date(2025, 7, 31)),
    ("2025-07-31 00:00:00.000", date(2025, 7, 31)), ("31/07/2025", date(2025, 7, 31)),
    ("1/2/2010", date(2010, 2, 1)), ("1753920000", date(2025, 7, 31)), ("1753920000000", date(2025, 7, 31)),
    ("1753920000000.0", date(2025, 7, 31)), ("1264896000", date(2010, 1, 31)),
])
def test_dates_in_every_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "2025-13-31", "07/31/2025", "July 2025", "0", "20250731", "-5",
                                  "99999999999999999999", "3000-01-31"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_acronyms_as_the_reports_print_them() -> None:
    assert [mission_code(s) for s in ("  UNMISS  ", "minusca", "UNOSOM  II")] == ["UNMISS", "MINUSCA", "UNOSOM II"]
