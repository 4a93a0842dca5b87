"""The metadata an export carries: a Frictionless Data Package descriptor
(``datapackage.json``) and, beside a SQLite export, Datasette's ``metadata.json``.

Both are made from the same facts: the tables and columns read from the database, the
descriptions of :mod:`bluehelmet.export.catalog`, and each table's sources read from its
own ``source_id`` columns and cited by :mod:`bluehelmet.cite`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..cite import Citation, citation_for
from .catalog import Column, describe, describe_field, frictionless_type

__all__ = ["TableInfo", "datapackage", "datasette_metadata", "PACKAGE_NAME", "REFERENCE_SOURCE"]

PACKAGE_NAME = "bluehelmet"
TITLE = "bluehelmet: UN peacekeeping contributions, missions, fatalities and money"
DESCRIPTION = ("Who sends troops, police and experts to which UN mission, month by month since 1990; what each "
               "mission was authorised; where contingents stood; who died; who pays. Reconciled from the official "
               "and scholarly datasets, every row naming the file it came from (source_file). Built by bluehelmet "
               "from the raw files, unmodified.")
# tables with no source_id column hold the package's reference data (countries, groups)
REFERENCE_SOURCE = {"title": "bluehelmet reference data: UN M49 regions, ISO 3166 (pycountry, country_converter), "
                    "country groups with their sources (reference/data/README.md)",
                    "path": "https://unstats.un.org/unsd/methodology/m49/"}
KEYWORDS = ["peacekeeping", "United Nations", "troop contributors", "police", "fatalities", "assessments"]


@dataclass
class TableInfo:
    """One exported table: its columns, rows, file, and the files its rows come from."""

    name: str
    columns: list[Column]
    rows: int
    path: str
    layouts: dict[str, list[str]] = field(default_factory=dict)  # layout -> relpaths used

    def citations(self) -> list[Citation]:
        seen: dict[str, Citation] = {}
        for layout in self.layouts:
            c = citation_for(layout)
            seen.setdefault(c.key, c)
        return list(seen.values())


def _source(c: Citation) -> dict[str, Any]:
    out: dict[str, Any] = {"title": c.title, "path": c.url}
    if c.publisher:
        out["publisher"] = c.publisher
    if c.version:
        out["version"] = c.version
    if c.year:
        out["year"] = c.year
    return out


def _license(c: Citation) -> dict[str, Any] | None:
    if not c.license:
        return None
    # an Open Definition id where there is one; a UN terms page has only its URL
    lic: dict[str, Any] = {"title": c.license, "path": c.license_url}
    if c.license.startswith("CC-"):
        lic["name"] = c.license
    return lic


def _schema(t: TableInfo, files_table: str | None) -> dict[str, Any]:
    meta = describe(t.name)
    fields = []
    for col in t.columns:
        f: dict[str, Any] = {"name": col.name, "type": frictionless_type(col.duckdb_type)}
        text = describe_field(t.name, col.name)
        if text:
            f["description"] = text
        if col.name in meta.primary_key:
            f["constraints"] = {"required": True}
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields}
    names = {c.name for c in t.columns}
    if meta.primary_key and set(meta.primary_key) <= names:
        schema["primaryKey"] = list(meta.primary_key)
    if files_table and t.name != files_table and "source_id" in names:
        schema["foreignKeys"] = [{"fields": ["source_id"], "reference": {"resource": files_table,
                                                                       "fields": ["source_id"]}}]
    return schema


def datapackage(tables: list[TableInfo], fmt: str, build: dict[str, str], version: str) -> dict[str, Any]:
    """The Data Package descriptor of an export in ``fmt`` (parquet, csv or sqlite)."""
    files_table = "source_file" if any(t.name == "source_file" for t in tables) else None
    all_cited: dict[str, Citation] = {}
    resources = []
    for t in tables:
        meta = describe(t.name)
        cited = t.citations()
        for c in cited:
            all_cited.setdefault(c.key, c)
        res: dict[str, Any] = {"name": t.name, "title": meta.title, "description": meta.description,
                               "path": t.path, "profile": "tabular-data-resource"}
        if fmt == "csv":
            res |= {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
        elif fmt == "parquet":
            res |= {"format": "parquet", "mediatype": "application/vnd.apache.parquet"}
        else:  # one SQLite file holds every table: the resource names its table
            res |= {"format": "sqlite", "mediatype": "application/vnd.sqlite3",
                    "dialect": {"sql": {"table": t.name}}}
        res["schema"] = _schema(t, files_table)
        res["sources"] = [_source(c) for c in cited] or [dict(REFERENCE_SOURCE)]
        res["bluehelmet"] = {"rows": t.rows, "layouts": sorted(t.layouts)}
        resources.append(res)
    licenses: dict[str, dict[str, Any]] = {}
    for c in all_cited.values():
        lic = _license(c)
        if lic:
            licenses.setdefault(lic["title"], lic)
    # producers that publish no licence are cited, not licensed: listed where a reader looks
    unlicensed = sorted(c.title for c in all_cited.values() if not c.license)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": build.get("built_at"),
        "keywords": KEYWORDS,
        "licenses": list(licenses.values()),
        "sources": [_source(c) for c in all_cited.values()] + [dict(REFERENCE_SOURCE)],
        "resources": resources,
        "bluehelmet": {
            "format": fmt,
            "built_at": build.get("built_at"),
            "fingerprint": build.get("fingerprint"),
            "schema_version": build.get("schema_version"),
            "citations": [{"key": c.key, "text": c.text(), "bibtex": c.bibtex()} for c in all_cited.values()],
            "datasets_without_licence": unlicensed,
        },
    }


_FACET_LIMIT = 4


def datasette_metadata(tables: list[TableInfo], database: str, build: dict[str, str]) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for the SQLite export: titles, descriptions, column
    descriptions, source and licence links per table, and facets that make sense."""
    out_tables: dict[str, Any] = {}
    for t in tables:
        meta = describe(t.name)
        names = [c.name for c in t.columns]
        entry: dict[str, Any] = {"title": meta.title, "description": meta.description}
        cited = t.citations()
        if cited:
            entry["source"] = "; ".join(c.publisher or c.title for c in cited)
            entry["source_url"] = cited[0].url
            lic = next((c for c in cited if c.license), None)
            if lic:
                entry["license"], entry["license_url"] = lic.license, lic.license_url
        else:
            entry["source"], entry["source_url"] = REFERENCE_SOURCE["title"], REFERENCE_SOURCE["path"]
        facets = [f for f in meta.facets if f in names][:_FACET_LIMIT]
        if facets:
            entry["facets"] = facets
        columns = {c: d for c in names if (d := describe_field(t.name, c))}
        if columns:
            entry["columns"] = columns
        out_tables[t.name] = entry
    return {
        "title": TITLE,
        "description": DESCRIPTION + f" Built {build.get('built_at')}.",
        "license": "Per table: see each table's source and licence",
        "source": "The raw files of source_file, cited per table",
        "source_url": "https://peacekeeping.un.org/en/data",
        "databases": {database: {"tables": out_tables}},
    }
