"""What every source adapter shares: provenance, problems as records, and the CSV reader.

An adapter turns raw files (never modified) into one wide Arrow table per layout whose
columns have canonical names, plus the rows it could not load, each with file, line,
column and reason. Validation is vectorised (pyarrow compute) because the budget for a
full build is about a second; only the rare bad rows are looked at one by one.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import SourceLayoutError, SourceReadError
from ..months import month_spans

if TYPE_CHECKING:
    import duckdb
from ..reference.attribution import Attribution
from ..reference.countries import CountryIndex
from ..records import Finding, LayoutResult, Problem, SourceFile, sha256_of

__all__ = [
    "SourceFile",
    "Problem",
    "Finding",
    "LayoutResult",
    "Column",
    "sha256_of",
    "header_key",
    "read_csv_strings",
    "records_to_strings",
    "validate",
    "strip_stray_quotes",
    "resolve_countries",
    "attribute",
    "Attributor",
    "read_files",
    "with_constants",
    "quarantine_duplicates",
]

NA_TOKENS = ("NA", "", "NaN", "nan", "None")


@dataclass(frozen=True)
class Column:
    """A canonical column: the source headers that may carry it and what it must hold."""

    name: str
    headers: tuple[str, ...]  # header_key() spellings
    kind: str  # date | count | text | name | number
    required: bool = True


def header_key(header: str) -> str:
    """``"Contributor ISO-3"`` and ``"Contributor_ISO-3"`` both give ``contributor_iso_3``."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().strip('"').casefold()).strip("_")


#: the longest line a source row may have: real rows are under 2 KB; a longer line is
#: quarantined before the CSV reader, whose blocks it would straddle (a 10 MB line once
#: stopped the whole build with "straddling object straddles two block boundaries")
MAX_LINE_BYTES = 1_000_000


def _decode_lines(sf: SourceFile, data: bytes, problems: list[Problem]) -> bytes:
    """Drop (and quarantine) the lines no row can be read from: bytes that are not UTF-8, a
    line over :data:`MAX_LINE_BYTES`, a quote left open at the line end (an unmatched quote,
    or a quoted field running over a line break: both halves). The rest stays byte-identical
    and blanked lines keep their place, so every later line number stays true."""
    quote_seen = b'"' in data
    long_seen = len(data) > MAX_LINE_BYTES
    try:
        data.decode("utf-8")
        if not quote_seen and not long_seen:
            return data
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    good: list[bytes] = []
    changed = False
    # a last line with no line end was cut off: that is what its problem says (read_csv_strings)
    cut = len(lines) if not data.endswith(b"\n") else 0
    for i, line in enumerate(lines, start=1):
        why, column, shown = _unreadable(line, quotes=i != cut)
        if why is None:
            good.append(line)
            continue
        if i == 1:
            raise SourceReadError(f"{sf.relpath}: line 1 (the header): {why}")
        problems.append(Problem(sf.source_id, i, f"#{column}", why, shown))
        good.append(b"")  # keep the line count so later line numbers stay true
        changed = True
    return b"\n".join(good) if changed else data


def _unreadable(line: bytes, quotes: bool = True) -> tuple[str | None, int, str]:
    """Why no row can be read from this line (None if one can), the 1-based field, the text."""
    if len(line) > MAX_LINE_BYTES:
        return (f"a line of {len(line):,} bytes; rows are at most {MAX_LINE_BYTES:,}", 1,
                line[:200].decode("utf-8", "replace"))
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"not UTF-8 text (byte 0x{line[exc.start]:02x} at offset {exc.start})",
                line[: exc.start].count(b",") + 1, line.decode("latin-1")[:200])
    if quotes and text.count('"') % 2:  # "" inside a quoted field counts twice: an odd count is an open quote
        at = text.rfind('"')
        return ("a quote left open at the line end (an unmatched quote, or a line break inside a quoted field)",
                text[:at].count(",") + 1, text[:200])
    return None, 0, ""


