"""Bad rows are quarantined with file, line, column and reason; everything else loads.

Every test breaks one SYNTHETIC source folder (tests/synthetic.py) in one precise way,
builds it into tmp_path and reads the resulting DuckDB file back read-only. After every
build, for every file: rows_read == rows_loaded + rows_empty + rows_quarantined, the
quarantine table holds exactly rows_quarantined rows for it, and the observation tables
hold exactly rows_loaded distinct lines of it (an empty row, every value missing, is in
neither).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import duckdb
import pytest
from click.testing import CliRunner

from bluehelmet.builder import build
from bluehelmet.cli import cli, main
from bluehelmet.errors import BluehelmetError, SourceLayoutError
from bluehelmet.sources.base import header_key
from .synthetic import (DETAIL_ROWS, SyntheticSources, add_ppp_monthly, gender_line, make_sources)

BLUEHELMET = Path(sys.executable).with_name("bluehelmet")

OBS_TABLES = ("obs_detail", "obs_contributor", "obs_mission", "obs_world")


# --------------------------------------------------------------------------- helpers


@dataclass
class Built:
    """A finished build, opened read-only."""

    sources: SyntheticSources
    con: duckdb.DuckDBPyConnection
    report: Any

    def rel(self, path: Path) -> str:
        return path.relative_to(self.sources.root).as_posix()

    def source_id(self, path: Path) -> int:
        row = self.con.execute("SELECT source_id FROM source_file WHERE relpath = ?", [self.rel(path)]).fetchone()
        assert row is not None, f"{self.rel(path)} was not registered as a source file"
        return int(row[0])

    def quarantine(self, path: Path) -> list[dict[str, Any]]:
        rows = self.con.execute(
            'SELECT line, "column", reason, raw FROM quarantine WHERE source_id = ? ORDER BY line',
            [self.source_id(path)]).fetchall()
        return [dict(zip(("line", "column", "reason", "raw"), r)) for r in rows]

    def all_quarantine(self) -> list[tuple[str, int, str, str]]:
        return self.con.execute('SELECT s.relpath, q.line, q."column", q.reason FROM quarantine q '
                                'JOIN source_file s USING (source_id) ORDER BY 1, 2').fetchall()

    def loaded_lines(self, path: Path) -> set[int]:
        union = " UNION ".join(f"SELECT line FROM {t} WHERE source_id = $sid" for t in OBS_TABLES)
        return {r[0] for r in self.con.execute(union, {"sid": self.source_id(path)}).fetchall()}

    def counts(self, path: Path) -> tuple[int, int, int]:
        """(read, loaded, quarantined): the files these tests break have no empty rows."""
        row = self.con.execute("SELECT rows_read, rows_loaded, rows_quarantined FROM source_file "
                               "WHERE source_id = ?", [self.source_id(path)]).fetchone()
        assert row is not None
        return row

    def findings(self, kind: str) -> list[tuple[int | None, str, int]]:
        return self.con.execute("SELECT source_id, message, count FROM finding WHERE kind = ? ORDER BY ALL",
                                [kind]).fetchall()

    def detail(self, path: Path, line: int) -> set[tuple[str, str]]:
        return set(self.con.execute("SELECT DISTINCT contributor, mission FROM obs_detail "
                                    "WHERE source_id = ? AND line = ?", [self.source_id(path), line]).fetchall())


def data_lines(path: Path) -> set[int]:
    """Line numbers (header = 1) of the non-empty data lines of a file."""
    lines = path.read_bytes().split(b"\n")
    return {i for i, ln in enumerate(lines, start=1) if i > 1 and ln.strip()}


def assert_counts_add_up(b: Built) -> None:
    files = b.con.execute("SELECT source_id, relpath, rows_read, rows_loaded, rows_empty, rows_quarantined "
                          "FROM source_file ORDER BY source_id").fetchall()
    assert files, "no source_file rows"
    registered = {r[1] for r in files}
    assert {b.rel(p) for p in b.sources.all_files} <= registered
    for sid, relpath, read, loaded, empty, quarantined in files:
        assert read == loaded + empty + quarantined, \
            f"{relpath}: {read} read != {loaded} loaded + {empty} empty + {quarantined} quarantined"
        (n_e,) = b.con.execute("SELECT coalesce(sum(count), 0) FROM finding WHERE source_id = ? "
                               "AND kind = 'empty_rows'", [sid]).fetchone()
        assert n_e == empty, f"{relpath}: empty_rows finding counts {n_e} but rows_empty = {empty}"
        (n_q,) = b.con.execute("SELECT count(*) FROM quarantine WHERE source_id = ?", [sid]).fetchone()
        assert n_q == quarantined, f"{relpath}: {n_q} quarantine rows but rows_quarantined = {quarantined}"
        union = " UNION ".join(f"SELECT line FROM {t} WHERE source_id = $sid" for t in OBS_TABLES)
        (n_l,) = b.con.execute(f"SELECT count(*) FROM ({union})", {"sid": sid}).fetchone()
        assert n_l == loaded, f"{relpath}: {n_l} distinct lines loaded but rows_loaded = {loaded}"
    for p in b.sources.all_files:  # every physical data line is accounted for
        assert b.counts(p)[0] == len(data_lines(p)), b.rel(p)
    (orphans,) = b.con.execute("SELECT count(*) FROM quarantine WHERE source_id NOT IN "
                               "(SELECT source_id FROM source_file)").fetchone()
    assert orphans == 0


@pytest.fixture
def src(tmp_path: Path) -> SyntheticSources:
    return make_sources(tmp_path / "sources")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bluehelmet.duckdb"


@pytest.fixture
def run_build(db: Path) -> Iterator[Callable[[SyntheticSources], Built]]:
    opened: list[duckdb.DuckDBPyConnection] = []

    def run(sources: SyntheticSources) -> Built:
        report = build(sources.root, db)
        con = duckdb.connect(str(db), read_only=True)
        opened.append(con)
        built = Built(sources, con, report)
        assert_counts_add_up(built)
        return built

    yield run
    for con in opened:
        con.close()


# --------------------------------------------------------------------------- baseline


def test_clean_synthetic_folder_loads_everything(src: SyntheticSources, run_build) -> None:
    b = run_build(src)
    assert b.all_quarantine() == []
    for p in src.all_files:
        assert b.loaded_lines(p) == data_lines(p)
    read, loaded, empty, quarantined = b.report.rows
    assert read == loaded == sum(len(data_lines(p)) for p in src.all_files) and quarantined == empty == 0
    # the synthetic numbers are consistent: no source disagrees with another
    assert [r for r in b.report.reconciliation if r["differing"]] == []


# --------------------------------------------------------------------------- truncated file


@pytest.mark.parametrize("keep", [60, 30, 1], ids=["mid-number", "inside-quoted-name", "one-byte"])
def test_truncated_last_row_is_quarantined(src: SyntheticSources, run_build, keep: int) -> None:
    last = max(data_lines(src.gender))
    left = src.truncate_last_line(src.gender, keep)
    b = run_build(src)
    q = b.quarantine(src.gender)
    assert len(q) == 1
    assert q[0]["line"] == last
    assert "fields" in q[0]["reason"] and "truncated" in q[0]["reason"]
    assert q[0]["raw"] == left.decode("utf-8")
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {last}
    for p in (src.monthly, *src.countries.values()):
        assert b.loaded_lines(p) == data_lines(p) and b.quarantine(p) == []


def test_truncated_inside_last_field_is_quarantined(src: SyntheticSources, run_build) -> None:
    """Every real source file ends with a newline; a last line without one, cut inside its
    final number (``...,1958`` -> ``...,19``), parses as a complete row, so a final line
    that lacks its newline is quarantined."""
    last = max(data_lines(src.gender))
    src.truncate_last_line(src.gender, len(src.line(src.gender, last)) - 2)
    b = run_build(src)
    assert [r["line"] for r in b.quarantine(src.gender)] == [last]


def test_truncated_country_file(src: SyntheticSources, run_build) -> None:
    ghana = src.countries["Ghana"]
    last = max(data_lines(ghana))
    src.truncate_last_line(ghana, 14)  # "2020-02-29,162"
    b = run_build(src)
    q = b.quarantine(ghana)
    assert [(r["line"], "fields" in r["reason"]) for r in q] == [(last, True)]
    assert b.loaded_lines(ghana) == data_lines(ghana) - {last}
    assert b.counts(ghana) == (len(data_lines(ghana)), len(data_lines(ghana)) - 1, 1)


# --------------------------------------------------------------------------- encoding


def test_latin1_row_is_quarantined(src: SyntheticSources, run_build) -> None:
    line = 4
    bad = gender_line(3, DETAIL_ROWS[2], "C\xf4te d'Ivoire", "CIV").encode("latin-1")
    assert b"\xf4" in bad
    src.replace_line(src.gender, line, bad)
    b = run_build(src)
    q = b.quarantine(src.gender)
    assert len(q) == 1
    assert q[0]["line"] == line
    assert "UTF-8" in q[0]["reason"]
    assert "C\xf4te d'Ivoire" in q[0]["raw"]  # kept, decoded as latin-1, so nothing is lost
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {line}
    # the lines after the bad one keep their true numbers (line 5 is the 4th synthetic row)
    assert b.detail(src.gender, 5) == {("NPL", "UNMISS")}
    assert b.detail(src.gender, 3) == {("GHA", "UNMISS")}


# --------------------------------------------------------------------------- countries


def test_unknown_country_is_quarantined(src: SyntheticSources, run_build) -> None:
    line = 6
    src.replace_line(src.gender, line, gender_line(5, DETAIL_ROWS[4], "Atlantis", "ATL"))
    b = run_build(src)
    q = b.quarantine(src.gender)
    assert [r["line"] for r in q] == [line]
    assert "unknown country" in q[0]["reason"] and "Atlantis" in q[0]["reason"]
    assert q[0]["column"] == "Contributor"
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {line}


def test_country_file_of_unknown_country_is_quarantined(src: SyntheticSources, run_build) -> None:
    atlantis = src.countries["Ghana"].with_name("Atlantis.csv")
    atlantis.write_bytes(src.countries["Ghana"].read_bytes())  # SYNTHETIC numbers, unknown file name
    src.countries["Atlantis"] = atlantis
    b = run_build(src)
    q = b.quarantine(atlantis)
    assert [r["line"] for r in q] == sorted(data_lines(atlantis))
    assert all("unknown country" in r["reason"] and "Atlantis" in r["reason"] for r in q)
    assert b.loaded_lines(atlantis) == set()


# --------------------------------------------------------------------------- bad counts

# (file attribute, country or None, line, source header as written, value, reason fragment)
BAD_COUNTS = [
    ("gender", None, 5, "Troops Total", "-5", "negative"),
    ("gender", None, 7, "Experts on Mission Male", "12a", "not a whole number"),
    ("countries", "Ghana", 3, "Troops", "-5", "negative"),
    ("countries", "Nepal", 2, "Police", "12a", "not a whole number"),
    ("monthly", None, 2, "troops.sum", "-5", "negative"),
    ("monthly", None, 3, "observers.sum", "12a", "not a whole number"),
]


def _file(src: SyntheticSources, attr: str, country: str | None) -> Path:
    return src.countries[country] if country else getattr(src, attr)


@pytest.mark.parametrize("attr,country,line,header,value,why", BAD_COUNTS,
                         ids=[f"{c or a}-{h}-{v}" for a, c, _, h, v, _ in BAD_COUNTS])
def test_bad_count_is_quarantined(src: SyntheticSources, run_build, attr, country, line, header, value,
                                  why) -> None:
    path = _file(src, attr, country)
    src.set_cell(path, line, header, value)
    b = run_build(src)
    q = b.quarantine(path)
    assert [r["line"] for r in q] == [line]
    assert why in q[0]["reason"] and repr(value) in q[0]["reason"]
    # the column names the source column (at least up to spelling)
    assert header_key(q[0]["column"]) == header_key(header)
    assert b.loaded_lines(path) == data_lines(path) - {line}


@pytest.mark.parametrize("attr,country,line,header,value,why", BAD_COUNTS[::2],
                         ids=[f"{c or a}-{h}-{v}" for a, c, _, h, v, _ in BAD_COUNTS[::2]])
def test_bad_count_column_is_the_header_as_written(src: SyntheticSources, run_build, attr, country, line,
                                                   header, value, why) -> None:
    """The quarantine column is the file's own header, as the other problem kinds report it
    (``Contributor``, ``Date``), so a user can find the cell (not the normalised
    header_key form, ``troops_total``)."""
    path = _file(src, attr, country)
    src.set_cell(path, line, header, value)
    b = run_build(src)
    assert [r["column"] for r in b.quarantine(path)] == [header]


def test_bad_count_column_exists_in_a_file_with_alternative_headers(src: SyntheticSources, run_build) -> None:
    """PPP_Loader's data_monthly.csv says ``Troop Contributions`` where TCC says ``troops.sum``.
    The quarantine column must name a column of *that* file, not the layout's first
    spelling (``troops_sum``), which this file does not have."""
    ppp = add_ppp_monthly(src)
    header = "Troop Contributions"
    src.set_cell(ppp, 3, header, "-5")
    b = run_build(src)
    q = b.quarantine(ppp)
    assert [r["line"] for r in q] == [3] and "negative" in q[0]["reason"]
    headers_of_file = {header_key(h) for h in src.header(ppp)}
    assert header_key(q[0]["column"]) in headers_of_file, (q[0]["column"], sorted(headers_of_file))
    assert q[0]["column"] == header


# --------------------------------------------------------------------------- duplicates


def test_exact_duplicate_rows_are_quarantined(src: SyntheticSources, run_build) -> None:
    src.insert_line(src.gender, 5, src.line(src.gender, 3))  # line 5 repeats line 3 byte for byte
    ghana = src.countries["Ghana"]
    dup = src.append_line(ghana, src.line(ghana, 2))
    b = run_build(src)
    assert [(r["line"], r["reason"]) for r in b.quarantine(src.gender)] == [(5, "duplicate of line 3")]
    assert [(r["line"], r["reason"]) for r in b.quarantine(ghana)] == [(dup, "duplicate of line 2")]
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {5}
    assert b.loaded_lines(ghana) == data_lines(ghana) - {dup}
    assert {sid for sid, _, _ in b.findings("duplicate_rows")} == {b.source_id(src.gender), b.source_id(ghana)}


def test_conflicting_duplicate_names_the_first_line(src: SyntheticSources, run_build) -> None:
    ghana = src.countries["Ghana"]
    cells = src.line(ghana, 3).decode().split(",")
    cells[1] = str(int(cells[1]) + 1)  # same month, different troops
    dup = src.append_line(ghana, ",".join(cells))
    b = run_build(src)
    assert [(r["line"], r["reason"]) for r in b.quarantine(ghana)] == [(dup, "conflicting duplicate of line 3")]


# --------------------------------------------------------------------------- raw text kept


def _break_unknown(src: SyntheticSources) -> tuple[Path, int]:
    src.replace_line(src.gender, 4, gender_line(3, DETAIL_ROWS[2], "Atlantis", "ATL"))
    return src.gender, 4


def _break_count(src: SyntheticSources) -> tuple[Path, int]:
    src.set_cell(src.countries["Ghana"], 3, "Troops", "-5")
    return src.countries["Ghana"], 3


def _break_dup(src: SyntheticSources) -> tuple[Path, int]:
    src.insert_line(src.gender, 5, src.line(src.gender, 3))
    return src.gender, 5


@pytest.mark.parametrize("breaker", [_break_unknown, _break_count, _break_dup],
                         ids=["unknown-country", "negative-count", "duplicate"])
def test_quarantined_row_keeps_its_raw_text(src: SyntheticSources, run_build, breaker) -> None:
    """The quarantine holds the row as it was, so nothing is lost (parse and encoding
    problems included: those from validate(), resolve_countries() and
    quarantine_duplicates() too)."""
    path, line = breaker(src)
    raw = src.line(path, line).decode("utf-8")
    b = run_build(src)
    q = b.quarantine(path)
    assert [r["line"] for r in q] == [line]
    assert q[0]["raw"] == raw


# --------------------------------------------------------------------------- renamed column


def test_renamed_required_column_is_a_layout_error(src: SyntheticSources, db: Path) -> None:
    src.rename_header(src.gender, "Troops Total", "Troopz Total")
    with pytest.raises(SourceLayoutError) as err:
        build(src.root, db)
    msg = str(err.value)
    assert "ipi/tcc-datascraper/Gender.Full.csv" in msg
    assert "troops_total" in msg or "Troops Total" in msg  # the column it expected
    assert "\n" not in msg
    assert err.value.path == "ipi/tcc-datascraper/Gender.Full.csv"
    assert isinstance(err.value, BluehelmetError)
    assert not db.exists()
    assert list(db.parent.glob(db.name + ".building-*")) == []


def test_renamed_required_column_cli_main(src: SyntheticSources, db: Path, capsys) -> None:
    src.rename_header(src.countries["Nepal"], "Troops", "Troopz")
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--sources", str(src.root), "--db", str(db), "--quiet"])
    assert exit_.value.code not in (0, None)
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "ipi/tcc-datascraper/countries/Nepal.csv" in lines[0] and "troops" in lines[0].lower()
    assert "Traceback" not in err + out


def test_renamed_required_column_cli_process(src: SyntheticSources, db: Path) -> None:
    src.rename_header(src.gender, "Troops Total", "Troopz Total")
    proc = subprocess.run([str(BLUEHELMET), "build", "--sources", str(src.root), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and "Gender.Full.csv" in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not db.exists()


def test_renamed_required_column_click_runner(src: SyntheticSources, db: Path) -> None:
    """Through click alone the error surfaces as the library exception (main() formats it)."""
    src.rename_header(src.gender, "Troops Total", "Troopz Total")
    result = CliRunner().invoke(cli, ["build", "--sources", str(src.root), "--db", str(db), "--quiet"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SourceLayoutError)


# --------------------------------------------------------------------------- stray quote


@pytest.mark.parametrize("iso3", ["GHA", ""], ids=["with-iso3", "name-only"])
def test_stray_quote_is_repaired_and_reported(src: SyntheticSources, run_build, iso3: str) -> None:
    line = 2
    src.replace_line(src.gender, line, gender_line(1, DETAIL_ROWS[0], "Ghana'", iso3))
    b = run_build(src)
    assert b.quarantine(src.gender) == []
    assert b.detail(src.gender, line) == {("GHA", "UNIFIL")}
    assert b.loaded_lines(src.gender) == data_lines(src.gender)
    found = b.findings("stray_quote")
    assert [(sid, count) for sid, _, count in found] == [(b.source_id(src.gender), 1)]


# --------------------------------------------------------------------------- empty rows


def test_all_na_row_is_empty_not_loaded(src: SyntheticSources, run_build) -> None:
    """A row whose every count is ``NA`` (as PPP_Loader's United States rows) carries no
    fact: it is read, counted as empty (neither loaded nor quarantined), and the file gets
    one ``empty_rows`` finding naming whose row it was and its month."""
    na = ",".join(["NA"] * 15)
    line = src.append_line(src.gender, f'"synthetic-99","2020-02-29","Togo","TGO","UNMISS",{na}')
    b = run_build(src)  # asserts read = loaded + empty + quarantined for every file
    read, loaded, empty, quarantined = b.con.execute(
        "SELECT rows_read, rows_loaded, rows_empty, rows_quarantined FROM source_file WHERE source_id = ?",
        [b.source_id(src.gender)]).fetchone()
    assert (read, loaded, empty, quarantined) == (len(data_lines(src.gender)), len(data_lines(src.gender)) - 1, 1, 0)
    assert b.quarantine(src.gender) == []
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {line}
    [(sid, message, count)] = b.findings("empty_rows")
    assert sid == b.source_id(src.gender) and count == 1
    assert "TGO 2020-02 (1 row)" in message and "empty, not loaded" in message
    assert b.report.rows[2] == 1
    summary = {r["source"]: r for r in b.report.summary_rows()}
    assert summary[b.rel(src.gender)]["empty"] == 1


def test_stray_quote_finding_names_its_months(src: SyntheticSources, run_build) -> None:
    src.replace_line(src.gender, 6, gender_line(5, DETAIL_ROWS[4], "Ghana'", "GHA'"))
    b = run_build(src)
    messages = [m for _, m, _ in b.findings("stray_quote")]
    assert len(messages) == 2 and all("in the rows of 2020-02;" in m for m in messages), messages


# --------------------------------------------------------------------------- values out of range, broken lines

OUT_OF_RANGE = [
    ("Troops Total", "99999999999999999999999", "a count out of range (more than 15 digits)"),
    ("Troops Total", "1234567890123456", "a count out of range (more than 15 digits)"),
    ("Troops Total", "12.5", "not a whole number"),
    ("Date", "2013-13-31", "not a date (YYYY-MM-DD, 1900-2099)"),
    ("Date", "0000-01-31", "not a date (YYYY-MM-DD, 1900-2099)"),
    ("Date", "2013-02-32", "not a date (YYYY-MM-DD, 1900-2099)"),
]


@pytest.mark.parametrize("header,value,why", OUT_OF_RANGE, ids=[v for _, v, _ in OUT_OF_RANGE])
def test_a_value_out_of_range_is_quarantined_not_fatal(src: SyntheticSources, run_build, header, value, why) -> None:
    src.set_cell(src.gender, 3, header, value)
    b = run_build(src)
    q = b.quarantine(src.gender)
    assert [(r["line"], r["column"]) for r in q] == [(3, header)]
    assert q[0]["reason"] == f"{why}: {value!r}"
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - {3}


@pytest.mark.parametrize("old,new,lines", [
    ('"Ghana"', '"Gh\nana"', {3, 4}),  # a line break inside a quoted field: both halves
    ('"Ghana"', '"Ghana', {3}),  # an unmatched quote
    ('"Ghana"', '"' + "G" * 2_000_000 + '"', {3}),  # a 2 MB line
], ids=["quoted-newline", "unmatched-quote", "2MB-line"])
def test_a_broken_line_is_quarantined_and_later_lines_keep_their_numbers(src: SyntheticSources, run_build, old, new,
                                                                        lines) -> None:
    src.replace_in_line(src.gender, 3, old, new)
    b = run_build(src)
    q = b.quarantine(src.gender)
    assert {r["line"] for r in q} == lines
    assert all(len(r["raw"]) <= 500 for r in q)  # a line is quoted, never whole
    # every other row loads, under its true line number
    assert b.loaded_lines(src.gender) == data_lines(src.gender) - lines
    last = max(data_lines(src.gender))
    assert b.detail(src.gender, last) == {(DETAIL_ROWS[-1].iso3, DETAIL_ROWS[-1].mission)}
