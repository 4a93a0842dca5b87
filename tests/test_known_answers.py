"""Known answers: figures computed here from the raw files, with no bluehelmet code
(csv, json, pandas, pyreadstat, openpyxl, ``pdftotext -layout``), asserted against the
Python API or the CLI on the database built from the same files.

A spread over the domains: personnel by contributor, mission and month from IPI and from
the official monthly reports (2015 onward), world totals, ranks, authorisations,
fatalities, assessments, spending and finance; and one cell per kind of reconciliation
finding (``missing_rows``, ``dpo_vs_ipi``, ``owid_world_total``, ``sites_cross_check``,
``scale_csv_vs_xlsx``, ``scale_vs_contributor_files``, ``peacekeeping_premium``,
``spending_statements_compared``, ``finance_version_diff``, and the fatality and
authorisation checks), where the answer must be the figure of the source that is
complete for it and the finding must name both figures.

And the cases of issue 12 ("Truth"): the cells a better file lacks (France 2012-06,
Colombia 2010-05), historical states (the Soviet Union, Czechoslovakia, the P5 of 1990),
names that resolve exactly or not at all (regions included), a mission under another
acronym, the claim language's ``=`` and thousands separators, a partial year and a
first month that is only the data's.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli

pytestmark = pytest.mark.data


# --------------------------------------------------------------------------- raw readers


def n(value: str) -> int:
    return 0 if value in ("", "NA") else int(value)


@lru_cache(maxsize=None)
def _csv(path: str) -> tuple[dict[str, str], ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def _json(path: str) -> object:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def _pdf(path: str) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def _gender_full(sources: Path, month: str) -> list[dict[str, str]]:
    return [r for r in _csv(str(sources / "ipi/tcc-datascraper/Gender.Full.csv")) if r["Date"].startswith(month)]


def _number(text: str) -> int:
    return int(text.replace(",", ""))


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")


def _report(sources: Path, month: str) -> str:
    return _pdf(str(sources / f"un/dpo-monthly/UN_country_contributions_{month.replace('-', '_')}.pdf"))


def _country_block(text: str, country: str, end: str) -> list[str]:
    """The lines of one country's block in a report that lists countries one under another."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if re.fullmatch(rf"\s*(\d+\s+)?{re.escape(country)}\s*", ln))
    stop = next(i for i in range(start + 1, len(lines)) if re.match(end, lines[i]))
    return lines[start:stop + 1]


# --------------------------------------------------------------------------- personnel, IPI


def test_contributor_month_from_gender_full(store, sources):
    rows = [r for r in _gender_full(sources, "2013-12") if r["Contributor"] == "Ghana"]
    assert store.personnel(country=["Ghana"], month="2013-12").scalar() == sum(n(r["Total Total"]) for r in rows) \
        == 3005


def test_police_of_a_contributor_month(store, sources):
    rows = [r for r in _gender_full(sources, "2012-06") if r["Contributor"] == "India"]
    police = sum(n(r["Individual Police Total"]) + n(r["Formed Police Units Total"]) for r in rows)
    assert store.personnel(country=["India"], type="police", month="2012-06").scalar() == police == 1054


def test_mission_month_from_gender_full(store, sources):
    rows = [r for r in _gender_full(sources, "2011-03") if r["Mission"] == "UNIFIL"]
    assert store.personnel(mission=["UNIFIL"], month="2011-03").scalar() == sum(n(r["Total Total"]) for r in rows) \
        == 11888


def test_rank_of_a_month(store, sources):
    by: Counter[str] = Counter()
    for r in _gender_full(sources, "2013-12"):
        by[r["Contributor ISO-3"]] += n(r["Total Total"])
    expected = [(iso, v) for iso, v in by.most_common(3)]
    got = [(r["contributor"], r["personnel"]) for r in store.rank(month="2013-12", top=3).rows]
    assert got == expected == [("PAK", 8266), ("BGD", 7918), ("IND", 7849)]


