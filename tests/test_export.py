"""Open data: `bluehelmet export` as Parquet, CSV and SQLite, the Frictionless descriptor
(validated by the frictionless library), Datasette over the SQLite export, and the figures
DuckDB, pandas and polars read from the Parquet files against the database's own answers."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.cli import cli
from bluehelmet.errors import ExportError
from bluehelmet.export import DATASETTE_METADATA, DESCRIPTOR, SQLITE_FILE, export
from bluehelmet.export.catalog import INTERNAL, TABLES, frictionless_type


def _tables(db: Path) -> dict[str, int]:
    """Every table of the database and its row count, read straight from DuckDB."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [n for (n,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


@pytest.fixture(scope="module")
def exports(built_db, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("export")
    out = {}
    for fmt in ("parquet", "csv", "sqlite"):
        out[fmt] = root / fmt
        export(built_db, out[fmt], fmt)
    return out


def test_every_table_is_exported_with_its_row_count(built_db, exports):
    expected = {n: rows for n, rows in _tables(built_db).items() if n not in INTERNAL}
    con = duckdb.connect()
    got = {p.stem: con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()[0]
           for p in exports["parquet"].glob("*.parquet")}
    assert got == expected
    package = json.loads((exports["parquet"] / DESCRIPTOR).read_text())
    assert {r["name"]: r["bluehelmet"]["rows"] for r in package["resources"]} == expected
    assert not set(INTERNAL) & set(got)


def test_every_table_is_described(built_db):
    """A table the build adds needs a title and description in export/catalog.py (or a
    place in INTERNAL): this names the ones that lag."""
    lagging = sorted(set(_tables(built_db)) - set(TABLES) - set(INTERNAL))
    assert not lagging, f"describe these in bluehelmet/export/catalog.py: {lagging}"


def test_parquet_figures_match_the_database_in_duckdb_pandas_and_polars(store, exports):
    import pandas as pd
    import polars as pl

    folder = exports["parquet"]
    # pandas: China's personnel in 2013-12 (detail grain) against the query layer's answer
    detail = pd.read_parquet(folder / "personnel.parquet")
    china = detail[(detail.contributor == "CHN") & (detail.month == pd.Timestamp("2013-12-01").date())]
    assert int(china.total.sum()) == store.personnel(country=["China"], month="2013-12").scalar() == 2078
    # polars: the world's total at the latest month, summed from the detail rows
    first_day = store.latest_month()
    latest = f"{first_day:%Y-%m}"
    world = pl.read_parquet(folder / "personnel.parquet").filter(pl.col("month") == first_day)["total"].sum()
    assert world == store.personnel(month=latest).scalar()
    # duckdb: the first contributor of the ranking at that month, from the contributor totals
    con = duckdb.connect()
    top = con.execute(f"""
        SELECT contributor, sum(total) AS personnel FROM read_parquet('{folder / "personnel.parquet"}')
        WHERE month = ? GROUP BY contributor ORDER BY personnel DESC LIMIT 1""", [first_day]).fetchone()
    first = store.rank(month=latest, top=1).rows[0]
    assert top == (first["contributor"], first["personnel"])
    # the published README's figure for 2025-07, an independent check of the same number
    if latest == "2025-07":
        assert top == ("NPL", 6039)


def test_parquet_schema_matches_the_descriptor(exports):
    import pyarrow.parquet as pq
    from frictionless import Package

    folder = exports["parquet"]
    package = json.loads((folder / DESCRIPTOR).read_text())
    # the descriptor itself is a valid Data Package (frictionless reads Parquet through
    # pandas, which turns a nullable integer column into floats: the data are checked in
    # their CSV form below, and the Parquet columns here against the declared fields)
    assert not list(Package.metadata_validate(package)), list(Package.metadata_validate(package))[:3]
    for res in package["resources"]:
        schema = pq.read_schema(folder / res["path"])
        assert [f["name"] for f in res["schema"]["fields"]] == schema.names
        for f in res["schema"]["fields"]:
            arrow = str(schema.field(f["name"]).type)
            assert (f["type"], re.split(r"[<(\[]", arrow)[0]) in _COMPATIBLE, (res["name"], f["name"], arrow)


_COMPATIBLE = {("string", "string"), ("integer", "int32"), ("integer", "int64"), ("integer", "int16"),
               ("number", "double"), ("number", "decimal128"), ("date", "date32"), ("boolean", "bool"),
               ("array", "list"), ("datetime", "timestamp")}


def test_csv_export_validates_with_frictionless(exports):
    """The whole package: schemas, types of every cell, primary keys unique, every
    source_id a file of source_file (foreign keys). About two minutes on two cores."""
    from frictionless import validate

    report = validate(str(exports["csv"] / DESCRIPTOR))
    errors = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors][:5]
    assert report.valid, errors
    assert report.stats["tasks"] == len(json.loads((exports["csv"] / DESCRIPTOR).read_text())["resources"])


def test_synthetic_export_validates_with_frictionless(synthetic_db, tmp_path):
    from frictionless import validate

    export(synthetic_db, tmp_path / "out", "csv")
    report = validate(str(tmp_path / "out" / DESCRIPTOR))
    assert report.valid, [(t.name, e.type, e.note) for t in report.tasks for e in t.errors][:5]


