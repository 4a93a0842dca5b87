"""The CLI through click's runner: formats, JSON shape, one-line errors and exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

from click.testing import CliRunner

from bluehelmet.cli import cli


def run(built_db, *args):
    return CliRunner().invoke(cli, [*args, "--db", str(built_db)])


def test_personnel_json_shape(built_db):
    r = run(built_db, "personnel", "--country", "P5", "--month", "2013-12", "--by", "contributor", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data) >= {"rows", "sources"}
    assert all(isinstance(row["personnel"], int) and "contributor" in row for row in data["rows"])
    assert data["sources"][0]["path"].endswith("Gender.Full.csv")


def test_rank_csv_and_table(built_db):
    r = run(built_db, "rank", "--month", "2013-12", "--top", "3", "--format", "csv")
    lines = r.output.strip().splitlines()
    assert lines[0] == "month,rank,contributor,contributor_name,personnel" and len(lines) == 4
    assert all(line.startswith("2013-12,") for line in lines[1:])
    t = run(built_db, "rank", "--month", "2013-12", "--top", "3")
    assert "Pakistan" in t.output and "source: ipi/tcc-datascraper/Gender.Full.csv" in t.output


def test_sources_lists_checksums(built_db):
    r = run(built_db, "sources", "--format", "json")
    rows = json.loads(r.output)["rows"]
    assert any(row["path"] == "ipi/ppp-loader/full_gender_data.csv" and row["rows_quarantined"] > 0 for row in rows)
    assert all(len(row["sha256"]) == 64 for row in rows)
    rec = run(built_db, "sources", "--reconciliation", "--format", "csv")
    assert rec.output.startswith("check,a,b,months")


def test_errors_are_one_line_with_nonzero_exit(any_db, tmp_path):
    for args in (["personnel", "--country", "Atlantis"], ["personnel", "--month", "2013-13"],
                 ["rank", "--month", "1970-01"]):
        p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", *args, "--db", str(any_db)],
                           capture_output=True, text=True)
        assert p.returncode != 0
        assert p.stderr.count("\n") == 1 and p.stderr.startswith("error: "), p.stderr
        assert "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "bluehelmet.cli", "personnel", "--db", str(tmp_path / "none.duckdb")],
                       capture_output=True, text=True)
    assert p.returncode != 0 and p.stderr.startswith("error: ") and "bluehelmet build" in p.stderr


def test_build_noop_is_reported(built_db, sources):
    r = CliRunner().invoke(cli, ["build", "--sources", str(sources), "--db", str(built_db), "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["noop"] is True
    assert data["rows_read"] == data["rows_loaded"] + data["rows_empty"] + data["rows_quarantined"]


def test_table_years_have_no_thousands_separator(built_db):
    r = run(built_db, "personnel", "--country", "Ghana", "--from", "2004-01", "--to", "2005-12", "--by", "year")
    assert r.exit_code == 0, r.output
    assert " 2004 " in r.output and "2,004" not in r.output


def test_table_years_have_no_thousands_separator_on_synthetic_data(synthetic_db):
    r = run(synthetic_db, "personnel", "--country", "Ghana", "--from", "2020-01", "--to", "2020-02", "--by", "year")
    assert r.exit_code == 0, r.output
    assert " 2020 " in r.output and "2,020" not in r.output


def test_public_build_function_survives_its_own_import(tmp_path, sources):
    # bluehelmet.build is a function; importing the module that implements it must not
    # replace it with a module object (it did while the module was named build.py)
    import bluehelmet

    bluehelmet.build(sources, tmp_path / "a.duckdb")
    assert callable(bluehelmet.build)
    assert bluehelmet.build(sources, tmp_path / "a.duckdb").noop


def test_noop_build_imports_no_adapter(built_db, sources):
    # the no-op path decides from checksums alone; adapters (and pyarrow) stay unloaded
    code = ("import sys; from bluehelmet.builder import build; from pathlib import Path; "
            f"r = build(Path({str(sources)!r}), Path({str(built_db)!r})); "
            "print(r.noop, 'pyarrow' in sys.modules, 'bluehelmet.sources.base' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.stdout.split() == ["True", "False", "False"], p.stderr


def test_sites_and_fatalities_verbs(built_db):
    r = run(built_db, "sites", "--mission", "MINUSMA", "--month", "2015-06", "--format", "csv")
    assert r.exit_code == 0, r.output
    header, *rows = list(csv.reader(r.output.strip().splitlines()))
    assert header[0] == "month" and all(row[0] == "2015-06" for row in rows)
    assert any(row[header.index("location")] == "Gao" for row in rows)
    t = run(built_db, "sites", "--mission", "MINUSMA", "--month", "2015-06")
    assert "Ménaka" in t.output or "Gao" in t.output
    f = run(built_db, "fatalities", "--mission", "MINUSMA", "--by", "year", "--format", "json")
    data = json.loads(f.output)
    assert data["rows"] and all(isinstance(x["fatalities"], int) for x in data["rows"])
    assert data["sources"][0]["path"] == "un/DPPADPOSS-FATALITIES.csv"


def test_missions_verb(built_db):
    r = run(built_db, "missions", "--month", "2013-12", "--format", "csv")
    assert r.exit_code == 0, r.output
    header, first, *rest = list(csv.reader(r.output.strip().splitlines()))
    assert header[:4] == ["month", "mission", "name", "personnel"] and first[:2] == ["2013-12", "MONUSCO"]
    assert len(rest) == 16
    j = json.loads(run(built_db, "missions", "--month", "2013-12", "--type", "police", "--format", "json").output)
    assert j["query"]["type"] == "police" and all(x["personnel"] > 0 for x in j["rows"])
    assert run(built_db, "missions", "--month", "1985-01").exit_code != 0


def test_a_database_of_another_schema_is_refused_in_one_line(synthetic_db, tmp_path):
    """A database built by an older bluehelmet lacks tables this one reads: it is refused
    with a 'rebuild', never a traceback about a missing table."""
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copyfile(synthetic_db, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE build_info SET value = '3' WHERE key = 'schema_version'")
    con.close()
    p = subprocess.run([sys.executable, "-m", "bluehelmet", "rank", "--db", str(old)], capture_output=True, text=True)
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert p.stderr.count("\n") == 1 and "schema 3" in p.stderr and "bluehelmet build" in p.stderr, p.stderr


# ---- hostile input: one line and a non-zero exit, never a traceback --------------------------

def _main(capsys, *args):
    """The CLI as the shell runs it (``main`` translates library errors to one line)."""
    from bluehelmet.cli import main

    code: object = 0
    try:
        main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_line_error(result, *fragments):
    code, out, err = result
    assert code not in (0, None) and "Traceback" not in out + err, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and all(f in lines[0] for f in fragments), err
    return lines[0]


def test_impossible_months_are_refused_in_one_line(synthetic_db, capsys):
    for month in ("0000-01", "9999-12", "2013-13", "x" * 5000):
        line = _one_line_error(_main(capsys, "personnel", "--month", month, "--db", str(synthetic_db)), "bad month")
        assert len(line) < 200  # a long input is never echoed back whole


def test_factcheck_refuses_binary_foreign_and_huge_files_in_one_line(synthetic_db, tmp_path, capsys):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le café: la France a 1 000 casques bleus.\n".encode("latin-1"))
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 40)
    huge = tmp_path / "huge.txt"
    huge.write_text("China had 2,078 peacekeepers in December 2013. " * 45_000, encoding="utf-8")
    for path, words in ((latin, ("not UTF-8 text", "0xe9")), (binary, ("binary file",)),
                        (huge, ("longer than 2,000,000 characters",))):
        _one_line_error(_main(capsys, "factcheck", str(path), "--as-of", "2014-01", "--db", str(synthetic_db)),
                        str(path), *words)
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffNothing to check here.\n".encode("utf-8"))
    code, out, err = _main(capsys, "factcheck", str(bom), "--as-of", "2014-01", "--db", str(synthetic_db))
    assert code in (0, None), err
