"""Who pays: the scale of assessments, the contributor files and peacekeeping shares.

The real-data tests compute every figure a second time from the raw files, with the json,
csv and openpyxl modules only (no bluehelmet code): each year's peacekeeping assessed total
and top-ten shares, China's rank, the regular scale's top ten for 2013-2015, and the CSV
against the workbook. The bad-input tests build SYNTHETIC files in tmp_path (invented
numbers in the real files' layouts) and break them one way each.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import NoDataError, QueryError, SourceReadError

OPEN = "finance/un-open"
SCALE_CSV = "finance/un-scale/UNGA_scale_of_assessment.csv"
SCALE_XLSX = "finance/un-scale/Scale of Assessments for RB 1946-2027.xlsx"
YEARS = range(2013, 2025)
# written by hand for this test: every name met in a top ten below, as the files spell it
ISO3 = {"United States of America": "USA", "Japan": "JPN", "France": "FRA", "Germany": "DEU",
        "United Kingdom of Great Britain and Northern Ireland": "GBR", "China": "CHN", "Italy": "ITA",
        "Russian Federation": "RUS", "Canada": "CAN", "Spain": "ESP", "Republic of Korea": "KOR", "Brazil": "BRA"}


# ---- independent readings of the raw files ---------------------------------------------

def _donors(sources: Path, year: int) -> dict:
    return json.loads((sources / OPEN / f"donors-{year}.json").read_text(encoding="utf-8"))


def _peacekeeping(sources: Path, year: int) -> dict[str, float]:
    """Every donor's UN-DPO assessed amount for the year, by the name the file gives."""
    return {name: d["contributions"]["UN-DPO"]["Assessed"] for name, d in _donors(sources, year).items()
            if "Assessed" in d["contributions"].get("UN-DPO", {})}


def _amounts_in(value) -> int:
    return sum(_amounts_in(v) for v in value.values()) if isinstance(value, dict) else 1


def _scale_csv(sources: Path) -> dict[str, dict[str, str]]:
    """Member -> {period's last year: cell as written}."""
    with (sources / SCALE_CSV).open(encoding="utf-8", newline="") as fh:
        return {r["Member State"]: {k: v for k, v in r.items() if k != "Member State"} for r in csv.DictReader(fh)}


def _scale_xlsx(sources: Path) -> dict[str, dict[str, object]]:
    """Member -> {period's last year: cell}, read with openpyxl (the reference reader)."""
    import openpyxl

    wb = openpyxl.load_workbook(sources / SCALE_XLSX, read_only=True, data_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    head = next(i for i, r in enumerate(rows) if r[0] == "Member State")
    years = {c: str(int(v)) for c, v in enumerate(rows[head]) if isinstance(v, (int, float)) and c > 0}
    out = {}
    for r in rows[head + 1:]:
        name = " ".join(str(r[0] or "").split())
        if name == "Total":
            break
        if name:
            out[name] = {y: r[c] for c, y in years.items()}
    return out


def _rate(cell) -> float | None:
    if isinstance(cell, (int, float)):
        return round(float(cell), 6)
    text = str(cell or "").strip()
    return float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else None


def _plain(name: str) -> str:
    """The workbook's names as the CSV writes them: no footnote mark."""
    return " ".join(re.sub(r"\s+[a-z]/$", "", name).split())


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


# ---- rows read = loaded + quarantined ------------------------------------------------------

def test_every_amount_and_record_is_read(con, sources):
    files = {p: (r, lo, q) for p, r, lo, q in con.execute(
        "SELECT relpath, rows_read, rows_loaded, rows_quarantined FROM source_file WHERE domain = 'assessments'")
        .fetchall()}
    for year in YEARS:
        read, loaded, quarantined = files[f"{OPEN}/donors-{year}.json"]
        expected = sum(_amounts_in(d["contributions"]) for d in _donors(sources, year).values())
        assert read == expected == loaded + quarantined and quarantined == 0, year
    for year in range(2019, 2027):
        raw = json.loads((sources / OPEN / f"regular-budget-contributors-{year}.json").read_text(encoding="utf-8"))
        assert files[f"{OPEN}/regular-budget-contributors-{year}.json"] == (len(raw["contributors"]), 193, 0)
    for path in (SCALE_CSV, SCALE_XLSX):
        read, loaded, quarantined = files[path]
        assert read == loaded + quarantined
    assert con.execute("SELECT count(*) FROM un_contribution").fetchone()[0] == sum(
        files[f"{OPEN}/donors-{y}.json"][1] for y in YEARS)


def test_cells_read_from_the_csv_are_its_rates(con, sources):
    """A row of the wide scale files is a cell holding a rate (or what should be one)."""
    cells = [v for r in _scale_csv(sources).values() for v in r.values() if v.strip() not in ("-", "NA", "")]
    footnotes = [v for v in cells if re.fullmatch(r"[a-z]/", v.strip())]
    read, loaded, quarantined = con.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM source_file "
                                            "WHERE relpath = ?", [SCALE_CSV]).fetchone()
    assert read == len(cells) - len(footnotes)
    # the one cell quarantined: the United Arab Republic (Egypt and Syria, 1959-1961), no ISO3 code
    assert quarantined == 1
    reason = con.execute("SELECT q.reason FROM quarantine q JOIN source_file s USING (source_id) "
                         "WHERE s.relpath = ?", [SCALE_CSV]).fetchone()[0]
    assert reason.startswith("unknown country 'United Arab Republic'")


