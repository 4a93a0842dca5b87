"""The personnel domain: uniformed personnel by contributor x mission x type x month.

IPI's compilations of the UN's monthly contributor reports, at four grains: contributor
x mission detail (with gender), contributor totals, mission totals and world totals. The
readers live in ``ipi_detail``, ``ipi_releases`` and ``ipi_totals``; this module declares
the domain and holds what is particular to it: how observations are written (``obs_*``,
what each file said), how one value per cell is resolved (``personnel*``), and the
reconciliation between layouts and grains.

Checks, three families:

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

from typing import TYPE_CHECKING

from ..domain import Domain, Layout
from ..records import Check, Finding
from ..vocab import COARSE_SQL, GRAINS, PERSONNEL_TYPES, ROLLUPS, coarse_type

if TYPE_CHECKING:
    import duckdb

    from ..records import LayoutResult

__all__ = ["DOMAIN", "IPI", "TCC", "PPP"]

IPI = "UN DPO monthly troop and police contributor reports, compiled by the International Peace Institute (IPI)"
TCC = "IPI Providing for Peacekeeping, IPIDataLab/TCC-DataScraper @936f28e6"
PPP = "IPI Providing for Peacekeeping, IPIDataLab/PPP_Loader"

LAYOUTS = (
    # contributor x mission x month detail
    Layout("ipi_tcc_gender", ("ipi/tcc-datascraper/Gender.Full.csv",), "detail", 10, IPI, TCC,
           "ipi_detail:read_detail"),
    Layout("ipi_ppp_gender", ("ipi/ppp-loader/full_gender_data.csv",), "detail", 40, IPI,
           PPP + " blob ee52ebc6 (2014-10-21)", "ipi_detail:read_detail"),
    Layout("ipi_ppp_release_json", ("ipi/ppp-loader/update_archive/json/*.json",), "detail", 20, IPI,
           PPP + " update_archive (monthly release, JSON)", "ipi_releases:read_release_json"),
    Layout("ipi_ppp_release_csv", ("ipi/ppp-loader/update_archive/csv/*.csv",), "detail", 30, IPI,
           PPP + " update_archive (monthly release, CSV)", "ipi_releases:read_release_csv"),
    # coarser grains
    Layout("ipi_tcc_countries", ("ipi/tcc-datascraper/countries/*.csv",), "contributor", 50, IPI, TCC,
           "ipi_totals:read_countries"),
    Layout("ipi_ppp_countries", ("ipi/ppp-loader/countries/*.csv",), "contributor", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_countries"),
    Layout("ipi_tcc_missions", ("ipi/tcc-datascraper/Data.Mission.csv",), "mission", 50, IPI, TCC,
           "ipi_totals:read_missions"),
    Layout("ipi_ppp_missions", ("ipi/ppp-loader/data_mission.csv",), "mission", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_missions"),
    Layout("ipi_tcc_monthly", ("ipi/tcc-datascraper/Data.Monthly.csv",), "world", 50, IPI, TCC,
           "ipi_totals:read_world"),
    Layout("ipi_ppp_monthly", ("ipi/ppp-loader/data_monthly.csv",), "world", 60, IPI,
           PPP + " @2653920a", "ipi_totals:read_world"),
)

# obs_* hold every observation of every source (what each file said); the personnel*
# tables (derived) hold one resolved value per cell
TABLES = """
CREATE TABLE obs_detail (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    contributor VARCHAR NOT NULL, mission VARCHAR NOT NULL, type VARCHAR NOT NULL,
    male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_contributor (source_id INTEGER NOT NULL, line INTEGER NOT NULL,
    month DATE NOT NULL, contributor VARCHAR NOT NULL, type VARCHAR NOT NULL,
    male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_mission (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    mission VARCHAR NOT NULL, type VARCHAR NOT NULL, male BIGINT, female BIGINT, total BIGINT);
CREATE TABLE obs_world (source_id INTEGER NOT NULL, line INTEGER NOT NULL, month DATE NOT NULL,
    type VARCHAR NOT NULL, male BIGINT, female BIGINT, total BIGINT);
"""

# INCLUDE NULLS: the CSV releases have totals but no gender, and a plain UNPIVOT drops
# every row with a null in any value column.
_DETAIL_UNPIVOT = """
    SELECT source_id, line, date AS month, contributor, mission, type, male, female, total
    FROM _w UNPIVOT INCLUDE NULLS ((male, female, total) FOR type IN (
        (troops_male, troops_female, troops_total) AS troops,
        (formed_police_male, formed_police_female, formed_police_total) AS formed_police,
        (individual_police_male, individual_police_female, individual_police_total) AS individual_police,
        (experts_male, experts_female, experts_total) AS experts,
        (total_male, total_female, total_total) AS total))
    WHERE total IS NOT NULL OR male IS NOT NULL OR female IS NOT NULL
"""


# a long table (one row per type, as the official reports give them): a missing mission
# (a report with no mission breakdown) is a contributor total, like IPI's ``all``
_DETAIL_LONG = """
    SELECT source_id, line, date AS month, contributor, coalesce(mission, 'all') AS mission, type,
           male, female, total
    FROM _w
    WHERE total IS NOT NULL OR male IS NOT NULL OR female IS NOT NULL
"""

def _count_loaded(con: "duckdb.DuckDBPyConnection", result: "LayoutResult", values: list[str]) -> None:
    """Set each file's rows_loaded and rows_empty: a row whose every value is missing (IPI's
    all-``NA`` rows) carries no fact, so it is read but neither loaded nor a problem; a file
    that has such rows gets an ``empty_rows`` finding naming whose rows and which months."""
    has = f"coalesce({', '.join(values)}) IS NOT NULL"
    counts = {sid: (int(n), int(k)) for sid, n, k in con.execute(
        f"SELECT source_id, count(*), count(*) FILTER (WHERE {has}) FROM _w GROUP BY source_id").fetchall()}
    names = result.table.column_names if result.table is not None else []
    # whose rows: the contributor where the file names one, else the mission
    who = next((f"coalesce({c}, '-')" for c in ("contributor", "mission") if c in names), "'all'")
    for sf in result.files:
        n, k = counts.get(sf.source_id, (0, 0))
        sf.rows_loaded, sf.rows_empty = k, n - k
        if not sf.rows_empty:
            continue
        groups = con.execute(f"""SELECT {who} AS who, strftime(min(date), '%Y-%m'), strftime(max(date), '%Y-%m'),
                count(*) FROM _w WHERE source_id = ? AND NOT ({has}) GROUP BY who ORDER BY count(*) DESC, who""",
                             [sf.source_id]).fetchall()
        parts = [f"{w} {lo}" + (f"..{hi}" if hi != lo else "") + f" ({c} row{'s' if c > 1 else ''})"
                 for w, lo, hi, c in groups]
        shown = "; ".join(parts[:8]) + (f"; and {len(parts) - 8} more" if len(parts) > 8 else "")
        result.findings.append(Finding(
            sf.source_id, "empty_rows",
            f"{sf.rows_empty} rows carry no figure (every count is missing, e.g. NA): {shown}; "
            "counted as empty, not loaded", sf.rows_empty))


def write_observations(con: "duckdb.DuckDBPyConnection", result: "LayoutResult", layout: Layout) -> None:
    """Put one layout's rows in ``obs_<grain>``; IPI ``all`` rows go to their coarser grain.

    A detail layout's table is wide (``troops_male`` ... ``total_total``, IPI) or long (a
    ``type`` column with ``male``, ``female``, ``total``: the official reports); in both,
    ``all`` as contributor or mission (or no mission) sends a row to its coarser grain.
    """
    table = result.table
    target = layout.target
    if table is None or table.num_rows == 0:
        for sf in result.files:
            sf.rows_loaded = sf.rows_empty = 0
        return
    con.register("_w", table)
    if target == "detail":
        long = "type" in table.column_names
        body = _DETAIL_LONG if long else _DETAIL_UNPIVOT
        values = (["male", "female", "total"] if long else
                  [c for c in table.column_names if c.endswith(("_male", "_female", "_total"))])
        con.execute(f"CREATE OR REPLACE TEMP TABLE _long AS {body}")
        con.execute("""
            INSERT INTO obs_detail SELECT * FROM _long WHERE contributor <> 'all' AND mission <> 'all';
            INSERT INTO obs_contributor SELECT source_id, line, month, contributor, type, male, female, total
                FROM _long WHERE contributor <> 'all' AND mission = 'all';
            INSERT INTO obs_mission SELECT source_id, line, month, mission, type, male, female, total
                FROM _long WHERE contributor = 'all' AND mission <> 'all';
            INSERT INTO obs_world SELECT source_id, line, month, type, male, female, total
                FROM _long WHERE contributor = 'all' AND mission = 'all';
            DROP TABLE _long;""")
    else:
        keys = "".join(f"{k}, " for k in GRAINS[target]["keys"])
        types = [t for t in ("troops", "police", "experts", "total") if t in table.column_names]
        drop = [c for c in table.column_names
                if c not in ("source_id", "line", "date", "contributor", "mission", *types)]
        inner = "_w" if not drop else f"(SELECT * EXCLUDE ({', '.join(drop)}) FROM _w)"
        con.execute(f"""INSERT INTO obs_{target}
            SELECT source_id, line, date, {keys} type, NULL, NULL, total
            FROM (UNPIVOT {inner} ON {', '.join(types)} INTO NAME type VALUE total)""")
        values = types
    _count_loaded(con, result, values)
    con.unregister("_w")


# Which files speak for a cell. A monthly table (a detail file, a release, a mission or
# world table) speaks for the whole month: a contributor missing from it deployed nobody.
# Contributor totals come one file per country, so each file speaks only for its own
# contributor: TCC-DataScraper's Switzerland.csv holds one month, and PPP_Loader's file
# must answer for Switzerland in every other month.
RESOLVE_SCOPE = {"detail": ("month",), "contributor": ("month", "contributor"),
                 "mission": ("month",), "world": ("month",)}
# The unit one choice of file covers: a contributor's month (all its missions and types,
# so a contributor's figures never mix two files), a mission's month, the world's month.
CHOICE_UNIT = {"detail": ("month", "contributor"), "contributor": ("month", "contributor"),
               "mission": ("month", "mission"), "world": ("month",)}
CHOICE_REASONS = {
    "precedence": "the best-precedence file, complete for the cell",
    "complete": "a better-precedence file lacks rows this one has",
    "none_complete": "no file holds every row the others have: the best-precedence one answers, with a warning",
}

CELL_CHOICE_TABLE = """
CREATE TABLE cell_choice (grain VARCHAR NOT NULL, month DATE NOT NULL, contributor VARCHAR,
    mission VARCHAR, layout VARCHAR NOT NULL, reason VARCHAR NOT NULL, lacking_missions VARCHAR[]);