def read_csv_strings(sf: SourceFile, columns: Sequence[Column],
                     data: bytes | None = None) -> tuple[pa.Table, list[Problem]]:
    """Read a CSV as strings with a ``line`` column, mapping headers to canonical names.

    Lines that cannot be parsed (wrong number of fields, a truncated last row, bytes that
    are not UTF-8) come back as problems; nothing is dropped without one.
    """
    if data is None:
        try:
            data = sf.path.read_bytes()
        except OSError as exc:
            raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    problems: list[Problem] = []
    data = _decode_lines(sf, data, problems)
    first = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not first.strip():
        raise SourceReadError(f"{sf.relpath}: line 1: empty file, expected a header row")
    headers = next(csv.reader([first]))
    mapping = _map_headers(sf, headers, columns)
    ncols = len(headers)

    bad_rows: list[tuple[int | None, str, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append((row.number, row.text, row.actual_columns))
        return "skip"

    names = [f"c{i}" for i in range(ncols)]
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
        parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]),
    )
    # One record per physical line is what these sources write; line numbers follow.
    lines = data.split(b"\n")
    physical = [i for i, ln in enumerate(lines[1:], start=2) if ln.strip(b"\r")]
    blank_decoded = {p.line for p in problems}
    physical = [i for i in physical if i not in blank_decoded]
    bad_lines: set[int] = set()
    for number, text, actual in bad_rows:
        line = number if number is not None else -1
        if line == -1:  # pyarrow could not tell; find the physical line by its text
            for i in physical:
                if i not in bad_lines and lines[i - 1].decode("utf-8").rstrip("\r") == text:
                    line = i
                    break
        bad_lines.add(line)
        problems.append(Problem(sf.source_id, line, f"#{min(actual, ncols) + (actual < ncols)}",
                                f"expected {ncols} fields, found {actual}"
                                + (" (truncated row?)" if actual < ncols else ""), text[:200]))
    good_lines = [i for i in physical if i not in bad_lines]
    if len(good_lines) != table.num_rows:
        raise SourceReadError(f"{sf.relpath}: rows span several lines; cannot number them "
                              f"({table.num_rows} records, {len(good_lines)} lines)")
    # Every source file ends its last line; one that does not was cut off, possibly inside
    # its last number, which would still parse (",1958" -> ",19"). Such a row is not trusted.
    if good_lines and not data.endswith(b"\n") and good_lines[-1] == physical[-1]:
        last = good_lines.pop()
        table = table.slice(0, table.num_rows - 1)
        problems.append(Problem(sf.source_id, last, f"#{ncols}",
                                "last line has no line end: the file looks truncated",
                                lines[last - 1].decode("utf-8", "replace")[:200]))
    arrays = [pa.array(good_lines, pa.int32())]
    fields = [pa.field("line", pa.int32())]
    for col in columns:
        idx = mapping.get(col.name)
        arrays.append(table.column(idx) if idx is not None else pa.nulls(table.num_rows, pa.string()))
        # the header as written travels with the column, so problems can name it
        fields.append(pa.field(col.name, pa.string(),
                               metadata={"header": headers[idx] if idx is not None else col.headers[0] if col.headers else col.name}))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields)), problems


def header_of(table: pa.Table, column: str, default: str) -> str:
    """The source's own spelling of a canonical column (set by ``read_csv_strings``)."""
    meta = table.schema.field(column).metadata or {}
    header: bytes = meta.get(b"header", default.encode())  # pyarrow is untyped: its metadata is bytes -> bytes
    return header.decode()


def row_text(table: pa.Table, i: int) -> str:
    """A quarantined row's values, comma-joined, for the ``raw`` column (one row: for many,
    ``bad_rows``)."""
    return bad_rows(table, [i])[0][1]


def bad_rows(table: pa.Table, indices: Sequence[int] | pa.Array) -> list[tuple[dict[str, Any], str]]:
    """The rows at ``indices``, each as a dict and as its ``raw`` text (values comma-joined),
    taken in one pass: a cell at a time walks the column's chunks, which made quarantining
    quadratic (2.5 million bad rows stalled a build for more than ten minutes)."""
    rows = table.take(pa.array(indices, pa.int64()) if not isinstance(indices, pa.Array) else indices).to_pylist()
    return [(r, ",".join("" if v is None else str(v) for c, v in r.items() if c not in ("line", "source_id"))[:200])
            for r in rows]