# ---- peacekeeping ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_peacekeeping_total_and_top_ten_shares(store, sources, year):
    raw = _peacekeeping(sources, year)
    total = sum(raw.values())
    res = store.assessments(scale="peacekeeping", year=year)
    assert len(res.rows) == len(raw)
    assert sum(r["amount_usd"] for r in res.rows) == pytest.approx(total, abs=0.01)
    assert sum(r["share"] for r in res.rows) == pytest.approx(100, abs=0.01)
    top = sorted(raw.items(), key=lambda kv: -kv[1])[:10]
    got = store.assessments(year=year, top=10).rows
    assert [(r["member"], r["amount_usd"], r["share"]) for r in got] == \
        [(ISO3[name], amount, round(100 * amount / total, 4)) for name, amount in top]
    assert [r["rank"] for r in got] == list(range(1, 11))
    assert [s.path for s in res.sources if "donors" in s.path] == [f"{OPEN}/donors-{year}.json"]


@pytest.mark.parametrize("year,expected", [(2014, 6), (2024, 2)])
def test_china_rank(store, sources, year, expected):
    raw = _peacekeeping(sources, year)
    rank = 1 + sum(amount > raw["China"] for amount in raw.values())
    assert rank == expected
    row = store.assessments(member="China", year=year).rows[0]
    assert (row["member"], row["rank"]) == ("CHN", expected)
    assert row["share"] == round(100 * raw["China"] / sum(raw.values()), 4)


def test_us_share_of_peacekeeping_assessments_in_2014(store, sources):
    raw = _peacekeeping(sources, 2014)
    share = 100 * raw["United States of America"] / sum(raw.values())
    res = store.assessments(member="United States", year=2014)
    row = res.rows[0]
    assert row["share"] == round(share, 4) == 28.3842
    assert (row["rank"], row["regular_rate"], row["ratio"]) == (1, 22.0, round(share / 22.0, 3))
    assert res.query["scale"] == "peacekeeping" and res.query["defaults"] == {"scale": "peacekeeping"}
    assert "UN-DPO" in res.query["definition"] and "nominal US dollars" in res.query["definition"]
    assert {s.path for s in res.sources} == {f"{OPEN}/donors-2014.json", SCALE_XLSX}


def test_p5_premium_and_discounts_show_every_year(store, sources, con):
    p5 = ["United States of America", "China", "France", "Russian Federation",
          "United Kingdom of Great Britain and Northern Ireland"]
    for year in YEARS:
        raw = _peacekeeping(sources, year)
        row = store.assessments(member="P5", year=year).rows[0]
        assert row["share"] == pytest.approx(100 * sum(raw[n] for n in p5) / sum(raw.values()), abs=1e-3)
        assert row["rank"] is None and row["ratio"] > 1.2, year
        discounted = con.execute("SELECT count(*) FROM assessment_comparison WHERE year = ? AND ratio < 0.95",
                                 [year]).fetchone()[0]
        assert discounted > 150, year
    assert con.execute("SELECT count(*) FROM finding WHERE kind = 'peacekeeping_premium'").fetchone()[0] == 12
    assert con.execute("SELECT differing FROM reconciliation_summary "
                       "WHERE check_name = 'assessments:peacekeeping_vs_regular'").fetchone()[0] > 2000


