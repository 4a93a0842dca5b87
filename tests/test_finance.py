"""Finance: AidData's records of China's official finance, read, reconciled and summed.

The real-data tests check bluehelmet against sums computed here from the raw workbooks,
read with python-calamine directly (no bluehelmet code); the bad-input tests build
SYNTHETIC workbooks in the 1.2 layout (invented records, written with openpyxl into
tmp_path) and break them one cell at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from bluehelmet.errors import BluehelmetError, NoDataError, QueryError, UnknownNameError

AID = "finance/aiddata"
FILES = {"1.0": "aiddata_china_1.0.xlsx", "1.1": "aiddata_china_1.1.xlsx", "1.2": "aiddata_china_1.2.xlsx",
         "global-1.0": "GlobalChineseOfficialFinanceDataset_v1.0.xlsx"}
OFFICIAL_SHEET = {"1.0": "1) Official Flows", "1.1": "1) Official Finance", "1.2": "Official Finance",
                  "global-1.0": "ChineseOfficialFinance1.0"}
OFFICIAL_FLOWS = {"ODA-like", "OOF-like", "Vague (Official Finance)"}
PLEDGE = "Pipeline: Pledge"


# -- an independent reading of the raw workbooks ---------------------------------------------

def _num(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    v = str(v).strip()
    return float(v) if v else None


@pytest.fixture(scope="module")
def raw(sources):
    """{version: {sheet: [row dicts]}} for every sheet whose first cell is project_id."""
    from python_calamine import CalamineWorkbook

    out = {}
    for version, name in FILES.items():
        wb = CalamineWorkbook.from_path(str(sources / AID / name))
        sheets = {}
        for sheet in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet).to_python()
            if rows and rows[0] and rows[0][0] == "project_id":
                header = rows[0]
                sheets[sheet] = [dict(zip(header, r)) for r in rows[1:] if any(str(c).strip() for c in r)]
        out[version] = sheets
    return out


def _official(raw, version):
    """AidData's official finance records: the official sheet; the global dataset keeps
    cancelled and suspended records there too, which are not."""
    return [r for r in raw[version][OFFICIAL_SHEET[version]] if r["status"] not in ("Cancelled", "Suspended")]


def _counted(rows, first=2000, last=2011, pledges=False, regional=True):
    return [r for r in rows if r["flow_class"] in OFFICIAL_FLOWS and first <= int(r["year"]) <= last
            and (pledges or r["status"] != PLEDGE)
            and (regional or not r["recipient_condensed"].endswith(", regional"))]


def _usd(rows, column="usd_defl"):
    return sum(_num(r[column]) or 0.0 for r in rows)


# -- rows, provenance -------------------------------------------------------------------------

def test_every_record_is_read_and_loaded(store, raw, sources):
    files = {p: (r, lo, q) for p, r, lo, q in store.con.execute(
        "SELECT relpath, rows_read, rows_loaded, rows_quarantined FROM source_file WHERE domain = 'finance'"
    ).fetchall()}
    assert len(files) == 4
    for version, name in FILES.items():
        read, loaded, quarantined = files[f"{AID}/{name}"]
        n = sum(len(rows) for rows in raw[version].values())
        assert read == n == loaded + quarantined
        assert quarantined == 0  # the real workbooks hold no bad cell
        held = store.con.execute("SELECT count(*) FROM finance_flow WHERE dataset = ?", [version]).fetchall()[0][0]
        assert held == loaded
    # v1.0: 1,699 official, 481 unofficial, 79 military, 41 cancelled, 1,417 inactive records
    per_sheet = dict(store.con.execute("""SELECT record_class, count(*) FROM finance_flow WHERE dataset = '1.0'
        GROUP BY 1""").fetchall())
    assert per_sheet == {"official": 1699, "unofficial": 481, "military": 79, "cancelled": 41, "inactive": 1417}
    assert {k: len(v) for k, v in raw["1.0"].items()} == {
        "1) Official Flows": 1699, "2) Unofficial Flows": 481, "3) Military (non-developmental)": 79,
        "4) Cancelled&Suspended Flows": 41, "5) INACTIVE&Suspicious Records": 1417}


def test_field_names_differ_between_versions_and_are_mapped(store, raw):
    """The global dataset calls its constant dollars usd_defl_2014 (base 2014); the Africa
    versions usd_defl (base 2009); 1.0 gives no current USD."""
    g = raw["global-1.0"]["ChineseOfficialFinance1.0"]
    assert "usd_defl_2014" in g[0] and "usd_defl" not in g[0] and "usd_defl" in raw["1.0"]["1) Official Flows"][0]
    rows = store.con.execute("""SELECT dataset, usd_base_year, count(usd_constant), count(usd_current)
        FROM finance_flow WHERE record_class = 'official' GROUP BY ALL ORDER BY 1""").fetchall()
    by = {d: (base, const, cur) for d, base, const, cur in rows}
    assert by["1.0"][0] == by["1.1"][0] == by["1.2"][0] == 2009 and by["global-1.0"][0] == 2014
    assert by["1.0"][2] == 0 and by["global-1.0"][2] > 0
    assert by["global-1.0"][1] == sum(1 for r in g if r["status"] not in ("Cancelled", "Suspended")
                                      and _num(r["usd_defl_2014"]) is not None)


def test_regional_records_are_kept_and_flagged(store, raw):
    official = raw["1.0"]["1) Official Flows"]
    regional = [r for r in official if r["recipient_condensed"] == "Africa, regional"]
    held = store.con.execute("""SELECT count(*), count(*) FILTER (WHERE region_group = 'Africa'),
        count(*) FILTER (WHERE recipient IS NULL) FROM finance_flow
        WHERE dataset = '1.0' AND record_class = 'official' AND recipient_kind = 'regional'""").fetchall()[0]
    assert held == (len(regional), len(regional), len(regional)) and len(regional) == 32
    # the Tazara railway records list Zambia and Tanzania
    listed = store.con.execute("""SELECT recipients FROM finance_flow WHERE dataset = '1.0'
        AND recipient_kind = 'regional' AND list_contains(recipients, 'ZMB')""").fetchall()
    assert listed and all("TZA" in r[0] for r in listed[:3])


# -- the totals -------------------------------------------------------------------------------

def test_official_finance_to_africa_2000_2011_v1_0(store, raw):
    """AidData's own figure for v1.0 is $75.4 billion (constant 2009 USD): ODA-like,
    OOF-like and Vague Official Finance commitments, pledges out. Leaving out the
    regional and multi-country records gives the $73 billion also cited."""
    official = _official(raw, "1.0")
    expected = _usd(_counted(official))
    res = store.finance("Africa", 2000, 2011, dataset="1.0")
    assert res.scalar("usd") == pytest.approx(expected, abs=1)
    assert round(expected / 1e9, 1) == 75.4
    assert res.rows[0]["projects"] == len(_counted(official)) == 1422

    with_pledges = _usd(_counted(official, pledges=True))
    assert store.finance("Africa", 2000, 2011, dataset="1.0", pledges=True).scalar("usd") == \
        pytest.approx(with_pledges, abs=1)
    assert round(with_pledges / 1e9, 1) == 101.3
    assert len(_counted(official, pledges=True)) == 1673  # the paper's "1,673 projects"

    countries = _usd(_counted(official, regional=False))
    assert store.finance("Africa", 2000, 2011, dataset="1.0", countries_only=True).scalar("usd") == \
        pytest.approx(countries, abs=1)
    assert round(countries / 1e9, 1) == 73.2

    # Official Investment sits on the same sheet, outside AidData's sum
    oi = _usd([r for r in official if r["flow_class"] == "Official Investment" and r["status"] != PLEDGE])
    both = store.finance("Africa", 2000, 2011, dataset="1.0", flow_class=["official", "official-investment"])
    assert both.scalar("usd") == pytest.approx(expected + oi, abs=1)


def test_official_finance_in_every_version(store, raw):
    """Each version's Africa total over its own years, in its own dollars."""
    for version, (first, last, column) in {"1.1": (2000, 2012, "usd_defl"), "1.2": (2000, 2013, "usd_defl"),
                                           "global-1.0": (2000, 2014, "usd_defl_2014")}.items():
        rows = _official(raw, version)
        if version == "global-1.0":
            rows = [r for r in rows if r["recipient_region"] == "Africa" and not _num(r["umbrella"])]
        expected = _usd(_counted(rows, first, last), column)
        got = store.finance("Africa", first, last, dataset=version).scalar("usd")
        assert got == pytest.approx(expected, abs=1), version