def _map_headers(sf: SourceFile, headers: list[str], columns: Sequence[Column]) -> dict[str, int]:
    keys = [header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    missing: list[str] = []
    for col in columns:
        idx = next((keys.index(h) for h in col.headers if h in keys), None)
        if idx is None:
            if col.required:
                missing.append(col.headers[0])
        else:
            mapping[col.name] = idx
    if missing:
        raise SourceLayoutError(sf.relpath, f"{sf.layout} columns {', '.join(missing)}",
                                "columns " + ", ".join(h for h in headers[:12])
                                + (", ..." if len(headers) > 12 else ""))
    return mapping


def read_files(files: Sequence[SourceFile], columns: Sequence[Column],
               constants: dict[str, Callable[[SourceFile], str]] | None = None,
               ) -> tuple[pa.Table, list[Problem]]:
    """Read every file of a layout into one string table with ``source_id`` and ``line``.

    ``constants`` adds columns whose value comes from the file, not its rows (e.g. the
    contributor named by a file name). Sets each file's ``rows_read``.
    """
    problems: list[Problem] = []
    parts = []
    for sf in files:
        raw, bad = read_csv_strings(sf, columns)
        problems += bad
        sf.rows_read = raw.num_rows + len(bad)
        parts.append(with_constants(raw, sf, constants))
    return pa.concat_tables(parts), problems


def with_constants(raw: pa.Table, sf: SourceFile,
                   constants: dict[str, Callable[[SourceFile], str]] | None = None) -> pa.Table:
    raw = raw.append_column("source_id", pa.array([sf.source_id] * raw.num_rows, pa.int32()))
    for name, fn in (constants or {}).items():
        raw = raw.append_column(name, pa.array([fn(sf)] * raw.num_rows, pa.string()))
    return raw


def records_to_strings(records: list[dict[str, object]], columns: Sequence[Column]) -> pa.Table:
    """JSON records as the same string table ``read_csv_strings`` gives (line = record no.).

    A release spells each key one way (``cont_date`` or ``date``), so the spelling is
    chosen once per file; a record without the key has nothing to report for it.
    """
    present: set[str] = set().union(*records) if records else set()
    out = {"line": pa.array(range(1, len(records) + 1), pa.int32())}
    for col in columns:
        key = next((h for h in col.headers if h in present), None)
        values = [rec.get(key) for rec in records] if key else [None] * len(records)
        try:
            arr = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: let validation judge the text
            arr = pa.array([None if v is None else str(v) for v in values], pa.string())
        if pa.types.is_boolean(arr.type):
            arr = pc.if_else(arr, "1", "0")
        out[col.name] = arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string())
    return pa.table(out)


# Dates are of the years 1900-2099 with a real month and day; a count has at most 15 digits
# (far above any head count, far below int64's 19): "2013-13-31" or 23 nines once stopped the
# whole build at the cast instead of quarantining one row.
_PATTERNS = {
    "date": r"^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T00:00:00)?$"
            r"|^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])T\d{6}$",
    "count": r"^\d{1,15}$",
    "number": r"^-?\d{1,15}(\.\d*)?$",
}
_REASONS = {
    "date": "not a date (YYYY-MM-DD, 1900-2099)",
    "count": "not a whole number",
    "number": "not a number (at most 15 digits before the point)",
}


