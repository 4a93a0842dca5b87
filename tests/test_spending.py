"""Spending: peacekeeping expenditure per account, fiscal year and cost class.

The real-data tests check every figure against an independent reading of the raw JSON
files with the standard library (``json``), never bluehelmet's reader. The bad-input tests
use SYNTHETIC files written into ``tmp_path`` by :func:`_synthetic_file`: invented
amounts in the real files' layout, each marked ``"synthetic"`` in its ``meta``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import NoDataError, QueryError, SourceLayoutError, SourceReadError, UnknownNameError
from bluehelmet.query.spending import fiscal_year_label, parse_fiscal_year, parse_fiscal_years
from bluehelmet.records import SourceFile

UN_OPEN = "finance/un-open"
PERFORMANCE = "budget-pko-*.json"
AUDITED = "budget-audited-pko-*.json"
CLASSES = ("military_police_personnel", "civilian_personnel", "operational_costs")


# --------------------------------------------------------------------------- the raw files, read independently

def _raw(sources: Path, pattern: str) -> dict[str, dict[str, Any]]:
    """relpath -> the parsed file, with plain json."""
    return {f"{UN_OPEN}/{p.name}": json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((sources / UN_OPEN).glob(pattern))}


@pytest.fixture(scope="module")
def performance(sources: Path) -> dict[str, dict[str, Any]]:
    return _raw(sources, PERFORMANCE)


@pytest.fixture(scope="module")
def audited(sources: Path) -> dict[str, dict[str, Any]]:
    return _raw(sources, AUDITED)


def _totals(files: dict[str, dict[str, Any]]) -> dict[tuple[str, str], int]:
    """(account as written, fiscal year) -> the account record's amount."""
    out = {}
    for doc in files.values():
        for n in doc["nodes"]:
            if n["tier"] == "mission":
                out[(n["mission"], doc["meta"]["fiscalYear"])] = int(n["amount"])
    return out


def _expected_totals(performance, audited) -> dict[tuple[str, str], int]:
    """What answers each account-year: the audited figure where there is one (UNLB is UNGSC's
    former name), else the performance report's."""
    out = {(("UNGSC" if a == "UNLB" else a), fy): v for (a, fy), v in _totals(audited).items()}
    for key, v in _totals(performance).items():
        out.setdefault(key, v)
    return out


@pytest.fixture(scope="module")
def con(built_db: Path):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


# --------------------------------------------------------------------------- the build on the real files

def test_every_record_is_read_and_loaded(con, performance, audited):
    files = {p: (r, l, q) for p, r, l, q in con.execute(
        "SELECT relpath, rows_read, rows_loaded, rows_quarantined FROM source_file WHERE domain = 'spending'"
    ).fetchall()}
    raw = {**performance, **audited}
    assert set(files) == set(raw) and len(raw) == 8
    for path, doc in raw.items():
        read, loaded, quarantined = files[path]
        assert read == len(doc["nodes"]) == loaded + quarantined and quarantined == 0, path
        # each record landed once: accounts and classes, items, the file's 'whole' record
        (landed,) = con.execute("""SELECT (SELECT count(*) FROM mission_spending WHERE source_id = s.source_id)
            + (SELECT count(*) FROM mission_spending_item WHERE source_id = s.source_id)
            + (SELECT count(line) FROM spending_file WHERE source_id = s.source_id)
            FROM source_file s WHERE relpath = ?""", [path]).fetchone()
        assert landed == len(doc["nodes"]), path


def test_fiscal_years_are_read_as_printed(con, performance, audited):
    """The two families name the same fiscal year by different calendar years: the label decides."""
    stored = dict(con.execute("""SELECT relpath, fiscal_year FROM spending_file JOIN source_file USING (source_id)
                                 """).fetchall())
    for path, doc in {**performance, **audited}.items():
        label = doc["meta"]["fiscalYear"]
        assert stored[path] == label
        name_year, start = int(path[-9:-5]), int(label[:4])
        assert name_year == (start if path in performance else start + 1), path
        for n in doc["nodes"]:  # every printed column header names the same fiscal year
            header = (n.get("source") or {}).get("columnHeader")
            assert header is None or header == f"expenditure · {label}"
    assert stored[f"{UN_OPEN}/budget-pko-2022.json"] == stored[f"{UN_OPEN}/budget-audited-pko-2023.json"] == "2022/23"


def test_both_families_measure_expenditure_in_usd(performance, audited):
    for doc in {**performance, **audited}.values():
        assert doc["meta"]["measure"] == "expenditure" and doc["meta"]["currency"] == "USD"


