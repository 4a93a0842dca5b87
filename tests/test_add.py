"""``bluehelmet add``: real DPO report PDFs, and SYNTHETIC Data Hub CSVs made from them,
added to a small sources folder copied into tmp_path.

The folder holds IPI's world series (``ipi/ppp-loader/data_monthly.csv``) and two official
reports (2025-05, 2025-06); each test adds a real report, a real report under another
name, a real report cut short, or a Data Hub CSV written at test time from a real
report's rows (``tests/datahub_csv.py``: SYNTHETIC, in tmp_path, never committed), and
checks what changed in the folder and the database.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.add import add
from bluehelmet.builder import build
from bluehelmet.errors import BluehelmetError
from bluehelmet.sources.dpo_pdf import cells, parse_report

from .datahub_csv import HubRow, read_records, relabel, report_rows, write_hub_csv, write_records

pytestmark = pytest.mark.data

PDF = "UN_country_contributions_{}.pdf"


@pytest.fixture
def folder(tmp_path: Path, sources: Path) -> tuple[Path, Path]:
    root = tmp_path / "sources"
    (root / "ipi" / "ppp-loader").mkdir(parents=True)
    shutil.copyfile(sources / "ipi" / "ppp-loader" / "data_monthly.csv", root / "ipi" / "ppp-loader" / "data_monthly.csv")
    reports = root / "un" / "dpo-monthly"
    reports.mkdir(parents=True)
    for month in ("2025_05", "2025_06"):
        shutil.copyfile(sources / "un" / "dpo-monthly" / PDF.format(month), reports / PDF.format(month))
    db = tmp_path / "db.duckdb"
    build(root, db)
    return root, db


def _state(root: Path, db: Path) -> tuple[dict[str, str], str]:
    """Every file of the folder with its checksum, and the database's checksum."""
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(root.rglob("*")) if p.is_file()}
    return files, hashlib.sha256(db.read_bytes()).hexdigest()


def _world(db: Path, month: str) -> int | None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT sum(total) FROM personnel WHERE strftime(month, '%Y-%m') = ?", [month]).fetchone()
    finally:
        con.close()
    return None if row is None or row[0] is None else int(row[0])


def test_a_new_month_is_added_and_answered(folder, sources) -> None:
    root, db = folder
    new = sources / "un" / "dpo-monthly" / PDF.format("2025_07")
    report = add([new], root, db)
    assert report.months_added == ["2025-07"]
    assert report.rebuilt and report.revisions_total == 0
    assert [(f.action, f.month, f.saved_as) for f in report.files] == \
        [("added", "2025-07", "un/dpo-monthly/" + PDF.format("2025_07"))]
    assert (root / "un" / "dpo-monthly" / PDF.format("2025_07")).read_bytes() == new.read_bytes()
    # the new database answers the month, with the report's own figures (61,127 printed)
    expected = sum(t for _, _, t in cells(parse_report(new)).values())
    assert _world(db, "2025-07") == expected == 61127
    assert not list((root / "un" / "dpo-monthly").glob(".*"))  # no temporary file left


def _refused(root: Path, db: Path, files: list[Path], *says: str) -> str:
    """``add`` refuses ``files`` in one line saying each of ``says``; nothing changes."""
    before = _state(root, db)
    with pytest.raises(BluehelmetError) as err:
        add(files, root, db)
    message = str(err.value)
    assert "\n" not in message and all(s in message for s in says), message
    assert _state(root, db) == before
    return message


def test_the_same_file_again_is_nothing_to_do(folder, sources) -> None:
    root, db = folder
    before = _state(root, db)
    report = add([sources / "un" / "dpo-monthly" / PDF.format("2025_06")], root, db)
    assert not report.rebuilt and not report.changed and report.months_added == []
    assert report.files[0].action == "unchanged" and report.files[0].saved_as.endswith("2025_06.pdf")
    assert _state(root, db) == before


def test_a_month_already_there_with_other_numbers_is_refused(folder, sources, tmp_path) -> None:
    root, db = folder
    # 2019-10 prints no date: under a 2025_06 name its month is 2025-06, already in the folder
    other = tmp_path / PDF.format("2025_06")
    shutil.copyfile(sources / "un" / "dpo-monthly" / PDF.format("2019_10"), other)
    _refused(root, db, [other], str(other), "un/dpo-monthly/" + PDF.format("2025_06"), "2025-06",
             "different numbers")


