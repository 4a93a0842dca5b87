"""The assessments domain: who pays for the UN, on the regular budget and for peacekeeping.

Four layouts, read by ``assessment_json`` and ``assessment_scale`` (their docstrings say
how each file is read), each into a table at its native grain:

- ``un_contribution``: every amount the UN system's financial statistics (CEB) report,
  donor x entity x financing instrument x calendar year, 2013-2024. The peacekeeping
  assessed contribution is entity ``UN-DPO``, instrument ``Assessed``.
- ``regular_budget_assessment``: each member's regular-budget rate, amount and honour-roll
  status per year, 2019-2026 (``regular_budget_year``: each file's own totals and dates).
- ``scale_rate``: the regular-budget scale of assessments, member x scale period,
  1946-2027, from the UN's workbook and from a CSV copy of it.

Derived once every file is in:

- ``assessment``, member x year x scale: ``regular`` is the scale's rate for each year of
  its period (the workbook's, the CSV's only where the workbook lacks the cell), with the
  amount and honour-roll status of that year's contributor file where there is one;
  ``peacekeeping`` is each state's share of the calendar year's ``UN-DPO`` / ``Assessed``
  total, its effective peacekeeping rate. Ranks are per year, largest first, ties sharing.
- ``assessment_comparison``, member x year (2013-2024): the peacekeeping share against the
  regular rate, where the permanent members' premium and the developing countries'
  discounts show.

Three checks: the CSV against the workbook (per member and period), the scale against the
contributor files (per member and year), and the peacekeeping share against the regular
rate (per member and year; these differ by design, and the findings say how). Rates and
shares are compared in millionths of a percent, the checks' whole numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding

if TYPE_CHECKING:
    import duckdb

__all__ = ["DOMAIN", "PEACEKEEPING_DEFINITION", "REGULAR_DEFINITION"]

_OPEN = "united-nations/open @af72496b public/data/"
_SCALE_REPO = "tierravivaai/cali-fund-allocation-model @9ee7ec87 "
LAYOUTS = (
    Layout("un_scale_xlsx", ("finance/un-scale/Scale of Assessments for RB *.xlsx",), "scale_rate", 400,
           "UN General Assembly, Committee on Contributions: scale of assessments for the regular budget",
           _SCALE_REPO + "'Scale of Assessments for RB 1946-2027.xlsx' (the UN's workbook, "
           "un.org/en/ga/contributions/scale.shtml)", "assessment_scale:read_scale_xlsx"),
    Layout("un_scale_csv", ("finance/un-scale/UNGA_scale_of_assessment*.csv",), "scale_rate", 410,
           "tierravivaai/cali-fund-allocation-model, from the UN's scale of assessments",
           _SCALE_REPO + "UNGA_scale_of_assessment.csv", "assessment_scale:read_scale_csv"),
    Layout("un_open_donors", ("finance/un-open/donors-*.json",), "un_contribution", 420,
           "UN System Chief Executives Board (CEB) financial statistics, via the UN Transparency Portal",
           _OPEN + "donors-YYYY.json (open.un.org)", "assessment_json:read_donors"),
    Layout("un_open_regular_budget", ("finance/un-open/regular-budget-contributors-*.json",),
           "regular_budget_assessment", 430,
           "UN Committee on Contributions (assessments ST/ADM/SER.B, honour roll), via the UN Transparency Portal",
           _OPEN + "regular-budget-contributors-YYYY.json (open.un.org)", "assessment_json:read_regular_budget"),
)

TABLES = """
-- every amount of the UN system's revenue by donor, entity and financing instrument, per
-- calendar year (finance/un-open/donors-YYYY.json); donor is NULL for organisations
CREATE TABLE un_contribution (source_id INTEGER NOT NULL, line INTEGER NOT NULL, year INTEGER NOT NULL,
    donor_name VARCHAR NOT NULL, donor VARCHAR, donor_status VARCHAR, donor_category VARCHAR, is_other BOOLEAN,
    member_state BOOLEAN, entity VARCHAR NOT NULL, instrument VARCHAR NOT NULL, amount_usd DOUBLE NOT NULL);

-- regular-budget assessments per member and year with the honour roll
-- (finance/un-open/regular-budget-contributors-YYYY.json)
CREATE TABLE regular_budget_assessment (source_id INTEGER NOT NULL, line INTEGER NOT NULL, year INTEGER NOT NULL,
    member_name VARCHAR NOT NULL, member VARCHAR NOT NULL, rate DOUBLE NOT NULL, amount_usd BIGINT NOT NULL,
    amount_basis VARCHAR, payment_status VARCHAR NOT NULL, paid_in_full BOOLEAN NOT NULL, payment_date DATE);

