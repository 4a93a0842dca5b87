"""The core schema: provenance, problems, the country reference and reconciliation.

Each data domain declares the tables it owns beside its readers (``sources/<domain>.py``,
collected by ``sources/registry.py``); :func:`ddl` is this core plus every domain's.
Facts stay at their native grain; every row says its source.
"""

from __future__ import annotations

from ..version import SCHEMA_VERSION  # re-exported: the schema's version lives on the ground floor

__all__ = ["SCHEMA_VERSION", "CORE_DDL", "ddl"]

CORE_DDL = """
CREATE TABLE build_info (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE source_file (
    source_id INTEGER PRIMARY KEY, relpath VARCHAR NOT NULL, layout VARCHAR NOT NULL,
    target VARCHAR NOT NULL, precedence INTEGER NOT NULL, sha256 VARCHAR NOT NULL,
    bytes BIGINT NOT NULL, producer VARCHAR, citation VARCHAR, release VARCHAR,
    rows_read INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_empty INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    coverage_from DATE, coverage_to DATE, domain VARCHAR NOT NULL);

CREATE TABLE quarantine (source_id INTEGER NOT NULL, line INTEGER, "column" VARCHAR,
    reason VARCHAR NOT NULL, raw VARCHAR);

CREATE TABLE finding (source_id INTEGER, kind VARCHAR NOT NULL, message VARCHAR NOT NULL,
    count INTEGER NOT NULL);

CREATE TABLE country (iso3 VARCHAR PRIMARY KEY, m49 INTEGER, name VARCHAR NOT NULL,
    official_name VARCHAR, region VARCHAR, subregion VARCHAR, continent VARCHAR,
    valid_from DATE, valid_to DATE, successors VARCHAR[]);

CREATE TABLE country_alias (alias_key VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL, origin VARCHAR);

-- spellings actually met in the sources, with the file they were met in
CREATE TABLE country_spelling (spelling VARCHAR, iso3 VARCHAR, source_id INTEGER);

CREATE TABLE country_group_info (grp VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR,
    description VARCHAR);

CREATE TABLE country_group (grp VARCHAR NOT NULL, iso3 VARCHAR NOT NULL, valid_from DATE,
    valid_to DATE, note VARCHAR);

CREATE TABLE reconciliation (check_name VARCHAR NOT NULL, label_a VARCHAR, label_b VARCHAR,
    month DATE NOT NULL,
    contributor VARCHAR, mission VARCHAR, type VARCHAR NOT NULL,
    source_a INTEGER, value_a BIGINT, source_b INTEGER, value_b BIGINT);
CREATE TABLE reconciliation_summary (check_name VARCHAR NOT NULL, label_a VARCHAR,
    label_b VARCHAR, months INTEGER, cells BIGINT, differing BIGINT, abs_diff BIGINT,
    max_abs_diff BIGINT, first_month DATE, last_month DATE, explanation VARCHAR);

-- materialised for the pages (query/summary.py, written by store/summaries.py): the rows
-- of each statement a profile runs at its default month, answered for every contributor
-- (kind 'contributor') and mission, one JSON array a row; a statement's row 0 says what
-- it answers (its name, shape, grain, months, and the positions of its DATE columns)
CREATE TABLE page_summary (kind VARCHAR NOT NULL, key VARCHAR NOT NULL, part INTEGER NOT NULL,
    seq INTEGER NOT NULL, row VARCHAR NOT NULL);
"""


def ddl() -> str:
    """The whole schema: the core tables, then each domain's, in registry order."""
    from ..sources.registry import domains

    return CORE_DDL + "".join(d.tables for d in domains())