def test_organisations_are_kept_but_are_no_country(con):
    rows = dict(con.execute("""SELECT donor_name, donor FROM un_contribution WHERE year = 2022
        AND donor_name IN ('European Union', 'United States Fund for UNICEF', 'Holy See')""").fetchall())
    # the fund is not the United States; the Holy See is an observer state, not a member
    assert rows == {"European Union": None, "United States Fund for UNICEF": None, "Holy See": "VAT"}
    assert con.execute("SELECT DISTINCT member_state FROM un_contribution WHERE donor = 'VAT'").fetchall() == [(False,)]


def test_members_the_source_calls_nonmembers_are_members(con):
    """The donors files give Bolivia, Iran and Micronesia status 'nonmember'; they are on the
    regular scale and pay peacekeeping assessments."""
    rows = con.execute("""SELECT DISTINCT donor, donor_status, member_state FROM un_contribution
        WHERE donor IN ('BOL', 'IRN', 'FSM')""").fetchall()
    assert sorted(rows) == [("BOL", "nonmember", True), ("FSM", "nonmember", True), ("IRN", "nonmember", True)]
    assert con.execute("SELECT count(*) FROM finding WHERE kind = 'donor_status_mismatch'").fetchone()[0] == 1


# ---- the regular scale -----------------------------------------------------------------------

@pytest.mark.parametrize("year", [2013, 2014, 2015])
def test_regular_scale_top_ten(store, sources, year):
    """2013-2015 is one scale period: the CSV's column 2015, the workbook's 2013-2015."""
    for scale in (_scale_csv(sources), _scale_xlsx(sources)):
        rates = {_plain(n): _rate(cells["2015"]) for n, cells in scale.items()}
        top = sorted(((r, n) for n, r in rates.items() if r is not None), key=lambda rn: -rn[0])[:10]
        res = store.assessments(scale="regular", year=year, top=10)
        assert [(r["member"], r["share"]) for r in res.rows] == [(ISO3[n], r) for r, n in top]
    assert [s.path for s in res.sources] == [SCALE_XLSX]


def test_csv_and_workbook_agree_but_for_seven_cells(con, sources):
    csv_side, xlsx_side = _scale_csv(sources), _scale_xlsx(sources)
    xlsx_by_name = {_plain(n): cells for n, cells in xlsx_side.items()}
    same, differ = 0, []
    for name, cells in csv_side.items():
        for year, cell in cells.items():
            a, b = _rate(xlsx_by_name[_plain(name)][year]), _rate(cell)
            if a is None and b is None:
                continue
            if a == b:
                same += 1
            else:
                differ.append((a, b))
    assert len(differ) == 7
    found = con.execute("""SELECT value_a, value_b FROM reconciliation
        WHERE check_name = 'assessments:scale_csv_vs_xlsx'""").fetchall()
    assert sorted((a / 1e6, b / 1e6) for a, b in found) == sorted(differ)
    cells = con.execute("SELECT cells FROM reconciliation_summary WHERE check_name = "
                        "'assessments:scale_csv_vs_xlsx'").fetchone()[0]
    # the United Arab Republic's cell is quarantined on both sides: not compared
    assert cells == same + len(differ) - 1


def test_scale_agrees_with_the_contributor_files(con, sources):
    csv_side = _scale_csv(sources)
    for year, column in ((2019, "2021"), (2022, "2024"), (2025, "2027")):
        raw = json.loads((sources / OPEN / f"regular-budget-contributors-{year}.json").read_text(encoding="utf-8"))
        rates = {c["name"]: c["assessment_rate"] for c in raw["contributors"]}
        assert sum(rates.values()) == pytest.approx(100)
        assert sorted(rates.values()) == sorted(r for cells in csv_side.values()
                                                if (r := _rate(cells[column])) is not None)
    assert con.execute("SELECT cells, differing FROM reconciliation_summary "
                       "WHERE check_name = 'assessments:scale_vs_contributor_files'").fetchone() == (1544, 0)