def test_minusma_per_fiscal_year(store, performance, audited):
    expected = {fy: v for (a, fy), v in _expected_totals(performance, audited).items() if a == "MINUSMA"}
    res = store.spending(mission="MINUSMA", by=["year"])
    assert {r["year"]: r["expenditure_usd"] for r in res.rows} == expected
    assert expected == {"2018/19": 1_105_667_000, "2019/20": 1_136_908_900, "2020/21": 1_103_359_200,
                        "2021/22": 1_170_031_300, "2022/23": 1_192_292_200}
    assert [r["statement"] for r in res.rows] == ["audited"] * 5
    assert "MINUSMA: no figures for 2023/24..2024/25 in the files" in res.notes


def test_total_of_all_accounts_per_fiscal_year(store, performance, audited):
    expected: dict[str, int] = defaultdict(int)
    for (_, fy), v in _expected_totals(performance, audited).items():
        expected[fy] += v
    res = store.spending(by=["year"])
    assert {r["year"]: r["expenditure_usd"] for r in res.rows} == expected
    # each equals the total the answering file prints for itself
    printed = {d["meta"]["fiscalYear"]: int(d["meta"]["total"]) for d in {**performance, **audited}.values()}
    assert dict(expected) == printed
    assert expected["2022/23"] == 6_014_239_400 and expected["2024/25"] == 4_888_124_100


def test_cost_classes_per_fiscal_year(store, performance):
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for doc in performance.values():
        for n in doc["nodes"]:
            if n["tier"] == "class":
                expected[(doc["meta"]["fiscalYear"], n["costClass"])] += n["amount"]
    res = store.spending(by=["year", "class"])
    assert {(r["year"], r["class"]): r["expenditure_usd"] for r in res.rows} == expected
    assert {r["statement"] for r in res.rows} == {"performance"}
    # asking for the audited-only years by class says why there is nothing
    assert any("no cost-class breakdown for 2018/19..2021/22" in n for n in res.notes)
    military = store.spending(mission="MINUSMA", cost_class="military", by=["year"])
    assert military.rows == [{"year": "2022/23", "statement": "performance", "expenditure_usd": 500_194_300}]


def test_classes_and_items_add_up_to_the_printed_totals(con, performance):
    """Independently: each account's classes sum to its total, each class's items to it.
    The build's checks agree (no differing cell)."""
    for doc in performance.values():
        nodes = {n["id"]: n for n in doc["nodes"]}
        children: dict[str, int] = defaultdict(int)
        for n in doc["nodes"]:
            if n["parentId"]:
                children[n["parentId"]] += n["amount"]
        for nid, total in children.items():
            assert nodes[nid]["amount"] == total, nid
    summary = dict(con.execute("""SELECT check_name, differing FROM reconciliation_summary
                                  WHERE check_name LIKE 'spending:%'""").fetchall())
    assert summary == {"spending:performance_vs_audited": 0, "spending:classes_vs_total": 0,
                       "spending:items_vs_class": 0, "spending:accounts_vs_file_total": 0}


def test_the_two_statements_agree_where_they_overlap(con, performance, audited):
    perf = {a: v for (a, fy), v in _totals(performance).items() if fy == "2022/23"}
    aud = {("UNGSC" if a == "UNLB" else a): v for (a, fy), v in _totals(audited).items() if fy == "2022/23"}
    assert perf == aud and len(perf) == 13
    row = con.execute("""SELECT months, cells, differing FROM reconciliation_summary
                         WHERE check_name = 'spending:performance_vs_audited'""").fetchone()
    assert row == (1, 13, 0)
    (msg,) = con.execute("SELECT message FROM finding WHERE kind = 'spending_statements_compared'").fetchone()
    assert "2022/23" in msg and "13 of 13" in msg


def test_accounts_resolve_to_missions_or_say_what_they_are(con, audited):
    rows = con.execute("SELECT DISTINCT account, account_as_written, mission, account_kind FROM mission_spending"
                       ).fetchall()
    missions = {a for (a,) in con.execute("SELECT acronym FROM mission").fetchall()}
    for account, written, mission, kind in rows:
        if account in missions:
            assert (mission, kind) == (account, "mission")
        else:
            assert mission is None and kind in ("support", "other"), account
    assert {a for a, _, m, _ in rows if m is None} == {"RSCE", "UNGSC", "OTHER"}
    assert ("UNGSC", "UNLB") in {(a, w) for a, w, _, _ in rows}
    kinds = dict(con.execute("SELECT kind, count(*) FROM finding WHERE kind LIKE 'spending_account%' GROUP BY kind"
                             ).fetchall())
    assert kinds == {"spending_account_not_mission": 3, "spending_account_renamed": len(audited)}