-- each regular-budget contributor file's own totals and dates (its "meta" object)
CREATE TABLE regular_budget_year (source_id INTEGER NOT NULL, year INTEGER NOT NULL, as_of DATE, due_date DATE,
    member_states INTEGER, assessment_total BIGINT, amount_basis VARCHAR, paid_in_full INTEGER,
    paid_on_time INTEGER, paid_late INTEGER, not_paid_in_full INTEGER, assessment_document VARCHAR);

-- the regular-budget scale of assessments: member x scale period, rate in percent
-- (finance/un-scale/, the workbook and the CSV)
CREATE TABLE scale_rate (source_id INTEGER NOT NULL, line INTEGER NOT NULL, member_name VARCHAR NOT NULL,
    member VARCHAR NOT NULL, period_from INTEGER NOT NULL, period_to INTEGER NOT NULL, rate DOUBLE NOT NULL,
    footnote VARCHAR, column_label VARCHAR);

-- derived: member x year x scale ('regular', 'peacekeeping'), share in percent
CREATE TABLE assessment (scale VARCHAR NOT NULL, year INTEGER NOT NULL, member VARCHAR NOT NULL,
    share DOUBLE NOT NULL, amount_usd DOUBLE, rank INTEGER NOT NULL, members INTEGER NOT NULL,
    payment_status VARCHAR, payment_date DATE, member_state BOOLEAN, source_id INTEGER NOT NULL,
    amount_source_id INTEGER);

-- derived: member x year, the peacekeeping share against the regular rate (2013-2024)
CREATE TABLE assessment_comparison (year INTEGER NOT NULL, member VARCHAR NOT NULL, regular_rate DOUBLE,
    peacekeeping_share DOUBLE, ratio DOUBLE, difference DOUBLE, relation VARCHAR NOT NULL, p5 BOOLEAN NOT NULL,
    regular_source_id INTEGER, peacekeeping_source_id INTEGER);
