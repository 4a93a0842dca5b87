"""The build's last step before the copy: the pages' summaries (``page_summary``).

What to store is the read side's to say (query/summary.py builds its statements with the
query layer's own planner and SQL, so that the rows stored are those the statements would
give); this step runs them over the database being built and keeps their rows, sorted by
contributor or mission so that a page's lookup reads few blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["write_summaries"]


def write_summaries(con: "duckdb.DuckDBPyConnection") -> int:
    """Fill ``page_summary`` from the database ``con`` holds (everything else written);
    returns its rows."""
    from ..query.connection import Connection
    from ..query.summary import statements

    db = Connection.over(con)
    # each statement's heads and rows set-based, in SQL; then each statement's rows numbered
    # after its head (row 0), in the statement's order and then by their text (the same
    # database every build): a page reads its few hundred rows, not its neighbours'
    con.execute("""CREATE TEMP TABLE summary_head (kind VARCHAR, key VARCHAR, tag VARCHAR, part VARCHAR,
                   shape VARCHAR, grain VARCHAR, months DATE[], dates INTEGER[])""")
    con.execute("CREATE TEMP TABLE summary_rows (kind VARCHAR, key VARCHAR, tag VARCHAR, ord BIGINT, row VARCHAR)")
    for target, sql, params in statements(db):
        con.execute(f"INSERT INTO summary_{target} {sql}", params)
    con.execute("""
        INSERT INTO page_summary
        WITH h AS (SELECT *, row_number() OVER (PARTITION BY kind, key ORDER BY tag)::INTEGER AS n FROM summary_head)
        SELECT kind, key, n, 0, json_array(part, shape, grain, months, dates)::VARCHAR FROM h
        UNION ALL
        SELECT r.kind, r.key, h.n, (row_number() OVER (PARTITION BY r.kind, r.key, h.n ORDER BY r.ord, r.row))::INTEGER,
               r.row
        FROM summary_rows r JOIN h USING (kind, key, tag)
        ORDER BY 1, 2, 3, 4""")
    con.execute("DROP TABLE summary_head")
    con.execute("DROP TABLE summary_rows")
    row = con.execute("SELECT count(*) FROM page_summary").fetchone()
    return int(row[0]) if row else 0