def test_a_single_statement_gives_its_documents(store, performance):
    doc = performance[f"{UN_OPEN}/budget-pko-2022.json"]
    expected = {n["mission"]: (n["amount"], n["source"]["symbol"]) for n in doc["nodes"] if n["tier"] == "mission"}
    res = store.spending(year="2022-23", statement="performance")
    assert {r["mission"]: (r["expenditure_usd"], r["document"]) for r in res.rows} == expected
    assert expected["MINUSMA"] == (1_192_292_200, "A/78/761")


def test_the_answer_states_its_definition_and_sources(store):
    res = store.spending(mission="MINUSMA", year="2019/20..2022/23", by=["year"])
    definition = res.notes[0]
    for words in ("expenditure", "not the approved budget", "US dollars", "nominal", "1 July - 30 June"):
        assert words in definition
    assert res.query["definition"]["fiscal_year"].startswith("1 July to 30 June")
    assert (res.query["from"], res.query["to"]) == ("2019/20", "2022/23")
    assert [s.path for s in res.sources] == [f"{UN_OPEN}/budget-audited-pko-{y}.json" for y in (2020, 2021, 2022, 2023)]
    assert [(s.first_month, s.last_month) for s in res.sources][0] == ("2019-07", "2020-06")
    json.dumps(res.as_dict())


def test_query_refuses_what_it_cannot_answer(store):
    with pytest.raises(UnknownNameError, match="MINUSMA"):
        store.spending(mission="MINUSMAA")
    with pytest.raises(NoDataError, match="MINUSMA for 2018/19..2022/23"):
        store.spending(mission="MINUSMA", year="2024/25")
    with pytest.raises(NoDataError, match="files cover 2018/19..2024/25"):
        store.spending(year="2010/11")
    with pytest.raises(QueryError, match="audited statements give account totals only"):
        store.spending(by=["class"], statement="audited")
    with pytest.raises(QueryError, match="unknown cost class"):
        store.spending(cost_class="salaries")


def test_cli_answers_minusma_per_fiscal_year(built_db, performance, audited):
    r = CliRunner().invoke(cli, ["spending", "-m", "MINUSMA", "--by", "year", "--format", "csv", "--db",
                                 str(built_db)])
    assert r.exit_code == 0, r.output
    lines = r.output.strip().splitlines()
    assert lines[0] == "year,statement,expenditure_usd"
    expected = {fy: v for (a, fy), v in _expected_totals(performance, audited).items() if a == "MINUSMA"}
    assert {line.split(",")[0]: int(line.split(",")[2]) for line in lines[1:]} == expected
    table = CliRunner().invoke(cli, ["spending", "-m", "MINUSMA", "--db", str(built_db)])
    assert "1,192,292,200" in table.output and "note: expenditure (what was spent" in table.output
    assert "source: finance/un-open/budget-audited-pko-2023.json" in table.output


def test_cli_errors_are_one_line(built_db):
    for args in (["--year", "2023"], ["--year", "FY2023"], ["--year", "2022/24"], ["-m", "Atlantis"],
                 ["--class", "x"], ["--by", "country"]):
        p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "spending", *args, "--db", str(built_db)],
                           capture_output=True, text=True)
        assert p.returncode == 1, args
        assert p.stderr.count("\n") == 1 and p.stderr.startswith("error: ") and "Traceback" not in p.stderr


# --------------------------------------------------------------------------- fiscal years (no data)

@pytest.mark.parametrize("text", ["2022/23", "2022-23", "2022/2023", "2022-2023", " 2022 / 23 "])
def test_fiscal_year_spellings(text):
    assert parse_fiscal_year(text) == 2022
    assert fiscal_year_label(2022) == "2022/23" and fiscal_year_label(1999) == "1999/00"


@pytest.mark.parametrize("text,why", [("2023", "ambiguous"), ("FY2023", "ambiguous"), ("FY23", "ambiguous"),
                                      ("2022/24", "must follow"), ("2022/2024", "must follow"),
                                      ("22/23", "not a fiscal year"), ("July 2022", "not a fiscal year"),
                                      ("", "not a fiscal year")])
