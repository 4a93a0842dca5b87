"""Personnel counts: filter, group, and pick the finest grain that answers, month by month.

A month-end headcount is a stock: months are never summed. A range without ``month`` or
``year`` in ``by`` is answered month by month (the answer says so). Every row names its
month: ``month`` is the first column unless ``by`` places it (or asks for years; December
values then name the month that stands for the year). With no month asked, the answer is
for the latest month of the grain the question needs (:func:`.coverage.latest_month`).
Yearly figures are December values unless ``year_agg`` says mean or max; a year whose
December is not covered uses its last covered month, and the answer says which.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import repeat
from datetime import date
from typing import Any, Callable, Iterable, Sequence

from ..errors import NoDataError, QueryError
from ..months import month_range, parse_month
from ..vocab import GRAINS, PERSONNEL_TYPES, ROLLUPS, Capability, able_grains, coarse_type
from .connection import Connection
from .choices import describe, relevant
from .coverage import latest_month, latest_note, no_data_text
from .result import Result
from .selection import Selection


__all__ = ["personnel", "BY_KEYS", "part", "plan", "question_needs", "shape", "statement"]

BY_KEYS = ("contributor", "mission", "type", "month", "year", "gender", "region", "subregion",
           "continent", "group")
YEAR_AGGS = ("dec", "mean", "max")
_COUNTRY_ATTR = {"region": "region", "subregion": "subregion", "continent": "continent"}
# the stored types of a personnel type -> its name, as contributor_type holds it
_TYPE_NAMES = {types: name for name, types in PERSONNEL_TYPES.items() if types is not None}


def question_needs(country: bool = False, mission: bool = False, type: str = "all",
                   by: Iterable[str] = ()) -> set[Capability]:
    """What a personnel question needs its grain to tell apart: contributors for a country
    filter or a contributor key, missions for a mission filter or key, and so on. The
    claims ask it too, so a claim's default month is the query's.

    >>> sorted(question_needs(country=True, by=["mission"]))
    ['contributor', 'mission']
    """
    keys = set(by)
    needs: set[Capability] = set()
    if country or keys & {"contributor", "region", "subregion", "continent", "group"}:
        needs.add("contributor")
    if mission or "mission" in keys:
        needs.add("mission")
    if "gender" in keys:
        needs.add("gender")
    if type in ("formed-police", "individual-police", "staff-officers"):
        needs.add("fine_types")
    return needs


def shape(by: list[str], year_agg: str = "dec") -> tuple[list[str], list[str]]:
    """The keys of an answer grouped ``by`` (every row names its month: first, unless
    ``by`` places it; with years, December values name the month that stood for the year)
    and the keys its SQL groups (years are worked out from months in Python).

    >>> shape(["year", "type"])
    (['year', 'month', 'type'], ['month', 'type'])
    """
    keys = list(by)
    if "month" not in keys and "year" not in keys:
        keys.insert(0, "month")
    elif "year" in keys and year_agg == "dec":
        keys.insert(keys.index("year") + 1, "month")
    sql_keys = [k for k in keys if k != "year"]
    if "year" in keys and "month" not in sql_keys:
        sql_keys.append("month")
    return keys, sql_keys


def part(one: str, sql_keys: list[str], coarse: bool, grain: str, months: Sequence[date]) -> tuple[Any, ...]:
    """What a statement of one contributor or mission (``one``: ``contributor=GHA``)
    answers, independently of its text: the name under which the build stores its rows
    (query/summary.py) and :meth:`Connection.fetch` finds them."""
    return ("personnel", one, ",".join(sql_keys) + ("/coarse" if coarse else ""), grain, tuple(months))


def plan(db: Connection, months: Sequence[date] | None,
         needs: set[Capability]) -> tuple[dict[str, list[date]], list[date]]:
    """Which grain answers which month: the finest one able to answer that covers it.
    ``months`` None is the latest month (:func:`.coverage.latest_month`)."""
    able = able_grains(needs)
    if not able:
        raise QueryError("no grain in the data can answer that combination (" + ", ".join(sorted(needs)) + ")")
    if months is None:
        months = [latest_month(db, needs)]
    by_grain: dict[str, list[date]] = defaultdict(list)
    missing = []
    for m in months:
        g = next((g for g in able if m in db.coverage[g]), None)
        if g is None:
            missing.append(m)
        else:
            by_grain[g].append(m)
    return dict(by_grain), missing


def _country_filter(db: Connection, sel: Selection, months: list[date], params: list[Any]) -> str:
    """SQL for "contributor is one of these countries or, that month, in one of these groups"."""
    fixed = db.members_during(sel.groups, months) if sel.groups else set()
    if fixed is not None:
        # membership did not change over these months (the usual case): a plain list
        # filters several times faster than the dated join below
        params.append(sorted(set(sel.countries) | fixed))
        return "list_contains(?, p.contributor)"
    parts = []
    if sel.countries:
        parts.append("list_contains(?, p.contributor)")
        params.append(list(sel.countries))
    if sel.groups:
        parts.append("""EXISTS (SELECT 1 FROM country_group g WHERE g.iso3 = p.contributor
                        AND list_contains(?, g.grp)
                        AND (g.valid_from IS NULL OR g.valid_from <= last_day(p.month))
                        AND (g.valid_to IS NULL OR g.valid_to >= last_day(p.month)))""")
        params.append(list(sel.groups))
    return "(" + " OR ".join(parts) + ")"


def _table(grain: str, keys: list[str], by_country: bool, by_mission: bool, with_sources: bool) -> str:
    """The smallest table holding what a question of ``grain`` needs: the grain's own, or
    a rollup of it (vocab.ROLLUPS) where the question needs fewer of its keys (and one
    that keeps files, where the question asks which files each row is from)."""
    needs = set()
    if by_country or any(k in keys for k in ("contributor", "group", *_COUNTRY_ATTR)):
        needs.add("contributor")
    if by_mission or "mission" in keys:
        needs.add("mission")
    own = GRAINS[grain]
    kept = tuple(k for k in own["keys"] if k in needs)
    if kept == own["keys"]:
        return own["table"]
    return next((r["table"] for r in ROLLUPS if r["grain"] == grain and r["keys"] == kept
                 and (r["by_file"] or not with_sources)), own["table"])


def _ranking_table(grain: str, sel: Selection, missions: list[str], types: tuple[str, ...] | None,
                   keys: list[str], with_sources: bool) -> str | None:
    """Whether a question is every contributor's personnel at some months (a ranking, the
    overview's top ten), which the build summed from this same grain for these months
    (the finest able to tell contributors apart): ``"all"`` for all personnel
    (contributor_rank, holding exactly the rows an answer keeps, those with anybody
    deployed), a type's name for one type (contributor_type, holding the rows the general
    statement would group, with their files), None for any other question."""
    if keys != ["month", "contributor"] or sel or missions or grain not in ("detail", "contributor"):
        return None
    if types is None:
        return None if with_sources else "all"
    return _TYPE_NAMES.get(types)


def _span(db: Connection, grain: str, months: list[date]) -> tuple[date, date] | None:
    """``(first, last)`` where ``months`` are every month the grain holds in that span (more
    than two): a range test is then much cheaper than looking each row's month up in a
    long list; None where the months must be listed."""
    lo, hi = min(months), max(months)
    if len(months) > 2 and len(months) == sum(1 for m in db.coverage[grain] if lo <= m <= hi):
        return lo, hi
    return None


def held(db: Connection, grain: str, months: list[date], sel: Selection, missions: list[str],
         types: tuple[str, ...] | None, keys: list[str], with_sources: bool) -> list[tuple[Any, ...]] | None:
    """The rows :func:`statement`'s SQL returns, in its order, without running it, for a
    ranking at one month: contributor_rank and contributor_type (41,000 and 129,000 rows)
    are read into memory once per open database (:func:`_read_rankings`), since a
    statement costs about 1 ms of DuckDB's planning and scanning whatever it reads, as
    much as all the rest of a ranking's answer; only where the database is held for many
    questions (``hold_rankings``: the server). None for every other question, and for
    several months (the statement's order of rows among months is its own): run the
    statement."""
    ranking = _ranking_table(grain, sel, missions, types, keys, with_sources)
    if ranking is None or len(months) != 1 or not db.hold_rankings:
        return None
    m = months[0]
    found = db.once("personnel:rankings", lambda: _read_rankings(db)).get((ranking, m))
    if found is None:
        return []
    contributors, personnel, files = found
    return list(zip(repeat(m), contributors, personnel, files if with_sources else repeat(None)))


def _read_rankings(db: Connection) -> dict[tuple[str, date], tuple[tuple[str, ...], tuple[int, ...],
                                                                   tuple[tuple[int, ...] | None, ...]]]:
    """``{("all" or a type's name, month): (contributors, personnel, files)}``, each in the
    table's order, as the statement returns them (files: None for "all"), with names and
    lists of files shared between rows: about 6 MB held for both tables, read in about
    0.4 s."""
    names: dict[str, str] = {}
    lists: dict[tuple[int, ...], tuple[int, ...]] = {}
    building: dict[tuple[str, date], tuple[list[str], list[int], list[tuple[int, ...] | None]]] = {}
    for sql in ("SELECT 'all', month, contributor, personnel, NULL FROM contributor_rank",
                "SELECT type, month, contributor, personnel, source_ids FROM contributor_type"):
        cur = db.con.execute(sql)
        while chunk := cur.fetchmany(2048):  # streamed: DuckDB holds no more than a chunk
            for t, m, c, v, f in chunk:
                cs, vs, fs = building.setdefault((t, m), ([], [], []))
                cs.append(names.setdefault(c, c))
                vs.append(v)
                fs.append(None if f is None else lists.setdefault(tuple(f), tuple(f)))
    return {k: (tuple(cs), tuple(vs), tuple(fs)) for k, (cs, vs, fs) in building.items()}


def statement(db: Connection, grain: str, months: list[date], sel: Selection, missions: list[str],
              types: tuple[str, ...] | None, keys: list[str], coarse_types: bool,
              with_sources: bool) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) answering ``months`` from one grain's table: the keys,
    then ``personnel``, then the list of files behind each row (or NULL)."""
    table = _table(grain, keys, bool(sel), bool(missions), with_sources)
    params: list[Any] = []  # for the WHERE clause
    join_params: list[Any] = []  # for the joins, which come first in the SQL text
    select, joins = [], []
    for k in keys:
        if k == "contributor":
            select.append("p.contributor")
        elif k == "mission":
            select.append("p.mission")
        elif k == "type":
            select.append(coarse_type("p.type") if coarse_types else "p.type")
        elif k == "month":
            select.append("p.month")
        elif k in _COUNTRY_ATTR:
            if "country" not in joins:
                joins.append("country")
            select.append(f"c.{_COUNTRY_ATTR[k]}")
        elif k == "group":
            joins.append("group")
            select.append("g2.grp")
        # gender: summed as three columns and split into rows by _split_gender, which is
        # much cheaper than unpivoting the table before aggregating
    span = _span(db, grain, months)
    if span is not None:
        where = ["p.month BETWEEN ? AND ?"]
        params += list(span)
    else:
        where = ["list_contains(?, p.month)"]
        params.append(months)
    ranking = _ranking_table(grain, sel, missions, types, keys, with_sources)
    if ranking == "all":
        return (f"SELECT p.month, p.contributor, p.personnel, NULL::INTEGER[] FROM contributor_rank p "
                f"WHERE {where[0]}", params)
    if ranking is not None:
        files = "p.source_ids" if with_sources else "NULL::INTEGER[]"
        return (f"SELECT p.month, p.contributor, p.personnel, {files} FROM contributor_type p "
                f"WHERE {where[0]} AND p.type = ?", [*params, ranking])
    if types is not None:
        where.append("list_contains(?, p.type)")
        params.append(list(types))
    if sel:
        where.append(_country_filter(db, sel, months, params))
    if missions:
        where.append("list_contains(?, p.mission)")
        params.append(missions)
    join_sql = ""
    if "country" in joins:
        join_sql += " JOIN country c ON c.iso3 = p.contributor"
    if "group" in joins:
        if sel.groups:
            group_filter = "list_contains(?, g2.grp)"
            join_params.append(list(sel.groups))
        else:
            group_filter = "g2.grp IN (SELECT grp FROM country_group_info WHERE kind = 'political')"
        join_sql += f""" JOIN country_group g2 ON g2.iso3 = p.contributor AND {group_filter}
            AND (g2.valid_from IS NULL OR g2.valid_from <= last_day(p.month))
            AND (g2.valid_to IS NULL OR g2.valid_to >= last_day(p.month))"""
    measure = ("sum(p.female)::BIGINT, sum(p.male)::BIGINT, sum(p.total)" if "gender" in keys
               else "sum(p.total)")
    # the files behind each row, so an answer cites what it used, not all that was there
    # (asked only where several files share a month: the aggregate costs a third of a query)
    measures = [measure + "::BIGINT AS personnel",
                "list(DISTINCT p.source_id)" if with_sources else "NULL::INTEGER[]"]
    group_sql = f" GROUP BY {', '.join(str(i + 1) for i in range(len(select)))}" if select else ""
    sql = (f"SELECT {', '.join(select + measures)} FROM {table} p{join_sql} "
           f"WHERE {' AND '.join(where)}{group_sql}")
    return sql, join_params + params


def personnel(db: Connection, country: Iterable[str | Selection] | None = None, mission: Iterable[str] | None = None,
              type: str = "all", month: str | date | None = None, start: str | date | None = None,
              end: str | date | None = None, by: Iterable[str] = (), year_agg: str = "dec",
              months: Iterable[str | date] | None = None) -> Result:
    """Personnel deployed, by any of :data:`BY_KEYS`, with the sources used.

    The months asked are ``month``, or the range ``start``..``end``, or an explicit list
    ``months`` (for instance each year's December, in one statement instead of one each).

    >>> personnel(db, country=["P5"], month="2013-12", by=["contributor"])  # doctest: +SKIP
    """
    by = list(dict.fromkeys(by))
    for k in by:
        if k not in BY_KEYS:
            raise QueryError(f"unknown --by key {k!r}; choose from {', '.join(BY_KEYS)}")
    if type not in PERSONNEL_TYPES:
        raise QueryError(f"unknown personnel type {type!r}; choose from {', '.join(PERSONNEL_TYPES)}")
    if year_agg not in YEAR_AGGS:
        raise QueryError(f"unknown --year-agg {year_agg!r}; choose from {', '.join(YEAR_AGGS)}")
    if "year" in by and "month" in by:
        raise QueryError("--by month and --by year together: choose one")
    if sum(x is not None for x in (month, start if start is not None else end, months)) > 1:
        raise QueryError("give --month, --from/--to or a list of months, not several")
    sel = db.select(list(country or []))
    missions = [db.resolve_mission(m) for m in mission or []]
    notes: list[str] = []
    needs = question_needs(bool(sel), bool(missions), type, by)
    able = able_grains(needs)

    asked: list[date] | None
    if months is not None:
        asked = sorted({parse_month(m) for m in months})
        if not asked:
            raise QueryError("an empty list of months")
    elif month is not None:
        asked = [parse_month(month)]
    elif start is not None or end is not None:
        # an open end is the first or last month of the grains able to answer
        covered = [m for g in able if db.coverage[g] for m in (min(db.coverage[g]), max(db.coverage[g]))]
        if not covered:
            plan(db, None, needs)  # raises: no grain can answer, or none holds data
        first = parse_month(start) if start is not None else min(covered)
        last = parse_month(end) if end is not None else latest_month(db, needs)
        asked = month_range(first, last)
    else:
        asked = None
    if asked is not None and len(asked) > 1 and "month" not in by and "year" not in by:
        notes.append("a range is answered month by month: month-end headcounts are never summed")
    # every row names its month: first, unless ``by`` places it; with years, December
    # values name the month that stood for the year (means and maxima have none)
    keys, sql_keys = shape(by, year_agg)

    if asked is not None:
        # a state asked for at months it holds no figures of its own for (the Czech Republic
        # in 1992, the USSR in 1995) is told whom to ask, never answered with an empty table
        absent = {c: db.own_records(c, asked) for c in sel.countries}
        if sel.countries and not sel.groups and not any(_owns_any(db, c, asked) for c in sel.countries):
            raise NoDataError("; ".join(m for ms in absent.values() for m in ms))
        notes.extend(m for ms in absent.values() for m in ms)
    types = PERSONNEL_TYPES[type]
    if type == "staff-officers":
        asked = _staff_officer_months(db, asked, notes)
    by_grain, missing = plan(db, asked, needs)
    if not by_grain:
        raise NoDataError(no_data_text(db, missing[0], missing[-1], needs))
    if missing:
        notes.append(f"no data for {len(missing)} month(s): " + ", ".join(f"{m:%Y-%m}" for m in missing[:12])
                     + (" ..." if len(missing) > 12 else ""))
    coarse = len(by_grain) > 1 or "detail" not in by_grain
    raw: list[tuple[Any, ...]] = []
    used: dict[tuple[str, int], list[date]] = {}  # (grain, file) -> [first, last] month used
    month_at = sql_keys.index("month") if "month" in sql_keys else None
    # without a filter every file covering a month is behind its figures (coverage is taken
    # from the resolved tables), so the per-row file list is asked only of filtered questions
    filtered = bool(sel or missions or types is not None)
    # one contributor or one mission, all types: what a profile asks, which the build may
    # have answered ahead (query/summary.py); the stored rows carry their files, wanted or not
    one = (f"contributor={sel.countries[0]}" if len(sel.countries) == 1 and not sel.groups and not missions
           else f"mission={missions[0]}" if len(missions) == 1 and not sel else None) if types is None else None
    for grain, gmonths in by_grain.items():
        several = filtered and any(len(db.coverage[grain][m]) > 1 for m in gmonths)
        found = held(db, grain, gmonths, sel, missions, types, sql_keys, several)
        if found is None:
            sql, params = statement(db, grain, gmonths, sel, missions, types, sql_keys, coarse, several)
            if one is None:
                found = db.con.execute(sql, params).fetchall()
            else:
                found = db.fetch(part(one, sql_keys, coarse, grain, gmonths), sql, params)
                if not several:
                    found = [(*r[:-1], None) for r in found]
        if "gender" in sql_keys:
            found = _split_gender(found, sql_keys.index("gender"))
        raw.extend(found)
        # _mark, written out: a compare page's series pass here some 20,000 times
        for r in found:
            sids = r[-1]
            if not sids:
                continue
            m = r[month_at] if month_at is not None else gmonths[0]
            for sid in sids:
                span = used.get((grain, sid))
                if span is None:
                    used[(grain, sid)] = [m, m]
                elif m < span[0]:
                    span[0] = m
                elif m > span[1]:
                    span[1] = m
        # one file per month, unfiltered, or nobody deployed: the files covering the months
        if not any(r[-1] for r in found):
            for m in gmonths:
                for sid in db.coverage[grain][m]:
                    _mark(used, (grain, sid), m)
    # keyed rows that hold nobody (IPI writes explicit zeros) are noise in every view
    kept = [r[:-1] for r in raw if r[-2] and (sql_keys or r[-2] is not None)]
    answered = sorted(m for ms in by_grain.values() for m in ms)
    if "year" in keys:
        yearly = _by_year([dict(zip(sql_keys + ["personnel"], r)) for r in kept],
                          [k for k in keys if k not in ("year", "month")], year_agg, answered, notes)
        kept = [tuple(d[k] for k in keys) + (d["personnel"],) for d in yearly]
    values, columns = _rows(db, keys, kept)
    values.sort(key=_sort_key(keys, columns))
    rows = [dict(zip(columns, v)) for v in values]
    grains = [{"grain": g, "first_month": f"{min(ms):%Y-%m}", "last_month": f"{max(ms):%Y-%m}",
               "months": len(ms)} for g, ms in by_grain.items()]
    if len(by_grain) > 1:
        notes.append("answered from several grains: " + "; ".join(
            f"{g['grain']} {g['first_month']}..{g['last_month']}" for g in grains))
    for c in sel.countries:
        notes.extend(db.attributed_notes(c, answered) + db.territory_notes(c, answered)
                     + (db.own_records(c, answered) if asked is None else []))
    query = {"country": list(sel.labels), "resolved": sel.echo(), "mission": missions, "type": type,
             "month": f"{parse_month(month):%Y-%m}" if month else None,
             "from": f"{answered[0]:%Y-%m}", "to": f"{answered[-1]:%Y-%m}",
             "by": list(by), "year_agg": year_agg if "year" in by else None}
    res = Result(columns, rows, db.source_refs(used), grains, notes, query)
    _show_choices(db, res, by_grain, sel, missions)
    if len(answered) == 1:
        res.month = f"{answered[0]:%Y-%m}"
    if asked is None:
        res.month_note = latest_note(needs)
        if not rows and (sel or missions):
            res.notes.append(_last_with_personnel(db, sel, missions, type, answered[0]))
    return res


def _owns_any(db: Connection, iso3: str, months: list[date]) -> bool:
    """Whether ``iso3`` holds figures of its own at any of ``months``."""
    return len(db.own_records(iso3, months)) == 0 or any(not db.own_records(iso3, [m]) for m in months)


# a long series may cross many chosen cells; the JSON keeps them all, the notes the first few
_CHOICE_LINES = 5


def _show_choices(db: Connection, res: Result, by_grain: dict[str, list[date]], sel: Selection,
                  missions: list[str]) -> None:
    """Name the cells answered other than by plain precedence (a better file lacked rows)
    and warn where no file was complete, with the competing figures."""
    picked = relevant(db, by_grain, sel, missions)
    if not picked:
        return
    res.choices = [c.as_dict() for c in picked]
    chosen = [c for c in picked if c.reason == "complete"]
    for c in chosen[:_CHOICE_LINES]:
        res.notes.append(describe(c, db.countries))
    if len(chosen) > _CHOICE_LINES:
        res.notes.append(f"... and {len(chosen) - _CHOICE_LINES} more cells answered from a more complete file "
                         "(see choices in --format json)")
    res.warnings += [describe(c, db.countries) for c in picked if c.reason == "none_complete"]


def _last_with_personnel(db: Connection, sel: Selection, missions: list[str], type: str, latest: date) -> str:
    """What an empty answer for the latest month says: the last month the same question
    has anybody, so "nobody now" is never mistaken for "no data" (MINUSMA, closed)."""
    who = ", ".join([*(f"{n} ({c})" for _, _, c, n in sel.resolved), *missions]) or "this question"
    what = "personnel" if type == "all" else f"{type} personnel"
    series = personnel(db, country=[sel] if sel else None, mission=missions, type=type, end=latest, by=["month"])
    last = next((r["month"] for r in reversed(series.rows) if r["personnel"]), None)
    if last is None:
        return f"no {what} for {who} at {latest:%Y-%m} nor in any month before"
    return f"no {what} for {who} at {latest:%Y-%m}; the last month with any is {last}"


def _staff_officer_months(db: Connection, asked: list[date] | None, notes: list[str]) -> list[date] | None:
    """Staff officers are counted apart from troops only by the official reports from 2017-05;
    before, every source counts them among troops: those months are no data, not zero."""
    row = db.con.execute("SELECT min(month) FROM personnel_by_month WHERE type = 'staff_officers'").fetchone()
    first = row[0] if row else None  # min() returns one row, NULL where there is none
    if first is None:
        raise NoDataError("no loaded source reports staff officers apart from troops")
    if asked is None:
        return None
    kept = [m for m in asked if m >= first]
    if not kept:
        raise NoDataError(f"staff officers are reported apart from troops only from {first:%Y-%m}; "
                          "before, the sources count them among troops")
    if len(kept) < len(asked):
        notes.append(f"staff officers are reported apart from troops only from {first:%Y-%m}")
    return kept


def _rows(db: Connection, by: list[str], found: list[tuple[Any, ...]]) -> tuple[list[list[Any]], list[str]]:
    """Tuples in ``by`` + personnel order as display values (one pass: this is per row)."""
    columns = list(by) + ["personnel"]
    at_month = by.index("month") if "month" in by else None
    at_type = by.index("type") if "type" in by else None
    at_contributor = by.index("contributor") if "contributor" in by else None
    if at_contributor is not None:
        columns.insert(at_contributor + 1, "contributor_name")
    names = db.countries
    shown: dict[date, str] = {}  # each month written once: a ranking's rows share theirs
    out = []
    for t in found:
        v = list(t)
        if at_month is not None:
            m = v[at_month]
            text = shown.get(m)
            if text is None:
                text = shown[m] = f"{m.year:04d}-{m.month:02d}"
            v[at_month] = text
        if at_type is not None:
            v[at_type] = v[at_type].replace("_", "-")
        if at_contributor is not None:
            code = v[at_contributor]
            v.insert(at_contributor + 1, names.get(code, (code,))[0])
        out.append(v)
    return out, columns


def _sort_key(by: list[str], columns: list[str]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """Keys in order (missing last), then the largest first where rows are contributors,
    missions or groups."""
    at = [i for i, c in enumerate(columns) if c in by and c != "contributor"]
    largest_first = any(k in by for k in ("contributor", "mission", "group"))
    last = len(columns) - 1
    if len(at) == 1 and largest_first:  # one key and the largest first (a ranking): the same key, built faster
        one = at[0]

        def key_one(v: list[Any]) -> tuple[Any, ...]:
            x = v[one]
            return ((0, x) if x is not None else (1, ""), -v[last])

        return key_one

    def key(v: list[Any]) -> tuple[Any, ...]:
        k = tuple((0, v[i]) if v[i] is not None else (1, "") for i in at)
        return k + (-v[last],) if largest_first else k

    return key


def _mark(used: dict[tuple[str, int], list[date]], key: tuple[str, int], month: date) -> None:
    span = used.get(key)
    if span is None:
        used[key] = [month, month]
    elif month < span[0]:
        span[0] = month
    elif month > span[1]:
        span[1] = month


def _split_gender(rows: list[tuple[Any, ...]], at: int) -> list[tuple[Any, ...]]:
    """(keys..., female, male, total, sources) -> one row per gender, at position ``at``.

    What the source does not split by gender is reported as "not reported", so the three
    rows always add up to the total.
    """
    out = []
    for *keys, female, male, total, sources in rows:
        rest = (total or 0) - (male or 0) - (female or 0)
        for gender, n in (("female", female), ("male", male), ("not reported", rest)):
            out.append((*keys[:at], gender, *keys[at:], n, sources))
    return out


def _by_year(rows: list[dict[str, Any]], keys: list[str], agg: str,
             months: list[date], notes: list[str]) -> list[dict[str, Any]]:
    per_year: dict[int, list[date]] = defaultdict(list)
    for m in months:
        per_year[m.year].append(m)
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    if agg == "dec":
        ref = {y: max(ms) for y, ms in per_year.items()}
        odd = [f"{y}: {m:%Y-%m}" for y, m in sorted(ref.items()) if m.month != 12]
        if odd:
            notes.append("December not covered; the year's last covered month stands in: " + ", ".join(odd))
        for r in rows:
            m = r["month"]
            if ref.get(m.year) == m:
                out[(m.year, *[r[k] for k in keys])] = {**{k: r[k] for k in keys}, "year": m.year, "month": m,
                                                       "personnel": r["personnel"]}
    else:
        acc: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for r in rows:
            acc[(r["month"].year, *[r[k] for k in keys])].append(r["personnel"])
        for key, vals in acc.items():
            year = key[0]
            value = (sum(vals) / len(per_year[year])) if agg == "mean" else max(vals)
            out[key] = {**dict(zip(keys, key[1:])), "year": year, "personnel": int(round(value))}
        if agg == "mean":
            notes.append("yearly means divide by the months covered in each year; rounded to whole people")
    return list(out.values())
