"""Dashboard pages: each page is a model (tables and charts built from library results)
rendered three ways: HTML at ``/X``, JSON at ``/X.json``, CSV (its main table) at ``/X.csv``.

Pages are server-rendered and stay usable with JavaScript off (every chart has its table);
charts are Vega-Lite specs drawn by the vendored scripts the app serves itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..claims.prose import Number, Sentence
from ..errors import BluehelmetError, NoDataError
from ..output import _cell
from ..query.assessments import SCALES
from ..query.result import Result
from . import charts
from .charts import Cite, span
from .deps import Database
from .prose import Prose

__all__ = ["Page", "check_page", "compare_page", "country_page", "coverage_page", "factcheck_page", "finance_page",
           "mission_page", "overview", "page_for", "sentence_parts", "sources_page", "tbody",
           "who_pays_page"]

STATIC = Path(__file__).with_name("static")


@dataclass
class Page:
    title: str
    tables: dict[str, Result] = field(default_factory=dict)  # the first is the page's CSV twin
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)  # Vega-Lite specs
    facts: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    form: dict[str, Any] = field(default_factory=dict)  # the query as asked, to refill forms
    # the check page's text, sentence by sentence (factcheck_page); its twins are the API's
    prose: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # a form's one-line error, shown above the form it keeps filled
    # a page kind's own HTML parts, built in Python (an index's escaped cells, the sources
    # page's summary); not in the JSON twin, which carries the same figures as tables
    view: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "facts": self.facts, "notes": self.notes,
                "tables": {k: v.as_dict() for k, v in self.tables.items()}, "charts": self.charts}


def tbody(result: Result, limit: int, store: Database | None = None, start: int = 0) -> Markup:
    """A table's rows ``start`` to ``limit`` as HTML ``<tr>`` lines: built here rather than
    in the template, where a call per cell made a 120-row ranking cost more than its query.
    Contributors and missions link to their pages (plain links: they work without
    JavaScript)."""
    cols = result.columns
    pages = _pages(store) if store is not None else {}

    def td(value: Any, col: str) -> str:
        # the cells most tables are made of, without markupsafe's escaping where it can
        # change nothing (a number's digits, commas, sign, point, "e", "nan", "inf"): a
        # country's page has about 1,100 cells, a who-pays page 5,800
        kind = type(value)
        if value is None:
            return "<td></td>"
        if kind is int or kind is float:
            return f"<td>{_cell(value, col)}</td>"
        text = escape(value if kind is str else _cell(value, col))
        link = pages.get(col)
        if link and isinstance(value, str) and value in link[1]:
            return f'<td><a href="{link[0]}{escape(value)}">{text}</a></td>'
        return f"<td>{text}</td>"

    return Markup("\n".join("<tr>" + "".join(td(r.get(c), c) for c in cols) + "</tr>"
                             for r in result.rows[start:limit]))


def _pages(store: Database) -> dict[str, tuple[str, frozenset[str]]]:
    """Column -> (page prefix, the values that have a page)."""
    have = store.with_personnel()
    countries = ("/countries/", have["contributor"])  # a country's page is its record as a contributor
    return {"contributor": countries, "member": countries, "recipient": countries,
            "mission": ("/missions/", have["mission"])}


def page_for(store: Database, name: str) -> str:
    """The URL of the page of a mission, country or group (a group's page is its line in
    compare); a name that resolves to nothing gets the country page, which says so."""
    try:
        kind, code = store.resolve_name(name)
    except BluehelmetError:
        kind, code = "country", name
    if kind == "mission":
        return f"/missions/{code}"
    return f"/compare?country={quote(name)}" if kind == "group" else f"/countries/{quote(name)}"


def _line(rows: list[dict[str, Any]], x: str, y: str, color: str | None = None, title: str = "", *,
          heading: str = "", subtitle: str = "", cite: Cite | None = None, unit: str = "persons",
          file: str = "", share: bool = False) -> dict[str, Any]:
    """A monthly series the grapher way (``charts.line``): ``title`` is the y axis's,
    ``heading`` the chart's (what and where), ``subtitle`` its unit, type and span."""
    y_title = title or y
    return charts.line(rows, x, y, title=heading or y_title, subtitle=subtitle, y_title=y_title,
                       cite=cite or Cite(), unit=unit, file=file or heading or y_title, color=color, share=share)


