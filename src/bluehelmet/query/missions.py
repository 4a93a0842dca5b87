"""Missions and countries as wholes: authorised vs deployed strength, and the profiles.

A country's profile ends with its money (its assessments on both scales, the Chinese
finance it received) and a mission's with its expenditure: :mod:`.money` builds those
sections.

A profile is a set of named sections, each a :class:`Result` with its own sources, so a
profile never mixes numbers without saying where each came from.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from ..errors import NoDataError
from ..months import parse_month, previous_month
from ..vocab import Capability, able_grains
from .coverage import latest_month, latest_note, no_data_text
from .fatalities import fatalities
from .money import assessment_record, finance_received, mission_spending
from .personnel import personnel
from .rank import rank, ranked, standing
from .connection import Connection
from .result import Profile, Result, SourceRef
from .sites import sites
from .selection import Selection


__all__ = ["Profile", "missions", "authorized", "deployed", "mission_profile", "country_profile"]


def _span(db: Connection, needs: set[Capability]) -> tuple[date, date]:
    """The first month and the latest (:func:`.coverage.latest_month`) of the grains able
    to answer ``needs``: the range a profile's series runs over."""
    latest = latest_month(db, needs)  # raises where no grain able to answer holds data
    return db.months(*able_grains(needs))[0], latest


def _first_deployment(first: str, covered: list[date]) -> str:
    """A country's first month with personnel, as a profile can state it: the month itself
    where the month before it is in the data (and holds nobody), else what it is, the first
    month in the data, since no loaded source gives the date of a first deployment.

    >>> _first_deployment("1990-11", [date(1990, 11, 1), date(1990, 12, 1)])
    'first month in the data (data start 1990-11)'
    """
    month = parse_month(first)
    if previous_month(month) in set(covered):
        return first
    if month == covered[0]:
        return f"first month in the data (data start {covered[0]:%Y-%m})"
    return f"{first} or earlier (first month in the data after a gap; data start {covered[0]:%Y-%m})"


def _profile_month(month: str | date | None, active: list[str], latest: date, who: str,
                   needs: set[Capability]) -> tuple[date, str | None]:
    """The month a profile is for, and why when none is asked: the latest month of the
    grain it needs, or, where the country or mission has nobody then (a mission that
    closed), its own last month with personnel, said in so many words."""
    if month is not None:
        return parse_month(month), None
    own = parse_month(active[-1])
    if own == latest:
        return own, latest_note(needs)
    return own, (f"{who} has no personnel after {own:%Y-%m}: this is its last month with personnel "
                 f"(the latest month with data for this question is {latest:%Y-%m})")


def _refs(db: Connection, grain: str, rows: list[tuple[int, date]]) -> list[SourceRef]:
    used: dict[tuple[str, int], list[date]] = {}
    for sid, month in rows:
        used.setdefault((grain, sid), []).append(month)
    return db.source_refs(used)


def missions(db: Connection, month: str | date | None = None, type: str = "all") -> Result:
    """Missions active at ``month`` (default: the latest) with personnel then, largest
    first, with their name, headquarters and its coordinates (from the UN mission list),
    and hosts. A mission outside its active period (docs/data-model.md, "Active period")
    is left out even where a source still counts people in it; the notes name it.

    >>> [r["mission"] for r in missions(db, "2013-12").rows][:3]  # doctest: +SKIP
    ['MONUSCO', 'UNAMID', 'UNMISS']
    """
    res = personnel(db, month=month, type=type, by=["mission"])
    at = parse_month(res.query["from"])
    ended = db.not_active(at, [r["mission"] for r in res.rows])
    # the missions' names, headquarters and hosts: the same for every month, read once
    meta: dict[str, tuple[Any, ...]] = db.once("missions:meta", lambda: {r[0]: r[1:] for r in db.con.execute("""
        SELECT m.acronym, m.name, m.hq, m.hq_lon, m.hq_lat, strftime(m.start_date, '%Y-%m-%d'),
               string_agg(c.name, '; ' ORDER BY c.name)
        FROM mission m LEFT JOIN mission_host h USING (acronym) LEFT JOIN country c USING (iso3)
        GROUP BY ALL""").fetchall()})
    cols = ["month", "mission", "name", "personnel", "hosts", "hq", "hq_lon", "hq_lat", "start"]
    rows = []
    for r in res.rows:
        if r["mission"] in ended:
            continue
        name, hq, lon, lat, start, hosts = meta.get(r["mission"], (None,) * 6)
        rows.append({"month": r["month"], "mission": r["mission"], "name": name, "personnel": r["personnel"],
                     "hosts": hosts, "hq": hq, "hq_lon": lon, "hq_lat": lat, "start": start})
    rows.sort(key=lambda r: (-r["personnel"], r["mission"]))
    notes = list(res.notes)
    if ended:
        counted = {r["mission"]: r["personnel"] for r in res.rows}
        notes.append(f"left out, not active at {at:%Y-%m} though the personnel data count people in them: "
                     + ", ".join(f"{m} ({counted[m]:,}; {why})" for m, why in sorted(ended.items())))
    if any(r["hq_lon"] is None for r in rows):
        notes.append("no headquarters coordinates for: "
                     + ", ".join(r["mission"] for r in rows if r["hq_lon"] is None))
    return Result(cols, rows, res.sources, res.grains, notes, res.query, res.month, res.month_note)