def test_the_top_recipient_of_each_year(store, raw):
    """Per year 2000-2011, the country that received the most (v1.0, official finance,
    pledges out, country records only)."""
    totals: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in _counted(_official(raw, "1.0"), regional=False):
        totals[int(r["year"])][r["recipient_iso3"]] += _num(r["usd_defl"]) or 0.0
    expected = {y: max(t, key=t.get) for y, t in totals.items()}
    res = store.finance("Africa", 2000, 2011, dataset="1.0", countries_only=True, by=["year", "recipient"], top=1)
    assert {r["year"]: r["recipient"] for r in res.rows} == expected
    assert expected[2010] == "GHA" and expected[2006] == "NGA" and expected[2011] == "ZAF"
    for r in res.rows:
        assert r["usd"] == pytest.approx(totals[r["year"]][r["recipient"]], abs=1)


def test_by_keys_add_up(store):
    total = store.finance("Africa", 2000, 2011, dataset="1.0").scalar("usd")
    for key in ("recipient", "year", "flow-class", "sector"):
        res = store.finance("Africa", 2000, 2011, dataset="1.0", by=[key])
        assert sum(r["usd"] or 0 for r in res.rows) == pytest.approx(total, abs=len(res.rows))
    flows = {r["flow_class"] for r in store.finance("Africa", 2000, 2011, dataset="1.0", by=["flow-class"]).rows}
    assert flows == OFFICIAL_FLOWS