def test_a_refused_file_stops_the_others_too(folder, sources, tmp_path) -> None:
    """Every file is checked before anything changes: a good file given with a bad one is not added."""
    root, db = folder
    bad = tmp_path / "notes.pdf"
    bad.write_text("not a report\n", encoding="utf-8")
    before = _state(root, db)
    with pytest.raises(BluehelmetError):
        add([sources / "un" / "dpo-monthly" / PDF.format("2025_07"), bad], root, db)
    assert _state(root, db) == before


def test_a_truncated_pdf_is_one_line_naming_the_file(folder, sources, tmp_path) -> None:
    root, db = folder
    data = (sources / "un" / "dpo-monthly" / PDF.format("2025_07")).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    _refused(root, db, [cut], str(cut))


def test_a_text_file_named_pdf_is_one_line(folder, tmp_path) -> None:
    root, db = folder
    fake = tmp_path / "UN_country_contributions_2025_08.pdf"
    fake.write_text("Summary of Contributions to UN Peacekeeping\n", encoding="utf-8")
    with pytest.raises(BluehelmetError) as err:
        add([fake], root, db)
    assert "\n" not in str(err.value) and str(fake) in str(err.value)


def test_a_csv_of_another_layout_is_refused(folder, sources) -> None:
    root, db = folder
    before = _state(root, db)
    with pytest.raises(BluehelmetError, match="not a Data Hub contributions CSV") as err:
        add([sources / "un" / "DPPADPOSS-PKO.csv"], root, db)
    assert "\n" not in str(err.value)
    assert _state(root, db) == before


# --- the Data Hub CSV (SYNTHETIC files written from a real report's rows) ---------------

@pytest.fixture(scope="module")
def rows_2025_06(sources) -> list[HubRow]:
    return report_rows(sources / "un" / "dpo-monthly" / PDF.format("2025_06"))


def test_a_hub_csv_for_a_new_month_is_added_and_ranked(folder, tmp_path, rows_2025_06) -> None:
    import bluehelmet

    root, db = folder
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_2025_08.csv", relabel(rows_2025_06, "2025-08"))
    report = add([csv_file], root, db)
    assert report.months_added == ["2025-08"] and report.rebuilt and report.revisions_total == 0
    assert [(f.action, f.month, f.saved_as, f.months) for f in report.files] == \
        [("added", "2025-08", "un/datahub/DPO-UCHISTORICAL_2025_08.csv", ["2025-08"])]
    assert (root / "un" / "datahub" / "DPO-UCHISTORICAL_2025_08.csv").read_bytes() == csv_file.read_bytes()
    assert _world(db, "2025-08") == _world(db, "2025-06")
    with bluehelmet.open(db) as store:
        ranked = store.rank(month="2025-08", top=3)
        latest = store.rank(top=1)
    # the top three of the rows written, summed here
    expected = sorted(((sum(r.male + r.female for r in rows_2025_06 if r.iso3 == c), c)
                       for c in {r.iso3 for r in rows_2025_06}), reverse=True)[:3]
    assert [(r["personnel"], r["contributor"]) for r in ranked.rows] == expected
    assert latest.query["month"] == "2025-08"
    # the same file again: nothing to do
    again = add([csv_file], root, db)
    assert not again.rebuilt and again.files[0].action == "unchanged"


def test_a_hub_csv_for_an_existing_month_with_other_numbers_is_refused(folder, tmp_path, rows_2025_06) -> None:
    root, db = folder
    first = rows_2025_06[0]
    altered = [HubRow(first.country, first.iso3, first.mission, first.type, first.male + 3, first.female,
                      first.month), *rows_2025_06[1:]]
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_2025_06_altered.csv", altered)
    _refused(root, db, [csv_file], str(csv_file), "un/dpo-monthly/" + PDF.format("2025_06"), "2025-06",
             "different numbers", "1 cell differs")


def test_a_hub_csv_with_the_reports_figures_is_nothing_to_do(folder, tmp_path, rows_2025_06) -> None:
    root, db = folder
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_2025_06.csv", rows_2025_06, "old")
    before = _state(root, db)
    report = add([csv_file], root, db)
    assert not report.rebuilt and report.files[0].action == "unchanged"
    assert report.files[0].saved_as == "un/dpo-monthly/" + PDF.format("2025_06")
    assert _state(root, db) == before


