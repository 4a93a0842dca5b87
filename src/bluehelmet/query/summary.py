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


def _rows_json(columns: list[str], key: str = "k", order: str = "") -> str:
    """A group's rows as one JSON array of arrays (no rows: ``[]``), in ``order`` where
    the statement it stands for orders its rows."""
    return ("'[' || coalesce(string_agg(json_array(" + ", ".join(f"q.{c}" for c in columns)
            + f")::VARCHAR, ','{' ORDER BY ' + order if order else ''}) FILTER (WHERE q.{key} IS NOT NULL), '') "
              "|| ']'")


def _personnel(db: Connection, kind: str, by: list[str], needs: set[Capability], asked: list[date],
               keys: list[str], at: dict[str, date] | None) -> list[tuple[str, list[Any]]]:
    """The statements storing one personnel call for every one of ``keys`` (contributors
    or missions): over ``asked`` for all, or, with ``at``, each at its own month."""
    _, sql_keys = shape(by)
    by_grain, _missing = plan(db, asked, needs)
    coarse = len(by_grain) > 1 or "detail" not in by_grain
    selected = [k for k in sql_keys if k != "gender"]  # gender is summed as three columns
    measures = ["female", "male", "personnel"] if "gender" in sql_keys else ["personnel"]
    columns = [f"c{i}" for i in range(len(selected))] + measures + ["files"]
    month_at = selected.index("month")
    out = []
    for grain, gmonths in by_grain.items():
        if at is not None:  # each asked at one month: answered by one grain
            coarse = grain != "detail"
        inner, params = statement(db, grain, gmonths, Selection(), [], None, [kind, *sql_keys], coarse, True)
        head = [kind, "personnel", ",".join(sql_keys) + ("/coarse" if coarse else ""), grain]
        if at is None:
            sql = (f"SELECT ?, e.k, ?, ?, ?, ?::DATE[], ?::INTEGER[], {_rows_json(columns)} "
                   f"FROM (SELECT unnest(?::VARCHAR[]) AS k) e "
                   f"LEFT JOIN ({inner}) AS q(k, {', '.join(columns)}) ON q.k = e.k GROUP BY e.k")
            out.append((sql, [*head, gmonths, [month_at], keys, *params]))
        else:
            mine = sorted(k for k in keys if k in at and at[k] in set(gmonths))
            if not mine:
                continue
            sql = (f"SELECT ?, e.k, ?, ?, ?, [e.at], ?::INTEGER[], {_rows_json(columns)} "
                   f"FROM (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::DATE[]) AS at) e "
                   f"LEFT JOIN ({inner}) AS q(k, {', '.join(columns)}) ON q.k = e.k AND q.c{month_at} = e.at "
                   f"GROUP BY e.k, e.at")
            out.append((sql, [*head, [month_at], mine, [at[k] for k in mine], *params]))
    return out


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


def _sites(db: Connection, kind: str, at: dict[str, date]) -> Iterable[tuple[str, list[Any]]]:
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
    yield (f"""
        WITH p AS (SELECT unnest(?::DATE[]) AS at, unnest(?::VARCHAR[]) AS mission, unnest(?::DATE[]) AS map_date,
                          unnest(?::VARCHAR[]) AS map),
             s AS (SELECT p.at, s.* FROM deployment_site s JOIN p ON s.mission = p.mission
                   AND s.map_date = p.map_date AND s.map = p.map),
             {SITE_CONTRIBUTORS},
             e AS (SELECT unnest(?::VARCHAR[]) AS k, unnest(?::DATE[]) AS at),
             q AS (SELECT {key} AS k, s.at AS at, {SITE_SELECT} FROM s {pick} {SITE_JOINS})
        SELECT ?, e.k, 'sites', '', 'site', [e.at], [3],
               {_rows_json(columns, order="q.c2, q.c9 DESC NULLS LAST, q.c5")}
        FROM e LEFT JOIN q AS q(k, asked, {", ".join(columns)}) ON q.k = e.k AND q.asked = e.at GROUP BY e.k, e.at""",
           [[m[0] for m in maps], [m[1] for m in maps], [m[2] for m in maps], [m[3] for m in maps],
            keys, [at[k] for k in keys], kind])


def statements(db: Connection) -> Iterable[tuple[str, list[Any]]]:
    """The SELECTs whose rows fill ``page_summary`` (the build inserts them): each a
    statement of a profile at its default month, for every contributor or mission."""
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
                yield (f"""SELECT ?, e.k, 'fatality', ?, 'incident', [?::DATE, ?::DATE], [{len(by) + 2}],
                                  {_rows_json(columns)}
                           FROM (SELECT unnest(?::VARCHAR[]) AS k) e LEFT JOIN (
                               SELECT {column} AS k, {", ".join(select)}, count(*) AS n,
                                      list(DISTINCT f.source_id) AS files, list(DISTINCT f.month) AS months,
                                      count(*) FILTER (WHERE f.nationality IS NULL) AS nulls
                               FROM fatality f WHERE f.month BETWEEN ? AND ? GROUP BY ALL) q ON q.k = e.k
                           GROUP BY e.k""", [kind, ",".join(by), lo, hi, sorted(have[kind]), lo, hi])
    # a mission's authorised strength, month by month (missions.authorized)
    yield ("SELECT 'mission', e.k, 'authorized_strength', '', '', []::DATE[], [0], "
           + _rows_json([*AUTHORIZED_COLUMNS, "source_id"], "mission", "q.month")
           + " FROM (SELECT unnest(?::VARCHAR[]) AS k) e LEFT JOIN authorized_strength q ON q.mission = e.k "
             "GROUP BY e.k", [sorted(have["mission"])])
    # a country's rank at every December: its own rows of contributor_rank (rank.standing)
    yield ("SELECT 'contributor', e.k, 'contributor_rank', '', '', []::DATE[], [0], "
           + _rows_json(["month", "rank", "personnel"], "contributor")
           + " FROM (SELECT unnest(?::VARCHAR[]) AS k) e LEFT JOIN contributor_rank q ON q.contributor = e.k "
             "GROUP BY e.k", [sorted(have["contributor"])])