CREATE TABLE cell_candidate (grain VARCHAR NOT NULL, month DATE NOT NULL, contributor VARCHAR,
    mission VARCHAR, layout VARCHAR NOT NULL, source_id INTEGER NOT NULL, precedence INTEGER NOT NULL,
    personnel BIGINT NOT NULL, complete BOOLEAN NOT NULL, lacking INTEGER NOT NULL)"""


def _choose(con: "duckdb.DuckDBPyConnection", grain: str) -> None:
    """``_pick``: for each unit (CHOICE_UNIT) that several files speak for, the layout that
    answers it (a unit only one file speaks for is answered by that file).

    A file that speaks for a unit (RESOLVE_SCOPE) is complete for it when it holds every
    non-zero cell (the unit's missions x coarse types) that any other file holds; the
    complete file of best precedence answers. That is the reconciliation's ``missing_rows``
    finding turned into the choice: France 2012-06 lacks UNIFIL in the TCC-DataScraper
    file and is answered from PPP_Loader's. Where no file is complete the best-precedence
    one answers and ``cell_choice`` keeps the competing figures for the warning.
    """
    spec = GRAINS[grain]
    units = CHOICE_UNIT[grain]
    unit = ", ".join(units)
    scope = ", ".join(RESOLVE_SCOPE[grain])
    cell = ", ".join([k for k in spec["keys"] if k not in units] + ["ctype"])
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _o AS
        SELECT o.*, s.layout,
               -- aggregate rows of a finer file rank after every native source
               s.precedence + CASE WHEN s.target = '{grain}' THEN 0 ELSE 100 END AS precedence,
               {coarse_type("o.type")} AS ctype
        FROM obs_{grain} o JOIN source_file s USING (source_id) WHERE o.type <> 'total'""")
    # only where several files speak is there a choice: the overlaps are a small part
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _speaks AS
        SELECT * FROM (SELECT {scope}, layout, min(precedence) AS precedence, min(source_id) AS source_id
                       FROM _o GROUP BY ALL)
        QUALIFY count(*) OVER (PARTITION BY {scope}) > 1""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cells AS
        SELECT {unit}, {cell}, layout, sum(total) AS v
        FROM _o SEMI JOIN _speaks USING ({scope}, layout) GROUP BY ALL HAVING coalesce(sum(total), 0) <> 0""")
    # a contributor file speaks for its own contributor's month: the unit is the scope
    units_sql = (f"SELECT DISTINCT {unit} FROM _speaks" if units == RESOLVE_SCOPE[grain]
                 else f"SELECT DISTINCT {unit} FROM _o SEMI JOIN _speaks USING ({scope}, layout)")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _cand AS
        WITH units AS ({units_sql}),
             cand AS (SELECT u.*, s.layout, s.precedence, s.source_id FROM units u JOIN _speaks s USING ({scope})),
             n_all AS (SELECT {unit}, count(*) AS n FROM (SELECT DISTINCT {unit}, {cell} FROM _cells) GROUP BY ALL),
             have AS (SELECT {unit}, layout, count(*) AS n, sum(v)::BIGINT AS people FROM _cells GROUP BY ALL)
        SELECT cand.*, coalesce(h.n, 0) = coalesce(a.n, 0) AS complete,
               (coalesce(a.n, 0) - coalesce(h.n, 0))::INTEGER AS lacking, coalesce(h.people, 0) AS people,
               count(*) OVER (PARTITION BY {unit}) AS n_cand,
               min(cand.precedence) OVER (PARTITION BY {unit}) AS best
        FROM cand LEFT JOIN n_all a USING ({unit}) LEFT JOIN have h USING ({unit}, layout)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pick AS
        SELECT * FROM _cand QUALIFY row_number() OVER (PARTITION BY {unit} ORDER BY complete DESC, precedence) = 1""")
    # the missions some file lacks (detail only): what a mission question must be told
    lacking = "NULL::VARCHAR[]"
    if grain == "detail":
        lacking = "l.missions"
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _lacking AS
            SELECT {unit}, list(DISTINCT c.mission ORDER BY c.mission) AS missions
            FROM (SELECT {unit}, {cell}, count(*) AS n FROM _cells GROUP BY ALL) c
            JOIN (SELECT {unit}, any_value(n_cand) AS n_cand FROM _cand GROUP BY ALL) k USING ({unit})
            WHERE c.n < k.n_cand GROUP BY ALL""")
    join_lacking = f" LEFT JOIN _lacking l USING ({unit})" if grain == "detail" else ""
    key = {k: f"p.{k}" if k in units else "NULL" for k in ("contributor", "mission")}
    con.execute(f"""
        INSERT INTO cell_choice
        SELECT '{grain}', p.month, {key['contributor']}, {key['mission']}, p.layout,
               CASE WHEN NOT p.complete THEN 'none_complete' WHEN p.precedence = p.best THEN 'precedence'
                    ELSE 'complete' END,
               CASE WHEN p.complete AND p.precedence = p.best THEN NULL ELSE {lacking} END
        FROM _pick p{join_lacking}""")
    key = {k: f"{k}" if k in units else "NULL" for k in ("contributor", "mission")}
    con.execute(f"""
        INSERT INTO cell_candidate
        SELECT '{grain}', month, {key['contributor']}, {key['mission']}, layout, source_id, precedence, people,
               complete, lacking FROM _cand""")


def resolve(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """One value per cell: for each unit (CHOICE_UNIT) the complete file of best precedence
    (:func:`_choose`), the choice kept in ``cell_choice``; and ``coverage``: which files
    answer which grain and month."""
    con.execute(CELL_CHOICE_TABLE)
    _mission_aliases(con, findings)
    for grain, spec in GRAINS.items():
        key_sql = "".join(f"{k}, " for k in spec["keys"])
        unit = ", ".join(CHOICE_UNIT[grain])
        type_sql = "type" if grain == "detail" else COARSE_SQL
        _choose(con, grain)
        # a unit with no choice to make has one file: every row of it stands
        con.execute(f"""
            CREATE TABLE {spec['table']} AS
            SELECT month, {key_sql}{type_sql} AS type, sum(male)::BIGINT AS male,
                   sum(female)::BIGINT AS female, sum(total)::BIGINT AS total, min(source_id) AS source_id
            FROM _o LEFT JOIN (SELECT {unit}, layout AS chosen FROM _pick) USING ({unit})
            WHERE chosen IS NULL OR layout = chosen
            GROUP BY ALL ORDER BY month, {key_sql}type""")
    con.execute("DROP TABLE _o; DROP TABLE _speaks; DROP TABLE _cells; DROP TABLE _cand; DROP TABLE _pick; "
                "DROP TABLE IF EXISTS _lacking")
    _rollups(con)
    _ranks(con)
    _typed(con)
    con.execute("CREATE TABLE coverage AS " + " UNION ALL ".join(
        f"SELECT DISTINCT '{grain}' AS grain, month, source_id FROM {spec['table']}"
        for grain, spec in GRAINS.items()))
    _choice_findings(con, findings)


def _rollups(con: "duckdb.DuckDBPyConnection") -> None:
    """Each rollup (vocab.ROLLUPS): its grain's resolved table summed over the keys it
    drops, per file where it keeps files. Stored in key order, so one contributor's or mission's rows lie
    together."""
    for r in ROLLUPS:
        keys = "".join(f"{k}, " for k in r["keys"])
        by_file = (", source_id", ", source_id") if r["by_file"] else ("", "")
        con.execute(f"""
            CREATE TABLE {r['table']} AS
            SELECT month, {keys}type, sum(male)::BIGINT AS male, sum(female)::BIGINT AS female,
                   sum(total)::BIGINT AS total{by_file[0]}
            FROM {GRAINS[r['grain']]['table']} GROUP BY ALL ORDER BY {keys}month, type{by_file[1]}""")


def _ranks(con: "duckdb.DuckDBPyConnection") -> None:
    """``contributor_rank``: every contributor with anybody deployed, ranked by all its
    personnel among all contributors at each month, as the queries rank (ties share a
    rank; nobody deployed is no rank), each month from the finest grain that tells
    contributors apart and covers it: the detail where it has the month, the contributor
    grain elsewhere. ``contributors`` is how many are ranked that month. All personnel
    only: what a country's page asks at every December; another type is ranked when asked."""
    con.execute("""
        CREATE TABLE contributor_rank AS
        WITH per AS (SELECT month, contributor, sum(total)::BIGINT AS personnel
                     FROM personnel_by_contributor GROUP BY ALL
                     UNION ALL
                     SELECT month, contributor, sum(total)::BIGINT FROM personnel_contributor
                     WHERE month NOT IN (SELECT DISTINCT month FROM personnel_by_month) GROUP BY ALL)
        SELECT month, contributor, personnel,
               rank() OVER (PARTITION BY month ORDER BY personnel DESC)::INTEGER AS rank,
               count(*) OVER (PARTITION BY month)::INTEGER AS contributors
        FROM per WHERE personnel > 0 ORDER BY month, rank, contributor""")