def test_a_hub_csv_spanning_months_adds_the_new_ones(folder, tmp_path, sources, rows_2025_06) -> None:
    root, db = folder
    rows_05 = report_rows(sources / "un" / "dpo-monthly" / PDF.format("2025_05"))
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_span.csv",
                             rows_05 + rows_2025_06 + relabel(rows_2025_06, "2025-09"), "epoch_ms")
    report = add([csv_file], root, db)
    assert report.months_added == ["2025-09"] and report.revisions_total == 0
    (f,) = report.files
    assert (f.action, f.month, f.months) == ("added", "2025-05 .. 2025-09", ["2025-05", "2025-06", "2025-09"])
    assert f.saved_as == "un/datahub/DPO-UCHISTORICAL_2025_05-2025_09.csv"


def test_two_hub_csvs_given_together(folder, tmp_path, rows_2025_06) -> None:
    """Checked against each other too; the same span of months gets a second name."""
    root, db = folder
    aug, oct_ = relabel(rows_2025_06, "2025-08"), relabel(rows_2025_06, "2025-10")
    a = write_hub_csv(tmp_path / "SYNTHETIC_a.csv", aug + oct_)
    b = write_hub_csv(tmp_path / "SYNTHETIC_b.csv", aug + relabel(rows_2025_06, "2025-09") + oct_, "old")
    report = add([a, b], root, db)
    assert [f.saved_as for f in report.files] == ["un/datahub/DPO-UCHISTORICAL_2025_08-2025_10.csv",
                                                  "un/datahub/DPO-UCHISTORICAL_2025_08-2025_10-2.csv"]
    assert report.months_added == ["2025-08", "2025-09", "2025-10"]
    first = rows_2025_06[0]
    c = write_hub_csv(tmp_path / "SYNTHETIC_c.csv", [HubRow(first.country, first.iso3, first.mission, first.type,
                                                            first.male, first.female + 1, "2025-11")])
    d = write_hub_csv(tmp_path / "SYNTHETIC_d.csv", relabel(rows_2025_06, "2025-11"))
    before = _state(root, db)
    with pytest.raises(BluehelmetError, match=r"SYNTHETIC_d.csv gives 2025-11, but .*SYNTHETIC_c.csv already holds"):
        add([c, d], root, db)
    assert _state(root, db) == before


def test_a_hub_csv_with_a_bad_row_is_refused(folder, tmp_path, rows_2025_06) -> None:
    root, db = folder
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_bad.csv", relabel(rows_2025_06, "2025-08"))
    records = read_records(csv_file)
    records[3][5] = "sailors"  # line 4's personnel type
    write_records(csv_file, records)
    _refused(root, db, [csv_file], str(csv_file), "line 4, column personnel_type: unknown personnel type 'sailors'")


def test_a_hub_csv_with_conflicting_duplicates_is_refused(folder, tmp_path, rows_2025_06) -> None:
    root, db = folder
    rows = relabel(rows_2025_06, "2025-08")
    first = rows[0]
    twice = [*rows, HubRow(first.country, first.iso3, first.mission, first.type, first.male, first.female + 1,
                           first.month)]
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_twice.csv", twice)
    with pytest.raises(BluehelmetError, match=r"conflicting duplicate of line 2"):
        add([csv_file], root, db)


def test_a_report_for_a_month_a_hub_csv_holds_otherwise_is_refused(folder, tmp_path, sources, rows_2025_06) -> None:
    """The check runs both ways: a report against the Data Hub's month too."""
    root, db = folder
    hub_07 = write_hub_csv(tmp_path / "SYNTHETIC_datahub_2025_07.csv", relabel(rows_2025_06, "2025-07"))
    assert add([hub_07], root, db).months_added == ["2025-07"]
    _refused(root, db, [sources / "un" / "dpo-monthly" / PDF.format("2025_07")], "is the report for 2025-07",
             "un/datahub/DPO-UCHISTORICAL_2025_07.csv")


def test_a_month_ipi_had_is_reported_as_revised(folder, sources) -> None:
    """2015-05: IPI's world total (106,173) is replaced by the report's rows, which differ."""
    root, db = folder
    new = sources / "un" / "dpo-monthly" / PDF.format("2015_05")
    report = add([new], root, db)
    assert report.months_added == []
    world = [r for r in report.revisions if r.contributor is None and r.month == "2015-05"]
    assert len(world) == 1
    assert world[0].old == 106173
    assert world[0].new == sum(t for _, _, t in cells(parse_report(new)).values()) != 106173