def test_world_month_from_the_monthly_totals(store, sources):
    [row] = [r for r in _csv(str(sources / "ipi/tcc-datascraper/Data.Monthly.csv")) if r["date"].startswith("2005-06")]
    assert store.personnel(month="2005-06").scalar() == int(row["total.sum"]) == 66784


def test_contributor_month_from_a_monthly_release(store, sources):
    records = _json(str(sources / "ipi/ppp-loader/update_archive/json/20140630.json"))
    assert isinstance(records, list)
    china = [r for r in records if r.get("tcc_country_id") == "CHN" and r.get("mission") != "all"]
    total = sum(r.get("troops", 0) + r.get("civpol", 0) + r.get("eom", 0) for r in china)  # absent = none
    assert store.personnel(country=["China"], month="2014-06").scalar() == total == 2193


def test_mission_month_from_data_mission(store, sources):
    rows = _csv(str(sources / "ipi/ppp-loader/data_mission.csv"))
    [row] = [r for r in rows if r["Date"].startswith("2014-12") and r["Mission"] == "MINUSMA"]
    total = list(row.values())[-1]  # the file's last column: the mission's total
    assert store.personnel(mission=["MINUSMA"], month="2014-12").scalar() == int(total) == 9494


def test_missing_rows_cell_answers_from_the_complete_file(store, sources):
    """``missing_rows``: the United States' 2012-12 rows are all NA in full_gender_data.csv
    and filled in Gender.Full.csv: the answer is Gender.Full.csv's."""
    us = [r for r in _gender_full(sources, "2012-12") if r["Contributor ISO-3"] == "USA"]
    ppp = [r for r in _csv(str(sources / "ipi/ppp-loader/full_gender_data.csv"))
           if r["Date"].startswith("2012-12") and r["Contributor_ISO-3"] == "USA"]
    assert ppp and all(r["Total_Total"] == "NA" for r in ppp)
    expected = sum(n(r["Total Total"]) for r in us)
    cells = sum(1 for r in us for t in ("Individual Police", "Formed Police Units", "Experts on Mission", "Troops")
                if n(r[f"{t} Total"]))
    assert store.personnel(country=["USA"], month="2012-12").scalar() == expected == 128
    msg = store.con.execute("SELECT message FROM finding WHERE kind = 'missing_rows' AND message LIKE "
                            "'United States (USA) 2012-12:%'").fetchone()[0]
    assert f"{cells} detail cells ({expected} personnel)" in msg


def test_owid_cell_answers_from_the_monthly_totals(store, sources):
    """``owid_world_total``: December 1991 is 11,291 in IPI and 15,300 in OWID."""
    [ipi] = [r for r in _csv(str(sources / "ipi/tcc-datascraper/Data.Monthly.csv")) if r["date"].startswith("1991-12")]
    [owid] = [r for r in _csv(str(sources / "owid/united-nations-peacekeeping.csv")) if r["Year"] == "1991"]
    ours, theirs = int(ipi["total.sum"]), int(owid["Size of total peacekeeping force (United Nations Peacekeeping)"])
    assert store.personnel(month="1991-12").scalar() == ours == 11291
    (msg,) = store.con.execute("SELECT message FROM finding WHERE kind = 'owid_world_total'").fetchone()
    assert f"1991: {ours:,} vs OWID {theirs:,}" in msg


# --------------------------------------------------------------------------- personnel, official reports


@needs_pdftotext
def test_country_total_printed_in_a_report(store, sources):
    block = _country_block(_report(sources, "2019-06"), "China", r"\s*Total for Country")
    printed = _number(block[-1].split()[-1])
    assert store.personnel(country=["China"], month="2019-06").scalar() == printed == 2519


