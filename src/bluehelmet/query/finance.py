"""China's official finance as AidData records it, summed under a stated definition.

Answered from ``finance_flow`` (one row per project record per AidData version). What a
sum counts changes the answer by tens of billions, so every answer says what it counted:

- **which version**: one per answer, never mixed. By default the latest version that
  covers the question (its years, its recipients: the Africa versions cover African
  recipients only, the flow classes and record classes asked, current USD if asked);
- **which flows**: AidData's "official finance" (ODA-like, OOF-like and Vague (Official
  Finance)) unless other flow classes are asked;
- **which records**: those on the live sheets (official, unofficial, military), not the
  cancelled or suspended, inactive or suspicious ones, as AidData's cover sheets advise;
- **pledges out**, as AidData's 1.2 codebook says ("Exclude pledges from all analysis of
  Chinese financing to a recipient") and the global dataset's ``recommended_for_research``
  does; the global dataset's umbrella agreements out for the same reason;
- **which dollars**: constant USD of the version's base year (2009 for the Africa
  versions, 2014 for the global one), or current USD where the version gives it.

Regional and multi-country records (AidData's "Africa, regional") cannot be split between
countries: they count for the region (``-c Africa``) and for no country, and the answer
says how much it left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..errors import NoDataError, QueryError
from ..vocab import FINANCE_BY_KEYS, FINANCE_LIVE_RECORDS, FINANCE_RECORD_CLASSES, OFFICIAL_FLOWS, PLEDGE_STATUS
from .connection import Connection
from .result import Result, SourceRef
from .selection import Selection

__all__ = ["finance", "finance_datasets", "FLOW_ALIASES"]

#: shorthand flow classes; any class as AidData writes it is accepted too
FLOW_ALIASES: dict[str, tuple[str, ...]] = {
    "official": OFFICIAL_FLOWS,
    "oda": ("ODA-like",),
    "oof": ("OOF-like",),
    "vague": ("Vague (Official Finance)",),
    "official-investment": ("Official Investment",),
    "vague-commercial": ("Vague (Com)",),
}
_LABEL = "coalesce(f.recipient, f.region || ', regional', 'unset')"
_KEY_COLUMNS = {"recipient": (_LABEL,), "year": ("f.year",), "flow-class": ("f.flow_class",),
                "sector": ("f.sector_code", "f.sector")}
_KEY_NAMES = {"recipient": ("recipient",), "year": ("year",), "flow-class": ("flow_class",),
              "sector": ("sector_code", "sector")}


@dataclass(frozen=True)
class _Version:
    key: str
    source_id: int
    title: str
    order: int
    first: int
    last: int
    scope: str | None
    base_year: int
    has_current: bool
    record_classes: tuple[str, ...]
    flow_classes: tuple[str, ...]


def _versions(db: Connection) -> dict[str, _Version]:
    def read() -> dict[str, _Version]:
        flows: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in db.con.execute(
            "SELECT dataset, list(DISTINCT flow_class ORDER BY flow_class) FROM finance_flow "
            "WHERE flow_class IS NOT NULL GROUP BY dataset").fetchall()}
        return {k: _Version(k, sid, title, order, first, last, scope, base, bool(cur), tuple(classes or ()),
                            flows.get(k, ()))
                for k, sid, title, order, first, last, scope, base, cur, classes in db.con.execute(
                    "SELECT dataset, source_id, title, release_order, first_year, last_year, scope, base_year, "
                    "has_current, record_classes FROM finance_dataset ORDER BY release_order").fetchall()}

    return db.once("finance:versions", read)


def finance_datasets(db: Connection) -> list[dict[str, Any]]:
    """The AidData versions the database holds, oldest first: key, title, years, scope
    (``None``: worldwide), base year of the constant dollars, whether current USD is given."""
    return [{"dataset": v.key, "title": v.title, "first_year": v.first, "last_year": v.last, "scope": v.scope,
             "base_year": v.base_year, "current_usd": v.has_current, "record_classes": list(v.record_classes)}
            for v in _versions(db).values()]


def _flow_key(text: str) -> str:
    # "+" and "-" tell "CA +Gov" from "CA -Gov"; case, spaces and brackets do not matter
    return re.sub(r"[^0-9a-z+-]+", "", text.casefold())


def _as_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _flows(asked: list[str], known: Iterable[str]) -> tuple[str, ...]:
    """Flow classes as stored, for the names asked (aliases, or AidData's own spelling)."""
    by_key = {_flow_key(v): v for v in known}
    out: list[str] = []
    for a in asked:
        k = _flow_key(a)
        alias = FLOW_ALIASES.get(a.strip().casefold())
        if alias:
            out += alias
        elif k in by_key:
            out.append(by_key[k])
        else:
            raise QueryError(f"unknown flow class {a!r}; choose from {', '.join(FLOW_ALIASES)} or one of "
                             + ", ".join(sorted(by_key.values())))
    return tuple(dict.fromkeys(out))


def _year(value: str | int | None, what: str) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise QueryError(f"bad year {value!r} for {what}: expected YYYY")
    return int(text)


def _dataset_key(text: str, versions: dict[str, _Version]) -> str:
    t = text.strip().casefold().replace(" ", "-")
    t = re.sub(r"^v(?=\d)", "", t)
    candidates = {t, t.replace("-v", "-"), {"global": "global-1.0", "global1.0": "global-1.0"}.get(t, t),
                  t + ".0" if re.fullmatch(r"\d", t) else t}
    for c in candidates:
        if c in versions:
            return c
    raise QueryError(f"unknown dataset {text!r}; choose from {', '.join(versions)}")


def _members(db: Connection, group: str) -> set[str]:
    return {iso3 for iso3, _, _ in db.memberships.get(group, ())}


def _scope_gap(db: Connection, v: _Version, sel: Selection) -> str | None:
    """Why ``v`` cannot answer for these recipients (its scope is one region), or None."""
    if v.scope is None:
        return None
    if not sel:
        return f"covers recipients in {v.scope} only (no recipient asked means every recipient)"
    inside = _members(db, v.scope)
    outside = [db.countries[c][0] for c in sel.countries if c not in inside]
    outside += [g for g in sel.groups if g != v.scope and not (_members(db, g) and _members(db, g) <= inside)]
    if outside:
        return f"covers recipients in {v.scope} only, not {', '.join(outside)}"
    return None


def _gaps(db: Connection, v: _Version, lo: int | None, hi: int | None, sel: Selection,
          flows: tuple[str, ...] | None, records: tuple[str, ...] | None, usd: str) -> list[str]:
    """Everything that keeps version ``v`` from answering; empty when it can."""
    out = []
    if (lo is not None and lo < v.first) or (hi is not None and hi > v.last):
        out.append(f"covers {v.first}-{v.last}")
    scope = _scope_gap(db, v, sel)
    if scope:
        out.append(scope)
    if usd == "current" and not v.has_current:
        out.append("gives no current USD")
    missing = [f for f in flows or () if f not in v.flow_classes]
    if missing:
        out.append("has no " + ", ".join(missing) + " records")
    if records is not None:
        absent = [r for r in records if r not in v.record_classes]
        if absent:
            out.append("has no " + ", ".join(absent) + " records")
    return out


def _regions_within(db: Connection, groups: tuple[str, ...]) -> list[str]:
    """The regions of regional records that lie within one of ``groups`` (Africa within
    Africa; South-eastern Asia within Asia)."""
    regions = db.once("finance:regions", lambda: [r for (r,) in db.con.execute(
        "SELECT DISTINCT region_group FROM finance_flow WHERE region_group IS NOT NULL ORDER BY 1").fetchall()])
    out = []
    for r in regions:
        inside = _members(db, r)
        if any(r == g or (inside and inside <= _members(db, g)) for g in groups):
            out.append(r)
    return out


def finance(db: Connection, recipient: str | Selection | Iterable[str | Selection] | None = None, start: str | int | None = None,
            end: str | int | None = None, donor: str = "China", flow_class: str | Iterable[str] | None = None,
            records: str | Iterable[str] | None = None, pledges: bool = False, umbrella: bool = False,
            countries_only: bool = False, usd: str = "constant", dataset: str | None = None,
            by: Iterable[str] = (), top: int | None = None) -> Result:
    """China's official finance commitments (AidData), summed under a stated definition.

    ``recipient`` takes country names, ISO3 codes or groups (``"Africa"``, ``"AU"``);
    ``start`` and ``end`` are years, both included; ``flow_class`` takes ``official`` (the
    default: ODA-like, OOF-like, Vague (Official Finance)), ``oda``, ``oof``, ``vague``,
    ``official-investment`` or any class as AidData writes it (``Military``, ``FDI +Gov``);
    ``records`` the record classes to count (default: official, unofficial, military);
    ``pledges`` and ``umbrella`` count those too; ``countries_only`` leaves regional and
    multi-country records out; ``usd`` is ``constant`` or ``current``; ``dataset`` one of
    ``finance_datasets(db)`` (default: the latest covering the question); ``by`` any of
    ``recipient``, ``year``, ``flow-class``, ``sector``; ``top`` keeps the N largest rows
    (per year when grouped by year).

    >>> finance(db, "Africa", 2000, 2011, dataset="1.0").scalar("usd")  # doctest: +SKIP
    75394583413
    """
    by = [k.replace("_", "-") for k in dict.fromkeys(by)]
    for k in by:
        if k not in FINANCE_BY_KEYS:
            raise QueryError(f"unknown --by key {k!r}; choose from {', '.join(FINANCE_BY_KEYS)}")
    if usd not in ("constant", "current"):
        raise QueryError(f"unknown --usd {usd!r}; choose from constant, current")
    if top is not None and top < 1:
        raise QueryError(f"--top must be at least 1, not {top}")
    versions = _versions(db)
    if not versions:
        raise NoDataError("the database holds no finance records (AidData's files were not read)")
    donors = db.once("finance:donors", lambda: {d for (d,) in db.con.execute(
        "SELECT DISTINCT donor FROM finance_flow").fetchall()})
    kind, code = db.resolve_country(donor)
    if kind != "country" or code not in donors:
        raise NoDataError(f"no finance data for donor {donor!r}: AidData's files record "
                          + ", ".join(db.countries[d][0] for d in sorted(donors)) + "'s official finance only")
    # a resolved Selection passes through (a profile's country: NAM is Namibia there)
    sel = db.select([recipient] if isinstance(recipient, (str, Selection)) else list(recipient or ()))
    lo, hi = _year(start, "--from"), _year(end, "--to")
    if lo is not None and hi is not None and lo > hi:
        raise QueryError(f"--from {lo} is after --to {hi}")
    asked_records = tuple(dict.fromkeys(_as_list(records))) or None
    for rc in asked_records or ():
        if rc not in FINANCE_RECORD_CLASSES:
            raise QueryError(f"unknown record class {rc!r}; choose from {', '.join(FINANCE_RECORD_CLASSES)}")
    every_flow = {f for v in versions.values() for f in v.flow_classes}
    asked_flows = _flows(_as_list(flow_class), every_flow) if flow_class else None
    flows = asked_flows or OFFICIAL_FLOWS

    if dataset is not None:
        v = versions[_dataset_key(dataset, versions)]
        gaps = _gaps(db, v, lo, hi, sel, asked_flows, asked_records, usd)
        if gaps:
            raise NoDataError(f"AidData {v.key} cannot answer this: it " + "; it ".join(gaps))
        why = f"dataset: AidData {v.key}, as asked"
    else:
        reasons = {k: _gaps(db, x, lo, hi, sel, asked_flows, asked_records, usd) for k, x in versions.items()}
        able = [x for k, x in versions.items() if not reasons[k]]
        if not able:
            raise NoDataError("no AidData version answers this: " + "; ".join(
                f"{k} {', '.join(r)}" for k, r in reasons.items()))
        v = max(able, key=lambda x: x.order)
        others = [x.key for x in able if x is not v]
        first, last = (lo if lo is not None else v.first), (hi if hi is not None else v.last)
        span = str(first) if first == last else f"{first}-{last}"
        why = (f"dataset: AidData {v.key}, the latest version covering {span}"
               + (f" for {', '.join(sel.labels)}" if sel else "")
               + (f" ({', '.join(others)} also {'covers' if len(others) == 1 else 'cover'} it; --dataset chooses)"
                  if others else ""))
    lo = v.first if lo is None else lo
    hi = v.last if hi is None else hi
    live = asked_records or FINANCE_LIVE_RECORDS
    measure = "f.usd_constant" if usd == "constant" else "f.usd_current"

    base = ["f.dataset = ?", "f.year BETWEEN ? AND ?", "list_contains(?, f.record_class)",
            "list_contains(?, f.flow_class)"]
    params: list[Any] = [v.key, lo, hi, list(live), list(flows)]
    if not pledges:
        base.append("NOT f.pledge")
    if not umbrella:
        base.append("NOT coalesce(f.umbrella, false)")
    where, wparams = list(base), list(params)
    regions = _regions_within(db, sel.groups) if sel.groups and not countries_only else []
    if sel:
        parts = []
        if sel.countries:
            parts.append("(f.recipient_kind = 'country' AND list_contains(?, f.recipient))")
            wparams.append(list(sel.countries))
        if sel.groups:  # membership in the year of the commitment
            parts.append("""(f.recipient_kind = 'country' AND EXISTS (SELECT 1 FROM country_group g
                WHERE g.iso3 = f.recipient AND list_contains(?, g.grp)
                AND (g.valid_from IS NULL OR g.valid_from <= make_date(f.year, 12, 31))
                AND (g.valid_to IS NULL OR g.valid_to >= make_date(f.year, 1, 1))))""")
            wparams.append(list(sel.groups))
        if regions:
            parts.append("(f.recipient_kind = 'regional' AND list_contains(?, f.region_group))")
            wparams.append(regions)
        where.append("(" + " OR ".join(parts) + ")")
    elif countries_only:
        where.append("f.recipient_kind = 'country'")

    select = [c for k in by for c in _KEY_COLUMNS[k]]
    names = [n for k in by for n in _KEY_NAMES[k]]
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(select)))}" if select else ""
    sql = (f"SELECT {''.join(s + ', ' for s in select)}sum({measure}), count(*), "
           f"count(*) FILTER (WHERE {measure} IS NULL), count(*) FILTER (WHERE f.recipient_kind = 'regional'), "
           f"sum({measure}) FILTER (WHERE f.recipient_kind = 'regional') "
           f"FROM finance_flow f WHERE {' AND '.join(where)}{group}")
    found = db.con.execute(sql, wparams).fetchall()

    rows: list[dict[str, Any]] = []
    no_amount = regional_n = counted = 0
    regional_usd = 0.0
    for found_row in found:
        *keys, total, n, nulls, reg_n, reg_usd = found_row
        if not n:
            continue
        counted += n
        no_amount += nulls
        regional_n += reg_n
        regional_usd += reg_usd or 0.0
        row = dict(zip(names, keys))
        if "recipient" in row:
            label = row["recipient"]
            row["recipient_name"] = db.countries[label][0] if label in db.countries else label
        row["usd"] = None if total is None else int(round(total))
        row["projects"] = int(n)
        row["no_amount"] = int(nulls)
        rows.append(row)
    # every row names its years: the commitment year, or the years summed (2000..2014)
    columns: list[str] = [] if "year" in names else ["years"]
    for name in names:
        columns.append(name)
        if name == "recipient":
            columns.append("recipient_name")
    columns += ["usd", "projects", "no_amount"]
    for r in rows:
        r.setdefault("years", str(lo) if lo == hi else f"{lo}..{hi}")
    rows = [{c: r.get(c) for c in columns} for r in rows]
    rows.sort(key=lambda r: (r.get("year") or 0, -(r["usd"] or 0), -r["projects"],
                             tuple(str(r.get(c) or "") for c in names)))
    if top is not None:
        kept: dict[Any, int] = {}
        out = []
        for r in rows:
            key = r.get("year")
            if kept.get(key, 0) < top:
                out.append(r)
                kept[key] = kept.get(key, 0) + 1
        rows = out

    dollars = f"constant {v.base_year} USD" if usd == "constant" else "current USD"
    flows_text = ("official finance (" + ", ".join(OFFICIAL_FLOWS) + ")" if flows == OFFICIAL_FLOWS
                  else "flow classes " + ", ".join(flows))
    recipients = ("every recipient" if not sel else ", ".join(sel.labels))
    regional_text = ("country records only (regional and multi-country records left out)" if countries_only
                     else "regional and multi-country records counted for the region they lie in" if sel.groups
                     else "regional and multi-country records not counted (they cannot be split between countries)"
                     if sel else "regional and multi-country records included")
    definition = "; ".join(
        [f"China's {flows_text} commitments to {recipients}, {lo if lo == hi else f'{lo}-{hi}'} (commitment year)",
         f"pledges {'included' if pledges else 'excluded'}",
         ("cancelled or suspended, inactive and suspicious records excluded" if asked_records is None
          else "records: " + ", ".join(live))]
        + ([f"umbrella agreements {'included' if umbrella else 'excluded'}"] if v.key.startswith("global") else [])
        + [regional_text, f"amounts in {dollars}", f"dataset AidData {v.key} ({v.title})"])
    notes = [f"definition: {definition}", why,
             "amounts are commitments as AidData tracked them (media reports and official sources), not disbursements"]
    if pledges:
        notes.append(f"pledges (status {PLEDGE_STATUS!r}) are counted, against AidData's guidance to exclude them")
    if no_amount:
        notes.append(f"{no_amount:,} of the {counted:,} records counted give no amount: they count as projects "
                     "and add nothing to usd")
    if regional_n:
        notes.append(f"{regional_n:,} regional or multi-country records (USD {regional_usd:,.0f}) are counted"
                     + (f" for {', '.join(regions)}" if regions else ", for no single country")
                     + "; --countries-only leaves them out")
    left = _left_out(db, base, params, measure, sel, countries_only)
    if left:
        notes.append(left)
    if not rows:
        notes.append("no record matches")
    src = db.files[v.source_id]
    sources = [SourceRef(v.source_id, src["relpath"], src["layout"], "project", src["sha256"], src["citation"],
                         src["release"], str(lo), str(hi), src["rows_read"], src["rows_loaded"],
                         src["rows_empty"], src["rows_quarantined"])]
    grains = [{"grain": "project", "table": "finance_flow", "first_month": str(lo), "last_month": str(hi),
               "years": hi - lo + 1}]
    query = {"donor": db.countries[code][0], "recipient": list(sel.labels),
             "resolved": [{"input": donor, "kind": "country", "code": code, "name": db.countries[code][0]},
                          *sel.echo()], "from": lo, "to": hi,
             "dataset": v.key, "flow_class": list(flows), "records": list(live), "pledges": pledges,
             "umbrella": umbrella, "countries_only": countries_only, "usd": dollars, "by": list(by), "top": top,
             "definition": definition}
    return Result(columns, rows, sources, grains, notes, query)


