"""SYNTHETIC UN Peace and Security Data Hub contributions CSVs, written at test time.

We have no real Data Hub file (DPO-UCHISTORICAL). The tests make one in its published
layout from rows they read at test time, usually a real monthly report PDF's rows (read
through the PDF parser), written into ``tmp_path`` under a name that starts with
``SYNTHETIC``. Nothing generated here is committed, and this module holds no figures.

Styles, as the data README describes the Hub's files:

- ``current``: lower-case columns, ISO dates (``2025-07-31``);
- ``old``: capitalised columns, ``dd/mm/yyyy`` dates and space-padded acronyms;
- ``epoch`` / ``epoch_ms``: dates as epoch seconds / milliseconds (the Hub's JSON API).
"""

from __future__ import annotations

import csv
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from bluehelmet.reference import country_index
from bluehelmet.sources.dpo_pdf import parse_report

__all__ = ["HEADER", "OLD_HEADER", "HUB_TYPE", "HubRow", "report_rows", "relabel", "write_hub_csv", "read_records",
           "write_records"]

HEADER = ["contribution_id", "contributing_country", "isocode3", "m49_code", "mission_acronym",
          "personnel_type", "male_personnel", "female_personnel", "last_reporting_date"]
OLD_HEADER = ["Contribution_ID", "Contributing_Country", "ISOCode3", "M49_Code", "Mission_Acronym",
              "Personnel_Type", "Male_Personnel", "Female_Personnel", "Last_Reporting_Date"]
#: the reports' vocabulary -> the Hub's personnel types
HUB_TYPE = {"troops": "troops", "staff_officers": "staff_officer", "experts": "experts_on_mission",
            "individual_police": "individual_police", "formed_police": "formed_police_units"}


@dataclass(frozen=True)
class HubRow:
    country: str   # as the report prints it
    iso3: str
    mission: str
    type: str      # the reports' vocabulary
    male: int
    female: int
    month: str     # YYYY-MM


def report_rows(pdf: Path) -> list[HubRow]:
    """A report's loaded rows (it must have missions and a split by sex), countries to ISO3."""
    report = parse_report(pdf)
    idx = country_index()
    out = []
    for r in report.rows_loaded:
        iso3 = idx.resolve(r.country)
        assert iso3 and r.mission and r.male is not None and r.female is not None, r
        out.append(HubRow(r.country, iso3, r.mission, r.personnel_type, r.male, r.female, report.month))
    return out


def relabel(rows: list[HubRow], month: str) -> list[HubRow]:
    return [replace(r, month=month) for r in rows]


def _month_end(month: str) -> datetime:
    y, m = int(month[:4]), int(month[5:7])
    return datetime(y, m, monthrange(y, m)[1], tzinfo=timezone.utc)


def write_hub_csv(path: Path, rows: list[HubRow], style: str = "current") -> Path:
    """Write ``rows`` as a SYNTHETIC Data Hub CSV in ``style``; returns ``path``."""
    idx = country_index()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(OLD_HEADER if style == "old" else HEADER)
        for n, r in enumerate(rows, start=1):
            end = _month_end(r.month)
            date = {"current": end.strftime("%Y-%m-%d"), "old": end.strftime("%d/%m/%Y"),
                    "epoch": str(int(end.timestamp())), "epoch_ms": str(int(end.timestamp()) * 1000)}[style]
            mission = f"  {r.mission}     " if style == "old" else r.mission
            m49 = idx.countries[r.iso3].m49
            w.writerow([n, r.country, r.iso3, "" if m49 is None else m49, mission, HUB_TYPE[r.type],
                        r.male, r.female, date])
    return path


def read_records(path: Path) -> list[list[str]]:
    """The file's records, header first (record i is line i + 1), for a test to break one."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_records(path: Path, records: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(records)