def test_fiscal_year_refusals(text, why):
    with pytest.raises(QueryError, match=why):
        parse_fiscal_year(text)


def test_a_calendar_year_as_a_number_is_refused_too():
    with pytest.raises(QueryError, match="ambiguous"):
        parse_fiscal_years(2023)  # type: ignore[arg-type]


def test_fiscal_year_ranges():
    assert parse_fiscal_years("2019/20..2022/23") == (2019, 2022)
    assert parse_fiscal_years("2019-20..2019-20") == (2019, 2019)
    with pytest.raises(QueryError, match="after"):
        parse_fiscal_years("2022/23..2019/20")


# --------------------------------------------------------------------------- SYNTHETIC bad input

SYNTHETIC = "SYNTHETIC test data generated by tests/test_spending.py: every amount is invented"


def _synthetic_file(fy_start: int, accounts: dict[str, dict[str, list[int]]]) -> dict[str, Any]:
    """A SYNTHETIC performance-report file in the real layout: per account, per cost class,
    the amounts of its items; classes, accounts and the file total are their sums."""
    label = fiscal_year_label(fy_start)
    header = f"expenditure · {label}"
    nodes: list[dict[str, Any]] = [{"id": "all-missions", "parentId": None, "tier": "whole", "kind": "whole",
                                    "code": None, "label": "Peacekeeping missions", "amount": 0,
                                    "basis": "derived_sum_of_included_missions"}]
    for code, classes in accounts.items():
        src = {"symbol": f"A/SYN/{code}", "rowLabel": "Gross requirements", "columnHeader": header}
        total = sum(sum(v) for v in classes.values())
        nodes.append({"id": code, "parentId": "all-missions", "tier": "mission", "kind": "mission", "code": code,
                      "label": f"Synthetic mission {code}", "amount": total, "basis": "directly_printed",
                      "mission": code, "costClass": "total", "source": src})
        for cls, items in classes.items():
            nodes.append({"id": f"{code}~{cls}", "parentId": code, "tier": "class", "kind": "class", "code": cls,
                          "label": cls, "amount": sum(items), "basis": "directly_printed", "mission": code,
                          "costClass": cls, "source": {**src, "rowLabel": "Subtotal"}})
            for i, amount in enumerate(items):
                nodes.append({"id": f"{code}~{cls}~item-{i}", "parentId": f"{code}~{cls}", "tier": "item",
                              "kind": "item", "code": None, "label": f"Item {i}", "amount": amount,
                              "basis": "directly_printed", "mission": code, "costClass": cls,
                              "source": {**src, "rowLabel": f"Item {i}"}})
    nodes[0]["amount"] = sum(n["amount"] for n in nodes if n["tier"] == "mission")
    meta = {"synthetic": SYNTHETIC, "stream": "pko", "title": "Peacekeeping operations",
            "label": f"Peacekeeping expenditure {label} (USD)", "cycle": fy_start + 2, "measure": "expenditure",
            "year": fy_start, "fiscalYear": label, "currency": "USD", "total": nodes[0]["amount"],
            "costClasses": {c: c for c in CLASSES}, "missionNames": {}, "partial": False,
            "source": {"repo": "synthetic", "release": "synthetic-1", "url": "https://example.invalid"}}
    return {"meta": meta, "nodes": nodes}


GOOD = {"UNIFIL": {"military_police_personnel": [300, 200], "civilian_personnel": [100],
                    "operational_costs": [50, 25]},
        "UNMISS": {"civilian_personnel": [70], "operational_costs": [30]}}


def _write(folder: Path, name: str, doc: Any) -> Path:
    path = folder / UN_OPEN / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _read(root: Path, *paths: Path):
    """The performance reader over SYNTHETIC files, as the build calls it."""
    from bluehelmet.sources.spending_readers import read_performance

    files = [SourceFile(i + 1, p, p.relative_to(root).as_posix(), "0" * 64, p.stat().st_size,
                        "un_open_pko_performance", "synthetic", "synthetic") for i, p in enumerate(paths)]
    return read_performance(files, None), files  # the reader needs no context


def test_synthetic_clean_file_loads_every_record(tmp_path):
    doc = _synthetic_file(2030, GOOD)
    result, files = _read(tmp_path, _write(tmp_path, "budget-pko-2030.json", doc))
    assert result.problems == []
    assert files[0].rows_read == len(doc["nodes"]) == 15
    assert result.table.num_rows + result.extra["mission_spending_item"].num_rows + 1 == 15
    assert result.extra["spending_file"].column("fiscal_year").to_pylist() == ["2030/31"]


