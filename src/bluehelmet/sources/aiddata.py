"""The finance domain: AidData's records of China's official finance, project by project.

Four spreadsheets, each a *version* of one research dataset, read by ``aiddata_read``:

- Chinese Official Finance to Africa 1.0 (2000-2011), 1.1 (2000-2012) and 1.2 (2000-2013);
- the Global Chinese Official Finance Dataset 1.0 (2000-2014, every recipient region).

Every record is kept at its native grain (one project record of one version) in
``finance_flow``, with the version, the sheet it stands on and the record class that sheet
means (official, unofficial, military, cancelled, inactive, suspicious), amounts as given
(original currency, constant USD with its base year, current USD where given) and the
recipient resolved to ISO3, or flagged as regional when AidData names a region or several
countries. The field names differ between versions: :data:`FIELDS` maps them, once.

The versions are reconciled, not stacked: ``derive`` lists, by project id, what each
version adds to, drops from and changes in the official finance of the one before
(``finance_version_diff``); ``findings`` says it in one line per pair; ``checks`` compare
each pair's totals per recipient and year in the dollars both give.

A light module: the readers (python-calamine, pyarrow) are named, not imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding
from ..vocab import FINANCE_RECORD_CLASSES, OFFICIAL_FLOWS, PLEDGE_STATUS

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN", "Dataset", "DATASETS", "Field", "FIELDS", "RECORD_CLASSES", "OFFICIAL_FLOWS", "PLEDGE",
           "REGION_GROUPS", "dataset_of_layout"]

PRODUCER = "AidData (College of William & Mary)"
ORIGIN = "AidData-WM/public_datasets @afaf88bc"
AFRICA_CITATION = ("Strange, Parks, Tierney, Fuchs, Dreher and Ramachandran (2013), China's Development Finance "
                   "to Africa: A Media-Based Approach to Data Collection, CGD Working Paper 323")


@dataclass(frozen=True)
class Dataset:
    """One version of AidData's Chinese official finance data, as its cover sheet states it."""

    key: str  # what --dataset takes
    layout: str
    path: str  # relative to the sources folder
    title: str  # the cover sheet's "Dataset Name"
    first_year: int
    last_year: int
    scope: str | None  # the group every recipient lies in (a region), None: worldwide
    base_year: int  # the constant-USD column's base year
    sheets: tuple[tuple[str, str], ...]  # (sheet name, record class), in workbook order
    skip: tuple[str, ...]  # sheets that hold no records: the cover (notes and codebook), an empty one
    citation: str


#: every version, in the order AidData released them: the default answer takes the latest
#: one that covers the question
DATASETS: tuple[Dataset, ...] = (
    Dataset("1.0", "aiddata_africa_1_0", "finance/aiddata/aiddata_china_1.0.xlsx",
            "AidData's Chinese Official Finance to Africa dataset, 2000 to 2011, version 1.0", 2000, 2011, "Africa",
            2009, (("1) Official Flows", "official"), ("2) Unofficial Flows", "unofficial"),
                   ("3) Military (non-developmental)", "military"), ("4) Cancelled&Suspended Flows", "cancelled"),
                   ("5) INACTIVE&Suspicious Records", "inactive")),
            ("Cover Sheet", "Sheet1"), f"{AFRICA_CITATION}; {ORIGIN} aiddata_china_1.0.xlsx"),
    Dataset("1.1", "aiddata_africa_1_1", "finance/aiddata/aiddata_china_1.1.xlsx",
            "AidData's Chinese Official Finance to Africa Dataset, 2000-2012, version 1.1", 2000, 2012, "Africa",
            2009, (("1) Official Finance", "official"), ("2) Unofficial Finance", "unofficial"),
                   ("3)Military Finance", "military"), ("4) Cancelled or Suspended Flows", "cancelled"),
                   ("5) Suspicious Flows", "suspicious")),
            ("Cover Sheet",), f"{AFRICA_CITATION}; {ORIGIN} aiddata_china_1.1.xlsx"),
    Dataset("1.2", "aiddata_africa_1_2", "finance/aiddata/aiddata_china_1.2.xlsx",
            "AidData's Chinese Official Finance to Africa Dataset, 2000-2013, version 1.2", 2000, 2013, "Africa",
            2009, (("Official Finance", "official"),), ("Cover Sheet",),
            "Strange, Dreher, Fuchs, Parks and Tierney, Tracking Under-Reported Financial Flows: China's "
            f"Development Finance and the Aid-Conflict Nexus Revisited, Journal of Conflict Resolution; {ORIGIN} "
            "aiddata_china_1.2.xlsx"),
    Dataset("global-1.0", "aiddata_global_1_0", "finance/aiddata/GlobalChineseOfficialFinanceDataset_v1.0.xlsx",
            "AidData's Global Chinese Official Finance Dataset, 2000-2014, version 1.0", 2000, 2014, None, 2014,
            (("ChineseOfficialFinance1.0", "official"),), (),
            "Dreher, Fuchs, Parks, Strange and Tierney (2017), Aid, China, and Growth: Evidence from a New Global "
            f"Development Finance Dataset, AidData Working Paper 46; {ORIGIN} "
            "GlobalChineseOfficialFinanceDataset_v1.0.xlsx"),
)