def test_a_country_answer_leaves_regional_records_out_and_says_so(store, raw):
    official = _counted(_official(raw, "1.0"), regional=False)
    expected = _usd([r for r in official if r["recipient_iso3"] == "ZMB"])
    res = store.finance("Zambia", 2000, 2011, dataset="1.0")
    assert res.scalar("usd") == pytest.approx(expected, abs=1)
    assert any("Zambia together with other recipients" in n for n in res.notes)


# -- which version answers, and the definition it says ----------------------------------------

def test_the_default_version_is_the_latest_covering_the_question(store):
    res = store.finance("Africa", 2000, 2011)
    assert res.query["dataset"] == "global-1.0"
    assert any(n.startswith("dataset: AidData global-1.0, the latest version covering 2000-2011") for n in res.notes)
    assert "constant 2014 USD" in res.query["definition"]
    # only 1.0 and 1.1 have military records; 1.1 is the later
    assert store.finance("Africa", flow_class="military").query["dataset"] == "1.1"
    # current USD: not in 1.0
    assert store.finance("Africa", 2000, 2011, usd="current").query["dataset"] == "global-1.0"
    with pytest.raises(NoDataError, match="gives no current USD"):
        store.finance("Africa", 2000, 2011, usd="current", dataset="1.0")
    with pytest.raises(NoDataError, match="covers 2000-2011"):
        store.finance("Africa", 2000, 2013, dataset="1.0")
    with pytest.raises(NoDataError, match="Africa only, not Peru"):
        store.finance("Peru", dataset="1.2")
    assert store.finance("Peru", 2000, 2014).query["dataset"] == "global-1.0"


def test_the_answer_states_its_definition_and_sources(store, sources):
    res = store.finance("Africa", 2000, 2011, dataset="1.0")
    d = res.query["definition"]
    for part in ("ODA-like, OOF-like, Vague (Official Finance)", "pledges excluded", "constant 2009 USD",
                 "AidData 1.0", "2000-2011", "regional and multi-country records counted"):
        assert part in d
    assert res.notes[0] == f"definition: {d}"
    [src] = res.sources
    path = sources / AID / FILES["1.0"]
    assert src.path == f"{AID}/{FILES['1.0']}" and src.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (src.first_month, src.last_month, src.release) == ("2000", "2011", "1.0")
    assert "CGD Working Paper 323" in src.citation


