"""The spending domain: what each peacekeeping account spent, per fiscal year and cost class.

Two file families from the UN Transparency Portal (open.un.org, ``finance/un-open/``),
read by ``spending_readers`` (its docstring says how):

- ``budget-pko-YYYY.json``: the Secretary-General's **performance reports**, one per
  peacekeeping account, as extracted by united-nations/programme-budget-data: expenditure
  of the fiscal year *starting* in July of YYYY, per account, cost class and item, each
  figure with the UN document symbol it was printed in (``A/78/761``).
- ``budget-audited-pko-YYYY.json``: the **audited financial statements**: expenditure of
  the fiscal year *ending* in June of YYYY, per account, with no cost classes and no
  document symbols.

Both measure expenditure (what was spent), never the approved budget (apportionment),
in US dollars of the day (nominal). The file names count fiscal years differently
(``budget-pko-2022`` and ``budget-audited-pko-2023`` are both 2022/23), so the fiscal
year is always read from the label each file prints (``"fiscalYear": "2022/23"``).

The rows keep the accounts as the files name them (``account_as_written``); ``account``
is the one code per account (the audited statements call the Global Service Centre by
its former name, UNLB); ``derive`` resolves ``mission`` against the mission reference
(built by the missions domain, which runs before this one) and says what each account
is. Accounts that are no mission (the service centres, the audited ``OTHER``) are kept:
their money is part of every file's total. A code that is neither is a finding, never
dropped and never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding

if TYPE_CHECKING:
    import duckdb

    from ..records import LayoutResult

__all__ = ["DOMAIN", "ACCOUNTS", "RENAMED", "STATEMENTS"]

_PORTAL = "UN Transparency Portal (open.un.org), GitHub united-nations/open @af72496b public/data/"

LAYOUTS = (
    # audited figures answer before the performance reports where both give an account-year
    # (query/spending.py orders by this precedence)
    Layout("un_open_pko_audited", ("finance/un-open/budget-audited-pko-*.json",), "mission_spending", 10,
           "UN Secretariat, audited financial statements (peacekeeping mission accounts), via the UN "
           "Transparency Portal", _PORTAL + "budget-audited-pko-YYYY.json (audited financial statements extract)",
           "spending_readers:read_audited"),
    Layout("un_open_pko_performance", ("finance/un-open/budget-pko-*.json",), "mission_spending", 20,
           "UN Secretariat, performance reports on the peacekeeping budgets, via the UN Transparency Portal",
           _PORTAL + "budget-pko-YYYY.json (united-nations/programme-budget-data financial-data-v1.4)",
           "spending_readers:read_performance"),
)

#: the statement each layout's files are (a column of every row)
STATEMENTS = {"un_open_pko_audited": "audited", "un_open_pko_performance": "performance"}

#: peacekeeping accounts that are no mission: kind and name. The service centres are
#: financed like missions and reported beside them; ``OTHER`` is what the audited statements
#: put under that code (2019/20 only).
ACCOUNTS = {
    "RSCE": ("support", "Regional Service Centre in Entebbe"),
    "UNGSC": ("support", "United Nations Global Service Centre (Brindisi)"),
    "UNSOH": ("support", "United Nations Support Office in Somalia (successor arrangement)"),
    "OTHER": ("other", "other peacekeeping accounts, as the audited statements group them"),
}
#: codes as written -> the one code of the account. UNLB (United Nations Logistics Base at
#: Brindisi) is the Global Service Centre's former name, which the audited statements keep;
#: its 2022/23 amount equals UNGSC's in the performance report to the dollar.
RENAMED = {"UNLB": "UNGSC"}

TABLES = """
-- each file's own statement of what it holds: its meta block and its 'whole' record
CREATE TABLE spending_file (source_id INTEGER NOT NULL, line INTEGER, statement VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, currency VARCHAR NOT NULL, fiscal_year VARCHAR NOT NULL, fy_start DATE NOT NULL,
    file_year INTEGER, cycle INTEGER, label VARCHAR, scope VARCHAR, scope_warning VARCHAR,
    stated_total DECIMAL(18,2), meta_total DECIMAL(18,2), release VARCHAR, url VARCHAR,
    not_published VARCHAR[]);

