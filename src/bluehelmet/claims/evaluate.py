"""Evaluating claims against the data: verdict, every number used, margin, sources.

The evaluator holds no SQL: every number comes from the query API (personnel, rank,
authorized, fatalities; assessments, finance and spending through ``money.py``), whose
results carry their sources and grains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable

from ..errors import BluehelmetError, NoDataError, UnknownNameError
from ..months import month_range, parse_month
from ..query.choices import summary
from ..query.coverage import latest_month
from ..query.personnel import question_needs
from ..query.result import Result, SourceRef
from ..query.selection import Selection
from ..vocab import Capability

if TYPE_CHECKING:
    from ..db import Database
from .grammar import BinOp, Call, Compare, Flow, Held, Month, Names, Number, Range, parse
from .money import MEASURES, Money
from .steps import Step, Unknown as _Unknown, figure_text, grain_of as _grain, members as _members_of, text_of as _text

__all__ = ["Step", "Verdict", "check", "DEFAULT_TOLERANCE", "FUNCTIONS"]

DEFAULT_TOLERANCE = 0.10  # "~" without "±": within 10 %
_PERSONNEL = {"personnel": "all", "troops": "troops", "police": "police", "experts": "experts",
              "formed_police": "formed-police", "individual_police": "individual-police"}
# announced, but no loaded file answers them: the reason names what does
# the official casualty personnel types that are uniformed personnel
_UNIFORMED = ("Military", "Military Observer", "Police")
_NOT_LOADED = {"budget": "approved peacekeeping budgets are not loaded; spending(MISSION, 2022/23) gives what "
                         "a mission spent (expenditure)"}
# what min(), max(), sum() and count() do to the values of their arguments
_FOLDS: dict[str, Callable[[list[Any]], Any]] = {"min": min, "max": max, "sum": sum, "count": len}
#: every function a claim may call (a call to another name is a syntax error naming the closest)
FUNCTIONS = frozenset({*_PERSONNEL, *_FOLDS, "share", "rank", "contributors", "deployed", "authorized", "authorised", "fatalities",
                       *Money.FUNCTIONS, *_NOT_LOADED})
# the functions whose value is a fraction (28% is 0.28): a bare number above 1 beside one
# is a percentage written without its sign
_FRACTIONS = frozenset({"share", "assessed_share", "assessment"})


@dataclass
class Verdict:
    claim: str
    verdict: str  # true | false | unknown
    left: float | None = None
    op: str | None = None
    right: float | None = None
    margin: float | None = None  # left - right: how far from flipping
    relative_error: float | None = None  # for "~": |left - right| / |right|
    tolerance: float | None = None
    reason: str | None = None
    candidates: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)  # what each name was taken to mean

    @property
    def exit_code(self) -> int:
        return {"true": 0, "false": 1}.get(self.verdict, 2)

    @property
    def month(self) -> str | None:
        """The months the numbers are for, in order, joined by "; " (one for most claims)."""
        months = sorted({s.month for s in self.steps if s.month})
        return "; ".join(months) or None

    def sources(self) -> list[SourceRef]:
        seen: dict[tuple[str, str], SourceRef] = {}
        for s in self.steps:
            for ref in s.sources:
                seen.setdefault((ref.path, ref.grain), ref)
        return list(seen.values())

    def as_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "verdict": self.verdict, "month": self.month, "left": self.left, "op": self.op,
                "right": self.right, "margin": self.margin, "relative_error": self.relative_error,
                "tolerance": self.tolerance, "reason": self.reason, "candidates": self.candidates,
                "resolved": self.resolved, "steps": [s.as_dict() for s in self.steps], "history": self.history,
                "sources": [s.as_dict() for s in self.sources()]}


class _Evaluator:
    def __init__(self, db: Database, month: date | None) -> None:
        self.db, self.month = db, month
        self.steps: list[Step] = []
        self.resolved: dict[str, dict[str, Any]] = {}  # name as written -> what it resolved to
        # a count over a period the list covers only partly is a floor: deaths after its
        # last record are unknown, not zero (see _compare)
        self.floor = False

    def value(self, node: Any) -> Any:
        if isinstance(node, Number):
            return node.value / 100 if node.percent else node.value
        if isinstance(node, BinOp):
            left, right = self.value(node.left), self.value(node.right)
            if node.op == "/" and right == 0:
                raise _Unknown(f"division by zero: {_text(node.right)} is 0")
            if node.op == "/":
                return left / right
            return {"+": left + right, "-": left - right, "*": left * right}[node.op]
        if isinstance(node, Call):
            return self.call(node)
        raise _Unknown(f"{_text(node)} is not a number")

    # ---- arguments ----------------------------------------------------------------------
    def _month(self, node: Any, needs: set[Capability] | None = None, table: str | None = None) -> date:
        """The month a call names; a call that names none is for the latest month of the
        grain it needs (``needs``, or another domain's ``table``), as every query is."""
        if node is None and (needs is not None or table is not None):
            return latest_month(self.db, needs or (), table)
        if isinstance(node, Month):
            if node.text == "?":
                if self.month is None:
                    raise _Unknown("a '?' month needs held(..., FROM..TO) or --history")
                return self.month
            return parse_month(node.text)
        raise _Unknown(f"expected a month, found {_text(node)}")

    def _members(self, names: Names, month: date) -> set[str]:
        return _members_of(self.db, names, month, self.resolved)

    def _split(self, call: Call) -> tuple[list[Any], dict[str, Any]]:
        return list(call.args), dict(call.kwargs)

    @staticmethod
    def _no_year(call: Call, hint: str = "") -> None:
        """A headcount is at a month's end: a bare year (``2014``) is refused, not read as
        the latest month."""
        for a in call.args:
            if isinstance(a, Number) and not a.percent and a.value.is_integer() and 1900 <= a.value <= 2200:
                raise _Unknown(f"{call.name}() is for a month: write {int(a.value)}-12 (its December), "
                               f"not {int(a.value)}{hint}")

    # ---- functions ----------------------------------------------------------------------
    def call(self, call: Call) -> Any:
        name = call.name
        try:
            if name in _PERSONNEL:
                return self._personnel(call, _PERSONNEL[name])
            if name in _FOLDS:
                values = [self.value(a) if not isinstance(a, Call) else self.call(a) for a in call.args]
                flat = [v for x in values for v in (x if isinstance(x, list) else [x])]
                if not flat:
                    raise _Unknown(f"{name}() of nothing")
                return _FOLDS[name](flat)
            if name == "share":
                return self._share(call)
            if name == "rank":
                return self._rank(call)
            if name == "contributors":
                return self._contributors(call)
            if name in ("deployed", "authorized", "authorised"):
                return self._mission_strength(call)
            if name == "fatalities":
                return self._fatalities(call)
            if name in Money.FUNCTIONS:
                return Money(self.db, self.steps).call(call)
            if name in _NOT_LOADED:
                raise _Unknown(f"no data for {name}(): {_NOT_LOADED[name]}")
        except NoDataError as exc:
            raise _Unknown(f"no data for {_text(call)}: {exc}") from None
        except UnknownNameError as exc:
            raise _Unknown(str(exc), exc.candidates) from None
        except BluehelmetError as exc:
            raise _Unknown(f"{_text(call)}: {exc}") from None
        raise _Unknown(f"unknown function {name}(); see docs/claims.md")

    def _personnel(self, call: Call, ptype: str) -> Any:
        args, kw = self._split(call)
        self._no_year(call)
        names = next((a for a in args if isinstance(a, Names)), None)
        missions = [kw["mission"].terms[0][1]] if isinstance(kw.get("mission"), Names) else None
        month = self._month(next((a for a in args if isinstance(a, Month)), None) or kw.get("month"),
                            question_needs(country=names is not None, mission=bool(missions), type=ptype))
        res: Result | None
        if names is None:  # everybody: personnel(2013-12), personnel(mission=X, 2013-12)
            res = self.db.personnel(mission=missions, month=month, type=ptype)
            value = res.scalar()
        else:
            members = sorted(self._members(names, month))
            if names.each:
                res = self.db.personnel(country=[Selection(tuple(members))], mission=missions, month=month,
                                           type=ptype, by=["contributor"]) if members else None
                got = {r["contributor"]: r["personnel"] for r in (res.rows if res else [])}
                value = [got.get(m, 0) for m in members]
                self.steps.append(Step(_text(call), dict(zip(members, value)), f"{month:%Y-%m}",
                                       _grain(res), res.sources if res else [], note=_chosen(res)))
                return value
            if not members:
                value, res = 0, None
            else:
                # resolved codes pass as a Selection: "NAM" is Namibia here, not a group
                res = self.db.personnel(country=[Selection(tuple(members))], mission=missions, month=month,
                                           type=ptype)
                value = res.scalar()
        self.steps.append(Step(_text(call), value, f"{month:%Y-%m}", _grain(res), res.sources if res else [],
                               note=_chosen(res)))
        return value

    def _share(self, call: Call) -> float:
        args, kw = self._split(call)
        # share(troops, Africa, 2013-12), or without the month: a first name that is a measure
        named = len(args) >= 2 and isinstance(args[0], Names) and len(args[0].terms) == 1 \
            and args[0].terms[0][1] in _PERSONNEL and isinstance(args[1], Names)
        measure = args[0].terms[0][1] if named else "personnel"
        rest = args[1:] if named else args
        part = self._personnel(Call(measure, tuple(rest), call.kwargs), _PERSONNEL.get(measure, "all"))
        # the whole is taken at the part's month, also when the claim names none
        month_node = next((a for a in rest if isinstance(a, Month)), None) or Month(self.steps[-1].month or "?")
        whole = self._personnel(Call(measure, (month_node,), call.kwargs), _PERSONNEL.get(measure, "all"))
        if not whole:
            raise _Unknown(f"no {measure} at all at {_text(month_node)}")
        value: float = part / whole
        self.steps.append(Step(_text(call), round(value, 6), self.steps[-1].month))
        return value

    def _rank(self, call: Call) -> int:
        args, kw = self._split(call)
        measure = kw["measure"].text().replace("-", "_") if isinstance(kw.get("measure"), Names) else None
        if measure is not None and measure not in ("personnel", *MEASURES):
            raise _Unknown(f"measure={measure}: choose personnel (the default), {', '.join(MEASURES)}")
        if any(isinstance(a, Flow) for a in args) or measure in MEASURES:
            return Money(self.db, self.steps).rank(call, measure)
        self._no_year(call, " (or measure=peacekeeping_assessment for a year's assessments)")
        names = next((a for a in args if isinstance(a, Names)), None)
        if names is None:
            raise _Unknown("rank() needs a country: rank(China, 2014-01)")
        within = kw["within"].text() if isinstance(kw.get("within"), Names) else None
        ptype = kw["type"].terms[0][1] if isinstance(kw.get("type"), Names) else "all"
        month = self._month(next((a for a in args if isinstance(a, Month)), None) or kw.get("month"),
                            question_needs(country=True, type=ptype))
        kind, code = self.db.resolve_country(names.terms[0][1])
        res = self.db.rank(month=month, type=ptype, within=within)
        mine = next((r for r in res.rows if r["contributor"] == code), None)
        if mine is None:
            raise _Unknown(f"{names.text()} has no {ptype} personnel at {month:%Y-%m}"
                           + (f" within {within}" if within else ""))
        position: int = mine["rank"]
        self.steps.append(Step(_text(call), position, f"{month:%Y-%m}", _grain(res), res.sources, note=_chosen(res)))
        return position

    def _contributors(self, call: Call) -> int:
        """How many countries have personnel (of ``type``) at the month, in a mission or in all."""
        args, kw = self._split(call)
        self._no_year(call)
        missions = [kw["mission"].terms[0][1]] if isinstance(kw.get("mission"), Names) else None
        ptype = kw["type"].terms[0][1] if isinstance(kw.get("type"), Names) else "all"
        month = self._month(next((a for a in args if isinstance(a, Month)), None) or kw.get("month"),
                            question_needs(country=True, mission=bool(missions), type=ptype))
        res = self.db.personnel(mission=missions, month=month, type=ptype, by=["contributor"])
        value = sum(1 for r in res.rows if r["personnel"] > 0)
        self.steps.append(Step(_text(call), value, f"{month:%Y-%m}", _grain(res), res.sources, note=_chosen(res)))
        return value

    def _mission_strength(self, call: Call) -> int:
        args, kw = self._split(call)
        mission = next(a for a in args if isinstance(a, Names)).terms[0][1]
        month = self._month(next((a for a in args if isinstance(a, Month)), None),
                            question_needs(mission=True) if call.name == "deployed" else None,
                            None if call.name == "deployed" else "authorized_strength")
        value: int
        if call.name == "deployed":
            res = self.db.personnel(mission=[mission], month=month)
            value = res.scalar()
        else:
            res = self.db.authorized(mission, month=month)
            value = res.rows[0]["auth_total"]
        self.steps.append(Step(_text(call), value, f"{month:%Y-%m}", _grain(res), res.sources))
        return value

    def _fatalities(self, call: Call) -> int:
        args, kw = self._split(call)
        names = next((a for a in args if isinstance(a, Names)), None)
        period = next((a for a in args if isinstance(a, (Range, Month))), None)
        start: date | None
        end: date | None
        if isinstance(period, Month):
            start = end = self._month(period)
        elif isinstance(period, Range):
            start, end = parse_month(period.first), parse_month(period.last)
        else:
            start = end = None
        mission = kw["mission"].terms[0][1] if isinstance(kw.get("mission"), Names) else None
        nationality = [n for _, n in names.terms] if names else None
        cause = kw["cause"].text() if isinstance(kw.get("cause"), Names) else None
        kind = kw["personnel"].text().lower() if isinstance(kw.get("personnel"), Names) else None
        # "uniformed": the military, observers and police; else one of the list's personnel types
        types = list(_UNIFORMED) if kind == "uniformed" else ([kind] if kind else None)
        res = self.db.fatalities(mission=mission, nationality=nationality, start=start, end=end, cause=cause,
                                 personnel_type=types)
        value: int = sum(r["fatalities"] for r in res.rows)
        # a period the list covers only partly (2023 ends 2023-11-21) says so under the step
        partial = "; ".join(res.query.get("partial") or ()) or None
        self.floor = self.floor or partial is not None
        self.steps.append(Step(_text(call), value, _text(period) if period else res.query["from"] + ".." +
                               res.query["to"], "incident", res.sources, note=partial))
        return value


def _fraction_read_as_percent(node: Compare) -> None:
    """``share(...) > 10`` compares a fraction with ten: the claim meant 10 %. Refused with
    the fix, not answered (a share is never above 1, so the verdict would be empty)."""
    for side, other in ((node.left, node.right), (node.right, node.left)):
        if isinstance(side, Call) and side.name in _FRACTIONS and isinstance(other, Number) \
                and not other.percent and other.value > 1:
            raise _Unknown(f"{side.name}() is a fraction (28% = 0.28): write {_text(other)}% for "
                           f"{_text(other)} percent")


def _chosen(res: Result | None) -> str | None:
    """The step's note where a file other than the best-precedence one answered a cell (or
    none was complete: a warning), as the query says it (query/choices.py)."""
    return summary(res.choices, res.warnings) if res is not None else None


def _compare(ev: _Evaluator, node: Compare, text: str) -> Verdict:
    _fraction_read_as_percent(node)
    left = ev.value(node.left)
    floor, ev.floor = ev.floor, False
    right = ev.value(node.right)
    if isinstance(left, list) or isinstance(right, list):
        raise _Unknown("a comparison needs single values; use min(), max() or sum() over 'each'")
    v = Verdict(text, "false", float(left), node.op, float(right), margin=float(left) - float(right))
    if node.op == "~":
        v.tolerance = (node.tolerance.value / 100 if node.tolerance.percent else node.tolerance.value) \
            if node.tolerance else DEFAULT_TOLERANCE
        v.relative_error = abs(left - right) / abs(right) if right else (0.0 if left == right else float("inf"))
        ok = v.relative_error <= v.tolerance
    else:
        ok = {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right,
              "==": left == right, "!=": left != right}[node.op]
    v.verdict = "true" if ok else "false"
    v.steps, v.resolved = ev.steps, list(ev.resolved.values())
    if not ok and floor and left < right and node.op not in ("<", "<=", "!="):
        # "61 died in 2023" against a list ending 2023-11-21: too few so far is not false
        v.verdict = "unknown"
        v.reason = (f"{figure_text(left)} so far: the period runs past the list's last record, and deaths after it "
                    "are not known (see the step's note)")
    return v


def check(db: Database, claim: str, history: tuple[str, str] | None = None) -> Verdict:
    """Evaluate a claim. ``history`` (FROM, TO) evaluates it for every month in the range,
    with '?' months (or, if the claim names a single month, that month) moving along.

    >>> check(db, "troops(China, 2014-01) > troops(P5 - China, 2014-01)").verdict  # doctest: +SKIP
    'true'
    """
    text = " ".join(claim.split())
    node = parse(text, FUNCTIONS)
    if isinstance(node, Held):
        history = (node.range.first, node.range.last)
        node = node.claim
    try:
        if history is None:
            return _compare(_Evaluator(db, None), node, text)
        return _history(db, node, text, history)
    except _Unknown as exc:
        return Verdict(text, "unknown", reason=exc.reason, candidates=exc.candidates)


def _history(db: Database, node: Compare, text: str, span: tuple[str, str]) -> Verdict:
    months = month_range(parse_month(span[0]), parse_month(span[1]))
    written = {m for m in _months_in(node) if m != "?"}
    if "?" not in _months_in(node) and len(written) == 1:
        node = _with_placeholder(node, written.pop())
    elif "?" not in _months_in(node):
        raise _Unknown("a history needs '?' for the month that moves (the claim names several months)")
    rows, last = [], None
    for m in months:
        try:
            last = _compare(_Evaluator(db, m), node, text)
            rows.append({"month": f"{m:%Y-%m}", "verdict": last.verdict, "left": last.left, "right": last.right})
        except _Unknown as exc:
            rows.append({"month": f"{m:%Y-%m}", "verdict": "unknown", "reason": exc.reason})
    known = [r for r in rows if r["verdict"] != "unknown"]
    held = [r for r in known if r["verdict"] == "true"]
    v = Verdict(text, "unknown" if not known else ("true" if len(held) == len(known) else "false"))
    v.history = rows
    v.reason = (f"held in {len(held)} of {len(known)} months with data ({span[0]}..{span[1]})"
                + (f"; {len(rows) - len(known)} months without data" if len(known) < len(rows) else ""))
    if last is not None:
        v.op, v.steps, v.resolved = last.op, last.steps, last.resolved
    return v


def _months_in(node: Any) -> list[str]:
    if isinstance(node, Month):
        return [node.text]
    if isinstance(node, (Call,)):
        return [m for a in (*node.args, *(v for _, v in node.kwargs)) for m in _months_in(a)]
    if isinstance(node, (BinOp, Compare)):
        return _months_in(node.left) + _months_in(node.right)
    return []


def _with_placeholder(node: Any, month: str) -> Any:
    if isinstance(node, Month) and node.text == month:
        return Month("?")
    if isinstance(node, Call):
        return Call(node.name, tuple(_with_placeholder(a, month) for a in node.args),
                    tuple((k, _with_placeholder(v, month)) for k, v in node.kwargs))
    if isinstance(node, BinOp):
        return BinOp(node.op, _with_placeholder(node.left, month), _with_placeholder(node.right, month))
    if isinstance(node, Compare):
        return Compare(_with_placeholder(node.left, month), node.op, _with_placeholder(node.right, month),
                       node.tolerance)
    return node