def test_donor_is_china_only(store):
    assert store.finance("Africa", 2000, 2011, donor="CHN", dataset="1.0").query["donor"] == "China"
    with pytest.raises(NoDataError, match="China's official finance only"):
        store.finance("Africa", donor="United States")
    with pytest.raises(UnknownNameError):
        store.finance("Narnia")


@pytest.mark.parametrize("kwargs, match", [
    ({"by": ["mission"]}, "unknown --by key"),
    ({"flow_class": "grants"}, "unknown flow class"),
    ({"records": "deleted"}, "unknown record class"),
    ({"start": "2011", "end": "2000"}, "is after"),
    ({"start": "11"}, "bad year"),
    ({"dataset": "2.0"}, "unknown dataset"),
    ({"top": 0}, "--top"),
    ({"usd": "real"}, "--usd"),
])
def test_bad_questions(store, kwargs, match):
    with pytest.raises(QueryError, match=match):
        store.finance("Africa", **kwargs)


# -- reconciliation between versions ----------------------------------------------------------

def _label(r):
    return r["recipient_condensed"] if r["recipient_condensed"].endswith(", regional") else r["recipient_iso3"]


def _diff(a_rows, b_rows, first, last, measure):
    """What b adds to (within a's years, in Africa), drops from and changes in a's
    official records, by project id."""
    a = {int(r["project_id"]): r for r in a_rows}
    b = {int(r["project_id"]): r for r in b_rows}
    africa = {k: r for k, r in b.items() if r.get("recipient_region", "Africa") == "Africa"}
    added = [k for k, r in africa.items() if k not in a and first <= int(r["year"]) <= last]
    dropped = [k for k in a if k not in b]
    changed = []
    for k in a.keys() & b.keys():
        x, y = a[k], b[k]
        ux, uy = (_num(x[measure[0]]), _num(y[measure[1]]))
        if (int(x["year"]) != int(y["year"]) or _label(x) != _label(y) or x["flow_class"] != y["flow_class"]
                or x["status"] != y["status"] or (ux is None) != (uy is None)
                or (ux is not None and abs(ux - uy) > 0.5)):
            changed.append(k)
    return {"added": len(added), "dropped": len(dropped), "changed": len(changed)}


def test_what_each_version_adds_drops_and_changes(store, raw):
    pairs = [("1.0", "1.1", 2000, 2011, ("usd_defl", "usd_defl")),
             ("1.1", "1.2", 2000, 2012, ("usd_defl", "usd_defl")),
             ("1.2", "global-1.0", 2000, 2013, ("usd_current", "usd_current"))]
    held = defaultdict(dict)
    for a, b, change, n in store.con.execute("""SELECT dataset_a, dataset_b, change, count(*)
            FROM finance_version_diff GROUP BY ALL""").fetchall():
        held[(a, b)][change] = n
    for a, b, first, last, measure in pairs:
        expected = _diff(_official(raw, a), _official(raw, b), first, last, measure)
        assert {k: held[(a, b)].get(k, 0) for k in expected} == expected, (a, b)
    assert held[("1.0", "1.1")]["added"] == 107 and held[("1.0", "1.1")]["dropped"] == 29
    # one finding per pair says it, and the per-recipient-year totals are reconciled
    found = [m for (m,) in store.con.execute(
        "SELECT message FROM finding WHERE kind = 'finance_version_diff' ORDER BY message").fetchall()]
    assert len(found) == 3 and any(m.startswith("AidData 1.0 -> 1.1") and "107 added" in m for m in found)
    checks = {c for (c,) in store.con.execute(
        "SELECT check_name FROM reconciliation_summary WHERE check_name LIKE 'finance:%'").fetchall()}
    assert checks == {"finance:1.0_vs_1.1", "finance:1.1_vs_1.2", "finance:1.2_vs_global-1.0"}


# -- the CLI ----------------------------------------------------------------------------------