def overview(store: Database) -> Page:
    months = store.months()
    series = store.personnel(start=months[0], end=months[-1], by=["month"])
    # each table at the latest month of the grain it needs, as the CLI answers the same
    # questions (equal today; each names its own month should they ever differ)
    everybody = store.rank()
    latest = everybody.query["month"]
    top = Result(everybody.columns, [r for r in everybody.rows if r["rank"] <= 10], everybody.sources,
                 everybody.grains, everybody.notes, {**everybody.query, "top": 10}, everybody.month,
                 everybody.month_note)
    missions = store.mission_list()
    page = Page(f"UN peacekeeping: who serves where, {latest}", {"top_contributors": top, "world_series": series,
                                                                 "missions": missions})
    world = {r["month"]: r["personnel"] for r in series.rows}
    # the headline: each figure with its month (thousands separated by the template)
    page.facts = {"latest month with contributors": latest, "personnel then": world.get(latest),
                  "contributing countries then": len(everybody.rows)}
    if missions.month != latest:
        page.facts["latest month with missions"] = missions.month
    page.facts["missions with personnel then"] = len(missions.rows)
    if series.rows and series.rows[-1]["month"] != latest:  # mission and world totals run on
        page.facts.update({"latest world total": series.rows[-1]["month"],
                           "personnel at the latest world total": series.rows[-1]["personnel"]})
    spanned = span(r["month"] for r in series.rows)
    page.charts["world_series"] = _line(
        series.rows, "month", "personnel", title="uniformed personnel (persons)",
        heading=f"UN peacekeepers deployed worldwide, {spanned}",
        subtitle="Uniformed personnel (troops, police and military experts) at month end, in persons",
        cite=Cite.of(series, info=store.info), file=f"world-personnel-{spanned}")
    # the map at the month of the top contributors beside it (missions' latest month may differ)
    at = missions
    if missions.month != latest:
        try:
            at = store.mission_list(month=latest)
        except NoDataError:  # a month the mission data lack: the map says its own month
            pass
    page.charts["missions_map"] = charts.missions_map(at.rows, at.month or latest, Cite.of(at, info=store.info))
    return page


def _base_map(scale: str, stroke: str) -> dict[str, Any]:
    return charts.base_map(scale, stroke)


def _title(profile: Any) -> str:
    return f"{profile.title}, {profile.month}" if profile.month else profile.title


def country_page(store: Database, name: str, month: str | None = None) -> Page:
    profile = store.country(name, month=month)
    page = Page(_title(profile), dict(profile.sections), facts=profile.facts, notes=profile.notes)
    yearly = profile.sections["by_year"]
    who = profile.title
    cite = Cite.of(yearly, info=store.info)
    types = [c for c in yearly.columns if c not in ("year", "month", "personnel")]
    long = [{"year": str(r["year"]), "month": r.get("month"), "type": t, "personnel": r[t]}
            for r in yearly.rows for t in types]
    years = span(str(r["year"]) for r in yearly.rows)
    page.charts["by_year"] = _bars(long, "year", "personnel", "uniformed personnel (persons)", "type",
                                   heading=f"Uniformed personnel contributed by {who}, {years}",
                                   subtitle="Troops, police and military experts at the end of each year "
                                            "(December, or the year's last month with data), in persons",
                                   cite=cite, file=f"{who}-personnel-by-year-{years}")
    if "assessments" in profile.sections:
        page.charts["assessments"] = _assessment_lines(profile.sections["assessments"], who, store)
    if "finance_received" in profile.sections:
        received = profile.sections["finance_received"]
        years = span(str(r["year"]) for r in received.rows)
        page.charts["finance_received"] = _bars(
            received.rows, "year", "usd", "committed (USD)", heading=f"Chinese official finance to {who}, {years}",
            subtitle="Commitments by year as AidData recorded them, in US dollars",
            cite=Cite.of(received, info=store.info), unit="USD", file=f"china-finance-to-{who}-{years}")
    page.form = {"name": name, "month": month}
    return page


