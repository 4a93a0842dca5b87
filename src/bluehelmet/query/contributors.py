"""Every contributor that ever had anybody deployed, with its first and last such month:
the rows of the countries index, read in one statement rather than a profile each."""

from __future__ import annotations

from datetime import date

from .connection import Connection

__all__ = ["contributor_spans"]


def contributor_spans(db: Connection) -> dict[str, tuple[date, date]]:
    """ISO3 -> (first, last) month with personnel above zero in any loaded file, at the
    contributor x mission grain or the contributor totals' (rows of zeros, which IPI
    writes for countries that sent nobody, do not count). Read once per open database.

    >>> contributor_spans(db)["SUR"]  # doctest: +SKIP
    (datetime.date(1995, 4, 1), datetime.date(1995, 11, 1))
    """
    def read() -> dict[str, tuple[date, date]]:
        return {c: (lo, hi) for c, lo, hi in db.con.execute("""
            SELECT contributor, min(month)::DATE, max(month)::DATE FROM (
                SELECT contributor, month FROM personnel_contributor WHERE total > 0
                UNION ALL SELECT contributor, month FROM personnel WHERE total > 0)
            GROUP BY contributor""").fetchall()}

    return db.once("contributor_spans", read)
