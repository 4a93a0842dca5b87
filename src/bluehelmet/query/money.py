"""Money as wholes: who pays for peacekeeping, China's finance by recipient and year, and
the money sections of the country and mission profiles.

Everything here is built from the three money queries (:mod:`.assessments`,
:mod:`.spending`, :mod:`.finance`), so a figure on a page is the figure the CLI gives for
the same question, with the same definition and the same files cited. What is new is the
arrangement: a member's two scales side by side, the permanent members against everybody
else, a mission's expenditure beside its personnel.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from ..errors import NoDataError, QueryError
from .assessments import DEFINITIONS, SCALES, assessments, scale_cells, scale_years
from .connection import Connection
from .finance import finance, finance_datasets
from .result import Profile, Result, SourceRef
from .selection import Selection
from .spending import spending

__all__ = ["assessment_record", "assessment_years", "finance_overview", "finance_received", "mission_spending",
           "who_pays", "RECORD_COLUMNS", "SIDES_COLUMNS"]

# a member's record on both scales, one row a year
RECORD_COLUMNS = ["year", "peacekeeping_share", "peacekeeping_rank", "peacekeeping_usd", "regular_rate",
                  "regular_rank", "regular_usd", "ratio", "payment_status"]
# the permanent members against everybody else, one row per side and year (the regular
# scale: the first five)
SIDES_COLUMNS = ["year", "side", "members", "share", "amount_usd", "regular_rate", "ratio"]
_P5 = "P5"


def assessment_years(db: Connection, scale: str) -> list[int]:
    """The years the database holds for a scale (``peacekeeping`` or ``regular``), oldest
    first; empty when none.

    >>> years = assessment_years(db, "peacekeeping"); (years[0], years[-1])  # doctest: +SKIP
    (2013, 2024)
    """
    if scale not in SCALES:
        raise QueryError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    return scale_years(db, scale)


def _merge_sources(*results: Result) -> list[SourceRef]:
    """The files of several answers, each once, over the union of the spans it was used for
    (the scale workbook gives the peacekeeping rows' regular rates and the regular rows)."""
    seen: dict[tuple[int, str], SourceRef] = {}
    for r in results:
        for s in r.sources:
            held = seen.get((s.source_id, s.grain))
            seen[(s.source_id, s.grain)] = s if held is None else replace(
                held, first_month=min(held.first_month, s.first_month), last_month=max(held.last_month, s.last_month))
    return sorted(seen.values(), key=lambda s: (s.source_id, s.grain))


def _span_text(years: list[int]) -> str:
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _named(db: Connection, iso3: str) -> Selection:
    """A country resolved once (``NAM`` is Namibia here, not the Non-Aligned Movement),
    named as the answers' notes should say it."""
    return Selection((iso3,), (), (db.countries[iso3][0],))


def assessment_record(db: Connection, iso3: str) -> Result:
    """A member's assessments over time, one row a year: its peacekeeping share, rank and
    amount (2013-2024) beside its regular-budget rate, rank and amount (1946-2027), and
    the ratio of the two (the permanent members' premium, the discounts). Years in which
    the member is on neither scale are left out. Shares and rates are percent.

    >>> assessment_record(db, "USA").rows[0]["regular_rate"]  # doctest: +SKIP
    39.89
    """
    me = _named(db, iso3)
    parts: dict[str, Result] = {}
    for scale in SCALES:
        years = assessment_years(db, scale)
        if years:
            parts[scale] = assessments(db, scale=scale, member=[me], start=years[0], end=years[-1])
    by_year: dict[int, dict[str, Any]] = {}
    for scale, res in parts.items():
        for r in res.rows:
            if r["share"] is None:
                continue
            row = by_year.setdefault(r["year"], {c: None for c in RECORD_COLUMNS} | {"year": r["year"]})
            if scale == "peacekeeping":
                row.update(peacekeeping_share=r["share"], peacekeeping_rank=r["rank"],
                           peacekeeping_usd=r["amount_usd"], ratio=r["ratio"])
                row["regular_rate"] = row["regular_rate"] if row["regular_rate"] is not None else r["regular_rate"]
            else:
                row.update(regular_rate=r["share"], regular_rank=r["rank"], regular_usd=r["amount_usd"],
                           payment_status=r["payment_status"])
    if not by_year:
        raise NoDataError(f"{db.countries[iso3][0]} is on no scale of assessments the database holds"
                          + ("" if parts else " (it holds none)"))
    rows = [by_year[y] for y in sorted(by_year)]
    notes = [f"peacekeeping_*, ratio: {DEFINITIONS['peacekeeping']}",
             f"regular_*, payment_status: {DEFINITIONS['regular']}"]
    on = {s: [r["year"] for r in rows if r[col] is not None]
          for s, col in (("peacekeeping", "peacekeeping_share"), ("regular", "regular_rate"))}
    notes.append("; ".join(f"{s}: {_span_text(ys)} ({len(ys)} years)" if ys else f"{s}: no figure"
                           for s, ys in on.items()))
    for res in parts.values():  # the caveats, less the definitions (above) and the empty years (left out)
        notes += [n for n in res.notes[1:] if not n.startswith(("no peacekeeping figure", "no regular figure"))]
    years = [r["year"] for r in rows]
    query = {"member": iso3, "from": str(years[0]), "to": str(years[-1]),
             "definition": {s: DEFINITIONS[s] for s in parts}}
    grains = [g for res in parts.values() for g in res.grains]
    return Result(list(RECORD_COLUMNS), rows, _merge_sources(*parts.values()), grains, notes, query)


def finance_received(db: Connection, iso3: str) -> Result:
    """Chinese official finance committed to a country, per year (AidData, under the
    finance query's default definition and dataset), with that definition in its notes.
    Raises :class:`NoDataError` where AidData records none.

    >>> finance_received(db, "AGO").rows[5]  # doctest: +SKIP
    {'year': 2005, 'usd': 2181261182, 'projects': 33, 'no_amount': 3}
    """
    res = finance(db, recipient=_named(db, iso3), by=["year"])
    if not res.rows:
        raise NoDataError(f"AidData {res.query['dataset']} records no Chinese official finance to "
                          f"{db.countries[iso3][0]} in {res.query['from']}-{res.query['to']} "
                          "(its definition: " + res.query["definition"] + ")")
    return res


def mission_spending(db: Connection, acronym: str) -> dict[str, Result]:
    """A mission's expenditure: ``spending_by_year`` (per fiscal year, the audited figure
    where both statements give one) and ``spending_by_class`` (per fiscal year and cost
    class, from the performance reports), each as :func:`.spending.spending` answers it.
    Raises :class:`NoDataError` when the files hold nothing for the mission; the
    second is left out where they give no cost classes for it."""
    every = spending(db, by=["mission"])  # the accounts the files list (read once per database)
    if acronym not in {r["mission"] for r in every.rows}:
        raise NoDataError(f"no expenditure figures for {acronym}: the files cover fiscal years {every.query['from']}.."
                          f"{every.query['to']} and the {len(every.rows)} peacekeeping accounts they list (missions, "
                          "service centres), not this one")
    out = {"spending_by_year": spending(db, mission=acronym, by=["year"])}
    try:
        out["spending_by_class"] = spending(db, mission=acronym, by=["year", "class"])
    except NoDataError:
        out["spending_by_year"].notes.append("no cost-class breakdown for this account: the performance reports, "
                                             "the only files with classes, do not list it")
    return out


def _dollars(value: float) -> int | float:
    """Cents kept, whole dollars as an int (as the assessments query writes amounts)."""
    cents = round(float(value), 2)
    return int(cents) if cents.is_integer() else cents


def _sides(db: Connection, scale: str, years: list[int]) -> Result:
    """The permanent members (on 31 December of each year) and everybody else, summed per
    year from the same cells as the ranking, so the P5 row equals ``assessments(member="P5")``.
    The same for every year a page asks: summed once per open database, each answer given
    its own copy of the rows."""
    rows, refs = db.once(f"who_pays:sides:{scale}:{years[0]}:{years[-1]}", lambda: _side_rows(db, scale, years))
    columns = SIDES_COLUMNS if scale == "peacekeeping" else SIDES_COLUMNS[:5]
    notes = ["share: the sum of the side's members' shares; a member's share, as in the ranking: "
             + DEFINITIONS[scale],
             "P5: the permanent members of the Security Council on 31 December of the year; others: every other "
             "member the scale lists that year"]
    if scale == "peacekeeping":
        notes.append("ratio below 1 for the others: what the permanent members' premium pays for, the discounts "
                     "of the developing members")
    else:
        notes.append("a regular scale's rates need not sum to exactly 100 (1946: 102.1)")
    grains = [{"grain": "member x calendar year", "table": "assessment", "first_month": str(years[0]),
               "last_month": str(years[-1]), "months": None}]
    return Result(list(columns), [dict(r) for r in rows], list(refs), grains, notes,
                  {"scale": scale, "from": str(years[0]), "to": str(years[-1]), "definition": DEFINITIONS[scale]})


def _side_rows(db: Connection, scale: str, years: list[int]) -> tuple[list[dict[str, Any]], list[SourceRef]]:
    """:func:`_sides`' rows and the files they cite."""
    cells = scale_cells(db, scale)
    rows_in = [(y, m, c["share"], c["amount_usd"], c["source_id"], c["amount_source_id"])
               for y in sorted(cells) if years[0] <= y <= years[-1] for m, c in sorted(cells[y].items())]
    regular = {}
    if scale == "peacekeeping":
        regular = {(y, m): (c["share"], c["source_id"]) for y, row in scale_cells(db, "regular").items()
                   if years[0] <= y <= years[-1] for m, c in row.items()}
    sums: dict[tuple[int, str], dict[str, Any]] = {}
    used: dict[tuple[str, int], list[date]] = {}
    members: dict[int, set[str]] = {}
    for y, m, share, amount, sid, amount_sid in rows_in:
        if y not in members:
            members[y] = db.members_during([_P5], [date(y, 12, 1)]) or set()
        side = _P5 if m in members[y] else "others"
        cell = sums.setdefault((y, side), {"members": 0, "share": 0.0, "amount_usd": 0.0, "amounts": 0,
                                           "regular_rate": 0.0, "rates": 0})
        cell["members"] += 1
        cell["share"] += share
        if amount is not None:
            cell["amount_usd"] += amount
            cell["amounts"] += 1
        if (y, m) in regular:
            cell["regular_rate"] += regular[(y, m)][0]
            cell["rates"] += 1
        for s in (sid, amount_sid, regular.get((y, m), (None, None))[1]):
            if s is not None:  # the first and last year each file is used for
                span = used.setdefault(("member x year", s), [date(y, 1, 1), date(y, 12, 1)])
                if y < span[0].year:
                    span[0] = date(y, 1, 1)
                elif y > span[1].year:
                    span[1] = date(y, 12, 1)
    rows = []
    for (y, side), c in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1] != _P5)):
        row = {"year": y, "side": side, "members": c["members"], "share": round(c["share"], 4),
               # an amount only where every member's is known: a partial sum would mislead
               "amount_usd": _dollars(c["amount_usd"]) if c["amounts"] == c["members"] else None}
        if scale == "peacekeeping":
            rate = round(c["regular_rate"], 4) if c["rates"] == c["members"] else None
            row.update(regular_rate=rate, ratio=round(c["share"] / c["regular_rate"], 3) if rate else None)
        rows.append(row)
    return rows, db.source_refs(used)


