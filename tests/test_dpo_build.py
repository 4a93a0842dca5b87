"""The official UN DPO monthly reports (PDF) in the database: the official_reports domain.

Figures in the database are checked against independent readings of the PDFs: the
printed subtotals and grand totals read from ``pdftotext -layout`` with regular
expressions written here, the parser's rows summed directly (bypassing the build's name
resolution, writer, precedence and query layer), and IPI's ``data_monthly.csv`` read with
the csv module for the months both have.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from bluehelmet.errors import BluehelmetError, NoDataError
from bluehelmet.reference import country_index
from bluehelmet.sources.dpo_pdf import parse_report

PDF = "un/dpo-monthly/UN_country_contributions_{}.pdf"
# at least one month of every layout (dpo_layouts): mission_summary, country_mission_detail,
# country_mission_post, country_post, flat, wide_pairs, mission_country, mission_contributor,
# report_server, country_type
MONTHS = {
    "2015_01": "mission_summary", "2016_07": "mission_summary", "2016_11": "country_mission_detail",
    "2017_06": "country_mission_post", "2018_03": "country_post", "2019_05": "country_post",
    "2019_09": "flat", "2019_10": "wide_pairs", "2020_03": "mission_country",
    "2020_12": "mission_country", "2021_01": "mission_contributor", "2022_09": "report_server",
    "2023_09": "country_type", "2024_10": "flat", "2025_07": "report_server",
}
NO_MISSIONS = {"country_post", "country_type"}

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="poppler-utils not installed (the README's test command installs it; under CI it must be there)")


@pytest.fixture(scope="module")
def con(built_db: Path):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def _month(name: str) -> str:
    return name.replace("_", "-")


def _db_by(store, key: str, month: str) -> dict[str, int]:
    return {r[key]: r["personnel"] for r in store.personnel(month=month, by=[key]).rows}


def _parsed_by(sources: Path, name: str) -> tuple[dict[str, int], dict[str, int], object]:
    """The parser's loaded rows summed per ISO3 and per mission, straight from the PDF."""
    report = parse_report(sources / PDF.format(name))
    idx = country_index()
    by_country: dict[str, int] = defaultdict(int)
    by_mission: dict[str, int] = defaultdict(int)
    for row in report.rows_loaded:
        iso3 = idx.resolve(row.country)
        if iso3 is not None:
            by_country[iso3] += row.total
        if row.mission:
            by_mission[row.mission] += row.total
    return dict(by_country), dict(by_mission), report


@pytest.mark.parametrize("name", sorted(MONTHS))
def test_contributor_and_mission_totals_equal_the_report(store, con, sources, name) -> None:
    month = _month(name)
    layout = con.execute("SELECT r.layout FROM dpo_report r JOIN source_file s USING (source_id) "
                         "WHERE s.relpath = ?", [PDF.format(name)]).fetchone()[0]
    assert layout == MONTHS[name]
    want_c, want_m, report = _parsed_by(sources, name)
    got_c = _db_by(store, "contributor", month)
    # The only differences allowed: names cut off in the PDF, which the build completes from
    # the neighbouring months (this reading does not) or quarantines (with their values).
    where = {(int(col.split()[1]), line) for line, col in con.execute(
        """SELECT q.line, q."column" FROM quarantine q JOIN source_file s USING (source_id)
           WHERE s.relpath = ?""", [PDF.format(name)]).fetchall()}
    quarantined = len(where)
    # rows the parser loaded and the build quarantined
    in_quarantine = sum(r.total for r in report.rows_loaded if (r.page, r.line) in where)
    idx = country_index()
    parser_total = sum(r.total for r in report.rows_loaded)
    cut_total = sum(r.total for r in report.rows_loaded if idx.resolve(r.country) is None)
    differ = {c: (got_c.get(c, 0), want_c.get(c, 0)) for c in set(got_c) | set(want_c)
              if got_c.get(c, 0) != want_c.get(c, 0)}
    assert all(g >= w for g, w in differ.values()), differ
    assert sum(g - w for g, w in differ.values()) == cut_total - in_quarantine, differ
    assert sum(got_c.values()) + in_quarantine == parser_total
    if not cut_total:
        assert not differ
    if layout not in NO_MISSIONS:
        got_m = _db_by(store, "mission", month)
        if quarantined == 0:
            assert got_m == want_m
        else:
            assert sum(got_m.values()) <= sum(want_m.values())
    # every printed country or mission subtotal equals the database's figure
    printed = con.execute("""SELECT t.scope, t.contributor, t.mission, t.total FROM dpo_total t
        JOIN source_file s USING (source_id) WHERE s.relpath = ? AND t.total IS NOT NULL""",
                          [PDF.format(name)]).fetchall()
    checked = 0
    for scope, iso3, mission, total in printed:
        if scope == "country" and iso3 and iso3 not in differ:
            assert got_c.get(iso3, 0) == total, (iso3, total)
            checked += 1
        elif scope == "mission" and mission and not quarantined:
            assert got_m.get(mission, 0) == total, (mission, total)
            checked += 1
        elif scope == "grand":
            assert sum(got_c.values()) == total or quarantined
            checked += 1
    if report.grand_total is not None:
        world = store.personnel(month=month).rows[0]["personnel"]
        assert world == report.grand_total or quarantined
    print(f"{name} ({layout}): {len(got_c)} contributors, {checked} printed totals equal")


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _n(text: str) -> int:
    return int(text.replace(",", ""))