#: what a sheet's records are (vocab.FINANCE_RECORD_CLASSES). The cover sheets say: official
#: finance "NOT cancelled, suspended, or sourced from suspicious reports"; unofficial
#: finance "not comprehensive"; military aid "users may choose to include or exclude";
#: cancelled or suspended "some data users may choose to exclude"; inactive or suspicious
#: "should not be used in analysis".
RECORD_CLASSES = FINANCE_RECORD_CLASSES
#: the status AidData's guidance leaves out of official finance (vocab.PLEDGE_STATUS)
PLEDGE = PLEDGE_STATUS
#: statuses that, on a sheet of official finance (the global dataset keeps them there),
#: make a record cancelled
CANCELLED_STATUSES = ("Cancelled", "Suspended")

#: AidData's regional recipients ("Southeast Asia, regional") whose region the group
#: reference spells otherwise; the others resolve by name ("Africa", "Caribbean")
REGION_GROUPS = {"Southeast Asia": "South-eastern Asia"}


@dataclass(frozen=True)
class Field:
    """A canonical column and the header that carries it in each version (None: not given)."""

    name: str
    kind: str  # int | number | bool | text | amounts (one or more numbers, "; "-separated)
    headers: tuple[str | None, ...]  # one per DATASETS entry, in that order
    required: bool = False  # a record without it is quarantined


def _all(header: str) -> tuple[str, ...]:
    return (header,) * len(DATASETS)


#: The field names of every version, declared once: canonical name, kind, and the header
#: in 1.0, 1.1, 1.2 and global-1.0. The versions add columns (1.1: usd_current; 1.2:
#: usd_2011) and the global dataset renames the constant-dollar column after its base
#: year (usd_defl_2014), drops verified, active and is_official_finance (every record is
#: official) and adds recommended_for_research, umbrella and recipient_region.
FIELDS: tuple[Field, ...] = (
    Field("project_id", "int", _all("project_id"), required=True),
    Field("donor", "text", _all("donor"), required=True),
    Field("title", "text", _all("title")),
    Field("year", "int", _all("year"), required=True),
    Field("year_uncertain", "bool", _all("year_uncertain")),
    Field("status", "text", _all("status")),
    Field("flow", "text", _all("flow")),
    Field("flow_class", "text", _all("flow_class")),
    Field("intent", "text", _all("intent")),
    Field("sector_code", "int", _all("crs_sector_code")),
    Field("sector", "text", _all("crs_sector_name")),
    Field("recipient_name", "text", _all("recipient_condensed")),
    Field("recipient_iso3", "text", _all("recipient_iso3")),
    Field("recipient_count", "int", _all("recipient_count")),
    Field("aiddata_region", "text", (None, None, None, "recipient_region")),
    Field("amount", "amounts", _all("amount")),
    Field("currency", "text", _all("currency")),
    Field("usd_constant", "number", ("usd_defl", "usd_defl", "usd_defl", "usd_defl_2014")),
    Field("usd_current", "number", (None, "usd_current", "usd_current", "usd_current")),
    Field("usd_2011", "number", (None, None, "usd_2011", None)),
    Field("verified", "text", ("verified", "verified", "verified", None)),
    Field("active", "text", ("active", "active", "active", None)),
    Field("official", "bool", ("is_official_finance", "is_official_finance", "is_official_finance", None)),
    Field("umbrella", "bool", (None, None, None, "umbrella")),
    Field("recommended", "bool", (None, None, None, "recommended_for_research")),
)


