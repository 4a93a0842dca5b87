"""Coverage: the months each grain and domain holds, the gaps inside them, and which
source answers each span.

Everything here is read from the database (the ``coverage`` table, loaded at open, and
``source_file``), so a file added later shows up without a change here. A personnel grain
is a monthly series: a month inside its span that no file holds is a gap, and a question
that needs that grain for that month raises :class:`~bluehelmet.errors.NoDataError`
naming the nearest covered months (:func:`nearest_text`); it never answers from another
month. The other domains are listed per layout with their first and last month; only
the monthly ones (authorised strength) have gaps, since a month without a map or without
a death is no missing data.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Sequence

from ..errors import NoDataError
from ..months import month_range, next_month, previous_month
from ..vocab import GRAINS, Capability, able_grains
from .connection import Connection
from .result import Result

__all__ = ["coverage", "nearest_text", "covered_text", "no_data_text", "data_words", "runs_text", "latest_month",
           "latest_note",
           "COVERAGE_COLUMNS"]

COVERAGE_COLUMNS = ["domain", "grain", "status", "first_month", "last_month", "months", "layouts", "files",
                    "note"]

# how to read the tables the other domains' layouts load (source_file.target): whether the
# table is a monthly series (whose missing months are gaps), and what a reader needs to
# know. The domain itself comes from source_file; a table not named here is listed
# without gaps or note.
_AREAS: dict[str, tuple[str | None, str]] = {
    "authorized_strength": ("SELECT DISTINCT month FROM authorized_strength",
                            "mission x month; a month no mission has is a gap"),
    "deployment_site": (None, "maps dated every few months: a month is answered from each mission's "
                              "latest map at or before it"),
    "geopko_site_map": (None, "yearly table (the sites of missions outside Africa, and a cross-check)"),
    "geopko_unit_type": (None, "yearly table: unit types per location"),
    "geopko_site_year": (None, "yearly table: contributors per location"),
    "radpko_base_year": (None, "yearly base means (a cross-check)"),
    "fatality": (None, "incident list: a month without a death has no row, which is no gap"),
    "fatality_month": (None, "monthly aggregate of deaths: a month without a death has no row"),
    "owid_world_year": (None, "December world totals, one a year: the yardstick for the world series"),
    "finance_flow": (None, "project records by commitment year, one AidData version per file: a year "
                           "without a project is no gap"),
}


def _ym(m: date) -> str:
    return f"{m:%Y-%m}"


def _gap(domain: str, grain: str, first: date, last: date, note: str) -> dict[str, Any]:
    return {"domain": domain, "grain": grain, "status": "gap", "first_month": _ym(first), "last_month": _ym(last),
            "months": len(month_range(first, last)), "layouts": None, "files": 0, "note": note}


def _spans(db: Connection, grain: str, months: dict[date, tuple[int, ...]],
           used: dict[tuple[str, int], list[date]],
           held: Sequence[tuple[str, date, date]] = ()) -> list[dict[str, Any]]:
    """One grain's months as runs of consecutive months answered by the same layouts, with
    a gap row wherever the run breaks for want of a month. ``held``: the files whose rows
    are all in quarantine (relpath, first and last month), named in the gaps they fall in."""
    rows: list[dict[str, Any]] = []
    run: dict[str, Any] | None = None
    files: set[int] = set()
    prev: date | None = None
    for m in sorted(months):
        sids = months[m]
        layouts = " + ".join(sorted({db.files[s]["layout"] for s in sids}))
        for s in sids:
            used.setdefault((grain, s), []).append(m)
        if prev is not None and next_month(prev) != m:
            first, last = next_month(prev), previous_month(m)
            inside = [f"{path} ({_ym(a)})" for path, a, b in held if first <= a and b <= last]
            rows.append(_gap("personnel", grain, first, last, "no file holds this grain for these months"
                             + (f"; quarantined whole: {', '.join(inside)}" if inside else "")))
            run = None
        if run is None or run["layouts"] != layouts:
            files = set()
            run = {"domain": "personnel", "grain": grain, "status": "covered", "first_month": _ym(m),
                   "last_month": _ym(m), "months": 0, "layouts": layouts, "files": 0, "note": None}
            rows.append(run)
        run["last_month"] = _ym(m)
        run["months"] += 1
        files.update(sids)
        run["files"] = len(files)
        prev = m
    return rows


def coverage(db: Connection) -> Result:
    """Per personnel grain (detail, contributor, mission, world) and per other domain
    (authorisations, sites, fatalities): the spans of months covered, each with the layouts
    and number of files that answer it, and the gaps inside (``status`` ``gap``). The notes
    give each grain's first and last month and its gaps in one line.

    >>> [r["first_month"] for r in coverage(db).rows if r["status"] == "gap"]  # doctest: +SKIP
    ['2016-11', '2016-11']
    """
    # a function of the open database alone: worked out once, a copy handed to each caller
    return db.once("coverage:spans", lambda: _coverage(db)).copy()


def _coverage(db: Connection) -> Result:
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    used: dict[tuple[str, int], list[date]] = {}
    # a file read but loaded not at all (an incomplete report, say) leaves its months a
    # gap: the gap names it, so the reason is one look away (its quarantine rows)
    held = [(path, a, b) for path, a, b in db.con.execute("""
        SELECT relpath, coverage_from, coverage_to FROM source_file
        WHERE rows_loaded = 0 AND rows_quarantined > 0 AND coverage_from IS NOT NULL
          AND list_contains(?, target) ORDER BY relpath""", [list(GRAINS)]).fetchall()]
    for grain in GRAINS:
        months = db.coverage[grain]
        if not months:
            notes.append(f"personnel {grain}: no data")
            continue
        spans = _spans(db, grain, months, used, held)
        rows += spans
        gaps = [r for r in spans if r["status"] == "gap"]
        first, last = min(months), max(months)
        notes.append(f"personnel {grain}: {_ym(first)}..{_ym(last)}, {len(months)} months; "
                     + ("gaps: " + ", ".join(r["first_month"] + ("" if r["months"] == 1 else ".." + r["last_month"])
                                             for r in gaps) if gaps else "no gaps"))
    for domain, target, layout, first, last, sids, paths in db.con.execute("""
            SELECT domain, target, layout, min(coverage_from), max(coverage_to), list(source_id ORDER BY source_id),
                   list(relpath ORDER BY source_id)
            FROM source_file WHERE coverage_from IS NOT NULL AND NOT list_contains(?, target)
            GROUP BY domain, target, layout ORDER BY min(source_id)""", [list(GRAINS)]).fetchall():
        monthly, note = _AREAS.get(target, (None, None))
        held = [m for (m,) in db.con.execute(monthly).fetchall()] if monthly else []
        rows.append({"domain": domain, "grain": target, "status": "covered", "first_month": _ym(first),
                     "last_month": _ym(last), "months": len(held) or None, "layouts": layout,
                     "files": len(sids), "note": note})
        for sid in sids:
            used.setdefault((target, sid), []).extend([first, last])
        if monthly:
            have = set(held)
            missing = [m for m in month_range(first, last) if m not in have]
            start = None
            for i, m in enumerate(missing):
                start = start or m
                if i + 1 == len(missing) or next_month(m) != missing[i + 1]:
                    rows.append(_gap(domain, target, start, m, "no row for any mission in these months"))
                    start = None
    notes.append("a question for a month in a gap of the grain it needs raises an error naming the nearest "
                 "covered months; a coarser grain answers where the question allows it, and says so")
    return Result(list(COVERAGE_COLUMNS), rows, db.source_refs(used), [], notes, {"view": "coverage"})


def nearest_text(db: Connection, first: date, last: date, needs: Iterable[Capability]) -> str:
    """What an answer for ``first``..``last`` (months no grain able to answer covers)
    says instead: the nearest covered months before and after.

    >>> nearest_text(db, date(2014, 9, 1), date(2014, 9, 1), {"contributor"})  # doctest: +SKIP
    'the nearest months with data are 2014-08 (before) and none after (see ...)'
    """
    able = able_grains(needs)
    before = db.nearest_months(first, able)[0]
    after = db.nearest_months(last, able)[1]
    return (f"the nearest months with data are {_ym(before) + ' (before)' if before else 'none before'} and "
            f"{_ym(after) + ' (after)' if after else 'none after'} (see 'bluehelmet sources --coverage' or /coverage)")


def data_words(needs: Iterable[Capability]) -> str:
    """The data a question needs, as the errors name it.

    >>> data_words({"mission", "contributor"})
    'contributor x mission data'
    >>> data_words(())
    'personnel data'
    >>> data_words({"contributor", "fine_types"})
    'contributor data by fine personnel type'
    """
    wanted = set(needs)
    keys = [k for k in ("contributor", "mission") if k in wanted]
    text = (" x ".join(keys) + " data") if keys else "personnel data"
    split = [w for k, w in (("gender", "gender"), ("fine_types", "fine personnel type")) if k in wanted]
    return text + (" by " + " and ".join(split) if split else "")


def runs_text(months: Iterable[date]) -> str:
    """Months as runs: ``2014-09..2014-12, 2015-03``.

    >>> runs_text([date(2014, 9, 1), date(2014, 10, 1), date(2015, 3, 1)])
    '2014-09..2014-10, 2015-03'
    """
    out: list[str] = []
    start = prev = None
    for m in sorted(months):
        if prev is not None and next_month(prev) == m:
            prev = m
            continue
        if start is not None and prev is not None:
            out.append(_ym(start) + ("" if start == prev else ".." + _ym(prev)))
        start = prev = m
    if start is not None and prev is not None:
        out.append(_ym(start) + ("" if start == prev else ".." + _ym(prev)))
    return ", ".join(out)


def covered_text(db: Connection, needs: Iterable[Capability]) -> str:
    """The months a question's data exist for, in plain words: the span of every grain
    able to answer it (:func:`~bluehelmet.vocab.able_grains`) and the months missing inside.

    >>> covered_text(db, {"contributor"})  # doctest: +SKIP
    'contributor data cover 1990-11..2025-07 except 2014-09..2014-12, 2015-03, 2016-03, ...'
    """
    needs = set(needs)
    held = sorted({m for g in able_grains(needs) for m in db.coverage[g]})
    what = data_words(needs)
    if not held:
        return f"the database holds no {what}"
    have = set(held)
    missing = [m for m in month_range(held[0], held[-1]) if m not in have]
    return (f"{what} cover {_ym(held[0])}..{_ym(held[-1])}"
            + (f" except {runs_text(missing)}" if missing else ", every month"))


def no_data_text(db: Connection, first: date, last: date, needs: Iterable[Capability]) -> str:
    """The error for a question whose months no able grain covers: what is missing, which
    months do exist, and the nearest ones.

    >>> no_data_text(db, date(2015, 3, 1), date(2015, 3, 1), {"contributor"})  # doctest: +SKIP
    'no contributor data for 2015-03; contributor data cover 1990-11..2025-07 except ...; the nearest ...'
    """
    span = _ym(first) + ("" if first == last else ".." + _ym(last))
    needs = frozenset(needs)
    # the months a grain covers do not change while the database is open: said once per need
    covered = db.once(f"covered_text:{sorted(needs)}", lambda: covered_text(db, needs))
    return (f"no {data_words(needs)} for {span}; {covered}; "
            + nearest_text(db, first, last, needs))


def latest_month(db: Connection, needs: Iterable[Capability] = (), table: str | None = None) -> date:
    """The month a question asked without one is answered for: the last month that the
    grain it needs holds. The one definition of "latest": every query, page and claim that
    is given no month asks here, so they all answer for the same month.

    For personnel (``table`` None), the last month that any grain able to tell apart
    ``needs`` covers (:func:`~bluehelmet.vocab.able_grains`, read from the ``coverage``
    table): a question about China needs contributors, so its latest month is the last one
    with contributor x mission detail or contributor totals, whichever is later. For the
    other domains, ``table`` names the table the layouts load (``deployment_site``,
    ``authorized_strength``, ``geopko_site_map``): its last month as ``source_file``
    records it. A month in the middle of a grain is never "latest" because it has more
    rows; a later month in a gap of the grain does not exist for it.

    >>> f"{latest_month(db, {'contributor'}):%Y-%m}"  # doctest: +SKIP
    '2025-07'
    """
    if table is not None:
        def last_of_table() -> date | None:
            row = db.con.execute("SELECT max(coverage_to) FROM source_file WHERE target = ?", [table]).fetchone()
            return row[0] if row else None

        found = db.once(f"latest:{table}", last_of_table)
        if found is None:
            raise NoDataError(f"no data loaded for {table}")
        return found
    able = able_grains(needs)
    latest = max((max(db.coverage[g]) for g in able if db.coverage[g]), default=None)
    if latest is None:
        raise NoDataError(f"the database holds no {data_words(needs)}")
    return latest


def needs_text(needs: Iterable[Capability]) -> str:
    """What a question needs its grain to tell apart, in the words the answers use.

    >>> needs_text({"mission", "contributor"})
    'contributor, mission'
    """
    return ", ".join(sorted(needs)) or "world totals"


def latest_note(needs: Iterable[Capability] = (), table: str | None = None) -> str:
    """Why an answer given no month is for the month it is for (:func:`latest_month`).

    >>> latest_note({"contributor"})
    'the latest month with data for this question (contributor)'
    """
    what = _TABLE_WORDS.get(table, table) if table else needs_text(needs)
    return f"the latest month with data for this question ({what})"


# the non-personnel tables a question without a month may need, in the answers' words
_TABLE_WORDS = {"deployment_site": "deployment maps", "geopko_site_map": "Geo-PKO yearly site tables",
                "authorized_strength": "authorised strength"}