def validate(table: pa.Table, columns: Sequence[Column]) -> tuple[pa.Table, list[Problem]]:
    """Check every cell against its column's kind; return the good rows, typed, and problems.

    Counts become int64 (``NA`` and blanks are nulls: not reported), dates date32 of the
    month's first day, numbers float64.
    """
    n = table.num_rows
    first_bad = pa.nulls(n, pa.string())
    first_reason = pa.nulls(n, pa.string())
    typed: dict[str, pa.Array] = {}
    na = pa.array(NA_TOKENS)
    for col in columns:
        if col.kind not in _PATTERNS and col.kind != "name":
            continue
        values = table.column(col.name)
        missing = pc.or_(pc.is_null(values), pc.is_in(values, na))
        if col.kind == "name":
            bad = missing if col.required else pa.array([False] * n)
            reason = "empty"
        elif col.kind == "count" and (whole := _as_int(values, missing)) is not None:
            # fast path, the usual case: every cell is a whole number or missing
            typed[col.name] = whole
            bad, reason = pc.less(whole, 0), "negative count"
        else:
            ok = pc.match_substring_regex(values, _PATTERNS[col.kind])
            bad = pc.and_(pc.invert(missing), pc.invert(ok))
            if col.kind == "date" and col.required:
                bad = pc.or_(bad, missing)
            reason = _REASONS[col.kind]
            if col.kind == "count":
                for pattern, why in ((r"^-\d+$", "negative count"),
                                     (r"^\d{16,}$", "a count out of range (more than 15 digits)")):
                    hit = pc.fill_null(pc.match_substring_regex(values, pattern), False)
                    first_reason = pc.if_else(pc.and_(pc.is_null(first_bad), hit),
                                              pa.scalar(why, pa.string()), first_reason)
        bad = pc.fill_null(bad, False)
        take = pc.and_(bad, pc.is_null(first_bad))
        first_bad = pc.if_else(take, pa.scalar(col.name, pa.string()), first_bad)
        first_reason = pc.if_else(pc.and_(take, pc.is_null(first_reason)),
                                  pa.scalar(reason, pa.string()), first_reason)
    bad_mask = pc.is_valid(first_bad)
    problems: list[Problem] = []
    if pc.any(bad_mask).as_py():
        idx = pc.indices_nonzero(bad_mask)
        headers = {c.name: header_of(table, c.name, c.headers[0] if c.headers else c.name) for c in columns}
        for (row, raw), col, why in zip(bad_rows(table, idx), first_bad.take(idx).to_pylist(),
                                        first_reason.take(idx).to_pylist()):
            problems.append(Problem(row["source_id"], row["line"], headers[col], f"{why}: {row[col]!r}", raw))
        keep = pc.invert(bad_mask)
        table = table.filter(keep)
        typed = {k: v.filter(keep) for k, v in typed.items()}
    return _typed(table, columns, typed), problems


