"""The official reports domain: the UN DPO monthly figures of uniformed personnel (PDF, CSV).

Two layouts of the same official figures:

- ``un_dpo_monthly``: the monthly reports, ``un/dpo-monthly/*.pdf`` (2015-01 .. 2025-07),
  read by ``dpo_read`` on top of the parser in ``dpo_pdf``;
- ``un_datahub_contributions``: the Peace and Security Data Hub's contributions table
  (DPO-UCHISTORICAL, 2010 onward), ``un/datahub/*.csv``, read by ``datahub``. None is in
  the shared data; a user adds one with ``bluehelmet add``.

Their rows are personnel observations: the personnel domain's
writer puts them in ``obs_detail`` (contributor x mission x type x sex) or, for the
reports with no mission breakdown (2018-03 .. 2019-08), ``obs_contributor``; from there
the personnel domain resolves and reconciles them with IPI's files like any other layout.
What is particular to the reports stays here: ``dpo_total``, every printed subtotal and
grand total (the evidence that the rows add up), and ``dpo_report``, one row per file
(printed month, layout, grain, whether it is the file loaded for its month).

Printed totals are not written to ``obs_mission``/``obs_world``: IPI's aggregate rows are
per-type observations, while most printed totals are sums over types that the parser has
already checked against the rows; writing them again would count the same figures twice
under another name. The mission and world grains in 2015-01 .. 2017-03 stay IPI's, and
the checks ``detail_vs_mission`` and ``detail_vs_world`` compare the reports with them.

Precedence, per month (the personnel domain resolves the detail grain one month at a
time): a report wins over the Data Hub, which wins over IPI's compilations. The report's
rows are proven complete by its printed subtotals and grand total; the Hub prints no
totals and its catalogue warns that some months lack data, so a Hub month that is only
partly there must not replace a report that adds up. The Hub, the UN's own table, still
comes before IPI's scrapes of the same reports (2010-01 .. 2014-08), and it answers every
month no report prints at the detail grain: the gaps (2015-03, 2016-03, 2017-03, 2020-06,
2022-07) and, with missions, the reports that have none (2018-03 .. 2019-08, 2023-09). The
checks ``overlap:detail`` (the Hub against the reports or IPI) and ``detail_vs_contributor``
(the Hub's missions summed against a report's contributor totals) compare them where both
have a month, and the ``datahub_vs_reports`` finding sums that up month by month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Finding
from .personnel import write_observations

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN", "DPO", "CITATION", "HUB_CITATION", "REPORTS", "DATAHUB"]

DPO = "UN Department of Peace Operations (DPO)"
CITATION = ("UN DPO, monthly summary of contributions of uniformed personnel to UN peacekeeping by "
            "country, mission and post (PDF), 2015-01 .. 2025-07; mirrored in the public GitHub "
            "repository kl371218/kl371218 @3589ecac (2025-09-14)")

HUB_CITATION = ("UN Peace and Security Data Hub, DPO-UCHISTORICAL (Historical Uniformed Personnel "
                "Contribution), contributions of uniformed personnel by country, mission and personnel type, "
                "2010 onward (CSV)")

#: the layouts' names, for the checks and findings that compare them
REPORTS, DATAHUB = "un_dpo_monthly", "un_datahub_contributions"

LAYOUTS = (
    # precedence 5: the detail source wherever a report exists (IPI's detail ends 2014-08,
    # so no detail month has both); its contributor totals (2018-03 .. 2019-08) rank as
    # aggregate rows of a finer file (+100), after any native contributor file
    Layout(REPORTS, ("un/dpo-monthly/*.pdf",), "detail", 5, DPO, CITATION, "dpo_read:read_reports"),
    # precedence 8: after the reports (their rows add up to printed totals, the Hub's cannot
    # be checked so), before IPI's detail (10 and on): see the module's docstring
    Layout(DATAHUB, ("un/datahub/*.csv",), "detail", 8, DPO, HUB_CITATION, "datahub:read_contributions"),
)

TABLES = """
CREATE TABLE dpo_report (source_id INTEGER NOT NULL, month DATE NOT NULL, month_source VARCHAR NOT NULL,
    file_month VARCHAR, layout VARCHAR NOT NULL, grain VARCHAR NOT NULL, pages INTEGER,
    grand_total BIGINT, loaded BOOLEAN NOT NULL, not_loaded VARCHAR);
CREATE TABLE dpo_total (source_id INTEGER NOT NULL, month DATE NOT NULL, page INTEGER NOT NULL,
    line INTEGER NOT NULL, scope VARCHAR NOT NULL, country VARCHAR, contributor VARCHAR, mission VARCHAR,
    male BIGINT, female BIGINT, total BIGINT, printed_count INTEGER);