-- expenditure per account x fiscal year x statement x cost class ('total': the account's own
-- printed total; the three classes in the performance reports only)
CREATE TABLE mission_spending (source_id INTEGER NOT NULL, line INTEGER NOT NULL, statement VARCHAR NOT NULL,
    measure VARCHAR NOT NULL, fiscal_year VARCHAR NOT NULL, fy_start DATE NOT NULL, account VARCHAR NOT NULL,
    account_as_written VARCHAR NOT NULL, account_name VARCHAR, mission VARCHAR, account_kind VARCHAR,
    cost_class VARCHAR NOT NULL, amount DECIMAL(18,2) NOT NULL, symbol VARCHAR, row_label VARCHAR,
    column_header VARCHAR, basis VARCHAR, record_id VARCHAR);

-- the items of each cost class (performance reports): military contingents, air operations ...
CREATE TABLE mission_spending_item (source_id INTEGER NOT NULL, line INTEGER NOT NULL,
    statement VARCHAR NOT NULL, measure VARCHAR NOT NULL, fiscal_year VARCHAR NOT NULL, fy_start DATE NOT NULL,
    account VARCHAR NOT NULL, account_as_written VARCHAR NOT NULL, mission VARCHAR, account_kind VARCHAR,
    cost_class VARCHAR NOT NULL, item VARCHAR NOT NULL, label VARCHAR, amount DECIMAL(18,2) NOT NULL,
    symbol VARCHAR, row_label VARCHAR, column_header VARCHAR, basis VARCHAR, record_id VARCHAR);