@needs_pdftotext
def test_country_and_country_mission_totals_printed_in_a_report(store, sources):
    block = _country_block(_report(sources, "2016-06"), "Ghana", r"\s+Ghana\s+[\d,]+\s*$")
    total = _number(block[-1].split()[-1])
    [unmil] = [_number(ln.split()[-1]) for ln in block if re.fullmatch(r"\s+UNMIL\s+[\d,]+\s*", ln)]
    assert store.personnel(country=["Ghana"], month="2016-06").scalar() == total == 2974
    assert store.personnel(country=["Ghana"], mission=["UNMIL"], month="2016-06").scalar() == unmil == 92


@needs_pdftotext
def test_mission_and_grand_totals_printed_in_a_report(store, sources):
    text = _report(sources, "2021-12")
    [mission] = [_number(ln.split()[-1]) for ln in text.splitlines() if re.match(r"Total UNMISS\s", ln)]
    [grand] = [_number(ln.split()[-1]) for ln in text.splitlines() if ln.startswith("Grand Total")]
    assert store.personnel(mission=["UNMISS"], month="2021-12").scalar() == mission == 15312
    assert store.personnel(month="2021-12").scalar() == grand == 75085


@needs_pdftotext
def test_world_total_of_a_recent_report(store, sources):
    text = _report(sources, "2023-06")
    [grand] = [_number(ln.split()[-1]) for ln in text.splitlines() if ln.strip().startswith("Grand Total")]
    assert store.personnel(month="2023-06").scalar() == grand == 76170


@needs_pdftotext
def test_dpo_vs_ipi_cell(store, sources):
    """``dpo_vs_ipi``: 2015-05, the report against IPI's data_monthly.csv. This report
    prints no grand total: its rows (male, female, total per country x mission x post)
    add up to 106,506, MINUSTAH police rows printed twice counted twice, as the build
    does (finding ``repeated_cell``); IPI has 106,173. The report answers."""
    text = _report(sources, "2015-05")
    row = re.compile(r"[A-Za-z]\s+(\d[\d,]*)\s+(\d[\d,]*)\s+(\d[\d,]*)\s*$")
    grand = sum(_number(m.group(3)) for m in map(row.search, text.splitlines()) if m)
    [ipi] = [r for r in _csv(str(sources / "ipi/ppp-loader/data_monthly.csv")) if r["Date"].startswith("2015-05")]
    assert store.personnel(month="2015-05").scalar() == grand == 106506
    msgs = [m for (m,) in store.con.execute("SELECT message FROM finding WHERE kind = 'dpo_vs_ipi'").fetchall()]
    assert any(f"2015-05 differs by {grand - int(ipi['Total Contributions'])} ({grand:,} in the reports, "
               f"{int(ipi['Total Contributions']):,} in IPI's)" in m for m in msgs)


# --------------------------------------------------------------------------- authorisations


@pytest.fixture(scope="module")
def shortfall(sources):
    import pyreadstat

    df, _ = pyreadstat.read_dta(str(sources / "mandates/Personnel_shortfall_data.dta"))
    return df


