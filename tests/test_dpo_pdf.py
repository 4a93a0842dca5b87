"""The UN DPO monthly reports (PDF): every real report parsed once per session, in parallel,
through the sha256-keyed cache (kept in pytest's cache directory between runs).

Independent checks: the printed subtotals and totals (checked by the parser, asserted
here); the file names; IPI's world totals for 2015-01 .. 2017-03; figures read from the
text that poppler's ``pdftotext -layout`` extracts (a different PDF engine), parsed here
with plain regular expressions; and figures read by eye from that text (noted where so).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bluehelmet.errors import SourceLayoutError, SourceReadError
from bluehelmet.sources.dpo_pdf import (
    Report,
    cells,
    file_findings,
    parse_report,
    parse_reports,
    personnel_type,
    reconciles,
    resolve_cut_names,
    select_reports,
)

from .pdf_edits import drop_page, encrypt, retitle, set_rotation, swap_page, truncate, turn_content

# files whose name is not the month they print (data README, "Official UN monthly reports")
MISLABELLED = {"2015_03": "2015-04", "2016_03": "2016-04", "2017_03": "2017-04", "2020_06": "2022-06"}


@pytest.fixture(scope="session")
def dpo_dir(sources: Path) -> Path:
    return sources / "un" / "dpo-monthly"


@pytest.fixture(scope="session")
def reports(dpo_dir: Path, pytestconfig: pytest.Config) -> dict[str, Report]:
    cache = pytestconfig.cache.mkdir("dpo-pdf") if getattr(pytestconfig, "cache", None) else None
    paths = sorted(dpo_dir.glob("UN_country_contributions_*.pdf"))
    return {p.stem[-7:]: r for p, r in zip(paths, parse_reports(paths, workers=2, cache_dir=cache))}


def test_every_report_parses(reports: dict[str, Report]) -> None:
    assert len(reports) == 126
    for name, r in reports.items():
        assert r.rows, name
        assert len(r.sha256) == 64
        assert r.grain in ("country_mission_type_sex", "country_type_sex", "country_type")


def test_layouts(reports: dict[str, Report]) -> None:
    layouts = Counter(r.layout for r in reports.values())
    assert len(layouts) == 10, layouts
    assert reports["2015_01"].layout == "mission_summary"
    assert reports["2016_11"].layout == "country_mission_detail"
    assert reports["2017_06"].layout == "country_mission_post"
    assert reports["2018_03"].layout == reports["2019_08"].layout == "country_post"
    assert reports["2019_09"].layout == reports["2024_10"].layout == "flat"
    assert reports["2019_10"].layout == "wide_pairs"
    assert reports["2020_12"].layout == "mission_country"
    assert reports["2021_01"].layout == "mission_contributor"
    assert reports["2025_07"].layout == "report_server"
    assert reports["2023_09"].layout == "country_type"
    # months without a mission breakdown, and the one without the split by sex
    no_missions = sorted(k for k, r in reports.items() if all(x.mission is None for x in r.rows))
    assert no_missions == [f"2018_{m:02d}" for m in range(3, 13)] + [f"2019_{m:02d}" for m in range(1, 9)] + ["2023_09"]
    assert all(x.male is None for x in reports["2023_09"].rows)


def test_rows_add_up_to_every_printed_total(reports: dict[str, Report]) -> None:
    printed = 0
    for name, r in reports.items():
        assert reconciles(r), (name, [p.reason for p in r.problems if "add up" in p.reason])
        # nothing lost: every row read is either loaded or quarantined with a reason
        assert len(r.rows) == len(r.rows_loaded) + len(r.rows_quarantined)
        assert all(x.quarantined for x in r.rows_quarantined)
        if r.grand_total is not None:
            printed += 1
            loaded = sum(x.total for x in r.rows_loaded)
            held = sum(x.total for x in r.rows_quarantined)
            assert loaded + held == r.grand_total, name
    assert printed >= 95  # 2015-01 .. 2016-10 and 2016-12 .. 2017-04 print no grand total


def test_quarantine_is_rare_and_explained(reports: dict[str, Report]) -> None:
    held = {k: len(r.rows_quarantined) for k, r in reports.items() if r.rows_quarantined}
    # blank-cell rows of 2015 (all printed values 0) and 2022-09's rows whose country label
    # is not where the centring rule puts it (an Excel print of the report)
    assert set(held) <= {k for k in reports if k.startswith(("2015", "2016", "2017"))} | {"2022_09"}, held
    assert held.get("2022_09", 0) < 100
    for k in held:
        for row in reports[k].rows_quarantined:
            if k != "2022_09":
                assert row.total == 0 and "blank cells" in row.quarantined
            else:
                assert "country not certain" in row.quarantined


def test_month_is_the_printed_one(reports: dict[str, Report]) -> None:
    for name, r in reports.items():
        expected = MISLABELLED.get(name, name.replace("_", "-"))
        assert r.month == expected, name
        if name == "2019_10":  # prints no date
            assert r.month_source == "file_name"
            assert [f.kind for f in r.findings].count("month_from_file_name") == 1
        else:
            assert r.month_source == "printed", name
    assert {k for k, r in reports.items() if any(f.kind == "mislabelled_month" for f in r.findings)} == set(MISLABELLED)


def test_duplicates_and_mislabelled_files(reports: dict[str, Report]) -> None:
    found = file_findings(list(reports.values()))
    dup = sorted(f.message.split(" are ")[0] for f in found if f.kind == "duplicate_file")
    assert dup == [f"UN_country_contributions_{a}.pdf, UN_country_contributions_{b}.pdf"
                   for a, b in (("2015_03", "2015_04"), ("2016_03", "2016_04"), ("2017_03", "2017_04"),
                                ("2020_06", "2022_06"))]
    assert sum(f.kind == "mislabelled_month" for f in found) == 4
    chosen, _ = select_reports(list(reports.values()))
    months = [r.month for r in chosen]
    assert len(months) == len(set(months)) == 122
    for gap in ("2015-03", "2016-03", "2017-03", "2020-06", "2022-07"):
        assert gap not in months
    assert Path(next(r for r in chosen if r.month == "2022-06").path).name.endswith("2022_06.pdf")


def test_world_totals_match_ipi(reports: dict[str, Report], sources: Path) -> None:
    ipi: dict[str, int] = {}
    with (sources / "ipi" / "ppp-loader" / "data_monthly.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            ipi[rec["Date"][:7]] = int(rec["Total Contributions"])
    chosen, _ = select_reports(list(reports.values()))
    ours = {r.month: sum(x.total for x in r.rows_loaded) for r in chosen if "2015-01" <= r.month <= "2017-03"}
    compared = sorted(m for m in ours if m in ipi)
    differ = {m: (ours[m], ipi[m]) for m in compared if ours[m] != ipi[m]}
    print(f"world totals vs IPI: {len(compared) - len(differ)} of {len(compared)} months equal; differ: {differ}")
    # 27 months, less 2015-03, 2016-03 and 2017-03 (no report) and 2016-11 (not in IPI's file)
    assert len(compared) == 23
    # 2015-05 prints some MINUSTAH police rows twice (data README); its own subtotals count both
    assert set(differ) <= {"2015-05"}
    assert len(compared) - len(differ) >= 22


@pytest.mark.parametrize(("name", "country", "mission", "ptype", "values"), [
    # read by eye from `pdftotext -layout` output of each file
    ("2015_01", "Argentina", "MINUSTAH", "troops", (529, 37, 566)),
    ("2015_01", "Bangladesh", "MINUSMA", "troops", (1580, 0, 1580)),
    ("2016_11", "Argentina", "MINUSTAH", "troops", (48, 25, 73)),
    ("2017_06", "Argentina", "UNFICYP", "staff_officers", (11, 1, 12)),
    ("2018_03", "Argentina", None, "troops", (210, 15, 225)),
    ("2019_09", "Canada", "MINUJUSTH", "individual_police", (3, 5, 8)),
    ("2019_10", "Argentina", "UNFICYP", "troops", (211, 23, 234)),
    ("2019_10", "Argentina", "UNFICYP", "staff_officers", (6, 3, 9)),
    ("2019_11", "Canada", "BINUH", "individual_police", (0, 4, 4)),
    ("2019_12", "Canada", "BINUH", "individual_police", (3, 0, 3)),
    ("2020_07", "Benin", "BINUH", "individual_police", (2, 0, 2)),
    ("2021_01", "Côte d'Ivoire", "BINUH", "individual_police", (0, 1, 1)),
    ("2022_09", "Côte d'Ivoire", "BINUH", "individual_police", (1, 1, 2)),
    ("2023_09", "Bangladesh", None, "troops", (None, None, 6378)),
    ("2023_09", "United Republic of Tanzania", None, "troops", (None, None, 1464)),
    ("2024_10", "Bangladesh", "MINURSO", "troops", (15, 5, 20)),
    ("2024_10", "United Republic of Tanzania", "MINUSCA", "staff_officers", (2, 5, 7)),
    # the country label sits between its two rows (centred): both rows are Bangladesh's
    ("2025_07", "Bangladesh", "MINURSO", "experts", (8, 1, 9)),
    ("2025_07", "Bangladesh", "MINURSO", "troops", (14, 6, 20)),
])
def test_spot_figures(reports, name, country, mission, ptype, values) -> None:
    assert cells(reports[name])[(country, mission, ptype)] == values


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _n(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                    reason="poppler-utils not installed (the README's test command installs it; under CI it must be there)")
@pytest.mark.parametrize("name", ["2016_11", "2017_06", "2018_03", "2018_12", "2019_12", "2021_01",
                                  "2021_06", "2022_09", "2023_09", "2023_12", "2025_07", "2020_06"])
def test_grand_total_against_pdftotext(reports, dpo_dir, name) -> None:
    """A second reading with another PDF engine: the last number of the grand total line."""
    text = _pdftotext(dpo_dir / f"UN_country_contributions_{name}.pdf")
    last = [ln for ln in text.splitlines() if re.match(r"\s*(Grand Total|Total)\s+[\d,]", ln)
            or re.match(r"\s*\d{3,4}\s+\d{4,6}\s+\d{3,5}\s+\d{5,6}\s*$", ln)][-1]
    assert reports[name].grand_total == _n(last.split()[-1])


@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                    reason="poppler-utils not installed (the README's test command installs it; under CI it must be there)")
@pytest.mark.parametrize("name", ["2018_03", "2019_05"])
def test_country_totals_against_pdftotext(reports, dpo_dir, name) -> None:
    """Country x post layout: each "Total for Country" line, read with regular expressions
    from pdftotext's text, equals the country's rows as parsed."""
    country, want = None, {}
    for ln in _pdftotext(dpo_dir / f"UN_country_contributions_{name}.pdf").splitlines():
        if m := re.match(r"\s*\d+\s{2,}(\S.*?)\s*$", ln):
            country = m.group(1)
        elif m := re.match(r"\s*Total for Country\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$", ln):
            want[country] = _n(m.group(3))
    got: dict[str, int] = defaultdict(int)
    for row in reports[name].rows_loaded:
        got[row.country] += row.total
    assert len(want) > 100
    assert dict(got) == want


@pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                    reason="poppler-utils not installed (the README's test command installs it; under CI it must be there)")
@pytest.mark.parametrize("name", ["2021_06", "2025_07"])
def test_mission_totals_against_pdftotext(reports, dpo_dir, name) -> None:
    want = {m.group(1): _n(m.group(4)) for ln in _pdftotext(dpo_dir / f"UN_country_contributions_{name}.pdf").splitlines()
            if (m := re.match(r"\s*Total (\S+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s*$", ln))}
    got: dict[str, int] = defaultdict(int)
    for row in reports[name].rows_loaded:
        got[row.mission] += row.total
    assert len(want) >= 10
    assert dict(got) == want


def test_wide_layout_repeats_missions_within_a_country(reports) -> None:
    r = reports["2019_10"]
    assert any(f.kind == "repeated_mission" for f in r.findings)
    # the country's printed total counts both lines: the report reconciles with them added
    assert reconciles(r)


def test_cut_off_names_resolved_from_neighbouring_months(reports) -> None:
    r = reports["2019_09"]
    assert "Russian" in {x.country for x in r.rows}
    fixed = resolve_cut_names(r, [reports["2019_10"], reports["2019_11"]])
    names = {x.country for x in fixed.rows_loaded}
    assert "Russian Federation" in names and "Russian" not in names
    assert any(f.kind == "cut_off_name_resolved" for f in fixed.findings)
    # an unresolved cut-off is quarantined with its candidates, never guessed
    for p in fixed.problems:
        if "cut off" in p.reason:
            assert p.candidates
    assert len(fixed.rows) == len(r.rows)
    assert sum(x.total for x in fixed.rows) == sum(x.total for x in r.rows)


def test_cut_off_subtotal_labels_are_findings(reports) -> None:
    kinds = [f.message for f in reports["2017_06"].findings if f.kind == "cut_off_name"]
    assert any("'Bosnia and Herzeg'" in m for m in kinds)


def test_personnel_types() -> None:
    assert personnel_type("Contingent Troop") == personnel_type("troops") == "troops"
    assert personnel_type("Staff Officer") == personnel_type("MSO") == "staff_officers"
    assert personnel_type("Experts on Mission") == personnel_type("UNMEM") == "experts"
    assert personnel_type("Ind Police") == personnel_type("police") == "individual_police"
    assert personnel_type("Formed Police Units") == personnel_type("FPU") == "formed_police"
    assert personnel_type("Total for Mission") is None


def test_cache_round_trip(dpo_dir: Path, tmp_path: Path) -> None:
    paths = [dpo_dir / "UN_country_contributions_2023_09.pdf", dpo_dir / "UN_country_contributions_2019_10.pdf"]
    said: list[tuple[int, int]] = []
    first = parse_reports(paths, workers=1, cache_dir=tmp_path, progress=lambda *a: said.append(a))
    assert said == [(0, 2), (1, 2), (2, 2)]  # file by file, so a cold build's progress bar moves
    files = sorted(tmp_path.glob("dpo-*.json"))
    assert len(files) == 2
    files[0].write_text("{ half written")  # as a kill -9 might leave it, were writes not atomic
    said.clear()
    again = parse_reports(paths, workers=1, cache_dir=tmp_path, progress=lambda *a: said.append(a))
    assert said == [(1, 2), (2, 2)]
    assert [a.to_dict() for a in first] == [b.to_dict() for b in again]
    assert first == again  # the rows made from the cache are the same objects


def test_bad_files(dpo_dir: Path, tmp_path: Path) -> None:
    data = (dpo_dir / "UN_country_contributions_2025_07.pdf").read_bytes()
    cut = tmp_path / "truncated.pdf"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises((SourceReadError, SourceLayoutError)):
        parse_report(cut)
    other = tmp_path / "UN_country_contributions_2020_01.pdf"
    other.write_bytes(b"not a pdf at all")
    with pytest.raises(SourceReadError):
        parse_report(other)
    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()  # a PDF with no text: not a report
    blank.new_page(595, 842)
    empty = tmp_path / "blank.pdf"
    blank.save(str(empty))
    with pytest.raises(SourceReadError, match="no text"):
        parse_report(empty)


# -- bad input: real reports cut or altered here (tests/pdf_edits.py), written under tmp_path --

def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_truncated_pdf_says_so(dpo_dir: Path, tmp_path: Path) -> None:
    for fraction in (0.1, 0.5, 0.95):
        cut = truncate(dpo_dir / "UN_country_contributions_2025_07.pdf", tmp_path / "cut.pdf", fraction)
        with pytest.raises(SourceReadError) as err:
            parse_report(cut)
        assert "truncated or damaged" in _one_line(err.value) and str(cut) in str(err.value)


def test_encrypted_pdf(dpo_dir: Path, tmp_path: Path) -> None:
    """A password to open: a one-line error that says so. An owner password only (printing
    allowed, copying forbidden): PDFium decrypts it and the report reads as the original."""
    src = dpo_dir / "UN_country_contributions_2023_09.pdf"
    locked = encrypt(src, tmp_path / "UN_country_contributions_2023_09.pdf", user=b"secret")
    assert b"/Encrypt" in locked.read_bytes()
    with pytest.raises(SourceReadError) as err:
        parse_report(locked)
    assert "encrypted" in _one_line(err.value) and "password" in str(err.value)
    (tmp_path / "restricted").mkdir()
    restricted = encrypt(src, tmp_path / "restricted" / src.name, user=b"")
    original, read = parse_report(src), parse_report(restricted)
    assert read.sha256 != original.sha256
    assert cells(read) == cells(original) and reconciles(read) and read.month == "2023-09"


@pytest.mark.parametrize("title", [("Ranking of Military and Police Contributions to UN Operations",),
                                   ("Fatalities by Mission, Year and Incident Type",)])
def test_another_report_is_refused(dpo_dir: Path, tmp_path: Path, title: tuple[str, ...]) -> None:
    """A real report's first page under another UN report's title: its table has the same
    shape, yet it is not a report of contributions by country and mission."""
    other = retitle(dpo_dir / "UN_country_contributions_2025_07.pdf", tmp_path / "UN_country_contributions_2025_07.pdf",
                    ("Contribution of Uniformed Personnel", "by Mission, Country", "Experts on Mission, Formed"), title)
    with pytest.raises(SourceLayoutError) as err:
        parse_report(other)
    assert "DPO monthly report of contributions" in _one_line(err.value) and title[0] in str(err.value)


@pytest.mark.parametrize("name", ["2015_01", "2018_03", "2019_10", "2025_07"])
@pytest.mark.parametrize("how", ["rotate", "turn"])
@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_rotated_page_reads_as_the_original(reports, dpo_dir: Path, tmp_path: Path, name: str, how: str,
                                           degrees: int) -> None:
    """The first page (title, month, column headers) and a middle page turned, by the page's
    /Rotate entry or with the content itself drawn turned: the same rows, totals that add up."""
    src = dpo_dir / f"UN_country_contributions_{name}.pdf"
    original = reports[name]
    edit = set_rotation if how == "rotate" else turn_content
    once = edit(src, tmp_path / "once.pdf", 0, degrees)
    turned = edit(once, tmp_path / src.name, original.pages // 2, degrees)
    read = parse_report(turned)
    assert reconciles(read) and not read.incomplete
    assert (read.month, read.layout) == (original.month, original.layout)
    assert [(r.country, r.mission, r.personnel_type, r.total, r.page) for r in read.rows] == \
        [(r.country, r.mission, r.personnel_type, r.total, r.page) for r in original.rows]


# one month of each layout that shows a lost page: by its printed page numbers, its grand total, or both
@pytest.mark.parametrize(("name", "shown_by"), [
    ("2015_01", "printed page 23 of 44 not in the file"),   # mission_summary: no grand total
    ("2016_11", "grand: rows read add up to total"),         # country_mission_detail
    ("2017_06", "grand: rows read add up to"),               # country_mission_post
    ("2018_03", "grand: rows read add up to"),               # country_post
    ("2019_10", "grand_Troops: rows read add up to"),        # wide_pairs: a grand total per type
    ("2020_12", "printed page 25 of 49 not in the file"),    # mission_country
    ("2021_01", "grand: rows read add up to"),               # mission_contributor
    ("2023_09", "printed page 3 of 4 not in the file"),      # country_type
    ("2025_07", "printed page 16 of 30 not in the file"),    # report_server
])
def test_missing_page_makes_the_report_incomplete(reports, dpo_dir: Path, tmp_path: Path, name: str,
                                                  shown_by: str) -> None:
    src = dpo_dir / f"UN_country_contributions_{name}.pdf"
    original = reports[name]
    middle = original.pages // 2
    read = parse_report(drop_page(src, tmp_path / src.name, middle))
    assert shown_by in read.incomplete
    assert not reconciles(read) and read.month == original.month
    # nothing of it is loaded: its month becomes a gap, not an answer short by a page
    assert read.rows and not read.rows_loaded and len(read.rows_quarantined) == len(read.rows) < len(original.rows)
    assert all(r.quarantined for r in read.rows)
    assert sum(r.quarantined.startswith("report incomplete: ") for r in read.rows) > len(read.rows) / 2
    assert [f.kind for f in read.findings].count("incomplete_report") == 1


@pytest.mark.parametrize(("name", "shown_by"), [
    ("2017_06", "no grand total printed"),                  # no page numbers: the grand total page is gone
    ("2025_07", "printed page 30 of 30 not in the file"),
    ("2015_01", "printed page 44 of 44 not in the file"),
])
def test_missing_last_page(reports, dpo_dir: Path, tmp_path: Path, name: str, shown_by: str) -> None:
    src = dpo_dir / f"UN_country_contributions_{name}.pdf"
    pages = reports[name].pages
    read = parse_report(drop_page(src, tmp_path / src.name, pages - 1))
    assert shown_by in read.incomplete and not read.rows_loaded


def test_missing_first_page(dpo_dir: Path, tmp_path: Path) -> None:
    """Where every page repeats the title, the report is read and is incomplete; where only
    the first page has it, the file is not recognised: a one-line error."""
    src = dpo_dir / "UN_country_contributions_2025_07.pdf"
    read = parse_report(drop_page(src, tmp_path / src.name, 0))
    assert "printed page 1 of 30 not in the file" in read.incomplete and not read.rows_loaded
    src = dpo_dir / "UN_country_contributions_2017_06.pdf"
    with pytest.raises(SourceLayoutError) as err:
        parse_report(drop_page(src, tmp_path / src.name, 0))
    assert "found Country Mission POST" in _one_line(err.value)


def test_page_of_another_month_swapped_in(dpo_dir: Path, tmp_path: Path) -> None:
    """2025-07 with its page 16 replaced by 2025-06's page 16: the page numbers agree, the
    totals do not."""
    src = dpo_dir / "UN_country_contributions_2025_07.pdf"
    read = parse_report(swap_page(src, tmp_path / src.name, 15, dpo_dir / "UN_country_contributions_2025_06.pdf", 15))
    assert read.month == "2025-07" and read.pages == 30
    assert "grand: rows read add up to" in read.incomplete and "page" not in read.incomplete.split("grand")[0]
    assert not read.rows_loaded


def test_a_complete_report_wins_its_month(dpo_dir: Path, tmp_path: Path) -> None:
    """Two files for 2025-07: the real one and a copy with a page dropped that sorts first
    by name. The complete one is kept and the finding names both and says why."""
    real = dpo_dir / "UN_country_contributions_2025_07.pdf"
    cut = drop_page(real, tmp_path / "UN_country_contributions_2025_07 (1).pdf", 15)
    both = parse_reports([cut, real], workers=1)
    chosen, found = select_reports(both)
    assert [Path(r.path).name for r in chosen] == [real.name]
    same = [f.message for f in found if f.kind == "same_month"]
    assert len(same) == 1 and cut.name in same[0] and real.name in same[0]
    assert f"{real.name} is loaded (it is complete; {cut.name} is not (printed page 16 of 30" in same[0]
    assert "different numbers" in same[0]


def test_printed_month_wins_over_a_file_name(dpo_dir: Path, tmp_path: Path) -> None:
    """2019-10 prints no date: named for 2019-09 (a copy re-saved, so another checksum), it
    claims a month whose own report prints it. The report that prints its month is kept."""
    import pypdfium2 as pdfium

    real = dpo_dir / "UN_country_contributions_2019_09.pdf"
    copy = tmp_path / "UN_country_contributions_2019_09 (0).pdf"  # sorts before the real one
    pdf = pdfium.PdfDocument(str(dpo_dir / "UN_country_contributions_2019_10.pdf"))
    pdf.save(str(copy))
    pdf.close()
    both = parse_reports([copy, real], workers=1)
    assert [r.month for r in both] == ["2019-09", "2019-09"]
    chosen, found = select_reports(both)
    assert [Path(r.path).name for r in chosen] == [real.name]
    same = next(f.message for f in found if f.kind == "same_month")
    assert f"its month is printed; {copy.name} has it only from its file name" in same