@pytest.mark.parametrize("amount,reason", [
    (-5, "negative expenditure -5"),
    ("300", "amount '300' is not a JSON number"),
    ("1,000", "is not a JSON number"),
    (True, "amount True is not a JSON number"),
    (None, "no amount"),
    (12.345, "finer than a cent"),
])
def test_synthetic_bad_amount_is_quarantined(tmp_path, amount, reason):
    doc = _synthetic_file(2030, GOOD)
    line = next(i for i, n in enumerate(doc["nodes"], start=1) if n["id"] == "UNIFIL~civilian_personnel")
    doc["nodes"][line - 1]["amount"] = amount
    result, files = _read(tmp_path, _write(tmp_path, "budget-pko-2030.json", doc))
    assert [(p.line, p.column) for p in result.problems] == [(line, "amount")]
    assert reason in result.problems[0].reason
    assert '"UNIFIL~civilian_personnel"' in result.problems[0].raw  # the record itself, as JSON
    loaded = result.table.num_rows + result.extra["mission_spending_item"].num_rows + 1
    assert files[0].rows_read == loaded + len(result.problems)


def test_synthetic_bad_records_are_quarantined_with_reasons(tmp_path):
    doc = _synthetic_file(2030, GOOD)
    nodes = doc["nodes"]
    nodes.append({"tier": "branch", "amount": 1, "mission": "UNMISS"})
    nodes.append({"tier": "class", "amount": 1, "mission": "UNMISS", "costClass": "salaries"})
    nodes.append({"tier": "mission", "amount": 1, "mission": ""})
    nodes.append({**nodes[1]})  # UNIFIL again, same amount
    nodes.append({**nodes[1], "amount": 1})  # and again with another amount
    nodes.append({**nodes[2], "mission": "UNMISS", "costClass": "military_police_personnel",
                  "source": {"columnHeader": "expenditure · 2029/30"}})
    nodes.append({**nodes[2], "mission": "UNMISS", "costClass": "military_police_personnel",
                  "source": {"columnHeader": "apportionment · 2030/31"}})
    nodes.append(["not", "a", "record"])
    result, files = _read(tmp_path, _write(tmp_path, "budget-pko-2030.json", doc))
    reasons = [(p.line, p.column, p.reason) for p in result.problems]
    assert reasons == [
        (16, "tier", "unknown tier 'branch' (expected whole, mission, class, item)"),
        (17, "costClass", "unknown cost class 'salaries' (expected military_police_personnel, civilian_personnel, "
                          "operational_costs)"),
        (18, "mission", "no account code (mission '')"),
        (19, "mission", "duplicate of record 2: UNIFIL / total"),
        (20, "mission", "conflicting duplicate (amount 675 there) of record 2: UNIFIL / total"),
        (21, "source.columnHeader", "column header 'expenditure · 2029/30' is another fiscal year than the file's "
                                    "2030/31"),
        (22, "source.columnHeader", "column header 'apportionment · 2030/31' is another measure than the file's "
                                    "expenditure"),
        (23, "nodes", "record is a JSON list, not an object"),
    ]
    assert files[0].rows_read == 23 == 15 + len(reasons)


@pytest.mark.parametrize("key,value,column", [("currency", "EUR", "meta.currency"),
                                              ("measure", "apportionment", "meta.measure"),
                                              ("fiscalYear", "2030/32", "meta.fiscalYear"),
                                              ("fiscalYear", "2030", "meta.fiscalYear")])
def test_synthetic_file_that_is_not_expenditure_of_a_fiscal_year_is_quarantined_whole(tmp_path, key, value, column):
    doc = _synthetic_file(2030, GOOD)
    doc["meta"][key] = value
    result, files = _read(tmp_path, _write(tmp_path, "budget-pko-2030.json", doc))
    assert len(result.problems) == files[0].rows_read == 15
    assert {p.column for p in result.problems} == {column}
    assert result.table.num_rows == 0 and result.extra["spending_file"].num_rows == 0


@pytest.mark.parametrize("text,error,message", [
    ('{"meta": {"measure": "expenditure"}, "nodes": [{"tier": "whole", "amo', SourceReadError, "not valid JSON"),
    ("", SourceReadError, "not valid JSON"),
    ('[{"tier": "whole"}]', SourceLayoutError, "an object with 'meta' and a list 'nodes'"),
    ('{"meta": {}, "nodes": {}}', SourceLayoutError, "found a JSON dict with keys meta, nodes"),
])
def test_synthetic_unreadable_file_stops_with_its_name(tmp_path, text, error, message):
    path = _write(tmp_path, "budget-pko-2030.json", text)
    with pytest.raises(error, match=message) as caught:
        _read(tmp_path, path)
    assert str(caught.value).startswith(f"{UN_OPEN}/budget-pko-2030.json: ")


