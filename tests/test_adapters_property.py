"""Property tests over the adapters: real rows, mutated, never crash the build.

Rows are taken at test time from the real IPI files under ../shared/data (nothing is
copied into the repository) and mutated by hypothesis: other encodings, separators and
line ends, stray quotes, huge and negative numbers, a BOM, renamed and reordered columns,
blank lines. For every mutation the build either loads the file with every row accounted
for (read = loaded + empty + quarantined, read = the data lines) or refuses it in one line
naming the file, and never raises anything but the library's own errors. Reordered
columns load the same figures as the original.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bluehelmet.builder import build
from bluehelmet.errors import BluehelmetError

pytestmark = pytest.mark.data

GENDER = "ipi/tcc-datascraper/Gender.Full.csv"
COUNTRY = "ipi/tcc-datascraper/countries/Ghana.csv"


def _rows(sources: Path, rel: str, n: int) -> list[list[str]]:
    with (sources / rel).open(encoding="utf-8", newline="") as fh:
        return [r for _, r in zip(range(n + 1), csv.reader(fh))]


def _write(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def mutated(draw, rows: list[list[str]]) -> tuple[str, bytes, bool]:
    """(what was done, the file's bytes, whether the figures must equal the original's)."""
    header, body = rows[0], [list(r) for r in rows[1:]]
    kind = draw(st.sampled_from(["latin1", "separator_row", "separator_file", "quote", "number", "bom", "rename",
                                 "reorder", "crlf", "blank_lines", "spaces", "truncate", "duplicate"]))
    i = draw(st.integers(0, len(body) - 1))
    numeric = [j for j, v in enumerate(body[i]) if v.isdigit()]
    same = False
    if kind == "latin1":
        data = _write([header, *body])
        lines = data.split(b"\n")
        lines[i + 1] = lines[i + 1].replace(b",", "é,".encode("latin-1"), 1)
        return kind, b"\n".join(lines), same
    if kind == "separator_row":
        data = _write([header, *body]).split(b"\n")
        data[i + 1] = data[i + 1].replace(b",", draw(st.sampled_from([b";", b"\t", b"|"])))
        return kind, b"\n".join(data), same
    if kind == "separator_file":
        return kind, _write([header, *body]).replace(b",", b";"), same
    if kind == "quote":
        data = _write([header, *body]).split(b"\n")
        at = draw(st.integers(0, max(0, len(data[i + 1]) - 1)))
        data[i + 1] = data[i + 1][:at] + b'"' + data[i + 1][at:]
        return kind, b"\n".join(data), same
    if kind == "number" and numeric:
        j = draw(st.sampled_from(numeric))
        body[i][j] = draw(st.sampled_from(["-1", "-99999", "1" + "0" * draw(st.integers(15, 40)), "1e9", "0x1F",
                                           "١٢", "12 ", " 12", "+5", "5.", ".5", "NaN", "inf"]))
        return kind, _write([header, *body]), same
    if kind == "bom":
        return kind, b"\xef\xbb\xbf" + _write([header, *body]), True
    if kind == "rename":
        j = draw(st.integers(0, len(header) - 1))
        header = [h if k != j else h + "_renamed" for k, h in enumerate(header)]
        return kind, _write([header, *body]), same
    if kind == "reorder":
        order = draw(st.permutations(list(range(len(header)))))
        return kind, _write([[r[k] for k in order] for r in [header, *body]]), True
    if kind == "crlf":
        return kind, _write([header, *body]).replace(b"\n", b"\r\n"), True
    if kind == "blank_lines":
        return kind, _write([header, *body]).replace(b"\n", b"\n\n", draw(st.integers(1, 5))), True
    if kind == "spaces":
        body[i] = [f" {v} " for v in body[i]]
        return kind, _write([header, *body]), same
    if kind == "truncate":
        data = _write([header, *body])
        return kind, data[: draw(st.integers(len(data) // 2, len(data) - 1))], same
    body.append(list(body[i]))  # duplicate
    return "duplicate", _write([header, *body]), same


def _data_lines(data: bytes) -> int:
    return sum(1 for ln in data.split(b"\n")[1:] if ln.strip(b"\r").strip())


def _check(sources: Path, rel: str, data: bytes, same: bool, original: int | None, tmp: Path) -> int | None:
    root = tmp / "src"
    shutil.rmtree(root, ignore_errors=True)
    (root / rel).parent.mkdir(parents=True)
    (root / rel).write_bytes(data)
    db = tmp / "db.duckdb"
    db.unlink(missing_ok=True)
    try:
        report = build(root, db)
    except BluehelmetError as exc:  # refused: one line naming the file
        assert "\n" not in str(exc) and rel in str(exc), str(exc)
        assert not same, f"a harmless change was refused: {exc}"
        return None
    [f] = [f for f in report.files if f.relpath == rel]
    assert f.rows_read == f.rows_loaded + f.rows_empty + f.rows_quarantined
    assert f.rows_read == _data_lines(data)
    con = duckdb.connect(str(db), read_only=True)
    try:
        (total,) = con.execute("SELECT coalesce(sum(total), 0) FROM (SELECT total FROM personnel "
                               "UNION ALL SELECT total FROM personnel_contributor)").fetchone()
        (quarantined,) = con.execute("SELECT count(*) FROM quarantine").fetchone()
    finally:
        con.close()
    assert quarantined == f.rows_quarantined
    if same and original is not None:
        assert total == original and f.rows_quarantined == 0
    return int(total)


@pytest.mark.parametrize("rel", [GENDER, COUNTRY])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_real_rows_never_crash_and_every_row_is_accounted_for(sources, tmp_path, rel, data):
    rows = _rows(sources, rel, 25)
    original = _check(sources, rel, _write(rows), True, None, tmp_path)
    kind, content, same = data.draw(mutated(rows), label="mutation")
    _check(sources, rel, content, same, original, tmp_path)
