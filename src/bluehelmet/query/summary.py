"""Stored page summaries: the statements of a country's and a mission's profile at its
default month, answered at build time for every contributor and mission at once.

A profile (``missions.country_profile``, ``missions.mission_profile``) runs a dozen
statements, each about the same for every country: its personnel by year and type, month
by month, by year and mission, by mission and by gender at its month; its rank at every
December. Each costs 1-5 ms however few its rows, mostly parsing and planning. The build
runs each of them once over every contributor (or mission) grouped by it, at the months
the profile asks (the series' months, each one's own default month), and stores each
one's rows under a name that says what the statement answers, not its text
(``personnel.part``): the table ``page_summary``, one row per contributor or mission and
statement. A profile reads its rows in one lookup (``Connection.summary``) and :meth:`Connection.fetch` hands each statement its stored rows
where the name matches, so everything after the statement (files, notes, pivots) is the
same code on the same rows. A statement asked at another month, or of another shape, is
not found and runs as ever.

The names are built by the same functions the queries call (``personnel.shape``,
``personnel.plan``, ``personnel.statement``), so a statement and its stored rows agree
by construction; ``tests/test_materialised.py`` checks the rows against the statements
run afresh.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from ..errors import NoDataError
from ..months import month_range
from ..vocab import Capability
from .connection import Connection
from .personnel import plan, shape, statement
from .selection import Selection

__all__ = ["statements"]

# The personnel statements of each profile, as (by, needs, months): "series" from the
# first month of the grains able to answer the profile to the latest; "detail" over the
# contributor x mission detail's span; "at" at each one's default month. They mirror the
# calls in missions.py: a call changed there and not here is no error, only a statement
# that runs instead of being read (the statement budgets of tests/test_materialised.py
# notice).
Spec = tuple[list[str], set[Capability], str]
COUNTRY: list[Spec] = [(["year", "type"], {"contributor"}, "series"), (["month"], {"contributor"}, "series"),
                       (["year", "mission"], {"contributor", "mission"}, "detail"),
                       (["mission", "type"], {"contributor", "mission"}, "at"),
                       (["gender"], {"contributor", "gender"}, "at")]
MISSION: list[Spec] = [(["month"], {"mission"}, "series"), (["type"], {"mission"}, "at"), (["contributor", "type"], {"contributor", "mission"}, "at")]
# each kind's profile: the capability its own months are those of, and its specs
PROFILES: dict[str, tuple[Capability, list[Spec]]] = {"contributor": ("contributor", COUNTRY),
                                                      "mission": ("mission", MISSION)}


# What :func:`statements` yields: ("head", sql, params), whose rows are (kind, key, tag,
# part, shape, grain, months, dates), one per contributor or mission and statement, even
# one with no rows; and ("rows", sql, params), whose rows are (kind, key, tag, order, row
# as a JSON array), a statement's rows, ``order`` ordering them where the statement does.
# ``tag`` ties them together within a contributor or mission (store/summaries.py).
Statement = tuple[str, str, list[Any]]


def _head(kind: str, part: str, shape_: str, grain: str, months: list[date] | None, dates: list[int],
          keys: list[str], at: dict[str, date] | None) -> Statement:
    """The heads of one statement for ``keys``: over ``months`` for all, or each at its ``at``."""
    if at is None:
        months = months or []
        tag = f"{part}|{shape_}|{grain}|" + (f"{months[0]}..{months[-1]}/{len(months)}" if months else "")
        return ("head", "SELECT ?, unnest(?::VARCHAR[]), ?, ?, ?, ?, ?::DATE[], ?::INTEGER[]",
                [kind, keys, tag, part, shape_, grain, months, dates])
    return ("head", """SELECT ?, e.k, ? || strftime(e.at, '%Y-%m-%d'), ?, ?, ?, [e.at], ?::INTEGER[]
                       FROM (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::DATE[]) AS at) e""",
            [kind, f"{part}|{shape_}|{grain}|", part, shape_, grain, dates, keys, [at[k] for k in keys]])


def _json(columns: list[str]) -> str:
    """A row as a JSON array; its lists of files and months sorted (a statement lists them
    in any order, which its reader ignores), so that a build is the same every time."""
    return "json_array(" + ", ".join(f"list_sort(q.{c})" if c in ("files", "months") else f"q.{c}"
                                     for c in columns) + ")::VARCHAR"


def _personnel(db: Connection, kind: str, by: list[str], needs: set[Capability], asked: list[date],
               keys: list[str], at: dict[str, date] | None) -> Iterable[Statement]:
    """The statements storing one personnel call for every one of ``keys`` (contributors
    or missions): over ``asked`` for all, or, with ``at``, each at its own month."""
    _, sql_keys = shape(by)
    by_grain, _missing = plan(db, asked, needs)
    coarse = len(by_grain) > 1 or "detail" not in by_grain
    selected = [k for k in sql_keys if k != "gender"]  # gender is summed as three columns
    measures = ["female", "male", "personnel"] if "gender" in sql_keys else ["personnel"]
    columns = [f"c{i}" for i in range(len(selected))] + measures + ["files"]
    month_at = selected.index("month")
    for grain, gmonths in by_grain.items():
        if at is not None:  # each asked at one month: answered by one grain
            coarse = grain != "detail"
        inner, params = statement(db, grain, gmonths, Selection(), [], None, [kind, *sql_keys], coarse, True)
        shape_ = ",".join(sql_keys) + ("/coarse" if coarse else "")
        if at is None:
            yield _head(kind, "personnel", shape_, grain, gmonths, [month_at], keys, None)
            tag = f"personnel|{shape_}|{grain}|{gmonths[0]}..{gmonths[-1]}/{len(gmonths)}"
            yield ("rows", f"SELECT ?, q.k, ?, 0, {_json(columns)} FROM ({inner}) AS q(k, {', '.join(columns)}) "
                           "WHERE list_contains(?, q.k)", [kind, tag, *params, keys])
        else:
            mine = sorted(k for k in keys if k in at and at[k] in set(gmonths))
            if not mine:
                continue
            yield _head(kind, "personnel", shape_, grain, None, [month_at], mine, at)
            yield ("rows", f"""SELECT ?, q.k, ? || strftime(e.at, '%Y-%m-%d'), 0, {_json(columns)}
                               FROM ({inner}) AS q(k, {', '.join(columns)})
                               JOIN (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::DATE[]) AS at) e
                                 ON q.k = e.k AND q.c{month_at} = e.at""",
                   [kind, f"personnel|{shape_}|{grain}|", *params, mine, [at[k] for k in mine]])


def _last_active(db: Connection, kind: str, needs: set[Capability], asked: list[date]) -> dict[str, date]:
    """Each contributor's (mission's) last month with anybody, over ``asked``, as its
    profile finds it: the last month of its series (``by=["month"]``) with personnel."""
    _, sql_keys = shape(["month"])
    by_grain, _missing = plan(db, asked, needs)
    coarse = len(by_grain) > 1 or "detail" not in by_grain
    last: dict[str, date] = {}
    for grain, gmonths in by_grain.items():
        inner, params = statement(db, grain, gmonths, Selection(), [], None, [kind, *sql_keys], coarse, False)
        for k, m in db.con.execute(f"SELECT q.k, max(q.m) FROM ({inner}) AS q(k, m, n, f) WHERE q.n <> 0 "
                                   "GROUP BY q.k", params).fetchall():
            if k not in last or m > last[k]:
                last[k] = m
    return last


def _sites(db: Connection, kind: str, at: dict[str, date]) -> Iterable[Statement]:
    """The statement storing the sites of each contributor (mission) at its month, as
    ``sites.sites`` finds them there: the latest maps at or before it (of the missions
    active then; for a mission, its own), a contributor's being those it has troops at."""
    from .sites import SITE_CONTRIBUTORS, SITE_JOINS, SITE_SELECT, latest_maps

    maps: list[tuple[date, str, date, str]] = []  # (month asked, mission, map date, map)
    if kind == "contributor":
        for month in sorted(set(at.values())):
            found = latest_maps(db, None, month)
            closed = db.not_active(month, [m for m, *_ in found])
            maps += [(month, m, d, name) for m, d, name, _ in found if m not in closed]
        keys = sorted(at)
        pick = """JOIN (SELECT DISTINCT e.k, e.at, sc.source_id, sc.line FROM e JOIN site_contributor sc
                        ON sc.contributor = e.k) kk ON kk.at = s.at AND kk.source_id = s.source_id
                                                      AND kk.line = s.line"""
        key = "kk.k"
    else:
        mapped = {m for (m,) in db.con.execute("SELECT DISTINCT mission FROM deployment_site").fetchall()}
        keys = sorted(k for k in at if k in mapped)
        for k in keys:
            maps += [(at[k], m, d, name) for m, d, name, _ in latest_maps(db, k, at[k])]
        pick, key = "JOIN e ON e.at = s.at AND e.k = s.mission", "s.mission"
    keys = [k for k in keys if any(month == at[k] for month, *_ in maps)]
    if not keys:
        return
    n = SITE_SELECT.count(",") + 1
    columns = [f"c{i}" for i in range(n)]
    yield _head(kind, "sites", "", "site", None, [3], keys, at)
    yield ("rows", f"""
        WITH p AS (SELECT unnest(?::DATE[]) AS at, unnest(?::VARCHAR[]) AS mission, unnest(?::DATE[]) AS map_date,
                          unnest(?::VARCHAR[]) AS map),
             s AS (SELECT p.at, s.* FROM deployment_site s JOIN p ON s.mission = p.mission
                   AND s.map_date = p.map_date AND s.map = p.map),
             {SITE_CONTRIBUTORS},
             e AS (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::DATE[]) AS at),
             q AS (SELECT {key} AS k, s.at AS at, {SITE_SELECT} FROM s {pick} {SITE_JOINS})
        SELECT ?, q.k, 'sites||site|' || strftime(q.asked, '%Y-%m-%d'),
               row_number() OVER (PARTITION BY q.k, q.asked ORDER BY q.c2, q.c9 DESC NULLS LAST, q.c5, q.c0, q.c1), {_json(columns)}
        FROM q AS q(k, asked, {", ".join(columns)})""",
           [[m[0] for m in maps], [m[1] for m in maps], [m[2] for m in maps], [m[3] for m in maps],
            keys, [at[k] for k in keys], kind])


