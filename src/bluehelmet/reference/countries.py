"""Countries: ISO3 key, M49, names, UN region / sub-region / continent, aliases, history.

What a well-kept library knows comes from it: country_converter's table gives ISO3, M49,
short and official names, its name regexes, the UN sub-region and the continents;
pycountry adds ISO names and the historic codes. What they lack is package data:
``aliases.csv`` (spellings met in the sources), ``historical_states.csv`` (validity and
successors) and ``ambiguous_names.csv`` (names a person may mean several countries by).

Two ways in, for two kinds of input:

- :meth:`CountryIndex.lookup` is for what people type (CLI, API, claims, the web): exact
  names, ISO3 codes, M49 numbers and recorded aliases, normalised by :func:`name_key`, and
  nothing else. :meth:`CountryIndex.readings` says when a name is ambiguous.
- :meth:`CountryIndex.resolve` is for the spellings in source files: ``lookup`` first,
  then country_converter's name patterns, whose single match counts (each one is recorded
  as a spelling and reported by the build). Never used on user input.

Unknown names are never guessed: both return ``None`` and :meth:`CountryIndex.suggest`
offers the closest known names for the message.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Country", "CountryIndex", "MAX_NAME", "country_index", "name_key"]

DATA = Path(__file__).with_name("data")

#: the longest name looked up: longer input is refused before any matching (no country
#: name reaches 60 characters; a pattern search over a long string costs CPU for nothing)
MAX_NAME = 200

# country_converter's "continent" says America; the UN M49 region is "Americas".
_REGION = {"America": "Americas"}


@dataclass(frozen=True)
class Country:
    iso3: str
    m49: int | None
    name: str
    official_name: str
    region: str | None  # UN M49 region: Africa, Americas, Asia, Europe, Oceania
    subregion: str | None  # UN M49 sub-region, e.g. Western Africa
    continent: str | None  # seven-continent model: North America, South America, ...
    valid_from: str | None = None
    valid_to: str | None = None
    successors: tuple[str, ...] = ()

    @property
    def historical(self) -> bool:
        return self.valid_to is not None


def name_key(name: str) -> str:
    """Normalise a spelling for lookup: accents, case, punctuation and spacing ignored.

    >>> name_key("Côte d'Ivoire") == name_key("Cote d Ivoire")
    True
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[^0-9a-z]+", " ", s.casefold())
    return " ".join(s.split())