def test_honour_roll(store, sources):
    raw = json.loads((sources / OPEN / "regular-budget-contributors-2019.json").read_text(encoding="utf-8"))
    china = next(c for c in raw["contributors"] if c["name"] == "China")
    row = store.assessments(scale="regular", member="CHN", year=2019).rows[0]
    assert (row["share"], row["amount_usd"], row["payment_status"], str(row["payment_date"])) == \
        (china["assessment_rate"], china["assessment_amount"], china["payment_status"], china["payment_date"])


def test_historical_seats(store):
    """The UN lists Yemen's and Serbia's rows under today's names; the rates go to the state
    that held the seat."""
    rows = store.assessments(scale="regular", member=["North Yemen", "South Yemen", "Yemen"], year=1985).rows
    assert [(r["member"], r["share"] is not None) for r in rows] == [("YMN", True), ("YMD", True), ("YEM", False)]
    assert store.assessments(scale="regular", member="Serbia and Montenegro", year=2005).rows[0]["share"] > 0
    # the scale's own name for South Yemen (a name pattern of country_converter reads it as Yemen)
    assert store.assessments(scale="regular", member="Democratic Yemen", year=1985).rows[0]["member"] == "YMD"


# ---- the answer: definition, defaults, errors, the CLI ------------------------------------

def test_defaults_are_visible(store):
    res = store.assessments()
    assert res.query["defaults"] == {"scale": "peacekeeping", "year": 2024}
    assert any(n.startswith("no year given: the latest year with peacekeeping data, 2024") for n in res.notes)
    assert res.notes[0] == res.query["definition"]
    regular = store.assessments(scale="regular")
    assert regular.query["defaults"] == {"year": 2027} and regular.query["definition"].startswith("share:")


def test_within_ranks_among_the_group(store):
    rows = store.assessments(within="P5", year=2024).rows
    assert [(r["rank"], r["member"]) for r in rows] == [(1, "USA"), (2, "CHN"), (3, "GBR"), (4, "FRA"), (5, "RUS")]


def test_errors(store):
    with pytest.raises(NoDataError, match="cover 2013-2024"):
        store.assessments(year=2012)
    with pytest.raises(QueryError, match="choose one"):
        store.assessments(year=2014, start=2013)
    with pytest.raises(QueryError, match="unknown scale"):
        store.assessments(scale="voluntary")
    with pytest.raises(QueryError, match="at least 1"):
        store.assessments(top=0)


def test_cli_answers_the_two_questions(built_db):
    r = CliRunner().invoke(cli, ["assessments", "-c", "USA", "--year", "2014", "--format", "json",
                                 "--db", str(built_db)])
    assert r.exit_code == 0, r.output
    answer = json.loads(r.output)
    assert answer["rows"][0]["share"] == 28.3842 and answer["query"]["definition"].startswith("share:")
    assert any(s["path"] == f"{OPEN}/donors-2014.json" for s in answer["sources"])
    r = CliRunner().invoke(cli, ["assessments", "--year", "2019", "--top", "10", "--format", "csv",
                                 "--db", str(built_db)])
    lines = r.output.strip().splitlines()
    assert lines[0] == "year,rank,member,member_name,share,amount_usd,regular_rate,ratio" and len(lines) == 11
    r = CliRunner().invoke(cli, ["assessments", "--year", "2019", "--top", "10", "--db", str(built_db)])
    assert r.output.splitlines()[0] == "year 2019"  # yearly answers name their year, not a month
    assert "note: share: the member's percent" in r.output and "source: finance/un-open/donors-2019.json" in r.output


# ---- SYNTHETIC bad input ----------------------------------------------------------------------
# Every number below is invented; only the layouts copy the real files. Each folder gets a
# SYNTHETIC.md saying so (.md files are neither read nor reported by the build).

