"""Missions and offices that the UN's peacekeeping list does not hold (``missions_other.csv``):
special political missions, support offices and a logistics base in which the personnel
sources count uniformed personnel; and other acronyms a source writes for one mission
(``mission_aliases.csv``). See ``data/README.md``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .countries import DATA

__all__ = ["OtherMission", "other_missions", "MissionAlias", "mission_aliases"]


@dataclass(frozen=True)
class OtherMission:
    acronym: str
    name: str
    kind: str
    hosts: tuple[str, ...]
    hq: str
    established_by: str


def other_missions() -> list[OtherMission]:
    with (DATA / "missions_other.csv").open(encoding="utf-8", newline="") as fh:
        return [OtherMission(r["acronym"], r["name"], r["kind"], tuple(h for h in r["hosts"].split(";") if h),
                             r["hq"], r["established_by"]) for r in csv.DictReader(fh)]


@dataclass(frozen=True)
class MissionAlias:
    """Another acronym a source writes for one mission (``mission_aliases.csv``)."""

    alias: str
    acronym: str
    note: str


@lru_cache(maxsize=1)
def mission_aliases() -> tuple[MissionAlias, ...]:
    """Every recorded alias: a source's other acronym for a mission, never a successor
    mission (UNAMSIL is not UNOMSIL; MONUSCO is not MONUC)."""
    with (DATA / "mission_aliases.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(MissionAlias(r["alias"], r["acronym"], r["note"]) for r in csv.DictReader(fh))