def _assessment_lines(section: Result, who: str, store: Database) -> dict[str, Any]:
    """A member's peacekeeping share against its regular-budget rate, year by year: where
    the two lines part, the premium (above) or the discount (below) shows."""
    long = [{"year": r["year"], "scale": label, "percent": r[col]} for r in section.rows
            for col, label in (("peacekeeping_share", "peacekeeping share"), ("regular_rate", "regular-budget rate"))
            if r[col] is not None]
    years = span(str(r["year"]) for r in long)
    return charts.year_lines(long, "percent", "scale", title=f"{who}: share of UN peacekeeping and regular-budget "
                             f"assessments, {years}", subtitle="Per cent of the total assessed on all members, "
                             "by year", y_title="% of the total", cite=Cite.of(section, info=store.info),
                             unit="percent", file=f"{who}-assessment-shares-{years}")


def _bars(rows: list[dict[str, Any]], x: str, y: str, title: str, color: str | None = None, *,
          heading: str = "", subtitle: str = "", cite: Cite | None = None, unit: str = "persons",
          file: str = "") -> dict[str, Any]:
    """Bars the grapher way (``charts.bars``): ``title`` is the y axis's, ``heading`` the chart's."""
    return charts.bars(rows, x, y, title=heading or title, subtitle=subtitle, y_title=title, cite=cite or Cite(),
                       unit=unit, file=file or heading or title, color=color)


def mission_page(store: Database, acronym: str, month: str | None = None) -> Page:
    """A mission's profile, every section at one month: asked for none, its latest month
    with all of them (:func:`_whole_month`); the authorised-vs-deployed chart whatever the
    month (:func:`_strength`)."""
    profile = store.mission(acronym, month=month)
    notes: list[str] = []
    if month is None:
        at = _whole_month(profile)
        if at != profile.month:
            notes.append(f"month: {at}, the mission's latest month with contributor detail, so that every section "
                         f"is for the same month (its totals run to {profile.month}; ask ?month={profile.month})")
            profile = store.mission(acronym, month=at)
            # the profile asked for a month explains none: say why this one
            profile.notes = [n for n in profile.notes if not n.startswith("contributors:")]
    page = Page(_title(profile), dict(profile.sections), facts=profile.facts, notes=notes + profile.notes)
    name = profile.facts["mission"]
    with store.summary("mission", name):  # its record of authorisations is stored with its profile
        strength = profile.sections.get("strength_series") or _strength(store, name)
    if strength is not None:
        page.tables.setdefault("strength_series", strength)
        long = [{"month": r["month"], "what": k, "personnel": r[k]} for r in strength.rows
                for k in ("authorized", "deployed") if r[k] is not None]
        months = span(r["month"] for r in long)
        page.charts["authorized_vs_deployed"] = _line(
            long, "month", "personnel", "what", "uniformed personnel (persons)",
            heading=f"{name}: authorised and deployed uniformed personnel, {months}",
            subtitle="Troops, police and military observers the Security Council authorised, and those "
                     "deployed at month end, in persons", cite=Cite.of(strength, info=store.info),
            file=f"{name}-authorized-vs-deployed-{months}")
    located = profile.sections.get("sites")
    if located is not None and any(r["latitude"] is not None for r in located.rows):
        from .sitemap import cited_sites_map

        page.charts["sites_map"] = cited_sites_map(located, f"{name}: deployment sites, {located.month}",
                                                   store.info, file=f"{name}-sites-{located.month}")
        page.view["drawn"] = ["sites"]  # the map shows the table: it folds
    if "spending_by_year" in profile.sections:
        spent = profile.sections["spending_by_year"]
        years = span(str(r["year"]) for r in spent.rows)
        page.charts["spending_by_year"] = _bars(
            spent.rows, "year", "expenditure_usd", "expenditure (USD, nominal)",
            heading=f"{acronym.upper()}: expenditure by fiscal year, {years}",
            subtitle="Mission expenditure, July to June fiscal years, in nominal US dollars",
            cite=Cite.of(spent, info=store.info), unit="USD (nominal)", file=f"{acronym}-expenditure-{years}")
    page.form = {"acronym": acronym, "month": month}
    return page


def _whole_month(profile: Any) -> str:
    """The month at which every section of a mission's profile has its data: the
    profile's own month, or, where the contributors section fell back to the last month
    with contributor x mission detail (the mission's totals running on from another
    source), that month."""
    contributors = profile.sections.get("contributors")
    if contributors is not None and contributors.rows:
        first = contributors.rows[0]["month"]
        if first < profile.month:
            return str(first)
    return str(profile.month)