def mission_directory(db: Connection) -> list[dict[str, Any]]:
    """Every mission with its name, kind, hosts (ISO3) and the months the personnel data
    count people in it; read once per open database (prose reads names and hosts from it)."""
    def read() -> list[dict[str, Any]]:
        rows = db.con.execute("""
            SELECT m.acronym, m.name, m.type, list(h.iso3 ORDER BY h.iso3) FILTER (WHERE h.iso3 IS NOT NULL),
                   m.first_personnel::DATE, m.last_personnel::DATE
            FROM mission m LEFT JOIN mission_host h USING (acronym) GROUP BY ALL ORDER BY m.acronym""").fetchall()
        return [{"acronym": a, "name": n, "type": t, "hosts": h or [], "first_personnel": f, "last_personnel": la}
                for a, n, t, h, f, la in rows]
    return db.once("mission_directory", read)


AUTHORIZED_COLUMNS = ("month", "auth_troops", "auth_police", "auth_observers", "auth_total", "troops", "police",
                      "observers", "total")


def authorized(db: Connection, mission: str, month: str | date | None = None, start: str | date | None = None,
               end: str | date | None = None) -> Result:
    """Authorised troops, police and military observers, and the deployed figures of the
    same file, for one month or a range (default: the whole series).

    >>> authorized(db, "MINUSMA", "2013-12").rows[0]["auth_total"]  # doctest: +SKIP
    12640
    """
    acronym = db.resolve_mission(mission)
    cols = list(AUTHORIZED_COLUMNS)
    # the mission's whole record (a few hundred rows at most; stored for its page:
    # query/summary.py), then the months asked
    whole = db.fetch(("authorized_strength", f"mission={acronym}", "", "", ()),
                     f"SELECT {', '.join(cols)}, source_id FROM authorized_strength WHERE mission = ? ORDER BY month",
                     [acronym])
    first, last = (month, month) if month is not None else (start, end)
    lo = parse_month(first) if first is not None else None
    hi = parse_month(last) if last is not None else None
    rows = [r for r in whole if (lo is None or r[0] >= lo) and (hi is None or r[0] <= hi)]
    late = db.once("authorization:late", lambda: {m: (f, s) for m, f, s in db.con.execute(
        "SELECT mission, first_auth, start_date FROM authorization_late").fetchall()}).get(acronym)
    # the file records a new authorisation the month after the resolution (a finding):
    # said where the first authorised month, or the start month before it, is asked
    first_auth: date | None = late[0] if late else None
    start_month: date | None = late[1].replace(day=1) if late else None
    late_note = (f"the authorisation file records {acronym}'s first authorised strength in "
                 f"{first_auth:%Y-%m}, the month after the mission's start on {late[1]:%Y-%m-%d}: it records a "
                 "new authorisation a month late (finding authorization_month_late); months are the file's"
                 ) if late else ""

    def ym(m: str | date | None) -> str:
        return "..." if m is None else f"{parse_month(m):%Y-%m}"

    if not rows:
        span = f" at {ym(month)}" if month is not None else (
            f" in {ym(start)}..{ym(end)}" if start is not None or end is not None else "")
        why = f"; {late_note}" if month is not None and parse_month(month) == start_month else ""
        raise NoDataError(f"no authorised strength for {acronym}{span}; {_authorised_span(db, acronym)}{why}")
    notes = []
    if month is None and (start is not None and parse_month(start) < rows[0][0]
                          or end is not None and parse_month(end) > rows[-1][0]):
        notes.append(f"asked {ym(start)}..{ym(end)}; {_authorised_span(db, acronym)}")
    out = [dict(zip(cols, r[:-1])) | {"month": f"{r[0]:%Y-%m}"} for r in rows]
    res = Result(cols, out, _refs(db, "authorized_strength", [(r[-1], r[0]) for r in rows]),
                 [{"grain": "mission", "first_month": out[0]["month"], "last_month": out[-1]["month"],
                   "months": len(out)}], notes)
    if late_note and any(r[0] == first_auth for r in rows):
        res.notes.append(late_note)
    res.query = {"mission": acronym, "month": out[0]["month"] if month is not None else None}
    res.month = out[0]["month"] if month is not None else None
    return res