-- one row per Data Hub file and month: its valid rows and their sums, and whether it is the
-- file that month is loaded from (one file per month)
CREATE TABLE datahub_month (source_id INTEGER NOT NULL, month DATE NOT NULL, rows INTEGER NOT NULL,
    male BIGINT, female BIGINT, total BIGINT, loaded BOOLEAN NOT NULL);
"""


def agreement(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """The reports against IPI's own mission and world totals over the months both have,
    summarised month by month (the cells are in ``reconciliation``)."""
    layout = REPORTS
    for grain, keys in (("world", ""), ("mission", "mission, ")):
        rows = con.execute(f"""
            WITH dpo AS (SELECT o.month, {keys}sum(o.total) AS v FROM obs_detail o
                         JOIN source_file s USING (source_id) WHERE s.layout = ? AND o.type <> 'total'
                         GROUP BY ALL),
                 ipi AS (SELECT month, {keys}sum(total) AS v FROM personnel_{grain}
                         WHERE month IN (SELECT month FROM dpo) GROUP BY ALL),
                 cmp AS (SELECT month, {keys}dpo.v AS a, ipi.v AS b FROM dpo JOIN ipi USING (month{', mission' if keys else ''}))
            SELECT month, count(*), count(*) FILTER (WHERE a <> b), sum(a), sum(b),
                   sum(abs(a - b)) FROM cmp GROUP BY month ORDER BY month""", [layout]).fetchall()
        if not rows:
            continue
        differ = [(m, n, k, a, b, d) for m, n, k, a, b, d in rows if k]
        what = "world totals" if grain == "world" else "mission totals"
        detail = "; ".join(
            (f"{m:%Y-%m} differs by {d:,} ({a:,} in the reports, {b:,} in IPI's)" if grain == "world"
             else f"{m:%Y-%m}: {k} of {n} missions differ, by {d:,} in all")
            for m, n, k, a, b, d in differ)
        findings.append(Finding(None, "dpo_vs_ipi",
                                f"{what}, official reports vs IPI, {rows[0][0]:%Y-%m} .. {rows[-1][0]:%Y-%m}: "
                                f"{len(rows) - len(differ)} of {len(rows)} months equal"
                                + (f"; {detail}" if detail else ""), len(differ)))


def datahub_vs_reports(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """The Data Hub's months against the reports' where both have one: equal or not, at
    the finest grain both have (see ``dpo_months``; the cells are in ``reconciliation``)."""
    from .dpo_months import describe, differences, month_cells

    loaded = con.execute("SELECT count(*) FROM source_file WHERE layout = ?", [DATAHUB]).fetchone()
    if not loaded or not loaded[0]:
        return
    sides = []
    for layout in (REPORTS, DATAHUB):
        cur = con.execute("""
            SELECT o.month AS date, contributor, mission, type, male, female, total
            FROM obs_detail o JOIN source_file s USING (source_id) WHERE s.layout = ? AND o.type <> 'total'
            UNION ALL
            SELECT o.month, contributor, NULL, type, male, female, total
            FROM obs_contributor o JOIN source_file s USING (source_id) WHERE s.layout = ? AND o.type <> 'total'""",
                          [layout, layout])
        names = [d[0] for d in cur.description]
        sides.append(month_cells(dict(zip(names, r)) for r in cur.fetchall()))
    reports, hub = sides
    both = sorted(set(reports) & set(hub))
    if not both:
        return
    differ = [(m, d) for m in both if (d := differences(hub[m], reports[m]))]
    text = (f"Data Hub vs the monthly reports, {len(both)} month(s) both have ({both[0]} .. {both[-1]}): "
            f"{len(both) - len(differ)} equal")
    if differ:
        text += "; differing: " + "; ".join(f"{m}: {len(d)} cell{'' if len(d) == 1 else 's'}, e.g. {describe(d, 1)} (Hub vs report)"
                                            for m, d in differ[:10])
        text += f"; and {len(differ) - 10} more months" if len(differ) > 10 else ""
    findings.append(Finding(None, "datahub_vs_reports", text, len(differ)))


def findings(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """The reports against IPI, and the Data Hub against the reports."""
    agreement(con, found)
    datahub_vs_reports(con, found)


DOMAIN = Domain(
    name="official_reports",
    summary="the UN DPO monthly figures (report PDFs, Data Hub CSV): personnel observations, printed totals, "
            "files by month",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write_observations,
    coverage="SELECT source_id, month FROM dpo_report UNION ALL SELECT source_id, month FROM datahub_month",
    findings=findings,
)