def test_descriptor_cites_the_sources_of_each_table(exports):
    package = json.loads((exports["csv"] / DESCRIPTOR).read_text())
    res = {r["name"]: r for r in package["resources"]}
    personnel_sources = {s["publisher"] for s in res["personnel"]["sources"]}
    assert {"International Peace Institute (IPI)", "United Nations Department of Peace Operations (DPO)"} \
        <= personnel_sources
    assert res["personnel"]["schema"]["primaryKey"] == ["month", "contributor", "mission", "type"]
    assert res["personnel"]["schema"]["foreignKeys"][0]["reference"] == {"resource": "source_file",
                                                                         "fields": ["source_id"]}
    assert {s["title"] for s in res["fatality"]["sources"]} == {
        "Mission Fatalities - Fatalities in PKOs and SPMs since 1948 (DPPADPOSS-FATALITIES)"}
    assert res["country"]["sources"][0]["title"].startswith("bluehelmet reference data")
    month = next(f for f in res["personnel"]["schema"]["fields"] if f["name"] == "month")
    assert month["type"] == "date" and "first day" in month["description"]
    assert any(lic.get("name") == "CC-BY-4.0" for lic in package["licenses"])
    cites = package["bluehelmet"]["citations"]
    assert all(c["bibtex"].startswith("@misc{") and c["text"] for c in cites)
    # every dataset a table cites is among the package's sources
    titles = {s["title"] for s in package["sources"]}
    assert all(s["title"] in titles for r in package["resources"] for s in r["sources"])


def test_sqlite_export_serves_in_datasette_with_its_metadata(built_db, exports):
    from datasette.app import Datasette

    folder = exports["sqlite"]
    metadata = json.loads((folder / DATASETTE_METADATA).read_text())
    tables = metadata["databases"]["bluehelmet"]["tables"]
    assert tables["personnel"]["facets"] == ["contributor", "mission", "type", "month"]
    assert tables["personnel"]["source_url"].startswith("https://")
    ds = Datasette([str(folder / SQLITE_FILE)], metadata=metadata)
    expected = _tables(built_db)["personnel"]

    async def ask() -> tuple:
        page = await ds.client.get("/bluehelmet/personnel")
        data = await ds.client.get("/bluehelmet/personnel.json?contributor=CHN&month=2013-12-01&_shape=objects")
        count = await ds.client.get("/bluehelmet/personnel.json?_size=0")
        return page, data, count

    page, data, count = asyncio.run(ask())
    assert page.status_code == 200
    assert "Personnel by contributor, mission and type" in page.text and "International Peace Institute" in page.text
    body = data.json()
    assert sum(r["total"] for r in body["rows"]) == 2078
    assert set(body["facet_results"]) == {"contributor", "mission", "type", "month"}
    assert count.json()["filtered_table_rows_count"] == expected


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_bad_directory_is_one_line(synthetic_db, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for target, says in ((a_file, "is a file, not a folder"), (a_file / "sub", "cannot write there")):
        r = run("export", str(target), "--db", str(synthetic_db))
        assert r.exit_code != 0 and says in str(r.exception or r.output)
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        export(synthetic_db, full, "csv")
    with pytest.raises(ExportError, match="replaces only a previous export"):
        export(synthetic_db, full, "csv", overwrite=True)
    assert (full / "notes.txt").read_text() == "mine"


def test_cli_error_is_one_line_and_a_nonzero_exit(synthetic_db, tmp_path):
    import subprocess
    import sys

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    r = subprocess.run([sys.executable, "-m", "bluehelmet", "export", str(a_file), "--db", str(synthetic_db)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and r.stderr.startswith("error: ")


def test_a_failed_export_leaves_no_folder(synthetic_db, tmp_path, monkeypatch):
    import bluehelmet.export as ex

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ex, "datapackage", broken)
    with pytest.raises(RuntimeError):
        export(synthetic_db, tmp_path / "out", "parquet")
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a hidden partial one


def test_overwrite_replaces_a_previous_export(synthetic_db, tmp_path):
    out = tmp_path / "out"
    export(synthetic_db, out, "csv")
    first = {p.name for p in out.iterdir()}
    report = export(synthetic_db, out, "parquet", overwrite=True)
    names = {p.name for p in out.iterdir()}
    assert not any(n.endswith(".csv") for n in names) and DESCRIPTOR in names and DESCRIPTOR in first
    assert {t["path"] for t in report.tables} | {DESCRIPTOR} == names
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_cli_export_prints_the_tables(synthetic_db, tmp_path):
    r = run("export", str(tmp_path / "lite"), "--format", "sqlite", "--db", str(synthetic_db))
    assert r.exit_code == 0, r.output
    assert "personnel" in r.output and "datasette" in r.output
    assert {p.name for p in (tmp_path / "lite").iterdir()} == {SQLITE_FILE, DESCRIPTOR, DATASETTE_METADATA}


@pytest.mark.parametrize("kind,expected", [("VARCHAR", "string"), ("BIGINT", "integer"), ("DECIMAL(18,2)", "number"),
                                           ("DATE", "date"), ("VARCHAR[]", "array"), ("BOOLEAN", "boolean"),
                                           ('STRUCT(a VARCHAR)[]', "array"), ("DOUBLE", "number")])
def test_types(kind, expected):
    assert frictionless_type(kind) == expected