def _strength(store: Database, acronym: str) -> Result | None:
    """Authorised against deployed month by month, where the profile's month lies outside
    the authorisation file (which ends before the personnel data do): the profile builds
    this table only at a month the file covers, and the chart vanished with it."""
    from ..errors import NoDataError

    try:
        whole = store.authorized(acronym)
    except NoDataError:
        return None
    first, last = whole.rows[0]["month"], whole.rows[-1]["month"]
    try:
        deployed = store.personnel(mission=[acronym], start=first, end=last, by=["month"])
    except NoDataError:
        return None
    by_month = {r["month"]: r["personnel"] for r in deployed.rows}
    rows = [{"month": r["month"], "authorized": r["auth_total"], "deployed": by_month.get(r["month"]),
             "pct": round(100 * by_month[r["month"]] / r["auth_total"], 1)
             if by_month.get(r["month"]) is not None and r["auth_total"] else None} for r in whole.rows]
    return Result(["month", "authorized", "deployed", "pct"], rows, whole.sources + deployed.sources, whole.grains,
                  ["deployed: the personnel facts (all types); authorized: the authorisation file, "
                   f"which covers {acronym} {first}..{last} only"], {"from": first, "to": last})


def compare_page(store: Database, names: list[str], start: str | None = None, end: str | None = None,
                 type: str = "all") -> Page:
    """Countries, groups or regions side by side: personnel over time and their share of
    everybody's personnel in the same month (of the same type)."""
    names = names or ["China", "P5", "AU"]
    names = [n.strip() for n in names if n.strip()]
    table = store.shares(names, start=start, end=end, type=type)
    rows = table.rows
    page = Page("Compare: " + ", ".join(names), {"compare": table})
    # one data set, two views: the counts, and the share of everybody's personnel
    page.charts["compare"] = charts.compare(rows, names, type, Cite.of(table, info=store.info))
    page.form = {"names": names, "from": start or "", "to": end or "", "type": type}
    return page


_EXAMPLE_CLAIM = "troops(China, 2014-01) > troops(P5 - China, 2014-01)"


def check_page(store: Database, claim: str | None, text: str = "", as_of: str = "") -> Page:
    """The checker with its two forms: a claim (``claim``, checked when given) and a text
    (``text`` and ``as_of`` only refill the form; :func:`factcheck_page` checks it)."""
    from ..claims import check

    page = Page("Check a claim or a text")
    page.form = {"claim": claim or _EXAMPLE_CLAIM, "text": text, "as_of": as_of}
    if claim:
        v = check(store, claim)
        page.facts = {"verdict": v.verdict, "left": v.left, "op": v.op, "right": v.right, "margin": v.margin,
                      "relative error": v.relative_error, "why": v.reason}
        page.tables["steps"] = Result(["expression", "value", "month", "grain"],
                                      [s.as_dict() for s in v.steps], v.sources())
        # a period the source covers only in part (fatalities in 2023) is said beside the verdict
        page.notes = [f"{s.expression}: {s.note}" for s in v.steps if s.note]
    return page


def factcheck_page(store: Database, prose: Prose) -> Page:
    """A text fact-checked (``claims.prose.factcheck``): each sentence with its verdict, its
    numbers marked where they stand, and each claim it made with its figures and sources."""
    from ..claims.prose.model import tally
    from .prose import check

    month, sentences = check(store, prose)
    page = check_page(store, None, prose.text, prose.as_of or "")
    page.prose = {"as_of": month, "asked": prose.as_of, "summary": tally(sentences),
                  "sentences": [_sentence_view(i, s) for i, s in enumerate(sentences, start=1)]}
    return page


def _verdict_class(verdict: str) -> str:
    return "verdict-" + verdict.replace(" ", "-")