SYNTHETIC_DONORS = """{
  "France": {"status": "member", "category": "Government", "contributions": {
    "UN-DPO": {"Assessed": 300.0, "Assessed": 999.0}, "WFP": {"Voluntary earmarked": -5.0}}},
  "China": {"status": "member", "category": "Government", "contributions": {"UN-DPO": {"Assessed": 100.0}}},
  "United States of America": {"status": "member", "category": "Government", "contributions": {
    "UN-DPO": {"Assessed": 600.0}, "UNDP": {"Voluntary earmarked": "abc"}}},
  "Kenya": {"status": "member", "category": "Government", "contributions": {"UN-DPO": {"Assessed": -1.0}}},
  "Atlantis": {"status": "member", "category": "Government", "contributions": {
    "UN-DPO": {"Assessed": 7.0}, "UNDP": {"Other": 1.0}}},
  "Atlantis Foundation": {"status": "organization", "category": "Foundations", "contributions": {
    "UNICEF": {"Voluntary earmarked": 2.0}}},
  "United States Fund for UNICEF": {"status": "organization", "category": "NGOs", "contributions": {
    "UNICEF": {"Voluntary earmarked": 3.0}}}
}
"""

SYNTHETIC_REGULAR = {
    "meta": {"year": 2019, "as_of": "2019-12-27", "member_state_count": 7, "assessment_total": 1000},
    "contributors": [
        {"name": "France", "assessment_rate": 30.0, "assessment_amount": 300, "payment_status": "paid_on_time",
         "payment_date": "2019-01-15"},
        {"name": "China", "assessment_rate": 10.0, "assessment_amount": 100, "payment_status": "paid_late",
         "payment_date": "2019-05-03"},
        {"name": "United States of America", "assessment_rate": 60.0, "assessment_amount": 600,
         "payment_status": "not_paid_in_full", "payment_date": None},
        {"name": "Kenya", "assessment_rate": "x", "assessment_amount": 1, "payment_status": "paid_late",
         "payment_date": None},
        {"name": "Atlantis", "assessment_rate": 0.1, "assessment_amount": 1, "payment_status": "paid_late",
         "payment_date": None},
        {"name": "Peru", "assessment_rate": 0.1, "assessment_amount": 1, "payment_status": "lost",
         "payment_date": None},
    ]}

SYNTHETIC_SCALE = """Member State,2012,2015
France,30.0,30.0
China,abc,10.0
United States of America,60.0,-1
Atlantis,0.1,-
Egypt,b/,NA
"""


@pytest.fixture
def synthetic(tmp_path):
    root = tmp_path / "sources"
    for folder, files in ((OPEN, {"donors-2014.json": SYNTHETIC_DONORS,
                                  "regular-budget-contributors-2019.json": json.dumps(SYNTHETIC_REGULAR)}),
                          ("finance/un-scale", {"UNGA_scale_of_assessment.csv": SYNTHETIC_SCALE})):
        (root / folder).mkdir(parents=True)
        (root / folder / "SYNTHETIC.md").write_text("SYNTHETIC test data from tests/test_assessments.py: "
                                                    "every number is invented.\n")
        for name, text in files.items():
            (root / folder / name).write_text(text, encoding="utf-8")
    return root


def _build(root: Path, db: Path) -> duckdb.DuckDBPyConnection:
    from bluehelmet.builder import build

    build(root, db)
    return duckdb.connect(str(db), read_only=True)


def _quarantine(c: duckdb.DuckDBPyConnection, path: str) -> list[tuple[int, str, str]]:
    return c.execute("""SELECT q.line, q."column", q.reason FROM quarantine q JOIN source_file s USING (source_id)
        WHERE s.relpath = ? ORDER BY q.line""", [path]).fetchall()