def _as_int(values: pa.ChunkedArray, missing: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column as int64 if every non-missing cell is a plain integer of at most 15 digits
    (as the pattern has it), else None: the cells are then judged one by one."""
    try:
        whole = pc.cast(pc.if_else(missing, pa.scalar(None, pa.string()), values), pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    top = pc.max(pc.abs(whole)).as_py()
    return None if top is not None and top >= 10 ** 15 else whole


def _typed(table: pa.Table, columns: Sequence[Column], done: dict[str, pa.Array]) -> pa.Table:
    out = {name: table.column(name) for name in table.column_names}
    out.update(done)
    na = pa.array(NA_TOKENS)
    for col in columns:
        if col.name in done:
            continue
        values = table.column(col.name)
        if col.kind in ("count", "number"):
            missing = pc.or_(pc.is_null(values), pc.is_in(values, na))
            cleaned = pc.if_else(missing, pa.scalar(None, pa.string()), values)
            out[col.name] = pc.cast(cleaned, pa.int64() if col.kind == "count" else pa.float64())
        elif col.kind == "date":
            day = pc.utf8_slice_codeunits(pc.replace_substring_regex(values, r"^(\d{4})(\d{2})(\d{2})T.*",
                                                                     r"\1-\2-\3"), 0, 7)
            out[col.name] = pc.cast(pc.binary_join_element_wise(day, "01", "-"), pa.date32())
    return pa.table(out)


def strip_stray_quotes(table: pa.Table, column: str, findings: list[Finding], label: str) -> pa.Table:
    """Remove a trailing ``'`` (an IPI export defect) and report how often per file, and
    in which months when the table has a (typed) ``date`` column."""
    values = table.column(column)
    hit = pc.fill_null(pc.ends_with(values, "'"), False)
    if not pc.any(hit).as_py():
        return table
    dated = "date" in table.column_names and pa.types.is_date(table.schema.field("date").type)
    hits = table.filter(hit).select(["source_id", "date"] if dated else ["source_id"])
    counts: dict[int, int] = {}
    months: dict[int, set[date]] = {}
    for sid, k in zip(*hits.group_by("source_id").aggregate([("source_id", "count")]).to_pydict().values()):
        counts[sid] = k
    if dated:
        for sid, d in zip(*hits.group_by(["source_id", "date"]).aggregate([]).to_pydict().values()):
            if d is not None:
                months.setdefault(sid, set()).add(d)
    for sid, k in counts.items():
        when = f" in the rows of {month_spans(months[sid])}" if sid in months else ""
        findings.append(Finding(sid, "stray_quote", f"{k} {label} values ended in a stray \"'\"{when}; removed", k))
    return table.set_column(table.column_names.index(column), column, pc.utf8_rtrim(values, "'"))


def resolve_countries(table: pa.Table, name_col: str, iso_col: str | None, out_col: str,
                      index: CountryIndex, header: str,
                      findings: list[Finding], passthrough: Iterable[str] = ("all",),
                      spellings: list[tuple[str, str, int]] | None = None,
                      layout: str | None = None, month_col: str | None = None,
                      ) -> tuple[pa.Table, list[Problem]]:
    """Add ``out_col`` with ISO3 codes; rows whose country is unknown become problems.

    ``spellings`` collects (spelling, ISO3, source_id) for every name met and resolved.
    With ``layout`` and ``month_col`` (monthly rows), each row is then attributed to the
    state that existed at its month's end (:func:`attribute`: the Russian Federation's
    1990-12 row is the Soviet Union's).

    The ISO3 column wins when it is a known code; the name must then agree, or the
    disagreement is reported. ``passthrough`` values (IPI's ``all`` aggregate rows) are kept.
    """
    names = table.column(name_col)
    isos = table.column(iso_col) if iso_col else pa.nulls(table.num_rows, pa.string())
    # one lookup per distinct (name, iso3) pair, not per row
    pairs = pc.binary_join_element_wise(pc.fill_null(names, ""), pc.fill_null(isos, ""), "\x1f")
    uniq = pc.unique(pairs)
    resolved: list[str | None] = []
    notes: dict[tuple[str, str], str] = {}
    for item in uniq.to_pylist():
        name, iso = item.split("\x1f")
        if name in passthrough or iso in passthrough:
            resolved.append("all")
            continue
        by_name = index.resolve(name) if name else None
        by_iso = iso.upper() if iso and iso.upper() in index.countries else None
        if by_iso and by_name and by_iso != by_name:
            notes[(name, iso)] = f"name {name!r} means {by_name} but ISO3 column says {by_iso}; used {by_iso}"
        resolved.append(by_iso or by_name)
    key = pc.index_in(pairs, value_set=uniq)
    codes = pc.take(pa.array(resolved, pa.string()), key)
    problems: list[Problem] = []
    unknown = pc.is_null(codes)
    if pc.any(unknown).as_py():
        suggestions: dict[str, list[str]] = {}
        idx = pc.indices_nonzero(unknown)
        for (row, raw), name in zip(bad_rows(table, idx), names.take(idx).to_pylist()):
            name = name or ""
            if name not in suggestions:
                suggestions[name] = index.suggest(name)
            hint = f" (closest: {', '.join(suggestions[name])})" if suggestions[name] else ""
            problems.append(Problem(row["source_id"], row["line"], header, f"unknown country {name!r}{hint}", raw))
    for (name, iso), msg in notes.items():
        findings.append(Finding(None, "country_mismatch", msg))
    table = table.append_column(out_col, codes).filter(pc.invert(unknown))
    if spellings is not None:  # what each spelling means, before any row is attributed by date
        met = table.select([name_col, out_col, "source_id"]).group_by([name_col, out_col, "source_id"]).aggregate([])
        spellings.extend((n, c, sid) for n, c, sid in zip(*met.to_pydict().values()) if n and c != "all")
    if layout is not None and month_col is not None:
        table = attribute(table, out_col, month_col, layout, findings, monthly=True)
    return table, problems


class Attributor:
    """Attributes dated rows to the state that existed at their date, by the declared
    ``reference/data/attribution.csv``, and counts what it remapped for the findings.

    The one place where a source's "Russian Federation" of 1990 becomes the Soviet Union:
    :func:`attribute` uses it on a table, row-wise readers (the Data Hub's) call it per row.
    ``monthly``: a row is a month-end headcount, dated by its month's last day.
    """

    def __init__(self, layout: str, monthly: bool) -> None:
        from ..reference.attribution import attributions

        self.layout, self.monthly = layout, monthly
        self.rules = attributions()
        self.codes = self.rules.remapped()
        self._hits: dict[tuple[int, Attribution], list[str]] = {}

    def __call__(self, source_id: int, iso3: str, when: date) -> str:
        if iso3 not in self.codes:
            return iso3
        from ..reference.attribution import month_end

        rule = self.rules.rule(self.layout, iso3, month_end(when) if self.monthly else when.isoformat())
        if rule is None:
            return iso3
        self._hits.setdefault((source_id, rule), []).append(f"{when:%Y-%m}" if self.monthly else when.isoformat())
        return rule.attributed

    def findings(self) -> list[Finding]:
        """One ``attributed`` finding per file and rule: how many rows, of which dates, why."""
        return [Finding(sid, "attributed",
                        f"{len(when)} rows for {rule.iso3} dated {min(when)}..{max(when)} attributed to "
                        f"{rule.attributed}: {rule.why} (reference/data/attribution.csv)", len(when))
                for (sid, rule), when in self._hits.items()]


def attribute(table: pa.Table, code_col: str, date_col: str, layout: str, findings: list[Finding],
              monthly: bool) -> pa.Table:
    """Replace the codes in ``code_col`` that ``reference/data/attribution.csv`` remaps at
    the row's date (:class:`Attributor`), one ``attributed`` finding per file and rule."""
    who = Attributor(layout, monthly)
    if table.num_rows == 0 or not pc.any(pc.is_in(table.column(code_col), pa.array(sorted(who.codes)))).as_py():
        return table
    out = [code if code is None or day is None else who(sid, code, day)
           for code, day, sid in zip(table.column(code_col).to_pylist(), table.column(date_col).to_pylist(),
                                     table.column("source_id").to_pylist())]
    findings += who.findings()
    return table.set_column(table.column_names.index(code_col), code_col, pa.array(out, pa.string()))


def quarantine_duplicates(con: "duckdb.DuckDBPyConnection", table: pa.Table, keys: Sequence[str],
                          header: str, findings: list[Finding],
                          across: Sequence[SourceFile] | None = None) -> tuple[pa.Table, list[Problem]]:
    """Keep the first row of each key; later ones are problems naming it.

    Keys repeat within one file unless ``across`` lists the layout's files: then a key may
    appear once in all of them (two country files naming the same contributor), and the
    reason names the file that holds the first copy.
    """
    group = list(keys if across else ("source_id", *keys))
    counts = table.group_by(group).aggregate([("line", "count")])
    if table.num_rows == 0 or pc.max(counts.column("line_count")).as_py() < 2:
        return table, []  # the usual case, settled without the window query below
    con.register("_dups_in", table)
    partition = ", ".join(group)
    value_cols = [c for c in table.column_names if c not in (*keys, "line", "source_id")]
    same = " AND ".join(f"a.{c} IS NOT DISTINCT FROM b.{c}" for c in value_cols) or "TRUE"
    rows = con.execute(f"""
        WITH d AS (SELECT *, first_value(source_id) OVER w AS first_source,
                          first_value(line) OVER w AS first_line, row_number() OVER w AS k
                   FROM _dups_in WINDOW w AS (PARTITION BY {partition} ORDER BY source_id, line))
        SELECT b.source_id, b.line, b.first_source, b.first_line, {same} AS identical
        FROM d b JOIN _dups_in a ON a.source_id = b.first_source AND a.line = b.first_line
        WHERE b.k > 1 ORDER BY b.source_id, b.line""").fetchall()
    con.unregister("_dups_in")
    if not rows:
        return table, []
    paths = {sf.source_id: sf.relpath for sf in across or ()}
    problems = [Problem(sid, line, header,
                        f"{'duplicate' if same_ else 'conflicting duplicate'} of "
                        + (f"{paths[first_sid]} " if first_sid != sid else "") + f"line {first}")
                for sid, line, first_sid, first, same_ in rows]
    per_file: dict[int, int] = {}
    for p in problems:
        per_file[p.source_id] = per_file.get(p.source_id, 0) + 1
    for sid, k in per_file.items():
        findings.append(Finding(sid, "duplicate_rows", f"{k} rows repeat an earlier row's key; quarantined", k))
    drop = pa.array([(p.source_id << 32) | p.line for p in problems], pa.int64())
    rowkey = pc.add(pc.shift_left(pc.cast(table.column("source_id"), pa.int64()), 32),
                    pc.cast(table.column("line"), pa.int64()))
    return table.filter(pc.invert(pc.is_in(rowkey, drop))), problems