def deployed(db: Connection, mission: str, month: str | date | None = None) -> Result:
    """Personnel deployed in a mission at a month, by type, from the personnel facts."""
    return personnel(db, mission=[mission], month=month, by=["type"])


def _pct(part: int | None, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if part is not None and whole else None


def _authorised_span(db: Connection, acronym: str) -> str:
    """Which months the authorisation file covers, overall and for the mission, in plain words."""
    # the same for every mission: read once per open database
    lo, hi, n = db.once("authorization:span", lambda: db.con.execute(
        "SELECT min(month), max(month), count(DISTINCT month) FROM authorized_strength").fetchall()[0])
    if lo is None:
        return "no authorisation file is loaded"
    own = db.once("authorization:spans", lambda: {m: (a, b) for m, a, b in db.con.execute(
        "SELECT mission, min(month), max(month) FROM authorized_strength GROUP BY mission").fetchall()}
    ).get(acronym, (None, None))
    return (f"authorised strength covers {lo:%Y-%m}..{hi:%Y-%m}"
            + (f", {acronym} {own[0]:%Y-%m}..{own[1]:%Y-%m}" if own[0] else f", and never {acronym}"))


def mission_profile(db: Connection, mission: str, month: str | date | None = None) -> Profile:
    """Everything about a mission at a month: identity, strength, contributors, sites, deaths."""
    acronym = db.resolve_mission(mission)  # found in the mission table: its row is there
    # its statements at its default month were answered at build time (query/summary.py)
    with db.summary("mission", acronym):
        return _mission_profile(db, acronym, month)


def _mission_profile(db: Connection, acronym: str, month: str | date | None) -> Profile:
    row, hosts = _identity(db)[acronym]
    first, latest = _span(db, {"mission"})
    # the mission's own months: its last month with personnel unless one is asked
    series = personnel(db, mission=[acronym], start=first, end=latest, by=["month"])
    active = [r["month"] for r in series.rows if r["personnel"]]
    if month is None and not active:
        raise NoDataError(f"no personnel data for {acronym} in any loaded source")
    at, why = _profile_month(month, active, latest, acronym, {"mission"})
    facts: dict[str, Any] = {
        "mission": acronym, "name": row[0], "type": row[2], "lead_department": row[1], "active": row[3],
        "start": row[4].isoformat() if row[4] else None, "end": row[5].isoformat() if row[5] else None,
        "hq": row[6], "hq_lon": row[7], "hq_lat": row[8], "hosts": hosts, "month": f"{at:%Y-%m}",
        "first_month_with_personnel": active[0] if active else None,
        "last_month_with_personnel": active[-1] if active else None,
        # the period reconciled with the personnel data (docs/data-model.md, "Active period")
        "active_from": f"{row[10]:%Y-%m}" if row[10] else None,
        "active_to": f"{row[11]:%Y-%m}" if row[11] else None, "period_basis": row[12],
    }
    profile = Profile(f"{acronym}: {row[0] or 'mission not in the reference lists'}", facts,
                      month=f"{at:%Y-%m}", month_note=why)
    if month is None and at != latest:  # its own last month: said where everything is read
        profile.notes.append(f"month: {why}")
    if not row[9]:
        profile.notes.append(f"{acronym} is in the personnel data but in no mission list: no dates or host")
    if active and parse_month(active[0]) == first and (row[4] is None or row[4] < first):
        # the data begin with the mission already deployed: its first month there is no start
        profile.notes.append(f"first_month_with_personnel: {active[0]} is the first month in the data (data start "
                             f"{first:%Y-%m})" + (f"; {acronym} began {row[4]:%Y-%m-%d}" if row[4] else ""))
    # strength at the month: deployed by type, authorised where the authorisation file has it
    dep = personnel(db, mission=[acronym], month=at, by=["type"])
    profile.sections["deployed"] = dep
    total = sum(r["personnel"] for r in dep.rows)
    facts["deployed"] = total
    try:
        auth = authorized(db, acronym, at)
        a = auth.rows[0]
        facts.update({"authorized": a["auth_total"], "deployed_share_of_authorized_pct": _pct(total, a["auth_total"])})
        profile.sections["authorized"] = auth
        whole = authorized(db, acronym)
        by_month = {r["month"]: r["personnel"] for r in series.rows}
        strength = Result(["month", "authorized", "deployed", "pct"], [
            {"month": r["month"], "authorized": r["auth_total"], "deployed": by_month.get(r["month"]),
             "pct": _pct(by_month.get(r["month"]), r["auth_total"])} for r in whole.rows],
            whole.sources + series.sources, whole.grains,
            ["deployed: the personnel facts (all types); authorized: the authorisation file"])
        profile.sections["strength_series"] = strength
    except NoDataError as exc:
        profile.notes.append(str(exc))
    try:  # contributor x mission detail: 2009-11 to 2014-08
        contributors = personnel(db, mission=[acronym], month=at, by=["contributor", "type"])
        profile.sections["contributors"] = _ranked_contributors(contributors)
    except NoDataError as exc:
        detail = [m for m in db.months("detail") if m <= at]
        last = None
        if month is None and detail:  # the default month is past the detail: show its last month
            known = personnel(db, mission=[acronym], start=detail[0], end=detail[-1], by=["month"])
            last = next((r["month"] for r in reversed(known.rows) if r["personnel"]), None)
        if last is None:
            profile.notes.append(f"contributors: {exc}")
        else:
            contributors = personnel(db, mission=[acronym], month=last, by=["contributor", "type"])
            profile.sections["contributors"] = _ranked_contributors(contributors)
            profile.notes.append(f"contributors: at {last}, the last month with contributor x mission detail "
                                 f"(the mission's totals run to {at:%Y-%m})")
    optional: list[tuple[str, Callable[[], Result]]] = [
        ("sites", lambda: sites(db, mission=acronym, month=at)),
        ("fatalities_by_year", lambda: fatalities(db, mission=acronym, by=["year"])),
        ("fatalities_by_cause", lambda: fatalities(db, mission=acronym, by=["cause"])),
        ("fatalities_by_nationality", lambda: fatalities(db, mission=acronym, by=["nationality"]))]
    for name, call in optional:
        try:
            profile.sections[name] = call()
        except NoDataError as exc:
            profile.notes.append(f"{name}: {exc}")
    try:  # expenditure runs per fiscal year, whatever the profile's month
        money = mission_spending(db, acronym)
        profile.sections.update(money)
        last = money["spending_by_year"].rows[-1]
        facts.update({"expenditure_fiscal_year": last["year"], "expenditure_usd": last["expenditure_usd"]})
    except NoDataError as exc:
        profile.notes.append(f"spending: {exc}")
    return profile


def _identity(db: Connection) -> dict[str, tuple[tuple[Any, ...], list[str]]]:
    """Every mission's row of the mission table and its hosts' names, in order: the same
    for every profile, read once per open database."""
    def read() -> dict[str, tuple[tuple[Any, ...], list[str]]]:
        hosts: dict[str, list[str]] = {}
        for acronym, name in db.con.execute("SELECT h.acronym, c.name FROM mission_host h JOIN country c "
                                            "USING (iso3) ORDER BY 1, 2").fetchall():
            hosts.setdefault(acronym, []).append(name)
        return {r[0]: (r[1:], hosts.get(r[0], [])) for r in db.con.execute(
            """SELECT acronym, name, lead_department, type, active, start_date, end_date, hq, hq_lon, hq_lat,
                      in_reference, active_from, active_to, period_basis FROM mission""").fetchall()}
    return db.once("missions:identity", read)


def _pivot(res: Result, index: list[str], column: str = "type") -> Result:
    """Long rows (index..., type, personnel) -> one row per index, a column per type and a
    ``personnel`` total: the readable shape for a terminal."""
    per: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in res.rows:
        p = per.setdefault(tuple(r[k] for k in index), {**{k: r[k] for k in index}, "personnel": 0})
        p[r[column]] = p.get(r[column], 0) + r["personnel"]
        p["personnel"] += r["personnel"]
    types = sorted({r[column] for r in res.rows})
    cols = [*index, *types, "personnel"]
    rows = [{c: p.get(c, 0 if c in types else None) for c in cols} for p in per.values()]
    return Result(cols, rows, res.sources, res.grains, res.notes, res.query, res.month, res.month_note)


def _ranked_contributors(res: Result) -> Result:
    """contributor x type rows -> one row per contributor, types as columns, ranked."""
    wide = _pivot(res, ["month", "contributor", "contributor_name"])
    wide.rows.sort(key=lambda p: (-p["personnel"], p["contributor"]))
    for i, p in enumerate(wide.rows, start=1):
        p["rank"] = i
    wide.columns.insert(1, "rank")
    return wide


def country_profile(db: Connection, country: str, month: str | date | None = None) -> Profile:
    """A contributor's peacekeeping record: over time, by mission, ranks, women, sites, deaths."""
    code = country.strip().upper()
    # a profile is of one country, so an ISO3 code means that country even where a group
    # shares it (NAM: Namibia, not the Non-Aligned Movement)
    kind, iso3 = ("country", code) if code in db.countries else db.resolve_country(country)
    if kind != "country":
        raise NoDataError(f"{country!r} is a group; a country profile needs one country")
    # its statements at its default month were answered at build time (query/summary.py)
    with db.summary("contributor", iso3):
        return _country_profile(db, iso3, month)


def _country_profile(db: Connection, iso3: str, month: str | date | None) -> Profile:
    name = db.countries[iso3][0]
    me = [Selection((iso3,))]  # resolved once: an ISO3 such as NAM must not be read as a group again
    first, latest = _span(db, {"contributor"})
    months = db.months(*able_grains({"contributor"}))
    yearly = personnel(db, country=me, start=first, end=latest, by=["year", "type"])
    monthly = personnel(db, country=me, start=first, end=latest, by=["month"])
    active = [r["month"] for r in monthly.rows if r["personnel"]]
    if not active:
        raise NoDataError(f"no personnel from {name} in any loaded source")
    at, why = _profile_month(month, active, latest, name, {"contributor"})
    facts: dict[str, Any] = {"country": iso3, "name": name, "region": db.countries[iso3][1],
                             "subregion": db.countries[iso3][2], "month": f"{at:%Y-%m}",
                             "first_deployment": _first_deployment(active[0], months),
                             "first_month_in_data": active[0], "latest_deployment": active[-1]}
    profile = Profile(f"{name} ({iso3})", facts, month=f"{at:%Y-%m}", month_note=why)
    if facts["first_deployment"] != active[0]:
        profile.notes.append(f"first_deployment: {active[0]} is the first month with {name}'s personnel in the "
                             "data, whose months before it are not covered; no loaded source states when it "
                             "first deployed")
    if month is None and at != latest:  # its own last month: said where everything is read
        profile.notes.append(f"month: {why}")
    profile.sections["by_year"] = _pivot(yearly, ["year", "month"])
    try:  # contributor x mission detail: 2009-11 on
        detail = db.months("detail")
        by_mission = personnel(db, country=me, start=detail[0], end=detail[-1], by=["year", "mission"])
        profile.sections["by_year_and_mission"] = _pivot(by_mission, ["year", "month"], column="mission")
    except NoDataError as exc:
        profile.notes.append(f"by_year_and_mission: {exc}")
    # the month's total is in the monthly series already (the same question, month by month;
    # the series leaves out months with nobody deployed)
    if at not in months:
        raise NoDataError(no_data_text(db, at, at, {"contributor"}))
    facts["personnel"] = next((r["personnel"] for r in monthly.rows if r["month"] == f"{at:%Y-%m}"), 0)
    try:  # by mission needs the contributor x mission detail (2009-11 on)
        profile.sections["missions"] = _pivot(personnel(db, country=me, month=at, by=["mission", "type"]),
                                              ["month", "mission"])
    except NoDataError as exc:
        profile.notes.append(f"missions: {exc}")
    # rank among all contributors, December by December (ranked in SQL: one row a year),
    # and within each group now (a group's ranking is its members' subset of everybody's)
    refs = {year: max(m for m in months if m.year == year) for year in sorted({int(m[:4]) for m in active})}
    stood = standing(db, iso3, refs.values())
    ranks = [{"year": int(r["month"][:4]), "month": r["month"], "rank": r["rank"], "of": r["of"],
              "personnel": r["personnel"]} for r in stood.rows]
    profile.sections["rank_over_time"] = Result(["year", "month", "rank", "of", "personnel"], ranks, stood.sources,
                                                stood.grains, ["rank among all contributors at each year's last "
                                                               "covered month"])
    everybody = db.once(f"profile:ranking:{at:%Y-%m}", lambda: _everybody(db, at))
    within = []
    for grp in sorted(db.memberships):
        members = db.members_during([grp], [at]) or set()
        if iso3 not in members:
            continue
        ranking = ranked(r for r in everybody if r["contributor"] in members)
        mine = next((r for r in ranking if r["contributor"] == iso3), None)
        if mine:
            within.append({"month": f"{at:%Y-%m}", "group": grp, "kind": db.groups[grp][1], "rank": mine["rank"],
                           "of": len(ranking)})
    profile.sections["rank_within_groups"] = Result(["month", "group", "kind", "rank", "of"], within,
                                                    notes=[f"at {at:%Y-%m}"], month=f"{at:%Y-%m}")
    try:
        gender = personnel(db, country=me, month=at, by=["gender"])
        g = {r["gender"]: r["personnel"] for r in gender.rows}
        facts["female_share_pct"] = _pct(g.get("female", 0), sum(g.values()))
        profile.sections["gender"] = gender
    except NoDataError as exc:
        profile.notes.append(f"gender: {exc}")
    optional: list[tuple[str, Callable[[], Result]]] = [
        ("sites", lambda: sites(db, contributor=me[0], month=at)),
        ("fatalities_by_year", lambda: fatalities(db, nationality=me, by=["year"]))]
    for section, call in optional:
        try:
            profile.sections[section] = call()
        except NoDataError as exc:
            profile.notes.append(f"{section}: {exc}")
    _money(db, iso3, profile)
    return profile


def _everybody(db: Connection, at: date) -> list[dict[str, Any]]:
    """Everybody's ranking at ``at`` (none where no grain covers it): the same for every
    country's profile at that month, so read once per open database and month."""
    try:
        return rank(db, month=at).rows
    except NoDataError:
        return []


def _money(db: Connection, iso3: str, profile: Profile) -> None:
    """A country's money, yearly whatever the profile's month: its assessments on both
    scales (the facts: the latest peacekeeping year's share and rank) and the Chinese
    official finance it received."""
    try:
        record = assessment_record(db, iso3)
        profile.sections["assessments"] = record
        latest = next((r for r in reversed(record.rows) if r["peacekeeping_share"] is not None), None)
        if latest:
            profile.facts.update({"assessment_year": latest["year"],
                                  "peacekeeping_share_pct": latest["peacekeeping_share"],
                                  "peacekeeping_rank": latest["peacekeeping_rank"],
                                  "regular_rate_pct": latest["regular_rate"]})
    except NoDataError as exc:
        profile.notes.append(f"assessments: {exc}")
    try:
        profile.sections["finance_received"] = finance_received(db, iso3)
    except NoDataError as exc:
        profile.notes.append(f"finance_received: {exc}")