"""


def write(con: "duckdb.DuckDBPyConnection", result: "LayoutResult", layout: Layout) -> None:
    """Account rows into ``mission_spending`` (items and file rows follow as ``extra``).

    A file's records land in three tables, so each file's loaded count is taken over all
    of them: account and class rows, items, and the file's ``whole`` record.
    """
    loaded: dict[int, int] = {}
    tables = [result.table, *result.extra.values()]
    for table in tables:
        if table is None or not table.num_rows:
            continue
        sids = table.column("source_id").to_pylist()
        lines = table.column("line").to_pylist()
        for sid, line in zip(sids, lines):
            if line is not None:  # a file row without a 'whole' record stands for no record
                loaded[sid] = loaded.get(sid, 0) + 1
    if result.table is not None and result.table.num_rows:
        con.register("_s", result.table)
        con.execute(f"INSERT INTO {layout.target} BY NAME SELECT * FROM _s")
        con.unregister("_s")
    for sf in result.files:
        sf.rows_loaded = loaded.get(sf.source_id, 0)


def derive(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """Each account's mission (the reference's acronym) and kind: ``mission`` where the
    mission reference has the code, else ``support`` or ``other`` as declared in
    :data:`ACCOUNTS`, else ``unknown`` (a finding names it; its rows stay, with no mission)."""
    declared = ", ".join(f"('{code}', '{kind}')" for code, (kind, _) in ACCOUNTS.items())
    for table in ("mission_spending", "mission_spending_item"):
        con.execute(f"""UPDATE {table} SET mission = m.acronym FROM mission m
                        WHERE upper(m.acronym) = {table}.account""")
        con.execute(f"""UPDATE {table} SET account_kind = CASE WHEN mission IS NOT NULL THEN 'mission'
                        ELSE coalesce((SELECT d.kind FROM (VALUES {declared}) d(code, kind)
                                       WHERE d.code = {table}.account), 'unknown') END""")
    for code, kind, sid, n, years in con.execute("""
            SELECT account, account_kind, min(source_id), count(*), list(DISTINCT fiscal_year ORDER BY fiscal_year)
            FROM mission_spending WHERE mission IS NULL GROUP BY account, account_kind ORDER BY account""").fetchall():
        if kind == "unknown":
            close = [a for (a,) in con.execute(
                "SELECT acronym FROM mission ORDER BY jaro_winkler_similarity(upper(acronym), ?) DESC LIMIT 3",
                [code]).fetchall()]
            found.append(Finding(sid, "spending_account_unknown",
                                 f"account {code!r} ({n} row{'s' if n != 1 else ''}, {', '.join(years)}) is no "
                                 "mission in the reference and no known peacekeeping account; loaded with mission "
                                 f"NULL (closest missions: {', '.join(close)})", n))
        else:
            found.append(Finding(sid, "spending_account_not_mission",
                                 f"account {code!r} ({ACCOUNTS[code][1]}) is a peacekeeping account but no mission: "
                                 f"kept as kind {kind!r} with mission NULL ({n} row{'s' if n != 1 else ''}, "
                                 f"{', '.join(years)})", n))


# the account totals of one statement, as a reconciliation side
_TOTALS = ("SELECT fy_start AS month, account AS mission, 'expenditure' AS type, amount AS total, source_id "
           "FROM mission_spending WHERE cost_class = 'total' AND statement = '{statement}'")

LABEL_PERF = "performance reports (budget-pko)"
LABEL_AUDIT = "audited financial statements (budget-audited-pko)"


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """The two statements against each other, and each file's arithmetic.

    ``month`` is the first month of the fiscal year (July 1st) and ``mission`` the account.

    - ``spending:performance_vs_audited``: account totals where both statements give the
      fiscal year;
    - ``spending:classes_vs_total``: each account's printed total against its three cost
      classes summed;
    - ``spending:items_vs_class``: each class subtotal against its items summed;
    - ``spending:accounts_vs_file_total``: each file's own total (its ``whole`` record)
      against its accounts summed, per statement.
    """
    classes = ("SELECT fy_start AS month, account AS mission, 'expenditure' AS type, amount AS total, source_id "
               "FROM mission_spending WHERE cost_class <> 'total'")
    class_rows = ("SELECT fy_start AS month, account AS mission, cost_class AS type, amount AS total, source_id "
                  "FROM mission_spending WHERE cost_class <> 'total' AND statement = 'performance'")
    items = ("SELECT fy_start AS month, account AS mission, cost_class AS type, amount AS total, source_id "
             "FROM mission_spending_item")
    # classes and items exist only where a file breaks its accounts down: compare those files
    with_classes = ("SELECT fy_start AS month, account AS mission, 'expenditure' AS type, amount AS total, source_id "
                    "FROM mission_spending s WHERE cost_class = 'total' AND source_id IN "
                    "(SELECT source_id FROM mission_spending WHERE cost_class <> 'total')")
    file_total = ("SELECT fy_start AS month, statement AS type, stated_total AS total, source_id FROM spending_file "
                  "WHERE stated_total IS NOT NULL")
    summed = ("SELECT s.fy_start AS month, s.statement AS type, s.amount AS total, s.source_id "
              "FROM mission_spending s WHERE s.cost_class = 'total' AND s.source_id IN "
              "(SELECT source_id FROM spending_file WHERE stated_total IS NOT NULL)")
    return [
        Check("spending:performance_vs_audited", _TOTALS.format(statement="performance"),
              _TOTALS.format(statement="audited"), ("mission",), LABEL_PERF, LABEL_AUDIT),
        Check("spending:classes_vs_total", with_classes, classes, ("mission",),
              "account total as printed", "sum of its cost classes"),
        Check("spending:items_vs_class", class_rows, items, ("mission",),
              "cost class subtotal as printed", "sum of its items"),
        Check("spending:accounts_vs_file_total", file_total, summed, (),
              "the file's own total", "sum of its accounts"),
    ]


def findings(con: "duckdb.DuckDBPyConnection", found: list[Finding]) -> None:
    """What the checks found, one line each: where the statements overlap and how far
    they agree, and any file whose parts do not add up to its totals."""
    rows = con.execute("""SELECT check_name, months, cells, differing, max_abs_diff
        FROM reconciliation_summary WHERE check_name LIKE 'spending:%' ORDER BY check_name""").fetchall()
    sid = con.execute("SELECT min(source_id) FROM spending_file").fetchall()[0][0]
    for name, months, cells, differing, largest in rows:
        if name == "spending:performance_vs_audited":
            years = [y for (y,) in con.execute("""
                SELECT DISTINCT fiscal_year FROM mission_spending WHERE statement = 'performance' AND fy_start IN
                (SELECT fy_start FROM mission_spending WHERE statement = 'audited') ORDER BY 1""").fetchall()]
            found.append(Finding(sid, "spending_statements_compared",
                                 f"fiscal year{'s' if len(years) != 1 else ''} {', '.join(years)}: the performance "
                                 f"reports and the audited statements agree for {cells - differing} of {cells} "
                                 "account totals" + (f"; largest difference ${largest:,}" if differing else
                                                     " (to the dollar)"), int(differing)))
        elif differing:
            found.append(Finding(sid, "spending_arithmetic",
                                 f"{name}: {differing} of {cells} totals differ from the sum of their parts "
                                 f"(largest ${largest:,}); see 'sources --reconciliation'", int(differing)))


DOMAIN = Domain(
    name="spending",
    summary="peacekeeping expenditure per account, fiscal year (July-June) and cost class, USD nominal",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write,
    derive=derive,
    coverage=("SELECT source_id, fy_start AS month FROM spending_file UNION ALL "
              "SELECT source_id, (fy_start + INTERVAL 11 MONTH)::DATE AS month FROM spending_file"),
    checks=checks,
    findings=findings,
)