def dataset_of_layout(layout: str) -> Dataset:
    """The version a layout reads."""
    for d in DATASETS:
        if d.layout == layout:
            return d
    raise KeyError(layout)


LAYOUTS = tuple(Layout(d.layout, (d.path,), "finance_flow", 10 * (len(DATASETS) - i), PRODUCER, d.citation,
                       "aiddata_read:read_aiddata") for i, d in enumerate(DATASETS))

TABLES = """
-- one row per project record per version (finance/aiddata/*.xlsx), amounts as given
CREATE TABLE finance_flow (source_id INTEGER NOT NULL, line INTEGER NOT NULL, dataset VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL, record_class VARCHAR NOT NULL, project_id BIGINT NOT NULL, donor VARCHAR NOT NULL,
    donor_name VARCHAR, title VARCHAR, year INTEGER NOT NULL, year_uncertain BOOLEAN, status VARCHAR,
    pledge BOOLEAN NOT NULL, flow VARCHAR, flow_class VARCHAR, intent VARCHAR, sector_code INTEGER,
    sector VARCHAR, recipient VARCHAR, recipient_name VARCHAR, recipient_kind VARCHAR NOT NULL, region VARCHAR,
    region_group VARCHAR, recipients VARCHAR[], recipient_iso3 VARCHAR, recipient_count INTEGER,
    aiddata_region VARCHAR, amount VARCHAR, currency VARCHAR, usd_constant DOUBLE, usd_base_year INTEGER,
    usd_current DOUBLE, usd_2011 DOUBLE, verified VARCHAR, active VARCHAR, official BOOLEAN, umbrella BOOLEAN,
    recommended BOOLEAN);

-- one row per version read: what it covers, as its cover sheet says
CREATE TABLE finance_dataset (dataset VARCHAR NOT NULL, source_id INTEGER NOT NULL, title VARCHAR,
    release_order INTEGER NOT NULL, first_year INTEGER NOT NULL, last_year INTEGER NOT NULL, scope VARCHAR,
    base_year INTEGER NOT NULL, has_current BOOLEAN NOT NULL, record_classes VARCHAR[]);

-- what each version adds to, drops from and changes in the official finance records of the
-- version before it, by project id (derived at build time)
CREATE TABLE finance_version_diff (dataset_a VARCHAR NOT NULL, dataset_b VARCHAR NOT NULL,
    project_id BIGINT NOT NULL, change VARCHAR NOT NULL, fields VARCHAR, detail VARCHAR, year_a INTEGER,
    year_b INTEGER, measure VARCHAR, usd_a DOUBLE, usd_b DOUBLE, source_a INTEGER, source_b INTEGER);
"""

# how a record's recipient reads in a comparison: the country, or the region AidData names
_LABEL = "coalesce({t}recipient, {t}region || ', regional', 'unset')"


def _pairs(con: "duckdb.DuckDBPyConnection") -> list[tuple[str, str, str, str | None, int, int]]:
    """Consecutive versions read (a, b), with the measure they share (constant USD of one
    base year, else current USD, else none), a's scope and a's years."""
    have = {k: (scope, first, last, base, cur) for k, scope, first, last, base, cur in con.execute(
        "SELECT dataset, scope, first_year, last_year, base_year, has_current FROM finance_dataset").fetchall()}
    keys = [d.key for d in DATASETS if d.key in have]
    out = []
    for a, b in zip(keys, keys[1:]):
        sa, fa, la, base_a, cur_a = have[a]
        _, _, _, base_b, cur_b = have[b]
        measure = "usd_constant" if base_a == base_b else "usd_current" if cur_a and cur_b else ""
        out.append((a, b, measure, sa, fa, la))
    return out


def _in_scope(scope: str | None) -> str:
    """SQL: a record of the later version lies within the earlier version's scope."""
    if scope is None:
        return "TRUE"
    s = scope.replace("'", "''")
    return (f"((recipient_kind = 'country' AND recipient IN (SELECT iso3 FROM country_group WHERE grp = '{s}')) "
            f"OR (recipient_kind <> 'country' AND region_group = '{s}'))")


