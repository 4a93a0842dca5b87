"""An open database: the connection, its small metadata cached, and name resolution.

The database is immutable once built, so what every query needs (coverage per grain and
month, the source files, the country and group names) is read once at open.
"""

from __future__ import annotations

import difflib
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Self, Sequence, TypeVar, cast

from ..errors import DatabaseError, QueryError, UnknownNameError
from ..reference.countries import MAX_NAME, name_key
from .result import SourceRef
from .selection import Selection
from ..version import SCHEMA_VERSION
from ..vocab import GRAINS

if TYPE_CHECKING:
    import duckdb

__all__ = ["Connection", "Selection", "check_length"]

_T = TypeVar("_T")


def check_length(name: str) -> None:
    """Refuse a name longer than any name can be, before any matching is tried."""
    if len(name) > MAX_NAME:
        raise QueryError(f"a name of {len(name):,} characters is too long to be a country, group or mission "
                         f"(at most {MAX_NAME}): {name[:40]!r}...")


class Connection:
    """An open, read-only bluehelmet database: what every query takes first.

    It holds the connection (one cursor per thread), the metadata read once at open
    (coverage per grain and month, source files, countries, groups, missions), name
    resolution and :meth:`once`. The queries themselves are functions in
    ``bluehelmet.query``; :class:`bluehelmet.db.Database` binds them as methods.
    """

    def __init__(self, path: str | Path, own_instance: bool = False) -> None:
        """Open ``path`` read-only. DuckDB hands every ``connect`` of one path in a process
        the instance already open there, even when the file at the path was replaced;
        ``own_instance`` attaches the file to a fresh in-memory instance instead, so a
        server can open the new file while requests still read the old one (web/live.py)."""
        import duckdb

        self.path = Path(path)
        self._own_instance = own_instance
        if not self.path.exists():
            raise DatabaseError(f"{self.path}: no database; run 'bluehelmet build --sources DIR' first")
        try:
            if own_instance:
                self._con = duckdb.connect(":memory:")
                quoted = str(self.path).replace("'", "''")
                self._con.execute(f"ATTACH '{quoted}' AS bluehelmet (READ_ONLY)")
                self._con.execute("USE bluehelmet")
            else:
                self._con = duckdb.connect(str(self.path), read_only=True)
            # tiny queries: one thread avoids scheduling overhead (a per-connection setting;
            # connect() config would clash with other connections to the same file)
            self._con.execute("SET threads = 1")
        except (duckdb.Error, OSError) as exc:  # not a database, unreadable, a folder
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DatabaseError(f"{self.path}: cannot open database: {first}") from None
        self._local = threading.local()
        # a long-lived reader (the server) holds the ranking tables in memory
        # (query/personnel.py, held): 0.3-0.4 s once, then a ranking runs no statement; a
        # one-shot command would pay that for one or two rankings
        self.hold_rankings = False
        # things derived from this database and costly to rebuild (e.g. the prose phrase
        # matcher): the file is immutable, so they stay valid while the store is open
        self.derived: dict[str, Any] = {}
        self._refs: dict[tuple[str, int, date, date], SourceRef] = {}  # source_refs
        self._load_metadata()

    @classmethod
    def over(cls, con: duckdb.DuckDBPyConnection) -> Self:
        """The queries over a connection the caller holds open (the build's, before its
        copy to the file, to write the pages' summaries: store/summaries.py); the caller
        closes it."""
        self = cls.__new__(cls)
        self.path = Path(":memory:")
        self._own_instance = False
        self._con = con
        self._local = threading.local()
        self.derived = {}
        self._refs = {}
        self._load_metadata()
        return self

    # a DuckDB connection is not safe across threads; each thread gets its own cursor
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._local.cur = self._con.cursor()
            if self._own_instance:  # a cursor starts in the instance's default catalog
                cur.execute("USE bluehelmet")
        return cur

    def once(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()`` the first time ``key`` is asked, what it gave after that: for what
        derives from this database alone, which never changes while it is open."""
        if key not in self.derived:
            self.derived[key] = compute()
        # the cache holds values of many types; a key is always computed by the same
        # function, so what it holds is what ``compute`` returns
        return cast(_T, self.derived[key])

    # ---- stored summaries (query/summary.py) ---------------------------------------------
    @contextmanager
    def summary(self, kind: str, key: str) -> Iterator[None]:
        """Within the block, on this thread, statements that the build answered ahead for
        the contributor or mission ``key`` (``page_summary``, written from
        :func:`.summary.statements`) are read from what it stored, all of them in one
        lookup, instead of run: a profile at its default month costs a few statements
        instead of a dozen. A statement it did not store (another month, another shape)
        runs as ever (:meth:`fetch`)."""
        before = getattr(self._local, "summary", None)
        # the last one read on this thread is kept: a mission's page reads its profile twice
        # (pages.mission_page), and the file never changes while it is open
        last = getattr(self._local, "summary_read", None)
        if last is None or last[0] != (kind, key):
            last = self._local.summary_read = ((kind, key), self._read_summary(kind, key))
        self._local.summary = last[1]
        try:
            yield
        finally:
            self._local.summary = before

    def _read_summary(self, kind: str, key: str) -> dict[tuple[Any, ...], list[tuple[Any, ...]]]:
        """Every statement stored for one contributor or mission, by its name, in one
        lookup (empty for one with no page): each is a JSON array whose first element says
        what it answers (name, shape, grain, months, the positions of its DATE columns)
        and whose others are its rows."""
        import orjson

        out: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for (text,) in self.con.execute(
                "SELECT '[' || string_agg(row, ',' ORDER BY seq) || ']' FROM page_summary WHERE kind = ? "
                "AND key = ? GROUP BY part", [kind, key]).fetchall():
            (part, shape, grain, months, dates), *found = orjson.loads(text)
            for r in found:
                for i in dates:  # a DATE, or a list of them (the months of a fatality count)
                    v = r[i]
                    if isinstance(v, list):
                        r[i] = [date.fromisoformat(x) for x in v]
                    elif v is not None:
                        r[i] = date.fromisoformat(v)
            out[(part, f"{kind}={key}", shape, grain, tuple(date.fromisoformat(m) for m in months))] = \
                [tuple(r) for r in found]
        return out

    def fetch(self, part: tuple[Any, ...], sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """The rows of ``sql``: those the summary open on this thread stored for ``part``
        (what the statement answers, named independently of its text), else run."""
        stored: dict[tuple[Any, ...], list[tuple[Any, ...]]] | None = getattr(self._local, "summary", None)
        if stored is not None:
            rows = stored.get(part)
            if rows is not None:
                return rows
        return self.con.execute(sql, params).fetchall()

    def months(self, *grains: str) -> list[date]:
        """Every month that any of ``grains`` (default: all) covers, in order."""
        return sorted({m for g in (grains or tuple(GRAINS)) for m in self.coverage[g]})

    def with_personnel(self) -> dict[str, frozenset[str]]:
        """``{"contributor": ..., "mission": ...}``: the ISO3 codes and acronyms that some
        grain gives personnel for, i.e. those a profile can be made of."""
        def read() -> dict[str, frozenset[str]]:
            return {key: frozenset(v for (v,) in self.con.execute(
                f"SELECT DISTINCT {key} FROM {a} UNION SELECT DISTINCT {key} FROM personnel").fetchall())
                for key, a in (("contributor", "personnel_contributor"), ("mission", "personnel_mission"))}

        return self.once("with_personnel", read)

    def not_active(self, month: date, acronyms: Iterable[str]) -> dict[str, str]:
        """Those of ``acronyms`` not active at ``month``, each with why ("ended 2017-10",
        "no personnel after 2010-12", "starts 2013-04", "ended (no date)"):
        the active period stored at build time (docs/data-model.md, "Active period"). A
        mission is active at a month within [active_from, active_to], the ends included; a
        name the mission table does not hold is not judged."""
        periods = self.once("mission_periods", lambda: {a: (f, t, b) for a, f, t, b in self.con.execute(
            "SELECT acronym, active_from, active_to, period_basis FROM mission").fetchall()})
        out = {}
        for a in acronyms:
            if a not in periods:
                continue
            start, end, basis = periods[a]
            if basis == "ended_undated":
                out[a] = "ended (no date)"
            elif start is not None and month < start:
                out[a] = f"starts {start:%Y-%m}"
            elif end is not None and month > end:
                out[a] = f"ended {end:%Y-%m}" if basis == "end_date" else f"no personnel after {end:%Y-%m}"
        return out

    def nearest_months(self, month: date, grains: Iterable[str]) -> tuple[date | None, date | None]:
        """The last month before ``month`` and the first after it that any of ``grains``
        covers (None where there is none): what an answer for a month in a gap names."""
        covered = [m for g in grains for m in self.coverage[g]]
        return (max((m for m in covered if m < month), default=None),
                min((m for m in covered if m > month), default=None))

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _load_metadata(self) -> None:
        import duckdb

        con = self._con
        try:
            self.info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
        except duckdb.Error:
            raise DatabaseError(f"{self.path}: not a bluehelmet database") from None
        if self.info.get("schema_version") != str(SCHEMA_VERSION):
            raise DatabaseError(f"{self.path}: built by another version of bluehelmet (database schema "
                                f"{self.info.get('schema_version', '?')}, this version reads {SCHEMA_VERSION}); "
                                "rebuild it with 'bluehelmet build'")
        cols = ["source_id", "relpath", "layout", "target", "sha256", "citation", "release",
                "rows_read", "rows_loaded", "rows_empty", "rows_quarantined"]
        self.files = {r[0]: dict(zip(cols, r)) for r in con.execute(
            f"SELECT {', '.join(cols)} FROM source_file").fetchall()}
        self.coverage: dict[str, dict[date, tuple[int, ...]]] = {g: {} for g in GRAINS}
        for grain, month, sids in con.execute(
                "SELECT grain, month, list(DISTINCT source_id ORDER BY source_id) FROM coverage "
                "GROUP BY ALL ORDER BY month").fetchall():
            self.coverage[grain][month] = tuple(sids)
        self.countries = {iso3: (name, region, subregion, continent) for iso3, name, region, subregion, continent
                          in con.execute("SELECT iso3, name, region, subregion, continent FROM country").fetchall()}
        self.groups = {code: (name, kind) for code, name, kind in con.execute(
            "SELECT grp, name, kind FROM country_group_info").fetchall()}
        self.memberships: dict[str, list[tuple[str, date | None, date | None]]] = {}
        for grp, iso3, start, end in con.execute(
                "SELECT grp, iso3, valid_from, valid_to FROM country_group").fetchall():
            self.memberships.setdefault(grp, []).append((iso3, start, end))
        # every acronym that names a mission, upper-cased, to the mission's: its own, and the
        # recorded aliases of missions this database holds (ONUCI is UNOCI)
        self.missions: dict[str, str] = {a.upper(): a for (a,) in con.execute("SELECT acronym FROM mission").fetchall()}
        from ..reference.missions import mission_aliases

        for a in mission_aliases():
            if a.acronym.upper() in self.missions:
                self.missions.setdefault(a.alias.upper(), self.missions[a.acronym.upper()])

    # ---- names -------------------------------------------------------------------------
    def resolve_country(self, name: str) -> tuple[str, str]:
        """``("country", ISO3)`` or ``("group", CODE)`` for what a person typed: an exact
        name, recorded alias, ISO3 code or M49 number of a country, or a group's code or
        name, with case, accents and punctuation ignored (:func:`name_key`). Nothing else
        answers: an unknown name raises with the closest names (proposed, never used), an
        ambiguous one ("Congo", "Korea", "NAM": Namibia or the Non-Aligned Movement) with
        its readings. Resolution is the reference indexes' (the same ones the build wrote),
        restricted to what this database holds.

        >>> db.resolve_country("france"), db.resolve_country("P5")  # doctest: +SKIP
        (('country', 'FRA'), ('group', 'P5'))
        """
        from ..reference import country_index, group_index

        check_length(name)
        if not name_key(name):
            raise UnknownNameError("country or group", name)
        index = country_index()
        group = group_index().resolve(name)
        group = group if group in self.groups else None
        iso3 = index.lookup(name)
        iso3 = iso3 if iso3 in self.countries else None
        readings = [c for c in index.readings(name) if c in self.countries]
        if iso3 is not None and group is not None and not readings:
            readings = [iso3]
        if readings:
            labels = [f"{self.countries[c][0]} ({c})" for c in readings]
            names = [self._unambiguous(c) for c in readings]
            if group is not None:
                labels.append(f"{self.groups[group][0]} (group {group})")
                names.append(self.groups[group][0])
            raise UnknownNameError("country or group", name, names, ambiguous=True, labels=labels)
        if group is not None:
            return "group", group
        if iso3 is not None:
            return "country", iso3
        groups = {name_key(g): g for g in self.groups} | {name_key(n): g for g, (n, _) in self.groups.items()}
        key = name_key(name)
        close = difflib.get_close_matches(key, list(groups), n=3, cutoff=0.75)
        close += [k for k in groups if len(k) > 3 and f" {k} " in f" {key} "]
        candidates = index.suggest(name) + [self.groups[groups[k]][0] for k in dict.fromkeys(close)]
        raise UnknownNameError("country or group", name, list(dict.fromkeys(candidates))[:5])

    def _unambiguous(self, iso3: str) -> str:
        """A name of ``iso3`` that resolves to it alone (its short name, else its official
        name, else the code): what an ambiguity error offers to type instead."""
        from ..reference import country_index, group_index

        index = country_index()
        state = index.countries.get(iso3)
        for n in (self.countries[iso3][0], state.official_name if state else None):
            if n and index.lookup(n) == iso3 and not index.readings(n) and group_index().resolve(n) is None:
                return n
        return iso3

    def describe(self, kind: str, code: str) -> str:
        """The name a resolved country or group is shown by."""
        return (self.countries.get(code, (code,))[0] if kind == "country"
                else self.groups.get(code, (code,))[0])

    def select(self, names: Sequence[str | Selection] | None) -> Selection:
        """Names (or already resolved Selections, passed through) as one Selection, which
        remembers what each name resolved to (:meth:`Selection.echo`)."""
        countries: list[str] = []
        groups: list[str] = []
        resolved: list[tuple[str, str, str, str]] = []
        for n in names or ():
            if isinstance(n, Selection):
                countries += n.countries
                groups += n.groups
                resolved += n.resolved
                continue
            kind, code = self.resolve_country(n)
            (groups if kind == "group" else countries).append(code)
            resolved.append((n, kind, code, self.describe(kind, code)))
        # a resolved Selection keeps the name it was resolved from, where it has one
        labels = tuple(n if isinstance(n, str) else "+".join(n.labels or n.countries + n.groups)
                       for n in names or ())
        return Selection(tuple(dict.fromkeys(countries)), tuple(dict.fromkeys(groups)), labels,
                         tuple(dict.fromkeys(resolved)))

    def own_records(self, iso3: str, months: Iterable[date]) -> list[str]:
        """Why the country ``iso3`` holds no figures of its own at some of ``months`` and
        whom to ask instead (one sentence per reason, naming its months; empty when it holds
        its own at every one): before a successor existed, the sources' rows for it are
        attributed to its predecessor (``reference/data/attribution.csv``); after a
        historical state ended, to its successors. Months are month-end headcounts, so the
        month's last day decides (the USSR's last month is 1991-11; 1991-12 is Russia's).

        >>> db.own_records("CZE", [date(1992, 6, 1)])  # doctest: +SKIP
        ["Czech Republic (CZE) has no figures of its own for 1992-06: the Czech Republic exists ..."]
        """
        from ..reference import attributions, country_index
        from ..reference.attribution import month_end

        rules = attributions()
        state = country_index().countries.get(iso3)
        if (state is None or (state.valid_from is None and state.valid_to is None)) and \
                iso3 not in rules.remapped():
            return []  # no rule remaps it and it always existed: its own at every month (most states)
        name = self.describe("country", iso3)
        why: dict[str, list[date]] = {}
        for m in months:
            day = month_end(m)
            rule = rules.owner_at(iso3, day)
            if rule is not None:
                why.setdefault(f"{rule.why}; ask for {self.describe('country', rule.attributed)} "
                               f"({rule.attributed})", []).append(m)
            elif state is not None and ((state.valid_to is not None and day > state.valid_to)
                                        or (state.valid_from is not None and day < state.valid_from)):
                # the principal successors first (historical_states.csv orders them)
                heirs = ", ".join(f"{self.describe('country', s)} ({s})" for s in state.successors[:3]) + (
                    f" and {len(state.successors) - 3} other successors" if len(state.successors) > 3 else "")
                why.setdefault(f"it existed from {state.valid_from} to {state.valid_to}"
                               + (f"; ask for {heirs}" if heirs else ""), []).append(m)
        return [f"{name} ({iso3}) has no figures of its own for {min(ms):%Y-%m}"
                + (f"..{max(ms):%Y-%m}" if len(ms) > 1 else "") + f": {reason}" for reason, ms in why.items()]

    def attributed_notes(self, iso3: str, months: Iterable[date]) -> list[str]:
        """Where ``iso3``'s figures at ``months`` come from rows the sources file under
        another name (the USSR's under the Russian Federation): said in the answer."""
        from ..reference import attributions
        from ..reference.attribution import month_end

        days = [month_end(m) for m in months]
        return [f"the sources file {self.describe('country', iso3)}'s figures for these months under "
                f"{self.describe('country', r.iso3)} ({r.iso3}); attributed by date: {r.why}"
                for r in attributions().rules
                if r.attributed == iso3 and r.layouts == "*" and any(r.covers(d) for d in days)]

    def territory_notes(self, iso3: str, months: Iterable[date]) -> list[str]:
        """What a figure for ``iso3`` at ``months`` covers that its name alone does not say
        (Sudan before 2011-07-09 includes today's South Sudan): ``territory_notes.csv``."""
        from ..reference.attribution import month_end, territory_notes

        days = [month_end(m) for m in months]
        return [n.note for n in territory_notes() if n.iso3 == iso3 and any(n.covers(d) for d in days)]

    def members_during(self, groups: tuple[str, ...] | list[str], months: list[date]) -> set[str] | None:
        """ISO3 codes in any of ``groups`` at every month-end in ``months``, or None when
        membership changes within them (the caller then filters month by month)."""
        import calendar

        result: set[str] | None = None
        for m in months:
            end = m.replace(day=calendar.monthrange(m.year, m.month)[1])
            now = {iso3 for g in groups for iso3, start, stop in self.memberships.get(g, ())
                   if (start is None or start <= end) and (stop is None or stop >= end)}
            if result is None:
                result = now
            elif now != result:
                return None
        return result or set()

    def resolve_name(self, name: str) -> tuple[str, str]:
        """``("mission", acronym)``, ``("country", ISO3)`` or ``("group", code)`` for what
        someone typed without saying which it is; unknown names raise with the closest
        countries, groups and missions, ambiguous ones (``NAM``) with both readings."""
        check_length(name)
        code = name.strip().upper()
        if code in self.missions:
            return "mission", self.missions[code]
        try:
            return self.resolve_country(name)
        except UnknownNameError as exc:
            if exc.ambiguous:
                raise
            close = difflib.get_close_matches(code, list(self.missions), n=3, cutoff=0.6)
            raise UnknownNameError("country, group or mission", name,
                                   exc.candidates + [self.missions[c] for c in close]) from None

    def resolve_mission(self, name: str) -> str:
        """A mission's acronym for an acronym or a recorded alias (ONUCI is UNOCI)."""
        check_length(name)
        code = name.strip().upper()
        if code in self.missions:
            return self.missions[code]
        close = difflib.get_close_matches(code, list(self.missions), n=5, cutoff=0.6)
        raise UnknownNameError("mission", name, [self.missions[c] for c in close])

    # ---- provenance ---------------------------------------------------------------------
    def source_refs(self, used: dict[tuple[str, int], list[date]]) -> list[SourceRef]:
        """SourceRefs for (grain, source_id) -> months used."""
        # a SourceRef is frozen and depends on the file, grain and span alone, so each is
        # made once per open database: a country's page lists about 450 (one per monthly
        # file), at about 14 us each to make (two strftime calls and a frozen dataclass)
        made = self._refs
        out = []
        for (grain, sid), months in sorted(used.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            first, last = min(months), max(months)
            ref = made.get((grain, sid, first, last))
            if ref is None:
                if len(made) >= 200_000:  # spans are few per file; a bound all the same
                    made.clear()
                f = self.files[sid]
                ref = made[(grain, sid, first, last)] = SourceRef(
                    sid, f["relpath"], f["layout"], grain, f["sha256"], f["citation"], f["release"],
                    f"{first:%Y-%m}", f"{last:%Y-%m}", f["rows_read"], f["rows_loaded"], f["rows_empty"],
                    f["rows_quarantined"])
            out.append(ref)
        return out