def who_pays(db: Connection, year: str | int | None = None, scale: str = "peacekeeping", top: int = 10) -> Profile:
    """Who pays, for one year and over time, on the ``peacekeeping`` scale (default) or the
    ``regular`` one. Sections:

    - ``ranking``: every member that year, largest share first (as ``assessments``);
    - ``p5_vs_rest``: the permanent members and everybody else, every year the scale covers;
    - ``shares_over_time``: the ``top`` payers of the year, their share every year.

    ``year`` defaults to the latest year the scale covers, and a note says so.

    >>> who_pays(db, 2024).facts["largest payer"]  # doctest: +SKIP
    'United States (26.9493%)'
    """
    if top < 1:
        raise QueryError("top must be at least 1")
    years = assessment_years(db, scale)
    if not years:
        raise NoDataError(f"the database holds no {scale} assessments")
    ranking = assessments(db, scale=scale, year=year)
    at = int(ranking.query["from"])
    leaders = [r["member"] for r in ranking.rows if r["rank"] is not None and r["rank"] <= top]
    over_time = assessments(db, scale=scale, member=[_named(db, m) if m in db.countries else m for m in leaders],
                            start=years[0], end=years[-1])
    over_time.rows = [r for r in over_time.rows if r["share"] is not None]
    absent = [n for n in over_time.notes if n.startswith(f"no {scale} figure for")]
    over_time.notes = [n for n in over_time.notes if n not in absent]
    if absent:
        over_time.notes.append(f"years in which a member has no {scale} figure (not yet a member, or not "
                               "reported) are left out")
    over_time.notes.insert(1, f"the {top} largest payers of {at}, every year {_span_text(years)}")
    sides = _sides(db, scale, years)
    mine = {r["side"]: r for r in sides.rows if r["year"] == at}
    what = "peacekeeping" if scale == "peacekeeping" else "the UN regular budget"
    facts: dict[str, Any] = {"year": at, "scale": scale, "definition": DEFINITIONS[scale],
                             "years covered": _span_text(years), "members assessed": len(ranking.rows)}
    if ranking.rows:
        first = ranking.rows[0]
        facts["largest payer"] = f"{first['member_name']} ({first['share']}%)"
    amounts = [r["amount_usd"] for r in ranking.rows]
    if amounts and all(a is not None for a in amounts):  # the regular scale has amounts for 2019-2026 only
        facts["total assessed (USD)"] = _dollars(sum(amounts))
    for side, label in ((_P5, "P5 share (%)"), ("others", "others' share (%)")):
        if side in mine:
            facts[label] = mine[side]["share"]
    profile = Profile(f"Who pays for {what}, {at}", facts, notes=[n for n in ranking.notes if n.startswith("no year")])
    profile.sections = {"ranking": ranking, "p5_vs_rest": sides, "shares_over_time": over_time}
    return profile


