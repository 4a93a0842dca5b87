"""The shared vocabulary: personnel types, unit types, the grains of personnel data.

A ground-floor module: sources, store, query and surfaces all name these, so they live
below all of them (importing nothing of bluehelmet's). The CLI and the web offer these
names without importing any query code.
"""

from __future__ import annotations

from typing import Iterable, Literal, TypedDict

__all__ = ["PERSONNEL_TYPES", "COUNTED_TYPES", "UNIT_TYPES", "COARSE_SQL", "coarse_type", "able_grains", "Grain", "GRAINS", "Capability",
           "Rollup", "ROLLUPS",
           "split_keys"]

# user-facing type -> stored types; None means "every stored type". Detail sources split
# police into formed units and individual officers; coarse sources only know "police".
# The official reports count staff officers apart from contingent troops from 2017-05;
# IPI's files and the older reports count them among troops, so "troops" means both and
# the series runs on; "staff-officers" alone exists only where a report prints them.
PERSONNEL_TYPES: dict[str, tuple[str, ...] | None] = {
    "all": None,
    "troops": ("troops", "staff_officers"),
    "police": ("police", "formed_police", "individual_police"),
    "formed-police": ("formed_police",),
    "individual-police": ("individual_police",),
    "experts": ("experts",),
    "staff-officers": ("staff_officers",),
}
# the types rankings and mission lists offer (staff officers: from 2017-05, the official reports)
COUNTED_TYPES = tuple(PERSONNEL_TYPES)
# a stored type as the coarse grains know it (formed and individual police are "police";
# staff officers are troops, as IPI and the older reports count them)
def coarse_type(column: str = "type") -> str:
    """SQL for the coarse type of a stored type held in ``column``.

    >>> coarse_type("p.type").startswith("CASE WHEN p.type IN")
    True
    """
    return (f"CASE WHEN {column} IN ('formed_police', 'individual_police') THEN 'police' "
            f"WHEN {column} = 'staff_officers' THEN 'troops' ELSE {column} END")


COARSE_SQL = coarse_type()
# geopko_unit_type's unit columns, in the order of the source's columns
UNIT_TYPES = ("infantry", "engineering", "medical", "signals", "aviation", "riverine", "maintenance", "transport")


class Grain(TypedDict):
    """A grain of personnel data: its resolved table, its key columns, what it tells apart."""

    table: str
    keys: tuple[str, ...]
    contributor: bool
    mission: bool
    gender: bool
    fine_types: bool


#: what a question may need a grain to tell apart: the grain's flags of that name
Capability = Literal["contributor", "mission", "gender", "fine_types"]

# finest first: the query layer answers each month from the first grain able to
GRAINS: dict[str, Grain] = {
    "detail": Grain(table="personnel", keys=("contributor", "mission"), contributor=True, mission=True,
                    gender=True, fine_types=True),
    "contributor": Grain(table="personnel_contributor", keys=("contributor",), contributor=True, mission=False,
                         gender=False, fine_types=False),
    "mission": Grain(table="personnel_mission", keys=("mission",), contributor=False, mission=True,
                     gender=False, fine_types=False),
    "world": Grain(table="personnel_world", keys=(), contributor=False, mission=False, gender=False,
                   fine_types=False),
}


class Rollup(TypedDict):
    """A grain's table summed over some of its keys, built with it (sources/personnel.py):
    the same month, type, male, female, total and source_id, so a question that needs
    fewer keys reads fewer rows with the same answer and the same sources. ``source_id``
    stays a key: the file behind a contributor's or a mission's month is one file almost
    everywhere, so keeping it costs few rows."""

    table: str
    grain: str
    keys: tuple[str, ...]  # the grain's keys kept (a subset, in the grain's order)
    by_file: bool  # source_id kept (else the rollup answers only questions not asked for files)


#: the rollups: what the pages ask most (a country's series over all its missions, a
#: mission's over its contributors, the world series) reads these. The contributor grain's
#: world sum is not kept by file: with one file per country there, it would be nearly as
#: long as the grain's table; it answers the unfiltered world series, which cite every
#: file of each month anyway
ROLLUPS: tuple[Rollup, ...] = (
    Rollup(table="personnel_by_contributor", grain="detail", keys=("contributor",), by_file=True),
    Rollup(table="personnel_by_mission", grain="detail", keys=("mission",), by_file=True),
    Rollup(table="personnel_by_month", grain="detail", keys=(), by_file=True),
    Rollup(table="personnel_mission_by_month", grain="mission", keys=(), by_file=True),
    Rollup(table="personnel_contributor_by_month", grain="contributor", keys=(), by_file=False),
)


def split_keys(by: Iterable[str]) -> list[str]:
    """``--by`` values as given on a command line or in a URL: repeated or comma-separated.

    >>> split_keys(["mission,type", "year"])
    ['mission', 'type', 'year']
    """
    return [k.strip() for b in by for k in b.split(",") if k.strip()]


def able_grains(needs: Iterable[Capability]) -> list[str]:
    """The grains, finest first, that can tell apart everything in ``needs``.

    >>> able_grains(["contributor"])
    ['detail', 'contributor']
    """
    wanted = set(needs)
    return [g for g, cap in GRAINS.items() if all(cap[n] for n in wanted)]


# -- finance: AidData's records of China's official finance ---------------------------------
__all__ += ["FINANCE_RECORD_CLASSES", "FINANCE_LIVE_RECORDS", "OFFICIAL_FLOWS", "PLEDGE_STATUS", "FINANCE_BY_KEYS"]

#: what the sheet a record stands on makes it (sources/aiddata.py maps each version's sheets)
FINANCE_RECORD_CLASSES = ("official", "unofficial", "military", "cancelled", "inactive", "suspicious")
#: the records counted unless others are asked for. AidData's cover sheets: cancelled or
#: suspended records "some data users may choose to exclude"; inactive and suspicious ones
#: "should not be used in analysis"
FINANCE_LIVE_RECORDS = ("official", "unofficial", "military")
#: what AidData sums as China's "official finance" (its $75.4 billion for Africa 2000-2011,
#: v1.0): ODA-like, OOF-like and Vague (Official Finance) commitments. "Official
#: Investment" stands on the official sheet too, outside that sum.
OFFICIAL_FLOWS = ("ODA-like", "OOF-like", "Vague (Official Finance)")
#: the status AidData's 1.2 codebook says to "exclude from all analysis of Chinese financing
#: to a recipient"; the global dataset's recommended_for_research leaves it out too
PLEDGE_STATUS = "Pipeline: Pledge"
FINANCE_BY_KEYS = ("recipient", "year", "flow-class", "sector")