def _typed(con: "duckdb.DuckDBPyConnection") -> None:
    """``contributor_type``: every contributor's personnel of each type a ranking offers
    but "all" (vocab.PERSONNEL_TYPES, its stored types summed), with the files behind it,
    at every month, from the grain a query answering the month reads (the detail where it
    has the month, the contributor grain elsewhere). Exactly the rows the general query
    groups (zeros and all), so a typed ranking reads its figures and its sources here in
    one lookup instead of summing the contributor rollup."""
    pairs = [(name, stored) for name, types in PERSONNEL_TYPES.items() if types for stored in types]
    mapping = ", ".join(f"('{name}', '{stored}')" for name, stored in pairs)
    con.execute(f"""
        CREATE TABLE contributor_type AS
        WITH t(type, stored) AS (VALUES {mapping}),
             per AS (SELECT month, contributor, type, total, source_id FROM personnel_by_contributor
                     UNION ALL
                     SELECT month, contributor, type, total, source_id FROM personnel_contributor
                     WHERE month NOT IN (SELECT DISTINCT month FROM personnel_by_month))
        SELECT p.month, t.type, p.contributor, sum(p.total)::BIGINT AS personnel,
               list(DISTINCT p.source_id ORDER BY p.source_id) AS source_ids
        FROM per p JOIN t ON t.stored = p.type
        GROUP BY ALL ORDER BY p.month, t.type, p.contributor""")