@pytest.fixture
def synthetic_build(tmp_path: Path):
    """A SYNTHETIC sources folder (tests/synthetic.py's IPI files) plus SYNTHETIC spending
    files; returns a function that builds it and opens the database."""
    from bluehelmet.builder import build

    from .synthetic import make_sources

    src = make_sources(tmp_path / "sources")
    opened = []

    def run(docs: dict[str, Any]):
        for name, doc in docs.items():
            _write(src.root, name, doc)
        db = tmp_path / "spend.duckdb"
        build(src.root, db)
        c = duckdb.connect(str(db), read_only=True)
        opened.append(c)
        return db, c

    yield run
    for c in opened:
        c.close()


def test_synthetic_unknown_mission_is_loaded_and_reported(synthetic_build):
    import bluehelmet

    doc = _synthetic_file(2030, {**GOOD, "ZZTOP": {"operational_costs": [9]}})
    doc["nodes"][1]["amount"] = -1  # and one bad cell: UNIFIL's total
    db, c = synthetic_build({"budget-pko-2030.json": doc})
    (read, loaded, quarantined), = c.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined FROM source_file WHERE layout = 'un_open_pko_performance'"
    ).fetchall()
    assert (read, loaded, quarantined) == (len(doc["nodes"]), len(doc["nodes"]) - 1, 1)
    (reason,) = c.execute("SELECT reason FROM quarantine WHERE line = 2 AND \"column\" = 'amount'").fetchone()
    assert reason == "negative expenditure -1"
    (message,) = c.execute("SELECT message FROM finding WHERE kind = 'spending_account_unknown'").fetchone()
    assert "'ZZTOP'" in message and "no mission in the reference" in message
    assert c.execute("SELECT DISTINCT mission, account_kind FROM mission_spending WHERE account = 'ZZTOP'"
                     ).fetchall() == [(None, "unknown")]
    # UNIFIL's classes add up to a total that was quarantined: the check says so
    (differing,) = c.execute("""SELECT differing FROM reconciliation_summary
                                WHERE check_name = 'spending:classes_vs_total'""").fetchone()
    assert differing == 1
    with bluehelmet.open(db) as store:
        rows = store.spending(by=["mission"]).rows
    assert {r["mission"]: (r["kind"], r["expenditure_usd"]) for r in rows} == {
        "UNMISS": ("mission", 100), "ZZTOP": ("unknown", 9)}


def test_synthetic_statements_that_disagree_are_reconciled(synthetic_build):
    perf = _synthetic_file(2030, GOOD)
    audited = {"meta": {"synthetic": SYNTHETIC, "stream": "pko", "measure": "expenditure", "year": 2031,
                        "fiscalYear": "2030/31", "currency": "USD", "total": 775.0, "sourceKind": "audited",
                        "source": {"release": "synthetic audited"}},
               "nodes": [{"id": "audited-missions", "parentId": None, "tier": "whole", "amount": 775.0},
                         {"id": "UNIFIL", "parentId": "audited-missions", "tier": "mission", "mission": "UNIFIL",
                          "amount": 680.0},  # the performance report says 675
                         {"id": "UNLB", "parentId": "audited-missions", "tier": "mission", "mission": "UNLB",
                          "amount": 95.0}]}
    db, c = synthetic_build({"budget-pko-2030.json": perf, "budget-audited-pko-2031.json": audited})
    diffs = c.execute("""SELECT mission, value_a, value_b FROM reconciliation
                         WHERE check_name = 'spending:performance_vs_audited' ORDER BY mission""").fetchall()
    assert diffs == [("UNGSC", None, 95), ("UNIFIL", 675, 680), ("UNMISS", 100, None)]
    import bluehelmet

    with bluehelmet.open(db) as store:
        res = store.spending(mission="UNIFIL")
        assert [(r["statement"], r["expenditure_usd"]) for r in res.rows] == [("audited", 680)]
        assert "they differ for 1 of 1: UNIFIL 2030/31: audited 680, performance report 675" in " ".join(res.notes)
        assert store.spending(mission="UNIFIL", statement="performance").rows[0]["expenditure_usd"] == 675
