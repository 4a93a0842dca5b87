"""The build is atomic and idempotent.

A failed build, or one killed with SIGKILL, leaves the previous database byte for byte;
temporary ``<db>.building-<pid>`` files never outlive a build for long; unchanged inputs
make a build a no-op and any changed byte makes it rebuild. The databases here are built
from SYNTHETIC source folders (tests/synthetic.py), except the build that gets killed,
which reads the real data so that it is still running when the signal arrives.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import duckdb
import pytest

from bluehelmet.builder import build
from bluehelmet.errors import BluehelmetError, SourceLayoutError, SourceReadError

from .conftest import SHARED
from .synthetic import SyntheticSources, make_sources


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temp_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(db.name + ".building-*"))


def snapshot(db: Path) -> dict[str, object]:
    """What a database says, read through a read-only connection (which must open)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "fingerprint": con.execute("SELECT value FROM build_info WHERE key = 'fingerprint'").fetchone(),
            "files": con.execute("SELECT relpath, sha256, rows_read, rows_loaded, rows_quarantined "
                                 "FROM source_file ORDER BY relpath").fetchall(),
            "detail": con.execute("SELECT * FROM obs_detail ORDER BY ALL").fetchall(),
            "contributor": con.execute("SELECT * FROM obs_contributor ORDER BY ALL").fetchall(),
            "world": con.execute("SELECT * FROM obs_world ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture
def src(tmp_path: Path) -> SyntheticSources:
    return make_sources(tmp_path / "sources")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db" / "bluehelmet.duckdb"


@pytest.fixture
def good_db(src: SyntheticSources, db: Path) -> Path:
    """A database built from the clean synthetic folder."""
    report = build(src.root, db)
    assert not report.noop and report.rows[2] == report.rows[3] == 0
    assert temp_files(db) == []
    return db


# --------------------------------------------------------------------------- failed build


def _rename_column(s: SyntheticSources) -> None:
    s.rename_header(s.gender, "Troops Total", "Troopz Total")


def _empty_file(s: SyntheticSources) -> None:
    s.countries["Nepal"].write_bytes(b"")


def _header_not_utf8(s: SyntheticSources) -> None:
    s.replace_line(s.monthly, 1, s.line(s.monthly, 1).replace(b'"date"', b'"d\xe4te"'))


@pytest.mark.parametrize("breaker,error", [(_rename_column, SourceLayoutError), (_empty_file, SourceReadError),
                                           (_header_not_utf8, SourceReadError)],
                         ids=["renamed-column", "empty-file", "header-not-utf8"])
def test_failed_build_keeps_previous_database(src: SyntheticSources, good_db: Path,
                                              breaker: Callable[[SyntheticSources], None],
                                              error: type[BluehelmetError]) -> None:
    before_sha, before = sha256(good_db), snapshot(good_db)
    breaker(src)
    with pytest.raises(error):
        build(src.root, good_db)
    assert sha256(good_db) == before_sha
    assert snapshot(good_db) == before
    assert temp_files(good_db) == []
    assert sorted(p.name for p in good_db.parent.iterdir()) == [good_db.name]


def test_renamed_column_error_names_file_and_column(src: SyntheticSources, good_db: Path) -> None:
    before_sha = sha256(good_db)
    _rename_column(src)
    with pytest.raises(SourceLayoutError) as err:
        build(src.root, good_db, force=True)
    assert "ipi/tcc-datascraper/Gender.Full.csv" in str(err.value)
    assert "troops_total" in str(err.value) or "Troops Total" in str(err.value)
    assert sha256(good_db) == before_sha and temp_files(good_db) == []


# --------------------------------------------------------------------------- kill -9

KILLED_BUILD = """
import sys
from pathlib import Path
from bluehelmet.builder import build
build(Path(sys.argv[1]), Path(sys.argv[2]), force=True)
"""


@pytest.mark.data  # builds the real data folder: a build long enough to be killed half-way
def test_kill_9_during_build_keeps_previous_database(src: SyntheticSources, good_db: Path) -> None:
    before_sha, before = sha256(good_db), snapshot(good_db)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(SHARED), str(good_db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = started + 30
        while not temp_files(good_db):
            assert proc.poll() is None, f"build ended before it could be killed: {proc.communicate()[1]!r}"
            assert time.monotonic() < deadline, "no .building- temp file appeared within 30 s"
            time.sleep(0.01)
        time.sleep(max(0.0, 0.3 - (time.monotonic() - started)) + 0.1)  # let it write a little
        assert proc.poll() is None, "build finished before the kill; the test proves nothing"
        killed_after = time.monotonic() - started
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL, killed_after
    stale = temp_files(good_db)
    assert stale and all(p.name.split(".building-")[1].split(".")[0] == str(proc.pid) for p in stale)

    # the previous database is untouched and still opens with its data
    assert sha256(good_db) == before_sha
    assert snapshot(good_db) == before

    # the next build succeeds and clears the dead build's temp file(s)
    report = build(src.root, good_db, force=True)
    assert not report.noop
    assert temp_files(good_db) == []
    assert snapshot(good_db) == before  # same inputs, same facts


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(proc.stdout)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return pid
    pytest.skip(f"pid {pid} was reused already")


def test_noop_build_also_clears_stale_temp_file(src: SyntheticSources, good_db: Path) -> None:
    """A killed build leaves ``<db>.building-<pid>`` (for the real data, tens of MB). The
    next build must remove it even when the inputs are unchanged (the no-op path too)."""
    stale = good_db.with_name(f"{good_db.name}.building-{_dead_pid()}")
    stale.write_bytes(b"SYNTHETIC partial database left by a killed build\n")
    before_sha = sha256(good_db)
    report = build(src.root, good_db)
    assert report.noop
    assert sha256(good_db) == before_sha
    assert temp_files(good_db) == []


def test_temp_file_of_a_live_build_is_left_alone(src: SyntheticSources, good_db: Path) -> None:
    """A temp file whose pid is alive (another build may be writing it) is not removed.
    The pid used is pytest's parent's: alive, and not this process (whose own temp name a
    build in this process would reuse)."""
    other = good_db.with_name(f"{good_db.name}.building-{os.getppid()}")
    other.write_bytes(b"SYNTHETIC temp file of a build that is still running\n")
    build(src.root, good_db, force=True)
    assert other.exists()
    other.unlink()


# --------------------------------------------------------------------------- no-op / rebuild


def test_unchanged_inputs_are_a_noop(src: SyntheticSources, good_db: Path) -> None:
    before_sha, before_stat = sha256(good_db), good_db.stat()
    report = build(src.root, good_db)
    assert report.noop is True
    assert sha256(good_db) == before_sha
    after_stat = good_db.stat()
    assert (after_stat.st_mtime_ns, after_stat.st_ino) == (before_stat.st_mtime_ns, before_stat.st_ino)
    assert temp_files(good_db) == []
    # the no-op report still describes what is loaded
    assert {f.relpath for f in report.files} == {p.relative_to(src.root).as_posix() for p in src.all_files}
    assert report.rows[0] == report.rows[1] + report.rows[2] + report.rows[3] > 0


def test_force_rebuilds_unchanged_inputs(src: SyntheticSources, good_db: Path) -> None:
    before = snapshot(good_db)
    report = build(src.root, good_db, force=True)
    assert report.noop is False
    assert snapshot(good_db) == before


def test_one_changed_byte_in_an_unread_column_triggers_rebuild(src: SyntheticSources, good_db: Path) -> None:
    before = snapshot(good_db)
    src.replace_in_line(src.gender, 2, '"synthetic-1"', '"synthetic-9"')  # one byte, a column nobody reads
    report = build(src.root, good_db)
    assert report.noop is False
    after = snapshot(good_db)
    assert after["fingerprint"] != before["fingerprint"]
    shas = {relpath: digest for relpath, digest, *_ in after["files"]}  # type: ignore[union-attr]
    assert shas["ipi/tcc-datascraper/Gender.Full.csv"] == sha256(src.gender)
    assert after["detail"] == before["detail"]  # same facts
    assert build(src.root, good_db).noop is True  # and now it is up to date again


def test_one_changed_digit_is_loaded(src: SyntheticSources, good_db: Path) -> None:
    ghana = src.countries["Ghana"]
    old = src.line(ghana, 2)  # 2020-01-31,1624,178,8
    new = old.replace(b",178,", b",179,")
    assert new != old and len(new) == len(old)
    src.replace_line(ghana, 2, new)
    report = build(src.root, good_db)
    assert report.noop is False
    con = duckdb.connect(str(good_db), read_only=True)
    try:
        (police,) = con.execute("""SELECT total FROM obs_contributor o JOIN source_file s USING (source_id)
            WHERE s.relpath = 'ipi/tcc-datascraper/countries/Ghana.csv' AND o.line = 2
              AND o.type = 'police'""").fetchone()
    finally:
        con.close()
    assert police == 179
    assert temp_files(good_db) == []


def test_builds_are_deterministic(tmp_path, built_db):
    """Reading runs on two threads; the database must not depend on their timing, nor on
    what an earlier build in the same process looked up."""
    import hashlib

    import duckdb

    from bluehelmet.builder import build

    from .conftest import SHARED

    def digest(path):
        con = duckdb.connect(str(path), read_only=True)
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
                  if t != "build_info"]
        out = {t: hashlib.sha256(repr(con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()).encode()).hexdigest()
               for t in tables}
        con.close()
        return out

    again = tmp_path / "again.duckdb"
    build(SHARED, again)
    assert digest(again) == digest(built_db)


def test_reader_progress_moves_the_bar_within_its_step() -> None:
    from bluehelmet.builder import _Steps

    said: list[tuple[str, int, int]] = []
    steps = _Steps(lambda *a: said.append(a), 3)
    report = steps.reader(1, "pdfs")  # called from the reader's worker thread
    report(2, 10)  # ahead of the main thread: remembered, not shown yet
    assert said == []
    steps.at(0, "csv")
    steps.at(1, "pdfs")
    report(5, 10)
    report(10, 10)
    assert said == [("reading csv", 0, 3000), ("reading pdfs (2/10 files)", 1200, 3000),
                    ("reading pdfs (5/10 files)", 1500, 3000), ("reading pdfs", 2000, 3000)]


# ---- what the build refuses to touch, and what it refuses to read ------------------------------

def test_build_refuses_to_overwrite_a_file_that_is_not_its_database(src: SyntheticSources, tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("my notes\n")
    with pytest.raises(BluehelmetError, match="not a DuckDB database; refusing"):
        build(src.root, text)
    assert text.read_text() == "my notes\n"
    foreign = tmp_path / "other.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE mine (a INTEGER)")
    con.close()
    before = sha256(foreign)
    with pytest.raises(BluehelmetError, match="did not build; refusing"):
        build(src.root, foreign)
    assert sha256(foreign) == before
    empty = tmp_path / "placeholder.duckdb"
    empty.touch()  # an empty file is a placeholder: built into
    build(src.root, empty)
    assert snapshot(empty)["files"]


def test_a_second_build_of_one_database_refuses_while_the_first_runs(src: SyntheticSources, good_db: Path) -> None:
    from bluehelmet.builder import _BuildLock

    held = _BuildLock(good_db)
    try:
        with pytest.raises(BluehelmetError, match=f"another build of this database is running \\(process {os.getpid()}\\)"):
            build(src.root, good_db, force=True)
    finally:
        held.release()
    build(src.root, good_db, force=True)  # free again
    assert sorted(p.name for p in good_db.parent.iterdir()) == [good_db.name]


def test_glob_characters_in_the_database_name_do_not_strand_temp_files(src: SyntheticSources, tmp_path: Path) -> None:
    db = tmp_path / "run[1]*.duckdb"
    build(src.root, db)
    stale = db.with_name(db.name + ".building-999999999")  # a pid no process has
    stale.write_bytes(b"half a database")
    build(src.root, db)  # a no-op build clears a dead build's file
    assert not stale.exists()


def test_links_out_of_the_folder_and_folders_named_as_files_are_refused_by_name(src: SyntheticSources) -> None:
    countries = src.root / "ipi" / "tcc-datascraper" / "countries"
    (countries / "Passwords.csv").symlink_to("/etc/passwd")
    ghana = countries / "Ghana.csv"
    ghana.unlink()
    ghana.mkdir()
    report = build(src.root, src.root.parent / "refused.duckdb")
    refused = "\n".join(report.refused)
    assert "countries/Passwords.csv: a link to a file outside the sources folder" in refused
    assert "countries/Ghana.csv: a folder where layout ipi_tcc_countries expects a file" in refused
    text = subprocess.run([sys.executable, "-m", "bluehelmet", "build", "--sources", str(src.root),
                           "--db", str(src.root.parent / "refused2.duckdb")], capture_output=True, text=True)
    assert text.returncode == 0 and "not read: ipi/tcc-datascraper/countries/Ghana.csv" in text.stdout
    assert "root:" not in text.stdout + text.stderr  # the link's target is never opened