def _auth_row(df, mission: str, year: int, month: int):
    rows = df[(df["mission"] == mission) & (df["year"] == year) & (df["month"] == month)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_authorised_total(store, shortfall):
    row = _auth_row(shortfall, "MINUSMA", 2013, 12)
    got = store.authorized("MINUSMA", month="2013-12").rows[0]
    assert got["auth_total"] == int(row["totalauth"]) == 12640
    assert (got["auth_troops"], got["auth_police"]) == (int(row["authtroop"]), int(row["authpolice"]))


def test_raised_ceiling(store, shortfall):
    before, after = _auth_row(shortfall, "UNMISS", 2013, 12), _auth_row(shortfall, "UNMISS", 2014, 1)
    assert store.authorized("UNMISS", month="2013-12").rows[0]["auth_troops"] == int(before["authtroop"]) == 6834
    assert store.authorized("UNMISS", month="2014-01").rows[0]["auth_troops"] == int(after["authtroop"]) == 12334


def test_authorised_deployed_vs_mission_cell(store, shortfall, sources):
    """``authorized_deployed_vs_mission``: the file's deployed troops against IPI's mission
    totals, one differing cell: UNMIL 2010-03 (8,955 in the file, 8,985 in IPI's). The
    authorisation answer shows the file's own figure; the personnel answer IPI's."""
    row = _auth_row(shortfall, "UNMIL", 2010, 3)
    [ipi] = [r for r in _csv(str(sources / "ipi/tcc-datascraper/Data.Mission.csv"))
             if r["date"].startswith("2010-03") and r["mission"] == "UNMIL"]
    cell = store.con.execute("""SELECT value_a, value_b FROM reconciliation
        WHERE check_name = 'authorized_deployed_vs_mission' AND mission = 'UNMIL' AND month = DATE '2010-03-01'
        AND type = 'troops'""").fetchone()
    assert cell == (int(row["troop"]), n(ipi["troops"])) == (8955, 8985)
    assert store.authorized("UNMIL", month="2010-03").rows[0]["troops"] == int(row["troop"])
    assert store.personnel(mission=["UNMIL"], type="troops", month="2010-03").scalar() == n(ipi["troops"])


# --------------------------------------------------------------------------- fatalities


@pytest.fixture(scope="module")
def deaths(sources):
    rows = _csv(str(sources / "un/DPPADPOSS-FATALITIES.csv"))
    return list({r["casualty_id"]: r for r in rows}.values())  # six UNMIK deaths are listed twice


def test_fatalities_of_a_year(store, deaths):
    expected = sum(1 for r in deaths if r["incident_date"].startswith("2013"))
    assert store.fatalities(start="2013-01", end="2013-12").rows[0]["fatalities"] == expected == 110


def test_fatalities_of_a_mission_by_year(store, deaths):
    expected = Counter(int(r["incident_date"][:4]) for r in deaths
                       if r["mission_acronym"] == "MINUSMA" and "2013" <= r["incident_date"][:4] <= "2016")
    res = store.fatalities(mission="MINUSMA", start="2013-01", end="2016-12", by=["year"])
    assert {r["year"]: r["fatalities"] for r in res.rows} == dict(expected)


def test_fatalities_of_a_nationality(store, deaths):
    expected = sum(1 for r in deaths if r["isocode3"] == "IND" and "2000" <= r["incident_date"][:4] <= "2009")
    assert store.fatalities(nationality="India", start="2000-01", end="2009-12").rows[0]["fatalities"] == expected


def test_fatalities_mission_year_cell(store, deaths, sources):
    """``fatalities:mission_year``: MONUSCO 2014 is 17 in the official list, 16 in the
    aggregate; the answer counts the list."""
    import pyreadstat

    agg, _ = pyreadstat.read_dta(str(sources / "mandates/Contigent-mission-month_data.dta"))
    listed = sum(1 for r in deaths if r["mission_acronym"] == "MONUSCO" and r["incident_date"].startswith("2014"))
    year_col = next(c for c in agg.columns if c.lower() == "year")
    mission_col = next(c for c in agg.columns if c.lower() == "mission")
    total_col = next(c for c in agg.columns if c.lower() in ("total", "fatalities", "totalfatalities", "total_fat"))
    aggregated = int(agg[(agg[mission_col] == "MONUSCO") & (agg[year_col] == 2014)][total_col].sum())
    assert store.fatalities(mission="MONUSCO", start="2014-01", end="2014-12").rows[0]["fatalities"] == listed == 17
    cell = store.con.execute("""SELECT value_a, value_b FROM reconciliation WHERE check_name = 'fatalities:mission_year'
        AND mission = 'MONUSCO' AND month = DATE '2014-01-01' AND type = 'fatalities'""").fetchone()
    assert cell == (listed, aggregated) == (17, 16)


# --------------------------------------------------------------------------- assessments


def _dpo_assessed(sources: Path, year: int) -> dict[str, float]:
    donors = _json(str(sources / f"finance/un-open/donors-{year}.json"))
    assert isinstance(donors, dict)
    out = {}
    for name, d in donors.items():
        amount = d.get("contributions", {}).get("UN-DPO", {}).get("Assessed")
        if amount:
            out[name] = amount
    return out


def test_peacekeeping_share_of_a_member(store, sources):
    amounts = _dpo_assessed(sources, 2020)
    share = round(amounts["China"] / sum(amounts.values()) * 100, 4)
    [row] = store.assessments(scale="peacekeeping", member="China", year=2020).rows
    assert row["share"] == share == 15.1321 and row["amount_usd"] == int(amounts["China"])


def test_peacekeeping_premium_cell(store, sources):
    """``peacekeeping_premium``: the P5's share of 2013's peacekeeping assessments."""
    amounts = _dpo_assessed(sources, 2013)
    p5 = ("China", "France", "Russian Federation", "United Kingdom of Great Britain and Northern Ireland",
          "United States of America")
    share = round(sum(amounts[k] for k in p5) / sum(amounts.values()) * 100, 4)
    [row] = [r for r in store.who_pays(year=2013).sections["p5_vs_rest"].rows if r["year"] == 2013 and r["side"] == "P5"]
    assert row["share"] == share == 50.4075
    (msg,) = store.con.execute("SELECT message FROM finding WHERE kind = 'peacekeeping_premium' "
                               "AND message LIKE '2013:%'").fetchone()
    assert f"{share:.2f}% of peacekeeping assessments" in msg


def test_regular_rate_from_the_contributor_file(store, sources):
    """``scale_vs_contributor_files``: the rate of the scale equals the contributor file's."""
    data = _json(str(sources / "finance/un-open/regular-budget-contributors-2022.json"))
    assert isinstance(data, dict)
    [usa] = [c for c in data["contributors"] if c["name"] == "United States of America"]
    [row] = store.assessments(scale="regular", member="USA", year=2022).rows
    assert (row["share"], row["amount_usd"]) == (usa["assessment_rate"], usa["assessment_amount"]) == (22.0, 693417088)


def test_scale_csv_vs_xlsx_cell(store, sources):
    """``scale_csv_vs_xlsx``: Luxembourg 1974 is 0.044 in the workbook, 0.04 in its CSV
    copy; the workbook answers."""
    import openpyxl

    # the workbook writes a period's years in three header rows (1974 / 1975 / 1976); its
    # CSV copy keeps the third row's year as the column name
    wb = openpyxl.load_workbook(sources / "finance/un-scale/Scale of Assessments for RB 1946-2027.xlsx",
                                read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    col = next(i for i, h in enumerate(rows[0]) if h == 1974)
    [lux] = [r for r in rows if r and r[0] == "Luxembourg"]
    value = round(float(lux[col]), 6)
    [csv_row] = [r for r in _csv(str(sources / "finance/un-scale/UNGA_scale_of_assessment.csv"))
                 if r["Member State"] == "Luxembourg"]
    assert value == 0.044 and float(csv_row[str(rows[2][col])]) == 0.04
    [row] = store.assessments(scale="regular", member="LUX", year=1974).rows
    assert row["share"] == value


# --------------------------------------------------------------------------- spending


def _node(sources: Path, name: str, code: str) -> float:
    doc = _json(str(sources / f"finance/un-open/{name}"))
    assert isinstance(doc, dict)
    [amount] = [x["amount"] for x in doc["nodes"] if x.get("code") == code and x.get("costClass", "total") == "total"]
    return float(amount)


def test_mission_spending_audited(store, sources):
    amount = _node(sources, "budget-audited-pko-2023.json", "MINUSMA")
    [row] = store.spending(mission="MINUSMA", year="2022/23").rows
    assert row["expenditure_usd"] == int(amount) == 1192292200 and row["statement"] == "audited"


def test_spending_statements_compared_cell(store, sources):
    """``spending_statements_compared``: the performance report's MINUSMA 2022/23 equals the
    audited statement's, to the dollar."""
    performance = _node(sources, "budget-pko-2022.json", "MINUSMA")
    assert performance == _node(sources, "budget-audited-pko-2023.json", "MINUSMA")
    [row] = store.spending(mission="MINUSMA", year="2022/23", statement="performance").rows
    assert row["expenditure_usd"] == int(performance)


# --------------------------------------------------------------------------- finance (AidData)


def test_finance_version_diff_cell(store, sources):
    """``finance_version_diff``: official-finance project ids in 1.0 and 1.1: added and
    dropped between the versions."""
    import openpyxl

    def ids(name: str) -> set[str]:
        """Project ids of the official sheet (the first after the cover sheet), 2000-2011."""
        wb = openpyxl.load_workbook(sources / f"finance/aiddata/{name}", read_only=True, data_only=True)
        ws = next(w for w in wb.worksheets if w.title.startswith("1)"))
        rows = ws.iter_rows(values_only=True)
        header = list(next(rows))
        col, year = header.index("project_id"), header.index("year")
        out = {str(r[col]) for r in rows if r and r[col] is not None and r[year] is not None
               and 2000 <= int(r[year]) <= 2011}
        wb.close()
        return out

    first, second = ids("aiddata_china_1.0.xlsx"), ids("aiddata_china_1.1.xlsx")
    (msg,) = store.con.execute("SELECT message FROM finding WHERE kind = 'finance_version_diff' "
                               "AND message LIKE 'AidData 1.0 -> 1.1%'").fetchone()
    added = re.search(r"(\d+) added", msg)
    dropped = re.search(r"(\d+) dropped", msg)
    assert added and dropped
    assert (int(added.group(1)), int(dropped.group(1))) == (len(second - first), len(first - second))


# --------------------------------------------------------------------------- sites


def test_sites_cross_check_cell(store, sources):
    """``sites_cross_check``: RADPKO's UNAMID 2011 troops, summed over bases (yearly means),
    against Geo-PKO v2.0's; the reconciliation holds RADPKO's figure as computed here."""
    rows = _csv(str(sources / "radpko/radpko_bases_cc_y.csv"))
    cols = rows[0].keys()
    mission_col = next(c for c in cols if c.lower() == "mission")
    year_col = next(c for c in cols if c.lower() == "year")
    troops_col = next(c for c in cols if c.lower() == "untrp")
    total = sum(float(r[troops_col] or 0) for r in rows if r[mission_col] == "UNAMID" and r[year_col] == "2011")
    cell = store.con.execute("""SELECT value_b FROM reconciliation WHERE check_name = 'geopko:v20_vs_radpko'
        AND mission = 'UNAMID' AND month = DATE '2011-01-01'""").fetchone()
    assert cell is not None and cell[0] == round(total) == 19805


# --------------------------------------------------------------------------- the CLI


def test_cli_gives_the_same_known_answer(built_db, sources):
    rows = [r for r in _gender_full(sources, "2013-12") if r["Contributor"] == "Ghana"]
    out = CliRunner().invoke(cli, ["personnel", "-c", "GHA", "--month", "2013-12", "--format", "json",
                                   "--db", str(built_db)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["rows"][0]["personnel"] == sum(n(r["Total Total"]) for r in rows)


def test_cli_world_total_series(built_db, sources):
    monthly = {r["date"][:7]: int(r["total.sum"]) for r in _csv(str(sources / "ipi/tcc-datascraper/Data.Monthly.csv"))}
    out = CliRunner().invoke(cli, ["personnel", "--from", "2000-01", "--to", "2000-06", "--by", "month",
                                   "--format", "csv", "--db", str(built_db)])
    assert out.exit_code == 0, out.output
    got = {r["month"]: int(r["personnel"]) for r in csv.DictReader(out.output.splitlines())}
    assert got == {m: monthly[m] for m in got} and len(got) == 6


def test_country_files_month(store, sources):
    """A contributor total from the TCC country file (a month before the detail files)."""
    [row] = [r for r in _csv(str(sources / "ipi/tcc-datascraper/countries/Nepal.csv")) if r["Date"].startswith("2001-12")]
    assert store.personnel(country=["Nepal"], month="2001-12").scalar() == \
        n(row["Troops"]) + n(row["Police"]) + n(row["Experts"])


def test_group_sum_of_a_month(store, sources):
    """A group is the sum of its members that month: the P5 from Gender.Full.csv."""
    p5 = {"CHN", "FRA", "RUS", "GBR", "USA"}
    expected = sum(n(r["Total Total"]) for r in _gender_full(sources, "2011-12") if r["Contributor ISO-3"] in p5)
    assert store.personnel(country=["P5"], month="2011-12").scalar() == expected


# --------------------------------------------------------------------------- issue 12: truth

def _ppp_detail(sources: Path, month: str, iso3: str) -> list[dict[str, str]]:
    return [r for r in _csv(str(sources / "ipi/ppp-loader/full_gender_data.csv"))
            if r["Date"].startswith(month) and r["Contributor_ISO-3"] == iso3 and r["Mission"].strip("'") != "all"]


def _country_file(sources: Path, name: str, month: str) -> int:
    [row] = [r for r in _csv(str(sources / f"ipi/tcc-datascraper/countries/{name}.csv")) if r["Date"].startswith(month)]
    return sum(n(row[k]) for k in ("Troops", "Police", "Experts"))


def test_france_june_2012_is_the_complete_files_figure(store, sources):
    ppp = _ppp_detail(sources, "2012-06", "FRA")
    tcc = [r for r in _gender_full(sources, "2012-06") if r["Contributor ISO-3"] == "FRA"]
    assert "UNIFIL" in {r["Mission"] for r in ppp} - {r["Mission"] for r in tcc}  # the row TCC lacks
    expected = sum(n(r["Total_Total"]) for r in ppp)
    assert store.personnel(country=["France"], month="2012-06").scalar() == expected == 1098


def test_france_second_of_the_p5_in_june_2012(store, sources):
    by: Counter[str] = Counter()
    for r in _gender_full(sources, "2012-06"):
        if r["Contributor ISO-3"] in ("CHN", "GBR", "USA", "RUS"):
            by[r["Contributor ISO-3"]] += n(r["Total Total"])
    by["FRA"] = sum(n(r["Total_Total"]) for r in _ppp_detail(sources, "2012-06", "FRA"))
    expected = [iso for iso, _ in by.most_common()]
    assert [r["contributor"] for r in store.rank(month="2012-06", within="P5").rows] == expected
    assert expected.index("FRA") == 1


def test_colombia_may_2010_is_the_complete_files_figure(store, sources):
    expected = sum(n(r["Total_Total"]) for r in _ppp_detail(sources, "2010-05", "COL"))
    tcc = sum(n(r["Total Total"]) for r in _gender_full(sources, "2010-05") if r["Contributor ISO-3"] == "COL")
    assert store.personnel(country=["Colombia"], month="2010-05").scalar() == expected == tcc + 22


def test_the_soviet_union_in_december_1990(store, sources):
    # IPI files the USSR's personnel under the Russian Federation, which did not exist yet
    expected = _country_file(sources, "Russian Federation", "1990-12")
    assert store.personnel(country=["Soviet Union"], month="1990-12").scalar() == expected == 35
    assert store.personnel(country=["USSR"], month="1990-12").scalar() == expected


def test_czechoslovakia_in_june_1992(store, sources):
    expected = _country_file(sources, "Czech Republic", "1992-06")
    assert store.personnel(country=["Czechoslovakia"], month="1992-06").scalar() == expected == 531
    with pytest.raises(Exception, match="Czechoslovakia"):  # the successor did not exist yet: it says so
        store.personnel(country=["Czech Republic"], month="1992-06")


def test_the_p5_of_december_1990_are_five_with_the_ussr(store, sources):
    files = {"GBR": "United Kingdom", "FRA": "France", "SUN": "Russian Federation", "USA": "United States of America",
             "CHN": "China"}
    expected = {iso: _country_file(sources, name, "1990-12") for iso, name in files.items()}
    got = {r["contributor"]: r["personnel"] for r in store.rank(month="1990-12", within="P5").rows}
    assert got == expected and len(got) == 5


def test_a_name_inside_junk_is_an_error_not_an_answer(built_db):
    for junk in ("I hate France", "Chinatown", "Not China"):
        r = CliRunner().invoke(cli, ["personnel", "-c", junk, "--month", "2013-12", "--db", str(built_db)])
        assert r.exit_code != 0 and isinstance(r.exception, Exception) and "unknown" in str(r.exception), junk
    r = CliRunner().invoke(cli, ["personnel", "-c", "Congo", "--month", "2013-12", "--db", str(built_db)])
    assert r.exit_code != 0 and "COD" in str(r.exception) and "COG" in str(r.exception)


def test_sub_saharan_africa_in_december_2013(store, sources):
    import country_converter  # the library's own table, read directly: no bluehelmet code

    table = Path(country_converter.__file__).with_name("country_data.tsv")
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    # M49: Sub-Saharan Africa is Africa less Northern Africa
    members = {r["ISO3"] for r in rows if r["continent"] == "Africa" and r["UNregion"] != "Northern Africa"}
    expected = sum(n(r["Total Total"]) for r in _gender_full(sources, "2013-12") if r["Contributor ISO-3"] in members)
    assert store.personnel(country=["Sub-Saharan Africa"], month="2013-12").scalar() == expected


def test_onuci_months_answer_for_unoci(store, sources):
    [row] = [r for r in _csv(str(sources / "ipi/tcc-datascraper/Data.Mission.csv"))
             if r["date"].startswith("2006-03") and r["mission"] in ("ONUCI", "UNOCI")]
    assert row["mission"] == "ONUCI"
    assert store.personnel(mission=["UNOCI"], month="2006-03").scalar() == n(row["total"])


def test_claims_read_equals_and_thousands_separators(store, sources):
    from bluehelmet.claims import check

    china = sum(n(r["Total Total"]) for r in _gender_full(sources, "2013-12") if r["Contributor ISO-3"] == "CHN")
    assert check(store, f"personnel(China, 2013-12) = {china}").verdict == "true"
    assert check(store, f"personnel(China, 2013-12) = {china:,}").verdict == "true"
    assert check(store, f"personnel(China, 2013-12) > {china - 1:,}").verdict == "true"
    assert check(store, f"personnel(China, 2013-12) = {china + 1:,}").verdict == "false"


def test_a_partial_year_of_fatalities_says_where_it_stops(store, sources):
    rows = _csv(str(sources / "un/DPPADPOSS-FATALITIES.csv"))
    last = max(r["incident_date"][:10] for r in rows)
    assert last.startswith("2023-")
    res = store.fatalities(start="2023-01", end="2023-12")
    assert any(f"2023 is covered only to {last}" in note for note in res.notes)


def test_first_deployment_is_the_datas_first_month(store, sources):
    first = min(r["Date"][:7] for r in _csv(str(sources / "ipi/tcc-datascraper/countries/Nepal.csv"))
                if any(n(r[k]) for k in ("Troops", "Police", "Experts")))
    facts = store.country("Nepal").facts
    assert first == "1990-11" and facts["first_month_in_data"] == first
    assert "first month in the data" in facts["first_deployment"]