def _coco_table() -> list[dict[str, str]]:
    # Read the library's own table without importing it: importing country_converter
    # imports pandas, which costs a quarter of a second on every start-up.
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("country_converter is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


@dataclass
class CountryIndex:
    """All countries with every spelling that resolves to each."""

    countries: dict[str, Country]
    aliases: dict[str, str]  # name_key -> iso3
    alias_origin: dict[str, str] = field(default_factory=dict)  # name_key -> where it came from
    m49: dict[str, str] = field(default_factory=dict)  # M49 / ISO numeric, unpadded -> iso3
    # name_key -> the countries a person may mean by it (``ambiguous_names.csv``)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # country_converter's name patterns, compiled at their first use: a process that only
    # looks names up (factcheck) never pays the 20 ms of compiling 256 patterns
    _regexes: list[tuple[str, str]] = field(default_factory=list)
    _compiled: list[tuple[re.Pattern[str], str]] | None = field(default=None, repr=False, compare=False)
    _regex_hits: dict[str, str | None] = field(default_factory=dict)

    def lookup(self, name: str) -> str | None:
        """ISO3 for an exact name, recorded alias, ISO3 code or M49 number; ``None``
        otherwise. Case, accents, punctuation and spacing do not matter; nothing else is
        forgiven. Names longer than :data:`MAX_NAME` are ``None`` at once.

        >>> country_index().lookup("russian federation"), country_index().lookup("I hate France")
        ('RUS', None)
        """
        if not name or len(name) > MAX_NAME:
            return None
        code = name.strip().upper()
        if len(code) == 3 and code in self.countries:
            return code
        if code.isascii() and code.isdigit():  # "²" is a digit to str.isdigit, not to int()
            return self.m49.get(str(int(code)))
        return self.aliases.get(name_key(name))

    def readings(self, name: str) -> tuple[str, ...]:
        """The countries a person may mean by an ambiguous name ("Congo": COG and COD), or
        ``()`` when the name is not one of them.

        >>> country_index().readings("Congo")
        ('COD', 'COG')
        """
        return self.ambiguous.get(name_key(name[:MAX_NAME + 1]), ())

    def resolve(self, name: str) -> str | None:
        """ISO3 for a spelling met in a source file; ``None`` if nothing matches.

        :meth:`lookup`, then country_converter's name patterns (a unique match counts).
        Only for source files, whose spellings the build records: user input goes through
        :meth:`lookup`, which never guesses.

        >>> country_index().resolve("Russian Federation")
        'RUS'
        """
        if not name or len(name) > MAX_NAME:
            return None
        hit = self.lookup(name)
        if hit:
            return hit
        key = name_key(name)
        # country_converter's regexes recognise spellings no alias list anticipates;
        # a match must be unique to count, otherwise it is a guess.
        if key in self._regex_hits:
            return self._regex_hits[key]
        if self._compiled is None:
            self._compiled = [(re.compile(rx, re.IGNORECASE), iso3) for rx, iso3 in self._regexes]
        matches = {iso3 for rx, iso3 in self._compiled if rx.search(name)}
        # remembered apart from the alias table, which stays what the package defines:
        # a database must not depend on what an earlier build in the process looked up
        self._regex_hits[key] = matches.pop() if len(matches) == 1 else None
        return self._regex_hits[key]

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """The closest known names, for an "unknown country" message."""
        key = name_key(name[:MAX_NAME])
        names = {c.name: name_key(c.name) for c in self.countries.values()}
        by_key = {v: k for k, v in names.items()}
        close = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
        alias_close = difflib.get_close_matches(key, list(self.aliases), n=n, cutoff=0.75)
        out = [by_key[k] for k in close]
        for k in alias_close:
            nm = self.countries[self.aliases[k]].name
            if nm not in out:
                out.append(nm)
        return out[:n]


def _build() -> CountryIndex:
    import pycountry

    countries: dict[str, Country] = {}
    aliases: dict[str, str] = {}
    origin: dict[str, str] = {}
    regexes: list[tuple[str, str]] = []
    m49: dict[str, str] = {}

    def alias(name: str | None, iso3: str, where: str) -> None:
        if name:
            key = name_key(name)
            if key and key not in aliases:
                aliases[key] = iso3
                origin[key] = where

    for row in _coco_table():
        iso3 = row["ISO3"]
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            continue
        countries[iso3] = Country(
            iso3=iso3,
            m49=_int(row["UNcode"]) or _int(row["ISOnumeric"]),
            name=row["name_short"],
            official_name=row["name_official"] or row["name_short"],
            region=_REGION.get(row["continent"], row["continent"]) or None,
            subregion=row["UNregion"] or None,
            continent=row["Continent_7"] or None,
        )
        for number in (row["UNcode"], row["ISOnumeric"]):
            if (n := _int(number)) is not None:
                m49.setdefault(str(n), iso3)
        alias(row["name_short"], iso3, "country_converter")
        alias(row["name_official"], iso3, "country_converter")
        if row["regex"]:
            regexes.append((row["regex"], iso3))

    for c in pycountry.countries:
        if c.alpha_3 in countries:
            for attr in ("name", "official_name", "common_name"):
                alias(getattr(c, attr, None), c.alpha_3, "pycountry")

    for row in _read_csv("historical_states.csv"):
        iso3 = row["iso3"]
        successors = tuple(s for s in row["successors"].split(";") if s)
        prior = countries.get(iso3)
        first = successors[0] if successors else None
        heir = countries.get(first) if first else None
        countries[iso3] = Country(
            iso3=iso3,
            m49=_int(row["m49"]),
            name=row["name"],
            official_name=row["name"],
            # a dissolved state sits in the region of its (first) successor
            region=(prior.region if prior else None) or (heir.region if heir else None),
            subregion=(prior.subregion if prior else None) or (heir.subregion if heir else None),
            continent=(prior.continent if prior else None) or (heir.continent if heir else None),
            valid_from=row["valid_from"] or None,
            valid_to=row["valid_to"] or None,
            successors=successors,
        )
        alias(row["name"], iso3, "historical_states.csv")
        if (n := _int(row["m49"])) is not None:
            m49[str(n)] = iso3
    for h in pycountry.historic_countries:
        if h.alpha_3 in countries:
            alias(h.name, h.alpha_3, "pycountry historic")

    for row in _read_csv("aliases.csv"):
        if row["iso3"] in countries:
            # package aliases override library ones: they are the decisions we made
            key = name_key(row["alias"])
            aliases[key] = row["iso3"]
            origin[key] = "aliases.csv"
    # Sudan's numeric code before South Sudan's independence (2011-07-09): the same state
    m49.setdefault("736", "SDN")
    ambiguous = {name_key(row["name"]): tuple(sorted(row["readings"].split(";")))
                 for row in _read_csv("ambiguous_names.csv")}
    return CountryIndex(countries, aliases, origin, m49, ambiguous, regexes)


@lru_cache(maxsize=1)
def country_index() -> CountryIndex:
    """The process-wide country index (built once, about 20 ms)."""
    return _build()
