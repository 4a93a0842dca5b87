"""IPI coarse-grain tables: contributor x month (one file per country), mission x month,
and world x month. Each repository spells the headers its own way; both map here."""

from __future__ import annotations

from pathlib import PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc

from .base import (Column, Finding, LayoutResult, SourceFile, quarantine_duplicates, read_files,
                   resolve_countries, strip_stray_quotes, validate)
from ..domain import Context

__all__ = ["read_countries", "read_missions", "read_world"]

COUNTRY_COLUMNS = [
    Column("date", ("date",), "date"),
    Column("troops", ("troops",), "count"),
    Column("police", ("police",), "count"),
    Column("experts", ("experts",), "count"),
]

MISSION_COLUMNS = [
    Column("date", ("date",), "date"),
    Column("mission", ("mission",), "name"),
    Column("host_name", ("mission_country", "country_of_mission"), "text", required=False),
    Column("host_iso3", ("mission_iso3_alpha", "country_of_mission_iso_3"), "text", required=False),
    Column("n_contributors", ("n_contributors", "number_of_contributors"), "count", required=False),
    Column("troops", ("troops",), "count"),
    Column("police", ("police",), "count"),
    Column("experts", ("observers",), "count"),
    Column("total", ("total",), "count"),
]

WORLD_COLUMNS = [
    Column("date", ("date",), "date"),
    Column("n_contributors", ("n_conributors", "n_contributors", "number_of_contributors"), "count"),
    Column("troops", ("troops_sum", "troop_contributions"), "count"),
    Column("police", ("police_sum", "police_contributions"), "count"),
    Column("experts", ("observers_sum", "eom_contributions"), "count"),
    Column("total", ("total_sum", "total_contributions"), "count"),
]


def read_countries(files: list[SourceFile], ctx: Context) -> LayoutResult:
    """One file per contributor; the file name is the only place the country is named."""
    findings: list[Finding] = []
    table, problems = read_files(files, COUNTRY_COLUMNS,
                                 {"contributor_name": lambda sf: PurePosixPath(sf.relpath).stem})
    table, bad = validate(table, COUNTRY_COLUMNS)
    problems += bad
    table, bad = resolve_countries(table, "contributor_name", None, "contributor", ctx.countries,
                                   "(file name)", findings, spellings=ctx.spellings,
                                   layout=files[0].layout, month_col="date")
    problems += bad
    table = table.drop_columns(["contributor_name"])
    # two files may name one contributor (Macedonia.csv, The former Yugoslav Republic o.csv)
    table, bad = quarantine_duplicates(ctx.con, table, ["contributor", "date"], "Date", findings, across=files)
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)


def read_missions(files: list[SourceFile], ctx: Context) -> LayoutResult:
    findings: list[Finding] = []
    table, problems = read_files(files, MISSION_COLUMNS)
    table, bad = validate(table, MISSION_COLUMNS)
    problems += bad
    table = strip_stray_quotes(table, "mission", findings, "mission")
    table, bad = quarantine_duplicates(ctx.con, table, ["date", "mission"], "Mission", findings)
    ctx.con.register("_mh", table)
    hosts = ctx.con.sql("""SELECT min(source_id)::INTEGER AS source_id, min(line)::INTEGER AS line,
        mission AS acronym, upper(host_iso3) AS iso3 FROM _mh
        WHERE host_iso3 IS NOT NULL AND host_iso3 NOT IN ('', 'NA') GROUP BY ALL""").to_arrow_table()
    ctx.con.unregister("_mh")
    known = pa.array(list(ctx.countries.countries))
    hosts = hosts.filter(pc.is_in(hosts.column("iso3"), known))
    return LayoutResult(files[0].layout, table, files, problems + bad, findings,
                        extra={"mission_host_source": hosts})


def read_world(files: list[SourceFile], ctx: Context) -> LayoutResult:
    findings: list[Finding] = []
    table, problems = read_files(files, WORLD_COLUMNS)
    table, bad = validate(table, WORLD_COLUMNS)
    problems += bad
    table, bad = quarantine_duplicates(ctx.con, table, ["date"], "Date", findings)
    return LayoutResult(files[0].layout, table, files, problems + bad, findings)
