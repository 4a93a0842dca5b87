"""Money in the claim language: who pays (assessments), what missions spent (spending) and
China's official finance (AidData), each answered by its query and recorded with the
definition it was computed under.

    assessed_share(USA, 2014) ~ 28%
    assessed_share(USA, 2014, scale=regular) == 22%
    assessed(P5, 2024) > $3 billion
    rank(CHN, 2024, measure=peacekeeping_assessment) == 2
    finance(CHN -> Africa, 2000..2011, dataset=1.0) ~ $75.4 billion
    rank(CHN -> ETH, 2011, within=Africa) == 1
    spending(MINUSMA, 2022/23) == 1192292200

A money figure changes with what is counted (which scale, which flows, pledges in or out,
which dataset version, audited or reported), so every step carries a ``definition`` and
the defaults are the queries' own, which follow the producers' guidance. Years are
calendar years (``2014``, ``2000..2011``), spending's are UN fiscal years (``2022/23``);
a month where a year is meant is refused, never rounded to its year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..query.assessments import SCALES
from ..query.selection import Selection
from ..query.spending import fiscal_year_label, parse_fiscal_year, parse_fiscal_years
from .grammar import Call, FiscalYears, Flow, Month, Names, Number, Range, Years
from .steps import Step, Unknown, grain_of, members, text_of

if TYPE_CHECKING:
    from ..db import Database

__all__ = ["Money", "MEASURES"]

#: rank(..., measure=M): the money measures, and the scale each ranks on
MEASURES = {"peacekeeping_assessment": "peacekeeping", "regular_assessment": "regular", "finance": "finance"}
_YES = {"in", "yes", "true", "include", "included", "on"}
_NO = {"out", "no", "false", "exclude", "excluded", "off"}
# what finance() and rank(DONOR -> RECIPIENT, ...) take, as the finance query does
_FINANCE_OPTIONS = ("flows", "records", "pledges", "umbrella", "regional", "usd", "dataset")
_ASSESSED = {
    ("peacekeeping", "share"): "the share of the calendar year's assessed contributions to peacekeeping (entity "
                               "UN-DPO, instrument Assessed) in the UN system's financial statistics (CEB), as a "
                               "fraction (28% = 0.28): the effective peacekeeping rate",
    ("peacekeeping", "amount_usd"): "the assessed contributions to peacekeeping (UN-DPO, Assessed) in the calendar "
                                    "year, nominal US dollars, from the UN system's financial statistics (CEB)",
    ("regular", "share"): "the rate on the UN regular-budget scale of assessments for the year, as a fraction "
                          "(22% = 0.22)",
    ("regular", "amount_usd"): "the regular-budget assessment for the year as the contributor files give it "
                               "(loaded for 2019-2026), nominal US dollars",
}


def _percent(share: float) -> str:
    return f"{share:.4g}%"


class Money:
    """The money functions of one evaluation; steps go to the evaluator's list."""

    FUNCTIONS = frozenset({"assessed_share", "assessment", "assessed", "finance", "spending"})

    def __init__(self, db: Database, steps: list[Step]) -> None:
        self.db, self.steps = db, steps

    def call(self, call: Call) -> Any:
        if call.name in ("assessed_share", "assessment"):
            return self._assessed(call, "share")
        if call.name == "assessed":
            return self._assessed(call, "amount_usd")
        if call.name == "finance":
            return self._finance(call)
        return self._spending(call)

    def rank(self, call: Call, measure: str | None) -> int:
        """``rank(NAME, YEAR, measure=...)`` over assessments, or ``rank(DONOR -> RECIPIENT,
        YEARS)`` over the recipients of a donor's finance."""
        flow = any(isinstance(a, Flow) for a in call.args)
        if flow and measure not in (None, "finance"):
            raise Unknown(f"rank(DONOR -> RECIPIENT, ...) ranks recipients of finance, not by {measure}")
        if flow or measure == "finance":
            return self._rank_finance(call)
        assert measure is not None
        return self._rank_assessed(call, MEASURES[measure])

    # ---- arguments ----------------------------------------------------------------------
    @staticmethod
    def _allow(call: Call, allowed: tuple[str, ...]) -> dict[str, Any]:
        kw = dict(call.kwargs)
        extra = [k for k in kw if k not in allowed]
        if extra:
            takes = ", ".join(f"{k}=" for k in allowed) or "no options"
            raise Unknown(f"{call.name}() takes {takes}, not {', '.join(f'{k}=' for k in extra)}")
        return kw

    @staticmethod
    def _word(node: Any, what: str) -> str | None:
        """A one-word option value (``scale=regular``, ``dataset=1.0``) as text."""
        if node is None:
            return None
        if isinstance(node, Names) and len(node.terms) == 1 and not node.each:
            return node.terms[0][1].replace("_", "-") if what in ("flows", "records") else node.terms[0][1]
        if isinstance(node, Number) and not node.percent:
            return node.written or f"{node.value:g}"
        raise Unknown(f"{what}={text_of(node)}: expected one word")

    @classmethod
    def _words(cls, node: Any, what: str) -> list[str] | None:
        """``flows=oda + oof``: a union of option words."""
        if node is None:
            return None
        if isinstance(node, Names) and not node.each and all(op == "+" for op, _ in node.terms):
            return [name.replace("_", "-") for _, name in node.terms]
        return [cls._word(node, what) or ""]

    @classmethod
    def _switch(cls, node: Any, what: str) -> bool | None:
        word = cls._word(node, what)
        if word is None:
            return None
        if word.casefold() in _YES:
            return True
        if word.casefold() in _NO:
            return False
        raise Unknown(f"{what}={word}: write {what}=in or {what}=out")

    @staticmethod
    def _years(call: Call) -> tuple[int, int] | None:
        """The calendar years a call names (``2014``, ``2000..2011``), None for none."""
        found = [a for a in call.args if isinstance(a, (Number, Years, Month, Range, FiscalYears))]
        if not found:
            return None
        if len(found) > 1:
            raise Unknown(f"{call.name}() takes one period, found {', '.join(text_of(a) for a in found)}")
        node = found[0]
        if isinstance(node, Years):
            if node.first > node.last:
                raise Unknown(f"{text_of(node)}: the first year is after the last")
            return node.first, node.last
        if isinstance(node, Number) and not node.percent and node.value.is_integer() \
                and 1900 <= node.value <= 2200:
            return int(node.value), int(node.value)
        if isinstance(node, (Month, Range)):
            raise Unknown(f"{call.name}() is per calendar year: write the year (2014) or years (2000..2011), "
                          f"not the month {text_of(node)}")
        if isinstance(node, FiscalYears):
            raise Unknown(f"{call.name}() is per calendar year: write 2014 or 2000..2011, not the fiscal year "
                          f"{node.text()}")
        raise Unknown(f"{call.name}(): {text_of(node)} is not a year")

    @staticmethod
    def _names(call: Call, what: str) -> Names:
        names = next((a for a in call.args if isinstance(a, Names)), None)
        if names is None:
            raise Unknown(f"{call.name}() needs {what}")
        return names

    def _selection(self, names: Names, year: int) -> Selection:
        """One name as itself (a group is summed by the query, with membership on 31
        December); set algebra or ``each`` as the member countries at the end of ``year``."""
        from datetime import date

        if len(names.terms) == 1 and not names.each:
            kind, code = self.db.resolve_country(names.terms[0][1])
            return Selection((code,), (), (names.text(),)) if kind == "country" \
                else Selection((), (code,), (names.text(),))
        return Selection(tuple(sorted(members(self.db, names, date(year, 12, 1)))), (), (names.text(),))

    # ---- who pays -------------------------------------------------------------------------
    def _scale(self, kw: dict[str, Any]) -> str:
        scale = self._word(kw.get("scale"), "scale") or SCALES[0]
        if scale not in SCALES:
            raise Unknown(f"scale={scale}: choose {' or '.join(SCALES)}")
        return scale

    def _latest_year(self, scale: str) -> int:
        """The scale's latest year, as the query answers a question given none."""
        year: int = self.db.assessments(scale=scale, top=1).rows[0]["year"]
        return year

    def _assessed(self, call: Call, column: str) -> Any:
        kw = self._allow(call, ("scale",))
        scale = self._scale(kw)
        names = self._names(call, "a member state or group")
        years = self._years(call)
        if years is None:
            years = (self._latest_year(scale),) * 2
        first, last = years
        if column == "share" and first != last:
            raise Unknown(f"a share is per year: {call.name}() takes one year, not {first}..{last} "
                          "(assessed(...) sums amounts over years)")
        span = str(first) if first == last else f"{first}..{last}"
        sel = self._selection(names, last)
        if not sel:
            raise Unknown(f"{names.text()} has no members at the end of {last}")
        res = self.db.assessments(scale=scale, member=[sel], start=first, end=last)
        got: dict[str, float] = {}
        missing: list[str] = []
        for r in res.rows:
            if r[column] is None:
                missing.append(f"{r['member']} {r['year']}")
                continue
            value = r[column] / 100 if column == "share" else r[column]
            got[r["member"]] = got.get(r["member"], 0) + value
        what = "share" if column == "share" else "amount"
        if not got or (missing and len(names.terms) == 1 and not sel.groups and not names.each):
            # a named country must have its figure; a set leaves out the members without one
            why = [n for n in res.notes if "loaded for" in n or not n.startswith(("no ", "share:"))
                   and any(f"{c}," in n or f"{c} " in n for c in sel.countries)]
            raise Unknown(f"no {scale} {what} for {names.text()} in {span}" + (f" ({'; '.join(why)})" if why else ""))
        definition = f"{scale} scale, {span}: {_ASSESSED[(scale, column)]}"
        if first != last:
            definition += "; amounts summed over the years"
        definition += "".join(f"; {n}" for n in res.notes if "summed (" in n)
        if missing:
            definition += "; no figure for " + ", ".join(missing) + " (left out)"
        grain = grain_of(res)
        if names.each:
            order = list(sel.countries)
            values = [got.get(m, 0) for m in order]
            self.steps.append(Step(text_of(call), dict(zip(order, values)), span, grain, res.sources, definition))
            return values
        total = sum(got.values())
        shown = round(total, 6) if column == "share" else total
        self.steps.append(Step(text_of(call), shown, span, grain, res.sources, definition))
        return total

    def _rank_assessed(self, call: Call, scale: str) -> int:
        kw = self._allow(call, ("measure", "within"))
        names = self._names(call, "a member state")
        years = self._years(call)
        year = years[1] if years else self._latest_year(scale)
        if years and years[0] != years[1]:
            raise Unknown(f"a rank is per year: rank(..., measure=...) takes one year, not {years[0]}..{years[1]}")
        kind, code = self.db.resolve_country(names.terms[0][1])
        if kind != "country" or len(names.terms) > 1 or names.each:
            raise Unknown(f"a rank is a member state's, not {names.text()}'s: compare assessed_share(...) instead")
        within = self._selection(kw["within"], year) if isinstance(kw.get("within"), Names) else None
        res = self.db.assessments(scale=scale, member=[Selection((code,), (), (names.text(),))], year=year,
                                  within=within)
        row = res.rows[0] if res.rows else None
        inside = f" within {within.labels[0]}" if within else ""
        if row is None or row["rank"] is None:
            raise Unknown(f"{names.text()} has no {scale} assessment in {year}{inside}")
        position: int = row["rank"]
        above = self.db.assessments(scale=scale, year=year, within=within, top=max(position, 3))
        leaders = ", ".join(f"{r['rank']} {r['member']} ({_percent(r['share'])})" for r in above.rows
                            if r["rank"] <= max(position, 3))
        definition = (f"{scale} scale, {year}: rank{inside} by {_ASSESSED[(scale, 'share')]}; 1 = the largest, "
                      f"ties share a rank; {leaders}")
        self.steps.append(Step(text_of(call), position, str(year), grain_of(res), res.sources, definition))
        return position

    # ---- China's official finance -----------------------------------------------------------
    def _finance_options(self, kw: dict[str, Any]) -> dict[str, Any]:
        """The finance query's options from the claim's: defaults are the query's own."""
        out: dict[str, Any] = {}
        if (flows := self._words(kw.get("flows"), "flows")) is not None:
            out["flow_class"] = flows
        if (records := self._words(kw.get("records"), "records")) is not None:
            out["records"] = records
        for option in ("pledges", "umbrella"):
            if (on := self._switch(kw.get(option), option)) is not None:
                out[option] = on
        if (regional := self._switch(kw.get("regional"), "regional")) is not None:
            out["countries_only"] = not regional
        if (usd := self._word(kw.get("usd"), "usd")) is not None:
            out["usd"] = usd
        if (dataset := self._word(kw.get("dataset"), "dataset")) is not None:
            out["dataset"] = dataset
        return out

    def _parties(self, call: Call) -> tuple[str, Names | None]:
        """The donor, and the recipients (None: every recipient)."""
        flow = next((a for a in call.args if isinstance(a, Flow)), None)
        donor = flow.donor if flow else self._names(call, "a donor: finance(CHN -> Africa, 2000..2011)")
        if len(donor.terms) > 1 or donor.each:
            raise Unknown(f"one donor, not {donor.text()}")
        recipient = flow.recipient if flow else None
        if recipient is not None and any(op == "-" for op, _ in recipient.terms):
            raise Unknown(f"recipients {recipient.text()}: finance takes a union (+) of recipients, not a "
                          "difference (regional records cannot be split between countries)")
        return donor.terms[0][1], recipient

    @staticmethod
    def _finance_definition(res: Any, extra: str = "") -> str:
        why = [n for n in res.notes if n.startswith("dataset:")
               or "cannot be split" in n and not n.startswith("definition:")]
        # the notes speak to the CLI; a claim chooses with its own options
        return "; ".join([str(res.query["definition"]) + extra, *why]).replace("--dataset", "dataset=")

    def _finance(self, call: Call) -> Any:
        kw = self._allow(call, _FINANCE_OPTIONS)
        donor, recipient = self._parties(call)
        years = self._years(call)
        first, last = years if years else (None, None)
        options = self._finance_options(kw)
        if recipient is not None and recipient.each:
            if "countries_only" in options:
                raise Unknown("each recipient counts country records only: leave regional= out")
            res = self.db.finance(recipient=[n for _, n in recipient.terms], start=first, end=last, donor=donor,
                                  by=["recipient"], countries_only=True, **options)
            lo, hi = res.query["from"], res.query["to"]
            order = sorted(self._selection(recipient, hi).countries)
            got = {r["recipient"]: r["usd"] or 0 for r in res.rows}
            values = [got.get(m, 0) for m in order]
            self.steps.append(Step(text_of(call), dict(zip(order, values)), str(lo) if lo == hi else f"{lo}..{hi}",
                                   grain_of(res), res.sources, self._finance_definition(res)))
            return values
        names = [n for _, n in recipient.terms] if recipient is not None else None
        res = self.db.finance(recipient=names, start=first, end=last, donor=donor, **options)
        lo, hi = res.query["from"], res.query["to"]
        value = res.scalar("usd")
        if value is None:
            raise Unknown(f"the {res.rows[0]['projects']} records counted for {text_of(call)} give no amount")
        self.steps.append(Step(text_of(call), value, str(lo) if lo == hi else f"{lo}..{hi}", grain_of(res),
                               res.sources, self._finance_definition(res)))
        return value

    def _rank_finance(self, call: Call) -> int:
        kw = self._allow(call, ("measure", "within", *(o for o in _FINANCE_OPTIONS if o != "regional")))
        donor, recipient = self._parties(call)
        if recipient is None or len(recipient.terms) > 1 or recipient.each:
            raise Unknown("rank(DONOR -> RECIPIENT, YEARS) ranks one recipient country")
        kind, code = self.db.resolve_country(recipient.terms[0][1])
        if kind != "country":
            raise Unknown(f"a rank is a country's, not {recipient.text()}'s: compare finance(...) instead")
        years = self._years(call)
        first, last = years if years else (None, None)
        options = self._finance_options(kw)
        within_node = kw.get("within")
        within: list[str] | None = None
        if isinstance(within_node, Names):
            if any(op == "-" for op, _ in within_node.terms) or within_node.each:
                raise Unknown(f"within={within_node.text()}: a union (+) of recipients")
            within = [n for _, n in within_node.terms]
        elif "dataset" in options:  # a version that covers one region ranks within it
            scopes = {d["dataset"]: d["scope"] for d in self.db.finance_datasets()}
            asked = str(options["dataset"]).lstrip("vV")
            key = next((k for k in scopes if k in (asked, f"{asked}.0")), None)
            if key is not None and scopes[key]:
                within = [scopes[key]]
        res = self.db.finance(recipient=within, start=first, end=last, donor=donor, by=["recipient"],
                              countries_only=True, **options)
        ranking = sorted(((r["recipient"], r["usd"]) for r in res.rows if r["usd"] is not None),
                         key=lambda x: -x[1])
        lo, hi = res.query["from"], res.query["to"]
        span = str(lo) if lo == hi else f"{lo}..{hi}"
        mine = next((usd for iso3, usd in ranking if iso3 == code), None)
        among = f"the recipients in {', '.join(within)}" if within else "every recipient country"
        if mine is None:
            raise Unknown(f"{recipient.text()} has no amount among {among} in {span} under this definition: "
                          f"{res.query['definition']}")
        position = 1 + sum(1 for _, usd in ranking if usd > mine)
        top = ", ".join(f"{i} {iso3} (USD {usd:,})" for i, (iso3, usd) in enumerate(ranking[:max(position, 3)], 1))
        extra = (f"; ranked among {among} with an amount ({len(ranking)}), country records only, "
                 f"1 = the largest, ties share a rank; {top}")
        self.steps.append(Step(text_of(call), position, span, grain_of(res), res.sources,
                               self._finance_definition(res, extra)))
        return position

    # ---- what missions spent ----------------------------------------------------------------
    def _spending(self, call: Call) -> int | float:
        kw = self._allow(call, ("class", "statement"))
        names = self._names(call, "a mission: spending(MINUSMA, 2022/23)")
        if names.each or any(op == "-" for op, _ in names.terms):
            raise Unknown(f"spending({names.text()}): a mission or a union (+) of missions")
        missions = [n for _, n in names.terms]
        period = [a for a in call.args if isinstance(a, (FiscalYears, Number, Month, Range, Years))]
        if len(period) > 1:
            raise Unknown(f"spending() takes one fiscal year or range, found "
                          f"{', '.join(text_of(a) for a in period)}")
        cost_class = self._words(kw.get("class"), "class")
        statement = self._word(kw.get("statement"), "statement")
        if period and isinstance(period[0], (Month, Range)):
            raise Unknown(f"spending() is per UN fiscal year (1 July - 30 June): write 2022/23 (July 2022 to "
                          f"June 2023), not the month {text_of(period[0])}")
        if period and not isinstance(period[0], FiscalYears):
            written = text_of(period[0])
            try:  # its message says which two fiscal years a bare year could be
                parse_fiscal_year(written)
            except QueryError as exc:
                raise Unknown(f"spending() is per UN fiscal year (1 July - 30 June): {exc}") from None
            raise Unknown(f"spending() is per UN fiscal year: write 2022/23, not {written}")  # pragma: no cover
        if period:
            assert isinstance(period[0], FiscalYears)
            text = period[0].text()
        else:  # the latest fiscal year the files give for these accounts
            every = self.db.spending(mission=missions, cost_class=cost_class, by=["year"], statement=statement)
            text = every.rows[-1]["year"]
        first, last = parse_fiscal_years(text)
        res = self.db.spending(mission=missions, year=text, cost_class=cost_class, by=["mission", "year"],
                               statement=statement)
        held = {(r["mission"], r["year"]) for r in res.rows}
        gaps = [f"{a} {fiscal_year_label(y)}" for a in res.query["mission"] for y in range(first, last + 1)
                if (a, fiscal_year_label(y)) not in held]
        if gaps:  # a year in a gap is a gap: no sum over what the files happen to hold
            every = self.db.spending(mission=missions, cost_class=cost_class, by=["mission", "year"],
                                     statement=statement)
            held_by: dict[str, list[str]] = {}
            for r in every.rows:
                held_by.setdefault(r["mission"], []).append(r["year"])
            raise Unknown(f"no expenditure figures for {', '.join(gaps)} in the files; they give "
                          + "; ".join(f"{a} for {y[0]}..{y[-1]}" if len(y) > 1 else f"{a} for {y[0]}"
                                      for a, y in held_by.items()))
        value: int | float = sum(r["expenditure_usd"] for r in res.rows)
        statements = sorted({r["statement"] for r in res.rows})
        definition = "; ".join([*(f"{k}: {v}" for k, v in res.query["definition"].items()),
                                f"statement: {'+'.join(statements)}"
                                + (" (audited where both give the figure)" if statement is None else ""),
                                *(f"cost class: {c}" for c in res.query["class"]),
                                *(["fiscal years summed"] if first != last else [])])
        span = fiscal_year_label(first) if first == last else f"{fiscal_year_label(first)}..{fiscal_year_label(last)}"
        self.steps.append(Step(text_of(call), value, span, grain_of(res), res.sources, definition))
        return value