def _left_out(db: Connection, base: list[str], params: list[Any], measure: str, sel: Selection,
              countries_only: bool) -> str | None:
    """What regional and multi-country records hold for the recipients asked and were not
    counted: those that list a country asked, or lie in a group asked, but were not
    counted for their region (a country question, or --countries-only)."""
    if not sel:
        return None
    members: set[str] = set(sel.countries)
    for g in sel.groups:
        members |= _members(db, g)
    regions = _regions_within(db, sel.groups) if sel.groups else []
    if countries_only:  # nothing regional was counted: every record listing or lying within
        cond = "(list_has_any(f.recipients, ?) OR list_contains(?, coalesce(f.region_group, '')))"
        cparams: list[Any] = [sorted(members), regions]
    else:  # those lying within a group asked were counted for it
        cond = "(list_has_any(f.recipients, ?) AND NOT list_contains(?, coalesce(f.region_group, '')))"
        cparams = [sorted(members), regions]
    n, total = db.con.execute(
        f"SELECT count(*), sum({measure}) FROM finance_flow f WHERE {' AND '.join(base)} "
        f"AND f.recipient_kind = 'regional' AND {cond}", params + cparams).fetchall()[0]
    if not n:
        return None
    whom = ", ".join(sel.labels)
    return (f"{n:,} regional or multi-country records (USD {total or 0:,.0f}) concern {whom} together with other "
            "recipients; they cannot be split between countries and are not counted")
