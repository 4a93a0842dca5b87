"""What an export holds: which tables, their titles and descriptions, field descriptions,
keys and facets. Data about the schema, not the schema: the tables themselves are read
from the database (:func:`tables`), so a table added to the build is exported even before
it is described here (it gets :data:`UNDESCRIBED`); ``tests/test_export.py`` names the
ones that lag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["Column", "Table", "INTERNAL", "TABLES", "COMMON_FIELDS", "UNDESCRIBED", "tables", "describe",
           "describe_field", "frictionless_type", "is_source_column"]

#: tables the build keeps for itself, and why they are left out of an export
INTERNAL: dict[str, str] = {
    "build_info": "the build's fingerprint and folder; its version and date are the descriptor's own metadata",
    "cell_candidate": "the precedence step's working rows; each choice it led to is in cell_choice",
    # built for the pages' speed (vocab.ROLLUPS): sums and ranks of tables the export holds
    **{t: "materialised for the pages: sums of the personnel tables the export holds"
       for t in ("personnel_by_contributor", "personnel_by_mission", "personnel_by_month",
                 "personnel_mission_by_month", "personnel_contributor_by_month")},
    "contributor_rank": "materialised for the pages: ranks computed from personnel and personnel_contributor",
    "contributor_type": "materialised for the pages: each contributor's personnel of each type, summed from "
                        "personnel and personnel_contributor",
    "geopko_unit_year": "materialised for the pages: geopko_unit_type summed per mission, year and location",
    "page_summary": "materialised for the pages: the rows of each profile's statements at its default month, "
                    "from the personnel tables the export holds",
}

UNDESCRIBED = "A table of the build not yet described in bluehelmet.export.catalog (see docs/data-model.md)."

_SOURCE_FILE_FK = "source_file"


@dataclass(frozen=True)
class Table:
    """How the export describes one table: title, description, key, facets for Datasette."""

    title: str
    description: str
    primary_key: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict)  # descriptions that differ from COMMON_FIELDS


def _t(title: str, description: str, key: tuple[str, ...] = (), facets: tuple[str, ...] = (),
       **fields: str) -> Table:
    return Table(title, description, key, facets, fields)


_OBS = ("Every value {what} stated, as read, one row per personnel type, before precedence chose "
        "between files (docs/data-model.md, Observations).")
_RES = "Resolved {what}: one value per cell, from the file complete for it (docs/data-model.md, Precedence)."

TABLES: dict[str, Table] = {
    # provenance and problems
    "source_file": _t("Source files", "One row per raw file read: layout, checksum, producer, citation, release, "
                      "row accounting (read = loaded + empty + quarantined) and the months it covers.",
                      ("source_id",), ("domain", "layout"),
                      relpath="Path of the file relative to the sources folder.",
                      target="Where the rows went: a grain (detail, contributor, mission, world) or a table.",
                      precedence="Lower answers first where files fill the same cells."),
    "quarantine": _t("Quarantined rows", "Every source row not loaded, with file, line, column and reason.",
                     (), ("source_id", "reason"), raw="The row as it stood in the file (at most 500 characters)."),
    "finding": _t("Findings", "Repairs and notices of the build (not lost rows), per file where tied to one.",
                  (), ("kind",)),
    "coverage": _t("Coverage", "Which files the resolved table of each grain uses in each month.",
                   ("grain", "month", "source_id"), ("grain",)),
    "cell_choice": _t("Cell choices", "Every unit (month x contributor or mission) that several files speak for, "
                      "the layout that answers it and why (precedence, complete, none_complete).",
                      (), ("grain", "reason", "layout"),
                      lacking_missions="Missions some file lacks for the unit (detail grain)."),
    "reconciliation": _t("Reconciliation: differing cells", "One row per cell where two sources that overlap "
                         "disagree, with both values and files.", (), ("check_name", "type")),
    "reconciliation_summary": _t("Reconciliation: comparisons", "One row per comparison of overlapping sources: "
                                 "cells compared, how many differ and by how much.", (), ("check_name",)),
    # reference
    "country": _t("Countries", "ISO3, M49, names, UN region, sub-region, continent; historical states with "
                  "their days of existence.", ("iso3",), ("region", "continent")),
    "country_alias": _t("Country aliases", "Every normalised spelling that names a country, and where the alias "
                        "comes from.", ("alias_key",), ("origin",)),
    "country_spelling": _t("Country spellings met", "Every spelling of a country met in each file.", (),
                           ("iso3",)),
    "country_group_info": _t("Country groups", "P5, G4, A3, AU, EU, NATO, ..., UN regions and sub-regions.",
                             ("grp",), ("kind",)),
    "country_group": _t("Group membership", "One row per continuous membership of a country in a group, with "
                        "its dates (both days included; empty end: still a member).", (), ("grp",)),
    "mission": _t("Missions", "Every mission: name, lead department, type, dates, HQ and coordinates, and the "
                  "active period reconciled with the personnel data.", ("acronym",), ("type", "period_basis")),
    "mission_host": _t("Mission host countries", "Mission to host country, several rows for multi-country "
                       "missions.", (), ("iso3",)),
    "mission_host_source": _t("Mission hosts as each file gave them", "Host rows before de-duplication.", (),
                              ("source_id",)),
    "mission_source": _t("Missions as each list gave them", "What each mission list said, before the merge.", (),
                         ("source_id",)),
    # personnel
    "personnel": _t("Personnel by contributor, mission and type", _RES.format(what="contributor x mission x "
                    "month headcounts by fine personnel type"), ("month", "contributor", "mission", "type"),
                    ("contributor", "mission", "type", "month")),
    "personnel_contributor": _t("Personnel by contributor", _RES.format(what="contributor x month totals by "
                                "coarse type"), ("month", "contributor", "type"), ("contributor", "type", "month")),
    "personnel_mission": _t("Personnel by mission", _RES.format(what="mission x month totals by coarse type"),
                            ("month", "mission", "type"), ("mission", "type", "month")),
    "personnel_world": _t("World personnel totals", _RES.format(what="world x month totals by coarse type"),
                          ("month", "type"), ("type",)),
    "obs_detail": _t("Observations: contributor x mission", _OBS.format(what="a detail file"), (),
                     ("source_id", "contributor", "mission", "type")),
    "obs_contributor": _t("Observations: contributor totals", _OBS.format(what="a file"), (),
                          ("source_id", "contributor", "type")),
    "obs_mission": _t("Observations: mission totals", _OBS.format(what="a file"), (), ("source_id", "mission", "type")),
    "obs_world": _t("Observations: world totals", _OBS.format(what="a file"), (), ("source_id", "type")),
    "owid_world_year": _t("OWID world totals (December)", "Our World in Data's December world totals, 1947-2021, "
                          "as the file has them.", (), ()),
    "dpo_report": _t("UN DPO monthly reports", "One row per PDF report: the month printed, layout, pages, grand "
                     "total, and whether it was loaded (and why not).", (), ("layout", "loaded")),
    "dpo_total": _t("UN DPO printed totals", "Every printed subtotal and grand total of the loaded reports, each "
                    "checked against its rows.", (), ("scope", "contributor", "mission")),
    "datahub_month": _t("Data Hub CSV months", "One row per Data Hub CSV and month: rows, sums, loaded.", (), ()),
    # missions on the ground
    "authorized_strength": _t("Authorised and deployed strength", "Mission x month authorised troops, police and "
                              "observers, and the same file's deployed figures.", (), ("mission", "month"),
                              auth_troops="Authorised troops.", auth_police="Authorised police.",
                              auth_observers="Authorised military observers.", auth_total="Authorised total."),
    "authorization_late": _t("Authorisations recorded a month late", "Missions whose first authorised month is "
                             "the month after their start date.", (), ()),
    "deployment_site": _t("Deployment sites (Geo-PKO v2.0)", "One row per location per Geo-PKO map: troops, unit "
                          "types, HQ level, contributors count, coordinates.", (), ("mission", "country", "year")),
    "site_contributor": _t("Site contributors (Geo-PKO v2.0)", "The contributors of each site and their troops; "
                           "joins deployment_site on source_id and line.", (), ("contributor",)),
    "geopko_site_map": _t("Geo-PKO v2.3 FrontMap", "Yearly per location, a cross-check only.", (), ("mission", "year")),
    "geopko_unit_type": _t("Geo-PKO v2.3 unit types", "Per mission, year and location: unit types counted over the "
                           "year's maps.", (), ("mission", "year")),
    "geopko_site_year": _t("Geo-PKO v2.3 site contributors", "Per mission, year and location: contributors and "
                           "their troops.", (), ("mission", "year"),
                           contributors="List of {contributor (ISO3 or empty), name as written, troops}."),
    "radpko_base_year": _t("RADPKO bases", "Yearly means per base and contributor count, a cross-check only.", (),
                           ("mission", "year")),
    "fatality": _t("Fatalities (official list)", "One row per casualty: date, mission, nationality, personnel "
                   "type, incident type.", ("casualty_id",),
                   ("mission", "nationality", "incident_type", "personnel_type")),
    "fatality_month": _t("Fatalities by month (aggregate)", "Deaths by month, mission and nationality with causes "
                         "and categories (Mandate_Contribute).", (), ("mission", "nationality")),
    # money
    "un_contribution": _t("UN system revenue by donor", "Every amount of the CEB financial statistics: donor x "
                          "entity x financing instrument x year, USD.", (), ("entity", "instrument", "year")),
    "regular_budget_assessment": _t("Regular-budget assessments", "Member x year: rate, assessment, honour-roll "
                                    "payment status.", (), ("year", "payment_status")),
    "regular_budget_year": _t("Regular-budget years", "Each contributor file's own totals and dates.", (), ()),
    "scale_rate": _t("Scale of assessments (regular budget)", "Member x scale period x file: rate in percent.", (),
                     ("member",)),
    "assessment": _t("Assessments", "Member x year x scale (regular 1946-2027; peacekeeping 2013-2024): share or "
                     "rate in percent, amount in USD, rank.", (), ("scale", "year", "member")),
    "assessment_comparison": _t("Peacekeeping share vs regular rate", "Member x year 2013-2024: the premium "
                                "or discount of the peacekeeping share over the regular rate.", (),
                                ("relation", "year", "p5")),
    "mission_spending": _t("Mission spending", "Account x fiscal year (July-June) x statement x cost class: "
                           "expenditure in nominal USD.", (), ("mission", "fiscal_year", "cost_class", "statement")),
    "mission_spending_item": _t("Mission spending lines", "The lines of each cost class (performance reports).",
                                (), ("mission", "fiscal_year", "cost_class")),
    "spending_file": _t("Spending files", "One row per spending file: statement, fiscal year, stated totals.", (),
                        ()),
    "finance_flow": _t("China's official finance (AidData)", "One row per project record per AidData version: "
                       "donor, recipient, year, flow class, amounts in constant and current USD.", (),
                       ("dataset", "recipient", "flow_class", "year")),
    "finance_dataset": _t("AidData versions", "One row per AidData version read.", ("dataset",), ()),
    "finance_version_diff": _t("AidData version differences", "What each version adds, drops and changes "
                               "relative to the one before, by project.", (), ("dataset_b", "change")),
}

COMMON_FIELDS: dict[str, str] = {
    "source_id": "The file the row comes from (source_file.source_id).",
    "line": "1-based line (header = 1) or record number in the file; for PDF reports page x 1000 + line.",
    "month": "Month, stored as its first day; a headcount is the month-end figure, never summed over months.",
    "contributor": "Contributing country, ISO3 (the state of the time: SUN before 1991-12-26).",
    "mission": "Mission acronym.",
    "type": "Personnel type (troops, staff_officers, formed_police, individual_police, police, experts, total).",
    "male": "Men (empty where the source gives no gender split).",
    "female": "Women (empty where the source gives no gender split).",
    "total": "Total headcount.",
    "iso3": "ISO 3166-1 alpha-3 country code.",
    "acronym": "Mission acronym.",
    "year": "Calendar year.",
    "grain": "Grain: detail (contributor x mission), contributor, mission or world.",
    "layout": "Source layout (a kind of file; see source_file.layout).",
    "latitude": "Latitude, WGS84 degrees.",
    "longitude": "Longitude, WGS84 degrees.",
    "nationality": "Nationality, ISO3 (empty where the source says undetermined).",
    "member": "Member state, ISO3.",
    "amount_usd": "Amount in nominal US dollars.",
    "fiscal_year": "UN fiscal year, 1 July - 30 June (2022/23).",
    "fy_start": "First day of the fiscal year.",
    "amount": "Expenditure, nominal US dollars.",
    "check_name": "The comparison (docs/data-model.md, Reconciliation tables).",
    "source_a": "File behind side a (source_file.source_id).",
    "source_b": "File behind side b (source_file.source_id).",
    "sha256": "SHA-256 of the file as read.",
}


@dataclass(frozen=True)
class Column:
    name: str
    duckdb_type: str


def tables(con: "duckdb.DuckDBPyConnection") -> dict[str, list[Column]]:
    """Every exported table of the open database, in name order, with its columns: every
    base table and view of the main schema except :data:`INTERNAL`."""
    rows = con.execute("""
        SELECT c.table_name, c.column_name, c.data_type
        FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         AND t.table_catalog = c.table_catalog
        WHERE c.table_schema = 'main' AND t.table_catalog = current_database()
        ORDER BY c.table_name, c.ordinal_position""").fetchall()
    out: dict[str, list[Column]] = {}
    for table, column, kind in rows:
        if table not in INTERNAL:
            out.setdefault(table, []).append(Column(column, kind))
    return out


def describe(table: str) -> Table:
    return TABLES.get(table) or Table(table.replace("_", " ").capitalize(), UNDESCRIBED)


def describe_field(table: str, column: str) -> str | None:
    return describe(table).fields.get(column) or COMMON_FIELDS.get(column)


def frictionless_type(duckdb_type: str) -> str:
    """The Table Schema type of a DuckDB column type."""
    t = duckdb_type.upper()
    if t.endswith("]"):
        return "array"
    if t.startswith(("STRUCT", "MAP")):
        return "object"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"):
        return "integer"
    if t in ("DOUBLE", "FLOAT", "REAL") or t.startswith("DECIMAL"):
        return "number"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "datetime"
    if t == "BOOLEAN":
        return "boolean"
    return "string"


def is_source_column(name: str) -> bool:
    """Columns that hold a source_file id: what a table's own sources are read from."""
    return name in ("source_id", "source_a", "source_b", "amount_source_id", "start_source_id") \
        or name.endswith("_source_id")