"""

PEACEKEEPING_DEFINITION = (
    "peacekeeping: each state's share of the calendar year's assessed contributions to peacekeeping "
    "(entity UN-DPO, instrument Assessed) as reported by the UN system's financial statistics (CEB), "
    "nominal US dollars; the share is the member's effective peacekeeping rate")
REGULAR_DEFINITION = (
    "regular: the UN regular-budget scale of assessments, each member's rate in percent for each year of "
    "the scale period (General Assembly); amounts (nominal US dollars) and honour-roll status from the "
    "regular-budget contributor files, 2019-2026")

_PK = "entity = 'UN-DPO' AND instrument = 'Assessed'"
# the rate of the workbook or CSV whose layout wins for each member and year
_SCALE_YEARS = """
    SELECT member, year, rate, source_id FROM (
        SELECT r.member, unnest(range(r.period_from, r.period_to + 1))::INTEGER AS year, r.rate, r.source_id,
               f.precedence
        FROM scale_rate r JOIN source_file f USING (source_id))
    QUALIFY row_number() OVER (PARTITION BY member, year ORDER BY precedence, source_id DESC) = 1"""


def derive(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """``assessment`` (both scales, per member and year, ranked), the member-state flags,
    and ``assessment_comparison``."""
    con.execute(f"""
        INSERT INTO assessment BY NAME
        SELECT 'regular' AS scale, s.year, s.member, s.rate AS share, b.amount_usd,
               rank() OVER (PARTITION BY s.year ORDER BY s.rate DESC) AS rank,
               count(*) OVER (PARTITION BY s.year) AS members, b.payment_status, b.payment_date,
               TRUE AS member_state, s.source_id, b.source_id AS amount_source_id
        FROM ({_SCALE_YEARS}) s LEFT JOIN regular_budget_assessment b ON b.member = s.member AND b.year = s.year""")
    # every state's share of the whole year's total: an organisation paying an assessment
    # (none does) would count in the total and have no rank
    con.execute(f"""
        INSERT INTO assessment BY NAME
        WITH pk AS (SELECT year, donor AS member, sum(amount_usd) AS amount_usd, min(source_id) AS source_id
                    FROM un_contribution WHERE {_PK} AND donor IS NOT NULL GROUP BY year, donor),
             total AS (SELECT year, sum(amount_usd) AS total FROM un_contribution WHERE {_PK} GROUP BY year)
        SELECT 'peacekeeping' AS scale, year, member, 100 * amount_usd / total AS share, amount_usd,
               rank() OVER (PARTITION BY year ORDER BY amount_usd DESC) AS rank,
               count(*) OVER (PARTITION BY year) AS members, source_id, source_id AS amount_source_id
        FROM pk JOIN total USING (year) WHERE total > 0""")
    # a member state is one on the regular scale that year (the donors files' own status
    # calls three members "nonmember"); unknown (NULL) for a year the scale does not cover
    for table, key in (("un_contribution", "donor"), ("assessment", "member")):
        only = " AND scale = 'peacekeeping'" if table == "assessment" else ""
        con.execute(f"""UPDATE {table} SET member_state = ({key} IS NOT NULL AND {key} IN (
                SELECT r.member FROM assessment r WHERE r.scale = 'regular' AND r.year = {table}.year))
            WHERE year IN (SELECT year FROM assessment WHERE scale = 'regular'){only}""")
    con.execute("""
        INSERT INTO assessment_comparison BY NAME
        WITH p AS (SELECT year, member, share, source_id FROM assessment WHERE scale = 'peacekeeping'),
             r AS (SELECT year, member, share, source_id FROM assessment
                   WHERE scale = 'regular' AND year IN (SELECT year FROM p))
        SELECT coalesce(p.year, r.year) AS year, coalesce(p.member, r.member) AS member,
               r.share AS regular_rate, p.share AS peacekeeping_share, p.share / nullif(r.share, 0) AS ratio,
               p.share - r.share AS difference,
               CASE WHEN p.share IS NULL THEN 'regular only' WHEN r.share IS NULL THEN 'peacekeeping only'
                    WHEN p.share > r.share * 1.05 THEN 'premium' WHEN p.share < r.share * 0.95 THEN 'discount'
                    ELSE 'same' END AS relation,
               EXISTS (SELECT 1 FROM country_group g WHERE g.grp = 'P5' AND g.iso3 = coalesce(p.member, r.member)
                       AND (g.valid_from IS NULL OR g.valid_from <= make_date(coalesce(p.year, r.year), 12, 31))
                       AND (g.valid_to IS NULL OR g.valid_to >= make_date(coalesce(p.year, r.year), 12, 31))) AS p5,
               r.source_id AS regular_source_id, p.source_id AS peacekeeping_source_id
        FROM p FULL JOIN r ON p.year = r.year AND p.member = r.member""")


# rates and shares as the checks' whole numbers: millionths of a percent (the workbook has
# rates to 5 decimals, 1.02675; the reader keeps 6)
_E6 = "round({} * 1000000)::BIGINT"
_UNIT = "percent x 1,000,000"


def _scale_side(layout: str) -> str:
    return (f"SELECT make_date(period_from, 1, 1) AS month, member AS contributor, 'regular_rate' AS type, "
            f"{_E6.format('rate')} AS total, source_id FROM scale_rate "
            f"WHERE source_id IN (SELECT source_id FROM source_file WHERE layout = '{layout}')")


def _assessment_side(scale: str) -> str:
    return (f"SELECT make_date(year, 1, 1) AS month, member AS contributor, 'rate' AS type, "
            f"{_E6.format('share')} AS total, source_id FROM assessment WHERE scale = '{scale}'")


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """The CSV against the workbook (month = the period's first year), the scale against
    the contributor files, and the peacekeeping share against the regular rate (month =
    January of the year)."""
    contributors = ("SELECT make_date(year, 1, 1) AS month, member AS contributor, 'rate' AS type, "
                    f"{_E6.format('rate')} AS total, source_id FROM regular_budget_assessment")
    return [
        Check("assessments:scale_csv_vs_xlsx", _scale_side("un_scale_xlsx"), _scale_side("un_scale_csv"),
              ("contributor",), f"scale workbook (xlsx; {_UNIT})", f"scale CSV copy ({_UNIT})"),
        Check("assessments:scale_vs_contributor_files", _assessment_side("regular"), contributors,
              ("contributor",), f"regular scale, resolved ({_UNIT})",
              f"regular-budget contributor files ({_UNIT})"),
        Check("assessments:peacekeeping_vs_regular", _assessment_side("regular"), _assessment_side("peacekeeping"),
              ("contributor",), f"regular-budget rate ({_UNIT})",
              f"peacekeeping share of UN-DPO assessed ({_UNIT})"),
    ]


def _agreement(con: "duckdb.DuckDBPyConnection", name: str, kind: str, what: str, out: list[Finding]) -> None:
    row = con.execute("SELECT cells, differing, first_month, last_month FROM reconciliation_summary "
                      "WHERE check_name = ?", [name]).fetchone()
    if row is None:
        return
    cells, differing, first, last = row
    worst = con.execute("""SELECT year(month), contributor, value_a, value_b, coalesce(source_b, source_a)
        FROM reconciliation WHERE check_name = ?
        ORDER BY abs(coalesce(value_a, 0) - coalesce(value_b, 0)) DESC, month, contributor LIMIT 8""",
                        [name]).fetchall()

    def pct(v: int | None) -> str:
        return "absent" if v is None else f"{v / 1000000:g}%"

    detail = "; ".join(f"{c} {y}: {pct(a)} vs {pct(b)}" for y, c, a, b, _ in worst)
    out.append(Finding(worst[0][4] if worst else None, kind,
                       f"{what} {first:%Y}-{last:%Y}: {cells - differing} of {cells} rates equal"
                       + (f"; {differing} differ, e.g. {detail}" if differing else ""), int(differing)))


def findings(con: "duckdb.DuckDBPyConnection", out: list[Finding]) -> None:
    """How the scale's two files and the contributor files agree; per year, the permanent
    members' premium and the discounts in the peacekeeping shares; members missing from a
    year's peacekeeping figures; donors the source's status calls non-members."""
    _agreement(con, "assessments:scale_csv_vs_xlsx", "scale_csv_vs_xlsx",
               "regular scale, CSV copy against the workbook, periods starting", out)
    _agreement(con, "assessments:scale_vs_contributor_files", "scale_vs_contributor_files",
               "regular scale against the contributor files, years", out)
    starts = {y for (y,) in con.execute("SELECT DISTINCT period_from FROM scale_rate").fetchall()}
    for year, p5_pk, p5_reg, same, discount, premium, others, sid in con.execute("""
            SELECT year, sum(peacekeeping_share) FILTER (WHERE p5), sum(regular_rate) FILTER (WHERE p5),
                   count(*) FILTER (WHERE relation = 'same'), count(*) FILTER (WHERE relation = 'discount'),
                   count(*) FILTER (WHERE relation = 'premium' AND p5),
                   list(format('{} ({:.4f}% against {:.3f}%)', member, peacekeeping_share, regular_rate)
                        ORDER BY member) FILTER (WHERE relation = 'premium' AND NOT p5),
                   min(peacekeeping_source_id)
            FROM assessment_comparison GROUP BY year ORDER BY year""").fetchall():
        if p5_pk is None or p5_reg is None:
            continue
        why = ("the first year of a scale: calendar-year revenue mixes assessments made at the old and the new "
               "scale's rates, and these members' rates fell" if year in starts else "not explained by the rates")
        out.append(Finding(sid, "peacekeeping_premium",
                           f"{year}: the P5 paid {p5_pk:.2f}% of peacekeeping assessments against {p5_reg:.2f}% of "
                           f"the regular budget (x{p5_pk / p5_reg:.2f}; {premium} of them more than 5% above their "
                           f"regular rate); {same} members paid within 5% of their regular rate, {discount} less "
                           "(the discounts for developing countries)"
                           + (f"; more than 5% above their regular rate without being permanent members: "
                              f"{', '.join(others[:8])}" + (f" and {len(others) - 8} more" if len(others) > 8 else "")
                              + f" ({why})" if others else ""), premium))
    for year, members, sid in con.execute("""
            SELECT year, list(member ORDER BY member), min(regular_source_id) FROM assessment_comparison
            WHERE relation = 'regular only' GROUP BY year ORDER BY year""").fetchall():
        out.append(Finding(sid, "peacekeeping_missing",
                           f"{year}: {len(members)} members on the regular scale have no peacekeeping assessed "
                           f"contribution in the financial statistics: {', '.join(members)}; the year's shares "
                           "are of what was reported", len(members)))
    rows = con.execute("""
        SELECT donor, donor_name, donor_status, min(year), max(year), min(source_id) FROM un_contribution
        WHERE member_state AND donor_status <> 'member' GROUP BY ALL ORDER BY donor""").fetchall()
    if rows:
        out.append(Finding(rows[0][5], "donor_status_mismatch",
                           "the financial statistics call some member states otherwise (they are on the regular "
                           "scale and pay peacekeeping assessments; counted as members): "
                           + "; ".join(f"{n} ({d}) '{s}' {a}-{b}" for d, n, s, a, b, _ in rows), len(rows)))


DOMAIN = Domain(
    name="assessments",
    summary="who pays: the regular-budget scale, its contributor files, and peacekeeping assessed contributions",
    layouts=LAYOUTS,
    tables=TABLES,
    derive=derive,
    coverage="""
        SELECT source_id, make_date(year, m, 1) AS month FROM (SELECT DISTINCT source_id, year FROM un_contribution),
            (VALUES (1), (12)) v(m)
        UNION ALL SELECT source_id, make_date(year, m, 1) FROM regular_budget_assessment, (VALUES (1), (12)) v(m)
        UNION ALL SELECT source_id, make_date(period_from, 1, 1) FROM scale_rate
        UNION ALL SELECT source_id, make_date(period_to, 12, 1) FROM scale_rate""",
    checks=checks,
    findings=findings,
)