def finance_overview(db: Connection, recipient: str | None = None, start: str | int | None = None,
                     end: str | int | None = None, dataset: str | None = None, top: int = 20) -> Profile:
    """China's official finance (AidData) by recipient and year, under the finance query's
    definition (stated in the facts and notes) and one dataset version (default: the
    latest covering the question). Sections: ``by_year_and_recipient``, ``by_year``,
    ``by_recipient`` (the ``top`` largest over the years), and ``datasets`` (the versions
    held).

    >>> finance_overview(db, "Africa", 2000, 2011, dataset="1.0").facts["usd"]  # doctest: +SKIP
    75391418091
    """
    if top < 1:
        raise QueryError("top must be at least 1")
    detail = finance(db, recipient=recipient, start=start, end=end, dataset=dataset, by=["year", "recipient"])
    q = detail.query
    # the same version for every table: the one the first answer chose
    same = {"recipient": recipient, "start": q["from"], "end": q["to"], "dataset": q["dataset"]}
    per_year = finance(db, **same, by=["year"])
    per_recipient = finance(db, **same, by=["recipient"], top=top)
    total = finance(db, **same)
    for res in (per_year, per_recipient):  # why this version: the first answer's reason, not "as asked"
        res.notes = [detail.notes[1] if n.startswith("dataset: AidData") else n for n in res.notes]
    versions = finance_datasets(db)
    chosen = next(v for v in versions if v["dataset"] == q["dataset"])
    whole = total.rows[0] if total.rows else {"usd": None, "projects": 0, "no_amount": 0}
    facts: dict[str, Any] = {
        "dataset": f"AidData {chosen['dataset']}: {chosen['title']}", "years": f"{q['from']}-{q['to']}",
        "recipients": ", ".join(q["recipient"]) or "every recipient", "amounts in": q["usd"],
        "definition": q["definition"], "usd": whole["usd"], "projects": whole["projects"],
        "projects without an amount": whole["no_amount"],
        "recipients with finance": len({r["recipient"] for r in detail.rows})}
    per_recipient.notes.insert(1, f"the {top} largest recipients over {q['from']}-{q['to']}")
    datasets = Result(["dataset", "title", "first_year", "last_year", "scope", "base_year", "current_usd"],
                      [{k: v[k] for k in ("dataset", "title", "first_year", "last_year", "scope", "base_year",
                                          "current_usd")} | {"scope": v["scope"] or "worldwide"} for v in versions],
                      notes=["AidData's versions the database holds, oldest first; an answer never mixes them "
                             "('bluehelmet sources --reconciliation' compares them)"])
    where = f" to {', '.join(q['recipient'])}" if q["recipient"] else ""
    profile = Profile(f"China's official finance{where}, {q['from']}-{q['to']} (AidData {q['dataset']})", facts,
                      notes=detail.notes[1:2])
    profile.sections = {"by_year_and_recipient": detail, "by_year": per_year, "by_recipient": per_recipient,
                        "datasets": datasets}
    return profile