def test_the_cli_verb(folder, sources, tmp_path) -> None:
    from bluehelmet.cli import cli

    root, db = folder
    new = str(sources / "un" / "dpo-monthly" / PDF.format("2025_07"))
    args = ["add", new, "--sources", str(root), "--db", str(db)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    assert "months added: 2025-07" in res.output
    res = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert res.exit_code == 0 and '"rebuilt": false' in res.output
    fake = tmp_path / "x.pdf"
    fake.write_text("hello", encoding="utf-8")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "add", str(fake), "--sources", str(root),
                           "--db", str(db)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and str(fake) in proc.stderr


def test_the_cli_verb_with_a_hub_csv(folder, tmp_path, rows_2025_06) -> None:
    from bluehelmet.cli import cli

    root, db = folder
    csv_file = write_hub_csv(tmp_path / "SYNTHETIC_datahub_2025_08.csv", relabel(rows_2025_06, "2025-08"))
    res = CliRunner().invoke(cli, ["add", str(csv_file), "--sources", str(root), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "months added: 2025-08" in res.output and "DPO-UCHISTORICAL_2025_08.csv" in res.output


# -- bad input: real reports cut or altered here (tests/pdf_edits.py) -------------------------

@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A parse cache of the test's own: altered files never reach the user's cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("BLUEHELMET_CACHE", str(cache))
    return cache


def test_an_encrypted_pdf_is_refused(folder, sources, tmp_path, own_cache) -> None:
    from .pdf_edits import encrypt

    root, db = folder
    locked = encrypt(sources / "un" / "dpo-monthly" / PDF.format("2025_07"), tmp_path / "locked.pdf", user=b"secret")
    _refused(root, db, [locked], str(locked), "encrypted", "password")


def test_another_report_is_refused(folder, sources, tmp_path, own_cache) -> None:
    from .pdf_edits import retitle

    root, db = folder
    other = retitle(sources / "un" / "dpo-monthly" / PDF.format("2025_07"), tmp_path / "ranking.pdf",
                    ("Contribution of Uniformed Personnel", "by Mission, Country", "Experts on Mission, Formed"),
                    ("Ranking of Military and Police Contributions to UN Operations",))
    _refused(root, db, [other], str(other), "unknown layout", "Ranking of Military")


def test_a_report_with_a_page_missing_is_refused(folder, sources, tmp_path, own_cache) -> None:
    from .pdf_edits import drop_page

    root, db = folder
    cut = drop_page(sources / "un" / "dpo-monthly" / PDF.format("2025_07"), tmp_path / "cut.pdf", 15)
    _refused(root, db, [cut], str(cut), "incomplete report for 2025-07", "printed page 16 of 30 not in the file")


def test_a_page_of_another_month_is_refused(folder, sources, tmp_path, own_cache) -> None:
    from .pdf_edits import swap_page

    root, db = folder
    reports = sources / "un" / "dpo-monthly"
    mixed = swap_page(reports / PDF.format("2025_07"), tmp_path / "mixed.pdf", 15, reports / PDF.format("2025_06"), 15)
    _refused(root, db, [mixed], str(mixed), "incomplete report for 2025-07", "grand: rows read add up to")


def test_a_rotated_page_is_read_and_added(folder, sources, tmp_path, own_cache) -> None:
    """Page 16 drawn sideways and page 1 turned by /Rotate: the report reads as printed."""
    from .pdf_edits import set_rotation, turn_content

    root, db = folder
    real = sources / "un" / "dpo-monthly" / PDF.format("2025_07")
    turned = set_rotation(turn_content(real, tmp_path / "t.pdf", 15, 270), tmp_path / "turned.pdf", 0, 90)
    report = add([turned], root, db)
    assert report.months_added == ["2025-07"] and report.files[0].action == "added"
    assert _world(db, "2025-07") == 61127


def test_two_files_for_one_month_with_different_numbers_are_refused(folder, sources, tmp_path, own_cache) -> None:
    """2025-07 and 2019-10's report (which prints no date) under a 2025_07 name, given
    together: neither is added, and the error names both."""
    root, db = folder
    reports = sources / "un" / "dpo-monthly"
    other = tmp_path / PDF.format("2025_07")
    shutil.copyfile(reports / PDF.format("2019_10"), other)
    message = _refused(root, db, [reports / PDF.format("2025_07"), other], "2025-07", "different numbers")
    assert str(other) in message and str(reports / PDF.format("2025_07")) in message
