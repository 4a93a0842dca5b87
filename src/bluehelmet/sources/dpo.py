"""The official reports domain: the UN DPO monthly reports of uniformed personnel (PDF).

One layout, ``un/dpo-monthly/*.pdf`` (2015-01 .. 2025-07), read by ``dpo_read`` on top of
the parser in ``dpo_pdf``. Its rows are personnel observations: the personnel domain's
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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Finding
from .personnel import write_observations

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN", "DPO", "CITATION"]

DPO = "UN Department of Peace Operations (DPO)"
CITATION = ("UN DPO, monthly summary of contributions of uniformed personnel to UN peacekeeping by "
            "country, mission and post (PDF), 2015-01 .. 2025-07; mirrored in the public GitHub "
            "repository kl371218/kl371218 @3589ecac (2025-09-14)")

LAYOUTS = (
    # precedence 5: the detail source wherever a report exists (IPI's detail ends 2014-08,
    # so no detail month has both); its contributor totals (2018-03 .. 2019-08) rank as
    # aggregate rows of a finer file (+100), after any native contributor file
    Layout("un_dpo_monthly", ("un/dpo-monthly/*.pdf",), "detail", 5, DPO, CITATION, "dpo_read:read_reports"),
)

TABLES = """
CREATE TABLE dpo_report (source_id INTEGER NOT NULL, month DATE NOT NULL, month_source VARCHAR NOT NULL,
    file_month VARCHAR, layout VARCHAR NOT NULL, grain VARCHAR NOT NULL, pages INTEGER,
    grand_total BIGINT, loaded BOOLEAN NOT NULL, not_loaded VARCHAR);
CREATE TABLE dpo_total (source_id INTEGER NOT NULL, month DATE NOT NULL, page INTEGER NOT NULL,
    line INTEGER NOT NULL, scope VARCHAR NOT NULL, country VARCHAR, contributor VARCHAR, mission VARCHAR,
    male BIGINT, female BIGINT, total BIGINT, printed_count INTEGER);
"""


def agreement(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """The reports against IPI's own mission and world totals over the months both have,
    summarised month by month (the cells are in ``reconciliation``)."""
    layout = LAYOUTS[0].name
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


DOMAIN = Domain(
    name="official_reports",
    summary="the UN DPO monthly reports (PDF): personnel observations, printed totals, files by month",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write_observations,
    coverage="SELECT source_id, month FROM dpo_report",
    findings=agreement,
)