def statements(db: Connection) -> Iterable[Statement]:
    """The SELECTs whose rows fill ``page_summary`` (the build inserts them: see
    :data:`Statement`): each statement of a profile at its default month, for every
    contributor or mission."""
    from .fatalities import _COLUMN as FATALITY_COLUMN
    from .missions import AUTHORIZED_COLUMNS, _span

    have = db.with_personnel()
    detail = db.months("detail")
    for kind, (own, specs) in PROFILES.items():
        keys = sorted(have[kind])
        try:
            first, latest = _span(db, {own})
        except NoDataError:  # a database without this grain (a build of a few files): nothing to store
            continue
        series = month_range(first, latest)
        at = _last_active(db, kind, {own}, series)
        beyond: dict[str, date] = {}
        if kind == "mission" and detail:
            # a mission whose last month is not in the contributor x mission detail shows its
            # contributors, and then its whole page, at its last month with detail before
            # it (missions.mission_profile, pages._whole_month), found in the mission's
            # series over the detail's months up to its own: those rows, and its rows then
            covered = set(detail)
            ends = {k: max(m for m in detail if m <= at[k]) for k in keys
                    if k in at and at[k] not in covered and at[k] >= detail[0]}
            for end in sorted(set(ends.values())):
                mine = [k for k in keys if ends.get(k) == end]
                asked = month_range(detail[0], end)
                yield from _personnel(db, kind, ["month"], {own}, asked, mine, None)
                last = _last_active(db, kind, {own}, asked)
                beyond.update({k: last[k] for k in mine if k in last})
        for each in (at, beyond):
            yield from _sites(db, kind, each)
        for by, needs, months in specs:
            if months == "series":
                yield from _personnel(db, kind, by, needs, series, keys, None)
            elif months == "detail":
                if detail:
                    yield from _personnel(db, kind, by, needs, month_range(detail[0], detail[-1]), keys, None)
            else:
                for each in (at, beyond):
                    if each:
                        asked = sorted(set(each.values()))
                        yield from _personnel(db, kind, by, needs, asked, keys, each)
    # the deaths a profile counts (fatalities.fatalities over the whole list): a country's
    # by year, a mission's by year, cause and nationality
    lo, hi = db.con.execute("SELECT min(month), max(month) FROM fatality").fetchall()[0]
    if lo is not None:
        for kind, column, bys in (("contributor", "f.nationality", [["year"]]),
                                  ("mission", "f.mission", [["year"], ["cause"], ["nationality"]])):
            for by in bys:
                select = [f"{FATALITY_COLUMN[k]} AS c{i}" for i, k in enumerate(by)]
                columns = [f"c{i}" for i in range(len(by))] + ["n", "files", "months", "nulls"]
                head = _head(kind, "fatality", ",".join(by), "incident", [lo, hi], [len(by) + 2],
                             sorted(have[kind]), None)
                yield head
                yield ("rows", f"""SELECT ?, q.k, ?, 0, {_json(columns)} FROM (
                               SELECT {column} AS k, {", ".join(select)}, count(*) AS n,
                                      list(DISTINCT f.source_id) AS files, list(DISTINCT f.month) AS months,
                                      count(*) FILTER (WHERE f.nationality IS NULL) AS nulls
                               FROM fatality f WHERE f.month BETWEEN ? AND ? GROUP BY ALL) q
                           WHERE list_contains(?, q.k)""", [kind, head[2][2], lo, hi, sorted(have[kind])])
    # a mission's authorised strength, month by month (missions.authorized), in order
    yield _head("mission", "authorized_strength", "", "", [], [0], sorted(have["mission"]), None)
    yield ("rows", f"""SELECT 'mission', q.mission, 'authorized_strength|||', row_number() OVER
                              (PARTITION BY q.mission ORDER BY q.month), {_json([*AUTHORIZED_COLUMNS, "source_id"])}
                       FROM authorized_strength q WHERE list_contains(?, q.mission)""", [sorted(have["mission"])])
    # a country's rank at every December: its own rows of contributor_rank (rank.standing)
    yield _head("contributor", "contributor_rank", "", "", [], [0], sorted(have["contributor"]), None)
    yield ("rows", f"""SELECT 'contributor', q.contributor, 'contributor_rank|||', 0,
                              {_json(["month", "rank", "personnel"])}
                       FROM contributor_rank q WHERE list_contains(?, q.contributor)""", [sorted(have["contributor"])])