@needs_pdftotext
@pytest.mark.parametrize("name", ["2018_03", "2019_05"])
def test_country_totals_against_pdftotext(store, sources, name) -> None:
    """Each "Total for Country" line, read with regular expressions, is the database's total."""
    idx = country_index()
    country, want = None, {}
    for ln in _pdftotext(sources / PDF.format(name)).splitlines():
        if m := re.match(r"\s*\d+\s{2,}(\S.*?)\s*$", ln):
            country = m.group(1)
        elif m := re.match(r"\s*Total for Country\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$", ln):
            want[idx.resolve(country)] = _n(m.group(3))
    assert len(want) > 100 and None not in want
    assert _db_by(store, "contributor", _month(name)) == want


@needs_pdftotext
@pytest.mark.parametrize("name", ["2021_06", "2023_12", "2025_07"])
def test_mission_totals_against_pdftotext(store, sources, name) -> None:
    want = {m.group(1): _n(m.group(4)) for ln in _pdftotext(sources / PDF.format(name)).splitlines()
            if (m := re.match(r"\s*Total (\S+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$", ln))}
    assert len(want) >= 10
    assert _db_by(store, "mission", _month(name)) == want


@needs_pdftotext
@pytest.mark.parametrize("name", ["2016_11", "2017_06", "2018_12", "2019_12", "2021_01", "2021_06",
                                  "2023_09", "2023_12", "2025_07"])
def test_world_total_against_pdftotext(store, sources, name) -> None:
    text = _pdftotext(sources / PDF.format(name))
    last = [ln for ln in text.splitlines() if re.match(r"\s*(Grand Total|Total)\s+[\d,]", ln)
            or re.match(r"\s*\d{3,4}\s+\d{4,6}\s+\d{3,5}\s+\d{5,6}\s*$", ln)][-1]
    assert store.personnel(month=_month(name)).rows[0]["personnel"] == _n(last.split()[-1])


