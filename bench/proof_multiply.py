"""The built database multiplied, for query latency at 100x (bench/proof.py, part (c)).

The readers accept dates of 1900-2099 only, so the source files can be replicated 32 times
at most (proof_lib.MAX_FACTOR). Past that, this copies a built database and adds
``factor - 1`` copies of every month-keyed table the queries read, each shifted by whole
multiples of ``proof_lib.DB_STEP`` years past the real span (DuckDB's dates run far beyond
2099): the grains' resolved tables (``vocab.GRAINS``: personnel, personnel_contributor,
personnel_mission, personnel_world) and the build's cell choices (cell_choice,
cell_candidate, whose unusual choices an answer reports). Then it recomputes what the
build derives from them, with the build's own code: the rollups (``vocab.ROLLUPS``) and
``contributor_rank`` and ``contributor_type`` by ``sources/personnel.py``'s ``_rollups``,
``_ranks`` and ``_typed``, and
``coverage`` by the SQL of ``sources/personnel.py``'s ``resolve`` (reproduced below: it is
inline there). :func:`derived_differences` checks that at 1x this gives back the build's
tables row for row.

Left as they are: the observations (``obs_*``, what each file said: no query reads them),
the other domains (fatalities, money, sites) and ``source_file`` (its coverage columns
still name the real months). So the "build" at Nx is this multiplication and the
recomputed rollups, not the readers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from bluehelmet.sources import personnel as personnel_source
from bluehelmet.vocab import GRAINS, ROLLUPS

#: the tables copied, each with the order the build writes it in (resolve's
#: ``ORDER BY month, keys, type`` for the grains), so the copy's row groups are laid out
#: as a build's would be
FACTS: dict[str, str] = {
    **{spec["table"]: "month, " + "".join(f"{k}, " for k in spec["keys"]) + "type" for spec in GRAINS.values()},
    "cell_choice": "grain, month",
    "cell_candidate": "grain, month",
}
#: what the build derives from the facts, recomputed here
DERIVED = (*[r["table"] for r in ROLLUPS], "contributor_rank", "contributor_type", "coverage")

#: ``coverage`` as ``sources/personnel.py`` ``resolve`` writes it (keep the two alike)
COVERAGE_SQL = "CREATE TABLE coverage AS " + " UNION ALL ".join(
    f"SELECT DISTINCT '{grain}' AS grain, month, source_id FROM {spec['table']}" for grain, spec in GRAINS.items())


def multiply(real: Path, out: Path, shifts: list[int]) -> dict[str, int]:
    """``real`` copied to ``out`` with one more copy of the facts per year shift in
    ``shifts`` and the derived tables recomputed; the rows of each table written."""
    shutil.copyfile(real, out)
    con = duckdb.connect(str(out))
    try:
        rows = {}
        for table, order in FACTS.items():
            con.execute(f"""
                CREATE TABLE _multiplied AS
                SELECT * FROM (
                    SELECT * FROM {table}
                    UNION ALL
                    SELECT * EXCLUDE (shift) REPLACE ((month + to_years(shift))::DATE AS month)
                    FROM {table} CROSS JOIN (SELECT unnest(?::INTEGER[]) AS shift))
                ORDER BY {order}""", [shifts])
            con.execute(f"DROP TABLE {table}")
            con.execute(f"ALTER TABLE _multiplied RENAME TO {table}")
        for table in DERIVED:
            con.execute(f"DROP TABLE {table}")
        personnel_source._rollups(con)
        personnel_source._ranks(con)
        personnel_source._typed(con)
        con.execute(COVERAGE_SQL)
        for table in (*FACTS, *DERIVED):
            rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        con.execute("CHECKPOINT")
        return rows
    finally:
        con.close()


def derived_differences(real: Path, copy: Path) -> dict[str, int]:
    """Per derived table, the rows in one database's and not the other's (as multisets):
    all zero when ``copy`` is ``real`` multiplied 1x, if the recomputation is the build's."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{real}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{copy}' AS b (READ_ONLY)")
        out = {}
        for t in DERIVED:
            out[t] = sum(con.execute(f"SELECT count(*) FROM (SELECT * FROM {x}.{t} EXCEPT ALL SELECT * FROM {y}.{t})"
                                     ).fetchone()[0] for x, y in (("a", "b"), ("b", "a")))  # type: ignore[index]
        return out
    finally:
        con.close()