def _sentence_view(n: int, sentence: Sentence) -> dict[str, Any]:
    """What the page shows of a sentence: its text cut at its numbers, and its claims."""
    numbers = sentence.numbers
    checks = []
    for c in sentence.checks:
        v = c.verdict.as_dict()
        checks.append({"claim": c.claim, "verdict": v["verdict"], "class": _verdict_class(v["verdict"]),
                       "left": _figure(v["left"]), "op": v["op"] or "", "right": _figure(v["right"]),
                       "month": v["month"] or sentence.month or "",
                       "note": "; ".join(x for x in (v["reason"], c.note) if x),
                       "numbers": [numbers[i].text for i in c.numbers if 0 <= i < len(numbers)],
                       "sources": [src["path"] for src in v["sources"]]})
    return {"n": n, "text": sentence.text, "verdict": sentence.verdict, "class": _verdict_class(sentence.verdict),
            "month": sentence.month, "reason": sentence.reason, "outside": sentence.outside,
            "parts": sentence_parts(sentence), "checks": checks,
            "numbers": [{"text": x.text, "title": _number_title(x), "role": x.role} for x in numbers]}


def sentence_parts(sentence: Sentence) -> list[dict[str, Any]]:
    """The sentence cut into plain text and the numbers read in it (``Number.start`` and
    ``end`` are offsets in the sentence), in order, for the page to mark the numbers.

    A number whose span overlaps an earlier one's, or falls outside the sentence, is not
    marked (the list under the sentence still names it): the sentence reads whole, once.

    >>> [p["text"] for p in sentence_parts(Sentence("China had 2,078 peacekeepers.",
    ...     numbers=[Number("2,078", 10, 15, 2078.0, "persons", role="claimed")]))]
    ['China had ', '2,078', ' peacekeepers.']
    """
    text = sentence.text
    used = {i for c in sentence.checks for i in c.numbers}
    parts: list[dict[str, Any]] = []
    at = 0
    for i, x in sorted(enumerate(sentence.numbers), key=lambda p: (p[1].start, p[1].end)):
        if x.start < at or not 0 <= x.start < x.end <= len(text):
            continue
        if x.start > at:
            parts.append({"text": text[at:x.start]})
        # "used": a claim checks it; a date or an ignored figure is marked, but lightly
        parts.append({"text": text[x.start:x.end], "role": x.role, "title": _number_title(x),
                      "used": i in used or x.role == "claimed"})
        at = x.end
    if at < len(text) or not parts:
        parts.append({"text": text[at:]})
    return parts


def _number_title(x: Number) -> str:
    """A number as read, in words: ``about 9000 persons (troops), claimed``."""
    said = "" if x.approx == "bare" else f"{x.approx} "
    measure = f" ({x.measure})" if x.measure else ""
    return f"{said}{x.value:g} {x.unit}{measure}, {x.role}"


def _figure(value: Any) -> str:
    """A verdict's figure as the page prints it: thousands separated, fractions to six digits."""
    if value is None:
        return ""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.6g}"


def sources_page(store: Database) -> Page:
    from ..query import catalog

    from .coverage_summary import coverage_summary

    files = catalog.sources(store)
    # the coverage in words first; the 300-odd file rows fold below it (templates/page.html)
    page = Page("Sources: provenance, coverage, quarantine, reconciliation",
                {"files": files, "reconciliation": catalog.reconciliation(store),
                 "quarantine": catalog.quarantine(store, 200)}, notes=files.notes)
    page.view["summary"] = coverage_summary(store.coverage_spans(), files)
    page.facts = {"files": len(files.rows), "rows loaded": sum(r["rows_loaded"] or 0 for r in files.rows),
                  "rows quarantined": sum(r["rows_quarantined"] or 0 for r in files.rows)}
    return page


def coverage_page(store: Database) -> Page:
    """Months covered per grain and domain, the gaps, and which layouts answer each span."""
    spans = store.coverage_spans()
    page = Page("Coverage: the months each grain and domain holds, and its gaps", {"coverage": spans})
    spans_of: dict[str, list[dict[str, Any]]] = {}
    for r in spans.rows:
        spans_of.setdefault(f"{r['domain']} {r['grain']}", []).append(r)
    page.facts = {k: f"{rs[0]['first_month']}..{rs[-1]['last_month']}" for k, rs in spans_of.items()}
    page.facts["gaps"] = ", ".join(f"{r['domain']} {r['grain']} {r['first_month']}"
                                   + ("" if r["months"] == 1 else f"..{r['last_month']}")
                                   for r in spans.rows if r["status"] == "gap") or "none"
    return page


