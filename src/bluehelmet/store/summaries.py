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
    # each statement's rows as one JSON array first (set-based, in SQL), then one table row
    # per answer row: a page reads its few hundred rows, not its neighbours' long texts
    con.execute("""CREATE TEMP TABLE summary_parts (kind VARCHAR, key VARCHAR, part VARCHAR, shape VARCHAR,
                   grain VARCHAR, months DATE[], dates INTEGER[], rows VARCHAR)""")
    for sql, params in statements(db):
        con.execute(f"INSERT INTO summary_parts {sql}", params)
    con.execute("""
        INSERT INTO page_summary
        WITH p AS (SELECT *, row_number() OVER (PARTITION BY kind, key ORDER BY part, shape, grain, months)::INTEGER
                             AS n FROM summary_parts)
        SELECT kind, key, n, 0, json_array(part, shape, grain, months, dates)::VARCHAR FROM p
        UNION ALL
        SELECT p.kind, p.key, p.n, j.key::INTEGER + 1, j.value::VARCHAR FROM p, json_each(p.rows) j
        ORDER BY 1, 2, 3, 4""")
    con.execute("DROP TABLE summary_parts")
    row = con.execute("SELECT count(*) FROM page_summary").fetchone()
    return int(row[0]) if row else 0