def test_synthetic_donors_bad_amounts_and_unknown_country(synthetic, tmp_path):
    c = _build(synthetic, tmp_path / "s.duckdb")
    path = f"{OPEN}/donors-2014.json"
    bad = {(col, reason.split(" (closest")[0]) for _, col, reason in _quarantine(c, path)}
    assert bad == {
        ("contributions.UN-DPO.Assessed", "instrument listed twice for this donor and entity; the first is kept"),
        ("contributions.UNDP.Voluntary earmarked", "not a number: 'abc'"),
        ("contributions.UN-DPO.Assessed", "negative peacekeeping assessed contribution"),
        ("contributions.UN-DPO.Assessed", "unknown country 'Atlantis'"),
        ("contributions.UNDP.Other", "unknown country 'Atlantis'"),
    } and len(_quarantine(c, path)) == 5  # France's repeat, abc, Kenya's -1, Atlantis's two amounts
    read, loaded, quarantined = c.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM source_file "
                                          "WHERE relpath = ?", [path]).fetchone()
    assert (read, loaded, quarantined) == (11, 6, 5)
    # the first of France's two peacekeeping amounts is kept; a negative amount elsewhere is a refund
    assert c.execute("SELECT amount_usd FROM un_contribution WHERE donor = 'FRA' AND entity = 'UN-DPO'"
                     ).fetchall() == [(300.0,)]
    assert c.execute("SELECT amount_usd FROM un_contribution WHERE donor = 'FRA' AND entity = 'WFP'"
                     ).fetchall() == [(-5.0,)]
    assert "1 negative amounts" in c.execute("SELECT message FROM finding WHERE kind = 'negative_contribution'"
                                             ).fetchone()[0]
    # organisations are loaded without a country, whatever their name contains
    assert c.execute("SELECT donor_name, donor FROM un_contribution WHERE donor_status = 'organization' "
                     "ORDER BY 1").fetchall() == [("Atlantis Foundation", None), ("United States Fund for UNICEF", None)]
    # shares are of what was loaded: 300 + 100 + 600
    assert c.execute("SELECT member, share FROM assessment WHERE scale = 'peacekeeping' ORDER BY rank"
                     ).fetchall() == [("USA", 60.0), ("FRA", 30.0), ("CHN", 10.0)]


def test_synthetic_regular_budget_records(synthetic, tmp_path):
    c = _build(synthetic, tmp_path / "s.duckdb")
    path = f"{OPEN}/regular-budget-contributors-2019.json"
    assert [(line, col) for line, col, _ in _quarantine(c, path)] == [
        (4, "assessment_rate"), (5, "name"), (6, "payment_status")]
    reasons = [r for _, _, r in _quarantine(c, path)]
    assert reasons[0] == "not a rate (a percentage >= 0): 'x'" and reasons[1].startswith("unknown country 'Atlantis'")
    assert c.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM source_file WHERE relpath = ?",
                     [path]).fetchone() == (6, 3, 3)
    # the file's meta says 7 members: the difference with its records is a finding
    assert "member_states 7 (records: 6)" in " ".join(m for (m,) in c.execute(
        "SELECT message FROM finding WHERE kind = 'regular_budget_meta'").fetchall())


def test_synthetic_scale_cells(synthetic, tmp_path):
    c = _build(synthetic, tmp_path / "s.duckdb")
    bad = _quarantine(c, SCALE_CSV)
    assert [(line, col, reason.split(" (closest")[0]) for line, col, reason in bad] == [
        (3, "2012", "not a rate: 'abc'"), (4, "2015", "negative rate: -1"), (5, "2012", "unknown country 'Atlantis'")]
    assert c.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM source_file WHERE relpath = ?",
                     [SCALE_CSV]).fetchone() == (7, 4, 3)
    # 2013-2015 is the column headed 2015; Egypt's b/ says "see the footnote", not a rate
    assert c.execute("SELECT member, period_from, period_to, rate FROM scale_rate WHERE member = 'CHN'"
                     ).fetchall() == [("CHN", 2013, 2015, 10.0)]
    assert "Egypt 2012" in c.execute("SELECT message FROM finding WHERE kind = 'scale_footnote_cell'").fetchone()[0]


def test_synthetic_malformed_json_stops_the_build_and_keeps_the_database(synthetic, tmp_path):
    from bluehelmet.builder import build

    db = tmp_path / "s.duckdb"
    build(synthetic, db)
    before = db.read_bytes()
    (synthetic / OPEN / "donors-2014.json").write_text(SYNTHETIC_DONORS[:200], encoding="utf-8")  # cut off
    with pytest.raises(SourceReadError, match=r"donors-2014.json: not readable JSON: .*line \d+ column \d+"):
        build(synthetic, db)
    assert db.read_bytes() == before