def who_pays_page(store: Database, year: str | None = None, scale: str = "peacekeeping") -> Page:
    """Who pays (``query.money.who_pays``): the year's ranking, the permanent members
    against everybody else, and the largest payers' shares over time."""
    profile = store.who_pays(year, scale=scale)
    page = Page(profile.title, dict(profile.sections), facts=profile.facts, notes=profile.notes)
    over = profile.sections["shares_over_time"].rows
    # the legend in the order of the year's ranking, not alphabetical
    ranked = list(dict.fromkeys(r["member_name"] for r in over if r["year"] == profile.facts["year"]))
    what = "peacekeeping assessments" if scale == "peacekeeping" else "the regular-budget scale"
    years = span(str(r["year"]) for r in over)
    page.charts["shares_over_time"] = charts.year_lines(
        [{"year": r["year"], "member": r["member_name"], "share": r["share"]} for r in over], "share", "member",
        title=f"Largest payers' shares of {what}, {years}",
        subtitle=f"The {len(ranked)} largest payers of {profile.facts['year']}: per cent of the total assessed, "
                 "by year", y_title="% of the total", cite=Cite.of(profile.sections["shares_over_time"],
                                                                    info=store.info),
        unit="percent", file=f"largest-payers-{scale}-shares-{years}", sort=ranked, height=300, legend="right")
    sides = profile.sections["p5_vs_rest"]
    years = span(str(r["year"]) for r in sides.rows)
    page.charts["p5_vs_rest"] = _bars(sides.rows, "year", "share", "% of the total", "side",
                                      heading=f"The five permanent members and the rest: shares of {what}, {years}",
                                      subtitle="Per cent of the total assessed, by year",
                                      cite=Cite.of(sides, info=store.info), unit="percent",
                                      file=f"p5-vs-rest-{scale}-{years}")
    page.form = {"year": profile.facts["year"], "scale": scale,
                 "years": list(reversed(store.assessment_years(scale))), "scales": list(SCALES)}
    return page


def finance_page(store: Database, recipient: str | None = None, start: str | None = None, end: str | None = None,
                 dataset: str | None = None, top: int | None = None) -> Page:
    """China's official finance (``query.money.finance_overview``) by recipient and year,
    its definition and dataset version stated."""
    profile = store.finance_overview(recipient or None, start or None, end or None, dataset or None, top or 20)
    page = Page(profile.title, dict(profile.sections), facts=profile.facts, notes=profile.notes)
    leaders = [r["recipient_name"] for r in profile.sections["by_recipient"].rows]
    cells = [{"year": r["year"], "recipient": r["recipient_name"], "usd": r["usd"]}
             for r in profile.sections["by_year_and_recipient"].rows
             if r["recipient_name"] in leaders and r["usd"] is not None]
    grid = profile.sections["by_year_and_recipient"]
    years = span(str(r["year"]) for r in cells)
    page.charts["by_year_and_recipient"] = charts.cited({
        "width": "container", "height": max(120, 18 * len(leaders)), "datasets": {charts.DATA: cells},
        "data": {"name": charts.DATA}, "mark": {"type": "rect", "tooltip": True},
        "encoding": {"x": {"field": "year", "type": "ordinal", "title": None},
                     "y": {"field": "recipient", "type": "nominal", "title": None, "sort": leaders},
                     "color": {"field": "usd", "type": "quantitative", "title": "USD",
                               "scale": {"type": "sqrt", "scheme": "blues"}}}},
        f"Chinese official finance: the {len(leaders)} largest recipients, {years}",
        f"Commitments by recipient and year, in {profile.facts['amounts in']}", Cite.of(grid, info=store.info),
        unit=profile.facts["amounts in"], file=f"china-finance-largest-recipients-{years}")
    by_year = profile.sections["by_year"]
    page.charts["by_year"] = _bars(by_year.rows, "year", "usd", f"committed ({profile.facts['amounts in']})",
                                   heading=f"Chinese official finance committed, {years}",
                                   subtitle=f"Commitments to {profile.facts['recipients']} by year, in "
                                            f"{profile.facts['amounts in']}", cite=Cite.of(by_year, info=store.info),
                                   unit=profile.facts["amounts in"], file=f"china-finance-by-year-{years}")
    q = profile.sections["by_year"].query
    page.form = {"recipient": recipient or "", "from": start or "", "to": end or "", "dataset": dataset or "",
                 "top": top or "", "datasets": [v["dataset"] for v in store.finance_datasets()],
                 "answered": f"{q['from']}-{q['to']}"}
    return page
