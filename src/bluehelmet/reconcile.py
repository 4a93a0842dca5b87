"""Reconciliation: where sources overlap, compare them cell by cell and record differences.

Three families of checks run on every build:

- ``overlap:<grain>``: two layouts of the same grain (e.g. the TCC-DataScraper and
  PPP_Loader detail files) over the months both cover;
- ``<fine>_vs_<coarse>``: the resolved finer grain summed up against the resolved coarser
  one (detail vs contributor totals, vs mission totals, vs world totals; contributor and
  mission totals vs world totals);
- ``stated_total``: a source's own total column against the sum of its types.

A cell missing on one side counts as zero, so a contributor absent from one file for a
month shows as a difference (that is how the missing US rows of 2012-12 surface).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from .sources.records import Finding
from .store.schema import COARSE_SQL

__all__ = ["reconcile", "Check", "DOMAINS"]

# source modules that contribute checks and findings of their own
DOMAINS: tuple[str, ...] = ("mandates", "geopko", "fatalities")

_KEYS = {"detail": ("contributor", "mission"), "contributor": ("contributor",),
         "mission": ("mission",), "world": ()}


@dataclass(frozen=True)
class Check:
    """One comparison: two sides giving (month, keys..., type, total, source_id)."""

    name: str
    a_sql: str
    b_sql: str
    keys: tuple[str, ...]
    label_a: str
    label_b: str
    months: tuple[date, ...] | None = None  # known overlap; None: the months both sides have


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _side_by_side(c: Check) -> str:
    key_list = ", ".join(("month", *c.keys, "type"))
    contributor = "contributor" if "contributor" in c.keys else "NULL::VARCHAR"
    mission = "mission" if "mission" in c.keys else "NULL::VARCHAR"
    if c.months is None:
        only, in_both = "", "WHERE month IN (SELECT month FROM a INTERSECT SELECT month FROM b)"
    else:  # filter before aggregating: overlaps are usually a few months of long files
        months = ", ".join(f"DATE '{m.isoformat()}'" for m in c.months)
        only, in_both = f"WHERE month IN ({months})", ""
    return f"""(
        WITH a AS (SELECT {key_list}, sum(total)::BIGINT AS v, min(source_id) AS s FROM ({c.a_sql}) {only} GROUP BY ALL),
             b AS (SELECT {key_list}, sum(total)::BIGINT AS v, min(source_id) AS s FROM ({c.b_sql}) {only} GROUP BY ALL)
        SELECT {_lit(c.name)} AS check_name, {_lit(c.label_a)} AS label_a, {_lit(c.label_b)} AS label_b,
               month, {contributor} AS contributor, {mission} AS mission, type,
               a.s AS sa, a.v AS va, b.s AS sb, b.v AS vb
        FROM a FULL JOIN b USING ({key_list}) {in_both})"""


def _run(con: duckdb.DuckDBPyConnection, checks: list[Check]) -> None:
    # one statement for all checks: DuckDB runs them together instead of 3 x 22 round trips
    con.execute("CREATE OR REPLACE TEMP TABLE _cmp AS " + " UNION ALL ".join(map(_side_by_side, checks)))
    con.execute("""
        INSERT INTO reconciliation
        SELECT check_name, label_a, label_b, month, contributor, mission, type, sa, va, sb, vb FROM _cmp
        WHERE coalesce(va, 0) <> coalesce(vb, 0)""")
    con.execute("""
        INSERT INTO reconciliation_summary
        SELECT check_name, label_a, label_b, count(DISTINCT month), count(*),
               count(*) FILTER (WHERE coalesce(va, 0) <> coalesce(vb, 0)),
               coalesce(sum(abs(coalesce(va, 0) - coalesce(vb, 0))), 0),
               coalesce(max(abs(coalesce(va, 0) - coalesce(vb, 0))), 0), min(month), max(month),
               format('{} cells only in {}, {} only in {}, {} in both with different values',
                      count(*) FILTER (WHERE coalesce(va, 0) <> 0 AND vb IS NULL), label_a,
                      count(*) FILTER (WHERE coalesce(vb, 0) <> 0 AND va IS NULL), label_b,
                      count(*) FILTER (WHERE va IS NOT NULL AND vb IS NOT NULL AND va <> vb))
        FROM _cmp GROUP BY check_name, label_a, label_b""")
    con.execute("DROP TABLE _cmp")


def reconcile(con: duckdb.DuckDBPyConnection, findings: list[Finding]) -> None:
    """Run every check; add findings for contributor-months one overlapping source lacks."""
    checks: list[Check] = []
    # 1. the same grain from two layouts, over the months both cover
    for grain, keys in _KEYS.items():
        layouts = con.execute(f"""SELECT s.layout, list(DISTINCT o.month) FROM obs_{grain} o
            JOIN source_file s USING (source_id) GROUP BY s.layout, s.precedence ORDER BY s.precedence""").fetchall()
        type_sql = "type" if grain == "detail" else COARSE_SQL

        def side(layout: str) -> str:
            return (f"SELECT o.month, {''.join(k + ', ' for k in keys)}{type_sql} AS type, o.total, "
                    f"o.source_id FROM obs_{grain} o JOIN source_file s USING (source_id) "
                    f"WHERE s.layout = {_lit(layout)} AND o.type <> 'total'")

        for i, (la, months_a) in enumerate(layouts):
            for lb, months_b in layouts[i + 1:]:
                both = tuple(sorted(set(months_a) & set(months_b)))
                if both:
                    checks.append(Check(f"overlap:{grain}", side(la), side(lb), keys, la, lb, both))
    # 2. finer resolved grain summed against coarser resolved grain
    coarse_detail = f"SELECT month, contributor, mission, {COARSE_SQL} AS type, total, source_id FROM personnel"
    for name, fine, coarse, keys in (
        ("detail_vs_contributor", coarse_detail, "personnel_contributor", ("contributor",)),
        ("detail_vs_mission", coarse_detail, "personnel_mission", ("mission",)),
        ("detail_vs_world", coarse_detail, "personnel_world", ()),
        ("contributor_vs_world", "SELECT * FROM personnel_contributor", "personnel_world", ()),
        ("mission_vs_world", "SELECT * FROM personnel_mission", "personnel_world", ()),
    ):
        fine_label, coarse_label = name.split("_vs_")
        checks.append(Check(name, fine, f"SELECT * FROM {coarse}", keys, fine_label + " (resolved)",
                             coarse_label + " (resolved)"))
    # 3. each source's stated totals against the sum of its own types
    for grain, keys in _KEYS.items():
        k = "".join(f"{x}, " for x in keys)
        checks.append(Check(
            f"stated_total:{grain}",
            f"SELECT month, {k}'total' AS type, total, source_id FROM obs_{grain} WHERE type = 'total'",
            f"SELECT month, {k}'total' AS type, total, source_id FROM obs_{grain} "
            f"WHERE type <> 'total' AND (source_id, line) IN (SELECT (source_id, line) FROM obs_{grain} WHERE type = 'total')",
            (*keys, "source_id"), "stated total", "sum of types"))
    # 4. the checks of each domain that has tables of its own (authorisations, fatalities,
    # sites): a module in bluehelmet.sources with a checks(con) -> list[Check] function
    import importlib

    for name in DOMAINS:
        module = importlib.import_module(f"bluehelmet.sources.{name}")
        if hasattr(module, "checks"):
            checks.extend(module.checks(con))
    _run(con, checks)
    _missing_rows(con, findings)
    for name in DOMAINS:
        module = importlib.import_module(f"bluehelmet.sources.{name}")
        if hasattr(module, "findings"):
            module.findings(con, findings)


def _missing_rows(con: duckdb.DuckDBPyConnection, findings: list[Finding]) -> None:
    """Turn overlap differences where a whole contributor-month is absent into findings."""
    rows = con.execute("""
        WITH d AS (SELECT month, contributor, label_a, label_b,
                          bool_and(value_b IS NULL) AS none_b, bool_and(value_a IS NULL) AS none_a,
                          count(*) AS cells, sum(coalesce(value_a, 0) + coalesce(value_b, 0)) AS people
                   FROM reconciliation WHERE check_name = 'overlap:detail'
                   GROUP BY month, contributor, label_a, label_b)
        SELECT d.month, d.contributor, c.name, d.label_a, d.label_b, d.none_b, d.cells, d.people
        FROM d JOIN country c ON c.iso3 = d.contributor
        WHERE (d.none_b OR d.none_a) AND d.people > 0 ORDER BY d.month, d.contributor""").fetchall()
    for month, iso3, name, file_a, file_b, missing_in_b, cells, people in rows:
        has, lacks = (file_a, file_b) if missing_in_b else (file_b, file_a)
        findings.append(Finding(None, "missing_rows",
                                f"{name} ({iso3}) {month:%Y-%m}: {cells} detail cells ({people} personnel) "
                                f"are in layout {has} but missing from layout {lacks}", cells))
