"""Missions and offices that the UN's peacekeeping list does not hold (``missions_other.csv``):
special political missions, support offices and a logistics base in which the personnel
sources count uniformed personnel. See ``data/README.md``."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .countries import DATA

__all__ = ["OtherMission", "other_missions"]


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