def test_world_totals_2015_2017_against_ipi(store, sources, con) -> None:
    ipi: dict[str, int] = {}
    with (sources / "ipi" / "ppp-loader" / "data_monthly.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            ipi[rec["Date"][:7]] = int(rec["Total Contributions"])
    reports = {f"{m:%Y-%m}" for (m,) in con.execute(
        "SELECT month FROM dpo_report WHERE loaded AND month <= DATE '2017-03-01'").fetchall()}
    both = sorted(reports & set(ipi))
    assert len(both) == 23  # 27 months less 2015-03, 2016-03, 2017-03 (no report) and 2016-11 (not in IPI)
    rows = store.personnel(months=both, by=["month"]).rows
    ours = {r["month"]: r["personnel"] for r in rows}
    differ = {m: ours[m] - ipi[m] for m in both if ours[m] != ipi[m]}
    # 2015-05 prints some MINUSTAH police rows twice (data README); its own subtotals count both
    assert differ == {"2015-05": 333}
    message = con.execute("SELECT message FROM finding WHERE kind = 'dpo_vs_ipi' AND message LIKE 'world%'").fetchone()[0]
    assert "22 of 23 months equal" in message and "2015-05 differs by 333" in message
    # the months with no report are still answered by IPI's world totals
    assert store.personnel(month="2016-03").rows[0]["personnel"] == ipi["2016-03"]


def test_overlap_checks_cover_2015_2017(con) -> None:
    for check in ("detail_vs_mission", "detail_vs_world"):
        first, last, months = con.execute("""SELECT first_month, last_month, months FROM reconciliation_summary
            WHERE check_name = ?""", [check]).fetchone()
        assert f"{last:%Y-%m}" == "2017-02" and months == 58 + 23


def test_rows_read_equal_loaded_plus_quarantined(con) -> None:
    files = con.execute("""SELECT s.relpath, rows_read, rows_loaded, rows_quarantined,
        (SELECT count(*) FROM quarantine q WHERE q.source_id = s.source_id),
        (SELECT count(*) FROM obs_detail o WHERE o.source_id = s.source_id)
        + (SELECT count(*) FROM obs_contributor o WHERE o.source_id = s.source_id)
        FROM source_file s WHERE layout = 'un_dpo_monthly'""").fetchall()
    assert len(files) == 126
    for relpath, read, loaded, quarantined, q_rows, obs_rows in files:
        assert read == loaded + quarantined, relpath
        assert quarantined == q_rows and loaded == obs_rows, relpath
    assert sum(f[2] for f in files) > 100_000


def test_duplicates_are_not_counted_twice(store, con) -> None:
    for copy, original in (("2015_03", "2015_04"), ("2016_03", "2016_04"), ("2017_03", "2017_04"),
                           ("2020_06", "2022_06")):
        loaded, quarantined, reasons = con.execute("""SELECT s.rows_loaded, s.rows_quarantined,
            list(DISTINCT q.reason) FROM source_file s JOIN quarantine q USING (source_id)
            WHERE s.relpath = ? GROUP BY ALL""", [PDF.format(copy)]).fetchone()
        assert loaded == 0 and quarantined > 800
        assert reasons == [f"duplicate of {PDF.format(original)} (same checksum)"]
        month = _month(original)
        sources = {s for (s,) in con.execute("""SELECT DISTINCT s.relpath FROM personnel p
            JOIN source_file s USING (source_id) WHERE p.month = ?::DATE""", [month + "-01"]).fetchall()}
        assert sources == {PDF.format(original)}
    kinds = dict(con.execute("SELECT kind, count(*) FROM finding GROUP BY kind").fetchall())
    assert kinds["duplicate_file"] == 4 and kinds["mislabelled_month"] == 4
    missing = con.execute("SELECT message FROM finding WHERE kind = 'missing_month'").fetchone()[0]
    assert "2015-03, 2016-03, 2017-03, 2020-06, 2022-07" in missing


def test_china_2025_07_equals_the_report(store, sources) -> None:
    report = parse_report(sources / PDF.format("2025_07"))
    printed = sum(r.total for r in report.rows_loaded if r.country == "China")
    res = store.personnel(country=["China"], month="2025-07")
    assert res.rows[0]["personnel"] == printed > 1000
    assert res.grains[0]["grain"] == "detail"
    assert any(s.path.endswith("2025_07.pdf") for s in res.sources)


def test_latest_month_is_2025_07(store) -> None:
    assert store.rank(top=3).query["month"] == "2025-07"
    assert store.personnel().query["from"] == "2025-07"


def test_months_without_missions_answer_at_contributor_grain(store) -> None:
    res = store.personnel(month="2018-06", by=["contributor"])
    assert res.grains[0]["grain"] == "contributor" and len(res.rows) > 100
    with pytest.raises(NoDataError):
        store.personnel(month="2018-06", mission=["UNMISS"])


def test_staff_officers_are_troops_too(store) -> None:
    by_type = {r["type"]: r["personnel"] for r in store.personnel(month="2025-07", by=["type"]).rows}
    assert by_type["staff-officers"] > 0
    troops = store.personnel(month="2025-07", type="troops").rows[0]["personnel"]
    assert troops == by_type["troops"] + by_type["staff-officers"]
    assert store.personnel(month="2025-07", type="staff-officers").rows[0]["personnel"] == by_type["staff-officers"]
    # at a coarse grain (no missions in 2018-06) staff officers are counted among troops
    coarse = {r["type"] for r in store.personnel(month="2018-06", by=["type"]).rows}
    assert "staff-officers" not in coarse and "troops" in coarse
    with pytest.raises(NoDataError, match="2017-05"):
        store.personnel(month="2016-06", type="staff-officers")


def test_cut_off_names_resolved_or_quarantined_with_candidates(con) -> None:
    resolved = [m for (m,) in con.execute("SELECT message FROM finding WHERE kind = 'cut_off_name_resolved'").fetchall()]
    assert any("'Democratic Republic of' -> COD" in m for m in resolved)
    assert any("'United Republic' -> 'United Republic of Tanzania'" in m for m in resolved)
    unknown = con.execute("""SELECT q.reason FROM quarantine q JOIN source_file s USING (source_id)
        WHERE s.layout = 'un_dpo_monthly' AND (q.reason LIKE 'unknown country%' OR q.reason LIKE '%cut off%')""").fetchall()
    assert unknown and all("candidates" in r for (r,) in unknown)
    spellings = dict(con.execute("SELECT spelling, iso3 FROM country_spelling WHERE spelling IN "
                                 "('Turkiye', 'Democratic Republic of the Congo (DRC)', 'United States of America')").fetchall())
    assert spellings == {"Turkiye": "TUR", "Democratic Republic of the Congo (DRC)": "COD",
                         "United States of America": "USA"}


def test_truncated_pdf_is_one_line_error_and_previous_database_survives(tmp_path, sources, monkeypatch) -> None:
    from bluehelmet.builder import build

    from .synthetic import make_sources

    monkeypatch.setenv("BLUEHELMET_CACHE", str(tmp_path / "cache"))
    root = make_sources(tmp_path / "sources").root
    folder = root / "un" / "dpo-monthly"
    folder.mkdir(parents=True)
    good = sources / PDF.format("2023_09")
    shutil.copyfile(good, folder / good.name)
    db = tmp_path / "db.duckdb"
    report = build(root, db)
    assert any(f.relpath.endswith("2023_09.pdf") and f.rows_loaded > 0 for f in report.files)
    before = db.read_bytes()
    data = (sources / PDF.format("2025_07")).read_bytes()
    (folder / "UN_country_contributions_2025_07.pdf").write_bytes(data[: len(data) // 3])
    with pytest.raises(BluehelmetError) as err:
        build(root, db)
    message = str(err.value)
    assert "\n" not in message and "un/dpo-monthly/UN_country_contributions_2025_07.pdf" in message
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("db.duckdb.building-*"))


# -- bad input in a sources folder: real reports cut or altered here (tests/pdf_edits.py) -----

REAL = "un/dpo-monthly/UN_country_contributions_{}.pdf"


def _folder(tmp_path: Path, monkeypatch) -> Path:
    """A SYNTHETIC IPI folder (tests/synthetic.py) with an empty reports folder, and a parse
    cache of the test's own: the altered files never reach the user's cache."""
    from .synthetic import make_sources

    monkeypatch.setenv("BLUEHELMET_CACHE", str(tmp_path / "cache"))
    root = make_sources(tmp_path / "sources").root
    (root / "un" / "dpo-monthly").mkdir(parents=True)
    return root


def _link(root: Path, sources: Path, name: str) -> Path:
    target = root / PDF.format(name)
    target.symlink_to(sources / PDF.format(name))
    return target


def test_bad_pages_are_quarantined_and_every_other_file_loads(tmp_path, sources, monkeypatch) -> None:
    """One build, four months: 2025-04 with a page drawn turned and another turned by /Rotate
    (read as printed); 2025-05 twice, the real report and 2019-10's report (which prints no
    date) re-saved under a 2025_05 name; 2025-06 with its page 16 lost; 2025-07 as it is."""
    import pypdfium2 as pdfium

    import bluehelmet
    from bluehelmet.builder import build

    from .pdf_edits import drop_page, set_rotation, turn_content

    root = _folder(tmp_path, monkeypatch)
    for name in ("2025_05", "2025_07"):
        _link(root, sources, name)
    turned = turn_content(sources / PDF.format("2025_04"), tmp_path / "turned.pdf", 2, 90)
    set_rotation(turned, root / PDF.format("2025_04"), 4, 180)
    drop_page(sources / PDF.format("2025_06"), root / PDF.format("2025_06"), 15)
    revised = "un/dpo-monthly/UN_country_contributions_2025_05 (revised).pdf"
    pdf = pdfium.PdfDocument(str(sources / PDF.format("2019_10")))
    pdf.save(str(root / revised))
    pdf.close()
    db = tmp_path / "db.duckdb"
    report = build(root, db)

    files = {f.relpath: f for f in report.files if f.layout == "un_dpo_monthly"}
    assert len(files) == 5
    for f in files.values():
        assert f.rows_read == f.rows_loaded + f.rows_quarantined > 800, f.relpath
    parsed = {name: parse_report(sources / PDF.format(name)) for name in ("2025_04", "2025_05", "2025_06", "2025_07")}
    # the rotated pages are read as printed, and every untouched file loads all its rows
    for name in ("2025_04", "2025_05", "2025_07"):
        f = files[PDF.format(name)]
        assert (f.rows_loaded, f.rows_quarantined) == (len(parsed[name].rows), 0), name
    con = duckdb.connect(str(db), read_only=True)
    try:
        def quarantine(relpath: str) -> list[tuple[str, int, str]]:
            return con.execute("""SELECT q."column", q.line, q.reason FROM quarantine q
                JOIN source_file s USING (source_id) WHERE s.relpath = ?""", [relpath]).fetchall()

        # 2025-06 lost a page: none of its rows is loaded; each quarantined row names its
        # page and line, and the reason names the page lost
        cut = files[PDF.format("2025_06")]
        assert cut.rows_loaded == 0 and cut.rows_quarantined == cut.rows_read
        held = quarantine(PDF.format("2025_06"))
        assert len(held) == cut.rows_quarantined
        assert all(re.fullmatch(r"page \d+", col) and line > 0 for col, line, _ in held)
        lost = [r for _, _, r in held if r.startswith("report incomplete: printed page 16 of 30 not in the file")]
        assert len(lost) > len(held) / 2
        # the rest keep the reason found first: a block whose subtotal the lost page broke
        assert any("add up to" in r for _, _, r in held) and all(r for _, _, r in held)
        finding = con.execute("SELECT message FROM finding WHERE kind = 'incomplete_report'").fetchall()
        assert len(finding) == 1 and "UN_country_contributions_2025_06.pdf" in finding[0][0]
        assert "printed page 16 of 30 not in the file" in finding[0][0]
        loaded, why = con.execute("""SELECT r.loaded, r.not_loaded FROM dpo_report r JOIN source_file s
            USING (source_id) WHERE s.relpath = ?""", [PDF.format("2025_06")]).fetchone()
        assert not loaded and why.startswith("incomplete: printed page 16 of 30")

        # 2025-05 twice: the report that prints its month is loaded, the other is quarantined
        # whole, the reason naming both files; the month is counted once
        copy = files[revised]
        assert copy.rows_loaded == 0 and copy.rows_quarantined == copy.rows_read
        reasons = {r for _, _, r in quarantine(revised)}
        assert len(reasons) == 1
        reason = reasons.pop()
        assert reason.startswith(f"2025-05 is printed by {PDF.format('2025_05')} too, with different numbers (")
        assert revised in reason and "its month is printed" in reason
        same = con.execute("SELECT message FROM finding WHERE kind = 'same_month'").fetchall()
        assert len(same) == 1 and "UN_country_contributions_2025_05.pdf" in same[0][0]
        assert "UN_country_contributions_2025_05 (revised).pdf" in same[0][0] and "different numbers" in same[0][0]
    finally:
        con.close()

    with bluehelmet.open(db) as store:
        for name in ("2025_04", "2025_05", "2025_07"):
            world = store.personnel(month=_month(name)).rows[0]["personnel"]
            assert world == parsed[name].grand_total == sum(r.total for r in parsed[name].rows), name
        # the month that lost a page is a gap: no answer short by a page, and no other month's
        with pytest.raises(NoDataError, match="2025-06"):
            store.personnel(month="2025-06")
        gaps = [r for r in store.coverage_spans().rows if r["grain"] == "detail" and r["status"] == "gap"]
        # (the SYNTHETIC IPI files end in 2020: the months up to 2025-03 are a gap too)
        assert [(g["first_month"], g["last_month"]) for g in gaps][-1] == ("2025-06", "2025-06")
        assert gaps[-1]["note"].endswith(f"quarantined whole: {PDF.format('2025_06')} (2025-06)")


def _bad_files(sources: Path, tmp_path: Path) -> list[tuple[str, Path, str]]:
    """(name in the folder, the altered file, what the error must say)."""
    from .pdf_edits import drop_page, encrypt, retitle, truncate

    made = tmp_path / "made"
    made.mkdir()
    return [
        ("UN_country_contributions_2023_09.pdf",
         encrypt(sources / PDF.format("2023_09"), made / "locked.pdf", user=b"secret"), "encrypted"),
        ("UN_country_contributions_2025_06.pdf",
         retitle(sources / PDF.format("2025_06"), made / "other.pdf",
                 ("Contribution of Uniformed Personnel", "by Mission, Country", "Experts on Mission, Formed"),
                 ("Fatalities by Mission, Year and Incident Type",)), "unknown layout"),
        ("UN_country_contributions_2025_06.pdf",
         truncate(sources / PDF.format("2025_06"), made / "cut.pdf", 0.6), "truncated or damaged"),
        ("UN_country_contributions_2017_06.pdf",  # the first page, with the title, lost
         drop_page(sources / PDF.format("2017_06"), made / "headless.pdf", 0), "unknown layout"),
    ]


def test_unreadable_files_stop_the_build_and_the_previous_database_answers(tmp_path, sources, monkeypatch) -> None:
    """An encrypted file, another report, a truncated file, a report without its first page:
    each is a one-line error naming the file, and the previous database stays as it was."""
    import bluehelmet
    from bluehelmet.builder import build

    root = _folder(tmp_path, monkeypatch)
    _link(root, sources, "2025_07")
    db = tmp_path / "db.duckdb"
    build(root, db)
    before = db.read_bytes()
    for name, bad, says in _bad_files(sources, tmp_path):
        placed = root / "un" / "dpo-monthly" / name
        shutil.copyfile(bad, placed)
        with pytest.raises(BluehelmetError) as err:
            build(root, db)
        message = str(err.value)
        assert "\n" not in message and f"un/dpo-monthly/{name}" in message and says in message, message
        assert db.read_bytes() == before, name
        assert not list(tmp_path.glob("db.duckdb.building-*"))
        with bluehelmet.open(db) as store:
            assert store.personnel(month="2025-07").rows[0]["personnel"] == 61127
        placed.unlink()


def test_the_cli_says_one_line_and_exits_non_zero(tmp_path, sources, monkeypatch) -> None:
    import sys

    from .pdf_edits import encrypt

    root = _folder(tmp_path, monkeypatch)
    encrypt(sources / PDF.format("2023_09"), root / PDF.format("2023_09"), user=b"secret")
    proc = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "build", "--sources", str(root),
                           "--db", str(tmp_path / "db.duckdb"), "--quiet"], capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert PDF.format("2023_09") in proc.stderr and "encrypted" in proc.stderr and "password" in proc.stderr
    assert not (tmp_path / "db.duckdb").exists()