# what changed between two official records of one project, field by field (a: the earlier)
_CHANGES = (
    ("year", "a.year <> b.year", "format('year {} -> {}', a.year, b.year)"),
    ("recipient", "a.label <> b.label", "format('recipient {} -> {}', a.label, b.label)"),
    ("flow_class", "a.flow_class IS DISTINCT FROM b.flow_class",
     "format('flow class {} -> {}', a.flow_class, b.flow_class)"),
    ("status", "a.status IS DISTINCT FROM b.status", "format('status {} -> {}', a.status, b.status)"),
    ("usd", "(a.usd IS NULL) <> (b.usd IS NULL) OR abs(a.usd - b.usd) > 0.5",
     "format('{} {} -> {}', a.measure, coalesce(round(a.usd)::BIGINT::VARCHAR, 'none'), "
     "coalesce(round(b.usd)::BIGINT::VARCHAR, 'none'))"),
)


def _sql_value(v: object) -> str:
    if v is None:
        return "NULL"
    return "'" + str(v).replace("'", "''") + "'" if isinstance(v, str) else str(v)


def derive(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """``finance_version_diff``: for each pair of consecutive versions, by project id, the
    official finance records (record class official) the later one adds (within the
    earlier one's scope and years), drops (with where it put them, if anywhere) and
    changes (year, recipient, flow class, status, amount in the dollars both give). One
    statement for all pairs: planning it costs more than running it."""
    pairs = _pairs(con)
    if not pairs:
        return
    values = ", ".join("(" + ", ".join(_sql_value(v) for v in (a, b, measure or None, scope, first, last)) + ")"
                       for a, b, measure, scope, first, last in pairs)
    n = range(len(_CHANGES))
    flags = ", ".join(f"CASE WHEN {cond} THEN '{name}' END AS f{i}" for i, (name, cond, _) in enumerate(_CHANGES))
    details = ", ".join(f"CASE WHEN {cond} THEN {text} END AS d{i}" for i, (_, cond, text) in enumerate(_CHANGES))
    fs, ds = ", ".join(f"f{i}" for i in n), ", ".join(f"d{i}" for i in n)
    usd = "CASE p.measure WHEN 'usd_constant' THEN o.usd_constant WHEN 'usd_current' THEN o.usd_current END"
    con.execute(f"""
        INSERT INTO finance_version_diff
        WITH p AS (SELECT * FROM (VALUES {values}) t(da, db, measure, scope, first, last)),
             off AS MATERIALIZED (
                SELECT f.dataset, f.project_id, f.year, f.flow_class, f.status, f.source_id, f.usd_constant,
                       f.usd_current, {_LABEL.format(t="f.")} AS label,
                       -- the groups a record lies in: its region's, or its country's
                       CASE WHEN f.recipient_kind = 'country' THEN g.groups ELSE [f.region_group] END AS within
                FROM finance_flow f LEFT JOIN (SELECT iso3, list(grp) AS groups FROM country_group GROUP BY iso3) g
                    ON g.iso3 = f.recipient
                WHERE f.record_class = 'official'),
             where_is AS MATERIALIZED (SELECT dataset, project_id, any_value(record_class) AS rc
                                       FROM finance_flow GROUP BY ALL),
             a AS (SELECT p.*, o.*, {usd} AS usd FROM p JOIN off o ON o.dataset = p.da),
             b AS (SELECT p.*, o.*, {usd} AS usd,
                          p.scope IS NULL OR list_contains(coalesce(o.within, []), p.scope) AS in_scope
                   FROM p JOIN off o ON o.dataset = p.db)
        SELECT a.da, a.db, a.project_id, 'dropped', NULL,
               CASE WHEN w.rc IS NULL THEN 'not in ' || a.db ELSE 'now ' || w.rc END,
               a.year, NULL, a.measure, a.usd, NULL, a.source_id, NULL
        FROM a ANTI JOIN b ON a.da = b.da AND a.project_id = b.project_id
        LEFT JOIN where_is w ON w.dataset = a.db AND w.project_id = a.project_id
        UNION ALL
        SELECT b.da, b.db, b.project_id, CASE WHEN b.year > b.last THEN 'beyond' ELSE 'added' END, NULL,
               CASE WHEN b.year > b.last THEN 'after ' || b.da || '''s last year'
                    WHEN w.rc IS NULL THEN 'not in ' || b.da ELSE 'was ' || w.rc END,
               NULL, b.year, b.measure, NULL, b.usd, NULL, b.source_id
        FROM b ANTI JOIN a ON a.da = b.da AND a.project_id = b.project_id
        LEFT JOIN where_is w ON w.dataset = b.da AND w.project_id = b.project_id
        WHERE b.in_scope AND b.year >= b.first
        UNION ALL
        SELECT da, db, project_id, 'changed', concat_ws(', ', {fs}), concat_ws('; ', {ds}), year_a, year_b,
               measure, usd_a, usd_b, source_a, source_b
        FROM (SELECT a.da, a.db, a.project_id, a.measure, a.year AS year_a, b.year AS year_b, a.usd AS usd_a,
                     b.usd AS usd_b, a.source_id AS source_a, b.source_id AS source_b, {flags}, {details}
              FROM a JOIN b ON a.da = b.da AND a.project_id = b.project_id)
        WHERE coalesce({fs}) IS NOT NULL""")


def findings(con: "duckdb.DuckDBPyConnection", out: list[Finding]) -> None:
    """One line per pair of versions: what the later adds, drops and changes."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for a, b, change, n in con.execute("""
            SELECT dataset_a, dataset_b, change, count(*) FROM finance_version_diff GROUP BY ALL
            UNION ALL SELECT dataset_a, dataset_b, 'moved', count(*) FROM finance_version_diff
                WHERE change = 'dropped' AND detail LIKE 'now %' GROUP BY ALL
            UNION ALL SELECT dataset_a, dataset_b, 'field:' || f, count(*) FROM (
                SELECT dataset_a, dataset_b, unnest(string_split(fields, ', ')) AS f FROM finance_version_diff
                WHERE change = 'changed') GROUP BY ALL""").fetchall():
        counts.setdefault((a, b), {})[change] = int(n)
    sources = dict(con.execute("SELECT dataset, min(source_id) FROM finance_dataset GROUP BY 1").fetchall())
    for a, b, measure, _, first, last in _pairs(con):
        c = counts.get((a, b), {})
        what = ", ".join(f"{k.replace('_', ' ')} {c['field:' + k]}" for k, _, _ in _CHANGES if f"field:{k}" in c)
        out.append(Finding(
            sources.get(b), "finance_version_diff",
            f"AidData {a} -> {b}, official finance records by project id: {c.get('added', 0)} added "
            f"({first}-{last}), {c.get('dropped', 0)} dropped ({c.get('moved', 0)} of them moved to another sheet "
            f"or status), {c.get('changed', 0)} changed ({what or 'none'}"
            + (f"; amounts compared in {measure}" if measure else "; amounts not comparable") + "); "
            f"{c.get('beyond', 0)} records for years after {last}",
            c.get("added", 0) + c.get("dropped", 0) + c.get("changed", 0)))


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """Each pair of consecutive versions: official finance (AidData's sum, pledges out) per
    recipient and year, in the dollars both give, over the earlier one's years and scope.
    ``month`` is January 1st of the year; the recipient goes in the ``contributor`` column."""
    out = []
    flows = ", ".join("'" + f.replace("'", "''") + "'" for f in OFFICIAL_FLOWS)
    for a, b, measure, scope, first, last in _pairs(con):
        if not measure:
            continue
        side = (f"SELECT make_date(year, 1, 1) AS month, {_LABEL.format(t='')} AS contributor, '{measure}' AS type, "
                f"round({measure}) AS total, source_id FROM finance_flow WHERE dataset = '{{d}}' "
                f"AND record_class = 'official' AND NOT pledge AND flow_class IN ({flows}) "
                f"AND {measure} IS NOT NULL AND year BETWEEN {first} AND {last} AND {_in_scope(scope)}")
        years = tuple(date(y, 1, 1) for y in range(first, last + 1))
        out.append(Check(f"finance:{a}_vs_{b}", side.format(d=a), side.format(d=b), ("contributor",),
                         f"AidData {a}", f"AidData {b}", years))
    return out


DOMAIN = Domain(
    name="finance",
    summary="China's official finance, project by project: AidData's Africa 1.0-1.2 and global 1.0 datasets",
    layouts=LAYOUTS,
    tables=TABLES,
    derive=derive,
    # the years of the live records (inactive and suspicious ones reach back to 1962)
    coverage="""SELECT source_id, make_date(year, m, 1) AS month FROM finance_flow, (VALUES (1), (12)) t(m)
                WHERE record_class NOT IN ('inactive', 'suspicious')""",
    checks=checks,
    findings=findings,
)