def _mission_aliases(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """A source's other acronym for a mission (reference ``mission_aliases.csv``) becomes the
    mission's: IPI's ONUCI months are UNOCI's. One finding per alias met, per file."""
    from ..reference.missions import mission_aliases

    for a in mission_aliases():
        for table in ("obs_detail", "obs_mission"):
            met = con.execute(f"""SELECT source_id, count(DISTINCT line), min(month), max(month) FROM {table}
                                  WHERE mission = ? GROUP BY source_id ORDER BY source_id""", [a.alias]).fetchall()
            if not met:
                continue
            con.execute(f"UPDATE {table} SET mission = ? WHERE mission = ?", [a.acronym, a.alias])
            for sid, rows, first, last in met:
                findings.append(Finding(sid, "mission_alias",
                                        f"{rows} rows name mission {a.alias} ({first:%Y-%m} .. {last:%Y-%m}): "
                                        f"read as {a.acronym}, {a.note}", rows))


def _choice_findings(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
    """One finding per cell where no file is complete: the answer warns, the build says so."""
    rows = con.execute("""
        SELECT c.grain, c.month, coalesce(c.contributor, c.mission, 'world'), c.layout,
               string_agg(k.layout || ' ' || format('{:,}', k.personnel), ', ' ORDER BY k.precedence)
        FROM cell_choice c JOIN cell_candidate k
          ON k.grain = c.grain AND k.month = c.month AND k.contributor IS NOT DISTINCT FROM c.contributor
         AND k.mission IS NOT DISTINCT FROM c.mission
        WHERE c.reason = 'none_complete' GROUP BY ALL ORDER BY 1, 2, 3""").fetchall()
    for grain, month, key, layout, figures in rows:
        findings.append(Finding(None, "no_complete_source",
                                f"{grain} {key} {month:%Y-%m}: no file holds every row the others have "
                                f"({figures}); answered from {layout}", 1))


_STAFF_AS_TROOPS = "CASE WHEN type = 'staff_officers' THEN 'troops' ELSE type END"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def checks(con: "duckdb.DuckDBPyConnection") -> list[Check]:
    """Layouts of a grain against each other, finer grains against coarser, stated totals
    against the sum of their types."""
    out: list[Check] = []
    # 1. the same grain from two layouts, over the months both cover
    for grain, spec in GRAINS.items():
        keys = spec["keys"]
        layouts = con.execute(f"""SELECT s.layout, list(DISTINCT o.month) FROM obs_{grain} o
            JOIN source_file s USING (source_id) GROUP BY s.layout, s.precedence ORDER BY s.precedence""").fetchall()
        # detail keeps its fine types, but staff officers are troops on both sides: the
        # sources that count them apart (the reports from 2017-05, the Data Hub) would
        # otherwise differ from those that count them among troops in every cell
        type_sql = _STAFF_AS_TROOPS if grain == "detail" else COARSE_SQL

        def side(layout: str, grain: str = grain, keys: tuple[str, ...] = keys, type_sql: str = type_sql) -> str:
            return (f"SELECT o.month, {''.join(k + ', ' for k in keys)}{type_sql} AS type, o.total, "
                    f"o.source_id FROM obs_{grain} o JOIN source_file s USING (source_id) "
                    f"WHERE s.layout = {_lit(layout)} AND o.type <> 'total'")

        for i, (la, months_a) in enumerate(layouts):
            for lb, months_b in layouts[i + 1:]:
                both = tuple(sorted(set(months_a) & set(months_b)))
                if both:
                    out.append(Check(f"overlap:{grain}", side(la), side(lb), keys, la, lb, both))
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
        out.append(Check(name, fine, f"SELECT * FROM {coarse}", keys, fine_label + " (resolved)",
                         coarse_label + " (resolved)"))
    # 3. each source's stated totals against the sum of its own types
    for grain, spec in GRAINS.items():
        keys = spec["keys"]
        k = "".join(f"{x}, " for x in keys)
        out.append(Check(
            f"stated_total:{grain}",
            f"SELECT month, {k}'total' AS type, total, source_id FROM obs_{grain} WHERE type = 'total'",
            f"SELECT month, {k}'total' AS type, total, source_id FROM obs_{grain} "
            f"WHERE type <> 'total' AND (source_id, line) IN (SELECT (source_id, line) FROM obs_{grain} WHERE type = 'total')",
            (*keys, "source_id"), "stated total", "sum of types"))
    return out


def missing_rows(con: "duckdb.DuckDBPyConnection", findings: list[Finding]) -> None:
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


DOMAIN = Domain(
    name="personnel",
    summary="uniformed personnel by contributor x mission x type x month, at four grains",
    layouts=LAYOUTS,
    tables=TABLES,
    write=write_observations,
    derive=resolve,
    coverage=" UNION ALL ".join(f"SELECT source_id, month FROM obs_{g}" for g in GRAINS),
    checks=checks,
    findings=missing_rows,
)
