"""Country groups with validity periods; M49 regions, sub-regions, intermediate regions and
continents are groups too.

Political groups (P5, G4, A3, AU, EU, NATO, ASEAN, G77, NAM, OIC, Arab League) come from
the package data ``groups*.csv`` (see ``data/README.md`` for their sources). Geographic
groups are derived from the country table and the M49 hierarchy (``m49_regions.csv``), so
they never disagree with it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .countries import DATA, country_index, name_key

__all__ = ["Group", "Membership", "GroupIndex", "group_index"]


@dataclass(frozen=True)
class Group:
    code: str  # P5, AU, ARAB_LEAGUE, Africa, Western Africa, South America
    name: str
    kind: str  # political | region | subregion | intermediate region | continent
    description: str


@dataclass(frozen=True)
class Membership:
    group: str
    iso3: str
    valid_from: str | None  # ISO date; None = always
    valid_to: str | None
    note: str = ""


# Spellings users type for the political groups.
_GROUP_ALIASES = {
    "permanent five": "P5",
    "permanent members": "P5",
    "p 5": "P5",
    "g 4": "G4",
    "a 3": "A3",
    "african union": "AU",
    "oau": "AU",
    "european union": "EU",
    "arab league": "ARAB_LEAGUE",
    "league of arab states": "ARAB_LEAGUE",
    "non aligned movement": "NAM",
    "group of 77": "G77",
    "g 77": "G77",
    "organisation of islamic cooperation": "OIC",
    "organization of islamic cooperation": "OIC",
    "north atlantic treaty organization": "NATO",
}


@dataclass
class GroupIndex:
    groups: dict[str, Group]
    members: list[Membership]
    _keys: dict[str, str]

    def resolve(self, name: str) -> str | None:
        """The group code for a name, or ``None``.

        >>> group_index().resolve("permanent five")
        'P5'
        """
        return self._keys.get(name_key(name))

    def members_at(self, group: str, day: str) -> set[str]:
        """ISO3 codes in ``group`` on ``day`` (ISO date)."""
        return {
            m.iso3
            for m in self.members
            if m.group == group
            and (m.valid_from is None or m.valid_from <= day)
            and (m.valid_to is None or m.valid_to >= day)
        }


def _build() -> GroupIndex:
    countries = country_index().countries
    groups: dict[str, Group] = {}
    members: list[Membership] = []
    with (DATA / "groups_meta.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            groups[row["group"]] = Group(row["group"], row["name"], row["kind"], row["description"])
    groups.setdefault("EU", Group("EU", "European Union", "political",
                                  "EU member states (EEC before 1993-11-01), package data groups_eu.csv"))
    for path in sorted(DATA.glob("groups*.csv")):
        if path.name == "groups_meta.csv":
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                members.append(Membership(row["group"], row["iso3"], row["valid_from"] or None,
                                          row["valid_to"] or None, row.get("note") or ""))
    # UN M49 geography: regions, sub-regions and intermediate regions (m49_regions.csv holds
    # the hierarchy; each country's finest area is country_converter's UN region), so a
    # country in Western Africa is also in Sub-Saharan Africa and in Africa
    parent: dict[str, str] = {}
    with (DATA / "m49_regions.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            groups[row["name"]] = Group(row["name"], row["name"], row["level"],
                                        f"UN M49 {row['level']} {int(row['m49']):03d}"
                                        + (f", part of {row['parent']}" if row["parent"] else ""))
            if row["parent"]:
                parent[row["name"]] = row["parent"]
    for c in countries.values():
        areas: list[str] = []
        area = c.subregion
        while area:
            areas.append(area)
            area = parent.get(area)
        if c.region and c.region not in areas:
            areas.append(c.region)
        for area in areas:
            # an area outside the M49 table (Antarctica) is a region of its own
            groups.setdefault(area, Group(area, area, "region", "country_converter's continent"))
            # a historical state belongs to its geographic group only while it existed
            members.append(Membership(area, c.iso3, c.valid_from, c.valid_to))
    for c in countries.values():
        if c.continent:
            group = groups.setdefault(c.continent, Group(
                c.continent, c.continent, "continent", "seven-continent model (country_converter)"))
            # Africa, Asia, Europe, Oceania are both M49 regions and continents: the M49
            # region (defined first) owns the name, so nobody is counted twice in it.
            if group.kind == "continent":
                members.append(Membership(c.continent, c.iso3, c.valid_from, c.valid_to))
    keys: dict[str, str] = {}
    for code, g in groups.items():
        keys.setdefault(name_key(code), code)
        keys.setdefault(name_key(g.name), code)
    for alias, code in _GROUP_ALIASES.items():
        if code in groups:
            keys[alias] = code
    return GroupIndex(groups, members, keys)


@lru_cache(maxsize=1)
def group_index() -> GroupIndex:
    """The process-wide group index."""
    return _build()
