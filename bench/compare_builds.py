"""Are two built databases the same, table by table? (For a change meant to leave every
answer as it was: build before and after, then compare.)

    .venv/bin/python bench/compare_builds.py OLD.duckdb NEW.duckdb [--order]

For every table of either file: both have it, with the same DDL (columns, types,
constraints), and the same rows as multisets (``EXCEPT ALL`` both ways). ``build_info``'s
``built_at`` (the build's clock) and ``fingerprint`` (which hashes the package's code, so
any edit changes it) are left out, as nothing else is. Views, sequences and
indexes are compared by their definitions. Prints one line per table that differs and a
last line ``identical: N tables, R rows`` or ``DIFFERENT: ...``; exit status 0 only when
identical.

``--order`` also lists the tables whose rows are stored in another order (``EXCEPT ALL``
over ``rowid`` and the row), without counting them as a difference: a table made
without ``ORDER BY`` is stored in whatever order DuckDB's threads finish, so two builds of
the same code differ there (on 2026-11-29: assessment, cell_candidate, cell_choice,
country_spelling, reconciliation, ...). The tables built with ``ORDER BY`` (the rollups,
contributor_rank, contributor_type) keep their order from build to build.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

# rows that differ by design between two builds of the same inputs: the build's clock, and
# the fingerprint, which covers the code
IGNORED = {"build_info": "WHERE key NOT IN ('built_at', 'fingerprint')"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compare(old: str, new: str, *, order: bool = False) -> tuple[list[str], list[str], int, int]:
    """(differences, tables stored in another order (with ``order``), tables compared, rows
    compared in the old file)."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_literal(old)} AS a (READ_ONLY)")
        con.execute(f"ATTACH {_literal(new)} AS b (READ_ONLY)")
        problems: list[str] = []
        moved_tables: list[str] = []

        def defs(db: str, kind: str) -> dict[str, str]:
            name = {"tables": "table_name", "views": "view_name", "sequences": "sequence_name",
                    "indexes": "index_name"}[kind]
            sql = "sql" if kind != "sequences" else "sequence_name"
            where = {"views": " AND NOT internal AND NOT temporary", "tables": " AND NOT temporary",
                     "sequences": " AND NOT temporary", "indexes": ""}[kind]
            return dict(con.execute(f"SELECT {name}, coalesce({sql}, '') FROM duckdb_{kind}() "
                                    f"WHERE database_name = ?{where}", [db]).fetchall())

        for kind in ("views", "sequences", "indexes"):
            da, db_ = defs("a", kind), defs("b", kind)
            for name in sorted(set(da) | set(db_)):
                if da.get(name) != db_.get(name):
                    problems.append(f"{kind[:-1]} {name}: defined differently or only in one file")
        ta, tb = defs("a", "tables"), defs("b", "tables")
        for name in sorted(set(ta) ^ set(tb)):
            problems.append(f"table {name}: only in {'the old' if name in ta else 'the new'} file")
        rows = 0
        common = sorted(set(ta) & set(tb))
        for name in common:
            if ta[name] != tb[name]:
                problems.append(f"table {name}: DDL differs")
                continue
            q = _quote(name)
            where = IGNORED.get(name, "")
            n_a = con.execute(f"SELECT count(*) FROM a.{q} {where}").fetchone()[0]  # type: ignore[index]
            n_b = con.execute(f"SELECT count(*) FROM b.{q} {where}").fetchone()[0]  # type: ignore[index]
            rows += n_a
            only_a, only_b = (con.execute(f"SELECT count(*) FROM (SELECT * FROM {x}.{q} {where} EXCEPT ALL "
                                          f"SELECT * FROM {y}.{q} {where})").fetchone()[0]  # type: ignore[index]
                              for x, y in (("a", "b"), ("b", "a")))
            if n_a != n_b or only_a or only_b:
                problems.append(f"table {name}: {n_a:,} rows in the old, {n_b:,} in the new; {only_a:,} only in "
                                f"the old, {only_b:,} only in the new")
                continue
            if order and not where:
                moved = con.execute(f"SELECT count(*) FROM (SELECT rowid, * FROM a.{q} EXCEPT ALL "
                                    f"SELECT rowid, * FROM b.{q})").fetchone()[0]  # type: ignore[index]
                if moved:
                    moved_tables.append(f"table {name}: same rows, {moved:,} of them stored at another position")
        return problems, moved_tables, len(common), rows
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--order", action="store_true", help="also list tables stored in another order")
    args = ap.parse_args()
    problems, moved, tables, rows = compare(args.old, args.new, order=args.order)
    for p in moved:
        print(f"(order only) {p}")
    for p in problems:
        print(p)
    if problems:
        print(f"DIFFERENT: {len(problems)} differences over {tables} tables")
        sys.exit(1)
    print(f"identical: {tables} tables, {rows:,} rows")


if __name__ == "__main__":
    main()
