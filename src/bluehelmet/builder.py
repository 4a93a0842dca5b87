"""The build: sources folder in, one DuckDB file out, atomically.

The new database is written beside the old one under a temporary name and swapped in with
``os.replace`` only when complete, so a failed or killed build (even ``kill -9``) leaves the
previous database as it was. Inputs are fingerprinted (sha256 of every file, the package
version and the reference data); a build whose fingerprint matches the database's is a
no-op.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable

from .version import __version__
from .errors import BluehelmetError, BuildError, SourceReadError
from .reference.countries import DATA as REFERENCE_DATA
from .records import Finding, LayoutResult, Problem, SourceFile, sha256_of
from .store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    import duckdb

    from .domain import Layout

__all__ = ["build", "BuildReport", "FileReport", "discover", "Progress"]

#: progress callback: (step description, done, total)
Progress = Callable[[str, int, int], None]


@dataclass
class FileReport:
    relpath: str
    layout: str
    rows_read: int
    rows_loaded: int
    rows_empty: int
    rows_quarantined: int
    sha256: str


@dataclass
class BuildReport:
    db_path: Path
    noop: bool
    seconds: float
    files: list[FileReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reconciliation: list[dict[str, object]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files no layout reads (yet)
    refused: list[str] = field(default_factory=list)  # "path: why" (a folder, a link to a device or elsewhere)

    def summary_rows(self) -> list[dict[str, object]]:
        """One row per layout (the 296 country files read as two rows); a file with
        quarantined or empty rows, or alone in its layout, stands on its own row under its path."""
        per_layout: dict[str, int] = {}
        for f in self.files:
            per_layout[f.layout] = per_layout.get(f.layout, 0) + 1
        counts: dict[str, list[int]] = {}  # files, read, loaded, empty, quarantined
        for f in self.files:
            alone = f.rows_quarantined or f.rows_empty or per_layout[f.layout] == 1
            c = counts.setdefault(f.relpath if alone else f.layout, [0, 0, 0, 0, 0])
            c[0] += 1
            c[1] += f.rows_read
            c[2] += f.rows_loaded
            c[3] += f.rows_empty
            c[4] += f.rows_quarantined
        return [{"source": key, "files": files, "read": read, "loaded": loaded, "empty": empty,
                 "quarantined": quarantined}
                for key, (files, read, loaded, empty, quarantined) in counts.items()]

    def finding_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        return counts

    @property
    def rows(self) -> tuple[int, int, int, int]:
        """(read, loaded, empty, quarantined) over every file: read = the other three."""
        return (sum(f.rows_read for f in self.files), sum(f.rows_loaded for f in self.files),
                sum(f.rows_empty for f in self.files), sum(f.rows_quarantined for f in self.files))


def discover(sources: Path) -> tuple[list[tuple["Layout", list[Path]]], list[str], list[str]]:
    """Match the files under ``sources`` to layouts; also list the files no layout reads and
    the paths refused (``path: why``): a folder where a layout expects a file, a link to a
    device or a pipe, a link out of the folder to a file of another kind (its target is
    never opened, so no error can quote it)."""
    from .sources.registry import layouts as all_layouts

    if not sources.is_dir():
        raise SourceReadError(f"{sources}: sources folder not found")
    root = sources.resolve()
    # hidden files are read too: ppp-loader/countries/.csv is a real (empty-named) source file
    found = sorted(sources.rglob("*"))
    rel = {p: p.relative_to(sources).as_posix() for p in found}
    refused: list[str] = []
    all_files = []
    for p in found:
        if p.is_symlink():
            target = p.resolve()
            if target.exists() and not target.is_file() and not target.is_dir():
                refused.append(f"{rel[p]}: a link to something that is not a file (a device or a pipe); not read")
                continue
            # a link into another data folder is a normal way to assemble sources (the tests
            # mirror ../shared/data so); a link out of the folder to a file of another kind
            # (countries/x.csv -> /etc/passwd) is not read, so no error can quote it
            if target.is_file() and not target.is_relative_to(root) and target.suffix.lower() != p.suffix.lower():
                refused.append(f"{rel[p]}: a link out of the sources folder to a file that is not a "
                               f"{p.suffix or 'file of its kind'}; not read")
                continue
        if p.is_file():
            all_files.append(p)
    # asked once, not once per layout (34 layouts x every path: 17,000 stat calls a build)
    folders = [p for p in found if p.is_dir() and not p.is_symlink()]
    matched: set[Path] = set()
    out = []
    for layout in all_layouts():
        # one compiled pattern per layout, not an fnmatch call per file and glob
        match = re.compile("|".join(f"(?:{fnmatch.translate(pat)})" for pat in layout.patterns)).match
        files = [p for p in all_files if match(rel[p])]
        refused += [f"{rel[p]}: a folder where layout {layout.name} expects a file; not read"
                    for p in folders if match(rel[p])]
        if files:
            out.append((layout, files))
            matched.update(files)
    skipped = [rel[p] for p in all_files if p not in matched and not rel[p].lower().endswith(".md")]
    if not out:
        raise SourceReadError(f"{sources}: no known source files (expected e.g. "
                              "ipi/tcc-datascraper/Gender.Full.csv)")
    return out, skipped, refused


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """The code and reference data that turn inputs into facts: inputs too.

    Taken once per process, at its first build: the code a process runs is the code it
    imported then. Hashed afresh at every build, a file edited while a long process ran
    (a test session) filed that process's old results under the new code's digest, and
    the next build read them back from the layout cache as current."""
    h = hashlib.sha256(f"bluehelmet {__version__} schema {SCHEMA_VERSION}\n".encode())
    package = Path(__file__).parent
    for p in sorted([*package.rglob("*.py"), *REFERENCE_DATA.glob("*.csv")]):
        h.update(p.relative_to(package).as_posix().encode() + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _fingerprint(hashes: list[tuple[str, str]], code: str) -> str:
    h = hashlib.sha256(f"{code}\n".encode())
    for rel, digest in sorted(hashes):
        h.update(f"{rel} {digest}\n".encode())
    return h.hexdigest()


def _open_existing(db: Path) -> "duckdb.DuckDBPyConnection | None":
    """The database at ``db`` opened read-only, or None (no file, or not one DuckDB reads)."""
    if not db.exists():
        return None
    import duckdb

    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None  # unreadable or foreign file: rebuild and replace it


def _fingerprint_of(con: "duckdb.DuckDBPyConnection") -> str | None:
    import duckdb

    try:
        row = con.execute("SELECT value FROM build_info WHERE key = 'fingerprint'").fetchone()
    except duckdb.Error:
        return None  # not ours, or damaged: rebuild and replace it
    return row[0] if row else None


def _stamp(db: Path) -> tuple[int, int, int, int] | None:
    """What tells one file at ``db`` from another: device, inode, size, modification time."""
    try:
        st = db.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


# DuckDB's file header: 8 bytes of checksum, then the magic bytes
_DUCKDB_MAGIC = (8, b"DUCK")


def _check_target(db: Path, ours: tuple[int, int, int, int] | None = None) -> None:
    """Refuse to replace what is not a bluehelmet database: a text file, another program's
    DuckDB file, a folder. An empty file is taken as a placeholder (``touch``). ``ours`` is
    the stamp (:func:`_stamp`) of a file already found to hold a bluehelmet fingerprint:
    if the file is still that one, it is not opened a second time."""
    if not db.exists():
        return
    if ours is not None and _stamp(db) == ours:
        return
    if not db.is_file():
        raise BuildError(f"{db}: exists and is not a file; choose another --db")
    try:
        with db.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BuildError(f"{db}: cannot read it ({exc.strerror}); choose another --db") from None
    if not head:
        return
    at, magic = _DUCKDB_MAGIC
    if head[at:at + len(magic)] != magic:
        raise BuildError(f"{db}: exists and is not a DuckDB database; refusing to overwrite it "
                         "(remove it or choose another --db)")
    import duckdb

    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            ours = con.execute("SELECT count(*) FROM information_schema.tables "
                               "WHERE table_name = 'build_info'").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return  # a damaged or older DuckDB file of ours: the build replaces it
    if not ours or not ours[0]:
        raise BuildError(f"{db}: a DuckDB database that bluehelmet did not build; refusing to overwrite it "
                         "(remove it or choose another --db)")


class _BuildLock:
    """``<db>.lock`` held (flock) for a build: a second build of the same database refuses at
    once instead of racing the first (the last to finish would win, silently). The file
    goes when the build ends; a build that finds the file it locked already unlinked (the
    holder just finished) locks the new one, so the removal cannot let two builds in."""

    def __init__(self, db: Path) -> None:
        import fcntl

        self.path = db.with_name(db.name + ".lock")
        while True:
            fh = self.path.open("a+")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                who = fh.read().strip()[:20]
                fh.close()
                raise BuildError(f"{db}: another build of this database is running"
                                 + (f" (process {who})" if who.isdigit() else "") + "; wait for it to finish") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fh.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            fh.close()
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self.fh: IO[str] = fh

    def release(self) -> None:
        self.path.unlink(missing_ok=True)  # before letting go: a waiter then sees a new file
        self.fh.close()


def _clean_stale(db: Path) -> None:
    import glob

    # the name may hold glob characters ("[a].duckdb"): escaped, or its temp files never match
    for p in db.parent.glob(glob.escape(db.name) + ".building-*"):
        pid = p.name.rsplit("-", 1)[-1].split(".")[0]
        try:
            os.kill(int(pid), 0)
        except (ValueError, ProcessLookupError):
            p.unlink(missing_ok=True)
        except PermissionError:
            pass


def build(sources: Path, db: Path, *, force: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """Build the database at ``db`` from the raw files in ``sources``.

    >>> report = build(Path("../shared/data"), Path("/tmp/bh.duckdb"))  # doctest: +SKIP
    >>> report.rows[0] == report.rows[1] + report.rows[2]                # doctest: +SKIP
    True
    """
    started = time.perf_counter()
    say = progress or (lambda *_: None)
    sources, db = Path(sources), Path(db)
    layouts, skipped, refused = discover(sources)
    say("checksums", 0, 1)
    # hashlib lets go of the GIL on large buffers: two threads hash on both cores
    from concurrent.futures import ThreadPoolExecutor

    paths = [p for _, files in layouts for p in files]
    with ThreadPoolExecutor(max_workers=2) as pool:
        hashes: dict[Path, str] = dict(zip(paths, pool.map(sha256_of, paths)))
    code = _code_digest()
    fingerprint = _fingerprint([(p.relative_to(sources).as_posix(), d) for p, d in hashes.items()], code)
    _clean_stale(db)  # a killed build's temp file goes even when nothing else has to
    ours = None  # the stamp of the database found at db, if it holds a fingerprint
    if not force:
        # one opening of the old database: its fingerprint, and if that matches, the report
        stamp = _stamp(db)
        existing = _open_existing(db)
        if existing is not None:
            try:
                found = _fingerprint_of(existing)
                if found == fingerprint:
                    report = BuildReport(db, True, time.perf_counter() - started, skipped=skipped, refused=refused)
                    _read_report(existing, report)
                    return report
            finally:
                existing.close()
            if found is not None:
                ours = stamp

    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f"{db.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    lock = _BuildLock(db)
    try:
        _check_target(db, ours)  # what is there now, under the lock
        report = BuildReport(db, False, 0.0, skipped=skipped, refused=refused)
        _build_into(tmp, sources, layouts, hashes, fingerprint, code, say, report)
        os.replace(tmp, db)
    except BluehelmetError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:  # a bug or an environment failure: still one line for the user
        tmp.unlink(missing_ok=True)
        raise BuildError(f"build failed ({type(exc).__name__}: {exc}); previous database kept") from exc
    finally:
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _build_into(tmp: Path, sources: Path, layouts: list[tuple["Layout", list[Path]]], hashes: dict[Path, str],
                fingerprint: str, code: str, say: Progress, report: BuildReport) -> None:
    import duckdb

    from .domain import Context
    from .reconcile import reconcile
    from .reference import country_index
    from .sources.registry import domain_of, domains
    from .store import read_cache, writer

    # Work in memory and write the file once at the end: inserting into a file-backed
    # database pays for its write-ahead log and checkpoints on every step. One DuckDB
    # thread: the build's statements are many and small (most tables are under one row
    # group, which DuckDB does not split), so a second thread mostly costs coordination
    # (a warm build took 18% more CPU with two, and no less time); the second core is
    # the readers' (each runs its statements on its own thread).
    con = duckdb.connect(":memory:", config={"threads": 1})
    try:
        writer.create(con)
        writer.write_reference(con)
        declared = {t for d in domains() for t in d.owns}
        ctx = Context(country_index(), con)
        problems: list[Problem] = []
        findings: list[Finding] = []
        registered: list[tuple[SourceFile, str, int]] = []
        plans: list[tuple[Layout, list[SourceFile]]] = []
        next_id = 1
        for layout, paths in layouts:
            files = []
            for p in paths:
                files.append(SourceFile(next_id, p, p.relative_to(sources).as_posix(), hashes[p],
                                        p.stat().st_size, layout.name, layout.producer, layout.citation))
                next_id += 1
            plans.append((layout, files))

        total = len(plans)
        steps = _Steps(say, total)

        entries = [read_cache.key(layout, files, code) for layout, files in plans]

        def read(step: int, layout: Layout, files: list[SourceFile]) -> LayoutResult:
            entry = entries[step]
            kept = read_cache.load(entry, files)
            if kept is not None:
                result, spellings = kept
            else:
                # each reader gets its own cursor: a DuckDB connection is not shared across threads
                cursor = con.cursor()
                spellings = []
                try:
                    result = layout.read(files, ctx.on(cursor, steps.reader(step, layout.name), spellings))
                finally:
                    cursor.close()
                result.problems = _with_raw_lines(result.problems, files)
                read_cache.save(entry, result, spellings)
            ctx.spellings.extend(spellings)
            return result

        # Reading (parsing, much of it in C without the GIL) runs on a second core while this
        # thread writes what has been read; writes keep the layouts' order, so the database
        # does not depend on timing. Layouts to parse start first, the biggest first (the
        # last one to finish decides when the build can go on); cached ones, which take
        # milliseconds, follow in the order this thread writes them.
        from concurrent.futures import Future, ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=2)
        cached = [read_cache.has(e) for e in entries]
        order = sorted(range(len(plans)), key=lambda i: (cached[i], 0 if cached[i] else
                                                          -sum(sf.size for sf in plans[i][1]), i))
        started: dict[int, Future[LayoutResult]] = {i: pool.submit(read, i, *plans[i]) for i in order}
        futures = [started[i] for i in range(len(plans))]
        try:
            for step, ((layout, files), future) in enumerate(zip(plans, futures)):
                steps.at(step, layout.name)
                result = future.result()
                write = domain_of(layout).write or writer.write_table
                write(con, result, layout)
                writer.write_extra(con, result, declared)
                by_file: dict[int, int] = {}
                for q in result.problems:
                    by_file[q.source_id] = by_file.get(q.source_id, 0) + 1
                for sf in files:
                    sf.rows_quarantined = by_file.get(sf.source_id, 0)
                    if sf.rows_read != sf.rows_loaded + sf.rows_empty + sf.rows_quarantined:
                        raise BuildError(f"{sf.relpath}: rows read ({sf.rows_read}) != loaded ({sf.rows_loaded}) "
                                         f"+ empty ({sf.rows_empty}) + quarantined ({sf.rows_quarantined}); "
                                         "this is a bug")
                    registered.append((sf, layout.target, layout.precedence))
                problems += result.problems
                findings += result.findings
        finally:  # on an error, readers not yet started are not started
            pool.shutdown(wait=True, cancel_futures=True)
        say("resolving", total, total)
        writer.write_sources(con, registered)
        for domain in domains():
            if domain.derive:
                domain.derive(con, findings)
        say("reconciling", total, total)
        reconcile(con, findings)
        writer.write_problems(con, problems, findings)
        writer.write_spellings(con, ctx.spellings)
        con.executemany("INSERT INTO build_info VALUES (?, ?)", [
            ["fingerprint", fingerprint], ["version", __version__],
            ["schema_version", str(SCHEMA_VERSION)], ["sources", str(sources.resolve())],
            ["built_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())]])
        # the pages' summaries read the finished tables (and build_info, as any reader does)
        from .store.summaries import write_summaries

        write_summaries(con)
        con.execute(f"ATTACH '{tmp.as_posix().replace(chr(39), chr(39) * 2)}' AS out")
        con.execute("COPY FROM DATABASE memory TO out")
        con.execute("DETACH out")
        _read_report(con, report)  # what was just copied: the file need not be opened again
    finally:
        con.close()


class _Steps:
    """The progress of reading: one step per layout, and within the step the main thread
    is waiting on, the files its reader has done (a cold build parses the PDFs for half a
    minute inside one layout). Readers report from their worker threads; a lock keeps the
    callback to one caller at a time, and a reader ahead of the main thread is shown once
    the main thread reaches its step."""

    SCALE = 1000  # progress units per step

    def __init__(self, say: Progress, total: int) -> None:
        self.say, self.total = say, total
        self.lock = threading.Lock()
        self.current = -1
        self.files: dict[int, tuple[int, int]] = {}  # step -> (files done, files)

    def _show(self, step: int, name: str) -> None:
        done, n = self.files.get(step, (0, 0))
        what = f"reading {name}" + (f" ({done}/{n} files)" if n > 1 and done < n else "")
        within = done * self.SCALE // n if n else 0
        self.say(what, step * self.SCALE + within, self.total * self.SCALE)

    def at(self, step: int, name: str) -> None:
        with self.lock:
            self.current = step
            self._show(step, name)

    def reader(self, step: int, name: str) -> Callable[[int, int], None]:
        def report(done: int, n: int) -> None:
            with self.lock:
                self.files[step] = (done, n)
                if step == self.current:
                    self._show(step, name)
        return report


def _with_raw_lines(problems: list[Problem], files: list[SourceFile]) -> list[Problem]:
    """Give every quarantined CSV row its text exactly as the file has it: nothing is lost."""
    import dataclasses

    by_id = {sf.source_id: sf for sf in files if sf.path.name.lower().endswith(".csv")}  # ".csv" has no suffix
    lines: dict[int, list[bytes]] = {}
    out = []
    for p in problems:
        sf = by_id.get(p.source_id)
        if sf is not None and p.line and p.line > 0:
            if p.source_id not in lines:
                lines[p.source_id] = sf.path.read_bytes().split(b"\n")
            text = lines[p.source_id]
            if p.line <= len(text):
                try:
                    p = dataclasses.replace(p, raw=text[p.line - 1].rstrip(b"\r").decode("utf-8")[:500])
                except UnicodeDecodeError:
                    pass  # an encoding problem already carries the line, read as latin-1
        out.append(p)
    return out


def _read_report(con: "duckdb.DuckDBPyConnection", report: BuildReport) -> None:
    """The report's files, findings and reconciliation from a built database."""
    report.files = [FileReport(*r) for r in con.execute(
        "SELECT relpath, layout, rows_read, rows_loaded, rows_empty, rows_quarantined, sha256 FROM source_file "
        "ORDER BY source_id").fetchall()]
    report.findings = [Finding(*r) for r in con.execute(
        "SELECT source_id, kind, message, count FROM finding").fetchall()]
    cols = ["check_name", "label_a", "label_b", "months", "cells", "differing", "abs_diff", "max_abs_diff",
            "first_month", "last_month", "explanation"]
    report.reconciliation = [dict(zip(cols, r)) for r in con.execute(
        f"SELECT {', '.join(cols)} FROM reconciliation_summary ORDER BY check_name, label_a, label_b").fetchall()]
