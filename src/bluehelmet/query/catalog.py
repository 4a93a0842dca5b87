"""What the database holds: sources with provenance, coverage, quarantine and reconciliation."""

from __future__ import annotations


from .connection import Connection
from .result import Result


__all__ = ["sources", "quarantine", "reconciliation"]


def sources(db: Connection) -> Result:
    """One row per source file: layout, grain, coverage, checksum and row accounting."""
    cols = ["source_id", "path", "layout", "grain", "coverage_from", "coverage_to", "rows_read",
            "rows_loaded", "rows_empty", "rows_quarantined", "differences", "sha256", "citation"]
    # differences: the reconciliation rows naming the file on either side, each row once
    # (counted per file in one pass: a subquery per file with an OR joins row by row)
    rows = db.con.execute("""
        WITH named AS (SELECT source_a AS source_id FROM reconciliation
                       UNION ALL SELECT source_b FROM reconciliation WHERE source_b IS DISTINCT FROM source_a),
             d AS (SELECT source_id, count(*) AS n FROM named WHERE source_id IS NOT NULL GROUP BY ALL)
        SELECT s.source_id, s.relpath, s.layout, s.target, strftime(s.coverage_from, '%Y-%m'),
               strftime(s.coverage_to, '%Y-%m'), s.rows_read, s.rows_loaded, s.rows_empty, s.rows_quarantined,
               coalesce(d.n, 0), s.sha256, s.citation
        FROM source_file s LEFT JOIN d USING (source_id) ORDER BY s.source_id""").fetchall()
    res = Result(cols, [dict(zip(cols, r)) for r in rows])
    res.notes.append(f"built {db.info.get('built_at')} from {db.info.get('sources')}")
    return res


def quarantine(db: Connection, limit: int | None = None) -> Result:
    cols = ["path", "line", "column", "reason"]
    sql = ("SELECT s.relpath, q.line, q.\"column\", q.reason FROM quarantine q JOIN source_file s USING (source_id) "
           "ORDER BY s.source_id, q.line")
    if limit is not None and not 1 <= limit <= 2**62:
        from ..errors import QueryError

        raise QueryError(f"limit must be between 1 and {2**62}")
    rows = db.con.execute(sql + (" LIMIT ?" if limit else ""), [limit] if limit else []).fetchall()
    return Result(cols, [dict(zip(cols, r)) for r in rows])


def reconciliation(db: Connection) -> Result:
    cols = ["check", "a", "b", "months", "cells", "differing", "max_abs_diff", "explanation"]
    rows = db.con.execute("""SELECT check_name, label_a, label_b, months, cells, differing, max_abs_diff,
        explanation FROM reconciliation_summary ORDER BY check_name, label_a, label_b""").fetchall()
    return Result(cols, [dict(zip(cols, r)) for r in rows])