def test_cli_answers_the_literature_question(built_db):
    from bluehelmet.cli import cli

    out = CliRunner().invoke(cli, ["finance", "-c", "Africa", "--from", "2000", "--to", "2011", "--dataset", "1.0",
                                   "--db", str(built_db), "--format", "json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert round(body["rows"][0]["usd"] / 1e9, 1) == 75.4
    assert body["query"]["dataset"] == "1.0" and "pledges excluded" in body["query"]["definition"]
    table = CliRunner().invoke(cli, ["finance", "-c", "Africa", "--from", "2000", "--to", "2011", "--dataset",
                                     "1.0", "--countries-only", "--by", "year,recipient", "--top", "1",
                                     "--db", str(built_db)])
    assert table.exit_code == 0 and "Ghana" in table.output and "note: definition:" in table.output
    csv = CliRunner().invoke(cli, ["finance", "-c", "Africa", "--dataset", "1.0", "--by", "flow-class",
                                   "--db", str(built_db), "--format", "csv"])
    # every row names the years it sums (the dataset's, here AidData 1.0's 2000-2011)
    assert csv.output.splitlines()[0] == "years,flow_class,usd,projects,no_amount"
    assert all(line.startswith("2000..2011,") for line in csv.output.splitlines()[1:])


# -- SYNTHETIC bad input ----------------------------------------------------------------------

SYNTHETIC_NOTE = "SYNTHETIC test data generated by tests/test_finance.py: every record is invented."


def _header_1_2() -> list[str]:
    """The 1.2 layout's header: the fields bluehelmet reads, in an order of our own."""
    return ["project_id", "donor", "title", "year", "year_uncertain", "status", "flow", "flow_class", "intent",
            "crs_sector_code", "crs_sector_name", "recipient_condensed", "recipient_iso3", "recipient_count",
            "amount", "currency", "usd_defl", "usd_2011", "usd_current", "verified", "active",
            "is_official_finance"]


def _record(pid, year=2010, recipient="Ghana", iso="GHA", usd=1000000.0, status="Completion",
            flow_class="ODA-like"):
    return [pid, "China", f"synthetic project {pid}", year, False, status, "Loan", flow_class, "Development",
            210, "Transport and Storage", recipient, iso, 1, usd, "USD", usd, usd, usd, "Checked", "Active", 1]


def _with(record: list, column: str, value) -> list:
    """The record with one cell changed."""
    out = list(record)
    out[_header_1_2().index(column)] = value
    return out


def _workbook(path: Path, rows: list[list], sheets=("Cover Sheet", "Official Finance")) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        if name == "Cover Sheet":
            ws.append(["Data Parameters"])
            ws.append(["Note", SYNTHETIC_NOTE])
        else:
            ws.append(_header_1_2())
            for r in rows:
                ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


@pytest.fixture
def synthetic_build(tmp_path, monkeypatch):
    """Build a database from one SYNTHETIC 1.2 workbook; returns (build report, open store)."""
    monkeypatch.setenv("BLUEHELMET_CACHE", str(tmp_path / "cache"))
    opened = []

    def build(rows, sheets=("Cover Sheet", "Official Finance")):
        import bluehelmet
        from bluehelmet.builder import build as run

        root = tmp_path / f"src{len(opened)}"
        _workbook(root / AID / FILES["1.2"], rows, sheets)
        (root / "SYNTHETIC.md").write_text(SYNTHETIC_NOTE + "\n")
        db = tmp_path / f"db{len(opened)}.duckdb"
        report = run(root, db)
        store = bluehelmet.open(db)
        opened.append(store)
        return report, store

    yield build
    for s in opened:
        s.close()


def test_bad_cells_are_quarantined_with_sheet_row_and_column(synthetic_build):
    rows = [
        _record(1),                                           # row 2: good
        _with(_record(2), "usd_defl", "about a million"),    # row 3: a text amount (SYNTHETIC)
        _record(3, recipient="Narnia", iso=""),               # row 4: an unknown recipient
        _record(4, year="20x1"),                              # row 5: a year that is no number
        _record(1, year=2011),                                # row 6: project 1 again
        _record(5, recipient="Africa, regional", iso="GHA; TGO"),  # row 7: regional, kept
        _record(6, recipient="Unset", iso=""),                # row 8: no recipient named, kept
        _record(7, year=None),                                # row 9: no year
        _record(8, usd=2500000.0, status=PLEDGE),             # row 10: a pledge, kept
    ]
    report, store = synthetic_build(rows)
    [f] = [f for f in report.files if f.relpath.endswith(FILES["1.2"])]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (9, 4, 5)
    q = {line: (col, reason) for line, col, reason in store.con.execute(
        "SELECT line, \"column\", reason FROM quarantine ORDER BY line").fetchall()}
    assert q[3] == ("Official Finance: usd_defl", "usd_defl: not a number: 'about a million'")
    assert q[4][0] == "Official Finance: recipient_condensed" and "unknown recipient 'Narnia'" in q[4][1]
    assert q[5] == ("Official Finance: year", "year: not a number: '20x1'")
    assert q[6][0] == "Official Finance: project_id" and "duplicate project_id 1" in q[6][1]
    assert q[9] == ("Official Finance: year", "year: empty")
    assert set(q) == {3, 4, 5, 6, 9}
    kinds = dict(store.con.execute("SELECT kind, count FROM finding WHERE kind LIKE 'finance_%'").fetchall())
    assert kinds["finance_recipient_unset"] == 1
    loaded = dict(store.con.execute("SELECT line, recipient_kind FROM finance_flow").fetchall())
    assert loaded == {2: "country", 7: "regional", 8: "unset", 10: "country"}


def test_synthetic_sums_follow_the_definition(synthetic_build):
    rows = [_record(1, usd=1e6), _record(2, usd=2e6, status=PLEDGE), _record(3, usd=4e6, flow_class="Official Investment"),
            _record(4, usd=8e6, recipient="Africa, regional", iso="GHA; TGO"), _record(5, usd=None)]
    _, store = synthetic_build(rows)
    assert store.finance("Africa", dataset="1.2").scalar("usd") == 9_000_000  # 1 + 8 (regional)
    assert store.finance("Africa", dataset="1.2", countries_only=True).scalar("usd") == 1_000_000
    assert store.finance("Africa", dataset="1.2", pledges=True).scalar("usd") == 11_000_000
    ghana = store.finance("Ghana", dataset="1.2")
    assert ghana.scalar("usd") == 1_000_000 and ghana.rows[0]["projects"] == 2 and ghana.rows[0]["no_amount"] == 1
    assert any("USD 8,000,000" in n for n in ghana.notes)


def test_an_unknown_sheet_stops_the_build(synthetic_build):
    with pytest.raises(BluehelmetError, match="unknown layout"):
        synthetic_build([_record(1)], sheets=("Cover Sheet", "Official Finance", "Extra records"))
    with pytest.raises(BluehelmetError, match="unknown layout"):
        synthetic_build([_record(1)], sheets=("Cover Sheet", "Official Flows"))


def test_parsed_workbooks_are_cached_by_checksum(tmp_path, monkeypatch):
    """A second read takes the parsed rows from the cache (the parser is not called); a
    damaged cache file is read again from the workbook."""
    from bluehelmet.records import SourceFile, sha256_of
    from bluehelmet.sources import aiddata_read
    from bluehelmet.sources.aiddata import DATASETS

    monkeypatch.setenv("BLUEHELMET_CACHE", str(tmp_path / "cache"))
    path = tmp_path / FILES["1.2"]
    _workbook(path, [_record(1), _with(_record(2), "usd_defl", "n/a")])
    ds = [d for d in DATASETS if d.key == "1.2"][0]
    sf = SourceFile(1, path, path.name, sha256_of(path), path.stat().st_size, ds.layout, "", "")
    first = aiddata_read.parsed_workbook(sf, ds)
    [cached] = list(aiddata_read.cache_folder().glob("*.arrow"))
    assert not list(aiddata_read.cache_folder().glob(".*.tmp"))  # written whole, then renamed

    def no_parse(*a, **k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(aiddata_read, "parse_workbook", no_parse)
    second = aiddata_read.parsed_workbook(sf, ds)
    assert second.table.equals(first.table) and second.problems == first.problems
    assert second.rows_read == first.rows_read == 2
    monkeypatch.undo()
    monkeypatch.setenv("BLUEHELMET_CACHE", str(tmp_path / "cache"))
    cached.write_bytes(cached.read_bytes()[:100])
    third = aiddata_read.parsed_workbook(sf, ds)
    assert third.table.equals(first.table)
